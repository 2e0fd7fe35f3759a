"""The MkDocs plugin: each hook hands its work to the core or to a module of this adapter.

Content is read and checked before the site folder is cleaned (so a failed build leaves
the last good site), pages are added as generated files (nothing is written into docs/)
whose HTML the core renders, the search index and PDFs are made by helper processes
beside the build, and a clean build is staged and swapped in only when it succeeded.
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, event_priority, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from briefgen.content.check import bounded, read_content
from briefgen.content.models import Content
from briefgen.helpers import search
from briefgen.mkdocs import config as options
from briefgen.mkdocs import documents, internals, lock, pages
from briefgen.mkdocs.background import Helpers
from briefgen.mkdocs.serve import ServeSession
from briefgen.mkdocs.staging import StagedBuild
from briefgen.site import opendata
from briefgen.site.documents import PageBody, PlannedDocument
from briefgen.site.plan import choose_home, plan_pages
from briefgen.site.planned import PlanError
from briefgen.site.routes import Routes

log = get_plugin_logger(__name__)


@dataclass
class Build:
    """What one build knows; each build starts a new one (`on_config`)."""

    root: Path = field(default_factory=Path)
    today: dt.date = dt.date.min
    routes: Routes = field(default_factory=Routes)
    content: Content | None = None
    documents: list[PlannedDocument] = field(default_factory=list)
    pdf_parts: set[str] = field(default_factory=set)  # the pages the PDFs print
    pdf_bodies: dict[str, PageBody] = field(default_factory=dict)
    fingerprints: dict[str, str] = field(default_factory=dict)
    helpers: Helpers = field(default_factory=Helpers)
    nav: Navigation | None = None
    staged: StagedBuild | None = None

    def path(self, option: str) -> Path:
        return self.root / option


class BriefgenPlugin(BasePlugin[options.BriefgenConfig]):
    """Builds briefing, case-study, takeaway and checklist pages from YAML."""

    def __init__(self) -> None:
        self._fresh()

    def _fresh(self) -> None:
        self.session = ServeSession()
        self.build = Build()

    def on_startup(self, *, command: str, dirty: bool) -> None:
        self.session = ServeSession(command, dirty)

    def on_shutdown(self) -> None:
        # `serve` ends (Ctrl-C): stop the helpers of the last rebuild, or of one Ctrl-C
        # broke off (MkDocs calls no build-error event for it), so that their processes
        # and scratch folders end with it; the instance is as new for whatever follows.
        self.session.end()
        self.build.helpers.close()
        self._fresh()

    def wait_for_background(self) -> None:
        """Let the last `serve` rebuild's search index and PDFs land."""
        self.session.landing.wait()

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        options.check_site(config)
        if self.build.staged is not None:  # a configuration loaded and never built
            self.build.staged.warnings.stop()
        self.build = Build(options.project_root(config), options.today())
        # Before anything is written: the staging and scratch folders are then ours alone.
        cache = self.build.path(self.config.cache_dir)
        if self.session.lock.acquire(cache, "serve" if self.session.keeps_lock else "build"):
            self.session.scratch = lock.fresh_scratch(cache)
        pages.add_assets(config)
        internals.add_theme_folder(config)
        internals.list_theme_files_quickly(config)
        if self.session.stage_builds:
            self.build.staged = StagedBuild(config, self.session.scratch)
        return config

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        # Before MkDocs cleans site_dir: bad content leaves the last good site.
        self.build.content = self._read_content()

    @event_priority(-50)  # late: hand-written pages from other plugins exist by now
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        self.build.routes = self._routes(config)
        self.session.landing.supersede()  # the last save's search and PDFs are stale
        searching = self.config.search and internals.material_searches(config)
        for file in pages.asset_files(config, search=searching):
            files.append(file)
        internals.drop_unused_material_files(files, search=searching)
        if searching:
            self.build.helpers.search = self._search_indexer(config)
        author = config.site_author or config.site_name
        feed = opendata.Feed(config.site_name, author, self.config.licence)
        for path, data in opendata.exports(self._content, feed, self.build.routes).items():
            files.append(File.generated(config, path, content=data))
        self._plan_pdfs(files, config)
        self._add_pages(files, config)
        config.extra["briefgen"] = pages.theme_extra(files, self.build.routes)
        return files

    @event_priority(-100)  # last: other plugins have changed the body as they wish
    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if page.file.src_uri in self.build.pdf_parts and isinstance(page, internals.GeneratedPage):
            # The title stays as it is: ours is escaped Markup already.
            title = internals.own_title(page)  # not the navigation's label for it
            self.build.pdf_bodies[page.file.src_uri] = PageBody(title, html)
        indexer = self.build.helpers.search
        if indexer is not None:
            wanted = page.meta.get("search") or {}
            if not wanted.get("exclude"):
                tags, weight = page.meta.get("tags"), wanted.get("boost")
                title = internals.own_title(page)
                indexer.add(page.url, title, html, tags=tags, weight=weight)
            else:
                indexer.forget(page.url)  # under `serve`, it may be there from before
            internals.keep_material_from_indexing(page)
        return html

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        if self.build.helpers.search is None:
            return output
        return internals.name_our_search_worker(output)

    def on_post_template(self, output: str, *, template_name: str, config: MkDocsConfig) -> str:
        # The 404 page is a theme template, not a page: its search box needs our worker too.
        if template_name != "404.html" or self.build.helpers.search is None:
            return output
        return internals.name_our_search_worker(output)

    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        internals.label_generated_pages(nav, config)
        internals.attach_under_entries(nav, files)
        self.build.nav = nav
        return nav

    @event_priority(-100)  # every page's body is rendered; the theme has not started
    def on_env(self, env: Any, *, config: MkDocsConfig, files: Files) -> Any:
        internals.tune_theme_environment(env)
        if self.build.nav is not None:
            internals.render_navigation_once(env, self.build.nav)
        # Under `serve`, the index starts once the rebuild is done, not to slow it.
        indexer = self.build.helpers.search
        if indexer is not None:
            # Under `serve`, a page no longer built (a deleted case study) leaves the index.
            indexer.keep_only(file.url for file in files if file.is_documentation_page())
        if indexer is not None and not self.session.dirty:
            try:
                indexer.start(Path(config.site_dir) / "pagefind")
            except search.SearchIndexError as error:
                raise PluginError(f"Error writing the search index: {error}") from error
        if self.build.documents:
            self._compose_pdfs(config)
        return env

    @event_priority(-100)  # last: the search index and other plugins' files are written
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        helpers, self.build.helpers = self.build.helpers, Helpers()
        site = Path(config.site_dir)
        if self.session.dirty:
            # The page a writer is looking at reloads now; search and PDFs follow.
            self.session.landing.start(helpers, site)
            self.session.fingerprints = self.build.fingerprints
        else:
            helpers.land(site)
        if self.build.staged is not None:
            self.build.staged.finish(config)
        self._unlock()

    def on_build_error(self, *, error: Exception) -> None:
        self.build.helpers.close()
        if self.build.staged is not None:
            self.build.staged.abandon()
        self._unlock()

    def _unlock(self) -> None:
        """Let another build of the project start, unless `serve` runs on."""
        if not self.session.keeps_lock:
            self.session.lock.release()

    def on_serve(
        self, server: LiveReloadServer, *, config: MkDocsConfig, builder: Any
    ) -> LiveReloadServer:
        for option in (self.config.case_studies, self.config.briefings, self.config.templates):
            if option and self.build.path(option).is_dir():
                server.watch(str(self.build.path(option)))
        if self.build.path(self.config.glossary).is_file():
            server.watch(str(self.build.path(self.config.glossary)))
        return server

    # What the hooks hand their work to.

    @property
    def _content(self) -> Content:
        assert self.build.content is not None  # on_pre_build succeeded or the build stopped
        return self.build.content

    @property
    def _templates(self) -> Path | None:
        return self.build.path(self.config.templates) if self.config.templates else None

    def _read_content(self) -> Content:
        report = read_content(
            self.build.root,
            case_studies=self.config.case_studies,
            briefings=self.config.briefings,
            glossary=self.config.glossary,
            today=self.build.today,
            parallel=self.session.parallel,
            cache=self.session.read_cache if self.session.dirty else None,
        )
        for warning in bounded(report.warnings):
            log.info(str(warning))  # info: an overdue review must not fail a --strict build
        if report.content is None:
            errors = report.errors
            # Each problem's text is escaped; their number is bounded (a hostile file can
            # hold a problem a line).
            listed = "\n".join(f"  {problem}" for problem in bounded(errors))
            plural = "" if len(errors) == 1 else "s"
            raise PluginError(f"Error reading content ({len(errors)} problem{plural}):\n{listed}")
        return report.content

    def _routes(self, config: MkDocsConfig) -> Routes:
        try:
            home = choose_home(self._content, self.config.home)
        except PlanError as error:
            raise PluginError(f"Error in the briefgen configuration: {error}") from error
        return Routes(
            home,
            directory_urls=config.use_directory_urls,
            site_url=config.site_url,
            prefix=self.config.prefix,
        )

    def _search_indexer(self, config: MkDocsConfig) -> search.SearchIndexer:
        if self.session.dirty and self.session.search_folder is None:
            # In the project, not /tmp: a session ended by a signal leaves nothing behind
            # there, and the next session empties it first.
            folder = self.build.path(self.config.cache_dir) / "serve-search"
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            self.session.search_folder = folder
        return search.SearchIndexer(
            options.language(config), self.session.search_folder, scratch=self.session.scratch
        )

    def _plan_pdfs(self, files: Files, config: MkDocsConfig) -> None:
        if not self.config.pdf:
            return
        cache = self.build.path(self.config.cache_dir) / "pdf"
        build = self.build
        build.documents, build.helpers.pdfs = documents.register(
            files, config, self._content, build.routes, cache, self.session.scratch
        )
        build.pdf_parts = {part for document in build.documents for part in document.parts}

    def _add_pages(self, files: Files, config: MkDocsConfig) -> None:
        build, session = self.build, self.session
        if session.dirty:  # a dirty rebuild renders only changed pages: keep the rest
            build.pdf_bodies = session.pdf_bodies
        planned = plan_pages(
            self._content, build.routes, options.plan_options(self.config, config, build.today)
        )
        ours, owned = pages.split_owned(planned, files)
        owned = [page for page in owned if page.src_uri in self.build.pdf_parts]
        env = session.environment(self._templates)
        rendered = pages.render(
            env,
            ours + owned,
            build.routes,
            options.permalink(config),
            parallel=session.parallel,
            memo=session.memo(self._templates),
        )
        for page, body in zip(owned, rendered[len(ours) :], strict=True):
            build.pdf_bodies[page.src_uri] = pages.pdf_body(page, body)
        for page, body in zip(ours, rendered[: len(ours)], strict=True):
            last = session.fingerprints.get(page.src_uri)
            file = pages.generated_file(config, build.root, page, body, files, last)
            build.fingerprints[page.src_uri] = file.fingerprint
            files.append(file)

    def _compose_pdfs(self, config: MkDocsConfig) -> None:
        assert self.build.helpers.pdfs is not None
        documents.compose(
            self.session.environment(self._templates),
            self.build.documents,
            self.build.pdf_bodies,
            self.build.helpers.pdfs,
            today=self.build.today,
            version=self.config.version or options.git_commit(self.build.root),
            routes=self.build.routes,
            language=options.language(config),
        )
