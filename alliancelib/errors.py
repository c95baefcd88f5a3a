"""Every error a user can cause, under one base class.

:class:`AllianceError` is the base of the errors that bad input produces (a data file, a
parameter, a scenario file, a command-line option, an exchange-rate date, a build that cannot
run here). The ``alliance`` command catches exactly this base, prints its one-line message and
exits with status 2; anything else is a bug and keeps its traceback (exit status 1).
"""

from __future__ import annotations


class AllianceError(ValueError):
    """Base class: something the user can fix (the message says what and how)."""


class DataError(AllianceError):
    """A data file breaks its schema.

    The message names the file, the line (1 = the header), the column and the problem, as
    ``data/facts.csv:12: column 'value': 'abc' is not a number``.
    """

    def __init__(self, file: str, line: int | None, column: str | None, problem: str) -> None:
        self.file, self.line, self.column, self.problem = file, line, column, problem
        where = file if line is None else f"{file}:{line}"
        what = f"column '{column}': " if column else ""
        super().__init__(f"{where}: {what}{problem}")


class ParameterError(AllianceError):
    """A notebook parameter has a value that is not allowed.

    The message names the notebook, the parameter, the value and what is allowed, as
    ``03_ev_pricing: parameter twingo_price_eur = -1.0 is not allowed: must be > 0``.
    """

    def __init__(self, notebook: str, parameter: str, value: object, allowed: str) -> None:
        self.notebook, self.parameter, self.value, self.allowed = notebook, parameter, value, allowed
        super().__init__(
            f"{notebook}: parameter {parameter} = {value!r} is not allowed: {allowed}"
        )


class BuildError(AllianceError):
    """A build request that cannot run (bad scenario file, unknown name, no Chromium, the output
    folder locked by another build, no space left); nothing already built was changed."""


class FxLookupError(AllianceError):
    """No usable ECB fixing for the date asked; the message states the range held."""
