"""The site's search index: Pagefind, run over each page's body beside the build.

Material's own index is one JSON file of every word on the site, which the
browser downloads and indexes before it shows the first result: 12 MB and 3 s
at a thousand case studies. Pagefind splits its index into chunks by word and
loads only the chunks a query needs, plus the excerpts of the results it shows.

As MkDocs renders each page's body we keep it, bare. Once every body is there,
they go in one file to a helper process, this module run as a program, which
writes each to a scratch folder and then becomes Pagefind, indexing that
folder while MkDocs renders the theme around the pages; the build then waits
for it. (A thousand small files cost a second or more of disk waits, and a
thread writing them starves while MkDocs holds the interpreter.)
(Pagefind's Python client reads one reply every 0.1 s, which is 100 s for a
thousand pages, so we run its command line instead.)
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterable
from pathlib import Path

from markupsafe import Markup, escape

# Permanent-link symbols in headings are not words of the page.
EXCLUDE = ".headerlink"
# Pagefind's ready-made interfaces: our worker talks to pagefind.js, so no page loads them.
UNUSED = (
    "pagefind-ui.*",
    "pagefind-component-ui.*",
    "pagefind-modular-ui.*",
    "pagefind-highlight.js",
)
# Part of a word: "30%" is a figure a reader searches for, not the number 30 anywhere.
WORD_CHARACTERS = "%"
# How long Pagefind may take, in seconds: it indexes a thousand pages in seconds, but
# can deadlock (its output folder deleted as it writes), and a build must not wait forever.
WAIT = 120.0
WAIT_PER_PAGE = 0.1


class SearchIndexError(RuntimeError):
    """Pagefind failed: it could not start, or could not index the pages."""


class SearchIndexer:
    """Collects page bodies, then indexes them with Pagefind in another process."""

    def __init__(
        self, language: str = "en", folder: Path | None = None, *, scratch: Path | None = None
    ) -> None:
        """`folder` keeps the bodies between builds (for `serve`): only changed pages are
        sent. Otherwise the bodies go in a folder of their own in `scratch` (the project's
        scratch folder, which the next build empties if this one is killed)."""
        self._language = language
        self._owned = folder is None
        if folder is None and scratch is not None:
            scratch.mkdir(parents=True, exist_ok=True)
        self._folder = folder or Path(tempfile.mkdtemp(prefix="search-", dir=scratch))
        self._process: subprocess.Popen[bytes] | None = None
        self._output: Path | None = None
        self._pages: dict[str, str] = {}  # a page's file in the scratch folder: its HTML
        self._current: set[str] | None = None  # every page's file, when the build knows them
        self._forgotten: set[str] = set()  # pages the build leaves out of the index
        self._count = 0  # the pages Pagefind indexes
        # `serve` may close this from its main thread while another starts it.
        self._lock = threading.Lock()
        self._closed = False

    def add(
        self,
        url: str,
        title: str,
        body: str,
        *,
        tags: list[str] | None = None,
        weight: float | None = None,
    ) -> None:
        """Add a page: its URL below the site root, its title, its body's HTML and tags.

        Tags weigh most, as in Material's own index: a page tagged with the query
        is about it. `weight` (Material's `search.boost`) lifts the whole page.
        """
        body = Markup(body)  # the page's HTML as MkDocs rendered it, never escaped again
        heading = "" if "<h1" in body else Markup("<h1>%s</h1>") % title
        if tags:
            listed = Markup(", ").join(escape(tag) for tag in tags)
            body = Markup('<p data-pagefind-weight="10">%s</p>') % listed + body
        if weight:
            body = Markup('<div data-pagefind-weight="%s">%s</div>') % (f"{weight:g}", body)
        html = (
            f'<!doctype html><html lang="{escape(self._language)}"><head><meta charset="utf-8">'
            f"</head><body><main data-pagefind-body>{heading}{body}</main></body></html>"
        )
        self._pages[_scratch_name(url)] = html

    def forget(self, url: str) -> None:
        """Leave out a page that was indexed before (under `serve`) and no longer is."""
        self._pages.pop(_scratch_name(url), None)
        self._forgotten.add(_scratch_name(url))

    def keep_only(self, urls: Iterable[str]) -> None:
        """The URLs of every page of the site: a page kept from an earlier build (under
        `serve`) that is not one of them, such as a deleted case study's, leaves the index."""
        self._current = {_scratch_name(url) for url in urls}

    @property
    def started(self) -> bool:
        return self._process is not None

    def start(self, output: Path) -> None:
        """Index the pages added so far into `output`, in the background."""
        with self._lock:
            if self._closed:
                raise SearchIndexError("stopped before it started")
            try:
                self._start(output)
            except OSError as error:
                raise SearchIndexError(f"could not start Pagefind: {error}") from error

    def _start(self, output: Path) -> None:
        self._output = output
        batch = self._folder / ".pages.json"  # Pagefind reads only *.html
        if batch.exists():  # a stopped helper had not written these yet (`serve`)
            self._pages = {**json.loads(batch.read_text(encoding="utf-8")), **self._pages}
        if self._current is not None:
            current = self._current - self._forgotten
            self._pages = {name: html for name, html in self._pages.items() if name in current}
            self._remove_stale(current)
        self._count = len(self._current or self._pages)
        batch.write_text(json.dumps(self._pages), encoding="utf-8")
        self._pages = {}
        command = [
            sys.executable,
            "-m",
            "briefgen.helpers.search",
            str(batch),
            "--site",
            str(self._folder),
            "--output-path",
            str(output),
            "--exclude-selectors",
            EXCLUDE,
            "--include-characters",
            WORD_CHARACTERS,
            "--silent",
        ]
        self._process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)

    def _remove_stale(self, current: set[str]) -> None:
        """Remove the scratch pages of pages no longer built or indexed (`serve`)."""
        for path in list(self._folder.rglob("*.html")):
            if path.relative_to(self._folder).as_posix() not in current:
                path.unlink()
                for folder in path.parents:  # and the folders it leaves empty
                    if folder == self._folder or any(folder.iterdir()):
                        break
                    folder.rmdir()

    def wait(self) -> None:
        """Wait for the index to be written; stop Pagefind if it takes far too long."""
        assert self._process is not None, "start() first"
        timeout = WAIT + WAIT_PER_PAGE * self._count
        try:
            output, _ = self._process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.close()
            raise SearchIndexError(
                f"Pagefind did not finish within {timeout:.0f} seconds, and was stopped; "
                "build again"
            ) from None
        status = self._process.returncode
        self.close()
        if status != 0:
            text = output.decode("utf-8", "replace").strip()
            raise SearchIndexError(f"Pagefind stopped with status {status}: {text}")
        assert self._output is not None
        for pattern in UNUSED:
            for path in self._output.glob(pattern):
                path.unlink(missing_ok=True)

    def close(self) -> None:
        """Stop Pagefind if it still runs, and remove the scratch folder if it is ours."""
        with self._lock:
            self._closed = True
            if self._process is not None:
                _end(self._process)
            if self._owned:
                shutil.rmtree(self._folder, ignore_errors=True)


