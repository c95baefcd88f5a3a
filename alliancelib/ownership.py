"""Notebook 01: who owns whom in the alliance, what the stakes are worth, and a sale by Nissan.

The pure functions work on any number of companies and any dated table of stakes:

- :func:`snapshot`, :func:`stake`, :func:`holdings_matrix`: the stakes in force on a date;
- :func:`integrated` and :func:`look_through`: ownership counting every path (conventions of
  ``../shared/BRIEF.md``: ``W[i, j]`` is the economic fraction of company ``j`` held by company
  ``i``, over the alliance companies only; integrated ownership ``W~ = (I - W)^-1 W`` (Vitali,
  Glattfelder and Battiston 2011); look-through of company ``i``'s outside holders in company
  ``j``: ``U[i, j] = o_i [(I - W)^-1][i, j]`` with ``o_i = 1 - sum_k W[k, i]``; every column of
  ``U`` sums to 1);
- :func:`replay`: dated share transactions (a sale to a buyer, a buyback and cancellation by the
  issuer) replayed on share counts;
- :func:`sale_effect`, :func:`max_points_above`, :func:`sale_proceeds_eur_m`: a stake sale under a
  lock-up threshold (notebook 05 reuses :func:`sale_proceeds_eur_m` with the same parameters).

The notebook's shape is the collection's (``docs/architecture.md``): :class:`OwnershipParams`,
:func:`headline` (vectorised: any parameter may be an array of draws), :data:`RESULTS`,
:func:`conclusions`, :func:`analyse` and :func:`figures`.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import pandas as pd

from alliancelib.analysis import Analysis as AnalysisBase
from alliancelib.analysis import pct, say_date
from alliancelib.data import parse_partial_date
from alliancelib.errors import ParameterError
from alliancelib.findings import Finding, anchor_for
from alliancelib.params import Choice, IsoDate, Number, Plausible, param, spec_of, validate
from alliancelib.results import ResultSpec, format_quantity, make_results
from alliancelib.uncertainty import Assessment, Conclusion, assess, in_sentence, percent

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

    from alliancelib.charts import Chart

NOTEBOOK = "01_ownership"
ALLIANCE: tuple[str, ...] = ("Renault", "Nissan", "Mitsubishi Motors")
TRUST = "French trust"
BLOCKING_MINORITY = 100 / 3  # % of votes: more than a third blocks special resolutions
CONTROL = 50.0  # % of votes: more than half controls
REBALANCING = dt.date(2023, 11, 8)
MARKET_DAY = "2025-03-31"  # the date of the reported Nissan market value and Renault price
PLAN_DAY = "2025-06-16"  # Nissan's reported plan to sell 5% of Renault
FAIR_VALUE_DAY = "2025-06-30"  # Renault holds its Nissan stake at fair value from this date

SECTION_WHO = "Who owns whom on the chosen date"
SECTION_HISTORY = "How Renault's stake came down: the three trust sales replayed"
SECTION_VALUE = "What the stakes are worth and what they cost"
SECTION_SALE = "If Nissan sells down to the lock-up"
SECTION_CIRCLE = "Who owns Nissan through whom"
SECTION_SINCE = "Since the announcement"
SECTION_SURE = "How sure is this?"

Kind = Literal["economic", "voting"]


# --------------------------------------------------------------------------- snapshots


def snapshot(shareholdings: pd.DataFrame, as_of: str | dt.date) -> pd.DataFrame:
    """Stakes in force on ``as_of``: for each (holder, company, holding) the latest row dated
    on or before it (partial dates count from their first day). A row dated ``at`` (a figure known
    only at its date) is kept as the latest figure known; its date stays in the row.

    Raises ValueError if ``as_of`` precedes every row.
    """
    day = as_of if isinstance(as_of, dt.date) else dt.date.fromisoformat(as_of)
    frame = shareholdings.copy()
    frame["start"] = [parse_partial_date(d) for d in frame["as_of"]]
    if day < frame["start"].min():
        raise ValueError(f"{day} is before the first snapshot ({frame['start'].min()})")
    frame = frame[frame["start"] <= day].sort_values("start", kind="stable")
    latest = frame.groupby(["holder", "company", "holding"], sort=False).tail(1)
    return latest.sort_values(["company", "holder", "holding"]).drop(columns="start").reset_index(drop=True)


def snapshot_dates(shareholdings: pd.DataFrame) -> list[dt.date]:
    """Every date at which some stake changes, sorted."""
    return sorted({parse_partial_date(d) for d in shareholdings["as_of"]})


def with_stake(snap: pd.DataFrame, holder: str, company: str, pct: float, note: str) -> pd.DataFrame:
    """The snapshot with ``holder``'s direct stake in ``company`` set to ``pct`` (a parameter that
    replaces a conflicted figure); exercisable votes are capped at the row's reported level.

    ValueError if the snapshot has no direct row for the pair."""
    out = snap.copy()
    rows = (out["holder"] == holder) & (out["company"] == company) & (out["holding"] == "direct")
    if not rows.any():
        raise ValueError(f"no direct stake of {holder} in {company} in this snapshot")
    cap = out.loc[rows, "voting_exercisable_pct"]
    out.loc[rows, "economic_pct"] = float(pct)
    out.loc[rows, "voting_exercisable_pct"] = np.minimum(cap, float(pct))
    out.loc[rows, "basis"] = "parameter"
    out.loc[rows, "note"] = note
    return out


def holdings_matrix(
    snap: pd.DataFrame, companies: Sequence[str] = ALLIANCE, kind: Kind = "economic"
) -> np.ndarray:
    """``W[i, j]``: fraction (0-1) of ``companies[j]`` held by ``companies[i]``.

    ``economic`` adds every holding (direct and trust); ``voting`` uses the exercisable votes
    each holder directs (the trust's neutral votes count 0); a holding with no voting figure
    counts its capital share (one share, one vote).
    """
    index = {c: i for i, c in enumerate(companies)}
    w = np.zeros((len(companies), len(companies)))
    for _, row in snap.iterrows():
        if row["holder"] in index and row["company"] in index:
            pct = row["economic_pct"]
            if kind == "voting" and not pd.isna(row["voting_exercisable_pct"]):
                pct = row["voting_exercisable_pct"]
            w[index[row["holder"]], index[row["company"]]] += pct / 100
    _check_matrix(w)
    return w


def _check_matrix(w: np.ndarray) -> None:
    if w.ndim != 2 or w.shape[0] != w.shape[1]:
        raise ValueError("W must be square")
    if (w < 0).any() or (w.sum(axis=0) > 1 + 1e-12).any() or np.diag(w).any():
        raise ValueError("W needs entries >= 0, columns summing to at most 1 and a zero diagonal")


def integrated(w: np.ndarray) -> np.ndarray:
    """Integrated ownership ``(I - W)^-1 W``: direct plus every indirect path.

    >>> w = np.array([[0, 0.4], [0.15, 0]])
    >>> integrated(w).round(4).tolist()
    [[0.0638, 0.4255], [0.1596, 0.0638]]
    """
    _check_matrix(w)
    eye = np.eye(len(w))
    return np.linalg.solve(eye - w, w)


def outside_share(w: np.ndarray) -> np.ndarray:
    """``o_i = 1 - sum_k W[k, i]``: the fraction of each company held outside the alliance."""
    return 1 - w.sum(axis=0)


def look_through(w: np.ndarray) -> np.ndarray:
    """``U[i, j] = o_i [(I - W)^-1][i, j]``: the part of company ``j`` that company ``i``'s
    outside holders own through every chain. Each column sums to 1.

    >>> u = look_through(np.array([[0, 0.4], [0.15, 0]]))
    >>> u.round(4).tolist(), u.sum(axis=0).round(12).tolist()
    ([[0.9043, 0.3617], [0.0957, 0.6383]], [1.0, 1.0])
    """
    _check_matrix(w)
    eye = np.eye(len(w))
    return outside_share(w)[:, None] * np.linalg.inv(eye - w)


def stake(
    snap: pd.DataFrame, holder: str, company: str, kind: Kind = "economic", holding: str | None = None
) -> float | None:
    """Total stake (%) of ``holder`` in ``company`` in a snapshot (one ``holding`` only if given),
    or None if not in the data. For ``voting``, exercisable votes; None if none is reported."""
    rows = snap[(snap["holder"] == holder) & (snap["company"] == company)]
    if holding is not None:
        rows = rows[rows["holding"] == holding]
    if rows.empty:
        return None
    if kind == "economic":
        return float(rows["economic_pct"].sum())
    votes = rows["voting_exercisable_pct"]
    return None if votes.isna().all() else float(votes.fillna(0).sum())


def weight(votes_pct: float) -> str:
    """What a share of the votes weighs: control (more than half), a blocking minority (more than
    a third) or a minority.

    >>> weight(15), weight(34), weight(50.1)
    ('minority', 'blocking minority (more than a third)', 'control (more than half)')
    """
    if votes_pct > CONTROL:
        return "control (more than half)"
    if votes_pct > BLOCKING_MINORITY:
        return "blocking minority (more than a third)"
    return "minority"


def control_summary(snap: pd.DataFrame) -> pd.DataFrame:
    """One row per holding: capital, the votes figure counted and what it is, and its weight.

    The votes counted are the exercisable votes the holder directs where reported (0 for the
    trust, whose trustee votes neutrally); else the theoretical votes (double voting rights
    counted) where reported; else the capital share (one share, one vote), said so.
    """
    rows = []
    for _, r in snap.sort_values(["company", "holder", "holding"]).iterrows():
        if r["holding"] == "trust":
            holder = f"{TRUST} (for {r['holder']})"
        else:
            holder = r["holder"]
        if pd.notna(r["voting_exercisable_pct"]):
            votes = float(r["voting_exercisable_pct"])
            basis = (
                "votes neutrally: none directed by Renault"
                if r["holding"] == "trust"
                else f"exercisable votes directed (capped at {votes:g}%)"
                if votes < r["economic_pct"] or votes == 15
                else "exercisable votes directed"
            )
        elif pd.notna(r["voting_theoretical_pct"]):
            votes = float(r["voting_theoretical_pct"])
            basis = f"theoretical votes (double voting rights counted), at {r['as_of']}"
        else:
            votes = float(r["economic_pct"])
            basis = "no voting figure reported: the capital share (one share, one vote)"
        rows.append(
            {
                "holder": holder,
                "company": r["company"],
                "economic_pct": float(r["economic_pct"]),
                "ownership_votes_pct": votes,
                "ownership_votes_basis": basis,
                "ownership_weight": weight(votes),
            }
        )
    return pd.DataFrame(rows)


def history(shareholdings: pd.DataFrame, holder: str = "Renault", company: str = "Nissan") -> pd.DataFrame:
    """Every dated figure of ``holder``'s stake in ``company``: direct, trust and total capital,
    exercisable votes directed, and whether the figure holds from its date (``from``) or is known
    only at it (``at``). One row per date, in date order."""
    sub = shareholdings[(shareholdings["holder"] == holder) & (shareholdings["company"] == company)].copy()
    sub["day"] = [parse_partial_date(d) for d in sub["as_of"]]
    rows = []
    for day, grp in sub.sort_values("day", kind="stable").groupby("day", sort=True):
        direct = grp.loc[grp["holding"] == "direct", "economic_pct"].sum()
        trust = grp.loc[grp["holding"] == "trust", "economic_pct"].sum()
        votes = grp["voting_exercisable_pct"]
        has_trust = (grp["holding"] == "trust").any()
        rows.append(
            {
                "date": pd.Timestamp(str(day)),
                "as_of": grp["as_of"].iloc[0],
                "dated": grp["dated"].iloc[0],
                "ownership_direct_pct": float(direct),
                "ownership_trust_pct": float(trust) if has_trust else None,
                "economic_pct": float(direct + trust),
                "voting_exercisable_pct": None if votes.isna().all() else float(votes.fillna(0).sum()),
                "source_id": "; ".join(dict.fromkeys(grp["source_id"])),
            }
        )
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- replaying trades

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


def _fact(fact_id: str) -> float:
    """A row of facts.csv (cached per data state)."""
    return _facts_cached(_data_stamp())[fact_id]


@functools.lru_cache(maxsize=4)
def _facts_cached(stamp: tuple[Any, ...]) -> dict[str, float]:
    from alliancelib.data import load

    facts = load("facts")
    return dict(zip(facts["fact_id"], facts["value"].astype(float), strict=True))


def trust_sales(count: Literal["renault", "nissan"]) -> list[Trade]:
    """The three sales of Nissan shares from the French trust, each bought back by Nissan and
    cancelled. ``count`` says how the March 2024 sale is read:

    - ``"renault"``: the trust sold 99,132,100 shares (Renault's completion release) within a
      buyback in which Nissan cancelled 100,242,900 in all (Nissan's figure; 1,110,800 from other
      holders: Renault's release says Nissan cancels all the bought-back shares; that the buyback
      covered 100,242,900 in all is an inference from the share counts);
    - ``"nissan"``: the trust sold all 100,242,900 (Nissan's count taken as the trust's sale).
    """
    bought = _fact("trust_sale2_shares_nissan")
    sold2 = _fact("trust_sale2_shares_renault") if count == "renault" else bought
    return [
        Trade("2023-12-13", "Sale 1", TRUST, _fact("trust_sale1_shares")),
        Trade("2024-03-28", "Sale 2", TRUST, sold2, cancelled=bought),
        Trade("2024-10-03", "Sale 3", TRUST, _fact("trust_sale3_shares")),
    ]


def _start() -> tuple[float, float, float]:
    """Nissan's shares before the buybacks and Renault's direct and trust stakes then (%)."""
    return _start_cached(_data_stamp())


@functools.lru_cache(maxsize=4)
def _start_cached(stamp: tuple[Any, ...]) -> tuple[float, float, float]:
    from alliancelib.data import load

    sh = load("shareholdings")
    first = sh[(sh["as_of"] == "2023-11-08") & (sh["holder"] == "Renault") & (sh["company"] == "Nissan")]
    pct = first.set_index("holding")["economic_pct"]
    return _fact("nissan_shares_before_buybacks"), float(pct["direct"]), float(pct["trust"])


def replay_trust(
    count: Literal["renault", "nissan"], trust_pct: float | None = None, from_step: int = 0
) -> pd.DataFrame:
    """Renault's direct, trust and total stake in Nissan after each trust sale: one row per step
    (``step``, ``date``, ``label``, ``issued``, ``direct_pct``, ``trust_pct``, ``total_pct``,
    ``trust_shares``).

    From the rebalancing (``from_step`` 0: 15% direct and 28.4% in the trust of the shares issued
    before the buybacks), or from after sale 1 (``from_step`` 1: the trust at ``trust_pct`` of
    the shares then issued). ``trust_pct`` replaces the starting trust stake (for the rounding
    check).
    """
    n0, direct_pct, start_trust = _start()
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
    3,713,998,612. Columns: ``figure``, ``reported``, and for each count its low, high and fit."""
    from alliancelib.data import load

    fact = _fact
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
        ("The trust after sale 2", 2, "trust_pct", after2),
        ("The trust after sale 3", 3, "trust_pct", after3),
        ("Renault in all after sale 3", 3, "total_pct", total3),
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
    row = {"figure": "Nissan shares issued after sale 3", "reported": issued_end, "kind": "shares"}
    counts: tuple[Literal["renault", "nissan"], ...] = ("renault", "nissan")
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


@functools.lru_cache(maxsize=4)
def _replayed_total(stamp: tuple[Any, ...]) -> float:
    return float(replay_trust("renault")["total_pct"].iloc[-1])


def replayed_renault_in_nissan_pct() -> float:
    """Renault's stake in Nissan after the three trust sales, replayed on share counts from 43.4%
    of 4,220,715,112 shares with Renault's count of the March 2024 sale (35.71%)."""
    return _replayed_total(_data_stamp())


# --------------------------------------------------------------------------- a sale of stakes


@dataclass(frozen=True)
class Sale:
    """A seller's sale of ``points`` of a company's capital and what it leaves."""

    seller: str
    company: str
    points_pct: float  # points of the company's capital sold
    buyer: str  # "third_party" or "buyback" (the company buys and cancels the shares)
    before_pct: float  # seller's stake before
    after_pct: float  # seller's stake after
    scale: float  # factor applied to every other holder's stake (1 for a third party)


def sale_effect(before_pct: float, points_pct: float, buyer: str) -> tuple[float, float]:
    """Seller's stake after selling ``points_pct`` points, and the factor every other holder's
    stake is multiplied by.

    To a third party the seller simply loses the points. In a buyback with cancellation the
    capital shrinks by ``s = points/100``: the seller holds ``(before - points) / (1 - s)`` and
    every other holder scales by ``1 / (1 - s)``.

    >>> sale_effect(15, 5, "third_party")
    (10.0, 1.0)
    >>> [round(x, 4) for x in sale_effect(15, 5, "buyback")]
    [10.5263, 1.0526]
    """
    before_pct, points_pct = float(before_pct), float(points_pct)
    if not 0 <= points_pct <= before_pct:
        raise ValueError(f"points sold must lie in 0-{before_pct:g}")
    if buyer == "third_party":
        return before_pct - points_pct, 1.0
    if buyer == "buyback":
        if points_pct >= 100:
            raise ValueError("a buyback cannot cancel the whole capital")
        scale = 1 / (1 - points_pct / 100)
        return (before_pct - points_pct) * scale, scale
    raise ValueError(f"buyer must be 'third_party' or 'buyback', not {buyer!r}")


def max_points_above(before_pct: float, threshold_pct: float, buyer: str) -> float:
    """Most points the seller can sell without going below ``threshold_pct``.

    >>> max_points_above(15, 10, "third_party")
    5.0
    >>> round(max_points_above(15, 10, "buyback"), 4)
    5.5556
    """
    before_pct, threshold_pct = float(before_pct), float(threshold_pct)
    if before_pct <= threshold_pct:
        return 0.0
    if buyer == "third_party":
        return before_pct - threshold_pct
    return (before_pct - threshold_pct) / (1 - threshold_pct / 100)


def apply_sale(
    snap: pd.DataFrame, seller: str, company: str, points_pct: float, buyer: str
) -> tuple[pd.DataFrame, Sale]:
    """The snapshot after ``seller`` sells ``points_pct`` points of ``company``'s capital.

    Every other holder of ``company`` scales by :func:`sale_effect`'s factor (voting figures
    too; the cap on the seller's exercisable votes still applies).
    """
    before = stake(snap, seller, company)
    if before is None:
        raise ValueError(f"{seller} holds no {company} shares in this snapshot")
    after, scale = sale_effect(before, points_pct, buyer)
    out = snap.copy()
    in_company = out["company"] == company
    sellers = in_company & (out["holder"] == seller)
    others = in_company & ~sellers
    for col in ("economic_pct", "voting_theoretical_pct"):
        out.loc[others, col] = out.loc[others, col] * scale
    factor = after / before if before else 0.0
    out.loc[sellers, "economic_pct"] = out.loc[sellers, "economic_pct"] * factor
    votes = out.loc[sellers, "voting_exercisable_pct"]
    out.loc[sellers, "voting_exercisable_pct"] = np.minimum(votes, after)
    return out, Sale(seller, company, points_pct, buyer, before, after, scale)


def sale_proceeds_eur_m(points_pct: Any, shares_outstanding: Any, price_eur: Any) -> Any:
    """Proceeds (EUR m) of selling ``points_pct`` points of a capital of ``shares_outstanding``
    shares at ``price_eur`` each: ``points / 100 x shares x price / 1e6`` (arrays broadcast).

    >>> round(sale_proceeds_eur_m(5, 295_722_284, 45.94), 2)
    679.27
    """
    return points_pct / 100 * shares_outstanding * price_eur / 1e6


# --------------------------------------------------------------------------- parameters


def _share_price_range() -> Plausible:
    return Plausible(
        31.37,
        45.94,
        "Renault prices the research reports, 2025-03-31 to 2026-02-19 "
        "(intraday: Boursorama/AOF, Journal de l'Automobile, AFP)",
        "spread",
    )


@dataclass(frozen=True)
class OwnershipParams:
    """Parameters of ``01_ownership``."""

    as_of: str = param(
        "2025-03-31",
        IsoDate(),
        "date of the ownership snapshot (latest snapshot on or before it), YYYY-MM-DD",
        label="Date of the ownership snapshot",
    )
    lockup_threshold_pct: float = param(
        10.0,
        Number(minimum=0, maximum=100),
        "minimum cross-holding after the 2025 amendment (%)",
        label="Lock-up threshold",
        unit="%",
    )
    nissan_sells_renault_pct: float = param(
        5.0,
        Number(minimum=0, maximum=100),
        "points of Renault's capital Nissan sells (0 for no sale)",
        label="Points of Renault's capital Nissan sells",
        unit="pp",
    )
    buyer: str = param(
        "third_party",
        Choice(("third_party", "renault"),
               words=(("third_party", "a third party (market sale)"), ("renault", "Renault (buyback)"))),
        'who buys: "third_party", or "renault" (buyback and cancellation of the shares)',
        label="Who buys Nissan's Renault shares",
    )
    renault_share_price_eur: float = param(
        45.94,
        Number(minimum=0.01, maximum=10_000),
        "Renault share price for the sale (EUR; 45.94 is the intraday price on 2025-03-31)",
        label="Renault share price",
        unit="EUR",
        plausible=_share_price_range(),
    )
    nissan_market_cap_usd_bn: float = param(
        9.34,
        Number(minimum=0.01, maximum=10_000),
        "Nissan's market value (USD bn; 9.34 is reported for 2025-03-31)",
        label="Nissan's market value",
        unit="USD bn",
    )
    nissan_in_renault_pct: float = param(
        15.0,
        Number(minimum=0, maximum=100),
        "Nissan's stake in Renault (%): 15 per Reuters/LSEG, 15.27 per Nikkan Jidosha (end-March 2025)",
        label="Nissan's stake in Renault",
        unit="%",
        plausible=Plausible(
            15.0, 15.27, "Reuters/LSEG 15% (2025-06) vs Nikkan Jidosha 15.27% (end-March 2025)", "conflict"
        ),
    )


def validate_params(**values: Any) -> OwnershipParams:
    """Validate the notebook's parameters, including the sale against Nissan's stake."""
    __tracebackhide__ = True
    return validate(OwnershipParams, NOTEBOOK, values, rules=[_rule_as_of, _rule_nissan_stake, _rule_sale])


def _rule_as_of(p: OwnershipParams) -> None:
    __tracebackhide__ = True
    from alliancelib.data import load

    first = min(snapshot_dates(load("shareholdings")))
    if dt.date.fromisoformat(p.as_of) < first:
        raise ParameterError(NOTEBOOK, "as_of", p.as_of, f"a date on or after the first snapshot ({first})")


def _rule_nissan_stake(p: OwnershipParams) -> None:
    __tracebackhide__ = True
    room = _base(p.as_of).room_in_renault
    if p.nissan_in_renault_pct > room + 1e-9:
        raise ParameterError(
            NOTEBOOK,
            "nissan_in_renault_pct",
            p.nissan_in_renault_pct,
            f"0 to {room:.4g}: other holders of Renault hold the rest at {p.as_of} "
            f"({_base(p.as_of).others_in_renault_text})",
        )


def _rule_sale(p: OwnershipParams) -> None:
    __tracebackhide__ = True
    base = _base(p.as_of)
    buyer = "buyback" if p.buyer == "renault" else "third_party"
    if not base.has_nissan:
        if p.nissan_sells_renault_pct > 0:
            raise ParameterError(
                NOTEBOOK,
                "nissan_sells_renault_pct",
                p.nissan_sells_renault_pct,
                f"0 at as_of {p.as_of}: Nissan's stake in Renault is not in the data before "
                f"{REBALANCING} (or choose a later as_of)",
            )
        return
    before = p.nissan_in_renault_pct
    most = max_points_above(before, p.lockup_threshold_pct, buyer)
    if p.nissan_sells_renault_pct > most + 1e-9:
        raise ParameterError(
            NOTEBOOK,
            "nissan_sells_renault_pct",
            p.nissan_sells_renault_pct,
            f"0 to {most:.4g} points at a {p.lockup_threshold_pct:g}% lock-up: Nissan holds {before:g}% of "
            f"Renault at {p.as_of} and may not go below the lock-up threshold "
            f"(sold to {buyer_words(p.buyer)})",
        )


def buyer_words(buyer: str) -> str:
    """Who buys Nissan's Renault shares, in a reader's words.

    >>> buyer_words("renault"), buyer_words("third_party")
    ('Renault (buyback)', 'a third party (market sale)')
    """
    spec = spec_of(OwnershipParams, "buyer")
    return spec.say(buyer) if isinstance(spec, Choice) else buyer


# --------------------------------------------------------------------------- what the data give


def _data_stamp() -> tuple[Any, ...]:
    """The data folder and the state of the files this module reads (cache key)."""
    from alliancelib.data import file_stamp

    return file_stamp("shareholdings.csv", "facts.csv", "fx_rates.csv", "datapackage.json")


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

    @property
    def room_in_renault(self) -> float:
        """The most Nissan can hold of Renault beside the other holders recorded."""
        return 100.0 - self.others_in_renault


def _base(as_of: str) -> Base:
    return _base_cached(as_of, _data_stamp())


@functools.lru_cache(maxsize=64)
def _base_cached(as_of: str, stamp: tuple[Any, ...]) -> Base:
    from alliancelib import fx
    from alliancelib.data import load

    fact = _fact
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
        renault_shares=fact("renault_shares_outstanding"),
        renault_price_eur=renault_price_on(load("share_prices"), MARKET_DAY),
        usd_per_eur=fx.ecb_rate("USD", MARKET_DAY).rate_per_eur,
        plan_eur_m=fact("nissan_plan_sale_jpy_bn") * 1e3 / plan_jpy,
        plan_points=fact("nissan_plan_sale_points_pct"),
        trust_proceeds_eur_m=sum(fact(f"trust_sale{k}_proceeds_eur_m") for k in (1, 2, 3)),
    )


# --------------------------------------------------------------------------- headline results

RESULTS = [
    ResultSpec("renault_in_nissan_economic_pct", "%", "Renault's share of Nissan's capital", 2),
    ResultSpec("renault_in_nissan_voting_pct", "%", "Share of Nissan's votes Renault directs", 0),
    ResultSpec(
        "nissan_in_renault_before_pct", "%", "Nissan's share of Renault's capital, before the sale", 2
    ),
    ResultSpec("nissan_in_renault_after_pct", "%", "Nissan's share of Renault's capital, after the sale", 2),
    ResultSpec("sale_proceeds_eur_m", "EUR m", "What Nissan would raise from the sale", 0),
    ResultSpec(
        "integrated_renault_in_nissan_pct",
        "%",
        "Renault's integrated stake in Nissan after the sale (every path counted)",
        2,
    ),
    ResultSpec(
        "look_through_renault_holders_in_nissan_pct",
        "%",
        "Share of Nissan Renault's shareholders own through Renault, after the sale",
        2,
    ),
    ResultSpec(
        "look_through_renault_holders_in_mmc_pct",
        "%",
        "Share of Mitsubishi Motors Renault's shareholders own through Renault, after the sale",
        2,
    ),
    ResultSpec(
        "replayed_renault_in_nissan_pct",
        "%",
        "Renault's share of Nissan replayed on share counts through the three trust sales",
        2,
    ),
    ResultSpec(
        "renault_stake_in_nissan_value_eur_bn",
        "EUR bn",
        "Market value of Renault's Nissan stake on 2025-03-31",
        2,
    ),
    ResultSpec(
        "nissan_stake_in_renault_value_eur_bn",
        "EUR bn",
        "Market value of Nissan's Renault stake at the chosen price",
        2,
    ),
    ResultSpec("renault_market_value_eur_bn", "EUR bn", "Renault's own market value on 31 March 2025", 1),
    ResultSpec(
        "renault_nissan_stake_share_of_renault_value_pct",
        "%",
        "Renault's Nissan stake as a share of Renault's own market value",
        1,
    ),
    ResultSpec(
        "renault_trust_stake_value_eur_bn",
        "EUR bn",
        "Market value of the trust's Nissan shares on 2025-03-31",
        2,
    ),
    ResultSpec(
        "trust_sales_proceeds_eur_m",
        "EUR m",
        "Most Renault received for the three trust sales of 2023-2024 (one amount approximate, one an upper "
        "bound)",
        0,
    ),
    ResultSpec(
        "plan_implied_renault_price_eur",
        "EUR",
        "Renault share price implied by Nissan's JPY 100bn plan for 5% of Renault",
        2,
    ),
    ResultSpec(
        "nissan_above_lockup_after_sale_pts", "pp", "Nissan's stake above the lock-up after the sale", 2
    ),
    ResultSpec(
        "integrated_renault_in_nissan_no_sale_pct",
        "%",
        "Renault's integrated stake in Nissan without the sale",
        2,
    ),
    ResultSpec(
        "look_through_renault_holders_in_nissan_no_sale_pct",
        "%",
        "Share of Nissan Renault's shareholders own through Renault, without the sale",
        2,
    ),
]
SPECS = {s.name: s for s in RESULTS}
# results that do not exist where the data hold no Nissan stake in Renault (before 2023-11-08)
# or no vote figure for Renault at Nissan
OPTIONAL_RESULTS: tuple[str, ...] = (
    "renault_in_nissan_voting_pct",
    "nissan_in_renault_before_pct",
    "nissan_in_renault_after_pct",
    "integrated_renault_in_nissan_pct",
    "look_through_renault_holders_in_nissan_pct",
    "look_through_renault_holders_in_mmc_pct",
    "nissan_stake_in_renault_value_eur_bn",
    "nissan_above_lockup_after_sale_pts",
    "integrated_renault_in_nissan_no_sale_pct",
    "look_through_renault_holders_in_nissan_no_sale_pct",
)
# why a result has no range
NO_RANGE = {
    "renault_in_nissan_economic_pct": "reported fact: no range",
    "renault_in_nissan_voting_pct": "reported fact: no range",
    "replayed_renault_in_nissan_pct": "arithmetic on reported share counts: no range (the 28.4% it starts "
    "from is rounded: about ±0.06 points at the end)",
    "renault_stake_in_nissan_value_eur_bn": "market value reported for one date: no range",
    "renault_trust_stake_value_eur_bn": "market value reported for one date: no range",
    "trust_sales_proceeds_eur_m": "a sum of reported amounts (about EUR 765m, EUR 358m, up to EUR 494m): an "
                                  "upper bound, no range",
    "plan_implied_renault_price_eur": "reported plan at the ECB rate of its date: no range",
}


def _arr(value: Any) -> Any:
    return np.asarray(value, dtype=float) if isinstance(value, np.ndarray | list | tuple) else float(value)


def headline(p: OwnershipParams, **draws: Any) -> dict[str, Any]:
    """The headline results; any parameter may be replaced by a numpy array in ``draws``.

    One implementation of each formula: :func:`analyse` and the uncertainty analysis call it.
    """
    q = {
        f: draws.get(f, getattr(p, f))
        for f in (
            "lockup_threshold_pct",
            "nissan_sells_renault_pct",
            "renault_share_price_eur",
            "nissan_market_cap_usd_bn",
            "nissan_in_renault_pct",
        )
    }
    base = _base(p.as_of)
    buyer = np.asarray(draws.get("buyer", p.buyer))
    points, price = _arr(q["nissan_sells_renault_pct"]), _arr(q["renault_share_price_eur"])
    cap_usd, threshold = _arr(q["nissan_market_cap_usd_bn"]), _arr(q["lockup_threshold_pct"])
    # Renault's own value on the day of Nissan's reported market value: a ratio of two market values is
    # only meaningful on one date, so the sale's price parameter does not move it
    market_value = base.renault_shares * base.renault_price_eur / 1e9 * np.ones_like(cap_usd)
    stake_value = base.renault_econ / 100 * cap_usd / base.usd_per_eur
    out: dict[str, Any] = {
        "renault_in_nissan_economic_pct": base.renault_econ,
        "renault_in_nissan_voting_pct": base.renault_votes,
        "sale_proceeds_eur_m": sale_proceeds_eur_m(points, base.renault_shares, price),
        "replayed_renault_in_nissan_pct": replayed_renault_in_nissan_pct(),
        "renault_stake_in_nissan_value_eur_bn": stake_value,
        "renault_market_value_eur_bn": market_value,
        "renault_nissan_stake_share_of_renault_value_pct": stake_value / market_value * 100,
        "renault_trust_stake_value_eur_bn": base.renault_trust / 100 * cap_usd / base.usd_per_eur,
        "trust_sales_proceeds_eur_m": base.trust_proceeds_eur_m,
        "plan_implied_renault_price_eur": base.plan_eur_m
        * 1e6
        / (base.plan_points / 100 * base.renault_shares),
    }
    names = (
        "nissan_in_renault_before_pct",
        "nissan_in_renault_after_pct",
        "integrated_renault_in_nissan_pct",
        "look_through_renault_holders_in_nissan_pct",
        "look_through_renault_holders_in_mmc_pct",
        "nissan_stake_in_renault_value_eur_bn",
        "nissan_above_lockup_after_sale_pts",
        "integrated_renault_in_nissan_no_sale_pct",
        "look_through_renault_holders_in_nissan_no_sale_pct",
    )
    if not base.has_nissan:
        return {**out, **dict.fromkeys(names)}
    before = _arr(q["nissan_in_renault_pct"])
    buyback = buyer == "renault"
    s = np.minimum(points, before) / 100
    after = np.where(buyback, (before - points) / (1 - np.where(buyback, s, 0.0)), before - points)
    after = np.maximum(after, 0.0)
    i_r, i_n, i_m = 0, 1, 2
    circle_after, circle_before = _circle(base.w, after, row=i_r), _circle(base.w, before, row=i_r)
    out.update(
        {
            "nissan_in_renault_before_pct": before,
            "nissan_in_renault_after_pct": _scalar(after),
            "integrated_renault_in_nissan_pct": circle_after["integrated"][..., i_n] * 100,
            "look_through_renault_holders_in_nissan_pct": circle_after["look_through"][..., i_n] * 100,
            "look_through_renault_holders_in_mmc_pct": circle_after["look_through"][..., i_m] * 100,
            "nissan_stake_in_renault_value_eur_bn": before / 100 * base.renault_shares * price / 1e9,
            "nissan_above_lockup_after_sale_pts": _scalar(after - threshold),
            "integrated_renault_in_nissan_no_sale_pct": circle_before["integrated"][..., i_n] * 100,
            "look_through_renault_holders_in_nissan_no_sale_pct": circle_before["look_through"][..., i_n]
            * 100,
        }
    )
    return {k: _scalar(v) for k, v in out.items()}


def _scalar(value: Any) -> Any:
    """A 0-d array as a float; arrays and None unchanged."""
    if isinstance(value, np.ndarray) and value.ndim == 0:
        return float(value)
    return value


def _circle(w: np.ndarray, nissan_in_renault_pct: Any, row: int | None = None) -> dict[str, np.ndarray]:
    """Integrated ownership ``(I - W)^-1 W`` and look-through ``o_i [(I - W)^-1]_ij`` with Nissan's
    stake in Renault ``W[1, 0]`` set to each value (vectorised over the values); with ``row``, only
    that holder's row of each (what the headline reads: a million draws need no million matrices).

    Only ``W[1, 0] = x`` changes, so ``I - W = A - x e_1 e_0'`` with ``A = I - W_0``, and the
    Sherman-Morrison identity gives every inverse from ``A^-1`` alone:
    ``(I - W)^-1 = A^-1 + x A^-1 e_1 e_0' A^-1 / (1 - x [A^-1]_01)``: the same matrices as
    :func:`integrated` and :func:`look_through` (a test checks), without a 3x3 solve per draw.
    """
    values = np.atleast_1d(np.asarray(nissan_in_renault_pct, dtype=float)) / 100
    base = w.copy()
    base[1, 0] = 0.0
    a_inv = np.linalg.inv(np.eye(len(w)) - base)
    scale = values / (1 - values * a_inv[0, 1])
    outside = np.broadcast_to(1 - base.sum(axis=0), (values.size, len(w))).copy()  # o_j = 1 - sum_k W[k, j]
    outside[:, 0] -= values
    if row is None:
        inv = a_inv[None] + scale[:, None, None] * np.outer(a_inv[:, 1], a_inv[0, :])[None]
        integrated = inv @ base
        integrated[:, :, 0] += inv[:, :, 1] * values[:, None]  # the column W[., 0] with W[1, 0] = x
        out = {"integrated": integrated, "look_through": outside[:, :, None] * inv}
    else:
        inv_row = a_inv[row][None] + (scale * a_inv[row, 1])[:, None] * a_inv[0][None]
        integrated_row = inv_row @ base
        integrated_row[:, 0] += inv_row[:, 1] * values
        out = {"integrated": integrated_row, "look_through": outside[:, row][:, None] * inv_row}
    if np.ndim(nissan_in_renault_pct) == 0:
        out = {k: v[0] for k, v in out.items()}
    return out


def conclusions(p: OwnershipParams) -> list[Conclusion]:
    """The threshold statements the findings make (their share of plausible cases is reported)."""
    return [
        Conclusion(
            "lockup",
            "nissan_above_lockup_after_sale_pts",
            lambda v: v >= -1e-9,
            f"The sale keeps Nissan at or above the {p.lockup_threshold_pct:g}% lock-up",
        ),
        Conclusion(
            "meets_plan",
            "sale_proceeds_eur_m",
            lambda v: v >= plan_eur_m() - 1e-9,
            "The sale raises at least the euro value of Nissan's JPY 100bn plan",
        ),
    ]


def plan_eur_m() -> float:
    """Nissan's reported plan (about JPY 100bn for 5% of Renault) in euros at the ECB rate of its date."""
    return _base(MARKET_DAY).plan_eur_m


CONCLUSIONS = conclusions(OwnershipParams())


# --------------------------------------------------------------------------- words


def eur(value: float, unit: str, sig: int | None = None) -> str:
    """Money as a reader says it, rounded to ``sig`` significant digits if given.

    >>> eur(679.27, "EUR m", 2), eur(3.084, "EUR bn", 2), eur(13.585, "EUR bn", 3), eur(40.52, "EUR", 3)
    ('EUR 680m', 'EUR 3.1bn', 'EUR 13.6bn', 'EUR 40.5')
    """
    if sig is not None and value:
        digits = sig - 1 - math.floor(math.log10(abs(value)))
        value = round(value, digits)
        decimals = max(digits, 0)
    else:
        decimals = None
    return format_quantity(value, unit, decimals)


def num(value: float, decimals: int = 2) -> str:
    """A stake as a chart label writes it: ``num(15.0) == '15'``, ``num(35.714) == '35.71'``.

    >>> num(15.0), num(35.714), num(22.0, 2)
    ('15', '35.71', '22')
    """
    return f"{round(value, decimals):g}"


@dataclass(frozen=True)
class Stated:
    """A number a sentence states: where (``where``: a finding's key or a text's name), as shown,
    and the value it comes from with the words that round it (``how``: ``pct1``, ``pct0``,
    ``pct2``, ``eur_m2`` (EUR m, 2 significant digits), ``eur_bn2``, ``eur_bn3``, ``eur3``)."""

    where: str
    shown: str
    value: float
    how: str

    def check(self) -> bool:
        """Whether ``shown`` is the value in those words."""
        return self.shown == say(self.value, self.how)


def say(value: float, how: str) -> str:
    """A value in the words of ``how`` (see :class:`Stated`)."""
    if how.startswith("pct"):
        return pct(value, int(how[3:]))
    unit, sig = {
        "eur_m2": ("EUR m", 2),
        "eur_m3": ("EUR m", 3),
        "eur_bn2": ("EUR bn", 2),
        "eur_bn3": ("EUR bn", 3),
        "eur3": ("EUR", 3),
    }[how]
    return eur(value, unit, sig)


def robustness(a: Assessment, key: str) -> str:
    """How often a conclusion holds and what decides it, as a clause: "in every plausible case" or
    "in 37% of plausible cases; it turns on the Renault share price (break-even EUR 40.52)"."""
    v = a.verdicts[key]
    if v.share is None:
        return "cannot be judged here"
    if v.share >= 1.0:
        return "in every plausible case"
    if v.share <= 0.0:
        return "in no plausible case"
    text = f"in {percent(v.share)} of plausible cases"
    deciding = a.deciding(key)[:1]
    if deciding:
        text += (
            f"; it turns on the {in_sentence(a.labels.get(deciding[0], deciding[0])).removeprefix('the ')}"
        )
        if v.breakeven is not None and v.breakeven[0] == deciding[0]:
            name, value = v.breakeven
            text += f" (break-even {format_quantity(value, a.units.get(name, ''), 2)})"
    return text


def _dated(row: Mapping[str, Any]) -> str:
    """``, at 2020-12-31`` for a figure known only at its date, plus ``(secondary source)``."""
    text = f", at {row['as_of']}" if row.get("dated") == "at" else ""
    if "secondary" in str(row.get("note") or "").lower():
        text += " (secondary source)"
    return text


def edge_sentence(row: Mapping[str, Any]) -> str:
    """The label of a holder -> company link, worded as a sentence with its date where the figure
    is known only then: "Renault owns 17.05% of Nissan directly (15% of votes)".

    >>> edge_sentence({"holder": "French state", "company": "Renault", "holding": "direct",
    ...                "economic_pct": 15.01, "voting_theoretical_pct": 22.0,
    ...                "voting_exercisable_pct": None, "as_of": "2020-12-31", "dated": "at", "note": ""})
    'French state owns 15.01% of Renault (22.00% of theoretical votes), at 2020-12-31'
    """
    econ = float(row["economic_pct"])
    votes, theory = row.get("voting_exercisable_pct"), row.get("voting_theoretical_pct")
    if row["holding"] == "trust":
        return f"The trust holds {num(econ)}% of {row['company']} for {row['holder']} (votes neutrally)"
    if votes is not None and not pd.isna(votes):
        extra = f" ({num(float(votes), 0)}% of votes)"
    elif theory is not None and not pd.isna(theory):
        extra = f" ({float(theory):.2f}% of theoretical votes)"
    else:
        extra = ""
    directly = (
        " directly" if row["holder"] == "Renault" and row["company"] == "Nissan" and row.get("trust") else ""
    )
    return f"{row['holder']} owns {num(econ)}% of {row['company']}{directly}{extra}{_dated(row)}"


# --------------------------------------------------------------------------- the analysis


@dataclass(frozen=True, kw_only=True)
class Analysis(AnalysisBase):
    """Everything notebook 01 shows, computed once from the parameters."""

    p: OwnershipParams
    stated: list[Stated]
    snap: pd.DataFrame  # the snapshot at as_of, Nissan's stake in Renault from the parameter
    after_snap: pd.DataFrame  # the snapshot after the chosen sale
    history: pd.DataFrame  # Renault's stake in Nissan at every dated figure
    replay: pd.DataFrame  # the trust sales replayed with Renault's count
    replay_nissan: pd.DataFrame  # ... with Nissan's count
    matrices: dict[str, np.ndarray]


FACT_IDS = (
    "renault_shares_outstanding",
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
    "nissan_fy2025_net_loss_jpy_bn",
    "nissan_block_5pct_eur_m_bloomberg",
    "voting_cap_pct",
    "renault_h1_2025_net_income_eur_m",
)


def _facts() -> tuple[dict[str, float], dict[str, str]]:
    from alliancelib.data import load

    facts = load("facts").set_index("fact_id")
    missing = [f for f in FACT_IDS if f not in facts.index]
    if missing:
        raise KeyError(f"facts.csv has no {', '.join(missing)}")
    return (
        {f: float(facts.at[f, "value"]) for f in FACT_IDS},  # type: ignore[arg-type]
        {f: str(facts.at[f, "source_id"]) for f in FACT_IDS},
    )


def _prices() -> pd.DataFrame:
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


def prices_since(prices: pd.DataFrame, day: str) -> str:
    """One sentence on how the two share prices moved after ``day``, from the newest quotes held.

    >>> from alliancelib.data import load
    >>> prices_since(load("share_prices"), "2025-03-31")[:60]
    'Since then the two prices have moved apart: Renault traded a'
    """
    later = {c: market_prices(prices, c) for c in ("Renault", "Nissan")}
    later = {c: df[df["date"].astype(str) > day] for c, df in later.items()}
    r_day = str(later["Renault"]["date"].astype(str).max())
    r = later["Renault"][later["Renault"]["date"].astype(str) == r_day]["price"].astype(float)
    n = later["Nissan"].assign(day=later["Nissan"]["date"].astype(str)).sort_values("day")
    last, before = n.iloc[-1], n.iloc[:-1]["price"].astype(float)
    years = sorted({d[:4] for d in n.iloc[:-1]["day"]})
    when = f"in {years[0]}" if len(years) == 1 else f"in {years[0]}-{years[-1]}"
    r_text = f"EUR {r.min():g}" if r.min() == r.max() else f"EUR {r.min():g}-{r.max():g}"
    return (f"Since then the two prices have moved apart: Renault traded at {r_text} on {say_date(r_day)}, "
            f"while Nissan, quoted at {before.min():g}-{before.max():g} yen {when}, closed at "
            f"{float(last['price']):g} yen on {say_date(last['day'])}; so the stake weighs more in Renault's "
            "value than it did, but the stored sources hold no later day with both market values and the "
            "report does not put a figure on it.")


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


def analyse(p: OwnershipParams) -> Analysis:
    """Everything notebook 01 shows, computed once (results, ranges, findings, tables, texts)."""
    from alliancelib import fx
    from alliancelib.data import load, news_as_of

    base = _base(p.as_of)
    facts, fact_sources = _facts()
    values = headline(p)
    concl = [c for c in conclusions(p) if values[c.result] is not None]
    numeric = [s for s in RESULTS if values[s.name] is not None]
    a = assess(p, headline, results=numeric, conclusions=concl)
    notes = {
        **a.result_notes(),
        **edge_notes(p, a),
        **{k: v for k, v in NO_RANGE.items() if values.get(k) is not None},
    }
    results = make_results(RESULTS, values, ranges=a.result_ranges(), notes=notes)

    snap = base.snap
    if base.has_nissan:
        snap = with_stake(
            snap,
            "Nissan",
            "Renault",
            p.nissan_in_renault_pct,
            "Parameter: 15% (Reuters/LSEG, 2025-06) or 15.27% (Nikkan Jidosha, end-March 2025); "
            "exercisable votes capped at 15%",
        )
        buyer_kind = "buyback" if p.buyer == "renault" else "third_party"
        after_snap, _sale = apply_sale(snap, "Nissan", "Renault", p.nissan_sells_renault_pct, buyer_kind)
    else:
        after_snap = snap
    hist = history(load("shareholdings"))
    replay_r, replay_n = replay_trust("renault"), replay_trust("nissan")
    check = replay_check()
    w_before, w_after = holdings_matrix(snap), holdings_matrix(after_snap)
    matrices = {
        "w_before": w_before,
        "w_after": w_after,
        "integrated_after": integrated(w_after),
        "look_through_after": look_through(w_after),
        "integrated_before": integrated(w_before),
        "look_through_before": look_through(w_before),
    }
    jpy_plan = fx.ecb_rate("JPY", PLAN_DAY)
    usd_plan = fx.ecb_rate("USD", PLAN_DAY)
    jpy_fair = fx.ecb_rate("JPY", FAIR_VALUE_DAY)
    usd_market = fx.ecb_rate("USD", MARKET_DAY)
    fx_as_of = max(f.fixing_date for f in (jpy_plan, usd_plan, jpy_fair, usd_market)).isoformat()

    events = _events_since(load("events"))
    gaps = load("gaps")
    gaps = gaps[gaps["topic"] == "ownership"][["what", "status", "note"]].reset_index(drop=True)
    tables = {
        "history": hist[
            [
                "as_of",
                "dated",
                "ownership_direct_pct",
                "ownership_trust_pct",
                "economic_pct",
                "voting_exercisable_pct",
                "source_id",
            ]
        ],
        "snapshot": snap[
            [
                "as_of",
                "dated",
                "holder",
                "company",
                "holding",
                "economic_pct",
                "voting_theoretical_pct",
                "voting_exercisable_pct",
                "basis",
                "source_id",
            ]
        ],
        "control": control_summary(snap),
        "replay": _replay_table(replay_r, replay_n, hist),
        "replay_check": _replay_check_table(check),
        "values": _values_table(p, values, facts, fact_sources),
        "sale": _sale_table(p, base, snap),
        "plan": _plan_table(p, base, facts, fact_sources, jpy_plan, usd_plan),
        "events": events,
        "gaps": gaps,
    }
    tables.update(_matrix_tables(matrices))
    prices = _prices()
    used_prices = pd.concat([price_extremes(prices), prices[prices["kind"] == "placement"]])
    source_ids = sorted(
        set(snap["source_id"])
        | set(hist["source_id"].str.split("; ").explode())
        | set(fact_sources.values())
        | set(events["source_id"])
        | set(used_prices["source_id"])
        | {
            "ecb_eurofxref",
            "zonebourse_20251204",
            "trivano_renault_fy2025",
            "justauto_renault_fy2025",
            "business_standard_20250701",
            "brecorder_reuters_20250701",
        }
    )
    news = news_as_of(source_ids)
    texts, stated = _texts(p, base, values, a, facts, check, replay_r, jpy_plan, usd_plan, jpy_fair, prices)
    findings, fstated = _findings(p, base, values, a, facts)
    since, sstated = _since(news, facts)
    unreached = (
        "whether Nissan sold any Renault shares after its last statement (June 2025), or Renault more "
        "trust shares after 2024 (no sale found up to the news date); "
        "the French state's stake in Renault after 2020; the fair value of Renault's Nissan stake at "
        "2025-12-31; Nissan's Tokyo close on 2025-03-31"
    )
    return Analysis(
        p=p,
        values=values,
        results=results,
        assessment=a,
        conclusions=concl,
        findings=findings,
        since=since,
        news_as_of=news,
        fx_as_of=fx_as_of,
        source_ids=source_ids,
        unreached=unreached,
        texts=texts,
        stated=stated + fstated + sstated,
        tables=tables,
        snap=snap,
        after_snap=after_snap,
        history=hist,
        replay=replay_r,
        replay_nissan=replay_n,
        matrices=matrices,
        facts=facts,
    )


def edge_notes(p: OwnershipParams, a: Assessment) -> dict[str, str]:
    """For each result whose value at the parameters lies outside its middle 90%, why: the input
    that decides it sits at an end of its plausible range ("Renault share price at the top of its
    range, EUR 45.94")."""
    out = {}
    for name, r in a.ranges.items():
        if (
            r.value is None
            or not r.has_range
            or r.low is None
            or r.high is None
            or r.low <= r.value <= r.high
        ):
            continue
        ends = []
        for inp in a.deciding(name)[:2]:
            pl, value = a.inputs[inp], getattr(p, inp)
            end = "top" if value == pl.high else "bottom" if value == pl.low else ""
            if end:
                ends.append(
                    f"{in_sentence(a.labels.get(inp, inp))} at the {end} of its range, "
                    f"{format_quantity(value, a.units.get(inp, ''), 2)}"
                )
        if ends:
            out[name] = "; ".join(ends)
    return out


def _events_since(events: pd.DataFrame) -> pd.DataFrame:
    sub = events[events["topic"] == "alliance"].copy()
    sub["day"] = [parse_partial_date(d) for d in sub["date"]]
    sub = sub[sub["day"] > dt.date(2025, 3, 31)]
    return sub.sort_values(["day", "event"], kind="stable")[["date", "event", "source_id"]].reset_index(
        drop=True
    )


def _replay_table(replay_r: pd.DataFrame, replay_n: pd.DataFrame, hist: pd.DataFrame) -> pd.DataFrame:
    reported = hist.set_index("as_of")
    steps = {0: "2023-11-08", 1: "2023-12-13", 2: "2024-04-03", 3: "2024-10-03"}
    rows = []
    for (_, r), (_, n) in zip(replay_r.iterrows(), replay_n.iterrows(), strict=True):
        day = steps[int(r["step"])]
        rep = reported.loc[day]
        label = "Start: 15% direct, 28.4% in the trust" if r["step"] == 0 else f"{r['label']} ({r['date']})"
        rows.append(
            {
                "ownership_step": label,
                "ownership_shares_issued": r["issued"],
                "ownership_trust_renault_count_pct": r["trust_pct"],
                "ownership_trust_nissan_count_pct": n["trust_pct"],
                "ownership_trust_reported_pct": rep["ownership_trust_pct"]
                if pd.notna(rep["ownership_trust_pct"])
                else rep["economic_pct"] - rep["ownership_direct_pct"],
                "ownership_total_replayed_pct": r["total_pct"],
                "ownership_total_reported_pct": rep["economic_pct"],
            }
        )
    return pd.DataFrame(rows)


def _interval(low: float, high: float, kind: str) -> str:
    if kind == "shares":
        return f"{low:,.0f}"
    a, b = f"{low:.2f}", f"{high:.2f}"
    return f"{a}%" if a == b else f"{a}–{b}%"


def _replay_check_table(check: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for _, r in check.iterrows():
        shown = f"{r['reported']:,.0f}" if r["kind"] == "shares" else f"{r['reported']:.2f}%"
        row = {"ownership_figure": r["figure"], "ownership_reported": shown}
        for c in ("renault", "nissan"):
            fits = "fits" if r[f"{c}_fits"] else "does not fit"
            row[f"ownership_{c}_count"] = f"{_interval(r[f'{c}_low'], r[f'{c}_high'], r['kind'])} ({fits})"
        rows.append(row)
    return pd.DataFrame(rows)


def _values_table(
    p: OwnershipParams, v: Mapping[str, Any], facts: Mapping[str, float], src: Mapping[str, str]
) -> pd.DataFrame:
    rows = [
        (
            f"Renault's own market value on {MARKET_DAY}",
            v["renault_market_value_eur_bn"],
            "market value",
            f"295,722,284 shares x EUR {_base(p.as_of).renault_price_eur:g} (the price of that day, as "
            "Nissan's market value)",
            f"{src['renault_shares_outstanding']}; {src['renault_share_price_eur']}",
        ),
        (
            f"Renault's {num(v['renault_in_nissan_economic_pct'])}% of Nissan",
            v["renault_stake_in_nissan_value_eur_bn"],
            "market value",
            f"{num(v['renault_in_nissan_economic_pct'])}% x USD {p.nissan_market_cap_usd_bn:g}bn "
            f"(Nissan, {MARKET_DAY}) / USD {_base(p.as_of).usd_per_eur:g} per EUR (ECB, {MARKET_DAY})",
            f"{src['nissan_market_cap_usd_bn']}; ecb_eurofxref",
        ),
        (
            "of which the trust's shares",
            v["renault_trust_stake_value_eur_bn"],
            "market value",
            f"{num(_base(p.as_of).renault_trust)}% of the same",
            f"{src['nissan_market_cap_usd_bn']}; ecb_eurofxref",
        ),
    ]
    if v["nissan_stake_in_renault_value_eur_bn"] is not None:
        rows.append(
            (
                f"Nissan's {num(v['nissan_in_renault_before_pct'])}% of Renault",
                v["nissan_stake_in_renault_value_eur_bn"],
                "market value",
                f"{num(v['nissan_in_renault_before_pct'])}% x 295,722,284 shares x EUR "
                f"{p.renault_share_price_eur:g}",
                f"{src['nissan_in_renault_pct_lseg']}; "
                f"{src['nissan_in_renault_pct_netdenjd']}; {src['renault_shares_outstanding']}",
            )
        )
    rows += [
        (
            "Cash Renault received for the three trust sales",
            v["trust_sales_proceeds_eur_m"] / 1e3,
            "cash, 2023-2024",
            "EUR 765m (about) + EUR 358m + EUR 494m (up to), as reported",
            f"{src['trust_sale1_proceeds_eur_m']}; {src['trust_sale2_proceeds_eur_m']}; "
            f"{src['trust_sale3_proceeds_eur_m']}",
        ),
        (
            "Renault's non-cash loss on the stake, 2025",
            facts["renault_fy2025_nissan_noncash_loss_eur_bn"],
            "accounting, 2025",
            "reported (EUR 9.31bn in Just Auto's account)",
            f"{src['renault_fy2025_nissan_noncash_loss_eur_bn']}; "
            f"{src['renault_fy2025_nissan_charge_eur_bn']}",
        ),
        (
            "Nissan's share of Renault's 2025 result (associates)",
            -facts["renault_fy2025_nissan_associate_loss_eur_bn"],
            "accounting, 2025",
            "reported",
            src["renault_fy2025_nissan_associate_loss_eur_bn"],
        ),
    ]
    return pd.DataFrame(
        rows, columns=["ownership_item", "ownership_value_eur_bn", "kind", "ownership_how", "source_id"]
    ).drop(columns="kind")


def _sale_table(p: OwnershipParams, base: Base, snap: pd.DataFrame) -> pd.DataFrame:
    """The chosen sale as a market sale and as a buyback, side by side (text cells)."""
    if not base.has_nissan:
        return pd.DataFrame(columns=["ownership_item", "ownership_market_sale", "ownership_buyback"])
    before, pts, price = p.nissan_in_renault_pct, p.nissan_sells_renault_pct, p.renault_share_price_eur
    cash = sale_proceeds_eur_m(pts, base.renault_shares, price)
    third, _ = sale_effect(before, pts, "third_party")
    back, scale = sale_effect(before, pts, "buyback")
    state = stake(snap, "French state", "Renault")
    state_row = snap[(snap["holder"] == "French state") & (snap["company"] == "Renault")]
    rows = [
        ("Nissan's share of Renault after the sale", f"{third:.2f}%", f"{back:.2f}%"),
        (
            "Most Nissan can sell and stay at the lock-up",
            f"{max_points_above(before, p.lockup_threshold_pct, 'third_party'):.2f} points",
            f"{max_points_above(before, p.lockup_threshold_pct, 'buyback'):.2f} points",
        ),
        ("What Nissan receives", format_quantity(cash, "EUR m", 0), format_quantity(cash, "EUR m", 0)),
        ("What Renault pays", "nothing: other investors pay", format_quantity(cash, "EUR m", 0)),
        (
            "Renault shares in issue after the sale",
            f"{base.renault_shares:,.0f}",
            f"{base.renault_shares * (1 - pts / 100):,.0f}",
        ),
        ("Every other holder's share of Renault", "unchanged", f"x {scale:.4f} (1 / (1 - {pts:g}%))"),
    ]
    if state is not None:
        when = state_row["as_of"].iloc[0]
        rows.append(
            (
                f"French state's share of Renault ({state:.2f}% at {when})",
                f"{state:.2f}%",
                f"{state * scale:.2f}%",
            )
        )
    return pd.DataFrame(rows, columns=["ownership_item", "ownership_market_sale", "ownership_buyback"])


def _plan_table(
    p: OwnershipParams, base: Base, facts: Mapping[str, float], src: Mapping[str, str], jpy: Any, usd: Any
) -> pd.DataFrame:
    block = base.plan_points / 100 * base.renault_shares
    plan_usd_eur_m = facts["nissan_plan_sale_usd_m"] / usd.rate_per_eur
    chosen = sale_proceeds_eur_m(base.plan_points, base.renault_shares, p.renault_share_price_eur)
    rows = [
        (
            "Nissan's plan, yen figure (2025-06-16)",
            f"about JPY {facts['nissan_plan_sale_jpy_bn']:g}bn",
            base.plan_eur_m,
            base.plan_eur_m * 1e6 / block,
            f"at EUR 1 = JPY {jpy.rate_per_eur:g} (ECB, {jpy.fixing_date})",
            src["nissan_plan_sale_jpy_bn"],
        ),
        (
            "Nissan's plan, dollar figure (2025-06-16)",
            f"about USD {facts['nissan_plan_sale_usd_m']:g}m",
            plan_usd_eur_m,
            plan_usd_eur_m * 1e6 / block,
            f"at EUR 1 = USD {usd.rate_per_eur:g} (ECB, {usd.fixing_date})",
            src["nissan_plan_sale_usd_m"],
        ),
        (
            "Bloomberg's estimate (2025-04-01)",
            f"about EUR {facts['nissan_block_5pct_eur_m_bloomberg']:g}m",
            facts["nissan_block_5pct_eur_m_bloomberg"],
            facts["nissan_block_5pct_eur_m_bloomberg"] * 1e6 / block,
            "reported in euros",
            src["nissan_block_5pct_eur_m_bloomberg"],
        ),
        (
            f"5 points at the chosen price (EUR {p.renault_share_price_eur:g})",
            "this notebook's scenario",
            chosen,
            p.renault_share_price_eur,
            "5% x 295,722,284 shares x price",
            src["renault_shares_outstanding"],
        ),
    ]
    return pd.DataFrame(
        rows,
        columns=[
            "ownership_figure",
            "ownership_amount",
            "ownership_eur_m",
            "ownership_price_eur",
            "ownership_how",
            "source_id",
        ],
    )


def _matrix_tables(m: Mapping[str, np.ndarray]) -> dict[str, pd.DataFrame]:
    """The matrices in % with reader labels, rounded to 2 decimals; the holder rows that hold
    nothing (Mitsubishi Motors) left out of W and W~."""

    def frame(matrix: np.ndarray, rows: Sequence[str], first: str) -> pd.DataFrame:
        out = pd.DataFrame((matrix * 100).round(2), index=list(ALLIANCE), columns=list(MATRIX_COLUMNS))
        return out.loc[list(rows)].reset_index(names=first)

    holders = [c for i, c in enumerate(ALLIANCE) if m["w_after"][i].any() or m["w_before"][i].any()]
    return {
        "w_after": frame(m["w_after"], holders, "holder"),
        "integrated_after": frame(m["integrated_after"], holders, "holder"),
        "look_through_after": frame(m["look_through_after"], ALLIANCE, "ownership_outside_holders_of"),
    }


MATRIX_COLUMNS = ("ownership_of_renault_pct", "ownership_of_nissan_pct", "ownership_of_mmc_pct")


def _texts(
    p: OwnershipParams,
    base: Base,
    v: Mapping[str, Any],
    a: Assessment,
    facts: Mapping[str, float],
    check: pd.DataFrame,
    replay_r: pd.DataFrame,
    jpy_plan: Any,
    usd_plan: Any,
    jpy_fair: Any,
    prices: pd.DataFrame,
) -> tuple[dict[str, str], list[Stated]]:
    """The computed sentences of each section (Markdown), and the numbers they state."""
    t: dict[str, str] = {}
    st: list[Stated] = []
    econ, votes = v["renault_in_nissan_economic_pct"], v["renault_in_nissan_voting_pct"]
    # who owns whom
    if votes is not None:
        t["who"] = (
            f"On {p.as_of} Renault holds **{econ:.2f}%** of Nissan's capital ({base.renault_direct:.2f}% "
            f"directly, {base.renault_trust:.2f}% through the French trust) but directs only "
            f"**{votes:.0f}%** of its exercisable votes: the trust's shares vote neutrally, and each side's "
            f"exercisable votes in the other are capped at {facts['voting_cap_pct']:g}%. (The table's "
            "weights use the usual company-law thresholds, more than a third of the votes to block and more "
            "than half to control: our convention, not a figure from the sources.)"
        )
    else:
        row = base.snap[(base.snap["holder"] == "Renault") & (base.snap["company"] == "Nissan")].iloc[0]
        t["who"] = (
            f"On {p.as_of} the latest figure is Renault's **{econ:.2f}%** of Nissan's capital, known "
            f"{'only ' if row['dated'] == 'at' else 'from '}at {row['as_of']}; the research has no "
            f"figure for Renault's votes at Nissan before {REBALANCING} and no figure for Nissan's "
            "stake in Renault before that date."
        )
    # history and the replay
    r_end = replay_r.iloc[-1]
    renault_fit = check.set_index("figure")
    only = check.attrs["issued_if_only_renault_cancelled"]

    def gives(count: str, sale: int) -> str:
        row = f"The trust after sale {sale}"
        low, high = (float(renault_fit.at[row, f"{count}_{end}"]) for end in ("low", "high"))  # type: ignore[arg-type]
        return _interval(low, high, "pct")

    t["replay"] = (
        f"Replayed from 43.4% of {facts['nissan_shares_before_buybacks']:,.0f} shares with Renault's count, "
        f"the three sales leave Renault with **{r_end['total_pct']:.2f}%** of Nissan "
        f"({r_end['direct_pct']:.2f}% direct + {r_end['trust_pct']:.2f}% trust) and Nissan with "
        f"{r_end['issued']:,.0f} shares, as reported. Because 28.4% is rounded (anywhere from 28.35% to "
        "28.45%), the start alone cannot tell the two counts apart; the reported 24.63% after the first sale "
        "can: from it, Renault's count gives "
        f"{gives('renault', 2)} and {gives('renault', 3)} (reported 22.73% and 18.66%), Nissan's count "
        f"{gives('nissan', 2)} and {gives('nissan', 3)}, "
        f"which do not fit. Had Nissan cancelled only Renault's {facts['trust_sale2_shares_renault']:,.0f} "
        f"shares, it would have {only:,.0f} shares in issue, not the reported "
        f"{facts['nissan_shares_issued']:,.0f}: the count closes only if Nissan cancelled all "
        f"{facts['trust_sale2_shares_nissan']:,.0f} it bought "
        f"({facts['trust_sale2_shares_nissan'] - facts['trust_sale2_shares_renault']:,.0f} of them from "
        "other holders). So both releases are right about different things: the trust sold 99,132,100 "
        "shares, Nissan bought back and cancelled 100,242,900. Renault's completion release says Nissan "
        "cancels all the bought-back shares; that the buyback covered 100,242,900 in all is our inference "
        "from the share counts."
    )
    st.append(Stated("text:replay", f"**{r_end['total_pct']:.2f}%**", r_end["total_pct"], "pct2_bold"))
    # value
    carrying = facts["renault_nissan_carrying_value_jpy"]
    nissan_prices = market_prices(prices, "Nissan", "2025")
    low_px, high_px = float(nissan_prices["price"].min()), float(nissan_prices["price"].max())
    shares_held = r_end["trust_shares"] + base.renault_direct / 100 * facts["nissan_shares_issued"]
    shares_held = replay_r.iloc[-1]["total_pct"] / 100 * facts["nissan_shares_issued"]
    gap_jpy_bn = shares_held * (carrying - 341.8) / 1e9
    t["value"] = (
        f"At market prices on {MARKET_DAY} Renault's {econ:.2f}% of Nissan was worth about "
        f"**{say(v['renault_stake_in_nissan_value_eur_bn'], 'eur_bn2')}** ({econ:.2f}% of Nissan's USD "
        f"{p.nissan_market_cap_usd_bn:g}bn at USD {base.usd_per_eur:g} per euro), of which the trust's "
        f"shares {say(v['renault_trust_stake_value_eur_bn'], 'eur_bn2')}. Renault itself was worth "
        f"{say(v['renault_market_value_eur_bn'], 'eur_bn3')} at EUR {base.renault_price_eur:g} a share, "
        f"so the stake was **{say(v['renault_nissan_stake_share_of_renault_value_pct'], share_how(v))}** of "
        "Renault's own value. These are values on one date: the Renault prices the research reports run from "
        f"EUR 31.37 to EUR 45.94 between March 2025 and February 2026, and Nissan's from {low_px:g} to "
        f"{high_px:g} yen in 2025."
    )
    st += [
        Stated(
            "text:value",
            say(v["renault_stake_in_nissan_value_eur_bn"], "eur_bn2"),
            v["renault_stake_in_nissan_value_eur_bn"],
            "eur_bn2",
        ),
        Stated(
            "text:value",
            say(v["renault_nissan_stake_share_of_renault_value_pct"], share_how(v)),
            v["renault_nissan_stake_share_of_renault_value_pct"],
            share_how(v),
        ),
    ]
    t["accounting"] = (
        f"Until mid-2025 Renault carried its Nissan shares at **{carrying:,.0f} yen** each (2024 Universal "
        f"Registration Document), against market prices of {low_px:g} to {high_px:g} yen in 2025; selling "
        "below book value had already cost it a capital loss of up to EUR "
        f"{facts['trust_sale1_renault_loss_eur_bn']:g}bn on the first trust sale alone (December 2023). From "
        f"{FAIR_VALUE_DAY} it holds the stake at market value (fair value), and the switch cost a non-cash "
        f"**EUR {facts['renault_fy2025_nissan_noncash_loss_eur_bn']:g}bn** in 2025 (Reuters had said about "
        f"EUR {facts['renault_nissan_fair_value_loss_eur_bn']:g}bn in July 2025), on top of EUR "
        f"{facts['renault_fy2025_nissan_associate_loss_eur_bn']:g}bn of Nissan's losses taken as Renault's "
        "share of an associate's result; Renault's 2025 net loss was EUR "
        f"{facts['renault_fy2025_net_loss_eur_bn']:g}bn. A rough check, our arithmetic on the reported "
        f"figures: {shares_held / 1e6:,.0f}m Nissan shares x ({carrying:,.0f} - 341.8) yen is about JPY "
        f"{gap_jpy_bn:,.0f}bn, or EUR {gap_jpy_bn / jpy_fair.rate_per_eur:.1f}bn at the ECB rate of "
        f"{jpy_fair.fixing_date} ({jpy_fair.rate_per_eur:g} yen): the size of the reported loss (341.8 yen "
        "is the price reported on 2025-07-01, not the 2025-06-30 close, which the research does not give). "
        "In December 2025 BofA judged that Renault's net cash plus its Nissan stake made up about Renault's "
        "whole market value."
    )
    # the sale
    plan_usd_m = facts["nissan_plan_sale_jpy_bn"] * 1e3 / jpy_plan.rate_per_eur * usd_plan.rate_per_eur
    mercedes = prices[
        (prices["company"] == "Nissan") & prices["date"].astype(str).isin(["2025-08-25", "2025-08-26"])
    ]
    placement = {str(r["kind"]): float(r["price"]) for _, r in mercedes.iterrows()}
    discount = (1 - placement["placement"] / placement["close"]) * 100
    if v["nissan_in_renault_before_pct"] is not None:
        kind = "to Renault, which cancels them" if p.buyer == "renault" else "in the market"
        t["sale"] = (
            f"Nissan holds **{v['nissan_in_renault_before_pct']:.2f}%** of Renault; selling "
            f"**{p.nissan_sells_renault_pct:g} points** {kind} leaves it "
            f"**{v['nissan_in_renault_after_pct']:.2f}%**, "
            f"{'at or above' if v['nissan_above_lockup_after_sale_pts'] >= -1e-9 else 'below'} the "
            f"{p.lockup_threshold_pct:g}% lock-up. At EUR {p.renault_share_price_eur:g} a share it raises "
            f"**{format_quantity(v['sale_proceeds_eur_m'], 'EUR m', 0)}** ({p.nissan_sells_renault_pct:g}% x "
            f"{base.renault_shares:,.0f} shares x EUR {p.renault_share_price_eur:g}). Nissan's plan of June "
            f"2025, about JPY 100bn for 5 points, is {format_quantity(base.plan_eur_m, 'EUR m', 0)} at the "
            f"ECB rate of {jpy_plan.fixing_date}: it implies **EUR "
            f"{v['plan_implied_renault_price_eur']:.2f}** a Renault share, not a rounding of the price "
            "chosen here. The plan's other figure, about USD 640m, does not convert into JPY 100bn: at the "
            "ECB rates of that day JPY 100bn is about USD "
            f"{plan_usd_m:,.0f}m; "
            "the two are approximations from different moments. A block may sell below the market price: the "
            f"one block sale in these sources, Mercedes-Benz's {facts['mercedes_nissan_stake_pct']:g}% of "
            f"Nissan in August 2025, was placed at {placement['placement']:g} yen, {pct(discount, 2)} below "
            f"the previous close of {placement['close']:g} yen."
        )
        st.append(Stated("text:sale", pct(discount, 2), discount, "pct2"))
    else:
        t["sale"] = (
            f"Nissan's stake in Renault is not in the research before {REBALANCING}, so no sale is "
            "computed at this date."
        )
    # the circle
    if v["integrated_renault_in_nissan_pct"] is not None:
        t["circle"] = (
            "For a Renault shareholder: Renault's outside shareholders own **"
            f"{v['look_through_renault_holders_in_nissan_pct']:.2f}%** of Nissan through Renault after the "
            f"sale ({v['look_through_renault_holders_in_nissan_no_sale_pct']:.2f}% without it), and "
            f"{v['look_through_renault_holders_in_mmc_pct']:.2f}% of Mitsubishi Motors through Renault's "
            "stake in Nissan. Counting every path, Renault's integrated stake in Nissan is "
            f"**{v['integrated_renault_in_nissan_pct']:.2f}%** after the sale "
            f"({v['integrated_renault_in_nissan_no_sale_pct']:.2f}% without it), against {econ:.2f}% held "
            "directly. After a sale the look-through rises and the integrated stake falls: less of Renault "
            "sits inside the circle."
        )
    else:
        t["circle"] = (
            f"Nissan's stake in Renault is not in the research before {REBALANCING}: without it the "
            "circle cannot be closed, so integrated ownership and look-through are not computed."
        )
    del a, check
    return t, st


def _findings(
    p: OwnershipParams, base: Base, v: Mapping[str, Any], a: Assessment, facts: Mapping[str, float]
) -> tuple[list[Finding], list[Stated]]:
    """The 3-5 key findings at the parameters, each with its numbers rounded as a reader says them,
    what they mean and how robust they are."""
    econ, votes = v["renault_in_nissan_economic_pct"], v["renault_in_nissan_voting_pct"]
    out: list[Finding] = []
    st: list[Stated] = []
    if votes is not None:
        text = (
            f"Renault owns **{pct(econ)}** of Nissan's capital ({num(base.renault_direct)}% directly, "
            f"{num(base.renault_trust)}% through a French trust that votes neutrally) but directs only "
            f"**{pct(votes, 0)}** of its votes, because each side's votes in "
            f"the other are capped at {facts['voting_cap_pct']:g}%. A reported fact, so no range."
        )
        st += [Stated("stake", pct(econ), econ, "pct1"), Stated("stake", pct(votes, 0), votes, "pct0")]
    else:
        text = (
            f"The latest figure on {p.as_of}: Renault owns **{pct(econ)}** of Nissan's capital; the research "
            f"has no figure for its votes before {REBALANCING}. A reported fact, so no range."
        )
        st.append(Stated("stake", pct(econ), econ, "pct1"))
    out.append(Finding("stake", text, anchor=anchor_for(SECTION_WHO), headline=True))

    value, share = (
        v["renault_stake_in_nissan_value_eur_bn"],
        v["renault_nissan_stake_share_of_renault_value_pct"],
    )
    loss = facts["renault_fy2025_nissan_noncash_loss_eur_bn"]
    how_share = share_how(v)
    text = (
        f"At market prices on 31 March 2025 that stake was worth about **{say(value, 'eur_bn2')}**, "
        f"**{say(share, how_share)}** of Renault's own market value "
        f"({say(v['renault_market_value_eur_bn'], 'eur_bn3')} at EUR {base.renault_price_eur:g} a share that "
        "day); "
        f"switching to market value cost Renault a **EUR {loss:g}bn** non-cash loss in 2025. "
        f"{prices_since(_prices(), MARKET_DAY)}"
    )
    st += [
        Stated("value", say(value, "eur_bn2"), value, "eur_bn2"),
        Stated("value", say(share, how_share), share, how_share),
        Stated(
            "value",
            say(v["renault_market_value_eur_bn"], "eur_bn3"),
            v["renault_market_value_eur_bn"],
            "eur_bn3",
        ),
    ]
    out.append(
        Finding(
            "value",
            text,
            anchor=anchor_for(SECTION_VALUE),
            headline=True,
        )
    )

    if v["nissan_in_renault_before_pct"] is not None and p.nissan_sells_renault_pct > 0:
        proceeds = v["sale_proceeds_eur_m"]
        price_pl = a.inputs.get("renault_share_price_eur")
        span = a.result_ranges().get("sale_proceeds_eur_m")
        if price_pl is not None and span is not None:
            # the recorded 90% range, as notebook 05 and the front page give it
            spread = (
                f" ({say(span[0], 'eur_m2')} to {say(span[1], 'eur_m2')} in 90% of plausible cases, "
                f"Renault's price drawn over the EUR {price_pl.low:g} to {price_pl.high:g} reported)"
            )
        else:
            spread = ""
        lock = a.verdicts.get("lockup")
        plan = a.verdicts.get("meets_plan")
        verb = (
            "would raise"
            if v["nissan_above_lockup_after_sale_pts"] >= -1e-9
            else "would take Nissan below the lock-up and raise"
        )
        text = (
            f"Selling **{p.nissan_sells_renault_pct:g} points** of Renault "
            f"{'to Renault' if p.buyer == 'renault' else 'in the market'} {verb} Nissan about "
            f"**{say(proceeds, 'eur_m2')}** at EUR {p.renault_share_price_eur:g} a share{spread}. Nissan's "
            f"own JPY 100bn plan implies **{say(v['plan_implied_renault_price_eur'], 'eur3')}** a share: the "
            f"sale reaches the plan's {say(base.plan_eur_m, 'eur_m3')} {_plan_clause(a)}. "
        )
        if lock is not None:
            text += _lockup_clause(p, a) + "."
        st += [
            Stated("sale", say(proceeds, "eur_m2"), proceeds, "eur_m2"),
            Stated(
                "sale",
                say(v["plan_implied_renault_price_eur"], "eur3"),
                v["plan_implied_renault_price_eur"],
                "eur3",
            ),
        ]
        out.append(
            Finding(
                "sale",
                text.strip(),
                anchor=anchor_for(SECTION_SALE),
                holds_pct=None if plan is None or plan.share is None else plan.share * 100,
                flips=bool(plan and plan.flips),
            )
        )

    if v["look_through_renault_holders_in_nissan_pct"] is not None:
        lt, lt0 = (
            v["look_through_renault_holders_in_nissan_pct"],
            v["look_through_renault_holders_in_nissan_no_sale_pct"],
        )
        ig, ig0 = v["integrated_renault_in_nissan_pct"], v["integrated_renault_in_nissan_no_sale_pct"]
        rng = a.ranges["look_through_renault_holders_in_nissan_pct"]
        if not (rng.has_range and rng.low is not None and rng.high is not None):
            moves = "no uncertain input moves it"
        elif pct(rng.low, 1) == pct(rng.high, 1):
            moves = "Nissan's disputed stake in Renault moves it by less than 0.1 points"
        else:
            moves = (
                f"between {pct(rng.low, 1)} and {pct(rng.high, 1)} with Nissan's disputed stake in Renault"
            )
        text = (
            f"Counting the circle, Renault's shareholders own **{pct(lt)}** of Nissan through Renault after "
            f"the sale ({pct(lt0)} without it; {moves}); Renault's integrated stake, which counts its own "
            f"shares held back through Nissan, is {pct(ig)} ({pct(ig0)} without the sale)."
        )
        st += [
            Stated("circle", pct(lt), lt, "pct1"),
            Stated("circle", pct(lt0), lt0, "pct1"),
            Stated("circle", pct(ig), ig, "pct1"),
            Stated("circle", pct(ig0), ig0, "pct1"),
        ]
        out.append(Finding("circle", text, anchor=anchor_for(SECTION_CIRCLE)))

    replayed = v["replayed_renault_in_nissan_pct"]
    text = (
        f"Replaying the three trust sales on share counts gives **{pct(replayed, 2)}**, the reported figure, "
        "only with Renault's count of the March 2024 sale (99,132,100 shares); Nissan's 100,242,900 is what "
        "it bought back and cancelled in all, the only count that closes its share count (our inference "
        "from the counts)."
    )
    st.append(Stated("replay", pct(replayed, 2), replayed, "pct2"))
    out.append(Finding("replay", text, anchor=anchor_for(SECTION_HISTORY)))
    return out[:5], st


def share_how(v: Mapping[str, Any]) -> str:
    """How to round the stake's share of Renault's value: one decimal near a third (33.2% is not a
    third), none elsewhere."""
    return "pct1" if 30 <= v["renault_nissan_stake_share_of_renault_value_pct"] <= 37 else "pct0"


def _lockup_clause(p: OwnershipParams, a: Assessment) -> str:
    """Whether the sale keeps Nissan at or above the lock-up, and how robustly."""
    v = a.verdicts["lockup"]
    t = f"{p.lockup_threshold_pct:g}%"
    if v.share is not None and v.share >= 1.0:
        return f"Nissan stays at or above the {t} lock-up in every plausible case"
    if not v.holds_at_default:
        return f"This sale would take Nissan below the {t} lock-up"
    cases = "almost none" if (v.share or 0.0) < 0.01 else percent(v.share or 0.0)
    return (
        f"Nissan lands at or above the {t} lock-up only with its stake in Renault as chosen "
        f"({num(p.nissan_in_renault_pct)}%): it holds in {cases} of the plausible cases, since with a "
        "smaller stake the same sale would take it below"
    )


def _plan_clause(a: Assessment) -> str:
    """When the sale reaches Nissan's plan: above the break-even share price, in what share of cases."""
    v = a.verdicts.get("meets_plan")
    if v is not None and v.flips and v.breakeven is not None and v.breakeven[0] == "renault_share_price_eur":
        return f"only above EUR {v.breakeven[1]:.2f} a share, in {percent(v.share or 0.0)} of plausible cases"
    return robustness(a, "meets_plan")


def _since(news: str, facts: Mapping[str, float]) -> tuple[str, list[Stated]]:
    text = (
        f"by {news}, the newest news this report uses, neither side had sold: when Reuters reported Nissan's "
        'plan to sell in June 2025, "no definitive decisions" had been made; Renault reported '
        f"{facts['renault_in_nissan_pct_2025_07']:g}% of Nissan in July 2025, and Reuters repeated it in "
        "August. Mercedes-Benz sold "
        f"its {facts['mercedes_nissan_stake_pct']:g}% of Nissan in August 2025, and Nissan forecast a JPY "
        f"{facts['nissan_fy2025_net_loss_forecast_jpy_bn']:g}bn net loss for its 2025 fiscal year (February "
        f"2026); it reported a JPY {facts['nissan_fy2025_net_loss_jpy_bn']:g}bn net loss on 13 May 2026."
    )
    return text, [
        Stated(
            "since",
            f"{facts['renault_in_nissan_pct_2025_07']:g}%",
            facts["renault_in_nissan_pct_2025_07"],
            "pct2",
        )
    ]


def ranges_table(p: OwnershipParams) -> pd.DataFrame:
    """The plausible ranges of the uncertain inputs with their basis (the library's table)."""
    from alliancelib import uncertainty

    return uncertainty.ranges_table(p)


def robustness_lines(a: Analysis) -> list[str]:
    """One sentence per key finding on how robust it is and what decides it."""
    lines = []
    asmt = a.assessment
    for f in a.findings:
        if f.key == "stake":
            lines.append(
                "**Renault's stake and votes** are reported facts: no input of this notebook moves them."
            )
        elif f.key == "value":
            lines.append(
                "**What the stake is worth against Renault**: reported prices of one day (31 March 2025), so "
                "no range; the sale's price parameter does not move it. A ratio of market values taken on "
                "different days would mix dates, and the stored sources hold no later day with both."
            )
        elif f.key == "sale" and "meets_plan" in asmt.verdicts:
            lines.append(
                f"**The sale against Nissan's plan**: it raises at least the plan's euros "
                f"{robustness(asmt, 'meets_plan')}. {_lockup_clause(a.p, asmt)}."
            )
        elif f.key == "circle":
            r = asmt.ranges["look_through_renault_holders_in_nissan_pct"]
            span = (
                f"between {pct(r.low, 2)} and {pct(r.high, 2)}"
                if r.has_range and r.low is not None and r.high is not None
                else "fixed"
            )
            lines.append(
                f"**The circle**: the look-through figure lies {span} in 90% of plausible cases, moved "
                "only by Nissan's disputed stake in Renault (15% or 15.27%)."
            )
        elif f.key == "replay":
            lines.append(
                "**The replay** is arithmetic on reported share counts: it has no range, but it tells "
                "the two March 2024 counts apart only from the reported 24.63% after the first sale "
                "(starting from the rounded 28.4% it cannot)."
            )
    return lines


# --------------------------------------------------------------------------- charts


# the parameters the main chart depends on: the what-if explorer (alliancelib.explorer) redraws it only
# when one of them changes (tests/test_explorer.py checks that no other parameter changes it)
MAIN_CHART_PARAMS = ("as_of", "nissan_in_renault_pct")


def main_chart(a: Analysis) -> Chart:
    """The notebook's main chart (the ownership network), the first of :func:`figures`; the what-if
    explorer redraws it alone at every change."""
    from alliancelib import charts

    return charts.Chart("network", plot_network(a.snap, network_title(a)), source=network_source(a),
                        alt=network_alt(a))


def figures(a: Analysis) -> list[Chart]:
    """Every chart of the notebook, drawn from the analysis."""
    from alliancelib import charts, uncertainty

    out = [
        main_chart(a),
        charts.Chart(
            "history",
            plot_history(a),
            source=(
                "Sources: Renault 2020 URD; Yahoo (FR); Mobility Outlook; Renault and Nissan releases; Just "
                "Auto; Automotive World; Japan News (Reuters); Boursier.com; Sowetan (Reuters); Nikkan "
                "Jidosha Shimbun."
            ),
            alt=history_alt(a),
        ),
        charts.Chart(
            "value",
            plot_value(a),
            source=(
                f"Sources: stockanalysis.com (Nissan, USD {a.p.nissan_market_cap_usd_bn:g}bn on "
                f"{MARKET_DAY}); ECB; Renault 2020 URD and 2025 filing (295,722,284 shares); Boursorama/AOF; "
                "Reuters via Boursier and Sowetan; Nissan, Renault and Just Auto (trust sales); Renault "
                "FY2025 release (Trivano); Automotive World (FY2024)."
            ),
            alt=value_alt(a),
        ),
    ]
    specs = [
        s
        for s in RESULTS
        if a.assessment.ranges.get(s.name) is not None
        and a.assessment.ranges[s.name].has_range
        and s.name in RANGE_CHART
    ]
    if specs:
        fig = uncertainty.plot_ranges(a.assessment, specs, title=ranges_title(a, specs))
        out.append(
            charts.Chart(
                "ranges",
                fig,
                source=(
                    "Monte Carlo over the plausible inputs (100,000 draws, seed 20250331): Renault's share "
                    "price EUR 31.37-45.94; Nissan's stake in Renault 15-15.27%."
                ),
                alt=ranges_alt(a, specs),
            )
        )
    return out


RANGE_CHART = (
    "renault_nissan_stake_share_of_renault_value_pct",
    "sale_proceeds_eur_m",
    "nissan_stake_in_renault_value_eur_bn",
    "look_through_renault_holders_in_nissan_pct",
)


def ranges_title(a: Analysis, specs: Sequence[ResultSpec]) -> str:
    """The range chart's title: which input moves the headline results."""
    moved = {i for s in specs for i in a.assessment.deciding(s.name)[:1]}
    if moved == {"renault_share_price_eur", "nissan_in_renault_pct"} or len(moved) > 1:
        return (
            "Renault's share price moves the money results; Nissan's disputed 15% or 15.27% of Renault "
            "barely moves the stakes"
        )
    return "The headline results across the plausible inputs"


def ranges_alt(a: Analysis, specs: Sequence[ResultSpec]) -> str:
    parts = []
    recorded = a.assessment.as_recorded()  # the ranges the chart draws and the results record
    for s in specs:
        r = recorded.ranges[s.name]
        parts.append(
            f"{s.label}: {format_quantity(r.value, s.unit, s.decimals)}, range "
            f"{format_quantity(r.low, s.unit, s.decimals)} to {format_quantity(r.high, s.unit, s.decimals)}"
        )
    return "Range chart of the headline results over the plausible inputs. " + "; ".join(parts) + "."


def network_title(a: Analysis) -> str:
    v = a.values
    base = _base(a.p.as_of)
    if v["renault_in_nissan_voting_pct"] is None:
        econ = num(v["renault_in_nissan_economic_pct"])
        return f"Renault's {econ}% of Nissan, the latest figure on {a.p.as_of}"
    if base.renault_trust:
        return (
            f"Renault owns {num(v['renault_in_nissan_economic_pct'])}% of Nissan "
            f"({num(base.renault_direct)}% directly, {num(base.renault_trust)}% through a French trust) but "
            f"directs only {num(v['renault_in_nissan_voting_pct'], 0)}% of its votes"
        )
    return (
        f"Renault owns {num(v['renault_in_nissan_economic_pct'])}% of Nissan but directs only "
        f"{num(v['renault_in_nissan_voting_pct'], 0)}% of its votes"
    )


def network_source(a: Analysis) -> str:
    return (
        f"Stakes in force on {a.p.as_of} (latest figure on or before it); outside holders' figures dated "
        "where known only at an earlier date. Sources: Renault releases; Renault 2020 URD; Boursier.com; "
        "Reuters/LSEG and Nikkan Jidosha (Nissan in Renault, the parameter); the-shashi.com (secondary)."
    )


def network_alt(a: Analysis) -> str:
    labels = [
        edge_sentence({**{str(k): x for k, x in r.items()}, "trust": True})
        for _, r in _network_rows(a.snap).iterrows()
    ]
    return f"Network chart. {network_title(a)}. Links: " + "; ".join(labels) + "."


NODE_XY = {
    "French state": (0.14, 0.93),
    "Renault": (0.30, 0.45),
    TRUST: (0.90, 0.93),
    "Nissan": (1.36, 0.45),
    "Mitsubishi Corporation": (0.26, 0.06),
    "Mitsubishi Motors": (1.36, 0.06),
}
NETWORK_XLIM, NETWORK_YLIM = (0.0, 1.6), (-0.04, 1.02)


def _network_rows(snap: pd.DataFrame) -> pd.DataFrame:
    keep = snap["holder"].isin(NODE_XY) & snap["company"].isin(NODE_XY)
    return snap[keep].reset_index(drop=True)


def _wrap(text: str, width: int) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width))


