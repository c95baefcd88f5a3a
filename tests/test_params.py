"""Parameter specs and validation."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alliancelib.errors import ParameterError
from alliancelib.params import (
    Choice,
    Integer,
    IsoDate,
    Number,
    Optional,
    Plausible,
    Spec,
    label_of,
    labels,
    param,
    plausible_of,
    unit_of,
    validate,
)


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
def test_bad_values_name_notebook_parameter_value_and_rule(name: str, value: object, allowed: str) -> None:
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


# --------------------------------------------------------------------------- labels and plausible ranges


@dataclass(frozen=True)
class Ranged:
    capacity_units: int = param(
        400000,
        Integer(minimum=1),
        "installed capacity, vehicles a year",
        label="Chennai plant capacity",
        unit="vehicles/yr",
        plausible=Plausible(400_000, 480_000.0, 'Renault "over 400,000" vs carandbike 480,000', "conflict"),
    )
    residual_pct: float = param(
        40.0,
        Number(0, 100),
        "assumption: EV resale value after the years, % of price",
        plausible=Plausible(30, 55, "dealer quotes of small EVs", "judgement"),
    )
    market: str = param(
        "FR",
        Choice(("FR", "DE", "IT")),
        "market",
        plausible=Plausible(options=("FR", "DE"), basis="markets with a price", kind="spread"),
    )
    rate: float | None = param(
        None,
        Optional(Number(minimum=0, exclusive_minimum=True)),
        "USD per EUR",
        plausible=Plausible(1.02, 1.18, "ECB fixings of 2025", "spread"),
    )
    price_eur: float = param(45.94, Number(minimum=0), "share price (reported)")


def test_ranges_are_cleaned_by_the_spec_and_read_back() -> None:
    cap = plausible_of(Ranged, "capacity_units")
    assert cap is not None and (cap.low, cap.high) == (400000, 480000) and isinstance(cap.high, int)
    res = plausible_of(Ranged, "residual_pct")
    assert res is not None and isinstance(res.low, float) and res.width == 25.0 and res.varies
    assert plausible_of(Ranged, "price_eur") is None  # a sourced fact without a conflict stays fixed
    assert cap.describe() == '400,000 to 480,000 (conflict: Renault "over 400,000" vs carandbike 480,000)'
    assert plausible_of(Ranged, "market").describe() == "FR or DE (spread: markets with a price)"  # type: ignore[union-attr]
    assert res.contains(40.0) and not res.contains(56.0) and res.contains(None)


def test_labels_units_and_the_old_call_form() -> None:
    assert label_of(Ranged, "capacity_units") == "Chennai plant capacity"
    assert label_of(Ranged, "residual_pct") == "EV resale value after the years"  # from the help
    assert label_of(Ranged, "price_eur") == "Share price"
    assert labels(Ranged()) == labels(Ranged) and labels(Ranged)["rate"] == "USD per EUR"
    assert unit_of(Ranged, "capacity_units") == "vehicles/yr" and unit_of(Ranged, "market") == ""
    assert plausible_of(Demo, "price_eur") is None and label_of(Demo, "years") == "Years"
    with pytest.raises(KeyError, match="Ranged has no parameter 'nope'"):
        label_of(Ranged, "nope")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        (
            {"low": 1.0, "high": 2.0, "basis": "b", "kind": "guess"},
            "kind must be one of conflict, spread, judgement",
        ),
        ({"low": 1.0, "high": 2.0, "basis": " ", "kind": "spread"}, "needs its basis"),
        ({"low": 1.0, "high": 2.0, "basis": "two\nlines", "kind": "spread"}, "needs its basis: one line"),
        ({"low": 2.0, "high": 1.0, "basis": "b", "kind": "spread"}, "needs low <= high"),
        ({"low": 1.0, "high": math.inf, "basis": "b", "kind": "spread"}, "finite numbers"),
        ({"low": True, "high": 2, "basis": "b", "kind": "spread"}, "finite numbers"),
        ({"low": 1.0, "basis": "b", "kind": "spread"}, "finite numbers"),
        (
            {"low": 1.0, "high": 2.0, "options": ("a",), "basis": "b", "kind": "spread"},
            "either options or low",
        ),
        ({"options": ("a", "a"), "basis": "b", "kind": "spread"}, "distinct strings"),
    ],
)
def test_a_malformed_range_is_refused(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Plausible(**kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("default", "spec", "plausible", "message"),
    [
        (
            9.0,
            Number(0, 10),
            Plausible(2.0, 8.0, "b", "judgement"),
            "parameter 'x': the default 9.0 lies outside its plausible range 2 to 8",
        ),
        (
            5.0,
            Number(0, 10),
            Plausible(2.0, 18.0, "b", "judgement"),
            r"parameter 'x': its plausible range 2 to 18 \(judgement: b\) is not allowed: a finite number >= 0",
        ),
        (3, Integer(0, 10), Plausible(2.5, 4, "b", "judgement"), "is not allowed: a whole number"),
        (
            "FR",
            Choice(("FR", "DE")),
            Plausible(options=("FR", "UK"), basis="b", kind="spread"),
            "is not allowed: one of 'FR', 'DE'",
        ),
        (
            "FR",
            Choice(("FR", "DE")),
            Plausible(options=("DE",), basis="b", kind="spread"),
            r"the default 'FR' lies outside its plausible range \('DE',\)",
        ),
        ("FR", Choice(("FR", "DE")), Plausible(1.0, 2.0, "b", "spread"), "a Choice parameter takes options"),
        (1.0, Number(0, 10), Plausible(options=("a",), basis="b", kind="spread"), "takes low and high"),
        (
            "2025-03-31",
            IsoDate(),
            Plausible(options=("2025-03-31", "2025-13-01"), basis="b", kind="spread"),
            "is not allowed: a date written YYYY-MM-DD",
        ),
        ("2025-03-31", IsoDate(), Plausible(1.0, 2.0, "b", "spread"), "a date parameter takes options"),
        (None, Optional(Number(minimum=1)), Plausible(0.5, 2.0, "b", "spread"), "a finite number >= 1"),
    ],
)
def test_a_range_the_parameter_cannot_take_is_refused_at_definition(
    default: object, spec: Spec, plausible: Plausible, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        param(default, spec, "x", plausible=plausible)


def test_alliance_params_shows_labels_and_ranges(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from alliancelib import cli
    from alliancelib import notebooks as nbs

    cell = {
        "cell_type": "code",
        "metadata": {"tags": ["parameters"]},
        "outputs": [],
        "execution_count": None,
        "source": "capacity_units: int = 400000  # installed capacity, vehicles a year\n"
        "price_eur: float = 45.94  # share price (reported)\n",
    }
    path = tmp_path / "99_demo.ipynb"
    path.write_text(json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 4}))
    monkeypatch.setattr(nbs, "discover", lambda folder=None: {"99_demo": path})
    monkeypatch.setattr(nbs, "params_class", lambda name: Ranged)
    assert cli.main(["params", "99_demo"]) == 0
    assert capsys.readouterr().out == (
        "99_demo\n"
        "  capacity_units: int = 400000\n"
        "      installed capacity, vehicles a year\n"
        "      label: Chennai plant capacity\n"
        '      stated range: 400,000 to 480,000 (conflict: Renault "over 400,000" vs carandbike 480,000)\n'
        "  price_eur: float = 45.94\n"
        "      share price (reported)\n"
        "      label: Share price\n"
    )
