"""Notebook 00's model: the parameters and their rules, the conversions checked against the ECB rate,
the promises' outcomes from their dates, the recorded results (:data:`RESULTS`, :func:`headline`,
vectorised: ``reference_date`` and ``fx_tolerance_pct`` may be arrays) and the conclusion the
technical appendix tests. Pure functions of the parameters and of :mod:`.inputs`; no words.

**Which day's rate.** The article does not say which day's rate it used: :data:`REFERENCE_DATES`
holds the four ECB fixings around the announcement and the article, and the report states each
day's gaps and the day that matches (:func:`day_gaps`, :func:`closest_fixing`). A conversion outside
the tolerance of the reference date's fixing is *unverified* at that date (a market rate of another
day, not an error; research ev-pricing-and-fx section 5), never *contradicted*. The tolerance's
break-even (``fx_tolerance_breakeven_pct``) is the larger of the two gaps: from it up, both hold.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from alliancelib.errors import FxLookupError, ParameterError
from alliancelib.params import IsoDate, Number, Plausible, fields_of, param, validate
from alliancelib.results import ResultSpec
from alliancelib.topics.claims.inputs import Base, base, held_usd_range, usd_rate
from alliancelib.uncertainty import Conclusion

NOTEBOOK = "00_claims_and_timeline"
TOPIC = "claims"

# the stated ranges (their numbers are checked against the data in tests/test_claims.py)
AMPERE_ROUNDING_PCT = 0.08  # USD 649m rounded to the million: 0.5 / 649 = 0.077% either way
MARCH_2025_DAILY_MOVE_PCT = 0.24  # median day-to-day move of the ECB USD rate, March 2025 (21 moves)
REFERENCE_DATES = Plausible(
    options=("2025-03-27", "2025-03-28", "2025-03-31", "2025-04-01"),
    basis="the ECB fixings of the two working days before the announcement (31 March 2025), of the "
    "announcement and of the article (1 April 2025): the article does not say which day's rate it used",
    kind="spread",
)

# section headings the findings link to


@dataclass(frozen=True)
class ClaimsParams:
    """Parameters of ``00_claims_and_timeline``."""

    reference_date: str = param(
        "2025-03-31",
        IsoDate(bounds=lambda: held_usd_range(), bounds_label=" (ECB USD fixings held)"),
        "date whose ECB EUR/USD fixing the article's conversions are checked against (YYYY-MM-DD)",
        label="Date of the ECB rate used",
        plausible=REFERENCE_DATES,
    )
    fx_tolerance_pct: float = param(
        0.1,
        Number(minimum=0, maximum=100),
        "largest gap (%) between the article's implied rate and the ECB rate that still corroborates",
        label="Tolerance for a conversion",
        unit="%",
        plausible=Plausible(
            AMPERE_ROUNDING_PCT,
            MARCH_2025_DAILY_MOVE_PCT,
            "from the rounding of USD 649m to the million (0.08% either way) to the median day-to-day "
            "move of the ECB rate in March 2025 (0.24%): a market rate of the day may sit that far "
            "from the fixing",
            "judgement",
        ),
    )


def _fixing_exists(p: ClaimsParams) -> None:
    """The reference date must have an ECB fixing within the staleness rule (a ParameterError)."""
    try:
        usd_rate(p.reference_date)
    except FxLookupError as exc:
        raise ParameterError(NOTEBOOK, "reference_date", p.reference_date, str(exc)) from None


def validate_params(**values: Any) -> ClaimsParams:
    """The notebook's parameters, validated (ParameterError names what is wrong)."""
    __tracebackhide__ = True
    return validate(ClaimsParams, NOTEBOOK, values, rules=[_fixing_exists])


# --------------------------------------------------------------------------- the conversions


@dataclass(frozen=True)
class FxCheck:
    """One conversion of the article checked against a reference rate."""

    base_value: float  # amount in euros (in the claim's base unit)
    quoted_value: float  # the article's converted amount (in the claim's unit)
    implied_rate: float  # quoted / base, USD per EUR
    reference_rate: float  # ECB rate used, USD per EUR
    deviation_pct: float  # (implied - reference) / reference x 100
    reference_value: float  # base x reference rate, in the claim's unit
    status: str  # corroborated, or unverified (outside the tolerance)


