"""The uncertainty engine: Monte Carlo percentiles, conclusion shares and Sobol' indices."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alliancelib import uncertainty as U
from alliancelib.params import Choice, Integer, Number, Plausible, label_of, param


@dataclass(frozen=True)
class Toy:
    """One uncertain real input x in [2, 8], one fixed input c, one integer k, one choice."""

    x: float = param(5.0, Number(0, 10), "x", label="The x input",
                     plausible=Plausible(2.0, 8.0, "a test range", "judgement"))
    c: float = param(1.0, Number(0, 10), "a sourced fact")
    k: int = param(3, Integer(0, 10), "k", label="Count", plausible=Plausible(1, 4, "test", "spread"))
    m: str = param("a", Choice(("a", "b")), "m", label="Mode",
                   plausible=Plausible(options=("a", "b"), basis="test", kind="conflict"))


def linear(p: Toy, **d: Any) -> dict[str, Any]:
    x = d.get("x", p.x)
    return {"y": 3 * np.asarray(x) + p.c, "label": "text results are skipped"}


def test_percentiles_of_a_linear_result_match_the_closed_form() -> None:
    """y = 3x + 1 with x uniform on [2, 8]: the q-th percentile is 3 (2 + 6 q) + 1.

    Monte Carlo error of a percentile: sqrt(q (1 - q) / n) / density; with n = 100,000 and the
    density of y 1/18, about 0.012 at q = 0.05 and 0.016 at the median: 0.06 is 4-5 standard errors.
    """
    a = U.assess(Toy(), linear, results=["y", "label"], sobol=False)
    r = a.ranges["y"]
    assert r.value == 16.0
    assert r.low == pytest.approx(3 * (2 + 6 * 0.05) + 1, abs=0.06)
    assert r.median == pytest.approx(3 * 5 + 1, abs=0.06)
    assert r.high == pytest.approx(3 * (2 + 6 * 0.95) + 1, abs=0.06)
    assert "label" not in a.ranges  # text results are skipped


def test_a_fixed_seed_gives_identical_numbers() -> None:
    def run() -> U.Assessment:
        return U.assess(Toy(), linear, results=["y"], conclusions=[
            U.Conclusion("big", "y", lambda y: y > 16, "y is big")])
    a, b = run(), run()
    assert a.ranges == b.ranges and a.shares == b.shares
    assert a.indices.equals(b.indices)
    c = U.assess(Toy(), linear, results=["y"], seed=U.SEED + 7, sobol=False)
    assert c.ranges["y"].low != a.ranges["y"].low


def test_conclusion_share_matches_the_closed_form() -> None:
    """P(3x + 1 > 16) = P(x > 5) = 0.5 for x uniform on [2, 8]; standard error 0.0016."""
    a = U.assess(Toy(), linear, results=["y"], sobol=False,
                 conclusions=[U.Conclusion("big", "y", lambda y: y > 16, "y is big")])
    assert a.share("big") == pytest.approx(0.5, abs=0.01)
    assert a.flips("big") and a.holds_at_default["big"] is False


def test_an_input_with_zero_range_has_zero_index() -> None:
    """The estimator itself gives 0: the constant input's A_B^i rows equal A's."""
    def to_inputs(u: np.ndarray) -> dict[str, np.ndarray]:
        return {"x": 2 + 6 * u[:, 0], "z": 0 * u[:, 1] + 4.0}

    def func(d: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        return {"y": d["x"] ** 2 + d["z"]}

    idx = U.sobol_indices(func, to_inputs, 2, ["x", "z"], ["y"], n=4096).set_index("input")
    assert idx.at["z", "first"] == 0.0 and idx.at["z", "total"] == 0.0
    assert idx.at["x", "first"] == pytest.approx(1.0, abs=0.05)
    assert idx.at["x", "total"] == pytest.approx(1.0, abs=0.05)


def ishigami(x: np.ndarray, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def test_sobol_indices_agree_with_salib_and_the_analytic_values() -> None:
    """Ishigami (a = 7, b = 0.1): S = (0.314, 0.442, 0), ST = (0.558, 0.442, 0.244)."""
    from SALib.analyze import sobol as salib_analyze
    from SALib.sample import sobol as salib_sample

    def to_inputs(u: np.ndarray) -> dict[str, np.ndarray]:
        return {"x": -math.pi + 2 * math.pi * u}

    ours = U.sobol_indices(lambda d: {"y": ishigami(d["x"])}, to_inputs, 3, ["x1", "x2", "x3"], ["y"],
                           n=2 ** 14).set_index("input")
    problem = {"num_vars": 3, "names": ["x1", "x2", "x3"], "bounds": [[-math.pi, math.pi]] * 3}
    x = salib_sample.sample(problem, 2 ** 14, calc_second_order=False, seed=1)
    theirs = salib_analyze.analyze(problem, ishigami(x), calc_second_order=False, num_resamples=10, seed=1)
    analytic_first, analytic_total = [0.3139, 0.4424, 0.0], [0.5576, 0.4424, 0.2437]
    for i, name in enumerate(["x1", "x2", "x3"]):
        assert ours.at[name, "first"] == pytest.approx(analytic_first[i], abs=0.03), name
        assert ours.at[name, "total"] == pytest.approx(analytic_total[i], abs=0.03), name
        assert ours.at[name, "first"] == pytest.approx(theirs["S1"][i], abs=0.04), name
        assert ours.at[name, "total"] == pytest.approx(theirs["ST"][i], abs=0.04), name


def test_deciding_inputs_are_named_by_total_index() -> None:
    def both(p: Toy, **d: Any) -> dict[str, Any]:
        x, k = np.asarray(d.get("x", p.x)), np.asarray(d.get("k", p.k))
        return {"y": 3 * x + 0.01 * k}
    a = U.assess(Toy(), both, results=["y"], n=20_000, sobol_n=4096)
    assert a.deciding("y") == ["x"]  # k's index is negligible
    assert label_of(Toy, "x") == "The x input"


def test_results_that_do_not_always_exist() -> None:
    """A break-even that exists only for x >= 4 (a third of the draws fail)."""
    def maybe(p: Toy, **d: Any) -> dict[str, Any]:
        x = np.asarray(d.get("x", p.x), dtype=float)
        return {"y": np.where(x >= 4, x, np.nan), "z": None if np.ndim(x) == 0 and x < 4 else x}
    a = U.assess(Toy(), maybe, results=["y"], sobol=False)
    r = a.ranges["y"]
    assert r.share_defined == pytest.approx(2 / 3, abs=0.01)
    assert r.low == pytest.approx(4 + 0.05 * 4, abs=0.05)  # percentiles over the draws where it exists


def test_draws_respect_kinds() -> None:
    d = U.draw(Toy(), 10_000)
    assert set(d) == {"x", "k", "m"}  # c has no range: it stays fixed
    assert d["x"].min() >= 2 and d["x"].max() <= 8
    assert set(np.unique(d["k"])) == {1, 2, 3, 4}
    assert set(d["m"]) == {"a", "b"} and abs(np.mean(d["m"] == "a") - 0.5) < 0.02


def test_param_refuses_a_range_that_leaves_out_the_default() -> None:
    with pytest.raises(ValueError, match="outside its plausible range"):
        param(9.0, Number(0, 10), "x", plausible=Plausible(2.0, 8.0, "r", "judgement"))
    with pytest.raises(ValueError, match="not allowed"):
        param(5.0, Number(0, 10), "x", plausible=Plausible(2.0, 18.0, "r", "judgement"))
    with pytest.raises(ValueError, match="needs its basis"):
        Plausible(1.0, 2.0, "", "judgement")
    with pytest.raises(ValueError, match="kind must be one of"):
        Plausible(1.0, 2.0, "r", "guess")


def test_words_and_tables() -> None:
    a = U.assess(Toy(), linear, results=["y"], n=10_000, sobol_n=2048,
                 conclusions=[U.Conclusion("big", "y", lambda y: y > 16, "y is big")])
    text = U.robustness_sentence(a, U.Conclusion("big", "y", lambda y: y > 16, "y"), Toy())
    assert text.startswith("Holds in 50% of plausible cases; it turns mostly on the x input")
    table = U.ranges_table(Toy())
    assert list(table["input"]) == ["The x input", "Count", "Mode"]
    assert table.iloc[2]["low_value"] == "a, b"
    from alliancelib import fields
    assert all(fields.header(c) for c in table.columns)  # reader titles exist for every column


@settings(max_examples=40, deadline=None, derandomize=True)
@given(st.floats(-5, 5), st.floats(0.1, 3))
def test_low_value_high_for_a_monotone_result(slope: float, power: float) -> None:
    def f(p: Toy, **d: Any) -> dict[str, Any]:
        return {"y": slope * np.asarray(d.get("x", p.x)) ** power}
    a = U.assess(Toy(), f, results=["y"], n=5_000, sobol_n=1024)
    r = a.ranges["y"]
    assert min(r.low, r.high) - 1e-9 <= r.value <= max(r.low, r.high) + 1e-9
    idx = a.indices
    assert ((idx["first"] > -0.1) & (idx["total"] < 1.1)).all()
