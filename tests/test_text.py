"""The prose templates (``alliancelib/topics/<topic>/text.md.j2``), rendered in-process: every block
of a topic's template at the defaults, at both corners of the plausible ranges and at the cautious
and ambitious scenarios' values, with undefined names raising; and each number a sentence states
checked against the analysis it comes from (the checks the asserts of notebooks 05, 04 and 03 made).

How to change a sentence: edit the block in the template, then run this file and the topic's own
test file (``tests/test_ledger.py`` for 05, ``tests/test_ampere.py`` for 04, ``tests/test_pricing.py``
for 03); see CONTRIBUTING.md."""

from __future__ import annotations

import inspect
import re
import shutil
from pathlib import Path
from typing import Any

import jinja2
import pytest

from alliancelib import data
from alliancelib.core import prose, words
from alliancelib.params import defaults, fields_of, plausible_of
from alliancelib.paths import SCENARIOS_DIR
from alliancelib.results import CODE_WORD
from alliancelib.scenarios import load_scenario
from alliancelib.topics import ledger

NB = ledger.NOTEBOOK


def corner(which: str) -> dict[str, Any]:
    """Every parameter with a plausible range at one end of it."""
    out = {}
    for f in fields_of(ledger.LedgerParams):
        pl = plausible_of(ledger.LedgerParams, f.name)
        if pl is not None and pl.low is not None and pl.high is not None:
            out[f.name] = pl.low if which == "low" else pl.high
    return out


def scenario(name: str) -> dict[str, Any]:
    """The values a scenario file gives notebook 05."""
    s = load_scenario(SCENARIOS_DIR / f"{name}.toml")
    names = {f.name for f in fields_of(ledger.LedgerParams)}
    return {**{k: v for k, v in s.shared.items() if k in names}, **s.notebooks.get(NB, {})}


CASES = {"defaults": {}, "low": corner("low"), "high": corner("high"), "cautious": scenario("cautious"),
         "ambitious": scenario("ambitious"), "buyback": {"buyer": "renault", "nissan_sells_renault_pct": 5.5},
         "price held": {"renault_share_price_eur": 50.0}}


@pytest.fixture(scope="module", params=list(CASES))
def a(request: pytest.FixtureRequest) -> ledger.Analysis:
    return ledger.analyse(ledger.validate_params(**{**defaults(ledger.LedgerParams), **CASES[request.param]}))


def test_the_corners_are_corners() -> None:
    assert CASES["low"] and CASES["low"] != CASES["high"]
    assert CASES["cautious"] != CASES["ambitious"]


# --------------------------------------------------------------------------- every block renders


def test_every_block_renders_clean(a: ledger.Analysis) -> None:
    """Each block with the analysis's context: no undefined name, no empty sentence, no code word, no
    unformatted number, no leftover template syntax."""
    blocks = prose.blocks(ledger.TOPIC)
    assert len(blocks) > 60
    for block in blocks:
        text = prose.render(ledger.TOPIC, block, **a.context, party="Renault")
        assert text.strip(), block
        assert "{{" not in text and "{%" not in text and "nan" not in text.split(), (block, text)
        assert not CODE_WORD.search(text.replace("\\text", "")), (block, text)
        assert "  " not in text and text == text.strip(), (block, text)


def test_every_block_is_used_and_every_used_block_exists(a: ledger.Analysis) -> None:
    """The template holds the words the report shows, and only those: each block is rendered by the
    analysis (the sections, findings, ledger lines, captions, notes) or included by another block."""
    from alliancelib.topics.ledger import analysis as an

    used = set(an.TEXTS) | {f"caption_{k}" for k in an.CAPTIONS} | {"caption_ledger_party", "since", "unreached"}
    used |= {"finding_" + key.replace("-", "_") for key, _, _ in an.FINDINGS}
    used |= {f"no_range__{name}" for name in an.no_range_names()}
    used |= {f"accounting_use__{use}" for _, use in an.ACCOUNTING_ROWS}
    used |= {"conclusion_option_above_ampere", "option_what"}
    for buyer in ("third_party", "renault"):
        for it in ledger.items(ledger.LedgerParams(buyer=buyer)):
            used |= {f"{it.block}__label", f"{it.block}__what"} | ({f"{it.block}__size"} if it.sized else set())
    assert set(prose.blocks(ledger.TOPIC)) == used


def test_an_undefined_name_raises_and_names_it() -> None:
    with pytest.raises(jinja2.UndefinedError, match="party"):
        prose.render(ledger.TOPIC, "caption_ledger_party")
    with pytest.raises(KeyError, match="no block 'nope'.*blocks: finding_nissan_is_paid"):
        prose.render(ledger.TOPIC, "nope")
    with pytest.raises(LookupError, match="no prose template for topic 'nowhere'"):
        prose.render("nowhere", "x")


