"""Charts: the overlap and edge checks on synthetic figures, the FT-style helpers, and every chart
of every notebook drawn at the default parameters with no two labels overlapping and none leaving
the figure (for the topic modules that provide ``analyse`` and ``figures``)."""

from __future__ import annotations

import importlib
from collections.abc import Sequence

import numpy as np
import pytest

from alliancelib import charts
from alliancelib.notebooks import PARAMS


def blank(width: float = 6.0, height: float = 3.0):
    fig, ax = charts.figure(width, height)
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    charts.style_axes(ax, title="A title that states the finding", xlabel="x (units)", ylabel="y (units)")
    return fig, ax


def test_two_overlapping_annotations_are_caught() -> None:
    fig, ax = blank()
    ax.annotate("first label here", (5, 5))
    ax.annotate("second label here", (5.3, 5.1))
    assert charts.text_overlaps(fig) == [("first label here", "second label here")]


def test_well_separated_labels_pass_and_ticks_outside_the_view_are_ignored() -> None:
    fig, ax = blank()
    ax.annotate("low label", (1, 1))
    ax.annotate("high label", (6, 8))
    ax.plot([0, 10], [0, 10])
    assert charts.text_overlaps(fig) == []
    assert charts.texts_outside(fig) == []
    drawn = [t for t, _ in charts.drawn_texts(fig)]
    assert "A title that states the finding" in drawn and "x (units)" in drawn and "10" in drawn


def test_a_label_beyond_the_figure_edge_is_caught() -> None:
    fig, ax = blank()
    fig.text(0.9, 0.5, "runs off the right edge of the figure")  # figure texts are not laid out
    ax.annotate("below the figure", (5, 0), xytext=(0, -80), textcoords="offset points").set_in_layout(False)
    assert sorted(charts.texts_outside(fig)) == ["below the figure", "runs off the right edge of the figure"]


def test_clipped_texts_and_empty_labels_are_not_counted() -> None:
    fig, ax = blank()
    ax.text(50, 50, "clipped away", clip_on=True)
    ax.annotate("", (5, 5), xytext=(6, 6), arrowprops={"arrowstyle": "->"})
    assert "clipped away" not in [t for t, _ in charts.drawn_texts(fig)]
    assert charts.texts_outside(fig) == []


def test_legend_texts_and_the_source_line_are_checked() -> None:
    fig, ax = blank()
    ax.plot([0, 1], [0, 1], label="a series")
    legend = ax.legend(loc="upper left")
    fig.draw_without_rendering()
    box = legend.get_texts()[0].get_window_extent()
    ax.annotate("on the legend", ax.transData.inverted().transform((box.x0, box.y0)))
    chart = charts.Chart("demo", fig, source="Source: a test.", alt="A test chart.")
    overlaps = charts.text_overlaps(chart)
    assert ("a series", "on the legend") in overlaps or ("on the legend", "a series") in overlaps
    assert "Source: a test." in [t for t, _ in charts.drawn_texts(fig)]


def test_the_source_line_sits_inside_the_figure_and_is_added_once() -> None:
    fig, _ = blank(5, 2.5)
    long_source = "Sources: " + "; ".join(f"publisher number {i} (2025-0{i % 9 + 1}-01)" for i in range(12))
    first = charts.add_source(fig, long_source)
    assert charts.add_source(fig, long_source) is first
    assert "\n" in first.get_text()  # wrapped to the figure's width
    assert charts.texts_outside(fig) == [] and charts.text_overlaps(fig) == []


