"""The model of notebook 04 (Ampere): its parameters and their rules, the arithmetic of the round
(pure functions), the headline results and the thresholds the findings state. No words: the
conclusions' statements are rendered from ``text.md.j2``.

Valuations are EUR bn, commitments EUR m.

**Stakes.** New money ``c`` into a company worth ``pre`` before the money (pre-money) buys
``c / post`` of it, ``post = pre + all new money`` (post-money); Renault, which held 100% before the
round, keeps ``pre / post``. Nissan's commitment had two successive ceilings: a stake ceiling
(February 2023), then a money ceiling (July 2023; no source says the one replaced the other).
Shown together, a ceiling on the stake means Nissan never holds more than the cap: where its money
would buy more, it puts in only what buys the cap, ``x = cap / (1 - cap) x (pre + m)`` with ``m``
the other new money, and the post-money shrinks accordingly. So the stake is
``min(c / (pre + c + m), cap)`` and every holder's stakes still add up to 100%.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from alliancelib import fx, reads
from alliancelib.params import IsoDate, Number, Optional, Plausible, fields_of, param, validate
from alliancelib.results import ResultSpec
from alliancelib.topics.ampere import inputs
from alliancelib.uncertainty import Conclusion

NOTEBOOK = "04_ampere_investment"
TOPIC = "ampere"
# the sensitivity table's values of Ampere before the new money (EUR bn): down to EUR 4bn, through the
# CEO's EUR 8-10bn; the analysis adds the value set and the break-even at half the ceiling
STAKE_TABLE_PRE_MONEY = (4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0, 12.0)


# --------------------------------------------------------------------------- arithmetic


def post_money_eur_bn(pre_money_eur_bn: Any, *commitments_eur_m: Any) -> Any:
    """Post-money valuation: pre-money plus every commitment (EUR bn).

    >>> post_money_eur_bn(10.0, 600, 200)
    10.8
    """
    return pre_money_eur_bn + sum(commitments_eur_m) / 1000


def implied_stake_pct(commitment_eur_m: Any, post_money_eur_bn: Any) -> Any:
    """Stake (%) new money buys at a post-money valuation.

    >>> round(implied_stake_pct(600, 10.8), 4)
    5.5556
    """
    return commitment_eur_m / 1000 / post_money_eur_bn * 100


def existing_holder_stake_pct(
    pre_money_eur_bn: Any, post_money_eur_bn: Any, held_before_pct: float = 100.0
) -> Any:
    """Stake (%) of a holder of ``held_before_pct`` before the round, after it (diluted).

    >>> round(existing_holder_stake_pct(10, 10.8), 4)
    92.5926
    """
    return held_before_pct * pre_money_eur_bn / post_money_eur_bn


def valuation_for_stake_eur_bn(commitment_eur_m: Any, stake_pct: Any) -> Any:
    """Post-money valuation (EUR bn) at which ``commitment_eur_m`` buys exactly ``stake_pct``:
    below it a stake ceiling, not the money, limits the investor.

    >>> valuation_for_stake_eur_bn(600, 15)
    4.0
    """
    stake = np.asarray(stake_pct, dtype=float)
    if np.any(stake <= 0):
        raise ValueError("the stake must be positive")
    out = np.asarray(commitment_eur_m, dtype=float) / 1000 / (stake / 100)
    return float(out) if out.ndim == 0 else out


def pre_money_for_stake_eur_bn(commitment_eur_m: Any, stake_pct: Any, other_eur_m: Any) -> Any:
    """Value before the new money (EUR bn) at which ``commitment_eur_m``, with ``other_eur_m`` of
    other new money alongside, buys exactly ``stake_pct``: ``(c / s - c - m) / 1000``. Below it the
    money would buy more than ``stake_pct``, above it less. Negative where no positive value lets the
    money buy that much (a stake above ``c / (c + m)``).

    >>> round(pre_money_for_stake_eur_bn(600, 15, 200), 6)  # 600 / 0.15 - 800 = 3,200
    3.2
    >>> round(pre_money_for_stake_eur_bn(600, 7.5, 200), 6)  # half the ceiling: 600 / 0.075 - 800
    7.2
    """
    post_eur_m = valuation_for_stake_eur_bn(commitment_eur_m, stake_pct) * 1000
    return (post_eur_m - commitment_eur_m - other_eur_m) / 1000


def capped_investment_eur_m(
    commitment_eur_m: Any, pre_money_eur_bn: Any, other_eur_m: Any, cap_pct: Any
) -> Any:
    """What an investor with a money ceiling and a stake ceiling puts in: all its money, or only
    what buys exactly ``cap_pct`` when the money would buy more.

    Buying a share ``k`` with the others' ``other_eur_m`` also coming in takes
    ``x = k / (1 - k) x (pre + other)`` (solve ``x / (pre + x + other) = k``). A cap of 100% never
    binds.

    >>> capped_investment_eur_m(600, 10.0, 200, 15)  # EUR 600m buys 5.6%: all of it goes in
    600.0
    >>> round(capped_investment_eur_m(600, 2.0, 200, 15), 4)  # 600m would buy 21.4%: only 388m
    388.2353
    """
    c = np.asarray(commitment_eur_m, dtype=float)
    k = np.asarray(cap_pct, dtype=float) / 100
    base = np.asarray(pre_money_eur_bn, dtype=float) * 1000 + np.asarray(other_eur_m, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        cap_amount = np.where(k < 1, k / np.where(k < 1, 1 - k, 1.0) * base, np.inf)
    out = np.minimum(c, cap_amount)
    return float(out) if out.ndim == 0 else out


def round_stakes(
    pre_money_eur_bn: Any, nissan_eur_m: Any, mitsubishi_eur_m: Any, nissan_cap_pct: Any = 100.0
) -> dict[str, Any]:
    """The round at one (or many) pre-money valuations: what Nissan puts in (capped), the
    post-money value and each holder's stake (Nissan at most its cap; the three add up to 100).

    >>> r = round_stakes(10.0, 600, 200, 15)
    >>> round(float(r["post_money_eur_bn"]), 4), round(float(r["nissan_pct"]), 4)
    (10.8, 5.5556)
    >>> round(float(round_stakes(2.0, 600, 200, 15)["nissan_pct"]), 6)  # the ceiling binds
    15.0
    """
    pre = np.asarray(pre_money_eur_bn, dtype=float)
    nissan_in = capped_investment_eur_m(nissan_eur_m, pre, mitsubishi_eur_m, nissan_cap_pct)
    post = post_money_eur_bn(pre, nissan_in, mitsubishi_eur_m)
    return {
        "nissan_invested_eur_m": nissan_in,
        "post_money_eur_bn": post,
        "nissan_pct": implied_stake_pct(nissan_in, post),
        "mitsubishi_pct": implied_stake_pct(mitsubishi_eur_m, post),
        "renault_pct": existing_holder_stake_pct(pre, post),
    }


def stake_table(
    pre_money_eur_bn: Sequence[float] | np.ndarray,
    nissan_eur_m: float,
    mitsubishi_eur_m: float,
    nissan_cap_pct: float = 100.0,
) -> pd.DataFrame:
    """Stakes of Nissan, Mitsubishi Motors and Renault at a list of pre-money valuations, with the
    reader columns of ``alliancelib.fields`` (section 04 ampere)."""
    pre = np.asarray(pre_money_eur_bn, dtype=float)
    r = round_stakes(pre, nissan_eur_m, mitsubishi_eur_m, nissan_cap_pct)
    return pd.DataFrame(
        {
            "ampere_pre_money_eur_bn": pre,
            "ampere_post_money_eur_bn": np.broadcast_to(r["post_money_eur_bn"], pre.shape),
            "ampere_nissan_stake_pct": np.broadcast_to(r["nissan_pct"], pre.shape),
            "ampere_mitsubishi_stake_pct": np.broadcast_to(r["mitsubishi_pct"], pre.shape),
            "ampere_renault_stake_pct": np.broadcast_to(r["renault_pct"], pre.shape),
        }
    )


def compared(stake_pct: float, cap_pct: float) -> str:
    """How a stake compares with a ceiling: the key of its words in the template (``compared__<key>``).

    >>> compared(6.8, 15), compared(7.5, 15), compared(10, 15), compared(15, 15)
    ('under_half', 'half', 'below', 'at')
    """
    if stake_pct < cap_pct / 2 - 1e-9:
        return "under_half"
    if stake_pct <= cap_pct / 2 + 1e-9:
        return "half"
    if stake_pct < cap_pct - 1e-9:
        return "below"
    return "at"


def amount_in_jpy_bn(amount_eur_m: Any, jpy_per_eur: Any) -> Any:
    """EUR m at a JPY-per-EUR rate, in JPY bn.

    >>> round(amount_in_jpy_bn(600, 161.60), 2)
    96.96
    """
    return amount_eur_m * jpy_per_eur / 1000


# --------------------------------------------------------------------------- parameters


@dataclass(frozen=True)
class AmpereParams:
    """Parameters of ``04_ampere_investment``. The bounds keep every input within what a company,
    a commitment or an exchange rate can be (EUR 10m to EUR 1tn for Ampere's value, at most EUR 100bn
    committed, a stake ceiling of at least 0.01%, 0.1-10 dollars and 10-1,000 yen per euro)."""

    pre_money_eur_bn: float = param(
        9.0,
        Number(minimum=0.01, maximum=1000),
        "Ampere's value before the new money, EUR bn (9: the middle of the CEO's 8-10)",
        label="Ampere's value before the new money",
        unit="EUR bn",
        plausible=Plausible(
            8.0,
            10.0,
            "De Meo's 'eight, nine, 10 billion' euros (FT via Nasdaq, "
            "2023-09-05): one party's remark (Renault's CEO), not a market price; pre- or post-money "
            "not stated",
            "spread",
        ),
    )
    nissan_commitment_eur_m: float = param(
        600.0,
        Number(minimum=0, maximum=100_000),
        "Nissan's commitment, EUR m (up to 600, 2023)",
        label="Nissan's commitment",
        unit="EUR m",
    )
    mitsubishi_commitment_eur_m: float = param(
        200.0,
        Number(minimum=0, maximum=100_000),
        "Mitsubishi Motors' commitment, EUR m (up to 200, 2023)",
        label="Mitsubishi Motors' commitment",
        unit="EUR m",
    )
    nissan_stake_cap_pct: float = param(
        15.0,
        Number(minimum=0.01, maximum=100),
        "Nissan's stake cap (up to 15%, 2023)",
        label="Nissan's stake ceiling of February 2023",
        unit="%",
    )
    fx_date: str = param(
        "2025-03-31",
        IsoDate(bounds=lambda: fx.held_range("USD"), bounds_label=" (ECB fixings held)"),
        "date of the ECB rates used (YYYY-MM-DD)",
        label="Date of the exchange rates",
    )
    eur_usd: float | None = param(
        None,
        Optional(Number(minimum=0.1, maximum=10)),
        "USD per EUR; None uses the ECB rate of fx_date",
        label="Dollars per euro",
    )
    eur_jpy: float | None = param(
        None,
        Optional(Number(minimum=10, maximum=1000)),
        "JPY per EUR; None uses the ECB rate of fx_date",
        label="Yen per euro",
    )


def validate_params(**values: Any) -> AmpereParams:
    """Validate the notebook's parameters."""
    __tracebackhide__ = True
    return validate(AmpereParams, NOTEBOOK, values)


