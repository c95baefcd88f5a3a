"""JupyterLab as a user meets it: a real server on loopback, a notebook opened in Chromium, Run
All, then the charts and recorded results are there and no cell shows an error (alliancelib
imports in the notebook's kernel); and the library's displays (key findings box, results table,
tables, maths) render in JupyterLab itself as they do in the reports."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from browser import screenshot_path

from alliancelib.paths import NOTEBOOKS_DIR
from alliancelib.topics import claims

pytestmark = pytest.mark.slow
NOTEBOOK = "00_claims_and_timeline.ipynb"
SHOWCASE = "99_lab_showcase.ipynb"
EXPLORE = "98_explore.ipynb"
TOKEN = "alliance-test-token"
SHOWCASE_CODE = [
    "from alliancelib import findings, report, results\n"
    "import pandas as pd\n"
    "findings.show_key_findings('99_lab_showcase', [\n"
    "    findings.Finding('a', 'Renault owns **35.7%** of Nissan.'),\n"
    "    findings.Finding('b', 'Nissan would raise about **EUR 680m**.'),\n"
    "    findings.Finding('c', 'The integrated stake is 37.0%.')],\n"
    "    since='Nothing sold yet.', news_as_of='2026-03-12', fx_as_of='2025-03-31')",
    "specs = [results.ResultSpec('sale_proceeds_eur_m', 'EUR m', 'What Nissan would raise', 0),\n"
    "         results.ResultSpec('renault_in_nissan_economic_pct', '%', \"Renault's share of Nissan's capital\", 2),\n"
    "         results.ResultSpec('nissan_commitment_jpy_bn', 'JPY bn', \"Nissan's commitment in yen\", 1)]\n"
    "results.show_results(results.make_results(specs, {'sale_proceeds_eur_m': 679.27,\n"
    "    'renault_in_nissan_economic_pct': 35.714, 'nissan_commitment_jpy_bn': 96.96},\n"
    "    ranges={'sale_proceeds_eur_m': (551.0, 700.0)}))",
    "report.show_table(pd.DataFrame({'holder': ['Renault'], 'economic_pct': [35.714],\n"
    "                                'source_id': ['seed_autoexpert']}), 'Stakes.')",
]


def showcase_notebook() -> dict:
    cells = [
        {
            "cell_type": "markdown",
            "id": "m0",
            "metadata": {},
            "source": "# Showcase\n\nIntegrated ownership is $\\tilde W = (I - W)^{-1} W$.",
        }
    ]
    cells += [
        {
            "cell_type": "code",
            "id": f"c{i}",
            "metadata": {},
            "execution_count": None,
            "outputs": [],
            "source": code,
        }
        for i, code in enumerate(SHOWCASE_CODE)
    ]
    return {
        "cells": cells,
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    }


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def explore_notebook() -> dict:
    """One cell: the what-if explorer of 05 as the cell's last line."""
    nb = showcase_notebook()
    nb["cells"] = [
        {
            "cell_type": "code",
            "id": "e0",
            "metadata": {},
            "execution_count": None,
            "outputs": [],
            "source": 'from alliancelib import explore\nexplore("05_deal_ledger")',
        }
    ]
    return nb


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory):
    """One JupyterLab server for the file's tests, on loopback, its settings and workspaces in a
    temporary folder, serving a folder with a copy of 00 and the notebooks the tests write."""
    tmp_path = tmp_path_factory.mktemp("lab")
    root = tmp_path / "work"
    root.mkdir()
    shutil.copy(NOTEBOOKS_DIR / NOTEBOOK, root)  # a copy: autosave never touches the committed one
    (root / SHOWCASE).write_text(json.dumps(showcase_notebook()), encoding="utf-8")
    (root / EXPLORE).write_text(json.dumps(explore_notebook()), encoding="utf-8")
    port = free_port()
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(tmp_path / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / "workspaces"),
    }
    log = (tmp_path / "server.log").open("w")
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            f"--IdentityProvider.token={TOKEN}",
            f"--ServerApp.root_dir={root}",
            "--LabApp.expose_app_in_browser=True",
            "--LabApp.news_url=",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--LabApp.extension_manager=readonly",
            *(["--allow-root"] if os.geteuid() == 0 else []),
        ],  # CI runs as root
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
        cwd=root,
    )
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


@pytest.fixture(scope="module")
def lab_context(browser):
    """One browser context for the file's tests (a page each): JupyterLab's scripts and styles are
    fetched and compiled once."""
    context = browser.new_context()
    yield context
    context.close()


@pytest.fixture
def lab_page(lab_context):
    page = lab_context.new_page()
    yield page
    page.close()


