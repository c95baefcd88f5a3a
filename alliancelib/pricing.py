"""EV pricing: the Twingo against its segment, its battery's cost share, and total cost of
ownership (TCO) against a petrol car.

TCO (EUR), as the brief defines it, with ``r = discount_rate_pct / 100``::

    price - incentive
    + sum over t = 1..years of (annual_km / 100 x consumption x energy price + maintenance) / (1 + r)^t
    - price x residual_pct / 100 / (1 + r)^years

:func:`tco_eur` evaluates it for arrays of scenarios at once (numpy broadcasting); the gap is
linear in ``annual_km``, so the break-even distance has a closed form (:func:`breakeven_annual_km`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from alliancelib import fx
from alliancelib.errors import ParameterError
from alliancelib.params import Choice, Integer, IsoDate, Number, Optional, param, validate

NOTEBOOK = "03_ev_pricing"
TWINGO = "Renault Twingo E-Tech electric"

ArrayLike = float | np.ndarray


def annuity_factor(years: ArrayLike, rate: ArrayLike) -> np.ndarray:
    """``sum_{t=1..years} 1/(1+r)^t`` (= ``years`` when r = 0), element-wise.

    >>> float(annuity_factor(5, 0.0)), round(float(annuity_factor(2, 0.1)), 6)
    (5.0, 1.735537)
    """
    years = np.asarray(years, dtype=float)
    rate = np.asarray(rate, dtype=float)
    safe = np.where(rate == 0, 1.0, rate)
    # -expm1(-n log1p(r)) / r is (1 - (1+r)^-n) / r without cancellation for tiny r
    return np.where(rate == 0, years, -np.expm1(-years * np.log1p(safe)) / safe)


def tco_eur(price_eur: ArrayLike, incentive_eur: ArrayLike, years: ArrayLike, annual_km: ArrayLike,
            discount_rate_pct: ArrayLike, consumption_per_100km: ArrayLike,
            energy_eur_per_unit: ArrayLike, maintenance_eur_per_year: ArrayLike,
            residual_pct: ArrayLike) -> np.ndarray:
    """Total cost of ownership (EUR) over ``years``, broadcast over every argument.

    ``consumption_per_100km`` is kWh (EV) or litres (petrol) per 100 km and
    ``energy_eur_per_unit`` the price of a kWh or a litre.

    >>> float(tco_eur(20000, 0, 5, 12000, 0, 14, 0.25, 300, 40))   # 20000 + 5 x 720 - 8000
    15600.0
    >>> tco_eur(20000, 0, 5, np.array([0, 12000]), 0, 14, 0.25, 300, 40).tolist()
    [13500.0, 15600.0]
    """
    r = np.asarray(discount_rate_pct, dtype=float) / 100
    a = annuity_factor(years, r)
    running = np.asarray(annual_km) / 100 * consumption_per_100km * energy_eur_per_unit
    residual = np.asarray(price_eur) * np.asarray(residual_pct) / 100 / (1 + r) ** np.asarray(years)
    return np.asarray(price_eur - np.asarray(incentive_eur) + a * (running + maintenance_eur_per_year)
                      - residual, dtype=float)


def cumulative_cost_eur(price_eur: float, incentive_eur: float, years: int, annual_km: float,
                        discount_rate_pct: float, consumption_per_100km: float,
                        energy_eur_per_unit: float, maintenance_eur_per_year: float,
                        residual_pct: float) -> np.ndarray:
    """Cumulative discounted cost at the end of each year 0..years (EUR); the residual value is
    credited in the last year, so the last value equals :func:`tco_eur`."""
    r = discount_rate_pct / 100
    t = np.arange(years + 1)
    yearly = (annual_km / 100 * consumption_per_100km * energy_eur_per_unit
              + maintenance_eur_per_year) / (1 + r) ** t
    yearly[0] = price_eur - incentive_eur
    out = np.cumsum(yearly)
    out[-1] -= price_eur * residual_pct / 100 / (1 + r) ** years
    return out


@dataclass(frozen=True)
class Car:
    """One car's ownership inputs (price EUR, incentive EUR, consumption per 100 km, energy price
    EUR per kWh or litre, maintenance EUR a year, residual value % of price)."""

    price_eur: float
    incentive_eur: float
    consumption_per_100km: float
    energy_eur_per_unit: float
    maintenance_eur_per_year: float
    residual_pct: float

    def tco(self, years: ArrayLike, annual_km: ArrayLike, discount_rate_pct: ArrayLike
            ) -> np.ndarray:
        """This car's TCO (EUR)."""
        return tco_eur(self.price_eur, self.incentive_eur, years, annual_km, discount_rate_pct,
                       self.consumption_per_100km, self.energy_eur_per_unit,
                       self.maintenance_eur_per_year, self.residual_pct)


