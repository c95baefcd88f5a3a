"""The deal ledger (notebook 05): its lines and counts by hand, the option against notebook 01's own
function, the parameters shared with 01, the lock-up rule, the words and the chart. The notebook's
contract (papermill, recorded results, bad values, fuzzing) is in test_contract_05.py."""

from __future__ import annotations

import numpy as np
import pytest
from helpers import analysed
from hypothesis import given
from hypothesis import strategies as st

from alliancelib import charts
from alliancelib.core.words import about_eur_m
from alliancelib.errors import ParameterError
from alliancelib.params import defaults, fields_of
from alliancelib.results import CODE_WORD
from alliancelib.topics import ledger, ownership
from alliancelib.topics.ledger.charts import flows

DEFAULTS = defaults(ledger.LedgerParams)
RENAULT_SHARES = 295_722_284


@pytest.fixture(scope="module")
def a() -> ledger.Analysis:
    return analysed(ledger, ledger.validate_params(**DEFAULTS))


def test_the_option_by_hand() -> None:
    # 5 points of 295,722,284 Renault shares at EUR 45.94: 0.05 x 295,722,284 x 45.94 / 1e6 = EUR 679.27m
    v = ledger.headline(ledger.LedgerParams())
    assert v["nissan_option_proceeds_eur_m"] == pytest.approx(0.05 * RENAULT_SHARES * 45.94 / 1e6)
    assert v["nissan_option_proceeds_eur_m"] == pytest.approx(679.27, abs=0.01)


@given(points=st.floats(0, 5), price=st.floats(0.01, 10_000))
def test_the_option_is_notebook_01s_proceeds(points: float, price: float) -> None:
    p = ledger.LedgerParams(nissan_sells_renault_pct=points, renault_share_price_eur=price)
    got = ledger.headline(p)["nissan_option_proceeds_eur_m"]
    assert got == pytest.approx(ownership.sale_proceeds_eur_m(points, RENAULT_SHARES, price), rel=1e-12)
    assert got >= 0


def test_the_parameters_are_notebook_01s() -> None:
    mine = {f.name: f for f in fields_of(ledger.LedgerParams)}
    theirs = {f.name: f for f in fields_of(ownership.OwnershipParams)}
    assert list(mine) == [
        "nissan_sells_renault_pct",
        "buyer",
        "renault_share_price_eur",
        "nissan_in_renault_pct",
    ]
    for name, f in mine.items():
        g = theirs[name]
        assert f.default == g.default and f.type == g.type, name
        for key in ("spec", "help", "label", "unit", "plausible"):
            assert f.metadata.get(key) == g.metadata.get(key), (name, key)


def test_dividends_forgone_by_hand() -> None:
    # 5 points of 295,722,284 shares at Renault's proposed EUR 2.20: 0.05 x 295,722,284 x 2.2 / 1e6 = EUR 32.53m
    v = ledger.headline(ledger.LedgerParams())
    assert v["nissan_dividends_forgone_eur_m"] == pytest.approx(32.529, abs=0.001)
    none = ledger.headline(ledger.LedgerParams(nissan_sells_renault_pct=0.0))
    assert none["nissan_dividends_forgone_eur_m"] == 0


def test_the_plan_breakeven_by_hand() -> None:
    # Nissan's plan: about JPY 100bn at the ECB's 166.89 yen of 2025-06-16 = EUR 599.197m; selling 5 points
    # (14,786,114.2 shares) raises that from 599.197e6 / 14,786,114.2 = EUR 40.524 a share
    v = ledger.headline(ledger.LedgerParams())
    assert v["option_reaches_plan_breakeven_eur"] == pytest.approx(
        100_000 / 166.89 * 1e6 / (0.05 * RENAULT_SHARES)
    )
    assert v["option_reaches_plan_breakeven_eur"] == pytest.approx(40.524, abs=0.001)
    assert (
        ledger.headline(ledger.LedgerParams(nissan_sells_renault_pct=0.0))[
            "option_reaches_plan_breakeven_eur"
        ]
        is None
    )


