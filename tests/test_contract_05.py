"""Contract of 05_deal_ledger: the parameters cell (notebook 01's three shared parameters), the
recorded results recomputed from the brief's formulas with numbers read straight from the CSVs
(csv module, not alliancelib), their labels and ranges, the key findings record, the bad values,
and the fuzzed parameter sets.

The contract (docs/contract.md, 05): nissan_option_proceeds_eur_m = 01's sale_proceeds_eur_m
= points / 100 x Renault shares outstanding x price / 1e6; nissan_dividends_forgone_eur_m = points / 100
x Renault shares outstanding x Renault's proposed dividend (EUR 2.20) / 1e6, a year;
option_reaches_plan_breakeven_eur = Nissan's plan (JPY 100bn at the plan day's ECB rate) / (points / 100
x shares); ampere_commitments_avoided_eur_m = Nissan's and Mitsubishi Motors' commitments together (not
cash); renault_nissan_accounting_charge_eur_bn = the reported FY2025 charge (Renault's release, 9.3;
Just Auto's 9.31 is shown beside it); undisclosed_items = the ledger items no source quantifies
(hand-counted below).
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest
import shared
from helpers import assert_parameters_match, assert_refused, check_results, results_in_process

from alliancelib.findings import read_findings
from alliancelib.params import defaults
from alliancelib.paths import DATA_DIR
from alliancelib.topics import ledger

NB = "05_deal_ledger"
DEFAULTS = defaults(ledger.LedgerParams)
LABELS = {s.name: s.label for s in ledger.RESULTS}
PRICE_RANGE = (31.37, 45.94)  # the Renault prices the research reports, 2025-03-31 to 2026-02-19


def facts_csv() -> dict[str, float]:
    return {
        r["fact_id"]: float(r["value"])
        for r in csv.DictReader((DATA_DIR / "facts.csv").open(encoding="utf-8"))
    }


def commitments_csv() -> dict[str, float]:
    rows = csv.DictReader((DATA_DIR / "ampere_commitments.csv").open(encoding="utf-8"))
    return {r["investor"]: float(r["commitment_eur_m"]) for r in rows if r["commitment_eur_m"]}


def option(points: float, price: float) -> float:
    return points / 100 * facts_csv()["renault_shares_outstanding"] * price / 1e6


def plan_eur_m() -> float:
    # about JPY 100bn (2025-06-16) at the ECB's yen fixing of that day
    rows = csv.DictReader((DATA_DIR / "fx_rates.csv").open(encoding="utf-8"))
    rate = next(
        float(r["rate_per_eur"]) for r in rows if r["date"] == "2025-06-16" and r["currency"] == "JPY"
    )
    return facts_csv()["nissan_plan_sale_jpy_bn"] * 1000 / rate


def jpy_rate(day: str) -> float:
    rows = csv.DictReader((DATA_DIR / "fx_rates.csv").open(encoding="utf-8"))
    return next(float(r["rate_per_eur"]) for r in rows if r["date"] == day and r["currency"] == "JPY")


def renault_nissan_shares() -> float:
    # Renault's direct 17.05% and the trust's 18.66% (its dividends are Renault's) of Nissan's shares issued
    rows = csv.DictReader((DATA_DIR / "shareholdings.csv").open(encoding="utf-8"))
    latest: dict[str, float] = {}
    for r in rows:
        if r["holder"] == "Renault" and r["company"] == "Nissan" and r["as_of"] <= "2025-03-31":
            latest[r["holding"]] = float(r["economic_pct"])
    return sum(latest.values()) / 100 * facts_csv()["nissan_shares_issued"]


def expected(**over: object) -> dict[str, float]:
    q = {**DEFAULTS, **over}
    f, c = facts_csv(), commitments_csv()
    renault_buys = q["buyer"] == "renault"
    points = q["nissan_sells_renault_pct"]
    shares = f["renault_shares_outstanding"]
    to_nissan = q["nissan_in_renault_pct"] / 100 * shares * f["renault_dividend_2025_eur"] / 1e6
    rate = jpy_rate("2026-02-19")  # the day Renault proposed its dividend
    return {
        "nissan_dividends_from_renault_eur_m": to_nissan,
        "renault_dividends_from_nissan_eur_m": renault_nissan_shares()
        * f["nissan_fy2026_dividend_guidance_jpy"]
        / rate
        / 1e6,
        "nissan_dividend_breakeven_jpy": to_nissan * 1e6 * rate / renault_nissan_shares(),
        "nissan_option_proceeds_eur_m": option(points, q["renault_share_price_eur"]),
        "nissan_dividends_forgone_eur_m": points / 100 * shares * f["renault_dividend_2025_eur"] / 1e6,
        "option_reaches_plan_breakeven_eur": plan_eur_m() * 1e6 / (points / 100 * shares) if points else None,
        # the Ampere money not paid is a commitment avoided, not cash: Renault's cash is the India deal's
        "renault_quantified_cash_eur_m": -f["india_deal_fcf_impact_eur_m"],
        "ampere_commitments_avoided_eur_m": c["Nissan"] + c["Mitsubishi Motors"],
        "nissan_ampere_commitment_avoided_eur_m": c["Nissan"],
        "mitsubishi_ampere_commitment_avoided_eur_m": c["Mitsubishi Motors"],
        "renault_nissan_accounting_charge_eur_bn": f["renault_fy2025_nissan_noncash_loss_eur_bn"],
        "renault_nissan_associates_loss_eur_bn": f["renault_fy2025_nissan_associate_loss_eur_bn"],
        # the Chennai price, Nissan's supply terms, the Twingo-based EV, and (unless Renault buys the shares
        # itself, which prices it) Renault's right of first refusal; of 11 items either way
        "undisclosed_items": 3 if renault_buys else 4,
        "ledger_items": 11,
    }


def check(results: dict, want: dict) -> None:
    check_results(results, want, LABELS)
    # the ranged results: the option over the reported prices; the dividends to Nissan and the
    # break-even over the conflicting reports of Nissan's stake in Renault (15% or 15.27%)
    ranged = {
        "nissan_option_proceeds_eur_m",
        "nissan_dividends_from_renault_eur_m",
        "nissan_dividend_breakeven_jpy",
    }
    for name, got in results.items():
        if name not in ranged:
            assert "low" not in got, name


def check_option_range(results: dict, points: float, value: float) -> None:
    # the option over the reported share prices: its smallest and largest value, at the ends of the range
    lo, hi = PRICE_RANGE
    got = results["nissan_option_proceeds_eur_m"]
    assert got["low"] == pytest.approx(option(points, lo), rel=1e-9)
    assert got["high"] == pytest.approx(option(points, hi), rel=1e-9)
    assert got["low"] <= got["value"] <= got["high"]
    assert got["value"] == pytest.approx(value, rel=1e-9)


def test_parameters_cell_matches_the_dataclass() -> None:
    assert_parameters_match(NB, ledger.LedgerParams)


@pytest.mark.slow
def test_defaults(shared_reports: Path) -> None:
    """At the defaults, read from the suite's shared build (tests/shared.py): no kernel here."""
    run = shared.at_defaults(shared_reports, NB)
    results = run["results"]
    want = expected()
    check(results, want)
    assert results["nissan_option_proceeds_eur_m"]["value"] == pytest.approx(679.27, abs=0.01)
    assert results["renault_nissan_accounting_charge_eur_bn"]["value"] == 9.3
    # 0.15 x 295,722,284 x 2.20 = EUR 97.59m a year to Nissan; nothing back; break-even JPY 13.40
    assert results["nissan_dividends_from_renault_eur_m"]["value"] == pytest.approx(97.588, abs=0.001)
    assert results["renault_dividends_from_nissan_eur_m"]["value"] == 0
    assert results["nissan_dividend_breakeven_jpy"]["value"] == pytest.approx(13.395, abs=0.001)
    check_option_range(results, 5.0, want["nissan_option_proceeds_eur_m"])
    found = read_findings(run["executed"])
    assert found == run["findings"]
    assert found and found["notebook"] == NB and 3 <= len(found["items"]) <= 5
    assert found["news_as_of"] == "2026-08-03" and found["fx_as_of"] == "2026-02-19"
    assert [i["key"] for i in found["items"] if i["headline"]] == [
        "cash-that-moved",
        "commitments-not-cash",
        "option-and-dividends",
        "on-balance",
    ]
    assert all(i["holds_pct"] is None for i in found["items"])  # no finding states a share of draws


