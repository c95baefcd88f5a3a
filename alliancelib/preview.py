"""``alliance preview``: the reports served on the loopback address, rebuilt as you write.

:func:`serve` builds what the cache does not hold, serves the output folder (the same tree as
``reports/``: ``index.html``, ``<scenario>/<notebook>.html``) at ``http://127.0.0.1:PORT/``, and
polls the files the reports depend on (:func:`watched_folders`: the notebooks, ``alliancelib``'s
code and templates, ``data/``, ``scenarios/``) every :data:`POLL_S` seconds by their modification
time and size. A change rebuilds, through :func:`alliancelib.build.build` (its lock, its staging
folder, its atomic swap), only what depends on it:

- a notebook saved: that notebook's reports (a Markdown edit re-exports the cached outputs, a code
  edit executes it again, in a warm kernel: :mod:`alliancelib.warm`);
- a template: every report is exported again from the cache (nothing executes);
- the data or a scenario file: every report whose cache key changed;
- the library's code: the preview starts itself again on the same port (``exec``: the build runs
  in its process, whose modules must be the new ones), once the new code imports; until then the
  import error is shown on every page.

Every HTML page served gets a small script (:func:`inject`) that asks the server for its state
and reloads the page after each rebuild; the files on disk never carry it (built reports stay
byte-identical and script-free). A bad edit (a cell that raises, a data row that breaks
validation, a scenario file that does not parse) shows its one-line error at the top of the page,
and the last good report stays served: the preview keeps a copy of each report it may rebuild
until the rebuild has succeeded. Ctrl-C or SIGTERM stops it: a rebuild under way is abandoned in
its staging folder, so the output folder keeps the complete previous reports.
"""

from __future__ import annotations

import html
import json
import os
import re
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import FrameType
from typing import Any

from alliancelib import notebooks as nbs
from alliancelib.paths import PACKAGE_DIR, SCENARIOS_DIR, TEMPLATES_DIR

HOST = "127.0.0.1"
POLL_S = 0.2  # how often the watched files' stamps are read
STATE_PATH = "/__preview__/state"
ERROR_ID = "alliance-preview-error"
# Asks the server for its state every 250 ms; reloads the page when a rebuild has finished.
RELOAD_SCRIPT = """<script id="alliance-preview">(function () {
  var seen = %d;
  function poll() {
    fetch("%s", {cache: "no-store"}).then(function (r) { return r.json(); }).then(function (s) {
      if (s.version !== seen) { location.reload(); } else { setTimeout(poll, 250); }
    }).catch(function () { setTimeout(poll, 1000); });
  }
  setTimeout(poll, 250);
})();</script>"""
ERROR_BOX = (
    '<div id="%s" role="alert" style="position:sticky;top:0;z-index:1000;margin:0;'
    "padding:0.6em 1em;background:#fde8e8;color:#7a1010;border-bottom:2px solid #c62828;"
    'font:15px/1.4 system-ui,sans-serif">%s</div>'
)

Stamps = dict[str, tuple[int, int]]


def inject(page: str, version: int, errors: Sequence[str] = ()) -> str:
    """A report page as the preview serves it: the reload script added before ``</body>`` and,
    with ``errors``, a box naming each one right after ``<body>``, kept at the top of the window
    as the page scrolls; the page itself unchanged.

    >>> served = inject("<html><body><p>x</p></body></html>", 3, ["01_ownership: ValueError: bad"])
    >>> served.count("<script"), served.startswith('<html><body><div id="alliance-preview-error"')
    (1, True)
    >>> inject("<html><body><p>x</p></body></html>", 3).startswith("<html><body><p>x</p><script")
    True
    """
    script = RELOAD_SCRIPT % (version, STATE_PATH)
    at = page.rfind("</body>")
    page = page[:at] + script + page[at:] if at >= 0 else page + script
    if not errors:
        return page
    lines = "<br>".join(html.escape(e) for e in errors)
    box = ERROR_BOX % (ERROR_ID, f"<strong>Not updated.</strong> {lines}")
    body = re.search(r"<body[^>]*>", page)  # the box opens the page, where the reader looks
    return page[: body.end()] + box + page[body.end() :] if body else box + page


def watched_folders(notebook_dir: Path, data_dir: Path) -> list[tuple[Path, tuple[str, ...]]]:
    """The folders the reports depend on, each with the file endings watched there."""
    return [
        (notebook_dir, (".ipynb",)),
        (PACKAGE_DIR, (".py", ".j2", ".css", ".json", ".html")),
        (data_dir, ("",)),
        (SCENARIOS_DIR, (".toml",)),
    ]


