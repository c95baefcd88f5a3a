"""The three sales of Nissan shares from the French trust (2023-2024), replayed on share counts:
:func:`replay` runs dated share transactions (a sale to a buyer, a buyback and cancellation by the
issuer) on any holdings; :func:`replay_trust` runs the trust's three sales from the rebalancing of
8 November 2023 with either count of the March 2024 sale; :func:`replay_check` says which count
reproduces the reported stakes within their rounding. Share counts come from ``data/facts.csv``
(:func:`alliancelib.topics.ownership.inputs.fact`); no words here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import pandas as pd

from alliancelib import reads
from alliancelib.topics.ownership.holdings import TRUST
from alliancelib.topics.ownership.inputs import data_stamp, fact, start

Count = Literal["renault", "nissan"]
# the reported figures the replay is checked against (keys of replay_check's rows; the table words them)
CHECKS = ("trust_after_2", "trust_after_3", "total_after_3", "issued_after_3")

ISSUER = None  # the buyer of a buyback: the issuer buys its own shares and cancels them
OTHERS = "Other shareholders"


@dataclass(frozen=True)
class Trade:
    """One dated share transaction.

    ``seller`` sells ``shares`` to ``buyer``; ``buyer`` None means the issuer buys them back and
    cancels them. ``cancelled`` (a buyback only) is how many shares the issuer cancels in all,
    when its buyback also took shares from other holders (the rest come from them); it defaults
    to ``shares``.
    """

    date: str
    label: str
    seller: str
    shares: float
    buyer: str | None = ISSUER
    cancelled: float | None = None


def replay(
    issued: float, holdings: Mapping[str, float], trades: Sequence[Trade], others: str = OTHERS
) -> pd.DataFrame:
    """Each holder's shares and stake after each trade, from ``issued`` shares of which the named
    ``holdings`` are held (the rest by ``others``).

    Returns one row per step (0 = the start) and holder: ``step``, ``date``, ``label``,
    ``holder``, ``shares``, ``stake_pct`` and ``issued``. A buyback cancels shares, so every holder
    who does not sell rises by ``1 / (1 - s)``, ``s`` the fraction of shares cancelled.

    >>> t = replay(1000, {"A": 300, "B": 100}, [Trade("2024", "buyback", "B", 100)])
    >>> t[t["step"] == 1].set_index("holder")["stake_pct"].round(4).to_dict()
    {'A': 33.3333, 'B': 0.0, 'Other shareholders': 66.6667}
    """
    held = {str(h): float(v) for h, v in holdings.items()}
    if others in held:
        raise ValueError(f"{others!r} is the name of the remaining holders; name the holders otherwise")
    n = float(issued)
    if any(v < 0 for v in held.values()) or sum(held.values()) > n * (1 + 1e-12):
        raise ValueError("holdings must be >= 0 and add up to at most the shares issued")
    rows = _replay_rows(0, "", "start", n, held, others)
    for step, t in enumerate(trades, 1):
        _check_trade(t, held, n, others)
        if t.seller != others:
            held[t.seller] = max(held[t.seller] - t.shares, 0.0)
        if t.buyer is ISSUER:
            n -= t.shares if t.cancelled is None else float(t.cancelled)
        elif t.buyer != others:
            held[t.buyer] = held.get(t.buyer, 0.0) + t.shares
        rows += _replay_rows(step, t.date, t.label, n, held, others)
    return pd.DataFrame(rows)


def _check_trade(t: Trade, held: Mapping[str, float], n: float, others: str) -> None:
    """ValueError if a trade is impossible with the shares as they are before it."""
    rest = n - sum(held.values())
    if t.shares < 0:
        raise ValueError(f"{t.label}: a trade of {t.shares:,.0f} shares")
    if t.seller == others and t.shares > rest * (1 + 1e-12):
        raise ValueError(f"{t.label}: {others} hold only {rest:,.0f} shares")
    if t.seller != others and held.get(t.seller, 0.0) < t.shares * (1 - 1e-12):
        raise ValueError(
            f"{t.label}: {t.seller} holds only {held.get(t.seller, 0.0):,.0f} shares, "
            f"not the {t.shares:,.0f} sold"
        )
    if t.buyer is not ISSUER:
        return
    cancelled = t.shares if t.cancelled is None else float(t.cancelled)
    from_rest = cancelled - t.shares
    if from_rest < -1e-6:
        raise ValueError(f"{t.label}: the issuer cannot cancel fewer shares than it bought")
    if t.seller != others and from_rest > rest * (1 + 1e-12):
        raise ValueError(
            f"{t.label}: {others} hold only {rest:,.0f} shares, not the {from_rest:,.0f} also cancelled"
        )
    if cancelled >= n:
        raise ValueError(f"{t.label}: cannot cancel every share")


def _replay_rows(
    step: int, date: str, label: str, n: float, held: Mapping[str, float], others: str
) -> list[dict[str, Any]]:
    rest = max(n - sum(held.values()), 0.0)
    return [
        {
            "step": step,
            "date": date,
            "label": label,
            "holder": h,
            "shares": v,
            "stake_pct": v / n * 100,
            "issued": n,
        }
        for h, v in [*held.items(), (others, rest)]
    ]


def trust_sales(count: Count) -> list[Trade]:
    """The three sales of Nissan shares from the French trust, each bought back by Nissan and
    cancelled. ``count`` says how the March 2024 sale is read:

    - ``"renault"``: the trust sold 99,132,100 shares (Renault's completion release) within a
      buyback in which Nissan cancelled 100,242,900 in all (Nissan's figure; 1,110,800 from other
      holders: Renault's release says Nissan cancels all the bought-back shares; that the buyback
      covered 100,242,900 in all is an inference from the share counts);
    - ``"nissan"``: the trust sold all 100,242,900 (Nissan's count taken as the trust's sale).
    """
    bought = fact("trust_sale2_shares_nissan")
    sold2 = fact("trust_sale2_shares_renault") if count == "renault" else bought
    return [
        Trade("2023-12-13", "Sale 1", TRUST, fact("trust_sale1_shares")),
        Trade("2024-03-28", "Sale 2", TRUST, sold2, cancelled=bought),
        Trade("2024-10-03", "Sale 3", TRUST, fact("trust_sale3_shares")),
    ]


def replay_trust(count: Count, trust_pct: float | None = None, from_step: int = 0) -> pd.DataFrame:
    """Renault's direct, trust and total stake in Nissan after each trust sale: one row per step
    (``step``, ``date``, ``label``, ``issued``, ``direct_pct``, ``trust_pct``, ``total_pct``,
    ``trust_shares``).

    From the rebalancing (``from_step`` 0: 15% direct and 28.4% in the trust of the shares issued
    before the buybacks), or from after sale 1 (``from_step`` 1: the trust at ``trust_pct`` of
    the shares then issued). ``trust_pct`` replaces the starting trust stake (for the rounding
    check).
    """
    n0, direct_pct, start_trust = start()
    sales = trust_sales(count)
    direct = direct_pct / 100 * n0
    if from_step == 0:
        issued, trust, trades = n0, (start_trust if trust_pct is None else trust_pct) / 100 * n0, sales
    elif from_step == 1:
        if trust_pct is None:
            raise ValueError("from step 1, give the trust's stake then")
        issued = n0 - sales[0].shares
        trust, trades = trust_pct / 100 * issued, sales[1:]
    else:
        raise ValueError("from_step is 0 (the rebalancing) or 1 (after sale 1)")
    long = replay(issued, {"Renault": direct, TRUST: trust}, trades)
    wide = long.pivot(index="step", columns="holder", values="stake_pct")
    meta = long.drop_duplicates("step").set_index("step")
    shares = long.pivot(index="step", columns="holder", values="shares")
    out = pd.DataFrame(
        {
            "step": meta.index + from_step,
            "date": meta["date"],
            "label": meta["label"],
            "issued": meta["issued"],
            "direct_pct": wide["Renault"],
            "trust_pct": wide[TRUST],
            "trust_shares": shares[TRUST],
        }
    )
    out["total_pct"] = out["direct_pct"] + out["trust_pct"]
    return out.reset_index(drop=True)


def _fits(low: float, high: float, reported: float, half: float = 0.005) -> bool:
    """Whether a replayed interval meets the rounding interval of a reported figure."""
    return high >= reported - half - 1e-12 and low <= reported + half + 1e-12


def replay_check() -> pd.DataFrame:
    """Which count of the March 2024 sale reproduces the reported stakes, within the rounding of
    the inputs: the replay started from the reported 24.63% after sale 1 (rounded, so anywhere
    from 24.625% to 24.635%), with each count; the share count after sale 3 against the reported
    3,713,998,612. Columns: ``figure`` (a key of :data:`CHECKS`), ``reported``, and for each count
    its low, high and fit."""
    from alliancelib.data import load

    sh = load("shareholdings")
    trust_rows = sh[(sh["holder"] == "Renault") & (sh["company"] == "Nissan") & (sh["holding"] == "trust")]
    reported = trust_rows.set_index("as_of")["economic_pct"]
    after1, after2, after3 = (float(reported[d]) for d in ("2023-12-13", "2024-04-03", "2024-10-03"))
    total3 = fact("renault_in_nissan_pct_2025_07")
    issued_end = fact("nissan_shares_issued")
    rows = []
    runs = {
        c: (replay_trust(c, after1 - 0.005, from_step=1), replay_trust(c, after1 + 0.005, from_step=1))
        for c in ("renault", "nissan")
    }
    for figure, step, column, value in (
        ("trust_after_2", 2, "trust_pct", after2),
        ("trust_after_3", 3, "trust_pct", after3),
        ("total_after_3", 3, "total_pct", total3),
    ):
        row: dict[str, Any] = {"figure": figure, "reported": value, "kind": "pct"}
        for c, (lo, hi) in runs.items():
            a, b = (
                float(lo.loc[lo["step"] == step, column].iloc[0]),
                float(hi.loc[hi["step"] == step, column].iloc[0]),
            )
            row[f"{c}_low"], row[f"{c}_high"] = min(a, b), max(a, b)
            row[f"{c}_fits"] = _fits(min(a, b), max(a, b), value)
        rows.append(row)
    row = {"figure": "issued_after_3", "reported": issued_end, "kind": "shares"}
    counts: tuple[Count, ...] = ("renault", "nissan")
    for c in counts:
        end = float(replay_trust(c)["issued"].iloc[-1])
        row[f"{c}_low"] = row[f"{c}_high"] = end
        row[f"{c}_fits"] = abs(end - issued_end) < 0.5
    rows.append(row)
    only_renault_sold = replay(
        fact("nissan_shares_before_buybacks"),
        {TRUST: 1.3e9},
        [
            Trade("2023-12-13", "Sale 1", TRUST, fact("trust_sale1_shares")),
            Trade("2024-03-28", "Sale 2", TRUST, fact("trust_sale2_shares_renault")),
            Trade("2024-10-03", "Sale 3", TRUST, fact("trust_sale3_shares")),
        ],
    )
    out = pd.DataFrame(rows)
    out.attrs["issued_if_only_renault_cancelled"] = float(only_renault_sold["issued"].iloc[-1])
    return out


@reads.cached(maxsize=4)
def _replayed_total(stamp: tuple[Any, ...]) -> float:
    return float(replay_trust("renault")["total_pct"].iloc[-1])


def replayed_renault_in_nissan_pct() -> float:
    """Renault's stake in Nissan after the three trust sales, replayed on share counts from 43.4%
    of 4,220,715,112 shares with Renault's count of the March 2024 sale (35.71%)."""
    return _replayed_total(data_stamp())
