"""What `mkdocs serve --dirty` keeps between rebuilds, so a save rebuilds only what changed.

MkDocs keeps the plugin's instance across a `serve` session's rebuilds; this is the part of
it that outlives one build. `ServeSession()` is a session's start, and `end()` its end.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from briefgen.mkdocs.background import Landing
from briefgen.mkdocs.lock import ProjectLock
from briefgen.site.documents import PageBody
from briefgen.site.render import RenderMemo, make_environment

TEMPLATES = Path(__file__).parent.parent / "templates"


class ServeSession:
    def __init__(self, command: str = "build", dirty: bool = False) -> None:
        # `serve` builds into a temporary folder, and a dirty build adds to the last one:
        # only a clean `build` (or `gh-deploy`) is staged and swapped in.
        self.stage_builds = command != "serve" and not dirty
        # Not under `serve`: a rebuild renders only the pages that changed, too few to share.
        self.parallel = command != "serve"
        # Rebuild only the pages whose HTML changed, and never wait for search or PDFs.
        self.dirty = command == "serve" and dirty
        self.read_cache: dict[Any, Any] = {}  # what each content file read gave
        self.fingerprints: dict[str, str] = {}  # each generated page, as last built
        self.pdf_bodies: dict[str, PageBody] = {}  # the pages the PDFs print
        self.search_folder: Path | None = None  # Pagefind's scratch pages
        # One build of a project at a time; `serve` holds the lock from its first build
        # to its end, as its rebuilds' search index and PDFs land after the build.
        self.lock = ProjectLock()
        self.keeps_lock = command == "serve"
        self.scratch = Path()  # `<cache_dir>/scratch`, the helpers' scratch folders, once locked
        self.landing = Landing()
        self._environment: tuple[Path | None, Any] | None = None
        self._memo = RenderMemo()
        self._templates_stamp: tuple[Any, ...] = ()

    def end(self) -> None:
        """Stop the last rebuild's search index and PDFs, so their processes and scratch
        folders end with the session."""
        self.landing.supersede()
        self.lock.release()

    def environment(self, override: Path | None) -> Any:
        """The Jinja environment for page bodies; under `serve --dirty`, kept across
        rebuilds, so templates are compiled once, and again only when edited."""
        if not self.dirty:
            return make_environment(override)
        if self._environment is None or self._environment[0] != override:
            self._environment = (override, make_environment(override, auto_reload=True))
        return self._environment[1]

    def memo(self, override: Path | None) -> RenderMemo | None:
        """Under `serve --dirty`: pages rendered before, forgotten when a template changes."""
        if not self.dirty:
            return None
        folders = [TEMPLATES, *([override] if override else [])]
        stamp = tuple(
            (path, path.stat().st_mtime_ns)
            for folder in folders
            if folder.is_dir()
            for path in sorted(folder.rglob("*"))
        )
        if stamp != self._templates_stamp:
            self._memo.clear()
            self._templates_stamp = stamp
        return self._memo
