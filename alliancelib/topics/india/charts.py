"""The charts of notebook 02: RNAIPL's ownership, the plant's capacity against its output (the main
chart), the fixed cost per vehicle, the heat map of utilisation and the range chart. Their titles,
alt texts, source lines and labels are the template's (``a.texts``); the numbers on them are written
with :mod:`alliancelib.core.words`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from alliancelib.core.prose import render
from alliancelib.core.words import format_number, format_quantity
from alliancelib.topics.india.analysis import RANGE_CHART, half_up, thousand
from alliancelib.topics.india.model import RESULTS, TOPIC, fixed_cost_index, recorded_ranges

if TYPE_CHECKING:
    from alliancelib.charts import Chart
    from alliancelib.topics.india.analysis import Analysis

KEYS = ("ownership", "capacity", "cost", "heatmap", "ranges")

# the parameters the main chart depends on: the what-if explorer (alliancelib.explorer) redraws it only
# when one of them changes (tests/test_explorer.py checks that no other parameter changes it)
MAIN_CHART_PARAMS = (
    "capacity_units",
    "base_volume_units",
    "new_models",
    "units_per_new_model",
    "nissan_new_models",
)


def main_chart(a: Analysis) -> Chart:
    """The notebook's main chart (the plant's capacity against its output, before and after the new
    models); the first chart, RNAIPL's ownership history, moves with no parameter. The what-if explorer
    redraws it alone at every change."""
    return chart(a, "capacity")


def figures(a: Analysis) -> list[Chart]:
    """Every chart of notebook 02, in the order the notebook shows them."""
    return [chart(a, key) for key in KEYS]


def chart(a: Analysis, key: str) -> Chart:
    """One chart by its key, with its source line and alt text."""
    from alliancelib import charts

    t = a.texts
    draw = {
        "ownership": lambda: plot_ownership(a),
        "capacity": lambda: plot_capacity(a),
        "cost": lambda: plot_fixed_cost(a),
        "heatmap": lambda: plot_heatmap(a),
        "ranges": lambda: plot_ranges(a),
    }
    if key not in draw:
        raise KeyError(f"no chart {key!r}; charts: {', '.join(KEYS)}")
    return charts.Chart(key, draw[key](), source=t[f"{key}_source"], alt=t[f"{key}_alt"])


def vehicles(value: float) -> str:
    """A number of vehicles on a chart, rounded to the thousand.

    >>> vehicles(148_876)
    '149,000'
    """
    return format_number(thousand(value))


def whole_pct(value: float) -> str:
    """A percentage on a chart, whole, halves up.

    >>> whole_pct(64.5), whole_pct(33.25)
    ('65%', '33%')
    """
    return format_number(half_up(value)) + "%"


def _chart_fmt(spec: Any, value: float) -> str:
    """The range chart's numbers: vehicles without the unit (the row's label names them)."""
    if spec.unit == "vehicles/yr":
        return vehicles(value)
    return format_quantity(value, spec.unit, spec.decimals)


def plot_ranges(a: Analysis) -> Any:
    """The range chart of the results that move (the 90% range and the value set)."""
    from alliancelib.uncertainty import plot_ranges as draw

    recorded = recorded_ranges(a.assessment)
    ranged = [s for s in RESULTS if s.name in recorded and s.name in RANGE_CHART]
    return draw(a.assessment, ranged, fmt=_chart_fmt, title=a.texts["ranges_title"], recorded=recorded)


def plot_ownership(a: Analysis) -> Any:
    """Three 100% bars: who owned RNAIPL in 2010, from 2023 and since August 2025."""
    from alliancelib import charts

    own: pd.DataFrame = a.tables["ownership"]
    t = a.texts
    fig, ax = charts.figure(8.0, 4.2)
    ends = [str(own["as_of"].iloc[0]), str(own["as_of"].iloc[1]), str(own["as_of"].iloc[-1])]
    labels = dict(
        zip(
            ends,
            (t["ownership_label_first"], t["ownership_label_mid"], t["ownership_label_last"]),
            strict=True,
        )
    )
    xs = np.arange(len(own))
    renault, nissan = own["renault_pct"].to_numpy(float), own["nissan_pct"].to_numpy(float)
    ax.bar(xs, renault, width=0.55, color=charts.PALETTE["Renault"])
    ax.bar(xs, nissan, width=0.55, bottom=renault, color=charts.PALETTE["Nissan"])
    for x, r, n in zip(xs, renault, nissan, strict=True):
        ax.text(
            x,
            r / 2,
            render(TOPIC, "ownership_bar", party="Renault", share=r),
            ha="center",
            va="center",
            fontsize=9,
            color="#1a1a1a",
            fontweight="bold",
        )
        if n > 0:
            ax.text(
                x,
                r + n / 2,
                render(TOPIC, "ownership_bar", party="Nissan", share=n),
                ha="center",
                va="center",
                fontsize=9,
                color="white",
                fontweight="bold",
            )
    ax.set_xticks(xs, [labels.get(str(d), str(d)) for d in own["as_of"]])
    ax.set_ylim(0, 100)
    ax.set_xlim(-0.6, len(own) - 0.4)
    charts.thousands(ax, "y", suffix="%")
    charts.style_axes(ax, title=t["ownership_title"], ylabel=t["ownership_ylabel"])
    ax.grid(axis="x", visible=False)
    return fig


def plot_capacity(a: Analysis) -> Any:
    """Bullet chart: the two capacities as background bands, output measures in front."""
    from alliancelib import charts

    rows = a.facts["output_rows"]
    low, high = a.facts["capacity_low"], a.facts["capacity_high"]
    fig, ax = charts.figure(8.4, 4.4)
    ys = np.arange(len(rows))[::-1]
    for y in ys:
        ax.barh(y, high, height=0.72, color="#ececec", zorder=1)
        ax.barh(y, low, height=0.72, color="#d6d6d6", zorder=1)
    colours = [charts.PALETTE["muted"]] * (len(rows) - 2)
    colours += [charts.PALETTE["Renault"], charts.PALETTE["accent"]]
    ax.barh(ys, rows["units"], height=0.3, color=colours, zorder=2)
    for y, units in zip(ys, rows["units"], strict=True):
        ax.text(
            units + 6_000, y, vehicles(units), va="center", ha="left", fontsize=8.5, color="#1a1a1a", zorder=3
        )
    ax.set_yticks(ys, [charts.wrap(t, 2.6, 8.5) for t in rows["label"]], fontsize=8.5)
    top = ys.max() + 0.5
    ax.text(
        low - 4_000, top, a.texts["capacity_band_low"], ha="right", va="bottom", fontsize=8, color="#555555"
    )
    ax.text(
        high - 4_000, top, a.texts["capacity_band_high"], ha="right", va="bottom", fontsize=8, color="#555555"
    )
    ax.set_ylim(-0.6, top + 1.0)
    ax.set_xlim(0, high * 1.02)
    charts.thousands(ax, "x")
    charts.style_axes(ax, title=a.texts["capacity_title"], xlabel=a.texts["capacity_xlabel"])
    ax.grid(axis="y", visible=False)
    ax.tick_params(axis="y", length=0)
    return fig


def plot_fixed_cost(a: Analysis) -> Any:
    """Fixed cost per vehicle (index, base = 100) against output, up to capacity (never past it)."""
    from alliancelib import charts

    p, v = a.p, a.values
    base, cap = float(p.base_volume_units), float(p.capacity_units)
    vol = float(v["volume_after_units"])
    start = max(base * 0.7, cap * 0.1)
    xs = np.linspace(start, cap, 400)
    fig, ax = charts.figure(8.0, 4.6)
    ax.plot(xs, fixed_cost_index(base, xs), color=charts.PALETTE["accent"], lw=2)
    ax.axvline(cap, color="#555555", lw=1, ls="--")
    top = float(fixed_cost_index(base, start))
    ax.set_xlim(start * 0.9, cap * 1.03)
    ax.set_ylim(0, top * 1.15)
    charts.thousands(ax, "x")
    t = a.texts
    charts.style_axes(ax, title=t["cost_title"], xlabel=t["cost_xlabel"], ylabel=t["cost_ylabel"])
    points = [(base, t["cost_point_today"], charts.PALETTE["Renault"])]
    if vol > base * 1.001:
        points.append((vol, t["cost_point_after"], charts.PALETTE["accent"]))
    target_vol = p.target_utilisation_pct / 100 * cap
    if all(abs(target_vol - x) > 0.02 * cap for x, *_ in points) and base < target_vol < cap:
        points.append((target_vol, t["cost_point_target"], "#555555"))
    capacity = ax.text(cap, top * 1.15, t["cost_capacity"], ha="right", va="top", fontsize=8, color="#555555")
    capacity.set_x(cap - (ax.get_xlim()[1] - ax.get_xlim()[0]) * 0.005)
    texts = [capacity]
    for x, name, colour in points:
        y = float(fixed_cost_index(base, x))
        ax.plot([x], [y], "o", color=colour, zorder=3)
        label = render(
            TOPIC,
            "cost_point_label",
            name=name,
            units_k=thousand(x),
            share_whole=half_up(x / cap * 100),
            index_whole=half_up(y),
        )
        texts.append(_place_beside(ax, (x, y), label, texts, cap, curve=lambda u: fixed_cost_index(base, u)))
    return fig


def _renderer(fig: Any) -> Any:
    """The figure's Agg renderer, laid out once (texts added later inside the axes do not move it)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    if not getattr(fig, "_india_laid_out", False):
        fig.draw_without_rendering()
        fig._india_laid_out = True
    return canvas.get_renderer()


