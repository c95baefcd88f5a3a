"""Property-based fuzzing of a notebook's parameters, at the library level (fast: no kernel).

:func:`cases` draws whole parameter sets from a parameters class's declared specs (hypothesis):

- **valid** sets: numbers within their bounds, the bounds themselves and their nearest floats
  included (an unbounded side is explored up to +-:data:`UNBOUNDED`: past that, a spec should state
  a maximum), whole numbers (also as whole floats, as papermill passes them), options, dates within
  the data held, None where a spec allows it;
- **just-invalid** sets: every value valid but one, which is just outside its bounds, of the wrong
  type, NaN or infinite, a malformed date, an unknown option; or an unknown or a missing name.

:func:`check` requires, for each drawn set, either a :class:`ParameterError` naming the parameter
(the broken one, if one was broken) and saying what is allowed, or, from the module's
``headline(p)``:

- results named exactly as the module's ``RESULTS``, each with a unit;
- every value a finite number (or text), or None for a name in the module's ``OPTIONAL_RESULTS``
  (e.g. a break-even that does not exist);
- the notebook's own laws: callables ``law(p, results)`` that raise AssertionError (shares within
  0-100, look-through columns summing to 1, utilisation <= 100, ...);
- the vectorised path agreeing with the scalar one (every number, and every choice with plausible
  options, passed as an array of its own value gives the same results);
- a cheap uncertainty analysis (:data:`DRAWS` draws, no Sobol') that runs and whose ranges obey
  their laws: finite percentiles with low <= median <= high, low == high == value for a result
  nothing moves, shares within 0-1, a value outside its 5th-95th percentiles only with a note
  saying so, and every range a result records (``Assessment.result_ranges``) with
  low <= value <= high.

Any other exception, a NaN or an inf is a failure. :func:`fuzz_notebook` runs :data:`EXAMPLES`
cases with a fixed seed (hypothesis ``derandomize``, no example database), counts the failures
instead of stopping at the first, and prints one line per notebook:
``fuzz 03_ev_pricing: 200 examples tried (45 computed, 155 refused with a clear ParameterError), 0 failures``.
``ALLIANCE_FUZZ_EXAMPLES`` raises the number of examples (``make fuzz``: 100,000).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

import numpy as np
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from alliancelib import uncertainty
from alliancelib.errors import ParameterError
from alliancelib.notebooks import PARAMS, params_class
from alliancelib.params import Choice, Integer, IsoDate, Number, Optional, Spec, fields_of, plausible_of

Law = Callable[[Any, Mapping[str, Any]], None]
# Examples per notebook: 200 in `make test` and `make test-fast` (a few seconds for all six: the
# rules are checked on every kind of case, edges included); `make fuzz` explores with 100,000.
EXAMPLES = int(os.environ.get("ALLIANCE_FUZZ_EXAMPLES", "200"))
# Monte Carlo draws of the cheap uncertainty analysis per case: the laws checked on it (ordered,
# finite percentiles; shares within 0-1; a value inside its range or a note saying it is not) hold
# for any number of draws, and 50 leave the 5th and 95th percentiles interpolated between draws as
# in the notebooks' 100,000. The draws were never the fuzzer's cost (200 -> 50: 5.1 -> 4.3 s CPU).
DRAWS = 50
UNBOUNDED = 1e12  # how far an unbounded side of a number is explored
UNBOUNDED_INT = 10**9
DATES = (dt.date(1900, 1, 1), dt.date(2100, 12, 31))  # an unbounded date's span
SHOWN_FAILURES = 10


class FuzzFailure(AssertionError):
    """A drawn parameter set broke a rule: the message says which and how."""


@dataclass(frozen=True)
class Case:
    """One drawn parameter set: ``broken`` names the one parameter made invalid (None: all valid),
    ``how`` says what was done to it."""

    values: dict[str, Any]
    broken: str | None = None
    how: str = ""


# --------------------------------------------------------------------------- valid values


def _allowed(spec: Spec, value: Any) -> bool:
    try:
        spec.check(value)
    except ValueError:
        return False
    return True


def _number_bounds(spec: Number) -> tuple[float, float]:
    lo = spec.minimum if spec.minimum is not None else -UNBOUNDED
    hi = spec.maximum if spec.maximum is not None else UNBOUNDED
    return float(lo), float(max(hi, lo))


def valid_number(spec: Number) -> st.SearchStrategy[Any]:
    """Floats within the bounds, the bounds and their nearest floats, and ints (taken as floats)."""
    lo, hi = _number_bounds(spec)
    edges = [lo, math.nextafter(lo, math.inf), hi, math.nextafter(hi, -math.inf), 0.0, 1.0, -1.0]
    edges = [e for e in edges if _allowed(spec, e)]
    floats = st.floats(
        lo,
        hi,
        exclude_min=spec.exclusive_minimum,
        exclude_max=spec.exclusive_maximum,
        allow_nan=False,
        allow_infinity=False,
    )
    ints = st.integers(math.ceil(lo), math.floor(hi)).filter(lambda v: _allowed(spec, v))
    return st.one_of(st.sampled_from(edges), floats, ints) if edges else st.one_of(floats, ints)


def valid_integer(spec: Integer) -> st.SearchStrategy[Any]:
    """Whole numbers within the bounds (the bounds and their neighbours often), some as whole floats."""
    lo = spec.minimum if spec.minimum is not None else -UNBOUNDED_INT
    hi = spec.maximum if spec.maximum is not None else UNBOUNDED_INT
    edges = sorted({v for v in (lo, lo + 1, hi - 1, hi, 0, 1) if lo <= v <= hi})
    ints = st.one_of(st.sampled_from(edges), st.integers(lo, hi))
    return st.one_of(ints, ints.map(float))


def _date_bounds(spec: IsoDate) -> tuple[dt.date, dt.date]:
    return spec.bounds() if spec.bounds is not None else DATES


def valid_date(spec: IsoDate) -> st.SearchStrategy[Any]:
    """Dates within the bounds (the bounds themselves often), written YYYY-MM-DD."""
    lo, hi = _date_bounds(spec)
    return st.one_of(st.sampled_from([lo, hi]), st.dates(lo, hi)).map(dt.date.isoformat)


def valid_value(spec: Spec) -> st.SearchStrategy[Any]:
    """Values ``spec`` allows."""
    if isinstance(spec, Optional):
        return st.one_of(st.none(), valid_value(spec.inner))
    if isinstance(spec, Choice):
        return st.sampled_from(spec.options)
    if isinstance(spec, Integer):
        return valid_integer(spec)
    if isinstance(spec, IsoDate):
        return valid_date(spec)
    if isinstance(spec, Number):
        return valid_number(spec)
    raise TypeError(f"no strategy for a {type(spec).__name__} spec: add one to tests/fuzz.py")


# --------------------------------------------------------------------------- just-invalid values

WRONG_TYPES: list[tuple[str, Any]] = [("text", "12"), ("a boolean", True), ("a list", [1.0])]


def invalid_number(spec: Number) -> list[tuple[str, Any]]:
    out = [("NaN", math.nan), ("infinity", math.inf), ("minus infinity", -math.inf)]
    if spec.minimum is not None:
        below = spec.minimum if spec.exclusive_minimum else math.nextafter(spec.minimum, -math.inf)
        out.append(("just below the minimum", below))
    if spec.maximum is not None:
        above = spec.maximum if spec.exclusive_maximum else math.nextafter(spec.maximum, math.inf)
        out.append(("just above the maximum", above))
    return out


def invalid_integer(spec: Integer) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = [("NaN", math.nan), ("infinity", math.inf)]
    inside = spec.minimum if spec.minimum is not None else 0
    out.append(("not a whole number", inside + 0.5))
    if spec.minimum is not None:
        out.append(("just below the minimum", spec.minimum - 1))
    if spec.maximum is not None:
        out.append(("just above the maximum", spec.maximum + 1))
    return out


def invalid_choice(spec: Choice) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = [
        ("an unknown option", spec.options[0] + "x"),
        ("an empty option", ""),
        ("a number for an option", 1),
    ]
    other_case = spec.options[0].swapcase()
    if other_case not in spec.options:
        out.append(("an option in the wrong case", other_case))
    return out


def invalid_date(spec: IsoDate) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = [
        ("a day that does not exist", "2025-02-30"),
        ("slashes", "2025/03/31"),
        ("no dashes", "20250331"),
        ("no zero padding", "2025-3-1"),
        ("a space", " 2025-03-31"),
        ("an empty date", ""),
        ("a number for a date", 20250331),
        ("a date object", dt.date(2025, 3, 31)),
    ]
    if spec.bounds is not None:
        lo, hi = spec.bounds()
        out += [
            ("the day before the data held", (lo - dt.timedelta(days=1)).isoformat()),
            ("the day after the data held", (hi + dt.timedelta(days=1)).isoformat()),
        ]
    return out


def invalid_values(spec: Spec) -> list[tuple[str, Any]]:
    """What to put in place of a valid value: (how, value) pairs the spec must refuse."""
    if isinstance(spec, Optional):
        return [(how, v) for how, v in invalid_values(spec.inner) if v is not None]
    out = [*WRONG_TYPES, ("None", None)]
    if isinstance(spec, Choice):
        out += invalid_choice(spec)
    elif isinstance(spec, Integer):
        out += invalid_integer(spec)
    elif isinstance(spec, IsoDate):
        out += invalid_date(spec)
    elif isinstance(spec, Number):
        out += invalid_number(spec)
    return [(how, v) for how, v in out if not _allowed(spec, v)]


# --------------------------------------------------------------------------- whole parameter sets


@functools.cache
def valid_sets(cls: type) -> st.SearchStrategy[dict[str, Any]]:
    """Whole valid parameter sets of ``cls`` (each value allowed by its spec; combination rules may
    still refuse the set). Built once per class: building and validating strategies, not running
    the cases, was most of the fuzzer's time."""
    return st.fixed_dictionaries({f.name: valid_value(f.metadata["spec"]) for f in fields_of(cls)})


