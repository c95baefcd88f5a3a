"""EV pricing: the Twingo against Europe's small EVs, its battery's cost share, its price in
dollars, and its total cost of ownership (TCO) against a petrol Dacia Sandero, one market and one
household at a time.

**One market at a time.** ``market`` chooses the Twingo's price (the newest reported list price
of the base Evolution trim there, unless ``twingo_price_eur`` is set), the incentive (the market's
current scheme for the ``household`` income tier, unless ``incentive_eur`` is set; 0 where no
scheme applies), the standard VAT rate (for the battery's share of the price before VAT) and the
list of EVs the Twingo is ranked against.

**TCO** (EUR), as the brief defines it, with ``r = discount_rate_pct / 100`` and ``n`` years::

    price - incentive
    + sum over t = 1..n of (annual_km / 100 x consumption x energy price + maintenance) / (1 + r)^t
    - price x residual_pct / 100 / (1 + r)^n

The petrol car gets no incentive. The gap (EV minus petrol) is linear in the distance driven and
in the EV's resale value, so both break-evens have closed forms: the distance from which the EV
is cheaper (:func:`breakeven_km`) and the EV resale value at which the two cost the same,
``ev_residual_pct + gap x 100 x (1 + r)^n / price`` (:func:`residual_breakeven_pct`).

**The notebook's pattern** (``docs/architecture.md``): :class:`PricingParams`, :func:`headline`
(vectorised: any parameter may be an array of draws), :data:`RESULTS`, :data:`CONCLUSIONS`,
:func:`analyse` (everything the notebook shows) and :func:`figures` (every chart).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from alliancelib import fx
from alliancelib.analysis import Analysis as AnalysisBase
from alliancelib.analysis import pct, say_date
from alliancelib.errors import ParameterError
from alliancelib.findings import Finding, anchor_for
from alliancelib.params import (
    Choice,
    Integer,
    IsoDate,
    Number,
    Optional,
    Plausible,
    param,
    plausible_of,
    validate,
)
from alliancelib.results import ResultSpec, format_number, format_quantity
from alliancelib.uncertainty import Assessment, Conclusion

NOTEBOOK = "03_ev_pricing"
TWINGO = "Renault Twingo E-Tech electric"
BASE_TRIM = "Evolution"
SANDERO = "Dacia Sandero"

MARKETS = ("BE", "DE", "FR", "IT")
HOUSEHOLDS = ("low", "middle", "high")
COUNTRY = {"BE": "Belgium", "DE": "Germany", "FR": "France", "IT": "Italy", "ES": "Spain", "UK": "the UK",
           "EU": "Europe"}
ADJECTIVE = {"BE": "Belgian", "DE": "German", "FR": "French", "IT": "Italian", "ES": "Spanish",
             "UK": "British"}
HOUSEHOLD_WORDS = {"low": "lower-income", "middle": "middle-income", "high": "higher-income"}

# the scheme in force for each market as of the news date (incentives.csv); none elsewhere
CURRENT_SCHEME = {"FR": "coup de pouce 2026 (arrêté 2025-12-24)", "DE": "E-Auto-Förderung 2026"}
NO_SCHEME = {
    "IT": "Italy's ecobonus money (EUR 597m) was booked within about a day of the scheme opening on 22 "
          "October 2025 and no 2026 scheme is confirmed",
    "BE": "the research holds no Belgian purchase incentive",
}

SHORT_REASON = {"IT": "Italy's ecobonus money ran out within a day in October 2025",
                "BE": "none in the research for Belgium"}

# the notebook's section headings (findings link to them)
SECTION_PRICES = "The Twingo's price, market by market"
SECTION_SEGMENT = "Against Europe's small EVs: the price per km of range"
SECTION_BATTERY = "How much of the price is the battery"
SECTION_DOLLARS = "In dollars"
SECTION_TCO = "Five years against a petrol Sandero"
SECTION_DECIDES = "What decides the verdict, and for whom"
SECTION_SURE = "How sure is this?"

GAP_DISTANCES = (5000, 10000, 15000, 20000)  # km a year in the "for whom" table

ArrayLike = Any


# --------------------------------------------------------------------------- the arithmetic


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


def tco_parts(price_eur: ArrayLike, incentive_eur: ArrayLike, years: ArrayLike, annual_km: ArrayLike,
              discount_rate_pct: ArrayLike, consumption_per_100km: ArrayLike, energy_eur_per_unit: ArrayLike,
              maintenance_eur_per_year: ArrayLike, residual_pct: ArrayLike) -> dict[str, np.ndarray]:
    """The TCO's four parts (EUR, discounted), broadcast over every argument: the price less the
    incentive, energy, maintenance and the resale value (negative: a credit). They add up to
    :func:`tco_eur`.

    >>> {k: round(float(v), 2) for k, v in tco_parts(20000, 0, 5, 12000, 0, 14, 0.25, 300, 40).items()}
    {'purchase': 20000.0, 'energy': 2100.0, 'maintenance': 1500.0, 'resale': -8000.0}
    """
    r = np.asarray(discount_rate_pct, dtype=float) / 100
    a = annuity_factor(years, r)
    price = np.asarray(price_eur, dtype=float)
    return {
        "purchase": price - np.asarray(incentive_eur, dtype=float),
        "energy": a * np.asarray(annual_km, dtype=float) / 100
        * np.asarray(consumption_per_100km, dtype=float) * np.asarray(energy_eur_per_unit, dtype=float),
        "maintenance": a * np.asarray(maintenance_eur_per_year, dtype=float),
        "resale": -price * np.asarray(residual_pct, dtype=float) / 100
        / (1 + r) ** np.asarray(years, dtype=float),
    }


def tco_eur(price_eur: ArrayLike, incentive_eur: ArrayLike, years: ArrayLike, annual_km: ArrayLike,
            discount_rate_pct: ArrayLike, consumption_per_100km: ArrayLike, energy_eur_per_unit: ArrayLike,
            maintenance_eur_per_year: ArrayLike, residual_pct: ArrayLike) -> np.ndarray:
    """Total cost of ownership (EUR) over ``years``, broadcast over every argument.

    ``consumption_per_100km`` is kWh (EV) or litres (petrol) per 100 km and
    ``energy_eur_per_unit`` the price of a kWh or a litre.

    >>> float(tco_eur(20000, 0, 5, 12000, 0, 14, 0.25, 300, 40))   # 20000 + 5 x 720 - 8000
    15600.0
    >>> tco_eur(20000, 0, 5, np.array([0, 12000]), 0, 14, 0.25, 300, 40).tolist()
    [13500.0, 15600.0]
    """
    parts = tco_parts(price_eur, incentive_eur, years, annual_km, discount_rate_pct, consumption_per_100km,
                      energy_eur_per_unit, maintenance_eur_per_year, residual_pct)
    total = parts["purchase"] + parts["energy"] + parts["maintenance"] + parts["resale"]
    return np.asarray(total, dtype=float)


@dataclass(frozen=True)
class Car:
    """One car's ownership inputs (price EUR, incentive EUR, consumption per 100 km, energy price
    EUR per kWh or litre, maintenance EUR a year, resale value % of price)."""

    price_eur: ArrayLike
    incentive_eur: ArrayLike
    consumption_per_100km: ArrayLike
    energy_eur_per_unit: ArrayLike
    maintenance_eur_per_year: ArrayLike
    residual_pct: ArrayLike

    def tco(self, years: ArrayLike, annual_km: ArrayLike, discount_rate_pct: ArrayLike) -> np.ndarray:
        """This car's TCO (EUR)."""
        return tco_eur(self.price_eur, self.incentive_eur, years, annual_km, discount_rate_pct,
                       self.consumption_per_100km, self.energy_eur_per_unit, self.maintenance_eur_per_year,
                       self.residual_pct)

    def parts(self, years: ArrayLike, annual_km: ArrayLike, discount_rate_pct: ArrayLike
              ) -> dict[str, np.ndarray]:
        """This car's TCO in its four parts (EUR)."""
        return tco_parts(self.price_eur, self.incentive_eur, years, annual_km, discount_rate_pct,
                         self.consumption_per_100km, self.energy_eur_per_unit, self.maintenance_eur_per_year,
                         self.residual_pct)

    def energy_per_km(self) -> ArrayLike:
        """Energy cost per km (EUR)."""
        per_100 = np.asarray(self.consumption_per_100km, dtype=float)
        return per_100 / 100 * np.asarray(self.energy_eur_per_unit, dtype=float)


def tco_gap_eur(ev: Car, ice: Car, years: ArrayLike, annual_km: ArrayLike,
                discount_rate_pct: ArrayLike) -> np.ndarray:
    """EV TCO minus petrol TCO (EUR): negative means the EV is cheaper."""
    return ev.tco(years, annual_km, discount_rate_pct) - ice.tco(years, annual_km, discount_rate_pct)


