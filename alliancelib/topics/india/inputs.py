"""What notebook 02 reads from ``data/``: Renault's stake in RNAIPL before the purchase
(``rnaipl_ownership.csv``), the cumulative output totals dated as precisely as their sources
(``facts.csv``, ``sources.csv``), the facts the text quotes by key, and the date arithmetic they need.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pandas as pd

from alliancelib import reads


def completion_of(ownership: pd.DataFrame) -> str:
    """The (partial) ISO date from which Renault held all of RNAIPL: the first row of the ownership
    table without a Nissan stake."""
    from alliancelib.data import parse_partial_date

    rows = ownership[ownership["nissan_pct"].astype(float) == 0]
    if rows.empty:
        raise ValueError(
            "rnaipl_ownership.csv has no row where Nissan holds 0%: the purchase is not complete"
        )
    return str(min(rows["as_of"], key=lambda d: parse_partial_date(str(d))))


def completion() -> str:
    """The day Renault completed the purchase, from ``data/rnaipl_ownership.csv``."""
    from alliancelib.data import load

    return completion_of(load("rnaipl_ownership"))


def stake_before_completion(ownership: pd.DataFrame, completion: str | None = None) -> float:
    """Renault's RNAIPL stake (%) in force just before the completion date (by default the one the
    table itself records, :func:`completion_of`)."""
    from alliancelib.data import parse_partial_date

    day = parse_partial_date(completion or completion_of(ownership))
    rows = ownership[[parse_partial_date(d) < day for d in ownership["as_of"]]]
    rows = rows.assign(_day=[parse_partial_date(d) for d in rows["as_of"]]).sort_values("_day")
    return float(rows["renault_pct"].iloc[-1])


def precise_date(as_of: str, published: str) -> dt.date:
    """The most precise date of a figure: the source's publication day when it falls within the
    figure's (partial) as-of period, else the period's first day.

    >>> precise_date("2023-07", "2023-07-27"), precise_date("2025-08-01", "2025-08-01")
    (datetime.date(2023, 7, 27), datetime.date(2025, 8, 1))
    >>> precise_date("2023-07", "2024-01-02")
    datetime.date(2023, 7, 1)
    """
    from alliancelib.data import parse_partial_date

    if len(published) == 10 and published.startswith(as_of):
        return dt.date.fromisoformat(published)
    return parse_partial_date(as_of)


def years_between(start: dt.date, end: dt.date) -> float:
    """Years from ``start`` to ``end`` (days / 365.25).

    >>> round(years_between(dt.date(2023, 7, 27), dt.date(2025, 8, 1)), 4)
    2.0151
    """
    return (end - start).days / 365.25


def implied_annual_output(cumulative_start: float, cumulative_end: float, years: float) -> float:
    """Average output a year implied by two cumulative totals ``years`` apart.

    >>> round(implied_annual_output(2_500_000, 2_800_000, 2.0151))
    148876
    """
    if years <= 0:
        raise ValueError("the second total must come after the first")
    return (cumulative_end - cumulative_start) / years


@reads.cached(maxsize=4)
def _stake_before(stamp: Any = None) -> float:
    from alliancelib.data import load

    return stake_before_completion(load("rnaipl_ownership"))


def stake_before() -> float:
    """Renault's RNAIPL stake before the purchase (%), from ``data/rnaipl_ownership.csv``."""
    from alliancelib.data import file_stamp

    return _stake_before(file_stamp("rnaipl_ownership.csv"))


def output_reached() -> float:
    """Vehicles the plant built in one year at least once: 192,000 is its peak (FY2016-17, a
    secondary copy) or its average to 2023 (Financial Express); on either reading some year reached
    it, so the plant's capacity cannot be smaller."""
    from alliancelib.data import fact

    return min(fact("rnaipl_output_avg_units"), fact("rnaipl_peak_output_units"))


@dataclass(frozen=True)
class CrossCheck:
    """The reported cumulative totals and what they imply."""

    cumulative_start: float
    cumulative_end: float
    start: dt.date
    end: dt.date
    exports: float

    @property
    def years(self) -> float:
        return years_between(self.start, self.end)

    @property
    def output(self) -> float:
        return implied_annual_output(self.cumulative_start, self.cumulative_end, self.years)

    @property
    def exports_share_pct(self) -> float:
        return self.exports / self.cumulative_end * 100


@reads.cached(maxsize=4)
def _cross_check(stamp: Any = None) -> CrossCheck:
    from alliancelib.data import load

    facts = load("facts").set_index("fact_id")
    published = load("sources").set_index("source_id")["date_published"]

    def dated(fact_id: str) -> tuple[float, dt.date]:
        row: Any = facts.loc[fact_id]
        return float(row["value"]), precise_date(str(row["as_of"]), str(published[row["source_id"]]))

    (c0, d0), (c1, d1) = dated("rnaipl_cumulative_2023_units"), dated("rnaipl_cumulative_2025_units")
    exports: Any = facts.at["rnaipl_exports_cumulative_units", "value"]
    return CrossCheck(c0, c1, d0, d1, float(exports))


def cross_check() -> CrossCheck:
    """The cumulative output figures of ``data/facts.csv`` (dated as precisely as their sources)."""
    from alliancelib.data import file_stamp

    return _cross_check(file_stamp("facts.csv", "sources.csv"))


def facts() -> dict[str, float]:
    """Every fact of ``data/facts.csv`` by its id (the text quotes them by key)."""
    from alliancelib.data import load

    table = load("facts")
    return dict(zip(table["fact_id"], table["value"].astype(float), strict=True))
