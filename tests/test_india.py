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
from hypothesis import given, settings
from hypothesis import strategies as st

from alliancelib import charts, data
from alliancelib.params import defaults, plausible_of
from alliancelib.results import CODE_WORD
from alliancelib.topics import india

DEFAULTS = defaults(india.IndiaParams)


@pytest.fixture(scope="module")
def analysis() -> india.Analysis:
    return india.analyse(india.validate_params(**DEFAULTS))


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
    assert (cap.low, cap.high, cap.kind) == (
        f["rnaipl_capacity_renault_units"],
        f["rnaipl_capacity_newsdrum_units"],
        "conflict",
    )
    # the new models' defaults and ranges follow the models table: one Renault addition identified
    # (the Duster), two replacements; three Nissan additions
    models = data.load("plant_models")
    new = models[models["status"] != "built"]
    adds = new[new["replaces"].fillna("") == ""]
    assert sorted(adds[adds["brand"] == "Renault"]["model"]) == ["New Duster"]
    assert len(adds[adds["brand"] == "Nissan"]) == DEFAULTS["nissan_new_models"] == 3
    assert plausible_of(india.IndiaParams, "stake_acquired_pct") is None  # a sourced fact: fixed


@settings(max_examples=300, deadline=None)
@given(base=st.integers(0, 500_000), per=st.integers(1, 100_000), target=st.floats(1, 100))
def test_models_to_target_is_the_smallest_that_reaches(base: int, per: int, target: float) -> None:
    capacity = 500_000
    n = india.models_to_target(base, per, capacity, target)
    assert n is not None and n >= 0
    reach = lambda k: india.utilisation_pct(base + k * per, capacity) >= target - 1e-6  # noqa: E731
    assert reach(n)
    assert n == 0 or not reach(n - 1)


@settings(max_examples=300, deadline=None)
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
    assert v["volume_after_units"] == 258_000 and v["utilisation_after_pct"] == 64.5
    assert v["spare_capacity_units"] == 142_000 and v["utilisation_gap_to_target_pp"] == 15.5
    assert v["new_models_to_target"] == 8 and isinstance(v["new_models_to_target"], int)
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


@settings(max_examples=300, deadline=None)
@given(
    cap=st.integers(192_000, 2_000_000),
    base_share=st.floats(0, 1),
    n=st.integers(0, 50),
    m=st.integers(0, 50),
    room_share=st.floats(0, 1),
    target=st.floats(0.01, 100),
    stake=st.floats(0.01, 51),
)
def test_laws_hold_on_every_valid_plant(
    cap: int, base_share: float, n: int, m: int, room_share: float, target: float, stake: float
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
    assert -100 < v["fixed_cost_per_vehicle_change_pct"] <= 1e-9
    assert v["renault_share_of_plant_result_after_pct"] == v["renault_stake_after_pct"]


# --------------------------------------------------------------------------- the analysis


def test_findings_say_what_the_values_say(analysis: india.Analysis) -> None:
    a = analysis
    assert [f.key for f in a.findings] == ["plant-result", "volume-scenario", "cross-check", "price"]
    assert [f.key for f in a.findings if f.headline] == ["plant-result"]  # one per notebook on the front page
    assert all(f.anchor for f in a.findings)
    text = {f.key: f.text for f in a.findings}
    assert "**49% to 100%**" in text["plant-result"] and "about a third" in text["plant-result"]
    assert "**258,000**" in text["volume-scenario"] and "**64.5%**" in text["volume-scenario"]
    assert "**about half**" in text["volume-scenario"] and "**8** new models" in text["volume-scenario"]
    assert "**149,000**" in text["cross-check"] and "**31% to 37%**" in text["cross-check"]
    assert "**43%**" in text["cross-check"]
    assert "EUR 200m" in text["price"] and "EUR 1.5bn" in text["price"] and "EUR 2bn" in text["price"]
    assert "may include consolidating" not in " ".join(a.texts.values())  # the audit's speculation is gone
    assert a.news_as_of == "2026-03-12" and a.fx_as_of == "2023-02-13"
    assert "2025-08-01" not in a.since and "1 August 2025" in a.since


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
    assert "**2 models**" in analysis.texts["choice"] and "**3 models**" in analysis.texts["choice"]


def test_conclusions_and_their_shares(analysis: india.Analysis) -> None:
    a = analysis.assessment
    assert 0.9 < a.share("below_target") < 1 and a.flips("below_target")
    assert a.share("room_left") == 1 and a.share("third_checks") == 1
    assert a.deciding("utilisation_after_pct")[0] == "units_per_new_model"


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
    a = india.analyse(p)
    assert a.values["volume_after_units"] == 280_000
    text = {f.key: f.text for f in a.findings}
    assert "**280,000**" in text["volume-scenario"] and "**58.3%**" in text["volume-scenario"]
    assert "**10** new models" in text["volume-scenario"]  # (432,000 - 160,000) / 30,000 = 9.07 -> 10


# --------------------------------------------------------------------------- charts


def test_every_chart_is_clean(analysis: india.Analysis) -> None:
    drawn = india.figures(analysis)
    assert [c.key for c in drawn] == ["ownership", "capacity", "cost", "heatmap", "ranges"]
    for chart in drawn:
        assert charts.text_overlaps(chart) == [], chart.key
        assert charts.texts_outside(chart) == [], chart.key
        texts = " ".join(t for t, _ in charts.drawn_texts(chart.figure))
        assert not CODE_WORD.search(texts), (chart.key, CODE_WORD.findall(texts))


def test_nothing_is_drawn_past_capacity(analysis: india.Analysis) -> None:
    cost = next(c for c in india.figures(analysis) if c.key == "cost")
    ax = cost.figure.axes[0]
    curve = ax.get_lines()[0]
    assert max(curve.get_xdata()) == analysis.p.capacity_units
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
    a = india.analyse(india.validate_params(**{**DEFAULTS, **over}))
    for chart in india.figures(a):
        assert charts.text_overlaps(chart) == [] and charts.texts_outside(chart) == [], (chart.key, over)


def test_a_scenario_that_meets_the_target_says_so() -> None:
    """At values that reach the target (the ambitious scenario's) the finding does not say the planned
    models leave the plant below it; it says how often the plausible ranges do."""
    from alliancelib.params import defaults

    p = india.validate_params(
        **{
            **defaults(india.IndiaParams),
            "new_models": 3,
            "units_per_new_model": 37000,
            "capacity_units": 400000,
        }
    )
    text = india.analyse(p).finding("volume-scenario").text
    assert "At these values the plant reaches the target" in text and "leave it below the target" not in text
    assert "(the New Duster and two not yet named)" in india.analyse(p).texts["choice"]
    default = india.analyse(india.IndiaParams())
    assert "leave it below the target" in default.finding("volume-scenario").text
    assert "Whether the Kiger facelift is one of the four is not stated" in default.texts["choice"]
    assert "launched on 17 March 2026" not in default.since and "after the stored news" in default.since
