"""What every notebook of the collection must honour (the brief's notebook conventions)."""

from __future__ import annotations

import ast
import re

import pytest
from helpers import assert_parameters_match

from alliancelib import notebooks as nbs
from alliancelib.paths import NOTEBOOKS_DIR

FOUND = nbs.discover()


def test_every_notebook_is_registered_and_every_registration_exists() -> None:
    assert set(FOUND) == set(nbs.PARAMS)


@pytest.mark.parametrize("name", FOUND)
def test_parameters_cell_matches_the_validated_contract(name: str) -> None:
    assert_parameters_match(name, nbs.params_class(name))


@pytest.mark.parametrize("name", FOUND)
def test_papermill_help_documents_every_parameter(name: str) -> None:
    """papermill's own command (the click command behind ``papermill --help-notebook``), run
    in-process: the same parsing and printing without starting a Python (and importing papermill)
    for each notebook."""
    from click.testing import CliRunner
    from papermill.cli import papermill

    out = CliRunner().invoke(papermill, ["--help-notebook", str(FOUND[name])])
    assert out.exit_code == 0, out.output
    assert "Unable to parse" not in out.output
    lines = out.stdout.splitlines()
    for p in nbs.declared_parameters(FOUND[name]).values():
        i = next(i for i, ln in enumerate(lines) if ln.strip().startswith(p.name + ":"))
        shown = re.search(rf"{p.name}: (\S+) \(default (.*?)\)", lines[i])
        assert shown and shown.group(1) == p.type, lines[i]
        assert ast.literal_eval(shown.group(2)) == p.default
        # click prints a short help on the same line, a long one on the next
        assert lines[i].strip().endswith(p.help) or lines[i + 1].strip() == p.help


@pytest.mark.parametrize("name", FOUND)
def test_structure(name: str) -> None:
    """The cell order of docs/architecture.md: question, parameters, validation and analysis, the
    key findings box, sections, "How sure is this?" (or its successor, the technical appendix),
    results, what the sources could not reach,
    the sources footer; displays from alliancelib only (no legacy results.record, no pyplot). A
    notebook migrated to a topic package (``alliancelib.topics``) shows each part with one call
    (``a.show_findings()``, ``a.show("cash")``, ``a.show_results()``, ``a.show_sources()``) and holds
    no ``assert``."""
    nb = nbs.read(FOUND[name])
    cells = nb["cells"]
    assert cells[0]["cell_type"] == "markdown" and nbs.question(FOUND[name])
    code = [c for c in cells if c["cell_type"] == "code"]
    assert "parameters" in code[0]["metadata"].get("tags", [])
    second = "".join(code[1]["source"])
    assert "validate_params(" in second and ".analyse(p)" in second  # validation, then one analysis
    text = "".join("".join(c["source"]) for c in code)
    topic = "from alliancelib.topics import" in second  # a topic package (issue 20): a.show(...) calls
    findings_call = "a.show_findings()" if topic else "findings.show_key_findings("
    assert findings_call in "".join(code[2]["source"])  # the answer comes first
    headings = [
        line
        for c in cells
        if c["cell_type"] == "markdown"
        for line in "".join(c["source"]).splitlines()
        if line.startswith("## ")
    ]
    # the technical appendix (contract v3) replaces "How sure is this?", one notebook at a time
    appendix = (
        "## Technical appendix: share of the tested range (independent uniform inputs; not a probability)"
    )
    sure = appendix if appendix in headings else "## How sure is this?"
    for wanted in (sure, "## Results", "## What the sources could not reach"):
        assert wanted in headings, wanted
    assert headings.index(sure) < headings.index("## Results")
    assert "results.record(" not in text and "import matplotlib" not in text
    if topic:  # one call per section, the checks in tests (tests/test_text.py), none in the notebook
        assert "a.show_results()" in text and "a.show_sources()" in text and 'a.show("' in text
        assert not re.search(r"^\s*assert\b", text, re.MULTILINE)
        assert all(len(c["source"]) <= 4 for c in code[2:]), "a section shows itself in one call"
    else:
        assert "results.show_results(" in text and "report.sources_footer(" in text
        assert "charts.show(" in text


@pytest.mark.parametrize("name", FOUND)
def test_every_parameter_reaches_the_validation(name: str) -> None:
    """The validation cell passes every declared parameter, by its own name, to its module's
    ``validate_params`` and keeps what that returns: so every bad value the contract tests refuse
    in-process (``test_bad_parameters``) stops the notebook too. One notebook proves it with a
    kernel (tests/test_contract_00.py::test_the_notebook_stops_on_a_bad_value)."""
    import importlib

    code = [c for c in nbs.read(FOUND[name])["cells"] if c["cell_type"] == "code"]
    calls = [
        node
        for node in ast.walk(ast.parse("".join(code[1]["source"])))
        if isinstance(node, ast.Assign)
        and isinstance(node.value, ast.Call)
        and ast.unparse(node.value.func).endswith(".validate_params")
    ]
    assert len(calls) == 1, f"{name}: no single p = <module>.validate_params(...)"
    (call,) = calls
    assert [ast.unparse(t) for t in call.targets] == ["p"] and not call.value.args
    declared = nbs.declared_parameters(FOUND[name])
    alias = ast.unparse(call.value.func).rsplit(".", 1)[0]
    if [ast.unparse(k) for k in call.value.keywords] == [f"**{alias}.parameters_in(globals())"]:
        # a topic package's notebook: its parameters_in picks every declared parameter out of the
        # notebook's globals by name, and nothing else
        module = importlib.import_module(nbs.PARAMS[name].split(":")[0])
        namespace = {p: object() for p in declared} | {"unrelated": 1}
        picked = module.parameters_in(namespace)
        assert {k: v is namespace[k] for k, v in picked.items()} == dict.fromkeys(declared, True)
        return
    passed = {k.arg: ast.unparse(k.value) for k in call.value.keywords}
    assert passed == {p: p for p in declared}


@pytest.mark.parametrize("name", FOUND)
def test_committed_notebook_is_clean(name: str) -> None:
    text = FOUND[name].read_text(encoding="utf-8")
    for pattern in (
        r"/(root|home|tmp|Users)/",
        r"0x[0-9a-f]{8,}",
        r'"start_time"',
        r"iopub\.execute_input",
        r'"papermill"',
        r'"id": "',
    ):
        assert not re.search(pattern, text), pattern
    code = [c for c in nbs.read(FOUND[name])["cells"] if c["cell_type"] == "code"]
    assert all(c["execution_count"] == i for i, c in enumerate(code, 1)), "run top to bottom"
    assert sum(len(c["outputs"]) for c in code) >= 10
    for c in code:
        for o in c["outputs"]:
            assert o.get("name") != "stderr" and o["output_type"] != "error", o


def test_notebooks_folder_holds_only_the_collection() -> None:
    stray = [p.name for p in NOTEBOOKS_DIR.iterdir() if p.suffix == ".ipynb" and p.stem not in FOUND]
    assert not stray
