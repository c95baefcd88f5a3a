"""What Renault's Nissan stake weighs in Renault, at each date the data hold both companies' prices.

The analyst's first question about the cross-holding: how much of Renault's own market value is
its Nissan stake, and what is left for everything else? For each day with a Renault share price
in ``data/share_prices.csv`` and a Nissan price within :data:`MAX_GAP_DAYS` days of it:

- the stake's value = Renault's Nissan shares x Nissan's price (yen) / the ECB yen rate of the
  Nissan price's day (EUR bn);
- Renault's market value = Renault's shares x its price (EUR bn);
- the stake's share of Renault's market value (%);
- at the latest such day, the "stub": Renault's market value - the stake's value - Renault's
  reported net cash (EUR bn), the implied value of everything else Renault owns.

A day with several Renault quotes (two intraday prices) gives a low and a high case; the value
shown is their middle. Nissan's Tokyo close of 31 March 2025 is not in the sources: it is derived
from the quote of 1 April 2025 ("387 yen, +2.2% on the previous close"), an inference, and labelled
so. Renault's Nissan shares are the replayed count (:func:`alliancelib.topics.ownership.replay.replay_trust`):
35.71% of Nissan's issued shares (3,713,998,612, treasury shares included).

The same shares at the carrying value Renault used before the switch to fair value (1,549 yen a
share at the end of 2024) give the book value behind the EUR 9.3bn non-cash loss.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

MAX_GAP_DAYS = 7  # the most days between the two companies' prices of one pairing
DERIVED_CLOSE_DAY = "2025-03-31"


def close_before(quote_jpy: float, change_pct: float) -> float:
    """The previous close implied by a quote and its change on that close (yen).

    >>> round(close_before(387, 2.2), 2)
    378.67
    """
    return quote_jpy / (1 + change_pct / 100)


def stake_value_eur_bn(shares: float, price_jpy: float, jpy_per_eur: float) -> float:
    """Market value of a block of Nissan shares in euros (EUR bn).

    >>> round(stake_value_eur_bn(1_326_184_659, 447, 181.83), 3)
    3.26
    """
    return shares * price_jpy / jpy_per_eur / 1e9


def market_value_eur_bn(shares: float, price_eur: float) -> float:
    """A company's market value (EUR bn).

    >>> round(market_value_eur_bn(295_722_284, 45.94), 2)
    13.59
    """
    return shares * price_eur / 1e9


def stub_eur_bn(market_value: float, stake_value: float, net_cash: float) -> float:
    """What the market implicitly pays for the rest of a company: its market value less a listed
    stake and its net cash (EUR bn; negative when the two exceed the market value).

    >>> round(stub_eur_bn(9.28, 3.26, 7.4), 2)
    -1.38
    """
    return market_value - stake_value - net_cash


@dataclass(frozen=True)
class Quote:
    """One share price: its day, value, currency, kind (close, intraday, ...) and source id; ``derived``
    when the data do not report it but it is inferred (then ``note`` says how)."""

    day: str
    price: float
    kind: str
    source_id: str
    derived: bool = False
    note: str = ""


@dataclass(frozen=True)
class Pairing:
    """A day with a Renault price (one or more quotes) and the Nissan price nearest to it."""

    renault: tuple[Quote, ...]
    nissan: Quote

    @property
    def day(self) -> str:
        """The Renault price's day."""
        return self.renault[0].day

    @property
    def gap_days(self) -> int:
        """Days between the two prices (0 on the same day)."""
        return abs((dt.date.fromisoformat(self.day) - dt.date.fromisoformat(self.nissan.day)).days)


