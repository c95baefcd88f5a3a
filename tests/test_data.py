"""The data loads typed and valid, also as a spreadsheet saves it; each fault, injected once per
check that finds it, gives one problem naming file, line, column and what is wrong; one validation
lists every problem (file then line order), an uncited source is a warning, and `alliance validate`
and the build print the list."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from helpers import line_of, replace_in

from alliancelib import cli, data, fields
from alliancelib.errors import DataError
from alliancelib.paths import DATA_DIR


def test_every_table_loads_typed() -> None:
    tables = data.load_all()
    assert set(tables) == set(data.table_names())
    assert tables["shareholdings"]["economic_pct"].dtype == "float64"
    assert pd.api.types.is_datetime64_any_dtype(tables["fx_rates"]["date"])
    assert str(tables["battery_prices"]["year"].dtype) == "Int64"
    assert len(tables["fx_rates"]) == 904 * 4  # every fixing of the research CSV


def test_frames_are_copies_of_the_cache() -> None:
    a = data.load("facts")
    a.loc[0, "value"] = -1
    assert data.load("facts").loc[0, "value"] != -1


def test_conflicting_sources_stay_visible() -> None:
    cars = data.load("car_models")
    fr = cars[cars["model"].str.contains("Twingo") & (cars["market"] == "FR") & (cars["trim"] == "Evolution")]
    assert sorted(fr["price_eur"]) == [19490, 19490, 20000]
    assert fr["source_id"].nunique() == 3
    facts = data.load("facts").set_index("fact_id")
    assert facts.at["rnaipl_capacity_renault_units", "value"] == 400000
    assert facts.at["rnaipl_capacity_carandbike_units", "value"] == 480000
    assert facts.at["nissan_in_renault_pct_netdenjd", "value"] == 15.27
    assert facts.at["nissan_in_renault_pct_lseg", "value"] == 15
    assert (facts.at["twingo_price_uk_gbp", "value"], facts.at["twingo_price_uk_headline_gbp", "value"]) == (
        19000,
        17000,
    )
    for fid in (
        "nissan_in_renault_pct_netdenjd",
        "twingo_price_uk_headline_gbp",
        "rnaipl_capacity_newsdrum_units",
    ):
        assert "CONFLICTS" in facts.at[fid, "note"], fid


def test_the_march_2024_counts_are_both_kept_and_explained() -> None:
    facts = data.load("facts").set_index("fact_id")
    assert facts.at["trust_sale2_shares_nissan", "value"] == 100_242_900
    assert facts.at["trust_sale2_shares_renault", "value"] == 99_132_100
    assert "inference" in facts.at["trust_sale2_shares_nissan", "note"]


def test_no_rnaipl_price_is_invented() -> None:
    facts = data.load("facts")
    india = facts[facts["topic"] == "india"]
    money = india[india["unit"].isin(["EUR", "EUR m", "EUR bn", "USD m", "INR crore"])]
    assert not money["description"].str.contains("price", case=False).any()
    assert "not disclosed" in facts.set_index("fact_id").at["rnaipl_stake_bought_pct", "note"]
    assert "rnaipl_price" in set(data.load("gaps")["gap_id"])


def test_shareholdings_dated_at_draw_no_plateau() -> None:
    """The 44.4% of 2002 and the 43.4% before November 2023 are known only at their dates."""
    sh = data.load("shareholdings").set_index(["as_of", "holder", "company", "holding"])
    assert sh.at[("2002", "Renault", "Nissan", "direct"), "dated"] == "at"
    assert sh.at[("2023-11-07", "Renault", "Nissan", "direct"), "dated"] == "at"
    assert sh.at[("2023-11-08", "Renault", "Nissan", "trust"), "dated"] == "from"


def test_claims_are_facts_or_plans_with_sources() -> None:
    claims = data.load("claims").set_index("claim_id")
    plans = claims[claims["kind"] == "plan"]
    assert {
        "nissan_twingo_2026",
        "twingo_launch_2026",
        "rnaipl_close_2025",
        "rnaipl_four_models",
        "ampere_exit_end_may",
        "nissan_option_to_sell",
    } <= set(plans.index)
    links = data.load("claim_sources")
    assert set(links["claim_id"]) == set(claims.index)  # every claim has a source
    assert claims.at["first_dibs", "status"] == claims.at["nissan_twingo_2026", "status"] == "unverified"


# --------------------------------------------------------------------------- news and FX dates


def test_news_as_of_leaves_out_the_exchange_rates() -> None:
    assert data.news_as_of(["seed_autoexpert", "rediff_20250331", "ecb_eurofxref"]) == "2025-04-01"
    assert data.news_as_of(["caradisiac_20260211", "journalauto_202603"]) == "2026-03"
    assert data.fx_as_of() == "2026-08-21"
    with pytest.raises(ValueError, match="only exchange-rate series"):
        data.news_as_of(["ecb_eurofxref"])
    with pytest.raises(KeyError, match="unknown source ids: nope"):
        data.news_as_of(["nope"])


def test_as_of_date_is_the_newest_publication() -> None:
    assert data.as_of_date(["seed_autoexpert", "rediff_20250331"]) == "2025-04-01"
    with pytest.raises(KeyError, match="unknown source ids: nope"):
        data.as_of_date(["nope"])


def test_env_var_selects_the_data_folder(data_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    replace_in(data_copy / "facts.csv", "2025 amendment,10,%", "2025 amendment,9,%")
    monkeypatch.setenv("ALLIANCE_DATA_DIR", str(data_copy))
    assert data.fact("lockup_after_pct") == 9


# --------------------------------------------------------------------------- a spreadsheet's save is read


def _excel_save(path: Path, bom: bool, crlf: bool) -> None:
    """``path`` as a spreadsheet saves it as CSV UTF-8: a byte-order mark, CRLF line ends."""
    raw = path.read_bytes()
    if crlf:
        raw = raw.replace(b"\n", b"\r\n")
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + raw)


@pytest.mark.parametrize(
    ("bom", "crlf"), [(True, False), (False, True), (True, True)], ids=["BOM", "CRLF", "BOM and CRLF"]
)
def test_a_spreadsheet_save_of_every_file_reads_the_same(data_copy: Path, bom: bool, crlf: bool) -> None:
    for path in data_copy.glob("*.csv"):
        _excel_save(path, bom, crlf)
    found = data.validate(data_copy)
    assert found.problems == () and found.warnings == ()
    committed = data.load_all(DATA_DIR)
    for name, frame in data.load_all(data_copy).items():
        pd.testing.assert_frame_equal(frame, committed[name], obj=name)


# --------------------------------------------------------------------------- one fault per code path

# what a fault must produce: (line, CSV column number, column name, regular expression of the problem)
Expect = tuple[int | None, int | None, str | None, str]


def _read(path: Path) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    return rows[0], rows[1:]


def _write(path: Path, header: list[str], rows: list[list[str]]) -> None:
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, *rows])
    path.write_text(out.getvalue(), encoding="utf-8")


def _set(path: Path, column: str, value: str, row: int = 0) -> int:
    """Set one cell (data row ``row``); returns its file line."""
    header, rows = _read(path)
    rows[row][header.index(column)] = value
    _write(path, header, rows)
    return row + 2


def _number(path: Path, column: str) -> int:
    """The 1-based CSV position of ``column`` in the file."""
    return _read(path)[0].index(column) + 1


@dataclass(frozen=True)
class Fault:
    """A fault of one ``kind`` (a key of data.PROBLEM_KINDS), injected into ``table`` (a file of the
    data folder) by ``corrupt``, which returns the one problem it must produce."""

    kind: str
    table: str
    corrupt: Callable[[Path], Expect]
    label: str = ""

    @property
    def id(self) -> str:
        return f"{self.kind}-{self.table}" + (f"-{self.label}" if self.label else "")


def cell(column: str, value: str, pattern: str, row: int = 0) -> Callable[[Path], Expect]:
    """Write ``value`` into one cell: the problem is at that cell."""

    def corrupt(p: Path) -> Expect:
        return _set(p, column, value, row), _number(p, column), column, pattern

    return corrupt


def text(old: str, new: str, column: str, pattern: str) -> Callable[[Path], Expect]:
    """Replace text in the file: the problem is at the line of ``new``, in ``column``."""

    def corrupt(p: Path) -> Expect:
        replace_in(p, old, new)
        return line_of(p, new), _number(p, column), column, pattern

    return corrupt


def raw(
    change: Callable[[bytes], bytes],
    where: Callable[[Path], tuple[int | None, int | None, str | None]],
    pattern: str,
) -> Callable[[Path], Expect]:
    """Change the file's bytes; ``where`` (asked before the change) says where the problem is."""

    def corrupt(p: Path) -> Expect:
        place = where(p)
        p.write_bytes(change(p.read_bytes()))
        return (*place, pattern)

    return corrupt


