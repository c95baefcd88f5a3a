"""Build the reports: the pipeline from scenario files to an output folder.

Layout of the output folder (default ``reports/``)::

    <out>/index.html                      the front page: key findings, notebooks, scenarios compared
    <out>/<scenario>/<notebook>.ipynb     executed notebook (cleaned, kept even when it failed)
    <out>/<scenario>/<notebook>.html      report, code hidden, self-contained
    <out>/<scenario>/results.json         parameters, status, results and key findings per notebook
    <out>/.cache/                         the execution cache (:mod:`alliancelib.cache`)

:func:`build` checks everything before a kernel starts (the data, the scenario files, the notebook
and parameter names, the parameter values, Chromium for ``--pdf``), takes the output folder's
lock, writes the new reports into a staging folder beside it, carries into it everything of the
previous output folder that it does not rebuild (other scenarios, other notebooks, PDFs whose report
is unchanged, files of the user's: :mod:`alliancelib.carry`) and swaps that in at the end, so a
failed, killed or out-of-space build leaves the previous reports as they were, and no build deletes
what it did not build. The steps live in modules that say what they hold:

- :mod:`alliancelib.scenarios`: scenario files, ``-p`` overrides, the plan of jobs;
- :mod:`alliancelib.runner`: kernel execution and HTML export of one notebook;
- :mod:`alliancelib.cache`: the execution cache;
- :mod:`alliancelib.carry`: what a build keeps of the previous reports; the index's records;
- :mod:`alliancelib.summary`: ``results.json`` and the closing summary;
- :mod:`alliancelib.index`: the index page (Jinja template);
- :mod:`alliancelib.pdf`: PDF printing with Chromium;
- :mod:`alliancelib.fsutil`: the lock, the staging folder, the atomic swap, safe writes;
- :mod:`alliancelib.progress`: progress on stderr.

The names the tests and the command line use are importable from here too.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from alliancelib import cache, carry, fsutil, index, runner, summary
from alliancelib.cache import CACHE_DIR, fingerprint
from alliancelib.errors import BuildError
from alliancelib.index import render_index
from alliancelib.paths import NOTEBOOKS_DIR
from alliancelib.pdf import find_chromium, print_all, print_pdf
from alliancelib.progress import Tick, progress
from alliancelib.runner import Outcome, default_jobs, execute
from alliancelib.scenarios import (
    Job,
    Scenario,
    default_scenario,
    load_scenario,
    parse_overrides,
    parse_value,
    plan,
)
from alliancelib.summary import summarize

__all__ = ["CACHE_DIR", "BuildError", "Job", "Outcome", "Scenario", "build", "default_jobs", "execute",
           "find_chromium", "fingerprint", "load_scenario", "parse_overrides", "parse_value", "plan",
           "print_pdf", "render_index", "summarize"]


def build(
    out: Path,
    scenarios: Sequence[Scenario] = (),
    overrides: Mapping[str, Any] | None = None,
    only: Sequence[str] = (),
    jobs: int | None = None,
    notebook_dir: Path = NOTEBOOKS_DIR,
    use_cache: bool = True,
    pdf: bool = False,
) -> list[Outcome]:
    """Build the reports into ``out``; returns every job's outcome (the caller decides the exit
    status). Raises DataError, BuildError or ParameterError before running anything, and
    BuildError if another build holds ``out`` or the disk fills up (the previous reports kept).

    A job whose notebook, parameters, data, library source and installed packages are unchanged
    is taken from the cache under ``out/.cache`` (no kernel starts); ``use_cache=False``
    executes everything (and refreshes the cache).
    """
    from alliancelib.data import load_all

    load_all()  # a data fault fails once, here, not in every notebook
    scenarios = list(scenarios) or [default_scenario(overrides)]
    todo = plan(scenarios, overrides, only, notebook_dir)
    browser = find_chromium() if pdf else None
    workers = jobs or default_jobs()
    out = Path(out).resolve()
    with fsutil.OutputLock(out):
        fsutil.remove_stale_staging(out)
        staging = fsutil.staging_dir(out)
        shutil.rmtree(staging, ignore_errors=True)
        try:
            staging.mkdir()
            outcomes = _run(todo, staging, out / CACHE_DIR, use_cache, workers)
            rebuilt = _rebuilt(scenarios, todo)
            carry.carry_over(out, staging, rebuilt, printing=browser is not None)
            _write_pages(staging, out, scenarios, rebuilt, outcomes, notebook_dir, browser, workers)
            fsutil.swap_in(staging, out)
        except OSError as exc:
            if fsutil.is_no_space(exc):
                raise fsutil.no_space(exc, staging, out) from None
            raise
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return sorted(outcomes, key=lambda o: (o.job.scenario, o.job.notebook))


def _run(todo: Sequence[Job], staging: Path, old_cache: Path, use_cache: bool, workers: int) -> list[Outcome]:
    """Every job's outcome in ``staging``: from the previous cache where it holds the job (unless
    ``use_cache`` is off), executed otherwise (a job identical to another one, in another
    scenario, runs once). The new cache is written under ``staging`` and the old one carried
    into it."""
    base = cache.fingerprint()
    keys = {id(job): cache.job_key(job, base) for job in todo}
    new_cache = staging / CACHE_DIR
    new_cache.mkdir()
    tick = progress(len(todo))
    outcomes: list[Outcome] = []
    pending: dict[str, Job] = {}
    duplicates: list[Job] = []
    for job in todo:
        key = keys[id(job)]
        hit = _from_cache(old_cache / key, job, staging) if use_cache else None
        if hit is not None:
            outcomes.append(hit)
            tick(hit)
        elif key in pending:
            duplicates.append(job)
        else:
            pending[key] = job

    def done(o: Outcome) -> None:
        if o.ok:
            cache.store(new_cache / keys[id(o.job)], o, staging)
        tick(o)

    outcomes += runner.run_all(list(pending.values()), staging, workers, done)
    outcomes += [_reuse(new_cache / keys[id(job)], job, staging, tick) for job in duplicates]
    used = {keys[id(o.job)] for o in outcomes if o.cached}
    cache.carry(old_cache, new_cache, used)
    return outcomes


def _from_cache(entry_dir: Path, job: Job, staging: Path) -> Outcome | None:
    """The job's outcome from a sound cache entry; None (and a note on stderr for a damaged one)."""
    entry, damage = cache.open_entry(entry_dir)
    if damage:
        print(f"{job.scenario}/{job.notebook}: cache entry {entry_dir.name} is damaged ({damage}); "
              "executing the notebook again", file=sys.stderr)
    return cache.restore(entry, job, staging) if entry is not None else None


