"""Build the reports: the pipeline from scenario files to an output folder.

Layout of the output folder (default ``reports/``)::

    <out>/index.html                      the front page: verdict, key findings, notebooks, scenarios compared
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

import dataclasses
import hashlib
import json
import shutil
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from alliancelib import cache, carry, chart_cache, forkserver, fsutil, index, runner, summary, warm
from alliancelib import notebooks as nbs
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
from alliancelib.timing import phase

__all__ = [
    "CACHE_DIR",
    "BuildError",
    "Job",
    "Outcome",
    "Scenario",
    "build",
    "default_jobs",
    "execute",
    "find_chromium",
    "fingerprint",
    "load_scenario",
    "parse_overrides",
    "parse_value",
    "plan",
    "print_pdf",
    "render_index",
    "summarize",
]


def compile_library() -> bool:
    """Compile the library's own modules to bytecode where their source changed (a stat per file
    when nothing did, about 10 ms), so that kernels do not compile them again: these machines set
    PYTHONDONTWRITEBYTECODE=1, and the editable install leaves ``alliancelib`` out of the setup's
    compiling. False (and nothing else) where the folder cannot be written."""
    import compileall

    from alliancelib.paths import PACKAGE_DIR

    return bool(compileall.compile_dir(str(PACKAGE_DIR), quiet=2, workers=1))


def build(
    out: Path,
    scenarios: Sequence[Scenario] = (),
    overrides: Mapping[str, Any] | None = None,
    only: Sequence[str] = (),
    jobs: int | None = None,
    notebook_dir: Path = NOTEBOOKS_DIR,
    use_cache: bool = True,
    pdf: bool = False,
    kernels: runner.Kernels | None = None,
    warn: Callable[[str], object] | None = None,
) -> list[Outcome]:
    """Build the reports into ``out``; returns every job's outcome (the caller decides the exit
    status). Raises DataError, BuildError or ParameterError before running anything, and
    BuildError if another build holds ``out`` or the disk fills up (the previous reports kept).

    A job whose notebook, parameters, data, library source and installed packages are unchanged
    is taken from the cache under ``out/.cache`` (no kernel starts); ``use_cache=False``
    executes everything (and refreshes the cache). ``kernels`` may hand the build kernels that
    are already started (the preview's, :mod:`alliancelib.warm`). Each step's time goes to the
    current :mod:`alliancelib.timing` profile. ``warn`` is called with each data warning (a source
    no row cites yet), which never stops a build.
    """
    out = Path(out).resolve()
    with phase("cache check"):
        last = cache.read_stamps(out / CACHE_DIR)
        if kernels is None and (not use_cache or not last) and forkserver.enabled():
            # every notebook will run: with more than one round of kernels, fork them (ready in time)
            notebooks = len(only) or len(nbs.discover(Path(notebook_dir)))
            if notebooks * max(1, len(scenarios)) > (jobs or default_jobs()):
                forkserver.SERVER.start(early=True)
        base, stamps = cache.check_inputs(known=last.get("files") or {})
    warnings = _data_warnings(last, base)
    for warning in warnings:
        if warn is not None:
            warn(warning)
    with phase("plan"):
        scenarios = list(scenarios) or [default_scenario(overrides)]
        todo, memo = _plan(scenarios, overrides, only, notebook_dir, base, last, stamps)
        browser = find_chromium() if pdf else None
    workers = jobs or default_jobs()
    if todo:
        with phase("other"):
            compile_library()
    with fsutil.OutputLock(out), phase("other"):
        fsutil.remove_stale_staging(out)
        staging = fsutil.staging_dir(out)
        shutil.rmtree(staging, ignore_errors=True)
        try:
            staging.mkdir()
            recorded = last.get("seconds")
            last_seconds: dict[str, Any] = recorded if isinstance(recorded, dict) else {}
            outcomes = _run(todo, staging, out / CACHE_DIR, use_cache, workers, base, kernels, last_seconds)
            memo["seconds"] = {
                **last_seconds,
                **{o.job.notebook: round(o.seconds, 2) for o in outcomes if o.ok and not o.cached},
            }
            rebuilt = _rebuilt(scenarios, todo)
            carry.carry_over(out, staging, rebuilt, printing=browser is not None)
            memo["index"], memo["index_facts"] = _write_pages(
                staging,
                out,
                scenarios,
                rebuilt,
                outcomes,
                notebook_dir,
                browser,
                workers,
                (base, last, stamps),
            )
            cache.write_stamps(
                staging / CACHE_DIR, {"files": stamps, "validated": base, "warnings": warnings, **memo}
            )
            fsutil.swap_in(staging, out)
        except OSError as exc:
            if fsutil.is_no_space(exc):
                raise fsutil.no_space(exc, staging, out) from None
            raise
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return sorted(outcomes, key=lambda o: (o.job.scenario, o.job.notebook))


def _data_warnings(last: Mapping[str, Any], base: str) -> list[str]:
    """The data's warnings, each as one line; raises DataError listing every problem.

    The data is validated (a fault fails once, here, not in every notebook) unless the last build
    validated it under the same fingerprint (the data files, the library that checks them, the
    packages): then its recorded warnings are the warnings, and neither pandas nor the data is
    loaded (about 0.3 s of a rebuild)."""
    kept = last.get("warnings")
    if last.get("validated") == base and isinstance(kept, list) and all(isinstance(w, str) for w in kept):
        return list(kept)
    with phase("data check"):
        from alliancelib.data import load_all, validate

        load_all()
        return [str(w) for w in validate().warnings]


def _digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=repr).encode()).hexdigest()


def _plan(
    scenarios: Sequence[Scenario],
    overrides: Mapping[str, Any] | None,
    only: Sequence[str],
    notebook_dir: Path,
    base: str,
    last: Mapping[str, Any],
    stamps: cache.Stamps,
) -> tuple[list[Job], dict[str, Any]]:
    """The jobs of this build (:func:`alliancelib.scenarios.plan`) and the record to keep of them.

    Checking the parameters imports every topic module (and pandas with them), about a second;
    the plan is a function of the fingerprint (library, data, packages), the notebooks' names and
    parameters cells (:func:`_parameter_cells`), the scenarios, the overrides and ``only``, so
    when these are those of the last build its checked jobs are taken as they were recorded.
    Parameter values that do not survive JSON unchanged are never recorded."""
    found = nbs.discover(notebook_dir) if notebook_dir.is_dir() else {}
    now = time.time_ns()
    known = last.get("files") or {}
    last_plan = last.get("plan")
    recorded: Mapping[str, Any] = last_plan if isinstance(last_plan, dict) else {}
    cells = _parameter_cells(found, known, stamps, now, recorded.get("cells"))
    key = _digest(
        [
            base,
            str(notebook_dir),
            {n: cells[str(p)][1] for n, p in found.items()},
            [dataclasses.asdict(sc) for sc in scenarios],
            overrides or {},
            list(only),
        ]
    )
    if recorded.get("key") == key and isinstance(recorded.get("jobs"), list):
        try:
            kept = [
                Job(
                    j["scenario"],
                    j["notebook"],
                    Path(j["source"]),
                    dict(j["parameters"]),
                    dict(j["overrides"]),
                )
                for j in recorded["jobs"]
            ]
            return kept, {"plan": {**recorded, "cells": cells}}
        except (KeyError, TypeError, ValueError):
            pass  # a damaged record: plan again
    todo = plan(scenarios, overrides, only, notebook_dir)
    jobs = [
        {
            "scenario": j.scenario,
            "notebook": j.notebook,
            "source": str(j.source),
            "parameters": dict(j.parameters),
            "overrides": dict(j.overrides),
        }
        for j in todo
    ]
    try:
        same = json.loads(json.dumps(jobs)) == jobs
    except (TypeError, ValueError):
        same = False
    return todo, ({"plan": {"key": key, "jobs": jobs, "cells": cells}} if same else {})


def _parameter_cells(
    found: Mapping[str, Path], known: Mapping[str, Any], stamps: cache.Stamps, now: int, recorded: Any
) -> dict[str, list[str]]:
    """Each notebook's file digest (its stamp, added to ``stamps``) with the digest of its
    parameters cell, the only part of a notebook a plan reads: a prose or code edit elsewhere
    keeps the plan. A notebook whose digest was recorded keeps its recorded cell digest (not read
    again); one that cannot be read gets a digest of its own, so the plan is made again and
    reports what is wrong."""
    before = recorded if isinstance(recorded, dict) else {}
    out: dict[str, list[str]] = {}
    for path in found.values():
        stamps[str(path)] = stamp = cache.file_digest(path, known, now)
        old = before.get(str(path))
        if isinstance(old, list) and len(old) == 2 and old[0] == stamp[3] and isinstance(old[1], str):
            out[str(path)] = old
            continue
        try:
            cell = "".join(nbs.parameters_cell(nbs.read(path)).get("source", ""))
        except (ValueError, KeyError, TypeError, OSError):  # BuildError is a ValueError
            cell = f"unreadable {stamp[3]}"
        out[str(path)] = [stamp[3], _digest(cell)]
    return out


def _run(
    todo: Sequence[Job],
    staging: Path,
    old_cache: Path,
    use_cache: bool,
    workers: int,
    base: str,
    kernels: runner.Kernels | None = None,
    last_seconds: Mapping[str, Any] | None = None,
) -> list[Outcome]:
    """Every job's outcome in ``staging``: from the previous cache where it holds the job (unless
    ``use_cache`` is off), executed otherwise (a job identical to another one, in another
    scenario, runs once), longest first (:func:`_expected_s`; ``last_seconds``: each notebook's
    last execution). The new cache is written under ``staging`` and the old one carried into it."""
    last_seconds = last_seconds or {}
    new_cache = staging / CACHE_DIR
    new_cache.mkdir()
    with phase("cache check"):
        keys = {id(job): cache.job_key(job, base) for job in todo}
    tick = progress(len(todo))
    outcomes: list[Outcome] = []
    pending: dict[str, Job] = {}
    duplicates: list[Job] = []
    for job in todo:
        key = keys[id(job)]
        with phase("cache check"):
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

    if pending:  # this process mostly waits for kernels now: make the exporter and the index's chart
        from alliancelib import export, front_chart

        runner.KERNEL_STARTED.clear()
        export.prepare(after=runner.KERNEL_STARTED)
        if len(pending) > 1:  # the index is likely to change; one edited notebook seldom changes it
            front_chart.prepare(after=runner.KERNEL_STARTED)
    longest_first = sorted(pending.values(), key=lambda j: (-_expected_s(j, last_seconds), j.notebook))
    charts_old, charts_new = old_cache / chart_cache.FOLDER, new_cache / chart_cache.FOLDER
    if kernels is None and len(pending) > workers and forkserver.enabled():
        forkserver.SERVER.start()  # ready for the kernels after the first ones (alliancelib.forkserver)
    if kernels is None:  # kernels that keep charts for the next build (--no-cache: reuse none)
        reused = charts_old if use_cache else charts_new
        env = chart_cache.kernel_env(reused, charts_new, base)
        kernels = warm.build_kernels(env)
        if pending and "alliancelib.data" in sys.modules:  # validated here: the kernels take it
            from alliancelib import data

            data.keep_validation(env)
    with phase(None):  # the threads that execute time themselves
        outcomes += runner.run_all(longest_first, staging, workers, done, kernels)
    outcomes += [_reuse(new_cache / keys[id(job)], job, staging, tick) for job in duplicates]
    used = {keys[id(o.job)] for o in outcomes if o.cached}
    with phase("cache check"):
        cache.carry(old_cache, new_cache, used)
        chart_cache.carry(charts_old, charts_new)
    return outcomes


def _expected_s(job: Job, last_seconds: Mapping[str, Any]) -> float:
    """How long a job is expected to run (s): its notebook's last execution, recorded in the
    stamps, else its file's size at 10 s a megabyte (the committed outputs, mostly charts, grow with
    the work). Jobs start longest first, so the last to finish is a short one and no worker idles
    long at the end (a cold build of the six notebooks on two workers: 0.4-0.6 s sooner)."""
    seconds = last_seconds.get(job.notebook)
    if isinstance(seconds, int | float) and seconds > 0:
        return float(seconds)
    try:
        return job.source.stat().st_size / 100_000
    except OSError:
        return 0.0


def _from_cache(entry_dir: Path, job: Job, staging: Path) -> Outcome | None:
    """The job's outcome from a sound cache entry; None (and a note on stderr for a damaged one)."""
    entry, damage = cache.open_entry(entry_dir)
    if damage:
        print(
            f"{job.scenario}/{job.notebook}: cache entry {entry_dir.name} is damaged ({damage}); "
            "executing the notebook again",
            file=sys.stderr,
        )
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


