"""Migration of notebook 01 to its topic package (issue 20): the new package's words equal the old
module's, byte for byte, for every finding, text, caption, chart title/alt/source line, result note,
robustness line and table, at the defaults, both plausible corners, the cautious and ambitious
scenarios and other valid points. Removed with the old module once it passed."""

from __future__ import annotations

import io
from typing import Any

import pandas as pd
import pytest

from alliancelib import ownership as old
from alliancelib.params import defaults, fields_of, plausible_of
from alliancelib.paths import SCENARIOS_DIR
from alliancelib.scenarios import load_scenario
from alliancelib.topics import ownership as new

NB = "01_ownership"


def corner(which: str) -> dict[str, Any]:
    out = {}
    for f in fields_of(new.OwnershipParams):
        pl = plausible_of(new.OwnershipParams, f.name)
        if pl is not None and pl.low is not None and pl.high is not None:
            out[f.name] = pl.low if which == "low" else pl.high
    return out


def scenario(name: str) -> dict[str, Any]:
    s = load_scenario(SCENARIOS_DIR / f"{name}.toml")
    names = {f.name for f in fields_of(new.OwnershipParams)}
    return {**{k: v for k, v in s.shared.items() if k in names}, **s.notebooks.get(NB, {})}


CASES = {
    "defaults": {},
    "low": corner("low"),
    "high": corner("high"),
    "cautious": scenario("cautious"),
    "ambitious": scenario("ambitious"),
    "buyback": {"buyer": "renault", "nissan_sells_renault_pct": 5.5},
    "no sale": {"nissan_sells_renault_pct": 0.0},
    "price 50": {"renault_share_price_eur": 50.0},
    "lock-up 12": {"lockup_threshold_pct": 12.0, "nissan_sells_renault_pct": 3.0},
    "15.27 buyback": {
        "nissan_in_renault_pct": 15.27,
        "buyer": "renault",
        "nissan_sells_renault_pct": 5.0,
        "renault_share_price_eur": 31.37,
    },
    "2024": {"as_of": "2024-01-01", "nissan_sells_renault_pct": 2.0},
    "2021": {"as_of": "2021-06-30", "nissan_sells_renault_pct": 0.0},
    "cap 5": {"nissan_market_cap_usd_bn": 5.0},
}


def old_captions(p: Any, a: Any) -> dict[str, str]:
    """The captions notebook 01's cells wrote before the migration (copied from them)."""
    return {
        "snapshot": f"Stakes in force on {p.as_of}: each row is the latest figure on or before that date "
        "(dated 'at' where the figure is known only at its date). Basis 'parameter': Nissan's stake in "
        "Renault as set above.",
        "control": "Votes: the exercisable votes a holder directs where reported; the French state's theoretical "
        "votes (double voting rights, 2020) where no exercisable figure exists; the capital share where "
        "no voting figure is reported. The trust's shares vote neutrally.",
        "history": "Renault's stake in Nissan at each dated figure (%). Dated 'at': known only at that date, so no "
        "line is drawn from it. The rows after each trust sale carry the sale's date (our inference: the "
        "sources report those stakes later, up to 2025-08). Votes: exercisable votes Renault directs, "
        "empty where the research has no figure.",
        "replay": "The three trust sales replayed on share counts from 43.4% of 4,220,715,112 shares (the trust's "
        "stake with each count of the March 2024 sale; Renault's whole stake with Renault's count).",
        "replay_check": "Which count reproduces the reported figures within their rounding: the replay started from "
        "the reported 24.63% after the first sale (24.625% to 24.635%).",
        "values": "What the stakes are worth and what they brought and cost Renault (EUR bn).",
        "sale": f"The chosen sale ({p.nissan_sells_renault_pct:g} points at EUR "
        f"{p.renault_share_price_eur:g}) as a market sale and as a buyback by Renault.",
        "plan": "What 5% of Renault is worth by each reported figure, and the Renault share "
        "price each implies (the amount over 5% of 295,722,284 shares).",
        "w_after": "Direct holdings after the sale: % of the column company held by the "
        "row company (Mitsubishi Motors holds none of the others).",
        "integrated_after": "Integrated ownership after the sale: every path counted (% of the column company).",
        "look_through_after": "Look-through after the sale: % of the column company owned "
        "by the outside shareholders of the row company (each column adds up to 100%).",
        "events": f"Events since the announcement (news to {a.news_as_of}).",
        "inputs": "The uncertain inputs and their plausible ranges.",
        "summary": "Every result at the defaults, its middle 90% over the plausible inputs (or why it has none), "
        "and the inputs that decide it.",
        "gaps": "What the stored sources could not establish on ownership.",
    }


