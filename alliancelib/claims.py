"""The article's claims: statuses from sources, and its two currency conversions checked
against the ECB reference rate of a reference date."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from alliancelib import fx
from alliancelib.params import IsoDate, Number, param, validate

NOTEBOOK = "00_claims_and_timeline"
STATUSES = ("corroborated", "contradicted", "unverified", "slipped")


@dataclass(frozen=True)
class ClaimsParams:
    """Parameters of ``00_claims_and_timeline``."""

    reference_date: str = param(
        "2025-03-31",
        IsoDate(bounds=lambda: fx.held_range("USD"), bounds_label=" (ECB USD fixings held)"),
        "date whose ECB EUR/USD fixing the article's conversions are checked against (YYYY-MM-DD)",
    )
    fx_tolerance_pct: float = param(
        0.1, Number(minimum=0, maximum=100),
        "largest gap (%) between the article's implied rate and the ECB rate that still corroborates",
    )


def validate_params(**values: Any) -> ClaimsParams:
    """The notebook's parameters, validated (ParameterError names what is wrong)."""
    __tracebackhide__ = True
    return validate(ClaimsParams, NOTEBOOK, values)


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


def check_conversion(
    base_value: float, quoted_value: float, reference_rate: float, tolerance_pct: float
) -> FxCheck:
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
    implied = quoted_value / base_value
    deviation = (implied - reference_rate) / reference_rate * 100
    status = "corroborated" if abs(deviation) <= tolerance_pct + 1e-12 else "contradicted"
    return FxCheck(base_value, quoted_value, implied, reference_rate, deviation,
                   base_value * reference_rate, status)


def assess_claims(
    claims: pd.DataFrame, fixing: fx.Fixing, tolerance_pct: float
) -> pd.DataFrame:
    """Claims with every status set: computed checks filled in, the rest as sourced.

    Adds ``implied_rate``, ``reference_rate``, ``deviation_pct`` and ``reference_value`` for
    the computed checks (empty for the others).
    """
    out = claims.copy()
    for col in ("implied_rate", "reference_rate", "deviation_pct", "reference_value"):
        out[col] = float("nan")
    out["status"] = out["status"].astype("object")
    for i, row in out.iterrows():
        if row["check"] == "fx_eur_usd":
            c = check_conversion(row["base_value"], row["value"], fixing.rate_per_eur,
                                 tolerance_pct)
            out.at[i, "status"] = c.status
            out.at[i, "implied_rate"] = c.implied_rate
            out.at[i, "reference_rate"] = c.reference_rate
            out.at[i, "deviation_pct"] = c.deviation_pct
            out.at[i, "reference_value"] = c.reference_value
    unknown = set(out["status"]) - set(STATUSES)
    if unknown:
        raise ValueError(f"unknown statuses {sorted(map(str, unknown))}")
    return out


def status_counts(assessed: pd.DataFrame) -> dict[str, int]:
    """Number of claims per status (every status present, zero included), and the total.

    >>> status_counts(pd.DataFrame({"status": ["corroborated", "unverified", "corroborated"]}))
    {'corroborated': 2, 'contradicted': 0, 'unverified': 1, 'slipped': 0, 'total': 3}
    """
    counts = {s: int((assessed["status"] == s).sum()) for s in STATUSES}
    counts["total"] = int(len(assessed))
    return counts


def implied_rate(claims: pd.DataFrame, claim_id: str) -> float:
    """The USD-per-EUR rate implied by one conversion claim (quoted / base)."""
    row: Mapping[str, Any] = claims.set_index("claim_id").loc[claim_id]
    if row["check"] != "fx_eur_usd":
        raise ValueError(f"claim {claim_id!r} is not a currency conversion")
    return float(row["value"]) / float(row["base_value"])


def timeline(events: pd.DataFrame, start: str = "2023-01-01", end: str = "2026-12-31"
             ) -> pd.DataFrame:
    """Events between ``start`` and ``end`` sorted by date, numbered from 1, with ``day``
    (the first day of each partial date) for plotting."""
    from alliancelib.data import parse_partial_date

    out = events.copy()
    out["day"] = pd.to_datetime([parse_partial_date(d) for d in out["date"]])
    out = out[(out["day"] >= pd.Timestamp(start)) & (out["day"] <= pd.Timestamp(end))]
    out = out.sort_values(["day", "topic", "event"], kind="stable").reset_index(drop=True)
    out.insert(0, "n", range(1, len(out) + 1))
    return out


