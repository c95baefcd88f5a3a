"""The charts of notebook 03: the Twingo among Europe's small EVs, the cost of ownership in parts,
the tornado of assumptions and the map of the gap over distance and resale value. Their titles, alt
texts and source lines are the template's (``a.texts``)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from alliancelib.core.prose import render
from alliancelib.core.words import format_number
from alliancelib.params import plausible_of
from alliancelib.topics.pricing.model import COUNTRY, TOPIC, PricingParams
from alliancelib.topics.pricing.tables import KIND_WORDS

if TYPE_CHECKING:
    from alliancelib.charts import Chart
    from alliancelib.topics.pricing.analysis import Analysis

BLUE, RED = "#2166ac", "#b2182b"  # the Twingo cheaper / the Sandero cheaper, on every chart (RdBu's ends)
KEYS = ("segment", "parts", "tornado", "map")

# the parameters the main chart depends on: the what-if explorer (alliancelib.explorer) redraws it only
# when one of them changes (tests/test_explorer.py checks that no other parameter changes it)
MAIN_CHART_PARAMS = ("twingo_price_eur", "market", "range_km")


def label(key: str, **names: Any) -> str:
    """A chart's label, legend entry or annotation: the template's block ``chart__<key>``."""
    return render(TOPIC, f"chart__{key}", **names)


def main_chart(a: Analysis) -> Chart:
    """The notebook's main chart (the Twingo among Europe's small EVs, price against range), the first
    of :func:`figures`; the what-if explorer redraws it alone at every change."""
    return chart(a, "segment")


def figures(a: Analysis) -> list[Chart]:
    """Every chart of notebook 03, in the order the notebook shows them (no tornado where no
    uncertain input moves the gap)."""
    return [chart(a, key) for key in KEYS if key != "tornado" or len(a.tornado)]


def chart(a: Analysis, key: str) -> Chart:
    """One chart by its key, with its source line and alt text."""
    from alliancelib import charts

    draw = {
        "segment": plot_segment,
        "parts": plot_parts,
        "tornado": plot_tornado,
        "map": plot_grid,
    }
    if key not in draw:
        raise KeyError(f"no chart {key!r}; charts: {', '.join(KEYS)}")
    t = a.texts
    return charts.Chart(key, draw[key](a), alt=t[f"{key}_alt"], source=t[f"{key}_source"])


def _segment_label(row: Mapping[str, Any], market: str) -> str:
    if row["is_twingo"]:
        return label("twingo_point")
    name = str(row["pricing_car"]).replace("Volkswagen ", "VW ")
    if row["in_market"]:
        return name
    return label(
        "other_point",
        car=name,
        market_name=COUNTRY.get(row["market"], row["market"]),
        kind=KIND_WORDS[row["price_kind"]],
    )


def plot_segment(a: Analysis) -> Any:
    """Price against WLTP range for every small EV in the data, the Twingo starred, guide lines of
    equal price per km, the market's EVs filled and the others labelled with market and kind."""
    from alliancelib import charts

    seg = a.segment
    fig, ax = charts.figure(9.0, 6.0)
    fig.set_dpi(charts.DPI)  # labels are placed in pixels: at the resolution the chart is shown at
    x, y = seg["range_km"].astype(float), seg["price_eur"].astype(float)
    x_lo, x_hi = math.floor((x.min() - 25) / 50) * 50, math.ceil((x.max() + 30) / 50) * 50
    y_lo, y_hi = math.floor((y.min() - 1500) / 1000) * 1000, math.ceil((y.max() + 2500) / 1000) * 1000
    ax.set_xlim(x_lo, x_hi)
    ax.set_ylim(y_lo, y_hi)
    accent, gold = charts.PALETTE["accent"], charts.PALETTE["Renault"]
    # guide lines of equal price per km
    ratios = (y / x).to_numpy()
    levels = [lv for lv in range(20, 301, 20) if ratios.min() - 10 <= lv <= ratios.max() + 10]
    guides = []
    for level in levels:
        xs = np.linspace(x_lo, x_hi, 50)
        ax.plot(xs, level * xs, color="#c8c8c8", lw=0.9, ls=(0, (3, 3)), zorder=1)
        # the label where the line leaves the plot (the top edge or the right edge)
        x_end = min(x_hi, y_hi / level)
        guides.append((level, x_end, level * x_end))
    markers = {"list": "o", "target": "D", "estimate": "^", "promotion": "s"}
    for _, r in seg.iterrows():
        if r["is_twingo"]:
            continue
        filled = bool(r["in_market"])
        ax.scatter(
            r["range_km"],
            r["price_eur"],
            s=44,
            marker=markers.get(r["price_kind"], "o"),
            zorder=3,
            facecolor=accent if filled else "white",
            edgecolor=accent if filled else "#666666",
            linewidth=1.1,
        )
    tw = seg[seg["is_twingo"]].iloc[0]
    ax.scatter(
        tw["range_km"],
        tw["price_eur"],
        s=170,
        marker="*",
        color=gold,
        edgecolor="black",
        linewidth=0.8,
        zorder=4,
    )
    charts.thousands(ax, "y")
    charts.thousands(ax, "x")
    charts.style_axes(
        ax, title=a.texts["segment_title"], xlabel=label("segment_xlabel"), ylabel=label("segment_ylabel")
    )
    key = [
        ("o", accent, accent, label("segment_listed", country=a.market_name)),
        ("o", "white", "#666666", label("segment_other_markets")),
        ("D", "white", "#666666", label("segment_target")),
        ("s", "white", "#666666", label("segment_promotion")),
    ]
    handles = [ax.scatter([], [], marker=m, s=40, facecolor=fc, edgecolor=ec) for m, fc, ec, _ in key]
    handles.append(ax.scatter([], [], marker="*", s=120, color=gold, edgecolor="black"))
    legend = ax.legend(
        handles,
        [t for *_, t in key] + [label("segment_twingo")],
        loc="lower right",
        fontsize=8,
        handletextpad=0.3,
        borderaxespad=0.6,
    )
    charts.add_source(fig, a.texts["segment_source"])
    guide_texts = [(label("segment_guide", per_km_eur=lv), gx, gy) for lv, gx, gy in guides]
    points = [(float(r["range_km"]), float(r["price_eur"])) for _, r in seg.iterrows()]
    labels = [_segment_label({str(c): x for c, x in r.items()}, a.p.market) for _, r in seg.iterrows()]
    colours = [
        "black" if r["is_twingo"] else (accent if r["in_market"] else "#444444") for _, r in seg.iterrows()
    ]
    twingo, listed = seg["is_twingo"].tolist(), seg["in_market"].tolist()
    order = sorted(range(len(seg)), key=lambda i: (not twingo[i], not listed[i], i))
    place_labels(
        ax,
        points,
        labels,
        colours,
        order=order,
        guides=guide_texts,
        legend=legend,
        bold={int(np.flatnonzero(seg["is_twingo"].to_numpy())[0])},
    )
    return fig


