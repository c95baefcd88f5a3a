"""Build the reports: execute notebooks with papermill, export HTML, gather results.

Layout of the output folder (default ``reports/``)::

    <out>/index.html                      links and headline results of every scenario
    <out>/<scenario>/<notebook>.ipynb     executed notebook (cleaned, kept even when it failed)
    <out>/<scenario>/<notebook>.html      report, code hidden, self-contained
    <out>/<scenario>/results.json         parameters, status and recorded results per notebook

Everything is checked before a kernel starts: the data (one DataError), the scenario files,
the notebook and parameter names, and the parameter values. The build writes into a temporary
folder beside ``<out>`` and swaps it in at the end, so a failed or killed build leaves the
previous reports as they were.
"""

from __future__ import annotations

import ast
import base64
import html
import json
import os
import shutil
import sys
import time
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from alliancelib import notebooks as nbs
from alliancelib.errors import BuildError
from alliancelib.export import export_html
from alliancelib.paths import NOTEBOOKS_DIR
from alliancelib.results import format_value, read_results

SCENARIO_NAME_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789_-")


@dataclass(frozen=True)
class Scenario:
    """Named parameter choices: ``shared`` values go to every notebook that declares them;
    ``notebooks`` holds per-notebook values (these win over shared ones)."""

    name: str
    description: str = ""
    shared: Mapping[str, Any] = field(default_factory=dict)
    notebooks: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    path: str = ""


@dataclass(frozen=True)
class Job:
    """One notebook to execute in one scenario with its full parameter set."""

    scenario: str
    notebook: str
    source: Path
    parameters: Mapping[str, Any]
    overrides: Mapping[str, Any]  # the parameters that differ from the notebook's defaults


@dataclass
class Outcome:
    """What became of a job."""

    job: Job
    ok: bool
    seconds: float
    error: str = ""
    results: dict[str, Any] = field(default_factory=dict)
    cached: bool = False


def parse_value(text: str) -> Any:
    """A ``-p`` value: a Python literal if it parses as one, else the string itself.

    >>> parse_value("19490"), parse_value("'FR'"), parse_value("FR"), parse_value("None")
    (19490, 'FR', 'FR', None)
    """
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def parse_overrides(pairs: Sequence[str]) -> dict[str, Any]:
    """``["name=value", ...]`` from the command line into a dict; BuildError on a bad pair."""
    out: dict[str, Any] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip().isidentifier():
            raise BuildError(f"-p {pair!r}: write -p name=value (e.g. -p twingo_price_eur=19490)")
        out[name.strip()] = parse_value(value.strip())
    return out


