"""Recorded results: headline numbers any tool can read from an executed ``.ipynb``.

Each result is a ``display_data`` output whose data holds :data:`RESULT_MIME` =
``{"name", "value", "unit"}`` plus readable ``text/plain`` and ``text/html`` forms. Reading them
needs only the JSON of the notebook (see :func:`read_results`), not this project.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

RESULT_MIME = "application/vnd.alliancelib.result+json"

Value = int | float | str | None


def _clean(value: Any) -> Value:
    """JSON-safe value; floats keep 12 significant digits so outputs are stable across runs.

    >>> _clean(21639 / 20000)
    1.08195
    >>> _clean(True)
    Traceback (most recent call last):
    ...
    TypeError: a result is a number, a string or None, not bool
    """
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        raise TypeError("a result is a number, a string or None, not bool")
    if hasattr(value, "item"):  # numpy scalars
        value = value.item()
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"a result must be finite, not {value}")
        return float(f"{value:.12g}")
    raise TypeError(f"a result is a number, a string or None, not {type(value).__name__}")


def format_value(value: Value, unit: str) -> str:
    """A readable form of a result: thousands separated, up to 6 significant decimals.

    >>> format_value(21630.0, "USD")
    '21,630 USD'
    >>> format_value(1.0819500000, "USD per EUR")
    '1.08195 USD per EUR'
    >>> format_value(None, "km/yr")
    'none'
    """
    if value is None:
        return "none"
    if isinstance(value, str):
        text = value
    elif isinstance(value, int) or float(value).is_integer():
        text = f"{int(value):,}"
    else:
        text = f"{value:,.6g}" if abs(value) < 1e6 else f"{value:,.0f}"
    return f"{text} {unit}".strip()


def result_bundle(name: str, value: Any, unit: str) -> dict[str, Any]:
    """The MIME bundle of one recorded result.

    >>> result_bundle("claims_total", 17, "claims")["text/plain"]
    'claims_total = 17 claims'
    """
    if not name.isidentifier():
        raise ValueError(f"result name {name!r} must be an identifier")
    clean = _clean(value)
    readable = format_value(clean, unit)
    return {
        RESULT_MIME: {"name": name, "value": clean, "unit": unit},
        "text/plain": f"{name} = {readable}",
        "text/html": (
            '<div class="alliance-result"><code>'
            f"{html.escape(name)}</code> = <strong>{html.escape(readable)}</strong></div>"
        ),
    }


def record(name: str, value: Any, unit: str) -> None:
    """Display one recorded result in the notebook (returns None: nothing echoes after it)."""
    from IPython.display import display

    display(result_bundle(name, value, unit), raw=True)


def read_results(notebook: str | Path | Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """Every recorded result of an executed notebook (a path or its parsed JSON), by name.

    Uses only the notebook's JSON: ``{"name": {"name", "value", "unit"}}``.
    A name recorded twice keeps its last value.
    """
    if isinstance(notebook, str | Path):
        notebook = json.loads(Path(notebook).read_text(encoding="utf-8"))
    out: dict[str, dict[str, Any]] = {}
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if RESULT_MIME in data:
                item = data[RESULT_MIME]
                out[item["name"]] = dict(item)
    return out
