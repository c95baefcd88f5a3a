"""The execution cache: a notebook is executed again only when something it depends on changed.

Each entry is a folder ``<out>/.cache/<key>/`` holding the executed notebook (``report.ipynb``),
its report (``report.html``) and ``outcome.json``: the recorded results (a list, in the order the
notebook recorded them, which the index keeps) and key findings, the hash of the notebook's prose
when it ran, the SHA-256 of both files, the time the entry was last used and a seal (the SHA-256
of the rest of ``outcome.json``). The key (:func:`job_key`) hashes

- the :func:`fingerprint`: the data files, ``alliancelib``'s source and templates, the Python
  version, every installed distribution's name and version, and :data:`CACHE_EPOCH`;
- the notebook's code cells and cell layout (not its Markdown: prose cannot change what the code
  computes; a prose edit re-renders the HTML from the cached outputs) and its parameters.

An entry is used only if its seal and both file hashes check out and its epoch is this one: a
truncated or garbled entry is reported and executed again, never trusted. The build writes a new
cache into its staging folder: entries it stored or used get the current time, and the previous
cache's entries are carried forward by hard link, most recently used first, up to
:data:`CACHE_KEEP`.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alliancelib import fsutil
from alliancelib import notebooks as nbs
from alliancelib.runner import Outcome, executed_path
from alliancelib.scenarios import Job

CACHE_DIR = ".cache"
CACHE_KEEP = 200  # entries kept, most recently used first
# Bump when the entry layout or what a key covers changes: every older entry is then ignored.
# 3: the results are a list in recorded order (2 kept them by name, so a JSON dump sorted them).
CACHE_EPOCH = 3
META = "outcome.json"
FILES = {".ipynb": "report.ipynb", ".html": "report.html"}


def installed_distributions() -> list[str]:
    """Every distribution installed where this Python imports from, as ``name-version`` (the
    names of their ``.dist-info`` and ``.egg-info`` folders), sorted. Only the folders packages are
    installed in count (``site-packages``, ``dist-packages``): another folder on ``sys.path``, such
    as the project's own root with the ``alliancelib.egg-info`` an editable install leaves there
    (on the path under ``python -m``, not under the ``alliance`` command), would make the key depend
    on how Python was started, and one build would miss the cache another just filled."""
    names: set[str] = set()
    for entry in sys.path:
        folder = Path(entry or ".")
        if folder.name in ("site-packages", "dist-packages") and folder.is_dir():
            names.update(p.name.rsplit(".", 1)[0] for p in folder.iterdir()
                         if p.suffix in (".dist-info", ".egg-info"))
    return sorted(names)


def fingerprint(data_folder: Path | None = None) -> str:
    """Hash of everything besides the notebook and its parameters that an executed report
    depends on: the data files, alliancelib's source and templates, Python's version, every
    installed distribution and the cache epoch."""
    from alliancelib.data import data_dir
    from alliancelib.paths import PACKAGE_DIR

    h = hashlib.sha256(f"epoch {CACHE_EPOCH}\0{sys.version}\0".encode())
    folder = data_folder or data_dir()
    files = sorted(f for f in folder.glob("*") if f.is_file()) + sorted(
        p for p in PACKAGE_DIR.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    for f in files:
        h.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
    h.update("\n".join(installed_distributions()).encode())
    return h.hexdigest()


def job_key(job: Job, base: str) -> str:
    """Execution cache key of a job: the fingerprint, the notebook's code cells and cell layout
    (markdown text excluded: it cannot change what the code computes) and its parameters."""
    h = hashlib.sha256(base.encode())
    nb = nbs.read(job.source)
    layout = [(c["cell_type"], "".join(c["source"]) if c["cell_type"] == "code" else "",
               c.get("metadata", {}).get("tags", [])) for c in nb["cells"]]
    h.update(json.dumps([layout, nb.get("metadata", {}).get("kernelspec")], sort_keys=True).encode())
    h.update(json.dumps(dict(job.parameters), sort_keys=True, default=repr).encode())
    return h.hexdigest()[:32]


def prose_key(job: Job) -> str:
    """Hash of what the HTML shows besides outputs: the notebook's markdown text and metadata, and
    the scenario's name (two scenarios with the same parameters share an entry; each report names
    its own)."""
    nb = nbs.read(job.source)
    prose = [("".join(c["source"]), c.get("metadata", {})) for c in nb["cells"] if c["cell_type"] != "code"]
    text = json.dumps([prose, nb.get("metadata", {}), job.scenario], sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class Entry:
    """A verified cache entry: its folder and its ``outcome.json``."""

    path: Path
    meta: Mapping[str, Any]

    @property
    def last_used_ns(self) -> int:
        """When a build last stored or used it (ns since the epoch)."""
        return int(self.meta["last_used_ns"])


def _seal(meta: Mapping[str, Any]) -> str:
    body = {k: v for k, v in meta.items() if k != "seal"}
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _write_meta(folder: Path, meta: Mapping[str, Any]) -> None:
    sealed = {**meta, "seal": _seal(meta)}
    fsutil.write_text(folder / META, json.dumps(sealed, sort_keys=True, ensure_ascii=False) + "\n")


def _read_meta(folder: Path) -> dict[str, Any]:
    """The sealed ``outcome.json`` of an entry; ValueError saying what is wrong with it."""
    try:
        meta = json.loads((folder / META).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ValueError(f"{META} unreadable ({type(exc).__name__})") from None
    if not isinstance(meta, dict) or meta.get("seal") != _seal(meta):
        raise ValueError(f"{META} does not match its seal")
    if meta.get("epoch") != CACHE_EPOCH or meta.get("key") != folder.name:
        raise ValueError("an entry of another cache epoch or key")
    return meta


def open_entry(folder: Path) -> tuple[Entry | None, str]:
    """The entry in ``folder`` if it is sound: ``(entry, "")``; ``(None, "")`` if there is none;
    ``(None, why)`` if it is damaged (unreadable or unsealed meta, a file missing or changed)."""
    if not folder.is_dir():
        return None, ""
    try:
        meta = _read_meta(folder)
        for name, digest in meta["files"].items():
            path = folder / name
            if not path.is_file() or fsutil.sha256_of(path) != digest:
                raise ValueError(f"{name} {'changed' if path.is_file() else 'missing'}")
    except (ValueError, KeyError, AttributeError, TypeError) as exc:
        return None, str(exc)
    return Entry(folder, meta), ""


def restore(entry: Entry, job: Job, staging: Path) -> Outcome:
    """The outcome of a job from a sound cache entry, its files put into place; no kernel starts.

    Same prose and scenario: the cached notebook and HTML are copied (and the tables' CSV files
    written from the notebook). New prose (markdown edited) or another scenario with the same
    parameters: the cached outputs get the current markdown and the HTML is exported again.
    """
    from alliancelib.export import export_html, write_tables

    target = executed_path(job, staging)
    if entry.meta["prose"] == prose_key(job):
        for suffix, name in FILES.items():
            fsutil.copy_file(entry.path / name, executed_path(job, staging, suffix))
        write_tables(target)  # the tables' CSV files, named as the copied report links them
    else:
        from alliancelib.provenance import of_job

        nb = _with_new_prose(nbs.read(entry.path / FILES[".ipynb"]), job.source)
        fsutil.write_text(target, nbs.dumps(nb))
        export_html(target, of_job(job))
    return Outcome(job, True, 0.0, "", results_by_name(entry.meta["results"]), cached=True,
                   findings=entry.meta.get("findings"))


def results_by_name(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """An entry's results (a list, in the order the notebook recorded them) by name, in that order.

    >>> list(results_by_name([{"name": "z", "value": 1}, {"name": "a", "value": 2}]))
    ['z', 'a']
    """
    return {str(r["name"]): dict(r) for r in records}


def _with_new_prose(executed: dict[str, Any], source: Path) -> dict[str, Any]:
    """The cached executed notebook with the markdown of the current source (same layout)."""
    src = nbs.read(source)
    new_prose = [c for c in src["cells"] if c["cell_type"] != "code"]
    old_prose = [c for c in executed["cells"] if c["cell_type"] != "code"]
    if len(new_prose) != len(old_prose):
        raise ValueError("cell layout changed")  # the key covers the layout: a bug if reached
    for old, new in zip(old_prose, new_prose, strict=True):
        old["source"], old["metadata"] = new["source"], new.get("metadata", {})
    title = src.get("metadata", {}).get("title")
    if title is None:
        executed["metadata"].pop("title", None)
    else:
        executed["metadata"]["title"] = title
    return executed


def store(folder: Path, o: Outcome, staging: Path, now_ns: int | None = None) -> None:
    """Store a successful outcome's files as the entry ``folder`` (kept as is if already there)."""
    if folder.exists():
        return
    tmp = folder.with_name(folder.name + ".part")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    for suffix, name in FILES.items():
        fsutil.copy_file(executed_path(o.job, staging, suffix), tmp / name)
    _write_meta(tmp, {
        "epoch": CACHE_EPOCH, "key": folder.name, "prose": prose_key(o.job),
        # a list, so the order the notebook recorded them in survives the key-sorted JSON
        "results": list(o.results.values()), "findings": o.findings,
        "files": {name: fsutil.sha256_of(tmp / name) for name in FILES.values()},
        "last_used_ns": time.time_ns() if now_ns is None else now_ns,
    })
    os.replace(tmp, folder)


