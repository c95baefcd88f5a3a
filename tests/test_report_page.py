"""What a report carries besides its analysis: what made it (scenario, parameters changed from the
defaults, data and code versions: in the title line, the browser tab, a box near the top, the PDF's
running header and results.json), every table's data as a CSV file linked by the table, charts at
twice the density they are shown at, and cues on a phone screen where a table or chart scrolls
sideways. The build-level checks (two scenarios with the same parameters, the cache) use the small
notebooks of tests/buildkit.py; the page-level ones the showcase report (tests/showcase.py)."""

from __future__ import annotations

import base64
import csv
import io
import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
import showcase
from buildkit import findings_notebook

from alliancelib import build as b
from alliancelib import charts, export, provenance, report, results
from alliancelib.provenance import Change, Provenance

MADE = Provenance(
    "cautious",
    "A showcase report",
    (
        Change("Renault share price", "EUR 31.37", "EUR 45.94"),
        Change("Who buys", "Renault (buyback)", "a third party"),
    ),
    "0123456789ab",
    "0.1.0+ba9876543210",
)


# --------------------------------------------------------------------------- tables as CSV


def test_a_table_carries_its_data_as_csv_unrounded_with_the_headers_a_reader_sees() -> None:
    frame = pd.DataFrame(
        {
            "economic_pct": [35.71428571428571, float("nan")],
            "year": [2025, 2026],
            "source_id": ["seed_autoexpert", "seed_autoexpert; amf_renault_voting_rights"],
        }
    )
    bundle = report.table_bundle(frame, "Stakes.")
    assert "35.71" in bundle["text/html"] and "35.7142857143" not in bundle["text/html"]  # the page rounds
    rows = list(csv.reader(io.StringIO(bundle[report.CSV_MIME])))
    assert rows[0] == ["Capital (%)", "Year", "Source"]
    assert rows[1] == ["35.7142857143", "2025", "AutoExpert"]
    assert rows[2][0] == "" and rows[2][2].startswith("AutoExpert; ")
    sources = report.sources_footer_bundle(["seed_autoexpert"])
    assert next(csv.reader(io.StringIO(sources[report.CSV_MIME]))) == [
        "Publisher",
        "Title",
        "Address",
        "Published",
    ]


def test_every_table_and_the_results_get_a_numbered_file() -> None:
    nb = showcase.notebook()
    tables = export.plan_tables(nb, "99_showcase")
    assert [t.name for t in tables] == [
        "99_showcase_tables/01-the-twingo-against-its-segment-a-wide.csv",
        "99_showcase_tables/02-results.csv",
        "99_showcase_tables/03-sources.csv",
    ]
    results_csv = list(csv.reader(io.StringIO(tables[1].text)))
    assert results_csv[0] == ["Result", "Value", "Unit", "Range low", "Range high"]
    assert results_csv[1] == ["What Nissan would raise", "679.27", "EUR m", "551", "700"]
    assert tables[1].rows == 3 and tables[0].rows == 3
    # the results file hangs under the last result row
    last = max(
        (c, o)
        for c, cell in enumerate(nb["cells"])
        for o, out in enumerate(cell.get("outputs", []))
        if results.RESULT_MIME in out["data"]
    )
    assert (tables[1].cell, tables[1].output) == last