KINDS = ("invalid", "valid") * 9 + ("unknown", "missing")


@functools.cache
def _strategies(
    cls: type,
) -> tuple[st.SearchStrategy[str], st.SearchStrategy[str], dict[str, st.SearchStrategy]]:
    """The strategies :func:`cases` draws from for ``cls``, built once: the kind of case, a
    parameter name, and each parameter's just-invalid (how, value) pairs."""
    invalid = {f.name: st.sampled_from(invalid_values(f.metadata["spec"])) for f in fields_of(cls)}
    return st.sampled_from(KINDS), st.sampled_from([f.name for f in fields_of(cls)]), invalid


@st.composite
def cases(draw: Any, cls: type) -> Case:
    """Half valid sets; the rest break one parameter, or name an unknown one, or leave one out."""
    values = draw(valid_sets(cls))
    kinds, names, invalid = _strategies(cls)
    kind = draw(kinds)
    if kind == "valid":
        return Case(values)
    if kind == "unknown":
        return Case({**values, "no_such_parameter": 1.0}, "no_such_parameter", "an unknown name")
    name = draw(names)
    if kind == "missing":
        return Case({k: v for k, v in values.items() if k != name}, name, "left out")
    how, bad = draw(invalid[name])
    return Case({**values, name: bad}, name, how)


