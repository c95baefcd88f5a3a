"""Everything notebook 02 shows, computed once (:func:`analyse`): the results and their ranges, the
tables, and the decisions the text needs, passed to the template ``text.md.j2`` as named facts
(:func:`context`). Every sentence is rendered there; this module decides (which verdict on the
target, how a fall in fixed cost is said, how far a count of vehicles is rounded) and never words a
sentence itself.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pandas as pd

from alliancelib import reads
from alliancelib.analysis import Analysis as AnalysisBase
from alliancelib.core.prose import render
from alliancelib.core.show import Part, Shows, chart, table, text
from alliancelib.core.words import format_quantity
from alliancelib.findings import Finding, anchor_for
from alliancelib.reads import recorded
from alliancelib.results import ResultSpec, make_results
from alliancelib.topics.india import inputs
from alliancelib.topics.india.inputs import CrossCheck, implied_annual_output, years_between
from alliancelib.topics.india.model import (
    NOTEBOOK,
    RESULTS,
    TOPIC,
    IndiaParams,
    conclusions,
    fixed_cost_index,
    headline,
    recorded_ranges,
    utilisation_pct,
)

if TYPE_CHECKING:
    from alliancelib.charts import Chart
    from alliancelib.uncertainty import Assessment

# the notebook's section headings (the findings link to them)
SECTION_BOUGHT = "What Renault bought: a plant's result, not its vehicles"
SECTION_OWNERSHIP = "From a 30/70 joint venture to a Renault plant"
SECTION_PLANT = "How busy the plant is, and a free cross-check"
SECTION_MODELS = "The volume scenario: only models that add volume count"
SECTION_COST = "Fixed cost per vehicle: why volume is the whole story"
SECTION_PRICE = "What the price is not"
SECTION_SURE = "How sure is this?"

CAPACITY_IDS = (
    "rnaipl_capacity_renault_units",
    "rnaipl_capacity_motorfan_units",
    "rnaipl_capacity_carandbike_units",
    "rnaipl_capacity_newsdrum_units",
    "rnaipl_capacity_reuters_units",
)
OUTPUT_IDS = (
    "rnaipl_utilisation_2023_pct",
    "rnaipl_utilisation_2023_06_pct",
    "rnaipl_utilisation_2025_pct",
    "rnaipl_output_avg_units",
    "rnaipl_peak_output_units",
    "rnaipl_domestic_fy2024_units",
    "rnaipl_exports_fy2024_units",
    "renault_india_domestic_2022_units",
    "renault_india_exports_2022_units",
    "rnaipl_cumulative_2023_units",
    "rnaipl_cumulative_2025_units",
    "rnaipl_exports_cumulative_units",
    "rnaipl_export_destinations",
    "nissan_india_exports_2025_12_units",
)
EXTRA_SOURCES = (
    "ecb_eurofxref",
    "seed_autoexpert",
    "reuters_fcf_20250331",
    "motorfan_314996",
    "trivano_renault_fy2025",
    "journalauto_20250716",
    "latestly_pti_20250728",
    "fintax360_cnbc",
    "rediff_bs_20260311",
    "deccanherald_20230213",
    "rediff_20250331",
    "thinkwithniche_gravite",
    "cardekho_20260312",
    "etvbharat_20260226",
    "indiatoday_20260126",
)
# the events the "since" line dates, by their source (a key, never their wording)
EVENT_SOURCES = {
    "duster_unveiled": "ht_auto_2026",
    "duster_launch": "etvbharat_20260226",
    "gravite_priced": "cardekho_20260312",
    "plan_2026": "rediff_bs_20260311",
}
# the results the range chart shows (the others are in the summary table: the cross-check has its own
# section, and the gap to the target mirrors utilisation)
RANGE_CHART = (
    "utilisation_before_pct",
    "volume_after_units",
    "utilisation_after_pct",
    "spare_capacity_units",
    "fixed_cost_per_vehicle_change_pct",
    "new_models_to_target",
)
HALF_ROUNDING_UNITS = 50_000.0  # the cumulative totals are rounded to a tenth of a million
# the sentences of the sections, rendered once by analyse() (keys of a.texts, blocks of the template)
TEXTS = (
    "ownership_intro",
    "plant_intro",
    "sure_intro",
    "bought",
    "check",
    "choice",
    "scenario",
    "target",
    "cost",
    "robustness",
    "price",
    "ownership_title",
    "ownership_ylabel",
    "ownership_alt",
    "ownership_source",
    "ownership_label_first",
    "ownership_label_mid",
    "ownership_label_last",
    "capacity_title",
    "capacity_xlabel",
    "capacity_band_low",
    "capacity_band_high",
    "capacity_source",
    "capacity_alt",
    "heatmap_title",
    "heatmap_xlabel",
    "heatmap_ylabel",
    "heatmap_over",
    "heatmap_source",
    "heatmap_alt",
    "cost_title",
    "cost_xlabel",
    "cost_ylabel",
    "cost_point_today",
    "cost_point_after",
    "cost_point_target",
    "cost_capacity",
    "cost_source",
    "cost_alt",
    "ranges_title",
    "ranges_source",
    "ranges_alt",
)
CAPTIONS = ("changed", "events", "capacity", "output", "models", "ranges", "summary", "gaps")
OUTPUT_ROWS = ("reached", "sold", "average", "base", "after")
# the key findings: (key, the section it links to, offered to the front page, its conclusion)
FINDINGS = (
    ("plant-result", SECTION_BOUGHT, True, None),
    ("volume-scenario", SECTION_MODELS, False, "below_target"),
    ("cross-check", SECTION_PLANT, False, "third_checks"),
    ("price", SECTION_PRICE, False, None),
)


@dataclass(frozen=True, kw_only=True)
class Analysis(Shows, AnalysisBase):
    """Everything notebook 02 shows, computed once from the parameters."""

    NOTEBOOK: ClassVar[str] = NOTEBOOK
    SECTIONS: ClassVar[Mapping[str, Sequence[Part]]] = {
        "bought": (text("bought"), table("changed")),
        "ownership": (text("ownership_intro"), chart("ownership"), table("events")),
        "plant": (text("plant_intro"), chart("capacity"), table("capacity"), table("output"), text("check")),
        "models": (table("models"), text("choice"), text("scenario"), chart("heatmap"), text("target")),
        "cost": (text("cost"), chart("cost")),
        "price": (text("price"),),
        "sure": (text("sure_intro"), chart("ranges"), text("robustness"), table("ranges"), table("summary")),
        "sources": (table("gaps"),),
    }

    p: IndiaParams
    grid: pd.DataFrame  # utilisation by number of new models and units per model, for the heat map
    check: CrossCheck
    captions: dict[str, str]
    context: dict[str, Any]  # what the template was given (the decisions and the figures)

    def chart(self, key: str) -> Chart:
        """One chart of notebook 02 (``ownership``, ``capacity``, ``heatmap``, ``cost`` or ``ranges``)."""
        from alliancelib.topics.india.charts import chart as draw

        return draw(self, key)


def thousand(value: float) -> int:
    """A number of vehicles rounded to the thousand, as the evidence supports.

    >>> thousand(148_876), thousand(258_000), thousand(-1)
    (149000, 258000, 0)
    """
    return int(round(float(value) / 1000) * 1000)


def half_up(value: float) -> int:
    """A number rounded to a whole one, halves up (as readers round; Python's round() goes to even).

    >>> half_up(64.5), half_up(51.55), half_up(-48.45)
    (65, 52, -48)
    """
    return math.floor(float(value) + 0.5 + 1e-9)


def fall_kind(change_pct: float) -> str:
    """How a fall in fixed cost per vehicle is said: ``half``, ``two_fifths`` or ``pct`` (block
    ``fall_words``).

    >>> fall_kind(-48.4), fall_kind(-42.9), fall_kind(-30.0)
    ('half', 'two_fifths', 'pct')
    """
    fall = -float(change_pct)
    if 45 <= fall < 55:
        return "half"
    if 40 <= fall < 45:
        return "two_fifths"
    return "pct"


def _lower_first(words: str) -> str:
    return words[:1].lower() + words[1:]


def _upper_first(words: str) -> str:
    return words[:1].upper() + words[1:]


@recorded
def analyse(p: IndiaParams) -> Analysis:
    """Everything notebook 02 shows, computed once (results, ranges, findings, tables, texts)."""
    from alliancelib import uncertainty
    from alliancelib.data import load, news_as_of, record_rows
    from alliancelib.report import sources_used

    v = headline(p)
    concl = conclusions(p)
    a = uncertainty.assess(p, headline, results=RESULTS, conclusions=concl)
    ctx = context(p, v, a)
    ranges = recorded_ranges(a)
    notes = {name: render(TOPIC, f"no_range__{name}", **ctx) for name in no_range_names()}
    results = make_results(RESULTS, v, ranges=ranges, no_range=notes)
    own = record_rows(load("rnaipl_ownership"))  # the text tells the stake's steps
    events = load("events")
    gaps = load("gaps")
    gaps = gaps[gaps["topic"] == "india"].reset_index(drop=True)
    tables = {
        "ownership": own[["as_of", "renault_pct", "nissan_pct", "event", "source_id"]].reset_index(drop=True),
        "changed": changed_table(ctx),
        "capacity": facts_table(CAPACITY_IDS),
        "output": facts_table(OUTPUT_IDS),
        "models": models_table(load("plant_models")),
        "events": events[events["topic"] == "india"][["date", "event", "source_id"]].reset_index(drop=True),
        "gaps": gaps[["what", "status", "note"]].fillna(""),
        "ranges": uncertainty.ranges_table(p),
        "summary": summary_table(a, ctx),
    }
    reads.cite(*EXTRA_SOURCES)  # the sources the text relies on with no data row read
    source_ids = sources_used(
        [tables["ownership"], tables["capacity"], tables["output"], tables["models"], tables["events"]],
        EXTRA_SOURCES,
    )
    ctx.update(news_as_of=news_as_of(source_ids), gaps=[(r["what"], r["status"]) for _, r in gaps.iterrows()])
    texts = {key: render(TOPIC, key, **ctx) for key in TEXTS}
    return Analysis(
        p=p,
        values=v,
        results=results,
        assessment=a,
        conclusions=concl,
        findings=findings(ctx, a),
        since=render(TOPIC, "since", **ctx),
        news_as_of=ctx["news_as_of"],
        fx_as_of=ctx["fx_as_of"],
        source_ids=source_ids,
        unreached=render(TOPIC, "unreached", **ctx),
        texts=texts,
        tables=tables,
        grid=grid(p, ctx["grid_max_models"]),
        check=ctx["check"],
        captions={key: render(TOPIC, f"caption_{key}", **ctx) for key in CAPTIONS},
        context=ctx,
        facts={
            "stake_before": ctx["before"],
            "plan_usd_m": ctx["plan_usd_m"],
            "output_rows": output_rows(p, ctx),
            "capacity_low": ctx["cap_low"],
            "capacity_high": ctx["cap_high"],
            "facts": ctx["f"],
        },
    )


def no_range_names() -> list[str]:
    """The results whose note says why they have no range."""
    return [
        "renault_stake_after_pct",
        "renault_share_of_plant_result_before_pct",
        "renault_share_of_plant_result_after_pct",
        "implied_output_2023_2025_thousand_units",
        "exports_share_of_output_pct",
    ]


def _event_date(events: pd.DataFrame, source_id: str) -> str:
    rows = events[(events["topic"] == "india") & (events["source_id"] == source_id)]
    return str(rows["date"].iloc[0])


def context(p: IndiaParams, v: Mapping[str, Any], a: Assessment) -> dict[str, Any]:
    """What the template is given: the sourced figures (``f``), the parameters, the results, and the
    decisions its sentences turn on, each by name (the names ``text.md.j2`` uses)."""
    from alliancelib import fx
    from alliancelib.data import load
    from alliancelib.params import fields_of, plausible_of
    from alliancelib.uncertainty import N_DRAWS, in_sentence, robustness_sentence

    f = inputs.facts()
    facts_ = load("facts").set_index("fact_id")
    events = load("events")
    published = load("sources").set_index("source_id")["date_published"]
    own = load("rnaipl_ownership").reset_index(drop=True)
    models = load("plant_models")
    check = inputs.cross_check()
    before = inputs.stake_before()
    plan_as_of = str(facts_.at["india_plan_2023_inr_crore", "as_of"])
    inr, usd = fx.ecb_rate("INR", plan_as_of), fx.ecb_rate("USD", plan_as_of)
    cap_low, cap_high = f["rnaipl_capacity_renault_units"], f["rnaipl_capacity_carandbike_units"]
    base, per, cap = p.base_volume_units, p.units_per_new_model, p.capacity_units
    vol = float(v["volume_after_units"])
    change = float(v["fixed_cost_per_vehicle_change_pct"])
    to_target = v["new_models_to_target"]
    added = p.new_models + p.nissan_new_models
    gap = float(v["utilisation_gap_to_target_pp"])
    below = a.verdicts["below_target"]
    start_year = int(str(own["as_of"].iloc[0])[:4])
    sold = f["rnaipl_domestic_fy2024_units"] + f["rnaipl_exports_fy2024_units"]
    sold_2022 = f["renault_india_domestic_2022_units"] + f["renault_india_exports_2022_units"]
    half = HALF_ROUNDING_UNITS
    rough_lo = implied_annual_output(check.cumulative_start + half, check.cumulative_end - half, check.years)
    rough_hi = implied_annual_output(check.cumulative_start - half, check.cumulative_end + half, check.years)
    renault_new = models[(models["brand"] == "Renault") & (models["status"] != "built")]
    nissan_new = models[(models["brand"] == "Nissan") & (models["status"] != "built")]
    replacing = renault_new[renault_new["replaces"].fillna("") != ""]
    per_pl = plausible_of(IndiaParams, "units_per_new_model")
    target_pl = plausible_of(IndiaParams, "target_utilisation_pct")
    new_pl = plausible_of(IndiaParams, "new_models")
    util_range = a.ranges["utilisation_after_pct"]
    has_range = bool(util_range.has_range and util_range.low is not None and util_range.high is not None)
    deciding = a.deciding("utilisation_after_pct")
    low_util, high_util = recorded_ranges(a).get("utilisation_after_pct", (math.nan, math.nan))
    per_grid = grid_per_model(p)
    max_models = int(min(16, max(10, added + 2, (to_target or 0) + 1)))
    own_rows = [dict(r) for _, r in own.iterrows()]
    ctx: dict[str, Any] = {
        "p": p,
        "f": f,
        "check": check,
        "before": before,
        "nissan_before": 100 - before,
        "rntbci_nissan": 100 - f["rntbci_renault_pct"],
        "share_before": float(v["renault_share_of_plant_result_before_pct"]),
        "share_after": float(v["renault_share_of_plant_result_after_pct"]),
        "util_before": float(v["utilisation_before_pct"]),
        "util_after": float(v["utilisation_after_pct"]),
        "base": base,
        "per": per,
        "vol_after": vol,
        "added": added,
        "target": p.target_utilisation_pct,
        "target_frac": p.target_utilisation_pct / 100,
        "to_target": to_target,
        "base_k": thousand(base),
        "per_k": thousand(per),
        "vol_after_k": thousand(vol),
        "spare_k": thousand(float(v["spare_capacity_units"])),
        "change": change,
        "fall_kind": fall_kind(change),
        "fall_pct": -change,
        "index_full": float(fixed_cost_index(base, cap)),
        "index_after_whole": half_up(fixed_cost_index(base, vol)),
        "gap_abs": abs(gap),
        "short": gap > 0,
        "show_n_star": to_target is not None and per > 0 and to_target > 0,
        "meets_target": float(v["utilisation_after_pct"]) >= p.target_utilisation_pct - 1e-9,
        "below_holds": bool(below.holds_at_default or below.share is None),
        "below_share": float(below.share or 0.0),
        "robust_below": _lower_first(robustness_sentence(a, "below_target")),
        # the cross-check
        "c0": check.cumulative_start,
        "c1": check.cumulative_end,
        "c0_m": check.cumulative_start / 1e6,
        "c1_m": check.cumulative_end / 1e6,
        "start": check.start,
        "end": check.end,
        "start_month": check.start.isoformat()[:7],
        "end_month": check.end.isoformat()[:7],
        "days": (check.end - check.start).days,
        "years": check.years,
        "output_tex": round(check.output, -2),
        "output_k": thousand(check.output),
        "cap_low": cap_low,
        "cap_high": cap_high,
        "output_of_low_pct": check.output / cap_low * 100,
        "output_of_high_pct": check.output / cap_high * 100,
        "third_as_of": str(facts_.at["rnaipl_utilisation_2025_pct", "as_of"]),
        "diff_low": check.cumulative_end - check.cumulative_start - 2 * half,
        "diff_high": check.cumulative_end - check.cumulative_start + 2 * half,
        "rough_low_k": thousand(rough_lo),
        "rough_high_k": thousand(rough_hi),
        "rough_low_hundred_k": int(round(rough_lo / 1e5) * 100),
        "rough_high_hundred_k": int(round(rough_hi / 1e5) * 100),
        "exports_m": check.exports / 1e6,
        "exports_share": check.exports_share_pct,
        "destinations_year": str(facts_.at["rnaipl_export_destinations", "as_of"])[:4],
        "reached": inputs.output_reached(),
        "production_start": start_year,
        "avg_low_k": thousand(check.cumulative_start / years_between(dt.date(start_year, 1, 1), check.start)),
        "avg_high_k": thousand(
            check.cumulative_start / years_between(dt.date(start_year, 12, 31), check.start)
        ),
        "util47_k": thousand(f["rnaipl_utilisation_2023_pct"] / 100 * cap_low),
        "util50_k": thousand(f["rnaipl_utilisation_2023_06_pct"] / 100 * cap_low),
        "sold_fy2024_k": thousand(sold),
        "per_model_2022_k": thousand(sold_2022 / 3),
        "per_model_fy2024_k": thousand(sold / 4),
        # the models
        "replacing": [dict(r) for _, r in replacing.iterrows()],
        "named_r": ", ".join(renault_new[renault_new["replaces"].fillna("") == ""]["model"]),
        "named_n": ", ".join(
            m.split(" (")[0] for m in nissan_new[nissan_new["replaces"].fillna("") == ""]["model"]
        ),
        "new_low": new_pl.low if new_pl else p.new_models,
        "new_high": new_pl.high if new_pl else p.new_models,
        "per_low": per_pl.low if per_pl else per,
        "per_high": per_pl.high if per_pl else per,
        "target_low": target_pl.low if target_pl else p.target_utilisation_pct,
        "target_high": target_pl.high if target_pl else p.target_utilisation_pct,
        # dates
        "completion": inputs.completion(),
        "announced": str(facts_.at["rnaipl_stake_bought_pct", "as_of"]),
        "cci_approved": str(published["latestly_pti_20250728"]),
        "duster_reported": str(published[EVENT_SOURCES["duster_launch"]]),
        **{key: _event_date(events, src) for key, src in EVENT_SOURCES.items()},
        "plan_as_of": plan_as_of,
        "plan_usd_m": f["india_plan_2023_inr_crore"] * 10 / inr.rate_per_eur * usd.rate_per_eur,
        "fx_as_of": max(inr.fixing_date, usd.fixing_date).isoformat(),
        # the ownership chart
        "own_first": own_rows[0],
        "own_mid": own_rows[1],
        "own_last": own_rows[-1],
        # the heat map and the range chart
        "grid_max_models": max_models,
        "grid_per_low": int(per_grid.min()),
        "grid_per_high": int(per_grid.max()),
        "has_range": has_range,
        "range_low_whole": half_up(low_util) if has_range else 0,
        "range_high_whole": half_up(high_util) if has_range else 0,
        "deciding_most": in_sentence(a.labels[deciding[0]]).lower() if deciding else "",
        "draws": N_DRAWS,
        "as_of": {str(k): str(x) for k, x in facts_["as_of"].items()},
        "n_uncertain": sum(
            1
            for f_ in fields_of(IndiaParams)
            if (pl := plausible_of(IndiaParams, f_.name)) is not None and pl.low is not None
        ),
    }
    ctx["gravite_priced_day"] = _day_month(ctx["gravite_priced"])
    concl = {c.key: c for c in conclusions(p)}
    ctx["robust_lines"] = [
        (_upper_first(concl[key].statement), robustness_sentence(a, concl[key]))
        for key in ("below_target", "room_left", "third_checks")
    ]
    ctx["range_lines"] = [
        (spec.label, range_words(a, spec, ctx))
        for spec in RESULTS
        if spec.name in ("volume_after_units", "fixed_cost_per_vehicle_change_pct")
    ]
    return ctx


def _day_month(day: str) -> str:
    """``2026-03-12`` -> ``12 March`` (the year said once, before)."""
    from alliancelib.core.words import say_date

    return say_date(day).rsplit(" ", 1)[0]


def span_text(spec: ResultSpec, low: float, high: float) -> str:
    """A recorded range as text, the unit written once (block ``span``)."""
    return render(
        TOPIC,
        "span",
        vehicles=spec.unit == "vehicles/yr",
        low_k=thousand(low),
        high_k=thousand(high),
        low_text=format_quantity(low, spec.unit, spec.decimals),
        high_text=format_quantity(high, spec.unit, spec.decimals),
    )


def range_words(a: Assessment, spec: ResultSpec, ctx: Mapping[str, Any]) -> str:
    """One sentence on a result's recorded range and the inputs that decide it."""
    from alliancelib.uncertainty import in_sentence

    ranges = recorded_ranges(a)
    if spec.name not in ranges:
        block = f"no_range__{spec.name}" if spec.name in no_range_names() else "no_range__other"
        return render(TOPIC, block, **ctx)
    deciding = [in_sentence(a.labels.get(i, i)) for i in a.deciding(spec.name)[:2]]
    span = span_text(spec, *ranges[spec.name])
    return _upper_first(render(TOPIC, "range_words", span=span, deciding=deciding))


def value_text(spec: ResultSpec, value: float) -> str:
    """A result's value as the summary table shows it."""
    if spec.unit == "vehicles/yr":
        return render(TOPIC, "value__vehicles", value_k=thousand(value))
    return format_quantity(value, spec.unit, spec.decimals)


def summary_table(a: Assessment, ctx: Mapping[str, Any]) -> pd.DataFrame:
    """Every result with its value, its range (as recorded) or why it has none, and its deciding
    inputs (the uncertainty module's columns)."""
    ranges = recorded_ranges(a)
    rows = []
    for s in RESULTS:
        r = a.ranges[s.name]
        if s.name in ranges:
            span = span_text(s, *ranges[s.name])
        elif s.name in no_range_names():
            span = render(TOPIC, f"no_range__{s.name}", **ctx)
        else:
            span = render(TOPIC, "no_range__table", **ctx)
        deciding = ", ".join(a.labels.get(i, i) for i in a.deciding(s.name)[:3]) if s.name in ranges else ""
        rows.append(
            {
                "result_label": s.label,
                "value_text": "none" if r.value is None else value_text(s, r.value),
                "range_text": span,
                "deciding_inputs": deciding,
            }
        )
    return pd.DataFrame(rows, columns=["result_label", "value_text", "range_text", "deciding_inputs"])


def findings(ctx: Mapping[str, Any], a: Assessment) -> list[Finding]:
    """The key findings: their sentences from the template, their robustness from the assessment."""
    out = []
    for key, section, headline_, conclusion in FINDINGS:
        extra: dict[str, Any] = {}
        if conclusion is not None:
            verdict = a.verdicts[conclusion]
            extra = {
                "holds_pct": None if verdict.share is None else verdict.share * 100,
                "flips": a.flips(conclusion),
            }
        out.append(
            Finding(
                key,
                render(TOPIC, "finding_" + key.replace("-", "_"), **ctx),
                anchor=anchor_for(section),
                headline=headline_,
                **extra,
            )
        )
    return out


# --------------------------------------------------------------------------- tables


def changed_table(ctx: Mapping[str, Any]) -> pd.DataFrame:
    """The deal's economics in four rows: before and after (blocks ``changed__<row>__*``)."""
    rows = [
        tuple(render(TOPIC, f"changed__{row}__{col}", **ctx) for col in ("aspect", "before", "after"))
        for row in ("share", "owner", "nissan", "rntbci")
    ]
    return pd.DataFrame(rows, columns=["india_aspect", "india_before", "india_after"])


def figure_text(value: float, unit: str, note: str) -> str:
    """A fact's figure with its unit in a reader's words (and "about" or "over" where the source's
    quoted words say so; block ``figure``).

    >>> figure_text(400000.0, "units/yr", '"Over 400,000" units a year')
    'over 400,000 vehicles a year'
    >>> figure_text(33.3, "%", '"About a third"')
    'about a third'
    >>> figure_text(2500000.0, "units", ""), figure_text(108.0, "countries", "")
    ('2,500,000 vehicles', '108 countries')
    """
    lowered = note.lower()
    qualifier = "over " if lowered.startswith('"over') else ("about " if lowered.startswith('"about') else "")
    return render(
        TOPIC,
        "figure",
        third=unit == "%" and lowered.startswith('"about a third'),
        qualifier=qualifier,
        value=value,
        unit=unit,
    )


def facts_table(ids: Sequence[str]) -> pd.DataFrame:
    """Facts in a reader's words: what, figure, as of, a note where sources conflict or are
    secondary, source."""
    from alliancelib.data import load

    sub = load("facts").set_index("fact_id")
    rows = []
    for fid in ids:
        r: Any = sub.loc[fid]
        full = str(r["note"] or "")
        keep = any(word in full for word in ("CONFLICT", "econdary", "conversion", "Renault brand"))
        note = full.replace("CONFLICTS", "conflicts") if keep else ""
        rows.append(
            {
                "description": r["description"],
                "india_figure": figure_text(float(r["value"]), r["unit"], full),
                "as_of": r["as_of"],
                "note": note[:1].upper() + note[1:],
                "source_id": r["source_id"],
            }
        )
    return pd.DataFrame(rows)


def models_table(models: pd.DataFrame) -> pd.DataFrame:
    """Models built and planned, with their role in the volume scenario (blocks ``role__*``)."""

    def role(r: Any) -> str:
        if r["status"] == "built":
            return render(TOPIC, "role__built")
        if isinstance(r["replaces"], str) and r["replaces"]:
            return render(TOPIC, "role__replaces", replaces=r["replaces"])
        return render(TOPIC, "role__adds", brand=r["brand"])

    out = models.copy()
    out["india_role"] = [role(r) for _, r in out.iterrows()]
    order = {"built": 0, "launched": 1, "planned": 2}
    out = out.assign(_o=out["status"].map(order)).sort_values(["_o", "brand", "model"], kind="stable")
    columns = ["brand", "model", "status", "launch", "replaces", "india_role", "source_id"]
    return out[columns].reset_index(drop=True)


def output_rows(p: IndiaParams, ctx: Mapping[str, Any]) -> pd.DataFrame:
    """The output measures of the bullet chart (vehicles a year), oldest first."""
    f, check = ctx["f"], ctx["check"]
    units = (
        f["rnaipl_output_avg_units"],
        f["rnaipl_domestic_fy2024_units"] + f["rnaipl_exports_fy2024_units"],
        check.output,
        float(p.base_volume_units),
        float(ctx["vol_after"]),
    )
    rows = [
        (render(TOPIC, f"output_row__{key}", **ctx), u, None)
        for key, u in zip(OUTPUT_ROWS, units, strict=True)
    ]
    return pd.DataFrame(rows, columns=["label", "units", "note"])


def grid_per_model(p: IndiaParams) -> np.ndarray:
    """The vehicles a year per model the heat map shows (the value set among them)."""
    return np.array(sorted({15_000, 20_000, 25_000, 30_000, 35_000, 40_000, int(p.units_per_new_model)}))


def grid(p: IndiaParams, max_models: int) -> pd.DataFrame:
    """Utilisation (%) by number of new models that add volume and vehicles a year per model,
    at the capacity and base volume chosen (values above 100 mean the models do not fit)."""
    n = np.arange(max_models + 1)
    nn, pp = np.meshgrid(n, grid_per_model(p), indexing="ij")
    util = utilisation_pct(p.base_volume_units + nn * pp, p.capacity_units)
    return pd.DataFrame({"models": nn.ravel(), "per_model": pp.ravel(), "utilisation_pct": util.ravel()})
