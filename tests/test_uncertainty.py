"""The uncertainty engine: Monte Carlo percentiles, conclusion shares, Sobol' indices, words, chart.

Monte Carlo tolerances are 5 standard errors, computed in each test from the closed form: the
q-th sample percentile of n draws has standard error sqrt(q (1 - q) / n) / density at the
percentile; a share s has sqrt(s (1 - s) / n). 5 standard errors fail by chance about once in
1.7 million runs, and the seed is fixed anyway (the tests are deterministic).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pytest
from helpers import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from alliancelib import fields
from alliancelib import uncertainty as U
from alliancelib.params import Choice, Integer, Number, Optional, Plausible, param
from alliancelib.results import ResultSpec, make_results

N = U.N_DRAWS


@dataclass(frozen=True)
class Toy:
    """x uniform on [2, 8]; c a sourced fact (no range); k a whole number 1-4; m one of two options;
    r looked up at run time (None) with a range."""

    x: float = param(
        5.0,
        Number(0, 10),
        "x",
        label="The x input",
        unit="%",
        plausible=Plausible(2.0, 8.0, "a test range", "judgement"),
    )
    c: float = param(1.0, Number(0, 10), "a sourced fact")
    k: int = param(3, Integer(0, 10), "k", label="Count", plausible=Plausible(1, 4, "test", "spread"))
    m: str = param(
        "a",
        Choice(("a", "b")),
        "m",
        label="Mode",
        plausible=Plausible(options=("a", "b"), basis="test", kind="conflict"),
    )
    r: float | None = param(
        None, Optional(Number(0)), "rate", label="Rate", plausible=Plausible(1.0, 2.0, "ECB 2025", "spread")
    )


def value(p: Toy, d: dict[str, Any], name: str) -> Any:
    return d.get(name, getattr(p, name))


def linear(p: Toy, **d: Any) -> dict[str, Any]:
    return {"y": 3 * np.asarray(value(p, d, "x")) + p.c, "label": "text results are skipped"}


BIG = U.Conclusion("big", "y", lambda y: y > 16, "y is above 16")
SPECS = [ResultSpec("y", "EUR", "Three x plus one", 1)]


def only_x(**kw: Any) -> dict[str, Plausible]:
    return {"x": Plausible(2.0, 8.0, "a test range", "judgement"), **kw}


def percentile_se(q: float, n: int, density: float) -> float:
    return math.sqrt(q * (1 - q) / n) / density


def test_the_range_of_a_linear_result_is_its_smallest_and_largest_value() -> None:
    """y = 3x + 1 with x on [2, 8]: low and high are exactly 7 and 25 (the corners), not the 5th
    and 95th percentiles (7.9 and 24.1) of uniform draws; the median is 16 (within its error)."""
    a = U.assess(Toy(), linear, results=["y", "label"], inputs=only_x(), sobol_n=0)
    r = a.ranges["y"]
    assert r.value == 16.0 and r.varies and r.share_defined == 1.0 and r.note == ""
    assert (r.low, r.high) == (7.0, 25.0)
    assert r.median == pytest.approx(16.0, abs=5 * percentile_se(0.5, N, 1 / 18))
    assert a.range("y") == (r.low, r.high) == a.result_ranges()["y"]
    assert a.skipped == ("label",) and "label" not in a.ranges  # text results are skipped


def test_a_fixed_seed_gives_byte_identical_numbers() -> None:
    def run(seed: int = U.SEED) -> U.Assessment:
        return U.assess(Toy(), linear, results=SPECS, conclusions=[BIG], seed=seed, sobol_n=2048)

    def numbers(a: U.Assessment) -> bytes:
        ranges = [(r.low, r.median, r.high, r.share_defined) for r in a.ranges.values()]
        shares = [(v.share, v.share_se, v.breakeven) for v in a.verdicts.values()]
        return (
            repr(ranges + shares).encode()
            + a.indices.to_numpy().tobytes()
            + a.conclusion_indices.to_numpy().tobytes()
        )

    first, second = run(), run()
    assert numbers(first) == numbers(second)
    assert numbers(run(U.SEED + 1)) != numbers(first)


def test_the_draws_are_the_monte_carlo_draws_in_a_fixed_order() -> None:
    seen: dict[str, np.ndarray] = {}

    def spy(p: Toy, **d: Any) -> dict[str, Any]:
        if d and not seen:
            seen.update(d)
        return linear(p, **d)

    U.assess(Toy(), spy, results=["y"], n=1000, sobol_n=0)
    drawn = U.draw(Toy(), 1000)
    assert list(drawn) == ["x", "k", "m", "r"]  # declaration order; c has no range: it stays fixed
    for name, values in drawn.items():
        assert np.array_equal(seen[name], values), name
    assert np.array_equal(U.draw(Toy(), 10, seed=7)["x"], U.draw(Toy(), 10, seed=7)["x"])


def test_draws_respect_each_kind_of_input() -> None:
    d = U.draw(Toy(), N)
    assert d["x"].min() >= 2 and d["x"].max() <= 8 and d["x"].dtype == float
    assert d["k"].dtype.kind == "i" and set(np.unique(d["k"])) == {1, 2, 3, 4}
    counts = np.bincount(d["k"])[1:] / N
    assert np.all(np.abs(counts - 0.25) < 5 * math.sqrt(0.25 * 0.75 / N))  # uniform over 1-4
    assert set(d["m"]) == {"a", "b"} and abs(np.mean(d["m"] == "a") - 0.5) < 5 * math.sqrt(0.25 / N)
    assert d["r"].min() >= 1 and d["r"].max() <= 2  # a default of None is drawn from its range


def test_an_input_with_zero_range_has_zero_index() -> None:
    """The constant input goes through the estimator like any other; its A_B^i rows equal A's, so
    both of its indices come out 0 with no special case. x decides all of y = x^2 + c x."""

    def quadratic(p: Toy, **d: Any) -> dict[str, Any]:
        x, c = np.asarray(value(p, d, "x")), np.asarray(value(p, d, "c"))
        return {"y": x**2 + c * x}

    inputs = only_x(c=Plausible(4.0, 4.0, "fixed", "judgement"))
    idx = U.assess(Toy(), quadratic, results=["y"], inputs=inputs, n=20_000, sobol_n=4096).indices
    idx = idx.set_index("input")
    assert abs(idx.at["c", "first"]) < 1e-12 and abs(idx.at["c", "total"]) < 1e-12
    assert idx.at["x", "first"] == pytest.approx(1.0, abs=5 * idx.at["x", "first_se"])
    assert idx.at["x", "total"] == pytest.approx(1.0, abs=5 * idx.at["x", "total_se"])


def ishigami(x: np.ndarray, a: float = 7.0, b: float = 0.1) -> np.ndarray:
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def test_sobol_indices_agree_with_salib_and_the_closed_form_on_ishigami() -> None:
    """Ishigami (a = 7, b = 0.1) on [-pi, pi]^3: S = (0.314, 0.442, 0), ST = (0.558, 0.442, 0.244).

    Ours: the radial design with pseudo-random A and B, N = 2^14, and the standard errors the
    estimator reports (0.004-0.012 here); SALib: its Sobol'-sequence sample with the same N,
    analysed by the same two estimators, with its bootstrap 95% interval (1.96 standard errors).
    Each index must lie within 4 standard errors of the closed form, and ours within 4 combined
    standard errors of SALib's.
    """
    from SALib.analyze import sobol as salib_analyze
    from SALib.sample import sobol as salib_sample

    n, k = 2**14, 3
    u = U.design(k, 2 * n, n)
    y = ishigami(-math.pi + 2 * math.pi * u)
    ours = U.sobol_indices(y[:n], y[n : 2 * n], y[2 * n :].reshape(k, n))
    problem = {"num_vars": k, "names": ["x1", "x2", "x3"], "bounds": [[-math.pi, math.pi]] * k}
    x = salib_sample.sample(problem, n, calc_second_order=False, seed=1)
    theirs = salib_analyze.analyze(problem, ishigami(x), calc_second_order=False, num_resamples=100, seed=1)
    closed_form = {"first": [0.3139, 0.4424, 0.0], "total": [0.5576, 0.4424, 0.2437]}
    for ours_key, salib_key in (("first", "S1"), ("total", "ST")):
        se = ours[f"{ours_key}_se"]
        assert np.all((se > 0) & (se < 0.02))
        assert np.all(np.abs(ours[ours_key] - closed_form[ours_key]) <= 4 * se), ours_key
        salib_se = theirs[f"{salib_key}_conf"] / 1.96
        combined = np.sqrt(se**2 + salib_se**2)
        assert np.all(np.abs(ours[ours_key] - theirs[salib_key]) <= 4 * combined), ours_key


def test_conclusion_share_matches_the_closed_form() -> None:
    """P(3x + 1 > 16) = P(x > 5) = 1/2 and P(3x + 1 > 22) = P(x > 7) = 1/6 for x uniform on [2, 8]."""
    high = U.Conclusion("high", "y", lambda y: y > 22, "y is above 22")
    a = U.assess(Toy(), linear, results=SPECS, conclusions=[BIG, high], inputs=only_x(), sobol_n=0)
    for key, share in (("big", 1 / 2), ("high", 1 / 6)):
        assert a.share(key) == pytest.approx(share, abs=5 * math.sqrt(share * (1 - share) / N)), key
        assert a.verdicts[key].share_se == pytest.approx(math.sqrt(share * (1 - share) / N), rel=0.05)
        assert a.flips(key) and a.holds_at_default(key) is False  # y = 16 at the defaults
    assert a.shares == {"big": a.share("big"), "high": a.share("high")}


def test_the_break_even_of_a_flipping_conclusion() -> None:
    """y > 16 flips at x = 5 (y = 3x + 1): found along its deciding input, to a millionth of the range."""
    a = U.assess(Toy(), linear, results=SPECS, conclusions=[BIG], n=20_000, sobol_n=2048)
    assert a.deciding("big") == ["x"]
    name, at = a.verdicts["big"].breakeven  # type: ignore[misc]
    assert name == "x" and at == pytest.approx(5.0, abs=6 / 1e6)
    assert U.breakeven(Toy(), linear, BIG, "k", Plausible(1, 4, "t", "spread"), integer=True) is None


def test_results_that_do_not_always_exist_are_reported_as_such() -> None:
    """A break-even that exists only for x >= 4 (a third of the draws: NaN), a result that is None
    at the defaults and infinite in some draws, and conclusions on them."""

    def maybe(p: Toy, **d: Any) -> dict[str, Any]:
        x = np.asarray(value(p, d, "x"), dtype=float)
        with np.errstate(divide="ignore"):
            inverse = 1 / (np.floor(x) - 5) if np.ndim(x) else None
        return {"y": np.where(x >= 4, x, np.nan), "z": inverse}

    exists = U.Conclusion("exists_big", "y", lambda y: y > 6, "y is above 6")
    counted = replace(exists, key="counted", missing_holds=False)
    a = U.assess(
        Toy(), maybe, results=["y", "z"], conclusions=[exists, counted], inputs=only_x(), sobol_n=2048
    )
    y, z = a.ranges["y"], a.ranges["z"]
    assert y.share_defined == pytest.approx(2 / 3, abs=5 * math.sqrt(2 / 9 / N))
    assert y.low == pytest.approx(4.0, abs=1e-3) and y.high == 8.0  # smallest draw >= 4; the corner x = 8
    assert y.note.startswith(
        "a number in only part of the tested range (67% of the draws; the range is over those)"
    )
    assert z.value is None and z.share_defined == pytest.approx(5 / 6, abs=0.01)  # x in [5, 6): inf
    assert a.share("exists_big") == pytest.approx(1 / 2, abs=0.01)  # P(x > 6 | x >= 4)
    assert a.share("counted") == pytest.approx(1 / 3, abs=0.01)  # P(x > 6), missing counts as not
    assert a.verdicts["exists_big"].share_defined == pytest.approx(2 / 3, abs=0.01)
    assert not a.indices[["first", "total"]].isna().any().any()  # over the rows where y exists


def test_a_result_that_never_exists_and_a_result_that_never_moves() -> None:
    def odd(p: Toy, **d: Any) -> dict[str, Any]:
        x = np.asarray(value(p, d, "x"), dtype=float)
        return {"never": np.full(x.shape, np.nan), "fixed": p.c * 2, "y": 3 * x}

    never = U.Conclusion("never_big", "never", lambda v: v > 0, "never is positive")
    a = U.assess(Toy(), odd, results=["never", "fixed", "y"], conclusions=[never], sobol_n=1024)
    assert a.range("never") is None and a.ranges["never"].note == "no value anywhere in the tested range"
    with pytest.raises(ValueError, match="exists nowhere in the tested range; set missing_holds"):
        a.share("never_big")
    fixed = a.ranges["fixed"]
    assert (fixed.low, fixed.median, fixed.high, fixed.value) == (2.0, 2.0, 2.0, 2.0)
    assert not fixed.varies and a.deciding("fixed") == []
    assert a.result_ranges() == {"y": a.range("y")}
    assert a.result_notes() == {
        "never": "no value anywhere in the tested range",
        "fixed": "fixed: no uncertain input moves it",
    }


def test_what_a_headline_may_not_do() -> None:
    with pytest.raises(KeyError, match="headline gave no result nope"):
        U.assess(Toy(), linear, results=["y", "nope"], n=10)
    with pytest.raises(ValueError, match="result y: a result must be one value or 10 values"):
        U.assess(Toy(), lambda p, **d: {"y": np.zeros(3) if d else 0.0}, results=["y"], n=10, sobol_n=0)
    with pytest.raises(ValueError, match="conclusion big: 'label' is not a numeric result"):
        U.assess(Toy(), linear, results=["y", "label"], n=10, conclusions=[replace(BIG, result="label")])


def test_deciding_inputs_are_named_by_total_index() -> None:
    def both(p: Toy, **d: Any) -> dict[str, Any]:
        x, k = np.asarray(value(p, d, "x")), np.asarray(value(p, d, "k"))
        return {"y": 3 * x + 0.01 * k + 5 * (np.asarray(value(p, d, "m")) == "b")}

    a = U.assess(Toy(), both, results=["y"], n=20_000, sobol_n=4096)
    assert a.deciding("y") == ["x", "m"]  # k's index is negligible; r does not enter at all
    rows = a.indices.set_index("input")
    assert rows.at["r", "total"] == 0.0 and rows.at["k", "total"] < U.NEGLIGIBLE
    assert list(a.indices.columns) == ["result", "input", "first", "total", "first_se", "total_se"]


def test_an_input_set_outside_its_range_is_held_there() -> None:
    p = Toy(x=9.5)
    assert "x" not in U.uncertain_inputs(p) and list(U.held_inputs(p)) == ["x"]
    a = U.assess(p, linear, results=["y"], n=1000, sobol_n=0)
    assert not a.ranges["y"].varies and a.ranges["y"].value == 3 * 9.5 + 1
    row = U.ranges_table(p).set_index("input").loc["The x input"]
    assert row["default_value"] == "9.5%" and row["basis"].endswith("held at the value set)")


def test_the_appendix_names_an_input_only_where_the_share_supports_it() -> None:
    """The technical appendix: y > 16 holds in half the tested range (x decides it: named);
    y > 0 holds everywhere ("all", no error, no input); y > 7.3 holds in about 98% (above 97%: no
    input named, whatever the indices say); the words never call the share a probability."""
    near = U.Conclusion("near", "y", lambda y: y > 7.3, "y is above 7.3")
    pos = U.Conclusion("pos", "y", lambda y: y > 0, "y is positive")
    a = U.assess(Toy(), linear, results=SPECS, conclusions=[BIG, pos, near], n=20_000, sobol_n=2048)
    table = U.appendix_table(a)
    assert [fields.header(c) for c in table.columns] == [
        "Conclusion",
        "Share of the tested range",
        "Standard error",
        "Input that moves it most",
    ]
    big, always, nearly = table.to_dict("records")
    assert big == {
        "conclusion": "Y is above 16",
        "tested_share": "50%",
        "share_se": "0.35 points",
        "moved_most_by": "the x input",
    }
    assert a.verdicts["pos"].holds_everywhere and not a.verdicts["big"].holds_everywhere
    assert always == {
        "conclusion": "Y is positive",
        "tested_share": "all (at every corner and draw)",
        "share_se": "",
        "moved_most_by": "",
    }
    assert nearly["tested_share"] == "98%" and U.moved_most_by(a, "near") is None
    assert nearly["moved_most_by"].startswith("none named (share outside 3%–97%")
    text = U.appendix_text(a)
    assert "20,000 cases" in text and "It is not a probability" in text and "plausible" not in text
    assert "each of its 4 uncertain inputs (the x input, count, mode and rate)" in text
    assert U.appendix_caption().startswith(
        "Share of the tested range (independent uniform inputs; not a probability)"
    )


def test_a_decider_within_two_standard_errors_of_the_next_is_not_named() -> None:
    """y = x1 + x2 over equal ranges: both inputs matter equally, so the appendix names neither."""

    @dataclass(frozen=True)
    class Two:
        a: float = param(0.5, Number(0, 1), "a", label="A", plausible=Plausible(0.0, 1.0, "t", "judgement"))
        b: float = param(0.5, Number(0, 1), "b", label="B", plausible=Plausible(0.0, 1.0, "t", "judgement"))

    def total(p: Two, **d: Any) -> dict[str, Any]:
        return {"y": np.asarray(d.get("a", p.a)) + np.asarray(d.get("b", p.b))}

    c = U.Conclusion("over", "y", lambda y: y > 1, "the sum is above 1")
    a = U.assess(Two(), total, results=["y"], conclusions=[c], n=20_000, sobol_n=4096)
    assert 0.45 < a.share("over") < 0.55 and U.moved_most_by(a, "over") is None


def test_a_conflict_is_two_cases_and_the_corners_are_every_combination() -> None:
    """A numeric conflict is drawn as its two reported values only; the corners are every
    combination of each input's ends and options (x: 2 ends, k: 2 whole ends, m: 2 options, r: 2)."""
    conflict = {"x": Plausible(2.0, 8.0, "two sources: 2 and 8", "conflict")}
    a = U.assess(Toy(x=6.0), linear, results=["y"], inputs=conflict, n=1000, sobol_n=0)
    assert (a.ranges["y"].low, a.ranges["y"].high) == (7.0, 25.0)
    assert set(
        np.round(
            U.evaluate(
                linear, Toy(), {"x": U.from_unit(np.random.default_rng(1).random(500), conflict["x"])}, ["y"]
            )["y"],
            9,
        ).tolist()
    ) == {7.0, 25.0}
    rows = U.corners(Toy())
    assert len(rows["x"]) == 16
    assert {(float(x), int(k), str(m), float(r)) for x, k, m, r in zip(*rows.values(), strict=True)} == {
        (x, k, m, r) for x in (2.0, 8.0) for k in (1, 4) for m in ("a", "b") for r in (1.0, 2.0)
    }
    assert U.corners(Toy(), {}) == {}


