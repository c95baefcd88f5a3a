"""Everything notebook 05 shows, computed once (:func:`analyse`): the results and their ranges, the
ledger's lines with their words, the tables, and the decisions the text needs, passed to the
template ``text.md.j2`` as named facts (:func:`context`). Every sentence is rendered there; this
module decides (which buyer, whether the option has a range, how many times the charge is the cash)
and never words a sentence itself.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import pandas as pd

from alliancelib import reads
from alliancelib.analysis import Analysis as AnalysisBase
from alliancelib.core.prose import render
from alliancelib.core.show import Part, Shows, chart, table, text
from alliancelib.findings import Finding, anchor_for
from alliancelib.reads import recorded
from alliancelib.results import format_quantity, make_results
from alliancelib.topics.ledger import inputs
from alliancelib.topics.ledger.inputs import ANNOUNCEMENT, Inputs
from alliancelib.topics.ledger.model import (
    NOTEBOOK,
    PARTIES,
    RESULTS,
    TOPIC,
    Item,
    LedgerParams,
    conclusions,
    freed_by_lockup,
    headline,
    items,
    kept_share_pct,
    most_points,
)
from alliancelib.topics.ownership.holdings import sale_proceeds_eur_m

if TYPE_CHECKING:
    from alliancelib.charts import Chart
    from alliancelib.uncertainty import Assessment

# the notebook's section headings (the findings link to them)
SECTION_LEDGER = "The ledger"
SECTION_CASH = "The cash, party by party"
SECTION_ACCOUNTING = "The accounting: bigger than the cash"
SECTION_UNKNOWN = "What no source quantifies"

GAPS = (
    "rnaipl_price",
    "nissan_sale_of_renault",
    "lockup_completion",
    "ampere_exit_completion",
    "mmc_ampere_paid",
    "ampere_merger_done",
    "nissan_stake_value_2025",
    "renault_h1_2026",
)
EXTRA_SOURCES = (
    "ecb_eurofxref",
    "seed_autoexpert",
    "trivano_renault_fy2025",
    "justauto_renault_fy2025",
    "brecorder_reuters_20250701",
    "renault_urd_2020_p448",
    "boursorama_aof_20250331",
    "sowetan_reuters_20250617",
    "motorfan_314996",
    "ane_202503_rnaipl",
    "newsdrum_pti_20250331",
    "journalauto_20250716",
    "frinfos_afp_20260219",
    "tbs_bloomberg_20250401",
    "business_standard_20250616",
    "tuko_afp_20250331",
    "rediff_20250331",
)
# the accounting table's rows: (fact, the key of its "use" words in the template)
ACCOUNTING_ROWS = (
    (inputs.CHARGE, "charge"),
    (inputs.CHARGE_OTHER, "charge_other"),
    (inputs.CHARGE_JULY, "charge_july"),
    (inputs.ASSOCIATES, "associates"),
    ("renault_fy2025_net_loss_eur_bn", "net_loss"),
)
# the sentences of the sections, rendered once by analyse() (keys of a.texts, blocks of the template)
TEXTS = (
    "option_intuition",
    "option",
    "charge",
    "unknown_intro",
    "sure_intro",
    "robustness",
    "cash_title",
    "cash_alt",
    "cash_source",
    "cash_xlabel",
    "cash_gives",
    "cash_gets",
    "cash_undisclosed",
    "cash_option",
    "ranges_title",
    "ranges_alt",
    "ranges_source",
    "ranges_xlabel",
)
CAPTIONS = ("accounting", "unknown", "ranges", "gaps")
# the key findings: (key, the section it links to, offered to the front page); block finding_<key>
FINDINGS = (
    ("nissan-is-paid", SECTION_CASH, True),
    ("renault-pays", SECTION_CASH, True),
    ("accounting-dwarfs-cash", SECTION_ACCOUNTING, False),
    ("what-no-source-says", SECTION_UNKNOWN, False),
)


@dataclass(frozen=True, kw_only=True)
class Analysis(Shows, AnalysisBase):
    """Everything notebook 05 shows, computed once from the parameters."""

    NOTEBOOK: ClassVar[str] = NOTEBOOK
    SECTIONS: ClassVar[Mapping[str, Sequence[Part]]] = {
        "ledger": tuple(table(f"ledger_{party}") for party in PARTIES),
        "cash": (text("option_intuition"), text("option"), chart("cash")),
        "accounting": (text("charge"), table("accounting")),
        "unknown": (text("unknown_intro"), table("unknown")),
        "sure": (text("sure_intro"), chart("ranges"), text("robustness"), table("ranges")),
        "sources": (table("gaps"),),
    }

    p: LedgerParams
    items: list[Item]
    captions: dict[str, str]
    context: dict[str, Any]  # what the template was given (the decisions and the figures)

    def chart(self, key: str) -> Chart:
        """One chart of notebook 05 (``cash`` or ``ranges``)."""
        from alliancelib.topics.ledger.charts import chart as draw

        return draw(self, key)


@recorded
def analyse(p: LedgerParams) -> Analysis:
    """Everything notebook 05 shows, computed once."""
    from alliancelib import uncertainty
    from alliancelib.data import load, news_as_of
    from alliancelib.report import sources_used

    v = headline(p)
    concl = conclusions(p)
    a = uncertainty.assess(p, headline, results=RESULTS, conclusions=concl)
    ctx = context(p, v, a)
    notes = {name: render(TOPIC, f"no_range__{name}", **ctx) for name in no_range_names()}
    results = make_results(RESULTS, v, ranges=a.result_ranges(), no_range=notes)
    lines = worded(items(p, option_eur_m=float(v["nissan_option_proceeds_eur_m"])), ctx)
    gaps = load("gaps").set_index("gap_id").loc[list(GAPS)].reset_index()
    ledger = ledger_table(lines)
    tables = {
        "ledger": ledger,
        **{f"ledger_{party}": party_table(ledger, party) for party in PARTIES},
        "accounting": accounting_table(ctx),
        "unknown": ledger_table([it for it in lines if not it.quantified])[
            ["ledger_party", "ledger_item", "ledger_what", "ledger_amount", "source_id"]
        ],
        "gaps": gaps[["what", "status", "note"]].fillna(""),
        "ranges": uncertainty.ranges_table(p),
    }
    reads.cite(*EXTRA_SOURCES)  # the sources the text relies on with no data row read
    source_ids = sources_used([tables["ledger"], tables["accounting"]], EXTRA_SOURCES)
    ctx.update(news_as_of=news_as_of(source_ids), gaps=list(gaps["what"]))
    captions = {key: render(TOPIC, f"caption_{key}", **ctx) for key in CAPTIONS}
    captions.update(
        {f"ledger_{party}": render(TOPIC, "caption_ledger_party", **ctx, party=party) for party in PARTIES}
    )
    return Analysis(
        p=p,
        values=v,
        results=results,
        assessment=a,
        conclusions=concl,
        findings=findings(ctx, a),
        since=render(TOPIC, "since", **ctx),
        news_as_of=ctx["news_as_of"],
        fx_as_of=ctx["fx_as_of"],
        source_ids=source_ids,
        unreached=render(TOPIC, "unreached", **ctx),
        texts={key: render(TOPIC, key, **ctx) for key in TEXTS},
        tables=tables,
        items=lines,
        captions=captions,
        context=ctx,
        facts=facts(ctx),
    )


def no_range_names() -> list[str]:
    """The results whose note says why they have no range (every result but the option's)."""
    return [spec.name for spec in RESULTS if spec.name != "nissan_option_proceeds_eur_m"]


def context(p: LedgerParams, v: Mapping[str, Any], a: Assessment) -> dict[str, Any]:
    """What the template is given: the sourced figures (``i``), the parameters, the results, and the
    decisions its sentences turn on, each by name (the names ``text.md.j2`` uses)."""
    from alliancelib import fx
    from alliancelib.params import plausible_of
    from alliancelib.uncertainty import N_DRAWS, robustness_sentence

    i = inputs.read()
    before, lockup, most = most_points(p)
    plan = fx.ecb_rate("JPY", i.plan_as_of)
    price_pl = plausible_of(LedgerParams, "renault_share_price_eur")
    stake_pl = plausible_of(LedgerParams, "nissan_in_renault_pct")
    low_price, high_price = _ends(price_pl, p.renault_share_price_eur)
    stake_low, stake_high = _ends(stake_pl, p.nissan_in_renault_pct)
    option = float(v["nissan_option_proceeds_eur_m"])
    verdict = a.verdicts["option_above_ampere"]
    span = a.result_ranges().get("nissan_option_proceeds_eur_m")
    renault_cash = float(v["renault_quantified_cash_eur_m"])
    kept_low, kept_high = kept_share_pct(i)
    share_pct, freed_points, freed_eur_bn = freed_by_lockup()
    default_price = float(LedgerParams().renault_share_price_eur)
    price_drawn = "renault_share_price_eur" not in a.held and "renault_share_price_eur" in a.inputs
    return {
        "i": i,
        "announcement": ANNOUNCEMENT,
        "points": p.nissan_sells_renault_pct,
        "price": p.renault_share_price_eur,
        "renault_buys": p.buyer == "renault",
        "before": before,
        "lockup": lockup,
        "most": most,
        "shares_m": i.renault_shares / 1e6,
        "option_eur_m": option,
        "renault_cash_eur_m": renault_cash,
        "renault_gives_eur_m": -renault_cash,
        "nissan_cash_eur_m": float(v["nissan_quantified_cash_eur_m"]),
        "ampere_total_eur_m": i.nissan.amount_eur_m + i.mmc.amount_eur_m,
        "undisclosed_items": int(v["undisclosed_items"]),
        "ledger_items": int(v["ledger_items"]),
        "low_price": low_price,
        "high_price": high_price,
        "stake_low": stake_low,
        "stake_high": stake_high,
        "points_about": stake_low - i.lockup_after_pct,
        "option_low_eur_m": option_at(p, low_price),
        "option_high_eur_m": option_at(p, high_price),
        # the finding's range: the option's recorded range, unless the price is held (or nothing moves it)
        "option_has_range": "renault_share_price_eur" not in a.held and span is not None,
        # the option's recorded range (5th to 95th percentile, stretched to the value set), if it has one
        "option_range_recorded": span is not None,
        "option_range_low_eur_m": span[0] if span else float("nan"),
        "option_range_high_eur_m": span[1] if span else float("nan"),
        "breakeven_price": breakeven_price(p, a, i),
        "beats_share": float(verdict.share or 0),
        "charge_times": int(i.charge_eur_bn * 1000 / abs(renault_cash) + 0.5),
        "kept_low_pct": kept_low,
        "kept_high_pct": kept_high,
        "renault_in_nissan_pct": share_pct,
        "freed_points": freed_points,
        "freed_eur_bn": freed_eur_bn,
        "utilisation_words": utilisation_words(i.utilisation_pct),
        "nissan_committed_month": i.nissan.committed_on[:7],
        "plan_month": i.plan_as_of[:7],
        "charge_july_as_of": _as_of(inputs.CHARGE_JULY),
        "cci_approved": inputs.published("latestly_pti_20250728"),  # the competition regulator's approval
        "plan_eur_m": i.plan_jpy_bn * 1000 / plan.rate_per_eur,
        "plan_rate": plan.describe(),
        "fx_as_of": plan.fixing_date.isoformat(),
        "draws": N_DRAWS,
        "default_price": default_price,
        "default_price_is_top": price_pl is not None and default_price == price_pl.high,
        "price_drawn": price_drawn,
        "statement": verdict.statement,
        "robustness_sentence": robustness_sentence(a, "option_above_ampere") if price_drawn else "",
    }


def _ends(pl: Any, value: float) -> tuple[float, float]:
    """A plausible range's two ends, or the value set twice where it has none."""
    if pl is not None and pl.low is not None and pl.high is not None:
        return float(pl.low), float(pl.high)
    return float(value), float(value)


def _as_of(fact_id: str) -> str:
    from alliancelib.data import load

    return str(load("facts").set_index("fact_id").at[fact_id, "as_of"])


def option_at(p: LedgerParams, price_eur: float) -> float:
    """What the option raises at another share price (EUR m)."""
    return float(sale_proceeds_eur_m(p.nissan_sells_renault_pct, inputs.read().renault_shares, price_eur))


def breakeven_price(p: LedgerParams, a: Assessment, i: Inputs) -> float:
    """The share price above which the option raises more than the Ampere money (EUR a share): the
    uncertainty analysis's break-even where it found one, else the arithmetic (NaN for no sale)."""
    verdict = a.verdicts["option_above_ampere"]
    if verdict.breakeven is not None:
        return float(verdict.breakeven[1])
    if p.nissan_sells_renault_pct > 0:
        return i.nissan.amount_eur_m * 1e6 / (p.nissan_sells_renault_pct / 100 * i.renault_shares)
    return float("nan")


def utilisation_words(value_pct: float) -> str:
    """The Chennai plant's utilisation as a reader says it (notebook 02's words: "about a third")."""
    from alliancelib.core.words import share_words

    return share_words(value_pct)


def worded(lines: Sequence[Item], ctx: Mapping[str, Any]) -> list[Item]:
    """The ledger's lines with their words (label, what, and size where a source sizes it) from the
    template's blocks ``<party>__<key>__label`` / ``__what`` / ``__size``."""
    return [
        dataclasses.replace(
            it,
            label=render(TOPIC, f"{it.block}__label", **ctx),
            what=render(TOPIC, f"{it.block}__what", **ctx),
            size=render(TOPIC, f"{it.block}__size", **ctx) if it.sized else "",
        )
        for it in lines
    ]


def findings(ctx: Mapping[str, Any], a: Assessment) -> list[Finding]:
    """The key findings: their sentences from the template, their robustness from the assessment."""
    verdict = a.verdicts["option_above_ampere"]
    out = []
    for key, section, headline_ in FINDINGS:
        extra: dict[str, Any] = {}
        if key == "nissan-is-paid":
            extra = {
                "holds_pct": None if verdict.share is None else verdict.share * 100,
                "flips": a.flips("option_above_ampere"),
            }
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


def facts(ctx: Mapping[str, Any]) -> dict[str, Any]:
    """The sourced figures the text quotes, by the names the notebook and its tests used."""
    i: Inputs = ctx["i"]
    return {
        "charge": i.charge_eur_bn,
        "charge_other": i.charge_other_eur_bn,
        "charge_july": i.charge_july_eur_bn,
        "associates": i.associates_eur_bn,
        "shares": i.renault_shares,
        "option_low": ctx["option_low_eur_m"],
        "option_high": ctx["option_high_eur_m"],
        "breakeven_price": ctx["breakeven_price"],
        "before": ctx["before"],
        "lockup": ctx["lockup"],
        "most": ctx["most"],
        "utilisation": i.utilisation_pct,
        "plan_jpy_bn": i.plan_jpy_bn,
        "plan_eur_m": ctx["plan_eur_m"],
    }


# --------------------------------------------------------------------------- tables


def ledger_table(lines: Sequence[Item]) -> pd.DataFrame:
    """The ledger in a reader's words (columns of ``alliancelib.fields``, section 05 ledger)."""
    rows = []
    for it in lines:
        if it.amount_eur_m is not None:
            amount = format_quantity(it.amount_eur_m, "EUR m", 0)
            if it.status == "parameter":
                amount += " (option)"
        elif it.size:
            amount = it.size
        else:
            amount = it.status
        rows.append(
            {
                "ledger_party": it.party,
                "ledger_direction": "gets" if it.gets else "gives",
                "ledger_item": it.label,
                "ledger_what": it.what,
                "ledger_amount": amount,
                "ledger_kind": it.kind,
                "date": it.date,
                "source_id": it.source_id,
            }
        )
    return pd.DataFrame(rows)


def party_table(table: pd.DataFrame, party: str) -> pd.DataFrame:
    """One party's lines, gives or gets and the kind of item in one column (narrow enough for a phone)."""
    out = table[table["ledger_party"] == party].copy()
    out["ledger_direction"] = out["ledger_direction"] + " (" + out["ledger_kind"] + ")"
    return out.drop(columns=["ledger_party", "ledger_kind"])


def accounting_table(ctx: Mapping[str, Any]) -> pd.DataFrame:
    """The accounting figures side by side, the one used first."""
    from alliancelib.data import load

    facts_ = load("facts").set_index("fact_id")
    rows = []
    for fid, use in ACCOUNTING_ROWS:
        r = facts_.loc[fid].to_dict()
        rows.append(
            {
                "description": r["description"],
                "ledger_eur_bn": float(r["value"]),
                "as_of": r["as_of"],
                "ledger_use": render(TOPIC, f"accounting_use__{use}", **ctx),
                "source_id": r["source_id"],
            }
        )
    return pd.DataFrame(rows)
