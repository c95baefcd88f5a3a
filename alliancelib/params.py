"""Notebook parameters: typed, documented, validated before any computation.

Each notebook's parameters are a frozen dataclass whose fields carry a :class:`Spec` (what is
allowed) and a help text in their metadata. :func:`validate` turns the values of a notebook's
parameters cell into that dataclass or raises :class:`~alliancelib.errors.ParameterError` naming
the notebook, the parameter, the value and what is allowed. papermill's ``-p`` guesses types
(``-p years 5.0`` is a float): whole numbers are accepted for floats and whole floats for ints.

A parameter that is an assumption or a conflicted fact also declares its plausible range
(:class:`Plausible`: low and high, or options, with the kind of range and its basis) and every
parameter may carry a ``label`` in plain words; :mod:`alliancelib.uncertainty` draws the uncertain
inputs from those ranges::

    capacity_units: int = param(
        400000, Integer(minimum=1), "installed capacity, vehicles a year",
        label="Chennai plant capacity", unit="vehicles/yr",
        plausible=Plausible(400_000, 480_000, 'Renault "over 400,000" vs carandbike 480,000',
                            "conflict"))
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
        parts = [
            f">= {self.minimum}" if self.minimum is not None else "",
            f"<= {self.maximum}" if self.maximum is not None else "",
        ]
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
    """One of a fixed set of strings; ``words`` gives an option in a reader's words (the index and the
    reports show it; the code keeps the string).

    >>> Choice(("FR", "DE"), words=(("FR", "France"),)).say("FR"), Choice(("FR",)).say("FR")
    ('France', 'FR')
    """

    options: tuple[str, ...]
    words: tuple[tuple[str, str], ...] = ()

    def say(self, value: str) -> str:
        """The option in a reader's words (itself where none are given)."""
        return dict(self.words).get(value, value)

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
KIND_WORDS = {"conflict": "sources conflict", "spread": "sourced spread", "judgement": "judgement"}


@dataclass(frozen=True)
class Plausible:
    """The plausible range of an uncertain input, and what it rests on.

    A number parameter has ``low`` and ``high`` (an integer parameter's are whole numbers); a
    choice parameter has ``options``. ``kind`` is ``"conflict"`` (the conflicting sourced values,
    e.g. a capacity of over 400,000 or of 480,000), ``"spread"`` (a sourced spread, e.g. the 2025
    range of a price) or ``"judgement"`` (a labelled judgement); ``basis`` is one line a reader
    can check: the sources, or the reason for the judgement.

    >>> Plausible(400_000, 480_000, 'Renault "over 400,000" vs carandbike 480,000', "conflict").width
    80000
    >>> Plausible(options=("FR", "DE"), basis="the two markets with prices", kind="spread").varies
    True
    """

    low: float | None = None
    high: float | None = None
    basis: str = ""
    kind: str = ""
    options: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in RANGE_KINDS:
            raise ValueError(f"Plausible.kind must be one of {', '.join(RANGE_KINDS)}, not {self.kind!r}")
        if not self.basis.strip() or "\n" in self.basis:
            raise ValueError("a plausible range needs its basis: one line naming the sources or the reason")
        object.__setattr__(self, "options", tuple(self.options))
        if self.options:
            _check_options(self)
        else:
            _check_bounds(self)

    @property
    def width(self) -> float:
        """``high - low`` (0 for options)."""
        if self.options or self.low is None or self.high is None:
            return 0
        return self.high - self.low

    @property
    def varies(self) -> bool:
        """Whether the range lets the input move at all (two options or more, or low < high)."""
        return len(self.options) > 1 if self.options else self.width > 0

    def contains(self, value: Any) -> bool:
        """Whether ``value`` lies in the range (None, a value looked up at run time, counts as in)."""
        if value is None:
            return True
        if self.options:
            return value in self.options
        assert self.low is not None and self.high is not None
        return bool(self.low <= value <= self.high)

    def describe(self) -> str:
        """The range in words: ``400,000 to 480,000 (conflict: ...)``; ``FR or DE (spread: ...)``.

        >>> Plausible(0.2, 0.3, "EU household prices 2025", "spread").describe()
        '0.2 to 0.3 (spread: EU household prices 2025)'
        """
        if self.options:
            span = (
                " or ".join([", ".join(self.options[:-1]), self.options[-1]])
                if len(self.options) > 1
                else self.options[0]
            )
        else:
            span = f"{plain_number(self.low)} to {plain_number(self.high)}"
        return f"{span} ({self.kind}: {self.basis})"


def _check_options(pl: Plausible) -> None:
    if pl.low is not None or pl.high is not None:
        raise ValueError("a plausible range has either options or low and high, not both")
    if not all(isinstance(o, str) for o in pl.options) or len(set(pl.options)) != len(pl.options):
        raise ValueError(f"plausible options must be distinct strings, not {pl.options!r}")


