"""Load and validate the sourced data in ``data/`` against ``data/datapackage.json``.

The descriptor (a Data Package v2, generated from :mod:`alliancelib.fields` by
:mod:`alliancelib.schema`) is the single schema: column names, types, units, constraints, primary
keys and foreign keys. Every rule is checked on load, and one validation reports every breach it
finds (:func:`validate`), each a :class:`~alliancelib.errors.DataProblem` naming file, line, column
(number and name) and problem; :func:`load_all` raises them together as one
:class:`~alliancelib.errors.DataError`:

- a file that is empty, not UTF-8 (or UTF-16), not valid CSV, separated by semicolons, or has a
  carriage return without a line feed; a UTF-8 byte-order mark and Windows (CRLF) line ends, as a
  spreadsheet saves them, are read as they are;
- a missing, unexpected or repeated column; a row of empty cells; a row with more or fewer values
  than columns (with a hint when an unquoted decimal comma split a number);
- a required value left empty, a value with spaces at its ends;
- a value of the wrong type (number, integer, date, partial date) or a date not on the calendar
  (``2026-11-31: November has 30 days``);
- a value outside its constraints (enum, pattern, minimum/maximum: every ``*_pct`` column and
  every ``facts`` row in ``%`` must lie in 0-100);
- a duplicate primary key;
- a foreign key that does not resolve (a source id ``sources.csv`` does not hold, a claim id
  ``claims.csv`` does not hold);
- dates out of order (a source accessed before it was published, an incentive valid to before it
  is valid from, a commitment ended before it was made); an RNAIPL split that does not add up to
  100; a claim with both or neither of ``check`` and ``status``; a fact with a plan's dates.

A source that no row cites is a warning, not a problem: a new source is added before the row that
cites it (``data/README.md``). A cell that breaks its own check is left out of the rules that span
cells, so one mistake gives one message; a file that cannot be read as a table gives one message
and its rows are checked once it can be.

Set ``ALLIANCE_DATA_DIR`` to validate or build from another copy of the data folder.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import json
import math
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from dataclasses import field as dc_field
from pathlib import Path
from typing import Any

import pandas as pd

from alliancelib import reads
from alliancelib.dates import (  # noqa: F401 - re-exported: the data's dates
    MONTH_NAMES,
    PARTIAL_DATE,
    CalendarError,
    calendar_problem,
    parse_full_date,
    parse_partial_date,
    partial_date_end,
)
from alliancelib.errors import PROBLEM_KINDS, DataError, DataProblem
from alliancelib.fields import is_partial_date
from alliancelib.paths import DATA_DIR, data_dir

Stamp = tuple[Any, ...]


def file_stamp(*names: str, folder: Path | None = None) -> Stamp:
    """A cache key for what the named data files hold: the data folder, then each file's name,
    modification time (ns) and size (bytes), -1 for a missing file. An edited file or another data
    folder gives another key; the loader, not the key, reports a missing or broken file.

    >>> file_stamp("facts.csv")[1][0]
    'facts.csv'
    """
    folder = folder or data_dir()
    out: list[Any] = [str(folder)]
    for name in names:
        try:
            st = (folder / name).stat()
            out.append((name, st.st_mtime_ns, st.st_size))
        except OSError:
            out.append((name, -1, -1))
    return tuple(out)


def _display(path: Path) -> str:
    """A path for messages: relative to the project where possible, never absolute noise."""
    try:
        return str(path.relative_to(DATA_DIR.parent))
    except ValueError:
        return f"{path.parent.name}/{path.name}"


@functools.cache
def _descriptor_cached(path: Path, mtime_ns: int) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def descriptor(folder: Path | None = None) -> dict[str, Any]:
    """The data package descriptor (``datapackage.json``) as a dict."""
    path = (folder or data_dir()) / "datapackage.json"
    if not path.exists():
        raise DataError.of(
            [
                DataProblem(
                    _display(path),
                    None,
                    None,
                    None,
                    "missing: the schema of every table lives here",
                    "schema",
                )
            ]
        )
    try:
        return _descriptor_cached(path, path.stat().st_mtime_ns)
    except json.JSONDecodeError as exc:
        raise DataError.of(
            [DataProblem(_display(path), exc.lineno, exc.colno, None, f"not valid JSON: {exc.msg}", "schema")]
        ) from None


def resource(name: str, folder: Path | None = None) -> dict[str, Any]:
    """The descriptor entry of table ``name`` (a KeyError lists the tables held: the name comes
    from code, so an unknown one is a programming error, not bad data)."""
    resources = {r["name"]: r for r in descriptor(folder)["resources"]}
    if name not in resources:
        raise KeyError(f"no table {name!r}; tables: {', '.join(sorted(resources))}")
    return resources[name]


def table_names(folder: Path | None = None) -> list[str]:
    """Names of every table in the descriptor, in its order."""
    return [r["name"] for r in descriptor(folder)["resources"]]


class _Bad(ValueError):
    """A cell that breaks a check: ``kind`` (a key of :data:`PROBLEM_KINDS`) and the sentence."""

    def __init__(self, kind: str, problem: str) -> None:
        super().__init__(problem)
        self.kind = kind


def _number_hint(value: str, field: Mapping[str, Any]) -> str:
    """What a spreadsheet's way of writing a number should become."""
    if re.fullmatch(r"[+-]?\d{1,3}(\.\d{3})*,\d+|[+-]?\d+,\d+", value):
        return ": write it with a decimal point and no thousands separator"
    if re.fullmatch(r"[+-]?\d{1,3}([ ,]\d{3})+(\.\d+)?", value):
        return ": write it without a thousands separator"
    if value.endswith("%") and field.get("unit") == "%":
        return ": write the number without the % sign (the column is in %)"
    return ""