def arc_midpoint(xy0: tuple[float, float], xy1: tuple[float, float], rad: float) -> tuple[float, float]:
    """The middle of matplotlib's ``arc3`` curve from ``xy0`` to ``xy1`` (axes of equal aspect): the
    control point lies at ``rad x (dy, -dx)`` from the chord's middle, and the quadratic Bezier
    curve's middle halfway there.

    >>> arc_midpoint((0, 0), (1, 0), 0.2)  # left to right with rad > 0 bends below the chord
    (0.5, -0.1)
    """
    (x0, y0), (x1, y1) = xy0, xy1
    dx, dy = x1 - x0, y1 - y0
    return (round((x0 + x1) / 2 + 0.5 * rad * dy, 12), round((y0 + y1) / 2 - 0.5 * rad * dx, 12))


def plot_network(snap: pd.DataFrame, title: str) -> Figure:
    """Companies, the French trust and the outside holders as nodes; one arrow per holding, each
    labelled on its own arc with a sentence ("Renault owns 17.05% of Nissan directly (15% of
    votes)"), dated where the figure is known only at an earlier date. The trust's shares go
    Renault -> trust (the economic rights) -> company (the shares, votes neutral). Each arrow and its
    label share a ``gid`` (``edge:holder->company``)."""
    import matplotlib as mpl
    from matplotlib.figure import Figure
    from matplotlib.patches import FancyArrowPatch

    from alliancelib import charts

    rows = _network_rows(snap)
    edges: list[tuple[str, str, str, str, bool]] = []  # (from, to, label, colour, dashed)
    has_trust = (rows["holding"] == "trust").any()
    for _, r in rows.iterrows():
        row = {str(k): x for k, x in r.items()}
        colour = charts.PALETTE.get(r["holder"], charts.PALETTE["outside"])
        if r["holding"] == "trust":
            edges.append(
                (
                    r["holder"],
                    TRUST,
                    f"{r['holder']} keeps the economic rights to the trust's shares",
                    colour,
                    True,
                )
            )
            edges.append((TRUST, r["company"], edge_sentence(row), colour, False))
        else:
            edges.append(
                (r["holder"], r["company"], edge_sentence({**row, "trust": has_trust}), colour, False)
            )
    pairs = {(e[0], e[1]) for e in edges}
    nodes = list(dict.fromkeys(n for e in edges for n in e[:2]))
    with mpl.rc_context(charts.STYLE):  # type: ignore[arg-type]
        fig = Figure(figsize=(9.0, 6.4), layout="constrained")
        ax = fig.add_subplot()
        ax.set_xlim(*NETWORK_XLIM)
        ax.set_ylim(*NETWORK_YLIM)
        ax.set_aspect("equal")
        ax.set_axis_off()
        boxes = {}
        for name in nodes:
            x, y = NODE_XY[name]
            colour = charts.PALETTE.get(name, charts.PALETTE["outside"])
            trust = name == TRUST
            boxes[name] = ax.text(
                x,
                y,
                "French trust\n(Renault's shares, votes neutral)" if trust else name,
                ha="center",
                va="center",
                fontsize=9 if trust else 10.5,
                fontweight="bold",
                color=charts.PALETTE["Renault"] if trust else "white",
                bbox={
                    "boxstyle": "round,pad=0.45",
                    "fc": "white" if trust else colour,
                    "ec": charts.PALETTE["Renault"] if trust else "none",
                    "lw": 1.6,
                },
                zorder=4,
            )
        for start, end, label, colour, dashed in edges:
            rad = 0.22 if (end, start) in pairs else 0.0
            if (start, end) == ("Renault", TRUST):
                rad = -0.3  # bend away from the Nissan -> Renault arc, which ends at the same corner
            xy0, xy1 = NODE_XY[start], NODE_XY[end]
            gid = f"edge:{start}->{end}"
            arrow = FancyArrowPatch(
                xy0,
                xy1,
                connectionstyle=f"arc3,rad={rad}",
                arrowstyle="-|>",
                mutation_scale=16,
                lw=1.8,
                color=colour,
                linestyle="--" if dashed else "-",
                patchA=boxes[start].get_bbox_patch(),
                patchB=boxes[end].get_bbox_patch(),
                shrinkA=4,
                shrinkB=4,
                zorder=2,
                gid=gid,
            )
            ax.add_patch(arrow)
            mx, my = arc_midpoint(xy0, xy1, rad)
            vertical = abs(xy1[0] - xy0[0]) < 1e-9
            width = 24 if vertical or start == "French state" else 26 if TRUST in (start, end) else 34
            text = ax.text(
                mx,
                my,
                _wrap(label, width),
                ha="center",
                va="center",
                fontsize=8,
                color="#1a1a1a",
                linespacing=1.15,
                bbox={"boxstyle": "round,pad=0.3", "fc": "white", "ec": colour, "lw": 0.8},
                zorder=3,
                gid=gid,
            )
            text.set_in_layout(False)
        ax.set_title(charts.wrap(title, 8.6, 12, bold=True), loc="left", fontsize=12, fontweight="bold")
    return fig


