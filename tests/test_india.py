"""India (notebook 02): the plant's pure functions with hand-checked numbers, their laws, the
vectorised headline, the analysis the notebook shows and its charts. The notebook's contract
(papermill, recorded results, bad values, fuzzing) is in test_contract_02.py."""

from __future__ import annotations

import datetime as dt
import math
import re

import numpy as np
import pandas as pd
import pytest
from helpers import analysed, examples
from hypothesis import given, settings
from hypothesis import strategies as st

from alliancelib import charts, data
from alliancelib.params import defaults, plausible_of
from alliancelib.results import CODE_WORD
from alliancelib.topics import india

DEFAULTS = defaults(india.IndiaParams)


@pytest.fixture(scope="module")
def analysis() -> india.Analysis:
    return analysed(india, india.validate_params(**DEFAULTS))


# --------------------------------------------------------------------------- pure functions, by hand


def test_utilisation_and_volume_by_hand() -> None:
    # 133,000 of 400,000 = 33.25%
    assert india.utilisation_pct(133_000, 400_000) == 33.25
    # 133,000 + (2 Renault + 3 Nissan) x 25,000 = 258,000, i.e. 64.5% of 400,000
    assert india.volume_after(133_000, 2, 25_000, 3) == 258_000
    assert india.utilisation_pct(258_000, 400_000) == 64.5
    # the v1 scenario: 4 new models only, no Nissan
    assert india.volume_after(133_000, 4, 25_000) == 233_000
    with pytest.raises(ValueError, match="capacity must be positive"):
        india.utilisation_pct(1, 0)


def test_fixed_cost_per_vehicle_by_hand() -> None:
    # the review's example: 133,000 -> 233,000 cuts fixed cost per vehicle by 43% (100/233 x 133 = 57.1)
    assert india.fixed_cost_change_pct(133_000, 233_000) == pytest.approx(-42.918, abs=1e-3)
    # the default scenario: 133,000 / 258,000 - 1 = -48.45%
    assert india.fixed_cost_change_pct(133_000, 258_000) == pytest.approx(-48.4496, abs=1e-4)
    # index: 100 at the base, 50 at twice the volume, 33.25 at full capacity
    assert india.fixed_cost_index(133_000, 133_000) == 100
    assert india.fixed_cost_index(100_000, 200_000) == 50
    assert india.fixed_cost_index(133_000, 400_000) == pytest.approx(33.25)


def test_models_to_target_by_hand() -> None:
    # (0.8 x 400,000 - 133,000) / 25,000 = 7.48 -> 8 models
    assert india.models_to_target(133_000, 25_000, 400_000, 80) == 8
    # exactly 200,000 / 25,000 = 8: no ninth model for rounding noise
    assert india.models_to_target(120_000, 25_000, 400_000, 80) == 8
    # the base already reaches the target; no volume per model reaches it never
    assert india.models_to_target(350_000, 25_000, 400_000, 80) == 0
    assert india.models_to_target(120_000, 0, 400_000, 80) is None
    # arrays: one value per row, NaN where no number reaches it
    got = india.models_to_target_array([133_000, 120_000], [25_000, 0], 400_000, 80)
    assert got[0] == 8 and math.isnan(got[1])


def test_the_stake_before_the_purchase_comes_from_the_data() -> None:
    # rows: 2010 30/70, 2023 49/51, 2025-08-01 100/0 -> 49 in force before completion
    own = pd.DataFrame(
        {
            "as_of": ["2010", "2023", "2025-08-01"],
            "renault_pct": [30.0, 49.0, 100.0],
            "nissan_pct": [70.0, 51.0, 0.0],
        }
    )
    assert india.stake_before_completion(own) == 49
    assert india.stake_before_completion(own, "2023-06-30") == 49  # "2023" counts from its first day
    assert india.stake_before_completion(own, "2012-01-01") == 30
    assert india.stake_before() == 49


def test_the_completion_is_the_first_row_without_nissan() -> None:
    from alliancelib.topics.india.inputs import completion_of

    own = pd.DataFrame(
        {
            "as_of": ["2010", "2026-02-01", "2025-09"],
            "renault_pct": [30.0, 100.0, 100.0],
            "nissan_pct": [70.0, 0.0, 0.0],
        }
    )
    assert completion_of(own) == "2025-09"
    assert india.stake_before_completion(own) == 30
    with pytest.raises(ValueError, match="no row where Nissan holds 0%"):
        completion_of(own.assign(nissan_pct=[70.0, 10.0, 5.0]))
    assert india.completion() == "2025-08-01"  # data/rnaipl_ownership.csv


