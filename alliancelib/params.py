"""Notebook parameters: typed, documented, validated before any computation.

Each notebook's parameters are a frozen dataclass whose fields carry a :class:`Spec` (what is
allowed) and a help text in their metadata. :func:`validate` turns the values of a notebook's
parameters cell into that dataclass or raises :class:`~alliancelib.errors.ParameterError` naming
the notebook, the parameter, the value and what is allowed. papermill's ``-p`` guesses types
(``-p years 5.0`` is a float): whole numbers are accepted for floats and whole floats for ints.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from alliancelib.errors import ParameterError

T = TypeVar("T")


class Spec:
    """What values a parameter allows; :meth:`check` returns the clean value or raises ValueError
    whose text says what is allowed."""

    allowed: str = "any value"

    def check(self, value: Any) -> Any:  # pragma: no cover - overridden
        return value


@dataclass(frozen=True)
class Number(Spec):
    """A finite real number within bounds (ints accepted and turned into floats)."""

    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: bool = False
    exclusive_maximum: bool = False

    @property
    def allowed(self) -> str:  # type: ignore[override]
        lo = "" if self.minimum is None else f"{'>' if self.exclusive_minimum else '>='} {self.minimum:g}"
        hi = "" if self.maximum is None else f"{'<' if self.exclusive_maximum else '<='} {self.maximum:g}"
        bounds = " and ".join(b for b in (lo, hi) if b)
        return "a finite number" + (f" {bounds}" if bounds else "")

    def check(self, value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(self.allowed)
        out = float(value)
        if not math.isfinite(out):
            raise ValueError(self.allowed)
        if self.minimum is not None and (
            out < self.minimum or (self.exclusive_minimum and out == self.minimum)
        ):
            raise ValueError(self.allowed)
        if self.maximum is not None and (
            out > self.maximum or (self.exclusive_maximum and out == self.maximum)
        ):
            raise ValueError(self.allowed)
        return out


@dataclass(frozen=True)
class Integer(Spec):
    """A whole number within bounds (a whole float such as 5.0 is accepted)."""

    minimum: int | None = None
    maximum: int | None = None

    @property
    def allowed(self) -> str:  # type: ignore[override]
        parts = [f">= {self.minimum}" if self.minimum is not None else "",
                 f"<= {self.maximum}" if self.maximum is not None else ""]
        bounds = " and ".join(p for p in parts if p)
        return "a whole number" + (f" {bounds}" if bounds else "")

    def check(self, value: Any) -> int:
        if isinstance(value, bool):
            raise ValueError(self.allowed)
        if isinstance(value, float) and math.isfinite(value) and value.is_integer():
            value = int(value)
        if not isinstance(value, int):
            raise ValueError(self.allowed)
        if (self.minimum is not None and value < self.minimum) or (
            self.maximum is not None and value > self.maximum
        ):
            raise ValueError(self.allowed)
        return value


@dataclass(frozen=True)
class Choice(Spec):
    """One of a fixed set of strings."""

    options: tuple[str, ...]

    @property
    def allowed(self) -> str:  # type: ignore[override]
        return "one of " + ", ".join(repr(o) for o in self.options)

    def check(self, value: Any) -> str:
        if not isinstance(value, str) or value not in self.options:
            raise ValueError(self.allowed)
        return value


@dataclass(frozen=True)
class IsoDate(Spec):
    """A date written YYYY-MM-DD; bounds, if any, come from a callable (e.g. the FX data held)."""

    bounds: Callable[[], tuple[dt.date, dt.date]] | None = None
    bounds_label: str = ""

    @property
    def allowed(self) -> str:  # type: ignore[override]
        if self.bounds is None:
            return "a date written YYYY-MM-DD"
        lo, hi = self.bounds()
        return f"a date written YYYY-MM-DD from {lo} to {hi}{self.bounds_label}"

    def check(self, value: Any) -> str:
        if not isinstance(value, str) or len(value) != 10:
            raise ValueError(self.allowed)
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(self.allowed) from None
        if self.bounds is not None:
            lo, hi = self.bounds()
            if not lo <= day <= hi:
                raise ValueError(self.allowed)
        return value


@dataclass(frozen=True)
class Optional(Spec):
    """None, or a value the inner spec allows."""

    inner: Spec

    @property
    def allowed(self) -> str:  # type: ignore[override]
        return f"None or {self.inner.allowed}"

    def check(self, value: Any) -> Any:
        if value is None:
            return None
        try:
            return self.inner.check(value)
        except ValueError:
            raise ValueError(self.allowed) from None


RANGE_KINDS = ("conflict", "spread", "judgement")


@dataclass(frozen=True)
class Plausible:
    """The plausible range of an uncertain input, and where it comes from.

    ``kind`` says what the range rests on: ``conflict`` (the conflicting sourced values, e.g. a
    capacity of 400,000 or 480,000), ``spread`` (a sourced spread, e.g. the prices reported over
    2025) or ``judgement`` (a labelled judgement; ``basis`` gives the one-line reason). A number
    parameter has ``low`` and ``high``; a choice parameter has ``options``.

    >>> Plausible(400_000, 480_000, "Renault: over 400,000; carandbike: 480,000", "conflict").width
    80000
    """

    low: float | None = None
    high: float | None = None
    basis: str = ""
    kind: str = "judgement"
    options: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in RANGE_KINDS:
            raise ValueError(f"Plausible.kind must be one of {RANGE_KINDS}, not {self.kind!r}")
        if not self.basis.strip():
            raise ValueError("a plausible range needs its basis: the sources or the reason")
        if self.options:
            if self.low is not None or self.high is not None:
                raise ValueError("a plausible range has either options or low/high, not both")
        elif self.low is None or self.high is None or not self.low <= self.high:
            raise ValueError(f"a plausible range needs low <= high, not {self.low!r} and {self.high!r}")

    @property
    def width(self) -> float:
        """high - low (0 for options)."""
        return 0 if self.options else self.high - self.low  # type: ignore[operator]

    @property
    def varies(self) -> bool:
        """Whether the range lets the input move at all."""
        return len(self.options) > 1 if self.options else self.width > 0


def param(  # noqa: A002 - help is the word users read
    default: Any, spec: Spec, help: str, *, label: str = "", plausible: Plausible | None = None
) -> Any:
    """A dataclass field for a notebook parameter: default, what is allowed, a help text, the
    parameter's name in plain words (``label``, for charts and tables) and, for an assumption or a
    conflicted fact, its plausible range. A range that the spec refuses, or that leaves out the
    default, is a programming error raised at import."""
    if plausible is not None:
        _check_plausible(default, spec, plausible, help)
    metadata = {"spec": spec, "help": help, "label": label, "plausible": plausible}
    return dataclasses.field(default=default, metadata=metadata)


def _check_plausible(default: Any, spec: Spec, pl: Plausible, help: str) -> None:
    values = list(pl.options) if pl.options else [pl.low, pl.high]
    for v in values:
        try:
            spec.check(v)
        except ValueError as exc:
            raise ValueError(f"plausible value {v!r} of parameter ({help}) is not allowed: {exc}") from None
    if default is None:
        return  # the default is looked up (e.g. a reported price); the range covers what it may be
    if pl.options and default not in pl.options:
        raise ValueError(f"the default {default!r} is not among the plausible options {pl.options}")
    if not pl.options and not pl.low <= default <= pl.high:  # type: ignore[operator]
        raise ValueError(f"the default {default!r} lies outside its plausible range {pl.low}-{pl.high}")


def label_of(cls: type, name: str) -> str:
    """A parameter's name in plain words (its help text's first clause when no label is set)."""
    f = {f.name: f for f in fields_of(cls)}[name]
    return f.metadata.get("label") or f.metadata["help"].split(";")[0].split("(")[0].strip()


def plausible_of(cls: type, name: str) -> Plausible | None:
    """A parameter's plausible range, or None for a sourced fact without a conflict."""
    return {f.name: f for f in fields_of(cls)}[name].metadata.get("plausible")


