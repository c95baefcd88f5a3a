"""The index page: the collection's front page, rendered from a Jinja template with autoescaping
(``templates/front_page.html.j2``).

It opens with the verdict (:mod:`alliancelib.verdict`: who gave what on 31 March 2025 and who came
out ahead, at most 150 words, every number linked to its report), then five to eight key findings
across notebooks (the findings each notebook of the base scenario offers with ``headline=true``,
read from its executed notebook, each linking to its report section; every finding states its own
flip condition, so the page adds no odds), then the notebooks (question, status and links per
scenario), then the scenarios compared only where a reader compares them: one table whose rows are
the few results of :data:`COMPARED` that differ between the scenarios, a column per scenario, each
cell linked to its report (with one scenario, those results in one column). It states the news
as-of date and the exchange-rate as-of date apart, and prints like the reports (their
``print.css`` is inlined).

Every string (notebook titles, questions, scenario descriptions, errors, labels) reaches the page
through autoescape; the only markup not written by the template is a finding's text, rendered by
:func:`alliancelib.findings.inline_markdown`, which escapes it first. Readers see labels, never
code names (a humanised name only where a label is missing).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from alliancelib import notebooks as nbs
from alliancelib.core.words import say_date
from alliancelib.paths import NOTEBOOKS_DIR, TEMPLATES_DIR
from alliancelib.runner import Outcome
from alliancelib.scenarios import Scenario

TEMPLATE = "front_page.html.j2"
# the probability language the front page and the README leave out (issue 21): a share of a box of
# uniform draws read as odds, a "deciding" input named from noise, a percentile called 90%
ODDS = re.compile(
    r"plausible|\bdecides? it\b|\b(?:in )?\d+(?:\.\d+)?% of (?:the )?(?:plausible )?(?:cases|draws)\b"
    r"|\bin 90%",
    re.IGNORECASE,
)
MIN_FINDINGS, MAX_FINDINGS = 5, 8
# the three scenarios of scenarios/ keep their colours; any other scenario takes one of the rest
FIXED_COLOURS = {"base": "#1f5f8b", "ambitious": "#b3541e", "cautious": "#2e7d32"}
OTHER_COLOURS = ("#6a3d9a", "#4d4d4d", "#8c6d1f", "#a6266e", "#00727a", "#6d4c41")
SCENARIO_COLOURS = (*FIXED_COLOURS.values(), *OTHER_COLOURS)


# --------------------------------------------------------------------------- what the page holds


@dataclass(frozen=True)
class KeyFinding:
    """A finding on the front page: its text as HTML (links pointing into its report), the
    report section it links to and the notebook's title."""

    html: Any  # markupsafe.Markup
    href: str
    notebook: str


@dataclass(frozen=True)
class Run:
    """One notebook in one scenario: its status and files."""

    scenario: str
    ok: bool
    error: str
    folder: str
    notebook: str
    pdf: bool = False


@dataclass(frozen=True)
class NotebookRow:
    """A notebook: title, question and its runs."""

    title: str
    question: str
    runs: list[Run]


@dataclass(frozen=True)
class ScenarioNote:
    """A scenario: name, description, colour, the scenario it starts from ("" for the base case)
    and what it changes from the defaults (the base case), per notebook (its title, then the
    changes in words)."""

    name: str
    description: str
    colour: str
    changes: list[tuple[str, str]]
    starts_from: str = "base"


@dataclass(frozen=True)
class Cell:
    """One scenario's value of a compared result, linked to the report that computes it."""

    text: str
    href: str


@dataclass(frozen=True)
class Row:
    """A result compared across scenarios: its label and a cell per scenario."""

    label: str
    cells: list[Cell]


@dataclass(frozen=True)
class FrontPage:
    """Everything the template shows."""

    title: str
    news_as_of: str
    fx_as_of: str
    pdf: bool
    base: str
    several: bool
    findings: list[KeyFinding]
    failed: int
    runs: int
    notebooks: list[NotebookRow]
    scenarios: list[ScenarioNote]
    compared: list[Row]
    columns: list[tuple[str, str]]  # the compared table's scenarios, base first, with their colours
    style: str
    since: Any = None  # alliancelib.editions.Since, or None without a committed edition
    verdict: Any = None  # alliancelib.verdict.Verdict, or None when a result it needs is missing
    chart: Any = None  # alliancelib.front_chart.FrontChart, or None when 01's results are missing


