"""Export an executed notebook to its HTML report: code hidden, self-contained, maths typeset,
with a table of contents.

**Maths: LaTeX to MathML at export time.** Formulas written in Markdown as ``$...$``,
``$$...$$``, ``\\(...\\)``, ``\\[...\\]`` or ``\\begin{env}...\\end{env}`` are converted to MathML
by `latex2mathml` while nbconvert renders the Markdown, and the browser typesets them natively
(Chromium since version 109, Firefox and Safari for longer). Why this rather than bundling
MathJax or KaTeX:

- nothing runs when the report opens: no script (about 1-2 MB for MathJax, 0.3 MB plus fonts for
  KaTeX, in every report), no font files, no console errors, no network; the report stays a
  static document and the browser tests' "no network request" check holds trivially;
- the output is plain deterministic markup: the same notebook gives byte-identical HTML;
- it prints as text (selectable, sharp at any zoom) through the same Chromium that prints PDFs,
  with no wait for a script to finish typesetting before printing;
- a formula latex2mathml cannot read fails the export with the formula in the message, instead
  of showing raw LaTeX to the reader.

The cost is a smaller LaTeX vocabulary than MathJax's (enough for this collection's formulas:
fractions, sums, sub/superscripts, accents, matrices, ``\\text``) and MathML Core's plainer
typography. Each formula keeps its LaTeX as an ``application/x-tex`` annotation (not shown).

What counts as maths is exactly what nbconvert's Markdown parser (mistune with its maths rules,
the same delimiters JupyterLab uses) calls maths: code spans and code blocks are left alone, and
``\\$`` is a plain dollar sign. A ``$`` pair in prose is maths, as in JupyterLab: write USD 21,639.
"""

from __future__ import annotations

import functools
import html as htmllib
import re
import shutil
import threading
import unicodedata
from collections.abc import Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from alliancelib import notebooks as nbs
from alliancelib.paths import TEMPLATES_DIR

if TYPE_CHECKING:  # pragma: no cover
    from alliancelib.provenance import Provenance

UNKNOWN_COMMAND = re.compile(r"<m[io][^>]*>(\\[A-Za-z]+)</m[io]>")


class MathError(ValueError):
    """A formula in Markdown that cannot be typeset (the message quotes it)."""


def latex_to_mathml(latex: str, display: bool = False) -> str:
    """One formula as MathML (``display`` for a formula on its own line), with its LaTeX kept as
    an annotation; MathError naming the formula if it cannot be read.

    >>> latex_to_mathml(r"x^2")[:67]
    '<math xmlns="http://www.w3.org/1998/Math/MathML" display="inline"><'
    >>> latex_to_mathml(r"\\frac{a}{b")
    Traceback (most recent call last):
    ...
    alliancelib.export.MathError: cannot typeset the formula $\\frac{a}{b$: unbalanced braces
    >>> latex_to_mathml(r"x^")
    Traceback (most recent call last):
    ...
    alliancelib.export.MathError: cannot typeset the formula $x^$: MissingSuperScriptOrSubscriptError
    >>> latex_to_mathml(r"\\foo x")
    Traceback (most recent call last):
    ...
    alliancelib.export.MathError: cannot typeset the formula $\\foo x$: unknown command \\foo
    """
    from latex2mathml.converter import convert

    text = latex.strip()
    unescaped = re.sub(r"\\[{}]", "", text)
    if unescaped.count("{") != unescaped.count("}"):
        raise MathError(f"cannot typeset the formula ${text}$: unbalanced braces")
    try:
        mathml = convert(text, display="block" if display else "inline")
    except Exception as exc:  # noqa: BLE001 - latex2mathml raises many kinds
        raise MathError(f"cannot typeset the formula ${text}$: {type(exc).__name__} {exc}".rstrip()) from None
    unknown = UNKNOWN_COMMAND.search(mathml)
    if unknown:
        raise MathError(f"cannot typeset the formula ${text}$: unknown command {unknown.group(1)}")
    head, _, rest = mathml.partition(">")
    inner = rest[: rest.rfind("</math>")]
    tex = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    mathml = (
        f'{head}><semantics>{inner}<annotation encoding="application/x-tex">{tex}</annotation>'
        "</semantics></math>"
    )
    if display:
        return f'<span class="alliance-math-block">{mathml}</span>'
    return mathml


