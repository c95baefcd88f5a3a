"""The index page as a front page, from outcomes made here (no kernel): key findings first (the
base scenario's headline findings, linked to their report sections, flips marked), then the
notebooks, then scenarios compared where they differ (a dot-and-range chart per result that
differs, one table for the rest); plain labels, dates apart, escaping, and the empty cases."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from buildkit import write_notebook

from alliancelib import index
from alliancelib.export import style_sheet
from alliancelib.results import CODE_WORD
from alliancelib.runner import Outcome
from alliancelib.scenarios import Job, Scenario


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    nbs = tmp_path / "notebooks"
    write_notebook(nbs, "00_alpha", [], params="x: int = 1  # the input; a count")
    write_notebook(nbs, "01_beta", [], params="x: int = 1  # the input")
    write_notebook(nbs, "02_gamma", [], params="x: int = 1  # the input")
    return nbs


def item(
    key: str,
    text: str,
    headline: bool = True,
    anchor: str = "Why",
    flips: bool = False,
    holds: float | None = None,
) -> dict[str, Any]:
    return {
        "key": key,
        "text": text,
        "html": "",
        "anchor": anchor,
        "headline": headline,
        "holds_pct": holds,
        "flips": flips,
    }


def findings(
    nb: str, items: list[dict[str, Any]], news: str = "2026-04-29", fx: str = "2026-08-21"
) -> dict[str, Any]:
    return {"notebook": nb, "news_as_of": news, "fx_as_of": fx, "since": "Nothing.", "items": items}


def result(
    name: str,
    value: Any,
    unit: str = "%",
    label: str | None = "A share",
    low: float | None = None,
    high: float | None = None,
) -> dict[str, Any]:
    r: dict[str, Any] = {"name": name, "value": value, "unit": unit}
    if label is not None:
        r["label"] = label
    if low is not None:
        r["low"], r["high"] = low, high
    return r


def outcome(
    folder: Path,
    scenario: str,
    nb: str,
    results: list[dict[str, Any]] | None = None,
    found: dict[str, Any] | None = None,
    ok: bool = True,
    error: str = "",
    overrides: dict[str, Any] | None = None,
) -> Outcome:
    job = Job(scenario, nb, folder / f"{nb}.ipynb", {"x": 1, **(overrides or {})}, overrides or {})
    return Outcome(job, ok, 1.0, error, {r["name"]: r for r in results or []}, findings=found)


class Visible(HTMLParser):
    """The text a reader sees (no style, script or title; SVG text included), blocks apart."""

    INLINE = ("a", "strong", "em", "span", "code", "small", "b", "i")

    def __init__(self) -> None:
        super().__init__()
        self.skip = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.skip += tag in ("style", "script", "title")
        if tag not in self.INLINE:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        self.skip -= tag in ("style", "script", "title")
        if tag not in self.INLINE:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.parts.append(data)


def visible(html: str) -> str:
    parser = Visible()
    parser.feed(html)
    return " ".join("".join(parser.parts).split())


def test_key_findings_open_the_page_linked_to_their_sections(folder: Path) -> None:
    scenarios = [Scenario("base", "The base case"), Scenario("cautious", "Careful")]
    outcomes = [
        outcome(
            folder,
            "base",
            "00_alpha",
            found=findings(
                "00_alpha",
                [
                    item(
                        "a1", "Alpha raises **EUR 679m**, see [the sale](#The-sale).", flips=True, holds=71.4
                    ),
                    item("a2", "Alpha's second headline.", flips=True, holds=99.96),
                    item("a3", "Alpha detail.", headline=False),
                ],
            ),
        ),
        outcome(
            folder,
            "base",
            "01_beta",
            found=findings(
                "01_beta",
                [item("b1", "Beta's headline.", anchor=""), item("b2", "Beta detail.", headline=False)],
                news="2026-05-02",
                fx="2026-08-20",
            ),
        ),
        outcome(
            folder,
            "cautious",
            "00_alpha",
            found=findings(
                "00_alpha", [item("c1", "Not the base case.")], news="2026-06-01", fx="2026-09-01"
            ),
        ),
    ]
    page = index.front_page(scenarios, outcomes, folder)
    texts = [visible(str(f.html)) for f in page.findings]
    # three headline findings, topped up to five with the others (the cautious scenario's are not used)
    assert texts == [
        "Alpha raises EUR 679m, see the sale.",
        "Alpha's second headline.",
        "Alpha detail.",
        "Beta's headline.",
        "Beta detail.",
    ]
    first = page.findings[0]
    assert first.href == "base/00_alpha.html#Why" and first.flips and first.holds_pct == 71.4
    assert 'href="base/00_alpha.html#The-sale"' in str(first.html)  # the link points into the report
    assert page.findings[3].href == "base/01_beta.html"
    assert (page.news_as_of, page.fx_as_of) == ("2026-06-01", "2026-09-01")  # the newest of each, apart
    html = index.render_index(scenarios, outcomes, folder)
    assert html.index("Key findings") < html.index("The notebooks") < html.index("Scenarios compared")
    assert "Can flip: holds in 71% of plausible cases" in visible(html)
    # said as the report says it: never a rounded "100%" beside a flag that it can flip
    assert "Can flip: holds in more than 99% of plausible cases" in visible(html)
    assert "holds in 100%" not in visible(html)
    assert "News to 2026-06-01 · latest exchange rate used 2026-09-01" in visible(html)


def test_at_most_eight_findings_taken_in_turn_from_each_notebook(folder: Path) -> None:
    outcomes = [
        outcome(
            folder,
            "base",
            nb,
            found=findings(nb, [item(f"{nb[-1]}{i}", f"Finding {nb[3:]} {i}.") for i in range(4)]),
        )
        for nb in ("00_alpha", "01_beta", "02_gamma")
    ]
    page = index.front_page([Scenario("base")], outcomes, folder)
    assert len(page.findings) == 8
    counts = {
        nb: sum(f.href.startswith(f"base/{nb}") for f in page.findings)
        for nb in ("00_alpha", "01_beta", "02_gamma")
    }
    assert counts == {"00_alpha": 3, "01_beta": 3, "02_gamma": 2}


def test_scenarios_compared_where_they_differ(folder: Path) -> None:
    names = ["base", "cautious", "ambitious"]
    values = {"base": 35.71, "cautious": 36.0, "ambitious": 30.5}
    outcomes = [
        outcome(
            folder,
            sc,
            "00_alpha",
            results=[
                result(
                    "stake_pct", values[sc], label="Renault's stake", low=values[sc] - 2, high=values[sc] + 1
                ),
                result("claims_total", 17, unit="claims", label="Claims checked"),
                result("no_label_eur_m", 5.0, unit="EUR m", label=None),
            ],
        )
        for sc in names
    ]
    page = index.front_page([Scenario(n) for n in names], outcomes, folder)
    (group,) = page.results
    assert [c.label for c in group.charts] == ["Renault's stake"]
    assert [(ln.label, ln.value) for ln in group.lines] == [
        ("Claims checked", "17 claims"),
        ("No label (EUR m)", "EUR 5.00m"),
    ]
    (chart,) = group.charts
    assert [d.scenario for d in chart.rows] == names  # one dot per scenario
    dots = {d.scenario: d for d in chart.rows}
    assert dots["ambitious"].x < dots["base"].x < dots["cautious"].x  # positions follow the values
    assert all(d.low is not None and d.low < d.x < d.high for d in chart.rows)  # the range as a bar
    assert chart.x0 <= min(d.low for d in chart.rows) and max(d.high for d in chart.rows) <= chart.x1
    html = index.render_index([Scenario(n) for n in names], outcomes, folder)
    assert html.count("<circle ") == 3 and html.count("<rect ") == 3
    assert html.count("Claims checked") == 1  # the same in every scenario: listed once
    assert 'role="img" aria-label="Renault&#39;s stake: base 35.7% (range 33.7–36.7)' in html


def test_one_scenario_lists_every_result_with_its_range(folder: Path) -> None:
    outcomes = [
        outcome(
            folder,
            "default",
            "00_alpha",
            results=[result("stake_pct", 35.71, label="Renault's stake", low=33.0, high=37.0)],
        )
    ]
    html = index.render_index([Scenario("default")], outcomes, folder)
    assert "<svg" not in html and "Headline results" in html
    assert re.search(
        r"<td>Renault&#39;s stake</td><td class=\"num\">35.7%</td><td class=\"range\">33.0–37.0</td>", html
    )


def test_it_works_with_no_findings_and_a_failed_notebook(folder: Path) -> None:
    outcomes = [
        outcome(folder, "base", "00_alpha", ok=False, error="RuntimeError: boom"),
        outcome(folder, "base", "01_beta", results=[result("share_pct", 1.0)]),
    ]
    html = index.render_index([Scenario("base")], outcomes, folder)
    text = visible(html)
    assert "No key findings yet" in text and "1 of 2 notebook runs failed" in text
    assert "failed: RuntimeError: boom" in text
    assert "News to 2" in text and "latest exchange rate used 2" in text  # dates from the data itself


def test_everything_is_escaped(folder: Path) -> None:
    evil = "<script>alert(1)</script>"
    outcomes = [
        outcome(folder, "base", "00_alpha", ok=False, error=f"ValueError: {evil}"),
        outcome(
            folder,
            "base",
            "01_beta",
            found=findings("01_beta", [item("e", f"Text {evil} here.")]),
            results=[result("share_pct", 1.0, label=f"Label {evil}")],
        ),
    ]
    html = index.render_index([Scenario("base", f"Described {evil}")], outcomes, folder)
    assert "<script>" not in html
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 4  # description, error, finding, label


def test_parameters_and_results_read_in_words(folder: Path) -> None:
    outcomes = [
        outcome(
            folder,
            "base",
            "00_alpha",
            overrides={"x": 400000},
            results=[result("sale_proceeds_eur_m", 679.27, unit="EUR m", label=None)],
        )
    ]
    text = visible(index.render_index([Scenario("base", "Base")], outcomes, folder))
    assert "Changed from the defaults (the base case): Alpha: The input: 400,000" in text
    assert "Sale proceeds (EUR m)" in text and "EUR 679m" in text
    assert not CODE_WORD.search(text.replace("results.json", "")), CODE_WORD.findall(text)


def test_the_page_prints_like_the_reports(folder: Path) -> None:
    html = index.render_index([Scenario("base")], [outcome(folder, "base", "00_alpha")], folder)
    assert style_sheet("print.css") in html and "@media print" in html


def test_humanise_and_plain_values() -> None:
    assert (
        index.humanise("look_through_renault_holders_in_mmc_pct") == "Look through renault holders in mmc (%)"
    )
    assert index.plain_value(True) == "yes" and index.plain_value(19490.0) == "19,490"


def test_a_parameter_reads_with_its_label_and_unit(monkeypatch: pytest.MonkeyPatch) -> None:
    from dataclasses import dataclass

    from alliancelib import notebooks as nbs
    from alliancelib.params import Number, param

    @dataclass(frozen=True)
    class PriceParams:
        share_price_eur: float = param(
            45.94, Number(minimum=0), "share price, EUR", label="Renault share price", unit="EUR"
        )

    monkeypatch.setattr(nbs, "params_class", lambda notebook: PriceParams)
    assert index.param_value("99_price", "share_price_eur", 46.67) == "EUR 46.67"
    assert (
        index.param_label("99_price", Path("/nonexistent.ipynb"), "share_price_eur") == "Renault share price"
    )


def test_scenario_values_in_a_readers_words() -> None:
    """The scenario list says "Germany", "Renault (buyback)", "EUR 9bn", not DE, renault, 9."""
    assert index.param_value("03_ev_pricing", "market", "DE") == "Germany"
    assert index.param_value("03_ev_pricing", "household", "low") == "lower-income"
    assert index.param_value("01_ownership", "buyer", "renault") == "Renault (buyback)"
    assert index.param_value("05_deal_ledger", "buyer", "third_party") == "a third party (market sale)"
    assert index.param_value("04_ampere_investment", "pre_money_eur_bn", 9.0) == "EUR 9bn"


def test_a_malformed_findings_record_does_not_break_the_page(folder: Path) -> None:
    outcomes = [
        outcome(
            folder,
            "base",
            "00_alpha",
            found=findings(
                "00_alpha",
                [item("a", "See [the file](notes.md) <b>now</b>."), {"key": "no-text"}, "not an item"],
            ),
        )
    ]
    page = index.front_page([Scenario("base")], outcomes, folder)
    assert [str(f.html) for f in page.findings] == ["See [the file](notes.md) &lt;b&gt;now&lt;/b&gt;."]


def swatches(html: str) -> dict[str, str]:
    """Each scenario's colour as the page's scenario list shows it."""
    return dict(
        re.findall(
            r'<li id="scenario-([a-z0-9_-]+)"><span class="swatch" style="background:(#[0-9a-f]{6})"', html
        )
    )


def test_a_scenario_keeps_its_colour_whatever_else_is_built(folder: Path) -> None:
    """A colour depends on the scenario's own name: the three of scenarios/ have their own, and
    adding or removing another scenario recolours none of the rest (the user trial's analyst
    scenario turned cautious from green to purple)."""

    def page(names: list[str]) -> dict[str, str]:
        outcomes = [
            outcome(folder, sc, "00_alpha", results=[result("stake_pct", float(i), label="Stake")])
            for i, sc in enumerate(names)
        ]
        html = index.render_index([Scenario(n) for n in names], outcomes, folder)
        shown = swatches(html)
        assert set(shown) == set(names)
        for sc, colour in shown.items():  # the chart's dot has the list's colour
            assert re.search(rf'<circle [^>]*fill="{colour}"', html), sc
        return shown

    three = page(["base", "cautious", "ambitious"])
    assert three == {"base": "#1f5f8b", "cautious": "#2e7d32", "ambitious": "#b3541e"}
    four = page(["base", "cautious", "ambitious", "analyst"])
    assert {k: four[k] for k in three} == three and four["analyst"] not in three.values()
    assert page(["analyst", "cautious"]) == {"analyst": four["analyst"], "cautious": three["cautious"]}
    more = page(["ambitious", "analyst", "x1", "x2", "zz-top", "my_case"])
    assert {k: more[k] for k in ("ambitious", "analyst")} == {
        "ambitious": three["ambitious"],
        "analyst": four["analyst"],
    }
    others = {index.colour_of(f"case-{i}") for i in range(40)}
    assert others == set(index.OTHER_COLOURS)  # every other colour gets used; none of the fixed three


def test_a_colour_is_the_same_in_every_process() -> None:
    """Not Python's salted hash(): the pick is the same under any PYTHONHASHSEED."""
    import subprocess
    import sys

    code = (
        "from alliancelib.index import colour_of; print([colour_of(n) for n in ('analyst', 'x1', 'tight')])"
    )
    seen = {
        subprocess.run(
            [sys.executable, "-c", code],
            env={"PYTHONHASHSEED": seed, "PATH": ""},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(seen) == 1 and seen == {f"{[index.colour_of(n) for n in ('analyst', 'x1', 'tight')]}\n"}


def test_each_scenario_says_what_it_starts_from(folder: Path) -> None:
    scenarios = [
        Scenario("base", "Base"),
        Scenario("cautious", "Cautious"),
        Scenario("tight", "Tight", parent=Scenario("cautious")),
        Scenario("mine", "Mine"),
    ]
    changed = {"cautious": {"x": 2}, "tight": {"x": 3}}
    outcomes = [outcome(folder, sc.name, "00_alpha", overrides=changed.get(sc.name)) for sc in scenarios]
    text = visible(index.render_index(scenarios, outcomes, folder))
    assert "base: Base The base case: every parameter at its default." in text
    assert "cautious: Cautious Starts from base. Changed from base: Alpha: The input: 2" in text
    assert "tight: Tight Starts from cautious. Changed from base: Alpha: The input: 3" in text
    assert "mine: Mine Starts from base. Every parameter as in base." in text
