"""JupyterLab as a user meets it: a real server on loopback, a notebook opened in Chromium, Run
All, then the charts and recorded results are there and no cell shows an error (alliancelib
imports in the notebook's kernel)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from browser import CHROMIUM_ARGS, chromium_path, screenshot_path
from playwright.sync_api import sync_playwright

from alliancelib.paths import NOTEBOOKS_DIR

pytestmark = pytest.mark.slow
NOTEBOOK = "00_claims_and_timeline.ipynb"
TOKEN = "alliance-test-token"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def lab(tmp_path: Path):
    root = tmp_path / "work"
    root.mkdir()
    shutil.copy(NOTEBOOKS_DIR / NOTEBOOK, root)  # a copy: autosave never touches the committed one
    port = free_port()
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
           "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
           "JUPYTERLAB_SETTINGS_DIR": str(tmp_path / "settings"),
           "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / "workspaces")}
    log = (tmp_path / "server.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ServerApp.ip=127.0.0.1",
         f"--ServerApp.port={port}", f"--IdentityProvider.token={TOKEN}", f"--ServerApp.root_dir={root}",
         "--LabApp.expose_app_in_browser=True", "--LabApp.news_url=",
         "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
         "--LabApp.extension_manager=readonly",
         *(["--allow-root"] if os.geteuid() == 0 else [])],  # CI runs as root
        stdout=log, stderr=subprocess.STDOUT, env=env, cwd=root)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"{base}/api/status?token={TOKEN}", timeout=2)
            break
        except OSError:
            assert proc.poll() is None, (tmp_path / "server.log").read_text()
            assert time.monotonic() < deadline, "JupyterLab did not start in 60 s"
            time.sleep(0.3)
    yield base, root
    proc.terminate()
    try:
        proc.wait(20)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


def test_run_all_in_jupyterlab(lab) -> None:
    base, root = lab
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{base}/lab/tree/{NOTEBOOK}?token={TOKEN}", wait_until="domcontentloaded")
        page.wait_for_function("window.jupyterapp && document.querySelector('.jp-Notebook .jp-Cell')",
                               timeout=60_000)
        # wait for the kernel, then Run All through JupyterLab's own command
        page.wait_for_function(
            "() => { const w = window.jupyterapp.shell.currentWidget;"
            " return w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel"
            " && w.sessionContext.session.kernel.status === 'idle'; }", timeout=60_000)
        page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
        code_cells = page.locator(".jp-Notebook .jp-CodeCell").count()
        page.wait_for_function(
            "n => [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')]"
            ".filter(e => /\\[\\d+\\]/.test(e.textContent)).length === n", arg=code_cells, timeout=120_000)
        # JupyterLab renders only the cells near the viewport: read the outputs from its model
        outputs = page.evaluate(
            "() => { const cells = window.jupyterapp.shell.currentWidget.content.model.cells; const out = [];"
            " for (let i = 0; i < cells.length; i++) { const c = cells.get(i);"
            "   if (c.type === 'code') { const o = c.outputs.toJSON(); out.push(...o); } } return out; }")
        shown = page.eval_on_selector_all(
            ".jp-OutputArea-output img", "els => els.filter(e => e.complete && e.naturalWidth > 0).length")
        page.screenshot(path=str(screenshot_path("jupyterlab-run-all.png")))
        browser.close()
    assert not [o for o in outputs if o["output_type"] == "error" or o.get("name") == "stderr"]
    charts = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(charts) == 2 and shown >= 1  # both charts computed, those on screen decoded
    recorded = {o["data"]["application/vnd.alliancelib.result+json"]["name"]: o["data"]["text/plain"]
                for o in outputs if "application/vnd.alliancelib.result+json" in o.get("data", {})}
    assert recorded["claims_total"].endswith(": 17 claims")  # alliancelib ran in the kernel
    assert len(recorded) == 6
