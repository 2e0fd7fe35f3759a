"""Values as a page prints them: dates, numbers, paragraphs, one-line summaries and slugs.

Plain functions of plain values. Templates use them as Jinja filters; the plan
uses `summarise` for each page's description.
"""

from __future__ import annotations

import datetime as dt
import re

from markdown.extensions.toc import slugify
from markupsafe import Markup, escape

DESCRIPTION_LIMIT = 200
# About what a search result or a shared link shows before it cuts a description off.
SHORT_DESCRIPTION_LIMIT = 155

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


def paragraphs(value: str) -> Markup:
    """Plain text with blank lines between paragraphs, as HTML paragraphs."""
    parts = _PARAGRAPH_BREAK.split(value.strip())
    return Markup("\n".join(f"<p>{escape(' '.join(p.split()))}</p>" for p in parts if p.strip()))


# One vocabulary, shown one way: sentence case, as GOV.UK writes labels. A model or tier
# is a fixed word ('group-company'); a service is written by each contributor, and shown
# with `sentence_case` (briefgen/content/wording.py, which `briefgen check` uses too).
_PROPER = {"london": "London"}


def term(value: str) -> str:
    """A fixed word as a label: 'group-company' -> 'Group company'."""
    return upper_first(term_in_text(value))


def term_in_text(value: str) -> str:
    """A fixed word within a sentence: 'group-company' -> 'group company',
    'london-borough' -> 'London borough'."""
    return " ".join(_PROPER.get(word, word) for word in value.split("-"))


def terms(values: list[str]) -> str:
    """Fixed words in a line, each a label: ['partnership', 'group-company'] ->
    'Partnership, Group company', as services are shown beside them. Not 'Partnership,
    group company': a service's first capital may be a proper name's ('Bristol waste'),
    which lowering every item after the first would lose."""
    return ", ".join(term(value) for value in values)


def long_date(value: dt.date) -> str:
    """28 November 2026: the form GOV.UK uses."""
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def number(value: float) -> str:
    """30.0 -> '30'; 2.5 -> '2.5'."""
    return f"{value:g}"


def lower_first(value: str) -> str:
    """'On the IT' -> 'on the IT', to continue a sentence."""
    return value[:1].lower() + value[1:]


_STATUS = {"reported": "Reported", "verified": "Verified", "planned": "Planned"}


def outcome_status(status: str, reported_by: str | None) -> str:
    """What is known of a figure and who reported it, as every page says it: 'Reported by
    X', 'Verified; reported by X' (the reporter is not who verified it), 'Planned'."""
    said = _STATUS[status]
    if reported_by:
        said += (" by " if status == "reported" else "; reported by ") + reported_by
    return said


def upper_first(value: str) -> str:
    """'payroll' -> 'Payroll', to start a label."""
    return value[:1].upper() + value[1:]


def summarise(text: str, limit: int = DESCRIPTION_LIMIT) -> str:
    """The first paragraph of `text` on one line, cut at a word to at most `limit` characters."""
    first = " ".join(text.strip().split("\n\n", 1)[0].split())
    if len(first) <= limit:
        return first
    return first[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def slug(value: str) -> str:
    """'Sharing Services – Lessons' -> 'sharing-services-lessons', as Markdown's toc
    extension makes a heading's id (so ids made before templates wrote them stay the
    same); 'section' if nothing is left. For a template's id of a heading that shows
    one item whose own id it cannot use."""
    return slugify(value, "-") or "section"


def rights_statement(licence: str | None) -> str:
    """What the site says of the rights in its content, on the data page and in the feed
    alike: the licence its owner grants, or, with none configured, that it claims none."""
    if licence is None:
        return (
            "This site claims no licence over its content: rights remain with the sources’ "
            "owners. Each case study names its sources and the rights each states; ask a "
            "source’s owner before you reuse its words or figures."
        )
    return (
        f"The site’s own content is published under the {licence}. The sources’ words and "
        "figures remain their owners’: each case study names its sources and the rights "
        "each states."
    )
