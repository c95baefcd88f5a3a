"""RNAIPL and the Chennai (Oragadam) plant: what Renault bought when it took Nissan's 51%, how busy
the plant is, and what the new models would change.

What Renault bought is a share of a plant company's **result** (its profit or loss), not its
vehicles: its share goes from 49% to 100%, with control of what the plant builds, while Nissan's
models built there become a customer's volume. The plant economics are shown without inventing a
cost: fixed cost per vehicle as an index of volume (:func:`fixed_cost_index`), which holds for any
fixed cost base.

Volumes are vehicles a year (``_units``); capacity is the plant's installed capacity a year;
utilisation = volume / capacity x 100. The notebook's formulas (``shared/BRIEF.md``, 02, v1 and
v2)::

    volume after          = base volume + (new Renault models + new Nissan models) x units per new model
    utilisation           = volume / capacity x 100
    spare capacity        = capacity - volume after
    fixed cost / vehicle  = (base volume / volume after - 1) x 100     (change, %)
    models to the target  = ceil((target / 100 x capacity - base volume) / units per new model)
    Renault's share of the plant company's result: before = the stake it held (49%, = 100 - the 51%
    bought), after = before + the stake bought

:func:`headline` computes them all with numpy broadcasting (one implementation for the notebook and
the uncertainty analysis); :func:`analyse` returns everything the notebook shows and
:func:`figures` draws its charts.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from alliancelib.analysis import Analysis as AnalysisBase
from alliancelib.analysis import say_date
from alliancelib.errors import ParameterError
from alliancelib.findings import Finding, anchor_for
from alliancelib.params import Integer, Number, Plausible, param, validate
from alliancelib.results import ResultSpec, format_number, format_quantity, make_results
from alliancelib.uncertainty import Assessment, Conclusion

NOTEBOOK = "02_india_transfer"

SECTION_BOUGHT = "What Renault bought: a plant's result, not its vehicles"
SECTION_OWNERSHIP = "From a 30/70 joint venture to a Renault plant"
SECTION_PLANT = "How busy the plant is, and a free cross-check"
SECTION_MODELS = "The volume scenario: only models that add volume count"
SECTION_COST = "Fixed cost per vehicle: why volume is the whole story"
SECTION_PRICE = "What the price is not"
SECTION_SURE = "How sure is this?"

COMPLETION = "2025-08-01"  # Renault completes the purchase (rnaipl_ownership.csv)


# --------------------------------------------------------------------------- pure functions


def utilisation_pct(volume_units: Any, capacity_units: Any) -> Any:
    """Volume as a share of capacity (%); works on numbers and numpy arrays.

    >>> utilisation_pct(133_000, 400_000)
    33.25
    """
    if np.any(np.asarray(capacity_units) <= 0):
        raise ValueError("capacity must be positive")
    return volume_units / capacity_units * 100


def volume_after(base_volume_units: Any, new_models: Any, units_per_new_model: Any,
                 nissan_new_models: Any = 0) -> Any:
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


def fixed_cost_change_pct(base_volume_units: Any, volume_units: Any) -> Any:
    """Change in fixed cost per vehicle going from the base volume to ``volume_units`` (%).

    >>> round(fixed_cost_change_pct(133_000, 233_000), 1)
    -42.9
    """
    return (base_volume_units / volume_units - 1) * 100


def models_to_target(base_volume_units: float, units_per_new_model: float,
                     capacity_units: float, target_utilisation_pct: float) -> int | None:
    """Smallest whole number of new models (from the base volume) with which utilisation reaches
    the target; 0 if the base already does; None if no number does (no volume per model).

    >>> models_to_target(133_000, 25_000, 400_000, 80)
    8
    >>> models_to_target(350_000, 25_000, 400_000, 80), models_to_target(1, 0, 400_000, 80)
    (0, None)
    """
    out = models_to_target_array(base_volume_units, units_per_new_model, capacity_units,
                                 target_utilisation_pct)
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


def stake_before_completion(ownership: pd.DataFrame, completion: str = COMPLETION) -> float:
    """Renault's RNAIPL stake (%) in force just before the completion date."""
    from alliancelib.data import parse_partial_date

    day = parse_partial_date(completion)
    rows = ownership[[parse_partial_date(d) < day for d in ownership["as_of"]]]
    rows = rows.assign(_day=[parse_partial_date(d) for d in rows["as_of"]]).sort_values("_day")
    return float(rows["renault_pct"].iloc[-1])


def precise_date(as_of: str, published: str) -> dt.date:
    """The most precise date of a figure: the source's publication day when it falls within the
    figure's (partial) as-of period, else the period's first day.

    >>> precise_date("2023-07", "2023-07-27"), precise_date("2025-08-01", "2025-08-01")
    (datetime.date(2023, 7, 27), datetime.date(2025, 8, 1))
    >>> precise_date("2023-07", "2024-01-02")
    datetime.date(2023, 7, 1)
    """
    from alliancelib.data import parse_partial_date

    if len(published) == 10 and published.startswith(as_of):
        return dt.date.fromisoformat(published)
    return parse_partial_date(as_of)


def years_between(start: dt.date, end: dt.date) -> float:
    """Years from ``start`` to ``end`` (days / 365.25).

    >>> round(years_between(dt.date(2023, 7, 27), dt.date(2025, 8, 1)), 4)
    2.0151
    """
    return (end - start).days / 365.25


def implied_annual_output(cumulative_start: float, cumulative_end: float, years: float) -> float:
    """Average output a year implied by two cumulative totals ``years`` apart.

    >>> round(implied_annual_output(2_500_000, 2_800_000, 2.0151))
    148876
    """
    if years <= 0:
        raise ValueError("the second total must come after the first")
    return (cumulative_end - cumulative_start) / years


# --------------------------------------------------------------------------- parameters

# sourced anchors of the plausible ranges (facts.csv; tests/test_india.py checks them against the data)
FY2024_SOLD_PLUS_EXPORTED = 128_000  # 82,000 sold in India + 46,000 exported, FY2023-24
A_THIRD_OF_480K = 160_000  # "about a third" (2025-03) of the larger capacity
RENAULT_2022_PER_MODEL = 37_000  # (84,000 + 28,000) / 3 Renault models, calendar 2022, rounded down


@dataclass(frozen=True)
class IndiaParams:
    """Parameters of ``02_india_transfer``."""

    capacity_units: int = param(
        400000, Integer(minimum=1),
        "installed capacity, vehicles a year (Renault: over 400000; PTI and carandbike: 480000)",
        label="Plant capacity", unit="vehicles/yr",
        plausible=Plausible(400_000, 480_000, 'Renault "over 400,000" (2025) vs PTI and carandbike 480,000',
                            "conflict"))
    base_volume_units: int = param(
        133000, Integer(minimum=1),
        "assumption: output before the new models, vehicles a year (about a third of capacity)",
        label="Output before the new models", unit="vehicles/yr",
        plausible=Plausible(FY2024_SOLD_PLUS_EXPORTED, A_THIRD_OF_480K,
                            "128,000 sold and exported (FY2023-24); 149,000 a year from the cumulative "
                            "output 2023-25; about a third of 400,000-480,000 (2025)", "spread"))
    new_models: int = param(
        2, Integer(minimum=0, maximum=50),
        "new Renault models at Chennai that add volume (replacements excluded)",
        label="New Renault models that add volume", unit="models",
        plausible=Plausible(1, 3, "Of the four announced, the new Triber replaces the Triber and the "
                            "Duster returns; the Kiger facelift replaces the Kiger (whether it is one of the "
                            "four is not stated); the others are not named (the Bridger is planned for India "
                            "by end-2027)", "judgement"))
    units_per_new_model: int = param(
        25000, Integer(minimum=0),
        "assumption: vehicles a year each new model adds",
        label="Vehicles a year per new model", unit="vehicles/yr",
        plausible=Plausible(15_000, RENAULT_2022_PER_MODEL,
                            "A niche model up to Renault's 2022 average of about 37,000 a "
                            "model (84,000 sold + 28,000 exported over three models)", "judgement"))
    stake_acquired_pct: float = param(
        51.0, Number(minimum=0, maximum=100, exclusive_minimum=True),
        "stake in RNAIPL Renault buys from Nissan (%)",
        label="Stake Renault buys from Nissan", unit="%")
    target_utilisation_pct: float = param(
        80.0, Number(minimum=0, maximum=100, exclusive_minimum=True),
        "assumption: utilisation the plant should reach (%)",
        label="Target utilisation", unit="%",
        plausible=Plausible(70.0, 100.0, "80% as a working level below full; Renault's India "
                            "head aims at full capacity by 2030", "judgement"))
    nissan_new_models: int = param(
        3, Integer(minimum=0, maximum=50),
        "new Nissan models built at Chennai that add volume (Gravite, Tekton, 7-seat C-SUV)",
        label="New Nissan models that add volume", unit="models",
        plausible=Plausible(1, 3, "The Gravite is on sale (March 2026); the Tekton (mid-2026) and a "
                            "7-seat C-SUV (2027) are plans", "judgement"))


