"""Every error a user can cause, under one base class.

:class:`AllianceError` is the base of the errors that bad input produces (a data file, a
parameter, a scenario file, a command-line option, an exchange-rate date, a build that cannot
run here). The ``alliance`` command catches exactly this base, prints its one-line message (a
:class:`DataError`: one line per problem, then their count) and exits with status 2; anything else
is a bug and keeps its traceback (exit status 1).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class AllianceError(ValueError):
    """Base class: something the user can fix (the message says what and how)."""


@dataclass(frozen=True)
class DataProblem:
    """One problem in a data file, where an editor can jump to it.

    ``line`` is the file's line (1 = the header), ``column_number`` the CSV column (1 = the first),
    ``column`` its name (or the names of a key joined by ``+``); any of the three is None where the
    problem has no such place (a missing file has no line). ``kind`` names the check that found it
    (one of :data:`PROBLEM_KINDS`); ``warning`` marks a problem that does not stop
    a build. Written as ``data/facts.csv:12:4: column 'value': 'ten' is not a number``.
    """

    file: str
    line: int | None
    column_number: int | None
    column: str | None
    problem: str
    kind: str = ""
    warning: bool = False

    def where(self) -> str:
        """``file:line:column`` as far as they are known."""
        out = self.file
        if self.line is not None:
            out += f":{self.line}"
            if self.column_number is not None:
                out += f":{self.column_number}"
        return out

    def __str__(self) -> str:
        what = f"column '{self.column}': " if self.column else ""
        level = "warning: " if self.warning else ""
        return f"{self.where()}: {level}{what}{self.problem}"


class DataError(AllianceError):
    """The data breaks its schema: every problem found in one validation, in file then line order.

    ``problems`` holds at most :attr:`LIMIT` of them and ``more`` how many were left out. The
    message is one problem a line, then ``and N more problems`` when some were left out::

        data/facts.csv:12:4: column 'value': 'ten' is not a number
        data/facts.csv:14:6: column 'as_of': 2026-11-31: November has 30 days
    """

    LIMIT = 50

    def __init__(self, problems: Sequence[DataProblem], more: int = 0) -> None:
        if not problems:
            raise ValueError("a DataError needs at least one problem")
        self.problems: tuple[DataProblem, ...] = tuple(problems)
        self.more = more
        lines = [str(p) for p in self.problems]
        if more:
            lines.append(f"and {more} more problem{'s' if more > 1 else ''}")
        super().__init__("\n".join(lines))

    @classmethod
    def of(cls, problems: Sequence[DataProblem]) -> DataError:
        """The error for ``problems`` (in the order given), keeping the first :attr:`LIMIT`."""
        return cls(problems[: cls.LIMIT], max(0, len(problems) - cls.LIMIT))

    @property
    def count(self) -> int:
        """How many problems were found (shown and left out)."""
        return len(self.problems) + self.more


class ParameterError(AllianceError):
    """A notebook parameter has a value that is not allowed.

    The message names the notebook, the parameter, the value and what is allowed, as
    ``03_ev_pricing: parameter twingo_price_eur = -1.0 is not allowed: must be > 0``.
    """

    def __init__(self, notebook: str, parameter: str, value: object, allowed: str) -> None:
        self.notebook, self.parameter, self.value, self.allowed = notebook, parameter, value, allowed
        super().__init__(f"{notebook}: parameter {parameter} = {value!r} is not allowed: {allowed}")


class BuildError(AllianceError):
    """A build request that cannot run (bad scenario file, unknown name, no Chromium, the output
    folder locked by another build, no space left); nothing already built was changed."""


class FxLookupError(AllianceError):
    """No usable ECB fixing for the date asked; the message states the range held."""


# Every check the validation makes, by the ``kind`` its problems carry (tests/test_data.py injects a
# fault for each): what it refuses.
PROBLEM_KINDS: dict[str, str] = {
    "schema": "datapackage.json missing or not valid JSON",
    "missing file": "a file the schema lists is missing",
    "empty": "an empty file",
    "utf-16": "a file saved as UTF-16 ('Unicode text')",
    "encoding": "a file that is not UTF-8",
    "carriage return": "a carriage return without a line feed (old Mac line ends)",
    "csv": "a file that is not valid CSV (a quote never closed, text after a closing quote)",
    "semicolons": "values separated by semicolons",
    "missing column": "a column of the schema missing from the header",
    "unexpected column": "a header column the schema does not have",
    "duplicate column": "a header column written twice",
    "blank row": "a row of empty cells",
    "values count": "a row with more or fewer values than columns",
    "decimal comma": "a row split by an unquoted decimal comma",
    "spaces": "a value with spaces at its ends",
    "required": "a required value left empty",
    "number": "a value that is not a number",
    "integer": "a value that is not an integer",
    "date": "a value that is not a date of the form YYYY-MM-DD",
    "partial date": "a value that is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD",
    "calendar": "a date that is not on the calendar",
    "enum": "a value outside its list",
    "pattern": "a value that breaks its pattern",
    "minimum": "a value below its minimum",
    "maximum": "a value above its maximum",
    "exclusiveMinimum": "a value not above its lower bound",
    "duplicate key": "a primary key held by two rows",
    "foreign key": "an id that the table it points to does not hold",
    "date order": "two dates of a row out of order",
    "percent": "a facts.csv value in % outside 0-100",
    "split": "an RNAIPL split that does not add up to 100",
    "check or status": "a claim with both or neither of check and status",
    "plan dates": "a claim of kind fact with a plan's dates",
    "uncited source": "a source no row cites (a warning: the build goes on)",
}
