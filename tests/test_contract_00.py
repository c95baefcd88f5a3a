"""Contract of 00_claims_and_timeline: the parameters cell, the recorded results recomputed from the
brief's rules with numbers read straight from the CSVs (csv module, not alliancelib), their labels
and ranges, the key findings record, the bad values, and the fuzz laws.

The contract's rules (docs/contract.md, 00): each conversion claim is corroborated when the
rate it implies (quoted / base) lies within ``fx_tolerance_pct`` of the ECB rate of
``reference_date`` (the latest fixing on or before it), else contradicted; every other claim keeps
its sourced status. A plan's outcome as of the news date (the newest publication among the sources
behind the claims and the events, exchange-rate series excluded): on time (done by the end of its
due period, or done with no due date), slipped (done later), overdue (due period ended, not done),
not done (abandoned), else pending. Partial dates count from their first day; a due period ends on
its last day.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import functools
import math
from pathlib import Path

import pytest
import shared
from helpers import (
    assert_parameters_match,
    assert_refused,
    check_results,
    ecb_rate_from_csv,
    results_in_process,
    run_notebook,
)

from alliancelib import notebooks as nbs
from alliancelib.findings import read_findings
from alliancelib.params import defaults
from alliancelib.paths import DATA_DIR
from alliancelib.topics import claims

NB = "00_claims_and_timeline"
DEFAULTS = defaults(claims.ClaimsParams)
LABELS = {s.name: s.label for s in claims.RESULTS}
RANGED = {
    "claims_corroborated",
    "claims_unverified",
    "fx_tolerance_breakeven_pct",
    "fx_conversions_corroborated",
    "ecb_eur_usd_reference",
    "twingo_gap_to_ecb_pct",
    "ampere_gap_to_ecb_pct",
}
OPTIONS = ("2025-03-27", "2025-03-28", "2025-03-31", "2025-04-01")  # the reference date's plausible options


def rows(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader((DATA_DIR / f"{name}.csv").open(encoding="utf-8")))


def first_day(text: str) -> dt.date:
    parts = [int(x) for x in text.split("-")]
    return dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def last_day(text: str) -> dt.date:
    parts = [int(x) for x in text.split("-")]
    if len(parts) == 3:
        return dt.date(*parts)
    if len(parts) == 2:
        return dt.date(parts[0], parts[1], calendar.monthrange(parts[0], parts[1])[1])
    return dt.date(parts[0], 12, 31)


def news_date() -> dt.date:
    """Newest publication among the sources of claim_sources.csv and events.csv (ECB series excluded)."""
    fx_ids = {r["source_id"] for r in rows("fx_rates")}
    ids = (
        {r["source_id"] for r in rows("claim_sources")} | {r["source_id"] for r in rows("events")}
    ) - fx_ids
    return max(first_day(r["date_published"]) for r in rows("sources") if r["source_id"] in ids)


def outcome(c: dict[str, str], as_of: dt.date) -> str:
    done = first_day(c["done_on"]) if c["done_on"] and first_day(c["done_on"]) <= as_of else None
    gone = (
        first_day(c["abandoned_on"]) if c["abandoned_on"] and first_day(c["abandoned_on"]) <= as_of else None
    )
    if gone and (done is None or gone < done):
        return "not_done"
    if done:
        return "on_time" if not c["due"] or done <= last_day(c["due"]) else "slipped"
    if c["due"] and last_day(c["due"]) < as_of:
        return "overdue"
    return "pending"


def usd_series() -> list[tuple[str, float]]:
    return sorted((r["date"], float(r["rate_per_eur"])) for r in rows("fx_rates") if r["currency"] == "USD")


def story() -> dict[str, float]:
    """The euro's largest one-day rise after the article (2025-04-01), the rise over the ten days
    from the fixing before it, and EUR 20,000 at the ECB rate of the Twingo's premiere."""
    usd = [(d, r) for d, r in usd_series() if d > "2025-04-01"]
    i = max(range(1, len(usd)), key=lambda k: usd[k][1] / usd[k - 1][1])
    start, rate = usd[i - 1]
    end = (dt.date.fromisoformat(start) + dt.timedelta(days=10)).isoformat()
    premiere = next(r["date"] for r in rows("events") if "world premiere" in r["event"].lower())
    return {
        "start": start,
        "rise": (ecb_rate_from_csv("USD", end) / rate - 1) * 100,
        "premiere_usd": 20000 * ecb_rate_from_csv("USD", premiere),
    }


