"""Recorded results: headline numbers any tool can read from an executed ``.ipynb``, shown to a
reader as one formatted table.

Each result is one ``display_data`` output whose data holds :data:`RESULT_MIME` =
``{"name", "value", "unit", "label"}`` plus ``"low"`` and ``"high"`` (5th and 95th percentiles)
when the result has a range, and readable ``text/plain`` and ``text/html`` forms that show the
label, never the code name. Reading them needs only the JSON of the notebook (see
:func:`read_results`), not this project.

**Why one output per row.** Every tool finds a result as one output carrying the MIME record, so
each row stays its own output. :func:`show_results` displays a header output, then one output per
result; each row is a CSS grid whose columns are fractions of the output's width
(``minmax(0, Nfr)``: independent of the row's content), so rows stacked in one output area line
up as one table, in JupyterLab (whose sanitiser keeps ``display: grid`` inline styles) and in the
HTML report alike, and wrap instead of overflowing at phone width. The styles are inline so the
table reads the same without the report's style sheet.

Typical use in a topic module and its notebook::

    RESULTS = [ResultSpec("sale_proceeds_eur_m", "EUR m", "What Nissan would raise", 0)]
    results = make_results(RESULTS, {"sale_proceeds_eur_m": 679.27})
    show_results(results)
"""

from __future__ import annotations

import html
import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

RESULT_MIME = "application/vnd.alliancelib.result+json"

Value = int | float | str | None

# a snake_case code word, as the browser test looks for it in what a reader sees
CODE_WORD = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
CURRENCIES = ("EUR", "USD", "JPY", "INR", "GBP", "CNY", "CHF")
MINUS = "\u2212"
EN_DASH = "\u2013"


def _clean(value: Any) -> Value:
    """JSON-safe value; floats keep 12 significant digits so outputs are stable across runs.

    >>> _clean(21639 / 20000)
    1.08195
    >>> _clean(True)
    Traceback (most recent call last):
    ...
    TypeError: a result is a number, a string or None, not bool
    """
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        raise TypeError("a result is a number, a string or None, not bool")
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"a result must be finite, not {value}")
        return float(f"{value:.12g}")
    raise TypeError(f"a result is a number, a string or None, not {type(value).__name__}")


# --------------------------------------------------------------------------- numbers in words


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


_MONEY = re.compile(
    r"^(?P<cur>[A-Z]{3})\s*(?P<scale>k|m|bn|tn)?\s*(?:(?:/|\bper\b)\s*(?P<per>.+))?$"
)
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


def format_value(value: Value, unit: str, decimals: int | None = None) -> str:
    """Alias of :func:`format_quantity` (the name the build's index uses).

    >>> format_value(21630.0, "USD")
    'USD 21,630'
    """
    return format_quantity(value, unit, decimals)


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class ResultSpec:
    """What a recorded result is, for a reader: its ``label`` in plain words, its ``unit`` and
    the ``decimals`` the evidence supports (None: about three significant digits).

    >>> spec = ResultSpec("sale_proceeds_eur_m", "EUR m", "What Nissan would raise", 0)
    >>> spec.result(679.27).text()
    'What Nissan would raise: EUR 679m'
    """

    name: str
    unit: str
    label: str
    decimals: int | None = None

    def result(self, value: Any, low: float | None = None, high: float | None = None,
               note: str = "") -> Result:
        """The result of this spec with a value (and a range or a note)."""
        return Result(self.name, value, self.unit, self.label, self.decimals, low, high, note)


@dataclass(frozen=True)
class Result:
    """One recorded result: the contract's ``name``, ``value`` and ``unit``, the reader's
    ``label``, the ``decimals`` shown, and the plausible range ``low``-``high`` (5th and 95th
    percentiles) or a ``note`` saying why there is none (e.g. "reported fact: no range").

    >>> r = Result("tco_gap_eur", -634.2, "EUR", "Five-year cost, electric minus petrol", 0,
    ...            low=-1850.0, high=410.0)
    >>> r.text()
    'Five-year cost, electric minus petrol: −EUR 634 (range −1,850 to 410)'
    >>> r.record()["low"], sorted(r.record())
    (-1850.0, ['high', 'label', 'low', 'name', 'unit', 'value'])
    """

    name: str
    value: Value
    unit: str
    label: str
    decimals: int | None = None
    low: float | None = None
    high: float | None = None
    note: str = ""

    def __post_init__(self) -> None:
        if not self.name.isidentifier():
            raise ValueError(f"result name {self.name!r} must be an identifier")
        object.__setattr__(self, "value", _clean(self.value))
        _check_label(self.name, self.label)
        if (self.low is None) != (self.high is None):
            raise ValueError(f"result {self.name}: give both low and high, or neither")
        if self.low is not None and self.high is not None:
            low, high = _clean(self.low), _clean(self.high)
            if not isinstance(low, int | float) or not isinstance(high, int | float) or low > high:
                raise ValueError(f"result {self.name}: the range needs numbers with low <= high")
            object.__setattr__(self, "low", low)
            object.__setattr__(self, "high", high)

    def record(self) -> dict[str, Any]:
        """The machine-readable record (:data:`RESULT_MIME`): low/high only with a range."""
        out: dict[str, Any] = {"name": self.name, "value": self.value, "unit": self.unit,
                               "label": self.label}
        if self.low is not None:
            out["low"], out["high"] = self.low, self.high
        return out

    def formatted(self) -> str:
        """The value with its unit, as a reader writes it."""
        return format_quantity(self.value, self.unit, self.decimals)

    def range_text(self, word: str = "range ") -> str:
        """``range 3.0–3.2`` (``word`` first), or the note, or nothing."""
        if self.low is not None and self.high is not None:
            text = f"{word}{format_range(self.low, self.high, self.decimals)}"
            return f"{text}; {self.note}" if self.note else text
        return self.note

    def text(self) -> str:
        """One line of plain text: label, value, and the range or note in brackets."""
        extra = self.range_text()
        return f"{self.label}: {self.formatted()}" + (f" ({extra})" if extra else "")


