"""Editions: what changed in the findings, the results and the data between two states.

A **state** (:class:`State`) is what a reader can cite: each notebook's recorded results and key
findings at its defaults, and every row of ``data/`` by its key. It is read from

- a git revision (``v0.1.0``, ``HEAD~2``, ``390c0cd``): the committed notebooks (they keep their
  outputs, so their results and findings are there) and ``data/*.csv`` at that revision;
- the working tree (``.``);
- a scenario's ``results.json`` (results and findings only; it holds no data rows);
- an edition file, ``editions/v<version>.json``: a state written when an edition is cut
  (:func:`cut`), committed, so the front page can say what moved since (``v0.2.0`` names it when
  no git tag of that name exists).

:func:`compare` lists the changes: one :class:`Change` per result whose value or range moved, per key
finding whose text changed, per data row added, changed or removed (by the table's primary key in
``data/datapackage.json``). ``alliance diff OLD NEW`` prints them (or "no change"); the front page
shows them since the newest edition (:func:`since_last_edition`).
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from alliancelib.errors import AllianceError
from alliancelib.paths import ROOT

EDITIONS_DIR = "editions"
WORKTREE = "."
Rows = dict[str, dict[str, str]]


class EditionError(AllianceError):
    """An unknown revision, file or edition."""


@dataclass(frozen=True)
class State:
    """What a reader can cite at one point: ``results[notebook][name]`` (the recorded records),
    ``findings[notebook][key]`` (their texts), ``data[table][key]`` (rows as text; None when the
    source holds no data, e.g. a results.json), and a label saying where it came from."""

    label: str
    results: Mapping[str, Mapping[str, Mapping[str, Any]]]
    findings: Mapping[str, Mapping[str, str]]
    data: Mapping[str, Rows] | None = None
    scenario: str = "defaults"
    version: str = ""
    date: str = ""

    def to_json(self) -> str:
        """The state as an edition file (keys sorted except each notebook's results, which keep
        their recorded order; deterministic)."""
        doc = {
            "label": self.label,
            "version": self.version,
            "date": self.date,
            "scenario": self.scenario,
            "results": {nb: dict(self.results[nb]) for nb in sorted(self.results)},
            "findings": {nb: dict(sorted(self.findings[nb].items())) for nb in sorted(self.findings)},
            "data": None
            if self.data is None
            else {t: dict(sorted(self.data[t].items())) for t in sorted(self.data)},
        }
        return json.dumps(doc, indent=1, ensure_ascii=False) + "\n"


@dataclass(frozen=True)
class Change:
    """One line of a diff: ``kind`` is "result", "finding" or "data"; ``where`` the notebook or
    table; ``what`` the result's label, the finding's key or the row's key; ``old``/``new`` as a
    reader writes them ("" when absent)."""

    kind: str
    where: str
    what: str
    old: str
    new: str
    scenario: str = ""
    unit: str = ""
    columns: tuple[str, ...] = field(default_factory=tuple)

    @property
    def verb(self) -> str:
        """added, removed or changed."""
        return "added" if not self.old else "removed" if not self.new else "changed"

    def line(self) -> str:
        """The change in one line.

        >>> Change("result", "01_ownership", "Sale (EUR m)", "679", "650", "base", "EUR m").line()
        'result  01_ownership · Sale (EUR m): 679 -> 650 EUR m [base]'
        >>> Change("data", "facts.csv", "x_pct", "", "value=3").line()
        'data    facts.csv · x_pct: added (value=3)'
        """
        if self.kind == "result":
            unit = f" {self.unit}" if self.unit else ""
            scenario = f" [{self.scenario}]" if self.scenario else ""
            moved = f"{self.old or 'none'} -> {self.new or 'none'}"
            return f"result  {self.where} · {self.what}: {moved}{unit}{scenario}"
        if self.kind == "finding":
            text = self.new if self.new else self.old
            return f"finding {self.where} · {self.what}: {self.verb}: {text}"
        detail = (
            self.new
            if self.verb == "added"
            else self.old
            if self.verb == "removed"
            else f"{self.old} -> {self.new}"
        )
        return f"data    {self.where} · {self.what}: {self.verb} ({detail})"


# --------------------------------------------------------------------------- reading a state


def _git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise EditionError(done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "git failed")
    return done.stdout


def _revision(repo: Path, rev: str) -> str | None:
    """The commit a revision names, or None if git knows no such revision."""
    done = subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}"],
        capture_output=True,
        text=True,
    )
    return done.stdout.strip() if done.returncode == 0 else None


def _tree_reader(
    repo: Path, commit: str | None
) -> tuple[Callable[[str], str | None], Callable[[str], list[str]]]:
    """Read files and list folders at a commit (None: the working tree)."""
    if commit is None:

        def read(path: str) -> str | None:
            p = repo / path
            return p.read_text(encoding="utf-8-sig") if p.is_file() else None

        def listing(folder: str) -> list[str]:
            return sorted(p.name for p in (repo / folder).glob("*") if p.is_file())

        return read, listing

    def read_at(path: str) -> str | None:
        done = subprocess.run(["git", "-C", str(repo), "show", f"{commit}:{path}"], capture_output=True)
        return done.stdout.decode("utf-8-sig") if done.returncode == 0 else None

    def listing_at(folder: str) -> list[str]:
        out = _git(repo, "ls-tree", "--name-only", commit, f"{folder}/")
        return sorted(Path(line).name for line in out.splitlines() if line.strip())

    return read_at, listing_at


def _primary_keys(text: str | None) -> dict[str, list[str]]:
    """Each table's primary key columns, from the text of a ``datapackage.json`` (none without one)."""
    doc = json.loads(text) if text else {}
    return {
        str(r["name"]): list(r.get("schema", {}).get("primaryKey") or []) for r in doc.get("resources", [])
    }


