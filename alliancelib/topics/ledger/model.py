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

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

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


@dataclass(frozen=True)
class Item:
    """One party's side of one ledger item.

    ``key`` names the item (both sides of a transaction share it); ``gets`` is True for what the
    party receives or keeps, False for what it gives or forgoes; ``kind`` is cash, funding (new money
    a company does not raise: not the party's cash), control, option, accounting or product;
    ``amount_eur_m`` is signed from the party's side (None where no money figure exists); ``sized``
    says a source gives a share or a capacity instead of money; ``status`` is reported, derived,
    parameter, undisclosed or not quantified. ``label``, ``what`` and ``size`` are the words the
    ledger shows, rendered from the template (empty on the model's own lines).
    """

    key: str
    party: str
    gets: bool
    kind: str
    amount_eur_m: float | None
    status: str
    date: str
    source_id: str
    sized: bool = False
    label: str = ""
    what: str = ""
    size: str = ""

    @property
    def quantified(self) -> bool:
        """Whether a source (or the notebook's arithmetic on sourced figures) sizes the item."""
        return self.amount_eur_m is not None or self.sized

    @property
    def block(self) -> str:
        """The prefix of this line's blocks in the template: ``<party>__<key>``."""
        return f"{self.party.split()[0].lower()}__{self.key}"