@pytest.mark.heavy  # no kernel: the notebook runs in this process, charts and all
def test_a_buyback_by_renault(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Renault buys back and cancels 5.5 points at EUR 40: 0.055 x 295,722,284 x 40 = EUR 650.6m
    over = dict(buyer="renault", nissan_sells_renault_pct=5.5, renault_share_price_eur=40.0)
    results = results_in_process(NB, monkeypatch, tmp_path, **over)
    want = expected(**over)
    check(results, want)
    assert results["nissan_option_proceeds_eur_m"]["value"] == pytest.approx(650.59, abs=0.01)
    check_option_range(results, 5.5, want["nissan_option_proceeds_eur_m"])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"nissan_sells_renault_pct": 5.5}, "nissan_sells_renault_pct = 5.5 is not allowed: 0 to 5 points"),
        (
            {"nissan_sells_renault_pct": 5.6, "buyer": "renault"},
            "nissan_sells_renault_pct = 5.6 is not allowed: 0 to 5.556 points",
        ),
        ({"nissan_sells_renault_pct": -1.0}, "nissan_sells_renault_pct = -1.0 is not allowed"),
        ({"nissan_sells_renault_pct": 101.0}, "nissan_sells_renault_pct = 101.0 is not allowed"),
        ({"nissan_sells_renault_pct": math.nan}, "nissan_sells_renault_pct = nan is not allowed"),
        ({"buyer": "state"}, "buyer = 'state' is not allowed: one of 'third_party', 'renault'"),
        ({"buyer": "Renault"}, "buyer = 'Renault' is not allowed"),
        ({"renault_share_price_eur": 0.0}, "renault_share_price_eur = 0.0 is not allowed"),
        ({"renault_share_price_eur": 20000.0}, "renault_share_price_eur = 20000.0 is not allowed"),
        ({"renault_share_price_eur": "45.94"}, "renault_share_price_eur = '45.94' is not allowed"),
        ({"nissan_in_renault_pct": -1.0}, "nissan_in_renault_pct = -1.0 is not allowed"),
        (
            {"nissan_in_renault_pct": 90.0},
            "nissan_in_renault_pct = 90.0 is not allowed: 0 to 84.99: other holders "
            "of Renault hold the rest at 2025-03-31 (French state 15.01% at 2020-12-31)",
        ),
        (
            {"nissan_in_renault_pct": 15.27, "nissan_sells_renault_pct": 5.3},
            "nissan_sells_renault_pct = 5.3 is not allowed: 0 to 5.27 points at a 10% lock-up: Nissan holds 15.27% of "
            "Renault",
        ),
        (
            {"nissan_in_renault_pct": 15.27, "nissan_sells_renault_pct": -0.5},
            "nissan_sells_renault_pct = -0.5 is not allowed: a finite number >= 0 and <= 100, and at the other values "
            "0 to 5.27 points at a 10% lock-up",
        ),
        (
            {"nissan_in_renault_pct": 101.0},
            "nissan_in_renault_pct = 101.0 is not allowed: a finite number >= 0 and "
            "<= 100, and at the other values 0 to 84.99: other holders of Renault hold the rest",
        ),
        ({"as_of": "2025-03-31"}, "as_of = '2025-03-31' is not allowed: unknown parameter"),
    ],
)
def test_bad_parameters(change: dict, message: str) -> None:
    assert_refused(ledger, change, message)


