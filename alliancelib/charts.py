"""The house chart style (FT-like): a title that states the finding, axis labels with units,
thousands separators, direct labels instead of legends, a source line inside the figure, alt text,
and byte-identical PNG output for identical inputs, drawn at twice the density it is shown at (sharp
when zoomed and on dense screens).

Charts are drawn on a bare :class:`matplotlib.figure.Figure` (no pyplot state, so no stray
``<Figure ... at 0x...>`` outputs) and shown as PNG with the alt text as its plain-text form.
matplotlib is imported only here, when a chart is drawn.

A topic module's ``figures(a)`` returns :class:`Chart` objects; the notebook shows them with
:func:`show`; the chart tests check every one with :func:`text_overlaps` and :func:`texts_outside`,
which measure the texts matplotlib actually draws (titles, axis and tick labels, annotations,
legend texts, the source line) with the renderer's own window extents.
"""

from __future__ import annotations

import base64
import io
import textwrap
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.text import Annotation, Text

PALETTE = {
    "Renault": "#d4a017",
    "Nissan": "#c3002f",
    "Mitsubishi Motors": "#4d4d4d",
    "outside": "#7f9fbf",
    "accent": "#1f5f8b",
    "muted": "#9a9a9a",
}
STYLE: dict[str, Any] = {
    "font.family": "DejaVu Sans",
    "font.size": 9.5,
    "axes.titlesize": 12,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#e3e3e3",
    "grid.linewidth": 0.8,
    "axes.axisbelow": True,
    "legend.frameon": False,
}
DPI = 110  # the density a chart is shown at (CSS pixels per inch of figure)
DENSITY = 2  # PNGs hold DENSITY x DPI pixels per inch: sharp when zoomed and on dense screens
SOURCE_FONTSIZE = 7.5
SOURCE_GID = "alliance-source"


@dataclass(frozen=True)
class Chart:
    """One chart of a notebook: a stable ``key``, the drawn ``figure``, its ``source`` line and its
    ``alt`` text (what the chart shows, for readers who cannot see it).

    ``Chart("proceeds", fig, source="Sources: Renault 2020 URD; ECB.", alt="Lines of ...")``
    """

    key: str
    figure: Figure
    source: str
    alt: str

    def __post_init__(self) -> None:
        if not self.source.strip():
            raise ValueError(f"chart {self.key}: every chart names its source")
        if not self.alt.strip():
            raise ValueError(f"chart {self.key}: every chart has alt text")


# --------------------------------------------------------------------------- drawing


def figure(width_in: float = 8.0, height_in: float = 4.2, ncols: int = 1) -> tuple[Figure, Any]:
    """A new figure in the house style with ``ncols`` axes side by side."""
    import matplotlib as mpl
    from matplotlib.figure import Figure

    with mpl.rc_context(STYLE):  # type: ignore[arg-type]
        fig = Figure(figsize=(width_in, height_in), layout="constrained")
        axes = fig.subplots(1, ncols) if ncols > 1 else fig.add_subplot()
    fig.set_layout_engine("constrained")
    return fig, axes


def wrap(text: str, width_in: float, fontsize: float, bold: bool = False) -> str:
    """Break ``text`` into lines that fit ``width_in`` inches at ``fontsize`` points (DejaVu Sans:
    about 0.6 em a character, 0.66 em bold).

    >>> print(wrap("Renault owns a third of Nissan but directs only 15% of its votes", 3.0, 12, bold=True))
    Renault owns a third of
    Nissan but directs only 15%
    of its votes
    """
    per_char = fontsize * (0.66 if bold else 0.6)
    width = max(10, int(width_in * 72 / per_char))
    return "\n".join(textwrap.wrap(text, width)) if len(text) > width else text


