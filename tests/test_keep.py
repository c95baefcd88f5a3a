"""A build never deletes what it did not build (a row of the README's "What you see when something
is wrong"): a one-off build, a failed one-off, ``--only`` inside a scenario and a build without
``--pdf`` each leave every report they did not rebuild byte for byte, and the index lists every
scenario folder present. Builds run the small notebooks of ``buildkit``; PDF printing is replaced
by a stand-in that writes the page's hash, so no browser is needed here (tests/test_pdf.py prints
for real)."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from buildkit import failing_notebook, findings_notebook

from alliancelib import build as b
from alliancelib import carry
from alliancelib.scenarios import Scenario

pytestmark = pytest.mark.slow


def tree(root: Path, under: str = "") -> dict[str, bytes]:
    """Every file under ``root/under`` (the cache left out), by path relative to ``root``."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted((root / under).rglob("*"))
        if p.is_file() and b.CACHE_DIR not in p.parts
    }


def scenario_file(folder: Path, name: str, x: int) -> Scenario:
    path = folder / f"{name}.toml"
    path.write_text(f'name = "{name}"\ndescription = "The {name} case"\n[shared]\nx = {x}\n')
    return b.load_scenario(path)


@pytest.fixture(scope="module")
def built_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two notebooks (``notebooks/``) built for two scenarios (``base.toml``, ``cautious.toml``)
    into ``reports/``, plus a file of the user's own there: built once for the module, in a folder
    no test changes (each works on a copy, :func:`built`)."""
    root = tmp_path_factory.mktemp("keep")
    folder = root / "notebooks"
    findings_notebook(folder, "00_alpha")
    findings_notebook(folder, "01_beta")
    scenarios = [scenario_file(root, "base", 1), scenario_file(root, "cautious", 2)]
    out = root / "reports"
    outcomes = b.build(out, scenarios, notebook_dir=folder, jobs=2)
    assert [o.ok for o in outcomes] == [True] * 4, outcomes
    (out / "my-notes.txt").write_text("the analyst's own notes")
    return root


@pytest.fixture
def built(tmp_path: Path, built_once: Path) -> tuple[Path, Path, list[Scenario]]:
    """A private copy of the module's build: the output folder, the notebooks and the scenarios
    (loaded from the copy's scenario files)."""
    shutil.copytree(built_once, tmp_path, dirs_exist_ok=True)
    scenarios = [b.load_scenario(tmp_path / f"{name}.toml") for name in ("base", "cautious")]
    return tmp_path / "reports", tmp_path / "notebooks", scenarios


def test_a_one_off_build_keeps_every_other_scenario(built: tuple[Path, Path, list[Scenario]]) -> None:
    """The README's one-off example (``--only NAME -p ...``) writes custom/ and nothing else."""
    out, folder, _ = built
    before = tree(out)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "alliancelib",
            "build",
            "--out",
            str(out),
            "--notebooks",
            str(folder),
            "--only",
            "01_beta",
            "-p",
            "x=5",
        ],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    after = tree(out)
    kept = {k: v for k, v in before.items() if k != "index.html"}
    assert {k: after[k] for k in kept} == kept  # base/, cautious/ and the user's file, byte for byte
    assert sorted(k for k in after if k.startswith("custom/")) == [
        "custom/01_beta.html",
        "custom/01_beta.ipynb",
        "custom/01_beta_tables/01-results.csv",
        "custom/results.json",
    ]
    index = (out / "index.html").read_text()
    for sc in ("base", "cautious", "custom"):
        assert f'href="{sc}/01_beta.html"' in index
    assert (
        "It raises **EUR 500m**"
        in json.loads((out / "custom" / "results.json").read_text())["notebooks"]["01_beta"]["findings"][
            "items"
        ][0]["text"]
    )


def test_a_failed_one_off_keeps_every_other_scenario(built: tuple[Path, Path, list[Scenario]]) -> None:
    out, folder, _ = built
    failing_notebook(folder, "02_broken")
    before = tree(out)
    outcomes = b.build(out, overrides={"x": 3}, only=["02_broken"], notebook_dir=folder)
    assert [o.ok for o in outcomes] == [False]
    after = tree(out)
    assert {k: after[k] for k in before if k != "index.html"} == {
        k: v for k, v in before.items() if k != "index.html"
    }
    assert (out / "custom" / "02_broken.ipynb").exists()  # kept for debugging
    index = (out / "index.html").read_text()
    assert "boom &lt;b&gt;" in index and 'href="base/00_alpha.html"' in index
    assert 'href="cautious/01_beta.html"' in index