def _place_beside(
    ax: Any, xy: tuple[float, float], label: str, others: Sequence[Any], right_limit: float, curve: Any = None
) -> Any:
    """A point's label beside it, clear of the falling curve (``curve(x)``: its height at x) and of
    the texts already placed: above-right of the point, else below-left, else further up or down on
    either side, until a place is found."""
    renderer = _renderer(ax.figure)
    boxes = [t.get_window_extent(renderer) for t in others]
    to_data = ax.transData.inverted().transform
    to_px = ax.transData.transform
    limit_px = to_px((right_limit, 0))[0] - 2
    frame = ax.get_window_extent(renderer)
    gap = 6
    candidates = [((gap, 2), "left", "bottom"), ((-gap, -2), "right", "top")]
    for k in range(1, 12):
        candidates += [
            ((gap, 2 + 14 * k), "left", "bottom"),
            ((-gap, 2 + 14 * k), "right", "bottom"),
            ((-gap, -2 - 14 * k), "right", "top"),
        ]

    def clear_of_curve(box: Any) -> bool:
        if curve is None:
            return True
        (x0, _), (x1, _) = to_data((box.x0, 0)), to_data((box.x1, 0))
        top_px = to_px((x0, curve(max(x0, 1e-9))))[1]  # the curve falls: highest at the box's left edge
        low_px = to_px((x1, curve(max(x1, 1e-9))))[1]
        return box.y0 >= top_px + 1 or box.y1 <= low_px - 1

    text = None
    for (dx, dy), ha, va in candidates:
        if text is not None:
            text.remove()
        text = ax.annotate(
            label, xy, xytext=(dx, dy), textcoords="offset points", ha=ha, va=va, fontsize=8, color="#333333"
        )
        box = text.get_window_extent(renderer)
        inside = box.x0 >= frame.x0 and box.x1 <= limit_px and box.y0 >= frame.y0 and box.y1 <= frame.y1
        if inside and not any(box.overlaps(b) for b in boxes) and clear_of_curve(box):
            return text
    return text


