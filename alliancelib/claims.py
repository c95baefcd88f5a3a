"""Notebook 00: the seed article's claims checked against the sources, its promises scored as
outcomes, its two dollar conversions checked against the ECB rate, and the timeline 2023-2026.

The article (AutoExpert, 2025-04-01) makes 18 quantitative or dated claims (``data/claims.csv``).
Each has a *status* (corroborated, contradicted, unverified): set from the sources, or computed for
the two currency conversions, which hold when the rate they imply lies within ``fx_tolerance_pct``
of the ECB rate of ``reference_date``. A claim of kind *plan* (a promise: "later this year", "by the
end of May") also has an *outcome* as of the news date, computed from its dates by
:func:`plan_outcome`: on time, slipped (done later than the article said), pending, overdue or not
done.

The module follows ``docs/architecture.md``: :class:`ClaimsParams`, :func:`headline` (vectorised:
``reference_date`` and ``fx_tolerance_pct`` may be arrays), :data:`RESULTS`, :data:`CONCLUSIONS`,
:func:`analyse` and :func:`figures`.

**The reference date's range.** The conversions' status turns on which day's fixing they are
checked against: :data:`REFERENCE_DATES` (the reference date's plausible options) holds the four
ECB fixings around the announcement and the article, so the analysis reports the share of
plausible cases in which both conversions hold.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from alliancelib import fx
from alliancelib.analysis import Analysis as AnalysisBase
from alliancelib.analysis import say_date
from alliancelib.errors import FxLookupError, ParameterError
from alliancelib.findings import Finding, anchor_for
from alliancelib.params import IsoDate, Number, Plausible, param, validate
from alliancelib.results import ResultSpec, format_quantity, make_results
from alliancelib.uncertainty import Assessment, Conclusion

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

    from alliancelib.charts import Chart

NOTEBOOK = "00_claims_and_timeline"
STATUSES = ("corroborated", "contradicted", "unverified")
OUTCOMES = ("on_time", "slipped", "pending", "overdue", "not_done")
OUTCOME_WORDS = {"on_time": "on time", "slipped": "late", "pending": "pending", "overdue": "overdue",
                 "not_done": "will not happen"}
TOPIC_WORDS = {"alliance": "Alliance and ownership", "ownership": "Alliance and ownership",
               "ampere": "Ampere", "ev": "Twingo and electric cars", "india": "India (Chennai plant)"}

# the plausible ranges (their numbers are checked against the data in tests/test_claims.py)
AMPERE_ROUNDING_PCT = 0.08  # USD 649m rounded to the million: 0.5 / 649 = 0.077% either way
MARCH_2025_DAILY_MOVE_PCT = 0.24  # median day-to-day move of the ECB USD rate, March 2025 (21 moves)
REFERENCE_DATES = Plausible(
    options=("2025-03-27", "2025-03-28", "2025-03-31", "2025-04-01"),
    basis="the ECB fixings of the two working days before the announcement (31 March 2025), of the "
          "announcement and of the article (1 April 2025): the article does not say which day's rate it used",
    kind="spread")

# section headings the findings link to
SECTION_SCORECARD = "The scorecard: every claim and every promise"
SECTION_FX = "The dollar figures: right for the day, overtaken within a week"
SECTION_FRAMING = "What the article leaves out"
SECTION_TIMELINE = "The timeline, 2023-2026"
SECTION_SURE = "How sure is this?"


@dataclass(frozen=True)
class ClaimsParams:
    """Parameters of ``00_claims_and_timeline``."""

    reference_date: str = param(
        "2025-03-31",
        IsoDate(bounds=lambda: held_usd_range(), bounds_label=" (ECB USD fixings held)"),
        "date whose ECB EUR/USD fixing the article's conversions are checked against (YYYY-MM-DD)",
        label="Date of the ECB rate used", plausible=REFERENCE_DATES,
    )
    fx_tolerance_pct: float = param(
        0.1, Number(minimum=0, maximum=100),
        "largest gap (%) between the article's implied rate and the ECB rate that still corroborates",
        label="Tolerance for a conversion", unit="%",
        plausible=Plausible(
            AMPERE_ROUNDING_PCT, MARCH_2025_DAILY_MOVE_PCT,
            "from the rounding of USD 649m to the million (0.08% either way) to the median day-to-day "
            "move of the ECB rate in March 2025 (0.24%): a market rate of the day may sit that far "
            "from the fixing",
            "judgement"),
    )


def held_usd_range() -> tuple[dt.date, dt.date]:
    """First and last ECB USD fixing held (cached per file state of the data)."""
    return _held_usd_range(_stamp())


@functools.lru_cache(maxsize=4)
def _held_usd_range(stamp: tuple[Any, ...]) -> tuple[dt.date, dt.date]:
    return fx.held_range("USD")


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
    status: str  # corroborated or contradicted


def gap_pct(quoted: Any, base: Any, rate: Any) -> Any:
    """The gap (%) between the rate a conversion implies (quoted / base) and ``rate``:
    (quoted / base / rate - 1) x 100. Broadcasts over arrays.

    >>> round(float(gap_pct(21639, 20000, 1.0815)), 4)
    0.0416
    """
    return (np.asarray(quoted, dtype=float) / np.asarray(base, dtype=float) / np.asarray(rate, dtype=float)
            - 1.0) * 100.0


def holds(gap: Any, tolerance_pct: Any) -> Any:
    """Whether a conversion's gap lies within the tolerance (|gap| <= tolerance, with 1e-12 of slack
    for floating point). Broadcasts over arrays."""
    return np.abs(np.asarray(gap, dtype=float)) <= np.asarray(tolerance_pct, dtype=float) + 1e-12


def check_conversion(base_value: float, quoted_value: float, reference_rate: float,
                     tolerance_pct: float) -> FxCheck:
    """Check ``base_value`` EUR = ``quoted_value`` USD against ``reference_rate`` (USD per EUR).

    Within ``tolerance_pct`` (|deviation| <= tolerance) the claim is corroborated, outside it
    contradicted.

    >>> c = check_conversion(20000, 21639, 1.0815, 0.1)
    >>> round(c.implied_rate, 5), round(c.deviation_pct, 4), c.status
    (1.08195, 0.0416, 'corroborated')
    >>> check_conversion(20000, 21639, 1.0815, 0.01).status
    'contradicted'
    """
    if base_value <= 0 or quoted_value <= 0 or reference_rate <= 0:
        raise ValueError("amounts and rates must be positive")
    deviation = float(gap_pct(quoted_value, base_value, reference_rate))
    status = "corroborated" if bool(holds(deviation, tolerance_pct)) else "contradicted"
    return FxCheck(base_value, quoted_value, quoted_value / base_value, reference_rate, deviation,
                   base_value * reference_rate, status)


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


def outcome_sentence(due: Any, done_on: Any, abandoned_on: Any, outcome: str, as_of: str) -> str:
    """What an outcome means, dated, in one clause.

    >>> outcome_sentence("2025", "2025-08-01", None, "on_time", "2026-03-12")
    'Done 2025-08-01, by the end of the due period (2025)'
    >>> outcome_sentence("2025-05", None, None, "overdue", "2026-03-12")
    'Due by the end of 2025-05; no source held shows it done (news to 2026-03-12)'
    """
    due_, done, gone = _given(due), _given(done_on), _given(abandoned_on)
    if outcome == "not_done":
        return f"A source says on {gone} that it will not happen"
    if outcome == "on_time":
        if not due_:
            return f"Done {done}; the article gave no date"
        return f"Done {done}, by the end of the due period ({due_})"
    if outcome == "slipped":
        return f"Done {done}, after the due period ({due_})"
    if outcome == "overdue":
        return f"Due by the end of {due_}; no source held shows it done (news to {as_of})"
    if due_:
        return f"Not yet due (due by the end of {due_}); not shown done by {as_of}"
    return f"The article gave no date; not shown done by {as_of}"


# Context for each promise, from the evidence in claims.csv (a test checks that every number here
# appears in that claim's evidence, outcome dates or sources' data).
PLAN_CONTEXT = {
    "nissan_twingo_2026": "Confirmed as a plan on 2025-03-31; the name (Wave) is reported but not official, "
                          "and production is reported to start in 2027 (secondary), which would make it "
                          "late.",
    "twingo_launch_2026": "World premiere 2025-11-06 and French orders in late 2025, before \"next year\"; "
                          "first deliveries planned for March 2026 (not confirmed): if launching means going "
                          "on sale it came early, if it means deliveries it is not confirmed, so unverified.",
    "twingo_price_under_20k": "Entry trim EUR 19,490 in France (2026-02), EUR 19,990 in Germany, EUR 19,500 "
                              "in Italy; the Techno trim costs more.",
    "rnaipl_close_2025": "A month after the end-of-first-half completion the companies had guided, but "
                         "within the year the article said: on time for the article.",
    "rnaipl_four_models": "One of the four is identified: the new Triber (2025); the new Duster "
                          "(unveiled 2026-01-26, launch reported for 2026-03-17) is built at Chennai but "
                          "not tied to the four by the sources; Renault's 2026 plan "
                          "promises four new India models by 2030, the Bridger by the end of 2027.",
    "magnite_stays": "The Magnite is still built at Chennai (The Hindu, HT Auto); Nissan added the Gravite "
                     "(unveiled 2026-01-21) and plans the Tekton (mid-2026).",
    "nissan_option_to_sell": "The option exists; Nissan planned to sell 5% of Renault (2025-06) but made "
                             "\"no definitive decisions\", and no sale was found.",
    "ampere_exit_end_may": "Expected by the end of May 2025 (Bloomberg, 2025-04-01); no completion notice "
                           "was found in the stored sources, which stop in early 2026.",
}


# --------------------------------------------------------------------------- the data behind it


def _stamp() -> tuple[Any, ...]:
    """File state of the tables this module reads (its caches are keyed on it)."""
    from alliancelib.data import file_stamp

    return file_stamp("claims.csv", "claim_sources.csv", "sources.csv", "fx_rates.csv", "events.csv")


@dataclass(frozen=True)
class Base:
    """What the data fix, whatever the parameters: the claims, their sourced statuses, the plans'
    outcomes as of the news date, the two conversions and the dated exchange rates of the story."""

    claims: pd.DataFrame  # claims.csv with outcome (plans) and sources columns
    news_as_of: str
    status_counts: Mapping[str, int]  # sourced statuses (the conversions excluded)
    outcome_counts: Mapping[str, int]
    plans: int
    conversions: tuple[tuple[str, float, float], ...]  # (claim_id, EUR amount, USD amount)
    jump_from: dt.date  # the fixing before the largest one-day rise of the euro after the article
    jump_rate: float
    jump_next: dt.date  # the fixing of that rise (the next one held)
    jump_next_rate: float
    jump_to: dt.date  # the fixing ten days later (latest on or before)
    jump_to_rate: float
    premiere_date: str
    premiere_rate: float


def _sources_of(links: pd.DataFrame, claim_id: str, role: str) -> str:
    ids = links[(links["claim_id"] == claim_id) & (links["role"] == role)]["source_id"]
    return "; ".join(dict.fromkeys(ids))


def sourced_news_date(claims: pd.DataFrame, links: pd.DataFrame, events: pd.DataFrame) -> str:
    """The news date the outcomes are judged at: the newest publication among the sources behind
    the claims and the events (exchange-rate series excluded)."""
    from alliancelib.data import news_as_of

    return news_as_of(set(links["source_id"]) | set(events["source_id"]))


def assess_outcomes(claims: pd.DataFrame, as_of: str) -> pd.DataFrame:
    """Claims with an ``outcome`` column: each plan's outcome as of ``as_of`` (None for facts).

    >>> t = pd.DataFrame({"kind": ["plan", "fact"], "due": ["2025", None], "done_on": ["2025-08-01", None],
    ...                   "abandoned_on": [None, None]})
    >>> assess_outcomes(t, "2026-03-12")["outcome"].tolist()
    ['on_time', None]
    """
    out = claims.copy()
    out["outcome"] = pd.Series([plan_outcome(r["due"], r["done_on"], r["abandoned_on"], as_of)
                                if r["kind"] == "plan" else None for _, r in out.iterrows()],
                               index=out.index, dtype=object)
    return out


@functools.lru_cache(maxsize=4)
def _base_cached(stamp: tuple[Any, ...]) -> Base:
    from alliancelib.data import load

    claims = load("claims")
    links = load("claim_sources")
    events = load("events")
    if "slipped" in set(claims["status"].dropna()):
        raise ValueError("claims.csv: 'slipped' is now a plan's outcome, computed from its dates; give the "
                         "claim's status (corroborated, contradicted or unverified) and its done_on date")
    news = sourced_news_date(claims, links, events)
    claims = assess_outcomes(claims, news)
    claims["status_sources"] = [_sources_of(links, c, "status") for c in claims["claim_id"]]
    claims["outcome_sources"] = [_sources_of(links, c, "outcome") for c in claims["claim_id"]]
    sourced = claims[claims["check"].isna()]
    status_counts = {s: int((sourced["status"] == s).sum()) for s in STATUSES}
    plans = claims[claims["kind"] == "plan"]
    outcome_counts = {o: int((plans["outcome"] == o).sum()) for o in OUTCOMES}
    conv = claims[claims["check"] == "fx_eur_usd"]
    conversions = tuple((str(r["claim_id"]), float(r["base_value"]), float(r["value"]))
                        for _, r in conv.iterrows())
    jump_from, jump_rate, jump_next, jump_next_rate, jump_to, jump_to_rate = _largest_jump("2025-04-01")
    premiere = events.set_index("event_id").loc["twingo_premiere"]
    premiere_rate = fx.ecb_rate("USD", str(premiere["date"])).rate_per_eur
    return Base(claims, news, status_counts, outcome_counts, len(plans), conversions, jump_from, jump_rate,
                jump_next, jump_next_rate, jump_to, jump_to_rate, str(premiere["date"]), premiere_rate)


def base() -> Base:
    """:class:`Base` for the data as it is on disk (cached per file state)."""
    return _base_cached(_stamp())


def usd_series() -> pd.DataFrame:
    """The ECB EUR/USD fixings held (columns ``date``, ``rate_per_eur``), oldest first."""
    from alliancelib.data import load

    rates = load("fx_rates")
    usd = rates[rates["currency"] == "USD"].sort_values("date")
    return usd[["date", "rate_per_eur"]].reset_index(drop=True)


def _largest_jump(after: str, days: int = 10) -> tuple[dt.date, float, dt.date, float, dt.date, float]:
    """The fixing before the largest one-day rise of the euro against the dollar after ``after``,
    the fixing of the rise itself, and the fixing ``days`` calendar days after the first (the
    latest on or before that day): each as (date, USD per EUR)."""
    usd = usd_series()
    later = usd[usd["date"] > pd.Timestamp(after)].reset_index(drop=True)
    rates = later["rate_per_eur"].to_numpy(dtype=float)
    days_held = [pd.Timestamp(d).date() for d in later["date"]]
    i = int(np.argmax(rates[1:] / rates[:-1]))  # the fixing before the largest rise
    end = fx.ecb_rate("USD", days_held[i] + dt.timedelta(days=days))
    return (days_held[i], float(rates[i]), days_held[i + 1], float(rates[i + 1]), end.fixing_date,
            end.rate_per_eur)


@functools.lru_cache(maxsize=4096)
def _usd_rate(day: str, stamp: tuple[Any, ...]) -> float:
    return fx.ecb_rate("USD", day).rate_per_eur


def usd_rate(days: Any) -> Any:
    """The ECB USD rate of each date (a string or an array of strings), by the brief's rule (the
    latest fixing on or before the date, at most 7 days older). A string gives a float."""
    stamp = _stamp()
    if isinstance(days, str):
        return _usd_rate(days, stamp)
    arr = np.asarray(days)
    unique, inverse = np.unique(arr.astype(str), return_inverse=True)
    looked = np.array([_usd_rate(str(d), stamp) for d in unique])
    return looked[inverse].reshape(arr.shape)


# --------------------------------------------------------------------------- headline results


def _spec(name: str, unit: str, label: str, decimals: int | None) -> ResultSpec:
    return ResultSpec(name, unit, label, decimals)


RESULTS = [
    _spec("claims_total", "claims", "Claims of the article checked", 0),
    _spec("claims_corroborated", "claims", "Claims corroborated by a source or by the ECB rate", 0),
    _spec("claims_contradicted", "claims", "Claims contradicted by a source or by the ECB rate", 0),
    _spec("claims_unverified", "claims", "Claims no source settles", 0),
    _spec("claims_slipped", "promises", "Promises kept late (done after the date the article gave)", 0),
    _spec("claims_pending", "promises", "Promises pending (not yet due, or no date given)", 0),
    _spec("claims_on_time", "promises", "Promises kept on time", 0),
    _spec("claims_overdue", "promises", "Promises overdue (due date passed, not shown done)", 0),
    _spec("claims_not_done", "promises", "Promises a source says will not happen", 0),
    _spec("claims_plans", "promises", "Promises among the claims", 0),
    _spec("fx_conversions_corroborated", "conversions",
          "Dollar conversions within the tolerance of the ECB rate", 0),
    _spec("article_implied_eur_usd_twingo", "USD per EUR",
          "Rate implied by the article's Twingo price (USD 21,639 for EUR 20,000)", 5),
    _spec("article_implied_eur_usd_ampere", "USD per EUR",
          "Rate implied by the article's Ampere figure (USD 649m for EUR 600m)", 5),
    _spec("ecb_eur_usd_reference", "USD per EUR", "ECB rate of the reference date", 4),
    _spec("twingo_gap_to_ecb_pct", "%", "Gap between the article's Twingo conversion and the ECB rate", 3),
    _spec("ampere_gap_to_ecb_pct", "%", "Gap between the article's Ampere conversion and the ECB rate", 3),
    _spec("ampere_usd_rounding_pct", "%",
          "How far rounding USD 649m to the million moves its rate, either way", 3),
    _spec("eur_usd_rise_after_jump_pct", "%",
          "Rise of the euro against the dollar in the ten days after 2 April 2025", 1),
    _spec("twingo_usd_at_premiere", "USD",
          "EUR 20,000 in dollars at the Twingo's premiere (ECB rate of 2025-11-06)", 0),
    _spec("twingo_usd_premiere_gap_pct", "%", "How much more that is than the article's USD 21,639", 1),
]
OPTIONAL_RESULTS: tuple[str, ...] = ()
RESULT_SPECS = {s.name: s for s in RESULTS}


def _conversion(b: Base, claim_id: str) -> tuple[float, float]:
    for cid, eur, usd in b.conversions:
        if cid == claim_id:
            return eur, usd
    raise KeyError(f"claims.csv has no conversion {claim_id!r}")


def headline(p: ClaimsParams, **draws: Any) -> dict[str, Any]:
    """The recorded results (see :data:`RESULTS`). ``reference_date`` (strings) and
    ``fx_tolerance_pct`` may be given as arrays in ``draws`` (the uncertainty analysis passes
    100,000 values at once); the results then are arrays too.

    claims_corroborated = sourced corroborated + conversions within the tolerance;
    claims_contradicted = sourced contradicted + conversions outside it; gap = (quoted / base /
    ECB rate - 1) x 100.
    """
    b = base()
    ref = draws.get("reference_date", p.reference_date)
    tol = draws.get("fx_tolerance_pct", p.fx_tolerance_pct)
    scalar = isinstance(ref, str) and np.ndim(tol) == 0
    rate = usd_rate(ref)
    gaps = {cid: gap_pct(usd, eur, rate) for cid, eur, usd in b.conversions}
    within = sum(np.asarray(holds(g, tol), dtype=int) for g in gaps.values())
    n_conv = len(b.conversions)
    eur_t, usd_t = _conversion(b, "twingo_price_usd")
    eur_a, usd_a = _conversion(b, "ampere_usd")
    premiere_usd = eur_t * b.premiere_rate
    out: dict[str, Any] = {
        "claims_total": len(b.claims),
        "claims_corroborated": b.status_counts["corroborated"] + within,
        "claims_contradicted": b.status_counts["contradicted"] + (n_conv - within),
        "claims_unverified": b.status_counts["unverified"],
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
        "twingo_gap_to_ecb_pct": gaps["twingo_price_usd"],
        "ampere_gap_to_ecb_pct": gaps["ampere_usd"],
        "ampere_usd_rounding_pct": rounding_pct(usd_a),
        "eur_usd_rise_after_jump_pct": (b.jump_to_rate / b.jump_rate - 1) * 100,
        "twingo_usd_at_premiere": premiere_usd,
        "twingo_usd_premiere_gap_pct": (premiere_usd / usd_t - 1) * 100,
    }
    if scalar:
        out = {k: (int(v) if k.startswith(("claims_", "fx_conversions")) else float(v))
               for k, v in out.items()}
    return out


def _both_hold(n: np.ndarray) -> np.ndarray:
    return np.asarray(n) >= 2


CONCLUSIONS = [Conclusion("both_conversions_hold", "fx_conversions_corroborated", _both_hold,
                          "both dollar conversions match the ECB rate within the tolerance")]





NO_RANGE = "sourced: no range"


def _fmt(spec: ResultSpec, value: Any) -> str:
    return format_quantity(value, spec.unit, spec.decimals)


def summary_table(a: Assessment) -> pd.DataFrame:
    """The results that have a range: value, recorded range and deciding inputs (the others are
    sourced facts; the Results table says so)."""
    ranges = a.result_ranges()
    rows = []
    for s in RESULTS:
        r = a.ranges[s.name]
        ranged = s.name in ranges
        if not ranged:
            continue
        span = f"{_fmt(s, ranges[s.name][0])} to {_fmt(s, ranges[s.name][1])}"
        deciding = ", ".join(a.labels.get(i, i) for i in a.deciding(s.name)[:2])
        rows.append({"result_label": s.label, "value_text": _fmt(s, r.value), "range_text": span,
                     "deciding_inputs": deciding})
    return pd.DataFrame(rows, columns=["result_label", "value_text", "range_text", "deciding_inputs"])


# --------------------------------------------------------------------------- the analysis


@dataclass(frozen=True, kw_only=True)
class Analysis(AnalysisBase):
    """Everything notebook 00 shows, computed once from the parameters."""

    p: ClaimsParams
    claims: pd.DataFrame  # every claim with its status, outcome and sources
    timeline: pd.DataFrame
    usd: pd.DataFrame  # ECB EUR/USD fixings, for the chart
    robustness: dict[str, str] = field(default_factory=dict)


def claims_with_status(b: Base, reference_rate: float, tolerance_pct: float) -> pd.DataFrame:
    """Every claim with its status: the conversions' computed at ``reference_rate``, the rest as sourced."""
    out = b.claims.copy()
    out["status"] = out["status"].astype("object")
    for i, row in out.iterrows():
        if row["check"] == "fx_eur_usd":
            out.at[i, "status"] = check_conversion(row["base_value"], row["value"], reference_rate,
                                                   tolerance_pct).status
    return out