def _write_pages(
    staging: Path,
    out: Path,
    scenarios: Sequence[Scenario],
    rebuilt: Mapping[str, set[str]],
    outcomes: Sequence[Outcome],
    notebook_dir: Path,
    browser: str | None,
    workers: int,
    index_keys: tuple[str, Mapping[str, Any], cache.Stamps],
) -> tuple[str, dict[str, Any]]:
    """Each built scenario's results.json (with the records of its notebooks not rebuilt), the
    index page of every scenario folder present and, with a browser, every PDF of this build.
    Returns the index's key and the notebooks' facts it covers (see :func:`_write_index`)."""
    with phase("index"):
        key, facts = _write_index(
            staging, out, scenarios, rebuilt, outcomes, notebook_dir, browser is not None, index_keys
        )
    if browser:
        pages = [staging / "index.html"] + [
            runner.executed_path(o.job, staging, ".html") for o in outcomes if o.ok
        ]
        with phase("PDF"):
            print_all(browser, pages, workers)
    return key, facts


def _index_facts(source: Path) -> list[Any]:
    """What the index shows of a notebook besides its records: its title, its question, its
    parameters cell (the parameters' labels and defaults) and its section headings (the verdict's
    numbers link to sections). A prose edit elsewhere in the notebook or a code edit leaves them,
    and so the index, as they were."""
    from alliancelib.verdict import headings

    try:
        params = "".join(nbs.parameters_cell(nbs.read(source)).get("source", ""))
    except BuildError:
        params = ""
    return [nbs.title(source), nbs.question(source), params, headings(source)]


