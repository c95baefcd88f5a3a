"""Ranges, break-evens and the technical appendix of a notebook's results.

Every parameter that is an assumption or a conflicted fact declares a stated range
(:class:`alliancelib.params.Plausible`; the class keeps its historical name); sourced facts without
a conflict stay fixed. :func:`assess` then

1. evaluates every **corner** of the stated ranges (each input at each end of its range, each
   option of a choice; :func:`corners`) and ``n`` seeded draws (default 100,000) from one
   ``np.random.default_rng(seed)``: each uncertain input uniform over its range (over the whole
   numbers of the range for an integer input, over the options for a choice, and over its two
   reported values for a numeric input of kind ``"conflict"``: two sources that disagree are two
   cases, not a range), independently, in declaration order (:func:`draw`);
2. evaluates them all at once through the notebook module's own vectorised
   ``headline(p, **draws)`` (never a second implementation of a formula) and reports each result's
   value at the defaults and its **smallest and largest value over the stated ranges** (the corners,
   the draws and the defaults together; :class:`Range`: exact wherever the result is monotone in
   each input) and, for each :class:`Conclusion` (a sign or a threshold on a result), the share of
   the draws in which it holds (:class:`Verdict`). That share is the volume of the tested box of
   independent uniform inputs over mostly judgement ranges: **not a probability**, and the reports
   show it only in a technical appendix under that name (:mod:`alliancelib.uncertainty_show`);
3. apportions each result's variance among the inputs (Sobol' indices): the first-order index
   ``S_i`` is the share of the variance input *i* explains alone, the total index ``ST_i`` the
   share it explains with all its interactions. On the radial design of matrices A, B and
   A_B^i (A with column *i* from B; N (k + 2) evaluations for k inputs)::

       S_i  = mean(f(B) (f(A_B^i) - f(A))) / V        Saltelli et al. (2010), table 2
       ST_i = mean((f(A) - f(A_B^i))^2) / (2 V)        Jansen (1999), as in Saltelli et al. (2010)

   with V the variance of f over A and B together (Saltelli, Annoni, Azzini, Campolongo, Ratto,
   Tarantola, "Variance based sensitivity analysis of model output. Design and estimator for the
   total sensitivity index", Computer Physics Communications 181, 2010; Jansen, "Analysis of
   variance designs for model output", Computer Physics Communications 117, 1999). A and B are the
   first 2N Monte Carlo draws, so the design adds only k N evaluations. The same indices of each
   conclusion's truth (1 where it holds, 0 where not) name what decides the conclusion.

**Why not SALib.** These are the estimators SALib's ``sobol.analyze`` uses (the tests check that
the two agree on the Ishigami function), written here in numpy because: importing SALib costs
about 0.3 s and its default bootstrap about 0.4 s a call, against a budget of 1 s for a notebook's
whole uncertainty section; and SALib refuses an input with zero range ("Bounds are not legal"),
whereas here fixed inputs are the normal case and the estimator itself gives them index 0 (their
A_B^i rows equal A's). Instead of a bootstrap, each index carries its Monte Carlo standard error
(the standard deviation of the averaged terms over sqrt(N)), which costs nothing extra.

**Results that do not always exist.** A result that is None, NaN or infinite in some draws (a
break-even that never happens) is handled explicitly: :attr:`Range.share_defined` is the share of
draws in which it is a finite number, its smallest and largest values are taken over those only, its Sobol'
indices over the design rows where it exists, and :attr:`Range.note` says so in plain words. A
conclusion's share is taken over the draws where its result exists unless it says otherwise
(``missing_holds``). A text result is skipped (listed in :attr:`Assessment.skipped`).

**Inputs set outside their range.** An input whose value in the parameters lies outside its
stated range (a user's scenario) is held at that value, not drawn, and the ranges table says
so: the analysis is then conditional on the user's choice (:func:`held_inputs`).

Everything is deterministic: the same parameters, headline and seed give byte-identical numbers.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from alliancelib.core.words import percent  # noqa: F401  (its home; re-exported here)
from alliancelib.params import (
    Plausible,
    fields_of,
    label_of,
    unit_of,
)
from alliancelib.uncertainty_inputs import SEED  # the project's one seed

N_DRAWS = 100_000
# N of the Sobol' design: k N evaluations beyond the Monte Carlo draws. At 8,192 an index's standard
# error is about 0.01 (0.005-0.015 on the TCO case and Ishigami), enough to rank the deciding inputs.
SOBOL_N = 8_192
NEGLIGIBLE = 0.02  # an input whose total index is below this does not "decide" a result
MEDIAN = 50.0  # the percentile a range's middle value is
BREAKEVEN_GRID = 1001  # points per pass of the break-even search (two passes)

Headline = Callable[..., Mapping[str, Any]]
INDEX_COLUMNS = ["input", "first", "total", "first_se", "total_se"]


@dataclass(frozen=True)
class Conclusion:
    """A statement a finding makes that is a sign or a threshold on one result.

    ``holds`` maps an array of the result's values (finite numbers only) to a boolean array, e.g.
    ``lambda gap: gap < 0`` for "the EV is cheaper over 5 years". ``missing_holds`` says how a draw
    in which the result does not exist counts: None (the default) leaves it out of the share; True
    or False counts it as holding or not.
    """

    key: str
    result: str
    holds: Callable[[np.ndarray], Any]
    statement: str
    missing_holds: bool | None = None


@dataclass(frozen=True)
class Range:
    """A result across the stated ranges of its inputs.

    ``value`` is the result at the parameters given (None if it does not exist there); ``low`` and
    ``high`` are its smallest and largest value over the stated ranges (every corner, the draws and
    the value given, where it exists), ``median`` the median of the draws in which it exists
    (``share_defined`` of them; all None if none). A result the inputs leave constant has
    ``low == median == high == value`` and ``varies`` False. ``note`` says in plain words what a
    reader should know (the result is fixed, or exists only in part of the tested range).
    """

    name: str
    value: float | None
    low: float | None
    median: float | None
    high: float | None
    share_defined: float
    varies: bool
    note: str = ""

    @property
    def has_range(self) -> bool:
        """Whether the result has a range to record (it varies and exists in some draws)."""
        return self.varies and self.low is not None


@dataclass(frozen=True)
class Verdict:
    """How much of the tested range a conclusion holds in: ``share`` of the draws (over the draws in
    which its result exists, ``share_defined`` of them, unless the conclusion counts missing draws;
    not a probability), its standard error, whether it holds at the parameters given, the value of
    its deciding input at which it flips with the other inputs as given (``breakeven``: (input,
    value), or None), and whether it holds (``holds_everywhere``) or fails (``fails_everywhere``)
    everywhere in the stated ranges: at every corner, draw and the parameters given (None if it
    cannot be judged anywhere)."""

    key: str
    result: str
    statement: str
    share: float | None
    share_se: float
    holds_at_default: bool | None
    share_defined: float
    breakeven: tuple[str, float] | None = None
    holds_everywhere: bool | None = None
    fails_everywhere: bool | None = None

    @property
    def flips(self) -> bool:
        """Whether the conclusion holds somewhere in the stated ranges and fails somewhere else (the
        corners or the draws)."""
        if self.holds_everywhere is not None and self.fails_everywhere is not None:
            return not (self.holds_everywhere or self.fails_everywhere)
        return self.share is not None and 0.0 < self.share < 1.0


@dataclass(frozen=True, eq=False)
class Assessment:
    """What :func:`assess` found: ranges, verdicts and Sobol' indices, with the words to show them.

    ``indices`` is tidy: one row per result and input (columns ``result``, ``input``, ``first``,
    ``total``, ``first_se``, ``total_se``); ``conclusion_indices`` the same per conclusion (column
    ``conclusion``). ``inputs`` are the inputs drawn, ``held`` those held at a value set outside
    their range; ``labels`` and ``units`` name the inputs for readers; ``specs`` are the result
    specs given to :func:`assess` (by name); ``skipped`` the text results.
    """

    ranges: Mapping[str, Range]
    verdicts: Mapping[str, Verdict]
    indices: pd.DataFrame
    conclusion_indices: pd.DataFrame
    inputs: Mapping[str, Plausible]
    held: Mapping[str, Plausible] = field(default_factory=dict)
    labels: Mapping[str, str] = field(default_factory=dict)
    units: Mapping[str, str] = field(default_factory=dict)
    specs: Mapping[str, Any] = field(default_factory=dict)
    skipped: tuple[str, ...] = ()
    n: int = N_DRAWS
    seed: int = SEED
    sobol_n: int = SOBOL_N

    def range(self, name: str) -> tuple[float, float] | None:
        """Smallest and largest value of a result over the stated ranges (low == high == value if
        nothing moves it); None if it exists nowhere."""
        r = self.ranges[name]
        return None if r.low is None or r.high is None else (r.low, r.high)

    def share(self, key: str) -> float:
        """Share (0-1) of the draws over the tested range in which a conclusion holds (not a
        probability: the volume of a box of independent uniform inputs).

        ValueError if it cannot be judged (its result exists in no draw and the conclusion does
        not say how a missing result counts)."""
        share = self.verdicts[key].share
        if share is None:
            raise ValueError(
                f"conclusion {key}: its result exists nowhere in the tested range; "
                "set missing_holds to say how such a case counts"
            )
        return share

    def flips(self, key: str) -> bool:
        """Whether a conclusion holds somewhere in the stated ranges and fails somewhere else."""
        return self.verdicts[key].flips

    def holds_at_default(self, key: str) -> bool | None:
        """Whether a conclusion holds at the parameters given (None: its result does not exist)."""
        return self.verdicts[key].holds_at_default

    def deciding(self, name: str, threshold: float = NEGLIGIBLE) -> list[str]:
        """The inputs that decide a result (or, for a conclusion's key, whether it holds), by total
        index, largest first; inputs whose total index is below ``threshold`` are left out."""
        if name in self.ranges:
            rows = self.indices[self.indices["result"] == name]
        elif name in self.verdicts:
            rows = self.conclusion_indices[self.conclusion_indices["conclusion"] == name]
        else:
            raise KeyError(f"no result or conclusion {name!r} in this assessment")
        rows = rows[rows["total"] >= threshold]
        return list(rows.sort_values(["total", "input"], ascending=[False, True], kind="stable")["input"])

    def result_ranges(self) -> dict[str, tuple[float, float]]:
        """The range every varying result records, for :func:`alliancelib.results.make_results`
        (``ranges=``): its smallest and largest value over the stated ranges, which include its
        value at the parameters given. So a recorded result always has low <= value <= high."""
        out = {}
        for name, r in self.ranges.items():
            if r.has_range and r.low is not None and r.high is not None:
                low, high = r.low, r.high
                if r.value is not None and math.isfinite(r.value):
                    low, high = min(low, r.value), max(high, r.value)
                out[name] = (low, high)
        return out

    def as_recorded(self, ranges: Mapping[str, tuple[float, float]] | None = None) -> Assessment:
        """This assessment with each varying result's range as recorded (:meth:`result_ranges`, or
        ``ranges`` where a notebook records them rounded), so a range chart shows the bars the
        results table states."""
        ranges = {**self.result_ranges(), **(ranges or {})}
        return dataclasses.replace(
            self,
            ranges={
                name: dataclasses.replace(r, low=ranges[name][0], high=ranges[name][1])
                if name in ranges
                else r
                for name, r in self.ranges.items()
            },
        )

    def result_notes(self) -> dict[str, str]:
        """The note of every result that has one (why it has no range, or what its range means),
        for :func:`alliancelib.results.make_results` (``notes=``)."""
        return {k: r.note for k, r in self.ranges.items() if r.note}

    @property
    def shares(self) -> dict[str, float | None]:
        """Every conclusion's share, by key."""
        return {k: v.share for k, v in self.verdicts.items()}