# --------------------------------------------------------------------------- fuzzing


def law_the_option_is_01s_formula(p: ledger.LedgerParams, r: dict) -> None:
    want = option(p.nissan_sells_renault_pct, p.renault_share_price_eur)
    assert r["nissan_option_proceeds_eur_m"] == pytest.approx(want, rel=1e-9, abs=1e-12)
    assert r["nissan_option_proceeds_eur_m"] >= 0


def law_the_sale_respects_the_lockup(p: ledger.LedgerParams, r: dict) -> None:
    before, lockup, most = ledger.most_points(p)
    assert before == p.nissan_in_renault_pct
    assert p.nissan_sells_renault_pct <= most + 1e-9
    assert p.nissan_in_renault_pct <= 100 - 15.01 + 1e-9  # the French state holds 15.01% (2020-12-31)
    s = p.nissan_sells_renault_pct / 100
    after = (
        (before - p.nissan_sells_renault_pct) / (1 - s)
        if p.buyer == "renault"
        else before - p.nissan_sells_renault_pct
    )
    if (
        p.nissan_sells_renault_pct > 1e-9
    ):  # a stake already below the lock-up allows no sale, and keeps its level
        assert after >= lockup - 1e-9, f"Nissan ends at {after}% of Renault, below the {lockup}% lock-up"


