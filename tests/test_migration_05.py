"""Migration guard for notebook 05 (issue 20): the new topic package, whose words come from
``alliancelib/topics/ledger/text.md.j2``, shows exactly what the old ``alliancelib.ledger`` showed:
the same key findings (text, HTML, robustness), "since" line, section texts, tables, chart titles, alt
texts, source lines and drawn labels, and result notes, at the defaults, at both plausible corners,
at the cautious and ambitious scenarios' values for 05, and at three cases that take other branches
(a buyback, no sale, a price held outside its range). Removed with the old module once it passed."""

from __future__ import annotations

from typing import Any

import pytest

from alliancelib import charts
from alliancelib import ledger as old
from alliancelib.params import defaults, fields_of, plausible_of
from alliancelib.paths import SCENARIOS_DIR
from alliancelib.scenarios import load_scenario
from alliancelib.topics import ledger as new

NB = "05_deal_ledger"


def corner(which: str) -> dict[str, Any]:
    out = {}
    for f in fields_of(new.LedgerParams):
        pl = plausible_of(new.LedgerParams, f.name)
        if pl is not None and pl.low is not None and pl.high is not None:
            out[f.name] = pl.low if which == "low" else pl.high
    return out


def scenario(name: str) -> dict[str, Any]:
    s = load_scenario(SCENARIOS_DIR / f"{name}.toml")
    names = {f.name for f in fields_of(new.LedgerParams)}
    return {**{k: v for k, v in s.shared.items() if k in names}, **s.notebooks.get(NB, {})}


CASES = {
    "defaults": {}, "low": corner("low"), "high": corner("high"),
    "cautious": scenario("cautious"), "ambitious": scenario("ambitious"),
    "buyback": {"buyer": "renault", "nissan_sells_renault_pct": 5.5},
    "no sale": {"nissan_sells_renault_pct": 0.0},
    "price held": {"renault_share_price_eur": 50.0},
}


def shown(module: Any, values: dict[str, Any]) -> dict[str, Any]:
    p = module.validate_params(**{**defaults(new.LedgerParams), **values})
    a = module.analyse(p)
    drawn = module.figures(a)
    return {
        "findings": [f.record() for f in a.findings], "since": a.since, "unreached": a.unreached,
        "texts": {k: a.texts[k] for k in ("option", "charge", "robustness")},
        "news": a.news_as_of, "fx": a.fx_as_of, "sources": a.source_ids, "values": a.values, "facts": {k: repr(v) for k, v in a.facts.items()},  # nan == nan
        "tables": {k: t.to_dict("split") for k, t in a.tables.items()},
        "charts": [(c.key, c.alt, c.source, [t for t, _ in charts.drawn_texts(c.figure)]) for c in drawn],
        "results": [r.record() | {"note": r.note} for r in a.results],
        "conclusions": [c.statement for c in a.conclusions],
    }


def test_the_cases_cover_the_corners_and_both_scenarios() -> None:
    assert CASES["low"] != CASES["high"] and CASES["cautious"]["buyer"] == "renault"
    assert CASES["cautious"] != CASES["ambitious"]


@pytest.mark.parametrize("case", list(CASES))
def test_the_template_shows_what_the_old_functions_showed(case: str) -> None:
    was, now = shown(old, CASES[case]), shown(new, CASES[case])
    for key in was:
        assert now[key] == was[key], (case, key)