def _check_label(name: str, label: str) -> None:
    """A label is plain words: not empty, not the code name, no snake_case word in it."""
    if not label.strip():
        raise ValueError(f"result {name}: give it a label in plain words")
    found = CODE_WORD.search(label)
    if found or label == name:
        raise ValueError(f"result {name}: the label {label!r} reads like code "
                         f"({(found.group(0) if found else name)!r}); write it in plain words")


NO_INPUT_MOVES_IT = "no uncertain input moves it"


def make_results(specs: Iterable[ResultSpec], values: Mapping[str, Any],
                 ranges: Mapping[str, tuple[float, float]] | None = None,
                 notes: Mapping[str, str] | None = None,
                 no_range: Mapping[str, str] | str | None = None) -> list[Result]:
    """One :class:`Result` per spec, in the specs' order; every spec needs a value. ``no_range``
    gives the note of each result without a range (one sentence for all, or by name, else
    "no uncertain input moves it"); ``notes`` wins over it.

    >>> [r.note for r in make_results([ResultSpec("a_pct", "%", "A", 1)], {"a_pct": 1.0}, no_range={})]
    ['no uncertain input moves it']

    >>> specs = [ResultSpec("a_pct", "%", "Share of A", 1), ResultSpec("b_eur", "EUR", "Cost of B", 0)]
    >>> rs = make_results(specs, {"a_pct": 3.14159, "b_eur": 1200}, ranges={"a_pct": (3.0, 3.2)},
    ...                   notes={"b_eur": "reported fact: no range"})
    >>> [r.text() for r in rs]
    ['Share of A: 3.1% (range 3.0–3.2)', 'Cost of B: EUR 1,200 (reported fact: no range)']
    """
    ranges, notes = ranges or {}, dict(notes or {})
    specs = list(specs)
    if no_range is not None:
        for spec in specs:
            if spec.name not in ranges and spec.name not in notes:
                notes[spec.name] = (no_range if isinstance(no_range, str)
                                    else no_range.get(spec.name, NO_INPUT_MOVES_IT))
    missing = [s.name for s in specs if s.name not in values]
    if missing:
        raise KeyError(f"no value for result(s) {', '.join(missing)}")
    return [s.result(values[s.name], *_range(ranges, s.name), note=notes.get(s.name, "")) for s in specs]


def _range(ranges: Mapping[str, tuple[float, float]], name: str) -> tuple[float | None, float | None]:
    return ranges.get(name) or (None, None)


# --------------------------------------------------------------------------- display

GRID = "display:grid;column-gap:12px;align-items:baseline;padding:5px 2px;font-size:14px;line-height:1.4;"
COLUMNS = {True: "minmax(0,5fr) minmax(0,2.2fr) minmax(0,2.8fr)", False: "minmax(0,6fr) minmax(0,4fr)"}
HEADERS = ("Result", "Value", "Plausible range")
RANGE_HINT = "5th–95th percentile"


def _row_html(cells: Sequence[str], *, header: bool, ranged: bool) -> str:
    """One grid row; cells are already escaped HTML."""
    cls = "alliance-results-head" if header else "alliance-results-row"
    border = "border-bottom:2px solid #333;font-weight:600;" if header else "border-bottom:1px solid #e3e3e3;"
    style = f"{GRID}{border}grid-template-columns:{COLUMNS[ranged]}"
    # values may wrap between words ("258,000 / vehicles a year") so a phone-width row never
    # spills into the next column; numbers themselves hold no spaces and stay whole
    value_style = "text-align:right;font-variant-numeric:tabular-nums;overflow-wrap:normal;"
    spans = [f'<span class="ar-label">{cells[0]}</span>',
             f'<span class="ar-value" style="{value_style}{"" if header else "font-weight:600;"}">'
             f"{cells[1]}</span>"]
    if ranged:
        spans.append(f'<span class="ar-range" style="color:#555;font-size:13px">{cells[2]}</span>')
    return f'<div class="{cls}" style="{style}">{"".join(spans)}</div>'


