"""Everything notebook 04 shows, computed once (:func:`analyse`): the results and their ranges, the
tables, and the decisions the text needs, passed to the template ``text.md.j2`` as named facts
(:func:`context`). Every sentence is rendered there; this module decides (whether the ceiling binds,
how a stake compares with it, whether the yen cost rose) and never words a sentence itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pandas as pd

from alliancelib import reads
from alliancelib.analysis import Analysis as AnalysisBase
from alliancelib.core.prose import render
from alliancelib.core.show import Part, Shows, chart, table, text
from alliancelib.findings import Finding, anchor_for
from alliancelib.reads import recorded
from alliancelib.results import make_results
from alliancelib.topics.ampere import inputs
from alliancelib.topics.ampere.inputs import Inputs
from alliancelib.topics.ampere.model import (
    NOTEBOOK,
    RANGED,
    RESULTS,
    STAKE_TABLE_PRE_MONEY,
    TOPIC,
    AmpereParams,
    conclusions,
    headline,
    implied_stake_pct,
    latest_jpy,
    round_stakes,
    stake_table,
)
from alliancelib.topics.ampere.tables import (
    commitments_table,
    facts_table,
    ranges_table,
    timeline,
    yen_series,
)

if TYPE_CHECKING:
    from alliancelib.charts import Chart
    from alliancelib.uncertainty import Assessment, Conclusion

# the notebook's section headings (the findings link to them)
SECTION_STAKES = "Two ceilings, not a valuation"
SECTION_YEN = "What the commitment weighed in yen"
SECTION_ENDING = "The ending: no outside money found, and Ampere to be folded back into Renault"
SECTION_SURE = "How sure is this?"

# the sources behind what the text says besides the tables (facts used in sentences, the ECB series)
EXTRA_SOURCES = (
    "ecb_eurofxref",
    "seed_autoexpert",
    "nasdaq_ft_20230905",
    "trivano_renault_fy2025",
    "reuters_fcf_20250331",
    "nippon_jiji_20260212",
    "sowetan_reuters_20250520",
    "tbs_bloomberg_20250401",
    "europesays_679573",
    "autoworldjournal_mmc_ampere",
    "nasdaq_reuters_20240129",
    "smi24_419370818",
    "caradisiac_20260121",
    "marketscreener_20231115",
)
# the sentences of the sections, rendered once by analyse() (keys of a.texts, blocks of the template)
TEXTS = (
    "stakes_intro",
    "stakes",
    "pre_or_post",
    "yen_intro",
    "yen",
    "ending",
    "weight",
    "sure_intro",
    "robustness",
    "stakes_title",
    "stakes_alt",
    "stakes_source",
    "stakes_xlabel",
    "stakes_ylabel",
    "stakes_cap_label",
    "stakes_ceo_label",
    "stakes_binds_label",
    "stakes_nissan_label",
    "stakes_mmc_label",
    "stakes_at_low_label",
    "stakes_at_high_label",
    "yen_title",
    "yen_alt",
    "yen_source",
    "yen_ylabel",
    "ranges_title",
    "ranges_alt",
    "ranges_source",
    "ranges_xlabel",
)
CAPTIONS = ("stakes", "commitments", "timeline", "facts", "ranges", "gaps")
# the yen chart's dated moments: the key of each label's block (yen_moment__<key>)
MOMENTS = ("committed", "released", "latest")
# the key findings: (key, the section it links to, offered to the front page); block finding_<key>
FINDINGS = (
    ("stake-at-ceo-valuation", SECTION_STAKES, True),
    ("cap-is-not-a-valuation", SECTION_STAKES, False),
    ("yen-cost", SECTION_YEN, False),
    ("no-outside-money", SECTION_ENDING, True),
)


@dataclass(frozen=True, kw_only=True)
class Analysis(Shows, AnalysisBase):
    """Everything notebook 04 shows, computed once from the parameters."""

    NOTEBOOK: ClassVar[str] = NOTEBOOK
    SECTIONS: ClassVar[Mapping[str, Sequence[Part]]] = {
        "stakes": (
            text("stakes_intro"),
            text("stakes"),
            chart("stakes"),
            table("stakes"),
            text("pre_or_post"),
        ),
        "yen": (text("yen_intro"), text("yen"), chart("yen")),
        "ending": (text("ending"), text("weight"), table("commitments"), table("timeline"), table("facts")),
        "sure": (text("sure_intro"), chart("ranges"), text("robustness"), table("ranges")),
        "sources": (table("gaps"),),
    }

    p: AmpereParams
    curve: pd.DataFrame  # stakes against the pre-money valuation, for the chart
    yen: pd.DataFrame  # the commitment in yen, day by day
    moments: pd.DataFrame  # the dated moments marked on the yen chart
    captions: dict[str, str]
    context: dict[str, Any]  # what the template was given (the decisions and the figures)

    def chart(self, key: str) -> Chart:
        """One chart of notebook 04 (``stakes``, ``yen`` or ``ranges``)."""
        from alliancelib.topics.ampere.charts import chart as draw

        return draw(self, key)


@recorded
def analyse(p: AmpereParams) -> Analysis:
    """Everything notebook 04 shows, computed once (results, ranges, findings, tables, texts)."""
    from alliancelib import uncertainty
    from alliancelib.data import fx_as_of, load, news_as_of
    from alliancelib.report import sources_used

    v = headline(p)
    concl = conclusions(p)
    a = uncertainty.assess(p, headline, results=RESULTS, conclusions=concl)
    ctx = context(p, v, a, concl)
    notes = {
        spec.name: render(TOPIC, f"no_range__{spec.name}", **ctx)
        for spec in RESULTS
        if spec.name not in RANGED
    }
    results = make_results(RESULTS, v, ranges=a.result_ranges(), no_range=notes)
    gaps = load("gaps")
    gaps = gaps[gaps["topic"] == "ampere"].reset_index(drop=True)
    tables = {
        "commitments": commitments_table(load("ampere_commitments"), ctx),
        "timeline": timeline(load("events")),
        "facts": facts_table(load("facts")),
        "stakes": stake_table(
            sorted(set(STAKE_TABLE_PRE_MONEY) | {p.pre_money_eur_bn}),
            p.nissan_commitment_eur_m,
            p.mitsubishi_commitment_eur_m,
            p.nissan_stake_cap_pct,
        ),
        "gaps": gaps[["what", "status", "note"]].fillna(""),
        "ranges": ranges_table(p),
    }
    reads.cite(*EXTRA_SOURCES)  # the sources the text relies on with no data row read
    source_ids = sources_used([tables["commitments"], tables["timeline"], tables["facts"]], EXTRA_SOURCES)
    years = [str(d)[:4] for d in tables["timeline"]["date"]]
    ctx.update(
        news_as_of=news_as_of(source_ids),
        gaps=list(gaps["what"]),
        first_year=min(years),
        last_year=max(years),
    )
    cap_pre = ctx["cap_pre_eur_bn"]
    curve = stake_table(
        np.linspace(2.0 if cap_pre > 2.5 else max(0.5, cap_pre * 0.6), 15.0, 261),
        p.nissan_commitment_eur_m,
        p.mitsubishi_commitment_eur_m,
        p.nissan_stake_cap_pct,
    )
    yen = yen_series(p.nissan_commitment_eur_m)
    i: Inputs = ctx["i"]
    captions = {key: render(TOPIC, f"caption_{key}", **ctx) for key in CAPTIONS}
    return Analysis(
        p=p,
        values=v,
        results=results,
        assessment=a,
        conclusions=concl,
        findings=findings(ctx, a),
        since=render(TOPIC, "since", **ctx),
        news_as_of=ctx["news_as_of"],
        fx_as_of=fx_as_of(["JPY"]),
        source_ids=source_ids,
        unreached=render(TOPIC, "unreached", **ctx),
        texts={key: render(TOPIC, key, **ctx) for key in TEXTS},
        tables=tables,
        curve=curve,
        yen=yen[yen["date"] >= pd.Timestamp(i.nissan.committed_on)].reset_index(drop=True),
        moments=moments(ctx),
        captions=captions,
        context=ctx,
        facts=facts(ctx),
    )


# --------------------------------------------------------------------------- decisions


def compared(stake_pct: float, cap_pct: float) -> str:
    """How a stake compares with a ceiling: the key of its words in the template (``compared__<key>``).

    >>> compared(6.8, 15), compared(7.5, 15), compared(10, 15), compared(15, 15)
    ('under_half', 'half', 'below', 'at')
    """
    if stake_pct < cap_pct / 2 - 1e-9:
        return "under_half"
    if stake_pct <= cap_pct / 2 + 1e-9:
        return "half"
    if stake_pct < cap_pct - 1e-9:
        return "below"
    return "at"


def share_words(stake_pct: float, cap_pct: float) -> str:
    """How a stake compares with a ceiling, in the template's words.

    >>> share_words(6.8, 15), share_words(7.5, 15), share_words(10, 15), share_words(15, 15)
    ('less than half', 'at most half', 'below', 'as much as')
    """
    return render(TOPIC, f"compared__{compared(stake_pct, cap_pct)}")


def where_default(p: AmpereParams) -> str:
    """Where the value before the new money that is set sits in the CEO's range: ``top``, ``bottom``
    or ``inside`` (a higher value buys a smaller stake).

    >>> where_default(AmpereParams(pre_money_eur_bn=10.0)), where_default(AmpereParams(pre_money_eur_bn=9.0))
    ('top', 'inside')
    """
    low, high = plausible_ends()
    v = float(p.pre_money_eur_bn)
    if v >= high:
        return "top"
    if v <= low:
        return "bottom"
    return "inside"


def plausible_ends() -> tuple[float, float]:
    """The plausible range of Ampere's value before the new money (EUR bn)."""
    from alliancelib.params import plausible_of

    pl = plausible_of(AmpereParams, "pre_money_eur_bn")
    if pl is None or pl.low is None or pl.high is None:
        raise LookupError("pre_money_eur_bn declares no plausible range")
    return float(pl.low), float(pl.high)


