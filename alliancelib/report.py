"""What every report shows besides its charts: tables, notes and the sources footer."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from alliancelib.data import as_of_date, load


def sources_used(frames: Iterable[pd.DataFrame], extra: Sequence[str] = ()) -> list[str]:
    """Sorted unique source ids cited by the given frames (``source_id``, ``status_source_id``,
    ``source_ids`` separated by ';') plus ``extra``."""
    ids: set[str] = set(extra)
    for frame in frames:
        for col in ("source_id", "status_source_id"):
            if col in frame:
                ids.update(frame[col].dropna())
        if "source_ids" in frame:
            for cell in frame["source_ids"].dropna():
                ids.update(s.strip() for s in cell.split(";"))
    return sorted(ids)


def sources_footer_bundle(source_ids: Iterable[str]) -> dict[str, Any]:
    """The sources footer as a MIME bundle: each source used, and the data's as-of date."""
    ids = sorted(set(source_ids))
    sources = load("sources").set_index("source_id")
    as_of = as_of_date(ids)
    rows_html, rows_text = [], []
    for sid in ids:
        s = sources.loc[sid]
        title = html.escape(str(s["title"]))
        link = (f'<a href="{html.escape(s["url"])}">{title}</a>'
                if isinstance(s["url"], str) else title)
        rows_html.append(
            f"<tr><td><code>{html.escape(sid)}</code></td><td>{html.escape(s['publisher'])}</td>"
            f"<td>{link}</td><td>{html.escape(s['date_published'])}</td>"
            f"<td>{s['date_accessed']:%Y-%m-%d}</td></tr>"
        )
        rows_text.append(f"- [{sid}] {s['publisher']}: {s['title']} ({s['date_published']})")
    html_out = (
        '<section class="alliance-sources"><h2>Sources</h2>'
        f"<p>Data as of <strong>{as_of}</strong> (newest publication among the "
        f"{len(ids)} sources used). Every figure above comes from these sources, from the "
        "seed article, or from a parameter labelled as an assumption.</p>"
        '<table class="alliance-table"><thead><tr><th>id</th><th>publisher</th><th>title</th>'
        f"<th>published</th><th>accessed</th></tr></thead><tbody>{''.join(rows_html)}</tbody></table></section>"
    )
    text_out = f"Sources ({len(ids)}), data as of {as_of}:\n" + "\n".join(rows_text)
    return {"text/html": html_out, "text/plain": text_out}


def sources_footer(source_ids: Iterable[str]) -> None:
    """Display the sources footer in the notebook."""
    from IPython.display import display

    display(sources_footer_bundle(source_ids), raw=True)


def show_table(frame: pd.DataFrame, caption: str = "") -> None:
    """Display a frame as a plain HTML table (no random ids) with a caption."""
    from IPython.display import display

    shown = frame.astype(object).where(frame.notna(), "")
    body = shown.to_html(index=False, escape=True, border=0, classes="alliance-table",
                         formatters={c: _format_cell for c in shown.columns})
    cap = f"<p class='alliance-caption'><em>{html.escape(caption)}</em></p>" if caption else ""
    display({"text/html": cap + body, "text/plain": shown.to_string(index=False)}, raw=True)


def _format_cell(value: Any) -> str:
    """Numbers without trailing zeros (400000.0 -> 400,000; 0.0416 stays), text as is;
    whole numbers below 10,000 (years among them) get no separator.

    >>> _format_cell(400000.0), _format_cell(1.08195), _format_cell(""), _format_cell(2025)
    ('400,000', '1.08195', '', '2025')
    """
    if isinstance(value, bool) or value is None:
        return "" if value is None else str(value)
    if isinstance(value, int | float):
        if float(value).is_integer():
            return f"{int(value):,}" if abs(value) >= 10_000 else str(int(value))
        return f"{value:,.6g}" if abs(value) < 1e6 else f"{value:,.0f}"
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    return str(value)


def say(markdown: str) -> None:
    """Display computed narrative (Markdown) whose numbers depend on the parameters."""
    from IPython.display import display

    display({"text/markdown": markdown, "text/plain": markdown}, raw=True)