def tco_gap_eur(ev: Car, ice: Car, years: ArrayLike, annual_km: ArrayLike,
                discount_rate_pct: ArrayLike) -> np.ndarray:
    """EV TCO minus petrol TCO (EUR): negative means the EV is cheaper."""
    return ev.tco(years, annual_km, discount_rate_pct) - ice.tco(years, annual_km, discount_rate_pct)


def breakeven_annual_km(ev: Car, ice: Car, years: int, discount_rate_pct: float) -> float | None:
    """Smallest annual distance (km/yr) from which the EV's TCO is at most the petrol car's:
    0 if the EV is cheaper at any distance, None if it never catches up.

    The gap is ``a + b x annual_km`` with ``a`` the gap at 0 km and
    ``b = annuity x (EV kWh/100km x EUR/kWh - petrol l/100km x EUR/l) / 100``; the answer is
    ``-a / b`` when ``a > 0 > b``.

    >>> ev = Car(20000, 0, 14, 0.25, 300, 40)
    >>> ice = Car(12990, 0, 5.5, 1.80, 500, 40)
    >>> round(breakeven_annual_km(ev, ice, 5, 0.0), 2)    # 3206 / 0.32
    10018.75
    >>> breakeven_annual_km(ev, Car(12990, 0, 5.5, 0.0, 500, 40), 5, 0.0) is None
    True
    """
    a = float(tco_gap_eur(ev, ice, years, 0.0, discount_rate_pct))
    per_km = (ev.consumption_per_100km * ev.energy_eur_per_unit
              - ice.consumption_per_100km * ice.energy_eur_per_unit) / 100
    b = float(annuity_factor(years, discount_rate_pct / 100)) * per_km
    if a <= 0 and b <= 0:
        return 0.0
    if b >= 0:
        return 0.0 if a <= 0 else None
    return -a / b


# --------------------------------------------------------------------------- the segment


def segment(cars: pd.DataFrame, market: str, twingo_price_eur: float, battery_kwh: float,
            range_km: float) -> pd.DataFrame:
    """The EVs listed for ``market`` plus the Twingo at the price analysed, with price per kWh
    and per km of range, ranked by price (1 = cheapest; ties share a rank).

    Reported Twingo prices are left out here (they are compared separately): the Twingo row is
    the one this analysis prices.
    """
    rivals = cars[(cars["market"] == market) & (cars["powertrain"] == "bev")
                  & (cars["model"] != TWINGO)].copy()
    twingo = pd.DataFrame([{
        "model": f"{TWINGO} (this analysis)", "brand": "Renault", "market": market, "trim": "",
        "powertrain": "bev", "price_eur": float(twingo_price_eur), "price_kind": "parameter",
        "battery_kwh": float(battery_kwh), "chemistry": "LFP", "range_km": float(range_km),
        "as_of": "", "basis": "assumption", "source_id": "", "note": "",
    }])
    out = pd.concat([rivals, twingo], ignore_index=True)
    out["price_per_kwh_eur"] = out["price_eur"] / out["battery_kwh"]
    out["price_per_km_range_eur"] = out["price_eur"] / out["range_km"]
    out["rank"] = out["price_eur"].rank(method="min").astype(int)
    return out.sort_values(["rank", "model"]).reset_index(drop=True)


def twingo_rank(seg: pd.DataFrame) -> int:
    """Rank by price of the Twingo row of :func:`segment`."""
    return int(seg.loc[seg["model"].str.startswith(TWINGO), "rank"].iloc[0])


def battery_cost_share_pct(battery_kwh: float, pack_usd_per_kwh: float, eur_usd: float,
                           price_eur: float) -> float:
    """Battery pack cost as a share of the price: kWh x USD/kWh / (USD per EUR) / price x 100.

    >>> round(battery_cost_share_pct(27.5, 81, 1.0815, 20000), 3)
    10.298
    """
    return battery_kwh * pack_usd_per_kwh / eur_usd / price_eur * 100