# --------------------------------------------------------------------------- the check


def check(
    module: ModuleType, case: Case, *, notebook: str, cls: type, laws: Sequence[Law] = (), draws: int = DRAWS
) -> str:
    """One drawn parameter set through the module: ``"refused"`` (a clear ParameterError) or
    ``"ok"`` (results that obey every rule); FuzzFailure (or the module's own exception) otherwise."""
    try:
        p = module.validate_params(**case.values)
    except ParameterError as exc:
        _check_refusal(exc, notebook, {f.name for f in fields_of(cls)}, case)
        return "refused"
    if case.broken is not None:
        raise FuzzFailure(f"accepted {case.broken} = {case.values.get(case.broken)!r} ({case.how})")
    results = module.headline(p)
    _check_results(module, results)
    for law in laws:
        law(p, results)
    _check_vectorised(module, p, results)
    _check_assessment(module, p, draws)
    return "ok"


def _check_refusal(exc: ParameterError, notebook: str, names: set[str], case: Case) -> None:
    """A refusal names the broken parameter (any declared one for a combination rule) and says
    what is allowed, in the notebook's message form."""
    expected = {case.broken} if case.broken is not None else names
    if exc.parameter not in expected:
        raise FuzzFailure(
            f"the ParameterError names {exc.parameter!r}, not {' or '.join(sorted(expected))}: {exc}"
        )
    if not str(exc.allowed).strip():
        raise FuzzFailure(f"the ParameterError does not say what is allowed: {exc}")
    if not str(exc).startswith(f"{notebook}: parameter {exc.parameter} = "):
        raise FuzzFailure(f"the ParameterError does not read '{notebook}: parameter ... =': {exc}")