def history_alt(a: Analysis) -> str:
    f = a.facts
    return (
        "Three panels. Left: Renault held 36.8% of Nissan in 1999 and 44.4% by 2002, shown as points; there "
        "is no dated figure between 2002 and 2023. Right: 43.4% just before the rebalancing of 8 November "
        "2023, then 15% directly plus 28.4% in a French trust; three trust sales (December 2023, March 2024, "
        "September 2024) took the total to 35.71% (17.05% direct, 18.66% in the trust), still reported in "
        "July and August 2025, while the votes Renault directs stay capped at 15%. Bottom: Nissan holds 15% "
        f"of Renault from November 2023 ({f['nissan_in_renault_pct_netdenjd']:g}% in one Japanese source for "
        "end-March 2025), its votes capped at 15% too."
    )


def plot_history(a: Analysis) -> Figure:
    """Renault's stake in Nissan: the two early figures as points (no dated figure between 2002
    and 2023), the 2023-2025 zoom with direct and trust stakes stacked, the votes Renault directs
    as a contrasting line and the three trust sales annotated; Nissan's stake in Renault in its
    own small panel."""
    import matplotlib as mpl
    from matplotlib import dates as mdates
    from matplotlib.figure import Figure

    from alliancelib import charts

    hist = a.history
    gold, red = charts.PALETTE["Renault"], charts.PALETTE["Nissan"]
    light = "#ecd58c"
    ink = "#1a1a1a"

    def day(x: Any) -> float:
        return float(mdates.date2num(pd.Timestamp(x)))

    confirm = day("2025-08-26")  # Reuters: still 35.7% (Japan News, 2025-08-27)
    end = day("2026-02-28")
    with mpl.rc_context(charts.STYLE):  # type: ignore[arg-type]
        fig = Figure(figsize=(9.4, 6.6), layout="constrained")
        axd = fig.subplot_mosaic(
            [["early", "zoom"], [".", "nissan"]], width_ratios=[1.0, 4.6], height_ratios=[3.2, 1.25]
        )
        early, zoom, nis = axd["early"], axd["zoom"], axd["nissan"]
        # early figures: points only
        pts = hist[hist["dated"] == "at"]
        before = pts[pts["date"] < pd.Timestamp("2023-01-01")]
        early.scatter([day(x) for x in before["date"]], before["economic_pct"], color=gold, s=46, zorder=3)
        for i, (_, r) in enumerate(before.iterrows()):
            when = r["as_of"] if i == 0 else f"by {r['as_of']}"  # the URD gives it for 1999-2002
            early.annotate(
                f"{r['economic_pct']:g}%\n({when})",
                (day(r["date"]), r["economic_pct"]),
                xytext=(0, 8),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=8.5,
            )
        early.set_xlim(day("1998-01-01"), day("2003-12-31"))
        early.set_ylim(0, 50)
        early.set_xticks([day("1999-01-01"), day("2002-01-01")], ["1999", "2002"])
        early.text(
            0.5,
            0.45,
            "No dated\nfigure between\n2002 and 2023",
            transform=early.transAxes,
            ha="center",
            va="center",
            fontsize=8.5,
            color="#555555",
            style="italic",
        )
        early.set_ylabel("% of Nissan's capital or votes")
        charts.thousands(early, "y", suffix="%")
        early.set_title("Before", loc="left", fontsize=10, fontweight="bold")
        # the zoom
        pre = pts[pts["date"] >= pd.Timestamp("2023-01-01")]
        steps = hist[hist["dated"] == "from"]
        xs = [day(x) for x in steps["date"]] + [confirm]
        direct = list(steps["ownership_direct_pct"]) + [steps["ownership_direct_pct"].iloc[-1]]
        total = list(steps["economic_pct"]) + [steps["economic_pct"].iloc[-1]]
        zoom.fill_between(xs, 0, direct, step="post", color=gold, alpha=0.95, lw=0, zorder=2)
        zoom.fill_between(xs, direct, total, step="post", color=light, lw=0, zorder=2)
        zoom.step(xs, total, where="post", color=gold, lw=1.2, zorder=3)
        votes = steps["voting_exercisable_pct"].iloc[-1]
        zoom.plot([xs[0], confirm], [votes, votes], color=ink, lw=2.0, ls=(0, (4, 2)), zorder=4)
        zoom.scatter(
            [day(x) for x in pre["date"]], pre["economic_pct"], color=gold, s=46, zorder=4, edgecolor="white"
        )
        zoom.annotate(
            "43.4% just before the rebalancing",
            (day(pre["date"].iloc[0]), pre["economic_pct"].iloc[0]),
            xytext=(4, 9),
            textcoords="offset points",
            ha="left",
            va="bottom",
            fontsize=8.5,
        )
        zoom.text(
            day("2025-01-15"),
            7.0,
            "held directly",
            ha="center",
            va="center",
            fontsize=8.5,
            color=ink,
        )
        zoom.text(
            day("2025-01-15"),
            25.0,
            "in the French trust\n(economic rights to Renault,\nvotes neutral)",
            ha="center",
            va="center",
            fontsize=8.5,
            color=ink,
        )
        zoom.annotate(
            f"votes Renault\ndirects: {votes:g}%",
            (confirm, votes),
            xytext=(6, -2),
            textcoords="offset points",
            ha="left",
            va="center",
            fontsize=8.5,
            color=ink,
            fontweight="bold",
        )
        last = steps.iloc[-1]
        zoom.annotate(
            f"{last['economic_pct']:.2f}% in all,\nstill reported\nin July-Aug. 2025",
            (confirm, last["economic_pct"]),
            xytext=(6, 0),
            textcoords="offset points",
            ha="left",
            va="center",
            fontsize=8.5,
            color=ink,
        )
        sold = {
            "2023-12-13": f"Sale 1:\n{a.facts['trust_sale1_shares'] / 1e6:,.0f}m\nshares",
            "2024-04-03": f"Sale 2: {a.facts['trust_sale2_shares_renault'] / 1e6:,.0f}m\nshares",
            "2024-10-03": f"Sale 3: {a.facts['trust_sale3_shares'] / 1e6:,.0f}m\nshares",
        }
        for when, label in sold.items():
            y = float(hist.set_index("as_of").at[when, "economic_pct"])  # type: ignore[arg-type]
            zoom.annotate(
                label,
                (day(when), y),
                xytext=(4, -4),
                textcoords="offset points",
                ha="left",
                va="top",
                fontsize=7.5,
                color="#333333",
            )
        zoom.set_xlim(day("2023-09-01"), end)
        zoom.set_ylim(0, 50)
        charts.thousands(zoom, "y", suffix="%")
        zoom.set_title("Since the rebalancing of 8 November 2023", loc="left", fontsize=10, fontweight="bold")
        # Nissan in Renault
        f = a.facts
        nis.plot([day("2023-11-08"), day("2025-06-17")], [15, 15], color=red, lw=2.2)
        nis.scatter(
            [day("2025-03-31")],
            [f["nissan_in_renault_pct_netdenjd"]],
            color=red,
            s=26,
            zorder=3,
            marker="D",
        )
        nis.annotate(
            f"{f['nissan_in_renault_pct_netdenjd']:g}% in one source\n(end-March 2025)",
            (day("2025-03-31"), f["nissan_in_renault_pct_netdenjd"]),
            xytext=(-8, 6),
            textcoords="offset points",
            ha="right",
            va="bottom",
            fontsize=8,
        )
        nis.annotate(
            "15% of capital (votes\ncapped at 15% too)",
            (day("2025-06-17"), 15),
            xytext=(6, 0),
            textcoords="offset points",
            ha="left",
            va="center",
            fontsize=8.5,
            color=red,
        )
        nis.set_xlim(day("2023-09-01"), end)
        nis.set_ylim(0, 25)
        nis.set_yticks([0, 15])
        charts.thousands(nis, "y", suffix="%")
        nis.set_title(
            "Nissan's stake in Renault (not in the research before November 2023)",
            loc="left",
            fontsize=10,
            fontweight="bold",
        )
        for ax in (early, zoom, nis):
            ax.spines["top"].set_visible(False)
            ax.spines["right"].set_visible(False)
            ax.grid(True, axis="y", color="#e3e3e3", lw=0.8)
            ax.grid(False, axis="x")
        for ax in (zoom, nis):
            ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 7)))
            ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
        title = (
            f"Three trust sales took Renault from 43.4% to {hist['economic_pct'].iloc[-1]:.2f}% of Nissan; "
            f"the votes it directs stay capped at {votes:g}%"
        )
        fig.suptitle(
            charts.wrap(title, 9.0, 12, bold=True), x=0.01, ha="left", fontsize=12, fontweight="bold"
        )
    return fig