# --------------------------------------------------------------------------- words


def odds_words(text: str) -> list[str]:
    """The probability words of :data:`ODDS` in a text a reader sees (none belongs on the front
    page or in the README: each finding states its own flip condition instead).

    >>> odds_words("It holds in 99% of plausible cases; the resale values decide it.")
    ['in 99% of plausible cases', 'decide it']
    >>> odds_words("It flips if the resale value falls below 18.5%; the sources put it at 30-50%.")
    []
    """
    return [m.group(0) for m in ODDS.finditer(text)]


def humanise(name: str) -> str:
    """A code name in words, for a result or parameter that has no label.

    >>> humanise("claims_total"), humanise("fx_tolerance_pct"), humanise("sale_proceeds_eur_m")
    ('Claims total', 'Fx tolerance (%)', 'Sale proceeds (EUR m)')
    """
    words = name.split("_")
    unit = {"pct": "%", "eur": "EUR", "usd": "USD", "jpy": "JPY", "m": "m", "bn": "bn"}
    tail: list[str] = []
    while len(words) > 1 and words[-1] in unit:
        tail.insert(0, unit[words.pop()])
    text = " ".join(words) + (f" ({' '.join(tail)})" if tail else "")
    return text[:1].upper() + text[1:]


def plain_value(value: Any) -> str:
    """A parameter value as a reader writes it.

    >>> plain_value(45.94), plain_value(400000), plain_value("third_party"), plain_value(None)
    ('45.94', '400,000', 'third party', 'looked up')
    """
    if value is None:
        return "looked up"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return f"{value:,.10g}"
    return str(value).replace("_", " ")


def param_value(notebook: str, name: str, value: Any) -> str:
    """A parameter value with its unit where the parameters class declares one ("EUR 46.67").

    >>> param_value("99_none", "y", 0.5), param_value("99_none", "buyer", "third_party")
    ('0.5', 'third party')
    """
    from alliancelib.params import Choice, fields_of, unit_of
    from alliancelib.results import format_quantity

    cls = nbs.params_class(notebook)
    field = next((f for f in fields_of(cls) if f.name == name), None) if cls is not None else None
    unit = unit_of(cls, name) if cls is not None and field is not None else ""
    spec = field.metadata.get("spec") if field is not None else None
    if isinstance(spec, Choice) and isinstance(value, str):
        return spec.say(value)
    if unit and isinstance(value, int | float) and not isinstance(value, bool):
        return format_quantity(value, unit, decimals=None if isinstance(value, int) else _written(value))
    return plain_value(value)


def _written(value: float) -> int:
    """The decimals a value was written with (46.67 -> 2, 8.0 -> 0)."""
    text = f"{value:.10g}"
    return len(text.split(".")[1]) if "." in text and "e" not in text else 0


def param_label(notebook: str, source: Path, name: str) -> str:
    """A parameter's name in words: its label in the notebook's parameters class, else the first
    clause of its help comment, else its humanised name."""
    from alliancelib.params import fields_of, label_of

    cls = nbs.params_class(notebook)
    if cls is not None and name in {f.name for f in fields_of(cls)}:
        return label_of(cls, name)
    declared = nbs.declared_parameters(source).get(name) if source.exists() else None
    text = declared.help.split(";")[0].split(" (")[0].strip() if declared else ""
    return text[:1].upper() + text[1:] if text else humanise(name)


def _newest(dates: Sequence[str]) -> str:
    """The newest of dates written YYYY, YYYY-MM or YYYY-MM-DD (a partial date counts from its
    first day; the more precise wins a tie).

    >>> _newest(["2026-04", "2026-03-30", "2026-04-01"])
    '2026-04-01'
    """

    def key(d: str) -> tuple[int, ...]:
        parts = [int(p) for p in d.split("-")]
        return (*parts, *[1] * (3 - len(parts)), len(parts))

    return max(dates, key=key)