def _convert(value: str, field: Mapping[str, Any]) -> Any:
    """Parse one cell per its field's type; raise :class:`_Bad` with its kind and a readable reason."""
    ftype = field["type"]
    if ftype == "number":
        try:
            out = float(value)
        except ValueError:
            raise _Bad("number", f"{value!r} is not a number" + _number_hint(value, field)) from None
        if not math.isfinite(out):
            raise _Bad("number", f"{value!r} is not a finite number")
        return out
    if ftype == "integer":
        if not re.fullmatch(r"[+-]?\d+", value):
            raise _Bad("integer", f"{value!r} is not an integer" + _number_hint(value, field))
        return int(value)
    if ftype == "date":
        try:
            return parse_full_date(value)
        except CalendarError as exc:
            raise _Bad("calendar", str(exc)) from None
        except ValueError as exc:
            raise _Bad("date", str(exc)) from None
    if is_partial_date(field):
        try:
            parse_partial_date(value)
        except CalendarError as exc:
            raise _Bad("calendar", str(exc)) from None
        except ValueError as exc:
            raise _Bad("partial date", str(exc)) from None
        return value
    return value


def _check_constraints(value: Any, raw: str, field: Mapping[str, Any]) -> None:
    """Raise :class:`_Bad` for the first constraint ``value`` breaks."""
    c = field.get("constraints", {})
    if "enum" in c and value not in c["enum"]:
        close = [v for v in c["enum"] if str(v).lower() == raw.lower()]
        hint = f" (write {close[0]!r}: values are case-sensitive)" if close else ""
        raise _Bad("enum", f"{raw!r} is not one of: {', '.join(map(str, c['enum']))}{hint}")
    if "pattern" in c and not re.fullmatch(c["pattern"], raw):
        raise _Bad("pattern", f"{raw!r} does not match the pattern {c['pattern']}")
    if "minimum" in c and value < c["minimum"]:
        raise _Bad("minimum", f"{raw} is below the minimum {c['minimum']}" + _unit_hint(field))
    if "maximum" in c and value > c["maximum"]:
        raise _Bad("maximum", f"{raw} is above the maximum {c['maximum']}" + _unit_hint(field))
    if "exclusiveMinimum" in c and value <= c["exclusiveMinimum"]:
        raise _Bad("exclusiveMinimum", f"{raw} must be greater than {c['exclusiveMinimum']}")


def _unit_hint(field: Mapping[str, Any]) -> str:
    return " (a percentage lies in 0-100)" if field.get("unit") == "%" else ""


