"""Sourced data, pure functions and a build for the alliance research notebooks.

Importing the package is cheap: pandas, matplotlib, papermill and ipywidgets are imported only by the
modules that need them (``alliancelib.data``, ``alliancelib.charts``, ``alliancelib.build``,
``alliancelib.explorer``).

``__version__`` is the project's one version number: ``pyproject.toml`` reads it from here.
"""

from typing import Any

from alliancelib.errors import DataError, ParameterError

__all__ = ["DataError", "ParameterError", "__version__", "explore"]
__version__ = "0.2.0"


def explore(notebook: str, **values: Any) -> Any:
    """What-ifs in JupyterLab: the widget of ``notebook`` (e.g. ``"03_ev_pricing"``) with one control per
    parameter, its key findings and its main chart redrawn at every change; show it as a cell's last
    line. ``values`` sets the controls' first values (the defaults otherwise). See
    :mod:`alliancelib.explorer`."""
    from alliancelib.explorer import explore as _explore

    return _explore(notebook, **values)
