"""Render planned pages to HTML with one strict Jinja environment.

Templates write the HTML of a page's body directly. Generated pages skip the
Markdown stage: at a thousand case studies, Python-Markdown re-parsing HTML we
had just written was half of the build. So this module also does the two
things Markdown did for them: it gives every heading an id and a permanent
link, and it reads off the table of contents.

Contributed text stays text: the environment autoescapes every value it
prints, and data is only ever passed to templates as values, never rendered
as a template itself.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import multiprocessing
import os
import re
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
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
from markdown.extensions.toc import slugify, unique
from markupsafe import Markup, escape
from pydantic import BaseModel

from briefgen.site.pagedata import case_study_data
from briefgen.site.plan import PlannedPage, summarise
from briefgen.site.routes import Routes

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
# Headings as our templates write them; contributed text cannot forge one, as its `<` is escaped.
_HEADING = re.compile(r"<h([1-6])((?:\s[^>]*)?)>(.*?)</h\1>", re.DOTALL)
_ID = re.compile(r'\sid="([^"]*)"')
_TAG = re.compile(r"<[^>]*>")

_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


@dataclass(frozen=True)
class Heading:
    """One entry of a page's table of contents, nested as the headings are."""

    level: int
    id: str
    name: str
    """The heading's text, HTML-escaped (themes print it as it is)."""
    children: list[Heading]


@dataclass(frozen=True)
class RenderedPage:
    """A page's body HTML with what Markdown would have read off it."""

    html: str
    toc: list[Heading]
    title: str
    """The first heading's text, HTML-escaped."""
    anchors: frozenset[str]
    """Every id in the body, for links from other pages to check against."""


def paragraphs(value: str) -> Markup:
    """Plain text with blank lines between paragraphs, as HTML paragraphs."""
    parts = _PARAGRAPH_BREAK.split(value.strip())
    return Markup("\n".join(f"<p>{escape(' '.join(p.split()))}</p>" for p in parts if p.strip()))


def words(value: str) -> str:
    """'shared-service' -> 'shared service'."""
    return value.replace("-", " ")


def long_date(value: dt.date) -> str:
    """28 November 2026: the form GOV.UK uses."""
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def number(value: float) -> str:
    """30.0 -> '30'; 2.5 -> '2.5'."""
    return f"{value:g}"


def lower_first(value: str) -> str:
    """'On the IT' -> 'on the IT', to continue a sentence."""
    return value[:1].lower() + value[1:]


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
        words=words,
        paragraphs=paragraphs,
        number=number,
        summary=summarise,
        lower_first=lower_first,
    )
    env.globals.update(link=_link)
    return env


def render_page(
    env: Environment, page: PlannedPage, routes: Routes, permalink: str | None = "¶"
) -> RenderedPage:
    """The page's body HTML, with heading anchors and its table of contents."""
    body = env.get_template(page.template).render(page=page, routes=routes, **page.context)
    body += case_study_data(page, routes)  # what the comparison reads, whatever the template
    return anchor_headings(body, permalink)


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


# What forked workers render: set just before they start, inherited, never pickled.
_batch: tuple[Environment, list[PlannedPage], Routes, str | None] | None = None
PARALLEL_FROM = 200  # pages; below this, starting processes costs more than it saves


class RenderMemo:
    """Pages rendered by an earlier build, with what they were made from (for `serve`).

    A page's inputs are flattened to atoms: content models, compared by identity
    (the reader hands back the same object for a file that has not changed, and
    the memo holds it, so its identity cannot be reused), and plain values,
    compared by equality. A page whose atoms are all the same is not rendered again.
    """

    def __init__(self) -> None:
        self._pages: dict[str, tuple[tuple[Any, ...], RenderedPage]] = {}

    def get(self, key: str, atoms: tuple[Any, ...]) -> RenderedPage | None:
        kept = self._pages.get(key)
        if kept is None or len(kept[0]) != len(atoms):
            return None
        same = all(
            a is b if isinstance(a, BaseModel) else type(a) is type(b) and a == b
            for a, b in zip(kept[0], atoms, strict=True)
        )
        return kept[1] if same else None

    def put(self, key: str, atoms: tuple[Any, ...], rendered: RenderedPage) -> None:
        self._pages[key] = (atoms, rendered)

    def clear(self) -> None:
        self._pages.clear()