# --------------------------------------------------------------------------- inputs
# which inputs are drawn, the draws and the corners live in alliancelib.uncertainty_inputs
from alliancelib.uncertainty_inputs import (  # noqa: E402, F401  (re-exported here)
    MAX_CORNERS,
    _inputs_from_unit,
    _is_integer,
    corner_values,
    corners,
    draw,
    from_unit,
    held_inputs,
    uncertain_inputs,
)

# --------------------------------------------------------------------------- evaluating


def as_numbers(value: Any, m: int) -> np.ndarray | None:
    """A result as ``m`` floats, NaN where it does not exist (None, NaN, an infinity); None for a
    text result. A scalar is repeated; an array must hold ``m`` values.

    >>> as_numbers(np.array([1.0, np.inf, 3.0]), 3).tolist(), as_numbers(None, 2).tolist()
    ([1.0, nan, 3.0], [nan, nan])
    >>> as_numbers("Renault", 2) is None
    True
    """
    arr = np.asarray(value)
    if arr.dtype.kind in "USO":
        numbers = _objects_to_float(arr)
        if numbers is None:
            return None
        arr = numbers
    arr = arr.astype(float)
    if arr.ndim > 1 or (arr.ndim == 1 and arr.size not in (1, m)):
        raise ValueError(f"a result must be one value or {m} values (one per draw), not shape {arr.shape}")
    out = np.broadcast_to(arr.reshape(-1), (m,))
    return np.where(np.isfinite(out), out, np.nan)


