"""The index page as a front page, from outcomes made here (no kernel): key findings first (the
base scenario's headline findings, linked to their report sections, no odds added), then the
notebooks, then the scenarios compared only where a reader compares them (one table: the compared
results that differ, a column per scenario, each cell linked to its report; no charts); plain
labels, dates apart, escaping, no probability words, and the empty cases."""

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
    assert first.href == "base/00_alpha.html#Why"
    assert 'href="base/00_alpha.html#The-sale"' in str(first.html)  # the link points into the report
    assert page.findings[3].href == "base/01_beta.html"
    assert (page.news_as_of, page.fx_as_of) == ("2026-06-01", "2026-09-01")  # the newest of each, apart
    html = index.render_index(scenarios, outcomes, folder)
    assert html.index("Key findings") < html.index("The notebooks") < html.index("Scenarios compared")
    assert html.index("Scenarios compared") < html.index("What each scenario changes")
    # a finding states its own flip condition: the page adds no share of cases beside it
    assert "plausible" not in visible(html) and "Can flip" not in visible(html)
    assert "News to 1 June 2026 · latest exchange rate used 1 September 2026" in visible(html)
    # why each report's own date differs from this page's, said once near the top
    top = visible(html.split('id="key-findings"', 1)[0])
    assert (
        "Each report is dated by its own newest source" in top and "this page's is the newest of them" in top
    )


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


def test_scenarios_compared_only_where_a_reader_compares_them(folder: Path) -> None:
    """One table: the compared results that differ between the scenarios (not those the same in
    all, not the rest), base first, each cell linked to its scenario's report; no chart."""
    names = ["cautious", "base", "ambitious"]
    values = {"base": 35.71, "cautious": 36.0, "ambitious": 30.5}
    outcomes = [
        outcome(
            folder,
            sc,
            "01_beta",
            results=[
                result(
                    "stake_pct", values[sc], label="Renault's stake", low=values[sc] - 2, high=values[sc] + 1
                ),
                result("same_pct", 12.0, label="The same everywhere"),
                result("other_pct", values[sc], label="Not compared"),
            ],
        )
        for sc in names
    ]
    compared = (("01_beta", "stake_pct"), ("01_beta", "same_pct"), ("02_gamma", "missing_pct"))
    rows = index.compared_rows(["base", "cautious", "ambitious"], outcomes, compared)
    assert [r.label for r in rows] == ["Renault's stake"]
    assert [(c.text, c.href) for c in rows[0].cells] == [
        ("35.7%", "base/01_beta.html"),
        ("36.0%", "cautious/01_beta.html"),
        ("30.5%", "ambitious/01_beta.html"),
    ]
    # a value the page writes alike is the same for a reader: no row
    close = [
        outcome(folder, sc, "01_beta", results=[result("stake_pct", 35.71 + i / 1000)])
        for i, sc in enumerate(names)
    ]
    assert index.compared_rows(names, close, compared) == []


def test_the_page_compares_the_results_readers_compare(folder: Path) -> None:
    names = ["ambitious", "base", "cautious"]
    gap = {"base": -3446.37, "cautious": 1200.0, "ambitious": -5100.0}
    nbs = {"03_ev_pricing": ("tco_gap_eur", "EUR", gap), "00_alpha": ("claims_total", "claims", None)}
    for nb in nbs:
        write_notebook(folder, nb, [], params="x: int = 1  # the input")
    outcomes = [
        outcome(
            folder,
            sc,
            nb,
            results=[
                result(name, by[sc] if by else 18, unit=unit, label=name.replace("_", " ").capitalize())
            ],
        )
        for sc in names
        for nb, (name, unit, by) in nbs.items()
    ]
    html = index.render_index([Scenario(n) for n in names], outcomes, folder)
    text = visible(html)
    assert "<svg" not in html and "<figure" not in html  # no mini-charts
    assert "Result base ambitious cautious" in text  # base first
    assert "Tco gap eur" in text and "−EUR 3,446 −EUR 5,100 EUR 1,200" in text
    assert 'href="cautious/03_ev_pricing.html">EUR 1,200</a>' in html
    assert "Claims total" not in text  # not a result readers compare across scenarios
    only_same = [o for o in outcomes if o.job.notebook == "00_alpha"]
    text = visible(index.render_index([Scenario(n) for n in names], only_same, folder))
    assert "The scenarios give the same values for the results a reader compares" in text


