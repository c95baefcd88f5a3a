"""Editions: ``alliance diff`` between git revisions, results.json files and edition files; cutting
an edition (its file and CHANGELOG section); the front page's "Since the last edition" box."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from buildkit import findings_notebook

from alliancelib import build as b
from alliancelib import editions
from alliancelib.paths import DATA_DIR, NOTEBOOKS_DIR, ROOT
from alliancelib.scenarios import Scenario

AMPERE = "04_ampere_investment"


def state(results: dict, findings: dict, data: dict | None = None) -> editions.State:
    return editions.State("test", results, findings, data)


def rec(name: str, value: float, label: str = "", unit: str = "EUR m", **kw: float) -> dict:
    return {"name": name, "value": value, "unit": unit, "label": label or name, **kw}


def test_compare_lists_results_findings_and_rows_by_key() -> None:
    old = state(
        {
            "01_x": {
                "a_eur_m": rec("a_eur_m", 679.27, "Sale", low=470.0, high=679.27),
                "b_pct": rec("b_pct", 35.71, unit="%"),
            }
        },
        {"01_x": {"sale": "It raises **EUR 679m**.", "gone": "Old finding."}},
        {"facts.csv": {"k1": {"fact_id": "k1", "value": "1"}, "k2": {"fact_id": "k2", "value": "2"}}},
    )
    new = state(
        {
            "01_x": {
                "a_eur_m": rec("a_eur_m", 650.0, "Sale", low=470.0, high=650.0),
                "b_pct": rec("b_pct", 35.71, unit="%"),
            }
        },
        {"01_x": {"sale": "It raises **EUR 650m**.", "new": "A new finding."}},
        {"facts.csv": {"k1": {"fact_id": "k1", "value": "1.5"}, "k3": {"fact_id": "k3", "value": "3"}}},
    )
    lines = editions.report(editions.compare(old, new)).splitlines()
    assert lines == [
        "result  01_x · Sale: 679 (range 470–679) -> 650 (range 470–650) EUR m [defaults]",
        "finding 01_x · gone: removed: Old finding.",
        "finding 01_x · new: added: A new finding.",
        "finding 01_x · sale: changed: It raises **EUR 650m**.",
        "data    facts.csv · k1: changed (value=1 -> value=1.5)",
        "data    facts.csv · k2: removed (fact_id=k2, value=2)",
        "data    facts.csv · k3: added (fact_id=k3, value=3)",
    ]
    assert editions.report(editions.compare(old, old)) == "no change"
    # a results.json holds no data: the rows are not compared, the rest is
    assert [c.kind for c in editions.compare(old, state(new.results, new.findings))] == ["result"] + [
        "finding"
    ] * 3


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git repository holding copies of two committed notebooks and the data."""
    root = tmp_path / "project"
    (root / "notebooks").mkdir(parents=True)
    for nb in (AMPERE, "05_deal_ledger"):
        shutil.copy(NOTEBOOKS_DIR / f"{nb}.ipynb", root / "notebooks")
    shutil.copytree(DATA_DIR, root / "data")
    git(root, "init", "-q")
    git(root, "-c", "user.name=t", "-c", "user.email=t@t", "add", "-A")
    git(root, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "one")
    return root


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "alliancelib", *args], capture_output=True, text=True)


def test_diff_between_two_revisions(repo: Path) -> None:
    nb_path = repo / "notebooks" / f"{AMPERE}.ipynb"
    nb = json.loads(nb_path.read_text())
    from alliancelib.results import RESULT_MIME

    moved = None
    for cell in nb["cells"]:
        for out in cell.get("outputs", []):
            record = out.get("data", {}).get(RESULT_MIME)
            if record and record["name"] == "post_money_eur_bn":
                record["value"] = 11.5
                moved = record
    assert moved is not None
    nb_path.write_text(json.dumps(nb))
    facts = repo / "data" / "facts.csv"
    lines = facts.read_text().splitlines(keepends=True)
    facts.write_text("".join(lines[:1] + lines[2:]))  # the first fact removed
    removed = lines[1].split(",")[0]
    git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qam", "two")
    done = cli("diff", "HEAD~1", "HEAD", "--repo", str(repo))
    assert done.returncode == 0, done.stderr
    out = done.stdout.splitlines()
    assert [ln for ln in out if ln.startswith("result")] == [
        f"result  {AMPERE} · {moved['label']}: " + out[0].split(": ", 1)[1]
    ]
    assert "-> 11.5" in out[0] and "EUR bn [defaults]" in out[0]
    assert out[1:] == [f"data    facts.csv · {removed}: removed ({_row_text(lines[0], lines[1])})"]
    assert cli("diff", "HEAD", "HEAD", "--repo", str(repo)).stdout == "no change\n"
    bad = cli("diff", "v9.9.9", "HEAD", "--repo", str(repo))
    assert bad.returncode == 2
    assert bad.stderr == "alliance: v9.9.9: not a git revision, an edition in editions/ or a .json file\n"


def _row_text(header: str, row: str) -> str:
    import csv

    record = next(csv.DictReader([header, row]))
    return ", ".join(f"{k}={v}" for k, v in record.items() if v)