TOPIC_LANES = {"alliance": 3, "ampere": 2, "ev": 1, "india": 0}
TOPIC_LABELS = {"alliance": "Alliance & ownership", "ampere": "Ampere", "ev": "EV (Twingo)",
                "india": "India (RNAIPL)"}


def plot_timeline(tl: pd.DataFrame, highlight: str = "2025-03-31") -> Any:
    """Events of :func:`timeline` as numbered markers on one lane per topic, with the
    ``highlight`` date marked. Returns a matplotlib Figure (numbers refer to ``tl['n']``)."""
    from alliancelib import charts

    fig, ax = charts.figure(9.0, 3.8)
    colors = {"alliance": charts.PALETTE["Renault"], "ampere": charts.PALETTE["accent"],
              "ev": "#2e8b57", "india": charts.PALETTE["Nissan"]}
    seen: dict[int, list[pd.Timestamp]] = {}
    for _, ev in tl.iterrows():
        lane = TOPIC_LANES[ev["topic"]]
        # stagger labels of events close in time on the same lane
        near = [d for d in seen.get(lane, []) if abs((ev["day"] - d).days) < 75]
        offset = 0.22 if len(near) % 2 == 0 else -0.28
        seen.setdefault(lane, []).append(ev["day"])
        ax.scatter([ev["day"]], [lane], s=38, color=colors[ev["topic"]], zorder=3,
                   edgecolor="white", linewidth=0.6)
        ax.annotate(str(ev["n"]), (ev["day"], lane + offset), ha="center", va="center",
                    fontsize=7.5, color="#333333")
    ax.axvline(pd.Timestamp(highlight), color="#333333", linestyle="--", linewidth=1)
    ax.annotate(f"{highlight}: restructuring announced", (pd.Timestamp(highlight), 3.55),
                xytext=(4, 0), textcoords="offset points", fontsize=8, va="center")
    ax.set_yticks(list(TOPIC_LANES.values()), [TOPIC_LABELS[t] for t in TOPIC_LANES])
    ax.set_ylim(-0.6, 3.8)
    ax.set_xlim(pd.Timestamp("2023-01-01"), pd.Timestamp("2026-12-31"))
    charts.style_axes(ax, title="The restructuring, 2023-2026 (numbers refer to the table)",
                      xlabel="date of event", ylabel="")
    ax.grid(axis="y", visible=False)
    return fig


def plot_fx_context(rates: pd.DataFrame, fixing: fx.Fixing, implied: Mapping[str, float],
                    window_days: int = 30) -> Any:
    """ECB EUR/USD fixings around the reference date, with the article's implied rates as
    horizontal lines. ``rates`` is the ``fx_rates`` table; ``implied`` maps label -> rate."""
    from alliancelib import charts

    day = pd.Timestamp(fixing.requested)
    usd = rates[(rates["currency"] == "USD")
                & (rates["date"] >= day - pd.Timedelta(days=window_days))
                & (rates["date"] <= day + pd.Timedelta(days=window_days))]
    fig, ax = charts.figure(8.0, 3.8)
    ax.plot(usd["date"], usd["rate_per_eur"], marker="o", markersize=3,
            color=charts.PALETTE["accent"], label="ECB reference rate (daily fixing)")
    styles = ["--", ":"]
    for (label, rate), style in zip(implied.items(), styles, strict=False):
        ax.axhline(rate, color=charts.PALETTE["Nissan"], linestyle=style, linewidth=1.2,
                   label=f"{label}: {rate:.5f}")
    ax.axvline(day, color="#333333", linewidth=0.8)
    ax.annotate(f"reference date {fixing.requested}", (day, ax.get_ylim()[1]),
                xytext=(4, -10), textcoords="offset points", fontsize=8)
    ax.legend(loc="lower left", fontsize=8)
    charts.style_axes(ax, title="The article's conversions against the ECB EUR/USD rate",
                      xlabel="fixing date", ylabel="USD per EUR")
    fig.autofmt_xdate()
    return fig
