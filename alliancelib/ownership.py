"""Cross-shareholdings: dated snapshots, holdings matrices, integrated ownership, look-through,
control, and a stake sale under a lock-up threshold.

Conventions (``../shared/BRIEF.md``): ``W[i, j]`` is the economic fraction (0-1) of company ``j``
held by company ``i``, over the alliance companies only; every other holder is an outside holder.
Integrated ownership ``W~ = (I - W)^-1 W`` (Vitali, Glattfelder and Battiston 2011). Look-through
of company ``i``'s outside holders in company ``j``: ``U[i, j] = o_i [(I - W)^-1][i, j]`` with
``o_i = 1 - sum_k W[k, i]``; every column of ``U`` sums to 1. All functions work for any number of
companies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from alliancelib.data import parse_partial_date
from alliancelib.errors import ParameterError
from alliancelib.params import Choice, IsoDate, Number, param, validate

NOTEBOOK = "01_ownership"
ALLIANCE: tuple[str, ...] = ("Renault", "Nissan", "Mitsubishi Motors")
BLOCKING_MINORITY = 100 / 3  # % of votes: more than a third blocks special resolutions
CONTROL = 50.0  # % of votes: more than half controls

Kind = Literal["economic", "voting"]


def snapshot(shareholdings: pd.DataFrame, as_of: str | dt.date) -> pd.DataFrame:
    """Stakes in force on ``as_of``: for each (holder, company, holding) the latest row dated
    on or before it (partial dates count from their first day).

    Raises ValueError if ``as_of`` precedes every row.
    """
    day = as_of if isinstance(as_of, dt.date) else dt.date.fromisoformat(as_of)
    frame = shareholdings.copy()
    frame["start"] = [parse_partial_date(d) for d in frame["as_of"]]
    if day < frame["start"].min():
        raise ValueError(f"{day} is before the first snapshot ({frame['start'].min()})")
    frame = frame[frame["start"] <= day].sort_values("start", kind="stable")
    latest = frame.groupby(["holder", "company", "holding"], sort=False).tail(1)
    return latest.sort_values(["company", "holder", "holding"]).reset_index(drop=True)


def snapshot_dates(shareholdings: pd.DataFrame) -> list[dt.date]:
    """Every date at which some stake changes, sorted."""
    return sorted({parse_partial_date(d) for d in shareholdings["as_of"]})


def holdings_matrix(
    snap: pd.DataFrame, companies: Sequence[str] = ALLIANCE, kind: Kind = "economic"
) -> np.ndarray:
    """``W[i, j]``: fraction (0-1) of ``companies[j]`` held by ``companies[i]``.

    ``economic`` adds every holding (direct and trust); ``voting`` uses the exercisable votes
    each holder directs (the trust's neutral votes count 0); a holding with no voting figure
    counts its capital share (one share, one vote) and is flagged by :func:`control_summary`.
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


def as_frame(matrix: np.ndarray, companies: Sequence[str] = ALLIANCE, pct: bool = True
             ) -> pd.DataFrame:
    """A matrix as a labelled frame (rows: holders, columns: companies), in % if ``pct``."""
    return pd.DataFrame(matrix * (100 if pct else 1), index=list(companies),
                        columns=list(companies))


def stake(snap: pd.DataFrame, holder: str, company: str, kind: Kind = "economic") -> float | None:
    """Total stake (%) of ``holder`` in ``company`` in a snapshot, or None if not in the data.

    For ``voting``, exercisable votes; None if no holding of the pair reports them.
    """
    rows = snap[(snap["holder"] == holder) & (snap["company"] == company)]
    if rows.empty:
        return None
    if kind == "economic":
        return float(rows["economic_pct"].sum())
    votes = rows["voting_exercisable_pct"]
    return None if votes.isna().all() else float(votes.fillna(0).sum())


def control_summary(snap: pd.DataFrame) -> pd.DataFrame:
    """Who holds more than a third (blocking minority) or half (control) of the votes.

    One row per (holder, company): capital %, votes % and what the votes figure is based on
    (``reported`` exercisable votes, or ``capital`` where none is reported).
    """
    rows = []
    for (holder, company), grp in snap.groupby(["holder", "company"], sort=True):
        econ = float(grp["economic_pct"].sum())
        votes = stake(snap, holder, company, "voting")
        basis = "reported votes"
        if votes is None:
            votes, basis = econ, "capital (no voting figure reported)"
        power = ("control" if votes > CONTROL else
                 "blocking minority" if votes > BLOCKING_MINORITY else "minority")
        rows.append({"holder": holder, "company": company, "economic_pct": econ,
                     "voting_pct": votes, "voting_basis": basis, "power": power})
    return pd.DataFrame(rows)


def history(shareholdings: pd.DataFrame, holder: str, company: str) -> pd.DataFrame:
    """Economic and voting stake of ``holder`` in ``company`` at every snapshot date."""
    out = []
    for day in snapshot_dates(shareholdings):
        snap = snapshot(shareholdings, day)
        econ = stake(snap, holder, company)
        if econ is None:
            continue
        row = {"date": pd.Timestamp(day), "economic_pct": econ,
               "voting_pct": stake(snap, holder, company, "voting")}
        if out and all(_same(out[-1][k], row[k]) for k in ("economic_pct", "voting_pct")):
            continue
        out.append(row)
    return pd.DataFrame(out, columns=["date", "economic_pct", "voting_pct"])


def _same(a: float | None, b: float | None) -> bool:
    if a is None or b is None or pd.isna(a) or pd.isna(b):
        return (a is None or pd.isna(a)) and (b is None or pd.isna(b))
    return abs(a - b) < 1e-12


def first_at_or_below(hist: pd.DataFrame, level_pct: float, column: str = "voting_pct"
                      ) -> pd.Timestamp | None:
    """First date at which ``column`` of a :func:`history` is known and at or below the level."""
    hit = hist[hist[column].notna() & (hist[column] <= level_pct)]
    return None if hit.empty else hit["date"].iloc[0]


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


def apply_sale(snap: pd.DataFrame, seller: str, company: str, points_pct: float,
               buyer: str) -> tuple[pd.DataFrame, Sale]:
    """The snapshot after ``seller`` sells ``points_pct`` points of ``company``'s capital.

    Every other holder of ``company`` scales by :func:`sale_effect`'s factor (voting figures
    too; the 15% cap on exercisable votes still applies to the seller).
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


def sale_proceeds_eur_m(points_pct: float, shares_outstanding: float, price_eur: float) -> float:
    """Proceeds (EUR m) of selling ``points_pct`` points of a capital of ``shares_outstanding``
    shares at ``price_eur`` each: ``points / 100 x shares x price / 1e6``.

    >>> round(sale_proceeds_eur_m(5, 295_722_284, 45.94), 2)
    679.27
    """
    return points_pct / 100 * shares_outstanding * price_eur / 1e6


# --------------------------------------------------------------------------- parameters


@dataclass(frozen=True)
class OwnershipParams:
    """Parameters of ``01_ownership``."""

    as_of: str = param("2025-03-31", IsoDate(),
                       "date of the ownership snapshot (latest snapshot on or before it), YYYY-MM-DD")
    lockup_threshold_pct: float = param(10.0, Number(minimum=0, maximum=100),
                                        "minimum cross-holding after the 2025 amendment (%)")
    nissan_sells_renault_pct: float = param(5.0, Number(minimum=0, maximum=100),
                                            "points of Renault's capital Nissan sells (0 for no sale)")
    buyer: str = param("third_party", Choice(("third_party", "renault")),
                       'who buys: "third_party", or "renault" (buyback and cancellation of the shares)')
    renault_share_price_eur: float = param(
        45.94, Number(minimum=0, exclusive_minimum=True),
        "Renault share price for the sale (EUR; 45.94 is the intraday price on 2025-03-31)",
    )


def validate_params(**values: Any) -> OwnershipParams:
    """Validate the notebook's parameters, including the sale against the snapshot's stake."""
    __tracebackhide__ = True
    return validate(OwnershipParams, NOTEBOOK, values, rules=[_rule_as_of, _rule_sale])


def _rule_as_of(p: OwnershipParams) -> None:
    __tracebackhide__ = True
    from alliancelib.data import load

    first = min(snapshot_dates(load("shareholdings")))
    if dt.date.fromisoformat(p.as_of) < first:
        raise ParameterError(NOTEBOOK, "as_of", p.as_of,
                             f"a date on or after the first snapshot ({first})")


def _rule_sale(p: OwnershipParams) -> None:
    __tracebackhide__ = True
    from alliancelib.data import load

    snap = snapshot(load("shareholdings"), p.as_of)
    before = stake(snap, "Nissan", "Renault")
    buyer = "buyback" if p.buyer == "renault" else "third_party"
    if before is None:
        if p.nissan_sells_renault_pct > 0:
            raise ParameterError(
                NOTEBOOK, "nissan_sells_renault_pct", p.nissan_sells_renault_pct,
                f"0 at as_of {p.as_of}: Nissan's stake in Renault is not in the data before "
                "2023-11-08 (or choose a later as_of)",
            )
        return
    most = max_points_above(before, p.lockup_threshold_pct, buyer)
    if p.nissan_sells_renault_pct > most + 1e-9:
        raise ParameterError(
            NOTEBOOK, "nissan_sells_renault_pct", p.nissan_sells_renault_pct,
            f"0 to {most:.4g} points: Nissan holds {before:g}% of Renault at {p.as_of} and may "
            f"not go below the lock-up threshold of {p.lockup_threshold_pct:g}% "
            f"(buyer {p.buyer})",
        )


# --------------------------------------------------------------------------- charts

NODE_XY = {"Renault": (0.18, 0.58), "Nissan": (0.82, 0.58), "Mitsubishi Motors": (0.82, 0.08),
           "French state": (0.18, 0.98), "Mitsubishi Corporation": (0.40, 0.08)}


def plot_network(snap: pd.DataFrame, title: str) -> Any:
    """Companies as nodes, one arrow per holder -> company labelled economic / voting %."""
    from matplotlib.patches import FancyArrowPatch

    from alliancelib import charts

    fig, ax = charts.figure(8.0, 5.0)
    ax.set_axis_off()
    ax.set_xlim(-0.05, 1.05)
    ax.set_ylim(-0.08, 1.1)
    for name, (x, y) in NODE_XY.items():
        color = charts.PALETTE.get(name, charts.PALETTE["outside"])
        ax.text(x, y, name, ha="center", va="center", fontsize=10, fontweight="bold",
                color="white", bbox={"boxstyle": "round,pad=0.5", "fc": color, "ec": "none"},
                zorder=3)
    pairs = snap.groupby(["holder", "company"], sort=True)
    for (holder, company), _ in pairs:
        if holder not in NODE_XY or company not in NODE_XY:
            continue
        econ = stake(snap, holder, company)
        votes = stake(snap, holder, company, "voting")
        label = f"{econ:.2f}% capital" + (f"\n{votes:.0f}% votes" if votes is not None else "")
        reverse = ((company, holder) in pairs.groups)
        rad = 0.25 if reverse else 0.0
        (x0, y0), (x1, y1) = NODE_XY[holder], NODE_XY[company]
        arrow = FancyArrowPatch((x0, y0), (x1, y1), connectionstyle=f"arc3,rad={rad}",
                                arrowstyle="-|>", mutation_scale=14, lw=1.6,
                                color=charts.PALETTE.get(holder, charts.PALETTE["outside"]),
                                shrinkA=34, shrinkB=34, zorder=2)
        ax.add_patch(arrow)
        mx, my = (x0 + x1) / 2, (y0 + y1) / 2
        if reverse:  # label on the side the arc bends to
            mx += -(y1 - y0) * rad * 0.55
            my += (x1 - x0) * rad * 0.55
        ax.text(mx, my, label, ha="center", va="center", fontsize=8.5,
                bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "#cccccc"}, zorder=4)
    ax.set_title(title, loc="left", fontsize=12, fontweight="bold")
    return fig


def plot_history(renault_in_nissan: pd.DataFrame, nissan_in_renault: pd.DataFrame,
                 start: str = "1999-01-01", end: str = "2026-06-30") -> Any:
    """Step chart of Renault's economic and voting stake in Nissan, and Nissan's in Renault."""
    from alliancelib import charts

    fig, ax = charts.figure(8.5, 4.2)
    stop = pd.Timestamp(end)

    def steps(hist: pd.DataFrame, col: str, **kw: Any) -> None:
        h = hist[hist[col].notna()]
        if h.empty:
            return
        xs = list(h["date"]) + [stop]
        ys = list(h[col]) + [h[col].iloc[-1]]
        ax.step(xs, ys, where="post", **kw)

    steps(renault_in_nissan, "economic_pct", color=charts.PALETTE["Renault"], lw=2.2,
          label="Renault in Nissan: capital (economic rights, direct + trust)")
    steps(renault_in_nissan, "voting_pct", color=charts.PALETTE["Renault"], lw=2.2, ls="--",
          label="Renault in Nissan: exercisable votes")
    steps(nissan_in_renault, "economic_pct", color=charts.PALETTE["Nissan"], lw=1.8,
          label="Nissan in Renault: capital")
    ax.axhline(BLOCKING_MINORITY, color="#777777", lw=0.8, ls=":")
    ax.annotate("blocking minority (1/3)", (pd.Timestamp(start), BLOCKING_MINORITY),
                xytext=(2, 3), textcoords="offset points", fontsize=8, color="#555555")
    ax.set_xlim(pd.Timestamp(start), stop)
    ax.set_ylim(0, 50)
    ax.legend(loc="upper right", fontsize=8)
    charts.style_axes(ax, title="Renault's stake in Nissan: capital vs votes",
                      xlabel="date (Renault's votes before 2023-11-08 are not in the research)",
                      ylabel="% of the company's capital or votes")
    return fig


def plot_proceeds(shares_outstanding: float, prices_eur: Sequence[float],
                  points: Sequence[float], chosen: tuple[float, float],
                  reference_eur_m: float | None = None) -> Any:
    """Sale proceeds (EUR m) against the share price, one line per number of points sold."""
    from alliancelib import charts

    fig, ax = charts.figure(8.0, 4.0)
    prices = np.asarray(prices_eur, dtype=float)
    for k, pts in enumerate(points):
        ax.plot(prices, sale_proceeds_eur_m(pts, shares_outstanding, prices),
                color=charts.PALETTE["Nissan"], alpha=0.35 + 0.65 * (k + 1) / len(points),
                label=f"{pts:g} points")
    price, pts = chosen
    value = sale_proceeds_eur_m(pts, shares_outstanding, price)
    ax.scatter([price], [value], color="black", zorder=3)
    ax.annotate(f"chosen: {pts:g} points at EUR {price:g} = EUR {value:,.0f}m", (price, value),
                xytext=(6, -12), textcoords="offset points", fontsize=8)
    if reference_eur_m is not None:
        ax.axhline(reference_eur_m, color="#555555", ls=":", lw=1)
        ax.annotate(f"Nissan's reported plan: about JPY 100bn = EUR {reference_eur_m:,.0f}m",
                    (prices[0], reference_eur_m), xytext=(2, 4), textcoords="offset points",
                    fontsize=8, color="#555555")
    ax.legend(title="Renault capital sold", fontsize=8, loc="upper left")
    charts.style_axes(ax, title="What Nissan raises by selling Renault shares",
                      xlabel="Renault share price (EUR)", ylabel="proceeds (EUR m)")
    return fig