def test_tables_use_the_column_dictionary() -> None:
    table = U.ranges_table(Toy())
    assert list(table.columns) == ["input", "default_value", "low_value", "high_value", "range_kind", "basis"]
    assert [fields.header(c) for c in table.columns] == [
        "Input",
        "Default",
        "Low",
        "High",
        "Kind of range",
        "Basis",
    ]
    assert list(table["input"]) == ["The x input", "Count", "Mode", "Rate"]
    x, _, mode, rate = table.to_dict("records")
    assert (x["default_value"], x["low_value"], x["high_value"], x["range_kind"]) == (
        "5%",
        "2%",
        "8%",
        "Judgement",
    )
    assert (mode["low_value"], mode["range_kind"], rate["default_value"]) == (
        "a, b",
        "Sources conflict",
        "looked up",
    )
    a = U.assess(Toy(), linear, results=SPECS, n=5000, sobol_n=1024)
    summary = U.summary_table(a)
    assert [fields.header(c) for c in summary.columns]
    assert summary.iloc[0].to_dict() == {
        "result_label": "Three x plus one",
        "value_text": "EUR 16.0",
        "range_text": "EUR 7.0 to EUR 25.0",
        "deciding_inputs": "The x input",
    }
    results = make_results(SPECS, {"y": 16.0}, ranges=a.result_ranges(), notes=a.result_notes())
    assert (results[0].record()["low"], results[0].record()["high"]) == (7.0, 25.0)


