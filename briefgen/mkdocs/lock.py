"""One build of a project at a time.

Two builds in one project folder share its staging folder, its PDF cache and its scratch
folder: at once, each cleans what the other writes, and both can exit 0 with half a site.
So a build holds a lock on a file in the project's cache folder (the plugin's `cache_dir`)
from its start to its end, and `serve` from its first build to its last; another build
waits for it, and after a while stops and says why. The lock is the kernel's (flock): it
goes with the process, however it ends, so a killed build never leaves it held.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import IO

from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger

try:
    import fcntl
except ImportError:  # Windows: no flock; builds there are not kept apart
    fcntl = None  # type: ignore[assignment]

log = get_plugin_logger(__name__)

WAIT = 600.0
"""How long a build waits for another of the same project, in seconds."""
POLL = 0.2


class ProjectLock:
    """The lock on `<cache_dir>/build.lock`; holding it makes `<cache_dir>/scratch` ours."""

    def __init__(self) -> None:
        self._file: IO[str] | None = None

    @property
    def held(self) -> bool:
        return self._file is not None

    def acquire(self, cache: Path, command: str = "build") -> bool:
        """Hold the lock of the project whose cache folder is `cache`, waiting for another
        build for up to WAIT seconds; False if this holds it already. The lock's file
        names its holder's `command`, so that a build can say at once that a `serve` of
        the project holds it (one that would not end by waiting)."""
        path = cache / "build.lock"
        if self._file is not None:
            if self._file.name == str(path):
                return False
            self.release()  # another project's, which a build stopped by Ctrl-C kept
        try:
            cache.mkdir(parents=True, exist_ok=True)
            file = path.open("a")
        except OSError as error:
            raise PluginError(
                f"Cannot write the build lock {path} ({error.strerror}): briefgen needs "
                "a folder it can write for its cache; set 'cache_dir' under the briefgen plugin."
            ) from error
        deadline, waiting = time.monotonic() + WAIT, False
        try:
            while not _try_lock(file):
                holder = _holder(path)
                if holder.startswith("serve"):
                    raise PluginError(
                        f"A 'mkdocs serve' of this project is running (process "
                        f"{holder.partition(' ')[2] or '?'}) and holds {path}: stop it "
                        "(Ctrl+C), then build again."
                    )
                if time.monotonic() >= deadline:
                    raise PluginError(
                        f"Another build of this project has held {path} for over "
                        f"{WAIT:g} seconds (a 'mkdocs serve' holds it while it runs): "
                        "let it finish or stop it, then build again."
                    )
                if not waiting:
                    log.info(f"Waiting for another build of this project to finish ({path})…")
                    waiting = True
                time.sleep(POLL)
        except BaseException:
            file.close()
            raise
        file.truncate(0)
        file.write(f"{command} {os.getpid()}\n")
        file.flush()
        self._file = file
        return True

    def release(self) -> None:
        if self._file is not None:
            self._file.close()  # closing the file lets the lock go
            self._file = None


def _holder(path: Path) -> str:
    """What the lock's holder wrote in it: its command and process id."""
    try:
        return path.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return ""


def _try_lock(file: IO[str]) -> bool:
    if fcntl is None:
        return True
    try:
        fcntl.flock(file, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except OSError as error:  # a file system without locks
        raise PluginError(
            f"Cannot lock {file.name} ({error.strerror}): set 'cache_dir' under the "
            "briefgen plugin to a folder on a local disk."
        ) from error
    return True


def fresh_scratch(cache: Path) -> Path:
    """`<cache>/scratch`, emptied of what a killed build left in it. Only for the lock's
    holder: no other live build of the project has anything there."""
    scratch = cache / "scratch"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True, exist_ok=True)
    return scratch