def test_every_formatter_is_a_filter() -> None:
    env = prose.environment()
    assert set(words.__all__) <= set(env.filters)
    assert env.from_string("{{ 679.27 | money }} {{ 0.37 | percent }} {{ 45.94 | plain }}").render() == \
        "EUR 679m 37% 45.94"


def test_rewrapping_a_sentence_changes_nothing() -> None:
    env = prose.environment()
    one = env.from_string("{% block b %}It may sell **{{ 5.0 | plain }} points** of Renault.{% endblock %}")
    two = env.from_string("{% block b %}\nIt may sell\n   **{{ 5.0 | plain }} points**\nof Renault.\n{% endblock %}")
    render = [prose.unwrap("".join(t.blocks["b"](t.new_context({})))) for t in (one, two)]
    assert render[0] == render[1] == "It may sell **5 points** of Renault."


# --------------------------------------------------------------------------- numbers and their sentences


def test_the_findings_state_the_results(a: ledger.Analysis) -> None:
    v, text = a.values, {f.key: f.text for f in a.findings}
    assert f"**about {words.about_eur_m(v['nissan_option_proceeds_eur_m'])}**" in text["nissan-is-paid"]
    assert f"**{words.plain(a.p.nissan_sells_renault_pct)} points**" in text["nissan-is-paid"]
    assert f"at EUR {words.plain(a.p.renault_share_price_eur)} a share" in text["nissan-is-paid"]
    assert f"**EUR {a.facts['charge']:g}bn**" in text["accounting-dwarfs-cash"]
    assert f"**{words.about_eur_m(v['renault_quantified_cash_eur_m'])}**" in text["renault-pays"]
    assert f"**{v['undisclosed_items']:.0f} of the {v['ledger_items']:.0f} items**" in text["what-no-source-says"]
    assert f"**{words.money(v['mitsubishi_quantified_cash_eur_m'])}**" in text["what-no-source-says"]
    # 9,300 / 200 = 46.5: a half rounds up, as a reader rounds it
    times = int(v["renault_nissan_accounting_charge_eur_bn"] * 1000 / abs(v["renault_quantified_cash_eur_m"]) + 0.5)
    assert f"**{times} times**" in text["accounting-dwarfs-cash"]
    assert [f.key for f in a.findings if f.headline] == ["nissan-is-paid", "renault-pays"]
    recorded = a.assessment.result_ranges().get("nissan_option_proceeds_eur_m")
    if "renault_share_price_eur" not in a.assessment.held and recorded is not None:
        low, high = (words.about_eur_m(x) for x in recorded)
        assert f"would raise {low} to {high} in 90% of plausible cases" in text["nissan-is-paid"]
        share = words.percent(a.assessment.verdicts["option_above_ampere"].share or 0)
        assert f"in {share} of plausible cases." in text["nissan-is-paid"]
    else:
        assert "the option's value has no range" in text["nissan-is-paid"]


def test_the_worked_example_is_the_result(a: ledger.Analysis) -> None:
    option = a.values["nissan_option_proceeds_eur_m"]
    assert f"= {words.tex(option, 1)}$" in a.texts["option"]
    assert f"that is **{words.money(option)}**" in a.texts["option"]
    assert option == pytest.approx(a.p.nissan_sells_renault_pct / 100 * a.facts["shares"]
                                   * a.p.renault_share_price_eur / 1e6)
    assert f"at most {a.facts['most']:.4g} points" in a.texts["option"]
    assert f"Nissan holds {words.plain(a.p.nissan_in_renault_pct)}% of Renault" in a.texts["option"]


def test_the_accounting_text_states_the_figures(a: ledger.Analysis) -> None:
    assert f"**{words.money(a.values['renault_nissan_accounting_charge_eur_bn'], 'EUR bn', 1)}**" in a.texts["charge"]
    assert f"Just Auto gives EUR {a.facts['charge_other']:g}bn" in a.texts["charge"]
    assert f"about EUR {a.facts['charge_july']:g}bn" in a.texts["charge"]


def test_the_robustness_text_is_the_assessment(a: ledger.Analysis) -> None:
    from alliancelib.uncertainty import robustness_sentence

    if a.assessment.held:
        assert "held there and the option's value has no range" in a.texts["robustness"]
    else:
        assert robustness_sentence(a.assessment, "option_above_ampere") in a.texts["robustness"]
        assert a.assessment.verdicts["option_above_ampere"].statement in a.texts["robustness"]


def test_the_ledger_and_its_counts(a: ledger.Analysis) -> None:
    table = a.tables["ledger"]
    assert len(table) == len(a.items) and set(table["ledger_party"]) <= set(ledger.PARTIES)
    assert int(a.values["ledger_items"]) == len({it.key for it in a.items})
    assert int(a.values["undisclosed_items"]) == len(ledger.unquantified(a.items))
    assert len(a.tables["unknown"]) == sum(not it.quantified for it in a.items)
    assert all(it.label and it.what for it in a.items)
    assert all(bool(it.size) == it.sized for it in a.items)


