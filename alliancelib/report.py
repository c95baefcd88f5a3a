"""What every report shows besides its charts, in a reader's words: tables, notes and the sources
footer.

- :func:`show_table` takes every header from the column dictionary (:func:`alliancelib.fields.header`:
  "Capital (%)", never ``economic_pct``), rounds numbers to the field's ``decimals`` with thousands
  separators (years without), writes booleans as yes/no and missing numbers as a dash, and shows
  source ids as the publisher's name linked to that source's row of the footer. Its bundle also
  carries the table's data as ``text/csv`` (unrounded), which the report export writes to a file
  beside the report and links by the table.
- :func:`sources_footer` lists the sources used, each row with ``id="src-<id>"`` (where those links
  land), and states apart how recent the news is and which exchange rates were used, plus what the
  stored sources could not reach.

Both return None and display HTML with no random ids, so executed notebooks stay byte-stable.
"""

from __future__ import annotations

import datetime as dt
import html
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import pandas as pd

from alliancelib import fields
from alliancelib.csvtext import CSV_MIME, csv_text, plain_cell
from alliancelib.data import fx_as_of as data_fx_as_of
from alliancelib.data import fx_source_ids, load
from alliancelib.data import news_as_of as data_news_as_of
from alliancelib.results import CODE_WORD, MINUS, format_number

SOURCE_COLUMNS = ("source_id", "status_source_id", "source_ids")  # hold source ids even without a Field
# A table's data as CSV, beside its HTML in the display bundle: the report export writes it to a
# file next to the report and links it by the table ("Download CSV").
DASH = "\u2013"


