"""How the uncertainty layer shows itself (split from :mod:`alliancelib.uncertainty`, which re-exports
these names): its sentences (robustness, ranges), the plausible-ranges table, the summary of the
headline results and the range chart."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from alliancelib.core.words import percent
from alliancelib.params import (
    KIND_WORDS,
    Plausible,
    fields_of,
    label_of,
    plain_number,
    unit_of,
)

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

from alliancelib.uncertainty import (  # noqa: E402
    N_DRAWS,
    SEED,
    SOBOL_N,
    Assessment,
    Conclusion,
    Range,
    Verdict,
    _breakeven_decimals,
    _written_decimals,
    as_numbers,
    assess,
    breakeven,
    conclusions_of,
    design,
    draw,
    evaluate,
    from_unit,
    held_inputs,
    sobol_indices,
    uncertain_inputs,
)

# --------------------------------------------------------------------------- words


PROPER_NOUNS = frozenset(
    {
        "Renault",
        "Nissan",
        "Mitsubishi",
        "Twingo",
        "Chennai",
        "Ampere",
        "Dacia",
        "Sandero",
        "Europe",
        "European",
        "France",
        "French",
        "India",
        "Japan",
        "ECB",
    }
)


def in_sentence(label: str) -> str:
    """A label inside a sentence: its first letter in lower case unless the first word is a name or
    an acronym.

    >>> in_sentence("EV resale value"), in_sentence("Renault share price"), in_sentence("Distance driven")
    ('EV resale value', 'Renault share price', 'distance driven')
    """
    first = label.split(" ", 1)[0]
    if first in PROPER_NOUNS or not re.fullmatch(r"[A-Z][a-z]+", first):
        return label
    return label[:1].lower() + label[1:]


def _labels(a: Assessment, labels: Any) -> dict[str, str]:
    """The inputs' labels: the assessment's, overridden by ``labels`` (a mapping by parameter
    name, or a parameters object whose labels to use)."""
    if labels is None:
        return dict(a.labels)
    if not isinstance(labels, Mapping):
        labels = {f.name: label_of(type(labels), f.name) for f in fields_of(type(labels))}
    return {**a.labels, **labels}


def _names(a: Assessment, inputs: Sequence[str], labels: Any) -> list[str]:
    named = _labels(a, labels)
    return [in_sentence(named.get(name, name)) for name in inputs]


def _leading(a: Assessment, name: str) -> list[str]:
    """The one or two inputs a sentence names: the first by total index, and the second when its
    total index is at least half the first's."""
    deciding = a.deciding(name)[:2]
    if len(deciding) < 2:
        return deciding
    frame = a.indices if name in a.ranges else a.conclusion_indices
    key = "result" if name in a.ranges else "conclusion"
    total = frame[frame[key] == name].set_index("input")["total"]
    return deciding if total[deciding[1]] >= 0.5 * total[deciding[0]] else deciding[:1]


def _quantity(value: float, unit: str, decimals: int | None = None) -> str:
    from alliancelib.results import format_quantity

    return format_quantity(value, unit, decimals) if unit else plain_number(_rounded(value, decimals))


def _rounded(value: float, decimals: int | None) -> float:
    from alliancelib.results import auto_decimals

    return round(value, auto_decimals(value) if decimals is None else decimals)


def _result_label(a: Assessment, name: str) -> str:
    spec = a.specs.get(name)
    return str(getattr(spec, "label", name))


