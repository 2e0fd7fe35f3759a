"""The helpers a build starts beside MkDocs (the search index and the PDFs), and how their
work lands in the site: awaited by `build`; in a thread under `serve`, so the page a
writer is looking at reloads at once and search and PDFs follow."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger

from briefgen.helpers import pdf, search

log = get_plugin_logger(__name__)


@dataclass
class Helpers:
    """One build's helper processes; either may be absent (search or PDFs off)."""

    search: search.SearchIndexer | None = None
    pdfs: pdf.BackgroundPdfs | None = None

    def close(self) -> None:
        """Stop both, and let their processes and scratch folders go."""
        if self.search is not None:
            self.search.close()
        if self.pdfs is not None:
            self.pdfs.close()

    def land(self, site: Path) -> None:
        """Wait for the search index and the PDFs, and put them in the site. Under `serve`,
        the index starts here, once the rebuild is done."""
        if self.search is not None:
            try:
                if not self.search.started:
                    self.search.start(site / "pagefind")
                self.search.wait()
            except search.SearchIndexError as error:
                if self.pdfs is not None:
                    self.pdfs.close()
                raise PluginError(f"Error writing the search index: {error}") from error
        if self.pdfs is not None:
            errors = self.pdfs.collect(site)
            if errors:
                listed = "".join(f"Error writing '{dest}': {e}\n" for dest, e in errors.items())
                # A helper stopped for taking too long is no sign of a missing library.
                if all("not laid out within" in e for e in errors.values()):
                    raise PluginError(listed.rstrip("\n"))
                raise PluginError(
                    listed + "PDFs need WeasyPrint and Pango; set 'pdf: false' under the "
                    "briefgen plugin to build without them."
                )


class Landing:
    """The last `serve` rebuild's helpers, landing in a thread of their own."""

    def __init__(self) -> None:
        self._helpers: Helpers | None = None
        self._thread: threading.Thread | None = None
        self._superseded = threading.Event()

    def start(self, helpers: Helpers, site: Path) -> None:
        self.supersede()
        self._helpers, self._superseded = helpers, threading.Event()
        self._thread = threading.Thread(
            target=self._land_quietly, args=(helpers, site, self._superseded), daemon=True
        )
        self._thread.start()

    def wait(self) -> None:
        """Let the search index and PDFs land (tests wait; a new save supersedes)."""
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def supersede(self) -> None:
        """A new save makes the last rebuild's search index and PDFs out of date: stop
        them rather than wait (Pagefind takes seconds over a large library). The new
        rebuild's own index takes in every page, the unfinished one's changes too."""
        if self._helpers is not None:
            self._superseded.set()
            self._helpers.close()
            self._helpers = None
        self.wait()

    @staticmethod
    def _land_quietly(helpers: Helpers, site: Path, superseded: threading.Event) -> None:
        """A failure is logged, and the next save retries; work stopped because a newer
        save superseded it is no failure."""
        try:
            helpers.land(site)
        except Exception as error:
            if superseded.is_set():
                return  # stopped halfway by the newer save's rebuild, which does it again
            if not isinstance(error, PluginError):
                raise
            log.error(str(error))