@pytest.mark.parametrize(("points", "buyer"), [(5.0, "third_party"), (2.5, "third_party"), (5.5, "renault")])
def test_the_conclusion_flips_at_the_breakeven(points: float, buyer: str) -> None:
    """Just below the break-even price the option falls short of Nissan's plan; just above it reaches it."""
    p = ledger.LedgerParams(nissan_sells_renault_pct=points, buyer=buyer)
    be = ledger.headline(p)["option_reaches_plan_breakeven_eur"]
    (c,) = ledger.conclusions(p)
    assert c.key == "option_reaches_plan"
    for price, holds in ((be * (1 - 1e-6), False), (be * (1 + 1e-6), True)):
        value = ledger.headline(p, renault_share_price_eur=price)[c.result]
        assert bool(c.holds(np.array([value]))[0]) is holds, price


def test_the_three_columns_by_hand(a: ledger.Analysis) -> None:
    """Cash between the parties: the Chennai price (both sides, undisclosed) and nothing else (Renault's
    EUR 200m of free cash flow is its own forecast cost, a line apart, not a payment); commitments avoided or forgone: the Ampere money (not cash) with the shares it would have
    bought, on every side; no accounting line in the ledger."""
    by = {
        c: [(it.party, it.key, it.amount_eur_m) for it in a.items if it.column == c] for c in ledger.COLUMNS
    }
    assert by["cash"] == [
        ("Renault", "rnaipl_price", None),
        ("Nissan", "rnaipl_price", None),
    ]
    assert by["commitment"] == [
        ("Renault", "ampere_nissan", -600),
        ("Renault", "ampere_mmc", -200),
        ("Renault", "ampere_stake", None),
        ("Nissan", "ampere_nissan", 600),
        ("Nissan", "ampere_stake", None),
        ("Mitsubishi Motors", "ampere_mmc", 200),
        ("Mitsubishi Motors", "ampere_stake", None),
    ]
    assert {it.key for it in a.items} & {"accounting_charge", "associates", "trust"} == set()
    v = a.values
    # Renault's own forecast cash cost, apart from the ledger (the Ampere money is not Renault's cash)
    assert v["renault_quantified_cash_eur_m"] == -200
    own = a.tables["own_cash"]
    assert list(own["ledger_eur_m"]) == [-200] and list(own["source_id"]) == ["reuters_fcf_20250331"]
    assert "not cash between the parties" in a.texts["own_cash"] and "forecast" in a.texts["own_cash"]
    assert (v["nissan_ampere_commitment_avoided_eur_m"], v["mitsubishi_ampere_commitment_avoided_eur_m"]) == (
        600,
        200,
    )
    assert v["ampere_commitments_avoided_eur_m"] == 800
    assert v["renault_nissan_accounting_charge_eur_bn"] == 9.3  # Renault's release, not Just Auto's 9.31
    assert v["renault_nissan_associates_loss_eur_bn"] == 2.3


def test_the_shares_of_ampere_forgone_by_hand(a: ledger.Analysis) -> None:
    # at EUR 10bn and 8bn before the money, with both commitments (EUR 0.8bn) paid in:
    # Nissan 0.6 / 10.8 = 5.56% and 0.6 / 8.8 = 6.82%; Mitsubishi Motors 0.2 / 10.8 = 1.85%, 0.2 / 8.8 = 2.27%;
    # both 0.8 / 10.8 = 7.41%, 0.8 / 8.8 = 9.09%
    size = {(it.party, it.key): it.size for it in a.items if it.key == "ampere_stake"}
    assert size[("Renault", "ampere_stake")] == "7.4% to 9.1% of Ampere"
    assert size[("Nissan", "ampere_stake")] == "5.6% to 6.8% of Ampere, and a board seat"
    assert size[("Mitsubishi Motors", "ampere_stake")] == "1.9% to 2.3% of Ampere"
    gets = {it.party: it.gets for it in a.items if it.key == "ampere_stake"}
    assert gets == {"Renault": True, "Nissan": False, "Mitsubishi Motors": False}