def tex_number(value: float, decimals: int = 0) -> str:
    """A number for LaTeX with thousands separators that do not add space: ``23{,}066``.

    >>> tex_number(23066.0), tex_number(1.08195, 5)
    ('23{,}066', '1.08195')
    """
    return f"{value:,.{decimals}f}".replace(",", "{,}")


def _signed(value: float, decimals: int) -> str:
    text = format_quantity(abs(value), "%", decimals)
    return ("+" if value >= 0 else "\u2212") + text


def shown_quote(quote: str) -> str:
    """The article's words with its dollar sign written USD (a pair of dollar signs reads as maths in
    JupyterLab).

    >>> shown_quote("€600 million ($649 million)")
    '€600 million (USD 649 million)'
    """
    return re.sub(r"\$\s?", "USD ", quote)


def _plans_table(claims: pd.DataFrame, as_of: str) -> pd.DataFrame:
    plans = claims[claims["kind"] == "plan"]
    rows = []
    for _, r in plans.iterrows():
        meaning = outcome_sentence(r["due"], r["done_on"], r["abandoned_on"], r["outcome"], as_of)
        context = PLAN_CONTEXT.get(str(r["claim_id"]), "")
        rows.append({"quote": shown_quote(r["quote"]), "claim_outcome": OUTCOME_WORDS[r["outcome"]],
                     "claim_meaning": f"{meaning}. {context}".strip(),
                     "claim_source_ids": "; ".join(dict.fromkeys(
                         [s for s in (r["outcome_sources"] or r["status_sources"]).split("; ") if s]))})
    return pd.DataFrame(rows, columns=["quote", "claim_outcome", "claim_meaning", "claim_source_ids"])