def _objects_to_float(arr: np.ndarray) -> np.ndarray | None:
    """Object or text values as floats (None -> NaN); None if any is text."""
    if arr.dtype.kind in "US":
        return None
    flat = arr.reshape(-1)
    if any(isinstance(v, str | bytes) for v in flat):
        return None
    missing = np.asarray(pd.isna(flat), dtype=bool)
    out = np.full(flat.shape, np.nan)
    try:
        out[~missing] = np.asarray(flat[~missing].tolist(), dtype=float)
    except (TypeError, ValueError):
        return None
    return out.reshape(arr.shape)


def evaluate(
    headline: Headline, p: Any, draws: Mapping[str, np.ndarray], names: Sequence[str], m: int | None = None
) -> dict[str, np.ndarray | None]:
    """``headline(p, **draws)``'s named results as ``m`` floats each (None for a text result);
    ``m`` defaults to the draws' length (1 without draws)."""
    if m is None:
        m = len(next(iter(draws.values()))) if draws else 1
    values = headline(p, **draws)
    missing = [n for n in names if n not in values]
    if missing:
        raise KeyError(f"headline gave no result {', '.join(missing)} (it gave: {', '.join(values)})")
    out: dict[str, np.ndarray | None] = {}
    for name in names:
        try:
            out[name] = as_numbers(values[name], m)
        except ValueError as exc:
            raise ValueError(f"result {name}: {exc}") from None
    return out


