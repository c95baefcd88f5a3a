"""Everything notebook 01 shows, computed once (:func:`analyse`): the results and their ranges, the
tables, and the decisions the text needs, passed to the template ``text.md.j2`` as named facts
(:func:`context`). Every sentence is rendered there; this module decides (whether the data hold
Nissan's stake in Renault at the date, which count of the March 2024 sale fits, how robust the sale's
conclusions are, where each break-even lies against the sourced values) and never words a sentence
itself.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import numpy as np
import pandas as pd

from alliancelib import reads
from alliancelib.analysis import Analysis as AnalysisBase
from alliancelib.core.prose import render
from alliancelib.core.show import Part, Shows, chart, table, text
from alliancelib.findings import Finding, anchor_for
from alliancelib.reads import recorded
from alliancelib.results import make_results
from alliancelib.topics.ownership import inputs, tables
from alliancelib.topics.ownership.holdings import (
    apply_sale,
    history,
    holdings_matrix,
    integrated,
    look_through,
    with_stake,
)
from alliancelib.topics.ownership.model import (
    LATEST,
    NO_RANGE,
    NOTEBOOK,
    RESULTS,
    TOPIC,
    OwnershipParams,
    conclusions,
    headline,
)
from alliancelib.topics.ownership.replay import replay_check, replay_trust
from alliancelib.topics.ownership.weights import (
    latest_ranges,
    latest_sale_range,
    result_specs,
    weight_facts,
)

if TYPE_CHECKING:
    from alliancelib.charts import Chart
    from alliancelib.uncertainty import Assessment

# the notebook's section headings (the findings link to them)
SECTION_WHO = "Who owns whom on the chosen date"
SECTION_HISTORY = "How Renault's stake came down: the three trust sales replayed"
SECTION_VALUE = "What the stakes are worth and what they cost"
SECTION_WEIGHT = "What the stake weighs now"
SECTION_SALE = "If Nissan sells down to the lock-up"
SECTION_CIRCLE = "Who owns Nissan through whom"
SECTION_SINCE = "Since the announcement"
SECTION_APPENDIX = (
    "Technical appendix: share of the tested range (independent uniform inputs; not a probability)"
)

EXTRA_SOURCES = (
    "ecb_eurofxref",
    "zonebourse_20251204",
    "trivano_renault_fy2025",
    "justauto_renault_fy2025",
    "business_standard_20250701",
    "brecorder_reuters_20250701",
)
# the sentences of the sections, rendered once by analyse() (keys of a.texts, blocks of the template)
TEXTS = (
    "who",
    "replay",
    "value",
    "accounting",
    "sale",
    "circle",
    "network_title",
    "network_alt",
    "network_source",
    "history_title",
    "history_alt",
    "history_source",
    "value_title",
    "value_alt",
    "value_source",
    "weight_title",
    "weight_alt",
    "weight_source",
    "sale_net",
    "weights",
)
# the worked examples of the sections' formulas, at the parameters (no number in a markdown cell)
EXAMPLES = ("history_example", "value_example", "sale_example", "circle_example")
CAPTIONS = (
    "weights",
    "snapshot",
    "control",
    "history",
    "replay",
    "replay_check",
    "values",
    "sale",
    "plan",
    "proceeds",
    "w_after",
    "integrated_after",
    "look_through_after",
    "events",
    "gaps",
)
# the key findings: (key, the section it links to, offered to the front page); block finding_<key>
FINDINGS = (
    ("stake", SECTION_WHO, True),
    ("value", SECTION_WEIGHT, True),
    ("loss", SECTION_VALUE, False),
    ("sale", SECTION_SALE, False),
    ("cash", SECTION_SALE, False),
)


@dataclass(frozen=True, kw_only=True)
class Analysis(Shows, AnalysisBase):
    """Everything notebook 01 shows, computed once from the parameters."""

    NOTEBOOK: ClassVar[str] = NOTEBOOK
    SECTIONS: ClassVar[Mapping[str, Sequence[Part]]] = {
        "who": (chart("network"), text("who"), table("snapshot"), table("control")),
        "history": (
            text("history_example"),
            chart("history"),
            table("history"),
            table("replay"),
            table("replay_check"),
            text("replay"),
        ),
        "value": (text("value_example"), chart("value"), table("values"), text("value"), text("accounting")),
        "weight": (text("weights"), chart("weight"), table("weights")),
        "sale": (
            text("sale_example"),
            text("sale"),
            table("proceeds"),
            text("sale_net"),
            table("sale"),
            table("plan"),
        ),
        "circle": (
            text("circle_example"),
            text("circle"),
            table("w_after"),
            table("integrated_after"),
            table("look_through_after"),
        ),
        "since": (table("events"),),
        "appendix": (text("appendix"), table("appendix")),
        "sources": (table("gaps"),),
    }

    p: OwnershipParams
    captions: dict[str, str]
    context: dict[str, Any]  # what the template was given (the decisions and the figures)
    snap: pd.DataFrame  # the snapshot at as_of, Nissan's stake in Renault from the parameter
    after_snap: pd.DataFrame  # the snapshot after the chosen sale
    history: pd.DataFrame  # Renault's stake in Nissan at every dated figure
    replay: pd.DataFrame  # the trust sales replayed with Renault's count
    replay_nissan: pd.DataFrame  # ... with Nissan's count
    matrices: dict[str, np.ndarray]

    def chart(self, key: str) -> Chart:
        """One chart of notebook 01 (``network``, ``history``, ``value`` or ``weight``)."""
        from alliancelib.topics.ownership.charts import chart as draw

        return draw(self, key)

    def parts(self, section: str) -> Sequence[Part]:
        """What a section shows, less what the date leaves out (no circle, no sale)."""
        return [part for part in super().parts(section) if self._shown(part)]

    def _shown(self, part: Part) -> bool:
        if part.kind == "table" and part.key in ("w_after", "integrated_after", "look_through_after"):
            return bool(self.context["has_circle"])
        if part.kind == "table" and part.key == "proceeds":
            return bool(self.context["has_sale"])
        return True


@recorded
def analyse(p: OwnershipParams) -> Analysis:
    """Everything notebook 01 shows, computed once (results, ranges, findings, tables, texts)."""
    from alliancelib import uncertainty
    from alliancelib.data import load, news_as_of
    from alliancelib.uncertainty_show import appendix_caption, appendix_table, appendix_text

    b = inputs.base(p.as_of)
    facts, fact_sources = inputs.facts()
    values = headline(p)
    concl = [c for c in conclusions(p) if values[c.result] is not None]
    numeric = [s for s in RESULTS if values[s.name] is not None]
    a = uncertainty.assess(p, headline, results=numeric, conclusions=concl)

    snap = b.snap
    if b.has_nissan:
        note = render(TOPIC, "snapshot_parameter_note", f=facts)
        snap = with_stake(snap, "Nissan", "Renault", p.nissan_in_renault_pct, note)
        buyer_kind = "buyback" if p.buyer == "renault" else "third_party"
        after_snap, _sale = apply_sale(snap, "Nissan", "Renault", p.nissan_sells_renault_pct, buyer_kind)
    else:
        after_snap = snap
    hist = history(load("shareholdings"))
    replay_r, replay_n = replay_trust("renault"), replay_trust("nissan")
    check = replay_check()
    w_before, w_after = holdings_matrix(snap), holdings_matrix(after_snap)
    matrices = {
        "w_before": w_before,
        "w_after": w_after,
        "integrated_after": integrated(w_after),
        "look_through_after": look_through(w_after),
        "integrated_before": integrated(w_before),
        "look_through_before": look_through(w_before),
    }
    ctx = context(p, b, values, a, facts, check, replay_r)
    ctx["edge_labels"] = edge_labels(snap, ctx)
    ctx["ex"].update(replay_example(replay_r, hist))
    ctx["h"] = history_points(hist)
    # the March 2024 sale: the replay dates it by the sale, the stakes table by the cancellation
    ctx["stakes_day_2"] = inputs.TRUST_SALE_DAYS[1]
    ctx["sale2_closed"] = str(replay_r.loc[replay_r["step"] == 2, "date"].iloc[0])
    steps = hist[hist["dated"] == "from"]  # the history chart's title: the newest figures it draws
    ctx.update(
        last_total=float(hist["economic_pct"].iloc[-1]),
        last_votes=float(steps["voting_exercisable_pct"].iloc[-1]),
    )
    ctx["bar_words"] = bar_words(ctx)
    notes = {
        **a.result_notes(),
        **{k: render(TOPIC, f"no_range__{k}", **ctx) for k in NO_RANGE if values.get(k) is not None},
    }
    latest_sale = latest_sale_range(b, p.nissan_sells_renault_pct)
    ranges = {**a.result_ranges(), **latest_ranges(b), **latest_sale}
    notes.update(
        {name: render(TOPIC, "range_note__latest") for name in (*LATEST, *latest_sale) if name in ranges}
    )
    results = make_results(result_specs(ctx), values, ranges=ranges, notes=notes)

    events = inputs.events_since(load("events"))
    gaps = load("gaps")
    gaps = gaps[gaps["topic"] == "ownership"][["what", "status", "note"]].reset_index(drop=True)
    tables_ = {
        "history": hist[
            [
                "as_of",
                "dated",
                "ownership_direct_pct",
                "ownership_trust_pct",
                "economic_pct",
                "voting_exercisable_pct",
                "source_id",
            ]
        ],
        "snapshot": snap[
            [
                "as_of",
                "dated",
                "holder",
                "company",
                "holding",
                "economic_pct",
                "voting_theoretical_pct",
                "voting_exercisable_pct",
                "basis",
                "source_id",
            ]
        ],
        "control": tables.control_summary(snap),
        "replay": tables.replay_table(
            replay_r, replay_n, hist, ctx, (inputs.REBALANCING_DAY, *inputs.TRUST_SALE_DAYS)
        ),
        "replay_check": tables.replay_check_table(check),
        "values": tables.values_table(ctx, fact_sources),
        "sale": tables.sale_table(ctx, snap),
        "plan": tables.plan_table(ctx, fact_sources),
        "proceeds": tables.proceeds_table(ctx),
        "appendix": appendix_table(a),
        "weights": tables.weights_table(ctx),
        "events": events,
        "gaps": gaps,
        **tables.matrix_tables(matrices),
    }
    ctx["control_weights_shown"] = "ownership_weight" in tables_["control"].columns
    prices = inputs.prices()
    used_prices = pd.concat([inputs.price_extremes(prices), prices[prices["kind"] == "placement"]])
    reads.cite(*EXTRA_SOURCES)  # the sources the text relies on with no data row read
    source_ids = sorted(
        set(snap["source_id"])
        | set(hist["source_id"].str.split("; ").explode())
        | set(fact_sources.values())
        | set(events["source_id"])
        | set(used_prices["source_id"])
        | set(EXTRA_SOURCES)
        | {s for w in ctx["weight_rows"] for s in w["source_ids"]}
        | {w["other"]["source_id"] for w in ctx["weight_rows"] if w["other"]}
        | {q["source_id"] for q in ctx["quotes"]}
    )
    ctx["news_as_of"] = news_as_of(source_ids)
    found = findings(ctx, a, values)
    texts = {key: render(TOPIC, key, **ctx) for key in TEXTS}
    texts.update({key: render(TOPIC, key, **ctx) for key in EXAMPLES}, appendix=appendix_text(a))
    return Analysis(
        p=p,
        values=values,
        results=results,
        assessment=a,
        conclusions=concl,
        findings=found,
        since=render(TOPIC, "since", **ctx),
        news_as_of=ctx["news_as_of"],
        fx_as_of=ctx["fx_as_of"],
        source_ids=source_ids,
        unreached=render(TOPIC, "unreached", **ctx),
        texts=texts,
        tables=tables_,
        captions={
            **{key: render(TOPIC, f"caption_{key}", **ctx) for key in CAPTIONS},
            "appendix": appendix_caption(),
        },
        context=ctx,
        snap=snap,
        after_snap=after_snap,
        history=hist,
        replay=replay_r,
        replay_nissan=replay_n,
        matrices=matrices,
        facts=facts,
    )


def context(
    p: OwnershipParams,
    b: inputs.Base,
    v: Mapping[str, Any],
    a: Assessment,
    f: Mapping[str, float],
    check: pd.DataFrame,
    replay_r: pd.DataFrame,
) -> dict[str, Any]:
    """What the template is given: the parameters (``p``), the results (``v``), what the data give
    at the date (``b``), the facts by id (``f``), and the decisions its sentences turn on, each by
    name (the names ``text.md.j2`` uses)."""
    from alliancelib import fx
    from alliancelib.data import load
    from alliancelib.params import plausible_of

    econ, votes = v["renault_in_nissan_economic_pct"], v["renault_in_nissan_voting_pct"]
    prices = inputs.prices()
    jpy_plan, usd_plan = fx.ecb_rate("JPY", inputs.PLAN_DAY), fx.ecb_rate("USD", inputs.PLAN_DAY)
    jpy_fair, usd_market = fx.ecb_rate("JPY", inputs.FAIR_VALUE_DAY), fx.ecb_rate("USD", inputs.MARKET_DAY)
    renault_prices = inputs.market_prices(prices, "Renault")["price"].astype(float)
    nissan_2025 = inputs.market_prices(prices, "Nissan", "2025")["price"].astype(float)
    r_end = replay_r.iloc[-1]
    _, start_direct, start_trust = inputs.start()
    sh = load("shareholdings")
    trust_rows = sh[(sh["holder"] == "Renault") & (sh["company"] == "Nissan") & (sh["holding"] == "trust")]
    reported = dict(zip(trust_rows["as_of"], trust_rows["economic_pct"].astype(float), strict=True))
    after1, after2, after3 = (reported[d] for d in inputs.TRUST_SALE_DAYS)
    fit = check.set_index("figure")
    gives = {
        f"{count}_{sale}": tables.interval(
            float(fit.at[f"trust_after_{sale}", f"{count}_low"]),  # type: ignore[arg-type]
            float(fit.at[f"trust_after_{sale}", f"{count}_high"]),  # type: ignore[arg-type]
            "pct",
        )
        for count in ("renault", "nissan")
        for sale in (2, 3)
    }
    spread = [
        float(replay_trust("renault", trust_pct=start_trust + d)["total_pct"].iloc[-1]) for d in (-0.05, 0.05)
    ]
    shares_held = float(r_end["total_pct"]) / 100 * f["nissan_shares_issued"]
    switch_price = inputs.price_on(prices, "Nissan", inputs.SWITCH_PRICE_DAY)
    gap_jpy_bn = shares_held * (f["renault_nissan_carrying_value_jpy"] - switch_price) / 1e9
    placement = {
        kind: inputs.price_on(prices, "Nissan", day, kind)
        for kind, day in zip(("close", "placement"), inputs.PLACEMENT_DAYS, strict=True)
    }
    price_pl = plausible_of(OwnershipParams, "renault_share_price_eur")
    stake_pl = plausible_of(OwnershipParams, "nissan_in_renault_pct")
    latest = b.snap[(b.snap["holder"] == "Renault") & (b.snap["company"] == "Nissan")].iloc[0]
    facts_table = load("facts").set_index("fact_id")
    ctx: dict[str, Any] = {
        "p": p,
        "v": v,
        "b": b,
        "f": f,
        "econ": econ,
        "votes": votes,
        "has_votes": votes is not None,
        "has_nissan": v["nissan_in_renault_before_pct"] is not None,
        "has_circle": v["integrated_renault_in_nissan_pct"] is not None,
        "rebalancing": str(inputs.REBALANCING),
        "market_day": inputs.MARKET_DAY,
        "plan_day": inputs.PLAN_DAY,
        "fair_value_day": inputs.FAIR_VALUE_DAY,
        "switch_day": inputs.SWITCH_PRICE_DAY,
        "latest_dated_at": latest["dated"] == "at",
        "latest_as_of": latest["as_of"],
        "share_decimals": 1 if 30 <= v["renault_nissan_stake_share_of_renault_value_pct"] <= 37 else 0,
        "later": later_prices(prices, inputs.MARKET_DAY),
        "renault_buys": p.buyer == "renault",
        "above_lockup": v["nissan_above_lockup_after_sale_pts"] is None
        or v["nissan_above_lockup_after_sale_pts"] >= -1e-9,
        "has_sale": v["sale_proceeds_latest_eur_m"] is not None,
        "price_low": price_pl.low if price_pl else p.renault_share_price_eur,
        "price_high": price_pl.high if price_pl else p.renault_share_price_eur,
        "stake_low": stake_pl.low if stake_pl else p.nissan_in_renault_pct,
        "stake_high": stake_pl.high if stake_pl else p.nissan_in_renault_pct,
        "start_total": start_direct + start_trust,
        "start_direct": start_direct,
        "start_trust": start_trust,
        "start_trust_low": start_trust - 0.05,
        "start_trust_high": start_trust + 0.05,
        "after1": after1,
        "after1_low": after1 - 0.005,
        "after1_high": after1 + 0.005,
        "after2": after2,
        "after3": after3,
        "gives": gives,
        "r_end": r_end.to_dict(),
        "replay_end_spread": abs(spread[1] - spread[0]) / 2,
        "only_renault_issued": check.attrs["issued_if_only_renault_cancelled"],
        "from_others": f["trust_sale2_shares_nissan"] - f["trust_sale2_shares_renault"],
        "renault_low": float(renault_prices.min()),
        "renault_high": float(renault_prices.max()),
        "nissan_low": float(nissan_2025.min()),
        "nissan_high": float(nissan_2025.max()),
        "shares_held_m": shares_held / 1e6,
        "switch_price": switch_price,
        "gap_jpy_bn": gap_jpy_bn,
        "gap_eur_bn": gap_jpy_bn / jpy_fair.rate_per_eur,
        "jpy_fair": jpy_fair,
        "jpy_plan": jpy_plan,
        "usd_plan": usd_plan,
        "plan_usd_m": f["nissan_plan_sale_jpy_bn"] * 1e3 / jpy_plan.rate_per_eur * usd_plan.rate_per_eur,
        "placement_jpy": placement["placement"],
        "placement_close_jpy": placement["close"],
        "placement_discount_pct": (1 - placement["placement"] / placement["close"]) * 100,
        "bloomberg_as_of": str(facts_table.at["nissan_block_5pct_eur_m_bloomberg", "as_of"]),
        "fx_as_of": max(x.fixing_date for x in (jpy_plan, usd_plan, jpy_fair, usd_market)).isoformat(),
    }
    ctx["ex"] = worked_examples(p, b, v, b.snap)
    ctx.update(weight_facts(b))
    # the exchange rates the weights use (each Nissan price's day) are rates this report uses too
    from alliancelib import fx

    weight_days = [fx.ecb_rate("JPY", w.pairing.nissan.day).fixing_date.isoformat() for w in b.weights]
    ctx["fx_as_of"] = max([ctx["fx_as_of"], *weight_days])
    ctx["weights_heading"] = SECTION_WEIGHT
    stakes = [w["stake_eur_bn"] for w in ctx["weight_rows"]]
    nissan_all = inputs.market_prices(prices, "Nissan")["price"].astype(float)
    ctx.update(
        market_low_eur_bn=min(stakes),
        market_high_eur_bn=max(stakes),
        nissan_all_low=float(nissan_all.min()),
        nissan_all_high=float(nissan_all.max()),
        weight_sentences_short=[
            render(TOPIC, "weight_alt_item", w=w, f=ctx["f"]) for w in ctx["weight_rows"]
        ],
    )
    ctx.update(sale_facts(p, b, v, ctx))
    ctx.update(circle_cases(p, v, stake_pl))
    ctx.update(basis_facts(v, f, b))
    ctx["weight_sentences"] = [render(TOPIC, "weight_day", **ctx, w=w) for w in ctx["weight_rows"]]
    return ctx


def history_points(hist: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """The figures the history chart's alt text states: the two early points, the one just before
    the rebalancing, the rebalanced start and the newest figure (rows of :func:`.holdings.history`)."""
    at = hist[hist["dated"] == "at"]
    early = at[at["as_of"] < inputs.REBALANCING_DAY]
    starts = hist[hist["as_of"] == inputs.REBALANCING_DAY]
    rows = {
        "first": early.iloc[0],
        "second": early.iloc[1],
        "pre": early.iloc[-1],
        "start": starts.iloc[0],
        "last": hist.iloc[-1],
    }
    return {key: {str(k): x for k, x in row.items()} for key, row in rows.items()}


def replay_example(replay_r: pd.DataFrame, hist: pd.DataFrame) -> dict[str, Any]:
    """The numbers of the replay's worked example: the first sale's fraction cancelled and the stakes
    after it, and the reported stakes after the second sale."""
    n0 = inputs.fact("nissan_shares_before_buybacks")
    first = replay_r[replay_r["step"] == 1].iloc[0].to_dict()
    day = inputs.TRUST_SALE_DAYS[1]
    second = hist[hist["as_of"] == day].iloc[0].to_dict()
    return {
        "s1": inputs.fact("trust_sale1_shares") / n0,
        "direct1_pct": float(first["direct_pct"]),
        "trust1_pct": float(first["trust_pct"]),
        "sale2_day": day,
        "direct2_pct": float(second["ownership_direct_pct"]),
        "trust2_pct": float(second["ownership_trust_pct"]),
        "total2_pct": float(second["economic_pct"]),
    }


def worked_examples(
    p: OwnershipParams, b: inputs.Base, v: Mapping[str, Any], snap: pd.DataFrame
) -> dict[str, Any]:
    """The numbers of the sections' worked examples at the parameters: the stake's value, a sale as
    a buyback, and the circle with two companies (Renault and Nissan only)."""
    from alliancelib.topics.ownership.holdings import max_points_above, sale_effect, stake

    r = v["renault_in_nissan_economic_pct"] / 100
    ex: dict[str, Any] = {"r": r, "cap_usd_bn": p.nissan_market_cap_usd_bn, "usd_per_eur": b.usd_per_eur}
    if v["nissan_in_renault_before_pct"] is None:
        return ex
    n, x = p.nissan_in_renault_pct, p.nissan_sells_renault_pct
    back, scale = sale_effect(n, x, "buyback")
    state = stake(snap, "French state", "Renault")
    ex.update(
        n_pct=n,
        x_pct=x,
        kept_pct=n - x,
        one_minus_s=1 - x / 100,
        back_pct=back,
        state_pct=state,
        state_back_pct=None if state is None else state * scale,
        threshold_pct=p.lockup_threshold_pct,
        one_minus_t=1 - p.lockup_threshold_pct / 100,
        most_back=max_points_above(n, p.lockup_threshold_pct, "buyback"),
    )
    n0, n1 = n / 100, v["nissan_in_renault_after_pct"] / 100
    mult = 1 / (1 - r * n0)
    int0, int1 = r * mult, r / (1 - r * n1)
    own = r * n1
    ex.update(
        n0=n0,
        n1=n1,
        mult=mult,
        int0_pct=int0 * 100,
        int1_pct=int1 * 100,
        o0=1 - n0,
        o1=1 - n1,
        u0_pct=(1 - n0) * int0 * 100,
        u1_pct=(1 - n1) * int1 * 100,
        own_pct=own * 100,
        own_round_pct=own / (1 - own) * 100,
        int0=int0,
        int1=int1,
    )
    return ex


def later_prices(prices: pd.DataFrame, day: str) -> dict[str, Any]:
    """The quotes after ``day`` the value finding states: Renault's newest day (its lowest and
    highest quote that day), Nissan's range before its newest quote, and that quote."""
    later = {c: inputs.market_prices(prices, c) for c in ("Renault", "Nissan")}
    later = {c: df[df["date"].astype(str) > day] for c, df in later.items()}
    r_day = str(later["Renault"]["date"].astype(str).max())
    r = later["Renault"][later["Renault"]["date"].astype(str) == r_day]["price"].astype(float)
    n = later["Nissan"].assign(day=later["Nissan"]["date"].astype(str)).sort_values("day")
    last, before = n.iloc[-1], n.iloc[:-1]["price"].astype(float)
    years = sorted({d[:4] for d in n.iloc[:-1]["day"]})
    return {
        "renault_day": r_day,
        "renault_low": float(r.min()),
        "renault_high": float(r.max()),
        "nissan_low": float(before.min()),
        "nissan_high": float(before.max()),
        "first_year": years[0],
        "last_year": years[-1],
        "nissan_last": float(last["price"]),
        "nissan_last_day": last["day"],
    }


