"""The key findings box: the answer first, dated, right after a notebook's parameters.

A notebook shows 3-5 :class:`Finding` objects, each a sentence (Markdown) with its number rounded
as a reader would say it, what it means and how robust it is, then one line on what happened
since the announcement. The box states how recent the news behind it is and the exchange rates
apart::

    Key findings · news to 2026-04-29 · latest exchange rate used 2026-08-21
    • Renault owns 35.7% of Nissan's capital but directs only 15% of its votes. ...
    Since the announcement: ...

The same output carries :data:`FINDINGS_MIME` =
``{"notebook", "news_as_of", "fx_as_of", "since", "items": [{"key", "text", "html", "anchor",
"headline", "holds_pct", "flips"}]}``, which the index reads (:func:`read_findings`) to write its
front page. The output is deterministic: same findings, same bytes.

Finding texts take inline Markdown only (``**bold**``, ``*italic*``, ```code```, ``[text](#id)``),
rendered here by a small converter (so JupyterLab and the report show the same HTML), and no
dollar sign (JupyterLab reads a pair as maths: write USD 21,639).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alliancelib.results import CODE_WORD

FINDINGS_MIME = "application/vnd.alliancelib.findings+json"
MIN_FINDINGS, MAX_FINDINGS = 3, 5
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
KEY = re.compile(r"^[a-z][a-z0-9_-]*$")

BOX_STYLE = (
    "margin:12px 0 16px;padding:12px 16px 10px;background:#f3f6f9;border-left:5px solid #1f5f8b;"
    "border-radius:2px;font-size:15px;line-height:1.5;color:#1a1a1a"
)
HEAD_STYLE = "margin:0 0 6px;font-size:13px;color:#444;letter-spacing:0.01em"
LIST_STYLE = "margin:0 0 8px;padding-left:20px"
ITEM_STYLE = "margin:0 0 6px"
SINCE_STYLE = "margin:6px 0 0;padding-top:6px;border-top:1px solid #d5dde5;font-size:14px"


@dataclass(frozen=True)
class Finding:
    """One key finding.

    ``key``: a stable id (``a-z``, digits, ``_``, ``-``); ``text``: inline Markdown, a sentence
    with its rounded number, what it means and how robust it is; ``anchor``: the id of the report
    section that explains it (:func:`anchor_for` gives it from the heading); ``headline``: offered
    to the index's front page; ``holds_pct``: the share of plausible cases in which it holds;
    ``flips``: it holds in some plausible cases and not in others.

    >>> Finding("stake", "Renault owns **35.7%** of Nissan.").html()
    'Renault owns <strong>35.7%</strong> of Nissan.'
    """

    key: str
    text: str
    anchor: str = ""
    headline: bool = False
    holds_pct: float | None = None
    flips: bool = False

    def __post_init__(self) -> None:
        if not KEY.match(self.key):
            raise ValueError(f"finding key {self.key!r}: use a-z, 0-9, '_' and '-'")
        if not self.text.strip():
            raise ValueError(f"finding {self.key}: the text is empty")
        object.__setattr__(self, "anchor", self.anchor.lstrip("#"))
        if re.search(r"(?<!\\)\$", self.text):
            raise ValueError(f"finding {self.key}: no dollar sign (a pair reads as maths); write USD 21,639")
        found = CODE_WORD.search(plain_text(self.text))
        if found:
            raise ValueError(
                f"finding {self.key}: {found.group(0)!r} reads like code; write it in plain words"
            )
        if self.holds_pct is not None and not 0 <= self.holds_pct <= 100:
            raise ValueError(f"finding {self.key}: holds_pct is a share of cases, 0 to 100")

    def html(self) -> str:
        """The text as inline HTML (escaped, then the inline Markdown applied)."""
        return inline_markdown(self.text)

    def record(self) -> dict[str, Any]:
        """The item of :data:`FINDINGS_MIME`."""
        return {
            "key": self.key,
            "text": self.text,
            "html": self.html(),
            "anchor": self.anchor,
            "headline": self.headline,
            "holds_pct": None if self.holds_pct is None else round(float(self.holds_pct), 1),
            "flips": self.flips,
        }


_CODE = re.compile(r"`([^`]+)`")
_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
_STRONG = re.compile(r"\*\*(.+?)\*\*")
_EM = re.compile(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])|(?<!\w)_(?!\s)(.+?)(?<!\s)_(?!\w)")


def inline_markdown(text: str) -> str:
    r"""Inline Markdown to HTML: code spans, links, bold, italic; everything else escaped.
    Links take ``#anchor`` or ``http(s)`` addresses only.

    >>> inline_markdown("**EUR 679m** for *5 points*, see [the sale](#The-sale)")
    '<strong>EUR 679m</strong> for <em>5 points</em>, see <a href="#The-sale">the sale</a>'
    >>> inline_markdown("A & B: `x < y`")
    'A &amp; B: <code>x &lt; y</code>'
    >>> inline_markdown("a \\$ sign")
    'a $ sign'
    """
    codes: list[str] = []

    def keep_code(m: re.Match[str]) -> str:
        codes.append(f"<code>{html.escape(m.group(1), quote=False)}</code>")
        return f"\x00{len(codes) - 1}\x00"

    out = html.escape(_CODE.sub(keep_code, text), quote=False).replace("\\$", "$")
    out = _LINK.sub(_link, out)
    out = _STRONG.sub(r"<strong>\1</strong>", out)
    out = _EM.sub(lambda m: f"<em>{m.group(1) or m.group(2)}</em>", out)
    return re.sub("\x00(\\d+)\x00", lambda m: codes[int(m.group(1))], out)


def _link(m: re.Match[str]) -> str:
    label, url = m.group(1), html.unescape(m.group(2))
    if not url.startswith(("#", "http://", "https://")):
        raise ValueError(f"link {url!r}: use a #section anchor or an http(s) address")
    return f'<a href="{html.escape(url)}">{label}</a>'


def plain_text(markdown: str) -> str:
    """What a reader sees of inline Markdown (marks and link addresses dropped).

    >>> plain_text("**EUR 679m**, see [the sale](#The_sale) and `code`")
    'EUR 679m, see the sale and code'
    """
    text = _LINK.sub(r"\1", markdown)
    text = _CODE.sub(r"\1", text)
    return re.sub(r"\*\*|(?<![\w])[*_]|[*_](?![\w])", "", text).replace("\\$", "$")


def anchor_for(heading: str) -> str:
    """The id JupyterLab and nbconvert give a Markdown heading (spaces become ``-``), for
    :attr:`Finding.anchor`.

    >>> anchor_for("The 2025 lock-up and a sale of Renault shares by Nissan")
    'The-2025-lock-up-and-a-sale-of-Renault-shares-by-Nissan'
    """
    return plain_text(heading.lstrip("#").strip()).replace(" ", "-")


def _check_date(what: str, value: str) -> str:
    if not DATE.match(value or ""):
        raise ValueError(f"{what} must be a date as YYYY-MM-DD (or YYYY-MM, YYYY), not {value!r}")
    return value


def _item_html(f: Finding, more_words: str) -> str:
    target = html.escape(f.anchor)
    more = f' <a class="af-more" href="#{target}">{more_words}</a>' if target else ""
    cls = "af-item af-flips" if f.flips else "af-item"
    return f'<li class="{cls}" id="finding-{html.escape(f.key)}" style="{ITEM_STYLE}">{f.html()}{more}</li>'


def findings_bundle(
    notebook: str, findings: Sequence[Finding], *, since: str, news_as_of: str, fx_as_of: str
) -> dict[str, Any]:
    """The MIME bundle of the key findings box: the record, HTML and plain text.

    >>> fs = [Finding("a", "One."), Finding("b", "Two."), Finding("c", "Three.", headline=True)]
    >>> b = findings_bundle("01_ownership", fs, since="Nothing yet.", news_as_of="2026-04-29",
    ...                     fx_as_of="2026-08-21")
    >>> print(b["text/plain"])
    Key findings · news to 2026-04-29 · latest exchange rate used 2026-08-21
    - One.
    - Two.
    - Three.
    Since the announcement: Nothing yet.
    >>> [i["key"] for i in b[FINDINGS_MIME]["items"] if i["headline"]]
    ['c']
    """
    findings = list(findings)
    if not MIN_FINDINGS <= len(findings) <= MAX_FINDINGS:
        raise ValueError(
            f"{notebook}: show {MIN_FINDINGS} to {MAX_FINDINGS} key findings, not {len(findings)}"
        )
    keys = [f.key for f in findings]
    if len(set(keys)) != len(keys):
        raise ValueError(f"{notebook}: two findings share a key: {', '.join(keys)}")
    news, fxd = _check_date("news_as_of", news_as_of), _check_date("fx_as_of", fx_as_of)
    since_finding = Finding("since", since)  # same checks and rendering as a finding
    from alliancelib.core.prose import say as words

    title, dates = words("findings_heading"), words("findings_dates", news=news, fx=fxd)
    since_words, more = words("findings_since"), words("findings_more")
    head = f"{title} · {dates}"
    items = "".join(_item_html(f, more) for f in findings)
    box = (
        f'<aside class="alliance-findings" aria-label="{title}" style="{BOX_STYLE}">'
        f'<p class="af-head" style="{HEAD_STYLE}"><strong style="font-size:15px;color:#1f5f8b">'
        f"{title}</strong> · {dates}</p>"
        f'<ul class="af-list" style="{LIST_STYLE}">{items}</ul>'
        f'<p class="af-since" style="{SINCE_STYLE}"><strong>{since_words}</strong> '
        f"{since_finding.html()}</p></aside>"
    )
    text = "\n".join(
        [head, *(f"- {plain_text(f.text)}" for f in findings), f"{since_words} {plain_text(since)}"]
    )
    record = {
        "notebook": notebook,
        "news_as_of": news,
        "fx_as_of": fxd,
        "since": since,
        "items": [f.record() for f in findings],
    }
    return {FINDINGS_MIME: record, "text/html": box, "text/plain": text}


def show_key_findings(
    notebook: str, findings: Iterable[Finding], *, since: str, news_as_of: str, fx_as_of: str
) -> None:
    """Display the key findings box (returns None: nothing echoes after it)."""
    from IPython.display import display

    display(
        findings_bundle(notebook, list(findings), since=since, news_as_of=news_as_of, fx_as_of=fx_as_of),
        raw=True,
    )


def read_findings(notebook: str | Path | Mapping[str, Any]) -> dict[str, Any] | None:
    """The key findings record of an executed notebook (a path or its parsed JSON), or None.

    Uses only the notebook's JSON; a notebook showing the box twice gives the last one.
    """
    nb: Mapping[str, Any] = (
        json.loads(Path(notebook).read_text(encoding="utf-8"))
        if isinstance(notebook, str | Path)
        else notebook
    )
    found = None
    for cell in nb.get("cells", []):
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if FINDINGS_MIME in data:
                found = dict(data[FINDINGS_MIME])
    return found
