"""Render planned pages to Markdown with one strict Jinja environment.

Templates write Markdown, so that the site engine builds headings, anchors, the
table of contents and the search index from it. Contributed text must stay
text inside that Markdown: every value printed is HTML-escaped (autoescape),
and every character that Markdown or its extensions could read as syntax
(`*`, `[`, `{`, `<`, a leading `-` or `1.`) becomes a numeric character
reference. Python-Markdown passes character references through untouched and
the browser shows the character, so no extension can turn the text into a
link, an attribute list, an include or a tag. Data is only ever passed to
templates as values, never rendered as a template itself.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from pathlib import Path
from typing import Any

import yaml
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
from markupsafe import Markup

from briefgen.pages import PlannedPage, Routes, summarise

# Characters with a meaning somewhere in Markdown or the extensions a site may
# enable (emphasis, links, code, attribute lists, tables, critic, tildes, ...).
_ENTITIES = {ch: f"&#{ord(ch)};" for ch in "\\`*_{}[]()#+!|~^=$"}
_ENTITIES.update({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"})
_TABLE = str.maketrans(_ENTITIES)
# At the start of a line: lists (`-`, `1.`), definition lists (`:`), blocks (`/`), rules.
_LINE_START = re.compile(r"^(\d+)([.)])|^([-:/])")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")

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


def escape_text(value: object) -> Markup:
    """Plain text, on one line, safe anywhere in Markdown and in HTML attributes."""
    if isinstance(value, Markup):
        return value
    text = " ".join(str(value).split()).translate(_TABLE)
    # After translating: the references this adds must not be escaped again.
    return Markup(_LINE_START.sub(_escape_line_start, text))


def _escape_line_start(match: re.Match[str]) -> str:
    if match.group(1):
        return match.group(1) + f"&#{ord(match.group(2))};"
    return f"&#{ord(match.group(3))};"


def paragraphs(value: str) -> Markup:
    """Plain text with blank lines between paragraphs, as Markdown paragraphs."""
    parts = [escape_text(part) for part in _PARAGRAPH_BREAK.split(value.strip()) if part.strip()]
    return Markup("\n\n").join(parts)


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
    return escape_text(value)


@pass_context
def _link(context: Context, target: str, text: object, anchor: str | None = None) -> Markup:
    """A Markdown link from the page being rendered to another page, by its src path."""
    here = posixpath.dirname(context["page"].src_uri)
    href = posixpath.relpath(target, here or ".")
    if anchor:
        href += "#" + anchor
    return Markup(f"[{escape_text(text)}]({href})")


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
    # Our filters return plain text, which `_finalize` escapes when it is printed.
    env.filters.update(
        words=words,
        paragraphs=paragraphs,
        number=number,
        summary=summarise,
        lower_first=lower_first,
    )
    env.globals.update(link=_link)
    return env


def render_page(env: Environment, page: PlannedPage, routes: Routes) -> str:
    """The page's Markdown: YAML front matter, then the rendered template."""
    meta: dict[str, Any] = {"title": page.title, "description": page.description}
    if page.search_boost is not None:
        meta["search"] = {"boost": page.search_boost}
    if page.search_exclude:
        meta["search"] = {"exclude": True}
    if page.tags:
        meta["tags"] = list(page.tags)
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=True, width=1000)
    body = env.get_template(page.template).render(page=page, routes=routes, **page.context)
    return f"---\n{front}---\n\n{body}"