def rows_by_key(text: str, key: Sequence[str]) -> Rows:
    """A CSV's rows as ``{key: {column: text}}``; the key joins the key columns with " · " (the
    whole row where the table declares none).

    >>> rows_by_key("a,b\\r\\nx,1\\ny,2\\n", ["a"])
    {'x': {'a': 'x', 'b': '1'}, 'y': {'a': 'y', 'b': '2'}}
    """
    reader = csv.DictReader(io.StringIO(text.replace("\r\n", "\n")))
    out: Rows = {}
    for row in reader:
        clean = {k: (v or "") for k, v in row.items() if k is not None}
        cols = [k for k in key if k in clean] or list(clean)
        out[" · ".join(clean[c] for c in cols)] = clean
    return out


def _notebook_records(text: str) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    from alliancelib.findings import read_findings
    from alliancelib.results import read_results

    nb = json.loads(text)
    record = read_findings(nb) or {}
    items = record.get("items") or []
    return read_results(nb), {
        str(i["key"]): str(i["text"]) for i in items if isinstance(i, dict) and "key" in i
    }


def read_tree(repo: Path, commit: str | None, label: str) -> State:
    """The state of a commit (None: the working tree) of the project at ``repo``."""
    read, listing = _tree_reader(repo, commit)
    results, findings = {}, {}
    for name in listing("notebooks"):
        if name.endswith(".ipynb") and (text := read(f"notebooks/{name}")):
            nb = name.removesuffix(".ipynb")
            results[nb], findings[nb] = _notebook_records(text)
    keys = _primary_keys(read("data/datapackage.json"))
    data = {}
    for name in listing("data"):
        if name.endswith(".csv") and (text := read(f"data/{name}")) is not None:
            data[name] = rows_by_key(text, keys.get(name.removesuffix(".csv"), []))
    return State(label, results, findings, data)


