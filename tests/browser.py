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
