"""Kernel execution: one notebook with papermill, its output cleaned, its HTML exported.

Notebooks run in parallel threads of the build's own process (papermill and nbconvert imported
once). A notebook that fails, whose kernel dies or whose export fails becomes a failed
:class:`Outcome` with a one-line error; the other notebooks go on. A full disk is not a notebook
failure: it stops the whole build (see :func:`alliancelib.fsutil.no_space`).
"""

from __future__ import annotations

import copy
import os
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from alliancelib import fsutil, timing
from alliancelib import notebooks as nbs
from alliancelib.scenarios import Job


@dataclass
class Outcome:
    """What became of a job: ``ok`` or its one-line ``error``, the seconds it took, its recorded
    results and key findings record (None if it shows none), and whether it came from the cache."""

    job: Job
    ok: bool
    seconds: float
    error: str = ""
    results: dict[str, Any] = field(default_factory=dict)
    cached: bool = False
    findings: dict[str, Any] | None = None


def default_jobs() -> int:
    """Default parallel kernels: the machine's cores."""
    return max(1, os.cpu_count() or 1)


def first_line(exc: BaseException) -> str:
    """The first line of an error as a reader sees it: ``RuntimeError: boom``."""
    evalue = getattr(exc, "evalue", None)
    ename = getattr(exc, "ename", None)
    text = f"{ename}: {evalue}" if ename else f"{type(exc).__name__}: {exc}"
    return text.strip().splitlines()[0] if text.strip() else type(exc).__name__


def executed_path(job: Job, out_dir: Path, suffix: str = ".ipynb") -> Path:
    """Where a job's executed notebook (or its report, with ``suffix=".html"``) goes."""
    return out_dir / job.scenario / f"{job.notebook}{suffix}"


def _dying_cell(nb: dict[str, Any]) -> int | None:
    """The 1-based number, among the source notebook's code cells, of the cell running when the
    kernel died: the last one papermill started (its start time set) or, failing papermill's
    records, the last one with an execution count. papermill's injected parameters cell is not
    counted."""
    code = [
        c
        for c in nb.get("cells", [])
        if c.get("cell_type") == "code" and "injected-parameters" not in c.get("metadata", {}).get("tags", [])
    ]
    started = [
        i
        for i, c in enumerate(code, 1)
        if c.get("metadata", {}).get("papermill", {}).get("start_time")
        or c.get("execution_count") is not None
    ]
    return started[-1] if started else None


def kernel_died(nb: dict[str, Any] | None) -> str:
    """The error of a notebook whose kernel died, naming the cell it was running.

    >>> kernel_died({"cells": [{"cell_type": "code", "execution_count": 1, "metadata": {}},
    ...                        {"cell_type": "code", "execution_count": None, "metadata": {}}]})
    'the kernel died while running code cell 1 (killed by a signal or out of memory)'
    """
    cell = _dying_cell(nb) if nb else None
    where = f"while running code cell {cell}" if cell else "before the first cell ran"
    return f"the kernel died {where} (killed by a signal or out of memory)"


class KernelDied(RuntimeError):
    """The kernel died while a notebook ran; ``nb`` is the notebook as far as it got."""

    def __init__(self, nb: dict[str, Any]) -> None:
        super().__init__("the kernel died")
        self.nb = nb


ENGINE = "alliance"


@cache
def _register_engine() -> str:
    """Register papermill's nbclient engine under :data:`ENGINE`, changed in one way: when the
    kernel dies it raises :class:`KernelDied` with the notebook as far as it got (papermill
    itself keeps nothing then, unless it saves after every cell, which costs a write per cell)."""
    from nbclient.exceptions import DeadKernelError
    from papermill.engines import NBClientEngine, papermill_engines  # type: ignore[import-untyped]

    class KeepOnDeath(NBClientEngine):  # type: ignore[misc]
        @classmethod
        def execute_managed_notebook(cls, nb_man: Any, kernel_name: str, **kwargs: Any) -> Any:
            try:
                return super().execute_managed_notebook(nb_man, kernel_name, **kwargs)
            except DeadKernelError:
                raise KernelDied(copy.deepcopy(dict(nb_man.nb))) from None

    papermill_engines.register(ENGINE, KeepOnDeath)
    return ENGINE


# A provider of warm kernels (alliancelib.warm): a started kernel manager for a job, or None.
Kernels = Callable[[Job], Any]


# Set when a job's first cell starts (its kernel started, papermill's preparation done): work a
# build does meanwhile in this process waits for it (alliancelib.export.prepare,
# alliancelib.front_chart.prepare), not to share the interpreter lock with that start.
KERNEL_STARTED = threading.Event()


def _first_cell_starts(**_: Any) -> None:
    KERNEL_STARTED.set()


def _papermill(job: Job, target: Path, kernels: Kernels | None = None) -> None:
    warm = None
    if kernels is not None:  # the kernel boots in its own process while papermill is imported here
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="kernel-start") as pool:
            starting = pool.submit(kernels, job)
            with nbs.IMPORT_LOCK:  # about 0.3 s the first time in a process
                nbs.skip_slow_iri_checker()
                import papermill  # noqa: F401

            warm = starting.result()
    with nbs.IMPORT_LOCK:
        nbs.skip_slow_iri_checker()
        import papermill as pm  # type: ignore[import-untyped]

    try:
        _execute_notebook(pm, job, target, warm)
    finally:
        if warm is not None:  # nbclient leaves a kernel it was handed running: it is ours to stop
            from alliancelib.warm import stop_kernel

            stop_kernel(warm)


