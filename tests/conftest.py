"""Shared fixtures: a private copy of the data folder that a test may corrupt."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from early import defer_rfc3987_syntax
from helpers import examples
from hypothesis import settings

from alliancelib.paths import DATA_DIR

GUARD_DIR = Path(__file__).resolve().parent / "netguard"

defer_rfc3987_syntax()  # a no-op after `-p tests.early` (make test): see tests/early.py

# Property tests draw the same cases on every run and every machine (no example database, no
# random seed): a failure is reproducible and CI cannot go red by chance.
settings.register_profile("deterministic", derandomize=True, database=None, max_examples=examples(100))
settings.load_profile("deterministic")


# Tests `make test-fast` leaves to `make test` although they start no kernel: they draw and lay out
# charts (every chart's label placement, the what-if explorer's widgets), export report pages, or
# run the stock Frictionless tool in a subprocess. Marked here, by module and name, so a new chart
# test is marked too without anyone remembering to.
HEAVY_MODULES = frozenset({"test_explorer.py", "test_charts.py", "test_report_page.py"})
HEAVY_WORDS = ("chart", "stock_frictionless", "stock_tool")


def is_heavy(module: str, name: str) -> bool:
    """Whether a test is ``heavy`` (see :data:`HEAVY_MODULES`): by its file's name or its own."""
    return module in HEAVY_MODULES or any(word in name for word in HEAVY_WORDS)


# The files that take longest in `make test` (the durations in CONTRIBUTING, "The suite's time"),
# longest first. pytest-xdist hands each worker whole files (--dist loadfile) in collection order
# (make test passes --no-loadscope-reorder): started first, the long files run side by side while
# the many short ones fill in after them, and no worker waits at the end for the other's last long
# file. A stale list costs only balance, never a result.
LONGEST_FIRST = (
    "test_browser.py",
    "test_faults.py",
    "test_jupyterlab.py",
    "test_preview.py",
    "test_explorer.py",
    "test_cache.py",
    "test_pdf.py",
    "test_keep.py",
    "test_editions.py",
    "test_corners.py",
    "test_fuzz.py",
)


def run_order(item: pytest.Item) -> int:
    """Where an item's file runs: the :data:`LONGEST_FIRST` files in their order, then the other
    files that start a kernel or browser (slow tests, and nbval's notebooks), then the rest."""
    name = item.path.name
    if name in LONGEST_FIRST:
        return LONGEST_FIRST.index(name)
    slow = item.get_closest_marker("slow") is not None or item.path.suffix == ".ipynb"
    return len(LONGEST_FIRST) + (0 if slow else 1)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the heavy tests (``-m "not heavy"`` skips them; ``make test`` runs everything), and put
    the long files first (:func:`run_order`; the order within a file is kept)."""
    for item in items:
        if is_heavy(item.path.name, item.name):
            item.add_marker(pytest.mark.heavy)
    by_file: dict[Path, int] = {}
    for item in items:
        by_file[item.path] = min(by_file.get(item.path, len(LONGEST_FIRST) + 1), run_order(item))
    items.sort(key=lambda item: by_file[item.path])  # stable: each file's own order stays


def pytest_configure(config: pytest.Config) -> None:
    """Block the network here and in every child process (kernels, CLI) for the whole suite."""
    import os
    import sys

    os.environ["ALLIANCE_BLOCK_NETWORK"] = "1"
    paths = [str(GUARD_DIR)] + [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    os.environ["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))
    if str(GUARD_DIR) not in sys.path:
        sys.path.insert(0, str(GUARD_DIR))
    import alliance_netguard

    alliance_netguard.install()


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A copy of data/ in tmp_path (named data, so messages read data/<file>)."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


@pytest.fixture(autouse=True)
def _working_directory_is_restored():
    """No test may leave the process in another folder (nbval resolves paths from it)."""
    import os

    before = os.getcwd()
    yield
    assert os.getcwd() == before, f"the test left the working directory at {os.getcwd()}"


@pytest.fixture(scope="session")
def shared_reports() -> Path:
    """The suite's one build of every notebook for every scenario (tests/shared.py): built by
    ``make test`` before pytest, else here on first use (once, under a file lock)."""
    from shared import shared_build

    return shared_build()


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium (the system's, no network), one per test module."""
    from browser import CHROMIUM_ARGS, chromium_path
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        br = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield br
        br.close()
