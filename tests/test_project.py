"""The project's promises about itself: the two Quick start commands, CI (lint, then the tests), a
pinned environment (requirements.lock: exact versions with hashes, installed by `make setup`),
conda in step, ruff with the complexity rule, mypy configured."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

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
    assert commands[-2:] == ["make lint", test]
    assert "|| true" not in ci
    for package in ("make", "python3-venv", "chromium", "poppler-utils"):  # what a fresh machine lacks
        assert f"missing+=({package})" in ci, package


def test_makefile_targets_exist_and_are_documented() -> None:
    make = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in (
        "help",
        "setup",
        "reports",
        "test",
        "test-fast",
        "coverage",
        "refresh",
        "params",
        "lab",
        "lint",
        "fuzz",
        "bench",
        "lock",
    ):
        assert re.search(rf"^{target}:.*## ", make, re.M), target
    build, suite = recipe(make, "test")
    assert build == "$(BIN)/python tests/shared.py"  # every scenario built once, before pytest
    assert (
        suite.startswith("$(TEST_ENV) $(BIN)/python -m pytest ") and " -n 2 " in suite and "--nbval" in suite
    )
    # pytest may cache its rewritten test modules (PYTHONDONTWRITEBYTECODE=1 would forbid it)
    assert re.search(r"^TEST_ENV := env -u PYTHONDONTWRITEBYTECODE$", make, re.M)
    # coverage measures kernels started the usual way (a forked kernel's data needs coverage's
    # os._exit patch, under which the preview's killed kernels were seen not to exit)
    assert recipe(make, "coverage")[
        0
    ] == f"ALLIANCE_FORK_KERNELS=0 {build}" and "--cov=alliancelib --cov-branch" in " ".join(
        recipe(make, "coverage")
    )
    assert recipe(make, "test-fast") == [
        "$(TEST_ENV) ALLIANCE_FUZZ_EXAMPLES=30 ALLIANCE_PROPERTY_SHARE=0.15 $(BIN)/python -m pytest -n 2"
        ' --dist loadfile -m "not slow and not heavy" -p no:nbval -p no:cov -p no:anyio tests alliancelib'
    ]
    assert recipe(make, "lint") == LINT
    assert recipe(make, "fuzz") == [
        "ALLIANCE_FUZZ_EXAMPLES=100000 $(BIN)/python -m pytest tests -k fuzz -p no:nbval -q -s"
    ]
    assert "poppler-utils" in "\n".join(recipe(make, "chromium"))


LINT = [
    "$(BIN)/ruff check alliancelib tests benchmarks",
    "$(BIN)/ruff format --check alliancelib tests benchmarks",
    "$(BIN)/mypy",
]


def test_pre_commit_runs_the_lint_checks_and_the_file_checks_offline() -> None:
    """.pre-commit-config.yaml: only local hooks calling what `make setup` installed in .venv (no
    network), `make lint`'s three commands first and in its order, then the file checks."""
    import yaml

    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    assert [r["repo"] for r in config["repos"]] == ["local"]
    hooks = config["repos"][0]["hooks"]
    assert all(h["language"] == "system" and h["entry"].startswith(".venv/bin/") for h in hooks)
    assert [h["entry"].replace(".venv/bin/", "$(BIN)/") for h in hooks[:3]] == LINT
    assert all(h["pass_filenames"] is False for h in hooks[:3])
    assert [h["id"] for h in hooks[3:]] == [
        "check-yaml",
        "check-toml",
        "check-json",
        "end-of-file-fixer",
        "trailing-whitespace",
        "commit-subject",
    ]
    assert hooks[-1]["stages"] == ["commit-msg"] and "commit-msg" in config["default_install_hook_types"]
    for h in hooks:
        assert (ROOT / h["entry"].split()[0]).is_file(), f"{h['entry']}: run make setup"


def test_the_file_checks_pass_on_every_committed_file() -> None:
    """What the file hooks of .pre-commit-config.yaml check holds for every file git holds (checked
    here without the hooks, which fix files in place): yaml, toml and json parse; every text file
    ends in exactly one newline and has no trailing whitespace."""
    import json
    import subprocess

    import yaml

    files = (
        subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, text=True, check=True)
        .stdout.strip("\0")
        .split("\0")
    )
    problems = []
    for name in files:
        path = ROOT / name
        if not path.is_file():
            continue  # deleted in the work tree, not yet committed
        data = path.read_bytes()
        if b"\0" in data[:8000]:
            continue  # binary
        text = data.decode("utf-8")
        if path.suffix in (".yml", ".yaml"):
            yaml.safe_load(text)
        elif path.suffix == ".toml":
            tomllib.loads(text)
        elif path.suffix in (".json", ".ipynb"):
            json.loads(text)
        if path.suffix == ".ipynb":
            continue  # written by the tools (alliance refresh), byte for byte
        if text and (not text.endswith("\n") or text.endswith("\n\n")):
            problems.append(f"{name}: does not end in one newline")
        problems += [
            f"{name}:{i}: trailing whitespace"
            for i, line in enumerate(text.split("\n"), 1)
            if line != line.rstrip(" \t")
        ]
    assert not problems, "\n".join(problems[:20])


