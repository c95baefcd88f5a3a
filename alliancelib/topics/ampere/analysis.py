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
    TOPIC,
    AmpereParams,
    compared,
    conclusions,
    headline,
    implied_stake_pct,
    round_stakes,
    stake_table,
)
from alliancelib.topics.ampere.tables import commitments_table, facts_table, sensitivity_table, timeline

if TYPE_CHECKING:
    from alliancelib.charts import Chart
    from alliancelib.uncertainty import Assessment, Conclusion

# the notebook's section headings (the findings link to them)
SECTION_STAKES = "Two ceilings, not a valuation"
SECTION_SWAP = "What ending the commitments exchanged"
SECTION_ENDING = "The ending: no outside money found, and Ampere to be folded back into Renault"
SECTION_APPENDIX = (
    "Technical appendix: share of the tested range (independent uniform inputs; not a probability)"
)

# the sources behind what the text says besides the tables (facts used in sentences, the ECB series)
EXTRA_SOURCES = (
    "ecb_eurofxref",
    "seed_autoexpert",
    "nasdaq_ft_20230905",
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
    "swap",
    "currency",
    "ending",
    "stakes_title",
    "stakes_alt",
    "stakes_source",
    "stakes_xlabel",
    "stakes_ylabel",
    "stakes_cap_label",
    "stakes_half_label",
    "stakes_half_point_label",
    "stakes_ceo_label",
    "stakes_binds_label",
    "stakes_nissan_label",
    "stakes_mmc_label",
    "stakes_at_low_label",
    "stakes_at_high_label",
)
CAPTIONS = ("stakes", "commitments", "timeline", "facts", "gaps")
# what a row of the stakes table stands for (its words: the blocks row__<key>)
ROW_KINDS = ("ceo_low", "ceo_mid", "ceo_high", "half_cap", "set")
# the key findings: (key, the section it links to, offered to the front page); block finding_<key>
FINDINGS = (
    ("stake-at-ceo-valuation", SECTION_STAKES, True),
    ("cap-is-not-a-valuation", SECTION_STAKES, False),
    ("swap", SECTION_SWAP, True),
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
        "swap": (text("swap"), text("currency")),
        "ending": (text("ending"), table("commitments"), table("timeline"), table("facts")),
        "appendix": (text("appendix"), table("appendix")),
        "sources": (table("gaps"),),
    }

    p: AmpereParams
    curve: pd.DataFrame  # stakes against the pre-money valuation, for the chart
    captions: dict[str, str]
    context: dict[str, Any]  # what the template was given (the decisions and the figures)

    def chart(self, key: str) -> Chart:
        """One chart of notebook 04 (``stakes``)."""
        from alliancelib.topics.ampere.charts import chart as draw

        return draw(self, key)


@recorded
def analyse(p: AmpereParams) -> Analysis:
    """Everything notebook 04 shows, computed once (results, ranges, findings, tables, texts)."""
    from alliancelib import uncertainty
    from alliancelib.data import fx_as_of, load, news_as_of
    from alliancelib.report import sources_used
    from alliancelib.uncertainty_show import appendix_caption, appendix_table, appendix_text

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
        "stakes": sensitivity_table(p, ctx),
        "gaps": gaps[["what", "status", "note"]].fillna(""),
        "appendix": appendix_table(a),
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
    captions = {key: render(TOPIC, f"caption_{key}", **ctx) for key in CAPTIONS}
    captions["appendix"] = appendix_caption()
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
        texts={**{key: render(TOPIC, key, **ctx) for key in TEXTS}, "appendix": appendix_text(a)},
        tables=tables,
        curve=curve,
        captions=captions,
        context=ctx,
        facts=facts(ctx),
    )


# --------------------------------------------------------------------------- decisions


def share_words(stake_pct: float, cap_pct: float) -> str:
    """How a stake compares with a ceiling, in the template's words.

    >>> share_words(6.8, 15), share_words(7.5, 15), share_words(10, 15), share_words(15, 15)
    ('less than half', 'at most half', 'below', 'as much as')
    """
    return render(TOPIC, f"compared__{compared(stake_pct, cap_pct)}")