def snapshot(folders: Iterable[tuple[Path, tuple[str, ...]]]) -> Stamps:
    """Each watched file's modification time (ns) and size (bytes), by path (caches and hidden
    files left out)."""
    stamps: Stamps = {}
    for folder, endings in folders:
        if not folder.is_dir():
            continue
        for path in folder.rglob("*"):
            if (
                "__pycache__" in path.parts
                or any(p.startswith(".") for p in path.relative_to(folder).parts)
                or not path.name.endswith(endings)
            ):
                continue
            try:
                st = path.stat()
            except OSError:
                continue  # removed while listing
            if path.is_file():
                stamps[str(path)] = (st.st_mtime_ns, st.st_size)
    return stamps


def changed(before: Mapping[str, Any], after: Mapping[str, Any]) -> set[Path]:
    """The files added, removed or changed between two snapshots.

    >>> sorted(str(p) for p in changed({"a": (1, 1), "b": (1, 1)}, {"a": (2, 1), "c": (1, 1)}))
    ['a', 'b', 'c']
    """
    return {Path(k) for k in set(before) | set(after) if before.get(k) != after.get(k)}


@dataclass(frozen=True)
class Change:
    """What a set of changed files asks for: the notebooks to rebuild (empty: all of them) and
    whether the library's code changed (then warm kernels hold stale modules)."""

    notebooks: tuple[str, ...] = ()
    code: bool = False


def affected(paths: Iterable[Path], notebook_dir: Path) -> Change:
    """The rebuild a set of changed files needs: only the notebooks saved when nothing else
    changed (a notebook added or removed rebuilds all); every notebook otherwise.

    >>> affected([TEMPLATES_DIR / "alliance" / "report.css"], Path("/n"))
    Change(notebooks=(), code=False)
    >>> affected([Path("/n/03_ev.ipynb"), PACKAGE_DIR / "fx.py"], Path("/n"))
    Change(notebooks=(), code=True)
    """
    names: set[str] = set()
    everything, code = False, False
    for path in paths:
        if path.parent == notebook_dir and path.suffix == ".ipynb" and nbs.NAME.match(path.stem):
            if path.is_file():
                names.add(path.stem)
                continue
            everything = True  # a notebook removed
        else:
            everything = True
            code = code or (PACKAGE_DIR in path.parents and TEMPLATES_DIR not in path.parents)
    return Change(() if everything else tuple(sorted(names)), code)


@dataclass
class State:
    """What the server shows: the rebuild count (pages reload when it moves), the errors of the
    last rebuild (one line each: the whole build's, and each report's by its path), and the last
    good copy of each report that failed."""

    version: int = 0
    viewing: str = ""  # the report page asked for last (rebuilt first when everything is)
    error: str = ""
    page_errors: dict[str, str] = field(default_factory=dict)
    last_good: dict[str, bytes] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def errors_for(self, rel: str) -> list[str]:
        """The errors a page shows: the build's, then its own (the index: every report's)."""
        with self.lock:
            own = (
                [f"{k.removesuffix('.html')}: {v}" for k, v in sorted(self.page_errors.items())]
                if rel == "index.html"
                else [self.page_errors[rel]]
                if rel in self.page_errors
                else []
            )
            return ([self.error] if self.error else []) + own

    def page(self, out: Path, rel: str) -> bytes | None:
        """The bytes served for a page of ``out``: its last good copy while it shows an error,
        else the file (None if there is none); a report asked for becomes :attr:`viewing`."""
        return _page_bytes(self, out, rel)


def page_path(url_path: str) -> str | None:
    """The output folder's file a URL path names (a folder: its ``index.html``), or None for what
    is not served: hidden files and folders (the cache, the lock) and ``..``.

    >>> page_path("/"), page_path("/base/"), page_path("/base/01_ownership.html")
    ('index.html', 'base/index.html', 'base/01_ownership.html')
    >>> page_path("/.cache/stamps.json"), page_path("/../etc/passwd")
    (None, None)
    """
    from urllib.parse import unquote

    rel = unquote(url_path).lstrip("/") or "index.html"
    if rel.endswith("/"):
        rel += "index.html"
    parts = rel.split("/")
    return None if any(p.startswith(".") or not p for p in parts) else rel


def _page_bytes(state: State, out: Path, rel: str) -> bytes | None:
    with state.lock:
        good = state.last_good.get(rel) if rel in state.page_errors else None
        if rel.count("/") == 1:
            state.viewing = rel
    if good is not None:
        return good
    try:
        return (out / rel).read_bytes()
    except OSError:
        return None


