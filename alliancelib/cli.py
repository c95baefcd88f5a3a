"""The ``alliance`` command (also ``python -m alliancelib``): build, params, refresh, validate,
preview."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from alliancelib.errors import AllianceError
from alliancelib.paths import NOTEBOOKS_DIR, SCENARIOS_DIR


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="alliance",
        description="Research notebooks on the Renault-Nissan-Mitsubishi restructuring of "
                    "31 March 2025: build reports, list parameters, refresh notebooks.",
    )
    sub = ap.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="execute the notebooks and export reports")
    b.add_argument("--out", type=Path, default=Path("reports"),
                   help="output folder (default: reports)")
    b.add_argument("--only", action="append", default=[], metavar="NAME",
                   help="build only this notebook (repeatable), e.g. --only 00_claims_and_timeline")
    b.add_argument("-p", "--param", action="append", default=[], metavar="NAME=VALUE",
                   help="set a parameter in every notebook that declares it (repeatable)")
    b.add_argument("--scenario", action="append", default=[], type=Path, metavar="FILE",
                   help="a scenario file (TOML; repeatable: one report folder per scenario)")
    b.add_argument("--all-scenarios", action="store_true",
                   help="build every scenario file in scenarios/ (one folder each, compared in the index)")
    b.add_argument("--pdf", action="store_true",
                   help="also print each report and the index to PDF with headless Chromium")
    b.add_argument("--jobs", type=int, default=None,
                   help="notebooks executed at once (default: the number of cores)")
    b.add_argument("--notebooks", type=Path, default=None, metavar="DIR",
                   help="folder of NN_topic.ipynb notebooks (default: the project's notebooks/)")
    b.add_argument("--no-cache", action="store_true",
                   help="execute every notebook even if nothing it depends on changed")
    b.add_argument("--profile", type=Path, default=None, metavar="FILE",
                   help="write where the build spent its time (seconds per step, JSON) to FILE")
    p = sub.add_parser("params", help="list every notebook's parameters")
    p.add_argument("notebook", nargs="?", help="one notebook, e.g. 00_claims_and_timeline")
    r = sub.add_parser("refresh", help="re-execute the committed notebooks in place, cleanly")
    r.add_argument("notebook", nargs="*", help="notebooks to refresh (default: all)")
    sub.add_parser("validate", help="validate the data in data/ against its schema")
    v = sub.add_parser("preview", help="serve the reports on this machine and rebuild them as you save")
    v.add_argument("--port", type=int, default=8765,
                   help="port on 127.0.0.1 (default: 8765; 0 picks a free one)")
    v.add_argument("--scenario", action="append", default=[], metavar="NAME",
                   help="a scenario of scenarios/ by name (e.g. base) or a scenario file (repeatable; "
                        "default: every notebook with its default parameters)")
    v.add_argument("--out", type=Path, default=Path("reports"), help="output folder (default: reports)")
    v.add_argument("--notebooks", type=Path, default=None, metavar="DIR",
                   help="folder of NN_topic.ipynb notebooks (default: the project's notebooks/)")
    v.add_argument("--jobs", type=int, default=None,
                   help="notebooks executed at once (default: the number of cores)")
    v.add_argument("--no-warm", action="store_true",
                   help="start a new kernel for each execution instead of keeping one ready per notebook")
    return ap


def _params(name: str | None) -> int:
    """Print every parameter of one notebook (or all): name, type, default, help, the label
    readers see and, where declared, the plausible range with its kind and basis."""
    from alliancelib import notebooks as nbs
    from alliancelib.params import fields_of, label_of, plausible_of

    found = nbs.discover()
    if name is not None and name not in found:
        print(f"alliance: no notebook {name!r}; notebooks: {', '.join(found)}", file=sys.stderr)
        return 2
    for nb_name in [name] if name else list(found):
        print(f"{nb_name}")
        cls = nbs.params_class(nb_name)
        declared = {f.name for f in fields_of(cls)} if cls is not None else set()
        for prm in nbs.declared_parameters(found[nb_name]).values():
            print(f"  {prm.name}: {prm.type} = {prm.default!r}")
            print(f"      {prm.help}")
            if cls is not None and prm.name in declared:
                print(f"      label: {label_of(cls, prm.name)}")
                plausible = plausible_of(cls, prm.name)
                if plausible is not None:
                    print(f"      plausible: {plausible.describe()}")
    return 0


def _build(args: argparse.Namespace) -> int:
    from alliancelib import timing
    from alliancelib.build import build
    from alliancelib.errors import BuildError
    from alliancelib.scenarios import load_scenario, parse_overrides, scenario_files
    from alliancelib.summary import summarize

    if args.jobs is not None and args.jobs < 1:
        raise BuildError(f"--jobs {args.jobs}: must be at least 1")
    files = list(args.scenario) + (scenario_files(SCENARIOS_DIR) if args.all_scenarios else [])
    with timing.recording(timing.Profile()) as profile:
        outcomes = build(args.out, [load_scenario(s) for s in files], parse_overrides(args.param), args.only,
                         args.jobs, notebook_dir=(args.notebooks or NOTEBOOKS_DIR).resolve(),
                         use_cache=not args.no_cache, pdf=args.pdf)
    if args.profile is not None:
        profile.write(args.profile)
    print(summarize(outcomes))
    print(f"index: {args.out / 'index.html'}")
    return 0 if all(o.ok for o in outcomes) else 1


def _preview(args: argparse.Namespace) -> int:
    from alliancelib.errors import BuildError
    from alliancelib.preview import serve

    if not 0 <= args.port <= 65535:
        raise BuildError(f"--port {args.port}: must be between 0 and 65535 (0 picks a free port)")
    if args.jobs is not None and args.jobs < 1:
        raise BuildError(f"--jobs {args.jobs}: must be at least 1")
    for name in args.scenario:
        if not (SCENARIOS_DIR / f"{name}.toml").is_file() and not Path(name).is_file():
            names = ", ".join(f.stem for f in sorted(SCENARIOS_DIR.glob("*.toml")))
            raise BuildError(f"--scenario {name}: no such scenario; scenarios: {names} (or a scenario file)")
    try:
        return serve(args.out, args.port, args.scenario, (args.notebooks or NOTEBOOKS_DIR).resolve(),
                     args.jobs, warm=not args.no_warm)
    except OSError as exc:
        if exc.errno == 98:  # EADDRINUSE
            raise BuildError(f"--port {args.port}: already in use on 127.0.0.1; choose another "
                             "(or --port 0 for a free one)") from None
        raise


def _validate() -> int:
    from alliancelib.data import load_all

    tables = load_all()
    print(f"data ok: {len(tables)} tables, {sum(len(t) for t in tables.values())} rows")
    return 0


def _refresh(names: Sequence[str]) -> int:
    from alliancelib.refresh import refresh

    for path in refresh(names):
        print(f"refreshed {path.name}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit status: 0 ok, 1 a notebook failed, 2 bad input (any
    :class:`~alliancelib.errors.AllianceError`: its message, no traceback). Any other exception
    is a bug: it propagates with its traceback (exit status 1)."""
    args = _parser().parse_args(argv)
    try:
        if args.command == "params":
            return _params(args.notebook)
        if args.command == "validate":
            return _validate()
        if args.command == "refresh":
            return _refresh(args.notebook)
        if args.command == "preview":
            return _preview(args)
        return _build(args)
    except AllianceError as exc:
        print(f"alliance: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
