"""A page's headings: the ids its templates gave them, permanent links and the table of contents.

Generated pages skip Markdown, so this does for them what Markdown's toc
extension did, but for one thing: it never makes an id up from a heading's
text. Readers' bookmarks and other pages' links hold ids, and text changes with
any edit, so each template writes its headings' ids itself (`<h2 id="sources">`,
`<h2 id="{{ theme.id }}">`). A heading with none is an error here, and so is an id
used twice on a page: the browser would take the reader to the first of them.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass

# Headings as templates write them; contributed text cannot forge one, as its `<` is escaped.
_HEADING = re.compile(r"<h([1-6])((?:\s[^>]*)?)>(.*?)</h\1>", re.DOTALL | re.IGNORECASE)
# An id attribute as HTML allows it: in double quotes, single quotes, or none.
_ID = re.compile(r"""\sid\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""", re.IGNORECASE)


def _ids(text: str) -> list[str]:
    return [
        html.unescape(next(value for value in found if value))
        for found in _ID.findall(text)
        if any(found)
    ]


_TAG = re.compile(r"<[^>]*>")
# Widgets' own headings (such as the filter form's) are not sections: no id, link or entry.
NO_TOC = "data-bg-no-toc"


class HeadingError(ValueError):
    """A template wrote a heading without an id, or one id twice on a page."""


@dataclass(frozen=True)
class Heading:
    """One entry of a page's table of contents, nested as the headings are."""

    level: int
    id: str
    name: str
    """The heading's text, HTML-escaped (themes print it as it is)."""
    children: list[Heading]


@dataclass(frozen=True)
class Outline:
    """A page's body with permanent links added, and what Markdown would have read off it."""

    html: str
    toc: list[Heading]
    title: str
    """The first heading's text, HTML-escaped."""
    anchors: frozenset[str]
    """Every id in the body, for links from other pages to check against."""


def outline(body: str, permalink: str | None) -> Outline:
    """Read each heading's id, add its permanent link and collect the table of contents.

    Raises HeadingError for a heading with no id and for an id used twice.
    """
    ids = Counter(_ids(body))
    twice = sorted(heading_id for heading_id, count in ids.items() if count > 1)
    if twice:
        raise HeadingError(
            f"the id {twice[0]!r} is used {ids[twice[0]]} times on the page: each id must be "
            "unique, so links and bookmarks lead to one place. Make the template's id "
            "attributes differ, such as by including each item's id"
        )
    found: list[tuple[int, str, str]] = []

    def anchor(match: re.Match[str]) -> str:
        level, attributes, inner = int(match.group(1)), match.group(2), match.group(3)
        if NO_TOC in attributes:
            return match.group(0)
        name = _TAG.sub("", inner).strip()
        given = _ids(attributes)
        if not given:
            raise HeadingError(
                f"the heading {html.unescape(name)!r} (h{level}) has no id: add an id "
                f'attribute to it in the template, such as <h{level} id="…">, made of fixed '
                "words or the ids of the data it shows, not of its text (bookmarks and links "
                f"hold ids, and text changes); or mark a widget's own heading {NO_TOC}"
            )
        heading_id = given[0]
        found.append((level, heading_id, name))
        href = html.escape(heading_id)
        link = (
            f'<a class="headerlink" href="#{href}" title="Permanent link">{permalink}</a>'
            if permalink
            else ""
        )
        return f"<h{level}{attributes}>{inner}{link}</h{level}>"

    anchored = _HEADING.sub(anchor, body)
    return Outline(
        html=anchored,
        toc=_nest(found),
        title=found[0][2] if found else "",
        anchors=frozenset(ids),
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
