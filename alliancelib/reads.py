"""What an analysis read from ``data/``: the rows, by table and key, and so the sources behind them.

The data layer's row accessors (:func:`alliancelib.data.fact`, :func:`~alliancelib.data.event`,
:func:`~alliancelib.data.row`, :func:`~alliancelib.data.facts`) and the exchange-rate lookup
(:func:`alliancelib.fx.ecb_rate`) call :func:`record` with the row's table, its key and its
``source_id`` (several ids separated by ``;``). Nothing is recorded unless a recording is open;
:func:`recording` opens one for the code inside its ``with`` (context-local: threads and nested
recordings keep their own; a nested recording's reads count for the outer one too)::

    with reads.recording() as r:
        a = analyse(p)
    r.source_ids()  # every source a row that analysis read cites

A topic's ``analyse`` is wrapped in :func:`recorded`, which puts what it read on the analysis
(``a.read_source_ids``); the sources footer is built from that and from the sources of the table
rows the report shows (:meth:`alliancelib.core.show.Shows.footer_source_ids`), so it lists every
source the report relies on and nothing else.

A cached function that reads data must replay its reads on every hit, or a second analysis in the
same process would read nothing: decorate it with :func:`cached` (an ``lru_cache`` that remembers
what its call read), never with ``functools.lru_cache``.
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import functools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
T = TypeVar("T")

Read = tuple[str, str, tuple[str, ...]]  # (table, key, source ids)


@dataclass
class Reads:
    """The rows read during one recording: ``(table, key, source ids)`` in first-read order."""

    rows: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)

    def add(self, table: str, key: str, source_ids: tuple[str, ...]) -> None:
        """Note one row read (a row read twice is noted once)."""
        self.rows.setdefault((table, key), source_ids)

    def source_ids(self) -> list[str]:
        """The sources cited by the rows read, sorted, each once.

        >>> r = Reads(); r.add("facts", "a", ("s2", "s1")); r.add("events", "b", ("s1",))
        >>> r.source_ids()
        ['s1', 's2']
        """
        return sorted({s for ids in self.rows.values() for s in ids})

    def keys(self, table: str) -> list[str]:
        """The keys of the rows read from ``table``, in first-read order."""
        return [k for (t, k) in self.rows if t == table]


_OPEN: contextvars.ContextVar[tuple[Reads, ...]] = contextvars.ContextVar("alliance_reads", default=())


def split_ids(cell: Any) -> tuple[str, ...]:
    """The source ids in a cell: one id, or several separated by ``;`` (empty for a missing cell).

    >>> split_ids("a; b ;"), split_ids(None), split_ids(float("nan"))
    (('a', 'b'), (), ())
    """
    if cell is None or (isinstance(cell, float) and cell != cell):
        return ()
    return tuple(s.strip() for s in str(cell).split(";") if s.strip())


def is_recording() -> bool:
    """Whether a recording is open here (then a read would be noted).

    >>> is_recording()
    False
    >>> with recording():
    ...     is_recording()
    True
    """
    return bool(_OPEN.get())


def record(table: str, key: Any, source_ids: Any) -> None:
    """Note that a row of ``table`` (its key) was read, with the source id(s) it cites, in every
    open recording; nothing when none is open."""
    open_ = _OPEN.get()
    if not open_:
        return
    ids = source_ids if isinstance(source_ids, tuple) else split_ids(source_ids)
    for r in open_:
        r.add(table, str(key), ids)


def cite(*source_ids: str) -> None:
    """Note sources a report's text relies on directly, with no data row read for them (the seed
    article a sentence quotes, the exchange-rate series a chart names): recorded as rows of
    ``sources`` (as :func:`record`)."""
    for sid in source_ids:
        record("sources", sid, (sid,))


def record_all(reads: Iterable[Read]) -> None:
    """Note several rows read (as :func:`record`)."""
    for table, key, ids in reads:
        record(table, key, ids)


@contextlib.contextmanager
def recording() -> Iterator[Reads]:
    """Record the rows read inside the ``with`` (see the module's docstring)."""
    r = Reads()
    token = _OPEN.set((*_OPEN.get(), r))
    try:
        yield r
    finally:
        _OPEN.reset(token)


def cached(maxsize: int | None = 128) -> Callable[[Callable[P, T]], Callable[P, T]]:
    """``functools.lru_cache(maxsize)`` that also remembers the rows its call read and records them
    again on every hit, so a cached input counts for every analysis that uses it.

    >>> @cached(maxsize=4)
    ... def price(day: str) -> float:
    ...     record("share_prices", day, "src_a")
    ...     return 40.0
    >>> with recording() as first:
    ...     _ = price("2025-03-31")
    >>> with recording() as second:  # a hit: the read is recorded again
    ...     _ = price("2025-03-31")
    >>> first.source_ids(), second.source_ids()
    (['src_a'], ['src_a'])
    """

    def decorate(fn: Callable[P, T]) -> Callable[P, T]:
        @functools.lru_cache(maxsize=maxsize)
        def with_reads(*args: Any, **kwargs: Any) -> tuple[T, tuple[Read, ...]]:
            with recording() as r:
                value = fn(*args, **kwargs)
            return value, tuple((t, k, ids) for (t, k), ids in r.rows.items())

        @functools.wraps(fn)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
            value, reads = with_reads(*args, **kwargs)  # type: ignore[arg-type]
            record_all(reads)
            return value

        wrapper.cache_clear = with_reads.cache_clear  # type: ignore[attr-defined]
        wrapper.cache_info = with_reads.cache_info  # type: ignore[attr-defined]
        return wrapper

    return decorate


def recorded(analyse: Callable[P, T]) -> Callable[P, T]:
    """Wrap a topic's ``analyse``: run it in a recording and return its analysis with what it read
    (``read_source_ids``, sorted; see :meth:`alliancelib.core.show.Shows.footer_source_ids`)."""

    @functools.wraps(analyse)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        with recording() as r:  # a recording around this one sees the same reads
            a = analyse(*args, **kwargs)
        return dataclasses.replace(a, read_source_ids=r.source_ids())  # type: ignore[type-var]

    wrapper.records_reads = True  # type: ignore[attr-defined]
    return wrapper


__all__ = ["Reads", "cached", "cite", "record", "record_all", "recorded", "recording", "split_ids"]