def _check_results(module: ModuleType, results: Mapping[str, Any]) -> None:
    specs = {s.name: s for s in module.RESULTS}
    if set(results) != set(specs):
        raise FuzzFailure(f"results {sorted(results)} do not match RESULTS {sorted(specs)}")
    optional = set(getattr(module, "OPTIONAL_RESULTS", ()))
    for name, spec in specs.items():
        if not str(spec.unit).strip():
            raise FuzzFailure(f"result {name} has no unit")
        _check_value(name, results[name], name in optional)


def _check_value(name: str, value: Any, may_be_none: bool) -> None:
    if value is None:
        if not may_be_none:
            raise FuzzFailure(f"result {name} is None, and it is not in the module's OPTIONAL_RESULTS")
        return
    if isinstance(value, str):
        return
    if isinstance(value, bool | np.bool_) or np.ndim(value) != 0:
        raise FuzzFailure(f"result {name} = {value!r} is not one number")
    if not math.isfinite(float(value)):
        raise FuzzFailure(f"result {name} = {float(value)} is not finite")


def _drawable(p: Any) -> list[str]:
    """The parameters the uncertainty analysis may pass as arrays: every number, and every choice
    with plausible options."""
    out = []
    for f in fields_of(type(p)):
        v = getattr(p, f.name)
        numeric = isinstance(v, int | float) and not isinstance(v, bool)
        if numeric or (isinstance(v, str) and plausible_of(type(p), f.name) is not None):
            out.append(f.name)
    return out


def _check_vectorised(module: ModuleType, p: Any, results: Mapping[str, Any]) -> None:
    """Every parameter the analysis may draw, passed as an array of its own value, gives the
    scalar results (any parameter may be an array: architecture.md)."""
    same = {name: np.full(2, getattr(p, name)) for name in _drawable(p)}
    if not same:
        return
    arrays = module.headline(p, **same)
    for name, value in results.items():
        if value is None or isinstance(value, str):
            continue
        got = np.broadcast_to(np.asarray(arrays[name], dtype=float), (2,))
        if not np.allclose(got, float(value), rtol=1e-9, atol=1e-9, equal_nan=False):
            raise FuzzFailure(
                f"result {name}: {float(value)!r} from scalars but {got.tolist()} from arrays "
                "of the same values (a broadcasting bug in headline)"
            )


def _check_assessment(module: ModuleType, p: Any, draws: int) -> None:
    a = uncertainty.assess(
        p,
        module.headline,
        results=module.RESULTS,
        conclusions=uncertainty.conclusions_of(module, p),
        n=draws,
        sobol_n=0,
    )
    for r in a.ranges.values():
        _check_range(r)
    for name, (low, high) in a.result_ranges().items():
        value = a.ranges[name].value
        if value is not None and not low <= value <= high:
            raise FuzzFailure(f"result {name}: recorded range {low}-{high} leaves out its value {value}")
    for v in a.verdicts.values():
        if v.share is not None and not 0.0 <= v.share <= 1.0:
            raise FuzzFailure(f"conclusion {v.key}: share {v.share} is not within 0-1")