def where_default(p: AmpereParams) -> str:
    """Where the value before the new money that is set sits in the CEO's range: ``top``, ``bottom``,
    ``inside`` or ``outside`` it (a higher value buys a smaller stake).

    >>> [where_default(AmpereParams(pre_money_eur_bn=v)) for v in (10.0, 9.0, 8.0, 50.0)]
    ['top', 'inside', 'bottom', 'outside']
    """
    low, high = plausible_ends()
    v = float(p.pre_money_eur_bn)
    if v > high or v < low:
        return "outside"
    if v == high:
        return "top"
    if v == low:
        return "bottom"
    return "inside"


def plausible_ends() -> tuple[float, float]:
    """The plausible range of Ampere's value before the new money (EUR bn)."""
    from alliancelib.params import plausible_of

    pl = plausible_of(AmpereParams, "pre_money_eur_bn")
    if pl is None or pl.low is None or pl.high is None:
        raise LookupError("pre_money_eur_bn declares no plausible range")
    return float(pl.low), float(pl.high)


def side_of_range(value_eur_bn: float, low_eur_bn: float, high_eur_bn: float) -> str:
    """Where a break-even value lies against the CEO's range: ``below``, ``inside`` or ``above`` it,
    or ``none`` where it is not a positive value (no value of Ampere makes the conclusion flip).

    >>> [side_of_range(v, 8, 10) for v in (7.2, 9.0, 18.3, -0.2)]
    ['below', 'inside', 'above', 'none']
    """
    if value_eur_bn <= 0:
        return "none"
    if value_eur_bn < low_eur_bn:
        return "below"
    if value_eur_bn <= high_eur_bn:
        return "inside"
    return "above"


