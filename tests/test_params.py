"""Parameter specs and validation."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alliancelib.errors import ParameterError
from alliancelib.params import Choice, Integer, IsoDate, Number, Optional, param, validate


@dataclass(frozen=True)
class Demo:
    price_eur: float = param(20000.0, Number(minimum=0, exclusive_minimum=True), "price")
    years: int = param(5, Integer(minimum=1, maximum=30), "years")
    market: str = param("FR", Choice(("FR", "DE")), "market")
    day: str = param("2025-03-31", IsoDate(), "date")
    rate: float | None = param(None, Optional(Number(minimum=0, exclusive_minimum=True)), "rate")


GOOD = {"price_eur": 20000.0, "years": 5, "market": "FR", "day": "2025-03-31", "rate": None}


def test_good_values_and_coercion() -> None:
    p = validate(Demo, "nb", {**GOOD, "price_eur": 19490, "years": 6.0})
    assert p.price_eur == 19490.0 and isinstance(p.price_eur, float)
    assert p.years == 6 and isinstance(p.years, int)


@pytest.mark.parametrize(
    ("name", "value", "allowed"),
    [
        ("price_eur", 0, "a finite number > 0"),
        ("price_eur", "20000", "a finite number > 0"),
        ("price_eur", math.nan, "a finite number > 0"),
        ("price_eur", True, "a finite number > 0"),
        ("years", 0, "a whole number >= 1 and <= 30"),
        ("years", 2.5, "a whole number >= 1 and <= 30"),
        ("market", "UK", "one of 'FR', 'DE'"),
        ("day", "2025-02-30", "a date written YYYY-MM-DD"),
        ("rate", -1.0, "None or a finite number > 0"),
    ],
)
def test_bad_values_name_notebook_parameter_value_and_rule(name: str, value: object,
                                                           allowed: str) -> None:
    with pytest.raises(ParameterError) as info:
        validate(Demo, "03_demo", {**GOOD, name: value})
    assert str(info.value) == f"03_demo: parameter {name} = {value!r} is not allowed: {allowed}"


def test_unknown_and_missing_names() -> None:
    with pytest.raises(ParameterError, match="unknown parameter; this notebook takes: price_eur"):
        validate(Demo, "nb", {**GOOD, "typo": 1})
    with pytest.raises(ParameterError, match="parameter years = None .* missing"):
        validate(Demo, "nb", {k: v for k, v in GOOD.items() if k != "years"})


def test_combination_rules_run_on_the_clean_object() -> None:
    def cheap(p: Demo) -> None:
        if p.price_eur < 1000:
            raise ParameterError("nb", "price_eur", p.price_eur, "at least 1000 with years > 1")

    with pytest.raises(ParameterError, match="at least 1000"):
        validate(Demo, "nb", {**GOOD, "price_eur": 10}, rules=[cheap])


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_number_accepts_exactly_the_finite_values_in_bounds(x: float) -> None:
    spec = Number(minimum=0, maximum=100)
    if math.isfinite(x) and 0 <= x <= 100:
        assert spec.check(x) == x
    else:
        with pytest.raises(ValueError, match="a finite number >= 0 and <= 100"):
            spec.check(x)
