"""Re-execute the committed notebooks in place with their defaults, cleanly.

nbclient runs each notebook in its own folder (as nbval does) with timing records off; the
result is cleaned (:func:`alliancelib.notebooks.clean`) so the committed outputs, nbval's
reference, hold no timestamps, absolute paths, memory addresses or random ids.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from alliancelib import notebooks as nbs
from alliancelib.errors import BuildError
from alliancelib.paths import NOTEBOOKS_DIR


def refresh_one(path: Path, timeout_s: int = 600) -> None:
    """Execute ``path`` with its defaults and write it back cleaned (only if it succeeded)."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(str(path), as_version=4)
    client = NotebookClient(
        nb,
        timeout=timeout_s,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        record_timing=False,
        extra_arguments=list(nbs.QUIET_KERNEL),
    )
    client.execute()
    text = nbs.dumps(nbs.clean(nbformat.from_dict(nb)))
    tmp = path.with_suffix(".ipynb.tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)


def refresh(names: Sequence[str] = (), folder: Path = NOTEBOOKS_DIR) -> list[Path]:
    """Refresh the named notebooks (all when none given); returns the paths written. An unknown
    name is a BuildError before anything runs."""
    found = nbs.discover(folder)
    unknown = [n for n in names if n not in found]
    if unknown:
        raise BuildError(f"no such notebook(s): {', '.join(unknown)}; notebooks: {', '.join(found)}")
    done = []
    for name in names or list(found):
        refresh_one(found[name])
        done.append(found[name])
    return done