def header_bundle(ranged: bool = True) -> dict[str, Any]:
    """The header output of a results table (plain data: no record in it).

    >>> header_bundle(False)["text/plain"]
    'Result | Value'
    """
    cells = HEADERS if ranged else HEADERS[:2]
    shown = [html.escape(c) for c in cells]
    if ranged:
        shown[2] += f' <span style="font-weight:400;color:#666;font-size:12px">({RANGE_HINT})</span>'
    return {"text/html": _row_html(shown, header=True, ranged=ranged),
            "text/plain": " | ".join(cells) + (f" ({RANGE_HINT})" if ranged else "")}


def result_bundle(name: str | Result, value: Any = None, unit: str = "", label: str | None = None, *,
                  ranged: bool | None = None) -> dict[str, Any]:
    """The MIME bundle of one recorded result (a :class:`Result`, or the old call form
    ``name, value, unit``): the record, and text/plain and text/html forms showing the label.

    >>> b = result_bundle(Result("claims_total", 17, "claims", "Claims checked"))
    >>> b["text/plain"]
    'Claims checked: 17 claims'
    >>> b[RESULT_MIME]
    {'name': 'claims_total', 'value': 17, 'unit': 'claims', 'label': 'Claims checked'}
    """
    r = name if isinstance(name, Result) else _legacy_result(name, value, unit, label)
    if ranged is None:
        ranged = bool(r.range_text())
    record = r.record() if r.label != r.name else {k: v for k, v in r.record().items() if k != "label"}
    cells = [html.escape(r.label), html.escape(r.formatted()), html.escape(r.range_text(word=""))]
    return {RESULT_MIME: record, "text/plain": r.text(),
            "text/html": _row_html(cells, header=False, ranged=ranged)}


def _legacy_result(name: str, value: Any, unit: str, label: str | None) -> Result:
    """A result from the old call form: the label and decimals from the topic module's
    ``RESULTS`` when it declares the name; else the code name (flagged by the browser test)."""
    if not name.isidentifier():
        raise ValueError(f"result name {name!r} must be an identifier")
    spec = spec_for(name)
    if label is None and spec is not None:
        return Result(name, value, unit, spec.label, spec.decimals)
    if label is None:
        r = Result(name, value, unit, "x")
        object.__setattr__(r, "label", name)  # no label known: the code name, until RESULTS names it
        return r
    return Result(name, value, unit, label, spec.decimals if spec else None)


def spec_for(name: str) -> ResultSpec | None:
    """The :class:`ResultSpec` of ``name`` in the ``RESULTS`` of a topic module already imported
    (the modules of :data:`alliancelib.notebooks.PARAMS`); None if none declares it."""
    import sys

    from alliancelib.notebooks import PARAMS

    for target in PARAMS.values():
        module = sys.modules.get(target.split(":")[0])
        for spec in getattr(module, "RESULTS", ()) or ():
            if getattr(spec, "name", None) == name:
                return spec
    return None


def show_results(results: Iterable[Result] | Mapping[str, Result]) -> None:
    """Display results as one table: a header output, then one output per result, each carrying
    its machine-readable record (returns None: nothing echoes after it).

    ``results.show_results(a.results)`` (a list of :class:`Result`, or a dict of them by name)
    """
    from IPython.display import display

    rows = list(results.values()) if isinstance(results, Mapping) else list(results)
    wrong = [type(r).__name__ for r in rows if not isinstance(r, Result)]
    if wrong:
        raise TypeError(f"show_results takes Result objects (ResultSpec.result(value)), not {wrong[0]}")
    ranged = any(r.range_text() for r in rows)
    display(header_bundle(ranged), raw=True)
    for r in rows:
        display(result_bundle(r, ranged=ranged), raw=True)


def record(name: str, value: Any, unit: str, label: str | None = None) -> None:
    """Display one recorded result (the old call form; :func:`show_results` shows a table)."""
    from IPython.display import display

    display(result_bundle(name, value, unit, label), raw=True)


def read_results(notebook: str | Path | Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Every recorded result of an executed notebook (a path or its parsed JSON), by name.

    Uses only the notebook's JSON: ``{"name": {"name", "value", "unit", ["label", "low",
    "high"]}}`` (old notebooks have no label). A name recorded twice keeps its last value.
    """
    nb: Mapping[str, Any] = (json.loads(Path(notebook).read_text(encoding="utf-8"))
                             if isinstance(notebook, str | Path) else notebook)
    out: dict[str, dict[str, Any]] = {}
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if RESULT_MIME in data:
                item = data[RESULT_MIME]
                out[item["name"]] = dict(item)
    return out
