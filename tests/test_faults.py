"""Faults, each injected: a killed build, a kernel that dies, a full disk, two builds into one
folder; plus determinism, escaping and bad data failing once before anything runs. Every case is
a row of the README's table "What you see when something is wrong"."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from buildkit import dying_notebook, findings_notebook, sleeping_notebook
from helpers import line_of, replace_in

from alliancelib import build as b
from alliancelib import fsutil
from alliancelib.errors import BuildError

NB00 = "00_claims_and_timeline"
pytestmark = pytest.mark.slow


def tree_hash(root: Path, with_cache: bool = False) -> dict[str, str]:
    """Hash of every report file (the build cache under .cache left out unless asked)."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and (with_cache or b.CACHE_DIR not in p.parts)
    }


def alliance(*args: str, env: dict | None = None, **kw) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "alliancelib", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, **(env or {})},
        start_new_session=True,
        **kw,
    )


def kernel_trap(folder: Path) -> tuple[dict[str, str], Path]:
    """An environment in which starting a Python kernel leaves a file behind instead: a ``python3``
    kernel spec on ``JUPYTER_PATH`` (searched before the installed one) whose command only writes
    ``<folder>/kernel-started``. Shows that no kernel started, without timing anything."""
    marker = folder / "kernel-started"
    spec = folder / "jupyter" / "kernels" / "python3"
    spec.mkdir(parents=True)
    argv = [sys.executable, "-c", f"open({str(marker)!r}, 'w').close()"]
    (spec / "kernel.json").write_text(
        json.dumps({"argv": argv, "display_name": "trap", "language": "python"})
    )
    return {"JUPYTER_PATH": str(folder / "jupyter")}, marker


def leftovers(parent: Path, out: str = "reports") -> list[str]:
    """What builds left beside the output folder: staging, old folders, lock files."""
    return sorted(p.name for p in parent.glob(f".{out}.*"))


