"""The sources footer lists every source a report relies on, and nothing else (issue 22 item 6).

What a report relies on: the sources of the data rows its analysis read through the data layer's
accessors (recorded by :mod:`alliancelib.reads`), the sources its text cites directly
(``reads.cite``), and the sources linked from the table rows it shows. The footer is built from
exactly that (:meth:`alliancelib.core.show.Shows.footer_source_ids`); these tests recompute it
independently (a recording of their own around ``analyse``, the ``#src-`` links of the tables as
the report shows them) for all six notebooks, at the defaults and in every scenario.
"""

from __future__ import annotations

import ast
import importlib
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from helpers import analysed_with_reads

from alliancelib import notebooks as nbs
from alliancelib import reads, report
from alliancelib.data import load, news_as_of
from alliancelib.params import defaults
from alliancelib.paths import NOTEBOOKS_DIR, PACKAGE_DIR, SCENARIOS_DIR
from alliancelib.scenarios import load_scenario, plan, scenario_files

LISTED = re.compile(r'<tr id="src-([^"]+)">')
LINKED = re.compile(r'href="#src-([^"]+)"')


def _module(notebook: str) -> Any:
    return importlib.import_module(nbs.PARAMS[notebook].partition(":")[0])


@cache
def _cases() -> list[tuple[str, str, tuple[tuple[str, Any], ...]]]:
    """(case, notebook, parameters): each notebook at its defaults and in every scenario."""
    out = [("defaults", nb, ()) for nb in nbs.PARAMS]
    for job in plan([load_scenario(f) for f in scenario_files(SCENARIOS_DIR)], None, (), NOTEBOOKS_DIR):
        if job.notebook in nbs.PARAMS:
            out.append((job.scenario, job.notebook, tuple(sorted(job.parameters.items()))))
    return out


def _analyse(
    notebook: str, params: tuple[tuple[str, Any], ...], *, fresh: bool = False
) -> tuple[Any, reads.Reads]:
    """The analysis with a recording of its own around it: the one call ``analysed_with_reads``
    makes per test process (the other test files analyse the same parameters), or a new call."""
    m = _module(notebook)
    p = m.validate_params(**{**defaults(nbs.params_class(notebook)), **dict(params)})
    if not fresh:
        return analysed_with_reads(m, p)
    with reads.recording() as r:
        a = m.analyse(p)
    return a, r


def _linked_from_tables(a: Any) -> set[str]:
    """The sources the shown tables link to, read from their HTML as the report shows it."""
    return {
        sid for frame in a.shown_tables() for sid in LINKED.findall(report.table_bundle(frame)["text/html"])
    }


def _listed(a: Any) -> list[str]:
    html = report.sources_footer_bundle(a.footer_source_ids(), news_as_of=a.news_as_of, fx_as_of=a.fx_as_of)
    return LISTED.findall(html["text/html"])


@pytest.mark.parametrize("case", range(len(_cases())), ids=lambda i: f"{_cases()[i][0]}-{_cases()[i][1][:2]}")
def test_the_footer_lists_what_the_report_relies_on_and_nothing_else(case: int) -> None:
    _, notebook, params = _cases()[case]
    a, recorded = _analyse(notebook, params)
    relied = set(recorded.source_ids()) | _linked_from_tables(a)
    listed = _listed(a)
    assert len(listed) == len(set(listed)), "a source listed twice"
    assert report.footer_problems(listed, relied) == []
    assert set(a.read_source_ids or ()) == set(recorded.source_ids())
    assert a.news_as_of == news_as_of(listed), "the news date is the newest source the footer lists"


def test_a_footer_with_a_source_nobody_read_or_without_one_read_fails() -> None:
    a, recorded = _analyse("05_deal_ledger", ())
    relied = set(recorded.source_ids()) | _linked_from_tables(a)
    listed = _listed(a)
    unread = sorted(set(load("sources")["source_id"]) - relied)[0]
    assert report.footer_problems([*listed, unread], relied) == [f"listed but relied on by nothing: {unread}"]
    dropped = sorted(recorded.source_ids())[0]
    assert report.footer_problems([s for s in listed if s != dropped], relied) == [
        f"missing from the footer: {dropped}"
    ]


def test_a_second_analysis_in_the_same_process_lists_the_same_sources() -> None:
    """The topics' caches replay what a cached call read (reads.cached): a hit reads nothing new."""
    first, _ = _analyse("03_ev_pricing", (), fresh=True)
    second, _ = _analyse("03_ev_pricing", (), fresh=True)
    assert first.footer_source_ids() == second.footer_source_ids()


def test_an_analysis_that_does_not_record_its_reads_is_an_error() -> None:
    import dataclasses

    a, _ = _analyse("04_ampere_investment", ())
    with pytest.raises(ValueError, match="decorate the topic's analyse"):
        dataclasses.replace(a, read_source_ids=None).footer_source_ids()


# the 2026-12 data audit's sources that reports relied on and left out of their footers, which the
# recorded reads now bring in (the others are sentences no data row is read for: see the note below)
AUDIT_NOW_LISTED = {
    "00_claims_and_timeline": ("motorfan_314996",),
    "01_ownership": ("sharecast_20260219", "kabutec_7201"),
    "03_ev_pricing": (
        "mobiflip_20251107",
        "motor1_uk_727858",
        "mac4ever_194604",
        "caradisiac_spring",
        "oabroad_20251125",
        "particle_news_twingo",
        "particle_twingo_story",
        "frandroid_2925467",
    ),
}


@pytest.mark.parametrize("notebook", sorted(AUDIT_NOW_LISTED))
def test_the_audits_missing_sources_are_listed(notebook: str) -> None:
    a, _ = _analyse(notebook, ())
    assert set(AUDIT_NOW_LISTED[notebook]) <= set(a.footer_source_ids())


def _decorators(path: Path) -> list[tuple[str, int]]:
    """The functools caches a module decorates functions with (name, line)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for d in node.decorator_list:
                text = ast.unparse(d)
                if text.startswith(("functools.lru_cache", "functools.cache", "lru_cache", "cache")):
                    found.append((text, node.lineno))
    return found


def test_no_topic_caches_with_functools() -> None:
    """A functools cache would hide its reads from every analysis after the first."""
    found = {
        str(p.relative_to(PACKAGE_DIR)): _decorators(p)
        for p in (PACKAGE_DIR / "topics").rglob("*.py")
        if _decorators(p)
    }
    assert not found, f"use alliancelib.reads.cached instead: {found}"


def test_every_topic_records_what_it_reads() -> None:
    for notebook in nbs.PARAMS:
        analyse = _module(notebook).analyse
        assert getattr(analyse, "records_reads", False), f"{notebook}: analyse is not reads.recorded"