def _facts_table(claims: pd.DataFrame, fixing: fx.Fixing, tolerance_pct: float) -> pd.DataFrame:
    """The statements of fact with their status; a conversion's evidence is its computed check."""
    facts = claims[claims["kind"] == "fact"]
    evidence = []
    for _, r in facts.iterrows():
        if r["check"] == "fx_eur_usd":
            c = check_conversion(r["base_value"], r["value"], fixing.rate_per_eur, tolerance_pct)
            unit = str(r["unit"])
            where = "within" if c.status == "corroborated" else "outside"
            evidence.append(f"At the ECB rate of {fixing.fixing_date} ({fixing.rate_per_eur:.4f}) it is "
                            f"{format_quantity(c.reference_value, unit, 1 if unit.endswith(' m') else 0)}: "
                            f"{_signed(c.deviation_pct, 3)} off, {where} the tolerance of {tolerance_pct:g}%")
        else:
            evidence.append(str(r["evidence"]))
    return pd.DataFrame({"quote": [shown_quote(q) for q in facts["quote"]],
                         "status": facts["status"].tolist(), "evidence": evidence,
                         "claim_source_ids": facts["status_sources"].tolist()})


def _conversions_table(b: Base, rate: float) -> pd.DataFrame:
    names = {"twingo_price_usd": "Twingo price", "ampere_usd": "Nissan's Ampere commitment"}
    rows = []
    for cid, eur, usd in b.conversions:
        m = cid == "ampere_usd"
        unit_eur, unit_usd = ("EUR m", "USD m") if m else ("EUR", "USD")
        rows.append({"fx_claim": f"{names.get(cid, cid)}, {format_quantity(eur, unit_eur, 0)}",
                     "fx_article": format_quantity(usd, unit_usd, 0),
                     "fx_at_ecb": format_quantity(eur * rate, unit_usd, 1 if m else 0),
                     "fx_gap_pct": float(gap_pct(usd, eur, rate))})
    return pd.DataFrame(rows, columns=["fx_claim", "fx_article", "fx_at_ecb", "fx_gap_pct"])


