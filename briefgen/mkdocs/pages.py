"""briefgen's pages and files in MkDocs' file list: rendered bodies become generated files
(nothing is written into docs/), and a site's own page at the same path wins."""

from __future__ import annotations

import hashlib
import posixpath
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

from jinja2 import Environment
from markupsafe import escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger
from mkdocs.structure.files import File, Files, InclusionLevel

from briefgen.mkdocs.internals import SEARCH_WORKER, GeneratedFile, GeneratedPage
from briefgen.site.documents import PageBody
from briefgen.site.planned import PlannedPage
from briefgen.site.render import RenderedPage, RenderError, RenderMemo, render_pages
from briefgen.site.routes import Routes

log = get_plugin_logger(__name__)

# Served from the site itself: no CDN, no third-party request.
ASSETS = {"briefgen.css": "extra_css", "briefgen.js": "extra_javascript"}
ASSET_FOLDER = "assets/briefgen"


def add_assets(config: MkDocsConfig) -> None:
    """Name our stylesheet and script in the site's configuration, once."""
    for name, option in ASSETS.items():
        path = f"{ASSET_FOLDER}/{name}"
        if path not in config[option]:
            config[option].append(path)


def asset_files(config: MkDocsConfig, *, search: bool) -> list[File]:
    """Our stylesheet and script, and the search worker when Pagefind answers search."""
    paths = {f"{ASSET_FOLDER}/{name}": name for name in ASSETS}
    if search:
        paths[SEARCH_WORKER] = "search-worker.js"
    package = resources.files("briefgen").joinpath("assets")
    return [
        File.generated(config, path, content=package.joinpath(name).read_bytes())
        for path, name in paths.items()
    ]


def split_owned(
    pages: Iterable[PlannedPage], files: Files
) -> tuple[list[PlannedPage], list[PlannedPage]]:
    """briefgen's pages to publish, and those at a path where the site has a page of its
    own (not published; a PDF may still print them)."""
    ours, owned = [], []
    for page in pages:
        if files.get_file_from_path(page.src_uri) is None:
            ours.append(page)
            continue
        log.info(
            f"docs/{page.src_uri} is the site's own page: briefgen does not publish its "
            f"page {page.title!r} there. Set the briefgen plugin's 'prefix' option to "
            "give briefgen's pages a folder of their own."
        )
        owned.append(page)
    return ours, owned


def render(
    env: Environment,
    pages: list[PlannedPage],
    routes: Routes,
    permalink: str | None,
    *,
    parallel: bool,
    memo: RenderMemo | None,
) -> list[RenderedPage]:
    try:
        return render_pages(env, pages, routes, permalink, parallel=parallel, memo=memo)
    except RenderError as error:
        raise PluginError(str(error)) from error


def generated_file(
    config: MkDocsConfig,
    root: Path,
    page: PlannedPage,
    rendered: RenderedPage,
    files: Files,
    last_fingerprint: str | None,
) -> GeneratedFile:
    """The file of one generated page, its page attached; `modified` when its HTML changed."""
    inclusion = InclusionLevel.UNDEFINED if page.in_nav else InclusionLevel.NOT_IN_NAV
    file = GeneratedFile.generated(config, page.src_uri, content=rendered.html, inclusion=inclusion)
    file.fingerprint = fingerprint(page, rendered)
    file.modified = last_fingerprint != file.fingerprint
    if page.source_file:
        # "Edit this page" opens the YAML, not a page that exists only in the build.
        file.edit_uri = posixpath.relpath(root / page.source_file, config.docs_dir)
    # The anchors it links to, for MkDocs to check (`validation: anchors`).
    links = {}
    for target, anchors in rendered.links_to_anchors.items():
        to_file = file if target == page.src_uri else files.get_file_from_path(target)
        if to_file is not None:
            links[to_file] = dict(anchors)
    file.page = GeneratedPage(file, config, page, rendered, links)
    return file


def fingerprint(page: PlannedPage, rendered: RenderedPage) -> str:
    """What decides a generated page's output, besides the site's navigation."""
    what = repr((page.title, page.description, page.tags, page.updated, rendered.html))
    return hashlib.sha256(what.encode()).hexdigest()


def pdf_body(page: PlannedPage, rendered: RenderedPage) -> PageBody:
    """A page's (title, body) for the PDFs, as the page would have them."""
    return PageBody(escape(page.title), rendered.html)


def theme_extra(files: Files, routes: Routes) -> dict[str, object]:
    """What our theme partials read from `config.extra.briefgen`."""
    statement = files.get_file_from_path(routes.accessibility)
    return {
        # For the footer: the statement, generated or written by hand.
        "accessibility": statement.url if statement else None,
        "scope": routes.prefix,  # the pages the statement speaks for
        # Where the 404 page sends a reader who took a wrong turn. From the host's
        # root, as MkDocs serves that page at any path.
        "not_found": {
            text: (routes.base_path or "/") + routes.url(route)
            for text, route in (
                ("The briefing", routes.home),
                ("All case studies", routes.case_study_index),
            )
            if files.get_file_from_path(route) is not None
        },
    }
