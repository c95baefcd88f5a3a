"""Everything notebook 03 shows, computed once (:func:`analyse`): the results and their ranges, the
tables, and the decisions the text needs, passed to the template ``text.md.j2`` as named facts
(:func:`context`). Every sentence is rendered there; this module decides (which rank, which phrase,
whether the Twingo is cheaper, which inputs decide it) and never words a sentence itself.
"""

from __future__ import annotations

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
    SPECS,
    TOPIC,
    PricingParams,
    annuity_factor,
    conclusions,
    ex_vat,
    headline,
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
    summary_table,
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
    cases_words,
    cheaper_from,
    cheaper_or_dearer,
    cheapest_ev,
    deciding_words,
    for_whom_context,
    fr_conflict,
    helps,
    in_words,
    incentive_role,
    intro_context,
    nearest,
    rank_phrase,
    scheme_facts,
    since_context,
    tornado_context,
    toss_words,
)

# the notebook's section headings (findings link to them)
SECTION_PRICES = "The Twingo's price, market by market"
SECTION_SEGMENT = "Against Europe's small EVs: the price per km of range"
SECTION_BATTERY = "How much of the price is the battery"
SECTION_DOLLARS = "In dollars"
SECTION_TCO = "Five years against a petrol Sandero"
SECTION_DECIDES = "What decides the verdict, and for whom"
SECTION_SURE = "How sure is this?"

# the section texts, rendered once by analyse() (keys of a.texts, blocks of the template); "cheapest"
# and "tornado" are empty where there is no cheaper EV or no uncertain input to move
TEXTS = (
    "prices_intro",
    "segment_caveats",
    "battery_intro",
    "dollars_intro",
    "tco_inputs",
    "decides_intro",
    "sure_intro",
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
    "robustness",
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
    "summary",
    "incentives",
    "gaps",
)
CHARTS = ("segment", "parts", "tornado", "map", "ranges")


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
        "incentive": (text("incentive"), table("scheme")),
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
            text("tornado"),
            chart("tornado"),
            text("grid"),
            chart("map"),
            text("for_whom"),
            table("for_whom"),
        ),
        "sure": (text("sure_intro"), chart("ranges"), text("robustness"), table("ranges"), table("summary")),
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
        """One chart of notebook 03 (``segment``, ``parts``, ``tornado``, ``map`` or ``ranges``)."""
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
                    charts.show(self.chart(part.key))
            elif len(self.tables[part.key]) or part.key != "scheme":
                report.show_table(self.tables[part.key], self.captions[part.key])


@recorded
def analyse(p: PricingParams) -> Analysis:
    """Everything notebook 03 shows, computed once (results, ranges, findings, tables, texts)."""
    from alliancelib import uncertainty
    from alliancelib.data import fx_as_of, load, news_as_of
    from alliancelib.results import ResultSpec

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
        "summary": summary_table(a, notes),
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
    price, rate = float(v["twingo_price_analysed_eur"]), rate_of(p).rate_per_eur
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
    return {
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
    ranges = a.result_ranges()
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
    ctx.update(battery_context(p, v, ranges.get("battery_cost_share_ex_vat_pct")))
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
    ctx.update(for_whom_context(p))
    # how sure
    held = ", ".join(in_words(a.labels[n_]) for n_ in a.held) if a.held else ""
    ctx.update(
        held=held,
        segment_range_sentence=uncertainty.range_sentence(a, SPECS["price_per_km_range_eur"]),
        robust_lines=[
            {
                "statement": c.statement[0].upper() + c.statement[1:],
                "sentence": uncertainty.robustness_sentence(a, c),
            }
            for c in concl
        ],
    )
    gap_r, none_r = ranges.get("tco_gap_eur"), ranges.get("tco_gap_no_incentive_eur")
    ctx.update(
        incentive_decides_ranges=bool(
            gap_r and none_r and amount > 0 and gap_r[1] < 0 and none_r[0] < 0 < none_r[1]
        ),
        ranges_title_core=uncertainty.ranges_title(a, list(RESULTS)),
    )
    ctx.update(since_context())
    return ctx


# --------------------------------------------------------------------------- findings


def findings(
    p: PricingParams, v: Mapping[str, Any], a: Assessment, concl: Sequence[Conclusion], ctx: dict[str, Any]
) -> list[Finding]:
    """The key findings: their sentences from the template, their robustness from the assessment."""
    gap = float(v["tco_gap_eur"])
    amount = float(v["incentive_applied_eur"])
    ranges = a.result_ranges()
    per_km_value = float(v["price_per_km_range_eur"])
    lo_km, hi_km = ranges.get("price_per_km_range_eur", (per_km_value, per_km_value))
    ctx.update(per_km_moves=hi_km - lo_km >= 0.5, per_km_low_eur=lo_km, per_km_high_eur=hi_km)
    if p.incentive_eur is not None:
        words = render(TOPIC, "incentive_words__set", amount_eur=amount)
    else:
        words = render(
            TOPIC,
            f"incentive_words__{p.market}",
            amount_eur=amount,
            **{k: ctx[k] for k in ("household_words", "events")},
        )
    c_main = next(c for c in concl if c.key == "ev_cheaper")
    share = a.share(c_main.key)
    holds = share if gap < 0 else 1 - share
    ctx.update(
        incentive_words=words,
        tco_cases=cases_words(holds),
        decisive=bool(a.deciding(c_main.key) and a.flips(c_main.key)),
        tco_deciding=deciding_words(a, c_main.key),
    )
    ctx["equal_resale"] = render(TOPIC, "equal_resale", **ctx)
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
            holds_pct=holds * 100,
            flips=a.flips(c_main.key),
        ),
    ]
    c_none = next(c for c in concl if c.key == "ev_cheaper_without_incentive")
    if amount > 0:
        none_gap = float(v["tco_gap_no_incentive_eur"])
        share_none = a.share(c_none.key)
        be = a.verdicts[c_none.key].breakeven
        doubt = ""
        if p.market == "FR" and p.incentive_eur is None:
            doubt = "any" if none_gap <= 0 else "not_enough" if none_gap >= ctx["offers_low_eur"] else "above"
        ctx.update(
            toss=toss_words(share_none),
            none_gap_about_eur=nearest(none_gap, 10),
            none_cheaper_or_dearer=cheaper_or_dearer(none_gap),
            none_cases=cases_words(share_none),
            none_deciding=deciding_words(a, c_none.key) or render(TOPIC, "deciding__none"),
            none_breakeven=be[1] if be and be[0] == "ev_residual_pct" else None,
            doubt=doubt,
        )
        out.append(
            Finding(
                "without-incentive",
                render(TOPIC, "finding_without_incentive", **ctx),
                anchor=anchor_for(SECTION_DECIDES),
                holds_pct=share_none * 100,
                flips=a.flips(c_none.key),
            )
        )
    else:
        out.append(
            Finding("resale", render(TOPIC, "finding_resale", **ctx), anchor=anchor_for(SECTION_DECIDES))
        )
    out.append(
        Finding("battery", render(TOPIC, "finding_battery", **ctx), anchor=anchor_for(SECTION_BATTERY))
    )
    return out