def _check_range(r: uncertainty.Range) -> None:
    if not 0.0 <= r.share_defined <= 1.0:
        raise FuzzFailure(f"result {r.name}: share of draws where it exists {r.share_defined} not within 0-1")
    if r.low is None or r.high is None or r.median is None:
        return
    if not all(math.isfinite(x) for x in (r.low, r.median, r.high)) or not r.low <= r.median <= r.high:
        raise FuzzFailure(
            f"result {r.name}: percentiles {r.low}, {r.median}, {r.high} are not ordered numbers"
        )
    if not r.varies and r.value is not None and not r.low == r.high == r.value:
        raise FuzzFailure(
            f"result {r.name}: nothing moves it, yet its range is {r.low}-{r.high} and its value {r.value}"
        )
    if r.value is not None and not r.low <= r.value <= r.high and "outside the middle 90%" not in r.note:
        raise FuzzFailure(f"result {r.name}: value {r.value} outside {r.low}-{r.high}, and no note says so")


# --------------------------------------------------------------------------- running


@dataclass
class FuzzReport:
    """What :func:`fuzz_notebook` tried and found: counts, and the first failures (distinct by
    exception type and message), each with its parameter set."""

    notebook: str
    examples: int = 0
    ok: int = 0
    refused: int = 0
    failed: int = 0
    failures: dict[str, Case] = field(default_factory=dict)

    def run(self, module: ModuleType, case: Case, **kw: Any) -> None:
        """Check one case and count it; an exception is recorded, never raised."""
        self.examples += 1
        try:
            outcome = check(module, case, notebook=self.notebook, **kw)
        except Exception as exc:  # noqa: BLE001 - every exception is a finding to report
            self.failed += 1
            key = f"{type(exc).__name__}: {_first_line(exc)}"
            if len(self.failures) < SHOWN_FAILURES:
                self.failures.setdefault(key, case)
            return
        self.ok += outcome == "ok"
        self.refused += outcome == "refused"

    def line(self) -> str:
        """One line for ``make fuzz``: examples tried, how they ended, failures found."""
        return (
            f"fuzz {self.notebook}: {self.examples} examples tried ({self.ok} computed, {self.refused} "
            f"refused with a clear ParameterError), {self.failed} failures"
        )

    def summary(self) -> str:
        """The line, then each distinct failure with a parameter set that shows it."""
        shown = [
            f"  {key}\n    with {case.values!r}" + (f" ({case.broken}: {case.how})" if case.broken else "")
            for key, case in self.failures.items()
        ]
        return "\n".join([self.line(), *shown])


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
    return re.sub(r"\s+", " ", text)[:200]


def notebook_of(module: ModuleType) -> str:
    """The notebook whose parameters class lives in ``module`` (from alliancelib.notebooks.PARAMS)."""
    return next(nb for nb, target in PARAMS.items() if target.split(":")[0] == module.__name__)


def fuzz_notebook(
    module: ModuleType,
    *,
    cls: type | None = None,
    notebook: str | None = None,
    laws: Sequence[Law] = (),
    examples: int | None = None,
    explicit: Sequence[Mapping[str, Any]] = (),
    draws: int = DRAWS,
) -> FuzzReport:
    """Run ``explicit`` parameter sets (regressions the fuzzer once found), then ``examples`` drawn
    cases (default :data:`EXAMPLES`; fixed seed), through :func:`check`; print and return the report.
    ``cls`` and ``notebook`` default to the module's entry in alliancelib.notebooks.PARAMS."""
    notebook = notebook or notebook_of(module)
    cls = cls or params_class(notebook)
    assert cls is not None, f"{notebook}: no parameters class"
    report = FuzzReport(notebook)
    kw = {"cls": cls, "laws": laws, "draws": draws}
    for values in explicit:
        report.run(module, Case(dict(values)), **kw)

    @settings(
        max_examples=examples or EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(cases(cls))
    def run(case: Case) -> None:
        report.run(module, case, **kw)

    run()
    print(f"\n{report.line()}", flush=True)
    return report