@dataclass
class _File:
    """One CSV as read: its header, its rows (file line, values in header order), what went wrong,
    and whether every row was read (a table with unread rows is no reference for foreign keys)."""

    shown: str
    fields: list[dict[str, Any]]
    header: list[str] = dc_field(default_factory=list)
    rows: list[tuple[int, list[str]]] = dc_field(default_factory=list)
    problems: list[DataProblem] = dc_field(default_factory=list)
    complete: bool = True

    def add(self, line: int | None, column: str | int | None, kind: str, problem: str) -> None:
        """Record a problem at ``line`` in ``column`` (a name of the header or the schema, or a
        1-based position with no name)."""
        if kind not in PROBLEM_KINDS:  # a new check is listed there, and tests/test_data.py gives it a fault
            raise KeyError(f"problem kind {kind!r} is not in data.PROBLEM_KINDS")
        number: int | None
        if isinstance(column, int):
            number, name = column, None
        elif column is None:
            number, name = None, None
        else:
            name, first = column, column.split("+")[0]  # a key: where its first column is
            names = self.header if first in self.header else [x["name"] for x in self.fields]
            number = names.index(first) + 1 if first in names else None
        self.problems.append(DataProblem(self.shown, line, number, name, problem, kind))

    def number_of(self, column: str) -> int:
        """The 1-based CSV position of ``column`` in this file's header."""
        return self.header.index(column) + 1


def _column_at(raw: bytes, pos: int) -> int:
    """The 1-based CSV column of byte ``pos`` (commas before it on its line; quoted commas aside)."""
    start = raw.rfind(b"\n", 0, pos) + 1
    return raw[start:pos].count(b",") + 1


def _text_of(path: Path, f: _File) -> str | None:
    """The file's text with a byte-order mark dropped and CRLF ends made LF (a spreadsheet's save);
    None, with the problem recorded, when it cannot be read as text."""
    first = f.fields[0]["name"]
    if not path.exists():
        f.add(None, None, "missing file", "file missing (the schema lists it)")
        return None
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    if not raw.strip():
        f.add(1, first, "empty", "empty file: a header row is required")
        return None
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        f.add(1, first, "utf-16", "the file is UTF-16 ('Unicode text'): save it as CSV UTF-8")
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        number = _column_at(raw, exc.start)
        names = [x["name"] for x in f.fields]
        header = raw.split(b"\n", 1)[0].decode("utf-8", "replace").strip().split(",")
        name = header[number - 1] if number <= len(header) else None
        f.add(
            line,
            name if name in names else number,
            "encoding",
            f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}): save the file as UTF-8 (CSV UTF-8)",
        )
        return None
    text = text.replace("\r\n", "\n")
    if "\r" in text:
        at = text.index("\r")
        line = text[:at].count("\n") + 1
        number = text[text.rfind("\n", 0, at) + 1 : at].count(",") + 1
        f.add(
            line,
            number,
            "carriage return",
            "a carriage return without a line feed (old Mac line ends): save the file with LF or "
            "CRLF line ends",
        )
        return None
    return text


# what the csv module's strict errors mean, in a reader's words
CSV_ERRORS = {
    "unexpected end of data": "a quote opened in this row is never closed",
    "',' expected after '\"'": "text after a closing quote: quote the whole value and double any "
    "quote inside it",
}


def _read(path: Path, fields: list[dict[str, Any]]) -> _File:
    """The CSV's header and rows with the line each starts on; file-level problems recorded."""
    f = _File(_display(path), fields)
    expected = [x["name"] for x in fields]
    text = _text_of(path, f)
    if text is None:
        f.complete = False
        return f
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        f.header = next(reader)
    except csv.Error as exc:
        f.add(1, expected[0], "csv", f"not valid CSV: {CSV_ERRORS.get(str(exc), str(exc))}")
        f.complete = False
        return f
    if not _header_ok(f):
        f.complete = False
        return f
    start = reader.line_num + 1
    try:
        for record in reader:
            if not record:  # a blank line
                pass
            elif not any(record):  # the stock frictionless tool refuses it too
                f.add(
                    start,
                    1,
                    "blank row",
                    "a row of empty cells (a spreadsheet leaves one where cells "
                    "below the table were used): delete the row",
                )
            elif len(record) == len(f.header):
                f.rows.append((start, record))
            else:
                _wrong_count(f, start, record)
            start = reader.line_num + 1
    except csv.Error as exc:
        f.add(start, 1, "csv", f"not valid CSV: {CSV_ERRORS.get(str(exc), str(exc))}")
        f.complete = False
    return f


