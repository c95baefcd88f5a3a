"""The build: plan checks before anything runs, outputs, failures, scenarios, determinism, and one
error hierarchy in the command line (bad input exit 2, a bug keeps its traceback)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from buildkit import failing_notebook, findings_notebook, write_notebook

from alliancelib import build as b
from alliancelib import cli
from alliancelib.errors import AllianceError, BuildError, ParameterError
from alliancelib.scenarios import load_scenario, parse_overrides, plan

NB00 = "00_claims_and_timeline"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Two test notebooks declaring ``x`` and ``y``."""
    nbs = tmp_path / "notebooks"
    write_notebook(
        nbs, "00_first", ["z = x"], params="x: int = 1  # the input\nday: str = '2025-03-31'  # a day"
    )
    write_notebook(nbs, "01_second", ["z = y"], params="y: float = 2.0  # another input")
    return nbs


def test_parse_overrides() -> None:
    assert parse_overrides(["fx_tolerance_pct=0.5", "market=DE", "eur_usd=None"]) == {
        "fx_tolerance_pct": 0.5,
        "market": "DE",
        "eur_usd": None,
    }
    with pytest.raises(BuildError, match="write -p name=value"):
        parse_overrides(["fx_tolerance_pct"])


def test_unknown_names_fail_before_anything_runs(tmp_path: Path, folder: Path) -> None:
    with pytest.raises(BuildError, match="-p xx: no notebook declares this parameter; parameters: day, x, y"):
        b.build(tmp_path / "r", overrides={"xx": 1}, notebook_dir=folder)
    with pytest.raises(BuildError, match="no such notebook; notebooks: 00_first, 01_second"):
        b.build(tmp_path / "r", only=["99_nothing"], notebook_dir=folder)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notebooks"]


def test_bad_value_fails_before_anything_runs(tmp_path: Path) -> None:
    with pytest.raises(ParameterError, match="fx_tolerance_pct = -1 is not allowed"):
        b.build(tmp_path / "r", overrides={"fx_tolerance_pct": -1})
    assert list(tmp_path.iterdir()) == []


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_scenario_files_are_checked(tmp_path: Path, folder: Path) -> None:
    bad_toml = write(tmp_path / "a.toml", 'name = "a"\n[shared\nfx_date = 1\n')
    with pytest.raises(BuildError, match=r"a.toml: not a valid scenario file: .*line 2"):
        load_scenario(bad_toml)
    unknown_nb = load_scenario(write(tmp_path / "b.toml", 'name = "b"\n[notebooks.07_x]\ny = 1\n'))
    with pytest.raises(BuildError, match=r"b.toml: \[notebooks.07_x\]: no such notebook"):
        plan([unknown_nb], notebook_dir=folder)
    unknown_p = load_scenario(write(tmp_path / "c.toml", 'name = "c"\n[notebooks.00_first]\nxy = 1\n'))
    with pytest.raises(BuildError, match="00_first has no such parameter; its parameters: x, day"):
        plan([unknown_p], notebook_dir=folder)
    unknown_shared = load_scenario(write(tmp_path / "f.toml", 'name = "f"\n[shared]\nq = 1\n'))
    with pytest.raises(BuildError, match=r"f.toml: \[shared\] q: no notebook declares this parameter"):
        plan([unknown_shared], notebook_dir=folder)
    with pytest.raises(BuildError, match="unknown key"):
        load_scenario(write(tmp_path / "d.toml", 'name = "d"\nshraed = 1\n'))
    with pytest.raises(BuildError, match="must use only"):
        load_scenario(write(tmp_path / "e.toml", 'name = "../e"\n'))
    with pytest.raises(BuildError, match="two scenarios share a name: g, g"):
        plan([load_scenario(write(tmp_path / "g.toml", 'name = "g"\n'))] * 2, notebook_dir=folder)


def test_plan_merges_shared_per_notebook_and_overrides(tmp_path: Path, folder: Path) -> None:
    sc = load_scenario(
        write(
            tmp_path / "s.toml",
            """
name = "s"
description = "test"
[shared]
x = 5
y = 3.0
[notebooks.00_first]
x = 7
""",
        )
    )
    first, second = plan([sc], {"day": "2025-04-02"}, notebook_dir=folder)
    assert first.parameters == {"x": 7, "day": "2025-04-02"} and first.overrides == first.parameters
    assert second.parameters == {"y": 3.0} and second.overrides == {"y": 3.0}


