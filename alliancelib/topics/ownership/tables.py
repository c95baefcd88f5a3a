"""The tables of notebook 01, in a reader's words: columns from :mod:`alliancelib.fields`, the words
of each row from the template (``text.md.j2``), numbers through :mod:`alliancelib.core.words`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from alliancelib.core.prose import render
from alliancelib.core.words import format_number
from alliancelib.topics.ownership.holdings import (
    ALLIANCE,
    TRUST,
    max_points_above,
    sale_effect,
    sale_proceeds_eur_m,
    stake,
    weight,
)
from alliancelib.topics.ownership.model import TOPIC

MATRIX_COLUMNS = ("ownership_of_renault_pct", "ownership_of_nissan_pct", "ownership_of_mmc_pct")
SALE_COLUMNS = ["ownership_item", "ownership_market_sale", "ownership_buyback"]


def interval(low: float, high: float, kind: str) -> str:
    """A replayed figure as the check table shows it: a share count, or a percentage interval that
    collapses to one figure where both ends round alike.

    >>> interval(22.7281, 22.7349, "pct"), interval(22.731, 22.7349, "pct"), interval(3713998612, 0, "shares")
    ('22.73%', '22.73%', '3,713,998,612')
    >>> interval(18.64, 18.672, "pct")
    '18.64–18.67%'
    """
    if kind == "shares":
        return format_number(low, 0)
    a, b = format_number(low, 2), format_number(high, 2)
    return f"{a}%" if a == b else f"{a}–{b}%"


def control_summary(snap: pd.DataFrame) -> pd.DataFrame:
    """One row per holding: capital, the votes figure counted and what it is, and its weight (the
    weight column only where some holder blocks or controls: a column of "minority" says nothing).

    The votes counted are the exercisable votes the holder directs where reported (0 for the
    trust, whose trustee votes neutrally); else the theoretical votes (double voting rights
    counted) where reported; else the capital share (one share, one vote), said so.
    """
    rows = []
    for _, r in snap.sort_values(["company", "holder", "holding"]).iterrows():
        trust = r["holding"] == "trust"
        holder = render(TOPIC, "control_trust_holder", holder=r["holder"]) if trust else r["holder"]
        if pd.notna(r["voting_exercisable_pct"]):
            votes = float(r["voting_exercisable_pct"])
            capped = votes < r["economic_pct"] or votes == 15
            basis = "trust" if trust else "capped" if capped else "exercisable"
        elif pd.notna(r["voting_theoretical_pct"]):
            votes, basis = float(r["voting_theoretical_pct"]), "theoretical"
        else:
            votes, basis = float(r["economic_pct"]), "capital"
        rows.append(
            {
                "holder": holder,
                "company": r["company"],
                "economic_pct": float(r["economic_pct"]),
                "ownership_votes_pct": votes,
                "ownership_votes_basis": render(
                    TOPIC, f"control_basis__{basis}", votes=votes, as_of=r["as_of"]
                ),
                "ownership_weight": render(TOPIC, f"weight__{weight(votes)}"),
            }
        )
    out = pd.DataFrame(rows)
    if (
        out["ownership_weight"].nunique() == 1
        and weight(float(out["ownership_votes_pct"].max())) == "minority"
    ):
        out = out.drop(columns="ownership_weight")  # every row a minority: the column says nothing
    return out


def replay_table(
    replay_r: pd.DataFrame,
    replay_n: pd.DataFrame,
    hist: pd.DataFrame,
    ctx: Mapping[str, Any],
    steps: Sequence[str],
) -> pd.DataFrame:
    """The trust's stake after each sale with each count, beside the reported figures (``steps``:
    the dates of the reported rows, the rebalancing first)."""
    reported = hist.set_index("as_of")
    rows = []
    for (_, r), (_, n) in zip(replay_r.iterrows(), replay_n.iterrows(), strict=True):
        rep = reported.loc[steps[int(r["step"])]]
        rows.append(
            {
                "ownership_step": render(
                    TOPIC,
                    "replay_step",
                    **ctx,
                    step=int(r["step"]),
                    date=r["date"],
                    stakes_day=steps[int(r["step"])],
                ),
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


def replay_check_table(check: pd.DataFrame) -> pd.DataFrame:
    """Which count of the March 2024 sale fits each reported figure."""
    rows = []
    for _, r in check.iterrows():
        shown = (
            format_number(r["reported"], 0)
            if r["kind"] == "shares"
            else f"{format_number(r['reported'], 2)}%"
        )
        row = {"ownership_figure": render(TOPIC, f"check__{r['figure']}"), "ownership_reported": shown}
        for c in ("renault", "nissan"):
            fits = render(TOPIC, "check_fits", fits=bool(r[f"{c}_fits"]))
            row[f"ownership_{c}_count"] = f"{interval(r[f'{c}_low'], r[f'{c}_high'], r['kind'])} ({fits})"
        rows.append(row)
    return pd.DataFrame(rows)


def values_table(ctx: Mapping[str, Any], src: Mapping[str, str]) -> pd.DataFrame:
    """What the stakes are worth and what they brought and cost Renault (EUR bn)."""
    v, f = ctx["v"], ctx["f"]
    rows: list[tuple[str, Any, str]] = [
        (
            "renault",
            v["renault_market_value_eur_bn"],
            f"{src['renault_shares_outstanding_2025']}; {src['renault_share_price_eur']}",
        ),
        (
            "stake",
            v["renault_stake_in_nissan_value_eur_bn"],
            f"{src['nissan_market_cap_usd_bn']}; ecb_eurofxref",
        ),
        ("trust", v["renault_trust_stake_value_eur_bn"], f"{src['nissan_market_cap_usd_bn']}; ecb_eurofxref"),
    ]
    if v["nissan_stake_in_renault_value_eur_bn"] is not None:
        rows.append(
            (
                "nissan",
                v["nissan_stake_in_renault_value_eur_bn"],
                f"{src['nissan_in_renault_pct_lseg']}; {src['nissan_in_renault_pct_netdenjd']}; "
                f"{src['renault_shares_outstanding_2025']}",
            )
        )
    rows += [
        (
            "cash",
            v["trust_sales_proceeds_eur_m"] / 1e3,
            f"{src['trust_sale1_proceeds_eur_m']}; {src['trust_sale2_proceeds_eur_m']}; "
            f"{src['trust_sale3_proceeds_eur_m']}",
        ),
        (
            "loss",
            f["renault_fy2025_nissan_noncash_loss_eur_bn"],
            f"{src['renault_fy2025_nissan_noncash_loss_eur_bn']}; "
            f"{src['renault_fy2025_nissan_charge_eur_bn']}",
        ),
        (
            "associates",
            -f["renault_fy2025_nissan_associate_loss_eur_bn"],
            src["renault_fy2025_nissan_associate_loss_eur_bn"],
        ),
    ]
    return pd.DataFrame(
        [
            (
                render(TOPIC, f"values__{key}__item", **ctx),
                value,
                render(TOPIC, f"values__{key}__how", **ctx),
                source,
            )
            for key, value, source in rows
        ],
        columns=["ownership_item", "ownership_value_eur_bn", "ownership_how", "source_id"],
    )


def sale_table(ctx: Mapping[str, Any], snap: pd.DataFrame) -> pd.DataFrame:
    """The chosen sale as a market sale and as a buyback, side by side (text cells)."""
    p, b = ctx["p"], ctx["b"]
    if not b.has_nissan:
        return pd.DataFrame(columns=SALE_COLUMNS)
    before, pts, price = p.nissan_in_renault_pct, p.nissan_sells_renault_pct, p.renault_share_price_eur
    third, _ = sale_effect(before, pts, "third_party")
    back, scale = sale_effect(before, pts, "buyback")
    state = stake(snap, "French state", "Renault")
    numbers: dict[str, Any] = {
        "third": third,
        "back": back,
        "scale": scale,
        "cash": sale_proceeds_eur_m(pts, b.renault_shares, price),
        "most_third": max_points_above(before, p.lockup_threshold_pct, "third_party"),
        "most_back": max_points_above(before, p.lockup_threshold_pct, "buyback"),
        "issued_back": b.renault_shares * (1 - pts / 100),
    }
    keys = ["after", "most", "receives", "pays", "issued", "others"]
    if state is not None:
        state_row = snap[(snap["holder"] == "French state") & (snap["company"] == "Renault")]
        numbers.update(state=state, state_back=state * scale, state_as_of=state_row["as_of"].iloc[0])
        keys.append("state")
    words = {**ctx, **numbers}
    return pd.DataFrame(
        [
            tuple(render(TOPIC, f"sale__{key}__{col}", **words) for col in ("item", "market", "buyback"))
            for key in keys
        ],
        columns=SALE_COLUMNS,
    )


def plan_table(ctx: Mapping[str, Any], src: Mapping[str, str]) -> pd.DataFrame:
    """What 5% of Renault is worth by each reported figure and the share price each implies."""
    p, b, f = ctx["p"], ctx["b"], ctx["f"]
    block = b.plan_points / 100 * b.renault_shares
    plan_usd_eur_m = f["nissan_plan_sale_usd_m"] / ctx["usd_plan"].rate_per_eur
    bloomberg = f["nissan_block_5pct_eur_m_bloomberg"]
    chosen = sale_proceeds_eur_m(b.plan_points, b.renault_shares, p.renault_share_price_eur)
    rows = [
        ("jpy", b.plan_eur_m, b.plan_eur_m * 1e6 / block, src["nissan_plan_sale_jpy_bn"]),
        ("usd", plan_usd_eur_m, plan_usd_eur_m * 1e6 / block, src["nissan_plan_sale_usd_m"]),
        ("bloomberg", bloomberg, bloomberg * 1e6 / block, src["nissan_block_5pct_eur_m_bloomberg"]),
        ("chosen", chosen, p.renault_share_price_eur, src["renault_shares_outstanding_2025"]),
    ]
    return pd.DataFrame(
        [
            (
                render(TOPIC, f"plan__{key}__figure", **ctx),
                render(TOPIC, f"plan__{key}__amount", **ctx),
                eur_m,
                price,
                render(TOPIC, f"plan__{key}__how", **ctx),
                source,
            )
            for key, eur_m, price, source in rows
        ],
        columns=[
            "ownership_figure",
            "ownership_amount",
            "ownership_eur_m",
            "ownership_price_eur",
            "ownership_how",
            "source_id",
        ],
    )


def weights_table(ctx: Mapping[str, Any]) -> pd.DataFrame:
    """What the stake weighs at each date with both prices: the prices used (words of the template)
    and the values, at the middle of a day's Renault quotes (EUR bn, %)."""
    rows = []
    for w in ctx["weight_rows"]:
        rows.append(
            {
                "ownership_figure": render(TOPIC, "weight_row__date", w=w),
                "ownership_how": render(TOPIC, "weight_row__prices", w=w),
                "ownership_stake_value_eur_bn": w["stake_eur_bn"],
                "ownership_renault_value_eur_bn": w["renault_eur_bn"],
                "ownership_stake_share_pct": w["share"],
                "ownership_stub_eur_bn": w["stub"],
                "source_id": "; ".join(w["source_ids"]),
            }
        )
    return pd.DataFrame(rows)


