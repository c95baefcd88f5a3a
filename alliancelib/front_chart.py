"""The front page's one chart: what Renault's Nissan stake weighed in Renault's own market value at
each date the data hold both companies' prices (report 01's "What the stake weighs now").

One message, its title the message (computed: "rose", "fell" or "stayed" from the numbers), direct
labels, legible at phone width (a narrow figure shown at its own size, never wider than the
screen). The bars are :func:`alliancelib.topics.ownership.stake_weight.weights`, the computation
01 records its results from; the chart is drawn only when the base build's recorded first and
latest weights (``renault_nissan_stake_share_of_renault_value_pct`` and
``stake_share_of_renault_value_latest_pct``) are written as it writes them, so the page never
shows a number its linked report does not. The PNG is deterministic (same data, same bytes) and
embedded as a data URI, like the reports' charts.
"""

from __future__ import annotations

import base64
import functools
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from alliancelib.core.words import say_date

FIRST = "renault_nissan_stake_share_of_renault_value_pct"
LATEST = "stake_share_of_renault_value_latest_pct"
WIDTH_IN, ROW_IN = 3.1, 0.95  # figure width (shown at ~364 CSS px: unscaled on a 390 px phone); per bar


@dataclass(frozen=True)
class Bar:
    """One date's weight: the day, the middle, low and high weights (%) and the prices behind it."""

    day: str
    share_pct: float
    low_pct: float
    high_pct: float
    prices: str  # "Renault EUR 45.94 · Nissan JPY 379 (derived)"


@dataclass(frozen=True)
class FrontChart:
    """The chart as the page shows it: title (the message), PNG data URI, its CSS size, alt text, and
    the report section it links to."""

    title: str
    uri: str
    width: int
    height: int
    alt: str
    href: str


def pct_span(low: float, high: float) -> str:
    """A weight or its range, in whole percent (one number when both ends round alike).

    >>> pct_span(22.7, 22.7), pct_span(32.39, 34.83), pct_span(22.6, 22.8)
    ('23%', '32–35%', '23%')
    """
    a, b = f"{low:.0f}", f"{high:.0f}"
    return f"{a}%" if a == b else f"{a}–{b}%"


def title_words(bars: Sequence[Bar]) -> str:
    """The chart's message from its first and last bars (the dates are on the bars): the direction
    is decided by the numbers.

    >>> b = [Bar("2025-03-31", 22.7, 22.7, 22.7, ""), Bar("2026-02-19", 33.6, 32.4, 34.8, "")]
    >>> title_words(b)
    "The Nissan stake's weight in Renault's market value rose from 23% to 32–35%"
    >>> title_words([b[1], b[0]])
    "The Nissan stake's weight in Renault's market value fell from 32–35% to 23%"
    >>> title_words([b[0], Bar("2025-07-01", 22.6, 22.6, 22.6, "")])
    "The Nissan stake's weight in Renault's market value stayed at about 23%"
    """
    if not bars:
        raise ValueError("the stake chart needs at least one dated pair of prices; got none")
    first, last = bars[0], bars[-1]
    a, b = pct_span(first.low_pct, first.high_pct), pct_span(last.low_pct, last.high_pct)
    from alliancelib.core.prose import say

    if a == b:
        return say("front_chart_title_stayed", first=a)
    return say("front_chart_title_moved", rose=last.share_pct > first.share_pct, first=a, last=b)


def bars_of_weights() -> list[Bar]:
    """Every dated pairing of report 01's stake model, oldest first."""
    from alliancelib.topics.ownership import stake_weight

    out = []
    for w in stake_weight.weights():
        p = w.pairing
        lows, highs = min(q.price for q in p.renault), max(q.price for q in p.renault)
        renault = f"EUR {lows:.2f}" if lows == highs else f"EUR {lows:.2f}–{highs:.2f}"
        nissan = f"JPY {p.nissan.price:.0f}{' (derived)' if p.nissan.derived else ''}"
        out.append(
            Bar(p.day, w.share_pct, w.share_low_pct, w.share_high_pct, f"Renault {renault} · Nissan {nissan}")
        )
    return out


def agrees(bars: Sequence[Bar], results: Mapping[str, Mapping[str, Any]]) -> bool:
    """Whether the chart's first and latest weights, as it writes them (whole percent), are report
    01's recorded ones written alike (its first weight is computed from the notebook's parameters,
    so it may differ from the stake model's in the decimals)."""
    first, latest = results.get(FIRST), results.get(LATEST)
    if not bars or first is None or latest is None:
        return False

    def said(record: Mapping[str, Any]) -> str | None:
        value = record.get("value")
        if not isinstance(value, int | float):
            return None
        low, high = record.get("low", value), record.get("high", value)
        return (
            pct_span(float(low), float(high))
            if isinstance(low, int | float) and isinstance(high, int | float)
            else None
        )

    a, z = bars[0], bars[-1]
    return said(first) == pct_span(a.low_pct, a.high_pct) and said(latest) == pct_span(z.low_pct, z.high_pct)