def sale_facts(
    p: OwnershipParams, b: inputs.Base, v: Mapping[str, Any], ctx: Mapping[str, Any]
) -> dict[str, Any]:
    """The sale's decisions and figures beyond the results: the reported Renault prices (for the
    proceeds table, newest first), the proceeds at the latest day's quotes after the block discount,
    the dividend yield given up, and where the two break-evens lie against the sourced values (the
    plan's against the reported prices, the lock-up's against the two reported stakes)."""
    from alliancelib.params import plausible_of
    from alliancelib.topics.ownership.holdings import sale_proceeds_eur_m

    prices = inputs.market_prices(inputs.prices(), "Renault").assign(day=lambda d: d["date"].astype(str))
    quotes = [
        {
            "day": r["day"],
            "price": float(r["price"]),
            "kind": str(r["kind"]),
            "source_id": str(r["source_id"]),
        }
        for _, r in prices.sort_values(["day", "price"], ascending=[False, False]).iterrows()
    ]
    price_pl = plausible_of(OwnershipParams, "renault_share_price_eur")
    stake_pl = plausible_of(OwnershipParams, "nissan_in_renault_pct")
    w = b.weights[-1].pairing
    latest_low, latest_high = min(q.price for q in w.renault), max(q.price for q in w.renault)
    keep = 1 - p.block_discount_pct / 100
    discount_pl = plausible_of(OwnershipParams, "block_discount_pct")
    out: dict[str, Any] = {
        "quotes": quotes,
        "block_discount_high": discount_pl.high if discount_pl and discount_pl.high else 0.0,
        "latest_price_day": w.day,
        "latest_price_low": latest_low,
        "latest_price_high": latest_high,
        "price_is_top": price_pl is not None and p.renault_share_price_eur == price_pl.high,
        "price_is_bottom": price_pl is not None and p.renault_share_price_eur == price_pl.low,
        "dividend_yield_chosen": b.dividend_eur / p.renault_share_price_eur * 100,
        "dividend_yield_latest_low": b.dividend_eur / latest_high * 100,
        "dividend_yield_latest_high": b.dividend_eur / latest_low * 100,
    }
    if v["sale_proceeds_latest_eur_m"] is None:
        return out
    x = p.nissan_sells_renault_pct
    plan_be = float(v["sale_meets_plan_breakeven_eur"])
    lock_be = v["lockup_breakeven_pct"]
    sourced = [q["price"] for q in quotes]
    out.update(
        latest_net_low=float(sale_proceeds_eur_m(x, b.renault_shares, latest_low)) * keep,
        latest_net_high=float(sale_proceeds_eur_m(x, b.renault_shares, latest_high)) * keep,
        plan_met_at_chosen=p.renault_share_price_eur >= plan_be - 1e-9,
        plan_met_at_latest=latest_high >= plan_be - 1e-9,
        plan_quotes_above=sum(1 for q in sourced if q >= plan_be - 1e-9),
        plan_within_sourced=min(sourced) < plan_be < max(sourced),
        plan_above_latest_pct=(plan_be / latest_high - 1) * 100,
        lockup_holds_both=stake_pl is not None and stake_pl.low >= lock_be - 1e-9,
        lockup_at_edge=stake_pl is not None and abs(stake_pl.low - lock_be) < 1e-9,
    )
    return out


