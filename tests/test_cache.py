"""Incremental builds: same results with and without the cache; no kernel when nothing changed;
re-execution exactly when a dependency changed; least-recently-used order kept across carries;
a damaged entry detected and executed again, never trusted."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from buildkit import findings_notebook, write_notebook
from helpers import replace_in

from alliancelib import build as b
from alliancelib import cache, runner
from alliancelib.runner import Outcome

pytestmark = pytest.mark.slow
NB = "00_alpha"


def reports(root: Path) -> dict[str, str]:
    """Every report file's hash, the cache folder left out."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and b.CACHE_DIR not in p.parts
    }


def cache_entries(out: Path) -> list[Path]:
    """The cache's entries (folders; the inputs' stamps file and the kept charts beside them left
    out: alliancelib.chart_cache)."""
    from alliancelib import chart_cache

    return sorted(e for e in (out / b.CACHE_DIR).iterdir() if e.is_dir() and e.name != chart_cache.FOLDER)


@pytest.fixture(scope="module")
def cold(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[Outcome]]:
    """One notebook (``buildkit.findings_notebook``) built once for the module, cold and without
    the cache (``use_cache=False``, which executes and stores its entry): the notebook's folder,
    the output folder and the outcomes. Tests work on copies (:func:`built`), never on these."""
    root = tmp_path_factory.mktemp("cold")
    folder = root / "notebooks"
    findings_notebook(folder, NB)
    outcomes = b.build(root / "r", notebook_dir=folder, use_cache=False)
    assert [o.ok for o in outcomes] == [True], outcomes
    return folder, root / "r", outcomes


@pytest.fixture
def built(tmp_path: Path, cold: tuple[Path, Path, list[Outcome]]) -> tuple[Path, Path]:
    """A private copy of the module's cold build: (notebook folder, output folder with its cache).
    Cache keys hold content, not paths, so the copy is served from its cache (as
    :func:`test_warm_rebuild_is_identical_and_starts_no_kernel` checks): only what a test changes
    runs a kernel."""
    folder, out, _ = cold
    shutil.copytree(folder, tmp_path / "notebooks")
    shutil.copytree(out, tmp_path / "r")
    return tmp_path / "notebooks", tmp_path / "r"


