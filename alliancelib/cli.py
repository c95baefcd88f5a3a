"""The ``alliance`` command (also ``python -m alliancelib``): build, params, refresh, validate,
preview."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from alliancelib.errors import AllianceError, DataError
from alliancelib.paths import NOTEBOOKS_DIR, SCENARIOS_DIR


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="alliance",
        description="Research notebooks on the Renault-Nissan-Mitsubishi restructuring of "
        "31 March 2025: build reports, list parameters, refresh notebooks.",
    )
    sub = ap.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="execute the notebooks and export reports")
    b.add_argument("--out", type=Path, default=Path("reports"), help="output folder (default: reports)")
    b.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="NAME",
        help="build only this notebook (repeatable), e.g. --only 00_claims_and_timeline",
    )
    b.add_argument(
        "-p",
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="set a parameter in every notebook that declares it (repeatable)",
    )
    b.add_argument(
        "--scenario",
        action="append",
        default=[],
        type=Path,
        metavar="FILE",
        help="a scenario file (TOML; repeatable: one report folder per scenario)",
    )
    b.add_argument(
        "--all-scenarios",
        action="store_true",
        help="build every scenario file in scenarios/ (one folder each, compared in the index)",
    )
    b.add_argument(
        "--pdf",
        action="store_true",
        help="also print each report and the index to PDF with headless Chromium",
    )
    b.add_argument(
        "--jobs", type=int, default=None, help="notebooks executed at once (default: the number of cores)"
    )
    b.add_argument(
        "--notebooks",
        type=Path,
        default=None,
        metavar="DIR",
        help="folder of NN_topic.ipynb notebooks (default: the project's notebooks/)",
    )
    b.add_argument(
        "--no-cache", action="store_true", help="execute every notebook even if nothing it depends on changed"
    )
    b.add_argument(
        "--profile",
        type=Path,
        default=None,
        metavar="FILE",
        help="write where the build spent its time (seconds per step, JSON) to FILE",
    )
    p = sub.add_parser("params", help="list every notebook's parameters")
    p.add_argument("notebook", nargs="?", help="one notebook, e.g. 00_claims_and_timeline")
    r = sub.add_parser("refresh", help="re-execute the committed notebooks in place, cleanly")
    r.add_argument("notebook", nargs="*", help="notebooks to refresh (default: all)")
    sub.add_parser(
        "validate",
        help="check the data in data/ against its schema: every problem, one a line "
        "(exit 2), or ok with any warnings (exit 0)",
    )
    d = sub.add_parser(
        "diff",
        help="what moved between two states: results, key findings, data rows",
        description="Each side is a git revision (v0.1.0, HEAD~1), '.' (the working tree), "
        "a scenario's results.json or an edition file (editions/v0.1.0.json).",
    )
    d.add_argument("old", help="the earlier state")
    d.add_argument("new", help="the later state")
    d.add_argument("--repo", type=Path, default=None, help="the project's git checkout (default: this one)")
    e = sub.add_parser("edition", help="cut an edition: editions/vX.Y.Z.json and its CHANGELOG section")
    e.add_argument("version", help="the new version, X.Y.Z")
    e.add_argument("--date", default=None, help="the edition's date, YYYY-MM-DD (default: today)")
    v = sub.add_parser("preview", help="serve the reports on this machine and rebuild them as you save")
    v.add_argument(
        "--port", type=int, default=8765, help="port on 127.0.0.1 (default: 8765; 0 picks a free one)"
    )
    v.add_argument(
        "--scenario",
        action="append",
        default=[],
        metavar="NAME",
        help="a scenario of scenarios/ by name (e.g. base) or a scenario file (repeatable; "
        "default: every notebook with its default parameters)",
    )
    v.add_argument("--out", type=Path, default=Path("reports"), help="output folder (default: reports)")
    v.add_argument(
        "--notebooks",
        type=Path,
        default=None,
        metavar="DIR",
        help="folder of NN_topic.ipynb notebooks (default: the project's notebooks/)",
    )
    v.add_argument(
        "--jobs", type=int, default=None, help="notebooks executed at once (default: the number of cores)"
    )
    v.add_argument(
        "--no-warm",
        action="store_true",
        help="start a new kernel for each execution instead of keeping one ready per notebook",
    )
    return ap


def _params(name: str | None) -> int:
    """Print every parameter of one notebook (or all): name, type, default, help, the label
    readers see and, where declared, the stated range with its kind and basis."""
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
                    print(f"      stated range: {plausible.describe()}")
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
        outcomes = build(
            args.out,
            [load_scenario(s) for s in files],
            parse_overrides(args.param),
            args.only,
            args.jobs,
            notebook_dir=(args.notebooks or NOTEBOOKS_DIR).resolve(),
            use_cache=not args.no_cache,
            pdf=args.pdf,
            warn=lambda warning: print(warning, file=sys.stderr),  # a problem stops the build
        )
    if args.profile is not None:
        profile.write(args.profile)
    print(summarize(outcomes))
    print(f"index: {args.out / 'index.html'}")
    return 0 if all(o.ok for o in outcomes) else 1


def _warn_data() -> None:
    """Print each data warning (a source no row cites yet) on stderr when the data has no problem
    (a problem's list comes alone: a broken row may be what leaves a source uncited)."""
    from alliancelib.data import validate

    found = validate()
    for warning in () if found.problems else found.warnings:
        print(warning, file=sys.stderr)


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
        return serve(
            args.out,
            args.port,
            args.scenario,
            (args.notebooks or NOTEBOOKS_DIR).resolve(),
            args.jobs,
            warm=not args.no_warm,
        )
    except OSError as exc:
        if exc.errno == 98:  # EADDRINUSE
            raise BuildError(
                f"--port {args.port}: already in use on 127.0.0.1; choose another "
                "(or --port 0 for a free one)"
            ) from None
        raise


def _validate() -> int:
    """Check the data folder: every problem on stderr, one a line, and exit 2; else the warnings
    on stderr, a summary on stdout and exit 0."""
    from alliancelib.data import load_all

    tables = load_all()  # a DataError lists every problem (main prints them)
    _warn_data()
    print(f"data ok: {len(tables)} tables, {sum(len(t) for t in tables.values())} rows")
    return 0


def _diff(old: str, new: str, repo: Path | None) -> int:
    from alliancelib import editions
    from alliancelib.paths import ROOT

    root = (repo or ROOT).resolve()
    print(editions.report(editions.compare(editions.read_state(old, root), editions.read_state(new, root))))
    return 0


def _edition(version: str, date: str | None) -> int:
    import datetime

    from alliancelib import editions

    day = date or datetime.date.today().isoformat()
    try:
        datetime.date.fromisoformat(day)
    except ValueError:
        raise editions.EditionError(f"--date {day!r}: write a date as YYYY-MM-DD") from None
    path, section = editions.cut(version, day)
    print(section)
    print(
        f"wrote {path.name} and CHANGELOG.md; now set the version to {version}, commit, and tag: "
        f"git tag v{version}"
    )
    return 0


def _data_problems(exc: DataError, command: str) -> None:
    """Every problem of ``exc`` on its own line (file:line:column: so an editor can jump to it),
    then one line saying how many there are."""
    for problem in exc.problems:
        print(problem, file=sys.stderr)
    if exc.more:
        print(f"and {exc.more} more problem{'s' if exc.more > 1 else ''}", file=sys.stderr)
    count = f"{exc.count} problem{'s' if exc.count > 1 else ''}"
    after = "; nothing was built" if command == "build" else ""
    print(f"alliance: the data has {count} (the rules are in data/README.md){after}", file=sys.stderr)


def _refresh(names: Sequence[str]) -> int:
    from alliancelib.refresh import refresh

    for path in refresh(names):
        print(f"refreshed {path.name}")
    return 0


def leave(status: int) -> None:
    """End the process now with ``status``, its output flushed, without tearing the interpreter
    down: after a build that took 0.1-0.2 s, spent freeing the modules of nbconvert, jinja2 and
    the rest one object at a time. Not under coverage, which writes its data as the process
    exits (then this returns and the caller exits as usual)."""
    if "coverage" in sys.modules:
        return
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(status)


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
        if args.command == "diff":
            return _diff(args.old, args.new, args.repo)
        if args.command == "edition":
            return _edition(args.version, args.date)
        if args.command == "preview":
            return _preview(args)
        status = _build(args)
        if argv is None:  # the command line, not a caller in this process
            leave(status)
        return status
    except DataError as exc:
        _data_problems(exc, args.command)
        return 2
    except AllianceError as exc:
        print(f"alliance: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
