"""``alliance preview``: the served page carries the reload script and the file on disk does not;
a bad edit shows its error over the last good report; what a change rebuilds; the warm kernels'
preparation binds no name. The browser test drives the real preview with headless Chromium: a
Markdown edit reaches the open page by itself, a bad edit shows its error while the last good
report stays, and a preview killed in the middle of a rebuild leaves the output folder complete."""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
from buildkit import findings_notebook, write_notebook

from alliancelib import forkserver, preview, warm
from alliancelib.paths import PACKAGE_DIR, TEMPLATES_DIR

# A notebook cell that records one result and draws nothing.
RESULT_ONLY = (
    "from alliancelib.results import ResultSpec, show_results\n"
    "show_results([ResultSpec('input_value', '', 'The input', 0).result(float(x))])"
)
PAGE = "<!DOCTYPE html>\n<html><head><title>R</title></head><body><h1>Report</h1></body></html>\n"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path, preview.State]]:
    """An output folder with an index and one report, served by the preview's handler."""
    out = tmp_path / "reports"
    (out / "default").mkdir(parents=True)
    (out / "index.html").write_text(PAGE.replace("Report", "Index"), encoding="utf-8")
    (out / "default" / "00_alpha.html").write_text(PAGE, encoding="utf-8")
    state = preview.State(version=7)
    server = ThreadingHTTPServer((preview.HOST, 0), preview.handler_class(out, state))
    # shutdown() waits for the loop's next poll: 0.5 s by default, at every test's teardown
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield f"http://{preview.HOST}:{server.server_address[1]}", out, state
    finally:
        server.shutdown()
        server.server_close()


def get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as r:
        return r.read().decode("utf-8")


def test_the_served_page_carries_the_reload_script_and_the_file_does_not(served) -> None:
    url, out, state = served
    page = get(f"{url}/default/00_alpha.html")
    assert '<script id="alliance-preview">' in page and preview.STATE_PATH in page
    assert "var seen = 7;" in page and page.startswith(PAGE[: PAGE.index("</body>")])
    assert page.endswith("</body></html>\n")
    assert "<script" not in (out / "default" / "00_alpha.html").read_text(encoding="utf-8")
    assert "<script" not in (out / "index.html").read_text(encoding="utf-8")
    assert '<script id="alliance-preview">' in get(f"{url}/")  # the index too
    assert json.loads(get(f"{url}{preview.STATE_PATH}")) == {"version": 7, "error": "", "pages": {}}
    assert preview.ERROR_ID not in page  # no error, no box


def test_a_failed_report_shows_its_error_over_the_last_good_one(served) -> None:
    url, out, state = served
    (out / "default" / "00_alpha.html").unlink()  # a failed notebook leaves no report on disk
    state.page_errors["default/00_alpha.html"] = "ValueError: a bad <edit>"
    state.last_good["default/00_alpha.html"] = PAGE.replace("Report", "Last good").encode()
    page = get(f"{url}/default/00_alpha.html")
    assert "Last good" in page and "ValueError: a bad &lt;edit&gt;" in page
    assert "default/00_alpha: ValueError: a bad &lt;edit&gt;" in get(f"{url}/")
    state.error = "data/facts.csv, row 3: stake_pct 140 is above 100"
    assert "row 3: stake_pct 140" in get(f"{url}/")


def test_a_page_that_does_not_exist_or_is_hidden_is_not_found(served) -> None:
    url, out, _ = served
    (out / ".cache").mkdir()
    (out / ".cache" / "stamps.json").write_text("{}")
    for path in ("/default/99_none.html", "/.cache/stamps.json", "/.cache/", "/default/../../x.html"):
        with pytest.raises(urllib.error.HTTPError) as err:
            get(f"{url}{path}")
        assert err.value.code == 404, path


def test_what_a_change_rebuilds(tmp_path: Path) -> None:
    nb_dir = tmp_path / "nb"
    one = findings_notebook(nb_dir, "00_alpha")
    findings_notebook(nb_dir, "01_beta")
    assert preview.affected([one], nb_dir) == preview.Change(("00_alpha",), code=False)
    assert preview.affected([TEMPLATES_DIR / "alliance" / "report.css"], nb_dir) == preview.Change(
        (), code=False
    )
    assert preview.affected([PACKAGE_DIR / "fx.py"], nb_dir) == preview.Change((), code=True)
    assert preview.affected([one, tmp_path / "data" / "facts.csv"], nb_dir) == preview.Change((), code=False)
    assert preview.affected([nb_dir / "02_gone.ipynb"], nb_dir) == preview.Change((), code=False)


