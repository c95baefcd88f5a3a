"""`alliance refresh` re-creates the committed notebooks byte for byte; the progress display
is a bar on a terminal and plain lines otherwise."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from alliancelib import progress, refresh
from alliancelib.errors import BuildError
from alliancelib.paths import NOTEBOOKS_DIR
from alliancelib.runner import Outcome
from alliancelib.scenarios import Job


@pytest.mark.slow
def test_refresh_recreates_the_committed_notebook_exactly(tmp_path: Path) -> None:
    name = "02_india_transfer.ipynb"
    committed = (NOTEBOOKS_DIR / name).read_bytes()
    nb = json.loads(committed)
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"], cell["execution_count"] = [], None
    stripped = tmp_path / name
    stripped.write_text(json.dumps(nb), encoding="utf-8")
    refresh.refresh_one(stripped)
    assert stripped.read_bytes() == committed


def test_refresh_names_unknown_notebooks(tmp_path: Path) -> None:
    shutil.copy(NOTEBOOKS_DIR / "02_india_transfer.ipynb", tmp_path)
    with pytest.raises(BuildError, match="no such notebook.*notebooks: 02_india_transfer"):
        refresh.refresh(["99_nope"], folder=tmp_path)


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def outcome(name: str, ok: bool = True, cached: bool = False) -> Outcome:
    job = Job("default", name, NOTEBOOKS_DIR / f"{name}.ipynb", {}, {})
    return Outcome(job, ok, 1.5, "" if ok else "RuntimeError: boom", cached=cached)


def test_progress_is_a_bar_on_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    term = Terminal()
    monkeypatch.setattr(progress.sys, "stderr", term)
    tick = progress.progress(2)
    tick(outcome("00_claims_and_timeline"))
    tick(outcome("01_ownership"))
    assert "2/2" in term.getvalue() and "notebook" in term.getvalue() and "\r" in term.getvalue()


def test_progress_is_plain_lines_off_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    pipe = io.StringIO()
    monkeypatch.setattr(progress.sys, "stderr", pipe)
    tick = progress.progress(3)
    tick(outcome("00_claims_and_timeline"))
    tick(outcome("01_ownership", ok=False))
    tick(outcome("02_india_transfer", cached=True))
    assert pipe.getvalue().splitlines() == [
        "[1/3] default/00_claims_and_timeline: ok (1.5 s)",
        "[2/3] default/01_ownership: FAILED: RuntimeError: boom (1.5 s)",
        "[3/3] default/02_india_transfer: cached (1.5 s)",
    ]
