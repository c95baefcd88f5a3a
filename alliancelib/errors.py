"""The two errors a user meets: bad data and bad parameters."""

from __future__ import annotations


class DataError(ValueError):
    """A data file breaks its schema.

    The message names the file, the line (1 = the header), the column and the problem, as
    ``data/facts.csv:12: column 'value': 'abc' is not a number``.
    """

    def __init__(self, file: str, line: int | None, column: str | None, problem: str) -> None:
        self.file, self.line, self.column, self.problem = file, line, column, problem
        where = file if line is None else f"{file}:{line}"
        what = f"column '{column}': " if column else ""
        super().__init__(f"{where}: {what}{problem}")


class ParameterError(ValueError):
    """A notebook parameter has a value that is not allowed.

    The message names the notebook, the parameter, the value and what is allowed, as
    ``03_ev_pricing: parameter twingo_price_eur = -1.0 is not allowed: must be > 0``.
    """

    def __init__(self, notebook: str, parameter: str, value: object, allowed: str) -> None:
        self.notebook, self.parameter, self.value, self.allowed = notebook, parameter, value, allowed
        super().__init__(
            f"{notebook}: parameter {parameter} = {value!r} is not allowed: {allowed}"
        )