def _atoms(value: Any, into: list[Any]) -> None:
    if isinstance(value, BaseModel):
        into.append(value)
    elif isinstance(value, dict):
        into.append(dict)
        for key, item in value.items():
            into.append(key)
            _atoms(item, into)
    elif isinstance(value, list | tuple):
        into.append(len(value))
        for item in value:
            _atoms(item, into)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        into.append(type(value))
        for item in vars(value).values():
            _atoms(item, into)
    else:
        into.append(value)


def page_atoms(page: PlannedPage, routes: Routes, permalink: str | None) -> tuple[Any, ...]:
    """Everything a page's HTML is made from, flattened for `RenderMemo`."""
    into: list[Any] = [page.template, routes, permalink]
    _atoms(page, into)
    return tuple(into)


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

    `parallel` forks processes: only for a process with no other threads, such
    as `mkdocs build` (not `serve`). `memo` skips pages whose inputs have not
    changed since it last saw them. Raises RenderError for the first page that fails.
    """
    global _batch
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
    cores = os.cpu_count() or 1
    if not parallel or len(pages) < PARALLEL_FROM or cores < 2:
        return [_checked(_render_one(env, page, routes, permalink)) for page in pages]
    _batch = (env, pages, routes, permalink)
    try:
        with ProcessPoolExecutor(cores, mp_context=multiprocessing.get_context("fork")) as pool:
            results = list(pool.map(_render_at, range(len(pages)), chunksize=32))
    finally:
        _batch = None
    return [_checked(result) for result in results]


def _render_at(index: int) -> RenderedPage | RenderError:
    assert _batch is not None
    env, pages, routes, permalink = _batch
    return _render_one(env, pages[index], routes, permalink)


def _render_one(
    env: Environment, page: PlannedPage, routes: Routes, permalink: str | None
) -> RenderedPage | RenderError:
    try:
        return render_page(env, page, routes, permalink)
    except TemplateError as error:
        where = getattr(error, "filename", None) or page.template
        line = getattr(error, "lineno", None)
        return RenderError(page.src_uri, page.template, where, line, str(error))


def _checked(result: RenderedPage | RenderError) -> RenderedPage:
    if isinstance(result, RenderError):
        raise result
    return result


def anchor_headings(body: str, permalink: str | None) -> RenderedPage:
    """Give each heading an id (as Markdown's toc extension would) and a permanent link."""
    used = set(_ID.findall(body))
    found: list[tuple[int, str, str]] = []

    def anchor(match: re.Match[str]) -> str:
        level, attributes, inner = int(match.group(1)), match.group(2), match.group(3)
        if "data-bg-no-toc" in attributes:  # a heading of a widget, such as the filter form
            return match.group(0)
        name = _TAG.sub("", inner).strip()
        given = _ID.search(attributes)
        if given:
            heading_id = given.group(1)
        else:
            heading_id = unique(slugify(html.unescape(name), "-") or "section", used)
            attributes = f' id="{heading_id}"{attributes}'
        found.append((level, heading_id, name))
        link = (
            f'<a class="headerlink" href="#{heading_id}" title="Permanent link">{permalink}</a>'
            if permalink
            else ""
        )
        return f"<h{level}{attributes}>{inner}{link}</h{level}>"

    anchored = _HEADING.sub(anchor, body)
    return RenderedPage(
        html=anchored,
        toc=_nest(found),
        title=found[0][2] if found else "",
        anchors=frozenset(used | {heading_id for _, heading_id, _ in found}),
    )


def _nest(found: list[tuple[int, str, str]]) -> list[Heading]:
    """Flat headings to a tree: each heading holds the deeper ones that follow it."""
    root: list[Heading] = []
    stack: list[Heading] = []
    for level, heading_id, name in found:
        heading = Heading(level, heading_id, name, [])
        while stack and stack[-1].level >= level:
            stack.pop()
        (stack[-1].children if stack else root).append(heading)
        stack.append(heading)
    return root
