"""Ampere: the cancelled investment commitments and what they would have bought.

Valuations are EUR bn, commitments EUR m. A commitment ``c`` into a company worth ``pre`` before
the money (pre-money) buys ``c / post`` of it, ``post = pre + all new money``; Renault, which held
100% before the round, keeps ``pre / post``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from alliancelib import fx
from alliancelib.params import IsoDate, Number, Optional, param, validate

NOTEBOOK = "04_ampere_investment"


def post_money_eur_bn(pre_money_eur_bn: Any, *commitments_eur_m: float) -> Any:
    """Post-money valuation: pre-money plus every commitment (EUR bn).

    >>> post_money_eur_bn(10.0, 600, 200)
    10.8
    """
    return pre_money_eur_bn + sum(commitments_eur_m) / 1000


def implied_stake_pct(commitment_eur_m: float, post_money_eur_bn: Any) -> Any:
    """Stake (%) a commitment buys at a post-money valuation.

    >>> round(implied_stake_pct(600, 10.8), 4)
    5.5556
    """
    return commitment_eur_m / 1000 / post_money_eur_bn * 100


def existing_holder_stake_pct(pre_money_eur_bn: Any, post_money_eur_bn: Any,
                              held_before_pct: float = 100.0) -> Any:
    """Stake (%) of a holder of ``held_before_pct`` before the round, after it (diluted)."""
    return held_before_pct * pre_money_eur_bn / post_money_eur_bn


def valuation_for_stake_eur_bn(commitment_eur_m: float, stake_pct: float) -> float:
    """Post-money valuation (EUR bn) at which ``commitment_eur_m`` buys exactly ``stake_pct``.

    >>> valuation_for_stake_eur_bn(600, 15)
    4.0
    """
    if stake_pct <= 0:
        raise ValueError("the stake must be positive")
    return commitment_eur_m / 1000 / (stake_pct / 100)


def stake_table(pre_money_eur_bn: np.ndarray, nissan_eur_m: float, mitsubishi_eur_m: float
                ) -> pd.DataFrame:
    """Implied stakes of Nissan, Mitsubishi Motors and Renault for a range of pre-money
    valuations (vectorised)."""
    pre = np.asarray(pre_money_eur_bn, dtype=float)
    post = post_money_eur_bn(pre, nissan_eur_m, mitsubishi_eur_m)
    return pd.DataFrame({
        "pre_money_eur_bn": pre,
        "post_money_eur_bn": post,
        "nissan_pct": implied_stake_pct(nissan_eur_m, post),
        "mitsubishi_pct": implied_stake_pct(mitsubishi_eur_m, post),
        "renault_pct": existing_holder_stake_pct(pre, post),
    })


# --------------------------------------------------------------------------- parameters


@dataclass(frozen=True)
class AmpereParams:
    """Parameters of ``04_ampere_investment``."""

    pre_money_eur_bn: float = param(10.0, Number(minimum=0, exclusive_minimum=True),
                                    "Ampere's value before the new money, EUR bn")
    nissan_commitment_eur_m: float = param(600.0, Number(minimum=0),
                                           "Nissan's commitment, EUR m (up to 600, 2023)")
    mitsubishi_commitment_eur_m: float = param(200.0, Number(minimum=0),
                                               "Mitsubishi Motors' commitment, EUR m (up to 200, 2023)")
    nissan_stake_cap_pct: float = param(15.0, Number(minimum=0, maximum=100, exclusive_minimum=True),
                                        "Nissan's stake cap (up to 15%, 2023)")
    fx_date: str = param("2025-03-31",
                         IsoDate(bounds=lambda: fx.held_range("USD"),
                                 bounds_label=" (ECB fixings held)"),
                         "date of the ECB rates used (YYYY-MM-DD)")
    eur_usd: float | None = param(None, Optional(Number(minimum=0, exclusive_minimum=True)),
                                  "USD per EUR; None uses the ECB rate of fx_date")
    eur_jpy: float | None = param(None, Optional(Number(minimum=0, exclusive_minimum=True)),
                                  "JPY per EUR; None uses the ECB rate of fx_date")


def validate_params(**values: Any) -> AmpereParams:
    """Validate the notebook's parameters."""
    __tracebackhide__ = True
    return validate(AmpereParams, NOTEBOOK, values)