def gap_pct(quoted: Any, base: Any, rate: Any) -> Any:
    """The gap (%) between the rate a conversion implies (quoted / base) and ``rate``:
    (quoted / base / rate - 1) x 100. Broadcasts over arrays.

    >>> round(float(gap_pct(21639, 20000, 1.0815)), 4)
    0.0416
    """
    return (
        np.asarray(quoted, dtype=float) / np.asarray(base, dtype=float) / np.asarray(rate, dtype=float) - 1.0
    ) * 100.0


def holds(gap: Any, tolerance_pct: Any) -> Any:
    """Whether a conversion's gap lies within the tolerance (|gap| <= tolerance, with 1e-12 of slack
    for floating point). Broadcasts over arrays."""
    return np.abs(np.asarray(gap, dtype=float)) <= np.asarray(tolerance_pct, dtype=float) + 1e-12


def check_conversion(
    base_value: float, quoted_value: float, reference_rate: float, tolerance_pct: float
) -> FxCheck:
    """Check ``base_value`` EUR = ``quoted_value`` USD against ``reference_rate`` (USD per EUR).

    Within ``tolerance_pct`` (|deviation| <= tolerance) the claim is corroborated; outside it it is
    unverified at that rate (a market rate of another day is not an error).

    >>> c = check_conversion(20000, 21639, 1.0815, 0.1)
    >>> round(c.implied_rate, 5), round(c.deviation_pct, 4), c.status
    (1.08195, 0.0416, 'corroborated')
    >>> check_conversion(20000, 21639, 1.0815, 0.01).status
    'unverified'
    """
    if base_value <= 0 or quoted_value <= 0 or reference_rate <= 0:
        raise ValueError("amounts and rates must be positive")
    deviation = float(gap_pct(quoted_value, base_value, reference_rate))
    status = "corroborated" if bool(holds(deviation, tolerance_pct)) else "unverified"
    return FxCheck(
        base_value,
        quoted_value,
        quoted_value / base_value,
        reference_rate,
        deviation,
        base_value * reference_rate,
        status,
    )


def rounding_pct(quoted: float, step: float = 1.0) -> float:
    """How far rounding ``quoted`` to the nearest ``step`` can move the rate it implies, either way
    (%): half a step over the quoted figure.

    >>> round(rounding_pct(649), 4), round(rounding_pct(21639), 5)
    (0.077, 0.00231)
    """
    return step / 2 / quoted * 100


# --------------------------------------------------------------------------- plans as outcomes


def _day(value: str | dt.date) -> dt.date:
    from alliancelib.data import parse_partial_date

    return value if isinstance(value, dt.date) else parse_partial_date(value)


def _given(value: Any) -> str | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    text = str(value).strip()
    return text or None


def plan_outcome(due: Any, done_on: Any, abandoned_on: Any, as_of: str | dt.date) -> str:
    """The outcome of a plan as of ``as_of``, from its partial dates (YYYY, YYYY-MM or YYYY-MM-DD).

    - ``not_done``: a source says, on or before ``as_of``, that it will not happen (and it was
      not done before that);
    - ``on_time``: done on or before ``as_of`` and on or before the last day of its due period
      (``2026`` is due until 2026-12-31), or done with no due date given;
    - ``slipped``: done, but after the last day of its due period;
    - ``overdue``: not shown done and its due period ended before ``as_of``;
    - ``pending``: not shown done and not yet due, or no due date given.

    A date known only to the month or the year counts from its first day (the data's convention):
    a completion "2025-05" for a plan due "2025-05" is on time. ``as_of`` likewise.

    >>> plan_outcome("2025", "2025-08-01", None, "2026-03-12")
    'on_time'
    >>> plan_outcome("2025-05", None, None, "2026-03-12"), plan_outcome("2026", None, None, "2026-03-12")
    ('overdue', 'pending')
    """
    when = _day(as_of)
    due_, done, gone = _given(due), _given(done_on), _given(abandoned_on)
    done_day = _day(done) if done and _day(done) <= when else None
    gone_day = _day(gone) if gone and _day(gone) <= when else None
    if gone_day is not None and (done_day is None or gone_day < done_day):
        return "not_done"
    if done_day is not None:
        if due_ is None:
            return "on_time"
        from alliancelib.data import partial_date_end

        return "on_time" if done_day <= partial_date_end(due_) else "slipped"
    if due_ is not None:
        from alliancelib.data import partial_date_end

        if partial_date_end(due_) < when:
            return "overdue"
    return "pending"


