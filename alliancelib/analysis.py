"""What every notebook's ``analyse(p)`` returns, and the words its sentences share.

Each topic module (``claims``, ``ownership``, ``india``, ``pricing``, ``ampere``, and the topic package
``topics.ledger``) has one
``analyse(params)`` that computes everything its notebook shows, once. It returns a subclass of
:class:`Analysis`: the part below is common to all six (what the findings box, the results table,
the "How sure is this?" section and the sources footer read); each module adds the frames its
charts draw. The dataclasses are keyword-only, so a module's own fields follow these in any order.

The sentences of the findings and the narrative write dates and percentages the same way in every
notebook: :func:`say_date` and :func:`pct`, whose home is :mod:`alliancelib.core.words`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

# the sentences' formatters live in alliancelib.core.words; re-exported under their old names here
from alliancelib.core.words import MONTHS, pct, say_date  # noqa: F401

if TYPE_CHECKING:
    import pandas as pd

    from alliancelib.findings import Finding
    from alliancelib.results import Result
    from alliancelib.uncertainty import Assessment, Conclusion


@dataclass(frozen=True, kw_only=True)
class Analysis:
    """Everything a notebook shows, computed once from its parameters (the part every notebook has).

    ``values`` holds each recorded result by its name, in the unit its name ends with; ``texts`` the
    narrative paragraphs by key; ``tables`` the reader-facing tables (headers still field names,
    shown through :mod:`alliancelib.fields`); ``facts`` the sourced figures the text quotes.
    """

    p: Any  # the notebook's parameters (each module narrows the type)
    values: dict[str, Any]
    results: list[Result]
    assessment: Assessment
    findings: list[Finding]
    since: str  # one paragraph: what happened since the announcement, as of news_as_of
    news_as_of: str  # ISO date of the newest dated fact or event behind the notebook
    fx_as_of: str  # ISO date of the newest exchange-rate fixing it uses ("" if none)
    source_ids: list[str]  # the topic's own list (its news date); the footer: Shows.footer_source_ids()
    unreached: str  # one sentence: what the stored sources could not settle
    texts: dict[str, str]
    tables: dict[str, pd.DataFrame]
    conclusions: list[Conclusion] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)
    # the sources of the data rows analyse() read (set by alliancelib.reads.recorded; None if it
    # was not recorded): with the sources of the tables shown, the sources footer
    read_source_ids: list[str] | None = None

    def value(self, name: str) -> Any:
        """A headline result's value at the parameters, in the unit its name ends with."""
        return self.values[name]

    def finding(self, key: str) -> Finding:
        """A key finding by its key; ``KeyError`` naming the keys there are if none has it."""
        for f in self.findings:
            if f.key == key:
                return f
        raise KeyError(f"no finding {key!r}; findings: {', '.join(f.key for f in self.findings)}")
