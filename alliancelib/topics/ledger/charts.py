"""The chart of notebook 05: the one recurring cash between the parties, Renault's dividends to Nissan
against Nissan's to Renault, in EUR m a year (Renault's proposed dividend on Nissan's stake; Nissan's
guided dividend on Renault's, in euros at the yen of the proposal's day). The part of Nissan's receipts
on the Renault shares it may sell is marked on its bar. Its title, alt text, source line and labels are
the template's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from alliancelib.charts import Chart
    from alliancelib.topics.ledger.analysis import Analysis

KEYS = ("ledger",)

# the parameters the main chart depends on: the what-if explorer (alliancelib.explore) redraws it only
# when one of them changes (tests/test_explorer.py checks that no other parameter changes it)
MAIN_CHART_PARAMS = ("nissan_sells_renault_pct", "nissan_in_renault_pct")


@dataclass(frozen=True)
class Flow:
    """One direction of the dividends: who pays (``payer``, its colour), the amount in EUR m a year, the
    part of it on the shares Nissan may sell in EUR m a year (0 when none), and the words of its row."""

    key: str
    payer: str
    amount_eur_m: float
    sold_eur_m: float
    label: str
    words: str


def flows(a: Analysis) -> list[Flow]:
    """The two rows, top to bottom: Renault to Nissan (the part on the points Nissan may sell marked),
    then Nissan to Renault."""
    c, t = a.context, a.texts
    sold = float(c["dividends_eur_m"]) if c["sells"] else 0.0
    return [
        Flow(
            "to_nissan",
            "Renault",
            float(c["to_nissan_eur_m"]),
            sold,
            t["flow__to_nissan__label"],
            t["flow__to_nissan__words"],
        ),
        Flow(
            "to_renault",
            "Nissan",
            float(c["to_renault_eur_m"]),
            0.0,
            t["flow__to_renault__label"],
            t["flow__to_renault__words"],
        ),
    ]


def main_chart(a: Analysis) -> Chart:
    """The notebook's main chart (the dividends each way), the first of :func:`figures`; the what-if
    explorer redraws it alone at every change."""
    return chart(a, "ledger")


def figures(a: Analysis) -> list[Chart]:
    """Every chart of notebook 05, in the order the notebook shows them."""
    return [chart(a, key) for key in KEYS]


def chart(a: Analysis, key: str) -> Chart:
    """One chart by its key (``ledger``), with its source line and alt text."""
    from alliancelib import charts

    t = a.texts
    if key == "ledger":
        return charts.Chart("ledger", plot_flows(a), alt=t["ledger_alt"], source=t["ledger_source"])
    raise KeyError(f"no chart {key!r}; charts: {', '.join(KEYS)}")


def plot_flows(a: Analysis) -> Any:
    """One row a direction: the amount a year as a bar from zero in the payer's colour (the part on the
    shares Nissan may sell hatched at its end), its amount at its end and its words under it (legible at
    phone width: no legend, no words squeezed beside a short bar)."""
    from alliancelib import charts

    t = a.texts
    rows = flows(a)
    fig, ax = charts.figure(4.8, 4.4)
    span = max([f.amount_eur_m for f in rows] + [10.0])
    for r, f in enumerate(rows):
        y = -1.2 * r
        colour = charts.PALETTE[f.payer]
        kept = f.amount_eur_m - f.sold_eur_m
        if kept > 0:
            ax.barh(y, kept, height=0.34, color=colour, edgecolor=colour)
        if f.sold_eur_m > 0:
            ax.barh(y, f.sold_eur_m, left=kept, height=0.34, color="white", edgecolor=colour, hatch="///")
            ax.text(
                kept + f.sold_eur_m / 2,
                y + 0.22,
                charts.wrap(t["flow__sold__words"], 2.0, 10),
                ha="center",
                va="bottom",
                fontsize=10,
                color="#333333",
            )
        ax.text(
            max(f.amount_eur_m, 0.0) + span * 0.02,
            y,
            charts.format_tick(f.amount_eur_m, 1 if f.amount_eur_m else 0),
            ha="left",
            va="center",
            fontsize=12,
            fontweight="bold",
            color=colour,
        )
        ax.text(
            0,
            y - 0.3,
            charts.wrap(f"{f.label}: {f.words}", 4.3, 11),
            ha="left",
            va="top",
            fontsize=11,
            color="#222222",
        )
    ax.axvline(0, color="#333333", lw=0.9)
    ax.set_yticks([])
    ax.set_ylim(-1.2 * len(rows) + 0.15, 1.0)
    ax.set_xlim(0, span * 1.22)
    charts.thousands(ax, "x")
    ax.grid(axis="y", visible=False)
    charts.style_axes(ax, title="", xlabel=t["ledger_xlabel"])
    fig.suptitle(
        charts.wrap(t["ledger_title"], 4.5, 13, bold=True), x=0.01, ha="left", fontsize=13, fontweight="bold"
    )
    return fig