def test_one_scenario_lists_the_compared_results(folder: Path) -> None:
    write_notebook(folder, "03_ev_pricing", [], params="x: int = 1  # the input")
    outcomes = [
        outcome(folder, "default", "03_ev_pricing", results=[result("tco_gap_eur", -3446.37, "EUR", "Gap")])
    ]
    html = index.render_index([Scenario("default")], outcomes, folder)
    assert "<svg" not in html and "Headline results" in html
    assert '<td>Gap</td><td class="num"><a href="default/03_ev_pricing.html">−EUR 3,446</a>' in html


def test_it_works_with_no_findings_and_a_failed_notebook(folder: Path) -> None:
    outcomes = [
        outcome(folder, "base", "00_alpha", ok=False, error="RuntimeError: boom"),
        outcome(folder, "base", "01_beta", results=[result("share_pct", 1.0)]),
    ]
    html = index.render_index([Scenario("base")], outcomes, folder)
    text = visible(html)
    assert "No key findings yet" in text and "1 of 2 notebook runs failed" in text
    assert "failed: RuntimeError: boom" in text
    assert re.search(
        r"News to \d+ \w+ 20\d\d · latest exchange rate used \d+ \w+ 20\d\d", text
    )  # from the data


def test_everything_is_escaped(folder: Path) -> None:
    evil = "<script>alert(1)</script>"
    outcomes = [
        outcome(folder, "base", "00_alpha", ok=False, error=f"ValueError: {evil}"),
        outcome(
            folder,
            "base",
            "01_ownership",
            found=findings("01_ownership", [item("e", f"Text {evil} here.")]),
            results=[result("sale_proceeds_eur_m", 1.0, label=f"Label {evil}")],
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
        ),
        outcome(
            folder,
            "base",
            "01_ownership",
            results=[result("sale_proceeds_eur_m", 679.27, unit="EUR m", label=None)],
        ),
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
            outcome(
                folder, sc, "01_ownership", results=[result("sale_proceeds_eur_m", float(i), label="Sale")]
            )
            for i, sc in enumerate(names)
        ]
        html = index.render_index([Scenario(n) for n in names], outcomes, folder)
        shown = swatches(html)
        assert set(shown) == set(names)
        for sc, colour in shown.items():  # the compared table's column has the list's colour
            assert re.search(
                rf'<th class="num"><span class="swatch" style="background:{colour}"></span>{sc}</th>', html
            ), sc
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


def test_no_odds_on_the_front_page(folder: Path) -> None:
    """No "plausible cases", "N% of cases", "decides it" or "90%" anywhere a reader looks: the
    template's own words, and a page rendered with the verdict, findings, notebooks and scenarios."""
    from test_verdict import page as verdict_page
    from test_verdict import results as verdict_results

    from alliancelib.paths import TEMPLATES_DIR

    template = (TEMPLATES_DIR / index.TEMPLATE).read_text(encoding="utf-8")
    assert index.odds_words(template) == []
    html = verdict_page(verdict_results())
    assert 'id="verdict"' in html and index.odds_words(visible(html)) == []
    names = ["base", "cautious"]
    outcomes = [
        outcome(
            folder,
            sc,
            "01_ownership",
            results=[
                result("sale_proceeds_eur_m", 679.27 - 200 * (sc == "cautious"), "EUR m", "Sale", 460, 680)
            ],
            found=findings(
                "01_ownership",
                [item("s", "It raises **EUR 680m**; flips if the price falls below EUR 40.5.")],
            ),
        )
        for sc in names
    ]
    text = visible(index.render_index([Scenario(n) for n in names], outcomes, folder))
    assert "Scenarios compared" in text and index.odds_words(text) == []


def test_a_renamed_section_renders_the_index_again(tmp_path: Path) -> None:
    """The verdict links its numbers to report sections, so the build's key for keeping the last
    index holds each notebook's section headings: renaming one renders the index again."""
    from alliancelib import build

    path = write_notebook(tmp_path, "01_ownership", [])
    before = build._index_facts(path)
    assert "How it works" in str(before)
    text = path.read_text(encoding="utf-8").replace("## How it works", "## What it weighs")
    path.write_text(text, encoding="utf-8")
    assert build._index_facts(path) != before and "What it weighs" in str(build._index_facts(path))
