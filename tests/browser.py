"""Helpers for tests that drive Debian's Chromium with Playwright (no browser download)."""

from __future__ import annotations

import shutil
from pathlib import Path

from alliancelib.paths import ROOT

SCREENSHOTS = ROOT / "test-output" / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync",
                 "--disable-background-networking", "--disable-component-update"]


def chromium_path() -> str:
    """The Chromium executable; an AssertionError saying how to install it if there is none
    (.ci/run and `make test` install it with apt-get)."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    assert found, "Chromium is needed for the browser tests: apt-get install -y chromium"
    return found


def screenshot_path(name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / name


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


def pdf_pages_problems(pdf, resolution: int = 40, margin_mm: float = 10.0) -> list[str]:
    """Render a PDF's pages to images with pdftoppm (poppler-utils) and list the pages with ink in
    the right or left margin strip (content beyond the printable area); also checks each page is
    A4 portrait."""
    import subprocess
    import tempfile
    from pathlib import Path

    from PIL import Image

    assert shutil.which("pdftoppm"), "pdftoppm is needed: apt-get install -y poppler-utils"
    problems = []
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-r", str(resolution), "-gray", "-png", str(pdf), f"{tmp}/p"], check=True)
        pages = sorted(Path(tmp).glob("p-*.png"), key=lambda p: int(p.stem.split("-")[1]))
        for number, path in enumerate(pages, 1):
            img = Image.open(path)
            w, h = img.size
            if abs(w / h - 210 / 297) > 0.01:
                problems.append(f"page {number} is not A4 portrait ({w}x{h})")
            strip = round(margin_mm / 25.4 * resolution)
            for side, box in (("right", (w - strip, 0, w, h)), ("left", (0, 0, strip, h))):
                darkest = img.crop(box).getextrema()[0]
                if darkest < 200:
                    problems.append(f"page {number}: ink in the {side} margin (content wider than the page)")
    return problems
