"""The suite's one build of every notebook for every scenario (build once, read many).

``make test`` builds it before pytest starts (``alliance build --all-scenarios --out
test-output/reports``, through the project's own cache), and the browser, PDF, byte-identity and
contract-default tests read it instead of executing the notebooks again. :func:`shared_build`
(the session fixture ``shared_reports`` of conftest.py) makes sure it is there and current: a
developer who runs one test file gets it built (or brought up to date through the cache: only
what changed runs) on first use. A file lock makes that safe with pytest-xdist (one worker
builds, the others wait, then find it current), and a stamp beside the folder says which inputs
it was built from, so a current build is never rebuilt under the feet of a worker reading it.

The scenario files in ``scenarios/`` define what is built; nothing here names one.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from alliancelib.paths import NOTEBOOKS_DIR, ROOT, SCENARIOS_DIR

SHARED_DIR = ROOT / "test-output" / "reports"
STAMP = SHARED_DIR.with_name("reports.inputs")  # beside the folder, so no build carries it over
LOCK = SHARED_DIR.with_name("reports.lock")


def scenario_files() -> list[Path]:
    """The scenario files the shared build holds (``base`` first, then by name)."""
    from alliancelib.scenarios import scenario_files as files

    return files(SCENARIOS_DIR)


def inputs_key() -> str:
    """Hash of everything the shared build's bytes depend on: the cache's fingerprint (data,
    library, packages, Python), each job's code and parameters and each notebook's prose (the
    cache's own keys), and the scenario files (their descriptions reach the pages)."""
    from alliancelib import cache
    from alliancelib.scenarios import load_scenario, plan

    files = scenario_files()
    base = cache.fingerprint()
    h = hashlib.sha256(base.encode())
    for job in plan([load_scenario(f) for f in files], None, (), NOTEBOOKS_DIR):
        h.update(
            f"{job.scenario}/{job.notebook} {cache.job_key(job, base)} {cache.prose_key(job)}\n".encode()
        )
    for f in files:
        h.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()


def shared_build() -> Path:
    """The shared build's folder, built or brought up to date first if its inputs changed (under
    a file lock: one process builds, the others wait and then find it current)."""
    from alliancelib import build as b

    SHARED_DIR.parent.mkdir(parents=True, exist_ok=True)
    with LOCK.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            key = inputs_key()
            current = STAMP.is_file() and STAMP.read_text(encoding="utf-8") == key
            if not (current and (SHARED_DIR / "index.html").is_file()):
                STAMP.unlink(missing_ok=True)
                outcomes = b.build(SHARED_DIR, [b.load_scenario(f) for f in scenario_files()])
                print(
                    f"\nthe suite's build, {SHARED_DIR.relative_to(ROOT)}: {b.summarize(outcomes)}",
                    file=sys.stderr,
                    flush=True,
                )
                STAMP.write_text(key, encoding="utf-8")
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return SHARED_DIR


def scenario_names() -> list[str]:
    """The scenarios of the shared build, in build order (``base`` first)."""
    from alliancelib.scenarios import load_scenario

    return [load_scenario(f).name for f in scenario_files()]


def record(reports: Path, scenario: str, notebook: str) -> dict[str, Any]:
    """One notebook's record in ``<reports>/<scenario>/results.json`` (status, parameters,
    overrides, results by name, findings), plus ``executed``: the path of its executed notebook."""
    doc = json.loads((reports / scenario / "results.json").read_text(encoding="utf-8"))
    entry = dict(doc["notebooks"][notebook])
    entry["executed"] = reports / scenario / f"{notebook}.ipynb"
    assert entry["status"] == "ok", f"{scenario}/{notebook} failed in the shared build: {entry['error']}"
    return entry


def at_defaults(reports: Path, notebook: str) -> dict[str, Any]:
    """The record of ``notebook`` in the first scenario of the shared build that runs it at its
    defaults (no overrides); an AssertionError naming the scenarios if none does."""
    names = scenario_names()
    for scenario in names:
        entry = record(reports, scenario, notebook)
        if not entry["overrides"]:
            return entry
    raise AssertionError(f"no scenario of scenarios/ ({', '.join(names)}) runs {notebook} at its defaults")


if __name__ == "__main__":  # `make test`: build (or bring up to date) before pytest starts
    print(f"the suite's build of every scenario: {shared_build().relative_to(ROOT)} (current)", flush=True)
