"""Scenario files and the plan of a build: which notebook runs with which parameters.

A scenario file (TOML) names a set of parameter choices::

    name = "tight"                # folder name under the output folder
    description = "..."
    extends = "cautious"          # optional: start from another scenario of scenarios/
    [shared]                      # values for every notebook that declares them
    fx_date = "2025-03-31"
    [notebooks.03_ev_pricing]     # values for one notebook (win over [shared])
    twingo_price_eur = 19490.0

Every scenario starts from the base case, which is the notebooks' defaults (``scenarios/base.toml``
restates them with their sources, and a test keeps the two equal), or, with ``extends``, from
another scenario: its values first, then the file's own, which win.

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
SCENARIO_KEYS = ("description", "extends", "name", "notebooks", "shared")
BASE = "base"  # the base case: the notebooks' defaults


@dataclass(frozen=True)
class Scenario:
    """Named parameter choices: ``shared`` values go to every notebook that declares them;
    ``notebooks`` holds per-notebook values (these win over shared ones)."""

    name: str
    description: str = ""
    shared: Mapping[str, Any] = field(default_factory=dict)
    notebooks: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    path: str = ""
    parent: Scenario | None = None  # the scenario it extends (``extends``), loaded

    @property
    def starts_from(self) -> str:
        """The scenario it starts from: the one it extends, else ``base`` (the notebooks'
        defaults); "" for the base case itself.

        >>> Scenario("tight").starts_from, Scenario("base").starts_from
        ('base', '')
        >>> Scenario("tighter", parent=Scenario("tight")).starts_from
        'tight'
        """
        if self.parent is not None:
            return self.parent.name
        return "" if self.name == BASE else BASE

    def layers(self) -> list[Scenario]:
        """The scenarios whose values it applies, in order: the one it extends first, itself last."""
        return ([] if self.parent is None else self.parent.layers()) + [self]


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


def load_scenario(path: Path, folder: Path = SCENARIOS_DIR) -> Scenario:
    """Read a scenario file (TOML) and, through ``extends``, the scenarios it builds on (looked
    up beside it, then in ``folder``). Errors name the file and, for syntax errors, the line; an
    ``extends`` naming no scenario, or scenarios extending each other in a circle, is a
    BuildError before anything runs."""
    return _load(Path(path), folder, ())


def _load(path: Path, folder: Path, chain: tuple[Path, ...]) -> Scenario:
    """:func:`load_scenario`, with the files already on the way (``chain``) to catch a circle."""
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
    if (
        not isinstance(shared, dict)
        or not isinstance(per_nb, dict)
        or not all(isinstance(v, dict) for v in per_nb.values())
    ):
        raise BuildError(f"{shown}: [shared] and [notebooks.NAME] must be tables of values")
    description = raw.get("description", "")
    if not isinstance(description, str):
        raise BuildError(f"{shown}: description must be a string")
    parent = None
    if "extends" in raw:
        parent = _parent(path, raw["extends"], folder, chain)
    return Scenario(name, description, shared, per_nb, shown, parent)


def _parent(path: Path, extends: Any, folder: Path, chain: tuple[Path, ...]) -> Scenario:
    """The scenario a file extends, loaded; BuildError for a name that is not a scenario or a
    circle (a file that, through what it extends, extends itself)."""
    shown = str(path)
    if not isinstance(extends, str) or not extends.strip():
        raise BuildError(f'{shown}: extends must name a scenario, e.g. extends = "base"')
    found = find_scenario(extends, [path.parent, folder])
    if found is None:
        known = sorted({f.stem for d in (path.parent, folder) for f in scenario_files(d)})
        raise BuildError(
            f"{shown}: extends {extends!r}: no such scenario beside it or in {folder}; "
            f"scenarios: {', '.join(known) or 'none'}"
        )
    here = path.resolve()
    if found.resolve() in (*chain, here):
        circle = " -> ".join(
            p.name for p in (*chain, here, found.resolve())[list((*chain, here)).index(found.resolve()) :]
        )
        raise BuildError(
            f"{shown}: extends {extends!r}, a circle ({circle}): a scenario cannot "
            "extend itself, directly or through others"
        )
    return _load(found, folder, (*chain, here))


def find_scenario(name: str, folders: Sequence[Path]) -> Path | None:
    """The scenario file ``name`` refers to: ``<name>`` or ``<name>.toml`` in the first folder
    that holds it, else a file there whose ``name`` is ``name``; None if there is none."""
    wanted = name.strip()
    seen: list[Path] = []
    for folder in folders:
        if folder.resolve() in seen:
            continue
        seen.append(folder.resolve())
        for f in scenario_files(folder):
            if wanted in (f.name, f.stem):
                return f
        for f in scenario_files(folder):
            if _declared_name(f) == wanted:
                return f
    return None


def _declared_name(path: Path) -> str | None:
    """The ``name`` a scenario file declares (None if it cannot be read)."""
    try:
        name = tomllib.loads(path.read_text(encoding="utf-8")).get("name")
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    return name if isinstance(name, str) else None


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
            raise BuildError(
                f"{where}: no notebook declares this parameter; parameters: {', '.join(self.all_params)}"
            )

    def check_scenario(self, sc: Scenario) -> None:
        """BuildError for a name in a scenario (or one it extends) that no notebook knows."""
        for layer in sc.layers():
            self._check_layer(layer)

    def _check_layer(self, sc: Scenario) -> None:
        where = sc.path or sc.name
        for key in sc.shared:
            self.check_parameter(key, f"{where}: [shared] {key}")
        for nb_name, values in sc.notebooks.items():
            self.check_notebook(nb_name, f"{where}: [notebooks.{nb_name}]")
            unknown = [key for key in values if key not in self.declared[nb_name]]
            if unknown:
                raise BuildError(
                    f"{where}: [notebooks.{nb_name}] {unknown[0]}: {nb_name} has no such "
                    f"parameter; its parameters: {', '.join(self.declared[nb_name])}"
                )

    def job(self, sc: Scenario, nb_name: str, overrides: Mapping[str, Any]) -> Job:
        """The job of one notebook in one scenario: defaults, then, for the scenario it extends
        (if any) and then itself, shared values and the notebook's own values, then the overrides.
        ParameterError if the result is not allowed, by the same checks as the notebook's
        ``validate_params`` (each value, then every combination: a sale below the lock-up, an
        incentive above the price ...)."""
        decl = self.declared[nb_name]
        params = {k: v.default for k, v in decl.items()}
        for layer in sc.layers():  # what it extends first: its own values win
            params.update({k: v for k, v in layer.shared.items() if k in decl})
            params.update(layer.notebooks.get(nb_name, {}))
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
