"""Notebook 02, the India transfer: what Renault bought when it took Nissan's 51% of RNAIPL, the
company that owns the Chennai (Oragadam) plant; how busy the plant is; and what the new models would
change.

What Renault bought is a share of a plant company's **result** (its profit or loss), not its
vehicles: its share goes from 49% to 100%, with control of what the plant builds, while Nissan's
models built there become a customer's volume. The plant economics are shown without inventing a
cost: fixed cost per vehicle as an index of volume, which holds for any fixed cost base.

The package, as every topic package (``docs/architecture.md``):

- :mod:`.model`: the pure functions, the parameters (:class:`IndiaParams`, :func:`validate_params`),
  :func:`headline`, :data:`RESULTS` and :func:`conclusions`;
- :mod:`.inputs`: what it reads from ``data/`` (the stake before, the cumulative totals, the facts);
- :mod:`.analysis`: :func:`analyse`, the tables and the decisions the text needs;
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
    SECTION_BOUGHT,
    SECTION_COST,
    SECTION_MODELS,
    SECTION_OWNERSHIP,
    SECTION_PLANT,
    SECTION_PRICE,
    SECTION_SURE,
    Analysis,
    analyse,
    figure_text,
    summary_table,
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
    FY2024_SOLD_PLUS_EXPORTED,
    INPUTS,
    NOTEBOOK,
    OPTIONAL_RESULTS,
    RENAULT_2022_PER_MODEL,
    RESULT_NAMES,
    RESULTS,
    TOPIC,
    IndiaParams,
    conclusions,
    fixed_cost_change_pct,
    fixed_cost_index,
    headline,
    models_to_target,
    models_to_target_array,
    parameters_in,
    recorded_ranges,
    rounding_span_pct,
    utilisation_pct,
    validate_params,
    volume_after,
)

__all__ = [
    "A_THIRD_OF_480K",
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
    "SECTION_SURE",
    "TOPIC",
    "Analysis",
    "CrossCheck",
    "IndiaParams",
    "analyse",
    "completion",
    "conclusions",
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
    "precise_date",
    "recorded_ranges",
    "rounding_span_pct",
    "stake_before",
    "stake_before_completion",
    "summary_table",
    "utilisation_pct",
    "validate_params",
    "volume_after",
    "years_between",
]