# --------------------------------------------------------------------------- charts


def plot_stakes(table: pd.DataFrame, ceo_range_eur_bn: tuple[float, float], cap_pct: float,
                cap_valuation_eur_bn: float, chosen_pre_eur_bn: float) -> Any:
    """Implied stakes against the pre-money valuation; the CEO's range shaded, and the pre-money
    value at which Nissan's stake reaches its cap marked (``cap_valuation_eur_bn`` is the
    post-money value; the table's post - pre gives the new money)."""
    from alliancelib import charts

    fig, (ax, ax2) = charts.figure(9.5, 4.3, ncols=2)
    x = table["pre_money_eur_bn"]
    new_money = float((table["post_money_eur_bn"] - table["pre_money_eur_bn"]).iloc[0])
    cap_pre = cap_valuation_eur_bn - new_money
    ax.plot(x, table["nissan_pct"], color=charts.PALETTE["Nissan"], lw=2, label="Nissan")
    ax.plot(x, table["mitsubishi_pct"], color=charts.PALETTE["Mitsubishi Motors"], lw=2,
            label="Mitsubishi Motors")
    lo, hi = ceo_range_eur_bn
    for a in (ax, ax2):
        a.axvspan(lo, hi, color=charts.PALETTE["Renault"], alpha=0.2, lw=0,
                  label=f"CEO's remark, EUR {lo:g}-{hi:g}bn")
        a.axvline(chosen_pre_eur_bn, color="black", lw=0.8, ls=":", label="valuation chosen")
    ax.axhline(cap_pct, color=charts.PALETTE["Nissan"], ls="--", lw=1)
    ax.scatter([cap_pre], [cap_pct], color=charts.PALETTE["Nissan"], zorder=3)
    ax.annotate(f"{cap_pct:g}% cap reached at EUR {cap_pre:.1f}bn pre-money\n"
                f"(EUR {cap_valuation_eur_bn:.1f}bn post-money)", (cap_pre, cap_pct),
                xytext=(8, -4), textcoords="offset points", fontsize=8, va="top")
    ax.set_ylim(0, max(cap_pct, float(table["nissan_pct"].max())) * 1.12)
    ax.legend(fontsize=8, loc="center right")
    charts.style_axes(ax, title="What the commitments would have bought",
                      xlabel="Ampere's pre-money valuation (EUR bn)", ylabel="implied stake (%)")
    ax2.plot(x, table["renault_pct"], color=charts.PALETTE["Renault"], lw=2,
             label="Renault (100% before the round)")
    ax2.legend(fontsize=8, loc="lower right")
    charts.style_axes(ax2, title="What Renault would have kept",
                      xlabel="Ampere's pre-money valuation (EUR bn)", ylabel="Renault's stake (%)")
    return fig


def plot_commitments(amounts: dict[str, float], rates: dict[str, tuple[str, float]]) -> Any:
    """The cancelled commitments in EUR, USD and JPY side by side (one panel per currency)."""
    from alliancelib import charts

    fig, axes = charts.figure(9.0, 3.0, ncols=3)
    colors = [charts.PALETTE["Nissan"], charts.PALETTE["Mitsubishi Motors"]]
    for ax, (cur, (unit, rate)) in zip(axes, rates.items(), strict=True):
        values = [v * rate for v in amounts.values()]
        ax.bar(list(amounts), values, color=colors[: len(values)])
        for i, v in enumerate(values):
            ax.annotate(f"{v:,.1f}", (i, v), ha="center", xytext=(0, 2),
                        textcoords="offset points", fontsize=8)
        charts.style_axes(ax, title=cur, ylabel=unit)
        ax.set_ylim(0, max(values) * 1.18 if max(values) > 0 else 1)
        ax.grid(axis="x", visible=False)
    return fig