# --------------------------------------------------------------------------- the sections


def colour_of(name: str) -> str:
    """A scenario's colour, from its name alone, so adding or removing a scenario never recolours
    another: base, ambitious and cautious have their own; any other name takes one of
    :data:`OTHER_COLOURS` picked by a hash of the name (SHA-256: the same on every machine and run;
    two such names may share a colour, the charts name every dot).

    >>> colour_of("base"), colour_of("cautious") == FIXED_COLOURS["cautious"]
    ('#1f5f8b', True)
    >>> colour_of("analyst") in OTHER_COLOURS and colour_of("analyst") == colour_of("analyst")
    True
    """
    if name in FIXED_COLOURS:
        return FIXED_COLOURS[name]
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    return OTHER_COLOURS[int.from_bytes(digest[:4], "big") % len(OTHER_COLOURS)]


def colours(names: Sequence[str]) -> dict[str, str]:
    """Each scenario's colour (:func:`colour_of`), the same in the scenario list and every chart.

    >>> colours(["ambitious", "base"]) == {"ambitious": "#b3541e", "base": "#1f5f8b"}
    True
    """
    return {name: colour_of(name) for name in names}


def base_scenario(scenarios: Sequence[Scenario]) -> str:
    """The scenario whose findings open the page: ``base`` if built, else the first."""
    names = [s.name for s in scenarios]
    return "base" if "base" in names else names[0]


def _finding_html(text: str, href: str) -> Any:
    """A finding's text as HTML: its inline Markdown rendered (escaped first) by
    :func:`~alliancelib.findings.inline_markdown`, its section links pointing into its report;
    text that is not such Markdown is shown escaped as it is."""
    import html

    from markupsafe import Markup, escape

    from alliancelib.findings import inline_markdown

    try:
        rendered = inline_markdown(text)
    except ValueError:  # a link the box refuses: show the text itself
        return escape(text)
    page = html.escape(href.split("#", 1)[0])
    return Markup(rendered.replace('href="#', f'href="{page}#'))


Items = Sequence[Sequence[Mapping[str, Any]]]


def _pick(per_notebook: Items, limit: int) -> list[tuple[int, Mapping[str, Any]]]:
    """Up to ``limit`` items, one notebook at a time in turn (so every notebook gets a say)."""
    picked: list[tuple[int, Mapping[str, Any]]] = []
    for depth in range(max((len(items) for items in per_notebook), default=0)):
        picked += [(i, items[depth]) for i, items in enumerate(per_notebook) if depth < len(items)]
    return picked[:limit]


def select_findings(per_notebook: Items) -> list[tuple[int, Mapping[str, Any]]]:
    """The collection's key findings from each notebook's findings items (in notebook order):
    the headline ones, one notebook at a time in turn, at most eight, topped up with others to five
    where the notebooks offer fewer; as (notebook index, item), in notebook order. The front page
    and the README both use it."""
    headline = _pick([[i for i in items if i.get("headline")] for items in per_notebook], MAX_FINDINGS)
    rest = _pick(
        [[i for i in items if not i.get("headline")] for items in per_notebook],
        max(0, MIN_FINDINGS - len(headline)),
    )
    return sorted(headline + rest, key=lambda pair: (pair[0], not pair[1].get("headline")))


def key_findings(base: str, outcomes: Sequence[Outcome], titles: Mapping[str, str]) -> list[KeyFinding]:
    """The base scenario's headline findings (round robin across notebooks, at most eight),
    topped up with other findings to five where the notebooks offer fewer."""
    offered = [
        (o.job, [i for i in o.findings.get("items") or [] if isinstance(i, dict) and i.get("text")])
        for o in sorted(outcomes, key=lambda o: o.job.notebook)
        if o.job.scenario == base and o.ok and o.findings
    ]
    out = []
    for n, item in select_findings([items for _, items in offered]):
        job = offered[n][0]
        href = f"{job.scenario}/{job.notebook}.html" + (f"#{item['anchor']}" if item.get("anchor") else "")
        out.append(
            KeyFinding(_finding_html(str(item["text"]), href), href, titles.get(job.notebook, job.notebook))
        )
    return out


