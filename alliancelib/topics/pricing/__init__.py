"""Notebook 03, EV pricing: the Twingo against Europe's small EVs, its battery's cost share, its price
in dollars, and its total cost of ownership against a petrol Dacia Sandero, one market and one
household at a time.

The package, as every topic package (``docs/architecture.md``):

- :mod:`.model`: the parameters (:class:`PricingParams`, :func:`validate_params`), the arithmetic
  (pure, vectorised functions), :func:`headline`, :data:`RESULTS` and :func:`conclusions`;
- :mod:`.inputs`: what it reads from ``data/``;
- :mod:`.analysis`: :func:`analyse` and the decisions the text needs; :mod:`.tables`: the tables;
- :mod:`.charts`: :func:`figures`;
- ``text.md.j2``: every sentence the report shows.

In the notebook::

    from alliancelib.topics import pricing as nb
    p = nb.validate_params(**nb.parameters_in(globals()))
    a = nb.analyse(p)
    a.show_findings()
    a.show("prices")
"""

from alliancelib.topics.pricing.analysis import (
    SECTION_APPENDIX,
    SECTION_BATTERY,
    SECTION_DECIDES,
    SECTION_DOLLARS,
    SECTION_PRICES,
    SECTION_SEGMENT,
    SECTION_TCO,
    Analysis,
    analyse,
)
from alliancelib.topics.pricing.charts import MAIN_CHART_PARAMS, figures, main_chart
from alliancelib.topics.pricing.inputs import (
    BASE_TRIM,
    HOUSEHOLDS,
    MARKETS,
    SANDERO,
    TWINGO,
    Incentive,
    base_price_row,
    europe_segment,
    incentive_for,
    market_list,
    markets_with_price,
    vat_pct,
)
from alliancelib.topics.pricing.model import (
    COUNTRY,
    NOTEBOOK,
    OPTIONAL_RESULTS,
    RESULT_NAMES,
    RESULTS,
    SPECS,
    TOPIC,
    Car,
    PricingParams,
    annuity_factor,
    battery_cost_share_pct,
    breakeven_annual_km,
    breakeven_km,
    conclusions,
    ex_vat,
    headline,
    incentive_of,
    parameters_in,
    price_of,
    rank_in,
    rate_of,
    residual_breakeven_pct,
    tco_eur,
    tco_gap_eur,
    tco_parts,
    validate_params,
)

__all__ = [
    "BASE_TRIM",
    "COUNTRY",
    "HOUSEHOLDS",
    "MAIN_CHART_PARAMS",
    "MARKETS",
    "NOTEBOOK",
    "OPTIONAL_RESULTS",
    "RESULTS",
    "RESULT_NAMES",
    "SANDERO",
    "SECTION_BATTERY",
    "SECTION_DECIDES",
    "SECTION_DOLLARS",
    "SECTION_PRICES",
    "SECTION_SEGMENT",
    "SECTION_APPENDIX",
    "SECTION_TCO",
    "SPECS",
    "TOPIC",
    "TWINGO",
    "Analysis",
    "Car",
    "Incentive",
    "PricingParams",
    "analyse",
    "annuity_factor",
    "base_price_row",
    "battery_cost_share_pct",
    "breakeven_annual_km",
    "breakeven_km",
    "conclusions",
    "europe_segment",
    "ex_vat",
    "figures",
    "headline",
    "incentive_for",
    "incentive_of",
    "main_chart",
    "market_list",
    "markets_with_price",
    "parameters_in",
    "price_of",
    "rank_in",
    "rate_of",
    "residual_breakeven_pct",
    "tco_eur",
    "tco_gap_eur",
    "tco_parts",
    "validate_params",
    "vat_pct",
]
