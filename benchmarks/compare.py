"""Time ``alliance build --jobs 2`` side by side with Jupyter Book 1, the preview, and a first build
after a fresh setup (``make bench-jb``; prints every figure).

1. **Jupyter Book 1** (``jupyter-book<2``, installed by ``make bench-jb`` into ``.bench/jb``, its
   bytecode compiled like ``.venv``'s, so neither tool pays compiling its libraries): the
   same six notebooks as a book, executed with its cache (``execute_notebooks: cache``), code
   hidden (``nb_remove_code_source``), HTML only; its kernel is this project's ``.venv`` Python
   (a ``python3`` kernel spec on ``JUPYTER_PATH``), so both tools run the same code. For each of
   cold, nothing changed, one Markdown cell edited and one code cell edited: the median of
   ``--runs`` interleaved runs of each tool and the ratio.
2. **The preview** (``alliance preview`` on a private copy of the project): seconds from saving a
   Markdown cell, a template and a code cell to the served page carrying the change (the page's
   own reload adds at most its 250 ms poll), against the preview's cold build.
3. **A first build after a fresh setup** (``make setup VENV=...`` into a new folder) against a
   second cold build in that environment, compiled bytecode in place for both.

Works on private copies: the project's files are never modified.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import PY, ROOT, edit, run  # noqa: E402 - the shared helpers of make bench

from alliancelib import forkserver  # noqa: E402 - forked kernels are named, not their command line

KINDS = ("cold", "nothing changed", "one Markdown cell edited", "one code cell edited")
# Issue 25's figures (a 2-core machine, December 2026): Jupyter Book 1 over alliance, and the month before.
ISSUE_RATIOS = {
    "cold": (1.96, 2.2),
    "nothing changed": (3.7, 5.7),
    "one Markdown cell edited": (2.1, 2.6),
    "one code cell edited": (1.4, 1.6),
}
TARGET_RATIO = 2.0

JB_CONFIG = """title: Alliance benchmark
author: bench
only_build_toc_files: true
execute:
  execute_notebooks: cache
  timeout: 900
sphinx:
  config:
    nb_remove_code_source: true
"""


def verdict(ok: bool) -> str:
    return "meets" if ok else "MISSES"


def book(folder: Path, notebooks: list[Path]) -> Path:
    """A Jupyter Book project in ``folder`` holding copies of ``notebooks``."""
    folder.mkdir(parents=True)
    for nb in notebooks:
        shutil.copy2(nb, folder / nb.name)
    (folder / "_config.yml").write_text(JB_CONFIG, encoding="utf-8")
    (folder / "intro.md").write_text("# Alliance benchmark\n", encoding="utf-8")
    toc = "format: jb-book\nroot: intro\nchapters:\n" + "".join(f"- file: {nb.stem}\n" for nb in notebooks)
    (folder / "_toc.yml").write_text(toc, encoding="utf-8")
    return folder


def kernel_path(folder: Path) -> Path:
    """A ``JUPYTER_PATH`` folder whose ``python3`` kernel is this project's Python."""
    spec = folder / "kernels" / "python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(
        json.dumps(
            {
                "argv": [PY, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                "display_name": "Python 3",
                "language": "python",
            }
        ),
        encoding="utf-8",
    )
    return folder


