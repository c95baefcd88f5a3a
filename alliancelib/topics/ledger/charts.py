"""The chart of notebook 05: each exchange of the deal as a pair of bars, the money and the shares it
was swapped for, in EUR m at the prices the notebook uses (the shares of Ampere at the CEO's EUR
8-10bn, Renault shares at market). Drawing both legs shows what the ledger says in words: each swap
is money against shares of the same value, so neither bar alone is a gain or a loss. The Chennai price
and the value of the stake sold are in no source: written, never drawn. Renault's own forecast cash
cost is not an exchange between the parties and is not drawn. Its title, alt text, source line and
labels are the template's."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from alliancelib.core.prose import render
from alliancelib.topics.ledger.model import TOPIC

if TYPE_CHECKING:
    from alliancelib.charts import Chart
    from alliancelib.topics.ledger.analysis import Analysis

KEYS = ("ledger",)

# the parameters the main chart depends on: the what-if explorer (alliancelib.explore) redraws it only
# when one of them changes (tests/test_explorer.py checks that no other parameter changes it)
MAIN_CHART_PARAMS = ("nissan_sells_renault_pct", "buyer", "renault_share_price_eur")


@dataclass(frozen=True)
class Swap:
    """One exchange: who gives up what (``party``), the money and the shares' value in EUR m (None
    where no source gives it; equal by construction at the prices used), the money's range across the
    reported prices (low, high; the same as the money where it has none) and the words beside each bar."""

    key: str
    party: str
    money_eur_m: float | None
    shares_eur_m: float | None
    low_eur_m: float | None
    high_eur_m: float | None
    label: str
    money_words: str
    shares_words: str


def swaps(a: Analysis) -> list[Swap]:
    """The exchanges the chart draws, top to bottom: the two Ampere commitments released, Nissan's
    option when it sells (its range across the reported prices), and the Chennai plant (no figures).
    The shares' value equals the money: the money buys money / (value + new money) of a company worth
    value + new money afterwards, and Renault shares sell at market."""
    c = a.context
    i = c["i"]
    rows: list[tuple[str, str, float | None, float | None, float | None]] = [
        ("ampere_nissan", "Nissan", i.nissan.amount_eur_m, None, None),
        ("ampere_mmc", "Mitsubishi Motors", i.mmc.amount_eur_m, None, None),
    ]
    if c["sells"]:
        rows.append(
            ("nissan_option", "Nissan", c["option_eur_m"], c["option_low_eur_m"], c["option_high_eur_m"])
        )
    rows.append(("rnaipl_price", "Nissan", None, None, None))
    return [
        Swap(
            key,
            party,
            money,
            money,
            low if low is not None else money,
            high if high is not None else money,
            render(TOPIC, f"swap__{key}__label", **c),
            render(TOPIC, f"swap__{key}__money", **c),
            render(TOPIC, f"swap__{key}__shares", **c),
        )
        for key, party, money, low, high in rows
    ]


def main_chart(a: Analysis) -> Chart:
    """The notebook's main chart (each exchange's two legs), the first of :func:`figures`; the
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
        return charts.Chart("ledger", plot_swaps(a), alt=t["ledger_alt"], source=t["ledger_source"])
    raise KeyError(f"no chart {key!r}; charts: {', '.join(KEYS)}")


BAR = 0.34  # each bar's height; the pair of an exchange sits 0.2 above and below its row


def plot_swaps(a: Analysis) -> Any:
    """One row per exchange, two bars from zero (the money, solid; the shares, light and hatched), each
    with its words at its end; the option's range across the reported prices as a whisker on both."""
    from alliancelib import charts

    t = a.texts
    rows = swaps(a)
    fig, ax = charts.figure(7.6, 1.6 + 1.15 * len(rows))
    span = max([s.high_eur_m or 0.0 for s in rows] + [100.0])
    ticks, labels = [], []
    for r, s in enumerate(rows):
        y = -1.25 * r
        ticks.append(y)
        labels.append(s.label)
        colour = charts.PALETTE[s.party]
        for dy, value, words, light in (
            (0.2, s.money_eur_m, s.money_words, False),
            (-0.2, s.shares_eur_m, s.shares_words, True),
        ):
            x = 0.0
            if value is not None:
                x = float(value)
                ax.barh(
                    y + dy,
                    x,
                    height=BAR,
                    color=colour,
                    alpha=0.3 if light else 0.9,
                    hatch="///" if light else None,
                    edgecolor=colour,
                    lw=0.8,
                )
                if s.low_eur_m is not None and s.high_eur_m is not None and s.high_eur_m > s.low_eur_m:
                    ax.plot([s.low_eur_m, s.high_eur_m], [y + dy] * 2, color="#333333", lw=1.2)
                    x = max(x, float(s.high_eur_m))
            kind = t["ledger_shares"] if light else t["ledger_money"]
            ax.text(
                x + span * 0.03,
                y + dy,
                charts.wrap(f"{kind}: {words}", 3.3, 8.5),
                va="center",
                ha="left",
                fontsize=8.5,
                color="#333333",
                style="normal" if value is not None else "italic",
            )
    ax.axvline(0, color="#333333", lw=0.9)
    ax.set_yticks(ticks, [charts.wrap(label, 2.0, 9) for label in labels], fontsize=9)
    for tick, s in zip(ax.get_yticklabels(), rows, strict=True):
        tick.set_color(charts.PALETTE[s.party])
    ax.set_ylim(-1.25 * (len(rows) - 1) - 0.7, 0.7)
    ax.set_xlim(0, span * 2.6)
    ax.set_xticks([v for v in (0, 250, 500, 750) if v <= span * 1.1])
    charts.thousands(ax, "x")
    ax.grid(axis="y", visible=False)
    charts.style_axes(ax, title="", xlabel=t["ledger_xlabel"])
    fig.suptitle(
        charts.wrap(t["ledger_title"], 6.8, 12, bold=True), x=0.01, ha="left", fontsize=12, fontweight="bold"
    )
    ax.tick_params(axis="y", length=0)
    return fig
