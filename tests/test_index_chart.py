"""The front page's one chart (alliancelib.front_chart): the Nissan stake's weight in Renault's
market value at each dated pair of prices, its title the message, drawn at build time from report
01's stake model and shown only when 01's recorded weights read the same; a deterministic PNG
embedded as a data URI, linked to 01, legible at phone width, between the verdict and the key
findings."""

from __future__ import annotations

import base64
import re

from test_verdict import page, record, results

from alliancelib import charts, front_chart
from alliancelib.topics.ownership import stake_weight


def figure_html(html: str) -> str:
    return html.split('<figure class="front-chart"', 1)[1].split("</figure>", 1)[0]


def test_the_chart_sits_under_the_verdict_linked_to_01() -> None:
    html = page(results())
    assert html.index('id="verdict"') < html.index('id="stake-chart"') < html.index('id="key-findings"')
    fig = figure_html(html)
    hrefs = re.findall(r'href="([^"]+)"', fig)
    assert hrefs and all(h.startswith("base/01_ownership.html") for h in hrefs)
    uri = re.search(r'src="data:image/png;base64,([^"]+)"', fig)
    assert uri is not None
    png = base64.b64decode(uri.group(1))
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width = int(re.search(r'width="(\d+)"', fig).group(1))  # type: ignore[union-attr]
    assert width == round(charts.png_size(png)[0] / charts.DENSITY)
    # legible at 390 px: shown at its own size in a phone's 366 px column (not shrunk), never wider
    assert width <= 366 and "max-width: 100%" in html
    # the title is the message, with the numbers 01 records
    alt = re.search(r'alt="([^"]+)"', fig).group(1)  # type: ignore[union-attr]
    assert "weight in Renault&#39;s market value rose from 23% to 32–35%. 31 March 2025: 23%" in alt


def test_the_png_is_the_same_bytes_every_build() -> None:
    a = figure_html(page(results()))
    assert a == figure_html(page(results()))


def test_one_bar_per_dated_pair_of_prices_and_no_clashing_text() -> None:
    bars = front_chart.bars_of_weights()
    weights = stake_weight.weights()
    assert [b.day for b in bars] == [w.pairing.day for w in weights] and len(bars) >= 2
    assert [round(b.share_pct, 6) for b in bars] == [round(w.share_pct, 6) for w in weights]
    assert bars[0].prices == "Renault EUR 45.94 · Nissan JPY 379 (derived)"
    fig = front_chart.draw(bars)
    charts.add_source(fig, front_chart.SOURCE)
    assert charts.text_overlaps(fig) == [] and charts.texts_outside(fig) == []
    texts = [t for t, _ in charts.drawn_texts(fig)]
    for b in bars:  # every bar labelled directly, with its date and both prices
        assert front_chart.pct_span(b.low_pct, b.high_pct) in texts
        assert any(b.prices in t for t in texts)


def test_the_title_says_which_way_it_moved() -> None:
    up = [front_chart.Bar("2025-03-31", 20, 20, 20, ""), front_chart.Bar("2026-02-19", 30, 29, 31, "")]
    assert front_chart.title_words(up).endswith(" weight in Renault's market value rose from 20% to 29–31%")
    assert " fell from 29–31% " in front_chart.title_words(up[::-1])
    flat = [up[0], front_chart.Bar("2025-07-01", 20.2, 20.2, 20.2, "")]
    assert "stayed at about 20%" in front_chart.title_words(flat)


def test_no_chart_when_01_records_other_weights_or_none() -> None:
    res = results()
    res["01_ownership"]["stake_share_of_renault_value_latest_pct"] = record(
        "stake_share_of_renault_value_latest_pct", 40.0, "%", 39.0, 41.0
    )
    assert 'id="stake-chart"' not in page(res)
    res = results()
    del res["01_ownership"]["renault_nissan_stake_share_of_renault_value_pct"]
    assert 'id="stake-chart"' not in page(res)
    res = results()
    del res["01_ownership"]
    assert 'id="stake-chart"' not in page(res)