def svg(fig: Any) -> str:
    out = io.StringIO()
    fig.savefig(out, format="svg", metadata={"Date": None})
    return out.getvalue()


@pytest.fixture(scope="module", params=list(CASES))
def pair(request: pytest.FixtureRequest) -> tuple[Any, Any]:
    values = {**defaults(new.OwnershipParams), **CASES[request.param]}
    return old.analyse(old.validate_params(**values)), new.analyse(new.validate_params(**values))


def test_the_cases_are_valid_and_distinct() -> None:
    assert len({tuple(sorted(c.items())) for c in CASES.values()}) == len(CASES)
    assert CASES["low"] != CASES["high"] and CASES["cautious"] != CASES["ambitious"]


def test_findings_since_and_footer_are_equal(pair: tuple[Any, Any]) -> None:
    o, n = pair
    assert [(f.key, f.text, f.anchor, f.headline, f.holds_pct, f.flips) for f in o.findings] == [
        (f.key, f.text, f.anchor, f.headline, f.holds_pct, f.flips) for f in n.findings
    ]
    assert (o.since, o.unreached, o.news_as_of, o.fx_as_of, o.source_ids) == (
        n.since,
        n.unreached,
        n.news_as_of,
        n.fx_as_of,
        n.source_ids,
    )


def test_texts_and_robustness_are_equal(pair: tuple[Any, Any]) -> None:
    o, n = pair
    for key, text in o.texts.items():
        assert n.texts[key] == text, key
    assert old.robustness_lines(o) == n.robustness
    assert n.texts["robustness"] == "\n\n".join(old.robustness_lines(o))


def test_captions_are_equal(pair: tuple[Any, Any]) -> None:
    o, n = pair
    assert n.captions == old_captions(o.p, o)


def test_results_and_conclusions_are_equal(pair: tuple[Any, Any]) -> None:
    o, n = pair
    assert [(r.name, r.value, r.low, r.high, r.note, r.label, r.unit) for r in o.results] == [
        (r.name, r.value, r.low, r.high, r.note, r.label, r.unit) for r in n.results
    ]
    assert [(c.key, c.result, c.statement) for c in o.conclusions] == [
        (c.key, c.result, c.statement) for c in n.conclusions
    ]


def test_tables_are_equal(pair: tuple[Any, Any]) -> None:
    o, n = pair
    for key, frame in o.tables.items():
        pd.testing.assert_frame_equal(n.tables[key], frame, obj=key)
    from alliancelib import uncertainty

    pd.testing.assert_frame_equal(n.tables["inputs"], old.ranges_table(o.p))
    pd.testing.assert_frame_equal(n.tables["summary"], uncertainty.summary_table(o.assessment))


def test_charts_are_equal(pair: tuple[Any, Any]) -> None:
    """Titles, alt texts, source lines and the drawings themselves (SVG)."""
    import matplotlib

    matplotlib.rcParams["svg.hashsalt"] = "01"
    o, n = pair
    olds, news = old.figures(o), new.figures(n)
    assert [c.key for c in olds] == [c.key for c in news]
    for a, b in zip(olds, news, strict=True):
        assert (a.alt, a.source) == (b.alt, b.source), a.key
        assert svg(a.figure) == svg(b.figure), a.key
    specs = n.context["range_specs"]
    assert n.texts["network_title"] == old.network_title(o)
    assert n.texts["value_title"] == old.value_title(o)
    hist = o.history
    votes = hist[hist["dated"] == "from"]["voting_exercisable_pct"].iloc[-1]
    assert n.texts["history_title"] == (
        f"Three trust sales took Renault from 43.4% to {hist['economic_pct'].iloc[-1]:.2f}% of Nissan; "
        f"the votes it directs stay capped at {votes:g}%"
    )
    if specs:
        from alliancelib.core.prose import render

        assert render("ownership", "ranges_title", **n.context) == old.ranges_title(o, specs)
