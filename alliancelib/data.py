"""Load and validate the sourced data in ``data/`` against ``data/datapackage.json``.

The descriptor (a Data Package v2, generated from :mod:`alliancelib.fields` by
:mod:`alliancelib.schema`) is the single schema: column names, types, units, constraints, primary
keys and foreign keys. Every rule is checked on load and a breach is a
:class:`~alliancelib.errors.DataError` naming file, line, column and problem:

- a file that is empty, not UTF-8, starts with a byte-order mark or has CRLF line ends;
- a missing or unexpected column, a required value left empty;
- a value of the wrong type (number, integer, date, partial date: a real calendar date);
- a value outside its constraints (enum, pattern, minimum/maximum: every ``*_pct`` column and
  every ``facts`` row in ``%`` must lie in 0-100);
- a duplicate primary key;
- a foreign key that does not resolve (a source id ``sources.csv`` does not hold, a claim id
  ``claims.csv`` does not hold), or a source that no row cites;
- dates out of order (a source accessed before it was published, an incentive valid to before it
  is valid from, a commitment ended before it was made); an RNAIPL split that does not add up to
  100; a claim with both or neither of ``check`` and ``status``; a fact with a plan's dates.

Set ``ALLIANCE_DATA_DIR`` to validate or build from another copy of the data folder.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import json
import math
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from alliancelib.errors import DataError
from alliancelib.fields import is_partial_date
from alliancelib.paths import DATA_DIR

PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def data_dir() -> Path:
    """The data folder in use: ``$ALLIANCE_DATA_DIR`` if set, else the project's ``data/``."""
    override = os.environ.get("ALLIANCE_DATA_DIR")
    return Path(override).resolve() if override else DATA_DIR


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