def as_of_dates(outcomes: Sequence[Outcome]) -> tuple[str, str]:
    """The newest news and exchange-rate as-of dates among the notebooks' findings records (from
    the data itself when no notebook records findings)."""
    news = [str(o.findings["news_as_of"]) for o in outcomes if o.findings and o.findings.get("news_as_of")]
    fx = [str(o.findings["fx_as_of"]) for o in outcomes if o.findings and o.findings.get("fx_as_of")]
    if news and fx:
        return _newest(news), _newest(fx)
    from alliancelib import data

    sources = data.load("sources")["source_id"]
    return (_newest(news) if news else data.news_as_of(sources)), (_newest(fx) if fx else data.fx_as_of())


def notebook_rows(
    names: Sequence[str],
    outcomes: Sequence[Outcome],
    found: Mapping[str, Path],
    pdf_runs: AbstractSet[tuple[str, str]] = frozenset(),
) -> list[NotebookRow]:
    """Each notebook built: its title, question and one run per scenario (with a PDF link where
    ``pdf_runs`` holds its scenario and notebook)."""
    by_key = {(o.job.scenario, o.job.notebook): o for o in outcomes}
    rows = []
    for nb in sorted({o.job.notebook for o in outcomes}):
        path = found.get(nb)
        runs = [
            Run(sc, o.ok, o.error, sc, nb, o.ok and (sc, nb) in pdf_runs)
            for sc in names
            if (o := by_key.get((sc, nb)))
        ]
        rows.append(NotebookRow(nbs.title(path) if path else humanise(nb), _question(path), runs))
    return rows


def _question(path: Path | None) -> str:
    from alliancelib.findings import plain_text

    return plain_text(nbs.question(path)) if path else ""


def scenario_notes(
    scenarios: Sequence[Scenario], outcomes: Sequence[Outcome], titles: Mapping[str, str]
) -> list[ScenarioNote]:
    """Each scenario with what it starts from and what it changes from the defaults (the base
    case), in labels and plain values."""
    notes = []
    palette = colours([sc.name for sc in scenarios])
    for sc in scenarios:
        changes = []
        for o in sorted((o for o in outcomes if o.job.scenario == sc.name), key=lambda o: o.job.notebook):
            if o.job.overrides:
                values = "; ".join(
                    f"{param_label(o.job.notebook, o.job.source, k)}: {param_value(o.job.notebook, k, v)}"
                    for k, v in o.job.overrides.items()
                )
                changes.append((titles.get(o.job.notebook, humanise(o.job.notebook)), values))
        notes.append(ScenarioNote(sc.name, sc.description, palette[sc.name], changes, sc.starts_from))
    return notes


# --------------------------------------------------------------------------- results compared

# The results a reader compares across scenarios, in the order the page shows them (a notebook's
# other results are in its report and in each scenario's results.json).
COMPARED = (
    ("01_ownership", "sale_proceeds_eur_m"),
    ("02_india_transfer", "utilisation_after_pct"),
    ("02_india_transfer", "new_models_to_target"),
    ("03_ev_pricing", "tco_gap_eur"),
    ("04_ampere_investment", "nissan_implied_stake_pct"),
)


def _decimals(name: str) -> int | None:
    from alliancelib.results import spec_for

    spec = spec_for(name)
    return spec.decimals if spec is not None else None


def value_text(record: Mapping[str, Any] | None) -> str:
    """A recorded result's value as a reader writes it ("no result" if absent).

    >>> value_text({"name": "x_pct", "value": 64.5, "unit": "%"}), value_text(None)
    ('64.5%', 'no result')
    """
    from alliancelib.results import format_quantity

    if record is None or record.get("value") is None:
        return "no result"
    return format_quantity(record["value"], str(record.get("unit", "")), _decimals(str(record["name"])))


def _label(records: Sequence[Mapping[str, Any] | None]) -> str:
    for r in records:
        if r is not None and r.get("label"):
            return str(r["label"])
    return humanise(next(str(r["name"]) for r in records if r is not None))


