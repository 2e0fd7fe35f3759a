"""The MkDocs plugin: the only module that knows MkDocs exists.

It wires the stages to MkDocs events: content is read and checked before the
site folder is cleaned (so a failed build leaves the last good site), pages
are added as virtual files (nothing is written into docs/) whose HTML we
render ourselves, and titles and descriptions are escaped before the theme
prints them raw.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import posixpath
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import material
import mkdocs
from jinja2 import BytecodeCache, TemplateError
from jinja2.bccache import Bucket
from jinja2.ext import Extension
from markupsafe import escape
from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils import normalize_url

from briefgen.build_date import BuildDateError, build_date
from briefgen.content.check import read_content
from briefgen.content.models import Content
from briefgen.helpers import pdf, search
from briefgen.mkdocs import staging
from briefgen.site import opendata as export
from briefgen.site.documents import PlannedDocument, plan_documents
from briefgen.site.plan import PlanError, PlannedPage, PlanOptions, choose_home, plan_pages
from briefgen.site.render import (
    Heading,
    RenderedPage,
    RenderError,
    RenderMemo,
    make_environment,
    render_pages,
)
from briefgen.site.routes import Routes

log = get_plugin_logger(__name__)

# Served from the site itself: no CDN, no third-party request.
ASSETS = {"briefgen.css": "extra_css", "briefgen.js": "extra_javascript"}
ASSET_FOLDER = "assets/briefgen"
SEARCH_WORKER = f"{ASSET_FOLDER}/search-worker.js"
# Material names its search worker in each page's configuration; ours replaces it.
MATERIAL_WORKER = re.compile(
    r'("search":\s*"[^"]*?)assets/javascripts/workers/search\.\w+\.min\.js"'
)
# What Material ships that no page loads once Pagefind answers its search box (1.2 MB).
MATERIAL_SEARCH = re.compile(r"assets/javascripts/(lunr/|workers/search\.)")
# Source maps are for debugging Material's own code, and no reader's browser asks for them.
MATERIAL_MAPS = re.compile(r"assets/.*\.map$")


class BriefgenConfig(base.Config):
    """Options under `plugins: - briefgen:` in mkdocs.yml."""

    case_studies = c.Type(str, default="case_studies")
    """Folder of case-study YAML files, relative to mkdocs.yml."""
    briefings = c.Type(str, default="briefings")
    """Folder of briefing YAML files, relative to mkdocs.yml."""
    templates = c.Optional(c.Type(str))
    """Folder of templates that override briefgen's own, relative to mkdocs.yml."""
    home = c.Optional(c.Type(str))
    """Id of the briefing shown as the home page; needed only when there are several."""
    prefix = c.Type(str, default="")
    """The folder of the site that briefgen's pages go in (`briefing`), for a site that has
    pages of its own; by default they are the site."""
    pdf = c.Type(bool, default=True)
    """Publish each checklist and each briefing pack as a PDF too; off for fast local builds."""
    version = c.Optional(c.Type(str))
    """Version printed on the briefing pack; by default the git commit, when there is one."""
    licence = c.Type(str, default="Open Government Licence v3.0")
    """Licence of the content and the open data, named on the data page."""
    licence_url = c.Optional(c.Type(str))
    """Address of the licence's text; by default the Open Government Licence's."""
    accessibility_contact = c.Optional(c.Type(str))
    """Where readers report accessibility problems (an email address or a web page)."""
    search = c.Type(bool, default=True)
    """Answer Material's search box from a Pagefind index, loaded in parts as a query needs."""
    cache_dir = c.Type(str, default=".cache/briefgen")
    """Kept between builds (not committed): PDFs, by the hash of what decides them, and
    `serve`'s scratch pages for search."""