RING_ANGLES = (0, 180, 45, 315, 135, 225, 90, 270, 20, 340, 160, 200, 65, 295, 115, 245)
RING_RADII = (7, 13, 20, 28, 38, 50, 64, 80)  # points from the marker


def _spot(
    at: tuple[float, float], radius: float, angle: float, w: float, h: float, scale: float
) -> tuple[float, float, str, str, Any]:
    """A candidate label position: its offset (points), alignment and box (pixels)."""
    from matplotlib.transforms import Bbox

    c, s = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    ha = "left" if c > 0.3 else "right" if c < -0.3 else "center"
    va = "bottom" if s > 0.3 else "top" if s < -0.3 else "center"
    x, y = at[0] + radius * c * scale, at[1] + radius * s * scale
    x0 = {"left": x, "right": x - w, "center": x - w / 2}[ha]
    y0 = {"bottom": y, "top": y - h, "center": y - h / 2}[va]
    return radius * c, radius * s, ha, va, Bbox.from_bounds(x0, y0, w, h)


def place_labels(
    ax: Any,
    points: Sequence[tuple[float, float]],
    labels: Sequence[str],
    colours: Sequence[str],
    *,
    order: Sequence[int],
    guides: Sequence[tuple[str, float, float]] = (),
    legend: Any = None,
    bold: set[int] | frozenset[int] = frozenset(),
    fontsize: float = 7.5,
) -> list[Any]:
    """Labels next to scatter points, none overlapping another label, a marker, the legend or a
    guide line's label, all inside the axes: for each point in ``order``, the first free spot among
    rings of positions around it (a thin leader line joins a label set further away)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.transforms import Bbox

    fig = ax.figure
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    fig.draw_without_rendering()  # the layout, as drawn, without painting a pixel
    renderer = canvas.get_renderer()
    box = ax.get_window_extent(renderer)
    px = [tuple(ax.transData.transform(pt)) for pt in points]
    taken: list[Any] = [Bbox.from_bounds(x - 6, y - 6, 12, 12) for x, y in px]  # the markers
    if legend is not None:
        taken.append(legend.get_window_extent(renderer))
    for text, gx, gy in guides:
        g = ax.annotate(
            text,
            (gx, gy),
            xytext=(-3, -3),
            textcoords="offset points",
            ha="right",
            va="top",
            fontsize=7,
            color="#8a8a8a",
            annotation_clip=False,
        )
        g.set_in_layout(False)
        taken.append(g.get_window_extent(renderer))

    def free(bb: Any, pad: float = 3.0) -> bool:
        inside = bb.x0 >= box.x0 + 4 and bb.x1 <= box.x1 - 4 and bb.y0 >= box.y0 + 4 and bb.y1 <= box.y1 - 4
        grown = Bbox.from_extents(bb.x0 - pad, bb.y0 - pad, bb.x1 + pad, bb.y1 + pad)
        return inside and not any(grown.overlaps(t) for t in taken)

    placed = []
    scale = fig.dpi / 72
    for i in order:
        style = {"fontsize": fontsize, "linespacing": 1.1, "fontweight": "bold" if i in bold else "normal"}
        probe = ax.annotate(
            labels[i], points[i], xytext=(0, 0), textcoords="offset points", ha="left", va="bottom", **style
        )
        size = probe.get_window_extent(renderer)
        probe.remove()
        spots = (
            _spot(px[i], r, ang, size.width, size.height, scale) + (r,)
            for r in RING_RADII
            for ang in RING_ANGLES
        )
        dx, dy, ha, va, _bb, radius = next(
            (sp for sp in spots if free(sp[4])), _spot(px[i], 7, 0, size.width, size.height, scale) + (7,)
        )
        ann = ax.annotate(
            labels[i],
            points[i],
            xytext=(dx, dy),
            textcoords="offset points",
            ha=ha,
            va=va,
            color=colours[i],
            annotation_clip=False,
            **style,
        )
        ann.set_in_layout(False)
        taken.append(ann.get_window_extent(renderer))
        if radius >= 13:
            _leader(ax, points[i], taken[-1], px[i])
        placed.append(ann)
    return placed


def _leader(ax: Any, point: tuple[float, float], bb: Any, at_px: tuple[float, float]) -> None:
    """A thin grey line from a point to the nearest edge of its label's box."""
    x = min(max(at_px[0], bb.x0), bb.x1)
    y = min(max(at_px[1], bb.y0), bb.y1)
    end = ax.transData.inverted().transform((x, y))
    dx, dy = x - at_px[0], y - at_px[1]
    length = math.hypot(dx, dy)
    if length < 8:
        return
    start = ax.transData.inverted().transform((at_px[0] + dx / length * 5, at_px[1] + dy / length * 5))
    ax.plot([start[0], end[0]], [start[1], end[1]], color="#9a9a9a", lw=0.6, zorder=2)