def validate_params(**values: Any) -> IndiaParams:
    """Validate the notebook's parameters, including the stake after the purchase and the
    volume against capacity (before and after the new models)."""
    __tracebackhide__ = True
    return validate(IndiaParams, NOTEBOOK, values,
                    rules=[_rule_capacity, _rule_stake, _rule_base, _rule_volume_after])


@functools.lru_cache(maxsize=4)
def _stake_before(stamp: Any = None) -> float:
    from alliancelib.data import load

    return stake_before_completion(load("rnaipl_ownership"))


def stake_before() -> float:
    """Renault's RNAIPL stake before the purchase (%), from ``data/rnaipl_ownership.csv``."""
    from alliancelib.data import file_stamp

    return _stake_before(file_stamp("rnaipl_ownership.csv"))


def output_reached() -> float:
    """Vehicles the plant built in one year at least once: 192,000 is its peak (FY2016-17, a
    secondary copy) or its average to 2023 (Financial Express); on either reading some year reached
    it, so the plant's capacity cannot be smaller."""
    from alliancelib.data import fact

    return min(fact("rnaipl_output_avg_units"), fact("rnaipl_peak_output_units"))


def _rule_capacity(p: IndiaParams) -> None:
    __tracebackhide__ = True
    floor = output_reached()
    if p.capacity_units < floor:
        raise ParameterError(
            NOTEBOOK, "capacity_units", p.capacity_units,
            f"at least {floor:.0f}: the plant built {floor:,.0f} vehicles in a year (its peak in FY2016-17, "
            "or "
            "its average to 2023, as the sources read it), so its capacity cannot be smaller",
        )


def _rule_stake(p: IndiaParams) -> None:
    __tracebackhide__ = True
    before = stake_before()
    if before + p.stake_acquired_pct > 100 + 1e-9:
        raise ParameterError(
            NOTEBOOK, "stake_acquired_pct", p.stake_acquired_pct,
            f"more than 0 and at most {100 - before:g}: Renault held {before:g}% before the purchase and "
            "cannot hold more than 100%",
        )


def _rule_base(p: IndiaParams) -> None:
    __tracebackhide__ = True
    if p.base_volume_units > p.capacity_units:
        raise ParameterError(
            NOTEBOOK, "base_volume_units", p.base_volume_units,
            f"1 to capacity_units ({p.capacity_units}): the plant cannot build more than its capacity",
        )


def _rule_volume_after(p: IndiaParams) -> None:
    __tracebackhide__ = True
    after = volume_after(p.base_volume_units, p.new_models, p.units_per_new_model, p.nissan_new_models)
    if after > p.capacity_units:
        room = p.capacity_units - p.base_volume_units
        most = room // p.units_per_new_model if p.units_per_new_model else 0
        raise ParameterError(
            NOTEBOOK, "units_per_new_model", p.units_per_new_model,
            f"a volume within capacity: base_volume_units + (new_models + nissan_new_models) x "
            f"units_per_new_model = {p.base_volume_units} + ({p.new_models} + {p.nissan_new_models}) x "
            f"{p.units_per_new_model} = {after} vehicles a year exceeds capacity_units = {p.capacity_units}; "
            f"at most {most} new models of this size fit",
        )


# --------------------------------------------------------------------------- results

RESULTS = [
    ResultSpec("renault_stake_after_pct", "%", "Renault's stake in the plant company after the purchase", 0),
    ResultSpec("renault_share_of_plant_result_before_pct", "%",
               "Renault's share of the plant company's profit or loss before the purchase", 0),
    ResultSpec("renault_share_of_plant_result_after_pct", "%",
               "Renault's share of the plant company's profit or loss after the purchase", 0),
    ResultSpec("utilisation_before_pct", "%", "Plant utilisation before the new models", 0),
    ResultSpec("volume_after_units", "vehicles/yr", "Plant output with the new models that add volume", 0),
    ResultSpec("utilisation_after_pct", "%", "Plant utilisation with the new models", 1),
    ResultSpec("spare_capacity_units", "vehicles/yr", "Capacity left unused with the new models", 0),
    ResultSpec("fixed_cost_per_vehicle_change_pct", "%",
               "Change in fixed cost per vehicle with the new models", 0),
    ResultSpec("new_models_to_target", "models",
               "New models of the assumed size needed to reach the target", 0),
    ResultSpec("utilisation_gap_to_target_pp", "pp",
               "Target utilisation minus utilisation with the new models", 0),
    ResultSpec("implied_output_2023_2025_thousand_units", "thousand vehicles/yr",
               "Average output implied by the cumulative totals, July 2023 to August 2025", 0),
    ResultSpec("implied_utilisation_2023_2025_pct", "%",
               "Utilisation implied by the cumulative totals, July 2023 to August 2025", 0),
    ResultSpec("exports_share_of_output_pct", "%",
               "Share of all vehicles built at Chennai that were exported", 0),
]
OPTIONAL_RESULTS: tuple[str, ...] = ("new_models_to_target",)
RESULT_NAMES = tuple(s.name for s in RESULTS)

# why a result has no range
NO_RANGE = {
    "renault_stake_after_pct": "reported fact: no range",
    "renault_share_of_plant_result_before_pct": "reported fact: no range",
    "renault_share_of_plant_result_after_pct": "reported fact: no range",
    "implied_output_2023_2025_thousand_units": "from two reported totals, each rounded to a tenth of a "
                                               "million: "
                                               "about 100 to 200 thousand a year",
    "exports_share_of_output_pct": "from two reported totals: no range",
}

INPUTS = ("capacity_units", "base_volume_units", "new_models", "units_per_new_model", "stake_acquired_pct",
          "target_utilisation_pct", "nissan_new_models")


@dataclass(frozen=True)
class CrossCheck:
    """The reported cumulative totals and what they imply."""

    cumulative_start: float
    cumulative_end: float
    start: dt.date
    end: dt.date
    exports: float

    @property
    def years(self) -> float:
        return years_between(self.start, self.end)

    @property
    def output(self) -> float:
        return implied_annual_output(self.cumulative_start, self.cumulative_end, self.years)

    @property
    def exports_share_pct(self) -> float:
        return self.exports / self.cumulative_end * 100


@functools.lru_cache(maxsize=4)
def _cross_check(stamp: Any = None) -> CrossCheck:
    from alliancelib.data import load

    facts = load("facts").set_index("fact_id")
    published = load("sources").set_index("source_id")["date_published"]

    def dated(fact_id: str) -> tuple[float, dt.date]:
        row: Any = facts.loc[fact_id]
        return float(row["value"]), precise_date(str(row["as_of"]), str(published[row["source_id"]]))

    (c0, d0), (c1, d1) = dated("rnaipl_cumulative_2023_units"), dated("rnaipl_cumulative_2025_units")
    exports: Any = facts.at["rnaipl_exports_cumulative_units", "value"]
    return CrossCheck(c0, c1, d0, d1, float(exports))


def cross_check() -> CrossCheck:
    """The cumulative output figures of ``data/facts.csv`` (dated as precisely as their sources)."""
    from alliancelib.data import file_stamp

    return _cross_check(file_stamp("facts.csv", "sources.csv"))


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
    out = {
        "renault_stake_after_pct": before + q["stake_acquired_pct"],
        "renault_share_of_plant_result_before_pct": np.full_like(q["stake_acquired_pct"], before),
        "renault_share_of_plant_result_after_pct": before + q["stake_acquired_pct"],
        "utilisation_before_pct": utilisation_pct(base, cap),
        "volume_after_units": volume,
        "utilisation_after_pct": utilisation,
        "spare_capacity_units": cap - volume,
        "fixed_cost_per_vehicle_change_pct": fixed_cost_change_pct(base, volume),
        "new_models_to_target": models_to_target_array(base, per, cap, q["target_utilisation_pct"]),
        "utilisation_gap_to_target_pp": q["target_utilisation_pct"] - utilisation,
        "implied_output_2023_2025_thousand_units": check.output / 1000,
        "implied_utilisation_2023_2025_pct": utilisation_pct(check.output, cap),
        "exports_share_of_output_pct": check.exports_share_pct,
    }
    if draws:
        return out
    scalars: dict[str, Any] = {k: float(np.asarray(v).reshape(-1)[0]) for k, v in out.items()}
    n = scalars["new_models_to_target"]
    scalars["new_models_to_target"] = None if math.isnan(n) else int(n)
    return scalars


def rounding_span_pct(check: CrossCheck, capacities_units: tuple[float, float]) -> tuple[float, float]:
    """The utilisation (%) the cumulative totals allow once their rounding to a tenth of a million is
    taken into account: the fewest vehicles a year at the larger capacity, the most at the smaller.

    >>> cc = CrossCheck(2_500_000, 2_800_000, dt.date(2023, 7, 27), dt.date(2025, 8, 1), 0)
    >>> [round(x) for x in rounding_span_pct(cc, (400_000, 480_000))]
    [21, 50]
    """
    half = 50_000.0
    fewest = implied_annual_output(check.cumulative_start + half, check.cumulative_end - half, check.years)
    most = implied_annual_output(check.cumulative_start - half, check.cumulative_end + half, check.years)
    return (float(utilisation_pct(fewest, max(capacities_units))),
            float(utilisation_pct(most, min(capacities_units))))