def rows(
    change: Callable[[list[str], list[list[str]]], tuple[list[str], list[list[str]]]],
    where: Callable[[list[str], list[list[str]]], tuple[int, int, str | None]],
    pattern: str,
) -> Callable[[Path], Expect]:
    """Change the header and rows; ``where`` (given the rows before the change) says where."""

    def corrupt(p: Path) -> Expect:
        header, body = _read(p)
        place = where(header, body)
        _write(p, *change(header, [list(r) for r in body]))
        return (*place, pattern)

    return corrupt


def _date_order(table: str, first: str, later: str) -> Fault:
    def corrupt(p: Path) -> Expect:
        header, body = _read(p)
        i = next(i for i, r in enumerate(body) if r[header.index(first)] and r[header.index(later)])
        early = "2000-01-01" if later == "date_accessed" else "2000"
        return _set(p, later, early, i), _number(p, later), later, rf"^{early} is before {first} \("

    return Fault("date order", table, corrupt, later)


def _first_cell(p: Path) -> tuple[int, int, str]:
    return 2, 1, _read(p)[0][0]


def _last_cell(p: Path) -> tuple[int, int, None]:
    return 2, len(_read(p)[0]), None


FAULTS: tuple[Fault, ...] = (
    # the file: one reader for every table, so each fault once
    Fault("missing file", "gaps", lambda p: (p.unlink(), (None, None, None, "^file missing"))[1]),
    Fault(
        "empty",
        "gaps",
        raw(lambda b: b"", lambda p: (1, 1, "gap_id"), "^empty file: a header row is required$"),
    ),
    Fault(
        "empty",
        "gaps",
        raw(lambda b: b"\xef\xbb\xbf\r\n", lambda p: (1, 1, "gap_id"), "^empty file"),
        "BOM only",
    ),
    Fault(
        "utf-16",
        "gaps",
        raw(
            lambda b: b.decode("utf-8").encode("utf-16"),
            lambda p: (1, 1, "gap_id"),
            "UTF-16 .*save it as CSV UTF-8",
        ),
    ),
    Fault(
        "encoding",
        "facts",
        raw(
            lambda b: b.replace(b"Nissan shares issued", b"Nissan shares issu\xe9d", 1),
            lambda p: (line_of(p, "Nissan shares issued"), 3, "description"),
            r"not valid UTF-8 \(byte 0xe9\): save the file as UTF-8",
        ),
    ),
    Fault(
        "encoding",
        "gaps",
        raw(lambda b: b.replace(b"\n", b"\n\xff", 1), _first_cell, "byte 0xff"),
        "first cell",
    ),
    Fault(
        "carriage return",
        "gaps",
        raw(
            lambda b: b.replace(b"\n", b"\r", 2).replace(b"\r", b"\n", 1),
            _last_cell,
            "a carriage return without a line feed",
        ),
    ),
    Fault(
        "csv",
        "gaps",
        raw(
            lambda b: b + b'late,"never closed,x\n',
            lambda p: (len(p.read_text().splitlines()) + 1, 1, None),
            "^not valid CSV: a quote opened in this row is never closed$",
        ),
        "quote",
    ),
    Fault(
        "csv",
        "gaps",
        raw(
            lambda b: b.replace(b"\n", b'\n"rnaipl"x', 1),
            lambda p: (2, 1, None),
            "^not valid CSV: text after a closing quote",
        ),
        "after quote",
    ),
    Fault(
        "semicolons",
        "vat_rates",
        raw(
            lambda b: b.replace(b",", b";"),
            lambda p: (1, 1, None),
            "separated by semicolons: save the file as CSV with commas",
        ),
    ),
    Fault(
        "missing column",
        "vat_rates",
        rows(
            lambda h, r: (h[:-1], [x[:-1] for x in r]),
            lambda h, r: (1, len(h), h[-1]),
            "^missing column; expected: ",
        ),
    ),
    Fault(
        "unexpected column",
        "vat_rates",
        rows(
            lambda h, r: ([*h, "extra"], [[*x, "x"] for x in r]),
            lambda h, r: (1, len(h) + 1, None),
            "^unexpected column 'extra'; expected: country, vat_pct",
        ),
    ),
    Fault(
        "duplicate column",
        "vat_rates",
        rows(
            lambda h, r: ([*h, h[0]], [[*x, x[0]] for x in r]),
            lambda h, r: (1, len(h) + 1, None),
            "^column 'country' appears twice$",
        ),
    ),
    Fault(
        "blank row",
        "gaps",
        rows(
            lambda h, r: (h, [r[0], [""] * len(h), *r[1:]]),
            lambda h, r: (3, 1, None),
            "^a row of empty cells .*: delete the row$",
        ),
    ),
    Fault(
        "values count",
        "gaps",
        rows(
            lambda h, r: (h, [[*r[0], "extra"], *r[1:]]),
            lambda h, r: (2, len(h) + 1, None),
            r"^6 values for 5 columns: the values from this one on have no column",
        ),
        "too many",
    ),
    Fault(
        "values count",
        "gaps",
        rows(
            lambda h, r: (h, [r[0][:-1], *r[1:]]),
            lambda h, r: (2, len(h), h[-1]),
            "^4 values for 5 columns: the row ends before this column$",
        ),
        "too few",
    ),
    Fault(
        "decimal comma",
        "facts",
        text(
            "2025 amendment,10,%",
            "2025 amendment,10,5,%",
            "value",
            r"^11 values for 10 columns: a decimal comma\? quote the value or use a "
            r"point \(10,5 -> 10\.5 or \"10,5\"\)$",
        ),
    ),
    Fault(
        "decimal comma",
        "rnaipl_ownership",
        text(
            "2023,49,51,",
            "2023,49,5,50,5,",
            "renault_pct",
            r"^9 values for 7 columns: a decimal comma\? quote the value or "
            r"use a point$",
        ),
        "two commas",
    ),
    # a cell: one check per type and constraint, whatever the table
    Fault("spaces", "facts", cell("description", " Lock-up ", r"^' Lock-up ' has spaces at its ends$")),
    Fault("required", "facts", cell("description", "", "^a value is required$")),
    Fault("number", "facts", cell("value", "ten", "^'ten' is not a number$")),
    Fault(
        "number",
        "facts",
        cell("value", "12,5", "^'12,5' is not a number: write it with a decimal point"),
        "quoted decimal comma",
    ),
    Fault("number", "car_models", cell("price_eur", "19 490", "without a thousands separator"), "thousands"),
    Fault("integer", "battery_prices", cell("year", "2024.0", r"^'2024\.0' is not an integer$")),
    Fault(
        "date", "fx_rates", cell("date", "2025-3-31", "^'2025-3-31' is not a date of the form YYYY-MM-DD$")
    ),
    Fault(
        "date", "fx_rates", cell("date", "31/03/2025", r"written day first\? write 2025-03-31"), "day first"
    ),
    Fault(
        "partial date",
        "events",
        cell("date", "March 2025", "^'March 2025' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD$"),
    ),
    Fault("calendar", "sources", cell("date_published", "2026-11-31", "^2026-11-31: November has 30 days$")),
    Fault(
        "calendar", "fx_rates", cell("date", "2025-02-29", "^2025-02-29: February 2025 has 28 days$"), "full"
    ),
    Fault("calendar", "events", cell("date", "2025-13", "^2025-13: there is no month 13"), "month"),
    Fault(
        "enum",
        "shareholdings",
        cell("holding", "Direct", r"^'Direct' is not one of: direct, trust \(write 'direct'"),
    ),
    Fault("pattern", "facts", cell("fact_id", "Not Valid", "does not match the pattern")),
    Fault("minimum", "car_models", cell("price_eur", "-1", "^-1 is below the minimum 0$")),
    Fault(
        "maximum",
        "shareholdings",
        cell("economic_pct", "128.4", r"^128\.4 is above the maximum 100 \(a percentage lies in 0-100\)$"),
    ),
    Fault("exclusiveMinimum", "fx_rates", cell("rate_per_eur", "0", "^0 must be greater than 0$")),
    # across rows and tables
    Fault(
        "duplicate key",
        "vat_rates",
        rows(
            lambda h, r: (h, [*r, r[0]]),
            lambda h, r: (len(r) + 2, 1, "country"),
            r"^duplicate key \(country=\w+\); first at line 2$",
        ),
    ),
    Fault(
        "foreign key",
        "facts",
        cell("source_id", "nobody", "^unknown source id 'nobody': add it to sources.csv or correct it$"),
        "sources",
    ),
    Fault(
        "foreign key",
        "claim_sources",
        cell("claim_id", "nobody", "^unknown claim_id 'nobody': add it to claims.csv"),
        "claims",
    ),
    *(_date_order(*order) for order in data.DATE_ORDER),
    # rules across the columns of a row
    Fault("percent", "facts", text("2025 amendment,10,%", "2025 amendment,-10,%", "value", "outside 0-100")),
    Fault(
        "split", "rnaipl_ownership", text("2023,49,51,", "2023,49,52,", "nissan_pct", "= 101, must be 100$")
    ),
    Fault(
        "check or status",
        "claims",
        text(",corroborated,,,,Up to EUR 600m", ",,,,,Up to EUR 600m", "status", "^set exactly one of check"),
    ),
    Fault(
        "plan dates",
        "claims",
        text(
            ",corroborated,,,,Up to EUR 600m",
            ",corroborated,2025,,,Up to EUR 600m",
            "due",
            "^a fact has no plan dates",
        ),
    ),
)


