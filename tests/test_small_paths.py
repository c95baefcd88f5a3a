"""Small paths of the library a reader's mistake takes: a date written day first or off the
calendar, a parameters cell written wrongly, a notebook without a title or a question, the modules
a notebook imports (its magics skipped), and an edition cut from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import nbformat
import pytest

from alliancelib import cli, dates, warm
from alliancelib import notebooks as nbs
from alliancelib.errors import BuildError


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("31/03/2025", "(written day first? write 2025-03-31)"),
        ("03/31/2025", "(written month first? write 2025-03-31)"),
        ("03/04/2025", "(write the year first: YYYY-MM-DD)"),
        ("March 2025", "is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD"),
    ],
)
def test_a_date_written_another_way_says_how_to_write_it(text: str, says: str) -> None:
    with pytest.raises(ValueError) as exc:
        dates.parse_partial_date(text)
    assert says in str(exc.value)


def test_a_day_off_the_calendar_is_named() -> None:
    assert dates.calendar_problem(0) == "there is no year 0"
    assert dates.calendar_problem(2025, 4, 0) == "there is no day 00 (days start at 01)"
    assert dates.calendar_problem(2025, 4, 31) == "April has 30 days"
    assert dates.calendar_problem(2024, 2, 29) is None and dates.calendar_problem(2025, 4) is None


def notebook(folder: Path, cells: list[Any], name: str = "00_x", **metadata: Any) -> Path:
    nb = nbformat.v4.new_notebook(cells=cells, metadata=metadata)
    path = folder / f"{name}.ipynb"
    path.write_text(nbformat.writes(nb), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("x: int = (  # help", "parameters line 1 is not valid"),
        ("x = 1  # help", "parameters line 1 must read 'name: type = value  # help'"),
        ("x: int = 1", "parameter line 1 needs a default and a help comment"),
        ("x: int = 1  # a = b", "has more than one '='"),
    ],
)
def test_a_parameters_line_written_wrongly_is_named(tmp_path: Path, line: str, says: str) -> None:
    code = nbformat.v4.new_code_cell(line, metadata={"tags": ["parameters"]})
    with pytest.raises(BuildError, match=r"^00_x.ipynb: ") as exc:
        nbs.declared_parameters(notebook(tmp_path, [code]))
    assert says in str(exc.value)
    with pytest.raises(BuildError, match=r"^00_x.ipynb: no code cell tagged 'parameters'"):
        nbs.declared_parameters(notebook(tmp_path, [nbformat.v4.new_code_cell("x = 1")]))


def test_title_and_question_fall_back(tmp_path: Path) -> None:
    plain = notebook(tmp_path, [nbformat.v4.new_markdown_cell("No heading here.")], "01_plain")
    assert nbs.title(plain) == "01_plain" and nbs.question(plain) == ""
    named = notebook(tmp_path, [nbformat.v4.new_markdown_cell("# Heading")], "02_named", title="Set title")
    assert nbs.title(named) == "Set title"


def test_the_modules_a_notebook_imports_skip_magics_and_relative_imports(tmp_path: Path) -> None:
    cells = [
        nbformat.v4.new_markdown_cell("import not_code"),
        nbformat.v4.new_code_cell("%matplotlib inline\nimport hidden"),
        nbformat.v4.new_code_cell("import pandas as pd, alliancelib.charts\nfrom alliancelib import data"),
        nbformat.v4.new_code_cell("from . import sibling\nfrom numpy import array"),
    ]
    assert warm.imported_modules(notebook(tmp_path, cells)) == [
        "alliancelib",
        "alliancelib.charts",
        "numpy",
        "pandas",
    ]


def test_an_edition_cut_from_the_command_line_says_what_to_do_next(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from alliancelib import editions

    monkeypatch.setattr(
        editions, "cut", lambda version, day: (Path(f"editions/v{version}.json"), f"## {day}")
    )
    assert cli.main(["edition", "1.2.3", "--date", "2026-12-07"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("## 2026-12-07\n") and "wrote v1.2.3.json and CHANGELOG.md" in out
    assert "git tag v1.2.3" in out
