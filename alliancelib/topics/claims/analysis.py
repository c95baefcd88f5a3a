"""Everything notebook 00 shows, computed once (:func:`analyse`): the results and their ranges, the
claims with their statuses and the promises with their outcomes, the tables, and the decisions the
text needs, passed to the template ``text.md.j2`` as named facts (:func:`context`). Every sentence is
rendered there; this module decides (how many conversions hold, whether the article's figures lie
within the rounding, which promise is overdue) and never words a sentence itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
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
    REFERENCE_DATES,
    RESULTS,
    TOPIC,
    ClaimsParams,
    closest_fixing,
    conversion,
    headline,
    rounding_pct,
)
from alliancelib.topics.claims.tables import (
    claims_with_status,
    conversions_table,
    events_table,
    facts_table,
    gaps_table,
    plans_table,
    summary_table,
    timeline,
    unreached_items,
)

if TYPE_CHECKING:
    from alliancelib.charts import Chart
    from alliancelib.uncertainty import Assessment

# section headings the findings link to
SECTION_SCORECARD = "The scorecard: every claim and every promise"
SECTION_FX = "The dollar figures: right for the day, overtaken within a week"
SECTION_FRAMING = "What the article leaves out"
SECTION_TIMELINE = "The timeline, 2023-2026"
SECTION_SURE = "How sure is this?"

FRAMING_SOURCES = (
    "trivano_renault_fy2025",
    "justauto_renault_fy2025",
    "optionfinance_20250731",
    "nippon_jiji_20260212",
    "reuters_fcf_20250331",
    "tuko_afp_20250331",
    "automotiveworld_fy2024_nissan_contribution",
    "latestly_pti_20250728",
    "seed_autoexpert",
    "ecb_eurofxref",
)
# the sentences of the sections, rendered once by analyse() (keys of a.texts, blocks of the template)
TEXTS = ("conversions", "worked", "story", "robustness", "outcomes_note", "rounding", "framing", "sure_intro")
CAPTIONS = ("plans", "facts", "conversions", "events", "ranges", "summary", "gaps")
# the key findings: (key, the section it links to, offered to the front page); block finding_<key>
FINDINGS = (
    ("scorecard", SECTION_SCORECARD, False),
    ("promises", SECTION_SCORECARD, False),
    ("dollar-figures", SECTION_FX, False),
    ("silent-on-costs", SECTION_FRAMING, True),
)


@dataclass(frozen=True, kw_only=True)
class Analysis(Shows, AnalysisBase):
    """Everything notebook 00 shows, computed once from the parameters."""

    NOTEBOOK: ClassVar[str] = NOTEBOOK
    SECTIONS: ClassVar[Mapping[str, Sequence[Part]]] = {
        "scorecard": (table("plans"), table("facts"), text("outcomes_note")),
        "conversions": (text("rounding"), table("conversions"), text("conversions"), text("worked")),
        "story": (text("story"), chart("fx")),
        "framing": (text("framing"),),
        "timeline": (chart("timeline"), table("events")),
        "sure": (text("sure_intro"), chart("ranges"), text("robustness"), table("ranges"), table("summary")),
        "sources": (table("gaps"),),
    }

    p: ClaimsParams
    claims: pd.DataFrame  # every claim with its status, outcome and sources
    timeline: pd.DataFrame
    usd: pd.DataFrame  # ECB EUR/USD fixings, for the chart
    captions: dict[str, str]
    context: dict[str, Any]  # what the template was given (the decisions and the figures)
    robustness: dict[str, str] = field(default_factory=dict)

    def parts(self, section: str) -> Sequence[Part]:
        """What a section shows; the range chart only where a result has a range."""
        from alliancelib.topics.claims.charts import ranged

        found = super().parts(section)
        return tuple(part for part in found if part != chart("ranges") or ranged(self))

    def chart(self, key: str) -> Chart:
        """One chart of notebook 00 (``fx``, ``timeline`` or ``ranges``)."""
        from alliancelib.topics.claims.charts import chart as draw

        return draw(self, key)


@recorded
def analyse(p: ClaimsParams) -> Analysis:
    """Everything notebook 00 shows, computed once: results with ranges, findings, tables, texts."""
    from alliancelib import uncertainty
    from alliancelib.data import fx_as_of, load, news_as_of
    from alliancelib.report import sources_used

    b = base()
    values = headline(p)
    a = uncertainty.assess(p, headline, results=RESULTS, conclusions=CONCLUSIONS)
    fixing = fx.ecb_rate("USD", p.reference_date)
    claims = claims_with_status(b, fixing.rate_per_eur, p.fx_tolerance_pct)
    tl = timeline(load("events"))
    framing = framing_facts()
    ctx = context(p, values, a, b, fixing, framing)
    results = make_results(RESULTS, values, ranges=a.result_ranges(), no_range=render(TOPIC, "no_range"))
    tables = {
        "plans": plans_table(claims, b.news_as_of),
        "facts": facts_table(claims, fixing, p.fx_tolerance_pct),
        "conversions": conversions_table(b, fixing.rate_per_eur),
        "events": events_table(tl),
        "gaps": gaps_table(),
        "ranges": uncertainty.ranges_table(p),
        "summary": summary_table(a),
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
        ampere_back_date=inputs.event_date(tl, "ampere_back_plan"),
        twingo_price_fr_eur=twingo_french_price()[0],
        unreached_items=unreached_items(),
    )
    ctx["india_done_claim"] = str(by_id.at["rnaipl_close_2025", "done_on"])
    ctx.update(section_facts(p, values, by_id, tl))
    found = findings(ctx, a)
    robustness = {"conversions": ctx["robust_conversions"]}
    ctx["robust_items"] = [
        (f.text.split("**")[1], render(TOPIC, "robust__" + f.key.replace("-", "_"), **ctx)) for f in found
    ]
    captions = {key: render(TOPIC, f"caption_{key}", **ctx) for key in CAPTIONS}
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
        texts={key: render(TOPIC, key, **ctx) for key in TEXTS},
        tables=tables,
        claims=claims,
        timeline=tl,
        usd=usd_series(),
        facts=facts,
        captions=captions,
        context=ctx,
        robustness=robustness,
    )


def context(
    p: ClaimsParams,
    v: Mapping[str, Any],
    a: Assessment,
    b: Base,
    fixing: fx.Fixing,
    framing: Mapping[str, Any],
) -> dict[str, Any]:
    """What the template is given: the parameters, the results, the sourced figures and the
    decisions its sentences turn on, each by name (the names ``text.md.j2`` uses)."""
    from alliancelib.uncertainty import N_DRAWS

    eur_t, usd_t = conversion(b, "twingo_price_usd")
    eur_a, usd_a = conversion(b, "ampere_usd")
    rate = fixing.rate_per_eur
    gt, ga = float(v["twingo_gap_to_ecb_pct"]), float(v["ampere_gap_to_ecb_pct"])
    both = a.verdicts["both_conversions_hold"]
    sourced_total = int(v["claims_total"]) - len(b.conversions)
    ctx: dict[str, Any] = {
        "article": inputs.ARTICLE,
        "p": p,
        "reference_date": p.reference_date,
        "tolerance_pct": p.fx_tolerance_pct,
        "total": int(v["claims_total"]),
        "corroborated": int(v["claims_corroborated"]),
        "unverified": int(v["claims_unverified"]),
        "sourced_total": sourced_total,
        "sourced_corr": b.status_counts["corroborated"],
        "sourced_contra": b.status_counts["contradicted"],
        "conversions": len(b.conversions),
        "conv_ok": int(v["fx_conversions_corroborated"]),
        "plans": int(v["claims_plans"]),
        "statements": int(v["claims_total"]) - int(v["claims_plans"]),
        "on_time": int(v["claims_on_time"]),
        "slipped": int(v["claims_slipped"]),
        "pending": int(v["claims_pending"]),
        "overdue": int(v["claims_overdue"]),
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
        "both_share": both.share,
        "draws": N_DRAWS,
    }
    ctx.update(_dollar_decisions(p, v, a))
    ctx.update(_robustness(p, a))
    ctx["robust_tail"] = render(TOPIC, "robust_tail", **ctx)
    ctx["robust_conversions"] = render(TOPIC, "robust_conversions", **ctx)
    return ctx


def section_facts(
    p: ClaimsParams, v: Mapping[str, Any], by_id: pd.DataFrame, tl: pd.DataFrame
) -> dict[str, Any]:
    """What the sections' texts quote beyond the findings: the promises' outcomes and due dates, the
    rounding of the Ampere figure, the framing figures' dates and the plausible ranges."""
    from alliancelib.data import fact, load
    from alliancelib.params import plausible_of

    facts_ = load("facts").set_index("fact_id")
    published = load("sources").set_index("source_id")["date_published"]
    plans = by_id[by_id["kind"] == "plan"]
    usd_a = conversion(base(), "ampere_usd")[1]
    tolerance = plausible_of(ClaimsParams, "fx_tolerance_pct")
    rounding = float(v["ampere_usd_rounding_pct"])
    return {
        "outcome_words": {cid: render(TOPIC, f"outcome_word__{o}") for cid, o in plans["outcome"].items()},
        "due_dates": {cid: str(d) for cid, d in plans["due"].items()},
        "r": inputs.rebalancing(tl),
        "ampere_usd_low_m": usd_a - 0.5,
        "ampere_usd_high_m": usd_a + 0.5,
        "rounding_exact_pct": rounding,
        "ampere_within_rounding": abs(float(v["ampere_gap_to_ecb_pct"])) <= rounding,
        "twingo_is_market_rate": abs(float(v["twingo_gap_to_ecb_pct"]))
        > float(rounding_pct(conversion(base(), "twingo_price_usd")[1])),
        "fair_value_date": inputs.event_date(tl, "key_fair_value"),
        "h1_loss_eur_bn": -fact("renault_h1_2025_net_income_eur_m") / 1000,
        "fy_as_of": str(facts_.at["renault_fy2025_net_loss_eur_bn", "as_of"]),
        "h1_published": str(published["optionfinance_20250731"]),
        "forecast_as_of": str(facts_.at["nissan_fy2025_net_loss_forecast_jpy_bn", "as_of"]),
        "approval_date": str(published["latestly_pti_20250728"]),
        "reference_options": list(REFERENCE_DATES.options),
        "tolerance_low": p.fx_tolerance_pct if tolerance is None or tolerance.low is None else tolerance.low,
        "tolerance_high": p.fx_tolerance_pct
        if tolerance is None or tolerance.high is None
        else tolerance.high,
    }


