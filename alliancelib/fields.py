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
    source_ids: bool = False  # the column holds ids of sources.csv rows (shown as publisher links)


FIELDS: dict[str, Field] = {}

# A partial ISO date (YYYY, YYYY-MM or YYYY-MM-DD), as precise as the source: a string with this pattern
# in the data package, which stock Frictionless tools understand; the loader also checks the calendar.
PARTIAL_DATE_PATTERN = r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?"
PARTIAL_DATE = " (YYYY, YYYY-MM or YYYY-MM-DD, as precise as the source)"


def partial_date(name: str, title: str, description: str, **kw: Any) -> Field:
    """A partial-date column: a string constrained by :data:`PARTIAL_DATE_PATTERN`."""
    constraints = {"pattern": PARTIAL_DATE_PATTERN, **kw.pop("constraints", {})}
    return Field(name, title, description + PARTIAL_DATE, constraints=constraints, **kw)


def is_partial_date(f: Field | Mapping[str, Any]) -> bool:
    """Whether a field (or a data package field descriptor) holds partial dates."""
    constraints = f.constraints if isinstance(f, Field) else f.get("constraints", {})
    return constraints.get("pattern") == PARTIAL_DATE_PATTERN


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


# --------------------------------------------------------------------------- data columns
# Shared by several tables; a table may narrow a column's description or constraints (alliancelib.schema).
REQ = {"required": True}
BASES = ["reported", "derived", "assumption"]