def plot_heatmap(a: Analysis) -> Any:
    """Utilisation by number of new models and vehicles per model; cells past capacity do not fit."""
    from matplotlib.colors import LinearSegmentedColormap
    from matplotlib.patches import Rectangle

    from alliancelib import charts

    p = a.p
    grid = a.grid
    models = np.sort(grid["models"].unique())
    pers = np.sort(grid["per_model"].unique())
    pivot = grid.pivot(index="models", columns="per_model", values="utilisation_pct")
    table = pivot.loc[models, pers].to_numpy()
    fits = table <= 100 + 1e-9
    shown = np.where(fits, table, np.nan)
    cmap = LinearSegmentedColormap.from_list("util", ["#f3f6f9", charts.PALETTE["accent"]]).with_extremes(
        bad="#ffffff"
    )
    fig, ax = charts.figure(8.0, 0.9 + 0.33 * len(models))
    ax.imshow(
        shown,
        origin="lower",
        aspect="auto",
        cmap=cmap,
        vmin=0,
        vmax=100,
        extent=(-0.5, len(pers) - 0.5, -0.5, len(models) - 0.5),
    )
    for i, _n in enumerate(models):
        for j, _q in enumerate(pers):
            if fits[i, j]:
                value = table[i, j]
                colour = "white" if value >= 55 else "#1a1a1a"
                weight = "bold" if value >= p.target_utilisation_pct - 1e-9 else "normal"
                ax.text(
                    j,
                    i,
                    whole_pct(value),
                    ha="center",
                    va="center",
                    fontsize=7.5,
                    color=colour,
                    fontweight=weight,
                )
            else:
                ax.add_patch(
                    Rectangle(
                        (j - 0.5, i - 0.5), 1, 1, facecolor="#f0f0f0", edgecolor="white", hatch="///", lw=0
                    )
                )
                ax.text(j, i, a.texts["heatmap_over"], ha="center", va="center", fontsize=7, color="#777777")
    added = p.new_models + p.nissan_new_models
    if added in set(models) and p.units_per_new_model in set(pers):
        i, j = list(models).index(added), list(pers).index(p.units_per_new_model)
        ax.add_patch(
            Rectangle((j - 0.5, i - 0.5), 1, 1, fill=False, edgecolor=charts.PALETTE["Renault"], lw=2.5)
        )
    ax.set_xticks(range(len(pers)), [format_number(int(q)) for q in pers])
    ax.set_yticks(range(len(models)), [str(int(n)) for n in models])
    ax.tick_params(length=0)
    for side in ("top", "right", "bottom", "left"):
        ax.spines[side].set_visible(False)
    charts.style_axes(
        ax, title=a.texts["heatmap_title"], xlabel=a.texts["heatmap_xlabel"], ylabel=a.texts["heatmap_ylabel"]
    )
    ax.grid(False)
    return fig