# --- the cost of ownership in parts
PART_COLOURS = {"purchase": "#1f5f8b", "energy": "#6f9cc3", "maintenance": "#b3cde3", "resale": "#d4a017"}


def plot_parts(a: Analysis) -> Any:
    """Each car's cost of ownership in its parts: the price less the incentive, energy and
    maintenance stacked to the right, the resale credit to the left, a diamond at the net cost."""
    from alliancelib import charts

    parts = a.cost_parts
    fig, ax = charts.figure(9.0, 3.9)
    cars = [("ice", label("parts_ice")), ("ev", label("parts_ev"))]
    names = {key: label(f"parts_legend__{key}") for key in ("purchase", "energy", "maintenance", "resale")}
    right_max = max(parts[c]["purchase"] + parts[c]["energy"] + parts[c]["maintenance"] for c, _ in cars)
    left_min = min(parts[c]["resale"] for c, _ in cars)
    span = right_max - left_min
    ax.set_xlim(left_min - 0.04 * span, right_max + 0.22 * span)
    ax.set_ylim(-0.7, 1.8)
    fig.draw_without_rendering()
    per_pt = (ax.get_xlim()[1] - ax.get_xlim()[0]) / (ax.get_window_extent().width * 72 / fig.dpi)
    for y, (car, _) in enumerate(cars):
        left = 0.0
        for name in ("purchase", "energy", "maintenance"):
            width = parts[car][name]
            ax.barh(
                y, width, left=left, height=0.55, color=PART_COLOURS[name], edgecolor="white", linewidth=0.8
            )
            fits = _inside(
                ax,
                left + width / 2,
                y,
                format_number(width, 0),
                width / per_pt,
                "white" if name == "purchase" else "#1a1a1a",
            )
            if not fits and name == "maintenance":
                # too narrow to hold its value: written just right of the bar, which it ends
                ax.annotate(
                    format_number(width, 0),
                    (left + width, y),
                    xytext=(4, 0),
                    textcoords="offset points",
                    ha="left",
                    va="center",
                    fontsize=7.5,
                    color="#1a1a1a",
                )
            left += width
        credit = parts[car]["resale"]
        ax.barh(
            y, credit, left=0, height=0.55, color=PART_COLOURS["resale"], edgecolor="white", linewidth=0.8
        )
        _inside(ax, credit / 2, y, format_number(credit, 0), abs(credit) / per_pt, "#1a1a1a")
        net = sum(parts[car].values())
        ax.barh(y - 0.4, net, left=0, height=0.13, color="black")
        ax.annotate(
            label("parts_net", net_eur=net),
            (net, y - 0.4),
            xytext=(6, 0),
            textcoords="offset points",
            va="center",
            ha="left",
            fontsize=9,
            fontweight="bold",
        )
    ax.axvline(0, color="#555555", lw=0.8)
    ax.set_yticks([0, 1], [label for _, label in cars])
    ax.tick_params(axis="y", length=0)
    charts.thousands(ax, "x")
    # the parts named once, above the Twingo's bar
    from matplotlib.patches import Patch

    handles = [Patch(color=PART_COLOURS[n]) for n in names]
    ax.legend(
        handles,
        list(names.values()),
        loc="upper center",
        ncol=4,
        fontsize=8,
        handlelength=1.2,
        columnspacing=1.2,
        bbox_to_anchor=(0.5, 1.0),
        borderaxespad=0.2,
    )
    charts.style_axes(
        ax, title=a.texts["parts_title"], xlabel=label("parts_xlabel", rate_words=a.context["rate_words"])
    )
    ax.grid(axis="y", visible=False)
    return fig


