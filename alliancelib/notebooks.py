"""The notebook collection: discovery, declared parameters, cleaning of executed notebooks.

Parameters are read from each notebook's cell tagged ``parameters`` (the same way papermill
reads them), so the notebook stays the single place a user edits them; the parameters dataclass
registered in :data:`PARAMS` validates values before a kernel starts, and a test keeps the two
in step.
"""

from __future__ import annotations

import ast
import importlib
import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alliancelib.errors import BuildError
from alliancelib.paths import NOTEBOOKS_DIR

# keeps ipykernel's "running over TCP without encryption" notice out of what users read
QUIET_KERNEL = ("--IPKernelApp.log_level=CRITICAL",)

NAME = re.compile(r"^\d\d_[a-z0-9_]+$")

# notebook name -> "module:ParamsClass" (validated before any kernel starts)
PARAMS: dict[str, str] = {
    "00_claims_and_timeline": "alliancelib.topics.claims:ClaimsParams",
    "01_ownership": "alliancelib.topics.ownership:OwnershipParams",
    "02_india_transfer": "alliancelib.topics.india:IndiaParams",
    "03_ev_pricing": "alliancelib.topics.pricing:PricingParams",
    "04_ampere_investment": "alliancelib.topics.ampere:AmpereParams",
    "05_deal_ledger": "alliancelib.topics.ledger:LedgerParams",
}


@dataclass(frozen=True)
class Parameter:
    """One parameter as its notebook declares it."""

    name: str
    type: str  # annotation as written, e.g. "float", "str | None"
    default: Any
    help: str


def discover(folder: Path = NOTEBOOKS_DIR) -> dict[str, Path]:
    """Every ``NN_topic.ipynb`` in ``folder``, by name, in order."""
    return {p.stem: p for p in sorted(folder.glob("*.ipynb")) if NAME.match(p.stem)}


def read(path: Path) -> dict[str, Any]:
    """A notebook's JSON."""
    return json.loads(path.read_text(encoding="utf-8"))


def parameters_cell(nb: dict[str, Any]) -> dict[str, Any]:
    """The code cell tagged ``parameters``; BuildError if none."""
    for cell in nb["cells"]:
        if cell["cell_type"] == "code" and "parameters" in cell.get("metadata", {}).get("tags", []):
            return cell
    raise BuildError("no code cell tagged 'parameters'")


def declared_parameters(path: Path) -> dict[str, Parameter]:
    """Parameters of a notebook from its parameters cell: ``name: type = default  # help``.

    Every line must be of that form (a literal default, an annotation, a help comment); a line
    that is not is a BuildError naming the notebook and the line.
    """
    try:
        cell = parameters_cell(read(path))
    except BuildError as exc:
        raise BuildError(f"{path.name}: {exc}") from None
    source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
    out: dict[str, Parameter] = {}
    for lineno, line in enumerate(source.splitlines(), 1):
        if not line.strip():
            continue
        code, _, comment = line.partition("#")
        try:
            node = ast.parse(code.strip()).body[0]
        except (SyntaxError, IndexError):
            raise BuildError(f"{path.name}: parameters line {lineno} is not valid: {line!r}") from None
        if not isinstance(node, ast.AnnAssign) or not isinstance(node.target, ast.Name):
            raise BuildError(f"{path.name}: parameters line {lineno} must read 'name: type = value  # help'")
        if node.value is None or not comment.strip():
            raise BuildError(f"{path.name}: parameter line {lineno} needs a default and a help comment")
        if line.count("=") != 1:
            raise BuildError(
                f"{path.name}: parameters line {lineno} has more than one '=': "
                "papermill cannot parse it (keep '=' out of the help comment)"
            )
        out[node.target.id] = Parameter(
            node.target.id,
            ast.unparse(node.annotation),
            ast.literal_eval(node.value),
            comment.strip(),
        )
    return out


def params_class(notebook: str) -> type | None:
    """The registered parameters dataclass of a notebook, or None."""
    target = PARAMS.get(notebook)
    if target is None:
        return None
    module, _, cls = target.partition(":")
    return getattr(importlib.import_module(module), cls)


def validator(notebook: str) -> Callable[..., Any] | None:
    """The registered notebook's ``validate_params`` (every value and every combination check the
    notebook itself runs), or None for a notebook without registered parameters."""
    target = PARAMS.get(notebook)
    if target is None:
        return None
    check: Callable[..., Any] = importlib.import_module(target.partition(":")[0]).validate_params
    return check


def title(path: Path) -> str:
    """The notebook's title (metadata ``title``, else its first heading, else its name)."""
    nb = read(path)
    if nb.get("metadata", {}).get("title"):
        return str(nb["metadata"]["title"])
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            text = "".join(cell["source"])
            for line in text.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return path.stem


def question(path: Path) -> str:
    """The notebook's question: the paragraph of its first cell that starts with **Question.**"""
    nb = read(path)
    first = "".join(nb["cells"][0]["source"]) if nb["cells"] else ""
    for para in first.split("\n\n"):
        if para.startswith("**Question.**"):
            return " ".join(para.replace("**Question.**", "").split())
    return ""


VOLATILE_NB_METADATA = ("papermill", "widgets")
VOLATILE_CELL_METADATA = ("papermill", "execution", "collapsed", "scrolled")


def clean(nb: dict[str, Any]) -> dict[str, Any]:
    """Remove what varies between runs: papermill's and nbclient's timings, absolute paths,
    cell ids; keep outputs and execution counts (nbval's reference)."""
    meta = nb.setdefault("metadata", {})
    for key in VOLATILE_NB_METADATA:
        meta.pop(key, None)
    meta["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    meta["language_info"] = {"name": "python"}
    nb["nbformat"], nb["nbformat_minor"] = 4, 4
    for cell in nb["cells"]:
        cell.pop("id", None)
        cm = cell.setdefault("metadata", {})
        for key in VOLATILE_CELL_METADATA:
            cm.pop(key, None)
        if "tags" in cm and not cm["tags"]:
            del cm["tags"]
    return nb


def dumps(nb: dict[str, Any]) -> str:
    """Notebook JSON exactly as nbformat writes it (lines split, 1-space indent, sorted keys,
    final newline), whatever produced ``nb``: one canonical form for every notebook written."""
    skip_slow_iri_checker()
    import nbformat

    text = nbformat.writes(nbformat.from_dict(nb), version=4)
    return text if text.endswith("\n") else text + "\n"


# Threads of one build import papermill, nbconvert and jupyter_client at the same time (a job's
# kernel starting, its papermill, the exporter made in the background). Python's per-module import
# locks break circular waits by handing out half-initialised modules ("cannot import name ... from
# partially initialized module"), so these imports are made one at a time under this lock.
IMPORT_LOCK = threading.RLock()


def skip_slow_iri_checker() -> None:
    """Keep jsonschema from importing ``rfc3987_syntax`` in this process: it compiles ~35 Lark
    grammars at import (about 0.9 s here) for the ``iri`` formats, which no notebook schema uses
    (python-jsonschema/jsonschema#1428). Call before importing nbformat, papermill or nbconvert."""
    import sys

    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
