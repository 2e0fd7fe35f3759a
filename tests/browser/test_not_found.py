"""A reader who follows a broken address lands on the site's 404 page, styled, and searches
from there, wherever the site is published."""

from __future__ import annotations

import re
import threading
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from conftest import HOST, MISSING, LibraryVariant, Published, study, type_query
from playwright.sync_api import Page, expect


class _StaticHost(SimpleHTTPRequestHandler):
    """A static host: the site under its path, and its 404.html for anything missing."""

    site: Path

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = self.site / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def test_a_reader_lost_under_a_sub_path_searches_from_the_404_page(
    library_variant: LibraryVariant, page: Page, tmp_path: Path
) -> None:
    # Published under a sub-path: the case that broke.
    published = Published(library_variant(site_url=f"{HOST}/repo/").site_dir, "/repo/")
    (tmp_path / "repo").symlink_to(published.site)
    handler = type("Host", (_StaticHost,), {"site": published.site})
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(tmp_path)))
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    try:
        origin = f"http://127.0.0.1:{server.server_address[1]}"
        response = page.goto(f"{origin}/repo/{MISSING}")
        assert response is not None and response.status == 404
        expect(page.locator("article h1")).to_have_text("Page not found")
        # Styled: Material's stylesheet came from under /repo/.
        expect(page.locator("header.md-header")).to_have_css("position", "sticky")
        type_query(page, "kerbside")
        result = page.locator(".md-search-result__item a").filter(has_text=study("riverside").title)
        expect(result.first).to_be_visible()
        result.first.click()
        expect(page).to_have_url(re.compile(rf"^{re.escape(origin)}/repo/case-studies/riverside"))
    finally:
        server.shutdown()
        server.server_close()
