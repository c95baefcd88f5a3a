"""Notebook 03's decisions the words need: the phrases the code picks (a rank, a share of cases,
whether the incentive turns the verdict) and the facts behind each section's sentences (split from
:mod:`.analysis`, which imports them)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from alliancelib import reads
from alliancelib.core.prose import render
from alliancelib.params import plausible_of
from alliancelib.topics.pricing import inputs
from alliancelib.topics.pricing.inputs import Incentive
from alliancelib.topics.pricing.model import (
    TOPIC,
    PricingParams,
    headline,
)
from alliancelib.topics.pricing.tables import (
    car_name,
    household_rows,
)

if TYPE_CHECKING:
    pass

# the notebook's section headings (findings link to them)

# --------------------------------------------------------------------------- decisions


def rank_phrase(rank: int, of: int, low: bool = False) -> str:
    """A rank by price (``low``: of a cost measure) in the template's words.

    >>> rank_phrase(1, 3), rank_phrase(3, 7), rank_phrase(7, 7), rank_phrase(3, 7, low=True)
    ('the cheapest of 3', 'the 3rd cheapest of 7', 'the dearest of 7', 'the 3rd lowest of 7')
    """
    key = "cheapest" if rank == 1 else "dearest" if rank == of else "nth"
    return render(TOPIC, f"{'low_rank' if low else 'rank'}__{key}", rank=rank, of=of)


def in_words(label: str) -> str:
    """A label or a sentence inside a sentence: its first letter in lower case unless the first
    word is a name or an acronym.

    >>> in_words("Twingo resale value"), in_words("A confirmed scheme"), in_words("BloombergNEF's survey")
    ('Twingo resale value', 'a confirmed scheme', "BloombergNEF's survey")
    """
    import re

    from alliancelib.uncertainty import PROPER_NOUNS

    first = label.split(" ", 1)[0]
    bare = re.sub(r"'s$", "", first)
    if bare in PROPER_NOUNS or not re.fullmatch(r"[A-Z][a-z]*", bare):
        return label
    return label[:1].lower() + label[1:]


def breakeven_kind(value: float | None) -> str:
    """Where the Twingo is cheaper: at ``any`` distance, ``never`` or ``from`` a distance.

    >>> breakeven_kind(0.0), breakeven_kind(12211.8), breakeven_kind(None), breakeven_kind(float("nan"))
    ('any', 'from', 'never', 'never')
    """
    if value is None or not math.isfinite(value):
        return "never"
    return "any" if value <= 0 else "from"


def nearest(value: float, step: float) -> float:
    """A size rounded as a reader says it, to ``step``, without its sign.

    >>> nearest(-3446.37, 100), nearest(54.2, 10), nearest(2137.0, 100)
    (3400.0, 50.0, 2100.0)
    """
    return float(round(abs(float(value)) / step) * step)


def cheaper_from(value: float | None) -> str:
    """Where the Twingo is cheaper, in the template's words.

    >>> cheaper_from(0.0), cheaper_from(12211.8), cheaper_from(None)
    ('cheaper at any distance', 'cheaper from 12,200 km a year', 'never cheaper')
    """
    kind = breakeven_kind(value)
    return render(TOPIC, f"cheaper_from__{kind}", km=nearest(value or 0.0, 100))


def incentive_role(gap_none: float, gaps: Sequence[float]) -> str:
    """What the incentive does to the verdict, from the signs of the gaps with and without it.

    >>> incentive_role(54.0, [-3446.0, -4646.0])
    'The incentive turns a draw or a loss into a clear win; the distance driven does the rest.'
    """
    wins = [g < 0 for g in gaps]
    key = ("turns" if gap_none >= 0 else "widens") if all(wins) else "never" if not any(wins) else "some"
    return render(TOPIC, f"incentive_role__{key}")


def helps(diff: Mapping[str, float], incentive_eur: float, order: Sequence[str]) -> list[tuple[float, str]]:
    """What takes back the Twingo's higher price (EUR, words), largest first: the parts in which it
    is cheaper, in ``order``, then the incentive."""
    out = [(abs(diff[name]), render(TOPIC, f"help__{name}")) for name in order if diff[name] < 0]
    if incentive_eur > 0:
        out.append((incentive_eur, render(TOPIC, "help__incentive")))
    return sorted(out, reverse=True)


def scheme_facts() -> dict[str, Any]:
    """The German premium's caps and extras and France's European-battery bonus (EUR, facts.csv), and
    the day the German premium's registrations count from (incentives.csv)."""
    rows = inputs.scheme_rows("DE")
    return {
        "cap_low": inputs.fact("de_premium_income_cap_low_eur"),
        "cap_middle": inputs.fact("de_premium_income_cap_middle_eur"),
        "cap": inputs.fact("de_premium_income_cap_eur"),
        "cap_two_children": inputs.fact("de_premium_income_cap_two_children_eur"),
        "per_child": inputs.fact("de_premium_per_child_eur"),
        "children_max": inputs.fact("de_premium_children_max_eur"),
        "max": inputs.fact("de_premium_max_eur"),
        "valid_from": str(rows["valid_from"].iloc[0]) if len(rows) else "",
        "fr_battery_min": inputs.fact("fr_eu_battery_bonus_min_eur"),
        "fr_battery_max": inputs.fact("fr_eu_battery_bonus_max_eur"),
    }


