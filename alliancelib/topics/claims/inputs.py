"""What notebook 00 reads from ``data/``: the claims and their sources, the promises' outcomes as of
the news date, the two conversions, the ECB dollar series and the dated moments of the dollar
story, the framing figures and the events. Read once per state of the files (:func:`base`).

Every event the text or the timeline picks out is found in ONE place, :func:`matches`, by its key in
``events.csv`` (:data:`EVENTS`), never by its wording.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from alliancelib import fx, reads

ANNOUNCEMENT = "2025-03-31"
STATUSES = ("corroborated", "contradicted", "unverified")
OUTCOMES = ("on_time", "slipped", "pending", "overdue", "not_done")
ARTICLE = "2025-04-01"

# the events the text and the timeline pick out, by their keys in events.csv (event_id); the
# timeline's key events are those whose name starts with "key_" (their labels: the template's blocks
# key_event__<name>)
EVENTS = {
    "premiere": "twingo_premiere",
    "india_completed": "rnaipl_purchase_completed",
    "ampere_back_plan": "ampere_fold_back_planned",
    "de_meo": "de_meo_resignation",
    "key_framework": "framework_agreement",
    "key_rebalancing": "rebalancing_effective",
    "key_ampere_carved_out": "ampere_carve_out",
    "key_ipo_called_off": "ampere_ipo_cancelled",
    "key_trust_sale_3": "trust_sale_3",
    "key_fair_value": "fair_value_switch",
    "key_india_completed": "rnaipl_purchase_completed",
    "key_premiere": "twingo_premiere",
    "key_fy2025": "renault_fy2025_results",
    "key_de_meo": "de_meo_resignation",
    "key_ampere_back": "ampere_fold_back_planned",
}


def matches(key: str, event_id: str) -> bool:
    """Whether an event of ``events.csv`` (its key) is the event :data:`EVENTS` names ``key``: THE
    one lookup of events, by key, never by wording."""
    return EVENTS[key] == event_id


def event_date(events: pd.DataFrame, key: str) -> str:
    """The date of the event :data:`EVENTS` names ``key`` (a clear error if it is not held)."""
    for date, event_id in zip(events["date"], events["event_id"], strict=True):
        if matches(key, str(event_id)):
            return str(date)
    raise LookupError(f"events.csv holds no event {EVENTS[key]!r} (the notebook's {key!r})")


def key_event(event_id: str) -> str:
    """The name of a timeline's key event ('' for the others)."""
    return next((key for key in EVENTS if key.startswith("key_") and matches(key, event_id)), "")


def _stamp() -> tuple[Any, ...]:
    """File state of the tables this module reads (its caches are keyed on it)."""
    from alliancelib.data import file_stamp

    return file_stamp("claims.csv", "claim_sources.csv", "sources.csv", "fx_rates.csv", "events.csv")


def held_usd_range() -> tuple[dt.date, dt.date]:
    """First and last ECB USD fixing held (cached per file state of the data)."""
    return _held_usd_range(_stamp())


@reads.cached(maxsize=4)
def _held_usd_range(stamp: tuple[Any, ...]) -> tuple[dt.date, dt.date]:
    return fx.held_range("USD")


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
    from alliancelib.topics.claims.model import plan_outcome

    out = claims.copy()
    out["outcome"] = pd.Series(
        [
            plan_outcome(r["due"], r["done_on"], r["abandoned_on"], as_of) if r["kind"] == "plan" else None
            for _, r in out.iterrows()
        ],
        index=out.index,
        dtype=object,
    )
    return out