@pytest.fixture(scope="module")
def alpha_once(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """``notebooks/`` holding buildkit's findings notebook ``00_alpha`` and ``reports/``, its build
    at the defaults (cache included): built once for the module, never changed (tests copy it)."""
    root = tmp_path_factory.mktemp("alpha")
    findings_notebook(root / "notebooks", "00_alpha")
    (outcome,) = b.build(root / "reports", notebook_dir=root / "notebooks")
    assert outcome.ok, outcome.error
    return root


@pytest.fixture
def alpha_built(tmp_path: Path, alpha_once: Path) -> tuple[Path, Path]:
    """A private copy, in ``tmp_path``, of the module's build of ``00_alpha``: (notebooks, reports).
    The same bytes, cache included, as building it there: the tests that start from "the previous
    reports" copy them instead of running a kernel for them."""
    for name in ("notebooks", "reports"):
        shutil.copytree(alpha_once / name, tmp_path / name)
    return tmp_path / "notebooks", tmp_path / "reports"


def test_sigkill_at_any_moment_leaves_the_previous_reports(tmp_path: Path) -> None:
    """After a SIGKILL the output folder is, byte for byte, either the previous reports or (if
    the swap had already happened) the complete new ones: never a mixture or a half."""
    folder = tmp_path / "notebooks"
    findings_notebook(folder, "00_alpha")
    sleeping_notebook(folder, "01_slow", seconds=1.0)
    out = tmp_path / "reports"
    first, second = tmp_path / "first.toml", tmp_path / "second.toml"
    first.write_text('name = "main"\n[shared]\nx = 1\n')
    second.write_text('name = "main"\n[shared]\nx = 2\n')  # the same scenario folder, rebuilt
    base = ["build", "--out", str(out), "--notebooks", str(folder), "--scenario", str(first)]
    change = ["--scenario", str(second)]
    reference = alliance("build", "--out", str(tmp_path / "ref"), "--notebooks", str(folder), *change)
    assert reference.wait(120) == 0
    new_state = tree_hash(tmp_path / "ref")
    start = time.monotonic()
    assert alliance(*base, "--no-cache").wait(120) == 0
    seconds = time.monotonic() - start
    old_state = tree_hash(out)
    assert old_state != new_state
    intact = 0

    def killed_build(when) -> None:
        nonlocal intact
        proc = alliance(*base[:-2], *change, "--no-cache")
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

    for fraction in (0.05, 0.35, 0.65):  # at start-up, while executing, while exporting
        killed_build(lambda proc, f=fraction: time.sleep(f * seconds))

    def just_before_the_swap(proc: subprocess.Popen) -> None:
        # the staging index.html is the last file written before the swap
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            if list(tmp_path.glob(".reports.tmp-*/index.html")):
                return
            time.sleep(0.002)

    killed_build(just_before_the_swap)
    assert intact >= 3, f"only {intact} of 4 builds were killed before their swap"
    assert alliance(*base[:-2], *change).wait(120) == 0
    assert leftovers(tmp_path) == []  # staging folders and locks of killed builds are gone
    assert tree_hash(out) == new_state


def test_a_dying_kernel_is_named_and_the_others_build(tmp_path: Path) -> None:
    folder = tmp_path / "notebooks"
    findings_notebook(folder, "00_alpha")
    dying_notebook(folder, "01_dies")
    out = tmp_path / "reports"
    proc = alliance("build", "--out", str(out), "--notebooks", str(folder))
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 1, stderr
    died = "default/01_dies: the kernel died while running code cell 3 (killed by a signal or out of memory)"
    assert died in stdout and "FAILED: the kernel died while running code cell 3" in stderr
    assert "1 failed" in stdout
    assert (out / "default" / "00_alpha.html").exists()  # the other notebook built
    kept = (out / "default" / "01_dies.ipynb").read_text()  # kept as far as it got, for debugging
    assert "before" in kept and "never" in kept
    index = (out / "index.html").read_text()
    assert "failed" in index and "the kernel died while running code cell 3" in index
    assert leftovers(tmp_path) == []


def test_a_dying_kernel_leaves_the_previous_reports_until_the_swap(
    tmp_path: Path, alpha_built: tuple[Path, Path]
) -> None:
    """While a build whose kernel dies runs, the previous reports are untouched; the new ones
    arrive complete, with the dead notebook marked failed and every other report rebuilt."""
    folder, out = alpha_built
    previous = tree_hash(out, with_cache=True)
    dying_notebook(folder, "01_dies")
    sleeping_notebook(folder, "02_slow", seconds=2.0)
    proc = alliance("build", "--out", str(out), "--notebooks", str(folder), "--jobs", "2")
    deadline = time.monotonic() + 60
    while proc.poll() is None and time.monotonic() < deadline:
        if list(tmp_path.glob(".reports.tmp-*/default/01_dies.ipynb")):
            break
        time.sleep(0.01)
    assert tree_hash(out, with_cache=True) == previous  # the kernel has died; nothing moved yet
    assert proc.wait(120) == 1
    assert (out / "default" / "00_alpha.html").read_bytes() and (out / "default" / "02_slow.html").exists()
    assert not (out / "default" / "01_dies.html").exists()


@pytest.mark.parametrize("where", ["results.json", "00_alpha.ipynb", "outcome.json", "01-results.csv"])
def test_no_space_left_keeps_the_previous_reports(
    tmp_path: Path, alpha_built: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    """A full disk while writing the output (injected at the build's write, in a worker thread
    for the executed notebook): one clear BuildError, the previous output folder byte-identical
    (cache included), the staging folder and the lock removed."""
    folder, out = alpha_built
    previous = tree_hash(out, with_cache=True)
    real = fsutil.write_text

    def full_disk(path: Path, text: str) -> None:
        if path.name == where:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path.with_name(f".{path.name}.part")))
        real(path, text)

    monkeypatch.setattr(fsutil, "write_text", full_disk)
    with pytest.raises(BuildError) as info:
        b.build(out, overrides={"x": 2}, notebook_dir=folder)
    message = str(info.value)
    assert message.startswith(f"no space left on device while writing {out}/")
    assert message.endswith(f"{where}; the previous reports are unchanged")
    assert tree_hash(out, with_cache=True) == previous
    assert leftovers(tmp_path) == []