def proceeds_table(ctx: Mapping[str, Any]) -> pd.DataFrame:
    """What the chosen sale raises at each reported Renault price, newest first, with no discount,
    half the placement's and the placement's (EUR m), and the dividend yield the sold shares give up
    (%). ``ctx["quotes"]``: the reported prices (day, price, kind, source id); ``block_discount_high``:
    the top of the block discount's stated range, the placement's reported discount."""
    from alliancelib.topics.ownership.holdings import sale_proceeds_eur_m

    p, b = ctx["p"], ctx["b"]
    d = ctx["block_discount_high"]
    rows = []
    for q in ctx["quotes"]:
        gross = float(sale_proceeds_eur_m(p.nissan_sells_renault_pct, b.renault_shares, q["price"]))
        rows.append(
            {
                "ownership_quote": render(TOPIC, "proceeds_row__quote", q=q),
                "ownership_share_price_eur": q["price"],
                "ownership_proceeds_eur_m": gross,
                "ownership_proceeds_half_discount_eur_m": gross * (1 - d / 200),
                "ownership_proceeds_placement_discount_eur_m": gross * (1 - d / 100),
                "ownership_dividend_yield_pct": b.dividend_eur / q["price"] * 100,
                "source_id": q["source_id"],
            }
        )
    return pd.DataFrame(rows)


def matrix_tables(m: Mapping[str, np.ndarray]) -> dict[str, pd.DataFrame]:
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


__all__ = [
    "MATRIX_COLUMNS",
    "TRUST",
    "control_summary",
    "interval",
    "matrix_tables",
    "plan_table",
    "replay_check_table",
    "replay_table",
    "sale_table",
    "values_table",
]