def conclusions(p: IndiaParams) -> list[Conclusion]:
    """The threshold statements the findings make (their share of plausible cases is reported)."""
    from alliancelib.data import fact

    capacities = (fact("rnaipl_capacity_renault_units"), fact("rnaipl_capacity_carandbike_units"))
    low, high = rounding_span_pct(cross_check(), capacities)  # the two reported capacities
    return [
        Conclusion("below_target", "utilisation_gap_to_target_pp", lambda gap: gap > 1e-9,
                   "the models planned leave the plant below the target utilisation"),
        Conclusion("room_left", "utilisation_after_pct", lambda u: u < 100 - 1e-9,
                   "utilisation stays below 100%: the planned models fit in the plant"),
        Conclusion("third_checks", "implied_utilisation_2023_2025_pct", lambda u: (u >= 25) & (u <= 40),
                   "the cumulative totals, as reported, imply a utilisation of about a third (25-40%) at "
                   f"either capacity (their rounding alone allows {low:.0f}% to {high:.0f}%)"),
    ]


# --------------------------------------------------------------------------- words


def vehicles(value: float, step: int = 1000) -> str:
    """A number of vehicles rounded as the evidence supports (to the thousand by default).

    >>> vehicles(148_876), vehicles(258_000), vehicles(65_170, 10)
    ('149,000', '258,000', '65,170')
    """
    return format_number(int(round(float(value) / step) * step))


def pct(value: float, decimals: int = 0) -> str:
    """A percentage as the text shows it.

    >>> pct(64.4), pct(33.25, 2), pct(-48.45)
    ('64%', '33.25%', '−48%')
    """
    return format_quantity(float(value), "%", decimals)


def tex(value: float, decimals: int = 0) -> str:
    """A number for a LaTeX formula, thousands separated by a plain comma.

    >>> tex(258000.0), tex(0.8, 2)
    ('258{,}000', '0.80')
    """
    return f"{value:,.{decimals}f}".replace(",", "{,}")


def models_words(n: int) -> str:
    """``1 model``, ``5 models``.

    >>> models_words(1), models_words(5)
    ('1 model', '5 models')
    """
    return f"{n} model" if n == 1 else f"{n} models"


def share_words(value_pct: float) -> str:
    """A utilisation as a reader says it.

    >>> [share_words(v) for v in (33.25, 37.2, 48.0, 64.5)]
    ['about a third', 'about a third', 'about half', 'about two-thirds']
    >>> share_words(80.0), share_words(96.0)
    ('80%', 'nearly full')
    """
    for low, high, words in ((28.0, 38.0, "about a third"), (45.0, 55.0, "about half"),
                             (62.0, 70.0, "about two-thirds"), (95.0, 100.0, "nearly full")):
        if low <= value_pct < high:
            return words
    return pct(value_pct)


def whole(value: float) -> str:
    """A number rounded to a whole one, halves up (as readers round; Python's round() goes to even).

    >>> whole(64.5), whole(51.55), whole(-48.45)
    ('65', '52', '−48')
    """
    return format_number(math.floor(float(value) + 0.5 + 1e-9))


def whole_pct(value: float) -> str:
    """A percentage rounded to a whole one, halves up (chart labels).

    >>> whole_pct(64.5), whole_pct(33.25)
    ('65%', '33%')
    """
    return whole(value) + "%"


def fraction_words(change_pct: float) -> str:
    """A fall in fixed cost per vehicle as a reader says it.

    >>> fraction_words(-48.4), fraction_words(-42.9), fraction_words(-30.0), fraction_words(-5.0)
    ('about half', 'more than two-fifths', 'about 30%', 'about 5%')
    """
    fall = -float(change_pct)
    if 45 <= fall < 55:
        return "about half"
    if 40 <= fall < 45:
        return "more than two-fifths"
    return f"about {pct(fall)}"


def _target_sentence(below: Any, robustness: str) -> str:
    """The verdict on the target, worded for the values set: a scenario that meets the target at its
    own values must not read "the planned models leave it below the target"."""
    from alliancelib.uncertainty import percent

    if below.holds_at_default or below.share is None:
        return f"The planned models leave it below the target: {_lower_first(robustness)}"
    return ("At these values the plant reaches the target; across the plausible ranges it stays below it "
            f"in {percent(below.share)} of cases, so reaching it rests on these values.")


def _which_models(n: int, named: str) -> str:
    """Which Renault models the count stands for, in brackets (empty where the count is not 1-3).

    >>> _which_models(2, "New Duster"), _which_models(0, "New Duster")
    (' (the New Duster and one not yet confirmed for Chennai, such as the Bridger)', '')
    """
    return {1: f" (the {named})",
            2: f" (the {named} and one not yet confirmed for Chennai, such as the Bridger)",
            3: f" (the {named} and two not yet named)"}.get(int(n), "")


# --------------------------------------------------------------------------- the analysis


@dataclass(frozen=True, kw_only=True)
class Analysis(AnalysisBase):
    """Everything notebook 02 shows, computed once from the parameters."""

    p: IndiaParams
    grid: pd.DataFrame  # utilisation by number of new models and units per model, for the heat map
    check: CrossCheck


# how finely a recorded range is rounded (outwards): Monte Carlo percentiles are estimates
RANGE_STEP = {"vehicles/yr": 1000.0, "%": 0.1, "pp": 0.1, "models": 1.0}


def recorded_ranges(a: Assessment) -> dict[str, tuple[float, float]]:
    """The range each varying result records (:meth:`Assessment.result_ranges`: the 5th to 95th
    percentile, widened to include the value at the parameters given), rounded outwards to what a
    Monte Carlo estimate supports (vehicles to the thousand, percentages to a tenth)."""
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


def _fmt(spec: ResultSpec, value: float) -> str:
    if spec.unit == "vehicles/yr":
        return f"{vehicles(value)} vehicles a year"
    return format_quantity(value, spec.unit, spec.decimals)


def _chart_fmt(spec: ResultSpec, value: float) -> str:
    """The range chart's numbers: vehicles without the unit (the row's label names them)."""
    if spec.unit == "vehicles/yr":
        return vehicles(value)
    return format_quantity(value, spec.unit, spec.decimals)


def _span(spec: ResultSpec, low: float, high: float) -> str:
    """A recorded range as text, the unit written once."""
    if spec.unit == "vehicles/yr":
        return f"{vehicles(low)} to {vehicles(high)} vehicles a year"
    low_text = format_quantity(low, spec.unit, spec.decimals)
    return f"{low_text} to {format_quantity(high, spec.unit, spec.decimals)}"


def range_words(a: Assessment, spec: ResultSpec) -> str:
    """One sentence on a result's recorded range and the inputs that decide it."""
    from alliancelib.uncertainty import in_sentence

    ranges = recorded_ranges(a)
    if spec.name not in ranges:
        return NO_RANGE.get(spec.name, "No uncertain input moves it.")
    low, high = ranges[spec.name]
    text = f"{_span(spec, low, high)} in 90% of plausible cases, the value set included"
    deciding = [in_sentence(a.labels.get(i, i)) for i in a.deciding(spec.name)[:2]]
    if deciding:
        text += "; decided mostly by " + " and ".join(deciding)
    return text[:1].upper() + text[1:] + "."


def summary_table(a: Assessment) -> pd.DataFrame:
    """Every result with its value, its range (as recorded) or why it has none, and its deciding
    inputs (the uncertainty module's columns)."""
    ranges = recorded_ranges(a)
    rows = []
    for s in RESULTS:
        r = a.ranges[s.name]
        span = (_span(s, *ranges[s.name]) if s.name in ranges
                else NO_RANGE.get(s.name, "no uncertain input moves it"))
        deciding = ", ".join(a.labels.get(i, i) for i in a.deciding(s.name)[:3]) if s.name in ranges else ""
        rows.append({"result_label": s.label, "value_text": "none" if r.value is None else _fmt(s, r.value),
                     "range_text": span, "deciding_inputs": deciding})
    return pd.DataFrame(rows, columns=["result_label", "value_text", "range_text", "deciding_inputs"])


def _facts() -> dict[str, float]:
    from alliancelib.data import load

    facts = load("facts")
    return dict(zip(facts["fact_id"], facts["value"].astype(float), strict=True))


def _ownership_table(own: pd.DataFrame) -> pd.DataFrame:
    return own[["as_of", "renault_pct", "nissan_pct", "event", "source_id"]].reset_index(drop=True)


