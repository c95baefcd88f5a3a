"""Ampere: two successive ceilings on Nissan's investment, what the money would have bought, what
it weighed in yen and against Renault's cash flow, and how the story ended.

Valuations are EUR bn, commitments EUR m.

**Stakes.** New money ``c`` into a company worth ``pre`` before the money (pre-money) buys
``c / post`` of it, ``post = pre + all new money`` (post-money); Renault, which held 100% before the
round, keeps ``pre / post``. Nissan's commitment had two successive ceilings: "up to 15%" of Ampere
(February 2023), then in July 2023 "up to EUR 600m" (the sources do not say the one replaced the
other). Shown together, a ceiling on the stake means Nissan never holds more than the cap: where
EUR 600m would buy more (a post-money below ``600 / 15% = EUR 4bn``), it puts in only what buys
the cap, ``x = cap / (1 - cap) x (pre + m)`` with ``m`` the other new money, and the post-money
shrinks accordingly. So the stake is ``min(c / (pre + c + m), cap)`` and every holder's stakes
still add up to 100%.

**The notebook's pattern** (``docs/architecture.md``): :class:`AmpereParams`, :func:`headline`
(vectorised over the pre-money valuation for the uncertainty analysis), :data:`RESULTS`,
:data:`CONCLUSIONS`, :func:`analyse` (everything the notebook shows) and :func:`figures`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from alliancelib import fx
from alliancelib.analysis import Analysis as AnalysisBase
from alliancelib.analysis import pct, say_date
from alliancelib.findings import Finding, anchor_for
from alliancelib.params import IsoDate, Number, Optional, Plausible, param, validate
from alliancelib.results import ResultSpec, format_quantity, make_results
from alliancelib.uncertainty import Assessment, Conclusion

NOTEBOOK = "04_ampere_investment"

# the notebook's section headings (findings link to them)
SECTION_STAKES = "Two ceilings, not a valuation"
SECTION_YEN = "What the commitment weighed in yen"
SECTION_ENDING = "The ending: no outside money found, and Ampere to be folded back into Renault"
SECTION_SURE = "How sure is this?"

CEO_LOW, CEO_HIGH = "ampere_ceo_valuation_low_eur_bn", "ampere_ceo_valuation_high_eur_bn"
STAKE_TABLE_PRE_MONEY = (4.0, 6.0, 8.0, 9.0, 10.0, 12.0, 15.0)


# --------------------------------------------------------------------------- arithmetic


def post_money_eur_bn(pre_money_eur_bn: Any, *commitments_eur_m: Any) -> Any:
    """Post-money valuation: pre-money plus every commitment (EUR bn).

    >>> post_money_eur_bn(10.0, 600, 200)
    10.8
    """
    return pre_money_eur_bn + sum(commitments_eur_m) / 1000


def implied_stake_pct(commitment_eur_m: Any, post_money_eur_bn: Any) -> Any:
    """Stake (%) new money buys at a post-money valuation.

    >>> round(implied_stake_pct(600, 10.8), 4)
    5.5556
    """
    return commitment_eur_m / 1000 / post_money_eur_bn * 100


def existing_holder_stake_pct(pre_money_eur_bn: Any, post_money_eur_bn: Any,
                              held_before_pct: float = 100.0) -> Any:
    """Stake (%) of a holder of ``held_before_pct`` before the round, after it (diluted).

    >>> round(existing_holder_stake_pct(10, 10.8), 4)
    92.5926
    """
    return held_before_pct * pre_money_eur_bn / post_money_eur_bn


def valuation_for_stake_eur_bn(commitment_eur_m: Any, stake_pct: Any) -> Any:
    """Post-money valuation (EUR bn) at which ``commitment_eur_m`` buys exactly ``stake_pct``:
    below it a stake ceiling, not the money, limits the investor.

    >>> valuation_for_stake_eur_bn(600, 15)
    4.0
    """
    stake = np.asarray(stake_pct, dtype=float)
    if np.any(stake <= 0):
        raise ValueError("the stake must be positive")
    out = np.asarray(commitment_eur_m, dtype=float) / 1000 / (stake / 100)
    return float(out) if out.ndim == 0 else out


def capped_investment_eur_m(commitment_eur_m: Any, pre_money_eur_bn: Any, other_eur_m: Any,
                            cap_pct: Any) -> Any:
    """What an investor with a money ceiling and a stake ceiling puts in: all its money, or only
    what buys exactly ``cap_pct`` when the money would buy more.

    Buying a share ``k`` with the others' ``other_eur_m`` also coming in takes
    ``x = k / (1 - k) x (pre + other)`` (solve ``x / (pre + x + other) = k``). A cap of 100% never
    binds.

    >>> capped_investment_eur_m(600, 10.0, 200, 15)  # EUR 600m buys 5.6%: all of it goes in
    600.0
    >>> round(capped_investment_eur_m(600, 2.0, 200, 15), 4)  # 600m would buy 21.4%: only 388m
    388.2353
    """
    c = np.asarray(commitment_eur_m, dtype=float)
    k = np.asarray(cap_pct, dtype=float) / 100
    base = np.asarray(pre_money_eur_bn, dtype=float) * 1000 + np.asarray(other_eur_m, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        cap_amount = np.where(k < 1, k / np.where(k < 1, 1 - k, 1.0) * base, np.inf)
    out = np.minimum(c, cap_amount)
    return float(out) if out.ndim == 0 else out


def round_stakes(pre_money_eur_bn: Any, nissan_eur_m: Any, mitsubishi_eur_m: Any,
                 nissan_cap_pct: Any = 100.0) -> dict[str, Any]:
    """The round at one (or many) pre-money valuations: what Nissan puts in (capped), the
    post-money value and each holder's stake (Nissan at most its cap; the three add up to 100).

    >>> r = round_stakes(10.0, 600, 200, 15)
    >>> round(float(r["post_money_eur_bn"]), 4), round(float(r["nissan_pct"]), 4)
    (10.8, 5.5556)
    >>> round(float(round_stakes(2.0, 600, 200, 15)["nissan_pct"]), 6)  # the ceiling binds
    15.0
    """
    pre = np.asarray(pre_money_eur_bn, dtype=float)
    nissan_in = capped_investment_eur_m(nissan_eur_m, pre, mitsubishi_eur_m, nissan_cap_pct)
    post = post_money_eur_bn(pre, nissan_in, mitsubishi_eur_m)
    return {
        "nissan_invested_eur_m": nissan_in,
        "post_money_eur_bn": post,
        "nissan_pct": implied_stake_pct(nissan_in, post),
        "mitsubishi_pct": implied_stake_pct(mitsubishi_eur_m, post),
        "renault_pct": existing_holder_stake_pct(pre, post),
    }


def stake_table(pre_money_eur_bn: Sequence[float] | np.ndarray, nissan_eur_m: float, mitsubishi_eur_m: float,
                nissan_cap_pct: float = 100.0) -> pd.DataFrame:
    """Stakes of Nissan, Mitsubishi Motors and Renault at a list of pre-money valuations, with the
    reader columns of ``alliancelib.fields`` (section 04 ampere)."""
    pre = np.asarray(pre_money_eur_bn, dtype=float)
    r = round_stakes(pre, nissan_eur_m, mitsubishi_eur_m, nissan_cap_pct)
    return pd.DataFrame({
        "ampere_pre_money_eur_bn": pre,
        "ampere_post_money_eur_bn": np.broadcast_to(r["post_money_eur_bn"], pre.shape),
        "ampere_nissan_stake_pct": np.broadcast_to(r["nissan_pct"], pre.shape),
        "ampere_mitsubishi_stake_pct": np.broadcast_to(r["mitsubishi_pct"], pre.shape),
        "ampere_renault_stake_pct": np.broadcast_to(r["renault_pct"], pre.shape),
    })


def amount_in_jpy_bn(amount_eur_m: Any, jpy_per_eur: Any) -> Any:
    """EUR m at a JPY-per-EUR rate, in JPY bn.

    >>> round(amount_in_jpy_bn(600, 161.60), 2)
    96.96
    """
    return amount_eur_m * jpy_per_eur / 1000


# --------------------------------------------------------------------------- parameters


@dataclass(frozen=True)
class AmpereParams:
    """Parameters of ``04_ampere_investment``. The bounds keep every input within what a company,
    a commitment or an exchange rate can be (EUR 10m to EUR 1tn for Ampere's value, at most EUR 100bn
    committed, a stake ceiling of at least 0.01%, 0.1-10 dollars and 10-1,000 yen per euro)."""

    pre_money_eur_bn: float = param(
        10.0, Number(minimum=0.01, maximum=1000), "Ampere's value before the new money, EUR bn",
        label="Ampere's value before the new money", unit="EUR bn",
        plausible=Plausible(8.0, 10.0, "De Meo's 'eight, nine, 10 billion' euros (FT via Nasdaq, "
                            "2023-09-05): a remark, not a price; pre- or post-money not stated", "spread"))
    nissan_commitment_eur_m: float = param(600.0, Number(minimum=0, maximum=100_000),
                                           "Nissan's commitment, EUR m (up to 600, 2023)",
                                           label="Nissan's commitment", unit="EUR m")
    mitsubishi_commitment_eur_m: float = param(200.0, Number(minimum=0, maximum=100_000),
                                               "Mitsubishi Motors' commitment, EUR m (up to 200, 2023)",
                                               label="Mitsubishi Motors' commitment", unit="EUR m")
    nissan_stake_cap_pct: float = param(15.0, Number(minimum=0.01, maximum=100),
                                        "Nissan's stake cap (up to 15%, 2023)",
                                        label="Nissan's stake ceiling of February 2023", unit="%")
    fx_date: str = param("2025-03-31",
                         IsoDate(bounds=lambda: fx.held_range("USD"),
                                 bounds_label=" (ECB fixings held)"),
                         "date of the ECB rates used (YYYY-MM-DD)", label="Date of the exchange rates")
    eur_usd: float | None = param(None, Optional(Number(minimum=0.1, maximum=10)),
                                  "USD per EUR; None uses the ECB rate of fx_date", label="Dollars per euro")
    eur_jpy: float | None = param(None, Optional(Number(minimum=10, maximum=1000)),
                                  "JPY per EUR; None uses the ECB rate of fx_date", label="Yen per euro")


def validate_params(**values: Any) -> AmpereParams:
    """Validate the notebook's parameters."""
    __tracebackhide__ = True
    return validate(AmpereParams, NOTEBOOK, values)