def test_the_charts_say_the_results(a: ledger.Analysis) -> None:
    option = words.about_eur_m(a.values["nissan_option_proceeds_eur_m"])
    assert a.texts["cash_title"].endswith(f"may raise about {option}; the Chennai price is undisclosed")
    assert a.texts["cash_alt"].startswith(a.texts["cash_title"] + ". Bars per party")
    assert a.texts["ranges_alt"].startswith(a.texts["ranges_title"] + ". One bar")
    assert "\n" in a.texts["ranges_xlabel"]  # the hard break of the template


# --------------------------------------------------------------------------- the words follow the data


def test_the_text_follows_the_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Figures once typed into the code and the markdown are read from data/: change them in a copy
    and the sentences, the ledger and the chart texts follow."""
    folder = tmp_path / "data"
    shutil.copytree(data.data_dir(), folder)
    facts = folder / "facts.csv"
    text = facts.read_text(encoding="utf-8")
    for old, new in (("nissan_block_5pct_eur_m_bloomberg,ownership,Bloomberg's estimate of what 5% of Renault "
                      "would raise,690,", "nissan_block_5pct_eur_m_bloomberg,ownership,Bloomberg's estimate of "
                      "what 5% of Renault would raise,695,"),
                     ("Impact of the India deal on Renault's 2025 free cash flow,200,",
                      "Impact of the India deal on Renault's 2025 free cash flow,250,")):
        assert old in text, old
        text = text.replace(old, new)
    facts.write_text(text, encoding="utf-8")
    holdings = folder / "shareholdings.csv"
    rows = holdings.read_text(encoding="utf-8")
    old_trust = "2024-10-03,from,Renault,Nissan,trust,18.66,"
    assert old_trust in rows
    holdings.write_text(rows.replace(old_trust, "2024-10-03,from,Renault,Nissan,trust,18.7,"), encoding="utf-8")
    monkeypatch.setenv("ALLIANCE_DATA_DIR", str(folder))
    a = ledger.analyse(ledger.validate_params(**defaults(ledger.LedgerParams)))
    found = {f.key: f.text for f in a.findings}
    assert "Bloomberg estimated about EUR 695m" in a.texts["option"]
    assert "the trust's 18.7% of Nissan is untouched" in found["renault-pays"]
    assert "**EUR 250m** off its 2025 free cash flow" in found["renault-pays"]
    assert "roughly EUR 250m hit" in a.texts["unknown_intro"]
    assert "Renault gives EUR 250m of free cash flow" in a.texts["cash_alt"]
    trust = next(it for it in a.items if it.key == "trust")
    assert trust.size == "18.7% of Nissan"
    assert a.values["renault_quantified_cash_eur_m"] == -250


# --------------------------------------------------------------------------- notebook 04 (Ampere)

from alliancelib.topics import ampere  # noqa: E402

AMPERE_NB = ampere.NOTEBOOK


def ampere_values(name: str) -> dict[str, Any]:
    """Notebook 04's parameters in one case: a corner of the plausible ranges, a scenario or a point."""
    if name in ("low", "high"):
        values = {}
        for f in fields_of(ampere.AmpereParams):
            pl = plausible_of(ampere.AmpereParams, f.name)
            if pl is not None and pl.low is not None and pl.high is not None:
                values[f.name] = pl.low if name == "low" else pl.high
        return values
    if name in ("cautious", "ambitious"):
        s = load_scenario(SCENARIOS_DIR / f"{name}.toml")
        names = {f.name for f in fields_of(ampere.AmpereParams)}
        return {**{k: v for k, v in s.shared.items() if k in names}, **s.notebooks.get(AMPERE_NB, {})}
    return AMPERE_POINTS[name]


AMPERE_POINTS: dict[str, dict[str, Any]] = {
    "defaults": {}, "ceiling binds": {"pre_money_eur_bn": 2.0}, "held": {"pre_money_eur_bn": 50.0},
    "no Mitsubishi money": {"mitsubishi_commitment_eur_m": 0.0, "nissan_stake_cap_pct": 5.0},
    "yen dearer at the date": {"eur_jpy": 200.0, "eur_usd": 1.2}}
AMPERE_CASES = ["defaults", "low", "high", "cautious", "ambitious", *list(AMPERE_POINTS)[1:]]


@pytest.fixture(scope="module", params=AMPERE_CASES)
def amp(request: pytest.FixtureRequest) -> ampere.Analysis:
    values = {**defaults(ampere.AmpereParams), **ampere_values(request.param)}
    return ampere.analyse(ampere.validate_params(**values))


def test_ampere_cases_differ() -> None:
    assert ampere_values("low") != ampere_values("high")
    assert ampere_values("cautious") != ampere_values("ambitious")