def _editions_digest(notebook_dir: Path) -> list[tuple[str, str]]:
    """The committed edition files beside the notebooks (the front page says what moved since the
    newest), by name and content hash."""
    from alliancelib import editions

    return [(p.name, fsutil.sha256_of(p)) for p in editions.edition_files(notebook_dir.resolve().parent)]


def _write_index(
    staging: Path,
    out: Path,
    scenarios: Sequence[Scenario],
    rebuilt: Mapping[str, set[str]],
    outcomes: Sequence[Outcome],
    notebook_dir: Path,
    printing: bool,
    index_keys: tuple[str, Mapping[str, Any], cache.Stamps],
) -> tuple[str, dict[str, Any]]:
    """Each built scenario's results.json and the index page (see :func:`_write_pages`).

    The index is a function of the scenario folders' ``results.json``, the notebooks' titles,
    questions and parameters (:func:`_index_facts`), the committed editions, the library
    (the fingerprint), the templates and which PDFs exist: its key hashes these, and when it is
    the last build's key the previous ``index.html`` is kept (linked) instead of rendered again
    (rendering imports every topic module for the parameters' labels). A notebook whose stamp is
    that of the last build keeps its recorded facts (not read again). Returns the key and the
    facts by notebook path with the digest they were read from."""
    base, last, stamps = index_keys
    facts_before = last.get("index_facts")
    known: Mapping[str, Any] = facts_before if isinstance(facts_before, dict) else {}
    for sc in scenarios:
        kept = carry.kept_entries(out / sc.name, rebuilt[sc.name])
        fsutil.write_text(staging / sc.name / "results.json", summary.results_json(sc, outcomes, kept))
    present, recorded = carry.read_folder(staging, notebook_dir)
    printed = {(o.job.scenario, o.job.notebook) for o in outcomes if o.ok} if printing else set()
    with_pdf = printed | {
        (o.job.scenario, o.job.notebook)
        for o in recorded
        if runner.executed_path(o.job, staging, ".pdf").is_file()
    }

    def page(pdf: bool) -> str:
        return index.render_index(present, recorded, notebook_dir, pdf=pdf, pdf_runs=with_pdf)

    found = nbs.discover(notebook_dir) if notebook_dir.is_dir() else {}
    facts: dict[str, Any] = {}
    for p in found.values():
        digest = stamps[str(p)][3] if str(p) in stamps else fsutil.sha256_of(p)
        old = known.get(str(p))
        reuse = isinstance(old, list) and len(old) == 2 and old[0] == digest
        facts[str(p)] = old if reuse else [digest, _digest(_index_facts(p))]
    key = _digest(
        [
            base,
            cache.templates_digest(),
            str(notebook_dir),
            sorted(with_pdf),
            printing,
            (out / "index.pdf").is_file(),
            {n: facts[str(p)][1] for n, p in found.items()},
            {sc.name: fsutil.sha256_of(staging / sc.name / carry.RESULTS) for sc in present},
            _editions_digest(notebook_dir),
        ]
    )
    if key == last.get("index") and (out / "index.html").is_file():
        fsutil.link_or_copy(out / "index.html", staging / "index.html")
    else:
        fsutil.write_text(staging / "index.html", page(pdf=printing or (out / "index.pdf").is_file()))
    old_pdf = (out / "index.pdf").is_file()
    if not printing and old_pdf and not carry.keep_index_pdf(out, staging, printing=False):
        fsutil.write_text(staging / "index.html", page(pdf=False))  # its old PDF no longer matches
        key = ""
    return key, facts