def pair(renault: Sequence[Quote], nissan: Sequence[Quote], max_gap: int = MAX_GAP_DAYS) -> list[Pairing]:
    """Each Renault price day with the nearest Nissan price at most ``max_gap`` days away (the
    earlier on a tie), oldest first; days with no Nissan price near them are left out.

    >>> r = [Quote("2026-02-19", 31.37, "intraday", "a"), Quote("2026-02-19", 33.74, "intraday", "b"),
    ...      Quote("2026-01-13", 33.43, "close", "c")]
    >>> n = [Quote("2026-02-13", 447, "close", "d"), Quote("2026-02-20", 445, "close", "e")]
    >>> [(p.day, [q.price for q in p.renault], p.nissan.price, p.gap_days) for p in pair(r, n)]
    [('2026-02-19', [31.37, 33.74], 445, 1)]
    """
    days = sorted({q.day for q in renault})
    out = []
    for day in days:
        d = dt.date.fromisoformat(day)
        near = [(abs((d - dt.date.fromisoformat(q.day)).days), q.day, q) for q in nissan if len(q.day) == 10]
        near = [x for x in near if x[0] <= max_gap]
        if near:
            best = min(near, key=lambda x: (x[0], x[1]))[2]
            out.append(
                Pairing(tuple(sorted((q for q in renault if q.day == day), key=lambda q: q.price)), best)
            )
    return out


# --------------------------------------------------------------------------- from the data

CHANGE_FACT = "nissan_price_change_2025_04_01_pct"  # "+2.2% on the previous close" (2025-04-01)
CARRYING_FACT = "renault_nissan_carrying_value_jpy"
NET_CASH_FACT = "renault_fy2025_net_cash_eur_bn"
CARRYING_DAY = "2024-12-31"


def quotes() -> tuple[list[Quote], list[Quote]]:
    """Renault's and Nissan's prices from ``data/share_prices.csv`` (a placement's block price left
    out: it is not the market's), plus Nissan's close of 31 March 2025 derived from the next day's
    quote and its reported change."""
    from alliancelib.data import fact, load

    prices = load("share_prices")
    rows = [r for _, r in prices.iterrows() if r["kind"] != "placement"]
    renault = [
        Quote(str(r["date"]), float(r["price"]), str(r["kind"]), str(r["source_id"]))
        for r in rows
        if r["company"] == "Renault"
    ]
    nissan = [
        Quote(str(r["date"]), float(r["price"]), str(r["kind"]), str(r["source_id"]))
        for r in rows
        if r["company"] == "Nissan"
    ]
    nxt = next(q for q in nissan if q.day == "2025-04-01")
    change = float(fact(CHANGE_FACT))
    nissan.append(
        Quote(
            DERIVED_CLOSE_DAY,
            close_before(nxt.price, change),
            "close, derived",
            nxt.source_id,
            True,
            f"derived: {nxt.price:g} yen on 2025-04-01 was {change:+g}% on the previous close",
        )
    )
    return renault, nissan


def renault_nissan_shares() -> float:
    """Renault's Nissan shares (direct and in the trust): the replayed stake of Nissan's issued shares."""
    from alliancelib.topics.ownership.replay import replay_trust

    end = replay_trust("renault").iloc[-1]
    return float(round(end["total_pct"] / 100 * end["issued"]))  # a whole number of shares


