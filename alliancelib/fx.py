"""ECB euro reference rates: the fixing of a date, as the brief rules.

A date with no fixing (weekend, holiday) uses the latest fixing on or before it, provided it is at
most :data:`MAX_STALENESS_DAYS` older; a date outside the data held is an error that states the
range held.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
from dataclasses import dataclass

from alliancelib import reads
from alliancelib.errors import FxLookupError

MAX_STALENESS_DAYS = 7


@dataclass(frozen=True)
class Fixing:
    """One ECB reference rate: ``rate_per_eur`` units of ``currency`` per euro."""

    currency: str
    requested: dt.date
    fixing_date: dt.date
    rate_per_eur: float
    source: str = "ECB"  # "ECB" or "parameter" (an explicit rate overrode the lookup)

    def describe(self) -> str:
        """A sentence naming the rate and where it comes from.

        >>> Fixing("USD", dt.date(2025, 3, 30), dt.date(2025, 3, 28), 1.0797).describe()
        'EUR 1 = USD 1.0797 (ECB reference rate of 2025-03-28, used for 2025-03-30)'
        """
        if self.source != "ECB":
            return f"EUR 1 = {self.currency} {self.rate_per_eur:g} (set by parameter)"
        used = "" if self.fixing_date == self.requested else f", used for {self.requested}"
        return (
            f"EUR 1 = {self.currency} {self.rate_per_eur:g} (ECB reference rate of {self.fixing_date}{used})"
        )


def _to_date(day: dt.date | str) -> dt.date:
    if isinstance(day, dt.date):
        return day
    try:
        return dt.date.fromisoformat(day)
    except (TypeError, ValueError):
        raise FxLookupError(f"{day!r} is not a date of the form YYYY-MM-DD") from None


Series = tuple[tuple[dt.date, ...], tuple[float, ...], tuple[str, ...]]


def _series(currency: str) -> Series:
    """One currency's fixing dates, rates and their sources, read once per state of
    ``fx_rates.csv`` (its path, time and size: an edited or another data folder reads again)."""
    from alliancelib.data import file_stamp

    return _series_of(currency, file_stamp("fx_rates.csv"))


@functools.lru_cache(maxsize=16)
def _series_of(currency: str, stamp: tuple[object, ...]) -> Series:
    from alliancelib.data import load

    rates = load("fx_rates")
    held = sorted(rates["currency"].unique())
    if currency not in held:
        raise FxLookupError(f"no ECB rates for {currency!r}; currencies held: {', '.join(held)}")
    sub = rates[rates["currency"] == currency].sort_values("date")
    return (
        tuple(d.date() for d in sub["date"]),
        tuple(sub["rate_per_eur"].tolist()),
        tuple(sub["source_id"].astype(str)),
    )


def held_range(currency: str = "USD") -> tuple[dt.date, dt.date]:
    """First and last fixing dates held for ``currency``."""
    dates = _series(currency)[0]
    return dates[0], dates[-1]


def ecb_rate(currency: str, on: dt.date | str) -> Fixing:
    """The ECB fixing that applies on date ``on`` (units of ``currency`` per euro), recorded as a row
    read (:mod:`alliancelib.reads`: its source goes in the report's footer).

    >>> ecb_rate("USD", "2025-03-31").rate_per_eur
    1.0815
    >>> ecb_rate("USD", "2025-03-30").fixing_date   # a Sunday: Friday's fixing
    datetime.date(2025, 3, 28)
    """

    day = _to_date(on)
    dates, values, sources = _series(currency)
    first, last = dates[0], dates[-1]
    held = f"ECB {currency} fixings held: {first} to {last}"
    if day < first or day > last + dt.timedelta(days=MAX_STALENESS_DAYS):
        raise FxLookupError(f"{day} is outside the data; {held}")
    i = bisect.bisect_right(dates, day) - 1
    if (day - dates[i]).days > MAX_STALENESS_DAYS:
        raise FxLookupError(
            f"no fixing within {MAX_STALENESS_DAYS} days before {day} (latest {dates[i]}); {held}"
        )
    reads.record("fx_rates", f"{dates[i]} {currency}", sources[i])
    return Fixing(currency, day, dates[i], values[i])


def rate_or_override(currency: str, on: dt.date | str, override: float | None) -> Fixing:
    """An explicit rate if given (``source`` = "parameter"), else the ECB fixing of ``on``."""
    if override is not None:
        day = _to_date(on)
        return Fixing(currency, day, day, float(override), source="parameter")
    return ecb_rate(currency, on)