# --------------------------------------------------------------------------- results

RESULTS = [
    ResultSpec("nissan_commitment_usd_m", "USD m", "Nissan's commitment in dollars, at the rate date "
                                                   "chosen", 0),
    ResultSpec("nissan_commitment_jpy_bn", "JPY bn", "Nissan's commitment in yen, at the rate date "
                                                     "chosen", 1),
    ResultSpec("nissan_commitment_jpy_bn_latest", "JPY bn", "Nissan's commitment in yen, at the newest "
                                                            "fixing held", 1),
    ResultSpec("post_money_eur_bn", "EUR bn", "Ampere's value after the new money", 2),
    ResultSpec("nissan_implied_stake_pct", "%", "Stake Nissan's money buys", 2),
    ResultSpec("mitsubishi_implied_stake_pct", "%", "Stake Mitsubishi Motors' money buys", 2),
    ResultSpec("renault_stake_after_round_pct", "%", "Stake Renault keeps after the round", 2),
    ResultSpec("nissan_stake_at_ceo_min_valuation_pct", "%", "Nissan's stake at the CEO's EUR 8bn", 2),
    ResultSpec("nissan_stake_at_ceo_max_valuation_pct", "%", "Nissan's stake at the CEO's EUR 10bn", 2),
    ResultSpec("valuation_implied_by_stake_cap_eur_bn", "EUR bn",
               "Value after the money below which the 15% ceiling, not the money, would bind", 1),
    ResultSpec("cancelled_commitments_eur_m", "EUR m", "Outside money committed and cancelled", 0),
    ResultSpec("cancelled_share_of_renault_fcf_pct", "%",
               "Cancelled money as a share of Renault's 2025 free cash flow", 0),
    ResultSpec("nissan_commitment_jpy_change_pct", "%",
               "Change in the commitment's yen cost, rate date chosen to newest fixing", 1),
]
OPTIONAL_RESULTS: tuple[str, ...] = ()

# why a result has no range (the others vary with the pre-money valuation)
NO_RANGE = {
    "nissan_commitment_usd_m": "at the rate of the date chosen: a choice, not an uncertainty",
    "nissan_commitment_jpy_bn": "at the rate of the date chosen: a choice, not an uncertainty",
    "nissan_commitment_jpy_bn_latest": "at the newest fixing held: no range",
    "nissan_stake_at_ceo_min_valuation_pct": "at the CEO's reported figure: no range",
    "nissan_stake_at_ceo_max_valuation_pct": "at the CEO's reported figure: no range",
    "valuation_implied_by_stake_cap_eur_bn": "from two reported ceilings: no range",
    "cancelled_commitments_eur_m": "reported commitments: no range",
    "cancelled_share_of_renault_fcf_pct": "reported figures: no range",
    "nissan_commitment_jpy_change_pct": "two dated fixings: no range",
}


