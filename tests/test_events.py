"""Events are found by their stable key (events.csv ``event_id``), never by their wording.

The notebooks used to find an event by a phrase of its text (``"French Twingo Evolution listed"``)
and to read numbers out of free-text notes and event texts; correcting a label then broke a report
or silently changed a figure. These tests pin the key: unique, validated, and enough on its own.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from helpers import line_of, replace_in

from alliancelib import data
from alliancelib.errors import DataError
from alliancelib.params import defaults
from alliancelib.paths import DATA_DIR
from alliancelib.topics import claims, pricing
from alliancelib.topics.claims import inputs as claims_inputs


def _rows() -> list[dict[str, str]]:
    return list(csv.DictReader((DATA_DIR / "events.csv").open(encoding="utf-8")))


def test_every_event_has_a_unique_snake_case_key() -> None:
    keys = [r["event_id"] for r in _rows()]
    assert len(keys) == len(set(keys)) == 78  # + 4 of the people and context (reader review, 2026-12)
    assert all(k and k.replace("_", "").isalnum() and k == k.lower() for k in keys)


def test_every_event_keeps_its_source_kind_and_the_people_are_there() -> None:
    """Each event carries the research's grade of its source (reported or secondary); de Meo's
    resignation, which the research holds only from a secondary source, is in the context lane."""
    rows = {r["event_id"]: r for r in _rows()}
    assert {r["source_kind"] for r in rows.values()} == {"reported", "secondary"}
    de_meo = rows["de_meo_resignation"]
    assert (de_meo["date"], de_meo["topic"], de_meo["source_kind"]) == ("2025-06-16", "context", "secondary")
    assert "de Meo" in de_meo["event"] and "10%" in de_meo["event"]  # research 2026-update section 9
    # the research grades these sources secondary (2026-update, 2026-update-2)
    for key in ("mmc_ampere_schedule", "wave_name_reported", "ampere_plan_press_account", "nissan_honda_sdv"):
        assert rows[key]["source_kind"] == "secondary", key
    assert rows["renault_fy2025_results"]["source_kind"] == "reported"


def test_a_duplicate_key_is_refused_with_file_line_and_column(data_copy: Path) -> None:
    f = data_copy / "events.csv"
    replace_in(f, "twingo_spain_launch,", "twingo_premiere,")
    with pytest.raises(DataError) as info:
        data.load_all(data_copy)
    err = info.value.problems[0]
    assert (err.file, err.column) == ("data/events.csv", "event_id")
    first = line_of(f, 'twingo_premiere,2025-11-06,ev,"Spain')
    assert err.line == line_of(f, "twingo_premiere,2025-11-06,ev,Twingo E-Tech")
    assert err.problem == f"duplicate key (event_id=twingo_premiere); first at line {first}"


def test_a_key_is_required(data_copy: Path) -> None:
    f = data_copy / "events.csv"
    replace_in(f, "twingo_spain_launch,", ",")
    with pytest.raises(DataError) as info:
        data.load_all(data_copy)
    assert (info.value.problems[0].file, info.value.problems[0].column) == ("data/events.csv", "event_id")


def test_lookup_by_key_and_an_unknown_key_names_the_keys() -> None:
    row = data.event("twingo_fr_evolution_listed")
    assert (row["date"], row["source_id"]) == ("2026-02-11", "caradisiac_20260211")
    with pytest.raises(KeyError, match="no event 'twingo_launch'.*twingo_premiere"):
        data.event("twingo_launch")


def test_rewording_every_event_changes_no_date_figure_or_source_the_reports_state(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each event's text is replaced by a neutral one: what 00, 03 and 04 derive from events stays."""
    before = (
        pricing.analyse(pricing.validate_params(**defaults(pricing.PricingParams))).since,
        claims.analyse(claims.validate_params(**defaults(claims.ClaimsParams))).since,
    )
    f = data_copy / "events.csv"
    rows = list(csv.DictReader(f.open(encoding="utf-8")))
    with f.open("w", encoding="utf-8", newline="") as out:
        w = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        for i, r in enumerate(rows):
            w.writerow({**r, "event": f"Event number {i}"})
    monkeypatch.setenv("ALLIANCE_DATA_DIR", str(data_copy))
    after = (
        pricing.analyse(pricing.validate_params(**defaults(pricing.PricingParams))).since,
        claims.analyse(claims.validate_params(**defaults(claims.ClaimsParams))).since,
    )
    assert after == before
    assert "EUR 19,490 (11 February 2026)" in after[0]  # the price comes from car_models.csv


def test_timeline_labels_the_key_events_by_key() -> None:
    tl = claims.timeline(data.load("events"))
    labelled = dict(zip(tl["event_id"], tl["label"], strict=True))
    assert {k for k, v in labelled.items() if v} == {
        v for k, v in claims_inputs.EVENTS.items() if k.startswith("key_")
    }
