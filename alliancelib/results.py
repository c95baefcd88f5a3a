"""Recorded results: headline numbers any tool can read from an executed ``.ipynb``, shown to a
reader as one formatted table.

Each result is one ``display_data`` output whose data holds :data:`RESULT_MIME` =
``{"name", "value", "unit", "label"}`` plus ``"low"`` and ``"high"`` (smallest and largest over
the stated ranges) when the result has a range, and readable ``text/plain`` and ``text/html``
forms that show the label, never the code name. Reading them needs only the JSON of the notebook (see
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
from pathlib import Path
from typing import Any

# the number formatters live in alliancelib.core.words; re-exported under the names used here
from alliancelib.core.words import (  # noqa: F401
    CURRENCIES,
    EN_DASH,
    MINUS,
    Value,
    auto_decimals,
    format_number,
    format_quantity,
    format_range,
    ordinal,
)

RESULT_MIME = "application/vnd.alliancelib.result+json"


# a snake_case code word, as the browser test looks for it in what a reader sees
CODE_WORD = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")


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

    def result(
        self, value: Any, low: float | None = None, high: float | None = None, note: str = ""
    ) -> Result:
        """The result of this spec with a value (and a range or a note)."""
        return Result(self.name, value, self.unit, self.label, self.decimals, low, high, note)


@dataclass(frozen=True)
class Result:
    """One recorded result: the contract's ``name``, ``value`` and ``unit``, the reader's
    ``label``, the ``decimals`` shown, and its range ``low``-``high`` (smallest and largest value
    over the inputs' stated ranges) or a ``note`` saying why there is none (e.g. "reported fact: no range").

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
        out: dict[str, Any] = {"name": self.name, "value": self.value, "unit": self.unit, "label": self.label}
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
        raise ValueError(
            f"result {name}: the label {label!r} reads like code "
            f"({(found.group(0) if found else name)!r}); write it in plain words"
        )


def make_results(
    specs: Iterable[ResultSpec],
    values: Mapping[str, Any],
    ranges: Mapping[str, tuple[float, float]] | None = None,
    notes: Mapping[str, str] | None = None,
    no_range: Mapping[str, str] | str | None = None,
) -> list[Result]:
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
                if isinstance(no_range, str):
                    notes[spec.name] = no_range
                else:
                    notes[spec.name] = (
                        no_range[spec.name] if spec.name in no_range else _words("results_no_input")
                    )
    missing = [s.name for s in specs if s.name not in values]
    if missing:
        raise KeyError(f"no value for result(s) {', '.join(missing)}")
    return [s.result(values[s.name], *_range(ranges, s.name), note=notes.get(s.name, "")) for s in specs]


def _range(ranges: Mapping[str, tuple[float, float]], name: str) -> tuple[float | None, float | None]:
    return ranges.get(name) or (None, None)


# --------------------------------------------------------------------------- display

GRID = "display:grid;column-gap:12px;align-items:baseline;padding:5px 2px;font-size:14px;line-height:1.4;"
COLUMNS = {True: "minmax(0,5fr) minmax(0,2.2fr) minmax(0,2.8fr)", False: "minmax(0,6fr) minmax(0,4fr)"}


def _words(block: str) -> str:
    """A block of the shared words (``alliancelib/templates/words.md.j2``)."""
    from alliancelib.core.prose import say

    return say(block)


def headers() -> tuple[str, str, str]:
    """The results table's column headers (the shared words' ``results_*`` blocks).

    >>> headers()[:2]
    ('Result', 'Value')
    """
    return _words("results_result"), _words("results_value"), _words("results_range")


def _row_html(cells: Sequence[str], *, header: bool, ranged: bool) -> str:
    """One grid row; cells are already escaped HTML."""
    cls = "alliance-results-head" if header else "alliance-results-row"
    border = "border-bottom:2px solid #333;font-weight:600;" if header else "border-bottom:1px solid #e3e3e3;"
    style = f"{GRID}{border}grid-template-columns:{COLUMNS[ranged]}"
    # values may wrap between words ("258,000 / vehicles a year") so a phone-width row never
    # spills into the next column; numbers themselves hold no spaces and stay whole
    value_style = "text-align:right;font-variant-numeric:tabular-nums;overflow-wrap:normal;"
    spans = [
        f'<span class="ar-label">{cells[0]}</span>',
        f'<span class="ar-value" style="{value_style}{"" if header else "font-weight:600;"}">'
        f"{cells[1]}</span>",
    ]
    if ranged:
        spans.append(f'<span class="ar-range" style="color:#555;font-size:13px">{cells[2]}</span>')
    return f'<div class="{cls}" style="{style}">{"".join(spans)}</div>'


def header_bundle(ranged: bool = True) -> dict[str, Any]:
    """The header output of a results table (plain data: no record in it).

    >>> header_bundle(False)["text/plain"]
    'Result | Value'
    """
    cells = headers() if ranged else headers()[:2]
    hint = _words("results_range_hint")
    shown = [html.escape(c) for c in cells]
    if ranged:
        shown[2] += f' <span style="font-weight:400;color:#666;font-size:12px">({hint})</span>'
    return {
        "text/html": _row_html(shown, header=True, ranged=ranged),
        "text/plain": " | ".join(cells) + (f" ({hint})" if ranged else ""),
    }


def result_bundle(
    name: str | Result,
    value: Any = None,
    unit: str = "",
    label: str | None = None,
    *,
    ranged: bool | None = None,
) -> dict[str, Any]:
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
    return {
        RESULT_MIME: record,
        "text/plain": r.text(),
        "text/html": _row_html(cells, header=False, ranged=ranged),
    }


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
    nb: Mapping[str, Any] = (
        json.loads(Path(notebook).read_text(encoding="utf-8"))
        if isinstance(notebook, str | Path)
        else notebook
    )
    out: dict[str, dict[str, Any]] = {}
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if RESULT_MIME in data:
                item = data[RESULT_MIME]
                out[item["name"]] = dict(item)
    return out