def context(
    p: AmpereParams, v: Mapping[str, Any], a: Assessment, concl: Sequence[Conclusion]
) -> dict[str, Any]:
    """What the template is given: the sourced figures (``i``), the parameters, the results, and the
    decisions its sentences turn on, each by name (the names ``text.md.j2`` uses)."""
    from alliancelib import fx
    from alliancelib.uncertainty import N_DRAWS, robustness_sentence

    i = inputs.read()
    c, m, cap = p.nissan_commitment_eur_m, p.mitsubishi_commitment_eur_m, p.nissan_stake_cap_pct
    vals = {name: float(value) for name, value in v.items()}
    cap_post = vals["valuation_implied_by_stake_cap_eur_bn"]
    cap_pre = cap_post - (c + m) / 1000
    at_low = vals["nissan_stake_at_ceo_min_valuation_pct"]  # the higher stake, at the lower value
    at_high = vals["nissan_stake_at_ceo_max_valuation_pct"]
    # the CEO's figure read as the value after the money: Nissan's money over that value
    as_post_low = float(implied_stake_pct(c, i.ceo_high_eur_bn))
    as_post_high = float(implied_stake_pct(c, i.ceo_low_eur_bn))
    at_commitment = fx.ecb_rate("JPY", i.nissan.committed_on)
    at_release = fx.ecb_rate("JPY", i.nissan.ended_on)
    latest = latest_jpy()
    jpy_at_commitment = c * at_commitment.rate_per_eur / 1000
    jpy_at_release = c * at_release.rate_per_eur / 1000
    change_since_release = vals["nissan_commitment_jpy_bn_latest"] / jpy_at_release - 1
    binds = 1 - a.share("cap_never_binds")
    span = a.result_ranges().get("nissan_implied_stake_pct", (None, None))
    low, high = plausible_ends()
    # the reported amounts at the CEO's lower figure, against the reported ceiling (the history's claim)
    reported = round_stakes(
        i.ceo_low_eur_bn,
        i.nissan.amount_eur_m or 0.0,
        i.mmc.amount_eur_m or 0.0,
        i.nissan_cap.stake_cap_pct or 100.0,
    )
    return {
        "i": i,
        "c_eur_m": c,
        "m_eur_m": m,
        "cap_pct": cap,
        "pre_eur_bn": p.pre_money_eur_bn,
        "fx_date": p.fx_date,
        "v": vals,
        "cap_month": i.nissan_cap.committed_on[:7],
        "money_month": i.nissan.committed_on[:7],
        "ceo_month": i.ceo_as_of[:7],
        "announcement_year": i.announcement[:4],
        "reported_under_half": compared(float(reported["nissan_pct"]), i.nissan_cap.stake_cap_pct or 100.0)
        == "under_half",
        # the worked example: all the money goes in, or only what buys the ceiling
        "cap_binds": vals["nissan_implied_stake_pct"] >= cap - 1e-9,
        "put_in_eur_m": float(round_stakes(p.pre_money_eur_bn, c, m, cap)["nissan_invested_eur_m"]),
        "pre_tex_eur_m": p.pre_money_eur_bn * 1000,
        "at_low_pct": at_low,
        "at_high_pct": at_high,
        "high_vs_cap": share_words(at_low, cap),
        "under_half": compared(at_low, cap) == "under_half",
        "as_post_low_pct": as_post_low,
        "as_post_high_pct": as_post_high,
        "as_post_vs_cap": share_words(as_post_high, cap),
        "mmc_alongside": m > 0,
        "cap_post_eur_bn": cap_post,
        "cap_pre_eur_bn": cap_pre,
        "cap_pre_shown_eur_bn": max(cap_pre, 0.0),
        "cap_below_ceo": cap_post < i.ceo_low_eur_bn,
        "cap_binds_somewhere": cap_pre > 0,
        "held": bool(a.held),
        "cap_holds_at_default": bool(a.holds_at_default("cap_never_binds")),
        "binds_share": binds,
        "binds_nowhere": binds == 0,
        "robust_under_half": "" if a.held else robustness_sentence(a, "under_half_cap"),
        "robust_lines": []
        if a.held
        else [
            {
                "statement": con.statement[:1].upper() + con.statement[1:],
                "sentence": robustness_sentence(a, con),
            }
            for con in concl
        ],
        "where_default": where_default(p),
        "low_eur_bn": low,
        "high_eur_bn": high,
        "usd_rate": fx.rate_or_override("USD", p.fx_date, p.eur_usd).describe(),
        "jpy_rate": fx.rate_or_override("JPY", p.fx_date, p.eur_jpy).describe(),
        "latest_rate": latest.describe(),
        "latest_day": latest.fixing_date.isoformat(),
        "change_pct": vals["nissan_commitment_jpy_change_pct"],
        "jpy_more": vals["nissan_commitment_jpy_change_pct"] >= 0,
        "change_abs_pct": abs(vals["nissan_commitment_jpy_change_pct"]),
        "jpy_at_commitment_bn": jpy_at_commitment,
        "jpy_at_release_bn": jpy_at_release,
        "yen_weakened": vals["nissan_commitment_jpy_bn_latest"] >= jpy_at_commitment,
        "change_since_release_pct": abs(change_since_release) * 100,
        "more_since_release": change_since_release >= 0,
        "fcf_share_pct": vals["cancelled_commitments_eur_m"] / (i.fcf_eur_bn * 1000) * 100,
        "guidance_share_pct": vals["cancelled_commitments_eur_m"] / (i.guidance_eur_bn * 1000) * 100,
        "same_day": i.mmc.ended_on == i.events["no_minority_financing"],
        "events": i.events,
        "no_minority_month": i.events["no_minority_financing"][:7],
        "stake_range": span[0] is not None and span[1] is not None,
        "stake_low_pct": span[0] if span[0] is not None else float("nan"),
        "stake_high_pct": span[1] if span[1] is not None else float("nan"),
        "draws": N_DRAWS,
    }