def sensitivity(base: Mapping[str, float], evaluate: Any, names: Sequence[str],
                step_pct: float = 20.0) -> pd.DataFrame:
    """Tornado data: ``evaluate(**params)`` (vectorised) at each named parameter moved by
    -step and +step %, all scenarios in one call. Rows sorted by swing, largest first."""
    n = len(names)
    grid = {k: np.full(2 * n, float(v)) for k, v in base.items()}
    for i, name in enumerate(names):
        grid[name][2 * i] = base[name] * (1 - step_pct / 100)
        grid[name][2 * i + 1] = base[name] * (1 + step_pct / 100)
    values = np.asarray(evaluate(**grid), dtype=float)
    centre = float(evaluate(**{k: np.float64(v) for k, v in base.items()}))
    out = pd.DataFrame({"parameter": list(names), "low": values[0::2], "high": values[1::2]})
    out["swing"] = (out["high"] - out["low"]).abs()
    out.attrs["centre"] = centre
    return out.sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------- parameters


def _markets() -> tuple[str, ...]:
    from alliancelib.data import load

    cars = load("car_models")
    return tuple(sorted(cars.loc[cars["powertrain"] == "bev", "market"].unique()))


@dataclass(frozen=True)
class PricingParams:
    """Parameters of ``03_ev_pricing``."""

    twingo_price_eur: float = param(20000.0, Number(minimum=0, exclusive_minimum=True),
                                    "Twingo price analysed, EUR incl. VAT (the article: under 20000)")
    fx_date: str = param("2025-03-31",
                         IsoDate(bounds=lambda: _fx_bounds(), bounds_label=" (ECB USD fixings held)"),
                         "date of the ECB EUR/USD rate used (YYYY-MM-DD)")
    eur_usd: float | None = param(None, Optional(Number(minimum=0, exclusive_minimum=True)),
                                  "USD per EUR; None uses the ECB rate of fx_date")
    market: str = param("FR", Choice(("BE", "DE", "EU", "FR", "IT")),
                        "market whose EVs the Twingo is ranked against (BE, DE, EU, FR, IT)")
    battery_kwh: float = param(27.5, Number(minimum=0, exclusive_minimum=True),
                               "usable battery capacity, kWh")
    range_km: float = param(263.0, Number(minimum=0, exclusive_minimum=True), "WLTP range, km")
    pack_usd_per_kwh: float = param(81.0, Number(minimum=0),
                                    "battery pack price, USD/kWh (BNEF 2025 LFP average: 81)")
    incentive_eur: float = param(0.0, Number(minimum=0), "purchase incentive deducted, EUR")
    years: int = param(5, Integer(minimum=1, maximum=30), "years of ownership")
    annual_km: float = param(12000.0, Number(minimum=0, maximum=200000), "distance driven a year, km")
    discount_rate_pct: float = param(0.0, Number(minimum=0, maximum=50),
                                     "discount rate applied to future costs (%)")
    ev_kwh_per_100km: float = param(14.0, Number(minimum=0, exclusive_minimum=True),
                                    "assumption: EV consumption, kWh per 100 km")
    electricity_eur_per_kwh: float = param(0.25, Number(minimum=0),
                                           "assumption: electricity price, EUR per kWh")
    ice_price_eur: float = param(12990.0, Number(minimum=0, exclusive_minimum=True),
                                 "petrol car price, EUR (Dacia Sandero SCe 65)")
    ice_l_per_100km: float = param(5.5, Number(minimum=0, exclusive_minimum=True),
                                   "assumption: petrol consumption, litres per 100 km")
    petrol_eur_per_l: float = param(1.80, Number(minimum=0), "assumption: petrol price, EUR per litre")
    ev_maintenance_eur_per_year: float = param(300.0, Number(minimum=0),
                                               "assumption: EV maintenance, EUR a year")
    ice_maintenance_eur_per_year: float = param(500.0, Number(minimum=0),
                                                "assumption: petrol car maintenance, EUR a year")
    ev_residual_pct: float = param(40.0, Number(minimum=0, maximum=100),
                                   "assumption: EV resale value after the years, % of price")
    ice_residual_pct: float = param(40.0, Number(minimum=0, maximum=100),
                                    "assumption: petrol car resale value after the years, % of price")


def _fx_bounds() -> tuple[dt.date, dt.date]:
    return fx.held_range("USD")


