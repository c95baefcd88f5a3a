"""How recent a report's evidence is: the newest news among the sources it cites, and the newest
exchange-rate fixing held (part of :mod:`alliancelib.data`'s interface, which re-exports them)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


def fx_source_ids(folder: Path | None = None) -> set[str]:
    """The sources of the exchange-rate series (the ids cited by ``fx_rates.csv``)."""
    from alliancelib.data import load

    return set(load("fx_rates", folder)["source_id"])


def news_as_of(source_ids: Iterable[str], folder: Path | None = None) -> str:
    """How recent the news behind a report is: the newest publication date among ``source_ids``,
    leaving out the exchange-rate series (a daily data file says nothing about the news).

    Returned as written in ``sources.csv`` (partial dates stay partial); partial dates compare by
    their first day.

    >>> news_as_of(["rediff_20250331", "ecb_eurofxref"])
    '2025-03-31'
    """
    from alliancelib.data import load, parse_partial_date

    fx_ids = fx_source_ids(folder)
    ids = sorted(set(source_ids) - fx_ids)
    if not ids:
        raise ValueError("no news sources given (only exchange-rate series)")
    sources = load("sources", folder).set_index("source_id")
    missing = [s for s in ids if s not in sources.index]
    if missing:
        raise KeyError(f"unknown source ids: {', '.join(missing)}")
    dates = {s: str(sources.at[s, "date_published"]) for s in ids}
    return max(dates.values(), key=lambda d: (parse_partial_date(d), len(d)))


def fx_as_of(currencies: Iterable[str] = ("USD",), folder: Path | None = None) -> str:
    """The newest ECB fixing held for ``currencies`` (YYYY-MM-DD).

    >>> fx_as_of()
    '2026-08-21'
    """
    from alliancelib.data import load

    rates = load("fx_rates", folder)
    held = rates[rates["currency"].isin(list(currencies))]
    if held.empty:
        raise KeyError(f"no fixings for {', '.join(currencies)}")
    return str(held["date"].max().date())
