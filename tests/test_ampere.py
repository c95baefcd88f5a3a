"""Ampere: stake arithmetic and the notebook's contract."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import papermill as pm
import pytest
from helpers import assert_refused, ecb_rate_from_csv, run_notebook
from hypothesis import given
from hypothesis import strategies as st

from alliancelib import ampere
from alliancelib.params import defaults

NB = "04_ampere_investment"
DEFAULTS = defaults(ampere.AmpereParams)


def test_by_hand() -> None:
    post = ampere.post_money_eur_bn(10, 600, 200)
    assert post == pytest.approx(10.8)
    assert ampere.implied_stake_pct(600, post) == pytest.approx(600 / 10800 * 100)
    assert ampere.existing_holder_stake_pct(10, post) == pytest.approx(10 / 10.8 * 100)
    assert ampere.valuation_for_stake_eur_bn(600, 15) == pytest.approx(4.0)


@given(pre=st.floats(0.1, 100), n=st.floats(0, 5000), m=st.floats(0, 5000))
def test_stakes_add_up_to_100(pre: float, n: float, m: float) -> None:
    t = ampere.stake_table(np.array([pre]), n, m).iloc[0]
    assert t["nissan_pct"] + t["mitsubishi_pct"] + t["renault_pct"] == pytest.approx(100)


@given(c=st.floats(1, 5000), cap=st.floats(0.1, 100))
def test_the_cap_valuation_buys_exactly_the_cap(c: float, cap: float) -> None:
    assert ampere.implied_stake_pct(c, ampere.valuation_for_stake_eur_bn(c, cap)) == pytest.approx(cap)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"pre_money_eur_bn": 0.0}, "pre_money_eur_bn = 0.0 is not allowed: a finite number > 0"),
        ({"pre_money_eur_bn": -4.0}, "pre_money_eur_bn = -4.0 is not allowed"),
        ({"nissan_commitment_eur_m": -600.0}, "nissan_commitment_eur_m = -600.0 is not allowed: a finite number >= 0"),
        ({"mitsubishi_commitment_eur_m": -1.0}, "mitsubishi_commitment_eur_m = -1.0 is not allowed"),
        ({"nissan_stake_cap_pct": 0.0}, "nissan_stake_cap_pct = 0.0 is not allowed: a finite number > 0 and <= 100"),
        ({"nissan_stake_cap_pct": 101.0}, "nissan_stake_cap_pct = 101.0 is not allowed"),
        ({"fx_date": "2022-12-30"}, "fx_date = '2022-12-30' is not allowed: a date written YYYY-MM-DD from 2023-02-01"),
        ({"eur_jpy": -160.0}, "eur_jpy = -160.0 is not allowed: None or a finite number > 0"),
    ],
)
def test_bad_parameters(change: dict, message: str) -> None:
    assert_refused(ampere, change, message)


def expected(**over) -> dict:
    q = {**DEFAULTS, **over}
    usd = q["eur_usd"] or ecb_rate_from_csv("USD", q["fx_date"])
    jpy = q["eur_jpy"] or ecb_rate_from_csv("JPY", q["fx_date"])
    post = q["pre_money_eur_bn"] + (q["nissan_commitment_eur_m"] + q["mitsubishi_commitment_eur_m"]) / 1000
    return {
        "nissan_commitment_usd_m": q["nissan_commitment_eur_m"] * usd,
        "nissan_commitment_jpy_bn": q["nissan_commitment_eur_m"] * jpy / 1000,
        "post_money_eur_bn": post,
        "nissan_implied_stake_pct": q["nissan_commitment_eur_m"] / 1000 / post * 100,
        "mitsubishi_implied_stake_pct": q["mitsubishi_commitment_eur_m"] / 1000 / post * 100,
        "renault_stake_after_round_pct": q["pre_money_eur_bn"] / post * 100,
        "valuation_implied_by_stake_cap_eur_bn": q["nissan_commitment_eur_m"] / 1000 / (q["nissan_stake_cap_pct"] / 100),
        "cancelled_commitments_eur_m": q["nissan_commitment_eur_m"] + q["mitsubishi_commitment_eur_m"],
    }


def check(results: dict, want: dict) -> None:
    assert set(results) == set(want)
    for k, v in want.items():
        assert results[k]["value"] == pytest.approx(v, rel=1e-9), k


@pytest.mark.slow
def test_notebook_defaults(tmp_path: Path) -> None:
    results = run_notebook(NB, tmp_path)
    check(results, expected())
    assert results["nissan_commitment_usd_m"]["value"] == pytest.approx(648.9)
    assert results["valuation_implied_by_stake_cap_eur_bn"]["value"] == pytest.approx(4.0)


@pytest.mark.slow
def test_notebook_low_valuation_explicit_rates(tmp_path: Path) -> None:
    over = dict(pre_money_eur_bn=4.0, nissan_commitment_eur_m=500.0, mitsubishi_commitment_eur_m=0.0,
                nissan_stake_cap_pct=12.5, eur_usd=1.1, eur_jpy=170.0, fx_date="2024-01-29")
    check(run_notebook(NB, tmp_path, **over), expected(**over))


@pytest.mark.slow
def test_notebook_rejects_a_zero_cap(tmp_path: Path) -> None:
    with pytest.raises(pm.PapermillExecutionError) as info:
        run_notebook(NB, tmp_path, nissan_stake_cap_pct=0.0)
    assert info.value.evalue.startswith(f"{NB}: parameter nissan_stake_cap_pct = 0.0 is not allowed")