def robustness_sentence(a: Assessment, conclusion: Conclusion | str, labels: Any = None) -> str:
    """One sentence on a conclusion: in how many plausible cases it holds and which input decides
    it, with its break-even where one was found.

    E.g. "Holds in 71% of plausible cases; it turns on the EV resale value (break-even 36.8%)."
    ``labels`` overrides the inputs' labels: a mapping by parameter name, or a parameters object.
    """
    v = a.verdicts[conclusion if isinstance(conclusion, str) else conclusion.key]
    if v.share is None:
        return f"Cannot be judged: {in_sentence(_result_label(a, v.result))} exists in no plausible case."
    if v.share >= 1.0 or v.share <= 0.0:
        text = f"Holds in {'every' if v.share >= 1.0 else 'no'} plausible case"
    else:
        text = f"Holds in {percent(v.share)} of plausible cases"
    if v.share_defined < 1.0:
        where = in_sentence(_result_label(a, v.result))
        text += f" where {where} exists ({percent(v.share_defined)} of them)"
    deciding = _leading(a, v.key) if v.flips else []
    if deciding:
        text += "; it turns on " + " and ".join(_names(a, deciding, labels))
        if v.breakeven is not None and v.breakeven[0] == deciding[0]:
            name, value = v.breakeven
            at = _quantity(value, a.units.get(name, ""), _breakeven_decimals(a.inputs[name]))
            text += f" (break-even {at})"
    return text + "."


def range_sentence(a: Assessment, result: Any, labels: Any = None) -> str:
    """One sentence on a numeric result (a name or its ResultSpec): its 90% range and the inputs
    that decide it, e.g. "Between EUR 3.0bn and EUR 3.2bn in 90% of plausible cases; decided
    mostly by the Renault share price." """
    name = getattr(result, "name", result)
    spec = a.specs.get(name, result)
    unit, decimals = str(getattr(spec, "unit", "")), getattr(spec, "decimals", None)
    r = a.ranges[name]
    if r.low is None or r.high is None:
        return "No value in any plausible case."
    if not r.varies:
        return f"{_quantity(r.low, unit, decimals)} in every plausible case: no uncertain input moves it."
    text = (
        f"Between {_quantity(r.low, unit, decimals)} and {_quantity(r.high, unit, decimals)} "
        "in 90% of plausible cases"
    )
    if r.share_defined < 1.0:
        text += f" where it exists ({percent(r.share_defined)} of them)"
    deciding = _leading(a, name)
    if deciding:
        text += "; decided mostly by " + " and ".join(_names(a, deciding, labels))
    return text + "."


# the tables and the range chart live in alliancelib.uncertainty_show (re-exported here)


# --------------------------------------------------------------------------- tables


def _input_text(value: Any, unit: str) -> str:
    """An input's value as written (no digits added), with its unit."""
    if value is None:
        return "looked up"
    if isinstance(value, str):
        return value
    return _quantity(float(value), unit, _written_decimals(value)) if unit else plain_number(value)


def _input_row(p: Any, name: str, pl: Plausible, held: bool) -> dict[str, str]:
    cls = type(p)
    unit = unit_of(cls, name)
    if pl.options:
        low, high = ", ".join(pl.options), ""
    else:
        low, high = _input_text(pl.low, unit), _input_text(pl.high, unit)
    basis = pl.basis + (" (set outside this range: held at the value set)" if held else "")
    return {
        "input": label_of(cls, name),
        "default_value": _input_text(getattr(p, name), unit),
        "low_value": low,
        "high_value": high,
        "range_kind": KIND_WORDS[pl.kind].capitalize(),
        "basis": basis,
    }


def ranges_table(p: Any) -> pd.DataFrame:
    """One row per uncertain input (declaration order): its label, value, low, high, kind of range
    and basis, as text a reader reads (columns ``input``, ``default_value``, ``low_value``,
    ``high_value``, ``range_kind``, ``basis``: headers from :mod:`alliancelib.fields`). An input
    set outside its range is listed too, and its basis says it was held at the value set."""
    drawn, held = uncertain_inputs(p), held_inputs(p)
    rows = [
        _input_row(p, f.name, (drawn | held)[f.name], f.name in held)
        for f in fields_of(type(p))
        if f.name in drawn or f.name in held
    ]
    return pd.DataFrame(
        rows, columns=["input", "default_value", "low_value", "high_value", "range_kind", "basis"]
    )


Formatter = Callable[[Any, float], str]