# one case for every combination rule of every notebook's validate_params: (notebook, rule, change)
CROSS = [
    ("00_claims_and_timeline", "_fixing_exists", {"reference_date": "2025-03-31"}),  # with the fixing removed
    ("01_ownership", "_rule_as_of", {"as_of": "1990-01-01"}),
    ("01_ownership", "_rule_nissan_stake", {"nissan_in_renault_pct": 90.0, "nissan_sells_renault_pct": 0.0}),
    ("01_ownership", "_rule_sale", {"nissan_sells_renault_pct": 6}),
    ("01_ownership", "_rule_sale", {"lockup_threshold_pct": 12.0}),
    ("02_india_transfer", "_rule_capacity", {"capacity_units": 150000}),
    ("02_india_transfer", "_rule_stake", {"stake_acquired_pct": 51.5}),
    ("02_india_transfer", "_rule_base", {"base_volume_units": 410000}),
    (
        "02_india_transfer",
        "_rule_volume_after",
        {"units_per_new_model": 70000},
    ),  # 133,000 + 4 x 70,000 > 400,000
    ("03_ev_pricing", "_rule_price", {"market": "BE"}),
    ("03_ev_pricing", "_rule_incentive", {"incentive_eur": 25000.0}),
    ("03_ev_pricing", "_rule_incentive", {"twingo_price_eur": 2000.0}),
    ("05_deal_ledger", "_rule_stake", {"nissan_in_renault_pct": 90.0, "nissan_sells_renault_pct": 0.0}),
    ("05_deal_ledger", "_rule_lockup", {"nissan_sells_renault_pct": 5.5}),
]


def rules_of(module: object) -> list[str]:
    """The names of the rules a module's validate_params passes to ``validate``."""
    import inspect

    (names,) = re.findall(r"rules=\[([^\]]*)\]", inspect.getsource(module.validate_params)) or [""]
    return [n.strip() for n in names.split(",") if n.strip()]


def test_every_combination_rule_has_a_case() -> None:
    from alliancelib import notebooks as nbs

    rules = {
        (nb, rule) for nb in nbs.PARAMS for rule in rules_of(sys.modules[nbs.params_class(nb).__module__])
    }
    assert rules == {(nb, rule) for nb, rule, _ in CROSS}


