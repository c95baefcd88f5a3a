"""Project paths, resolved from the package location, never from the working directory."""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR: Path = Path(__file__).resolve().parent
ROOT: Path = PACKAGE_DIR.parent
DATA_DIR: Path = ROOT / "data"
NOTEBOOKS_DIR: Path = ROOT / "notebooks"
SCENARIOS_DIR: Path = ROOT / "scenarios"
TEMPLATES_DIR: Path = PACKAGE_DIR / "templates"
DATAPACKAGE: Path = DATA_DIR / "datapackage.json"


def data_dir() -> Path:
    """The data folder in use: ``$ALLIANCE_DATA_DIR`` if set, else the project's ``data/``."""
    override = os.environ.get("ALLIANCE_DATA_DIR")
    return Path(override).resolve() if override else DATA_DIR