def test_the_cross_check_by_hand() -> None:
    # Financial Express's 2.5m is dated 2023-07 and published 2023-07-27; Cercle Finance's 2.8m 2025-08-01:
    # 736 days = 2.0151 years; 300,000 / 2.0151 = 148,879 a year; 1.2m / 2.8m = 42.86% exported
    assert india.precise_date("2023-07", "2023-07-27") == dt.date(2023, 7, 27)
    assert india.precise_date("2023", "2024-05-01") == dt.date(2023, 1, 1)
    check = india.cross_check()
    assert (check.start, check.end) == (dt.date(2023, 7, 27), dt.date(2025, 8, 1))
    assert check.years == pytest.approx(736 / 365.25)
    assert check.output == pytest.approx(148_879.08, abs=0.01)
    assert check.exports_share_pct == pytest.approx(300 / 7)
    with pytest.raises(ValueError, match="after the first"):
        india.implied_annual_output(1, 2, 0)


def test_plausible_ranges_rest_on_the_sourced_figures() -> None:
    f = {
        k: data.fact(k)
        for k in (
            "rnaipl_domestic_fy2024_units",
            "rnaipl_exports_fy2024_units",
            "renault_india_domestic_2022_units",
            "renault_india_exports_2022_units",
            "rnaipl_capacity_renault_units",
            "rnaipl_capacity_newsdrum_units",
            "rnaipl_capacity_reuters_units",
            "india_plan_2023_models",
        )
    }
    base = plausible_of(india.IndiaParams, "base_volume_units")
    assert base.low == f["rnaipl_domestic_fy2024_units"] + f["rnaipl_exports_fy2024_units"] == 128_000
    assert base.high == round(f["rnaipl_capacity_newsdrum_units"] / 3, -3) == 160_000
    per = plausible_of(india.IndiaParams, "units_per_new_model")
    # (84,000 + 28,000) / 3 = 37,333 a model, rounded down to the thousand
    assert (
        per.high
        == (f["renault_india_domestic_2022_units"] + f["renault_india_exports_2022_units"])
        // 3
        // 1000
        * 1000
    )
    cap = plausible_of(india.IndiaParams, "capacity_units")
    # the capacity's ends: the smallest and the largest reported figure (480,000 lies between)
    assert (cap.low, cap.high, cap.kind) == (
        f["rnaipl_capacity_renault_units"],
        f["rnaipl_capacity_reuters_units"],
        "conflict",
    )
    assert cap.low < f["rnaipl_capacity_newsdrum_units"] < cap.high
    # the new models' defaults and ranges follow the models table: one Renault addition identified
    # (the Duster), two replacements; three Nissan additions, of which the default counts the middle
    models = data.load("plant_models")
    new = models[models["status"] != "built"]
    adds = new[new["replaces"].fillna("") == ""]
    assert sorted(adds[adds["brand"] == "Renault"]["model"]) == ["New Duster"]
    nissan = plausible_of(india.IndiaParams, "nissan_new_models")
    assert (nissan.low, nissan.high) == (1, len(adds[adds["brand"] == "Nissan"])) == (1, 3)
    assert DEFAULTS["nissan_new_models"] == (nissan.low + nissan.high) / 2 == 2
    # the new programmes' fixed costs: at most as many programmes again as the models built today
    # (the four new ones counted at the defaults), the default in the middle
    added = plausible_of(india.IndiaParams, "added_fixed_cost_pct")
    built = int((models["status"] == "built").sum())
    counted = DEFAULTS["new_models"] + DEFAULTS["nissan_new_models"]
    assert built == india.MODELS_BUILT_TODAY == 4
    assert (added.low, added.high) == (0, counted / built * 100) == (0, 100)
    assert DEFAULTS["added_fixed_cost_pct"] == (added.low + added.high) / 2
    assert f["india_plan_2023_models"] == 6  # the plan's scale: USD 600m for six models
    assert plausible_of(india.IndiaParams, "stake_acquired_pct") is None  # a sourced fact: fixed