@pytest.mark.parametrize(("notebook", "rule", "change"), CROSS)
def test_a_combination_is_refused_while_planning_as_the_notebook_refuses_it(
    notebook: str, rule: str, change: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every combination check of a notebook's validate_params runs in the build's plan, before
    any kernel, with the notebook's own message: each value passes on its own, the rule refuses."""
    from alliancelib import notebooks as nbs
    from alliancelib.errors import FxLookupError
    from alliancelib.params import defaults, validate

    cls = nbs.params_class(notebook)
    module = sys.modules[cls.__module__]
    if rule == "_fixing_exists":  # the stored rates have no gap: take the day's fixing away

        def no_fixing(day: str) -> float:
            raise FxLookupError(f"no ECB fixing within 7 days before {day}")

        monkeypatch.setattr(module, "usd_rate", no_fixing)
    values = {**defaults(cls), **change}
    alone = validate(cls, notebook, values)  # every value allowed on its own
    with pytest.raises(ParameterError) as by_rule:
        getattr(module, rule)(alone)
    with pytest.raises(ParameterError) as in_notebook:
        module.validate_params(**values)
    with pytest.raises(ParameterError) as in_plan:
        plan([b.Scenario("s", notebooks={notebook: change})])
    assert str(in_plan.value) == str(in_notebook.value) == str(by_rule.value)


def test_a_value_out_of_range_is_told_what_the_other_values_allow() -> None:
    """-1 for a sale is told the 0 to 5 points the lock-up allows at the other values, not only
    the 0 to 100 of any percentage (user trial)."""
    with pytest.raises(ParameterError) as info:
        plan([b.Scenario("custom")], {"nissan_sells_renault_pct": -1}, only=["01_ownership"])
    assert str(info.value) == (
        "01_ownership: parameter nissan_sells_renault_pct = -1 is not allowed: a finite number >= 0 and <= 100, "
        "and at the other values 0 to 5 points at a 10% lock-up: Nissan holds 15% of Renault at 2025-03-31 and "
        "may not go below the lock-up threshold (sold to a third party (market sale))"
    )
    with pytest.raises(ParameterError) as info:
        plan([b.Scenario("custom")], {"capacity_units": -5})
    assert str(info.value).endswith(
        "a whole number >= 1, and at the other values at least 192000: the plant "
        "built 192,000 vehicles in a year (its peak in FY2016-17, or its average to "
        "2023, as the sources read it), so its capacity cannot be smaller"
    )
    with pytest.raises(ParameterError) as info:  # no rule narrows the discount rate: the spec alone
        plan([b.Scenario("custom")], {"discount_rate_pct": -1})
    assert str(info.value).endswith("discount_rate_pct = -1 is not allowed: a finite number >= 0 and <= 50")


def test_the_base_scenario_is_the_notebooks_defaults() -> None:
    """One base: building base gives every notebook exactly its defaults (base.toml restates them
    with their sources; change a default in the notebook and its parameters class, not there),
    and every other scenario of scenarios/ starts from it."""
    from alliancelib.paths import SCENARIOS_DIR
    from alliancelib.scenarios import scenario_files

    base = load_scenario(SCENARIOS_DIR / "base.toml")
    jobs = plan([base])
    assert len(jobs) == 6
    assert {j.notebook: dict(j.overrides) for j in jobs} == {j.notebook: {} for j in jobs}
    assert base.starts_from == ""
    others = [load_scenario(f) for f in scenario_files() if f.stem != "base"]
    assert {sc.name: sc.starts_from for sc in others} == {"ambitious": "base", "cautious": "base"}


def test_a_scenario_extends_another(tmp_path: Path, folder: Path) -> None:
    """``extends`` names a scenario (its file name, with or without .toml, or its name) beside the
    file or in scenarios/; its values come first and the file's own win, whatever the table."""
    write(
        tmp_path / "wide.toml",
        'name = "wide"\n[shared]\nx = 5\ny = 3.0\n[notebooks.00_first]\nday = "2025-04-02"\n',
    )
    write(
        tmp_path / "narrow.toml",
        'name = "narrow"\nextends = "wide"\n[shared]\nday = "2025-04-03"\n[notebooks.01_second]\ny = 4.0\n',
    )
    write(
        tmp_path / "narrowest.toml",
        'name = "narrowest"\nextends = "narrow.toml"\n[notebooks.00_first]\nx = 9\n',
    )
    sc = load_scenario(tmp_path / "narrowest.toml")
    assert [layer.name for layer in sc.layers()] == ["wide", "narrow", "narrowest"]
    assert sc.starts_from == "narrow" and load_scenario(tmp_path / "wide.toml").starts_from == "base"
    first, second = plan([sc], notebook_dir=folder)
    assert first.parameters == {"x": 9, "day": "2025-04-03"}  # narrow's [shared] wins over wide's [notebooks]
    assert second.parameters == {"y": 4.0}
    assert first.scenario == second.scenario == "narrowest"
    renamed = load_scenario(
        write(tmp_path / "r.toml", 'name = "r"\nextends = "cautious"\n')
    )  # from scenarios/
    assert renamed.starts_from == "cautious" and renamed.parent is not None
    assert renamed.parent.path.endswith("scenarios/cautious.toml")
    write(tmp_path / "w2.toml", 'name = "wide-open"\n')  # found by the name it declares
    by_name = load_scenario(write(tmp_path / "q.toml", 'name = "q"\nextends = "wide-open"\n'))
    assert by_name.starts_from == "wide-open"
    unknown_in_parent = write(tmp_path / "bad.toml", 'name = "bad"\n[shared]\nzz = 1\n')
    child = load_scenario(write(tmp_path / "c.toml", 'name = "c"\nextends = "bad"\n'))
    with pytest.raises(BuildError, match=rf"{re.escape(str(unknown_in_parent))}: \[shared\] zz: no notebook"):
        plan([child], notebook_dir=folder)


def test_an_unknown_or_circular_extends_is_refused_before_anything_runs(tmp_path: Path) -> None:
    with pytest.raises(
        BuildError,
        match=r"u.toml: extends 'nothing': no such scenario beside it or in .*; "
        r"scenarios: .*ambitious, base, cautious",
    ):
        load_scenario(write(tmp_path / "u.toml", 'name = "u"\nextends = "nothing"\n'))
    with pytest.raises(BuildError, match=r"s.toml: extends 's', a circle \(s.toml -> s.toml\)"):
        load_scenario(write(tmp_path / "s.toml", 'name = "s"\nextends = "s"\n'))
    write(tmp_path / "a.toml", 'name = "a"\nextends = "b"\n')
    write(tmp_path / "b.toml", 'name = "b"\nextends = "a"\n')
    with pytest.raises(
        BuildError, match=r"a circle \(a.toml -> b.toml -> a.toml\): a scenario cannot extend itself"
    ):
        load_scenario(tmp_path / "a.toml")
    with pytest.raises(BuildError, match=r"n.toml: extends must name a scenario"):
        load_scenario(write(tmp_path / "n.toml", 'name = "n"\nextends = 3\n'))
    out = tmp_path / "reports"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "alliancelib",
            "build",
            "--out",
            str(out),
            "--scenario",
            str(tmp_path / "a.toml"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "a circle" in done.stderr
    assert not out.exists()


def test_results_json_says_what_a_scenario_starts_from() -> None:
    from alliancelib.summary import results_json

    tight = b.Scenario("tight", "Tight", parent=b.Scenario("cautious"))
    assert json.loads(results_json(tight, []))["starts_from"] == "cautious"
    assert json.loads(results_json(b.Scenario("mine"), []))["starts_from"] == "base"
    assert json.loads(results_json(b.Scenario("base"), []))["starts_from"] is None


def test_a_malformed_parameters_cell_is_a_build_error(tmp_path: Path) -> None:
    write_notebook(tmp_path, "00_bad", [], params="x = 1")
    with pytest.raises(
        BuildError, match="00_bad.ipynb: parameters line 1 must read 'name: type = value  # help'"
    ):
        plan([], notebook_dir=tmp_path)


@pytest.mark.slow
def test_build_outputs_and_failures(tmp_path: Path) -> None:
    folder = tmp_path / "notebooks"
    findings_notebook(folder)
    failing_notebook(folder)
    out = tmp_path / "reports"
    outcomes = b.build(out, overrides={"x": 3}, notebook_dir=folder, jobs=2)
    by_name = {o.job.notebook: o for o in outcomes}
    assert by_name["00_alpha"].ok and not by_name["01_broken"].ok
    assert by_name["01_broken"].error == "RuntimeError: boom <b>"
    sc = out / "custom"
    assert (sc / "01_broken.ipynb").exists() and not (sc / "01_broken.html").exists()
    results = json.loads((sc / "results.json").read_text())
    alpha = results["notebooks"]["00_alpha"]
    assert alpha["results"]["raised_eur_m"] == {
        "name": "raised_eur_m",
        "value": 300.0,
        "unit": "EUR m",
        "label": "What it raises",
        "low": 240.0,
        "high": 390.0,
    }
    assert alpha["findings"]["items"][0]["text"].startswith("It raises **EUR 300m**")
    assert results["notebooks"]["01_broken"] | {"parameters": None} == {
        "status": "failed",
        "error": "RuntimeError: boom <b>",
        "parameters": None,
        "results": {},
        "findings": None,
        "overrides": {"x": 3},
    }
    index = (out / "index.html").read_text()
    assert 'href="custom/00_alpha.html"' in index and "boom &lt;b&gt;" in index
    assert "The input: 3" in index  # the parameter changed, in words
    assert results["starts_from"] == "base" and "Starts from base. Changed from base:" in index
    html = (sc / "00_alpha.html").read_text()
    assert not re.search(r"<script[^>]+src=|https://cdn|<link[^>]+href=\"http", html)
    imgs = re.findall(r"<img [^>]*>", html)
    assert imgs and all('alt="' in i and 'alt=""' not in i for i in imgs)
    assert "show_results" not in html and "import " not in html  # code hidden
    executed = (sc / "00_alpha.ipynb").read_text()
    assert str(tmp_path) not in executed and '"start_time"' not in executed
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notebooks", "reports"]  # no staging, no lock


@pytest.mark.slow
def test_a_build_writes_the_report_the_notebook_the_tables_and_the_index(tmp_path: Path) -> None:
    """What one notebook's build writes (that a second build writes the same bytes is proved on
    the real notebooks by test_faults.py's two cold builds)."""
    folder = tmp_path / "notebooks"
    findings_notebook(folder)
    b.build(tmp_path / "a", notebook_dir=folder)
    files = sorted(
        p.relative_to(tmp_path / "a")
        for p in (tmp_path / "a").rglob("*")
        if p.is_file() and b.CACHE_DIR not in p.parts
    )
    assert [str(f) for f in files] == [
        "default/00_alpha.html",
        "default/00_alpha.ipynb",
        "default/00_alpha_tables/01-results.csv",
        "default/results.json",
        "index.html",
    ]


@pytest.mark.slow
def test_cli_build_scenario_and_errors(tmp_path: Path) -> None:
    folder = tmp_path / "notebooks"
    findings_notebook(folder)
    sc = write(
        tmp_path / "tight.toml",
        'name = "tight"\ndescription = "Tight <script>alert(1)</script>"\n[notebooks.00_alpha]\nx = 2\n',
    )
    base = [
        sys.executable,
        "-m",
        "alliancelib",
        "build",
        "--out",
        str(tmp_path / "r"),
        "--notebooks",
        str(folder),
    ]
    done = subprocess.run(
        base + ["--scenario", str(sc), "--jobs", "1"], capture_output=True, text=True, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert "[1/1] tight/00_alpha: ok" in done.stderr  # plain lines off a terminal
    assert "Kernel is running over TCP" not in done.stderr
    index = (tmp_path / "r" / "index.html").read_text()
    assert "<script>alert" not in index and "&lt;script&gt;alert(1)&lt;/script&gt;" in index
    bad = subprocess.run(base + ["-p", "nope=1"], capture_output=True, text=True)
    assert bad.returncode == 2
    assert bad.stderr.strip().splitlines() == [
        "alliance: -p nope: no notebook declares this parameter; parameters: x"
    ]


def test_cli_params_lists_type_default_and_help() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "alliancelib", "params", NB00], capture_output=True, text=True, check=True
    ).stdout
    assert "  fx_tolerance_pct: float = 0.1\n      largest gap (%)" in out
    bad = subprocess.run(
        [sys.executable, "-m", "alliancelib", "params", "nope"], capture_output=True, text=True
    )
    assert bad.returncode == 2 and "notebooks: 00_claims_and_timeline" in bad.stderr


@pytest.mark.parametrize("error", [ValueError("an internal value"), KeyError("price_eur")])
def test_a_programming_error_is_not_reported_as_bad_input(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], error: Exception
) -> None:
    """A bug (here a bare ValueError or KeyError from inside the build) keeps its traceback: the
    command does not turn it into "alliance: ..." with exit status 2."""

    def broken(*args: object, **kwargs: object) -> None:
        raise error

    monkeypatch.setattr(b, "build", broken)
    with pytest.raises(type(error)):
        cli.main(["build", "--out", "/nonexistent/never"])
    assert "alliance:" not in capsys.readouterr().err


