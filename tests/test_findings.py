"""The key findings box: dated, 3-5 findings in plain words, the "since" line, and a record the
index reads from the notebook JSON alone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from alliancelib.findings import (
    FINDINGS_MIME,
    Finding,
    anchor_for,
    findings_bundle,
    read_findings,
)

FINDINGS = [
    Finding(
        "stake",
        "Renault owns **35.7%** of Nissan's capital but directs only 15% of its votes.",
        anchor="#Who-owns-Nissan-through-whom",
        headline=True,
    ),
    Finding(
        "sale",
        "Selling 5 points of Renault would raise about **EUR 680m** for Nissan; "
        "it holds in 92% of plausible cases.",
        holds_pct=91.96,
        flips=True,
    ),
    Finding("integrated", "Counting the circle, Renault's integrated stake is *37.0%*."),
]


def bundle() -> dict:
    return findings_bundle(
        "01_ownership",
        FINDINGS,
        since="Nissan sold nothing by the news date.",
        news_as_of="2026-04-29",
        fx_as_of="2026-08-21",
    )


def test_the_box_is_dated_and_readable() -> None:
    b = bundle()
    assert (
        b["text/plain"].splitlines()[0]
        == "Key findings · news to 2026-04-29 · latest exchange rate used 2026-08-21"
    )
    assert b["text/plain"].splitlines()[-1] == "Since the announcement: Nissan sold nothing by the news date."
    page = b["text/html"]
    assert page.startswith('<aside class="alliance-findings"')
    assert "news to 2026-04-29 · latest exchange rate used 2026-08-21" in page
    assert page.count("<li ") == 3 and "<strong>35.7%</strong>" in page
    assert '<a class="af-more" href="#Who-owns-Nissan-through-whom">' in page
    assert 'class="af-item af-flips"' in page  # a finding that flips is marked
    assert "**" not in b["text/plain"]


def test_the_record_the_index_reads() -> None:
    record = bundle()[FINDINGS_MIME]
    assert {k: record[k] for k in ("notebook", "news_as_of", "fx_as_of", "since")} == {
        "notebook": "01_ownership",
        "news_as_of": "2026-04-29",
        "fx_as_of": "2026-08-21",
        "since": "Nissan sold nothing by the news date.",
    }
    first, second, _ = record["items"]
    assert set(first) == {"key", "text", "html", "anchor", "headline", "holds_pct", "flips"}
    assert first["anchor"] == "Who-owns-Nissan-through-whom" and first["headline"] is True
    assert second["holds_pct"] == 92.0 and second["flips"] is True
    assert second["html"].startswith("Selling 5 points") and "<strong>EUR 680m</strong>" in second["html"]


def test_same_input_same_bytes() -> None:
    assert json.dumps(bundle(), sort_keys=True) == json.dumps(bundle(), sort_keys=True)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Finding("a", "Costs $20,000 and $649m."), "dollar sign"),
        (lambda: Finding("a", "The sale_proceeds_eur_m are large."), "reads like code"),
        (lambda: Finding("A b", "Text."), "finding key"),
        (lambda: Finding("a", " "), "empty"),
        (lambda: Finding("a", "Text.", holds_pct=120), "0 to 100"),
        (
            lambda: findings_bundle(
                "x", FINDINGS[:2], since="s", news_as_of="2026-04-29", fx_as_of="2026-08-21"
            ),
            "3 to 5 key findings",
        ),
        (
            lambda: findings_bundle("x", FINDINGS, since="s", news_as_of="29 April", fx_as_of="2026-08-21"),
            "news_as_of must be a date",
        ),
        (
            lambda: findings_bundle(
                "x", [FINDINGS[0]] * 3, since="s", news_as_of="2026", fx_as_of="2026-08-21"
            ),
            "share a key",
        ),
        (lambda: Finding("a", "See [it](javascript:alert(1)).").html(), "anchor or an http"),
    ],
)
def test_mistakes_are_refused_with_the_fix(make, message) -> None:
    with pytest.raises(ValueError, match=message):
        make()


def test_markup_in_text_is_escaped() -> None:
    assert (
        Finding("a", "Renault <script>x</script> & Nissan").html()
        == "Renault &lt;script&gt;x&lt;/script&gt; &amp; Nissan"
    )
    assert Finding("a", r"An escaped \$ stays.").html() == "An escaped $ stays."


def test_anchor_matches_the_heading_ids_of_reports() -> None:
    assert anchor_for("## How sure is **this**?") == "How-sure-is-this?"


def test_read_findings_from_json(tmp_path: Path) -> None:
    nb = {
        "cells": [
            {
                "cell_type": "code",
                "outputs": [{"output_type": "display_data", "data": bundle(), "metadata": {}}],
            }
        ]
    }
    path = tmp_path / "x.ipynb"
    path.write_text(json.dumps(nb))
    assert read_findings(path)["items"][0]["key"] == "stake"
    assert read_findings({"cells": []}) is None