def _what_changed(before: float, after: float, f: Mapping[str, float]) -> pd.DataFrame:
    """The deal's economics in three rows: before and after."""
    rows = [
        ("Renault's share of the plant company's profit or loss", pct(before), pct(after)),
        ("Who owns the plant company", f"Renault {pct(before)}, Nissan {pct(100 - before)}",
         "Renault alone (no source describes its governance)"),
        ("Nissan's place at the plant", f"co-owner ({pct(100 - before)})",
         "customer: its models are built in Renault's plant (our reading; no supply terms in the sources)"),
        ("The engineering centre (RNTBCI)",
         f"Renault {pct(f['rntbci_renault_pct'])}, Nissan {pct(100 - f['rntbci_renault_pct'])}", "unchanged"),
    ]
    return pd.DataFrame(rows, columns=["india_aspect", "india_before", "india_after"])


CAPACITY_IDS = ("rnaipl_capacity_renault_units", "rnaipl_capacity_motorfan_units",
                "rnaipl_capacity_carandbike_units", "rnaipl_capacity_newsdrum_units",
                "rnaipl_capacity_reuters_units")
OUTPUT_IDS = ("rnaipl_utilisation_2023_pct", "rnaipl_utilisation_2023_06_pct", "rnaipl_utilisation_2025_pct",
              "rnaipl_output_avg_units", "rnaipl_peak_output_units", "rnaipl_domestic_fy2024_units",
              "rnaipl_exports_fy2024_units", "renault_india_domestic_2022_units",
              "renault_india_exports_2022_units", "rnaipl_cumulative_2023_units",
              "rnaipl_cumulative_2025_units", "rnaipl_exports_cumulative_units", "rnaipl_export_destinations",
              "nissan_india_exports_2025_12_units")


def figure_text(value: float, unit: str, note: str) -> str:
    """A fact's figure with its unit in a reader's words (and "about" where the source says so).

    >>> figure_text(400000.0, "units/yr", '"Over 400,000" units a year')
    'over 400,000 vehicles a year'
    >>> figure_text(33.3, "%", '"About a third"')
    'about a third'
    >>> figure_text(2500000.0, "units", ""), figure_text(108.0, "countries", "")
    ('2,500,000 vehicles', '108 countries')
    >>> figure_text(480000.0, "units/yr", '"4.8 lakh"; CONFLICTS with "over 400,000"')
    '480,000 vehicles a year'
    """
    lowered = note.lower()
    if unit == "%" and lowered.startswith('"about a third'):
        return "about a third"
    qualifier = "over " if lowered.startswith('"over') else ("about " if lowered.startswith('"about') else "")
    if unit == "units/yr":
        return f"{qualifier}{format_number(int(value))} vehicles a year"
    if unit == "units":
        return f"{qualifier}{format_number(int(value))} vehicles"
    if unit == "%":
        return f"{qualifier}{pct(value)}"
    return f"{qualifier}{format_quantity(value, unit, 0)}"


def _facts_table(facts: pd.DataFrame, ids: Sequence[str]) -> pd.DataFrame:
    """Facts in a reader's words: what, figure, as of, a note where sources conflict or are
    secondary, source."""
    rows = []
    sub = facts.set_index("fact_id")
    for fid in ids:
        r: Any = sub.loc[fid]
        full = str(r["note"] or "")
        keep = any(word in full for word in ("CONFLICT", "econdary", "conversion", "Renault brand"))
        note = full.replace("CONFLICTS", "conflicts") if keep else ""
        figure = figure_text(float(r["value"]), r["unit"], full)
        rows.append({"description": r["description"], "india_figure": figure,
                     "as_of": r["as_of"], "note": note[:1].upper() + note[1:], "source_id": r["source_id"]})
    return pd.DataFrame(rows)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _models_table(models: pd.DataFrame) -> pd.DataFrame:
    """Models built and planned, with their role in the volume scenario."""
    def role(r: Any) -> str:
        if r["status"] == "built":
            return "built today (in the base volume)"
        if isinstance(r["replaces"], str) and r["replaces"]:
            return f"replaces the {r['replaces']}: adds no volume"
        return f"adds volume ({r['brand']})"

    out = models.copy()
    out["india_role"] = [role(r) for _, r in out.iterrows()]
    order = {"built": 0, "launched": 1, "planned": 2}
    out = out.assign(_o=out["status"].map(order)).sort_values(["_o", "brand", "model"], kind="stable")
    columns = ["brand", "model", "status", "launch", "replaces", "india_role", "source_id"]
    return out[columns].reset_index(drop=True)


def _output_rows(p: IndiaParams, f: Mapping[str, float], check: CrossCheck, vol_after: float) -> pd.DataFrame:
    """The output measures of the bullet chart (vehicles a year), oldest first."""
    rows = [
        ("Peak (FY2016-17, secondary) or average to 2023 (Financial Express)", f["rnaipl_output_avg_units"],
         None),
        ("Sold in India and exported, FY2023-24",
         f["rnaipl_domestic_fy2024_units"] + f["rnaipl_exports_fy2024_units"], None),
        ("Average July 2023 to August 2025, from the cumulative totals", check.output, None),
        ("Output before the new models (an assumption)", float(p.base_volume_units), None),
        (f"With {p.new_models + p.nissan_new_models} new models (this scenario)", vol_after, None),
    ]
    return pd.DataFrame(rows, columns=["label", "units", "note"])


def _grid(p: IndiaParams, max_models: int) -> pd.DataFrame:
    """Utilisation (%) by number of new models that add volume and vehicles a year per model,
    at the capacity and base volume chosen (values above 100 mean the models do not fit)."""
    per = np.array(sorted({15_000, 20_000, 25_000, 30_000, 35_000, 40_000, int(p.units_per_new_model)}))
    n = np.arange(max_models + 1)
    nn, pp = np.meshgrid(n, per, indexing="ij")
    util = utilisation_pct(p.base_volume_units + nn * pp, p.capacity_units)
    return pd.DataFrame({"models": nn.ravel(), "per_model": pp.ravel(), "utilisation_pct": util.ravel()})