def _ids(faults: tuple[Fault, ...]) -> list[str]:
    return [f.id for f in faults]


@pytest.mark.parametrize("fault", FAULTS, ids=_ids(FAULTS))
def test_each_fault_gives_one_problem_where_it_is(data_copy: Path, fault: Fault) -> None:
    path = data_copy / f"{fault.table}.csv"
    line, number, column, pattern = fault.corrupt(path)
    (problem,) = data.validate(data_copy).problems
    assert (problem.file, problem.line, problem.column_number, problem.column, problem.kind) == (
        f"data/{fault.table}.csv",
        line,
        number,
        column,
        fault.kind,
    ), str(problem)
    assert re.search(pattern, problem.problem), problem.problem
    where = f"data/{fault.table}.csv" + (f":{line}:{number}" if line else "")
    assert str(problem) == f"{where}: " + (f"column '{column}': " if column else "") + problem.problem
    with pytest.raises(DataError) as info:
        data.load_all(data_copy)
    assert info.value.problems == (problem,) and str(info.value) == str(problem)


def test_the_faults_cover_every_check() -> None:
    """Every kind of problem the loader reports has a fault above; so do every column type, every
    constraint, every table a foreign key points to and every pair of ordered dates the schema holds
    (a new check or a new kind of constraint fails here until it has its fault)."""
    kinds = {f.kind for f in FAULTS}
    assert kinds | {"schema", "uncited source"} == set(data.PROBLEM_KINDS)  # those two: tests below
    resources = data.descriptor(DATA_DIR)["resources"]
    used = {key for r in resources for f in r["schema"]["fields"] for key in f.get("constraints", {})}
    used |= {
        "partial date" if fields.is_partial_date(f) else f["type"]
        for r in resources
        for f in r["schema"]["fields"]
    }
    assert used - {"string"} <= kinds, used - kinds
    targets = {fk["reference"]["resource"] for r in resources for fk in r["schema"].get("foreignKeys", [])}
    assert {f.label for f in FAULTS if f.kind == "foreign key"} == targets
    assert {(f.table, f.label) for f in FAULTS if f.kind == "date order"} == {
        (t, later) for t, _, later in data.DATE_ORDER
    }