@settings(max_examples=examples(300), deadline=None)
@given(base=st.integers(0, 500_000), per=st.integers(1, 100_000), target=st.floats(1, 100))
def test_models_to_target_is_the_smallest_that_reaches(base: int, per: int, target: float) -> None:
    capacity = 500_000
    n = india.models_to_target(base, per, capacity, target)
    assert n is not None and n >= 0
    reach = lambda k: india.utilisation_pct(base + k * per, capacity) >= target - 1e-6  # noqa: E731
    assert reach(n)
    assert n == 0 or not reach(n - 1)


@settings(max_examples=examples(300), deadline=None)
@given(base=st.integers(1, 10**7), more=st.integers(0, 10**7))
def test_fixed_cost_falls_as_volume_rises_and_never_below_minus_100(base: int, more: int) -> None:
    change = india.fixed_cost_change_pct(base, base + more)
    assert -100 < change <= 0
    assert (change == 0) == (more == 0)
    assert india.fixed_cost_index(base, base + more) == pytest.approx(100 + change)


# --------------------------------------------------------------------------- the headline


def test_headline_at_the_defaults() -> None:
    v = india.headline(india.validate_params(**DEFAULTS))
    assert set(v) == set(india.RESULT_NAMES)
    assert v["renault_stake_after_pct"] == 100 and v["renault_share_of_plant_result_before_pct"] == 49
    assert v["renault_share_of_plant_result_after_pct"] == 100
    # 133,000 + (2 + 2) x 25,000 = 233,000 = 58.25% of 400,000; (320,000 - 133,000) / 25,000 -> 8
    assert v["volume_after_units"] == 233_000 and v["utilisation_after_pct"] == 58.25
    assert v["spare_capacity_units"] == 167_000 and v["utilisation_gap_to_target_pp"] == 21.75
    assert v["new_models_to_target"] == 8 and isinstance(v["new_models_to_target"], int)
    # (1.5 x 133,000 / 233,000 - 1) x 100 = -14.378%; break-even (233,000 / 133,000 - 1) x 100 = 75.19%
    assert v["fixed_cost_per_vehicle_change_pct"] == pytest.approx(-14.3777, abs=1e-4)
    assert v["added_fixed_cost_breakeven_pct"] == pytest.approx(75.1880, abs=1e-4)
    # 0.8 x 400,000 = 320,000; (320,000 - 133,000) / 4 = 46,750; (320,000 / 133,000 - 1) x 100 = 140.60%
    assert v["target_output_breakeven_units"] == 320_000
    assert v["per_model_volume_breakeven_units"] == 46_750
    assert v["target_lift_breakeven_pct"] == pytest.approx(140.6015, abs=1e-4)
    # the India head's +50% from five launches: 133,000 x 1.5 = 199,500 (49.875%), 66,500 / 5 = 13,300
    assert v["five_launches_output_units"] == 199_500 and v["five_launches_utilisation_pct"] == 49.875
    assert v["five_launches_per_launch_units"] == 13_300
    assert v["nissan_exports_annualised_units"] == 13_470 * 12 == 161_640
    assert v["implied_output_2023_2025_thousand_units"] == pytest.approx(148.87908, abs=1e-5)
    assert v["implied_utilisation_2023_2025_pct"] == pytest.approx(37.2198, abs=1e-4)
    assert v["exports_share_of_output_pct"] == pytest.approx(42.857, abs=1e-3)


def test_headline_is_vectorised_and_fills_the_plant_at_most() -> None:
    p = india.validate_params(**DEFAULTS)
    # three draws: the defaults, more and bigger models (over capacity: the plant is full), a bigger plant
    out = india.headline(
        p,
        units_per_new_model=np.array([25_000, 60_000, 25_000]),
        capacity_units=np.array([400_000, 400_000, 480_000]),
        nissan_new_models=np.array([3, 3, 3]),
    )
    assert np.allclose(out["volume_after_units"], [258_000, 400_000, 258_000])
    assert np.allclose(out["utilisation_after_pct"], [64.5, 100, 53.75])
    assert np.allclose(out["spare_capacity_units"], [142_000, 0, 222_000])
    assert np.allclose(out["new_models_to_target"], [8, 4, 11])  # (384,000 - 133,000) / 25,000 = 10.04 -> 11


