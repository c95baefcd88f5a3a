"""The front page as the suite's build writes it (tests/shared.py: every notebook, every scenario):
it opens with the verdict (at most 150 words, every link to a report of the base scenario that
exists), then its chart (linked to 01), then the key findings; the scenarios are compared in one table of linked cells, with no
mini-charts; and no probability words anywhere on it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_index import visible
from test_verdict import read, text_of

from alliancelib import index, verdict

pytestmark = pytest.mark.slow


def check_front_page(reports: Path) -> None:
    """Every property this module tests, on the index of a build folder ``reports``."""
    html = (reports / "index.html").read_text(encoding="utf-8")
    assert html.index('id="verdict"') < html.index('id="key-findings"') < html.index('id="notebooks"')
    words = verdict.words(text_of(html))
    assert 0 < words <= verdict.MAX_WORDS, words
    for _, href in read(html).links:
        page, _, anchor = href.partition("#")
        assert (reports / page).is_file(), href
        if anchor:  # the section the number links to is in that report
            assert f'id="{anchor}"' in (reports / page).read_text(encoding="utf-8"), href
    # the one chart, under the verdict, linked to the 01 section that computes it
    assert html.index('id="verdict"') < html.index('id="stake-chart"') < html.index('id="key-findings"')
    chart = html.split('id="stake-chart"', 1)[1].split("</figure>", 1)[0]
    assert 'src="data:image/png;base64,' in chart
    for href in re.findall(r'href="([^"]+)"', chart):
        page, _, anchor = href.partition("#")
        assert page.endswith("/01_ownership.html") and (reports / page).is_file(), href
        if anchor:
            assert f'id="{anchor}"' in (reports / page).read_text(encoding="utf-8"), href
    compared = html.split('id="results"', 1)[1]
    assert "<svg" not in compared and "<figure" not in compared
    for href in re.findall(r'<td class="num"><a href="([^"]+)"', compared):
        assert (reports / href).is_file(), href
    assert index.odds_words(visible(html)) == [], index.odds_words(visible(html))


def test_the_built_front_page(shared_reports: Path) -> None:
    check_front_page(shared_reports)