def test_a_check_of_an_unlisted_kind_is_a_programming_error() -> None:
    """So a new check cannot skip the coverage test above: its kind must be listed, then given a fault."""
    f = data._File("data/x.csv", [{"name": "a", "type": "string"}], header=["a"])
    with pytest.raises(KeyError, match="not in data.PROBLEM_KINDS"):
        f.add(2, "a", "new check", "broken")
    f.add(2, "a", "required", "a value is required")
    assert [str(p) for p in f.problems] == ["data/x.csv:2:1: column 'a': a value is required"]


def test_a_missing_or_broken_schema_is_one_problem(data_copy: Path) -> None:
    pkg = data_copy / "datapackage.json"
    pkg.write_text(pkg.read_text(encoding="utf-8")[:200], encoding="utf-8")
    with pytest.raises(DataError) as info:
        data.validate(data_copy)
    (problem,) = info.value.problems
    assert problem.kind == "schema" and problem.file == "data/datapackage.json"
    assert problem.problem.startswith("not valid JSON: ")
    pkg.unlink()
    with pytest.raises(
        DataError, match=r"^data/datapackage.json: missing: the schema of every table lives here$"
    ):
        data.load_all(data_copy)


# --------------------------------------------------------------------------- every problem, in one run


def test_a_row_with_three_mistakes_gives_three_messages(data_copy: Path) -> None:
    f = data_copy / "facts.csv"
    replace_in(f, "lockup_after_pct,ownership,", "lockup_after_pct,Ownership,")
    replace_in(f, "2025 amendment,10,%,", "2025 amendment,ten,percent,")
    line = line_of(f, "lockup_after_pct")
    found = data.validate(data_copy).problems
    assert [(p.line, p.column_number, p.column, p.kind) for p in found] == [
        (line, 2, "topic", "enum"),
        (line, 4, "value", "number"),
        (line, 5, "unit", "enum"),
    ]


