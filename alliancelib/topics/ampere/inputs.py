"""What notebook 04 reads from ``data/``: every sourced figure and date its results and sentences
use, read once per state of the files (:func:`read`), so no figure is typed into code or text.

``read()`` returns one :class:`Inputs`; the model, the analysis and the template take their numbers
from it by name (``inputs.ceo_low_eur_bn``, ``inputs.nissan.committed_on``...).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from alliancelib import reads

FILES = ("facts.csv", "fx_rates.csv", "ampere_commitments.csv", "events.csv", "claims.csv", "sources.csv")

CEO_LOW, CEO_HIGH = "ampere_ceo_valuation_low_eur_bn", "ampere_ceo_valuation_high_eur_bn"
ARTICLE_USD = "ampere_usd"  # the claim that Nissan's EUR 600m was USD 649m

# the Ampere events a sentence dates, by their keys in events.csv
EVENTS = {
    "ipo_cancelled": "ampere_ipo_cancelled",
    "no_minority_financing": "ampere_no_minority_financing",
    "unions": "ampere_unions_presentation",
    "fold_back_planned": "ampere_fold_back_planned",
}


@dataclass(frozen=True)
class Commitment:
    """An investor's commitment to Ampere (a row of ``ampere_commitments.csv``): money or a stake
    ceiling, when it was made and when it ended."""

    investor: str
    amount_eur_m: float | None
    stake_cap_pct: float | None
    committed_on: str
    ended_on: str


@dataclass(frozen=True)
class Inputs:
    """The sourced figures and dates of notebook 04, each in the unit its name ends with."""

    nissan_cap: Commitment  # Nissan's "up to 15%" of February 2023
    nissan: Commitment  # Nissan's "up to EUR 600m" of July 2023
    mmc: Commitment  # Mitsubishi Motors' "up to EUR 200m"
    ceo_low_eur_bn: float  # the CEO's remark on Ampere's value: "eight, nine, 10 billion"
    ceo_high_eur_bn: float
    ceo_as_of: str  # the day of the remark
    staff_reuters: float  # Ampere's staff in 2026, per Reuters (about)
    staff_figaro: float  # per Le Figaro (the sources conflict)
    staff_moving: float  # staff who change employing entity at the reintegration
    breakeven_target_year: float  # the 2023 targets' breakeven year
    breakeven_year_2026_report: float  # the original breakeven year as a 2026 report gives it
    article_usd_m: float  # the announcement article's dollar figure for Nissan's commitment (claims.csv)
    events: dict[str, str]  # the dates of the events in EVENTS, by name


def stamp() -> tuple[Any, ...]:
    """The state of the data files notebook 04 reads (a cache key: an edited or swapped data folder is
    read again)."""
    from alliancelib.data import file_stamp

    return file_stamp(*FILES)


def read() -> Inputs:
    """The sourced figures, read once per state of the data files."""
    return _read(stamp())


def _commitment(row: Any) -> Commitment:
    def number(value: Any) -> float | None:
        return None if value is None or value != value else float(value)  # NaN: not given

    return Commitment(
        str(row["investor"]),
        number(row["commitment_eur_m"]),
        number(row["stake_cap_pct"]),
        str(row["committed_on"]),
        str(row["ended_on"]),
    )


def commitments() -> list[Commitment]:
    """Every commitment to Ampere, in the file's order."""
    from alliancelib.data import load

    return [_commitment(r) for _, r in load("ampere_commitments").iterrows()]


def event_date(name: str) -> str:
    """The date of one of Ampere's events (:data:`EVENTS`), found by its key."""
    from alliancelib.data import event

    return str(event(EVENTS[name])["date"])


def claim_value(claim_id: str) -> float:
    """The figure a claim states (``claims.csv``, column ``value``)."""
    from alliancelib.data import load

    claims = load("claims")
    return float(claims.loc[claims["claim_id"] == claim_id, "value"].iloc[0])


@reads.cached(maxsize=4)
def _read(state: tuple[Any, ...]) -> Inputs:
    from alliancelib.data import fact, load

    facts = load("facts").set_index("fact_id")
    rows = commitments()
    nissan_cap = next(c for c in rows if c.investor == "Nissan" and c.amount_eur_m is None)
    nissan = next(c for c in rows if c.investor == "Nissan" and c.amount_eur_m is not None)
    mmc = next(c for c in rows if c.investor == "Mitsubishi Motors")
    return Inputs(
        nissan_cap=nissan_cap,
        nissan=nissan,
        mmc=mmc,
        ceo_low_eur_bn=fact(CEO_LOW),
        ceo_high_eur_bn=fact(CEO_HIGH),
        ceo_as_of=str(facts.at[CEO_LOW, "as_of"]),
        staff_reuters=fact("ampere_staff_reuters_2026"),
        staff_figaro=fact("ampere_staff_figaro_2026"),
        staff_moving=fact("ampere_staff_moving_2026"),
        breakeven_target_year=fact("ampere_breakeven_target_year"),
        breakeven_year_2026_report=fact("ampere_breakeven_year_2026_report"),
        article_usd_m=claim_value(ARTICLE_USD),
        events={name: event_date(name) for name in EVENTS},
    )
