"""What notebook 05 reads from ``data/``: every sourced figure its ledger, results and sentences use,
read once per state of the files (:func:`read`), so no figure is typed into code or text.

``read()`` returns one :class:`Inputs`; the model, the analysis and the template take their numbers
from it by name (``inputs.trust_pct``, ``inputs.nissan_commitment_eur_m``...).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from alliancelib import reads

if TYPE_CHECKING:
    import pandas as pd

ANNOUNCEMENT = "2025-03-31"
FILES = (
    "facts.csv",
    "fx_rates.csv",
    "ampere_commitments.csv",
    "shareholdings.csv",
    "rnaipl_ownership.csv",
    "sources.csv",
)

CHARGE = "renault_fy2025_nissan_noncash_loss_eur_bn"  # Renault's release (used first)
CHARGE_OTHER = "renault_fy2025_nissan_charge_eur_bn"  # Just Auto's figure, shown beside it
CHARGE_JULY = "renault_nissan_fair_value_loss_eur_bn"  # the estimate when the switch was announced
ASSOCIATES = "renault_fy2025_nissan_associate_loss_eur_bn"
INDIA_FCF = "india_deal_fcf_impact_eur_m"  # a forecast of 31 March 2025: Renault's own cash cost, not a price
DIVIDEND = "renault_dividend_2025_eur"  # Renault's latest proposed dividend per share
NISSAN_DIVIDEND = "nissan_fy2025_dividend_jpy"  # Nissan's FY2025 dividend: none (a secondary source)
NISSAN_DIVIDEND_GUIDED = "nissan_fy2026_dividend_guidance_jpy"  # Nissan's FY2026 guidance: JPY 0


@dataclass(frozen=True)
class Commitment:
    """An investor's money commitment to Ampere (``ampere_commitments.csv``)."""

    investor: str
    amount_eur_m: float
    committed_on: str
    ended_on: str
    status_source_id: str
    source_id: str  # the report of the commitment itself


@dataclass(frozen=True)
class Inputs:
    """The sourced figures of notebook 05, each in the unit its name ends with."""

    nissan: Commitment  # Nissan's EUR 600m commitment to Ampere
    mmc: Commitment  # Mitsubishi Motors' EUR 200m
    renault_shares: float  # Renault shares outstanding
    lockup_before_pct: float
    lockup_after_pct: float
    india_fcf_eur_m: float  # the India deal's hit to Renault's 2025 free cash flow
    charge_eur_bn: float  # Renault's 2025 non-cash loss on the Nissan stake (its release)
    charge_other_eur_bn: float  # the same, per Just Auto
    charge_july_eur_bn: float  # the estimate when the switch to fair value was announced
    associates_eur_bn: float  # Nissan's losses as an associate in Renault's 2025 accounts
    utilisation_pct: float  # the Chennai plant's utilisation, 2025
    utilisation_as_of: str
    rnaipl_before_pct: float  # Renault's share of RNAIPL before the purchase
    rnaipl_after_pct: float  # after it
    rnaipl_completed: str  # the day the purchase completed
    rnaipl_bought_pct: float  # Nissan's stake bought by Renault
    renault_in_nissan_direct_pct: float  # at the announcement
    renault_in_nissan_trust_pct: float  # held in the French trust
    ceo_low_eur_bn: float  # the CEO's range for Ampere's value
    ceo_high_eur_bn: float
    bloomberg_eur_m: float  # Bloomberg's estimate of what 5% of Renault would raise
    bloomberg_as_of: str
    plan_jpy_bn: float  # Nissan's plan of June 2025: what selling 5% of Renault would raise, in yen
    plan_as_of: str
    dividend_eur: float  # Renault's latest proposed dividend, EUR a share
    dividend_as_of: str
    nissan_shares_issued: float  # Nissan shares issued (the count Renault's stake is a share of)
    nissan_dividend_jpy: float  # Nissan's dividend for FY2025, JPY a share (none)
    nissan_dividend_guided_jpy: float  # Nissan's guided dividend for FY2026, JPY a share
    nissan_dividend_as_of: str  # the day of Nissan's FY2025 results and FY2026 guidance
    rntbci_renault_pct: float  # Renault's share of RNTBCI (the engineering centre), unchanged by the deal
    nissan_supply_until_year: float  # the year until which Renault will build cars for Nissan at Chennai


def stamp() -> tuple[Any, ...]:
    """The state of the data files notebook 05 reads (a cache key: an edited or swapped data folder is
    read again)."""
    from alliancelib.data import file_stamp

    return file_stamp(*FILES)


def read() -> Inputs:
    """The sourced figures, read once per state of the data files."""
    return _read(stamp())


def commitment(investor: str) -> Commitment:
    """An investor's money commitment to Ampere (the row with an amount)."""
    from alliancelib.data import load

    c = load("ampere_commitments")
    row = c[(c["investor"] == investor) & c["commitment_eur_m"].notna()].iloc[0]
    return Commitment(
        investor,
        float(row["commitment_eur_m"]),
        str(row["committed_on"]),
        str(row["ended_on"]),
        str(row["status_source_id"]),
        str(row["source_id"]),
    )