def circle_cases(p: OwnershipParams, v: Mapping[str, Any], stake_pl: Any) -> dict[str, Any]:
    """The look-through figure after the sale at each of the two reported stakes of Nissan in
    Renault (a conflict: two cases, not a range), and whether they round to the same figure."""
    import dataclasses

    from alliancelib.core.words import pct

    if v["look_through_renault_holders_in_nissan_pct"] is None or stake_pl is None:
        return {"circle_cases": [], "circle_same": True, "circle_other": None}
    cases = []
    for stake_pct in (stake_pl.low, stake_pl.high):
        q = dataclasses.replace(p, nissan_in_renault_pct=stake_pct)
        cases.append(
            {"stake": stake_pct, "look_through": headline(q)["look_through_renault_holders_in_nissan_pct"]}
        )
    same = pct(cases[0]["look_through"], 1) == pct(cases[1]["look_through"], 1)
    other = next((c for c in cases if c["stake"] != p.nissan_in_renault_pct), cases[1])
    return {"circle_cases": cases, "circle_same": same, "circle_other": other}


def basis_facts(v: Mapping[str, Any], f: Mapping[str, float], b: inputs.Base) -> dict[str, Any]:
    """The basis of the stake's percentage (issued shares, treasury included, against the shares
    outstanding without treasury shares) and the two routes to its value on 31 March 2025: the
    reported dollar market value times the stake, and the shares held times the derived close; the
    share count the first implies at the derived close explains the gap."""
    from alliancelib.topics.ownership.stake_weight import renault_nissan_shares

    shares = renault_nissan_shares()
    first = b.weights[0]
    close_jpy = first.pairing.nissan.price
    usd_a_share = close_jpy / first.jpy_per_eur * b.usd_per_eur
    return {
        "econ_ex_treasury": shares / f["nissan_shares_ex_treasury"] * 100,
        "route_cap_eur_bn": v["renault_stake_in_nissan_value_eur_bn"],
        "route_shares_eur_bn": first.stake_eur_bn,
        "route_gap_pct": (first.stake_eur_bn / v["renault_stake_in_nissan_value_eur_bn"] - 1) * 100,
        "implied_shares_bn": _implied_shares_bn(v, b, usd_a_share),
        "close_usd": usd_a_share,
    }


