"""A rebuild checks each input by its stamp: a file's digest is reused only while its size, mtime
and inode are unchanged and it had not changed just before it was hashed; the installed packages
are keyed on site-packages alone (not the folder a build starts from); templates belong to the
prose key, not the execution key; a plan is reused only for the same inputs. No kernel starts."""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import time
from pathlib import Path

import pytest
from buildkit import findings_notebook
from helpers import replace_in

from alliancelib import build as b
from alliancelib import cache, paths
from alliancelib.scenarios import default_scenario


def test_an_unchanged_stamp_reuses_the_digest_and_a_fresh_one_does_not(tmp_path: Path) -> None:
    f = tmp_path / "facts.csv"
    f.write_text("a,b\n1,2\n")
    st = f.stat()
    real = hashlib.sha256(f.read_bytes()).hexdigest()
    later = st.st_mtime_ns + cache.RACY_NS + 1
    known = {str(f): [st.st_size, st.st_mtime_ns, st.st_ino, "recorded", later]}
    assert cache.file_digest(f, known, time.time_ns())[3] == "recorded"  # not read again
    soon = {str(f): [st.st_size, st.st_mtime_ns, st.st_ino, "recorded", st.st_mtime_ns + 1000]}
    assert cache.file_digest(f, soon, time.time_ns())[3] == real  # hashed in the same tick: again
    f.write_text("a,b\n1,3\n")  # same size, new mtime
    assert cache.file_digest(f, known, time.time_ns())[3] == hashlib.sha256(f.read_bytes()).hexdigest()
    assert cache.file_digest(f, {str(f): ["garbage"]}, time.time_ns())[3] != "recorded"


def test_the_installed_packages_do_not_depend_on_the_working_directory(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    (tmp_path / "stray-9.9.dist-info").mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "path", ["", str(tmp_path), *sys.path])
    assert not any(d.startswith("stray") for d in cache.installed_distributions())
    assert not any(s.startswith("stray") for s in cache.installed_stamp())
    assert any(s.startswith("numpy-") for s in cache.installed_stamp())


def test_a_reinstalled_package_changes_the_fingerprint(monkeypatch: pytest.MonkeyPatch) -> None:
    before = cache.fingerprint()
    real = cache.installed_stamp()
    monkeypatch.setattr(
        cache, "installed_stamp", lambda: [s + "1" if s.startswith("numpy-") else s for s in real]
    )
    assert cache.fingerprint() != before


def test_templates_change_the_prose_key_not_the_execution_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inputs = cache.input_files()
    # the shared prose templates are rendered in the kernel: inputs; the page templates are not
    assert not any(paths.TEMPLATES_DIR in f.parents and not f.name.endswith(".md.j2") for f in inputs)
    assert paths.TEMPLATES_DIR / "appendix.md.j2" in inputs
    templates = tmp_path / "templates"
    shutil.copytree(paths.TEMPLATES_DIR, templates)
    monkeypatch.setattr(paths, "TEMPLATES_DIR", templates)
    nb = findings_notebook(tmp_path / "nb")
    job = b.plan([default_scenario(None)], None, (), tmp_path / "nb")[0]
    assert job.source == nb
    base, prose = cache.fingerprint(), cache.prose_key(job)
    replace_in(templates / "front_page.html.j2", "<", "<!-- edited --><")
    assert cache.prose_key(job) == prose  # the index's template: the reports stay
    replace_in(templates / "alliance" / "report.css", "}", "} /* edited */")
    assert cache.fingerprint() == base and cache.prose_key(job) != prose