def style_axes(ax: Axes, *, title: str, xlabel: str = "", ylabel: str = "") -> None:
    """Title (left, bold, wrapped to the figure's width: it states the finding) and axis labels
    (which carry the units) in the house style."""
    import matplotlib as mpl

    with mpl.rc_context(STYLE):  # type: ignore[arg-type]
        width_in = ax.figure.get_figwidth() * ax.get_position().width  # type: ignore[union-attr]
        ax.set_title(
            wrap(title, width_in, STYLE["axes.titlesize"], bold=True),
            loc="left",
            fontsize=STYLE["axes.titlesize"],
            fontweight="bold",
        )
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        ax.grid(True, color=STYLE["grid.color"], linewidth=STYLE["grid.linewidth"])
        ax.set_axisbelow(True)


def format_tick(value: float, decimals: int = 0, prefix: str = "", suffix: str = "") -> str:
    """A tick label with thousands separators and a typographic minus.

    >>> format_tick(12000), format_tick(-2500.5, 1, suffix="%"), format_tick(1.5e6, prefix="EUR ")
    ('12,000', '−2,500.5%', 'EUR 1,500,000')
    """
    from alliancelib.results import MINUS, format_number

    text = format_number(value, decimals)
    sign = MINUS if text.startswith(MINUS) else ""
    return f"{sign}{prefix}{text.removeprefix(MINUS)}{suffix}"


def thousands(ax: Axes, axis: str = "y", decimals: int = 0, prefix: str = "", suffix: str = "") -> None:
    """Tick labels of ``axis`` ("x", "y" or "both") with thousands separators (and a prefix or
    suffix such as ``"%"``)."""
    from matplotlib.ticker import FuncFormatter

    formatter = FuncFormatter(lambda v, _pos: format_tick(v, decimals, prefix, suffix))
    for name in ("x", "y") if axis == "both" else (axis,):
        getattr(ax, f"{name}axis").set_major_formatter(formatter)


def spread(positions: Sequence[float], gap: float, low: float, high: float) -> list[float]:
    """Positions moved as little as possible so that neighbours are at least ``gap`` apart, within
    ``[low, high]`` where there is room (the order is kept).

    >>> spread([10, 11, 12, 50], 5, 0, 100)
    [6.0, 11.0, 16.0, 50.0]
    >>> spread([0, 1], 5, 0, 100)
    [0.0, 5.0]
    """
    order = sorted(range(len(positions)), key=lambda i: positions[i])
    # labels closer than the gap move together as a cluster centred on their mean position
    clusters: list[tuple[int, float]] = []  # (count, centre)
    for i in order:
        count, centre = 1, float(positions[i])
        while clusters:
            prev_count, prev_centre = clusters[-1]
            if prev_centre + (prev_count - 1) * gap / 2 + gap <= centre - (count - 1) * gap / 2:
                break
            clusters.pop()
            centre = (prev_centre * prev_count + centre * count) / (prev_count + count)
            count += prev_count
        clusters.append((count, centre))
    placed: list[float] = []
    for count, centre in clusters:
        start = centre - (count - 1) * gap / 2
        placed.extend(start + k * gap for k in range(count))
    if placed and placed[0] < low:
        placed = [p + low - placed[0] for p in placed]
    for k in range(1, len(placed)):
        placed[k] = max(placed[k], placed[k - 1] + gap)
    if placed and placed[-1] > high and placed[0] - (placed[-1] - high) >= low:
        placed = [p - (placed[-1] - high) for p in placed]
    out = [0.0] * len(placed)
    for rank, i in enumerate(order):
        out[i] = round(placed[rank], 6)
    return out