def read_results_json(path: Path) -> State:
    """The state of a scenario's ``results.json`` (no data rows)."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        notebooks = doc["notebooks"]
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise EditionError(f"{path}: not a results.json of a build ({exc})") from None
    results = {nb: dict(e.get("results") or {}) for nb, e in notebooks.items()}
    findings = {
        nb: {
            str(i["key"]): str(i["text"])
            for i in ((e.get("findings") or {}).get("items") or [])
            if isinstance(i, dict) and "key" in i
        }
        for nb, e in notebooks.items()
    }
    return State(str(path), results, findings, None, str(doc.get("scenario", "")))


def read_edition(path: Path) -> State:
    """The state an edition file holds."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
        return State(
            str(doc.get("label") or path.stem),
            doc["results"],
            doc["findings"],
            doc.get("data"),
            str(doc.get("scenario", "defaults")),
            str(doc.get("version", "")),
            str(doc.get("date", "")),
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise EditionError(f"{path}: not an edition file ({exc})") from None


def read_state(spec: str, repo: Path = ROOT) -> State:
    """The state ``spec`` names: ``.`` (the working tree), a ``results.json`` or edition file, a git
    revision, or an edition's name (``v0.1.0``) committed in ``editions/``."""
    if spec == WORKTREE:
        return read_tree(repo, None, "the working tree")
    path = Path(spec)
    if spec.endswith(".json"):
        if not path.is_file():
            raise EditionError(
                f"{spec}: no such file (give a results.json, an edition file or a git revision)"
            )
        doc_head = path.read_text(encoding="utf-8")[:4000]
        return read_results_json(path) if '"notebooks"' in doc_head else read_edition(path)
    commit = _revision(repo, spec)
    if commit is not None:
        return read_tree(repo, commit, spec)
    edition = repo / EDITIONS_DIR / f"{spec}.json"
    if edition.is_file():
        return read_edition(edition)
    raise EditionError(f"{spec}: not a git revision, an edition in {EDITIONS_DIR}/ or a .json file")


# --------------------------------------------------------------------------- comparing two states


def _say(record: Mapping[str, Any] | None) -> tuple[str, str]:
    """A result's value (with its range) as a reader writes it, and its unit."""
    from alliancelib.results import format_quantity, format_range, spec_for

    if record is None:
        return "", ""
    spec = spec_for(str(record.get("name", "")))
    decimals = spec.decimals if spec is not None else None
    unit = str(record.get("unit", ""))
    value = record.get("value")
    text = "none" if value is None else format_quantity(value, "", decimals).strip()
    low, high = record.get("low"), record.get("high")
    if low is not None and high is not None:
        text += f" (range {format_range(float(low), float(high), decimals)})"
    return text, unit


def _moved(a: Mapping[str, Any] | None, b: Mapping[str, Any] | None) -> bool:
    keys = ("value", "low", "high")
    return (a is None) != (b is None) or (
        a is not None and b is not None and any(a.get(k) != b.get(k) for k in keys)
    )


def compare(old: State, new: State) -> list[Change]:
    """Every change from ``old`` to ``new``: results first, then findings, then data rows."""
    scenario = new.scenario if new.scenario == old.scenario else f"{old.scenario} -> {new.scenario}"
    changes: list[Change] = []
    for nb in sorted(set(old.results) | set(new.results)):
        a, b = old.results.get(nb, {}), new.results.get(nb, {})
        for name in list(dict.fromkeys([*a, *b])):
            if _moved(a.get(name), b.get(name)):
                label = str((b.get(name) or a.get(name) or {}).get("label") or name)
                (before, unit), (after, unit_new) = _say(a.get(name)), _say(b.get(name))
                if before == after and unit == unit_new:
                    continue  # moved below the precision a reader is shown
                changes.append(Change("result", nb, label, before, after, scenario, unit_new or unit))
    for nb in sorted(set(old.findings) | set(new.findings)):
        fa, fb = old.findings.get(nb, {}), new.findings.get(nb, {})
        for key in sorted(set(fa) | set(fb)):
            if fa.get(key) != fb.get(key):
                changes.append(Change("finding", nb, key, fa.get(key, ""), fb.get(key, "")))
    if old.data is not None and new.data is not None:
        changes += _data_changes(old.data, new.data)
    return changes


def key_columns(rows: Rows) -> list[str] | None:
    """The columns whose values, joined, make every row's key (at most three, in column order);
    None if none do.

    >>> key_columns({"x · 1": {"a": "x", "b": "1", "c": "q"}})
    ['a', 'b']
    """
    from itertools import combinations

    if not rows:
        return None
    columns = list(next(iter(rows.values())))
    for size in (1, 2, 3):
        for cols in combinations(columns, size):
            if all(" · ".join(r.get(c, "") for c in cols) == k for k, r in rows.items()):
                return list(cols)
    return None


def _rekeyed(rows: Rows, cols: Sequence[str]) -> Rows | None:
    """The rows keyed by ``cols`` (None if a row lacks one of them or two rows share a key)."""
    out: Rows = {}
    for r in rows.values():
        if any(c not in r for c in cols):
            return None
        k = " · ".join(r[c] for c in cols)
        if k in out:
            return None
        out[k] = r
    return out


def _same_keys(a: Rows, b: Rows) -> tuple[Rows, Rows]:
    """Two versions of a table keyed alike: where its key changed between them (a new key column,
    say), both are keyed by the old key when the new rows still carry its columns."""
    if not a or not b or set(a) & set(b):
        return a, b
    cols = key_columns(a)
    rb = _rekeyed(b, cols) if cols else None
    return (a, rb) if rb is not None else (a, b)


def _data_changes(old: Mapping[str, Rows], new: Mapping[str, Rows]) -> list[Change]:
    """The rows added, changed or removed, table by table; a column only one side has (a new
    column, say) is one line for the table, not a change of every row."""
    out = []
    for table in sorted(set(old) | set(new)):
        a, b = _same_keys(old.get(table, {}), new.get(table, {}))
        cols_a = set(next(iter(a.values()))) if a else set()
        cols_b = set(next(iter(b.values()))) if b else set()
        if a and b and cols_a != cols_b:
            added, gone = sorted(cols_b - cols_a), sorted(cols_a - cols_b)
            out.append(Change("data", table, "columns", ", ".join(gone), ", ".join(added)))
        common = cols_a & cols_b if a and b else cols_a | cols_b
        for key in sorted(set(a) | set(b)):
            ra, rb = a.get(key), b.get(key)
            if ra is None or rb is None:
                row = rb if ra is None else ra
                text = ", ".join(f"{k}={v}" for k, v in (row or {}).items() if v)
                out.append(Change("data", table, key, "" if ra is None else text, "" if rb is None else text))
                continue
            cols = tuple(c for c in dict.fromkeys([*ra, *rb]) if c in common and ra.get(c) != rb.get(c))
            if cols:
                out.append(
                    Change(
                        "data",
                        table,
                        key,
                        "; ".join(f"{c}={ra.get(c, '')}" for c in cols),
                        "; ".join(f"{c}={rb.get(c, '')}" for c in cols),
                        columns=cols,
                    )
                )
    return out


def report(changes: Sequence[Change]) -> str:
    """The diff as ``alliance diff`` prints it: one line per change, or "no change"."""
    return "\n".join(c.line() for c in changes) if changes else "no change"


# --------------------------------------------------------------------------- editions


def edition_files(repo: Path = ROOT) -> list[Path]:
    """The committed edition files, oldest version first."""

    def version(p: Path) -> tuple[int, ...]:
        return tuple(int(x) if x.isdigit() else 0 for x in p.stem.lstrip("v").split("."))

    return sorted((repo / EDITIONS_DIR).glob("v*.json"), key=version)


@dataclass(frozen=True)
class Since:
    """What the front page says since the newest edition: its version and date, the changes
    (findings and results first, then data), and whether they are the changes *in* that edition
    (against the one before it) because nothing moved after it."""

    version: str
    date: str
    previous: str
    changes: list[Change]
    in_edition: bool

    @property
    def findings(self) -> list[Change]:
        """The key findings whose text changed."""
        return [c for c in self.changes if c.kind == "finding"]

    @property
    def results(self) -> list[Change]:
        """The recorded results whose value or range moved."""
        return [c for c in self.changes if c.kind == "result"]

    @property
    def facts(self) -> list[Change]:
        """The data rows added, changed or removed."""
        return [c for c in self.changes if c.kind == "data"]


def read_data_folder(folder: Path) -> dict[str, Rows]:
    """Every table of a data folder, by its primary key (``datapackage.json`` in the folder)."""
    pkg = folder / "datapackage.json"
    keys = _primary_keys(pkg.read_text(encoding="utf-8") if pkg.is_file() else None)
    return {
        p.name: rows_by_key(p.read_text(encoding="utf-8-sig"), keys.get(p.stem, []))
        for p in sorted(folder.glob("*.csv"))
    }


def current_state(
    results: Mapping[str, Mapping[str, Mapping[str, Any]]],
    findings: Mapping[str, Mapping[str, str]],
    data_folder: Path,
) -> State:
    """The state of a build: its base scenario's results and findings, the data it was built from."""
    return State("this build", results, findings, read_data_folder(data_folder))


def since_last_edition(current: State, repo: Path = ROOT) -> Since | None:
    """What moved since the newest committed edition (None when there is none). When nothing moved,
    the changes that edition itself made against the one before it."""
    files = edition_files(repo)
    if not files:
        return None
    last = read_edition(files[-1])
    changes = compare(last, current)
    if changes or len(files) < 2:
        return Since(last.version, last.date, "", changes, False)
    before = read_edition(files[-2])
    return Since(last.version, last.date, before.version, compare(before, last), True)


def changelog_section(version: str, date: str, changes: Sequence[Change], previous: str, code: str) -> str:
    """The CHANGELOG section of an edition: findings that moved, results, facts, then the code
    changes written by hand (``code``)."""

    def block(title: str, items: Sequence[Change]) -> list[str]:
        return (
            [f"### {title}", "", *[f"- {c.line().split(maxsplit=1)[1]}" for c in items], ""] if items else []
        )

    against = f" (against {previous})" if previous else ""
    lines = [
        f"## [{version}] - {date}",
        "",
        f"Generated by `alliance edition`{against}; code changes by hand.",
        "",
    ]
    lines += block("Findings that moved", [c for c in changes if c.kind == "finding"])
    lines += block("Results that moved", [c for c in changes if c.kind == "result"])
    lines += block("Facts added, changed or removed", [c for c in changes if c.kind == "data"])
    if not changes:
        lines += ["No finding, result or fact moved.", ""]
    notes = code.strip()
    if notes and not notes.startswith("### "):
        notes = f"### Changed\n\n{notes}"  # Keep a Changelog's headings for the hand-written part
    lines += [notes or "### Changed\n\n- No change to the code.", ""]
    return "\n".join(lines)


def _unreleased(changelog: str) -> tuple[str, str, str]:
    """CHANGELOG split at its "## [Unreleased]" section: (before, its body, after)."""
    head, sep, rest = changelog.partition("## [Unreleased]")
    if not sep:
        raise EditionError('CHANGELOG.md has no "## [Unreleased]" section to release')
    body, nxt, after = rest.partition("\n## [")
    return head, body.strip("\n"), (nxt.lstrip("\n") and "## [") + after if nxt else ""


def cut(version: str, date: str, repo: Path = ROOT) -> tuple[Path, str]:
    """Cut an edition of the working tree: write ``editions/v<version>.json`` and move CHANGELOG.md's
    "Unreleased" notes under a section generated against the previous edition. Returns the edition
    file and the section. EditionError if that edition exists or the version is not X.Y.Z."""
    import re

    if not re.fullmatch(r"\d+\.\d+\.\d+", version):
        raise EditionError(f"edition {version!r}: write a version as X.Y.Z, e.g. 0.2.0")
    target = repo / EDITIONS_DIR / f"v{version}.json"
    if target.exists():
        raise EditionError(
            f"{target.relative_to(repo)} exists: editions are never rewritten; cut a new version"
        )
    files = edition_files(repo)
    previous = read_edition(files[-1]) if files else None
    state = read_tree(repo, None, f"v{version}")
    state = State(f"v{version}", state.results, state.findings, state.data, "defaults", version, date)
    changes = compare(previous, state) if previous is not None else []
    log_path = repo / "CHANGELOG.md"
    head, code, rest = _unreleased(log_path.read_text(encoding="utf-8"))
    section = changelog_section(version, date, changes, f"v{previous.version}" if previous else "", code)
    target.parent.mkdir(exist_ok=True)
    target.write_text(state.to_json(), encoding="utf-8")
    log_path.write_text(f"{head}## [Unreleased]\n\n{section}\n{rest}".rstrip("\n") + "\n", encoding="utf-8")
    return target, section


def snapshot(rev: str, version: str, date: str, label: str, repo: Path = ROOT) -> Path:
    """Write the edition file of a past revision (used once, for the state before editions were kept)."""
    commit = _revision(repo, rev)
    if commit is None:
        raise EditionError(f"{rev}: not a git revision")
    state = read_tree(repo, commit, label)
    target = repo / EDITIONS_DIR / f"v{version}.json"
    target.parent.mkdir(exist_ok=True)
    target.write_text(
        State(label, state.results, state.findings, state.data, "defaults", version, date).to_json(),
        encoding="utf-8",
    )
    return target
