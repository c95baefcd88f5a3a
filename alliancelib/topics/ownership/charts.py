"""The charts of notebook 01: the network of holdings on the chosen date, the history of Renault's
stake in Nissan, Renault's Nissan shares at their carrying value against their market values, and
the stake's weight in Renault at each date with both prices. Their titles, alt texts, source lines
and labels are the template's (``a.texts``, or a block rendered with the analysis's context)."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from alliancelib.core.prose import render
from alliancelib.core.words import money
from alliancelib.topics.ownership.holdings import TRUST
from alliancelib.topics.ownership.inputs import TRUST_SALE_DAYS
from alliancelib.topics.ownership.model import TOPIC

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

    from alliancelib.charts import Chart
    from alliancelib.topics.ownership.analysis import Analysis

KEYS = ("network", "history", "value", "weight")


# the parameters the main chart depends on: the what-if explorer (alliancelib.explore) redraws it only
# when one of them changes (tests/test_explorer.py checks that no other parameter changes it)
MAIN_CHART_PARAMS = ("as_of", "nissan_in_renault_pct")


def main_chart(a: Analysis) -> Chart:
    """The notebook's main chart (the ownership network), the first of :func:`figures`; the what-if
    explorer redraws it alone at every change."""
    return chart(a, "network")


def figures(a: Analysis) -> list[Chart]:
    """Every chart of notebook 01, in the order the notebook shows them."""
    return [chart(a, key) for key in KEYS]


def chart(a: Analysis, key: str) -> Chart:
    """One chart by its key, with its source line and alt text."""
    from alliancelib import charts

    t = a.texts
    if key == "network":
        return charts.Chart("network", plot_network(a), source=t["network_source"], alt=t["network_alt"])
    if key == "history":
        return charts.Chart("history", plot_history(a), source=t["history_source"], alt=t["history_alt"])
    if key == "value":
        return charts.Chart("value", plot_value(a), source=t["value_source"], alt=t["value_alt"])
    if key == "weight":
        return charts.Chart("weight", plot_weight(a), source=t["weight_source"], alt=t["weight_alt"])
    raise KeyError(f"no chart {key!r}; charts: {', '.join(KEYS)}")


NODE_XY = {
    "French state": (0.14, 0.93),
    "Renault": (0.30, 0.45),
    TRUST: (0.90, 0.93),
    "Nissan": (1.36, 0.45),
    "Mitsubishi Corporation": (0.26, 0.06),
    "Mitsubishi Motors": (1.36, 0.06),
}
NETWORK_XLIM, NETWORK_YLIM = (0.0, 1.6), (-0.04, 1.02)


def network_rows(snap: pd.DataFrame) -> pd.DataFrame:
    """The holdings the network draws (between the nodes it places)."""
    keep = snap["holder"].isin(NODE_XY) & snap["company"].isin(NODE_XY)
    return snap[keep].reset_index(drop=True)


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, width))


def arc_midpoint(xy0: tuple[float, float], xy1: tuple[float, float], rad: float) -> tuple[float, float]:
    """The middle of matplotlib's ``arc3`` curve from ``xy0`` to ``xy1`` (axes of equal aspect): the
    control point lies at ``rad x (dy, -dx)`` from the chord's middle, and the quadratic Bezier
    curve's middle halfway there.

    >>> arc_midpoint((0, 0), (1, 0), 0.2)  # left to right with rad > 0 bends below the chord
    (0.5, -0.1)
    """
    (x0, y0), (x1, y1) = xy0, xy1
    dx, dy = x1 - x0, y1 - y0
    return (round((x0 + x1) / 2 + 0.5 * rad * dy, 12), round((y0 + y1) / 2 - 0.5 * rad * dx, 12))


def plot_network(a: Analysis) -> Figure:
    """Companies, the French trust and the outside holders as nodes; one arrow per holding, each
    labelled on its own arc with a sentence ("Renault owns 17.05% of Nissan directly (15% of
    votes)"), dated where the figure is known only at an earlier date. The trust's shares go
    Renault -> trust (the economic rights) -> company (the shares, votes neutral). Each arrow and its
    label share a ``gid`` (``edge:holder->company``)."""
    import matplotlib as mpl
    from matplotlib.figure import Figure
    from matplotlib.patches import FancyArrowPatch

    from alliancelib import charts
    from alliancelib.topics.ownership.analysis import edge

    snap = a.snap
    rows = network_rows(snap)
    edges: list[tuple[str, str, str, str, bool]] = []  # (from, to, label, colour, dashed)
    has_trust = (rows["holding"] == "trust").any()
    for _, r in rows.iterrows():
        row = {str(k): x for k, x in r.items()}
        colour = charts.PALETTE.get(r["holder"], charts.PALETTE["outside"])
        if r["holding"] == "trust":
            edges.append(
                (
                    r["holder"],
                    TRUST,
                    render(TOPIC, "network_trust_edge", holder=r["holder"]),
                    colour,
                    True,
                )
            )
            edges.append(
                (TRUST, r["company"], render(TOPIC, "network_edge", edge=edge(row, True)), colour, False)
            )
        else:
            edges.append(
                (
                    r["holder"],
                    r["company"],
                    render(TOPIC, "network_edge", edge=edge(row, bool(has_trust))),
                    colour,
                    False,
                )
            )
    pairs = {(e[0], e[1]) for e in edges}
    nodes = list(dict.fromkeys(n for e in edges for n in e[:2]))
    with mpl.rc_context(charts.STYLE):  # type: ignore[arg-type]
        fig = Figure(figsize=(9.0, 6.4), layout="constrained")
        ax = fig.add_subplot()
        ax.set_xlim(*NETWORK_XLIM)
        ax.set_ylim(*NETWORK_YLIM)
        ax.set_aspect("equal")
        ax.set_axis_off()
        boxes = {}
        for name in nodes:
            x, y = NODE_XY[name]
            colour = charts.PALETTE.get(name, charts.PALETTE["outside"])
            trust = name == TRUST
            boxes[name] = ax.text(
                x,
                y,
                render(TOPIC, "network_trust_node") if trust else name,
                ha="center",
                va="center",
                fontsize=9 if trust else 10.5,
                fontweight="bold",
                color=charts.PALETTE["Renault"] if trust else "white",
                bbox={
                    "boxstyle": "round,pad=0.45",
                    "fc": "white" if trust else colour,
                    "ec": charts.PALETTE["Renault"] if trust else "none",
                    "lw": 1.6,
                },
                zorder=4,
            )
        for start, end, label, colour, dashed in edges:
            rad = 0.22 if (end, start) in pairs else 0.0
            if (start, end) == ("Renault", TRUST):
                rad = -0.3  # bend away from the Nissan -> Renault arc, which ends at the same corner
            xy0, xy1 = NODE_XY[start], NODE_XY[end]
            gid = f"edge:{start}->{end}"
            arrow = FancyArrowPatch(
                xy0,
                xy1,
                connectionstyle=f"arc3,rad={rad}",
                arrowstyle="-|>",
                mutation_scale=16,
                lw=1.8,
                color=colour,
                linestyle="--" if dashed else "-",
                patchA=boxes[start].get_bbox_patch(),
                patchB=boxes[end].get_bbox_patch(),
                shrinkA=4,
                shrinkB=4,
                zorder=2,
                gid=gid,
            )
            ax.add_patch(arrow)
            mx, my = arc_midpoint(xy0, xy1, rad)
            vertical = abs(xy1[0] - xy0[0]) < 1e-9
            width = 24 if vertical or start == "French state" else 26 if TRUST in (start, end) else 34
            text = ax.text(
                mx,
                my,
                _wrap(label, width),
                ha="center",
                va="center",
                fontsize=8,
                color="#1a1a1a",
                linespacing=1.15,
                bbox={"boxstyle": "round,pad=0.3", "fc": "white", "ec": colour, "lw": 0.8},
                zorder=3,
                gid=gid,
            )
            text.set_in_layout(False)
        ax.set_title(
            charts.wrap(a.texts["network_title"], 8.6, 12, bold=True),
            loc="left",
            fontsize=12,
            fontweight="bold",
        )
    return fig


def plot_history(a: Analysis) -> Figure:
    """Renault's stake in Nissan: the two early figures as points (no dated figure between 2002
    and 2023), the 2023-2025 zoom with direct and trust stakes stacked, the votes Renault directs
    as a contrasting line and the three trust sales annotated; Nissan's stake in Renault in its
    own small panel."""
    import matplotlib as mpl
    from matplotlib import dates as mdates
    from matplotlib.figure import Figure

    from alliancelib import charts

    hist, ctx = a.history, a.context
    gold, red = charts.PALETTE["Renault"], charts.PALETTE["Nissan"]
    light = "#ecd58c"
    ink = "#1a1a1a"

    def day(x: Any) -> float:
        return float(mdates.date2num(pd.Timestamp(x)))

    confirm = day("2025-08-26")  # Reuters: still 35.7% (Japan News, 2025-08-27)
    end = day("2026-02-28")
    with mpl.rc_context(charts.STYLE):  # type: ignore[arg-type]
        fig = Figure(figsize=(9.4, 6.6), layout="constrained")
        axd = fig.subplot_mosaic(
            [["early", "zoom"], [".", "nissan"]], width_ratios=[1.0, 4.6], height_ratios=[3.2, 1.25]
        )
        early, zoom, nis = axd["early"], axd["zoom"], axd["nissan"]
        # early figures: points only
        pts = hist[hist["dated"] == "at"]
        before = pts[pts["date"] < pd.Timestamp("2023-01-01")]
        early.scatter([day(x) for x in before["date"]], before["economic_pct"], color=gold, s=46, zorder=3)
        for i, (_, r) in enumerate(before.iterrows()):
            early.annotate(  # the URD gives the second for 1999-2002: "by" it
                render(TOPIC, "history_label__early", pct=r["economic_pct"], as_of=r["as_of"], first=i == 0),
                (day(r["date"]), r["economic_pct"]),
                xytext=(0, 8),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=8.5,
            )
        early.set_xlim(day("1998-01-01"), day("2003-12-31"))
        early.set_ylim(0, 50)
        early.set_xticks([day("1999-01-01"), day("2002-01-01")], ["1999", "2002"])
        early.text(
            0.5,
            0.45,
            render(TOPIC, "history_label__gap"),
            transform=early.transAxes,
            ha="center",
            va="center",
            fontsize=8.5,
            color="#555555",
            style="italic",
        )
        early.set_ylabel(render(TOPIC, "history_label__ylabel"))
        charts.thousands(early, "y", suffix="%")
        early.set_title(render(TOPIC, "history_label__before"), loc="left", fontsize=10, fontweight="bold")
        # the zoom
        pre = pts[pts["date"] >= pd.Timestamp("2023-01-01")]
        steps = hist[hist["dated"] == "from"]
        xs = [day(x) for x in steps["date"]] + [confirm]
        direct = list(steps["ownership_direct_pct"]) + [steps["ownership_direct_pct"].iloc[-1]]
        total = list(steps["economic_pct"]) + [steps["economic_pct"].iloc[-1]]
        zoom.fill_between(xs, 0, direct, step="post", color=gold, alpha=0.95, lw=0, zorder=2)
        zoom.fill_between(xs, direct, total, step="post", color=light, lw=0, zorder=2)
        zoom.step(xs, total, where="post", color=gold, lw=1.2, zorder=3)
        votes = steps["voting_exercisable_pct"].iloc[-1]
        zoom.plot([xs[0], confirm], [votes, votes], color=ink, lw=2.0, ls=(0, (4, 2)), zorder=4)
        zoom.scatter(
            [day(x) for x in pre["date"]], pre["economic_pct"], color=gold, s=46, zorder=4, edgecolor="white"
        )
        zoom.annotate(
            render(TOPIC, "history_label__pre", pct=pre["economic_pct"].iloc[0]),
            (day(pre["date"].iloc[0]), pre["economic_pct"].iloc[0]),
            xytext=(4, 9),
            textcoords="offset points",
            ha="left",
            va="bottom",
            fontsize=8.5,
        )
        zoom.text(
            day("2025-01-15"),
            7.0,
            render(TOPIC, "history_label__direct"),
            ha="center",
            va="center",
            fontsize=8.5,
            color=ink,
        )
        zoom.text(
            day("2025-01-15"),
            25.0,
            render(TOPIC, "history_label__trust"),
            ha="center",
            va="center",
            fontsize=8.5,
            color=ink,
        )
        zoom.annotate(
            render(TOPIC, "history_label__votes", votes=votes),
            (confirm, votes),
            xytext=(6, -2),
            textcoords="offset points",
            ha="left",
            va="center",
            fontsize=8.5,
            color=ink,
            fontweight="bold",
        )
        last = steps.iloc[-1]
        zoom.annotate(
            render(TOPIC, "history_label__last", pct=last["economic_pct"]),
            (confirm, last["economic_pct"]),
            xytext=(6, 0),
            textcoords="offset points",
            ha="left",
            va="center",
            fontsize=8.5,
            color=ink,
        )
        sold = {
            day: render(TOPIC, f"history_label__sale{k}", shares_m=a.facts[fid] / 1e6)
            for k, (day, fid) in enumerate(
                zip(
                    TRUST_SALE_DAYS,
                    ("trust_sale1_shares", "trust_sale2_shares_renault", "trust_sale3_shares"),
                    strict=True,
                ),
                1,
            )
        }
        for when, label in sold.items():
            y = float(hist.set_index("as_of").at[when, "economic_pct"])  # type: ignore[arg-type]
            zoom.annotate(
                label,
                (day(when), y),
                xytext=(4, -4),
                textcoords="offset points",
                ha="left",
                va="top",
                fontsize=7.5,
                color="#333333",
            )
        zoom.set_xlim(day("2023-09-01"), end)
        zoom.set_ylim(0, 50)
        charts.thousands(zoom, "y", suffix="%")
        zoom.set_title(
            render(TOPIC, "history_label__since", **ctx), loc="left", fontsize=10, fontweight="bold"
        )
        # Nissan in Renault
        f = a.facts
        nis.plot([day("2023-11-08"), day("2025-06-17")], [15, 15], color=red, lw=2.2)
        nis.scatter(
            [day("2025-03-31")],
            [f["nissan_in_renault_pct_netdenjd"]],
            color=red,
            s=26,
            zorder=3,
            marker="D",
        )
        nis.annotate(
            render(TOPIC, "history_label__one_source", **ctx),
            (day("2025-03-31"), f["nissan_in_renault_pct_netdenjd"]),
            xytext=(-8, 6),
            textcoords="offset points",
            ha="right",
            va="bottom",
            fontsize=8,
        )
        nis.annotate(
            render(TOPIC, "history_label__nissan", **ctx),
            (day("2025-06-17"), 15),
            xytext=(6, 0),
            textcoords="offset points",
            ha="left",
            va="center",
            fontsize=8.5,
            color=red,
        )
        nis.set_xlim(day("2023-09-01"), end)
        nis.set_ylim(0, 25)
        nis.set_yticks([0, 15])
        charts.thousands(nis, "y", suffix="%")
        nis.set_title(
            render(TOPIC, "history_label__nissan_title", **ctx),
            loc="left",
            fontsize=10,
            fontweight="bold",
        )
        for ax in (early, zoom, nis):
            ax.spines["top"].set_visible(False)
            ax.spines["right"].set_visible(False)
            ax.grid(True, axis="y", color="#e3e3e3", lw=0.8)
            ax.grid(False, axis="x")
        for ax in (zoom, nis):
            ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 7)))
            ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
        fig.suptitle(
            charts.wrap(a.texts["history_title"], 9.0, 12, bold=True),
            x=0.01,
            ha="left",
            fontsize=12,
            fontweight="bold",
        )
    return fig


def value_bars(ctx: Mapping[str, Any]) -> list[tuple[str, float, str]]:
    """The value chart's bars (label, EUR bn, colour): Renault's Nissan shares at their carrying value
    of the end of 2024, then at market at each date with both prices; what the chart draws and its alt
    text lists. Every bar is a value of the same shares (a stock), none a flow."""
    from alliancelib import charts

    v = ctx["v"]
    bars = [
        (
            render(TOPIC, "value_bar__carrying", **ctx),
            float(v["renault_stake_carrying_value_eur_bn"]),
            charts.PALETTE["muted"],
        )
    ]
    for w in ctx["weight_rows"]:
        bars.append(
            (
                render(TOPIC, "value_bar__market", **{**ctx, "w": w}),
                float(w["stake_eur_bn"]),
                charts.PALETTE["Renault"],
            )
        )
    return bars


def plot_value(a: Analysis) -> Figure:
    """Renault's Nissan shares valued four ways (EUR bn): at the carrying value of the end of 2024,
    then at market on each date with both prices; the gap between the two is labelled with the
    reported non-cash loss it lies behind."""
    import matplotlib as mpl
    from matplotlib.figure import Figure

    from alliancelib import charts

    bars = value_bars(a.context)
    with mpl.rc_context(charts.STYLE):  # type: ignore[arg-type]
        fig = Figure(figsize=(8.6, 4.6), layout="constrained")
        ax = fig.add_subplot()
        ys = [float(y) for y in range(len(bars))][::-1]
        for (_label, value, colour), y in zip(bars, ys, strict=True):
            ax.barh(y, value, color=colour, height=0.62, zorder=2)
            ax.text(value, y, "  " + money(value, "EUR bn", 1), va="center", ha="left", fontsize=10)
        carrying, top_market = bars[0][1], max(b[1] for b in bars[1:])
        y_gap = (ys[0] + ys[1]) / 2
        ax.annotate(
            "",
            xy=(top_market, y_gap),
            xytext=(carrying, y_gap),
            arrowprops={"arrowstyle": "<->", "color": "#5a5a5a", "lw": 1.2},
            zorder=3,
        )
        ax.text(
            carrying,
            y_gap - 0.08,
            render(TOPIC, "value_gap_label", **a.context),
            ha="right",
            va="top",
            fontsize=9,
            color="#1a1a1a",
            zorder=4,
            bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.9},
        )
        ax.set_yticks(ys, [b[0] for b in bars], fontsize=9)
        ax.set_xlim(0, carrying * 1.2)
        ax.set_ylim(min(ys) - 0.6, max(ys) + 0.6)
        charts.thousands(ax, "x", decimals=0)
        charts.style_axes(ax, title="", xlabel=render(TOPIC, "value_label__xlabel", **a.context))
        ax.grid(True, axis="x")
        ax.grid(False, axis="y")
        fig.suptitle(
            charts.wrap(a.texts["value_title"], 8.4, 12, bold=True),
            x=0.01,
            ha="left",
            fontsize=12,
            fontweight="bold",
        )
    return fig


def plot_weight(a: Analysis) -> Figure:
    """Renault's market value against what its Nissan stake (and, where the research gives it, its
    net cash) was worth, one pair of bars a date with both prices (EUR bn): the grey bar Renault's
    market value at the middle of the day's quotes (a thin line between the two quotes where there
    are two), the coloured bar the stake, with the end-2025 net cash stacked on it at the latest date.
    Each bar is labelled directly; the stake's share of Renault's value stands on its bar."""
    import matplotlib as mpl
    from matplotlib.figure import Figure

    from alliancelib import charts

    rows = a.context["weight_rows"]
    net_cash = float(a.context["f"]["renault_fy2025_net_cash_eur_bn"])
    stake_colour, cash_colour, grey = charts.PALETTE["Renault"], charts.PALETTE["accent"], "#b5b5b5"
    width = 0.36
    with mpl.rc_context(charts.STYLE):  # type: ignore[arg-type]
        fig = Figure(figsize=(7.2, 4.8), layout="constrained")
        ax = fig.add_subplot()
        top = max(max(w["renault_eur_bn"] for w in rows), max(w["stake_eur_bn"] for w in rows) + net_cash)
        for x, w in enumerate(rows):
            xr, xs = x - width / 2 - 0.04, x + width / 2 + 0.04
            ax.bar(xr, w["renault_eur_bn"], width, color=grey, zorder=2)
            low_eur = w["renault_eur_bn"] * w["renault_low"] / ((w["renault_low"] + w["renault_high"]) / 2)
            high_eur = w["renault_eur_bn"] * w["renault_high"] / ((w["renault_low"] + w["renault_high"]) / 2)
            if not w["one_quote"]:
                ax.plot([xr, xr], [low_eur, high_eur], color="#1a1a1a", lw=1.2, zorder=3)
            ax.text(
                xr,
                high_eur + top * 0.015,
                render(TOPIC, "weight_bar__renault", w=w),
                ha="center",
                va="bottom",
                fontsize=8.5,
            )
            ax.bar(xs, w["stake_eur_bn"], width, color=stake_colour, zorder=2)
            ax.text(
                xs,
                w["stake_eur_bn"] / 2,
                render(TOPIC, "weight_label", w=w),
                ha="center",
                va="center",
                fontsize=8.5,
                color="#1a1a1a",
                zorder=4,
            )
            stack = w["stake_eur_bn"]
            if w["stub"] is not None:
                ax.bar(xs, net_cash, width, bottom=stack, color=cash_colour, zorder=2)
                ax.text(
                    xs,
                    stack + net_cash / 2,
                    render(TOPIC, "weight_bar__cash", f=a.context["f"]),
                    ha="center",
                    va="center",
                    fontsize=8.5,
                    color="white",
                    zorder=4,
                )
                stack += net_cash
            ax.text(
                xs,
                stack + top * 0.015,
                render(TOPIC, "weight_bar__stake", w=w, total=stack),
                ha="center",
                va="bottom",
                fontsize=8.5,
            )
        ax.set_xticks(range(len(rows)), [render(TOPIC, "weight_tick", w=w) for w in rows], fontsize=9)
        ax.set_xlim(-0.6, len(rows) - 0.4)
        ax.set_ylim(0, top * 1.22)
        charts.style_axes(ax, title="", ylabel=render(TOPIC, "weight_ylabel"))
        ax.grid(True, axis="y")
        ax.grid(False, axis="x")
        fig.suptitle(
            charts.wrap(a.texts["weight_title"], 7.0, 12, bold=True),
            x=0.01,
            ha="left",
            fontsize=12,
            fontweight="bold",
        )
    return fig