def label_lines(
    ax: Axes,
    labels: Sequence[tuple[str, float, float, str]],
    *,
    fontsize: float = 8.5,
    offset_pt: float = 4.0,
) -> list[Annotation]:
    """Direct labels at the end of lines, moved apart vertically so that none touches another.

    ``labels`` holds ``(text, x, y, colour)`` per line, (x, y) being the line's last point; each
    label goes just right of it, in the line's colour (no legend needed). Call it after the axes'
    limits are set; leave room on the right (e.g. ``ax.set_xlim(right=...)`` or a wider figure).
    """
    fig = ax.figure
    fig.draw_without_rendering()  # type: ignore[union-attr]  # the layout decides where the axes are
    to_px = ax.transData.transform
    anchors = [to_px((x, y))[1] for _, x, y, _ in labels]
    lines = [max(1, text.count("\n") + 1) for text, *_ in labels]
    gap = fontsize * 1.35 * max(lines) * fig.dpi / 72
    box = ax.get_window_extent()
    moved = spread(anchors, gap, box.y0 + gap / 2, box.y1 - gap / 2)
    out = []
    for (text, x, y, colour), anchor, target in zip(labels, anchors, moved, strict=True):
        dy = (target - anchor) * 72 / fig.dpi
        out.append(
            ax.annotate(
                text,
                (x, y),
                xytext=(offset_pt, dy),
                textcoords="offset points",
                va="center",
                ha="left",
                fontsize=fontsize,
                color=colour,
                annotation_clip=False,
            )
        )
    return out


def annotate(
    ax: Axes,
    text: str,
    xy: tuple[Any, float],
    offset_pt: tuple[float, float] = (8, 12),
    *,
    arrow: bool = True,
    ha: str = "left",
    fontsize: float = 8.5,
) -> Annotation:
    """A note on a point of the chart (a turning point, the chosen case): text ``offset_pt``
    points away from ``xy``, joined to it by a thin grey line."""
    props = {"arrowstyle": "-", "color": "#777777", "lw": 0.8, "shrinkA": 2, "shrinkB": 3} if arrow else None
    return ax.annotate(
        text,
        xy,
        xytext=offset_pt,
        textcoords="offset points",
        ha=ha,
        va="bottom" if offset_pt[1] >= 0 else "top",
        fontsize=fontsize,
        color="#333333",
        arrowprops=props,
    )


# --------------------------------------------------------------------------- source line and output


def add_source(fig: Figure, source: str) -> Text:
    """Write the source line at the bottom left, inside the figure, wrapped to its width, and make
    room for it below the axes; once per figure (a second call returns the line already there)."""
    for t in fig.texts:
        if t.get_gid() == SOURCE_GID:
            return t
    width_in, height_in = fig.get_size_inches()
    text = wrap(source, width_in - 0.2, SOURCE_FONTSIZE)
    lines = text.count("\n") + 1
    room = (lines * SOURCE_FONTSIZE * 1.3 + 8) / 72 / height_in  # figure fraction
    engine = fig.get_layout_engine()
    if engine is not None and hasattr(engine, "set") and "rect" in engine.get():
        engine.set(rect=(0, room, 1, 1 - room))  # type: ignore[call-arg]
    else:
        fig.subplots_adjust(bottom=max(fig.subplotpars.bottom, room + 0.08))
    return fig.text(
        0.01,
        4 / 72 / height_in,
        text,
        ha="left",
        va="bottom",
        fontsize=SOURCE_FONTSIZE,
        color="#555555",
        gid=SOURCE_GID,
    )


PAD_IN = 0.15  # white margin around the drawn content (inches)


