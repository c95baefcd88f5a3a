"""Charts kept between builds (alliancelib.chart_cache): a chart is reused only when the build's
fingerprint, every input run before it and its place in its cell are the same; outside a build,
while reads are recorded or with ``--no-cache`` it is drawn; a reused chart is the same bytes."""

from __future__ import annotations

import json
import os
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from buildkit import write_notebook
from helpers import replace_in

from alliancelib import chart_cache, reads


class Shell(SimpleNamespace):
    """What the cache reads of IPython's shell: the execution count and the inputs run so far."""


@pytest.fixture
def shell(monkeypatch: pytest.MonkeyPatch) -> Shell:
    import IPython

    sh = Shell(execution_count=3, history_manager=SimpleNamespace(input_hist_parsed=["", "x = 1", "show()"]))
    monkeypatch.setattr(IPython, "get_ipython", lambda: sh)
    monkeypatch.setattr(chart_cache, "_shown", {})  # a fresh kernel's count of charts per cell
    return sh


def drawer(calls: list[int], value: int = 1):
    def draw() -> dict[str, Any]:
        calls.append(value)
        return {
            "data": {"image/png": f"png{value}", "text/plain": "alt"},
            "metadata": {"image/png": {"width": 1}},
        }

    return draw


def env_for(old: Path, new: Path, fingerprint: str = "fp") -> dict[str, str]:
    return {chart_cache.CACHE_VAR: f"{old}{os.pathsep}{new}", chart_cache.KEY_VAR: fingerprint}


def test_a_chart_is_drawn_outside_a_build(shell: Shell) -> None:
    calls: list[int] = []
    for env in ({}, {chart_cache.KEY_VAR: "fp"}, {chart_cache.CACHE_VAR: "/a", chart_cache.KEY_VAR: "fp"}):
        chart_cache.bundle("t/one", drawer(calls), env)
    assert calls == [1, 1, 1]


def test_a_chart_is_reused_by_the_next_build_only_for_the_same_code_run(tmp_path: Path, shell: Shell) -> None:
    first, second = tmp_path / "b1", tmp_path / "b2"
    calls: list[int] = []
    made = chart_cache.bundle("t/one", drawer(calls), env_for(tmp_path / "b0", first))
    (kept_file,) = first.glob("*.json")
    assert calls == [1]
    shell.execution_count = 4  # the next build's kernel: the same inputs run, its first chart
    assert chart_cache.bundle("t/one", drawer(calls, 2), env_for(first, second)) == made and calls == [1]
    assert (second / kept_file.name).stat().st_ino == kept_file.stat().st_ino  # linked, not copied
    chart_cache.bundle("t/one", drawer(calls, 3), env_for(first, second))  # a second chart of that cell
    shell.execution_count = 5
    shell.history_manager.input_hist_parsed[1] = "x = 2"  # an earlier input changed
    chart_cache.bundle("t/one", drawer(calls, 4), env_for(first, second))
    shell.execution_count = 6
    shell.history_manager.input_hist_parsed[1] = "x = 1"
    chart_cache.bundle("t/one", drawer(calls, 5), env_for(first, second, "another fingerprint"))
    chart_cache.bundle("t/two", drawer(calls, 6), env_for(first, second))  # another chart
    assert calls == [1, 3, 4, 5, 6]


def test_a_chart_drawn_while_reads_are_recorded_is_not_kept(tmp_path: Path, shell: Shell) -> None:
    calls: list[int] = []
    with reads.recording():
        chart_cache.bundle("t/one", drawer(calls), env_for(tmp_path / "old", tmp_path / "new"))
        chart_cache.bundle("t/one", drawer(calls), env_for(tmp_path / "new", tmp_path / "newer"))
    assert calls == [1, 1] and not (tmp_path / "new").exists()


def test_a_damaged_kept_chart_is_drawn_again(tmp_path: Path, shell: Shell) -> None:
    calls: list[int] = []
    chart_cache.bundle("t/one", drawer(calls), env_for(tmp_path / "old", tmp_path / "new"))
    (kept,) = (tmp_path / "new").glob("*.json")
    kept.write_text('{"data": "not a bundle"', encoding="utf-8")
    shell.execution_count = 4  # the next build
    chart_cache.bundle("t/one", drawer(calls, 2), env_for(tmp_path / "new", tmp_path / "newer"))
    assert (
        calls == [1, 2]
        and json.loads((tmp_path / "newer" / kept.name).read_text())["data"]["image/png"] == "png2"
    )


def test_carry_keeps_the_most_recently_used_charts(tmp_path: Path) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir()
    new.mkdir()
    for i in range(5):
        (old / f"{i}.json").write_text("{}")
        os.utime(old / f"{i}.json", ns=(i * 10**9, i * 10**9))
    (new / "used.json").write_text("{}")
    assert chart_cache.carry(old, new, keep=3) == 3
    assert sorted(p.name for p in new.glob("*.json")) == ["3.json", "4.json", "used.json"]
    assert chart_cache.carry(tmp_path / "none", tmp_path / "fresh") == 0


