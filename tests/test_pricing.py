"""EV pricing: TCO formula, closed-form break-even, segment ranking, and the notebook contract
to the cent (the brief's formula re-implemented here as a plain loop)."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import papermill as pm
import pytest
from helpers import assert_refused, ecb_rate_from_csv, run_notebook
from hypothesis import given, settings
from hypothesis import strategies as st

from alliancelib import data, pricing
from alliancelib.params import defaults
from alliancelib.paths import DATA_DIR

NB = "03_ev_pricing"
DEFAULTS = defaults(pricing.PricingParams)


def tco_loop(price, incentive, years, km, r_pct, cons, energy, maint, residual):
    """The brief's TCO, term by term."""
    r = r_pct / 100
    total = price - incentive
    for t in range(1, years + 1):
        total += (km / 100 * cons * energy + maint) / (1 + r) ** t
    return total - price * residual / 100 / (1 + r) ** years


def test_tco_by_hand() -> None:
    # EV: 20000 + 5 x (120 x 14 x 0.25 + 300) - 8000 = 15600; petrol: 12990 + 5 x 1688 - 5196 = 16234
    ev = pricing.Car(20000, 0, 14, 0.25, 300, 40)
    ice = pricing.Car(12990, 0, 5.5, 1.8, 500, 40)
    assert float(ev.tco(5, 12000, 0)) == pytest.approx(15600)
    assert float(ice.tco(5, 12000, 0)) == pytest.approx(16234)
    assert pricing.breakeven_annual_km(ev, ice, 5, 0) == pytest.approx(3206 / 0.32)


@settings(max_examples=200, deadline=None)
@given(price=st.floats(5000, 60000), inc=st.floats(0, 5000), years=st.integers(1, 15),
       km=st.floats(0, 50000), r=st.floats(0, 15), cons=st.floats(1, 30), energy=st.floats(0, 3),
       maint=st.floats(0, 2000), res=st.floats(0, 100))
def test_vectorised_tco_equals_the_loop(price, inc, years, km, r, cons, energy, maint, res) -> None:
    got = float(pricing.tco_eur(price, inc, years, km, r, cons, energy, maint, res))
    assert got == pytest.approx(tco_loop(price, inc, years, km, r, cons, energy, maint, res),
                                rel=1e-9, abs=1e-6)


@settings(max_examples=200, deadline=None)
@given(ev_price=st.floats(10000, 40000), ice_price=st.floats(8000, 30000), years=st.integers(1, 12),
       r=st.floats(0, 10), ev_e=st.floats(0.05, 0.8), petrol=st.floats(0.5, 3))
def test_breakeven_is_where_the_gap_is_zero(ev_price, ice_price, years, r, ev_e, petrol) -> None:
    ev = pricing.Car(ev_price, 0, 15, ev_e, 300, 40)
    ice = pricing.Car(ice_price, 0, 6, petrol, 500, 40)
    km = pricing.breakeven_annual_km(ev, ice, years, r)
    gap = lambda d: float(pricing.tco_gap_eur(ev, ice, years, d, r))  # noqa: E731
    if km is None:
        assert gap(0) > 0 and gap(1e6) > 0
    elif km == 0:
        assert gap(0) <= 1e-6
    else:
        assert gap(km) == pytest.approx(0, abs=1e-5)
        assert gap(km * 0.99) > 0 > gap(km * 1.01)


def test_a_grid_of_a_million_scenarios_in_one_call() -> None:
    km = np.linspace(0, 40000, 1000)[None, :]
    power = np.linspace(0.05, 0.8, 1000)[:, None]
    out = pricing.tco_eur(20000, 0, 5, km, 0, 14, power, 300, 40)
    assert out.shape == (1000, 1000)
    assert out[0, 0] == pytest.approx(tco_loop(20000, 0, 5, 0, 0, 14, 0.05, 300, 40))


def test_segment_rank_and_ratios() -> None:
    seg = pricing.segment(data.load("car_models"), "FR", 20000, 27.5, 263)
    # FR EVs under 20000: Spring 16900, T03 18900, e-C3 Urban 19990 -> the Twingo is 4th
    assert pricing.twingo_rank(seg) == 4
    assert pricing.twingo_rank(pricing.segment(data.load("car_models"), "FR", 16900, 27.5, 263)) == 1
    twingo = seg[seg["model"].str.startswith(pricing.TWINGO)].iloc[0]
    assert twingo["price_per_kwh_eur"] == pytest.approx(20000 / 27.5)
    assert (seg["model"] == pricing.TWINGO).sum() == 0  # reported Twingo rows are not rivals


