"""Pools of worker processes, for the work a large build spreads over every core.

Workers are never forked from the process that asks for them: a fork copies a
process's threads' locks half-way through (Python 3.12 warns of it), and
`mkdocs serve`, a watcher and many libraries run threads. They are forked from
Python's forkserver instead, one clean single-threaded process started on first
use, which imports our modules once so that each worker starts ready; where a
platform has no forkserver, they are spawned. Whatever a worker needs is handed
to it by its pool's initializer, so it must pickle; and, as with any start method
but fork, a script that starts a pool must do so under `if __name__ == "__main__":`.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any

# What workers run: imported once, by the forkserver, before it forks any of them.
PRELOAD = ["briefgen.content.check", "briefgen.site.render"]


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on macOS
        return os.cpu_count() or 1


def worth_it(jobs: int, least: int) -> bool:
    """Whether `jobs` are enough to repay starting workers: `least` of them, and two cores."""
    return jobs >= least and cores() > 1


def pool(
    initializer: Callable[..., None] | None = None, initargs: tuple[Any, ...] = ()
) -> ProcessPoolExecutor:
    """A pool with a worker a core, each started by `initializer(*initargs)`."""
    # Forkserver over spawn, as measured at 1,000 case studies: spawned workers each
    # import everything again (rendering took 6.1 s that way, 3.4 s from the forkserver).
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    if method == "forkserver":
        context.set_forkserver_preload(PRELOAD)
    return ProcessPoolExecutor(
        cores(), mp_context=context, initializer=initializer, initargs=initargs
    )