def _implied_shares_bn(v: Mapping[str, Any], b: inputs.Base, usd_a_share: float) -> float:
    """Nissan's shares (bn) implied by its reported dollar market value (the stake's value back in
    dollars over the stake) at a price in dollars."""
    return (
        float(v["renault_stake_in_nissan_value_eur_bn"])
        * b.usd_per_eur
        / (b.renault_econ / 100)
        / usd_a_share
    )


def edge_labels(snap: pd.DataFrame, ctx: Mapping[str, Any], trust: bool = True) -> list[str]:
    """The network chart's link labels, one sentence per holding (block ``network_edge``)."""
    from alliancelib.topics.ownership.charts import network_rows

    return [render(TOPIC, "network_edge", edge=edge(r, trust)) for _, r in network_rows(snap).iterrows()]


def bar_words(ctx: Mapping[str, Any]) -> list[str]:
    """The value chart's bars in words, for its alt text (block ``value_bar_alt``)."""
    from alliancelib.topics.ownership.charts import value_bars

    return [
        render(TOPIC, "value_bar_alt", label=label.replace("\n", " "), value=value)
        for label, value, _ in value_bars(ctx)
    ]


def edge(r: Any, trust_shown: bool) -> dict[str, Any]:
    """What a link's label says: the holder, the company, the stake, the votes and the date where the
    figure is known only then (``trust_shown``: the trust is drawn, so Renault's stake is "directly")."""
    votes, theory = r.get("voting_exercisable_pct"), r.get("voting_theoretical_pct")
    return {
        "trust": r["holding"] == "trust",
        "holder": r["holder"],
        "company": r["company"],
        "economic_pct": float(r["economic_pct"]),
        "directly": r["holder"] == "Renault" and r["company"] == "Nissan" and trust_shown,
        "votes": None if votes is None or pd.isna(votes) else float(votes),
        "theoretical": None if theory is None or pd.isna(theory) else float(theory),
        "dated_at": r.get("dated") == "at",
        "as_of": r.get("as_of"),
        "secondary": "secondary" in str(r.get("note") or "").lower(),
    }


def findings(ctx: Mapping[str, Any], a: Assessment, v: Mapping[str, Any]) -> list[Finding]:
    """The key findings at the parameters, their sentences from the template: the sale's only where
    there is a sale, the circle's only where it closes; ``flips`` where a finding's break-even lies
    inside the sourced values (the sale's plan price among the reported Renault prices)."""
    out = []
    for key, section, headline_ in FINDINGS:
        if key == "sale" and not ctx["has_sale"]:
            continue
        flips = key == "sale" and bool(ctx.get("plan_within_sourced"))
        out.append(
            Finding(
                key,
                render(TOPIC, f"finding_{key}", **ctx),
                anchor=anchor_for(section),
                headline=headline_,
                flips=flips,
            )
        )
    return out[:5]