def test_what_no_source_quantifies_by_hand(a: ledger.Analysis) -> None:
    # the Chennai price (one item, two sides), Nissan's supply terms at Chennai, the right of first refusal,
    # the Twingo-based EV: four of eleven items; the plant's result is sized (51%), its amount not reported
    assert sorted(ledger.unquantified(a.items)) == [
        "first_refusal",
        "rnaipl_customer",
        "rnaipl_price",
        "twingo_ev",
    ]
    assert (a.values["undisclosed_items"], a.values["ledger_items"]) == (4, 11)
    price = [it for it in a.items if it.key == "rnaipl_price"]
    assert [(it.party, it.gets) for it in price] == [("Renault", False), ("Nissan", True)]
    assert all(it.amount_eur_m is None and it.status == "undisclosed" for it in price)
    result = next(it for it in a.items if it.key == "rnaipl_result" and it.party == "Nissan")
    assert (result.gets, result.status, result.amount_eur_m) == (False, "not reported", None)
    assert result.size == "51% of RNAIPL's result (amount not reported)"


def test_a_buyback_puts_the_option_and_the_dividends_on_renaults_side() -> None:
    p = ledger.validate_params(**{**DEFAULTS, "buyer": "renault", "nissan_sells_renault_pct": 5.5})
    lines = ledger.items(p)
    v = ledger.headline(p)
    refusal = [it for it in lines if it.key == "first_refusal"]
    assert [(it.party, it.gets, it.status) for it in refusal] == [("Renault", False, "parameter")]
    assert refusal[0].amount_eur_m == pytest.approx(-v["nissan_option_proceeds_eur_m"])
    dividends = {it.party: it.amount_eur_m for it in lines if it.key == "dividends"}
    assert (
        dividends["Renault"]
        == pytest.approx(-dividends["Nissan"])
        == pytest.approx(v["nissan_dividends_forgone_eur_m"])
    )
    # the same eleven items: Renault's refusal right is used and priced, so one fewer without a figure
    assert (v["undisclosed_items"], v["ledger_items"]) == (3, 11)
    assert v["renault_quantified_cash_eur_m"] == -200  # an option, not cash


def test_a_line_names_its_column() -> None:
    with pytest.raises(ValueError, match="column 'funding'; allowed: cash, commitment, transfer"):
        ledger.Item("x", "Renault", True, "funding", None, "reported", "2025-03-31", "rediff_20250331")


@pytest.mark.parametrize(
    ("buyer", "stake", "points", "ok"),
    [
        ("third_party", 15.0, 5.0, True),
        ("third_party", 15.0, 5.01, False),
        # a buyback cancels the shares: 15 - s = 10 (1 - s/100) gives s = 5 / 0.9 = 5.5556 points
        ("renault", 15.0, 5.55, True),
        ("renault", 15.0, 5.56, False),
        ("renault", 15.0, 0.0, True),
        # at the 15.27% one Japanese source gives, 5.27 points fit above the lock-up
        ("third_party", 15.27, 5.27, True),
        ("third_party", 15.27, 5.28, False),
        ("third_party", 8.0, 0.0, True),
        ("third_party", 8.0, 0.5, False),  # below the lock-up already: no sale
    ],
)
def test_the_lockup_rule_is_notebook_01s(buyer: str, stake: float, points: float, ok: bool) -> None:
    values = {**DEFAULTS, "buyer": buyer, "nissan_sells_renault_pct": points, "nissan_in_renault_pct": stake}
    if ok:
        assert ledger.validate_params(**values).nissan_sells_renault_pct == points
    else:
        with pytest.raises(
            ParameterError,
            match=r"0 to [0-9.]+ points at a 10% lock-up: .* may not go below the lock-up threshold",
        ):
            ledger.validate_params(**values)


def test_headline_is_vectorised_over_the_share_price() -> None:
    out = ledger.headline(ledger.LedgerParams(), renault_share_price_eur=np.array([31.37, 45.94]))
    assert np.allclose(
        out["nissan_option_proceeds_eur_m"], [0.05 * RENAULT_SHARES * x / 1e6 for x in (31.37, 45.94)]
    )
    points = ledger.headline(ledger.LedgerParams(), nissan_sells_renault_pct=np.array([0.0, 5.0]))
    assert np.isnan(points["option_reaches_plan_breakeven_eur"][0])
    assert points["option_reaches_plan_breakeven_eur"][1] == pytest.approx(40.524, abs=0.001)


