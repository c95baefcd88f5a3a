"""Notebook 02's sensitivity table: the change in fixed cost per vehicle (%) with each uncertain
input at the low and at the high end of its stated range, the others at their values (a tornado:
one input at a time). One headline call computes every end."""

from __future__ import annotations

import numpy as np
import pandas as pd

from alliancelib.topics.india.model import IndiaParams, headline

RESULT = "fixed_cost_per_vehicle_change_pct"
COLUMNS = ["name", "label", "low_text", "high_text", "change_low", "change_high", "swing"]


def end_text(p: IndiaParams, name: str, value: float) -> str:
    """One end of an input's range in a reader's words, with its unit (``15,000 vehicles a year``,
    ``1 model``, ``0%``)."""
    from alliancelib.core.words import format_quantity
    from alliancelib.params import unit_of

    return format_quantity(value, unit_of(IndiaParams, name), 0)


def tornado_table(p: IndiaParams, result: str = RESULT) -> pd.DataFrame:
    """A result (by default the change in fixed cost per vehicle, %) with each uncertain input at
    either end of its stated range, the others as in ``p`` (columns ``change_low``/``change_high``:
    the result there); inputs that do not move it (for fixed cost per vehicle: the target, and the
    capacity while the plant is not full) and inputs held outside their range are left out. Rows
    sorted by swing, largest first; ``attrs["centre"]`` is the result at ``p``.

    >>> t = tornado_table(IndiaParams())
    >>> t["name"].iloc[0], round(t.attrs["centre"], 1)
    ('added_fixed_cost_pct', -14.4)
    """
    from alliancelib.params import label_of
    from alliancelib.uncertainty import uncertain_inputs

    drawn = {name: pl for name, pl in uncertain_inputs(p).items() if pl.low is not None}
    names = list(drawn)
    centre = float(headline(p)[result])
    if not names:
        out = pd.DataFrame(columns=COLUMNS)
        out.attrs["centre"] = centre
        return out
    arrays = {name: np.full(2 * len(names), float(getattr(p, name))) for name in names}
    for i, name in enumerate(names):
        arrays[name][2 * i], arrays[name][2 * i + 1] = drawn[name].low, drawn[name].high  # type: ignore[assignment]
    change = np.asarray(headline(p, **arrays)[result], dtype=float)
    out = pd.DataFrame(
        [
            {
                "name": name,
                "label": label_of(IndiaParams, name),
                "low_text": end_text(p, name, float(drawn[name].low)),  # type: ignore[arg-type]
                "high_text": end_text(p, name, float(drawn[name].high)),  # type: ignore[arg-type]
                "change_low": float(change[2 * i]),
                "change_high": float(change[2 * i + 1]),
            }
            for i, name in enumerate(names)
        ]
    )
    out["swing"] = (out["change_high"] - out["change_low"]).abs()
    out = out[out["swing"] > 1e-9]
    out = out.sort_values(["swing", "label"], ascending=[False, True], kind="stable").reset_index(drop=True)
    out.attrs["centre"] = centre
    return out


def tornado_frame(t: pd.DataFrame) -> pd.DataFrame:
    """The tornado as the report shows it: the input, each end and the change there."""
    return pd.DataFrame(
        {
            "india_input": t["label"],
            "india_low_end": t["low_text"],
            "india_change_low_pct": t["change_low"],
            "india_high_end": t["high_text"],
            "india_change_high_pct": t["change_high"],
        }
    )