# --------------------------------------------------------------------------- headline results


def _spec(name: str, unit: str, label: str, decimals: int | None) -> ResultSpec:
    return ResultSpec(name, unit, label, decimals)


RESULTS = [
    _spec("claims_total", "claims", "Claims of the article checked", 0),
    _spec("claims_corroborated", "claims", "Claims corroborated by a source or by the ECB rate", 0),
    _spec("claims_contradicted", "claims", "Claims a source contradicts", 0),
    _spec(
        "claims_unverified",
        "claims",
        "Claims no source settles (with a conversion outside the tolerance of the reference date)",
        0,
    ),
    _spec("claims_slipped", "promises", "Promises kept late (done after the date the article gave)", 0),
    _spec("claims_pending", "promises", "Promises pending (not yet due, or no date given)", 0),
    _spec("claims_on_time", "promises", "Promises kept on time", 0),
    _spec("claims_overdue", "promises", "Promises overdue (due date passed, not shown done)", 0),
    _spec("claims_not_done", "promises", "Promises a source says will not happen", 0),
    _spec("claims_plans", "promises", "Promises among the claims", 0),
    _spec(
        "fx_conversions_corroborated",
        "conversions",
        "Dollar conversions within the tolerance of the ECB rate",
        0,
    ),
    _spec(
        "article_implied_eur_usd_twingo",
        "USD per EUR",
        "Rate implied by the article's Twingo price (USD 21,639 for EUR 20,000)",
        5,
    ),
    _spec(
        "article_implied_eur_usd_ampere",
        "USD per EUR",
        "Rate implied by the article's Ampere figure (USD 649m for EUR 600m)",
        5,
    ),
    _spec("ecb_eur_usd_reference", "USD per EUR", "ECB rate of the reference date", 4),
    _spec(
        "fx_tolerance_breakeven_pct",
        "%",
        "Smallest tolerance at which both conversions match the reference date's ECB rate",
        3,
    ),
    _spec("twingo_gap_to_ecb_pct", "%", "Gap between the article's Twingo conversion and the ECB rate", 3),
    _spec("ampere_gap_to_ecb_pct", "%", "Gap between the article's Ampere conversion and the ECB rate", 3),
    _spec(
        "ampere_usd_rounding_pct",
        "%",
        "How far rounding USD 649m to the million moves its rate, either way",
        3,
    ),
    _spec(
        "eur_usd_rise_after_jump_pct",
        "%",
        "Rise of the euro against the dollar in the ten days after 2 April 2025",
        1,
    ),
    _spec(
        "twingo_usd_at_premiere",
        "USD",
        "EUR 20,000 in dollars at the Twingo's premiere (ECB rate of 2025-11-06)",
        0,
    ),
    _spec("twingo_usd_premiere_gap_pct", "%", "How much more that is than the article's USD 21,639", 1),
]
OPTIONAL_RESULTS: tuple[str, ...] = ()
RESULT_SPECS = {s.name: s for s in RESULTS}


def conversion(b: Base, claim_id: str) -> tuple[float, float]:
    for cid, eur, usd in b.conversions:
        if cid == claim_id:
            return eur, usd
    raise KeyError(f"claims.csv has no conversion {claim_id!r}")


