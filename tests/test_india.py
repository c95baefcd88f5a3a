"""India: the plant scenario functions and the notebook's contract."""

from __future__ import annotations

import math
from pathlib import Path

import papermill as pm
import pytest
from helpers import assert_refused, run_notebook
from hypothesis import given
from hypothesis import strategies as st

from alliancelib import data, india

NB = "02_india_transfer"


def test_scenario_arithmetic_by_hand() -> None:
    assert india.utilisation_pct(133_000, 400_000) == 33.25
    assert india.volume_after(133_000, 4, 25_000) == 233_000
    assert india.attributable_units(233_000, 100) == 233_000
    # (0.8 x 400,000 - 133,000) / 25,000 = 7.48 -> 8 models
    assert india.models_to_target(133_000, 25_000, 400_000, 80) == 8
    assert india.models_to_target(120_000, 25_000, 400_000, 80) == 8  # exactly 200,000 / 25,000
    assert india.models_to_target(120_000, 0, 400_000, 80) is None
    assert india.stake_before_completion(data.load("rnaipl_ownership")) == 49


@given(base=st.integers(0, 500_000), per=st.integers(1, 100_000), target=st.floats(1, 100))
def test_models_to_target_is_the_smallest_that_reaches(base: int, per: int, target: float) -> None:
    capacity = 500_000
    n = india.models_to_target(base, per, capacity, target)
    assert n is not None and n >= 0
    reach = lambda k: india.utilisation_pct(base + k * per, capacity) >= target - 1e-9  # noqa: E731
    assert reach(n)
    assert n == 0 or not reach(n - 1)


def test_curve_is_vectorised_and_linear() -> None:
    c = india.utilisation_curve(133_000, 25_000, 400_000, 10)
    assert len(c) == 11 and c["utilisation_pct"].diff().dropna().round(9).nunique() == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"stake_acquired_pct": 60.0}, "stake_acquired_pct = 60.0 is not allowed: 0 to 51: Renault held 49%"),
        ({"capacity_units": 0}, "capacity_units = 0 is not allowed: a whole number >= 1"),
        ({"capacity_units": -400000}, "capacity_units = -400000 is not allowed"),
        ({"base_volume_units": -1}, "base_volume_units = -1 is not allowed: a whole number >= 0"),
        ({"units_per_new_model": -5}, "units_per_new_model = -5 is not allowed"),
        ({"target_utilisation_pct": 120.0}, "target_utilisation_pct = 120.0 is not allowed: a finite number > 0 and <= 100"),
        ({"base_volume_units": 500000}, "base_volume_units = 500000 is not allowed: 0 to capacity_units (400000)"),
        ({"new_models": 2.5}, "new_models = 2.5 is not allowed: a whole number"),
    ],
)
def test_bad_parameters(change: dict, message: str) -> None:
    assert_refused(india, change, message)


def expected(capacity: float, base: float, n: int, per: float, acquired: float, target: float) -> dict:
    after_stake = 49 + acquired
    vol = base + n * per
    need = target / 100 * capacity - base
    to_target = 0 if need <= 0 else (None if per == 0 else math.ceil(need / per))
    return {
        "renault_stake_after_pct": after_stake,
        "utilisation_before_pct": base / capacity * 100,
        "utilisation_after_pct": vol / capacity * 100,
        "renault_attributable_units_before": base * 0.49,
        "renault_attributable_units_after": vol * after_stake / 100,
        "spare_capacity_units": capacity - vol,
        "new_models_to_target": to_target,
    }


def check(results: dict, want: dict) -> None:
    assert set(results) == set(want)
    for k, v in want.items():
        got = results[k]["value"]
        assert (got is None) if v is None else got == pytest.approx(v, rel=1e-9), k


@pytest.mark.slow
def test_notebook_defaults(tmp_path: Path) -> None:
    results = run_notebook(NB, tmp_path)
    check(results, expected(400_000, 133_000, 4, 25_000, 51, 80))
    assert results["new_models_to_target"]["value"] == 8


@pytest.mark.slow
def test_notebook_with_the_other_capacity_and_a_partial_purchase(tmp_path: Path) -> None:
    results = run_notebook(NB, tmp_path, capacity_units=480000, base_volume_units=192000,
                           new_models=2, units_per_new_model=30000, stake_acquired_pct=20.0,
                           target_utilisation_pct=90.0)
    check(results, expected(480_000, 192_000, 2, 30_000, 20, 90))


@pytest.mark.slow
def test_notebook_rejects_a_stake_above_100(tmp_path: Path) -> None:
    with pytest.raises(pm.PapermillExecutionError) as info:
        run_notebook(NB, tmp_path, stake_acquired_pct=52.0)
    assert info.value.evalue.startswith(f"{NB}: parameter stake_acquired_pct = 52.0 is not allowed")
