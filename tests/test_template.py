"""The report template in a real headless Chromium, on a report built without a kernel
(tests/showcase.py) by the real exporter: maths typeset offline as MathML, code spans untouched,
the key findings box before the contents, the results rows lined up as one table, wide tables
scrolling inside their box at phone width, and no code words in what a reader sees."""

from __future__ import annotations

from pathlib import Path

import pytest
import showcase
from browser import open_page, print_layout_problems, screenshot_path

from alliancelib.results import CODE_WORD

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return showcase.write_report(tmp_path_factory.mktemp("showcase"))


def test_maths_is_typeset_offline(browser, report: Path) -> None:
    page, errors, fetched = open_page(browser, report)
    sizes = page.eval_on_selector_all(
        "math",
        "els => els.map(e => { const r = e.getBoundingClientRect();"
        " return [r.width, r.height, e.getAttribute('display')]; })",
    )
    assert len(sizes) == 3 and all(w > 20 and h > 10 for w, h, _ in sizes), sizes
    block = next(s for s in sizes if s[2] == "block")
    assert block[1] > 18  # a display formula gets its own line
    text = page.inner_text("body")
    assert "\\tilde" not in text and "$$" not in text  # no raw LaTeX shown
    assert not fetched and not errors
    page.close()


def test_findings_box_comes_first_then_the_contents(browser, report: Path) -> None:
    page, _, _ = open_page(browser, report)
    order = page.evaluate("""() => {
        const all = [...document.querySelectorAll('aside.alliance-findings, nav.alliance-toc, h2')];
        return all.map(e => e.tagName.toLowerCase()); }""")
    assert order[:3] == ["aside", "nav", "h2"]
    assert (
        page.locator("aside.alliance-findings")
        .inner_text()
        .startswith("Key findings · news to 2026-03-12 · latest exchange rate used 2025-03-31")
    )
    page.close()


def test_results_rows_line_up_as_one_table(browser, report: Path) -> None:
    for width in (1280, 390):
        page, _, _ = open_page(browser, report, width)
        columns = page.evaluate("""() => [...document.querySelectorAll('.alliance-results-head, .alliance-results-row')]
            .map(row => [...row.children].map(c => Math.round(c.getBoundingClientRect().left)))""")
        assert len(columns) == 4 and all(c == columns[0] for c in columns), (width, columns)
        rights = page.evaluate("""() => [...document.querySelectorAll('.ar-value')]
            .map(c => Math.round(c.getBoundingClientRect().right))""")
        assert len(set(rights)) == 1, rights  # values right-aligned on one edge
        page.close()


def test_phone_width_scrolls_wide_tables_inside_their_box(browser, report: Path) -> None:
    page, _, _ = open_page(browser, report, 390)
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1
    scroll = page.evaluate(
        "() => { const e = document.querySelector('.alliance-scroll');"
        " return [e.scrollWidth, e.clientWidth]; }"
    )
    assert scroll[0] > scroll[1]  # the wide table scrolls in its own box
    page.screenshot(path=str(screenshot_path("showcase-390px.png")), full_page=True)
    page.close()


def test_print_layout_fits_the_page(browser, report: Path) -> None:
    page, _, _ = open_page(browser, report)
    assert print_layout_problems(page) == []
    page.close()


def test_print_layout_check_catches_a_wide_page(browser, tmp_path: Path) -> None:
    wide = tmp_path / "wide.html"
    wide.write_text(
        '<div style="overflow-x:auto"><table><tr><td style="white-space:nowrap">'
        + "x" * 400
        + '</td></tr></table></div><div style="width:1200px">wide</div>'
    )
    page, _, _ = open_page(browser, wide)
    problems = print_layout_problems(page)
    assert any("wider than A4" in p for p in problems) and any("cut off" in p for p in problems)
    page.close()


def test_no_code_words_in_what_a_reader_sees(browser, report: Path) -> None:
    page, _, _ = open_page(browser, report)
    assert CODE_WORD.findall(page.inner_text("body")) == []
    page.close()
