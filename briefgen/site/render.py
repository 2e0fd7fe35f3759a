"""Render planned pages to the HTML of their bodies, with a strict Jinja environment.

Templates write the HTML of a page's body directly. Generated pages skip the
Markdown stage: at a thousand case studies, Python-Markdown re-parsing HTML we
had just written was half of the build. `headings.py` does for them what
Markdown did (permanent links, the table of contents); this module also notes
each link to an anchor, for the site engine to check the anchor exists.

Contributed text stays text: the environment autoescapes every value it
prints, and data is only ever passed to templates as values, never rendered
as a template itself. A large site is rendered on every core, each worker with
an environment of its own (an environment does not pickle).
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
    TemplateError,
    TemplateRuntimeError,
    pass_context,
)
from jinja2.runtime import Context
from markupsafe import Markup, escape

from briefgen.content.wording import sentence_case
from briefgen.helpers import workers
from briefgen.site.compiled import compile_once
from briefgen.site.glossary import mark_terms
from briefgen.site.headings import Heading, HeadingError, outline
from briefgen.site.memo import RenderMemo, page_atoms
from briefgen.site.pagedata import case_study_data, region_adds_to_councils
from briefgen.site.planned import PlannedPage
from briefgen.site.routes import Routes
from briefgen.site.text import (
    long_date,
    lower_first,
    number,
    outcome_status,
    paragraphs,
    slug,
    summarise,
    term_in_text,
    terms,
)

PARALLEL_FROM = 200  # pages; below this, starting workers costs more than it saves
CHUNK = 32  # pages a worker is given at a time: few round trips, yet every core kept busy
# Where the rendering context keeps the page's links to anchors, as `link` notes them.
_LINKS_TO_ANCHORS = "_briefgen_links_to_anchors"
# A link to an anchor of the same page, as our templates write one (`<a href="#sources">`).
_SAME_PAGE_LINK = re.compile(r"""<a\s[^>]*?href\s*=\s*["']#([^"']+)["']""", re.IGNORECASE)


@dataclass(frozen=True)
class RenderedPage:
    """A page's body HTML with what Markdown would have read off it."""

    html: str
    toc: list[Heading]
    title: str
    """The first heading's text, HTML-escaped."""
    anchors: frozenset[str]
    """Every id in the body, for links from other pages to check against."""
    links_to_anchors: dict[str, dict[str, str]] = field(default_factory=dict)
    """The page's links to anchors: the target page's src_uri -> {anchor: the href as
    written}, the page's own src_uri for `#anchor` on the page itself."""


class RenderError(Exception):
    """A template failed on a page; says which page, template and line."""

    def __init__(self, src_uri: str, template: str, where: str, line: int | None, why: str):
        super().__init__(src_uri, template, where, line, why)
        self.message = (
            f"Error rendering '{src_uri}' with template '{template}' "
            f"({where}{f':{line}' if line else ''}):\n{why}"
        )

    def __str__(self) -> str:
        return self.message


def _finalize(value: Any) -> Any:
    if value is None:
        # A template printed a missing optional field: guard it with {% if %}.
        raise TemplateRuntimeError("a template printed None; guard optional fields with {% if %}")
    if isinstance(value, dt.date):
        return long_date(value)
    return value


@pass_context
def _link(
    context: Context,
    target: str,
    text: object,
    anchor: str | None = None,
    button: bool = False,
) -> Markup:
    """A link from the page being rendered to another file of the site, by its src path."""
    routes: Routes = context["routes"]
    href = routes.href(target, context["page"].src_uri)
    if anchor:
        href += "#" + anchor
        context[_LINKS_TO_ANCHORS].setdefault(target, {})[anchor] = href
    css = ' class="md-button"' if button else ""
    # An f-string, not Markup's `%`: this runs tens of thousands of times in a large build.
    return Markup(f'<a href="{escape(href)}"{css}>{escape(text)}</a>')


def make_environment(override: Path | None = None, *, auto_reload: bool = False) -> Environment:
    """The Jinja environment: a site's own template folder first, then ours.

    `auto_reload` re-reads a template that changed on disk, for an environment
    kept across the rebuilds of `mkdocs serve`.
    """
    loaders = [PackageLoader("briefgen", "templates")]
    if override is not None:
        loaders.insert(0, FileSystemLoader(override))
    env = Environment(
        loader=ChoiceLoader(loaders),
        autoescape=True,
        undefined=StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=auto_reload,
    )
    env.filters.update(
        paragraphs=paragraphs,
        number=number,
        summary=summarise,
        lower_first=lower_first,
        outcome_status=outcome_status,
        slug=slug,
        sentence_case=sentence_case,
        term_in_text=term_in_text,
        terms=terms,
    )
    env.globals.update(link=_link, region_adds_to_councils=region_adds_to_councils)
    # Kept so that workers, which cannot be handed the environment, can make its like.
    env.extend(briefgen_override=override)
    compile_once(env)
    return env


