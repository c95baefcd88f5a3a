"""The charts of notebook 04: the stakes against Ampere's value, the commitment in yen day by day,
and the range chart of "How sure is this?". Their titles, alt texts, source lines, axis labels and
annotations are the template's (``a.texts``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from alliancelib.topics.ampere.model import RESULTS

if TYPE_CHECKING:
    from alliancelib.charts import Chart
    from alliancelib.topics.ampere.analysis import Analysis

KEYS = ("stakes", "yen", "ranges")


# the parameters the main chart depends on: the what-if explorer (alliancelib.explore) redraws it only
# when one of them changes (tests/test_explorer.py checks that no other parameter changes it)
MAIN_CHART_PARAMS = ("nissan_commitment_eur_m", "mitsubishi_commitment_eur_m", "nissan_stake_cap_pct")


def main_chart(a: Analysis) -> Chart:
    """The notebook's main chart (Nissan's stake against Ampere's value), the first of :func:`figures`;
    the what-if explorer redraws it alone at every change."""
    return chart(a, "stakes")


def figures(a: Analysis) -> list[Chart]:
    """Every chart of notebook 04, in the order the notebook shows them."""
    return [chart(a, key) for key in KEYS]


def chart(a: Analysis, key: str) -> Chart:
    """One chart by its key (``stakes``, ``yen`` or ``ranges``), with its source line and alt text."""
    from alliancelib import charts

    t = a.texts
    draw = {"stakes": plot_stakes, "yen": plot_yen, "ranges": plot_ranges}
    if key not in draw:
        raise KeyError(f"no chart {key!r}; charts: {', '.join(KEYS)}")
    return charts.Chart(key, draw[key](a), alt=t[f"{key}_alt"], source=t[f"{key}_source"])


def plot_ranges(a: Analysis) -> Any:
    """The range chart of the results that move with Ampere's value."""
    from alliancelib.uncertainty import plot_ranges as draw

    fig = draw(a.assessment.as_recorded(), RESULTS, title=a.texts["ranges_title"])
    fig.axes[0].set_xlabel(a.texts["ranges_xlabel"])
    return fig


def plot_stakes(a: Analysis) -> Any:
    """Nissan's and Mitsubishi Motors' stakes against Ampere's pre-money value: Nissan's flat at its
    ceiling where the ceiling binds; the CEO's range shaded (pre- or post-money not stated)."""
    from matplotlib.ticker import MultipleLocator

    from alliancelib import charts

    p, t, c = a.p, a.curve, a.texts
    fig, ax = charts.figure(8.6, 4.6)
    x = t["ampere_pre_money_eur_bn"]
    red, grey = charts.PALETTE["Nissan"], charts.PALETTE["Mitsubishi Motors"]
    lo, hi = a.facts["ceo_low"], a.facts["ceo_high"]
    ax.axvspan(lo, hi, color=charts.PALETTE["Renault"], alpha=0.18, lw=0)
    ax.plot(x, t["ampere_nissan_stake_pct"], color=red, lw=2.2)
    ax.plot(x, t["ampere_mitsubishi_stake_pct"], color=grey, lw=1.8)
    cap = p.nissan_stake_cap_pct
    ax.axhline(cap, color=red, ls=(0, (4, 3)), lw=0.9)
    top = max(cap, float(t["ampere_nissan_stake_pct"].max()), float(t["ampere_mitsubishi_stake_pct"].max()))
    ax.set_ylim(0, top * 1.4)
    ax.set_xlim(float(x.iloc[0]), float(x.iloc[-1]) * 1.3)
    ax.yaxis.set_major_locator(MultipleLocator(5 if top <= 30 else 10))
    ax.set_xticks(np.arange(np.ceil(float(x.iloc[0]) / 2) * 2, float(x.iloc[-1]) + 0.01, 2))
    charts.thousands(ax, "y", suffix="%")
    charts.thousands(ax, "x")
    ax.text(
        float(x.iloc[-1]) + 0.3,
        cap + top * 0.015,
        c["stakes_cap_label"],
        color=red,
        fontsize=8.5,
        va="bottom",
        ha="left",
    )
    ax.text(
        (lo + hi) / 2, top * 1.37, c["stakes_ceo_label"], ha="center", va="top", fontsize=8, color="#6b5200"
    )
    end = float(x.iloc[-1])
    ends = [
        (c["stakes_nissan_label"], end, float(t["ampere_nissan_stake_pct"].iloc[-1]), red),
        (c["stakes_mmc_label"], end, float(t["ampere_mitsubishi_stake_pct"].iloc[-1]), grey),
    ]
    charts.style_axes(ax, title=c["stakes_title"], xlabel=c["stakes_xlabel"], ylabel=c["stakes_ylabel"])
    charts.label_lines(ax, ends)
    if a.facts["cap_pre"] > float(x.iloc[0]):
        ax.text(
            float(x.iloc[0]) + 0.1,
            cap + top * 0.04,
            c["stakes_binds_label"],
            fontsize=8,
            color="#333333",
            va="bottom",
            ha="left",
        )
    at_hi = float(a.values["nissan_stake_at_ceo_max_valuation_pct"])
    at_lo = float(a.values["nissan_stake_at_ceo_min_valuation_pct"])
    ax.plot([lo, hi], [at_lo, at_hi], "o", color=red, ms=5, zorder=3)
    charts.annotate(ax, c["stakes_at_low_label"], (lo, at_lo), (-10, 18), ha="right")
    charts.annotate(ax, c["stakes_at_high_label"], (hi, at_hi), (10, 16))
    return fig


def plot_yen(a: Analysis) -> Any:
    """Nissan's euro commitment in yen day by day at the ECB rate, the dates that matter marked."""
    import matplotlib.dates as mdates

    from alliancelib import charts

    fig, ax = charts.figure(8.6, 4.2)
    red = charts.PALETTE["Nissan"]
    ax.plot(a.yen["date"], a.yen["jpy_bn"], color=red, lw=1.6)
    ax.set_ylim(0, float(a.yen["jpy_bn"].max()) * 1.25)
    charts.thousands(ax, "y")
    offsets = [(10, -34), (-6, 30), (-8, 20)]
    for (_, m), off in zip(a.moments.iterrows(), offsets, strict=True):
        day = pd.Timestamp(m["date"])
        ax.plot([day], [m["jpy_bn"]], "o", color=red, ms=5, zorder=3)
        charts.annotate(ax, m["label"], (day, m["jpy_bn"]), off, ha="left" if off[0] > 0 else "right")
    charts.style_axes(ax, title=a.texts["yen_title"], ylabel=a.texts["yen_ylabel"])
    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 7)))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
    return fig
