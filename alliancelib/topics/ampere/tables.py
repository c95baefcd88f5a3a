"""The tables of notebook 04 in a reader's words (columns of ``alliancelib.fields``, section 04
ampere): the commitments and how each ended, the timeline, Ampere in figures, and Nissan's stake by
Ampere's value (the sensitivity table). The words a table adds (how a commitment ended, how a stake
compares with the ceiling) are the template's."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pandas as pd

from alliancelib.core.prose import render
from alliancelib.core.words import eur_bn, format_quantity, money
from alliancelib.topics.ampere.model import STAKE_TABLE_PRE_MONEY, TOPIC, AmpereParams, compared, stake_table

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


def row_kinds(pre_eur_bn: float, ctx: Mapping[str, Any]) -> list[str]:
    """What a value of Ampere before the money stands for in the stakes table: the CEO's figures
    (``ceo_low``, ``ceo_mid``, ``ceo_high``), the break-even at half the ceiling (``half_cap``), the
    value set (``set``); none for a plain step of the table. Keys of the template's ``row__<key>``."""
    i = ctx["i"]
    marks = {
        "ceo_low": i.ceo_low_eur_bn,
        "ceo_mid": (i.ceo_low_eur_bn + i.ceo_high_eur_bn) / 2,
        "ceo_high": i.ceo_high_eur_bn,
        "half_cap": ctx["half_pre_eur_bn"],
        "set": ctx["pre_eur_bn"],
    }
    return [key for key, value in marks.items() if abs(float(value) - pre_eur_bn) < 1e-9]


def sensitivity_table(p: AmpereParams, ctx: Mapping[str, Any]) -> pd.DataFrame:
    """Nissan's stake (and the others') by Ampere's value before the money: the steps of
    :data:`STAKE_TABLE_PRE_MONEY` (down to EUR 4bn), the value set and the break-even at half the
    ceiling (where it is positive), each row with how Nissan's stake compares with its ceiling and
    what the value stands for."""
    values = set(STAKE_TABLE_PRE_MONEY) | {float(p.pre_money_eur_bn)}
    if ctx["half_pre_eur_bn"] > 0:
        values.add(round(float(ctx["half_pre_eur_bn"]), 9))
    out = stake_table(
        sorted(values), p.nissan_commitment_eur_m, p.mitsubishi_commitment_eur_m, p.nissan_stake_cap_pct
    )
    out.insert(
        3,
        "ampere_nissan_vs_ceiling",
        [
            render(TOPIC, f"vs_cap__{compared(float(s), p.nissan_stake_cap_pct)}", **ctx)
            for s in out["ampere_nissan_stake_pct"]
        ],
    )
    out["ampere_value_stands_for"] = [
        "; ".join(render(TOPIC, f"row__{key}", **ctx) for key in row_kinds(float(pre), ctx))
        for pre in out["ampere_pre_money_eur_bn"]
    ]
    return out
