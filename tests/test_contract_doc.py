"""docs/contract.md says what the code declares: its generated part is what
``python -m alliancelib.contract`` writes from the notebooks' parameters cells, the parameters classes
and each topic's RESULTS."""

from __future__ import annotations

from alliancelib import contract
from alliancelib import notebooks as nbs


def test_the_contract_page_is_in_step_with_the_code() -> None:
    text = contract.PAGE.read_text(encoding="utf-8")
    assert contract.page_with(text, contract.generated()) == text, "run: python -m alliancelib.contract"


def test_every_notebook_parameter_and_result_is_on_the_page() -> None:
    text = contract.PAGE.read_text(encoding="utf-8")
    for notebook, path in nbs.discover().items():
        assert f"### `{notebook}`" in text
        for name in nbs.declared_parameters(path):
            assert f"| `{name}` |" in text, name
        for spec in contract._module(notebook).RESULTS:
            assert f"| `{spec.name}` |" in text, spec.name


def test_a_page_without_markers_is_refused() -> None:
    import pytest

    with pytest.raises(ValueError, match="lacks its markers"):
        contract.page_with("no markers here", "x")
