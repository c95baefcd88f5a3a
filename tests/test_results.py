"""Recorded results: readable from the notebook JSON alone, shown to readers as one formatted table
with plain labels (never the code name), values rounded with their unit written once."""

from __future__ import annotations

import json
import subprocess
import sys
import types
from pathlib import Path

import pytest

from alliancelib import results as res
from alliancelib.results import (
    RESULT_MIME,
    Result,
    ResultSpec,
    format_quantity,
    make_results,
    read_results,
    result_bundle,
)


@pytest.mark.parametrize(
    ("value", "unit", "decimals", "shown"),
    [
        (35.714286, "%", 2, "35.71%"),
        (679.27, "EUR m", 0, "EUR 679m"),
        (3.0812, "EUR bn", 1, "EUR 3.1bn"),
        (21630.4, "USD", 0, "USD 21,630"),
        (96.96, "JPY bn", 1, "JPY 97.0bn"),
        (649.3, "USD m", 0, "USD 649m"),
        (-634.2, "EUR", 0, "−EUR 634"),
        (-0.2, "EUR", 0, "EUR 0"),  # no "minus zero"
        (233000, "vehicles/yr", None, "233,000 vehicles a year"),
        (1, "vehicles a year", None, "1 vehicle a year"),
        (10018.8, "km/yr", 0, "10,019 km a year"),
        (2, "rank of 7", None, "2nd of 7"),
        (4, "rank", None, "4th"),
        (1.0815, "USD per EUR", 4, "USD 1.0815 per EUR"),
        (81, "USD/kWh", 0, "USD 81 per kWh"),
        (9.5636, "km/kWh", 1, "9.6 km per kWh"),
        (17, "claims", None, "17 claims"),
        (1, "claims", None, "1 claim"),
        (4, "models", None, "4 models"),
        (5.0, "pp", 1, "5.0 percentage points"),
        (5.555556, "%", None, "5.56%"),  # no decimals given: about three significant digits
        (None, "km/yr", None, "none"),
    ],
)
def test_values_read_as_a_reader_writes_them(value, unit, decimals, shown) -> None:
    assert format_quantity(value, unit, decimals) == shown


def test_the_record_keeps_the_contract_and_gains_label_and_range() -> None:
    plain = result_bundle(Result("tco_gap_eur", -634.1234567891234, "EUR", "Five-year cost gap", 0))
    assert plain[RESULT_MIME] == {
        "name": "tco_gap_eur",
        "value": -634.123456789,
        "unit": "EUR",
        "label": "Five-year cost gap",
    }  # 12 significant digits
    ranged = result_bundle(Result("a_pct", 3.1, "%", "Share of A", 1, low=3.0, high=3.2))
    assert ranged[RESULT_MIME] == {
        "name": "a_pct",
        "value": 3.1,
        "unit": "%",
        "label": "Share of A",
        "low": 3.0,
        "high": 3.2,
    }
    assert ranged["text/plain"] == "Share of A: 3.1% (range 3.0–3.2)"
    assert ">3.0–3.2</span>" in ranged["text/html"]  # the column header says it is a range


def test_readable_forms_never_show_the_code_name() -> None:
    for r in (
        Result(
            "look_through_renault_holders_in_mmc_pct",
            8.99888,
            "%",
            "Renault's outside holders' share of Mitsubishi Motors",
            1,
        ),
        Result(
            "breakeven_annual_km",
            None,
            "km/yr",
            "Distance a year at which the costs match",
            0,
            note="no break-even: the electric car is cheaper at any distance",
        ),
    ):
        b = result_bundle(r)
        assert r.name not in b["text/plain"] and r.name not in b["text/html"]
        assert not res.CODE_WORD.search(b["text/plain"])
    assert result_bundle(Result("x_pct", 8.99888, "%", "Share", 1))["text/plain"] == "Share: 9.0%"


def test_bad_results_are_refused() -> None:
    with pytest.raises(ValueError, match="identifier"):
        Result("tco gap", 1, "EUR", "Gap")
    with pytest.raises(ValueError, match="finite"):
        Result("x", float("inf"), "EUR", "Gap")
    with pytest.raises(ValueError, match="reads like code"):
        Result("x_eur", 1, "EUR", "the x_eur value")
    with pytest.raises(ValueError, match="plain words"):
        Result("x_eur", 1, "EUR", " ")
    with pytest.raises(ValueError, match="both low and high"):
        Result("x_eur", 1, "EUR", "X", low=1.0)
    with pytest.raises(ValueError, match="low <= high"):
        Result("x_eur", 1, "EUR", "X", low=2.0, high=1.0)
    with pytest.raises(KeyError, match="b_eur"):
        make_results([ResultSpec("b_eur", "EUR", "B", 0)], {})
    assert Result("breakeven_annual_km", None, "km/yr", "Break-even distance").record()["value"] is None


