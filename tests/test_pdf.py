"""PDFs that print like a report: every page A4 with nothing beyond the printable width (no
shrunken pages, no scrollbars, no cut-off tables) and the key findings on page one.

Each PDF is checked twice: its print layout in Chromium (print media at A4's printable width:
what would be wider than the paper or cut off, element by element) and its pages rendered to
images with pdftoppm (no ink in the side margins). Representative reports only (the widest
tables, maths, the network charts) and the index, to keep the run short."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import shared
import showcase
from browser import pdf_pages_problems, print_layout_problems, print_scale

from alliancelib import build as b
from alliancelib import notebooks as nbs

pytestmark = pytest.mark.slow
REPRESENTATIVE = ["00_claims_and_timeline", "01_ownership", "03_ev_pricing"]


def first_page_text(pdf: Path) -> str:
    assert shutil.which("pdftotext"), "pdftotext is needed: apt-get install -y poppler-utils"
    return subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout


def print_problems(browser, html: Path, pdf: Path) -> list[str]:
    """Everything that keeps a printed page from fitting: the print layout, Chromium's shrinking
    of the page, and ink in the margins of the rendered pages."""
    page = browser.new_page()
    page.goto(html.as_uri(), wait_until="load")
    problems = print_layout_problems(page)
    scale = print_scale(page, pdf)
    page.close()
    if scale < 0.98:
        problems.append(f"Chromium shrank the printed page to {scale:.0%}: something is wider than the paper")
    return problems + pdf_pages_problems(pdf)


def test_the_showcase_prints_within_the_page(browser, tmp_path: Path) -> None:
    html = showcase.write_report(tmp_path)
    pdf = b.print_pdf(b.find_chromium(), html)
    assert print_problems(browser, html, pdf) == []
    assert "Key findings" in first_page_text(pdf)


def test_the_checks_see_a_page_wider_than_the_paper(browser, tmp_path: Path) -> None:
    wide = tmp_path / "wide.html"
    wide.write_text(
        "<style>@page{size:A4;margin:14mm 13mm}</style><h1>Title</h1>"
        '<div style="overflow-x:auto"><table><tr><td style="white-space:nowrap">'
        + "x" * 300
        + '</td></tr></table></div><div style="width:1000px;height:40px;background:#000"></div>'
    )
    problems = print_problems(browser, wide, b.print_pdf(b.find_chromium(), wide))
    assert any(p.startswith("Chromium shrank the printed page to") for p in problems), problems
    assert any(p.startswith("cut off") for p in problems), problems


@pytest.fixture(scope="module")
def printed(
    shared_reports: Path, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, dict[str, b.Outcome]]:
    """The representative reports of the first scenario and the index, printed by ``--pdf``: a
    build into a copy of the suite's shared build (tests/shared.py), so its cache serves every
    notebook and no kernel starts; only Chromium prints."""
    out = tmp_path_factory.mktemp("pdf") / "reports"
    shutil.copytree(shared_reports, out)
    outcomes = b.build(out, [b.load_scenario(shared.scenario_files()[0])], only=REPRESENTATIVE, pdf=True)
    assert all(o.cached for o in outcomes), "the shared build's cache did not serve the reports"
    return out, {o.job.notebook: o for o in outcomes}


@pytest.mark.parametrize("notebook", REPRESENTATIVE)
def test_representative_reports_print_within_the_page(browser, printed, notebook: str) -> None:
    out, outcomes = printed
    o = outcomes[notebook]
    assert o.ok, f"{notebook} did not run, so it cannot be printed: {o.error}"
    folder = out / o.job.scenario
    html, pdf = folder / f"{notebook}.html", folder / f"{notebook}.pdf"
    assert print_problems(browser, html, pdf) == []
    first = first_page_text(pdf)
    if 'class="alliance-findings"' in html.read_text(encoding="utf-8"):
        assert "Key findings" in first, "the key findings box is not on page one"
    # what made it, on paper too: the title and scenario in the running header, a page number
    assert f"{nbs.title(html.with_suffix('.ipynb'))} — {o.job.scenario} scenario" in " ".join(first.split())
    assert re.search(r"Page 1 of \d+", first) and "all parameters at their defaults" in first


def test_the_index_prints_within_the_page(browser, printed) -> None:
    out, _ = printed
    assert print_problems(browser, out / "index.html", out / "index.pdf") == []
    assert re.search(r"Page 1 of \d+", first_page_text(out / "index.pdf"))  # numbered like the reports


def test_pdf_of_the_index_and_reports(printed) -> None:
    """``--pdf`` prints the reports it builds and the index, and the index links each report's PDF
    (the build of ``printed``: into a copy of the shared build, its cache serving every notebook)."""
    out, outcomes = printed
    index = (out / "index.html").read_text(encoding="utf-8")
    for o in outcomes.values():
        assert f'href="{o.job.scenario}/{o.job.notebook}.pdf"' in index, (
            f"the index does not link {o.job.notebook}.pdf"
        )
    for pdf in (
        out / "index.pdf",
        *(out / o.job.scenario / f"{o.job.notebook}.pdf" for o in outcomes.values()),
    ):
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF") and len(data) > 20_000, pdf


def test_pdf_without_chromium_says_how_to_install(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(b.shutil, "which", lambda name: None)
    monkeypatch.delenv("ALLIANCE_CHROMIUM", raising=False)
    with pytest.raises(b.BuildError, match="apt-get install -y chromium"):
        b.build(tmp_path / "r", only=["02_india_transfer"], pdf=True)
    assert not (tmp_path / "r").exists()
