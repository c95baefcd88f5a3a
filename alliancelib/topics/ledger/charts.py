"""The charts of notebook 05: the diverging cash chart (gives to the left, gets to the right, options
hatched, undisclosed items as marked placeholders) and the range chart of the headline results. Their
titles, alt texts, source lines and labels are the template's (``a.texts``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from alliancelib.core.words import about_eur_m, money
from alliancelib.results import format_quantity
from alliancelib.topics.ledger.model import PARTIES, RESULTS

if TYPE_CHECKING:
    from alliancelib.charts import Chart
    from alliancelib.topics.ledger.analysis import Analysis

KEYS = ("cash", "ranges")


# the parameters the main chart depends on: the what-if explorer (alliancelib.explore) redraws it only
# when one of them changes (tests/test_explorer.py checks that no other parameter changes it)
MAIN_CHART_PARAMS = ("nissan_sells_renault_pct", "buyer", "renault_share_price_eur")


def main_chart(a: Analysis) -> Chart:
    """The notebook's main chart (the cash each party gives and gets), the first of :func:`figures`;
    the what-if explorer redraws it alone at every change."""
    return chart(a, "cash")


def figures(a: Analysis) -> list[Chart]:
    """Every chart of notebook 05, in the order the notebook shows them."""
    return [chart(a, key) for key in KEYS]


def chart(a: Analysis, key: str) -> Chart:
    """One chart by its key (``cash`` or ``ranges``), with its source line and alt text."""
    from alliancelib import charts

    t = a.texts
    if key == "cash":
        return charts.Chart("cash", plot_cash(a), alt=t["cash_alt"], source=t["cash_source"])
    if key == "ranges":
        return charts.Chart("ranges", plot_ranges(a), alt=t["ranges_alt"], source=t["ranges_source"])
    raise KeyError(f"no chart {key!r}; charts: {', '.join(KEYS)}")


def plot_ranges(a: Analysis) -> Any:
    """The range chart of the headline results, the option's numbers rounded as the title and the
    findings say them (to EUR 10m)."""
    from alliancelib.uncertainty import plot_ranges as draw

    fig = draw(
        a.assessment,
        RESULTS,
        title=a.texts["ranges_title"],
        fmt=lambda spec, value: (
            about_eur_m(value) if spec.unit == "EUR m" else format_quantity(value, spec.unit, spec.decimals)
        ),
    )
    fig.axes[0].set_xlabel(a.texts["ranges_xlabel"])
    return fig


def plot_cash(a: Analysis) -> Any:
    """The cash items of each party as bars from zero (gives to the left, gets to the right), options
    hatched, undisclosed items as marked placeholders of no length in money."""
    from matplotlib.patches import Rectangle

    from alliancelib import charts

    t = a.texts
    rows = [
        it
        for it in a.items
        if it.kind in ("cash", "option") and (it.amount_eur_m is not None or it.status == "undisclosed")
    ]
    fig, ax = charts.figure(8.8, 1.2 + 0.5 * (len(rows) + len(PARTIES)))
    span = max([abs(it.amount_eur_m) for it in rows if it.amount_eur_m is not None] + [100.0])
    placeholder = span * 0.28
    left_edge = -span * 1.5
    ax.text(-span * 0.04, 0.9, t["cash_gives"], ha="right", va="center", fontsize=8.5, color="#555555")
    ax.text(span * 0.04, 0.9, t["cash_gets"], ha="left", va="center", fontsize=8.5, color="#555555")
    y, ticks, labels = 0.0, [], []
    for party in PARTIES:
        mine = [it for it in rows if it.party == party]
        if not mine:
            continue
        ax.text(
            left_edge + span * 0.03,
            y,
            party,
            fontsize=10,
            fontweight="bold",
            color=charts.PALETTE[party],
            va="center",
        )
        y -= 1
        for it in mine:
            colour = charts.PALETTE[party]
            if it.amount_eur_m is not None:
                hatch = "///" if it.kind == "option" else None
                ax.barh(
                    y,
                    it.amount_eur_m,
                    height=0.6,
                    color=colour,
                    alpha=0.45 if hatch else 0.9,
                    hatch=hatch,
                    edgecolor=colour,
                    lw=0.8,
                )
                text = money(it.amount_eur_m) + (" " + t["cash_option"] if it.kind == "option" else "")
                x = it.amount_eur_m
                ax.text(
                    x + (span * 0.03 if x >= 0 else -span * 0.03),
                    y,
                    text,
                    va="center",
                    ha="left" if x >= 0 else "right",
                    fontsize=8.5,
                    color="#333333",
                )
            else:
                left = 0 if it.gets else -placeholder
                ax.add_patch(
                    Rectangle(
                        (left, y - 0.3),
                        placeholder,
                        0.6,
                        facecolor="#f0f0f0",
                        edgecolor=charts.PALETTE["muted"],
                        ls="--",
                        lw=0.9,
                    )
                )
                ax.text(
                    left + placeholder / 2,
                    y,
                    "?",
                    ha="center",
                    va="center",
                    fontsize=10,
                    color=charts.PALETTE["muted"],
                    fontweight="bold",
                )
                ax.text(
                    placeholder * 1.1 if it.gets else -placeholder * 1.1,
                    y,
                    t["cash_undisclosed"],
                    va="center",
                    ha="left" if it.gets else "right",
                    fontsize=8,
                    color="#555555",
                    style="italic",
                )
            ticks.append(y)
            labels.append(it.label)
            y -= 1
        y -= 0.4
    ax.axvline(0, color="#333333", lw=0.9)
    ax.set_yticks(ticks, [charts.wrap(label, 2.6, 9) for label in labels], fontsize=9)
    ax.set_ylim(y + 0.6, 1.4)
    ax.set_xlim(left_edge, span * 1.6)
    step = 250.0 if span <= 1200 else 500.0 if span <= 3000 else 10 ** np.floor(np.log10(span))
    ax.set_xticks(np.arange(-np.floor(span / step) * step, span + 1e-9, step))
    charts.thousands(ax, "x")
    ax.grid(axis="y", visible=False)
    charts.style_axes(ax, title=t["cash_title"], xlabel=t["cash_xlabel"])
    ax.tick_params(axis="y", length=0)
    return fig
