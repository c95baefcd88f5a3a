"""Notebook 02's model: the pure functions of the plant's economics, the parameters and their rules,
the results, :func:`headline` and the conclusions the findings test.

Volumes are vehicles a year (``_units``); capacity is the plant's installed capacity a year;
utilisation = volume / capacity x 100::

    volume after          = base volume + (new Renault models + new Nissan models) x units per new model
    utilisation           = volume / capacity x 100
    spare capacity        = capacity - volume after
    fixed cost / vehicle  = ((1 + added fixed cost / 100) x base volume / volume after - 1) x 100
                            (change, %; the added fixed cost is the new programmes' own, as a % of
                            the plant's fixed costs today)
    models to the target  = ceil((target / 100 x capacity - base volume) / units per new model)

and the break-evens, each the value of one input at which a conclusion flips::

    added fixed cost at which fixed cost per vehicle stops falling = (volume after / base - 1) x 100
    output at the target                = target / 100 x capacity
    vehicles per counted model to reach the target = (target / 100 x capacity - base) / models
    rise in output to reach the target  = (target / 100 x capacity / base - 1) x 100
    Renault's share of the plant company's result: before = the stake it held (49%, = 100 - the 51%
    bought), after = before + the stake bought

:func:`headline` computes them all with numpy broadcasting (one implementation for the notebook and
the uncertainty analysis).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np

from alliancelib.errors import ParameterError
from alliancelib.params import Integer, Number, Plausible, param, validate
from alliancelib.results import ResultSpec
from alliancelib.topics.india.inputs import (
    CrossCheck,
    cross_check,
    implied_annual_output,
    output_reached,
    stake_before,
)
from alliancelib.uncertainty import Assessment, Conclusion

NOTEBOOK = "02_india_transfer"
TOPIC = "india"

# --------------------------------------------------------------------------- pure functions


def utilisation_pct(volume_units: Any, capacity_units: Any) -> Any:
    """Volume as a share of capacity (%); works on numbers and numpy arrays.

    >>> utilisation_pct(133_000, 400_000)
    33.25
    """
    if np.any(np.asarray(capacity_units) <= 0):
        raise ValueError("capacity must be positive")
    return volume_units / capacity_units * 100


def volume_after(
    base_volume_units: Any, new_models: Any, units_per_new_model: Any, nissan_new_models: Any = 0
) -> Any:
    """Annual volume once the new models that add volume, Renault's and Nissan's, are built.

    >>> volume_after(133_000, 2, 25_000, 3)
    258000
    """
    return base_volume_units + (new_models + nissan_new_models) * units_per_new_model


def fixed_cost_index(base_volume_units: Any, volume_units: Any) -> Any:
    """Fixed cost per vehicle at ``volume_units`` as an index, the base volume = 100.

    A fixed cost F spread over V vehicles is F / V a vehicle; against the base volume V0 the
    index is (F / V) / (F / V0) x 100 = V0 / V x 100, whatever F is.

    >>> round(fixed_cost_index(133_000, 258_000), 2)
    51.55
    """
    return base_volume_units / volume_units * 100


def fixed_cost_change_pct(base_volume_units: Any, volume_units: Any, added_fixed_cost_pct: Any = 0.0) -> Any:
    """Change in fixed cost per vehicle going from the base volume to ``volume_units`` (%), when the
    new programmes add ``added_fixed_cost_pct`` (% of today's fixed costs) to the fixed costs:
    ((1 + added / 100) x base / volume - 1) x 100. With nothing added, the fixed costs cancel out.

    >>> round(fixed_cost_change_pct(133_000, 233_000), 1)
    -42.9
    >>> round(fixed_cost_change_pct(133_000, 233_000, 50), 1)
    -14.4
    """
    return ((1 + added_fixed_cost_pct / 100) * base_volume_units / volume_units - 1) * 100


def added_fixed_cost_breakeven_pct(base_volume_units: Any, volume_units: Any) -> Any:
    """The new programmes' fixed costs (% of today's) at which fixed cost per vehicle stops falling:
    the fixed costs may grow by as much as the volume, (volume / base - 1) x 100.

    >>> round(added_fixed_cost_breakeven_pct(133_000, 233_000), 1)
    75.2
    """
    return (volume_units / base_volume_units - 1) * 100


def per_model_breakeven_units(base: Any, models: Any, capacity: Any, target_pct: Any) -> Any:
    """Vehicles a year each of ``models`` new models must add for the plant to reach the target
    utilisation (NaN without a new model; 0 or less when the base already reaches it).

    >>> float(per_model_breakeven_units(133_000, 4, 400_000, 80))
    46750.0
    """
    models = np.asarray(models, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(
            models > 0, (target_pct / 100 * capacity - base) / np.where(models > 0, models, 1), np.nan
        )


def target_lift_breakeven_pct(base: Any, capacity: Any, target_pct: Any) -> Any:
    """The rise in output from the base (%) at which the plant reaches the target utilisation.

    >>> round(float(target_lift_breakeven_pct(133_000, 400_000, 80)), 1)
    140.6
    """
    return (target_pct / 100 * capacity / base - 1) * 100


def models_to_target(
    base_volume_units: float, units_per_new_model: float, capacity_units: float, target_utilisation_pct: float
) -> int | None:
    """Smallest whole number of new models (from the base volume) with which utilisation reaches
    the target; 0 if the base already does; None if no number does (no volume per model).

    >>> models_to_target(133_000, 25_000, 400_000, 80)
    8
    >>> models_to_target(350_000, 25_000, 400_000, 80), models_to_target(1, 0, 400_000, 80)
    (0, None)
    """
    out = models_to_target_array(
        base_volume_units, units_per_new_model, capacity_units, target_utilisation_pct
    )
    value = float(np.asarray(out).reshape(-1)[0])
    return None if math.isnan(value) else int(value)


def models_to_target_array(base: Any, per: Any, capacity: Any, target: Any) -> np.ndarray:
    """:func:`models_to_target` on arrays (NaN where no number of models reaches the target)."""
    base, per, capacity, target = (np.asarray(x, dtype=float) for x in (base, per, capacity, target))
    needed = target / 100 * capacity - base
    reached = needed <= 1e-9 * np.maximum(1.0, capacity)
    with np.errstate(divide="ignore", invalid="ignore"):
        n = np.ceil(needed / np.where(per > 0, per, 1.0) - 1e-9)
    return np.where(reached, 0.0, np.where(per > 0, np.maximum(n, 1.0), np.nan))


# --------------------------------------------------------------------------- parameters

# sourced anchors of the plausible ranges (facts.csv; tests/test_india.py checks them against the data)
FY2024_SOLD_PLUS_EXPORTED = 128_000  # 82,000 sold in India + 46,000 exported, FY2023-24
A_THIRD_OF_480K = 160_000  # "about a third" (2025-03) of the larger capacity
RENAULT_2022_PER_MODEL = 37_000  # (84,000 + 28,000) / 3 Renault models, calendar 2022, rounded down
MODELS_BUILT_TODAY = 4  # plant_models.csv: Kwid, Triber, Kiger, Magnite
# the new programmes' fixed costs at most grow the plant's in proportion to its programmes: the four new
# ones counted at the defaults beside the four built today (the 2023 plan's USD 600m for six models
# puts about the same investment behind each programme), so at most 4 / 4 = 100%
ADDED_FIXED_COST_HIGH_PCT = 100.0


@dataclass(frozen=True)
class IndiaParams:
    """Parameters of ``02_india_transfer``."""

    capacity_units: int = param(
        400000,
        Integer(minimum=1),
        "installed capacity, vehicles a year (Renault: over 400000; PTI: 480000; Reuters: 500000)",
        label="Plant capacity",
        unit="vehicles/yr",
        plausible=Plausible(
            400_000,
            500_000,
            'Renault "over 400,000" (2025) vs Reuters 500,000 (2026-01); '
            "PTI and carandbike's 480,000 lie between",
            "conflict",
        ),
    )
    base_volume_units: int = param(
        133000,
        Integer(minimum=1),
        "assumption: output before the new models, vehicles a year (about a third of capacity)",
        label="Output before the new models",
        unit="vehicles/yr",
        plausible=Plausible(
            FY2024_SOLD_PLUS_EXPORTED,
            A_THIRD_OF_480K,
            "128,000 sold and exported (FY2023-24); 149,000 a year from the cumulative "
            "output 2023-25; about a third of 400,000-480,000 (2025)",
            "spread",
        ),
    )
    new_models: int = param(
        2,
        Integer(minimum=0, maximum=50),
        "new Renault models at Chennai that add volume (replacements excluded)",
        label="New Renault models that add volume",
        unit="models",
        plausible=Plausible(
            1,
            3,
            "Of the four announced, the new Triber replaces the Triber and the "
            "Duster returns; the Kiger facelift replaces the Kiger (whether it is one of the "
            "four is not stated); the others are not named (the Bridger is planned for India "
            "by end-2027)",
            "judgement",
        ),
    )
    units_per_new_model: int = param(
        25000,
        Integer(minimum=0),
        "assumption: vehicles a year each new model adds",
        label="Vehicles a year per new model",
        unit="vehicles/yr",
        plausible=Plausible(
            15_000,
            RENAULT_2022_PER_MODEL,
            "A niche model up to Renault's 2022 average of about 37,000 a "
            "model (84,000 sold + 28,000 exported over three models)",
            "judgement",
        ),
    )
    stake_acquired_pct: float = param(
        51.0,
        Number(minimum=0, maximum=100, exclusive_minimum=True),
        "stake in RNAIPL Renault buys from Nissan (%)",
        label="Stake Renault buys from Nissan",
        unit="%",
    )
    target_utilisation_pct: float = param(
        80.0,
        Number(minimum=0, maximum=100, exclusive_minimum=True),
        "assumption: utilisation the plant should reach (%)",
        label="Target utilisation",
        unit="%",
        plausible=Plausible(
            70.0,
            100.0,
            "80% as a working level below full; Renault's India head aims at full capacity by 2030",
            "judgement",
        ),
    )
    nissan_new_models: int = param(
        2,
        Integer(minimum=0, maximum=50),
        "new Nissan models built at Chennai that add volume (Gravite, Tekton, 7-seat C-SUV)",
        label="New Nissan models that add volume",
        unit="models",
        plausible=Plausible(
            1,
            3,
            "The Gravite is on sale (March 2026); the Tekton (mid-2026) and a 7-seat C-SUV (2027) are plans",
            "judgement",
        ),
    )
    added_fixed_cost_pct: float = param(
        50.0,
        Number(minimum=0, maximum=500),
        "assumption: the new programmes' own annual fixed costs, % of the plant's fixed costs today",
        label="New programmes' fixed costs",
        unit="%",
        plausible=Plausible(
            0.0,
            ADDED_FIXED_COST_HIGH_PCT,
            "No source gives the plant's costs. 0: the new models share today's tooling; 100: four new "
            "programmes add as much as the four built today (the 2023 plan: USD 600m for six models)",
            "judgement",
        ),
    )


def validate_params(**values: Any) -> IndiaParams:
    """Validate the notebook's parameters, including the stake after the purchase and the
    volume against capacity (before and after the new models)."""
    __tracebackhide__ = True
    return validate(
        IndiaParams, NOTEBOOK, values, rules=[_rule_capacity, _rule_stake, _rule_base, _rule_volume_after]
    )


def _rule_capacity(p: IndiaParams) -> None:
    __tracebackhide__ = True
    floor = output_reached()
    if p.capacity_units < floor:
        raise ParameterError(
            NOTEBOOK,
            "capacity_units",
            p.capacity_units,
            f"at least {floor:.0f}: the plant built {floor:,.0f} vehicles in a year (its peak in FY2016-17, "
            "or "
            "its average to 2023, as the sources read it), so its capacity cannot be smaller",
        )


def _rule_stake(p: IndiaParams) -> None:
    __tracebackhide__ = True
    before = stake_before()
    if before + p.stake_acquired_pct > 100 + 1e-9:
        raise ParameterError(
            NOTEBOOK,
            "stake_acquired_pct",
            p.stake_acquired_pct,
            f"more than 0 and at most {100 - before:g}: Renault held {before:g}% before the purchase and "
            "cannot hold more than 100%",
        )


def _rule_base(p: IndiaParams) -> None:
    __tracebackhide__ = True
    if p.base_volume_units > p.capacity_units:
        raise ParameterError(
            NOTEBOOK,
            "base_volume_units",
            p.base_volume_units,
            f"1 to capacity_units ({p.capacity_units}): the plant cannot build more than its capacity",
        )


def _rule_volume_after(p: IndiaParams) -> None:
    __tracebackhide__ = True
    after = volume_after(p.base_volume_units, p.new_models, p.units_per_new_model, p.nissan_new_models)
    if after > p.capacity_units:
        room = p.capacity_units - p.base_volume_units
        most = room // p.units_per_new_model if p.units_per_new_model else 0
        raise ParameterError(
            NOTEBOOK,
            "units_per_new_model",
            p.units_per_new_model,
            f"a volume within capacity: base_volume_units + (new_models + nissan_new_models) x "
            f"units_per_new_model = {p.base_volume_units} + ({p.new_models} + {p.nissan_new_models}) x "
            f"{p.units_per_new_model} = {after} vehicles a year exceeds capacity_units = {p.capacity_units}; "
            f"at most {most} new models of this size fit",
        )


# --------------------------------------------------------------------------- results

RESULTS = [
    ResultSpec("renault_stake_after_pct", "%", "Renault's stake in the plant company after the purchase", 0),
    ResultSpec(
        "renault_share_of_plant_result_before_pct",
        "%",
        "Renault's share of the plant company's profit or loss before the purchase",
        0,
    ),
    ResultSpec(
        "renault_share_of_plant_result_after_pct",
        "%",
        "Renault's share of the plant company's profit or loss after the purchase",
        0,
    ),
    ResultSpec("utilisation_before_pct", "%", "Plant utilisation before the new models", 0),
    ResultSpec("volume_after_units", "vehicles/yr", "Plant output with the new models that add volume", 0),
    ResultSpec("utilisation_after_pct", "%", "Plant utilisation with the new models", 1),
    ResultSpec("spare_capacity_units", "vehicles/yr", "Capacity left unused with the new models", 0),
    ResultSpec(
        "fixed_cost_per_vehicle_change_pct", "%", "Change in fixed cost per vehicle with the new models", 0
    ),
    ResultSpec(
        "new_models_to_target", "models", "New models of the assumed size needed to reach the target", 0
    ),
    ResultSpec(
        "utilisation_gap_to_target_pp", "pp", "Target utilisation minus utilisation with the new models", 0
    ),
    ResultSpec(
        "implied_output_2023_2025_thousand_units",
        "thousand vehicles/yr",
        "Average output implied by the cumulative totals, July 2023 to August 2025",
        0,
    ),
    ResultSpec(
        "implied_utilisation_2023_2025_pct",
        "%",
        "Utilisation implied by the cumulative totals, July 2023 to August 2025",
        0,
    ),
    ResultSpec(
        "exports_share_of_output_pct", "%", "Share of all vehicles built at Chennai that were exported", 0
    ),
    ResultSpec(
        "added_fixed_cost_breakeven_pct",
        "%",
        "New programmes' fixed costs (% of today's) above which fixed cost per vehicle rises",
        0,
    ),
    ResultSpec(
        "target_output_breakeven_units", "vehicles/yr", "Output at which the plant reaches the target", 0
    ),
    ResultSpec(
        "per_model_volume_breakeven_units",
        "vehicles/yr",
        "Vehicles a year each counted new model must add for the plant to reach the target",
        0,
    ),
    ResultSpec(
        "target_lift_breakeven_pct",
        "%",
        "Rise in output from today's at which the plant reaches the target",
        0,
    ),
    ResultSpec(
        "five_launches_output_units",
        "vehicles/yr",
        "Output after the reported 50% lift from five launches, from the output assumed today",
        0,
    ),
    ResultSpec(
        "five_launches_utilisation_pct", "%", "Utilisation after the reported 50% lift from five launches", 0
    ),
    ResultSpec(
        "five_launches_per_launch_units",
        "vehicles/yr",
        "Vehicles a year each of the five launches adds, as the reported 50% lift implies",
        0,
    ),
    ResultSpec(
        "nissan_exports_annualised_units",
        "vehicles/yr",
        "Nissan's exports from India in December 2025 (a decade-high month) times 12",
        0,
    ),
]
OPTIONAL_RESULTS: tuple[str, ...] = ("new_models_to_target", "per_model_volume_breakeven_units")
RESULT_NAMES = tuple(s.name for s in RESULTS)

INPUTS = (
    "capacity_units",
    "base_volume_units",
    "new_models",
    "units_per_new_model",
    "stake_acquired_pct",
    "target_utilisation_pct",
    "nissan_new_models",
    "added_fixed_cost_pct",
)


def headline(p: IndiaParams, **draws: Any) -> dict[str, Any]:
    """The headline results; any parameter may be replaced by a numpy array in ``draws``.

    One implementation of each formula: :func:`analyse` and the uncertainty analysis call it.
    Validated parameters keep the volume within capacity; in a draw of the uncertainty analysis
    where the new models would need more than the capacity, the plant is counted as full (it
    builds at most its capacity), so utilisation never passes 100%.
    """
    q = {name: np.asarray(draws.get(name, getattr(p, name)), dtype=float) for name in INPUTS}
    cap = q["capacity_units"]
    base = np.minimum(q["base_volume_units"], cap)
    per = q["units_per_new_model"]
    demand = volume_after(base, q["new_models"], per, q["nissan_new_models"])
    volume = np.minimum(demand, cap)
    before = stake_before()
    utilisation = utilisation_pct(volume, cap)
    check = cross_check()
    f = five_launches()
    target_units = q["target_utilisation_pct"] / 100 * cap
    five = base * (1 + f["lift_pct"] / 100)
    out = {
        "renault_stake_after_pct": before + q["stake_acquired_pct"],
        "renault_share_of_plant_result_before_pct": np.full_like(q["stake_acquired_pct"], before),
        "renault_share_of_plant_result_after_pct": before + q["stake_acquired_pct"],
        "utilisation_before_pct": utilisation_pct(base, cap),
        "volume_after_units": volume,
        "utilisation_after_pct": utilisation,
        "spare_capacity_units": cap - volume,
        "fixed_cost_per_vehicle_change_pct": fixed_cost_change_pct(base, volume, q["added_fixed_cost_pct"]),
        "new_models_to_target": models_to_target_array(base, per, cap, q["target_utilisation_pct"]),
        "utilisation_gap_to_target_pp": q["target_utilisation_pct"] - utilisation,
        "implied_output_2023_2025_thousand_units": check.output / 1000,
        "implied_utilisation_2023_2025_pct": utilisation_pct(check.output, cap),
        "exports_share_of_output_pct": check.exports_share_pct,
        "added_fixed_cost_breakeven_pct": added_fixed_cost_breakeven_pct(base, volume),
        "target_output_breakeven_units": target_units,
        "per_model_volume_breakeven_units": per_model_breakeven_units(
            base, q["new_models"] + q["nissan_new_models"], cap, q["target_utilisation_pct"]
        ),
        "target_lift_breakeven_pct": target_lift_breakeven_pct(base, cap, q["target_utilisation_pct"]),
        "five_launches_output_units": five,
        "five_launches_utilisation_pct": utilisation_pct(np.minimum(five, cap), cap),
        "five_launches_per_launch_units": base * f["lift_pct"] / 100 / f["launches"],
        "nissan_exports_annualised_units": np.full_like(base, f["nissan_exports_month"] * 12),
    }
    if draws:
        return out
    scalars: dict[str, Any] = {k: float(np.asarray(v).reshape(-1)[0]) for k, v in out.items()}
    n = scalars["new_models_to_target"]
    scalars["new_models_to_target"] = None if math.isnan(n) else int(n)
    per = scalars["per_model_volume_breakeven_units"]
    scalars["per_model_volume_breakeven_units"] = None if math.isnan(per) else per
    return scalars


def five_launches() -> dict[str, float]:
    """The sourced anchors of the volume: the India head's "+50% from five launches" (the lift, %,
    and the number of launches) and Nissan's exports from India in December 2025 (vehicles)."""
    from alliancelib.data import fact

    return {
        "lift_pct": fact("rnaipl_five_launches_lift_pct"),
        "launches": fact("rnaipl_five_launches_count"),
        "nissan_exports_month": fact("nissan_india_exports_2025_12_units"),
    }


