"""Small helpers for tests: editing copies of data files, running a notebook, checking its recorded
results and parameters."""

from __future__ import annotations

import functools
import os
from pathlib import Path
from typing import Any

# `make test-fast` runs each property test on 15% of its examples (ALLIANCE_PROPERTY_SHARE=0.15,
# at least 20); `make test` on all of them. The same derandomised cases come first either way.
PROPERTY_SHARE = float(os.environ.get("ALLIANCE_PROPERTY_SHARE", "1"))


def examples(n: int) -> int:
    """A property test's number of examples: ``n`` in ``make test``, its share in ``make test-fast``.

    >>> examples(300) if PROPERTY_SHARE == 1 else 300
    300
    """
    return max(20, round(n * PROPERTY_SHARE)) if PROPERTY_SHARE < 1 else n


def replace_in(path: Path, old: str, new: str) -> None:
    """Replace the one occurrence of ``old`` in a file (fails loudly if absent)."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    """1-based line number of the first line containing ``needle``."""
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return i
    raise AssertionError(f"{needle!r} not in {path.name}")


def run_notebook(name: str, tmp_path: Path, **params: object) -> dict[str, dict]:
    """Execute notebooks/<name>.ipynb with papermill from a foreign working directory and
    return its recorded results."""
    import papermill as pm

    from alliancelib.paths import NOTEBOOKS_DIR
    from alliancelib.results import read_results

    out = tmp_path / f"{name}.out.ipynb"
    pm.execute_notebook(
        str(NOTEBOOKS_DIR / f"{name}.ipynb"),
        str(out),
        parameters=params,
        kernel_name="python3",
        cwd=str(tmp_path),
        progress_bar=False,
    )
    return read_results(out)


def execute_in_process(
    source: Path, parameters: dict[str, Any], monkeypatch: Any, cwd: Path | None = None
) -> dict[str, Any]:
    """A notebook executed in this process as papermill runs it in a kernel: its code cells in
    order, ``parameters`` injected after the parameters cell (papermill's own Python translator
    writes the assignments), in ``cwd`` (default: the notebook's folder, where the build starts its
    kernels); each code cell's outputs are what it showed (``IPython.display.display`` collects
    them). Returns the notebook (JSON) with those outputs, cleaned as the build keeps it. No kernel:
    what a kernel adds does not depend on the values (the shared build's papermill run of each
    notebook at its defaults, and nbval, prove that wiring)."""
    import IPython.display
    import nbformat
    from IPython.core.formatters import format_display_data
    from papermill.translators import PythonTranslator

    from alliancelib import notebooks as nbs

    shown: list[dict[str, Any]] = []

    def display(*objs: Any, raw: bool = False, metadata: dict[str, Any] | None = None, **_: Any) -> None:
        for obj in objs:
            data, meta = (obj, metadata or {}) if raw else format_display_data(obj)
            shown.append(nbformat.v4.new_output("display_data", data=data, metadata=meta))

    monkeypatch.setattr(IPython.display, "display", display)
    monkeypatch.chdir(cwd or source.parent)
    nb = nbformat.read(str(source), as_version=4)
    scope: dict[str, Any] = {"__name__": "__main__"}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        exec(compile(cell.source, str(source), "exec"), scope)  # noqa: S102 - the notebook's own code
        if "parameters" in cell.metadata.get("tags", []):
            exec(PythonTranslator.codify(parameters), scope)  # noqa: S102 - papermill's injection
        cell.outputs, shown[:] = list(shown), []
    return nbs.clean(dict(nb))


def results_in_process(name: str, monkeypatch: Any, tmp_path: Path, **params: object) -> dict[str, dict]:
    """notebooks/<name>.ipynb executed in this process (:func:`execute_in_process`) from a foreign
    working directory (``tmp_path``), with ``params`` injected: its recorded results, read by the
    build's own reader. The executed notebook is written where :func:`run_notebook` writes it
    (``tmp_path/<name>.out.ipynb``), for a test that reads its key findings."""
    from alliancelib import notebooks as nbs
    from alliancelib.paths import NOTEBOOKS_DIR
    from alliancelib.results import read_results

    executed = execute_in_process(NOTEBOOKS_DIR / f"{name}.ipynb", params, monkeypatch, cwd=tmp_path)
    (tmp_path / f"{name}.out.ipynb").write_text(nbs.dumps(executed), encoding="utf-8")
    return read_results(executed)


def assert_parameters_match(name: str, cls: type) -> None:
    """The notebook's parameters cell declares exactly the fields of ``cls``: same names,
    order, defaults, annotations, and help text."""
    from alliancelib import notebooks as nbs
    from alliancelib.params import fields_of
    from alliancelib.paths import NOTEBOOKS_DIR

    declared = nbs.declared_parameters(NOTEBOOKS_DIR / f"{name}.ipynb")
    fields = fields_of(cls)
    assert list(declared) == [f.name for f in fields]
    for f in fields:
        d = declared[f.name]
        assert d.default == f.default, f.name
        # papermill's --help-notebook reads only plain annotations: "float" stands for "float | None"
        assert d.type == str(f.type).removesuffix(" | None"), f.name
        assert d.help == f.metadata["help"], f.name


def assert_refused(module, change: dict, message: str) -> None:
    """``module.validate_params`` at the defaults with ``change`` raises a ParameterError whose
    text starts with the notebook's name and contains ``message``."""
    import pytest

    from alliancelib.errors import ParameterError
    from alliancelib.notebooks import PARAMS
    from alliancelib.params import defaults

    notebook = next(nb for nb, target in PARAMS.items() if target.startswith(module.__name__ + ":"))
    cls = getattr(module, PARAMS[notebook].split(":")[1])
    with pytest.raises(ParameterError) as info:
        module.validate_params(**{**defaults(cls), **change})
    assert str(info.value).startswith(f"{notebook}: parameter ") and message in str(info.value)