def _renderer_class() -> type:
    """nbconvert's Markdown renderer, with formulas rendered as MathML (imported lazily)."""
    from nbconvert.filters.markdown_mistune import IPythonRenderer

    class MathMLRenderer(IPythonRenderer):  # type: ignore[misc]
        """IPythonRenderer whose maths comes out as MathML instead of TeX for MathJax."""

        def inline_math(self, body: str) -> str:
            return latex_to_mathml(body)

        def block_math(self, body: str) -> str:
            return latex_to_mathml(body, display=True)

        def latex_environment(self, name: str, body: str) -> str:
            return latex_to_mathml(f"\\begin{{{name}}}{body}\\end{{{name}}}", display=True)

    return MathMLRenderer


def markdown_to_html(source: str) -> str:
    """Markdown as the report renders it (maths as MathML, code untouched).

    >>> markdown_to_html("Cost `$x$` and $y$")
    '<p>Cost <code>$x$</code> and <math xmlns=...'
    """
    from nbconvert.filters.markdown_mistune import MarkdownWithMath

    renderer = _renderer_class()(escape=False, exclude_anchor_links=True)
    return MarkdownWithMath(renderer=renderer).render(source)


@functools.cache
def _exporter_class() -> type:
    """HTMLExporter whose ``markdown2html`` filter typesets maths as MathML."""
    from jinja2 import pass_context
    from nbconvert import HTMLExporter
    from nbconvert.filters.markdown_mistune import MarkdownWithMath

    renderer_class = _renderer_class()

    class ReportExporter(HTMLExporter):  # type: ignore[misc]
        """The report exporter: the ``alliance`` template, maths as MathML."""

        @pass_context
        def markdown2html(self, context: Any, source: str) -> str:
            cell = context.get("cell", {})
            path = context.get("resources", {}).get("metadata", {}).get("path", "")
            renderer = renderer_class(
                escape=False,
                attachments=cell.get("attachments", {}),
                embed_images=self.embed_images,
                path=path,
                anchor_link_text=self.anchor_link_text,
                exclude_anchor_links=self.exclude_anchor_links,
                **self.lexer_options,
            )
            return MarkdownWithMath(renderer=renderer).render(source)

        def _create_environment(self) -> Any:
            """nbconvert's template environment, its compiled templates kept between processes
            (Jinja's bytecode cache in the system's temporary folder, keyed on each template's
            source: about 0.1 s of every export that starts a process)."""
            from jinja2 import FileSystemBytecodeCache

            environment = super()._create_environment()
            environment.bytecode_cache = FileSystemBytecodeCache()
            return environment

        def _validate_preprocessor(self, nbc: Any, preprocessor: Any) -> None:
            """Not checked after each preprocessor: the notebook comes from papermill and
            :func:`alliancelib.notebooks.dumps` (about 0.1 s a page in nbformat's validator)."""

        def from_notebook_node(self, nb: Any, resources: Any = None, **kw: Any) -> tuple[str, Any]:  # type: ignore[override]
            """HTMLExporter's conversion without its last step, a BeautifulSoup parse and
            re-serialisation of the whole page (0.2-0.5 s a page) to add alt text and tabindex;
            :func:`accessible` adds them to the same elements."""
            from nbconvert.exporters.templateexporter import TemplateExporter
            from nbconvert.filters.highlight import Highlight2HTML
            from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

            langinfo = nb.metadata.get("language_info", {})
            lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
            highlight = self.filters.get("highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self))
            resources = self._init_resources(resources)
            data_type = WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources
            )
            self.register_filter("highlight_code", highlight)
            self.register_filter("filter_data_type", data_type)
            html_text, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
            return accessible(html_text), resources

    return ReportExporter