def no_kernels(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a kernel was started")

    monkeypatch.setattr(runner, "execute", refuse)


def test_warm_rebuild_is_identical_and_starts_no_kernel(
    cold: tuple[Path, Path, list[Outcome]], built: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    executed = cold[2]  # the cold build (of which `built` is a copy)
    assert not any(o.cached for o in executed)
    one_notebook, out = built
    before = reports(out)
    no_kernels(monkeypatch)
    warm = b.build(out, notebook_dir=one_notebook)
    assert all(o.cached for o in warm) and reports(out) == before
    assert warm[0].findings == executed[0].findings and warm[0].results == executed[0].results


def test_prose_edit_rerenders_without_a_kernel_and_matches_a_full_run(
    tmp_path: Path, built: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    one_notebook, cached = built
    replace_in(one_notebook / f"{NB}.ipynb", "By design.", "By design (edited).")
    with monkeypatch.context() as m:
        no_kernels(m)
        (o,) = b.build(cached, notebook_dir=one_notebook)
        assert o.cached
    b.build(tmp_path / "full", notebook_dir=one_notebook, use_cache=False)
    assert reports(cached) == reports(tmp_path / "full")
    assert "By design (edited)." in (cached / "default" / f"{NB}.html").read_text()


def would_execute(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record, in the list returned, each notebook a build sends to papermill, and run none: the
    job then fails ("the notebook was not written") and leaves no cache entry, so the cache is as
    it was for the next check."""
    sent: list[str] = []

    def record(job: runner.Job, target: Path, kernels: object = None) -> None:
        sent.append(job.notebook)
        raise RuntimeError("not run: the test only records that the build would run it")

    monkeypatch.setattr(runner, "_papermill", record)
    return sent


def test_changes_that_matter_re_execute(
    built: tuple[Path, Path], data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each kind of change runs the notebook again. The first runs it for real (new results); for
    the others the build's decision is what is checked (:func:`would_execute`: no kernel), each
    change undone after, and a build before each shows the cache serving it again."""
    one_notebook, out = built
    # another parameter value
    (o,) = b.build(out, overrides={"x": 2}, notebook_dir=one_notebook)
    assert not o.cached and o.results["raised_eur_m"]["value"] == 200
    sent = would_execute(monkeypatch)

    def runs_again() -> None:
        (o,) = b.build(out, notebook_dir=one_notebook)
        assert not o.cached and sent == [NB], (o, sent)
        sent.clear()

    def served() -> None:
        (o,) = b.build(out, notebook_dir=one_notebook)
        assert o.cached and sent == [], (o, sent)

    served()
    # a code cell
    notebook = one_notebook / f"{NB}.ipynb"
    replace_in(notebook, "ax.plot([1, 2, 3]", "ax.plot([1, 2, 3]  # edited\\n")
    runs_again()
    replace_in(notebook, "ax.plot([1, 2, 3]  # edited\\n", "ax.plot([1, 2, 3]")
    served()
    # the data
    with monkeypatch.context() as m:
        m.setenv("ALLIANCE_DATA_DIR", str(data_copy))
        served()  # an identical copy of the data is the same data
        replace_in(
            data_copy / "sources.csv",
            "How Renault And Nissan Are Reinventing",
            "How Renault And Nissan Reinvent",
        )
        runs_again()
    served()
    # an installed package (any of them: here one the old hand-picked list missed)
    real = cache.installed_distributions()
    with monkeypatch.context() as m:
        m.setattr(
            cache,
            "installed_distributions",
            lambda: [d if not d.lower().startswith("pillow-") else "pillow-0.0.1" for d in real],
        )
        runs_again()
    served()
    # the cache epoch
    with monkeypatch.context() as m:
        m.setattr(cache, "CACHE_EPOCH", cache.CACHE_EPOCH + 1)
        runs_again()


def test_the_shared_prose_templates_are_execution_inputs_and_page_templates_are_not() -> None:
    """The shared words and the appendix are rendered in the kernel: an edit must re-execute, not
    re-export cached outputs; the page templates only shape the HTML (the prose key covers them)."""
    from alliancelib.paths import TEMPLATES_DIR

    inputs = set(cache.input_files())
    assert TEMPLATES_DIR / "words.md.j2" in inputs
    assert {p for p in TEMPLATES_DIR.glob("*.md.j2")} <= inputs
    assert not [p for p in inputs if TEMPLATES_DIR / "alliance" in p.parents]
    assert TEMPLATES_DIR / "front_page.html.j2" not in inputs


def test_the_fingerprint_covers_every_installed_distribution() -> None:
    names = {d.rsplit("-", 1)[0].lower().replace("_", "-") for d in cache.installed_distributions()}
    assert {"pillow", "papermill", "matplotlib", "numpy", "alliancelib", "jinja2"} <= names
    assert len(names) > 100


def test_the_fingerprint_does_not_depend_on_how_python_was_started(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`python -m` puts the working folder on sys.path, the `alliance` command its bin folder: a
    project root with the alliancelib.egg-info an editable install leaves there must not change
    the key (or `make reports` and `python -m alliancelib build` would miss each other's cache)."""
    import sys

    (tmp_path / "alliancelib.egg-info").mkdir()
    (tmp_path / "a_checkout-0.1.dist-info").mkdir()  # a name no install folder holds
    alone = cache.fingerprint()
    monkeypatch.setattr(sys, "path", [str(tmp_path), *sys.path])
    assert cache.fingerprint() == alone


def test_the_cache_lives_under_the_output_folder_and_survives_scenarios(
    built: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    one_notebook, out = built  # built at the defaults
    b.build(out, overrides={"x": 5}, notebook_dir=one_notebook)
    entries = cache_entries(out)
    assert len(entries) == 2 and all((e / "outcome.json").exists() for e in entries)
    no_kernels(monkeypatch)
    (o,) = b.build(out, notebook_dir=one_notebook)  # back to the defaults: still cached
    assert o.cached
    doc = json.loads((out / "default" / "results.json").read_text())
    assert doc["notebooks"][NB]["results"]["raised_eur_m"]["value"] == 100


def test_least_recently_used_order_survives_carries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With room for two entries, building x = 1, 2, 3, 4 in turn must keep x = 3 and x = 4, the
    most recently used. (A carry that orders entries by their folders' modification times gets
    this wrong: the carried folders are created after the build's new entry, so after a carry
    their order is reversed, and the build of x = 4 evicted x = 3.)"""
    folder = tmp_path / "notebooks"
    write_notebook(folder, "00_tiny", ["y = x * 2"])
    out = tmp_path / "r"
    monkeypatch.setattr(cache, "CACHE_KEEP", 2)
    for x in (1, 2, 3, 4):
        b.build(out, overrides={"x": x}, notebook_dir=folder)
    assert len(cache_entries(out)) == 2
    no_kernels(monkeypatch)
    for x in (3, 4, 3):
        (o,) = b.build(out, overrides={"x": x}, notebook_dir=folder)
        assert o.cached, f"x = {x} was evicted"
    stamps = [json.loads((e / "outcome.json").read_text())["last_used_ns"] for e in cache_entries(out)]
    assert len(set(stamps)) == 2  # each entry's own last-used time


def test_carry_keeps_the_most_recently_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The carry itself, on entries with known times: the ones used now first, then by time."""
    old, new = tmp_path / "old", tmp_path / "new"
    for key, when in (("a" * 32, 10), ("b" * 32, 30), ("c" * 32, 20)):
        folder = old / key
        folder.mkdir(parents=True)
        (folder / "report.ipynb").write_text("{}")
        (folder / "report.html").write_text("<p>")
        cache._write_meta(
            folder,
            {
                "epoch": cache.CACHE_EPOCH,
                "key": key,
                "prose": "",
                "results": {},
                "findings": None,
                "last_used_ns": when,
                "files": {n: cache.fsutil.sha256_of(folder / n) for n in ("report.ipynb", "report.html")},
            },
        )
    new.mkdir()
    monkeypatch.setattr(cache, "CACHE_KEEP", 2)
    assert cache.carry(old, new, used={"a" * 32}, now_ns=100) == ["a" * 32, "b" * 32]
    assert sorted(p.name for p in new.iterdir()) == ["a" * 32, "b" * 32]
    assert json.loads((new / ("a" * 32) / "outcome.json").read_text())["last_used_ns"] == 100
    assert (
        json.loads((old / ("a" * 32) / "outcome.json").read_text())["last_used_ns"] == 10
    )  # not via the link
    entry, damage = cache.open_entry(new / ("a" * 32))
    assert entry is not None and damage == ""


def truncate_notebook(entry: Path) -> None:
    data = (entry / "report.ipynb").read_bytes()
    (entry / "report.ipynb").write_bytes(data[: len(data) // 2])


def garble_meta(entry: Path) -> None:
    data = bytearray((entry / "outcome.json").read_bytes())
    data[len(data) // 3 : len(data) // 3 + 8] = b"\x00garbl\xff\x00"
    (entry / "outcome.json").write_bytes(bytes(data))


def change_a_result(entry: Path) -> None:
    meta = json.loads((entry / "outcome.json").read_text())
    meta["results"][0]["value"] = 999.0  # still valid JSON: only the seal can tell
    (entry / "outcome.json").write_text(json.dumps(meta))


def remove_the_report(entry: Path) -> None:
    (entry / "report.html").unlink()


@pytest.mark.parametrize("damage", [truncate_notebook, garble_meta, change_a_result, remove_the_report])
def test_a_damaged_entry_is_detected_and_executed_again(
    built: tuple[Path, Path], damage, capfd: pytest.CaptureFixture[str]
) -> None:
    """On a copy of the module's build (served whole from its cache when undamaged: the warm
    rebuild test), only the rebuild after the damage runs a kernel."""
    one_notebook, out = built
    fresh = reports(out)
    (entry,) = cache_entries(out)
    damage(entry)
    (o,) = b.build(out, notebook_dir=one_notebook)
    assert not o.cached and o.ok and o.results["raised_eur_m"]["value"] == 100
    assert f"cache entry {entry.name} is damaged" in capfd.readouterr().err
    assert reports(out) == fresh
    sound, problem = cache.open_entry(out / b.CACHE_DIR / entry.name)  # stored again, whole
    assert sound is not None and problem == ""


def test_a_rebuild_from_the_cache_gives_the_same_front_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The index and results.json are the same whether the notebooks were just executed or come
    from the cache, results in the order the notebook recorded them (here against the alphabet,
    in two scenarios; a cache that keeps results sorted by name reverses them)."""
    folder = tmp_path / "notebooks"
    write_notebook(
        folder,
        "00_order",
        [
            "from alliancelib.results import ResultSpec, show_results\n"
            "show_results([ResultSpec('zeta_eur_m', 'EUR m', 'Zeta, recorded first', 0).result(10.0 * x),\n"
            "              ResultSpec('mu_pct', '%', 'Mu, recorded second', 1).result(35.7),\n"
            "              ResultSpec('alpha_eur_m', 'EUR m', 'Alpha, recorded last', 0).result(5.0 * x),\n"
            "              ResultSpec('beta_pct', '%', 'Beta, recorded after alpha', 1).result(1.5)])"
        ],
    )
    scenarios = []
    for name, x in (("low", 1), ("high", 3)):
        (tmp_path / f"{name}.toml").write_text(f'name = "{name}"\n[shared]\nx = {x}\n', encoding="utf-8")
        scenarios.append(b.load_scenario(tmp_path / f"{name}.toml"))
    out = tmp_path / "r"
    fresh = b.build(out, scenarios, notebook_dir=folder, use_cache=False)
    assert not any(o.cached for o in fresh)
    page = (out / "index.html").read_bytes()
    assert [list(o.results) for o in fresh] == [["zeta_eur_m", "mu_pct", "alpha_eur_m", "beta_pct"]] * 2
    recorded = ["zeta_eur_m", "mu_pct", "alpha_eur_m", "beta_pct"]
    for name in ("low", "high"):  # results.json, which the index reads, keeps the recorded order
        doc = json.loads((out / name / "results.json").read_text(encoding="utf-8"))
        assert list(doc["notebooks"]["00_order"]["results"]) == recorded
    no_kernels(monkeypatch)
    again = b.build(out, scenarios, notebook_dir=folder)
    assert all(o.cached for o in again)
    assert [list(o.results) for o in again] == [list(o.results) for o in fresh]
    assert (out / "index.html").read_bytes() == page
