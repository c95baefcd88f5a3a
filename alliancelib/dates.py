"""Dates as the data write them: ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (a partial date stands for
its whole period), with a calendar error that says which day does not exist ("2026-11-31: November
has 30 days") apart from a malformed date. :mod:`alliancelib.data` re-exports these names."""

from __future__ import annotations

import calendar
import datetime as dt
import re

from alliancelib.core.words import MONTHS

PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


MONTH_NAMES = MONTHS  # one list of the months' names: alliancelib.core.words


class CalendarError(ValueError):
    """A date of the right form that is not on the calendar (``2026-11-31``, ``2026-13``)."""


def calendar_problem(year: int, month: int | None = None, day: int | None = None) -> str | None:
    """Why ``year``-``month``-``day`` is not on the calendar, in words, or None if it is.

    >>> calendar_problem(2026, 11, 31)
    'November has 30 days'
    >>> calendar_problem(2025, 2, 29)
    'February 2025 has 28 days'
    >>> calendar_problem(2026, 13)
    'there is no month 13 (months run from 01 to 12)'
    """
    if year < 1:
        return "there is no year 0"
    if month is None:
        return None
    if not 1 <= month <= 12:
        return f"there is no month {month:02d} (months run from 01 to 12)"
    if day is None:
        return None
    last = calendar.monthrange(year, month)[1]
    if day == 0:
        return "there is no day 00 (days start at 01)"
    if day > last:
        if month == 2:
            return f"February {year} has {last} days"
        return f"{MONTH_NAMES[month - 1]} has {last} days"
    return None


def _year_first_hint(text: str) -> str:
    """A hint for a date written day or month first (31/03/2025), as a spreadsheet may save it."""
    m = re.fullmatch(r"(\d{1,2})[./-](\d{1,2})[./-](\d{4})", text)
    if not m:
        return ""
    a, b, year = int(m[1]), int(m[2]), m[3]
    if a > 12 >= b:
        return f" (written day first? write {year}-{b:02d}-{a:02d})"
    if b > 12 >= a:
        return f" (written month first? write {year}-{a:02d}-{b:02d})"
    return " (write the year first: YYYY-MM-DD)"


def parse_partial_date(text: str) -> dt.date:
    """First day of a partial ISO date: ``2023`` -> 2023-01-01, ``2023-06`` -> 2023-06-01.

    A malformed text raises ValueError; a date of the right form that is not on the calendar raises
    :class:`CalendarError`, which says which day does not exist.

    >>> parse_partial_date("2024-03")
    datetime.date(2024, 3, 1)
    >>> parse_partial_date("2023-11-08")
    datetime.date(2023, 11, 8)
    >>> parse_partial_date("2026-11-31")
    Traceback (most recent call last):
    ...
    alliancelib.dates.CalendarError: 2026-11-31: November has 30 days
    """
    m = PARTIAL_DATE.match(text)
    if not m:
        raise ValueError(
            f"{text!r} is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD" + _year_first_hint(text)
        )
    year = int(m[1])
    month = int(m[2]) if m[2] else None
    day = int(m[3]) if m[3] else None
    problem = calendar_problem(year, month, day)
    if problem:
        raise CalendarError(f"{text}: {problem}")
    return dt.date(year, month or 1, day or 1)


def parse_full_date(text: str) -> dt.date:
    """A full ISO date ``YYYY-MM-DD``; ValueError for another form, :class:`CalendarError` for a day
    that does not exist.

    >>> parse_full_date("2025-03-31")
    datetime.date(2025, 3, 31)
    """
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise ValueError(f"{text!r} is not a date of the form YYYY-MM-DD" + _year_first_hint(text))
    return parse_partial_date(text)


def partial_date_end(text: str) -> dt.date:
    """Last day of a partial ISO date: ``2023`` -> 2023-12-31, ``2024-02`` -> 2024-02-29.

    >>> partial_date_end("2024-02")
    datetime.date(2024, 2, 29)
    """
    start = parse_partial_date(text)
    parts = text.count("-")
    if parts == 2:
        return start
    if parts == 1:
        nxt = dt.date(start.year + (start.month == 12), start.month % 12 + 1, 1)
        return nxt - dt.timedelta(days=1)
    return dt.date(start.year, 12, 31)
