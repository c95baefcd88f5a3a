"""The charts of notebook 00: the dollar story (the ECB EUR/USD rate with the article's implied rate,
the jump after the article and the Twingo's premiere) and the timeline 2023-2026 (with a lane for the
people and the context). Their titles, alt texts, source lines and labels are the template's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from alliancelib.core.prose import render
from alliancelib.topics.claims.inputs import ANNOUNCEMENT
from alliancelib.topics.claims.model import TOPIC, _day
from alliancelib.topics.claims.tables import topic_words

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from alliancelib.charts import Chart
    from alliancelib.topics.claims.analysis import Analysis

KEYS = ("fx", "timeline")

# the parameters the main chart depends on: the what-if explorer (alliancelib.explorer) redraws it only
# when one of them changes (tests/test_explorer.py checks that no other parameter changes it)
MAIN_CHART_PARAMS = ("reference_date",)


def say(a: Analysis, block: str, **extra: Any) -> str:
    """A chart's words: a block of the template with the analysis's context."""
    return render(TOPIC, block, **{**a.context, **extra})


def main_chart(a: Analysis) -> Chart:
    """The notebook's main chart (the dollar story), the first of :func:`figures`; the what-if explorer
    redraws it alone at every change."""
    return chart(a, "fx")


def figures(a: Analysis) -> list[Chart]:
    """Every chart of notebook 00, drawn from the analysis: the dollar story and the timeline."""
    return [chart(a, key) for key in KEYS]


def chart(a: Analysis, key: str) -> Chart:
    """One chart by its key (``fx`` or ``timeline``), with its source line and alt text."""
    from alliancelib import charts

    if key == "fx":
        return charts.Chart("fx", plot_fx_story(a), source=say(a, "fx_source"), alt=say(a, "fx_alt"))
    if key == "timeline":
        source = say(a, "timeline_source")
        return charts.Chart("timeline", plot_timeline(a, source=source), source=source, alt=timeline_alt(a))
    raise KeyError(f"no chart {key!r}; charts: {', '.join(KEYS)}")


def timeline_alt(a: Analysis) -> str:
    """The timeline's alt text: its key events, dated."""
    tl = a.timeline
    keys = tl[tl["label"] != ""]
    listed = [
        say(a, "timeline_key", date=str(d), label=lab)
        for d, lab in zip(keys["date"], keys["label"], strict=True)
    ]
    return say(a, "timeline_alt", key_events=listed)


def _note(ax: Any, text: str, xy: tuple[Any, float], xytext: tuple[Any, float], ha: str = "left") -> None:
    """A note placed at data coordinates ``xytext``, joined to ``xy`` by a thin grey line."""
    ax.annotate(
        text,
        xy,
        xytext=xytext,
        textcoords="data",
        ha=ha,
        va="center",
        fontsize=8.5,
        color="#333333",
        arrowprops={"arrowstyle": "-", "color": "#777777", "lw": 0.8, "shrinkA": 2, "shrinkB": 3},
    )


def _month_axis(ax: Any, months: int = 3) -> None:
    import matplotlib.dates as mdates

    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=range(1, 13, months)))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))


def plot_fx_story(a: Analysis) -> Figure:
    """The ECB EUR/USD rate over 2025-2026 with the article's implied rate, the jump after 2 April
    2025 and the Twingo's premiere annotated (one message: the dollar figures dated fast)."""
    from alliancelib import charts

    v, f = a.values, a.facts
    usd = a.usd[a.usd["date"] >= pd.Timestamp("2025-01-01")]
    fig, ax = charts.figure(8.6, 4.4)
    ax.plot(usd["date"], usd["rate_per_eur"], color=charts.PALETTE["accent"], linewidth=1.4)
    implied = (float(v["article_implied_eur_usd_twingo"]) + float(v["article_implied_eur_usd_ampere"])) / 2
    red = charts.PALETTE["Nissan"]
    ax.axhline(implied, color=red, linestyle="--", linewidth=1.0)
    start, end = usd["date"].iloc[0], usd["date"].iloc[-1]
    ax.set_xlim(start, end + pd.Timedelta(days=10))
    ax.set_ylim(1.0, 1.23)
    ax.annotate(
        say(a, "fx_article_rate"),
        (end, implied),
        xytext=(-2, 3),
        textcoords="offset points",
        ha="right",
        va="bottom",
        fontsize=8.5,
        color=red,
    )
    ann = f["fixing"]
    day = pd.Timestamp(ann.fixing_date)
    dots = [
        (day, ann.rate_per_eur),
        (pd.Timestamp(f["jump_from"]), f["jump_rate"]),
        (pd.Timestamp(f["jump_to"]), f["jump_to_rate"]),
        (pd.Timestamp(f["premiere_date"]), f["premiere_rate"]),
    ]
    ax.plot(
        [d for d, _ in dots],
        [r for _, r in dots],
        marker="o",
        linestyle="none",
        color="#333333",
        markersize=4,
        zorder=3,
    )
    _note(ax, say(a, "fx_note_announcement"), (day, ann.rate_per_eur), (day + pd.Timedelta(days=20), 1.03))
    _note(
        ax,
        say(a, "fx_note_jump"),
        (pd.Timestamp(f["jump_to"]), f["jump_to_rate"]),
        (start + pd.Timedelta(days=12), 1.175),
    )
    prem = pd.Timestamp(f["premiere_date"])
    _note(ax, say(a, "fx_note_premiere"), (prem, f["premiere_rate"]), (prem + pd.Timedelta(days=25), 1.111))
    charts.thousands(ax, "y", decimals=2)
    _month_axis(ax)
    charts.style_axes(ax, title=say(a, "fx_title"), xlabel="", ylabel=say(a, "fx_ylabel"))
    ax.tick_params(axis="x", labelsize=8.5)
    return fig


