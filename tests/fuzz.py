"""Property-based fuzzing of a notebook's parameters, at the library level (fast: no kernel).

Strategies are drawn from a parameters class's declared specs: whole valid parameter sets (numbers
within their bounds, the bounds included, integers, options, dates within the data held, None where
allowed) and just-invalid ones (one parameter just outside its bounds, of the wrong type, NaN or
infinite, a malformed date, an unknown option). :func:`check` requires, for every drawn set, either
a :class:`ParameterError` naming a parameter and what is allowed, or results that

- match the module's ``RESULTS`` by name and carry a unit,
- are all finite numbers (or None for the names in the module's ``OPTIONAL_RESULTS``: a break-even
  that does not exist),
- satisfy the notebook's own laws (callables ``law(p, results)`` that raise AssertionError), and
- have ranges with low <= value <= high once the uncertainty analysis runs (a cheap one: 200 draws).

Anything else (another exception, a NaN, an inf) is a failure. A notebook's test calls
:func:`fuzz_notebook`; ``ALLIANCE_FUZZ_EXAMPLES`` raises the number of examples (``make fuzz``).
"""

from __future__ import annotations

import datetime as dt
import math
import os
from collections import Counter
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alliancelib import uncertainty
from alliancelib.errors import ParameterError
from alliancelib.notebooks import PARAMS
from alliancelib.params import Choice, Integer, IsoDate, Number, Optional, Spec, fields_of

Law = Callable[[Any, dict[str, Any]], None]
EXAMPLES = int(os.environ.get("ALLIANCE_FUZZ_EXAMPLES", "2000"))
BIG = 1e9


def valid(spec: Spec) -> st.SearchStrategy[Any]:
    """Values the spec allows, the bounds and their neighbours included."""
    if isinstance(spec, Optional):
        return st.none() | valid(spec.inner)
    if isinstance(spec, Choice):
        return st.sampled_from(spec.options)
    if isinstance(spec, Integer):
        lo = spec.minimum if spec.minimum is not None else -10**6
        hi = spec.maximum if spec.maximum is not None else 10**6
        return st.integers(lo, hi)
    if isinstance(spec, IsoDate):
        lo, hi = spec.bounds() if spec.bounds else (dt.date(1999, 1, 1), dt.date(2030, 12, 31))
        return st.dates(lo, hi).map(dt.date.isoformat)
    if isinstance(spec, Number):
        lo = spec.minimum if spec.minimum is not None else -BIG
        hi = spec.maximum if spec.maximum is not None else BIG
        floats = st.floats(lo, hi, exclude_min=spec.exclusive_minimum, exclude_max=spec.exclusive_maximum,
                           allow_nan=False, allow_infinity=False)
        ints = st.integers(math.ceil(lo), math.floor(hi)).filter(lambda v: _inside(spec, v))
        return floats | ints
    raise TypeError(f"no strategy for {type(spec).__name__}")


def _inside(spec: Number, v: float) -> bool:
    try:
        spec.check(v)
    except ValueError:
        return False
    return True


def invalid(spec: Spec) -> st.SearchStrategy[Any]:
    """Values just outside what the spec allows."""
    wrong_type = st.sampled_from(["abc", True, [1]])
    if isinstance(spec, Optional):
        return invalid(spec.inner).filter(lambda v: v is not None)
    if isinstance(spec, Choice):
        return st.sampled_from(["nope", "", 3]) | wrong_type
    if isinstance(spec, Integer):
        outs = [v for v in (spec.minimum - 1 if spec.minimum is not None else None,
                            spec.maximum + 1 if spec.maximum is not None else None) if v is not None]
        return st.sampled_from([*outs, 1.5, float("nan")]) | wrong_type
    if isinstance(spec, IsoDate):
        bad = ["2025-13-01", "2025-3-1", "31/03/2025", "2025-02-30"]
        if spec.bounds:
            lo, hi = spec.bounds()
            bad += [(lo - dt.timedelta(days=1)).isoformat(), (hi + dt.timedelta(days=30)).isoformat()]
        return st.sampled_from(bad) | wrong_type
    if isinstance(spec, Number):
        outs = [float("nan"), float("inf"), -float("inf")]
        if spec.minimum is not None:
            outs.append(spec.minimum if spec.exclusive_minimum else math.nextafter(spec.minimum, -math.inf))
        if spec.maximum is not None:
            outs.append(spec.maximum if spec.exclusive_maximum else math.nextafter(spec.maximum, math.inf))
        return st.sampled_from(outs) | wrong_type
    raise TypeError(f"no strategy for {type(spec).__name__}")