def expected(reference_date: str, tolerance_pct: float) -> dict[str, float]:
    cs = rows("claims")
    rate = ecb_rate_from_csv("USD", reference_date)
    statuses, gaps = [], {}
    for c in cs:
        if c["check"] == "fx_eur_usd":
            gap = (float(c["value"]) / float(c["base_value"]) / rate - 1) * 100
            gaps[c["claim_id"]] = gap
            # outside the tolerance: unverified at that day's rate, never contradicted (audit 2026-12)
            statuses.append("corroborated" if abs(gap) <= tolerance_pct else "unverified")
        else:
            statuses.append(c["status"])
    news = news_date()
    outcomes = [outcome(c, news) for c in cs if c["kind"] == "plan"]
    s = story()
    return {
        "claims_total": len(cs),
        "claims_corroborated": statuses.count("corroborated"),
        "claims_contradicted": statuses.count("contradicted"),
        "claims_unverified": statuses.count("unverified"),
        "claims_slipped": outcomes.count("slipped"),
        "claims_pending": outcomes.count("pending"),
        "claims_on_time": outcomes.count("on_time"),
        "claims_overdue": outcomes.count("overdue"),
        "claims_not_done": outcomes.count("not_done"),
        "claims_plans": len(outcomes),
        "fx_conversions_corroborated": sum(abs(g) <= tolerance_pct for g in gaps.values()),
        "article_implied_eur_usd_twingo": 21639 / 20000,
        "article_implied_eur_usd_ampere": 649 / 600,
        "ecb_eur_usd_reference": rate,
        "fx_tolerance_breakeven_pct": max(abs(g) for g in gaps.values()),
        "twingo_gap_to_ecb_pct": gaps["twingo_price_usd"],
        "ampere_gap_to_ecb_pct": gaps["ampere_usd"],
        "ampere_usd_rounding_pct": 0.5 / 649 * 100,
        "eur_usd_rise_after_jump_pct": s["rise"],
        "twingo_usd_at_premiere": s["premiere_usd"],
        "twingo_usd_premiere_gap_pct": (s["premiere_usd"] / 21639 - 1) * 100,
    }


def check(results: dict, want: dict) -> None:
    check_results(results, want, LABELS)


def test_the_brief_numbers_from_the_csvs() -> None:
    # the recomputation itself, hand-checked: 18 claims, 14 / 0 / 4; plans 3 on time, 4 pending, 1 overdue
    # (the Twingo launch unverified and pending since the audit of 2026-12, claims L4; news to tagesschau's
    # headline of 2026-10-05, research update 2)
    want = expected("2025-03-31", 0.1)
    assert news_date() == dt.date(2026, 10, 5)
    assert [
        want[k]
        for k in (
            "claims_total",
            "claims_corroborated",
            "claims_contradicted",
            "claims_unverified",
            "claims_on_time",
            "claims_slipped",
            "claims_pending",
            "claims_overdue",
            "claims_not_done",
            "claims_plans",
        )
    ] == [18, 14, 0, 4, 3, 0, 4, 1, 0, 8]
    assert story()["start"] == "2025-04-02" and round(story()["rise"], 2) == 5.03
    assert (
        round(want["twingo_usd_at_premiere"]) == 23066
        and round(want["twingo_usd_premiere_gap_pct"], 1) == 6.6
    )


def test_parameters_cell_matches_the_dataclass() -> None:
    assert_parameters_match(NB, claims.ClaimsParams)
    assert list(nbs.declared_parameters(nbs.discover()[NB])) == ["reference_date", "fx_tolerance_pct"]


