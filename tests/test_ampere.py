"""Ampere (notebook 04): the stake arithmetic by hand, its laws as properties, the words and tables
the notebook shows, and its charts. The notebook's contract (papermill, recorded results, bad
values, fuzzing) is in test_contract_04.py."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from alliancelib import charts
from alliancelib.core import words
from alliancelib.params import defaults
from alliancelib.results import CODE_WORD
from alliancelib.topics import ampere
from alliancelib.topics.ampere import analysis, tables

DEFAULTS = defaults(ampere.AmpereParams)


@pytest.fixture(scope="module")
def a() -> ampere.Analysis:
    return ampere.analyse(ampere.validate_params(**DEFAULTS))


# --------------------------------------------------------------------------- by hand


def test_the_round_at_the_ceo_figures_by_hand() -> None:
    # pre-money EUR 10bn, Nissan EUR 600m, Mitsubishi Motors EUR 200m, ceiling 15%:
    # post = 10 + 0.6 + 0.2 = 10.8; Nissan 0.6 / 10.8 = 5.5556%; MMC 0.2 / 10.8 = 1.8519%; Renault 10 / 10.8
    r = ampere.round_stakes(10.0, 600, 200, 15)
    assert float(r["post_money_eur_bn"]) == pytest.approx(10.8)
    assert float(r["nissan_pct"]) == pytest.approx(5.555556, abs=1e-6)
    assert float(r["mitsubishi_pct"]) == pytest.approx(1.851852, abs=1e-6)
    assert float(r["renault_pct"]) == pytest.approx(92.592593, abs=1e-6)
    # pre-money EUR 8bn: post 8.8; Nissan 600 / 8,800 = 6.8182%
    assert float(ampere.round_stakes(8.0, 600, 200, 15)["nissan_pct"]) == pytest.approx(6.818182, abs=1e-6)


def test_the_ceiling_binds_only_below_the_threshold_by_hand() -> None:
    # threshold: 600 / 15% = EUR 4.0bn after the money, i.e. EUR 3.2bn before it with MMC's 200m
    assert ampere.valuation_for_stake_eur_bn(600, 15) == pytest.approx(4.0)
    # at EUR 3.2bn before: 600 / (3,200 + 600 + 200) = 15% exactly: money and ceiling agree
    assert float(ampere.round_stakes(3.2, 600, 200, 15)["nissan_pct"]) == pytest.approx(15.0)
    # at EUR 2bn before: 600m would buy 600 / 2,800 = 21.4%; Nissan puts in 0.15 / 0.85 x 2,200 = 388.24m
    r = ampere.round_stakes(2.0, 600, 200, 15)
    assert float(r["nissan_invested_eur_m"]) == pytest.approx(0.15 / 0.85 * 2200)
    assert float(r["nissan_pct"]) == pytest.approx(15.0)
    assert float(r["post_money_eur_bn"]) == pytest.approx(2.0 + 0.2 + 0.15 / 0.85 * 2.2)


def test_a_ceiling_of_100_never_binds_and_no_money_buys_nothing() -> None:
    assert ampere.capped_investment_eur_m(600, 0.1, 0, 100) == 600
    assert float(ampere.round_stakes(5.0, 0, 0, 15)["nissan_pct"]) == 0
    assert float(ampere.round_stakes(5.0, 0, 0, 15)["renault_pct"]) == pytest.approx(100)


def test_yen_by_hand() -> None:
    # EUR 600m at 161.60 yen per euro (ECB, 2025-03-31) = JPY 96.96bn; at 185.66 (2026-08-21) = JPY 111.396bn
    assert ampere.amount_in_jpy_bn(600, 161.60) == pytest.approx(96.96)
    assert ampere.amount_in_jpy_bn(600, 185.66) == pytest.approx(111.396)


def test_headline_at_the_defaults(a: ampere.Analysis) -> None:
    v = a.values
    assert v["nissan_commitment_usd_m"] == pytest.approx(600 * 1.0815)
    assert v["nissan_commitment_jpy_bn"] == pytest.approx(96.96)
    assert v["nissan_commitment_jpy_bn_latest"] == pytest.approx(111.396)
    assert v["nissan_commitment_jpy_change_pct"] == pytest.approx((185.66 / 161.60 - 1) * 100)
    assert v["nissan_stake_at_ceo_min_valuation_pct"] == pytest.approx(600 / 8800 * 100)
    assert v["nissan_stake_at_ceo_max_valuation_pct"] == pytest.approx(600 / 10800 * 100)
    assert v["valuation_implied_by_stake_cap_eur_bn"] == pytest.approx(4.0)
    assert v["cancelled_commitments_eur_m"] == 800
    assert v["cancelled_share_of_renault_fcf_pct"] == pytest.approx(800 / 1500 * 100)


def test_headline_is_vectorised_over_the_valuation() -> None:
    p = ampere.AmpereParams()
    out = ampere.headline(p, pre_money_eur_bn=np.array([8.0, 10.0, 2.0]))
    assert np.allclose(out["nissan_implied_stake_pct"], [600 / 8800 * 100, 600 / 10800 * 100, 15.0])
    assert np.allclose(
        out["renault_stake_after_round_pct"]
        + out["nissan_implied_stake_pct"]
        + out["mitsubishi_implied_stake_pct"],
        100,
    )


# --------------------------------------------------------------------------- laws


@given(pre=st.floats(0.01, 1000), n=st.floats(0, 1e5), m=st.floats(0, 1e5), cap=st.floats(0.01, 100))
def test_stakes_add_up_to_100_and_nissan_never_passes_its_ceiling(
    pre: float, n: float, m: float, cap: float
) -> None:
    r = ampere.round_stakes(pre, n, m, cap)
    total = float(r["nissan_pct"] + r["mitsubishi_pct"] + r["renault_pct"])
    assert total == pytest.approx(100)
    assert float(r["nissan_pct"]) <= cap * (1 + 1e-9)
    assert 0 <= float(r["nissan_invested_eur_m"]) <= n * (1 + 1e-12)


@given(c=st.floats(1, 5000), cap=st.floats(0.1, 100))
def test_the_threshold_buys_exactly_the_ceiling(c: float, cap: float) -> None:
    assert ampere.implied_stake_pct(c, ampere.valuation_for_stake_eur_bn(c, cap)) == pytest.approx(cap)


@given(pre=st.lists(st.floats(0.1, 100), min_size=2, max_size=2, unique=True), cap=st.floats(0.1, 100))
def test_a_higher_valuation_never_buys_more(pre: list[float], cap: float) -> None:
    lo, hi = sorted(pre)
    assert (
        float(ampere.round_stakes(hi, 600, 200, cap)["nissan_pct"])
        <= float(ampere.round_stakes(lo, 600, 200, cap)["nissan_pct"]) + 1e-9
    )


# --------------------------------------------------------------------------- words and tables


def test_words() -> None:
    assert words.say_date("2023-07-26") == "26 July 2023"
    assert analysis.share_words(6.82, 15) == "less than half"
    assert words.eur_bn(3.2) == "EUR 3.2bn"
    assert tables.figure_text(
        {
            "description": "Ampere operating margin target from 2030 (at least)",
            "value": 10.0,
            "unit": "%",
            "note": "Breakeven targeted in 2025",
        }
    ) == ("Ampere operating margin target from 2030", "at least 10%")


def test_findings_state_their_numbers_and_the_reframing(a: ampere.Analysis) -> None:
    texts = {f.key: f.text for f in a.findings}
    assert 3 <= len(texts) <= 5
    assert (
        "**5.6% to 6.8%**" in texts["stake-at-ceo-valuation"]
        and "less than half" in texts["stake-at-ceo-valuation"]
    )
    assert "6.0% to 7.5%, at most half" in texts["stake-at-ceo-valuation"]
    assert (
        "never a valuation" in texts["cap-is-not-a-valuation"]
        and "**EUR 4bn**" in texts["cap-is-not-a-valuation"]
    )
    assert "**JPY 97bn**" in texts["yen-cost"] and "**JPY 111bn**" in texts["yen-cost"]
    assert "**EUR 800m**" in texts["no-outside-money"] and "**53%**" in texts["no-outside-money"]
    assert [f.key for f in a.findings if f.headline] == ["stake-at-ceo-valuation", "no-outside-money"]
    assert all(f.anchor for f in a.findings)
    assert "1 July 2026" in a.since and "19 February 2026" in a.since


def test_what_the_audit_flagged_is_gone(a: ampere.Analysis) -> None:
    shown = " ".join([*a.texts.values(), *(f.text for f in a.findings), a.since])
    assert "far apart" not in shown and "fit together" not in shown and "was terminated" not in shown
    facts = a.tables["facts"]
    assert not facts["description"].str.contains(r"\(more than\)|\(at least\)").any()
    assert "more than EUR 10bn" in set(facts["ampere_figure"])
    commitments = a.tables["commitments"]
    assert list(commitments["ampere_commitment"]) == [
        "up to 15% of Ampere",
        "up to EUR 600m",
        "up to EUR 200m",
    ]
    assert "note" not in commitments.columns


def test_every_table_has_reader_headers(a: ampere.Analysis) -> None:
    from alliancelib.report import column_header

    for name, table in a.tables.items():
        for col in table.columns:
            assert not CODE_WORD.search(column_header(str(col))), (name, col)


def test_the_results_carry_their_range_or_why_not(a: ampere.Analysis) -> None:
    by_name = {r.name: r for r in a.results}
    assert [r.name for r in a.results] == [s.name for s in ampere.RESULTS]
    stake = by_name["nissan_implied_stake_pct"]
    assert stake.value == pytest.approx(600 / 9800 * 100)  # the default, EUR 9bn, mid-range
    assert stake.low == pytest.approx(0.6 / (10.0 + 0.8) * 100, rel=1e-9)  # smallest: at EUR 10bn
    assert stake.high == pytest.approx(0.6 / (8.0 + 0.8) * 100, rel=1e-9)  # largest: at EUR 8bn
    assert by_name["valuation_implied_by_stake_cap_eur_bn"].low is None
    assert by_name["valuation_implied_by_stake_cap_eur_bn"].note


def test_charts_are_clean_and_state_their_finding(a: ampere.Analysis) -> None:
    drawn = ampere.figures(a)
    assert [c.key for c in drawn] == ["stakes", "yen", "ranges"]
    for c in drawn[:2]:
        assert charts.text_overlaps(c) == [] and charts.texts_outside(c) == [], c.key
    title = drawn[0].figure.axes[0].get_title(loc="left").replace("\n", " ")
    assert "5.6% to 6.8%" in title and "less than half" in title
    # the Nissan curve never passes its ceiling
    assert a.curve["ampere_nissan_stake_pct"].max() <= 15 + 1e-9


def test_a_scenario_changes_the_findings() -> None:
    p = ampere.validate_params(**{**DEFAULTS, "nissan_commitment_eur_m": 1500.0})
    a = ampere.analyse(p)
    first = a.findings[0].text
    # EUR 1.5bn at 8-10bn buys 1,500 / 11,700 = 12.8% to 1,500 / 9,700 = 15.5%, capped at 15%
    assert "12.8% to 15.0%" in first and "less than half" not in first and "appetite" not in first


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (10.0, "the top of the CEO's range"),
        (9.0, "inside the CEO's range"),
        (8.0, "the bottom of the CEO's range"),
    ],
)
def test_where_the_value_set_sits_follows_the_parameter(value: float, words: str) -> None:
    """The sentence is computed (a scenario at EUR 9bn must not read 'the EUR 10bn default is the top')."""
    from alliancelib.params import defaults

    a = ampere.analyse(ampere.validate_params(**{**defaults(ampere.AmpereParams), "pre_money_eur_bn": value}))
    assert words in a.texts["robustness"]
    assert "EUR 10bn default" not in a.texts["robustness"]


# --------------------------------------------------------------------------- decisions the template words


def test_how_a_stake_compares_with_its_ceiling() -> None:
    assert [analysis.compared(s, 15) for s in (6.8, 7.5, 10.0, 15.0)] == ["under_half", "half", "below", "at"]
    assert analysis.where_default(ampere.AmpereParams(pre_money_eur_bn=8.0)) == "bottom"


def test_the_worked_example_says_when_the_ceiling_binds() -> None:
    a = ampere.analyse(ampere.validate_params(**{**DEFAULTS, "pre_money_eur_bn": 2.0}))
    # EUR 600m would buy 600 / 2,800 = 21.4%: Nissan puts in only 0.15 / 0.85 x 2,200 = EUR 388m
    assert (
        "EUR 600m would buy more than 15%, so Nissan puts in only EUR 388m and holds 15.00%"
        in a.texts["stakes"]
    )
    assert "\\frac{600}{2{,}000" not in a.texts["stakes"]


def test_the_yen_intro_follows_the_rates() -> None:
    a = ampere.analyse(ampere.validate_params(**DEFAULTS))
    assert "the yen lost value against the euro" in a.texts["yen_intro"]  # 155.6 in July 2023, 185.7 newest
    ctx = {**a.context, "yen_weakened": False}
    from alliancelib.core.prose import render

    assert "gained value against the euro" in render(ampere.TOPIC, "yen_intro", **ctx)


def test_the_ending_dates_come_from_the_events() -> None:
    a = ampere.analyse(ampere.validate_params(**DEFAULTS))
    ending = a.texts["ending"]
    assert "called off its listing on 29 January 2024" in ending
    assert "decided on 19 May 2025 not to proceed, and the same day Ampere said" in ending
    assert "On 21 January 2026 Renault presented the unions" in ending and "by 1 July 2026" in ending
    assert a.context["events"] == {
        "ipo_cancelled": "2024-01-29",
        "no_minority_financing": "2025-05-19",
        "unions": "2026-01-21",
        "fold_back_planned": "2026-07-01",
    }