def analyse(p: IndiaParams) -> Analysis:
    """Everything notebook 02 shows, computed once (results, ranges, findings, tables, texts)."""
    from alliancelib import fx, uncertainty
    from alliancelib.data import load, news_as_of
    from alliancelib.report import sources_used

    v = headline(p)
    concl = conclusions(p)
    a = uncertainty.assess(p, headline, results=RESULTS, conclusions=concl)
    ranges = recorded_ranges(a)
    results = make_results(RESULTS, v, ranges=ranges, no_range=NO_RANGE)

    f = _facts()
    facts = load("facts")
    own = load("rnaipl_ownership")
    models = load("plant_models")
    events = load("events")
    gaps = load("gaps")
    gaps = gaps[gaps["topic"] == "india"].reset_index(drop=True)
    check = cross_check()
    before = stake_before()
    inr = fx.ecb_rate("INR", "2023-02-13")
    usd = fx.ecb_rate("USD", "2023-02-13")
    plan_usd_m = f["india_plan_2023_inr_crore"] * 10 / inr.rate_per_eur * usd.rate_per_eur

    added = p.new_models + p.nissan_new_models
    vol_after = float(v["volume_after_units"])
    util_before, util_after = float(v["utilisation_before_pct"]), float(v["utilisation_after_pct"])
    change = float(v["fixed_cost_per_vehicle_change_pct"])
    to_target = v["new_models_to_target"]
    anchors = {key: anchor_for(title) for key, title in (
        ("bought", SECTION_BOUGHT), ("plant", SECTION_PLANT), ("models", SECTION_MODELS),
        ("cost", SECTION_COST), ("price", SECTION_PRICE))}

    renault_new = models[(models["brand"] == "Renault") & (models["status"] != "built")]
    nissan_new = models[(models["brand"] == "Nissan") & (models["status"] != "built")]
    replacing = renault_new[renault_new["replaces"].fillna("") != ""]
    adding_renault = renault_new[renault_new["replaces"].fillna("") == ""]
    adding_nissan = nissan_new[nissan_new["replaces"].fillna("") == ""]

    def robust(key: str) -> str:
        return uncertainty.robustness_sentence(a, key)

    # ---- key findings
    f1 = Finding(
        "plant-result",
        "Renault bought a plant's result, not its vehicles: its share of the Chennai plant company's profit "
        "or "
        f"loss goes from **{pct(v['renault_share_of_plant_result_before_pct'])} to "
        f"{pct(v['renault_share_of_plant_result_after_pct'])}**, as the plant company's sole owner. "
        f"With the plant at **{share_words(util_before)}** of capacity, that is mostly an under-used "
        "fixed-cost "
        "base; Nissan's models built there are now a customer's volume, not Renault's sales. Reported facts: "
        "no "
        "range.",
        anchor=anchors["bought"], headline=True)
    to_target_words = (f"reaching the {pct(p.target_utilisation_pct)} target would take "
                       f"**{to_target}** new models of that size" if to_target is not None else
                       f"no number of new models of that size reaches the {pct(p.target_utilisation_pct)} "
                       "target")
    below = a.verdicts["below_target"]
    f2 = Finding(
        "volume-scenario",
        f"Counting only models that add volume, {p.new_models} from Renault and {p.nissan_new_models} from "
        "Nissan, at "
        f"{vehicles(p.units_per_new_model)} vehicles a year each, the plant would build about "
        f"**{vehicles(vol_after)}** vehicles a year, **{pct(util_after, 1)}** of capacity, and fixed cost "
        "per vehicle "
        f"would fall by **{fraction_words(change)}**; {to_target_words}. "
        f"{_target_sentence(below, robust('below_target'))}",
        anchor=anchors["models"],
        holds_pct=None if below.share is None else below.share * 100, flips=a.flips("below_target"))
    third = a.verdicts["third_checks"]
    f3 = Finding(
        "cross-check",
        "A free cross-check: the plant's cumulative output, "
        f"{format_number(check.cumulative_start / 1e6, 1)} "
        f"million by {say_date(check.start.isoformat()[:7])} and "
        f"{format_number(check.cumulative_end / 1e6, 1)} "
        f"million by {say_date(check.end.isoformat()[:7])}, implies about **{vehicles(check.output)}** "
        "vehicles a "
        f"year, **{pct(check.output / 480_000 * 100)} to {pct(check.output / 400_000 * 100)}** of capacity: "
        f"independent support for \"about a third\". **{pct(check.exports_share_pct)}** of everything built "
        "there "
        "was exported. The totals are rounded to a tenth of a million, so this is a rough check.",
        anchor=anchors["plant"], holds_pct=None if third.share is None else third.share * 100,
        flips=a.flips("third_checks"))
    f4 = Finding(
        "price",
        f"The price is still undisclosed (nothing at the competition authority's approval, "
        f"{say_date('2025-07-28')}); the about **EUR {f['india_deal_fcf_impact_eur_m']:,.0f}m** hit to "
        "Renault's "
        "2025 free cash flow is the plant's peak investment year (new launches), not the price. Renault's "
        "2025 free "
        f"cash flow came in at **EUR {format_number(f['renault_fy2025_fcf_eur_bn'], 1)}bn**, below the at "
        "least "
        f"EUR {f['renault_fcf_guidance_eur_bn']:g}bn it guided on the day of the deal.",
        anchor=anchors["price"])
    findings_ = [f1, f2, f3, f4]

    # ---- tables
    tables = {
        "ownership": _ownership_table(own),
        "changed": _what_changed(before, float(v["renault_share_of_plant_result_after_pct"]), f),
        "capacity": _facts_table(facts, CAPACITY_IDS),
        "output": _facts_table(facts, OUTPUT_IDS),
        "models": _models_table(models),
        "events": events[events["topic"] == "india"][["date", "event", "source_id"]].reset_index(drop=True),
        "gaps": gaps[["what", "status", "note"]].fillna(""),
        "ranges": uncertainty.ranges_table(p),
        "summary": summary_table(a),
    }
    extra = ["ecb_eurofxref", "seed_autoexpert", "reuters_fcf_20250331", "motorfan_314996",
             "trivano_renault_fy2025",
             "journalauto_20250716", "latestly_pti_20250728", "fintax360_cnbc", "rediff_bs_20260311",
             "deccanherald_20230213", "rediff_20250331", "thinkwithniche_gravite", "cardekho_20260312",
             "etvbharat_20260226", "indiatoday_20260126"]
    source_ids = sources_used([tables["ownership"], tables["capacity"], tables["output"], tables["models"],
                               tables["events"]], extra)
    news = news_as_of(source_ids)
    fx_used = max(inr.fixing_date, usd.fixing_date).isoformat()

    since = (
        f"Renault completed the purchase on {say_date(COMPLETION)}. The new Triber (2025) and the Kiger "
        "facelift (August 2025) replace existing models; the new Duster was unveiled on 26 January 2026, "
        "its launch reported for 17 March 2026 (ETV Bharat, 26 February 2026), after the stored news; "
        "Nissan's Gravite reached dealers in March 2026 (prices listed on 12 March); the Tekton is planned "
        "for mid-2026, but its launch is not in the stored sources. Renault's March 2026 plan: four new "
        "models designed and built in India by 2030, "
        "the Bridger by the end of 2027. Nissan exported a decade-high "
        f"{format_number(f['nissan_india_exports_2025_12_units'])} cars from India in December 2025 "
        "(secondary). "
        f"The newest news this report uses is from {say_date(news)}.")

    texts = _texts(p, v, a, concl, f=f, check=check, before=before, own=own, added=added,
                   replacing=replacing, adding_renault=adding_renault, adding_nissan=adding_nissan,
                   plan_usd_m=plan_usd_m, inr=inr, usd=usd)
    unreached = "; ".join(f"{r['what']} ({r['status']})" for _, r in gaps.iterrows()) + "."
    max_models = int(min(16, max(10, added + 2, (to_target or 0) + 1)))
    return Analysis(
        p=p, values=v, results=results, assessment=a, conclusions=concl, findings=findings_, since=since,
        news_as_of=news, fx_as_of=fx_used, source_ids=source_ids, unreached=unreached, texts=texts,
        tables=tables, grid=_grid(p, max_models), check=check,
        facts={"stake_before": before, "plan_usd_m": plan_usd_m,
               "output_rows": _output_rows(p, f, check, vol_after),
               "capacity_low": 400_000.0, "capacity_high": 480_000.0, "facts": f})