def png_bytes(fig: Figure, density: int = DENSITY) -> bytes:
    """The figure as PNG at ``density`` times :data:`DPI`, cropped to what is drawn plus
    :data:`PAD_IN` of white (same inputs -> same bytes), its colours reduced to a palette where
    that loses nothing visible (smaller files; see :func:`compact_image`).

    The figure is painted once and its drawn extent read from that painting, then cropped:
    matplotlib's ``savefig(bbox_inches="tight")`` paints a figure twice to the same end (about
    0.15 s a chart). Content beyond the figure's edge is not painted (the charts' layout checks,
    :func:`texts_outside`, keep every text inside it); the margin is white either way."""
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    dpi = DPI * density
    old_dpi, old_face = fig.dpi, fig.get_facecolor()
    canvas = FigureCanvasAgg(fig)
    try:
        fig.dpi = dpi
        fig.set_facecolor("white")
        canvas.draw()
        renderer = canvas.get_renderer()
        bbox = fig.get_tightbbox(renderer).padded(PAD_IN)  # inches, from the bottom left
        pixels = np.asarray(canvas.buffer_rgba())[:, :, :3]
    finally:
        fig.dpi = old_dpi
        fig.set_facecolor(old_face)
    height, width = pixels.shape[:2]
    x0, x1 = round(bbox.x0 * dpi), round(bbox.x1 * dpi)
    top, bottom = height - round(bbox.y1 * dpi), height - round(bbox.y0 * dpi)
    out = np.full((bottom - top, x1 - x0, 3), 255, dtype=np.uint8)  # white where beyond the figure
    sx0, sx1, sy0, sy1 = max(x0, 0), min(x1, width), max(top, 0), min(bottom, height)
    out[sy0 - top : sy1 - top, sx0 - x0 : sx1 - x0] = pixels[sy0:sy1, sx0:sx1]
    return compact_image(Image.fromarray(out, "RGB"))


def compact_image(rgb: Any, colours: int = 256) -> bytes:
    """The image as PNG with its colours reduced to a palette of at most ``colours`` (charts are a
    few flat colours and their anti-aliased edges), or in full colour if the palette would make it
    larger; compressed at zlib level 6; deterministic (same pixels in, same bytes out)."""
    from PIL import Image

    out = []
    for image in (rgb.quantize(colours, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE), rgb):
        buf = io.BytesIO()
        image.save(buf, format="PNG", compress_level=6)
        out.append(buf.getvalue())
        if len(out[0]) < rgb.width * rgb.height / 2:  # the palette wins by far: no need to try full colour
            break
    return min(out, key=len)


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height of a PNG in pixels (from its header).

    >>> png_size(bytes.fromhex("89504e470d0a1a0a0000000d49484452000003840000020d") + bytes(5))
    (900, 525)
    """
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def finish(fig: Figure, *, source: str, alt: str) -> dict[str, Any]:
    """Add the source line, then return the figure's display bundle: the PNG at twice the density
    it is shown at, its size to show it at (CSS pixels) and its alt text."""
    if not source.strip():
        raise ValueError("every chart names its source")
    if not alt.strip():
        raise ValueError("every chart has alt text")
    add_source(fig, source)
    png = png_bytes(fig)
    width_px, height_px = png_size(png)
    return {
        "data": {"image/png": base64.b64encode(png).decode("ascii"), "text/plain": alt},
        # shown at its CSS size: DENSITY image pixels to a CSS pixel (JupyterLab and the reports)
        "metadata": {
            "image/png": {
                "alt": alt,
                "width": round(width_px / DENSITY),
                "height": round(height_px / DENSITY),
            }
        },
    }


def prepare(chart: Chart | Figure) -> Figure:
    """The figure as it is shown: with its source line (for the checks below)."""
    if isinstance(chart, Chart):
        add_source(chart.figure, chart.source)
        return chart.figure
    return chart


def show(chart: Chart | Figure, *, source: str | None = None, alt: str | None = None) -> None:
    """Display a :class:`Chart` (``show(chart)``) or a figure with its source and alt text
    (``show(fig, source=..., alt=...)``) in the notebook."""
    from IPython.display import display

    if isinstance(chart, Chart):
        bundle = finish(chart.figure, source=chart.source, alt=chart.alt)
    else:
        bundle = finish(chart, source=source or "", alt=alt or "")
    display(bundle["data"], metadata=bundle["metadata"], raw=True)


def show_drawn(name: str, draw: Callable[[], Chart]) -> None:
    """Display the chart ``draw()`` makes, named ``name`` (``"<notebook>/<chart>"``); in a kernel a
    build started, the same chart kept from an earlier build when nothing it depends on changed
    (:mod:`alliancelib.chart_cache`: not drawn at all, matplotlib not even imported)."""
    from IPython.display import display

    from alliancelib import chart_cache

    def made() -> dict[str, Any]:
        chart = draw()
        return finish(chart.figure, source=chart.source, alt=chart.alt)

    bundle = chart_cache.bundle(name, made)
    display(bundle["data"], metadata=bundle["metadata"], raw=True)


# --------------------------------------------------------------------------- layout checks


@contextmanager
def _recording_texts() -> Iterator[list[Text]]:
    """Record every Text artist matplotlib draws while the context is open."""
    from matplotlib.text import Text

    drawn: list[Text] = []
    original = Text.draw

    def draw(self: Text, renderer: Any) -> None:
        drawn.append(self)
        original(self, renderer)

    Text.draw = draw  # type: ignore[method-assign, assignment]
    try:
        yield drawn
    finally:
        Text.draw = original  # type: ignore[method-assign]


def drawn_texts(fig: Figure) -> list[tuple[str, Any]]:
    """Every visible, non-empty text the figure draws, with its window extent (pixels): titles,
    axis and tick labels, annotations, legend texts, the source line. Texts clipped away by their
    axes are left out."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    with _recording_texts() as drawn:
        canvas.draw()
    renderer = canvas.get_renderer()
    out, seen = [], set()
    for t in drawn:
        if id(t) in seen or not t.get_visible() or not t.get_text().strip():
            continue
        seen.add(id(t))
        box = t.get_window_extent(renderer)
        clip = t.get_clip_box() if t.get_clip_on() else None
        if clip is not None and not box.overlaps(clip):
            continue
        out.append((t.get_text(), box))
    return out