def _header_ok(f: _File) -> bool:
    """Whether the header names the schema's columns, each once (problems recorded if not)."""
    expected = [x["name"] for x in f.fields]
    if len(f.header) < len(expected) and any(";" in h for h in f.header):
        f.add(
            1,
            1,
            "semicolons",
            "values separated by semicolons: save the file as CSV with commas (CSV UTF-8, comma delimited)",
        )
        return False
    listed = ", ".join(expected)
    for name in expected:
        if name not in f.header:
            f.add(1, name, "missing column", f"missing column; expected: {listed}")
    for i, name in enumerate(f.header):
        if name not in expected:
            f.add(1, i + 1, "unexpected column", f"unexpected column {name!r}; expected: {listed}")
        elif f.header.index(name) != i:
            f.add(1, i + 1, "duplicate column", f"column {name!r} appears twice")
    return not f.problems


def _wrong_count(f: _File, line: int, record: list[str]) -> None:
    """A row with too many or too few values: where it went wrong, with a hint for a decimal comma."""
    n, m = len(record), len(f.header)
    f.complete = False
    said = f"{n} values for {m} columns"
    if n < m:
        f.add(line, f.header[n], "values count", f"{said}: the row ends before this column")
        return
    types = {x["name"]: x["type"] for x in f.fields}
    for i, name in enumerate(f.header):
        parts = record[i : i + n - m + 1]
        if (
            types.get(name) in ("number", "integer")
            and re.fullmatch(r"[+-]?\d+", parts[0])
            and all(re.fullmatch(r"\d+", p) for p in parts[1:])
        ):
            split = ",".join(parts)  # one extra value: the one way to read it as a number
            example = f' ({split} -> {parts[0]}.{parts[1]} or "{split}")' if n == m + 1 else ""
            f.add(
                line,
                name,
                "decimal comma",
                f"{said}: a decimal comma? quote the value or use a point{example}",
            )
            return
    f.add(
        line,
        m + 1,
        "values count",
        f"{said}: the values from this one on have no column (a comma inside a value? quote the value)",
    )


@dataclass
class _Table:
    """A table checked cell by cell: typed values (None where empty or broken), the raw text,
    which cells broke a check, and the file it came from."""

    name: str
    res: dict[str, Any]
    file: _File
    typed: dict[str, list[Any]]
    raw: dict[str, list[str]]
    broken: set[tuple[int, str]]

    @property
    def lines(self) -> list[int]:
        return [line for line, _ in self.file.rows]

    def ok(self, i: int, *columns: str) -> bool:
        """Whether the cells of row ``i`` in ``columns`` passed their own checks."""
        return not any((i, c) in self.broken for c in columns)


def _check_cells(name: str, folder: Path) -> _Table:
    """Read table ``name`` and check every cell; problems go to its file's list."""
    res = resource(name, folder)
    fields = res["schema"]["fields"]
    f = _read(folder / res["path"], fields)
    typed: dict[str, list[Any]] = {x["name"]: [] for x in fields}
    raw: dict[str, list[str]] = {x["name"]: [] for x in fields}
    broken: set[tuple[int, str]] = set()
    position = {col: i for i, col in enumerate(f.header)}
    for i, (line, record) in enumerate(f.rows):
        for field in fields:
            col = field["name"]
            cell = record[position[col]]
            text = cell.strip()
            raw[col].append(text)
            value: Any = None
            try:
                if text != cell:
                    raise _Bad("spaces", f"{cell!r} has spaces at its ends")
                if text == "":
                    if field.get("constraints", {}).get("required"):
                        raise _Bad("required", "a value is required")
                else:
                    value = _convert(text, field)
                    _check_constraints(value, text, field)
            except _Bad as exc:
                f.add(line, col, exc.kind, str(exc))
                broken.add((i, col))
                value = None
            typed[col].append(value)
    return _Table(name, res, f, typed, raw, broken)


def _series(values: list[Any], field: Mapping[str, Any]) -> pd.Series:
    if field["type"] == "number":
        return pd.Series([math.nan if v is None else v for v in values], dtype="float64")
    if field["type"] == "integer":
        return pd.Series(values, dtype="Int64")
    if field["type"] == "date":
        return pd.Series(pd.to_datetime(values), dtype="datetime64[ns]")
    return pd.Series(values, dtype="object")