def test_findings_and_words(a: ledger.Analysis) -> None:
    text = {f.key: f.text for f in a.findings}
    assert text["cash-that-moved"].startswith("Cash runs one way: Renault's proposed EUR 2.20 a share")
    assert (
        "**EUR 97.6m a year**" in text["cash-that-moved"]
        and "JPY 0 guided for FY2026" in (text["cash-that-moved"])
    )
    assert "Flips at a Nissan dividend of **JPY 13.40** a share" in text["cash-that-moved"]
    assert (
        "**up to EUR 600m**" in text["commitments-not-cash"]
        and "**EUR 200m**" in text["commitments-not-cash"]
    )
    assert "5.6-6.8% and 1.9-2.3% of Ampere" in text["commitments-not-cash"]
    assert (
        "**EUR 460m to EUR 680m** across the reported prices EUR 31.37-45.94" in text["option-and-dividends"]
    )
    assert "**EUR 32.5m a year** of dividends" in text["option-and-dividends"]
    assert "**EUR 9.3bn**" in text["accounting-apart"] and "Neither moved cash" in text["accounting-apart"]
    assert "what-no-source-says" not in text
    assert text["on-balance"].startswith("Our reading: who gained in value no source says")
    assert "EUR 460m to EUR 680m" in text["on-balance"] and "about EUR 0.4bn" in text["on-balance"]
    assert "came out ahead in liquidity, not value" not in " ".join(text.values())
    assert "4 of the 11 items have no figure" in a.texts["unknown_count"]
    assert a.news_as_of == "2026-08-03" and a.fx_as_of == "2026-02-19"
    assert "EUR 599m at EUR 1 = JPY 166.89" in a.texts["plan"] and "**EUR 40.52 a share**" in a.texts["plan"]
    assert "at EUR 45.94 the sale reaches the plan's sum" in a.texts["plan"]
    assert (
        "the top of the prices reported since (EUR 31.37-45.94): at the lowest the sale raises EUR 464m"
        in (a.texts["option"])
    )
    assert "a yield of 4.8% at EUR 45.94 (4.8% to 7.0% across the reported prices)" in a.texts["dividends"]
    assert about_eur_m(679.27) == "EUR 680m" and about_eur_m(-1000) == "EUR 1.0bn"


def test_every_table_has_reader_headers(a: ledger.Analysis) -> None:
    from alliancelib.report import column_header

    for name, table in a.tables.items():
        for col in table.columns:
            assert not CODE_WORD.search(column_header(str(col))), (name, col)


def test_the_summary_keeps_the_columns_apart(a: ledger.Analysis) -> None:
    summary = a.tables["summary"].set_index("ledger_party")
    assert list(summary.columns) == ["ledger_cash", "ledger_commitments", "ledger_transfers"]
    assert "EUR 200m" not in summary.at["Renault", "ledger_cash"]  # Renault's own cost is not a payment
    assert "undisclosed" in summary.at["Renault", "ledger_cash"]
    assert "EUR 600m" in summary.at["Nissan", "ledger_commitments"]
    assert "EUR 600m" not in summary.at["Nissan", "ledger_cash"]
    assert summary.at["Mitsubishi Motors", "ledger_cash"] == "–"
    assert "EUR 32.5m a year" in summary.at["Nissan", "ledger_transfers"]


def test_the_chart_draws_the_dividends_each_way(a: ledger.Analysis) -> None:
    """Two bars a year, not equal by construction: Renault's proposed EUR 2.20 on Nissan's 15%
    (0.15 x 295,722,284 x 2.20 / 1e6 = EUR 97.59m, EUR 32.53m of it on the 5 points Nissan may sell,
    hatched) against Nissan's guided JPY 0 on Renault's stake (no bar, its words written)."""
    from matplotlib.patches import Rectangle

    drawn = ledger.figures(a)
    assert [c.key for c in drawn] == ["ledger"]
    c = drawn[0]
    assert charts.text_overlaps(c) == [] and charts.texts_outside(c) == []
    texts = " ".join(t for t, _ in charts.drawn_texts(c.figure)).replace("\n", " ")
    assert "Dividends flow one way: EUR 98m a year from Renault to Nissan" in texts
    assert "JPY 0 guided for FY2026" in texts and "JPY 13.40" in texts
    widths = sorted(
        round(p.get_width(), 2)
        for p in c.figure.axes[0].patches
        if isinstance(p, Rectangle) and p.get_width() > 0 and p.get_height() < 1
    )
    assert widths == [32.53, 65.06]
    assert [(f.key, round(f.amount_eur_m, 2)) for f in flows(a)] == [
        ("to_nissan", 97.59),
        ("to_renault", 0.0),
    ]


