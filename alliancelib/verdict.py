"""The front page's verdict: who gave what on 31 March 2025, and who came out ahead.

At most :data:`MAX_WORDS` words, dated, opening the front page (``<section id="verdict">``). It reads
like a practitioner's note: the answer first (our reading, said so) with the weakness of its evidence
(no sale under the option found, the plant's price undisclosed), then the deal ledger's three
columns kept apart, because only amounts of one kind compete (cash between the parties, of which
none is quantified, beside Renault's own forecast free-cash-flow cost; commitments avoided, which
are not cash; value transfers), then the Nissan stake's weight in Renault at the two dates as
context (the chart under the verdict, :mod:`alliancelib.front_chart`, carries both companies'
prices; its caption the stub). It is built from the base scenario's recorded results (so
every scenario would say the same kind of sentence with its own numbers), each number a link to the
report section that computes it. The decisions are made here (which numbers, rounded how, which
clause applies, which link); the words are in the front page's template
(``templates/front_page.html.j2``). When a result it needs is missing (a partial build, a failed
notebook), there is no verdict rather than a verdict with a gap; a result of the v3 contract that a
build does not carry yet (:data:`OPTIONAL`) leaves out its clause only.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alliancelib.core.words import about_eur_m, money, pct, plain, say_date

MAX_WORDS = 150

OWNERSHIP, INDIA, AMPERE, LEDGER = (
    "01_ownership",
    "02_india_transfer",
    "04_ampere_investment",
    "05_deal_ledger",
)
# each number's report and section (the heading its anchor is made from; "" = the report's top)
SECTIONS = {
    "weight": (OWNERSHIP, "What the stake weighs now"),
    "sale": (OWNERSHIP, "If Nissan sells down to the lock-up"),
    "plant": (INDIA, "What Renault bought: a plant's result, not its vehicles"),
    "ampere": (AMPERE, "Two ceilings, not a valuation"),
    "cash": (LEDGER, "Cash between the parties"),
    "avoided": (LEDGER, "Commitments avoided or forgone"),
    "transfers": (LEDGER, "Value transfers: the option, the dividends, the plant's result"),
}
NEEDED = {
    OWNERSHIP: (
        "renault_nissan_stake_share_of_renault_value_pct",
        "sale_proceeds_eur_m",
        "stake_share_of_renault_value_latest_pct",
        "renault_stub_value_latest_eur_bn",
    ),
    INDIA: ("renault_share_of_plant_result_before_pct", "renault_share_of_plant_result_after_pct"),
    AMPERE: ("nissan_stake_at_ceo_min_valuation_pct", "nissan_stake_at_ceo_max_valuation_pct"),
    LEDGER: ("ampere_commitments_avoided_eur_m",),  # the ledger built: its numbers link there
}
# results of the v3 contract (docs/contract.md) whose clause is said when the build carries them
OPTIONAL = {
    AMPERE: ("pre_money_where_cap_binds_eur_bn",),
    LEDGER: (
        "nissan_dividends_forgone_eur_m",
        "nissan_dividends_from_renault_eur_m",
        "renault_dividends_from_nissan_eur_m",
    ),
}
# the parameters of the base scenario the verdict quotes (the job's full set carries them)
PARAMETERS = {
    OWNERSHIP: ("renault_share_price_eur", "nissan_sells_renault_pct"),
    AMPERE: ("nissan_commitment_eur_m", "mitsubishi_commitment_eur_m", "nissan_stake_cap_pct"),
}
FCF_FACT = "india_deal_fcf_impact_eur_m"  # Renault's own forecast 2025 free-cash-flow cost, not a price
NET_CASH_FACT = "renault_fy2025_net_cash_eur_bn"
CEO_FACTS = ("ampere_ceo_valuation_low_eur_bn", "ampere_ceo_valuation_high_eur_bn")


@dataclass(frozen=True)
class Number:
    """A number as the verdict says it, with the report section that computes it."""

    text: str
    href: str


@dataclass(frozen=True)
class Prices:
    """The stake's weight in Renault on one day and the day (both companies' prices that day are on
    the chart under the verdict, :mod:`alliancelib.front_chart`)."""

    weight: Number
    day: str


@dataclass(frozen=True)
class Verdict:
    """Everything the verdict's words need, decided."""

    news: str
    # cash that moved
    fcf: Number
    # commitments avoided (not cash)
    nissan_ampere: Number
    mmc_ampere: Number
    ampere_stake: Number
    ceo_range: Number
    cap: Number
    cap_binds: Number | None
    # value transfers
    plant_before: Number
    points: Number
    option: Number
    option_range: bool  # the option's proceeds across the reported prices (else at the chosen price)
    price: Number
    dividends: Number | None
    dividends_to_nissan: Number | None  # Renault's proposed dividend on Nissan's stake, a year
    nothing_back: bool  # Renault receives no dividend from Nissan (none paid, none guided)
    # the stake's weight in Renault, then and at the latest date with both prices
    then: Prices
    now: Prices
    net_cash: Number
    stub: Number
    stub_exceeds: bool  # stake and net cash together exceed Renault's whole market value


