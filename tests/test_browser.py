"""The reports in a real headless Chromium: no console errors, every image decoded, every link
resolving, nothing fetched from the network, a table of contents, readable at phone width, and no
code words (snake_case identifiers) in what a reader sees. Screenshots are kept in
test-output/screenshots/."""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
import shared
from browser import open_page, screenshot_path

from alliancelib import build as b
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


def check_page(browser, path: Path) -> None:
    page, problems, fetched = open_page(browser, path)
    assert not problems, problems
    assert not fetched, f"{path.name} fetched {fetched}"
    images = page.eval_on_selector_all(
        "img", "els => els.map(e => ({ok: e.complete && e.naturalWidth > 0, alt: e.getAttribute('alt')}))"
    )
    assert all(i["ok"] for i in images), f"{path.name}: an image did not decode"
    assert all(i["alt"] and i["alt"].strip() for i in images), f"{path.name}: an image lacks alt text"
    for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
        url = urlparse(href)
        if url.scheme in ("http", "https"):
            assert url.netloc, href  # source links: well formed (not followed offline)
            continue
        assert url.scheme == "file", href
        target = Path(unquote(url.path))
        assert target.exists(), f"{path.name}: broken link {href}"
        if url.fragment and target == path:
            # browsers match the fragment as written first, then percent-decoded (HTML spec)
            assert page.evaluate(
                "([raw, dec]) => !!(document.getElementById(raw) || document.getElementById(dec))",
                [url.fragment, unquote(url.fragment)],
            ), href
    page.close()


def test_index_and_every_report(browser, reports: Path) -> None:
    pages = [reports / "index.html", *sorted(reports.glob("*/*.html"))]
    assert len(pages) == 1 + len(list(SCENARIOS_DIR.glob("*.toml"))) * len(nbs.discover())
    for path in pages:
        check_page(browser, path)


def code_words(text: str) -> Counter[str]:
    """The snake_case words of a visible text, file names and allowed words left out.

    >>> sorted(code_words("Capital (%) economic_pct, see results.json and data/car_models.csv"))
    ['economic_pct']
    """
    return Counter(w for w in CODE_WORD.findall(FILE_NAME.sub(" ", text)) if w not in ALLOWED_WORDS)


def test_no_code_words_in_what_a_reader_sees(browser, reports: Path) -> None:
    """The visible text (innerText: what is rendered, not the HTML source) of the index and every
    report holds no snake_case identifier."""
    found = {}
    for path in [reports / "index.html", *sorted(reports.glob("*/*.html"))]:
        page, _, _ = open_page(browser, path)
        words = code_words(page.evaluate("document.body.innerText") + "\n" + page.title())
        page.close()
        if words:
            found[str(path.relative_to(reports))] = words
    assert not found, "code words a reader sees:\n" + "\n".join(
        f"{name}: " + ", ".join(f"{w} ({n})" if n > 1 else w for w, n in sorted(words.items()))
        for name, words in found.items()
    )


def test_reports_have_a_linked_table_of_contents_and_hide_code(browser, reports: Path) -> None:
    for path in sorted((reports / shared.scenario_names()[0]).glob("*.html")):
        page, _, _ = open_page(browser, path)
        toc = page.locator("nav.alliance-toc a")
        assert toc.count() >= 4, path.name
        assert page.locator(".jp-CodeCell .jp-InputArea, .highlight").count() == 0  # no code shown
        assert page.locator("section.alliance-sources").count() == 1
        # the browser tab and bookmarks carry the report's title and scenario, not a file name
        assert page.title() == nbs.title(ROOT / "notebooks" / f"{path.stem}.ipynb") + " — base scenario"
        assert (
            page.locator("h1 .alliance-scenario").inner_text() == " — base scenario"
            or page.locator("h1 .alliance-scenario").inner_text().strip() == "— base scenario"
        )
        assert page.locator("details.alliance-made summary").inner_text().startswith("Base scenario")
        page.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_screenshots_and_phone_width(browser, reports: Path, width: int) -> None:
    pages = [(reports / "index.html", "index")]
    pages += [(path, path.stem) for path in sorted((reports / shared.scenario_names()[0]).glob("*.html"))]
    assert len(pages) == 1 + len(list((ROOT / "notebooks").glob("*.ipynb")))
    for path, name in pages:
        page, problems, _ = open_page(browser, path, width=width, height=900)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{name} is {overflow}px wider than a {width}px screen"
        page.screenshot(path=str(screenshot_path(f"{name}-{width}px.png")), full_page=True)
        assert not problems
        page.close()
    for _, name in pages:
        assert screenshot_path(f"{name}-{width}px.png").stat().st_size > 10_000, name


def test_pdf_of_the_index_and_reports(reports: Path, tmp_path: Path) -> None:
    """``--pdf`` prints the reports it builds and the index, and the index links them: a build of
    one notebook into a copy of the shared build (its cache too: no kernel starts)."""
    out = tmp_path / "r"
    shutil.copytree(reports, out)
    scenario = shared.scenario_files()[0]
    name = b.load_scenario(scenario).name
    outcomes = b.build(out, [b.load_scenario(scenario)], only=["02_india_transfer"], pdf=True)
    assert [o.cached for o in outcomes] == [True]
    for pdf in (out / "index.pdf", out / name / "02_india_transfer.pdf"):
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF") and len(data) > 20_000, pdf
    assert f'href="{name}/02_india_transfer.pdf"' in (out / "index.html").read_text()


def test_pdf_without_chromium_says_how_to_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(b.shutil, "which", lambda name: None)
    monkeypatch.delenv("ALLIANCE_CHROMIUM", raising=False)
    with pytest.raises(b.BuildError, match="apt-get install -y chromium"):
        b.build(tmp_path / "r", only=["02_india_transfer"], pdf=True)
    assert not (tmp_path / "r").exists()