def fr_conflict() -> dict[str, float] | None:
    """The two French base prices of late 2025 the newest list price settled (EUR), or None."""
    rows = inputs.reported_prices()
    newest = inputs.base_price_row("FR")
    if newest is None:
        return None
    older = rows[
        (rows["market"] == "FR")
        & (rows["trim"] == inputs.BASE_TRIM)
        & (rows["price_kind"] == "list")
        & (rows["as_of"].astype(str) != str(newest["as_of"]))
    ]
    prices = sorted(float(x) for x in older["price_eur"])
    return {"low_eur": prices[0], "high_eur": prices[-1]} if len(set(prices)) > 1 else None


def intro_context() -> dict[str, Any]:
    """The figures the sections' introductions quote, read from data/: the Twingo's battery, range and
    power, the French price's source, the Dacia Spring's two batteries, the VW ID. Polo's prices, the
    Sandero's two prices and the consumption estimate, and the consumption parameters' ranges."""
    fr = inputs.base_price_row("FR")
    spring = inputs.model_rows("Dacia Spring")
    polo = inputs.model_rows("VW ID. Polo")
    launch = polo.loc[polo["price_kind"] == "estimate", "price_eur"].astype(float)
    sandero = inputs.model_rows(inputs.SANDERO)["price_eur"].astype(float)
    ev_cons = plausible_of(PricingParams, "ev_kwh_per_100km")
    ice_cons = plausible_of(PricingParams, "ice_l_per_100km")
    old, new = spring.iloc[0], spring.iloc[-1]
    return {
        "battery_kwh": inputs.fact("twingo_battery_kwh"),
        "range_km": inputs.fact("twingo_range_km"),
        "power_kw": inputs.fact("twingo_power_kw"),
        "fr_publisher": inputs.publisher(str(fr["source_id"])) if fr is not None else "",
        "fr_as_of": str(fr["as_of"]) if fr is not None else "",
        "spring_old_kwh": float(old["battery_kwh"]),
        "spring_old_year": str(old["as_of"])[:4],
        "spring_new_kwh": float(new["battery_kwh"]),
        "spring_new_year": str(new["as_of"])[:4],
        "spring_old_km_per_kwh": float(old["range_km"]) / float(old["battery_kwh"]),
        "spring_new_km_per_kwh": float(new["range_km"]) / float(new["battery_kwh"]),
        "polo_entry_eur": float(polo.loc[polo["price_kind"] == "target", "price_eur"].iloc[0]),
        "polo_launch_low_eur": float(launch.min()),
        "polo_launch_high_eur": float(launch.max()),
        "sandero_eur": float(sandero.min()),
        "sandero_facelift_eur": float(sandero.max()),
        "consumption_estimate": inputs.fact("twingo_consumption_kwh_per_100km"),
        "consumption_publisher": inputs.publisher(inputs.fact_source("twingo_consumption_kwh_per_100km")),
        "ev_cons_low": ev_cons.low if ev_cons else math.nan,
        "ev_cons_high": ev_cons.high if ev_cons else math.nan,
        "ice_cons_high": ice_cons.high if ice_cons else math.nan,
    }


def cheaper_or_dearer(gap: float) -> str:
    """``cheaper`` for a negative gap (the Twingo costs less), ``dearer`` otherwise (a word the
    template's sentences take as it is)."""
    return "cheaper" if gap < 0 else "dearer"


def battery_context(p: PricingParams, v: Mapping[str, Any]) -> dict[str, Any]:
    """The battery's share before VAT at the ends of the pack price's tested range (the share is
    linear in the pack price), and whether the pack price is set outside that range."""
    pl = plausible_of(PricingParams, "pack_usd_per_kwh")
    if pl is None or pl.low is None or pl.high is None or not pl.contains(p.pack_usd_per_kwh):
        return {"pack_held": True}
    share = float(v["battery_cost_share_ex_vat_pct"]) / p.pack_usd_per_kwh if p.pack_usd_per_kwh else 0.0
    return {
        "pack_held": False,
        "pack_low": pl.low,
        "pack_high": pl.high,
        "pack_at_low": p.pack_usd_per_kwh == pl.low,
        "share_at_low_pct": share * pl.low,
        "share_at_high_pct": share * pl.high,
    }


