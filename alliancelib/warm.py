"""Warm kernels for the preview: each notebook's next execution gets a kernel that is already
running, with the notebook's imports done and the data loaded.

A kernel is used once, as a fresh one would be: a rebuild takes the notebook's waiting kernel
(:meth:`WarmKernels.__call__`, handed to papermill, which shuts it down after the last cell) and
a new one is started in the background for the next edit. So what a report shows never depends
on an earlier run: the kernel has only imported modules (no name is bound in the notebook's
namespace, no cell counted) and filled the data layer's own caches, which are keyed on the data
files' state. When the library's code changes, the waiting kernels hold the old modules:
:meth:`WarmKernels.discard` shuts them down and starts new ones.

Preparing a kernel: start it in the notebook's folder (as the build does), wait until it answers,
then run, silently, ``__import__`` of every module the notebook's code cells import (read with
``ast``, never executed) and ``alliancelib.data.load_all()`` where the notebook imports the
library.
"""

from __future__ import annotations

import ast
import asyncio
import threading
import uuid
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from alliancelib import forkserver
from alliancelib import notebooks as nbs
from alliancelib.scenarios import Job

READY_TIMEOUT_S = 120.0


def imported_modules(source: Path) -> list[str]:
    """The modules a notebook's code cells import (``import a.b``, ``from a import b``), sorted;
    cells that do not parse (IPython magics) are skipped."""
    found: set[str] = set()
    for cell in nbs.read(source).get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        try:
            tree = ast.parse("".join(cell.get("source", "")))
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                found.add(node.module)
    return sorted(found)


def warm_up_code(modules: Iterable[str]) -> str:
    """Code that imports ``modules`` and, where the library is among them, loads the data,
    binding no name (run silently: no output, no history, no ``_``).

    >>> warm_up_code(["pandas", "alliancelib.charts"])
    "list(map(__import__, ['pandas', 'alliancelib.charts'])); __import__('alliancelib.data').data.load_all()"
    """
    names = list(modules)
    code = f"list(map(__import__, {names!r}))"
    if any(n == "alliancelib" or n.startswith("alliancelib.") for n in names):
        code += "; __import__('alliancelib.data').data.load_all()"
    return code


async def _start(source: Path, env: Mapping[str, str] | None = None, warm_up: bool = True) -> Any:
    with nbs.IMPORT_LOCK:
        from jupyter_client.manager import AsyncKernelManager

    km = AsyncKernelManager(kernel_name="python3")
    if forkserver.enabled():  # a fork of a process that has imported what kernels import
        forkserver.SERVER.start()
        km.kernel_id = str(uuid.uuid4())
        km.provisioner = forkserver.provisioner_class()(
            kernel_id=km.kernel_id, kernel_spec=km.kernel_spec, parent=km
        )
    extra = {"env": dict(env)} if env is not None else {}
    await km.start_kernel(cwd=str(source.parent), extra_arguments=list(nbs.QUIET_KERNEL), **extra)
    kc = km.client()
    kc.start_channels()
    try:
        await kc.wait_for_ready(timeout=READY_TIMEOUT_S)
        if warm_up:
            await kc.execute_interactive(
                warm_up_code(imported_modules(source)),
                silent=True,
                store_history=False,
                timeout=READY_TIMEOUT_S,
            )
    except BaseException:
        kc.stop_channels()
        await km.shutdown_kernel(now=True)
        raise
    kc.stop_channels()
    return km


def start_kernel(source: Path, env: Mapping[str, str] | None = None, warm_up: bool = True) -> Any:
    """A started kernel (``AsyncKernelManager``) for the notebook ``source``, in its folder, with
    the environment ``env`` (this process's if None); ``warm_up``: its imports done and the data
    loaded."""
    return asyncio.run(_start(source, env, warm_up))


def build_kernels(env: Mapping[str, str]) -> Callable[[Job], Any]:
    """A build's kernel for each job it executes: started in the notebook's folder with ``env``
    (:func:`alliancelib.chart_cache.kernel_env`), nothing run in it; None where starting fails
    (papermill then starts its own, and the charts are drawn)."""

    def start(job: Job) -> Any:
        try:
            return start_kernel(job.source, env, warm_up=False)
        except Exception:  # noqa: BLE001 - papermill starts a kernel itself and reports what fails
            return None

    return start


def stop_kernel(km: Any) -> None:
    """Stop a kernel this module started (at once: nothing in it is left to save) and wait until
    its process is gone; a kernel that is already gone is what was wanted."""
    try:
        asyncio.run(km.shutdown_kernel(now=True))
    except Exception:  # noqa: BLE001 - a kernel that is already gone is what we wanted
        pass


class WarmKernels:
    """One waiting kernel per notebook, prepared one at a time in a background thread. Call it
    with a job to take that notebook's kernel (None if it has none or preparing it failed)."""

    def __init__(self) -> None:
        self._ready: dict[Path, Future[Any]] = {}
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="warm-kernel")
        self._closed = False

    def prepare(self, sources: Iterable[Path]) -> None:
        """Start preparing a kernel for each notebook that has none waiting (forked from the fork
        server once it is ready: :mod:`alliancelib.forkserver`)."""
        if forkserver.enabled():
            forkserver.SERVER.start()
        with self._lock:
            for source in sources:
                if not self._closed and source not in self._ready:
                    self._ready[source] = self._pool.submit(start_kernel, source)

    def __call__(self, job: Job) -> Any:
        """The waiting kernel of the job's notebook (waiting for it if it is still being
        prepared), and a new one prepared for the next time."""
        with self._lock:
            fut = self._ready.pop(job.source, None)
        self.prepare([job.source])
        if fut is None:
            return None
        try:
            return fut.result(timeout=READY_TIMEOUT_S)
        except Exception:  # noqa: BLE001 - no warm kernel: papermill starts its own
            return None

    def discard(self) -> None:
        """Shut the waiting kernels down (the library changed) and prepare new ones."""
        with self._lock:
            old, self._ready = self._ready, {}
        for fut in old.values():
            fut.add_done_callback(_shutdown_result)
        self.prepare(old)

    def close(self) -> None:
        """Shut every kernel down and stop preparing."""
        with self._lock:
            self._closed = True
            old, self._ready = self._ready, {}
        for fut in old.values():
            if not fut.cancel():
                fut.add_done_callback(_shutdown_result)
        self._pool.shutdown(wait=True, cancel_futures=True)


def _shutdown_result(fut: Future[Any]) -> None:
    if not fut.cancelled() and fut.exception() is None:
        stop_kernel(fut.result())
