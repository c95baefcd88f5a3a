"""What a build keeps of the previous reports: everything it did not build itself.

A build writes the reports it builds into a staging folder and swaps that whole folder in at the
end (:func:`alliancelib.fsutil.swap_in`). Before the swap, :func:`carry_over` hard-links into the
staging folder everything of the previous output folder that this build does not rebuild:

- every other scenario's folder (``alliance build --only 01_ownership -p ...`` writes ``custom/``
  and leaves ``base/``, ``cautious/`` and ``ambitious/`` as they were);
- in a rebuilt scenario, the files of the notebooks this build did not run (``--only``), and their
  entries in ``results.json`` (:func:`kept_entries`);
- a rebuilt report's PDF when the build does not print (no ``--pdf``) and the report's HTML came
  out byte-identical (the PDF still shows it); a PDF whose report changed is dropped, never shown
  beside a report it no longer matches; the index's PDF likewise (:func:`keep_index_pdf`);
- any file a user put in the output folder.

The output folder is thus replaced in one atomic step as before, and at every instant holds either
the complete previous reports or the complete new ones, with nothing the build did not build lost.
Files are hard-linked, not copied (the build never writes a file in place, so a link is safe);
where links are refused they are copied.

:func:`read_folder` turns each scenario folder's ``results.json`` back into the scenario and
outcomes the index is rendered from, so the index lists every scenario folder present, built now
or before, and a rebuild renders it from the same records as a fresh build.
"""

from __future__ import annotations

import json
import os
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Any

from alliancelib import fsutil
from alliancelib.cache import CACHE_DIR
from alliancelib.runner import Outcome
from alliancelib.scenarios import Job, Scenario

RESULTS = "results.json"
INDEX_FILES = ("index.html", "index.pdf")


def owner(name: str, notebooks: Collection[str]) -> str | None:
    """The notebook a file of a scenario folder belongs to (``03_x.html``, ``03_x.pdf``,
    ``03_x_tables/``), or None for a file of no notebook.

    >>> owner("03_ev.html", ["03_ev", "01_own"]), owner("03_ev_tables", ["03_ev"]), owner("n.txt", ["03_ev"])
    ('03_ev', '03_ev', None)
    """
    for nb in notebooks:
        if name == nb or (name.startswith(nb) and name[len(nb)] in "._"):
            return nb
    return None


def _link_tree(src: Path, dst: Path) -> None:
    """Hard-link (or copy) ``src`` to ``dst``: a file, a symlink as a symlink, a folder entry by entry."""
    if src.is_symlink():
        dst.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(os.readlink(src), dst)
    elif src.is_dir():
        dst.mkdir(parents=True, exist_ok=True)
        for entry in sorted(src.iterdir()):
            _link_tree(entry, dst / entry.name)
    elif src.is_file():
        fsutil.link_or_copy(src, dst)


def _same_bytes(a: Path, b: Path) -> bool:
    if not (a.is_file() and b.is_file()) or a.stat().st_size != b.stat().st_size:
        return False
    return a.read_bytes() == b.read_bytes()


def carry_over(old: Path, new: Path, rebuilt: Mapping[str, Collection[str]], printing: bool) -> list[str]:
    """Link into ``new`` (the staging folder) everything of ``old`` (the output folder) that this
    build does not rebuild; ``rebuilt`` maps each scenario built to its notebooks run, ``printing``
    says whether the build prints PDFs (then no old PDF of a rebuilt report is kept: the new one
    replaces it). Returns what was carried, as paths relative to ``old`` (sorted).

    ``old``'s cache, index and the ``results.json`` of rebuilt scenarios are not carried: the build
    writes its own (the latter merged with :func:`kept_entries`)."""
    carried: list[str] = []
    if not old.is_dir():
        return carried
    for entry in sorted(old.iterdir()):
        if entry.name == CACHE_DIR or entry.name in INDEX_FILES:
            continue
        if entry.name not in rebuilt or not entry.is_dir() or entry.is_symlink():
            if not (new / entry.name).exists():
                _link_tree(entry, new / entry.name)
                carried.append(entry.name)
            continue
        notebooks = rebuilt[entry.name]
        for item in sorted(entry.iterdir()):
            target = new / entry.name / item.name
            nb = owner(item.name, notebooks)
            if item.name == RESULTS or target.exists():
                continue
            if nb is not None and not _pdf_still_true(item, nb, new / entry.name, printing):
                continue
            _link_tree(item, target)
            carried.append(f"{entry.name}/{item.name}")
    return carried