def _inside(ax: Any, x: float, y: float, text: str, width_pt: float, colour: str) -> bool:
    """A value written inside its bar segment, if it fits; whether it did."""
    if width_pt >= 7.5 * 0.62 * len(text) + 6:
        ax.text(x, y, text, ha="center", va="center", fontsize=7.5, color=colour)
        return True
    return False


# --- what decides it
def plot_tornado(a: Analysis) -> Any:
    """The TCO gap with each assumption at either end of its plausible range: blue where the
    Twingo is cheaper, red where the Sandero is; the gap as set and zero marked and named."""
    from alliancelib import charts

    t = a.tornado.iloc[::-1].reset_index(drop=True)
    centre = float(t.attrs.get("centre", a.values["tco_gap_eur"]))
    fig, ax = charts.figure(9.0, 1.6 + 0.46 * len(t))
    lo_all = min(t["gap_low"].min(), t["gap_high"].min(), 0.0, centre)
    hi_all = max(t["gap_low"].max(), t["gap_high"].max(), 0.0, centre)
    span = hi_all - lo_all or 1.0
    ax.set_xlim(lo_all - 0.16 * span, hi_all + 0.16 * span)
    ax.set_ylim(-0.6, len(t) + 0.35)
    for y, (_, r) in enumerate(t.iterrows()):  # the index is 0..n-1 (reset above)
        charts.tornado_row(
            ax,
            y,
            (float(r["gap_low"]), float(r["gap_high"])),
            (r["low_text"], r["high_text"]),
            0.0,
            (BLUE, RED),
            flat_right=True,
        )
    ax.axvline(centre, color="black", lw=1.1, zorder=3)
    ax.axvline(0, color="#555555", lw=0.9, ls=(0, (2, 2)), zorder=3)
    top = len(t) - 0.35
    near = abs(centre) < 0.18 * span
    ax.annotate(
        label("tornado_as_set", gap_eur=centre),
        (centre, top),
        xytext=(-4 if centre < 0 else 4, 0),
        textcoords="offset points",
        ha="right" if centre < 0 else "left",
        va="center",
        fontsize=8,
        fontweight="bold",
    )
    ax.annotate(
        label("tornado_zero"),
        (0, top if not near else top - 0.55),
        xytext=(4 if centre < 0 else -4, 0),
        textcoords="offset points",
        ha="left" if centre < 0 else "right",
        va="center",
        fontsize=8,
        color="#555555",
    )
    ax.set_yticks(range(len(t)), t["label"])
    ax.tick_params(axis="y", length=0)
    charts.thousands(ax, "x")
    charts.style_axes(ax, title=a.texts["tornado_title"], xlabel=label("tornado_xlabel"))
    ax.grid(axis="y", visible=False)
    return fig