def test_ruff_format_uses_the_line_length_of_ruff_check() -> None:
    tool = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]
    assert tool["ruff"]["line-length"] == 110 and "format" in tool["ruff"]
    assert "line-length" not in tool["ruff"]["format"]  # one length for both, set once under [tool.ruff]


def recipe(make: str, target: str) -> list[str]:
    """The command lines of a Makefile target."""
    body = re.search(rf"^{re.escape(target)}:.*\n((?:\t.*\n)+)", make, re.M)
    assert body, target
    return [ln.strip() for ln in body.group(1).splitlines()]


def locked() -> dict[str, str]:
    """requirements.lock as {normalised name: version}; every pin carries hashes."""
    text = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    pins = re.findall(
        r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;]+) \\\n\s+--hash=sha256:[0-9a-f]{64}", text, re.M
    )
    assert len(pins) == len(re.findall(r"^[A-Za-z0-9]", text, re.M)), "a pin without a hash"
    return {_normalise(name): version for name, version in pins}


def test_setup_installs_the_lock_with_hashes() -> None:
    make = (ROOT / "Makefile").read_text(encoding="utf-8")
    setup = "\n".join(recipe(make, "$(STAMP)"))
    assert "--require-hashes -r $(LOCK)" in setup and "--no-deps -e ." in setup
    assert re.search(r"^LOCK := requirements.lock$", make, re.M)
    # the version is read from alliancelib/__init__.py at install time: a new version sets up again
    assert re.search(r"^\$\(STAMP\): pyproject.toml \$\(LOCK\) alliancelib/__init__.py$", make, re.M)


def test_setup_compiles_the_libraries_bytecode_once() -> None:
    """These machines set PYTHONDONTWRITEBYTECODE=1: bytecode not compiled at install is compiled
    again by every kernel and process. The setup compiles it (and a venv made before that is
    set up again: the flags are part of the setup stamp)."""
    import importlib.util

    import pandas

    make = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^COMPILE := \$\(BIN\)/python -m compileall -q -j 0$", make, re.M)
    assert any(ln.startswith("$(COMPILE) ") for ln in recipe(make, "$(STAMP)"))
    assert "$(COMPILE)" in make.split("STAMP :=")[1].splitlines()[0]
    compiled = importlib.util.cache_from_source(pandas.__file__)
    assert Path(compiled).is_file(), f"{compiled} missing: run make setup"


def test_the_lock_pins_every_dependency_at_the_installed_version() -> None:
    """Every requirement of pyproject.toml is pinned, within its range, and every pin is the version
    installed here (the environment that produced the committed notebooks and charts)."""
    from importlib import metadata

    from packaging.requirements import Requirement

    pins = locked()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    for spec in project["dependencies"] + project["optional-dependencies"]["test"]:
        req = Requirement(spec)
        assert _normalise(req.name) in pins, f"{req.name} is not in requirements.lock"
        assert req.specifier.contains(pins[_normalise(req.name)]), (spec, pins[_normalise(req.name)])
    installed = {_normalise(d.metadata["Name"]): d.version for d in metadata.distributions()}
    wrong = {
        name: (version, installed.get(name))
        for name, version in pins.items()
        if installed.get(name) != version
    }
    assert not wrong, f"pinned vs installed: {wrong}"
    assert {"pillow", "jinja2", "salib", "frictionless", "mypy", "pandas-stubs"} <= set(pins)


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_environment_yml_in_step_with_pyproject() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {
        _normalise(re.split(r"[<>=!~ ]", d, maxsplit=1)[0]): d.replace(" ", "")
        for d in project["dependencies"] + project["optional-dependencies"]["test"]
    }
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


def test_ruff_checks_complexity_and_mypy_is_configured() -> None:
    tool = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]
    assert "C90" in tool["ruff"]["lint"]["select"] and tool["ruff"]["lint"]["mccabe"]["max-complexity"] == 12
    assert tool["mypy"]["files"] == ["alliancelib"]


