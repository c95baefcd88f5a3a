"""A report built without a kernel from the library's own display bundles: a title, the key
findings box, maths (inline, display, and a dollar sign in a code span), a wide table with source
links, a chart, the results table and the sources footer. The template, maths and print tests
export it with the real exporter, so they check the report machinery apart from the notebooks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from alliancelib import charts, findings, report, results
from alliancelib.results import Result

FORMULA = r"\tilde W = (I - W)^{-1} W"
SOURCES = ["seed_autoexpert", "amf_renault_voting_rights", "ecb_eurofxref"]


def _output(bundle: dict[str, Any], metadata: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"output_type": "display_data", "data": bundle, "metadata": metadata or {}}


def _code(*outputs: dict[str, Any]) -> dict[str, Any]:
    return {
        "cell_type": "code",
        "execution_count": 1,
        "metadata": {},
        "source": "x = 1",
        "outputs": list(outputs),
    }


def _markdown(text: str) -> dict[str, Any]:
    return {"cell_type": "markdown", "metadata": {}, "source": text}


def wide_table() -> pd.DataFrame:
    """Eleven columns, long text and numbers: wider than a phone and than A4 if nothing wraps."""
    return pd.DataFrame(
        {
            "model": ["Renault Twingo E-Tech electric", "Dacia Spring Electric 65 Extreme", "Hyundai Inster"],
            "brand": ["Renault", "Dacia", "Hyundai"],
            "trim": ["Evolution", "Extreme", "Long Range Advantage Plus"],
            "price_eur": [19490.0, 16900.0, 25000.0],
            "price_kind": ["list", "list", "list"],
            "battery_kwh": [27.5, 26.8, 49.0],
            "range_km": [263.0, 225.0, 355.0],
            "market": ["FR", "FR", "FR"],
            "as_of": ["2025-11", "2026-01", "2025-09"],
            "note": [
                "The base trim, as listed by the manufacturer's configurator on the day it opened "
                "for orders, before any incentive",
                "",
                "Long range battery",
            ],
            "source_id": ["seed_autoexpert", "amf_renault_voting_rights", "seed_autoexpert"],
        }
    )


def notebook() -> dict[str, Any]:
    """The showcase notebook as JSON (nbformat 4)."""
    fig, ax = charts.figure(8, 3.6)
    ax.plot([2023, 2024, 2025], [43.4, 38.9, 35.7], color=charts.PALETTE["Renault"])
    charts.style_axes(ax, title="Renault's stake in Nissan fell to 35.7%", ylabel="% of capital")
    chart = charts.finish(fig, source="Source: Nissan filings.", alt="Line chart: Renault's stake falls.")
    box = findings.findings_bundle(
        "99_showcase",
        [
            findings.Finding(
                "stake",
                "Renault owns **35.7%** of Nissan but directs 15% of its votes.",
                anchor="Integrated-ownership",
                headline=True,
            ),
            findings.Finding(
                "sale",
                "A 5-point sale would raise about **EUR 680m**; it holds in 92% of plausible cases.",
                holds_pct=92.0,
            ),
            findings.Finding("circle", "Counting the circle, Renault's integrated stake is 37.0%."),
        ],
        since="Nissan had sold no Renault shares by the news date.",
        news_as_of="2026-03-12",
        fx_as_of="2025-03-31",
    )
    rows = [
        Result("sale_proceeds_eur_m", 679.27, "EUR m", "What Nissan would raise", 0, low=551.0, high=700.0),
        Result(
            "renault_in_nissan_economic_pct",
            35.714,
            "%",
            "Renault's share of Nissan's capital",
            2,
            note="reported fact: no range",
        ),
        Result("nissan_commitment_jpy_bn", 96.96, "JPY bn", "Nissan's commitment in yen", 1),
    ]
    ranged = any(r.range_text() for r in rows)
    cells = [
        _markdown("# A showcase report\n\n**Question.** Does the report machinery read well?"),
        _code(_output(box)),
        _markdown(
            "## Integrated ownership\n\nIntegrated ownership is $" + FORMULA + "$, and in full:\n\n"
            "$$U_{ij} = o_i \\left[(I - W)^{-1}\\right]_{ij}, \\quad o_i = 1 - \\sum_k W_{ki}$$\n\n"
            "A worked example: $\\frac{0.3571}{1 - 0.3571 \\times 0.10} = 37.03\\%$. Code keeps its "
            "dollar signs: `price = $20,000 and $649m`, and an escaped \\$ sign stays one.\n\n"
            "```\ncost = $x$ in a code block\n```"
        ),
        _code(_output(report.table_bundle(wide_table(), "The Twingo against its segment (a wide table)."))),
        _code(_output(chart["data"], chart["metadata"])),
        _markdown("## Results"),
        _code(
            _output(results.header_bundle(ranged)),
            *(_output(results.result_bundle(r, ranged=ranged)) for r in rows),
        ),
        _code(
            _output(
                report.sources_footer_bundle(
                    SOURCES,
                    news_as_of="2026-03-12",
                    fx_as_of="2025-03-31",
                    unreached="whether the Ampere merger of 2026-07-01 happened",
                )
            )
        ),
    ]
    for i, cell in enumerate(cells):
        cell["id"] = f"cell-{i}"
    return {
        "cells": cells,
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }


def write_report(folder: Path, made: Any = None) -> Path:
    """Write the showcase notebook into ``folder`` and export its HTML report (with ``made``, an
    :class:`alliancelib.provenance.Provenance`, saying what made it); returns the HTML."""
    import json

    from alliancelib.export import export_html

    folder.mkdir(parents=True, exist_ok=True)
    nb = folder / "99_showcase.ipynb"
    nb.write_text(json.dumps(notebook()), encoding="utf-8")
    return export_html(nb, made)