def items(p: LedgerParams, option_eur_m: float | None = None) -> list[Item]:
    """Every ledger line, in party order (Renault, Nissan, Mitsubishi Motors), as facts (the option's
    proceeds at the parameters unless given)."""
    i = inputs.read()
    if option_eur_m is None:
        option_eur_m = float(headline(p)["nissan_option_proceeds_eur_m"])
    nissan, mmc, done = i.nissan, i.mmc, i.rnaipl_completed
    # the reports that date the option (Nissan's plan) and the accounting lines (Renault's 2025 results)
    plan, results = "business_standard_20250616", "trivano_renault_fy2025"
    out = [
        Item(
            "ampere_nissan",
            "Renault",
            False,
            "funding",
            -nissan.amount_eur_m,
            "reported",
            nissan.ended_on,
            nissan.status_source_id,
        ),
        Item(
            "ampere_mmc",
            "Renault",
            False,
            "funding",
            -mmc.amount_eur_m,
            "reported",
            mmc.ended_on,
            mmc.status_source_id,
        ),
        Item(
            "ampere_equity",
            "Renault",
            True,
            "control",
            None,
            "derived",
            nissan.ended_on,
            "nasdaq_ft_20230905",
            sized=True,
        ),
        Item("rnaipl_price", "Renault", False, "cash", None, "undisclosed", done, "latestly_pti_20250728"),
        Item(
            "rnaipl_cash_flow",
            "Renault",
            False,
            "cash",
            -i.india_fcf_eur_m,
            "reported",
            ANNOUNCEMENT,
            "reuters_fcf_20250331",
        ),
        Item(
            "rnaipl_result",
            "Renault",
            True,
            "control",
            None,
            "reported",
            done,
            "fortuneindia_20250801",
            sized=True,
        ),
        Item(
            "rnaipl_capacity",
            "Renault",
            True,
            "control",
            None,
            "reported",
            done,
            "renault_202508_india",
            sized=True,
        ),
        Item(
            "trust",
            "Renault",
            True,
            "control",
            None,
            "reported",
            ANNOUNCEMENT,
            "tuko_afp_20250331",
            sized=True,
        ),
        Item(
            "renault_lockup",
            "Renault",
            True,
            "option",
            None,
            "derived",
            ANNOUNCEMENT,
            "dealerfloor_202507",
            sized=True,
        ),
    ]
    if p.buyer == "renault":
        out.append(
            Item(
                "nissan_option",
                "Renault",
                False,
                "option",
                -option_eur_m,
                "parameter",
                inputs.published(plan),
                plan,
            )
        )
    else:
        out.append(
            Item(
                "first_refusal",
                "Renault",
                True,
                "option",
                None,
                "not quantified",
                inputs.published(plan),
                plan,
            )
        )
    out += [
        Item(
            "accounting_charge",
            "Renault",
            False,
            "accounting",
            -i.charge_eur_bn * 1000,
            "reported",
            inputs.published(results),
            results,
        ),
        Item(
            "associates",
            "Renault",
            False,
            "accounting",
            -i.associates_eur_bn * 1000,
            "reported",
            inputs.published(results),
            results,
        ),
        Item(
            "ampere_nissan",
            "Nissan",
            True,
            "cash",
            nissan.amount_eur_m,
            "reported",
            nissan.ended_on,
            nissan.status_source_id,
        ),
        Item("rnaipl_price", "Nissan", True, "cash", None, "undisclosed", done, "latestly_pti_20250728"),
        Item(
            "nissan_option",
            "Nissan",
            True,
            "option",
            option_eur_m,
            "parameter",
            ANNOUNCEMENT,
            "dealerfloor_202507",
        ),
        Item(
            "rnaipl_result",
            "Nissan",
            False,
            "control",
            None,
            "reported",
            done,
            "fortuneindia_20250801",
            sized=True,
        ),
        Item(
            "rnaipl_customer", "Nissan", False, "control", None, "undisclosed", done, "thehindu_models_2026"
        ),
        Item(
            "twingo_ev",
            "Nissan",
            True,
            "product",
            None,
            "not quantified",
            ANNOUNCEMENT,
            "indianautosblog_20250331",
        ),
        Item(
            "ampere_mmc",
            "Mitsubishi Motors",
            True,
            "cash",
            mmc.amount_eur_m,
            "reported",
            mmc.ended_on,
            mmc.status_source_id,
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


def kept_share_pct(i: Inputs) -> tuple[float, float]:
    """The share of Ampere the cancelled money would have bought, at the top and the bottom of the CEO's
    range (our arithmetic: money / (pre-money + money)), in %: Renault keeps it."""
    from alliancelib.topics.ampere.model import implied_stake_pct

    money_eur_m = i.nissan.amount_eur_m + i.mmc.amount_eur_m
    return (
        float(implied_stake_pct(money_eur_m, i.ceo_high_eur_bn + money_eur_m / 1000)),
        float(implied_stake_pct(money_eur_m, i.ceo_low_eur_bn + money_eur_m / 1000)),
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
        "ampere_commitments_avoided_eur_m",
        "EUR m",
        "Ampere commitments Nissan and Mitsubishi Motors no longer have to make",
        0,
    ),
    ResultSpec(
        "renault_nissan_accounting_charge_eur_bn",
        "EUR bn",
        "Renault's 2025 non-cash loss on its Nissan stake",
        1,
    ),
    ResultSpec(
        "renault_nissan_associates_loss_eur_bn",
        "EUR bn",
        "Renault's 2025 share of Nissan's losses as an associate",
        1,
    ),
    ResultSpec("renault_quantified_cash_eur_m", "EUR m", "Renault's cash items that a source quantifies", 0),
    ResultSpec(
        "nissan_quantified_cash_eur_m",
        "EUR m",
        "Nissan's cash items that a source quantifies (option left out)",
        0,
    ),
    ResultSpec(
        "mitsubishi_quantified_cash_eur_m",
        "EUR m",
        "Mitsubishi Motors' cash items that a source quantifies",
        0,
    ),
    ResultSpec("undisclosed_items", "items", "Ledger items that no source quantifies", 0),
    ResultSpec("ledger_items", "items", "Items in the ledger", 0),
]
OPTIONAL_RESULTS: tuple[str, ...] = ()


def headline(p: LedgerParams, **draws: Any) -> dict[str, Any]:
    """The headline results; ``renault_share_price_eur`` (or any parameter) may be an array."""
    points = draws.get("nissan_sells_renault_pct", p.nissan_sells_renault_pct)
    price = draws.get("renault_share_price_eur", p.renault_share_price_eur)
    k = _ledger_sums(p.buyer, inputs.stamp())
    return {
        "nissan_option_proceeds_eur_m": sale_proceeds_eur_m(points, k["shares"], price),
        **{name: value for name, value in k.items() if name != "shares"},
    }


@reads.cached(maxsize=16)
def _ledger_sums(buyer: str, stamp: tuple[Any, ...]) -> dict[str, Any]:
    """What the results take from the ledger and the data, which depends on the buyer alone: the
    cash sums by party (options are not cash) and the counts of items."""
    i = inputs.read()
    lines = items(LedgerParams(buyer=buyer, nissan_sells_renault_pct=0.0), option_eur_m=0.0)
    cash = {
        party: sum(
            it.amount_eur_m
            for it in lines
            if it.party == party and it.kind == "cash" and it.amount_eur_m is not None
        )
        for party in PARTIES
    }
    return {
        "shares": i.renault_shares,
        "ampere_commitments_avoided_eur_m": i.nissan.amount_eur_m + i.mmc.amount_eur_m,
        "renault_nissan_accounting_charge_eur_bn": i.charge_eur_bn,
        "renault_nissan_associates_loss_eur_bn": i.associates_eur_bn,
        "renault_quantified_cash_eur_m": cash["Renault"],
        "nissan_quantified_cash_eur_m": cash["Nissan"],
        "mitsubishi_quantified_cash_eur_m": cash["Mitsubishi Motors"],
        "undisclosed_items": len(unquantified(lines)),
        "ledger_items": distinct_items(lines),
    }


def conclusions(p: LedgerParams) -> list[Conclusion]:
    """The threshold statements the findings make (their wording is the template's)."""
    from alliancelib.core.prose import render

    i = inputs.read()
    ampere = i.nissan.amount_eur_m
    return [
        Conclusion(
            "option_above_ampere",
            "nissan_option_proceeds_eur_m",
            lambda v: v > ampere,
            render(TOPIC, "conclusion_option_above_ampere", i=i),
        )
    ]