NO_ALT = re.compile(r"<img(?![^>]*\salt=)")
FOCUSABLE = re.compile(
    r'(<div class="(?:[^"]*\s)?(?:jp-Cell-inputWrapper|jp-OutputArea-output)(?:\s[^"]*)?"[^>]*)>'
)


def accessible(html_text: str) -> str:
    """What nbconvert's HTML exporter adds for readers of screen readers and keyboards: a stated
    absence of alt text on an image that has none (every chart here has its own), and
    ``tabindex="0"`` on every cell's input and output box, so a wide one can be scrolled by keys.

    >>> print(accessible('<div class="jp-OutputArea-output jp-RenderedHTML"><img src="x.png"></div>'))
    <div class="jp-OutputArea-output jp-RenderedHTML" tabindex="0"><img alt="No description has been \
provided for this image" src="x.png"></div>
    >>> print(accessible('<div class="jp-OutputArea-outputs"><img alt="A chart" src="x.png"></div>'))
    <div class="jp-OutputArea-outputs"><img alt="A chart" src="x.png"></div>
    """
    html_text = NO_ALT.sub('<img alt="No description has been provided for this image"', html_text)
    return FOCUSABLE.sub(r'\1 tabindex="0">', html_text)


# --------------------------------------------------------------------------- exporters, made once

# Ready exporters, each with the report template's state it was made for: making one imports
# nbconvert and reads and compiles the templates (about 0.4 s), so a process makes one per thread
# that exports at the same time and reuses it; :func:`prepare` makes one in the background.
_SPARE: list[tuple[tuple[Any, ...], Future[Any]]] = []
_SPARE_LOCK = threading.Lock()
SPARE_KEEP = 4  # exporters kept for reuse (one per export running at once is enough)


