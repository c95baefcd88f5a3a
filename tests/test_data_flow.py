"""Data flow (issue 20): a dated row added to a copy of ``data/`` reaches the text, the ranges, the
"news to" date and the sources footer. A figure typed into code or a template would not follow, and
the test names it.

The copy gets one new source (published 2026-11-30), a Renault share price of EUR 29.50 on that day
(lower than any price held) and an alliance event on that day, both citing it; the analyses then run
with ``ALLIANCE_DATA_DIR`` pointing at the copy (the project's way to use another data folder).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from alliancelib import findings, report
from alliancelib.params import defaults
from alliancelib.topics import claims, ownership

DAY, SOURCE, PRICE_EUR = "2026-11-30", "test_newer_source", 29.5
EVENT = "A newer test event dated after every other"


def _append(path: Path, row: dict[str, str]) -> None:
    """Add a row to a CSV of the copy, its values placed by the file's own header (a column the
    row does not name is left empty: the validation says if it may not be)."""
    import csv
    import io

    text = path.read_text(encoding="utf-8")
    header = next(csv.reader(io.StringIO(text)))
    unknown = set(row) - set(header)
    assert not unknown, f"{path.name} has no column {sorted(unknown)}"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow([row.get(c, "") for c in header])
    path.write_text(text + ("" if text.endswith("\n") else "\n") + out.getvalue(), encoding="utf-8")


@pytest.fixture
def newer(data_copy: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The copy of data/ with the newer rows, in use for the test's duration."""
    reported = {"basis": "reported", "source_kind": "reported", "source_id": SOURCE}
    _append(
        data_copy / "sources.csv",
        {
            "source_id": SOURCE,
            "publisher": "Test Wire",
            "title": "[A newer price and event]",
            "date_published": DAY,
            "date_accessed": DAY,
            "note": "test row",
        },
    )
    _append(
        data_copy / "share_prices.csv",
        {"date": DAY, "company": "Renault", "price": str(PRICE_EUR), "currency": "EUR", "kind": "close"}
        | reported,
    )
    _append(
        data_copy / "events.csv",
        {"event_id": "newer_test_event", "date": DAY, "topic": "alliance", "event": EVENT, "kind": "report"}
        | reported,
    )
    monkeypatch.setenv("ALLIANCE_DATA_DIR", str(data_copy))
    yield data_copy


def _claims() -> Any:
    return claims.analyse(claims.validate_params(**defaults(claims.ClaimsParams)))


def _ownership() -> Any:
    return ownership.analyse(ownership.validate_params(**defaults(ownership.OwnershipParams)))


def _box(a: Any) -> str:
    return findings.findings_bundle(
        a.NOTEBOOK, a.findings, since=a.since, news_as_of=a.news_as_of, fx_as_of=a.fx_as_of
    )["text/plain"]


def _footer(a: Any) -> str:
    return report.sources_footer_bundle(a.footer_source_ids(), news_as_of=a.news_as_of, fx_as_of=a.fx_as_of)[
        "text/html"
    ]


def test_the_newer_rows_are_newer_than_everything_held() -> None:
    """The fixture's premise: without the rows, no report's news reaches the new day."""
    assert _claims().news_as_of < DAY and _ownership().news_as_of < DAY
    assert SOURCE not in _footer(_claims())


def test_00_text_news_date_and_footer_follow_a_newer_event(newer: Path) -> None:
    a = _claims()
    events = a.tables["events"]
    assert EVENT in set(events["event"]) and len(events) == len(_held_events())
    assert f"The {len(events)} dated events" in a.captions["events"]
    assert a.news_as_of == DAY
    assert f"news to {DAY}" in _box(a)
    assert f"as of {DAY}" in a.captions["plans"]
    assert f'id="src-{SOURCE}"' in _footer(a) and f"<strong>{DAY}</strong>" in _footer(a)


def _held_events() -> list[str]:
    from alliancelib.data import load

    return list(load("events")["event_id"])


def test_01_news_date_footer_and_events_follow_a_newer_price_and_event(newer: Path) -> None:
    a = _ownership()
    assert a.news_as_of == DAY
    assert f"news to {DAY}" in _box(a)
    assert EVENT in set(a.tables["events"]["event"])
    assert f'id="src-{SOURCE}"' in _footer(a)


def test_01_ranges_follow_a_lower_reported_price(newer: Path) -> None:
    a = _ownership()
    assert "run from EUR 29.5 to 45.94" in a.texts["sale"]
    assert "reported: EUR 29.5-45.94" in a.finding("sale").text
    low = {r.name: r.low for r in a.results}["sale_proceeds_eur_m"]
    assert low is not None and low < 460.0  # 5 points of Renault at EUR 29.50: about EUR 436m
