"""Export an executed notebook to its HTML report: code hidden, self-contained, with a table of
contents."""

from __future__ import annotations

import re
from pathlib import Path

from alliancelib import notebooks as nbs
from alliancelib.paths import TEMPLATES_DIR


def export_html(executed: Path) -> Path:
    """Write the HTML report beside an executed notebook: code hidden, self-contained."""
    nbs.skip_slow_iri_checker()
    import nbformat
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    config = Config()
    config.TagRemovePreprocessor.remove_cell_tags = {"injected-parameters"}
    config.TagRemovePreprocessor.enabled = True
    exporter = HTMLExporter(
        config=config, template_name="alliance", extra_template_basedirs=[str(TEMPLATES_DIR)],
        exclude_input=True, exclude_input_prompt=True, exclude_output_prompt=True,
        embed_images=True,
    )
    nb = nbformat.read(str(executed), as_version=4)
    body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": executed.stem}})
    target = executed.with_suffix(".html")
    target.write_text(add_toc(body), encoding="utf-8")
    return target


HEADING = re.compile(r'<h([1-3]) id="([^"]+)">(.*?)<a class="anchor-link"', re.S)


def add_toc(body: str) -> str:
    """Insert a table of contents (the report's section headings, linked) after the title."""
    headings = [(int(level), anchor, re.sub(r"<[^>]+>", "", text).strip())
                for level, anchor, text in HEADING.findall(body)]
    sections = [(lvl, a, t) for lvl, a, t in headings if lvl >= 2]
    if not sections:
        return body
    items = "".join(f'<li class="toc-l{lvl}"><a href="#{a}">{t}</a></li>'
                    for lvl, a, t in sections)
    toc = f'<nav class="alliance-toc" aria-label="Contents"><strong>Contents</strong><ul>{items}</ul></nav>'
    first_h2 = body.find("<h2 ")
    cell_start = body.rfind('<div class="jp-Cell', 0, first_h2) if first_h2 > 0 else -1
    return body[:cell_start] + toc + body[cell_start:] if cell_start > 0 else body
