"""``import alliancelib`` (and its computing modules) stays light: no matplotlib, papermill,
nbconvert or ipywidgets until a chart is drawn, a build runs or an explorer is built."""

from __future__ import annotations

import subprocess
import sys


def test_heavy_modules_are_imported_only_when_needed() -> None:
    code = (
        "import sys, alliancelib, alliancelib.data, alliancelib.topics.pricing, alliancelib.topics.ownership, "
        "alliancelib.topics.india, alliancelib.topics.ampere, alliancelib.topics.claims, alliancelib.report, alliancelib.explorer; "
        "from alliancelib import explore; "
        "print(sorted(m for m in ('matplotlib', 'papermill', 'nbconvert', 'nbclient', 'ipywidgets') "
        "if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    bare = subprocess.run(
        [sys.executable, "-c", "import sys, alliancelib; print('pandas' in sys.modules)"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert bare.stdout.strip() == "False"


def test_exporting_a_page_s_tables_needs_no_pandas() -> None:
    """A prose edit re-exports a page from the cache: its tables and recorded results become CSV
    files without pandas (about 0.3 s of such a rebuild)."""
    code = (
        "import sys; from alliancelib import export; "
        "nb = {'cells': [{'cell_type': 'code', 'outputs': ["
        "{'output_type': 'display_data', 'data': {'text/csv': 'a\\n1\\n', "
        "'text/html': '<p class=\"alliance-caption\"><em>Stakes</em></p>'}}, "
        "{'output_type': 'display_data', 'data': {'application/vnd.alliancelib.result+json': "
        "{'name': 'x_pct', 'label': 'X', 'value': 1.5, 'unit': '%', 'low': None, 'high': 2}}}]}]}; "
        "tables = export.plan_tables(nb, '01_x'); "
        "print([t.name for t in tables], repr(tables[-1].text.splitlines()[-1]), 'pandas' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == (
        "['01_x_tables/01-stakes.csv', '01_x_tables/02-results.csv'] 'X,1.5,%,,2' False"
    )
