"""Pools of worker processes, for the work a large build spreads over every core.

A standard ProcessPoolExecutor; whatever a worker needs is handed to it by the pool's
initializer. How workers start is chosen by measurement and safety. Forked from the
caller, a worker shares its memory, so what it is handed costs nothing: at 1,000 case
studies on two cores, reading took 1.0 s forked against 1.6 s from the forkserver and
1.7 s in one process, and rendering 1.9 s against 2.5 s and 2.8 s. But a fork copies
other threads' locks half-way through (Python 3.12 warns of it), so the caller is
forked only while it runs no other thread (`mkdocs build`). Otherwise (`mkdocs serve`,
a test runner's threads) workers come from Python's forkserver, one clean process
that imports our modules once, or are spawned where there is none; then what the
initializer is handed must pickle, and a script that starts a pool must do so under
`if __name__ == "__main__":`.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
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
    method = start_method()
    context = multiprocessing.get_context(method)
    if method == "forkserver":
        context.set_forkserver_preload(PRELOAD)
    return ProcessPoolExecutor(
        cores(), mp_context=context, initializer=initializer, initargs=initargs
    )


def start_method() -> str:
    """Fork while this process runs no other thread; else the forkserver, or spawn. (Spawned
    workers each import everything again: rendering took 6.1 s that way at 1,000.)"""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return "fork"
    return "forkserver" if "forkserver" in methods else "spawn"
