"""The uncertain inputs of a notebook and the cases the analysis evaluates (split from
:mod:`alliancelib.uncertainty`, which re-exports these names): which parameters are drawn or held,
the seeded draws (a conflict as its two reported values), and every corner of the stated ranges."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np

from alliancelib.params import Integer, Optional, Plausible, fields_of, plausible_of, spec_of

SEED = 20250331  # the announcement's date: the project's one seed
MAX_CORNERS = 1 << 16  # more corners than this: the draws alone give the smallest and largest value


# --------------------------------------------------------------------------- inputs


def uncertain_inputs(p: Any) -> dict[str, Plausible]:
    """The parameters of ``p`` that the analysis draws, in declaration order: those with a plausible
    range that lets them move and whose value in ``p`` lies in it (None, a value looked up at run
    time, counts as in)."""
    cls = type(p)
    out: dict[str, Plausible] = {}
    for f in fields_of(cls):
        pl = plausible_of(cls, f.name)
        if pl is not None and pl.varies and pl.contains(getattr(p, f.name)):
            out[f.name] = pl
    return out


def held_inputs(p: Any) -> dict[str, Plausible]:
    """The parameters of ``p`` with a plausible range whose value was set outside it: held there."""
    cls = type(p)
    out: dict[str, Plausible] = {}
    for f in fields_of(cls):
        pl = plausible_of(cls, f.name)
        if pl is not None and pl.varies and not pl.contains(getattr(p, f.name)):
            out[f.name] = pl
    return out


def _is_integer(cls: type, name: str) -> bool:
    spec = spec_of(cls, name)
    inner = spec.inner if isinstance(spec, Optional) else spec
    return isinstance(inner, Integer)


def from_unit(u: np.ndarray, pl: Plausible, integer: bool = False) -> np.ndarray:
    """Uniform numbers in [0, 1) mapped onto a stated range: an option each (uniform over the
    options), one of the two reported values of a conflict (each half the time: two cases, not a
    range), a whole number (uniform over the whole numbers from low to high) or a real number
    (uniform over [low, high]).

    >>> u = np.array([0.0, 0.49, 0.5, 0.999])
    >>> from_unit(u, Plausible(1, 4, "test", "judgement"), integer=True).tolist()
    [1, 2, 3, 4]
    >>> from_unit(u, Plausible(options=("FR", "DE"), basis="test", kind="spread")).tolist()
    ['FR', 'FR', 'DE', 'DE']
    >>> from_unit(u, Plausible(253.0, 263.0, "WLTP 263 km vs 253 km", "conflict")).tolist()
    [253.0, 253.0, 263.0, 263.0]
    """
    if pl.options:
        idx = np.minimum((u * len(pl.options)).astype(np.int64), len(pl.options) - 1)
        return np.asarray(pl.options)[idx]
    assert pl.low is not None and pl.high is not None
    if pl.kind == "conflict":
        return np.where(u < 0.5, pl.low, pl.high)
    if integer:
        lo, hi = math.ceil(pl.low), math.floor(pl.high)
        return np.minimum(lo + (u * (hi - lo + 1)).astype(np.int64), hi)
    return pl.low + u * (pl.high - pl.low)


def _inputs_from_unit(u: np.ndarray, cls: type, inputs: Mapping[str, Plausible]) -> dict[str, np.ndarray]:
    return {
        name: from_unit(u[:, i], pl, _is_integer(cls, name)) for i, (name, pl) in enumerate(inputs.items())
    }


def draw(p: Any, n: int, seed: int = SEED) -> dict[str, np.ndarray]:
    """``n`` draws of every uncertain input of ``p`` (:func:`uncertain_inputs`), from
    ``np.random.default_rng(seed).random((n, k))``: column *i* is input *i* in declaration order.
    These are the Monte Carlo draws :func:`assess` evaluates."""
    inputs = uncertain_inputs(p)
    u = np.random.default_rng(seed).random((n, len(inputs)))
    return _inputs_from_unit(u, type(p), inputs)


def corner_values(pl: Plausible, integer: bool = False) -> list[Any]:
    """The values an input takes at the corners of the stated ranges: each option of a choice, else
    the two ends of its range (whole numbers for an integer input; one value if they are equal).

    >>> corner_values(Plausible(1.5, 4.5, "test", "judgement"), integer=True)
    [2, 4]
    >>> corner_values(Plausible(options=("FR", "DE"), basis="test", kind="spread"))
    ['FR', 'DE']
    """
    if pl.options:
        return list(pl.options)
    assert pl.low is not None and pl.high is not None
    ends: list[Any] = [math.ceil(pl.low), math.floor(pl.high)] if integer else [pl.low, pl.high]
    return ends[:1] if ends[0] == ends[1] else ends


def corners(p: Any, inputs: Mapping[str, Plausible] | None = None) -> dict[str, np.ndarray]:
    """Every corner of the stated ranges of ``inputs`` (default :func:`uncertain_inputs` of ``p``):
    one row per combination of the inputs' :func:`corner_values`, as arrays for ``headline``
    (empty without inputs; more than :data:`MAX_CORNERS` rows: empty, the draws alone then give the
    smallest and largest values): e.g. two numeric inputs and a choice of three give 12 rows."""
    drawn = uncertain_inputs(p) if inputs is None else dict(inputs)
    values = {name: corner_values(pl, _is_integer(type(p), name)) for name, pl in drawn.items()}
    count = math.prod(len(v) for v in values.values()) if values else 0
    if not count or count > MAX_CORNERS:
        return {}
    grids = np.meshgrid(*(np.arange(len(v)) for v in values.values()), indexing="ij")
    return {name: np.asarray(vals)[g.ravel()] for (name, vals), g in zip(values.items(), grids, strict=True)}