def test_a_cell_that_breaks_its_own_check_is_left_out_of_the_rules_across_cells(data_copy: Path) -> None:
    """One mistake, one message: no 'does not add up' for a stake that is not a number, no 'a fact has
    no plan dates' for a date off the calendar, no duplicate key for a key cell already refused."""
    replace_in(data_copy / "rnaipl_ownership.csv", "2023,49,51,", "2023,49,fifty-one,")
    replace_in(
        data_copy / "claims.csv", ",corroborated,,,,Up to EUR 600m", ",corroborated,2025-13,,,Up to EUR 600m"
    )
    vat = data_copy / "vat_rates.csv"
    header, body = _read(vat)
    _write(vat, header, [*body, [" FR" if c == body[0][0] else c for c in body[0]]])
    found = data.validate(data_copy).problems
    assert [(p.file, p.column, p.kind) for p in found] == [
        ("data/claims.csv", "due", "calendar"),
        ("data/rnaipl_ownership.csv", "nissan_pct", "number"),
        ("data/vat_rates.csv", "country", "spaces"),
    ]


def test_every_problem_of_every_file_is_listed_in_file_then_line_order(data_copy: Path) -> None:
    _set(data_copy / "sources.csv", "date_accessed", "2026-02-30", row=3)
    _set(data_copy / "facts.csv", "value", "ten", row=7)
    _set(data_copy / "facts.csv", "unit", "", row=1)
    _set(data_copy / "claims.csv", "kind", "promise", row=0)
    found = data.validate(data_copy).problems
    assert [(p.file, p.line, p.column) for p in found] == [
        ("data/claims.csv", 2, "kind"),
        ("data/facts.csv", 3, "unit"),
        ("data/facts.csv", 9, "value"),
        ("data/sources.csv", 5, "date_accessed"),
    ]
    with pytest.raises(DataError) as info:
        data.load_all(data_copy)
    assert str(info.value).splitlines() == [str(p) for p in found]


