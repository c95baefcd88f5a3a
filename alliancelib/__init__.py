"""Sourced data, pure functions and a build for the alliance research notebooks.

Importing the package is cheap: pandas, matplotlib and papermill are imported only by the
modules that need them (``alliancelib.data``, ``alliancelib.charts``, ``alliancelib.build``).
"""

from alliancelib.errors import DataError, ParameterError

__all__ = ["DataError", "ParameterError", "__version__"]
__version__ = "0.1.0"
