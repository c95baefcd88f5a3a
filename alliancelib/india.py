"""RNAIPL and the Chennai (Oragadam) plant: ownership, utilisation, and what the new models and
full ownership change.

Volumes are vehicles a year (``_units``), capacity the plant's installed capacity a year;
utilisation = volume / capacity x 100.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from alliancelib.errors import ParameterError
from alliancelib.params import Integer, Number, param, validate

NOTEBOOK = "02_india_transfer"


def utilisation_pct(volume_units: float, capacity_units: float) -> float:
    """Volume as a share of capacity (%).

    >>> utilisation_pct(133_000, 400_000)
    33.25
    """
    if capacity_units <= 0:
        raise ValueError("capacity must be positive")
    return volume_units / capacity_units * 100


def volume_after(base_volume_units: float, new_models: int, units_per_new_model: float) -> float:
    """Annual volume once ``new_models`` models of ``units_per_new_model`` each are added."""
    return base_volume_units + new_models * units_per_new_model


def attributable_units(volume_units: float, stake_pct: float) -> float:
    """Output attributable to an owner of ``stake_pct`` % of the plant's company.

    >>> attributable_units(133_000, 49)
    65170.0
    """
    return volume_units * stake_pct / 100


def models_to_target(base_volume_units: float, units_per_new_model: float,
                     capacity_units: float, target_utilisation_pct: float) -> int | None:
    """Smallest whole number of new models with which utilisation reaches the target; 0 if the
    base already does; None if no number does (no volume per model).

    >>> models_to_target(133_000, 25_000, 400_000, 80)
    8
    >>> models_to_target(350_000, 25_000, 400_000, 80), models_to_target(1, 0, 400_000, 80)
    (0, None)
    """
    needed = target_utilisation_pct / 100 * capacity_units - base_volume_units
    if needed <= 1e-9:
        return 0
    if units_per_new_model <= 0:
        return None
    n = math.ceil(needed / units_per_new_model - 1e-12)
    return n


def utilisation_curve(base_volume_units: float, units_per_new_model: float, capacity_units: float,
                      max_models: int) -> pd.DataFrame:
    """Utilisation (%) for 0..max_models new models (vectorised)."""
    n = np.arange(max_models + 1)
    vol = base_volume_units + n * units_per_new_model
    return pd.DataFrame({"new_models": n, "volume_units": vol,
                         "utilisation_pct": vol / capacity_units * 100})


def stake_before_completion(ownership: pd.DataFrame, completion: str = "2025-08-01") -> float:
    """Renault's RNAIPL stake (%) in force just before the completion date."""
    rows = ownership[ownership["as_of"] < completion].sort_values("as_of")
    return float(rows["renault_pct"].iloc[-1])


# --------------------------------------------------------------------------- parameters


@dataclass(frozen=True)
class IndiaParams:
    """Parameters of ``02_india_transfer``."""

    capacity_units: int = param(
        400000, Integer(minimum=1),
        "installed capacity, vehicles a year (Renault: over 400000; carandbike: 480000)")
    base_volume_units: int = param(
        133000, Integer(minimum=0),
        "assumption: output before the new models, vehicles a year (about a third of capacity)")
    new_models: int = param(4, Integer(minimum=0, maximum=50), "new Renault models added at Chennai")
    units_per_new_model: int = param(
        25000, Integer(minimum=0), "assumption: vehicles a year each new model adds")
    stake_acquired_pct: float = param(
        51.0, Number(minimum=0, maximum=100), "stake in RNAIPL Renault buys from Nissan (%)")
    target_utilisation_pct: float = param(
        80.0, Number(minimum=0, maximum=100, exclusive_minimum=True),
        "assumption: utilisation the plant should reach (%)")


def validate_params(**values: Any) -> IndiaParams:
    """Validate the notebook's parameters, including the stake after the purchase and the
    volume against capacity."""
    __tracebackhide__ = True
    return validate(IndiaParams, NOTEBOOK, values, rules=[_rule_stake, _rule_volume])


def _rule_stake(p: IndiaParams) -> None:
    __tracebackhide__ = True
    from alliancelib.data import load

    before = stake_before_completion(load("rnaipl_ownership"))
    if before + p.stake_acquired_pct > 100 + 1e-9:
        raise ParameterError(
            NOTEBOOK, "stake_acquired_pct", p.stake_acquired_pct,
            f"0 to {100 - before:g}: Renault held {before:g}% before the purchase and cannot "
            "hold more than 100%",
        )