def test_the_open_report_is_rebuilt_first_when_everything_is(served, tmp_path: Path) -> None:
    url, out, state = served
    nb_dir = tmp_path / "nb"
    findings_notebook(nb_dir, "00_alpha")
    findings_notebook(nb_dir, "01_beta")
    p = preview.Preview(out, [], nb_dir, state=state)
    assert preview.viewed_first(p, preview.Change()) == ()  # nothing open yet
    get(f"{url}/default/00_alpha.html")
    assert state.viewing == "default/00_alpha.html"
    assert preview.viewed_first(p, preview.Change()) == ("00_alpha",)
    assert preview.viewed_first(p, preview.Change(("01_beta",))) == ()  # one notebook: just it
    get(f"{url}/")  # the index is not a report
    assert preview.viewed_first(p, preview.Change()) == ("00_alpha",)


def test_the_snapshot_sees_an_edit_and_ignores_caches(tmp_path: Path) -> None:
    nb = findings_notebook(tmp_path / "nb", "00_alpha")
    (tmp_path / "nb" / ".ipynb_checkpoints").mkdir()
    (tmp_path / "nb" / ".ipynb_checkpoints" / "00_alpha-checkpoint.ipynb").write_text("{}")
    folders = [(tmp_path / "nb", (".ipynb",))]
    before = preview.snapshot(folders)
    assert list(before) == [str(nb)]
    nb.write_text(nb.read_text() + " ")
    assert preview.changed(before, preview.snapshot(folders)) == {nb}


def test_the_warm_up_imports_what_the_notebook_imports() -> None:
    nb = findings_notebook(Path(os.environ.get("TMPDIR", "/tmp")) / f"warm-{os.getpid()}", "00_alpha")
    assert warm.imported_modules(nb) == ["alliancelib", "alliancelib.findings", "alliancelib.results"]
    code = warm.warm_up_code(warm.imported_modules(nb))
    namespace: dict[str, object] = {}
    exec(code, namespace)  # noqa: S102 - the code the kernel runs: it binds no name
    assert set(namespace) == {"__builtins__"}


# --------------------------------------------------------------------------- the real preview


def report_files(out: Path) -> dict[str, str]:
    return {
        str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.is_file()
    }


def start_preview(
    tmp_path: Path, nb_dir: Path, out: Path, *extra: str, env: dict[str, str] | None = None
) -> tuple[subprocess.Popen[str], str]:
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "alliancelib",
            "preview",
            "--port",
            "0",
            "--jobs",
            "1",
            "--notebooks",
            str(nb_dir),
            "--out",
            str(out),
            *extra,
        ],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()
    found = re.search(r"http://127\.0\.0\.1:(\d+)/", first)
    assert found, f"the preview printed {first!r}"
    threading.Thread(target=proc.stdout.read, daemon=True).start()  # keep the pipe drained
    return proc, found.group(0).rstrip("/")


def wait_for(check, seconds: float = 120.0, what: str = "") -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if check():
            return
        time.sleep(0.1)
    raise AssertionError(f"not within {seconds} s: {what}")


def state_of(url: str) -> dict:
    return json.loads(get(f"{url}{preview.STATE_PATH}"))


