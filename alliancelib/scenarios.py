"""Scenario files and the plan of a build: which notebook runs with which parameters.

A scenario file (TOML) names a set of parameter choices::

    name = "base"                 # folder name under the output folder
    description = "..."
    [shared]                      # values for every notebook that declares them
    fx_date = "2025-03-31"
    [notebooks.03_ev_pricing]     # values for one notebook (win over [shared])
    twingo_price_eur = 19490.0

:func:`plan` turns scenarios and command-line overrides into :class:`Job` objects, checking every
name and value first: an unknown notebook or parameter is a BuildError, a value or a combination
of values that is not allowed (the notebook's own ``validate_params``) a ParameterError, both
before any kernel starts.
"""

from __future__ import annotations

import ast
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from alliancelib import notebooks as nbs
from alliancelib.errors import BuildError
from alliancelib.paths import NOTEBOOKS_DIR, SCENARIOS_DIR

SCENARIO_NAME_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789_-")
SCENARIO_KEYS = ("description", "name", "notebooks", "shared")


@dataclass(frozen=True)
class Scenario:
    """Named parameter choices: ``shared`` values go to every notebook that declares them;
    ``notebooks`` holds per-notebook values (these win over shared ones)."""

    name: str
    description: str = ""
    shared: Mapping[str, Any] = field(default_factory=dict)
    notebooks: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    path: str = ""


@dataclass(frozen=True)
class Job:
    """One notebook to execute in one scenario with its full parameter set."""

    scenario: str
    notebook: str
    source: Path
    parameters: Mapping[str, Any]
    overrides: Mapping[str, Any]  # the parameters that differ from the notebook's defaults


def parse_value(text: str) -> Any:
    """A ``-p`` value: a Python literal if it parses as one, else the string itself.

    >>> parse_value("19490"), parse_value("'FR'"), parse_value("FR"), parse_value("None")
    (19490, 'FR', 'FR', None)
    """
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return text


def parse_overrides(pairs: Sequence[str]) -> dict[str, Any]:
    """``["name=value", ...]`` from the command line into a dict; BuildError on a bad pair.

    >>> parse_overrides(["years=5", "market=DE"])
    {'years': 5, 'market': 'DE'}
    """
    out: dict[str, Any] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip().isidentifier():
            raise BuildError(f"-p {pair!r}: write -p name=value (e.g. -p twingo_price_eur=19490)")
        out[name.strip()] = parse_value(value.strip())
    return out


def load_scenario(path: Path) -> Scenario:
    """Read a scenario file (TOML). Errors name the file and, for syntax errors, the line."""
    shown = str(path)
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BuildError(f"{shown}: scenario file not found") from None
    except tomllib.TOMLDecodeError as exc:
        raise BuildError(f"{shown}: not a valid scenario file: {exc}") from None
    extra = sorted(set(raw) - set(SCENARIO_KEYS))
    if extra:
        raise BuildError(f"{shown}: unknown key(s) {', '.join(extra)}; allowed: {', '.join(SCENARIO_KEYS)}")
    name = raw.get("name", Path(path).stem)
    if not isinstance(name, str) or not name or set(name) - SCENARIO_NAME_CHARS:
        raise BuildError(f"{shown}: name {name!r} must use only a-z, 0-9, '_' and '-'")
    shared, per_nb = raw.get("shared", {}), raw.get("notebooks", {})
    if not isinstance(shared, dict) or not isinstance(per_nb, dict) or not all(
            isinstance(v, dict) for v in per_nb.values()):
        raise BuildError(f"{shown}: [shared] and [notebooks.NAME] must be tables of values")
    description = raw.get("description", "")
    if not isinstance(description, str):
        raise BuildError(f"{shown}: description must be a string")
    return Scenario(name, description, shared, per_nb, shown)


def scenario_files(folder: Path = SCENARIOS_DIR) -> list[Path]:
    """Every scenario file of ``folder``, ``base`` first, then by name."""
    return sorted(folder.glob("*.toml"), key=lambda f: (f.stem != "base", f.stem))


