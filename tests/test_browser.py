"""The built site in Debian's Chromium, driven by Playwright, as a reader meets it."""

from __future__ import annotations

import functools
import os
import re
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from conftest import Site
from playwright.sync_api import Browser, Page, expect, sync_playwright

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("BRIEFGEN_CHROMIUM", "/usr/bin/chromium")


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium (Playwright's own download does not work here)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"no Chromium at {CHROMIUM}: run 'make test', which installs it")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            # Keep Chromium from calling home: this machine's network is closed.
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh page in a fresh context: no state carried between tests."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def site_url(built: Site) -> Iterator[str]:
    """The built site, served on 127.0.0.1 at a free port."""
    handler = functools.partial(_QuietHandler, directory=str(built.site_dir))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_search_for_webchat_reaches_the_dorset_case_study(page: Page, site_url: str) -> None:
    page.goto(site_url)
    expect(page.locator("article h1")).to_contain_text("Shared Services – Getting IT Right")

    search = page.get_by_role("textbox", name="Search")
    search.click()
    search.press_sequentially("webchat", delay=50)  # as a reader types
    result = page.locator(".md-search-result__item a").filter(has_text="Stronger Together").first
    expect(result).to_be_visible()
    result.click()

    expect(page).to_have_url(re.compile(re.escape(f"{site_url}case-studies/dorset/")))
    expect(page.locator("article h1")).to_contain_text("Stronger Together")
    expect(page.locator("article")).to_contain_text("webchat shared across boundaries")