def breakeven_km(gap_eur: ArrayLike, annual_km: ArrayLike, per_km_eur: ArrayLike) -> np.ndarray:
    """Smallest annual distance (km a year) from which the EV's TCO is at most the petrol car's,
    element-wise: 0 where the EV is already no dearer at 0 km, NaN where it never catches up.

    The gap is linear in the distance, ``a + b x km``, with ``b = per_km_eur`` (the discounted
    difference in energy cost per km a year) and ``a = gap - b x km`` the gap at 0 km; the
    answer is ``-a / b`` when ``a > 0 > b``.

    >>> breakeven_km(np.array([100.0, -3446.0, 200.0]), 12000.0, np.array([-0.02, -0.285, 0.01])).tolist()
    [17000.0, 0.0, nan]
    """
    gap = np.asarray(gap_eur, dtype=float)
    b = np.asarray(per_km_eur, dtype=float)
    a = gap - b * np.asarray(annual_km, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        out = np.where(a <= 0, 0.0, np.where(b < 0, -a / np.where(b < 0, b, -1.0), np.nan))
    return np.where(np.isfinite(out), out, np.nan)


def breakeven_annual_km(ev: Car, ice: Car, years: int, discount_rate_pct: float, annual_km: float = 0.0
                        ) -> float | None:
    """:func:`breakeven_km` for two cars: the smallest annual distance from which the EV's TCO is
    at most the petrol car's (0 if it is cheaper at any distance, None if it never catches up).

    >>> ev = Car(20000, 0, 14, 0.25, 300, 40)
    >>> ice = Car(12990, 0, 5.5, 1.80, 500, 40)
    >>> round(breakeven_annual_km(ev, ice, 5, 0.0), 2)    # 3206 / 0.32
    10018.75
    >>> breakeven_annual_km(ev, Car(12990, 0, 5.5, 0.0, 500, 40), 5, 0.0) is None
    True
    """
    gap = tco_gap_eur(ev, ice, years, annual_km, discount_rate_pct)
    per_km = np.asarray(ev.energy_per_km()) - ice.energy_per_km()
    b = annuity_factor(years, discount_rate_pct / 100) * per_km
    out = float(breakeven_km(gap, annual_km, b))
    return None if math.isnan(out) else out


def residual_breakeven_pct(ev_residual_pct: ArrayLike, gap_eur: ArrayLike, price_eur: ArrayLike,
                           discount_rate_pct: ArrayLike, years: ArrayLike) -> np.ndarray:
    """The EV resale value (% of its price) at which the TCO gap is zero:
    ``ev_residual_pct + gap x 100 x (1 + r)^n / price``; NaN outside 0-100.

    Each point of resale value is worth ``price / 100 / (1 + r)^n`` euros today, so the gap closes
    after ``gap / that`` points.

    >>> round(float(residual_breakeven_pct(40, -634, 20000, 0, 5)), 2)   # 40 - 3.17
    36.83
    >>> float(residual_breakeven_pct(40, -20000, 20000, 0, 5))          # would need -60%: none
    nan
    """
    r = np.asarray(discount_rate_pct, dtype=float) / 100
    with np.errstate(over="ignore", invalid="ignore"):
        out = (np.asarray(ev_residual_pct, dtype=float) + np.asarray(gap_eur, dtype=float) * 100
               * (1 + r) ** np.asarray(years, dtype=float) / np.asarray(price_eur, dtype=float))
    return np.where(np.isfinite(out) & (out >= 0) & (out <= 100), out, np.nan)


def battery_cost_share_pct(battery_kwh: ArrayLike, pack_usd_per_kwh: ArrayLike, eur_usd: ArrayLike,
                           price_eur: ArrayLike) -> ArrayLike:
    """Battery pack cost as a share of a price: kWh x USD/kWh / (USD per EUR) / price x 100.

    >>> round(battery_cost_share_pct(27.5, 81, 1.0815, 20000), 3)
    10.298
    """
    return battery_kwh * pack_usd_per_kwh / eur_usd / price_eur * 100


def ex_vat(price_eur: ArrayLike, vat_pct: float) -> ArrayLike:
    """A price including VAT without it.

    >>> ex_vat(20000, 20)
    16666.666666666668
    """
    return price_eur / (1 + vat_pct / 100)


# --------------------------------------------------------------------------- the data


def _stamp(table: str) -> tuple[Any, ...]:
    from alliancelib.data import file_stamp

    return file_stamp(f"{table}.csv")


@functools.lru_cache(maxsize=32)
def _load_cached(table: str, stamp: tuple[Any, ...]) -> pd.DataFrame:
    from alliancelib.data import load

    return load(table)


def _load(table: str) -> pd.DataFrame:
    """A data table (validated by alliancelib.data), kept while its file is unchanged: the Monte
    Carlo and the fuzzer call the headline thousands of times. Callers must not modify it."""
    return _load_cached(table, _stamp(table))


@functools.lru_cache(maxsize=64)
def _lookup(kind: str, market: str, stamp: tuple[tuple[Any, ...], ...]) -> Any:
    if kind == "rivals":
        return market_list(market)["price_eur"].to_numpy(dtype=float)
    if kind == "price":
        row = base_price_row(market)
        return None if row is None else float(row["price_eur"])
    if kind == "vat":
        return vat_pct(market)
    if kind.startswith("incentive:"):
        return incentive_for(market, kind.split(":", 1)[1])
    raise KeyError(kind)


def cached(kind: str, market: str) -> Any:
    """A market's rival prices (``rivals``), reported base price (``price``) or VAT rate (``vat``),
    computed once per state of the data files."""
    return _lookup(kind, market, (_stamp("car_models"), _stamp("vat_rates"), _stamp("incentives")))


@functools.lru_cache(maxsize=64)
def _rate(fx_date: str, eur_usd: float | None, stamp: tuple[Any, ...]) -> fx.Fixing:
    return fx.rate_or_override("USD", fx_date, eur_usd)


def _day(text: Any) -> dt.date:
    from alliancelib.data import parse_partial_date

    return parse_partial_date(str(text))


def reported_prices() -> pd.DataFrame:
    """Every reported Twingo price (car_models.csv), all markets, trims and sources."""
    cars = _load("car_models")
    return cars[cars["model"] == TWINGO].reset_index(drop=True)


def base_price_row(market: str) -> pd.Series | None:
    """The newest reported list price of the base (Evolution) trim in ``market``, or None.

    In France two sources gave 19,490 and "around 20,000" in late 2025; Caradisiac's list price
    of 2026-02-11 (19,490) is the newest and settles it."""
    rows = reported_prices()
    rows = rows[(rows["market"] == market) & (rows["trim"] == BASE_TRIM) & (rows["price_kind"] == "list")]
    if rows.empty:
        return None
    dates = [str(d) for d in rows["as_of"]]
    order = sorted(range(len(rows)), key=lambda i: (_day(dates[i]), len(dates[i])))
    return rows.iloc[order[-1]]


def markets_with_price() -> dict[str, float]:
    """The reported base-trim price of every market that has one, by market."""
    out = {}
    for market in sorted(set(reported_prices()["market"])):
        row = base_price_row(market)
        if row is not None:
            out[market] = float(row["price_eur"])
    return out


def vat_pct(market: str) -> float:
    """The market's standard VAT rate (vat_rates.csv)."""
    vat = _load("vat_rates").set_index("country")["vat_pct"]
    return float(vat[market])


@dataclass(frozen=True)
class Incentive:
    """The incentive looked up for a market and household: the amount (EUR; 0 where no scheme
    applies, with the reason), and the scheme's row where there is one."""

    market: str
    household: str
    amount_eur: float
    scheme: str = ""
    tier: str = ""
    status: str = ""
    source_id: str = ""
    reason: str = ""

    @property
    def applies(self) -> bool:
        """Whether a scheme applies (False: the amount is 0 for the reason given)."""
        return bool(self.scheme)


def incentive_for(market: str, household: str) -> Incentive:
    """The market's current scheme for ``household`` (the tiers of incentives.csv's ``household``
    column); 0 where no scheme applies, with the reason."""
    scheme = CURRENT_SCHEME.get(market)
    if scheme is None:
        return Incentive(market, household, 0.0, reason=NO_SCHEME.get(market, "no scheme in the research"))
    rows = scheme_rows(market)
    row = rows[rows["household"] == household]
    if row.empty:
        raise KeyError(f"incentives.csv has no {household} tier for {market}'s {scheme}")
    r = row.iloc[0]
    return Incentive(market, household, float(r["amount"]), scheme, str(r["tier"]), str(r["status"]),
                     str(r["source_id"]))


def scheme_rows(market: str) -> pd.DataFrame:
    """The rows of the market's current scheme (empty where none applies), lowest income first."""
    scheme = CURRENT_SCHEME.get(market)
    rows = _load("incentives")
    rows = rows[(rows["country"] == market) & (rows["scheme"] == scheme)].copy()
    rows["order"] = rows["household"].map({h: i for i, h in enumerate(HOUSEHOLDS)})
    return rows.sort_values("order").drop(columns="order").reset_index(drop=True)


def _dedupe_newest(frame: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    """One row per ``keys``: the newest as_of (ties: the first in file order)."""
    frame = frame.copy()
    frame["_day"] = [_day(d) for d in frame["as_of"]]
    frame["_pos"] = range(len(frame))
    frame = frame.sort_values(["_day", "_pos"], ascending=[False, True], kind="stable")
    return frame.drop_duplicates(list(keys)).sort_values("_pos").drop(columns=["_day", "_pos"])


def market_list(market: str) -> pd.DataFrame:
    """The market's list of EVs the Twingo is ranked against: every EV with a list price in
    ``market`` except the Twingo, one row per model (its newest reported list price)."""
    cars = _load("car_models")
    rows = cars[(cars["market"] == market) & (cars["powertrain"] == "bev") & (cars["price_kind"] == "list")
                & (cars["model"] != TWINGO)]
    return _dedupe_newest(rows, ["model"]).reset_index(drop=True)


def rank_in(prices: Sequence[float], price: ArrayLike) -> ArrayLike:
    """Rank by price among ``prices`` plus the car priced ``price`` (1 = cheapest; a tie shares
    the better rank), element-wise.

    >>> rank_in([16900, 18900, 23300], 19490), rank_in([16900, 18900], 16900)
    (3, 1)
    """
    arr = np.asarray(prices, dtype=float)
    p = np.asarray(price, dtype=float)
    out = 1 + (arr[None, :] < p.reshape(-1, 1)).sum(axis=1)
    return int(out[0]) if p.ndim == 0 else out.reshape(p.shape)


def europe_segment() -> pd.DataFrame:
    """Every small EV with a price and a range in the data, all markets and kinds of price, the
    Twingo's own rows left out (one row per model, market, kind of price and price)."""
    cars = _load("car_models")
    rows = cars[(cars["powertrain"] == "bev") & (cars["model"] != TWINGO) & cars["range_km"].notna()]
    keys = ["model", "market", "price_kind", "price_eur", "range_km"]
    return _dedupe_newest(rows, keys).reset_index(drop=True)


def segment_metrics(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with price per km of range, km of range per kWh of battery and price per kWh
    (the reader columns of alliancelib.fields, section 03 pricing)."""
    out = frame.copy()
    out["pricing_eur_per_km"] = out["price_eur"] / out["range_km"]
    out["pricing_km_per_kwh"] = out["range_km"] / out["battery_kwh"]
    out["pricing_eur_per_kwh"] = out["price_eur"] / out["battery_kwh"]
    return out


# --------------------------------------------------------------------------- parameters


def _fx_bounds() -> tuple[dt.date, dt.date]:
    return _held(_stamp("fx_rates"))


@dataclass(frozen=True)
class PricingParams:
    """Parameters of ``03_ev_pricing``."""

    twingo_price_eur: float | None = param(
        None, Optional(Number(minimum=1000, maximum=200000)),
        "Twingo price analysed, EUR incl. VAT; None uses the newest reported base-trim (Evolution) price in "
        "market",
        label="Twingo price analysed", unit="EUR")
    fx_date: str = param("2025-03-31", IsoDate(bounds=lambda: _fx_bounds(), bounds_label=" (ECB USD fixings "
                                                                                         "held)"),
                         "date of the ECB EUR/USD rate used (YYYY-MM-DD)", label="Date of the exchange rate")
    eur_usd: float | None = param(None, Optional(Number(minimum=0.1, maximum=10)),
                                  "USD per EUR; None uses the ECB rate of fx_date", label="Dollars per euro")
    market: str = param("FR", Choice(MARKETS, words=tuple((m, COUNTRY[m]) for m in MARKETS)),
                        "market analysed: its Twingo price, incentive, VAT and list of EVs (BE, DE, FR, IT)",
                        label="Market")
    household: str = param("high", Choice(HOUSEHOLDS,
                                          words=tuple((h, HOUSEHOLD_WORDS[h]) for h in HOUSEHOLDS)),
                           "household income tier of the market's incentive (low, middle, high); high gets "
                           "the smallest amount, for households above the modest-income threshold",
                           label="Household income tier")
    battery_kwh: float = param(27.5, Number(minimum=1, maximum=200), "usable battery capacity, kWh",
                               label="Battery capacity", unit="kWh")
    range_km: float = param(263.0, Number(minimum=10, maximum=2000), "WLTP range, km", label="WLTP range",
                            unit="km",
                            plausible=Plausible(253.0, 263.0, "263 km in most sources (auto55.be, Mac4Ever, "
                                                "What Car?); 253 km in one", "conflict"))
    pack_usd_per_kwh: float = param(
        81.0, Number(minimum=0, maximum=1000),
        "battery pack price, USD/kWh (BNEF 2025 LFP average: 81)", label="Battery pack price", unit="USD/kWh",
        plausible=Plausible(81.0, 131.0, "BNEF 2025: LFP packs USD 81 (a global, China-weighted average); "
                            "Europe's average 56% above China's USD 84, about 131", "spread"))
    incentive_eur: float | None = param(
        None, Optional(Number(minimum=0, maximum=50000)),
        "purchase incentive deducted, EUR; None uses the market's current scheme for household (0 where "
        "none)",
        label="Incentive deducted", unit="EUR")
    years: int = param(5, Integer(minimum=1, maximum=30), "years of ownership", label="Years of ownership",
                       unit="years")
    annual_km: float = param(12000.0, Number(minimum=0, maximum=200000), "distance driven a year, km",
                             label="Distance driven a year", unit="km/yr")
    discount_rate_pct: float = param(
        4.0, Number(minimum=0, maximum=50), "assumption: discount rate applied to future costs and resale "
                                            "(%)",
        label="Discount rate", unit="%",
        plausible=Plausible(2.0, 6.0, "From a household's return on savings to the cost of a car loan; no "
                            "rate in the research", "judgement"))
    ev_kwh_per_100km: float = param(
        14.0, Number(minimum=1, maximum=100), "assumption: EV consumption, kWh per 100 km (real world)",
        label="Twingo consumption", unit="kWh/100 km",
        plausible=Plausible(10.8, 14.0, "10.8: Europa Sur's estimate for the Twingo; 14: a real-world figure "
                            "with charging losses (assumption)", "judgement"))
    electricity_eur_per_kwh: float = param(
        0.25, Number(minimum=0, maximum=5), "assumption: electricity price, EUR per kWh",
        label="Electricity price", unit="EUR/kWh",
        plausible=Plausible(0.20, 0.40, "Mostly home charging (low) to more public charging (high); no "
                            "tariff in the research", "judgement"))
    ice_price_eur: float = param(
        12990.0, Number(minimum=1000, maximum=200000), "petrol car price, EUR (Dacia Sandero SCe 65)",
        label="Sandero price", unit="EUR",
        plausible=Plausible(12990.0, 13290.0, "Dacia Sandero SCe 65: EUR 12,990, 13,290 after the facelift "
                            "(Caradisiac)", "spread"))
    ice_l_per_100km: float = param(
        5.5, Number(minimum=0.5, maximum=50), "assumption: petrol consumption, litres per 100 km",
        label="Sandero consumption", unit="l/100 km",
        plausible=Plausible(5.0, 7.0, "5.5 reads like a test-cycle figure, real-world driving uses more; no "
                            "consumption in the research", "judgement"))
    petrol_eur_per_l: float = param(
        1.80, Number(minimum=0, maximum=10), "assumption: petrol price, EUR per litre", label="Petrol price",
        unit="EUR/l", plausible=Plausible(1.60, 2.00, "No fuel price in the research", "judgement"))
    ev_maintenance_eur_per_year: float = param(
        300.0, Number(minimum=0, maximum=20000), "assumption: EV maintenance, EUR a year",
        label="Twingo maintenance", unit="EUR per year",
        plausible=Plausible(200.0, 400.0, "No servicing cost in the research", "judgement"))
    ice_maintenance_eur_per_year: float = param(
        500.0, Number(minimum=0, maximum=20000), "assumption: petrol car maintenance, EUR a year",
        label="Sandero maintenance", unit="EUR per year",
        plausible=Plausible(400.0, 700.0, "No servicing cost in the research; a petrol engine needs more",
                            "judgement"))
    ev_residual_pct: float = param(
        40.0, Number(minimum=0, maximum=100), "assumption: EV resale value after the years, % of price",
        label="Twingo resale value", unit="%",
        plausible=Plausible(30.0, 50.0, "No resale data for a car on sale since 2026; the resale values of "
                            "small EVs are uncertain", "judgement"))
    ice_residual_pct: float = param(
        40.0, Number(minimum=0, maximum=100), "assumption: petrol car resale value after the years, % of "
                                              "price",
        label="Sandero resale value", unit="%",
        plausible=Plausible(35.0, 50.0, "No resale data in the research", "judgement"))


def _money0(value: float) -> str:
    return f"EUR {value:,.0f}"


def _rule_price(p: PricingParams) -> None:
    __tracebackhide__ = True
    if p.twingo_price_eur is None and cached("price", p.market) is None:
        held = ", ".join(f"{m} {v:,.0f}" for m, v in markets_with_price().items())
        raise ParameterError(NOTEBOOK, "twingo_price_eur", None,
                             f"a price in EUR incl. VAT (1000 to 200000) for market {p.market}: no Twingo "
                             f"price is reported there (reported base-trim prices: {held})")


def _rule_incentive(p: PricingParams) -> None:
    __tracebackhide__ = True
    price = price_of(p)
    if p.incentive_eur is not None:
        if p.incentive_eur > price:
            raise ParameterError(NOTEBOOK, "incentive_eur", p.incentive_eur,
                                 f"None or 0 to the Twingo price analysed ({price:g})")
        return
    looked_up = cached(f"incentive:{p.household}", p.market).amount_eur
    if looked_up > price:
        raise ParameterError(NOTEBOOK, "twingo_price_eur", p.twingo_price_eur,
                             f"a price of at least the incentive looked up for {p.market} ({looked_up:g}), "
                             "or set incentive_eur")


def validate_params(**values: Any) -> PricingParams:
    """Validate the notebook's parameters (a market without a reported price needs an explicit
    one; the incentive may not exceed the price)."""
    __tracebackhide__ = True
    return validate(PricingParams, NOTEBOOK, values, rules=[_rule_price, _rule_incentive])


def price_of(p: PricingParams) -> float:
    """The Twingo price analysed: the parameter, else the market's reported base-trim price."""
    if p.twingo_price_eur is not None:
        return float(p.twingo_price_eur)
    price = cached("price", p.market)
    if price is None:
        raise ValueError(f"no reported Twingo price for {p.market}: give twingo_price_eur")
    return float(price)


def incentive_of(p: PricingParams) -> float:
    """The incentive deducted: the parameter, else the market's current scheme for the household."""
    if p.incentive_eur is not None:
        return float(p.incentive_eur)
    return cached(f"incentive:{p.household}", p.market).amount_eur


def ecb(day: str) -> fx.Fixing:
    """The ECB dollar fixing of a day (cached while the rates file is unchanged)."""
    return _rate(day, None, _stamp("fx_rates"))


def newest_fixing() -> str:
    """The newest ECB dollar fixing held."""
    return str(_held(_stamp("fx_rates"))[1])


@functools.lru_cache(maxsize=4)
def _held(stamp: tuple[Any, ...]) -> tuple[dt.date, dt.date]:
    return fx.held_range("USD")


def rate_of(p: PricingParams) -> fx.Fixing:
    """The EUR/USD rate used: the parameter, else the ECB fixing of fx_date."""
    return _rate(p.fx_date, p.eur_usd, _stamp("fx_rates"))


# --------------------------------------------------------------------------- results

RESULTS = [
    ResultSpec("twingo_price_analysed_eur", "EUR", "Twingo price analysed, incl. VAT", 0),
    ResultSpec("incentive_applied_eur", "EUR", "Incentive deducted from the Twingo's price", 0),
    ResultSpec("price_per_km_range_eur", "EUR/km", "Twingo price per km of WLTP range", 0),
    ResultSpec("km_per_kwh_battery", "km/kWh", "Km of range per kWh of battery", 1),
    ResultSpec("price_per_kwh_eur", "EUR/kWh", "Twingo price per kWh of battery", 0),
    ResultSpec("twingo_rank_in_market", "rank", "Twingo's rank by price in the market's list (1 = "
                                                "cheapest)", 0),
    ResultSpec("battery_cost_share_ex_vat_pct", "%", "Battery's cost as a share of the price before VAT", 1),
    ResultSpec("battery_cost_share_pct", "%", "Battery's cost as a share of the price incl. VAT", 1),
    ResultSpec("eur_usd_used", "USD per EUR", "Dollars per euro used", 4),
    ResultSpec("twingo_price_usd", "USD", "Twingo price in dollars (incl. European VAT)", 0),
    ResultSpec("tco_ev_eur", "EUR", "Twingo's cost of ownership over the years (discounted)", 0),
    ResultSpec("tco_ice_eur", "EUR", "Sandero's cost of ownership over the years (discounted)", 0),
    ResultSpec("tco_gap_eur", "EUR", "Cost of ownership, Twingo minus Sandero (negative: the Twingo is "
                                     "cheaper)", 0),
    ResultSpec("tco_gap_no_incentive_eur", "EUR", "Cost of ownership, Twingo minus Sandero, without any "
                                                  "incentive", 0),
    ResultSpec("breakeven_annual_km", "km/yr", "Distance a year from which the Twingo is cheaper", 0),
    ResultSpec("ev_residual_breakeven_pct", "%", "Twingo resale value at which both cars cost the same", 1),
    ResultSpec("ev_extra_resale_credit_eur", "EUR", "Twingo's extra resale credit over the Sandero's "
                                                    "(discounted)",
               0),
]
RESULT_NAMES = tuple(s.name for s in RESULTS)
SPECS = {s.name: s for s in RESULTS}
OPTIONAL_RESULTS: tuple[str, ...] = ("breakeven_annual_km", "ev_residual_breakeven_pct")

# why a result has no range (the uncertain inputs do not move it)
NO_RANGE = {
    "twingo_price_analysed_eur": "a reported list price, or the price set: no range",
    "incentive_applied_eur": "the scheme's amount for the household, or the amount set: no range",
    "price_per_kwh_eur": "a reported price and battery: no range",
    "twingo_rank_in_market": "reported list prices: no range",
    "eur_usd_used": "the rate of the date chosen: a choice, not an uncertainty",
    "twingo_price_usd": "at the rate of the date chosen: a choice, not an uncertainty",
}


def _array(x: Any) -> np.ndarray:
    return np.asarray(x, dtype=float)


def _out(x: Any) -> Any:
    """A result as a float (None where it does not exist) or, for draws, an array (NaN there)."""
    arr = np.asarray(x, dtype=float)
    if arr.ndim == 0:
        v = float(arr)
        return v if math.isfinite(v) else None
    return arr


def headline(p: PricingParams, **draws: Any) -> dict[str, Any]:
    """The headline results; any parameter may be replaced by a numpy array in ``draws``.

    One implementation of each formula: :func:`analyse`, its tables and charts, and the
    uncertainty analysis all call it.
    """
    def q(name: str) -> Any:
        return draws.get(name, getattr(p, name))

    price = _array(draws.get("twingo_price_eur", price_of(p)))
    incentive = _array(draws.get("incentive_eur", incentive_of(p)))
    usd = _array(draws.get("eur_usd", rate_of(p).rate_per_eur))
    battery, range_km, pack = _array(q("battery_kwh")), _array(q("range_km")), _array(q("pack_usd_per_kwh"))
    years, km, r = _array(q("years")), _array(q("annual_km")), _array(q("discount_rate_pct"))
    ev = Car(price, incentive, q("ev_kwh_per_100km"), q("electricity_eur_per_kwh"),
             q("ev_maintenance_eur_per_year"), q("ev_residual_pct"))
    ice = Car(q("ice_price_eur"), 0.0, q("ice_l_per_100km"), q("petrol_eur_per_l"),
              q("ice_maintenance_eur_per_year"), q("ice_residual_pct"))
    tco_ev, tco_ice = ev.tco(years, km, r), ice.tco(years, km, r)
    gap = tco_ev - tco_ice
    per_km = annuity_factor(years, r / 100) * (_array(ev.energy_per_km()) - _array(ice.energy_per_km()))
    discount_end = (1 + r / 100) ** years
    ev_resale = price * _array(q("ev_residual_pct"))
    ice_resale = _array(q("ice_price_eur")) * _array(q("ice_residual_pct"))
    extra_credit = (ev_resale - ice_resale) / 100 / discount_end
    rank = rank_in(cached("rivals", p.market), price)
    share = battery_cost_share_pct(battery, pack, usd, price)
    share_ex = battery_cost_share_pct(battery, pack, usd, ex_vat(price, cached("vat", p.market)))
    usd_price = np.round(price * usd)
    return {
        "twingo_price_analysed_eur": _out(price),
        "incentive_applied_eur": _out(incentive),
        "price_per_km_range_eur": _out(price / range_km),
        "km_per_kwh_battery": _out(range_km / battery),
        "price_per_kwh_eur": _out(price / battery),
        "twingo_rank_in_market": rank if np.ndim(rank) == 0 else np.asarray(rank, dtype=float),
        "battery_cost_share_ex_vat_pct": _out(share_ex),
        "battery_cost_share_pct": _out(share),
        "eur_usd_used": _out(usd),
        "twingo_price_usd": int(usd_price) if np.ndim(usd_price) == 0 else usd_price,
        "tco_ev_eur": _out(tco_ev),
        "tco_ice_eur": _out(tco_ice),
        "tco_gap_eur": _out(gap),
        "tco_gap_no_incentive_eur": _out(gap + incentive),
        "breakeven_annual_km": _out(breakeven_km(gap, km, per_km)),
        "ev_residual_breakeven_pct": _out(residual_breakeven_pct(q("ev_residual_pct"), gap, price, r, years)),
        "ev_extra_resale_credit_eur": _out(extra_credit),
    }


def conclusions(p: PricingParams) -> list[Conclusion]:
    """The sign statements the findings make (their share of plausible cases is reported)."""
    return [Conclusion("ev_cheaper", "tco_gap_eur", lambda gap: gap < 0,
                       f"the Twingo costs less than the Sandero over {p.years} years"),
            Conclusion("ev_cheaper_without_incentive", "tco_gap_no_incentive_eur", lambda gap: gap < 0,
                       f"without any incentive, the Twingo costs less than the Sandero over {p.years} years")]


CONCLUSIONS = conclusions(PricingParams())


# --------------------------------------------------------------------------- words


def eur(value: float, decimals: int = 0) -> str:
    """An amount in euros as the text shows it (a typographic minus where negative).

    >>> eur(19490.0), eur(74.106, 0), eur(-634.2), eur(0.25, 2)
    ('EUR 19,490', 'EUR 74', '−EUR 634', 'EUR 0.25')
    """
    return format_quantity(float(value), "EUR", decimals)


def about(value: float, step: float = 100) -> str:
    """An amount in euros rounded as a reader says it (to ``step``), without its sign.

    >>> about(-3446.37), about(53.6, 10), about(2137.0)
    ('about EUR 3,400', 'about EUR 50', 'about EUR 2,100')
    """
    rounded = round(abs(float(value)) / step) * step
    return f"about {eur(rounded)}"


def rate_words(rate_pct: float) -> str:
    """A discount rate as the text shows it.

    >>> rate_words(4.0), rate_words(4.5)
    ('4%', '4.5%')
    """
    return pct(rate_pct, 0 if float(rate_pct).is_integer() else 1)


def km(value: float) -> str:
    """A distance as the text shows it, to the nearest 100 km.

    >>> km(12000.0), km(12211.77), km(0.0)
    ('12,000 km', '12,200 km', '0 km')
    """
    return f"{format_number(round(float(value) / 100) * 100, 0)} km"


def tex(value: float, decimals: int = 0) -> str:
    """A number for a LaTeX formula: thousands separated by a plain comma, a plain minus.

    >>> tex(19490.0), tex(-3446.37), tex(0.04, 2)
    ('19{,}490', '-3{,}446', '0.04')
    """
    return f"{float(value):,.{decimals}f}".replace(",", "{,}")


def ordinal(n: int) -> str:
    """``1st``, ``2nd``, ``3rd``, ``4th``...

    >>> ordinal(3), ordinal(11), ordinal(22)
    ('3rd', '11th', '22nd')
    """
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def rank_words(rank: int, of: int) -> str:
    """A rank by price in words.

    >>> rank_words(1, 3), rank_words(3, 7), rank_words(7, 7)
    ('the cheapest of 3', 'the 3rd cheapest of 7', 'the dearest of 7')
    """
    if rank == 1:
        return f"the cheapest of {of}"
    if rank == of:
        return f"the dearest of {of}"
    return f"the {ordinal(rank)} cheapest of {of}"


def low_rank_words(rank: int, of: int) -> str:
    """A rank of a cost measure in words.

    >>> low_rank_words(3, 7), low_rank_words(7, 7)
    ('the 3rd lowest of 7', 'the highest of 7')
    """
    return rank_words(rank, of).replace("cheapest", "lowest").replace("dearest", "highest")


def list_words(items: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``.

    >>> list_words(["a"]), list_words(["a", "b", "c"])
    ('a', 'a, b and c')
    """
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def car_name(model: str, trim: Any = "") -> str:
    """A car's name for tables and charts, the trim where it tells cars apart.

    >>> car_name("Dacia Spring", "Essential (2026)"), car_name("VW ID. Polo", "entry (37 kWh)")
    ('Dacia Spring', 'VW ID. Polo, entry (37 kWh)')
    >>> car_name("BYD Dolphin Surf", "base (launch offer)")
    'BYD Dolphin Surf'

    """
    trim = "" if trim is None or (isinstance(trim, float) and math.isnan(trim)) else str(trim)
    name = "Renault Twingo" if model == TWINGO else model
    if trim and "kWh" in trim:
        return f"{name}, {trim}"
    return name


KIND_WORDS = {"list": "list price", "target": "target", "estimate": "estimate", "promotion": "promotion"}


# --------------------------------------------------------------------------- the analysis


@dataclass(frozen=True, kw_only=True)
class Analysis(AnalysisBase):
    """Everything notebook 03 shows, computed once from the parameters."""

    p: PricingParams
    incentive: Incentive
    price_row: pd.Series | None
    rate: fx.Fixing
    segment: pd.DataFrame  # every EV of the Europe-wide chart, the Twingo included
    parts: Parts  # the TCO's parts for each car
    tornado: pd.DataFrame  # the TCO gap at each end of each input's plausible range
    grid: dict[str, np.ndarray]  # the TCO gap over distance and Twingo resale value

    @property
    def market_name(self) -> str:
        """The market in words."""
        return COUNTRY[self.p.market]




def _spec(name: str, rank_of: int | None = None) -> ResultSpec:
    spec = SPECS[name]
    if name == "twingo_rank_in_market" and rank_of is not None:
        return ResultSpec(spec.name, f"rank of {rank_of}", spec.label, spec.decimals)
    return spec


def _fmt(spec: ResultSpec, value: float) -> str:
    return format_quantity(value, spec.unit, spec.decimals)


def summary_table(a: Assessment) -> pd.DataFrame:
    """Every result with its value, its range (as recorded) or why it has none, and its deciding
    inputs (the uncertainty module's columns)."""
    ranges = a.result_ranges()
    rows = []
    for s in RESULTS:
        r = a.ranges.get(s.name)
        value = "none" if r is None or r.value is None else _fmt(s, r.value)
        if s.name in ranges:
            span = f"{_fmt(s, ranges[s.name][0])} to {_fmt(s, ranges[s.name][1])}"
            if r is not None and r.share_defined < 1:
                span += f" (where it exists: {percent_words(r.share_defined)} of cases)"
        else:
            span = NO_RANGE.get(s.name, "no uncertain input moves it")
        deciding = ", ".join(a.labels.get(i, i) for i in a.deciding(s.name)[:3]) if s.name in ranges else ""
        rows.append({"result_label": s.label, "value_text": value, "range_text": span,
                     "deciding_inputs": deciding})
    return pd.DataFrame(rows, columns=["result_label", "value_text", "range_text", "deciding_inputs"])


def percent_words(share: float) -> str:
    from alliancelib.uncertainty import percent

    return percent(share)


def analyse(p: PricingParams) -> Analysis:
    """Everything notebook 03 shows, computed once (results, ranges, findings, tables, texts)."""
    from alliancelib import uncertainty
    from alliancelib.data import fx_as_of, load, news_as_of

    values = headline(p)
    concl = conclusions(p)
    a = uncertainty.assess(p, headline, results=RESULTS, conclusions=concl)
    ranges = a.result_ranges()
    rivals = market_list(p.market)
    n_listed = len(rivals) + 1
    results = []
    for s in RESULTS:
        low, high = ranges.get(s.name, (None, None))
        note = "" if s.name in ranges else NO_RANGE.get(s.name, "")
        results.append(_spec(s.name, n_listed).result(values[s.name], low, high, note=note))

    price = price_of(p)
    price_row = base_price_row(p.market) if p.twingo_price_eur is None else None
    inc = incentive_for(p.market, p.household)
    rate = rate_of(p)
    facts_all = load("facts").set_index("fact_id")
    f = {str(k): float(x) for k, x in facts_all["value"].items()}

    seg, market_table, rest_table = _segment_tables(p, price, price_row, rivals)
    parts = _parts(p, values)
    tornado = tornado_table(p)
    grid = gap_grid(p)
    for_whom = for_whom_table(p)
    dollars = dollar_table(p, values)
    facts = _facts(p, values, a, f, seg, for_whom, grid)

    tables = {
        "prices": _prices_table(),
        "uk": _uk_table(facts_all),
        "market": market_table,
        "rest": rest_table,
        "batteries": load("battery_prices")[["year", "segment", "kind", "pack_usd_per_kwh", "source_id",
                                             "note"]],
        "dollars": dollars,
        "scheme": _scheme_table(p.market),
        "parts": _parts_table(parts),
        "tornado": _tornado_frame(tornado),
        "for_whom": for_whom,
        "ranges": uncertainty.ranges_table(p),
        "summary": summary_table(a),
        "gaps": _gaps_table(load("gaps")),
        "incentives": load("incentives")[["country", "scheme", "tier", "amount", "valid_from", "valid_to",
                                          "status", "source_id"]],
    }
    texts = _texts(p, values, a, concl, inc, price_row, rate, facts, tables, tornado)
    since, since_ids = since_line(p)
    source_ids = _source_ids(p, tables, seg, inc, price_row, since_ids)
    findings = _findings(p, values, a, concl, inc, facts)
    gaps = load("gaps")
    unreached = "; ".join(in_words(str(w)) for w in gaps.loc[gaps["topic"] == "ev", "what"])
    return Analysis(p=p, values=values, results=results, assessment=a, conclusions=concl, findings=findings,
                    since=since, news_as_of=news_as_of(source_ids), fx_as_of=fx_as_of(["USD"]),
                    source_ids=source_ids, unreached=unreached, texts=texts, tables=tables, incentive=inc,
                    price_row=price_row, rate=rate, segment=seg, parts=parts, tornado=tornado, grid=grid,
                    facts=facts)


# --------------------------------------------------------------------------- tables


def _twingo_row(p: PricingParams, price: float, price_row: pd.Series | None) -> dict[str, Any]:
    row: dict[str, Any] = {} if price_row is None else {str(k): x for k, x in price_row.items()}
    reported = bool(row)
    return {"model": TWINGO, "brand": "Renault", "market": p.market,
            "trim": BASE_TRIM if reported else "price set",
            "powertrain": "bev", "price_eur": price, "price_kind": "list" if reported else "set",
            "battery_kwh": p.battery_kwh, "chemistry": "LFP", "range_km": p.range_km,
            "as_of": str(row["as_of"]) if reported else "",
            "basis": "reported" if reported else "assumption",
            "source_id": str(row["source_id"]) if reported else "",
            "note": "The Twingo as analysed here" + ("" if reported else " (price set)")}


def _with_names(frame: pd.DataFrame) -> pd.DataFrame:
    out = segment_metrics(frame)
    out["pricing_car"] = [car_name(m, t) for m, t in zip(out["model"], out["trim"], strict=True)]
    out["pricing_market_name"] = [COUNTRY.get(m, m) for m in out["market"]]
    out["pricing_price_kind"] = [KIND_WORDS.get(k, "price analysed") for k in out["price_kind"]]
    return out


def _segment_tables(p: PricingParams, price: float, price_row: pd.Series | None, rivals: pd.DataFrame
                    ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The chart's frame (the market's list, the Twingo and every other EV with a range), the
    market's list ranked by price, and the rest of Europe's small EVs in the data."""
    twingo = pd.DataFrame([_twingo_row(p, price, price_row)])
    listed = _with_names(pd.concat([rivals, twingo], ignore_index=True))
    prices = listed["price_eur"].to_numpy(dtype=float)
    listed["pricing_rank"] = [int(1 + (prices < x).sum()) for x in prices]
    listed["is_twingo"] = listed["model"] == TWINGO
    listed["in_market"] = True
    listed = listed.sort_values(["pricing_rank", "pricing_car"], kind="stable").reset_index(drop=True)

    cars = _load("car_models")
    all_evs = cars[(cars["powertrain"] == "bev") & (cars["model"] != TWINGO)]
    all_evs = _dedupe_newest(all_evs, ["model", "market", "price_kind", "price_eur"])
    key = ["model", "market", "price_kind", "price_eur"]
    inside = set(map(tuple, rivals[key].itertuples(index=False, name=None)))
    rest = all_evs[[tuple(r) not in inside for r in all_evs[key].itertuples(index=False, name=None)]]
    rest = _with_names(rest)
    rest["is_twingo"] = False
    rest["in_market"] = False
    rest = rest.sort_values(["pricing_eur_per_km", "pricing_car"], na_position="last", kind="stable")
    rest = rest.reset_index(drop=True)

    seg = pd.concat([listed, rest[rest["range_km"].notna()]], ignore_index=True)
    market_cols = ["pricing_rank", "pricing_car", "price_eur", "pricing_eur_per_km", "pricing_km_per_kwh",
                   "pricing_eur_per_kwh", "battery_kwh", "range_km", "as_of", "source_id"]
    rest_cols = ["pricing_car", "pricing_market_name", "pricing_price_kind", "price_eur",
                 "pricing_eur_per_km", "pricing_km_per_kwh", "battery_kwh", "range_km", "as_of", "source_id"]
    return seg, listed[market_cols], rest[rest_cols]


def _prices_table() -> pd.DataFrame:
    rows = reported_prices().copy()
    rows["pricing_market_name"] = [COUNTRY.get(m, m) for m in rows["market"]]
    rows["pricing_price_kind"] = [KIND_WORDS.get(k, k) for k in rows["price_kind"]]
    rows["_day"] = [_day(d) for d in rows["as_of"]]
    rows = rows.sort_values(["market", "trim", "_day", "price_eur"], kind="stable")
    return rows[["pricing_market_name", "trim", "price_eur", "pricing_price_kind", "as_of", "source_id",
                 "note"]].reset_index(drop=True)


UK_FACTS = ("twingo_price_uk_gbp", "twingo_price_uk_headline_gbp", "twingo_price_uk_target_gbp")


def _uk_table(facts: pd.DataFrame) -> pd.DataFrame:
    rows = facts.loc[list(UK_FACTS)].reset_index()
    return rows[["description", "value", "unit", "as_of", "source_id", "note"]]


def _scheme_table(market: str) -> pd.DataFrame:
    rows = scheme_rows(market)
    return rows[["tier", "household", "amount", "status", "valid_from", "conditions", "source_id"]]


def _gaps_table(gaps: pd.DataFrame) -> pd.DataFrame:
    return gaps.loc[gaps["topic"] == "ev", ["what", "status", "note"]].reset_index(drop=True)


PART_NAMES = {"purchase": "Price less incentive", "energy": "Energy", "maintenance": "Maintenance",
              "resale": "Resale value (a credit)"}


Parts = dict[str, dict[str, float]]


def _parts(p: PricingParams, values: Mapping[str, Any]) -> Parts:
    """The TCO's four parts for each car (EUR, discounted): ``{"ev": {part: EUR}, "ice": {...}}``,
    parts purchase, energy, maintenance and resale."""
    ev = Car(values["twingo_price_analysed_eur"], values["incentive_applied_eur"], p.ev_kwh_per_100km,
             p.electricity_eur_per_kwh, p.ev_maintenance_eur_per_year, p.ev_residual_pct)
    ice = Car(p.ice_price_eur, 0.0, p.ice_l_per_100km, p.petrol_eur_per_l, p.ice_maintenance_eur_per_year,
              p.ice_residual_pct)
    a = ev.parts(p.years, p.annual_km, p.discount_rate_pct)
    b = ice.parts(p.years, p.annual_km, p.discount_rate_pct)
    return {"ev": {k: float(x) for k, x in a.items()}, "ice": {k: float(x) for k, x in b.items()}}


def _parts_table(parts: Parts) -> pd.DataFrame:
    ev, ice = parts["ev"], parts["ice"]
    rows = [("Price less incentive", ev["purchase"], ice["purchase"]),
            ("Energy over the years", ev["energy"], ice["energy"]),
            ("Maintenance over the years", ev["maintenance"], ice["maintenance"]),
            ("Resale value at the end (a credit)", ev["resale"], ice["resale"]),
            ("Cost of ownership", sum(ev.values()), sum(ice.values()))]
    return pd.DataFrame([{"pricing_component": name, "pricing_ev_eur": e, "pricing_ice_eur": i,
                          "pricing_difference_eur": e - i} for name, e, i in rows])


# the tornado's rows: a plain label and the inputs moved together (consumption x price merged)
TORNADO_ROWS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Twingo resale value", ("ev_residual_pct",)),
    ("Sandero resale value", ("ice_residual_pct",)),
    ("Petrol cost per 100 km", ("ice_l_per_100km", "petrol_eur_per_l")),
    ("Electricity cost per 100 km", ("ev_kwh_per_100km", "electricity_eur_per_kwh")),
    ("Sandero maintenance", ("ice_maintenance_eur_per_year",)),
    ("Twingo maintenance", ("ev_maintenance_eur_per_year",)),
    ("Discount rate", ("discount_rate_pct",)),
    ("Sandero price", ("ice_price_eur",)),
)


def _end_text(p: PricingParams, names: Sequence[str], values: Mapping[str, float]) -> str:
    """What an input is at one end of its range, as a reader writes it."""
    if len(names) == 2:
        cost = values[names[0]] * values[names[1]]
        return eur(cost, 2)
    name = names[0]
    v = values[name]
    unit = {"ev_residual_pct": "%", "ice_residual_pct": "%", "discount_rate_pct": "%"}.get(name)
    if unit:
        return pct(v, 0 if float(v).is_integer() else 1)
    if name.endswith("_per_year"):
        return f"{eur(v)} a year"
    return eur(v)


def tornado_table(p: PricingParams) -> pd.DataFrame:
    """The TCO gap with each input at the low and the high end of its plausible range, the others
    at their values (consumption and price of each fuel moved together, as one cost per km); one
    headline call for all. Rows sorted by swing, largest first. Inputs held outside their range
    are left out."""
    from alliancelib.uncertainty import uncertain_inputs

    drawn = uncertain_inputs(p)
    rows = [(label, tuple(n for n in names if n in drawn)) for label, names in TORNADO_ROWS]
    rows = [(label, names) for label, names in rows if names]
    if not rows:
        return pd.DataFrame(columns=["label", "low_text", "high_text", "gap_low", "gap_high", "swing"])
    m = 2 * len(rows)
    arrays = {name: np.full(m, float(getattr(p, name))) for _, names in rows for name in names}
    ends = []
    for i, (_, names) in enumerate(rows):
        lo, hi = {}, {}
        for name in names:
            pl = drawn[name]
            arrays[name][2 * i], arrays[name][2 * i + 1] = pl.low, pl.high
            lo[name], hi[name] = float(pl.low), float(pl.high)  # type: ignore[arg-type]
        ends.append((lo, hi))
    gaps = np.asarray(headline(p, **arrays)["tco_gap_eur"], dtype=float)
    out = pd.DataFrame([{"label": label, "low_text": _end_text(p, names, lo),
                         "high_text": _end_text(p, names, hi),
                         "gap_low": float(gaps[2 * i]), "gap_high": float(gaps[2 * i + 1])}
                        for i, ((label, names), (lo, hi)) in enumerate(zip(rows, ends, strict=True))])
    out["swing"] = (out["gap_high"] - out["gap_low"]).abs()
    out.attrs["centre"] = float(headline(p)["tco_gap_eur"])
    return out.sort_values(["swing", "label"], ascending=[False, True], kind="stable").reset_index(drop=True)


def _tornado_frame(t: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"pricing_input": t["label"], "pricing_low_end": t["low_text"],
                         "pricing_gap_low_eur": t["gap_low"], "pricing_high_end": t["high_text"],
                         "pricing_gap_high_eur": t["gap_high"]})


def gap_grid(p: PricingParams) -> dict[str, np.ndarray]:
    """The TCO gap over the distance driven a year (0-30,000 km) and the Twingo's resale value
    (10-60% of its price), and the resale value at which the gap is zero along the distance."""
    distance = np.linspace(0.0, 30000.0, 61)
    resale = np.arange(10.0, 60.5, 1.0)
    gap = np.asarray(headline(p, annual_km=distance[None, :], ev_residual_pct=resale[:, None])["tco_gap_eur"],
                     dtype=float)
    line = np.asarray(headline(p, annual_km=distance)["ev_residual_breakeven_pct"], dtype=float)
    return {"distance": distance, "resale": resale, "gap": gap, "line": line}


def tier_words(tier: Any) -> str:
    """A scheme's tier in words (``<= 45000 EUR`` -> ``up to EUR 45,000``).

    >>> tier_words("income <= 60000 EUR"), tier_words("income <= 80000 EUR (base)")
    ('income up to EUR 60,000', 'income up to EUR 80,000 (base)')
    """
    return re.sub(r"<= (\d+) EUR", lambda m: f"up to EUR {int(m.group(1)):,}", str(tier))


def household_rows(p: PricingParams) -> list[tuple[str, float, str]]:
    """The "for whom" rows: each income tier of the market's scheme, then no incentive (and the
    incentive set, if it is another amount): (label, amount, words for a sentence)."""
    rows = [(f"{HOUSEHOLD_WORDS[r['household']].capitalize()}: {tier_words(r['tier'])}", float(r["amount"]),
             f"{HOUSEHOLD_WORDS[r['household']]} households ({tier_words(r['tier']).split(' (')[0]}, "
             f"{eur(r['amount'])})")
            for _, r in scheme_rows(p.market).iterrows()]
    if p.incentive_eur is not None and p.incentive_eur not in {a for _, a, _ in rows} | {0.0}:
        rows.append(("The "
                     "incentive set", float(p.incentive_eur), f"the incentive set ({eur(p.incentive_eur)})"))
    reason = {"DE": "Germany: incomes above 80,000", "IT": "Italy: the funds ran out",
              "BE": "no scheme in the research"}.get(p.market, "")
    rows.append(("No incentive" + (f" ({reason})" if reason else ""), 0.0, "without any incentive"))
    return rows


def for_whom_table(p: PricingParams) -> pd.DataFrame:
    """The TCO gap (Twingo minus Sandero) for each household tier at a few distances a year, and
    the distance from which the Twingo is cheaper; every other input as in ``p``."""
    rows = household_rows(p)
    amounts = np.array([a for _, a, _ in rows])
    dist = np.array(GAP_DISTANCES, dtype=float)
    v = headline(p, incentive_eur=amounts[:, None], annual_km=dist[None, :])
    gaps = np.broadcast_to(np.asarray(v["tco_gap_eur"], dtype=float), (len(rows), len(dist)))
    at_p = headline(p, incentive_eur=amounts)
    be = np.broadcast_to(np.asarray(at_p["breakeven_annual_km"], dtype=float), (len(rows),))
    out = pd.DataFrame({"pricing_household": [h for h, _, _ in rows], "pricing_incentive_eur": amounts})
    for j, d in enumerate(GAP_DISTANCES):
        out[f"pricing_gap_{d}_eur"] = gaps[:, j]
    out["pricing_cheaper_from"] = [breakeven_words(x) for x in be]
    return out


def breakeven_words(value: float | None) -> str:
    """The break-even distance in words.

    >>> breakeven_words(0.0), breakeven_words(12211.8), breakeven_words(float("nan"))
    ('any distance', '12,200 km a year', 'never')
    """
    if value is None or not math.isfinite(value):
        return "never"
    if value <= 0:
        return "any distance"
    return f"{km(value)} a year"


ARTICLE_CLAIM = "twingo_price_usd"


def article_conversion() -> tuple[float, float]:
    """The article's conversion of the Twingo's price (claims.csv): EUR and USD."""
    claims = _load("claims")
    row = claims[claims["claim_id"] == ARTICLE_CLAIM].iloc[0]
    return float(row["base_value"]), float(row["value"])


def _premiere() -> str:
    return str(_event("twingo_premiere")["date"])


def _event(event_id: str) -> pd.Series:
    """One row of events.csv by its key (KeyError naming the keys if it is not there)."""
    events = _load("events").set_index("event_id")
    if event_id not in events.index:
        raise KeyError(f"events.csv has no event {event_id!r}; keys: {', '.join(events.index)}")
    row = events.loc[event_id]
    assert isinstance(row, pd.Series)  # event_id is the table's primary key
    return row


def _fact(fact_id: str) -> float:
    """One value of facts.csv (in its row's unit)."""
    return float(_load("facts").set_index("fact_id")["value"].astype(float)[fact_id])


def dollar_table(p: PricingParams, values: Mapping[str, Any]) -> pd.DataFrame:
    """The Twingo in dollars: the article's conversion, EUR 20,000 at the ECB rates of the
    announcement and of the premiere, and the price analysed at the rate chosen (with and without
    VAT) and at the newest fixing."""
    article_eur, article_usd = article_conversion()
    announced = ecb("2025-03-31")
    premiere = ecb(_premiere())
    newest = ecb(newest_fixing())
    rate = rate_of(p)
    price = float(values["twingo_price_analysed_eur"])
    net = ex_vat(price, vat_pct(p.market))
    adjective = ADJECTIVE[p.market]
    when = "set by parameter" if rate.source != "ECB" else str(rate.fixing_date)
    rows = [
        ("The article's own conversion", article_eur, "the article, 1 April 2025", article_usd / article_eur,
         article_usd),
        ("The article's EUR 20,000, at the ECB rate of the "
         "announcement", article_eur, str(announced.fixing_date),
         announced.rate_per_eur, article_eur * announced.rate_per_eur),
        ("The article's EUR 20,000, at the ECB rate of the premiere", article_eur, str(premiere.fixing_date),
         premiere.rate_per_eur, article_eur * premiere.rate_per_eur),
        (f"The {adjective} price analysed, at the rate chosen", price, when, rate.rate_per_eur,
         float(values["twingo_price_usd"])),
        (f"The same before {adjective} VAT ({vat_pct(p.market):g}%)", net, when, rate.rate_per_eur,
         net * rate.rate_per_eur),
        ("The price analysed, at the newest ECB "
         "fixing held", price, str(newest.fixing_date), newest.rate_per_eur,
         price * newest.rate_per_eur),
    ]
    return pd.DataFrame(rows, columns=["pricing_conversion", "pricing_amount_eur", "pricing_rate_date",
                                       "pricing_usd_per_eur", "pricing_amount_usd"])


# --------------------------------------------------------------------------- facts behind the words


def _battery_facts() -> dict[str, float]:
    return dict(_battery_facts_cached(_stamp("battery_prices")))


@functools.lru_cache(maxsize=4)
def _battery_facts_cached(stamp: tuple[Any, ...]) -> dict[str, float]:
    packs = _load("battery_prices").set_index(["year", "segment", "kind"])["pack_usd_per_kwh"].astype(float)
    europe_premium = _fact("battery_pack_premium_europe_2025_pct")
    china = packs[(2025, "china", "survey")]
    return {"lfp_2025": packs[(2025, "lfp", "survey")], "nmc_2025": packs[(2025, "nmc", "survey")],
            "all_2023": packs[(2023, "all", "survey")], "all_2024": packs[(2024, "all", "survey")],
            "all_2025": packs[(2025, "all", "survey")], "bev_2025": packs[(2025, "bev", "survey")],
            "china_2025": china, "europe_premium_pct": europe_premium,
            "europe_2025": china * (1 + europe_premium / 100),
            "forecast_2026": packs[(2026, "all", "forecast")]}


def _facts(p: PricingParams, v: Mapping[str, Any], a: Assessment, f: Mapping[str, float], seg: pd.DataFrame,
           for_whom: pd.DataFrame, grid: Mapping[str, np.ndarray]) -> dict[str, Any]:
    """The numbers the texts and findings state, beside the results."""
    price, rate = float(v["twingo_price_analysed_eur"]), rate_of(p).rate_per_eur
    rivals = seg[~seg["is_twingo"]]
    listed = seg[seg["in_market"]]
    per_km_rank = int(1 + (listed["pricing_eur_per_km"] < float(v["price_per_km_range_eur"]) - 1e-9).sum())
    per_kwh_rank = int(1 + (listed["pricing_eur_per_kwh"] < float(v["price_per_kwh_eur"]) - 1e-9).sum())
    efficiency = rivals["pricing_km_per_kwh"].dropna()
    battery = _battery_facts()
    pack_eur = p.battery_kwh * p.pack_usd_per_kwh / rate
    europe_pack_eur = p.battery_kwh * battery["europe_2025"] / rate
    vat = vat_pct(p.market)
    parts = _parts(p, v)
    diff = {name: parts["ev"][name] - parts["ice"][name] for name in parts["ev"]}
    premiere = ecb(_premiere())
    article_eur, article_usd = article_conversion()
    r = p.discount_rate_pct / 100
    point_eur = price / 100 / (1 + r) ** p.years
    no_incentive = for_whom.iloc[-1]
    return {
        "price": price, "vat": vat, "price_ex_vat": ex_vat(price, vat),
        "n_listed": len(listed), "rank": int(v["twingo_rank_in_market"]),
        "cheaper_rivals": listed[(~listed["is_twingo"]) & (listed["price_eur"] < price)],
        "per_km_rank": per_km_rank, "per_kwh_rank": per_kwh_rank,
        "rivals_km_per_kwh_min": float(efficiency.min()) if len(efficiency) else math.nan,
        "rivals_km_per_kwh_max": float(efficiency.max()) if len(efficiency) else math.nan,
        "rivals_per_km_min": float(listed.loc[~listed["is_twingo"], "pricing_eur_per_km"].min()),
        "rivals_per_km_max": float(listed.loc[~listed["is_twingo"], "pricing_eur_per_km"].max()),
        "cheaper_per_km": rivals[rivals["pricing_eur_per_km"] < float(v["price_per_km_range_eur"]) - 1e-9],
        **battery,
        "pack_eur": pack_eur, "europe_pack_eur": europe_pack_eur,
        "europe_share": europe_pack_eur / price * 100,
        "europe_share_ex_vat": europe_pack_eur / ex_vat(price, vat) * 100,
        "parts": parts, "diff": diff, "price_gap": price - p.ice_price_eur,
        "premiere_date": str(premiere.fixing_date), "premiere_rate": premiere.rate_per_eur,
        "premiere_usd": article_eur * premiere.rate_per_eur, "article_usd": article_usd,
        "article_eur": article_eur, "article_rate": article_usd / article_eur,
        "announced_usd": article_eur * ecb("2025-03-31").rate_per_eur,
        "usd_ex_vat": ex_vat(price, vat) * rate,
        "point_eur": point_eur, "annuity": float(annuity_factor(p.years, r)),
        "no_incentive_gap": float(v["tco_gap_no_incentive_eur"]),
        "no_incentive_breakeven": no_incentive["pricing_cheaper_from"],
        "per_1000_km": -float(annuity_factor(p.years, r)) * 1000
        * (p.ev_kwh_per_100km * p.electricity_eur_per_kwh - p.ice_l_per_100km * p.petrol_eur_per_l) / 100,
    }


# --------------------------------------------------------------------------- the words


def cheaper_or_dearer(gap: float) -> str:
    """``cheaper`` for a negative gap (the Twingo costs less), ``dearer`` otherwise.

    >>> cheaper_or_dearer(-3446.4), cheaper_or_dearer(53.6)
    ('cheaper', 'dearer')
    """
    return "cheaper" if gap < 0 else "dearer"


def _price_text(p: PricingParams, v: Mapping[str, Any], price_row: pd.Series | None) -> str:
    country = COUNTRY[p.market]
    prices = markets_with_price()
    others = [f"{COUNTRY[m]} {eur(x)}" for m, x in prices.items() if m != p.market]
    all_prices = reported_prices()
    techno = [float(x) for x in all_prices.loc[(all_prices["market"] == p.market)
                                               & (all_prices["trim"] == "Techno"), "price_eur"]]
    price = float(v["twingo_price_analysed_eur"])
    if price_row is not None:
        from alliancelib.data import load

        publisher = str(load("sources").set_index("source_id").at[price_row["source_id"], "publisher"])
        text = (f"In {country} the base Evolution trim lists at **{eur(price)}** ({publisher}, "
                f"{say_date(price_row['as_of'])}), within the article's promise of \"under EUR 20,000\"; the "
                f"other reported base prices are {list_words(others)}.")
    else:
        reported = prices.get(p.market)
        text = (f"This analysis prices the Twingo at **{eur(price)}**, a price set by parameter"
                + (f" (the reported base price in {country} is {eur(reported)})." if reported else
                   f": no Twingo price is reported for {country}."))
    if len(techno):
        lo, hi = min(techno), max(techno)
        span = eur(lo) if lo == hi else f"{eur(lo)} to {format_number(hi, 0)}"
        text += f" The better-equipped Techno trim costs more ({span} in {country}), above the promise."
    if p.market == "FR":
        text += (" The French figure settles a conflict of late 2025, when one source gave EUR 19,490 and "
                 "another \"around EUR 20,000\": Caradisiac's list price of February 2026 is the newest.")
    return text


def _uk_text(f_uk: pd.DataFrame) -> str:
    vals = {str(k): float(x) for k, x in zip(f_uk["description"], f_uk["value"], strict=True)}
    estimate = vals[next(k for k in vals if "estimate" in k)]
    headline_gbp = vals[next(k for k in vals if "headline" in k)]
    target = vals[next(k for k in vals if "target" in k)]
    return (f"The UK has no list price in the sources. What Car?'s headline says £{headline_gbp:,.0f}, while "
            f"the research reads an estimate \"from £{estimate:,.0f}\" in the same article (on sale in "
            f"2027), and Top Gear's copy gives a target of less than £{target:,.0f}. The conflict stays in "
            "the table; none of these figures is converted to euros, since a late-2025 estimate converted "
            "at any day's rate would look more precise than it is.")


def _segment_text(p: PricingParams, v: Mapping[str, Any], k: Mapping[str, Any]) -> str:
    country = COUNTRY[p.market]
    cheaper = k["cheaper_rivals"]
    names = [f"the {r['pricing_car']} ({eur(r['price_eur'])})" for _, r in cheaper.iterrows()]
    rank, n = k["rank"], k["n_listed"]
    text = (f"In {country}, at {eur(v['twingo_price_analysed_eur'])}, the Twingo is "
            f"**{rank_words(rank, n)}** EVs "
            "listed there" + (f"; {'only ' if len(names) * 2 < n else ''}{list_words(names)} cost less."
                              if names else "."))
    text += (f" Per km of WLTP range it costs **{eur(v['price_per_km_range_eur'])}**, "
             f"{low_rank_words(k['per_km_rank'], n)} in {country} (its rivals: "
             f"{eur(k['rivals_per_km_min'])} to {format_number(k['rivals_per_km_max'], 0)}).")
    text += (f" Per kWh of battery it looks dear ({eur(v['price_per_kwh_eur'])}, "
             f"{low_rank_words(k['per_kwh_rank'], n)}), "
             "but that mostly says its battery is small: it goes "
             f"**{format_number(v['km_per_kwh_battery'], 1)} km** on each kWh, against "
             f"{format_number(k['rivals_km_per_kwh_min'], 1)} to "
             f"{format_number(k['rivals_km_per_kwh_max'], 1)} for every rival in the data with a stated "
             "battery. Price per kWh penalises an efficient car "
             "with a small battery; price per km of range measures what the money buys.")
    below = k["cheaper_per_km"]
    if len(below):
        items = [f"the {r['pricing_car']} ({COUNTRY.get(r['market'], r['market'])}, "
                 f"{KIND_WORDS[r['price_kind']]}, "
                 f"{eur(r['pricing_eur_per_km'])})" for _, r in below.iterrows()]
        text += (f" Across every market and kind of price in the data, only {list_words(items)} cost less "
                 "per km.")
        if (below["price_kind"] == "target").any():
            text += (" A target is a promised price, not one on sale, so it is the weakest of these "
                     "comparisons.")
    return text


def _segment_example(p: PricingParams, v: Mapping[str, Any]) -> str:
    price = float(v["twingo_price_analysed_eur"])
    return ("**Worked example** (the Twingo as analysed): "
            f"$\\frac{{{tex(price)}}}{{{format_number(p.range_km, 0)}}} = "
            f"{float(v['price_per_km_range_eur']):.2f}$ euros per km of range and "
            f"$\\frac{{{format_number(p.range_km, 0)}}}{{{p.battery_kwh:g}}} = "
            f"{float(v['km_per_kwh_battery']):.3f}$ km per kWh, so ${float(v['price_per_km_range_eur']):.2f} "
            f"\\times {float(v['km_per_kwh_battery']):.3f} = {tex(float(v['price_per_kwh_eur']))}$ euros per "
            "kWh: its price per kWh is high because each of its kWh goes far.")


def _china_text() -> str:
    """What the data says about the Twingo's Chinese side and its Chinese-brand rivals."""
    facts = _load("facts").set_index("fact_id")["value"]
    cars = europe_segment()
    t03 = cars[cars["model"] == "Leapmotor T03"].iloc[0]
    surf = cars[cars["model"] == "BYD Dolphin Surf"]
    per_km = sorted(float(x) for x in surf["price_eur"] / surf["range_km"])
    t03_per_km = float(t03["price_eur"]) / float(t03["range_km"])
    return (f"**The Chinese side.** The Twingo was developed in about {facts['twingo_development_months']:g} "
            "months with Renault's engineering centre in Shanghai, and "
            f"{facts['twingo_chinese_content_2025_pct']:g}% to {facts['twingo_chinese_parts_pct']:g}% of its "
            "parts are Chinese, the CATL battery above all (sources differ); from 2027 Hungarian-made CATL "
            f"cells are to bring that below {facts['twingo_chinese_content_2027_pct']:g}%. The two brands "
            f"from China in the data (our labelling, not the sources') cost {eur(t03_per_km)} per km of "
            f"range (the Leapmotor T03, France) and {eur(per_km[0])} to {format_number(per_km[-1], 0)} (the "
            "BYD Dolphin Surf, Germany, promotion and list price). Prices of small EVs in China itself are "
            "not in the research.")


def _battery_text(p: PricingParams, v: Mapping[str, Any], k: Mapping[str, Any], rate: fx.Fixing) -> str:
    vat = k["vat"]
    return (
        f"**Worked example.** The pack: $${format_number(p.battery_kwh, 1)}\\ \\text{{kWh}} \\times "
        f"{tex(p.pack_usd_per_kwh)}\\ \\text{{USD/kWh}} \\div {rate.rate_per_eur:g} = \\text{{EUR}}\\ "
        f"{tex(k['pack_eur'])}$$ that is {pct(v['battery_cost_share_pct'])} of the {eur(k['price'])} price "
        f"including VAT, and **{pct(v['battery_cost_share_ex_vat_pct'])}** of the price before {vat:g}% VAT "
        f"({eur(k['price'])} / {1 + vat / 100:.2f} = {eur(k['price_ex_vat'])}), which is what the carmaker "
        f"and its dealer share. At Europe's average pack price (USD {k['china_2025']:g} for China, plus "
        f"{k['europe_premium_pct']:g}%: about USD {format_number(k['europe_2025'], 0)} by our arithmetic) "
        f"the pack would cost {eur(k['europe_pack_eur'])}, {pct(k['europe_share'])} of the price including "
        f"VAT and {pct(k['europe_share_ex_vat'])} before VAT."
    )


def _dollar_text(p: PricingParams, v: Mapping[str, Any], k: Mapping[str, Any], rate: fx.Fixing) -> str:
    change = k["premiere_usd"] / k["article_usd"] - 1
    return (
        f"At {rate.describe()}, the {ADJECTIVE[p.market]} price analysed, "
        f"{eur(v['twingo_price_analysed_eur'])}, is **USD {format_number(v['twingo_price_usd'], 0)}**. The "
        f"article's \"USD {format_number(k['article_usd'], 0)}\" for EUR "
        f"{format_number(k['article_eur'], 0)} used {k['article_rate']:.5f} dollars per euro, close to the "
        f"ECB's fixing of the announcement (USD {format_number(k['announced_usd'], 0)}). By the premiere on "
        f"{say_date(k['premiere_date'])} the euro had risen to {k['premiere_rate']:g} dollars and the same "
        f"EUR {format_number(k['article_eur'], 0)} was **USD {format_number(k['premiere_usd'], 0)}**, "
        f"{pct(change * 100)} more. Read these as conversions, not prices: a European list price includes "
        f"VAT ({k['vat']:g}% in {COUNTRY[p.market]}); before VAT the price analysed is USD "
        f"{format_number(k['usd_ex_vat'], 0)}."
    )


def _incentive_text(p: PricingParams, inc: Incentive) -> str:
    country = COUNTRY[p.market]
    if p.market == "FR":
        rows = scheme_rows("FR")
        amounts = {r["household"]: float(r["amount"]) for _, r in rows.iterrows()}
        seen = (f"offers seen in December 2025 ranged from EUR "
                f"{format_number(_fact('fr_coup_de_pouce_offers_min_eur'), 0)} to "
                f"{format_number(_fact('fr_coup_de_pouce_offers_max_eur'), 0)} (MoneyVox)")
        listed, after = _caradisiac_prices()
        smallest = listed - after
        text = ("France's *coup de pouce* for electric cars, paid by energy suppliers, was extended into "
                "2026 by an arrêté of 24 December 2025 (applicable from 1 January 2026). By income it pays "
                f"{eur(amounts['low'])} to precarious households, {eur(amounts['middle'])} to modest ones "
                f"and {eur(amounts['high'])} to all others. The amounts are indicative: suppliers set them, "
                f"{seen}, and Caradisiac's \"EUR 15,870 with the smallest bonus\" implies EUR "
                f"{format_number(smallest, 0)} for the Twingo ({format_number(listed, 0)} − "
                f"{format_number(after, 0)}). An extra bonus of EUR 1,200 "
                "to 2,000 for a European-made battery exists; whether the Twingo, whose cells come from "
                "CATL, qualifies is not in the research, so it is not counted.")
    elif p.market == "DE":
        rows = scheme_rows("DE")
        amounts = {r["household"]: float(r["amount"]) for _, r in rows.iterrows()}
        text = (f"Germany's 2026 premium for electric cars pays {eur(amounts['low'])} to households with an "
                f"income up to EUR 45,000, {eur(amounts['middle'])} up to 60,000 and {eur(amounts['high'])} "
                "up to 80,000 (90,000 with two children), nothing above; EUR 500 more per child (at most "
                "1,000), at most EUR 6,000. It covers registrations from 1 January 2026; applications were "
                "expected from May 2026, up to a year back.")
    else:
        text = f"No incentive applies in {country}: {NO_SCHEME[p.market]}."
    if p.incentive_eur is not None:
        text += f" This analysis deducts **{eur(p.incentive_eur)}**, an amount set by parameter."
    elif inc.applies:
        text += (f" This analysis deducts **{eur(inc.amount_eur)}**, the amount for "
                 f"{HOUSEHOLD_WORDS[p.household]} households ({inc.tier})"
                 + (": the smallest tier, for households above the modest-income threshold, so the cautious "
                    "default; lower incomes get more (see *for whom* below). The 2026 amounts are indicative "
                    "(offers vary by energy supplier)." if p.household == "high" else "."))
    return text


def _caradisiac_prices() -> tuple[float, float]:
    """Caradisiac's French list price of the entry trim and its price after the smallest bonus
    (EUR; car_models.csv and facts.csv). Their difference is the bonus it implies."""
    return _listed_price("caradisiac_20260211"), _fact("twingo_price_fr_after_smallest_bonus_eur")


def _listed_price(source_id: str) -> float:
    """The entry trim's French list price that ``source_id`` gives (car_models.csv), in EUR."""
    rows = reported_prices()
    found = rows[(rows["source_id"] == source_id) & (rows["trim"] == BASE_TRIM) & (rows["market"] == "FR")]
    if found.empty:
        raise KeyError(f"car_models.csv has no French {BASE_TRIM} price from {source_id!r}")
    return float(found["price_eur"].iloc[0])


def _tco_texts(p: PricingParams, v: Mapping[str, Any], k: Mapping[str, Any]) -> dict[str, str]:
    diff = k["diff"]
    gap = float(v["tco_gap_eur"])
    price, inc = float(v["twingo_price_analysed_eur"]), float(v["incentive_applied_eur"])
    ev_run = (p.annual_km / 100 * p.ev_kwh_per_100km * p.electricity_eur_per_kwh
              + p.ev_maintenance_eur_per_year)
    ice_run = p.annual_km / 100 * p.ice_l_per_100km * p.petrol_eur_per_l + p.ice_maintenance_eur_per_year
    r = p.discount_rate_pct
    disc = f"(1 + {r / 100:g})^{{{p.years}}}" if r else "1"
    a_txt = f"{k['annuity']:.3f}"
    example = (
        f"**Worked example** ({COUNTRY[p.market]}, {eur(inc)} incentive, {format_number(p.annual_km, 0)} km "
        f"a year, {p.years} years, {pct(r, 0 if float(r).is_integer() else 1)} a year). The discounted years "
        f"add up to $\\sum_{{t=1}}^{{{p.years}}} (1 + {r / 100:g})^{{-t}} = {a_txt}$. Running costs a year: "
        f"the Twingo ${format_number(p.annual_km / 100, 0)} \\times {p.ev_kwh_per_100km:g} \\times "
        f"{p.electricity_eur_per_kwh:g} + {tex(p.ev_maintenance_eur_per_year)} = {tex(ev_run)}$ euros, the "
        f"Sandero ${format_number(p.annual_km / 100, 0)} \\times {p.ice_l_per_100km:g} \\times "
        f"{p.petrol_eur_per_l:g} + {tex(p.ice_maintenance_eur_per_year)} = {tex(ice_run)}$ euros. "
        f"So\n\n$$\\text{{Twingo}} = {tex(price)} - {tex(inc)} + {a_txt} \\times {tex(ev_run)} - "
        f"\\frac{{{tex(price)} \\times {p.ev_residual_pct:g}\\%}}{{{disc}}} = "
        f"{tex(float(v['tco_ev_eur']))}$$\n\n$$\\text{{Sandero}} = {tex(p.ice_price_eur)} + {a_txt} \\times "
        f"{tex(ice_run)} - \\frac{{{tex(p.ice_price_eur)} \\times {p.ice_residual_pct:g}\\%}}{{{disc}}} = "
        f"{tex(float(v['tco_ice_eur']))}$$\n\nThe Twingo is **{eur(abs(gap))} {cheaper_or_dearer(gap)}**."
    )
    be = v["breakeven_annual_km"]
    where = ("It is cheaper at any distance" if be == 0 else
             "It never catches up, whatever the distance" if be is None else
             f"It is cheaper from **{km(be)} a year**")
    helps = [(abs(diff[name]), words) for name, words in
             (("energy", "cheaper "
                         "energy"), ("maintenance", "cheaper servicing"), ("resale", "a larger resale value"))
             if diff[name] < 0]
    if inc > 0:
        helps.append((inc, "the incentive"))
    helps.sort(reverse=True)
    verdict = (
        f"Over {p.years} years at {format_number(p.annual_km, 0)} km a year the Twingo costs "
        f"**{eur(v['tco_ev_eur'])}** and the Sandero **{eur(v['tco_ice_eur'])}**, discounted at "
        f"{pct(r, 0 if float(r).is_integer() else 1)} a year: the Twingo is **{eur(abs(gap))} "
        f"{cheaper_or_dearer(gap)}**. {where} (with everything else as set). The Sandero is "
        f"{eur(abs(k['price_gap']))} {'cheaper' if k['price_gap'] > 0 else 'dearer'} to buy; "
        + (f"{list_words([w for _, w in helps])} take back "
           f"{list_words([eur(x) for x, _ in helps])} respectively." if helps else "nothing takes it back.")
        + " The resale credit deserves a look: " + (
            f"both cars are assumed to keep {pct(p.ev_residual_pct, 0)} of their "
            "price" if p.ev_residual_pct ==
            p.ice_residual_pct else f"the cars are assumed to keep {pct(p.ev_residual_pct, 0)} (Twingo) and "
            f"{pct(p.ice_residual_pct, 0)} (Sandero) of their price")
        + ", and a share of a dearer car is more money, so the Twingo gets "
        f"**{eur(v['ev_extra_resale_credit_eur'])}** more back"
        + (f", {pct(float(v['ev_extra_resale_credit_eur']) / abs(gap) * 100, 0)} of its "
           "advantage." if gap < 0 and
           float(v["ev_extra_resale_credit_eur"]) > 0 else ".")
    )
    return {"tco_example": example, "tco": verdict}


def _decides_texts(p: PricingParams, v: Mapping[str, Any], a: Assessment, k: Mapping[str, Any],
                   tornado: pd.DataFrame) -> dict[str, str]:
    gap = float(v["tco_gap_eur"])
    s_star = v["ev_residual_breakeven_pct"]
    price = float(v["twingo_price_analysed_eur"])
    r = p.discount_rate_pct / 100
    point = k["point_eur"]
    if s_star is None:
        beyond = "below 0%" if gap < 0 else "above 100%"
        resale = (f"No resale value between 0% and 100% closes the gap: it would take {beyond}, so the "
                  "verdict does not hang on the resale value here.")
    else:
        resale = (
            "**The break-even resale value.** Each point of the Twingo's resale value is worth "
            f"${tex(price)} / 100 / (1 + {r:g})^{{{p.years}}} = \\text{{EUR}}\\ {point:,.0f}$ today, so a "
            f"gap of {eur(abs(gap))} {'in its favour' if gap < 0 else 'against it'} lasts until its resale "
            f"value {'falls' if gap < 0 else 'rises'} by {format_number(abs(gap) / point, 1)} points: $$s^* "
            f"= s + \\frac{{\\Delta \\, (1 + r)^n}}{{P}} = {p.ev_residual_pct:g} + \\frac{{{tex(gap)} "
            f"\\times {(1 + r) ** p.years:.4f}}}{{{tex(price)}}} = {s_star:.1f}\\%$$ The Twingo stays "
            f"cheaper as long as it keeps more than **{pct(s_star)}** of its price after {p.years} years "
            f"(the Sandero keeping {pct(p.ice_residual_pct, 0)})." if gap < 0 else
            "**The break-even resale value.** Each point of the Twingo's resale value is worth "
            f"${tex(price)} / 100 / (1 + {r:g})^{{{p.years}}} = \\text{{EUR}}\\ {point:,.0f}$ today: the "
            f"Twingo would need to keep **{pct(s_star)}** of its price to cost the same as the Sandero."
        )
    top = tornado.iloc[0] if len(tornado) else None
    tornado_text = ""
    if top is not None:
        flips = tornado[(np.sign(tornado["gap_low"]) != np.sign(tornado["gap_high"]))
                        | (np.sign(tornado["gap_low"]) != np.sign(gap))]
        tornado_text = (
            "The chart moves one assumption at a time from the low to the high end of its plausible range "
            "(the table of ranges is in *How sure is this?*), the others as set; consumption and price of "
            f"each fuel move together, as one cost per 100 km. The **{top['label'].lower()}** moves the gap "
            f"most, by {eur(top['swing'])}. "
            + ("No single assumption, within its range, turns the verdict around." if flips.empty else
               f"Within its range, {list_words([x.lower() for x in flips['label']])} can turn the verdict "
               "around.")
            + " The solid line is the gap at the values set; the dotted line is zero, where both cars cost "
              "the same.")
    per_1000 = k["per_1000_km"]
    grid_text = (
        "The map below crosses the two things that decide it: the distance driven (the more you drive, the "
        f"more the Twingo's cheaper energy counts: each 1,000 km a year is worth {eur(abs(per_1000))} over "
        f"{p.years} years {'to the Twingo' if per_1000 > 0 else 'to the Sandero'}) and the Twingo's resale "
        "value. Blue is where the Twingo is cheaper, red where the Sandero is; the black line is where both "
        "cost the same. The research has no electricity tariffs, so no band for home against public "
        "charging can be drawn: the electricity price's effect is in the chart above."
    )
    return {"resale": resale, "tornado": tornado_text, "grid": grid_text}


def cheaper_from(value: Any) -> str:
    """Where the Twingo is cheaper, in words.

    >>> cheaper_from(0.0), cheaper_from(12211.8), cheaper_from(None)
    ('cheaper at any distance', 'cheaper from 12,200 km a year', 'never cheaper')
    """
    words = breakeven_words(float("nan") if value is None else float(value))
    return {"any "
            "distance": "cheaper at any "
                        "distance", "never": "never cheaper"}.get(words, f"cheaper from {words}")


def _for_whom_text(p: PricingParams, v: Mapping[str, Any]) -> str:
    rows = []
    for label, amount, words in household_rows(p):
        r = headline(p, incentive_eur=amount)
        rows.append((label, amount, words, float(r["tco_gap_eur"]), r["breakeven_annual_km"]))
    at = f"{format_number(p.annual_km, 0)} km a year"
    tiers = [r for r in rows if r[1] > 0]
    text = "**For whom.** With everything else as set: "
    if tiers and all(r[4] == 0 for r in tiers):
        least, most = max(tiers, key=lambda r: r[3]), min(tiers, key=lambda r: r[3])
        text += (f"with any tier of {COUNTRY[p.market]}'s scheme the Twingo is cheaper at any distance, by "
                 f"{eur(abs(least[3]))} for {least[2].split(' (')[0]} to {eur(abs(most[3]))} for "
                 f"{most[2].split(' (')[0]} at {at}. ")
    elif tiers:
        text += "; ".join(f"{w}: the Twingo is {eur(abs(g))} {cheaper_or_dearer(g)} at {at}, "
                          f"{cheaper_from(b)}"
                          for _, _, w, g, b in tiers) + ". "
    _, _, _, gap, be = rows[-1]
    text += (f"{'W' if tiers else 'w'}ithout any incentive the Twingo is {eur(abs(gap))} "
             f"{cheaper_or_dearer(gap)} at {at} and {cheaper_from(be)}.")
    if tiers:
        text += " " + _incentive_role(gap, [g for _, _, _, g, _ in tiers])
    return text


def _incentive_role(gap_none: float, gaps: Sequence[float]) -> str:
    """What the incentive does to the verdict, from the signs of the gaps with and without it.

    >>> _incentive_role(54.0, [-3446.0, -4646.0])
    'The incentive turns a draw or a loss into a clear win; the distance driven does the rest.'
    >>> _incentive_role(2000.0, [876.0, -124.0])
    'Even with the incentive the Twingo is dearer for some households; the distance driven decides the rest.'
    """
    wins = [g < 0 for g in gaps]
    if all(wins) and gap_none >= 0:
        return "The incentive turns a draw or a loss into a clear win; the distance driven does the rest."
    if all(wins):
        return "The Twingo wins with or without the incentive, which widens its lead."
    if not any(wins):
        return "Even with the incentive the Twingo is dearer for every household; only more driving helps it."
    return ("Even with the incentive the Twingo is dearer for some households; the distance driven decides "
            "the rest.")


def _cheapest_ev_text(p: PricingParams, v: Mapping[str, Any]) -> str:
    """The market's cheapest listed EV in the same TCO, as far as the data allows: only its price
    differs, since its consumption, servicing and resale value are not in the research."""
    rivals = market_list(p.market)
    if rivals.empty:
        return ""
    cheapest = rivals.sort_values("price_eur", kind="stable").iloc[0]
    price = float(v["twingo_price_analysed_eur"])
    other = float(cheapest["price_eur"])
    if other >= price:
        return ""
    keep = p.ev_residual_pct / 100 / (1 + p.discount_rate_pct / 100) ** p.years
    saving = (price - other) * (1 - keep)
    name = car_name(str(cheapest["model"]), cheapest["trim"])
    return (f"**The cheapest EV instead.** The {name} lists at {eur(other)} in {COUNTRY[p.market]}, "
            f"{eur(price - other)} less. Its consumption, servicing and resale value are not in the "
            "research, so its cost of ownership cannot be computed apart from its price: with the Twingo's "
            f"running costs, resale percentage and incentive it would cost {eur(saving)} less over {p.years} "
            f"years (${tex(price - other)} \\times (1 - {keep:.3f})$, the resale value giving back part of "
            f"the price difference), for {format_number(float(cheapest['range_km']), 0)} km of range against "
            f"{format_number(p.range_km, 0)}. Whether it gets the same incentive is not in the research.")


NOT_COVERED = ("**What the totals leave out.** Insurance, financing (a loan's interest: the discount rate "
               "stands in for the cost of money), registration taxes, a home charger and the battery's "
               "health after the years: the research has no figures for any of them, so none is in either "
               "car's total. Each would move the gap by its difference between the two cars, not by its "
               "size.")


def _battery_k() -> dict[str, float]:
    return _battery_facts()


def _robustness(p: PricingParams, v: Mapping[str, Any], a: Assessment, concl: Sequence[Conclusion]) -> str:
    from alliancelib import uncertainty

    lines = []
    if a.held:
        held = ", ".join(in_words(a.labels[n]) for n in a.held)
        lines.append(f"- Set outside their plausible range and held there: {held}.")
    lines.append("- *The Twingo against its segment*: "
                 f"{uncertainty.range_sentence(a, SPECS['price_per_km_range_eur'])} The prices are reported "
                 "list prices, with no range.")
    for c in concl:
        lines.append(f"- *{c.statement[0].upper() + c.statement[1:]}*: "
                     f"{uncertainty.robustness_sentence(a, c)}")
    battery = battery_range_words(p, v, _battery_k(), a.result_ranges().get("battery_cost_share_ex_vat_pct"))
    lines.append(f"- *The battery's share before VAT*: {battery} Only the pack price moves it.")
    lines.append("- *In dollars*: the rate of a chosen date, not an uncertainty: no range.")
    return "\n".join(lines)


def in_words(label: str) -> str:
    """A label or a sentence inside a sentence: its first letter in lower case unless the first
    word is a name or an acronym.

    >>> in_words("Twingo resale value"), in_words("A confirmed scheme"), in_words("BloombergNEF's survey")
    ('Twingo resale value', 'a confirmed scheme', "BloombergNEF's survey")
    """
    from alliancelib.uncertainty import PROPER_NOUNS

    first = label.split(" ", 1)[0]
    bare = re.sub(r"'s$", "", first)
    if bare in PROPER_NOUNS or not re.fullmatch(r"[A-Z][a-z]*", bare):
        return label
    return label[:1].lower() + label[1:]


def _texts(p: PricingParams, v: Mapping[str, Any], a: Assessment, concl: Sequence[Conclusion], inc: Incentive,
           price_row: pd.Series | None, rate: fx.Fixing, k: Mapping[str, Any],
           tables: Mapping[str, pd.DataFrame],
           tornado: pd.DataFrame) -> dict[str, str]:
    out = {"prices": _price_text(p, v, price_row), "uk": _uk_text(tables["uk"]),
           "segment": _segment_text(p, v, k),
           "segment_example": _segment_example(p, v), "battery": _battery_text(p, v, k, rate),
           "dollars": _dollar_text(p, v, k, rate), "incentive": _incentive_text(p, inc),
           "for_whom": _for_whom_text(p, v), "not_covered": NOT_COVERED, "cheapest": _cheapest_ev_text(p, v),
           "china": _china_text(),
           "robustness": _robustness(p, v, a, concl)}
    out.update(_tco_texts(p, v, k))
    out.update(_decides_texts(p, v, a, k, tornado))
    return out


# --------------------------------------------------------------------------- since, sources, findings


def since_line(p: PricingParams) -> tuple[str, list[str]]:
    """What happened since the announcement (news to the data's date), and its sources."""
    premiere = _event("twingo_premiere")
    listed = _event("twingo_fr_evolution_listed")
    deliveries = _event("twingo_first_deliveries_planned")
    wave = _event("wave_name_reported")
    france = _event("france_coup_de_pouce_extended")
    germany = _event("germany_premium_applications")
    spain = _event("spain_auto_plus_timing")
    bnef = _event("bnef_2025_survey")
    wave_production = f"{_fact('wave_production_start_year'):.0f}"
    cars = _load("car_models")
    dacia = cars[cars["model"].str.startswith("Dacia Spring successor")].iloc[0]
    uk = _load("incentives")
    uk = uk[(uk["country"] == "UK") & (uk["scheme"] == "Electric Car Grant")]
    packs = _battery_facts()
    french_price = format_number(_listed_price(str(listed["source_id"])), 0)
    text = (
        f"The Twingo had its world premiere on {say_date(premiere['date'])}; France lists it at EUR "
        f"{french_price} ({say_date(listed['date'])}) and first "
        f"deliveries were planned for {say_date(deliveries['date'])} (a stated plan, not confirmed in the "
        "sources). Nissan's sibling, reported as \"Wave\" (not official), is to be built at Revoz from "
        f"{wave_production} (secondary sources), and a Twingo-based Dacia is targeted under "
        f"{eur(dacia['price_eur'])}. France extended its bonus into 2026, Germany's premium applies from "
        f"2026 with applications expected from {say_date(germany['date']).split()[0]}, Spain's Auto+ is "
        "expected to be claimable from May or June 2026 and the UK pays a grant of up to "
        f"£{float(uk['amount'].max()):,.0f}. "
        f"BloombergNEF's 2025 survey averaged USD {packs['all_2025']:g} per kWh for battery packs; it "
        f"expects {packs['forecast_2026']:g} in 2026."
    )
    ids = [str(x) for x in (premiere["source_id"], listed["source_id"], deliveries["source_id"],
                            wave["source_id"],
                            france["source_id"], germany["source_id"], spain["source_id"], bnef["source_id"],
                            dacia["source_id"], uk["source_id"].iloc[0])]
    ids += list(_load("claim_sources").query("claim_id == 'nissan_twingo_2026' and role == "
                                             "'outcome'")["source_id"])
    ids += list(_load("battery_prices").query("year == 2026")["source_id"])
    return text, sorted(set(ids))


def _source_ids(p: PricingParams, tables: Mapping[str, pd.DataFrame], seg: pd.DataFrame, inc: Incentive,
                price_row: pd.Series | None, since_ids: Sequence[str]) -> list[str]:
    from alliancelib.report import sources_used

    frames = [tables[k] for k in ("prices", "uk", "market", "rest", "batteries", "scheme", "incentives")]
    frames.append(seg[["source_id"]])
    facts = _load("facts").set_index("fact_id")
    extra = ["ecb_eurofxref", "seed_autoexpert", "vatcalc_2025",
             str(facts.at["twingo_consumption_kwh_per_100km", "source_id"]),
             str(facts.at["twingo_battery_kwh", "source_id"]), str(facts.at["twingo_range_km", "source_id"]),
             *since_ids]
    cars = _load("car_models")
    extra += list(cars.loc[cars["model"] == SANDERO, "source_id"])
    if inc.source_id:
        extra.append(inc.source_id)
    if p.market == "IT":
        extra += [str(_event(k)["source_id"]) for k in ("italy_ecobonus_opens", "italy_ecobonus_reopens")]
    ids = sources_used(frames, extra)
    return [i for i in ids if i]


def cases_words(share: float) -> str:
    """How many plausible cases, in words.

    >>> cases_words(1.0), cases_words(0.59692), cases_words(0.99886)
    ('every plausible case', '60% of plausible cases', 'more than 99% of plausible cases')
    """
    from alliancelib.uncertainty import percent

    if share >= 1:
        return "every plausible case"
    if share <= 0:
        return "no plausible case"
    return f"{percent(share)} of plausible cases"


def toss_words(share: float) -> str:
    """What a share of plausible cases in which the Twingo wins says.

    >>> toss_words(0.6), toss_words(0.2)
    ('the verdict is a coin toss', 'the Sandero wins most plausible cases')
    """
    if share >= 0.65:
        return "the Twingo still wins most plausible cases"
    if share <= 0.35:
        return "the Sandero wins most plausible cases"
    return "the verdict is a coin toss"


def deciding_words(a: Assessment, key: str) -> str:
    """The one or two inputs that decide a result or conclusion, in words ("the two resale values")."""
    names = a.deciding(key)[:2]
    if set(names) == {"ev_residual_pct", "ice_residual_pct"}:
        return "the two resale values"
    return list_words([in_words(a.labels[n]) for n in names]) if names else ""


def battery_range_words(p: PricingParams, v: Mapping[str, Any], k: Mapping[str, Any],
                        recorded: tuple[float, float] | None = None) -> str:
    """The battery's share before VAT across the pack price's plausible range (the share is linear
    in the pack price, so its ends are the range's ends), and the recorded 90% range beside it when
    given, so the text and the table do not seem to disagree."""
    pl = plausible_of(PricingParams, "pack_usd_per_kwh")
    if pl is None or pl.low is None or pl.high is None or not pl.contains(p.pack_usd_per_kwh):
        return "The pack price is set outside its plausible range: no range."
    share = float(v["battery_cost_share_ex_vat_pct"]) / p.pack_usd_per_kwh if p.pack_usd_per_kwh else 0.0
    ends = (f"Across the plausible pack prices, from USD {pl.low:g} to about {pl.high:g} (Europe's average), "
            f"it is {pct(share * pl.low)} to {pct(share * pl.high)} at the ends")
    if recorded is None:
        return ends + "."
    return ends + (f" and {pct(recorded[0])} to {pct(recorded[1])} in 90% of plausible cases (the range "
                   "recorded).")


def _incentive_words(p: PricingParams, inc: Incentive, amount: float) -> str:
    """The incentive as a finding names it."""
    if p.incentive_eur is not None:
        return f"an incentive of **{eur(amount)}** (set)" if amount else "no incentive (set)"
    if inc.applies:
        kind = "bonus" if p.market == "FR" else "premium"
        indicative = "indicative " if p.market == "FR" else ""  # France's 2026 amounts are indicative
        return (f"{COUNTRY[p.market]}'s {indicative}**{eur(amount)}** {kind} for "
                f"{HOUSEHOLD_WORDS[p.household]} households")
    return f"no incentive ({SHORT_REASON.get(p.market, 'none applies')})"


def _findings(p: PricingParams, v: Mapping[str, Any], a: Assessment, concl: Sequence[Conclusion],
              inc: Incentive,
              k: Mapping[str, Any]) -> list[Finding]:

    country = COUNTRY[p.market]
    gap = float(v["tco_gap_eur"])
    amount = float(v["incentive_applied_eur"])
    ranges = a.result_ranges()
    per_km_value = float(v["price_per_km_range_eur"])
    lo_km, hi_km = ranges.get("price_per_km_range_eur", (per_km_value, per_km_value))
    per_km = (f"only the conflict on the range moves the price per km, between {eur(lo_km)} and "
              f"{format_number(hi_km, 0)}" if hi_km - lo_km >= 0.5 else "no uncertain input moves them")
    segment = Finding(
        "segment",
        f"At **{eur(v['twingo_price_analysed_eur'])}** in {country} the Twingo is "
        f"{rank_words(int(v['twingo_rank_in_market']), k['n_listed'])} small EVs listed there and costs "
        f"**{eur(v['price_per_km_range_eur'])} per km of range**. It goes furthest on each kWh of battery "
        f"(**{format_number(v['km_per_kwh_battery'], 1)} km**, against "
        f"{format_number(k['rivals_km_per_kwh_min'], 1)} to {format_number(k['rivals_km_per_kwh_max'], 1)} "
        "for its rivals), so its high price per kWh mostly says its battery is small. "
        f"{'These are reported list prices' if p.twingo_price_eur is None else 'The price is set'}; "
        f"{per_km}.",
        anchor=anchor_for(SECTION_SEGMENT), headline=True)

    c_main = next(c for c in concl if c.key == "ev_cheaper")
    share = a.share(c_main.key)
    s_star = v["ev_residual_breakeven_pct"]
    decisive = a.deciding(c_main.key) and a.flips(c_main.key)
    decide = f"; {deciding_words(a, c_main.key)} decide it" if decisive else ""
    if s_star is not None and gap < 0:
        hinge = f", and the Twingo stays cheaper as long as it keeps more than **{pct(s_star)}** of its price"
    elif s_star is not None:
        hinge = f"; it would need to keep **{pct(s_star)}** of its price to draw level"
    else:
        hinge = ""
    tco = Finding(
        "tco",
        f"Over **{p.years} years** at {format_number(p.annual_km, 0)} km a year, with "
        f"{_incentive_words(p, inc, amount)}, the Twingo costs **{about(gap)} "
        f"{'less' if gap < 0 else 'more'}** than a petrol Sandero (discounted at "
        f"{rate_words(p.discount_rate_pct)} a year). That holds in "
        f"{cases_words(share if gap < 0 else 1 - share)}{decide}{hinge}.",
        anchor=anchor_for(SECTION_TCO), headline=True, holds_pct=(share if gap < 0 else 1 - share) * 100,
        flips=a.flips(c_main.key))

    c_none = next(c for c in concl if c.key == "ev_cheaper_without_incentive")
    credit = float(v["ev_extra_resale_credit_eur"])
    equal = (f"equal {pct(p.ev_residual_pct, 0)} resale "
             "values" if p.ev_residual_pct == p.ice_residual_pct else
             f"resale values of {pct(p.ev_residual_pct, 0)} and {pct(p.ice_residual_pct, 0)}")
    if amount > 0:
        none_gap = float(v["tco_gap_no_incentive_eur"])
        share_none = a.share(c_none.key)
        be = a.verdicts[c_none.key].breakeven
        be_text = (" (break-even: a Twingo resale value of "
                   f"{pct(be[1])})" if be and be[0] == "ev_residual_pct"
                   else "")
        third = Finding(
            "without-incentive",
            f"Without the incentive {toss_words(share_none)}: the Twingo would be {about(none_gap, 10)} "
            f"{cheaper_or_dearer(none_gap)} at {format_number(p.annual_km, 0)} km a year and cheaper in "
            f"{cases_words(share_none)}, decided by "
            f"{deciding_words(a, c_none.key) or 'no single input'}{be_text}. Part of its edge is an "
            f"assumption: {equal} hand it **{about(credit)}** more back than the Sandero."
            f"{_incentive_doubt(p, none_gap)}",
            anchor=anchor_for(SECTION_DECIDES), holds_pct=share_none * 100, flips=a.flips(c_none.key))
    else:
        third = Finding(
            "resale",
            f"Part of the verdict is an assumption no source can check yet: {equal} hand the Twingo "
            f"**{about(credit)}** more back than the Sandero, because a share of a dearer car is more money.",
            anchor=anchor_for(SECTION_DECIDES))

    battery = Finding(
        "battery",
        f"The battery is about **{pct(v['battery_cost_share_ex_vat_pct'], 0)}** of the price before VAT "
        f"({pct(v['battery_cost_share_pct'], 0)} including it) at USD {p.pack_usd_per_kwh:g} per kWh, "
        "BloombergNEF's 2025 average for LFP packs: a global average weighted towards China, published in "
        f"December 2025 and converted at {rate_of(p).describe()}. "
        f"{battery_range_words(p, v, k, ranges.get('battery_cost_share_ex_vat_pct'))}",
        anchor=anchor_for(SECTION_BATTERY))
    return [segment, tco, third, battery]


def _incentive_doubt(p: PricingParams, none_gap: float) -> str:
    """For France's scheme, whose 2026 amounts are indicative: the offers seen and the smallest
    incentive that keeps the Twingo cheaper at the values set (an incentive is paid at purchase, so
    it moves the gap euro for euro). Empty elsewhere, or where the incentive is set by hand."""
    from alliancelib.data import fact

    if p.market != "FR" or p.incentive_eur is not None:
        return ""
    low, high = fact("fr_coup_de_pouce_offers_min_eur"), fact("fr_coup_de_pouce_offers_max_eur")
    seen = (f" The 2026 amounts are indicative, and offers seen in December 2025 ran from {eur(low)} to "
            f"{eur(high)} (MoneyVox, amounts vary by energy supplier)")
    if none_gap <= 0:
        return seen + ": the Twingo is cheaper with any of them, or none."
    if none_gap >= low:
        return seen + f": the lowest of them would not be enough (it takes {about(none_gap, 10)})."
    return seen + f": any incentive above {about(none_gap, 10)} keeps the Twingo cheaper at these values."


# --------------------------------------------------------------------------- charts

BLUE, RED = "#2166ac", "#b2182b"  # the Twingo cheaper / the Sandero cheaper, on every chart (RdBu's ends)


# the parameters the main chart depends on: the what-if explorer (alliancelib.explorer) redraws it only
# when one of them changes (tests/test_explorer.py checks that no other parameter changes it)
MAIN_CHART_PARAMS = ("twingo_price_eur", "market", "range_km")
SEGMENT_SOURCE = ("Sources: list, target, estimated and promotional prices, batteries and WLTP ranges as "
                  "reported (Caradisiac, actu-automobile.com, 20 Minutes, dayfr, La Gazzetta dello Sport, "
                  "Carscoops, upday, electrive.com, Kurier, Trends/Le Vif, Passion and Car); the Twingo at "
                  "the price analysed.")


def main_chart(a: Analysis) -> Any:
    """The notebook's main chart (the Twingo among Europe's small EVs, price against range), the first of
    :func:`figures`; the what-if explorer redraws it alone at every change."""
    from alliancelib import charts

    return charts.Chart("segment", plot_segment(a, SEGMENT_SOURCE), source=SEGMENT_SOURCE,
                        alt=_segment_alt(a))


def figures(a: Analysis) -> list[Any]:
    """Every chart of notebook 03, drawn from the analysis."""
    from alliancelib import charts
    from alliancelib.uncertainty import plot_ranges

    v = a.values
    gap = float(v["tco_gap_eur"])
    parts_src = ("Sources: the Twingo's and the Sandero's prices as reported (Caradisiac); the incentive "
                 "from the scheme's published amounts; consumption, energy prices, maintenance, resale "
                 "values and the discount rate are assumptions (parameters).")
    assumptions_src = ("Each assumption's plausible range is listed in 'How sure is this?'; prices as "
                       "reported; everything else as set.")
    specs = [SPECS[n] for n in ("tco_gap_eur", "tco_gap_no_incentive_eur", "ev_residual_breakeven_pct",
                                "battery_cost_share_ex_vat_pct")]
    out = [
        main_chart(a),
        charts.Chart("parts", plot_parts(a), source=parts_src,
                     alt=(f"{_parts_title(a)}. Two stacked bars, one per car: the price less the incentive, "
                          "energy and maintenance to the right, the resale credit to the left, and under "
                          f"each a black bar of the net cost: the Twingo {eur(v['tco_ev_eur'])}, the Sandero "
                          f"{eur(v['tco_ice_eur'])}.")),
    ]
    if len(a.tornado):
        out.append(charts.Chart("tornado", plot_tornado(a), source=assumptions_src,
                                alt=(f"{_tornado_title(a)}. One bar per assumption, from the gap at the low "
                                     "end of its plausible range to the gap at the high end; blue where the "
                                     "Twingo is cheaper, red where the Sandero is; the gap as set is "
                                     f"{eur(gap)}.")))
    out.append(charts.Chart("map", plot_grid(a), source=assumptions_src.replace("Each assumption's",
                                                                                 "The Twingo resale value's"),
                            alt=(f"{_grid_title(a)}. A map of the gap over 0 to 30,000 km a year and Twingo "
                                 "resale values of 10% to 60%, blue where the Twingo is cheaper, red where "
                                 "the Sandero is, the line where both cost the same and the case analysed "
                                 "marked.")))
    out.append(charts.Chart(
        "ranges", plot_ranges(a.assessment, specs, fmt=_fmt, title=_ranges_title(a)),
        source="Monte Carlo over the plausible ranges (100,000 seeded draws) through the notebook's own "
               "formulas; bars: 5th to 95th percentile.",
        alt=(f"{_ranges_title(a)}. One bar per result from its 5th to its 95th percentile across the "
             "plausible inputs, the value as set marked.")))
    return out


# --- the segment


def _segment_title(a: Analysis) -> str:
    v, k = a.values, a.facts
    others = len(a.segment) - 1
    below = k["cheaper_per_km"]
    lead = f"At {eur(v['price_per_km_range_eur'])} per km of range"
    if len(below) == 0:
        return f"{lead} the Twingo is the cheapest per km of the {others + 1} small EVs in the data"
    targets = int((below["price_kind"] != "list").sum())
    extra = (f", {'one' if targets == 1 else targets} of them {'a target' if targets == 1 else 'targets'}"
             if targets else "")
    only = "only " if len(below) * 2 < others else ""
    return (f"{lead}, {only}{len(below)} of {others} other small EVs in the data are cheaper than the "
            f"Twingo{extra}")


def _segment_alt(a: Analysis) -> str:
    return (f"{_segment_title(a)}. Scatter of price against WLTP range for every small EV in the data, with "
            f"guide lines of equal price per km; the Twingo at {eur(a.values['twingo_price_analysed_eur'])} "
            f"and {format_number(a.p.range_km, 0)} km is marked with a star, the EVs listed in "
            f"{a.market_name} filled, the others labelled with their market and kind of price.")


def _segment_label(row: Mapping[str, Any], market: str) -> str:
    if row["is_twingo"]:
        return "Renault Twingo, as analysed"
    name = str(row["pricing_car"]).replace("Volkswagen ", "VW ")
    if row["in_market"]:
        return name
    return f"{name}\n{COUNTRY.get(row['market'], row['market'])}, {KIND_WORDS[row['price_kind']]}"


def plot_segment(a: Analysis, source: str = "") -> Any:
    """Price against WLTP range for every small EV in the data, the Twingo starred, guide lines of
    equal price per km, the market's EVs filled and the others labelled with market and kind."""
    from alliancelib import charts

    seg = a.segment
    fig, ax = charts.figure(9.0, 6.0)
    fig.set_dpi(charts.DPI)  # labels are placed in pixels: at the resolution the chart is shown at
    x, y = seg["range_km"].astype(float), seg["price_eur"].astype(float)
    x_lo, x_hi = math.floor((x.min() - 25) / 50) * 50, math.ceil((x.max() + 30) / 50) * 50
    y_lo, y_hi = math.floor((y.min() - 1500) / 1000) * 1000, math.ceil((y.max() + 2500) / 1000) * 1000
    ax.set_xlim(x_lo, x_hi)
    ax.set_ylim(y_lo, y_hi)
    accent, gold = charts.PALETTE["accent"], charts.PALETTE["Renault"]
    # guide lines of equal price per km
    ratios = (y / x).to_numpy()
    levels = [lv for lv in range(20, 301, 20) if ratios.min() - 10 <= lv <= ratios.max() + 10]
    guides = []
    for level in levels:
        xs = np.linspace(x_lo, x_hi, 50)
        ax.plot(xs, level * xs, color="#c8c8c8", lw=0.9, ls=(0, (3, 3)), zorder=1)
        # the label where the line leaves the plot (the top edge or the right edge)
        x_end = min(x_hi, y_hi / level)
        guides.append((level, x_end, level * x_end))
    markers = {"list": "o", "target": "D", "estimate": "^", "promotion": "s"}
    for _, r in seg.iterrows():
        if r["is_twingo"]:
            continue
        filled = bool(r["in_market"])
        ax.scatter(r["range_km"], r["price_eur"], s=44, marker=markers.get(r["price_kind"], "o"), zorder=3,
                   facecolor=accent if filled else "white", edgecolor=accent if filled else "#666666",
                   linewidth=1.1)
    tw = seg[seg["is_twingo"]].iloc[0]
    ax.scatter(tw["range_km"], tw["price_eur"], s=170, marker="*", color=gold, edgecolor="black",
               linewidth=0.8,
               zorder=4)
    charts.thousands(ax, "y")
    charts.thousands(ax, "x")
    charts.style_axes(ax, title=_segment_title(a), xlabel="WLTP range (km)",
                      ylabel="price incl. VAT, before incentives (EUR)")
    key = [("o", accent, accent, f"listed in {a.market_name}"), ("o", "white", "#666666", "other markets"),
           ("D", "white", "#666666", "target price"), ("s", "white", "#666666", "promotion")]
    handles = [ax.scatter([], [], marker=m, s=40, facecolor=fc, edgecolor=ec) for m, fc, ec, _ in key]
    handles.append(ax.scatter([], [], marker="*", s=120, color=gold, edgecolor="black"))
    legend = ax.legend(handles, [t for *_, t in key] + ["the Twingo"], loc="lower right", fontsize=8,
                       handletextpad=0.3, borderaxespad=0.6)
    if source:
        charts.add_source(fig, source)
    guide_texts = [(f"EUR {lv} per km", gx, gy) for lv, gx, gy in guides]
    points = [(float(r["range_km"]), float(r["price_eur"])) for _, r in seg.iterrows()]
    labels = [_segment_label({str(c): x for c, x in r.items()}, a.p.market) for _, r in seg.iterrows()]
    colours = ["black" if r["is_twingo"] else (accent if r["in_market"] else "#444444")
               for _, r in seg.iterrows()]
    twingo, listed = seg["is_twingo"].tolist(), seg["in_market"].tolist()
    order = sorted(range(len(seg)), key=lambda i: (not twingo[i], not listed[i], i))
    place_labels(ax, points, labels, colours, order=order, guides=guide_texts, legend=legend,
                 bold={int(np.flatnonzero(seg["is_twingo"].to_numpy())[0])})
    return fig


RING_ANGLES = (0, 180, 45, 315, 135, 225, 90, 270, 20, 340, 160, 200, 65, 295, 115, 245)
RING_RADII = (7, 13, 20, 28, 38, 50, 64, 80)  # points from the marker


def _spot(at: tuple[float, float], radius: float, angle: float, w: float, h: float, scale: float
          ) -> tuple[float, float, str, str, Any]:
    """A candidate label position: its offset (points), alignment and box (pixels)."""
    from matplotlib.transforms import Bbox

    c, s = math.cos(math.radians(angle)), math.sin(math.radians(angle))
    ha = "left" if c > 0.3 else "right" if c < -0.3 else "center"
    va = "bottom" if s > 0.3 else "top" if s < -0.3 else "center"
    x, y = at[0] + radius * c * scale, at[1] + radius * s * scale
    x0 = {"left": x, "right": x - w, "center": x - w / 2}[ha]
    y0 = {"bottom": y, "top": y - h, "center": y - h / 2}[va]
    return radius * c, radius * s, ha, va, Bbox.from_bounds(x0, y0, w, h)


def place_labels(ax: Any, points: Sequence[tuple[float, float]], labels: Sequence[str],
                 colours: Sequence[str], *,
                 order: Sequence[int], guides: Sequence[tuple[str, float, float]] = (), legend: Any = None,
                 bold: set[int] | frozenset[int] = frozenset(), fontsize: float = 7.5) -> list[Any]:
    """Labels next to scatter points, none overlapping another label, a marker, the legend or a
    guide line's label, all inside the axes: for each point in ``order``, the first free spot among
    rings of positions around it (a thin leader line joins a label set further away)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.transforms import Bbox

    fig = ax.figure
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    fig.draw_without_rendering()  # the layout, as drawn, without painting a pixel
    renderer = canvas.get_renderer()
    box = ax.get_window_extent(renderer)
    px = [tuple(ax.transData.transform(pt)) for pt in points]
    taken: list[Any] = [Bbox.from_bounds(x - 6, y - 6, 12, 12) for x, y in px]  # the markers
    if legend is not None:
        taken.append(legend.get_window_extent(renderer))
    for text, gx, gy in guides:
        g = ax.annotate(text, (gx, gy), xytext=(-3, -3), textcoords="offset points", ha="right", va="top",
                        fontsize=7, color="#8a8a8a", annotation_clip=False)
        g.set_in_layout(False)
        taken.append(g.get_window_extent(renderer))

    def free(bb: Any, pad: float = 3.0) -> bool:
        inside = (bb.x0 >= box.x0 + 4 and bb.x1 <= box.x1 - 4 and bb.y0 >= box.y0 + 4 and bb.y1 <= box.y1 - 4)
        grown = Bbox.from_extents(bb.x0 - pad, bb.y0 - pad, bb.x1 + pad, bb.y1 + pad)
        return inside and not any(grown.overlaps(t) for t in taken)

    placed = []
    scale = fig.dpi / 72
    for i in order:
        style = {"fontsize": fontsize, "linespacing": 1.1, "fontweight": "bold" if i in bold else "normal"}
        probe = ax.annotate(labels[i], points[i], xytext=(0, 0), textcoords="offset points", ha="left",
                            va="bottom", **style)
        size = probe.get_window_extent(renderer)
        probe.remove()
        spots = (_spot(px[i], r, ang, size.width, size.height, scale) + (r,)
                 for r in RING_RADII for ang in RING_ANGLES)
        dx, dy, ha, va, _bb, radius = next((sp for sp in spots if free(sp[4])),
                                           _spot(px[i], 7, 0, size.width, size.height, scale) + (7,))
        ann = ax.annotate(labels[i], points[i], xytext=(dx, dy), textcoords="offset points", ha=ha, va=va,
                          color=colours[i], annotation_clip=False, **style)
        ann.set_in_layout(False)
        taken.append(ann.get_window_extent(renderer))
        if radius >= 13:
            _leader(ax, points[i], taken[-1], px[i])
        placed.append(ann)
    return placed


def _leader(ax: Any, point: tuple[float, float], bb: Any, at_px: tuple[float, float]) -> None:
    """A thin grey line from a point to the nearest edge of its label's box."""
    x = min(max(at_px[0], bb.x0), bb.x1)
    y = min(max(at_px[1], bb.y0), bb.y1)
    end = ax.transData.inverted().transform((x, y))
    dx, dy = x - at_px[0], y - at_px[1]
    length = math.hypot(dx, dy)
    if length < 8:
        return
    start = ax.transData.inverted().transform((at_px[0] + dx / length * 5, at_px[1] + dy / length * 5))
    ax.plot([start[0], end[0]], [start[1], end[1]], color="#9a9a9a", lw=0.6, zorder=2)


# --- the cost of ownership in parts


def _parts_title(a: Analysis) -> str:
    p, v, k = a.p, a.values, a.facts
    gap = float(v["tco_gap_eur"])
    diff = k["diff"]
    helps = [(abs(diff[n]), w) for n, w in (("energy", "cheaper energy"), ("resale", "a larger resale value"),
                                             ("maintenance", "cheaper servicing")) if diff[n] < 0]
    if float(v["incentive_applied_eur"]) > 0:
        helps.append((float(v["incentive_applied_eur"]), "the incentive"))
    named = [w for _, w in sorted(helps, reverse=True)][:3]
    head = (f"Over {p.years} years the Twingo costs {about(gap)} {'less' if gap < 0 else 'more'} than a "
            "Sandero")
    if k["price_gap"] <= 0:
        return f"{head}: it is also {eur(abs(k['price_gap']))} cheaper to buy"
    if gap < 0:
        return f"{head}: {list_words(named)} outweigh its {eur(k['price_gap'])} higher price"
    return (f"{head}: {list_words(named) if named else 'nothing'} do not make up for its "
            f"{eur(k['price_gap'])} higher price")


PART_COLOURS = {"purchase": "#1f5f8b", "energy": "#6f9cc3", "maintenance": "#b3cde3", "resale": "#d4a017"}


def plot_parts(a: Analysis) -> Any:
    """Each car's cost of ownership in its parts: the price less the incentive, energy and
    maintenance stacked to the right, the resale credit to the left, a diamond at the net cost."""
    from alliancelib import charts

    parts = a.parts
    fig, ax = charts.figure(9.0, 3.9)
    cars = [("ice", "Dacia Sandero\n(petrol)"), ("ev", "Renault Twingo\n(electric)")]
    names = {"purchase": "price less incentive", "energy": "energy", "maintenance": "maintenance",
             "resale": "resale value (a credit)"}
    right_max = max(parts[c]["purchase"] + parts[c]["energy"] + parts[c]["maintenance"] for c, _ in cars)
    left_min = min(parts[c]["resale"] for c, _ in cars)
    span = right_max - left_min
    ax.set_xlim(left_min - 0.04 * span, right_max + 0.22 * span)
    ax.set_ylim(-0.7, 1.8)
    fig.draw_without_rendering()
    per_pt = (ax.get_xlim()[1] - ax.get_xlim()[0]) / (ax.get_window_extent().width * 72 / fig.dpi)
    for y, (car, _) in enumerate(cars):
        left = 0.0
        for name in ("purchase", "energy", "maintenance"):
            width = parts[car][name]
            ax.barh(y, width, left=left, height=0.55, color=PART_COLOURS[name], edgecolor="white",
                    linewidth=0.8)
            _inside(ax, left + width / 2, y, format_number(width, 0), width / per_pt,
                    "white" if name == "purchase" else "#1a1a1a")
            left += width
        credit = parts[car]["resale"]
        ax.barh(y, credit, left=0, height=0.55, color=PART_COLOURS["resale"], edgecolor="white",
                linewidth=0.8)
        _inside(ax, credit / 2, y, format_number(credit, 0), abs(credit) / per_pt, "#1a1a1a")
        net = sum(parts[car].values())
        ax.barh(y - 0.4, net, left=0, height=0.13, color="black")
        ax.annotate(f"net cost {eur(net)}", (net, y - 0.4), xytext=(6, 0), textcoords="offset points",
                    va="center", ha="left", fontsize=9, fontweight="bold")
    ax.axvline(0, color="#555555", lw=0.8)
    ax.set_yticks([0, 1], [label for _, label in cars])
    ax.tick_params(axis="y", length=0)
    charts.thousands(ax, "x")
    # the parts named once, above the Twingo's bar
    from matplotlib.patches import Patch

    handles = [Patch(color=PART_COLOURS[n]) for n in names]
    ax.legend(handles, list(names.values()), loc="upper center", ncol=4, fontsize=8, handlelength=1.2,
              columnspacing=1.2, bbox_to_anchor=(0.5, 1.0), borderaxespad=0.2)
    charts.style_axes(ax, title=_parts_title(a),
                      xlabel=f"EUR, discounted at {rate_words(a.p.discount_rate_pct)} a year")
    ax.grid(axis="y", visible=False)
    return fig


def _inside(ax: Any, x: float, y: float, text: str, width_pt: float, colour: str) -> None:
    """A value written inside its bar segment, if it fits."""
    if width_pt >= 7.5 * 0.62 * len(text) + 6:
        ax.text(x, y, text, ha="center", va="center", fontsize=7.5, color=colour)


# --- what decides it


def _tornado_title(a: Analysis) -> str:
    t, gap = a.tornado, float(a.values["tco_gap_eur"])
    from alliancelib.uncertainty import in_sentence

    top = in_sentence(t.iloc[0]["label"])
    if len(t) > 1 and float(t.iloc[1]["swing"]) >= 0.95 * float(t.iloc[0]["swing"]):
        # a near tie is not a ranking: name both, with the size they share
        second, size = in_sentence(t.iloc[1]["label"]), about(float(t.iloc[0]["swing"]))[6:]
        top = f"{top} and the {second} (about {size} each)"
        return _tornado_verdict(f"The {top}", "move the gap about equally", t, gap)
    return _tornado_verdict(f"The {top}", "moves the gap most", t, gap)


def _tornado_verdict(subject: str, verb: str, t: pd.DataFrame, gap: float) -> str:
    from alliancelib.uncertainty import in_sentence

    flips = t[(np.sign(t["gap_low"]) != np.sign(gap)) | (np.sign(t["gap_high"]) != np.sign(gap))]
    winner = "Twingo" if gap < 0 else "Sandero"
    if flips.empty:
        return f"{subject} {verb}, but no single assumption within its range makes the {winner} lose"
    turns = in_sentence(flips.iloc[0]["label"])
    return f"{subject} {verb}; within its range, the {turns} can turn the verdict"


def plot_tornado(a: Analysis) -> Any:
    """The TCO gap with each assumption at either end of its plausible range: blue where the
    Twingo is cheaper, red where the Sandero is; the gap as set and zero marked and named."""
    from alliancelib import charts

    t = a.tornado.iloc[::-1].reset_index(drop=True)
    centre = float(t.attrs.get("centre", a.values["tco_gap_eur"]))
    fig, ax = charts.figure(9.0, 1.6 + 0.46 * len(t))
    lo_all = min(t["gap_low"].min(), t["gap_high"].min(), 0.0, centre)
    hi_all = max(t["gap_low"].max(), t["gap_high"].max(), 0.0, centre)
    span = hi_all - lo_all or 1.0
    ax.set_xlim(lo_all - 0.16 * span, hi_all + 0.16 * span)
    ax.set_ylim(-0.6, len(t) + 0.35)
    for y, r in t.iterrows():
        a0, b0 = sorted((float(r["gap_low"]), float(r["gap_high"])))
        if a0 < 0:
            ax.barh(y, min(b0, 0) - a0, left=a0, height=0.56, color=BLUE)
        if b0 > 0:
            ax.barh(y, b0 - max(a0, 0), left=max(a0, 0), height=0.56, color=RED)
        for gap, text in ((float(r["gap_low"]), r["low_text"]), (float(r["gap_high"]), r["high_text"])):
            right = gap >= (a0 + b0) / 2 and gap == b0
            ax.annotate(text, (gap, y), xytext=(4 if right else -4, 0), textcoords="offset points",
                        ha="left" if right else "right", va="center", fontsize=7.5, color="#333333")
    ax.axvline(centre, color="black", lw=1.1, zorder=3)
    ax.axvline(0, color="#555555", lw=0.9, ls=(0, (2, 2)), zorder=3)
    top = len(t) - 0.35
    near = abs(centre) < 0.18 * span
    ax.annotate(f"as set: {eur(centre)}", (centre, top), xytext=(-4 if centre < 0 else 4, 0),
                textcoords="offset points", ha="right" if centre < 0 else "left", va="center", fontsize=8,
                fontweight="bold")
    ax.annotate("0: both cost "
                "the same", (0, top if not near else top - 0.55), xytext=(4 if centre < 0 else -4, 0),
                textcoords="offset points", ha="left" if centre < 0 else "right", va="center", fontsize=8,
                color="#555555")
    ax.set_yticks(range(len(t)), t["label"])
    ax.tick_params(axis="y", length=0)
    charts.thousands(ax, "x")
    charts.style_axes(ax, title=_tornado_title(a),
                      xlabel="cost of ownership, Twingo minus Sandero (EUR); blue: the Twingo is cheaper, "
                             "red: the Sandero is")
    ax.grid(axis="y", visible=False)
    return fig


def _grid_title(a: Analysis) -> str:
    p, v = a.p, a.values
    s_star = v["ev_residual_breakeven_pct"]
    at = f"at {format_number(p.annual_km, 0)} km a year"
    lead = "The more you drive, the lower the resale value the Twingo can afford"
    if s_star is None:
        gap = float(v["tco_gap_eur"])
        return f"{lead}: {at} the {'Twingo' if gap < 0 else 'Sandero'} wins at any resale value"
    if float(v["tco_gap_eur"]) < 0:
        return f"{lead}: {at} the Twingo stays cheaper down to a resale value of {pct(s_star)}"
    return f"{lead}: {at} the Twingo needs a resale value of {pct(s_star)} to draw level"


def plot_grid(a: Analysis) -> Any:
    """The TCO gap over distance a year and the Twingo's resale value: blue where the Twingo is
    cheaper, red where the Sandero is, the break-even line, the plausible resale values and the
    case analysed marked."""
    from matplotlib.colors import TwoSlopeNorm

    from alliancelib import charts

    g, p = a.grid, a.p
    fig, ax = charts.figure(9.0, 4.8)
    limit = float(np.nanmax(np.abs(g["gap"]))) or 1.0
    mesh = ax.pcolormesh(g["distance"], g["resale"], g["gap"], cmap="RdBu_r", shading="nearest",
                         norm=TwoSlopeNorm(0.0, -limit, limit))
    line = g["line"]
    ok = np.isfinite(line)
    ax.plot(g["distance"][ok], line[ok], color="black", lw=1.4)
    pl = plausible_of(PricingParams, "ev_residual_pct")
    if pl is not None and pl.low is not None and pl.high is not None:
        for level in (pl.low, pl.high):
            ax.axhline(level, color="#333333", lw=0.8, ls=(0, (4, 3)))
        ax.annotate("plausible resale values", (g["distance"][-1], pl.high), xytext=(-4, 3),
                    textcoords="offset points", ha="right", va="bottom", fontsize=8, color="#1a1a1a")
    ax.set_xlim(g["distance"][0], g["distance"][-1])
    ax.set_ylim(g["resale"][0] - 0.5, g["resale"][-1] + 0.5)
    ax.plot([p.annual_km], [p.ev_residual_pct], marker="o", ms=8, color="black", markeredgecolor="white",
            zorder=4)
    right = p.annual_km < 0.6 * g["distance"][-1]
    ax.annotate("the case analysed", (p.annual_km, p.ev_residual_pct), xytext=(9 if right else -9, 9),
                textcoords="offset points", ha="left" if right else "right", va="bottom", fontsize=8.5,
                fontweight="bold", color="black",
                bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none", "alpha": 0.85})
    inside = np.flatnonzero(ok & (line >= g["resale"][0] + 2) & (line <= g["resale"][-1] - 2))
    if len(inside) >= 2:
        # the line's name written along it, just above it (its angle measured on the laid-out axes)
        j = int(inside[len(inside) * 11 // 20])
        k = int(inside[min(len(inside) - 1, len(inside) * 11 // 20 + 1)])
        fig.draw_without_rendering()
        ends = [(g["distance"][j], line[j]), (g["distance"][k], line[k])]
        (x0, y0), (x1, y1) = ax.transData.transform(ends)
        angle = math.degrees(math.atan2(y1 - y0, x1 - x0))
        ax.annotate("both cost the "
                    "same", (g["distance"][j], line[j]), xytext=(0, 3), textcoords="offset points",
                    ha="center", va="bottom", fontsize=8, color="black", rotation=angle,
                    rotation_mode="anchor")
    bar = fig.colorbar(mesh, ax=ax, pad=0.02)
    bar.set_label("Twingo minus Sandero (EUR)")
    from matplotlib.ticker import FuncFormatter

    bar.ax.yaxis.set_major_formatter(FuncFormatter(lambda val, _pos: charts.format_tick(val)))
    charts.thousands(ax, "x")
    charts.thousands(ax, "y", suffix="%")
    charts.style_axes(ax, title=_grid_title(a), xlabel="distance driven a year (km)",
                      ylabel="Twingo resale value after the years (% of price)")
    ax.grid(False)
    return fig


def _ranges_title(a: Analysis) -> str:
    ranges = a.assessment.result_ranges()
    gap = ranges.get("tco_gap_eur")
    none = ranges.get("tco_gap_no_incentive_eur")
    if gap and none and float(a.values["incentive_applied_eur"]) > 0:
        if gap[1] < 0 and none[0] < 0 < none[1]:
            return ("With the incentive the Twingo stays cheaper across the plausible inputs; without it, "
                    "the verdict can go either way")
    from alliancelib.uncertainty import ranges_title

    return ranges_title(a.assessment, [SPECS[n] for n in RESULT_NAMES])