def _value_bars(a: Analysis) -> list[tuple[str, float, str, str]]:
    """The value chart's bars (label, EUR bn, colour, "value" or "flow"): what the chart draws and
    its alt text lists."""
    from alliancelib import charts

    v, f, p = a.values, a.facts, a.p
    gold, red, grey, blue = (
        charts.PALETTE["Renault"],
        charts.PALETTE["Nissan"],
        charts.PALETTE["muted"],
        charts.PALETTE["accent"],
    )
    bars = [
        (
            f"Renault's own market value\n(on {MARKET_DAY}, "
            f"EUR {_base(p.as_of).renault_price_eur:g} a share)",
            v["renault_market_value_eur_bn"],
            grey,
            "value",
        ),
        (
            f"Renault's {num(v['renault_in_nissan_economic_pct'])}% of Nissan\n(on {MARKET_DAY})",
            v["renault_stake_in_nissan_value_eur_bn"],
            gold,
            "value",
        ),
    ]
    if v["nissan_stake_in_renault_value_eur_bn"] is not None:
        bars.append(
            (
                f"Nissan's {num(v['nissan_in_renault_before_pct'])}% of Renault\n(at the sale's price, "
                f"EUR {p.renault_share_price_eur:g})",
                v["nissan_stake_in_renault_value_eur_bn"],
                red,
                "value",
            )
        )
    bars += [
        ("Cash from the three\ntrust sales (2023-2024)", v["trust_sales_proceeds_eur_m"] / 1e3, blue, "flow"),
        (
            "Renault's non-cash loss\non the stake (2025)",
            f["renault_fy2025_nissan_noncash_loss_eur_bn"],
            "#5a5a5a",
            "flow",
        ),
    ]
    return bars


