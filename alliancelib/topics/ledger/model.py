"""The model of notebook 05 (the deal ledger): its parameters and their rules, the ledger's lines as
facts (who gives or gets what, in which kind, how much, sourced where), the headline results and the
threshold the findings state. Pure functions of the parameters and :mod:`.inputs`; no words (the
lines' labels are rendered from ``text.md.j2`` by :mod:`.analysis`).

The three parameters shared with ``01_ownership`` (``nissan_sells_renault_pct``, ``buyer``,
``renault_share_price_eur``, and ``nissan_in_renault_pct``) are 01's own definitions, copied field by
field, so a scenario that sets them moves both notebooks, and the lock-up rule is 01's: Nissan may
not sell below the new 10% threshold. Nissan's option raises 01's ``sale_proceeds_eur_m`` for the
same parameters.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from alliancelib import reads
from alliancelib.errors import ParameterError
from alliancelib.params import fields_of, param, validate
from alliancelib.results import ResultSpec
from alliancelib.topics.ledger import inputs
from alliancelib.topics.ledger.inputs import ANNOUNCEMENT, Inputs
from alliancelib.topics.ownership import OwnershipParams, buyer_words, max_points_above, sale_proceeds_eur_m
from alliancelib.uncertainty import Conclusion

NOTEBOOK = "05_deal_ledger"
TOPIC = "ledger"
PARTIES = ("Renault", "Nissan", "Mitsubishi Motors")


# --------------------------------------------------------------------------- parameters


def _shared(name: str) -> Any:
    """A parameter of ``01_ownership``, copied: same default, spec, help, label, unit and range."""
    f = {f.name: f for f in fields_of(OwnershipParams)}[name]
    md = f.metadata
    return param(
        f.default,
        md["spec"],
        md["help"],
        label=md.get("label", ""),
        plausible=md.get("plausible"),
        unit=md.get("unit", ""),
    )


@dataclass(frozen=True)
class LedgerParams:
    """Parameters of ``05_deal_ledger``: those that mean the same as in ``01_ownership``, where Nissan's
    stake in Renault (15% or 15.27%: the sources conflict) sets how far the lock-up lets it sell."""

    nissan_sells_renault_pct: float = _shared("nissan_sells_renault_pct")
    buyer: str = _shared("buyer")
    renault_share_price_eur: float = _shared("renault_share_price_eur")
    nissan_in_renault_pct: float = _shared("nissan_in_renault_pct")


SHARED_WITH_01 = tuple(f.name for f in fields_of(LedgerParams))


def parameters_in(namespace: Mapping[str, Any]) -> dict[str, Any]:
    """The notebook's parameters found in ``namespace`` (the notebook's ``globals()``), by name: what
    the parameters cell (and papermill's injected cell) set. A missing one is left for
    :func:`validate_params` to report."""
    return {f.name: namespace[f.name] for f in fields_of(LedgerParams) if f.name in namespace}


def validate_params(**values: Any) -> LedgerParams:
    """Validate the notebook's parameters, with 01's lock-up rule: Nissan may sell Renault shares
    down to the 10% lock-up and no further (more points when Renault buys them back and cancels
    them, since Renault's capital then shrinks)."""
    __tracebackhide__ = True
    return validate(LedgerParams, NOTEBOOK, values, rules=[_rule_stake, _rule_lockup])


def _rule_stake(p: LedgerParams) -> None:
    __tracebackhide__ = True
    others, text = inputs.others_in_renault()
    room = 100.0 - others
    if p.nissan_in_renault_pct > room + 1e-9:
        raise ParameterError(
            NOTEBOOK,
            "nissan_in_renault_pct",
            p.nissan_in_renault_pct,
            f"0 to {room:.4g}: other holders of Renault hold the rest at {ANNOUNCEMENT} ({text})",
        )


def most_points(p: LedgerParams) -> tuple[float, float, float]:
    """(Nissan's stake before, the lock-up, the most points it may sell) for the parameters' stake and
    buyer (01's rule: a buyback cancels the shares, so Renault's capital shrinks and more points fit)."""
    before, lockup = p.nissan_in_renault_pct, inputs.read().lockup_after_pct
    buyer = "buyback" if p.buyer == "renault" else "third_party"
    return before, lockup, max_points_above(before, lockup, buyer)


def _rule_lockup(p: LedgerParams) -> None:
    __tracebackhide__ = True
    before, lockup, most = most_points(p)
    if p.nissan_sells_renault_pct > most + 1e-9:
        raise ParameterError(
            NOTEBOOK,
            "nissan_sells_renault_pct",
            p.nissan_sells_renault_pct,
            f"0 to {most:.4g} points at a {lockup:g}% lock-up: Nissan holds {before:g}% of Renault at "
            f"{ANNOUNCEMENT} and may not go below the lock-up threshold (sold to {buyer_words(p.buyer)})",
        )


# --------------------------------------------------------------------------- the ledger

# the ledger's three columns, kept apart in the table, the chart and the text: cash between the parties
# (paid, or agreed to be paid, by one party to another; a party's own spending is not a line);
# commitments avoided or forgone (money promised and no longer due: not cash); value transfers
# (options, shares of a result, dividends, products: what changes hands other than cash)
COLUMNS = ("cash", "commitment", "transfer")


@dataclass(frozen=True)
class Item:
    """One party's side of one ledger item.

    ``key`` names the item (both sides of a transaction share it); ``column`` is one of
    :data:`COLUMNS`; ``gets`` is True for what the party receives, avoids paying or keeps, False for
    what it gives or forgoes; ``amount_eur_m`` is signed from the party's side (None where no money
    figure exists; a yearly amount where ``yearly``); ``sized`` says a source (or our arithmetic on
    sourced figures) gives a share or a capacity instead of money; ``status`` is reported, derived,
    parameter, undisclosed, not reported (a figure that exists but no source gives) or not quantified.
    ``label``, ``what`` and ``size`` are the words the ledger shows, rendered from the template
    (empty on the model's own lines).
    """

    key: str
    party: str
    gets: bool
    column: str
    amount_eur_m: float | None
    status: str
    date: str
    source_id: str
    sized: bool = False
    yearly: bool = False
    label: str = ""
    what: str = ""
    size: str = ""

    def __post_init__(self) -> None:
        if self.column not in COLUMNS:
            raise ValueError(f"ledger item {self.key}: column {self.column!r}; allowed: {', '.join(COLUMNS)}")

    @property
    def quantified(self) -> bool:
        """Whether a source (or the notebook's arithmetic on sourced figures) sizes the item."""
        return self.amount_eur_m is not None or self.sized

    @property
    def block(self) -> str:
        """The prefix of this line's blocks in the template: ``<party>__<key>``."""
        return f"{self.party.split()[0].lower()}__{self.key}"


def items(
    p: LedgerParams, option_eur_m: float | None = None, dividends_eur_m: float | None = None
) -> list[Item]:
    """Every ledger line, column by column (cash, commitments, value transfers) and within a column
    in party order, as facts (the option's proceeds and the dividends at the parameters unless given)."""
    i = inputs.read()
    if option_eur_m is None or dividends_eur_m is None:
        v = headline(p)
        option_eur_m = float(v["nissan_option_proceeds_eur_m"])
        dividends_eur_m = float(v["nissan_dividends_forgone_eur_m"])
    nissan, mmc, done = i.nissan, i.mmc, i.rnaipl_completed
    renault_buys = p.buyer == "renault"
    # the reports that date the option (Nissan's plan) and the dividend (Renault's 2025 results)
    plan, results = "business_standard_20250616", "trivano_renault_fy2025"
    price_source = "latestly_pti_20250728"
    out = [
        # ---- cash between the parties
        Item("rnaipl_price", "Renault", False, "cash", None, "undisclosed", done, price_source),
        Item("rnaipl_price", "Nissan", True, "cash", None, "undisclosed", done, price_source),
        # ---- commitments avoided or forgone (not cash)
        Item(
            "ampere_nissan",
            "Renault",
            False,
            "commitment",
            -nissan.amount_eur_m,
            "reported",
            nissan.ended_on,
            nissan.status_source_id,
        ),
        Item(
            "ampere_mmc",
            "Renault",
            False,
            "commitment",
            -mmc.amount_eur_m,
            "reported",
            mmc.ended_on,
            mmc.status_source_id,
        ),
        Item(
            "ampere_stake",
            "Renault",
            True,
            "commitment",
            None,
            "derived",
            nissan.ended_on,
            "nasdaq_ft_20230905",
            sized=True,
        ),
        Item(
            "ampere_nissan",
            "Nissan",
            True,
            "commitment",
            nissan.amount_eur_m,
            "reported",
            nissan.ended_on,
            nissan.status_source_id,
        ),
        Item(
            "ampere_stake",
            "Nissan",
            False,
            "commitment",
            None,
            "derived",
            nissan.ended_on,
            nissan.source_id,
            sized=True,
        ),
        Item(
            "ampere_mmc",
            "Mitsubishi Motors",
            True,
            "commitment",
            mmc.amount_eur_m,
            "reported",
            mmc.ended_on,
            mmc.status_source_id,
        ),
        Item(
            "ampere_stake",
            "Mitsubishi Motors",
            False,
            "commitment",
            None,
            "derived",
            mmc.ended_on,
            "nasdaq_ft_20230905",
            sized=True,
        ),
        # ---- value transfers
        Item(
            "first_refusal",
            "Renault",
            not renault_buys,
            "transfer",
            -option_eur_m if renault_buys else None,
            "parameter" if renault_buys else "not quantified",
            inputs.published(plan),
            plan,
        ),
    ]
    if renault_buys:
        out.append(
            Item(
                "dividends",
                "Renault",
                True,
                "transfer",
                dividends_eur_m,
                "parameter",
                i.dividend_as_of,
                results,
                yearly=True,
            )
        )
    out += [
        Item(
            "renault_lockup",
            "Renault",
            True,
            "transfer",
            None,
            "derived",
            ANNOUNCEMENT,
            "dealerfloor_202507",
            sized=True,
        ),
        Item(
            "rnaipl_result",
            "Renault",
            True,
            "transfer",
            None,
            "reported",
            done,
            "fortuneindia_20250801",
            sized=True,
        ),
        Item(
            "nissan_option",
            "Nissan",
            True,
            "transfer",
            option_eur_m,
            "parameter",
            ANNOUNCEMENT,
            "dealerfloor_202507",
        ),
        Item(
            "dividends",
            "Nissan",
            False,
            "transfer",
            -dividends_eur_m,
            "parameter",
            i.dividend_as_of,
            results,
            yearly=True,
        ),
        Item(
            "rnaipl_result",
            "Nissan",
            False,
            "transfer",
            None,
            "not reported",
            done,
            "fortuneindia_20250801",
            sized=True,
        ),
        Item(
            "rnaipl_customer",
            "Nissan",
            True,
            "transfer",
            None,
            "undisclosed",
            "2026-01-23",
            "republicworld_20260123",
        ),
        Item(
            "twingo_ev",
            "Nissan",
            True,
            "transfer",
            None,
            "not quantified",
            ANNOUNCEMENT,
            "indianautosblog_20250331",
        ),
    ]
    return out


def unquantified(lines: Sequence[Item]) -> list[str]:
    """The items no source quantifies (by key, both sides of a transaction counted once)."""
    seen: dict[str, Item] = {}
    for it in lines:
        if not it.quantified:
            seen.setdefault(it.key, it)
    return list(seen)


def distinct_items(lines: Sequence[Item]) -> int:
    """How many items the ledger holds (both sides of a transaction counted once)."""
    return len({it.key for it in lines})


def ampere_shares_pct(i: Inputs, money_eur_m: float) -> tuple[float, float]:
    """The share of Ampere ``money_eur_m`` would have bought with both commitments paid in, at the
    top and the bottom of the CEO's EUR 8-10bn (our arithmetic, if the money bought new shares:
    money / (value before + both commitments)), in %.

    >>> [round(x, 2) for x in ampere_shares_pct(inputs.read(), 800.0)]
    [7.41, 9.09]
    """
    from alliancelib.topics.ampere.model import implied_stake_pct

    both_eur_m = i.nissan.amount_eur_m + i.mmc.amount_eur_m
    return (
        float(implied_stake_pct(money_eur_m, i.ceo_high_eur_bn + both_eur_m / 1000)),
        float(implied_stake_pct(money_eur_m, i.ceo_low_eur_bn + both_eur_m / 1000)),
    )


def freed_by_lockup() -> tuple[float, float, float]:
    """What the deal adds to what Renault may sell of Nissan: (Renault's share of Nissan in %, the points
    between the old and the new lock-up, their value in EUR bn at 31 March 2025 prices: 01's
    arithmetic on Nissan's market value)."""
    from alliancelib.topics import ownership

    i = inputs.read()
    held = ownership.headline(ownership.OwnershipParams())
    share_pct = float(held["renault_in_nissan_economic_pct"])
    points = i.lockup_before_pct - i.lockup_after_pct
    return share_pct, points, float(held["renault_stake_in_nissan_value_eur_bn"]) * points / share_pct


# --------------------------------------------------------------------------- results

RESULTS = [
    ResultSpec(
        "nissan_option_proceeds_eur_m", "EUR m", "What Nissan's option to sell Renault shares would raise", 0
    ),
    ResultSpec(
        "nissan_dividends_forgone_eur_m",
        "EUR m",
        "Renault dividends a year Nissan gives up on the shares it would sell, at the proposed dividend",
        1,
    ),
    ResultSpec(
        "nissan_dividends_from_renault_eur_m",
        "EUR m",
        "Renault dividends a year Nissan receives on its whole stake, at the proposed dividend (not approved"
        " in the sources)",
        1,
    ),
    ResultSpec(
        "renault_dividends_from_nissan_eur_m",
        "EUR m",
        "Nissan dividends a year Renault receives on its stake, at Nissan's guided dividend for FY2026",
        1,
    ),
    ResultSpec(
        "nissan_dividend_breakeven_jpy",
        "JPY",
        "Nissan dividend a share from which Renault receives as much from Nissan as Nissan from Renault",
        2,
    ),
    ResultSpec(
        "option_reaches_plan_breakeven_eur",
        "EUR",
        "Renault share price from which the option raises the yen sum of Nissan's plan",
        2,
    ),
    ResultSpec(
        "renault_quantified_cash_eur_m",
        "EUR m",
        "Renault's own 2025 free-cash-flow cost of the India deal (forecast; not cash between the parties)",
        0,
    ),
    ResultSpec(
        "ampere_commitments_avoided_eur_m",
        "EUR m",
        "Ampere commitments Nissan and Mitsubishi Motors no longer have to make (not cash)",
        0,
    ),
    ResultSpec(
        "nissan_ampere_commitment_avoided_eur_m", "EUR m", "Nissan's Ampere commitment avoided (not cash)", 0
    ),
    ResultSpec(
        "mitsubishi_ampere_commitment_avoided_eur_m",
        "EUR m",
        "Mitsubishi Motors' Ampere commitment avoided (not cash)",
        0,
    ),
    ResultSpec(
        "renault_nissan_accounting_charge_eur_bn",
        "EUR bn",
        "Renault's 2025 non-cash loss on its Nissan stake (context, not a ledger line)",
        1,
    ),
    ResultSpec(
        "renault_nissan_associates_loss_eur_bn",
        "EUR bn",
        "Renault's 2025 share of Nissan's losses as an associate (context, not a ledger line)",
        1,
    ),
    ResultSpec("undisclosed_items", "items", "Ledger items that no source quantifies", 0),
    ResultSpec("ledger_items", "items", "Items in the ledger", 0),
]
# the break-even does not exist when Nissan sells nothing
OPTIONAL_RESULTS: tuple[str, ...] = ("option_reaches_plan_breakeven_eur",)


def dividends_forgone_eur_m(points_pct: Any, shares: float, dividend_eur: float) -> Any:
    """The Renault dividends a year on ``points_pct`` points of Renault's ``shares`` at ``dividend_eur``
    a share, in EUR m (points / 100 x shares x dividend / 1e6).

    >>> round(dividends_forgone_eur_m(5.0, 295_722_284, 2.2), 2)
    32.53
    """
    return points_pct / 100 * shares * dividend_eur / 1e6


def renault_nissan_shares(i: Inputs) -> float:
    """The Nissan shares whose dividends go to Renault: its direct stake and the trust's (Renault keeps
    the trust shares' dividends) at the announcement, as a share of Nissan's shares issued, in shares."""
    return (i.renault_in_nissan_direct_pct + i.renault_in_nissan_trust_pct) / 100 * i.nissan_shares_issued


def dividend_jpy_per_eur() -> float:
    """The ECB yen rate of the day Renault proposed its dividend (JPY per EUR): the one rate that puts
    both dividends in one currency."""
    from alliancelib import fx

    return fx.ecb_rate("JPY", inputs.read().dividend_as_of).rate_per_eur


def dividends_received_eur_m(shares: Any, dividend: float, per_eur: float = 1.0) -> Any:
    """The dividends a year on ``shares`` at ``dividend`` a share in a currency worth ``per_eur`` units
    a euro, in EUR m (shares x dividend / per_eur / 1e6).

    >>> round(dividends_received_eur_m(44_358_343, 2.2), 2)
    97.59
    >>> dividends_received_eur_m(1.3e9, 0.0, 180.0)
    0.0
    """
    return shares * dividend / per_eur / 1e6


def dividend_breakeven_jpy(received_eur_m: Any, shares: float, jpy_per_eur: float) -> Any:
    """The dividend a share (JPY) that pays ``shares`` as much as ``received_eur_m`` EUR m a year
    (received x 1e6 x rate / shares): the Nissan dividend from which Renault receives from Nissan what
    Nissan receives from Renault.

    >>> round(dividend_breakeven_jpy(97.59, 1.326e9, 180.0), 2)
    13.25
    """
    return received_eur_m * 1e6 * jpy_per_eur / shares


def plan_breakeven_eur(points_pct: Any, shares: float, plan_eur_m: float) -> Any:
    """The share price at which selling ``points_pct`` points of ``shares`` raises ``plan_eur_m``
    (EUR a share); None (NaN in an array) when nothing is sold.

    >>> round(plan_breakeven_eur(5.0, 295_722_284, 599.2), 2)
    40.52
    >>> plan_breakeven_eur(0.0, 295_722_284, 599.2) is None
    True
    """
    points = np.asarray(points_pct, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        out = np.where(points > 0, plan_eur_m * 1e6 / (points / 100 * shares), np.nan)
    if out.ndim == 0:
        v = float(out)
        return v if math.isfinite(v) else None
    return out


def headline(p: LedgerParams, **draws: Any) -> dict[str, Any]:
    """The headline results; ``renault_share_price_eur`` (or any parameter) may be an array."""
    points = draws.get("nissan_sells_renault_pct", p.nissan_sells_renault_pct)
    price = draws.get("renault_share_price_eur", p.renault_share_price_eur)
    stake = draws.get("nissan_in_renault_pct", p.nissan_in_renault_pct)
    k = _ledger_sums(p.buyer, inputs.stamp())
    i = inputs.read()
    rate = dividend_jpy_per_eur()
    to_nissan = dividends_received_eur_m(
        np.asarray(stake, dtype=float) / 100 * i.renault_shares, i.dividend_eur
    )
    held = renault_nissan_shares(i)
    if np.ndim(to_nissan) == 0:
        to_nissan = float(to_nissan)
    return {
        "nissan_dividends_from_renault_eur_m": to_nissan,
        "renault_dividends_from_nissan_eur_m": dividends_received_eur_m(
            held, i.nissan_dividend_guided_jpy, rate
        ),
        "nissan_dividend_breakeven_jpy": dividend_breakeven_jpy(to_nissan, held, rate),
        "nissan_option_proceeds_eur_m": sale_proceeds_eur_m(points, i.renault_shares, price),
        "nissan_dividends_forgone_eur_m": dividends_forgone_eur_m(points, i.renault_shares, i.dividend_eur),
        "option_reaches_plan_breakeven_eur": plan_breakeven_eur(points, i.renault_shares, k["plan_eur_m"]),
        **{name: value for name, value in k.items() if name != "plan_eur_m"},
    }


def plan_eur_m() -> float:
    """Nissan's plan of June 2025 (about JPY 100bn for 5% of Renault) in EUR m, at the ECB rate of the
    plan's day."""
    from alliancelib import fx

    i = inputs.read()
    return i.plan_jpy_bn * 1000 / fx.ecb_rate("JPY", i.plan_as_of).rate_per_eur


@reads.cached(maxsize=16)
def _ledger_sums(buyer: str, stamp: tuple[Any, ...]) -> dict[str, Any]:
    """What the results take from the ledger and the data, which depends on the buyer alone: Renault's
    own forecast cash cost of the India deal (a line apart: it is not paid to another party), the
    commitments avoided and the counts of items."""
    i = inputs.read()
    lines = items(
        LedgerParams(buyer=buyer, nissan_sells_renault_pct=0.0), option_eur_m=0.0, dividends_eur_m=0.0
    )
    return {
        "plan_eur_m": plan_eur_m(),
        "renault_quantified_cash_eur_m": -i.india_fcf_eur_m,
        "ampere_commitments_avoided_eur_m": i.nissan.amount_eur_m + i.mmc.amount_eur_m,
        "nissan_ampere_commitment_avoided_eur_m": i.nissan.amount_eur_m,
        "mitsubishi_ampere_commitment_avoided_eur_m": i.mmc.amount_eur_m,
        "renault_nissan_accounting_charge_eur_bn": i.charge_eur_bn,
        "renault_nissan_associates_loss_eur_bn": i.associates_eur_bn,
        "undisclosed_items": len(unquantified(lines)),
        "ledger_items": distinct_items(lines),
    }


def conclusions(p: LedgerParams) -> list[Conclusion]:
    """The threshold statements the text makes (their wording is the template's): the option raises
    at least the yen sum of Nissan's own plan (converted at the plan day's rate)."""
    from alliancelib.core.prose import render

    plan = plan_eur_m()
    return [
        Conclusion(
            "option_reaches_plan",
            "nissan_option_proceeds_eur_m",
            lambda v: v >= plan,
            render(TOPIC, "conclusion_option_reaches_plan", i=inputs.read(), plan_eur_m=plan),
        )
    ]