@reads.cached(maxsize=4)
def _base_cached(stamp: tuple[Any, ...]) -> Base:
    from alliancelib.data import load

    claims = load("claims")
    links = load("claim_sources")
    events = load("events")
    if "slipped" in set(claims["status"].dropna()):
        raise ValueError(
            "claims.csv: 'slipped' is now a plan's outcome, computed from its dates; give the "
            "claim's status (corroborated, contradicted or unverified) and its done_on date"
        )
    news = sourced_news_date(claims, links, events)
    claims = assess_outcomes(claims, news)
    claims["status_sources"] = [_sources_of(links, c, "status") for c in claims["claim_id"]]
    claims["outcome_sources"] = [_sources_of(links, c, "outcome") for c in claims["claim_id"]]
    sourced = claims[claims["check"].isna()]
    status_counts = {s: int((sourced["status"] == s).sum()) for s in STATUSES}
    plans = claims[claims["kind"] == "plan"]
    outcome_counts = {o: int((plans["outcome"] == o).sum()) for o in OUTCOMES}
    conv = claims[claims["check"] == "fx_eur_usd"]
    conversions = tuple(
        (str(r["claim_id"]), float(r["base_value"]), float(r["value"])) for _, r in conv.iterrows()
    )
    jump_from, jump_rate, jump_next, jump_next_rate, jump_to, jump_to_rate = _largest_jump(ARTICLE)
    premiere_date = event_date(events, "premiere")
    premiere_rate = fx.ecb_rate("USD", premiere_date).rate_per_eur
    return Base(
        claims,
        news,
        status_counts,
        outcome_counts,
        len(plans),
        conversions,
        jump_from,
        jump_rate,
        jump_next,
        jump_next_rate,
        jump_to,
        jump_to_rate,
        premiere_date,
        premiere_rate,
    )


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
    return (
        days_held[i],
        float(rates[i]),
        days_held[i + 1],
        float(rates[i + 1]),
        end.fixing_date,
        end.rate_per_eur,
    )


@reads.cached(maxsize=4096)
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
FRAMING_FACTS = {
    # key -> fact_id in facts.csv
    "noncash_loss_eur_bn": "renault_fy2025_nissan_noncash_loss_eur_bn",
    "fy2025_net_loss_eur_bn": "renault_fy2025_net_loss_eur_bn",
    "h1_2025_net_income_eur_m": "renault_h1_2025_net_income_eur_m",
    "nissan_loss_forecast_jpy_bn": "nissan_fy2025_net_loss_forecast_jpy_bn",
    "nissan_loss_jpy_bn": "nissan_fy2025_net_loss_jpy_bn",
    "india_fcf_impact_eur_m": "india_deal_fcf_impact_eur_m",
}


def framing_facts() -> dict[str, Any]:
    """The figures "What the article leaves out" quotes, by key (facts.csv, shareholdings.csv, gaps.csv)."""
    from alliancelib.data import fact, load

    out: dict[str, Any] = {k: fact(v) for k, v in FRAMING_FACTS.items()}
    holdings = load("shareholdings")
    trust = holdings[
        (holdings["holder"] == "Renault")
        & (holdings["company"] == "Nissan")
        & (holdings["holding"] == "trust")
    ]
    out["trust_pct"] = float(trust.sort_values("as_of")["economic_pct"].iloc[-1])
    gaps = load("gaps").set_index("gap_id")
    out["india_price_status"] = str(gaps.at["rnaipl_price", "status"])
    return out


def rebalancing(events: pd.DataFrame) -> dict[str, float]:
    """Renault's Nissan stake from the day the 2023 rebalancing took effect (shareholdings.csv, the
    rows dated the day of the event ``key_rebalancing``): held directly and in the French trust (%),
    and the cap on its exercisable votes (%)."""
    from alliancelib.data import load

    day = event_date(events, "key_rebalancing")
    rows = load("shareholdings")
    mine = rows[(rows["holder"] == "Renault") & (rows["company"] == "Nissan") & (rows["as_of"] == day)]
    direct = mine[mine["holding"] == "direct"].iloc[0]
    trust = mine[mine["holding"] == "trust"].iloc[0]
    return {
        "direct_pct": float(direct["economic_pct"]),
        "trust_pct": float(trust["economic_pct"]),
        "votes_cap_pct": float(direct["voting_exercisable_pct"]),
    }


def twingo_french_price() -> tuple[float, str]:
    """The Twingo's newest French list price for the entry (Evolution) trim, and its date."""
    from alliancelib.data import load, parse_partial_date

    cars = load("car_models")
    fr = cars[
        cars["model"].str.startswith("Renault Twingo")
        & (cars["market"] == "FR")
        & (cars["trim"] == "Evolution")
        & (cars["price_kind"] == "list")
    ]
    rows = [(str(d), float(x)) for d, x in zip(fr["as_of"], fr["price_eur"], strict=True)]
    as_of, price = max(rows, key=lambda r: (parse_partial_date(r[0]), len(r[0])))
    return price, as_of