def test_ampere_every_block_renders_clean(amp: ampere.Analysis) -> None:
    blocks = prose.blocks(ampere.TOPIC)
    assert len(blocks) > 60
    for block in blocks:
        out = prose.render(ampere.TOPIC, block, **amp.context, amount_eur_m=600.0, stake_pct=15.0, jpy_bn=97.0)
        assert out.strip(), block
        assert "{{" not in out and "{%" not in out and "nan" not in out.split(), (block, out)
        assert not CODE_WORD.search(out.replace("\\frac", "")), (block, out)
        assert "  " not in out and out == out.strip(), (block, out)


def test_ampere_every_block_is_used() -> None:
    from alliancelib.topics.ampere import analysis as an

    used = set(an.TEXTS) | {f"caption_{k}" for k in an.CAPTIONS} | {"since", "unreached"}
    used |= {"finding_" + key.replace("-", "_") for key, _, _ in an.FINDINGS}
    used |= {f"no_range__{s.name}" for s in ampere.RESULTS if s.name not in ampere.RANGED}
    used |= {f"yen_moment__{key}" for key in an.MOMENTS}
    used |= {f"compared__{key}" for key in ("under_half", "half", "below", "at")}
    used |= {f"outcome__{status}" for status in ("superseded", "released", "withdrawn", "active")}
    used |= {"commitment_money", "commitment_stake", "conclusion_under_half_cap", "conclusion_cap_never_binds"}
    assert set(prose.blocks(ampere.TOPIC)) == used


def test_ampere_findings_state_the_results(amp: ampere.Analysis) -> None:
    v, found = amp.values, {f.key: f.text for f in amp.findings}
    stake = found["stake-at-ceo-valuation"]
    low, high = words.pct(v["nissan_stake_at_ceo_max_valuation_pct"]), words.pct(v["nissan_stake_at_ceo_min_valuation_pct"])
    assert f"**{low} to {high}**" in stake
    assert f"Nissan's {words.money(amp.p.nissan_commitment_eur_m)}" in stake
    assert f"\"up to {words.plain(amp.p.nissan_stake_cap_pct)}%\"" in stake
    assert f"**{words.eur_bn(v['valuation_implied_by_stake_cap_eur_bn'])}**" in found["cap-is-not-a-valuation"]
    assert f"**{words.money(v['nissan_commitment_jpy_bn'], 'JPY bn')}**" in found["yen-cost"]
    assert f"**{words.money(v['nissan_commitment_jpy_bn_latest'], 'JPY bn')}**" in found["yen-cost"]
    assert f"**{words.money(v['cancelled_commitments_eur_m'])}**" in found["no-outside-money"]
    assert f"**{words.pct(v['cancelled_share_of_renault_fcf_pct'], 0)}**" in found["no-outside-money"]
    assert [f.key for f in amp.findings if f.headline] == ["stake-at-ceo-valuation", "no-outside-money"]
    if amp.assessment.held:
        assert "so it is held there and nothing is drawn" in stake
    else:
        from alliancelib.uncertainty import robustness_sentence

        assert robustness_sentence(amp.assessment, "under_half_cap") in stake
        for con in amp.conclusions:
            assert robustness_sentence(amp.assessment, con) in amp.texts["robustness"]


def test_ampere_worked_example_is_the_result(amp: ampere.Analysis) -> None:
    v, p, t = amp.values, amp.p, amp.texts["stakes"]
    nissan = float(v["nissan_implied_stake_pct"])
    expected = min(p.nissan_commitment_eur_m / (p.pre_money_eur_bn * 1000 + p.nissan_commitment_eur_m
                                                 + p.mitsubishi_commitment_eur_m) * 100, p.nissan_stake_cap_pct)
    assert nissan == pytest.approx(expected)
    assert f"{words.format_number(nissan, 2)}" in t
    if nissan < p.nissan_stake_cap_pct - 1e-9:
        assert f"= {words.format_number(nissan, 2)}\\%$" in t
    else:
        assert f"holds {words.format_number(nissan, 2)}%" in t
    for name in ("nissan_stake_at_ceo_min_valuation_pct", "nissan_stake_at_ceo_max_valuation_pct"):
        assert f"**{words.format_number(v[name], 2)}%**" in t
    assert f"**{words.eur_bn(v['valuation_implied_by_stake_cap_eur_bn'])}**" in t
    assert words.pct(amp.facts["as_post_low"]) in amp.texts["pre_or_post"]
    assert words.pct(amp.facts["as_post_high"]) in amp.texts["pre_or_post"]


