"""The chart of notebook 05: the ledger in its three columns, one panel each (cash that moved,
commitments avoided or forgone, value transfers), every party's lines as bars from zero (gives or
forgoes to the left, gets, avoids or keeps to the right). Only sums of money are bars, and only in
the first two panels; an undisclosed amount is the word "undisclosed", never a bar, and value
transfers (an option, a yearly dividend, a share of a result) are written, not drawn. Its title,
alt text, source line and labels are the template's (``a.texts``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from alliancelib.core.words import money
from alliancelib.topics.ledger.model import COLUMNS

if TYPE_CHECKING:
    from alliancelib.charts import Chart
    from alliancelib.topics.ledger.analysis import Analysis
    from alliancelib.topics.ledger.model import Item

KEYS = ("ledger",)
DRAWN = ("cash", "commitment")  # the columns whose sums of money are bars

# the parameters the main chart depends on: the what-if explorer (alliancelib.explore) redraws it only
# when one of them changes (tests/test_explorer.py checks that no other parameter changes it)
MAIN_CHART_PARAMS = ("nissan_sells_renault_pct", "buyer", "renault_share_price_eur")


def main_chart(a: Analysis) -> Chart:
    """The notebook's main chart (the ledger in three columns), the first of :func:`figures`; the
    what-if explorer redraws it alone at every change."""
    return chart(a, "ledger")


def figures(a: Analysis) -> list[Chart]:
    """Every chart of notebook 05, in the order the notebook shows them."""
    return [chart(a, key) for key in KEYS]


def chart(a: Analysis, key: str) -> Chart:
    """One chart by its key (``ledger``), with its source line and alt text."""
    from alliancelib import charts

    t = a.texts
    if key == "ledger":
        return charts.Chart("ledger", plot_ledger(a), alt=t["ledger_alt"], source=t["ledger_source"])
    raise KeyError(f"no chart {key!r}; charts: {', '.join(KEYS)}")


def bar_text(it: Item) -> str:
    """What a line says beside zero or beside its bar: its sum of money in the drawn columns, else
    the words of its amount (an undisclosed price, a share, an option, a yearly dividend)."""
    from alliancelib.topics.ledger.analysis import amount_words

    if it.column in DRAWN and it.amount_eur_m is not None:
        return money(it.amount_eur_m)
    return amount_words(it)


def _row(ax: Any, y: float, it: Item, span: float, undisclosed: str) -> None:
    """One line: a bar for a sum of money in a drawn column, else its words beside zero."""
    from alliancelib import charts

    colour = charts.PALETTE[it.party]
    drawn = it.column in DRAWN and it.amount_eur_m is not None
    x = float(it.amount_eur_m) if drawn and it.amount_eur_m is not None else 0.0
    if drawn:
        ax.barh(y, x, height=0.62, color=colour, alpha=0.9, edgecolor=colour, lw=0.8)
    right = x > 0 or (not drawn and it.gets)
    words = undisclosed if it.status == "undisclosed" and not drawn else bar_text(it)
    ax.text(
        x + (span * 0.03 if right else -span * 0.03),
        y,
        charts.wrap(words, 2.3, 8.5),
        va="center",
        ha="left" if right else "right",
        fontsize=8.5,
        color="#333333",
        style="normal" if drawn else "italic",
    )


def plot_ledger(a: Analysis) -> Any:
    """The ledger's three columns as three groups of rows, each line labelled with its party and
    item, bars only for sums of money in the first two columns."""
    from alliancelib import charts

    t = a.texts
    rows = len(a.items) + 2 * len(COLUMNS)
    fig, ax = charts.figure(7.6, 1.8 + 0.42 * rows)
    amounts = [abs(it.amount_eur_m) for it in a.items if it.column in DRAWN and it.amount_eur_m is not None]
    span = max([*amounts, 100.0])
    ax.text(-span * 0.04, 0.9, t["ledger_gives"], ha="right", va="center", fontsize=8.5, color="#555555")
    ax.text(span * 0.04, 0.9, t["ledger_gets"], ha="left", va="center", fontsize=8.5, color="#555555")
    y, ticks, labels = 0.0, [], []
    for column in COLUMNS:
        ax.text(
            -0.01,
            y,
            t[f"column__{column}"],
            fontsize=10,
            fontweight="bold",
            va="center",
            ha="right",
            transform=ax.get_yaxis_transform(),
        )
        y -= 1
        for it in (it for it in a.items if it.column == column):
            _row(ax, y, it, span, t["ledger_undisclosed"])
            ticks.append(y)
            labels.append(f"{it.party}: {it.label}")
            y -= 1
        y -= 0.5
    ax.axvline(0, color="#333333", lw=0.9)
    ax.set_yticks(ticks, [charts.wrap(label, 3.2, 8.5) for label in labels], fontsize=8.5)
    for tick, label in zip(ax.get_yticklabels(), labels, strict=True):
        tick.set_color(charts.PALETTE[label.split(":")[0]])
    ax.set_ylim(y + 0.8, 1.4)
    ax.set_xlim(-span * 2.3, span * 2.0)
    step = 250.0 if span <= 1200 else 500.0 if span <= 3000 else 10 ** np.floor(np.log10(span))
    ax.set_xticks(np.arange(-np.floor(span / step) * step, span + 1e-9, step))
    charts.thousands(ax, "x")
    ax.grid(axis="y", visible=False)
    charts.style_axes(ax, title="", xlabel=t["ledger_xlabel"])
    # the row labels take the left of the figure: the title starts at the figure's left edge, wrapped to
    # the width a phone shows before it scrolls, so the message is read first
    fig.suptitle(
        charts.wrap(t["ledger_title"], 4.0, 12, bold=True), x=0.01, ha="left", fontsize=12, fontweight="bold"
    )
    ax.tick_params(axis="y", length=0)
    return fig
