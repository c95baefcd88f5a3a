"""Migration check (issue 20): the topic package alliancelib.topics.india says exactly what the old
module alliancelib.india says, at the defaults, both plausible corners, the scenarios and a few other
valid points. Removed with the old module once it passes."""

from __future__ import annotations

from typing import Any

import matplotlib
import pytest

from alliancelib import india as old
from alliancelib.params import defaults, fields_of, plausible_of
from alliancelib.paths import SCENARIOS_DIR
from alliancelib.scenarios import load_scenario
from alliancelib.topics import india as new

matplotlib.use("Agg")

# the captions the old notebook typed beside each table
OLD_CAPTIONS = {"changed": "What the purchase changed.", "events": "The plant and its models, 2023 to 2026.",
                "capacity": "The plant's capacity in the sources: two figures that conflict.",
                "output": "Utilisation, output, sales and exports in the sources.",
                "models": "Models built and planned at Chennai, and how the scenario counts them.",
                "ranges": "The uncertain inputs and their plausible ranges.",
                "summary": "Every result: its value, its plausible range and what decides it.",
                "gaps": "What the stored sources could not establish about the plant."}


def corner(which: str) -> dict[str, Any]:
    out = {}
    for f in fields_of(new.IndiaParams):
        pl = plausible_of(new.IndiaParams, f.name)
        if pl is not None and pl.low is not None and pl.high is not None:
            out[f.name] = pl.low if which == "low" else pl.high
    return out


def scenario(name: str) -> dict[str, Any]:
    s = load_scenario(SCENARIOS_DIR / f"{name}.toml")
    names = {f.name for f in fields_of(new.IndiaParams)}
    return {**{k: v for k, v in s.shared.items() if k in names}, **s.notebooks.get(new.NOTEBOOK, {})}


CASES = {"defaults": {}, "low": corner("low"), "high": corner("high"), "cautious": scenario("cautious"),
         "ambitious": scenario("ambitious"),
         "target met": {"base_volume_units": 300_000, "target_utilisation_pct": 70.0, "new_models": 0,
                        "nissan_new_models": 0},
         "no volume per model": {"units_per_new_model": 0},
         "one model": {"new_models": 1, "nissan_new_models": 0, "units_per_new_model": 37_000},
         "three and full": {"new_models": 3, "capacity_units": 480_000, "base_volume_units": 128_000,
                            "units_per_new_model": 40_000, "nissan_new_models": 5, "target_utilisation_pct": 100.0},
         "small stake": {"stake_acquired_pct": 20.0, "base_volume_units": 200_000, "nissan_new_models": 2}}


def texts_of(fig: Any) -> list[str]:
    return [t.get_text() for t in fig.findobj(matplotlib.text.Text)]


@pytest.mark.parametrize("case", list(CASES))
def test_new_text_equals_old(case: str) -> None:
    import matplotlib.pyplot as plt

    values = {**defaults(new.IndiaParams), **CASES[case]}
    a0 = old.analyse(old.validate_params(**values))
    a1 = new.analyse(new.validate_params(**values))
    assert [(f.key, f.text, f.anchor, f.headline, f.holds_pct, f.flips) for f in a0.findings] == \
        [(f.key, f.text, f.anchor, f.headline, f.holds_pct, f.flips) for f in a1.findings]
    assert a0.since == a1.since and a0.unreached == a1.unreached and a0.news_as_of == a1.news_as_of
    assert a0.fx_as_of == a1.fx_as_of and a0.source_ids == a1.source_ids
    for key, words in a0.texts.items():
        if key == "robustness":
            # the other fix: the old line typed "(49% to 100%)" whatever stake the reader set
            after = f"{a1.values['renault_share_of_plant_result_after_pct']:.0f}%"
            words = words.replace("(49% to 100%)", f"(49% to {after})")
        assert a1.texts[key] == words, key
    assert a1.captions == OLD_CAPTIONS
    assert a0.results == a1.results
    assert [c.statement for c in a0.conclusions] == [c.statement for c in a1.conclusions]
    for key, t in a0.tables.items():
        assert t.equals(a1.tables[key]), key
    assert a0.grid.equals(a1.grid)
    assert a0.facts["output_rows"].equals(a1.facts["output_rows"])
    for c0, c1 in zip(old.figures(a0), new.figures(a1), strict=True):
        alt0 = c0.alt
        if c0.key == "heatmap" and not 15_000 <= values["units_per_new_model"] <= 40_000:
            # the one fix: the old alt text typed the default axis (15,000 to 40,000) even when the
            # value set widens it; the new one reads the axis the chart draws
            low, high = min(15_000, values["units_per_new_model"]), max(40_000, values["units_per_new_model"])
            alt0 = alt0.replace("(15,000 to 40,000)", f"({low:,} to {high:,})")
        assert (c0.key, alt0, c0.source) == (c1.key, c1.alt, c1.source)
        assert texts_of(c0.figure) == texts_of(c1.figure), c0.key
        plt.close(c0.figure)
        plt.close(c1.figure)
    m0, m1 = old.main_chart(a0), new.main_chart(a1)
    assert (m0.key, m0.alt, m0.source) == (m1.key, m1.alt, m1.source)
    assert old.MAIN_CHART_PARAMS == new.MAIN_CHART_PARAMS