def versus_jupyter_book(jb: Path, work: Path, runs: int) -> None:
    """Print each rebuild kind's median for both tools and their ratio."""
    notebooks = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    env = {**os.environ, "JUPYTER_PATH": str(kernel_path(work / "jupyter"))}
    times: dict[str, dict[str, list[float]]] = {k: {"jb": [], "alliance": []} for k in KINDS}
    for i in range(runs):
        books = book(work / f"book-{i}", notebooks)
        nb_dir = work / f"notebooks-{i}"
        nb_dir.mkdir()
        for nb in notebooks:
            shutil.copy2(nb, nb_dir / nb.name)
        jb_cmd = [str(jb / "bin" / "jupyter-book"), "build", str(books), "--builder", "html"]
        al_cmd = [
            PY,
            "-m",
            "alliancelib",
            "build",
            "--jobs",
            "2",
            "--notebooks",
            str(nb_dir),
            "--out",
            str(work / f"reports-{i}"),
        ]
        for kind in KINDS:
            if kind == "one Markdown cell edited":
                edit(books / notebooks[0].name, "prose")
                edit(nb_dir / notebooks[0].name, "prose")
            elif kind == "one code cell edited":
                edit(books / notebooks[0].name, "code")
                edit(nb_dir / notebooks[0].name, "code")
            times[kind]["jb"].append(run(jb_cmd, env=env))
            times[kind]["alliance"].append(run([*al_cmd, *(["--no-cache"] if kind == "cold" else [])]))
            print(
                f"run {i + 1}/{runs} {kind}: Jupyter Book {times[kind]['jb'][-1]:.2f} s, "
                f"alliance {times[kind]['alliance'][-1]:.2f} s",
                flush=True,
            )
    print(
        f"\n{'rebuild':<26}{'Jupyter Book 1':>16}{'alliance --jobs 2':>19}{'ratio':>8}"
        f"{'issue 25 / month before':>26}  target >= {TARGET_RATIO:.1f}x"
    )
    for kind in KINDS:
        jb_s, al_s = statistics.median(times[kind]["jb"]), statistics.median(times[kind]["alliance"])
        ratio = jb_s / al_s
        before = ISSUE_RATIOS[kind]
        print(
            f"{kind:<26}{jb_s:>14.2f} s{al_s:>17.2f} s{ratio:>7.2f}x{before[0]:>17.2f}x / {before[1]:.1f}x"
            f"  {'meets' if ratio >= TARGET_RATIO else 'MISSES'}"
        )


def project_copy(folder: Path) -> Path:
    """A private copy of the project's library, data, scenarios and notebooks (imported through
    ``PYTHONPATH``, so the preview watches and the kernels import the copy)."""
    for name in ("alliancelib", "data", "scenarios", "notebooks"):
        shutil.copytree(ROOT / name, folder / name, ignore=shutil.ignore_patterns("__pycache__"))
    return folder


def state(url: str) -> dict:
    with urllib.request.urlopen(f"{url}/__preview__/state", timeout=10) as r:
        return dict(json.loads(r.read()))


def page(url: str, rel: str) -> str:
    with urllib.request.urlopen(f"{url}/{rel}", timeout=10) as r:
        return str(r.read().decode("utf-8"))


def until(check, limit_s: float = 600.0) -> float:
    """Seconds until ``check()`` holds (polled every 20 ms)."""
    start = time.perf_counter()
    while not check():
        if time.perf_counter() - start > limit_s:
            raise SystemExit(f"no change within {limit_s} s")
        time.sleep(0.02)
    return time.perf_counter() - start


def warm_kernels(notebooks: Path) -> int:
    count = 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if forkserver.is_kernel(int(pid)) and Path(os.readlink(f"/proc/{pid}/cwd")) == notebooks:
                count += 1
        except OSError:
            continue
    return count


def saved_to_page(url: str, rel: str, change, marker: str) -> float:
    """Seconds from a save (``change()``) to the served page showing ``marker``."""
    version = state(url)["version"]
    change()
    start = time.perf_counter()
    until(lambda: state(url)["version"] > version)
    until(lambda: marker in page(url, rel), 60)
    return time.perf_counter() - start