def context(
    p: AmpereParams, v: Mapping[str, Any], a: Assessment, concl: Sequence[Conclusion]
) -> dict[str, Any]:
    """What the template is given: the sourced figures (``i``), the parameters, the results, and the
    decisions its sentences turn on, each by name (the names ``text.md.j2`` uses)."""
    from alliancelib import fx

    i = inputs.read()
    c, m, cap = p.nissan_commitment_eur_m, p.mitsubishi_commitment_eur_m, p.nissan_stake_cap_pct
    vals = {name: float(value) for name, value in v.items()}
    cap_post = vals["valuation_implied_by_stake_cap_eur_bn"]
    cap_pre = vals["pre_money_where_cap_binds_eur_bn"]
    half_pre = vals["pre_money_at_half_cap_eur_bn"]
    at_low = vals["nissan_stake_at_ceo_min_valuation_pct"]  # the higher stake, at the lower value
    at_high = vals["nissan_stake_at_ceo_max_valuation_pct"]
    # the CEO's figure read as the value after the money (or as the price of shares Renault sold, so no
    # new money): Nissan's money over that value
    as_post_low = float(implied_stake_pct(c, i.ceo_high_eur_bn))
    as_post_high = float(implied_stake_pct(c, i.ceo_low_eur_bn))
    at_release = fx.ecb_rate("JPY", i.nissan.ended_on)
    # the reported amounts at the CEO's lower figure, against the reported ceiling (the history's claim)
    reported = round_stakes(
        i.ceo_low_eur_bn,
        i.nissan.amount_eur_m or 0.0,
        i.mmc.amount_eur_m or 0.0,
        i.nissan_cap.stake_cap_pct or 100.0,
    )
    ceo = (i.ceo_low_eur_bn, i.ceo_high_eur_bn)
    return {
        "i": i,
        "c_eur_m": c,
        "m_eur_m": m,
        "cap_pct": cap,
        "half_cap_pct": cap / 2,
        "pre_eur_bn": p.pre_money_eur_bn,
        "fx_date": p.fx_date,
        "v": vals,
        "cap_month": i.nissan_cap.committed_on[:7],
        "money_month": i.nissan.committed_on[:7],
        "ceo_month": i.ceo_as_of[:7],
        "reported_under_half": compared(float(reported["nissan_pct"]), i.nissan_cap.stake_cap_pct or 100.0)
        == "under_half",
        # the worked example: all the money goes in, or only what buys the ceiling
        "cap_binds": vals["nissan_implied_stake_pct"] >= cap - 1e-9,
        "put_in_eur_m": float(round_stakes(p.pre_money_eur_bn, c, m, cap)["nissan_invested_eur_m"]),
        "pre_tex_eur_m": p.pre_money_eur_bn * 1000,
        "at_low_pct": at_low,
        "at_high_pct": at_high,
        "high_vs_cap": share_words(at_low, cap),
        "as_post_low_pct": as_post_low,
        "as_post_high_pct": as_post_high,
        "as_post_vs_cap": share_words(as_post_high, cap),
        "mmc_alongside": m > 0,
        "mmc_at_low_pct": vals["outside_stake_at_ceo_min_valuation_pct"] - at_low,
        "mmc_at_high_pct": vals["outside_stake_at_ceo_max_valuation_pct"] - at_high,
        # the two break-evens, before the money (recorded) and after it (plus all the new money)
        "cap_post_eur_bn": cap_post,
        "cap_pre_eur_bn": cap_pre,
        "cap_pre_shown_eur_bn": max(cap_pre, 0.0),
        "cap_side": side_of_range(cap_pre, *ceo),
        "half_pre_eur_bn": half_pre,
        "half_post_eur_bn": half_pre + (c + m) / 1000,
        "half_side": side_of_range(half_pre, *ceo),
        "half_post_at_ceo_low": abs(half_pre + (c + m) / 1000 - i.ceo_low_eur_bn) < 1e-9,
        "new_money_eur_bn": (c + m) / 1000,
        "cap_pre_tex_eur_m": cap_pre * 1000,
        "half_pre_tex_eur_m": half_pre * 1000,
        "where_default": where_default(p),
        "usd_rate": fx.rate_or_override("USD", p.fx_date, p.eur_usd).describe(),
        "jpy_rate": fx.rate_or_override("JPY", p.fx_date, p.eur_jpy).describe(),
        "fx_is_release_day": fx.rate_or_override("JPY", p.fx_date, p.eur_jpy).fixing_date
        == at_release.fixing_date
        and p.eur_jpy is None,
        "same_day": i.mmc.ended_on == i.events["no_minority_financing"],
        "events": i.events,
        "no_minority_month": i.events["no_minority_financing"][:7],
    }


def findings(ctx: Mapping[str, Any], a: Assessment) -> list[Finding]:
    """The key findings: their sentences from the template. None states a share of cases: each says
    its break-even and where the sourced values lie against it."""
    flips = {"stake-at-ceo-valuation": "under_half_cap", "cap-is-not-a-valuation": "cap_never_binds"}
    return [
        Finding(
            key,
            render(TOPIC, "finding_" + key.replace("-", "_"), **ctx),
            anchor=anchor_for(section),
            headline=headline_,
            flips=a.flips(flips[key]) if key in flips else False,
        )
        for key, section, headline_ in FINDINGS
    ]


def facts(ctx: Mapping[str, Any]) -> dict[str, Any]:
    """The sourced figures and derived thresholds the charts and tests use, by the names the notebook
    used."""
    i: Inputs = ctx["i"]
    return {
        "ceo_low": i.ceo_low_eur_bn,
        "ceo_high": i.ceo_high_eur_bn,
        "cap_pre": ctx["cap_pre_eur_bn"],
        "cap_post": ctx["cap_post_eur_bn"],
        "half_pre": ctx["half_pre_eur_bn"],
        "half_post": ctx["half_post_eur_bn"],
        "as_post_low": ctx["as_post_low_pct"],
        "as_post_high": ctx["as_post_high_pct"],
    }
