"""The house chart style: a title, axis labels with units, a source line, alt text, and
byte-identical PNG output for identical inputs.

Charts are drawn on a bare :class:`matplotlib.figure.Figure` (no pyplot state, so no stray
``<Figure ... at 0x...>`` outputs) and shown as PNG with the alt text as its plain-text form.
matplotlib is imported only here, when a chart is drawn.
"""

from __future__ import annotations

import base64
import io
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

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
DPI = 110


def figure(width_in: float = 8.0, height_in: float = 4.2, ncols: int = 1) -> tuple[Figure, Any]:
    """A new figure in the house style with ``ncols`` axes side by side."""
    import matplotlib as mpl
    from matplotlib.figure import Figure

    with mpl.rc_context(STYLE):
        fig = Figure(figsize=(width_in, height_in), layout="constrained")
        axes = fig.subplots(1, ncols) if ncols > 1 else fig.add_subplot()
    fig.set_layout_engine("constrained")
    return fig, axes


def style_axes(ax: Axes, *, title: str, xlabel: str = "", ylabel: str = "") -> None:
    """Title (left, bold) and axis labels (which carry the units) in the house style."""
    import matplotlib as mpl

    with mpl.rc_context(STYLE):
        ax.set_title(title, loc="left", fontsize=STYLE["axes.titlesize"], fontweight="bold")
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        ax.grid(True, color=STYLE["grid.color"], linewidth=STYLE["grid.linewidth"])
        ax.set_axisbelow(True)


def png_bytes(fig: Figure) -> bytes:
    """The figure as PNG with no varying metadata (same inputs -> same bytes)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, metadata={"Software": None}, facecolor="white",
                bbox_inches="tight", pad_inches=0.15)
    return buf.getvalue()


def finish(fig: Figure, *, source: str, alt: str) -> dict[str, Any]:
    """Add the source line, then return the figure's display bundle (PNG + alt text)."""
    if not source.strip():
        raise ValueError("every chart names its source")
    if not alt.strip():
        raise ValueError("every chart has alt text")
    fig.text(0.0, -0.02, source, ha="left", va="top", fontsize=7.5, color="#555555",
             transform=fig.transFigure)
    png = png_bytes(fig)
    return {
        "data": {"image/png": base64.b64encode(png).decode("ascii"), "text/plain": alt},
        "metadata": {"image/png": {"alt": alt}},
    }


def show(fig: Figure, *, source: str, alt: str) -> None:
    """Finish the figure (source line, alt text) and display it in the notebook."""
    from IPython.display import display

    bundle = finish(fig, source=source, alt=alt)
    display(bundle["data"], metadata=bundle["metadata"], raw=True)
