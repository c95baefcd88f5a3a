"""The 2026-12 data audit's rows and the second research update, as they stand in data/.

Each test reads the CSVs directly (no alliancelib) and names the audit row or research item it pins;
the answers are listed in data/README.md ("Audit answers (review of 2026-12 ...)").
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from alliancelib import data
from alliancelib.errors import DataError
from alliancelib.paths import DATA_DIR


def rows(name: str) -> list[dict[str, str]]:
    return list(csv.DictReader((DATA_DIR / f"{name}.csv").open(encoding="utf-8")))


def facts() -> dict[str, dict[str, str]]:
    return {r["fact_id"]: r for r in rows("facts")}


def test_no_figure_read_off_an_address() -> None:
    # audit facts L99 and sources L16: the -EUR 211m came from a URL slug only
    assert "renault_fy2024_nissan_contribution_eur_m" not in facts()
    src = {r["source_id"]: r for r in rows("sources")}["automotiveworld_fy2024_nissan_contribution"]
    assert src["title"].startswith("[") and "211" not in src["title"] and "EUR" not in src["title"]
    assert "nissan_fy2024_contribution" in {g["gap_id"] for g in rows("gaps")}


def test_the_march_2024_cancellation_is_dated_and_reported() -> None:
    # audit facts L14, shareholdings L14: Renault's release reports the cancellation on 2024-04-03
    direct = [r for r in rows("shareholdings") if r["holder"] == "Renault" and r["economic_pct"] == "16.19"]
    assert [(r["as_of"], r["source_id"]) for r in direct] == [("2024-04-03", "finanzen_renault_20240328")]
    assert "(reported)" in direct[0]["note"] and "inference" in direct[0]["note"]
    assert "is an inference" not in facts()["trust_sale2_shares_nissan"]["note"].split(";")[0]


def test_conflicts_stay_visible_as_rows() -> None:
    f = facts()
    # audit facts L69: the Evolution screen, 10.1 in (Caradisiac) against 7 in (Tarantas)
    screens = {k: float(f[k]["value"]) for k in f if k.startswith("twingo_touchscreen_evolution_in_")}
    assert screens == {
        "twingo_touchscreen_evolution_in_caradisiac": 10.1,
        "twingo_touchscreen_evolution_in_tarantas": 7.0,
    }
    # research update 2: Reuters' 500,000 is a third Chennai capacity, beside 400,000 and 480,000
    capacity = sorted(float(r["value"]) for r in f.values() if r["fact_id"].startswith("rnaipl_capacity_"))
    assert capacity == [400000, 400000, 480000, 480000, 500000]
    assert all("CONFLICTS" in r["note"] for r in f.values() if r["fact_id"].startswith("rnaipl_capacity_"))
    # the Ampere plan of 2026: the union's account and the press account, two rows
    plan = [e for e in rows("events") if e["event_id"].startswith("ampere_plan_")]
    assert {e["source_id"] for e in plan} == {"miroirsocial_ampere", "lepolitique_ampere"}


def test_each_new_fact_keeps_its_kind() -> None:
    f = facts()
    kinds = {
        k: f[k]["source_kind"]
        for k in (
            "nissan_fy2025_net_loss_jpy_bn",
            "nissan_fy2026_operating_income_guidance_jpy_bn",
            "renault_market_cap_20251231_eur_bn",
            "rnaipl_capacity_reuters_units",
            "renault_india_domestic_fy2025_units",
            "revoz_twingo_investment_eur_m",
            "twingo_price_gr_after_support_eur",
        )
    }
    assert kinds == {
        "nissan_fy2025_net_loss_jpy_bn": "reported",
        "nissan_fy2026_operating_income_guidance_jpy_bn": "reported",
        "renault_market_cap_20251231_eur_bn": "secondary",
        "rnaipl_capacity_reuters_units": "reported",
        "renault_india_domestic_fy2025_units": "secondary",
        "revoz_twingo_investment_eur_m": "reported",
        "twingo_price_gr_after_support_eur": "secondary",
    }
    assert (
        float(f["nissan_fy2025_net_loss_jpy_bn"]["value"]),
        float(f["nissan_fy2025_operating_income_jpy_bn"]["value"]),
        f["nissan_fy2025_net_loss_jpy_bn"]["as_of"],
    ) == (533.1, 58.0, "2026-05-13")
    prices = {
        (r["date"], r["company"]): (float(r["price"]), r["kind"], r["source_kind"])
        for r in rows("share_prices")
    }
    assert prices[("2026-01-13", "Renault")] == (33.43, "close", "secondary")
    assert prices[("2026-02-20", "Nissan")] == (445.0, "close", "secondary")
    # audit share_prices L4: Reuters does not say whether 341.8 yen was the close
    assert prices[("2025-07-01", "Nissan")] == (341.8, "not stated", "reported")
    # the answered gap is gone, the open ones stay
    gaps = {g["gap_id"] for g in rows("gaps")}
    assert (
        "nissan_fy2025_actual" not in gaps
        and {"rnaipl_price", "renault_h1_2026", "ampere_merger_done"} <= gaps
    )


def test_the_2026_schemes_are_rows_with_their_sums() -> None:
    inc = rows("incentives")
    spain = {
        r["tier"]: (float(r["amount"]), r["basis"]) for r in inc if r["scheme"].startswith("Programa Auto+ (")
    }
    # Annex II parts: electric 2,250; price <= 35,000 1,125 (35-45k 675); EU assembly 675; EU battery 450
    assert sorted(spain.values()) == [
        (3375.0, "derived"),
        (4050.0, "derived"),
        (4050.0, "derived"),
        (4500.0, "reported"),
    ]
    leasing = sorted(float(r["amount"]) for r in inc if r["scheme"] == "leasing social 2026")
    assert leasing == [6500.0, 9000.0]
    offers = {
        r["household"]: float(r["amount"])
        for r in inc
        if r["scheme"].startswith("coup de pouce 2026 (offers")
    }
    assert offers["high"] == 3314 and all(
        "CONFLICTS" in r["note"] for r in inc if r["scheme"].startswith("coup de pouce 2026 (offers")
    )
    germany = {
        r["tier"]: float(r["amount"]) for r in inc if r["scheme"].startswith("E-Auto-Förderung 2026 (")
    }
    assert [germany[f"BEV, taxable income <= {n}000 EUR"] for n in (45, 60, 80)] == [5000, 4000, 3000]


def test_the_july_commitment_is_not_said_to_replace_the_february_one() -> None:
    # audit ampere_commitments L2-L3: the research says "then"
    nissan = [r for r in rows("ampere_commitments") if r["investor"] == "Nissan"]
    assert [r["status"] for r in nissan] == ["followed", "released"] and nissan[0]["ended_on"] == ""
    assert "the sources say 'then', not that the July commitment replaced this one" in nissan[0]["note"]
    assert "no source says it replaced the February one" in nissan[1]["note"]


def test_the_twingo_launch_is_unverified() -> None:
    # audit claims L4: the launch events are in 2025, the 2026 deliveries are a plan not confirmed
    claim = {r["claim_id"]: r for r in rows("claims")}["twingo_launch_2026"]
    assert (claim["status"], claim["done_on"]) == ("unverified", "")


def test_a_source_kind_outside_the_two_is_refused(data_copy: Path) -> None:
    f = data_copy / "share_prices.csv"
    text = f.read_text(encoding="utf-8")
    f.write_text(
        text.replace(",close,reported,secondary,kabutec_7201,", ",close,reported,blog,kabutec_7201,"),
        encoding="utf-8",
    )
    with pytest.raises(DataError) as info:
        data.load_all(data_copy)
    assert (info.value.problems[0].file, info.value.problems[0].column) == (
        "data/share_prices.csv",
        "source_kind",
    )


def test_each_statement_of_section_4_has_an_answer() -> None:
    # the audit's §4 counts 25 statements (its nb01 row on dates and sources as two) and notes 3 more;
    # data/README.md answers each in its own row, then the §6 questions
    text = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    section = text.split("## Audit answers (review of 2026-12")[1].split("\n## ")[0]
    table = section.split("### Statements a reader sees (§4)")[1]
    body = [
        line for line in table.splitlines() if line.startswith("| ") and not line.startswith("| notebook")
    ]
    cells = [[c.strip() for c in line.strip("|").split(" | ")] for line in body]
    assert all(len(row) == 3 and all(row) for row in cells), [row for row in cells if len(row) != 3]
    noted = [row for row in cells if "(noted, not counted)" in row[0]]
    six = [row for row in cells if row[0].startswith("§6")]
    counted = [row for row in cells if row not in noted and row not in six]
    assert (len(counted), len(noted), len(six)) == (25, 3, 2)
    assert all(row[2].split(":")[0].split(" ")[0] in ("Fixed", "Answered", "Open") for row in cells), [
        row[2][:40] for row in cells
    ]


def test_the_dollar_value_of_the_yen_plan_is_rounded_as_the_notebook_rounds_it() -> None:
    # audit §4 noted: JPY 100bn at the ECB cross-rate of 2025-06-16 is USD 693.5m, printed 694 in 01
    fx = {(r["date"], r["currency"]): float(r["rate_per_eur"]) for r in rows("fx_rates")}
    usd_m = 100_000 / fx[("2025-06-16", "JPY")] * fx[("2025-06-16", "USD")]
    assert f"about USD {usd_m:.0f}m" in facts()["nissan_plan_sale_usd_m"]["note"]


def test_the_dividends_keep_their_kinds() -> None:
    # research 2026-update.md §8: Renault's EUR 2.20 is proposed ("submitted to approval of the AGM on
    # April 30, 2026"); 2026-update-2.md §4: the approval was not found; §3: Nissan's "no dividend" for
    # FY2025 (a personal site, secondary) and "dividend ¥0" in its FY2026 guidance (a forecast)
    f = facts()
    renault = f["renault_dividend_2025_eur"]
    assert (float(renault["value"]), renault["source_kind"]) == (2.2, "reported")
    assert "Proposed, not approved" in renault["note"] and "not found" in renault["note"]
    fy2025, fy2026 = f["nissan_fy2025_dividend_jpy"], f["nissan_fy2026_dividend_guidance_jpy"]
    assert (float(fy2025["value"]), fy2025["source_kind"], fy2025["source_id"]) == (
        0.0,
        "secondary",
        "soytuber_nissan_psr",
    )
    assert (float(fy2026["value"]), fy2026["source_kind"], fy2026["as_of"]) == (0.0, "reported", "2026-05-13")
    assert "A forecast (guidance)" in fy2026["note"]
