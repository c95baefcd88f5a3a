"""Project paths, resolved from the package location, never from the working directory."""

from __future__ import annotations

from pathlib import Path

PACKAGE_DIR: Path = Path(__file__).resolve().parent
ROOT: Path = PACKAGE_DIR.parent
DATA_DIR: Path = ROOT / "data"
NOTEBOOKS_DIR: Path = ROOT / "notebooks"
SCENARIOS_DIR: Path = ROOT / "scenarios"
TEMPLATES_DIR: Path = PACKAGE_DIR / "templates"
DATAPACKAGE: Path = DATA_DIR / "datapackage.json"