def _texts(p: IndiaParams, v: Mapping[str, Any], a: Assessment, concl: Sequence[Conclusion], **k: Any
           ) -> dict[str, str]:
    """The computed narrative of each section (Markdown; numbers from the analysis)."""
    from alliancelib import uncertainty

    f, check, before, added = k["f"], k["check"], k["before"], k["added"]
    cap, base, per = p.capacity_units, p.base_volume_units, p.units_per_new_model
    vol = float(v["volume_after_units"])
    util_before, util_after = float(v["utilisation_before_pct"]), float(v["utilisation_after_pct"])
    change = float(v["fixed_cost_per_vehicle_change_pct"])
    to_target = v["new_models_to_target"]
    out: dict[str, str] = {}

    out["bought"] = (
        f"Before the purchase Renault held **{pct(before)}** of RNAIPL, the company that owns the plant, and "
        "so "
        f"bore {pct(before)} of its profit or loss; since {say_date(COMPLETION)} it bears "
        f"**{pct(v['renault_share_of_plant_result_after_pct'])}**. At the plant's utilisation assumed here "
        f"({pct(util_before)}, {share_words(util_before)} of {format_number(cap)} vehicles a year), the "
        "fixed costs "
        f"of a plant built for {format_number(cap)} vehicles are spread over about {vehicles(base)}: Renault "
        "now "
        "carries all of that under-absorption, and all of the gain if the plant fills.")

    # the plant and the cross-check
    lo_avg = check.cumulative_start / years_between(dt.date(2010, 1, 1), check.start)
    hi_avg = check.cumulative_start / years_between(dt.date(2010, 12, 31), check.start)
    c0, c1, half = check.cumulative_start, check.cumulative_end, 50_000  # totals rounded to 0.1 million
    rough_lo = implied_annual_output(c0 + half, c1 - half, check.years)
    rough_hi = implied_annual_output(c0 - half, c1 + half, check.years)
    days = (check.end - check.start).days
    out["check"] = (
        "**Intuition.** Two running totals of everything the plant has built, a couple of years apart, give "
        "the "
        "average output in between, with no year-by-year figures needed.\n\n"
        "**Formula.** With $C_0$ and $C_1$ the cumulative totals at dates $t_0$ and $t_1$, the average "
        "output a "
        "year is $\\bar{V} = \\frac{C_1 - C_0}{t_1 - t_0}$ and the utilisation it implies is "
        "$\\bar{V} / \\text{capacity}$.\n\n"
        f"**Worked example.** {format_number(check.cumulative_start / 1e6, 1)} million by "
        f"{say_date(check.start.isoformat())} "
        f"(the date of the Financial Express report) and {format_number(check.cumulative_end / 1e6, 1)} "
        "million by "
        f"{say_date(check.end.isoformat())} (Cercle Finance) are {days} days, or "
        f"{format_number(check.years, 3)} years, "
        f"apart: $\\bar{{V}} = \\frac{{{tex(check.cumulative_end)} - {tex(check.cumulative_start)}}}"
        f"{{{days} / 365.25}} \\approx {tex(round(check.output, -2))}$ vehicles a year, about "
        f"**{vehicles(check.output)}**. That is **{pct(check.output / 400_000 * 100)}** of 400,000 and "
        f"**{pct(check.output / 480_000 * 100)}** of 480,000: the \"about a third\" that industry data gave "
        "for March "
        "2025 (Automotive News Europe), found independently. Both totals are rounded to a tenth of a "
        "million, so the "
        f"difference could be anywhere from 200,000 to 400,000 vehicles: {vehicles(rough_lo)} to "
        f"{vehicles(rough_hi)} a year. It is a rough check, not a measurement.\n\n"
        f"Of the {format_number(check.cumulative_end / 1e6, 1)} million built by "
        f"{say_date(check.end.isoformat()[:7])}, "
        f"{format_number(check.exports / 1e6, 1)} million were exported: **{pct(check.exports_share_pct)}** "
        "of output "
        f"went abroad (to {format_number(f['rnaipl_export_destinations'])} destinations in 2022).\n\n"
        "**Two readings of 192,000.** Financial Express (July 2023) calls 192,000 a year the plant's "
        "*average*; a "
        "secondary copy of an Indian trade article calls it the *peak* (FY2016-17). The cumulative total "
        "fits the "
        f"average reading: {format_number(check.cumulative_start / 1e6, 1)} million from the start of "
        "production in "
        f"2010 to {say_date(check.start.isoformat())} is {vehicles(lo_avg)} to {vehicles(hi_avg)} a year, "
        "depending on "
        "the month of 2010 production began. Both can hold only if the plant ran close to its peak for most "
        "of those "
        "years; the year-by-year production that would settle it is not in the sources. Either way 192,000 "
        "describes "
        f"the past: 2023 to 2025 averaged about {vehicles(check.output)}.\n\n"
        "**The sources do not fully agree on 2023.** Utilisation of 47% (February 2023, Nissan's COO) and "
        "about 50% "
        f"(June 2023, The Hindu) would be {vehicles(0.47 * 400_000)} to {vehicles(0.50 * 400_000)} vehicles "
        "at 400,000, "
        f"yet Renault and Nissan sold {format_number(f['rnaipl_domestic_fy2024_units'])} to 83,000 cars in "
        "India and "
        f"exported {format_number(f['rnaipl_exports_fy2024_units'])} in FY2023-24, about "
        f"{vehicles(f['rnaipl_domestic_fy2024_units'] + f['rnaipl_exports_fy2024_units'])} in all. Sales are "
        "not "
        "production, and the utilisation figures may use another capacity; the notebook shows them side by "
        "side "
        "and takes no side.")

    # the volume scenario
    replacing, adding_r, adding_n = k["replacing"], k["adding_renault"], k["adding_nissan"]
    repl = " and ".join(f"the {r['model']} replaces the {r['replaces']}" for _, r in replacing.iterrows())
    named_r = ", ".join(adding_r["model"])
    named_n = ", ".join(m.split(" (")[0] for m in adding_n["model"])
    out["choice"] = (
        "**What counts.** Only models that add volume count: among the models the sources list for the "
        f"plant, {repl}, so neither adds a vehicle; the {named_r} returns to India and adds one. Renault "
        "announced four new models for Chennai; the sources name one of them, the new Triber (the first of "
        f"the four); the {named_r} is new at Chennai, but the sources do not tie it to the four. Whether the "
        "Kiger facelift is one of the four is not stated, and "
        "Renault's plan of March 2026 names the Bridger for India by the end of 2027. This notebook counts "
        f"**{models_words(p.new_models)}** from Renault that add volume"
        f"{_which_models(p.new_models, named_r)}, a choice, with a plausible range of 1 (only the "
        f"{named_r}) to 3 (if the Kiger facelift is not one of the four and both unnamed models add volume). "
        f"From Nissan it counts **{models_words(p.nissan_new_models)}** ({named_n}): volume from a customer, "
        "since Nissan's cars are now built in Renault's plant.")
    gap = float(v["utilisation_gap_to_target_pp"])
    out["scenario"] = (
        "**Formula.** With $V_0$ the output before the new models, $n_R$ and $n_N$ the new Renault and "
        "Nissan models "
        "that add volume, $q$ the vehicles a year each adds and $C$ the capacity, the output after is "
        "$V_1 = V_0 + (n_R + n_N)\\,q$, utilisation is $V_1 / C$, and the smallest number of new models "
        "reaching a "
        "target utilisation $t$ is $n^{*} = \\lceil (t\\,C - V_0) / q \\rceil$.\n\n"
        f"**Worked example.** $V_1 = {tex(base)} + ({p.new_models} + {p.nissan_new_models}) \\times "
        f"{tex(per)} = "
        f"{tex(vol)}$ vehicles a year, **{pct(util_after, 1)}** of {format_number(cap)} (from "
        f"{pct(util_before)} "
        f"today), leaving **{vehicles(float(v['spare_capacity_units']))}** vehicles a year of capacity "
        "unused and "
        f"the plant {format_number(abs(gap), 1)} percentage points {'short of' if gap > 0 else 'beyond'} the "
        f"{pct(p.target_utilisation_pct)} target. "
        + (f"Reaching it takes $n^{{*}} = \\lceil ({tex(p.target_utilisation_pct / 100, 2)} "
           f"\\times {tex(cap)} - "
           f"{tex(base)}) / {tex(per)} \\rceil = {to_target}$ new models of this size, "
           f"{'more than' if to_target > added else 'no more than'} the {added} counted here."
           if to_target is not None and per > 0 and to_target > 0 else
           ("The base volume already reaches the target." if to_target == 0 else
            "With no volume per model, no number of new models reaches the target."))
        + f"\n\n**The per-model volume is the real uncertainty.** {vehicles(per)} a year is an assumption. "
          "Renault "
          f"sold {format_number(f['renault_india_domestic_2022_units'])} cars in India and exported "
          f"{format_number(f['renault_india_exports_2022_units'])} in 2022 over its three Chennai models, "
          "about "
          f"{vehicles((f['renault_india_domestic_2022_units'] + f['renault_india_exports_2022_units']) / 3)} "
          "a model; "
          f"the plant's four models sold and exported about "
          f"{vehicles(f['rnaipl_domestic_fy2024_units'] + f['rnaipl_exports_fy2024_units'])} in FY2023-24, "
          "about "
          f"{vehicles((f['rnaipl_domestic_fy2024_units'] + f['rnaipl_exports_fy2024_units']) / 4)} a model. "
          "New "
          "models may sell less than established ones, hence a plausible range of 15,000 to 37,000. The heat "
          "map "
          "shows utilisation for every combination of the two uncertain quantities; the cell of this "
          "scenario is "
          "outlined.")
    target_reason = (
        f"**The target is a judgement.** {pct(p.target_utilisation_pct)} is not a sourced figure: it is a "
        "working "
        "level below full use, stated as a judgement. Renault's India head was more ambitious: \"I'm "
        "confident we "
        f"can achieve full operational capacity in Chennai by {f['rnaipl_full_capacity_target_year']:.0f}\" "
        f"(CNBC-TV18 interview, secondary copy), and expected five launches to lift production by "
        f"{pct(f['rnaipl_five_launches_lift_pct'])}. The plausible range runs from 70% to that 100%.")
    out["target"] = target_reason

    # fixed cost
    out["cost"] = (
        "**Intuition.** A plant's fixed costs (buildings, tooling, salaried staff, depreciation) do not "
        "change with "
        "the number of cars built; spread over more cars, each car carries less of them. No cost figure is "
        "needed "
        "to see how much less: only the volumes.\n\n"
        "**Formula.** A fixed cost $F$ spread over $V$ vehicles is $F / V$ a vehicle. Against the base "
        "volume $V_0$, "
        "the index is $\\frac{F / V}{F / V_0} \\times 100 = \\frac{V_0}{V} \\times 100$, and the change "
        "going to "
        "$V_1$ is $\\left(\\frac{V_0}{V_1} - 1\\right) \\times 100$: $F$ cancels out.\n\n"
        f"**Worked example.** $\\left(\\frac{{{tex(base)}}}{{{tex(vol)}}} - 1\\right) \\times 100 = "
        f"{format_number(change, 1)}\\%$: fixed cost per vehicle falls by **{fraction_words(change)}** "
        f"({pct(-change)}), whatever the plant's fixed costs are. At full capacity it would be "
        f"{pct(fixed_cost_index(base, cap))} of today's. This is the economics Renault bought: all of the "
        "fixed-cost base, and all of the gain from filling it. What the gain is worth in euros needs the "
        "plant's "
        "costs, which no source gives.")
    lines = []
    for key in ("below_target", "room_left", "third_checks"):
        con = next(c for c in concl if c.key == key)
        lines.append(f"- *{con.statement[0].upper() + con.statement[1:]}*: "
                     f"{uncertainty.robustness_sentence(a, con)}")
    for name in ("volume_after_units", "fixed_cost_per_vehicle_change_pct"):
        spec = next(s for s in RESULTS if s.name == name)
        lines.append(f"- *{spec.label}*: {range_words(a, spec)}")
    lines.append("- *Renault's share of the plant company's result (49% to 100%)*: reported facts, no range.")
    lines.append("- *The price*: not disclosed; the EUR 200m is a reported cash-flow impact. No range.")
    out["robustness"] = "\n".join(lines)

    plan_usd = k["plan_usd_m"]
    out["price"] = (
        "No source discloses what Renault paid for Nissan's 51%: the deal was announced on "
        f"{say_date('2025-03-31')} "
        "without a price, and the Competition Commission of India's approval on "
        f"{say_date('2025-07-28')} gave none either (Renault bought equity and zero-coupon redeemable "
        "preference "
        "shares from Nissan). Renault said the deal would weigh about "
        f"**EUR {f['india_deal_fcf_impact_eur_m']:,.0f}m** on its 2025 free cash flow; the Japanese text of "
        "the "
        "announcement ties that to 2025 being RNAIPL's peak investment year, with the new launches: it is "
        "**not the "
        "price**. On the day of the deal Renault guided free cash flow of at least "
        f"EUR {f['renault_fcf_guidance_eur_bn']:g}bn for 2025; it cut its forecasts in July 2025 and "
        "reported "
        f"**EUR {format_number(f['renault_fy2025_fcf_eur_bn'], 1)}bn** for the year (19 February 2026), so "
        "the "
        "guidance was not met. This notebook computes no price, valuation or return on the purchase.\n\n"
        "For scale, the 2023 plan of the two partners was INR "
        f"{format_number(f['india_plan_2023_inr_crore'])} crore "
        "for six models (three per brand, two of them electric), reported as USD "
        f"{f['india_plan_2023_usd_m']:,.0f}m; "
        f"at the ECB rates of 13 February 2023 it is USD {plan_usd:,.0f}m (the reported figure is rounded).")
    return out