def _rule_volume(p: IndiaParams) -> None:
    __tracebackhide__ = True
    if p.base_volume_units > p.capacity_units:
        raise ParameterError(
            NOTEBOOK, "base_volume_units", p.base_volume_units,
            f"0 to capacity_units ({p.capacity_units}): the plant cannot build more than its "
            "capacity",
        )


# --------------------------------------------------------------------------- charts


def plot_ownership(ownership: pd.DataFrame, milestones: pd.DataFrame, end: str = "2026-06-30"
                   ) -> Any:
    """Stacked step areas of Renault's and Nissan's RNAIPL stakes, with the deal's milestones."""
    from alliancelib import charts
    from alliancelib.data import parse_partial_date

    fig, ax = charts.figure(8.5, 4.0)
    days = [pd.Timestamp(parse_partial_date(d)) for d in ownership["as_of"]] + [pd.Timestamp(end)]
    renault = list(ownership["renault_pct"]) + [ownership["renault_pct"].iloc[-1]]
    ax.fill_between(days, 0, renault, step="post", color=charts.PALETTE["Renault"],
                    label="Renault")
    ax.fill_between(days, renault, 100, step="post", color=charts.PALETTE["Nissan"], alpha=0.85,
                    label="Nissan")
    for k, (_, m) in enumerate(milestones.iterrows()):
        day = pd.Timestamp(parse_partial_date(m["date"]))
        ax.axvline(day, color="black", lw=0.8, ls="--")
        ax.annotate(m["label"], (day, 92 - 12 * k), xytext=(-4, 0), textcoords="offset points",
                    ha="right", fontsize=8, bbox={"fc": "white", "ec": "none", "pad": 1})
    ax.set_ylim(0, 100)
    ax.set_xlim(days[0], days[-1])
    ax.legend(loc="lower left", fontsize=8)
    charts.style_axes(ax, title="Who owns RNAIPL (the Chennai plant)",
                      xlabel="date (the 2023 change is dated by year only)",
                      ylabel="% of RNAIPL")
    return fig


def plot_utilisation(curve: pd.DataFrame, target_pct: float, chosen: int,
                     reported: dict[str, float]) -> Any:
    """Utilisation against the number of new models, with the target and reported levels."""
    from alliancelib import charts

    fig, ax = charts.figure(8.0, 4.0)
    colors = [charts.PALETTE["Renault"] if n == chosen else "#e8cf8a" for n in curve["new_models"]]
    ax.bar(curve["new_models"], curve["utilisation_pct"], color=colors)
    ax.axhline(target_pct, color="black", ls="--", lw=1)
    ax.annotate(f"target {target_pct:g}%", (curve["new_models"].iloc[0] - 0.4, target_pct),
                xytext=(0, 3), textcoords="offset points", fontsize=8)
    for k, (label, value) in enumerate(reported.items()):
        ax.axhline(value, color=charts.PALETTE["Nissan"], ls=":", lw=1)
        ax.annotate(label, (curve["new_models"].iloc[-1] + 0.4, value), ha="right",
                    xytext=(0, 3 + 9 * k), textcoords="offset points", fontsize=8,
                    color=charts.PALETTE["Nissan"])
    ax.set_ylim(0, max(105, float(curve["utilisation_pct"].max()) + 5))
    charts.style_axes(ax, title="Utilisation of the Chennai plant as new models are added",
                      xlabel="number of new models (the chosen number highlighted)",
                      ylabel="utilisation (% of capacity)")
    return fig


def plot_capacity(capacities: dict[str, float], outputs: dict[str, float]) -> Any:
    """Horizontal bars: the two capacity figures against output levels (vehicles a year)."""
    from alliancelib import charts

    fig, ax = charts.figure(8.0, 3.6)
    labels = list(capacities) + list(outputs)
    values = list(capacities.values()) + list(outputs.values())
    colors = ["#9a9a9a"] * len(capacities) + [charts.PALETTE["Renault"]] * len(outputs)
    ax.barh(labels[::-1], values[::-1], color=colors[::-1])
    for y, v in enumerate(values[::-1]):
        ax.annotate(f"{v:,.0f}", (v, y), xytext=(3, 0), textcoords="offset points",
                    va="center", fontsize=8)
    ax.set_xlim(0, max(values) * 1.15)
    charts.style_axes(ax, title="Capacity against output", xlabel="vehicles a year", ylabel="")
    ax.grid(axis="y", visible=False)
    return fig
