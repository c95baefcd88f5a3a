"""The fuzz harness itself, on a small notebook module made for the test: it passes a sound module
and catches a NaN, a stray exception and a broken law. The notebooks' own fuzz tests live in their
contract test files (tests/test_contract_NN.py) and call :func:`fuzz.fuzz_notebook`."""

from __future__ import annotations

import sys
import types
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
from fuzz import fuzz_notebook

from alliancelib.errors import ParameterError
from alliancelib.notebooks import PARAMS
from alliancelib.params import Choice, Integer, IsoDate, Number, Optional, Plausible, param, validate
from alliancelib.results import ResultSpec


@dataclass(frozen=True)
class DemoParams:
    price_eur: float = param(100.0, Number(minimum=0, exclusive_minimum=True), "price",
                             plausible=Plausible(80.0, 120.0, "test", "judgement"))
    years: int = param(5, Integer(minimum=1, maximum=40), "years")
    market: str = param("FR", Choice(("FR", "DE")), "market")
    day: str = param("2025-03-31", IsoDate(), "day")
    rate: float | None = param(None, Optional(Number(minimum=0, exclusive_minimum=True)), "rate")


def _module(headline: Any) -> types.ModuleType:
    mod = types.ModuleType("demo_fuzz_module")
    mod.DemoParams = DemoParams  # type: ignore[attr-defined]

    def validate_params(**values: Any) -> DemoParams:
        return validate(DemoParams, "99_demo", values)

    mod.validate_params = validate_params  # type: ignore[attr-defined]
    mod.headline = headline  # type: ignore[attr-defined]
    mod.RESULTS = [ResultSpec("total_eur", "EUR", "Total cost", 0)]  # type: ignore[attr-defined]
    return mod


@pytest.fixture
def demo(monkeypatch: pytest.MonkeyPatch) -> Any:
    def make(headline: Any) -> types.ModuleType:
        mod = _module(headline)
        monkeypatch.setitem(sys.modules, mod.__name__, mod)
        monkeypatch.setitem(PARAMS, "99_demo", f"{mod.__name__}:DemoParams")
        return mod
    return make


def sound(p: DemoParams, **d: Any) -> dict[str, Any]:
    return {"total_eur": np.asarray(d.get("price_eur", p.price_eur)) * p.years}


def test_a_sound_module_passes_and_bad_values_are_refused(demo: Any) -> None:
    counts = fuzz_notebook(demo(sound), examples=300)
    assert counts["ok"] > 50 and counts["refused"] > 50


def test_a_nan_is_caught(demo: Any) -> None:
    def nan_for_long(p: DemoParams, **d: Any) -> dict[str, Any]:
        return {"total_eur": np.nan if p.years > 30 else p.price_eur * p.years}
    with pytest.raises(AssertionError, match="is not finite"):
        fuzz_notebook(demo(nan_for_long), examples=300)


def test_a_stray_exception_is_caught(demo: Any) -> None:
    def crashes(p: DemoParams, **d: Any) -> dict[str, Any]:
        if p.market == "DE":
            raise KeyError("DE")
        return sound(p, **d)
    with pytest.raises(KeyError):
        fuzz_notebook(demo(crashes), examples=300)


def test_a_broken_law_is_caught(demo: Any) -> None:
    def law(p: DemoParams, results: dict[str, Any]) -> None:
        assert results["total_eur"] <= 1000, "total above 1000"
    with pytest.raises(AssertionError, match="total above 1000"):
        fuzz_notebook(demo(sound), laws=[law], examples=300)


def test_a_vague_parameter_error_is_caught(demo: Any) -> None:
    mod = demo(sound)

    def vague(**values: Any) -> DemoParams:
        raise ParameterError("99_demo", "nothing", values, "x")
    mod.validate_params = vague
    with pytest.raises(AssertionError, match="names no parameter"):
        fuzz_notebook(mod, examples=50)