# --------------------------------------------------------------------------- charts

SOURCE_OWNERSHIP = ("Sources: Just Auto (2008) and Reuters via The Sun (2025-03-31) for the splits; Rediff "
                    "(2025-03-31); LatestLY/PTI (2025-07-28); Fortune India (2025-08-01).")


# the parameters the main chart depends on: the what-if explorer (alliancelib.explorer) redraws it only
# when one of them changes (tests/test_explorer.py checks that no other parameter changes it)
MAIN_CHART_PARAMS = ("capacity_units", "base_volume_units", "new_models", "units_per_new_model",
                     "nissan_new_models")


def main_chart(a: Analysis) -> Any:
    """The notebook's main chart (the plant's capacity against its output, before and after the new
    models); the first chart, RNAIPL's ownership history, moves with no parameter. The what-if explorer
    redraws it alone at every change."""
    from alliancelib import charts

    p, v = a.p, a.values
    return charts.Chart(
        "capacity", plot_capacity(a),
        source="Sources: Renault (2025-08) and Motor-Fan (2025) for over 400,000; PTI/NewsDrum (2025-03-31) "
               "and carandbike (2023-06) for 480,000; Financial Express (2023-07-27); Cercle Finance "
               "(2025-08-01); an Indian trade article (copy, 2024). Base volume and new models: "
               "assumptions (parameters).",
        alt="Bullet chart: capacity of 400,000 and 480,000 vehicles a year behind five output bars: "
            f"192,000 (peak or average to 2023), "
            f"{vehicles(a.facts['output_rows']['units'][1])} sold and exported in FY2023-24, "
            f"{vehicles(a.check.output)} a year on average 2023-2025, "
            f"{vehicles(p.base_volume_units)} "
            f"assumed today and {vehicles(v['volume_after_units'])} with the new models.")


def figures(a: Analysis) -> list[Any]:
    """Every chart of notebook 02, drawn from the analysis."""
    from alliancelib import charts
    from alliancelib.uncertainty import plot_ranges

    p, v = a.p, a.values
    ranged = [s for s in RESULTS if s.name in recorded_ranges(a.assessment) and s.name in RANGE_CHART]
    return [
        charts.Chart("ownership", plot_ownership(a.tables["ownership"]), source=SOURCE_OWNERSHIP,
                     alt="Three stacked bars of RNAIPL's ownership: Renault 30% and Nissan 70% in 2010, 49% "
                         "and 51% "
                         "from 2023 (dated by year only), Renault 100% since 1 August 2025."),
        main_chart(a),
        charts.Chart("cost", plot_fixed_cost(a),
                     source="Arithmetic on the volumes: fixed cost per vehicle = fixed cost / volume, as an "
                            "index. "
                            "Base volume, new models and their size are assumptions (parameters).",
                     alt=f"A falling curve of fixed cost per vehicle (index, {vehicles(p.base_volume_units)} "
                         "vehicles "
                         "= 100) against output up to capacity: "
                         f"{whole(fixed_cost_index(p.base_volume_units, v['volume_after_units']))} "
                         f"with the new models ({vehicles(v['volume_after_units'])}), "
                         f"{format_number(fixed_cost_index(p.base_volume_units, p.capacity_units), 0)} at "
                         "full "
                         f"capacity ({format_number(p.capacity_units)})."),
        charts.Chart("heatmap", plot_heatmap(a),
                     source="Arithmetic: (base volume + new models x vehicles per model) / capacity. "
                            "Per-model volumes: "
                            "assumptions anchored on Renault's 2022 sales and exports (The Hindu, "
                            "2023-06-14).",
                     alt=f"Heat map of utilisation by number of new models that add volume (0 to "
                         f"{int(a.grid['models'].max())}) and vehicles a year per model (15,000 to 40,000), "
                         "at "
                         f"{format_number(p.capacity_units)} capacity: {pct(v['utilisation_after_pct'], 1)} "
                         "in this "
                         f"scenario; combinations beyond capacity are marked as not fitting."),
        charts.Chart("ranges", plot_ranges(a.assessment, ranged, fmt=_chart_fmt, title=_ranges_title(a),
                                               recorded=recorded_ranges(a.assessment)),
                     source="Monte Carlo over the plausible inputs (100,000 seeded draws) through the "
                            "notebook's own "
                            "formulas; ranges and their basis in the table below.",
                     alt="Range chart: for each result that moves, the middle 90% of plausible cases as a "
                         "bar and "
                         "the value at the defaults as a dot."),
    ]


# the results the range chart shows (the others are in the summary table: the cross-check has its own
# section, and the gap to the target mirrors utilisation)
RANGE_CHART = ("utilisation_before_pct", "volume_after_units", "utilisation_after_pct",
               "spare_capacity_units", "fixed_cost_per_vehicle_change_pct", "new_models_to_target")


def _ranges_title(a: Analysis) -> str:
    from alliancelib.uncertainty import in_sentence

    r = a.assessment.ranges["utilisation_after_pct"]
    if not r.has_range or r.low is None or r.high is None:
        return "No uncertain input moves the utilisation the new models bring"
    deciding = a.assessment.deciding("utilisation_after_pct")
    who = f"; {in_sentence(a.assessment.labels[deciding[0]]).lower()} decides most" if deciding else ""
    low, high = recorded_ranges(a.assessment)["utilisation_after_pct"]
    return (f"With the new models the plant runs at {whole_pct(low)} to {whole_pct(high)} of capacity in "
            "90% "
            f"of plausible cases{who}")


def plot_ownership(own: pd.DataFrame) -> Any:
    """Three 100% bars: who owned RNAIPL in 2010, from 2023 and since August 2025."""
    from alliancelib import charts

    fig, ax = charts.figure(8.0, 4.2)
    labels = {"2010": "2010\nproduction starts", "2023": "2023\n(year only)",
              COMPLETION: "August 2025\nRenault completes"}
    xs = np.arange(len(own))
    renault, nissan = own["renault_pct"].to_numpy(float), own["nissan_pct"].to_numpy(float)
    ax.bar(xs, renault, width=0.55, color=charts.PALETTE["Renault"])
    ax.bar(xs, nissan, width=0.55, bottom=renault, color=charts.PALETTE["Nissan"])
    for x, r, n in zip(xs, renault, nissan, strict=True):
        ax.text(x, r / 2, f"Renault\n{r:.0f}%", ha="center", va="center", fontsize=9, color="#1a1a1a",
                fontweight="bold")
        if n > 0:
            ax.text(x, r + n / 2, f"Nissan\n{n:.0f}%", ha="center", va="center", fontsize=9, color="white",
                    fontweight="bold")
    ax.set_xticks(xs, [labels.get(str(d), str(d)) for d in own["as_of"]])
    ax.set_ylim(0, 100)
    ax.set_xlim(-0.6, len(own) - 0.4)
    charts.thousands(ax, "y", suffix="%")
    charts.style_axes(ax, title="Renault went from 30% of the Chennai plant company to 100% in three steps",
                      ylabel="share of RNAIPL")
    ax.grid(axis="x", visible=False)
    return fig


