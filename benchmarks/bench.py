"""Benchmark the build against the naive way, on this machine, in one run (``make bench``).

Prints, each as seconds and as a ratio with its target:
- naive loop: papermill CLI + ``jupyter nbconvert --to html`` CLI per notebook, serially;
- cold ``alliance build --no-cache``; a warm unchanged rebuild; rebuilds after touching one
  notebook (mtime only; a prose edit; a code edit, averaged over every notebook);
- peak memory of the cold build, all its processes (sampled from /proc);
- ``import alliancelib``; 1,000,000 scenarios through each notebook's vectorised ``headline``;
- each notebook's ``analyse(p)`` at the defaults (everything it shows, computed once);
- each notebook's uncertainty section (``alliancelib.uncertainty.assess`` at 100,000 draws with
  Sobol' indices; the Sobol' share apart), and a synthetic TCO case with 11 uncertain inputs;
- the what-if explorer (``alliancelib.explore``): per notebook, the time from moving a control to
  the findings and the main chart redrawn (median of one move of every control from the defaults to
  30% of its range and one to 70%; refused combinations left out), the slowest move, and the median
  CPU time of the process (the machine's other load apart);
- the full test suite (``--no-suite`` skips it);
- a profile of a cold, a warm, a Markdown-edit and a code-edit build (``alliance build --jobs 2
  --profile``): seconds of start-up, plan, data check, cache check, kernel start, execution,
  export, index, PDF and the rest (``--profile-only`` prints only this).

``benchmarks/compare.py`` (``make bench-jb``) times the same rebuilds with Jupyter Book 1, the
preview, and a first build after a fresh setup.

Works on a private copy of the notebooks: the project's files are never modified.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable


def run(cmd: list[str], **kw) -> float:
    """Run a command (its output discarded); seconds taken. Fails loudly on a non-zero exit."""
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if done.returncode != 0:
        raise SystemExit(f"failed ({done.returncode}): {' '.join(cmd)}\n{done.stderr[-2000:]}")
    return time.perf_counter() - start


def tree_rss_bytes(root_pid: int) -> int:
    """Resident memory of a process and all its descendants (bytes), from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        pid = int(entry.name)
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            status = Path(f"/proc/{pid}/status").read_text()
        except (OSError, ValueError, IndexError):
            continue
        children.setdefault(ppid, []).append(pid)
        for line in status.splitlines():
            if line.startswith("VmRSS:"):
                rss[pid] = int(line.split()[1]) * 1024
    total, todo = 0, [root_pid]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total


