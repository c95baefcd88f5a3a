"""ECB lookup rules of the brief."""

from __future__ import annotations

import datetime as dt

import pytest
from helpers import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from alliancelib import fx


def test_exact_fixing() -> None:
    f = fx.ecb_rate("USD", "2025-03-31")
    assert (f.fixing_date, f.rate_per_eur, f.source) == (dt.date(2025, 3, 31), 1.0815, "ECB")
    assert fx.ecb_rate("JPY", "2025-03-31").rate_per_eur == 161.60


def test_weekend_uses_the_latest_fixing_before() -> None:
    f = fx.ecb_rate("USD", dt.date(2025, 3, 29))  # Saturday
    assert f.fixing_date == dt.date(2025, 3, 28) and f.rate_per_eur == 1.0797
    assert "used for 2025-03-29" in f.describe()


def test_before_the_data_is_an_error_that_states_the_range() -> None:
    with pytest.raises(fx.FxLookupError, match="ECB USD fixings held: 2023-02-01 to 2026-08-21"):
        fx.ecb_rate("USD", "2023-01-31")


def test_after_the_data_within_and_beyond_seven_days() -> None:
    assert fx.ecb_rate("USD", "2026-08-28").fixing_date == dt.date(2026, 8, 21)
    with pytest.raises(fx.FxLookupError, match="outside the data"):
        fx.ecb_rate("USD", "2026-08-29")


def test_unknown_currency_and_bad_date() -> None:
    with pytest.raises(fx.FxLookupError, match="currencies held: GBP, INR, JPY, USD"):
        fx.ecb_rate("CHF", "2025-03-31")
    with pytest.raises(fx.FxLookupError, match="YYYY-MM-DD"):
        fx.ecb_rate("USD", "31/03/2025")


def test_explicit_rate_overrides() -> None:
    f = fx.rate_or_override("USD", "2025-03-31", 1.2)
    assert (f.rate_per_eur, f.source) == (1.2, "parameter")
    assert "set by parameter" in f.describe()


@settings(max_examples=examples(60), deadline=None)
@given(st.dates(min_value=dt.date(2023, 2, 1), max_value=dt.date(2026, 8, 28)))
def test_any_date_in_range_gets_a_recent_fixing(day: dt.date) -> None:
    f = fx.ecb_rate("USD", day)
    assert 0 <= (day - f.fixing_date).days <= fx.MAX_STALENESS_DAYS