def test_a_long_list_stops_at_its_limit(data_copy: Path) -> None:
    f = data_copy / "fx_rates.csv"
    header, body = _read(f)
    for r in body[: DataError.LIMIT + 12]:
        r[header.index("rate_per_eur")] = "n/a"
    _write(f, header, body)
    with pytest.raises(DataError) as info:
        data.load_all(data_copy)
    err = info.value
    assert len(err.problems) == DataError.LIMIT and err.more == 12 and err.count == DataError.LIMIT + 12
    assert [p.line for p in err.problems] == list(range(2, DataError.LIMIT + 2))
    assert str(err).splitlines()[-1] == "and 12 more problems"


def test_a_broken_table_does_not_make_others_fail(data_copy: Path) -> None:
    """sources.csv unreadable: the rows citing it are not all reported as unknown sources, and no
    source is called uncited."""
    sources = data_copy / "sources.csv"
    sources.write_bytes(sources.read_bytes().replace(b"\n", b"\n\xe9", 1))
    found = data.validate(data_copy)
    assert [p.kind for p in found.problems] == ["encoding"] and found.warnings == ()


# --------------------------------------------------------------------------- a source before its fact


NEW_SOURCE = "new_source_2026,Reuters,[A new report],,2026-03,2026-12-07,\n"