def edit_notebook(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def kernels_in(folder: Path) -> list[int]:
    """The kernels running in ``folder`` (their pids)."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if forkserver.is_kernel(int(pid)) and Path(os.readlink(f"/proc/{pid}/cwd")) == folder:
                found.append(int(pid))
        except OSError:
            continue
    return found


@pytest.mark.slow
def test_preview_in_a_browser_follows_edits_and_survives_a_kill(tmp_path: Path, browser) -> None:
    nb_dir = tmp_path / "notebooks"
    nb = findings_notebook(nb_dir, "00_alpha")
    out = tmp_path / "reports"
    proc, url = start_preview(tmp_path, nb_dir, out)
    try:
        wait_for(lambda: state_of(url)["version"] >= 1, what="the first build")
        first = state_of(url)
        assert not first["error"] and not first["pages"], first  # say why, if the page is missing
        page = browser.new_page()
        outside: list[str] = []

        def route(r) -> None:
            if r.request.url.startswith((f"{url}/", "data:")):
                r.continue_()
            else:
                outside.append(r.request.url)
                r.abort()

        page.route("**/*", route)
        page.goto(f"{url}/default/00_alpha.html", wait_until="load")
        assert "By design." in page.inner_text("body")

        edit_notebook(nb, "By design.", "By design, and now edited in the preview.")
        page.wait_for_function(
            "() => document.body.innerText.includes('now edited in the preview')", timeout=120_000
        )  # the page reloaded itself
        assert page.locator(f"#{preview.ERROR_ID}").count() == 0

        edit_notebook(
            nb,
            "fig, ax = charts.figure(4, 2.5)",
            "raise ValueError('a bad edit')\\nfig, ax = charts.figure(4, 2.5)",
        )
        page.wait_for_selector(f"#{preview.ERROR_ID}", timeout=120_000)
        assert "ValueError: a bad edit" in page.inner_text(f"#{preview.ERROR_ID}")
        box = page.locator(f"#{preview.ERROR_ID}").bounding_box()
        assert box is not None and box["y"] < 5 and box["height"] > 10  # at the top, where one looks
        page.mouse.wheel(0, 1500)
        page.wait_for_function("() => window.scrollY > 0")
        assert page.locator(f"#{preview.ERROR_ID}").bounding_box()["y"] < 5  # and it stays there
        assert "now edited in the preview" in page.inner_text("body")  # the last good report stays
        assert page.locator("img").count() >= 1
        page.screenshot(path=str(tmp_path / "preview-error.png"))
        assert not outside, outside

        # The bad edit fixed with new code (so the rebuild runs a kernel: undone, the notebook would
        # come from the cache faster than the kill lands), and the preview killed while it rebuilds:
        # the output folder is the complete previous one (the staging folder holds the half-done rebuild).
        before = report_files(out)
        edit_notebook(nb, "raise ValueError('a bad edit')\\n", "fixed = True\\n")
        wait_for(lambda: any(out.parent.glob(".reports.tmp-*")), what="the rebuild to start")
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        assert report_files(out) == before
        assert not [p for p in out.rglob("*") if p.name.endswith(".part")]
        for html in out.rglob("*.html"):
            assert html.read_text(encoding="utf-8").rstrip().endswith("</html>"), html
        wait_for(lambda: not kernels_in(nb_dir), seconds=30, what="the killed preview's kernels to exit")

        # Started again, it rebuilds the fixed notebook; SIGTERM stops it cleanly.
        proc, url = start_preview(tmp_path, nb_dir, out)
        wait_for(lambda: state_of(url)["version"] >= 1, what="the second preview's build")
        assert state_of(url)["pages"] == {} and (out / "default" / "00_alpha.html").is_file()
        assert not any(out.parent.glob(".reports.tmp-*"))
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 0
        wait_for(lambda: not kernels_in(nb_dir), seconds=30, what="the warm kernels to be shut down")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


@pytest.mark.slow
def test_a_library_change_restarts_the_preview_with_the_new_code(tmp_path: Path) -> None:
    """On a private copy of the library (PYTHONPATH): a code edit starts the preview again on the
    same port, in the same process, with the new code; an edit that breaks the import shows the
    import error and the preview keeps serving."""
    import shutil

    from alliancelib.paths import DATA_DIR

    proj = tmp_path / "project"
    shutil.copytree(PACKAGE_DIR, proj / "alliancelib", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(DATA_DIR, proj / "data")
    nb_dir = tmp_path / "notebooks"
    # a notebook that draws no chart (matplotlib is the most of a small notebook's kernel time):
    # the restart, not the report, is under test, and the library changes run it twice
    write_notebook(nb_dir, "00_alpha", [RESULT_ONLY])
    env = {**os.environ, "PYTHONPATH": str(proj)}
    proc, url = start_preview(tmp_path, nb_dir, tmp_path / "reports", "--no-warm", env=env)
    try:
        wait_for(lambda: state_of(url)["version"] >= 1, what="the first build")
        fx = proj / "alliancelib" / "fx.py"
        fx.write_text(fx.read_text(encoding="utf-8") + "\nRESTART_MARK = 1\n", encoding="utf-8")
        # the new process serves from version 0, then 1 after its build
        wait_for(lambda: _version_or_none(url) == 0, what="the restart")
        wait_for(lambda: _version_or_none(url) == 1, what="the restarted preview's build")
        assert proc.poll() is None  # the same process (exec), still serving
        fx.write_text(fx.read_text(encoding="utf-8") + "\ndef broken(:\n", encoding="utf-8")
        wait_for(
            lambda: "does not import" in (_state_or_empty(url).get("error") or ""), what="the import error"
        )
        assert "SyntaxError" in state_of(url)["error"] and proc.poll() is None
        assert "the library does not import: SyntaxError" in get(f"{url}/default/00_alpha.html")
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)


def _state_or_empty(url: str) -> dict:
    try:
        return state_of(url)
    except OSError:
        return {}


def _version_or_none(url: str) -> int | None:
    return _state_or_empty(url).get("version")
