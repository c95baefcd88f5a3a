"""The tables of notebook 00: the promises with their outcomes, the statements of fact with their
status, the conversions' gaps day by day, the dated events and the gaps in the sources. Their words (outcome
names, the promises' context, topic names, a conversion's evidence) are the template's.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pandas as pd

from alliancelib import fx
from alliancelib.core.prose import render
from alliancelib.results import format_quantity
from alliancelib.topics.claims.inputs import Base, framing_facts, key_event, rebalancing
from alliancelib.topics.claims.model import TOPIC, check_conversion, holds

UNREACHED_GAPS = (
    "ampere_exit_completion",
    "lockup_completion",
    "nissan_sale_of_renault",
    "twingo_deliveries",
    "ampere_merger_done",
    "rnaipl_price",
)


def topic_words(topic: str) -> str:
    """A topic's name as a reader reads it (the template's ``topic__<topic>``)."""
    return render(TOPIC, f"topic__{topic}")


def claims_with_status(b: Base, reference_rate: float, tolerance_pct: float) -> pd.DataFrame:
    """Every claim with its status: the conversions' computed at ``reference_rate``, the rest as sourced."""
    out = b.claims.copy()
    out["status"] = out["status"].astype("object")
    for i, row in out.iterrows():
        if row["check"] == "fx_eur_usd":
            out.at[i, "status"] = check_conversion(
                row["base_value"], row["value"], reference_rate, tolerance_pct
            ).status
    return out


def shown_quote(quote: str) -> str:
    """The article's words with its dollar sign written USD (a pair of dollar signs reads as maths in
    JupyterLab).

    >>> shown_quote("€600 million ($649 million)")
    '€600 million (USD 649 million)'
    """
    return re.sub(r"\$\s?", "USD ", quote)


def _given(value: Any) -> str | None:
    from alliancelib.topics.claims.model import _given as given

    return given(value)


def outcome_sentence(due: Any, done_on: Any, abandoned_on: Any, outcome: str, as_of: str) -> str:
    """What an outcome means, dated, in one clause (the template's ``outcome__<outcome>``).

    >>> outcome_sentence("2025", "2025-08-01", None, "on_time", "2026-03-12")
    'Done 2025-08-01, by the end of the due period (2025)'
    >>> outcome_sentence("2025-05", None, None, "overdue", "2026-03-12")
    'Due by the end of 2025-05; no source held shows it done (news to 2026-03-12)'
    """
    return render(
        TOPIC,
        f"outcome__{outcome}",
        due=_given(due),
        done=_given(done_on),
        gone=_given(abandoned_on),
        as_of=as_of,
    )


def plan_context(claim_id: str) -> str:
    """The context of a promise from the evidence (the template's ``plan_context__<claim_id>``; ''
    for a promise it has none for)."""
    from alliancelib.core.prose import blocks

    block = f"plan_context__{claim_id}"
    return render(TOPIC, block) if block in blocks(TOPIC) else ""


def plans_table(claims: pd.DataFrame, as_of: str) -> pd.DataFrame:
    """The promises with their outcome as of ``as_of``, what it means and its sources."""
    plans = claims[claims["kind"] == "plan"]
    rows = []
    for _, r in plans.iterrows():
        meaning = outcome_sentence(r["due"], r["done_on"], r["abandoned_on"], r["outcome"], as_of)
        context = plan_context(str(r["claim_id"]))
        rows.append(
            {
                "quote": shown_quote(r["quote"]),
                "claim_outcome": render(TOPIC, f"outcome_word__{r['outcome']}"),
                "claim_meaning": f"{meaning}. {context}".strip(),
                "claim_source_ids": "; ".join(
                    dict.fromkeys([s for s in (r["outcome_sources"] or r["status_sources"]).split("; ") if s])
                ),
            }
        )
    return pd.DataFrame(rows, columns=["quote", "claim_outcome", "claim_meaning", "claim_source_ids"])


def facts_table(claims: pd.DataFrame, fixing: fx.Fixing, tolerance_pct: float) -> pd.DataFrame:
    """The statements of fact with their status; a conversion's evidence is its computed check."""
    facts = claims[claims["kind"] == "fact"]
    evidence = []
    for _, r in facts.iterrows():
        if r["check"] == "fx_eur_usd":
            c = check_conversion(r["base_value"], r["value"], fixing.rate_per_eur, tolerance_pct)
            unit = str(r["unit"])
            evidence.append(
                render(
                    TOPIC,
                    "fx_evidence",
                    fixing_date=str(fixing.fixing_date),
                    rate=fixing.rate_per_eur,
                    at_ecb=format_quantity(c.reference_value, unit, 1 if unit.endswith(" m") else 0),
                    gap_pct=c.deviation_pct,
                    corroborated=c.status == "corroborated",
                    tolerance_pct=tolerance_pct,
                )
            )
        else:
            evidence.append(str(r["evidence"]))
    return pd.DataFrame(
        {
            "quote": [shown_quote(q) for q in facts["quote"]],
            "status": facts["status"].tolist(),
            "evidence": evidence,
            "claim_source_ids": facts["status_sources"].tolist(),
        }
    )


