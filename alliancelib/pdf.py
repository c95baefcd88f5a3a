"""PDF printing with headless Chromium (``alliance build --pdf``).

Debian's ``chromium`` (or ``$ALLIANCE_CHROMIUM``) prints each page with its own temporary
profile and no network activity of its own; the pages' print styles (``print.css``) decide the
layout. A missing browser is a BuildError, raised before anything runs, that says how to install
one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from alliancelib.errors import BuildError

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-pdf-header-footer",
)


def find_chromium() -> str:
    """Path of a Chromium to print PDFs with ($ALLIANCE_CHROMIUM, else on PATH); BuildError
    saying how to install one if there is none."""
    explicit = os.environ.get("ALLIANCE_CHROMIUM")
    if explicit:
        if not Path(explicit).exists():
            raise BuildError(f"--pdf: ALLIANCE_CHROMIUM={explicit} does not exist")
        return explicit
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise BuildError(
        "--pdf needs Chromium, which is not installed. On Debian or Ubuntu: "
        "sudo apt-get update && sudo apt-get install -y chromium "
        "(or set ALLIANCE_CHROMIUM to a Chrome or Chromium executable)"
    )


def print_pdf(browser: str, page: Path) -> Path:
    """Print an HTML page to ``page.pdf`` with headless Chromium (its own temporary profile)."""
    target = page.with_suffix(".pdf")
    with tempfile.TemporaryDirectory(prefix="alliance-chromium-") as profile:
        done = subprocess.run(
            [
                browser,
                *CHROMIUM_FLAGS,
                f"--user-data-dir={profile}",
                f"--print-to-pdf={target}",
                page.as_uri(),
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
    if done.returncode != 0 or not target.exists():
        raise BuildError(f"Chromium could not print {page.name}: {done.stderr.strip()[-300:]}")
    return target


def print_all(browser: str, pages: Sequence[Path], workers: int) -> list[Path]:
    """Print every page, ``workers`` browsers at a time; the PDFs in the pages' order."""
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        return list(pool.map(lambda page: print_pdf(browser, page), pages))
