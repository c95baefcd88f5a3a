"""Helpers for tests that drive Debian's Chromium with Playwright (no browser download)."""

from __future__ import annotations

import shutil
from pathlib import Path

from alliancelib.paths import ROOT

SCREENSHOTS = ROOT / "test-output" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-sync",
    "--disable-background-networking",
    "--disable-component-update",
]


def chromium_path() -> str:
    """The Chromium executable; an AssertionError saying how to install it if there is none
    (.ci/run and `make test` install it with apt-get)."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    assert found, "Chromium is needed for the browser tests: apt-get install -y chromium"
    return found


def open_page(browser, path: Path, width: int = 1280, height: int = 900):
    """Open a local page with the network refused; returns the page, the console errors and page
    errors it raised, and the addresses it tried to fetch. ``browser`` is a Browser (the page gets
    a context of its own) or a BrowserContext (a new page in it: cheaper, for many pages)."""
    viewport = {"width": width, "height": height}
    if hasattr(browser, "new_context"):
        page = browser.new_page(viewport=viewport)
    else:
        page = browser.new_page()
        page.set_viewport_size(viewport)
    problems: list[str] = []
    page.on(
        "console", lambda m: problems.append(f"console {m.type}: {m.text}") if m.type == "error" else None
    )
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


def screenshot_path(name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / name


def full_page_png(page, path: Path) -> None:
    """A screenshot of the whole page as PNG, as ``page.screenshot(full_page=True)`` takes it, pixel
    for pixel, but encoded by Chromium for speed rather than size (``optimizeForSpeed``: about a
    quarter larger, twice as fast on a page 20,000 px tall)."""
    import base64

    cdp = page.context.new_cdp_session(page)
    try:
        size = cdp.send("Page.getLayoutMetrics")["cssContentSize"]
        shot = cdp.send(
            "Page.captureScreenshot",
            {
                "format": "png",
                "optimizeForSpeed": True,
                "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1},
            },
        )
    finally:
        cdp.detach()
    path.write_bytes(base64.b64decode(shot["data"]))


# Printable width of an A4 page with the reports' margins (print.css: 13 mm left and right), in CSS px.
A4_PRINTABLE_PX = int((210 - 26) / 25.4 * 96)

# What the print layout of a page gets wrong: how far the page is wider than the printable width
# (Chromium would shrink every page to fit), the elements that reach beyond it, and the boxes whose
# content is cut off (a scrollbar or a clipped table on paper).
PRINT_LAYOUT_JS = """(limit) => {
  const name = e => e.tagName.toLowerCase() + (e.className && typeof e.className === 'string'
                    ? '.' + e.className.trim().split(/\\s+/).join('.') : '');
  const out = {pageOverflow: document.documentElement.scrollWidth - limit, wide: [], clipped: []};
  for (const e of document.querySelectorAll('body *')) {
    const r = e.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) continue;
    if (r.right > limit + 1) out.wide.push(`${name(e)} ends at ${Math.round(r.right)}px`);
    const s = getComputedStyle(e);
    if (['auto', 'scroll', 'hidden'].includes(s.overflowX) && e.scrollWidth > e.clientWidth + 1)
      out.clipped.push(`${name(e)} holds ${e.scrollWidth}px in ${e.clientWidth}px`);
  }
  return out;
}"""


def print_layout_problems(page) -> list[str]:
    """Lay the open page out as Chromium prints it (print media, A4 printable width) and list what
    would be wider than the paper or cut off."""
    page.set_viewport_size({"width": A4_PRINTABLE_PX, "height": 1100})
    page.emulate_media(media="print")
    found = page.evaluate(PRINT_LAYOUT_JS, A4_PRINTABLE_PX)
    problems = []
    if found["pageOverflow"] > 1:
        problems.append(f"the page is {found['pageOverflow']}px wider than A4's printable width")
    problems += [f"wider than the page: {w}" for w in found["wide"][:10]]
    problems += [f"cut off (prints a scrollbar): {c}" for c in found["clipped"][:10]]
    return problems


def pdf_pages_problems(pdf, resolution: int = 40, margin_mm: float = 8.0) -> list[str]:
    """Render a PDF's pages to images with pdftoppm (poppler-utils) and list the pages that are not
    portrait or that have ink in the right or left margin strip (content beyond the printable area)."""
    import subprocess
    import tempfile
    from pathlib import Path

    from PIL import Image

    assert shutil.which("pdftoppm"), "pdftoppm is needed: apt-get install -y poppler-utils"
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        # greymaps (PGM): the same pixels as PNG, without the encoding (a third of the time)
        subprocess.run(["pdftoppm", "-r", str(resolution), "-gray", str(pdf), f"{tmp}/p"], check=True)
        pages = sorted(Path(tmp).glob("p-*.pgm"), key=lambda p: int(p.stem.split("-")[1]))
        for number, path in enumerate(pages, 1):
            img = Image.open(path).convert("L")
            w, h = img.size
            if w >= h:
                problems.append(f"page {number} is not portrait ({w}x{h})")
            strip = round(margin_mm / 25.4 * resolution)
            for side, box in (("right", (w - strip, 0, w, h)), ("left", (0, 0, strip, h))):
                if img.crop(box).getextrema()[0] < 200:
                    problems.append(f"page {number}: ink in the {side} margin (content wider than the page)")
    return problems


FIRST_WORD_JS = """() => {
  const h = document.querySelector('h1');
  const walker = document.createTreeWalker(h, NodeFilter.SHOW_TEXT);
  let node = walker.nextNode();
  while (node && !node.textContent.trim()) node = walker.nextNode();
  const word = node.textContent.trim().split(/\\s+/)[0];
  const start = node.textContent.indexOf(word);
  const range = document.createRange();
  range.setStart(node, start);
  range.setEnd(node, start + word.length);
  return [word, range.getBoundingClientRect().width];
}"""


def print_scale(page, pdf) -> float:
    """How much Chromium scaled the printed page: the width of the title's first word in the PDF
    (points) over its width in the print layout of the open page (CSS px), divided by 0.75 (72 pt
    per 96 px). 1.0 is true size; below 1, Chromium shrank the page because something was wider
    than the paper."""
    import re
    import subprocess

    page.set_viewport_size({"width": A4_PRINTABLE_PX, "height": 1100})
    page.emulate_media(media="print")
    word, width_px = page.evaluate(FIRST_WORD_JS)
    assert shutil.which("pdftotext"), "pdftotext is needed: apt-get install -y poppler-utils"
    boxes = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", "-bbox", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    # the running header repeats the title in small type: the title itself is the widest instance
    widths = [
        float(x_max) - float(x_min)
        for x_min, x_max, text in re.findall(
            r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]*)</word>', boxes
        )
        if text == word
    ]
    if widths:
        return max(widths) / width_px / 0.75
    raise AssertionError(f"the title's first word {word!r} is not on page 1 of {pdf}")