def timeline(events: pd.DataFrame, start: str = "2023-01-01", end: str = "2026-12-31") -> pd.DataFrame:
    """Events between ``start`` and ``end`` sorted by date, with ``day`` (the first day of each
    partial date, for plotting), ``is_plan`` (a plan or an expected date, not shown to have
    happened) and ``label`` (the short label of the key events, empty for the others)."""
    from alliancelib.data import parse_partial_date

    out = events.copy()
    out["day"] = pd.to_datetime([parse_partial_date(d) for d in out["date"]])
    out = out[(out["day"] >= pd.Timestamp(start)) & (out["day"] <= pd.Timestamp(end))]
    out = out.sort_values(["day", "topic", "event"], kind="stable").reset_index(drop=True)
    out["is_plan"] = out["kind"] == "plan"
    out["label"] = [key_label(str(k)) for k in out["event_id"]]
    return out


# the ~10 key events labelled on the timeline: events.csv key -> short label
KEY_EVENTS = {
    "framework_agreement": "Framework deal: votes capped at 15%",
    "rebalancing_effective": "Rebalancing: 15% direct + 28.4% in a trust",
    "ampere_carve_out": "Ampere carved out",
    "ampere_ipo_cancelled": "Ampere listing called off",
    "trust_sale_3": "Third trust sale",
    "fair_value_switch": "Nissan stake at fair value",
    "rnaipl_purchase_completed": "India deal completed",
    "twingo_premiere": "Twingo premiere",
    "renault_fy2025_results": "Renault 2025: EUR 10.9bn net loss",
    "ampere_fold_back_planned": "Ampere back into Renault (plan)",
}


def key_label(event_id: str) -> str:
    """The short label of a key event, by its events.csv key ('' for the others).

    >>> key_label("twingo_premiere"), key_label("nissan_hq_sale")
    ('Twingo premiere', '')
    """
    return KEY_EVENTS.get(event_id, "")


def _events_table(tl: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"date": tl["date"], "topic": [TOPIC_WORDS[t] for t in tl["topic"]],
                         "event": tl["event"], "kind": tl["kind"], "source_id": tl["source_id"]})


def _gaps_table() -> pd.DataFrame:
    from alliancelib.data import load

    gaps = load("gaps")
    order = {"ownership": 0, "india": 1, "ev": 2, "ampere": 3}
    gaps = gaps.assign(o=gaps["topic"].map(order)).sort_values(["o", "gap_id"], kind="stable")
    return pd.DataFrame({"topic": [TOPIC_WORDS[t] for t in gaps["topic"]], "what": gaps["what"],
                         "status": gaps["status"], "note": gaps["note"].fillna("")}).reset_index(drop=True)


UNREACHED_GAPS = ("ampere_exit_completion", "lockup_completion", "nissan_sale_of_renault",
                  "twingo_deliveries", "ampere_merger_done", "rnaipl_price")


def in_clause(text: str) -> str:
    """A sentence's start inside a clause: ``The price ...`` -> ``the price ...``; names stay.

    >>> in_clause("The price Renault paid"), in_clause("Whether Ampere was")
    ('the price Renault paid', 'whether Ampere was')
    >>> in_clause("Nissan's Tokyo close")
    "Nissan's Tokyo close"
    """
    first = text.split(" ", 1)[0]
    if first in ("The", "Whether", "Completion", "A", "An"):
        return text[:1].lower() + text[1:]
    return text


def _unreached(news: str) -> str:
    from alliancelib.data import load

    gaps = load("gaps").set_index("gap_id")
    items = [in_clause(str(gaps.at[g, "what"])) for g in UNREACHED_GAPS if g in gaps.index]
    return (f"{'; '.join(items)}; and most news after early 2026, where the stored copies stop for most "
            f"topics (a few items reach {say_date(news)}). The table above lists every gap, for all "
            "notebooks.")


