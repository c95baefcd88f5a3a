"""Fuzzed parameters (issue 17): every notebook module, then the harness itself on a small demo module.

For every notebook of :data:`alliancelib.notebooks.PARAMS` whose module provides ``headline`` and
``RESULTS``, 200 drawn parameter sets (fixed seed; ``ALLIANCE_FUZZ_EXAMPLES`` raises the number:
``make fuzz`` runs 100,000 with ``-s`` and prints a line per notebook). A notebook's own
laws and the findings it fixed (parameter sets run first, every time) are ``LAWS`` and
``REGRESSIONS`` in its contract test file ``tests/test_contract_NN.py`` (or in the dicts below).
"""

from __future__ import annotations

import importlib
import math
import types
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from fuzz import EXAMPLES, Case, FuzzFailure, Law, cases, check, fuzz_notebook, invalid_values
from helpers import examples
from hypothesis import given, settings

from alliancelib.errors import ParameterError
from alliancelib.notebooks import PARAMS
from alliancelib.params import Choice, Integer, IsoDate, Number, Optional, Plausible, param, validate
from alliancelib.results import ResultSpec
from alliancelib.uncertainty import Conclusion

# notebook -> laws (p, results) -> None raising AssertionError, e.g. shares within 0-100
LAWS: dict[str, Sequence[Law]] = {}
# notebook -> parameter sets the fuzzer once broke, kept as regressions
REGRESSIONS: dict[str, Sequence[Mapping[str, Any]]] = {}


def hooks(notebook: str) -> tuple[list[Law], list[Mapping[str, Any]]]:
    """A notebook's laws and regressions: those above, plus ``LAWS`` and ``REGRESSIONS`` of its
    contract test file (``tests/test_contract_NN.py``), where a notebook's engineer keeps them."""
    laws, regressions = list(LAWS.get(notebook, ())), list(REGRESSIONS.get(notebook, ()))
    contract = f"test_contract_{notebook[:2]}"
    if (Path(__file__).parent / f"{contract}.py").exists():
        module = importlib.import_module(contract)
        laws += list(getattr(module, "LAWS", ()))
        regressions += list(getattr(module, "REGRESSIONS", ()))
    return laws, regressions


@pytest.mark.parametrize("notebook", list(PARAMS))
def test_every_notebook_gives_results_or_a_clear_error(notebook: str) -> None:
    module = importlib.import_module(PARAMS[notebook].split(":")[0])
    missing = [name for name in ("headline", "RESULTS") if not hasattr(module, name)]
    assert not missing, f"{notebook}: {module.__name__} does not provide {' and '.join(missing)}"
    laws, regressions = hooks(notebook)
    report = fuzz_notebook(module, laws=laws, explicit=regressions)
    assert report.examples >= EXAMPLES
    assert report.failed == 0, report.summary()


# --------------------------------------------------------------------------- the harness itself


@dataclass(frozen=True)
class DemoParams:
    price_eur: float = param(
        100.0,
        Number(minimum=0, maximum=1e6, exclusive_minimum=True),
        "price",
        plausible=Plausible(80.0, 120.0, "test", "judgement"),
    )
    years: int = param(5, Integer(minimum=1, maximum=40), "years")
    market: str = param("FR", Choice(("FR", "DE")), "market")
    day: str = param("2025-03-31", IsoDate(), "day")
    rate: float | None = param(None, Optional(Number(minimum=0, maximum=10, exclusive_minimum=True)), "rate")


def sound(p: DemoParams, **d: Any) -> dict[str, Any]:
    price = np.asarray(d.get("price_eur", p.price_eur))
    return {"total_eur": price * p.years, "years_n": p.years}


def demo_module(headline: Any = sound, **extra: Any) -> types.ModuleType:
    mod = types.ModuleType("demo_fuzz_module")

    def validate_params(**values: Any) -> DemoParams:
        return validate(DemoParams, "99_demo", values)

    mod.__dict__.update(
        validate_params=validate_params,
        headline=headline,
        **extra,
        RESULTS=[ResultSpec("total_eur", "EUR", "Total cost", 0), ResultSpec("years_n", "years", "Years", 0)],
        CONCLUSIONS=[Conclusion("dear", "total_eur", lambda t: t > 500, "It costs over 500")],
    )
    return mod


# the harness's own tests draw 300 examples of the demo module where the notebooks get 200 (make test),
# 100 where they get 30 (make test-fast: ALLIANCE_FUZZ_EXAMPLES=30); each injected bug is found in both
DEMO_EXAMPLES = 300 if EXAMPLES >= 200 else 100


def fuzz(module: types.ModuleType, examples: int = DEMO_EXAMPLES, **kw: Any) -> Any:
    return fuzz_notebook(module, cls=DemoParams, notebook="99_demo", examples=examples, **kw)