# --------------------------------------------------------------------------- laws (hypothesis)


@settings(max_examples=examples(25), deadline=None, derandomize=True, database=None)
@given(st.lists(st.floats(-5, 5).filter(lambda v: abs(v) > 0.05), min_size=2, max_size=4))
def test_additive_results_have_closed_form_indices(slopes: list[float]) -> None:
    """For y = sum a_i x_i with x_i uniform of width w_i, S_i = ST_i = a_i^2 w_i^2 / sum a_j^2 w_j^2
    (so the first-order indices sum to 1), up to 5 standard errors; every index within [0, 1] up to
    that noise."""
    widths = [1.0, 2.0, 0.5, 3.0][: len(slopes)]
    inputs = {f"x{i}": Plausible(0.0, w, "t", "judgement") for i, w in enumerate(widths)}

    @dataclass(frozen=True)
    class Many:
        x0: float = param(0.5, Number(), "x0")
        x1: float = param(0.5, Number(), "x1")
        x2: float = param(0.25, Number(), "x2")
        x3: float = param(0.5, Number(), "x3")

    def additive(p: Many, **d: Any) -> dict[str, Any]:
        return {"y": sum(a * np.asarray(d.get(f"x{i}", getattr(p, f"x{i}"))) for i, a in enumerate(slopes))}

    idx = U.assess(Many(), additive, results=["y"], inputs=inputs, n=2048, sobol_n=1024).indices
    share = np.array([(a * w) ** 2 for a, w in zip(slopes, widths, strict=True)])
    share /= share.sum()
    assert np.all(np.abs(idx["first"] - share) <= 5 * idx["first_se"] + 1e-9)
    assert np.all(np.abs(idx["total"] - share) <= 5 * idx["total_se"] + 1e-9)
    assert np.all(idx["first"] >= -5 * idx["first_se"]) and np.all(idx["total"] <= 1 + 5 * idx["total_se"])