def compared_rows(
    names: Sequence[str], outcomes: Sequence[Outcome], compared: Sequence[tuple[str, str]] = COMPARED
) -> list[Row]:
    """The results of ``compared`` a reader compares across the scenarios ``names``: with several
    scenarios, only those whose value differs between them (as written: a difference the page would
    not show is none); with one, each it recorded. Each cell links to its scenario's report."""
    by_key = {(o.job.scenario, o.job.notebook): o for o in outcomes}
    rows = []
    for nb, name in compared:
        runs = [by_key.get((sc, nb)) for sc in names]
        records = [o.results.get(name) if o is not None and o.ok else None for o in runs]
        if all(r is None for r in records):
            continue
        texts = [value_text(r) for r in records]
        if len(names) > 1 and len(set(texts)) == 1:
            continue  # the same in every scenario: said once, in the reports
        cells = [Cell(t, f"{sc}/{nb}.html") for sc, t in zip(names, texts, strict=True)]
        rows.append(Row(_label(records), cells))
    return rows


# --------------------------------------------------------------------------- the page


def front_page(
    scenarios: Sequence[Scenario],
    outcomes: Sequence[Outcome],
    notebook_dir: Path = NOTEBOOKS_DIR,
    pdf: bool = False,
    pdf_runs: AbstractSet[tuple[str, str]] | None = None,
) -> FrontPage:
    """What the index shows, gathered from the build's outcomes. ``pdf`` says whether the index
    itself is printed; ``pdf_runs`` which reports have a PDF (every report that built, when
    omitted and ``pdf`` is set)."""
    from markupsafe import Markup

    from alliancelib.export import style_sheet

    found = nbs.discover(notebook_dir)
    titles = {nb: nbs.title(path) for nb, path in found.items()}
    names = [sc.name for sc in scenarios]
    news, fx = as_of_dates(outcomes)
    return FrontPage(
        title="Renault–Nissan–Mitsubishi alliance restructuring of 31 March 2025",
        news_as_of=news,
        fx_as_of=fx,
        pdf=pdf,
        base=base_scenario(scenarios),
        several=len(names) > 1,
        findings=key_findings(base_scenario(scenarios), outcomes, titles),
        failed=sum(not o.ok for o in outcomes),
        runs=len(outcomes),
        notebooks=notebook_rows(names, outcomes, found, _pdf_runs(outcomes, pdf, pdf_runs)),
        scenarios=scenario_notes(scenarios, outcomes, titles),
        compared=compared_rows(_base_first(names), outcomes),
        columns=[(n, colour_of(n)) for n in _base_first(names)],
        style=Markup(style_sheet("print.css")),  # the project's own style sheet
        since=since_edition(base_scenario(scenarios), outcomes, notebook_dir),
        verdict=verdict_of(base_scenario(scenarios), outcomes, found, news),
        chart=chart_of(base_scenario(scenarios), outcomes, found),
    )


def _base_first(names: Sequence[str]) -> list[str]:
    """The scenarios with the base case first (the column a reader compares the others with).

    >>> _base_first(["ambitious", "base", "cautious"])
    ['base', 'ambitious', 'cautious']
    """
    return sorted(names, key=lambda n: n != "base")


def verdict_of(base: str, outcomes: Sequence[Outcome], found: Mapping[str, Path], news: str) -> Any:
    """The verdict from the base scenario's results (None when one it needs is missing)."""
    from alliancelib import verdict

    runs = [o for o in outcomes if o.job.scenario == base and o.ok]
    return verdict.build_verdict(
        base,
        {o.job.notebook: o.results for o in runs},
        {o.job.notebook: o.job.parameters for o in runs},
        news,
        {nb: verdict.headings(path) for nb, path in found.items()},
    )


def chart_of(base: str, outcomes: Sequence[Outcome], found: Mapping[str, Path]) -> Any:
    """The front page's chart from the base scenario's 01 results, linked to the section of 01 that
    computes it (None when 01 did not build or its results disagree with the chart)."""
    from alliancelib import front_chart, verdict

    runs = [o for o in outcomes if o.job.scenario == base and o.ok and o.job.notebook == verdict.OWNERSHIP]
    if not runs:
        return None
    href = verdict.section_href(base, "weight", {nb: verdict.headings(path) for nb, path in found.items()})
    return front_chart.stake_chart(runs[0].results, href)


