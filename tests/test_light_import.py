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