def print_in_last_cell(path: Path, words: str) -> None:
    """A code edit the page shows: the notebook's last code cell also prints ``words`` (a comment,
    as ``edit(path, "code")`` adds, would rebuild the report without changing what it shows)."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    cell = [c for c in nb["cells"] if c["cell_type"] == "code"][-1]
    src = cell["source"]
    line = f"\nprint({words!r})"
    cell["source"] = src + line if isinstance(src, str) else [*src[:-1], src[-1] + line]
    path.write_text(json.dumps(nb, indent=1), encoding="utf-8")


def preview_times(work: Path) -> None:
    """Print the preview's save-to-page times against its cold build."""
    proj = project_copy(work / "project")
    env = {**os.environ, "PYTHONPATH": str(proj)}
    proc = subprocess.Popen(
        [PY, "-m", "alliancelib", "preview", "--port", "0", "--jobs", "2", "--out", str(proj / "reports")],
        cwd=proj,
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert proc.stdout is not None
        url = re.search(r"http://127\.0\.0\.1:\d+", proc.stdout.readline()).group(0)  # type: ignore[union-attr]
        cold = until(lambda: state(url)["version"] >= 1)
        notebooks = sorted((proj / "notebooks").glob("[0-9][0-9]_*.ipynb"))
        until(lambda: warm_kernels(proj / "notebooks") >= len(notebooks), 600)
        first, rel = notebooks[0], f"default/{notebooks[0].stem}.html"
        md = saved_to_page(url, rel, lambda: edit(first, "prose"), "(edited)")
        css = proj / "alliancelib" / "templates" / "alliance" / "report.css"
        rule = "\n.bench-edit{color:red}\n"
        template = saved_to_page(url, rel, lambda: css.write_text(css.read_text() + rule), "bench-edit")
        until(lambda: warm_kernels(proj / "notebooks") >= len(notebooks), 600)
        code = saved_to_page(url, rel, lambda: print_in_last_cell(first, "(code edited)"), "(code edited)")
    finally:
        proc.terminate()
        proc.wait(timeout=60)
    print(
        f"\npreview: cold build {cold:.2f} s; save to page: Markdown {md:.2f} s "
        f"(target <= 1 s: {'meets' if md <= 1 else 'MISSES'}), template {template:.2f} s "
        f"(target <= 1 s: {'meets' if template <= 1 else 'MISSES'}), code {code:.2f} s = "
        f"{code / cold:.2f} x the cold build (target <= 0.3: {verdict(code / cold <= 0.3)})"
    )


def fresh_setup(work: Path) -> None:
    """Print a first cold build right after ``make setup`` into a new environment against a
    second cold build there."""
    venv = work / "venv"
    setup = run(["make", "-C", str(ROOT), "setup", f"VENV={venv}"])
    nb_dir = work / "notebooks"
    shutil.copytree(ROOT / "notebooks", nb_dir)
    cmd = [str(venv / "bin" / "alliance"), "build", "--no-cache", "--jobs", "2", "--notebooks", str(nb_dir)]
    first = run([*cmd, "--out", str(work / "first")])
    second = run([*cmd, "--out", str(work / "second")])
    print(
        f"\nfresh setup {setup:.1f} s; first cold build after it {first:.2f} s, a second cold build "
        f"{second:.2f} s: {first / second:.2f} x (target <= 1.3: {verdict(first / second <= 1.3)})"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--jb", type=Path, default=ROOT / ".bench" / "jb", help="the Jupyter Book 1 environment")
    ap.add_argument("--runs", type=int, default=3, help="interleaved runs of each tool (medians printed)")
    ap.add_argument(
        "--skip",
        action="append",
        default=[],
        choices=["jb", "preview", "fresh"],
        help="leave a part out (repeatable)",
    )
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="alliance-compare-"))
    try:
        if "jb" not in args.skip:
            if not (args.jb / "bin" / "jupyter-book").is_file():
                raise SystemExit(f"no Jupyter Book in {args.jb}: run make bench-jb")
            versus_jupyter_book(args.jb, work / "jb", args.runs)
        if "preview" not in args.skip:
            preview_times(work / "preview")
        if "fresh" not in args.skip:
            fresh_setup(work / "fresh")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
