"""The schema: generated from the column dictionary, standard (the stock frictionless tool accepts
it), complete, following the naming rules, and documented by the data README."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from alliancelib import data, fields, schema
from alliancelib.paths import DATA_DIR, ROOT

UNIT_SUFFIXES = ("_pct", "_eur", "_eur_m", "_units", "_kwh", "_km", "_usd_per_kwh")


def test_datapackage_and_readme_are_generated_from_the_dictionary() -> None:
    """Edit alliancelib/fields.py or schema.py, then run `python -m alliancelib.schema`."""
    assert (DATA_DIR / "datapackage.json").read_text(encoding="utf-8") == schema.descriptor_text()
    readme = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    assert schema.readme_text(readme) == readme


def test_each_column_is_defined_once_in_the_dictionary() -> None:
    used = {c.name for t in schema.TABLES for c in t.cols()}
    assert used <= set(fields.FIELDS)
    with pytest.raises(ValueError, match="defined twice"):
        fields.define(fields.Field("economic_pct", "Again"))
    with pytest.raises(KeyError, match="add a Field with its title"):
        fields.header("no_such_column")


def _frictionless(folder: Path) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("frictionless")
    return subprocess.run(
        [str(exe), "validate", str(folder / "datapackage.json")], capture_output=True, text=True, timeout=120
    )


def test_the_stock_frictionless_tool_validates_the_package() -> None:
    done = _frictionless(DATA_DIR)
    assert done.returncode == 0, done.stdout[-2000:]
    assert done.stdout.count("VALID") == len(schema.TABLES)


def test_the_stock_tool_checks_foreign_keys_too(tmp_path: Path) -> None:
    """Not a formality: a claim source pointing at no claim fails the stock validator."""
    shutil.copytree(DATA_DIR, tmp_path / "data")
    f = tmp_path / "data" / "claim_sources.csv"
    f.write_text(f.read_text(encoding="utf-8") + "no_such_claim,status,rediff_20250331\n", encoding="utf-8")
    done = _frictionless(tmp_path / "data")
    assert done.returncode != 0
    assert "foreign" in done.stdout.lower()


def test_every_table_has_a_documented_schema() -> None:
    desc = data.descriptor()
    assert desc["$schema"] == schema.PACKAGE_SCHEMA
    for res in desc["resources"]:
        assert (DATA_DIR / res["path"]).exists()
        assert res["description"] and res["title"]
        for f in res["schema"]["fields"]:
            assert f.get("description") and f.get("title"), f"{res['name']}.{f['name']}"
        with (DATA_DIR / res["path"]).open(encoding="utf-8") as fh:
            header = next(csv.reader(fh))
        assert header == [f["name"] for f in res["schema"]["fields"]], res["name"]


def test_fact_tables_carry_basis_and_source() -> None:
    for res in data.descriptor()["resources"]:
        if res["name"] in ("sources", "claims", "claim_sources", "gaps"):
            continue  # claims cite through claim_sources; gaps are what no source gives
        names = {f["name"] for f in res["schema"]["fields"]}
        assert {"basis", "source_id"} <= names, res["name"]


def test_percent_columns_are_bounded_and_unit_named() -> None:
    for res in data.descriptor()["resources"]:
        for f in res["schema"]["fields"]:
            if f["name"].endswith("_pct"):
                c = f["constraints"]
                assert (c["minimum"], c["maximum"]) == (0, 100), f["name"]
                assert f["unit"] == "%"
            if f.get("unit") and f["unit"] != "per EUR":
                assert f["name"].endswith(UNIT_SUFFIXES), f"{f['name']} hides its unit"


def test_partial_dates_are_a_standard_pattern() -> None:
    """No custom format: a partial date is a string with a pattern any Frictionless tool checks."""
    text = (DATA_DIR / "datapackage.json").read_text(encoding="utf-8")
    assert "partial-date" not in text and '"separator"' not in text
    partial = [
        f for r in data.descriptor()["resources"] for f in r["schema"]["fields"] if fields.is_partial_date(f)
    ]
    assert len(partial) >= 15


def test_data_readme_documents_every_column() -> None:
    readme = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    for res in data.descriptor()["resources"]:
        assert f"### `{res['path']}`" in readme, res["path"]
        for f in res["schema"]["fields"]:
            assert f"| `{f['name']}` |" in readme, f"{res['name']}.{f['name']}"


def test_the_ecb_rates_are_whole_and_pin_the_fixings_the_reports_quote() -> None:
    """fx_rates.csv holds every ECB business day from 2023-02-01 to 2026-08-21 for four currencies
    (3,616 rows, as published), and the fixings the reports quote are the ECB's."""
    rows = list(csv.DictReader((DATA_DIR / "fx_rates.csv").open(encoding="utf-8")))
    assert len(rows) == 3616 and {r["currency"] for r in rows} == {"USD", "JPY", "INR", "GBP"}
    dates = sorted({r["date"] for r in rows})
    assert (dates[0], dates[-1], len(dates)) == ("2023-02-01", "2026-08-21", 904)
    assert all(sum(r["date"] == d for r in rows[i * 4 : (i + 1) * 4]) == 4 for i, d in enumerate(dates[:5]))
    rate = {(r["date"], r["currency"]): r["rate_per_eur"] for r in rows}
    for key, value in {
        ("2025-03-31", "USD"): "1.0815",
        ("2025-03-31", "JPY"): "161.60",
        ("2025-06-16", "JPY"): "166.89",
        ("2025-06-30", "JPY"): "169.17",
        ("2025-11-06", "USD"): "1.1533",
        ("2026-08-21", "USD"): "1.1699",
        ("2026-08-21", "JPY"): "185.66",
        ("2023-07-26", "JPY"): "155.30",
    }.items():
        assert float(rate[key]) == float(value), key
    assert {r["source_id"] for r in rows} == {"ecb_eurofxref"} and {r["basis"] for r in rows} == {"reported"}


def test_nothing_in_the_repository_points_outside_it() -> None:
    """A clone is all a contributor needs: no file refers to the maintainers' folders beside it."""
    import subprocess

    files = subprocess.run(
        ["git", "-C", str(ROOT), "ls-files"], capture_output=True, text=True, check=True
    ).stdout.split()
    outside = (
        "../" + "shared",
        "shared" + "/research",
        "shared" + "/reviews",
        "BRIEF" + ".md",
        "/work" + "/",
    )
    for name in files:
        path = ROOT / name
        if (
            path.suffix not in (".py", ".md", ".toml", ".yml", ".yaml", ".cfg", ".j2", ".json", ".csv")
            and path.name != "Makefile"
        ):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for word in outside:
            assert word not in text, f"{name} refers to {word!r}, outside the repository"
