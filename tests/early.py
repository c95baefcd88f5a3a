"""Loaded before pytest's plugins (``-p tests.early`` in the Makefile), so that what it defers is
deferred before nbval's plugin imports nbformat and jsonschema; tests/conftest.py calls it too, for a
plain ``pytest`` run (there nbval comes first, and only the test files' own imports are spared)."""

from __future__ import annotations


def defer_rfc3987_syntax() -> None:
    """Load ``rfc3987_syntax`` when jsonschema first checks an IRI, not when jsonschema is imported.

    jsonschema imports it, when installed, to check the "iri" formats; it compiles 38 Lark grammars
    on import (1.5 s of CPU). nbformat imports jsonschema, and the test files that import
    nbformat (``buildkit``) are imported by every pytest process at collection, so each xdist
    worker paid it although no test checks an IRI. In its place stands a module whose one name
    jsonschema takes, ``is_valid_syntax``, imports the real module at its first call and hands over:
    the same checks, paid only when used. Kernels and the ``alliance`` command are other processes.
    """
    import importlib
    import importlib.util
    import sys
    import types

    name = "rfc3987_syntax"
    if name in sys.modules or "jsonschema" in sys.modules or importlib.util.find_spec(name) is None:
        return
    real: list[types.ModuleType] = []

    def is_valid_syntax(term: str, value: str) -> bool:
        if not real:
            del sys.modules[name]
            real.append(importlib.import_module(name))
        return real[0].is_valid_syntax(term, value)

    stand_in = types.ModuleType(name, "Stands in for rfc3987_syntax until its first use (tests/early.py).")
    stand_in.is_valid_syntax = is_valid_syntax  # type: ignore[attr-defined]
    sys.modules[name] = stand_in


defer_rfc3987_syntax()
