"""Kernels forked from a process that has already imported what every kernel imports.

A kernel started the usual way is a new Python process that imports IPython, ipykernel, numpy,
pandas and matplotlib before the notebook's first cell runs: about 1 s of CPU each, six times in
a cold build, on a machine whose two cores the build keeps busy. Here one helper process per
``alliance`` process (the fork server, started on the first kernel a build needs and kept for
the next builds of the same process) imports those libraries once; each kernel is then a
``fork`` of it that only runs ipykernel's start (``ipykernel_launcher -f <connection file>``),
in the notebook's folder, with the environment the kernel would have had.

Only third-party libraries are imported ahead (:data:`PRELOAD`), never this library: a kernel
imports ``alliancelib`` itself, so an edit to the library (the preview) reaches the next kernel,
and the library's settings read from the environment (the data folder, the chart cache) are read
in the kernel, from its own environment. Libraries read a few variables at import
(``MPLBACKEND``, ``MPLCONFIGDIR``, thread counts); the server is started with this process's
environment, and a kernel asked for with another value of one of :data:`READ_AT_IMPORT` is
started the usual way.

The kernels are jupyter_client's in every other respect: :class:`ForkingProvisioner` is its
local provisioner with the process replaced by :class:`ForkedKernel` (poll, wait, signals and
kill on the forked process's id). A kernel spec other than the installed ``python3`` one (a
test's trap, another interpreter) is launched the usual way, and so is every kernel while the
server is not ready yet (its imports take about 1 s): a build never waits for it.

When this process ends, the server reads the end of its input and exits; its kernels see their
parent gone and stop, as kernels whose ``alliance`` process was killed always have.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from typing import Any, TextIO

# What every kernel of these notebooks imports, in the order a kernel would.
PRELOAD = (
    "IPython",
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.zmqshell",
    "matplotlib_inline.backend_inline",
    "numpy",
    "pandas",
    "matplotlib",
    "matplotlib.figure",
    "matplotlib.backends.backend_agg",
    "PIL.Image",
    "jinja2",
)
# Variables the preloaded libraries read when imported: a kernel that needs other values is not forked.
READ_AT_IMPORT = (
    "MPLBACKEND",
    "MPLCONFIGDIR",
    "MATPLOTLIBRC",
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "PYTHONHASHSEED",
    "PYTHONPATH",
    "PYTHONWARNINGS",
)
# How long a cold build's first kernels wait for the server that started before its data check:
# its imports take about 1 s of CPU, as a kernel's own would (then it is ready for all the others).
READY_WAIT_S = 1.5
OFF_SWITCH = "ALLIANCE_FORK_KERNELS"  # "0": every kernel started the usual way


def kernel_args(argv: Sequence[str]) -> list[str] | None:
    """The arguments after ``-m ipykernel_launcher`` if ``argv`` starts this interpreter's
    ipykernel (the installed ``python3`` kernel spec), else None (launched the usual way).

    >>> kernel_args([sys.executable, "-m", "ipykernel_launcher", "-f", "k.json"])
    ['-f', 'k.json']
    >>> kernel_args(["/usr/bin/python3", "-c", "pass"]) is None
    True
    """
    if len(argv) < 3 or list(argv[1:3]) != ["-m", "ipykernel_launcher"]:
        return None
    if os.path.realpath(argv[0]) != os.path.realpath(sys.executable):
        return None
    return list(argv[3:])


# ---------------------------------------------------------------------------------------------
# The server (its own process: python -m alliancelib.forkserver REPLY_FD)


def _reap(signum: int, frame: Any) -> None:
    """Collect every child that has ended (the kernels are the server's children)."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


# What a forked kernel is called in the process table (``/proc/<pid>/comm``, ``ps -o comm``, top):
# its command line is still the server's, so tools that look for kernels look for this name too.
KERNEL_NAME = "ipykernel"


def _name_process(name: str) -> None:
    """Give this process ``name`` in the process table (Linux ``prctl(PR_SET_NAME)``)."""
    try:
        import ctypes

        ctypes.CDLL(None).prctl(15, name.encode()[:15], 0, 0, 0)  # 15: PR_SET_NAME
    except (OSError, AttributeError):
        pass


def is_kernel(pid: int) -> bool:
    """Whether process ``pid`` is a Python kernel: started the usual way (``ipykernel`` in its
    command line) or forked here (named :data:`KERNEL_NAME`)."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as f:
            if b"ipykernel" in f.read():
                return True
        with open(f"/proc/{pid}/comm", encoding="ascii", errors="replace") as f:
            return f.read().strip() == KERNEL_NAME
    except OSError:
        return False


def _child(request: Mapping[str, Any], reply_fd: int) -> None:
    """In the forked process: become the kernel (never returns)."""
    code = 1
    try:
        signal.signal(signal.SIGCHLD, signal.SIG_DFL)
        os.close(reply_fd)  # the server's answers are not the kernel's to hold open
        _name_process(KERNEL_NAME)
        os.setsid()  # its own session and group, as jupyter_client starts kernels
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)
        os.close(devnull)
        os.chdir(request["cwd"])
        env = dict(request["env"])
        env["JPY_PARENT_PID"] = str(os.getppid())  # the server: when it goes, the kernel goes
        os.environ.clear()
        os.environ.update(env)
        # ipykernel read JPY_PARENT_PID when the server imported it: say it again
        args = [*request["args"], f"--IPKernelApp.parent_handle={os.getppid()}"]
        sys.argv = ["ipykernel_launcher", *args]
        from ipykernel import kernelapp

        kernelapp.launch_new_instance(argv=args)
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:  # noqa: BLE001 - reported on stderr, the kernel is then gone
        import traceback

        traceback.print_exc()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def serve(requests: TextIO, reply_fd: int) -> None:
    """Import :data:`PRELOAD`, say ``ready``, then fork a kernel per request line (JSON: args,
    cwd, env) and answer its process id, until the input ends."""
    import importlib

    for name in PRELOAD:
        try:
            importlib.import_module(name)
        except ImportError:
            pass
    signal.signal(signal.SIGCHLD, _reap)
    with os.fdopen(reply_fd, "w", buffering=1) as reply:
        reply.write("ready\n")
        for line in requests:
            request = json.loads(line)
            pid = os.fork()
            if pid == 0:
                _child(request, reply_fd)
            reply.write(f"{pid}\n")


# ---------------------------------------------------------------------------------------------
# The client (the alliance process)


class ForkedKernel:
    """A forked kernel as jupyter_client's provisioner sees a ``Popen``: its id, ``poll``,
    ``wait``, signals. Not this process's child: alive while its id exists and is no zombie."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None
        self._signalled: int | None = None

    def poll(self) -> int | None:
        """None while the kernel runs; its end (0, or minus the signal this side sent) after."""
        if self.returncode is not None:
            return self.returncode
        try:
            with open(f"/proc/{self.pid}/stat", encoding="ascii", errors="replace") as f:
                state = f.read().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError, IndexError):
            state = "gone"
        if state in ("Z", "X", "gone"):
            self.returncode = -self._signalled if self._signalled else 0
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(f"kernel {self.pid}", timeout or 0.0)
            time.sleep(0.01)
        assert self.returncode is not None
        return self.returncode

    def send_signal(self, signum: int) -> None:
        if self.poll() is None:
            try:
                os.kill(self.pid, signum)
            except ProcessLookupError:
                return
            if signum in (signal.SIGKILL, signal.SIGTERM):
                self._signalled = signum

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