def parameters_in(namespace: Mapping[str, Any]) -> dict[str, Any]:
    """The notebook's parameters found in ``namespace`` (the notebook's ``globals()``), by name: what
    the parameters cell (and papermill's injected cell) set. A missing one is left for
    :func:`validate_params` to report."""
    return {f.name: namespace[f.name] for f in fields_of(AmpereParams) if f.name in namespace}


# --------------------------------------------------------------------------- results

RESULTS = [
    ResultSpec(
        "nissan_commitment_usd_m", "USD m", "Nissan's commitment in dollars, at the rate date chosen", 0
    ),
    ResultSpec(
        "nissan_commitment_jpy_bn", "JPY bn", "Nissan's commitment in yen, at the rate date chosen", 1
    ),
    ResultSpec(
        "nissan_commitment_jpy_bn_latest",
        "JPY bn",
        "Nissan's commitment in yen, at the newest fixing held",
        1,
    ),
    ResultSpec("post_money_eur_bn", "EUR bn", "Ampere's value after the new money", 2),
    ResultSpec("nissan_implied_stake_pct", "%", "Stake Nissan's money buys", 2),
    ResultSpec("mitsubishi_implied_stake_pct", "%", "Stake Mitsubishi Motors' money buys", 2),
    ResultSpec("renault_stake_after_round_pct", "%", "Stake Renault keeps after the round", 2),
    ResultSpec("nissan_stake_at_ceo_min_valuation_pct", "%", "Nissan's stake at the CEO's EUR 8bn", 2),
    ResultSpec("nissan_stake_at_ceo_max_valuation_pct", "%", "Nissan's stake at the CEO's EUR 10bn", 2),
    ResultSpec(
        "outside_stake_at_ceo_min_valuation_pct",
        "%",
        "Stake Nissan's and Mitsubishi Motors' money buys together at the CEO's EUR 8bn",
        2,
    ),
    ResultSpec(
        "outside_stake_at_ceo_max_valuation_pct",
        "%",
        "Stake Nissan's and Mitsubishi Motors' money buys together at the CEO's EUR 10bn",
        2,
    ),
    ResultSpec(
        "valuation_implied_by_stake_cap_eur_bn",
        "EUR bn",
        "Value after the money below which the 15% ceiling, not the money, would bind",
        1,
    ),
    ResultSpec(
        "pre_money_where_cap_binds_eur_bn",
        "EUR bn",
        "Value before the money below which Nissan's money would buy more than its stake ceiling",
        1,
    ),
    ResultSpec(
        "pre_money_at_half_cap_eur_bn",
        "EUR bn",
        "Value before the money below which Nissan's money would buy more than half its stake ceiling",
        1,
    ),
    ResultSpec("cancelled_commitments_eur_m", "EUR m", "Outside money committed and cancelled", 0),
]
OPTIONAL_RESULTS: tuple[str, ...] = ()
# the results that move with the pre-money valuation (the others say why they have no range)
RANGED = (
    "post_money_eur_bn",
    "nissan_implied_stake_pct",
    "mitsubishi_implied_stake_pct",
    "renault_stake_after_round_pct",
)