def format_result(spec: Any, value: float) -> str:
    """A result's value in its spec's unit and decimals (the default formatter of the tables and
    the chart; a notebook may pass its own ``fmt(spec, value)``)."""
    return _quantity(value, str(getattr(spec, "unit", "")), getattr(spec, "decimals", None))


def _specs_for(a: Assessment, specs: Sequence[Any] | None) -> list[Any]:
    """The result specs to show, in order (default: those given to :func:`assess`)."""
    chosen = list(a.specs.values()) if specs is None else list(specs)
    return [s for s in chosen if getattr(s, "name", s) in a.ranges]


def summary_table(
    a: Assessment, specs: Sequence[Any] | None = None, fmt: Formatter | None = None, labels: Any = None
) -> pd.DataFrame:
    """Every numeric result with its value at the defaults, its 90% range (or why it has none) and
    its deciding inputs (columns ``result_label``, ``value_text``, ``range_text``,
    ``deciding_inputs``). ``specs``: the results to show, in order (default: all); ``fmt(spec,
    value)``: how a value reads (default :func:`format_result`); ``labels``: as in
    :func:`robustness_sentence`."""
    fmt = fmt or format_result
    a = a.as_recorded()
    named = _labels(a, labels)
    rows = []
    for spec in _specs_for(a, specs):
        name = getattr(spec, "name", spec)
        r = a.ranges[name]
        value = "none" if r.value is None else fmt(spec, r.value)
        if r.has_range and r.low is not None and r.high is not None:
            span = f"{fmt(spec, r.low)} to {fmt(spec, r.high)}"
        else:
            span = r.note or "no range"
        deciding = ", ".join(named.get(i, i) for i in a.deciding(name)[:3]) if r.has_range else ""
        rows.append(
            {
                "result_label": _result_label(a, name),
                "value_text": value,
                "range_text": span,
                "deciding_inputs": deciding,
            }
        )
    return pd.DataFrame(rows, columns=["result_label", "value_text", "range_text", "deciding_inputs"])


# --------------------------------------------------------------------------- the range chart


def _chart_rows(a: Assessment, specs: Sequence[Any]) -> list[tuple[Any, Range]]:
    return [(s, a.ranges[s.name]) for s in specs if s.name in a.ranges and a.ranges[s.name].has_range]


def _scale(r: Range) -> float:
    """The row's scale: its largest magnitude, so that each row runs from zero to +-1."""
    ends = [abs(x) for x in (r.low, r.high, r.value) if x is not None]
    return max(ends) or 1.0


def ranges_title(a: Assessment, specs: Sequence[Any]) -> str:
    """The range chart's title, stating its message: which results can change sign, else which
    moves most relative to its size."""
    rows = _chart_rows(a, specs)
    if not rows:
        return "No uncertain input moves the headline results"
    crossing = [s.label for s, r in rows if r.low is not None and r.high is not None and r.low < 0 < r.high]
    if crossing:
        rest = "; the other results keep their sign" if len(crossing) < len(rows) else ""
        return f"{crossing[0]} can go either way across the plausible inputs{rest}"
    widest = max(rows, key=lambda sr: (sr[1].high - sr[1].low) / _scale(sr[1]))  # type: ignore[operator]
    return (
        f"Every result keeps its sign across the plausible inputs; {in_sentence(widest[0].label)} moves most"
    )