def handler_class(out: Path, state: State) -> type[SimpleHTTPRequestHandler]:
    """A request handler serving ``out``, HTML with :func:`inject`, and the state as JSON."""

    class Handler(SimpleHTTPRequestHandler):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, directory=str(out), **kwargs)

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base's name
            pass  # the terminal shows rebuilds, not every request

        def do_GET(self) -> None:  # noqa: N802 - the base's name
            path = self.path.split("?", 1)[0].split("#", 1)[0]
            if path == STATE_PATH:
                with state.lock:
                    body = json.dumps(
                        {"version": state.version, "error": state.error, "pages": dict(state.page_errors)}
                    ).encode()
                return self._send(body, "application/json")
            rel = page_path(path)
            if rel is None:
                return self.send_error(HTTPStatus.NOT_FOUND, "not served")
            if not rel.endswith(".html"):
                return super().do_GET()
            page = state.page(out, rel)
            if page is None:
                return self.send_error(HTTPStatus.NOT_FOUND, "no such report")
            with state.lock:
                version = state.version
            text = inject(page.decode("utf-8", errors="replace"), version, state.errors_for(rel))
            return self._send(text.encode(), "text/html; charset=utf-8")

        def _send(self, body: bytes, kind: str) -> None:
            self.send_response(HTTPStatus.OK)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

    return Handler


@dataclass
class Preview:
    """One preview: what it builds (scenario names or files, the notebooks' folder), where
    (``out``) and with how many kernels at once; :meth:`rebuild` runs one build."""

    out: Path
    scenarios: Sequence[str]
    notebook_dir: Path
    jobs: int | None = None
    state: State = field(default_factory=State)
    kernels: Any = None  # an alliancelib.warm.WarmKernels, or None
    say: Callable[[str], None] = print
    library_error: str = ""  # the library's new code does not import (shown until it does)

    def scenario_files(self) -> list[Path]:
        """Each ``--scenario``: ``scenarios/NAME.toml`` for a name, else the file given."""
        return [
            SCENARIOS_DIR / f"{s}.toml" if (SCENARIOS_DIR / f"{s}.toml").is_file() else Path(s)
            for s in self.scenarios
        ]

    def rebuild(self, only: Sequence[str] = ()) -> None:
        """Build (``only`` these notebooks, or all); record each failure as its page's error and
        keep its last good report; a bad input becomes the build's error, the reports untouched."""
        from alliancelib.build import build
        from alliancelib.errors import AllianceError
        from alliancelib.scenarios import load_scenario

        self._keep_good(only)
        start = time.perf_counter()
        try:
            outcomes = build(
                self.out,
                [load_scenario(f) for f in self.scenario_files()],
                only=only,
                jobs=self.jobs,
                notebook_dir=self.notebook_dir,
                kernels=self.kernels,
            )
        except (AllianceError, ValueError, OSError) as exc:
            error = str(exc) if isinstance(exc, AllianceError) else f"{type(exc).__name__}: {exc}"
            self._publish(error.splitlines()[0] if error else type(exc).__name__, {}, set())
            self.say(f"not updated: {self.state.error}")
            return
        failed = {
            f"{o.job.scenario}/{o.job.notebook}.html": o.error.splitlines()[0] if o.error else "failed"
            for o in outcomes
            if not o.ok
        }
        self._publish("", failed, {f"{o.job.scenario}/{o.job.notebook}.html" for o in outcomes})
        names = ", ".join(sorted({o.job.notebook for o in outcomes if not o.cached})) or "nothing executed"
        self.say(
            f"rebuilt in {time.perf_counter() - start:.1f} s ({names})"
            + "".join(f"\n  failed {k}: {v}" for k, v in sorted(failed.items()))
        )

    def _keep_good(self, only: Sequence[str]) -> None:
        """Copy the reports this rebuild may replace, unless their page already shows an error
        (then the copy from before that error is kept)."""
        for page in sorted(self.out.glob("*/*.html")):
            rel = f"{page.parent.name}/{page.name}"
            if (only and page.stem not in only) or rel in self.state.page_errors:
                continue
            try:
                data = page.read_bytes()
            except OSError:
                continue
            with self.state.lock:
                self.state.last_good[rel] = data

    def _publish(self, error: str, failed: Mapping[str, str], built: set[str]) -> None:
        with self.state.lock:
            self.state.error = error or self.library_error
            for rel in built:
                self.state.page_errors.pop(rel, None)
            self.state.page_errors.update(failed)
            for rel in list(self.state.last_good):
                if rel not in self.state.page_errors:
                    del self.state.last_good[rel]
            self.state.version += 1


def _stop_on_sigterm() -> None:
    def stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)