LANES = ("context", "india", "ev", "ampere", "alliance")
LABEL_COLOURS = {"alliance": "#8a6500"}  # Renault's gold, darkened so that text on white stays readable


def _lane_colours() -> dict[str, str]:
    from alliancelib import charts

    return {
        "alliance": charts.PALETTE["Renault"],
        "ampere": charts.PALETTE["accent"],
        "ev": "#2e8b57",
        "india": charts.PALETTE["Nissan"],
        "context": "#6a4c93",
    }


def plot_timeline(a: Analysis, source: str = "") -> Figure:
    """FT-style timeline strip: one lane per topic, grey dots for the minor events, the key events
    in the lane's colour with short direct labels (placed so that none overlaps another), plans as
    open circles, the announcement and the news date marked."""
    from alliancelib import charts

    tl = a.timeline
    fig, ax = charts.figure(9.6, 5.6)
    colours = _lane_colours()
    lane_y = {t: i for i, t in enumerate(LANES)}
    grey = "#b5b5b5"
    for _, ev in tl.iterrows():
        y = lane_y[ev["topic"]]
        key = bool(ev["label"])
        colour = colours[ev["topic"]] if key else grey
        size, z = (46, 4) if key else (18, 3)
        if ev["is_plan"]:
            ax.scatter([ev["day"]], [y], s=size, facecolor="white", edgecolor=colour, linewidth=1.2, zorder=z)
        else:
            ax.scatter([ev["day"]], [y], s=size, color=colour, edgecolor="white", linewidth=0.5, zorder=z)
    announcement = pd.Timestamp(ANNOUNCEMENT)
    news = pd.Timestamp(_day(a.news_as_of))
    ax.axvline(announcement, color="#333333", linestyle="--", linewidth=1)
    end = max(pd.Timestamp("2026-09-30"), news + pd.Timedelta(days=40))
    ax.axvspan(news, end, color="#f0f0f0", zorder=0)
    ax.set_xlim(pd.Timestamp("2022-12-15"), end)
    ax.set_ylim(-0.7, len(LANES) - 0.2)
    ax.set_yticks(range(len(LANES)), [charts.wrap(topic_words(t), 1.3, 9) for t in LANES])
    ax.grid(axis="y", visible=False)
    ax.text(
        announcement,
        len(LANES) - 0.35,
        " " + say(a, "timeline_announcement"),
        fontsize=8.5,
        va="center",
        ha="left",
        color="#333333",
    )
    ax.text(
        end - pd.Timedelta(days=5),
        -0.5,
        say(a, "timeline_after_news"),
        fontsize=7.5,
        va="center",
        ha="right",
        color="#666666",
    )
    _month_axis(ax, 6)
    charts.style_axes(ax, title=say(a, "timeline_title"), xlabel="", ylabel="")
    ax.grid(axis="y", visible=False)
    if source:
        charts.add_source(fig, source)  # before the labels: the source line changes the layout
    _place_labels(ax, tl, lane_y, colours)
    return fig


def _place_labels(ax: Any, tl: pd.DataFrame, lane_y: Mapping[str, int], colours: Mapping[str, str]) -> None:
    """Direct labels for the key events: each tried above, then below its dot, at growing offsets,
    and kept where its drawn box overlaps no label, tick label or title already placed and stays
    inside the axes."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = ax.figure
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    box_ax = ax.get_window_extent(renderer)
    taken = [t.get_window_extent(renderer) for t in ax.texts]
    keys = tl[tl["label"] != ""]
    for _, ev in keys.iterrows():
        y = lane_y[ev["topic"]]
        placed = None
        for dy in (11, -11, 20, -20):
            for dx, ha in ((0, "center"), (4, "left"), (-4, "right")):
                text = ax.annotate(
                    ev["label"],
                    (ev["day"], y),
                    xytext=(dx, dy),
                    textcoords="offset points",
                    ha=ha,
                    va="bottom" if dy > 0 else "top",
                    fontsize=8,
                    color=LABEL_COLOURS.get(ev["topic"], colours[ev["topic"]]),
                )
                box = text.get_window_extent(renderer)
                inside = (
                    box.x0 >= box_ax.x0
                    and box.x1 <= box_ax.x1
                    and box.y0 >= box_ax.y0
                    and box.y1 <= box_ax.y1
                )
                if inside and not any(box.overlaps(o) for o in taken):
                    placed = box
                    break
                text.remove()
            if placed is not None:
                break
        if placed is None:
            raise ValueError(f"no room for the label {ev['label']!r} on the timeline")
        taken.append(placed)