def _check_primary_key(t: _Table) -> None:
    key = t.res["schema"].get("primaryKey", [])
    key = [key] if isinstance(key, str) else key
    seen: dict[tuple[Any, ...], int] = {}
    for i, line in enumerate(t.lines):
        if not t.ok(i, *key):
            continue
        value = tuple(t.typed[k][i] for k in key)
        if value in seen:
            shown_key = ", ".join(f"{k}={v!s}" for k, v in zip(key, value, strict=True))
            t.file.add(
                line,
                "+".join(key),
                "duplicate key",
                f"duplicate key ({shown_key}); first at line {seen[value]}",
            )
        else:
            seen[value] = line


# (table, earlier column, later column): a row whose two dates are both given must keep this order
DATE_ORDER = (
    ("sources", "date_published", "date_accessed"),
    ("incentives", "valid_from", "valid_to"),
    ("ampere_commitments", "committed_on", "ended_on"),
)


def _as_date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else parse_partial_date(value)


def _check_date_order(t: _Table) -> None:
    for table, first, later in DATE_ORDER:
        if table != t.name:
            continue
        for i, line in enumerate(t.lines):
            a, b = t.typed[first][i], t.typed[later][i]
            if a is not None and b is not None and _as_date(b) < _as_date(a):
                t.file.add(line, later, "date order", f"{b} is before {first} ({a})")


def _row_rules(t: _Table, i: int) -> Iterator[tuple[str, str, str]]:
    """Every rule across the columns of row ``i`` that breaks: (column, kind, problem). A rule whose
    cells broke their own checks is not applied (its cell already has a message)."""
    v = t.typed
    if t.name == "facts" and t.ok(i, "unit", "value") and v["unit"][i] == "%" and v["value"][i] is not None:
        if not 0 <= v["value"][i] <= 100:
            yield "value", "percent", f"{v['value'][i]:g} % is outside 0-100 (a percentage lies in 0-100)"
    if t.name == "rnaipl_ownership" and t.ok(i, "renault_pct", "nissan_pct"):
        a, b = v["renault_pct"][i], v["nissan_pct"][i]
        if a is not None and b is not None and abs(a + b - 100) > 1e-9:
            yield "nissan_pct", "split", f"renault_pct + nissan_pct = {a + b:g}, must be 100"
    if t.name == "claims":
        if t.ok(i, "check", "status") and (v["check"][i] is None) == (v["status"][i] is None):
            yield "status", "check or status", "set exactly one of check (a computed status) and status"
        if v["kind"][i] == "fact":
            for col in ("due", "done_on", "abandoned_on"):
                if t.raw[col][i] and t.ok(i, col):
                    yield col, "plan dates", "a fact has no plan dates: set kind to plan or leave this empty"


def _check_foreign_keys(tables: Mapping[str, _Table]) -> None:
    """Every foreign key resolves, against tables whose every row was read (an unread row may hold
    the id)."""
    for t in tables.values():
        for fk in t.res["schema"].get("foreignKeys", []):
            col, ref = fk["fields"], fk["reference"]
            target = tables[ref["resource"]]
            if not target.file.complete:
                continue
            known = set(target.raw[ref["fields"]])
            for i, value in enumerate(t.typed[col]):
                if value is not None and value not in known:
                    what = "source id" if ref["resource"] == "sources" else f"{ref['fields']}"
                    t.file.add(
                        t.lines[i],
                        col,
                        "foreign key",
                        f"unknown {what} {value!r}: add it to {ref['resource']}.csv or correct it",
                    )


def _uncited_sources(tables: Mapping[str, _Table]) -> list[DataProblem]:
    """A warning for each source no row cites (none while a citing table has unread rows)."""
    citing = [
        (t, fk["fields"])
        for t in tables.values()
        for fk in t.res["schema"].get("foreignKeys", [])
        if fk["reference"]["resource"] == "sources"
    ]
    if not all(t.file.complete for t, _ in citing) or not tables["sources"].file.complete:
        return []
    cited = {value for t, col in citing for value in t.raw[col]}
    sources = tables["sources"]
    return [
        DataProblem(
            sources.file.shown,
            line,
            sources.file.number_of("source_id"),
            "source_id",
            f"source {sid!r} is cited by no row yet: cite it in a row's source_id, or remove it",
            "uncited source",
            warning=True,
        )
        for sid, line in zip(sources.raw["source_id"], sources.lines, strict=True)
        if sid and sid not in cited
    ]