def _reuse(entry_dir: Path, job: Job, staging: Path, tick: Tick) -> Outcome:
    """A job identical to one executed in this build: its fresh entry, or run it if that failed."""
    o = _from_cache(entry_dir, job, staging) or runner.export(runner.execute(job, staging), staging)
    tick(o)
    return o


def _rebuilt(scenarios: Sequence[Scenario], todo: Sequence[Job]) -> dict[str, set[str]]:
    """Each scenario this build writes, with the notebooks it runs there."""
    rebuilt: dict[str, set[str]] = {sc.name: set() for sc in scenarios}
    for job in todo:
        rebuilt[job.scenario].add(job.notebook)
    return rebuilt


def _write_pages(staging: Path, out: Path, scenarios: Sequence[Scenario], rebuilt: Mapping[str, set[str]],
                 outcomes: Sequence[Outcome], notebook_dir: Path, browser: str | None, workers: int) -> None:
    """Each built scenario's results.json (with the records of its notebooks not rebuilt), the
    index page of every scenario folder present and, with a browser, every PDF of this build."""
    for sc in scenarios:
        kept = carry.kept_entries(out / sc.name, rebuilt[sc.name])
        fsutil.write_text(staging / sc.name / "results.json", summary.results_json(sc, outcomes, kept))
    present, recorded = carry.read_folder(staging, notebook_dir)
    printed = {(o.job.scenario, o.job.notebook) for o in outcomes if o.ok} if browser else set()
    with_pdf = printed | {(o.job.scenario, o.job.notebook) for o in recorded
                          if runner.executed_path(o.job, staging, ".pdf").is_file()}
    def page(pdf: bool) -> str:
        return index.render_index(present, recorded, notebook_dir, pdf=pdf, pdf_runs=with_pdf)

    html = page(pdf=browser is not None or (out / "index.pdf").is_file())
    fsutil.write_text(staging / "index.html", html)
    if browser:
        pages = [staging / "index.html"] + [runner.executed_path(o.job, staging, ".html")
                                            for o in outcomes if o.ok]
        print_all(browser, pages, workers)
    elif not carry.keep_index_pdf(out, staging, printing=False) and (out / "index.pdf").is_file():
        fsutil.write_text(staging / "index.html", page(pdf=False))  # its old PDF no longer matches
