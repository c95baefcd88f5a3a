"""What notebook 01 reads from ``data/``: the shareholdings, the sourced figures of ``facts.csv`` by
key, the share prices, the events and the exchange rates, each read once per state of the files
(:func:`data_stamp`). No sourced value is typed into code or text: the figures the report states are
read here by their ``fact_id`` (:func:`fact`, :func:`facts`), a price by its company and date
(:func:`price_on`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from alliancelib import reads
from alliancelib.data import parse_partial_date
from alliancelib.topics.ownership.holdings import holdings_matrix, snapshot, stake

REBALANCING = dt.date(2023, 11, 8)
REBALANCING_DAY = "2023-11-08"  # the first row of the rebalanced stakes in shareholdings.csv
MARKET_DAY = "2025-03-31"  # the date of the reported Nissan market value and Renault price
PLAN_DAY = "2025-06-16"  # Nissan's reported plan to sell 5% of Renault
FAIR_VALUE_DAY = "2025-06-30"  # Renault holds its Nissan stake at fair value from this date
SWITCH_PRICE_DAY = "2025-07-01"  # the Nissan price reported on the day of the fair-value switch
PLACEMENT_DAYS = (
    "2025-08-25",
    "2025-08-26",
)  # Mercedes-Benz's placement of its Nissan stake and the close before
TRUST_SALE_DAYS = ("2023-12-13", "2024-04-03", "2024-10-03")  # the trust's stake reported after each sale
FILES = (
    "shareholdings.csv",
    "facts.csv",
    "fx_rates.csv",
    "share_prices.csv",
    "events.csv",
    "gaps.csv",
    "sources.csv",
    "datapackage.json",
)


def data_stamp() -> tuple[Any, ...]:
    """The data folder and the state of the files this topic reads (cache key)."""
    from alliancelib.data import file_stamp

    return file_stamp(*FILES)


def fact(fact_id: str) -> float:
    """The value of a row of facts.csv (cached per data state), recorded as read."""
    values, sources = _facts_cached(data_stamp())
    reads.record("facts", fact_id, sources[fact_id])
    return values[fact_id]


@reads.cached(maxsize=4)
def _facts_cached(stamp: tuple[Any, ...]) -> tuple[dict[str, float], dict[str, str]]:
    from alliancelib.data import load

    facts = load("facts")
    return (
        dict(zip(facts["fact_id"], facts["value"].astype(float), strict=True)),
        dict(zip(facts["fact_id"], facts["source_id"].astype(str), strict=True)),
    )


def start() -> tuple[float, float, float]:
    """Nissan's shares before the buybacks and Renault's direct and trust stakes then (%)."""
    return _start_cached(data_stamp())


@reads.cached(maxsize=4)
def _start_cached(stamp: tuple[Any, ...]) -> tuple[float, float, float]:
    from alliancelib.data import load

    sh = load("shareholdings")
    first = sh[(sh["as_of"] == REBALANCING_DAY) & (sh["holder"] == "Renault") & (sh["company"] == "Nissan")]
    pct = first.set_index("holding")["economic_pct"]
    return fact("nissan_shares_before_buybacks"), float(pct["direct"]), float(pct["trust"])


@dataclass(frozen=True)
class Base:
    """What the data give at a snapshot date, for :func:`headline` (no parameter but ``as_of``)."""

    snap: pd.DataFrame
    renault_econ: float
    renault_direct: float
    renault_trust: float
    renault_votes: float | None
    has_nissan: bool
    w: np.ndarray  # the economic W with Nissan's stake in Renault set to 0 (a parameter fills it)
    others_in_renault: float  # % of Renault held by the other holders recorded (French state)
    others_in_renault_text: str
    renault_shares: float
    renault_price_eur: float  # Renault's reported price on MARKET_DAY, the date of Nissan's market value
    usd_per_eur: float  # ECB, 2025-03-31
    plan_eur_m: float  # Nissan's JPY 100bn plan in euros (ECB, 2025-06-16)
    plan_points: float
    trust_proceeds_eur_m: float
    dividend_eur: float  # Renault's latest proposed dividend a share (for 2025, voted 2026-04-30)
    nissan_close_derived_jpy: float  # Nissan's close of 2025-03-31 derived from the next day's quote
    carrying_value_eur_bn: float  # Renault's Nissan shares at the carrying value of 2024-12-31
    weights: tuple[Any, ...]  # stake_weight.Weight at each date with both prices, oldest first

    @property
    def room_in_renault(self) -> float:
        """The most Nissan can hold of Renault beside the other holders recorded."""
        return 100.0 - self.others_in_renault


def base(as_of: str) -> Base:
    """What the data give at a snapshot date (cached per date and data state)."""
    return _base_cached(as_of, data_stamp())


@reads.cached(maxsize=64)
def _base_cached(as_of: str, stamp: tuple[Any, ...]) -> Base:
    from alliancelib import fx
    from alliancelib.data import load

    snap = snapshot(load("shareholdings"), as_of)
    econ = stake(snap, "Renault", "Nissan") or 0.0
    others = snap[(snap["company"] == "Renault") & (snap["holder"] != "Nissan")]
    w = holdings_matrix(snap[~((snap["holder"] == "Nissan") & (snap["company"] == "Renault"))])
    text = (
        "; ".join(f"{r['holder']} {r['economic_pct']:g}% at {r['as_of']}" for _, r in others.iterrows())
        or "none recorded"
    )
    plan_jpy = fx.ecb_rate("JPY", PLAN_DAY).rate_per_eur
    return Base(
        snap=snap,
        renault_econ=econ,
        renault_direct=stake(snap, "Renault", "Nissan", holding="direct") or 0.0,
        renault_trust=stake(snap, "Renault", "Nissan", holding="trust") or 0.0,
        renault_votes=stake(snap, "Renault", "Nissan", "voting"),
        has_nissan=stake(snap, "Nissan", "Renault") is not None,
        w=w,
        others_in_renault=float(others["economic_pct"].sum()),
        others_in_renault_text=text,
        renault_shares=fact("renault_shares_outstanding_2025"),
        renault_price_eur=renault_price_on(load("share_prices"), MARKET_DAY),
        usd_per_eur=fx.ecb_rate("USD", MARKET_DAY).rate_per_eur,
        plan_eur_m=fact("nissan_plan_sale_jpy_bn") * 1e3 / plan_jpy,
        plan_points=fact("nissan_plan_sale_points_pct"),
        trust_proceeds_eur_m=sum(fact(f"trust_sale{k}_proceeds_eur_m") for k in (1, 2, 3)),
        dividend_eur=fact("renault_dividend_2025_eur"),
        **_weights(),
    )


def _weights() -> dict[str, Any]:
    """What the stake weighs in Renault at each date with both prices (:mod:`.stake_weight`)."""
    from alliancelib.topics.ownership import stake_weight as sw

    _, nissan = sw.quotes()
    derived = next(q for q in nissan if q.derived)
    return {
        "nissan_close_derived_jpy": derived.price,
        "carrying_value_eur_bn": sw.carrying_value_eur_bn(),
        "weights": tuple(sw.weights()),
    }


# --------------------------------------------------------------------------- headline results


FACT_IDS = (
    "renault_shares_outstanding_2025",
    "nissan_shares_issued",
    "nissan_shares_before_buybacks",
    "trust_sale1_shares",
    "trust_sale1_proceeds_jpy_bn",
    "trust_sale1_proceeds_eur_m",
    "trust_sale1_renault_loss_eur_bn",
    "trust_sale2_shares_nissan",
    "trust_sale2_shares_renault",
    "trust_sale2_price_jpy",
    "trust_sale2_proceeds_eur_m",
    "trust_sale3_shares",
    "trust_sale3_proceeds_jpy_bn",
    "trust_sale3_proceeds_eur_m",
    "lockup_before_pct",
    "lockup_after_pct",
    "nissan_plan_sale_points_pct",
    "nissan_plan_sale_jpy_bn",
    "nissan_plan_sale_usd_m",
    "renault_share_price_eur",
    "nissan_market_cap_usd_bn",
    "renault_nissan_fair_value_loss_eur_bn",
    "renault_fy2025_nissan_charge_eur_bn",
    "renault_fy2025_nissan_noncash_loss_eur_bn",
    "renault_fy2025_nissan_associate_loss_eur_bn",
    "renault_nissan_carrying_value_jpy",
    "renault_fy2025_net_loss_eur_bn",
    "renault_fy2025_net_cash_eur_bn",
    "nissan_in_renault_pct_netdenjd",
    "nissan_in_renault_pct_lseg",
    "renault_in_nissan_pct_2025_07",
    "renault_in_nissan_pct_2025_08",
    "mercedes_nissan_stake_pct",
    "nissan_fy2025_net_loss_forecast_jpy_bn",
    "nissan_mmc_sale_proceeds_jpy_bn",
    "nissan_hq_sale_jpy_bn",
    "nissan_fy2025_net_loss_jpy_bn",
    "nissan_block_5pct_eur_m_bloomberg",
    "voting_cap_pct",
    "renault_h1_2025_net_income_eur_m",
    "nissan_price_change_2025_04_01_pct",
    "renault_dividend_2025_eur",
    "nissan_shares_ex_treasury",
)


def facts() -> tuple[dict[str, float], dict[str, str]]:
    from alliancelib.data import load

    facts = load("facts").set_index("fact_id")
    missing = [f for f in FACT_IDS if f not in facts.index]
    if missing:
        raise KeyError(f"facts.csv has no {', '.join(missing)}")
    for f in FACT_IDS:
        reads.record("facts", f, str(facts.at[f, "source_id"]))
    return (
        {f: float(facts.at[f, "value"]) for f in FACT_IDS},  # type: ignore[arg-type]
        {f: str(facts.at[f, "source_id"]) for f in FACT_IDS},
    )


def prices() -> pd.DataFrame:
    """The share prices of ``data/share_prices.csv``."""
    from alliancelib.data import load

    return load("share_prices")


def renault_price_on(prices: pd.DataFrame, day: str) -> float:
    """Renault's reported share price on a day (EUR); ``KeyError`` if the data hold none.

    >>> from alliancelib.data import load
    >>> renault_price_on(load("share_prices"), "2025-03-31")
    45.94
    """
    rows = market_prices(prices, "Renault")
    rows = rows[rows["date"].astype(str) == day]
    if rows.empty:
        raise KeyError(f"share_prices.csv has no Renault price on {day}")
    return float(rows.iloc[0]["price"])


def price_on(prices_: pd.DataFrame, company: str, day: str, kind: str | None = None) -> float:
    """A company's reported share price on a day (of one ``kind`` if given: close, intraday,
    placement...); ``KeyError`` if the data hold none."""
    rows = prices_[(prices_["company"] == company) & (prices_["date"].astype(str) == day)]
    if kind is not None:
        rows = rows[rows["kind"] == kind]
    if rows.empty:
        raise KeyError(f"share_prices.csv has no {company} price on {day}" + (f" ({kind})" if kind else ""))
    return float(rows.iloc[0]["price"])


def market_prices(prices: pd.DataFrame, company: str, year: str | None = None) -> pd.DataFrame:
    """The market quotes of a company's shares (closes and intraday prices, not placements), in a
    year if given."""
    sub = prices[(prices["company"] == company) & (prices["kind"] != "placement")]
    if year is not None:
        sub = sub[sub["date"].astype(str).str.startswith(year)]
    return sub


def price_extremes(prices: pd.DataFrame) -> pd.DataFrame:
    """The rows of the lowest and highest Renault price reported and of Nissan's lowest and highest
    2025 quote: the figures the text states."""
    rows = []
    for sub in (market_prices(prices, "Renault"), market_prices(prices, "Nissan", "2025")):
        prices_ = sub["price"].to_numpy(dtype=float)
        rows += [sub.iloc[int(prices_.argmin())], sub.iloc[int(prices_.argmax())]]
    return pd.DataFrame(rows)


def events_since(events: pd.DataFrame) -> pd.DataFrame:
    sub = events[events["topic"] == "alliance"].copy()
    sub["day"] = [parse_partial_date(d) for d in sub["date"]]
    sub = sub[sub["day"] > dt.date.fromisoformat(MARKET_DAY)]
    return sub.sort_values(["day", "event"], kind="stable")[["date", "event", "source_id"]].reset_index(
        drop=True
    )
