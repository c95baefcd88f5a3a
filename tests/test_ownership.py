"""Ownership functions on small hand-checked cases, and their laws as properties."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from helpers import assert_refused
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from alliancelib import data, ownership


def frame(rows: list[tuple]) -> pd.DataFrame:
    cols = ["as_of", "holder", "company", "holding", "economic_pct", "voting_theoretical_pct",
            "voting_exercisable_pct", "basis", "source_id", "note"]
    return pd.DataFrame([r + ("reported", "s", "") for r in rows], columns=cols)


# A two-company toy: A holds 40% of B; B holds 15% of A (columns: A, B)
TOY = np.array([[0.0, 0.4], [0.15, 0.0]])


def test_integrated_two_companies_by_hand() -> None:
    # 1 / (1 - 0.4 x 0.15) = 1 / 0.94
    d = 1 / 0.94
    expected = np.array([[0.06 * d, 0.4 * d], [0.15 * d, 0.06 * d]])
    assert np.allclose(ownership.integrated(TOY), expected)


def test_look_through_by_hand() -> None:
    d = 1 / 0.94
    # o = (1 - 0.15, 1 - 0.4) = (0.85, 0.6); L = d * [[1, 0.4], [0.15, 1]]
    expected = np.array([[0.85 * d, 0.85 * 0.4 * d], [0.6 * 0.15 * d, 0.6 * d]])
    assert np.allclose(ownership.look_through(TOY), expected)


def test_a_chain_of_three() -> None:
    # A holds 50% of B, B holds 30% of C, no cross-holding: A's holders own 15% of C
    w = np.array([[0, 0.5, 0], [0, 0, 0.3], [0, 0, 0]])
    u = ownership.look_through(w)
    assert u[0, 2] == pytest.approx(0.15) and u[1, 2] == pytest.approx(0.15)
    assert u[2, 2] == pytest.approx(0.7)
    assert ownership.integrated(w)[0, 2] == pytest.approx(0.15)


def test_bad_matrices_are_refused() -> None:
    with pytest.raises(ValueError, match="columns summing to at most 1"):
        ownership.integrated(np.array([[0, 0.7, 0], [0, 0, 0], [0, 0.6, 0]]))  # column sums 1.3
    with pytest.raises(ValueError, match="square"):
        ownership.look_through(np.zeros((2, 3)))


def test_snapshot_takes_the_latest_row_per_holding() -> None:
    sh = frame([("2020", "R", "N", "direct", 40.0, None, None),
                ("2023-11-08", "R", "N", "direct", 15.0, None, 15.0),
                ("2023-11-08", "R", "N", "trust", 28.4, None, 0.0),
                ("2024-10-03", "R", "N", "trust", 18.0, None, 0.0)])
    s = ownership.snapshot(sh, "2024-01-01")
    assert ownership.stake(s, "R", "N") == pytest.approx(43.4)
    assert ownership.stake(s, "R", "N", "voting") == 15.0
    assert ownership.stake(ownership.snapshot(sh, "2025-01-01"), "R", "N") == pytest.approx(33.0)
    assert ownership.stake(ownership.snapshot(sh, "2021-06-30"), "R", "N", "voting") is None
    with pytest.raises(ValueError, match="before the first snapshot"):
        ownership.snapshot(sh, "2019-12-31")


def test_the_real_data_at_2025_03_31() -> None:
    s = ownership.snapshot(data.load("shareholdings"), "2025-03-31")
    assert ownership.stake(s, "Renault", "Nissan") == pytest.approx(35.71)
    assert ownership.stake(s, "Renault", "Nissan", "voting") == 15
    assert ownership.stake(s, "Nissan", "Renault") == 15
    summary = ownership.control_summary(s).set_index(["holder", "company"])
    assert summary.at[("Renault", "Nissan"), "power"] == "minority"
    assert summary.at[("Nissan", "Mitsubishi Motors"), "voting_basis"].startswith("capital")


def test_history_keeps_only_changes() -> None:
    h = ownership.history(data.load("shareholdings"), "Renault", "Nissan")
    assert h["economic_pct"].round(2).tolist() == [36.8, 44.4, 43.4, 43.4, 40.42, 38.92, 35.71]
    assert str(ownership.first_at_or_below(h, 100 / 3).date()) == "2023-11-08"


def test_sale_and_lockup_limits() -> None:
    s = ownership.snapshot(data.load("shareholdings"), "2025-03-31")
    after, sale = ownership.apply_sale(s, "Nissan", "Renault", 5, "buyback")
    assert sale.after_pct == pytest.approx(10 / 0.95)
    state = ownership.stake(after, "French state", "Renault")
    assert state == pytest.approx(15.01 / 0.95)
    assert ownership.max_points_above(15, 10, "buyback") == pytest.approx(5 / 0.9)
    assert ownership.max_points_above(9, 10, "third_party") == 0
    with pytest.raises(ValueError, match="buyer must be"):
        ownership.sale_effect(15, 1, "renault")


# ---------------------------------------------------------------------------- properties

def matrices(n: int = 3):  # columns summing to < 1, zero diagonal
    return arrays(np.float64, (n, n), elements=st.floats(0, 0.45)).map(
        lambda m: m * (1 - np.eye(n)))


@settings(max_examples=150, deadline=None)
@given(matrices())
def test_look_through_columns_sum_to_one(w: np.ndarray) -> None:
    assume((w.sum(axis=0) < 0.95).all())
    assert np.allclose(ownership.look_through(w).sum(axis=0), 1)


@settings(max_examples=150, deadline=None)
@given(matrices(4))
def test_integrated_at_least_direct(w: np.ndarray) -> None:
    assume((w.sum(axis=0) < 0.95).all())
    assert (ownership.integrated(w) >= w - 1e-12).all()


@given(st.floats(0, 100), st.sampled_from(["third_party", "buyback"]))
def test_zero_sale_changes_nothing(before: float, buyer: str) -> None:
    assert ownership.sale_effect(before, 0, buyer) == (before, 1.0)


@settings(max_examples=100, deadline=None)
@given(st.floats(0.01, 14.99))
def test_buyback_scales_every_other_holder(points: float) -> None:
    s = ownership.snapshot(data.load("shareholdings"), "2025-03-31")
    after, sale = ownership.apply_sale(s, "Nissan", "Renault", points, "buyback")
    for holder in ("French state",):
        assert ownership.stake(after, holder, "Renault") == pytest.approx(
            ownership.stake(s, holder, "Renault") / (1 - points / 100))
    assert sale.scale == pytest.approx(1 / (1 - points / 100))
    # holdings in other companies are untouched
    assert ownership.stake(after, "Renault", "Nissan") == ownership.stake(s, "Renault", "Nissan")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"nissan_sells_renault_pct": 6.0},
         "nissan_sells_renault_pct = 6.0 is not allowed: 0 to 5 points: Nissan holds 15% of Renault"),
        ({"nissan_sells_renault_pct": -1.0}, "nissan_sells_renault_pct = -1.0 is not allowed: a finite number >= 0"),
        ({"buyer": "nissan"}, "buyer = 'nissan' is not allowed: one of 'third_party', 'renault'"),
        ({"as_of": "1998-12-31"}, "as_of = '1998-12-31' is not allowed: a date on or after the first snapshot (1999-01-01)"),
        ({"as_of": "2020-01-01"}, "nissan_sells_renault_pct = 5.0 is not allowed: 0 at as_of 2020-01-01"),
        ({"renault_share_price_eur": 0}, "renault_share_price_eur = 0 is not allowed"),
        ({"lockup_threshold_pct": 101}, "lockup_threshold_pct = 101 is not allowed"),
    ],
)
def test_bad_parameters(change: dict, message: str) -> None:
    assert_refused(ownership, change, message)


def test_buyback_allows_a_little_more() -> None:
    from alliancelib.params import defaults

    p = ownership.validate_params(**{**defaults(ownership.OwnershipParams),
                                     "nissan_sells_renault_pct": 5.5, "buyer": "renault"})
    assert p.nissan_sells_renault_pct == 5.5