class UnknownColumnError(KeyError):
    """A table column with no reader words (no Field in :mod:`alliancelib.fields`, no header given)."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


# --------------------------------------------------------------------------- sources


def _split_ids(cell: Any) -> list[str]:
    """Source ids in a cell: one id, or several separated by ``;``.

    >>> _split_ids("a; b ;"), _split_ids(None), _split_ids(float("nan"))
    (['a', 'b'], [], [])
    """
    if cell is None or (isinstance(cell, float) and math.isnan(cell)):
        return []
    return [s.strip() for s in str(cell).split(";") if s.strip()]


def holds_source_ids(column: str) -> bool:
    """Whether a column holds source ids: its Field says so, or it has one of the usual names.

    >>> holds_source_ids("status_source_id"), holds_source_ids("economic_pct")
    (True, False)
    """
    f = fields.FIELDS.get(column)
    return column in SOURCE_COLUMNS or bool(f and getattr(f, "source_ids", False))


def sources_used(frames: Iterable[pd.DataFrame], extra: Sequence[str] = ()) -> list[str]:
    """Sorted unique source ids cited by the given frames (every column that holds source ids,
    several per cell separated by ';') plus ``extra``.

    >>> sources_used([pd.DataFrame({"source_id": ["b", "a"], "source_ids": ["c; a", None]})], ["d"])
    ['a', 'b', 'c', 'd']
    """
    ids: set[str] = set(extra)
    for frame in frames:
        for col in frame.columns:
            if holds_source_ids(str(col)):
                for cell in frame[col]:
                    ids.update(_split_ids(cell))
    return sorted(ids)


def _sources() -> pd.DataFrame:
    return load("sources").set_index("source_id")


def source_links(cell: Any, sources: pd.DataFrame | None = None) -> str:
    """The publishers of the source ids in a cell, each linked to its row of the footer.

    >>> source_links("seed_autoexpert")
    '<a href="#src-seed_autoexpert">AutoExpert</a>'
    """
    sources = _sources() if sources is None else sources
    links = []
    for sid in _split_ids(cell):
        if sid not in sources.index:
            raise KeyError(f"source id {sid!r} is not in data/sources.csv")
        publisher = html.escape(str(sources.at[sid, "publisher"]))
        links.append(f'<a href="#src-{html.escape(sid)}">{publisher}</a>')
    return "; ".join(links)


def _publishers(cell: Any, sources: pd.DataFrame) -> str:
    return "; ".join(str(sources.at[s, "publisher"]) for s in _split_ids(cell) if s in sources.index)


def is_description(title: str) -> bool:
    """A title in square brackets is our own description of a source that has no usable title.

    >>> is_description("[Renault total voting rights filing]"), is_description("2020 URD p.64")
    (True, False)
    """
    t = title.strip()
    return t.startswith("[") and t.endswith("]")


def _title_html(title: str, url: Any) -> str:
    shown = html.escape(title.strip()[1:-1] if is_description(title) else title)
    if is_description(title):
        shown = f'<em class="src-description">{shown}</em>'
    if isinstance(url, str) and url:
        return f'<a href="{html.escape(url)}">{shown}</a>'
    return shown


def _dates_line(ids: Sequence[str], news_as_of: str | None, fx_as_of: str | None) -> tuple[str, str]:
    """The as-of sentence (HTML, text): the news date and the exchange-rate date, apart (the words:
    blocks ``footer_news*`` and ``footer_fx*`` of the shared words)."""
    from alliancelib.core.prose import say as words

    fx_ids = fx_source_ids()
    news_ids = [s for s in ids if s not in fx_ids]
    news = news_as_of or (data_news_as_of(news_ids) if news_ids else None)
    parts_html, parts_text = [], []
    if news:
        parts_html.append(words("footer_news", news=_strong(news)))
        parts_text.append(words("footer_news_plain", news=news))
    if fx_as_of:
        parts_html.append(words("footer_fx", fx=_strong(fx_as_of)))
        parts_text.append(words("footer_fx_plain", fx=fx_as_of))
    elif any(s in fx_ids for s in ids):
        held = data_fx_as_of()
        parts_html.append(words("footer_fx_held", held=_strong(held)))
        parts_text.append(words("footer_fx_held", held=held))
    return " ".join(parts_html), " ".join(parts_text)


def _strong(text: str) -> str:
    return f"<strong>{html.escape(text)}</strong>"


def footer_problems(listed: Iterable[str], relied: Iterable[str]) -> list[str]:
    """What is wrong with a footer that lists ``listed`` for a report that relies on ``relied``
    (the sources of the rows its analysis read, those it cites directly, and those of the table
    rows it shows): each source missing from the footer, each source listed that nothing relies on.

    >>> footer_problems(["a", "b"], ["a", "b"])
    []
    >>> footer_problems(["a", "x"], ["a", "b"])
    ['missing from the footer: b', 'listed but relied on by nothing: x']
    """
    shown, needed = set(listed), set(relied)
    out = []
    if needed - shown:
        out.append(f"missing from the footer: {', '.join(sorted(needed - shown))}")
    if shown - needed:
        out.append(f"listed but relied on by nothing: {', '.join(sorted(shown - needed))}")
    return out


def sources_footer_bundle(
    source_ids: Iterable[str],
    *,
    news_as_of: str | None = None,
    fx_as_of: str | None = None,
    unreached: str = "",
) -> dict[str, Any]:
    """The sources footer as a MIME bundle: the sources given (publisher, title linked to the
    source, date published; each row ``id="src-<id>"``), the news as-of date and the exchange-rate
    as-of date apart, and what the stored sources could not reach.

    ``news_as_of`` defaults to the newest publication among the non-exchange-rate sources
    (:func:`alliancelib.data.news_as_of`); ``fx_as_of`` (the newest ECB fixing the report used) is
    the caller's to give: without it, the footer says to which date the rates are held.
    """
    from alliancelib.core.prose import say as words

    sources = _sources()
    ids = sorted(set(source_ids))
    missing = [s for s in ids if s not in sources.index]
    if missing:
        raise KeyError(f"unknown source ids: {', '.join(missing)}")
    ids.sort(key=lambda s: (str(sources.at[s, "publisher"]).lower(), str(sources.at[s, "date_published"]), s))
    dates_html, dates_text = _dates_line(ids, news_as_of, fx_as_of)
    rows_html, rows_text, rows_csv = [], [], []
    for sid in ids:
        s = sources.loc[sid]
        rows_html.append(
            f'<tr id="src-{html.escape(sid)}"><td>{html.escape(str(s["publisher"]))}</td>'
            f"<td>{_title_html(str(s['title']), s['url'])}</td>"
            f'<td class="num">{html.escape(str(s["date_published"]))}</td></tr>'
        )
        rows_text.append(f"- {s['publisher']}: {s['title']} ({s['date_published']})")
        rows_csv.append(
            [
                str(s["publisher"]),
                str(s["title"]),
                s["url"] if isinstance(s["url"], str) else "",
                str(s["date_published"]),
            ]
        )
    described = any(is_description(str(sources.at[s, "title"])) for s in ids)
    note = f" {words('footer_described')}" if described else ""
    unreached_words = words("footer_unreached")
    unreached_html = (
        f'<p class="alliance-unreached"><strong>{unreached_words}</strong> {html.escape(unreached)}</p>'
        if unreached
        else ""
    )
    heading = words("footer_heading")
    html_out = (
        f'<section class="alliance-sources" aria-label="{heading}"><h2>{heading}</h2>'
        f'<p class="alliance-asof">{dates_html}</p>{unreached_html}'
        f"<p>{words('footer_every', n=len(ids))}{note}</p>"
        '<div class="alliance-scroll"><table class="alliance-table alliance-sources-table"><thead><tr>'
        f'<th scope="col">{fields.header("publisher")}</th>'
        f'<th scope="col">{words("footer_title_header", title=fields.header("title"))}</th>'
        f'<th scope="col">{fields.header("date_published")}</th></tr></thead>'
        f"<tbody>{''.join(rows_html)}</tbody></table></div>"
        "</section>"
    )
    text_out = "\n".join(
        [
            f"{words('footer_plain_head', n=len(ids))} {dates_text}".strip(),
            *([f"{unreached_words} {unreached}"] if unreached else []),
            *rows_text,
        ]
    )
    header = [
        fields.header("publisher"),
        fields.header("title"),
        words("footer_address_header"),
        fields.header("date_published"),
    ]
    return {"text/html": html_out, "text/plain": text_out, CSV_MIME: csv_text(header, rows_csv)}


def sources_footer(
    source_ids: Iterable[str],
    *,
    news_as_of: str | None = None,
    fx_as_of: str | None = None,
    unreached: str = "",
) -> None:
    """Display the sources footer (see :func:`sources_footer_bundle`).

    ``report.sources_footer(ids, news_as_of=a.news_as_of, fx_as_of=a.fx_as_of,
    unreached="whether the Ampere merger of 2026-07-01 happened")``
    """
    from IPython.display import display

    display(
        sources_footer_bundle(source_ids, news_as_of=news_as_of, fx_as_of=fx_as_of, unreached=unreached),
        raw=True,
    )


# --------------------------------------------------------------------------- tables


def column_header(column: str, headers: Mapping[str, str] | None = None) -> str:
    """The header a reader sees for ``column``: from ``headers`` if given there, else the column
    dictionary; an unknown column is an error naming the fix.

    >>> column_header("economic_pct"), column_header("Renault", {"Renault": "Renault (%)"})
    ('Capital (%)', 'Renault (%)')
    """
    if headers and column in headers:
        shown = headers[column]
        if not shown.strip() or CODE_WORD.search(shown):
            raise ValueError(f"header {shown!r} for column {column!r}: write it in plain words")
        return shown
    if column in fields.FIELDS:
        return fields.header(column)
    raise UnknownColumnError(
        f"column {column!r} has no entry in alliancelib.fields: add a Field with its title and unit "
        f"(or, for a one-off column such as a company name in a matrix, pass "
        f"headers={{{column!r}: 'Title (unit)'}} to show_table) so readers see words, not code"
    )


def _is_missing(value: Any) -> bool:
    return (
        value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value))
    )


def _is_year(column: str) -> bool:
    return column == "year" or column.endswith("_year")


def _format_number(value: float, column: str, decimals: int | None) -> str:
    """A number per its column: the field's decimals, thousands separators, years bare."""
    if _is_year(column) and float(value).is_integer():
        return str(int(value))
    if decimals is not None:
        return format_number(float(value), decimals)
    if float(value).is_integer():
        text = f"{int(value):,}"
    else:
        text = f"{value:,.6g}" if abs(value) < 1e6 else f"{value:,.0f}"
    return text.replace("-", MINUS)