@dataclass(frozen=True)
class Weight:
    """The stake's weight on one pairing of prices: values in EUR bn, shares in %, a low and a high
    case where the day has several Renault quotes (``stub`` only where net cash is given)."""

    pairing: Pairing
    jpy_per_eur: float
    stake_eur_bn: float
    renault_low_eur_bn: float
    renault_high_eur_bn: float
    stub_low_eur_bn: float | None = None
    stub_high_eur_bn: float | None = None

    @property
    def renault_eur_bn(self) -> float:
        """Renault's market value at the middle of the day's quotes (EUR bn)."""
        return (self.renault_low_eur_bn + self.renault_high_eur_bn) / 2

    @property
    def share_pct(self) -> float:
        """The stake as a share of Renault's market value at the middle of the day's quotes (%)."""
        return self.stake_eur_bn / self.renault_eur_bn * 100

    @property
    def share_low_pct(self) -> float:
        """The share at the day's highest Renault quote (%)."""
        return self.stake_eur_bn / self.renault_high_eur_bn * 100

    @property
    def share_high_pct(self) -> float:
        """The share at the day's lowest Renault quote (%)."""
        return self.stake_eur_bn / self.renault_low_eur_bn * 100

    @property
    def renault_mid_eur(self) -> float:
        """Renault's share price at the middle of the day's quotes (EUR)."""
        return (min(q.price for q in self.pairing.renault) + max(q.price for q in self.pairing.renault)) / 2

    @property
    def stub_breakeven_price_eur(self) -> float | None:
        """The Renault share price (EUR) at which the stub is zero: (stake + net cash) / Renault's
        shares. Below it the stake and the cash are worth more than all of Renault."""
        if self.stub_low_eur_bn is None:
            return None
        shares = self.renault_low_eur_bn * 1e9 / min(q.price for q in self.pairing.renault)
        cash = self.renault_low_eur_bn - self.stake_eur_bn - self.stub_low_eur_bn
        return (self.stake_eur_bn + cash) * 1e9 / shares

    @property
    def stub_eur_bn(self) -> float | None:
        """The stub at the middle of the day's quotes (EUR bn)."""
        if self.stub_low_eur_bn is None or self.stub_high_eur_bn is None:
            return None
        return (self.stub_low_eur_bn + self.stub_high_eur_bn) / 2


def weigh(
    p: Pairing, shares: float, renault_shares: float, jpy_per_eur: float, net_cash_eur_bn: float | None = None
) -> Weight:
    """The stake's weight on one pairing.

    >>> p = Pairing((Quote("2026-02-19", 31.37, "i", "a"), Quote("2026-02-19", 33.74, "i", "b")),
    ...             Quote("2026-02-13", 447, "close", "c"))
    >>> w = weigh(p, 1_326_184_659, 295_722_284, 181.83, 7.4)
    >>> round(w.stake_eur_bn, 2), round(w.share_low_pct, 1), round(w.share_high_pct, 1)
    (3.26, 32.7, 35.1)
    >>> round(w.stub_low_eur_bn, 2), round(w.stub_high_eur_bn, 2)
    (-1.38, -0.68)
    """
    stake = stake_value_eur_bn(shares, p.nissan.price, jpy_per_eur)
    low = market_value_eur_bn(renault_shares, min(q.price for q in p.renault))
    high = market_value_eur_bn(renault_shares, max(q.price for q in p.renault))
    if net_cash_eur_bn is None:
        return Weight(p, jpy_per_eur, stake, low, high)
    return Weight(
        p,
        jpy_per_eur,
        stake,
        low,
        high,
        stub_eur_bn(low, stake, net_cash_eur_bn),
        stub_eur_bn(high, stake, net_cash_eur_bn),
    )


def weights() -> list[Weight]:
    """The stake's weight at every pairing of prices in the data, oldest first; the latest one also
    with the stub (Renault's reported net cash at the end of 2025)."""
    from alliancelib import fx
    from alliancelib.data import fact

    renault, nissan = quotes()
    pairings = pair(renault, nissan)
    shares = renault_nissan_shares()
    renault_shares = float(fact("renault_shares_outstanding_2025"))
    out = []
    for i, p in enumerate(pairings):
        rate = fx.ecb_rate("JPY", p.nissan.day).rate_per_eur
        cash = float(fact(NET_CASH_FACT)) if i == len(pairings) - 1 else None
        out.append(weigh(p, shares, renault_shares, rate, cash))
    return out


def carrying_value_eur_bn() -> float:
    """Renault's Nissan shares at the carrying value of the end of 2024 (1,549 yen a share) in euros
    at the ECB rate of that day (EUR bn): the book value the switch to fair value wrote down."""
    from alliancelib import fx
    from alliancelib.data import fact

    rate = fx.ecb_rate("JPY", CARRYING_DAY).rate_per_eur
    return stake_value_eur_bn(renault_nissan_shares(), float(fact(CARRYING_FACT)), rate)