def _fact(fact_id: str) -> float:
    from alliancelib.data import fact

    return fact(fact_id)


def latest_jpy() -> fx.Fixing:
    """The newest ECB yen fixing held."""
    return fx.ecb_rate("JPY", fx.held_range("JPY")[1])


def data_stamp() -> tuple[Any, ...]:
    """The data folder and the state of the files headline reads (a cache key: an edited or swapped
    data folder is read again)."""
    from alliancelib.data import file_stamp

    return file_stamp("facts.csv", "fx_rates.csv")


@functools.lru_cache(maxsize=512)
def _lookups(fx_date: str, eur_usd: float | None, eur_jpy: float | None, stamp: tuple[Any, ...]
             ) -> dict[str, float]:
    """The rates and sourced figures headline needs, looked up once per parameters and data state."""
    return {"usd": fx.rate_or_override("USD", fx_date, eur_usd).rate_per_eur,
            "jpy": fx.rate_or_override("JPY", fx_date, eur_jpy).rate_per_eur,
            "jpy_latest": latest_jpy().rate_per_eur, "ceo_low": _fact(CEO_LOW), "ceo_high": _fact(CEO_HIGH),
            "fcf_eur_m": _fact("renault_fy2025_fcf_eur_bn") * 1000}


def headline(p: AmpereParams, **draws: Any) -> dict[str, Any]:
    """The headline results; any parameter may be replaced by a numpy array in ``draws``.

    One implementation of each formula: :func:`analyse` and the uncertainty analysis call it.
    """
    names = ("pre_money_eur_bn", "nissan_commitment_eur_m", "mitsubishi_commitment_eur_m",
             "nissan_stake_cap_pct")
    q = {name: draws.get(name, getattr(p, name)) for name in names}
    k = _lookups(p.fx_date, p.eur_usd, p.eur_jpy, data_stamp())
    usd, jpy, jpy_latest = k["usd"], k["jpy"], k["jpy_latest"]
    nissan, mmc = q["nissan_commitment_eur_m"], q["mitsubishi_commitment_eur_m"]
    cap = q["nissan_stake_cap_pct"]
    now = round_stakes(q["pre_money_eur_bn"], nissan, mmc, cap)
    at_low = round_stakes(k["ceo_low"], nissan, mmc, cap)
    at_high = round_stakes(k["ceo_high"], nissan, mmc, cap)
    cancelled = nissan + mmc
    fcf_eur_m = k["fcf_eur_m"]
    return {
        "nissan_commitment_usd_m": nissan * usd,
        "nissan_commitment_jpy_bn": amount_in_jpy_bn(nissan, jpy),
        "nissan_commitment_jpy_bn_latest": amount_in_jpy_bn(nissan, jpy_latest),
        "post_money_eur_bn": now["post_money_eur_bn"],
        "nissan_implied_stake_pct": now["nissan_pct"],
        "mitsubishi_implied_stake_pct": now["mitsubishi_pct"],
        "renault_stake_after_round_pct": now["renault_pct"],
        "nissan_stake_at_ceo_min_valuation_pct": at_low["nissan_pct"],
        "nissan_stake_at_ceo_max_valuation_pct": at_high["nissan_pct"],
        "valuation_implied_by_stake_cap_eur_bn": valuation_for_stake_eur_bn(nissan, cap),
        "cancelled_commitments_eur_m": cancelled,
        "cancelled_share_of_renault_fcf_pct": cancelled / fcf_eur_m * 100,
        "nissan_commitment_jpy_change_pct": (jpy_latest / jpy - 1) * 100,
    }


def conclusions(p: AmpereParams) -> list[Conclusion]:
    """The sign and threshold statements the findings make (their share of plausible cases is
    reported)."""
    half = p.nissan_stake_cap_pct / 2
    return [
        Conclusion("under_half_cap", "nissan_implied_stake_pct", lambda v: v < half - 1e-9,
                   f"Nissan's money buys less than half its old {p.nissan_stake_cap_pct:g}% ceiling"),
        Conclusion("cap_never_binds", "nissan_implied_stake_pct",
                   lambda v: v < p.nissan_stake_cap_pct - 1e-9,
                   f"the {p.nissan_stake_cap_pct:g}% ceiling does not bind"),
    ]


CONCLUSIONS = conclusions(AmpereParams())


# --------------------------------------------------------------------------- words


def money(value: float, unit: str, decimals: int = 0) -> str:
    """An amount as the text shows it.

    >>> money(600.0, "EUR m"), money(111.396, "JPY bn")
    ('EUR 600m', 'JPY 111bn')
    """
    return format_quantity(float(value), unit, decimals)


def bn(value: float) -> str:
    """EUR bn with as few decimals as the figure needs.

    >>> bn(4.0), bn(3.2), bn(10.8), bn(4.126)
    ('EUR 4bn', 'EUR 3.2bn', 'EUR 10.8bn', 'EUR 4.13bn')
    """
    v = float(value)
    for d in (0, 1, 2):
        if abs(round(v, d) - v) < 1e-9:
            return money(v, "EUR bn", d)
    return money(v, "EUR bn", 2)


def tex(value: float) -> str:
    """A whole number for a LaTeX formula, thousands separated by a plain comma.

    >>> tex(10000.0), tex(600)
    ('10{,}000', '600')
    """
    return f"{value:,.0f}".replace(",", "{,}")


def share_words(stake_pct: float, cap_pct: float) -> str:
    """How a stake compares with a ceiling, in words.

    >>> share_words(6.8, 15), share_words(7.5, 15), share_words(10, 15), share_words(15, 15)
    ('less than half', 'at most half', 'below', 'as much as')
    """
    if stake_pct < cap_pct / 2 - 1e-9:
        return "less than half"
    if stake_pct <= cap_pct / 2 + 1e-9:
        return "at most half"
    if stake_pct < cap_pct - 1e-9:
        return "below"
    return "as much as"


QUALIFIER = re.compile(r"\s*\((more than|at least|about|below|less than)\)\s*$")