def kernels_left() -> list[int]:
    """This process's children that are kernels (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == os.getpid() and b"ipykernel" in cmdline:
            found.append(int(entry.name))
    return found


@pytest.mark.slow
def test_a_build_reuses_a_chart_its_code_did_not_change(tmp_path: Path) -> None:
    """A code edit after a chart reuses it (not drawn: the drawing leaves a mark), an edit before it
    draws it again, ``--no-cache`` draws it; the report is the same bytes either way."""
    from alliancelib.build import build

    marks = tmp_path / "drawn.txt"
    draw = (
        "from alliancelib import charts\n"
        "def draw():\n"
        f"    with open({str(marks)!r}, 'a') as f:\n"
        "        f.write('drawn\\n')\n"
        "    fig, ax = charts.figure(3, 2)\n"
        "    ax.plot([1, 2], [x, 2 * x])\n"
        "    return charts.Chart('one', fig, source='Source: a test', alt='A line.')"
    )
    nb_dir = tmp_path / "nb"
    nb = write_notebook(
        nb_dir, "00_charts", [draw, "charts.show_drawn('00_charts/one', draw)", "print('end')"]
    )
    out = tmp_path / "r"
    build(out, notebook_dir=nb_dir)
    assert kernels_left() == []  # the kernel the build started and handed to papermill is stopped
    report = (out / "default" / "00_charts.html").read_bytes()
    replace_in(nb, "print('end')", "print('the end')")
    build(out, notebook_dir=nb_dir)
    assert marks.read_text().count("drawn") == 1
    assert (out / "default" / "00_charts.html").read_bytes().replace(b"the end", b"end") == report
    assert len(list((out / ".cache" / chart_cache.FOLDER).glob("*.json"))) == 1
    replace_in(nb, "ax.plot([1, 2], [x, 2 * x])", "ax.plot([1, 2], [2 * x, x])")
    build(out, notebook_dir=nb_dir)
    assert marks.read_text().count("drawn") == 2
    build(tmp_path / "fresh", notebook_dir=nb_dir, use_cache=False)
    assert marks.read_text().count("drawn") == 3
    assert (
        len(list((tmp_path / "fresh" / ".cache" / chart_cache.FOLDER).glob("*.json"))) == 1
    )  # for next time
    build(out, notebook_dir=nb_dir, use_cache=False)  # not read from the last build
    assert marks.read_text().count("drawn") == 4
    assert (tmp_path / "fresh" / "default" / "00_charts.html").read_bytes() == (
        out / "default" / "00_charts.html"
    ).read_bytes()


def test_a_kept_object_is_found_only_under_the_same_fingerprint_and_key(tmp_path: Path) -> None:
    first = env_for(tmp_path / "b0", tmp_path / "b1")
    chart_cache.keep_object(("k", "1"), {"tables": [1, 2]}, first)
    assert chart_cache.kept_object(("k", "1"), first) == {"tables": [1, 2]}
    following = env_for(tmp_path / "b1", tmp_path / "b2")  # the next build: found in the old folder
    assert chart_cache.kept_object(("k", "1"), following) == {"tables": [1, 2]}
    assert len(list((tmp_path / "b2").glob("*.pickle"))) == 1  # and linked into the new one
    assert chart_cache.kept_object(("k", "2"), following) is None
    assert chart_cache.kept_object(("k", "1"), env_for(tmp_path / "b1", tmp_path / "b3", "other")) is None
    assert chart_cache.kept_object(("k", "1"), {}) is None
    chart_cache.keep_object(("k", "1"), "x", {})  # outside a build: nothing kept
    assert chart_cache.carry(tmp_path / "b2", tmp_path / "b4") == 1  # carried like the charts


def test_a_kernel_takes_the_data_validation_another_kernel_made(
    tmp_path: Path, data_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The data layer keeps its validation for the build's other kernels: the same frames, and no
    second validation; a changed data file is validated again."""
    from alliancelib import data

    for name, value in env_for(tmp_path / "old", tmp_path / "new").items():
        monkeypatch.setenv(name, value)
    made = data.validate(data_copy)
    assert not made.problems and len(list((tmp_path / "new").glob("*.pickle"))) == 1

    def refuse(folder: Path) -> None:
        raise AssertionError("validated again")

    monkeypatch.setattr(data, "_validate_now", refuse)
    folder = data_copy.resolve()
    again = data._validate_cached.__wrapped__(folder, data._stamp(folder))  # another kernel: no cache
    assert again.tables.keys() == made.tables.keys()
    assert all(again.tables[k].equals(made.tables[k]) for k in made.tables)
    facts = data_copy / "facts.csv"
    facts.write_text(facts.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    with pytest.raises(AssertionError, match="validated again"):
        data._validate_cached.__wrapped__(folder, data._stamp(folder))


def test_a_build_that_checked_the_data_hands_its_validation_to_the_kernels(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from alliancelib import data

    env = env_for(tmp_path / "old", tmp_path / "new")
    data.keep_validation(env)  # the build's process, which validated the data itself
    for name, value in env.items():
        monkeypatch.setenv(name, value)

    def refuse(folder: Path) -> None:
        raise AssertionError("validated again")

    monkeypatch.setattr(data, "_validate_now", refuse)
    folder = data.data_dir().resolve()
    assert not data._validate_cached.__wrapped__(folder, data._stamp(folder)).problems  # a kernel
