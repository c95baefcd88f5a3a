"""The build: plan checks before anything runs, outputs, failures, scenarios, determinism."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from alliancelib import build as b
from alliancelib.paths import NOTEBOOKS_DIR

NB00 = "00_claims_and_timeline"


def test_parse_overrides() -> None:
    assert b.parse_overrides(["fx_tolerance_pct=0.5", "market=DE", "eur_usd=None"]) == {
        "fx_tolerance_pct": 0.5, "market": "DE", "eur_usd": None}
    with pytest.raises(b.BuildError, match="write -p name=value"):
        b.parse_overrides(["fx_tolerance_pct"])


def test_unknown_names_fail_before_anything_runs(tmp_path: Path) -> None:
    with pytest.raises(b.BuildError, match="no notebook declares this parameter; parameters: "
                                           ".*fx_tolerance_pct"):
        b.build(tmp_path / "r", overrides={"fx_tolerence_pct": 1})
    with pytest.raises(b.BuildError, match="no such notebook; notebooks: 00_claims"):
        b.build(tmp_path / "r", only=["99_nothing"])
    assert list(tmp_path.iterdir()) == []


def test_bad_value_fails_before_anything_runs(tmp_path: Path) -> None:
    from alliancelib.errors import ParameterError

    with pytest.raises(ParameterError, match="fx_tolerance_pct = -1 is not allowed"):
        b.build(tmp_path / "r", overrides={"fx_tolerance_pct": -1})
    assert list(tmp_path.iterdir()) == []


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_scenario_files_are_checked(tmp_path: Path) -> None:
    bad_toml = write(tmp_path / "a.toml", 'name = "a"\n[shared\nfx_date = 1\n')
    with pytest.raises(b.BuildError, match=r"a.toml: not a valid scenario file: .*line 2"):
        b.load_scenario(bad_toml)
    unknown_nb = b.load_scenario(write(tmp_path / "b.toml", 'name = "b"\n[notebooks.07_x]\ny = 1\n'))
    with pytest.raises(b.BuildError, match=r"b.toml: \[notebooks.07_x\]: no such notebook"):
        b.plan([unknown_nb])
    unknown_p = b.load_scenario(write(tmp_path / "c.toml",
                                      f'name = "c"\n[notebooks.{NB00}]\nfx_tol = 1\n'))
    with pytest.raises(b.BuildError, match=f"{NB00} has no such parameter; its parameters: "
                                           "reference_date, fx_tolerance_pct"):
        b.plan([unknown_p])
    with pytest.raises(b.BuildError, match="unknown key"):
        b.load_scenario(write(tmp_path / "d.toml", 'name = "d"\nshraed = 1\n'))
    with pytest.raises(b.BuildError, match="must use only"):
        b.load_scenario(write(tmp_path / "e.toml", 'name = "../e"\n'))


def test_plan_merges_shared_per_notebook_and_overrides(tmp_path: Path) -> None:
    sc = b.load_scenario(write(tmp_path / "s.toml", f"""
name = "s"
description = "test"
[shared]
reference_date = "2025-04-01"
fx_tolerance_pct = 0.5
[notebooks.{NB00}]
fx_tolerance_pct = 0.2
"""))
    (job,) = [j for j in b.plan([sc], {"reference_date": "2025-04-02"}) if j.notebook == NB00]
    assert job.parameters == {"reference_date": "2025-04-02", "fx_tolerance_pct": 0.2}
    assert job.overrides == job.parameters


@pytest.mark.slow
def test_build_outputs_and_failures(tmp_path: Path) -> None:
    # a notebook folder with the real notebook and one that fails
    folder = tmp_path / "notebooks"
    folder.mkdir()
    shutil.copy(NOTEBOOKS_DIR / f"{NB00}.ipynb", folder)
    broken = nbformat.v4.new_notebook()
    broken.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                     "language": "python"}
    broken.cells = [nbformat.v4.new_code_cell("x: int = 1  # a parameter", metadata={"tags": ["parameters"]}),
                    nbformat.v4.new_code_cell("raise RuntimeError('boom <b>')")]
    nbformat.write(broken, str(folder / "01_broken.ipynb"))
    out = tmp_path / "reports"
    outcomes = b.build(out, overrides={"fx_tolerance_pct": 0.01}, notebook_dir=folder, jobs=2)
    by_name = {o.job.notebook: o for o in outcomes}
    assert by_name[NB00].ok and not by_name["01_broken"].ok
    assert by_name["01_broken"].error == "RuntimeError: boom <b>"
    sc = out / "custom"
    assert (sc / "01_broken.ipynb").exists() and not (sc / "01_broken.html").exists()
    results = json.loads((sc / "results.json").read_text())
    assert results["notebooks"][NB00]["results"]["claims_contradicted"]["value"] == 2
    assert results["notebooks"]["01_broken"]["status"] == "failed"
    index = (out / "index.html").read_text()
    assert f'href="custom/{NB00}.html"' in index and "boom &lt;b&gt;" in index
    assert "fx_tolerance_pct = 0.01" in index
    html = (sc / f"{NB00}.html").read_text()
    assert not re.search(r"<script[^>]+src=|https://cdn|<link[^>]+href=\"http", html)
    imgs = re.findall(r"<img [^>]*>", html)
    assert imgs and all('alt="' in i and 'alt=""' not in i for i in imgs)
    assert "def " not in html and "import " not in html  # code hidden
    executed = (sc / f"{NB00}.ipynb").read_text()
    assert str(tmp_path) not in executed and '"start_time"' not in executed
    assert not list(tmp_path.glob(".reports.*"))  # staging removed


@pytest.mark.slow
def test_two_builds_are_byte_identical(tmp_path: Path) -> None:
    for name in ("a", "b"):
        b.build(tmp_path / name, only=[NB00])
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*")
                   if p.is_file() and b.CACHE_DIR not in p.parts)
    assert len(files) == 4
    for f in files:
        assert (tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes(), f


@pytest.mark.slow
def test_cli_build_scenario_and_errors(tmp_path: Path) -> None:
    sc = write(tmp_path / "tight.toml", f'name = "tight"\ndescription = "Tight <script>alert(1)</script>"\n'
                                        f'[notebooks.{NB00}]\nfx_tolerance_pct = 0.01\n')
    base = [sys.executable, "-m", "alliancelib", "build", "--out", str(tmp_path / "r")]
    cmd = base + ["--only", NB00, "--scenario", str(sc), "--jobs", "1"]
    done = subprocess.run(cmd, capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "[1/1] tight/00_claims_and_timeline: ok" in done.stderr  # plain lines off a terminal
    assert "Kernel is running over TCP" not in done.stderr
    index = (tmp_path / "r" / "index.html").read_text()
    assert "<script>alert" not in index and "&lt;script&gt;alert(1)&lt;/script&gt;" in index
    bad = subprocess.run(base + ["-p", "nope=1"], capture_output=True, text=True)
    assert bad.returncode == 2
    assert bad.stderr.strip().splitlines()[-1].startswith("alliance: -p nope: no notebook declares")


def test_cli_params_lists_type_default_and_help() -> None:
    out = subprocess.run([sys.executable, "-m", "alliancelib", "params", NB00],
                         capture_output=True, text=True, check=True).stdout
    assert "  fx_tolerance_pct: float = 0.1\n      largest gap (%)" in out
    bad = subprocess.run([sys.executable, "-m", "alliancelib", "params", "nope"],
                         capture_output=True, text=True)
    assert bad.returncode == 2 and "notebooks: 00_claims_and_timeline" in bad.stderr
