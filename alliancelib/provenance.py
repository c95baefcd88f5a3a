"""What made a report: its scenario, the parameters that differ from the notebook's defaults, and
the versions of the data and of the code, so that a report forwarded on its own keeps its context.

- :func:`data_version`: a short content hash (SHA-256, first 12 hex digits) of every file in the
  data folder, by name and bytes; the same data gives the same version wherever it lives.
- :func:`code_version`: ``alliancelib``'s version number plus a short content hash of the package
  source (its modules and templates), e.g. ``0.1.0+3f9a0c1b2d4e``.
- :class:`Provenance`: all of it for one report, with the changed parameters in a reader's words
  (labels and units from the parameters class), shown by :func:`provenance_html` in a compact box
  near the top of the report, and by :func:`page_css` in the running header and footer of its PDF.

Nothing here holds a date, a time or an absolute path: rebuilding with the same inputs gives
byte-identical reports.
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from alliancelib.scenarios import Job

HASH_DIGITS = 12


def _files_hash(files: Sequence[Path], root: Path) -> str:
    """SHA-256 of files (their path relative to ``root`` and their bytes), first digits."""
    h = hashlib.sha256()
    for f in files:
        h.update(f.relative_to(root).as_posix().encode() + b"\0" + f.read_bytes() + b"\0")
    return h.hexdigest()[:HASH_DIGITS]


def data_version(folder: Path | None = None) -> str:
    """A short content hash of the files in the data folder (``$ALLIANCE_DATA_DIR`` or ``data/``):
    12 hex digits that change when any file's name or bytes change, and only then.

    >>> len(data_version()), data_version() == data_version()
    (12, True)
    """
    from alliancelib.paths import data_dir

    root = folder or data_dir()
    return _files_hash(sorted(f for f in root.glob("*") if f.is_file()), root)


def code_version() -> str:
    """``alliancelib``'s version plus a short content hash of its source (modules and templates,
    compiled files left out), e.g. ``0.1.0+3f9a0c1b2d4e``.

    >>> code_version().startswith(__import__("alliancelib").__version__ + "+")
    True
    """
    from alliancelib import __version__
    from alliancelib.paths import PACKAGE_DIR

    files = sorted(
        p
        for p in PACKAGE_DIR.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".pyc", ".pyo")
    )
    return f"{__version__}+{_files_hash(files, PACKAGE_DIR)}"


@dataclass(frozen=True)
class Change:
    """A parameter set away from its default: its label, the value used and the default, in a
    reader's words with units ("Renault share price", "EUR 38.50", "EUR 45.94")."""

    label: str
    value: str
    default: str


@dataclass(frozen=True)
class Provenance:
    """What made one report: the scenario's name, the notebook's title, the parameters that differ
    from the notebook's defaults (in declaration order) and the data and code versions."""

    scenario: str
    title: str
    changes: tuple[Change, ...] = field(default_factory=tuple)
    data_version: str = ""
    code_version: str = ""

    @property
    def scenario_words(self) -> str:
        """The scenario as the title line says it.

        >>> Provenance("cautious", "T").scenario_words
        'cautious scenario'
        """
        from alliancelib.core.prose import say

        return say("made_scenario", scenario=self.scenario)

    @property
    def full_title(self) -> str:
        """The report's title with its scenario (the browser tab, bookmarks, the PDF's header).

        >>> Provenance("base", "Who owns whom").full_title
        'Who owns whom — base scenario'
        """
        return f"{self.title} — {self.scenario_words}"

    @property
    def changes_text(self) -> str:
        """How many parameters differ from the defaults, in words.

        >>> Provenance("s", "T").changes_text, Provenance("s", "T", (Change("a", "1", "2"),)).changes_text
        ('all parameters at their defaults', '1 parameter differs from the defaults')
        """
        from alliancelib.core.prose import say

        n = len(self.changes)
        return say("made_changes", n=n) if n else say("made_no_change")


def of_job(job: Job, title: str | None = None) -> Provenance:
    """The provenance of a job's report: its scenario, its changed parameters in words (labels and
    units from the notebook's parameters class, else its parameters cell) and the versions."""
    from alliancelib import notebooks as nbs
    from alliancelib.index import param_label, param_value

    declared = nbs.declared_parameters(job.source)
    changes = tuple(
        Change(
            param_label(job.notebook, job.source, name),
            param_value(job.notebook, name, value),
            param_value(job.notebook, name, declared[name].default) if name in declared else "",
        )
        for name, value in job.overrides.items()
    )
    return Provenance(job.scenario, title or nbs.title(job.source), changes, data_version(), code_version())


def provenance_html(p: Provenance) -> str:
    """The compact box near the top of a report: one line (scenario, how many parameters differ,
    data and code versions) that opens on the parameters changed, each with its value and its
    default. On paper the box prints open (print.css)."""
    from alliancelib.core.prose import say as words

    e = html.escape
    summary = (
        f'<summary><span class="am-scenario">{e(p.scenario_words.capitalize())}</span>'
        f'<span class="am-sep"> · </span>{e(p.changes_text)}'
        f'<span class="am-sep"> · </span>data {e(p.data_version)}'
        f'<span class="am-sep"> · </span>code {e(p.code_version)}</summary>'
    )
    if p.changes:
        rows = "".join(
            f"<tr><td>{e(c.label)}</td><td>{e(c.value)}</td><td>{e(c.default)}</td></tr>" for c in p.changes
        )
        table = (
            '<div class="alliance-scroll"><table class="alliance-table alliance-made-table"><thead><tr>'
            f'<th scope="col">{words("made_parameter")}</th><th scope="col">{words("made_in_report")}</th>'
            f'<th scope="col">{words("made_default")}</th></tr></thead><tbody>{rows}</tbody></table></div>'
        )
    else:
        table = f"<p>{words('made_all_defaults')}</p>"
    versions = (
        f"<p>{words('made_versions', data_version=e(p.data_version), code_version=e(p.code_version))}</p>"
    )
    return (
        f'<details class="alliance-made" aria-label="What made this report">{summary}'
        f'<div class="am-body">{table}{versions}</div></details>'
    )


def css_string(text: str) -> str:
    """A CSS string literal holding ``text`` (quotes, backslashes and line ends escaped).

    >>> print(css_string('Say "hi"'))
    "Say \\"hi\\""
    """
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ").replace("<", "\\3C ")
    return f'"{escaped}"'


def page_css(p: Provenance) -> str:
    """The printed pages' running header (the report's title and scenario) as a CSS ``@page``
    margin box; the page numbers are in ``print.css``, shared with the index."""
    return (
        f"@page {{ @top-left {{ content: {css_string(p.full_title)}; font-size: 8pt; color: #555; "
        'font-family: system-ui, "DejaVu Sans", sans-serif; } }'
    )


def record(p: Provenance) -> dict[str, Any]:
    """The provenance as plain data (for a notebook's metadata or a JSON file)."""
    return {
        "scenario": p.scenario,
        "data_version": p.data_version,
        "code_version": p.code_version,
        "changed": [{"label": c.label, "value": c.value, "default": c.default} for c in p.changes],
    }