def findings(ctx: Mapping[str, Any], a: Assessment) -> list[Finding]:
    """The key findings: their sentences from the template, their robustness from the assessment."""
    binds = ctx["binds_share"]
    extra: dict[str, dict[str, Any]] = {
        "stake-at-ceo-valuation": {
            "holds_pct": a.share("under_half_cap") * 100,
            "flips": a.flips("under_half_cap"),
        },
        "cap-is-not-a-valuation": {"holds_pct": (1 - binds) * 100, "flips": a.flips("cap_never_binds")},
    }
    return [
        Finding(
            key,
            render(TOPIC, "finding_" + key.replace("-", "_"), **ctx),
            anchor=anchor_for(section),
            headline=headline_,
            **extra.get(key, {}),
        )
        for key, section, headline_ in FINDINGS
    ]


def moments(ctx: Mapping[str, Any]) -> pd.DataFrame:
    """The dated moments the yen chart marks: the day Nissan committed, the day it agreed to end the
    commitment and the newest fixing, each with the commitment in yen and its label."""
    from alliancelib import fx

    i: Inputs = ctx["i"]
    days = {
        "committed": fx.ecb_rate("JPY", i.nissan.committed_on).fixing_date,
        "released": fx.ecb_rate("JPY", i.nissan.ended_on).fixing_date,
        "latest": latest_jpy().fixing_date,
    }
    amounts = {
        "committed": ctx["jpy_at_commitment_bn"],
        "released": ctx["jpy_at_release_bn"],
        "latest": ctx["v"]["nissan_commitment_jpy_bn_latest"],
    }
    return pd.DataFrame(
        [
            {
                "date": days[key],
                "label": render(TOPIC, f"yen_moment__{key}", **ctx, jpy_bn=amounts[key]),
                "jpy_bn": amounts[key],
            }
            for key in MOMENTS
        ]
    )


def facts(ctx: Mapping[str, Any]) -> dict[str, Any]:
    """The sourced figures and derived thresholds the charts and tests use, by the names the notebook
    used."""
    i: Inputs = ctx["i"]
    return {
        "ceo_low": i.ceo_low_eur_bn,
        "ceo_high": i.ceo_high_eur_bn,
        "fcf": i.fcf_eur_bn,
        "guidance": i.guidance_eur_bn,
        "cap_pre": ctx["cap_pre_eur_bn"],
        "cap_post": ctx["cap_post_eur_bn"],
        "as_post_low": ctx["as_post_low_pct"],
        "as_post_high": ctx["as_post_high_pct"],
        "jpy_at_commitment": ctx["jpy_at_commitment_bn"],
        "jpy_at_release": ctx["jpy_at_release_bn"],
    }
