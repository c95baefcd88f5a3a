"""Contract of 00_claims_and_timeline: parameters, recorded results, clear errors.

Expected values are recomputed here from the CSV files with the standard library, independently
of alliancelib's code paths.
"""

from __future__ import annotations

import csv
from pathlib import Path

import papermill as pm
import pytest
from helpers import assert_parameters_match, ecb_rate_from_csv

from alliancelib import notebooks as nbs
from alliancelib.claims import ClaimsParams
from alliancelib.paths import DATA_DIR, NOTEBOOKS_DIR
from alliancelib.results import read_results

NB = NOTEBOOKS_DIR / "00_claims_and_timeline.ipynb"
pytestmark = pytest.mark.slow


def expected(reference_date: str, tolerance_pct: float) -> dict[str, float]:
    claims = list(csv.DictReader((DATA_DIR / "claims.csv").open(encoding="utf-8")))
    rate = ecb_rate_from_csv("USD", reference_date)
    statuses = []
    for c in claims:
        if c["check"] == "fx_eur_usd":
            implied = float(c["value"]) / float(c["base_value"])
            ok = abs(implied - rate) / rate * 100 <= tolerance_pct
            statuses.append("corroborated" if ok else "contradicted")
        else:
            statuses.append(c["status"])
    return {
        "claims_total": len(claims),
        "claims_corroborated": statuses.count("corroborated"),
        "claims_contradicted": statuses.count("contradicted"),
        "claims_unverified": statuses.count("unverified"),
        "article_implied_eur_usd_twingo": 21639 / 20000,
        "article_implied_eur_usd_ampere": 649 / 600,
    }


def run(tmp_path: Path, **params: object) -> dict[str, dict]:
    out = tmp_path / "out.ipynb"
    # cwd is a foreign folder: data paths must come from the package
    pm.execute_notebook(str(NB), str(out), parameters=params, kernel_name="python3",
                        cwd=str(tmp_path), progress_bar=False)
    return read_results(out)


def check(results: dict[str, dict], want: dict[str, float]) -> None:
    assert set(results) == set(want)
    for name, value in want.items():
        assert results[name]["value"] == pytest.approx(value, rel=1e-9), name


def test_defaults(tmp_path: Path) -> None:
    results = run(tmp_path)
    check(results, expected("2025-03-31", 0.1))
    assert results["claims_contradicted"]["value"] == 0
    assert results["article_implied_eur_usd_twingo"]["unit"] == "USD per EUR"


def test_tight_tolerance_contradicts_both_conversions(tmp_path: Path) -> None:
    results = run(tmp_path, fx_tolerance_pct=0.01)
    check(results, expected("2025-03-31", 0.01))
    default = expected("2025-03-31", 0.1)
    assert results["claims_contradicted"]["value"] == default["claims_contradicted"] + 2
    assert results["claims_corroborated"]["value"] == default["claims_corroborated"] - 2


def test_another_reference_date_on_a_weekend(tmp_path: Path) -> None:
    # 2024-06-01 is a Saturday: the fixing of Friday 2024-05-31 (1.0848) applies
    results = run(tmp_path, reference_date="2024-06-01", fx_tolerance_pct=0.2)
    check(results, expected("2024-06-01", 0.2))


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"reference_date": "2023-01-15"},
         "parameter reference_date = '2023-01-15' is not allowed: a date written YYYY-MM-DD "
         "from 2023-02-01 to 2026-08-21 (ECB USD fixings held)"),
        ({"reference_date": "2025-02-30"}, "parameter reference_date = '2025-02-30'"),
        ({"fx_tolerance_pct": -0.5},
         "parameter fx_tolerance_pct = -0.5 is not allowed: a finite number >= 0 and <= 100"),
        ({"fx_tolerance_pct": "wide"}, "parameter fx_tolerance_pct = 'wide' is not allowed"),
    ],
)
def test_bad_values_stop_with_a_clear_message(tmp_path: Path, params: dict,
                                              message: str) -> None:
    with pytest.raises(pm.PapermillExecutionError) as info:
        run(tmp_path, **params)
    assert info.value.ename == "ParameterError"
    assert info.value.evalue.startswith("00_claims_and_timeline: ")
    assert message in info.value.evalue


def test_parameters_cell_matches_the_validated_contract() -> None:
    assert_parameters_match("00_claims_and_timeline", ClaimsParams)
    assert list(nbs.declared_parameters(NB)) == ["reference_date", "fx_tolerance_pct"]