def test_ruff_is_clean() -> None:
    import shutil
    import subprocess
    import sys

    ruff = shutil.which("ruff") or str(ROOT / ".venv" / "bin" / "ruff")
    done = subprocess.run(
        [ruff, "check", "alliancelib", "tests", "benchmarks"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={"PATH": sys.prefix + "/bin"},
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_make_lab_opens_working_copies_never_the_committed_notebooks() -> None:
    """The committed notebooks are nbval's reference: JupyterLab opens copies in lab/ (git-ignored),
    made once and never overwritten, so a user's edits and autosaves stay theirs."""
    make = (ROOT / "Makefile").read_text(encoding="utf-8")
    lab = recipe(make, "lab")
    assert lab == ["mkdir -p lab && cp -n notebooks/*.ipynb lab/", "$(BIN)/jupyter lab lab/"]
    assert "lab/" in (ROOT / ".gitignore").read_text(encoding="utf-8").split()


def test_no_module_of_the_library_exceeds_800_lines() -> None:
    """Small modules: a topic that grows splits (model, inputs, analysis, tables, charts)."""
    long = {
        str(p.relative_to(ROOT)): n
        for p in (ROOT / "alliancelib").rglob("*.py")
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > 800
    }
    assert long == {}


def test_make_test_fast_skips_what_make_test_runs_only_there() -> None:
    """test-fast skips kernels and browsers (slow) and chart layout, page export and the stock
    Frictionless tool (heavy, marked by conftest from the test's file and name); make test runs all."""
    from conftest import is_heavy

    assert is_heavy("test_india.py", "test_charts_stay_clean_at_the_edges[over0]")
    assert is_heavy("test_explorer.py", "test_a_change_redraws_the_findings")
    assert is_heavy("test_schema.py", "test_the_stock_frictionless_tool_validates_the_package")
    assert not is_heavy("test_india.py", "test_laws_hold_on_every_valid_plant")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    fast = makefile.split("\ntest-fast:", 1)[1].split("\n\n", 1)[0]
    assert '-m "not slow and not heavy"' in fast and "ALLIANCE_FUZZ_EXAMPLES=30" in fast
    test = makefile.split("\ntest:", 1)[1].split("\n\n", 1)[0]
    assert "not heavy" not in test and "not slow" not in test


def test_make_test_starts_the_longest_files_first() -> None:
    """The whole suite hands its longest files to the workers first (conftest.LONGEST_FIRST, kept in
    collection order: xdist's reordering by test count is off) and loads tests/early.py before
    nbval imports jsonschema; every file the order names exists."""
    from types import SimpleNamespace

    from conftest import LONGEST_FIRST, run_order

    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    for target in ("test", "coverage"):
        pytest_line = " ".join(recipe(makefile, target))
        assert "-p tests.early" in pytest_line and "--no-loadscope-reorder" in pytest_line, target
    assert all((ROOT / "tests" / name).is_file() for name in LONGEST_FIRST)

    def item(path: str, slow: bool) -> SimpleNamespace:
        return SimpleNamespace(path=Path(path), get_closest_marker=lambda name: slow or None)

    order = [
        run_order(item("tests/test_text.py", False)),
        run_order(item("notebooks/05_deal_ledger.ipynb", False)),
        run_order(item("tests/test_refresh.py", True)),
        run_order(item(f"tests/{LONGEST_FIRST[1]}", True)),
        run_order(item(f"tests/{LONGEST_FIRST[0]}", True)),
    ]
    assert order == sorted(order, reverse=True) and len(set(order[1:])) == 3 and order[1] == order[2]


def test_the_early_plugin_defers_the_iri_grammars() -> None:
    """After tests/early.py, importing jsonschema (as nbval's plugin does) leaves rfc3987_syntax's
    grammars uncompiled: its stand-in is what jsonschema took (the hand-over to the real module at
    the first IRI check costs 2 s, so it is not made here)."""
    code = (
        "import early, sys, jsonschema\n"
        "stand_in = sys.modules['rfc3987_syntax']\n"
        "assert 'Stands in' in (stand_in.__doc__ or ''), stand_in\n"
        "assert callable(stand_in.is_valid_syntax) and 'lark' not in sys.modules\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT / "tests", capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr


def test_the_commit_message_hook_refuses_a_long_subject(tmp_path: Path) -> None:
    """.ci/commit-subject: at most 72 characters in the subject line, then a blank line."""
    hook = ROOT / ".ci" / "commit-subject"

    def check(message: str) -> tuple[int, str]:
        (tmp_path / "MSG").write_text(message, encoding="utf-8")
        done = subprocess.run(
            [sys.executable, str(hook), str(tmp_path / "MSG")], capture_output=True, text=True
        )
        return done.returncode, done.stderr

    assert check("build: keep charts\n\nThe detail.\n# a comment git adds\n") == (0, "")
    assert check("x" * 72 + "\n") == (0, "")
    code, err = check("x" * 73 + "\n")
    assert code == 1 and "73 characters; at most 72" in err
    code, err = check("subject\nno blank line\n")
    assert code == 1 and "second line must be blank" in err
    assert check("# only a comment\n")[0] == 1