def test_old_call_form_still_works_and_takes_its_label_from_the_module(monkeypatch) -> None:
    monkeypatch.setattr("alliancelib.notebooks.PARAMS", {})  # no module declares it: the name stays
    old = result_bundle("claims_total", 17, "claims")
    assert old[RESULT_MIME] == {"name": "claims_total", "value": 17, "unit": "claims"}
    assert old["text/plain"] == "claims_total: 17 claims"
    module = types.ModuleType("fake_topic")
    module.RESULTS = [ResultSpec("claims_total", "claims", "Claims checked", 0)]
    monkeypatch.setitem(sys.modules, "fake_topic", module)
    monkeypatch.setattr("alliancelib.notebooks.PARAMS", {"99_fake": "fake_topic:FakeParams"})
    new = result_bundle("claims_total", 17, "claims")
    assert new[RESULT_MIME]["label"] == "Claims checked"
    assert new["text/plain"] == "Claims checked: 17 claims"


def test_show_results_is_a_header_then_one_record_per_row(monkeypatch) -> None:
    shown: list[dict] = []
    monkeypatch.setattr("IPython.display.display", lambda bundle, raw=False: shown.append(bundle))
    specs = [ResultSpec("a_pct", "%", "Share of A", 1), ResultSpec("b_eur_m", "EUR m", "Cost of B", 0)]
    res.show_results(make_results(specs, {"a_pct": 3.14159, "b_eur_m": 679.27}, ranges={"a_pct": (3.0, 3.2)}))
    assert [RESULT_MIME in b for b in shown] == [False, True, True]
    assert shown[0]["text/plain"].startswith("Result | Value | Across the stated ranges")
    # every row uses the same column template, so the separate outputs line up as one table
    templates = {b["text/html"].split("grid-template-columns:")[1].split('"')[0] for b in shown}
    assert len(templates) == 1
    assert [b["text/plain"] for b in shown[1:]] == ["Share of A: 3.1% (range 3.0–3.2)", "Cost of B: EUR 679m"]
    shown.clear()
    res.show_results({"b_eur_m": specs[1].result(1200)})  # a dict by name works too
    assert shown[1]["text/plain"] == "Cost of B: EUR 1,200m" and shown[0]["text/plain"] == "Result | Value"
    with pytest.raises(TypeError, match="Result objects"):
        res.show_results([("a_pct", 1.0)])


def test_read_results_from_json_without_the_project(tmp_path: Path) -> None:
    old_style = {
        "output_type": "display_data",
        "metadata": {},
        "data": {
            RESULT_MIME: {"name": "old_pct", "value": 1.5, "unit": "%"},
            "text/plain": "old_pct = 1.5 %",
        },
    }
    nb = {
        "cells": [
            {
                "cell_type": "code",
                "outputs": [
                    {
                        "output_type": "display_data",
                        "data": result_bundle(Result("a_pct", 12.5, "%", "A", low=12.0, high=13.0)),
                        "metadata": {},
                    },
                    {"output_type": "stream", "name": "stdout", "text": "hi"},
                    old_style,
                ],
            },
            {"cell_type": "markdown", "source": "x"},
        ]
    }
    path = tmp_path / "x.ipynb"
    path.write_text(json.dumps(nb))
    assert read_results(path) == {
        "a_pct": {"name": "a_pct", "value": 12.5, "unit": "%", "label": "A", "low": 12.0, "high": 13.0},
        "old_pct": {"name": "old_pct", "value": 1.5, "unit": "%"},
    }
    # any tool can do it with the standard library only, as the brief promises
    code = (
        "import json,sys; nb=json.load(open(sys.argv[1])); "
        f"print([o['data']['{RESULT_MIME}'] for c in nb['cells'] for o in c.get('outputs', []) "
        f"if '{RESULT_MIME}' in o.get('data', {{}})])"
    )
    out = subprocess.run(
        [sys.executable, "-I", "-c", code, str(path)], capture_output=True, text=True, check=True
    ).stdout
    assert "'a_pct'" in out
