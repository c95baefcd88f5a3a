"""The reports in a real headless Chromium: no console errors, every image decoded, every link
resolving, nothing fetched from the network, a table of contents, readable at phone width.
Screenshots are kept in test-output/screenshots/."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from browser import CHROMIUM_ARGS, chromium_path, screenshot_path
from playwright.sync_api import sync_playwright

from alliancelib import build as b
from alliancelib.paths import SCENARIOS_DIR

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("browser") / "reports"
    scenarios = [b.load_scenario(f) for f in sorted(SCENARIOS_DIR.glob("*.toml"))]
    outcomes = b.build(out, scenarios)
    assert all(o.ok for o in outcomes)
    return out


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as p:
        br = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield br
        br.close()


def open_page(browser, path: Path, width: int = 1280, height: int = 900):
    page = browser.new_page(viewport={"width": width, "height": height})
    problems: list[str] = []
    page.on("console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(f"page error: {e}"))
    fetched: list[str] = []

    def route(r):
        if r.request.url.startswith(("file:", "data:")):
            r.continue_()
        else:
            fetched.append(r.request.url)
            r.abort()
    page.route("**/*", route)
    page.goto(path.as_uri(), wait_until="load")
    return page, problems, fetched


def check_page(browser, path: Path) -> None:
    page, problems, fetched = open_page(browser, path)
    assert not problems, problems
    assert not fetched, f"{path.name} fetched {fetched}"
    images = page.eval_on_selector_all(
        "img", "els => els.map(e => ({ok: e.complete && e.naturalWidth > 0, alt: e.getAttribute('alt')}))")
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
            assert page.evaluate("([raw, dec]) => !!(document.getElementById(raw) || document.getElementById(dec))",
                                 [url.fragment, unquote(url.fragment)]), href
    page.close()


def test_index_and_every_report(browser, reports: Path) -> None:
    pages = [reports / "index.html", *sorted(reports.glob("*/*.html"))]
    assert len(pages) == 1 + 3 * 5
    for path in pages:
        check_page(browser, path)


def test_reports_have_a_linked_table_of_contents_and_hide_code(browser, reports: Path) -> None:
    for path in sorted((reports / "base").glob("*.html")):
        page, _, _ = open_page(browser, path)
        toc = page.locator("nav.alliance-toc a")
        assert toc.count() >= 4, path.name
        assert page.locator(".jp-CodeCell .jp-InputArea, .highlight").count() == 0  # no code shown
        assert page.locator("section.alliance-sources").count() == 1
        page.close()


@pytest.mark.parametrize("width", [1280, 390])
def test_screenshots_and_phone_width(browser, reports: Path, width: int) -> None:
    for path, name in [(reports / "index.html", "index"), (reports / "base" / "03_ev_pricing.html", "report")]:
        page, problems, _ = open_page(browser, path, width=width, height=900)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, f"{name} is {overflow}px wider than a {width}px screen"
        page.screenshot(path=str(screenshot_path(f"{name}-{width}px.png")), full_page=True)
        assert not problems
        page.close()
    assert screenshot_path(f"index-{width}px.png").stat().st_size > 10_000


def test_pdf_of_the_index_and_reports(tmp_path: Path) -> None:
    out = tmp_path / "r"
    b.build(out, only=["02_india_transfer"], pdf=True)
    for pdf in (out / "index.pdf", out / "default" / "02_india_transfer.pdf"):
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF") and len(data) > 20_000, pdf
    assert 'href="default/02_india_transfer.pdf"' in (out / "index.html").read_text()


def test_pdf_without_chromium_says_how_to_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(b.shutil, "which", lambda name: None)
    monkeypatch.delenv("ALLIANCE_CHROMIUM", raising=False)
    with pytest.raises(b.BuildError, match="apt-get install -y chromium"):
        b.build(tmp_path / "r", only=["02_india_transfer"], pdf=True)
    assert not (tmp_path / "r").exists()
