"""Worker processes: pools for the work a large build spreads over every core, and how the
PDF process starts.

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

The PDF process always comes from the forkserver, which has WeasyPrint imported
(helpers/forkserver_preload.py): a PDF then starts at once rather than after a
second's import, once the forkserver runs (for `mkdocs serve`, from the first build on).
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import forkserver, util
from multiprocessing.context import BaseContext
from typing import Any

# What workers and the PDF process run, and WeasyPrint: imported once, by the forkserver,
# before it starts any of them (under `mkdocs serve`, and in a test run, it outlives
# every build).
PRELOAD = ["briefgen.helpers.forkserver_preload"]
# How the forkserver learns the folder its socket is in, to remove it as it ends: set in
# the environment only while the first one starts (setenv is unsafe beside other threads).
SOCKET_FOLDER = "BRIEFGEN_FORKSERVER_FOLDER"
_starting = threading.Lock()
_method: str | None = None  # how helpers start, once decided: "forkserver" or "spawn"


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
    return ProcessPoolExecutor(
        cores(), mp_context=context(start_method()), initializer=initializer, initargs=initargs
    )


def helper_context() -> BaseContext:
    """How a helper process starts (the PDF writer): from the forkserver, never forked from
    a build that may run threads; spawned where there is no forkserver."""
    return context(_server_or_spawn())


def warm_up() -> None:
    """Start the forkserver now, if it is not running, so that it imports what helpers
    need while the build goes on (starting a process from it waits for that)."""
    _server_or_spawn()


def context(method: str) -> BaseContext:
    """Python's context for `method`; the forkserver's preloads PRELOAD."""
    chosen = multiprocessing.get_context(method)
    if method == "forkserver":
        chosen.set_forkserver_preload(PRELOAD)
    return chosen


def start_method() -> str:
    """Fork while this process runs no other thread; else the forkserver, or spawn. (Spawned
    workers each import everything again: rendering took 6.1 s that way at 1,000.)"""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return "fork"
    return _server_or_spawn()


def _server_or_spawn() -> str:
    """The forkserver, started if need be; else spawn. The forkserver listens on a socket
    in $TMPDIR, which fails where that path is too long for a socket (over 107 bytes)."""
    global _method
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return "spawn"
    context("forkserver")
    with _starting:
        if _method == "spawn":
            return _method
        try:
            if _method is None:  # the first start: tell it its folder, once (see PRELOAD)
                # Python's own folder for it (multiprocessing.util), made now if need be.
                os.environ[SOCKET_FOLDER] = util.get_temp_dir()
            forkserver.ensure_running()  # again, should it have died
            _method = "forkserver"
        except OSError:
            _method = "spawn"
        finally:
            os.environ.pop(SOCKET_FOLDER, None)
    return _method
