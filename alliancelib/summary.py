"""What a build says about its outcomes: ``results.json`` per scenario and the closing summary.

``<out>/<scenario>/results.json`` holds, per notebook, its status and error, its parameters, its
recorded results (``{"name", "value", "unit", "label", ["low", "high"]}`` by name) and its key
findings record (:data:`alliancelib.findings.FINDINGS_MIME`, or null when the notebook shows none
or failed), and the data and code versions the reports show (:mod:`alliancelib.provenance`). Keys
are sorted and nothing varies between runs.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from alliancelib.runner import Outcome
from alliancelib.scenarios import Scenario


def results_json(scenario: Scenario, outcomes: Sequence[Outcome]) -> str:
    """The ``results.json`` of one scenario (its outcomes only)."""
    from alliancelib.provenance import code_version, data_version

    doc = {
        "scenario": scenario.name,
        "description": scenario.description,
        "data_version": data_version(),  # the same versions every report of the build shows
        "code_version": code_version(),
        "notebooks": {
            o.job.notebook: {
                "status": "ok" if o.ok else "failed",
                "error": o.error,
                "parameters": dict(o.job.parameters),
                "results": o.results,
                "findings": o.findings,
            }
            for o in sorted(outcomes, key=lambda o: o.job.notebook) if o.job.scenario == scenario.name
        },
    }
    return json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def summarize(outcomes: Iterable[Outcome]) -> str:
    """One line: how many notebooks ran, came from the cache and failed; then each failure."""
    outcomes = list(outcomes)
    failed = [o for o in outcomes if not o.ok]
    cached = sum(o.cached for o in outcomes)
    text = f"{len(outcomes)} notebook run(s), {cached} from the cache, {len(failed)} failed"
    for o in failed:
        text += f"\n  {o.job.scenario}/{o.job.notebook}: {o.error}"
    return text