# --------------------------------------------------------------------------- Sobol' indices


def design(k: int, n: int, sobol_n: int, seed: int = SEED) -> np.ndarray:
    """Uniform draws in [0, 1) for the Monte Carlo and the Sobol' design, one row per evaluation.

    Rows ``[0, n)`` are the Monte Carlo draws (the same as :func:`draw`'s); rows ``[0, N)`` are A
    and ``[N, 2N)`` B (N = ``sobol_n``), then come the k blocks A_B^i (A with column i from B), so
    the design costs k N evaluations beyond the draws. ``sobol_n = 0`` (or k = 0): no design.
    """
    rng = np.random.default_rng(seed)
    if not sobol_n or not k:
        return rng.random((n, k))
    base = rng.random((max(n, 2 * sobol_n), k))
    a, b = base[:sobol_n], base[sobol_n : 2 * sobol_n]
    blocks = np.tile(a, (k, 1))
    for i in range(k):
        blocks[i * sobol_n : (i + 1) * sobol_n, i] = b[:, i]
    return np.vstack([base, blocks])


def sobol_indices(y_a: np.ndarray, y_b: np.ndarray, y_ab: np.ndarray) -> dict[str, np.ndarray]:
    """First-order and total Sobol' indices of k inputs from the outputs on the radial design.

    ``y_a``, ``y_b``: f(A), f(B) (N values each); ``y_ab``: f(A_B^i) (k rows of N). Estimators:
    ``S_i = mean(f(B) (f(A_B^i) - f(A))) / V`` (Saltelli et al. 2010) and
    ``ST_i = mean((f(A) - f(A_B^i))^2) / (2 V)`` (Jansen 1999), V the variance over A and B, on
    outputs centred by their mean (which leaves the indices unbiased and lowers their noise).
    NaN marks a row where the result does not exist: such rows are left out. ``*_se`` are the
    standard errors (standard deviation of the averaged terms / sqrt(rows) / V). A constant output
    has all indices 0; an input that does not move the output gets 0 from the formulas themselves.
    """
    k = y_ab.shape[0]
    both = np.isfinite(y_a) & np.isfinite(y_b)
    pooled = np.concatenate([y_a[both], y_b[both]])
    zeros = {key: np.zeros(k) for key in ("first", "total", "first_se", "total_se")}
    if pooled.size < 4:
        return {key: np.full(k, np.nan) for key in zeros}
    centre, var = float(pooled.mean()), float(pooled.var())
    if var <= (1e-12 * max(1.0, abs(centre))) ** 2:
        return zeros
    ya, yb, yab = y_a - centre, y_b - centre, y_ab - centre
    ok = both & np.isfinite(y_ab)
    first, first_se = _masked_mean_se(np.where(ok, yb * (yab - ya), 0.0), ok)
    total, total_se = _masked_mean_se(np.where(ok, 0.5 * (ya - yab) ** 2, 0.0), ok)
    return {
        "first": first / var,
        "total": total / var,
        "first_se": first_se / var,
        "total_se": total_se / var,
    }