def test_direct_line_labels_avoid_each_other() -> None:
    fig, ax = charts.figure(6, 3.5)
    xs = np.arange(2015, 2026)
    ends = [20.0, 20.4, 20.9, 21.1, 35.0]
    labels = []
    for k, end in enumerate(ends):
        ax.plot(xs, np.linspace(10 + k, end, len(xs)), color=charts.PALETTE["accent"])
        labels.append((f"series {k + 1}", xs[-1], end, charts.PALETTE["accent"]))
    ax.set_xlim(2015, 2028)
    ax.set_ylim(0, 40)
    charts.style_axes(ax, title="Five lines ending close together", ylabel="value (%)")
    placed = charts.label_lines(ax, labels)
    assert len(placed) == 5
    assert charts.text_overlaps(fig) == [] and charts.texts_outside(fig) == []


@pytest.mark.parametrize(
    ("positions", "gap", "expected"),
    [
        ([10, 11, 12, 50], 5, [6.0, 11.0, 16.0, 50.0]),  # a cluster spreads about its mean
        ([12, 10, 11], 5, [16.0, 6.0, 11.0]),  # order of input kept
        ([0, 1], 5, [0.0, 5.0]),  # pushed inside the lower bound
        ([98, 99, 100], 5, [90.0, 95.0, 100.0]),  # and the upper bound
    ],
)
def test_spread(positions: Sequence[float], gap: float, expected: list[float]) -> None:
    assert charts.spread(positions, gap, 0, 100) == expected


def test_thousands_separators_and_annotate() -> None:
    fig, ax = blank()
    ax.set_ylim(0, 25000)
    charts.thousands(ax, "y")
    note = charts.annotate(ax, "turning point", (5, 12000), (10, 14))
    fig.draw_without_rendering()
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert "20,000" in labels and note.get_text() == "turning point"


def test_chart_needs_source_and_alt_and_both_call_forms_show(monkeypatch) -> None:
    fig, _ = blank()
    with pytest.raises(ValueError, match="source"):
        charts.Chart("x", fig, source=" ", alt="a")
    with pytest.raises(ValueError, match="alt"):
        charts.Chart("x", fig, source="s", alt="")
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda data, metadata=None, raw=False: shown.append(data))
    charts.show(charts.Chart("x", fig, source="Source: s.", alt="A chart."))
    fig2, _ = blank()
    charts.show(fig2, source="Source: s.", alt="A chart.")
    assert [d["text/plain"] for d in shown] == ["A chart.", "A chart."]
    assert shown[0]["image/png"] == shown[1]["image/png"]  # same drawing, same bytes


# --------------------------------------------------------------------------- today's known overlap


def plot_proceeds_as_of_bb922ce(
    shares_outstanding: float,
    prices_eur: Sequence[float],
    points: Sequence[float],
    chosen: tuple[float, float],
    reference_eur_m: float,
):
    """A frozen copy of ``ownership.plot_proceeds`` as committed in bb922ce (before the chart
    rewrite), drawing the annotation of the chosen sale over the reported plan's label."""
    from alliancelib.topics.ownership import sale_proceeds_eur_m

    fig, ax = charts.figure(8.0, 4.0)
    prices = np.asarray(prices_eur, dtype=float)
    for k, pts in enumerate(points):
        ax.plot(
            prices,
            sale_proceeds_eur_m(pts, shares_outstanding, prices),
            color=charts.PALETTE["Nissan"],
            alpha=0.35 + 0.65 * (k + 1) / len(points),
            label=f"{pts:g} points",
        )
    price, pts = chosen
    value = sale_proceeds_eur_m(pts, shares_outstanding, price)
    ax.scatter([price], [value], color="black", zorder=3)
    ax.annotate(
        f"chosen: {pts:g} points at EUR {price:g} = EUR {value:,.0f}m",
        (price, value),
        xytext=(6, -12),
        textcoords="offset points",
        fontsize=8,
    )
    ax.axhline(reference_eur_m, color="#555555", ls=":", lw=1)
    ax.annotate(
        f"Nissan's reported plan: about JPY 100bn = EUR {reference_eur_m:,.0f}m",
        (prices[0], reference_eur_m),
        xytext=(2, 4),
        textcoords="offset points",
        fontsize=8,
        color="#555555",
    )
    ax.legend(title="Renault capital sold", fontsize=8, loc="upper left")
    charts.style_axes(
        ax,
        title="What Nissan raises by selling Renault shares",
        xlabel="Renault share price (EUR)",
        ylabel="proceeds (EUR m)",
    )
    return fig


