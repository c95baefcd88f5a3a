"""The charts of notebook 02: the plant's capacity against its output (the main chart), the heat map
of utilisation and the tornado of fixed cost per vehicle (RNAIPL's three ownership steps are a
table). Their titles, alt texts, source lines and labels are the template's (``a.texts``); the
numbers on them are written with :mod:`alliancelib.core.words`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from alliancelib.core.words import format_number
from alliancelib.topics.india.analysis import half_up, thousand

if TYPE_CHECKING:
    from alliancelib.charts import Chart
    from alliancelib.topics.india.analysis import Analysis

KEYS = ("capacity", "heatmap", "reach", "tornado")

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
    models), its first. The what-if explorer redraws it alone at every change."""
    return chart(a, "capacity")


def figures(a: Analysis) -> list[Chart]:
    """Every chart of notebook 02, in the order the notebook shows them."""
    return [chart(a, key) for key in KEYS]


def chart(a: Analysis, key: str) -> Chart:
    """One chart by its key, with its source line and alt text."""
    from alliancelib import charts

    t = a.texts
    draw = {
        "capacity": lambda: plot_capacity(a),
        "heatmap": lambda: plot_heatmap(a),
        "reach": lambda: plot_tornado(a, "reach"),
        "tornado": lambda: plot_tornado(a),
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


def plot_capacity(a: Analysis) -> Any:
    """Bullet chart: the two capacities as background bands, output measures in front."""
    from alliancelib import charts

    rows = a.facts["output_rows"]
    low, high, most = a.facts["capacity_low"], a.facts["capacity_high"], a.facts["capacity_max"]
    fig, ax = charts.figure(8.4, 4.8)
    ys = np.arange(len(rows))[::-1]
    for y in ys:
        ax.barh(y, most, height=0.72, color="#ececec", zorder=1)
        ax.barh(y, high, height=0.72, color="#dedede", zorder=1)
        ax.barh(y, low, height=0.72, color="#cfcfcf", zorder=1)
    own = {"base": charts.PALETTE["Renault"], "after": charts.PALETTE["accent"]}  # the scenario's two bars
    colours = [own.get(key, charts.PALETTE["muted"]) for key in rows["key"]]
    ax.barh(ys, rows["units"], height=0.3, color=colours, zorder=2)
    for y, units in zip(ys, rows["units"], strict=True):
        ax.text(
            units + 6_000, y, vehicles(units), va="center", ha="left", fontsize=8.5, color="#1a1a1a", zorder=3
        )
    ax.set_yticks(ys, [charts.wrap(t, 2.6, 8.5) for t in rows["label"]], fontsize=8.5)
    top = ys.max() + 0.45
    for k, (x, key) in enumerate(((low, "low"), (high, "high"), (most, "max"))):
        ax.text(
            x - 2_000,
            top + 0.42 * k,
            a.texts[f"capacity_band_{key}"],
            ha="right",
            va="bottom",
            fontsize=8,
            color="#555555",
        )
    ax.set_ylim(-0.6, top + 1.4)
    ax.set_xlim(0, most * 1.02)
    charts.thousands(ax, "x")
    charts.style_axes(ax, title=a.texts["capacity_title"], xlabel=a.texts["capacity_xlabel"])
    ax.grid(axis="y", visible=False)
    ax.tick_params(axis="y", length=0)
    return fig


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


BLUE, RED = "#2f6f9f", "#c0504d"  # fixed cost per vehicle falls, rises


def plot_tornado(a: Analysis, key: str = "tornado") -> Any:
    """A tornado, one input at a time at either end of its stated range: ``tornado``, the change in
    fixed cost per vehicle (blue where it falls, red where it rises, no change marked) or ``reach``,
    utilisation with the new models (blue below the target, red at or above it, the target marked).
    The value as set is the black line."""
    from alliancelib import charts

    t = a.context[key].iloc[::-1].reset_index(drop=True)
    centre = float(t.attrs["centre"])
    line = a.p.target_utilisation_pct if key == "reach" else 0.0
    fig, ax = charts.figure(9.0, 1.7 + 0.5 * len(t))
    values = [*t["change_low"], *t["change_high"], line, centre]
    lo_all, hi_all = min(values), max(values)
    span = hi_all - lo_all or 1.0
    ax.set_xlim(lo_all - 0.3 * span, hi_all + 0.3 * span)
    ax.set_ylim(-0.6, len(t) + 0.35)
    for y, r in t.iterrows():
        charts.tornado_row(
            ax,
            y,
            (float(r["change_low"]), float(r["change_high"])),
            (r["low_text"], r["high_text"]),
            line,
            (BLUE, RED),
            flat_right=False,
        )
    ax.axvline(centre, color="black", lw=1.1, zorder=3)
    ax.axvline(line, color="#555555", lw=0.9, ls=(0, (2, 2)), zorder=3)
    top = len(t) - 0.35
    ax.annotate(
        a.texts[f"{key}_as_set"],
        (centre, top),
        xytext=(-4 if centre < line else 4, 0),
        textcoords="offset points",
        ha="right" if centre < line else "left",
        va="center",
        fontsize=8,
        fontweight="bold",
    )
    ax.annotate(
        a.texts[f"{key}_zero"],
        (line, top),
        xytext=(4 if centre < line else -4, 0),
        textcoords="offset points",
        ha="left" if centre < line else "right",
        va="center",
        fontsize=8,
        color="#555555",
    )
    ax.set_yticks(range(len(t)), [charts.wrap(str(x), 2.2, 8.5) for x in t["label"]], fontsize=8.5)
    ax.tick_params(axis="y", length=0)
    charts.thousands(ax, "x", suffix="%")
    charts.style_axes(ax, title=a.texts[f"{key}_title"], xlabel=a.texts[f"{key}_xlabel"])
    ax.grid(axis="y", visible=False)
    return fig
