"""TEMPORARY (issue 20): notebook 03's words from its template equal the old module's, string for
string, at the defaults, both plausible corners, the cautious and ambitious scenarios and other valid
points. Removed with the old module once it passes."""

from __future__ import annotations

from typing import Any

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from alliancelib import pricing as old
from alliancelib.params import defaults, fields_of, plausible_of
from alliancelib.paths import SCENARIOS_DIR
from alliancelib.scenarios import load_scenario
from alliancelib.topics import pricing as new

NB = new.NOTEBOOK


def corner(which: str) -> dict[str, Any]:
    out = {}
    for f in fields_of(new.PricingParams):
        pl = plausible_of(new.PricingParams, f.name)
        if pl is not None and pl.low is not None and pl.high is not None:
            out[f.name] = pl.low if which == "low" else pl.high
    return out


def scenario(name: str) -> dict[str, Any]:
    s = load_scenario(SCENARIOS_DIR / f"{name}.toml")
    names = {f.name for f in fields_of(new.PricingParams)}
    return {**{k: v for k, v in s.shared.items() if k in names}, **s.notebooks.get(NB, {})}


CASES = {"defaults": {}, "low": corner("low"), "high": corner("high"), "cautious": scenario("cautious"),
         "ambitious": scenario("ambitious"), "base": scenario("base"),
         "germany low": {"market": "DE", "household": "low"}, "italy": {"market": "IT"},
         "belgium": {"market": "BE", "twingo_price_eur": 21000.0},
         "france middle": {"household": "middle", "annual_km": 20000.0},
         "incentive set": {"incentive_eur": 2000.0}, "no incentive set": {"incentive_eur": 0.0},
         "dear": {"twingo_price_eur": 30000.0, "annual_km": 3000.0},
         "no discount": {"discount_rate_pct": 0.0, "years": 8, "ev_residual_pct": 25.0},
         "held": {"ev_residual_pct": 80.0, "pack_usd_per_kwh": 200.0},
         "other date": {"fx_date": "2024-06-03"}, "override": {"eur_usd": 1.2},
         "cheap": {"twingo_price_eur": 15000.0, "range_km": 300.0}}

OLD_CAPTIONS = {
    "prices": "Every reported Twingo price, by market and trim (incl. VAT, before incentives).",
    "uk": "The Twingo's UK price: one article, two figures, and a target.",
    "market": "The EVs listed in {m} at a list price, by price (1 = cheapest), with the Twingo as analysed.",
    "rest": "Every other small EV in the data, by price per km of range: other markets, targets, estimates and "
            "promotions (a dash: not reported).",
    "batteries": "BloombergNEF's battery pack price survey and its 2026 forecast (USD per kWh).",
    "dollars": "The Twingo in dollars at ECB reference rates (and the article's own rate).",
    "scheme": "{m}'s current scheme, by household income tier.",
    "parts": "The cost of ownership in its parts, over {y} years (EUR, discounted).",
    "for_whom": "Cost of ownership over {y} years, Twingo minus Sandero, by household and distance a year "
                "(EUR; negative: the Twingo is cheaper), everything else as set.",
    "ranges": "The uncertain inputs and their plausible ranges.",
    "summary": "Every result: its value as set, its plausible range (5th to 95th percentile, widened to "
               "include the value as set) or why it has none, and the inputs that decide it.",
    "incentives": "Purchase incentives by country, scheme and tier.",
    "gaps": "What the stored sources could not establish about EV prices (they stop in early 2026).",
}


@pytest.fixture(scope="module", params=list(CASES))
def pair(request: pytest.FixtureRequest) -> tuple[Any, Any]:
    values = {**defaults(new.PricingParams), **CASES[request.param]}
    return old.analyse(old.validate_params(**values)), new.analyse(new.validate_params(**values))


def test_findings_since_unreached(pair: tuple[Any, Any]) -> None:
    a, b = pair
    for f, g in zip(a.findings, b.findings, strict=True):
        assert (f.key, f.text, f.anchor, f.headline, f.holds_pct, f.flips) == \
            (g.key, g.text, g.anchor, g.headline, g.holds_pct, g.flips)
    assert a.since == b.since
    assert a.unreached == b.unreached
    assert (a.news_as_of, a.fx_as_of, a.source_ids) == (b.news_as_of, b.fx_as_of, b.source_ids)


def test_texts(pair: tuple[Any, Any]) -> None:
    a, b = pair
    for key, text in a.texts.items():
        assert b.texts[key] == text, key


def test_conclusions(pair: tuple[Any, Any]) -> None:
    a, b = pair
    assert [(c.key, c.result, c.statement) for c in a.conclusions] == \
        [(c.key, c.result, c.statement) for c in b.conclusions]


def test_results_and_notes(pair: tuple[Any, Any]) -> None:
    a, b = pair
    assert a.results == b.results
    assert a.values == b.values


def test_tables_and_captions(pair: tuple[Any, Any]) -> None:
    a, b = pair
    assert a.tables.keys() == b.tables.keys()
    for key in a.tables:
        pd.testing.assert_frame_equal(a.tables[key], b.tables[key])
    assert b.captions == {k: c.format(m=a.market_name, y=a.p.years) for k, c in OLD_CAPTIONS.items()}
    pd.testing.assert_frame_equal(a.segment, b.segment)
    pd.testing.assert_frame_equal(a.tornado, b.tornado)
    assert a.parts == b.cost_parts


def _texts(fig: Any) -> list[str]:
    out = []
    for ax in fig.axes:
        out += [ax.get_title(), ax.get_title("left"), ax.get_xlabel(), ax.get_ylabel()]
        out += [t.get_text() for t in ax.texts]
    out += [t.get_text() for t in fig.texts]
    return out


def test_charts(pair: tuple[Any, Any]) -> None:
    a, b = pair
    try:
        for x, y in zip(old.figures(a), new.figures(b), strict=True):
            assert (x.key, x.alt, x.source) == (y.key, y.alt, y.source)
            assert _texts(x.figure) == _texts(y.figure), x.key
    finally:
        plt.close("all")