def ecb_rate_from_csv(currency: str, day: str) -> float:
    """The ECB fixing of ``currency`` on or before ``day``, read with the csv module alone
    (independent of alliancelib.fx, for contract tests)."""
    import csv

    from alliancelib.paths import DATA_DIR

    rows = sorted(
        (r["date"], float(r["rate_per_eur"]))
        for r in csv.DictReader((DATA_DIR / "fx_rates.csv").open(encoding="utf-8"))
        if r["currency"] == currency and r["date"] <= day
    )
    return rows[-1][1]


def check_results(results: dict, want: dict, labels: dict[str, str], *, cents: bool = False) -> None:
    """A notebook's recorded results are exactly ``want``'s names, each with its label from the module's
    specs (no code word in it) and a unit, its value within 1e-9 of the recomputation (to the cent for
    amounts in euros when ``cents``; ``None`` where ``want`` says no figure), and ``low <= value <=
    high`` wherever a range is recorded."""
    import pytest

    from alliancelib.results import CODE_WORD

    assert set(results) == set(want)
    for name, value in want.items():
        got = results[name]
        assert got["label"] == labels[name] and not CODE_WORD.search(got["label"]), name
        assert got["unit"], name
        if value is None:  # recorded as null: no such figure at these parameters
            assert got["value"] is None, name
            continue
        if cents and name.endswith("_eur") and abs(value) > 1:
            assert abs(got["value"] - value) < 0.005, name  # to the cent
        else:
            assert got["value"] == pytest.approx(value, rel=1e-9, abs=1e-9), name
        if "low" in got:
            assert got["low"] <= got["value"] <= got["high"], name


def analysed(module, p):
    """``module.analyse(p)`` (a topic package and its validated parameters), computed once per test
    process and state of the data folder: several test files analyse the same notebook at the same
    parameters (the defaults above all). Each call hands out its own deep copy, so what one test
    changes on it never reaches another. For a fresh run (a second call in the same process, a
    monkeypatched model), call ``module.analyse`` itself."""
    import copy

    return copy.deepcopy(_analysed(module.__name__, p, *_data_state())[0])


def analysed_with_reads(module, p):
    """:func:`analysed` with the data rows that analysis read (an :class:`alliancelib.reads.Reads`
    recorded around the one real call), each a copy of its own."""
    import copy

    return copy.deepcopy(_analysed(module.__name__, p, *_data_state()))


def _data_state() -> tuple[str, tuple]:
    from alliancelib.data import data_dir, file_stamp, table_names

    folder = data_dir().resolve()
    stamp = file_stamp("datapackage.json", *(f"{n}.csv" for n in table_names(folder)), folder=folder)
    return str(folder), stamp


@functools.cache
def _analysed(module_name: str, p, folder: str, stamp: tuple):
    import importlib

    from alliancelib import reads

    with reads.recording() as r:
        a = importlib.import_module(module_name).analyse(p)
    return a, r
