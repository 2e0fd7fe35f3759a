"""The site's search index: Pagefind, fed each page's body as the site is built.

Material's own index is one JSON file of every word on the site, which the
browser downloads and indexes before it shows the first result: 12 MB and 3 s
at a thousand case studies. Pagefind splits its index into chunks by word and
loads only the chunks a query needs, plus the excerpts of the results it shows.

Pagefind indexes in its own process, so it works while MkDocs renders the
theme. Pages are sent one after another, in the build's order, so that two
builds of the same content write the same files.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape

# Permanent-link symbols in headings are not words of the page.
EXCLUDE = [".headerlink"]
# Part of a word: "30%" is a figure a reader searches for, not the number 30 anywhere.
WORD_CHARACTERS = "%"


class SearchIndexError(RuntimeError):
    """Pagefind failed: it could not start, or refused a page."""


class SearchIndexer:
    """Collects pages in a Pagefind process running beside the build.

    The Pagefind client is asynchronous: it lives on an event loop in a thread
    of its own, and one task there sends the queued pages in order.
    """

    def __init__(self, folder: Path, language: str = "en") -> None:
        """Start Pagefind; `write` puts the index in `folder`."""
        from pagefind.index import PagefindIndex  # only builds with search need it

        self._language = language
        self._index = PagefindIndex(
            config={
                "exclude_selectors": EXCLUDE,
                "include_characters": WORD_CHARACTERS,
                "output_path": str(folder),
            }
        )
        self._queue: asyncio.Queue[tuple[str, str] | None] = asyncio.Queue()
        self._sender: asyncio.Task[None] | None = None
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._thread.start()
        self._run("starting Pagefind", self._start())

    async def _start(self) -> None:
        await self._index.__aenter__()
        self._sender = asyncio.create_task(self._send_pages())

    async def _send_pages(self) -> None:
        while (item := await self._queue.get()) is not None:
            url, html = item
            await self._index.add_html_file(content=html, url=url)

    async def _finish(self, write: bool) -> None:
        """Send the last pages and write the index, or drop everything and stop."""
        sender, self._sender = self._sender, None
        if sender is None:
            return
        if write:
            self._queue.put_nowait(None)
            await sender
            # Leaving the index's context without an error writes its files.
            await self._index.__aexit__(None, None, None)
        else:
            sender.cancel()
            with contextlib.suppress(BaseException):
                await sender
            await self._index.__aexit__(SearchIndexError, SearchIndexError(), None)

    def _run(self, doing: str, coroutine: Any) -> None:
        try:
            asyncio.run_coroutine_threadsafe(coroutine, self._loop).result()
        except Exception as error:
            self.close()
            raise SearchIndexError(f"{doing}: {error}") from error

    def add(
        self,
        url: str,
        title: str,
        body: str,
        *,
        tags: list[str] | None = None,
        weight: float | None = None,
    ) -> None:
        """Queue a page: its URL below the site root, its title, its body's HTML and tags.

        Tags weigh most, as in Material's own index: a page tagged with the query
        is about it. `weight` (Material's `search.boost`) lifts the whole page.
        """
        heading = "" if "<h1" in body else Markup("<h1>%s</h1>") % title
        if tags:
            listed = Markup(", ").join(escape(tag) for tag in tags)
            body = Markup('<p data-pagefind-weight="10">%s</p>') % listed + Markup(body)
        if weight:
            body = Markup('<div data-pagefind-weight="%s">') % f"{weight:g}" + body + "</div>"
        html = (
            f'<!doctype html><html lang="{escape(self._language)}"><head><meta charset="utf-8">'
            f"</head><body><main data-pagefind-body>{heading}{body}</main></body></html>"
        )
        self._loop.call_soon_threadsafe(self._queue.put_nowait, ("/" + url, html))

    def write(self) -> None:
        """Wait for every queued page, write the index and stop Pagefind."""
        self._run("writing the index", self._finish(write=True))
        self.close()

    def close(self) -> None:
        """Stop Pagefind, writing nothing more, and the thread that talks to it."""
        if self._loop.is_closed():
            return
        if self._loop.is_running():
            with contextlib.suppress(Exception):
                future = asyncio.run_coroutine_threadsafe(self._finish(write=False), self._loop)
                future.result(timeout=30)
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=30)
        self._loop.close()
