"""The build's filesystem guarantees: one writer per output folder, nothing half-written.

- :class:`OutputLock`: an exclusive ``fcntl.flock`` on ``.<out>.lock`` beside the output folder,
  held for the whole build; a second build into the same folder refuses at once, naming the
  first build's pid and the folder. The kernel releases the lock when the process ends, however
  it ends (exit, exception, SIGKILL), so a crash never leaves the folder locked.
- :func:`staging_dir`, :func:`remove_stale_staging`: the build writes into ``.<out>.tmp-<pid>``
  beside ``<out>``; what a killed build left there is removed by the next one.
- :func:`swap_in`: ``<out>`` is replaced by the staging folder in one atomic step (Linux
  ``renameat2(RENAME_EXCHANGE)``), so it is at every instant the complete old or the complete new
  reports.
- :func:`write_text`, :func:`copy_file`, :func:`link_or_copy`: every file the build writes goes
  through these (written beside the target and renamed into place, so a hard-linked cache file is
  never changed through another link); :func:`no_space` turns a full disk into one clear
  :class:`~alliancelib.errors.BuildError`.
"""

from __future__ import annotations

import errno
import fcntl
import hashlib
import os
import re
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from alliancelib.errors import BuildError

NO_SPACE = (errno.ENOSPC, errno.EDQUOT)


def staging_dir(out: Path, pid: int | None = None) -> Path:
    """The folder a build writes into before swapping it in: ``.<out>.tmp-<pid>`` beside ``out``.

    >>> staging_dir(Path("/x/reports"), 42).as_posix()
    '/x/.reports.tmp-42'
    """
    return out.parent / f".{out.name}.tmp-{os.getpid() if pid is None else pid}"


def _leftover_pattern(out: Path) -> re.Pattern[str]:
    return re.compile(rf"^\.{re.escape(out.name)}\.(?:tmp|old)-(\d+)$")


def remove_stale_staging(out: Path) -> list[Path]:
    """Remove the staging and old folders that killed builds left beside ``out`` (their pid is
    gone); returns what was removed. Call it while holding the :class:`OutputLock`."""
    pattern = _leftover_pattern(out)
    removed = []
    for leftover in sorted(out.parent.glob(f".{out.name}.*-*")):
        match = pattern.match(leftover.name)
        if match and int(match.group(1)) != os.getpid() and not alive(int(match.group(1))):
            shutil.rmtree(leftover, ignore_errors=True)
            removed.append(leftover)
    return removed


def alive(pid: int) -> bool:
    """Whether a process with this pid exists (one we may not signal counts as alive)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def exchange(a: Path, b: Path) -> bool:
    """Atomically swap two paths with Linux ``renameat2(RENAME_EXCHANGE)``; False where the
    system does not offer it (the caller then falls back to two renames)."""
    if sys.platform != "linux":
        return False
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    fn = getattr(libc, "renameat2", None)
    if fn is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    return bool(fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0)


def swap_in(staging: Path, out: Path) -> None:
    """Replace ``out`` by ``staging`` so that ``out`` is at every instant either the complete old
    folder or the complete new one (atomic exchange where the OS offers it)."""
    if out.exists() and exchange(staging, out):
        shutil.rmtree(staging, ignore_errors=True)  # staging now holds the old reports
        return
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    if out.exists():
        os.replace(out, old)
    os.replace(staging, out)
    shutil.rmtree(old, ignore_errors=True)


def _replace_with(path: Path, write: Callable[[Path], object]) -> None:
    """Write through ``write(tmp)`` beside ``path``, then rename over it (removing the partial
    file if writing fails)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.part")
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_text(path: Path, text: str) -> None:
    """Write a UTF-8 text file (beside it first, then renamed into place)."""
    _replace_with(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def copy_file(src: Path, dst: Path) -> None:
    """Copy a file's bytes (beside the target first, then renamed into place)."""
    _replace_with(dst, lambda tmp: shutil.copyfile(src, tmp))


def link_or_copy(src: Path, dst: Path) -> None:
    """Hard-link ``src`` at ``dst`` (no bytes copied), or copy it where links are refused."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dst)
    except OSError as exc:
        if exc.errno in NO_SPACE:
            raise
        copy_file(src, dst)


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file's bytes (hex)."""
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def is_no_space(exc: BaseException) -> bool:
    """Whether an error is a full disk (or an exhausted quota)."""
    return isinstance(exc, OSError) and exc.errno in NO_SPACE


def no_space(exc: OSError, staging: Path, out: Path) -> BuildError:
    """The BuildError for a full disk while writing the staging folder, naming the file as it
    would have been in ``out``.

    >>> err = OSError(errno.ENOSPC, "No space left on device", "/x/.r.tmp-1/default/results.json")
    >>> print(no_space(err, Path("/x/.r.tmp-1"), Path("/x/r")))
    no space left on device while writing /x/r/default/results.json; the previous reports are unchanged
    """
    shown = str(exc.filename or "the reports")
    if shown.startswith(str(staging)):
        shown = str(out) + shown[len(str(staging)) :]
    shown = re.sub(r"/\.([^/]+)\.part$", r"/\1", shown)
    what = "disk quota exceeded" if exc.errno == errno.EDQUOT else "no space left on device"
    return BuildError(f"{what} while writing {shown}; the previous reports are unchanged")


class OutputLock:
    """An exclusive lock on an output folder for the length of a build: ``with OutputLock(out):``.

    The lock is ``fcntl.flock`` on the file ``.<out>.lock`` beside ``out``, which holds the pid of
    the build that holds it. Acquiring never waits: if another process holds it, BuildError
    names that build's pid and the folder. The file is removed on release (while still locked;
    a build that opened the removed file sees that its inode is no longer the path's and tries
    again), and the kernel drops the lock of a process that dies.
    """

    def __init__(self, out: Path) -> None:
        self.out = Path(out)
        self.path = self.out.parent / f".{self.out.name}.lock"
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock or raise BuildError naming the build that holds it (or saying why the
        folder beside the output cannot be written)."""
        try:
            self._acquire()
        except PermissionError as exc:
            raise BuildError(f"cannot write beside {self.out}: {exc.strerror}") from None
        except OSError as exc:
            if is_no_space(exc):
                raise BuildError(
                    f"no space left on device while writing {self.path}; the previous reports are unchanged"
                ) from None
            raise

    def _acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        while True:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = _read_pid(fd)
                os.close(fd)
                raise BuildError(
                    f"another build (pid {holder}) is writing {self.out}; wait for it to finish "
                    f"(or stop it) and build again"
                ) from None
            if _same_file(fd, self.path):
                break
            os.close(fd)  # the holder removed the file as it released it: lock the new one
        try:
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode())
        except OSError:
            os.close(fd)
            raise
        self._fd = fd

    def release(self) -> None:
        """Remove the lock file and release the lock."""
        if self._fd is None:
            return
        try:
            self.path.unlink(missing_ok=True)
        finally:
            os.close(self._fd)  # closing the descriptor releases the flock
            self._fd = None

    def __enter__(self) -> OutputLock:
        self.acquire()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()


def _read_pid(fd: int) -> str:
    text = os.pread(fd, 32, 0).decode(errors="replace").strip()
    return text if text.isdigit() else "unknown"


def _same_file(fd: int, path: Path) -> bool:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return False
    own = os.fstat(fd)
    return (st.st_dev, st.st_ino) == (own.st_dev, own.st_ino)
