"""Charts kept between builds: a chart's display bundle (its PNG, its size and its alt text) is
reused when a build executes a notebook whose code up to that chart, and everything that code
reads, are what they were when the chart was drawn.

Drawing a chart, laying out its labels and encoding its PNG takes 0.3-1.2 s of a notebook's 2-4 s;
a code edit to a notebook's last cell used to draw every chart again. A build that executes a
notebook starts its kernel with two environment variables (:func:`kernel_env`):

- ``ALLIANCE_CHART_CACHE``: the previous build's chart folder and this build's, separated by
  ``os.pathsep`` (``<out>/.cache/charts`` and the staging folder's): a chart is read from either and
  written to the new one, so the reports folder is never written during a build;
- ``ALLIANCE_CHART_KEY``: the build's fingerprint of the library's source, the data files and the
  installed packages (:func:`alliancelib.cache.check_inputs`).

A chart's key is the SHA-256 of that fingerprint, every input the kernel has executed so far
(IPython's input history: the parameters papermill injected and each code cell up to the current
one, as run), how many charts the current cell showed before this one, and the chart's name.
Execution is deterministic (the same inputs give byte-identical reports, which the suite checks),
so one key names one bundle. A reused chart is the same bytes a fresh one would be.

Nothing is cached outside a build (JupyterLab, papermill by hand, the tests' own kernels: no
variables), nor while a :mod:`alliancelib.reads` recording is open (drawing could add to it). What
a key cannot see is what the build's own cache cannot see either: a file outside ``data/`` that a
code cell reads. ``alliance build --no-cache`` draws every chart (and keeps them for the next
build, as it refreshes the rest of the cache).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

CACHE_VAR = "ALLIANCE_CHART_CACHE"
KEY_VAR = "ALLIANCE_CHART_KEY"
FOLDER = "charts"
KEEP = 400  # charts kept between builds, the most recently used first (about 40 MB)

_shown: dict[int, int] = {}  # charts shown so far in the cell being executed (by execution count)


def kernel_env(old: Path, new: Path, fingerprint: str) -> dict[str, str]:
    """The environment of a kernel a build starts: this process's, with the chart folders (the
    previous build's ``old`` and this build's ``new``) and the build's fingerprint."""
    return {**os.environ, CACHE_VAR: f"{old}{os.pathsep}{new}", KEY_VAR: fingerprint}


def _settings(env: Mapping[str, str]) -> tuple[Path, Path, str] | None:
    """The old and new chart folders and the fingerprint, or None outside a build."""
    folders, fingerprint = env.get(CACHE_VAR, ""), env.get(KEY_VAR, "")
    parts = folders.split(os.pathsep)
    if len(parts) != 2 or not all(parts) or not fingerprint:
        return None
    return Path(parts[0]), Path(parts[1]), fingerprint


def chart_key(fingerprint: str, inputs: list[str], shown_before: int, name: str) -> str:
    """The key of a chart: SHA-256 (hex) of the fingerprint, the executed inputs, the number of
    charts the current cell showed before it and its name.

    >>> k = chart_key("fp", ["", "p = 1", "a.show('x')"], 0, "claims/fx")
    >>> k == chart_key("fp", ["", "p = 1", "a.show('x')"], 0, "claims/fx"), len(k)
    (True, 64)
    >>> k == chart_key("fp", ["", "p = 2", "a.show('x')"], 0, "claims/fx")
    False
    """
    h = hashlib.sha256(f"{fingerprint}\0{len(inputs)}\0{shown_before}\0{name}\0".encode())
    for text in inputs:
        h.update(f"{len(text)}\0{text}".encode())
    return h.hexdigest()


def _current_key(name: str, env: Mapping[str, str]) -> tuple[Path, Path, str] | None:
    """The old and new folders and this chart's key, when it may be cached."""
    settings = _settings(env)
    if settings is None:
        return None
    from alliancelib import reads

    if reads.is_recording():
        return None
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - the kernels have IPython
        return None
    shell = get_ipython()
    if shell is None:
        return None
    count = int(shell.execution_count)
    before = _shown.get(count, 0)
    _shown.clear()
    _shown[count] = before + 1
    inputs = [str(text) for text in shell.history_manager.input_hist_parsed]
    old, new, fingerprint = settings
    return old, new, chart_key(fingerprint, inputs, before, name)


