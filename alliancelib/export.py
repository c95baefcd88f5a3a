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

import re
from pathlib import Path
from typing import Any

from alliancelib import notebooks as nbs
from alliancelib.paths import TEMPLATES_DIR

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
    mathml = (f'{head}><semantics>{inner}<annotation encoding="application/x-tex">{tex}</annotation>'
              "</semantics></math>")
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
                escape=False, attachments=cell.get("attachments", {}), embed_images=self.embed_images,
                path=path, anchor_link_text=self.anchor_link_text,
                exclude_anchor_links=self.exclude_anchor_links, **self.lexer_options)
            return MarkdownWithMath(renderer=renderer).render(source)

    return ReportExporter


def export_html(executed: Path) -> Path:
    """Write the HTML report beside an executed notebook: code hidden, self-contained, maths as
    MathML, a table of contents."""
    nbs.skip_slow_iri_checker()
    import nbformat
    from traitlets.config import Config

    config = Config()
    config.TagRemovePreprocessor.remove_cell_tags = {"injected-parameters"}
    config.TagRemovePreprocessor.enabled = True
    exporter = _exporter_class()(
        config=config, template_name="alliance", extra_template_basedirs=[str(TEMPLATES_DIR)],
        exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True,
        embed_images=True,
    )
    nb = nbformat.read(str(executed), as_version=4)
    if not nb.metadata.get("title"):  # the browser tab and bookmarks show the report's title, not a file name
        nb.metadata["title"] = nbs.title(executed)
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": executed.stem}})
    target = executed.with_suffix(".html")
    target.write_text(add_toc(body), encoding="utf-8")
    return target


def style_sheet(name: str = "print.css") -> str:
    """A style sheet of the report template (``report.css`` or ``print.css``), for other pages
    (the index) to inline so they print like the reports."""
    return (TEMPLATES_DIR / "alliance" / name).read_text(encoding="utf-8")


HEADING = re.compile(r'<h([1-3]) id="([^"]+)">(.*?)<a class="anchor-link"', re.S)


def add_toc(body: str) -> str:
    """Insert a table of contents (the report's section headings, linked) before the first
    section, that is after the title, the question and the key findings box."""
    headings = [(int(level), anchor, re.sub(r"<[^>]+>", "", re.sub(r"<math.*?</math>", "", text, flags=re.S))
                 .strip()) for level, anchor, text in HEADING.findall(body)]
    sections = [(lvl, a, t) for lvl, a, t in headings if lvl >= 2]
    if not sections:
        return body
    items = "".join(f'<li class="toc-l{lvl}"><a href="#{a}">{t}</a></li>'
                    for lvl, a, t in sections)
    toc = f'<nav class="alliance-toc" aria-label="Contents"><strong>Contents</strong><ul>{items}</ul></nav>'
    first_h2 = body.find("<h2 ")
    cell_start = body.rfind('<div class="jp-Cell', 0, first_h2) if first_h2 > 0 else -1
    return body[:cell_start] + toc + body[cell_start:] if cell_start > 0 else body
