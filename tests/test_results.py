"""Recorded results are readable from the notebook JSON alone."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from alliancelib.results import RESULT_MIME, read_results, result_bundle


def test_bundle_has_the_contract_and_readable_forms() -> None:
    b = result_bundle("tco_gap_eur", 1234.5678, "EUR")
    assert b[RESULT_MIME] == {"name": "tco_gap_eur", "value": 1234.5678, "unit": "EUR"}
    assert b["text/plain"] == "tco_gap_eur = 1,234.57 EUR"
    assert "<strong>1,234.57 EUR</strong>" in b["text/html"]


def test_bad_results_are_refused() -> None:
    with pytest.raises(ValueError, match="identifier"):
        result_bundle("tco gap", 1, "EUR")
    with pytest.raises(ValueError, match="finite"):
        result_bundle("x", float("inf"), "EUR")
    assert result_bundle("breakeven_annual_km", None, "km/yr")[RESULT_MIME]["value"] is None


def test_read_results_from_json_without_the_project(tmp_path: Path) -> None:
    nb = {"cells": [{"cell_type": "code", "outputs": [
        {"output_type": "display_data", "data": result_bundle("a_pct", 12.5, "%"), "metadata": {}},
        {"output_type": "stream", "name": "stdout", "text": "hi"},
    ]}, {"cell_type": "markdown", "source": "x"}]}
    path = tmp_path / "x.ipynb"
    path.write_text(json.dumps(nb))
    assert read_results(path) == {"a_pct": {"name": "a_pct", "value": 12.5, "unit": "%"}}
    # any tool can do it with the standard library only, as the brief promises
    code = (
        "import json,sys; nb=json.load(open(sys.argv[1])); "
        f"print([o['data']['{RESULT_MIME}'] for c in nb['cells'] for o in c.get('outputs', []) "
        f"if '{RESULT_MIME}' in o.get('data', {{}})])"
    )
    out = subprocess.run([sys.executable, "-I", "-c", code, str(path)], capture_output=True,
                         text=True, check=True).stdout
    assert "'a_pct'" in out