def test_cut_writes_the_edition_and_its_changelog_section(repo: Path) -> None:
    (repo / "CHANGELOG.md").write_text("# Changelog\n\n## [Unreleased]\n\n- Hand-written note.\n")
    path, section = editions.cut("0.1.0", "2026-12-01", repo)
    assert path == repo / "editions" / "v0.1.0.json"
    assert section.startswith("## [0.1.0] - 2026-12-01") and "- Hand-written note." in section
    assert "No finding, result or fact moved." in section  # the first edition has nothing before it
    log = (repo / "CHANGELOG.md").read_text()
    assert log.index("## [Unreleased]") < log.index("## [0.1.0] - 2026-12-01")
    with pytest.raises(editions.EditionError, match="editions are never rewritten"):
        editions.cut("0.1.0", "2026-12-02", repo)
    # a moved fact appears in the next edition's section, and the edition's name works for diff
    facts = repo / "data" / "facts.csv"
    text = facts.read_text()
    facts.write_text(
        text + text.splitlines()[1].replace(text.splitlines()[1].split(",")[0], "added_fact_x", 1) + "\n"
    )
    (repo / "CHANGELOG.md").write_text(
        (repo / "CHANGELOG.md")
        .read_text()
        .replace("## [Unreleased]\n", "## [Unreleased]\n\n- Second note.\n", 1)
    )
    _, second = editions.cut("0.2.0", "2026-12-07", repo)
    assert "### Facts added, changed or removed\n\n- facts.csv · added_fact_x: added (" in second
    assert second.rstrip().endswith("- Second note.")
    assert editions.report(
        editions.compare(editions.read_state("v0.1.0", repo), editions.read_state("v0.2.0", repo))
    ).startswith("data    facts.csv · added_fact_x: added")
    with pytest.raises(editions.EditionError, match="X.Y.Z"):
        editions.cut("next", "2026-12-07", repo)


@pytest.mark.slow
def test_two_builds_with_a_changed_data_row(
    shared_reports: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two real builds of notebook 04, the second with the euro's dollar rate of 31 March 2025
    moved in a copy of the data: the diff of their results.json names the result that moved. The
    first is the suite's shared build (tests/shared.py: its base scenario is the defaults); the
    second rebuilds 04 alone in a copy of it, so the other notebooks' results stay as they were."""
    first = shared_reports
    second = tmp_path / "second"
    shutil.copytree(shared_reports, second, ignore=shutil.ignore_patterns(b.CACHE_DIR))
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    rates = data / "fx_rates.csv"
    rates.write_text(rates.read_text().replace("2025-03-31,USD,1.0815", "2025-03-31,USD,1.2000"))
    monkeypatch.setenv("ALLIANCE_DATA_DIR", str(data))
    (outcome,) = b.build(second, [Scenario("base")], only=[AMPERE])
    assert not outcome.cached
    done = cli("diff", str(first / "base" / "results.json"), str(second / "base" / "results.json"))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    usd = [ln for ln in lines if ln.startswith("result") and "USD m [base]" in ln]
    assert usd and "649 -> 720" in usd[0], lines
    assert cli("diff", str(first / "base" / "results.json"), str(first / "base" / "results.json")).stdout == (
        "no change\n"
    )


@pytest.mark.slow
def test_the_front_page_box_matches_the_diff(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An edition committed beside the notebooks: the front page says what moved since, the same
    results and facts as ``alliance diff`` (and nothing without an edition)."""
    project = tmp_path / "project"
    folder = project / "notebooks"
    findings_notebook(folder, "00_alpha")
    out = tmp_path / "reports"
    b.build(out, [Scenario("base")], notebook_dir=folder)
    assert "Since the last edition" not in (out / "index.html").read_text()
    first = editions.read_results_json(out / "base" / "results.json")
    edition = editions.State(
        "v0.1.0",
        first.results,
        first.findings,
        editions.read_data_folder(DATA_DIR),
        "defaults",
        "0.1.0",
        "2026-12-01",
    )
    (project / "editions").mkdir()
    (project / "editions" / "v0.1.0.json").write_text(edition.to_json())
    b.build(out, [Scenario("base")], notebook_dir=folder)
    page = (out / "index.html").read_text()
    assert "The last edition" not in page
    assert "Since the last edition (v0.1.0, 1 December 2026), no key finding or result changed." in page
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    gaps = data / "gaps.csv"
    lines = gaps.read_text().splitlines(keepends=True)
    gaps.write_text("".join(lines[:-1]))
    monkeypatch.setenv("ALLIANCE_DATA_DIR", str(data))
    b.build(out, [Scenario("base", "")], overrides={"x": 4}, notebook_dir=folder)
    page = (out / "index.html").read_text()
    now = editions.read_results_json(out / "base" / "results.json")
    now = editions.State("now", now.results, now.findings, editions.read_data_folder(data))
    changes = editions.compare(edition, now)
    assert [c.kind for c in changes].count("data") == 1
    n_findings = [c.kind for c in changes].count("finding")
    n_results = [c.kind for c in changes].count("result")
    assert (n_findings, n_results) == (1, 1)
    # one sentence, counted from the edition files; the lines themselves are the changelog's and the diff's
    assert "Since the last edition (v0.1.0, 1 December 2026), 1 key finding and 1 result changed." in page
    assert (
        "CHANGELOG.md</code> lists every" in page
        and "<code>alliance diff v0.1.0 .</code> in its folder" in page
    )
    for c in changes:
        if c.kind == "result":
            assert f"{c.what}: {c.old} → {c.new}" not in page  # no changelog lines on the reader's page
    assert "(removed)" not in page and "gap in the sources" not in page


def test_the_project_has_its_first_editions() -> None:
    """v0.1.0 is the state before editions were kept; each later edition is one a release cut,
    with its section in CHANGELOG.md and the package at its version."""
    import alliancelib

    files = [p.name for p in editions.edition_files(ROOT)]
    assert files[:1] == ["v0.1.0.json"] and len(files) >= 2
    for path in editions.edition_files(ROOT):
        doc = editions.read_edition(path)
        assert doc.version == path.stem[1:] and doc.data and doc.results and doc.findings
    newest = editions.read_edition(editions.edition_files(ROOT)[-1])
    assert newest.version == alliancelib.__version__
    assert f"## [{newest.version}] - {newest.date}" in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
