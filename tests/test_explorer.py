"""The what-if explorer (``from alliancelib import explore``), driven without a browser: one control
per parameter over its plausible range, the findings and the main chart follow every change, a
refused value or combination shows its one line, and the main chart is drawn again only when a
parameter it depends on changes."""

from __future__ import annotations

import datetime as dt
import importlib
import re

import pytest

from alliancelib import explore, explorer, notebooks, params
from alliancelib.errors import AllianceError, ParameterError

NOTEBOOKS = list(notebooks.discover())


@pytest.fixture(scope="module")
def pricing_view():
    """One explorer of 03, shared by the tests that reset it first."""
    return explore("03_ev_pricing").explorer


def test_every_notebook_has_a_control_per_parameter_over_its_plausible_range() -> None:
    assert NOTEBOOKS == list(notebooks.PARAMS)
    for name in NOTEBOOKS:
        nb = explorer.notebook(name)
        at_defaults = nb.module.analyse(nb.module.validate_params(**params.defaults(nb.cls)))
        specs = {c.name: c for c in explorer.controls(nb, explorer.looked_up(nb, at_defaults))}
        assert list(specs) == [f.name for f in params.fields_of(nb.cls)], name
        for field in params.fields_of(nb.cls):
            c, spec, plausible = (
                specs[field.name],
                field.metadata["spec"],
                params.plausible_of(nb.cls, field.name),
            )
            inner = spec.inner if isinstance(spec, params.Optional) else spec
            where = f"{name}.{field.name}"
            assert c.automatic == isinstance(spec, params.Optional), where
            if c.automatic:  # None-able: the value looked up is known to the explorer
                assert field.name in explorer.AUTOMATIC[name], where
            if isinstance(inner, params.Choice):
                assert c.kind == "choice" and [v for _, v in c.options] == list(inner.options), where
                assert all(words and "_" not in words for words, _ in c.options), where  # plain words
            elif isinstance(inner, params.IsoDate):
                assert c.kind == ("choice" if plausible else "date"), where
                if plausible:
                    assert [v for _, v in c.options] == list(plausible.options), where
                elif inner.bounds is not None:
                    assert (c.low, c.high) == tuple(d.isoformat() for d in inner.bounds()), where
            else:
                assert c.kind == ("int" if isinstance(inner, params.Integer) else "float"), where
                if plausible is not None and plausible.varies:
                    assert (c.low, c.high) == (plausible.low, plausible.high), where
                assert c.low < c.high and c.step > 0, where
                for end in (c.low, c.high):  # both ends are values validation allows
                    inner.check(end)
                if c.default is not None:
                    assert c.low <= c.default <= c.high, where
                    assert abs((c.default - c.low) / c.step - round((c.default - c.low) / c.step)) < 1e-6, (
                        where
                    )


def test_sliders_without_a_plausible_range_run_from_none_to_twice_the_default() -> None:
    own = {c.name: c for c in explorer.controls(explorer.notebook("01_ownership"))}
    assert (own["nissan_sells_renault_pct"].low, own["nissan_sells_renault_pct"].high) == (0.0, 10.0)
    assert (own["lockup_threshold_pct"].low, own["lockup_threshold_pct"].high) == (0.0, 20.0)
    # within what validation allows: a value of at least EUR 0.01bn, on the slider's grid
    cap = own["nissan_market_cap_usd_bn"]
    assert cap.low == cap.step == 0.02 and cap.high == pytest.approx(18.68)
    india = {c.name: c for c in explorer.controls(explorer.notebook("02_india_transfer"))}
    assert india["stake_acquired_pct"].low > 0  # the spec excludes 0
    assert india["new_models"].kind == "int" and (india["new_models"].low, india["new_models"].high) == (1, 3)


def test_explore_returns_a_widget_jupyterlab_shows() -> None:
    widget = explore("05_deal_ledger")
    bundle = widget._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    view = widget.explorer
    assert set(view.controls) == {f.name for f in params.fields_of(notebooks.params_class("05_deal_ledger"))}
    assert 'aria-label="Key findings"' in view.findings.value and view.status.value == ""
    assert "af-more" not in view.findings.value  # no "More" link to a section that is not there
    assert bytes(view.chart.value).startswith(b"\x89PNG")


def test_a_change_redraws_the_findings(pricing_view) -> None:
    view = pricing_view
    view.reset()
    before = view.findings.value
    assert "12,000 km a year" in before
    view.controls["annual_km"].value = 20000.0
    assert view.status.value == ""
    assert view.findings.value != before and "20,000 km a year" in view.findings.value
    view.controls["years"].value = 8
    assert "Over <strong>8 years</strong>" in view.findings.value