def plot_ranges(
    a: Assessment,
    specs: Sequence[Any] | None = None,
    fmt: Formatter | None = None,
    *,
    title: str | None = None,
    recorded: Mapping[str, tuple[float, float]] | None = None,
) -> Figure:
    """The headline results across the plausible inputs: one row per result with a range, a bar
    over its recorded range (5th to 95th percentile, widened to the value at the defaults where that
    lies outside: :meth:`Assessment.result_ranges`), a dot at its value at the defaults, the three numbers
    written in the result's unit, and a line at zero.

    Results have different units, so each row is drawn to its own scale **from zero** (its largest
    magnitude at the edge): a bar's length against its row shows how uncertain the result is
    relative to its size, and the shared zero line shows where a sign would flip, which a
    "% change from the default" axis cannot (it breaks for a result near zero, such as a cost gap).
    Numbers are written beside the bars rather than on an axis (``fmt(spec, value)``, default
    :func:`format_result`). Results without a range (fixed or never existing) are left out: the
    summary table says why. ``title`` overrides the computed one (:func:`ranges_title`); ``recorded``
    gives the ranges a notebook records where it rounds them (the bars then match its table).
    """
    from alliancelib import charts

    a = a.as_recorded(recorded)
    specs = [s for s in _specs_for(a, specs) if hasattr(s, "label")]
    rows = _chart_rows(a, specs)
    fig, ax = charts.figure(8.0, 1.5 + 0.62 * max(1, len(rows)))
    for y, (spec, r) in enumerate(reversed(rows)):
        _draw_row(ax, y, spec, r, fmt or format_result)
    ax.axvline(0, color="#555555", lw=0.8, zorder=1)
    ax.set_yticks(range(len(rows)), [charts.wrap(s.label, 2.4, 9.5) for s, _ in reversed(rows)])
    ax.set_ylim(-0.7, max(len(rows), 1) - 0.3)
    has_negative = any(r.low is not None and r.low < 0 for _, r in rows)
    ax.set_xlim(-1.6 if has_negative else -0.55, 1.6)
    ax.set_xticks([])
    ax.tick_params(axis="y", length=0)
    for side in ("bottom", "left"):
        ax.spines[side].set_visible(False)
    charts.style_axes(
        ax,
        title=title or ranges_title(a, specs),
        xlabel=charts.wrap(
            "Bar: the middle 90% of plausible cases. Dot: the value at the "
            "defaults. Each row to its own scale from zero.",
            4.8,
            9.5,
        ),
    )
    ax.grid(False)
    return fig


def _draw_row(ax: Any, y: float, spec: Any, r: Range, fmt: Formatter) -> None:
    from alliancelib import charts

    assert r.low is not None and r.high is not None
    scale = _scale(r)
    lo, hi = r.low / scale, r.high / scale
    colour = charts.PALETTE["accent"]
    ax.barh(y, max(hi - lo, 0.004), left=lo, height=0.34, color=colour, alpha=0.35, zorder=2)
    grey = {"va": "center", "fontsize": 8, "color": "#333333"}
    shown = None if r.value is None else fmt(spec, r.value)
    # an end that reads as the value itself (a default at the edge of its range) is written once,
    # above the dot, not again at the bar's end
    if fmt(spec, r.low) != shown:
        ax.text(lo, y, fmt(spec, r.low) + "  ", ha="right", **grey)
    if fmt(spec, r.high) != shown:
        ax.text(hi, y, "  " + fmt(spec, r.high), ha="left", **grey)
    if r.value is not None:
        ax.plot([r.value / scale], [y], marker="o", markersize=6, color=colour, zorder=3)
        ax.annotate(
            fmt(spec, r.value),
            (r.value / scale, y),
            xytext=(0, 7),
            textcoords="offset points",
            ha="center",
            va="bottom",
            fontsize=8,
            color=colour,
        )


__all__ = [
    "Assessment",
    "Conclusion",
    "N_DRAWS",
    "Range",
    "SEED",
    "SOBOL_N",
    "Verdict",
    "as_numbers",
    "assess",
    "breakeven",
    "conclusions_of",
    "design",
    "draw",
    "evaluate",
    "format_result",
    "from_unit",
    "held_inputs",
    "in_sentence",
    "percent",
    "plot_ranges",
    "range_sentence",
    "ranges_table",
    "ranges_title",
    "robustness_sentence",
    "sobol_indices",
    "summary_table",
    "uncertain_inputs",
]


# --------------------------------------------------------------------------- the technical appendix

APPENDIX_LOW_SHARE = 0.03  # below this share (or above 1 - it) no input is named as moving a conclusion
APPENDIX_COLUMNS = ["conclusion", "tested_share", "share_se", "moved_most_by"]


