"""The data loads typed and valid, and each validation rule catches its fault with file:line
and column named."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from helpers import line_of, replace_in

from alliancelib import data
from alliancelib.errors import DataError


def test_every_table_loads_typed() -> None:
    tables = data.load_all()
    assert set(tables) == set(data.table_names())
    sh = tables["shareholdings"]
    assert sh["economic_pct"].dtype == "float64"
    assert pd.api.types.is_datetime64_any_dtype(tables["fx_rates"]["date"])
    assert str(tables["battery_prices"]["year"].dtype) == "Int64"
    # every fixing of the research CSV is held (904 days x 4 currencies)
    assert len(tables["fx_rates"]) == 904 * 4


def test_frames_are_copies_of_the_cache() -> None:
    a = data.load("facts")
    a.loc[0, "value"] = -1
    assert data.load("facts").loc[0, "value"] != -1


def test_conflicting_sources_stay_visible() -> None:
    cars = data.load("car_models")
    fr_twingo = cars[(cars["model"].str.contains("Twingo")) & (cars["market"] == "FR")
                     & (cars["trim"] == "Evolution")]
    assert sorted(fr_twingo["price_eur"]) == [19490, 20000]
    assert fr_twingo["source_id"].nunique() == 2
    facts = data.load("facts").set_index("fact_id")
    assert facts.at["rnaipl_capacity_renault_units", "value"] == 400000
    assert facts.at["rnaipl_capacity_carandbike_units", "value"] == 480000
    assert "CONFLICT" in facts.at["trust_sale2_shares_nissan", "note"]


def test_no_rnaipl_price_is_invented() -> None:
    facts = data.load("facts")
    india = facts[facts["topic"] == "india"]
    assert not india["unit"].isin(["EUR", "EUR m", "EUR bn"]).any() or not india[
        "description"].str.contains("price", case=False).any()
    assert "not disclosed" in facts.set_index("fact_id").at["rnaipl_stake_bought_pct", "note"]


def _expect(folder: Path, file: str, line: int, column: str, pattern: str) -> None:
    with pytest.raises(DataError) as info:
        data.load_all(folder)
    err = info.value
    assert (err.file, err.line, err.column) == (f"data/{file}", line, column), str(err)
    assert re.search(pattern, err.problem), err.problem
    assert str(err).startswith(f"data/{file}:{line}: column '{column}': ")


def test_wrong_type(data_copy: Path) -> None:
    f = data_copy / "facts.csv"
    line = line_of(f, "lockup_after_pct")
    replace_in(f, "lockup_after_pct,ownership,Minimum cross-shareholding (lock-up) after the "
               "2025 amendment,10,", "lockup_after_pct,ownership,Minimum cross-shareholding "
               "(lock-up) after the 2025 amendment,ten,")
    _expect(data_copy, "facts.csv", line, "value", "'ten' is not a number")


def test_wrong_date(data_copy: Path) -> None:
    f = data_copy / "fx_rates.csv"
    replace_in(f, "2024-02-29,USD", "2024-02-30,USD")
    _expect(data_copy, "fx_rates.csv", line_of(f, "2024-02-30,USD"), "date", "not a date")


def test_missing_column(data_copy: Path) -> None:
    f = data_copy / "battery_prices.csv"
    text = f.read_text().splitlines()
    rows = [",".join(c for i, c in enumerate(r.split(",")) if i != 3) for r in text]
    f.write_text("\n".join(rows) + "\n")
    _expect(data_copy, "battery_prices.csv", 1, "basis", "missing column")


def test_unknown_source_id(data_copy: Path) -> None:
    f = data_copy / "events.csv"
    replace_in(f, "launch,reported,electrive_20251106", "launch,reported,electrive_2099")
    _expect(data_copy, "events.csv", line_of(f, "electrive_2099"), "source_id",
            "unknown source id 'electrive_2099'")


def test_unknown_source_in_a_list(data_copy: Path) -> None:
    f = data_copy / "claims.csv"
    replace_in(f, "rediff_20250331;tuko_afp_20250331", "rediff_20250331;nobody")
    _expect(data_copy, "claims.csv", line_of(f, "rediff_20250331;nobody"), "source_ids",
            "unknown source id 'nobody'")


def test_percentage_above_100(data_copy: Path) -> None:
    f = data_copy / "shareholdings.csv"
    replace_in(f, "2023-11-08,Renault,Nissan,trust,28.4,", "2023-11-08,Renault,Nissan,trust,128.4,")
    _expect(data_copy, "shareholdings.csv", line_of(f, "trust,128.4"), "economic_pct",
            r"above the maximum 100 \(a percentage lies in 0-100\)")


def test_percentage_unit_in_facts(data_copy: Path) -> None:
    f = data_copy / "facts.csv"
    replace_in(f, "2025 amendment,10,%", "2025 amendment,-10,%")
    _expect(data_copy, "facts.csv", line_of(f, "2025 amendment,-10,%"), "value",
            "outside 0-100")


def test_accessed_before_published(data_copy: Path) -> None:
    f = data_copy / "sources.csv"
    replace_in(f, "2025-12-09,2026-11-24", "2025-12-09,2025-12-01")
    _expect(data_copy, "sources.csv", line_of(f, "2025-12-09,2025-12-01"), "date_accessed",
            r"accessed 2025-12-01 before it was published \(2025-12-09\)")


def test_duplicate_key(data_copy: Path) -> None:
    f = data_copy / "battery_prices.csv"
    text = f.read_text()
    f.write_text(text + "2025,lfp,80,reported,bnef_20251209,\n")
    n = len(text.splitlines()) + 1
    _expect(data_copy, "battery_prices.csv", n, "year+segment",
            rf"duplicate key \(year=2025, segment=lfp\); first at line {line_of(f, '2025,lfp,81')}")


def test_value_not_in_enum(data_copy: Path) -> None:
    f = data_copy / "car_models.csv"
    replace_in(f, "Dacia Spring,Dacia,FR,", "Dacia Spring,Dacia,XX,")
    _expect(data_copy, "car_models.csv", line_of(f, "Dacia,XX,"), "market", "not one of")


def test_required_value_missing(data_copy: Path) -> None:
    f = data_copy / "events.csv"
    replace_in(f, "2025-11-06,ev,", ",ev,")
    _expect(data_copy, "events.csv", line_of(f, ",ev,Twingo"), "date", "a value is required")


def test_orphan_source(data_copy: Path) -> None:
    f = data_copy / "sources.csv"
    f.write_text(f.read_text() + "unused_source,Nobody,Nothing,,2024,2026-11-24,\n")
    _expect(data_copy, "sources.csv", line_of(f, "unused_source"), "source_id",
            "cited by no row")


def test_split_must_add_up(data_copy: Path) -> None:
    f = data_copy / "rnaipl_ownership.csv"
    replace_in(f, "2023,49,51,", "2023,49,52,")
    _expect(data_copy, "rnaipl_ownership.csv", line_of(f, "2023,49,52"), "nissan_pct",
            "must be 100")


def test_claim_needs_status_or_check(data_copy: Path) -> None:
    f = data_copy / "claims.csv"
    replace_in(f, ",corroborated,Up to EUR 600m", ",,Up to EUR 600m")
    _expect(data_copy, "claims.csv", line_of(f, ",,Up to EUR 600m"), "status",
            "exactly one of check")


def test_unexpected_column_and_ragged_row(data_copy: Path) -> None:
    f = data_copy / "plant_models.csv"
    replace_in(f, "Kiger,Renault,built,,,reported,thehindu_models_2026",
               "Kiger,Renault,built,,,reported,thehindu_models_2026,extra")
    with pytest.raises(DataError, match=r"data/plant_models.csv:\d+: 8 values for 7 columns"):
        data.load_all(data_copy)


def test_env_var_selects_the_data_folder(data_copy: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    replace_in(data_copy / "facts.csv", "2025 amendment,10,%", "2025 amendment,9,%")
    monkeypatch.setenv("ALLIANCE_DATA_DIR", str(data_copy))
    assert data.fact("lockup_after_pct") == 9


def test_as_of_date_is_the_newest_publication() -> None:
    assert data.as_of_date(["seed_autoexpert", "rediff_20250331"]) == "2025-04-01"
    with pytest.raises(KeyError, match="unknown source ids: nope"):
        data.as_of_date(["nope"])
