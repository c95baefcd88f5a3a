"""Kernels forked from the fork server (alliancelib.forkserver): the same reports, byte for byte,
as kernels started the usual way; a forked kernel is watched, interrupted and killed as a
``Popen`` one is; it stops when the server goes; what cannot be forked is started the usual way;
the server leaves quietly when its ``alliance`` process is gone."""

from __future__ import annotations

import asyncio
import hashlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from buildkit import findings_notebook

from alliancelib import build as b
from alliancelib import forkserver, warm
from alliancelib.errors import BuildError

pytestmark = pytest.mark.slow


@pytest.fixture(autouse=True)
def forking_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """Forking on for these tests, whatever the run's setting (``make coverage`` turns it off for
    the rest of the suite)."""
    monkeypatch.delenv(forkserver.OFF_SWITCH, raising=False)


def ready_server() -> forkserver.Server:
    server = forkserver.Server()
    server.start(early=True)
    assert server._ready.wait(60), "the fork server did not get ready"
    return server


def gone(pid: int, within_s: float) -> bool:
    deadline = time.monotonic() + within_s
    while time.monotonic() < deadline:
        if forkserver.ForkedKernel(pid).poll() is not None:
            return True
        time.sleep(0.05)
    return False


def report_hashes(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and b.CACHE_DIR not in p.parts
    }


def test_forked_and_usual_kernels_write_the_same_reports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "notebooks"
    findings_notebook(folder, "00_alpha")
    findings_notebook(folder, "01_beta")
    server = ready_server()
    monkeypatch.setattr(forkserver, "SERVER", server)
    forked: list[int] = []
    real_fork = forkserver.Server.fork

    def counting(self: forkserver.Server, *args: object, **kwargs: object) -> object:
        kernel = real_fork(self, *args, **kwargs)  # type: ignore[arg-type]
        if kernel is not None:
            forked.append(kernel.pid)
        return kernel

    monkeypatch.setattr(forkserver.Server, "fork", counting)
    b.build(tmp_path / "forked", notebook_dir=folder, use_cache=False, jobs=2)
    assert len(forked) == 2  # both kernels were forks of the server
    monkeypatch.setenv(forkserver.OFF_SWITCH, "0")
    b.build(tmp_path / "usual", notebook_dir=folder, use_cache=False, jobs=2)
    assert len(forked) == 2  # switched off: none forked
    assert report_hashes(tmp_path / "forked") == report_hashes(tmp_path / "usual")
    assert all(gone(pid, 10) for pid in forked)  # each stopped after its notebook


def test_a_forked_kernel_answers_is_interrupted_and_killed_like_a_started_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(forkserver, "SERVER", ready_server())
    notebook = findings_notebook(tmp_path, "00_alpha")
    km = warm.start_kernel(notebook, dict(os.environ), warm_up=False)
    process = km.provisioner.process
    assert isinstance(process, forkserver.ForkedKernel)
    assert os.getpgid(process.pid) == process.pid  # its own group, as jupyter_client starts kernels

    async def run(code: str) -> dict:
        kc = km.client()
        kc.start_channels()
        try:
            await kc.wait_for_ready(timeout=60)
            reply = await kc.execute_interactive(code, timeout=60)
        finally:
            kc.stop_channels()
        return reply["content"]

    async def interrupted() -> dict:
        kc = km.client()
        kc.start_channels()
        try:
            await kc.wait_for_ready(timeout=60)
            msg_id = kc.execute("import time; time.sleep(60)")
            await asyncio.sleep(0.5)
            await km.interrupt_kernel()  # SIGINT to its group, as for a started kernel
            while True:
                reply = await kc.get_shell_msg(timeout=30)
                if reply["parent_header"].get("msg_id") == msg_id:
                    return reply["content"]
        finally:
            kc.stop_channels()

    assert asyncio.run(run(f"import os; assert os.getcwd() == {str(tmp_path)!r}"))["status"] == "ok"
    content = asyncio.run(interrupted())
    assert (content["status"], content.get("ename")) == ("error", "KeyboardInterrupt")
    assert asyncio.run(run("1 + 1"))["status"] == "ok"  # and it lives on
    assert asyncio.run(km.is_alive())
    asyncio.run(km.shutdown_kernel(now=True))
    assert gone(process.pid, 5) and process.poll() in (0, -signal.SIGKILL, -signal.SIGTERM)