def plot_grid(a: Analysis) -> Any:
    """The TCO gap over distance a year and the Twingo's resale value: blue where the Twingo is
    cheaper, red where the Sandero is, the break-even line, the plausible resale values and the
    case analysed marked."""
    from matplotlib.colors import TwoSlopeNorm

    from alliancelib import charts

    g, p = a.grid, a.p
    fig, ax = charts.figure(9.0, 4.8)
    limit = float(np.nanmax(np.abs(g["gap"]))) or 1.0
    mesh = ax.pcolormesh(
        g["distance"],
        g["resale"],
        g["gap"],
        cmap="RdBu_r",
        shading="nearest",
        norm=TwoSlopeNorm(0.0, -limit, limit),
    )
    line = g["line"]
    ok = np.isfinite(line)
    ax.plot(g["distance"][ok], line[ok], color="black", lw=1.4)
    pl = plausible_of(PricingParams, "ev_residual_pct")
    if pl is not None and pl.low is not None and pl.high is not None:
        for level in (pl.low, pl.high):
            ax.axhline(level, color="#333333", lw=0.8, ls=(0, (4, 3)))
        ax.annotate(
            label("map_plausible"),
            (g["distance"][-1], pl.high),
            xytext=(-4, 3),
            textcoords="offset points",
            ha="right",
            va="bottom",
            fontsize=8,
            color="#1a1a1a",
        )
    ax.set_xlim(g["distance"][0], g["distance"][-1])
    ax.set_ylim(g["resale"][0] - 0.5, g["resale"][-1] + 0.5)
    ax.plot(
        [p.annual_km], [p.ev_residual_pct], marker="o", ms=8, color="black", markeredgecolor="white", zorder=4
    )
    right = p.annual_km < 0.6 * g["distance"][-1]
    ax.annotate(
        label("map_case"),
        (p.annual_km, p.ev_residual_pct),
        xytext=(9 if right else -9, 9),
        textcoords="offset points",
        ha="left" if right else "right",
        va="bottom",
        fontsize=8.5,
        fontweight="bold",
        color="black",
        bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.85},
    )
    inside = np.flatnonzero(ok & (line >= g["resale"][0] + 2) & (line <= g["resale"][-1] - 2))
    if len(inside) >= 2:
        # the line's name written along it, just above it (its angle measured on the laid-out axes)
        j = int(inside[len(inside) * 11 // 20])
        k = int(inside[min(len(inside) - 1, len(inside) * 11 // 20 + 1)])
        fig.draw_without_rendering()
        ends = [(g["distance"][j], line[j]), (g["distance"][k], line[k])]
        (x0, y0), (x1, y1) = ax.transData.transform(ends)
        angle = math.degrees(math.atan2(y1 - y0, x1 - x0))
        ax.annotate(
            label("map_line"),
            (g["distance"][j], line[j]),
            xytext=(0, 3),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=8,
            color="black",
            rotation=angle,
            rotation_mode="anchor",
        )
    bar = fig.colorbar(mesh, ax=ax, pad=0.02)
    bar.set_label(label("map_colour"))
    from matplotlib.ticker import FuncFormatter

    bar.ax.yaxis.set_major_formatter(FuncFormatter(lambda val, _pos: charts.format_tick(val)))
    charts.thousands(ax, "x")
    charts.thousands(ax, "y", suffix="%")
    charts.style_axes(ax, title=a.texts["map_title"], xlabel=label("map_xlabel"), ylabel=label("map_ylabel"))
    ax.grid(False)
    return fig
