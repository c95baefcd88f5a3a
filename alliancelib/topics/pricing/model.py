"""Notebook 03's model: the parameters and their rules, the arithmetic of the price comparison and
of the total cost of ownership (TCO), pure and vectorised, :func:`headline`, :data:`RESULTS` and
:func:`conclusions`; no words.

**TCO** (EUR), with ``r = discount_rate_pct / 100`` and ``n`` years::

    price - incentive
    + sum over t = 1..n of (annual_km / 100 x consumption x energy price + maintenance) / (1 + r)^t
    - price x residual_pct / 100 / (1 + r)^n

The petrol car gets no incentive. The gap (EV minus petrol) is linear in the distance driven and
in the EV's resale value, so both break-evens have closed forms (:func:`breakeven_km`,
:func:`residual_breakeven_pct`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from alliancelib import fx
from alliancelib.errors import ParameterError
from alliancelib.params import (
    Choice,
    Integer,
    IsoDate,
    Number,
    Optional,
    Plausible,
    param,
    validate,
)
from alliancelib.results import ResultSpec
from alliancelib.topics.pricing.inputs import (
    HOUSEHOLDS,
    MARKETS,
    cached,
    fx_bounds,
    markets_with_price,
    pack_price_date,
    rate,
)
from alliancelib.uncertainty import Conclusion

NOTEBOOK = "03_ev_pricing"
TOPIC = "pricing"
COUNTRY = {
    "BE": "Belgium",
    "DE": "Germany",
    "FR": "France",
    "IT": "Italy",
    "ES": "Spain",
    "UK": "the UK",
    "EU": "Europe",
}
ADJECTIVE = {
    "BE": "Belgian",
    "DE": "German",
    "FR": "French",
    "IT": "Italian",
    "ES": "Spanish",
    "UK": "British",
}
HOUSEHOLD_WORDS = {"low": "lower-income", "middle": "middle-income", "high": "higher-income"}
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


def tco_parts(
    price_eur: ArrayLike,
    incentive_eur: ArrayLike,
    years: ArrayLike,
    annual_km: ArrayLike,
    discount_rate_pct: ArrayLike,
    consumption_per_100km: ArrayLike,
    energy_eur_per_unit: ArrayLike,
    maintenance_eur_per_year: ArrayLike,
    residual_pct: ArrayLike,
) -> dict[str, np.ndarray]:
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
        "energy": a
        * np.asarray(annual_km, dtype=float)
        / 100
        * np.asarray(consumption_per_100km, dtype=float)
        * np.asarray(energy_eur_per_unit, dtype=float),
        "maintenance": a * np.asarray(maintenance_eur_per_year, dtype=float),
        "resale": -price
        * np.asarray(residual_pct, dtype=float)
        / 100
        / (1 + r) ** np.asarray(years, dtype=float),
    }


def tco_eur(
    price_eur: ArrayLike,
    incentive_eur: ArrayLike,
    years: ArrayLike,
    annual_km: ArrayLike,
    discount_rate_pct: ArrayLike,
    consumption_per_100km: ArrayLike,
    energy_eur_per_unit: ArrayLike,
    maintenance_eur_per_year: ArrayLike,
    residual_pct: ArrayLike,
) -> np.ndarray:
    """Total cost of ownership (EUR) over ``years``, broadcast over every argument.

    ``consumption_per_100km`` is kWh (EV) or litres (petrol) per 100 km and
    ``energy_eur_per_unit`` the price of a kWh or a litre.

    >>> float(tco_eur(20000, 0, 5, 12000, 0, 14, 0.25, 300, 40))   # 20000 + 5 x 720 - 8000
    15600.0
    >>> tco_eur(20000, 0, 5, np.array([0, 12000]), 0, 14, 0.25, 300, 40).tolist()
    [13500.0, 15600.0]
    """
    parts = tco_parts(
        price_eur,
        incentive_eur,
        years,
        annual_km,
        discount_rate_pct,
        consumption_per_100km,
        energy_eur_per_unit,
        maintenance_eur_per_year,
        residual_pct,
    )
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
        return tco_eur(
            self.price_eur,
            self.incentive_eur,
            years,
            annual_km,
            discount_rate_pct,
            self.consumption_per_100km,
            self.energy_eur_per_unit,
            self.maintenance_eur_per_year,
            self.residual_pct,
        )

    def parts(
        self, years: ArrayLike, annual_km: ArrayLike, discount_rate_pct: ArrayLike
    ) -> dict[str, np.ndarray]:
        """This car's TCO in its four parts (EUR)."""
        return tco_parts(
            self.price_eur,
            self.incentive_eur,
            years,
            annual_km,
            discount_rate_pct,
            self.consumption_per_100km,
            self.energy_eur_per_unit,
            self.maintenance_eur_per_year,
            self.residual_pct,
        )

    def energy_per_km(self) -> ArrayLike:
        """Energy cost per km (EUR)."""
        per_100 = np.asarray(self.consumption_per_100km, dtype=float)
        return per_100 / 100 * np.asarray(self.energy_eur_per_unit, dtype=float)