def test_with_no_sale_the_chart_and_the_balance_drop_the_option() -> None:
    a = analysed(ledger, ledger.validate_params(**{**DEFAULTS, "nissan_sells_renault_pct": 0.0}))
    assert [f.sold_eur_m for f in flows(a)] == [0.0, 0.0]
    lines = " ".join(a.tables["balance"]["ledger_line"])
    assert "points of Renault" not in lines and "if it sells" not in lines
    assert "EUR 97.6m a year of Renault dividends" in lines
    assert "EUR 97.6m a year of dividends to Nissan on its 15% (proposed, vote not found)" in lines
    assert "EUR 460m" not in next(f.text for f in a.findings if f.key == "on-balance")


def test_the_dividends_each_way_by_hand() -> None:
    """Nissan receives 15% x 295,722,284 x EUR 2.20 = EUR 97.59m a year; Renault's 35.71% of Nissan's
    3,713,998,612 shares receive JPY 0; the break-even is 97.59m x 182.05 / 1,326.27m = JPY 13.40."""
    v = ledger.headline(ledger.LedgerParams())
    assert v["nissan_dividends_from_renault_eur_m"] == pytest.approx(0.15 * RENAULT_SHARES * 2.2 / 1e6)
    assert v["renault_dividends_from_nissan_eur_m"] == 0
    shares = 0.3571 * 3_713_998_612
    assert v["nissan_dividend_breakeven_jpy"] == pytest.approx(97.588 * 1e6 * 182.05 / shares, rel=1e-4)
    assert round(v["nissan_dividend_breakeven_jpy"], 2) == 13.40
    stake = ledger.headline(ledger.LedgerParams(), nissan_in_renault_pct=np.array([15.0, 15.27]))
    assert np.allclose(stake["nissan_dividends_from_renault_eur_m"], [97.588, 99.345], atol=1e-3)


@pytest.mark.parametrize(("step_jpy", "renault_gets_more"), [(-0.01, False), (0.01, True)])
def test_the_dividend_flow_flips_at_its_breakeven(step_jpy: float, renault_gets_more: bool) -> None:
    """Just below the break-even Nissan dividend Renault receives less than it pays Nissan; just above,
    more."""
    from alliancelib.topics.ledger import model

    v = ledger.headline(ledger.LedgerParams())
    i = model.inputs.read()
    nissan_dividend_jpy = v["nissan_dividend_breakeven_jpy"] + step_jpy
    to_renault = model.dividends_received_eur_m(
        model.renault_nissan_shares(i), nissan_dividend_jpy, model.dividend_jpy_per_eur()
    )
    assert (to_renault > v["nissan_dividends_from_renault_eur_m"]) is renault_gets_more


def test_the_dividend_flow_holds_across_every_sourced_nissan_dividend(a: ledger.Analysis) -> None:
    """Nissan's FY2025 dividend (none, a secondary source) and its FY2026 guidance (JPY 0) both lie
    below the break-even: the text says the flow runs one way across every sourced value."""
    i = a.context["i"]
    assert (
        max(i.nissan_dividend_jpy, i.nissan_dividend_guided_jpy) < a.values["nissan_dividend_breakeven_jpy"]
    )
    assert "runs one way across every sourced value" in a.texts["dividend_flows"]
    assert "proposed, not approved" in a.texts["dividend_flows"] and "EUR 0m" in a.texts["dividend_flows"]