def cheapest_ev(p: PricingParams, price: float) -> dict[str, Any] | None:
    """The market's cheapest listed EV in the same TCO, as far as the data allows (only its price
    differs): None if none is cheaper than the Twingo."""
    rivals = inputs.market_list(p.market)
    if rivals.empty:
        return None
    cheapest = rivals.sort_values("price_eur", kind="stable").iloc[0]
    other = float(cheapest["price_eur"])
    if other >= price:
        return None
    keep = p.ev_residual_pct / 100 / (1 + p.discount_rate_pct / 100) ** p.years
    return {
        "car": car_name(str(cheapest["model"]), cheapest["trim"]),
        "price_eur": other,
        "less_eur": price - other,
        "saving_eur": (price - other) * (1 - keep),
        "keep": keep,
        "range_km": float(cheapest["range_km"]),
    }


def tornado_context(t: pd.DataFrame, gap: float) -> dict[str, Any]:
    """The tornado's decisions: the input that moves the gap most, a near tie, those that turn the
    verdict."""
    from alliancelib.uncertainty import in_sentence

    if not len(t):
        return {"tornado_top": "", "tornado_flips": [], "tornado_swing_eur": 0.0}
    flips = t[(np.sign(t["gap_low"]) != np.sign(t["gap_high"])) | (np.sign(t["gap_low"]) != np.sign(gap))]
    turns = t[(np.sign(t["gap_low"]) != np.sign(gap)) | (np.sign(t["gap_high"]) != np.sign(gap))]
    top = t.iloc[0]
    tie = len(t) > 1 and float(t.iloc[1]["swing"]) >= 0.95 * float(top["swing"])
    return {
        "tornado_top": str(top["label"]),
        "tornado_swing_eur": float(top["swing"]),
        "tornado_flips": [str(x) for x in flips["label"]],
        "tornado_top_in_sentence": in_sentence(top["label"]),
        "tornado_tie": tie,
        "tornado_second_in_sentence": in_sentence(t.iloc[1]["label"]) if len(t) > 1 else "",
        "tornado_swing_about_eur": nearest(float(top["swing"]), 100),
        "tornado_turns": in_sentence(turns.iloc[0]["label"]) if len(turns) else None,
    }


def for_whom_context(p: PricingParams) -> dict[str, Any]:
    """Each household tier's gap and break-even at the distance set, and without any incentive."""
    rows = []
    for _label, amount, words in household_rows(p):
        r = headline(p, incentive_eur=amount)
        g = float(r["tco_gap_eur"])
        rows.append(
            {
                "amount_eur": amount,
                "words": words,
                "who": words.split(" (")[0],
                "gap_eur": g,
                "gap_abs_eur": abs(g),
                "cheaper_or_dearer": cheaper_or_dearer(g),
                "all_distances": r["breakeven_annual_km"] == 0,
                "cheaper_from": cheaper_from(r["breakeven_annual_km"]),
            }
        )
    tiers = [r for r in rows if r["amount_eur"] > 0]
    out: dict[str, Any] = {
        "tier_rows": tiers,
        "none_row": rows[-1],
        "tiers_all_any": bool(tiers) and all(r["all_distances"] for r in tiers),
    }
    if tiers:
        out["least"] = max(tiers, key=lambda r: r["gap_eur"])
        out["most"] = min(tiers, key=lambda r: r["gap_eur"])
        out["incentive_role"] = incentive_role(rows[-1]["gap_eur"], [r["gap_eur"] for r in tiers])
    return out


def since_context() -> dict[str, Any]:
    """What happened since the announcement: the figures the "since" line quotes, and its sources."""
    ev = inputs.events()
    dacia = inputs.dacia_successor()
    uk = inputs.uk_grant()
    from alliancelib.core.words import say_date

    ids = [
        str(ev[key]["source_id"])
        for key in (
            "premiere",
            "listed",
            "deliveries",
            "wave",
            "france",
            "fr_applies",
            "leasing",
            "germany",
            "spain_decree",
            "bnef",
        )
    ]
    ids += [str(dacia["source_id"]), str(uk["source_id"].iloc[0])]
    from alliancelib.data import record_rows

    links = inputs.load("claim_sources").query("claim_id == 'nissan_twingo_2026' and role == 'outcome'")
    forecast = inputs.load("battery_prices").query("year == 2026")
    ids += list(record_rows(links, "claim_sources")["source_id"])
    ids += list(record_rows(forecast, "battery_prices")["source_id"])
    return {
        "wave_year": inputs.wave_production_year(),
        "dacia_price_eur": float(dacia["price_eur"]),
        "uk_grant_gbp": float(uk["amount"].max()),
        "germany_month": say_date(str(ev["germany"]["date"])).split()[0],
        "since_ids": sorted(set(ids)),
    }