def test_ampere_yen_and_weight_texts_state_the_results(amp: ampere.Analysis) -> None:
    v, t = amp.values, amp.texts
    assert f"**{words.money(v['nissan_commitment_usd_m'], 'USD m')}**" in t["yen"]
    assert f"**{words.money(v['nissan_commitment_jpy_bn'], 'JPY bn', 1)}**" in t["yen"]
    assert f"**{words.money(v['nissan_commitment_jpy_bn_latest'], 'JPY bn', 1)}**" in t["yen"]
    change = float(v["nissan_commitment_jpy_change_pct"])
    assert f"{words.pct(abs(change))} {'more' if change >= 0 else 'less'} in its own currency" in t["yen"]
    assert f"**{words.pct(v['cancelled_share_of_renault_fcf_pct'], 0)}**" in t["weight"]
    assert f"({words.eur_bn(amp.facts['fcf'])}, reported on" in t["weight"]
    assert f"at least {words.eur_bn(amp.facts['guidance'])}" in t["weight"]


def test_ampere_ending_states_the_data() -> None:
    a = ampere.analyse(ampere.validate_params(**defaults(ampere.AmpereParams)))
    ending = a.texts["ending"]
    staff = (data.fact("ampere_staff_reuters_2026"), data.fact("ampere_staff_figaro_2026"),
             data.fact("ampere_staff_moving_2026"))
    assert "about {} (Reuters) or {} (Le Figaro), of whom {} change".format(
        *(words.format_number(x, 0) for x in staff)) in ending
    years = (data.fact("ampere_breakeven_target_year"), data.fact("ampere_breakeven_year_2026_report"))
    assert "{} in the 2023 targets, {} in a 2026 report".format(*(words.plain(y) for y in years)) in ending
    assert (a.facts["ceo_low"], a.facts["ceo_high"]) == (data.fact("ampere_ceo_valuation_low_eur_bn"),
                                                        data.fact("ampere_ceo_valuation_high_eur_bn"))
    assert a.tables["timeline"]["date"].iloc[0] == a.context["i"].nissan.committed_on
    assert a.context["events"]["fold_back_planned"] in set(a.tables["timeline"]["date"])


def test_ampere_text_follows_the_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Figures once typed into the code and the markdown are read from data/: change them in a copy
    and the sentences, the chart texts and the captions follow."""
    folder = tmp_path / "data"
    shutil.copytree(data.data_dir(), folder)
    facts = folder / "facts.csv"
    text = facts.read_text(encoding="utf-8")
    for old, new in (("Ampere staff (Le Figaro),12000,", "Ampere staff (Le Figaro),12500,"),
                     ("Renault FY2025 free cash flow (automotive),1.5,", "Renault FY2025 free cash flow (automotive),1.6,"),
                     ("De Meo's remark on Ampere's value: low end,8,", "De Meo's remark on Ampere's value: low end,7.5,")):
        assert old in text, old
        text = text.replace(old, new)
    facts.write_text(text, encoding="utf-8")
    claims = folder / "claims.csv"
    rows = claims.read_text(encoding="utf-8")
    assert ",fact,649,USD m," in rows
    claims.write_text(rows.replace(",fact,649,USD m,", ",fact,650,USD m,"), encoding="utf-8")
    monkeypatch.setenv("ALLIANCE_DATA_DIR", str(folder))
    a = ampere.analyse(ampere.validate_params(**defaults(ampere.AmpereParams)))
    found = {f.key: f.text for f in a.findings}
    assert "or 12,500 (Le Figaro)" in a.texts["ending"]
    assert "free cash flow of EUR 1.6bn" in found["no-outside-money"]
    assert "(EUR 1.6bn, reported on 19 February 2026)" in a.texts["weight"]
    assert found["stake-at-ceo-valuation"].startswith("At the CEO's EUR 7.5-10bn")
    assert a.texts["stakes_title"].startswith("At the CEO's EUR 7.5-10bn")
    assert "(the CEO's figures are EUR 7.5bn and EUR 10bn)" in a.captions["stakes"]
    assert "the article's USD 650m" in a.texts["yen"]


# --------------------------------------------------------------------------- notebook 03 (EV pricing)

from alliancelib.topics import pricing  # noqa: E402

PRICING_NB = pricing.NOTEBOOK


def pricing_values(name: str) -> dict[str, Any]:
    """Notebook 03's parameters in one case: a corner of the plausible ranges, a scenario or a point."""
    if name in ("low", "high"):
        values = {}
        for f in fields_of(pricing.PricingParams):
            pl = plausible_of(pricing.PricingParams, f.name)
            if pl is not None and pl.low is not None and pl.high is not None:
                values[f.name] = pl.low if name == "low" else pl.high
        return values
    if name in ("cautious", "ambitious"):
        s = load_scenario(SCENARIOS_DIR / f"{name}.toml")
        names = {f.name for f in fields_of(pricing.PricingParams)}
        return {**{k: v for k, v in s.shared.items() if k in names}, **s.notebooks.get(PRICING_NB, {})}
    return PRICING_POINTS[name]