def test_the_checker_catches_the_known_overlap_of_the_proceeds_chart() -> None:
    from alliancelib import data, fx

    plan_eur_m = data.fact("nissan_plan_sale_jpy_bn") * 1e3 / fx.ecb_rate("JPY", "2025-06-16").rate_per_eur
    fig = plot_proceeds_as_of_bb922ce(
        data.fact("renault_shares_outstanding"),
        [30, 35, 40, 45, 50, 55, 60, 65, 70],
        [1, 2, 3, 4, 5],
        (45.94, 5.0),
        plan_eur_m,
    )
    chart = charts.Chart(
        "proceeds",
        fig,
        source="Sources: Renault 2020 URD; Business Standard/Reuters 2025-06-16; ECB.",
        alt="Lines of sale proceeds.",
    )
    assert charts.text_overlaps(chart) == [
        ("chosen: 5 points at EUR 45.94 = EUR 679m", "Nissan's reported plan: about JPY 100bn = EUR 599m")
    ]


# --------------------------------------------------------------------------- every notebook's charts


def modules_with_figures() -> list[tuple[str, str]]:
    return [(notebook, target) for notebook, target in PARAMS.items()]


@pytest.mark.parametrize(("notebook", "target"), modules_with_figures())
def test_every_chart_at_the_defaults_has_no_overlap_and_stays_in_the_figure(
    notebook: str, target: str
) -> None:
    from alliancelib.params import defaults

    module_name, class_name = target.split(":")
    module = importlib.import_module(module_name)
    if not (hasattr(module, "analyse") and hasattr(module, "figures")):
        pytest.fail(f"{module_name} does not provide analyse() and figures()")
    p = module.validate_params(**defaults(getattr(module, class_name)))
    drawn = module.figures(module.analyse(p))
    assert drawn, f"{notebook}: figures() returned no chart"
    problems = []
    for chart in drawn:
        assert isinstance(chart, charts.Chart), f"{notebook}: figures() must return Chart objects"
        problems += [f"{chart.key}: {a!r} overlaps {b!r}" for a, b in charts.text_overlaps(chart)]
        problems += [f"{chart.key}: {t!r} leaves the figure" for t in charts.texts_outside(chart)]
    keys = [c.key for c in drawn]
    assert len(set(keys)) == len(keys), f"{notebook}: two charts share a key: {keys}"
    assert problems == [], f"{notebook}:\n" + "\n".join(problems)


def test_a_tornado_row_splits_at_its_line_and_labels_its_ends_outside() -> None:
    """Blue below the line, red above; the larger end's label to its right, the other's to its left;
    a flat row's labels both right only when asked."""
    import matplotlib.pyplot as plt

    fig, ax = charts.figure(6.0, 2.0)
    charts.tornado_row(ax, 0, (-2.0, 3.0), ("low", "high"), 0.0, ("blue", "red"), flat_right=False)
    bars = [(round(p.get_x(), 6), round(p.get_width(), 6)) for p in ax.patches]
    assert bars == [(-2.0, 2.0), (0.0, 3.0)]
    sides = {t.get_text(): t.get_ha() for t in ax.texts}
    assert sides == {"low": "right", "high": "left"}
    for flat_right, side in ((True, "left"), (False, "right")):
        fig2, ax2 = charts.figure(6.0, 2.0)
        charts.tornado_row(ax2, 0, (1.0, 1.0), ("a", "b"), 0.0, ("blue", "red"), flat_right=flat_right)
        assert {t.get_ha() for t in ax2.texts} == {side}
        plt.close(fig2)
    plt.close(fig)
