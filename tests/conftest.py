"""Shared fixtures: real sites built in tmp_path, never a mocked MkDocs.

The one fixture module of every tier (tests/unit, tests/site, tests/browser and
tests/repository import it as `conftest`).

The tests build their own library (tests/fixtures/library: fictional councils), never
the repository's content, so that adding a case study changes no test's result. Only
tests/test_content.py tests the repository's content, in ways that hold for any valid
addition. Tests read what they expect from the content they build (LIBRARY_CONTENT),
not from literals that a change to it would break.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import functools
import hashlib
import html
import io
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

import lxml.html
import pytest
from axe_playwright_python.sync_playwright import Axe
from bs4 import BeautifulSoup
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

from briefgen import cli
from briefgen.content.check import read_content
from briefgen.content.models import Briefing, CaseStudy, Checklist, Content, Outcome, Theme

REPO = Path(__file__).resolve().parent.parent
"""The repository: its content, workflows and schemas, for tests/repository."""
TESTS = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
# The suite's own library: several fictional case studies, varied on every facet, and
# a briefing with key takeaways, themes and a checklist.
LIBRARY = TESTS / "fixtures" / "library"

# The build date of every test ("today" for check, pages, feed and sitemap), fixed so
# that the suite gives the same result on any day the clock says. Content in the tests
# is dated relative to it. Tests of the repository's own content use the real clock.
BUILD_DATE = dt.date(2024, 6, 3)


def epoch(day: dt.date) -> str:
    """SOURCE_DATE_EPOCH for noon (UTC) of `day`."""
    return str(int(dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC).timestamp()))


@pytest.fixture(scope="session", autouse=True)
def suite_environment() -> Iterator[None]:
    """Every build, check and subprocess of the suite runs on BUILD_DATE, and the
    `mkdocs` command prints no notice about MkDocs 2 (the one place that says so)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", epoch(BUILD_DATE))
        patch.setenv("NO_MKDOCS_2_WARNING", "1")
        yield


# The tiers in the order they run. pytest-xdist hands each worker half of this list, the
# first half first: so one worker begins with the repository's own site while the other
# builds the test library, where both once waited for the one library build at the start.
_TIER_ORDER = ("repository", "browser", "site", "unit")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that drives Chromium is a browser test, wherever it is: `-m "not browser"`
    leaves out every one."""
    for item in items:
        if {"page", "browser", "site_url"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)

    def tier(item: pytest.Item) -> int:
        folder = item.path.relative_to(TESTS).parts[0]
        return _TIER_ORDER.index(folder) if folder in _TIER_ORDER else len(_TIER_ORDER)

    items.sort(key=tier)  # stable: each tier keeps its order


def write(root: Path, relative: str, text: str) -> Path:
    """Write `text` to the file at `relative` below `root`, making its folders."""
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def run(
    *command: str | Path, cwd: Path = REPO, env: dict[str, str] | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """Run a command, with `env` added to this process's environment (which holds the
    suite's build date and NO_MKDOCS_2_WARNING); a bare name runs from the virtualenv,
    and `briefgen` in this process (`BIN / "briefgen"` runs the installed command)."""
    first = str(command[0])
    if first == "briefgen":
        return _briefgen(list(map(str, command[1:])), cwd, env or {})
    program = str(BIN / first) if "/" not in first and (BIN / first).exists() else first
    return subprocess.run(
        [program, *map(str, command[1:])],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=timeout,
        check=False,
    )


def _briefgen(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`briefgen ARGS` as its command runs it (`briefgen.cli:main`), in `cwd` with `env`
    added, its output and exit status caught, but in this process: a new interpreter
    spent most of a second importing briefgen, forty times a session."""
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(cwd)
        for name, value in env.items():
            patch.setenv(name, value)
        patch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO()))
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                status = cli.main(args)
            except SystemExit as exit:  # argparse, on bad usage
                status = exit.code if isinstance(exit.code, int) else 1
    return subprocess.CompletedProcess(["briefgen", *args], status, out.getvalue(), err.getvalue())