def format_cell(value: Any, column: str = "", decimals: int | None = None) -> str:
    """One cell as a reader expects it (plain text; HTML escaping comes later).

    >>> format_cell(400000.0), format_cell(35.714, "economic_pct", 2), format_cell(2025, "year")
    ('400,000', '35.71', '2025')
    >>> format_cell(True), format_cell(None), format_cell(float("nan"), "economic_pct")
    ('yes', '', '–')
    >>> format_cell(pd.Timestamp("2025-03-31")), format_cell(1.08195)
    ('2025-03-31', '1.08195')
    """
    numeric = column in fields.FIELDS and fields.get(column).type in ("number", "integer")
    if _is_missing(value):
        return DASH if numeric else ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if hasattr(value, "item") and not isinstance(value, str | pd.Timestamp):
        value = value.item()  # numpy scalars
        if isinstance(value, bool):
            return "yes" if value else "no"
    if isinstance(value, int | float):
        return _format_number(value, column, decimals)
    if isinstance(value, pd.Timestamp | dt.datetime):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _is_numeric_column(series: pd.Series) -> bool:
    values = [v for v in series if not _is_missing(v)]
    return bool(values) and all(
        (isinstance(v, int | float) and not isinstance(v, bool))
        or (hasattr(v, "dtype") and v.dtype.kind in "iuf")
        for v in values
    )


def _is_date_column(column: str) -> bool:
    """Whether a column holds dates (kept on one line: ``2025-11`` must not wrap at its hyphen)."""
    f = fields.FIELDS.get(column)
    return bool(f and (f.type == "date" or fields.is_partial_date(f)))


def _decimals(column: str) -> int | None:
    return fields.get(column).decimals if column in fields.FIELDS else None