def test_no_space_left_through_the_command(tmp_path: Path) -> None:
    folder = tmp_path / "notebooks"
    findings_notebook(folder, "00_alpha")
    out = tmp_path / "reports"
    code = (
        "import errno, os, sys\n"
        "from alliancelib import fsutil\n"
        "def full(path, text):\n"
        "    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))\n"
        "fsutil.write_text = full\n"
        "from alliancelib.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, "build", "--out", str(out), "--notebooks", str(folder)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith(f"alliance: no space left on device while writing {out}/default/00_alpha.ipynb")
    assert not out.exists() and leftovers(tmp_path) == []


def test_a_second_build_into_a_locked_folder_refuses_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from alliancelib import runner

    folder = tmp_path / "notebooks"
    findings_notebook(folder, "00_alpha")
    out = tmp_path / "reports"
    kernels: list[object] = []
    monkeypatch.setattr(runner, "_papermill", lambda *a, **k: kernels.append(a))
    with fsutil.OutputLock(out):
        start = time.monotonic()
        with pytest.raises(BuildError) as info:
            b.build(out, notebook_dir=folder)
        assert kernels == []  # no kernel started
        assert time.monotonic() - start < 60  # no waiting for the lock (a generous guard against a hang)
    monkeypatch.undo()  # kernels run again
    assert str(info.value) == (
        f"another build (pid {os.getpid()}) is writing {out}; wait for it to finish "
        "(or stop it) and build again"
    )
    assert not out.exists()
    b.build(out, notebook_dir=folder)  # released: the next build runs
    assert (out / "index.html").exists() and leftovers(tmp_path) == []


def test_two_real_builds_into_one_folder_never_write_together(tmp_path: Path) -> None:
    folder, release = tmp_path / "notebooks", tmp_path / "release"
    sleeping_notebook(folder, "00_slow", seconds=120.0, until=release)  # runs until the test releases it
    out = tmp_path / "reports"
    first = alliance("build", "--out", str(out), "--notebooks", str(folder))
    try:
        lock = tmp_path / ".reports.lock"
        deadline = time.monotonic() + 30
        while not (lock.exists() and lock.read_text().strip()) and time.monotonic() < deadline:
            time.sleep(0.01)
        second = alliance("build", "--out", str(out), "--notebooks", str(folder))
        _, err = second.communicate(timeout=60)
        assert second.returncode == 2
        assert first.poll() is None  # refused while the first still ran (it runs until released)
        assert err.strip().splitlines()[-1] == (
            f"alliance: another build (pid {first.pid}) is writing {out}; "
            "wait for it to finish (or stop it) and build again"
        )
    finally:
        release.touch()
    assert first.wait(120) == 0
    assert (out / "default" / "00_slow.html").exists() and leftovers(tmp_path) == []


def test_the_lock_of_a_killed_build_is_released(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; "
            "from alliancelib.fsutil import OutputLock; OutputLock(Path(sys.argv[1])).acquire(); "
            "print('locked', flush=True); time.sleep(120)",
            str(out),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "locked"
    with pytest.raises(BuildError, match=f"another build \\(pid {holder.pid}\\)"):
        fsutil.OutputLock(out).acquire()
    holder.send_signal(signal.SIGKILL)
    holder.wait(10)
    with fsutil.OutputLock(out):  # the kernel released the dead process's lock
        pass
    assert leftovers(tmp_path) == []


def test_two_cold_builds_of_every_notebook_are_byte_identical(shared_reports: Path, tmp_path: Path) -> None:
    """The suite's shared build (tests/shared.py) against one second build, cold (no cache), of
    its first scenario's notebooks into a copy of it (its cache left out): every report, executed
    notebook and results.json of that scenario, the other scenarios' files and the index rebuilt
    from them all, byte for byte. (The shared build may itself come from the cache: then this also
    shows that what the cache restores is what a cold run writes.)"""
    import shared

    from alliancelib import notebooks as nbs

    copy = tmp_path / "reports"
    shutil.copytree(shared_reports, copy, ignore=shutil.ignore_patterns(b.CACHE_DIR))
    scenario = b.load_scenario(shared.scenario_files()[0])
    outcomes = b.build(copy, [scenario], use_cache=False)
    assert len(outcomes) == len(nbs.discover()) and not any(o.cached for o in outcomes)
    a, bb = tree_hash(shared_reports), tree_hash(copy)
    reports = [n for n in a if not any(part.endswith("_tables") for part in n.split("/")[:-1])]
    # per scenario: each notebook's report and executed notebook, and results.json; then the index
    # (the tables' CSV files beside the reports come on top)
    assert len(reports) == len(shared.scenario_names()) * (len(nbs.discover()) * 2 + 1) + 1
    assert any(n.endswith(".csv") for n in a)
    assert sorted(a) == sorted(bb)
    assert [name for name in a if a[name] != bb[name]] == []


def set_title(sources: Path, source_id: str, title: str) -> None:
    """Give one source of a copy of sources.csv another title (csv module: quoting kept valid)."""
    import csv

    with sources.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        fields, rows = reader.fieldnames, list(reader)
    assert any(r["source_id"] == source_id for r in rows), source_id
    with sources.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows({**r, "title": title} if r["source_id"] == source_id else r for r in rows)


def test_a_script_in_a_source_title_is_inert(data_copy: Path, tmp_path: Path) -> None:
    set_title(data_copy / "sources.csv", "seed_autoexpert", 'Renault <script>alert(1)</script> buys "51%"')
    proc = alliance(
        "build", "--only", NB00, "--out", str(tmp_path / "r"), env={"ALLIANCE_DATA_DIR": str(data_copy)}
    )
    assert proc.wait(120) == 0, proc.stderr.read()
    html = (tmp_path / "r" / "default" / f"{NB00}.html").read_text()
    assert "<script>alert(1)</script>" not in html
    assert "Renault &lt;script&gt;alert(1)&lt;/script&gt; buys" in html


def test_corrupt_data_fails_once_before_any_kernel(data_copy: Path, tmp_path: Path) -> None:
    """The build refuses with the list `alliance validate` prints: every problem, one a line."""
    f = data_copy / "facts.csv"
    line = line_of(f, "lockup_after_pct")
    replace_in(f, "2025 amendment,10,%", "2025 amendment,ten,%")
    replace_in(f, "lockup_after_pct,ownership,", "lockup_after_pct,Ownership,")
    env = {"ALLIANCE_DATA_DIR": str(data_copy)}
    checked = alliance("validate", env=env)
    assert checked.wait(60) == 2
    listed = [
        f"data/facts.csv:{line}:2: column 'topic': 'Ownership' is not one of: ownership, india, ampere, ev "
        "(write 'ownership': values are case-sensitive)",
        f"data/facts.csv:{line}:4: column 'value': 'ten' is not a number",
    ]
    summary = "alliance: the data has 2 problems (the rules are in data/README.md)"
    assert checked.stderr.read().strip().splitlines() == [*listed, summary]
    trap, started = kernel_trap(tmp_path)
    proc = alliance("build", "--out", str(tmp_path / "r"), env={**env, **trap})
    assert proc.wait(60) == 2
    err = proc.stderr.read().strip().splitlines()
    assert err == [*listed, f"{summary}; nothing was built"]
    assert not (tmp_path / "r").exists()
    assert not started.exists()  # no kernel was started


def test_the_kernel_trap_sees_a_kernel_start(tmp_path: Path) -> None:
    """The check above can fail: with the same trap, a build that does start a kernel leaves the file."""
    folder = tmp_path / "notebooks"
    findings_notebook(folder, "00_alpha")
    trap, started = kernel_trap(tmp_path)
    proc = alliance("build", "--out", str(tmp_path / "r"), "--notebooks", str(folder), env=trap)
    deadline = time.monotonic() + 120
    while not started.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    if proc.poll() is None:  # seen: the build need not wait for the kernel that never answers
        os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=30)
    assert started.exists()


SALE = (
    "01_ownership: parameter nissan_sells_renault_pct = 6.0 is not allowed: 0 to 5 points at a 10% lock-up: "
    "Nissan holds 15% of Renault at 2025-03-31 and may not go below the lock-up threshold (sold to a third "
    "party (market sale))"
)
INCENTIVE = (
    "03_ev_pricing: parameter incentive_eur = 25000.0 is not allowed: None or 0 to the Twingo price "
    "analysed (19490)"
)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--only", "01_ownership", "-p", "nissan_sells_renault_pct=6"], SALE),  # the user trial's case
        (["--scenario", "{tmp}/generous.toml"], INCENTIVE),  # from a scenario file, in a notebook of its own
    ],
)
def test_a_combination_that_cannot_be_is_refused_before_any_kernel(
    tmp_path: Path, alpha_built: tuple[Path, Path], args: list[str], message: str
) -> None:
    """A cross-parameter impossibility is refused like a single bad value: one line, exit 2, no
    kernel started (so no papermill traceback and no kernel warning), the previous reports and
    their cache byte for byte as they were."""
    _, out = alpha_built
    previous = tree_hash(out, with_cache=True)
    (tmp_path / "generous.toml").write_text(
        'name = "generous"\n[notebooks.03_ev_pricing]\nincentive_eur = 25000.0\n', encoding="utf-8"
    )
    trap, started = kernel_trap(tmp_path / "trap")
    proc = alliance("build", "--out", str(out), *[a.format(tmp=tmp_path) for a in args], env=trap)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 2
    assert stderr.splitlines() == [f"alliance: {message}"] and stdout == ""
    assert not started.exists()  # no kernel was started
    assert tree_hash(out, with_cache=True) == previous
    assert leftovers(tmp_path) == []


def test_failed_build_keeps_previous_reports_when_planning_fails(tmp_path: Path) -> None:
    out = tmp_path / "reports"
    out.mkdir()
    (out / "keep.txt").write_text("previous")
    proc = alliance("build", "--out", str(out), "-p", "fx_tolerance_pct=-1")
    assert proc.wait(60) == 2
    assert (
        proc.stderr.read()
        .strip()
        .endswith(
            "00_claims_and_timeline: parameter fx_tolerance_pct = -1 is not allowed: a finite number >= 0 and <= 100"
        )
    )
    assert (out / "keep.txt").read_text() == "previous"
    shutil.rmtree(out)
