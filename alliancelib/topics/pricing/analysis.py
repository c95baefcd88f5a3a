"""Everything notebook 03 shows, computed once (:func:`analyse`): the results and their ranges, the
tables, and the decisions the text needs, passed to the template ``text.md.j2`` as named facts
(:func:`context`). Every sentence is rendered there; this module decides (which rank, which phrase,
whether the Twingo is cheaper, which inputs decide it) and never words a sentence itself.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pandas as pd

from alliancelib import fx
from alliancelib.analysis import Analysis as AnalysisBase
from alliancelib.core.prose import render
from alliancelib.core.show import Part, Shows, chart, table, text
from alliancelib.findings import Finding, anchor_for
from alliancelib.reads import recorded
from alliancelib.topics.pricing import inputs
from alliancelib.topics.pricing.inputs import Incentive
from alliancelib.topics.pricing.model import (
    ADJECTIVE,
    COUNTRY,
    HOUSEHOLD_WORDS,
    NO_RANGE,
    NOTEBOOK,
    RESULTS,
    TOPIC,
    PricingParams,
    annuity_factor,
    conclusions,
    ex_vat,
    headline,
    pack_rate_of,
    price_of,
    rate_of,
)
from alliancelib.topics.pricing.tables import (
    KIND_WORDS,
    Parts,
    dollar_table,
    for_whom_table,
    gap_grid,
    gaps_table,
    parts_of,
    parts_table,
    prices_table,
    scheme_table,
    segment_tables,
    tornado_frame,
    tornado_table,
    uk_table,
)

if TYPE_CHECKING:
    from alliancelib.charts import Chart
    from alliancelib.uncertainty import Assessment, Conclusion

from alliancelib.topics.pricing.decisions import (  # noqa: E402, F401 - re-exported: the tests read them here
    _source_ids,
    battery_context,
    breakeven_kind,
    cheaper_from,
    cheaper_or_dearer,
    cheapest_ev,
    default_ends,
    for_whom_context,
    fr_conflict,
    helps,
    in_words,
    incentive_role,
    incentive_span,
    intro_context,
    nearest,
    range_cases,
    rank_phrase,
    scheme_facts,
    since_context,
    tornado_context,
)

# the notebook's section headings (findings link to them)
SECTION_PRICES = "The Twingo's price, market by market"
SECTION_SEGMENT = "Against Europe's small EVs: the price per km of range"
SECTION_BATTERY = "How much of the price is the battery"
SECTION_DOLLARS = "In dollars"
SECTION_TCO = "Five years against a petrol Sandero"
SECTION_DECIDES = "What decides the verdict, and for whom"
SECTION_APPENDIX = (
    "Technical appendix: share of the tested range (independent uniform inputs; not a probability)"
)

# the section texts, rendered once by analyse() (keys of a.texts, blocks of the template); "cheapest"
# and "tornado" are empty where there is no cheaper EV or no uncertain input to move
TEXTS = (
    "prices_intro",
    "segment_caveats",
    "battery_intro",
    "dollars_intro",
    "tco_inputs",
    "decides_intro",
    "prices",
    "uk",
    "segment",
    "segment_example",
    "china",
    "battery",
    "dollars",
    "incentive",
    "tco_example",
    "tco",
    "not_covered",
    "resale",
    "grid",
    "for_whom",
    "net_resale",
    "defaults",
    "leasing",
)
CAPTIONS = (
    "prices",
    "uk",
    "market",
    "rest",
    "batteries",
    "dollars",
    "scheme",
    "parts",
    "for_whom",
    "ranges",
    "incentives",
    "gaps",
)
CHARTS = ("segment", "parts", "tornado", "map")


@dataclass(frozen=True, kw_only=True)
class Analysis(Shows, AnalysisBase):
    """Everything notebook 03 shows, computed once from the parameters."""

    NOTEBOOK: ClassVar[str] = NOTEBOOK
    SECTIONS: ClassVar[Mapping[str, Sequence[Part]]] = {
        "prices": (text("prices_intro"), text("prices"), table("prices"), text("uk"), table("uk")),
        "segment": (
            text("segment_caveats"),
            text("segment"),
            chart("segment"),
            text("segment_example"),
            table("market"),
            table("rest"),
            text("china"),
        ),
        "battery": (text("battery_intro"), text("battery"), table("batteries")),
        "dollars": (text("dollars_intro"), text("dollars"), table("dollars")),
        "incentive": (text("incentive"), table("scheme"), text("leasing")),
        "tco": (
            text("tco_inputs"),
            text("tco_example"),
            text("tco"),
            chart("parts"),
            table("parts"),
            text("cheapest"),
            text("not_covered"),
        ),
        "decides": (
            text("decides_intro"),
            text("resale"),
            text("net_resale"),
            text("tornado"),
            chart("tornado"),
            text("defaults"),
            table("ranges"),
            text("grid"),
            chart("map"),
            text("for_whom"),
            table("for_whom"),
        ),
        "appendix": (text("appendix"), table("appendix")),
        "incentives": (table("incentives"),),
        "sources": (table("gaps"),),
    }

    p: PricingParams
    incentive: Incentive
    price_row: pd.Series | None
    rate: fx.Fixing
    segment: pd.DataFrame  # every EV of the Europe-wide chart, the Twingo included
    cost_parts: Parts  # the TCO's parts for each car (EUR)
    tornado: pd.DataFrame  # the TCO gap at each end of each input's plausible range
    grid: dict[str, np.ndarray]  # the TCO gap over distance and Twingo resale value
    captions: dict[str, str]
    context: dict[str, Any]  # what the template was given (the decisions and the figures)

    @property
    def market_name(self) -> str:
        """The market in words."""
        return COUNTRY[self.p.market]

    def chart(self, key: str) -> Chart:
        """One chart of notebook 03 (``segment``, ``parts``, ``tornado`` or ``map``)."""
        from alliancelib.topics.pricing.charts import chart as draw

        return draw(self, key)

    def show(self, section: str) -> None:
        """Display a section, leaving out what this case has not: an empty text (no cheaper EV, no
        uncertain input to move), the tornado without inputs, a market without a scheme."""
        from alliancelib import charts, report

        for part in self.parts(section):
            if part.kind == "text":
                if self.texts[part.key]:
                    report.say(self.texts[part.key])
            elif part.kind == "chart":
                if part.key != "tornado" or len(self.tornado):
                    charts.show_drawn(f"{self.NOTEBOOK}/{part.key}", functools.partial(self.chart, part.key))
            elif len(self.tables[part.key]) or part.key != "scheme":
                report.show_table(self.tables[part.key], self.captions[part.key])


@recorded
def analyse(p: PricingParams) -> Analysis:
    """Everything notebook 03 shows, computed once (results, ranges, findings, tables, texts)."""
    from alliancelib import uncertainty
    from alliancelib.data import fx_as_of, load, news_as_of
    from alliancelib.results import ResultSpec
    from alliancelib.uncertainty_show import appendix_caption, appendix_table, appendix_text

    values = headline(p)
    concl = conclusions(p)
    a = uncertainty.assess(p, headline, results=RESULTS, conclusions=concl)
    ranges = a.result_ranges()
    rivals = inputs.market_list(p.market)
    n_listed = len(rivals) + 1
    notes = {s.name: render(TOPIC, f"no_range__{s.name if s.name in NO_RANGE else 'other'}") for s in RESULTS}
    results = []
    for s in RESULTS:
        low, high = ranges.get(s.name, (None, None))
        note = "" if s.name in ranges or s.name not in NO_RANGE else notes[s.name]
        spec = (
            ResultSpec(s.name, f"rank of {n_listed}", s.label, s.decimals)
            if s.name == "twingo_rank_in_market"
            else s
        )
        results.append(spec.result(values[s.name], low, high, note=note))

    price = price_of(p)
    price_row = inputs.base_price_row(p.market) if p.twingo_price_eur is None else None
    inc = inputs.incentive_for(p.market, p.household)
    rate = rate_of(p)
    seg, market_table, rest_table = segment_tables(p, price, price_row, rivals)
    parts = parts_of(p, values)
    tornado = tornado_table(p)
    grid = gap_grid(p)
    whom = for_whom_table(p)
    tables = {
        "prices": prices_table(),
        "uk": uk_table(),
        "market": market_table,
        "rest": rest_table,
        "batteries": load("battery_prices")[
            ["year", "segment", "kind", "pack_usd_per_kwh", "source_id", "note"]
        ],
        "dollars": dollar_table(p, values),
        "scheme": scheme_table(p.market),
        "parts": parts_table(parts),
        "tornado": tornado_frame(tornado),
        "for_whom": whom,
        "ranges": uncertainty.ranges_table(p),
        "appendix": appendix_table(a),
        "gaps": gaps_table(load("gaps")),
        "incentives": load("incentives")[
            ["country", "scheme", "tier", "amount", "valid_from", "valid_to", "status", "source_id"]
        ],
    }
    k = facts(p, values, seg, whom)
    ctx = context(p, values, a, concl, inc, price_row, rate, k, seg, tornado)
    texts = {key: render(TOPIC, key, **ctx) for key in TEXTS}
    texts["cheapest"] = render(TOPIC, "cheapest", **ctx) if ctx["cheapest"] else ""
    texts["tornado"] = render(TOPIC, "tornado", **ctx) if len(tornado) else ""
    for key in CHARTS:
        if key == "tornado" and not len(tornado):
            continue
        title = render(TOPIC, f"{key}_title", **ctx)
        texts[f"{key}_title"] = title
        texts[f"{key}_alt"] = render(TOPIC, f"{key}_alt", **ctx, title=title)
        texts[f"{key}_source"] = render(TOPIC, f"{key}_source", **ctx)
    captions = {key: render(TOPIC, f"caption_{key}", **ctx) for key in CAPTIONS}
    # the shared technical appendix: the share of the tested range, not a probability
    texts["appendix"] = appendix_text(a)
    captions["appendix"] = appendix_caption()
    source_ids = _source_ids(p, tables, seg, inc, ctx["since_ids"])
    gaps = load("gaps")
    ctx["unreached_items"] = [in_words(str(w)) for w in gaps.loc[gaps["topic"] == "ev", "what"]]
    return Analysis(
        p=p,
        values=values,
        results=results,
        assessment=a,
        conclusions=concl,
        findings=findings(p, values, a, concl, ctx),
        since=render(TOPIC, "since", **ctx),
        news_as_of=news_as_of(source_ids),
        fx_as_of=fx_as_of(["USD"]),
        source_ids=source_ids,
        unreached=render(TOPIC, "unreached", **ctx),
        texts=texts,
        tables=tables,
        incentive=inc,
        price_row=price_row,
        rate=rate,
        segment=seg,
        cost_parts=parts,
        tornado=tornado,
        grid=grid,
        facts=k,
        captions=captions,
        context=ctx,
    )


# --------------------------------------------------------------------------- facts behind the words


def facts(
    p: PricingParams, v: Mapping[str, Any], seg: pd.DataFrame, for_whom: pd.DataFrame
) -> dict[str, Any]:
    """The numbers the texts and findings state beside the results (EUR, USD, % and km as named)."""
    price, rate = float(v["twingo_price_analysed_eur"]), pack_rate_of(p).rate_per_eur
    rivals = seg[~seg["is_twingo"]]
    listed = seg[seg["in_market"]]
    per_km_rank = int(1 + (listed["pricing_eur_per_km"] < float(v["price_per_km_range_eur"]) - 1e-9).sum())
    per_kwh_rank = int(1 + (listed["pricing_eur_per_kwh"] < float(v["price_per_kwh_eur"]) - 1e-9).sum())
    efficiency = rivals["pricing_km_per_kwh"].dropna()
    battery = inputs.battery_facts()
    pack_eur = p.battery_kwh * p.pack_usd_per_kwh / rate
    europe_pack_eur = p.battery_kwh * battery["europe_2025"] / rate
    vat = inputs.vat_pct(p.market)
    parts = parts_of(p, v)
    diff = {name: parts["ev"][name] - parts["ice"][name] for name in parts["ev"]}
    premiere = inputs.rate(str(inputs.events()["premiere"]["date"]))
    article_eur, article_usd = inputs.article_conversion()
    r = p.discount_rate_pct / 100
    point_eur = price / 100 / (1 + r) ** p.years
    no_incentive = for_whom.iloc[-1]
    rival_days = sorted(str(d) for d in listed.loc[~listed["is_twingo"], "as_of"])
    return {
        "rival_oldest": min(rival_days, key=inputs.day) if rival_days else "",
        "rival_newest": max(rival_days, key=inputs.day) if rival_days else "",
        "per_km_cases": range_cases(p, price, listed),
        "purchase_gap": parts["ev"]["purchase"] - parts["ice"]["purchase"],
        "price": price,
        "vat": vat,
        "price_ex_vat": ex_vat(price, vat),
        "n_listed": len(listed),
        "rank": int(v["twingo_rank_in_market"]),
        "cheaper_rivals": listed[(~listed["is_twingo"]) & (listed["price_eur"] < price)],
        "per_km_rank": per_km_rank,
        "per_kwh_rank": per_kwh_rank,
        "rivals_km_per_kwh_min": float(efficiency.min()) if len(efficiency) else math.nan,
        "rivals_km_per_kwh_max": float(efficiency.max()) if len(efficiency) else math.nan,
        "rivals_per_km_min": float(listed.loc[~listed["is_twingo"], "pricing_eur_per_km"].min()),
        "rivals_per_km_max": float(listed.loc[~listed["is_twingo"], "pricing_eur_per_km"].max()),
        "cheaper_per_km": rivals[rivals["pricing_eur_per_km"] < float(v["price_per_km_range_eur"]) - 1e-9],
        **battery,
        "pack_eur": pack_eur,
        "europe_pack_eur": europe_pack_eur,
        "europe_share": europe_pack_eur / price * 100,
        "europe_share_ex_vat": europe_pack_eur / ex_vat(price, vat) * 100,
        "parts": parts,
        "diff": diff,
        "price_gap": price - p.ice_price_eur,
        "premiere_date": str(premiere.fixing_date),
        "premiere_rate": premiere.rate_per_eur,
        "premiere_usd": article_eur * premiere.rate_per_eur,
        "article_usd": article_usd,
        "article_eur": article_eur,
        "article_rate": article_usd / article_eur,
        "announced_usd": article_eur * inputs.rate(inputs.ANNOUNCEMENT).rate_per_eur,
        "usd_ex_vat": ex_vat(price, vat) * rate,
        "point_eur": point_eur,
        "annuity": float(annuity_factor(p.years, r)),
        "no_incentive_gap": float(v["tco_gap_no_incentive_eur"]),
        "no_incentive_breakeven": no_incentive["pricing_cheaper_from"],
        "per_1000_km": -float(annuity_factor(p.years, r))
        * 1000
        * (p.ev_kwh_per_100km * p.electricity_eur_per_kwh - p.ice_l_per_100km * p.petrol_eur_per_l)
        / 100,
    }


def context(
    p: PricingParams,
    v: Mapping[str, Any],
    a: Assessment,
    concl: Sequence[Conclusion],
    inc: Incentive,
    price_row: pd.Series | None,
    rate: fx.Fixing,
    k: Mapping[str, Any],
    seg: pd.DataFrame,
    tornado: pd.DataFrame,
) -> dict[str, Any]:
    """What the template is given: the parameters, the results (``v``), the facts (``k``) and the
    decisions its sentences turn on, each by name (the names ``text.md.j2`` uses)."""
    from alliancelib import uncertainty

    country = COUNTRY[p.market]
    price = float(v["twingo_price_analysed_eur"])
    gap = float(v["tco_gap_eur"])
    s_star = v["ev_residual_breakeven_pct"]
    amount = float(v["incentive_applied_eur"])
    ev = inputs.events()
    r = p.discount_rate_pct / 100
    rate_pct = p.discount_rate_pct
    from alliancelib.core.words import pct

    ctx: dict[str, Any] = {
        "p": p,
        "v": dict(v),
        "k": dict(k),
        "inc": inc,
        "market": p.market,
        "country": country,
        "adjective": ADJECTIVE[p.market],
        "household_words": HOUSEHOLD_WORDS[p.household],
        "price_eur": price,
        "price_set": p.twingo_price_eur is not None,
        "events": ev,
        "gap_negative": gap < 0,
        "s_star": s_star,
        "r": r,
        "rate_described": rate.describe(),
        "usd_per_eur": rate.rate_per_eur,
        "vat_factor": 1 + k["vat"] / 100,
        "rate_words": pct(rate_pct, 0 if float(rate_pct).is_integer() else 1),
        "draws": uncertainty.N_DRAWS,
    }
    # the price, market by market
    prices = inputs.markets_with_price()
    techno = inputs.trim_prices(p.market, "Techno")
    ctx.update(
        reported=price_row is not None,
        publisher=inputs.publisher(str(price_row["source_id"])) if price_row is not None else "",
        price_as_of=str(price_row["as_of"]) if price_row is not None else "",
        others=[{"country": COUNTRY[m], "price_eur": x} for m, x in prices.items() if m != p.market],
        reported_here=prices.get(p.market),
        techno=bool(techno),
        techno_low_eur=min(techno) if techno else 0.0,
        techno_high_eur=max(techno) if techno else 0.0,
        uk={
            "estimate_gbp": inputs.fact("twingo_price_uk_gbp"),
            "headline_gbp": inputs.fact("twingo_price_uk_headline_gbp"),
            "target_gbp": inputs.fact("twingo_price_uk_target_gbp"),
        },
    )
    # against Europe's small EVs
    n = k["n_listed"]
    cheaper = k["cheaper_rivals"]
    below = k["cheaper_per_km"]
    cars = inputs.europe_segment()
    t03 = cars[cars["model"] == "Leapmotor T03"].iloc[0]
    surf = cars[cars["model"] == "BYD Dolphin Surf"]
    surf_per_km = sorted(float(x) for x in surf["price_eur"] / surf["range_km"])
    others = len(seg) - 1
    ctx.update(
        rank_phrase=rank_phrase(int(v["twingo_rank_in_market"]), n),
        per_km_rank_phrase=rank_phrase(k["per_km_rank"], n, low=True),
        per_kwh_rank_phrase=rank_phrase(k["per_kwh_rank"], n, low=True),
        cheaper_rivals=[
            {"car": r_["pricing_car"], "price_eur": r_["price_eur"]} for _, r_ in cheaper.iterrows()
        ],
        few_cheaper=len(cheaper) * 2 < n,
        cheaper_per_km=[
            {
                "car": r_["pricing_car"],
                "market_name": COUNTRY.get(r_["market"], r_["market"]),
                "kind": KIND_WORDS[r_["price_kind"]],
                "per_km_eur": r_["pricing_eur_per_km"],
            }
            for _, r_ in below.iterrows()
        ],
        target_cheaper=bool((below["price_kind"] == "target").any()),
        n_cheaper_per_km=len(below),
        n_segment=others + 1,
        n_others=others,
        few_cheaper_per_km=len(below) * 2 < others,
        n_targets=int((below["price_kind"] != "list").sum()),
        china={
            "development_months": inputs.fact("twingo_development_months"),
            "content_2025_pct": inputs.fact("twingo_chinese_content_2025_pct"),
            "parts_pct": inputs.fact("twingo_chinese_parts_pct"),
            "content_2027_pct": inputs.fact("twingo_chinese_content_2027_pct"),
            "t03_per_km_eur": float(t03["price_eur"]) / float(t03["range_km"]),
            "surf_low_eur": surf_per_km[0],
            "surf_high_eur": surf_per_km[-1],
        },
    )
    # the battery and the dollars
    ctx.update(premiere_change_pct=(k["premiere_usd"] / k["article_usd"] - 1) * 100)
    ctx.update(battery_context(p, v))
    ctx["pack_rate_described"] = pack_rate_of(p).describe()
    ctx["pack_usd_per_eur"] = pack_rate_of(p).rate_per_eur
    ctx["pack_rate_date"] = str(pack_rate_of(p).fixing_date)
    ctx["battery_range"] = render(TOPIC, "battery_range", **ctx)
    # the incentive
    tiers = {
        str(row["household"]): float(row["amount"]) for _, row in inputs.scheme_rows(p.market).iterrows()
    }
    fr_row = inputs.base_price_row("FR")
    ctx.update(
        tiers=tiers,
        incentive_set=p.incentive_eur is not None,
        incentive_applies=inc.applies,
        offers_low_eur=inputs.fact("fr_coup_de_pouce_offers_min_eur"),
        offers_high_eur=inputs.fact("fr_coup_de_pouce_offers_max_eur"),
        fr_price_eur=float(fr_row["price_eur"]) if fr_row is not None else math.nan,
        fr_after_bonus_eur=inputs.fact("twingo_price_fr_after_smallest_bonus_eur"),
        smallest_bonus_eur=inputs.smallest_fr_bonus_eur(),
        ecobonus_eur_m=inputs.fact("it_ecobonus_booked_eur_m"),
        offers_month=inputs.fact_as_of("fr_coup_de_pouce_offers_min_eur")[:7],
        offers_publisher=inputs.publisher(inputs.fact_source("fr_coup_de_pouce_offers_min_eur")),
        de=scheme_facts(),
        fr_conflict=fr_conflict(),
    )
    # France's 2026 offers, social leasing and Spain's decree (research update of 2026-10)
    observed = inputs.observed_fr_offers()
    mine = observed[observed["household"] == p.household]
    leasing = inputs.social_leasing().sort_values("amount")
    decree = inputs.auto_plus_decree()
    ctx.update(
        observed_eur=float(mine["amount"].iloc[0]) if len(mine) else None,
        observed_gap_eur=float(headline(p, incentive_eur=float(mine["amount"].iloc[0]))["tco_gap_eur"])
        if len(mine)
        else None,
        observed_publisher=inputs.publisher(str(observed["source_id"].iloc[0])) if len(observed) else "",
        leasing={
            "cap_eur": float(leasing["amount"].iloc[0]),
            "cap_eea_eur": float(leasing["amount"].iloc[-1]),
            "places": inputs.fact("fr_leasing_social_2026_places"),
            "share_pct": inputs.social_leasing_share_pct(),
            "twingo_eur": inputs.social_leasing_share_pct() / 100 * float(k["price"]),
        }
        if len(leasing)
        else None,
        auto_plus_max_eur=float(decree["amount"].iloc[0]) if len(decree) else None,
    )
    if ctx["observed_gap_eur"] is not None:
        ctx["observed_gap_abs_eur"] = abs(ctx["observed_gap_eur"])
        ctx["observed_cheaper_or_dearer"] = cheaper_or_dearer(ctx["observed_gap_eur"])
        ctx["observed_same"] = ctx["observed_eur"] == inc.amount_eur
    ctx["intro"] = intro_context()
    ctx["market_incentive"] = render(TOPIC, f"incentive__{p.market}", **ctx)
    # five years against a Sandero
    be = v["breakeven_annual_km"]
    diff = k["diff"]
    credit = float(v["ev_extra_resale_credit_eur"])
    ctx.update(
        hundreds_km=p.annual_km / 100,
        ev_run_eur=p.annual_km / 100 * p.ev_kwh_per_100km * p.electricity_eur_per_kwh
        + p.ev_maintenance_eur_per_year,
        ice_run_eur=p.annual_km / 100 * p.ice_l_per_100km * p.petrol_eur_per_l
        + p.ice_maintenance_eur_per_year,
        discount_tex=f"(1 + {r:g})^{{{p.years}}}" if rate_pct else "1",
        gap_abs_eur=abs(gap),
        cheaper_or_dearer=cheaper_or_dearer(gap),
        breakeven=breakeven_kind(be),
        breakeven_km=nearest(be or 0.0, 100),
        price_gap_abs_eur=abs(k["price_gap"]),
        sandero_cheaper_to_buy=k["price_gap"] > 0,
        helps=[
            {"amount_eur": x, "words": w} for x, w in helps(diff, amount, ("energy", "maintenance", "resale"))
        ],
        named_helps=[w for _, w in helps(diff, amount, ("energy", "resale", "maintenance"))][:3],
        named_helps_parts=[w for _, w in helps(diff, 0.0, ("energy", "resale", "maintenance"))][:3],
        equal_residuals=p.ev_residual_pct == p.ice_residual_pct,
        credit_share_pct=credit / abs(gap) * 100 if gap < 0 and credit > 0 else None,
        gap_about_eur=nearest(gap, 100),
        credit_about_eur=nearest(credit, 100),
    )
    ctx["cheapest"] = cheapest_ev(p, price)
    # what decides the verdict
    ctx.update(
        points_to_close=abs(gap) / k["point_eur"],
        compound=(1 + r) ** p.years,
        per_1000_abs_eur=abs(k["per_1000_km"]),
        per_1000_to_twingo=k["per_1000_km"] > 0,
    )
    ctx.update(tornado_context(tornado, gap))
    gap_range = a.result_ranges().get("tco_gap_eur")
    ctx.update(
        gap_low_eur=gap_range[0] if gap_range else None,
        gap_high_eur=gap_range[1] if gap_range else None,
        all_at_once_turns=bool(gap_range and (gap_range[0] < 0) != (gap_range[1] < 0)),
    )
    together = (
        tornado[tornado["label"] == render(TOPIC, "input__resale_together")] if len(tornado) else tornado
    )
    ctx["together_swing_eur"] = float(together["swing"].iloc[0]) if len(together) else None
    ctx.update(for_whom_context(p))
    # where the defaults sit, the resale values on the price after the incentive
    ends = default_ends(p)
    ctx.update(
        held=", ".join(in_words(a.labels[n_]) for n_ in a.held) if a.held else "",
        end_items=[{"label": in_words(e["label"]), "end": e["end"]} for e in ends],
        net_gap=float(v["tco_gap_resale_on_net_price_eur"]),
        net_gap_about_eur=nearest(float(v["tco_gap_resale_on_net_price_eur"]), 100),
        net_negative=float(v["tco_gap_resale_on_net_price_eur"]) < 0,
        net_shift_eur=float(v["tco_gap_resale_on_net_price_eur"]) - gap,
    )
    # rivals' dates and the range conflict's two cases
    cases = k["per_km_cases"]
    ctx.update(
        per_km_cases=[
            {
                **c_,
                "rank_words": rank_phrase(c_["rank"], n, low=True),
                "rank_short": rank_phrase(c_["rank"], n, low=True).rsplit(" of ", 1)[0],
            }
            for c_ in cases
        ],
        range_conflict=len(cases) > 1,
        few_listed=n < 4,  # a rank among fewer than 4 listed EVs says more about the data than the car
        other_is_main=len(cases) > 1 and cases[1]["range_km"] == inputs.fact("twingo_range_km"),
        n_cheaper_per_km_alt=int(
            (seg.loc[~seg["is_twingo"], "pricing_eur_per_km"] < cases[-1]["per_km_eur"] - 1e-9).sum()
        ),
        conflict_same_rank=len(cases) > 1 and len({c_["rank"] for c_ in cases}) == 1,
    )
    span = incentive_span(p.market)
    ctx.update(incentive_low_eur=span[0] if span else None, incentive_high_eur=span[1] if span else None)
    ctx.update(since_context())
    return ctx


# --------------------------------------------------------------------------- findings


def findings(
    p: PricingParams, v: Mapping[str, Any], a: Assessment, concl: Sequence[Conclusion], ctx: dict[str, Any]
) -> list[Finding]:
    """The key findings (3-5, each at most 40 words): the answer, its number and when it flips, from
    the template; the break-evens are the recorded results."""
    amount = float(v["incentive_applied_eur"])
    if p.incentive_eur is not None:
        words = render(TOPIC, "incentive_words__set", amount_eur=amount)
    else:
        words = render(
            TOPIC,
            f"incentive_words__{p.market}",
            amount_eur=amount,
            **{k: ctx[k] for k in ("household_words", "events", "country", "p")},
        )
    none_gap = float(v["tco_gap_no_incentive_eur"])
    ctx.update(
        incentive_words=words,
        none_gap_about_eur=nearest(none_gap, 10),
        none_cheaper=none_gap < 0,
        none_km=v["no_incentive_distance_breakeven_km"],
        none_km_about=nearest(float(v["no_incentive_distance_breakeven_km"] or 0.0), 100),
        incentive_breakeven_eur=v["incentive_breakeven_eur"],
    )
    out = [
        Finding(
            "segment",
            render(TOPIC, "finding_segment", **ctx),
            anchor=anchor_for(SECTION_SEGMENT),
            headline=True,
        ),
        Finding(
            "tco",
            render(TOPIC, "finding_tco", **ctx),
            anchor=anchor_for(SECTION_TCO),
            headline=True,
            flips=a.flips("ev_cheaper"),
        ),
    ]
    if amount > 0:
        out.append(
            Finding(
                "without-incentive",
                render(TOPIC, "finding_without_incentive", **ctx),
                anchor=anchor_for(SECTION_DECIDES),
            )
        )
    else:
        out.append(
            Finding("distance", render(TOPIC, "finding_distance", **ctx), anchor=anchor_for(SECTION_DECIDES))
        )
    out.append(
        Finding("battery", render(TOPIC, "finding_battery", **ctx), anchor=anchor_for(SECTION_BATTERY))
    )
    return out
