"""Notebook 02, the India transfer: what Renault bought when it took Nissan's 51% of RNAIPL, the
company that owns the Chennai (Oragadam) plant; how busy the plant is; and what the new models would
change.

What Renault bought is a share of a plant company's **result** (its profit or loss), not its
vehicles: its share goes from 49% to 100%, with control of what the plant builds, while Nissan's
models built there become a customer's volume. The plant economics are shown without inventing a
cost: fixed cost per vehicle as a change against today's, with the new programmes' own fixed costs as a
percentage of today's (an assumption with a stated range) and the break-even at which it stops falling.

The package, as every topic package (``docs/architecture.md``):

- :mod:`.model`: the pure functions, the parameters (:class:`IndiaParams`, :func:`validate_params`),
  :func:`headline`, :data:`RESULTS` and :func:`conclusions`;
- :mod:`.inputs`: what it reads from ``data/`` (the stake before, the cumulative totals, the facts);
- :mod:`.analysis`: :func:`analyse`, the tables and the decisions the text needs;
- :mod:`.tables`: the tornado (fixed cost per vehicle, one input at a time);
- :mod:`.charts`: :func:`figures` and :func:`main_chart`;
- ``text.md.j2``: every sentence the report shows.

In the notebook::

    from alliancelib.topics import india as nb
    p = nb.validate_params(**nb.parameters_in(globals()))
    a = nb.analyse(p)
    a.show_findings()
    a.show("bought")
"""

from alliancelib.topics.india.analysis import (
    SECTION_APPENDIX,
    SECTION_BOUGHT,
    SECTION_COST,
    SECTION_MODELS,
    SECTION_OWNERSHIP,
    SECTION_PLANT,
    SECTION_PRICE,
    Analysis,
    analyse,
    figure_text,
)
from alliancelib.topics.india.charts import MAIN_CHART_PARAMS, figures, main_chart
from alliancelib.topics.india.inputs import (
    CrossCheck,
    completion,
    cross_check,
    implied_annual_output,
    output_reached,
    precise_date,
    stake_before,
    stake_before_completion,
    years_between,
)
from alliancelib.topics.india.model import (
    A_THIRD_OF_480K,
    ADDED_FIXED_COST_HIGH_PCT,
    FY2024_SOLD_PLUS_EXPORTED,
    INPUTS,
    MODELS_BUILT_TODAY,
    NOTEBOOK,
    OPTIONAL_RESULTS,
    RENAULT_2022_PER_MODEL,
    RESULT_NAMES,
    RESULTS,
    TOPIC,
    IndiaParams,
    added_fixed_cost_breakeven_pct,
    conclusions,
    five_launches,
    fixed_cost_change_pct,
    fixed_cost_index,
    headline,
    models_to_target,
    models_to_target_array,
    parameters_in,
    per_model_breakeven_units,
    recorded_ranges,
    rounding_span_pct,
    target_lift_breakeven_pct,
    utilisation_pct,
    validate_params,
    volume_after,
)
from alliancelib.topics.india.tables import tornado_table

__all__ = [
    "ADDED_FIXED_COST_HIGH_PCT",
    "A_THIRD_OF_480K",
    "MODELS_BUILT_TODAY",
    "FY2024_SOLD_PLUS_EXPORTED",
    "INPUTS",
    "MAIN_CHART_PARAMS",
    "NOTEBOOK",
    "OPTIONAL_RESULTS",
    "RENAULT_2022_PER_MODEL",
    "RESULTS",
    "RESULT_NAMES",
    "SECTION_BOUGHT",
    "SECTION_COST",
    "SECTION_MODELS",
    "SECTION_OWNERSHIP",
    "SECTION_PLANT",
    "SECTION_PRICE",
    "SECTION_APPENDIX",
    "TOPIC",
    "Analysis",
    "CrossCheck",
    "IndiaParams",
    "analyse",
    "completion",
    "added_fixed_cost_breakeven_pct",
    "conclusions",
    "five_launches",
    "cross_check",
    "figure_text",
    "figures",
    "fixed_cost_change_pct",
    "fixed_cost_index",
    "headline",
    "implied_annual_output",
    "main_chart",
    "models_to_target",
    "models_to_target_array",
    "output_reached",
    "parameters_in",
    "per_model_breakeven_units",
    "precise_date",
    "recorded_ranges",
    "rounding_span_pct",
    "stake_before",
    "stake_before_completion",
    "target_lift_breakeven_pct",
    "tornado_table",
    "utilisation_pct",
    "validate_params",
    "volume_after",
    "years_between",
]