def section_href(base: str, key: str, found: Mapping[str, Any]) -> str:
    from alliancelib.findings import anchor_for

    nb, heading = SECTIONS[key]
    page = f"{base}/{nb}.html"
    headings = found.get(nb) or ()
    return f"{page}#{anchor_for(heading)}" if heading and heading in headings else page


def _value(results: Mapping[str, Mapping[str, Any]], name: str) -> float | None:
    record = results.get(name)
    value = None if record is None else record.get("value")
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def complete(
    results: Mapping[str, Mapping[str, Mapping[str, Any]]], parameters: Mapping[str, Mapping[str, Any]]
) -> bool:
    """Whether the base scenario carries every result and parameter the verdict needs."""
    for nb, names in NEEDED.items():
        if nb not in results or any(_value(results[nb], n) is None for n in names):
            return False
    return all(
        isinstance(parameters.get(nb, {}).get(n), int | float)
        for nb, names in PARAMETERS.items()
        for n in names
    )


def span(low: float, high: float, decimals: int, unit: str = "%") -> str:
    """A range as the verdict says it, one number when both ends round alike.

    >>> span(32.39, 34.83, 0), span(22.6, 22.8, 0), span(5.56, 6.82, 1), span(31.37, 33.74, 2, "")
    ('32–35%', '23%', '5.6–6.8%', '31.37–33.74')
    """
    a, b = f"{low:.{decimals}f}", f"{high:.{decimals}f}"
    return f"{a}{unit}" if a == b else f"{a}–{b}{unit}"


def stub_words(low_eur_bn: float, high_eur_bn: float) -> tuple[str, bool]:
    """The stub (Renault's market value less the stake and its net cash) as the verdict says it:
    when it is below zero at both ends, by how much stake and net cash exceed Renault's market value
    (``True``); else the rest of Renault's value, signed.

    >>> stub_words(-1.3546, -0.6537), stub_words(-0.4, 1.26), stub_words(2.0, 2.04)
    (('EUR 0.7–1.4bn', True), ('EUR −0.4bn to +1.3bn', False), ('EUR 2.0bn', False))
    """
    if high_eur_bn < 0:
        return f"EUR {span(-high_eur_bn, -low_eur_bn, 1, '')}bn", True
    if low_eur_bn < 0:
        return f"EUR {low_eur_bn:.1f}bn to {high_eur_bn:+.1f}bn".replace("-", "−"), False
    return f"EUR {span(low_eur_bn, high_eur_bn, 1, '')}bn", False


def proceeds(low_eur_m: float, high_eur_m: float) -> str:
    """The sale's proceeds as the verdict says them: rounded as a reader says an amount, one figure
    when both ends round alike.

    >>> proceeds(463.84, 679.27), proceeds(679.27, 679.27)
    ('EUR 460–680m', 'EUR 680m')
    """
    low, high = about_eur_m(low_eur_m), about_eur_m(high_eur_m)
    return high if low == high else f"{low.removesuffix('m')}–{high.removeprefix('EUR ')}"


def _ends(record: Mapping[str, Any]) -> tuple[float, float]:
    value = float(record["value"])
    low, high = record.get("low"), record.get("high")
    return (value if low is None else float(low)), (value if high is None else float(high))


