"""Small notebooks written for the build tests, so they do not depend on the project's notebooks
(which change as they are rewritten): a folder of them is passed to ``build(notebook_dir=...)`` or
``alliance build --notebooks``.

``findings_notebook`` is a notebook as the collection writes them, in miniature: a title and a
question, a parameters cell, the key findings box, a chart (PNG) and the results table with a
plausible range, through the library's own display functions. The others fail, kill their own
kernel or sleep, for the fault tests.
"""

from __future__ import annotations

from pathlib import Path

import nbformat

KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}

FINDINGS_CODE = """\
from alliancelib import charts
from alliancelib.findings import Finding, show_key_findings
from alliancelib.results import ResultSpec, show_results

show_key_findings("{name}", [
    Finding("raise", f"It raises **EUR {{100 * x}}m**, which pays for the plan.", anchor="How-it-works",
            headline=True, holds_pct=62.0, flips=True),
    Finding("share", "The share stays **35.7%** whatever the scenario.", anchor="How-it-works", headline=True),
    Finding("context", "A finding kept for the report only."),
], since="Nothing changed since the announcement.", news_as_of="{news}", fx_as_of="{fx}")
fig, ax = charts.figure(4, 2.5)
ax.plot([1, 2, 3], [x, 2 * x, 3 * x])
charts.style_axes(ax, title="It grows with the input")
charts.show(fig, source="Source: a test", alt="A line rising with the input.")
show_results([
    ResultSpec("raised_eur_m", "EUR m", "What it raises", 0).result(100.0 * x, low=80.0 * x, high=130.0 * x),
    ResultSpec("share_pct", "%", "The share that stays", 1).result(35.7),
])"""


def write_notebook(
    folder: Path, name: str, code: list[str], *, params: str = "x: int = 1  # the input", prose: str = ""
) -> Path:
    """A notebook ``folder/name.ipynb``: a title and question, a parameters cell, then one code
    cell per item of ``code`` (and a section with ``prose`` after them)."""
    folder.mkdir(parents=True, exist_ok=True)
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    title = name[3:].replace("_", " ").capitalize()
    nb.cells = [
        nbformat.v4.new_markdown_cell(
            f"# {title}\n\n**Question.** How does the {title.lower()} test behave?"
        ),
        nbformat.v4.new_code_cell(params, metadata={"tags": ["parameters"]}),
    ]
    nb.cells += [nbformat.v4.new_code_cell(c) for c in code]
    nb.cells.append(nbformat.v4.new_markdown_cell(f"## How it works\n\nBy design. {prose}".rstrip()))
    for cell in nb.cells:
        cell.pop("id", None)
    nb.nbformat_minor = 4
    path = folder / f"{name}.ipynb"
    nbformat.write(nb, str(path))
    return path


def findings_notebook(
    folder: Path, name: str = "00_alpha", *, news: str = "2026-04-29", fx: str = "2026-08-21", extra: str = ""
) -> Path:
    """A notebook that shows key findings, a chart and ranged results (``extra`` code appended)."""
    code = [FINDINGS_CODE.format(name=name, news=news, fx=fx)] + ([extra] if extra else [])
    return write_notebook(folder, name, code)


def failing_notebook(folder: Path, name: str = "01_broken") -> Path:
    """A notebook whose second cell raises ``RuntimeError: boom <b>``."""
    return write_notebook(folder, name, ["y = x + 1", "raise RuntimeError('boom <b>')"])


def dying_notebook(folder: Path, name: str = "01_dies") -> Path:
    """A notebook whose third code cell kills its own kernel with SIGKILL."""
    return write_notebook(
        folder,
        name,
        ["print('before')", "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)", "print('never')"],
    )


def sleeping_notebook(
    folder: Path, name: str = "00_slow", seconds: float = 3.0, until: Path | None = None
) -> Path:
    """A notebook that takes ``seconds`` to run (and records one result); with ``until``, it runs
    until that file exists (``seconds`` at most), so a test decides when it ends, not the clock."""
    wait = (
        f"time.sleep({seconds})"
        if until is None
        else f"end = time.monotonic() + {seconds}\n"
        f"while not os.path.exists({str(until)!r}) and time.monotonic() < end:\n    time.sleep(0.05)"
    )
    code = [
        f"import os, time\n{wait}",
        "from alliancelib.results import ResultSpec, show_results\n"
        "show_results([ResultSpec('slept_s', 's', 'Time asleep', 1).result(float(x))])",
    ]
    return write_notebook(folder, name, code)