def _masked_mean_se(terms: np.ndarray, ok: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row means of ``terms`` over ``ok`` entries and their standard errors (NaN for < 2 entries)."""
    count = ok.sum(axis=1)
    safe = np.maximum(count, 1)
    mean = terms.sum(axis=1) / safe
    spread = np.maximum((terms**2).sum(axis=1) / safe - mean**2, 0.0)
    se = np.sqrt(spread / safe)
    few = count < 2
    return np.where(few, np.nan, mean), np.where(few, np.nan, se)


def _index_frame(
    key_column: str,
    names: Sequence[str],
    inputs: Sequence[str],
    per_name: Mapping[str, Mapping[str, np.ndarray]],
) -> pd.DataFrame:
    rows = [
        {key_column: name, "input": inp, **{c: float(per_name[name][c][i]) for c in INDEX_COLUMNS[1:]}}
        for name in names
        for i, inp in enumerate(inputs)
    ]
    return pd.DataFrame(rows, columns=[key_column, *INDEX_COLUMNS])


def _split(y: np.ndarray, k: int, sobol_n: int, base: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """f(A), f(B), f(A_B^i) from the outputs on :func:`design`'s rows."""
    return y[:sobol_n], y[sobol_n : 2 * sobol_n], y[base:].reshape(k, sobol_n)


# --------------------------------------------------------------------------- ranges and verdicts


def _range(name: str, value: float | None, ys: np.ndarray, at_corners: np.ndarray | None = None) -> Range:
    """A result's smallest and largest value over the stated ranges (the draws ``ys``, the corners
    ``at_corners`` and the value given), the median of the draws, and its note."""
    ok = ys[np.isfinite(ys)]
    share = ok.size / ys.size if ys.size else 0.0
    corner_ok = at_corners[np.isfinite(at_corners)] if at_corners is not None else np.empty(0)
    every = np.concatenate([ok, corner_ok, [value] if value is not None and math.isfinite(value) else []])
    if every.size == 0:
        return Range(
            name,
            value,
            None,
            None,
            None,
            0.0,
            False,
            "no value anywhere in the tested range" if ys.size else "",
        )
    low, high = float(every.min()), float(every.max())
    median = float(np.percentile(ok, MEDIAN)) if ok.size else (low + high) / 2
    if high - low <= 1e-12 * max(1.0, abs(median)):
        fixed = value if value is not None else median
        note = "" if share < 1 else "fixed: no uncertain input moves it"
        return Range(name, value, fixed, fixed, fixed, share, False, _note(note, share))
    return Range(name, value, low, median, high, share, True, _note("", share))


def _note(text: str, share: float) -> str:
    if share >= 1:
        return text
    exists = (
        f"a number in only part of the tested range ({percent(share)} of the draws; the range is over those)"
    )
    return f"{exists}; {text}" if text else exists


def _holds(c: Conclusion, values: np.ndarray) -> np.ndarray:
    """``c.holds`` on finite values, checked to give one boolean per value."""
    out = np.asarray(c.holds(values))
    if out.shape != values.shape:
        out = np.broadcast_to(out, values.shape)
    return out.astype(bool)


def _truth(c: Conclusion, ys: np.ndarray) -> np.ndarray:
    """1.0 where the conclusion holds, 0.0 where not, NaN where it cannot be judged."""
    ok = np.isfinite(ys)
    out = np.full(ys.shape, np.nan if c.missing_holds is None else float(c.missing_holds))
    out[ok] = _holds(c, ys[ok])
    return out


def _verdict(
    c: Conclusion, value: float | None, truth: np.ndarray, at_corners: np.ndarray | None = None
) -> Verdict:
    judged = truth[np.isfinite(truth)]
    share = float(judged.mean()) if judged.size else None
    se = math.sqrt(share * (1 - share) / judged.size) if share is not None else math.nan
    at_default = bool(_holds(c, np.array([value]))[0]) if value is not None else c.missing_holds
    seen = [judged]
    if at_corners is not None:
        seen.append(at_corners[np.isfinite(at_corners)])
    if at_default is not None:
        seen.append(np.array([float(at_default)]))
    every = np.concatenate(seen)
    holds = bool(every.min() == 1.0) if every.size else None
    fails = bool(every.max() == 0.0) if every.size else None
    return Verdict(
        c.key,
        c.result,
        c.statement,
        share,
        se,
        at_default,
        judged.size / truth.size if truth.size else 0.0,
        holds_everywhere=holds,
        fails_everywhere=fails,
    )


def breakeven(
    p: Any, headline: Headline, c: Conclusion, name: str, pl: Plausible, integer: bool = False
) -> float | None:
    """The value of input ``name`` at which conclusion ``c`` flips, the other inputs as in ``p``:
    a grid of :data:`BREAKEVEN_GRID` points over its stated range, then the same again between
    the two points around the flip (precision: the range / 10^6). None if it flips not exactly
    once along the range, or for a choice. For an integer input: the first whole number at which
    the conclusion's truth differs from the low end's."""
    if pl.options or pl.low is None or pl.high is None:
        return None
    grid = (
        np.arange(math.ceil(pl.low), math.floor(pl.high) + 1)
        if integer
        else np.linspace(pl.low, pl.high, BREAKEVEN_GRID)
    )
    truth = _truth_along(p, headline, c, name, grid)
    flips = _flip_points(truth)
    if len(flips) != 1 or np.isnan(truth).any():
        return None
    j = int(flips[0])
    if integer:
        return float(grid[j + 1])
    fine = np.linspace(grid[j], grid[j + 1], BREAKEVEN_GRID)
    fine_flips = _flip_points(_truth_along(p, headline, c, name, fine))
    i = int(fine_flips[0]) if len(fine_flips) else 0
    return float((fine[i] + fine[i + 1]) / 2)


def _flip_points(truth: np.ndarray) -> np.ndarray:
    """Indices i where the truth differs between points i and i + 1."""
    return np.flatnonzero(truth[1:] != truth[:-1])


def _truth_along(p: Any, headline: Headline, c: Conclusion, name: str, grid: np.ndarray) -> np.ndarray:
    ys = evaluate(headline, p, {name: grid}, [c.result], len(grid))[c.result]
    if ys is None:
        raise ValueError(f"conclusion {c.key}: its result {c.result} is text, not a number")
    return _truth(c, ys)


# --------------------------------------------------------------------------- the assessment


def _result_names(results: Sequence[Any]) -> dict[str, Any]:
    """Result specs (or bare names) by name."""
    return {getattr(r, "name", r): r for r in results}


def assess(
    p: Any,
    headline: Headline,
    *,
    results: Sequence[Any],
    conclusions: Sequence[Conclusion] = (),
    n: int = N_DRAWS,
    seed: int = SEED,
    sobol_n: int = SOBOL_N,
    sobol: bool = True,
    inputs: Mapping[str, Plausible] | None = None,
) -> Assessment:
    """How sure each result and conclusion of a notebook is.

    ``p``: the validated parameters; ``headline(p, **draws)``: the notebook module's vectorised
    headline results (any parameter may be passed as an array); ``results``: the notebook's
    ``RESULTS`` (:class:`~alliancelib.results.ResultSpec` objects, or bare names);
    ``conclusions``: its ``CONCLUSIONS``. ``n`` Monte Carlo draws (at least 100,000 for a notebook),
    ``seed``, and ``sobol_n`` the N of the Sobol' design (0: no sensitivity indices, e.g. for a
    quick check; ``sobol=False`` is the same). ``inputs`` overrides the inputs drawn (default
    :func:`uncertain_inputs`; a range of zero width is allowed and gets index 0). See the module's
    docstring for the method.
    """
    specs = _result_names(results)
    sobol_n = sobol_n if sobol else 0
    drawn = uncertain_inputs(p) if inputs is None else dict(inputs)
    k = len(drawn)
    at_default = evaluate(headline, p, {}, list(specs), 1)
    values = {name: _finite(v) for name, v in at_default.items() if v is not None}
    u = design(k, n, sobol_n, seed)
    ys = _on_design(headline, p, u, drawn, values)
    skipped = tuple(name for name in specs if name not in ys)
    numeric = list(ys)
    at_corners = _on_corners(headline, p, drawn, numeric)
    ranges = {name: _range(name, values[name], ys[name][:n], at_corners.get(name)) for name in numeric}
    verdicts, truths = _verdicts(conclusions, values, ys, numeric, n, at_corners)
    use_sobol = bool(sobol_n and k)
    indices, c_indices = _all_indices(
        ys, truths, drawn, numeric, sobol_n if use_sobol else 0, len(u) - k * sobol_n
    )
    assessment = Assessment(
        ranges,
        verdicts,
        indices,
        c_indices,
        drawn,
        held_inputs(p) if inputs is None else {},
        _input_labels(p),
        _input_units(p),
        specs,
        skipped,
        n,
        seed,
        sobol_n if use_sobol else 0,
    )
    return _with_breakevens(assessment, p, headline, conclusions)


def _on_corners(
    headline: Headline, p: Any, drawn: Mapping[str, Plausible], numeric: Sequence[str]
) -> dict[str, np.ndarray]:
    """Every numeric result at every corner of the stated ranges (none without inputs)."""
    rows = corners(p, drawn)
    if not rows:
        return {}
    ys = evaluate(headline, p, rows, list(numeric), len(next(iter(rows.values()))))
    return {name: y for name, y in ys.items() if y is not None}


def _on_design(
    headline: Headline,
    p: Any,
    u: np.ndarray,
    drawn: Mapping[str, Plausible],
    values: Mapping[str, float | None],
) -> dict[str, np.ndarray]:
    """Every numeric result on every row of the design (its value at the defaults repeated when
    nothing is drawn); results that turn out to be text are left out."""
    if not drawn:
        return {name: np.full(len(u), np.nan if v is None else v) for name, v in values.items()}
    ys = evaluate(headline, p, _inputs_from_unit(u, type(p), drawn), list(values), len(u))
    return {name: y for name, y in ys.items() if y is not None}


def conclusions_of(module: Any, p: Any) -> list[Conclusion]:
    """A notebook module's conclusions at ``p``: ``module.conclusions(p)`` where the module defines
    it (thresholds that depend on the parameters), else ``module.CONCLUSIONS`` (else none)."""
    make = getattr(module, "conclusions", None)
    if callable(make):
        return list(make(p))
    return list(getattr(module, "CONCLUSIONS", ()))


def _finite(arr: np.ndarray | None) -> float | None:
    if arr is None or not np.isfinite(arr[0]):
        return None
    return float(arr[0])


def _verdicts(
    conclusions: Sequence[Conclusion],
    values: Mapping[str, float | None],
    ys: Mapping[str, np.ndarray],
    numeric: Sequence[str],
    n: int,
    at_corners: Mapping[str, np.ndarray] | None = None,
) -> tuple[dict[str, Verdict], dict[str, np.ndarray]]:
    """Each conclusion's verdict over the Monte Carlo draws and the corners, and its truth on every
    design row."""
    verdicts: dict[str, Verdict] = {}
    truths: dict[str, np.ndarray] = {}
    for c in conclusions:
        if c.result not in numeric:
            raise ValueError(f"conclusion {c.key}: {c.result!r} is not a numeric result of this headline")
        truths[c.key] = _truth(c, ys[c.result])
        corner_ys = (at_corners or {}).get(c.result)
        corner_truth = _truth(c, corner_ys) if corner_ys is not None else None
        verdicts[c.key] = _verdict(c, values[c.result], truths[c.key][:n], corner_truth)
    return verdicts, truths


def _all_indices(
    ys: Mapping[str, np.ndarray],
    truths: Mapping[str, np.ndarray],
    drawn: Mapping[str, Plausible],
    numeric: Sequence[str],
    sobol_n: int,
    base: int,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Sobol' indices of every result and of every conclusion's truth (empty without a design)."""
    names, k = list(drawn), len(drawn)
    if not sobol_n:
        return (_index_frame("result", [], names, {}), _index_frame("conclusion", [], names, {}))
    of_results = {r: sobol_indices(*_split(ys[r], k, sobol_n, base)) for r in numeric}
    of_truths = {c: sobol_indices(*_split(t, k, sobol_n, base)) for c, t in truths.items()}
    return (
        _index_frame("result", numeric, names, of_results),
        _index_frame("conclusion", list(truths), names, of_truths),
    )


def _with_breakevens(
    a: Assessment, p: Any, headline: Headline, conclusions: Sequence[Conclusion]
) -> Assessment:
    """Each flipping conclusion's break-even along its deciding input (two cheap headline calls)."""
    verdicts = dict(a.verdicts)
    for c in conclusions:
        deciding = a.deciding(c.key) if a.sobol_n else []
        if not verdicts[c.key].flips or not deciding:
            continue
        name = deciding[0]
        value = breakeven(p, headline, c, name, a.inputs[name], _is_integer(type(p), name))
        if value is not None:
            verdicts[c.key] = dataclasses.replace(verdicts[c.key], breakeven=(name, value))
    return dataclasses.replace(a, verdicts=verdicts)


def _input_labels(p: Any) -> dict[str, str]:
    return {f.name: label_of(type(p), f.name) for f in fields_of(type(p))}


def _input_units(p: Any) -> dict[str, str]:
    return {f.name: unit_of(type(p), f.name) for f in fields_of(type(p))}


def _written_decimals(value: float) -> int:
    """How many decimals ``value`` is written with (``0.25`` -> 2, ``45.0`` -> 0)."""
    text = f"{float(value):.10g}"
    return 0 if "e" in text or "." not in text else len(text.split(".")[1])


def _breakeven_decimals(pl: Plausible) -> int:
    """Decimals for a break-even: a hundredth of the input's range (a range of 25 -> 1 decimal)."""
    width = pl.width
    return max(0, -math.floor(math.log10(width / 100))) if width > 0 else 0


# the tables and the range chart live in alliancelib.uncertainty_show (re-exported here)
from alliancelib.uncertainty_show import (  # noqa: E402, F401
    PROPER_NOUNS,
    appendix_caption,
    appendix_table,
    appendix_text,
    format_result,
    in_sentence,
    moved_most_by,
    ranges_table,
    summary_table,
)
