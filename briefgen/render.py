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

import datetime as dt
import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
    TemplateRuntimeError,
    pass_context,
)
from jinja2.runtime import Context
from markdown.extensions.toc import slugify, unique
from markupsafe import Markup

from briefgen.pages import PlannedPage, Routes, summarise

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
    return Markup("\n").join(Markup("<p>%s</p>") % " ".join(p.split()) for p in parts if p.strip())


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
    return Markup('<a href="%s"%s>%s</a>') % (href, Markup(css), text)


def make_environment(override: Path | None = None) -> Environment:
    """The Jinja environment: a site's own template folder first, then ours."""
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
        auto_reload=False,
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
    return anchor_headings(body, permalink)


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