def spec_of(cls: type, name: str) -> Spec:
    """A parameter's spec (what values it allows)."""
    return {f.name: f for f in fields_of(cls)}[name].metadata["spec"]


def fields_of(cls: type) -> list[dataclasses.Field[Any]]:
    """The parameter fields of a parameters dataclass, in declaration order."""
    return [f for f in dataclasses.fields(cls) if "spec" in f.metadata]


def validate(
    cls: type[T],
    notebook: str,
    values: Mapping[str, Any],
    rules: Sequence[Callable[[T], None]] = (),
) -> T:
    """Validate ``values`` into the frozen dataclass ``cls``.

    Unknown names, missing names and values a field's spec does not allow are a ParameterError;
    then each rule (a combination check) runs on the clean object and may raise one.

    >>> @dataclass(frozen=True)
    ... class P:
    ...     years: int = param(5, Integer(minimum=1), "years of ownership")
    >>> validate(P, "demo", {"years": 6.0})
    P(years=6)
    >>> validate(P, "demo", {"years": 0})
    Traceback (most recent call last):
    ...
    alliancelib.errors.ParameterError: demo: parameter years = 0 is not allowed: a whole number >= 1
    """
    __tracebackhide__ = True  # IPython shows the notebook's cell, not these frames
    fields = {f.name: f for f in fields_of(cls)}
    for name in values:
        if name not in fields:
            raise ParameterError(
                notebook, name, values[name],
                f"unknown parameter; this notebook takes: {', '.join(fields)}",
            )
    clean: dict[str, Any] = {}
    for name, field in fields.items():
        if name not in values:
            raise ParameterError(notebook, name, None, "missing: every parameter must be given")
        spec: Spec = field.metadata["spec"]
        try:
            clean[name] = spec.check(values[name])
        except ValueError as exc:
            raise ParameterError(notebook, name, values[name], str(exc)) from None
    obj = cls(**clean)
    for rule in rules:
        rule(obj)
    return obj


def defaults(cls: type) -> dict[str, Any]:
    """Default value of every parameter of ``cls``."""
    return {f.name: f.default for f in fields_of(cls)}


def help_texts(cls: type) -> dict[str, str]:
    """Help text of every parameter of ``cls``."""
    return {f.name: f.metadata["help"] for f in fields_of(cls)}