def _problem_order(p: DataProblem) -> tuple[str, int, int]:
    return p.file, p.line or 0, p.column_number or 0


@dataclass(frozen=True)
class Validation:
    """What one validation of the data folder found.

    ``problems`` (every breach, in file then line order) stop a build; ``warnings`` (a source no row
    cites yet) do not. ``tables`` holds the typed frames when there is no problem, else nothing.
    """

    problems: tuple[DataProblem, ...]
    warnings: tuple[DataProblem, ...]
    tables: Mapping[str, pd.DataFrame]


@functools.cache
def _validate_cached(folder: Path, stamp: Stamp) -> Validation:
    """The validation of ``folder`` in the state ``stamp``: in a kernel a build started, the one
    the build's first kernel made, when the data, library and packages are those it was made for
    (:func:`alliancelib.chart_cache.kept_object`: about 0.15 s a notebook); otherwise made here."""
    from alliancelib import chart_cache

    key = ("data validation", str(folder), repr(stamp))  # as keep_validation keeps it
    kept = chart_cache.kept_object(key)
    if isinstance(kept, Validation):
        return kept
    made = _validate_now(folder)
    chart_cache.keep_object(key, made)
    return made


def keep_validation(env: Mapping[str, str]) -> None:
    """Keep this process's validation of the data folder in use for the kernels started with
    ``env`` (a build that checked the data itself; :func:`_validate_cached`)."""
    from alliancelib import chart_cache

    folder = data_dir().resolve()
    stamp = _stamp(folder)
    chart_cache.keep_object(
        ("data validation", str(folder), repr(stamp)), _validate_cached(folder, stamp), env
    )


def _validate_now(folder: Path) -> Validation:
    tables = {name: _check_cells(name, folder) for name in table_names(folder)}
    for t in tables.values():
        _check_primary_key(t)
        _check_date_order(t)
        for i, line in enumerate(t.lines):
            for col, kind, problem in _row_rules(t, i):
                t.file.add(line, col, kind, problem)
    _check_foreign_keys(tables)
    problems = sorted((p for t in tables.values() for p in t.file.problems), key=_problem_order)
    warnings = sorted(_uncited_sources(tables), key=_problem_order)
    frames: dict[str, pd.DataFrame] = {}
    if not problems:
        for name, t in tables.items():
            fields = t.res["schema"]["fields"]
            frame = pd.DataFrame({x["name"]: _series(t.typed[x["name"]], x) for x in fields})
            frame.attrs["table"] = name
            frames[name] = frame
    return Validation(tuple(problems), tuple(warnings), frames)


def _stamp(folder: Path) -> Stamp:
    return file_stamp("datapackage.json", *(f"{n}.csv" for n in table_names(folder)), folder=folder)


def validate(folder: Path | None = None) -> Validation:
    """Check every table of the data folder together and report everything found: each problem
    (a breach of a rule; see the module's docstring) and each warning, not only the first.
    Raises :class:`~alliancelib.errors.DataError` only when the schema itself cannot be read.

    Cached per folder and file state, like :func:`load_all`.
    """
    folder = (folder or data_dir()).resolve()
    return _validate_cached(folder, _stamp(folder))


def _tables(folder: Path | None) -> Mapping[str, pd.DataFrame]:
    found = validate(folder)
    if found.problems:
        raise DataError.of(found.problems)
    return found.tables


def load_all(folder: Path | None = None) -> dict[str, pd.DataFrame]:
    """Every table, validated together (foreign keys included); a
    :class:`~alliancelib.errors.DataError` lists every problem found (up to its limit). A source
    that no row cites is a warning (:func:`validate`), not an error.

    Results are cached per folder and file state, so notebooks pay the validation once.
    Frames are copies: changing one does not change the cache.
    """
    return {k: v.copy() for k, v in _tables(folder).items()}