def _dollar_decisions(p: ClaimsParams, v: Mapping[str, Any], a: Assessment) -> dict[str, Any]:
    """Whether the article's dollar figures lie within the rounding of USD 649m at the reference
    date, how far they stray on the days around it, and otherwise the closest fixing."""
    gt, ga = abs(float(v["twingo_gap_to_ecb_pct"])), abs(float(v["ampere_gap_to_ecb_pct"]))
    within = max(gt, ga) <= float(v["ampere_usd_rounding_pct"])
    out: dict[str, Any] = {
        "within_rounding": within,
        "around": False,
        "widest_gap_pct": float("nan"),
        "best_day": "",
        "best_gap_pct": float("nan"),
    }
    if within:
        ranges = a.result_ranges()
        widest = max(
            abs(x)
            for n in ("twingo_gap_to_ecb_pct", "ampere_gap_to_ecb_pct")
            for x in ranges.get(n, (v[n], v[n]))
        )
        out["around"] = "reference_date" in a.inputs and widest > max(gt, ga) + 1e-9
        out["widest_gap_pct"] = float(widest)
    else:
        out["best_day"], out["best_gap_pct"] = closest_fixing(p)
    return out


def _robustness(p: ClaimsParams, a: Assessment) -> dict[str, Any]:
    """What the robustness clause of the conversions turns on: drawn or not, their share, the
    deciding input and what was set outside its plausible range (rendered clauses)."""
    from alliancelib import uncertainty
    from alliancelib.params import label_of

    def label(name: str) -> str:
        return uncertainty.in_sentence(label_of(ClaimsParams, name))

    verdict = a.verdicts["both_conversions_hold"]
    held = []
    if "reference_date" not in a.inputs:
        held.append(
            render(TOPIC, "held__reference_date", label=label("reference_date"), value=p.reference_date)
        )
    held += [
        render(TOPIC, "held__value", label=label(name), value=getattr(p, name))
        for name in uncertainty.held_inputs(p)
        if name != "reference_date"
    ]
    deciding = ""
    if a.inputs and verdict.flips:
        names = [uncertainty.in_sentence(a.labels.get(i, i)) for i in a.deciding("both_conversions_hold")[:1]]
        deciding = names[0] if names else ""
    return {
        "drawn": bool(a.inputs),
        "holds_at_default": bool(verdict.holds_at_default),
        "robust_share": a.share("both_conversions_hold") if a.inputs else verdict.share,
        "deciding": deciding,
        "held": held,
    }


def findings(ctx: Mapping[str, Any], a: Assessment) -> list[Finding]:
    """The key findings: their sentences from the template, their robustness from the assessment."""
    both = a.verdicts["both_conversions_hold"]
    out = []
    for key, section, headline_ in FINDINGS:
        extra: dict[str, Any] = {}
        if key in ("scorecard", "dollar-figures"):
            extra = {"holds_pct": None if both.share is None else both.share * 100, "flips": bool(both.flips)}
        out.append(
            Finding(
                key,
                render(TOPIC, "finding_" + key.replace("-", "_"), **ctx),
                anchor=anchor_for(section),
                headline=headline_,
                **extra,
            )
        )
    return out
