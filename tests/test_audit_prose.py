"""The December 2026 data audit's section 4, "Prose a reader sees": each statement it found wrong,
unsupported or over-claimed, checked against the text a reader now sees at the defaults (findings,
"since" line, section texts, captions and the tables' cells of each topic's analysis).

Each test names the audit row it pins; the answers are in data/README.md ("Statements a reader sees
(§4)"). A test fails if the old wording comes back."""

from __future__ import annotations

from functools import cache
from typing import Any

import pandas as pd
import pytest
from helpers import analysed

from alliancelib.params import defaults, fields_of
from alliancelib.paths import SCENARIOS_DIR
from alliancelib.scenarios import load_scenario
from alliancelib.topics import ampere, claims, india, ledger, ownership, pricing

TOPICS: dict[str, tuple[Any, type]] = {
    "00": (claims, claims.ClaimsParams),
    "01": (ownership, ownership.OwnershipParams),
    "02": (india, india.IndiaParams),
    "03": (pricing, pricing.PricingParams),
    "04": (ampere, ampere.AmpereParams),
    "05": (ledger, ledger.LedgerParams),
}


def scenario_values(nb: str, name: str) -> dict[str, Any]:
    """The values scenario ``name`` gives the notebook numbered ``nb``."""
    module, cls = TOPICS[nb]
    s = load_scenario(SCENARIOS_DIR / f"{name}.toml")
    names = {f.name for f in fields_of(cls)}
    return {**{k: v for k, v in s.shared.items() if k in names}, **s.notebooks.get(module.NOTEBOOK, {})}


@cache
def analysis(nb: str, scenario: str = "") -> Any:
    """The topic's analysis at its defaults, or at a scenario's values."""
    module, cls = TOPICS[nb]
    values = scenario_values(nb, scenario) if scenario else {}
    return analysed(module, module.validate_params(**{**defaults(cls), **values}))


def table_text(frame: pd.DataFrame) -> str:
    """Every cell and column name of a table, one row a line."""
    head = " | ".join(str(c) for c in frame.columns)
    return "\n".join([head, *(" | ".join(str(v) for v in row) for row in frame.astype(str).to_numpy())])


@cache
def shown(nb: str, scenario: str = "") -> str:
    """What a reader of the notebook sees in words: findings, since line, texts, captions, tables."""
    a = analysis(nb, scenario)
    parts = [f.text for f in a.findings] + [a.since, a.unreached]
    parts += [str(t) for t in a.texts.values()] + [str(c) for c in a.captions.values()]
    parts += [table_text(t) for t in a.tables.values() if isinstance(t, pd.DataFrame)]
    return "\n".join(parts).replace("**", "")


def rows_with(nb: str, table: str, needle: str) -> list[str]:
    """The lines of one table that contain ``needle``."""
    return [line for line in table_text(analysis(nb).tables[table]).splitlines() if needle in line]


# (notebook, audit row, wording that must not come back)
OVER_CLAIMS = [
    ("00", "00 [3] lead finding", "silent on the costs"),
    ("00", "00 [3] lead finding", "accurate on the facts"),
    ("01", "01 [3] since", "neither side had sold"),
    ("01", "01 [3] and [17]", "no later day with both"),
    ("01", "01 [9] Nissan's 2024 contribution", "reported: −EUR 211m"),
    ("01", "01 [9] chart caption", "Reuters via Boursier"),
    ("02", "02 [3] finding 1", "mostly an under-used fixed-cost base"),
    ("02", "02 [3] finding 1", "now a customer's volume"),
    ("02", "02 [15] guidance", "so the guidance was not met"),
    ("03", "03 [8] battery", "most packs are made in China"),
    ("03", "03 [3] and [19]", "China-weighted"),
    ("03", "03 [3] finding 4", "weighted towards China"),
    ("03", "03 [19] resale", "on sale since 2026"),
    ("04", "04 [3] finding 1", "appetite"),
    ("04", "04 [3] finding 1", "swapped that share"),
    ("04", "04 [9] commitments", "replaced by the July 2023"),
    ("04", "04 [3] finding 4", "new equity"),
    ("04", "04 [3] finding 4", "not diluted"),
    ("04", "04 [3] finding 3", "Renault keeps the shares"),
    ("05", "05 [3] finding 2", "moves little"),
    ("05", "05 [5] ledger", "new equity"),
    ("05", "05 [5] ledger", "no dilution by the new shares"),
    ("05", "05 [5] ledger", "Keeps all of Ampere"),
    ("05", "05 [3] finding 1", "agreed to stop paying"),
]


@pytest.mark.parametrize(("nb", "row", "wording"), OVER_CLAIMS, ids=[f"{r}: {w}" for _, r, w in OVER_CLAIMS])
def test_the_over_claim_is_not_shown(nb: str, row: str, wording: str) -> None:
    assert wording.lower() not in shown(nb).lower(), (row, wording)


def test_the_twingo_launch_is_not_on_time() -> None:
    # audit 00 [5]: "launching next year — on time, done 2025-11"
    (line,) = rows_with("00", "plans", "launching next year")
    assert "on time" not in line and "pending" in line and "not confirmed" in line


def test_the_magnite_outcome_cites_the_models_built() -> None:
    # audit 00 [5]: the Magnite row cited Aftermarket & Service, a 2025-12 source about other models
    (line,) = rows_with("00", "plans", "Magnite")
    assert "Aftermarket" not in line and "The Hindu" in line


def test_the_cautious_conversions_are_not_contradicted() -> None:
    # audit reports/cautious/00: a market rate against a reference rate is not an error
    a = analysis("00", "cautious")
    assert a.values["claims_contradicted"] == 0
    assert a.values["fx_conversions_corroborated"] < 2  # the cautious day does move them out
    assert "both are contradicted" not in shown("00", "cautious")


def test_the_later_day_with_both_prices_is_shown() -> None:
    # audit §6, 01 [3] and [17]: both prices are known on 2025-07-01 (about 22.6%)
    (line,) = rows_with("01", "weights", "1 July 2025")
    cells = line.split(" | ")
    assert "40.24" in cells[1] and "341.80" in cells[1]
    assert round(float(cells[4]), 1) == 22.6


def test_no_sale_is_said_found_not_absent() -> None:
    # audit 01 [3]: "neither side had sold" -> "no sale found"
    assert "no sale by either side was found" in analysis("01").since


def test_the_sources_a_sentence_relies_on_are_listed() -> None:
    # audit §3 and §4: sources used in a sentence but missing from the report's list
    wanted = {
        "00": {"motorfan_314996"},
        "01": {"kabutec_7201", "sharecast_20260219"},
        "03": {
            "mobiflip_20251107",
            "motor1_uk_727858",
            "mac4ever_194604",
            "caradisiac_spring",
            "oabroad_20251125",
            "particle_news_twingo",
            "particle_twingo_story",
            "frandroid_2925467",
        },
        "05": {
            "technode_20230726",
            "sowetan_reuters_20250520",
            "nasdaq_reuters_20240129",
            "autoworldjournal_mmc_ampere",
        },
    }
    missing = {nb: ids - set(analysis(nb).source_ids) for nb, ids in wanted.items()}
    assert missing == {nb: set() for nb in wanted}