def test_a_sound_module_passes_and_bad_values_are_refused(capsys: pytest.CaptureFixture[str]) -> None:
    report = fuzz(demo_module())
    assert report.failed == 0, report.summary()
    assert report.examples == DEMO_EXAMPLES
    assert report.ok > DEMO_EXAMPLES // 3 and report.refused > DEMO_EXAMPLES // 3
    assert (
        f"fuzz 99_demo: {DEMO_EXAMPLES} examples tried ({report.ok} computed, {report.refused} refused with a clear "
        "ParameterError), 0 failures" in capsys.readouterr().out
    )


def test_an_injected_nan_is_caught() -> None:
    def nan_for_long(p: DemoParams, **d: Any) -> dict[str, Any]:
        out = sound(p, **d)
        return {**out, "total_eur": out["total_eur"] * (math.nan if p.years == 40 else 1.0)}

    report = fuzz(demo_module(nan_for_long))
    assert report.failed > 0
    assert any(key.startswith("FuzzFailure: result total_eur = nan is not finite") for key in report.failures)
    assert all(case.values["years"] == 40 for case in report.failures.values())


def test_an_injected_exception_that_is_not_a_parameter_error_is_caught() -> None:
    def crashes(p: DemoParams, **d: Any) -> dict[str, Any]:
        if p.market == "DE" and p.years == 1:
            raise ZeroDivisionError("years - 1 is zero")
        return sound(p, **d)

    report = fuzz(demo_module(crashes))
    assert list(report.failures) == ["ZeroDivisionError: years - 1 is zero"]
    assert "ZeroDivisionError: years - 1 is zero\n    with {" in report.summary()


def test_a_broken_law_a_vague_error_and_a_broadcasting_bug_are_caught() -> None:
    def law(p: DemoParams, results: Mapping[str, Any]) -> None:
        assert results["total_eur"] <= 1e5, "total above 100,000"

    assert "AssertionError: total above 100,000" in fuzz(demo_module(), laws=[law], examples=150).failures

    def vague(**values: Any) -> DemoParams:
        raise ParameterError("99_demo", "nothing", values, "x")

    module = demo_module()
    module.validate_params = vague
    report = fuzz(module, examples=50)
    assert all(key.startswith("FuzzFailure: the ParameterError names 'nothing'") for key in report.failures)

    def scalar_only(p: DemoParams, **d: Any) -> dict[str, Any]:
        price = np.asarray(d.get("price_eur", p.price_eur))
        return {"total_eur": price.sum() * p.years, "years_n": p.years}  # sums the draws: wrong

    assert any("a broadcasting bug" in key for key in fuzz(demo_module(scalar_only), examples=100).failures)


def test_results_must_match_the_specs_and_may_be_none_only_where_declared() -> None:
    def none_price(p: DemoParams, **d: Any) -> dict[str, Any]:
        return {**sound(p, **d), "total_eur": None}

    key = "FuzzFailure: result total_eur is None, and it is not in the module's OPTIONAL_RESULTS"
    assert key in fuzz(demo_module(none_price), examples=50).failures
    assert fuzz(demo_module(none_price, OPTIONAL_RESULTS={"total_eur"}), examples=50).failed == 0
    extra = fuzz(demo_module(lambda p, **d: {**sound(p, **d), "stray": 1.0}), examples=20)
    assert any(k.startswith("FuzzFailure: results ['stray'") for k in extra.failures)


def test_a_module_that_accepts_a_bad_value_is_caught() -> None:
    module = demo_module()
    module.validate_params = lambda **values: DemoParams()  # accepts anything
    report = fuzz(module, examples=100)
    assert any(key.startswith("FuzzFailure: accepted ") for key in report.failures)


def test_regressions_run_first() -> None:
    report = fuzz(
        demo_module(),
        examples=1,
        explicit=[{"price_eur": 1e6, "years": 40, "market": "DE", "day": "2025-03-31", "rate": None}],
    )
    assert report.examples == 2 and report.failed == 0


@settings(max_examples=examples(150), deadline=None, derandomize=True, database=None)
@given(cases(DemoParams))
def test_every_broken_case_is_refused_by_its_spec(case: Case) -> None:
    """The just-invalid values really are invalid: the sound module refuses each, naming it."""
    outcome = check(demo_module(), case, notebook="99_demo", cls=DemoParams, draws=20)
    assert outcome == ("ok" if case.broken is None else "refused")


def test_just_invalid_values_sit_at_the_edges() -> None:
    spec = Number(minimum=0, maximum=100)
    found = dict(invalid_values(spec))
    assert found["just below the minimum"] == -5e-324 and found["just above the maximum"] > 100
    assert math.isnan(found["NaN"]) and "None" in found
    assert "None" not in dict(invalid_values(Optional(spec)))
    assert dict(invalid_values(Number(minimum=0, exclusive_minimum=True)))["just below the minimum"] == 0
    with pytest.raises(FuzzFailure, match="accepted years"):
        check(
            types.SimpleNamespace(validate_params=lambda **v: DemoParams()),  # type: ignore[arg-type]
            Case({}, "years", "left out"),
            notebook="99_demo",
            cls=DemoParams,
        )
