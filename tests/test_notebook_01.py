"""Contract of 01_ownership: recorded results follow the brief's formulas."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import papermill as pm
import pytest
from helpers import assert_parameters_match, run_notebook

from alliancelib.ownership import OwnershipParams
from alliancelib.paths import DATA_DIR

NB = "01_ownership"
pytestmark = pytest.mark.slow
RENAULT_SHARES = 295_722_284


def rows_at(as_of: str) -> list[dict]:
    rows = list(csv.DictReader((DATA_DIR / "shareholdings.csv").open(encoding="utf-8")))
    latest: dict[tuple, dict] = {}
    for r in sorted(rows, key=lambda r: r["as_of"]):
        if r["as_of"] <= as_of:
            latest[(r["holder"], r["company"], r["holding"])] = r
    return list(latest.values())


def expected(as_of: str, points: float, buyer: str, price: float) -> dict[str, float | None]:
    rows = rows_at(as_of)
    econ = lambda h, c: sum(float(r["economic_pct"]) for r in rows if (r["holder"], r["company"]) == (h, c))  # noqa: E731
    votes = [float(r["voting_exercisable_pct"]) for r in rows
             if (r["holder"], r["company"]) == ("Renault", "Nissan") and r["voting_exercisable_pct"]]
    nissan_before = econ("Nissan", "Renault")
    s = points / 100
    nissan_after = (nissan_before - points) / (1 - s) if buyer == "renault" else nissan_before - points
    names = ["Renault", "Nissan", "Mitsubishi Motors"]
    w = np.array([[econ(h, c) / 100 for c in names] for h in names])
    w[1, 0] = nissan_after / 100
    inv = np.linalg.inv(np.eye(3) - w)
    integrated = inv @ w
    outside = 1 - w.sum(axis=0)
    return {
        "renault_in_nissan_economic_pct": econ("Renault", "Nissan"),
        "renault_in_nissan_voting_pct": sum(votes) if votes else None,
        "nissan_in_renault_before_pct": nissan_before,
        "nissan_in_renault_after_pct": nissan_after,
        "sale_proceeds_eur_m": points / 100 * RENAULT_SHARES * price / 1e6,
        "integrated_renault_in_nissan_pct": integrated[0, 1] * 100,
        "look_through_renault_holders_in_nissan_pct": outside[0] * inv[0, 1] * 100,
        "look_through_renault_holders_in_mmc_pct": outside[0] * inv[0, 2] * 100,
    }


def check(results: dict, want: dict) -> None:
    assert set(results) == set(want)
    for k, v in want.items():
        got = results[k]["value"]
        assert (got is None) if v is None else got == pytest.approx(v, rel=1e-9), k


def test_defaults(tmp_path: Path) -> None:
    results = run_notebook(NB, tmp_path)
    check(results, expected("2025-03-31", 5.0, "third_party", 45.94))
    assert results["renault_in_nissan_economic_pct"]["value"] == pytest.approx(35.71)
    assert results["sale_proceeds_eur_m"]["value"] == pytest.approx(679.27, abs=0.01)


def test_buyback_of_three_points_at_50(tmp_path: Path) -> None:
    results = run_notebook(NB, tmp_path, nissan_sells_renault_pct=3, buyer="renault",
                           renault_share_price_eur=50)
    check(results, expected("2025-03-31", 3.0, "renault", 50.0))
    assert results["nissan_in_renault_after_pct"]["value"] == pytest.approx(12 / 0.97)


def test_snapshot_after_the_first_trust_sale(tmp_path: Path) -> None:
    results = run_notebook(NB, tmp_path, as_of="2024-01-31", nissan_sells_renault_pct=0.0,
                           lockup_threshold_pct=15.0)
    check(results, expected("2024-01-31", 0.0, "third_party", 45.94))
    assert results["renault_in_nissan_economic_pct"]["value"] == pytest.approx(15.79 + 24.63)


def test_bad_sale_fails_with_the_clear_message(tmp_path: Path) -> None:
    with pytest.raises(pm.PapermillExecutionError) as info:
        run_notebook(NB, tmp_path, nissan_sells_renault_pct=7.5)
    assert info.value.ename == "ParameterError"
    assert info.value.evalue.startswith("01_ownership: parameter nissan_sells_renault_pct = 7.5 "
                                        "is not allowed: 0 to 5 points")


def test_parameters_cell_matches_the_contract() -> None:
    assert_parameters_match(NB, OwnershipParams)
    assert pd.notna(OwnershipParams.__dataclass_fields__["buyer"].default)