def parse_partial_date(text: str) -> dt.date:
    """First day of a partial ISO date: ``2023`` -> 2023-01-01, ``2023-06`` -> 2023-06-01.

    >>> parse_partial_date("2024-03")
    datetime.date(2024, 3, 1)
    >>> parse_partial_date("2023-11-08")
    datetime.date(2023, 11, 8)
    """
    m = PARTIAL_DATE.match(text)
    if not m:
        raise ValueError(f"{text!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = int(m[1]), int(m[2] or 1), int(m[3] or 1)
    return dt.date(year, month, day)


def partial_date_end(text: str) -> dt.date:
    """Last day of a partial ISO date: ``2023`` -> 2023-12-31, ``2024-02`` -> 2024-02-29.

    >>> partial_date_end("2024-02")
    datetime.date(2024, 2, 29)
    """
    start = parse_partial_date(text)
    parts = text.count("-")
    if parts == 2:
        return start
    if parts == 1:
        nxt = dt.date(start.year + (start.month == 12), start.month % 12 + 1, 1)
        return nxt - dt.timedelta(days=1)
    return dt.date(start.year, 12, 31)


@functools.cache
def _descriptor_cached(path: Path, mtime_ns: int) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def descriptor(folder: Path | None = None) -> dict[str, Any]:
    """The data package descriptor (``datapackage.json``) as a dict."""
    path = (folder or data_dir()) / "datapackage.json"
    if not path.exists():
        raise DataError(_display(path), None, None, "missing: the schema of every table lives here")
    try:
        return _descriptor_cached(path, path.stat().st_mtime_ns)
    except json.JSONDecodeError as exc:
        raise DataError(_display(path), exc.lineno, None, f"not valid JSON: {exc.msg}") from None


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


def _convert(value: str, field: Mapping[str, Any]) -> Any:
    """Parse one cell per its field's type; raise ValueError with a readable reason."""
    ftype = field["type"]
    if ftype == "number":
        try:
            out = float(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a number") from None
        if not math.isfinite(out):
            raise ValueError(f"{value!r} is not a finite number")
        return out
    if ftype == "integer":
        if not re.fullmatch(r"[+-]?\d+", value):
            raise ValueError(f"{value!r} is not an integer")
        return int(value)
    if ftype == "date":
        try:
            if len(value) != 10:  # fromisoformat also takes 20250331 and week dates
                raise ValueError(value)
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a date of the form YYYY-MM-DD") from None
    if is_partial_date(field):
        try:
            parse_partial_date(value)
        except ValueError:
            raise ValueError(
                f"{value!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD"
            ) from None
        return value
    return value


def _check_constraints(value: Any, raw: str, field: Mapping[str, Any]) -> str | None:
    """The first constraint ``value`` breaks, as a sentence, or None."""
    c = field.get("constraints", {})
    if "enum" in c and value not in c["enum"]:
        return f"{raw!r} is not one of: {', '.join(map(str, c['enum']))}"
    if "pattern" in c and not re.fullmatch(c["pattern"], raw):
        return f"{raw!r} does not match the pattern {c['pattern']}"
    if "minimum" in c and value < c["minimum"]:
        return f"{raw} is below the minimum {c['minimum']}" + _unit_hint(field)
    if "maximum" in c and value > c["maximum"]:
        return f"{raw} is above the maximum {c['maximum']}" + _unit_hint(field)
    if "exclusiveMinimum" in c and value <= c["exclusiveMinimum"]:
        return f"{raw} must be greater than {c['exclusiveMinimum']}"
    return None


def _unit_hint(field: Mapping[str, Any]) -> str:
    return " (a percentage lies in 0-100)" if field.get("unit") == "%" else ""


def _text_of(path: Path, shown: str, first_column: str) -> str:
    """The file's text, refused when it is empty, not UTF-8, has a byte-order mark or CRLF ends."""
    if not path.exists():
        raise DataError(shown, None, None, "file missing (the schema lists it)")
    raw = path.read_bytes()
    if not raw.strip():
        raise DataError(shown, 1, first_column, "empty file: a header row is required")
    if raw.startswith(b"\xef\xbb\xbf"):
        raise DataError(shown, 1, first_column,
                        "the file starts with a byte-order mark (BOM): save it as UTF-8 without BOM")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        start = raw.rfind(b"\n", 0, exc.start) + 1
        col = raw[start: exc.start].count(b",")  # commas before the bad byte (quoted commas aside)
        header = raw.split(b"\n", 1)[0].decode("utf-8", "replace").split(",")
        name = header[min(col, len(header) - 1)]
        raise DataError(shown, line, name, f"not valid UTF-8 (byte 0x{raw[exc.start]:02x}): save the file "
                        "as UTF-8") from None
    if "\r" in text:
        line = text[: text.index("\r")].count("\n") + 1
        last = text.split("\n", 1)[0].rstrip("\r").split(",")[-1]
        raise DataError(shown, line, last, "Windows (CRLF) line ends: save the file with LF line ends")
    return text


def _read_rows(path: Path, fields: list[dict[str, Any]]) -> list[tuple[int, dict[str, str]]]:
    """Rows of a CSV with the line each starts on; the header is checked against the schema."""
    shown = _display(path)
    expected = [f["name"] for f in fields]
    text = _text_of(path, shown, expected[0])
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except csv.Error as exc:
        raise DataError(shown, 1, expected[0], f"not valid CSV: {exc}") from None
    for name in expected:
        if name not in header:
            raise DataError(shown, 1, name, f"missing column; expected: {', '.join(expected)}")
    for name in header:
        if name not in expected:
            raise DataError(shown, 1, name, f"unexpected column; expected: {', '.join(expected)}")
    if len(set(header)) != len(header):
        dup = next(h for h in header if header.count(h) > 1)
        raise DataError(shown, 1, dup, "column appears twice")
    rows: list[tuple[int, dict[str, str]]] = []
    start = reader.line_num + 1
    try:
        for record in reader:
            if record and len(record) != len(header):
                column = header[min(len(record), len(header)) - 1]
                raise DataError(shown, start, column, f"{len(record)} values for {len(header)} columns")
            if record:
                rows.append((start, dict(zip(header, record, strict=True))))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise DataError(shown, start, header[0], f"not valid CSV: {exc}") from None
    return rows


def _validate_table(
    name: str, folder: Path
) -> tuple[pd.DataFrame, list[int]]:
    """Typed frame of table ``name`` and the file line of each row; DataError on any breach."""
    res = resource(name, folder)
    path = folder / res["path"]
    shown = _display(path)
    fields = res["schema"]["fields"]
    rows = _read_rows(path, fields)
    typed: dict[str, list[Any]] = {f["name"]: [] for f in fields}
    for line, row in rows:
        for field in fields:
            col = field["name"]
            raw = row[col].strip()
            if raw != row[col]:
                raise DataError(shown, line, col, f"{row[col]!r} has spaces at its ends")
            if raw == "":
                if field.get("constraints", {}).get("required"):
                    raise DataError(shown, line, col, "a value is required")
                typed[col].append(None)
                continue
            try:
                value = _convert(raw, field)
            except ValueError as exc:
                raise DataError(shown, line, col, str(exc)) from None
            problem = _check_constraints(value, raw, field)
            if problem:
                raise DataError(shown, line, col, problem)
            typed[col].append(value)
    lines = [line for line, _ in rows]
    _check_primary_key(shown, res, typed, lines)
    _check_table_rules(name, shown, typed, lines)
    frame = pd.DataFrame({f["name"]: _series(typed[f["name"]], f) for f in fields})
    frame.attrs["table"] = name
    return frame, lines


def _series(values: list[Any], field: Mapping[str, Any]) -> pd.Series:
    if field["type"] == "number":
        return pd.Series([math.nan if v is None else v for v in values], dtype="float64")
    if field["type"] == "integer":
        return pd.Series(values, dtype="Int64")
    if field["type"] == "date":
        return pd.Series(pd.to_datetime(values), dtype="datetime64[ns]")
    return pd.Series(values, dtype="object")


def _check_primary_key(
    shown: str, res: Mapping[str, Any], typed: Mapping[str, list[Any]], lines: list[int]
) -> None:
    key = res["schema"].get("primaryKey", [])
    key = [key] if isinstance(key, str) else key
    seen: dict[tuple[Any, ...], int] = {}
    for i, line in enumerate(lines):
        value = tuple(typed[k][i] for k in key)
        if value in seen:
            shown_key = ", ".join(f"{k}={v!s}" for k, v in zip(key, value, strict=True))
            raise DataError(
                shown, line, "+".join(key),
                f"duplicate key ({shown_key}); first at line {seen[value]}",
            )
        seen[value] = line


# (table, earlier column, later column): a row whose two dates are both given must keep this order
DATE_ORDER = (("sources", "date_published", "date_accessed"), ("incentives", "valid_from", "valid_to"),
              ("ampere_commitments", "committed_on", "ended_on"))


def _as_date(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else parse_partial_date(value)


def _check_date_order(name: str, shown: str, t: Mapping[str, list[Any]], lines: list[int]) -> None:
    for table, first, later in DATE_ORDER:
        if table != name:
            continue
        for i, line in enumerate(lines):
            a, b = t[first][i], t[later][i]
            if a is not None and b is not None and _as_date(b) < _as_date(a):
                raise DataError(shown, line, later, f"{b} is before {first} ({a})")


def _row_rule(name: str, t: Mapping[str, list[Any]], i: int) -> tuple[str, str] | None:
    """The first rule across the columns of row ``i`` that breaks: (column, problem), or None."""
    if name == "facts" and t["unit"][i] == "%" and not 0 <= t["value"][i] <= 100:
        return "value", f"{t['value'][i]:g} % is outside 0-100 (a percentage lies in 0-100)"
    if name == "rnaipl_ownership":
        total = t["renault_pct"][i] + t["nissan_pct"][i]
        if abs(total - 100) > 1e-9:
            return "nissan_pct", f"renault_pct + nissan_pct = {total:g}, must be 100"
    if name == "claims":
        if (t["check"][i] is None) == (t["status"][i] is None):
            return "status", "set exactly one of check (a computed status) and status"
        if t["kind"][i] == "fact":
            for col in ("due", "done_on", "abandoned_on"):
                if t[col][i] is not None:
                    return col, "a fact has no plan dates: set kind to plan or leave this empty"
    return None


def _check_table_rules(
    name: str, shown: str, t: Mapping[str, list[Any]], lines: list[int]
) -> None:
    """Rules that span columns of one row."""
    _check_date_order(name, shown, t, lines)
    for i, line in enumerate(lines):
        broken = _row_rule(name, t, i)
        if broken:
            raise DataError(shown, line, broken[0], broken[1])


def _check_foreign_keys(folder: Path, tables: Mapping[str, pd.DataFrame],
                        lines: Mapping[str, list[int]]) -> set[str]:
    """Every foreign key resolves; returns the source ids cited by some row."""
    cited: set[str] = set()
    for name in table_names(folder):
        res = resource(name, folder)
        for fk in res["schema"].get("foreignKeys", []):
            col, ref = fk["fields"], fk["reference"]
            known = set(tables[ref["resource"]][ref["fields"]])
            for i, value in enumerate(tables[name][col]):
                if value is None:
                    continue
                if value not in known:
                    what = "source id" if ref["resource"] == "sources" else f"{ref['fields']}"
                    raise DataError(
                        _display(folder / res["path"]), lines[name][i], col,
                        f"unknown {what} {value!r}: add it to {ref['resource']}.csv or correct it",
                    )
                if ref["resource"] == "sources":
                    cited.add(value)
    return cited


@functools.cache
def _load_all_cached(folder: Path, stamp: tuple[tuple[str, int, int], ...]) -> dict[str, Any]:
    tables: dict[str, pd.DataFrame] = {}
    lines: dict[str, list[int]] = {}
    for name in table_names(folder):
        tables[name], lines[name] = _validate_table(name, folder)
    cited = _check_foreign_keys(folder, tables, lines)
    sources = tables["sources"]
    for i, sid in enumerate(sources["source_id"]):
        if sid not in cited:
            raise DataError(
                _display(folder / "sources.csv"), lines["sources"][i], "source_id",
                f"source {sid!r} is cited by no row: remove it or cite it",
            )
    return {"tables": tables, "lines": lines}


def _stamp(folder: Path) -> Stamp:
    return file_stamp("datapackage.json", *(f"{n}.csv" for n in table_names(folder)), folder=folder)


def load_all(folder: Path | None = None) -> dict[str, pd.DataFrame]:
    """Every table, validated together (foreign keys and orphan sources included).

    Results are cached per folder and file state, so notebooks pay the validation once.
    Frames are copies: changing one does not change the cache.
    """
    folder = (folder or data_dir()).resolve()
    loaded = _load_all_cached(folder, _stamp(folder))
    return {k: v.copy() for k, v in loaded["tables"].items()}


def load(name: str, folder: Path | None = None) -> pd.DataFrame:
    """One validated table as a typed frame (the whole data package is validated once).

    >>> load("fx_rates")["currency"].unique().tolist()
    ['GBP', 'INR', 'JPY', 'USD']
    """
    folder = (folder or data_dir()).resolve()
    tables = _load_all_cached(folder, _stamp(folder))["tables"]  # copy the one table asked for, not all
    if name not in tables:
        raise KeyError(f"no table {name!r}; tables: {', '.join(tables)}")
    return tables[name].copy()


def fact(fact_id: str, folder: Path | None = None) -> float:
    """The value of one row of ``facts.csv`` (in that row's unit).

    >>> fact("lockup_after_pct")
    10.0
    """
    facts = load("facts", folder).set_index("fact_id")
    if fact_id not in facts.index:
        raise KeyError(f"no fact {fact_id!r} in facts.csv")
    return float(facts.at[fact_id, "value"])  # type: ignore[arg-type]


def event(event_id: str, folder: Path | None = None) -> pd.Series:
    """One row of ``events.csv`` by its stable key (``event_id``), never by its wording.

    >>> event("twingo_premiere")["date"]
    '2025-11-06'
    """
    events = load("events", folder).set_index("event_id")
    if event_id not in events.index:
        raise KeyError(f"no event {event_id!r} in events.csv; keys there: {', '.join(events.index)}")
    row = events.loc[event_id].copy()
    assert isinstance(row, pd.Series)  # event_id is the table's primary key
    row["event_id"] = event_id
    return row


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


def fx_source_ids(folder: Path | None = None) -> set[str]:
    """The sources of the exchange-rate series (the ids cited by ``fx_rates.csv``)."""
    return set(load("fx_rates", folder)["source_id"])


def news_as_of(source_ids: Iterable[str], folder: Path | None = None) -> str:
    """How recent the news behind a report is: the newest publication date among ``source_ids``,
    leaving out the exchange-rate series (a daily data file says nothing about the news).

    Returned as written in ``sources.csv`` (partial dates stay partial); partial dates compare by
    their first day.

    >>> news_as_of(["rediff_20250331", "ecb_eurofxref"])
    '2025-03-31'
    """
    fx_ids = fx_source_ids(folder)
    ids = sorted(set(source_ids) - fx_ids)
    if not ids:
        raise ValueError("no news sources given (only exchange-rate series)")
    sources = load("sources", folder).set_index("source_id")
    missing = [s for s in ids if s not in sources.index]
    if missing:
        raise KeyError(f"unknown source ids: {', '.join(missing)}")
    dates = {s: str(sources.at[s, "date_published"]) for s in ids}
    return max(dates.values(), key=lambda d: (parse_partial_date(d), len(d)))


def fx_as_of(currencies: Iterable[str] = ("USD",), folder: Path | None = None) -> str:
    """The newest ECB fixing held for ``currencies`` (YYYY-MM-DD).

    >>> fx_as_of()
    '2026-08-21'
    """
    rates = load("fx_rates", folder)
    held = rates[rates["currency"].isin(list(currencies))]
    if held.empty:
        raise KeyError(f"no fixings for {', '.join(currencies)}")
    return str(held["date"].max().date())