FRAMING_FACTS = {
    # key -> (fact_id in facts.csv, what)
    "noncash_loss_eur_bn": "renault_fy2025_nissan_noncash_loss_eur_bn",
    "fy2025_net_loss_eur_bn": "renault_fy2025_net_loss_eur_bn",
    "h1_2025_net_income_eur_m": "renault_h1_2025_net_income_eur_m",
    "nissan_loss_forecast_jpy_bn": "nissan_fy2025_net_loss_forecast_jpy_bn",
    "india_fcf_impact_eur_m": "india_deal_fcf_impact_eur_m",
}
FRAMING_SOURCES = ("trivano_renault_fy2025", "justauto_renault_fy2025", "optionfinance_20250731",
                   "nippon_jiji_20260212", "reuters_fcf_20250331", "tuko_afp_20250331",
                   "automotiveworld_fy2024_nissan_contribution", "latestly_pti_20250728", "seed_autoexpert",
                   "ecb_eurofxref")


def _framing_facts() -> dict[str, Any]:
    from alliancelib.data import fact, load

    out: dict[str, Any] = {k: fact(v) for k, v in FRAMING_FACTS.items()}
    holdings = load("shareholdings")
    trust = holdings[(holdings["holder"] == "Renault") & (holdings["company"] == "Nissan")
                     & (holdings["holding"] == "trust")]
    out["trust_pct"] = float(trust.sort_values("as_of")["economic_pct"].iloc[-1])
    gaps = load("gaps").set_index("gap_id")
    out["india_price_status"] = str(gaps.at["rnaipl_price", "status"])
    return out


def analyse(p: ClaimsParams) -> Analysis:
    """Everything notebook 00 shows, computed once: results with ranges, findings, tables, texts."""
    from alliancelib import uncertainty
    from alliancelib.data import fx_as_of, load, news_as_of
    from alliancelib.report import sources_used

    b = base()
    values = headline(p)
    a = uncertainty.assess(p, headline, results=RESULTS, conclusions=CONCLUSIONS)
    ranges = a.result_ranges()
    results = make_results(RESULTS, values, ranges=ranges, no_range=NO_RANGE)

    fixing = fx.ecb_rate("USD", p.reference_date)
    claims = claims_with_status(b, fixing.rate_per_eur, p.fx_tolerance_pct)
    tl = timeline(load("events"))
    framing = _framing_facts()
    tables = {
        "plans": _plans_table(claims, b.news_as_of),
        "facts": _facts_table(claims, fixing, p.fx_tolerance_pct),
        "conversions": _conversions_table(b, fixing.rate_per_eur),
        "events": _events_table(tl),
        "gaps": _gaps_table(),
        "ranges": uncertainty.ranges_table(p),
        "summary": summary_table(a),
    }
    source_ids = sources_used([tables["plans"], tables["facts"], tables["events"]], FRAMING_SOURCES)
    news = news_as_of(source_ids)
    facts = {"fixing": fixing, "framing": framing, "news_for_outcomes": b.news_as_of,
             "jump_from": b.jump_from, "jump_rate": b.jump_rate, "jump_next": b.jump_next,
             "jump_next_rate": b.jump_next_rate, "jump_to": b.jump_to,
             "jump_to_rate": b.jump_to_rate, "premiere_date": b.premiere_date,
             "premiere_rate": b.premiere_rate}
    robustness = _robustness(p, values, a)
    findings = _findings(p, values, a, claims, facts, robustness)
    since = _since(news, tl, framing)
    texts = _texts(p, values, a, facts, robustness, findings)
    return Analysis(p=p, values=values, results=results, assessment=a, findings=findings, since=since,
                    news_as_of=news, fx_as_of=fx_as_of(["USD"]), source_ids=source_ids,
                    unreached=_unreached(news), texts=texts, tables=tables, claims=claims, timeline=tl,
                    usd=usd_series(), facts=facts, robustness=robustness)


def _held_words(p: ClaimsParams, a: Assessment) -> list[str]:
    """What was set outside its plausible range, and so held there, in words."""
    from alliancelib import uncertainty
    from alliancelib.params import label_of

    def label(name: str) -> str:
        return uncertainty.in_sentence(label_of(ClaimsParams, name))

    out = []
    if "reference_date" not in a.inputs:
        out.append(f"the {label('reference_date')} is set at {p.reference_date}, outside its plausible "
                   "options, and held there")
    out += [f"the {label(name)} is set at {getattr(p, name):g}%, outside its plausible range, and held there"
            for name in uncertainty.held_inputs(p) if name != "reference_date"]
    return out


def _robustness(p: ClaimsParams, v: Mapping[str, Any], a: Assessment) -> dict[str, str]:
    """One clause per key finding on how robust it is and what decides it."""
    from alliancelib import uncertainty

    verdict = a.verdicts["both_conversions_hold"]
    if not a.inputs:
        conv = ("both conversions " + ("hold" if verdict.holds_at_default else "fail")
                + " at the values set; nothing is drawn")
    else:
        share = uncertainty.percent(a.share("both_conversions_hold"))
        deciding = [uncertainty.in_sentence(a.labels.get(i, i))
                    for i in a.deciding("both_conversions_hold")[:1]]
        conv = f"the two dollar conversions hold in {share} of plausible cases"
        if deciding and verdict.flips:
            conv += f", decided by the {deciding[0]}"
    held = _held_words(p, a)
    if held:
        conv += " (" + "; ".join(held) + ")"
    return {
        "conversions": conv,
        "sourced": "the statuses set by sources and the promises' outcomes rest on dated sources, not on "
                   "an assumption: no input in its plausible range moves them",
        "story": "the dollar's move and the premiere's rate are dated ECB fixings: reported facts, no range",
        "framing": "reported figures from Renault's and Nissan's results: no range",
    }


def _is_are(n: int) -> str:
    return "is" if int(n) <= 1 else "are"


def _finding_scorecard(p: ClaimsParams, v: Mapping[str, Any], rob: Mapping[str, str], both: Any,
                       b: Base) -> Finding:
    """The scorecard: the claims sources settle first, the dollar conversions (which an assumption
    moves) counted apart, so the headline count does not rest on the less likely case."""
    total, corr, unver = v["claims_total"], v["claims_corroborated"], v["claims_unverified"]
    conv_ok, conversions = int(v["fx_conversions_corroborated"]), len(b.conversions)
    sourced_total = int(total) - conversions
    sourced_corr, sourced_contra = b.status_counts["corroborated"], b.status_counts["contradicted"]
    first_dibs = "Renault or a third party would get first dibs"
    they = rob["conversions"].replace("the two dollar conversions ", "", 1)
    words = {0: "neither agrees", 1: "one of the two agrees", 2: "both agree"}
    agree = (words[conv_ok] if conversions == 2 else f"{conv_ok} of {conversions} agree"
             ) + f" with the ECB rate of {say_date(p.reference_date)} to within {p.fx_tolerance_pct:g}%"
    return Finding(
        "scorecard",
        f"**{sourced_corr} of the article's {sourced_total} sourced claims are corroborated**, "
        f"{_none_or(sourced_contra)} {_is_are(sourced_contra)} contradicted and {unver} {_is_are(unver)} "
        f"unverified, among them \"{first_dibs}\": the sources give Renault a right of first refusal, but "
        "none gives a third party one. The two dollar conversions are "
        f"counted apart, since an assumption moves them: {agree} (so **{corr} of the article's {total} "
        f"claims are corroborated** at these values), but they {they}.",
        anchor=anchor_for(SECTION_SCORECARD),
        holds_pct=None if both.share is None else both.share * 100, flips=bool(both.flips))


