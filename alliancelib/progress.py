"""Progress of a build on stderr: a bar on a terminal, one plain line per notebook otherwise
(CI logs, pipes), e.g. ``[2/5] base/01_ownership: ok (3.1 s)``."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from alliancelib.runner import Outcome

Tick = Callable[["Outcome"], None]


def state(o: Outcome) -> str:
    """How an outcome reads in the progress: ``ok``, ``cached`` or ``FAILED: <error>``."""
    if not o.ok:
        return f"FAILED: {o.error}"
    return "cached" if o.cached else "ok"


def progress(total: int) -> Tick:
    """A function to call once per finished notebook (``total`` in all)."""
    if sys.stderr.isatty():
        return _bar(total)
    done = [0]

    def line(o: Outcome) -> None:
        done[0] += 1
        print(
            f"[{done[0]}/{total}] {o.job.scenario}/{o.job.notebook}: {state(o)} ({o.seconds:.1f} s)",
            file=sys.stderr,
            flush=True,
        )

    return line


def _bar(total: int) -> Tick:
    from tqdm import tqdm

    bar = tqdm(total=total, unit="notebook", file=sys.stderr)

    def tick(o: Outcome) -> None:
        bar.set_postfix_str(f"{o.job.scenario}/{o.job.notebook}")
        bar.update(1)
        if bar.n == total:
            bar.close()

    return tick
