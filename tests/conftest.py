"""Shared fixtures: a private copy of the data folder that a test may corrupt."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import examples
from hypothesis import settings

from alliancelib.paths import DATA_DIR

GUARD_DIR = Path(__file__).resolve().parent / "netguard"


def _defer_rfc3987_syntax() -> None:
    """Load ``rfc3987_syntax`` when jsonschema first checks an IRI, not when jsonschema is imported.

    jsonschema imports it, when installed, to check the "iri" formats; it compiles 38 Lark grammars
    on import (1.5 s of CPU). nbformat imports jsonschema, and the test files that import
    nbformat (``buildkit``) are imported by every pytest process at collection, so each xdist
    worker paid it although no test checks an IRI. In its place stands a module whose one name
    jsonschema takes, ``is_valid_syntax``, imports the real module at its first call and hands over:
    the same checks, paid only when used. Kernels and the ``alliance`` command are other processes.
    """
    import importlib
    import importlib.util
    import sys
    import types

    name = "rfc3987_syntax"
    if name in sys.modules or "jsonschema" in sys.modules or importlib.util.find_spec(name) is None:
        return
    real: list[types.ModuleType] = []

    def is_valid_syntax(term: str, value: str) -> bool:
        if not real:
            del sys.modules[name]
            real.append(importlib.import_module(name))
        return real[0].is_valid_syntax(term, value)

    stand_in = types.ModuleType(name, "Stands in for rfc3987_syntax until its first use (tests/conftest.py).")
    stand_in.is_valid_syntax = is_valid_syntax  # type: ignore[attr-defined]
    sys.modules[name] = stand_in


_defer_rfc3987_syntax()

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


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark the heavy tests (``-m "not heavy"`` skips them; ``make test`` runs everything)."""
    for item in items:
        if is_heavy(item.path.name, item.name):
            item.add_marker(pytest.mark.heavy)


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