def latest_holdings(company: str, as_of: str = ANNOUNCEMENT) -> pd.DataFrame:
    """The latest recorded stake of each holder and kind of holding in ``company`` on ``as_of``
    (rows of ``shareholdings.csv``, oldest first)."""
    from alliancelib.data import load, parse_partial_date

    rows = load("shareholdings")
    rows = rows[rows["company"] == company].copy()
    rows["day"] = [parse_partial_date(d) for d in rows["as_of"]]
    rows = rows[rows["day"] <= parse_partial_date(as_of)].sort_values("day")
    return rows.groupby(["holder", "holding"], sort=True).tail(1)


def others_in_renault(as_of: str = ANNOUNCEMENT) -> tuple[float, str]:
    """The share of Renault's capital its other recorded holders hold on ``as_of`` (the French state),
    and who they are in words: the room left for Nissan's stake (01's rule)."""
    latest = latest_holdings("Renault", as_of)
    latest = latest[latest["holder"] != "Nissan"]
    text = "; ".join(f"{r['holder']} {r['economic_pct']:g}% at {r['as_of']}" for _, r in latest.iterrows())
    return float(latest["economic_pct"].sum()), text or "none recorded"


def renault_in_nissan(as_of: str = ANNOUNCEMENT) -> dict[str, float]:
    """Renault's stakes in Nissan on ``as_of`` by kind of holding (``direct``, ``trust``), in %."""
    latest = latest_holdings("Nissan", as_of)
    latest = latest[latest["holder"] == "Renault"]
    return {str(r["holding"]): float(r["economic_pct"]) for _, r in latest.iterrows()}


def published(source_id: str) -> str:
    """The day a source was published (``sources.csv``): the date of a ledger line that a report,
    not an event, dates."""
    return _published(stamp())[source_id]


@reads.cached(maxsize=4)
def _published(state: tuple[Any, ...]) -> dict[str, str]:
    from alliancelib.data import load

    sources = load("sources")
    return dict(zip(sources["source_id"].astype(str), sources["date_published"].astype(str), strict=True))


def _rnaipl() -> tuple[float, float, str]:
    """Renault's share of RNAIPL before and after its purchase of Nissan's stake, and the day it completed."""
    from alliancelib.data import load

    rows = load("rnaipl_ownership")
    after = rows[rows["nissan_pct"] == 0].iloc[0]
    before = rows[rows["as_of"].astype(str) < str(after["as_of"])].iloc[-1]
    return float(before["renault_pct"]), float(after["renault_pct"]), str(after["as_of"])


@reads.cached(maxsize=4)
def _read(state: tuple[Any, ...]) -> Inputs:
    from alliancelib.data import fact, load

    facts = load("facts").set_index("fact_id")
    stakes = renault_in_nissan()
    before, after, completed = _rnaipl()
    return Inputs(
        nissan=commitment("Nissan"),
        mmc=commitment("Mitsubishi Motors"),
        renault_shares=fact("renault_shares_outstanding"),
        lockup_before_pct=fact("lockup_before_pct"),
        lockup_after_pct=fact("lockup_after_pct"),
        india_fcf_eur_m=fact(INDIA_FCF),
        charge_eur_bn=fact(CHARGE),
        charge_other_eur_bn=fact(CHARGE_OTHER),
        charge_july_eur_bn=fact(CHARGE_JULY),
        associates_eur_bn=fact(ASSOCIATES),
        utilisation_pct=fact("rnaipl_utilisation_2025_pct"),
        utilisation_as_of=str(facts.at["rnaipl_utilisation_2025_pct", "as_of"]),
        rnaipl_before_pct=before,
        rnaipl_after_pct=after,
        rnaipl_completed=completed,
        rnaipl_bought_pct=fact("rnaipl_stake_bought_pct"),
        renault_in_nissan_direct_pct=stakes["direct"],
        renault_in_nissan_trust_pct=stakes["trust"],
        ceo_low_eur_bn=fact("ampere_ceo_valuation_low_eur_bn"),
        ceo_high_eur_bn=fact("ampere_ceo_valuation_high_eur_bn"),
        bloomberg_eur_m=fact("nissan_block_5pct_eur_m_bloomberg"),
        bloomberg_as_of=str(facts.at["nissan_block_5pct_eur_m_bloomberg", "as_of"]),
        plan_jpy_bn=fact("nissan_plan_sale_jpy_bn"),
        plan_as_of=str(facts.at["nissan_plan_sale_jpy_bn", "as_of"]),
        dividend_eur=fact(DIVIDEND),
        dividend_as_of=str(facts.at[DIVIDEND, "as_of"]),
        nissan_shares_issued=fact("nissan_shares_issued"),
        nissan_dividend_jpy=fact(NISSAN_DIVIDEND),
        nissan_dividend_guided_jpy=fact(NISSAN_DIVIDEND_GUIDED),
        nissan_dividend_as_of=str(facts.at[NISSAN_DIVIDEND_GUIDED, "as_of"]),
        rntbci_renault_pct=fact("rntbci_renault_pct"),
        nissan_supply_until_year=fact("rnaipl_nissan_production_until_year"),
    )
