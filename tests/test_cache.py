"""Incremental builds: same results with and without the cache; no kernel when nothing changed;
re-execution exactly when a dependency changed."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from helpers import replace_in

from alliancelib import build as b
from alliancelib.paths import NOTEBOOKS_DIR

NB00 = "00_claims_and_timeline"
pytestmark = pytest.mark.slow


def reports(root: Path) -> dict[str, str]:
    """Every report file's hash, the cache folder left out."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and b.CACHE_DIR not in p.parts}


@pytest.fixture
def one_notebook(tmp_path: Path) -> Path:
    folder = tmp_path / "notebooks"
    folder.mkdir()
    shutil.copy(NOTEBOOKS_DIR / f"{NB00}.ipynb", folder)
    return folder


def no_kernels(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("a kernel was started")
    monkeypatch.setattr(b, "execute", refuse)


def test_warm_rebuild_is_identical_and_starts_no_kernel(tmp_path: Path, one_notebook: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "r"
    cold = b.build(out, notebook_dir=one_notebook, use_cache=False)
    assert not any(o.cached for o in cold)
    before = reports(out)
    no_kernels(monkeypatch)
    warm = b.build(out, notebook_dir=one_notebook)
    assert all(o.cached for o in warm) and reports(out) == before


def test_prose_edit_rerenders_without_a_kernel_and_matches_a_full_run(
        tmp_path: Path, one_notebook: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    b.build(tmp_path / "cached", notebook_dir=one_notebook)
    nb = one_notebook / f"{NB00}.ipynb"
    replace_in(nb, "how do the events of 2023", "how do the events of 2023 (edited)")
    with monkeypatch.context() as m:
        no_kernels(m)
        (o,) = b.build(tmp_path / "cached", notebook_dir=one_notebook)
        assert o.cached
    b.build(tmp_path / "full", notebook_dir=one_notebook, use_cache=False)
    assert reports(tmp_path / "cached") == reports(tmp_path / "full")
    assert "(edited)" in (tmp_path / "cached" / "default" / f"{NB00}.html").read_text()


def test_changes_that_matter_re_execute(tmp_path: Path, one_notebook: Path, data_copy: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "r"
    b.build(out, notebook_dir=one_notebook)
    # another parameter value
    (o,) = b.build(out, overrides={"fx_tolerance_pct": 0.01}, notebook_dir=one_notebook)
    assert not o.cached and o.results["claims_contradicted"]["value"] == 2
    # a code cell
    replace_in(one_notebook / f"{NB00}.ipynb", "counts = claims.status_counts(assessed)",
               "counts = claims.status_counts(assessed)  # edited")
    (o,) = b.build(out, notebook_dir=one_notebook)
    assert not o.cached
    # the data
    monkeypatch.setenv("ALLIANCE_DATA_DIR", str(data_copy))
    (o,) = b.build(out, notebook_dir=one_notebook)
    assert o.cached  # an identical copy of the data is the same data
    replace_in(data_copy / "claims.csv", "No source found that the exit", "No source found that Nissan's exit")
    (o,) = b.build(out, notebook_dir=one_notebook)
    assert not o.cached
    assert "No source found that Nissan" in (out / "default" / f"{NB00}.html").read_text()


def test_the_cache_lives_under_the_output_folder_and_survives_scenarios(
        tmp_path: Path, one_notebook: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "r"
    b.build(out, notebook_dir=one_notebook)
    b.build(out, overrides={"fx_tolerance_pct": 0.5}, notebook_dir=one_notebook)
    entries = [e for e in (out / b.CACHE_DIR).iterdir()]
    assert len(entries) == 2 and all((e / "outcome.json").exists() for e in entries)
    no_kernels(monkeypatch)
    (o,) = b.build(out, notebook_dir=one_notebook)  # back to the defaults: still cached
    assert o.cached
    doc = json.loads((out / "default" / "results.json").read_text())
    assert doc["notebooks"][NB00]["results"]["claims_total"]["value"] == 17
