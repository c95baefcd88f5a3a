"""The tables of notebook 04 in a reader's words (columns of ``alliancelib.fields``, section 04
ampere): the commitments and how each ended, the timeline, Ampere in figures, the commitment in yen
day by day and the plausible ranges. The words a table adds (how a commitment ended) are the
template's."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pandas as pd

from alliancelib.core.prose import render
from alliancelib.core.words import eur_bn, format_quantity, money
from alliancelib.topics.ampere.model import TOPIC, AmpereParams, amount_in_jpy_bn

QUALIFIER = re.compile(r"\s*\((more than|at least|about|below|less than)\)\s*$")


def commitments_table(commitments: pd.DataFrame, ctx: Mapping[str, Any]) -> pd.DataFrame:
    """The commitments in a reader's words: what was committed and how each ended (the words of
    the template's blocks ``commitment_money``, ``commitment_stake`` and ``outcome__<status>``)."""
    rows = []
    for _, r in commitments.sort_values("committed_on").iterrows():
        if pd.notna(r["commitment_eur_m"]):
            what = render(TOPIC, "commitment_money", **ctx, amount_eur_m=float(r["commitment_eur_m"]))
        else:
            what = render(TOPIC, "commitment_stake", **ctx, stake_pct=float(r["stake_cap_pct"]))
        rows.append(
            {
                "investor": r["investor"],
                "committed_on": r["committed_on"],
                "ampere_commitment": what,
                "ampere_outcome": render(TOPIC, f"outcome__{r['status']}", **ctx),
                "ended_on": r["ended_on"],
                "source_id": r["source_id"],
                "status_source_id": r["status_source_id"],
            }
        )
    return pd.DataFrame(rows)


def figure_text(row: Mapping[str, Any]) -> tuple[str, str]:
    """A fact row as (description without its qualifier, figure with qualifier and unit).

    >>> figure_text({"description": "Ampere revenue target 2025 (more than)", "value": 10.0, "unit": "EUR bn",
    ...              "note": ""})
    ('Ampere revenue target 2025', 'more than EUR 10bn')
    >>> figure_text({"description": "Ampere staff", "value": 11000.0, "unit": "people",
    ...              "note": "About 11000"})
    ('Ampere staff', 'about 11,000 people')
    >>> figure_text({"description": "Breakeven year", "value": 2025.0, "unit": "year", "note": ""})
    ('Breakeven year', '2025')
    """
    description = str(row["description"])
    m = QUALIFIER.search(description)
    qualifier = m.group(1) if m else ""
    description = QUALIFIER.sub("", description)
    note = str(row.get("note") or "")
    if not qualifier and note.lower().startswith("about"):
        qualifier = "about"
    value, unit = float(row["value"]), str(row["unit"])
    if unit == "year":
        shown = str(int(value))
    elif unit.startswith("EUR"):
        shown = eur_bn(value) if unit == "EUR bn" else money(value, unit, 0 if value.is_integer() else 1)
    else:
        shown = format_quantity(value, unit, 0 if value.is_integer() else 1)
    return description, f"{qualifier} {shown}".strip()


def facts_table(facts: pd.DataFrame) -> pd.DataFrame:
    """Ampere's targets, staff, breakeven year and the CEO's remark: description and figure
    (qualifier included), date and source; conflicts said in the note."""
    rows = []
    for _, r in facts[facts["topic"] == "ampere"].iterrows():
        what, shown = figure_text({str(k): v for k, v in r.items()})
        note = str(r["note"] or "")
        keep = "CONFLICT" in note or "remark" in note or "US dollars" in note
        note = note.replace("CONFLICTS", "conflicts") if keep else ""
        rows.append(
            {
                "description": what,
                "ampere_figure": shown,
                "as_of": r["as_of"],
                "note": note[:1].upper() + note[1:],
                "source_id": r["source_id"],
            }
        )
    return pd.DataFrame(rows)


def timeline(events: pd.DataFrame) -> pd.DataFrame:
    """Ampere's events, oldest first: date, event and source."""
    from alliancelib.data import parse_partial_date

    sub = events[events["topic"] == "ampere"].copy()
    sub["day"] = [parse_partial_date(d) for d in sub["date"]]
    out = sub.sort_values(["day", "event"], kind="stable")[["date", "event", "source_id"]]
    return out.reset_index(drop=True)


def yen_series(amount_eur_m: float) -> pd.DataFrame:
    """``amount_eur_m`` in JPY bn at every ECB yen fixing held."""
    from alliancelib.data import load

    rates = load("fx_rates")
    jpy = rates[rates["currency"] == "JPY"].sort_values("date")
    return pd.DataFrame(
        {
            "date": jpy["date"].to_numpy(),
            "jpy_bn": amount_in_jpy_bn(amount_eur_m, jpy["rate_per_eur"].to_numpy()),
        }
    )


def ranges_table(p: AmpereParams) -> pd.DataFrame:
    """The uncertainty module's table of plausible ranges, valuations written as EUR bn."""
    from alliancelib import uncertainty
    from alliancelib.params import label_of, plausible_of

    out = uncertainty.ranges_table(p)
    pl = plausible_of(AmpereParams, "pre_money_eur_bn")
    row = out["input"] == label_of(AmpereParams, "pre_money_eur_bn")
    if pl is not None and pl.low is not None and pl.high is not None and row.any():
        for column, value in (
            ("default_value", p.pre_money_eur_bn),
            ("low_value", pl.low),
            ("high_value", pl.high),
        ):
            out[column] = out[column].where(~row, eur_bn(float(value)))
    return out
