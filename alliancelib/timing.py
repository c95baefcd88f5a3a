"""Where a build spends its time: seconds per phase, for ``alliance build --profile FILE`` and
``make bench``.

The phases (:data:`PHASES`) are the steps a reader of the profile can act on:

- ``plan``: the scenario files, notebook and parameter names and values checked (the topic
  modules imported to validate parameters);
- ``data check``: reading and validating ``data/`` (skipped when its files and the library are
  those of the last build that validated them);
- ``cache check``: stamps of the inputs, the cache keys, opening and restoring cache entries;
- ``kernel start``: from asking papermill to run a notebook to its first cell starting;
- ``execution``: the notebook's cells, then cleaning the executed notebook;
- ``export``: notebook to HTML (after an execution, or a cached notebook with new prose);
- ``index``: ``results.json`` and the index page;
- ``PDF``: printing with Chromium (``--pdf`` only);
- ``other``: the lock, carrying the previous reports over, swapping the new folder in.

Start-up (the interpreter and the imports before the build begins) is measured by whoever started
the process: :func:`Profile.as_json` records the wall-clock time the build began and ended.

Phases run in parallel threads (``--jobs``) add up, so their sum can exceed the wall time; the
profile records that wall time too. Recording costs one clock read per phase: a build without a
profile collects into a :class:`Profile` that nobody reads.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

PHASES = ("plan", "data check", "cache check", "kernel start", "execution", "export", "index", "PDF", "other")


class Profile:
    """Seconds per phase of one build (thread-safe), with its wall-clock start and end (s since
    the epoch)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = dict.fromkeys(PHASES, 0.0)
        self.started_s = time.time()
        self.ended_s = self.started_s
        self._lock = threading.Lock()

    def add(self, phase: str, seconds: float) -> None:
        """Add ``seconds`` to ``phase`` (one of :data:`PHASES`)."""
        if phase not in self.seconds:
            raise ValueError(f"unknown phase {phase!r}; phases: {', '.join(PHASES)}")
        with self._lock:
            self.seconds[phase] += seconds

    @contextmanager
    def phase(self, name: str | None) -> Iterator[None]:
        """Time the body as ``name``; a phase timed inside it (same thread) counts as itself only,
        not also as ``name``. ``None``: time that no phase of this thread counts (waiting for the
        threads that execute notebooks, which time their own phases)."""
        stack: list[list[float]] = _stack()
        frame = [time.perf_counter(), 0.0]  # start, seconds of nested phases
        stack.append(frame)
        try:
            yield
        finally:
            stack.pop()
            elapsed = time.perf_counter() - frame[0]
            if name is not None:
                self.add(name, elapsed - frame[1])
            if stack:
                stack[-1][1] += elapsed

    def finish(self) -> None:
        """Record the wall-clock end of the build."""
        self.ended_s = time.time()

    def as_json(self) -> str:
        """The profile as JSON: ``seconds`` per phase, ``started_s``/``ended_s`` (epoch seconds)."""
        return (
            json.dumps(
                {"seconds": self.seconds, "started_s": self.started_s, "ended_s": self.ended_s}, indent=1
            )
            + "\n"
        )

    def write(self, path: Path) -> None:
        """Write :meth:`as_json` to ``path``."""
        Path(path).write_text(self.as_json(), encoding="utf-8")


_active: list[Profile] = []
_threads = threading.local()


def _stack() -> list[list[float]]:
    if not hasattr(_threads, "stack"):
        _threads.stack = []
    stack: list[list[float]] = _threads.stack
    return stack


def current() -> Profile:
    """The profile of the build running now (a throwaway one outside a build)."""
    return _active[-1] if _active else Profile()


@contextmanager
def recording(profile: Profile) -> Iterator[Profile]:
    """Make ``profile`` the one :func:`phase` adds to, for the body (a build)."""
    _active.append(profile)
    try:
        yield profile
    finally:
        profile.finish()
        _active.remove(profile)


def phase(name: str | None) -> AbstractContextManager[None]:
    """Time the body as ``name`` in the current build's profile."""
    return current().phase(name)
