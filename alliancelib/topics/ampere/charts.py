"""The chart of notebook 04: the stakes against Ampere's value, with the CEO's range and the two
break-evens (the ceiling, half the ceiling). Its title, alt text, source line, axis labels and
annotations are the template's (``a.texts``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from alliancelib.charts import Chart
    from alliancelib.topics.ampere.analysis import Analysis

KEYS = ("stakes",)


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
    """One chart by its key (``stakes``), with its source line and alt text."""
    from alliancelib import charts

    t = a.texts
    draw = {"stakes": plot_stakes}
    if key not in draw:
        raise KeyError(f"no chart {key!r}; charts: {', '.join(KEYS)}")
    return charts.Chart(key, draw[key](a), alt=t[f"{key}_alt"], source=t[f"{key}_source"])


def plot_stakes(a: Analysis) -> Any:
    """Nissan's and Mitsubishi Motors' stakes against Ampere's pre-money value: Nissan's flat at its
    ceiling where the ceiling binds; the CEO's range shaded (pre- or post-money not stated); half the
    ceiling dotted, with the value before the money at which Nissan's money buys exactly that."""
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
    half, half_pre = cap / 2, float(a.facts["half_pre"])
    ax.axhline(half, color=red, ls=(0, (1, 2)), lw=0.8)
    ax.text(end + 0.3, half + top * 0.015, c["stakes_half_label"], color=red, fontsize=8.5, va="bottom")
    if float(x.iloc[0]) < half_pre < end:
        ax.plot([half_pre], [half], "o", color=red, mfc="white", ms=5, zorder=3)
        if half_pre - float(x.iloc[0]) > 3:  # a dotted drop to the axis, labelled at its foot, left
            ax.plot([half_pre, half_pre], [0, half], color=red, ls=(0, (1, 2)), lw=0.8)
            ax.text(
                half_pre - 0.12, top * 0.02, c["stakes_half_point_label"], fontsize=8, ha="right", va="bottom"
            )
        else:  # near the left edge: a note to the right
            charts.annotate(ax, c["stakes_half_point_label"], (half_pre, half), (12, 14))
    at_hi = float(a.values["nissan_stake_at_ceo_max_valuation_pct"])
    at_lo = float(a.values["nissan_stake_at_ceo_min_valuation_pct"])
    ax.plot([lo, hi], [at_lo, at_hi], "o", color=red, ms=5, zorder=3)
    # labels above the points, or below them where a point is high (the CEO's label) or low (the axis)
    if at_lo < top * 0.8:
        charts.annotate(ax, c["stakes_at_low_label"], (lo, at_lo), (6, 26))
    else:
        charts.annotate(ax, c["stakes_at_low_label"], (lo, at_lo), (-8, -26), ha="right")
    charts.annotate(ax, c["stakes_at_high_label"], (hi, at_hi), (12, -20) if at_hi > top * 0.25 else (12, 16))
    return fig
