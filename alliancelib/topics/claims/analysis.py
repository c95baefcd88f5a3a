"""Everything notebook 00 shows, computed once (:func:`analyse`): the results and their ranges, the
claims with their statuses and the promises with their outcomes, the tables, and the decisions the
text needs, passed to the template ``text.md.j2`` as named facts (:func:`context`). Every sentence is
rendered there; this module decides (how many conversions hold, which day's fixing matches them,
which promise is overdue, what was public on the article's day and what came after) and never words
a sentence itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import pandas as pd

from alliancelib import fx, reads
from alliancelib.analysis import Analysis as AnalysisBase
from alliancelib.core.prose import render
from alliancelib.core.show import Part, Shows, chart, table, text
from alliancelib.findings import Finding, anchor_for
from alliancelib.reads import recorded
from alliancelib.results import make_results
from alliancelib.topics.claims import inputs
from alliancelib.topics.claims.inputs import Base, base, framing_facts, twingo_french_price, usd_series
from alliancelib.topics.claims.model import (
    AMPERE_ROUNDING_PCT,
    CONCLUSIONS,
    NOTEBOOK,
    RESULTS,
    TOPIC,
    ClaimsParams,
    closest_fixing,
    conversion,
    day_gaps,
    headline,
    rounding_pct,
)
from alliancelib.topics.claims.tables import (
    claims_with_status,
    days_table,
    events_table,
    facts_table,
    gaps_table,
    plans_table,
    timeline,
    unreached_items,
)

if TYPE_CHECKING:
    from alliancelib.charts import Chart

# section headings the findings link to
SECTION_SCORECARD = "The scorecard: every claim and every promise"
SECTION_FX = "The dollar figures: the rate of the announcement day"
SECTION_FRAMING = "What was public on the day, and what came after"
SECTION_TIMELINE = "The timeline, 2023-2026"
SECTION_APPENDIX = (
    "Technical appendix: share of the tested range (independent uniform inputs; not a probability)"
)

FRAMING_SOURCES = (
    "trivano_renault_fy2025",
    "justauto_renault_fy2025",
    "optionfinance_20250731",
    "nippon_jiji_20260212",
    "reuters_fcf_20250331",
    "motorfan_314996",
    "tuko_afp_20250331",
    "automotiveworld_fy2024_nissan_contribution",  # the 18.66% in the trust (shareholdings.csv)
    "rediff_20250331",
    "latestly_pti_20250728",
    "marketscreener_nissan_fy2025",
    "automobilescloser_2025",
    "fortuneindia_20250801",
    "electrive_20251106",
    "caradisiac_20260211",
    "seed_autoexpert",
    "ecb_eurofxref",
)
# the sentences of the sections, rendered once by analyse() (keys of a.texts, blocks of the template)
TEXTS = ("conversions", "worked", "story", "outcomes_note", "rounding", "framing")
CAPTIONS = ("plans", "facts", "days", "events", "gaps")
# the key findings: (key, the section it links to, offered to the front page); block finding_<key>
FINDINGS = (
    ("on-the-day", SECTION_FRAMING, True),
    ("scorecard", SECTION_SCORECARD, False),
    ("promises", SECTION_SCORECARD, False),
    ("dollar-figures", SECTION_FX, False),
)


@dataclass(frozen=True, kw_only=True)
class Analysis(Shows, AnalysisBase):
    """Everything notebook 00 shows, computed once from the parameters."""

    NOTEBOOK: ClassVar[str] = NOTEBOOK
    SECTIONS: ClassVar[Mapping[str, Sequence[Part]]] = {
        "scorecard": (table("plans"), table("facts"), text("outcomes_note")),
        "conversions": (text("conversions"), table("days"), text("rounding"), text("worked")),
        "story": (text("story"), chart("fx")),
        "framing": (text("framing"),),
        "timeline": (chart("timeline"), table("events")),
        "appendix": (text("appendix"), table("appendix")),
        "sources": (table("gaps"),),
    }

    p: ClaimsParams
    claims: pd.DataFrame  # every claim with its status, outcome and sources
    timeline: pd.DataFrame
    usd: pd.DataFrame  # ECB EUR/USD fixings, for the chart
    captions: dict[str, str]
    context: dict[str, Any]  # what the template was given (the decisions and the figures)

    def chart(self, key: str) -> Chart:
        """One chart of notebook 00 (``fx`` or ``timeline``)."""
        from alliancelib.topics.claims.charts import chart as draw

        return draw(self, key)


@recorded
def analyse(p: ClaimsParams) -> Analysis:
    """Everything notebook 00 shows, computed once: results with ranges, findings, tables, texts."""
    from alliancelib import uncertainty
    from alliancelib.data import fx_as_of, load, news_as_of
    from alliancelib.report import sources_used
    from alliancelib.uncertainty_show import appendix_caption, appendix_table, appendix_text

    b = base()
    values = headline(p)
    a = uncertainty.assess(p, headline, results=RESULTS, conclusions=CONCLUSIONS)
    fixing = fx.ecb_rate("USD", p.reference_date)
    claims = claims_with_status(b, fixing.rate_per_eur, p.fx_tolerance_pct)
    tl = timeline(load("events"))
    framing = framing_facts()
    gaps = day_gaps(p)
    ctx = context(p, values, b, fixing, framing, gaps)
    results = make_results(RESULTS, values, ranges=a.result_ranges(), no_range=render(TOPIC, "no_range"))
    tables = {
        "plans": plans_table(claims, b.news_as_of),
        "facts": facts_table(claims, fixing, p.fx_tolerance_pct),
        "days": days_table(gaps, p.reference_date, p.fx_tolerance_pct),
        "events": events_table(tl),
        "gaps": gaps_table(),
        "appendix": appendix_table(a),
    }
    reads.cite(*FRAMING_SOURCES)  # the sources the text relies on with no data row read
    source_ids = sources_used([tables["plans"], tables["facts"], tables["events"]], FRAMING_SOURCES)
    news = news_as_of(source_ids)
    by_id = claims.set_index("claim_id")
    ctx.update(
        news_as_of=news,
        news_day=news,
        fx_as_of=fx_as_of(["USD"]),
        events=len(tl),
        exit_overdue=by_id.at["ampere_exit_end_may", "outcome"] == "overdue",
        india_on_time=by_id.at["rnaipl_close_2025", "outcome"] == "on_time",
        india_done=inputs.event_date(tl, "india_completed"),
        premiere_day=inputs.event_date(tl, "premiere"),
        de_meo_day=inputs.event_date(tl, "de_meo"),
        ampere_back_date=inputs.event_date(tl, "ampere_back_plan"),
        twingo_price_fr_eur=twingo_french_price()[0],
        unreached_items=unreached_items(),
    )
    ctx["india_done_claim"] = str(by_id.at["rnaipl_close_2025", "done_on"])
    ctx.update(section_facts(p, values, by_id, tl))
    found = findings(ctx)
    captions = {key: render(TOPIC, f"caption_{key}", **ctx) for key in CAPTIONS}
    captions["appendix"] = appendix_caption()
    facts = {
        "fixing": fixing,
        "framing": framing,
        "news_for_outcomes": b.news_as_of,
        "jump_from": b.jump_from,
        "jump_rate": b.jump_rate,
        "jump_next": b.jump_next,
        "jump_next_rate": b.jump_next_rate,
        "jump_to": b.jump_to,
        "jump_to_rate": b.jump_to_rate,
        "premiere_date": b.premiere_date,
        "premiere_rate": b.premiere_rate,
    }
    return Analysis(
        p=p,
        values=values,
        results=results,
        assessment=a,
        conclusions=CONCLUSIONS,
        findings=found,
        since=render(TOPIC, "since", **ctx),
        news_as_of=news,
        fx_as_of=ctx["fx_as_of"],
        source_ids=source_ids,
        unreached=render(TOPIC, "unreached", **ctx),
        texts={**{key: render(TOPIC, key, **ctx) for key in TEXTS}, "appendix": appendix_text(a)},
        tables=tables,
        claims=claims,
        timeline=tl,
        usd=usd_series(),
        facts=facts,
        captions=captions,
        context=ctx,
    )


def context(
    p: ClaimsParams,
    v: Mapping[str, Any],
    b: Base,
    fixing: fx.Fixing,
    framing: Mapping[str, Any],
    gaps: pd.DataFrame,
) -> dict[str, Any]:
    """What the template is given: the parameters, the results, the sourced figures and the
    decisions its sentences turn on, each by name (the names ``text.md.j2`` uses)."""
    eur_t, usd_t = conversion(b, "twingo_price_usd")
    eur_a, usd_a = conversion(b, "ampere_usd")
    rate = fixing.rate_per_eur
    gt, ga = float(v["twingo_gap_to_ecb_pct"]), float(v["ampere_gap_to_ecb_pct"])
    sourced_total = int(v["claims_total"]) - len(b.conversions)
    ctx: dict[str, Any] = {
        "article": inputs.ARTICLE,
        "announcement": inputs.ANNOUNCEMENT,
        "p": p,
        "reference_date": p.reference_date,
        "tolerance_pct": p.fx_tolerance_pct,
        "total": int(v["claims_total"]),
        "corroborated": int(v["claims_corroborated"]),
        "unverified": int(v["claims_unverified"]),
        "sourced_total": sourced_total,
        "sourced_corr": b.status_counts["corroborated"],
        "sourced_contra": b.status_counts["contradicted"],
        "sourced_unverified": b.status_counts["unverified"],
        "conversions": len(b.conversions),
        "conv_ok": int(v["fx_conversions_corroborated"]),
        "plans": int(v["claims_plans"]),
        "statements": int(v["claims_total"]) - int(v["claims_plans"]),
        "on_time": int(v["claims_on_time"]),
        "slipped": int(v["claims_slipped"]),
        "pending": int(v["claims_pending"]),
        "overdue": int(v["claims_overdue"]),
        "not_done": int(v["claims_not_done"]),
        "news_for_outcomes": b.news_as_of,
        "fixing_text": fixing.describe(),
        "fixing_date": str(fixing.fixing_date),
        "rate": rate,
        "twingo_eur": eur_t,
        "twingo_usd": usd_t,
        "ampere_eur_m": eur_a,
        "ampere_usd_m": usd_a,
        "twingo_usd_at_rate": eur_t * rate,
        "ampere_usd_m_at_rate": eur_a * rate,
        "implied_twingo": float(v["article_implied_eur_usd_twingo"]),
        "implied_ampere": float(v["article_implied_eur_usd_ampere"]),
        "implied_mid": (
            float(v["article_implied_eur_usd_twingo"]) + float(v["article_implied_eur_usd_ampere"])
        )
        / 2,
        "twingo_gap_pct": gt,
        "ampere_gap_pct": ga,
        "breakeven_pct": float(v["fx_tolerance_breakeven_pct"]),
        "rounding_pct": AMPERE_ROUNDING_PCT,
        "jump_from": b.jump_from,
        "jump_rate": b.jump_rate,
        "jump_next": b.jump_next,
        "jump_next_rate": b.jump_next_rate,
        "jump_to": b.jump_to,
        "jump_to_rate": b.jump_to_rate,
        "day_rise_pct": (b.jump_next_rate / b.jump_rate - 1) * 100,
        "rise_pct": float(v["eur_usd_rise_after_jump_pct"]),
        "premiere_date": b.premiere_date,
        "premiere_rate": b.premiere_rate,
        "premiere_usd": float(v["twingo_usd_at_premiere"]),
        "premiere_gap_pct": float(v["twingo_usd_premiere_gap_pct"]),
        "f": framing,
        "price_undisclosed": framing["india_price_status"] == "not disclosed",
    }
    ctx.update(day_decisions(p, v, gaps))
    return ctx


def day_decisions(p: ClaimsParams, v: Mapping[str, Any], gaps: pd.DataFrame) -> dict[str, Any]:
    """Which day's fixing matches the article's conversions (the day with the smallest larger gap)
    and by how much; how far the other days' fixings miss (the smallest and largest of their larger
    gaps); whether both conversions hold at the reference date; whether the reference date is the
    matching day; whether the match lies within the rounding of USD 649m."""
    best_day, best_gap = closest_fixing(p)
    others = gaps[gaps["day"] != best_day]["worst_gap_pct"].to_numpy(dtype=float)
    rounding = float(v["ampere_usd_rounding_pct"])
    return {
        "best_day": best_day,
        "best_gap_pct": best_gap,
        "best_within_rounding": best_gap <= rounding,
        "other_days": [d for d in gaps["day"] if d != best_day],
        "others_low_pct": float(others.min()) if len(others) else float("nan"),
        "others_high_pct": float(others.max()) if len(others) else float("nan"),
        "reference_is_best": p.reference_date == best_day,
        "both_hold": int(v["fx_conversions_corroborated"]) == len(base().conversions),
        "ampere_within_rounding": abs(float(v["ampere_gap_to_ecb_pct"])) <= rounding,
        "twingo_is_market_rate": abs(float(v["twingo_gap_to_ecb_pct"]))
        > float(rounding_pct(conversion(base(), "twingo_price_usd")[1])),
    }


def section_facts(
    p: ClaimsParams, v: Mapping[str, Any], by_id: pd.DataFrame, tl: pd.DataFrame
) -> dict[str, Any]:
    """What the sections' texts quote beyond the findings: the promises' outcomes and due dates, the
    rounding of the Ampere figure, and the dates of what came after the article."""
    from alliancelib.data import fact, load

    facts_ = load("facts").set_index("fact_id")
    published = load("sources").set_index("source_id")["date_published"]
    plans = by_id[by_id["kind"] == "plan"]
    usd_a = conversion(base(), "ampere_usd")[1]
    return {
        "outcome_words": {cid: render(TOPIC, f"outcome_word__{o}") for cid, o in plans["outcome"].items()},
        "due_dates": {cid: str(d) for cid, d in plans["due"].items()},
        "r": inputs.rebalancing(tl),
        "ampere_usd_low_m": usd_a - 0.5,
        "ampere_usd_high_m": usd_a + 0.5,
        "rounding_exact_pct": float(v["ampere_usd_rounding_pct"]),
        "fair_value_date": inputs.event_date(tl, "key_fair_value"),
        "h1_loss_eur_bn": -fact("renault_h1_2025_net_income_eur_m") / 1000,
        "fy_as_of": str(facts_.at["renault_fy2025_net_loss_eur_bn", "as_of"]),
        "h1_published": str(published["optionfinance_20250731"]),
        "forecast_as_of": str(facts_.at["nissan_fy2025_net_loss_forecast_jpy_bn", "as_of"]),
        "actual_as_of": str(facts_.at["nissan_fy2025_net_loss_jpy_bn", "as_of"]),
        "approval_date": str(published["latestly_pti_20250728"]),
    }


def findings(ctx: Mapping[str, Any]) -> list[Finding]:
    """The key findings: their sentences from the template (each at most 40 words, with its flip
    condition or "holds across every sourced value")."""
    return [
        Finding(
            key,
            render(TOPIC, "finding_" + key.replace("-", "_"), **ctx),
            anchor=anchor_for(section),
            headline=headline_,
        )
        for key, section, headline_ in FINDINGS
    ]