def import_error() -> str:
    """The last line of the error importing the library afresh (every module), or ``""``."""
    import subprocess

    code = (
        "import pkgutil, importlib, alliancelib; [importlib.import_module('alliancelib.' + m.name) "
        "for m in pkgutil.iter_modules(alliancelib.__path__)]"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    if done.returncode == 0:
        return ""
    lines = [ln.strip() for ln in done.stderr.splitlines() if ln.strip()]
    return f"the library does not import: {lines[-1] if lines else 'exit status ' + str(done.returncode)}"


def restart_argv(
    port: int, out: Path, scenarios: Sequence[str], notebook_dir: Path, jobs: int | None, warm: bool
) -> list[str]:
    """The command line of this preview, on the port it serves: a library change starts it again
    with it (``exec``: the build runs in this process, so its modules must be the new ones)."""
    argv = [
        sys.executable,
        "-m",
        "alliancelib",
        "preview",
        "--port",
        str(port),
        "--out",
        str(out),
        "--notebooks",
        str(notebook_dir),
    ]
    argv += [a for s in scenarios for a in ("--scenario", s)]
    return argv + (["--jobs", str(jobs)] if jobs else []) + ([] if warm else ["--no-warm"])


class RestartPreview(Exception):
    """Raised to start the preview again with ``argv`` (:func:`restart_argv`), which :func:`serve`
    does once its server and kernels are shut down."""

    def __init__(self, argv: list[str]) -> None:
        super().__init__("restart")
        self.argv = argv


def viewed_first(preview: Preview, change: Change) -> tuple[str, ...]:
    """When a change rebuilds every report, the notebook of the report open in the browser (the
    page asked for last), to rebuild on its own first; otherwise nothing."""
    with preview.state.lock:
        viewing = preview.state.viewing
    name = Path(viewing).stem
    if change.notebooks or not viewing or name not in nbs.discover(preview.notebook_dir):
        return ()
    return (name,)


def watch(
    preview: Preview,
    folders: list[tuple[Path, tuple[str, ...]]],
    restart_argv: list[str],
    poll_s: float = POLL_S,
) -> None:
    """Rebuild on every change until interrupted; raises RestartPreview for a library change
    whose new code imports."""
    seen = snapshot(folders)
    preview.rebuild()
    kernels = preview.kernels
    if kernels is not None:
        kernels.prepare(nbs.discover(preview.notebook_dir).values())
    while True:
        time.sleep(poll_s)
        paths = changed(seen, snapshot(folders))
        if not paths:
            continue
        time.sleep(0.05)  # let an editor finish writing what it saves in several steps
        now = snapshot(folders)
        change = affected(changed(seen, now) | paths, preview.notebook_dir)
        seen = now
        if change.code:
            broken = import_error()
            if not broken:
                raise RestartPreview(restart_argv)
            if kernels is not None:
                kernels.discard()  # their imported modules are the old code
            preview.say(f"not restarted: {broken}")
            preview.library_error = broken
        first = viewed_first(preview, change)
        if first:
            preview.rebuild(first)  # the open page updates before the others are rebuilt
        preview.rebuild(change.notebooks)


def serve(
    out: Path,
    port: int,
    scenarios: Sequence[str],
    notebook_dir: Path,
    jobs: int | None = None,
    warm: bool = True,
    poll_s: float = POLL_S,
) -> int:
    """Run the preview until Ctrl-C or SIGTERM (see the module's docstring); returns 0."""
    from alliancelib.paths import data_dir

    out = Path(out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    _stop_on_sigterm()
    kernels = None
    if warm:
        from alliancelib.warm import WarmKernels

        kernels = WarmKernels()
    preview = Preview(
        out, scenarios, notebook_dir, jobs, kernels=kernels, say=lambda text: print(text, flush=True)
    )
    server = ThreadingHTTPServer((HOST, port), handler_class(out, preview.state))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="preview-server", daemon=True)
    argv: list[str] = []
    try:
        thread.start()
        print(f"preview: http://{HOST}:{server.server_address[1]}/ (Ctrl-C to stop); building...", flush=True)
        watch(
            preview,
            watched_folders(notebook_dir, data_dir()),
            restart_argv(server.server_address[1], out, scenarios, notebook_dir, jobs, warm),
            poll_s,
        )
    except KeyboardInterrupt:
        print("preview: stopped; the reports are complete", file=sys.stderr, flush=True)
    except RestartPreview as again:
        argv = again.argv
    finally:
        server.shutdown()
        server.server_close()
        if kernels is not None:
            kernels.close()
    if argv:
        print("preview: the library changed; starting again with the new code", flush=True)
        os.execv(sys.executable, argv)
    return 0