def text_overlaps(fig: Chart | Figure, tolerance_px: float = 0.5) -> list[tuple[str, str]]:
    """Pairs of drawn texts whose boxes overlap (by more than ``tolerance_px`` both ways)."""
    texts = drawn_texts(prepare(fig))
    pairs = []
    for i, (a, box_a) in enumerate(texts):
        for b, box_b in texts[i + 1 :]:
            width = min(box_a.x1, box_b.x1) - max(box_a.x0, box_b.x0)
            height = min(box_a.y1, box_b.y1) - max(box_a.y0, box_b.y0)
            if width > tolerance_px and height > tolerance_px:
                pairs.append((a, b))
    return pairs


def texts_outside(fig: Chart | Figure, tolerance_px: float = 1.0) -> list[str]:
    """Drawn texts that reach beyond the figure's edges."""
    figure_ = prepare(fig)
    texts = drawn_texts(figure_)
    edge = figure_.bbox
    return [
        text
        for text, box in texts
        if box.x0 < edge.x0 - tolerance_px
        or box.y0 < edge.y0 - tolerance_px
        or box.x1 > edge.x1 + tolerance_px
        or box.y1 > edge.y1 + tolerance_px
    ]


def tornado_row(
    ax: Axes,
    y: float,
    ends: tuple[float, float],
    texts: tuple[str, str],
    line: float,
    colours: tuple[str, str],
    *,
    flat_right: bool,
) -> None:
    """One row of a tornado chart at height ``y``: the bar between ``ends`` (the result with one
    input at the low and at the high end of its stated range), ``colours[0]`` where it lies below
    ``line`` and ``colours[1]`` above, each end labelled with its text (``texts``, in the order of
    ``ends``): outside the bar, the larger end's label to its right. A row whose ends are equal puts
    both labels to the right when ``flat_right``, else to the left."""
    a0, b0 = sorted(ends)
    if a0 < line:
        ax.barh(y, min(b0, line) - a0, left=a0, height=0.56, color=colours[0])
    if b0 > line:
        ax.barh(y, b0 - max(a0, line), left=max(a0, line), height=0.56, color=colours[1])
    for end, words in zip(ends, texts, strict=True):
        right = end == b0 and (b0 > a0 or flat_right)
        ax.annotate(
            words,
            (end, y),
            xytext=(4 if right else -4, 0),
            textcoords="offset points",
            ha="left" if right else "right",
            va="center",
            fontsize=7.5,
            color="#333333",
        )