def _finding_promises(v: Mapping[str, Any], claims: pd.DataFrame, news: str) -> Finding:
    by_id = claims.set_index("claim_id")
    exit_claim, india = by_id.loc["ampere_exit_end_may"], by_id.loc["rnaipl_close_2025"]
    pending, overdue = v["claims_pending"], v["claims_overdue"]
    text = (f"**Of its {v['claims_plans']} promises, {v['claims_on_time']} were kept on time, "
            f"{_none_or(v['claims_slipped'])} late, {pending} {_is_are(pending)} pending and {overdue} "
            f"{_is_are(overdue)} overdue**")
    if exit_claim["outcome"] == "overdue":
        text += ": no source shows Nissan's exit from Ampere completed \"by the end of May\" 2025"
    if india["outcome"] == "on_time":
        text += (f". The India deal closed on {say_date(str(india['done_on']))}, a month after the "
                 "companies' guidance but within the year the article said")
    text += f". Dated sources (news to {news}), no assumption: no range."
    return Finding("promises", text, anchor=anchor_for(SECTION_SCORECARD))


def _finding_dollars(p: ClaimsParams, v: Mapping[str, Any], a: Assessment, facts: Mapping[str, Any],
                     both: Any) -> Finding:
    fixing = facts["fixing"]
    gt, ga = float(v["twingo_gap_to_ecb_pct"]), float(v["ampere_gap_to_ecb_pct"])
    gaps = f"USD 21,639 and USD 649m are {_signed(gt, 2)} and {_signed(ga, 2)} off"
    day = say_date(str(fixing.fixing_date))
    if max(abs(gt), abs(ga)) <= float(v["ampere_usd_rounding_pct"]):
        ranges = a.result_ranges()
        widest = max(abs(x) for n in ("twingo_gap_to_ecb_pct", "ampere_gap_to_ecb_pct")
                     for x in ranges.get(n, (v[n], v[n])))
        around = ""
        if "reference_date" in a.inputs and widest > max(abs(gt), abs(ga)) + 1e-9:
            around = f", but up to {format_quantity(widest, '%', 2)} off the fixings of the days around it"
        lead = "The dollar figures were right for the day and stale within a week"
        body = f"{gaps} the ECB rate of {day}, inside the rounding of USD 649m (0.08%){around}"
    else:
        best_day, best = closest_fixing(p)
        lead = f"The dollar figures miss the ECB rate of {day} and were stale within a week"
        body = (f"{gaps} it, beyond the rounding of USD 649m (0.08%); the fixing of {say_date(best_day)} "
                f"matches them within {format_quantity(best, '%', 2)}")
    premiere = format_quantity(v["twingo_usd_at_premiere"], "USD", 0)
    return Finding(
        "dollar-figures",
        f"**{lead}**: {body}. Then, from {say_date(facts['jump_from'])}, the euro rose "
        f"**{_pct1(v['eur_usd_rise_after_jump_pct'])}** in ten days, and at the Twingo's premiere EUR 20,000 "
        f"was **{premiere}**, {_pct1(v['twingo_usd_premiere_gap_pct'])} more than the article's figure.",
        anchor=anchor_for(SECTION_FX), holds_pct=None if both.share is None else both.share * 100,
        flips=bool(both.flips))


def _finding_costs(f: Mapping[str, Any]) -> Finding:
    price = "undisclosed" if f["india_price_status"] == "not disclosed" else "reported"
    return Finding(
        "silent-on-costs",
        "**Accurate on the facts, silent on the costs**: the article's \"creating value for Renault\" (its "
        "paraphrase of de Meo) met a "
        f"**EUR {f['noncash_loss_eur_bn']:g}bn** non-cash loss on the Nissan stake in Renault's 2025 "
        f"accounts, and Nissan forecast a JPY {f['nissan_loss_forecast_jpy_bn']:,.0f}bn net loss for the "
        f"year to March 2026. The article omits the {price} India price, the deal's about "
        f"EUR {f['india_fcf_impact_eur_m']:,.0f}m cash impact, and that Renault's {f['trust_pct']:.2f}% of "
        "Nissan in the French trust is untouched. Reported figures: no range.",
        anchor=anchor_for(SECTION_FRAMING), headline=True)


def _findings(p: ClaimsParams, v: Mapping[str, Any], a: Assessment, claims: pd.DataFrame,
              facts: Mapping[str, Any], rob: Mapping[str, str]) -> list[Finding]:
    both = a.verdicts["both_conversions_hold"]
    return [_finding_scorecard(p, v, rob, both, base()),
            _finding_promises(v, claims, facts["news_for_outcomes"]),
            _finding_dollars(p, v, a, facts, both), _finding_costs(facts["framing"])]


def closest_fixing(p: ClaimsParams) -> tuple[str, float]:
    """Among the reference date's plausible options, the fixing day closest to the article's
    conversions (the smallest larger gap of the two) and that gap (%)."""
    days = np.array(REFERENCE_DATES.options)
    v = headline(p, reference_date=days)
    worst = np.maximum(np.abs(v["twingo_gap_to_ecb_pct"]), np.abs(v["ampere_gap_to_ecb_pct"]))
    i = int(np.argmin(worst))
    return str(days[i]), float(worst[i])


def _none_or(n: int) -> str:
    """``none`` for zero, else the number (in a sentence)."""
    return "none" if int(n) == 0 else f"{int(n)}"


def _pct1(value: Any) -> str:
    return format_quantity(float(value), "%", 1)


def twingo_french_price() -> tuple[float, str]:
    """The Twingo's newest French list price for the entry (Evolution) trim, and its date."""
    from alliancelib.data import load, parse_partial_date

    cars = load("car_models")
    fr = cars[cars["model"].str.startswith("Renault Twingo") & (cars["market"] == "FR")
              & (cars["trim"] == "Evolution") & (cars["price_kind"] == "list")]
    rows = [(str(d), float(x)) for d, x in zip(fr["as_of"], fr["price_eur"], strict=True)]
    as_of, price = max(rows, key=lambda r: (parse_partial_date(r[0]), len(r[0])))
    return price, as_of


def _since(news: str, tl: pd.DataFrame, f: Mapping[str, Any]) -> str:
    def day_of(event_id: str) -> str:
        return say_date(str(tl.set_index("event_id").at[event_id, "date"]))

    price = format_quantity(twingo_french_price()[0], "EUR", 0)
    return (f"(news to {news}) the India deal closed on {day_of('rnaipl_purchase_completed')}; "
            f"Renault booked a EUR {f['noncash_loss_eur_bn']:g}bn non-cash loss on its Nissan stake for "
            f"2025; the Twingo premiered on {day_of('twingo_premiere')} and lists at "
            f"{price} in France; no sale of Renault shares by Nissan was found; Renault plans to fold Ampere "
            f"back into the group from {day_of('ampere_fold_back_planned')}, which the stored "
            "sources cannot confirm.")


def _conversion_texts(p: ClaimsParams, v: Mapping[str, Any], fixing: fx.Fixing) -> dict[str, str]:
    rate = fixing.rate_per_eur
    gt, ga = float(v["twingo_gap_to_ecb_pct"]), float(v["ampere_gap_to_ecb_pct"])
    it, ia = float(v["article_implied_eur_usd_twingo"]), float(v["article_implied_eur_usd_ampere"])
    verdict = {2: "both are **corroborated**", 1: "one is corroborated and one **contradicted**",
               0: "both are **contradicted**"}[int(v["fx_conversions_corroborated"])]
    conversions = (
        f"At {fixing.describe()}, EUR 20,000 is **{format_quantity(20000 * rate, 'USD', 0)}** and EUR 600m "
        f"is **{format_quantity(600 * rate, 'USD m', 1)}**: the article's figures are {_signed(gt, 3)} and "
        f"{_signed(ga, 3)} off. With a tolerance of {p.fx_tolerance_pct:g}%, {verdict}.")
    worked = (
        f"**Worked example.** The Twingo: $r = 21{{,}}639 / 20{{,}}000 = {it:.5f}$ dollars per euro, "
        f"against the ECB's {rate:.4f}: $(\\frac{{{it:.5f}}}{{{rate:.4f}}} - 1) \\times 100 = "
        f"{gt:+.3f}\\%$. The Ampere figure: $649 / 600 = {ia:.5f}$, {ga:+.3f}% off.")
    return {"conversions": conversions, "worked": worked}