@pytest.mark.slow
def test_defaults(shared_reports: Path) -> None:
    """At the defaults, read from the suite's shared build (tests/shared.py): no kernel here."""
    run = shared.at_defaults(shared_reports, NB)
    results = run["results"]
    check(results, expected("2025-03-31", 0.1))
    # ranges: the smallest and largest over the four fixings and the tolerance's 0.08-0.24% (contract v3)
    gap = lambda d, q: (q / ecb_rate_from_csv("USD", d) - 1) * 100  # noqa: E731
    twingo, ampere = 21639 / 20000, 649 / 600
    want = {
        "claims_corroborated": (12, 14),
        "claims_unverified": (4, 6),
        "fx_conversions_corroborated": (0, 2),
        "fx_tolerance_breakeven_pct": (gap("2025-03-31", twingo), gap("2025-03-27", twingo)),
        "ecb_eur_usd_reference": (
            ecb_rate_from_csv("USD", "2025-03-27"),
            ecb_rate_from_csv("USD", "2025-03-31"),
        ),
        "twingo_gap_to_ecb_pct": (gap("2025-03-31", twingo), gap("2025-03-27", twingo)),
        "ampere_gap_to_ecb_pct": (gap("2025-03-31", ampere), gap("2025-03-27", ampere)),
    }
    for name, (low, high) in want.items():
        assert results[name]["low"] == pytest.approx(low, rel=1e-9), name
        assert results[name]["high"] == pytest.approx(high, rel=1e-9), name
    assert all("low" not in r for n, r in results.items() if n not in RANGED)
    found = read_findings(run["executed"])
    assert found == run["findings"]
    assert found and found["notebook"] == NB and len(found["items"]) == 4
    assert found["news_as_of"] == "2026-10-05" and found["fx_as_of"] == "2026-08-21"  # research update 2
    assert [i["key"] for i in found["items"] if i["headline"]] == ["on-the-day"]
    assert all(i["anchor"] for i in found["items"])
    assert all(i["holds_pct"] is None and len(i["text"].split()) <= 44 for i in found["items"])
    assert found["since"].startswith("(news to 2026-10-05)")


@pytest.mark.heavy  # no kernel: the notebook runs in this process, charts and all
def test_the_article_day_with_a_wider_tolerance(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # 2025-04-01: ECB 1.0788; the gaps are +0.292% (Twingo) and +0.266% (Ampere): 0.28% splits them
    results = results_in_process(
        NB, monkeypatch, tmp_path, reference_date="2025-04-01", fx_tolerance_pct=0.28
    )
    check(results, expected("2025-04-01", 0.28))
    assert (results["claims_corroborated"]["value"], results["claims_contradicted"]["value"]) == (
        13,
        0,
    )  # 12 sourced since the audit of 2026-12 (claims L4) + the Ampere figure; the Twingo's unverified
    # the tolerance, set outside 0.08-0.24%, is held; the date is drawn: conversions {2, 2, 0, 1} by option
    assert (
        results["fx_conversions_corroborated"]["low"],
        results["fx_conversions_corroborated"]["high"],
    ) == (0, 2)
    found = read_findings(tmp_path / f"{NB}.out.ipynb")
    assert "1 April 2025" in found["items"][3]["text"]


@pytest.mark.heavy  # no kernel: the notebook runs in this process, charts and all
def test_a_weekend_outside_the_options_holds_everything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 2024-06-01 is a Saturday: the fixing of Friday 2024-05-31 (1.0852) applies; nothing is drawn
    results = results_in_process(NB, monkeypatch, tmp_path, reference_date="2024-06-01", fx_tolerance_pct=0.2)
    check(results, expected("2024-06-01", 0.2))
    assert results["ecb_eur_usd_reference"]["value"] == 1.0852
    assert all("low" not in r for r in results.values())


@pytest.mark.slow
def test_the_notebook_stops_on_a_bad_value(tmp_path: Path) -> None:
    import papermill as pm  # here, not at collection: 0.3 s for each worker that never runs a kernel

    with pytest.raises(pm.PapermillExecutionError) as info:
        run_notebook(NB, tmp_path, reference_date="2023-01-15")
    assert info.value.ename == "ParameterError"
    assert info.value.evalue == (
        f"{NB}: parameter reference_date = '2023-01-15' is not allowed: a date written YYYY-MM-DD "
        "from 2023-02-01 to 2026-08-21 (ECB USD fixings held)"
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"reference_date": "2023-01-31"},
            "reference_date = '2023-01-31' is not allowed: a date written YYYY-MM-DD "
            "from 2023-02-01 to 2026-08-21 (ECB USD fixings held)",
        ),
        ({"reference_date": "2026-08-22"}, "reference_date = '2026-08-22' is not allowed"),
        ({"reference_date": "31/03/2025"}, "reference_date = '31/03/2025' is not allowed"),
        ({"reference_date": "2025-02-30"}, "reference_date = '2025-02-30' is not allowed"),
        ({"reference_date": 20250331}, "reference_date = 20250331 is not allowed"),
        ({"reference_date": ""}, "reference_date = '' is not allowed"),
        (
            {"fx_tolerance_pct": -0.1},
            "fx_tolerance_pct = -0.1 is not allowed: a finite number >= 0 and <= 100",
        ),
        ({"fx_tolerance_pct": 100.5}, "fx_tolerance_pct = 100.5 is not allowed"),
        ({"fx_tolerance_pct": math.nan}, "fx_tolerance_pct = nan is not allowed"),
        ({"fx_tolerance_pct": math.inf}, "fx_tolerance_pct = inf is not allowed"),
        ({"fx_tolerance_pct": "0.1"}, "fx_tolerance_pct = '0.1' is not allowed"),
        ({"fx_tolerance_pct": True}, "fx_tolerance_pct = True is not allowed"),
        ({"tolerance": 0.1}, "tolerance = 0.1 is not allowed: unknown parameter"),
    ],
)
def test_bad_parameters(change: dict, message: str) -> None:
    assert_refused(claims, change, message)