def build_verdict(
    base: str,
    results: Mapping[str, Mapping[str, Mapping[str, Any]]],
    parameters: Mapping[str, Mapping[str, Any]],
    news: str,
    headings: Mapping[str, Any],
) -> Verdict | None:
    """The verdict from the base scenario's results (``results[notebook][name]`` records) and its
    full parameters (``parameters[notebook][name]``); None if a result or parameter it needs is
    missing. ``headings[notebook]`` lists each report's section headings (a number links to its
    section where the report has it)."""
    if not complete(results, parameters):
        return None
    from alliancelib import data
    from alliancelib.topics.ownership import stake_weight

    own, india, ampere = results[OWNERSHIP], results[INDIA], results[AMPERE]
    p_own, p_amp = parameters[OWNERSHIP], parameters[AMPERE]

    def link(key: str, text: str) -> Number:
        return Number(text, section_href(base, key, headings))

    def optional(nb: str, name: str, key: str, say: Any) -> Number | None:
        value = _value(results[nb], name)
        return None if value is None else link(key, say(value))

    weights = stake_weight.weights()
    first, last = weights[0].pairing, weights[-1].pairing

    def prices(pairing: Any, weight: str) -> Prices:
        return Prices(link("weight", weight), say_date(pairing.day))

    stub, exceeds = stub_words(*_ends(own["renault_stub_value_latest_eur_bn"]))
    ceo_low, ceo_high = (float(data.fact(f)) for f in CEO_FACTS)
    return Verdict(
        news=say_date(news),
        fcf=link("cash", about_eur_m(float(data.fact(FCF_FACT)))),
        nissan_ampere=link("avoided", money(p_amp["nissan_commitment_eur_m"])),
        mmc_ampere=link("avoided", money(p_amp["mitsubishi_commitment_eur_m"])),
        ampere_stake=link(
            "ampere",
            span(
                float(ampere["nissan_stake_at_ceo_max_valuation_pct"]["value"]),
                float(ampere["nissan_stake_at_ceo_min_valuation_pct"]["value"]),
                1,
            ),
        ),
        ceo_range=link("ampere", f"EUR {plain(ceo_low)}–{plain(ceo_high)}bn"),
        cap=link("ampere", pct(p_amp["nissan_stake_cap_pct"], 0)),
        cap_binds=optional(
            AMPERE, "pre_money_where_cap_binds_eur_bn", "ampere", lambda v: money(v, "EUR bn", 1)
        ),
        plant_before=link("plant", pct(float(india["renault_share_of_plant_result_before_pct"]["value"]), 0)),
        points=link("sale", f"{plain(p_own['nissan_sells_renault_pct'])} points"),
        option=link("sale", proceeds(*_ends(own["sale_proceeds_eur_m"]))),
        option_range=_ends(own["sale_proceeds_eur_m"])[0] != _ends(own["sale_proceeds_eur_m"])[1],
        price=link("sale", f"EUR {plain(p_own['renault_share_price_eur'])}"),
        dividends=optional(
            LEDGER, "nissan_dividends_forgone_eur_m", "transfers", lambda v: money(v, "EUR m", 1)
        ),
        dividends_to_nissan=optional(
            LEDGER, "nissan_dividends_from_renault_eur_m", "cash", lambda v: money(v, "EUR m", 0)
        ),
        nothing_back=_value(results[LEDGER], "renault_dividends_from_nissan_eur_m") == 0,
        then=prices(first, pct(float(own["renault_nissan_stake_share_of_renault_value_pct"]["value"]), 0)),
        now=prices(last, span(*_ends(own["stake_share_of_renault_value_latest_pct"]), 0)),
        net_cash=link("weight", money(float(data.fact(NET_CASH_FACT)), "EUR bn", 1)),
        stub=link("weight", stub),
        stub_exceeds=exceeds,
    )


def headings(path: Path) -> list[str]:
    """The section headings (``## ...``) of a notebook's markdown cells, as written."""
    if not path.is_file():
        return []
    nb = json.loads(path.read_text(encoding="utf-8"))
    out = []
    for cell in nb.get("cells", []):
        if cell.get("cell_type") == "markdown":
            source = "".join(cell.get("source", []))
            out += [line[3:].strip() for line in source.splitlines() if line.startswith("## ")]
    return out


def words(text: str) -> int:
    """The words a reader counts in a text (numbers and ranges count one each).

    >>> words("It weighed 23% on 31 March 2025 and 33–35% in February 2026.")
    12
    """
    return len(text.split())
