"""Faults: a killed build loses nothing, builds are deterministic, strings are escaped, bad data
fails once before anything runs."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from helpers import line_of, replace_in

from alliancelib import build as b

NB00 = "00_claims_and_timeline"
pytestmark = pytest.mark.slow


def tree_hash(root: Path) -> dict[str, str]:
    """Hash of every report file (the build cache under .cache left out)."""
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and b.CACHE_DIR not in p.parts}


def alliance(*args: str, env: dict | None = None, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "alliancelib", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, **(env or {})},
                            start_new_session=True, **kw)


def test_sigkill_at_any_moment_leaves_the_previous_reports(tmp_path: Path) -> None:
    """After a SIGKILL the output folder is, byte for byte, either the previous reports or (if
    the swap had already happened) the complete new ones: never a mixture or a half."""
    out = tmp_path / "reports"
    base = ["build", "--only", NB00, "--out", str(out)]
    change = ["-p", "fx_tolerance_pct=0.01"]
    reference = alliance("build", "--only", NB00, "--out", str(tmp_path / "ref"), *change)
    assert reference.wait(120) == 0
    new_state = tree_hash(tmp_path / "ref")
    start = time.monotonic()
    assert alliance(*base).wait(120) == 0
    seconds = time.monotonic() - start
    old_state = tree_hash(out)
    assert old_state != new_state
    intact = 0

    def killed_build(when) -> None:
        nonlocal intact
        proc = alliance(*base, *change)
        when(proc)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(30)
        after = tree_hash(out)
        assert after in (old_state, new_state)
        if after == new_state:  # it won the race: restore the previous reports
            assert alliance(*base).wait(120) == 0
        else:
            intact += 1

    for fraction in (0.02, 0.2, 0.45, 0.7, 0.9):
        killed_build(lambda proc, f=fraction: time.sleep(f * seconds))

    def just_before_the_swap(proc: subprocess.Popen) -> None:
        # the staging index.html is the last file written before the swap
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            if list(tmp_path.glob(".reports.tmp-*/index.html")):
                return
            time.sleep(0.002)

    killed_build(just_before_the_swap)
    assert intact >= 4, f"only {intact} of 6 builds were killed before their swap"
    assert alliance(*base, *change).wait(120) == 0
    assert not list(tmp_path.glob(".reports.*"))  # staging folders of killed builds are removed
    assert tree_hash(out) == new_state


def test_two_cold_builds_of_every_notebook_are_byte_identical(tmp_path: Path) -> None:
    b.build(tmp_path / "a")
    b.build(tmp_path / "b")
    a, bb = tree_hash(tmp_path / "a"), tree_hash(tmp_path / "b")
    assert len(a) == 5 * 2 + 2 and a == bb


def test_a_script_in_a_source_title_is_inert(data_copy: Path, tmp_path: Path) -> None:
    replace_in(data_copy / "sources.csv", "Rediff.com,Renault to buy Nissan's 51% stake in RNAIPL",
               'Rediff.com,"Renault <script>alert(1)</script> buys ""51%"""')
    proc = alliance("build", "--only", NB00, "--out", str(tmp_path / "r"),
                    env={"ALLIANCE_DATA_DIR": str(data_copy)})
    assert proc.wait(120) == 0, proc.stderr.read()
    html = (tmp_path / "r" / "default" / f"{NB00}.html").read_text()
    assert "<script>alert(1)</script>" not in html
    assert "Renault &lt;script&gt;alert(1)&lt;/script&gt; buys" in html


def test_corrupt_data_fails_once_before_any_kernel(data_copy: Path, tmp_path: Path) -> None:
    f = data_copy / "facts.csv"
    line = line_of(f, "lockup_after_pct")
    replace_in(f, "2025 amendment,10,%", "2025 amendment,ten,%")
    start = time.monotonic()
    proc = alliance("build", "--out", str(tmp_path / "r"), env={"ALLIANCE_DATA_DIR": str(data_copy)})
    assert proc.wait(60) == 2
    err = proc.stderr.read().strip().splitlines()
    assert err == [f"alliance: data/facts.csv:{line}: column 'value': 'ten' is not a number"]
    assert not (tmp_path / "r").exists()
    assert time.monotonic() - start < 10  # no kernel was started


def test_failed_build_keeps_previous_reports_when_planning_fails(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    out.mkdir()
    (out / "keep.txt").write_text("previous")
    proc = alliance("build", "--out", str(out), "-p", "fx_tolerance_pct=-1")
    assert proc.wait(60) == 2
    assert proc.stderr.read().strip().endswith(
        "00_claims_and_timeline: parameter fx_tolerance_pct = -1 is not allowed: a finite number >= 0 and <= 100")
    assert (out / "keep.txt").read_text() == "previous"
    shutil.rmtree(out)