THEME_OVERRIDES = Path(__file__).parent.parent / "theme"
# Templates written by MkDocs, Material and us, as opposed to a site's own overrides.
THEME_TEMPLATES = tuple(
    f"{folder}{os.sep}"
    for folder in (Path(mkdocs.__file__).parent, Path(material.__file__).parent, THEME_OVERRIDES)
)
INDENTATION = re.compile(r"^[ \t]+", re.MULTILINE)
# Where the warnings --strict counts are logged: "mkdocs", and "properdocs" when ProperDocs
# stands in for MkDocs (its `mkdocs` module is `properdocs`, and its own code logs there).
WARNING_LOGGERS = tuple(dict.fromkeys(("mkdocs", mkdocs.__name__)))


class _WarningCounter(logging.Handler):
    """Counts the warnings MkDocs logs, which --strict turns into a failed build (one that
    reaches two of WARNING_LOGGERS counts twice: only none or some matters)."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


class BriefgenPlugin(BasePlugin[BriefgenConfig]):
    """Builds briefing, case-study, takeaway and checklist pages from YAML."""

    def __init__(self) -> None:
        self.stage_builds = True
        self.parallel = False
        self.serving_dirty = False
        # Kept across the rebuilds of `mkdocs serve --dirty` (MkDocs keeps this instance):
        # what each file read gave, and a fingerprint of each page as last built.
        self.read_cache: dict[Any, Any] = {}
        self.built: dict[str, str] = {}
        self.search_folder: Path | None = None
        self.background: threading.Thread | None = None
        self.landing: tuple[Any, Any, threading.Event] | None = None  # indexer, PDFs, stop
        self.kept_environment: tuple[Path | None, Any] | None = None
        self.render_memo = RenderMemo()
        self.compiled_templates = _CompiledTemplates()
        self.templates_stamp: tuple[Any, ...] = ()
        self.bodies: dict[str, tuple[str, str]] = {}
        self._reset()

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # `serve` builds into a temporary folder, and a dirty build adds to the last
        # one: only a clean `build` (or `gh-deploy`) is staged and swapped in.
        self.stage_builds = command != "serve" and not dirty
        # Forked workers are safe only where MkDocs runs no threads: not under `serve`.
        self.parallel = command != "serve"
        # Rebuild only the pages whose HTML changed, and never wait for search or PDFs.
        self.serving_dirty = command == "serve" and dirty
        # A new session starts from nothing: its site folder is new and empty.
        self.read_cache.clear()
        self.built = {}
        self.render_memo.clear()
        self.bodies = {}
        self.search_folder = None

    def _reset(self) -> None:
        self.root = Path()
        self.routes = Routes()
        self.today = dt.date.min  # the build date, set by on_config
        self.content: Content | None = None
        self.documents: list[PlannedDocument] = []
        if not self.serving_dirty:  # a dirty rebuild renders only changed pages: keep the rest
            self.bodies = {}
        self.building: dict[str, str] = {}
        self.pdfs: pdf.BackgroundPdfs | None = None
        self.search: search.SearchIndexer | None = None
        self.site_dir: Path | None = None
        self.nav: Navigation | None = None
        self.warnings = _WarningCounter()

    def _path(self, option: str) -> Path:
        return self.root / option

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        # `serve` may keep this instance across rebuilds: start every build afresh.
        self._reset()
        self.root = Path(config.config_file_path or ".").resolve().parent
        if config.theme.name != "material":
            raise PluginError(
                f"briefgen needs the Material for MkDocs theme, and this site's theme is "
                f"{config.theme.name!r}: set 'theme: name: material' in mkdocs.yml."
            )
        try:
            self.today = build_date()
        except BuildDateError as error:
            raise PluginError(f"Error in the build date: {error}") from error
        if not config.site_url:
            log.info(
                "site_url is not set: the sitemap is empty, links in the PDFs, feed and CSV "
                "are relative, and the 404 page works only at the host's root. Set site_url "
                "to the address the site is published at."
            )
        for name, option in ASSETS.items():
            path = f"{ASSET_FOLDER}/{name}"
            if path not in config[option]:
                config[option].append(path)
        # Our footer partial (a link to the accessibility statement) sits just above
        # Material's own templates, below a site's custom_dir.
        if str(THEME_OVERRIDES) not in config.theme.dirs:
            config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(THEME_OVERRIDES))
        if self.stage_builds:
            self.site_dir = Path(config.site_dir)
            config.site_dir = str(staging.staging_folder(self.site_dir))
            for name in WARNING_LOGGERS:
                logging.getLogger(name).addHandler(self.warnings)
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        # Runs before MkDocs cleans site_dir: bad content leaves the last good site.
        report = read_content(
            self.root,
            case_studies=self.config.case_studies,
            briefings=self.config.briefings,
            today=self.today,
            parallel=self.parallel,
            cache=self.read_cache if self.serving_dirty else None,
        )
        for warning in report.warnings:
            # Info, not warning: an overdue review must not fail a --strict build.
            log.info(str(warning))
        if report.content is None:
            problems = "\n".join(f"  {problem}" for problem in report.errors)
            raise PluginError(
                f"Error reading content ({len(report.errors)} problem"
                f"{'' if len(report.errors) == 1 else 's'}):\n{problems}"
            )
        self.content = report.content

    @event_priority(-50)  # late: hand-written pages from other plugins exist by now
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.content is not None  # on_pre_build succeeded or the build stopped
        try:
            home = choose_home(self.content, self.config.home)
        except PlanError as error:
            raise PluginError(f"Error in the briefgen configuration: {error}") from error
        routes = self.routes = Routes(
            home,
            directory_urls=config.use_directory_urls,
            site_url=config.site_url,
            prefix=self.config.prefix,
        )
        env = self._environment()
        permalink = _permalink(config)
        options = self._options(config)
        for name in ASSETS:
            content = resources.files("briefgen").joinpath(f"assets/{name}").read_bytes()
            files.append(File.generated(config, f"{ASSET_FOLDER}/{name}", content=content))
        self._supersede_background()
        if self._searching(config):
            worker = resources.files("briefgen").joinpath("assets/search-worker.js").read_bytes()
            files.append(File.generated(config, SEARCH_WORKER, content=worker))
            for unused in [f for f in files if MATERIAL_SEARCH.match(f.src_uri)]:
                files.remove(unused)
            if self.serving_dirty and self.search_folder is None:
                # In the project, not /tmp: a session ended by a signal leaves nothing
                # behind there, and the next session empties it first.
                self.search_folder = self._path(self.config.cache_dir) / "serve-search"
                shutil.rmtree(self.search_folder, ignore_errors=True)
                self.search_folder.mkdir(parents=True)
            language = config.theme.get("language") or "en"
            self.search = search.SearchIndexer(language, self.search_folder)
        for unused in [f for f in files if MATERIAL_MAPS.match(f.src_uri)]:
            files.remove(unused)
        feed = export.Feed(config.site_name, config.site_author or config.site_name)
        for path, data in export.exports(self.content, feed, routes).items():
            files.append(File.generated(config, path, content=data))
        if self.config.pdf:
            # Registered now so links to them resolve; written after the pages are rendered.
            self.documents = plan_documents(self.content, routes)
            if self.documents:
                cache = self._path(self.config.cache_dir) / "pdf"
                # With nothing cached, start WeasyPrint now, to be ready when the pages are.
                early = not any(cache.glob("*.pdf"))
                self.pdfs = pdf.BackgroundPdfs(cache, early=early)
            for document in self.documents:
                files.append(File.generated(config, document.dest, content=b""))
        pages, owned = [], []
        in_documents = {part for document in self.documents for part in document.parts}
        for page in plan_pages(self.content, routes, options):
            if files.get_file_from_path(page.src_uri) is None:
                pages.append(page)
                continue
            log.info(
                f"docs/{page.src_uri} is the site's own page: briefgen does not publish its "
                f"page {page.title!r} there. Set the briefgen plugin's 'prefix' option to "
                "give briefgen's pages a folder of their own."
            )
            if page.src_uri in in_documents:
                owned.append(page)  # rendered for the PDFs only, which print briefgen's pages
        try:
            rendered_pages = render_pages(
                env, pages + owned, routes, permalink, parallel=self.parallel, memo=self._memo()
            )
        except RenderError as error:
            raise PluginError(str(error)) from error
        for page, rendered in zip(owned, rendered_pages[len(pages) :], strict=True):
            self.bodies[page.src_uri] = (escape(page.title), rendered.html)
        del rendered_pages[len(pages) :]
        for page, rendered in zip(pages, rendered_pages, strict=True):
            inclusion = InclusionLevel.UNDEFINED if page.in_nav else InclusionLevel.NOT_IN_NAV
            file = GeneratedFile.generated(
                config, page.src_uri, content=rendered.html, inclusion=inclusion
            )
            fingerprint = _fingerprint(page, rendered)
            file.modified = self.built.get(page.src_uri) != fingerprint
            self.building[page.src_uri] = fingerprint
            if page.source_file:
                # "Edit this page" opens the YAML, not a page that exists only in the build.
                file.edit_uri = posixpath.relpath(self.root / page.source_file, config.docs_dir)
            file.page = GeneratedPage(file, config, page, rendered)
            files.append(file)
        # For the footer partial: the statement, generated or written by hand.
        statement = files.get_file_from_path(routes.accessibility)
        config.extra["briefgen"] = {
            "accessibility": statement.url if statement else None,
            "scope": routes.prefix,  # the pages the statement speaks for
            # Where the 404 page sends a reader who took a wrong turn.
            # From the host's root, as MkDocs serves that page at any path.
            "not_found": {
                text: (routes.base_path or "/") + routes.url(route)
                for text, route in (
                    ("The briefing", routes.home),
                    ("All case studies", routes.case_study_index),
                )
                if files.get_file_from_path(route) is not None
            },
        }
        return files

    def _options(self, config: MkDocsConfig) -> PlanOptions:
        default = PlanOptions(today=self.today)
        # The default licence comes with its address; another licence, only with its own.
        own_licence = self.config.licence != default.licence
        return PlanOptions(
            pdf=self.config.pdf,
            today=self.today,
            licence=self.config.licence,
            licence_url=self.config.licence_url or (None if own_licence else default.licence_url),
            site_name=config.site_name,
            accessibility_contact=self.config.accessibility_contact,
        )

    def _environment(self) -> Any:
        override = self._path(self.config.templates) if self.config.templates else None
        if not self.serving_dirty:
            return make_environment(override)
        # Kept across rebuilds, so templates are compiled once, and again only when edited.
        if self.kept_environment is None or self.kept_environment[0] != override:
            self.kept_environment = (override, make_environment(override, auto_reload=True))
        return self.kept_environment[1]

    def _memo(self) -> RenderMemo | None:
        """Under `serve --dirty`: pages rendered before, forgotten when a template changes."""
        if not self.serving_dirty:
            return None
        folders = [Path(__file__).parent.parent / "templates"]
        if self.config.templates:
            folders.append(self._path(self.config.templates))
        stamp = tuple(
            (path, path.stat().st_mtime_ns)
            for folder in folders
            if folder.is_dir()
            for path in sorted(folder.rglob("*"))
        )
        if stamp != self.templates_stamp:
            self.render_memo.clear()
            self.templates_stamp = stamp
        return self.render_memo

    def _searching(self, config: MkDocsConfig) -> bool:
        """Whether we answer the search box: the site has Material's, and our option is on."""
        material = config.plugins.get("material/search")
        return self.config.search and material is not None and material.config.enabled

    @event_priority(-100)  # last: other plugins have changed the body as they wish
    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        # Every page of briefgen's that a PDF takes in. The title stays as it is: ours
        # are already-escaped Markup, which must not be escaped twice.
        if isinstance(page, GeneratedPage) and any(
            page.file.src_uri in document.parts for document in self.documents
        ):
            self.bodies[page.file.src_uri] = (page.title or "", html)
        if self.search is not None:
            wanted = page.meta.get("search") or {}
            if not wanted.get("exclude"):
                self.search.add(
                    page.url,
                    page.title or "",
                    html,
                    tags=page.meta.get("tags"),
                    weight=wanted.get("boost"),
                )
            # Material's plugin need not index the page too: Pagefind answers its search box.
            page.meta["search"] = {"exclude": True}
        return html

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        return self._name_our_search_worker(output)

    def on_post_template(self, output: str, *, template_name: str, config: MkDocsConfig) -> str:
        # The 404 page is a theme template, not a page: its search box needs our worker too.
        return self._name_our_search_worker(output) if template_name == "404.html" else output

    def _name_our_search_worker(self, output: str) -> str:
        if self.search is None or 'id="__config"' not in output:
            return output
        output, found = MATERIAL_WORKER.subn(rf'\1{SEARCH_WORKER}"', output, count=1)
        if not found:
            raise PluginError(
                "Material's page configuration no longer names its search worker where briefgen "
                "expects it; set 'search: false' under the briefgen plugin to use Material's own."
            )
        return output

    @event_priority(-100)  # every page's body is rendered; the theme has not started
    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        # A line that holds only a template tag prints nothing: 2 KB off every page.
        env.trim_blocks = env.lstrip_blocks = True
        env.add_extension(_UnindentedThemeTemplates)
        env.cache.clear()  # forget any template compiled with the old whitespace rules
        env.bytecode_cache = self.compiled_templates
        if self.nav is not None:
            _render_navigation_once(env, self.nav)
        # Pagefind's own errors come when the build waits for it. Under `serve`, it
        # starts once the rebuild is done, not to slow it.
        if self.search is not None and not self.serving_dirty:
            try:
                self.search.start(Path(config.site_dir) / "pagefind")
            except search.SearchIndexError as error:
                raise PluginError(f"Error writing the search index: {error}") from error
        if self.documents:
            assert self.pdfs is not None
            jinja = self._environment()
            built = self.today
            version = self.config.version or _git_commit(self.root)
            for document in self.documents:
                html = self._compose(jinja, document, built, version)
                # Links resolve against the published address, never this machine's folders.
                self.pdfs.add(document.dest, html, self.routes.address(document.dest))
            self.pdfs.start()
        return env

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        self.nav = nav
        return nav

    @event_priority(-100)  # last: the search index and other plugins' files are written
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        indexer, self.search = self.search, None
        pdfs, self.pdfs = self.pdfs, None
        site_dir = Path(config.site_dir)
        if self.serving_dirty:
            # The page a writer is looking at reloads now; search and PDFs follow.
            superseded = threading.Event()
            self.landing = (indexer, pdfs, superseded)
            self.background = threading.Thread(
                target=_land_quietly, args=(indexer, pdfs, site_dir, superseded), daemon=True
            )
            self.background.start()
        else:
            _land(indexer, pdfs, site_dir)
        if self.serving_dirty:
            self.built = self.building
        self._finish(config)

    def _wait_for_background(self) -> None:
        """Let the last rebuild's search index and PDFs land before this one starts its own."""
        if self.background is not None:
            self.background.join()
            self.background = None

    def _supersede_background(self) -> None:
        """A new save makes the last rebuild's search index and PDFs out of date: stop
        them rather than wait (Pagefind takes seconds over a large library). This
        rebuild's own index takes in every page, the unfinished one's changes too."""
        if self.landing is not None:
            indexer, pdfs, superseded = self.landing
            superseded.set()
            if indexer is not None:
                indexer.close()
            if pdfs is not None:
                pdfs.close()
            self.landing = None
        self._wait_for_background()

    def on_shutdown(self) -> None:
        # `serve` ends (Ctrl-C): stop the search index and PDFs of the last rebuild, or
        # of one Ctrl-C broke off (MkDocs calls no build-error event for it), so that
        # their processes and scratch folders end with it.
        self._supersede_background()
        self._stop_helpers()

    def _stop_helpers(self) -> None:
        if self.search is not None:
            self.search.close()
            self.search = None
        if self.pdfs is not None:
            self.pdfs.close()
            self.pdfs = None

    def on_build_error(self, *, error: Exception) -> None:
        self._stop_helpers()
        if self.site_dir is not None:
            staging.discard(staging.staging_folder(self.site_dir))
        self._stop_counting()

    def _finish(self, config: MkDocsConfig) -> None:
        """Swap the finished build in, unless --strict is about to fail it."""
        if self.site_dir is None:
            return
        built = Path(config.site_dir)
        config.site_dir = str(self.site_dir)  # for gh-deploy and whatever runs after us
        if config.strict and self.warnings.count:
            staging.discard(built)
        else:
            staging.publish(built, self.site_dir)
        self._stop_counting()

    def _stop_counting(self) -> None:
        for name in WARNING_LOGGERS:
            logging.getLogger(name).removeHandler(self.warnings)

    def _compose(
        self, env: Any, document: PlannedDocument, built: dt.date, version: str | None
    ) -> str:
        try:
            return pdf.compose(
                env, document, self.bodies, built=built, version=version, routes=self.routes
            )
        except TemplateError as error:
            raise PluginError(
                f"Error rendering '{document.dest}' with template '{document.template}':\n{error}"
            ) from error

    def on_serve(
        self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        for option in (self.config.case_studies, self.config.briefings, self.config.templates):
            if option and self._path(option).is_dir():
                server.watch(str(self._path(option)))
        return server


class _UnindentedThemeTemplates(Extension):
    """Compiles MkDocs' and Material's templates without the indentation of their lines.

    A browser collapses it, and it was 1.4 KB of every page. Their templates hold no
    <pre> or <textarea>; a site's own overrides, which might, are left as written.
    """

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        if filename is None or not filename.startswith(THEME_TEMPLATES):
            return source
        return INDENTATION.sub("", source)


class GeneratedFile(File):
    """A generated page's file; `modified` says whether its HTML changed since the last build.

    MkDocs asks only in a dirty build, and then renders the theme around changed pages only.
    """

    modified = True

    def is_modified(self) -> bool:
        return self.modified


def _fingerprint(page: PlannedPage, rendered: RenderedPage) -> str:
    """What decides a generated page's output, besides the site's navigation."""
    what = repr((page.title, page.description, page.tags, page.updated, rendered.html))
    return hashlib.sha256(what.encode()).hexdigest()


class _CompiledTemplates(BytecodeCache):
    """The theme's templates, compiled once a session: MkDocs makes a new Jinja environment
    for each `serve` rebuild, and compiling Material's took a third of a second each time.
    Jinja checks each against its source's checksum, so an edited template is compiled anew.
    """

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


def _render_navigation_once(env: Any, nav: Navigation) -> None:
    """Material renders the site's navigation into every page. On a page outside it
    (each case study), it differs from another's only in where its links lead from that
    page, so it is rendered once for each set of links rather than once a page: a third
    of the theme's time over a thousand case studies."""
    template = env.get_template("partials/nav.html")
    render = template.root_render_func
    in_nav = {page.url for page in nav.pages}
    targets = [nav.homepage.url] if nav.homepage is not None else []
    pending = list(nav.items)
    while pending:
        item = pending.pop()
        targets += [item.url] if getattr(item, "url", None) is not None else []
        pending += getattr(item, "children", None) or []
    rendered: dict[tuple[str, ...], str] = {}

    def render_once(context: Any) -> Iterator[str]:
        page = context.get("page")
        if page is None or page.url in in_nav:  # its own item is marked: render it
            yield from render(context)
            return
        links = (context.get("base_url"), *(normalize_url(url, page) for url in targets))
        if links not in rendered:
            rendered[links] = "".join(render(context))
        yield rendered[links]

    template.root_render_func = render_once


def _land(indexer: search.SearchIndexer | None, pdfs: pdf.BackgroundPdfs | None, site: Path):
    """Wait for the search index and the PDFs, and put them in the site. Under `serve`,
    the index starts here, once the rebuild is done."""
    if indexer is not None:
        try:
            if not indexer.started:
                indexer.start(site / "pagefind")
            indexer.wait()
        except search.SearchIndexError as error:
            if pdfs is not None:
                pdfs.close()
            raise PluginError(f"Error writing the search index: {error}") from error
    if pdfs is not None:
        errors = pdfs.collect(site)
        if errors:
            raise PluginError(
                "".join(f"Error writing '{dest}': {error}\n" for dest, error in errors.items())
                + "PDFs need WeasyPrint and Pango; set 'pdf: false' under the briefgen "
                "plugin to build without them."
            )


def _land_quietly(
    indexer: search.SearchIndexer | None,
    pdfs: pdf.BackgroundPdfs | None,
    site: Path,
    superseded: threading.Event,
) -> None:
    """`_land`, in a thread of `serve`: a failure is logged, and the next save retries;
    work stopped because a newer save superseded it is no failure."""
    try:
        _land(indexer, pdfs, site)
    except Exception as error:
        if superseded.is_set():
            return  # stopped halfway by the newer save's rebuild, which does it again
        if not isinstance(error, PluginError):
            raise
        log.error(str(error))


class GeneratedPage(Page):
    """A page whose HTML briefgen rendered itself: MkDocs runs no Markdown for it."""

    def __init__(
        self, file: File, config: MkDocsConfig, planned: PlannedPage, rendered: RenderedPage
    ) -> None:
        super().__init__(None, file, config)
        self.planned = planned
        self.rendered = rendered
        if planned.updated is not None:
            self.update_date = planned.updated.isoformat()  # the sitemap's lastmod

    def read_source(self, config: MkDocsConfig) -> None:
        self.markdown = ""
        # Material prints title, description and tags without escaping them
        # (mkdocs/mkdocs#1822): hand it escaped Markup, which it prints as is.
        meta: dict[str, Any] = {
            "title": escape(self.planned.title),
            "description": escape(self.planned.description),
        }
        if self.planned.tags:
            meta["tags"] = [escape(tag) for tag in self.planned.tags]
        if self.planned.search_boost is not None:
            meta["search"] = {"boost": self.planned.search_boost}
        if self.planned.search_exclude:
            meta["search"] = {"exclude": True}
        self.meta = meta

    def render(self, config: MkDocsConfig, files: Files) -> None:
        self.content = self.rendered.html
        self.toc = get_toc([_toc_token(heading) for heading in self.rendered.toc])
        self._title_from_render = self.rendered.title
        self.present_anchor_ids = set(self.rendered.anchors)
        self.links_to_anchors = {}


def _toc_token(heading: Heading) -> Any:
    return {
        "level": heading.level,
        "id": heading.id,
        "name": heading.name,
        "children": [_toc_token(child) for child in heading.children],
    }


def _permalink(config: MkDocsConfig) -> str | None:
    """The symbol Markdown's toc extension puts after each heading, if the site asks for one."""
    option = (config.mdx_configs.get("toc") or {}).get("permalink")
    if option is True:
        return "¶"
    return option or None


def _git_commit(root: Path) -> str | None:
    """The short commit of the content, when the site is built from a git checkout."""
    try:
        result = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except OSError:
        return None
    return result.stdout.strip() or None if result.returncode == 0 else None