def test_a_source_no_row_cites_yet_is_a_warning_not_an_error(data_copy: Path) -> None:
    sources = data_copy / "sources.csv"
    sources.write_text(sources.read_text(encoding="utf-8") + NEW_SOURCE, encoding="utf-8")
    found = data.validate(data_copy)
    (warning,) = found.warnings
    assert found.problems == () and warning.warning and warning.kind == "uncited source"
    assert str(warning) == (
        f"data/sources.csv:{line_of(sources, 'new_source_2026')}:1: warning: column "
        "'source_id': source 'new_source_2026' is cited by no row yet: cite it in a row's "
        "source_id, or remove it"
    )
    assert "new_source_2026" in set(data.load_all(data_copy)["sources"]["source_id"])  # loads: builds go on
    facts = data_copy / "facts.csv"  # step 2 of data/README.md: the row that cites it
    facts.write_text(
        facts.read_text(encoding="utf-8")
        + "new_fact_pct,ownership,A new figure,12.5,%,2026-03,reported,new_source_2026,\n",
        encoding="utf-8",
    )
    assert data.validate(data_copy).warnings == ()


def test_the_committed_data_has_no_problem_and_no_uncited_source() -> None:
    """The warning lets a source come before its fact while editing; what is committed cites every source."""
    found = data.validate(DATA_DIR)
    assert found.problems == () and found.warnings == ()


# --------------------------------------------------------------------------- alliance validate and build


def _cli(
    argv: list[str], folder: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, list[str], list[str]]:
    monkeypatch.setenv("ALLIANCE_DATA_DIR", str(folder))
    code = cli.main(argv)
    out, err = capsys.readouterr()
    return code, out.splitlines(), err.splitlines()