def _end(process: subprocess.Popen[bytes]) -> None:
    """Stop Pagefind if it still runs, and close our ends of its pipes."""
    if process.poll() is None:
        process.kill()
        process.wait()
    for pipe in (process.stdin, process.stdout, process.stderr):
        if pipe is not None:
            pipe.close()


def _scratch_name(url: str) -> str:
    """A page's file in the scratch folder: its place gives Pagefind the page's URL. (A
    page gives the home's URL as "", its file as "./".)"""
    url = url.removeprefix("./")
    return url + "index.html" if url.endswith("/") or not url else url


def _write_then_index(batch: Path, pagefind_arguments: list[str]) -> None:
    """The helper process: write each page of `batch` to the folder, then become Pagefind."""
    from pagefind.service import get_executable

    folder = batch.parent
    try:
        for relative, html in json.loads(batch.read_text(encoding="utf-8")).items():
            path = folder / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(html, encoding="utf-8")
        batch.unlink()
    except OSError as error:
        sys.exit(f"could not write a page for Pagefind: {error}")
    pagefind = get_executable()
    if pagefind is None:
        sys.exit("the Pagefind program is missing: reinstall briefgen")
    try:
        os.execv(pagefind, [str(pagefind), *pagefind_arguments])
    except OSError as error:
        sys.exit(f"could not start Pagefind ({pagefind}): {error.strerror}")


if __name__ == "__main__":
    _write_then_index(Path(sys.argv[1]), sys.argv[2:])