def test_a_user_error_is_one_line_and_exit_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def refused(*args: object, **kwargs: object) -> None:
        raise BuildError("the folder is locked")

    monkeypatch.setattr(b, "build", refused)
    assert cli.main(["build"]) == 2
    assert capsys.readouterr().err == "alliance: the folder is locked\n"
    assert issubclass(BuildError, AllianceError) and cli.main(["build", "--jobs", "0"]) == 2


@pytest.mark.slow
def test_a_bug_shows_its_traceback_and_exits_1(tmp_path: Path) -> None:
    """Through a real process: a programming error is exit status 1 with its traceback."""
    code = (
        "import sys, alliancelib.build as b\n"
        "def broken(*a, **k): raise KeyError('price_eur')\n"
        "b.build = broken\n"
        "from alliancelib.cli import main\n"
        "sys.exit(main(['build', '--out', sys.argv[1]]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "r")], capture_output=True, text=True)
    assert done.returncode == 1
    assert "Traceback (most recent call last)" in done.stderr and "KeyError: 'price_eur'" in done.stderr
    assert "alliance:" not in done.stderr


def test_a_build_compiles_the_library_it_runs(tmp_path: Path) -> None:
    """The editable library is compiled to bytecode where its source changed (kernels would
    otherwise compile it again, PYTHONDONTWRITEBYTECODE being set on these machines)."""
    import importlib.util

    from alliancelib.build import compile_library
    from alliancelib.paths import PACKAGE_DIR

    source = PACKAGE_DIR / "fsutil.py"
    cached = Path(importlib.util.cache_from_source(str(source)))
    cached.unlink(missing_ok=True)
    assert compile_library() and cached.exists()
    assert cached.stat().st_mtime >= source.stat().st_mtime


def test_the_command_line_leaves_with_its_status_and_output_and_no_teardown() -> None:
    """After a build from the command line the process ends at once (no interpreter teardown), its
    status and everything printed intact; under coverage it exits as usual so the data is saved."""
    code = (
        "import atexit, sys; from alliancelib.cli import leave; atexit.register(print, 'torn down'); "
        "print('summary', end=''); sys.stderr.write('warning'); {extra}leave(3); print('returned')"
    )
    plain = {k: v for k, v in os.environ.items() if not k.startswith("COVERAGE_PROCESS")}  # not measured
    done = subprocess.run(
        [sys.executable, "-c", code.format(extra="")], capture_output=True, text=True, env=plain
    )
    assert (done.returncode, done.stdout, done.stderr) == (3, "summary", "warning")
    covered = code.format(extra="sys.modules['coverage'] = sys; ")  # as if coverage were measuring
    done = subprocess.run([sys.executable, "-c", covered], capture_output=True, text=True)
    assert (done.returncode, done.stdout) == (0, "summaryreturned\ntorn down\n")