define(
    # provenance
    Field("source_id", "Source", "Source of the row (sources.source_id)", constraints=REQ, source_ids=True),
    Field(
        "source_ids",
        "Sources",
        "Sources of a row, separated by ';' (shown as publisher links)",
        source_ids=True,
    ),
    Field(
        "status_source_id",
        "Source of the status",
        "Source of the status (sources.source_id)",
        constraints=REQ,
        source_ids=True,
    ),
    Field(
        "basis",
        "Basis",
        "How the value was obtained: reported (the source states it), derived (computed "
        "from reported values; the formula is in note) or assumption",
        constraints={**REQ, "enum": BASES},
    ),
    Field("note", "Note", "Free text: caveats, conflicts, formulas of derived values"),
    Field(
        "source_kind",
        "Kind of source",
        "How the research grades the source of the value: reported = the figure stands in the cited source "
        "(a company, an official text or a news outlet, often a syndicated copy); secondary = an aggregator, "
        "data vendor, blog, summary or third-party copy that reproduces it",
        constraints={**REQ, "enum": ["reported", "secondary"]},
    ),
    Field("publisher", "Publisher", "Who published it (and through whom it was read)", constraints=REQ),
    Field(
        "title",
        "Title",
        "Title of the page or document; in [square brackets] where the source has no "
        "usable title and the words are our own description",
        constraints=REQ,
    ),
    Field(
        "url",
        "Address",
        "Address where the stored copy was read; empty where the research gives none",
        constraints={"pattern": r"https?://\S+"},
    ),
    partial_date("date_published", "Published", "Publication date", constraints=REQ),
    Field(
        "date_accessed",
        "Accessed",
        "Date the stored copy was read into this project (never before date_published)",
        type="date",
        constraints=REQ,
    ),
    partial_date("as_of", "As of", "Date the figure refers to", constraints=REQ),
    # shareholdings
    Field(
        "dated",
        "Dated",
        "from = the stake holds from as_of until the next row; at = the figure is known "
        "at as_of only (when it began or ended is not in the research)",
        constraints={**REQ, "enum": ["from", "at"]},
    ),
    Field("holder", "Holder", "Holder of the shares", constraints=REQ),
    Field("company", "Company", "Company whose shares are held or priced", constraints=REQ),
    Field(
        "holding",
        "Held",
        "How the shares are held: directly, or through the French trust (economic "
        "rights to Renault, neutral votes)",
        constraints={**REQ, "enum": ["direct", "trust"]},
    ),
    Field(
        "economic_pct",
        "Capital",
        "Share of the company's capital (economic rights)",
        unit="%",
        type="number",
        decimals=2,
        constraints={**REQ, "minimum": 0, "maximum": 100},
    ),
    Field(
        "voting_theoretical_pct",
        "Theoretical votes",
        "Share of theoretical voting rights (double voting rights counted), where reported",
        unit="%",
        type="number",
        decimals=2,
        constraints={"minimum": 0, "maximum": 100},
    ),
    Field(
        "voting_exercisable_pct",
        "Votes directed",
        "Share of exercisable votes the holder directs, after "
        "caps; 0 for the trust's neutral votes; empty where not found",
        unit="%",
        type="number",
        decimals=2,
        constraints={"minimum": 0, "maximum": 100},
    ),
    # facts
    Field(
        "fact_id",
        "Fact",
        "Stable identifier used by the notebooks",
        constraints={**REQ, "pattern": "[a-z0-9_]+"},
    ),
    Field("topic", "Topic", "Topic of the row", constraints=REQ),
    Field("description", "What", "What the figure is", constraints=REQ),
    Field("value", "Value", "The figure, in unit", type="number"),
    Field("unit", "Unit", "Unit of value"),
    # cars, prices, incentives
    Field("model", "Model", "Model name", constraints=REQ),
    Field("brand", "Brand", "Brand", constraints=REQ),
    Field("market", "Market", "Country code of the price (EU = announced for Europe)", constraints=REQ),
    Field("trim", "Trim", "Trim or version; empty where the source names none"),
    Field(
        "powertrain",
        "Powertrain",
        "bev = battery electric; petrol",
        constraints={**REQ, "enum": ["bev", "petrol"]},
    ),
    Field(
        "price_eur",
        "Price",
        "Price including VAT, before incentives",
        unit="EUR",
        type="number",
        decimals=0,
        constraints={**REQ, "minimum": 0},
    ),
    Field(
        "price_kind",
        "Kind of price",
        "list = list price; target = announced target; estimate = a "
        "journalist's estimate; promotion = a time-limited offer",
        constraints={**REQ, "enum": ["list", "target", "estimate", "promotion"]},
    ),
    Field(
        "battery_kwh",
        "Battery",
        "Battery capacity (usable where stated)",
        unit="kWh",
        type="number",
        decimals=1,
        constraints={"minimum": 0},
    ),
    Field("chemistry", "Chemistry", "Battery chemistry where stated", constraints={"enum": ["LFP", "NMC"]}),
    Field(
        "range_km", "Range", "WLTP range", unit="km", type="number", decimals=0, constraints={"minimum": 0}
    ),
    Field("country", "Country", "Country code", constraints=REQ),
    Field("scheme", "Scheme", "Scheme name", constraints=REQ),
    Field("tier", "Who gets it", "Which buyers get this amount, in the scheme's words", constraints=REQ),
    Field(
        "household",
        "Household",
        "The tier mapped to household income across schemes: low, middle, high, or all buyers",
        constraints={**REQ, "enum": ["low", "middle", "high", "all"]},
    ),
    Field(
        "amount",
        "Amount",
        "Amount (the maximum where the source says up to), in currency",
        type="number",
        decimals=0,
        constraints={**REQ, "minimum": 0},
    ),
    Field("currency", "Currency", "Currency of the amount or price", constraints=REQ),
    Field("conditions", "Conditions", "Eligibility conditions"),
    partial_date("valid_from", "From", "First day of validity; empty where not stated"),
    partial_date("valid_to", "To", "Last day of validity; empty where open-ended or not stated"),
    Field(
        "year", "Year", "Survey year", type="integer", constraints={**REQ, "minimum": 2010, "maximum": 2100}
    ),
    Field(
        "segment",
        "Segment",
        "all packs, EV, BEV, LFP or NMC packs, cells, or China's average",
        constraints={**REQ, "enum": ["all", "ev", "bev", "lfp", "nmc", "cell", "china"]},
    ),
    Field(
        "pack_usd_per_kwh",
        "Price per kWh",
        "Pack (or cell) price",
        unit="USD/kWh",
        type="number",
        decimals=0,
        constraints={**REQ, "minimum": 0},
    ),
    partial_date("date", "Date", "Date", constraints=REQ),
    Field("kind", "Kind", "Kind of row (each table lists its values)", constraints=REQ),
    Field("status", "Status", "Status (each table lists its values)", constraints=REQ),
    Field(
        "rate_per_eur",
        "Rate",
        "Units of the currency per euro",
        unit="per EUR",
        type="number",
        constraints={**REQ, "exclusiveMinimum": 0},
    ),
    Field(
        "price",
        "Price",
        "Share price in currency",
        type="number",
        decimals=2,
        constraints={**REQ, "exclusiveMinimum": 0},
    ),
    Field(
        "vat_pct",
        "Standard VAT",
        "Standard VAT rate",
        unit="%",
        type="number",
        decimals=0,
        constraints={**REQ, "minimum": 0, "maximum": 100},
    ),
    # India
    Field(
        "renault_pct",
        "Renault",
        "Renault's stake",
        unit="%",
        type="number",
        decimals=0,
        constraints={**REQ, "minimum": 0, "maximum": 100},
    ),
    Field(
        "nissan_pct",
        "Nissan",
        "Nissan's stake (renault_pct + nissan_pct = 100)",
        unit="%",
        type="number",
        decimals=0,
        constraints={**REQ, "minimum": 0, "maximum": 100},
    ),
    Field("event", "Event", "What happened", constraints=REQ),
    Field(
        "event_id",
        "Event key",
        "Stable identifier the notebooks look an event up by (its wording may be corrected freely)",
        constraints={**REQ, "pattern": "[a-z0-9_]+"},
    ),
    partial_date("launch", "Launch", "Launch or unveiling date; empty where not stated"),
    Field("replaces", "Replaces", "The model a new model replaces; empty where it adds a model"),
    # Ampere
    Field("investor", "Investor", "Investor", constraints=REQ),
    Field(
        "commitment_eur_m",
        "Commitment",
        "Amount committed (up to); empty where the commitment was a stake",
        unit="EUR m",
        type="number",
        decimals=0,
        constraints={"minimum": 0},
    ),
    Field(
        "stake_cap_pct",
        "Stake cap",
        "Stake cap (up to)",
        unit="%",
        type="number",
        decimals=0,
        constraints={"minimum": 0, "maximum": 100},
    ),
    partial_date("committed_on", "Committed", "Date of the commitment", constraints=REQ),
    partial_date("ended_on", "Ended", "Date it ended"),
    # claims
    Field("claim_id", "Claim", "Stable identifier", constraints={**REQ, "pattern": "[a-z0-9_]+"}),
    Field("quote", "The article says", "The article's words", constraints=REQ),
    partial_date("claim_date", "About", "Date the claim is about", constraints=REQ),
    Field(
        "check",
        "Check",
        "Computed check: fx_eur_usd = the article's conversion against the ECB rate; "
        "empty = status set from sources",
        constraints={"enum": ["fx_eur_usd"]},
    ),
    Field(
        "base_value",
        "Converted amount",
        "For a conversion: the amount converted, in base_unit",
        type="number",
    ),
    Field("base_unit", "Unit converted", "Unit of base_value"),
    Field("evidence", "Evidence", "What the sources say", constraints=REQ),
    partial_date(
        "due", "Due", "For a plan: when the article said it would happen; empty where it gave no date"
    ),
    partial_date("done_on", "Done", "For a plan: when a source shows it happened; empty where not found"),
    partial_date("abandoned_on", "Abandoned", "For a plan: when a source says it will not happen"),
    Field(
        "role",
        "Role",
        "status = the source behind the claim's status; outcome = behind a plan's outcome",
        constraints={**REQ, "enum": ["status", "outcome"]},
    ),
    # gaps
    Field("gap_id", "Gap", "Stable identifier", constraints={**REQ, "pattern": "[a-z0-9_]+"}),
    Field("what", "What is missing", "What the stored sources could not establish", constraints=REQ),
)


# the reports' table columns, defined into FIELDS on import
from alliancelib import fields_reports  # noqa: E402, F401