def test_a_forked_kernel_stops_when_the_server_goes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    server = ready_server()
    monkeypatch.setattr(forkserver, "SERVER", server)
    km = warm.start_kernel(findings_notebook(tmp_path, "00_alpha"), dict(os.environ), warm_up=False)
    pid = km.provisioner.process.pid
    assert server._proc is not None
    os.kill(server._proc.pid, signal.SIGKILL)  # as when the alliance process is killed
    server._proc.wait(10)
    assert gone(pid, 10), "the kernel outlived its server"


def test_what_cannot_be_forked_is_started_the_usual_way(monkeypatch: pytest.MonkeyPatch) -> None:
    server = ready_server()
    env = dict(os.environ)
    args = ["-f", "/nonexistent/kernel.json"]
    assert forkserver.kernel_args(["/usr/bin/env", "python3", "-m", "ipykernel_launcher"]) is None
    assert forkserver.kernel_args([sys.executable, "-c", "pass"]) is None
    assert (
        forkserver.kernel_args(["/nonexistent/python3", "-m", "ipykernel_launcher", "-f", "k.json"]) is None
    )
    assert server.fork(args, "/", {**env, "MPLBACKEND": "svg"}) is None  # read at import: differs
    assert forkserver.Server().fork(args, "/", env) is None  # never started: not ready
    monkeypatch.setenv(forkserver.OFF_SWITCH, "0")
    assert not forkserver.enabled()