def test_the_report_links_each_table_to_its_csv_file_and_rebuilds_byte_identically(tmp_path: Path) -> None:
    html = showcase.write_report(tmp_path / "a")
    text = html.read_text(encoding="utf-8")
    links = re.findall(r'<p class="alliance-download"><a [^>]*href="([^"]+)"[^>]*>Download CSV</a>', text)
    assert links == [t.name for t in export.plan_tables(showcase.notebook(), "99_showcase")]
    for link in links:
        data = (html.parent / link).read_bytes()
        assert data.startswith("\ufeff".encode()) and b"\r\n" not in data  # Excel reads the accents; LF
    assert sorted(p.name for p in (html.parent / "99_showcase_tables").iterdir()) == [
        Path(x).name for x in links
    ]
    showcase.write_report(tmp_path / "b")
    for f in [Path(html.name), *(Path(x) for x in links)]:
        assert (tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes(), f


def test_a_stale_csv_file_does_not_survive_a_new_export(tmp_path: Path) -> None:
    html = showcase.write_report(tmp_path)
    (html.parent / "99_showcase_tables" / "07-old.csv").write_text("x\n")
    showcase.write_report(tmp_path)
    assert not (html.parent / "99_showcase_tables" / "07-old.csv").exists()


def test_tables_and_formulas_get_a_frame_with_a_scroll_cue() -> None:
    body = (
        '<div class="alliance-scroll"><table><tr><td>1</td></tr></table></div>'
        '<p>So <span class="alliance-math-block"><math display="block"><mi>x</mi></math></span></p>'
    )
    framed = export.add_scroll_cues(body)
    assert framed.count('class="alliance-cue"') == 2
    assert '<div class="alliance-frame"><div class="alliance-scroll"><table>' in framed
    assert (
        '<span class="alliance-frame alliance-math-frame"><span class="alliance-math-block"><math' in framed
    )


# --------------------------------------------------------------------------- what made the report


def test_the_report_names_its_scenario_parameters_and_versions(tmp_path: Path) -> None:
    text = showcase.write_report(tmp_path, MADE).read_text(encoding="utf-8")
    assert "<title>A showcase report — cautious scenario</title>" in text
    h1 = re.search(r"<h1 [^>]*>(.*?)</h1>", text, re.S)
    assert h1 and re.sub(r"<[^>]+>", "", h1.group(1)).startswith("A showcase report — cautious scenario")
    box = re.search(r'<details [^>]*class="alliance-made".*?</details>', text, re.S)
    assert box, "no box saying what made the report"
    words = re.sub(r"<[^>]+>", " ", box.group(0))
    for expected in (
        "Cautious scenario",
        "2 parameters differ from the defaults",
        "Renault share price",
        "EUR 31.37",
        "EUR 45.94",
        "data 0123456789ab",
        "code 0.1.0+ba9876543210",
    ):
        assert expected in words, expected
    assert text.index('class="alliance-made"') < text.index('class="alliance-findings"')  # near the top
    assert '@top-left { content: "A showcase report — cautious scenario"' in text  # the PDF's header
    plain = showcase.write_report(
        tmp_path / "defaults", Provenance("base", "A showcase report", (), "d", "c")
    )
    assert "all parameters at their defaults" in plain.read_text(encoding="utf-8")


def test_nothing_in_the_box_varies_between_builds_or_places(tmp_path: Path) -> None:
    first = showcase.write_report(tmp_path / "a", MADE).read_text(encoding="utf-8")
    second = showcase.write_report(tmp_path / "b", MADE).read_text(encoding="utf-8")
    assert first == second and str(tmp_path) not in first


def test_a_title_with_quotes_cannot_break_the_page_header() -> None:
    css = provenance.page_css(Provenance("base", 'He said "no" \\ </style>'))
    assert '"He said \\"no\\" \\\\ \\3C /style> — base scenario"' in css and "</style>" not in css


def test_the_data_version_follows_the_data_content(data_copy: Path) -> None:
    base = provenance.data_version()
    assert re.fullmatch(r"[0-9a-f]{12}", base)
    assert provenance.data_version(data_copy) == base  # the same data anywhere: the same version
    facts = data_copy / "facts.csv"
    facts.write_bytes(facts.read_bytes() + b"\n")
    assert provenance.data_version(data_copy) != base


def test_the_code_version_is_the_package_version_and_a_source_hash() -> None:
    from alliancelib import __version__

    assert re.fullmatch(re.escape(__version__) + r"\+[0-9a-f]{12}", provenance.code_version())


def test_the_changed_parameters_read_in_labels_and_units(tmp_path: Path) -> None:
    from alliancelib.paths import NOTEBOOKS_DIR
    from alliancelib.scenarios import plan

    (job,) = plan([b.Scenario("mine")], {"renault_share_price_eur": 38.5}, ["01_ownership"], NOTEBOOKS_DIR)
    made = provenance.of_job(job)
    assert made.scenario == "mine" and made.title.startswith("Who owns whom")
    assert [(c.value, c.default) for c in made.changes] == [("EUR 38.5", "EUR 45.94")]
    assert "_" not in made.changes[0].label


# --------------------------------------------------------------------------- charts


def test_charts_are_drawn_at_twice_the_density_they_are_shown_at() -> None:
    def bundle():
        fig, ax = charts.figure(6, 3)
        ax.plot([1, 2, 3], [1, 4, 9])
        charts.style_axes(ax, title="It rises")
        return charts.finish(fig, source="Source: a test.", alt="A rising line.")

    first, second = bundle(), bundle()
    png = base64.b64decode(first["data"]["image/png"])
    width, height = charts.png_size(png)
    meta = first["metadata"]["image/png"]
    assert abs(width - 2 * meta["width"]) <= 1 and abs(height - 2 * meta["height"]) <= 1
    assert 6 * charts.DPI * 0.9 < meta["width"] < 6 * charts.DPI * 1.1  # shown at the figure's size
    assert first == second  # same drawing, same bytes


def test_the_report_shows_a_chart_at_its_css_size(tmp_path: Path) -> None:
    text = showcase.write_report(tmp_path).read_text(encoding="utf-8")
    meta = showcase.notebook()["cells"][4]["outputs"][0]["metadata"]["image/png"]
    img = re.search(r"<img [^>]*>", text)
    assert img and f'width="{meta["width"]}"' in img.group(0) and f'height="{meta["height"]}"' in img.group(0)


# --------------------------------------------------------------------------- builds


@pytest.mark.slow
def test_two_scenarios_with_the_same_parameters_each_name_themselves(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "notebooks"
    findings_notebook(folder)
    out = tmp_path / "reports"
    scenarios = [b.Scenario("first"), b.Scenario("second", notebooks={"00_alpha": {"x": 3}})]
    b.build(out, scenarios, notebook_dir=folder)
    twins = [b.Scenario("first"), b.Scenario("twin")]  # the same parameters: one cache entry
    monkeypatch.setattr(b.runner, "execute", lambda *a, **k: pytest.fail("a kernel was started"))
    outcomes = b.build(out, twins, notebook_dir=folder)
    assert all(o.cached for o in outcomes)
    for name in ("first", "twin"):
        html = (out / name / "00_alpha.html").read_text(encoding="utf-8")
        assert f"<title>Alpha — {name} scenario</title>" in html
        assert f"{name.capitalize()} scenario</span>" in html and "all parameters at their defaults" in html
        doc = json.loads((out / name / "results.json").read_text())
        assert f"data {doc['data_version']}" in html and f"code {doc['code_version']}" in html
        assert (out / name / "00_alpha_tables" / "01-results.csv").is_file()  # written for a cached copy too
    shutil.rmtree(out / "twin")
    b.build(out, [b.Scenario("second", notebooks={"00_alpha": {"x": 3}})], notebook_dir=folder)
    html = (out / "second" / "00_alpha.html").read_text(encoding="utf-8")
    assert (
        "1 parameter differs from the defaults" in html and "<td>The input</td><td>3</td><td>1</td>" in html
    )


# --------------------------------------------------------------------------- in a browser

CUES_JS = """() => [...document.querySelectorAll('.alliance-frame')].map(f => {
  const box = f.querySelector('.alliance-scroll, .alliance-math-block'), cue = f.querySelector('.alliance-cue');
  const kind = f.closest('.alliance-chart') ? 'chart' : (f.classList.contains('alliance-math-frame') ? 'math' : 'table');
  return {kind: kind, scrolls: box.scrollWidth > box.clientWidth + 1,
          cue: parseFloat(getComputedStyle(cue).opacity),
          imgWidth: f.querySelector('img') ? f.querySelector('img').getBoundingClientRect().width : null};
})"""


@pytest.fixture(scope="module")
def page_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return showcase.write_report(tmp_path_factory.mktemp("page"), MADE)


@pytest.mark.slow
def test_on_a_phone_what_scrolls_says_so_and_charts_keep_a_readable_width(browser, page_report: Path) -> None:
    from browser import open_page, screenshot_path

    page, problems, _ = open_page(browser, page_report, width=390, height=900)
    frames = page.evaluate(CUES_JS)
    assert not problems
    wide_table = next(f for f in frames if f["kind"] == "table" and f["scrolls"])
    assert wide_table["cue"] > 0.9, "a table wider than the phone shows no scroll cue"
    assert all(f["cue"] == 0 for f in frames if not f["scrolls"]), "a cue on a box that does not scroll"
    chart = next(f for f in frames if f["kind"] == "chart")
    assert chart["imgWidth"] >= 600 and chart["scrolls"] and chart["cue"] > 0.9  # text at >= 2/3 of its size
    assert (
        page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 1
    )  # only the frames scroll
    page.locator(".alliance-caption + .alliance-frame").first.screenshot(
        path=str(screenshot_path("cue-390px.png"))
    )
    assert any(f["kind"] == "math" for f in frames)  # formulas on their own line are framed too
    page.evaluate(
        "document.querySelectorAll('.alliance-scroll, .alliance-math-block')"
        ".forEach(e => e.scrollLeft = e.scrollWidth)"
    )
    page.wait_for_timeout(100)
    assert all(f["cue"] < 0.1 for f in page.evaluate(CUES_JS)), "the cue stays once scrolled to the end"
    page.close()


@pytest.mark.slow
def test_on_a_desktop_nothing_scrolls_and_no_cue_shows(browser, page_report: Path) -> None:
    from browser import open_page

    page, _, _ = open_page(browser, page_report, width=1280, height=900)
    frames = page.evaluate(CUES_JS)
    chart = next(f for f in frames if f["kind"] == "chart")
    assert not chart["scrolls"] and chart["cue"] == 0 and chart["imgWidth"] <= 920
    assert all(f["cue"] == 0 for f in frames if not f["scrolls"])
    # the box of what made the report opens on the parameters changed
    assert not page.locator(".alliance-made table").is_visible()
    page.locator(".alliance-made summary").click()
    assert page.locator(".alliance-made table").is_visible()
    page.close()


@pytest.mark.slow
def test_the_pdf_has_page_numbers_and_the_title_and_scenario_on_every_page(page_report: Path) -> None:
    import subprocess

    pdf = b.print_pdf(b.find_chromium(), page_report)
    assert shutil.which("pdftotext"), "pdftotext is needed: apt-get install -y poppler-utils"
    pages = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout.split("\f")
    pages = [p for p in pages if p.strip()]
    assert len(pages) >= 2
    for number, text in enumerate(pages, 1):
        assert f"Page {number} of {len(pages)}" in text, f"page {number} has no page number"
        assert "A showcase report — cautious scenario" in text, f"page {number} has no running header"
    first = " ".join(pages[0].split())
    for expected in (
        "2 parameters differ from the defaults",
        "Renault share price",
        "EUR 31.37",
        "data 0123456789ab",
    ):
        assert expected in first, f"the PDF's first page lacks {expected!r}"  # the box prints open
