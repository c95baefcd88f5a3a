"""The reports in a real headless Chromium: no console errors, every image decoded, every link
resolving, nothing fetched from the network, a table of contents, readable at phone width, and no
code words (snake_case identifiers) in what a reader sees. Screenshots are kept in
test-output/screenshots/."""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import pytest
import shared
from browser import full_page_png, open_page, screenshot_path

from alliancelib import notebooks as nbs
from alliancelib.paths import ROOT, SCENARIOS_DIR

pytestmark = pytest.mark.slow

# A code word: what the reader should never see (a column, result or parameter name).
CODE_WORD = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
# What may stay: file names (results.json, data/car_models.csv, a notebook's .ipynb).
FILE_NAME = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\.(?:csv|json|ipynb|html|pdf|md|toml|xml)\b")
ALLOWED_WORDS: frozenset[str] = frozenset()


@pytest.fixture(scope="module")
def reports(shared_reports: Path) -> Path:
    """The suite's shared build of every notebook for every scenario (tests/shared.py)."""
    return shared_reports


def test_every_notebook_of_every_scenario_builds(reports: Path) -> None:
    scenarios = shared.scenario_names()
    assert len(scenarios) == len(list(SCENARIOS_DIR.glob("*.toml")))
    failed = []
    for scenario in scenarios:
        doc = json.loads((reports / scenario / "results.json").read_text(encoding="utf-8"))
        assert set(doc["notebooks"]) == set(nbs.discover()), scenario
        failed += [
            f"{scenario}/{nb}: {e['error']}" for nb, e in doc["notebooks"].items() if e["status"] != "ok"
        ]
    assert not failed, "\n".join(failed)


# Everything the tests below read from a page, gathered in the browser in one call.
PAGE_FACTS_JS = """() => {
  const all = s => [...document.querySelectorAll(s)];
  return {
    images: all('img').map(e => ({ok: e.complete && e.naturalWidth > 0, alt: e.getAttribute('alt')})),
    links: all('a[href]').map(e => e.href),
    text: document.body.innerText,
    title: document.title,
    toc: all('nav.alliance-toc a').length,
    code: all('.jp-CodeCell .jp-InputArea, .highlight').length,
    sources: all('section.alliance-sources').length,
    scenario: all('h1 .alliance-scenario').map(e => e.innerText),
    made: all('details.alliance-made summary').map(e => e.innerText),
  };
}"""
# The same-page links whose fragment names no element: browsers match the fragment as written
# first, then percent-decoded (HTML spec).
MISSING_TARGETS_JS = """pairs => pairs.filter(([href, raw, dec]) =>
  !(document.getElementById(raw) || document.getElementById(dec))).map(p => p[0])"""
OVERFLOW_JS = "document.documentElement.scrollWidth - window.innerWidth"
WIDTHS = (1280, 390)  # desktop, phone


@dataclass
class Visit:
    """What one opening of a page found (:func:`visit`)."""

    name: str  # the page, relative to the reports folder
    problems: list[str]  # console errors and page errors
    fetched: list[str]  # addresses outside file: and data: it tried to fetch
    faults: list[str]  # images that did not decode or lack alt text, links that do not resolve
    text: str  # what a reader sees: the rendered text (innerText) and the title
    facts: dict[str, Any]  # PAGE_FACTS_JS
    overflow: dict[int, int] = field(default_factory=dict)  # px wider than the screen, by width


def link_faults(page, path: Path, links: list[str]) -> list[str]:
    """The links of the open page ``path`` that do not resolve: a file that does not exist, a
    fragment of the page itself that names no element, a scheme other than file or http(s)."""
    faults, same_page = [], []
    for href in links:
        url = urlparse(href)
        if url.scheme in ("http", "https"):
            if not url.netloc:  # source links: well formed (not followed offline)
                faults.append(f"malformed link {href}")
            continue
        if url.scheme != "file":
            faults.append(f"link that is neither a file nor the web: {href}")
            continue
        target = Path(unquote(url.path))
        if not target.exists():
            faults.append(f"broken link {href}")
        elif url.fragment and target == path:
            same_page.append([href, url.fragment, unquote(url.fragment)])
    missing = page.evaluate(MISSING_TARGETS_JS, same_page) if same_page else []
    return faults + [f"link to no element of the page: {href}" for href in missing]


def visit(context, reports: Path, path: Path, shots: str | None) -> Visit:
    """Open ``path`` once, in a new page of ``context``, at 1280 px, and gather what every test
    of this file checks; with ``shots`` (the screenshots' base name), also its overflow and a
    full-page screenshot at each of WIDTHS (the same page made narrower: the reports are static,
    no script lays them out)."""
    page, problems, fetched = open_page(context, path, width=WIDTHS[0])
    facts = page.evaluate(PAGE_FACTS_JS)
    images = facts.pop("images")
    faults = []
    if not all(i["ok"] for i in images):
        faults.append("an image did not decode")
    if not all(i["alt"] and i["alt"].strip() for i in images):
        faults.append("an image lacks alt text")
    faults += link_faults(page, path, facts.pop("links"))
    seen = Visit(
        str(path.relative_to(reports)),
        problems,
        fetched,
        faults,
        facts.pop("text") + "\n" + facts["title"],
        facts,
    )
    for width in WIDTHS if shots else ():
        if width != WIDTHS[0]:
            page.set_viewport_size({"width": width, "height": 900})
        seen.overflow[width] = page.evaluate(OVERFLOW_JS)
        full_page_png(page, screenshot_path(f"{shots}-{width}px.png"))
    page.close()
    return seen


