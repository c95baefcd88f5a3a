"""TEMPORARY (issue 20): notebook 00's words from its template equal the old module's, string for
string, at the defaults, both plausible corners, the cautious and ambitious scenarios and other valid
points. Removed with the old module once it passes."""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from alliancelib import claims as old
from alliancelib.core.words import format_number
from alliancelib.params import defaults, fields_of, plausible_of
from alliancelib.paths import SCENARIOS_DIR
from alliancelib.scenarios import load_scenario
from alliancelib.topics import claims as new

NB = new.NOTEBOOK


def corner(which: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in fields_of(new.ClaimsParams):
        pl = plausible_of(new.ClaimsParams, f.name)
        if pl is None:
            continue
        if pl.options:
            out[f.name] = pl.options[0] if which == "low" else pl.options[-1]
        elif pl.low is not None and pl.high is not None:
            out[f.name] = pl.low if which == "low" else pl.high
    return out


def scenario(name: str) -> dict[str, Any]:
    s = load_scenario(SCENARIOS_DIR / f"{name}.toml")
    names = {f.name for f in fields_of(new.ClaimsParams)}
    return {**{k: v for k, v in s.shared.items() if k in names}, **s.notebooks.get(NB, {})}


CASES = {"defaults": {}, "low": corner("low"), "high": corner("high"), "cautious": scenario("cautious"),
         "ambitious": scenario("ambitious"), "base": scenario("base"),
         "strict": {"fx_tolerance_pct": 0.01}, "zero": {"fx_tolerance_pct": 0.0},
         "one holds": {"reference_date": "2025-04-01", "fx_tolerance_pct": 0.28},
         "both fail": {"reference_date": "2025-04-01", "fx_tolerance_pct": 0.2},
         "held date": {"reference_date": "2025-06-02"}, "weekend": {"reference_date": "2025-03-29"},
         "held tolerance": {"fx_tolerance_pct": 5.0}, "loose": {"fx_tolerance_pct": 100.0},
         "old date": {"reference_date": "2024-01-05", "fx_tolerance_pct": 0.5},
         "28 March": {"reference_date": "2025-03-28", "fx_tolerance_pct": 0.15}}


def old_captions(a: Any) -> dict[str, str]:
    """The captions the old notebook typed."""
    v = a.values
    return {
        "plans": f"The article's {v['claims_plans']} promises and their outcomes as of "
                 f"{a.facts['news_for_outcomes']} (the newest news held).",
        "facts": f"The article's {v['claims_total'] - v['claims_plans']} statements of fact "
                 "and their status (the article's words; its dollar sign written USD).",
        "conversions": f"The article's conversions against {a.facts['fixing'].describe()}.",
        "events": f"The {len(a.tables['events'])} dated events, 2023-2026.",
        "ranges": "The uncertain inputs and their plausible ranges.",
        "summary": "The results that move: value at the parameters above, range and what "
                   "decides it (the others are sourced facts).",
        "gaps": "Gaps in the stored sources, by topic.",
    }


@pytest.fixture(scope="module", params=list(CASES))
def pair(request: pytest.FixtureRequest) -> tuple[Any, Any]:
    values = {**defaults(new.ClaimsParams), **CASES[request.param]}
    return old.analyse(old.validate_params(**values)), new.analyse(new.validate_params(**values))


def test_findings_since_unreached(pair: tuple[Any, Any]) -> None:
    a, b = pair
    assert [(f.key, f.text, f.anchor, f.headline, f.holds_pct, f.flips) for f in a.findings] == \
        [(f.key, f.text, f.anchor, f.headline, f.holds_pct, f.flips) for f in b.findings]
    assert a.since == b.since and a.unreached == b.unreached
    assert (a.news_as_of, a.fx_as_of, a.source_ids) == (b.news_as_of, b.fx_as_of, b.source_ids)


def test_texts(pair: tuple[Any, Any]) -> None:
    a, b = pair
    assert a.texts.keys() == b.texts.keys()
    for key, text in a.texts.items():
        assert b.texts[key] == text, key
    assert a.robustness["conversions"] == b.robustness["conversions"]


def test_results_and_notes(pair: tuple[Any, Any]) -> None:
    a, b = pair
    assert a.results == b.results
    assert a.values.keys() == b.values.keys()
    for name in a.values:
        assert float(a.values[name]) == float(b.values[name]), name


def test_tables_and_captions(pair: tuple[Any, Any]) -> None:
    a, b = pair
    assert a.tables.keys() == b.tables.keys()
    for key in a.tables:
        pd.testing.assert_frame_equal(a.tables[key], b.tables[key])
    assert b.captions == old_captions(a)
    pd.testing.assert_frame_equal(a.claims, b.claims)
    pd.testing.assert_frame_equal(a.timeline, b.timeline)
    pd.testing.assert_frame_equal(a.usd, b.usd)
    assert a.facts == b.facts


def _texts(fig: Any) -> list[str]:
    out = []
    for ax in fig.axes:
        out += [ax.get_title(), ax.get_title("left"), ax.get_xlabel(), ax.get_ylabel()]
        out += [t.get_text() for t in ax.texts]
        out += [t.get_text() for t in ax.get_yticklabels()]
    for t in fig.texts:
        out.append(t.get_text())
    return out


def halves_up(a: Any, alt: str) -> str:
    """The old alt text with the implied rates rounded as alliancelib.core.words rounds (halves up:
    21,639 / 20,000 = 1.08195 is 1.0820; the old f-string's float rounding gave 1.0819), the one
    deliberate difference."""
    for name in ("article_implied_eur_usd_ampere", "article_implied_eur_usd_twingo"):
        rate = float(a.values[name])
        alt = alt.replace(f"{rate:.4f})" if "twingo" in name else f"({rate:.4f} and",
                          f"{format_number(rate, 4)})" if "twingo" in name else f"({format_number(rate, 4)} and")
    return alt


def test_charts(pair: tuple[Any, Any]) -> None:
    a, b = pair
    try:
        for x, y in zip(old.figures(a), new.figures(b), strict=True):
            assert (x.key, halves_up(a, x.alt), x.source) == (y.key, y.alt, y.source)
            assert _texts(x.figure) == _texts(y.figure), x.key
        assert (halves_up(a, old.main_chart(a).alt), old.MAIN_CHART_PARAMS) == \
            (new.main_chart(b).alt, new.MAIN_CHART_PARAMS)
    finally:
        plt.close("all")