def _story_text(v: Mapping[str, Any], facts: Mapping[str, Any]) -> str:
    premiere_usd = float(v["twingo_usd_at_premiere"])
    rate = facts["premiere_rate"]
    day_rise = (facts["jump_next_rate"] / facts["jump_rate"] - 1) * 100
    return (
        "The largest one-day rise of the euro in the ECB series after the article: from "
        f"{facts['jump_rate']:.4f} dollars on {say_date(facts['jump_from'])} to "
        f"{facts['jump_next_rate']:.4f} on {say_date(facts['jump_next'])} (+{_pct1(day_rise)}); "
        "within ten days, by the fixing of "
        f"{say_date(facts['jump_to'])}, the rate was {facts['jump_to_rate']:.4f}: "
        f"**{_pct1(v['eur_usd_rise_after_jump_pct'])}** more dollars per euro. At the Twingo's world "
        f"premiere ({say_date(facts['premiere_date'])}, ECB {rate:.4f}), "
        f"${tex_number(20000)} \\times {rate:.4f} = {tex_number(premiere_usd)}$ dollars: "
        f"**{_pct1(v['twingo_usd_premiere_gap_pct'])}** more than the article's USD 21,639.")


def _texts(p: ClaimsParams, v: Mapping[str, Any], a: Assessment, facts: Mapping[str, Any],
           rob: Mapping[str, str], findings: Sequence[Finding]) -> dict[str, str]:
    """The computed narrative of each section (Markdown; numbers from the analysis)."""
    out = _conversion_texts(p, v, facts["fixing"])
    out["story"] = _story_text(v, facts)
    sourced = int(v["claims_total"]) - len(base().conversions)
    conv = rob["conversions"][:1].upper() + rob["conversions"][1:]
    sentences = {
        "scorecard": f"The {sourced} statuses set by sources rest on dated sources, not on an assumption; "
                     f"{rob['conversions']}.",
        "promises": "The outcomes rest on dated sources, not on an assumption: no input in its plausible "
                    "range moves them.",
        "dollar-figures": f"{conv}; the dollar's move and the premiere's rate are dated ECB fixings, with "
                          "no range.",
        "silent-on-costs": "Reported figures from Renault's and Nissan's results: no range.",
    }
    out["robustness"] = "\n".join(f"- *{f.text.split('**')[1]}*: {sentences[f.key]}" for f in findings)
    return out


# --------------------------------------------------------------------------- charts


# the parameters the main chart depends on: the what-if explorer (alliancelib.explorer) redraws it only
# when one of them changes (tests/test_explorer.py checks that no other parameter changes it)
MAIN_CHART_PARAMS = ("reference_date",)


def main_chart(a: Analysis) -> Chart:
    """The notebook's main chart (the dollar story), the first of :func:`figures`; the what-if explorer
    redraws it alone at every change."""
    from alliancelib import charts

    return charts.Chart("fx", plot_fx_story(a),
                        source="Sources: ECB euro reference rates (copy in the public repository "
                               "vane/ecb-fx); AutoExpert, 2025-04-01; electrive.net (premiere, 2025-11-06).",
                        alt=_fx_alt(a))


def figures(a: Analysis) -> list[Chart]:
    """Every chart of notebook 00, drawn from the analysis: the dollar story, the timeline and the
    range chart of the results that have a range."""
    from alliancelib import charts
    from alliancelib.uncertainty import plot_ranges

    out = [
        main_chart(a),
        charts.Chart("timeline", plot_timeline(a, source=TIMELINE_SOURCE.format(n=len(a.timeline),
                                                                                   news=a.news_as_of)),
                     source=TIMELINE_SOURCE.format(n=len(a.timeline), news=a.news_as_of),
                     alt=_timeline_alt(a)),
    ]
    ranged = [RESULT_SPECS[n] for n in RANGE_CHART if a.assessment.ranges[n].has_range]
    if ranged:
        out.append(charts.Chart(
            "ranges", plot_ranges(a.assessment, ranged, title=_ranges_title(a)),
            source="Computed: 100,000 draws of the reference date and the tolerance over their plausible "
                   "ranges (table below).",
            alt=_ranges_alt(a, ranged)))
    return out


# the range chart's rows (the contradicted count mirrors the corroborated one; the ECB rate is an input)
RANGE_CHART = ("claims_corroborated", "fx_conversions_corroborated", "twingo_gap_to_ecb_pct",
               "ampere_gap_to_ecb_pct")


def _ranges_title(a: Analysis) -> str:
    from alliancelib import uncertainty

    share = a.assessment.verdicts["both_conversions_hold"].share
    if share is None:
        return "The conversions' status cannot be judged"
    return (f"Both dollar conversions hold in {uncertainty.percent(share)} of plausible cases: the date of "
            "the ECB rate decides")


def _ranges_alt(a: Analysis, ranged: Sequence[ResultSpec]) -> str:
    parts = []
    for s in ranged:
        low, high = a.assessment.result_ranges()[s.name]
        parts.append(f"{s.label}: {_fmt(s, a.values[s.name])} (range {_fmt(s, low)} to {_fmt(s, high)})")
    return "Range chart. " + "; ".join(parts) + "."


def _fx_title(a: Analysis) -> str:
    v = a.values
    return (f"The dollar figures dated fast: at the Twingo's premiere EUR 20,000 was "
            f"{format_quantity(v['twingo_usd_at_premiere'], 'USD', 0)}, "
            f"{_pct1(v['twingo_usd_premiere_gap_pct'])} more than the article's")


def _fx_alt(a: Analysis) -> str:
    v, f = a.values, a.facts
    return (f"Line chart of the ECB EUR/USD rate from January 2025 to {say_date(a.fx_as_of)}. It sits near "
            f"{f['fixing'].rate_per_eur:.4f} at the announcement, level with the article's implied rates "
            f"({float(v['article_implied_eur_usd_ampere']):.4f} and "
            f"{float(v['article_implied_eur_usd_twingo']):.4f}), jumps "
            f"{_pct1(v['eur_usd_rise_after_jump_pct'])} in the ten days after {say_date(f['jump_from'])}, "
            f"and stands at {f['premiere_rate']:.4f} at the Twingo's premiere on "
            f"{say_date(f['premiere_date'])}, when "
            f"EUR 20,000 was {format_quantity(v['twingo_usd_at_premiere'], 'USD', 0)}.")


def _note(ax: Any, text: str, xy: tuple[Any, float], xytext: tuple[Any, float], ha: str = "left") -> None:
    """A note placed at data coordinates ``xytext``, joined to ``xy`` by a thin grey line."""
    ax.annotate(text, xy, xytext=xytext, textcoords="data", ha=ha, va="center", fontsize=8.5, color="#333333",
                arrowprops={"arrowstyle": "-", "color": "#777777", "lw": 0.8, "shrinkA": 2, "shrinkB": 3})


def _month_axis(ax: Any, months: int = 3) -> None:
    import matplotlib.dates as mdates

    ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=range(1, 13, months)))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%b %Y"))