def load_scenario(path: Path) -> Scenario:
    """Read a scenario file (TOML). Errors name the file and, for syntax errors, the line.

    Format::

        name = "base"                 # folder name under the output folder
        description = "..."
        [shared]                      # values for every notebook that declares them
        fx_date = "2025-03-31"
        [notebooks.03_ev_pricing]     # values for one notebook
        twingo_price_eur = 19490.0
    """
    shown = str(path)
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BuildError(f"{shown}: scenario file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise BuildError(f"{shown}: not a valid scenario file: {exc}") from None
    allowed = {"name", "description", "shared", "notebooks"}
    extra = sorted(set(raw) - allowed)
    if extra:
        raise BuildError(
            f"{shown}: unknown key(s) {', '.join(extra)}; allowed: {', '.join(sorted(allowed))}"
        )
    name = raw.get("name", Path(path).stem)
    if not isinstance(name, str) or not name or set(name) - SCENARIO_NAME_CHARS:
        raise BuildError(f"{shown}: name {name!r} must use only a-z, 0-9, '_' and '-'")
    shared = raw.get("shared", {})
    per_nb = raw.get("notebooks", {})
    if not isinstance(shared, dict) or not isinstance(per_nb, dict) or not all(
        isinstance(v, dict) for v in per_nb.values()
    ):
        raise BuildError(f"{shown}: [shared] and [notebooks.NAME] must be tables of values")
    description = raw.get("description", "")
    if not isinstance(description, str):
        raise BuildError(f"{shown}: description must be a string")
    return Scenario(name, description, shared, per_nb, shown)


def plan(
    scenarios: Sequence[Scenario],
    overrides: Mapping[str, Any] | None = None,
    only: Sequence[str] = (),
    notebook_dir: Path = NOTEBOOKS_DIR,
) -> list[Job]:
    """Every job of a build, with names and values checked; BuildError or ParameterError
    before anything runs."""
    found = nbs.discover(notebook_dir)
    if not found:
        raise BuildError(f"no notebooks named NN_topic.ipynb in {notebook_dir}")
    for name in only:
        if name not in found:
            raise BuildError(f"--only {name!r}: no such notebook; notebooks: {', '.join(found)}")
    declared = {name: nbs.declared_parameters(path) for name, path in found.items()}
    all_params = sorted({p for d in declared.values() for p in d})
    overrides = dict(overrides or {})
    for name in overrides:
        if name not in all_params:
            raise BuildError(
                f"-p {name}: no notebook declares this parameter; parameters: {', '.join(all_params)}"
            )
    names = [s.name for s in scenarios]
    if len(set(names)) != len(names):
        raise BuildError(f"two scenarios share a name: {', '.join(names)}")
    chosen = list(only) or list(found)
    jobs: list[Job] = []
    for sc in scenarios:
        where = sc.path or sc.name
        for key in sc.shared:
            if key not in all_params:
                raise BuildError(
                    f"{where}: [shared] {key}: no notebook declares this parameter; "
                    f"parameters: {', '.join(all_params)}"
                )
        for nb_name, values in sc.notebooks.items():
            if nb_name not in found:
                raise BuildError(
                    f"{where}: [notebooks.{nb_name}]: no such notebook; notebooks: {', '.join(found)}"
                )
            for key in values:
                if key not in declared[nb_name]:
                    raise BuildError(
                        f"{where}: [notebooks.{nb_name}] {key}: {nb_name} has no such parameter; "
                        f"its parameters: {', '.join(declared[nb_name])}"
                    )
        for nb_name in chosen:
            decl = declared[nb_name]
            params = {k: v.default for k, v in decl.items()}
            params.update({k: v for k, v in sc.shared.items() if k in decl})
            params.update(sc.notebooks.get(nb_name, {}))
            params.update({k: v for k, v in overrides.items() if k in decl})
            cls = nbs.params_class(nb_name)
            if cls is not None:
                from alliancelib.params import validate

                validate(cls, nb_name, params)
            changed = {k: v for k, v in params.items() if v != decl[k].default}
            jobs.append(Job(sc.name, nb_name, found[nb_name], params, changed))
    return jobs


def _first_line(exc: BaseException) -> str:
    evalue = getattr(exc, "evalue", None)
    ename = getattr(exc, "ename", None)
    text = f"{ename}: {evalue}" if ename else f"{type(exc).__name__}: {exc}"
    return text.strip().splitlines()[0] if text.strip() else type(exc).__name__


def execute(job: Job, out_dir: Path) -> Outcome:
    """Run one notebook with papermill into ``out_dir/<scenario>/<notebook>.ipynb`` and clean
    it; a failing notebook is kept (with its error) and reported, not raised."""
    nbs.skip_slow_iri_checker()
    import papermill as pm

    target = out_dir / job.scenario / f"{job.notebook}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    error = ""
    try:
        pm.execute_notebook(
            str(job.source), str(target), parameters=dict(job.parameters),
            kernel_name="python3", progress_bar=False,
            log_output=False, request_save_on_cell_execute=False,
            extra_arguments=list(nbs.QUIET_KERNEL),
            shutdown_kernel="immediate",  # nothing is left to save after the last cell
            # the kernel starts in the notebook's folder (as in JupyterLab and nbval); papermill's
            # own cwd= would os.chdir the whole process, which races between parallel jobs
            resources={"metadata": {"path": str(job.source.parent)}},
        )
    except Exception as exc:  # noqa: BLE001 - any notebook failure is reported, not raised
        error = _first_line(exc)
    seconds = time.perf_counter() - start
    if target.exists():
        nb = nbs.clean(nbs.read(target))
        target.write_text(nbs.dumps(nb), encoding="utf-8")
        results = read_results(nb)
    else:
        results = {}
        error = error or "the notebook was not written"
    return Outcome(job, not error, seconds, error, results)


def _results_json(scenario: Scenario, outcomes: Sequence[Outcome]) -> str:
    doc = {
        "scenario": scenario.name,
        "description": scenario.description,
        "notebooks": {
            o.job.notebook: {
                "status": "ok" if o.ok else "failed",
                "error": o.error,
                "parameters": dict(o.job.parameters),
                "results": o.results,
            }
            for o in sorted(outcomes, key=lambda o: o.job.notebook)
        },
    }
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def render_index(
    scenarios: Sequence[Scenario], outcomes: Sequence[Outcome], notebook_dir: Path = NOTEBOOKS_DIR,
    pdf: bool = False,
) -> str:
    """The index page: what each notebook answers with its status and links per scenario, the
    scenarios and what they change, and the headline results side by side (with a chart when
    there are several scenarios). Every string from data, scenarios or errors is escaped."""
    from alliancelib.data import as_of_date, load

    e = html.escape
    found = nbs.discover(notebook_dir)
    as_of = as_of_date(load("sources")["source_id"])
    by_key = {(o.job.scenario, o.job.notebook): o for o in outcomes}
    names = [sc.name for sc in scenarios]
    notebooks = sorted({o.job.notebook for o in outcomes})
    failed = [o for o in outcomes if not o.ok]
    parts = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<title>Renault–Nissan–Mitsubishi alliance restructuring: research reports</title>",
        "<style>body{font:15px/1.5 system-ui,sans-serif;max-width:1040px;margin:0 auto;"
        "padding:12px;color:#222}table{border-collapse:collapse;width:100%;margin:8px 0 20px}"
        "td,th{border-bottom:1px solid #ddd;padding:6px;text-align:left;vertical-align:top}"
        ".failed{color:#b00020;font-weight:bold}.ok{color:#1b7f3b}code{font-size:12px}"
        ".q{color:#444;font-size:14px}.links{white-space:nowrap}"
        ".results td:not(:first-child),.results th:not(:first-child){text-align:right;"
        "white-space:nowrap}img.comparison-chart{max-width:100%;height:auto}"
        ".scroll{overflow-x:auto}"
        "@media(max-width:640px){body{font-size:14px}.nb td,.nb th{display:block;border:none;"
        "padding:2px 0}.nb tr{display:block;border-bottom:1px solid #ddd;padding:6px 0}"
        ".nb thead{display:none}}</style></head><body>",
        "<h1>Renault–Nissan–Mitsubishi alliance restructuring of 31 March 2025</h1>",
        "<p>Research reports on the cross-shareholdings, the India plant transfer, the Twingo's "
        f"EV pricing and Nissan's cancelled Ampere investment. Data as of <strong>{e(as_of)}"
        "</strong> (newest source publication). Every figure is sourced, from the seed article, "
        "or a labelled assumption; each report ends with its sources."
        + (' This page as <a href="index.pdf">PDF</a>.' if pdf else "") + "</p>",
    ]
    if failed:
        parts.append(f'<p class="failed">{len(failed)} of {len(outcomes)} notebook runs failed: '
                     "see the status column.</p>")
    parts.append('<h2 id="notebooks">The notebooks</h2><table class="nb"><thead><tr>'
                 "<th>Notebook and its question</th><th>Status and files</th></tr></thead><tbody>")
    for nb in notebooks:
        path = found.get(nb)
        title = nbs.title(path) if path else nb
        q = nbs.question(path) if path else ""
        cells = []
        for sc in names:
            o = by_key.get((sc, nb))
            if o is None:
                continue
            label = f"<strong>{e(sc)}</strong>: " if len(names) > 1 else ""
            if o.ok:
                links = (f'<a href="{e(sc)}/{e(nb)}.html">report</a> · '
                         f'<a href="{e(sc)}/{e(nb)}.ipynb">notebook</a>'
                         + (f' · <a href="{e(sc)}/{e(nb)}.pdf">PDF</a>' if pdf else ""))
                cells.append(f'<div class="links">{label}<span class="ok">ok</span> · {links}</div>')
            else:
                cells.append(f'<div>{label}<span class="failed">failed</span>: <code>{e(o.error)}'
                             f'</code> · <a href="{e(sc)}/{e(nb)}.ipynb">notebook</a></div>')
        parts.append(f"<tr><td><strong>{e(title)}</strong> <code>{e(nb)}</code>"
                     f'<div class="q">{e(q)}</div></td><td>{"".join(cells)}</td></tr>')
    parts.append("</tbody></table>")
    parts.append(f'<h2 id="scenarios">Scenario{"s" if len(names) > 1 else ""}</h2><ul>')
    for sc in scenarios:
        changed = []
        for nb in notebooks:
            o = by_key.get((sc.name, nb))
            if o and o.job.overrides:
                over = ", ".join(f"{k} = {v!r}" for k, v in sorted(o.job.overrides.items()))
                changed.append(f"<code>{e(nb)}</code>: {e(over)}")
        detail = ("<br><small>changed from the defaults: " + "; ".join(changed) + "</small>"
                  if changed else "<br><small>every parameter at its default</small>")
        parts.append(f'<li id="{e(sc.name)}"><strong>{e(sc.name)}</strong>: '
                     f"{e(sc.description)}{detail}</li>")
    parts.append("</ul>")
    parts.extend(_results_table(names, outcomes))
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _results_table(names: list[str], outcomes: Sequence[Outcome]) -> list[str]:
    """Headline results with units, one column per scenario, and a chart of those that differ."""
    e = html.escape
    table: dict[tuple[str, str], dict[str, Any]] = {}
    units: dict[tuple[str, str], str] = {}
    for o in sorted(outcomes, key=lambda o: o.job.notebook):
        for r in o.results.values():
            key = (o.job.notebook, r["name"])
            table.setdefault(key, {})[o.job.scenario] = r["value"]
            units[key] = r["unit"]
    head = "".join(f"<th>{e(n)}</th>" for n in names) if len(names) > 1 else "<th>value</th>"
    rows = []
    for (nb, name), values in table.items():
        cells = "".join(f"<td>{e(format_value(values[n], units[(nb, name)])) if n in values else ''}</td>"
                        for n in names)
        rows.append(f"<tr><td><code>{e(name)}</code> <small>{e(nb[:2])}</small></td>{cells}</tr>")
    title = "Headline results, scenarios side by side" if len(names) > 1 else "Headline results"
    out = [f'<h2 id="results">{title}</h2><div class="scroll"><table class="results"><thead><tr>'
           f"<th>result (notebook)</th>{head}</tr></thead><tbody>" + "".join(rows)
           + "</tbody></table></div>"]
    varying = [(k, v) for k, v in table.items()
               if len({repr(x) for x in v.values()}) > 1
               and all(isinstance(x, int | float) for x in v.values())]
    if len(names) > 1 and varying:
        out.append(_comparison_chart(names, varying[:12], units))
    return out


