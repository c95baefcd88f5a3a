"""Notebook 04, Ampere: two successive ceilings on Nissan's investment, what the money would have
bought and where that flips (the break-evens), what ending the commitments exchanged, and how the
story ended.

The package, as every topic package (``docs/architecture.md``):

- :mod:`.model`: the parameters (:class:`AmpereParams`, :func:`validate_params`), the arithmetic of
  the round (pure functions), :func:`headline`, :data:`RESULTS` and :func:`conclusions`;
- :mod:`.inputs`: what it reads from ``data/`` (:func:`inputs.read`);
- :mod:`.analysis`: :func:`analyse` and the decisions the text needs; :mod:`.tables`: the tables;
- :mod:`.charts`: :func:`figures`;
- ``text.md.j2``: every sentence the report shows.

In the notebook::

    from alliancelib.topics import ampere as nb
    p = nb.validate_params(**nb.parameters_in(globals()))
    a = nb.analyse(p)
    a.show_findings()
    a.show("stakes")
"""

from alliancelib.topics.ampere.analysis import (
    SECTION_APPENDIX,
    SECTION_ENDING,
    SECTION_STAKES,
    SECTION_SWAP,
    Analysis,
    analyse,
)
from alliancelib.topics.ampere.charts import MAIN_CHART_PARAMS, figures, main_chart
from alliancelib.topics.ampere.model import (
    NOTEBOOK,
    OPTIONAL_RESULTS,
    RANGED,
    RESULTS,
    STAKE_TABLE_PRE_MONEY,
    TOPIC,
    AmpereParams,
    amount_in_jpy_bn,
    capped_investment_eur_m,
    conclusions,
    existing_holder_stake_pct,
    headline,
    implied_stake_pct,
    parameters_in,
    post_money_eur_bn,
    pre_money_for_stake_eur_bn,
    round_stakes,
    stake_table,
    validate_params,
    valuation_for_stake_eur_bn,
)

__all__ = [
    "MAIN_CHART_PARAMS",
    "NOTEBOOK",
    "OPTIONAL_RESULTS",
    "RANGED",
    "RESULTS",
    "SECTION_APPENDIX",
    "SECTION_ENDING",
    "SECTION_STAKES",
    "SECTION_SWAP",
    "STAKE_TABLE_PRE_MONEY",
    "TOPIC",
    "AmpereParams",
    "Analysis",
    "amount_in_jpy_bn",
    "analyse",
    "capped_investment_eur_m",
    "conclusions",
    "existing_holder_stake_pct",
    "figures",
    "headline",
    "main_chart",
    "implied_stake_pct",
    "parameters_in",
    "post_money_eur_bn",
    "pre_money_for_stake_eur_bn",
    "round_stakes",
    "stake_table",
    "validate_params",
    "valuation_for_stake_eur_bn",
]