def run_with_peak_memory(cmd: list[str]) -> tuple[float, int]:
    """Seconds taken and peak resident memory (bytes) of the command's process tree."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, tree_rss_bytes(proc.pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    err = proc.communicate()[1]
    stop.set()
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{err[-2000:]}")
    return time.perf_counter() - start, peak


PROFILE_KINDS = ("cold", "warm (nothing changed)", "markdown edit", "code edit")


def run_profiled(cmd: list[str], profile: Path) -> tuple[float, dict[str, float]]:
    """Run ``alliance build ... --profile FILE``: seconds taken and seconds per step, with
    ``start-up`` (process start to the build's start: the interpreter and imports) and ``exit``
    (the build's end to the process's) from the wall clock."""
    spawned = time.time()
    seconds = run([*cmd, "--profile", str(profile)])
    ended = time.time()
    doc = json.loads(profile.read_text(encoding="utf-8"))
    steps = {"start-up": doc["started_s"] - spawned, **doc["seconds"], "exit": ended - doc["ended_s"]}
    return seconds, steps


def profile_table(profiles: dict[str, tuple[float, dict[str, float]]]) -> str:
    """Where each kind of build spent its time: one column per kind, one row per step (seconds;
    steps of parallel notebooks add up, so a column can exceed its wall time)."""
    kinds = list(profiles)
    steps = list(next(iter(profiles.values()))[1])
    lines = [
        "profile of a build (seconds; parallel notebooks' steps add up)",
        f"{'step':<14}" + "".join(f"{k:>24}" for k in kinds),
    ]
    for step in steps:
        lines.append(f"{step:<14}" + "".join(f"{profiles[k][1].get(step, 0.0):>24.2f}" for k in kinds))
    lines.append(f"{'wall time':<14}" + "".join(f"{profiles[k][0]:>24.2f}" for k in kinds))
    return "\n".join(lines)


def build_profiles(nb_dir: Path, work: Path, jobs: int = 2) -> dict[str, tuple[float, dict[str, float]]]:
    """A cold build, a warm one, a Markdown edit and a code edit (first notebook), each profiled."""
    build = [
        PY,
        "-m",
        "alliancelib",
        "build",
        "--jobs",
        str(jobs),
        "--notebooks",
        str(nb_dir),
        "--out",
        str(work / "profiled"),
    ]
    first = sorted(nb_dir.glob("*.ipynb"))[0]
    out = {}
    for kind in PROFILE_KINDS:
        if kind == "markdown edit":
            edit(first, "prose")
        elif kind == "code edit":
            edit(first, "code")
        out[kind] = run_profiled([*build, *(["--no-cache"] if kind == "cold" else [])], work / "profile.json")
    return out


def edit(path: Path, kind: str) -> None:
    """Change a notebook: 'prose' edits its first markdown cell, 'code' its last code cell."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    cells = [c for c in nb["cells"] if c["cell_type"] == ("markdown" if kind == "prose" else "code")]
    cell = cells[0] if kind == "prose" else cells[-1]
    src = cell["source"]
    extra = " (edited)" if kind == "prose" else "\n# edited"
    cell["source"] = src + extra if isinstance(src, str) else [*src[:-1], src[-1] + extra]
    path.write_text(json.dumps(nb, indent=1), encoding="utf-8")


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        mem_kb = next(
            int(ln.split()[1])
            for ln in Path("/proc/meminfo").read_text().splitlines()
            if ln.startswith("MemTotal")
        )
        mem = f"{mem_kb / 1024**2:.0f} GiB"
    except (OSError, StopIteration):
        mem = "unknown memory"
    return (
        f"{os.cpu_count()} cores ({model}), {mem}, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}"
    )


def topic_modules() -> list[tuple[str, Any, Any]]:
    """(notebook, module, parameters at the defaults) of every notebook whose topic module provides
    ``validate_params`` and a vectorised ``headline``; a module that cannot validate its defaults
    (while it is being rewritten) is reported and left out."""
    import importlib

    from alliancelib import notebooks as nbs
    from alliancelib.errors import AllianceError
    from alliancelib.params import defaults

    out = []
    for notebook, target in nbs.PARAMS.items():
        module = importlib.import_module(target.split(":")[0])
        if not hasattr(module, "headline"):
            continue
        try:
            p = module.validate_params(**defaults(nbs.params_class(notebook)))
        except AllianceError as exc:
            print(f"skipped {notebook}: its defaults do not validate ({exc})", flush=True)
            continue
        out.append((notebook, module, p))
    return out


def scenarios_per_second() -> dict[str, float]:
    """Seconds to evaluate 1,000,000 scenarios through each notebook's own vectorised
    ``headline(p, **draws)``, every uncertain input drawn from its plausible range."""
    from alliancelib import uncertainty

    n = 1_000_000
    out: dict[str, float] = {}
    for notebook, module, p in topic_modules():
        draws = uncertainty.draw(p, n)
        if not draws:
            continue
        start = time.perf_counter()
        module.headline(p, **draws)
        out[f"{notebook} ({len(draws)} inputs varied)"] = time.perf_counter() - start
    return out


def analyse_per_notebook(repeats: int = 3) -> list[tuple[str, float]]:
    """Seconds ``module.analyse(p)`` takes at the defaults (median of ``repeats``): everything a
    notebook shows, computed once, its uncertainty analysis included."""
    out = []
    for notebook, module, p in topic_modules():
        if not hasattr(module, "analyse"):
            continue
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            module.analyse(p)
            times.append(time.perf_counter() - start)
        out.append((notebook, statistics.median(times)))
    return out


# --------------------------------------------------------------------------- uncertainty (issue 15)


def synthetic_tco_case() -> tuple[object, object, list, list]:
    """A realistic stand-in for a notebook's uncertainty section until the topic modules provide
    ``headline``: the TCO of an EV against a petrol car (``alliancelib.topics.pricing.tco_eur``) with 11
    uncertain inputs, 10 results and 2 conclusions. Returns (parameters, headline, results,
    conclusions)."""
    from dataclasses import dataclass

    import numpy as np

    from alliancelib.params import Integer, Number, Plausible, param
    from alliancelib.results import ResultSpec
    from alliancelib.topics.pricing import tco_eur
    from alliancelib.uncertainty import Conclusion

    def judged(low: float, high: float) -> Plausible:
        return Plausible(low, high, "benchmark range", "judgement")

    def num(default: float, low: float, high: float) -> object:
        return param(default, Number(minimum=0), "benchmark input", plausible=judged(low, high))

    @dataclass(frozen=True)
    class SyntheticTco:
        twingo_price_eur: float = num(20000.0, 19490.0, 20000.0)
        ice_price_eur: float = num(12990.0, 12490.0, 13990.0)
        years: int = param(5, Integer(1, 30), "years")
        annual_km: float = num(12000.0, 8000.0, 16000.0)
        discount_rate_pct: float = param(4.0, Number(0, 50), "discount rate")
        ev_kwh_per_100km: float = num(14.0, 12.0, 17.0)
        electricity_eur_per_kwh: float = num(0.25, 0.15, 0.40)
        ice_l_per_100km: float = num(5.5, 5.0, 6.5)
        petrol_eur_per_l: float = num(1.80, 1.60, 2.00)
        ev_maintenance_eur_per_year: float = num(300.0, 200.0, 450.0)
        ice_maintenance_eur_per_year: float = num(500.0, 350.0, 650.0)
        ev_residual_pct: float = num(40.0, 30.0, 55.0)
        ice_residual_pct: float = num(40.0, 35.0, 50.0)

    def headline(p: SyntheticTco, **d: object) -> dict[str, object]:
        def g(name: str) -> object:
            return d.get(name, getattr(p, name))

        ev = tco_eur(
            g("twingo_price_eur"),
            0.0,
            p.years,
            g("annual_km"),
            p.discount_rate_pct,
            g("ev_kwh_per_100km"),
            g("electricity_eur_per_kwh"),
            g("ev_maintenance_eur_per_year"),
            g("ev_residual_pct"),
        )
        ice = tco_eur(
            g("ice_price_eur"),
            0.0,
            p.years,
            g("annual_km"),
            p.discount_rate_pct,
            g("ice_l_per_100km"),
            g("petrol_eur_per_l"),
            g("ice_maintenance_eur_per_year"),
            g("ice_residual_pct"),
        )
        km = np.asarray(g("annual_km"), dtype=float) * p.years
        energy = km / 100 * np.asarray(g("ev_kwh_per_100km")) * np.asarray(g("electricity_eur_per_kwh"))
        return {
            "tco_ev_eur": ev,
            "tco_ice_eur": ice,
            "tco_gap_eur": ev - ice,
            "gap_a_year_eur": (ev - ice) / p.years,
            "ev_eur_per_km": ev / km,
            "ice_eur_per_km": ice / km,
            "ev_share_of_ice_pct": ev / ice * 100,
            "price_gap_eur": np.asarray(g("twingo_price_eur")) - np.asarray(g("ice_price_eur")),
            "ev_energy_eur": energy,
            "years": p.years,
        }

    results = [
        ResultSpec(name, "EUR", "Benchmark result")
        for name in (
            "tco_ev_eur",
            "tco_ice_eur",
            "tco_gap_eur",
            "gap_a_year_eur",
            "ev_eur_per_km",
            "ice_eur_per_km",
            "ev_share_of_ice_pct",
            "price_gap_eur",
            "ev_energy_eur",
            "years",
        )
    ]
    conclusions = [
        Conclusion("ev_cheaper", "tco_gap_eur", lambda g: g < 0, "the EV is cheaper"),
        Conclusion("gap_small", "tco_gap_eur", lambda g: abs(g) < 1000, "the gap is small"),
    ]
    return SyntheticTco(), headline, results, conclusions


def uncertainty_per_notebook(repeats: int = 5) -> list[tuple[str, float, float]]:
    """Seconds a notebook's uncertainty section takes (median of ``repeats``): ``assess`` at 100,000
    draws with its Sobol' indices, and without them (the Sobol' cost is the difference). Every
    topic module that provides ``headline``, ``RESULTS`` and ``CONCLUSIONS`` (or ``conclusions(p)``)
    is timed at its defaults; the synthetic TCO case (11 inputs, 10 results) always is.
    Returns (label, seconds with Sobol', seconds without)."""
    from alliancelib import uncertainty

    cases = [
        (notebook, p, module.headline, module.RESULTS, uncertainty.conclusions_of(module, p))
        for notebook, module, p in topic_modules()
        if hasattr(module, "RESULTS") and (hasattr(module, "CONCLUSIONS") or hasattr(module, "conclusions"))
    ]
    cases.append(("synthetic TCO case", *synthetic_tco_case()))

    def median_seconds(case: tuple, sobol_n: int) -> float:
        _, p, headline, results, conclusions = case
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            uncertainty.assess(p, headline, results=results, conclusions=conclusions, sobol_n=sobol_n)
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    out = []
    for case in cases:
        label, p, _, results, conclusions = case
        k, m = len(uncertainty.uncertain_inputs(p)), len(results)
        out.append(
            (
                f"{label} ({k} inputs, {m} results, {len(conclusions)} conclusions)",
                median_seconds(case, uncertainty.SOBOL_N),
                median_seconds(case, 0),
            )
        )
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--no-suite", action="store_true", help="skip timing the full test suite")
    ap.add_argument(
        "--profile-only",
        action="store_true",
        help="only the profile of a cold, a warm, a Markdown-edit and a code-edit build",
    )
    ap.add_argument(
        "--analysis-only",
        action="store_true",
        help="only the in-process figures: import time, each notebook's analysis and uncertainty "
        "section, 1,000,000 scenarios, the what-if explorer (no builds, no suite)",
    )
    ap.add_argument("--explore-only", action="store_true", help="only the what-if explorer's update times")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    from alliancelib import notebooks as nbs
    from alliancelib.runner import default_jobs

    if args.explore_only:
        print_rows(explore_rows())
        return
    if args.profile_only:
        work = Path(tempfile.mkdtemp(prefix="alliance-profile-"))
        try:
            shutil.copytree(ROOT / "notebooks", work / "notebooks")
            print(profile_table(build_profiles(work / "notebooks", work)))
        finally:
            shutil.rmtree(work, ignore_errors=True)
        return
    rows: list[tuple[str, str, str, str]] = [] if args.analysis_only else build_rows(nbs, default_jobs)
    rows += analysis_rows()
    rows += explore_rows()
    if not args.no_suite and not args.analysis_only:
        suite = run(
            [
                PY,
                "-m",
                "pytest",
                "-q",
                "-n",
                "2",
                "--dist",
                "loadfile",
                "--nbval",
                "--nbval-sanitize-with",
                "tests/nbval_sanitize.cfg",
                "-p",
                "no:cacheprovider",
            ],
            cwd=ROOT,
        )
        rows.append(
            (
                "full test suite (pytest -n 2 --dist loadfile --nbval)",
                f"{suite:.1f} s",
                "",
                f"<= 180 s: {'meets' if suite <= 180 else 'MISSES'}",
            )
        )

    print_rows(rows)


def print_rows(rows: list[tuple[str, str, str, str]]) -> None:
    """The figures as a table: what, time, ratio or detail, target."""
    width = max(len(r[0]) for r in rows)
    print()
    for label, value, ratio, target in rows:
        print(f"{label:<{width}}  {value:>10}  {ratio:>16}  {target}")


def explore_moves(view: Any) -> list[tuple[str, Any]]:
    """Moves of every control of an explorer, each to new values: to 30% of its range, then to 70%
    (a choice to its next and next-but-one option, a date a week and a month later)."""
    import datetime as dt

    moves: list[tuple[str, Any]] = []
    for share, turn, days in ((0.3, 1, 7), (0.7, 2, 30)):
        for c in view.specs:
            if c.kind in ("float", "int"):
                value = c.low + round(share * (c.high - c.low) / c.step) * c.step
                moves.append((c.name, int(value) if c.kind == "int" else round(value, 10)))
            elif c.kind == "choice":
                options = [v for _, v in c.options]
                moves.append((c.name, options[(options.index(c.default) + turn) % len(options)]))
            else:
                moves.append((c.name, dt.date.fromisoformat(c.default) + dt.timedelta(days=days)))
    return moves


def explore_rows() -> list[tuple[str, str, str, str]]:
    """Per notebook: the median time from moving a control of the what-if explorer to its findings and
    main chart redrawn (wall clock, as a user waits), the slowest move and the median CPU time."""
    from alliancelib import notebooks as nbs
    from alliancelib.explorer import Explorer

    rows: list[tuple[str, str, str, str]] = []
    for notebook in nbs.PARAMS:
        view = Explorer(notebook)  # built once (imports, first analysis and chart): not timed
        walls, cpus, refused, drawn = [], [], 0, view.charts_drawn
        for name, value in explore_moves(view):
            view.reset()  # each move from the defaults (not timed; their analysis is kept)
            if name in view.automatic:
                view.automatic[name].value = False
            wall, cpu = time.perf_counter(), time.process_time()
            view.controls[name].value = value
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            if view.status.value:
                refused += 1
                continue
            walls.append(wall)
            cpus.append(cpu)
        median = statistics.median(walls)
        rows.append(
            (
                f"what-if explorer, one move to findings and chart: {notebook}",
                f"{median * 1000:.0f} ms",
                f"max {max(walls) * 1000:.0f}, CPU {statistics.median(cpus) * 1000:.0f}",
                f"<= 500 ms: {'meets' if median <= 0.5 else 'MISSES'} ({len(walls)} moves, "
                f"{view.charts_drawn - drawn} charts drawn, {refused} refused left out)",
            )
        )
    load = os.getloadavg()[0]
    rows.append(
        (
            "machine load during the explorer figures (1-minute load average)",
            f"{load:.1f}",
            "",
            f"{os.cpu_count()} cores",
        )
    )
    return rows


def build_rows(nbs: Any, default_jobs: Any) -> list[tuple[str, str, str, str]]:
    """The build figures: the naive loop, cold, warm and touched builds, peak memory."""
    rows: list[tuple[str, str, str, str]] = []
    work = Path(tempfile.mkdtemp(prefix="alliance-bench-"))
    try:
        nb_dir = work / "notebooks"
        shutil.copytree(ROOT / "notebooks", nb_dir)
        names = list(nbs.discover(nb_dir))
        n = len(names)
        print(f"machine: {machine()}; {n} notebooks; default jobs {default_jobs()}", flush=True)

        naive_dir = work / "naive"
        naive_dir.mkdir()
        start = time.perf_counter()
        for name in names:
            out = naive_dir / f"{name}.ipynb"
            run([PY, "-m", "papermill", str(nb_dir / f"{name}.ipynb"), str(out)], cwd=nb_dir)
            run([PY, "-m", "jupyter", "nbconvert", "--to", "html", "--no-input", str(out)])
        naive = time.perf_counter() - start
        rows.append(("naive loop (papermill CLI + nbconvert CLI, serial)", f"{naive:.2f} s", "1.00", ""))

        build = [PY, "-m", "alliancelib", "build", "--notebooks", str(nb_dir), "--out", str(work / "reports")]
        cold, peak = run_with_peak_memory([*build, "--no-cache"])
        warm = run(build)
        nb0 = nb_dir / f"{names[0]}.ipynb"
        os.utime(nb0)
        touched_mtime = run(build)
        edit(nb0, "prose")
        touched_prose = run(build)
        code_times = []
        for name in names:
            edit(nb_dir / f"{name}.ipynb", "code")
            code_times.append(run(build))
        touched_code = statistics.mean(code_times)
        profile_dir = work / "profile"
        shutil.copytree(ROOT / "notebooks", profile_dir / "notebooks")
        print(profile_table(build_profiles(profile_dir / "notebooks", profile_dir)), flush=True)

        def verdict(value: float, target: float) -> str:
            return "meets" if value <= target else "MISSES"

        one = 1 / n + 0.10

        def vs_cold(seconds: float) -> tuple[str, str]:
            return f"{seconds / cold:.3f} x cold", f"<= {one:.2f} x cold: {verdict(seconds / cold, one)}"

        code_label = (
            f"rebuild, one notebook's code edited (mean of {n}; "
            f"{min(code_times):.2f}-{max(code_times):.2f} s)"
        )
        rows += [
            (
                "cold alliance build --no-cache",
                f"{cold:.2f} s",
                f"{cold / naive:.3f} x naive",
                f"<= 0.40 x naive: {verdict(cold / naive, 0.40)}",
            ),
            (
                "warm rebuild, nothing changed",
                f"{warm:.2f} s",
                f"{warm / naive:.3f} x naive",
                f"<= 0.05 x naive: {verdict(warm / naive, 0.05)}",
            ),
            ("rebuild, one notebook touched (mtime only)", f"{touched_mtime:.2f} s", *vs_cold(touched_mtime)),
            ("rebuild, one notebook's prose edited", f"{touched_prose:.2f} s", *vs_cold(touched_prose)),
            (code_label, f"{touched_code:.2f} s", *vs_cold(touched_code)),
            (
                "peak memory of the cold build (all processes)",
                f"{peak / 2**20:.0f} MiB",
                "",
                f"<= 1024 MiB: {verdict(peak / 2**20, 1024)}",
            ),
        ]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return rows


def analysis_rows() -> list[tuple[str, str, str, str]]:
    """The in-process figures: import time, each notebook's analyse(p) and uncertainty section,
    1,000,000 scenarios through each headline."""
    rows: list[tuple[str, str, str, str]] = []
    imports = []
    for _ in range(5):
        out = subprocess.run(
            [
                PY,
                "-c",
                "import time; t = time.perf_counter(); import alliancelib; print(time.perf_counter() - t)",
            ],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=True,
        )
        imports.append(float(out.stdout))
    imp = statistics.median(imports)
    rows.append(
        (
            "import alliancelib (median of 5)",
            f"{imp * 1000:.1f} ms",
            "",
            f"<= 300 ms: {'meets' if imp <= 0.3 else 'MISSES'}",
        )
    )
    for label, seconds, no_sobol in uncertainty_per_notebook():
        rows.append(
            (
                f"uncertainty section, 100,000 draws + Sobol': {label}",
                f"{seconds * 1000:.0f} ms",
                f"Sobol' {(seconds - no_sobol) * 1000:.0f} ms",
                f"<= 1000 ms: {'meets' if seconds <= 1 else 'MISSES'}",
            )
        )
    for notebook, seconds in analyse_per_notebook():
        rows.append(
            (
                f"analyse(p) at the defaults: {notebook}",
                f"{seconds * 1000:.0f} ms",
                "",
                f"<= 1000 ms: {'meets' if seconds <= 1 else 'MISSES'}",
            )
        )
    for label, seconds in scenarios_per_second().items():
        rows.append(
            (
                f"1,000,000 scenarios: {label}",
                f"{seconds * 1000:.0f} ms",
                "",
                f"<= 1000 ms: {'meets' if seconds <= 1 else 'MISSES'}",
            )
        )
    return rows


if __name__ == "__main__":
    main()