def rounding_span_pct(check: CrossCheck, capacities_units: tuple[float, float]) -> tuple[float, float]:
    """The utilisation (%) the cumulative totals allow once their rounding to a tenth of a million is
    taken into account: the fewest vehicles a year at the larger capacity, the most at the smaller.

    >>> import datetime as dt
    >>> cc = CrossCheck(2_500_000, 2_800_000, dt.date(2023, 7, 27), dt.date(2025, 8, 1), 0)
    >>> [round(x) for x in rounding_span_pct(cc, (400_000, 480_000))]
    [21, 50]
    """
    half = 50_000.0
    fewest = implied_annual_output(check.cumulative_start + half, check.cumulative_end - half, check.years)
    most = implied_annual_output(check.cumulative_start - half, check.cumulative_end + half, check.years)
    return (
        float(utilisation_pct(fewest, max(capacities_units))),
        float(utilisation_pct(most, min(capacities_units))),
    )


def conclusions(p: IndiaParams) -> list[Conclusion]:
    """The threshold statements the findings make (each with its break-even among the results;
    the technical appendix gives their share of the tested range); their words are the template's
    blocks ``conclusion_<key>``."""
    from alliancelib.core.prose import render
    from alliancelib.data import fact

    capacities = (fact("rnaipl_capacity_renault_units"), fact("rnaipl_capacity_reuters_units"))
    low, high = rounding_span_pct(cross_check(), capacities)  # the smallest and largest reported capacity
    lift = five_launches()["lift_pct"]
    return [
        Conclusion(
            "below_target",
            "utilisation_gap_to_target_pp",
            lambda gap: gap > 1e-9,
            render(TOPIC, "conclusion_below_target"),
        ),
        Conclusion(
            "cost_falls",
            "fixed_cost_per_vehicle_change_pct",
            lambda change: change < -1e-9,
            render(TOPIC, "conclusion_cost_falls"),
        ),
        Conclusion(
            "five_launches_short",
            "target_lift_breakeven_pct",
            lambda needed: needed > lift + 1e-9,
            render(TOPIC, "conclusion_five_launches_short", lift=lift),
        ),
        Conclusion(
            "room_left",
            "utilisation_after_pct",
            lambda u: u < 100 - 1e-9,
            render(TOPIC, "conclusion_room_left"),
        ),
        Conclusion(
            "third_checks",
            "implied_utilisation_2023_2025_pct",
            lambda u: (u >= 25) & (u <= 40),
            render(TOPIC, "conclusion_third_checks", rounding_low=low, rounding_high=high),
        ),
    ]