def days_table(gaps: pd.DataFrame, reference_date: str, tolerance_pct: float) -> pd.DataFrame:
    """The two conversions' gaps against each day's ECB fixing (:func:`.model.day_gaps`), the
    reference date marked, and whether both lie within ``tolerance_pct``."""
    return pd.DataFrame(
        {
            "fx_day": [render(TOPIC, "fx_day", day=d, reference=d == reference_date) for d in gaps["day"]],
            "fx_rate": gaps["rate"].to_numpy(dtype=float),
            "fx_twingo_gap_pct": gaps["twingo_gap_pct"].to_numpy(dtype=float),
            "fx_ampere_gap_pct": gaps["ampere_gap_pct"].to_numpy(dtype=float),
            "fx_match": [
                render(TOPIC, "fx_match", match=bool(holds(w, tolerance_pct))) for w in gaps["worst_gap_pct"]
            ],
        }
    )


def timeline(events: pd.DataFrame, start: str = "2023-01-01", end: str = "2026-12-31") -> pd.DataFrame:
    """Events between ``start`` and ``end`` sorted by date, with ``day`` (the first day of each
    partial date, for plotting), ``is_plan`` (a plan or an expected date, not shown to have
    happened) and ``label`` (the short label of the key events, empty for the others)."""
    from alliancelib.data import parse_partial_date

    out = events.copy()
    out["day"] = pd.to_datetime([parse_partial_date(d) for d in out["date"]])
    out = out[(out["day"] >= pd.Timestamp(start)) & (out["day"] <= pd.Timestamp(end))]
    out = out.sort_values(["day", "topic", "event"], kind="stable").reset_index(drop=True)
    out["is_plan"] = out["kind"] == "plan"
    named = {"f": framing_facts(), "r": rebalancing(events)}
    out["label"] = [key_label(str(k), named) for k in out["event_id"]]
    return out


def key_label(event_id: str, words: Mapping[str, Any]) -> str:
    """The short label of a key event ('' for the others; the template's ``key_event__<key>``)."""
    key = key_event(event_id)
    return render(TOPIC, f"key_event__{key}", **words) if key else ""


def events_table(tl: pd.DataFrame) -> pd.DataFrame:
    """The dated events of the timeline, their topics in words, with the kind of their source
    (reported or secondary)."""
    return pd.DataFrame(
        {
            "date": tl["date"],
            "topic": [topic_words(t) for t in tl["topic"]],
            "event": tl["event"],
            "kind": tl["kind"],
            "source_kind": tl["source_kind"],
            "source_id": tl["source_id"],
        }
    )


def gaps_table() -> pd.DataFrame:
    """Every gap in the stored sources, for all notebooks, by topic."""
    from alliancelib.data import load

    gaps = load("gaps")
    order = {"ownership": 0, "india": 1, "ev": 2, "ampere": 3}
    gaps = gaps.assign(o=gaps["topic"].map(order)).sort_values(["o", "gap_id"], kind="stable")
    return pd.DataFrame(
        {
            "topic": [topic_words(t) for t in gaps["topic"]],
            "what": gaps["what"],
            "status": gaps["status"],
            "note": gaps["note"].fillna(""),
        }
    ).reset_index(drop=True)


def in_clause(text: str) -> str:
    """A sentence's start inside a clause: ``The price ...`` -> ``the price ...``; names stay.

    >>> in_clause("The price Renault paid"), in_clause("Whether Ampere was")
    ('the price Renault paid', 'whether Ampere was')
    >>> in_clause("Nissan's Tokyo close")
    "Nissan's Tokyo close"
    """
    first = text.split(" ", 1)[0]
    if first in ("The", "Whether", "Completion", "A", "An"):
        return text[:1].lower() + text[1:]
    return text


def unreached_items() -> list[str]:
    """What the sources could not reach, each as a clause (gaps.csv, :data:`UNREACHED_GAPS`)."""
    from alliancelib.data import load

    gaps = load("gaps").set_index("gap_id")
    return [in_clause(str(gaps.at[g, "what"])) for g in UNREACHED_GAPS if g in gaps.index]