def headline(p: ClaimsParams, **draws: Any) -> dict[str, Any]:
    """The recorded results (see :data:`RESULTS`). ``reference_date`` (strings) and
    ``fx_tolerance_pct`` may be given as arrays in ``draws`` (the uncertainty analysis passes
    100,000 values at once); the results then are arrays too.

    claims_corroborated = sourced corroborated + conversions within the tolerance;
    claims_unverified = sourced unverified + conversions outside it; claims_contradicted = sourced
    contradicted; gap = (quoted / base / ECB rate - 1) x 100; fx_tolerance_breakeven_pct = the
    larger |gap| (both conversions hold from that tolerance up).
    """
    b = base()
    ref = draws.get("reference_date", p.reference_date)
    tol = draws.get("fx_tolerance_pct", p.fx_tolerance_pct)
    scalar = isinstance(ref, str) and np.ndim(tol) == 0
    rate = usd_rate(ref)
    gaps = {cid: gap_pct(usd, eur, rate) for cid, eur, usd in b.conversions}
    within = sum(np.asarray(holds(g, tol), dtype=int) for g in gaps.values())
    n_conv = len(b.conversions)
    eur_t, usd_t = conversion(b, "twingo_price_usd")
    eur_a, usd_a = conversion(b, "ampere_usd")
    premiere_usd = eur_t * b.premiere_rate
    out: dict[str, Any] = {
        "claims_total": len(b.claims),
        "claims_corroborated": b.status_counts["corroborated"] + within,
        "claims_contradicted": b.status_counts["contradicted"] + 0 * within,  # the shape of the draws
        "claims_unverified": b.status_counts["unverified"] + (n_conv - within),
        "claims_slipped": b.outcome_counts["slipped"],
        "claims_pending": b.outcome_counts["pending"],
        "claims_on_time": b.outcome_counts["on_time"],
        "claims_overdue": b.outcome_counts["overdue"],
        "claims_not_done": b.outcome_counts["not_done"],
        "claims_plans": b.plans,
        "fx_conversions_corroborated": within,
        "article_implied_eur_usd_twingo": usd_t / eur_t,
        "article_implied_eur_usd_ampere": usd_a / eur_a,
        "ecb_eur_usd_reference": rate,
        "fx_tolerance_breakeven_pct": np.max(np.abs(np.stack(list(gaps.values()))), axis=0),
        "twingo_gap_to_ecb_pct": gaps["twingo_price_usd"],
        "ampere_gap_to_ecb_pct": gaps["ampere_usd"],
        "ampere_usd_rounding_pct": rounding_pct(usd_a),
        "eur_usd_rise_after_jump_pct": (b.jump_to_rate / b.jump_rate - 1) * 100,
        "twingo_usd_at_premiere": premiere_usd,
        "twingo_usd_premiere_gap_pct": (premiere_usd / usd_t - 1) * 100,
    }
    if scalar:
        out = {
            k: (int(v) if k.startswith(("claims_", "fx_conversions")) else float(v)) for k, v in out.items()
        }
    return out


def _both_hold(n: np.ndarray) -> np.ndarray:
    return np.asarray(n) >= 2


CONCLUSIONS = [
    Conclusion(
        "both_conversions_hold",
        "fx_conversions_corroborated",
        _both_hold,
        "both dollar conversions match the ECB rate within the tolerance",
    )
]


def day_gaps(p: ClaimsParams, days: Sequence[str] | None = None) -> pd.DataFrame:
    """The two conversions' gaps (%) against the ECB fixing of each day (by default the reference
    date's options, and the reference date if it is not one of them), oldest first: columns ``day``,
    ``rate`` (USD per EUR), ``twingo_gap_pct``, ``ampere_gap_pct`` and ``worst_gap_pct`` (the larger
    |gap|: the smallest tolerance at which both hold on that day)."""
    wanted = list(REFERENCE_DATES.options) if days is None else list(days)
    if days is None and p.reference_date not in wanted:
        wanted.append(p.reference_date)
    wanted = sorted(dict.fromkeys(wanted))
    v = headline(p, reference_date=np.array(wanted))
    t, a = np.asarray(v["twingo_gap_to_ecb_pct"]), np.asarray(v["ampere_gap_to_ecb_pct"])
    return pd.DataFrame(
        {
            "day": wanted,
            "rate": np.asarray(v["ecb_eur_usd_reference"], dtype=float),
            "twingo_gap_pct": t,
            "ampere_gap_pct": a,
            "worst_gap_pct": np.maximum(np.abs(t), np.abs(a)),
        }
    )


def closest_fixing(p: ClaimsParams) -> tuple[str, float]:
    """Among the reference date's options, the fixing day closest to the article's conversions (the
    smallest larger |gap| of the two) and that gap (%).

    >>> closest_fixing(validate_params(reference_date="2025-04-01", fx_tolerance_pct=0.1))[0]
    '2025-03-31'
    """
    gaps = day_gaps(p, REFERENCE_DATES.options)
    i = int(np.argmin(gaps["worst_gap_pct"].to_numpy()))
    return str(gaps["day"].iloc[i]), float(gaps["worst_gap_pct"].iloc[i])


def parameters_in(namespace: Mapping[str, Any]) -> dict[str, Any]:
    """The notebook's parameters found in ``namespace`` (the notebook's ``globals()``), by name: what
    the parameters cell (and papermill's injected cell) set. A missing one is left for
    :func:`validate_params` to report."""
    return {f.name: namespace[f.name] for f in fields_of(ClaimsParams) if f.name in namespace}
