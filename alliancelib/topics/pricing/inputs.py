"""What notebook 03 reads from ``data/``: the Twingo's reported prices, the market lists of EVs, VAT
rates, the incentive schemes, the battery pack survey, the ECB dollar fixings, the article's
conversion and the events and facts its sentences quote. Every sourced value is read here by key;
tables are kept while their file is unchanged (the Monte Carlo and the fuzzer call the headline
thousands of times). Callers must not modify a returned frame.

The events the text cites are still found by their wording in one place, :func:`events` (until
``events.csv`` has its id column: switch the lookups there to ids).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from alliancelib import fx, reads

TWINGO = "Renault Twingo E-Tech electric"
BASE_TRIM = "Evolution"
SANDERO = "Dacia Sandero"
MARKETS = ("BE", "DE", "FR", "IT")
HOUSEHOLDS = ("low", "middle", "high")

# the scheme in force for each market as of the news date (incentives.csv); none elsewhere
CURRENT_SCHEME = {"FR": "coup de pouce 2026 (arrêté 2025-12-24)", "DE": "E-Auto-Förderung 2026"}
# the article's conversion of the Twingo's price (claims.csv) and the announcement day (ECB rate)
ARTICLE_CLAIM = "twingo_price_usd"
ANNOUNCEMENT = "2025-03-31"
UK_FACTS = ("twingo_price_uk_gbp", "twingo_price_uk_headline_gbp", "twingo_price_uk_target_gbp")
# the events the text cites: the words each is found by in events.csv (topic ev), by key
# the EV events the text cites, by their keys in events.csv (event_id)
EVENT_IDS = {
    "premiere": "twingo_premiere",
    "listed": "twingo_fr_evolution_listed",
    "deliveries": "twingo_first_deliveries_planned",
    "wave": "wave_name_reported",
    "france": "france_coup_de_pouce_extended",
    "germany": "germany_premium_applications",
    "spain_decree": "spain_auto_plus_decree",
    "leasing": "france_leasing_social_2026",
    "bnef": "bnef_2025_survey",
    "ecobonus": "italy_ecobonus_opens",
    "fr_applies": "france_coup_de_pouce_2026_applies",
}


def _stamp(table: str) -> tuple[Any, ...]:
    from alliancelib.data import file_stamp

    return file_stamp(f"{table}.csv")


@reads.cached(maxsize=32)
def _load_cached(table: str, stamp: tuple[Any, ...]) -> pd.DataFrame:
    from alliancelib.data import load

    return load(table)


def load(table: str) -> pd.DataFrame:
    """A data table (validated by alliancelib.data), kept while its file is unchanged."""
    return _load_cached(table, _stamp(table))


@reads.cached(maxsize=64)
def _lookup(kind: str, market: str, stamp: tuple[tuple[Any, ...], ...]) -> Any:
    if kind == "rivals":
        return market_list(market)["price_eur"].to_numpy(dtype=float)
    if kind == "price":
        row = base_price_row(market)
        return None if row is None else float(row["price_eur"])
    if kind == "vat":
        return vat_pct(market)
    if kind.startswith("incentive:"):
        return incentive_for(market, kind.split(":", 1)[1])
    raise KeyError(kind)


def cached(kind: str, market: str) -> Any:
    """A market's rival prices (``rivals``), reported base price (``price``), VAT rate (``vat``) or
    incentive (``incentive:<household>``), computed once per state of the data files."""
    return _lookup(kind, market, (_stamp("car_models"), _stamp("vat_rates"), _stamp("incentives")))


def day(text: Any) -> dt.date:
    """A (partial) ISO date of the data as a date."""
    from alliancelib.data import parse_partial_date

    return parse_partial_date(str(text))


def reported_prices() -> pd.DataFrame:
    """Every reported Twingo price (car_models.csv), all markets, trims and sources."""
    cars = load("car_models")
    return cars[cars["model"] == TWINGO].reset_index(drop=True)


def base_price_row(market: str) -> pd.Series | None:
    """The newest reported list price of the base (Evolution) trim in ``market``, or None."""
    rows = reported_prices()
    rows = rows[(rows["market"] == market) & (rows["trim"] == BASE_TRIM) & (rows["price_kind"] == "list")]
    if rows.empty:
        return None
    dates = [str(d) for d in rows["as_of"]]
    order = sorted(range(len(rows)), key=lambda i: (day(dates[i]), len(dates[i])))
    return rows.iloc[order[-1]]


def markets_with_price() -> dict[str, float]:
    """The reported base-trim price of every market that has one (EUR), by market."""
    out = {}
    for market in sorted(set(reported_prices()["market"])):
        row = base_price_row(market)
        if row is not None:
            out[market] = float(row["price_eur"])
    return out


def trim_prices(market: str, trim: str) -> list[float]:
    """Every reported price of a Twingo trim in a market (EUR)."""
    rows = reported_prices()
    return [float(x) for x in rows.loc[(rows["market"] == market) & (rows["trim"] == trim), "price_eur"]]


def vat_pct(market: str) -> float:
    """The market's standard VAT rate (%, vat_rates.csv)."""
    from alliancelib.data import row

    return float(row("vat_rates", market)["vat_pct"])