# --------------------------------------------------------------------------- fuzzing

SOURCED_CORROBORATED = sum(1 for c in rows("claims") if not c["check"] and c["status"] == "corroborated")
COUNTS = (
    "claims_total",
    "claims_corroborated",
    "claims_contradicted",
    "claims_unverified",
    "claims_slipped",
    "claims_pending",
    "claims_on_time",
    "claims_overdue",
    "claims_not_done",
    "claims_plans",
    "fx_conversions_corroborated",
)


def law_counts_add_up(p: claims.ClaimsParams, r: dict) -> None:
    for name in COUNTS:
        assert r[name] >= 0 and float(r[name]).is_integer(), f"{name} = {r[name]}"
    assert r["claims_corroborated"] + r["claims_contradicted"] + r["claims_unverified"] == r["claims_total"]
    outcomes = sum(
        r[n]
        for n in ("claims_on_time", "claims_slipped", "claims_pending", "claims_overdue", "claims_not_done")
    )
    assert outcomes == r["claims_plans"] <= r["claims_total"]


@functools.cache
def usd_on(day: str) -> float:
    return ecb_rate_from_csv("USD", day)


def law_conversions_follow_their_gaps(p: claims.ClaimsParams, r: dict) -> None:
    assert 0 <= r["fx_conversions_corroborated"] <= 2
    assert r["claims_corroborated"] - r["fx_conversions_corroborated"] == SOURCED_CORROBORATED
    assert r["fx_tolerance_breakeven_pct"] == pytest.approx(
        max(abs(r["twingo_gap_to_ecb_pct"]), abs(r["ampere_gap_to_ecb_pct"]))
    )
    gaps = (r["twingo_gap_to_ecb_pct"], r["ampere_gap_to_ecb_pct"])
    assert r["fx_conversions_corroborated"] == sum(abs(g) <= p.fx_tolerance_pct + 1e-12 for g in gaps)
    assert r["twingo_gap_to_ecb_pct"] == pytest.approx(
        (r["article_implied_eur_usd_twingo"] / r["ecb_eur_usd_reference"] - 1) * 100, rel=1e-9, abs=1e-12
    )
    assert r["ecb_eur_usd_reference"] == usd_on(p.reference_date)


def law_the_story_is_fixed(p: claims.ClaimsParams, r: dict) -> None:
    assert r["twingo_usd_at_premiere"] > 0 and r["eur_usd_rise_after_jump_pct"] > 0
    assert 0 < r["ampere_usd_rounding_pct"] < 1


LAWS = [law_counts_add_up, law_conversions_follow_their_gaps, law_the_story_is_fixed]

# parameter sets the fuzzer once broke (none so far; see the report), and the edges worth keeping
REGRESSIONS: list[dict] = [
    {**DEFAULTS, "reference_date": "2023-02-01"},  # the first fixing held
    {**DEFAULTS, "reference_date": "2026-08-21"},  # the last
    {**DEFAULTS, "fx_tolerance_pct": 0.0},  # no tolerance at all: both conversions contradicted
    {**DEFAULTS, "fx_tolerance_pct": 100.0},
]