def default_scenario(overrides: Mapping[str, Any] | None) -> Scenario:
    """The scenario of a build given no scenario file: ``default``, or ``custom`` with ``-p``."""
    if overrides:
        return Scenario("custom", "Default parameters with command-line overrides.")
    return Scenario("default", "Every notebook with its default parameters.")


@dataclass(frozen=True)
class Collection:
    """The notebooks a build can run: their files and the parameters each declares."""

    found: Mapping[str, Path]
    declared: Mapping[str, Mapping[str, nbs.Parameter]]

    @classmethod
    def of(cls, notebook_dir: Path) -> Collection:
        """The notebooks of a folder; BuildError if it holds none."""
        found = nbs.discover(notebook_dir)
        if not found:
            raise BuildError(f"no notebooks named NN_topic.ipynb in {notebook_dir}")
        return cls(found, {name: nbs.declared_parameters(path) for name, path in found.items()})

    @property
    def all_params(self) -> list[str]:
        """Every parameter name declared by some notebook, sorted."""
        return sorted({p for d in self.declared.values() for p in d})

    def check_notebook(self, name: str, where: str) -> None:
        """BuildError unless ``name`` is one of the notebooks (``where`` says who asked)."""
        if name not in self.found:
            raise BuildError(f"{where}: no such notebook; notebooks: {', '.join(self.found)}")

    def check_parameter(self, name: str, where: str) -> None:
        """BuildError unless some notebook declares the parameter ``name``."""
        if name not in self.all_params:
            raise BuildError(f"{where}: no notebook declares this parameter; "
                             f"parameters: {', '.join(self.all_params)}")

    def check_scenario(self, sc: Scenario) -> None:
        """BuildError for a name in a scenario that no notebook knows."""
        where = sc.path or sc.name
        for key in sc.shared:
            self.check_parameter(key, f"{where}: [shared] {key}")
        for nb_name, values in sc.notebooks.items():
            self.check_notebook(nb_name, f"{where}: [notebooks.{nb_name}]")
            unknown = [key for key in values if key not in self.declared[nb_name]]
            if unknown:
                raise BuildError(f"{where}: [notebooks.{nb_name}] {unknown[0]}: {nb_name} has no such "
                                 f"parameter; its parameters: {', '.join(self.declared[nb_name])}")

    def job(self, sc: Scenario, nb_name: str, overrides: Mapping[str, Any]) -> Job:
        """The job of one notebook in one scenario: defaults, then shared values, the notebook's
        own values and the overrides; ParameterError if the result is not allowed, by the same
        checks as the notebook's ``validate_params`` (each value, then every combination: a sale
        below the lock-up, an incentive above the price ...)."""
        decl = self.declared[nb_name]
        params = {k: v.default for k, v in decl.items()}
        params.update({k: v for k, v in sc.shared.items() if k in decl})
        params.update(sc.notebooks.get(nb_name, {}))
        params.update({k: v for k, v in overrides.items() if k in decl})
        check = nbs.validator(nb_name)
        if check is not None:
            check(**params)  # the notebook's own checks, combinations included, before any kernel
        changed = {k: v for k, v in params.items() if v != decl[k].default}
        return Job(sc.name, nb_name, self.found[nb_name], params, changed)


def plan(
    scenarios: Sequence[Scenario],
    overrides: Mapping[str, Any] | None = None,
    only: Sequence[str] = (),
    notebook_dir: Path = NOTEBOOKS_DIR,
) -> list[Job]:
    """Every job of a build, with names and values checked; BuildError or ParameterError
    before anything runs."""
    collection = Collection.of(notebook_dir)
    for name in only:
        collection.check_notebook(name, f"--only {name!r}")
    overrides = dict(overrides or {})
    for name in overrides:
        collection.check_parameter(name, f"-p {name}")
    names = [s.name for s in scenarios]
    if len(set(names)) != len(names):
        raise BuildError(f"two scenarios share a name: {', '.join(names)}")
    for sc in scenarios:
        collection.check_scenario(sc)
    chosen = list(only) or list(collection.found)
    return [collection.job(sc, nb_name, overrides) for sc in scenarios for nb_name in chosen]
