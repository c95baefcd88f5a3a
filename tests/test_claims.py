"""Claims: the conversion check and the status counts."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from alliancelib import claims, data, fx


def test_the_articles_conversions_at_the_brief_rate() -> None:
    twingo = claims.check_conversion(20000, 21639, 1.0815, 0.1)
    ampere = claims.check_conversion(600, 649, 1.0815, 0.1)
    assert round(twingo.reference_value) == 21630  # research brief: $21,630
    assert round(ampere.reference_value, 1) == 648.9  # research brief: $648.9m
    assert twingo.status == ampere.status == "corroborated"


@given(base=st.floats(1, 1e9), rate=st.floats(0.5, 2.0), tol=st.floats(0, 5),
       gap_pct=st.floats(-10, 10))
def test_status_follows_the_tolerance(base: float, rate: float, tol: float,
                                      gap_pct: float) -> None:
    quoted = base * rate * (1 + gap_pct / 100)
    c = claims.check_conversion(base, quoted, rate, tol)
    assert c.deviation_pct == pytest.approx(gap_pct, abs=1e-6)
    if abs(gap_pct) < tol - 1e-6:
        assert c.status == "corroborated"
    elif abs(gap_pct) > tol + 1e-6:
        assert c.status == "contradicted"


def test_assess_fills_only_the_computed_statuses() -> None:
    table = data.load("claims")
    out = claims.assess_claims(table, fx.ecb_rate("USD", "2025-03-31"), 0.01)
    computed = out[out["check"].notna()]
    assert set(computed["status"]) == {"contradicted"}
    sourced = out[out["check"].isna()].set_index("claim_id")["status"]
    assert sourced.equals(table[table["check"].isna()].set_index("claim_id")["status"])
    counts = claims.status_counts(out)
    assert counts["total"] == len(table) == sum(counts[s] for s in claims.STATUSES)


def test_status_counts_include_zeros() -> None:
    assert claims.status_counts(pd.DataFrame({"status": []}))["slipped"] == 0


def test_timeline_is_numbered_and_sorted() -> None:
    tl = claims.timeline(data.load("events"))
    assert list(tl["n"]) == list(range(1, len(tl) + 1))
    assert tl["day"].is_monotonic_increasing
