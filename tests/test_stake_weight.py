"""What Renault's Nissan stake weighs in Renault (alliancelib.topics.ownership.stake_weight), against
numbers worked by hand from data/*.csv with the csv module (no library code in the oracle)."""

from __future__ import annotations

import csv

import pytest

from alliancelib.paths import DATA_DIR
from alliancelib.topics.ownership import stake_weight as sw


def rows(table: str) -> list[dict[str, str]]:
    with (DATA_DIR / f"{table}.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def fact(fact_id: str) -> float:
    return float(next(r["value"] for r in rows("facts") if r["fact_id"] == fact_id))


def jpy(day: str) -> float:
    return float(
        next(r["rate_per_eur"] for r in rows("fx_rates") if r["date"] == day and r["currency"] == "JPY")
    )


SHARES = 1_326_184_659  # 0.434 x 4,220,715,112 - 211,000,000 - 99,132,100 - 195,473,600 (the replay)


def test_renault_holds_the_replayed_count_of_nissan_shares() -> None:
    start = 0.434 * fact("nissan_shares_before_buybacks")
    sold = fact("trust_sale1_shares") + fact("trust_sale2_shares_renault") + fact("trust_sale3_shares")
    assert round(start - sold) == SHARES == sw.renault_nissan_shares()


def test_the_31_march_close_is_derived_from_the_next_days_quote() -> None:
    # 387 yen on 2025-04-01 was +2.2% on the previous close: 387 / 1.022 = 378.67 (an inference)
    _, nissan = sw.quotes()
    derived = next(q for q in nissan if q.day == "2025-03-31")
    assert derived.derived and derived.price == pytest.approx(378.67, abs=0.005)
    assert "derived" in derived.note and "2025-04-01" in derived.note


def test_the_weight_at_each_date_with_both_prices() -> None:
    ws = sw.weights()
    assert [w.pairing.day for w in ws] == ["2025-03-31", "2025-07-01", "2026-02-19"]
    renault = fact("renault_shares_outstanding_2025")
    # 31 March 2025: Nissan's derived close, Renault's 45.94 (intraday), ECB 161.60
    first = ws[0]
    assert first.stake_eur_bn == pytest.approx(SHARES * 387 / 1.022 / jpy("2025-03-31") / 1e9)
    assert round(first.stake_eur_bn, 2) == 3.11 and round(first.share_pct, 1) == 22.9
    # 1 July 2025: Nissan 341.8, Renault 40.24 (Tradegate), ECB 168.70: 22.6%
    second = ws[1]
    assert second.pairing.gap_days == 0 and round(second.share_pct, 1) == 22.6
    assert second.renault_eur_bn == pytest.approx(renault * 40.24 / 1e9)
    # February 2026: Renault's two intraday quotes of 19 Feb, Nissan's nearest close (445 yen on 20 Feb,
    # a secondary source, one day apart; 447 yen on 13 Feb is six days away)
    last = ws[-1]
    import datetime as dt

    day = dt.date(2026, 2, 19)
    nissan = [r for r in rows("share_prices") if r["company"] == "Nissan" and r["kind"] != "placement"]
    near = min(nissan, key=lambda r: (abs((dt.date.fromisoformat(r["date"]) - day).days), r["date"]))
    assert (near["date"], float(near["price"])) == ("2026-02-20", 445.0)
    assert last.pairing.gap_days == 1 and last.jpy_per_eur == jpy("2026-02-20")
    stake = SHARES * 445 / jpy("2026-02-20") / 1e9
    assert last.stake_eur_bn == pytest.approx(stake)
    assert (round(last.share_low_pct, 1), round(last.share_high_pct, 1)) == (32.4, 34.8)
    cash = fact("renault_fy2025_net_cash_eur_bn")
    assert last.stub_low_eur_bn == pytest.approx(renault * 31.37 / 1e9 - stake - cash)
    assert (round(last.stub_low_eur_bn, 2), round(last.stub_high_eur_bn, 2)) == (-1.35, -0.65)
    assert first.stub_eur_bn is None  # net cash is reported for the end of 2025 only


def test_the_carrying_value_behind_the_loss() -> None:
    # 1,549 yen a share at the end of 2024, at the ECB rate of 2024-12-31
    value = sw.carrying_value_eur_bn()
    assert value == pytest.approx(SHARES * 1549 / jpy("2024-12-31") / 1e9)
    assert round(value, 1) == 12.6


def test_pairing_takes_the_nearest_price_within_a_week() -> None:
    r = [sw.Quote("2026-01-13", 33.43, "close", "a"), sw.Quote("2026-03-01", 30.0, "close", "b")]
    n = [sw.Quote("2026-02-20", 445.0, "close", "c"), sw.Quote("2026-02-27", 440.0, "close", "d")]
    assert [(p.day, p.nissan.day) for p in sw.pair(r, n)] == [("2026-03-01", "2026-02-27")]
    assert sw.pair(r, n, max_gap=1) == []
