"""The deal ledger (notebook 05): its lines and counts by hand, the option against notebook 01's own
function, the parameters shared with 01, the lock-up rule, the words and the chart. The notebook's
contract (papermill, recorded results, bad values, fuzzing) is in test_contract_05.py."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from alliancelib import charts
from alliancelib.core.words import about_eur_m
from alliancelib.errors import ParameterError
from alliancelib.params import defaults, fields_of
from alliancelib.results import CODE_WORD
from alliancelib.topics import ledger, ownership

DEFAULTS = defaults(ledger.LedgerParams)
RENAULT_SHARES = 295_722_284


@pytest.fixture(scope="module")
def a() -> ledger.Analysis:
    return ledger.analyse(ledger.validate_params(**DEFAULTS))


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


def test_cash_items_by_hand(a: ledger.Analysis) -> None:
    v = a.values
    # Renault: 200 off 2025 free cash flow; the 600 and 200 Ampere does not raise are new equity, not
    # Renault's cash (it is not diluted by the shares they would have bought)
    assert v["renault_quantified_cash_eur_m"] == -200
    funding = [it for it in a.items if it.kind == "funding"]
    assert [(it.party, it.amount_eur_m) for it in funding] == [("Renault", -600), ("Renault", -200)]
    kept = next(it for it in a.items if it.key == "ampere_equity")
    assert kept.gets and kept.size == "7.4% to 9.1% of Ampere"  # 0.8 / 10.8 and 0.8 / 8.8
    assert v["nissan_quantified_cash_eur_m"] == 600  # the option is not cash: left out
    assert v["mitsubishi_quantified_cash_eur_m"] == 200
    assert v["ampere_commitments_avoided_eur_m"] == 800
    assert v["renault_nissan_accounting_charge_eur_bn"] == 9.3  # Renault's release, not Just Auto's 9.31
    assert v["renault_nissan_associates_loss_eur_bn"] == 2.3


def test_what_no_source_quantifies_by_hand(a: ledger.Analysis) -> None:
    # the Chennai price (one item, two sides), Nissan's terms as a customer, the right of first refusal,
    # the Twingo-based EV: four of fifteen items
    assert sorted(ledger.unquantified(a.items)) == [
        "first_refusal",
        "rnaipl_customer",
        "rnaipl_price",
        "twingo_ev",
    ]
    assert (a.values["undisclosed_items"], a.values["ledger_items"]) == (4, 15)
    price = [it for it in a.items if it.key == "rnaipl_price"]
    assert [(it.party, it.gets) for it in price] == [("Renault", False), ("Nissan", True)]
    assert all(it.amount_eur_m is None and it.status == "undisclosed" for it in price)


def test_a_buyback_puts_the_option_on_renaults_side() -> None:
    p = ledger.validate_params(**{**DEFAULTS, "buyer": "renault", "nissan_sells_renault_pct": 5.5})
    lines = ledger.items(p)
    option = [it for it in lines if it.key == "nissan_option"]
    assert [(it.party, it.gets) for it in option] == [("Renault", False), ("Nissan", True)]
    assert option[0].amount_eur_m == pytest.approx(-option[1].amount_eur_m)
    assert "first_refusal" not in {it.key for it in lines}  # used: Renault is the buyer
    v = ledger.headline(p)
    assert (v["undisclosed_items"], v["ledger_items"]) == (3, 14)
    assert v["renault_quantified_cash_eur_m"] == -200  # an option, not cash


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


def test_findings_and_words(a: ledger.Analysis) -> None:
    text = {f.key: f.text for f in a.findings}
    assert "**about EUR 680m**" in text["nissan-is-paid"] and "**EUR 600m**" in text["nissan-is-paid"]
    assert "above about EUR 40.6 a share, in 37% of plausible cases" in text["nissan-is-paid"]
    assert "**EUR 200m**" in text["renault-pays"] and "18.66%" in text["renault-pays"]
    assert "not Renault's cash" in text["renault-pays"] and "7.4% to 9.1% of Ampere" in text["renault-pays"]
    assert (
        "**EUR 9.3bn**" in text["accounting-dwarfs-cash"] and "EUR 9.31bn" in text["accounting-dwarfs-cash"]
    )
    assert "**47 times**" in text["accounting-dwarfs-cash"]  # 9,300 / 200 = 46.5
    assert "**4 of the 15 items**" in text["what-no-source-says"]
    assert a.news_as_of == "2026-02-19" and a.fx_as_of == "2025-06-16"
    assert "EUR 599m at EUR 1 = JPY 166.89" in a.texts["option"]
    assert about_eur_m(679.27) == "EUR 680m" and about_eur_m(-1000) == "EUR 1.0bn"


def test_every_table_has_reader_headers(a: ledger.Analysis) -> None:
    from alliancelib.report import column_header

    for name, table in a.tables.items():
        for col in table.columns:
            assert not CODE_WORD.search(column_header(str(col))), (name, col)


def test_the_cash_chart_marks_the_undisclosed_price_and_is_clean(a: ledger.Analysis) -> None:
    drawn = ledger.figures(a)
    assert [c.key for c in drawn] == ["cash", "ranges"]
    for c in drawn:
        assert charts.text_overlaps(c) == [] and charts.texts_outside(c) == [], c.key
    texts = [t for t, _ in charts.drawn_texts(drawn[0].figure)]
    assert texts.count("undisclosed, not to scale") == 2 and texts.count("?") == 2
    assert "EUR 679m (option)" in texts and "Mitsubishi Motors" in texts


def test_both_sides_of_the_chennai_plant_and_renaults_own_option(a: ledger.Analysis) -> None:
    """Nissan's side of the plant transfer is on the ledger (what it gives), and Renault's right to go
    down to 10% of Nissan is sized by what the deal adds: 15 - 10 = 5 points (it could already sell
    down to 15%; the trust's shares have their own line), about EUR 0.4bn at 31 March 2025 prices
    (EUR 3.08bn for 35.71%: 3.08 x 5 / 35.71 = 0.43)."""
    lines = a.items
    plant = [(it.party, it.gets) for it in lines if it.key == "rnaipl_result"]
    assert plant == [("Renault", True), ("Nissan", False)]
    lockup = next(it for it in lines if it.key == "renault_lockup")
    assert (
        "5 more points of Nissan it may sell, about EUR 0.4bn" in lockup.size and lockup.status == "derived"
    )