def plot_capacity(a: Analysis) -> Any:
    """Bullet chart: the two capacities as background bands, output measures in front."""
    from alliancelib import charts

    rows = a.facts["output_rows"]
    low, high = a.facts["capacity_low"], a.facts["capacity_high"]
    fig, ax = charts.figure(8.4, 4.4)
    ys = np.arange(len(rows))[::-1]
    for y in ys:
        ax.barh(y, high, height=0.72, color="#ececec", zorder=1)
        ax.barh(y, low, height=0.72, color="#d6d6d6", zorder=1)
    colours = [charts.PALETTE["muted"]] * (len(rows) - 2)
    colours += [charts.PALETTE["Renault"], charts.PALETTE["accent"]]
    ax.barh(ys, rows["units"], height=0.3, color=colours, zorder=2)
    for y, units in zip(ys, rows["units"], strict=True):
        ax.text(units + 6_000, y, vehicles(units), va="center", ha="left", fontsize=8.5, color="#1a1a1a",
                zorder=3)
    ax.set_yticks(ys, [charts.wrap(t, 2.6, 8.5) for t in rows["label"]], fontsize=8.5)
    top = ys.max() + 0.5
    ax.text(low - 4_000, top, "over 400,000\n(Renault)", ha="right", va="bottom", fontsize=8, color="#555555")
    ax.text(high - 4_000, top, "480,000\n(PTI, carandbike)", ha="right", va="bottom", fontsize=8,
            color="#555555")
    ax.set_ylim(-0.6, top + 1.0)
    ax.set_xlim(0, high * 1.02)
    charts.thousands(ax, "x")
    util = a.values["utilisation_before_pct"]
    charts.style_axes(ax, title=f"The Chennai plant runs at {share_words(util)} of its capacity of "
                                "400,000-480,000 "
                                f"vehicles a year; the new models would take it to "
                                f"{pct(a.values['utilisation_after_pct'], 1)} of "
                                f"{format_number(a.p.capacity_units)}",
                      xlabel="vehicles a year (grey bands: the two reported capacities)")
    ax.grid(axis="y", visible=False)
    ax.tick_params(axis="y", length=0)
    return fig


def plot_fixed_cost(a: Analysis) -> Any:
    """Fixed cost per vehicle (index, base = 100) against output, up to capacity (never past it)."""
    from alliancelib import charts

    p, v = a.p, a.values
    base, cap = float(p.base_volume_units), float(p.capacity_units)
    vol = float(v["volume_after_units"])
    start = max(base * 0.7, cap * 0.1)
    xs = np.linspace(start, cap, 400)
    fig, ax = charts.figure(8.0, 4.6)
    ax.plot(xs, fixed_cost_index(base, xs), color=charts.PALETTE["accent"], lw=2)
    ax.axvline(cap, color="#555555", lw=1, ls="--")
    top = float(fixed_cost_index(base, start))
    ax.set_xlim(start * 0.9, cap * 1.03)
    ax.set_ylim(0, top * 1.15)
    charts.thousands(ax, "x")
    change = float(v["fixed_cost_per_vehicle_change_pct"])
    charts.style_axes(ax, title=f"Going from {vehicles(base)} to {vehicles(vol)} vehicles a year cuts fixed "
                                "cost "
                                f"per vehicle by {fraction_words(change)}, whatever the plant's costs",
                      xlabel="output, vehicles a year", ylabel="fixed cost per vehicle\n(index, "
                                                               f"{vehicles(base)} = 100)")
    points = [(base, "today", charts.PALETTE["Renault"])]
    if vol > base * 1.001:
        points.append((vol, "with the new models", charts.PALETTE["accent"]))
    target_vol = p.target_utilisation_pct / 100 * cap
    if all(abs(target_vol - x) > 0.02 * cap for x, *_ in points) and base < target_vol < cap:
        points.append((target_vol, f"{pct(p.target_utilisation_pct)} target", "#555555"))
    capacity = ax.text(cap, top * 1.15, f"capacity\n{format_number(int(cap))} (100%)", ha="right", va="top",
                       fontsize=8, color="#555555")
    capacity.set_x(cap - (ax.get_xlim()[1] - ax.get_xlim()[0]) * 0.005)
    texts = [capacity]
    for x, name, colour in points:
        y = float(fixed_cost_index(base, x))
        ax.plot([x], [y], "o", color=colour, zorder=3)
        label = f"{name}\n{vehicles(x)} ({whole_pct(x / cap * 100)}), index {whole(y)}"
        texts.append(_place_beside(ax, (x, y), label, texts, cap, curve=lambda u: fixed_cost_index(base, u)))
    return fig


def _renderer(fig: Any) -> Any:
    """The figure's Agg renderer, laid out once (texts added later inside the axes do not move it)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    if not getattr(fig, "_india_laid_out", False):
        fig.draw_without_rendering()
        fig._india_laid_out = True
    return canvas.get_renderer()


def _place_beside(ax: Any, xy: tuple[float, float], label: str, others: Sequence[Any], right_limit: float,
                  curve: Any = None) -> Any:
    """A point's label beside it, clear of the falling curve (``curve(x)``: its height at x) and of
    the texts already placed: above-right of the point, else below-left, else further up or down on
    either side, until a place is found."""
    renderer = _renderer(ax.figure)
    boxes = [t.get_window_extent(renderer) for t in others]
    to_data = ax.transData.inverted().transform
    to_px = ax.transData.transform
    limit_px = to_px((right_limit, 0))[0] - 2
    frame = ax.get_window_extent(renderer)
    gap = 6
    candidates = [((gap, 2), "left", "bottom"), ((-gap, -2), "right", "top")]
    for k in range(1, 12):
        candidates += [((gap, 2 + 14 * k), "left", "bottom"), ((-gap, 2 + 14 * k), "right", "bottom"),
                       ((-gap, -2 - 14 * k), "right", "top")]

    def clear_of_curve(box: Any) -> bool:
        if curve is None:
            return True
        (x0, _), (x1, _) = to_data((box.x0, 0)), to_data((box.x1, 0))
        top_px = to_px((x0, curve(max(x0, 1e-9))))[1]  # the curve falls: highest at the box's left edge
        low_px = to_px((x1, curve(max(x1, 1e-9))))[1]
        return box.y0 >= top_px + 1 or box.y1 <= low_px - 1

    text = None
    for (dx, dy), ha, va in candidates:
        if text is not None:
            text.remove()
        text = ax.annotate(label, xy, xytext=(dx, dy), textcoords="offset points", ha=ha, va=va, fontsize=8,
                           color="#333333")
        box = text.get_window_extent(renderer)
        inside = box.x0 >= frame.x0 and box.x1 <= limit_px and box.y0 >= frame.y0 and box.y1 <= frame.y1
        if inside and not any(box.overlaps(b) for b in boxes) and clear_of_curve(box):
            return text
    return text


def plot_heatmap(a: Analysis) -> Any:
    """Utilisation by number of new models and vehicles per model; cells past capacity do not fit."""
    from matplotlib.colors import LinearSegmentedColormap
    from matplotlib.patches import Rectangle

    from alliancelib import charts

    p = a.p
    grid = a.grid
    models = np.sort(grid["models"].unique())
    pers = np.sort(grid["per_model"].unique())
    pivot = grid.pivot(index="models", columns="per_model", values="utilisation_pct")
    table = pivot.loc[models, pers].to_numpy()
    fits = table <= 100 + 1e-9
    shown = np.where(fits, table, np.nan)
    cmap = LinearSegmentedColormap.from_list("util", ["#f3f6f9", charts.PALETTE["accent"]]).with_extremes(
        bad="#ffffff")
    fig, ax = charts.figure(8.0, 0.9 + 0.33 * len(models))
    ax.imshow(shown, origin="lower", aspect="auto", cmap=cmap, vmin=0, vmax=100,
              extent=(-0.5, len(pers) - 0.5, -0.5, len(models) - 0.5))
    for i, _n in enumerate(models):
        for j, _q in enumerate(pers):
            if fits[i, j]:
                value = table[i, j]
                colour = "white" if value >= 55 else "#1a1a1a"
                weight = "bold" if value >= p.target_utilisation_pct - 1e-9 else "normal"
                ax.text(j, i, whole_pct(value), ha="center", va="center", fontsize=7.5, color=colour,
                        fontweight=weight)
            else:
                ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, facecolor="#f0f0f0", edgecolor="white",
                                       hatch="///", lw=0))
                ax.text(j, i, "over", ha="center", va="center", fontsize=7, color="#777777")
    added = p.new_models + p.nissan_new_models
    if added in set(models) and p.units_per_new_model in set(pers):
        i, j = list(models).index(added), list(pers).index(p.units_per_new_model)
        ax.add_patch(Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, edgecolor=charts.PALETTE["Renault"],
                               lw=2.5))
    ax.set_xticks(range(len(pers)), [format_number(int(q)) for q in pers])
    ax.set_yticks(range(len(models)), [str(int(n)) for n in models])
    ax.tick_params(length=0)
    for side in ("top", "right", "bottom", "left"):
        ax.spines[side].set_visible(False)
    util, target = float(a.values["utilisation_after_pct"]), p.target_utilisation_pct
    scenario = f"{pct(util, 1)} with {added} models of {vehicles(p.units_per_new_model)} (outlined)"
    title = (f"{scenario} meets the {pct(target)} target (bold: at or above it)" if util >= target - 1e-9 else
             f"{scenario}; reaching {pct(target)} needs more models or bigger ones (bold)")
    charts.style_axes(ax, title=title,
                      xlabel=f"vehicles a year per new model (capacity {format_number(p.capacity_units)}; "
                             f"'over' = more than the plant can build)",
                      ylabel="new models that add volume")
    ax.grid(False)
    return fig