def moved_most_by(a: Assessment, key: str) -> str | None:
    """The input that moves conclusion ``key`` most, named only where that is supported: its share
    of the tested range lies between :data:`APPENDIX_LOW_SHARE` and 1 minus it, a Sobol' design was
    run, and the input's total index minus two standard errors exceeds the next input's plus two
    (else None). The Monte Carlo noise of near-certain conclusions names no input."""
    v = a.verdicts[key]
    if v.share is None or not APPENDIX_LOW_SHARE <= v.share <= 1 - APPENDIX_LOW_SHARE or not a.sobol_n:
        return None
    rows = a.conclusion_indices[a.conclusion_indices["conclusion"] == key]
    rows = rows.sort_values(["total", "input"], ascending=[False, True], kind="stable")
    if rows.empty or float(rows.iloc[0]["total"]) <= 0:
        return None
    top = rows.iloc[0]
    if len(rows) > 1:
        nxt = rows.iloc[1]
        if float(top["total"]) - 2 * float(top["total_se"]) <= float(nxt["total"]) + 2 * float(
            nxt["total_se"]
        ):
            return None
    return str(top["input"])


def _bounds() -> dict[str, str]:
    return {"low_share": percent(APPENDIX_LOW_SHARE), "high_share": percent(1 - APPENDIX_LOW_SHARE)}


def appendix_text(a: Assessment, labels: Any = None) -> str:
    """The technical appendix's paragraph (``alliancelib/templates/appendix.md.j2``): how the share
    of the tested range is made and why it is not a probability; ``labels`` as in
    :func:`appendix_table`."""
    from alliancelib.core.prose import render_shared

    if not a.inputs:
        return render_shared("appendix", "intro_fixed")
    named = _labels(a, labels)
    return render_shared(
        "appendix",
        "intro",
        draws=a.n,
        n_inputs=len(a.inputs),
        inputs=[in_sentence(named.get(name, name)) for name in a.inputs],
        seed=a.seed,
        sobol_n=a.sobol_n * len(a.inputs),
        **_bounds(),
    )


def appendix_caption() -> str:
    """The appendix table's caption."""
    from alliancelib.core.prose import render_shared

    return render_shared("appendix", "caption")


def _share_words(v: Verdict) -> str:
    from alliancelib.core.prose import render_shared

    if v.share is None:
        return render_shared("appendix", "not_judged")
    if v.holds_everywhere:
        return render_shared("appendix", "share_every")
    if v.fails_everywhere:
        return render_shared("appendix", "share_none")
    return render_shared("appendix", "share_some", share=v.share)


def appendix_table(a: Assessment, labels: Any = None) -> pd.DataFrame:
    """One row per conclusion (in the order given to :func:`assess`): its statement, the share of
    the tested range in which it holds (words: "all" where it holds at every corner and draw,
    "none" where it holds at none), the share's Monte Carlo standard error (blank where the share is
    all or none), and the input that moves it most where :func:`moved_most_by` names one (columns
    :data:`APPENDIX_COLUMNS`; headers from :mod:`alliancelib.fields`). ``labels``: reader names of
    the inputs (default: the parameters' labels)."""
    from alliancelib.core.prose import render_shared

    named = _labels(a, labels)
    rows = []
    for key, v in a.verdicts.items():
        decided = moved_most_by(a, key)
        some = v.share is not None and not v.holds_everywhere and not v.fails_everywhere
        rows.append(
            {
                "conclusion": v.statement[:1].upper() + v.statement[1:],
                "tested_share": _share_words(v),
                "share_se": render_shared("appendix", "se", se_points=100 * v.share_se) if some else "",
                "moved_most_by": in_sentence(named.get(decided, decided))
                if decided
                else render_shared("appendix", "no_input", **_bounds())
                if some
                else "",
            }
        )
    return pd.DataFrame(rows, columns=APPENDIX_COLUMNS)
