"""The front page's verdict (alliancelib.verdict): at most 150 words, dated, built on the base
scenario's results, each number a link to the report that computes it; no verdict rather than one
with a gap."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from alliancelib import index, verdict
from alliancelib.paths import NOTEBOOKS_DIR
from alliancelib.results import read_results
from alliancelib.runner import Outcome
from alliancelib.scenarios import Job, Scenario
from alliancelib.topics.ownership import stake_weight

NOTEBOOKS = ("01_ownership", "02_india_transfer", "05_deal_ledger")


def results() -> dict[str, dict[str, dict]]:
    """The committed notebooks' results, with 01's latest weight and stub from the stake model (as the
    notebook records them)."""
    out = {nb: read_results(NOTEBOOKS_DIR / f"{nb}.ipynb") for nb in NOTEBOOKS}
    w = stake_weight.weights()[-1]
    own = out["01_ownership"]
    own.setdefault(
        "stake_share_of_renault_value_latest_pct",
        {
            "name": "stake_share_of_renault_value_latest_pct",
            "unit": "%",
            "label": "Stake share, latest",
            "value": w.share_pct,
            "low": w.share_low_pct,
            "high": w.share_high_pct,
        },
    )
    own.setdefault(
        "renault_stub_value_latest_eur_bn",
        {
            "name": "renault_stub_value_latest_eur_bn",
            "unit": "EUR bn",
            "label": "Stub, latest",
            "value": w.stub_eur_bn,
            "low": w.stub_low_eur_bn,
            "high": w.stub_high_eur_bn,
        },
    )
    return out


def page(res: dict[str, dict[str, dict]]) -> str:
    outcomes = [
        Outcome(
            Job(
                "base",
                nb,
                NOTEBOOKS_DIR / f"{nb}.ipynb",
                {"renault_share_price_eur": 45.94, "nissan_sells_renault_pct": 5.0},
                {},
            ),
            True,
            1.0,
            "",
            res[nb],
        )
        for nb in res
    ]
    return index.render_index([Scenario("base")], outcomes, NOTEBOOKS_DIR)


class Section(HTMLParser):
    """The verdict section's visible text and its links (text -> href)."""

    def __init__(self) -> None:
        super().__init__()
        self.depth, self.text, self.links, self.href = 0, [], [], None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if tag == "section" and a.get("id") == "verdict":
            self.depth = 1
        elif self.depth and tag == "section":
            self.depth += 1
        if self.depth and tag == "a":
            self.href = a.get("href")

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag == "section":
            self.depth -= 1
        if tag == "a":
            self.href = None

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.text.append(data)
            if self.href:
                self.links.append((data, self.href))


def read(html: str) -> Section:
    s = Section()
    s.feed(html)
    return s


def test_the_verdict_opens_the_page_in_at_most_150_words_with_every_number_linked() -> None:
    html = page(results())
    assert html.index('id="verdict"') < html.index('id="key-findings"')
    s = read(html)
    text = " ".join("".join(s.text).split())
    assert verdict.words(text) <= verdict.MAX_WORDS, verdict.words(text)
    assert "News to 12 March 2026" in text or re.search(r"News to \d+ \w+ 20\d\d", text)
    assert "Our reading:" in text  # the judgement says whose it is
    linked = {t for t, _ in s.links}
    body = text.split("who came out ahead", 1)[1].split("News to")[0]
    for number in re.findall(r"(?:EUR )?−?\d[\d,.]*(?:–\d+)?(?:%|bn|m)?(?: to −?\d[\d.]*bn)?", body):
        if number in {"31", "2025", "2026", "51%"} or number.startswith(("31 ", "2025", "2026")):
            continue  # the date, and the stake sold (a fact the sentence states, not a result)
        assert any(number in t for t in linked), f"{number} has no link"
    for _, href in s.links:
        assert re.fullmatch(r"base/0[125]_[a-z_]+\.html(#[\w-]+)?", href), href
    assert ("EUR 600m", "base/05_deal_ledger.html#Commitments-avoided-or-forgone") in s.links


def test_the_numbers_are_the_results() -> None:
    res = results()
    v = verdict.build_verdict(
        "base",
        res,
        {"01_ownership": {"renault_share_price_eur": 45.94, "nissan_sells_renault_pct": 5.0}},
        "2026-03-12",
        {},
    )
    assert v is not None
    assert v.stake.text == f"{res['01_ownership']['renault_in_nissan_economic_pct']['value']:.1f}%"
    assert (v.weight_then.text, v.weight_now.text) == ("23%", "32–35%")
    assert v.stub.text == "EUR −1.4bn to −0.7bn"  # -1.35 to -0.65 and v.now_day == "February 2026"
    assert v.option.text == "EUR 680m" and v.price.text == "EUR 45.94" and v.points.text == "5 points"
    assert v.plant_before.text == "49%" and v.renault_cash.text == "about EUR 200m"


@pytest.mark.parametrize(
    "missing",
    [
        ("01_ownership", "renault_stub_value_latest_eur_bn"),
        ("05_deal_ledger", "nissan_ampere_commitment_avoided_eur_m"),
        ("02_india_transfer", None),
    ],
)
def test_no_verdict_rather_than_one_with_a_gap(missing: tuple[str, str | None]) -> None:
    res = results()
    nb, name = missing
    if name is None:
        del res[nb]
    else:
        del res[nb][name]
    assert verdict.build_verdict("base", res, {}, "2026-03-12", {}) is None
    assert 'id="verdict"' not in page(res) if name is not None else True


def test_a_number_links_to_its_section_where_the_report_has_it(tmp_path: Path) -> None:
    res = results()
    v = verdict.build_verdict("base", res, {}, "2026-03-12", {"01_ownership": ["What the stake weighs now"]})
    assert v is not None and v.weight_now.href == "base/01_ownership.html#What-the-stake-weighs-now"
    assert v.stake.href == "base/01_ownership.html"  # its section heading is not in that report