def figure_text(row: Mapping[str, Any]) -> tuple[str, str]:
    """A fact row as (description without its qualifier, figure with qualifier and unit).

    >>> figure_text({"description": "Ampere revenue target 2025 (more than)", "value": 10.0, "unit": "EUR bn",
    ...              "note": ""})
    ('Ampere revenue target 2025', 'more than EUR 10bn')
    >>> figure_text({"description": "Ampere staff", "value": 11000.0, "unit": "people",
    ...              "note": "About 11000"})
    ('Ampere staff', 'about 11,000 people')
    >>> figure_text({"description": "Breakeven year", "value": 2025.0, "unit": "year", "note": ""})
    ('Breakeven year', '2025')
    """
    description = str(row["description"])
    m = QUALIFIER.search(description)
    qualifier = m.group(1) if m else ""
    description = QUALIFIER.sub("", description)
    note = str(row.get("note") or "")
    if not qualifier and note.lower().startswith("about"):
        qualifier = "about"
    value, unit = float(row["value"]), str(row["unit"])
    if unit == "year":
        shown = str(int(value))
    elif unit.startswith("EUR"):
        shown = bn(value) if unit == "EUR bn" else money(value, unit, 0 if value.is_integer() else 1)
    else:
        shown = format_quantity(value, unit, 0 if value.is_integer() else 1)
    return description, f"{qualifier} {shown}".strip()


# --------------------------------------------------------------------------- the analysis


@dataclass(frozen=True, kw_only=True)
class Analysis(AnalysisBase):
    """Everything notebook 04 shows, computed once from the parameters."""

    p: AmpereParams
    curve: pd.DataFrame  # stakes against the pre-money valuation, for the chart
    yen: pd.DataFrame  # the commitment in yen, day by day
    moments: pd.DataFrame  # the dated moments marked on the yen chart


def _commitments_table(commitments: pd.DataFrame) -> pd.DataFrame:
    """The commitments in a reader's words: what was committed and how each ended."""
    outcome = {"followed": "followed by the July 2023 commitment (how this one ended is not reported)",
               "released": "released: agreed to terminate (completion not confirmed)",
               "withdrawn": "withdrawn", "active": "active"}
    rows = []
    for _, r in commitments.sort_values("committed_on").iterrows():
        if pd.notna(r["commitment_eur_m"]):
            what = f"up to {money(r['commitment_eur_m'], 'EUR m')}"
        else:
            what = f"up to {r['stake_cap_pct']:g}% of Ampere"
        rows.append({"investor": r["investor"], "committed_on": r["committed_on"], "ampere_commitment": what,
                     "ampere_outcome": outcome[r["status"]], "ended_on": r["ended_on"],
                     "source_id": r["source_id"], "status_source_id": r["status_source_id"]})
    return pd.DataFrame(rows)


def _facts_table(facts: pd.DataFrame) -> pd.DataFrame:
    """Ampere's targets, staff, breakeven year and the CEO's remark: description and figure
    (qualifier included), date and source; conflicts said in the note."""
    rows = []
    for _, r in facts[facts["topic"] == "ampere"].iterrows():
        what, shown = figure_text({str(k): v for k, v in r.items()})
        note = str(r["note"] or "")
        keep = "CONFLICT" in note or "remark" in note or "US dollars" in note
        note = note.replace("CONFLICTS", "conflicts") if keep else ""
        rows.append({"description": what, "ampere_figure": shown, "as_of": r["as_of"],
                     "note": note[:1].upper() + note[1:], "source_id": r["source_id"]})
    return pd.DataFrame(rows)


def _timeline(events: pd.DataFrame) -> pd.DataFrame:
    from alliancelib.data import parse_partial_date

    sub = events[events["topic"] == "ampere"].copy()
    sub["day"] = [parse_partial_date(d) for d in sub["date"]]
    out = sub.sort_values(["day", "event"], kind="stable")[["date", "event", "source_id"]]
    return out.reset_index(drop=True)


def _yen_series(amount_eur_m: float) -> pd.DataFrame:
    from alliancelib.data import load

    rates = load("fx_rates")
    jpy = rates[rates["currency"] == "JPY"].sort_values("date")
    return pd.DataFrame({"date": jpy["date"].to_numpy(),
                         "jpy_bn": amount_in_jpy_bn(amount_eur_m, jpy["rate_per_eur"].to_numpy())})


def analyse(p: AmpereParams) -> Analysis:
    """Everything notebook 04 shows, computed once (results, ranges, findings, tables, texts)."""
    from alliancelib import uncertainty
    from alliancelib.data import fx_as_of, load, news_as_of
    from alliancelib.report import sources_used

    v = headline(p)
    concl = conclusions(p)
    a = uncertainty.assess(p, headline, results=RESULTS, conclusions=concl)
    ranges = a.result_ranges()
    results = make_results(RESULTS, v, ranges=ranges, no_range=NO_RANGE)
    k = _context(p, v)
    gaps = load("gaps")
    gaps = gaps[gaps["topic"] == "ampere"].reset_index(drop=True)
    tables = {
        "commitments": _commitments_table(k["commitments"]),
        "timeline": _timeline(load("events")),
        "facts": _facts_table(load("facts")),
        "stakes": stake_table(sorted(set(STAKE_TABLE_PRE_MONEY) | {p.pre_money_eur_bn}),
                              p.nissan_commitment_eur_m, p.mitsubishi_commitment_eur_m,
                              p.nissan_stake_cap_pct),
        "gaps": gaps[["what", "status", "note"]].fillna(""),
        "ranges": ranges_table(p),
    }
    source_ids = sources_used([tables["commitments"], tables["timeline"], tables["facts"]], EXTRA_SOURCES)
    k["news"] = news_as_of(source_ids)
    cap_pre = k["cap_pre"]
    curve = stake_table(np.linspace(2.0 if cap_pre > 2.5 else max(0.5, cap_pre * 0.6), 15.0, 261),
                        p.nissan_commitment_eur_m, p.mitsubishi_commitment_eur_m, p.nissan_stake_cap_pct)
    yen = _yen_series(p.nissan_commitment_eur_m)
    return Analysis(
        p=p, values=v, results=results, assessment=a, conclusions=concl, findings=_findings(p, v, a, k),
        since=_since(k), news_as_of=k["news"], fx_as_of=fx_as_of(["JPY"]), source_ids=source_ids,
        unreached="; ".join(gaps["what"]) + ".", texts=_texts(p, v, a, concl, k), tables=tables, curve=curve,
        yen=yen[yen["date"] >= pd.Timestamp(k["committed_on"])].reset_index(drop=True), moments=k["moments"],
        facts={name: k[name] for name in FACT_KEYS})


# the sourced figures and derived thresholds the notebook's cells and charts use (Analysis.facts)
FACT_KEYS = ("ceo_low", "ceo_high", "fcf", "guidance", "cap_pre", "cap_post", "as_post_low", "as_post_high",
             "jpy_at_commitment", "jpy_at_release")


