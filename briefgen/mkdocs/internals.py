"""Every private MkDocs or Material behaviour briefgen relies on, and nothing else.

MkDocs 2.0 drops plugins, and Material reaches its end of life on 5 May 2027: when either
moves, this module is the whole migration. Each entry says what it relies on, why (most
are measured speed), the releases it was checked against, and the tests that fail when the
behaviour changes (most in tests/site/test_internals.py; `pytest -k` finds each by name). Where
a change would give wrong output rather than an error, the code checks and raises a
PluginError that says so.

Checked against MkDocs 1.6.0 and 1.6.1 and Material 9.5.26 to 9.8.2: the lowest and
newest releases pyproject.toml allows (`make test-lowest`, `make test-newest`).
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import jinja2
import material
import mkdocs
from jinja2.ext import Extension
from markupsafe import escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils import normalize_url

from briefgen.site.compiled import compile_once
from briefgen.site.planned import PlannedPage
from briefgen.site.render import Heading, RenderedPage

CHECKED_AGAINST = "MkDocs 1.6.0–1.6.1 and Material 9.5.26–9.8.2"


# 1. Pages whose HTML briefgen renders itself. MkDocs has no public way to add a page
# without Markdown: `Page(None, …)` with `read_source` and `render` overridden, which must
# set what `render` sets (content, toc) and what anchor validation reads
# (`present_anchor_ids`, `links_to_anchors`: mkdocs/structure/pages.py). Rendering the
# body ourselves halved a 1,000-page build. Tests: test_generated_pages_are_pages_mkdocs_
# puts_in_the_theme, test_a_hand_written_link_to_an_anchor_of_a_generated_page_is_checked,
# test_a_broken_anchor_in_a_generated_page_fails_a_strict_build.
class GeneratedPage(Page):
    """A page whose body HTML briefgen rendered: MkDocs runs no Markdown for it."""

    def __init__(
        self,
        file: File,
        config: MkDocsConfig,
        planned: PlannedPage,
        rendered: RenderedPage,
        links_to_anchors: Mapping[File, dict[str, str]],
    ) -> None:
        super().__init__(None, file, config)
        self.planned = planned
        self.rendered = rendered
        self.anchor_links = dict(links_to_anchors)
        if planned.updated is not None:
            self.update_date = planned.updated.isoformat()  # what the sitemap's lastmod prints

    def read_source(self, config: MkDocsConfig) -> None:
        self.markdown = ""
        self.meta = page_meta(self.planned)

    def render(self, config: MkDocsConfig, files: Files) -> None:
        self.content = self.rendered.html
        self.toc = get_toc([_toc_token(heading) for heading in self.rendered.toc])
        self.present_anchor_ids = set(self.rendered.anchors)
        self.links_to_anchors = self.anchor_links


def page_meta(planned: PlannedPage) -> dict[str, Any]:
    """Front matter for a generated page. Material prints title, description and tags
    without escaping them (mkdocs/mkdocs#1822), so they go in as escaped Markup."""
    meta: dict[str, Any] = {
        "title": escape(planned.title),
        "description": escape(planned.description),
    }
    if planned.tags:
        meta["tags"] = [escape(tag) for tag in planned.tags]
        # The page lists them under its facts; Material's, above the breadcrumbs, are hidden
        # (its documented `hide: [tags]`), and stay for its tags plugin.
        meta["hide"] = ["tags"]
    if planned.search_boost is not None:
        meta["search"] = {"boost": planned.search_boost}
    if planned.search_exclude:
        meta["search"] = {"exclude": True}
    return meta


def _toc_token(heading: Heading) -> Any:
    return {
        "level": heading.level,
        "id": heading.id,
        "name": heading.name,
        "children": [_toc_token(child) for child in heading.children],
    }


# 2. Dirty rebuilds under `serve`: MkDocs asks `File.is_modified()` (mkdocs/commands/
# build.py, `_populate_page` and `_build_page`) and renders the theme only around files
# that say yes. A generated file has no mtime to compare, so it says whether its HTML
# changed since the last rebuild. Test: test_serve_rewrites_only_the_pages_a_change_touches.
class GeneratedFile(File):
    """A generated page's file; `modified` says whether its HTML changed since the last build."""

    modified = True
    fingerprint = ""

    def is_modified(self) -> bool:
        return self.modified


# 3. Material's navigation, rendered once for each set of links rather than once a page.
# On a page outside the nav (each case study) it differs from another's only in where its
# links lead from that page: a third of the theme's time over 1,000 case studies. Relies on
# Jinja's compiled `root_render_func` of Material's `partials/nav.html`, and on the nav
# reading nothing from the page but its url and which entries are active (true of
# Material's nav partials).
# Tests: test_navigation_rendered_once_is_the_navigation_rendered_for_each_page, and
# test_a_navigation_template_jinja_no_longer_compiles_as_expected_is_a_plain_error.
def render_navigation_once(env: Any, nav: Navigation) -> None:
    template = env.get_template("partials/nav.html")
    render = getattr(template, "root_render_func", None)
    if render is None:
        raise PluginError(
            f"Jinja's templates no longer have root_render_func (briefgen was checked against "
            f"{CHECKED_AGAINST}); briefgen cannot speed up Material's navigation."
        )
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
        # Which entry is marked (see 10): a case study's, or a theme page's.
        marked = tuple(id(item) for item in page.ancestors)
        links = (context.get("base_url"), marked, *(normalize_url(url, page) for url in targets))
        if links not in rendered:
            rendered[links] = "".join(render(context))
        yield rendered[links]

    template.root_render_func = render_once


# 4. Pagefind answers Material's search box. Material names its search worker in each
# page's `__config` JSON; ours takes its place there, and speaks the messages Material's
# bundle sends its worker (briefgen/assets/search-worker.js). Material's plugin is told to
# skip every page (`meta.search.exclude`), as its Lunr index would go unused, and its Lunr
# files and worker (1.2 MB) are not published. Tests: test_material_indexes_nothing_and_its_
# search_files_are_not_published, test_a_page_configuration_without_materials_worker_is_a_
# plain_error, and the browser tests that search (the worker's messages).
SEARCH_WORKER = "assets/briefgen/search-worker.js"
_MATERIAL_WORKER = re.compile(
    r'("search":\s*"[^"]*?)assets/javascripts/workers/search\.\w+\.min\.js"'
)
_MATERIAL_SEARCH_FILES = re.compile(r"assets/javascripts/(lunr/|workers/search\.)")
# Source maps are for debugging Material's own code; no reader's browser asks for them.
_MATERIAL_MAPS = re.compile(r"assets/.*\.map$")


def name_our_search_worker(output: str) -> str:
    if 'id="__config"' not in output:
        return output
    output, found = _MATERIAL_WORKER.subn(rf'\1{SEARCH_WORKER}"', output, count=1)
    if not found:
        raise PluginError(
            "Material's page configuration no longer names its search worker where briefgen "
            f"expects it (checked against {CHECKED_AGAINST}); set 'search: false' under the "
            "briefgen plugin to use Material's own."
        )
    return output


def material_searches(config: MkDocsConfig) -> bool:
    """Whether the site has Material's search box (its `search` plugin, enabled)."""
    plugin = config.plugins.get("material/search")
    return plugin is not None and plugin.config.enabled


def keep_material_from_indexing(page: Page) -> None:
    page.meta["search"] = {"exclude": True}


def drop_unused_material_files(files: Files, *, search: bool) -> None:
    unused = (_MATERIAL_MAPS, _MATERIAL_SEARCH_FILES) if search else (_MATERIAL_MAPS,)
    for file in [f for f in files if any(pattern.match(f.src_uri) for pattern in unused)]:
        files.remove(file)


# 5. Smaller pages: MkDocs', Material's and briefgen's theme templates are compiled without
# the indentation of their lines, and without the newline after a block tag (what Jinja's
# trim_blocks does, for these templates only: a site's own overrides are left as written,
# as they might hold a <pre>). 1.4 KB and 2 KB off every page. Relies on those templates
# living in their packages' folders and holding no <pre> or <textarea>.
# Test: test_theme_templates_lose_their_indentation_and_a_sites_own_keep_it.
THEME_OVERRIDES = Path(__file__).parent.parent / "theme"
_THEME_TEMPLATES = tuple(
    f"{folder}{os.sep}"
    for folder in (Path(mkdocs.__file__).parent, Path(material.__file__).parent, THEME_OVERRIDES)
)
_INDENTATION = re.compile(r"^[ \t]+", re.MULTILINE)
_NEWLINE_AFTER_BLOCK = re.compile(r"([%#]\})\n")


class _CompactThemeTemplates(Extension):
    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        if filename is None or not filename.startswith(_THEME_TEMPLATES):
            return source
        return _NEWLINE_AFTER_BLOCK.sub(r"\1", _INDENTATION.sub("", source))


# 6. The theme's templates compiled once a process (briefgen/site/compiled.py): MkDocs
# makes a new Jinja environment for each build and each `serve` rebuild, and compiling
# Material's took a third of a second each time. Relies on MkDocs' environment taking a
# bytecode cache, and on `env.cache`. Test: test_serve_picks_up_an_edited_theme_template.
def tune_theme_environment(env: Any) -> None:
    env.add_extension(_CompactThemeTemplates)
    env.cache.clear()  # forget any template compiled before the extension was added
    compile_once(env)


# 7. Our theme folder (the footer's link to the accessibility statement, a 404 page that
# helps, and a `main.html` that fills Material's documented `htmltitle` and `extrahead`
# blocks) sits just above Material's, below a site's custom_dir (whose own `main.html`
# takes the place of ours). `partials/copyright.html`
# is a copy of Material's with one link added. Test: test_our_copyright_partial_is_
# materials_plus_the_statement_link.
def add_theme_folder(config: MkDocsConfig) -> None:
    if str(THEME_OVERRIDES) not in config.theme.dirs:
        config.theme.dirs.insert(1 if config.theme.custom_dir else 0, str(THEME_OVERRIDES))


# 8. A clean build is written beside the site folder and swapped in when it succeeds, so a
# failed build leaves the last good site. `config.site_dir` is pointed at the staging
# folder for the build and back before `on_post_build` ends (gh-deploy reads it after).
# `--strict` fails a build only after every plugin's `on_post_build`, so to know whether
# to swap, briefgen counts the warnings MkDocs logs, as MkDocs' own counter does, on the
# loggers it logs them to ("mkdocs"; "properdocs" when ProperDocs stands in).
# Test: test_a_strict_build_with_a_warning_leaves_the_last_site.
_WARNING_LOGGERS = tuple(dict.fromkeys(("mkdocs", mkdocs.__name__)))


class StrictWarnings(logging.Handler):
    """Counts the warnings that `--strict` turns into a failed build."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1

    def start(self) -> None:
        for name in _WARNING_LOGGERS:
            logging.getLogger(name).addHandler(self)

    def stop(self) -> None:
        for name in _WARNING_LOGGERS:
            logging.getLogger(name).removeHandler(self)


# 9. A label given in mkdocs.yml's `nav:` names a generated page in the navigation, as it
# does a Markdown page. MkDocs gives the label to a page it makes for the nav (`Page(title,
# …)` sets `title`, which shadows the `title` property); a generated page exists before the
# nav, and MkDocs hands it over without its label (`_data_to_navigation` in mkdocs/structure/
# nav.py). So each gets its label here, as MkDocs would have given it; its own title stays in
# `meta["title"]`, which Material prints in the <title> and the header, and its body prints
# as its heading. Test: test_the_navigation_reads_as_mkdocs_yml_labels_it.
def label_generated_pages(nav: Navigation, config: MkDocsConfig) -> None:
    labels = dict(_nav_labels(config.nav or []))
    for page in nav.pages:
        label = labels.get(page.file.src_uri)
        if isinstance(page, GeneratedPage) and label:
            page.title = label


def _nav_labels(items: Any) -> Iterator[tuple[str, str]]:
    """(path below docs/, label) for each page mkdocs.yml's `nav:` labels."""
    for item in items if isinstance(items, list) else [items]:
        if not isinstance(item, dict):
            continue
        for label, value in item.items():
            if isinstance(value, str):
                yield value.lstrip("/"), label
            else:
                yield from _nav_labels(value)


def own_title(page: Page) -> str:
    """A page's own title, whatever the navigation calls it: a generated page's, escaped."""
    return page.meta.get("title") or page.title or ""


# 10. A page outside the navigation (a case study, a theme) marks the entry it belongs under
# ("Case studies", "Takeaways"), as Material marks the current page's section. MkDocs sets
# `active` on the page it renders and on its `parent`, and back after (`_build_page` in
# mkdocs/commands/build.py; the `Page.active` setter), and Material's nav marks an active
# entry. So the page's parent is that entry's page, as Material's blog plugin makes the
# blog's index a post's parent (`_attach` in material/plugins/blog/plugin.py): MkDocs types
# `parent` as a Section. Test: test_a_page_outside_the_navigation_marks_the_entry_it_
# belongs_under.
def attach_under_entries(nav: Navigation, files: Files) -> None:
    in_nav = {page.file.src_uri for page in nav.pages}
    for file in files.documentation_pages():
        page = file.page
        if not isinstance(page, GeneratedPage) or page.planned.under is None:
            continue
        entry = files.get_file_from_path(page.planned.under)
        if file.src_uri not in in_nav and entry is not None and entry.src_uri in in_nav:
            page.parent = entry.page  # type: ignore[assignment]


# 11. A build lists its theme's files quickly. MkDocs' `build` calls `config.theme.get_env()`
# and at once `Files.add_files_from_theme`, which lists every file of every theme folder
# (`env.list_templates`) and then drops, one by one against some twenty patterns, each
# under a hidden folder: Material's `.icons` holds some 14,000, a third of a small build's
# time (measured: 0.13 s of 0.42). The theme's environment is given a loader that never
# walks into a hidden folder; what it lists after MkDocs' filter is the same. Relies on
# `Theme.get_env` being called through the theme object, and on the environment's
# FileSystemLoader. Checked against MkDocs 1.6.0 and 1.6.1. Test: test_the_theme_files_
# a_build_adds_are_mkdocs_own.
class _ThemeLoader(jinja2.FileSystemLoader):
    def list_templates(self) -> list[str]:
        found = set()
        for folder in self.searchpath:
            for walked, folders, names in os.walk(folder, followlinks=self.followlinks):
                folders[:] = [name for name in folders if not name.startswith(".")]
                relative = os.path.relpath(walked, folder).replace(os.sep, "/")
                prefix = "" if relative == "." else relative + "/"
                found.update(prefix + name for name in names if not name.startswith("."))
        return sorted(found)


def list_theme_files_quickly(config: MkDocsConfig) -> None:
    theme = config.theme
    make_environment = type(theme).get_env

    def get_env() -> jinja2.Environment:
        env = make_environment(theme)
        if type(env.loader) is not jinja2.FileSystemLoader:
            raise PluginError(
                f"briefgen expected MkDocs' theme environment to load templates with "
                f"jinja2's FileSystemLoader, not {type(env.loader).__name__}: this MkDocs "
                f"is newer than briefgen knows (briefgen/mkdocs/internals.py, entry 11)"
            )
        loader = env.loader
        env.loader = _ThemeLoader(loader.searchpath, loader.encoding, loader.followlinks)
        return env

    theme.get_env = get_env  # type: ignore[method-assign]