def test_sensitivity_moves_one_parameter_at_a_time() -> None:
    p = pricing.validate_params(**DEFAULTS)
    table = pricing.sensitivity(pricing.tornado_base(p), pricing.gap_of(p), pricing.TORNADO, 20)
    row = table.set_index("parameter").loc["twingo_price_eur"]
    # price -20%: EUR 4000 less to buy, EUR 1600 less resale -> gap falls by 2400
    assert row["low"] == pytest.approx(table.attrs["centre"] - 2400)
    assert len(table) == len(pricing.TORNADO)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"twingo_price_eur": 0.0}, "twingo_price_eur = 0.0 is not allowed: a finite number > 0"),
        ({"twingo_price_eur": -19490.0}, "twingo_price_eur = -19490.0 is not allowed"),
        ({"market": "UK"}, "market = 'UK' is not allowed: one of 'BE', 'DE', 'EU', 'FR', 'IT'"),
        ({"fx_date": "2023-01-31"}, "fx_date = '2023-01-31' is not allowed: a date written YYYY-MM-DD from 2023-02-01 to 2026-08-21"),
        ({"years": 0}, "years = 0 is not allowed: a whole number >= 1"),
        ({"annual_km": -100.0}, "annual_km = -100.0 is not allowed"),
        ({"petrol_eur_per_l": -1.8}, "petrol_eur_per_l = -1.8 is not allowed"),
        ({"eur_usd": 0.0}, "eur_usd = 0.0 is not allowed: None or a finite number > 0"),
        ({"incentive_eur": 25000.0}, "incentive_eur = 25000.0 is not allowed: 0 to twingo_price_eur (20000)"),
        ({"ev_residual_pct": 140.0}, "ev_residual_pct = 140.0 is not allowed"),
    ],
)
def test_bad_parameters(change: dict, message: str) -> None:
    assert_refused(pricing, change, message)


def expected(**over) -> dict:
    q = {**DEFAULTS, **over}
    rate = q["eur_usd"] or ecb_rate_from_csv("USD", q["fx_date"])
    ev = (q["twingo_price_eur"], q["incentive_eur"], q["years"], q["annual_km"], q["discount_rate_pct"],
          q["ev_kwh_per_100km"], q["electricity_eur_per_kwh"], q["ev_maintenance_eur_per_year"], q["ev_residual_pct"])
    ice = (q["ice_price_eur"], 0.0, q["years"], q["annual_km"], q["discount_rate_pct"],
           q["ice_l_per_100km"], q["petrol_eur_per_l"], q["ice_maintenance_eur_per_year"], q["ice_residual_pct"])
    prices = [float(r["price_eur"]) for r in csv.DictReader((DATA_DIR / "car_models.csv").open(encoding="utf-8"))
              if r["market"] == q["market"] and r["powertrain"] == "bev" and "Twingo" not in r["model"]]
    return {
        "eur_usd_used": rate,
        "twingo_price_usd": round(q["twingo_price_eur"] * rate),
        "price_per_kwh_eur": q["twingo_price_eur"] / q["battery_kwh"],
        "price_per_km_range_eur": q["twingo_price_eur"] / q["range_km"],
        "battery_cost_share_pct": q["battery_kwh"] * q["pack_usd_per_kwh"] / rate / q["twingo_price_eur"] * 100,
        "twingo_rank_in_market": 1 + sum(x < q["twingo_price_eur"] for x in prices),
        "tco_ev_eur": tco_loop(*ev),
        "tco_ice_eur": tco_loop(*ice),
        "tco_gap_eur": tco_loop(*ev) - tco_loop(*ice),
    }


def check(results: dict, want: dict) -> None:
    for k, v in want.items():
        got = results[k]["value"]
        if k.endswith("_eur"):
            assert abs(got - v) < 0.005, k  # to the cent
        else:
            assert got == pytest.approx(v, rel=1e-9), k


@pytest.mark.slow
def test_notebook_defaults(tmp_path: Path) -> None:
    results = run_notebook(NB, tmp_path)
    check(results, expected())
    assert results["breakeven_annual_km"]["value"] == pytest.approx(10018.75)
    assert results["twingo_price_usd"]["value"] == 21630


@pytest.mark.slow
def test_notebook_german_price_with_incentive_discounting_and_explicit_rate(tmp_path: Path) -> None:
    over = dict(twingo_price_eur=19990.0, market="DE", eur_usd=1.17, incentive_eur=3000.0,
                years=8, annual_km=15000.0, discount_rate_pct=4.0, electricity_eur_per_kwh=0.35,
                ev_residual_pct=30.0)
    results = run_notebook(NB, tmp_path, **over)
    check(results, expected(**over))
    ev = pricing.Car(19990, 3000, 14, 0.35, 300, 30)
    ice = pricing.Car(12990, 0, 5.5, 1.8, 500, 40)
    km = results["breakeven_annual_km"]["value"]
    assert km == pytest.approx(pricing.breakeven_annual_km(ev, ice, 8, 4.0))
    assert abs(tco_loop(19990, 3000, 8, km, 4, 14, 0.35, 300, 30) - tco_loop(12990, 0, 8, km, 4, 5.5, 1.8, 500, 40)) < 1e-6


@pytest.mark.slow
def test_notebook_never_breaks_even_with_free_petrol(tmp_path: Path) -> None:
    results = run_notebook(NB, tmp_path, petrol_eur_per_l=0.0, fx_date="2024-06-01")
    check(results, expected(petrol_eur_per_l=0.0, fx_date="2024-06-01"))
    assert results["breakeven_annual_km"]["value"] is None


@pytest.mark.slow
def test_notebook_rejects_an_unknown_market(tmp_path: Path) -> None:
    with pytest.raises(pm.PapermillExecutionError) as info:
        run_notebook(NB, tmp_path, market="US")
    assert info.value.evalue.startswith(f"{NB}: parameter market = 'US' is not allowed")