def test_a_refused_combination_shows_its_one_line_and_the_last_good_outputs_dimmed() -> None:
    view = explore("01_ownership").explorer
    findings, chart = view.findings.value, bytes(view.chart.value)
    view.controls["nissan_sells_renault_pct"].value = 8.0  # below the 10% lock-up
    status = re.sub(r"<[^>]+>", "", view.status.value)
    line = status.split(" (the findings and chart below")[0]
    with pytest.raises(ParameterError) as refused:
        params_now = {**params.defaults(view.nb.cls), "nissan_sells_renault_pct": 8.0}
        view.nb.module.validate_params(**params_now)
    assert line.replace("&#x27;", "'") == f"ParameterError: {refused.value}"
    assert "\n" not in view.status.value and "Traceback" not in view.status.value
    assert view._outputs.layout.opacity == "0.35"
    assert (view.findings.value, bytes(view.chart.value)) == (findings, chart)  # the last values allowed
    view.controls["nissan_sells_renault_pct"].value = 3.0
    assert view.status.value == "" and view._outputs.layout.opacity == "1"
    assert "Selling 3 points of Renault raises Nissan" in view.findings.value


def test_a_cleared_date_and_a_date_without_data_are_one_line_errors() -> None:
    view = explore("01_ownership").explorer
    view.controls["as_of"].value = None
    assert "ParameterError: 01_ownership: parameter as_of = None is not allowed" in view.status.value
    view.controls["as_of"].value = dt.date(2025, 6, 30)
    assert view.status.value == "" and view.values()["as_of"] == "2025-06-30"


def test_automatic_shows_the_value_looked_up_and_can_be_overridden(pricing_view) -> None:
    view = pricing_view
    view.reset()
    price, box = view.controls["twingo_price_eur"], view.automatic["twingo_price_eur"]
    assert box.value and price.disabled and price.value == 19490  # France's reported price
    view.controls["market"].value = "DE"
    assert price.value == 19990 and view.values()["twingo_price_eur"] is None
    box.value = False
    assert not price.disabled
    price.value = 17990.0
    assert view.values()["twingo_price_eur"] == 17990.0
    assert "EUR 17,990" in view.findings.value
    view.set(twingo_price_eur=None, market="FR")
    assert view.automatic["twingo_price_eur"].value and price.value == 19490
    assert "EUR 19,490" in view.findings.value


def test_the_chart_follows_the_parameters_it_depends_on_and_only_those() -> None:
    view = explore("05_deal_ledger").explorer
    first, drawn = bytes(view.chart.value), view.charts_drawn
    view.controls["renault_share_price_eur"].value = 35.0  # the option's amount: not in the dividends chart
    assert bytes(view.chart.value) == first and view.charts_drawn == drawn
    assert view.status.value == "" and view.values()["renault_share_price_eur"] == 35.0
    view.controls["nissan_in_renault_pct"].value = 15.2  # the stake the dividends are paid on
    assert bytes(view.chart.value) != first and view.charts_drawn == drawn + 1
    view.controls["nissan_in_renault_pct"].value = 15.0
    assert bytes(view.chart.value) == first and view.charts_drawn == drawn + 1  # kept, not drawn again


def test_unknown_notebook_or_parameter_is_a_clear_error() -> None:
    with pytest.raises(AllianceError, match=r"no notebook '07_nothing'; notebooks: 00_claims_and_timeline, "):
        explore("07_nothing")
    with pytest.raises(AllianceError, match=r"01_ownership has no parameter price; parameters: as_of, "):
        explore("01_ownership", price=3)
    view = explore("04_ampere_investment.ipynb", pre_money_eur_bn=8.0).explorer
    assert view.controls["pre_money_eur_bn"].value == 8.0 and "8" in view.findings.value
    with pytest.raises(AllianceError, match="has no parameter years"):
        view.set(years=3)
    # starting values the notebook refuses: its own error, as its parameters cell gives it
    with pytest.raises(
        ParameterError, match=r"^00_claims_and_timeline: parameter reference_date = '2025-02-30'"
    ):
        explore("00_claims_and_timeline", reference_date="2025-02-30")
    with pytest.raises(ParameterError, match="parameter nissan_sells_renault_pct = 8"):
        explore("01_ownership", nissan_sells_renault_pct=8)
    # a day the drop-down of plausible days does not offer joins it
    claims = explore("00_claims_and_timeline", reference_date="2025-06-30").explorer
    assert claims.controls["reference_date"].value == "2025-06-30" and claims.status.value == ""
    assert ("30 June 2025", "2025-06-30") in claims.controls["reference_date"].options
    claims.set(reference_date="2025-03-28")
    assert claims.values()["reference_date"] == "2025-03-28" and "28 March 2025" in claims.findings.value