PRICING_POINTS: dict[str, dict[str, Any]] = {
    "defaults": {}, "Germany, low income": {"market": "DE", "household": "low"}, "Italy": {"market": "IT"},
    "Belgium, price set": {"market": "BE", "twingo_price_eur": 21000.0},
    "incentive set": {"incentive_eur": 2000.0}, "dear, little driving": {"twingo_price_eur": 30000.0,
                                                                         "annual_km": 3000.0},
    "held": {"ev_residual_pct": 80.0, "pack_usd_per_kwh": 200.0}}
PRICING_CASES = ["defaults", "low", "high", "cautious", "ambitious", *list(PRICING_POINTS)[1:]]


@pytest.fixture(scope="module", params=PRICING_CASES)
def ev(request: pytest.FixtureRequest) -> pricing.Analysis:
    values = {**defaults(pricing.PricingParams), **pricing_values(request.param)}
    return pricing.analyse(pricing.validate_params(**values))


def test_pricing_cases_differ() -> None:
    assert pricing_values("low") != pricing_values("high")
    assert pricing_values("cautious") != pricing_values("ambitious")


def _pricing_extra(a: pricing.Analysis) -> dict[str, Any]:
    """The names a few blocks take besides the context (a rank, a share, an amount, a chart title)."""
    return {"rank": 3, "of": 7, "share": 0.6, "km": 12200.0, "amount_eur": 3500.0, "years": a.p.years,
            "title": "A title", "who": "lower-income", "tier": "income up to EUR 45,000", "article_eur": 20000.0,
            "vat_pct": 20.0, "article_date": "2025-04-01", "car": "Dacia Spring", "market_name": "France",
            "kind": "target", "per_km_eur": 80, "net_eur": 13500.0, "gap_eur": -3446.0,
            "de_cap_eur": 80000.0}


def test_pricing_every_block_renders_clean(ev: pricing.Analysis) -> None:
    blocks = prose.blocks(pricing.TOPIC)
    assert len(blocks) > 80
    ctx = {**ev.context, **_pricing_extra(ev)}
    for block in blocks:
        if block == "cheapest" and not ev.context["cheapest"]:
            continue  # no EV cheaper than the Twingo in this case: the section leaves the text out
        if block == "tornado" and not len(ev.tornado):
            continue
        if block.startswith("tornado_") and not len(ev.tornado):
            continue
        if block in ("finding_without_incentive",) and "toss" not in ev.context:
            continue  # no incentive in this case: the third finding is the resale one
        if block.startswith("incentive__") and block != f"incentive__{ev.p.market}":
            continue  # each market's scheme reads its own tiers
        out = prose.render(pricing.TOPIC, block, **ctx)
        assert out.strip(), block
        assert "{{" not in out and "{%" not in out and "nan" not in out.split(), (block, out)
        assert not CODE_WORD.search(out.replace("\\frac", "").replace("\\text", "")), (block, out)
        assert "  " not in out and out == out.strip(), (block, out)


def test_pricing_every_block_is_used() -> None:
    from alliancelib.topics.pricing import analysis as an
    from alliancelib.topics.pricing import tables

    used = set(an.TEXTS) | {"cheapest", "tornado"} | {f"caption_{k}" for k in an.CAPTIONS}
    used |= {f"{c}_{part}" for c in an.CHARTS for part in ("title", "alt", "source")}
    used |= {"since", "unreached", "battery_range", "equal_resale"}
    used |= {f"finding_{k}" for k in ("segment", "tco", "without_incentive", "resale", "battery")}
    used |= {f"conclusion_{c.key}" for c in pricing.conclusions(pricing.PricingParams())}
    used |= {f"no_range__{n}" for n in (*pricing.model.NO_RANGE, "other")}
    used |= {f"{kind}__{k}" for kind in ("rank", "low_rank") for k in ("cheapest", "dearest", "nth")}
    used |= {f"cases__{k}" for k in ("all", "none", "some")} | {f"toss__{k}" for k in ("win", "lose", "coin")}
    used |= {"deciding__resale_values", "deciding__none"}
    used |= {f"help__{k}" for k in ("energy", "maintenance", "resale", "incentive")}
    used |= {f"cheaper_from__{k}" for k in ("any", "never", "from")}
    used |= {f"incentive_words__{k}" for k in ("set", *pricing.MARKETS)}
    used |= {f"incentive__{m}" for m in pricing.MARKETS}
    used |= {f"incentive_role__{k}" for k in ("turns", "widens", "never", "some")}
    used |= {f"parts_row__{k}" for k in ("purchase", "energy", "maintenance", "resale", "total")}
    used |= {f"input__{k}" for k, _ in tables.TORNADO_ROWS} | {"tornado_end_per_year"}
    used |= {"household__label", "household__words", "household_set__label", "household_set__words",
             "no_incentive__label", "no_incentive__words"}
    used |= {f"breakeven__{k}" for k in ("any", "never", "from")}
    from alliancelib.topics.pricing import charts

    used |= {f"chart__{k}" for k in re.findall(r'label\("(\w+)"', inspect.getsource(charts))}
    used |= {f"chart__parts_legend__{k}" for k in ("purchase", "energy", "maintenance", "resale")}
    used |= {f"dollars_row__{k}" for k in ("article", "article_when", "announcement", "premiere", "chosen",
                                           "before_vat", "newest", "set")}
    assert set(prose.blocks(pricing.TOPIC)) == used


