"""What a build says about its outcomes: ``results.json`` per scenario and the closing summary.

``<out>/<scenario>/results.json`` holds the scenario's name, description and the scenario it starts
from (``base``, the one it ``extends``, or null for the base case itself) and, per notebook, its
status and error, its parameters, those of them that differ from the notebook's defaults
(``overrides``), its recorded results (``{"name", "value", "unit", "label", ["low", "high"]}`` by
name, in the order the notebook recorded them) and its key findings record
(:data:`alliancelib.findings.FINDINGS_MIME`, or null when the notebook shows none or failed). Every
other mapping has its keys sorted; nothing varies between runs, and the same outcomes give the same
bytes whether they were executed or came from the cache.
The top level also holds the data and code versions of the build that wrote it
(:mod:`alliancelib.provenance`), the versions its reports show.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from alliancelib.runner import Outcome
from alliancelib.scenarios import Scenario


def _sorted(value: Any, keep_order: bool = False) -> Any:
    """``value`` with every mapping's keys sorted, except the mapping under a ``results`` key
    (the recorded order), whose records are sorted inside."""
    if isinstance(value, Mapping):
        items = list(value.items()) if keep_order else sorted(value.items())
        return {k: _sorted(v, keep_order=(k == "results" and not keep_order)) for k, v in items}
    if isinstance(value, list | tuple):
        return [_sorted(v) for v in value]
    return value


def entry(o: Outcome) -> dict[str, Any]:
    """One notebook's record in ``results.json``."""
    return {
        "status": "ok" if o.ok else "failed",
        "error": o.error,
        "parameters": dict(o.job.parameters),
        "overrides": dict(o.job.overrides),
        "results": o.results,
        "findings": o.findings,
    }


def results_json(
    scenario: Scenario, outcomes: Sequence[Outcome], kept: Mapping[str, Any] | None = None
) -> str:
    """The ``results.json`` of one scenario: its outcomes in this build, plus ``kept``, the records
    of the notebooks it did not rebuild (from the previous ``results.json``)."""
    from alliancelib.provenance import code_version, data_version

    notebooks = dict(kept or {})
    notebooks.update({o.job.notebook: entry(o) for o in outcomes if o.job.scenario == scenario.name})
    doc = {
        "scenario": scenario.name,
        "description": scenario.description,
        "starts_from": scenario.starts_from or None,  # null: the base case, the notebooks' defaults
        "data_version": data_version(),  # the same versions every report of the build shows
        "code_version": code_version(),
        "notebooks": {nb: notebooks[nb] for nb in sorted(notebooks)},
    }
    return json.dumps(_sorted(doc), indent=2, ensure_ascii=False) + "\n"


def summarize(outcomes: Iterable[Outcome]) -> str:
    """One line: how many notebooks ran, came from the cache and failed; then each failure."""
    outcomes = list(outcomes)
    failed = [o for o in outcomes if not o.ok]
    cached = sum(o.cached for o in outcomes)
    text = f"{len(outcomes)} notebook run(s), {cached} from the cache, {len(failed)} failed"
    for o in failed:
        text += f"\n  {o.job.scenario}/{o.job.notebook}: {o.error}"
    return text