def other_values(c: explorer.Control) -> list:
    """A value of the control other than its default: the slider's farther end, the other options,
    a later date."""
    if c.kind == "choice":
        return [v for _, v in c.options if v != c.default]
    if c.kind == "date":
        return [(dt.date.fromisoformat(c.default) + dt.timedelta(days=92)).isoformat()]
    if c.default is None:
        return [c.low + (c.high - c.low) * 0.6]
    return [c.low if c.default - c.low > c.high - c.default else c.high]


@pytest.mark.slow
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_main_chart_params_name_every_parameter_that_changes_the_chart(name: str) -> None:
    """Every parameter left out of MAIN_CHART_PARAMS leaves the main chart byte-identical (or is refused)
    when moved over its control: the explorer may keep the chart it drew."""
    from alliancelib import charts

    module = importlib.import_module(notebooks.PARAMS[name].partition(":")[0])

    def png(values: dict) -> bytes | None:
        try:
            p = module.validate_params(**values)
        except ParameterError:
            return None
        chart = module.main_chart(module.analyse(p))
        charts.add_source(chart.figure, chart.source)
        return explorer.quick_png(chart.figure)

    nb = explorer.notebook(name)
    base = params.defaults(nb.cls)
    at_defaults = png(base)
    assert set(module.MAIN_CHART_PARAMS) <= set(base)
    looked_up = explorer.looked_up(nb, module.analyse(module.validate_params(**base)))
    for c in explorer.controls(nb, looked_up):
        if c.name in module.MAIN_CHART_PARAMS:
            continue
        for value in other_values(c):
            drawn = png({**base, c.name: value})
            assert drawn in (None, at_defaults), f"{name}: {c.name} = {value!r} changes the main chart"


def test_the_readme_example_runs_and_its_error_line_is_real() -> None:
    from alliancelib.paths import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Explore in JupyterLab", 1)[1].split("\n## ", 1)[0]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    names = re.findall(r'"(\d\d_[a-z_]+)"', code)
    assert names and set(names) <= set(NOTEBOOKS)
    *lines, last = [ln.split("  #")[0] for ln in code.strip().splitlines()]
    scope: dict = {}
    exec("\n".join(lines), scope)  # noqa: S102 - the README's own example
    widget = eval(last, scope)  # noqa: S307 - its last line, what JupyterLab shows
    assert "application/vnd.jupyter.widget-view+json" in widget._repr_mimebundle_()
    shown = re.search(
        r"`(ParameterError: 01_ownership: parameter nissan_sells_renault_pct = 8\.0 is not "
        r"allowed:\s+0 to 5 points at a 10% lock-up: )\.\.\.`",
        section,
    )
    view = explore("01_ownership").explorer
    view.controls["nissan_sells_renault_pct"].value = 8.0
    assert " ".join(shown.group(1).split()) in view.status.value
    starts = re.search(r'`explore\("01_ownership", renault_share_price_eur=38\.5\)`', section)
    assert (
        starts
        and explore("01_ownership", renault_share_price_eur=38.5)
        .explorer.controls["renault_share_price_eur"]
        .value
        == 38.5
    )
    assert "*Back to the defaults*" in section and "automatic" in section


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_every_notebook_explores(name: str) -> None:
    """Each notebook's explorer opens at its defaults with its findings box as the notebook shows it
    (less the "More" links) and its main chart, and a move of a control redraws the findings."""
    from alliancelib import findings

    view = explore(name).explorer
    nb = view.nb
    a = nb.module.analyse(nb.module.validate_params(**params.defaults(nb.cls)))
    box = findings.findings_bundle(
        name, a.findings, since=a.since, news_as_of=a.news_as_of, fx_as_of=a.fx_as_of
    )["text/html"]
    assert re.sub(r' <a class="af-more" href="#[^"]*">More</a>', "", box) == view.findings.value
    assert bytes(view.chart.value).startswith(b"\x89PNG") and view.charts_drawn == 1
    before = view.findings.value
    for c in view.specs:  # the first move the notebook allows that its findings show
        for value in other_values(c):
            view.set(**{c.name: value})
            if view.status.value == "" and view.findings.value != before:
                return
            view.reset()
    pytest.fail(f"{name}: no control moved the findings")
