"""The prose templates: every sentence a report shows lives in one Jinja template per topic,
``alliancelib/topics/<topic>/text.md.j2``, as named blocks; the topic's code decides and the
template words it.

A block is Markdown written as a writer writes it, wrapped at any width::

    {% block since %}
    Renault completed the Chennai purchase on {{ completed | say_date }} (price still
    undisclosed) ... The newest news this report uses is from {{ news | say_date }}.
    {% endblock %}

:func:`render` returns it as the report shows it: the lines of a paragraph joined by one space, a
blank line between paragraphs kept, a line that starts a list item (``- ``) kept on its own line,
runs of spaces made one and the ends trimmed; a line that ends with a backslash keeps its line
break (a hard break, as in Markdown; for a chart label on two lines). So a sentence can be
re-wrapped in the template without changing a byte of the report.

The rules the environment enforces:

- **An undefined name raises** (``StrictUndefined``): a misspelt ``{{ optoin }}`` or a fact the
  code did not pass is an error naming it, never an empty string in a report.
- **No escaping** (``autoescape=False``): the output is Markdown; the report escapes it where it
  becomes HTML (``findings``, ``report.say``).
- **The formatters are filters**: every public function of :mod:`alliancelib.core.words`
  (``{{ value | money }}``, ``{{ share | percent }}``, ``{{ price | money("EUR", 2) }}``).
- **Decisions stay in code**: pass finished facts (a number, a chosen phrase, a flag); a block
  holds plain ``{% if %}`` / ``{% for %}`` at most, never arithmetic.

>>> render("ledger", "caption_ledger_cash")
'Cash between the parties, both sides of each payment.'
"""

from __future__ import annotations

import functools
import re
from typing import Any

import jinja2

from alliancelib.paths import PACKAGE_DIR

TOPICS_DIR = PACKAGE_DIR / "topics"
SHARED_DIR = PACKAGE_DIR / "templates"  # the templates of the shared layers (``<name>.md.j2``)
TEMPLATE = "text.md.j2"

_SPACES = re.compile(r"[ \t]+")
_LIST_ITEM = re.compile(r"^(?:[-*+] |\d+\. )")


@functools.cache
def environment() -> jinja2.Environment:
    """The one Jinja environment of the prose: templates found under ``alliancelib/topics/`` (and
    the shared layers' under ``alliancelib/templates/``, as ``shared/<name>.md.j2``), undefined
    names raise, no escaping, the formatters of :mod:`alliancelib.core.words` as filters."""
    from alliancelib.core import words

    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(
            [
                jinja2.PrefixLoader({"shared": jinja2.FileSystemLoader(str(SHARED_DIR))}),
                jinja2.FileSystemLoader(str(TOPICS_DIR)),
            ]
        ),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        auto_reload=False,
    )
    env.filters.update({name: getattr(words, name) for name in words.__all__})
    return env


def template(topic: str) -> jinja2.Template:
    """A topic's template, ``alliancelib/topics/<topic>/text.md.j2``; a clear error if it has none."""
    try:
        return environment().get_template(f"{topic}/{TEMPLATE}")
    except jinja2.TemplateNotFound:
        raise LookupError(
            f"no prose template for topic {topic!r}: expected alliancelib/topics/{topic}/{TEMPLATE}"
        ) from None


def blocks(topic: str) -> list[str]:
    """The names of a topic's blocks, in the order the template defines them."""
    return list(template(topic).blocks)


def unwrap(text: str) -> str:
    """A block's rendered text as the report shows it (see the module's docstring).

    >>> unwrap("  One sentence\\n  wrapped.\\n\\nA second   paragraph.\\n- an item\\n  continued\\n"
    ...        "- another\\n")
    'One sentence wrapped.\\n\\nA second paragraph.\\n- an item continued\\n- another'
    >>> unwrap("A chart label \\\\\\n on two lines")
    'A chart label\\non two lines'
    """
    paragraphs: list[list[str]] = [[]]
    broken = False  # the line before ended with a hard break
    for raw in text.strip().splitlines():
        line = _SPACES.sub(" ", raw).strip()
        if not line:
            if paragraphs[-1]:
                paragraphs.append([])
            continue
        lines = paragraphs[-1]
        hard = line.endswith("\\")
        line = line.removesuffix("\\").rstrip()
        if lines and not broken and not _LIST_ITEM.match(line):
            lines[-1] = f"{lines[-1]} {line}"
        else:
            lines.append(line)
        broken = hard
    return "\n\n".join("\n".join(lines) for lines in paragraphs if lines)


def _render_block(tmpl: jinja2.Template, where: str, block: str, context: dict[str, Any]) -> str:
    render_block = tmpl.blocks.get(block)
    if render_block is None:
        raise KeyError(f"no block {block!r} in {where}; blocks: {', '.join(tmpl.blocks)}")
    return unwrap("".join(render_block(tmpl.new_context(context))))


def render_shared(name: str, block: str, **context: Any) -> str:
    """One block of a shared layer's template, ``alliancelib/templates/<name>.md.j2``, rendered as
    :func:`render` renders a topic's.

    >>> render_shared("appendix", "share_some", share=0.713)
    '71%'
    """
    try:
        tmpl = environment().get_template(f"shared/{name}.md.j2")
    except jinja2.TemplateNotFound:
        raise LookupError(
            f"no shared template {name!r}: expected alliancelib/templates/{name}.md.j2"
        ) from None
    return _render_block(tmpl, f"alliancelib/templates/{name}.md.j2", block, context)


def render(topic: str, block: str, **context: Any) -> str:
    """One block of a topic's template rendered with ``context``, as the report shows it.

    An unknown block is a ``KeyError`` naming the blocks there are; a name the block uses that
    ``context`` lacks is a ``jinja2.UndefinedError`` naming it.
    """
    tmpl = template(topic)
    render_block = tmpl.blocks.get(block)
    if render_block is None:
        raise KeyError(
            f"no block {block!r} in alliancelib/topics/{topic}/{TEMPLATE}; blocks: {', '.join(tmpl.blocks)}"
        )
    return unwrap("".join(render_block(tmpl.new_context(context))))


SHARED = "words"  # alliancelib/templates/words.md.j2: the sentences every report shares


def shared_blocks(name: str = SHARED) -> list[str]:
    """The names of a shared template's blocks (``alliancelib/templates/<name>.md.j2``), in order."""
    return list(environment().get_template(f"shared/{name}.md.j2").blocks)


def say(block: str, **context: Any) -> str:
    """One block of the shared words (``alliancelib/templates/words.md.j2``: the sentences of the
    sources footer, the key findings box, the results table, the "what made this report" box)
    rendered with ``context``, as :func:`render_shared` renders it.

    >>> say("footer_plain_head", n=3)
    'Sources (3).'
    """
    return render_shared(SHARED, block, **context)