class Server:
    """This process's fork server: started in the background, used once ready."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._proc: subprocess.Popen[str] | None = None
        self._reply: TextIO | None = None
        self._ready = threading.Event()
        self._failed = False
        self._env: dict[str, str] = {}
        self._early = False

    def start(self, early: bool = False) -> None:
        """Start the server (once per process) and read its ``ready`` in a background thread.
        ``early``: started before a build's data check, when the build will run every notebook
        (a cold build) in more than one round of kernels: its first kernels then wait for the
        server (:data:`READY_WAIT_S` at most) rather than import everything themselves."""
        with self._lock:
            self._early = self._early or early
            if self._proc is not None or self._failed:
                return
            read_fd, write_fd = os.pipe()
            self._env = dict(os.environ)
            try:
                self._proc = subprocess.Popen(
                    [sys.executable, "-m", "alliancelib.forkserver", str(write_fd)],
                    stdin=subprocess.PIPE,
                    pass_fds=(write_fd,),
                    text=True,
                    start_new_session=True,
                )
            except OSError:
                self._failed = True
                os.close(read_fd)
                return
            finally:
                os.close(write_fd)
            self._reply = os.fdopen(read_fd, "r")
        threading.Thread(target=self._wait_ready, name="fork-server", daemon=True).start()

    def _wait_ready(self) -> None:
        assert self._reply is not None
        if self._reply.readline().strip() == "ready":
            self._ready.set()
        else:
            self._failed = True

    def fork(self, args: Sequence[str], cwd: str, env: Mapping[str, str]) -> ForkedKernel | None:
        """A kernel forked with these ipykernel arguments, folder and environment; None if the
        server is not ready (or gone), or the environment differs where a preloaded library
        read it (:data:`READ_AT_IMPORT`)."""
        if not self._ready.wait(READY_WAIT_S if self._early else 0) or self._failed:
            return None
        if any(env.get(name) != self._env.get(name) for name in READ_AT_IMPORT):
            return None
        with self._lock:
            proc, reply = self._proc, self._reply
            if proc is None or reply is None or proc.poll() is not None or proc.stdin is None:
                return None
            try:
                proc.stdin.write(json.dumps({"args": list(args), "cwd": cwd, "env": dict(env)}) + "\n")
                proc.stdin.flush()
                answer = reply.readline().strip()
            except (OSError, ValueError):
                self._failed = True
                return None
        if not answer.isdigit():
            self._failed = True
            return None
        return ForkedKernel(int(answer))


SERVER = Server()


def enabled() -> bool:
    """Whether kernels are forked: on Linux (a forked kernel is watched through ``/proc``), unless
    ``ALLIANCE_FORK_KERNELS=0``; elsewhere every kernel is started the usual way."""
    return sys.platform.startswith("linux") and os.environ.get(OFF_SWITCH, "1") != "0"


def provisioner_class() -> type:
    """jupyter_client's local provisioner, launching from the fork server where it can."""
    from jupyter_client.provisioning.local_provisioner import LocalProvisioner

    class ForkingProvisioner(LocalProvisioner):  # type: ignore[misc]
        """Launch the kernel as a fork of the server when its command is this interpreter's
        ipykernel and the server is ready; the usual way otherwise."""

        async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> Any:
            args = kernel_args(cmd)
            env = kwargs.get("env") or dict(os.environ)
            cwd = str(kwargs.get("cwd") or os.getcwd())
            forked = SERVER.fork(args, cwd, env) if args is not None else None
            if forked is None:
                return await super().launch_kernel(cmd, **kwargs)
            self.process = forked  # type: ignore[assignment]  # a Popen in all it is asked
            self.pid = forked.pid
            self.pgid = forked.pid
            self.cwd = cwd
            return self.connection_info

    return ForkingProvisioner


def main(argv: Sequence[str]) -> None:
    """The server's process: serve until the input ends, then leave at once and quietly (the
    ``alliance`` process may be gone before the server said ``ready``: nothing to report)."""
    try:
        serve(sys.stdin, int(argv[1]))
    except (BrokenPipeError, KeyboardInterrupt, ValueError, OSError):
        pass
    os._exit(0)


if __name__ == "__main__":
    main(sys.argv)