# the sources behind what the text says besides the tables (facts used in sentences, the ECB series)
EXTRA_SOURCES = ("ecb_eurofxref", "seed_autoexpert", "nasdaq_ft_20230905", "trivano_renault_fy2025",
                 "reuters_fcf_20250331", "nippon_jiji_20260212", "sowetan_reuters_20250520",
                 "tbs_bloomberg_20250401", "europesays_679573", "autoworldjournal_mmc_ampere",
                 "nasdaq_reuters_20240129", "smi24_419370818", "caradisiac_20260121",
                 "marketscreener_20231115")


def _context(p: AmpereParams, v: Mapping[str, Any]) -> dict[str, Any]:
    """The sourced figures and dates the words need, looked up once."""
    from alliancelib.data import event, load

    f = load("facts").set_index("fact_id")["value"].astype(float).to_dict()
    commitments = load("ampere_commitments")
    by_nissan = commitments["investor"] == "Nissan"
    nissan_row = commitments[by_nissan & commitments["commitment_eur_m"].notna()].iloc[0]
    mmc_row = commitments[commitments["investor"] == "Mitsubishi Motors"].iloc[0]
    committed_on, released_on = str(nissan_row["committed_on"]), str(nissan_row["ended_on"])
    at_commitment, at_release = fx.ecb_rate("JPY", committed_on), fx.ecb_rate("JPY", released_on)
    latest = latest_jpy()
    c = p.nissan_commitment_eur_m
    cap_post = float(v["valuation_implied_by_stake_cap_eur_bn"])
    k: dict[str, Any] = {
        "f": f, "commitments": commitments, "committed_on": committed_on, "released_on": released_on,
        "mmc_ended_on": str(mmc_row["ended_on"]),
        "plan_date": str(event("ampere_fold_back_planned")["date"]),
        "unions_date": str(event("ampere_unions_presentation")["date"]),
        "ceo_low": f[CEO_LOW], "ceo_high": f[CEO_HIGH],
        # the CEO's figure read as the value after the money: Nissan's money over that value
        "as_post_low": float(implied_stake_pct(c, f[CEO_HIGH])),
        "as_post_high": float(implied_stake_pct(c, f[CEO_LOW])),
        "cap_post": cap_post, "cap_pre": cap_post - (c + p.mitsubishi_commitment_eur_m) / 1000,
        "fcf": f["renault_fy2025_fcf_eur_bn"], "guidance": f["renault_fcf_guidance_eur_bn"],
        "nissan_loss": f["nissan_fy2025_net_loss_forecast_jpy_bn"],
        "usd": fx.rate_or_override("USD", p.fx_date, p.eur_usd),
        "jpy": fx.rate_or_override("JPY", p.fx_date, p.eur_jpy), "latest": latest,
        "jpy_at_commitment": float(amount_in_jpy_bn(c, at_commitment.rate_per_eur)),
        "jpy_at_release": float(amount_in_jpy_bn(c, at_release.rate_per_eur)),
    }
    k["moments"] = pd.DataFrame([
        {"date": at_commitment.fixing_date, "label": f"committed, {say_date(committed_on)}",
         "jpy_bn": k["jpy_at_commitment"]},
        {"date": at_release.fixing_date, "label": f"agreed to end it, {say_date(released_on)}",
         "jpy_bn": k["jpy_at_release"]},
        {"date": latest.fixing_date, "label": f"newest fixing, {say_date(str(latest.fixing_date))}",
         "jpy_bn": float(v["nissan_commitment_jpy_bn_latest"])},
    ])
    return k


def _robust(a: Assessment, p: AmpereParams, key: str) -> str:
    """How sure a conclusion is, in one sentence (or why nothing is drawn)."""
    from alliancelib import uncertainty

    if a.held:
        return (f"Ampere's value is set at {bn(p.pre_money_eur_bn)}, outside the CEO's range, so it is held "
                "there and nothing is drawn.")
    return uncertainty.robustness_sentence(a, key)


def _findings(p: AmpereParams, v: Mapping[str, Any], a: Assessment, k: Mapping[str, Any]) -> list[Finding]:
    """The key findings, their numbers from the results."""
    from alliancelib import uncertainty

    c, cap = money(p.nissan_commitment_eur_m, "EUR m"), f"{p.nissan_stake_cap_pct:g}%"
    low = float(v["nissan_stake_at_ceo_max_valuation_pct"])
    high = float(v["nissan_stake_at_ceo_min_valuation_pct"])
    words = share_words(high, p.nissan_stake_cap_pct)
    appetite = (" By July 2023 Nissan had swapped that share for a money ceiling, so its appetite had "
                "shrunk long before it walked away in 2025." if words == "less than half" else "")
    alongside = (f" (with Mitsubishi Motors' {money(p.mitsubishi_commitment_eur_m, 'EUR m')} alongside)"
                 if p.mitsubishi_commitment_eur_m > 0 else "")
    f1 = Finding(
        "stake-at-ceo-valuation",
        f"At the CEO's EUR {k['ceo_low']:g}-{k['ceo_high']:g}bn, Nissan's {c}{alongside} would have bought "
        f"**{pct(low)} to {pct(high)}** of Ampere, **{words}** the \"up to {cap}\" it agreed to in February "
        f"2023.{appetite} {_robust(a, p, 'under_half_cap')} Read as the value after the money, the CEO's "
        "figure "
        f"gives {pct(k['as_post_low'])} to {pct(k['as_post_high'])}, "
        f"{share_words(k['as_post_high'], p.nissan_stake_cap_pct)} the ceiling.",
        anchor=anchor_for(SECTION_STAKES), headline=True, holds_pct=a.share("under_half_cap") * 100,
        flips=a.flips("under_half_cap"))
    binds = 1 - a.share("cap_never_binds")
    if a.held:
        ending = f"; at the {bn(p.pre_money_eur_bn)} chosen it " + (
            "does not bind." if a.holds_at_default("cap_never_binds") else "binds.")
    elif binds == 0:
        ending = ", so the ceiling would have bound in no plausible case."
    else:
        ending = f"; the ceiling would have bound in {uncertainty.percent(binds)} of plausible cases."
    f2 = Finding(
        "cap-is-not-a-valuation",
        f"The {cap} ceiling was never a valuation: {c} buys more than {cap} only if Ampere was worth less "
        "than "
        f"**{bn(k['cap_post'])}** after the money ({bn(max(k['cap_pre'], 0.0))} before it)"
        + (", far below the CEO's figure" if k["cap_post"] < k["ceo_low"] else "") + ending,
        anchor=anchor_for(SECTION_STAKES), holds_pct=(1 - binds) * 100, flips=a.flips("cap_never_binds"))
    change = float(v["nissan_commitment_jpy_change_pct"])
    f3 = Finding(
        "yen-cost",
        f"In yen, the same {c} was **{money(k['jpy_at_commitment'], 'JPY bn')}** when Nissan committed "
        f"({say_date(k['committed_on'])}), **{money(v['nissan_commitment_jpy_bn'], 'JPY bn')}** at the rate "
        "of "
        f"{say_date(p.fx_date)} and about **{money(v['nissan_commitment_jpy_bn_latest'], 'JPY bn')}** at the "
        "ECB "
        f"fixing of {say_date(str(k['latest'].fixing_date))} ({'+' if change >= 0 else ''}{pct(change, 0)}): "
        f"money a Nissan forecasting a JPY {k['nissan_loss']:,.0f}bn net loss for the year to March 2026 no "
        "longer "
        "has to find. Exchange rates are a choice of date here, not an uncertainty.",
        anchor=anchor_for(SECTION_YEN))
    f4 = Finding(
        "no-outside-money",
        f"The **{money(v['cancelled_commitments_eur_m'], 'EUR m')}** Nissan and Mitsubishi Motors cancelled "
        "was new equity for Ampere, not a cash loss to Renault, which is not diluted by the shares that "
        "money would have bought (whether Mitsubishi Motors had paid any of its part in was not found); for "
        "scale, it equals "
        f"**{pct(v['cancelled_share_of_renault_fcf_pct'], 0)}** of "
        f"Renault's 2025 free cash flow of {bn(k['fcf'])}. Ampere said in May 2025 it needed no minority "
        "financing, and Renault is folding it back into the group, so the valuation debate was moot. "
        "Reported "
        "figures: no range.",
        anchor=anchor_for(SECTION_ENDING), headline=True)
    return [f1, f2, f3, f4]