def tco_gap_eur(
    ev: Car, ice: Car, years: ArrayLike, annual_km: ArrayLike, discount_rate_pct: ArrayLike
) -> np.ndarray:
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


def breakeven_annual_km(
    ev: Car, ice: Car, years: int, discount_rate_pct: float, annual_km: float = 0.0
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


def residual_breakeven_pct(
    ev_residual_pct: ArrayLike,
    gap_eur: ArrayLike,
    price_eur: ArrayLike,
    discount_rate_pct: ArrayLike,
    years: ArrayLike,
) -> np.ndarray:
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
        out = np.asarray(ev_residual_pct, dtype=float) + np.asarray(gap_eur, dtype=float) * 100 * (
            1 + r
        ) ** np.asarray(years, dtype=float) / np.asarray(price_eur, dtype=float)
    return np.where(np.isfinite(out) & (out >= 0) & (out <= 100), out, np.nan)


def battery_cost_share_pct(
    battery_kwh: ArrayLike, pack_usd_per_kwh: ArrayLike, eur_usd: ArrayLike, price_eur: ArrayLike
) -> ArrayLike:
    """Battery pack cost as a share of a price: kWh x USD/kWh / (USD per EUR) / price x 100.

    >>> round(battery_cost_share_pct(27.5, 81, 1.0815, 20000), 3)
    10.298
    """
    return battery_kwh * pack_usd_per_kwh / eur_usd / price_eur * 100


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


def ex_vat(price_eur: ArrayLike, vat_pct: float) -> ArrayLike:
    """A price including VAT without it.

    >>> ex_vat(20000, 20)
    16666.666666666668
    """
    return price_eur / (1 + vat_pct / 100)


# --------------------------------------------------------------------------- parameters


@dataclass(frozen=True)
class PricingParams:
    """Parameters of ``03_ev_pricing``."""

    twingo_price_eur: float | None = param(
        None,
        Optional(Number(minimum=1000, maximum=200000)),
        "Twingo price analysed, EUR incl. VAT; None uses the newest reported base-trim (Evolution) price in "
        "market",
        label="Twingo price analysed",
        unit="EUR",
    )
    fx_date: str = param(
        "2025-03-31",
        IsoDate(bounds=lambda: fx_bounds(), bounds_label=" (ECB USD fixings held)"),
        "date of the ECB EUR/USD rate used (YYYY-MM-DD)",
        label="Date of the exchange rate",
    )
    eur_usd: float | None = param(
        None,
        Optional(Number(minimum=0.1, maximum=10)),
        "USD per EUR; None uses the ECB rate of fx_date",
        label="Dollars per euro",
    )
    market: str = param(
        "FR",
        Choice(MARKETS, words=tuple((m, COUNTRY[m]) for m in MARKETS)),
        "market analysed: its Twingo price, incentive, VAT and list of EVs (BE, DE, FR, IT)",
        label="Market",
    )
    household: str = param(
        "high",
        Choice(HOUSEHOLDS, words=tuple((h, HOUSEHOLD_WORDS[h]) for h in HOUSEHOLDS)),
        "household income tier of the market's incentive (low, middle, high); high gets "
        "the smallest amount, for households above the modest-income threshold",
        label="Household income tier",
    )
    battery_kwh: float = param(
        27.5,
        Number(minimum=1, maximum=200),
        "usable battery capacity, kWh",
        label="Battery capacity",
        unit="kWh",
    )
    range_km: float = param(
        263.0,
        Number(minimum=10, maximum=2000),
        "WLTP range, km",
        label="WLTP range",
        unit="km",
        plausible=Plausible(
            253.0, 263.0, "263 km in most sources (auto55.be, Mac4Ever, What Car?); 253 km in one", "conflict"
        ),
    )
    pack_usd_per_kwh: float = param(
        81.0,
        Number(minimum=0, maximum=1000),
        "battery pack price, USD/kWh (BNEF 2025 LFP average: 81)",
        label="Battery pack price",
        unit="USD/kWh",
        plausible=Plausible(
            81.0,
            131.0,
            "BNEF 2025: LFP packs USD 81 (a volume-weighted global average; the default, the low end); "
            "Europe's average 56% above China's USD 84, about 131",
            "spread",
        ),
    )
    incentive_eur: float | None = param(
        None,
        Optional(Number(minimum=0, maximum=50000)),
        "purchase incentive deducted, EUR; None uses the market's current scheme for household (0 where "
        "none)",
        label="Incentive deducted",
        unit="EUR",
    )
    years: int = param(
        5, Integer(minimum=1, maximum=30), "years of ownership", label="Years of ownership", unit="years"
    )
    annual_km: float = param(
        12000.0,
        Number(minimum=0, maximum=200000),
        "distance driven a year, km",
        label="Distance driven a year",
        unit="km/yr",
    )
    discount_rate_pct: float = param(
        4.0,
        Number(minimum=0, maximum=50),
        "assumption: discount rate applied to future costs and resale (%)",
        label="Discount rate",
        unit="%",
        plausible=Plausible(
            2.0,
            6.0,
            "From a household's return on savings to the cost of a car loan; no rate in the research",
            "judgement",
        ),
    )
    ev_kwh_per_100km: float = param(
        14.0,
        Number(minimum=1, maximum=100),
        "assumption: EV consumption, kWh per 100 km (real world)",
        label="Twingo consumption",
        unit="kWh/100 km",
        plausible=Plausible(
            10.8,
            14.0,
            "10.8: Europa Sur's estimate for the Twingo; 14: a real-world figure "
            "with charging losses (assumption)",
            "judgement",
        ),
    )
    electricity_eur_per_kwh: float = param(
        0.25,
        Number(minimum=0, maximum=5),
        "assumption: electricity price, EUR per kWh",
        label="Electricity price",
        unit="EUR/kWh",
        plausible=Plausible(
            0.20,
            0.40,
            "Mostly home charging (low) to more public charging (high); no tariff in the research",
            "judgement",
        ),
    )
    ice_price_eur: float = param(
        12990.0,
        Number(minimum=1000, maximum=200000),
        "petrol car price, EUR (Dacia Sandero SCe 65)",
        label="Sandero price",
        unit="EUR",
        plausible=Plausible(
            12990.0,
            13290.0,
            "Dacia Sandero SCe 65: EUR 12,990, 13,290 after the facelift (Caradisiac)",
            "spread",
        ),
    )
    ice_l_per_100km: float = param(
        5.5,
        Number(minimum=0.5, maximum=50),
        "assumption: petrol consumption, litres per 100 km",
        label="Sandero consumption",
        unit="l/100 km",
        plausible=Plausible(
            5.0,
            7.0,
            "5.5 reads like a test-cycle figure, real-world driving uses more; no "
            "consumption in the research",
            "judgement",
        ),
    )
    petrol_eur_per_l: float = param(
        1.80,
        Number(minimum=0, maximum=10),
        "assumption: petrol price, EUR per litre",
        label="Petrol price",
        unit="EUR/l",
        plausible=Plausible(1.60, 2.00, "No fuel price in the research", "judgement"),
    )
    ev_maintenance_eur_per_year: float = param(
        300.0,
        Number(minimum=0, maximum=20000),
        "assumption: EV maintenance, EUR a year",
        label="Twingo maintenance",
        unit="EUR per year",
        plausible=Plausible(200.0, 400.0, "No servicing cost in the research", "judgement"),
    )
    ice_maintenance_eur_per_year: float = param(
        500.0,
        Number(minimum=0, maximum=20000),
        "assumption: petrol car maintenance, EUR a year",
        label="Sandero maintenance",
        unit="EUR per year",
        plausible=Plausible(
            400.0, 700.0, "No servicing cost in the research; a petrol engine needs more", "judgement"
        ),
    )
    ev_residual_pct: float = param(
        40.0,
        Number(minimum=0, maximum=100),
        "assumption: EV resale value after the years, % of price",
        label="Twingo resale value",
        unit="%",
        plausible=Plausible(
            30.0,
            50.0,
            "No resale data for a car ordered since late 2025; the resale values of small EVs are uncertain",
            "judgement",
        ),
    )
    ice_residual_pct: float = param(
        40.0,
        Number(minimum=0, maximum=100),
        "assumption: petrol car resale value after the years, % of price",
        label="Sandero resale value",
        unit="%",
        plausible=Plausible(35.0, 50.0, "No resale data in the research", "judgement"),
    )


def _rule_price(p: PricingParams) -> None:
    __tracebackhide__ = True
    if p.twingo_price_eur is None and cached("price", p.market) is None:
        held = ", ".join(f"{m} {v:,.0f}" for m, v in markets_with_price().items())
        raise ParameterError(
            NOTEBOOK,
            "twingo_price_eur",
            None,
            f"a price in EUR incl. VAT (1000 to 200000) for market {p.market}: no Twingo "
            f"price is reported there (reported base-trim prices: {held})",
        )


def _rule_incentive(p: PricingParams) -> None:
    __tracebackhide__ = True
    price = price_of(p)
    if p.incentive_eur is not None:
        if p.incentive_eur > price:
            raise ParameterError(
                NOTEBOOK,
                "incentive_eur",
                p.incentive_eur,
                f"None or 0 to the Twingo price analysed ({price:g})",
            )
        return
    looked_up = cached(f"incentive:{p.household}", p.market).amount_eur
    if looked_up > price:
        raise ParameterError(
            NOTEBOOK,
            "twingo_price_eur",
            p.twingo_price_eur,
            f"a price of at least the incentive looked up for {p.market} ({looked_up:g}), "
            "or set incentive_eur",
        )


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


def rate_of(p: PricingParams) -> fx.Fixing:
    """The EUR/USD rate used: the parameter, else the ECB fixing of fx_date."""
    return rate(p.fx_date, p.eur_usd)


def pack_rate_of(p: PricingParams) -> fx.Fixing:
    """The EUR/USD rate the battery pack price is converted at: the parameter ``eur_usd`` where it is
    set, else the ECB fixing of the day BloombergNEF published the survey the pack price comes from
    (a dollar price of December 2025 is converted at December 2025's rate, not at ``fx_date``'s)."""
    return rate(pack_price_date(), p.eur_usd)


# --------------------------------------------------------------------------- results

RESULTS = [
    ResultSpec("twingo_price_analysed_eur", "EUR", "Twingo price analysed, incl. VAT", 0),
    ResultSpec("incentive_applied_eur", "EUR", "Incentive deducted from the Twingo's price", 0),
    ResultSpec("price_per_km_range_eur", "EUR/km", "Twingo price per km of WLTP range", 0),
    ResultSpec("km_per_kwh_battery", "km/kWh", "Km of range per kWh of battery", 1),
    ResultSpec("price_per_kwh_eur", "EUR/kWh", "Twingo price per kWh of battery", 0),
    ResultSpec(
        "twingo_rank_in_market", "rank", "Twingo's rank by price in the market's list (1 = cheapest)", 0
    ),
    ResultSpec("battery_cost_share_ex_vat_pct", "%", "Battery's cost as a share of the price before VAT", 1),
    ResultSpec("battery_cost_share_pct", "%", "Battery's cost as a share of the price incl. VAT", 1),
    ResultSpec("eur_usd_used", "USD per EUR", "Dollars per euro used", 4),
    ResultSpec("twingo_price_usd", "USD", "Twingo price in dollars (incl. European VAT)", 0),
    ResultSpec("tco_ev_eur", "EUR", "Twingo's cost of ownership over the years (discounted)", 0),
    ResultSpec("tco_ice_eur", "EUR", "Sandero's cost of ownership over the years (discounted)", 0),
    ResultSpec(
        "tco_gap_eur", "EUR", "Cost of ownership, Twingo minus Sandero (negative: the Twingo is cheaper)", 0
    ),
    ResultSpec(
        "tco_gap_no_incentive_eur", "EUR", "Cost of ownership, Twingo minus Sandero, without any incentive", 0
    ),
    ResultSpec("breakeven_annual_km", "km/yr", "Distance a year from which the Twingo is cheaper", 0),
    ResultSpec("ev_residual_breakeven_pct", "%", "Twingo resale value at which both cars cost the same", 1),
    ResultSpec(
        "ev_extra_resale_credit_eur", "EUR", "Twingo's extra resale credit over the Sandero's (discounted)", 0
    ),
    ResultSpec(
        "tco_gap_resale_on_net_price_eur",
        "EUR",
        "Cost of ownership, Twingo minus Sandero, with each resale value a share of the price after the "
        "incentive",
        0,
    ),
    ResultSpec(
        "incentive_breakeven_eur",
        "EUR",
        "Incentive at which both cars cost the same (none: the Twingo is cheaper without one)",
        0,
    ),
    ResultSpec(
        "no_incentive_distance_breakeven_km",
        "km/yr",
        "Distance a year from which the Twingo is cheaper without any incentive",
        0,
    ),
]
RESULT_NAMES = tuple(s.name for s in RESULTS)
SPECS = {s.name: s for s in RESULTS}
OPTIONAL_RESULTS: tuple[str, ...] = (
    "breakeven_annual_km",
    "ev_residual_breakeven_pct",
    "incentive_breakeven_eur",
    "no_incentive_distance_breakeven_km",
)

# the results the uncertain inputs do not move: why, in the template's block no_range__<name>
NO_RANGE = (
    "twingo_price_analysed_eur",
    "incentive_applied_eur",
    "price_per_kwh_eur",
    "twingo_rank_in_market",
    "eur_usd_used",
    "twingo_price_usd",
)


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
    pack_usd = _array(draws.get("eur_usd", pack_rate_of(p).rate_per_eur))
    battery, range_km, pack = _array(q("battery_kwh")), _array(q("range_km")), _array(q("pack_usd_per_kwh"))
    years, km, r = _array(q("years")), _array(q("annual_km")), _array(q("discount_rate_pct"))
    ev = Car(
        price,
        incentive,
        q("ev_kwh_per_100km"),
        q("electricity_eur_per_kwh"),
        q("ev_maintenance_eur_per_year"),
        q("ev_residual_pct"),
    )
    ice = Car(
        q("ice_price_eur"),
        0.0,
        q("ice_l_per_100km"),
        q("petrol_eur_per_l"),
        q("ice_maintenance_eur_per_year"),
        q("ice_residual_pct"),
    )
    tco_ev, tco_ice = ev.tco(years, km, r), ice.tco(years, km, r)
    gap = tco_ev - tco_ice
    per_km = annuity_factor(years, r / 100) * (_array(ev.energy_per_km()) - _array(ice.energy_per_km()))
    discount_end = (1 + r / 100) ** years
    ev_resale = price * _array(q("ev_residual_pct"))
    ice_resale = _array(q("ice_price_eur")) * _array(q("ice_residual_pct"))
    extra_credit = (ev_resale - ice_resale) / 100 / discount_end
    # resale as a share of the price paid: the Twingo's after its incentive (the Sandero has none)
    # (the Twingo's credit shrinks by the incentive's share: incentive x s / 100 / (1 + r)^n)
    net_gap = gap + incentive * _array(q("ev_residual_pct")) / 100 / discount_end
    gap_none = gap + incentive
    none_per_km_be = breakeven_km(gap_none, km, per_km)
    rank = rank_in(cached("rivals", p.market), price)
    share = battery_cost_share_pct(battery, pack, pack_usd, price)
    share_ex = battery_cost_share_pct(battery, pack, pack_usd, ex_vat(price, cached("vat", p.market)))
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
        "tco_gap_no_incentive_eur": _out(gap_none),
        "breakeven_annual_km": _out(breakeven_km(gap, km, per_km)),
        "ev_residual_breakeven_pct": _out(residual_breakeven_pct(q("ev_residual_pct"), gap, price, r, years)),
        "ev_extra_resale_credit_eur": _out(extra_credit),
        "tco_gap_resale_on_net_price_eur": _out(net_gap),
        "incentive_breakeven_eur": _out(np.where(gap_none >= 0, gap_none, np.nan)),
        "no_incentive_distance_breakeven_km": _out(none_per_km_be),
    }


def conclusions(p: PricingParams) -> list[Conclusion]:
    """The sign statements the findings make (their break-evens are results; the technical appendix
    reports the share of the tested range in which each holds); their words are the template's
    blocks ``conclusion_<key>``."""
    from alliancelib.core.prose import render

    return [
        Conclusion(
            "ev_cheaper",
            "tco_gap_eur",
            lambda gap: gap < 0,
            render(TOPIC, "conclusion_ev_cheaper", years=p.years),
        ),
        Conclusion(
            "ev_cheaper_without_incentive",
            "tco_gap_no_incentive_eur",
            lambda gap: gap < 0,
            render(TOPIC, "conclusion_ev_cheaper_without_incentive", years=p.years),
        ),
    ]


def parameters_in(namespace: dict[str, Any]) -> dict[str, Any]:
    """The notebook's parameters as its parameters cell set them (by name, from ``globals()``)."""
    from alliancelib.params import fields_of

    return {f.name: namespace[f.name] for f in fields_of(PricingParams) if f.name in namespace}