def publisher(source_id: str) -> str:
    """A source's publisher (sources.csv)."""
    return str(load("sources").set_index("source_id").at[source_id, "publisher"])


@dataclass(frozen=True)
class Incentive:
    """The incentive looked up for a market and household: the amount (EUR; 0 where no scheme
    applies), and the scheme's row where there is one."""

    market: str
    household: str
    amount_eur: float
    scheme: str = ""
    tier: str = ""
    status: str = ""
    source_id: str = ""

    @property
    def applies(self) -> bool:
        """Whether a scheme applies (False: the amount is 0)."""
        return bool(self.scheme)


def incentive_for(market: str, household: str) -> Incentive:
    """The market's current scheme for ``household`` (incentives.csv's ``household`` column); 0
    where no scheme applies."""
    scheme = CURRENT_SCHEME.get(market)
    if scheme is None:
        return Incentive(market, household, 0.0)
    rows = scheme_rows(market)
    row = rows[rows["household"] == household]
    if row.empty:
        raise KeyError(f"incentives.csv has no {household} tier for {market}'s {scheme}")
    r = row.iloc[0]
    return Incentive(
        market, household, float(r["amount"]), scheme, str(r["tier"]), str(r["status"]), str(r["source_id"])
    )


def scheme_rows(market: str) -> pd.DataFrame:
    """The rows of the market's current scheme (empty where none applies), lowest income first."""
    scheme = CURRENT_SCHEME.get(market)
    rows = load("incentives")
    rows = rows[(rows["country"] == market) & (rows["scheme"] == scheme)].copy()
    rows["order"] = rows["household"].map({h: i for i, h in enumerate(HOUSEHOLDS)})
    return rows.sort_values("order").drop(columns="order").reset_index(drop=True)