def parameter_sets(cls: type) -> st.SearchStrategy[dict[str, Any]]:
    """Whole parameter sets: all valid, or all valid but one just invalid."""
    fields = fields_of(cls)
    good = st.fixed_dictionaries({f.name: valid(f.metadata["spec"]) for f in fields})

    @st.composite
    def one_bad(draw: Any) -> dict[str, Any]:
        values = draw(good)
        f = draw(st.sampled_from(fields))
        values[f.name] = draw(invalid(f.metadata["spec"]))
        return values

    return st.one_of(good, good, one_bad())


def notebook_of(module: ModuleType) -> str:
    """The notebook whose parameters class lives in ``module``."""
    return next(nb for nb, target in PARAMS.items() if target.startswith(module.__name__ + ":"))


def check(module: ModuleType, values: dict[str, Any], laws: Sequence[Law] = ()) -> str:
    """One drawn parameter set: 'refused' (a clear ParameterError) or 'ok' (results obey the laws)."""
    names = {f.name for f in fields_of(_params_class(module))}
    try:
        p = module.validate_params(**values)
    except ParameterError as exc:
        assert exc.parameter in names, f"ParameterError names no parameter: {exc}"
        assert exc.allowed.strip(), f"ParameterError says nothing about what is allowed: {exc}"
        assert str(exc).startswith(f"{notebook_of(module)}: parameter {exc.parameter} = "), str(exc)
        return "refused"
    results = dict(module.headline(p))
    specs = {s.name: s for s in module.RESULTS}
    assert set(specs) <= set(results), f"missing results: {sorted(set(specs) - set(results))}"
    optional = set(getattr(module, "OPTIONAL_RESULTS", ()))
    for name, spec in specs.items():
        v = results[name]
        assert spec.unit, f"{name} has no unit"
        if v is None:
            assert name in optional, f"{name} is None but is not an optional result"
            continue
        if isinstance(v, str):
            continue
        assert math.isfinite(float(v)), f"{name} = {v} is not finite at {values}"
    for law in laws:
        law(p, results)
    numeric = [n for n in specs if results[n] is not None and not isinstance(results[n], str)]
    a = uncertainty.assess(p, module.headline, results=numeric, n=200, sobol=False)
    for name in numeric:
        r = a.ranges[name]
        if r.share_defined > 0:
            assert r.low - 1e-9 * max(1, abs(r.value)) <= r.value <= r.high + 1e-9 * max(1, abs(r.value)), (
                f"{name}: value {r.value} outside its range {r.low}-{r.high}")
    return "ok"


def _params_class(module: ModuleType) -> type:
    return getattr(module, PARAMS[notebook_of(module)].split(":")[1])


def fuzz_notebook(module: ModuleType, laws: Sequence[Law] = (), examples: int = EXAMPLES,
                  explicit: Sequence[dict[str, Any]] = ()) -> Counter[str]:
    """Run ``examples`` fuzzed parameter sets (fixed seed) through :func:`check`; returns the counts
    of 'ok' and 'refused'. ``explicit`` parameter sets (regressions the fuzzer once found) run first.
    Prints the counts when run with ``-s`` (``make fuzz``)."""
    counts: Counter[str] = Counter()
    for values in explicit:
        counts[check(module, values, laws)] += 1

    @settings(max_examples=examples, derandomize=True, database=None, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(parameter_sets(_params_class(module)))
    def run(values: dict[str, Any]) -> None:
        counts[check(module, values, laws)] += 1

    run()
    print(f"\nfuzz {notebook_of(module)}: {sum(counts.values())} examples tried "
          f"({counts['ok']} computed, {counts['refused']} refused with a ParameterError), 0 failures")
    return counts
