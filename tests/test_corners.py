"""Every notebook at the corners of its plausible ranges (issue 17 item 2): with every uncertain
input at the low end of its range, then at the high end (the first and last option of a choice),
a notebook either builds cleanly or is refused with a ParameterError before any kernel starts.

The ranges are the ones the uncertainty analysis draws from (``plausible_of`` in
alliancelib.params); the build is the real one (``alliance build`` with a scenario per corner)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from alliancelib import build as b
from alliancelib import notebooks as nbs
from alliancelib.errors import ParameterError
from alliancelib.params import fields_of, plausible_of
from alliancelib.scenarios import Scenario, plan

pytestmark = pytest.mark.slow
CORNERS = ("low", "high")


def corner(notebook: str, which: str) -> dict[str, Any]:
    """The parameters a notebook declares that have a plausible range, each at one end of it."""
    cls = nbs.params_class(notebook)
    declared = nbs.declared_parameters(nbs.discover()[notebook])
    values: dict[str, Any] = {}
    for f in fields_of(cls) if cls is not None else []:
        pl = plausible_of(cls, f.name)
        if pl is None or f.name not in declared:
            continue
        if pl.options:
            values[f.name] = pl.options[0 if which == "low" else -1]
        else:
            values[f.name] = pl.low if which == "low" else pl.high
    return values


def notebooks_with_ranges() -> list[str]:
    return [nb for nb in nbs.discover() if nbs.params_class(nb) is not None and corner(nb, "low")]


def test_every_notebook_declares_ranges_to_explore() -> None:
    assert len(notebooks_with_ranges()) >= 5


@pytest.mark.parametrize("which", CORNERS)
def test_every_notebook_builds_at_a_corner_or_is_refused_before_any_kernel(
    tmp_path: Path, which: str
) -> None:
    accepted: dict[str, dict[str, Any]] = {}
    refused: dict[str, str] = {}
    for nb in notebooks_with_ranges():
        values = corner(nb, which)
        try:
            plan([Scenario(which, notebooks={nb: values})], only=[nb])
        except ParameterError as exc:
            assert str(exc).startswith(f"{nb}: parameter "), str(exc)
            assert " is not allowed: " in str(exc)
            refused[nb] = str(exc)
        else:
            accepted[nb] = values
    assert accepted, f"every notebook refused its {which} corner: {refused}"
    outcomes = b.build(tmp_path / "r", [Scenario(which, notebooks=accepted)], only=list(accepted))
    failed = {f"{o.job.notebook}: {o.error}" for o in outcomes if not o.ok}
    assert not failed, f"at the {which} corner {failed}"
    assert {o.job.notebook for o in outcomes} == set(accepted)
    for o in outcomes:
        assert o.results, f"{o.job.notebook} recorded no result at the {which} corner"
