"""Ampere (notebook 04): the stake arithmetic by hand, its laws as properties, the words and tables
the notebook shows, and its charts. The notebook's contract (papermill, recorded results, bad
values, fuzzing) is in test_contract_04.py."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import analysed
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
    return analysed(ampere, ampere.validate_params(**DEFAULTS))


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
    assert v["nissan_stake_at_ceo_min_valuation_pct"] == pytest.approx(600 / 8800 * 100)
    assert v["nissan_stake_at_ceo_max_valuation_pct"] == pytest.approx(600 / 10800 * 100)
    assert v["valuation_implied_by_stake_cap_eur_bn"] == pytest.approx(4.0)
    # the break-evens before the money: 600 / 15% - 600 - 200 = 3,200; 600 / 7.5% - 800 = 7,200 (EUR m)
    assert v["pre_money_where_cap_binds_eur_bn"] == pytest.approx(3.2)
    assert v["pre_money_at_half_cap_eur_bn"] == pytest.approx(7.2)
    # both investors at the CEO's figures: 800 / 8,800 = 9.09%; 800 / 10,800 = 7.41%
    assert v["outside_stake_at_ceo_min_valuation_pct"] == pytest.approx(800 / 8800 * 100)
    assert v["outside_stake_at_ceo_max_valuation_pct"] == pytest.approx(800 / 10800 * 100)
    assert v["cancelled_commitments_eur_m"] == 800
    assert "cancelled_share_of_renault_fcf_pct" not in v and "nissan_commitment_jpy_change_pct" not in v


@pytest.mark.parametrize(
    ("result", "conclusion", "stake_pct"),
    [
        ("pre_money_at_half_cap_eur_bn", "under_half_cap", 7.5),
        ("pre_money_where_cap_binds_eur_bn", "cap_never_binds", 15.0),
    ],
)
def test_each_conclusion_changes_just_past_its_break_even(
    result: str, conclusion: str, stake_pct: float
) -> None:
    """Just above the break-even the money buys less than the stake and the conclusion holds; just
    below, it buys the stake or more (the ceiling itself, where it binds) and the conclusion fails."""
    p = ampere.AmpereParams()
    at = float(ampere.headline(p)[result])
    con = next(c for c in ampere.conclusions(p) if c.key == conclusion)
    eps = 1e-6
    stakes = ampere.headline(p, pre_money_eur_bn=np.array([at - eps, at, at + eps]))[
        "nissan_implied_stake_pct"
    ]
    assert stakes[1] == pytest.approx(stake_pct)
    assert stakes[0] >= stake_pct - 1e-9 and stakes[2] < stake_pct
    assert [bool(x) for x in con.holds(stakes[[0, 2]])] == [False, True]
    # and the break-even the generic search finds along the input agrees with the closed form
    from alliancelib.params import Plausible
    from alliancelib.uncertainty import breakeven

    found = breakeven(p, ampere.headline, con, "pre_money_eur_bn", Plausible(1.0, 12.0, "test", "judgement"))
    assert found == pytest.approx(at, abs=1e-4)


@given(c=st.floats(1, 5000), m=st.floats(0, 5000), cap=st.floats(0.5, 99))
def test_the_break_even_buys_exactly_the_stake(c: float, m: float, cap: float) -> None:
    pre = ampere.pre_money_for_stake_eur_bn(c, cap, m)
    if pre > 1e-6:  # a value of Ampere exists at which the money buys exactly the stake
        assert ampere.implied_stake_pct(c, ampere.post_money_eur_bn(pre, c, m)) == pytest.approx(cap)


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


def test_findings_state_their_numbers_and_break_evens(a: ampere.Analysis) -> None:
    texts = {f.key: f.text for f in a.findings}
    assert list(texts) == ["stake-at-ceo-valuation", "cap-is-not-a-valuation", "swap"]
    assert all(len(t.replace("**", "").split()) <= 40 for t in texts.values())
    stake = texts["stake-at-ceo-valuation"]
    assert "**5.6% to 6.8%**" in stake and "less than half" in stake
    assert "flips if Ampere was worth under **EUR 7.2bn** before the money (EUR 8bn after it)" in stake
    ceiling = texts["cap-is-not-a-valuation"]
    assert "only below **EUR 3.2bn** before the money (EUR 4bn after)" in ceiling
    assert "not a valuation" in ceiling
    swap = texts["swap"]
    assert "up to **EUR 800m**" in swap and "**7.4% to 9.1%**" in swap and "Our reading:" in swap
    assert [f.key for f in a.findings if f.headline] == ["stake-at-ceo-valuation", "swap"]
    assert all(f.anchor for f in a.findings) and all(f.holds_pct is None for f in a.findings)
    assert "1 July 2026" in a.since and "22 January 2026" in a.since


def test_what_the_audit_flagged_is_gone(a: ampere.Analysis) -> None:
    shown = " ".join([*a.texts.values(), *(f.text for f in a.findings), a.since])
    assert "far apart" not in shown and "fit together" not in shown and "was terminated" not in shown
    # the 2026-12 reviews: no appetite, no "signed for", no "new equity ... not diluted", no FCF ratio, no odds
    for gone in (
        "appetite",
        "signed for",
        "new equity",
        "not diluted",
        "moot",
        "free cash flow",
        "plausible",
    ):
        assert gone not in shown, gone
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
    assert [c.key for c in drawn] == ["stakes"]
    for c in drawn:
        assert charts.text_overlaps(c) == [] and charts.texts_outside(c) == [], c.key
    title = drawn[0].figure.axes[0].get_title(loc="left").replace("\n", " ")
    assert "5.6% to 6.8%" in title and "less than half" in title and "more only below EUR 7.2bn" in title
    # the Nissan curve never passes its ceiling
    assert a.curve["ampere_nissan_stake_pct"].max() <= 15 + 1e-9


def test_a_scenario_changes_the_findings() -> None:
    p = ampere.validate_params(**{**DEFAULTS, "nissan_commitment_eur_m": 1500.0})
    a = analysed(ampere, p)
    first = a.findings[0].text
    # EUR 1.5bn at 8-10bn buys 1,500 / 11,700 = 12.8% to 1,500 / 9,700 = 15.5%, capped at 15%
    assert "12.8% to 15.0%" in first and "less than half" not in first and "appetite" not in first
    # half the ceiling: 1,500 / 7.5% - 1,700 = EUR 18.3bn, above the CEO's range
    assert "under half only above **EUR 18.3bn** before the money, beyond the CEO's range" in first


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (10.0, "EUR 10bn (the top of the CEO's range)"),
        (9.0, "EUR 9bn (inside the CEO's range)"),
        (8.0, "EUR 8bn (the bottom of the CEO's range)"),
        (50.0, "EUR 50bn (outside the CEO's range)"),
    ],
)
def test_where_the_value_set_sits_follows_the_parameter(value: float, words: str) -> None:
    """The worked example says where the value set sits in the CEO's range (computed, so that a scenario
    at an end of the range says so)."""
    a = analysed(ampere, ampere.validate_params(**{**DEFAULTS, "pre_money_eur_bn": value}))
    assert words in a.texts["stakes"]


def test_the_sensitivity_table_goes_down_to_4bn_with_the_break_even() -> None:
    a = analysed(ampere, ampere.validate_params(**DEFAULTS))
    t = a.tables["stakes"].set_index("ampere_pre_money_eur_bn")
    assert t.index.min() == 4.0 and 7.2 in t.index and {8.0, 9.0, 10.0} <= set(t.index)
    # at EUR 4bn: 600 / (4,000 + 800) = 12.5%, more than half the 15% ceiling
    assert t.at[4.0, "ampere_nissan_stake_pct"] == pytest.approx(12.5)
    assert t.at[4.0, "ampere_nissan_vs_ceiling"] == "more than half"
    assert t.at[7.2, "ampere_nissan_stake_pct"] == pytest.approx(7.5)
    assert t.at[7.2, "ampere_nissan_vs_ceiling"] == "half"
    assert t.at[7.2, "ampere_value_stands_for"] == "break-even: the money buys half the ceiling"
    assert t.at[8.0, "ampere_nissan_vs_ceiling"] == "less than half"
    assert t.at[9.0, "ampere_value_stands_for"] == "the CEO's middle figure; the value set"
    assert list(t.index) == sorted(t.index)


def test_the_appendix_replaces_how_sure() -> None:
    a = analysed(ampere, ampere.validate_params(**DEFAULTS))
    assert "sure" not in a.SECTIONS and [p.key for p in a.SECTIONS["appendix"]] == ["appendix", "appendix"]
    assert "not a probability" in a.texts["appendix"]
    table = a.tables["appendix"]
    assert list(table["tested_share"]) == ["all (at every corner and draw)"] * 2
    assert not table["moved_most_by"].str.strip().any()  # holds everywhere: no input named


# --------------------------------------------------------------------------- decisions the template words


def test_how_a_stake_compares_with_its_ceiling() -> None:
    assert [analysis.compared(s, 15) for s in (6.8, 7.5, 10.0, 15.0)] == ["under_half", "half", "below", "at"]
    assert analysis.where_default(ampere.AmpereParams(pre_money_eur_bn=8.0)) == "bottom"
    assert [analysis.side_of_range(v, 8, 10) for v in (3.2, 8.0, 10.0, 10.5, 0.0)] == [
        "below",
        "inside",
        "inside",
        "above",
        "none",
    ]


def test_the_worked_example_says_when_the_ceiling_binds() -> None:
    a = analysed(ampere, ampere.validate_params(**{**DEFAULTS, "pre_money_eur_bn": 2.0}))
    # EUR 600m would buy 600 / 2,800 = 21.4%: Nissan puts in only 0.15 / 0.85 x 2,200 = EUR 388m
    assert (
        "EUR 600m would buy more than 15%, so Nissan puts in only EUR 388m and holds 15.00%"
        in a.texts["stakes"]
    )
    assert "\\frac{600}{2{,}000" not in a.texts["stakes"]


def test_the_currency_paragraph_names_the_day_only_when_it_is_the_release() -> None:
    a = analysed(ampere, ampere.validate_params(**DEFAULTS))
    # EUR 600m at 161.60 yen and 1.0815 dollars per euro (ECB, 2025-03-31): JPY 97.0bn, USD 649m
    assert (
        "the day Nissan agreed to end the commitment, the EUR 600m was **JPY 97.0bn**" in a.texts["currency"]
    )
    assert "**USD 649m**" in a.texts["currency"]
    other = analysed(ampere, ampere.validate_params(**{**DEFAULTS, "fx_date": "2024-01-29"}))
    assert "the day Nissan agreed" not in other.texts["currency"]


def test_the_ending_dates_come_from_the_events() -> None:
    a = analysed(ampere, ampere.validate_params(**DEFAULTS))
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
