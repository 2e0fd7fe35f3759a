"""Shared fixtures: real sites built in tmp_path, never a mocked MkDocs."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from playwright.sync_api import Browser, Page, sync_playwright

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent

# The build date of every test ("today" for check, pages, feed and sitemap), fixed so
# that the suite gives the same result on any day the clock says. Content in the tests
# is dated relative to it. Tests of the repository's own content use the real clock.
BUILD_DATE = dt.date(2024, 6, 3)


def epoch(day: dt.date) -> str:
    """SOURCE_DATE_EPOCH for noon (UTC) of `day`."""
    return str(int(dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC).timestamp()))


@pytest.fixture(scope="session", autouse=True)
def fixed_build_date() -> Iterator[None]:
    """Every build, check and subprocess of the suite runs on BUILD_DATE."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", epoch(BUILD_DATE))
        yield


@dataclass
class Site:
    """A project folder (mkdocs.yml, content, docs) and the site built from it."""

    root: Path

    @property
    def site_dir(self) -> Path:
        return self.root / "site"

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def build(self, strict: bool = True) -> Site:
        """Build in this process, as `mkdocs build --strict` would."""
        config = load_config(str(self.root / "mkdocs.yml"), strict=strict)
        build(config)
        return self

    def plugin_options(self, **options: str | bool) -> None:
        """Add options under the briefgen plugin in this project's mkdocs.yml."""
        config = (self.root / "mkdocs.yml").read_text()
        anchor = "      briefings: briefings\n"
        assert anchor in config
        added = "".join(f"      {name}: {json.dumps(value)}\n" for name, value in options.items())
        self.write("mkdocs.yml", config.replace(anchor, anchor + added))

    def run(
        self, *args: str, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        """Run a command of the project's virtualenv in the project folder, with `env`
        added to this process's environment."""
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})}
        return subprocess.run(
            [str(BIN / args[0]), *args[1:]],
            cwd=self.root,
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )

    def html(self, url_path: str) -> str:
        """The HTML a reader gets at `url_path`, such as `case-studies/dorset/`."""
        return (self.site_dir / url_path / "index.html").read_text(encoding="utf-8")


def copy_project(destination: Path) -> Site:
    """A copy of this repository's site: mkdocs.yml, content and docs."""
    destination.mkdir(parents=True)
    for name in ("mkdocs.yml", "CONTRIBUTING.md", "case_studies", "briefings", "docs", "schema"):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, destination / name)
        else:
            shutil.copy2(source, destination / name)
    return Site(destination)


@pytest.fixture
def project(tmp_path: Path) -> Site:
    """A fresh copy of the repository's site, not yet built."""
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The repository's own site, built once with --strict for read-only tests."""
    return copy_project(tmp_path_factory.mktemp("built") / "project").build()


CHECKLIST_LABELS = (
    "IT assets", "Existing contracts", "Capacity", "Competencies", "Differing practices",
)  # fmt: skip

# The rows of the comparison table, built by the template or, for chosen case studies, the script.
COMPARE_ROWS = [
    "Councils", "Region", "Model", "Speaker", "Services", "Outcomes", "What helped", "Challenges",
]  # fmt: skip

MINIMAL_CASE_STUDY = """\
id: {id}
title: {title}
summary: A short summary.
organisations:
  - name: Example Council
models: [shared-service]
sources:
  - id: report
    title: A report
reviewed: 2024-01-01
review_due: 2025-01-01
"""

MINIMAL_MKDOCS = """\
site_name: Test briefing
theme:
  name: material
  font: false
plugins:
  - search
  - tags
  - briefgen
validation:
  links:
    not_found: warn
    anchors: warn
"""


@pytest.fixture
def minimal(tmp_path: Path) -> Site:
    """A small site: one case study, no briefing."""
    site = Site(tmp_path / "minimal")
    site.write("mkdocs.yml", MINIMAL_MKDOCS)
    site.write("docs/.keep", "")
    site.write(
        "case_studies/example.yaml", MINIMAL_CASE_STUDY.format(id="example", title="Example")
    )
    return site


CHROMIUM = os.environ.get("BRIEFGEN_CHROMIUM", "/usr/bin/chromium")


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """The Chromium at BRIEFGEN_CHROMIUM: Debian's by default (README.md, Development)."""
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"no Chromium at {CHROMIUM}: run 'make test', which installs it or says how to "
            "get one (or name one with BRIEFGEN_CHROMIUM=/path/to/chromium)"
        )
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


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """A built site, served on 127.0.0.1 at a free port, as its address."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


_PAGEFIND_SEARCH = """async (query) => {
  const pagefind = await import(new URL("pagefind/pagefind.js", document.baseURI).href);
  await pagefind.init();
  const found = await pagefind.search(query);
  const pages = await Promise.all(found.results.map((result) => result.data()));
  return pages.map((page) => ({
    url: page.url.replace(/^\\//, ""),
    title: page.meta.title,
    excerpt: page.excerpt,
    sections: page.sub_results.map((section) => section.url.replace(/^\\//, "")),
  }));
}"""


def pagefind_search(page: Page, site_url: str, query: str) -> list[dict[str, Any]]:
    """The pages the site's search index gives for `query`, best first, as a browser gets them."""
    page.goto(site_url)
    return page.evaluate(_PAGEFIND_SEARCH, query)


@pytest.fixture(scope="session")
def site_url(built: Site) -> Iterator[str]:
    """The repository's built site, served on 127.0.0.1."""
    with serve(built.site_dir) as url:
        yield url
