"""Shared fixtures: real sites built in tmp_path, never a mocked MkDocs.

The tests build their own library (tests/fixtures/library: fictional councils), never
the repository's content, so that adding a case study changes no test's result. Only
tests/test_content.py tests the repository's content, in ways that hold for any valid
addition. Tests read what they expect from the content they build (LIBRARY_CONTENT),
not from literals that a change to it would break.
"""

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
from bs4 import BeautifulSoup
from mkdocs.commands.build import build
from mkdocs.config import load_config
from playwright.sync_api import Browser, Page, sync_playwright

from briefgen.content.check import read_content
from briefgen.content.models import Briefing, CaseStudy, Checklist, Content, Outcome

REPO = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
# The suite's own library: several fictional case studies, varied on every facet, and
# a briefing with key takeaways, themes and a checklist.
LIBRARY = Path(__file__).resolve().parent / "fixtures" / "library"

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
        """The HTML a reader gets at `url_path`, such as `case-studies/northtown/`."""
        return (self.site_dir / url_path / "index.html").read_text(encoding="utf-8")


def copy_project(destination: Path, source: Path = LIBRARY) -> Site:
    """A copy of a site's project (mkdocs.yml, content and docs): by default the test
    library; `copy_project(folder, REPO)` copies the repository's own."""
    destination.mkdir(parents=True)
    for name in ("mkdocs.yml", "CONTRIBUTING.md", "case_studies", "briefings", "docs", "schema"):
        path = source / name
        if path.is_dir():
            shutil.copytree(path, destination / name)
        elif path.is_file():
            shutil.copy2(path, destination / name)
    return Site(destination)


def _read_library() -> Content:
    report = read_content(LIBRARY, today=BUILD_DATE)
    assert report.content is not None, "\n".join(str(problem) for problem in report.errors)
    return report.content


LIBRARY_CONTENT = _read_library()
"""The test library as checked on BUILD_DATE: case studies in the order pages list them."""
CASE_STUDIES: list[CaseStudy] = list(LIBRARY_CONTENT.case_studies.values())
BRIEFING: Briefing = next(iter(LIBRARY_CONTENT.briefings.values()))
"""The library's one briefing: its home page."""
CHECKLIST: Checklist = BRIEFING.checklists[0]


def study(case_study_id: str) -> CaseStudy:
    """A case study of the test library."""
    return LIBRARY_CONTENT.case_studies[case_study_id]


def library_text(relative: str) -> str:
    """A file of the test library as written, such as `case_studies/northtown.yaml`."""
    return (LIBRARY / relative).read_text(encoding="utf-8")


def in_yaml(case_study_id: str, words: str) -> str:
    """`words`, once checked to be in the case study's YAML: a test that searches for
    them, or looks for them on a page, fails here if the library stops saying them."""
    assert words.casefold() in library_text(f"case_studies/{case_study_id}.yaml").casefold()
    return words


def figure(outcome: Outcome) -> str:
    """An outcome's figure as pages show it: 'Reduction in costs: 30%', 'Income: 3.5 £m'."""
    unit = outcome.unit or ""
    return f"{outcome.metric}: {outcome.value:g}{' ' if unit not in ('', '%') else ''}{unit}"


def long_date(day: dt.date) -> str:
    """A date as pages print it: 3 June 2024."""
    return f"{day.day} {day:%B %Y}"


def article_text(html: str) -> str:
    """The words of the page's main content, as a reader sees them."""
    article = BeautifulSoup(html, "html.parser").select_one("article")
    assert article is not None
    return " ".join(article.get_text(" ").split())


@pytest.fixture(scope="session")
def library(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The test library, built once with --strict for read-only tests."""
    return copy_project(tmp_path_factory.mktemp("library") / "project").build()


@pytest.fixture
def library_project(tmp_path: Path, library: Site) -> Site:
    """A fresh copy of the test library, not yet built. Its PDF cache starts with the
    shared build's PDFs, so WeasyPrint lays out only the PDFs a test changes."""
    site = copy_project(tmp_path / "project")
    cache = Path(".cache") / "briefgen" / "pdf"
    if (library.root / cache).is_dir():
        shutil.copytree(library.root / cache, site.root / cache)
    return site


CHECKLIST_LABELS = tuple(item.label for item in CHECKLIST.items)

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
def site_url(library: Site) -> Iterator[str]:
    """The test library's built site, served on 127.0.0.1."""
    with serve(library.site_dir) as url:
        yield url


# What a contributor writes into the file `briefgen new` makes, blank by blank.
FILLED = {
    "title:\n": "title: Shared revenues and benefits in Example Shire\n",
    "summary: |\n\n": "summary: |\n  Two councils share one revenues and benefits team.\n\n",
    "  - name:\n": "  - name: Example Shire Council\n    tier: district\n",
    "models: []\n": "models: [shared-service]\n",
    "speaker:\n  name:\n  role:\n": "",
    "services: []\n": "services: [Revenues and benefits, Webchat for residents]\n",
    "  - id:\n    title:\n    publisher:\n    author:\n": (
        "  - id: report\n    title: Example report\n    publisher: Example Shire Council\n"
    ),
    "reviewed:\n": "reviewed: {reviewed}\n",
    "review_due:\n": "review_due: {review_due}\n",
}


def fill(text: str, reviewed: dt.date = BUILD_DATE) -> str:
    """A case study from `briefgen new`, filled in as FILLED says, reviewed on `reviewed`
    and due for review a year later."""
    due = reviewed + dt.timedelta(days=365)
    for blank, filled in FILLED.items():
        assert blank in text, blank
        filled = filled.format(reviewed=reviewed.isoformat(), review_due=due.isoformat())
        text = text.replace(blank, filled, 1)
    return text