def bundle(
    name: str, draw: Callable[[], dict[str, Any]], env: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """The display bundle of the chart ``name`` (``{"data": ..., "metadata": ...}``): the kept one
    if its key is in the new or the old folder (linked into the new one), else ``draw()``, kept
    in the new folder. ``env`` defaults to this process's environment."""
    found = _current_key(name, os.environ if env is None else env)
    if found is None:
        return draw()
    old, new, key = found
    target = new / f"{key}.json"
    for folder in (new, old):
        kept = _read(folder / f"{key}.json")
        if kept is not None:
            if folder is old:
                _link(folder / f"{key}.json", target)
            _touch(target)
            return kept
    made = draw()
    _write(target, made)
    return made


def _read(path: Path) -> dict[str, Any] | None:
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    ok = (
        isinstance(found, dict)
        and isinstance(found.get("data"), dict)
        and isinstance(found.get("metadata"), dict)
    )
    return found if ok else None


def _write(path: Path, made: dict[str, Any]) -> None:
    """Keep a bundle (:func:`_write_bytes`)."""
    _write_bytes(path, json.dumps(made, sort_keys=True).encode())


def _write_bytes(path: Path, content: bytes) -> None:
    """Write ``content`` beside ``path`` first, then rename it there (a reader never sees half of
    it; the part file names this process, as kernels of one build write at once); a folder that
    cannot be written only loses the reuse."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(content)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)


def _link(src: Path, dst: Path) -> None:
    """Hard-link a kept chart into the new folder, or copy it where links are refused."""
    try:
        dst.parent.mkdir(parents=True, exist_ok=True)
        os.link(src, dst)
    except FileExistsError:
        pass
    except OSError:
        kept = _read(src)
        if kept is not None:
            _write(dst, kept)


def _touch(path: Path) -> None:
    """Mark a chart used now (the most recently used are kept)."""
    try:
        os.utime(path)
    except OSError:
        pass


def _kept(folder: Path) -> list[Path]:
    """The charts and objects kept in ``folder``."""
    if not folder.is_dir():
        return []
    return [p for p in folder.iterdir() if p.suffix in (".json", ".pickle") and not p.name.startswith(".")]


def _object_path(folder: Path, fingerprint: str, key: tuple[str, ...]) -> Path:
    digest = hashlib.sha256("\0".join((fingerprint, *key)).encode()).hexdigest()
    return folder / f"{digest}.pickle"


def kept_object(key: tuple[str, ...], env: Mapping[str, str] | None = None) -> Any:
    """An object a kernel of this build or the last one kept under ``key`` (with the build's
    fingerprint: library, data files, packages), or None outside a build or when none is kept.
    The data layer keeps its validated tables so (the same frames, unpickled)."""
    settings = _settings(os.environ if env is None else env)
    if settings is None:
        return None
    old, new, fingerprint = settings
    for folder in (new, old):
        path = _object_path(folder, fingerprint, key)
        try:
            with path.open("rb") as f:
                found = pickle.load(f)  # noqa: S301 - written by this project's own build, in its cache
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError):
            continue
        if folder is old:
            _link(path, _object_path(new, fingerprint, key))
        return found
    return None


def keep_object(key: tuple[str, ...], value: Any, env: Mapping[str, str] | None = None) -> None:
    """Keep ``value`` under ``key`` for this build's other kernels and the next build (nothing
    outside a build; a folder that cannot be written only loses the reuse)."""
    settings = _settings(os.environ if env is None else env)
    if settings is None:
        return
    _, new, fingerprint = settings
    _write_bytes(_object_path(new, fingerprint, key), pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))


def carry(old: Path, new: Path, keep: int = KEEP) -> int:
    """After a build: bring the previous build's charts that this one did not use into the new
    folder (hard links), the most recently used first, up to ``keep`` charts in all; returns how
    many the new folder holds."""
    have = {p.name for p in _kept(new)}
    room = max(0, keep - len(have))
    if room and old.is_dir():
        older = sorted(
            (p for p in _kept(old) if p.name not in have),
            key=lambda p: (-p.stat().st_mtime_ns, p.name),
        )
        for path in older[:room]:
            _link(path, new / path.name)
            have.add(path.name)
    return len(have)