def render_page(
    env: Environment, page: PlannedPage, routes: Routes, permalink: str | None = "¶"
) -> RenderedPage:
    """The page's body HTML, with heading anchors, its table of contents and its links
    to anchors. Raises jinja2's TemplateError, or HeadingError for a heading with no id."""
    links: dict[str, dict[str, str]] = {}
    template = env.get_template(page.template)
    body = template.render(page=page, routes=routes, **page.context, **{_LINKS_TO_ANCHORS: links})
    if page.terms is not None:  # after the template: its values are escaped already
        body = mark_terms(body, page.terms)
    body += case_study_data(page, routes)  # what the comparison reads, whatever the template
    for anchor in _SAME_PAGE_LINK.findall(body):
        links.setdefault(page.src_uri, {})[html.unescape(anchor)] = "#" + html.unescape(anchor)
    read = outline(body, permalink)
    return RenderedPage(read.html, read.toc, read.title, read.anchors, links)


def render_pages(
    env: Environment,
    pages: list[PlannedPage],
    routes: Routes,
    permalink: str | None = "¶",
    *,
    parallel: bool = False,
    memo: RenderMemo | None = None,
) -> list[RenderedPage]:
    """Every page's body, in order; on every core when `parallel` and the site is large.

    `parallel` is safe in a process with threads too: workers are then not forked
    from it (helpers/workers.py). `memo` skips pages whose inputs
    have not changed since it last saw them. Raises RenderError for the first page that fails.
    """
    if memo is not None:
        results = []
        for page in pages:
            atoms = page_atoms(page, routes, permalink)
            rendered = memo.get(page.src_uri, atoms)
            if rendered is None:
                rendered = _checked(_render_one(env, page, routes, permalink))
                memo.put(page.src_uri, atoms, rendered)
            results.append(rendered)
        return results
    if not parallel or not workers.worth_it(len(pages), PARALLEL_FROM):
        return [_checked(_render_one(env, page, routes, permalink)) for page in pages]
    # Every worker is handed all the pages as it starts (forked, for nothing; else as one
    # pickle), then told which to render. Pages share their content's objects (a case
    # study is on its own page, its neighbours' and the index), and one pickle carries
    # each object once: sent a chunk at a time, they came to 53 MB at 1,000, not 11.
    given = (env.briefgen_override, routes, permalink, pages)
    spans = [range(start, min(start + CHUNK, len(pages))) for start in range(0, len(pages), CHUNK)]
    with workers.pool(_start_worker, given) as pool:
        return [_checked(result) for done in pool.map(_render_span, spans) for result in done]


# A worker's own environment, with the pages, routes and permalink: set once by
# `_start_worker` as the worker starts, in that worker only.
_worker: tuple[Environment, list[PlannedPage], Routes, str | None] | None = None


def _start_worker(
    override: Path | None, routes: Routes, permalink: str | None, pages: list[PlannedPage]
) -> None:
    global _worker
    _worker = (make_environment(override), pages, routes, permalink)


def _render_span(span: range) -> list[RenderedPage | RenderError]:
    assert _worker is not None, "a render worker starts with _start_worker"
    env, pages, routes, permalink = _worker
    return [_render_one(env, pages[index], routes, permalink) for index in span]


def _render_one(
    env: Environment, page: PlannedPage, routes: Routes, permalink: str | None
) -> RenderedPage | RenderError:
    """The page, or the error it failed with (returned, so that a worker can hand it back)."""
    try:
        return render_page(env, page, routes, permalink)
    except TemplateError as error:
        where = getattr(error, "filename", None) or page.template
        line = getattr(error, "lineno", None)
        return RenderError(page.src_uri, page.template, where, line, str(error))
    except HeadingError as error:
        return RenderError(page.src_uri, page.template, page.template, None, str(error))


def _checked(result: RenderedPage | RenderError) -> RenderedPage:
    if isinstance(result, RenderError):
        raise result
    return result