def test_on_balance_party_by_party(a: ledger.Analysis) -> None:
    """The closing section: every party's gives and gets, each line with its basis, and our reading said
    as ours with its weaknesses (the option unused, the price undisclosed, the commitment notional)."""
    from alliancelib.topics.ledger.analysis import BASES, SECTION_BALANCE

    assert list(a.SECTIONS)[-3:] == ["balance", "appendix", "sources"]
    assert SECTION_BALANCE == "On balance, party by party"
    b = a.tables["balance"]
    assert set(b["ledger_basis"]) <= set(BASES) and {"reported", "derived", "unknown"} <= set(
        b["ledger_basis"]
    )
    for party in ledger.PARTIES:
        mine = b[b["ledger_party"] == party]
        assert set(mine["ledger_direction"]) == {"gives", "gets", "on balance"}, party
        assert (
            list(mine["ledger_direction"])[-1] == "on balance"
            and mine.iloc[-1]["ledger_basis"] == "our reading"
        )
    assert list(b["ledger_party"].drop_duplicates()) == list(ledger.PARTIES)
    price = b[b["ledger_line"].str.contains("price of")]
    assert set(price["ledger_basis"]) == {"unknown"} and len(price) == 2
    own = b[b["ledger_line"].str.contains("EUR 200m off its 2025 free cash flow")]
    assert list(own["ledger_party"]) == ["Renault"] and "forecast" in own.iloc[0]["ledger_line"]
    reading = a.texts["balance_reading"]
    assert reading.startswith("**Our reading: no source lets us say who gained in value; in cash, Nissan is")
    assert "nothing to Renault until Nissan pays JPY 13.40 a share" in reading
    for weak in ("the option is unused", "the Chennai price is undisclosed", "the commitment was notional"):
        assert weak in reading


def test_renaults_own_option_to_sell_nissan(a: ledger.Analysis) -> None:
    """Renault's right to go down to 10% of Nissan is sized by what the deal adds: 15 - 10 = 5 points (it
    could already sell down to 15%), about EUR 0.4bn at 31 March 2025 prices (EUR 3.08bn for 35.71%:
    3.08 x 5 / 35.71 = 0.43)."""
    plant = [(it.party, it.gets) for it in a.items if it.key == "rnaipl_result"]
    assert plant == [("Renault", True), ("Nissan", False)]
    lockup = next(it for it in a.items if it.key == "renault_lockup")
    assert (
        "5 more points of Nissan it may sell, about EUR 0.4bn" in lockup.size and lockup.status == "derived"
    )


def test_the_technical_appendix_replaces_how_sure(a: ledger.Analysis) -> None:
    """No "How sure" section or range chart: the share of the tested range lives in the appendix, one
    row per conclusion, with its standard error."""
    assert "sure" not in a.SECTIONS and list(a.SECTIONS)[-2:] == ["appendix", "sources"]
    table = a.tables["appendix"]
    assert list(table["conclusion"]) == [
        "Nissan's option raises at least the EUR 599m (JPY 100bn) of its own plan"
    ]
    assert table.at[0, "share_se"] != ""  # the price range lies on both sides of the break-even
    assert "not a probability" in a.texts["appendix"]


def test_a_buyback_says_why_one_item_fewer_lacks_a_figure() -> None:
    p = ledger.validate_params(**{**DEFAULTS, "buyer": "renault"})
    a = analysed(ledger, p)
    assert "Renault's right of first refusal is not counted either" in a.texts["unknown_intro"]
    assert "at the market price" in a.texts["option"] and "block sale" not in a.texts["option"]
    assert "3 of the 11 items have no figure" in a.texts["unknown_count"]


def test_the_footer_lists_the_sources_the_ledger_quotes(a: ledger.Analysis) -> None:
    """The four sources the data audit found quoted but missing from the footer: the board seat
    (TechNode), Ampere needing no minority financing (Sowetan/Reuters), Renault funding Ampere itself
    (Nasdaq/Reuters) and Mitsubishi Motors' end-2024 schedule (Auto World Journal); and every source a
    ledger line cites."""
    cited = {it.source_id for it in a.items}
    quoted = {
        "technode_20230726",
        "sowetan_reuters_20250520",
        "nasdaq_reuters_20240129",
        "autoworldjournal_mmc_ampere",
    }
    assert cited | quoted <= set(a.source_ids)