def plot_fx_story(a: Analysis) -> Figure:
    """The ECB EUR/USD rate over 2025-2026 with the article's implied rate, the jump after 2 April
    2025 and the Twingo's premiere annotated (one message: the dollar figures dated fast)."""
    from alliancelib import charts

    v, f = a.values, a.facts
    usd = a.usd[a.usd["date"] >= pd.Timestamp("2025-01-01")]
    fig, ax = charts.figure(8.6, 4.4)
    ax.plot(usd["date"], usd["rate_per_eur"], color=charts.PALETTE["accent"], linewidth=1.4)
    implied = (float(v["article_implied_eur_usd_twingo"]) + float(v["article_implied_eur_usd_ampere"])) / 2
    red = charts.PALETTE["Nissan"]
    ax.axhline(implied, color=red, linestyle="--", linewidth=1.0)
    start, end = usd["date"].iloc[0], usd["date"].iloc[-1]
    ax.set_xlim(start, end + pd.Timedelta(days=10))
    ax.set_ylim(1.0, 1.23)
    ax.annotate(f"the article's rate, {implied:.3f}", (end, implied), xytext=(-2, 3),
                textcoords="offset points", ha="right", va="bottom", fontsize=8.5, color=red)
    ann = f["fixing"]
    day = pd.Timestamp(ann.fixing_date)
    dots = [(day, ann.rate_per_eur), (pd.Timestamp(f["jump_from"]), f["jump_rate"]),
            (pd.Timestamp(f["jump_to"]), f["jump_to_rate"]),
            (pd.Timestamp(f["premiere_date"]), f["premiere_rate"])]
    ax.plot([d for d, _ in dots], [r for _, r in dots], marker="o", linestyle="none", color="#333333",
            markersize=4, zorder=3)
    _note(ax, f"{say_date(ann.fixing_date)}, the announcement:\nECB {ann.rate_per_eur:.4f}",
          (day, ann.rate_per_eur), (day + pd.Timedelta(days=20), 1.03))
    _note(ax, f"+{_pct1(v['eur_usd_rise_after_jump_pct'])} in the ten days\nafter {say_date(f['jump_from'])}",
          (pd.Timestamp(f["jump_to"]), f["jump_to_rate"]), (start + pd.Timedelta(days=12), 1.175))
    prem = pd.Timestamp(f["premiere_date"])
    _note(ax, f"Twingo premiere, {say_date(f['premiere_date'])}:\nECB {f['premiere_rate']:.4f}, "
              f"EUR 20,000 = {format_quantity(v['twingo_usd_at_premiere'], 'USD', 0)}",
          (prem, f["premiere_rate"]), (prem + pd.Timedelta(days=25), 1.111))
    charts.thousands(ax, "y", decimals=2)
    _month_axis(ax)
    charts.style_axes(ax, title=_fx_title(a), xlabel="", ylabel="US dollars per euro (ECB reference rate)")
    ax.tick_params(axis="x", labelsize=8.5)
    return fig


def _timeline_alt(a: Analysis) -> str:
    tl = a.timeline
    keys = tl[tl["label"] != ""]
    listed = "; ".join(f"{say_date(str(d))}: {lab}"
                       for d, lab in zip(keys["date"], keys["label"], strict=True))
    return (f"Timeline of {len(tl)} events from 2023 to 2026 on four lanes (alliance and ownership, Ampere, "
            f"Twingo and electric cars, India), with the announcement of 31 March 2025 marked. Key events: "
            f"{listed}.")


LANES = ("india", "ev", "ampere", "alliance")
LABEL_COLOURS = {"alliance": "#8a6500"}  # Renault's gold, darkened so that text on white stays readable


def _lane_colours() -> dict[str, str]:
    from alliancelib import charts

    return {"alliance": charts.PALETTE["Renault"], "ampere": charts.PALETTE["accent"], "ev": "#2e8b57",
            "india": charts.PALETTE["Nissan"]}


TIMELINE_SOURCE = ("Sources: the {n} dated events of the table below (news to {news}). Filled dots: events; "
                   "open circles: plans or expected dates, not shown to have happened; grey: other events.")


def plot_timeline(a: Analysis, source: str = "") -> Figure:
    """FT-style timeline strip: one lane per topic, grey dots for the minor events, the key events
    in the lane's colour with short direct labels (placed so that none overlaps another), plans as
    open circles, the announcement and the news date marked."""
    from alliancelib import charts

    tl = a.timeline
    fig, ax = charts.figure(9.6, 5.0)
    colours = _lane_colours()
    lane_y = {t: i for i, t in enumerate(LANES)}
    grey = "#b5b5b5"
    for _, ev in tl.iterrows():
        y = lane_y[ev["topic"]]
        key = bool(ev["label"])
        colour = colours[ev["topic"]] if key else grey
        size, z = (46, 4) if key else (18, 3)
        if ev["is_plan"]:
            ax.scatter([ev["day"]], [y], s=size, facecolor="white", edgecolor=colour, linewidth=1.2, zorder=z)
        else:
            ax.scatter([ev["day"]], [y], s=size, color=colour, edgecolor="white", linewidth=0.5, zorder=z)
    announcement = pd.Timestamp("2025-03-31")
    news = pd.Timestamp(_day(a.news_as_of))
    ax.axvline(announcement, color="#333333", linestyle="--", linewidth=1)
    ax.axvspan(news, pd.Timestamp("2026-09-30"), color="#f0f0f0", zorder=0)
    ax.set_xlim(pd.Timestamp("2022-12-15"), pd.Timestamp("2026-09-30"))
    ax.set_ylim(-0.7, len(LANES) - 0.2)
    ax.set_yticks(range(len(LANES)), [charts.wrap(TOPIC_WORDS[t], 1.3, 9) for t in LANES])
    ax.grid(axis="y", visible=False)
    ax.text(announcement, len(LANES) - 0.35, " 31 March 2025: restructuring announced", fontsize=8.5,
            va="center", ha="left", color="#333333")
    ax.text(pd.Timestamp("2026-09-25"), -0.5, f"after the newest\nnews held\n({say_date(a.news_as_of)})",
            fontsize=7.5, va="center", ha="right", color="#666666")
    _month_axis(ax, 6)
    charts.style_axes(ax, title=_timeline_title(a), xlabel="", ylabel="")
    ax.grid(axis="y", visible=False)
    if source:
        charts.add_source(fig, source)  # before the labels: the source line changes the layout
    _place_labels(ax, tl, lane_y, colours)
    return fig


def _timeline_title(a: Analysis) -> str:
    return ("The 31 March 2025 package came midway: after the 2023 rebalancing and three trust sales, "
            "before a EUR 9.3bn loss on the Nissan stake and Ampere's planned return into Renault")


def _place_labels(ax: Any, tl: pd.DataFrame, lane_y: Mapping[str, int], colours: Mapping[str, str]) -> None:
    """Direct labels for the key events: each tried above, then below its dot, at growing offsets,
    and kept where its drawn box overlaps no label, tick label or title already placed and stays
    inside the axes."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = ax.figure
    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    box_ax = ax.get_window_extent(renderer)
    taken = [t.get_window_extent(renderer) for t in ax.texts]
    keys = tl[tl["label"] != ""]
    for _, ev in keys.iterrows():
        y = lane_y[ev["topic"]]
        placed = None
        for dy in (11, -11, 20, -20):
            for dx, ha in ((0, "center"), (4, "left"), (-4, "right")):
                text = ax.annotate(ev["label"], (ev["day"], y), xytext=(dx, dy), textcoords="offset points",
                                   ha=ha, va="bottom" if dy > 0 else "top", fontsize=8,
                                   color=LABEL_COLOURS.get(ev["topic"], colours[ev["topic"]]))
                box = text.get_window_extent(renderer)
                inside = (box.x0 >= box_ax.x0 and box.x1 <= box_ax.x1
                          and box.y0 >= box_ax.y0 and box.y1 <= box_ax.y1)
                if inside and not any(box.overlaps(o) for o in taken):
                    placed = box
                    break
                text.remove()
            if placed is not None:
                break
        if placed is None:
            raise ValueError(f"no room for the label {ev['label']!r} on the timeline")
        taken.append(placed)
