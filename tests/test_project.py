"""The project's promises about itself: the two Quick start commands, CI, conda in step."""

from __future__ import annotations

import re
import tomllib

from alliancelib.paths import ROOT


def quick_start_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```bash\n(.*?)```", section, re.S)
    assert block, "Quick start has a bash code block"
    return [ln.strip() for ln in block.group(1).splitlines() if ln.strip()]


def test_quick_start_is_two_commands_and_ci_runs_the_second() -> None:
    setup, test = quick_start_commands()
    assert setup == "make reports" and test == "make test"
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert ci.startswith("#!/usr/bin/env bash") and "set -euo pipefail" in ci
    commands = [ln.strip() for ln in ci.splitlines() if ln.strip() and not ln.startswith("#")]
    assert commands[-1] == test
    assert "|| true" not in ci


def test_makefile_targets_exist_and_are_documented() -> None:
    make = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in ("help", "setup", "reports", "test", "refresh", "params", "lab"):
        assert re.search(rf"^{target}:.*## ", make, re.M), target
    assert "--nbval" in re.search(r"^test:.*\n\t(.*)", make, re.M).group(1)


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_environment_yml_in_step_with_pyproject() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {_normalise(re.split(r"[<>=!~ ]", d, maxsplit=1)[0]): d.replace(" ", "")
              for d in project["dependencies"] + project["optional-dependencies"]["test"]}
    env = (ROOT / "environment.yml").read_text(encoding="utf-8")
    assert "- conda-forge" in env
    deps = re.findall(r"^  - ([^\s:]+)$", env.split("dependencies:", 1)[1], re.M)
    conda = {_normalise(re.split(r"[<>=!~]", d, maxsplit=1)[0]): d for d in deps}
    assert conda.pop("python") == "python" + project["requires-python"]
    assert conda.pop("pip") == "pip"
    assert {k: conda[k] for k in conda} == {k: wanted[k] for k in conda}
    assert set(conda) == set(wanted)
    assert re.search(r"^  - pip:\n      - -e \.$", env, re.M)


def test_reports_are_ignored_by_git() -> None:
    ignored = (ROOT / ".gitignore").read_text().split()
    assert "reports/" in ignored and ".venv/" in ignored


def test_ruff_is_clean() -> None:
    import shutil
    import subprocess
    import sys

    ruff = shutil.which("ruff") or str(ROOT / ".venv" / "bin" / "ruff")
    done = subprocess.run([ruff, "check", "alliancelib", "tests", "benchmarks"], cwd=ROOT,
                          capture_output=True, text=True, env={"PATH": sys.prefix + "/bin"})
    assert done.returncode == 0, done.stdout + done.stderr
