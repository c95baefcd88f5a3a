"""Notebook 01's model: the parameters and their rules (:class:`OwnershipParams`,
:func:`validate_params`), the recorded results (:data:`RESULTS`) and :func:`headline`, which computes
them with the pure functions of :mod:`.holdings` and :mod:`.replay` (vectorised: any parameter may be
an array of draws), and the threshold statements the findings make (:func:`conclusions`, worded by
the template). No words here but the parameters' help and the results' labels (the contract).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from alliancelib.errors import ParameterError
from alliancelib.params import Choice, IsoDate, Number, Plausible, fields_of, param, spec_of, validate
from alliancelib.results import ResultSpec
from alliancelib.topics.ownership.holdings import (
    circle,
    max_points_above,
    sale_proceeds_eur_m,
    snapshot_dates,
)
from alliancelib.topics.ownership.inputs import MARKET_DAY, REBALANCING, base, fact, prices
from alliancelib.topics.ownership.replay import replayed_renault_in_nissan_pct
from alliancelib.uncertainty import Conclusion

NOTEBOOK = "01_ownership"
TOPIC = "ownership"  # the folder of the package and of its template


# --------------------------------------------------------------------------- parameters


def _share_price_range() -> Plausible:
    """Renault's share price (EUR) across every Renault price ``share_prices.csv`` reports from the
    announcement on: lowest to highest, read when asked (through the data layer, which caches the
    validated table per file version), so a newer reported price moves it. Each row is recorded as
    read: the range and its sentence rest on every one of them."""
    from alliancelib.data import record_rows

    p = prices()
    rows = p[(p["company"] == "Renault") & (p["currency"] == "EUR") & (p["date"].astype(str) >= "2025-03-31")]
    if rows.empty:
        raise ValueError(
            "share_prices.csv: no Renault price in EUR from 2025-03-31 on; the sale needs at least one"
        )
    record_rows(rows, "share_prices")
    dates = sorted(rows["date"].astype(str))
    return Plausible(
        float(rows["price"].min()),
        float(rows["price"].max()),
        f"Renault prices reported {dates[0]} to {dates[-1]} ({len(rows)} quotes, intraday or close "
        "as each source gives)",
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
        Choice(
            ("third_party", "renault"),
            words=(("third_party", "a third party (market sale)"), ("renault", "Renault (buyback)")),
        ),
        'who buys: "third_party", or "renault" (buyback and cancellation of the shares)',
        label="Who buys Nissan's Renault shares",
    )
    renault_share_price_eur: float = param(
        45.94,
        Number(minimum=0.01, maximum=10_000),
        "Renault share price for the sale (EUR; 45.94 is the intraday price on 2025-03-31)",
        label="Renault share price",
        unit="EUR",
        plausible=_share_price_range,
    )
    nissan_market_cap_usd_bn: float = param(
        9.34,
        Number(minimum=0.01, maximum=10_000),
        "Nissan's market value (USD bn; 9.34 is reported for 2025-03-31)",
        label="Nissan's market value",
        unit="USD bn",
    )
    block_discount_pct: float = param(
        0.0,
        Number(minimum=0, maximum=99),
        "discount of a block sale to the market price (%; 0 for none, 5.98 was Mercedes-Benz's placement "
        "of Nissan shares in August 2025)",
        label="Block discount to the market price",
        unit="%",
        plausible=Plausible(
            0.0,
            5.98,
            "no discount to the one placement in the sources (Mercedes-Benz's Nissan shares, "
            "2025-08-26, 5.98% below the previous close)",
            "spread",
        ),
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
    room = base(p.as_of).room_in_renault
    if p.nissan_in_renault_pct > room + 1e-9:
        raise ParameterError(
            NOTEBOOK,
            "nissan_in_renault_pct",
            p.nissan_in_renault_pct,
            f"0 to {room:.4g}: other holders of Renault hold the rest at {p.as_of} "
            f"({base(p.as_of).others_in_renault_text})",
        )


def _rule_sale(p: OwnershipParams) -> None:
    __tracebackhide__ = True
    b = base(p.as_of)
    buyer = "buyback" if p.buyer == "renault" else "third_party"
    if not b.has_nissan:
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


def parameters_in(namespace: Mapping[str, Any]) -> dict[str, Any]:
    """The notebook's parameters found in ``namespace`` (the notebook's ``globals()``), by name: what
    the parameters cell (and papermill's injected cell) set. A missing one is left for
    :func:`validate_params` to report."""
    return {f.name: namespace[f.name] for f in fields_of(OwnershipParams) if f.name in namespace}


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
        "sale_proceeds_net_eur_m", "EUR m", "What Nissan would raise from the sale after a block discount", 0
    ),
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
    ResultSpec(
        "nissan_close_2025_03_31_jpy",
        "JPY",
        "Nissan's close of 31 March 2025, derived from the next day's quote and its change",
        2,
    ),
    ResultSpec(
        "renault_stake_carrying_value_eur_bn",
        "EUR bn",
        "Renault's Nissan shares at their carrying value of the end of 2024",
        2,
    ),
    ResultSpec(
        "sale_proceeds_latest_eur_m",
        "EUR m",
        "What the sale would raise at the middle of Renault's latest day's quotes, before any block discount",
        0,
    ),
    ResultSpec(
        "sale_dividends_forgone_eur_m",
        "EUR m",
        "Renault dividends a year the sold shares would no longer bring Nissan (latest proposed dividend)",
        1,
    ),
    ResultSpec(
        "sale_meets_plan_breakeven_eur",
        "EUR",
        "Renault share price above which the sale, after the block discount, raises Nissan's JPY 100bn plan",
        2,
    ),
    ResultSpec(
        "lockup_breakeven_pct",
        "%",
        "Nissan's stake in Renault below which the sale would take it under the lock-up",
        2,
    ),
    ResultSpec(
        "stub_breakeven_renault_price_eur",
        "EUR",
        "Renault share price above which its market value exceeds the Nissan stake and its net cash, at the "
        "latest date with both prices",
        2,
    ),
    # the two below: their labels name the latest date with both prices (LATEST, worded by the template)
    ResultSpec(
        "stake_share_of_renault_value_latest_pct",
        "%",
        "The Nissan stake as a share of Renault's market value, at the latest date with both prices",
        1,
    ),
    ResultSpec(
        "renault_stub_value_latest_eur_bn",
        "EUR bn",
        "Renault's market value less the Nissan stake and its net cash, at the latest date with both prices",
        2,
    ),
]
LATEST = ("stake_share_of_renault_value_latest_pct", "renault_stub_value_latest_eur_bn")
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
    "sale_proceeds_latest_eur_m",
    "sale_dividends_forgone_eur_m",
    "sale_meets_plan_breakeven_eur",
    "lockup_breakeven_pct",
)
# the results whose note (no_range__<name> in the template) says why they have no range
NO_RANGE = (
    "nissan_close_2025_03_31_jpy",
    "renault_stake_carrying_value_eur_bn",
    "renault_in_nissan_economic_pct",
    "renault_in_nissan_voting_pct",
    "replayed_renault_in_nissan_pct",
    "renault_stake_in_nissan_value_eur_bn",
    "renault_trust_stake_value_eur_bn",
    "trust_sales_proceeds_eur_m",
    "plan_implied_renault_price_eur",
    "stub_breakeven_renault_price_eur",
)


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
            "block_discount_pct",
        )
    }
    b = base(p.as_of)
    latest = b.weights[-1]  # what the stake weighs at the latest date with both prices
    buyer = np.asarray(draws.get("buyer", p.buyer))
    points, price = _arr(q["nissan_sells_renault_pct"]), _arr(q["renault_share_price_eur"])
    cap_usd, threshold = _arr(q["nissan_market_cap_usd_bn"]), _arr(q["lockup_threshold_pct"])
    # Renault's own value on the day of Nissan's reported market value: a ratio of two market values is
    # only meaningful on one date, so the sale's price parameter does not move it
    market_value = b.renault_shares * b.renault_price_eur / 1e9 * np.ones_like(cap_usd)
    stake_value = b.renault_econ / 100 * cap_usd / b.usd_per_eur
    out: dict[str, Any] = {
        "renault_in_nissan_economic_pct": b.renault_econ,
        "renault_in_nissan_voting_pct": b.renault_votes,
        "sale_proceeds_eur_m": sale_proceeds_eur_m(points, b.renault_shares, price),
        "sale_proceeds_net_eur_m": sale_proceeds_eur_m(points, b.renault_shares, price)
        * (1 - _arr(q["block_discount_pct"]) / 100),
        "nissan_close_2025_03_31_jpy": b.nissan_close_derived_jpy,
        "renault_stake_carrying_value_eur_bn": b.carrying_value_eur_bn,
        "stake_share_of_renault_value_latest_pct": latest.share_pct,
        "renault_stub_value_latest_eur_bn": latest.stub_eur_bn,
        "stub_breakeven_renault_price_eur": latest.stub_breakeven_price_eur,
        "replayed_renault_in_nissan_pct": replayed_renault_in_nissan_pct(),
        "renault_stake_in_nissan_value_eur_bn": stake_value,
        "renault_market_value_eur_bn": market_value,
        "renault_nissan_stake_share_of_renault_value_pct": stake_value / market_value * 100,
        "renault_trust_stake_value_eur_bn": b.renault_trust / 100 * cap_usd / b.usd_per_eur,
        "trust_sales_proceeds_eur_m": b.trust_proceeds_eur_m,
        "plan_implied_renault_price_eur": b.plan_eur_m * 1e6 / (b.plan_points / 100 * b.renault_shares),
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
        "sale_proceeds_latest_eur_m",
        "sale_dividends_forgone_eur_m",
        "sale_meets_plan_breakeven_eur",
        "lockup_breakeven_pct",
    )
    if not b.has_nissan:
        return {**out, **dict.fromkeys(names)}
    before = _arr(q["nissan_in_renault_pct"])
    buyback = buyer == "renault"
    s = np.minimum(points, before) / 100
    after = np.where(buyback, (before - points) / (1 - np.where(buyback, s, 0.0)), before - points)
    after = np.maximum(after, 0.0)
    i_r, i_n, i_m = 0, 1, 2
    circle_after, circle_before = circle(b.w, after, row=i_r), circle(b.w, before, row=i_r)
    out.update(
        {
            "nissan_in_renault_before_pct": before,
            "nissan_in_renault_after_pct": _scalar(after),
            "integrated_renault_in_nissan_pct": circle_after["integrated"][..., i_n] * 100,
            "look_through_renault_holders_in_nissan_pct": circle_after["look_through"][..., i_n] * 100,
            "look_through_renault_holders_in_mmc_pct": circle_after["look_through"][..., i_m] * 100,
            "nissan_stake_in_renault_value_eur_bn": before / 100 * b.renault_shares * price / 1e9,
            "nissan_above_lockup_after_sale_pts": _scalar(after - threshold),
            "integrated_renault_in_nissan_no_sale_pct": circle_before["integrated"][..., i_n] * 100,
            "look_through_renault_holders_in_nissan_no_sale_pct": circle_before["look_through"][..., i_n]
            * 100,
            "lockup_breakeven_pct": lockup_breakeven_pct(threshold, points, buyback),
        }
    )
    sold = points / 100 * b.renault_shares >= 1  # a sale of less than one share is no sale
    out.update(dict.fromkeys(("sale_proceeds_latest_eur_m", "sale_dividends_forgone_eur_m")))
    out["sale_meets_plan_breakeven_eur"] = None
    if np.any(sold):  # the sale's own figures exist only where there is a sale
        discount = _arr(q["block_discount_pct"])
        out.update(
            {
                "sale_proceeds_latest_eur_m": sale_proceeds_eur_m(
                    points, b.renault_shares, latest.renault_mid_eur
                ),
                "sale_dividends_forgone_eur_m": points / 100 * b.renault_shares * b.dividend_eur / 1e6,
                "sale_meets_plan_breakeven_eur": plan_breakeven_eur(
                    b.plan_eur_m, np.where(sold, points, np.nan), b.renault_shares, discount
                ),
            }
        )
    return {k: _scalar(v) for k, v in out.items()}


def lockup_breakeven_pct(threshold_pct: Any, points: Any, buyback: Any) -> Any:
    """Nissan's stake in Renault (%) at which a sale of ``points`` lands exactly on the lock-up
    threshold: ``t + x`` sold in the market, ``t (1 - x/100) + x`` bought back and cancelled (from
    ``(n - x) / (1 - x/100) = t``). Below it the sale takes Nissan under the lock-up.

    >>> lockup_breakeven_pct(10.0, 5.0, False), lockup_breakeven_pct(10.0, 5.0, True)
    (15.0, 14.5)
    """
    t, x = np.asarray(threshold_pct, dtype=float), np.asarray(points, dtype=float)
    return _scalar(np.where(buyback, t * (1 - x / 100) + x, t + x))


def plan_breakeven_eur(plan_eur_m: float, points: Any, renault_shares: float, discount_pct: Any) -> Any:
    """The Renault share price (EUR) at which selling ``points`` of Renault, ``discount_pct`` below the
    market, raises ``plan_eur_m``: plan / (points/100 x shares x (1 - discount/100)).

    >>> round(plan_breakeven_eur(599.197, 5.0, 295_722_284, 0.0), 2)
    40.52
    """
    x, d = np.asarray(points, dtype=float), np.asarray(discount_pct, dtype=float)
    return _scalar(plan_eur_m * 1e6 / (x / 100 * renault_shares * (1 - d / 100)))


def _scalar(value: Any) -> Any:
    """A 0-d array or a numpy scalar as a float; arrays and None unchanged."""
    if (isinstance(value, np.ndarray) and value.ndim == 0) or isinstance(value, np.generic):
        return float(value)
    return value


def conclusions(p: OwnershipParams) -> list[Conclusion]:
    """The threshold statements the findings make (their share of plausible cases is reported; their
    wording is the template's)."""
    from alliancelib.core.prose import render

    plan = plan_eur_m()
    return [
        Conclusion(
            "lockup",
            "nissan_above_lockup_after_sale_pts",
            lambda v: v >= -1e-9,
            render(TOPIC, "conclusion_lockup", threshold=p.lockup_threshold_pct),
        ),
        Conclusion(
            "meets_plan",
            "sale_proceeds_net_eur_m",
            lambda v: v >= plan - 1e-9,
            render(TOPIC, "conclusion_meets_plan", plan_jpy_bn=fact("nissan_plan_sale_jpy_bn")),
        ),
    ]


def plan_eur_m() -> float:
    """Nissan's reported plan (about JPY 100bn for 5% of Renault) in euros at the ECB rate of its date."""
    return base(MARKET_DAY).plan_eur_m