def load(name: str, folder: Path | None = None) -> pd.DataFrame:
    """One validated table as a typed frame (the whole data package is validated once).

    >>> load("fx_rates")["currency"].unique().tolist()
    ['GBP', 'INR', 'JPY', 'USD']
    """
    tables = _tables(folder)  # copy the one table asked for, not all
    if name not in tables:
        raise KeyError(f"no table {name!r}; tables: {', '.join(tables)}")
    return tables[name].copy()


SOURCE_COLUMNS = ("source_id", "source_ids", "status_source_id")  # columns that cite sources


@functools.cache
def _keyed(folder: Path, stamp: Stamp, table: str) -> tuple[str, dict[Any, dict[Any, Any]]]:
    pk = resource(table, folder)["schema"].get("primaryKey")
    pk = pk[0] if isinstance(pk, list) and len(pk) == 1 else pk
    if not isinstance(pk, str):
        raise KeyError(f"table {table!r} has no one-column key (its key: {pk}); read it with load()")
    return pk, {r[pk]: r for r in _tables(folder)[table].to_dict("records")}


def _cited(values: Mapping[Any, Any]) -> tuple[str, ...]:
    return tuple(s for col in SOURCE_COLUMNS if col in values for s in reads.split_ids(values[col]))


def row(table: str, key: Any, folder: Path | None = None, *, what: str = "") -> pd.Series:
    """One row of ``table`` by its primary key (a one-column key), recorded as read with the
    source(s) it cites (:mod:`alliancelib.reads`: the report's footer lists them).

    >>> row("events", "twingo_premiere")["date"]
    '2025-11-06'
    """
    folder = (folder or data_dir()).resolve()
    pk, rows = _keyed(folder, _stamp(folder), table)
    if key not in rows:
        raise KeyError(f"no {what or pk} {key!r} in {table}.csv; keys there: {', '.join(map(str, rows))}")
    reads.record(table, key, _cited(rows[key]))
    return pd.Series(rows[key], dtype=object)


def record_rows(frame: pd.DataFrame, table: str | None = None) -> pd.DataFrame:
    """Record every row of ``frame`` (rows of the data table ``table``, by default the one
    :func:`load` named in its ``attrs``) as read, with the sources it cites; returns ``frame``.
    For rows an analysis uses without showing them in a table (a table shown cites its own)."""
    table = table or str(frame.attrs.get("table", ""))
    if not table:
        raise ValueError("record_rows: name the table the rows come from (table=...)")
    key = resource(table)["schema"].get("primaryKey", [])
    key = [key] if isinstance(key, str) else key
    for values in frame.to_dict("records"):
        reads.record(table, " ".join(str(values.get(k, "")) for k in key), _cited(values))
    return frame


def fact(fact_id: str, folder: Path | None = None) -> float:
    """The value of one row of ``facts.csv`` (in that row's unit), recorded as read (:func:`row`).

    >>> fact("lockup_after_pct")
    10.0
    """
    folder = (folder or data_dir()).resolve()
    _, rows = _keyed(folder, _stamp(folder), "facts")
    if fact_id not in rows:
        raise KeyError(f"no fact {fact_id!r} in facts.csv")
    reads.record("facts", fact_id, _cited(rows[fact_id]))
    return float(rows[fact_id]["value"])


def event(event_id: str, folder: Path | None = None) -> pd.Series:
    """One row of ``events.csv`` by its stable key (``event_id``), never by its wording; recorded as
    read (:func:`row`).

    >>> event("twingo_premiere")["date"]
    '2025-11-06'
    """
    return row("events", event_id, folder, what="event")


def as_of_date(source_ids: Iterable[str], folder: Path | None = None) -> str:
    """The data's as-of date for a set of sources: the newest publication date among them.

    Partial dates count from their first day (a source published in ``2025-11`` counts as
    2025-11-01).

    >>> as_of_date(["bnef_20231127", "bnef_20251209"])
    '2025-12-09'
    """
    sources = load("sources", folder).set_index("source_id")
    ids = sorted(set(source_ids))
    missing = [s for s in ids if s not in sources.index]
    if missing:
        raise KeyError(f"unknown source ids: {', '.join(missing)}")
    if not ids:
        raise ValueError("no sources given")
    return max(parse_partial_date(str(sources.at[s, "date_published"])) for s in ids).isoformat()


from alliancelib.news_dates import fx_as_of, fx_source_ids, news_as_of  # noqa: E402, F401 - part of this API
