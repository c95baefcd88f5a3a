"""Bad parameters: every notebook refuses at least five bad values with a message naming the
notebook, the parameter, the value and what is allowed; and that message is the last thing the
papermill CLI prints."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from alliancelib import notebooks as nbs
from alliancelib.errors import ParameterError
from alliancelib.params import defaults, validate

BAD = {
    "00_claims_and_timeline": [
        ("reference_date", "2023-01-31"),
        ("reference_date", "31/03/2025"),
        ("reference_date", 20250331),
        ("reference_date", "2026-08-22"),
        ("reference_date", "2025-02-30"),
        ("fx_tolerance_pct", -0.1),
        ("fx_tolerance_pct", 101.0),
        ("fx_tolerance_pct", float("nan")),
        ("fx_tolerance_pct", "0.1"),
    ],
    "01_ownership": [
        ("as_of", "1990-01-01"),
        ("lockup_threshold_pct", -5.0),
        ("nissan_sells_renault_pct", 5.5),
        ("nissan_sells_renault_pct", -1.0),
        ("buyer", "state"),
        ("renault_share_price_eur", 0.0),
        ("renault_share_price_eur", 20000.0),
        ("nissan_market_cap_usd_bn", 0.0),
        ("nissan_in_renault_pct", 101.0),
        ("nissan_in_renault_pct", 90.0),
    ],
    "02_india_transfer": [
        ("capacity_units", 0),
        ("base_volume_units", -10),
        ("base_volume_units", 0),
        ("new_models", -1),
        ("units_per_new_model", 2.5),
        ("stake_acquired_pct", 51.5),
        ("target_utilisation_pct", 100.5),
        ("nissan_new_models", -1),
        ("nissan_new_models", 51),
        ("nissan_new_models", "three"),
    ],
    "03_ev_pricing": [
        ("twingo_price_eur", 0.0),
        ("market", "ES"),
        ("fx_date", "2026-09-30"),
        ("years", 0),
        ("annual_km", -1.0),
        ("ice_price_eur", -12990.0),
        ("eur_usd", -1.08),
        ("household", "rich"),
        ("incentive_eur", -1.0),
        ("discount_rate_pct", 51.0),
    ],
    "04_ampere_investment": [
        ("pre_money_eur_bn", 0.0),
        ("nissan_commitment_eur_m", -1.0),
        ("mitsubishi_commitment_eur_m", "200"),
        ("nissan_stake_cap_pct", 0.0),
        ("nissan_stake_cap_pct", 150.0),
        ("fx_date", "2023-01-01"),
        ("pre_money_eur_bn", 5000.0),
        ("eur_usd", 0.0),
        ("eur_jpy", 5000.0),
    ],
    "05_deal_ledger": [
        ("nissan_sells_renault_pct", 5.5),
        ("nissan_sells_renault_pct", -1.0),
        ("buyer", "state"),
        ("renault_share_price_eur", 0.0),
        ("renault_share_price_eur", 20000.0),
        ("nissan_in_renault_pct", -1.0),
    ],
}
CASES = [(nb, name, value) for nb, rows in BAD.items() for name, value in rows]


def test_every_notebook_has_at_least_five_bad_values() -> None:
    assert set(BAD) == set(nbs.discover())
    assert all(len(rows) >= 5 for rows in BAD.values())


@pytest.mark.parametrize(("notebook", "name", "value"), CASES)
def test_bad_value_is_refused_with_a_clear_message(notebook: str, name: str, value: object) -> None:
    cls = nbs.params_class(notebook)
    module = sys.modules[cls.__module__]
    with pytest.raises(ParameterError) as info:
        module.validate_params(**{**defaults(cls), name: value})
    err = info.value
    assert (err.notebook, err.parameter) == (notebook, name)
    assert str(err).startswith(f"{notebook}: parameter {name} = {value!r} is not allowed: ")
    assert len(err.allowed) > 5


@pytest.mark.parametrize("notebook", list(BAD))
def test_defaults_are_valid(notebook: str) -> None:
    cls = nbs.params_class(notebook)
    assert validate(cls, notebook, defaults(cls)) == cls()


@pytest.mark.slow
def test_papermill_cli_prints_the_message_last(tmp_path: Path) -> None:
    """One notebook through the papermill command line: the refusal is the last line it prints.
    The mechanism is the same in every notebook (the validation cell raises the ParameterError,
    tests/test_notebooks_common.py::test_every_parameter_reaches_the_validation), so one proves it."""
    notebook = next(iter(BAD))
    name, value = BAD[notebook][0]
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "papermill",
            str(nbs.discover()[notebook]),
            str(tmp_path / "o.ipynb"),
            "-p",
            name,
            str(value),
        ],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert done.returncode == 1
    last = (done.stdout + done.stderr).strip().splitlines()[-1]
    assert last.startswith(f"ParameterError: {notebook}: parameter {name} = ")