def _since(k: Mapping[str, Any]) -> str:
    """What happened since the announcement, as of the news date."""
    return (f"Nissan agreed on {say_date(k['released_on'])} to end its commitment (completion expected by "
            "the "
            f"end of May 2025; no completion notice found); Mitsubishi Motors withdrew on "
            f"{say_date(k['mmc_ended_on'])}; on {say_date(k['unions_date'])} Renault presented the unions a "
            "plan "
            f"to fold Ampere back into the group by {say_date(k['plan_date'])}. Whether that happened is "
            f"beyond the sources this report uses, the newest of which is from {say_date(k['news'])}.")


def _fmt(spec: ResultSpec, value: float) -> str:
    return format_quantity(value, spec.unit, spec.decimals)


def ranges_table(p: AmpereParams) -> pd.DataFrame:
    """The uncertainty module's table of plausible ranges, valuations written as EUR bn."""
    from alliancelib import uncertainty
    from alliancelib.params import label_of, plausible_of

    out = uncertainty.ranges_table(p)
    pl = plausible_of(AmpereParams, "pre_money_eur_bn")
    row = out["input"] == label_of(AmpereParams, "pre_money_eur_bn")
    if pl is not None and pl.low is not None and pl.high is not None and row.any():
        for column, value in (("default_value", p.pre_money_eur_bn), ("low_value", pl.low),
                              ("high_value", pl.high)):
            out[column] = out[column].where(~row, bn(float(value)))
    return out






def _worked_example(p: AmpereParams, v: Mapping[str, Any], k: Mapping[str, Any]) -> str:
    c, m, pre, cap = (p.nissan_commitment_eur_m, p.mitsubishi_commitment_eur_m, p.pre_money_eur_bn,
                      p.nissan_stake_cap_pct)
    post, nissan = float(v["post_money_eur_bn"]), float(v["nissan_implied_stake_pct"])
    if nissan < cap - 1e-9:
        stake = (f"{bn(post)} and Nissan's stake is $\\frac{{{tex(c)}}}{{{tex(pre * 1000)} + {tex(c)} + "
                 f"{tex(m)}}} = {nissan:.2f}\\%$")
    else:
        put_in = float(round_stakes(pre, c, m, cap)["nissan_invested_eur_m"])
        stake = (f"{money(post, 'EUR bn', 2)}: {money(c, 'EUR m')} would buy more than {cap:g}%, so Nissan "
                 "puts "
                 f"in only {money(put_in, 'EUR m')} and holds {nissan:.2f}%")
    return (f"**Worked example.** At a pre-money value of {bn(pre)}, the new money is {money(c, 'EUR m')} + "
            f"{money(m, 'EUR m')}, so the post-money value is {stake}. Mitsubishi Motors holds "
            f"{float(v['mitsubishi_implied_stake_pct']):.2f}% and Renault keeps "
            f"{float(v['renault_stake_after_round_pct']):.2f}%. At the CEO's EUR {k['ceo_low']:g}bn and "
            f"EUR {k['ceo_high']:g}bn, Nissan's stake is "
            f"**{float(v['nissan_stake_at_ceo_min_valuation_pct']):.2f}%** "
            f"and **{float(v['nissan_stake_at_ceo_max_valuation_pct']):.2f}%**; the {cap:g}% ceiling would "
            "bind "
            f"only below a post-money value of $\\frac{{{tex(c)}}}{{{cap:g}\\%}}$ = **{bn(k['cap_post'])}**.")