def test_the_server_leaves_quietly_when_its_process_is_gone() -> None:
    """Its answer pipe already closed (the alliance process ended at once, e.g. on bad data):
    nothing on stderr, exit status 0."""
    read_fd, write_fd = os.pipe()
    os.close(read_fd)
    done = subprocess.run(
        [sys.executable, "-m", "alliancelib.forkserver", str(write_fd)],
        input="",
        pass_fds=(write_fd,),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    os.close(write_fd)
    assert (done.returncode, done.stderr) == (0, "")


@pytest.mark.parametrize(
    ("notebooks", "use_cache", "started"), [(3, False, True), (2, False, False), (3, True, True)]
)
def test_a_build_starts_the_server_early_only_for_more_than_one_round_of_kernels(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, notebooks: int, use_cache: bool, started: bool
) -> None:
    """Before its data check, a build that will run every notebook (no cache to read) starts the
    server if its kernels are more than its workers (two rounds or more): the first round waits
    for it and the others are forked. One round of kernels starts the usual way (the server's
    imports would only delay it). The build here stops at its plan (an unknown parameter): no
    kernel runs."""
    folder = tmp_path / "notebooks"
    for i in range(notebooks):
        findings_notebook(folder, f"0{i}_nb")
    calls: list[bool] = []
    monkeypatch.setattr(forkserver.Server, "start", lambda self, early=False: calls.append(early))
    with pytest.raises(BuildError):
        b.build(tmp_path / "r", notebook_dir=folder, use_cache=use_cache, jobs=2, overrides={"no_such": 1})
    assert calls == ([True] if started else [])


def test_a_forked_kernel_is_named_a_kernel_in_the_process_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its command line is the server's; its name (``/proc/<pid>/comm``) says ipykernel, so tools
    that look for kernels (the preview tests, the benchmark) find it; the server is no kernel."""
    server = ready_server()
    monkeypatch.setattr(forkserver, "SERVER", server)
    km = warm.start_kernel(findings_notebook(tmp_path, "00_alpha"), dict(os.environ), warm_up=False)
    pid = km.provisioner.process.pid
    try:
        assert Path(f"/proc/{pid}/comm").read_text().strip() == forkserver.KERNEL_NAME
        assert forkserver.is_kernel(pid)
        assert server._proc is not None and not forkserver.is_kernel(server._proc.pid)
        assert not forkserver.is_kernel(os.getpid())
    finally:
        asyncio.run(km.shutdown_kernel(now=True))


# The server's and a forked child's own code run in other processes in the tests above; here they
# run in this one, with fork, exit and the process calls stood in for, so coverage sees them too.


class Exited(BaseException):
    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


def test_the_server_says_ready_then_answers_each_request_with_its_fork(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import io

    handlers: list[object] = []
    monkeypatch.setattr(forkserver.signal, "signal", lambda sig, handler: handlers.append(handler))
    pids = iter([4242, 4243])
    monkeypatch.setattr(forkserver.os, "fork", lambda: next(pids))
    read_fd, write_fd = os.pipe()
    request = '{"args": ["-f", "k.json"], "cwd": "/", "env": {}}\n'
    forkserver.serve(io.StringIO(request * 2), write_fd)
    with os.fdopen(read_fd) as answers:
        assert answers.read() == "ready\n4242\n4243\n"
    assert handlers == [forkserver._reap]


def test_the_server_reaps_every_ended_child(monkeypatch: pytest.MonkeyPatch) -> None:
    """Its SIGCHLD handler collects ended kernels until none is left, or there is no child at all
    (os.waitpid stood in for: in this process it would collect the test's own children)."""
    answers: list[object] = [(101, 0), (102, 9), (0, 0), ChildProcessError()]

    def waitpid(pid: int, options: int) -> tuple[int, int]:
        answer = answers.pop(0)
        if isinstance(answer, BaseException):
            raise answer
        return answer  # type: ignore[return-value]

    monkeypatch.setattr(forkserver.os, "waitpid", waitpid)
    forkserver._reap(signal.SIGCHLD, None)
    assert len(answers) == 1  # stopped at the first "none ended yet"
    forkserver._reap(signal.SIGCHLD, None)  # no child at all
    assert answers == []
    forkserver._name_process(Path("/proc/self/comm").read_text().strip())  # this process keeps its name


@pytest.mark.parametrize(("launch", "code"), [(None, 0), (SystemExit(3), 3), (RuntimeError("no kernel"), 1)])
def test_a_forked_child_becomes_the_kernel_in_its_folder_with_its_environment(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    launch: BaseException | None,
    code: int,
) -> None:
    from types import SimpleNamespace

    from ipykernel import kernelapp

    calls: list[object] = []
    fake_os = SimpleNamespace(
        devnull=os.devnull,
        O_RDONLY=os.O_RDONLY,
        environ={"LEFT": "over"},
        setsid=lambda: calls.append("setsid"),
        open=lambda path, flags: 99,
        dup2=lambda a, b: calls.append(("dup2", a, b)),
        close=lambda fd: calls.append(("close", fd)),
        chdir=lambda path: calls.append(("chdir", path)),
        getppid=lambda: 777,
    )

    def exit_(status: int) -> None:
        raise Exited(status)

    fake_os._exit = exit_  # type: ignore[attr-defined]
    monkeypatch.setattr(forkserver, "os", fake_os)
    monkeypatch.setattr(forkserver.signal, "signal", lambda sig, handler: None)
    monkeypatch.setattr(forkserver, "_name_process", lambda name: calls.append(("name", name)))
    monkeypatch.setattr(sys, "argv", list(sys.argv))

    def launch_new_instance(argv: list[str]) -> None:
        calls.append(("launch", argv, dict(fake_os.environ)))
        if launch is not None:
            raise launch

    monkeypatch.setattr(kernelapp, "launch_new_instance", launch_new_instance)
    with pytest.raises(Exited) as exited:
        forkserver._child({"args": ["-f", "k.json"], "cwd": "/nb", "env": {"A": "1"}}, reply_fd=55)
    assert exited.value.code == code
    argv = ["-f", "k.json", "--IPKernelApp.parent_handle=777"]
    assert calls == [
        ("close", 55),
        ("name", forkserver.KERNEL_NAME),
        "setsid",
        ("dup2", 99, 0),
        ("close", 99),
        ("chdir", "/nb"),
        ("launch", argv, {"A": "1", "JPY_PARENT_PID": "777"}),
    ]
    assert sys.argv == ["ipykernel_launcher", *argv]
    assert ("no kernel" in capsys.readouterr().err) == (code == 1)


def test_the_server_process_leaves_at_once_and_quietly(monkeypatch: pytest.MonkeyPatch) -> None:
    """main: the alliance process gone before ``ready`` (its answer pipe closed): exit status 0."""
    monkeypatch.setattr(forkserver.signal, "signal", lambda sig, handler: None)
    monkeypatch.setattr(forkserver, "PRELOAD", ("json", "no_such_module_here"))

    def exit_(status: int) -> None:
        raise Exited(status)

    monkeypatch.setattr(forkserver.os, "_exit", exit_)
    read_fd, write_fd = os.pipe()
    os.close(read_fd)
    with pytest.raises(Exited) as exited:
        forkserver.main(["forkserver", str(write_fd)])
    assert exited.value.code == 0


def test_a_forked_kernel_is_waited_for_terminated_and_gone_like_a_popen() -> None:
    """ForkedKernel on a process of this test's (gone, it is a zombie until reaped: gone all the same)."""
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    kernel = forkserver.ForkedKernel(proc.pid)
    assert kernel.poll() is None
    with pytest.raises(subprocess.TimeoutExpired):
        kernel.wait(timeout=0.05)
    kernel.terminate()
    assert kernel.wait(10) == -signal.SIGTERM
    kernel.kill()  # gone already: nothing sent, nothing raised
    proc.wait(10)
    assert not forkserver.is_kernel(proc.pid)


def test_a_server_that_cannot_start_or_has_gone_forks_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("no more processes")

    broken = forkserver.Server()
    with monkeypatch.context() as m:
        m.setattr(forkserver.subprocess, "Popen", refuse)
        broken.start(early=True)
    assert broken.fork(["-f", "k.json"], "/", dict(os.environ)) is None
    server = ready_server()
    assert server._proc is not None
    server._proc.kill()
    server._proc.wait(10)
    assert server.fork(["-f", "k.json"], "/", dict(os.environ)) is None


def test_a_server_that_answers_wrongly_or_breaks_off_forks_nothing(tmp_path: Path) -> None:
    import io
    from types import SimpleNamespace

    odd = forkserver.Server()
    odd._reply = io.StringIO("not ready\n")
    odd._wait_ready()
    assert odd._failed and not odd._ready.is_set()

    class Broken(io.StringIO):
        def write(self, text: str) -> int:
            raise OSError("broken pipe")

    for stdin, reply in ((Broken(), io.StringIO("1\n")), (io.StringIO(), io.StringIO("not a pid\n"))):
        server = forkserver.Server()
        server._proc = SimpleNamespace(poll=lambda: None, stdin=stdin)  # type: ignore[assignment]
        server._reply = reply
        server._ready.set()
        server._env = dict(os.environ)
        assert server.fork(["-f", "k.json"], "/", dict(os.environ)) is None
        assert server._failed


def test_a_kernel_the_server_cannot_fork_is_started_the_usual_way(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(forkserver, "SERVER", forkserver.Server())  # never started: not ready
    km = warm.start_kernel(findings_notebook(tmp_path, "00_alpha"), dict(os.environ), warm_up=False)
    try:
        assert isinstance(km.provisioner.process, subprocess.Popen)
        assert asyncio.run(km.is_alive())
    finally:
        asyncio.run(km.shutdown_kernel(now=True))
