"""The deal ledger: what Renault, Nissan and Mitsubishi Motors each gave and got on 31 March 2025
and since, in cash, control, options and accounting, with what no source quantifies marked as such.

Every line of the ledger is one party's side of one item (:class:`Item`): an amount in EUR m where
a source gives one (or the notebook computes it from sourced figures and its parameters), a size
where a source gives a share or a capacity rather than money, and otherwise "undisclosed" (the
price of the Chennai plant above all) or "not quantified". Nothing is drawn or summed as zero that
no source quantifies.

The three parameters shared with ``01_ownership`` (``nissan_sells_renault_pct``, ``buyer``,
``renault_share_price_eur``) are 01's own definitions, copied field by field, so a scenario that
sets them moves both notebooks, and the lock-up rule is 01's: Nissan may not sell below the new
10% threshold. Nissan's option raises 01's ``sale_proceeds_eur_m`` for the same parameters.

The notebook's pattern (``docs/architecture.md``): :class:`LedgerParams`, :func:`headline`,
:data:`RESULTS`, :func:`conclusions` (they read the data, so they are made when asked, not at
import), :func:`analyse` and :func:`figures`.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from alliancelib.analysis import Analysis as AnalysisBase
from alliancelib.analysis import say_date
from alliancelib.errors import ParameterError
from alliancelib.findings import Finding, anchor_for
from alliancelib.ownership import OwnershipParams, max_points_above, sale_proceeds_eur_m
from alliancelib.params import fields_of, param, validate
from alliancelib.results import ResultSpec, format_quantity, make_results
from alliancelib.uncertainty import Assessment, Conclusion

NOTEBOOK = "05_deal_ledger"
PARTIES = ("Renault", "Nissan", "Mitsubishi Motors")
ANNOUNCEMENT = "2025-03-31"

SECTION_LEDGER = "The ledger"
SECTION_CASH = "The cash, party by party"
SECTION_ACCOUNTING = "The accounting: bigger than the cash"
SECTION_UNKNOWN = "What no source quantifies"


# --------------------------------------------------------------------------- parameters


def _shared(name: str) -> Any:
    """A parameter of ``01_ownership``, copied: same default, spec, help, label, unit and range."""
    f = {f.name: f for f in fields_of(OwnershipParams)}[name]
    md = f.metadata
    return param(f.default, md["spec"], md["help"], label=md.get("label", ""), plausible=md.get("plausible"),
                 unit=md.get("unit", ""))


@dataclass(frozen=True)
class LedgerParams:
    """Parameters of ``05_deal_ledger``: those that mean the same as in ``01_ownership``, where Nissan's
    stake in Renault (15% or 15.27%: the sources conflict) sets how far the lock-up lets it sell."""

    nissan_sells_renault_pct: float = _shared("nissan_sells_renault_pct")
    buyer: str = _shared("buyer")
    renault_share_price_eur: float = _shared("renault_share_price_eur")
    nissan_in_renault_pct: float = _shared("nissan_in_renault_pct")


SHARED_WITH_01 = tuple(f.name for f in fields_of(LedgerParams))


def validate_params(**values: Any) -> LedgerParams:
    """Validate the notebook's parameters, with 01's lock-up rule: Nissan may sell Renault shares
    down to the 10% lock-up and no further (more points when Renault buys them back and cancels
    them, since Renault's capital then shrinks)."""
    __tracebackhide__ = True
    return validate(LedgerParams, NOTEBOOK, values, rules=[_rule_stake, _rule_lockup])


def others_in_renault(as_of: str = ANNOUNCEMENT) -> tuple[float, str]:
    """The share of Renault's capital its other recorded holders hold on ``as_of`` (the French state),
    and who they are in words: the room left for Nissan's stake (01's rule)."""
    from alliancelib.data import load, parse_partial_date

    rows = load("shareholdings")
    rows = rows[(rows["company"] == "Renault") & (rows["holder"] != "Nissan")].copy()
    rows["day"] = [parse_partial_date(d) for d in rows["as_of"]]
    rows = rows[rows["day"] <= parse_partial_date(as_of)].sort_values("day")
    latest = rows.groupby(["holder", "holding"], sort=True).tail(1)
    text = "; ".join(f"{r['holder']} {r['economic_pct']:g}% at {r['as_of']}" for _, r in latest.iterrows())
    return float(latest["economic_pct"].sum()), text or "none recorded"


def _rule_stake(p: LedgerParams) -> None:
    __tracebackhide__ = True
    others, text = others_in_renault()
    room = 100.0 - others
    if p.nissan_in_renault_pct > room + 1e-9:
        raise ParameterError(NOTEBOOK, "nissan_in_renault_pct", p.nissan_in_renault_pct,
                             f"0 to {room:.4g}: other holders of Renault hold the rest at {ANNOUNCEMENT} "
                             f"({text})")


def most_points(p: LedgerParams) -> tuple[float, float, float]:
    """(Nissan's stake before, the lock-up, the most points it may sell) for the parameters' stake and
    buyer (01's rule: a buyback cancels the shares, so Renault's capital shrinks and more points fit)."""
    from alliancelib.data import fact

    before, lockup = p.nissan_in_renault_pct, fact("lockup_after_pct")
    buyer = "buyback" if p.buyer == "renault" else "third_party"
    return before, lockup, max_points_above(before, lockup, buyer)


def _rule_lockup(p: LedgerParams) -> None:
    __tracebackhide__ = True
    before, lockup, most = most_points(p)
    if p.nissan_sells_renault_pct > most + 1e-9:
        raise ParameterError(
            NOTEBOOK, "nissan_sells_renault_pct", p.nissan_sells_renault_pct,
            f"0 to {most:.4g} points: Nissan holds {before:g}% of Renault at {ANNOUNCEMENT} and may not go "
            f"below the lock-up threshold of {lockup:g}% (buyer {p.buyer})")


# --------------------------------------------------------------------------- the ledger


@dataclass(frozen=True)
class Item:
    """One party's side of one ledger item.

    ``key`` names the item (both sides of a transaction share it); ``gets`` is True for what the
    party receives or keeps, False for what it gives or forgoes; ``kind`` is cash, funding (new money
    a company does not raise: not the party's cash), control, option, accounting or product;
    ``amount_eur_m`` is signed from the party's side (None where no money figure exists); ``size``
    is a share or capacity a source gives instead of money; ``status`` is reported, derived,
    parameter, undisclosed or not quantified.
    """

    key: str
    party: str
    gets: bool
    kind: str
    label: str
    what: str
    amount_eur_m: float | None
    size: str
    status: str
    date: str
    source_id: str

    @property
    def quantified(self) -> bool:
        """Whether a source (or the notebook's arithmetic on sourced figures) sizes the item."""
        return self.amount_eur_m is not None or bool(self.size)


def _commitment(investor: str) -> tuple[float, str, str, str]:
    """(EUR m, committed on, ended on, source of the end) of an investor's money commitment to Ampere."""
    from alliancelib.data import load

    c = load("ampere_commitments")
    row = c[(c["investor"] == investor) & c["commitment_eur_m"].notna()].iloc[0]
    return (float(row["commitment_eur_m"]), str(row["committed_on"]), str(row["ended_on"]),
            str(row["status_source_id"]))


def items(p: LedgerParams, option_eur_m: float | None = None) -> list[Item]:
    """Every ledger line, in party order (Renault, Nissan, Mitsubishi Motors)."""
    from alliancelib.data import fact

    nissan_eur, _, nissan_end, nissan_src = _commitment("Nissan")
    mmc_eur, _, mmc_end, mmc_src = _commitment("Mitsubishi Motors")
    if option_eur_m is None:
        option_eur_m = float(headline(p)["nissan_option_proceeds_eur_m"])
    points, price = p.nissan_sells_renault_pct, p.renault_share_price_eur
    before, lockup, _ = most_points(p)
    fcf = fact("india_deal_fcf_impact_eur_m")
    charge, associates = fact(CHARGE), fact("renault_fy2025_nissan_associate_loss_eur_bn")
    capacity = (fact("rnaipl_capacity_renault_units"), fact("rnaipl_capacity_newsdrum_units"))
    trust = 18.66
    # what the deal adds to what Renault may sell of Nissan: the points between the old and the new
    # lock-up (it could already sell down to the old one), at 31 March 2025 prices
    from alliancelib import ownership

    held = ownership.headline(ownership.OwnershipParams())
    free_points = fact("lockup_before_pct") - lockup
    free_value_bn = float(held["renault_stake_in_nissan_value_eur_bn"]) * free_points / float(
        held["renault_in_nissan_economic_pct"])
    # the shares the cancelled money would have bought stay with Renault: their share of Ampere at the
    # CEO's reported pre-money range (our arithmetic: money / (pre-money + money))
    from alliancelib.ampere import CEO_HIGH, CEO_LOW, implied_stake_pct

    money_bn = (nissan_eur + mmc_eur) / 1000
    kept = [float(implied_stake_pct(nissan_eur + mmc_eur, fact(c) + money_bn)) for c in (CEO_HIGH, CEO_LOW)]
    option_what = (f"The lock-up falls from {fact('lockup_before_pct'):g}% to {lockup:g}%; selling "
                   f"{points:g} points "
                   f"of Renault at EUR {price:g} a share")
    out = [
        Item("ampere_nissan", "Renault", False, "funding",
             f"Nissan's EUR {nissan_eur:,.0f}m for Ampere forgone",
             "New equity Ampere will not raise (not Renault's cash); Ampere said it needed no financing from "
             "minority shareholders (2025-05-19), and Renault had said in January 2024 it would fund Ampere "
             "to breakeven itself", -nissan_eur, "", "reported", nissan_end, nissan_src),
        Item("ampere_mmc", "Renault", False, "funding", f"Mitsubishi Motors' EUR {mmc_eur:,.0f}m forgone",
             "New equity Ampere will not raise (not Renault's cash)", -mmc_eur, "", "reported", mmc_end,
             mmc_src),
        Item("ampere_equity", "Renault", True, "control",
             "Keeps all of Ampere: no dilution by the new shares",
             f"The new shares would have given Nissan and Mitsubishi Motors {kept[0]:.1f}% to {kept[1]:.1f}% "
             "of Ampere at the CEO's EUR 8-10bn (our arithmetic); Renault keeps that share, and funds Ampere "
             "itself", None,
             f"{kept[0]:.1f}% to {kept[1]:.1f}% of Ampere", "derived", nissan_end, "nasdaq_ft_20230905"),
        Item("rnaipl_price", "Renault", False, "cash", "Price for Nissan's 51% of RNAIPL",
             "Equity and zero-coupon preference shares of the Chennai plant company, bought from Nissan; "
             "completed 2025-08-01", None, "", "undisclosed", "2025-08-01", "latestly_pti_20250728"),
        Item("rnaipl_cash_flow", "Renault", False, "cash", "India deal's hit to 2025 free cash flow",
             "About EUR 200m, tied to the plant's peak investment year (new models), not the price",
             -fcf, "", "reported", ANNOUNCEMENT, "reuters_fcf_20250331"),
        Item("rnaipl_result", "Renault", True, "control", "The plant company's whole result",
             "Renault's share of RNAIPL's profit or loss, whose amount no source gives", None,
             "49% to 100%", "reported", "2025-08-01", "fortuneindia_20250801"),
        Item("rnaipl_capacity", "Renault", True, "control", "Control of the Chennai plant's capacity",
             "As its sole owner (no source describes the plant's governance); it ran at about a third of "
             "capacity (2025-03)", None,
             f"over {capacity[0]:,.0f} (Renault) or {capacity[1]:,.0f} vehicles a year (sources conflict)",
             "reported",
             "2025-08-01", "renault_202508_india"),
        Item("trust", "Renault", True, "control", "The trust's Nissan shares, untouched",
             "Held for Renault in the French trust (economic rights to Renault, neutral votes)", None,
             f"{trust:g}% of Nissan", "reported", ANNOUNCEMENT, "tuko_afp_20250331"),
        Item("renault_lockup", "Renault", True, "option", "May lower its own Nissan stake to 10%",
             "The lock-up is set at 10% for both sides; Renault holds 35.71% of Nissan (17.05% "
             f"directly); it could already sell down to {fact('lockup_before_pct'):g}%; the value of the "
             f"{free_points:g} points the deal adds is our arithmetic on Nissan's market value of 31 March "
             "2025", None,
             f"lock-up {fact('lockup_before_pct'):g}% to {lockup:g}%: {free_points:g} more points of Nissan "
             f"it may sell, about EUR {free_value_bn:.1f}bn", "derived", ANNOUNCEMENT, "dealerfloor_202507"),
    ]
    if p.buyer == "renault":
        out.append(Item("nissan_option", "Renault", False, "option", "Would buy back Nissan's shares",
                         option_what + " to Renault, which cancels them; not exercised (no sale found)",
                         -option_eur_m, "", "parameter", "2025-06-16", "business_standard_20250616"))
    else:
        out.append(Item("first_refusal", "Renault", True, "option", "Right of first refusal on Nissan's sale",
                        "Any sale of Nissan's Renault shares is coordinated with Renault and includes a "
                        "right "
                        "of first refusal", None, "", "not quantified", "2025-06-16",
                        "business_standard_20250616"))
    out += [
        Item("accounting_charge", "Renault", False, "accounting", "Non-cash loss on the Nissan stake, 2025",
             "From the change in accounting for the stake (fair value from 2025-06-30); Renault's release "
             "(Just Auto: EUR 9.31bn)", -charge * 1000, "", "reported", "2026-02-19",
             "trivano_renault_fy2025"),
        Item("associates", "Renault", False, "accounting", "Nissan's losses as an associate, 2025",
             "Renault's share of Nissan's results in 2025, a loss", -associates * 1000, "", "reported",
             "2026-02-19", "trivano_renault_fy2025"),
        Item("ampere_nissan", "Nissan", True, "cash", "No EUR 600m for Ampere",
             "Released from its July 2023 commitment (with a board seat); agreed to terminate, completion "
             "not confirmed", nissan_eur, "", "reported", nissan_end, nissan_src),
        Item("rnaipl_price", "Nissan", True, "cash", "Is paid for its 51% of RNAIPL",
             "From Renault, for its equity and preference shares in the Chennai plant company", None, "",
             "undisclosed", "2025-08-01", "latestly_pti_20250728"),
        Item("nissan_option", "Nissan", True, "option", f"May sell {points:g} points of Renault",
             option_what + ("; Renault buys them back" if p.buyer == "renault" else "") + "; not exercised "
                                                                                          "as "
             "of the news date (no sale found)", option_eur_m, "", "parameter", ANNOUNCEMENT,
             "dealerfloor_202507"),
        Item("rnaipl_result", "Nissan", False, "control", "Gives up its 51% of the Chennai plant company",
             "Its equity and preference shares in RNAIPL, and with them its share of the plant's result",
             None, "51% of RNAIPL", "reported", "2025-08-01",
             "fortuneindia_20250801"),
        Item("rnaipl_customer", "Nissan", False, "control", "Becomes a customer at Chennai",
             "Its models (the Magnite; the Gravite since 2026) are built in a plant it no longer co-owns; "
             "no supply terms are in the sources", None, "", "undisclosed", "2025-08-01",
             "thehindu_models_2026"),
        Item("twingo_ev", "Nissan", True, "product", "A small EV based on the Twingo",
             "Designed by Nissan, developed and built by Renault's Ampere; terms not disclosed", None, "",
             "not quantified", ANNOUNCEMENT, "indianautosblog_20250331"),
        Item("ampere_mmc", "Mitsubishi Motors", True, "cash", "No EUR 200m for Ampere",
             "Decided not to invest (it had been scheduled for the end of 2024; whether any was paid in was "
             "not found)", mmc_eur, "", "reported", mmc_end, mmc_src),
    ]
    return out


CHARGE = "renault_fy2025_nissan_noncash_loss_eur_bn"  # Renault's release (9.3); Just Auto gives 9.31
CHARGE_OTHER = "renault_fy2025_nissan_charge_eur_bn"


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
        rows.append({"ledger_party": it.party, "ledger_direction": "gets" if it.gets else "gives",
                     "ledger_item": it.label, "ledger_what": it.what, "ledger_amount": amount,
                     "ledger_kind": it.kind, "date": it.date, "source_id": it.source_id})
    return pd.DataFrame(rows)


def _party_table(table: pd.DataFrame, party: str) -> pd.DataFrame:
    """One party's lines, gives or gets and the kind of item in one column (narrow enough for a phone)."""
    out = table[table["ledger_party"] == party].copy()
    out["ledger_direction"] = out["ledger_direction"] + " (" + out["ledger_kind"] + ")"
    return out.drop(columns=["ledger_party", "ledger_kind"])


def unquantified(lines: Sequence[Item]) -> list[str]:
    """The items no source quantifies (by key, both sides of a transaction counted once)."""
    seen: dict[str, Item] = {}
    for it in lines:
        if not it.quantified:
            seen.setdefault(it.key, it)
    return list(seen)


def distinct_items(lines: Sequence[Item]) -> int:
    """How many items the ledger holds (both sides of a transaction counted once)."""
    return len({it.key for it in lines})


# --------------------------------------------------------------------------- results

RESULTS = [
    ResultSpec("nissan_option_proceeds_eur_m", "EUR m", "What Nissan's option to sell Renault shares would "
                                                        "raise", 0),
    ResultSpec("ampere_commitments_avoided_eur_m", "EUR m",
               "Ampere commitments Nissan and Mitsubishi Motors no longer have to make", 0),
    ResultSpec("renault_nissan_accounting_charge_eur_bn", "EUR bn",
               "Renault's 2025 non-cash loss on its Nissan stake", 1),
    ResultSpec("renault_nissan_associates_loss_eur_bn", "EUR bn",
               "Renault's 2025 share of Nissan's losses as an associate", 1),
    ResultSpec("renault_quantified_cash_eur_m", "EUR m", "Renault's cash items that a source quantifies", 0),
    ResultSpec("nissan_quantified_cash_eur_m", "EUR m",
               "Nissan's cash items that a source quantifies (option left out)", 0),
    ResultSpec("mitsubishi_quantified_cash_eur_m", "EUR m",
               "Mitsubishi Motors' cash items that a source quantifies", 0),
    ResultSpec("undisclosed_items", "items", "Ledger items that no source quantifies", 0),
    ResultSpec("ledger_items", "items", "Items in the ledger", 0),
]
OPTIONAL_RESULTS: tuple[str, ...] = ()

NO_RANGE = {
    "ampere_commitments_avoided_eur_m": "reported commitments: no range",
    "renault_nissan_accounting_charge_eur_bn": "reported figure: no range (Just Auto gives EUR 9.31bn)",
    "renault_nissan_associates_loss_eur_bn": "reported figure: no range",
    "renault_quantified_cash_eur_m": "reported figures: no range",
    "nissan_quantified_cash_eur_m": "reported figure: no range",
    "mitsubishi_quantified_cash_eur_m": "reported figure: no range",
    "undisclosed_items": "a count of the ledger: no range",
    "ledger_items": "a count of the ledger: no range",
}


def headline(p: LedgerParams, **draws: Any) -> dict[str, Any]:
    """The headline results; ``renault_share_price_eur`` (or any parameter) may be an array."""
    points = draws.get("nissan_sells_renault_pct", p.nissan_sells_renault_pct)
    price = draws.get("renault_share_price_eur", p.renault_share_price_eur)
    k = _ledger_sums(p.buyer, _data_stamp())
    return {"nissan_option_proceeds_eur_m": sale_proceeds_eur_m(points, k["shares"], price),
            **{name: value for name, value in k.items() if name != "shares"}}


def _data_stamp() -> tuple[Any, ...]:
    from alliancelib.ampere import data_stamp

    return data_stamp()


@functools.lru_cache(maxsize=16)
def _ledger_sums(buyer: str, stamp: tuple[Any, ...]) -> dict[str, Any]:
    """What the results take from the ledger and the data, which depends on the buyer alone: the
    cash sums by party (options are not cash) and the counts of items."""
    from alliancelib.data import fact

    lines = items(LedgerParams(buyer=buyer, nissan_sells_renault_pct=0.0), option_eur_m=0.0)
    cash = {party: sum(it.amount_eur_m for it in lines
                       if it.party == party and it.kind == "cash" and it.amount_eur_m is not None)
            for party in PARTIES}
    return {
        "shares": fact("renault_shares_outstanding"),
        "ampere_commitments_avoided_eur_m": _commitment("Nissan")[0] + _commitment("Mitsubishi Motors")[0],
        "renault_nissan_accounting_charge_eur_bn": fact(CHARGE),
        "renault_nissan_associates_loss_eur_bn": fact("renault_fy2025_nissan_associate_loss_eur_bn"),
        "renault_quantified_cash_eur_m": cash["Renault"],
        "nissan_quantified_cash_eur_m": cash["Nissan"],
        "mitsubishi_quantified_cash_eur_m": cash["Mitsubishi Motors"],
        "undisclosed_items": len(unquantified(lines)),
        "ledger_items": distinct_items(lines),
    }


def conclusions(p: LedgerParams) -> list[Conclusion]:
    """The threshold statements the findings make."""
    ampere = _commitment("Nissan")[0]
    return [Conclusion("option_above_ampere", "nissan_option_proceeds_eur_m", lambda v: v > ampere,
                       f"Nissan's option raises more than the EUR {ampere:,.0f}m it no longer has to put "
                       "into Ampere")]



# --------------------------------------------------------------------------- words


def money(value: float, unit: str = "EUR m", decimals: int = 0) -> str:
    """An amount as the text shows it.

    >>> money(679.27), money(-1000), money(9.3, "EUR bn", 1)
    ('EUR 679m', '−EUR 1,000m', 'EUR 9.3bn')
    """
    return format_quantity(float(value), unit, decimals)


def about(value_eur_m: float) -> str:
    """An amount in EUR m rounded as a reader says it: to EUR 10m, or EUR 0.1bn from EUR 1bn.

    >>> about(679.27), about(464.0), about(1000.0), about(1250.0)
    ('EUR 680m', 'EUR 460m', 'EUR 1.0bn', 'EUR 1.2bn')
    """
    v = abs(float(value_eur_m))
    if v >= 1000:
        return f"EUR {v / 1000:.1f}bn"
    return f"EUR {round(v, -1):,.0f}m"


# --------------------------------------------------------------------------- the analysis


@dataclass(frozen=True, kw_only=True)
class Analysis(AnalysisBase):
    """Everything notebook 05 shows, computed once from the parameters."""

    p: LedgerParams
    items: list[Item]


GAPS = ("rnaipl_price", "nissan_sale_of_renault", "lockup_completion", "ampere_exit_completion",
        "mmc_ampere_paid",
        "ampere_merger_done", "nissan_stake_value_2025", "renault_h1_2026")
EXTRA_SOURCES = ("ecb_eurofxref", "seed_autoexpert", "trivano_renault_fy2025", "justauto_renault_fy2025",
                 "brecorder_reuters_20250701", "renault_urd_2020_p448", "boursorama_aof_20250331",
                 "sowetan_reuters_20250617", "motorfan_314996", "ane_202503_rnaipl", "newsdrum_pti_20250331",
                 "journalauto_20250716", "frinfos_afp_20260219", "tbs_bloomberg_20250401",
                 "business_standard_20250616", "tuko_afp_20250331", "rediff_20250331")


def analyse(p: LedgerParams) -> Analysis:
    """Everything notebook 05 shows, computed once."""
    from alliancelib import uncertainty
    from alliancelib.data import load
    from alliancelib.report import sources_used

    v = headline(p)
    concl = conclusions(p)
    a = uncertainty.assess(p, headline, results=RESULTS, conclusions=concl)
    ranges = a.result_ranges()
    results = make_results(RESULTS, v, ranges=ranges, no_range=NO_RANGE)
    lines = items(p, option_eur_m=float(v["nissan_option_proceeds_eur_m"]))
    k = _context(p, v, a)
    gaps = load("gaps").set_index("gap_id").loc[list(GAPS)].reset_index()
    table = ledger_table(lines)
    tables = {
        "ledger": table,
        **{f"ledger_{party}": _party_table(table, party) for party in PARTIES},
        "accounting": _accounting_table(),
        "unknown": ledger_table([it for it in lines if not it.quantified])[
            ["ledger_party", "ledger_item", "ledger_what", "ledger_amount", "source_id"]],
        "gaps": gaps[["what", "status", "note"]].fillna(""),
        "ranges": uncertainty.ranges_table(p),
    }
    source_ids = sources_used([tables["ledger"], tables["accounting"]], EXTRA_SOURCES)
    k["news"] = _news(source_ids)
    return Analysis(p=p, values=v, results=results, assessment=a, conclusions=concl,
                    findings=_findings(p, v, a, k, lines), since=_since(k), news_as_of=k["news"],
                    fx_as_of=k["fx_as_of"], source_ids=source_ids, unreached="; ".join(gaps["what"]) + ".",
                    texts=_texts(p, v, a, k, lines), tables=tables, items=lines,
                    facts={name: k[name] for name in FACT_KEYS})


FACT_KEYS = ("charge", "charge_other", "charge_july", "associates", "shares", "option_low", "option_high",
             "breakeven_price", "before", "lockup", "most", "utilisation", "plan_jpy_bn", "plan_eur_m")


def _news(source_ids: Sequence[str]) -> str:
    from alliancelib.data import news_as_of

    return news_as_of(source_ids)


def _context(p: LedgerParams, v: Mapping[str, Any], a: Assessment) -> dict[str, Any]:
    """The sourced figures the words need, and the option's plausible span."""
    from alliancelib import fx
    from alliancelib.data import fact, load
    from alliancelib.params import plausible_of

    before, lockup, most = most_points(p)
    facts = load("facts").set_index("fact_id")
    plan = fx.ecb_rate("JPY", str(facts.at["nissan_plan_sale_jpy_bn", "as_of"]))
    pl = plausible_of(LedgerParams, "renault_share_price_eur")
    shares = fact("renault_shares_outstanding")
    low_price, high_price = ((float(pl.low), float(pl.high))
                             if pl is not None and pl.low is not None and pl.high is not None
                             else (p.renault_share_price_eur, p.renault_share_price_eur))
    ampere = _commitment("Nissan")[0]
    verdict = a.verdicts["option_above_ampere"]
    breakeven = (verdict.breakeven[1] if verdict.breakeven is not None
                 else ampere * 1e6 / (p.nissan_sells_renault_pct / 100 * shares)
                 if p.nissan_sells_renault_pct > 0 else float("nan"))
    return {
        "charge": fact(CHARGE), "charge_other": fact(CHARGE_OTHER),
        "charge_july": fact("renault_nissan_fair_value_loss_eur_bn"),
        "associates": fact("renault_fy2025_nissan_associate_loss_eur_bn"), "shares": shares,
        "option_low": float(sale_proceeds_eur_m(p.nissan_sells_renault_pct, shares, low_price)),
        "option_high": float(sale_proceeds_eur_m(p.nissan_sells_renault_pct, shares, high_price)),
        "low_price": low_price, "high_price": high_price, "breakeven_price": float(breakeven),
        "before": before, "lockup": lockup, "most": most, "ampere_nissan": ampere,
        "ampere_total": ampere + _commitment("Mitsubishi Motors")[0],
        "utilisation": fact("rnaipl_utilisation_2025_pct"), "fx_as_of": plan.fixing_date.isoformat(),
        "plan_jpy_bn": fact("nissan_plan_sale_jpy_bn"), "plan_eur_m": fact("nissan_plan_sale_jpy_bn") * 1000
        / plan.rate_per_eur, "plan_rate": plan,
    }






def _accounting_table() -> pd.DataFrame:
    """The accounting figures side by side, the one used first."""
    from alliancelib.data import load

    facts = load("facts").set_index("fact_id")
    rows = []
    for fid, used in ((CHARGE, "used: Renault's own release"), (CHARGE_OTHER, "shown: a secondary report"),
                      ("renault_nissan_fair_value_loss_eur_bn", "shown: the estimate when the switch was "
                                                                "announced"),
                      ("renault_fy2025_nissan_associate_loss_eur_bn", "used"),
                      ("renault_fy2025_net_loss_eur_bn", "context")):
        r = facts.loc[fid].to_dict()
        rows.append({"description": r["description"], "ledger_eur_bn": float(r["value"]), "as_of": r["as_of"],
                     "ledger_use": used, "source_id": r["source_id"]})
    return pd.DataFrame(rows)


def _findings(p: LedgerParams, v: Mapping[str, Any], a: Assessment, k: Mapping[str, Any],
              lines: Sequence[Item]) -> list[Finding]:
    from alliancelib import uncertainty

    option = float(v["nissan_option_proceeds_eur_m"])
    points = p.nissan_sells_renault_pct
    verdict = a.verdicts["option_above_ampere"]
    span = a.result_ranges().get("nissan_option_proceeds_eur_m")
    if "renault_share_price_eur" in a.held or span is None:
        robust = ("The share price is set outside the prices reported since the announcement and held there, "
                  "so "
                  "the option's value has no range.")
    else:
        robust = (f"At the Renault prices reported since (EUR {k['low_price']:g} to {k['high_price']:g}) the "
                  f"option would raise {about(span[0])} to {about(span[1])} in 90% of plausible cases; it "
                  "beats "
                  f"the Ampere money only above about EUR {k['breakeven_price']:.1f} a share, in "
                  f"{uncertainty.percent(float(verdict.share or 0))} of plausible cases.")
    buyer = ("to Renault itself (which would cancel them)" if p.buyer == "renault" else
             "in the market (a sale is coordinated with Renault, which has a right of first refusal)")
    f1 = Finding(
        "nissan-is-paid",
        "On 31 March 2025 Nissan agreed to stop paying and start being paid: it is released from its "
        f"commitment of up to **{money(k['ampere_nissan'])}** to Ampere (completion was expected by the end "
        "of May 2025; no completion notice was found), it is paid an undisclosed price for its 51% of the "
        f"Chennai plant, and it may sell **{points:g} points** of Renault {buyer} for "
        f"**about {about(option)}** at EUR {p.renault_share_price_eur:g} a share, an option not exercised "
        "as of the news date: cash for "
        "shares of the same market value, so liquidity rather than a gain (and a block may sell below the "
        f"market price). {robust}",
        anchor=anchor_for(SECTION_CASH), headline=True, holds_pct=None if verdict.share is None
        else verdict.share * 100, flips=a.flips("option_above_ampere"))
    renault_cash = float(v["renault_quantified_cash_eur_m"])
    kept = next(it.size for it in lines if it.key == "ampere_equity")
    f2 = Finding(
        "renault-pays",
        f"Renault's own cash moves little: **{about(renault_cash)}** off its 2025 free cash flow "
        "for Chennai, plus a price for the plant no source discloses; in return it gets 100% of a "
        "plant that ran at about a third of its capacity, and the trust's 18.66% of Nissan is "
        f"untouched. Ampere will not raise the EUR {k['ampere_total']:,.0f}m Nissan and Mitsubishi "
        "Motors had committed (whether Mitsubishi Motors had paid any of its part in was not found), but "
        "that was new equity, not Renault's cash: Renault is not diluted by the "
        f"{kept} the money would have bought. Reported figures: no range.",
        anchor=anchor_for(SECTION_CASH), headline=True)
    ratio = k["charge"] * 1000 / abs(renault_cash) if renault_cash else float("nan")
    f3 = Finding(
        "accounting-dwarfs-cash",
        f"The biggest number is not cash: Renault booked a **EUR {k['charge']:g}bn** non-cash loss on its "
        "Nissan "
        f"stake in 2025 (its own release; Just Auto gives EUR {k['charge_other']:g}bn) and EUR "
        f"{k['associates']:g}bn "
        "of Nissan's losses as an associate: the first alone is "
        f"**{int(ratio + 0.5)} times** Renault's quantified "
        "cash items, for scale only: a paper loss on shares it still holds, not money spent. Reported "
        "figures: no range.",
        anchor=anchor_for(SECTION_ACCOUNTING))
    n_unknown, n_items = int(v["undisclosed_items"]), int(v["ledger_items"])
    f4 = Finding(
        "what-no-source-says",
        f"**{n_unknown} of the {n_items} items** have no figure in any source, the price of Nissan's 51% of "
        "the "
        "Chennai plant above all; Mitsubishi Motors' only line is the **EUR 200m** it decided not to "
        "invest in Ampere. "
        "A count of the ledger: no range.",
        anchor=anchor_for(SECTION_UNKNOWN))
    return [f1, f2, f3, f4]


def _since(k: Mapping[str, Any]) -> str:
    return ("Renault completed the Chennai purchase on 1 August 2025 (price still undisclosed) and has held "
            "its "
            "Nissan stake at fair value since 30 June 2025; when Nissan's plan to sell Renault shares was "
            "reported in June 2025, no decision had been made, and no sale was found; Ampere is to be folded "
            "back into Renault (target 1 July 2026, not confirmed). The newest news this report uses is "
            f"from {say_date(k['news'])}.")


def _texts(p: LedgerParams, v: Mapping[str, Any], a: Assessment, k: Mapping[str, Any],
           lines: Sequence[Item]) -> dict[str, str]:
    from alliancelib import uncertainty

    points, price = p.nissan_sells_renault_pct, p.renault_share_price_eur
    option = float(v["nissan_option_proceeds_eur_m"])
    how = "a buyback by Renault, which cancels the shares" if p.buyer == "renault" else "a sale in the market"
    out = {
        "option": (
            f"**Worked example.** Nissan holds {k['before']:g}% of Renault and may go down to the "
            f"{k['lockup']:g}% "
            f"lock-up: at most {k['most']:.4g} points "
            f"({how}). "
            f"Selling {points:g} points of Renault's {k['shares']:,.0f} shares at EUR {price:g} raises "
            f"$\\frac{{{points:g}}}{{100}} \\times {k['shares'] / 1e6:,.1f}\\text{{m}} \\times {price:g} = "
            f"{option:,.1f}$, that is **{money(option)}**. Bloomberg estimated about EUR 690m on 1 April "
            "2025; "
            f"Nissan's own plan of June 2025 spoke of about JPY {k['plan_jpy_bn']:g}bn, "
            f"{money(k['plan_eur_m'])} at {k['plan_rate'].describe()}. No sale was found."),
        "charge": (
            f"Renault's release gives the 2025 non-cash loss as **EUR {k['charge']:g}bn**; Just Auto gives "
            f"EUR {k['charge_other']:g}bn. The ledger uses Renault's own figure, the primary source; the two "
            f"differ only in rounding. When Renault announced the switch to fair value (1 July 2025) Reuters "
            f"put the loss at about EUR {k['charge_july']:g}bn. Add EUR {k['associates']:g}bn of Nissan's "
            "losses "
            "as an associate: the cross-shareholding cost Renault far more on paper in 2025 than the deal "
            "moved in "
            "cash."),
    }
    if "renault_share_price_eur" in a.held or "renault_share_price_eur" not in a.inputs:
        out["robustness"] = ("- *The option's value*: the share price is set outside the prices reported "
                             "since the "
                             "announcement, so it is held there and the option's value has no range.")
    else:
        out["robustness"] = (
            f"- *{a.verdicts['option_above_ampere'].statement}*: "
            f"{uncertainty.robustness_sentence(a, 'option_above_ampere')} The input that moves it is "
            "Renault's "
            f"share price, over the range of prices reported since the announcement (EUR {k['low_price']:g} "
            "to "
            f"{k['high_price']:g}); Nissan's stake in Renault (15% or 15.27%) changes how many points the "
            "lock-up "
            "allows, not what the points chosen raise.\n"
            "- *Renault's cash cost (about EUR 200m of 2025 free cash flow, plus the undisclosed price); the "
            "accounting charge; the count of what no source quantifies*: reported figures, no range.")
    return out


# --------------------------------------------------------------------------- charts


# the parameters the main chart depends on: the what-if explorer (alliancelib.explorer) redraws it only
# when one of them changes (tests/test_explorer.py checks that no other parameter changes it)
MAIN_CHART_PARAMS = ("nissan_sells_renault_pct", "buyer", "renault_share_price_eur")


def main_chart(a: Analysis) -> Any:
    """The notebook's main chart (the cash each party gives and gets), the first of :func:`figures`; the
    what-if explorer redraws it alone at every change."""
    from alliancelib import charts

    option = float(a.values["nissan_option_proceeds_eur_m"])
    return charts.Chart(
        "cash", plot_cash(a),
        alt=f"{_cash_title(a)}. Bars per party: Renault gives EUR 200m of free cash flow and pays an "
            "undisclosed price (the EUR 800m Ampere does not raise is new equity, not Renault's cash, and is "
            f"not drawn); Nissan keeps EUR 600m, is paid the undisclosed price and may raise {money(option)} "
            "by its option; Mitsubishi Motors keeps EUR 200m.",
        source="Sources: Reuters, Sowetan, GBAF, Sakshi Post/IANS, LatestLY/PTI (RNAIPL), Renault shares "
               "outstanding (Renault); the option at the share price chosen. Undisclosed items are marked, "
               "not drawn to scale.")


def figures(a: Analysis) -> list[Any]:
    """Every chart of notebook 05: the diverging cash chart and the range chart."""
    from alliancelib import charts
    from alliancelib.uncertainty import plot_ranges

    # the bar's numbers rounded as the title and the findings say them (to EUR 10m)
    ranges = plot_ranges(a.assessment, RESULTS, title=_ranges_title(a),
                         fmt=lambda spec, value: about(value) if spec.unit == "EUR m" else format_quantity(
                             value, spec.unit, spec.decimals))
    ranges.axes[0].set_xlabel("Bar: 5th to 95th percentile of plausible cases, stretched to the value at the "
                              "defaults (dot)\nwhere it lies beyond. Each row to its own scale from zero.")
    return [
        main_chart(a),
        charts.Chart("ranges", ranges,
                     source="Monte Carlo over the plausible inputs (100,000 seeded draws) through the "
                            "notebook's "
                            "own formulas; ranges: 5th to 95th percentile, stretched to the value at the "
                            "defaults.",
                     alt=f"{_ranges_title(a)}. One bar: the option's proceeds across the plausible share "
                         "prices."),
    ]


def _ranges_title(a: Analysis) -> str:
    r = a.assessment.result_ranges().get("nissan_option_proceeds_eur_m")
    if r is None:
        return "No uncertain input moves the headline results"
    return (f"Only Renault's share price moves the results: Nissan's option would raise {about(r[0])} "
            f"to {about(r[1])}")


def _cash_title(a: Analysis) -> str:
    v = a.values
    return (f"Renault gives up {about(-float(v['renault_quantified_cash_eur_m']))} of quantified cash; "
            "Nissan keeps "
            f"{about(float(v['nissan_quantified_cash_eur_m']))} and may raise about "
            f"{about(float(v['nissan_option_proceeds_eur_m']))}; the Chennai price is undisclosed")


def plot_cash(a: Analysis) -> Any:
    """The cash items of each party as bars from zero (gives to the left, gets to the right), options
    hatched, undisclosed items as marked placeholders of no length in money."""
    from matplotlib.patches import Rectangle

    from alliancelib import charts

    rows = [it for it in a.items if it.kind in ("cash", "option") and (it.amount_eur_m is not None
                                                                       or it.status == "undisclosed")]
    fig, ax = charts.figure(8.8, 1.2 + 0.5 * (len(rows) + len(PARTIES)))
    span = max([abs(it.amount_eur_m) for it in rows if it.amount_eur_m is not None] + [100.0])
    placeholder = span * 0.28
    left_edge = -span * 1.5
    ax.text(-span * 0.04, 0.9, "\u2190 gives or forgoes", ha="right", va="center", fontsize=8.5,
            color="#555555")
    ax.text(span * 0.04, 0.9, "gets or keeps \u2192", ha="left", va="center", fontsize=8.5, color="#555555")
    y, ticks, labels = 0.0, [], []
    for party in PARTIES:
        mine = [it for it in rows if it.party == party]
        if not mine:
            continue
        ax.text(left_edge + span * 0.03, y, party, fontsize=10, fontweight="bold",
                color=charts.PALETTE[party], va="center")
        y -= 1
        for it in mine:
            colour = charts.PALETTE[party]
            if it.amount_eur_m is not None:
                hatch = "///" if it.kind == "option" else None
                ax.barh(y, it.amount_eur_m, height=0.6, color=colour, alpha=0.45 if hatch else 0.9,
                        hatch=hatch, edgecolor=colour, lw=0.8)
                text = money(it.amount_eur_m) + (" (option)" if it.kind == "option" else "")
                x = it.amount_eur_m
                ax.text(x + (span * 0.03 if x >= 0 else -span * 0.03), y, text, va="center",
                        ha="left" if x >= 0 else "right", fontsize=8.5, color="#333333")
            else:
                left = 0 if it.gets else -placeholder
                ax.add_patch(Rectangle((left, y - 0.3), placeholder, 0.6, facecolor="#f0f0f0",
                                       edgecolor=charts.PALETTE["muted"], ls="--", lw=0.9))
                ax.text(left + placeholder / 2, y, "?", ha="center", va="center", fontsize=10,
                        color=charts.PALETTE["muted"], fontweight="bold")
                ax.text(placeholder * 1.1 if it.gets else -placeholder * 1.1, y, "undisclosed, not to scale",
                        va="center", ha="left" if it.gets else "right", fontsize=8, color="#555555",
                        style="italic")
            ticks.append(y)
            labels.append(it.label)
            y -= 1
        y -= 0.4
    ax.axvline(0, color="#333333", lw=0.9)
    ax.set_yticks(ticks, [charts.wrap(t, 2.6, 9) for t in labels], fontsize=9)
    ax.set_ylim(y + 0.6, 1.4)
    ax.set_xlim(left_edge, span * 1.6)
    step = 250.0 if span <= 1200 else 500.0 if span <= 3000 else 10 ** np.floor(np.log10(span))
    ax.set_xticks(np.arange(-np.floor(span / step) * step, span + 1e-9, step))
    charts.thousands(ax, "x")
    ax.grid(axis="y", visible=False)
    charts.style_axes(ax, title=_cash_title(a), xlabel="cash, EUR m (hatched: an option not exercised)")
    ax.tick_params(axis="y", length=0)
    return fig
