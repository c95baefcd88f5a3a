"""Tables and the sources footer in a reader's words: headers from the column dictionary, numbers
rounded per field, source ids as publisher links that land on the footer's rows, two as-of dates."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from alliancelib import fields, report
from alliancelib.report import UnknownColumnError, sources_footer_bundle, table_bundle


def test_headers_come_from_the_column_dictionary() -> None:
    frame = pd.DataFrame(
        {"holder": ["Renault"], "economic_pct": [35.714286], "source_id": ["seed_autoexpert"]}
    )
    page = table_bundle(frame, "Stakes.")["text/html"]
    assert re.findall(r"<th(?: [^>]*)?>(.*?)</th>", page) == [
        "Holder",
        fields.header("economic_pct"),
        "Source",
    ]
    assert "economic_pct" not in page and "holder<" not in page


def test_an_unknown_column_is_an_error_naming_the_fix() -> None:
    with pytest.raises(UnknownColumnError, match=r"'mystery_eur'.*add a Field.*headers="):
        table_bundle(pd.DataFrame({"mystery_eur": [1]}))
    page = table_bundle(pd.DataFrame({"Company X": [12.5]}), headers={"Company X": "Company X (%)"})[
        "text/html"
    ]
    assert "Company X (%)" in page
    with pytest.raises(ValueError, match="plain words"):
        table_bundle(pd.DataFrame({"Company X": [1]}), headers={"Company X": "company_x_pct"})


def test_cells_are_rounded_per_field_with_separators() -> None:
    frame = pd.DataFrame(
        {
            "year": [2024, 2025],  # years: no separator
            "price_eur": [19490.4, 120000.0],  # decimals 0, separators
            "economic_pct": [35.714286, np.nan],  # decimals 2; missing number: a dash
            "battery_kwh": [27.5, 52.0],  # decimals 1
            "note": [None, "a <b> note"],  # missing text: empty; markup escaped
        }
    )
    page = table_bundle(frame)["text/html"]
    cells = re.findall(r"<td[^>]*>(.*?)</td>", page)
    assert cells == [
        "2024",
        "19,490",
        "35.71",
        "27.5",
        "",
        "2025",
        "120,000",
        "–",
        "52.0",
        "a &lt;b&gt; note",
    ]
    assert '<td class="num" style="text-align:right">19,490</td>' in page  # numbers right-aligned


def test_booleans_and_dates_read_as_readers_expect() -> None:
    assert report.format_cell(np.bool_(True)) == "yes" and report.format_cell(False) == "no"
    assert report.format_cell(pd.Timestamp("2025-03-31 00:00")) == "2025-03-31"
    assert report.format_cell(-0.001, "economic_pct", 2) == "0.00"


def test_source_ids_show_as_publisher_links_to_the_footer() -> None:
    frame = pd.DataFrame(
        {
            "event": ["a", "b"],
            "source_id": ["seed_autoexpert", "seed_autoexpert"],
            "source_ids": ["seed_autoexpert; amf_renault_voting_rights", None],
        }
    )
    page = table_bundle(frame)["text/html"]
    assert page.count('<a href="#src-seed_autoexpert">AutoExpert</a>') == 3
    assert '<a href="#src-amf_renault_voting_rights">AMF (Renault filing)</a>' in page
    footer = sources_footer_bundle(report.sources_used([frame]))["text/html"]
    for sid in ("seed_autoexpert", "amf_renault_voting_rights"):
        assert f'<tr id="src-{sid}">' in footer  # every link lands on a row
    with pytest.raises(KeyError, match="nope"):
        table_bundle(pd.DataFrame({"source_id": ["nope"]}))


def test_footer_states_the_two_dates_apart_and_what_was_not_reached() -> None:
    b = sources_footer_bundle(
        ["seed_autoexpert", "ecb_eurofxref"],
        news_as_of="2026-04-29",
        fx_as_of="2025-03-31",
        unreached="whether the Ampere merger of 2026-07-01 happened",
    )
    page, text = b["text/html"], b["text/plain"]
    assert "News as of <strong>2026-04-29</strong>" in page
    assert "newest fixing used <strong>2025-03-31</strong>" in page
    assert "could not reach:</strong> whether the Ampere merger of 2026-07-01 happened" in page
    assert "News as of 2026-04-29." in text and "2025-03-31" in text


def test_todays_call_form_computes_what_it_can() -> None:
    b = sources_footer_bundle(["seed_autoexpert", "ecb_eurofxref"])
    assert "News as of <strong>2025-04-01</strong>" in b["text/html"]  # the ECB series is not news
    assert "ECB reference rates held to <strong>" in b["text/html"]
    assert "Exchange rates" not in sources_footer_bundle(["seed_autoexpert"])["text/html"]


def test_footer_shows_no_code_ids_and_marks_our_descriptions() -> None:
    page = sources_footer_bundle(["seed_autoexpert", "amf_renault_voting_rights"])["text/html"]
    visible = re.sub(r"<[^>]+>", " ", page)
    assert "seed_autoexpert" not in visible and "amf_renault_voting_rights" not in visible
    assert '<em class="src-description">Renault total voting rights and shares filing</em>' in page
    assert "[Renault total" not in page
    assert "our own descriptions" in page
    assert "our own descriptions" not in sources_footer_bundle(["seed_autoexpert"])["text/html"]


def test_sources_used_reads_every_column_declared_to_hold_sources() -> None:
    frame = pd.DataFrame({"status_source_id": ["b"], "source_ids": ["c;a"], "note": ["x;y"]})
    assert report.sources_used([frame], ["d"]) == ["a", "b", "c", "d"]


def test_same_table_same_bytes() -> None:
    frame = pd.DataFrame({"holder": ["Renault"], "economic_pct": [35.7]})
    assert table_bundle(frame, "c") == table_bundle(frame.copy(), "c")
    assert "id=" not in table_bundle(frame)["text/html"]  # no random ids