# how finely a recorded range is rounded (outwards): to what the evidence supports
RANGE_STEP = {"vehicles/yr": 1000.0, "%": 0.1, "pp": 0.1, "models": 1.0}


def recorded_ranges(a: Assessment) -> dict[str, tuple[float, float]]:
    """The range each varying result records (:meth:`Assessment.result_ranges`: its smallest and
    largest value over the stated ranges, the value at the parameters given included), rounded
    outwards (vehicles to the thousand, percentages to a tenth)."""
    units = {s.name: s.unit for s in RESULTS}
    values = {name: r.value for name, r in a.ranges.items()}
    out = {}
    for name, (low, high) in a.result_ranges().items():
        step = RANGE_STEP.get(units.get(name, ""), 0.0)
        if step:
            low, high = math.floor(low / step + 1e-9) * step, math.ceil(high / step - 1e-9) * step
            value = values.get(name)
            if value is not None:
                low, high = min(low, value), max(high, value)
        out[name] = (float(f"{low:.12g}"), float(f"{high:.12g}"))
    return out


def parameters_in(namespace: Any) -> dict[str, Any]:
    """The notebook's parameters as its parameters cell left them in ``namespace`` (``globals()``)."""
    from alliancelib.params import fields_of

    return {f.name: namespace[f.name] for f in fields_of(IndiaParams) if f.name in namespace}