def draw(bars: Sequence[Bar]) -> Any:
    """The figure: one horizontal bar per date (oldest on top), the date and both prices written
    above it, the weight at its end; where two same-day Renault prices give a low and a high
    weight, the bar is solid to the low one and pale from there to the high one."""
    from alliancelib import charts

    fig, ax = charts.figure(WIDTH_IN, 1.9 + ROW_IN * len(bars))
    ys = [1.0 * i for i in range(len(bars))][::-1]
    top = max(b.high_pct for b in bars)
    colour = charts.PALETTE["Nissan"]
    for y, b in zip(ys, bars, strict=True):
        ax.barh(y, b.low_pct, height=0.36, color=colour)
        if b.high_pct - b.low_pct > 0.05:
            ax.barh(y, b.high_pct - b.low_pct, left=b.low_pct, height=0.36, color=colour, alpha=0.35)
        ax.text(
            b.high_pct + top * 0.02,
            y,
            pct_span(b.low_pct, b.high_pct),
            va="center",
            ha="left",
            fontsize=11,
            fontweight="bold",
        )
        ax.text(
            0,
            y + 0.22,
            f"{say_date(b.day)}\n{b.prices}",
            va="bottom",
            ha="left",
            fontsize=9,
            linespacing=1.25,
            color="#333333",
        )
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.set_xlim(0, top * 1.25)
    ax.set_ylim(-0.35, len(bars) - 1 + 0.9)
    charts.thousands(ax, "x", suffix="%")
    charts.style_axes(ax, title=title_words(bars), xlabel="% of Renault's market value")
    ax.spines["left"].set_visible(False)
    ax.grid(False)  # the bars are labelled directly: no grid line through the labels
    return fig


SOURCE = (
    "Sources: the share prices, ECB reference rates and Renault's Nissan share count cited in "
    "report 01; a derived price is inferred from the next day's quote. Pale: the range between "
    "the day's two Renault prices."
)


def alt_text(bars: Sequence[Bar]) -> str:
    """What the chart shows, for a reader who cannot see it."""
    parts = [f"{say_date(b.day)}: {pct_span(b.low_pct, b.high_pct)} ({b.prices})" for b in bars]
    return f"Bar chart. {title_words(bars)}. " + "; ".join(parts) + "."


def stake_chart(results: Mapping[str, Mapping[str, Any]], href: str) -> FrontChart | None:
    """The chart from report 01's recorded ``results`` (None when they are missing or disagree with
    the stake model), linked to ``href`` (the report section that computes it)."""
    if _PREPARING and _PREPARING[-1].is_alive():
        _PREPARING[-1].join()  # drawing it now would draw it twice
    bars = bars_of_weights()
    if not agrees(bars, results):
        return None
    title, uri, width, height, alt = picture(tuple(bars), title_words(bars), alt_text(bars))
    return FrontChart(title, uri, width, height, alt, href)


@functools.lru_cache(maxsize=4)
def picture(bars: tuple[Bar, ...], title: str, alt: str) -> tuple[str, str, int, int, str]:
    """The drawn chart for these bars and words: title, PNG data URI, CSS width and height (px) and
    alt text; drawn once per process (the bars come from the data, not from the reports, so a build
    draws it while its kernels run: :func:`prepare`)."""
    from alliancelib import charts

    fig = draw(bars)
    charts.add_source(fig, SOURCE)
    png = charts.png_bytes(fig)
    width, height = charts.png_size(png)
    uri = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
    return title, uri, round(width / charts.DENSITY), round(height / charts.DENSITY), alt


def prepare(after: threading.Event | None = None) -> threading.Thread:
    """Draw the chart in a background thread (a build calls it while its kernels run, when its own
    process mostly waits; with ``after``, once that event is set, at most 10 s later); the index
    takes the drawing from :func:`picture`'s cache. A failure here is left for the index to meet
    and report."""

    def draw_now() -> None:
        if after is not None:
            after.wait(timeout=10)
        try:
            bars = bars_of_weights()
            picture(tuple(bars), title_words(bars), alt_text(bars))
        except Exception:  # noqa: BLE001 - the index draws it again and reports what is wrong
            pass

    worker = threading.Thread(target=draw_now, name="prepare-front-chart", daemon=True)
    worker.start()
    _PREPARING[:] = [worker]
    return worker


_PREPARING: list[threading.Thread] = []  # the drawing in progress, if any