def _comparison_chart(names: list[str], varying: list[tuple[tuple[str, str], dict[str, Any]]],
                      units: Mapping[tuple[str, str], str]) -> str:
    """Small multiples (one panel per headline result that differs) as an inline PNG."""
    from alliancelib import charts

    cols = 3
    rows = -(-len(varying) // cols)
    fig, _ = charts.figure(9.5, 2.3 * rows)
    fig.clear()
    axes = fig.subplots(rows, cols, squeeze=False)
    palette = ["#1f5f8b", "#9a9a9a", "#d4a017", "#c3002f", "#2e8b57"]
    for ax, ((nb, name), values) in zip(axes.flat, varying, strict=False):
        xs = [n for n in names if n in values]
        ax.bar(xs, [values[n] for n in xs], color=palette[: len(xs)])
        ax.set_title(name, fontsize=8.5, loc="left")
        ax.set_ylabel(units[(nb, name)], fontsize=8)
        ax.tick_params(labelsize=7.5)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    for ax in list(axes.flat)[len(varying):]:
        ax.set_visible(False)
    png = charts.png_bytes(fig)
    alt = ("Bar charts comparing the scenarios " + ", ".join(names) + " on "
           + ", ".join(name for (_, name), _ in varying) + ".")
    return (f'<img class="comparison-chart" alt="{html.escape(alt)}" '
            f'src="data:image/png;base64,{base64.b64encode(png).decode()}">')


def _progress(total: int) -> Callable[[Outcome], None]:
    if sys.stderr.isatty():
        from tqdm import tqdm

        bar = tqdm(total=total, unit="notebook", file=sys.stderr)

        def tick(o: Outcome) -> None:
            bar.set_postfix_str(f"{o.job.scenario}/{o.job.notebook}")
            bar.update(1)
            if bar.n == total:
                bar.close()
        return tick
    done = [0]

    def line(o: Outcome) -> None:
        done[0] += 1
        state = ("cached" if o.cached else "ok") if o.ok else f"FAILED: {o.error}"
        print(f"[{done[0]}/{total}] {o.job.scenario}/{o.job.notebook}: {state} "
              f"({o.seconds:.1f} s)", file=sys.stderr, flush=True)
    return line


CACHE_DIR = ".cache"
CACHE_KEEP = 200  # cache entries kept (most recently used first)
VERSIONED = ("papermill", "nbclient", "nbconvert", "nbformat", "ipykernel", "ipython", "jupyter_client",
             "pandas", "numpy", "matplotlib", "mistune", "jinja2", "pygments")


def fingerprint(data_folder: Path | None = None) -> str:
    """Hash of everything besides the notebook and its parameters that an executed report
    depends on: the data files, alliancelib's source and templates, Python's and the running
    packages' versions."""
    import hashlib
    from importlib import metadata

    from alliancelib.data import data_dir
    from alliancelib.paths import PACKAGE_DIR

    h = hashlib.sha256()
    folder = data_folder or data_dir()
    files = sorted(folder.glob("*")) + sorted(p for p in PACKAGE_DIR.rglob("*")
                                              if p.is_file() and "__pycache__" not in p.parts)
    for f in files:
        if f.is_file():
            h.update(f.name.encode() + b"\0" + f.read_bytes() + b"\0")
    h.update(sys.version.encode())
    for dist in VERSIONED:
        try:
            h.update(f"{dist}={metadata.version(dist)}".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{dist}=none".encode())
    return h.hexdigest()


def _cells(path: Path) -> list[dict[str, Any]]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def job_key(job: Job, base: str) -> str:
    """Execution cache key of a job: the fingerprint, the notebook's code cells and cell layout
    (markdown text excluded: it cannot change what the code computes) and its parameters."""
    import hashlib

    h = hashlib.sha256(base.encode())
    nb = json.loads(job.source.read_text(encoding="utf-8"))
    layout = [(c["cell_type"], "".join(c["source"]) if c["cell_type"] == "code" else "",
               c.get("metadata", {}).get("tags", [])) for c in nb["cells"]]
    h.update(json.dumps([layout, nb.get("metadata", {}).get("kernelspec")], sort_keys=True).encode())
    h.update(json.dumps(dict(job.parameters), sort_keys=True, default=repr).encode())
    return h.hexdigest()[:32]


def prose_key(job: Job) -> str:
    """Hash of the notebook's markdown text and metadata (what the HTML shows besides outputs)."""
    import hashlib

    nb = json.loads(job.source.read_text(encoding="utf-8"))
    prose = [("".join(c["source"]), c.get("metadata", {})) for c in nb["cells"]
             if c["cell_type"] != "code"]
    return hashlib.sha256(json.dumps([prose, nb.get("metadata", {})], sort_keys=True).encode()
                          ).hexdigest()[:32]


def _with_new_prose(executed: dict[str, Any], source: Path) -> dict[str, Any]:
    """The cached executed notebook with the markdown of the current source (same layout)."""
    new_prose = [c for c in _cells(source) if c["cell_type"] != "code"]
    old_prose = [c for c in executed["cells"] if c["cell_type"] != "code"]
    if len(new_prose) != len(old_prose):
        raise ValueError("cell layout changed")
    for old, new in zip(old_prose, new_prose, strict=True):
        old["source"], old["metadata"] = new["source"], new.get("metadata", {})
    src_meta = json.loads(source.read_text(encoding="utf-8")).get("metadata", {})
    executed["metadata"]["title"] = src_meta.get("title", executed["metadata"].get("title"))
    return executed


def _link_or_copy(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _from_cache(entry: Path, job: Job, staging: Path) -> Outcome | None:
    """The outcome of a job from a cache entry, its files put into place; None if absent.

    Same prose: the cached notebook and HTML are copied. New prose (markdown edited): the cached
    outputs get the new markdown and the HTML is exported again; no kernel starts either way.
    """
    meta = entry / "outcome.json"
    if not meta.exists():
        return None
    doc = json.loads(meta.read_text(encoding="utf-8"))
    target = staging / job.scenario
    target.mkdir(parents=True, exist_ok=True)
    executed = target / f"{job.notebook}.ipynb"
    if doc.get("prose") == prose_key(job):
        for suffix in (".ipynb", ".html"):
            shutil.copyfile(entry / f"report{suffix}", target / f"{job.notebook}{suffix}")
    else:
        nb = _with_new_prose(json.loads((entry / "report.ipynb").read_text(encoding="utf-8")),
                             job.source)
        executed.write_text(nbs.dumps(nb), encoding="utf-8")
        export_html(executed)
    return Outcome(job, True, 0.0, "", doc["results"], cached=True)


def _to_cache(entry: Path, o: Outcome, staging: Path) -> None:
    """Store a successful outcome's files under ``entry`` (kept as is if already there)."""
    if entry.exists():
        return
    tmp = entry.with_name(entry.name + ".part")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    for suffix in (".ipynb", ".html"):
        shutil.copyfile(staging / o.job.scenario / f"{o.job.notebook}{suffix}", tmp / f"report{suffix}")
    (tmp / "outcome.json").write_text(
        json.dumps({"prose": prose_key(o.job), "results": o.results}),  # results in recorded order
        encoding="utf-8")
    os.replace(tmp, entry)


def _carry_cache(old: Path, new: Path, used: set[str]) -> None:
    """Bring the previous build's cache entries into the new output folder (hard links), the
    ones used by this build first, at most CACHE_KEEP in all."""
    if not old.is_dir():
        return
    entries = [e for e in old.iterdir() if e.is_dir() and not e.name.endswith(".part")]
    entries.sort(key=lambda e: (e.name not in used, -e.stat().st_mtime_ns, e.name))
    for entry in entries[:CACHE_KEEP]:
        if (new / entry.name).exists():
            continue
        for f in entry.iterdir():
            _link_or_copy(f, new / entry.name / f.name)


def default_jobs() -> int:
    """Default parallel kernels: the machine's cores."""
    return max(1, os.cpu_count() or 1)


def build(
    out: Path,
    scenarios: Sequence[Scenario] = (),
    overrides: Mapping[str, Any] | None = None,
    only: Sequence[str] = (),
    jobs: int | None = None,
    notebook_dir: Path = NOTEBOOKS_DIR,
    use_cache: bool = True,
    pdf: bool = False,
) -> list[Outcome]:
    """Build the reports into ``out``; returns every job's outcome (the caller decides the exit
    status). Raises DataError, BuildError or ParameterError before running anything.

    A job whose notebook, parameters, data, library source and package versions are unchanged
    is taken from the cache under ``out/.cache`` (no kernel starts); ``use_cache=False``
    executes everything (and refreshes the cache).
    """
    from alliancelib.data import load_all

    load_all()  # a data fault fails once, here, not in every notebook
    if not scenarios:
        name = "custom" if overrides else "default"
        desc = ("Default parameters with command-line overrides." if overrides
                else "Every notebook with its default parameters.")
        scenarios = [Scenario(name, desc)]
    todo = plan(scenarios, overrides, only, notebook_dir)
    browser = find_chromium() if pdf else None
    out = Path(out).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_staging(out)
    staging = out.parent / f".{out.name}.tmp-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        base = fingerprint()
        keys = {id(job): job_key(job, base) for job in todo}
        old_cache, new_cache = out / CACHE_DIR, staging / CACHE_DIR
        new_cache.mkdir()
        tick = _progress(len(todo))
        outcomes: list[Outcome] = []
        pending: list[Job] = []
        duplicates: list[Job] = []  # same notebook and parameters as a pending job (another scenario)
        for job in todo:
            hit = _from_cache(old_cache / keys[id(job)], job, staging) if use_cache else None
            if hit is not None:
                outcomes.append(hit)
                tick(hit)
            elif any(keys[id(p)] == keys[id(job)] for p in pending):
                duplicates.append(job)
            else:
                pending.append(job)
        if pending:
            with ThreadPoolExecutor(max_workers=max(1, jobs or default_jobs())) as pool:
                futures = [pool.submit(execute, job, staging) for job in pending]
                for fut in as_completed(futures):
                    o = fut.result()
                    if o.ok:
                        try:
                            export_html(staging / o.job.scenario / f"{o.job.notebook}.ipynb")
                            _to_cache(new_cache / keys[id(o.job)], o, staging)
                        except Exception as exc:  # noqa: BLE001
                            o.ok, o.error = False, f"HTML export failed: {_first_line(exc)}"
                    outcomes.append(o)
                    tick(o)
        for job in duplicates:  # executed once above: reuse its fresh cache entry
            o = _from_cache(new_cache / keys[id(job)], job, staging) or execute(job, staging)
            if o.ok and not o.cached:
                export_html(staging / job.scenario / f"{job.notebook}.ipynb")
            outcomes.append(o)
            tick(o)
        _carry_cache(old_cache, new_cache, set(keys.values()))
        for sc in scenarios:
            mine = [o for o in outcomes if o.job.scenario == sc.name]
            (staging / sc.name).mkdir(exist_ok=True)
            (staging / sc.name / "results.json").write_text(_results_json(sc, mine),
                                                             encoding="utf-8")
        (staging / "index.html").write_text(
            render_index(scenarios, outcomes, notebook_dir, pdf=browser is not None), encoding="utf-8")
        if browser:
            pages = [staging / "index.html"] + [staging / o.job.scenario / f"{o.job.notebook}.html"
                                                for o in outcomes if o.ok]
            with ThreadPoolExecutor(max_workers=max(1, jobs or default_jobs())) as pool:
                list(pool.map(lambda page: print_pdf(browser, page), pages))
        _swap_in(staging, out)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return sorted(outcomes, key=lambda o: (o.job.scenario, o.job.notebook))


CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--no-pdf-header-footer")


def find_chromium() -> str:
    """Path of a Chromium to print PDFs with ($ALLIANCE_CHROMIUM, else on PATH); BuildError
    saying how to install one if there is none."""
    explicit = os.environ.get("ALLIANCE_CHROMIUM")
    if explicit:
        if not Path(explicit).exists():
            raise BuildError(f"--pdf: ALLIANCE_CHROMIUM={explicit} does not exist")
        return explicit
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise BuildError("--pdf needs Chromium, which is not installed. On Debian or Ubuntu: "
                     "sudo apt-get update && sudo apt-get install -y chromium "
                     "(or set ALLIANCE_CHROMIUM to a Chrome or Chromium executable)")


def print_pdf(browser: str, page: Path) -> Path:
    """Print an HTML page to ``page.pdf`` with headless Chromium (its own temporary profile)."""
    import subprocess
    import tempfile

    target = page.with_suffix(".pdf")
    with tempfile.TemporaryDirectory(prefix="alliance-chromium-") as profile:
        done = subprocess.run(
            [browser, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--print-to-pdf={target}",
             page.as_uri()], capture_output=True, text=True, timeout=120)
    if done.returncode != 0 or not target.exists():
        raise BuildError(f"Chromium could not print {page.name}: {done.stderr.strip()[-300:]}")
    return target


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths with Linux renameat2(RENAME_EXCHANGE); False if unsupported."""
    if sys.platform != "linux":
        return False
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    fn = getattr(libc, "renameat2", None)
    if fn is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    return fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0


def _swap_in(staging: Path, out: Path) -> None:
    """Replace ``out`` by ``staging`` so that ``out`` is at every instant either the complete old
    folder or the complete new one (atomic exchange where the OS offers it)."""
    if out.exists() and _exchange(staging, out):
        shutil.rmtree(staging, ignore_errors=True)  # staging now holds the old reports
        return
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    if out.exists():
        os.replace(out, old)
    os.replace(staging, out)
    shutil.rmtree(old, ignore_errors=True)


def _remove_stale_staging(out: Path) -> None:
    """Remove temporary folders left beside ``out`` by builds that were killed."""
    for leftover in out.parent.glob(f".{out.name}.*-*"):
        pid = leftover.name.rsplit("-", 1)[-1]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            shutil.rmtree(leftover, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def summarize(outcomes: Iterable[Outcome]) -> str:
    """One line: how many notebooks ran and how many failed."""
    outcomes = list(outcomes)
    failed = [o for o in outcomes if not o.ok]
    cached = sum(o.cached for o in outcomes)
    text = f"{len(outcomes)} notebook run(s), {cached} from the cache, {len(failed)} failed"
    for o in failed:
        text += f"\n  {o.job.scenario}/{o.job.notebook}: {o.error}"
    return text
