"""Small helpers for tests that edit copies of data files."""

from __future__ import annotations

from pathlib import Path


def replace_in(path: Path, old: str, new: str) -> None:
    """Replace the one occurrence of ``old`` in a file (fails loudly if absent)."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(path: Path, needle: str) -> int:
    """1-based line number of the first line containing ``needle``."""
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return i
    raise AssertionError(f"{needle!r} not in {path.name}")
