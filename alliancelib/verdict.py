"""The front page's verdict: who gave what on 31 March 2025, and who came out ahead.

At most :data:`MAX_WORDS` words, dated, opening the front page (``<section id="verdict">``). It is
built from the base scenario's recorded results only (so every scenario would say the same kind of
sentence with its own numbers), each number a link to the report section that computes it. The
decisions are made here (which numbers, rounded how, which link); the words are in the front page's
template (``templates/front_page.html.j2``, block ``verdict``). When a result it needs is missing (a
partial build, a failed notebook), there is no verdict rather than a verdict with a gap.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alliancelib.core.words import about_eur_m, money, pct, say_date

MAX_WORDS = 150

OWNERSHIP, INDIA, LEDGER = "01_ownership", "02_india_transfer", "05_deal_ledger"
# each number's report and section (the heading its anchor is made from)
SECTIONS = {
    "stake": (OWNERSHIP, "Who owns whom on the chosen date"),
    "weight": (OWNERSHIP, "What the stake weighs now"),
    "sale": (OWNERSHIP, "If Nissan sells down to the lock-up"),
    "plant": (INDIA, ""),
    "cash": (LEDGER, "Cash that moved"),
    "commitments": (LEDGER, "Commitments avoided or forgone"),
}
NEEDED = {
    OWNERSHIP: (
        "renault_in_nissan_economic_pct",
        "renault_nissan_stake_share_of_renault_value_pct",
        "sale_proceeds_eur_m",
        "stake_share_of_renault_value_latest_pct",
        "renault_stub_value_latest_eur_bn",
    ),
    INDIA: ("renault_share_of_plant_result_before_pct", "renault_share_of_plant_result_after_pct"),
    LEDGER: (
        "nissan_ampere_commitment_avoided_eur_m",
        "mitsubishi_ampere_commitment_avoided_eur_m",
        "renault_quantified_cash_eur_m",
    ),
}


@dataclass(frozen=True)
class Number:
    """A number as the verdict says it, with the report section that computes it."""

    text: str
    href: str


@dataclass(frozen=True)
class Verdict:
    """Everything the verdict's words need, decided."""

    news: str
    nissan_ampere: Number
    mmc_ampere: Number
    option: Number
    points: Number
    price: Number
    plant_before: Number
    renault_cash: Number
    stake: Number
    weight_then: Number
    weight_now: Number
    now_day: str
    stub: Number
    net_cash: Number


def _href(base: str, key: str, found: Mapping[str, Any]) -> str:
    from alliancelib.findings import anchor_for

    nb, heading = SECTIONS[key]
    page = f"{base}/{nb}.html"
    headings = found.get(nb) or ()
    return f"{page}#{anchor_for(heading)}" if heading and heading in headings else page


def build_verdict(
    base: str,
    results: Mapping[str, Mapping[str, Mapping[str, Any]]],
    parameters: Mapping[str, Mapping[str, Any]],
    news: str,
    headings: Mapping[str, Any],
) -> Verdict | None:
    """The verdict from the base scenario's results (``results[notebook][name]`` records) and
    parameters; None if a result it needs is missing. ``headings[notebook]`` lists each report's
    section headings (a number links to its section where the report has it)."""
    for nb, names in NEEDED.items():
        if nb not in results or any(
            results[nb].get(n) is None or results[nb][n].get("value") is None for n in names
        ):
            return None
    own, india, ledger = results[OWNERSHIP], results[INDIA], results[LEDGER]

    def link(key: str, text: str) -> Number:
        return Number(text, _href(base, key, headings))

    latest = own["stake_share_of_renault_value_latest_pct"]
    stub = own["renault_stub_value_latest_eur_bn"]
    low, high = latest.get("low", latest["value"]), latest.get("high", latest["value"])
    weight_now = f"{low:.0f}–{high:.0f}%" if round(low) != round(high) else pct(latest["value"], 0)
    s_low, s_high = stub.get("low", stub["value"]), stub.get("high", stub["value"])
    stub_text = (
        f"EUR {s_low:+.1f}bn to {s_high:+.1f}bn"
        if round(s_low, 1) != round(s_high, 1)
        else f"EUR {stub['value']:+.1f}bn"
    ).replace("-", "−")
    from alliancelib import data
    from alliancelib.topics.ownership import stake_weight

    now = stake_weight.weights()[-1].pairing
    now_day = dt.date.fromisoformat(now.day).strftime("%B %Y")
    price = parameters.get(OWNERSHIP, {}).get("renault_share_price_eur")
    points = parameters.get(OWNERSHIP, {}).get("nissan_sells_renault_pct")
    return Verdict(
        news=say_date(news),
        nissan_ampere=link("commitments", money(ledger["nissan_ampere_commitment_avoided_eur_m"]["value"])),
        mmc_ampere=link("commitments", money(ledger["mitsubishi_ampere_commitment_avoided_eur_m"]["value"])),
        option=link("sale", about_eur_m(own["sale_proceeds_eur_m"]["value"])),
        points=link("sale", f"{points:g} points" if isinstance(points, int | float) else "its points"),
        price=link("sale", f"EUR {price:g}" if isinstance(price, int | float) else "the chosen price"),
        plant_before=link("plant", pct(india["renault_share_of_plant_result_before_pct"]["value"], 0)),
        renault_cash=link("cash", f"about {money(abs(ledger['renault_quantified_cash_eur_m']['value']))}"),
        stake=link("stake", pct(own["renault_in_nissan_economic_pct"]["value"], 1)),
        weight_then=link("weight", pct(own["renault_nissan_stake_share_of_renault_value_pct"]["value"], 0)),
        weight_now=link("weight", weight_now),
        now_day=now_day,
        stub=link("weight", stub_text),
        net_cash=link("weight", f"EUR {data.fact('renault_fy2025_net_cash_eur_bn'):g}bn"),
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
