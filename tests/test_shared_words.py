"""The shared layers' sentences live in one template, ``alliancelib/templates/words.md.j2``: the
sources footer, the key findings box, the results table's header, the "what made this report" box
and the README's dates line. A writer edits a sentence there and the reports follow; the Python
holds none of them."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import jinja2
import pytest

from alliancelib import findings, provenance, readme, report, results
from alliancelib.core import prose
from alliancelib.paths import PACKAGE_DIR

SHARED_MODULES = [PACKAGE_DIR / "explorer.py", PACKAGE_DIR / "export.py", PACKAGE_DIR / "front_chart.py"] + [
    PACKAGE_DIR / f for f in ("report.py", "findings.py", "results.py", "provenance.py", "readme.py")
]
# sentences that used to be written in those modules: each is now a block of the shared words
MOVED = (
    "Every figure above comes from",
    "sources of the data this report reads",
    "News as of",
    "newest fixing used",
    "held to",
    "could not reach",
    "our own descriptions of sources",
    "linked to the source",
    "Key findings",
    "latest exchange rate used",
    "Since the announcement",
    "Across the stated ranges",
    "smallest to largest over",
    "no uncertain input moves it",
    "Every parameter is at",
    "a fingerprint of the files",
    "the newest dates behind the",
    "What if?",
    "Download CSV",
    '"Contents"',
    "Range low",
    "parameters at their defaults",
    "from the defaults",
    "Back to the defaults",
    "looked up for you (shown beside)",
    "for the last values allowed",
)


def _code(path: Path) -> str:
    """A module's source without its docstrings and comments (where examples may quote a sentence)."""
    text = re.sub(r'"""(?:.|\n)*?"""', "", path.read_text(encoding="utf-8"))
    return re.sub(r"(?m)(^\s*|\s{2})# .*$", "", text)  # comments, not a colour like #444


@pytest.mark.parametrize("sentence", MOVED)
def test_no_shared_module_writes_a_moved_sentence(sentence: str) -> None:
    holders = [p.name for p in SHARED_MODULES if sentence in _code(p)]
    assert not holders, f"{sentence!r} is written in {holders}: it belongs in templates/words.md.j2"


def test_every_shared_block_is_used_by_a_shared_module() -> None:
    code = "\n".join(_code(p) for p in SHARED_MODULES)
    unused = [b for b in prose.shared_blocks() if f'"{b}"' not in code and f"'{b}'" not in code]
    assert not unused, f"blocks of words.md.j2 no module renders: {unused}"


def test_an_undefined_name_in_a_shared_block_raises() -> None:
    with pytest.raises(jinja2.UndefinedError, match="'n' is undefined"):
        prose.say("footer_every")
    with pytest.raises(KeyError, match="no block 'nope' in alliancelib/templates/words.md.j2"):
        prose.say("nope")


@pytest.fixture
def edited_words(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of the shared words to edit; the prose environment reads it instead."""
    folder = tmp_path / "templates"
    folder.mkdir()
    for path in prose.SHARED_DIR.glob("*.md.j2"):
        shutil.copy(path, folder / path.name)
    monkeypatch.setattr(prose, "SHARED_DIR", folder)
    prose.environment.cache_clear()
    yield folder / f"{prose.SHARED}.md.j2"
    prose.environment.cache_clear()


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_the_footer_follows_an_edit_of_its_sentences(edited_words: Path) -> None:
    two = ["seed_autoexpert", "ecb_eurofxref"]
    one = report.sources_footer_bundle(two[:1], news_as_of="2025-04-01")
    assert "This is the source of the data this report reads" in one["text/html"]
    before = report.sources_footer_bundle(two, news_as_of="2025-04-01")
    assert "These are the 2 sources of the data this report reads" in before["text/html"]
    _edit(
        edited_words,
        "These are the {{ n }} sources{% endif %} of the data",
        "The {{ n }} sources{% endif %} behind the data",
    )
    _edit(edited_words, "News as of {{ news }}.", "News to {{ news }}.")
    prose.environment.cache_clear()
    after = report.sources_footer_bundle(two, news_as_of="2025-04-01")
    assert "The 2 sources behind the data this report reads" in after["text/html"]
    assert "These are the" not in after["text/html"]
    assert after["text/plain"].startswith("Sources (2). News to 2025-04-01.")


def test_the_findings_box_and_results_header_follow_an_edit(edited_words: Path) -> None:
    _edit(edited_words, "{% block findings_heading %}Key findings", "{% block findings_heading %}In short")
    _edit(edited_words, "{% block results_range %}Across the stated ranges", "{% block results_range %}Range")
    prose.environment.cache_clear()
    fs = [findings.Finding("a", "One."), findings.Finding("b", "Two."), findings.Finding("c", "Three.")]
    box = findings.findings_bundle(
        "01_ownership", fs, since="Nothing.", news_as_of="2026-04-29", fx_as_of="2026-08-21"
    )
    assert box["text/plain"].startswith(
        "In short · news to 2026-04-29 · latest exchange rate used 2026-08-21"
    )
    assert 'aria-label="In short"' in box["text/html"]
    assert results.header_bundle()["text/plain"].startswith("Result | Value | Range (")


def test_the_made_box_and_readme_line_come_from_the_shared_words() -> None:
    box = provenance.provenance_html(provenance.Provenance("base", "T", (), "abc", "0.1+def"))
    assert prose.say("made_all_defaults") in box
    assert prose.say("made_versions", data_version="abc", code_version="0.1+def") in box
    assert readme.findings_markdown().startswith(prose.say("readme_dates", news="", fx="").split("****")[0])