def _texts(p: AmpereParams, v: Mapping[str, Any], a: Assessment, concl: Sequence[Conclusion],
           k: Mapping[str, Any]) -> dict[str, str]:
    """The computed narrative of each section (Markdown; numbers from the analysis)."""
    from alliancelib import uncertainty

    c, m = money(p.nissan_commitment_eur_m, "EUR m"), money(p.mitsubishi_commitment_eur_m, "EUR m")
    change = float(v["nissan_commitment_jpy_change_pct"])
    cancelled = float(v["cancelled_commitments_eur_m"])
    ceo = f"the CEO's EUR {k['ceo_low']:g}-{k['ceo_high']:g}bn"
    out = {
        "stakes": _worked_example(p, v, k),
        "pre_or_post": (
            "Whether the CEO's \"eight, nine, 10 billion\" meant Ampere's value before or after new money is "
            "not known (nor whether he had a listing in mind). Read as a value *after* the money, Nissan's "
            f"{c} would have bought {pct(k['as_post_low'])} to {pct(k['as_post_high'])}: still "
            f"{share_words(k['as_post_high'], p.nissan_stake_cap_pct)} its February 2023 ceiling. The "
            "reading "
            "moves the stake by less than a point, not the conclusion."),
        "yen": (
            f"At {k['usd'].describe()}, Nissan's {c} is **{money(v['nissan_commitment_usd_m'], 'USD m')}** "
            "(the "
            "article's USD 649m matches it to within the article's rounding). In yen it is "
            f"**{money(v['nissan_commitment_jpy_bn'], 'JPY bn', 1)}** at {k['jpy'].describe()}, and "
            f"**{money(v['nissan_commitment_jpy_bn_latest'], 'JPY bn', 1)}** at {k['latest'].describe()}: "
            "the "
            f"euro commitment would have cost Nissan {pct(abs(change))} {'more' if change >= 0 else 'less'} "
            "in "
            "its own currency. When the money would have been paid in was never stated."),
        "weight": (
            f"The {money(cancelled, 'EUR m')} of outside money that will not come was new equity for "
            "Ampere, not Renault's cash: Renault keeps all of Ampere instead of being diluted by the new "
            "shares, and funds Ampere itself (as it said it would when the listing was called off). For "
            "scale only, it is "
            f"**{pct(cancelled / (k['fcf'] * 1000) * 100, 0)}** of Renault's 2025 free cash flow "
            f"({bn(k['fcf'])}, reported on 19 February 2026) and "
            f"{pct(cancelled / (k['guidance'] * 1000) * 100, 0)} "
            f"of the at least {bn(k['guidance'])} Renault had guided for 2025 when the deal was announced. "
            "Against "
            "Ampere's own needs it cannot be weighed: its actual revenue and results for 2024 and 2025 were "
            "not "
            "found, only its 2023 targets (more than EUR 10bn of revenue in 2025, from about EUR 2.8bn in "
            "2023). "
            f"Mitsubishi Motors' {m} had been scheduled for the end of 2024; whether any of it was paid in "
            "was "
            "not found."),
    }
    if a.held:
        lines = [f"- Ampere's value before the new money is set at {bn(p.pre_money_eur_bn)}, outside {ceo}, "
                 "so "
                 "it is held there: nothing is drawn and no result has a range."]
    else:
        lines = [f"- *{con.statement[0].upper() + con.statement[1:]}*: "
                 f"{uncertainty.robustness_sentence(a, con)} The only uncertain input is Ampere's value "
                 "before "
                 f"the new money ({ceo})." for con in concl]
        lines.append(f"- *Where the value set sits*: {_where_default(p)}")
    lines += ["- *The yen cost*: two dated ECB fixings; the date is a choice (a parameter for the first), "
              "not "
              "an uncertainty, so no range.",
              "- *No outside money*: reported commitments and Renault's reported free cash flow; no range."]
    out["robustness"] = "\n".join(lines)
    return out


def _where_default(p: AmpereParams) -> str:
    """Where the value before the new money that is set sits in the CEO's range, and what that means
    for the stakes shown (a higher value buys a smaller stake).

    >>> _where_default(AmpereParams())[:58]
    "EUR 10bn, the top of the CEO's range: Nissan's stake there"
    """
    from alliancelib.params import plausible_of

    pl = plausible_of(AmpereParams, "pre_money_eur_bn")
    assert pl is not None and pl.low is not None and pl.high is not None  # declared on the field
    low, high, v = float(pl.low), float(pl.high), float(p.pre_money_eur_bn)
    if v >= high:
        return (f"{bn(v)}, the top of the CEO's range: Nissan's stake there is the lowest plausible "
                "one.")
    if v <= low:
        return (f"{bn(v)}, the bottom of the CEO's range: Nissan's stake there is the highest plausible "
                "one.")
    return (f"{bn(v)}, inside the CEO's range of {bn(low)} to {bn(high)}: Nissan's stake there lies between "
            "its plausible extremes.")


# --------------------------------------------------------------------------- charts


def figures(a: Analysis) -> list[Any]:
    """Every chart of notebook 04, drawn from the analysis: the stakes against Ampere's value, the
    commitment in yen over time, and the range chart of "How sure is this?"."""
    from alliancelib import charts
    from alliancelib.uncertainty import plot_ranges

    p = a.p
    ranges = plot_ranges(a.assessment.as_recorded(), RESULTS, title=_ranges_title(a))
    ranges.axes[0].set_xlabel("Bar: 5th to 95th percentile of plausible cases, stretched to the value at the "
                              "defaults (dot)\nwhere it lies beyond. Each row to its own scale from zero.")
    jpy = [money(x, "JPY bn") for x in (a.facts["jpy_at_commitment"], a.facts["jpy_at_release"],
                                        a.values["nissan_commitment_jpy_bn_latest"])]
    return [
        charts.Chart(
            "stakes", plot_stakes(a), alt=_stakes_alt(a),
            source="Sources: Nasdaq/RTT (2023-02-06) for the 15% ceiling; TechNode (2023-07-26) and Reuters "
                   "via "
                   "GBAF (2023-10-24) for the commitments; Nasdaq/FT (2023-09-05) for the CEO's remark. "
                   "Valuations are a parameter, not a reported price."),
        charts.Chart(
            "yen", plot_yen(a),
            source=f"Sources: ECB euro reference rates (to {a.moments['date'].iloc[-1]}); TechNode "
                   "(2023-07-26); "
                   "Sakshi Post/IANS (2025-03-31).",
            alt=f"{_yen_title(a)}. One line: Nissan's EUR {p.nissan_commitment_eur_m:,.0f}m commitment in "
                "yen, "
                f"{jpy[0]} in July 2023, {jpy[1]} on 31 March 2025 and {jpy[2]} at the newest ECB fixing."),
        charts.Chart(
            "ranges", ranges,
            source="Monte Carlo over the plausible inputs (100,000 seeded draws) through the notebook's own "
                   "formulas; ranges: 5th to 95th percentile, stretched to the value at the defaults.",
            alt=f"{_ranges_title(a)}. Bars of the results that move with Ampere's value before the new money "
                "(EUR 8-10bn), each from its 5th to its 95th percentile, the value at the defaults marked."),
    ]


def _ranges_title(a: Analysis) -> str:
    lo, hi = a.assessment.result_ranges().get("nissan_implied_stake_pct", (None, None))
    if lo is None or hi is None:
        return "No uncertain input moves the headline results"
    return (f"Only Ampere's value moves the results: Nissan's stake is {pct(lo)} to {pct(hi)} in 90% of "
            "plausible cases")


