"""The schema (data/datapackage.json) is complete, follows the naming rules and is what the
data README documents."""

from __future__ import annotations

import csv

from alliancelib import data
from alliancelib.paths import DATA_DIR, ROOT

UNIT_SUFFIXES = ("_pct", "_eur", "_eur_m", "_units", "_kwh", "_km", "_usd_per_kwh")


def test_every_table_has_a_documented_schema() -> None:
    desc = data.descriptor()
    assert desc["profile"] == "tabular-data-package"
    for res in desc["resources"]:
        assert (DATA_DIR / res["path"]).exists()
        assert res["description"] and res["title"]
        for f in res["schema"]["fields"]:
            assert f.get("description"), f"{res['name']}.{f['name']} has no description"
        with (DATA_DIR / res["path"]).open(encoding="utf-8") as fh:
            header = next(csv.reader(fh))
        assert header == [f["name"] for f in res["schema"]["fields"]], res["name"]


def test_fact_tables_carry_basis_and_source() -> None:
    for res in data.descriptor()["resources"]:
        names = {f["name"] for f in res["schema"]["fields"]}
        if res["name"] == "sources":
            continue
        assert "source_id" in names or "source_ids" in names, res["name"]
        if res["name"] != "claims":
            assert "basis" in names, res["name"]


def test_percent_columns_are_bounded_and_unit_named() -> None:
    for res in data.descriptor()["resources"]:
        for f in res["schema"]["fields"]:
            if f["name"].endswith("_pct"):
                c = f["constraints"]
                assert (c["minimum"], c["maximum"]) == (0, 100), f["name"]
                assert f["unit"] == "%"
            if f.get("unit") and f["unit"] not in ("currency/EUR",):
                assert f["name"].endswith(UNIT_SUFFIXES), f"{f['name']} hides its unit"


def test_data_readme_documents_every_column() -> None:
    readme = (DATA_DIR / "README.md").read_text(encoding="utf-8")
    for res in data.descriptor()["resources"]:
        assert f"### `{res['path']}`" in readme, res["path"]
        for f in res["schema"]["fields"]:
            assert f"| `{f['name']}` |" in readme, f"{res['name']}.{f['name']}"


def test_research_rates_copied_verbatim() -> None:
    research = ROOT.parent / "shared" / "research" / "ecb_eurofxref_2023_2026.csv"
    if not research.exists():  # the shared folder sits beside the checkout in CI
        import pytest

        pytest.skip("shared/research not beside this checkout")
    ours = [r[:3] for r in csv.reader((DATA_DIR / "fx_rates.csv").open())]
    theirs = list(csv.reader(research.open()))
    assert ours == theirs