def table_bundle(
    frame: pd.DataFrame, caption: str = "", *, headers: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """The MIME bundle of a table in a reader's words (see :func:`show_table`), with its data as
    CSV (:func:`table_csv`) for the report's "Download CSV" link.

    >>> b = table_bundle(pd.DataFrame({"economic_pct": [35.714], "source_id": ["seed_autoexpert"]}))
    >>> print(b["text/plain"])
    Capital (%)     Source
          35.71 AutoExpert
    """
    columns = [str(c) for c in frame.columns]
    shown = [column_header(c, headers) for c in columns]
    sources = _sources() if any(holds_source_ids(c) for c in columns) else None
    numeric = {c: _is_numeric_column(frame[c]) for c in columns}
    dates = {c: _is_date_column(c) for c in columns}
    right = ' style="text-align:right"'
    head = "".join(
        f'<th scope="col"{right if numeric[c] else ""}>{html.escape(h)}</th>'
        for c, h in zip(columns, shown, strict=True)
    )
    body_rows, text_rows = [], []
    for values in frame.itertuples(index=False, name=None):
        cells, texts = [], []
        for c, v in zip(columns, values, strict=True):
            if sources is not None and holds_source_ids(c):
                cells.append(f"<td>{source_links(v, sources)}</td>")
                texts.append(_publishers(v, sources))
                continue
            text = format_cell(v, c, _decimals(c))
            cls = ' class="num"' + right if numeric[c] else (' class="date"' if dates[c] else "")
            cells.append(f"<td{cls}>{html.escape(text)}</td>")
            texts.append(text)
        body_rows.append(f"<tr>{''.join(cells)}</tr>")
        text_rows.append(texts)
    cap = f'<p class="alliance-caption"><em>{html.escape(caption)}</em></p>' if caption else ""
    table = (
        f'{cap}<div class="alliance-scroll"><table class="alliance-table"><thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body_rows)}</tbody></table></div>"
    )
    plain = (
        pd.DataFrame(text_rows, columns=pd.Index(shown, dtype=object)).to_string(index=False)
        if text_rows
        else " | ".join(shown)
    )
    return {
        "text/html": table,
        "text/plain": (f"{caption}\n" if caption else "") + plain,
        CSV_MIME: table_csv(frame, headers=headers, sources=sources),
    }


def csv_cell(value: Any, column: str = "") -> str:
    """One cell of a table's CSV download: numbers unrounded (12 significant digits, no thousands
    separators, a plain minus), years bare, dates ISO, booleans yes/no, missing values empty.

    >>> csv_cell(35.71428571428571), csv_cell(-2500.0), csv_cell(2025, "year"), csv_cell(float("nan"))
    ('35.7142857143', '-2500', '2025', '')
    >>> csv_cell(True), csv_cell(pd.Timestamp("2025-03-31")), csv_cell("EUR 1,200")
    ('yes', '2025-03-31', 'EUR 1,200')
    """
    if _is_missing(value):
        return ""
    if hasattr(value, "item") and not isinstance(value, str | pd.Timestamp):
        value = value.item()  # numpy scalars
    if isinstance(value, bool | int | float):
        return plain_cell(value)
    return format_cell(value, column)


def table_csv(
    frame: pd.DataFrame, *, headers: Mapping[str, str] | None = None, sources: pd.DataFrame | None = None
) -> str:
    """A table's data as its CSV download: the headers a reader sees, the values unrounded
    (:func:`csv_cell`), source ids as their publishers' names.

    >>> print(table_csv(pd.DataFrame({"economic_pct": [35.714], "source_id": ["seed_autoexpert"]})), end="")
    Capital (%),Source
    35.714,AutoExpert
    """
    columns = [str(c) for c in frame.columns]
    if sources is None and any(holds_source_ids(c) for c in columns):
        sources = _sources()
    rows = [
        [
            _publishers(v, sources) if sources is not None and holds_source_ids(c) else csv_cell(v, c)
            for c, v in zip(columns, values, strict=True)
        ]
        for values in frame.itertuples(index=False, name=None)
    ]
    return csv_text([column_header(c, headers) for c in columns], rows)


def show_table(frame: pd.DataFrame, caption: str = "", *, headers: Mapping[str, str] | None = None) -> None:
    """Display a frame as a table in a reader's words: headers from :mod:`alliancelib.fields` (or
    ``headers`` for one-off columns), numbers rounded per field with separators, source ids as
    publisher links to the footer. The index is not shown.

    ``report.show_table(snap[["holder", "company", "economic_pct", "source_id"]], "Stakes on 2025-03-31.")``
    """
    from IPython.display import display

    display(table_bundle(frame, caption, headers=headers), raw=True)


def say(markdown: str) -> None:
    """Display computed narrative (Markdown) whose numbers depend on the parameters."""
    from IPython.display import display

    display({"text/markdown": markdown, "text/plain": markdown}, raw=True)
