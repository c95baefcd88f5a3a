"""Everything notebook 05 shows, computed once (:func:`analyse`): the results, the ledger's lines
with their words in three columns (cash between the parties, commitments avoided or forgone, value
transfers), the tables, and the decisions the text needs, passed to the template ``text.md.j2`` as
named facts (:func:`context`). Every sentence is rendered there; this module decides (which buyer,
whether the price sits at the end of its range, whether the option reaches Nissan's plan) and never
words a sentence itself. Renault's accounting for its Nissan stake is context, shown apart from the
ledger.
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
    COLUMNS,
    NOTEBOOK,
    PARTIES,
    RESULTS,
    TOPIC,
    Item,
    LedgerParams,
    ampere_shares_pct,
    conclusions,
    freed_by_lockup,
    headline,
    items,
    most_points,
    plan_eur_m,
    renault_nissan_shares,
)
from alliancelib.topics.ownership.holdings import sale_proceeds_eur_m

if TYPE_CHECKING:
    from alliancelib.charts import Chart

# the notebook's section headings (the findings link to them)
SECTION_LEDGER = "The ledger in three columns"
SECTION_CASH = "Cash between the parties"
SECTION_COMMITMENTS = "Commitments avoided or forgone"
SECTION_TRANSFERS = "Value transfers: the option, the dividends, the plant's result"
SECTION_ACCOUNTING = "Context, apart from the ledger: the accounting"
SECTION_UNKNOWN = "What no source quantifies"
SECTION_BALANCE = "On balance, party by party"

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
# sources the text relies on beyond the tables' rows
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
    "journalauto_20250716",
    "frinfos_afp_20260219",
    "tbs_bloomberg_20250401",
    "business_standard_20250616",
    "tuko_afp_20250331",
    "automotiveworld_fy2024_nissan_contribution",
    "rediff_20250331",
    "technode_20230726",
    "sowetan_reuters_20250520",
    "nasdaq_reuters_20240129",
    "autoworldjournal_mmc_ampere",
    "nasdaq_ft_20230905",
    "republicworld_20260123",
    "marketscreener_nissan_fy2025",  # Nissan's FY2026 dividend guidance
    "soytuber_nissan_psr",  # Nissan's FY2025: no dividend (secondary)
    "nissan_securities_report_2025h1",  # Nissan's shares issued
)
# the accounting table's rows: (fact, the key of its "use" words in the template)
ACCOUNTING_ROWS = (
    (inputs.CHARGE, "charge"),
    (inputs.CHARGE_OTHER, "charge_other"),
    (inputs.CHARGE_JULY, "charge_july"),
    (inputs.ASSOCIATES, "associates"),
    ("renault_fy2025_net_loss_eur_bn", "net_loss"),
)
# the chart's words: (flow, part) of the template's blocks flow__<flow>__<part>
FLOW_BLOCKS = (
    ("to_nissan", "label"),
    ("to_nissan", "words"),
    ("sold", "words"),
    ("to_renault", "label"),
    ("to_renault", "words"),
)
# the sentences of the sections, rendered once by analyse() (keys of a.texts, blocks of the template)
TEXTS = (
    "cash_text",
    "commitments_text",
    "option",
    "dividends",
    "dividend_flows",
    "plan",
    "plant_result",
    "charge",
    "unchanged",
    "unknown_intro",
    "unknown_count",
    "own_cash",
    "balance_intro",
    "balance_reading",
    "ledger_title",
    "ledger_alt",
    "ledger_source",
    "ledger_xlabel",
    *(f"flow__{key}__{part}" for key, part in FLOW_BLOCKS),
    *(f"column__{c}" for c in COLUMNS),
)
CAPTIONS = (
    "summary",
    *(f"ledger_{c}" for c in COLUMNS),
    "own_cash",
    "accounting",
    "unknown",
    "balance",
    "gaps",
)
# the key findings: (key, the section it links to, offered to the front page); block finding_<key>
FINDINGS = (
    ("cash-that-moved", SECTION_CASH, True),
    ("commitments-not-cash", SECTION_COMMITMENTS, True),
    ("option-and-dividends", SECTION_TRANSFERS, True),
    ("accounting-apart", SECTION_ACCOUNTING, False),
    ("on-balance", SECTION_BALANCE, True),
)
# the closing balance, party by party: (party, gives or gets, the key of its words in the template
# (block balance__<key>), the basis: reported, derived, our reading or unknown); a line shown only when
# Nissan sells Renault shares is marked by its key (see balance_rows)
BASES = ("reported", "derived", "our reading", "unknown")
BALANCE = (
    ("Renault", "gets", "renault_ampere_kept", "derived"),
    ("Renault", "gets", "renault_plant", "reported"),
    ("Renault", "gets", "renault_lockup", "derived"),
    ("Renault", "gets", "renault_dividends_in", "reported"),
    ("Renault", "gives", "renault_price", "unknown"),
    ("Renault", "gives", "renault_funding", "reported"),
    ("Renault", "gives", "renault_own_cash", "reported"),
    ("Renault", "gives", "renault_dividends_out", "derived"),
    ("Nissan", "gets", "nissan_released", "reported"),
    ("Nissan", "gets", "nissan_price", "unknown"),
    ("Nissan", "gets", "nissan_option", "derived"),
    ("Nissan", "gets", "nissan_dividends_in", "derived"),
    ("Nissan", "gives", "nissan_ampere", "derived"),
    ("Nissan", "gives", "nissan_plant", "reported"),
    ("Nissan", "gives", "nissan_dividends", "derived"),
    ("Mitsubishi Motors", "gets", "mmc_released", "reported"),
    ("Mitsubishi Motors", "gives", "mmc_ampere", "derived"),
    ("Renault", "on balance", "renault_net", "our reading"),
    ("Nissan", "on balance", "nissan_net", "our reading"),
    ("Mitsubishi Motors", "on balance", "mmc_net", "our reading"),
)
SELLING_ONLY = ("nissan_option", "nissan_dividends")


@dataclass(frozen=True, kw_only=True)
class Analysis(Shows, AnalysisBase):
    """Everything notebook 05 shows, computed once from the parameters."""

    NOTEBOOK: ClassVar[str] = NOTEBOOK
    SECTIONS: ClassVar[Mapping[str, Sequence[Part]]] = {
        "ledger": (chart("ledger"), table("summary")),
        "cash": (
            text("cash_text"),
            table("ledger_cash"),
            text("dividend_flows"),
            text("own_cash"),
            table("own_cash"),
        ),
        "commitments": (text("commitments_text"), table("ledger_commitment")),
        "transfers": (
            text("option"),
            text("plan"),
            text("dividends"),
            text("plant_result"),
            table("ledger_transfer"),
        ),
        "accounting": (text("charge"), table("accounting"), text("unchanged")),
        "unknown": (text("unknown_intro"), table("unknown"), text("unknown_count")),
        "balance": (text("balance_intro"), table("balance"), text("balance_reading")),
        "appendix": (text("appendix"), table("appendix")),
        "sources": (table("gaps"),),
    }

    p: LedgerParams
    items: list[Item]
    captions: dict[str, str]
    context: dict[str, Any]  # what the template was given (the decisions and the figures)

    def chart(self, key: str) -> Chart:
        """One chart of notebook 05 (``ledger``)."""
        from alliancelib.topics.ledger.charts import chart as draw

        return draw(self, key)


@recorded
def analyse(p: LedgerParams) -> Analysis:
    """Everything notebook 05 shows, computed once."""
    from alliancelib import uncertainty
    from alliancelib.data import load, news_as_of
    from alliancelib.report import sources_used
    from alliancelib.uncertainty_show import appendix_caption, appendix_table, appendix_text

    v = headline(p)
    concl = conclusions(p)
    a = uncertainty.assess(p, headline, results=RESULTS, conclusions=concl)
    ctx = context(p, v)
    ranges = a.result_ranges()
    notes = {
        name: render(TOPIC, f"no_range__{name}", **ctx) for name in no_range_names() if name not in ranges
    }
    results = make_results(RESULTS, v, ranges=ranges, no_range=notes)
    lines = worded(
        items(p, float(v["nissan_option_proceeds_eur_m"]), float(v["nissan_dividends_forgone_eur_m"])), ctx
    )
    gaps = load("gaps").set_index("gap_id").loc[list(GAPS)].reset_index()
    ledger = ledger_table(lines)
    tables = {
        "ledger": ledger,
        "summary": summary_table(lines),
        **{f"ledger_{c}": column_table(ledger, lines, c) for c in COLUMNS},
        "accounting": accounting_table(ctx),
        "own_cash": own_cash_table(ctx),
        "balance": balance_table(ctx),
        "unknown": ledger_table([it for it in lines if not it.quantified])[
            ["ledger_party", "ledger_item", "ledger_what", "ledger_amount", "source_id"]
        ],
        "gaps": gaps[["what", "status", "note"]].fillna(""),
        "appendix": appendix_table(a),
    }
    reads.cite(*EXTRA_SOURCES)  # the sources the text relies on with no data row read
    source_ids = sources_used([tables["ledger"], tables["accounting"], tables["own_cash"]], EXTRA_SOURCES)
    ctx.update(news_as_of=news_as_of(source_ids), gaps=list(gaps["what"]))
    captions = {key: render(TOPIC, f"caption_{key}", **ctx) for key in CAPTIONS} | {
        "appendix": appendix_caption()
    }
    return Analysis(
        p=p,
        values=v,
        results=results,
        assessment=a,
        conclusions=concl,
        findings=findings(ctx),
        since=render(TOPIC, "since", **ctx),
        news_as_of=ctx["news_as_of"],
        fx_as_of=ctx["fx_as_of"],
        source_ids=source_ids,
        unreached=render(TOPIC, "unreached", **ctx),
        texts={key: render(TOPIC, key, **ctx) for key in TEXTS} | {"appendix": appendix_text(a)},
        tables=tables,
        items=lines,
        captions=captions,
        context=ctx,
        facts=facts(ctx),
    )


def no_range_names() -> list[str]:
    """The results that may have no range, each with a note saying why (every result; a result the
    uncertain inputs move gets its range instead)."""
    return [spec.name for spec in RESULTS]


def _price_context(p: LedgerParams) -> dict[str, Any]:
    """The share price's reported range, where the price set sits in it, and the option at its ends."""
    from alliancelib.params import plausible_of

    price_pl = plausible_of(LedgerParams, "renault_share_price_eur")
    low_price, high_price = _ends(price_pl, p.renault_share_price_eur)
    price = p.renault_share_price_eur
    return {
        "low_price": low_price,
        "high_price": high_price,
        "price_in_range": low_price <= price <= high_price and low_price < high_price,
        "price_is_top": price == high_price and low_price < high_price,
        "price_is_bottom": price == low_price and low_price < high_price,
        "option_low_eur_m": option_at(p, low_price),
        "option_high_eur_m": option_at(p, high_price),
        "default_price": float(LedgerParams().renault_share_price_eur),
    }


