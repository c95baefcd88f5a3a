"""THE number and phrase formatters: every sentence, table note and chart title of a report writes
its numbers with these (one name, one meaning, one signature each), and the prose templates use
them as filters (:mod:`alliancelib.core.prose`): ``{{ value | money }}``, ``{{ share | percent }}``.

Conventions, for a writer and a reader alike:

- a typographic minus (U+2212) for negative numbers, thousands separated by commas;
- halves round away from zero (64.5 -> 65), as a reader expects, not to even;
- money puts the currency first and the scale after the number (``EUR 679m``, ``EUR 9.3bn``);
- the unit is written once, in the formatter's argument, never typed beside the number.

Which to use:

========================  =========================================================================
``format_number``         a bare number: ``295,722,284``, ``3.0``
``format_quantity``       a number and its unit: ``EUR 679m``, ``35.71%``, ``233,000 vehicles a year``
``money``                 an amount in EUR m (or another unit), whole: ``EUR 679m``
``about_eur_m``           an amount in EUR m as a reader says it: ``EUR 680m``, ``EUR 1.2bn``
``eur_bn``                EUR bn with the decimals it needs (up to 2): ``EUR 4bn``, ``EUR 10.8bn``
``money_sig``             an amount to significant digits: ``EUR 680m``, ``EUR 3.1bn``, ``EUR 40.5``
``pct``                   a percentage, one decimal unless told: ``35.7%``, ``15%``
``percent``               a share of plausible cases (0-1): ``71%``, ``more than 99%``
``plain``                 a figure with the digits it has, no separators: ``45.94``, ``5``, ``9.31``
``sig``                   a number to significant digits, no separators: ``5``, ``5.556``
``tex``                   a number inside a LaTeX formula: ``19{,}490``
``ordinal``               ``1st``, ``22nd``
``say_date``              a (partial) ISO date in words: ``31 March 2025``, ``May 2025``
``list_words``            ``a, b and c``
``share_words``           a utilisation as a reader says it: ``about a third``, ``80%``
========================  =========================================================================

``alliancelib.results`` (``format_number``, ``format_quantity``, ``format_range``, ``ordinal``...),
``alliancelib.analysis`` (``say_date``, ``pct``) and ``alliancelib.uncertainty`` (``percent``)
re-export these under their old names: this module is their only home.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal

__all__ = [
    "about_eur_m",
    "auto_decimals",
    "eur_bn",
    "format_number",
    "format_quantity",
    "format_range",
    "list_words",
    "money",
    "money_sig",
    "ordinal",
    "pct",
    "percent",
    "plain",
    "say_date",
    "share_words",
    "sig",
    "tex",
]

Value = int | float | str | None

CURRENCIES = ("EUR", "USD", "JPY", "INR", "GBP", "CNY", "CHF")
MINUS = "\u2212"
EN_DASH = "\u2013"
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


# --------------------------------------------------------------------------- numbers with their units


def auto_decimals(value: float) -> int:
    """Decimals a reader needs when none are given: about three significant digits, none for
    values of 100 and more.

    >>> [auto_decimals(v) for v in (21630.4, 35.714, 1.08195, 0.04167, 0.0)]
    [0, 1, 2, 4, 0]
    """
    size = abs(value)
    if size >= 100 or size == 0:
        return 0
    return max(0, 2 - math.floor(math.log10(size)))


def format_number(value: float, decimals: int | None = None) -> str:
    """A number with thousands separators and ``decimals`` decimals (a typographic minus).

    >>> format_number(233000), format_number(-634.4, 0), format_number(3.04567, 1)
    ('233,000', '−634', '3.0')
    >>> format_number(0.0001, 1)  # no negative zero either
    '0.0'
    >>> format_number(64.5, 0), format_number(0.125, 2), format_number(-2.5, 0)  # halves away from zero
    ('65', '0.13', '−3')
    """
    if isinstance(value, int) and decimals is None:
        text = f"{value:,}"
    else:
        d = auto_decimals(float(value)) if decimals is None else decimals
        # halves round up as a reader expects (64.5 -> 65), not to even as float formatting does
        exact = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-d), rounding=ROUND_HALF_UP)
        text = f"{exact:,.{d}f}"
        if float(text.replace(",", "")) == 0:
            text = text.lstrip("-")
    return text.replace("-", MINUS)


def ordinal(n: int) -> str:
    """``1st``, ``2nd``, ``3rd``, ``4th``, ``11th``, ``22nd``...

    >>> [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101)]
    ['1st', '2nd', '3rd', '4th', '11th', '12th', '13th', '21st', '22nd', '101st']
    """
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


_MONEY = re.compile(r"^(?P<cur>[A-Z]{3})\s*(?P<scale>k|m|bn|tn)?\s*(?:(?:/|\bper\b)\s*(?P<per>.+))?$")
_RANK = re.compile(r"^rank(?:\s+of\s+(?P<of>\d[\d,]*))?$")
_PER_YEAR = re.compile(r"\s*(?:/\s*(?:yr|year)|per\s+year|a\s+year)$")


def _per(unit: str) -> str:
    """``km/kWh`` -> ``km per kWh``; ``/yr``, ``per year`` -> ``a year``.

    >>> _per("km/kWh"), _per("vehicles/yr"), _per("EUR/km")
    ('km per kWh', 'vehicles a year', 'EUR per km')
    """
    if _PER_YEAR.search(unit):
        return _PER_YEAR.sub("", unit).strip() + " a year"
    return re.sub(r"\s*/\s*", " per ", unit).strip()


def _count_noun(unit: str, value: float) -> str:
    """Singular for exactly one: ``1 claim``, ``1 model``, ``1 vehicle a year``."""
    if abs(value) != 1:
        return unit
    head, _, tail = unit.partition(" ")
    if re.fullmatch(r"[a-z]{3,}s", head) and not head.endswith("ss"):
        head = head[:-1]
    return f"{head} {tail}".strip()


def _format_money(number: str, negative: bool, match: re.Match[str]) -> str:
    text = f"{match['cur']} {number}{match['scale'] or ''}"
    if match["per"]:
        text += f" per {match['per'].strip()}"
    return f"{MINUS}{text}" if negative else text


def format_quantity(value: Value, unit: str, decimals: int | None = None) -> str:
    """A value as a reader writes it, with its unit once.

    Money puts the currency first and the scale after the number; percentages take the sign
    directly; ``/`` reads "per" and ``/yr`` "a year"; ``rank of N`` reads "2nd of N"; count
    nouns take the singular for one.

    >>> format_quantity(35.714286, "%", 2)
    '35.71%'
    >>> format_quantity(679.27, "EUR m", 0), format_quantity(21630.4, "USD", 0)
    ('EUR 679m', 'USD 21,630')
    >>> format_quantity(96.96, "JPY bn", 1), format_quantity(-634.2, "EUR", 0)
    ('JPY 97.0bn', '−EUR 634')
    >>> format_quantity(233000, "vehicles/yr"), format_quantity(2, "rank of 7")
    ('233,000 vehicles a year', '2nd of 7')
    >>> format_quantity(1.0815, "USD per EUR", 4), format_quantity(727.27, "EUR/kWh", 0)
    ('USD 1.0815 per EUR', 'EUR 727 per kWh')
    >>> format_quantity(1, "claims"), format_quantity(17, "claims"), format_quantity(9.56, "km/kWh", 1)
    ('1 claim', '17 claims', '9.6 km per kWh')
    >>> format_quantity(None, "km/yr"), format_quantity("Renault", "")
    ('none', 'Renault')
    """
    if value is None:
        return "none"
    if isinstance(value, str):
        return f"{value} {unit}".strip()
    unit = unit.strip()
    rank = _RANK.match(unit)
    if rank:
        of = f" of {rank['of']}" if rank["of"] else ""
        return f"{ordinal(round(value))}{of}"
    number = format_number(abs(value) if unit[:3] in CURRENCIES else value, decimals)
    money = _MONEY.match(unit)
    if money and money["cur"] in CURRENCIES:
        return _format_money(number, value < 0 and number.strip("0.,") != "", money)
    if unit in ("%", "percent"):
        return f"{number}%"
    if unit in ("pp", "points", "percentage points"):
        return f"{number} percentage {'point' if abs(value) == 1 else 'points'}"
    return f"{number} {_count_noun(_per(unit), value)}".strip()


def format_range(low: float, high: float, decimals: int | None = None) -> str:
    """A plausible range as bare numbers (the unit is written once, beside the value).

    >>> format_range(3.04, 3.16, 1), format_range(-1200, 300, 0)
    ('3.0–3.2', '−1,200 to 300')
    """
    if decimals is None:
        decimals = max(auto_decimals(low), auto_decimals(high))
    a, b = format_number(low, decimals), format_number(high, decimals)
    return f"{a} to {b}" if low < 0 else f"{a}{EN_DASH}{b}"


# --------------------------------------------------------------------------- numbers in sentences


def money(value: float, unit: str = "EUR m", decimals: int = 0) -> str:
    """An amount as a sentence shows it: ``unit`` (``EUR m`` unless told) and ``decimals`` (none
    unless told).

    >>> money(679.27), money(-1000), money(9.3, "EUR bn", 1), money(111.396, "JPY bn")
    ('EUR 679m', '−EUR 1,000m', 'EUR 9.3bn', 'JPY 111bn')
    """
    return format_quantity(float(value), unit, decimals)


def money_sig(value: float, unit: str = "EUR m", digits: int = 2) -> str:
    """An amount in ``unit`` rounded to ``digits`` significant digits, as a reader says it after
    "about" (the unit's scale is kept: EUR bn stays in bn).

    >>> money_sig(679.27), money_sig(3.084, "EUR bn"), money_sig(13.585, "EUR bn", 3)
    ('EUR 680m', 'EUR 3.1bn', 'EUR 13.6bn')
    >>> money_sig(40.52, "EUR", 3)
    'EUR 40.5'
    >>> money_sig(0.0, "EUR m"), money_sig(1234.5, "EUR m", 3)
    ('EUR 0m', 'EUR 1,230m')
    """
    value = float(value)
    if not value:
        return format_quantity(value, unit)
    shift = digits - 1 - math.floor(math.log10(abs(value)))
    return format_quantity(round(value, shift), unit, max(shift, 0))


def about_eur_m(value_eur_m: float) -> str:
    """An amount in EUR m rounded as a reader says it, without its sign: to EUR 10m below EUR 1bn,
    to EUR 0.1bn from EUR 1bn (so "about" belongs in the sentence, not here).

    >>> about_eur_m(679.27), about_eur_m(464.0), about_eur_m(-1000.0), about_eur_m(1250.0)
    ('EUR 680m', 'EUR 460m', 'EUR 1.0bn', 'EUR 1.2bn')
    """
    v = abs(float(value_eur_m))
    if v >= 1000:
        return f"EUR {v / 1000:.1f}bn"
    return f"EUR {round(v, -1):,.0f}m"


def eur_bn(value_eur_bn: float) -> str:
    """An amount in EUR bn with as few decimals as the figure needs, at most two: a valuation or a
    reported figure quoted as given.

    >>> eur_bn(4.0), eur_bn(3.2), eur_bn(10.8), eur_bn(4.126), eur_bn(-1.5)
    ('EUR 4bn', 'EUR 3.2bn', 'EUR 10.8bn', 'EUR 4.13bn', '−EUR 1.5bn')
    """
    v = float(value_eur_bn)
    for d in (0, 1):
        if abs(round(v, d) - v) < 1e-9:
            return money(v, "EUR bn", d)
    return money(v, "EUR bn", 2)


def pct(value: float, decimals: int = 1) -> str:
    """A percentage (0-100) as a sentence shows it: one decimal unless told, a typographic minus.

    >>> pct(35.714), pct(15.0, 0), pct(-48.45, 0), pct(5.5556), pct(35.714, 2)
    ('35.7%', '15%', '−48%', '5.6%', '35.71%')
    """
    return format_quantity(float(value), "%", decimals)


def percent(share: float) -> str:
    """A share (0-1) of plausible cases as a reader says it: never "100%" or "0%" unless exactly so.

    >>> percent(0.713), percent(1.0), percent(0.9996), percent(0.0), percent(0.0004)
    ('71%', '100%', 'more than 99%', '0%', 'less than 1%')
    """
    if share >= 1.0:
        return "100%"
    if share <= 0.0:
        return "0%"
    if share > 0.99:
        return "more than 99%"
    if share < 0.01:
        return "less than 1%"
    return f"{round(share * 100):.0f}%"


def plain(value: float) -> str:
    """A figure with the digits it has (up to six significant), no thousands separator, a
    typographic minus: for a sourced figure or a parameter quoted as given.

    >>> plain(45.94), plain(5.0), plain(9.31), plain(15.27), plain(100.0), plain(-2.5)
    ('45.94', '5', '9.31', '15.27', '100', '−2.5')
    """
    return f"{float(value):g}".replace("-", MINUS)


def sig(value: float, digits: int) -> str:
    """A number to ``digits`` significant digits, trailing zeros dropped, no thousands separator.

    >>> sig(5.0, 4), sig(5.5555556, 4), sig(5.27, 4), sig(-0.123456, 2)
    ('5', '5.556', '5.27', '−0.12')
    """
    return f"{float(value):.{digits}g}".replace("-", MINUS)


def tex(value: float, decimals: int = 0) -> str:
    """A number for a LaTeX formula: thousands separated by a comma LaTeX does not space
    (``{,}``), a plain minus (LaTeX draws its own).

    >>> tex(19490.0), tex(-3446.37), tex(0.8, 2), tex(679.274, 1)
    ('19{,}490', '-3{,}446', '0.80', '679.3')
    """
    return f"{float(value):,.{decimals}f}".replace(",", "{,}")


def say_date(day: str | dt.date) -> str:
    """A (partial) ISO date as a reader writes it.

    >>> say_date("2025-03-31"), say_date("2025-05"), say_date("2026"), say_date(dt.date(2025, 11, 6))
    ('31 March 2025', 'May 2025', '2026', '6 November 2025')
    """
    parts = (day.isoformat() if isinstance(day, dt.date) else str(day)).split("-")
    if len(parts) == 3:
        return f"{int(parts[2])} {MONTHS[int(parts[1]) - 1]} {parts[0]}"
    if len(parts) == 2:
        return f"{MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return parts[0]


def list_words(items: Sequence[str]) -> str:
    """Words joined as a sentence lists them: ``a``, ``a and b``, ``a, b and c``.

    >>> list_words(["a"]), list_words(["a", "b"]), list_words(["a", "b", "c"]), list_words([])
    ('a', 'a and b', 'a, b and c', '')
    """
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def share_words(value_pct: float) -> str:
    """A utilisation (%) as a reader says it: a familiar fraction where it is one, else the whole
    percentage.

    >>> [share_words(v) for v in (33.25, 37.2, 48.0, 64.5)]
    ['about a third', 'about a third', 'about half', 'about two-thirds']
    >>> share_words(80.0), share_words(96.0)
    ('80%', 'nearly full')
    """
    for low, high, words in (
        (28.0, 38.0, "about a third"),
        (45.0, 55.0, "about half"),
        (62.0, 70.0, "about two-thirds"),
        (95.0, 100.0, "nearly full"),
    ):
        if low <= value_pct < high:
            return words
    return pct(value_pct, 0)
