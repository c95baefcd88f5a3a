"""Every notebook at the corners of its plausible ranges (issue 17 item 2): with every uncertain
input at the low end of its range, then at the high end (the first and last option of a choice),
a notebook either runs cleanly or is refused with a ParameterError before any kernel starts.

The ranges are the ones the uncertainty analysis draws from (``plausible_of`` in
alliancelib.params); the jobs are the build's own (``plan`` with a scenario per corner: the
refusal, and the parameters papermill would inject).

No kernel runs here (issue 24): an accepted corner runs the notebook's own code cells in this
process, in order, as papermill would run them (the parameters cell, then the job's parameters
injected, then every other code cell, in the notebook's folder), with ``IPython.display.display``
collecting what each cell shows. Then it checks what a build would: no cell raises, the results
recorded (the ``application/vnd.alliancelib.result+json`` outputs, read by the build's own reader),
every chart drawn (each cell shows as many PNG charts, each with alt text, as the committed
notebook's cell) and the HTML report exported from those outputs. What a kernel adds (papermill's
injection, the kernel's display machinery, the executed notebook written and read back) does not
depend on the parameters' values: the one papermill run of each notebook at its defaults proves
that wiring, in the suite's shared build (``tests/shared.py``, which the contract, browser and
byte-identity tests read) and in nbval's re-execution of the committed notebooks."""

from __future__ import annotations

import base64
from pathlib import Path
from typing import Any

import pytest
from helpers import execute_in_process

from alliancelib import notebooks as nbs
from alliancelib.errors import ParameterError
from alliancelib.params import fields_of, plausible_of
from alliancelib.scenarios import Scenario, plan

pytestmark = pytest.mark.heavy  # no kernel (not slow), but it draws every chart and exports pages
CORNERS = ("low", "high")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def corner(notebook: str, which: str) -> dict[str, Any]:
    """The parameters a notebook declares that have a plausible range, each at one end of it."""
    cls = nbs.params_class(notebook)
    declared = nbs.declared_parameters(nbs.discover()[notebook])
    values: dict[str, Any] = {}
    for f in fields_of(cls) if cls is not None else []:
        pl = plausible_of(cls, f.name)
        if pl is None or f.name not in declared:
            continue
        if pl.options:
            values[f.name] = pl.options[0 if which == "low" else -1]
        else:
            values[f.name] = pl.low if which == "low" else pl.high
    return values


def notebooks_with_ranges() -> list[str]:
    return [nb for nb in nbs.discover() if nbs.params_class(nb) is not None and corner(nb, "low")]


def test_every_notebook_declares_ranges_to_explore() -> None:
    assert len(notebooks_with_ranges()) >= 5


@pytest.mark.parametrize("which", CORNERS)
def test_every_notebook_at_a_corner_is_accepted_or_refused_before_any_kernel(which: str) -> None:
    accepted: dict[str, dict[str, Any]] = {}
    refused: dict[str, str] = {}
    for nb in notebooks_with_ranges():
        values = corner(nb, which)
        try:
            plan([Scenario(which, notebooks={nb: values})], only=[nb])
        except ParameterError as exc:
            assert str(exc).startswith(f"{nb}: parameter "), str(exc)
            assert " is not allowed: " in str(exc)
            refused[nb] = str(exc)
        else:
            accepted[nb] = values
    assert accepted, f"every notebook refused its {which} corner: {refused}"


def charts_of(cell: dict[str, Any]) -> list[dict[str, Any]]:
    return [o for o in cell.get("outputs", []) if "image/png" in o.get("data", {})]


@pytest.mark.parametrize("notebook", notebooks_with_ranges())
@pytest.mark.parametrize("which", CORNERS)
def test_a_notebook_runs_cleanly_at_a_corner(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, which: str, notebook: str
) -> None:
    from alliancelib.export import export_html
    from alliancelib.provenance import of_job
    from alliancelib.results import read_results

    try:
        (job,) = plan([Scenario(which, notebooks={notebook: corner(notebook, which)})], only=[notebook])
    except ParameterError as exc:  # refused before any kernel: the test above checks how
        pytest.skip(f"refused at the {which} corner: {exc}")
    executed = execute_in_process(job.source, dict(job.parameters), monkeypatch)
    recorded = read_results(executed)  # the build's own reader of the executed notebook
    assert recorded, f"{notebook} recorded no result at the {which} corner"
    committed = [c for c in nbs.read(job.source)["cells"] if c["cell_type"] == "code"]
    ran = [c for c in executed["cells"] if c["cell_type"] == "code"]
    assert [len(charts_of(c)) for c in ran] == [len(charts_of(c)) for c in committed], (
        f"{notebook} at the {which} corner: charts per code cell differ from the committed notebook's"
    )
    charts = [o for c in ran for o in charts_of(c)]
    for chart in charts:
        assert base64.b64decode(chart["data"]["image/png"]).startswith(PNG_SIGNATURE)
        assert chart["data"]["text/plain"].strip() and chart["metadata"]["image/png"]["alt"].strip()
    path = tmp_path / which / f"{notebook}.ipynb"  # as the build writes it, then its report
    path.parent.mkdir()
    path.write_text(nbs.dumps(executed), encoding="utf-8")
    page = export_html(path, of_job(job)).read_text(encoding="utf-8")
    assert page.count("<img") >= len(charts), f"{notebook}: a chart is missing from the report"
