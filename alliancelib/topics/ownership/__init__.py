"""Notebook 01, ownership: who owns whom in the alliance, what the stakes are worth and what they
cost Renault, and what a sale of Renault shares by Nissan down to the lock-up would change.

The package, as every topic package (``docs/architecture.md``):

- :mod:`.holdings`: the pure functions of who holds what (snapshots, integrated ownership and
  look-through, a stake sale under a lock-up);
- :mod:`.replay`: the three trust sales replayed on share counts;
- :mod:`.stake_weight`: what the Nissan stake weighs in Renault at each date with both prices, and
  :mod:`.weights`: how notebook 01 shows it;
- :mod:`.model`: the parameters (:class:`OwnershipParams`, :func:`validate_params`),
  :func:`headline`, :data:`RESULTS` and :func:`conclusions`;
- :mod:`.inputs`: what it reads from ``data/``;
- :mod:`.analysis`: :func:`analyse` and the decisions the text needs; :mod:`.tables`: the tables;
- :mod:`.charts`: :func:`figures`;
- ``text.md.j2``: every sentence the report shows.

In the notebook::

    from alliancelib.topics import ownership as nb
    p = nb.validate_params(**nb.parameters_in(globals()))
    a = nb.analyse(p)
    a.show_findings()
    a.show("who")
"""

from alliancelib.topics.ownership.analysis import (
    SECTION_APPENDIX,
    SECTION_CIRCLE,
    SECTION_HISTORY,
    SECTION_SALE,
    SECTION_SINCE,
    SECTION_VALUE,
    SECTION_WHO,
    Analysis,
    analyse,
)
from alliancelib.topics.ownership.charts import MAIN_CHART_PARAMS, figures, main_chart
from alliancelib.topics.ownership.holdings import (
    ALLIANCE,
    TRUST,
    apply_sale,
    circle,
    history,
    holdings_matrix,
    integrated,
    look_through,
    max_points_above,
    sale_effect,
    sale_proceeds_eur_m,
    snapshot,
    stake,
    weight,
    with_stake,
)
from alliancelib.topics.ownership.model import (
    NOTEBOOK,
    OPTIONAL_RESULTS,
    RESULTS,
    SPECS,
    TOPIC,
    OwnershipParams,
    buyer_words,
    conclusions,
    headline,
    parameters_in,
    plan_eur_m,
    validate_params,
)
from alliancelib.topics.ownership.replay import (
    Trade,
    replay,
    replay_check,
    replay_trust,
    replayed_renault_in_nissan_pct,
    trust_sales,
)
from alliancelib.topics.ownership.weights import result_labels

__all__ = [
    "ALLIANCE",
    "MAIN_CHART_PARAMS",
    "buyer_words",
    "main_chart",
    "NOTEBOOK",
    "OPTIONAL_RESULTS",
    "RESULTS",
    "SECTION_CIRCLE",
    "SECTION_HISTORY",
    "SECTION_SALE",
    "SECTION_APPENDIX",
    "SECTION_SINCE",
    "SECTION_VALUE",
    "SECTION_WHO",
    "SPECS",
    "TOPIC",
    "TRUST",
    "Analysis",
    "OwnershipParams",
    "Trade",
    "analyse",
    "apply_sale",
    "circle",
    "conclusions",
    "figures",
    "headline",
    "history",
    "holdings_matrix",
    "integrated",
    "look_through",
    "max_points_above",
    "parameters_in",
    "plan_eur_m",
    "replay",
    "replay_check",
    "replay_trust",
    "replayed_renault_in_nissan_pct",
    "result_labels",
    "sale_effect",
    "sale_proceeds_eur_m",
    "snapshot",
    "stake",
    "trust_sales",
    "validate_params",
    "weight",
    "with_stake",
]