@settings(max_examples=examples(300), deadline=None)
@given(
    added=st.floats(0, 500),
    cap=st.integers(192_000, 2_000_000),
    base_share=st.floats(0, 1),
    n=st.integers(0, 50),
    m=st.integers(0, 50),
    room_share=st.floats(0, 1),
    target=st.floats(0.01, 100),
    stake=st.floats(0.01, 51),
)
def test_laws_hold_on_every_valid_plant(
    added: float, cap: int, base_share: float, n: int, m: int, room_share: float, target: float, stake: float
) -> None:
    """Valid by construction (the volume fits), so every case computes: the notebook's laws."""
    base = max(1, int(cap * base_share))
    per = int((cap - base) * room_share // max(n + m, 1)) if n + m else 10_000
    p = india.validate_params(
        **{
            **DEFAULTS,
            "capacity_units": max(cap, base),
            "base_volume_units": base,
            "new_models": n,
            "nissan_new_models": m,
            "units_per_new_model": per,
            "target_utilisation_pct": target,
            "stake_acquired_pct": stake,
            "added_fixed_cost_pct": added,
        }
    )
    v = india.headline(p)
    for name in (
        "utilisation_before_pct",
        "utilisation_after_pct",
        "renault_stake_after_pct",
        "renault_share_of_plant_result_before_pct",
        "renault_share_of_plant_result_after_pct",
        "exports_share_of_output_pct",
    ):
        assert 0 <= v[name] <= 100 + 1e-9, name
    assert v["volume_after_units"] >= p.base_volume_units
    assert v["spare_capacity_units"] == pytest.approx(p.capacity_units - v["volume_after_units"])
    assert v["utilisation_gap_to_target_pp"] == pytest.approx(target - v["utilisation_after_pct"])
    # fixed cost per vehicle falls exactly when the new programmes add less than the volume does
    change, breakeven = v["fixed_cost_per_vehicle_change_pct"], v["added_fixed_cost_breakeven_pct"]
    assert change == pytest.approx(
        ((1 + p.added_fixed_cost_pct / 100) * p.base_volume_units / v["volume_after_units"] - 1) * 100
    )
    if abs(p.added_fixed_cost_pct - breakeven) > 1e-6:
        assert (change < 0) == (p.added_fixed_cost_pct < breakeven)
    assert v["renault_share_of_plant_result_after_pct"] == v["renault_stake_after_pct"]


# --------------------------------------------------------------------------- the analysis


def test_findings_say_what_the_values_say(analysis: india.Analysis) -> None:
    a = analysis
    assert [f.key for f in a.findings] == [
        "plant-result",
        "volume-scenario",
        "launches",
        "cost",
        "cross-check",
    ]
    assert [f.key for f in a.findings if f.headline] == ["plant-result"]  # one per notebook on the front page
    assert all(f.anchor for f in a.findings)
    text = {f.key: f.text for f in a.findings}
    assert "**100%**" in text["plant-result"] and "**49%**" in text["plant-result"]
    assert "1 August 2025" in text["plant-result"] and "undisclosed" in text["plant-result"]
    assert "about **58%** of capacity, below the 80% target" in text["volume-scenario"]
    assert "flips above **47,000** a model" in text["volume-scenario"]
    assert (
        "(our range: 15,000-37,000)" in text["volume-scenario"]
        and "**8** models (our range: 2-6)" in text["volume-scenario"]
    )
    assert "lift output **50%**" in text["launches"] and "about **200,000**" in text["launches"]
    assert "**50%** of capacity" in text["launches"] and "a lift of **141%**" in text["launches"]
    assert "fall by about **14%**" in text["cost"] and "more than **75%**" in text["cost"]
    assert (
        "(the middle of our 0-100% range)" in text["cost"] and "No source gives those costs." in text["cost"]
    )
    assert "**149,000**" in text["cross-check"] and "**30-37%**" in text["cross-check"]
    assert "**162,000**" in text["cross-check"] and "above the **133,000** assumed" in text["cross-check"]
    # the reader's copy holds no project history, no odds and no over-claimed reading
    every = " ".join([*a.texts.values(), *text.values()])
    for words in ("earlier version", "plausible cases", "decides", "decided", "so the guidance was not met"):
        assert words not in every, words
    assert "may include consolidating" not in " ".join(a.texts.values())  # the audit's speculation is gone
    assert a.news_as_of == "2026-03-12" and a.fx_as_of == "2023-02-13"
    assert "2025-08-01" not in a.since and "1 August 2025" in a.since
    assert "keep building cars for Nissan at Chennai until 2032" in a.since  # Reuters, January 2026


def test_results_carry_labels_ranges_or_reasons(analysis: india.Analysis) -> None:
    by_name = {r.name: r for r in analysis.results}
    assert list(by_name) == list(india.RESULT_NAMES)
    for r in analysis.results:
        assert r.label and not CODE_WORD.search(r.label)
        assert (r.low is not None) or r.note, r.name
        if r.low is not None:
            assert r.low <= r.value <= r.high, r.name
    for name in (
        "renault_stake_after_pct",
        "renault_share_of_plant_result_before_pct",
        "renault_share_of_plant_result_after_pct",
        "exports_share_of_output_pct",
    ):
        assert by_name[name].low is None
    # recorded vehicle ranges are whole thousands, percentages tenths
    assert by_name["volume_after_units"].low % 1000 == 0 and by_name["volume_after_units"].high % 1000 == 0


def test_the_scenario_counts_additions_only(analysis: india.Analysis) -> None:
    roles = dict(
        zip(analysis.tables["models"]["model"], analysis.tables["models"]["india_role"], strict=True)
    )
    assert roles["New Triber"] == "replaces the Triber: adds no volume"
    assert roles["Kiger facelift"] == "replaces the Kiger: adds no volume"
    assert (
        roles["New Duster"] == "adds volume (Renault)" and roles["Tekton (C-SUV)"] == "adds volume (Nissan)"
    )
    assert analysis.texts["choice"].count("**2 models**") == 2  # 2 from Renault, 2 from Nissan


def test_conclusions_and_their_shares(analysis: india.Analysis) -> None:
    a = analysis.assessment
    # the two conclusions that flip inside the stated ranges, and the three that hold across them
    assert a.flips("below_target") and a.flips("cost_falls")
    for key in ("room_left", "third_checks", "five_launches_short"):
        assert a.share(key) == 1 and not a.flips(key), key


def test_texts_and_tables_speak_plain_words(analysis: india.Analysis) -> None:
    from alliancelib.findings import plain_text
    from alliancelib.report import table_bundle

    for key, text in analysis.texts.items():
        assert text.count("$") % 2 == 0, key  # maths comes in pairs; no stray dollar sign
        prose = plain_text(re.sub(r"\$[^$]*\$", " ", text))
        assert not CODE_WORD.findall(prose), (key, CODE_WORD.findall(prose))
    for name, frame in analysis.tables.items():
        bundle = table_bundle(frame, name)
        assert not CODE_WORD.search(bundle["text/plain"].split("\n")[0]), name


def test_a_non_default_scenario_changes_the_words(tmp_path) -> None:
    p = india.validate_params(
        **{
            **DEFAULTS,
            "capacity_units": 480_000,
            "base_volume_units": 160_000,
            "new_models": 3,
            "nissan_new_models": 1,
            "units_per_new_model": 30_000,
            "target_utilisation_pct": 90.0,
        }
    )
    a = analysed(india, p)
    assert a.values["volume_after_units"] == 280_000
    text = {f.key: f.text for f in a.findings}
    assert "about **58%** of capacity, below the 90% target" in text["volume-scenario"]  # 280,000 / 480,000
    # (432,000 - 160,000) / 4 = 68,000 a model; (432,000 - 160,000) / 30,000 = 9.07 -> 10 models
    assert "flips above **68,000** a model" in text["volume-scenario"]
    assert "**10** models (our range: 2-6)" in text["volume-scenario"]


# --------------------------------------------------------------------------- charts


def test_every_chart_is_clean(analysis: india.Analysis) -> None:
    drawn = india.figures(analysis)
    assert [c.key for c in drawn] == ["capacity", "heatmap", "reach", "tornado"]  # ownership: a table
    for chart in drawn:
        assert charts.text_overlaps(chart) == [], chart.key
        assert charts.texts_outside(chart) == [], chart.key
        texts = " ".join(t for t, _ in charts.drawn_texts(chart.figure))
        assert not CODE_WORD.search(texts), (chart.key, CODE_WORD.findall(texts))


def test_nothing_is_drawn_past_capacity(analysis: india.Analysis) -> None:
    heat = analysis.grid
    over = heat[heat["utilisation_pct"] > 100]
    assert not over.empty  # the heat map marks combinations that do not fit instead of drawing them
    texts = [
        t.get_text()
        for t in next(c for c in india.figures(analysis) if c.key == "heatmap").figure.axes[0].texts
    ]
    assert texts.count("over") == len(over) and not any(
        t.endswith("%") and int(t[:-1]) > 100 for t in texts if t != "over"
    )


@pytest.mark.parametrize(
    "over",
    [
        {
            "capacity_units": 480_000,
            "base_volume_units": 160_000,
            "new_models": 1,
            "nissan_new_models": 1,
            "units_per_new_model": 15_000,
        },  # the cautious scenario
        {"new_models": 3, "nissan_new_models": 3, "units_per_new_model": 37_000},  # the ambitious scenario
        {"base_volume_units": 400_000, "units_per_new_model": 0},  # a full plant
        {
            "new_models": 0,
            "nissan_new_models": 0,
            "target_utilisation_pct": 30.0,
        },  # nothing new, the target met
    ],
)
def test_charts_stay_clean_at_the_edges(over: dict) -> None:
    a = analysed(india, india.validate_params(**{**DEFAULTS, **over}))
    for chart in india.figures(a):
        assert charts.text_overlaps(chart) == [] and charts.texts_outside(chart) == [], (chart.key, over)


def test_a_scenario_that_meets_the_target_says_so() -> None:
    """At values that reach the target (the ambitious scenario's) the finding does not say the planned
    models leave the plant below it, and gives the per-model volume below which it would not."""
    from alliancelib.params import defaults

    p = india.validate_params(
        **{
            **defaults(india.IndiaParams),
            "new_models": 3,
            "nissan_new_models": 3,
            "units_per_new_model": 37000,
            "capacity_units": 400000,
        }
    )
    a = analysed(india, p)
    text = a.finding("volume-scenario").text
    # 133,000 + 6 x 37,000 = 355,000 = 88.75%; (320,000 - 133,000) / 6 = 31,167 a model
    assert "about **89%** of capacity, reaching the 80% target" in text and "below the" not in text
    assert "flips below **31,000** a model" in text
    assert "(the New Duster and two not yet named)" in a.texts["choice"]
    default = analysed(india, india.IndiaParams())
    assert "below the 80% target" in default.finding("volume-scenario").text
    assert "Whether the Kiger facelift is one of the four is not stated" in default.texts["choice"]
    assert "launched on 17 March 2026" not in default.since and "after the stored news" in default.since


def test_a_value_next_to_the_target_keeps_its_side() -> None:
    """79.5% is not written "about 80%, below the 80% target"."""
    p = india.validate_params(**{**DEFAULTS, "new_models": 3, "units_per_new_model": 37_000})  # 318,000
    text = analysed(india, p).finding("volume-scenario").text
    assert "about **79.5%** of capacity, below the 80% target" in text


def test_findings_are_short() -> None:
    """Each key finding is at most 40 words, in every case the text tests render."""
    for over in ({}, {"added_fixed_cost_pct": 100.0}, {"new_models": 0, "nissan_new_models": 0}):
        for f in analysed(india, india.validate_params(**{**DEFAULTS, **over})).findings:
            assert len(f.text.replace("**", "").split()) <= 40, (over, f.key, f.text)


# --------------------------------------------------------------------------- the break-evens


def _at(**over: float) -> dict:
    return india.headline(india.validate_params(**{**DEFAULTS, **over}))


def test_fixed_cost_flips_at_its_breakeven() -> None:
    """Fixed cost per vehicle falls just below the recorded break-even and rises just above it."""
    breakeven = _at()["added_fixed_cost_breakeven_pct"]
    assert breakeven == pytest.approx((233_000 / 133_000 - 1) * 100)
    assert _at(added_fixed_cost_pct=breakeven - 0.01)["fixed_cost_per_vehicle_change_pct"] < 0
    assert _at(added_fixed_cost_pct=breakeven + 0.01)["fixed_cost_per_vehicle_change_pct"] > 0
    a = analysed(india, india.validate_params(**DEFAULTS))
    cost = next(c for c in a.conclusions if c.key == "cost_falls")
    assert a.assessment.flips("cost_falls") and cost.result == "fixed_cost_per_vehicle_change_pct"


def test_the_target_flips_at_the_per_model_breakeven() -> None:
    """Below the target with one vehicle a model fewer than the break-even, at it with one more."""
    breakeven = _at()["per_model_volume_breakeven_units"]
    assert breakeven == 46_750
    below = _at(units_per_new_model=math.floor(breakeven) - 1)["utilisation_gap_to_target_pp"]
    above = _at(units_per_new_model=math.ceil(breakeven) + 1)["utilisation_gap_to_target_pp"]
    assert below > 0 > above
    # no new model, no per-model break-even
    assert _at(new_models=0, nissan_new_models=0)["per_model_volume_breakeven_units"] is None


def test_the_five_launches_flip_at_the_lift_breakeven() -> None:
    """The reported lift leaves the plant below the target as long as the lift needed is larger;
    an output just below the needed lift is below the target, just above it at or past it."""
    v = _at()
    lift = india.five_launches()["lift_pct"]
    needed = v["target_lift_breakeven_pct"]
    assert lift == 50 and needed > lift
    for step, below in ((-0.01, True), (0.01, False)):
        output = 133_000 * (1 + (needed + step) / 100)
        assert (india.utilisation_pct(output, 400_000) < 80) == below
    assert v["target_output_breakeven_units"] == pytest.approx(133_000 * (1 + needed / 100))


def test_the_tornado_is_one_input_at_a_time() -> None:
    t = india.tornado_table(india.validate_params(**DEFAULTS))
    assert t["name"].iloc[0] == "added_fixed_cost_pct"  # the widest swing
    row = t.set_index("name").loc["added_fixed_cost_pct"]
    # (1 x 133,000 / 233,000 - 1) = -42.92% at 0; (2 x 133,000 / 233,000 - 1) = +14.16% at 100
    assert row["change_low"] == pytest.approx(-42.918, abs=1e-3)
    assert row["change_high"] == pytest.approx(14.163, abs=1e-3)
    assert "target_utilisation_pct" not in set(t["name"])  # it does not move fixed cost per vehicle
    assert "capacity_units" not in set(t["name"])  # nor does the capacity while the plant is not full
    assert t["swing"].is_monotonic_decreasing
    assert t.attrs["centre"] == pytest.approx(_at()["fixed_cost_per_vehicle_change_pct"])


def test_the_appendix_replaces_how_sure(analysis: india.Analysis) -> None:
    """The technical appendix closes the report before the sources: one row per conclusion, the
    share named for what it is; no range chart, no summary of deciding inputs."""
    assert list(analysis.SECTIONS)[-2:] == ["appendix", "sources"]
    assert "sure" not in analysis.SECTIONS and {"ranges", "summary"}.isdisjoint(analysis.tables)
    assert "not a probability" in analysis.texts["appendix"]
    table = analysis.tables["appendix"]
    assert len(table) == len(analysis.conclusions) == 5
    assert analysis.captions["appendix"]
    assert "ranges" not in {c.key for c in india.figures(analysis)}


def test_no_single_input_reaches_the_target(analysis: india.Analysis) -> None:
    """The utilisation tornado: one input at a time at an end of its range, the plant reaches at
    most 133,000 + 4 x 37,000 = 281,000 = 70.25% of 400,000, so its title says several are needed;
    at values near the target one input suffices and the title names it."""
    reach = analysis.context["reach"]
    assert reach["name"].iloc[0] == "units_per_new_model"
    assert max(reach["change_high"].max(), reach["change_low"].max()) == pytest.approx(70.25)
    assert "target_utilisation_pct" not in set(reach["name"])  # the target is the line, not an input
    assert "70% at most, short of the 80% target" in analysis.texts["reach_title"]
    near = analysed(india, india.validate_params(**{**DEFAULTS, "new_models": 3, "nissan_new_models": 3}))
    # 133,000 + 6 x 37,000 = 355,000 = 88.75%: the per-model volume alone reaches 80%
    assert "vehicles a year per new model" in near.texts["reach_title"]
    assert "can take the plant to the 80% target" in near.texts["reach_title"]