def _source_ids(
    p: PricingParams,
    tables: Mapping[str, pd.DataFrame],
    seg: pd.DataFrame,
    inc: Incentive,
    since_ids: Sequence[str],
) -> list[str]:
    from alliancelib.report import sources_used

    frames = [tables[key] for key in ("prices", "uk", "market", "rest", "batteries", "scheme", "incentives")]
    frames.append(seg[["source_id"]])
    extra = [
        "ecb_eurofxref",
        "seed_autoexpert",
        "vatcalc_2025",
        inputs.fact_source("twingo_consumption_kwh_per_100km"),
        inputs.fact_source("twingo_battery_kwh"),
        inputs.fact_source("twingo_range_km"),
        # the facts the introductions and the Chinese side quote (data audit 2026-12: they were missing)
        *(
            inputs.fact_source(f)
            for f in (
                "twingo_power_kw",
                "twingo_plant_capacity_units",
                "twingo_development_months",
                "twingo_chinese_parts_pct",
                "twingo_chinese_content_2025_pct",
                "twingo_chinese_content_2027_pct",
                "fr_coup_de_pouce_offers_min_eur",
                "twingo_price_fr_after_smallest_bonus_eur",
                "fr_eu_battery_bonus_min_eur",
                "battery_pack_premium_europe_2025_pct",
                "fr_leasing_social_2026_places",
            )
        ),
        "mac4ever_194604",  # the range's conflict: "263 km in most sources (auto55.be, Mac4Ever, What Car?)"
        *since_ids,
    ]
    cars = inputs.load("car_models")
    extra += list(cars.loc[cars["model"].isin([inputs.SANDERO, "Dacia Spring", "VW ID. Polo"]), "source_id"])
    if inc.source_id:
        extra.append(inc.source_id)
    if p.market == "IT":
        extra += list(
            inputs.load("events").query("topic == 'ev' and event.str.contains('ecobonus')", engine="python")[
                "source_id"
            ]
        )
    reads.cite(*extra)  # the sources the text relies on beside the tables (the seed article, ...)
    ids = sources_used(frames, extra)
    return [i for i in ids if i]


def range_cases(p: PricingParams, price: float, listed: pd.DataFrame) -> list[dict[str, Any]]:
    """The Twingo's price per km of range and its rank per km among the market's list, at the range
    analysed and at each other reported value of the range conflict (two reported values are two
    cases, not a range): the analysed case first. ``listed`` is the market's list with the Twingo
    (column ``pricing_eur_per_km``, ``is_twingo``)."""
    pl = plausible_of(PricingParams, "range_km")
    values = [float(p.range_km)]
    if pl is not None and pl.kind == "conflict" and pl.low is not None and pl.high is not None:
        values += [float(x) for x in (pl.high, pl.low) if float(x) != float(p.range_km)]
    rivals = listed.loc[~listed["is_twingo"], "pricing_eur_per_km"].astype(float)
    out = []
    for km in values:
        per_km = price / km
        out.append({"range_km": km, "per_km_eur": per_km, "rank": int(1 + (rivals < per_km - 1e-9).sum())})
    return out


def default_ends(p: PricingParams) -> list[dict[str, str]]:
    """The uncertain inputs whose value sits at an end of the range they are tested over (a default
    should be the best estimate; where it is an end, the text says so): label and ``low``/``high``."""
    from alliancelib.params import label_of
    from alliancelib.uncertainty import uncertain_inputs

    out = []
    for name, pl in uncertain_inputs(p).items():
        value = getattr(p, name)
        if value is None or pl.options or pl.low is None or pl.high is None:
            continue
        end = "low" if float(value) == float(pl.low) else "high" if float(value) == float(pl.high) else ""
        if end:
            out.append({"name": name, "label": label_of(PricingParams, name), "end": end})
    return out


def incentive_span(market: str) -> tuple[float, float] | None:
    """The smallest and largest incentive amounts the data report for ``market``'s 2026 schemes (EUR:
    the current scheme's tiers, and for France the offers seen by suppliers), or None where none."""
    rows = inputs.scheme_rows(market)
    amounts = [float(x) for x in rows["amount"]]
    if market == "FR" and amounts:
        amounts += [
            inputs.fact("fr_coup_de_pouce_offers_min_eur"),
            inputs.fact("fr_coup_de_pouce_offers_max_eur"),
        ]
        amounts += [float(x) for x in inputs.observed_fr_offers()["amount"]]
    return (min(amounts), max(amounts)) if amounts else None
