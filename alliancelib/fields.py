"""The column dictionary: every column a table in ``data/`` holds or a report shows, defined once.

Each :class:`Field` carries what a reader sees (``title``, ``unit``, ``decimals``) and what the
data package needs (``description``, ``type``, ``constraints``). ``data/datapackage.json`` and the
column tables of ``data/README.md`` are generated from these definitions
(:mod:`alliancelib.schema`), and every table a report shows takes its headers from here
(:func:`header`), so a reader never sees a column's code name.

This module is the one place where a column's reader-facing words live. A topic module that shows
a computed column adds it to :data:`FIELDS` (in its section below), never a title of its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Field:
    """One column: reader words (title, unit, decimals) and schema (description, type, ...).

    ``decimals`` is how many decimals a reader sees (None: as stored; text columns ignore it).
    ``type`` is a Frictionless type (string, number, integer, date, boolean).
    """

    name: str
    title: str
    description: str = ""
    unit: str = ""
    type: str = "string"
    decimals: int | None = None
    constraints: Mapping[str, Any] = field(default_factory=dict)


FIELDS: dict[str, Field] = {}


def define(*fields: Field) -> None:
    """Add fields to the dictionary; a name defined twice is a programming error."""
    for f in fields:
        if f.name in FIELDS:
            raise ValueError(f"field {f.name!r} is defined twice in alliancelib.fields")
        FIELDS[f.name] = f


def get(name: str) -> Field:
    """The field named ``name``; KeyError naming the fix if it is not in the dictionary."""
    try:
        return FIELDS[name]
    except KeyError:
        raise KeyError(
            f"column {name!r} has no entry in alliancelib.fields: add a Field with its title "
            "and unit so readers see words, not code"
        ) from None


def header(name: str) -> str:
    """The header a reader sees: the title, and the unit in brackets if there is one.

    >>> header("economic_pct")
    'Capital (%)'
    """
    f = get(name)
    return f"{f.title} ({f.unit})" if f.unit else f.title


def title(name: str) -> str:
    """The column's title without its unit."""
    return get(name).title


# --------------------------------------------------------------------------- shared columns
# (filled in by the data work; see alliancelib.schema for how tables use them)

define(
    Field("economic_pct", "Capital", "Share of the company's capital (economic rights)", unit="%",
          type="number", decimals=2, constraints={"minimum": 0, "maximum": 100}),
)