def test_pricing_findings_state_the_results(ev: pricing.Analysis) -> None:
    """What the notebook's asserts checked: each number a finding states is the result it names."""
    a, v, k = ev, ev.values, ev.facts
    text = {f.key: f.text for f in a.findings}
    eur = lambda x, d=0: words.money(x, "EUR", d)  # noqa: E731
    assert eur(v["twingo_price_analysed_eur"]) in text["segment"]
    assert eur(v["price_per_km_range_eur"]) + " per km of range" in text["segment"]
    from alliancelib.topics.pricing.analysis import nearest, rank_phrase

    assert rank_phrase(int(v["twingo_rank_in_market"]), k["n_listed"]) in text["segment"]
    assert words.format_number(v["km_per_kwh_battery"], 1) + " km" in text["segment"]
    assert (words.format_number(k["rivals_km_per_kwh_min"], 1) + " to "
            + words.format_number(k["rivals_km_per_kwh_max"], 1)) in text["segment"]
    assert f"about {eur(nearest(v['tco_gap_eur'], 100))}" in text["tco"] and f"{a.p.years} years" in text["tco"]
    assert eur(v["incentive_applied_eur"]) in text["tco"] or v["incentive_applied_eur"] == 0
    share = a.assessment.share("ev_cheaper")
    holds = share if v["tco_gap_eur"] < 0 else 1 - share
    assert words.percent(holds) in text["tco"] or "every plausible case" in text["tco"] \
        or "no plausible case" in text["tco"]
    assert v["ev_residual_breakeven_pct"] is None or words.pct(v["ev_residual_breakeven_pct"]) in text["tco"]
    third = a.findings[2]
    assert f"about {eur(nearest(v['ev_extra_resale_credit_eur'], 100))}" in third.text
    if v["incentive_applied_eur"] > 0:
        assert third.key == "without-incentive"
        assert f"about {eur(nearest(v['tco_gap_no_incentive_eur'], 10))}" in third.text
    assert words.pct(v["battery_cost_share_ex_vat_pct"], 0) in text["battery"]
    assert words.pct(v["battery_cost_share_pct"], 0) in text["battery"]
    assert [f.key for f in a.findings if f.headline] == ["segment", "tco"]


def test_pricing_sections_state_the_results(ev: pricing.Analysis) -> None:
    """The section texts, tables and charts agree with the results (the notebook's asserts, moved)."""
    from alliancelib.uncertainty import robustness_sentence

    a, v, k, t = ev, ev.values, ev.facts, ev.texts
    eur = lambda x, d=0: words.money(x, "EUR", d)  # noqa: E731
    assert eur(v["twingo_price_analysed_eur"]) in t["prices"]
    if a.price_row is not None:
        assert float(a.price_row["price_eur"]) == v["twingo_price_analysed_eur"]
    assert eur(v["price_per_km_range_eur"]) in t["segment"] and eur(v["price_per_kwh_eur"]) in t["segment"]
    market = a.tables["market"]
    assert market["pricing_rank"][market["pricing_car"] == "Renault Twingo"].iloc[0] == v["twingo_rank_in_market"]
    assert words.pct(v["battery_cost_share_ex_vat_pct"]) in t["battery"]
    assert words.pct(v["battery_cost_share_pct"]) in t["battery"]
    assert words.pct(k["europe_share_ex_vat"]) in t["battery"]
    assert f"USD {words.format_number(v['twingo_price_usd'], 0)}" in t["dollars"]
    assert f"USD {words.format_number(k['premiere_usd'], 0)}" in t["dollars"]
    if a.incentive.applies and a.p.incentive_eur is None:
        assert eur(a.incentive.amount_eur) in t["incentive"]
        assert a.tables["scheme"].set_index("household").at[a.p.household, "amount"] == v["incentive_applied_eur"]
    assert eur(v["tco_ev_eur"]) in t["tco"] and eur(v["tco_ice_eur"]) in t["tco"]
    assert eur(abs(v["tco_gap_eur"])) in t["tco"] and eur(abs(v["tco_gap_eur"])) in t["tco_example"]
    assert eur(v["ev_extra_resale_credit_eur"]) in t["tco"]
    assert words.tex(v["tco_ev_eur"]) in t["tco_example"] and words.tex(v["tco_ice_eur"]) in t["tco_example"]
    assert abs(a.tables["parts"]["pricing_difference_eur"].iloc[-1] - v["tco_gap_eur"]) < 1e-6
    cheapest = market[market["pricing_car"] != "Renault Twingo"].sort_values("price_eur")
    assert not t["cheapest"] or eur(cheapest["price_eur"].iloc[0]) in t["cheapest"]
    if v["ev_residual_breakeven_pct"] is not None:
        assert words.format_number(v["ev_residual_breakeven_pct"], 1) in t["resale"] \
            or words.pct(v["ev_residual_breakeven_pct"]) in t["resale"]
    whom = a.tables["for_whom"]
    assert whom["pricing_incentive_eur"].iloc[-1] == 0
    gaps = [abs(float(pricing.headline(a.p, incentive_eur=x)["tco_gap_eur"])) for x in whom["pricing_incentive_eur"]]
    assert eur(gaps[-1]) in t["for_whom"]
    assert len(gaps) == 1 or eur(max(gaps[:-1])) in t["for_whom"]
    assert all(robustness_sentence(a.assessment, c) in t["robustness"] for c in a.conclusions)
    assert len(a.tables["summary"]) == len(pricing.RESULTS)
    assert t["parts_title"] in t["parts_alt"] and t["map_title"] in t["map_alt"]