def _session_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder for the whole session: under pytest-xdist, shared by its workers."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def shared_site(
    tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], Site]
) -> Site:
    """The site `make(folder)` builds in `folder`, built once a session: under pytest-xdist
    the first worker to ask builds it, and the others wait for it and read the same site
    (its build log too). Only for sites no test changes."""
    root = _session_folder(tmp_path_factory) / f"shared-{name}"
    root.mkdir(exist_ok=True)
    with (root / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        log = root / "build-log.json"
        if log.is_file():
            return Site(root / "project", json.loads(log.read_text(encoding="utf-8")))
        site = make(root / "project")
        log.write_text(json.dumps(site.log), encoding="utf-8")
        return site


# One PDF cache for the session. Each project keeps its own cache folder (the plugin's
# cache_dir: a build prunes PDFs it did not make from it), seeded from this store when
# it is copied; what a build lays out is added to the store, so that WeasyPrint lays out
# each distinct PDF once a session (the cache's key is a hash of the PDF's input). Under
# pytest-xdist the workers share one store.
_pdf_store: list[Path] = []


@pytest.fixture(scope="session", autouse=True)
def pdf_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    store = _session_folder(tmp_path_factory) / "pdf-store"
    store.mkdir(exist_ok=True)
    _pdf_store.append(store)
    yield store
    _pdf_store.remove(store)


PDF_CACHE = Path(".cache") / "briefgen" / "pdf"
"""A project's PDF cache, below its folder (the plugin's default cache_dir)."""


class _Recorder(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@dataclass
class Site:
    """A project folder (mkdocs.yml, content, docs) and the site built from it."""

    root: Path
    log: list[str] = field(default_factory=list)
    """What the last build in this process logged (INFO and above)."""

    @property
    def site_dir(self) -> Path:
        return self.root / "site"

    def write(self, relative: str, text: str) -> Path:
        return write(self.root, relative, text)

    def build(self, strict: bool = True) -> Site:
        """Build in this process, as `mkdocs build --strict` would."""
        config = load_config(str(self.root / "mkdocs.yml"), strict=strict)
        logger, recorder = logging.getLogger("mkdocs"), _Recorder()
        level = logger.level
        logger.setLevel(logging.INFO)
        logger.addHandler(recorder)
        try:
            build(config)
        finally:
            logger.removeHandler(recorder)
            logger.setLevel(level)
            self.keep_pdfs()
            self.log = recorder.messages
        return self

    def build_fails(self) -> str:
        """Build in this process, as `mkdocs build --strict` would, for a build that must
        fail: what it logged, one message a line (a process of its own costs the suite
        a second and a half of start-up a build)."""
        with pytest.raises(Abort):
            self.build()
        return "\n".join(self.log)

    def seed_pdfs(self) -> None:
        """Start this project's PDF cache with every PDF the session has laid out."""
        if not _pdf_store:
            return
        cache = self.root / PDF_CACHE
        cache.mkdir(parents=True, exist_ok=True)
        for kept in _pdf_store[0].glob("*.pdf"):
            if not (cache / kept.name).exists():
                shutil.copyfile(kept, cache / kept.name)

    def keep_pdfs(self) -> None:
        """Add the PDFs this project's builds laid out to the session's store."""
        if not _pdf_store or not (self.root / PDF_CACHE).is_dir():
            return
        store = _pdf_store[0]
        for made in (self.root / PDF_CACHE).glob("*.pdf"):
            if not (store / made.name).exists():
                partial = store / f".{made.name}.{os.getpid()}.partial"
                shutil.copyfile(made, partial)
                partial.replace(store / made.name)  # whole or not at all, for other workers

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
        try:
            return run(*args, cwd=self.root, env=env, timeout=180)
        finally:
            if args[0] == "mkdocs":
                self.keep_pdfs()

    def html(self, url_path: str) -> str:
        """The HTML a reader gets at `url_path`, such as `case-studies/northtown/`."""
        return (self.site_dir / url_path / "index.html").read_text(encoding="utf-8")


def copy_project(destination: Path, source: Path = LIBRARY, *, shared_pdfs: bool = True) -> Site:
    """A copy of a site's project (mkdocs.yml, content and docs): by default the test
    library; `copy_project(folder, REPO)` copies the repository's own. Its PDF cache
    starts with the session's PDFs, unless `shared_pdfs` is False."""
    destination.mkdir(parents=True)
    content = ("case_studies", "briefings", "glossary.yaml")
    for name in ("mkdocs.yml", "CONTRIBUTING.md", *content, "docs", "schema"):
        path = source / name
        if path.is_dir():
            shutil.copytree(path, destination / name)
        elif path.is_file():
            shutil.copy2(path, destination / name)
    site = Site(destination)
    if shared_pdfs:
        site.seed_pdfs()
    return site


def configure(site: Site, *, top: str = "", replace: dict[str, str] | None = None) -> None:
    """Change the project's mkdocs.yml: `top` goes first (a later key of the same name
    wins); each `replace` key must be in it."""
    config = (site.root / "mkdocs.yml").read_text(encoding="utf-8")
    for old, new in (replace or {}).items():
        assert old in config, old
        config = config.replace(old, new)
    site.write("mkdocs.yml", top + config)


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
    article = BeautifulSoup(html, "lxml").select_one("article")
    assert article is not None
    # A glossary term's <abbr> is part of its sentence: "(NIP)", never "( NIP )".
    for abbr in article.find_all("abbr"):
        abbr.unwrap()
    article.smooth()
    return " ".join(article.get_text(" ").split())


LibraryVariant = Callable[..., Site]


@pytest.fixture(scope="session")
def library_variant(tmp_path_factory: pytest.TempPathFactory) -> LibraryVariant:
    """The test library built with --strict, once a session for each variant asked for:
    `library_variant(site_url=..., directory_urls=..., config=..., **plugin_options)`,
    `config` being more of mkdocs.yml. For read-only tests: a test that changes a
    project copies it (`library_project`)."""
    built: dict[str, Site] = {}

    def variant(
        *,
        site_url: str | None = None,
        directory_urls: bool = True,
        config: str = "",
        **options: str | bool,
    ) -> Site:
        key = json.dumps([site_url, directory_urls, config, options], sort_keys=True)

        def make(folder: Path) -> Site:
            site = copy_project(folder)
            top = f"use_directory_urls: {str(directory_urls).lower()}\n" + config
            top += f"site_url: {site_url}\n" if site_url else ""
            # The project's own site_url (from the environment, if any) gives way to this.
            own = re.sub(r"(?m)^site_url:.*\n", "", (site.root / "mkdocs.yml").read_text())
            site.write("mkdocs.yml", top + own)
            if options:
                site.plugin_options(**options)
            return site.build()

        if key not in built:
            name = "library-" + hashlib.sha256(key.encode()).hexdigest()[:12]
            built[key] = shared_site(tmp_path_factory, name, make)
        return built[key]

    return variant


@pytest.fixture(scope="session")
def library(library_variant: LibraryVariant) -> Site:
    """The test library as it is (PDFs on, no site_url), built once with --strict."""
    return library_variant()


@pytest.fixture
def built_library_project(tmp_path: Path, library: Site) -> Site:
    """A copy of the built test library, project and site as its last build left them:
    for tests of what a later build does to the last good site."""
    shutil.copytree(library.root, tmp_path / "project", symlinks=True)
    return Site(tmp_path / "project")


CONFIGURED = {
    "site_url": "https://briefing.example.org/",
    "config": "repo_url: https://git.example.org/council/briefing/\nedit_uri: edit/main/docs/\n",
    "licence": "CC BY 4.0",
    "licence_url": "https://creativecommons.org/licenses/by/4.0/",
    "accessibility_contact": "access@council.example",
    "pdf": False,
}


@pytest.fixture(scope="session")
def configured(library_variant: LibraryVariant) -> Site:
    """The test library with the settings a site may choose, none touching another's
    pages (CONFIGURED): its address, an edit link, a licence, an accessibility contact,
    and no PDFs."""
    return library_variant(**CONFIGURED)


@pytest.fixture
def library_project(tmp_path: Path, pdf_store: Path) -> Site:
    """A fresh copy of the test library, not yet built. Its PDF cache starts with the
    session's PDFs, so WeasyPrint lays out only the PDFs a test changes."""
    return copy_project(tmp_path / "project")


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
    date: 2023-12-01
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


def make_study(case_study_id: str, title: str, **fields: Any) -> CaseStudy:
    """A case study as the reader would give it: MINIMAL_CASE_STUDY's fields, and `fields`."""
    data = {
        "id": case_study_id,
        "title": title,
        "summary": "A short summary.",
        "organisations": [{"name": "Example Council"}],
        "models": ["shared-service"],
        "sources": [{"id": "report", "title": "A report", "date": "2023-12-01"}],
        "reviewed": "2024-01-01",
        "review_due": "2025-01-01",
        **fields,
    }
    return CaseStudy.model_validate(data)


def make_briefing(briefing_id: str, case_studies: list[str], **fields: Any) -> Briefing:
    data = {
        "id": briefing_id,
        "title": f"Briefing {briefing_id}",
        "context": "Some context.",
        "case_studies": case_studies,
        **fields,
    }
    return Briefing.model_validate(data)


def make_content(
    *studies: CaseStudy, briefings: list[Briefing] | None = None, themes: list[str] | None = None
) -> Content:
    """Checked content as `read_content` gives it (case studies in order of title), with a
    theme titled 'Theme <id>' for each of `themes` besides the briefings' own."""
    declared = {t.id: t for b in briefings or [] for t in b.themes}
    declared |= {t: Theme(id=t, title=f"Theme {t}") for t in themes or []}
    return Content(
        case_studies={s.id: s for s in sorted(studies, key=lambda s: s.title.casefold())},
        briefings={b.id: b for b in sorted(briefings or [], key=lambda b: b.id)},
        themes=declared,
        files={
            **{s.id: f"case_studies/{s.id}.yaml" for s in studies},
            **{b.id: f"briefings/{b.id}.yaml" for b in briefings or []},
        },
    )


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


# Debian's headless shell (the Makefile's CHROMIUM says why), else its full Chromium.
CHROMIUM = os.environ.get("BRIEFGEN_CHROMIUM") or next(
    (
        path
        for path in ("/usr/bin/chromium-headless-shell", "/usr/bin/chromium")
        if Path(path).exists()
    ),
    "/usr/bin/chromium-headless-shell",
)


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


VIEWPORT = {"width": 1280, "height": 900}


@pytest.fixture(scope="session")
def browser_context(browser: Browser) -> Iterator[BrowserContext]:
    """The worker's one browser context. A new context per test cost Chromium a renderer
    and a cold cache: about 0.6 s of CPU a test, a fifth of the browser tier (measured).
    `page` wipes what each test stored, so no test sees another's state.

    Its reader asks for reduced motion (as the system setting does), so Material draws no
    transitions: frames nobody asserts on were a tenth of the browser tier's CPU (measured,
    3.96 against 3.57 CPU-minutes). A test about what moves asks for motion on its page."""
    context = browser.new_context(viewport=VIEWPORT, reduced_motion="reduce")
    context.on("page", _note_origins)
    yield context
    context.close()


# The origins each worker's pages went to since their storage was last wiped.
_VISITED: set[str] = set()


def _note_origins(page: Page) -> None:
    page.on("framenavigated", lambda frame: _VISITED.add(_origin(frame.url)))


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


# What a test can leave on a page that loading another document does not undo: listeners,
# scripts run in each new document, routes, headers and timeouts. A test that used one of
# these gets its page closed after it.
_LASTING = (
    "on", "once", "add_init_script", "expose_function", "expose_binding", "route",
    "route_from_har", "route_web_socket", "set_extra_http_headers", "add_locator_handler",
    "set_default_timeout", "set_default_navigation_timeout",
)  # fmt: skip


class _WorkerPage:
    """The page `page` hands from test to test. A page of its own for each test cost
    Chromium about a quarter of a second of CPU more than loading a blank document in one
    (measured: 0.53 against 0.30 CPU-s a test that loads one page)."""

    def __init__(self, context: BrowserContext) -> None:
        self.context = context
        self.page: Page | None = None
        self.changed = False
        self.open_before: list[Page] = []  # such as a module's `reading_page`

    def take(self) -> Page:
        if self.page is None or self.page.is_closed() or self.changed:
            if self.page is not None and not self.page.is_closed():
                self.page.close()
            self.page = self.context.new_page()
            self.changed = False
            for name in _LASTING:
                setattr(self.page, name, self._noting_change(getattr(self.page, name)))
        self.open_before = list(self.context.pages)
        return self.page

    def _noting_change(self, method: Callable[..., Any]) -> Callable[..., Any]:
        def noted(*args: Any, **kwargs: Any) -> Any:
            self.changed = True
            return method(*args, **kwargs)

        return noted

    def give_back(self) -> None:
        """Leave the page as a new one is: nothing stored, a blank document, the context's
        viewport and media; and close the pages the test opened."""
        assert self.page is not None
        for other in self.context.pages:
            if other not in self.open_before:
                other.close()
        if self.page.is_closed():  # the test closed it: a new one, to wipe storage through
            self.page = None
            self.take()
            assert self.page is not None
        forget_storage(self.context, self.page)
        self.page.goto("about:blank")
        self.page.set_viewport_size(VIEWPORT)
        self.page.emulate_media(
            media="null", color_scheme="light", reduced_motion="reduce", forced_colors="none"
        )


@pytest.fixture(scope="session")
def _worker_page(browser_context: BrowserContext) -> _WorkerPage:
    return _WorkerPage(browser_context)


@pytest.fixture
def page(_worker_page: _WorkerPage) -> Iterator[Page]:
    """A page as a new one is: a blank document, with nothing stored (no cookies, no local
    or session storage, no permissions: the last test's, wiped as it ended)."""
    yield _worker_page.take()
    _worker_page.give_back()


@pytest.fixture(scope="module")
def reading_page(browser_context: BrowserContext) -> Iterator[Page]:
    """One page for the tests of a module that only read the test library's site (its
    search box, its search index): loading a page and its search costs about as much as
    what each such test checks. They store nothing, and take the page wherever it was."""
    page = browser_context.new_page()
    yield page
    forget_storage(browser_context, page)
    page.close()


WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
_AXE_SCRIPT = Axe().axe_script
_AXE_RUN = """async ([context, options]) => {
  const results = await axe.run(context ?? document, options);
  return results.violations.map((v) => ({
    id: v.id, help: v.help, targets: v.nodes.slice(0, 3).map((node) => String(node.target[0])),
  }));
}"""


def axe_violations(
    page: Page, context: dict[str, list[list[str]]] | None = None, *, rules: list[str] | None = None
) -> list[str]:
    """What axe-core finds on the page (or in `context`): every WCAG 2.2 A and AA rule, or
    only `rules`. axe-core goes into a document once, not once a run (570 KB each time),
    and only the violations come back."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(_AXE_SCRIPT)
    chosen = {"type": "rule", "values": rules} if rules else {"type": "tag", "values": WCAG_TAGS}
    options = {"runOnly": chosen, "resultTypes": ["violations"]}
    found = page.evaluate(_AXE_RUN, [context, options])
    return [f"{v['id']}: {v['help']} ({', '.join(v['targets'])})" for v in found]


def forget_storage(context: BrowserContext, page: Page) -> None:
    """Wipe what pages stored in `context`: cookies, permissions, and the storage (local
    and session) of every origin its pages went to. The origins are noted as pages go to
    them: Playwright's `storage_state()` visits every origin the context has ever seen, a
    fifth of a second a test once a session has served a few sites."""
    context.clear_cookies()
    context.clear_permissions()
    origins = sorted(origin for origin in _VISITED if origin.startswith("http"))
    _VISITED.clear()
    if origins:
        session = context.new_cdp_session(page)
        for origin in origins:
            session.send("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": "all"})
        # Chromium reads back only the storage of the origin the page's document is from
        # (not that of an address it failed to load, when its server had stopped).
        here = session.send("Page.getFrameTree")["frameTree"]["frame"]["securityOrigin"]
        for local in (True, False) if here in origins else ():
            storage = {"securityOrigin": here, "isLocalStorage": local}
            left = session.send("DOMStorage.getDOMStorageItems", {"storageId": storage})
            assert left["entries"] == [], f"{here} kept {left['entries']} after its test"
        session.detach()


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """A built site, served on 127.0.0.1 at a free port, as its address."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    # Polled every 50 ms, not 500: each test's `shutdown` waits out one poll.
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
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
    """The pages the site's search index gives for `query`, best first, as a browser gets
    them (from the site's home, loaded once for a page's queries)."""
    if page.url != site_url:
        page.goto(site_url)
    return page.evaluate(_PAGEFIND_SEARCH, query)


def type_query(page: Page, query: str) -> None:
    """Leave `query` in Material's search box as a reader's typing does. Material searches
    each time a key is let go: the words go in at once and only the last is typed, one
    search where typing every letter ran one a letter (most of a search test's CPU).
    tests/browser/test_reading.py types a query letter by letter, as a reader does."""
    box = page.get_by_role("textbox", name="Search")
    box.click()
    box.fill(query[:-1])
    box.press(query[-1])


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
    "  - id:\n    title:\n    publisher:\n    author:\n    date:\n    rights:\n": (
        "  - id: report\n    title: Example report\n    publisher: Example Shire Council\n"
        "    date: 2024-05-01\n"
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


# Serving a project as `mkdocs serve --dirty` does, in this process.


@dataclass
class DirtyServe:
    """A `mkdocs serve --dirty` session of a project, its site in `site_dir`."""

    plugin: Any
    """The briefgen plugin: MkDocs keeps this one instance across the rebuilds."""
    config_file: Path
    site_dir: Path
    _first: Any = None

    def rebuild(self) -> None:
        """Build as serve does after a save (the first time: as serve starts)."""
        config, self._first = self._first, None
        if config is None:
            config = load_config(str(self.config_file), site_dir=str(self.site_dir))
        build(config, dirty=True)

    def wait(self) -> None:
        """Let the last rebuild's search index and PDFs land."""
        self.plugin.wait_for_background()


@contextlib.contextmanager
def dirty_serve(project: Site, site_dir: Path) -> Iterator[DirtyServe]:
    """`mkdocs serve --dirty` of `project` into `site_dir`: the plugin as serve starts it,
    and a `rebuild()` for each save. On leaving, the session ends as Ctrl-C ends it
    (`on_shutdown`), and the plugin is reset for the other tests of this process.
    (The one place that knows how the plugin is started, waited for and reset.)"""
    config = load_config(str(project.root / "mkdocs.yml"), site_dir=str(site_dir))
    plugin = config.plugins["briefgen"]
    # MkDocs keeps one instance a process; `on_startup` starts its session afresh, as a
    # new `mkdocs serve` does, whatever this process's earlier builds left in it.
    plugin.on_startup(command="serve", dirty=True)
    try:
        yield DirtyServe(plugin, project.root / "mkdocs.yml", site_dir, config)
    finally:
        plugin.on_shutdown()  # and the instance is as new for the other tests of this process
        project.keep_pdfs()


def replace_navigation_once(
    monkeypatch: pytest.MonkeyPatch, replacement: Callable[[Any, Any], None]
) -> None:
    """Put `replacement(env, nav)` in place of the plugin's render of Material's
    navigation once for every case study (the one place that names it)."""
    import briefgen.mkdocs.internals

    monkeypatch.setattr(briefgen.mkdocs.internals, "render_navigation_once", replacement)


# Links, as a static host serves a built site.

HOST = "https://briefing.example"
# Where a static host serves a missing page's 404.html from.
MISSING = "no/such/page/"


@dataclass(frozen=True)
class Published:
    """A built site as a static host serves it at `base` (a path such as `/repo/`)."""

    site: Path
    base: str
    pdfs: bool = True
    """Whether the build made PDFs."""

    def file(self, url: str) -> Path | None:
        """The file a request for `url` gets, or None when it is this host's or a 404."""
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != HOST or not parts.path.startswith(self.base):
            return None
        path = self.site / parts.path.removeprefix(self.base)
        if parts.path.endswith("/"):
            path = path / "index.html"
        return path if path.is_file() else None

    def served_at(self, path: Path) -> str:
        """The address a file of the site is read at."""
        relative = path.relative_to(self.site).as_posix()
        if relative == "404.html":
            relative = MISSING
        elif relative.endswith("index.html"):
            relative = relative.removesuffix("index.html")
        return f"{HOST}{self.base}{relative}"


def html_links(published: Published) -> list[tuple[str, str]]:
    """(where, link) for each link, stylesheet, script and image of every page (read
    with lxml: BeautifulSoup was most of these tests' time)."""
    found = []
    for path in sorted(published.site.rglob("*.html")):
        here = published.served_at(path)
        document = lxml.html.document_fromstring(path.read_text(encoding="utf-8"))
        for tag, attribute in (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src")):
            for element in document.iter(tag):
                value = element.get(attribute)
                if value and not value.startswith(("mailto:", "tel:", "javascript:")):
                    found.append((here, urljoin(here, value)))
    return found


def broken(published: Published, links: list[tuple[str, str]]) -> list[str]:
    """Each link that leads nowhere on this host: no file, or no such anchor in it."""
    problems = []
    ids: dict[Path, set[str]] = {}
    for where, link in links:
        if urlsplit(link).netloc != urlsplit(HOST).netloc:
            continue  # another host's page: not ours to check
        address, fragment = urldefrag(link)
        target = published.file(address)
        if target is None:
            problems.append(f"{where} -> {link}: no such file")
        elif fragment and target.suffix == ".html":
            if target not in ids:
                page = lxml.html.document_fromstring(target.read_text(encoding="utf-8"))
                ids[target] = set(page.xpath("//@id"))
            if fragment not in ids[target]:
                problems.append(f"{where} -> {link}: no anchor #{fragment}")
    return sorted(set(problems))


def pdf_text(path: Path) -> str:
    """The words of every page of a PDF, on one line, in the order poppler's pdftotext
    reads them (as a reader's viewer does; pypdf took twenty times as long)."""
    read = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    )
    return " ".join(read.stdout.decode("utf-8").split())


def pdf_pages(path: Path) -> int:
    """How many pages a PDF has."""
    from pypdf import PdfReader

    return len(PdfReader(path).pages)


def pdf_page_texts(path: Path) -> list[str]:
    """The words of each page of a PDF, a page's on one line (as pdf_text reads them)."""
    read = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    )
    # pdftotext ends every page with a form feed.
    return [" ".join(page.split()) for page in read.stdout.decode("utf-8").split("\f")[:-1]]


MM = 25.4 / 72
"""Millimetres in a PDF's point."""


@dataclass(frozen=True)
class PdfWord:
    """A word as a PDF lays it out: its page (from 1), its line (numbered through the
    document, as poppler groups words into lines) and its box in millimetres from the
    page's top left corner."""

    page: int
    line: int
    text: str
    left: float
    top: float
    right: float
    bottom: float


def pdf_words(path: Path) -> list[PdfWord]:
    """Every word of a PDF, where it is, in reading order (poppler's pdftotext -bbox-layout)."""
    read = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-bbox-layout", str(path), "-"],
        capture_output=True,
        check=True,
    )
    words, line = [], 0
    for page, text in enumerate(read.stdout.decode("utf-8").split("<page ")[1:], start=1):
        for line_xml in re.findall(r"<line .*?</line>", text, re.S):
            line += 1
            for found in re.finditer(
                r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<',
                line_xml,
            ):
                box = [float(value) * MM for value in found.groups()[:4]]
                words.append(PdfWord(page, line, html.unescape(found[5]), *box))
    return words


@dataclass(frozen=True)
class PdfRaster:
    """A page of a PDF as poppler draws it: grey pixels, 0 black to 255 white, row by row."""

    width: int
    height: int
    dpi: int
    pixels: bytes

    def px(self, mm: float) -> int:
        """The pixel `mm` millimetres from the page's edge."""
        return round(mm / 25.4 * self.dpi)

    def rows(self, left: float = 0, right: float | None = None) -> list[bytes]:
        """Each row of pixels, from `left` to `right` millimetres (the page's width)."""
        x0, x1 = self.px(left), self.width if right is None else self.px(right)
        return [self.pixels[y * self.width + x0 : y * self.width + x1] for y in range(self.height)]

    def dark_share(self, left: float, top: float, right: float, bottom: float) -> float:
        """How much of the box (in millimetres) is dark ink (darker than mid-grey)."""
        rows = self.rows(left, right)[self.px(top) : self.px(bottom)]
        return sum(sum(1 for value in row if value < 128) for row in rows) / sum(map(len, rows))


def pdf_rasters(path: Path, dpi: int = 100) -> list[PdfRaster]:
    """Each page of a PDF drawn in grey at `dpi` (poppler's pdftoppm, as PGM)."""
    data = subprocess.run(
        ["pdftoppm", "-gray", "-r", str(dpi), str(path)], capture_output=True, check=True
    ).stdout
    pages, start = [], 0
    while start < len(data):
        header = re.compile(rb"P5\s+(\d+)\s+(\d+)\s+255\s").match(data, start)
        assert header is not None, data[start : start + 20]
        width, height = int(header[1]), int(header[2])
        start = header.end() + width * height
        pages.append(PdfRaster(width, height, dpi, data[header.end() : start]))
    return pages


# Pages of each kind in the test library, for tests that visit one of each.
OVERDUE = next(s for s in CASE_STUDIES if s.review_due < BUILD_DATE)
PAGE_TYPES = {
    "home": "",
    "index": "case-studies/",
    "case study": "case-studies/northtown/",  # the one with the most on its page
    "overdue case study": f"case-studies/{OVERDUE.id}/",  # with its "due for review" note
    "takeaways": "takeaways/",
    "theme": "themes/systems-and-data/",
    "themes": "themes/",
    "checklist": f"checklists/{CHECKLIST.id}/",
    "compare": "compare/",
    "data": "data/",
    "contributing": "contributing/",
    "accessibility": "accessibility/",
    "glossary": "glossary/",
}


# Hostile text: one library holding every payload, built once (tests/site/test_hostile.py,
# and its search results in tests/browser/test_search.py).

PAYLOAD = (
    '"><script>alert(1)</script><img src=x onerror=alert(2)> [x](javascript:alert(3)) '
    "{: onclick=alert(4) } <a href='javascript:alert(5)'>y</a> *z* `c` {{ 7*7 }}"
)
"""The payload put in every field of case study `example` and briefing `brief` (home)."""

CORPUS = [
    line
    for line in (TESTS / "corpora" / "xss.txt").read_text().splitlines()
    if line and not line.startswith("# ")
]
"""Payloads in the style of the OWASP cheat sheet: each in every field of its own case
study and briefing, `example<suffix(index)>` and `brief<suffix(index)>`."""

MARKDOWN_PAYLOADS = [
    "# Not a heading",
    "1. Not a list",
    "- Not a list either",
    "> Not a quote",
    "    not code",
    "`not code`",
    "--8<-- '/etc/passwd'",
    "***",
    "[link](javascript:alert(1))",
    "![img](x onerror=alert(1))",
    "<https://example.org>",
    "{: onclick=alert(1) }",
    "| a | b |",
    "[ ] not a checkbox",
    "*not emphasis*",
    "Text with a & an &amp; and &#60;script&#62;",
    "<iframe src=javascript:alert(1)></iframe>",
    "<svg onload=alert(1)>",
    "{{ config }} {% raw %}",
]
"""Markdown and HTML, each the whole summary and challenge of case study
`markdown<suffix(index)>`, where Markdown would read it as markup."""

HOSTILE = '"><script>alert(1)</script><img src=x onerror=alert(2)>'
"""In the title, summary, tags and region of case study `escaped`."""


def suffix(index: int) -> str:
    """A payload's suffix for its ids: letters, since a page that printed '49' would be
    the payload {{ 7*7 }} evaluated."""
    letters = ""
    while True:
        index, rest = divmod(index, 26)
        letters = "abcdefghijklmnopqrstuvwxyz"[rest] + letters
        if not index:
            return f"-{letters}"


def write_hostile_content(site: Site, text: str, suffix: str = "") -> None:
    """A case study and a briefing with `text` in every field; with `suffix` after each id,
    so that several texts can share one site."""
    import yaml

    # One-line fields refuse tabs and line breaks (tests/unit/test_hostile_values.py), so
    # there the text has its runs of white space made one space; other fields take it raw.
    line = " ".join(text.split())
    study = {
        "id": f"example{suffix}",
        "title": f"Title {line}",
        "summary": f"Summary {text}\n\nSecond {text}",
        "organisations": [{"name": f"Org {line}", "tier": "district"}],
        "region": f"Region {line}",
        "setting": "mixed",
        "models": ["merger"],
        "speaker": {"name": f"Speaker {line}", "role": f"Role {line}"},
        "services": [f"Service {line}", "Other service"],
        "outcomes": [
            {
                "metric": f"Metric {line}",
                "value": "30",
                "unit": f"Unit {line}",
                "scope": f"Scope {text}",
                "status": "reported",
                "reported_by": f"Reporter {line}",
                "source": "report",
            }
        ],
        "challenges": [f"Challenge {text}"],
        "enablers": [f"Enabler {text}"],
        "takeaways": [
            {"text": f"Takeaway {text}", "themes": [f"theme{suffix}"], "source": "report"}
        ],
        "quotes": [
            {
                "text": f"Quote {text}",
                "speaker": f"Q {line}",
                "context": f"C {text}",
                "source": "report",
            }
        ],
        "sources": [
            {
                "id": "report",
                "title": f"Source {line}",
                "publisher": f"Pub {line}",
                "author": f"Author {line}",
                "date": "undated",
                "period": f"Period {line}",
                "rights": f"Rights {line}",
                "url": "https://example.org/a?b=1&c=2",
            }
        ],
        "tags": [f"Tag {line}"],
        "reviewed": (BUILD_DATE - dt.timedelta(days=30)).isoformat(),
        "review_due": (BUILD_DATE + dt.timedelta(days=365)).isoformat(),
    }
    briefing = {
        "id": f"brief{suffix}",
        "title": f"Briefing {line}",
        "as_at": (BUILD_DATE - dt.timedelta(days=30)).isoformat(),
        "bottom_line": f"Bottom {text}",
        "key_figures": [
            {
                "value": f"Value {line}",
                "measures": f"Measures {text}",
                "reported_by": f"By {line}",
                "caveat": f"Caveat {text}",
                "source": "brief-report",
            }
        ],
        "what_this_means": [f"Means {text}"],
        "what_to_do_next": [f"Next {text}"],
        "editors": {
            "name": f"Editors {line}",
            "compiled_from": f"From {text}",
            "compiled": (BUILD_DATE - dt.timedelta(days=30)).isoformat(),
        },
        "event": f"Event {text}",
        "context": f"Context {text}",
        "themes": [
            {"id": f"theme{suffix}", "title": f"Theme {line}", "description": f"Desc {text}"}
        ],
        "case_studies": [f"example{suffix}"],
        "key_takeaways": [
            {
                "text": f"Key {text}",
                "themes": [f"theme{suffix}"],
                "case_studies": [f"example{suffix}"],
            }
        ],
        "checklists": [
            {
                "id": f"list{suffix}",
                "title": f"Checklist {line}",
                "intro": f"Intro {text}",
                "items": [
                    {
                        "label": f"Label {line}",
                        "why_it_matters": f"Why {text}",
                        "questions": [f"Question {line}"],
                        "case_studies": [f"example{suffix}"],
                    }
                ],
            }
        ],
        "sources": [
            {
                "id": "brief-report",
                "description": f"Description {line}",
                "author": f"Author {line}",
                "date": "2024-01-01",
                "author_note": f"Note {line}",
            }
        ],
    }
    site.write(f"case_studies/example{suffix}.yaml", yaml.safe_dump(study, allow_unicode=True))
    site.write(f"briefings/brief{suffix}.yaml", yaml.safe_dump(briefing, allow_unicode=True))


def _quoted(text: str) -> str:
    """`text` as a single-quoted YAML string."""
    return "'" + text.replace("'", "''") + "'"


def hostile_project(root: Path, *, pdf: bool) -> Site:
    """A site holding PAYLOAD in every field (its home is briefing `brief`); with `pdf`,
    only that, else every payload (see PAYLOAD, CORPUS, MARKDOWN_PAYLOADS, HOSTILE)."""
    site = Site(root)
    options = f"  - briefgen:\n      pdf: {str(pdf).lower()}\n      home: brief\n"
    site.write("mkdocs.yml", MINIMAL_MKDOCS.replace("  - briefgen\n", options))
    site.write("docs/.keep", "")
    write_hostile_content(site, PAYLOAD)
    if pdf:  # a pack and a checklist a briefing: PDFs of PAYLOAD only
        return site
    for index, payload in enumerate(CORPUS):
        write_hostile_content(site, payload, suffix=suffix(index))
    for index, payload in enumerate(MARKDOWN_PAYLOADS):
        case_study_id = f"markdown{suffix(index)}"
        text = MINIMAL_CASE_STUDY.format(id=case_study_id, title=f"Markdown{suffix(index)}")
        text = text.replace("summary: A short summary.", f"summary: {_quoted(payload)}")
        site.write(
            f"case_studies/{case_study_id}.yaml",
            text + f"challenges:\n  - {_quoted(payload)}\n",
        )
    summary = _quoted(f"Summary {HOSTILE} [x](javascript:alert(3)) {{: onclick=alert(4) }}")
    text = MINIMAL_CASE_STUDY.format(id="escaped", title=_quoted(f"Title {HOSTILE}"))
    text = text.replace("summary: A short summary.", f"summary: {summary}")
    text += f"tags: [{_quoted(HOSTILE)}]\nregion: {_quoted(f'- {HOSTILE}')}\n"
    site.write("case_studies/escaped.yaml", text)
    return site


@pytest.fixture(scope="session")
def hostile_library(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """Every hostile payload in one library of case studies and briefings, built once
    (PDFs off: tests/site/test_hostile.py lays out PAYLOAD's on their own)."""
    return shared_site(
        tmp_path_factory, "hostile", lambda folder: hostile_project(folder, pdf=False).build()
    )


EXTRA_STUDIES = [f"extra-{n:02d}" for n in range(1, 14 - len(CASE_STUDIES))]
"""Case studies `large_library` adds to the test library: thirteen in all, one more than
the comparison page shows side by side."""


@pytest.fixture(scope="session")
def large_library(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The test library with EXTRA_STUDIES (minimal ones, titled as their ids), built once;
    PDFs off (they are not the point)."""

    def make(folder: Path) -> Site:
        site = copy_project(folder)
        for case_study in EXTRA_STUDIES:
            site.write(
                f"case_studies/{case_study}.yaml",
                MINIMAL_CASE_STUDY.format(id=case_study, title=case_study),
            )
        site.plugin_options(pdf=False)
        return site.build()

    return shared_site(tmp_path_factory, "large", make)