def law_the_ledger_adds_up(p: ledger.LedgerParams, r: dict) -> None:
    assert 0 <= r["undisclosed_items"] <= r["ledger_items"]
    assert r["renault_quantified_cash_eur_m"] < 0
    assert (
        r["nissan_ampere_commitment_avoided_eur_m"] + r["mitsubishi_ampere_commitment_avoided_eur_m"]
        == r["ampere_commitments_avoided_eur_m"]
    )


def law_the_dividends_and_the_breakeven(p: ledger.LedgerParams, r: dict) -> None:
    s = p.nissan_sells_renault_pct
    assert r["nissan_dividends_forgone_eur_m"] == pytest.approx(
        s / 100 * facts_csv()["renault_shares_outstanding"] * 2.2 / 1e6
    )
    be = r["option_reaches_plan_breakeven_eur"]
    if be is not None:  # the option at the break-even price raises the plan's sum
        assert option(s, be) == pytest.approx(plan_eur_m(), rel=1e-9)


LAWS = [
    law_the_option_is_01s_formula,
    law_the_sale_respects_the_lockup,
    law_the_ledger_adds_up,
    law_the_dividends_and_the_breakeven,
]

# parameter sets at the edges (no fuzzing finding needed a fix in this module)
REGRESSIONS: list[dict] = [
    {**DEFAULTS, "nissan_sells_renault_pct": 0.0},  # no sale
    {**DEFAULTS, "buyer": "renault", "nissan_sells_renault_pct": 5 / 0.9},  # a buyback exactly to the lock-up
    {**DEFAULTS, "renault_share_price_eur": 0.01},  # the lowest price allowed
    {**DEFAULTS, "nissan_in_renault_pct": 15.27, "nissan_sells_renault_pct": 5.27},  # 01's ambitious scenario
    {**DEFAULTS, "nissan_in_renault_pct": 0.0, "nissan_sells_renault_pct": 0.0},  # no stake, no sale
    # found by the fuzzer: Nissan holding 100% of Renault and Renault buying all of it back and cancelling it
    # (a capital of zero); refused now, as in 01: the French state's 15.01% leaves Nissan at most 84.99%
    {
        **DEFAULTS,
        "nissan_in_renault_pct": 100.0,
        "nissan_sells_renault_pct": 100.0,
        "buyer": "renault",
        "renault_share_price_eur": 10000.0,
    },
]
