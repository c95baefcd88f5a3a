"""Notebook 00: the seed article's claims checked against the sources, its promises scored as
outcomes, its two dollar conversions checked against the ECB rate, and the timeline 2023-2026.

The article (AutoExpert, 2025-04-01) makes quantitative or dated claims (``data/claims.csv``). Each
has a *status* (corroborated, contradicted, unverified): set from the sources, or computed for the
two currency conversions, which hold when the rate they imply lies within ``fx_tolerance_pct`` of the
ECB rate of ``reference_date`` (outside it they are unverified at that day's rate, never
contradicted; :func:`day_gaps` gives each nearby day's gaps). A claim of kind *plan* (a promise)
also has an *outcome* as of the news date, computed from its dates by :func:`plan_outcome`: on
time, slipped (done later than the article said), pending, overdue or not done.

The package, as every topic package (``docs/architecture.md``):

- :mod:`.model`: the parameters (:class:`ClaimsParams`, :func:`validate_params`), the conversions,
  the outcomes, :func:`headline`, :data:`RESULTS` and :data:`CONCLUSIONS`;
- :mod:`.inputs`: what it reads from ``data/`` (:func:`inputs.base`; the events it picks out, in
  one place: :func:`inputs.matches`);
- :mod:`.analysis`: :func:`analyse` and the decisions the text needs; :mod:`.tables`: the tables;
- :mod:`.charts`: :func:`figures`;
- ``text.md.j2``: every sentence the report shows.

In the notebook::

    from alliancelib.topics import claims as nb
    p = nb.validate_params(**nb.parameters_in(globals()))
    a = nb.analyse(p)
    a.show_findings()
    a.show("scorecard")
"""

from alliancelib.topics.claims.analysis import (
    SECTION_APPENDIX,
    SECTION_FRAMING,
    SECTION_FX,
    SECTION_SCORECARD,
    SECTION_TIMELINE,
    Analysis,
    analyse,
)
from alliancelib.topics.claims.charts import MAIN_CHART_PARAMS, figures, main_chart
from alliancelib.topics.claims.inputs import (
    OUTCOMES,
    STATUSES,
    base,
    held_usd_range,
    twingo_french_price,
    usd_rate,
    usd_series,
)
from alliancelib.topics.claims.model import (
    AMPERE_ROUNDING_PCT,
    CONCLUSIONS,
    MARCH_2025_DAILY_MOVE_PCT,
    NOTEBOOK,
    OPTIONAL_RESULTS,
    REFERENCE_DATES,
    RESULT_SPECS,
    RESULTS,
    TOPIC,
    ClaimsParams,
    FxCheck,
    check_conversion,
    closest_fixing,
    day_gaps,
    gap_pct,
    headline,
    holds,
    parameters_in,
    plan_outcome,
    rounding_pct,
    validate_params,
)
from alliancelib.topics.claims.tables import outcome_sentence, shown_quote, timeline

__all__ = [
    "AMPERE_ROUNDING_PCT",
    "CONCLUSIONS",
    "MAIN_CHART_PARAMS",
    "MARCH_2025_DAILY_MOVE_PCT",
    "NOTEBOOK",
    "OPTIONAL_RESULTS",
    "OUTCOMES",
    "REFERENCE_DATES",
    "RESULTS",
    "RESULT_SPECS",
    "SECTION_FRAMING",
    "SECTION_FX",
    "SECTION_APPENDIX",
    "SECTION_SCORECARD",
    "SECTION_TIMELINE",
    "STATUSES",
    "TOPIC",
    "Analysis",
    "ClaimsParams",
    "FxCheck",
    "analyse",
    "base",
    "check_conversion",
    "closest_fixing",
    "day_gaps",
    "figures",
    "gap_pct",
    "headline",
    "held_usd_range",
    "holds",
    "main_chart",
    "outcome_sentence",
    "parameters_in",
    "plan_outcome",
    "rounding_pct",
    "shown_quote",
    "timeline",
    "twingo_french_price",
    "usd_rate",
    "usd_series",
    "validate_params",
]
