"""The README's and CONTRIBUTING's examples are true: the scenario file plans, the error message is
what the code says, every command line shown parses with the real CLI and names real notebooks and
parameters, the fault table quotes the code; and the README's key findings and questions are what
the committed notebooks say."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from alliancelib import build as b
from alliancelib import cli
from alliancelib import notebooks as nbs
from alliancelib.errors import ParameterError
from alliancelib.paths import ROOT
from alliancelib.topics import claims

README = (ROOT / "README.md").read_text(encoding="utf-8")
CONTRIBUTING = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```(\w*)\n(.*?)```", README + "\n" + CONTRIBUTING, re.S)


def commands(program: str) -> list[list[str]]:
    out = []
    for lang, body in BLOCKS:
        if lang != "bash":
            continue
        for line in body.splitlines():
            line = line.split("  #")[0].strip()
            if line.startswith(program):
                out.append(shlex.split(line)[1:])
    return out


def test_scenario_example_plans(tmp_path: Path) -> None:
    (toml,) = [body for lang, body in BLOCKS if lang == "toml"]
    path = tmp_path / "example.toml"
    path.write_text(toml, encoding="utf-8")
    jobs = b.plan([b.load_scenario(path)])
    job = next(j for j in jobs if j.notebook == "00_claims_and_timeline")
    assert job.parameters["fx_tolerance_pct"] == 0.01


def test_error_message_example_is_real() -> None:
    shown = re.search(r"ParameterError: (00_claims_and_timeline: parameter .*)", README).group(1)
    with pytest.raises(ParameterError) as info:
        claims.validate_params(reference_date="2025-03-31", fx_tolerance_pct=-0.5)
    assert str(info.value) == shown


def test_alliance_command_lines_parse_and_name_real_things() -> None:
    found = commands(".venv/bin/alliance")
    assert len(found) >= 5
    parser = cli._parser()
    for argv in found:
        args = parser.parse_args([a for a in argv if a not in ("[NOTEBOOK]", "[NOTEBOOK", "...]")])
        if args.command == "build":
            assert all(o in nbs.discover() for o in args.only)
            b.plan([], b.parse_overrides(args.param), args.only)  # names checked, nothing run


def test_papermill_command_lines_name_real_parameters() -> None:
    for argv in commands(".venv/bin/papermill"):
        notebook = ROOT / next(a for a in argv if a.endswith(".ipynb"))
        declared = nbs.declared_parameters(notebook)
        for i, a in enumerate(argv):
            if a == "-p":
                assert argv[i + 1] in declared, argv


def fault_table() -> dict[str, str]:
    section = README.split("## What you see when something is wrong", 1)[1].split("\n## ", 1)[0]
    rows = [line.split(" | ") for line in section.splitlines() if line.startswith("| ") and "---" not in line]
    return {cells[0].lstrip("| "): cells[1].rstrip(" |") for cells in rows[1:]}


def test_the_fault_table_shows_what_the_code_says(tmp_path: Path) -> None:
    """Each fault the build survives has its row, quoting the message the code really prints."""
    import errno
    import os

    from alliancelib import fsutil, runner

    rows = fault_table()
    said = "\n".join(rows.values())
    died = runner.kernel_died({"cells": [{"cell_type": "code", "execution_count": 1, "metadata": {}}]})
    assert died.replace("cell 1", "cell N") in said
    out, staging = Path("/x/<out>"), Path("/x/.<out>.tmp-1")
    full = fsutil.no_space(OSError(errno.ENOSPC, "full", str(staging / "<file>")), staging, out)
    assert f"alliance: {full}".replace("/x/", "") in said
    with fsutil.OutputLock(tmp_path / "r"), pytest.raises(b.BuildError) as locked:
        fsutil.OutputLock(tmp_path / "r").acquire()
    shown = str(locked.value).replace(str(os.getpid()), "N").replace(str(tmp_path / "r"), "<out>")
    assert f"alliance: {shown}" in said
    assert "cache entry <key> is damaged" in said
    for case in (
        "kernel dies",
        "no space left",
        "corrupt or truncated cache entry",
        "second `alliance build`",
        "corners of its stated ranges",
        "a bug in the code",
    ):
        assert any(case in key for key in rows), case


def test_the_readme_says_what_the_committed_notebooks_say() -> None:
    """Its key findings and questions are generated (`python -m alliancelib.readme`): after the
    notebooks change, regenerate them."""
    from alliancelib import readme

    assert readme.readme_text(README) == README
    assert README.index("## What the collection finds") < README.index("## Quick start")


def test_readers_first_engineers_linked() -> None:
    assert "CONTRIBUTING.md" in README and "docs/architecture.md" in README
    for section in ("## Build reports, scenarios and overrides", "## Speed", "## Tests"):
        assert section in CONTRIBUTING and section not in README, section
    # what a user sees when something goes wrong is for every user: the README's last section
    assert README.index("## Quick start") < README.index("## What you see when something is wrong")
    assert "README.md#what-you-see-when-something-is-wrong" in CONTRIBUTING


def test_the_readme_speaks_without_odds() -> None:
    """The README's own prose (everything but the blocks generated from the notebooks) says when an
    answer flips, not how often it holds: no "plausible cases", "N% of cases", "decides it", "90%"."""
    from alliancelib import readme
    from alliancelib.index import odds_words

    prose = README
    for start, end in ((readme.START, readme.END), (readme.Q_START, readme.Q_END)):
        prose = prose[: prose.index(start)] + prose[prose.index(end) :]
    assert odds_words(prose) == []
    assert "How sure is this?" not in prose and "When an answer would flip" in prose


def test_the_readmes_findings_are_the_notebooks_without_odds() -> None:
    """The README's findings are the notebooks' key findings, word for word, and none of them
    reads a share of draws as odds (each states its flip condition instead)."""
    from alliancelib import readme
    from alliancelib.index import odds_words

    block = README.split(readme.START, 1)[1].split(readme.END, 1)[0]
    assert block.strip() == readme.findings_markdown().strip()
    found = {line[:60]: odds_words(line) for line in block.splitlines() if odds_words(line)}
    assert not found, found
