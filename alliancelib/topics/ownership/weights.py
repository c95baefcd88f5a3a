"""What Renault's Nissan stake weighs in Renault at each date with both prices, as notebook 01 shows
it (issue 22, the v3 contract): the facts the template's ``weight_day`` sentences and the table read,
the latest date's results with their range over that day's Renault quotes, and their labels naming the
date and any days between the two companies' prices. The arithmetic is :mod:`.stake_weight`'s."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from alliancelib.core.prose import render
from alliancelib.topics.ownership import inputs
from alliancelib.topics.ownership.model import LATEST, RESULTS, TOPIC


def weight_facts(b: inputs.Base) -> dict[str, Any]:
    """What the stake weighs at each date with both prices, as the template and the table read it
    (``weight_rows``: one dict per date, oldest first; ``latest``: the newest of them)."""
    from alliancelib import fx
    from alliancelib.topics.ownership.stake_weight import CARRYING_DAY

    rows = []
    for w in b.weights:
        pr = w.pairing
        rows.append(
            {
                "day": pr.day,
                "month": month_words(pr.day),
                "renault_low": min(q.price for q in pr.renault),
                "renault_high": max(q.price for q in pr.renault),
                "one_quote": len({q.price for q in pr.renault}) == 1,
                "renault_kinds": sorted({q.kind for q in pr.renault}),
                "nissan_day": pr.nissan.day,
                "nissan_price": pr.nissan.price,
                "nissan_kind": pr.nissan.kind,
                "derived": pr.nissan.derived,
                "gap_days": pr.gap_days,
                "gap_words": gap_words(pr.day, pr.nissan.day),
                "rate": w.jpy_per_eur,
                "stake_eur_bn": w.stake_eur_bn,
                "renault_eur_bn": w.renault_eur_bn,
                "share": w.share_pct,
                "share_low": w.share_low_pct,
                "share_high": w.share_high_pct,
                "stub": w.stub_eur_bn,
                "stub_low": w.stub_low_eur_bn,
                "stub_high": w.stub_high_eur_bn,
                "stub_negative": w.stub_eur_bn is not None and w.stub_eur_bn < 0,
                "source_ids": sorted({q.source_id for q in pr.renault} | {pr.nissan.source_id}),
                "other": None,
            }
        )
    rows[-1]["other"] = other_nissan_price(b)
    return {
        "weight_rows": rows,
        "latest": rows[-1],
        "first_weight": rows[0],
        "carrying_rate": fx.ecb_rate("JPY", CARRYING_DAY).rate_per_eur,
        "carrying_day": CARRYING_DAY,
        "shares_held_weight_m": _shares_held() / 1e6,
    }


def other_nissan_price(b: inputs.Base) -> dict[str, Any] | None:
    """At the latest date, the stake at the other Nissan price within the pairing's reach (the one
    not nearest to Renault's day), if the data hold one: its day, price, the days between and the
    stake's value and share of Renault's market value over the day's Renault quotes."""
    from alliancelib import fx
    from alliancelib.topics.ownership import stake_weight as sw

    w = b.weights[-1]
    pr = w.pairing
    _, nissan = sw.quotes()
    others = [
        q
        for q in nissan
        if len(q.day) == 10
        and q.day != pr.nissan.day
        and abs((_date(q.day) - _date(pr.day)).days) <= sw.MAX_GAP_DAYS
    ]
    if not others:
        return None
    q = min(others, key=lambda q: (abs((_date(q.day) - _date(pr.day)).days), q.day))
    rate = fx.ecb_rate("JPY", q.day).rate_per_eur
    stake = sw.stake_value_eur_bn(sw.renault_nissan_shares(), q.price, rate)
    return {
        "day": q.day,
        "price": q.price,
        "gap_words": gap_words(pr.day, q.day),
        "stake_eur_bn": stake,
        "share_low": stake / w.renault_high_eur_bn * 100,
        "share_high": stake / w.renault_low_eur_bn * 100,
        # the two prices' weights differ by less than a point of Renault's market value
        "small": abs(stake - w.stake_eur_bn) / w.renault_low_eur_bn * 100 < 1,
        "source_id": q.source_id,
    }


def _date(day: str) -> Any:
    import datetime as dt

    return dt.date.fromisoformat(day)


def month_words(day: str) -> str:
    """A day's month and year in words.

    >>> month_words("2026-02-19")
    'February 2026'
    """
    from alliancelib.core.words import MONTHS

    return f"{MONTHS[int(day[5:7]) - 1]} {day[:4]}"


def gap_words(renault_day: str, nissan_day: str) -> str:
    """How far Nissan's price is from Renault's, in words ("" on the same day).

    >>> gap_words("2026-02-19", "2026-02-20"), gap_words("2026-02-19", "2026-02-13")
    ('a day later', '6 days earlier')
    """
    import datetime as dt

    days = (dt.date.fromisoformat(nissan_day) - dt.date.fromisoformat(renault_day)).days
    if days == 0:
        return ""
    count = "a day" if abs(days) == 1 else f"{abs(days)} days"
    return f"{count} {'later' if days > 0 else 'earlier'}"


def _shares_held() -> float:
    from alliancelib.topics.ownership.stake_weight import renault_nissan_shares

    return renault_nissan_shares()


def latest_ranges(b: inputs.Base) -> dict[str, tuple[float, float]]:
    """The latest date's results range over the day's Renault quotes (the lowest and the highest)."""
    w = b.weights[-1]
    out = {"stake_share_of_renault_value_latest_pct": (w.share_low_pct, w.share_high_pct)}
    if w.stub_low_eur_bn is not None and w.stub_high_eur_bn is not None:
        out["renault_stub_value_latest_eur_bn"] = (w.stub_low_eur_bn, w.stub_high_eur_bn)
    return out


def latest_sale_range(b: inputs.Base, points: float) -> dict[str, tuple[float, float]]:
    """The sale's proceeds at the latest day's lowest and highest Renault quote (EUR m; none
    without a sale)."""
    from alliancelib.topics.ownership.holdings import sale_proceeds_eur_m

    if points <= 0 or not b.has_nissan:
        return {}
    prices = [q.price for q in b.weights[-1].pairing.renault]
    low, high = (float(sale_proceeds_eur_m(points, b.renault_shares, x)) for x in (min(prices), max(prices)))
    return {"sale_proceeds_latest_eur_m": (low, high)}


def result_labels() -> dict[str, str]:
    """Every recorded result's label as the notebook records it (the latest date's two name it)."""
    ctx = weight_facts(inputs.base(inputs.MARKET_DAY))
    return {s.name: s.label for s in result_specs(ctx)}


def result_specs(ctx: Mapping[str, Any]) -> list[Any]:
    """The recorded results, the latest date's two labelled with that date and any mismatch between
    the two companies' prices (blocks ``label__<name>``)."""
    import dataclasses

    return [
        dataclasses.replace(s, label=render(TOPIC, f"label__{s.name}", **ctx)) if s.name in LATEST else s
        for s in RESULTS
    ]