def _template_state() -> tuple[Any, ...]:
    """Names, sizes and modification times of the report template's files (an edited template
    makes new exporters: the preview)."""
    folder = TEMPLATES_DIR / "alliance"
    return tuple(sorted((p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in folder.iterdir()))


def _new_exporter() -> Any:
    """A report exporter, its template compiled."""
    with nbs.IMPORT_LOCK:
        nbs.skip_slow_iri_checker()
        import nbformat  # noqa: F401  (imported here, under the lock, for the export)
        from traitlets.config import Config

        exporter_class = _exporter_class()
    config = Config()
    config.TagRemovePreprocessor.remove_cell_tags = {"injected-parameters"}
    config.TagRemovePreprocessor.enabled = True
    state = _template_state()
    exporter = exporter_class(
        config=config,
        template_name="alliance",
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        embed_images=True,
    )
    _ = exporter.template  # read and compiled now
    exporter.alliance_template_state = state
    return exporter


def prepare(after: threading.Event | None = None) -> None:
    """Make an exporter in a background thread, for the next export in this process: a build
    calls it when it starts executing notebooks, while this process mostly waits for kernels.
    With ``after``, the work waits for that event (at most 10 s): a kernel's start needs this
    process (papermill's import, the kernel's handshake), and the two would share one interpreter
    lock."""
    ready: Future[Any] = Future()

    def make() -> None:
        if after is not None:
            after.wait(timeout=10)
        try:
            exporter = _new_exporter()
            exporter.from_notebook_node(_rehearsal(), resources={"metadata": {"name": "rehearsal"}})
            ready.set_result(exporter)
        except BaseException as exc:  # noqa: BLE001 - the export that takes it makes its own
            ready.set_exception(exc)

    state = _template_state()
    with _SPARE_LOCK:
        if any(made_for == state for made_for, _ in _SPARE):
            return
        _SPARE.append((state, ready))
    threading.Thread(target=make, name="prepare-export", daemon=True).start()


def _rehearsal() -> Any:
    """A small notebook whose export does once what every export's first one does (the templates
    it includes compiled, the Markdown, maths and highlighting modules imported)."""
    import nbformat

    v4 = nbformat.v4
    output = v4.new_output("display_data", data={"text/html": "<p>a</p>", "text/plain": "a"})
    return v4.new_notebook(
        cells=[
            v4.new_markdown_cell("# A\n\n**b** $x^2$\n\n- c\n\n| d |\n|---|\n| 1 |"),
            v4.new_code_cell("print(1)", outputs=[output, v4.new_output("stream", text="1\n")]),
        ],
        metadata={"language_info": {"name": "python", "pygments_lexer": "ipython3"}},
    )


def _take_exporter() -> Any:
    state = _template_state()
    while True:
        with _SPARE_LOCK:
            if not _SPARE:
                break
            made_for, ready = _SPARE.pop()
        if made_for == state:
            try:
                return ready.result()
            except Exception:  # noqa: BLE001 - make one here instead
                break
    return _new_exporter()


def _give_back(exporter: Any) -> None:
    ready: Future[Any] = Future()
    ready.set_result(exporter)
    with _SPARE_LOCK:
        if len(_SPARE) < SPARE_KEEP:
            _SPARE.append((exporter.alliance_template_state, ready))


def export_html(executed: Path, made: Provenance | None = None) -> Path:
    """Write the HTML report beside an executed notebook: code hidden, self-contained, maths as
    MathML, a table of contents, every table's data as a CSV file linked by the table
    (:func:`write_tables`) and, given its provenance (``made``), the scenario in the title line and
    the browser tab, a box near the top saying what made it, and the PDF's running header."""
    exporter = _take_exporter()
    try:
        return _export(exporter, executed, made)
    finally:
        _give_back(exporter)


def _export(exporter: Any, executed: Path, made: Provenance | None) -> Path:
    import nbformat

    nb = nbformat.v4.reads(executed.read_text(encoding="utf-8"))  # written by this build: not validated again
    title = str(nb.metadata.get("title") or nbs.title(executed))
    # the browser tab and bookmarks show the report's title (and scenario), not a file name
    nb.metadata["title"] = made.full_title if made else title
    for table in write_tables(executed, nb):
        output = nb.cells[table.cell].outputs[table.output]
        output.data["text/html"] = _joined(output.data["text/html"]) + download_link(table)
    resources: dict[str, Any] = {"metadata": {"name": executed.stem}}
    if made is not None:
        from alliancelib.provenance import page_css, provenance_html

        box = nbformat.v4.new_code_cell(
            outputs=[
                nbformat.v4.new_output(
                    "display_data", data={"text/html": provenance_html(made), "text/plain": made.full_title}
                )
            ]
        )
        if nb.cells and "id" in nb.cells[0]:
            box["id"] = "what-made-this-report"  # a fixed id: nothing random in the page
        else:
            box.pop("id", None)  # cleaned notebooks carry no cell ids
        nb.cells.insert(1 if nb.cells else 0, box)
        resources["alliance_page_css"] = page_css(made)
    body, _ = exporter.from_notebook_node(nb, resources=resources)
    body = add_scroll_cues(add_toc(body))
    if made is not None:
        body = add_scenario_to_title(body, made.scenario_words)
    target = executed.with_suffix(".html")
    target.write_text(body, encoding="utf-8")
    return target


def _joined(text: Any) -> str:
    return "".join(text) if isinstance(text, list) else str(text)


# --------------------------------------------------------------------------- tables as CSV

TABLES_SUFFIX = "_tables"


@dataclass(frozen=True)
class TableFile:
    """A table's CSV file: the output (cell and output index) it belongs to, its file name in the
    report's ``<notebook>_tables`` folder, its text and its number of data rows."""

    cell: int
    output: int
    name: str
    text: str
    rows: int


def slug(text: str, limit: int = 40) -> str:
    """A file-name slug of a caption: lower-case words joined by hyphens, at most ``limit``
    characters, cut at a word.

    >>> slug("The article's 8 promises and their outcomes as of 2026-03-12 (the newest news held).")
    'the-articles-8-promises-and-their'
    >>> slug(""), slug("Événements, 2023–2026")
    ('table', 'evenements-2023-2026')
    """
    plain = (
        "".join(
            ch if ord(ch) < 128 else ("" if unicodedata.combining(ch) else " ")
            for ch in unicodedata.normalize("NFKD", text)
        )
        .lower()
        .replace("'", "")
    )
    words = re.findall(r"[a-z0-9]+", plain)
    out = ""
    for w in words:
        if len(out) + len(w) + (1 if out else 0) > limit:
            break
        out = f"{out}-{w}" if out else w
    return out or (words[0][:limit] if words else "table")


def _caption(html_text: str) -> str:
    found = re.search(r'class="alliance-caption"><em>(.*?)</em>', html_text, re.S)
    return htmllib.unescape(re.sub(r"<[^>]+>", "", found.group(1))) if found else ""


def plan_tables(nb: Any, stem: str) -> list[TableFile]:
    """Every table of an executed notebook with its CSV: each output carrying ``text/csv`` (tables
    shown with :func:`alliancelib.report.show_table`, the sources footer) and the results, whose
    rows are gathered from their records into one file linked under the last of them. Numbered in
    the order they appear; the names depend only on the outputs, so they are the same in every
    build."""
    from alliancelib.csvtext import CSV_MIME
    from alliancelib.results import RESULT_MIME

    found: list[tuple[int, int, str, str]] = []  # cell, output, caption slug, csv text
    last: tuple[int, int] | None = None
    results: list[dict[str, Any]] = []
    for c, cell in enumerate(nb.get("cells", [])):
        for o, output in enumerate(cell.get("outputs", [])):
            data = output.get("data", {})
            if CSV_MIME in data:
                html_text = _joined(data.get("text/html", ""))
                name = "sources" if 'class="alliance-sources"' in html_text else slug(_caption(html_text))
                found.append((c, o, name, _joined(data[CSV_MIME])))
            elif RESULT_MIME in data:
                results.append(data[RESULT_MIME])
                last = (c, o)
    if last is not None:
        found.append((*last, "results", _results_csv(results)))
    found.sort(key=lambda item: item[:2])
    return [
        TableFile(c, o, f"{stem}{TABLES_SUFFIX}/{n:02d}-{name}.csv", text, max(0, text.count("\n") - 1))
        for n, (c, o, name, text) in enumerate(found, 1)
    ]


def _results_csv(records: Sequence[Mapping[str, Any]]) -> str:
    """The recorded results as CSV: label, value, unit and range (unrounded)."""
    from alliancelib.csvtext import csv_text

    rows = [
        [
            str(r.get("label") or r.get("name", "")),
            _csv_cell(r.get("value")),
            str(r.get("unit", "")),
            _csv_cell(r.get("low")),
            _csv_cell(r.get("high")),
        ]
        for r in records
    ]
    from alliancelib.core.prose import say

    return csv_text(say("page_results_csv_header").split("|"), rows)


def _csv_cell(value: Any) -> str:
    """A recorded value as a CSV cell: JSON numbers, booleans and nulls without pandas
    (:func:`alliancelib.csvtext.plain_cell`), anything else as a table's CSV cell."""
    from alliancelib.csvtext import plain_cell

    if value is None or isinstance(value, bool | int | float):
        return plain_cell(value)
    from alliancelib.report import csv_cell

    return csv_cell(value)


def write_tables(executed: Path, nb: Any | None = None) -> list[TableFile]:
    """Write every table of an executed notebook as a CSV file into ``<notebook>_tables/`` beside
    it (UTF-8 with a byte-order mark, so that Excel reads its accents and dashes; LF line ends);
    the folder holds those files and nothing else. Returns the tables written."""
    from alliancelib import fsutil

    tables = plan_tables(nb if nb is not None else nbs.read(executed), executed.stem)
    folder = executed.parent / f"{executed.stem}{TABLES_SUFFIX}"
    if folder.exists():
        shutil.rmtree(folder)
    for table in tables:
        target = executed.parent / table.name
        target.parent.mkdir(exist_ok=True)
        fsutil.write_text(target, "\ufeff" + table.text)
    return tables


def download_link(table: TableFile) -> str:
    """The link shown right under a table to its CSV file.

    >>> print(download_link(TableFile(0, 0, "01_x_tables/03-results.csv", "", 12)))
    <p class="alliance-download"><a href="01_x_tables/03-results.csv" download>Download CSV</a> (12 rows)</p>
    """
    from alliancelib.core.prose import say

    rows, label = say("page_rows", n=table.rows), say("page_download")
    return (
        f'<p class="alliance-download"><a href="{htmllib.escape(table.name)}" download>{label}</a>'
        f" ({rows})</p>"
    )


# --------------------------------------------------------------------------- the page around the outputs

SCROLL_BOX = re.compile(r'<div class="alliance-scroll">(<table.*?</table>)</div>', re.S)
CUE = '<span class="alliance-cue" aria-hidden="true"><span>scroll &rarr;</span></span>'


MATH_BOX = re.compile(r'<span class="alliance-math-block">(<math.*?</math>)</span>', re.S)


def add_scroll_cues(body: str) -> str:
    """Wrap every table's scrolling box, and every formula on its own line, in a frame that shows,
    while its content is wider than the screen and not scrolled to its end, a fade at the right
    edge and a "scroll →" hint (CSS only: report.css)."""
    body = SCROLL_BOX.sub(
        lambda m: f'<div class="alliance-frame"><div class="alliance-scroll">{m.group(1)}</div>{CUE}</div>',
        body,
    )
    return MATH_BOX.sub(
        lambda m: (
            '<span class="alliance-frame alliance-math-frame">'
            f'<span class="alliance-math-block">{m.group(1)}</span>{CUE}</span>'
        ),
        body,
    )


H1 = re.compile(r'(<h1 id="[^"]*">)(.*?)(<a class="anchor-link"|</h1>)', re.S)


def add_scenario_to_title(body: str, words: str) -> str:
    """The report's title line with its scenario: "Who owns whom ... — cautious scenario".

    >>> print(add_scenario_to_title('<h1 id="t">Who<a class="anchor-link">¶</a></h1>', "base scenario"))
    <h1 id="t">Who<span class="alliance-scenario"> — base scenario</span><a class="anchor-link">¶</a></h1>
    """
    tag = f'<span class="alliance-scenario"> — {htmllib.escape(words)}</span>'
    return H1.sub(lambda m: m.group(1) + m.group(2) + tag + m.group(3), body, count=1)


def style_sheet(name: str = "print.css") -> str:
    """A style sheet of the report template (``report.css`` or ``print.css``), for other pages
    (the index) to inline so they print like the reports."""
    return (TEMPLATES_DIR / "alliance" / name).read_text(encoding="utf-8")


HEADING = re.compile(r'<h([1-3]) id="([^"]+)">(.*?)<a class="anchor-link"', re.S)


def add_toc(body: str) -> str:
    """Insert a table of contents (the report's section headings, linked) before the first
    section, that is after the title, the question and the key findings box."""
    headings = [
        (int(level), anchor, re.sub(r"<[^>]+>", "", re.sub(r"<math.*?</math>", "", text, flags=re.S)).strip())
        for level, anchor, text in HEADING.findall(body)
    ]
    sections = [(lvl, a, t) for lvl, a, t in headings if lvl >= 2]
    if not sections:
        return body
    items = "".join(f'<li class="toc-l{lvl}"><a href="#{a}">{t}</a></li>' for lvl, a, t in sections)
    from alliancelib.core.prose import say

    contents = say("page_contents")
    toc = (
        f'<nav class="alliance-toc" aria-label="{contents}"><strong>{contents}</strong><ul>{items}</ul></nav>'
    )
    first_h2 = body.find("<h2 ")
    cell_start = body.rfind('<div class="jp-Cell', 0, first_h2) if first_h2 > 0 else -1
    return body[:cell_start] + toc + body[cell_start:] if cell_start > 0 else body