def _stakes_title(a: Analysis) -> str:
    v, p = a.values, a.p
    low, high = v["nissan_stake_at_ceo_max_valuation_pct"], v["nissan_stake_at_ceo_min_valuation_pct"]
    return (f"At the CEO's EUR {a.facts['ceo_low']:g}-{a.facts['ceo_high']:g}bn, "
            f"{money(p.nissan_commitment_eur_m, 'EUR m')} buys Nissan {pct(low)} to {pct(high)} of Ampere: "
            f"{share_words(high, p.nissan_stake_cap_pct)} the {p.nissan_stake_cap_pct:g}% it first signed "
            "for")


def _stakes_alt(a: Analysis) -> str:
    p = a.p
    return (f"{_stakes_title(a)}. Lines of Nissan's and Mitsubishi Motors' stakes falling as Ampere's value "
            f"before the money rises; Nissan's flat at its {p.nissan_stake_cap_pct:g}% ceiling below "
            f"{bn(max(a.facts['cap_pre'], 0))}; the CEO's EUR "
            f"{a.facts['ceo_low']:g}-{a.facts['ceo_high']:g}bn "
            "shaded.")


def _yen_title(a: Analysis) -> str:
    change = float(a.values["nissan_commitment_jpy_bn_latest"]) / a.facts["jpy_at_release"] - 1
    return (f"EUR {a.p.nissan_commitment_eur_m:,.0f}m would cost Nissan about "
            f"{money(a.values['nissan_commitment_jpy_bn_latest'], 'JPY bn')} at the newest fixing, "
            f"{pct(abs(change) * 100, 0)} {'more' if change >= 0 else 'less'} than when it walked away")


def plot_stakes(a: Analysis) -> Any:
    """Nissan's and Mitsubishi Motors' stakes against Ampere's pre-money value: Nissan's flat at its
    ceiling where the ceiling binds; the CEO's range shaded (pre- or post-money not stated)."""
    from matplotlib.ticker import MultipleLocator

    from alliancelib import charts

    p, t = a.p, a.curve
    fig, ax = charts.figure(8.6, 4.6)
    x = t["ampere_pre_money_eur_bn"]
    red, grey = charts.PALETTE["Nissan"], charts.PALETTE["Mitsubishi Motors"]
    lo, hi = a.facts["ceo_low"], a.facts["ceo_high"]
    ax.axvspan(lo, hi, color=charts.PALETTE["Renault"], alpha=0.18, lw=0)
    ax.plot(x, t["ampere_nissan_stake_pct"], color=red, lw=2.2)
    ax.plot(x, t["ampere_mitsubishi_stake_pct"], color=grey, lw=1.8)
    cap = p.nissan_stake_cap_pct
    ax.axhline(cap, color=red, ls=(0, (4, 3)), lw=0.9)
    top = max(cap, float(t["ampere_nissan_stake_pct"].max()), float(t["ampere_mitsubishi_stake_pct"].max()))
    ax.set_ylim(0, top * 1.4)
    ax.set_xlim(float(x.iloc[0]), float(x.iloc[-1]) * 1.3)
    ax.yaxis.set_major_locator(MultipleLocator(5 if top <= 30 else 10))
    ax.set_xticks(np.arange(np.ceil(float(x.iloc[0]) / 2) * 2, float(x.iloc[-1]) + 0.01, 2))
    charts.thousands(ax, "y", suffix="%")
    charts.thousands(ax, "x")
    ax.text(float(x.iloc[-1]) + 0.3, cap + top * 0.015, f"February 2023 ceiling:\n\"up to {cap:g}%\"",
            color=red, fontsize=8.5, va="bottom", ha="left")
    ax.text((lo + hi) / 2, top * 1.37, f"CEO's remark,\nEUR {lo:g}-{hi:g}bn\n(before or after\nthe money?)",
            ha="center", va="top", fontsize=8, color="#6b5200")
    ends = [(f"Nissan, {money(p.nissan_commitment_eur_m, 'EUR m')}", float(x.iloc[-1]),
             float(t["ampere_nissan_stake_pct"].iloc[-1]), red),
            (f"Mitsubishi Motors, {money(p.mitsubishi_commitment_eur_m, 'EUR m')}", float(x.iloc[-1]),
             float(t["ampere_mitsubishi_stake_pct"].iloc[-1]), grey)]
    charts.style_axes(ax, title=_stakes_title(a), xlabel="Ampere's value before the new money (EUR bn)",
                      ylabel="stake the money buys (%)")
    charts.label_lines(ax, ends)
    cap_pre = a.facts["cap_pre"]
    if cap_pre > float(x.iloc[0]):
        ax.text(float(x.iloc[0]) + 0.1, cap + top * 0.04,
                f"below EUR {cap_pre:.1f}bn the ceiling,\nnot the money, binds", fontsize=8, color="#333333",
                va="bottom", ha="left")
    at_hi = float(a.values["nissan_stake_at_ceo_max_valuation_pct"])
    at_lo = float(a.values["nissan_stake_at_ceo_min_valuation_pct"])
    ax.plot([lo, hi], [at_lo, at_hi], "o", color=red, ms=5, zorder=3)
    charts.annotate(ax, f"{pct(at_lo)} at EUR {lo:g}bn", (lo, at_lo), (-10, 18), ha="right")
    charts.annotate(ax, f"{pct(at_hi)} at EUR {hi:g}bn", (hi, at_hi), (10, 16))
    return fig


def plot_yen(a: Analysis) -> Any:
    """Nissan's euro commitment in yen day by day at the ECB rate, the dates that matter marked."""
    import matplotlib.dates as mdates

    from alliancelib import charts

    fig, ax = charts.figure(8.6, 4.2)
    red = charts.PALETTE["Nissan"]
    ax.plot(a.yen["date"], a.yen["jpy_bn"], color=red, lw=1.6)
    ax.set_ylim(0, float(a.yen["jpy_bn"].max()) * 1.25)
    charts.thousands(ax, "y")
    offsets = [(10, -34), (-6, 30), (-8, 20)]
    for (_, m), off in zip(a.moments.iterrows(), offsets, strict=True):
        day = pd.Timestamp(m["date"])
        ax.plot([day], [m["jpy_bn"]], "o", color=red, ms=5, zorder=3)
        charts.annotate(ax, f"{money(m['jpy_bn'], 'JPY bn')}: {m['label']}", (day, m["jpy_bn"]), off,
                        ha="left" if off[0] > 0 else "right")
    charts.style_axes(ax, title=_yen_title(a), ylabel="the commitment in yen (JPY bn)")
    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 7)))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))
    return fig