def test_validate_prints_every_problem_and_exits_2(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Exactly the example of data/README.md ("What validation checks")."""
    _set(data_copy / "facts.csv", "value", "ten", row=7)
    _set(data_copy / "events.csv", "date", "2025-04-31", row=0)
    facts = data_copy / "facts.csv"
    lines = facts.read_text(encoding="utf-8").split("\n")
    header = lines[0].split(",")
    row = next(csv.reader([lines[11]]))
    row[header.index("value")] = "10,5"  # unquoted: the comma splits the value
    lines[11] = ",".join(f'"{v}"' if "," in v and v != "10,5" else v for v in row)
    facts.write_text("\n".join(lines), encoding="utf-8")
    code, out, err = _cli(["validate"], data_copy, monkeypatch, capsys)
    readme = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    shown = readme.split("prints the same list and stops before any notebook runs:\n\n", 1)[1].split("\n\n")[
        0
    ]
    assert code == 2 and out == []
    assert err == [line.strip() for line in shown.splitlines()]


def test_validate_prints_a_warning_and_exits_0(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    sources = data_copy / "sources.csv"
    sources.write_text(sources.read_text(encoding="utf-8") + NEW_SOURCE, encoding="utf-8")
    code, out, err = _cli(["validate"], data_copy, monkeypatch, capsys)
    assert code == 0 and len(err) == 1 and ": warning: " in err[0] and "new_source_2026" in err[0]
    assert out[0].startswith("data ok: 16 tables, ")


def test_build_goes_on_after_a_warning(
    data_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The build prints the warning and runs (the runner is replaced: what matters is that it is reached)."""
    from alliancelib import build

    sources = data_copy / "sources.csv"
    sources.write_text(sources.read_text(encoding="utf-8") + NEW_SOURCE, encoding="utf-8")
    called = []
    first_step = build._data_warnings

    def fake_build(out: Path, *args: Any, warn: Any = None, **kw: Any) -> list[Any]:
        for warning in first_step({}, "a fingerprint"):  # what the real build does first
            warn(warning)
        called.append(out)
        return []

    monkeypatch.setattr(build, "build", fake_build)
    code, _, err = _cli(["build", "--out", str(tmp_path / "r")], data_copy, monkeypatch, capsys)
    assert code == 0 and called == [tmp_path / "r"]
    assert len(err) == 1 and ": warning: " in err[0]


def test_the_readme_fault_rows_quote_the_code(data_copy: Path) -> None:
    """The README's rows for data files ("What you see when something is wrong") say what the code prints."""
    from alliancelib.paths import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## What you see when something is wrong", 1)[1].split("\n## ", 1)[0]
    rows = {line.split(" | ")[0].lstrip("| "): line for line in section.splitlines() if "data" in line}
    broken = rows["a data file that breaks its schema (`alliance validate`, `alliance build`)"]
    with pytest.raises(data.CalendarError) as calendar_error:
        data.parse_partial_date("2026-11-31")
    assert f"`{calendar_error.value}`" in broken
    facts = data_copy / "facts.csv"
    replace_in(facts, "2025 amendment,10,%", "2025 amendment,10,5,%")
    (problem,) = data.validate(data_copy).problems
    assert "`9 values for 8 columns: a decimal comma? quote the value or use a point ...`" in broken
    assert problem.problem.startswith(
        "11 values for 10 columns: a decimal comma? quote the value or use a point ("
    )
    assert "then `and N more problems`" in broken and f"first {DataError.LIMIT}" in broken
    uncited = rows["a new source in `sources.csv` that no row cites yet"]
    sources = data_copy / "sources.csv"
    replace_in(facts, "2025 amendment,10,5,%", "2025 amendment,10,%")
    sources.write_text(sources.read_text(encoding="utf-8") + NEW_SOURCE, encoding="utf-8")
    (warning,) = data.validate(data_copy).warnings
    shown = str(warning).replace(str(warning.line), "<line>", 1).replace("new_source_2026", "<id>")
    assert f"`{shown}`" in uncited