def run_all(page, base: str, notebook: str) -> list[dict]:
    """Open ``notebook`` in JupyterLab, Run All with JupyterLab's own command, wait until every code
    cell ran, and return every output (from JupyterLab's model)."""
    # reset: the workspace the server keeps from the notebook opened before is not restored
    page.goto(f"{base}/lab/tree/{notebook}?reset&token={TOKEN}", wait_until="domcontentloaded")
    page.wait_for_function(
        "window.jupyterapp && document.querySelector('.jp-Notebook .jp-Cell')", timeout=60_000
    )
    # wait for the kernel, then Run All through JupyterLab's own command
    page.wait_for_function(
        "() => { const w = window.jupyterapp.shell.currentWidget;"
        " return w && w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel"
        " && w.sessionContext.session.kernel.status === 'idle'; }",
        timeout=60_000,
    )
    page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
    code_cells = page.locator(".jp-Notebook .jp-CodeCell").count()
    page.wait_for_function(
        "n => [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')]"
        ".filter(e => /\\[\\d+\\]/.test(e.textContent)).length === n",
        arg=code_cells,
        timeout=120_000,
    )
    # JupyterLab renders only the cells near the viewport: read the outputs from its model
    return page.evaluate(
        "() => { const cells = window.jupyterapp.shell.currentWidget.content.model.cells; const out = [];"
        " for (let i = 0; i < cells.length; i++) { const c = cells.get(i);"
        "   if (c.type === 'code') { const o = c.outputs.toJSON(); out.push(...o); } } return out; }"
    )


def test_run_all_in_jupyterlab(lab, lab_page) -> None:
    base, root = lab
    page = lab_page
    page.set_viewport_size({"width": 1400, "height": 1000})
    outputs = run_all(page, base, NOTEBOOK)
    shown = page.eval_on_selector_all(
        ".jp-OutputArea-output img", "els => els.filter(e => e.complete && e.naturalWidth > 0).length"
    )
    page.screenshot(path=str(screenshot_path("jupyterlab-run-all.png")))
    assert not [o for o in outputs if o["output_type"] == "error" or o.get("name") == "stderr"]
    charts = [o for o in outputs if "image/png" in o.get("data", {})]
    committed = json.loads((NOTEBOOKS_DIR / NOTEBOOK).read_text(encoding="utf-8"))
    drawn = sum("image/png" in o.get("data", {}) for c in committed["cells"] for o in c.get("outputs", []))
    assert drawn >= 2 and len(charts) == drawn and shown >= 1  # every chart computed, those on screen decoded
    recorded = {
        o["data"]["application/vnd.alliancelib.result+json"]["name"]: o["data"]["text/plain"]
        for o in outputs
        if "application/vnd.alliancelib.result+json" in o.get("data", {})
    }
    assert ": 18 claims" in recorded["claims_total"]  # alliancelib ran in the kernel
    assert len(recorded) == len(claims.RESULTS)  # every result recorded


def test_library_displays_render_in_jupyterlab(lab, lab_page) -> None:
    """The key findings box, the results rows (one output each) lined up as one table, a table with
    a publisher link, and typeset maths, as JupyterLab renders them."""
    base, _ = lab
    page = lab_page
    page.set_viewport_size({"width": 1400, "height": 1000})
    outputs = run_all(page, base, SHOWCASE)
    page.wait_for_selector(".alliance-results-row")
    columns = page.evaluate("""() => [...document.querySelectorAll('.alliance-results-head, .alliance-results-row')]
        .map(row => [...row.children].map(c => Math.round(c.getBoundingClientRect().left)))""")
    box = page.locator("aside.alliance-findings").inner_text()
    link = page.locator('a[href="#src-seed_autoexpert"]').inner_text()
    maths = page.locator(".jp-MarkdownCell mjx-container, .jp-MarkdownCell .MathJax").count()
    page.screenshot(path=str(screenshot_path("jupyterlab-library-displays.png")))
    assert not [o for o in outputs if o["output_type"] == "error" or o.get("name") == "stderr"]
    assert len([o for o in outputs if "application/vnd.alliancelib.result+json" in o.get("data", {})]) == 3
    assert len(columns) == 4 and all(c == columns[0] for c in columns), columns  # one table
    assert box.startswith("Key findings · news to 2026-03-12 · latest exchange rate used 2025-03-31")
    assert link == "AutoExpert" and maths >= 1


def test_the_what_if_explorer_works_in_jupyterlab(lab, lab_page) -> None:
    """explore(...) as a cell's last line shows its controls, findings box and chart in JupyterLab,
    and choosing another option in a drop-down redraws the findings in the browser."""
    base, _ = lab
    page = lab_page
    page.set_viewport_size({"width": 1400, "height": 1100})
    outputs = run_all(page, base, EXPLORE)
    page.wait_for_selector("aside.alliance-findings", timeout=60_000)
    sliders = page.locator(".widget-slider").count()
    before = page.locator("aside.alliance-findings").inner_text()
    chart = page.eval_on_selector_all(".widget-image", "els => els.filter(e => e.naturalWidth > 0).length")
    page.locator(".widget-dropdown select").first.select_option(label="Renault (buyback)")
    page.wait_for_function(
        "t => document.querySelector('aside.alliance-findings').innerText !== t",
        arg=before,
        timeout=60_000,
    )
    after = page.locator("aside.alliance-findings").inner_text()
    page.screenshot(path=str(screenshot_path("jupyterlab-explore.png")))
    assert not [o for o in outputs if o["output_type"] == "error" or o.get("name") == "stderr"]
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs)
    assert sliders == 3 and chart == 1  # share sold, share price, Nissan's stake; the cash chart
    assert before.startswith("Key findings") and after.startswith("Key findings") and after != before