def test_a_plan_is_reused_only_for_the_same_inputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    nb_dir = tmp_path / "nb"
    nb = findings_notebook(nb_dir)
    scenarios = [default_scenario(None)]
    stamps: cache.Stamps = {}
    jobs, memo = b._plan(scenarios, None, (), nb_dir, "base", {}, stamps)
    assert memo["plan"]["jobs"][0]["parameters"] == {"x": 1}
    old = time.time_ns() - 10 * cache.RACY_NS
    os.utime(nb, ns=(old, old))
    stamps = {}
    jobs, memo = b._plan(scenarios, None, (), nb_dir, "base", {}, stamps)
    last = {"files": stamps, **memo}

    def refuse(*args: object) -> None:
        raise AssertionError("planned again")

    monkeypatch.setattr(b, "plan", refuse)
    again, _ = b._plan(scenarios, None, (), nb_dir, "base", last, {})
    assert again == jobs
    for changed in [dict(base="other"), dict(overrides={"x": 2})]:
        args = {"base": "base", "overrides": None, **changed}
        with pytest.raises(AssertionError, match="planned again"):
            b._plan(scenarios, args["overrides"], (), nb_dir, args["base"], last, {})
    replace_in(nb, "By design.", "By design (prose edit).")  # not the parameters cell: no new plan
    again, memo = b._plan(scenarios, None, (), nb_dir, "base", last, stamps := {})
    assert again == jobs and memo["plan"]["cells"][str(nb)][0] == stamps[str(nb)][3]
    replace_in(nb, "x: int = 1", "x: int = 3")
    with pytest.raises(AssertionError, match="planned again"):
        b._plan(scenarios, None, (), nb_dir, "base", last, {})


@pytest.mark.slow
def test_an_unchanged_index_and_data_are_not_redone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A rebuild with nothing new keeps the index (not rendered) and does not validate the data
    again; a prose edit that leaves the title, question and parameters keeps the index too; a new
    question renders it."""
    from alliancelib import data, runner

    nb_dir = tmp_path / "nb"
    nb = findings_notebook(nb_dir)
    out = tmp_path / "r"
    b.build(out, notebook_dir=nb_dir)
    b.build(out, notebook_dir=nb_dir)  # the records as the cache restores them
    before = (out / "index.html").read_bytes()

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("done again")

    with monkeypatch.context() as m:
        for owner, name in (
            (b.index, "render_index"),
            (runner, "execute"),
            (data, "load_all"),
            (data, "validate"),
        ):
            m.setattr(owner, name, refuse)
        b.build(out, notebook_dir=nb_dir)
        replace_in(nb, "By design.", "By design (prose only).")
        (o,) = b.build(out, notebook_dir=nb_dir)
        assert o.cached and "prose only" in (out / "default" / "00_alpha.html").read_text(encoding="utf-8")
    assert (out / "index.html").read_bytes() == before
    replace_in(nb, "**Question.** How does", "**Question.** How well does")
    b.build(out, notebook_dir=nb_dir)
    assert b"How well does" in (out / "index.html").read_bytes()


NEW_SOURCE = "new_source_2026,Reuters,[A new report],,2026-03,2026-12-07,\n"


def test_data_warnings_are_recorded_and_reused_for_the_same_fingerprint(
    data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build validates the data once per fingerprint and keeps its warnings (a source no row
    cites yet) in its stamps; a rebuild under the same fingerprint prints them from there without
    loading pandas or the data, and a new fingerprint validates again."""
    from alliancelib import data

    monkeypatch.setenv("ALLIANCE_DATA_DIR", str(data_copy))
    sources = data_copy / "sources.csv"
    sources.write_text(sources.read_text(encoding="utf-8") + NEW_SOURCE, encoding="utf-8")
    (found,) = b._data_warnings({}, "fp")
    assert found.startswith("data/sources.csv:") and "new_source_2026" in found and "warning" in found

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("validated again")

    monkeypatch.setattr(data, "validate", refuse)
    monkeypatch.setattr(data, "load_all", refuse)
    assert b._data_warnings({"validated": "fp", "warnings": [found]}, "fp") == [found]
    for last in (
        {"validated": "other", "warnings": [found]},
        {"validated": "fp"},
        {"validated": "fp", "warnings": [1]},
    ):
        with pytest.raises(AssertionError, match="validated again"):
            b._data_warnings(last, "fp")