def _pdf_still_true(item: Path, nb: str, new_folder: Path, printing: bool) -> bool:
    """Whether a rebuilt notebook's old file is kept: only its PDF, only when the build does not
    print, and only when its report came out byte-identical."""
    return (
        not printing
        and item.name == f"{nb}.pdf"
        and _same_bytes(item.with_name(f"{nb}.html"), new_folder / f"{nb}.html")
    )


def keep_index_pdf(old: Path, new: Path, printing: bool) -> bool:
    """Link the previous index's PDF into ``new`` when the build does not print and the index came
    out byte-identical; returns whether it did."""
    pdf = old / "index.pdf"
    if printing or not pdf.is_file() or not _same_bytes(old / "index.html", new / "index.html"):
        return False
    fsutil.link_or_copy(pdf, new / "index.pdf")
    return True


def read_results(folder: Path) -> dict[str, Any] | None:
    """A scenario folder's ``results.json`` (None if it has none or it cannot be read: a folder
    that is not a scenario's is carried, not listed)."""
    try:
        doc = json.loads((folder / RESULTS).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return doc if isinstance(doc, dict) and isinstance(doc.get("notebooks"), dict) else None


def kept_entries(old_folder: Path, rebuilt: Collection[str]) -> dict[str, Any]:
    """The ``results.json`` entries of a previous scenario folder for the notebooks not rebuilt."""
    doc = read_results(old_folder)
    if doc is None:
        return {}
    return {nb: entry for nb, entry in doc["notebooks"].items() if nb not in rebuilt}


def _overrides(source: Path, parameters: Mapping[str, Any]) -> dict[str, Any]:
    """The parameters that differ from the notebook's declared defaults (for a record written
    before ``results.json`` kept them)."""
    from alliancelib import notebooks as nbs

    if not source.exists():
        return {}
    declared = nbs.declared_parameters(source)
    return {k: v for k, v in parameters.items() if k in declared and v != declared[k].default}


def read_folder(folder: Path, notebook_dir: Path) -> tuple[list[Scenario], list[Outcome]]:
    """Every scenario folder of an output folder, from its ``results.json``: the scenarios (``base``
    first, then by name) and one outcome per notebook recorded, as the index shows them."""
    from alliancelib import notebooks as nbs

    found = nbs.discover(notebook_dir) if notebook_dir.is_dir() else {}
    scenarios: list[Scenario] = []
    outcomes: list[Outcome] = []
    entries = sorted(folder.iterdir()) if folder.is_dir() else []
    folders = [p for p in entries if p.is_dir() and not p.name.startswith(".")]
    for sc_dir in sorted(folders, key=lambda p: (p.name != "base", p.name)):
        doc = read_results(sc_dir)
        if doc is None:
            continue
        start = doc.get("starts_from")
        parent = Scenario(str(start)) if isinstance(start, str) and start and start != "base" else None
        scenarios.append(Scenario(sc_dir.name, str(doc.get("description", "")), parent=parent))
        for nb, entry in doc["notebooks"].items():
            source = found.get(nb, notebook_dir / f"{nb}.ipynb")
            parameters = dict(entry.get("parameters") or {})
            overrides = entry.get("overrides")
            if not isinstance(overrides, dict):
                overrides = _overrides(source, parameters)
            job = Job(sc_dir.name, nb, source, parameters, dict(overrides))
            outcomes.append(
                Outcome(
                    job,
                    entry.get("status") == "ok",
                    0.0,
                    str(entry.get("error") or ""),
                    dict(entry.get("results") or {}),
                    True,
                    entry.get("findings"),
                )
            )
    return scenarios, outcomes