@settings(max_examples=examples(25), deadline=None, derandomize=True, database=None)
@given(st.floats(-5, 5).filter(lambda v: abs(v) > 0.01), st.floats(0.2, 3), st.floats(0.06, 0.94))
def test_low_value_high_when_the_default_lies_inside_the_range(
    slope: float, power: float, where: float
) -> None:
    """A monotone result of one input: low and high are its values at the two ends of the input's
    range, and always low <= median <= high, low <= value <= high."""

    def monotone(p: Toy, **d: Any) -> dict[str, Any]:
        return {"y": slope * np.asarray(value(p, d, "x")) ** power}

    p = Toy(x=2 + 6 * where)
    r = U.assess(p, monotone, results=["y"], inputs=only_x(), n=20_000, sobol_n=0).ranges["y"]
    assert r.low is not None and r.high is not None and r.median is not None and r.value is not None
    assert r.low <= r.median <= r.high
    assert r.low <= r.value <= r.high
    ends = sorted(slope * np.array([2.0, 8.0]) ** power)
    assert (r.low, r.high) == pytest.approx(tuple(ends), rel=1e-12)


@settings(max_examples=examples(30), deadline=None, derandomize=True, database=None)
@given(st.floats(2, 8), st.floats(2, 8))
def test_a_share_is_a_probability_and_matches_the_uniform_law(lo: float, hi: float) -> None:
    lo, hi = min(lo, hi), max(lo, hi)
    inside = U.Conclusion("inside", "y", lambda y: (y >= 3 * lo + 1) & (y <= 3 * hi + 1), "y inside")
    a = U.assess(Toy(), linear, results=["y"], conclusions=[inside], inputs=only_x(), n=20_000, sobol_n=0)
    expected = (hi - lo) / 6
    assert 0.0 <= a.share("inside") <= 1.0
    assert a.share("inside") == pytest.approx(expected, abs=5 * math.sqrt(0.25 / 20_000))
