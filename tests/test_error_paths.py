"""The paths a build takes when the system says no: a process it may not signal, a system without
an atomic exchange, a link refused, a full disk or a folder it may not write while locking, a kept
chart that cannot be written; and the command line's refusals of a bad preview or edition option.
Each is provoked in this process (no kernel), so the message and what is left behind are checked."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

import pytest

from alliancelib import chart_cache, cli, fsutil
from alliancelib.errors import BuildError

# --------------------------------------------------------------------------- fsutil


def test_a_process_we_may_not_signal_counts_as_alive(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(pid: int, sig: int) -> None:
        raise PermissionError(errno.EPERM, "not permitted")

    monkeypatch.setattr(os, "kill", refuse)
    assert fsutil.alive(1) is True

    def gone(pid: int, sig: int) -> None:
        raise ProcessLookupError

    monkeypatch.setattr(os, "kill", gone)
    assert fsutil.alive(1) is False


def test_without_an_atomic_exchange_the_swap_is_two_renames(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, staging = tmp_path / "reports", tmp_path / ".reports.tmp-1"
    out.mkdir()
    (out / "old.html").write_text("old")
    staging.mkdir()
    (staging / "new.html").write_text("new")
    monkeypatch.setattr(fsutil.sys, "platform", "darwin")
    assert fsutil.exchange(staging, out) is False
    fsutil.swap_in(staging, out)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["reports"]
    assert [p.name for p in out.iterdir()] == ["new.html"]


def test_a_libc_without_renameat2_is_no_exchange(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import ctypes

    monkeypatch.setattr(ctypes, "CDLL", lambda *a, **k: object())
    assert fsutil.exchange(tmp_path / "a", tmp_path / "b") is False


def test_a_failed_write_leaves_no_part_file(tmp_path: Path) -> None:
    def half(tmp: Path) -> None:
        tmp.write_text("half")
        raise OSError(errno.EIO, "disk error")

    with pytest.raises(OSError, match="disk error"):
        fsutil._replace_with(tmp_path / "page.html", half)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("code", "copied"), [(errno.EPERM, True), (errno.EXDEV, True), (errno.ENOSPC, False)]
)
def test_a_refused_link_is_a_copy_but_a_full_disk_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int, copied: bool
) -> None:
    src = tmp_path / "a.txt"
    src.write_text("bytes")

    def refuse(a: Any, b: Any) -> None:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, "link", refuse)
    dst = tmp_path / "sub" / "b.txt"
    if copied:
        fsutil.link_or_copy(src, dst)
        assert dst.read_text() == "bytes" and dst.stat().st_ino != src.stat().st_ino
    else:
        with pytest.raises(OSError) as exc:
            fsutil.link_or_copy(src, dst)
        assert fsutil.is_no_space(exc.value) and not dst.exists()


@pytest.mark.parametrize(
    ("error", "says"),
    [
        (PermissionError(errno.EACCES, "Permission denied"), "cannot write beside"),
        (OSError(errno.ENOSPC, "No space left on device"), "no space left on device while writing"),
    ],
)
def test_a_lock_that_cannot_be_written_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: OSError, says: str
) -> None:
    lock = fsutil.OutputLock(tmp_path / "reports")

    def fail() -> None:
        raise error

    monkeypatch.setattr(lock, "_acquire", fail)
    with pytest.raises(BuildError, match=says):
        lock.acquire()
    other = OSError(errno.EIO, "I/O error")
    monkeypatch.setattr(lock, "_acquire", lambda: (_ for _ in ()).throw(other))
    with pytest.raises(OSError, match="I/O error"):
        lock.acquire()


def test_a_lock_file_removed_by_its_holder_is_not_the_same_file(tmp_path: Path) -> None:
    path = tmp_path / ".reports.lock"
    path.write_text("1\n")
    fd = os.open(path, os.O_RDONLY)
    try:
        assert fsutil._same_file(fd, path)
        path.unlink()
        assert not fsutil._same_file(fd, path)
    finally:
        os.close(fd)


# --------------------------------------------------------------------------- kept charts


def test_a_chart_folder_that_cannot_be_written_only_loses_the_reuse(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    chart_cache._write(blocked / "k.json", {"data": {}, "metadata": {}})  # no error
    assert blocked.read_text() == "not a folder" and not list(tmp_path.glob("**/*.part"))
    chart_cache._touch(tmp_path / "missing.json")  # no error


def test_a_refused_link_copies_the_kept_chart(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src, dst = tmp_path / "old" / "k.json", tmp_path / "new" / "k.json"
    src.parent.mkdir()
    src.write_text('{"data": {"image/png": "x"}, "metadata": {}}')

    def refuse(a: Any, b: Any) -> None:
        raise OSError(errno.EXDEV, "cross-device link")

    monkeypatch.setattr(os, "link", refuse)
    chart_cache._link(src, dst)
    assert chart_cache._read(dst) == {"data": {"image/png": "x"}, "metadata": {}}
    damaged = tmp_path / "old" / "bad.json"
    damaged.write_text("[]")
    chart_cache._link(damaged, tmp_path / "new" / "bad.json")
    assert not (tmp_path / "new" / "bad.json").exists()


def test_no_shell_no_key(monkeypatch: pytest.MonkeyPatch) -> None:
    import IPython

    monkeypatch.setattr(IPython, "get_ipython", lambda: None)
    env = {chart_cache.CACHE_VAR: f"/a{os.pathsep}/b", chart_cache.KEY_VAR: "fp"}
    assert chart_cache._current_key("t/one", env) is None


# --------------------------------------------------------------------------- the command line


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["preview", "--port", "70000"], "--port 70000: must be between 0 and 65535"),
        (["preview", "--jobs", "0"], "--jobs 0: must be at least 1"),
        (["preview", "--scenario", "nope"], "--scenario nope: no such scenario; scenarios: ambitious, base"),
        (["edition", "1.2.3", "--date", "7 Dec"], "--date '7 Dec': write a date as YYYY-MM-DD"),
    ],
)
def test_a_bad_option_is_refused_with_what_is_allowed(
    args: list[str], says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(args) == 2
    assert says in capsys.readouterr().err


def test_a_port_in_use_says_so(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from alliancelib import preview

    def busy(*args: Any, **kwargs: Any) -> int:
        raise OSError(errno.EADDRINUSE, "Address already in use")

    monkeypatch.setattr(preview, "serve", busy)
    assert cli.main(["preview", "--port", "8765"]) == 2
    assert "--port 8765: already in use on 127.0.0.1; choose another" in capsys.readouterr().err

    def broken(*args: Any, **kwargs: Any) -> int:
        raise OSError(errno.EIO, "I/O error")

    monkeypatch.setattr(preview, "serve", broken)
    with pytest.raises(OSError, match="I/O error"):  # not bad input: its traceback shows
        cli.main(["preview"])
    seen: list[Any] = []
    monkeypatch.setattr(preview, "serve", lambda *a, **k: seen.append((a, k)) or 0)
    assert cli.main(["preview", "--port", "0", "--no-warm", "--scenario", "base"]) == 0
    ((args, kwargs),) = seen
    assert args[1:3] == (0, ["base"]) and kwargs == {"warm": False}


def test_the_profile_and_the_refresh_report_what_they_did(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from alliancelib import build, refresh

    monkeypatch.setattr(build, "build", lambda *a, **k: [])
    target = tmp_path / "profile.json"
    assert cli.main(["build", "--out", str(tmp_path / "r"), "--profile", str(target)]) == 0
    assert set(json.loads(target.read_text())) >= {"seconds", "started_s", "ended_s"}
    monkeypatch.setattr(refresh, "refresh", lambda names: [Path("notebooks/05_deal_ledger.ipynb")])
    assert cli.main(["refresh", "05"]) == 0
    assert "refreshed 05_deal_ledger.ipynb" in capsys.readouterr().out
