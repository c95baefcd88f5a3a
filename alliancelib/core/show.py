"""How a topic's analysis shows itself in its notebook: one call per section.

A topic's ``Analysis`` mixes in :class:`Shows` and declares its ``SECTIONS``: for each section of the
notebook, the parts it shows in order, each a text (a rendered block of the topic's template, held in
``a.texts``), a chart (drawn by the topic's ``chart(key)``) or a table (``a.tables``, captioned by
``a.captions``)::

    SECTIONS = {
        "cash": (text("option_intuition"), text("option"), chart("cash")),
        "accounting": (text("charge"), table("accounting")),
    }

The notebook then reads, cell by cell: markdown (the intuition and the formula, no number a
parameter can change), then ``a.show("cash")``. ``a.show_findings()``, ``a.show_results()`` and
``a.show_sources()`` show the key findings box, the results table and the sources footer.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    import pandas as pd

    from alliancelib.charts import Chart
    from alliancelib.findings import Finding
    from alliancelib.results import Result

KINDS = ("text", "chart", "table")


@dataclass(frozen=True)
class Part:
    """One thing a section shows: ``kind`` is text, chart or table; ``key`` names it."""

    kind: str
    key: str

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"a part is one of {', '.join(KINDS)}, not {self.kind!r}")


def text(key: str) -> Part:
    """A rendered block of the topic's template (``a.texts[key]``)."""
    return Part("text", key)


def chart(key: str) -> Part:
    """A chart of the topic (``a.chart(key)``)."""
    return Part("chart", key)


def table(key: str) -> Part:
    """A table of the topic (``a.tables[key]``, captioned ``a.captions[key]``)."""
    return Part("table", key)


class Shows:
    """The ``show`` calls of a topic's ``Analysis`` (a mixin: the dataclass holds the fields)."""

    NOTEBOOK: ClassVar[str]
    SECTIONS: ClassVar[Mapping[str, Sequence[Part]]]
    if TYPE_CHECKING:
        texts: dict[str, str]
        tables: dict[str, pd.DataFrame]
        captions: dict[str, str]
        findings: list[Finding]
        results: list[Result]
        since: str
        news_as_of: str
        fx_as_of: str
        source_ids: list[str]
        read_source_ids: list[str] | None
        unreached: str

    def chart(self, key: str) -> Chart:
        """One chart of the topic, drawn from the analysis (each topic defines it)."""
        raise NotImplementedError

    def parts(self, section: str) -> Sequence[Part]:
        """What a section shows; ``KeyError`` naming the sections there are if none has that name."""
        if section not in self.SECTIONS:
            raise KeyError(f"no section {section!r}; sections: {', '.join(self.SECTIONS)}")
        return self.SECTIONS[section]

    def show(self, section: str) -> None:
        """Display a section: its texts, charts and tables in the order it declares."""
        from alliancelib import charts, report

        for part in self.parts(section):
            if part.kind == "text":
                report.say(self.texts[part.key])
            elif part.kind == "chart":
                charts.show_drawn(f"{self.NOTEBOOK}/{part.key}", functools.partial(self.chart, part.key))
            else:
                report.show_table(self.tables[part.key], self.captions[part.key])

    def show_findings(self) -> None:
        """Display the key findings box, dated, with the "since the announcement" line."""
        from alliancelib.findings import show_key_findings

        show_key_findings(
            self.NOTEBOOK, self.findings, since=self.since, news_as_of=self.news_as_of, fx_as_of=self.fx_as_of
        )

    def show_results(self) -> None:
        """Display the results table (each row also a machine-readable record)."""
        from alliancelib.results import show_results

        show_results(self.results)

    def shown_tables(self) -> list[pd.DataFrame]:
        """Every table the report shows, in the order its sections show them."""
        return [
            self.tables[part.key]
            for section in self.SECTIONS
            for part in self.parts(section)
            if part.kind == "table"
        ]

    def footer_source_ids(self) -> list[str]:
        """The sources the footer lists: those of every data row the analysis read (recorded by
        :func:`alliancelib.reads.recorded` around the topic's ``analyse``) and those cited by the
        rows of the tables the report shows; nothing else. An analysis that was not recorded is an
        error naming the fix."""
        from alliancelib.report import sources_used

        if self.read_source_ids is None:
            raise ValueError(
                f"{self.NOTEBOOK}: the analysis does not say what it read from data/: decorate the "
                "topic's analyse() with alliancelib.reads.recorded"
            )
        return sources_used(self.shown_tables(), self.read_source_ids)

    def show_sources(self) -> None:
        """Display the section ``sources`` if the topic declares one, then the sources footer."""
        from alliancelib.report import sources_footer

        if "sources" in self.SECTIONS:
            self.show("sources")
        sources_footer(
            self.footer_source_ids(),
            news_as_of=self.news_as_of,
            fx_as_of=self.fx_as_of,
            unreached=self.unreached,
        )


def describe(sections: Mapping[str, Sequence[Part]]) -> dict[str, list[str]]:
    """The sections as ``kind:key`` lists (for tests and docs).

    >>> describe({"cash": (text("option"), chart("cash"))})
    {'cash': ['text:option', 'chart:cash']}
    """
    return {name: [f"{p.kind}:{p.key}" for p in parts] for name, parts in sections.items()}


__all__ = ["Part", "Shows", "chart", "describe", "table", "text"]