def test_pricing_facts_are_the_data() -> None:
    """The figures the texts quote are data/'s (the notebook's asserts on sourced values, moved)."""
    a = pricing.analyse(pricing.validate_params(**defaults(pricing.PricingParams)))
    k = a.facts
    packs = data.load("battery_prices").set_index(["year", "segment", "kind"])["pack_usd_per_kwh"]
    assert (k["all_2023"], k["all_2025"], k["lfp_2025"], k["forecast_2026"]) == (
        packs[(2023, "all", "survey")], packs[(2025, "all", "survey")], packs[(2025, "lfp", "survey")],
        packs[(2026, "all", "forecast")])
    assert k["europe_premium_pct"] == data.fact("battery_europe_premium_2025_pct")
    assert data.load("vat_rates").set_index("country").at[a.p.market, "vat_pct"] == k["vat"]
    article = data.load("claims").set_index("claim_id").loc["twingo_price_usd"]
    assert (k["article_eur"], k["article_usd"]) == (float(article["base_value"]), float(article["value"]))
    assert f"{words.plain(data.fact('twingo_development_months'))} months" in a.texts["china"]
    uk = a.tables["uk"]["value"]
    assert all(f"£{words.format_number(x, 0)}" in a.texts["uk"] for x in uk)
    assert a.tables["scheme"]["amount"].tolist() == sorted(a.tables["scheme"]["amount"], reverse=True)
    smallest = data.load("car_models").query("source_id == 'caradisiac_20260211'")["price_eur"].iloc[0] \
        - data.fact("twingo_fr_price_after_smallest_bonus_eur")
    assert f"implies EUR {words.format_number(smallest, 0)} for the Twingo" in a.texts["incentive"]


def test_pricing_text_follows_the_data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Figures once parsed out of notes or typed into the code and markdown are read from data/:
    change them in a copy and the sentences follow."""
    folder = tmp_path / "data"
    shutil.copytree(data.data_dir(), folder)
    facts = folder / "facts.csv"
    text = facts.read_text(encoding="utf-8")
    for old, new in (("above China's, 2025\",56,", "above China's, 2025\",60,"),
                     ("(Caradisiac)\",15870,", "(Caradisiac)\",15990,"),
                     ("about a day of opening,597,", "about a day of opening,600,"),
                     ("Twingo development time (target was two years),21,",
                      "Twingo development time (target was two years),22,"),
                     ("premium: largest amount,6000,", "premium: largest amount,6500,"),
                     ("income cap of the base tier (EUR 3,000)\",80000,", "income cap of the base tier (EUR 3,000)\",85000,")):
        assert old in text, old
        text = text.replace(old, new)
    facts.write_text(text, encoding="utf-8")
    monkeypatch.setenv("ALLIANCE_DATA_DIR", str(folder))
    a = pricing.analyse(pricing.validate_params(**defaults(pricing.PricingParams)))
    assert "plus 60%: about USD 134 by our arithmetic" in a.texts["battery"]
    assert "Europe's was 60% higher" in a.texts["battery_intro"]
    assert "\"EUR 15,990 with the smallest bonus\" implies EUR 3,500" in a.texts["incentive"]
    assert "developed in about 22 months" in a.texts["china"]
    italy = pricing.analyse(pricing.validate_params(**{**defaults(pricing.PricingParams), "market": "IT"}))
    assert "ecobonus money (EUR 600m)" in italy.texts["incentive"]
    germany = pricing.analyse(pricing.validate_params(**{**defaults(pricing.PricingParams), "market": "DE"}))
    assert "at most EUR 6,500" in germany.texts["incentive"] and "up to 85,000" in germany.texts["incentive"]
    assert "No incentive (Germany: incomes above 85,000)" in set(germany.tables["for_whom"]["pricing_household"])