def value_alt(a: Analysis) -> str:
    """The value chart in words: its title and the bars it draws (the table below has more rows)."""
    parts = [f"{label.replace(chr(10), ' ')}: EUR {value:,.1f}bn" for label, value, _, _ in _value_bars(a)]
    return f"Bar chart. {value_title(a)}. " + "; ".join(parts) + "."


def value_title(a: Analysis) -> str:
    v = a.values
    return (
        f"Renault's Nissan stake was worth {say(v['renault_stake_in_nissan_value_eur_bn'], 'eur_bn2')}, "
        f"{say(v['renault_nissan_stake_share_of_renault_value_pct'], 'pct0')} of Renault itself, and cost it "
        f"a EUR {a.facts['renault_fy2025_nissan_noncash_loss_eur_bn']:g}bn non-cash loss in 2025"
    )


def plot_value(a: Analysis) -> Figure:
    """What the stakes are worth (market values on one date) against what they brought and cost
    Renault (cash from the trust sales, the 2025 accounting loss): horizontal bars in EUR bn."""
    import matplotlib as mpl
    from matplotlib.figure import Figure

    from alliancelib import charts

    v = a.values
    bars = _value_bars(a)
    with mpl.rc_context(charts.STYLE):  # type: ignore[arg-type]
        fig = Figure(figsize=(8.6, 4.9), layout="constrained")
        ax = fig.add_subplot()
        ys: list[float] = [float(y) for y in range(len(bars))][::-1]
        gap = 0.6
        ys = [float(y) + (gap if bars[i][3] == "value" else 0.0) for i, y in enumerate(ys)]
        for (_label, value, colour, _), y in zip(bars, ys, strict=True):
            ax.barh(y, value, color=colour, height=0.62, zorder=2)
            ax.text(value, y, f"  EUR {value:,.1f}bn", va="center", ha="left", fontsize=9, color="#1a1a1a")
        trust = v["renault_trust_stake_value_eur_bn"]
        whole = v["renault_stake_in_nissan_value_eur_bn"]
        y_stake = ys[1]
        if trust:
            ax.barh(y_stake, trust, left=whole - trust, color="#ecd58c", height=0.62, zorder=3)
            ax.text(
                whole - trust / 2,
                y_stake,
                "trust",
                ha="center",
                va="center",
                fontsize=7.5,
                color="#1a1a1a",
                zorder=4,
            )
            ax.text(
                (whole - trust) / 2,
                y_stake,
                "direct",
                ha="center",
                va="center",
                fontsize=7.5,
                color="#1a1a1a",
                zorder=4,
            )
        ax.set_yticks(ys, [b[0] for b in bars], fontsize=9)
        top = max(b[1] for b in bars)
        ax.set_xlim(0, top * 1.22)
        ax.set_ylim(min(ys) - 0.8, max(ys) + 0.7)
        mid = (
            ys[len([b for b in bars if b[3] == "value"]) - 1] + ys[len([b for b in bars if b[3] == "value"])]
        ) / 2
        ax.axhline(mid, color="#bbbbbb", lw=0.8)
        ax.text(
            top * 1.2,
            mid + 0.08,
            f"market values on one date ({MARKET_DAY})",
            ha="right",
            va="bottom",
            fontsize=8,
            color="#555555",
            style="italic",
        )
        ax.text(
            top * 1.2,
            mid - 0.08,
            "cash and accounting",
            ha="right",
            va="top",
            fontsize=8,
            color="#555555",
            style="italic",
        )
        charts.thousands(ax, "x", decimals=0)
        charts.style_axes(ax, title="", xlabel="EUR bn")
        ax.grid(True, axis="x")
        ax.grid(False, axis="y")
        fig.suptitle(
            charts.wrap(value_title(a), 8.4, 12, bold=True), x=0.01, ha="left", fontsize=12, fontweight="bold"
        )
    return fig


# --------------------------------------------------------------------------- for the notebook


def checks(a: Analysis) -> list[str]:
    """Every stated number that does not match its value (empty when all hold): each key finding's
    and computed text's numbers, as the notebook asserts them."""
    bad = []
    for s in a.stated:
        if s.where.startswith("text:"):
            where = a.texts.get(s.where.removeprefix("text:"), "")
        else:
            where = a.since if s.where == "since" else a.finding(s.where).text
        shown = s.shown
        how = s.how.removesuffix("_bold")
        if s.how.endswith("_bold"):
            ok = shown == f"**{say(s.value, how)}**"
        else:
            ok = s.check()
        if not ok or shown not in where:
            bad.append(f"{s.where}: {shown!r} (value {s.value!r}, {how})")
    return bad


def plain(text: str) -> str:
    """Markdown without bold marks (for tests)."""
    return re.sub(r"\*\*", "", text)