def validate_params(**values: Any) -> PricingParams:
    """Validate the notebook's parameters (market held in the data, incentive below price)."""
    __tracebackhide__ = True
    return validate(PricingParams, NOTEBOOK, values, rules=[_rule_market, _rule_incentive])


def _rule_market(p: PricingParams) -> None:
    __tracebackhide__ = True
    held = _markets()
    if p.market not in held:
        raise ParameterError(NOTEBOOK, "market", p.market, f"one of {', '.join(held)}")


def _rule_incentive(p: PricingParams) -> None:
    __tracebackhide__ = True
    if p.incentive_eur > p.twingo_price_eur:
        raise ParameterError(NOTEBOOK, "incentive_eur", p.incentive_eur,
                             f"0 to twingo_price_eur ({p.twingo_price_eur:g})")


def cars_from(p: PricingParams) -> tuple[Car, Car]:
    """The EV (Twingo) and the petrol car of the parameters."""
    ev = Car(p.twingo_price_eur, p.incentive_eur, p.ev_kwh_per_100km, p.electricity_eur_per_kwh,
             p.ev_maintenance_eur_per_year, p.ev_residual_pct)
    ice = Car(p.ice_price_eur, 0.0, p.ice_l_per_100km, p.petrol_eur_per_l,
              p.ice_maintenance_eur_per_year, p.ice_residual_pct)
    return ev, ice


TORNADO = ("twingo_price_eur", "ice_price_eur", "annual_km", "ev_kwh_per_100km",
           "electricity_eur_per_kwh", "ice_l_per_100km", "petrol_eur_per_l",
           "ev_maintenance_eur_per_year", "ice_maintenance_eur_per_year", "ev_residual_pct",
           "ice_residual_pct")


def gap_of(p: PricingParams) -> Any:
    """A vectorised function of the TORNADO parameters giving the TCO gap (EUR) at ``p``'s
    other values."""
    def gap(twingo_price_eur: ArrayLike, ice_price_eur: ArrayLike, annual_km: ArrayLike,
            ev_kwh_per_100km: ArrayLike, electricity_eur_per_kwh: ArrayLike,
            ice_l_per_100km: ArrayLike, petrol_eur_per_l: ArrayLike,
            ev_maintenance_eur_per_year: ArrayLike, ice_maintenance_eur_per_year: ArrayLike,
            ev_residual_pct: ArrayLike, ice_residual_pct: ArrayLike) -> np.ndarray:
        ev = tco_eur(twingo_price_eur, p.incentive_eur, p.years, annual_km, p.discount_rate_pct,
                     ev_kwh_per_100km, electricity_eur_per_kwh, ev_maintenance_eur_per_year,
                     ev_residual_pct)
        ice = tco_eur(ice_price_eur, 0.0, p.years, annual_km, p.discount_rate_pct,
                      ice_l_per_100km, petrol_eur_per_l, ice_maintenance_eur_per_year,
                      ice_residual_pct)
        return ev - ice
    return gap


def tornado_base(p: PricingParams) -> dict[str, float]:
    """The TORNADO parameters' values in ``p``."""
    return {name: float(getattr(p, name)) for name in TORNADO}


# --------------------------------------------------------------------------- charts


def plot_price_vs_range(seg: pd.DataFrame, market: str) -> Any:
    """Scatter of price against WLTP range, the Twingo marked."""
    from alliancelib import charts

    fig, ax = charts.figure(8.0, 4.6)
    for _, car in seg.iterrows():
        is_twingo = car["model"].startswith(TWINGO)
        target = car["price_kind"] == "target"
        ax.scatter(car["range_km"], car["price_eur"], s=90 if is_twingo else 45,
                   color=charts.PALETTE["Renault"] if is_twingo else charts.PALETTE["accent"],
                   marker="*" if is_twingo else ("o" if not target else "D"),
                   edgecolor="black" if is_twingo else "white", zorder=3,
                   alpha=0.6 if target else 1.0)
        label = "Twingo (this analysis)" if is_twingo else car["model"] + (" (target)" if target else "")
        ax.annotate(label, (car["range_km"], car["price_eur"]), xytext=(5, 3),
                    textcoords="offset points", fontsize=8)
    ax.set_xlim(seg["range_km"].min() - 20, seg["range_km"].max() + 80)
    charts.style_axes(ax, title=f"Small EVs in {market}: price against range",
                      xlabel="WLTP range (km)", ylabel="price incl. VAT (EUR)")
    return fig