def dedupe_newest(frame: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    """One row per ``keys``: the newest as_of (ties: the first in file order)."""
    frame = frame.copy()
    frame["_day"] = [day(d) for d in frame["as_of"]]
    frame["_pos"] = range(len(frame))
    frame = frame.sort_values(["_day", "_pos"], ascending=[False, True], kind="stable")
    return frame.drop_duplicates(list(keys)).sort_values("_pos").drop(columns=["_day", "_pos"])


def market_list(market: str) -> pd.DataFrame:
    """The market's list of EVs the Twingo is ranked against: every EV with a list price in
    ``market`` except the Twingo, one row per model (its newest reported list price)."""
    cars = load("car_models")
    rows = cars[
        (cars["market"] == market)
        & (cars["powertrain"] == "bev")
        & (cars["price_kind"] == "list")
        & (cars["model"] != TWINGO)
    ]
    return dedupe_newest(rows, ["model"]).reset_index(drop=True)


def europe_segment() -> pd.DataFrame:
    """Every small EV with a price and a range in the data, all markets and kinds of price, the
    Twingo's own rows left out (one row per model, market, kind of price and price)."""
    cars = load("car_models")
    rows = cars[(cars["powertrain"] == "bev") & (cars["model"] != TWINGO) & cars["range_km"].notna()]
    keys = ["model", "market", "price_kind", "price_eur", "range_km"]
    return dedupe_newest(rows, keys).reset_index(drop=True)


def all_evs() -> pd.DataFrame:
    """Every EV in the data but the Twingo, one row per model, market, kind of price and price."""
    cars = load("car_models")
    rows = cars[(cars["powertrain"] == "bev") & (cars["model"] != TWINGO)]
    return dedupe_newest(rows, ["model", "market", "price_kind", "price_eur"])


def segment_metrics(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with price per km of range (EUR/km), km of range per kWh of battery and price per
    kWh (EUR/kWh) (the reader columns of alliancelib.fields, section 03 pricing)."""
    out = frame.copy()
    out["pricing_eur_per_km"] = out["price_eur"] / out["range_km"]
    out["pricing_km_per_kwh"] = out["range_km"] / out["battery_kwh"]
    out["pricing_eur_per_kwh"] = out["price_eur"] / out["battery_kwh"]
    return out


# --------------------------------------------------------------------------- exchange rates


@reads.cached(maxsize=64)
def _rate(fx_date: str, eur_usd: float | None, stamp: tuple[Any, ...]) -> fx.Fixing:
    return fx.rate_or_override("USD", fx_date, eur_usd)


def rate(fx_date: str, eur_usd: float | None = None) -> fx.Fixing:
    """The EUR/USD rate: ``eur_usd`` if given, else the ECB fixing of ``fx_date``."""
    return _rate(fx_date, eur_usd, _stamp("fx_rates"))


@reads.cached(maxsize=4)
def _held(stamp: tuple[Any, ...]) -> tuple[dt.date, dt.date]:
    return fx.held_range("USD")


def fx_bounds() -> tuple[dt.date, dt.date]:
    """The first and last ECB dollar fixings held."""
    return _held(_stamp("fx_rates"))


def pack_price_date() -> str:
    """The day BloombergNEF published the 2025 survey the pack price comes from (ISO; the date of its
    source in sources.csv): the day whose exchange rate converts the pack price."""
    packs = load("battery_prices")
    source = str(packs.loc[(packs["year"] == 2025) & (packs["segment"] == "lfp"), "source_id"].iloc[0])
    return str(load("sources").set_index("source_id").at[source, "date_published"])


def newest_fixing() -> str:
    """The newest ECB dollar fixing held (ISO date)."""
    return str(fx_bounds()[1])


# --------------------------------------------------------------------------- facts the text quotes


def fact(fact_id: str) -> float:
    """A figure of facts.csv by its id (recorded as read: its source goes in the footer)."""
    from alliancelib.data import fact as data_fact

    return data_fact(fact_id)


def fact_as_of(fact_id: str) -> str:
    """The date of a figure of facts.csv (a partial ISO date)."""
    from alliancelib.data import row

    return str(row("facts", fact_id)["as_of"])


def fact_source(fact_id: str) -> str:
    """The source of a figure of facts.csv."""
    from alliancelib.data import row

    return str(row("facts", fact_id)["source_id"])


def uk_prices() -> pd.DataFrame:
    """The Twingo's UK price figures (facts.csv), in the order of :data:`UK_FACTS`."""
    from alliancelib.data import record_rows

    return record_rows(load("facts").set_index("fact_id").loc[list(UK_FACTS)].reset_index(), "facts")


def battery_facts() -> dict[str, float]:
    """BloombergNEF's pack prices (USD/kWh) by key, Europe's premium over China (%) and Europe's
    average by our arithmetic."""
    return dict(_battery_facts(_stamp("battery_prices"), _stamp("facts")))


@reads.cached(maxsize=4)
def _battery_facts(stamp: tuple[Any, ...], facts_stamp: tuple[Any, ...]) -> dict[str, float]:
    packs = load("battery_prices").set_index(["year", "segment", "kind"])["pack_usd_per_kwh"].astype(float)
    europe_premium = fact("battery_pack_premium_europe_2025_pct")
    china = packs[(2025, "china", "survey")]
    return {
        "lfp_2025": packs[(2025, "lfp", "survey")],
        "nmc_2025": packs[(2025, "nmc", "survey")],
        "all_2023": packs[(2023, "all", "survey")],
        "all_2024": packs[(2024, "all", "survey")],
        "all_2025": packs[(2025, "all", "survey")],
        "bev_2025": packs[(2025, "bev", "survey")],
        "china_2025": china,
        "europe_premium_pct": europe_premium,
        "europe_2025": china * (1 + europe_premium / 100),
        "forecast_2026": packs[(2026, "all", "forecast")],
    }


def article_conversion() -> tuple[float, float]:
    """The article's conversion of the Twingo's price (claims.csv): EUR and USD."""
    from alliancelib.data import record_rows

    claims, links = load("claims"), load("claim_sources")
    row = claims[claims["claim_id"] == ARTICLE_CLAIM].iloc[0]
    record_rows(links[links["claim_id"] == ARTICLE_CLAIM], "claim_sources")  # the article
    return float(row["base_value"]), float(row["value"])


def article_date() -> str:
    """The day of the article's conversion (claims.csv), ISO."""
    claims = load("claims")
    return str(claims.loc[claims["claim_id"] == ARTICLE_CLAIM, "claim_date"].iloc[0])


def events() -> dict[str, pd.Series]:
    """The EV events the text cites, by key (:data:`EVENT_IDS`): the ONE place events are found, by
    their keys in events.csv, never by their wording; a missing one is an error naming it."""
    ev = load("events").set_index("event_id", drop=False)
    missing = [k for k in EVENT_IDS.values() if k not in ev.index]
    if missing:
        raise KeyError(f"events.csv has no event {missing[0]!r}")
    from alliancelib.data import record_rows

    out: dict[str, pd.Series] = {}
    for key, event_id in EVENT_IDS.items():
        row = ev.loc[event_id]
        assert isinstance(row, pd.Series)  # event_id is the table's primary key
        out[key] = row
    record_rows(ev.loc[list(EVENT_IDS.values())], "events")
    return out


def smallest_fr_bonus_eur() -> float:
    """The smallest French bonus implied by Caradisiac's price after it (EUR): the French list
    price less the price after the bonus (facts.csv, the same source)."""
    row = base_price_row("FR")
    listed = float(row["price_eur"]) if row is not None else np.nan
    return listed - fact("twingo_price_fr_after_smallest_bonus_eur")


def wave_production_year() -> float:
    """The year Nissan's sibling is to be built from (facts.csv)."""
    return fact("wave_production_start_year")


def dacia_successor() -> pd.Series:
    """The Twingo-based Dacia's row (car_models.csv)."""
    from alliancelib.data import record_rows

    cars = load("car_models")
    return record_rows(cars[cars["model"].str.startswith("Dacia Spring successor")], "car_models").iloc[0]


def observed_fr_offers() -> pd.DataFrame:
    """France's 2026 coup de pouce as observed in suppliers' offers of mid-2026 (incentives.csv, a
    secondary source that CONFLICTS with the indicative amounts), by household."""
    rows = load("incentives")
    return rows[(rows["country"] == "FR") & rows["scheme"].str.contains("offers observed", regex=False)]


def social_leasing() -> pd.DataFrame:
    """France's 2026 social leasing rows (incentives.csv): the state's share of the price and its cap."""
    rows = load("incentives")
    return rows[(rows["country"] == "FR") & (rows["scheme"] == "leasing social 2026")]


def social_leasing_share_pct() -> float:
    """The share of the price France's 2026 social leasing pays (%), as its row's conditions state it
    ("state pays 29% of the price up to ...")."""
    import re

    conditions = str(social_leasing()["conditions"].iloc[0])
    found = re.search(r"state pays (\d+(?:\.\d+)?)% of the price", conditions)
    if found is None:
        raise ValueError(
            f"incentives.csv: the social leasing's conditions do not state its share: {conditions!r}"
        )
    return float(found.group(1))


def auto_plus_decree() -> pd.DataFrame:
    """Spain's Programa Auto+ rows under Real Decreto 609/2026 (incentives.csv), largest amount first."""
    rows = load("incentives")
    rows = rows[(rows["country"] == "ES") & rows["scheme"].str.contains("Real Decreto", regex=False)]
    return rows.sort_values("amount", ascending=False, kind="stable")


def uk_grant() -> pd.DataFrame:
    """The UK Electric Car Grant's rows (incentives.csv)."""
    from alliancelib.data import record_rows

    rows = load("incentives")
    return record_rows(
        rows[(rows["country"] == "UK") & (rows["scheme"] == "Electric Car Grant")], "incentives"
    )


def model_rows(model: str) -> pd.DataFrame:
    """Every row of a model in car_models.csv, oldest first (file order among equal dates)."""
    from alliancelib.data import record_rows

    cars = load("car_models")
    rows = record_rows(cars[cars["model"] == model], "car_models").copy()
    rows["_day"] = [day(d) for d in rows["as_of"]]
    return rows.sort_values("_day", kind="stable").drop(columns="_day").reset_index(drop=True)
