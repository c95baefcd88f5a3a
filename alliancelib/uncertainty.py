"""How sure is each conclusion: ranges, odds and the deciding assumptions of a notebook's results.

Every parameter that is an assumption or a conflicted fact declares a plausible range
(:class:`alliancelib.params.Plausible`); sourced facts without a conflict stay fixed. :func:`assess`
then

1. draws ``n`` parameter sets (default 100,000), each uncertain input uniform over its range (whole
   numbers for integer inputs, an option for a choice), independently and in declaration order
   from one seeded generator, so the same seed gives the same numbers;
2. evaluates them all at once through the notebook module's own vectorised ``headline(p, **draws)``
   (never a second implementation of a formula) and reports each result's value at the defaults,
   its 5th, 50th and 95th percentiles and, for each :class:`Conclusion` (a sign or a threshold),
   the share of draws in which it holds;
3. computes variance-based sensitivity indices (Sobol'): for input *i*, the first-order index
   ``S_i`` is the share of the result's variance that input explains alone, and the total index
   ``ST_i`` the share it explains with all its interactions. Estimators: Saltelli et al. (2010),
   "Variance based sensitivity analysis of model output", eq. (b) of table 2, for ``S_i``, and
   Jansen (1999) for ``ST_i``, on the radial design A, B, A_B^i (n (k + 2) evaluations for k inputs).
   These are the estimators SALib uses; the tests check the two agree on the Ishigami function. They
   are written here in numpy rather than called from SALib because SALib's import costs about 0.3 s
   and its default bootstrap about 0.4 s a call, against a budget of 1 s for a notebook's whole
   uncertainty section, and because it refuses an input with zero range ("Bounds are not legal"),
   whereas here fixed inputs are the normal case and must come out with index 0.

Results that do not exist in some draws (a break-even that never happens: None or NaN) are handled
explicitly: percentiles are taken over the draws where the result exists and
:attr:`Range.share_defined` says in how many it does. Text results are skipped.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from alliancelib.params import Integer, Plausible, fields_of, label_of, plausible_of, spec_of

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

SEED = 20250331  # the announcement's date: one project-wide seed
N_DRAWS = 100_000
SOBOL_N = 8_192  # base sample of the Sobol' design: n (k + 2) evaluations
NEGLIGIBLE = 0.02  # a total index below this does not "decide" a result

Headline = Callable[..., Mapping[str, Any]]


@dataclass(frozen=True)
class Conclusion:
    """A statement a finding makes that is a sign or a threshold on one result.

    ``holds`` maps an array of the result's values (NaN where the result does not exist) to a
    boolean array, e.g. ``lambda gap: gap < 0`` for "the EV is cheaper over the years".
    """

    key: str
    result: str
    holds: Callable[[np.ndarray], np.ndarray]
    statement: str


@dataclass(frozen=True)
class Range:
    """A result across the plausible inputs.

    ``p05``, ``median`` and ``p95`` are the 5th, 50th and 95th percentiles over the draws; ``low``
    and ``high`` are the range a report records: the 5th and 95th percentiles, widened to include
    the value at the defaults where the defaults sit at the edge of the plausible inputs (so that
    low <= value <= high always holds).
    """

    name: str
    value: float
    low: float
    median: float
    high: float
    share_defined: float  # share of draws in which the result exists (1.0 for most)
    p05: float = math.nan
    p95: float = math.nan

    @property
    def varies(self) -> bool:
        """Whether the plausible inputs move the result at all."""
        return self.high - self.low > 1e-9 * max(1.0, abs(self.value))


@dataclass(frozen=True)
class Assessment:
    """What :func:`assess` found: ranges, conclusion shares and sensitivity indices."""

    ranges: Mapping[str, Range]
    shares: Mapping[str, float]  # conclusion key -> share of draws in which it holds
    holds_at_default: Mapping[str, bool]
    indices: pd.DataFrame  # columns: result, input, first, total
    inputs: tuple[str, ...]
    n: int
    seed: int

    def range(self, name: str) -> tuple[float, float]:
        """5th and 95th percentile of a result."""
        r = self.ranges[name]
        return r.low, r.high

    def share(self, key: str) -> float:
        """Share (0-1) of plausible cases in which a conclusion holds."""
        return self.shares[key]

    def flips(self, key: str) -> bool:
        """Whether a conclusion holds in some plausible cases and not in others."""
        return 0.0 < self.shares[key] < 1.0

    def deciding(self, name: str) -> list[str]:
        """The inputs that decide a result, by total index, largest first (negligible ones left out)."""
        rows = self.indices[self.indices["result"] == name]
        rows = rows[rows["total"] >= NEGLIGIBLE].sort_values(["total", "input"], ascending=[False, True])
        return list(rows["input"])


# --------------------------------------------------------------------------- drawing inputs


def uncertain_inputs(p: Any) -> dict[str, Plausible]:
    """The parameters of ``p`` with a plausible range that lets them move, in declaration order."""
    out = {}
    for f in fields_of(type(p)):
        pl = plausible_of(type(p), f.name)
        if pl is not None and pl.varies:
            out[f.name] = pl
    return out


def _from_unit(u: np.ndarray, pl: Plausible, integer: bool) -> np.ndarray:
    """Map uniform draws in [0, 1) onto a plausible range (options, whole numbers or reals)."""
    if pl.options:
        idx = np.minimum((u * len(pl.options)).astype(int), len(pl.options) - 1)
        return np.asarray(pl.options, dtype=object)[idx]
    lo, hi = float(pl.low), float(pl.high)  # type: ignore[arg-type]
    if integer:
        a, b = math.ceil(lo), math.floor(hi)
        return np.minimum(a + (u * (b - a + 1)).astype(int), b)
    return lo + u * (hi - lo)


def _is_integer(p: Any, name: str) -> bool:
    spec = spec_of(type(p), name)
    return isinstance(spec, Integer) or getattr(spec, "inner", None).__class__ is Integer


def draw(p: Any, n: int, seed: int = SEED) -> dict[str, np.ndarray]:
    """``n`` seeded draws of every uncertain input of ``p`` (uniform over its plausible range)."""
    rng = np.random.default_rng(seed)
    return {name: _from_unit(rng.random(n), pl, _is_integer(p, name))
            for name, pl in uncertain_inputs(p).items()}


# --------------------------------------------------------------------------- evaluating


def _as_float(value: Any, n: int) -> np.ndarray | None:
    """A result as a float array of length ``n`` (None and non-finite -> NaN); None for text."""
    arr = np.asarray(value)
    if arr.dtype.kind in "USO":
        if arr.dtype.kind == "O" and all(v is None or isinstance(v, int | float) for v in arr.ravel()):
            arr = np.array([np.nan if v is None else v for v in arr.ravel()], dtype=float)
        else:
            return None
    out = np.broadcast_to(arr.astype(float), (n,)).copy()
    out[~np.isfinite(out)] = np.nan
    return out


def evaluate(headline: Headline, p: Any, draws: Mapping[str, np.ndarray],
             results: Sequence[str]) -> dict[str, np.ndarray]:
    """The named results of ``headline`` at the draws, as float arrays (NaN where undefined)."""
    n = len(next(iter(draws.values()))) if draws else 1
    values = headline(p, **draws)
    out = {}
    for name in results:
        arr = _as_float(values[name], n)
        if arr is not None:
            out[name] = arr
    return out


def _at_default(headline: Headline, p: Any, results: Sequence[str]) -> dict[str, float]:
    values = evaluate(headline, p, {}, results)
    return {k: float(v[0]) for k, v in values.items()}


# --------------------------------------------------------------------------- Sobol' indices


def sobol_indices(func: Callable[[Mapping[str, np.ndarray]], Mapping[str, np.ndarray]],
                  to_inputs: Callable[[np.ndarray], dict[str, np.ndarray]], k: int, names: Sequence[str],
                  results: Sequence[str], n: int = SOBOL_N, seed: int = SEED) -> pd.DataFrame:
    """First-order (Saltelli 2010) and total (Jansen 1999) Sobol' indices of ``k`` inputs.

    ``to_inputs`` maps an (m, k) array of uniform draws in [0, 1) to the inputs ``func`` takes;
    ``func`` evaluates all m rows at once and returns float arrays (NaN where a result does not
    exist; such rows are left out of that result's estimate). An input whose range is zero gets
    index 0 from the estimator itself (its A_B^i rows equal A's).
    """
    rng = np.random.default_rng(seed + 1)
    a, b = rng.random((n, k)), rng.random((n, k))
    blocks = [a, b] + [np.where(np.arange(k) == i, b, a) for i in range(k)]
    y = func(to_inputs(np.vstack(blocks)))
    rows = []
    for res in results:
        ys = np.asarray(y[res], dtype=float).reshape(k + 2, n)
        fa, fb = ys[0], ys[1]
        for i, name in enumerate(names):
            fab = ys[2 + i]
            ok = np.isfinite(fa) & np.isfinite(fb) & np.isfinite(fab)
            var = float(np.var(np.concatenate([fa[ok], fb[ok]]))) if ok.sum() > 1 else 0.0
            if var <= 1e-24:
                s1 = st = 0.0
            else:
                s1 = float(np.mean(fb[ok] * (fab[ok] - fa[ok])) / var)
                st = float(0.5 * np.mean((fa[ok] - fab[ok]) ** 2) / var)
            rows.append({"result": res, "input": name, "first": s1, "total": st})
    return pd.DataFrame(rows, columns=["result", "input", "first", "total"])


def _param_sobol(headline: Headline, p: Any, results: Sequence[str], n: int, seed: int) -> pd.DataFrame:
    inputs = uncertain_inputs(p)
    names = list(inputs)
    if not names:
        return pd.DataFrame(columns=["result", "input", "first", "total"])
    integer = {name: _is_integer(p, name) for name in names}

    def to_inputs(u: np.ndarray) -> dict[str, np.ndarray]:
        return {name: _from_unit(u[:, i], inputs[name], integer[name]) for i, name in enumerate(names)}

    def func(draws: Mapping[str, np.ndarray]) -> Mapping[str, np.ndarray]:
        return evaluate(headline, p, draws, results)

    return sobol_indices(func, to_inputs, len(names), names, results, n=n, seed=seed)


# --------------------------------------------------------------------------- the assessment


def _range(name: str, value: float, ys: np.ndarray) -> Range:
    ok = ys[np.isfinite(ys)]
    if ok.size == 0:
        return Range(name, value, math.nan, math.nan, math.nan, 0.0)
    lo, med, hi = (float(x) for x in np.percentile(ok, [5, 50, 95]))
    wide_lo, wide_hi = (min(lo, value), max(hi, value)) if math.isfinite(value) else (lo, hi)
    return Range(name, value, wide_lo, med, wide_hi, ok.size / ys.size, lo, hi)


def assess(p: Any, headline: Headline, *, results: Sequence[str], conclusions: Sequence[Conclusion] = (),
           n: int = N_DRAWS, seed: int = SEED, sobol: bool = True, sobol_n: int = SOBOL_N) -> Assessment:
    """Ranges (5th-95th percentile over ``n`` seeded draws), conclusion shares and Sobol' indices of
    ``results`` (numeric results of ``headline``; text results are skipped)."""
    defaults = _at_default(headline, p, results)
    numeric = [r for r in results if r in defaults]
    draws = draw(p, n, seed)
    ys = evaluate(headline, p, draws, numeric) if draws else {k: np.full(1, v) for k, v in defaults.items()}
    ranges = {k: _range(k, defaults[k], ys[k]) for k in numeric}
    shares, at_default = {}, {}
    for c in conclusions:
        shares[c.key] = float(np.mean(np.asarray(c.holds(ys[c.result]), dtype=bool)))
        at_default[c.key] = bool(np.asarray(c.holds(np.array([defaults[c.result]])))[0])
    indices = (_param_sobol(headline, p, numeric, sobol_n, seed) if sobol and draws
               else pd.DataFrame(columns=["result", "input", "first", "total"]))
    return Assessment(ranges, shares, at_default, indices, tuple(uncertain_inputs(p)), n, seed)


# --------------------------------------------------------------------------- words and tables


def percent(share: float) -> str:
    """A share as a reader says it: 0.713 -> '71%', 0.999 -> 'more than 99%'.

    >>> percent(0.713), percent(1.0), percent(0.9996), percent(0.0), percent(0.0004)
    ('71%', '100%', 'more than 99%', '0%', 'less than 1%')
    """
    if share >= 1.0:
        return "100%"
    if share <= 0.0:
        return "0%"
    if share > 0.99:
        return "more than 99%"
    if share < 0.01:
        return "less than 1%"
    return f"{round(share * 100):.0f}%"


def _labels(p: Any, names: Sequence[str]) -> list[str]:
    return [label_of(type(p), n) for n in names]


def robustness_sentence(a: Assessment, conclusion: Conclusion, p: Any) -> str:
    """One sentence: in how many plausible cases a conclusion holds, and what decides it.

    E.g. "Holds in 71% of plausible cases; it turns mostly on the EV's resale value."
    """
    share = a.share(conclusion.key)
    deciding = _labels(p, a.deciding(conclusion.result)[:2])
    if share >= 1.0:
        text = "Holds in every plausible case"
    elif share <= 0.0:
        text = "Holds in no plausible case"
    else:
        text = f"Holds in {percent(share)} of plausible cases"
    if deciding and 0.0 < share < 1.0:
        text += "; it turns mostly on " + " and ".join(d[0].lower() + d[1:] for d in deciding)
    return text + "."


def range_sentence(a: Assessment, name: str, label: str, fmt: Callable[[float], str], p: Any) -> str:
    """One sentence on a numeric result: its 90% range and the inputs that decide it."""
    r = a.ranges[name]
    if not r.varies:
        return f"{label}: {fmt(r.value)} in every plausible case (no uncertain input moves it)."
    text = f"{label}: between {fmt(r.low)} and {fmt(r.high)} in 90% of plausible cases"
    deciding = _labels(p, a.deciding(name)[:2])
    if deciding:
        text += ", decided mostly by " + " and ".join(d[0].lower() + d[1:] for d in deciding)
    if r.share_defined < 1.0:
        text += f" (it exists in {percent(r.share_defined)} of them)"
    return text + "."


def _fmt_input(value: Any) -> str:
    if value is None:
        return "reported value"
    if isinstance(value, str):
        return value
    v = float(value)
    return f"{v:,.0f}" if abs(v) >= 1000 or v.is_integer() else f"{v:,.4g}"


def ranges_table(p: Any) -> pd.DataFrame:
    """One row per uncertain input: its label, default, low, high, kind of range and basis."""
    rows = []
    for name, pl in uncertain_inputs(p).items():
        low, high = (", ".join(pl.options), "") if pl.options else (_fmt_input(pl.low), _fmt_input(pl.high))
        rows.append({"input": label_of(type(p), name), "default_value": _fmt_input(getattr(p, name)),
                     "low_value": low, "high_value": high, "range_kind": pl.kind, "basis": pl.basis})
    return pd.DataFrame(rows, columns=["input", "default_value", "low_value", "high_value", "range_kind",
                                       "basis"])


def plot_ranges(a: Assessment, specs: Sequence[Any], fmt: Callable[[Any, float], str]) -> Figure:
    """The headline results across plausible inputs: one row each, a bar from the 5th to the 95th
    percentile in % of the value at the defaults (results have different units, so the axis is the
    relative change), the default marked at 0, and the low and high written in each result's unit.

    ``specs`` are the notebook's ResultSpecs (name, unit, label); ``fmt(spec, value)`` writes a value
    in its unit. Results that do not vary are listed in the title's subtitle, not drawn.
    """
    from alliancelib import charts

    rows = [s for s in specs if s.name in a.ranges and a.ranges[s.name].varies
            and a.ranges[s.name].value not in (0, None) and math.isfinite(a.ranges[s.name].value)]
    fig, ax = charts.figure(8.0, 0.9 + 0.55 * max(1, len(rows)))
    widest = ("", 0.0)
    for y, s in enumerate(reversed(rows)):
        r = a.ranges[s.name]
        lo, hi = (r.low / r.value - 1) * 100, (r.high / r.value - 1) * 100
        lo, hi = min(lo, hi), max(lo, hi)
        ax.barh(y, hi - lo, left=lo, height=0.45, color=charts.PALETTE["accent"], alpha=0.35)
        ax.plot([0], [y], marker="o", color=charts.PALETTE["accent"], zorder=3)
        ax.annotate(f"{fmt(s, r.low)} to {fmt(s, r.high)}", (hi, y), xytext=(6, 0),
                    textcoords="offset points", va="center", fontsize=8, color="#333333")
        if hi - lo > widest[1]:
            widest = (s.label, hi - lo)
    ax.axvline(0, color="#555555", lw=0.8)
    ax.set_yticks(range(len(rows)), [s.label for s in reversed(rows)])
    span = max([abs(x) for s in rows for x in ((a.ranges[s.name].low / a.ranges[s.name].value - 1) * 100,
                                                  (a.ranges[s.name].high / a.ranges[s.name].value - 1) * 100)]
               + [5.0])
    ax.set_xlim(-span * 1.15, span * 2.2)
    title = (f"{widest[0]} is the least certain result" if rows else "No uncertain input moves the results")
    charts.style_axes(ax, title=title, xlabel="change from the value at the defaults (%); each bar spans "
                      "the middle 90% of plausible cases")
    ax.grid(axis="y", visible=False)
    return fig


def summary_table(a: Assessment, specs: Sequence[Any], fmt: Callable[[Any, float], str], p: Any
                  ) -> pd.DataFrame:
    """Every result with its value, 90% range (or why it has none) and deciding inputs, for a table."""
    rows = []
    for s in specs:
        if s.name not in a.ranges:
            continue
        r = a.ranges[s.name]
        if not r.varies:
            span, deciding = "no range: no uncertain input moves it", ""
        else:
            span = f"{fmt(s, r.low)} to {fmt(s, r.high)}"
            deciding = ", ".join(_labels(p, a.deciding(s.name)[:3]))
        rows.append({"result_label": s.label, "value_text": fmt(s, r.value), "range_text": span,
                     "deciding_inputs": deciding})
    return pd.DataFrame(rows, columns=["result_label", "value_text", "range_text", "deciding_inputs"])


__all__ = [
    "Assessment", "Conclusion", "N_DRAWS", "Range", "SEED", "SOBOL_N", "assess", "draw", "evaluate",
    "percent", "plot_ranges", "range_sentence", "ranges_table", "robustness_sentence", "sobol_indices",
    "summary_table", "uncertain_inputs",
]