def test_only_one_notebook_keeps_the_others_of_its_scenario(built: tuple[Path, Path, list[Scenario]]) -> None:
    """``--only`` in a scenario rebuilds that notebook's files and record; its siblings stay."""
    out, folder, scenarios = built
    before = tree(out)
    changed = scenario_file(out.parent, "base", 7)
    b.build(out, [changed], only=["00_alpha"], notebook_dir=folder)
    after = tree(out)
    for name in ("base/01_beta.html", "base/01_beta.ipynb", "cautious/00_alpha.html", "my-notes.txt"):
        assert after[name] == before[name], name
    assert after["base/00_alpha.html"] != before["base/00_alpha.html"]
    record = json.loads((out / "base" / "results.json").read_text())["notebooks"]
    assert record["00_alpha"]["parameters"] == {"x": 7} and record["01_beta"]["parameters"] == {"x": 1}
    assert list(record["00_alpha"]["results"]) == ["raised_eur_m", "share_pct"]  # the recorded order


def fake_printer(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Replace Chromium: each 'PDF' holds the SHA-256 of the page it prints; returns the pages printed."""
    printed: list[str] = []

    def print_all(browser: str, pages: list[Path], workers: int) -> list[Path]:
        for page in pages:
            page.with_suffix(".pdf").write_text(hashlib.sha256(page.read_bytes()).hexdigest())
            printed.append(page.name)
        return [p.with_suffix(".pdf") for p in pages]

    monkeypatch.setattr(b, "find_chromium", lambda: "/fake/chromium")
    monkeypatch.setattr(b, "print_all", print_all)
    return printed


def test_pdfs_stay_until_their_report_changes(
    built: tuple[Path, Path, list[Scenario]], monkeypatch: pytest.MonkeyPatch
) -> None:
    out, folder, scenarios = built
    fake_printer(monkeypatch)
    b.build(out, scenarios, notebook_dir=folder, pdf=True)
    pdfs = {k: v for k, v in tree(out).items() if k.endswith(".pdf")}
    assert sorted(pdfs) == [
        "base/00_alpha.pdf",
        "base/01_beta.pdf",
        "cautious/00_alpha.pdf",
        "cautious/01_beta.pdf",
        "index.pdf",
    ]
    # the same reports again without --pdf: every PDF stays (each still shows its report)
    b.build(out, scenarios, notebook_dir=folder)
    assert {k: v for k, v in tree(out).items() if k.endswith(".pdf")} == pdfs
    index = (out / "index.html").read_text()
    assert 'href="base/00_alpha.pdf"' in index and 'href="index.pdf"' in index
    # cautious changes: its PDFs (and the index's) no longer match, so they go and are not linked;
    # base's stay
    changed = scenario_file(out.parent, "cautious", 9)
    b.build(out, [scenarios[0], changed], notebook_dir=folder)
    left = {k: v for k, v in tree(out).items() if k.endswith(".pdf")}
    assert left == {k: pdfs[k] for k in ("base/00_alpha.pdf", "base/01_beta.pdf")}
    index = (out / "index.html").read_text()
    assert 'href="base/00_alpha.pdf"' in index and 'href="cautious/00_alpha.pdf"' not in index
    assert 'href="index.pdf"' not in index


def test_the_index_lists_every_scenario_folder_present(built: tuple[Path, Path, list[Scenario]]) -> None:
    out, folder, _ = built
    scenarios, outcomes = carry.read_folder(out, folder)
    assert [s.name for s in scenarios] == ["base", "cautious"]
    assert [s.description for s in scenarios] == ["The base case", "The cautious case"]
    assert sorted((o.job.scenario, o.job.notebook, o.ok) for o in outcomes) == [
        ("base", "00_alpha", True),
        ("base", "01_beta", True),
        ("cautious", "00_alpha", True),
        ("cautious", "01_beta", True),
    ]
    assert {o.job.overrides["x"] for o in outcomes if o.job.scenario == "cautious"} == {2}


def test_owner_of_a_file() -> None:
    assert carry.owner("01_beta.html", ["01_beta", "01_bet"]) == "01_beta"
    assert carry.owner("01_beta_tables", ["01_beta"]) == "01_beta"
    assert carry.owner("01_betamax.html", ["01_beta"]) is None
    assert carry.owner("results.json", ["01_beta"]) is None
