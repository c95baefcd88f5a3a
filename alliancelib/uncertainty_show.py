"""How the uncertainty layer shows itself (split from :mod:`alliancelib.uncertainty`, which re-exports
these names): the table of the stated ranges of the inputs, the summary of the headline results
across them, and the technical appendix (the share of the tested range; not a probability)."""

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
    pass

from alliancelib.uncertainty import (  # noqa: E402
    Assessment,
    Verdict,
    _written_decimals,
    held_inputs,
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


def _quantity(value: float, unit: str, decimals: int | None = None) -> str:
    from alliancelib.results import format_quantity

    return format_quantity(value, unit, decimals) if unit else plain_number(_rounded(value, decimals))


def _rounded(value: float, decimals: int | None) -> float:
    from alliancelib.results import auto_decimals

    return round(value, auto_decimals(value) if decimals is None else decimals)


def _result_label(a: Assessment, name: str) -> str:
    spec = a.specs.get(name)
    return str(getattr(spec, "label", name))


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