def _check_bounds(pl: Plausible) -> None:
    for end in (pl.low, pl.high):
        if isinstance(end, bool) or not isinstance(end, int | float) or not math.isfinite(end):
            raise ValueError(
                f"a plausible range needs finite numbers low and high, not {pl.low!r} and {pl.high!r}"
            )
    if not pl.low <= pl.high:  # type: ignore[operator]
        raise ValueError(f"a plausible range needs low <= high, not {pl.low!r} > {pl.high!r}")


def plain_number(value: Any) -> str:
    """A parameter value as a reader writes it: thousands separators, no trailing zeros.

    >>> plain_number(400000), plain_number(0.25), plain_number(1.0815), plain_number(45.0)
    ('400,000', '0.25', '1.0815', '45')
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    return f"{value:,.10g}"


def param(  # noqa: A002 - help is the word users read
    default: Any,
    spec: Spec,
    help: str,
    *,
    label: str = "",
    plausible: Plausible | Callable[[], Plausible] | None = None,
    unit: str = "",
) -> Any:
    """A dataclass field for a notebook parameter: its default, what is allowed (``spec``), a help
    text; its name in plain words for charts and tables (``label``, e.g. "EV resale value after
    the years"), its ``unit`` as :func:`alliancelib.results.format_quantity` reads it (e.g. "%",
    "EUR", "vehicles/yr"; optional) and, for an assumption or a conflicted fact, its ``plausible``
    range. Sourced facts without a conflict have no range: they stay fixed.

    The range is checked here, when the parameters class is defined: its ends (or options) must
    be values the spec allows and the default must lie in it (a default of None, looked up at run
    time, is not checked). A Choice takes options, a number low and high; a date takes none.

    >>> param(9.0, Number(0, 10), "x", plausible=Plausible(2.0, 8.0, "a guess", "judgement"))
    Traceback (most recent call last):
    ...
    ValueError: parameter 'x': the default 9.0 lies outside its plausible range 2 to 8

    ``plausible`` may instead be a function returning the range, for a range the data state (e.g.
    the lowest and highest reported price): it is read, and checked as above, each time
    :func:`plausible_of` asks, so a new data row moves it.
    """
    if isinstance(plausible, LookedUpRange):
        plausible = dataclasses.replace(plausible, default=default, spec=spec, name=label or help)
    elif callable(plausible):
        plausible = LookedUpRange(plausible, default, spec, label or help)
    elif plausible is not None:
        plausible = _checked_plausible(default, spec, plausible, label or help)
    metadata = {"spec": spec, "help": help, "label": label, "plausible": plausible, "unit": unit}
    return dataclasses.field(default=default, metadata=metadata)


@dataclass(frozen=True)
class LookedUpRange:
    """A range read from the data when asked (:func:`param`'s ``plausible`` given as a function),
    checked against the parameter's spec and default on every read."""

    read: Callable[[], Plausible]
    default: Any
    spec: Spec
    name: str

    def __call__(self) -> Plausible:
        return _checked_plausible(self.default, self.spec, self.read(), self.name)


def _checked_plausible(default: Any, spec: Spec, pl: Plausible, name: str) -> Plausible:
    """The range with its ends cleaned by the spec (ints for an Integer); ValueError naming the
    parameter (its label or help) if the spec refuses an end or the default lies outside."""
    inner = spec.inner if isinstance(spec, Optional) else spec
    where = f"parameter {name!r}"
    if isinstance(inner, Choice | IsoDate) != bool(pl.options):
        wanted = "options" if isinstance(inner, Choice | IsoDate) else "low and high"
        kind = "a date" if isinstance(inner, IsoDate) else f"a {type(inner).__name__}"
        raise ValueError(f"{where}: {kind} parameter takes {wanted} as its plausible range")
    # a date's bounds come from the data: only its form is checked here, at import
    checker = IsoDate() if isinstance(inner, IsoDate) else inner
    try:
        if pl.options:
            for option in pl.options:
                checker.check(option)
        else:
            pl = dataclasses.replace(pl, low=inner.check(pl.low), high=inner.check(pl.high))
    except ValueError as exc:
        raise ValueError(f"{where}: its plausible range {pl.describe()} is not allowed: {exc}") from None
    if not pl.contains(default):
        shown = f"{plain_number(pl.low)} to {plain_number(pl.high)}" if not pl.options else pl.options
        raise ValueError(f"{where}: the default {default!r} lies outside its plausible range {shown}")
    return pl


def _field(cls: type, name: str) -> dataclasses.Field[Any]:
    for f in fields_of(cls):
        if f.name == name:
            return f
    raise KeyError(f"{getattr(cls, '__name__', cls)} has no parameter {name!r}")


def label_of(cls: type, name: str) -> str:
    """A parameter's name in plain words: its ``label``, else its help text's first clause
    (without an "assumption:" prefix), capitalised.

    >>> @dataclass(frozen=True)
    ... class P:
    ...     km: float = param(12000.0, Number(0), "assumption: distance driven a year, km")
    ...     price: float = param(1.0, Number(0), "price", label="Twingo price")
    >>> label_of(P, "km"), label_of(P, "price")
    ('Distance driven a year', 'Twingo price')
    """
    f = _field(cls, name)
    if f.metadata.get("label"):
        return str(f.metadata["label"])
    text = str(f.metadata["help"]).removeprefix("assumption:").strip()
    for stop in (";", " (", ", ", ": "):
        text = text.split(stop)[0]
    return text[:1].upper() + text[1:]


def labels(params: Any) -> dict[str, str]:
    """:func:`label_of` every parameter of a parameters class (or of an instance's class), by name."""
    cls = params if isinstance(params, type) else type(params)
    return {f.name: label_of(cls, f.name) for f in fields_of(cls)}


def unit_of(cls: type, name: str) -> str:
    """A parameter's unit ("" if none was declared)."""
    return str(_field(cls, name).metadata.get("unit", ""))


def plausible_of(cls: type, name: str) -> Plausible | None:
    """A parameter's plausible range, or None for a sourced fact without a conflict (a range the
    data state is read now: :class:`LookedUpRange`)."""
    pl = _field(cls, name).metadata.get("plausible")
    return pl() if isinstance(pl, LookedUpRange) else pl


def spec_of(cls: type, name: str) -> Spec:
    """A parameter's spec (what values it allows)."""
    return _field(cls, name).metadata["spec"]  # type: ignore[no-any-return]


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
    then each rule (a combination check) runs on the clean object and may raise one. A value its
    spec refuses is told, besides the spec, what a rule allows it at the other values, where a rule
    narrows it (:func:`allowed_at_the_others`), so ``-1`` for a sale of at most 5 points does not
    read as if anything up to 100 were fine.

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
                notebook,
                name,
                values[name],
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
            allowed = str(exc)
            narrower = allowed_at_the_others(cls, values, name, rules)
            if narrower:
                allowed += f", and at the other values {narrower}"
            raise ParameterError(notebook, name, values[name], allowed) from None
    obj = cls(**clean)
    for rule in rules:
        rule(obj)
    return obj


def _probes(spec: Spec) -> list[Any]:
    """The values at the edges of what a spec allows (its inclusive bounds), largest first."""
    inner = spec.inner if isinstance(spec, Optional) else spec
    if isinstance(inner, Number):
        return [
            b
            for b, exclusive in (
                (inner.maximum, inner.exclusive_maximum),
                (inner.minimum, inner.exclusive_minimum),
            )
            if b is not None and not exclusive
        ]
    if isinstance(inner, Integer):
        return [b for b in (inner.maximum, inner.minimum) if b is not None]
    return []


def allowed_at_the_others(
    cls: type[T],
    values: Mapping[str, Any],
    name: str,
    rules: Sequence[Callable[[T], None]],
) -> str | None:
    """What a combination rule allows parameter ``name`` at the other values given, or None.

    Every other value must pass its spec; ``name`` is then set to each edge of its own spec in
    turn and the rules run: the first ParameterError a rule raises about ``name`` says what it
    allows there (e.g. "0 to 5 points at a 10% lock-up ..."). None when no rule narrows it.

    >>> @dataclass(frozen=True)
    ... class P:
    ...     held: float = param(15.0, Number(0, 100), "stake held, %")
    ...     sold: float = param(5.0, Number(0, 100), "points sold")
    >>> def keep_ten(p):
    ...     if p.sold > p.held - 10:
    ...         raise ParameterError("demo", "sold", p.sold, f"0 to {p.held - 10:g} points at a 10% lock-up")
    >>> try:
    ...     validate(P, "demo", {"held": 15.0, "sold": -1}, rules=[keep_ten])
    ... except ParameterError as exc:
    ...     print(exc.allowed)
    a finite number >= 0 and <= 100, and at the other values 0 to 5 points at a 10% lock-up
    """
    if not rules:
        return None
    fields = {f.name: f for f in fields_of(cls)}
    others: dict[str, Any] = {}
    for other, f in fields.items():
        if other == name:
            continue
        try:
            others[other] = f.metadata["spec"].check(values[other])
        except (ValueError, KeyError):
            return None
    for probe in _probes(fields[name].metadata["spec"]):
        obj = cls(**others, **{name: probe})
        for rule in rules:
            try:
                rule(obj)
            except ParameterError as exc:
                if exc.parameter == name:
                    return exc.allowed
            except (ValueError, LookupError):  # a rule that cannot judge this probe says nothing
                continue
    return None


def defaults(cls: type) -> dict[str, Any]:
    """Default value of every parameter of ``cls``."""
    return {f.name: f.default for f in fields_of(cls)}


def help_texts(cls: type) -> dict[str, str]:
    """Help text of every parameter of ``cls``."""
    return {f.name: f.metadata["help"] for f in fields_of(cls)}
