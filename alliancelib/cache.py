"""The execution cache: a notebook is executed again only when something it depends on changed.

Each entry is a folder ``<out>/.cache/<key>/`` holding the executed notebook (``report.ipynb``),
its report (``report.html``) and ``outcome.json``: the recorded results (a list, in the order the
notebook recorded them, which the index keeps) and key findings, the hash of the notebook's prose
when it ran, the SHA-256 of both files, the time the entry was last used and a seal (the SHA-256
of the rest of ``outcome.json``). The key (:func:`job_key`) hashes

- the :func:`fingerprint`: the data files, ``alliancelib``'s source (not its templates), the
  Python version, every installed distribution's name, version and ``RECORD`` time
  (:func:`installed_stamp`), and :data:`CACHE_EPOCH`;
- the notebook's code cells and cell layout (not its Markdown: prose cannot change what the code
  computes; a prose edit re-renders the HTML from the cached outputs) and its parameters.

The report templates are not in the key: an entry records the :func:`prose_key` (markdown and
templates) it was exported with, and a template edit re-exports the HTML from the cached outputs.
A rebuild does not read every input again: ``.cache/stamps.json`` keeps each input file's size,
modification time, inode and SHA-256, and a file whose stamp is unchanged is not hashed again
(:func:`file_digest`); it also records the fingerprint whose data the last build validated, so an
unchanged ``data/`` is not validated again.

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
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alliancelib import fsutil, timing
from alliancelib import notebooks as nbs
from alliancelib.paths import data_dir
from alliancelib.runner import Outcome, executed_path
from alliancelib.scenarios import Job

CACHE_DIR = ".cache"
CACHE_KEEP = 200  # entries kept, most recently used first
# Bump when the entry layout or what a key covers changes: every older entry is then ignored.
# 3: the results are a list in recorded order (2 kept them by name, so a JSON dump sorted them).
# 4: the key covers an input stamp per file and the installed packages' RECORD stamps; templates
#    key the HTML only, with the scenario's name.
CACHE_EPOCH = 4
META = "outcome.json"
FILES = {".ipynb": "report.ipynb", ".html": "report.html"}


def site_folders() -> list[Path]:
    """The folders packages are installed into for this Python (its site-packages, the user's
    when enabled), not the working directory or other ``sys.path`` entries: a key must not change
    with the folder a build is started from."""
    import site
    import sysconfig

    paths = sysconfig.get_paths()
    found = [paths["purelib"], paths["platlib"], *site.getsitepackages()]
    if site.ENABLE_USER_SITE:
        found.append(site.getusersitepackages())
    unique: list[Path] = []
    for entry in found:
        folder = Path(entry)
        if folder.is_dir() and folder not in unique:
            unique.append(folder)
    return unique


def _dist_folders() -> list[Path]:
    return sorted(
        (p for folder in site_folders() for p in folder.iterdir() if p.suffix in (".dist-info", ".egg-info")),
        key=lambda p: (p.name, str(p)),
    )


def installed_distributions() -> list[str]:
    """Every distribution installed for this Python, as ``name-version`` (the names of their
    ``.dist-info`` and ``.egg-info`` folders in :func:`site_folders`), sorted."""
    return sorted({p.name.rsplit(".", 1)[0] for p in _dist_folders()})


def installed_stamp() -> list[str]:
    """A cheap stamp of what is installed: each distribution's folder name with the modification
    time (ns) of its ``RECORD`` (of the folder itself where it has none), sorted.

    Why this is enough: installing, upgrading, downgrading or removing a package with pip or uv
    adds, renames or removes its ``.dist-info`` folder (the version is in the name), and
    reinstalling the same version writes a new ``RECORD``; so every change an installer makes
    changes this stamp, at the cost of one directory listing and one ``stat`` per package instead
    of reading every file. A file edited by hand inside site-packages is not seen (nor was it by
    hashing the folder names alone); ``alliancelib`` itself, installed editable, is hashed file by
    file (:func:`check_inputs`)."""
    out = []
    for p in _dist_folders():
        record = p / "RECORD"
        try:
            mtime_ns = (record if record.is_file() else p).stat().st_mtime_ns
        except OSError:
            mtime_ns = -1
        out.append(f"{p.name} {mtime_ns}")
    return sorted(out)


# A file's stamp: [size (bytes), mtime (ns), inode, sha256 (hex), when it was hashed (ns)]
Stamps = dict[str, list[Any]]
STAMPS = "stamps.json"
RACY_NS = 2_000_000_000  # a file changed this close before it was hashed is hashed again


def file_digest(path: Path, known: Mapping[str, Sequence[Any]], now_ns: int) -> list[Any]:
    """The stamp of ``path``: its size, mtime, inode and SHA-256, the digest taken from ``known``
    (the last check's stamps) when size, mtime and inode are unchanged and the file had not
    changed for :data:`RACY_NS` before that check hashed it (as git does for its index: a write
    in the same clock tick as the hash could otherwise keep size and mtime), hashed otherwise."""
    st = path.stat()
    old = known.get(str(path))
    now = [st.st_size, st.st_mtime_ns, st.st_ino]
    if (
        isinstance(old, (list, tuple))
        and len(old) == 5
        and list(old[:3]) == now
        and isinstance(old[3], str)
        and isinstance(old[4], int)
        and st.st_mtime_ns < old[4] - RACY_NS
    ):
        return list(old)
    return [*now, fsutil.sha256_of(path), now_ns]


def input_files(data_folder: Path | None = None) -> list[Path]:
    """The files an execution depends on besides the notebook: the data files and alliancelib's
    source, with the shared prose templates (``templates/*.md.j2``: the footer's, the findings
    box's and the appendix's sentences are rendered in the kernel) but not the page templates
    (they shape the HTML only, see :func:`templates_digest`)."""
    from alliancelib.paths import PACKAGE_DIR, TEMPLATES_DIR

    def page_template(p: Path) -> bool:
        return TEMPLATES_DIR in p.parents and not (p.parent == TEMPLATES_DIR and p.name.endswith(".md.j2"))

    folder = data_folder or data_dir()
    return sorted(f for f in folder.glob("*") if f.is_file()) + sorted(
        p
        for p in PACKAGE_DIR.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and not page_template(p)
    )


def check_inputs(
    data_folder: Path | None = None,
    known: Mapping[str, Sequence[Any]] | None = None,
) -> tuple[str, Stamps]:
    """The :func:`fingerprint` and the stamps it was computed from; with ``known`` (the stamps of
    the last check), a file whose stamp is unchanged is not read again (:func:`file_digest`)."""
    now = time.time_ns()
    h = hashlib.sha256(f"epoch {CACHE_EPOCH}\0{sys.version}\0".encode())
    stamps: Stamps = {}
    for f in input_files(data_folder):
        stamps[str(f)] = stamp = file_digest(f, known or {}, now)
        h.update(f"{f.name}\0{stamp[3]}\0".encode())
    h.update("\n".join(installed_distributions()).encode())
    h.update("\n".join(installed_stamp()).encode())
    return h.hexdigest(), stamps


def fingerprint(data_folder: Path | None = None) -> str:
    """Hash of everything besides the notebook and its parameters that an executed report
    depends on: the data files, alliancelib's source, Python's version, the installed
    distributions (:func:`installed_stamp`) and the cache epoch."""
    return check_inputs(data_folder)[0]


def read_stamps(cache_dir: Path) -> dict[str, Any]:
    """The stamps a build left in its cache (``{"files": Stamps, "validated": fingerprint}``);
    empty if there are none or they cannot be read (then every input is hashed)."""
    try:
        doc = json.loads((cache_dir / STAMPS).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return {}
    return doc if isinstance(doc, dict) and isinstance(doc.get("files", {}), dict) else {}


def write_stamps(cache_dir: Path, doc: Mapping[str, Any]) -> None:
    """Record what a build checked: ``files`` (the stamps of its inputs), ``validated`` (the
    fingerprint whose data it validated) and the build's records of its plan and index."""
    fsutil.write_text(cache_dir / STAMPS, json.dumps(doc, sort_keys=True) + "\n")


def templates_digest(report_only: bool = False) -> str:
    """SHA-256 over the templates (a few small files): they change the HTML, not what a notebook
    computes, so they are part of :func:`prose_key` (``report_only``: the report template's
    folder ``templates/alliance/``; the index's own template changes only the index), not of the
    execution key."""
    from alliancelib.paths import TEMPLATES_DIR

    folder = TEMPLATES_DIR / "alliance" if report_only else TEMPLATES_DIR
    h = hashlib.sha256()
    for f in sorted(p for p in folder.rglob("*") if p.is_file()):
        h.update(f"{f.relative_to(TEMPLATES_DIR)}\0".encode() + f.read_bytes() + b"\0")
    return h.hexdigest()


def job_key(job: Job, base: str) -> str:
    """Execution cache key of a job: the fingerprint, the notebook's code cells and cell layout
    (markdown text excluded: it cannot change what the code computes) and its parameters."""
    h = hashlib.sha256(base.encode())
    nb = nbs.read(job.source)
    layout = [
        (
            c["cell_type"],
            "".join(c["source"]) if c["cell_type"] == "code" else "",
            c.get("metadata", {}).get("tags", []),
        )
        for c in nb["cells"]
    ]
    h.update(json.dumps([layout, nb.get("metadata", {}).get("kernelspec")], sort_keys=True).encode())
    h.update(json.dumps(dict(job.parameters), sort_keys=True, default=repr).encode())
    return h.hexdigest()[:32]


def prose_key(job: Job) -> str:
    """Hash of what the HTML shows besides outputs: the notebook's markdown text and metadata, the
    report template (:func:`templates_digest`) and the scenario's name (two scenarios with the same
    parameters share an entry; each report names its own)."""
    nb = nbs.read(job.source)
    prose = [("".join(c["source"]), c.get("metadata", {})) for c in nb["cells"] if c["cell_type"] != "code"]
    text = json.dumps(
        [prose, nb.get("metadata", {}), job.scenario, templates_digest(report_only=True)], sort_keys=True
    )
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
        with timing.phase("export"):
            export_html(target, of_job(job))
    return Outcome(
        job,
        True,
        0.0,
        "",
        results_by_name(entry.meta["results"]),
        cached=True,
        findings=entry.meta.get("findings"),
    )


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
    _write_meta(
        tmp,
        {
            "epoch": CACHE_EPOCH,
            "key": folder.name,
            "prose": prose_key(o.job),
            # a list, so the order the notebook recorded them in survives the key-sorted JSON
            "results": list(o.results.values()),
            "findings": o.findings,
            "files": {name: fsutil.sha256_of(tmp / name) for name in FILES.values()},
            "last_used_ns": time.time_ns() if now_ns is None else now_ns,
        },
    )
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
    from alliancelib.chart_cache import FOLDER as CHARTS  # kept charts: not an entry

    return sorted(
        e for e in folder.iterdir() if e.is_dir() and not e.name.endswith(".part") and e.name != CHARTS
    )


def _link_entry(src: Path, dst: Path, touched_ns: int | None) -> None:
    """Hard-link an entry's files into the new cache; a used entry gets its new last-used time
    (its meta rewritten, not changed through the link)."""
    for f in src.iterdir():
        fsutil.link_or_copy(f, dst / f.name)
    if touched_ns is not None:
        meta = _read_meta(dst)
        meta["last_used_ns"] = touched_ns
        _write_meta(dst, meta)
