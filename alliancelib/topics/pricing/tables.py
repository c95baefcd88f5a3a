"""The tables of notebook 03 (their captions are the template's): the reported prices, the market's
list and the rest of Europe's small EVs, the dollars, the cost of ownership in parts, the tornado, the
gap map, "for whom" and the results summary."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from alliancelib.core.prose import render
from alliancelib.core.words import format_quantity, money, pct, percent
from alliancelib.topics.pricing import inputs
from alliancelib.topics.pricing.inputs import (
    BASE_TRIM,
    TWINGO,
    day,
    scheme_rows,
    segment_metrics,
)
from alliancelib.topics.pricing.model import (
    ADJECTIVE,
    COUNTRY,
    GAP_DISTANCES,
    HOUSEHOLD_WORDS,
    RESULTS,
    TOPIC,
    Car,
    PricingParams,
    ex_vat,
    headline,
    rate_of,
)

if TYPE_CHECKING:
    from alliancelib.uncertainty import Assessment

KIND_WORDS = {"list": "list price", "target": "target", "estimate": "estimate", "promotion": "promotion"}
Parts = dict[str, dict[str, float]]


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


def summary_table(a: Assessment, notes: Mapping[str, str]) -> pd.DataFrame:
    """Every result with its value, its range (as recorded) or why it has none, and its deciding
    inputs (the uncertainty module's columns); ``notes``: why a result has no range, by name."""
    ranges = a.result_ranges()
    rows = []
    for s in RESULTS:
        r = a.ranges.get(s.name)
        value = "none" if r is None or r.value is None else fmt(s, r.value)
        if s.name in ranges:
            span = f"{fmt(s, ranges[s.name][0])} to {fmt(s, ranges[s.name][1])}"
            if r is not None and r.share_defined < 1:
                span += f" (where it exists: {percent(r.share_defined)} of cases)"
        else:
            span = notes[s.name]
        deciding = ", ".join(a.labels.get(i, i) for i in a.deciding(s.name)[:3]) if s.name in ranges else ""
        rows.append(
            {"result_label": s.label, "value_text": value, "range_text": span, "deciding_inputs": deciding}
        )
    return pd.DataFrame(rows, columns=["result_label", "value_text", "range_text", "deciding_inputs"])


def fmt(spec: Any, value: float) -> str:
    """A result's value with its unit, at its decimals."""
    return format_quantity(value, spec.unit, spec.decimals)


def twingo_row(p: PricingParams, price: float, price_row: pd.Series | None) -> dict[str, Any]:
    row: dict[str, Any] = {} if price_row is None else {str(k): x for k, x in price_row.items()}
    reported = bool(row)
    return {
        "model": TWINGO,
        "brand": "Renault",
        "market": p.market,
        "trim": BASE_TRIM if reported else "price set",
        "powertrain": "bev",
        "price_eur": price,
        "price_kind": "list" if reported else "set",
        "battery_kwh": p.battery_kwh,
        "chemistry": "LFP",
        "range_km": p.range_km,
        "as_of": str(row["as_of"]) if reported else "",
        "basis": "reported" if reported else "assumption",
        "source_id": str(row["source_id"]) if reported else "",
        "note": "The Twingo as analysed here" + ("" if reported else " (price set)"),
    }


def with_names(frame: pd.DataFrame) -> pd.DataFrame:
    out = segment_metrics(frame)
    out["pricing_car"] = [car_name(m, t) for m, t in zip(out["model"], out["trim"], strict=True)]
    out["pricing_market_name"] = [COUNTRY.get(m, m) for m in out["market"]]
    out["pricing_price_kind"] = [KIND_WORDS.get(k, "price analysed") for k in out["price_kind"]]
    return out


def segment_tables(
    p: PricingParams, price: float, price_row: pd.Series | None, rivals: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The chart's frame (the market's list, the Twingo and every other EV with a range), the
    market's list ranked by price, and the rest of Europe's small EVs in the data."""
    twingo = pd.DataFrame([twingo_row(p, price, price_row)])
    listed = with_names(pd.concat([rivals, twingo], ignore_index=True))
    prices = listed["price_eur"].to_numpy(dtype=float)
    listed["pricing_rank"] = [int(1 + (prices < x).sum()) for x in prices]
    listed["is_twingo"] = listed["model"] == TWINGO
    listed["in_market"] = True
    listed = listed.sort_values(["pricing_rank", "pricing_car"], kind="stable").reset_index(drop=True)

    all_evs = inputs.all_evs()
    key = ["model", "market", "price_kind", "price_eur"]
    inside = set(map(tuple, rivals[key].itertuples(index=False, name=None)))
    rest = all_evs[[tuple(r) not in inside for r in all_evs[key].itertuples(index=False, name=None)]]
    rest = with_names(rest)
    rest["is_twingo"] = False
    rest["in_market"] = False
    rest = rest.sort_values(["pricing_eur_per_km", "pricing_car"], na_position="last", kind="stable")
    rest = rest.reset_index(drop=True)

    seg = pd.concat([listed, rest[rest["range_km"].notna()]], ignore_index=True)
    market_cols = [
        "pricing_rank",
        "pricing_car",
        "price_eur",
        "pricing_eur_per_km",
        "pricing_km_per_kwh",
        "pricing_eur_per_kwh",
        "battery_kwh",
        "range_km",
        "as_of",
        "source_id",
    ]
    rest_cols = [
        "pricing_car",
        "pricing_market_name",
        "pricing_price_kind",
        "price_eur",
        "pricing_eur_per_km",
        "pricing_km_per_kwh",
        "battery_kwh",
        "range_km",
        "as_of",
        "source_id",
    ]
    return seg, listed[market_cols], rest[rest_cols]


def prices_table() -> pd.DataFrame:
    rows = inputs.reported_prices().copy()
    rows["pricing_market_name"] = [COUNTRY.get(m, m) for m in rows["market"]]
    rows["pricing_price_kind"] = [KIND_WORDS.get(k, k) for k in rows["price_kind"]]
    rows["_day"] = [day(d) for d in rows["as_of"]]
    rows = rows.sort_values(["market", "trim", "_day", "price_eur"], kind="stable")
    return rows[
        ["pricing_market_name", "trim", "price_eur", "pricing_price_kind", "as_of", "source_id", "note"]
    ].reset_index(drop=True)


def uk_table() -> pd.DataFrame:
    rows = inputs.uk_prices()
    return rows[["description", "value", "unit", "as_of", "source_id", "note"]]


def scheme_table(market: str) -> pd.DataFrame:
    rows = scheme_rows(market)
    return rows[["tier", "household", "amount", "status", "valid_from", "conditions", "source_id"]]


def gaps_table(gaps: pd.DataFrame) -> pd.DataFrame:
    return gaps.loc[gaps["topic"] == "ev", ["what", "status", "note"]].reset_index(drop=True)


def parts_of(p: PricingParams, values: Mapping[str, Any]) -> Parts:
    """The TCO's four parts for each car (EUR, discounted): ``{"ev": {part: EUR}, "ice": {...}}``,
    parts purchase, energy, maintenance and resale."""
    ev = Car(
        values["twingo_price_analysed_eur"],
        values["incentive_applied_eur"],
        p.ev_kwh_per_100km,
        p.electricity_eur_per_kwh,
        p.ev_maintenance_eur_per_year,
        p.ev_residual_pct,
    )
    ice = Car(
        p.ice_price_eur,
        0.0,
        p.ice_l_per_100km,
        p.petrol_eur_per_l,
        p.ice_maintenance_eur_per_year,
        p.ice_residual_pct,
    )
    a = ev.parts(p.years, p.annual_km, p.discount_rate_pct)
    b = ice.parts(p.years, p.annual_km, p.discount_rate_pct)
    return {"ev": {k: float(x) for k, x in a.items()}, "ice": {k: float(x) for k, x in b.items()}}


def parts_table(parts: Parts) -> pd.DataFrame:
    ev, ice = parts["ev"], parts["ice"]
    rows = [(key, ev[key], ice[key]) for key in ("purchase", "energy", "maintenance", "resale")]
    rows.append(("total", sum(ev.values()), sum(ice.values())))
    return pd.DataFrame(
        [
            {
                "pricing_component": render(TOPIC, f"parts_row__{key}"),
                "pricing_ev_eur": e,
                "pricing_ice_eur": i,
                "pricing_difference_eur": e - i,
            }
            for key, e, i in rows
        ]
    )


# the tornado's rows: the key of its label (the template's block input__<key>) and the inputs moved
# together (consumption x price merged into a cost per 100 km; the two resale values, which share one
# used-car market, moved together to the same value, besides each moved alone: a spread)
TORNADO_ROWS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("resale_together", ("ev_residual_pct", "ice_residual_pct")),
    ("ev_resale", ("ev_residual_pct",)),
    ("ice_resale", ("ice_residual_pct",)),
    ("petrol_cost", ("ice_l_per_100km", "petrol_eur_per_l")),
    ("electricity_cost", ("ev_kwh_per_100km", "electricity_eur_per_kwh")),
    ("ice_maintenance", ("ice_maintenance_eur_per_year",)),
    ("ev_maintenance", ("ev_maintenance_eur_per_year",)),
    ("discount_rate", ("discount_rate_pct",)),
    ("ice_price", ("ice_price_eur",)),
)


# rows whose inputs move to one common value (the overlap of their ranges), not each over its own
TOGETHER = frozenset({"resale_together"})


def end_text(p: PricingParams, names: Sequence[str], values: Mapping[str, float]) -> str:
    """What an input is at one end of its range, as a reader writes it."""
    if len(names) == 2 and all(n.endswith("_residual_pct") for n in names):
        return render(TOPIC, "tornado_end_both", value=pct(values[names[0]], 0))
    if len(names) == 2:
        cost = values[names[0]] * values[names[1]]
        return money(cost, "EUR", 2)
    name = names[0]
    v = values[name]
    unit = {"ev_residual_pct": "%", "ice_residual_pct": "%", "discount_rate_pct": "%"}.get(name)
    if unit:
        return pct(v, 0 if float(v).is_integer() else 1)
    if name.endswith("_per_year"):
        return render(TOPIC, "tornado_end_per_year", amount_eur=v)
    return money(v, "EUR")


def tornado_table(p: PricingParams) -> pd.DataFrame:
    """The TCO gap with each input at the low and the high end of its plausible range, the others
    at their values (consumption and price of each fuel moved together, as one cost per km; the two
    resale values also moved together, to the same value over the overlap of their ranges); one
    headline call for all. Rows sorted by swing, largest first. Inputs held outside their range
    are left out."""
    from alliancelib.uncertainty import uncertain_inputs

    drawn = uncertain_inputs(p)
    rows = [(label, tuple(n for n in names if n in drawn)) for label, names in TORNADO_ROWS]
    rows = [(label, names) for label, names in rows if names and (label not in TOGETHER or len(names) > 1)]
    if not rows:
        return pd.DataFrame(columns=["label", "low_text", "high_text", "gap_low", "gap_high", "swing"])
    m = 2 * len(rows)
    arrays = {name: np.full(m, float(getattr(p, name))) for _, names in rows for name in names}
    ends = []
    for i, (key, names) in enumerate(rows):
        lo, hi = {}, {}
        together = key in TOGETHER
        common = (
            max(float(drawn[n].low) for n in names),  # type: ignore[arg-type]
            min(float(drawn[n].high) for n in names),  # type: ignore[arg-type]
        )
        for name in names:
            pl = drawn[name]
            low, high = common if together else (float(pl.low), float(pl.high))  # type: ignore[arg-type]
            arrays[name][2 * i], arrays[name][2 * i + 1] = low, high
            lo[name], hi[name] = low, high
        ends.append((lo, hi))
    gaps = np.asarray(headline(p, **arrays)["tco_gap_eur"], dtype=float)
    out = pd.DataFrame(
        [
            {
                "label": render(TOPIC, f"input__{label}"),
                "low_text": end_text(p, names, lo),
                "high_text": end_text(p, names, hi),
                "gap_low": float(gaps[2 * i]),
                "gap_high": float(gaps[2 * i + 1]),
            }
            for i, ((label, names), (lo, hi)) in enumerate(zip(rows, ends, strict=True))
        ]
    )
    out["swing"] = (out["gap_high"] - out["gap_low"]).abs()
    out.attrs["centre"] = float(headline(p)["tco_gap_eur"])
    return out.sort_values(["swing", "label"], ascending=[False, True], kind="stable").reset_index(drop=True)


def tornado_frame(t: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "pricing_input": t["label"],
            "pricing_low_end": t["low_text"],
            "pricing_gap_low_eur": t["gap_low"],
            "pricing_high_end": t["high_text"],
            "pricing_gap_high_eur": t["gap_high"],
        }
    )


def gap_grid(p: PricingParams) -> dict[str, np.ndarray]:
    """The TCO gap over the distance driven a year (0-30,000 km) and the Twingo's resale value
    (10-60% of its price), and the resale value at which the gap is zero along the distance."""
    distance = np.linspace(0.0, 30000.0, 61)
    resale = np.arange(10.0, 60.5, 1.0)
    gap = np.asarray(
        headline(p, annual_km=distance[None, :], ev_residual_pct=resale[:, None])["tco_gap_eur"], dtype=float
    )
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
    rows = []
    for _, r in scheme_rows(p.market).iterrows():
        tier = {
            "who": HOUSEHOLD_WORDS[r["household"]],
            "tier": tier_words(r["tier"]),
            "amount_eur": r["amount"],
        }
        rows.append(
            (
                render(TOPIC, "household__label", **tier),
                float(r["amount"]),
                render(TOPIC, "household__words", **tier),
            )
        )
    if p.incentive_eur is not None and p.incentive_eur not in {a for _, a, _ in rows} | {0.0}:
        rows.append(
            (
                render(TOPIC, "household_set__label"),
                float(p.incentive_eur),
                render(TOPIC, "household_set__words", amount_eur=p.incentive_eur),
            )
        )
    rows.append(
        (
            render(
                TOPIC,
                "no_incentive__label",
                market=p.market,
                de_cap_eur=inputs.fact("de_premium_income_cap_eur"),
            ),
            0.0,
            render(TOPIC, "no_incentive__words"),
        )
    )
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
        return render(TOPIC, "breakeven__never")
    if value <= 0:
        return render(TOPIC, "breakeven__any")
    return render(TOPIC, "breakeven__from", km=round(float(value) / 100) * 100)


def dollar_table(p: PricingParams, values: Mapping[str, Any]) -> pd.DataFrame:
    """The Twingo in dollars: the article's conversion, EUR 20,000 at the ECB rates of the
    announcement and of the premiere, and the price analysed at the rate chosen (with and without
    VAT) and at the newest fixing."""
    article_eur, article_usd = inputs.article_conversion()
    announced = inputs.rate(inputs.ANNOUNCEMENT)
    premiere = inputs.rate(str(inputs.events()["premiere"]["date"]))
    newest = inputs.rate(inputs.newest_fixing())
    rate = rate_of(p)
    price = float(values["twingo_price_analysed_eur"])
    net = ex_vat(price, inputs.vat_pct(p.market))
    adjective = ADJECTIVE[p.market]
    when = render(TOPIC, "dollars_row__set") if rate.source != "ECB" else str(rate.fixing_date)
    names = {
        "adjective": adjective,
        "article_eur": article_eur,
        "vat_pct": inputs.vat_pct(p.market),
        "article_date": inputs.article_date(),
    }

    def row(key: str) -> str:
        return render(TOPIC, f"dollars_row__{key}", **names)

    rows = [
        (row("article"), article_eur, row("article_when"), article_usd / article_eur, article_usd),
        (
            row("announcement"),
            article_eur,
            str(announced.fixing_date),
            announced.rate_per_eur,
            article_eur * announced.rate_per_eur,
        ),
        (
            row("premiere"),
            article_eur,
            str(premiere.fixing_date),
            premiere.rate_per_eur,
            article_eur * premiere.rate_per_eur,
        ),
        (row("chosen"), price, when, rate.rate_per_eur, float(values["twingo_price_usd"])),
        (row("before_vat"), net, when, rate.rate_per_eur, net * rate.rate_per_eur),
        (row("newest"), price, str(newest.fixing_date), newest.rate_per_eur, price * newest.rate_per_eur),
    ]
    return pd.DataFrame(
        rows,
        columns=[
            "pricing_conversion",
            "pricing_amount_eur",
            "pricing_rate_date",
            "pricing_usd_per_eur",
            "pricing_amount_usd",
        ],
    )