def plot_price_per_kwh(seg: pd.DataFrame) -> Any:
    """Bars of price per kWh of battery, cheapest first, the Twingo highlighted."""
    from alliancelib import charts

    data = seg.dropna(subset=["price_per_kwh_eur"]).sort_values("price_per_kwh_eur")
    fig, ax = charts.figure(8.0, 0.5 + 0.38 * len(data))
    colors = [charts.PALETTE["Renault"] if m.startswith(TWINGO) else charts.PALETTE["accent"]
              for m in data["model"]]
    labels = ["Twingo (this analysis)" if m.startswith(TWINGO) else m for m in data["model"]]
    ax.barh(labels[::-1], data["price_per_kwh_eur"][::-1], color=colors[::-1])
    for y, v in enumerate(data["price_per_kwh_eur"][::-1]):
        ax.annotate(f"{v:,.0f}", (v, y), xytext=(3, 0), textcoords="offset points", va="center",
                    fontsize=8)
    charts.style_axes(ax, title="Price per kWh of battery", xlabel="EUR per kWh", ylabel="")
    ax.grid(axis="y", visible=False)
    return fig


def plot_cumulative(ev_costs: np.ndarray, ice_costs: np.ndarray, ev_label: str, ice_label: str
                    ) -> Any:
    """Cumulative cost lines, year by year (resale credited in the last year)."""
    from alliancelib import charts

    fig, ax = charts.figure(8.0, 4.0)
    years = np.arange(len(ev_costs))
    ax.plot(years, ev_costs, marker="o", color=charts.PALETTE["Renault"], label=ev_label)
    ax.plot(years, ice_costs, marker="s", color=charts.PALETTE["muted"], label=ice_label)
    for costs in (ev_costs, ice_costs):
        ax.annotate(f"EUR {costs[-1]:,.0f}", (years[-1], costs[-1]), xytext=(6, 0),
                    textcoords="offset points", va="center", fontsize=8)
    ax.set_xticks(years)
    ax.set_xlim(-0.2, years[-1] + 0.9)
    ax.legend(fontsize=8, loc="upper left")
    charts.style_axes(ax, title="Cumulative cost of ownership",
                      xlabel="year (resale value credited in the last year)",
                      ylabel="cumulative cost (EUR, discounted)")
    return fig


def plot_tornado(table: pd.DataFrame, step_pct: float) -> Any:
    """How the TCO gap moves when each assumption moves by -step and +step %."""
    from alliancelib import charts

    centre = table.attrs["centre"]
    fig, ax = charts.figure(8.0, 0.6 + 0.4 * len(table))
    rows = table.iloc[::-1].reset_index(drop=True)
    for y, row in rows.iterrows():
        ax.barh(y, row["low"] - centre, left=centre, color=charts.PALETTE["accent"], height=0.6)
        ax.barh(y, row["high"] - centre, left=centre, color=charts.PALETTE["Nissan"], height=0.6)
    ax.set_yticks(range(len(rows)), rows["parameter"])
    ax.axvline(centre, color="black", lw=1)
    ax.axvline(0, color="#777777", lw=0.8, ls=":")
    ax.annotate("EV cheaper | petrol cheaper", (0, len(rows) - 0.4), ha="center", fontsize=8,
                color="#555555")
    charts.style_axes(ax, title=f"TCO gap when each assumption moves by {step_pct:g}%",
                      xlabel=f"EV minus petrol TCO (EUR); blue: -{step_pct:g}%, red: +{step_pct:g}%",
                      ylabel="")
    ax.grid(axis="y", visible=False)
    return fig


def plot_grid(km: np.ndarray, power: np.ndarray, gap: np.ndarray) -> Any:
    """Heat map of the TCO gap over annual distance and electricity price, zero contour drawn."""
    from alliancelib import charts

    fig, ax = charts.figure(8.0, 4.2)
    limit = float(np.abs(gap).max())
    mesh = ax.pcolormesh(km, power, gap, cmap="RdBu_r", vmin=-limit, vmax=limit, shading="nearest")
    ax.contour(km, power, gap, levels=[0], colors="black", linewidths=1.2)
    fig.colorbar(mesh, ax=ax, label="EV minus petrol TCO (EUR)")
    charts.style_axes(ax, title="Where the EV wins: TCO gap by distance and electricity price",
                      xlabel="distance driven a year (km)", ylabel="electricity (EUR per kWh)")
    ax.grid(False)
    return fig