def context(p: LedgerParams, v: Mapping[str, Any]) -> dict[str, Any]:
    """What the template is given: the sourced figures (``i``), the parameters, the results, and the
    decisions its sentences turn on, each by name (the names ``text.md.j2`` uses)."""
    from alliancelib import fx
    from alliancelib.params import plausible_of

    i = inputs.read()
    before, lockup, most = most_points(p)
    plan = fx.ecb_rate("JPY", i.plan_as_of)
    dividend_rate = fx.ecb_rate("JPY", i.dividend_as_of)
    stake_low, stake_high = _ends(
        plausible_of(LedgerParams, "nissan_in_renault_pct"), p.nissan_in_renault_pct
    )
    option = float(v["nissan_option_proceeds_eur_m"])
    both_low, both_high = ampere_shares_pct(i, i.nissan.amount_eur_m + i.mmc.amount_eur_m)
    nissan_low, nissan_high = ampere_shares_pct(i, i.nissan.amount_eur_m)
    mmc_low, mmc_high = ampere_shares_pct(i, i.mmc.amount_eur_m)
    share_pct, freed_points, freed_eur_bn = freed_by_lockup()
    breakeven = v["option_reaches_plan_breakeven_eur"]
    prices = _price_context(p)
    return {
        "i": i,
        "announcement": ANNOUNCEMENT,
        "points": p.nissan_sells_renault_pct,
        "sells": p.nissan_sells_renault_pct > 0,
        "price": p.renault_share_price_eur,
        "renault_buys": p.buyer == "renault",
        "before": before,
        "lockup": lockup,
        "most": most,
        "shares_m": i.renault_shares / 1e6,
        "option_eur_m": option,
        "dividends_eur_m": float(v["nissan_dividends_forgone_eur_m"]),
        "to_nissan_eur_m": float(v["nissan_dividends_from_renault_eur_m"]),
        "to_renault_eur_m": float(v["renault_dividends_from_nissan_eur_m"]),
        "dividend_breakeven_jpy": float(v["nissan_dividend_breakeven_jpy"]),
        "nissan_stake_pct": p.nissan_in_renault_pct,
        "nissan_stake_shares_m": p.nissan_in_renault_pct / 100 * i.renault_shares / 1e6,
        "renault_nissan_shares_m": renault_nissan_shares(i) / 1e6,
        "dividend_rate": dividend_rate.describe(),
        "dividend_rate_per_eur": dividend_rate.rate_per_eur,
        "dividends_hold": max(i.nissan_dividend_jpy, i.nissan_dividend_guided_jpy)
        < float(v["nissan_dividend_breakeven_jpy"]),
        "yield_pct": i.dividend_eur / p.renault_share_price_eur * 100,
        "yield_low_pct": i.dividend_eur / prices["high_price"] * 100,
        "yield_high_pct": i.dividend_eur / prices["low_price"] * 100,
        "renault_cash_eur_m": float(v["renault_quantified_cash_eur_m"]),
        "ampere_total_eur_m": float(v["ampere_commitments_avoided_eur_m"]),
        "undisclosed_items": int(v["undisclosed_items"]),
        "ledger_items": int(v["ledger_items"]),
        "stake_low": stake_low,
        "stake_high": stake_high,
        "points_about": stake_low - i.lockup_after_pct,
        **prices,
        "breakeven_price": breakeven if breakeven is not None else float("nan"),
        "has_breakeven": breakeven is not None,
        "reaches_plan": breakeven is not None and p.renault_share_price_eur >= breakeven,
        "breakeven_in_range": breakeven is not None
        and prices["low_price"] <= breakeven <= prices["high_price"],
        "both_low_pct": both_low,
        "both_high_pct": both_high,
        "nissan_low_pct": nissan_low,
        "nissan_high_pct": nissan_high,
        "mmc_low_pct": mmc_low,
        "mmc_high_pct": mmc_high,
        "renault_in_nissan_pct": share_pct,
        "freed_points": freed_points,
        "freed_eur_bn": freed_eur_bn,
        "utilisation_words": utilisation_words(i.utilisation_pct),
        "nissan_committed_month": i.nissan.committed_on[:7],
        "plan_month": i.plan_as_of[:7],
        "charge_july_as_of": _as_of(inputs.CHARGE_JULY),
        "cci_approved": inputs.published("latestly_pti_20250728"),  # the competition regulator's approval
        "plan_eur_m": plan_eur_m(),
        "plan_rate": plan.describe(),
        "fx_as_of": max(plan.fixing_date, dividend_rate.fixing_date).isoformat(),
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


def findings(ctx: Mapping[str, Any]) -> list[Finding]:
    """The key findings, their sentences from the template (none states a share of draws)."""
    return [
        Finding(
            key,
            render(TOPIC, "finding_" + key.replace("-", "_"), **ctx),
            anchor=anchor_for(section),
            headline=headline_,
        )
        for key, section, headline_ in FINDINGS
    ]


def facts(ctx: Mapping[str, Any]) -> dict[str, Any]:
    """The sourced figures the text quotes, by the names the notebook and its tests used."""
    i: Inputs = ctx["i"]
    return {
        "charge": i.charge_eur_bn,
        "charge_other": i.charge_other_eur_bn,
        "charge_july": i.charge_july_eur_bn,
        "associates": i.associates_eur_bn,
        "shares": i.renault_shares,
        "dividend": i.dividend_eur,
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


def amount_words(it: Item) -> str:
    """A line's amount as the ledger shows it: EUR m from the party's side (a yearly amount and an
    option not exercised marked, in the template's words), else the share or capacity a source
    gives, else its status."""
    if it.amount_eur_m is not None:
        amount = format_quantity(it.amount_eur_m, "EUR m", 1 if it.yearly else 0)
        if it.yearly:
            return render(TOPIC, "amount__yearly", amount=amount)
        if it.status == "parameter":
            return render(TOPIC, "amount__option", amount=amount)
        return amount
    return it.size or it.status


def ledger_table(lines: Sequence[Item]) -> pd.DataFrame:
    """The ledger in a reader's words (columns of ``alliancelib.fields``, section 05 ledger)."""
    rows = [
        {
            "ledger_column": render(TOPIC, f"column__{it.column}"),
            "ledger_party": it.party,
            "ledger_direction": "gets" if it.gets else "gives",
            "ledger_item": it.label,
            "ledger_what": it.what,
            "ledger_amount": amount_words(it),
            "date": it.date,
            "source_id": it.source_id,
        }
        for it in lines
    ]
    return pd.DataFrame(rows)


def column_table(table: pd.DataFrame, lines: Sequence[Item], column: str) -> pd.DataFrame:
    """One column of the ledger, every party's lines (narrow enough for a phone: no column name)."""
    mask = [it.column == column for it in lines]
    return table[mask].drop(columns=["ledger_column"]).reset_index(drop=True)


def summary_table(lines: Sequence[Item]) -> pd.DataFrame:
    """The ledger at a glance: one row per party, one cell per column listing its lines (item and
    amount); an empty cell is a dash."""
    names = {"cash": "ledger_cash", "commitment": "ledger_commitments", "transfer": "ledger_transfers"}
    rows = []
    for party in PARTIES:
        row = {"ledger_party": party}
        for column, name in names.items():
            mine = [
                f"{it.label}: {amount_words(it)}" for it in lines if it.party == party and it.column == column
            ]
            row[name] = "; ".join(mine) or "–"
        rows.append(row)
    return pd.DataFrame(rows)


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


def own_cash_table(ctx: Mapping[str, Any]) -> pd.DataFrame:
    """Renault's own cash cost of the India deal, a line apart from the ledger: money Renault spends on
    a plant it now owns outright, not money paid to another party (a forecast of 31 March 2025)."""
    from alliancelib.data import load

    r = load("facts").set_index("fact_id").loc[inputs.INDIA_FCF].to_dict()
    return pd.DataFrame(
        [
            {
                "description": r["description"],
                "ledger_eur_m": -float(r["value"]),
                "as_of": r["as_of"],
                "ledger_use": render(TOPIC, "own_cash_use", **ctx),
                "source_id": r["source_id"],
            }
        ]
    )


def balance_rows(sells: bool) -> list[tuple[str, str, str, str]]:
    """The closing balance's rows (party, gives, gets or on balance, key, basis), party by party, each
    party's reading last; the option and the dividends only when Nissan sells Renault shares."""
    rows = [row for row in BALANCE if sells or row[2] not in SELLING_ONLY]
    return sorted(rows, key=lambda row: PARTIES.index(row[0]))


def balance_table(ctx: Mapping[str, Any]) -> pd.DataFrame:
    """On balance, party by party: what each gave and got, each line marked reported, derived, our
    reading or unknown (the words are the template's blocks ``balance__<key>``)."""
    rows = [
        {
            "ledger_party": party,
            "ledger_direction": direction,
            "ledger_line": render(TOPIC, f"balance__{key}", **ctx),
            "ledger_basis": basis,
        }
        for party, direction, key, basis in balance_rows(bool(ctx["sells"]))
    ]
    return pd.DataFrame(rows)