def first_scenario_pages(reports: Path) -> list[tuple[Path, str]]:
    """The pages kept as screenshots: the index and every report of the first scenario, with
    the screenshots' base names."""
    first = reports / shared.scenario_names()[0]
    return [(reports / "index.html", "index"), *((p, p.stem) for p in sorted(first.glob("*.html")))]


@pytest.fixture(scope="module")
def visits(browser, reports: Path) -> dict[Path, Visit]:
    """Every page (the index and every report of every scenario) opened once, by path (each in a
    page of its own, all in one browser context: the pages keep no state)."""
    shots = dict(first_scenario_pages(reports))
    pages = [reports / "index.html", *sorted(reports.glob("*/*.html"))]
    context = browser.new_context()
    try:
        return {path: visit(context, reports, path, shots.get(path)) for path in pages}
    finally:
        context.close()


def test_index_and_every_report(visits: dict[Path, Visit]) -> None:
    """No console error, nothing fetched from the network, every image decoded with alt text and
    every internal link resolving, on the index and every report of every scenario."""
    assert len(visits) == 1 + len(list(SCENARIOS_DIR.glob("*.toml"))) * len(nbs.discover())
    found = []
    for v in visits.values():
        found += [f"{v.name}: {p}" for p in v.problems]
        found += [f"{v.name} fetched {url}" for url in v.fetched]
        found += [f"{v.name}: {f}" for f in v.faults]
    assert not found, "\n".join(found)


def code_words(text: str) -> Counter[str]:
    """The snake_case words of a visible text, file names and allowed words left out.

    >>> sorted(code_words("Capital (%) economic_pct, see results.json and data/car_models.csv"))
    ['economic_pct']
    """
    return Counter(w for w in CODE_WORD.findall(FILE_NAME.sub(" ", text)) if w not in ALLOWED_WORDS)


def test_no_code_words_in_what_a_reader_sees(visits: dict[Path, Visit]) -> None:
    """The visible text (innerText: what is rendered, not the HTML source) and the title of the
    index and every report hold no snake_case identifier."""
    found = {v.name: words for v in visits.values() if (words := code_words(v.text))}
    assert not found, "code words a reader sees:\n" + "\n".join(
        f"{name}: " + ", ".join(f"{w} ({n})" if n > 1 else w for w, n in sorted(words.items()))
        for name, words in found.items()
    )


def test_reports_have_a_linked_table_of_contents_and_hide_code(
    visits: dict[Path, Visit], reports: Path
) -> None:
    """Every report of the first scenario: a table of contents of at least 4 links, no code shown,
    one sources section, and the report's title and scenario (not a file name) in the browser tab,
    the heading and the box of what made it."""
    found = []
    reports_of_base = [path for path, _ in first_scenario_pages(reports)[1:]]
    assert len(reports_of_base) == len(nbs.discover())
    for path in reports_of_base:
        v = visits[path]
        title = nbs.title(ROOT / "notebooks" / f"{path.stem}.ipynb") + " — base scenario"
        f = v.facts
        checks = [  # (what it should have, whether it has it, what it has)
            ("a table of contents of at least 4 links", f["toc"] >= 4, f"{f['toc']} links"),
            ("no code shown", f["code"] == 0, f"{f['code']} code blocks"),
            ("one sources section", f["sources"] == 1, f"{f['sources']}"),
            (f"the tab's title {title!r}", f["title"] == title, repr(f["title"])),
            (
                "one scenario in the heading, '— base scenario'",
                [s.strip() for s in f["scenario"]] == ["— base scenario"],
                repr(f["scenario"]),
            ),
            (
                "one box of what made it, 'Base scenario...'",
                len(f["made"]) == 1 and f["made"][0].startswith("Base scenario"),
                repr(f["made"]),
            ),
        ]
        found += [f"{v.name}: should have {what}; has {got}" for what, ok, got in checks if not ok]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("width", WIDTHS)
def test_screenshots_and_phone_width(visits: dict[Path, Visit], reports: Path, width: int) -> None:
    """The index and every report of the first scenario fit the screen's width (desktop and
    phone) and are kept as full-page screenshots in test-output/screenshots/."""
    pages = first_scenario_pages(reports)
    assert len(pages) == 1 + len(list((ROOT / "notebooks").glob("*.ipynb")))
    wide = [
        f"{name} is {visits[path].overflow[width]}px wider than a {width}px screen"
        for path, name in pages
        if visits[path].overflow[width] > 1
    ]
    assert not wide, "\n".join(wide)
    small = [name for _, name in pages if screenshot_path(f"{name}-{width}px.png").stat().st_size <= 10_000]
    assert not small, f"screenshots at {width}px of under 10 kB: {small}"