def _execute_notebook(pm: Any, job: Job, target: Path, warm: Any) -> None:
    pm.execute_notebook(
        str(job.source),
        str(target),
        # in name order: the injected cell is the same text whether the plan was made or recorded
        # (kept charts are keyed on the code run, alliancelib.chart_cache)
        parameters=dict(sorted(job.parameters.items())),
        engine_name=_register_engine(),
        kernel_name="python3",
        progress_bar=False,
        log_output=False,
        request_save_on_cell_execute=False,
        extra_arguments=list(nbs.QUIET_KERNEL),
        shutdown_kernel="immediate",  # nothing is left to save after the last cell
        # the kernel starts in the notebook's folder (as in JupyterLab and nbval); papermill's
        # own cwd= would os.chdir the whole process, which races between parallel jobs
        resources={"metadata": {"path": str(job.source.parent)}},
        on_cell_start=_first_cell_starts,  # nbclient's hook: the kernel runs now
        **({"km": warm} if warm is not None else {}),  # nbclient uses a started kernel as it is
    )


def _first_cell_started(nb: dict[str, Any]) -> float | None:
    """When papermill started the notebook's first cell (s since the epoch), from its records."""
    from datetime import datetime

    for cell in nb.get("cells", []):
        started = cell.get("metadata", {}).get("papermill", {}).get("start_time")
        if started:
            try:
                return datetime.fromisoformat(started).timestamp()
            except ValueError:
                return None
    return None


def execute(job: Job, out_dir: Path, kernels: Kernels | None = None) -> Outcome:
    """Run one notebook with papermill into ``out_dir/<scenario>/<notebook>.ipynb`` and clean
    it; a failing notebook (or a dead kernel) is kept with its error and reported, not raised.
    A full disk (OSError ENOSPC) is raised: it is the build's failure, not the notebook's.
    ``kernels`` may hand it a kernel already started (the preview's warm kernels)."""
    from alliancelib.findings import read_findings
    from alliancelib.results import read_results

    target = executed_path(job, out_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    start, started_s = time.perf_counter(), time.time()
    error = ""
    try:
        _papermill(job, target, kernels)
    except KernelDied as died:
        error = kernel_died(died.nb)
        fsutil.write_text(target, nbs.dumps(died.nb))
    except Exception as exc:  # noqa: BLE001 - any notebook failure is reported, not raised
        if fsutil.is_no_space(exc):
            raise
        error = first_line(exc)
    seconds = time.perf_counter() - start
    if not target.exists():
        timing.current().add("execution", seconds)
        return Outcome(job, False, seconds, error or "the notebook was not written")
    nb = nbs.read(target)
    first = _first_cell_started(nb)
    kernel_s = min(max(first - started_s, 0.0), seconds) if first is not None else 0.0
    timing.current().add("kernel start", kernel_s)
    with timing.phase("execution"):
        nb = nbs.clean(nb)
        fsutil.write_text(target, nbs.dumps(nb))
    timing.current().add("execution", seconds - kernel_s)
    return Outcome(job, not error, seconds, error, read_results(nb), findings=read_findings(nb))


def export(o: Outcome, out_dir: Path) -> Outcome:
    """Export a successful outcome's HTML report beside its executed notebook (naming its scenario,
    parameters and versions; its tables as CSV files); an export that fails marks the outcome
    failed (a full disk is raised)."""
    from alliancelib.export import export_html
    from alliancelib.provenance import of_job

    if not o.ok:
        return o
    try:
        with timing.phase("export"):
            export_html(executed_path(o.job, out_dir), of_job(o.job))
    except Exception as exc:  # noqa: BLE001 - a report that cannot be exported is a failed job
        if fsutil.is_no_space(exc):
            raise
        o.ok, o.error = False, f"HTML export failed: {first_line(exc)}"
    return o


def run_all(
    jobs: Sequence[Job],
    out_dir: Path,
    workers: int,
    done: Callable[[Outcome], None],
    kernels: Kernels | None = None,
) -> list[Outcome]:
    """Execute and export ``jobs`` on ``workers`` threads, calling ``done`` for each outcome as it
    finishes; on an error that stops the build, the jobs not yet started are cancelled."""
    if not jobs:
        return []
    outcomes: list[Outcome] = []
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        futures = [pool.submit(_execute_and_export, job, out_dir, kernels) for job in jobs]
        try:
            for fut in as_completed(futures):
                outcomes.append(fut.result())
                done(outcomes[-1])
        except BaseException:
            _cancel(futures)
            raise
    return outcomes


def _execute_and_export(job: Job, out_dir: Path, kernels: Kernels | None = None) -> Outcome:
    return export(execute(job, out_dir, kernels), out_dir)


def _cancel(futures: Iterable[Future[Outcome]]) -> None:
    for fut in futures:
        fut.cancel()
