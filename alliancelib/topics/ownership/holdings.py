"""Who holds what in the alliance, as pure functions on any number of companies and any dated table
of stakes (no words, no data read here):

- :func:`snapshot`, :func:`stake`, :func:`holdings_matrix`: the stakes in force on a date;
- :func:`integrated` and :func:`look_through`: ownership counting every path (``W[i, j]`` is the
  economic fraction (0-1) of company ``j`` held by company ``i``, over the alliance companies only;
  integrated ownership ``W~ = (I - W)^-1 W`` (Vitali, Glattfelder and Battiston 2011); look-through
  of company ``i``'s outside holders in company ``j``: ``U[i, j] = o_i [(I - W)^-1][i, j]`` with
  ``o_i = 1 - sum_k W[k, i]``; every column of ``U`` sums to 1), and :func:`circle`, the same for
  many values of Nissan's stake in Renault at once;
- :func:`sale_effect`, :func:`max_points_above`, :func:`apply_sale`, :func:`sale_proceeds_eur_m`: a
  stake sale under a lock-up threshold (notebook 05 reuses :func:`sale_proceeds_eur_m`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from alliancelib.data import parse_partial_date

ALLIANCE: tuple[str, ...] = ("Renault", "Nissan", "Mitsubishi Motors")
TRUST = "French trust"
BLOCKING_MINORITY = 100 / 3  # % of votes: more than a third blocks special resolutions
CONTROL = 50.0  # % of votes: more than half controls

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
    """What a share of the votes weighs: ``control`` (more than half), ``blocking`` (a blocking
    minority, more than a third) or ``minority`` (the template words each: ``weight__<key>``).

    >>> weight(15), weight(34), weight(50.1)
    ('minority', 'blocking', 'control')
    """
    if votes_pct > CONTROL:
        return "control"
    if votes_pct > BLOCKING_MINORITY:
        return "blocking"
    return "minority"


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


def circle(w: np.ndarray, nissan_in_renault_pct: Any, row: int | None = None) -> dict[str, np.ndarray]:
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