def since_edition(base: str, outcomes: Sequence[Outcome], notebook_dir: Path) -> Any:
    """What moved since the newest edition committed beside the notebooks (``editions/`` next to
    ``notebooks/``), for the base scenario's results and findings and the data built from; None
    without an edition (or when the base scenario did not build every notebook the edition has)."""
    from alliancelib import data, editions

    repo = notebook_dir.resolve().parent
    if not editions.edition_files(repo):
        return None
    runs = [o for o in outcomes if o.job.scenario == base and o.ok]
    results = {o.job.notebook: o.results for o in runs}
    findings = {
        o.job.notebook: {
            str(i["key"]): str(i["text"])
            for i in (o.findings or {}).get("items") or []
            if isinstance(i, dict) and "key" in i
        }
        for o in runs
    }
    last = editions.read_edition(editions.edition_files(repo)[-1])
    if set(last.results) - set(results):
        return None  # a partial build cannot say what moved in the notebooks it did not build
    since = editions.since_last_edition(editions.current_state(results, findings, data.data_dir()), repo)
    return None if since is None else since_view(since)


@dataclass(frozen=True)
class SinceView:
    """The front page's line on the last edition: one sentence counting the key findings and results
    that changed (a reader's page carries no changelog: every line is in CHANGELOG.md and the
    ``alliance diff`` command it names)."""

    sentence: str
    command: str


def changed_words(n_findings: int, n_results: int) -> str:
    """The counts as a reader says them.

    >>> changed_words(1, 0), changed_words(34, 62), changed_words(0, 1)
    ('1 key finding', '34 key findings and 62 results', '1 result')
    """
    parts = [
        f"{n} {word}{'s' * (n != 1)}" for n, word in ((n_findings, "key finding"), (n_results, "result")) if n
    ]
    return " and ".join(parts)


def since_view(since: Any) -> SinceView:
    """The line's words from an :class:`alliancelib.editions.Since`."""
    moved = changed_words(len(since.findings), len(since.results))
    day = say_date(since.date)
    if since.in_edition:
        command = f"alliance diff v{since.previous} v{since.version}"
        sentence = (
            f"The last edition (v{since.version}, {day}) changed {moved} against v{since.previous}."
            if moved
            else f"The last edition (v{since.version}, {day}) changed no key finding or result."
        )
    else:
        command = f"alliance diff v{since.version} ."
        sentence = (
            f"Since the last edition (v{since.version}, {day}), {moved} changed."
            if moved
            else f"Since the last edition (v{since.version}, {day}), no key finding or result changed."
        )
    return SinceView(sentence, command)


def _pdf_runs(
    outcomes: Sequence[Outcome], pdf: bool, pdf_runs: AbstractSet[tuple[str, str]] | None
) -> AbstractSet[tuple[str, str]]:
    if pdf_runs is not None:
        return pdf_runs
    return {(o.job.scenario, o.job.notebook) for o in outcomes if o.ok} if pdf else frozenset()


def day_words(day: str) -> str:
    """A page date as a reader writes it, as it stands when it is not an ISO date.

    >>> day_words("2026-10-05"), day_words("2026-05"), day_words("unknown")
    ('5 October 2026', 'May 2026', 'unknown')
    """
    try:
        return say_date(day)
    except (ValueError, IndexError):
        return day


@cache
def _environment() -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["day"] = day_words
    return env


def render_index(
    scenarios: Sequence[Scenario],
    outcomes: Sequence[Outcome],
    notebook_dir: Path = NOTEBOOKS_DIR,
    pdf: bool = False,
    pdf_runs: AbstractSet[tuple[str, str]] | None = None,
) -> str:
    """The index page as HTML (see the module's docstring and :func:`front_page`)."""
    page = front_page(scenarios, outcomes, notebook_dir, pdf, pdf_runs)
    html: str = _environment().get_template(TEMPLATE).render(page=page)
    return re.sub(r"[ \t]+\n", "\n", html)