def _last_used(folder: Path) -> int | None:
    """An entry's last-used time from its sealed meta (None: not an entry to keep)."""
    try:
        return int(_read_meta(folder)["last_used_ns"])
    except (ValueError, KeyError, TypeError):
        return None


def carry(old: Path, new: Path, used: set[str], now_ns: int | None = None) -> list[str]:
    """Bring the previous build's cache entries into the new cache (hard links): those stored or
    used by this build (``used``: their keys) with the time ``now_ns``, the others with their own
    last-used time; the most recently used first, at most :data:`CACHE_KEEP` in all. Returns the
    keys of the new cache, most recently used first."""
    now = time.time_ns() if now_ns is None else now_ns
    when: dict[str, int] = {e.name: _last_used(e) or now for e in _entries(new)}
    carried = {}
    for e in _entries(old):
        stamp = now if e.name in used else _last_used(e)
        if e.name not in when and stamp is not None:
            when[e.name], carried[e.name] = stamp, e
    order = sorted(when, key=lambda k: (-when[k], k))
    for key in order[:CACHE_KEEP]:
        if key in carried:
            _link_entry(carried[key], new / key, now if key in used else None)
    return order[:CACHE_KEEP]


def _entries(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(e for e in folder.iterdir() if e.is_dir() and not e.name.endswith(".part"))


def _link_entry(src: Path, dst: Path, touched_ns: int | None) -> None:
    """Hard-link an entry's files into the new cache; a used entry gets its new last-used time
    (its meta rewritten, not changed through the link)."""
    for f in src.iterdir():
        fsutil.link_or_copy(f, dst / f.name)
    if touched_ns is not None:
        meta = _read_meta(dst)
        meta["last_used_ns"] = touched_ns
        _write_meta(dst, meta)