def latest_jpy() -> fx.Fixing:
    """The newest ECB yen fixing held."""
    return fx.ecb_rate("JPY", fx.held_range("JPY")[1])


def data_stamp() -> tuple[Any, ...]:
    """The data folder and the state of the files headline reads (a cache key: an edited or swapped
    data folder is read again)."""
    return inputs.stamp()


@reads.cached(maxsize=512)
def _lookups(
    fx_date: str, eur_usd: float | None, eur_jpy: float | None, stamp: tuple[Any, ...]
) -> dict[str, float]:
    """The rates and sourced figures headline needs, looked up once per parameters and data state."""
    i = inputs.read()
    return {
        "usd": fx.rate_or_override("USD", fx_date, eur_usd).rate_per_eur,
        "jpy": fx.rate_or_override("JPY", fx_date, eur_jpy).rate_per_eur,
        "jpy_latest": latest_jpy().rate_per_eur,
        "ceo_low": i.ceo_low_eur_bn,
        "ceo_high": i.ceo_high_eur_bn,
    }


def headline(p: AmpereParams, **draws: Any) -> dict[str, Any]:
    """The headline results; any parameter may be replaced by a numpy array in ``draws``.

    One implementation of each formula: :func:`analyse` and the uncertainty analysis call it.
    """
    names = (
        "pre_money_eur_bn",
        "nissan_commitment_eur_m",
        "mitsubishi_commitment_eur_m",
        "nissan_stake_cap_pct",
    )
    q = {name: draws.get(name, getattr(p, name)) for name in names}
    k = _lookups(p.fx_date, p.eur_usd, p.eur_jpy, data_stamp())
    usd, jpy, jpy_latest = k["usd"], k["jpy"], k["jpy_latest"]
    nissan, mmc = q["nissan_commitment_eur_m"], q["mitsubishi_commitment_eur_m"]
    cap = q["nissan_stake_cap_pct"]
    now = round_stakes(q["pre_money_eur_bn"], nissan, mmc, cap)
    at_low = round_stakes(k["ceo_low"], nissan, mmc, cap)
    at_high = round_stakes(k["ceo_high"], nissan, mmc, cap)
    cancelled = nissan + mmc
    return {
        "nissan_commitment_usd_m": nissan * usd,
        "nissan_commitment_jpy_bn": amount_in_jpy_bn(nissan, jpy),
        "nissan_commitment_jpy_bn_latest": amount_in_jpy_bn(nissan, jpy_latest),
        "post_money_eur_bn": now["post_money_eur_bn"],
        "nissan_implied_stake_pct": now["nissan_pct"],
        "mitsubishi_implied_stake_pct": now["mitsubishi_pct"],
        "renault_stake_after_round_pct": now["renault_pct"],
        "nissan_stake_at_ceo_min_valuation_pct": at_low["nissan_pct"],
        "nissan_stake_at_ceo_max_valuation_pct": at_high["nissan_pct"],
        "outside_stake_at_ceo_min_valuation_pct": at_low["nissan_pct"] + at_low["mitsubishi_pct"],
        "outside_stake_at_ceo_max_valuation_pct": at_high["nissan_pct"] + at_high["mitsubishi_pct"],
        "valuation_implied_by_stake_cap_eur_bn": valuation_for_stake_eur_bn(nissan, cap),
        "pre_money_where_cap_binds_eur_bn": pre_money_for_stake_eur_bn(nissan, cap, mmc),
        "pre_money_at_half_cap_eur_bn": pre_money_for_stake_eur_bn(nissan, cap / 2, mmc),
        "cancelled_commitments_eur_m": cancelled,
    }


def conclusions(p: AmpereParams) -> list[Conclusion]:
    """The sign and threshold statements the findings make (their break-evens are the results
    ``pre_money_at_half_cap_eur_bn`` and ``pre_money_where_cap_binds_eur_bn``; their share of the
    tested range is in the technical appendix; their wording is the template's)."""
    from alliancelib.core.prose import render

    half = p.nissan_stake_cap_pct / 2
    return [
        Conclusion(
            "under_half_cap",
            "nissan_implied_stake_pct",
            lambda v: v < half - 1e-9,
            render(TOPIC, "conclusion_under_half_cap", cap_pct=p.nissan_stake_cap_pct),
        ),
        Conclusion(
            "cap_never_binds",
            "nissan_implied_stake_pct",
            lambda v: v < p.nissan_stake_cap_pct - 1e-9,
            render(TOPIC, "conclusion_cap_never_binds", cap_pct=p.nissan_stake_cap_pct),
        ),
    ]
