"""The data loads typed and valid; every CSV corrupted in every way its schema forbids gives one
DataError naming file, line and column, never a traceback."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from helpers import line_of, replace_in

from alliancelib import data, fields
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
        19000, 17000)
    for fid in ("nissan_in_renault_pct_netdenjd", "twingo_price_uk_headline_gbp", "rnaipl_capacity_newsdrum_units"):
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
    assert {"nissan_twingo_2026", "twingo_launch_2026", "rnaipl_close_2025", "rnaipl_four_models",
            "ampere_exit_end_may", "nissan_option_to_sell"} <= set(plans.index)
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


# --------------------------------------------------------------------------- every fault, every file

Table = dict[str, Any]
Case = tuple[str, str, Callable[[Path, Table], tuple[int, str, str]]]


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


def _first(res: Table, test: Callable[[dict[str, Any]], bool]) -> dict[str, Any] | None:
    return next((f for f in res["schema"]["fields"] if test(f)), None)


def _typed(res: Table) -> Iterator[Case]:
    f = _first(res, lambda f: f["type"] in ("number", "integer", "date"))
    if f:
        yield "type", f["name"], lambda p, r, n=f["name"]: (_set(p, n, "abc"), n, "is not a")


def _partial_date(res: Table) -> Iterator[Case]:
    f = _first(res, fields.is_partial_date)
    if f:
        yield "calendar", f["name"], lambda p, r, n=f["name"]: (_set(p, n, "2025-02-30"), n, "is not a date")


def _enum(res: Table) -> Iterator[Case]:
    f = _first(res, lambda f: "enum" in f.get("constraints", {}))
    if f:
        yield "enum", f["name"], lambda p, r, n=f["name"]: (_set(p, n, "XX"), n, "is not one of")


def _bounds(res: Table) -> Iterator[Case]:
    f = _first(res, lambda f: {"minimum", "exclusiveMinimum"} & set(f.get("constraints", {})))
    if f:
        c = f["constraints"]
        bad = str(c["minimum"] - 1) if "minimum" in c else str(c["exclusiveMinimum"])
        yield "bounds", f["name"], lambda p, r, n=f["name"], v=bad: (
            _set(p, n, v), n, "below the minimum|must be greater than")


def _pattern(res: Table) -> Iterator[Case]:
    f = _first(res, lambda f: "pattern" in f.get("constraints", {}) and not fields.is_partial_date(f))
    if f:
        yield "pattern", f["name"], lambda p, r, n=f["name"]: (_set(p, n, "Not Valid"), n, "does not match")


def _required(res: Table) -> Iterator[Case]:
    f = _first(res, lambda f: f.get("constraints", {}).get("required"))
    if f:
        yield "required", f["name"], lambda p, r, n=f["name"]: (_set(p, n, ""), n, "a value is required")


def _duplicate_key(res: Table) -> Iterator[Case]:
    def corrupt(p: Path, r: Table) -> tuple[int, str, str]:
        header, rows = _read(p)
        _write(p, header, [*rows, rows[0]])
        return len(rows) + 2, "+".join(r["schema"]["primaryKey"]), "duplicate key"
    yield "key", "+".join(res["schema"]["primaryKey"]), corrupt


def _foreign_key(res: Table) -> Iterator[Case]:
    for fk in res["schema"].get("foreignKeys", []):
        yield "foreign key", fk["fields"], lambda p, r, n=fk["fields"]: (_set(p, n, "nobody"), n, "unknown")


def _date_order(res: Table) -> Iterator[Case]:
    for table, first, later in data.DATE_ORDER:
        if table == res["name"]:
            def corrupt(p: Path, r: Table, a: str = first, b: str = later) -> tuple[int, str, str]:
                header, rows = _read(p)
                i = next(i for i, row in enumerate(rows) if row[header.index(a)] and row[header.index(b)])
                early = "2000-01-01" if b == "date_accessed" else "2000"
                return _set(p, b, early, i), b, "is before"
            yield "date order", later, corrupt


def _file_faults(res: Table) -> Iterator[Case]:
    names = [f["name"] for f in res["schema"]["fields"]]

    def bom(p: Path, r: Table) -> tuple[int, str, str]:
        p.write_bytes(b"\xef\xbb\xbf" + p.read_bytes())
        return 1, names[0], "byte-order mark"

    def crlf(p: Path, r: Table) -> tuple[int, str, str]:
        p.write_bytes(p.read_bytes().replace(b"\n", b"\r\n"))
        return 1, names[-1], "CRLF"

    def encoding(p: Path, r: Table) -> tuple[int, str, str]:
        raw = p.read_bytes()
        cut = raw.index(b"\n") + 1  # start of the first data row: its first cell
        p.write_bytes(raw[:cut] + b"\xff" + raw[cut:])
        return 2, names[0], "not valid UTF-8"

    def empty(p: Path, r: Table) -> tuple[int, str, str]:
        p.write_bytes(b"")
        return 1, names[0], "empty file"

    def ragged(p: Path, r: Table) -> tuple[int, str, str]:
        header, rows = _read(p)
        rows[0].append("extra")
        _write(p, header, rows)
        return 2, names[-1], f"{len(names) + 1} values for {len(names)} columns"

    def missing(p: Path, r: Table) -> tuple[int, str, str]:
        header, rows = _read(p)
        _write(p, header[:-1], [row[:-1] for row in rows])
        return 1, names[-1], "missing column"

    for kind, fn in (("BOM", bom), ("CRLF", crlf), ("encoding", encoding), ("empty", empty),
                     ("ragged row", ragged), ("missing column", missing)):
        yield kind, "", fn


GENERATORS = (_file_faults, _typed, _partial_date, _enum, _bounds, _pattern, _required, _duplicate_key,
              _foreign_key, _date_order)


def _cases() -> list[Any]:
    out = []
    for res in data.descriptor(DATA_DIR)["resources"]:
        for gen in GENERATORS:
            for kind, column, fn in gen(res):
                out.append(pytest.param(res, fn, id=f"{res['name']}-{kind}{'-' + column if column else ''}"))
    return out


@pytest.mark.parametrize(("res", "corrupt"), _cases())
def test_each_fault_in_each_file_is_one_data_error(data_copy: Path, res: Table, corrupt: Any) -> None:
    path = data_copy / res["path"]
    line, column, pattern = corrupt(path, res)
    with pytest.raises(DataError) as info:
        data.load_all(data_copy)
    err = info.value
    assert (err.file, err.line, err.column) == (f"data/{res['path']}", line, column), str(err)
    assert re.search(pattern, err.problem), err.problem
    assert str(err).startswith(f"data/{res['path']}:{line}: column '{column}': ")


def test_the_fault_table_covers_every_file_and_kind() -> None:
    ids = [p.id for p in _cases()]
    for res in data.descriptor(DATA_DIR)["resources"]:
        mine = [i for i in ids if i.startswith(res["name"] + "-")]
        assert {"BOM", "CRLF", "encoding", "empty", "key", "required"} <= {i.split("-")[1] for i in mine}
    kinds = {i.split("-")[1] for i in ids}
    assert kinds >= {"type", "calendar", "enum", "bounds", "pattern", "foreign key", "date order"}
    assert len(ids) >= 150


# --------------------------------------------------------------------------- rules across columns and tables


def _expect(folder: Path, file: str, line: int, column: str, pattern: str) -> None:
    with pytest.raises(DataError) as info:
        data.load_all(folder)
    err = info.value
    assert (err.file, err.line, err.column) == (f"data/{file}", line, column), str(err)
    assert re.search(pattern, err.problem), err.problem


def test_percentage_unit_in_facts(data_copy: Path) -> None:
    f = data_copy / "facts.csv"
    replace_in(f, "2025 amendment,10,%", "2025 amendment,-10,%")
    _expect(data_copy, "facts.csv", line_of(f, "2025 amendment,-10,%"), "value", "outside 0-100")


def test_percentage_above_100(data_copy: Path) -> None:
    f = data_copy / "shareholdings.csv"
    replace_in(f, "2023-11-08,from,Renault,Nissan,trust,28.4,", "2023-11-08,from,Renault,Nissan,trust,128.4,")
    _expect(data_copy, "shareholdings.csv", line_of(f, "trust,128.4"), "economic_pct",
            r"above the maximum 100 \(a percentage lies in 0-100\)")


def test_orphan_source(data_copy: Path) -> None:
    f = data_copy / "sources.csv"
    f.write_text(f.read_text() + "unused_source,Nobody,Nothing,,2024,2026-11-24,\n")
    _expect(data_copy, "sources.csv", line_of(f, "unused_source"), "source_id", "cited by no row")


def test_split_must_add_up(data_copy: Path) -> None:
    f = data_copy / "rnaipl_ownership.csv"
    replace_in(f, "2023,49,51,", "2023,49,52,")
    _expect(data_copy, "rnaipl_ownership.csv", line_of(f, "2023,49,52"), "nissan_pct", "must be 100")


def test_claim_needs_status_or_check(data_copy: Path) -> None:
    f = data_copy / "claims.csv"
    replace_in(f, ",corroborated,,,,Up to EUR 600m", ",,,,,Up to EUR 600m")
    _expect(data_copy, "claims.csv", line_of(f, ",,,,,Up to EUR 600m"), "status", "exactly one of check")


def test_a_fact_has_no_plan_dates(data_copy: Path) -> None:
    f = data_copy / "claims.csv"
    replace_in(f, ",corroborated,,,,Up to EUR 600m", ",corroborated,2025,,,Up to EUR 600m")
    _expect(data_copy, "claims.csv", line_of(f, ",corroborated,2025,,,Up to EUR 600m"), "due",
            "a fact has no plan dates")


def test_unexpected_column(data_copy: Path) -> None:
    f = data_copy / "vat_rates.csv"
    header, rows = _read(f)
    _write(f, [*header, "extra"], [[*r, "x"] for r in rows])
    _expect(data_copy, "vat_rates.csv", 1, "extra", "unexpected column")
