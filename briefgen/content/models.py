"""The content model: what a case study and a briefing may hold.

Every model forbids unknown fields, so a typo is an error rather than a field
that silently vanishes. Checks that span several objects (does this source id
exist? is this id the file name?) live in `validate.py`, where they can name
the file and line of the offending field.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
_SLUG = re.compile(SLUG_PATTERN)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _check_slug(value: str) -> str:
    if not _SLUG.fullmatch(value):
        raise ValueError(
            f"{value!r} is not a slug: use lower-case letters, digits and single hyphens, "
            "such as 'north-dorset'"
        )
    return value


def _parse_date(value: object) -> object:
    # Dates arrive as the text the author wrote; accept only YYYY-MM-DD so that
    # '1/2/2026' (January or February?) is never guessed.
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        got = "nothing" if value is None else repr(value)
        raise ValueError(f"expected a date written YYYY-MM-DD, such as 2024-11-28; got {got}")
    try:
        return dt.date.fromisoformat(value)
    except ValueError as error:
        raise ValueError(f"{value!r} is not a real date ({error})") from None


def _check_url(value: str) -> str:
    # Only web addresses: 'javascript:', 'data:' and 'vbscript:' never reach a page.
    parts = urlsplit(value)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        raise ValueError(f"expected a web address starting https:// or http://; got {value!r}")
    if any(ch.isspace() or ord(ch) < 32 for ch in value):
        raise ValueError("a web address cannot contain spaces or control characters")
    return value


Slug = Annotated[str, Field(max_length=80), AfterValidator(_check_slug)]
"""An identifier: lower-case letters, digits and single hyphens."""

Line = Annotated[str, Field(min_length=1, max_length=300)]
"""A short piece of plain text on one line: a name, a title, a label."""

Text = Annotated[str, Field(min_length=1, max_length=5000)]
"""Plain text of a sentence or a paragraph."""

Paragraphs = Annotated[str, Field(min_length=1, max_length=20000)]
"""Plain text of one or more paragraphs, separated by blank lines."""

Date = Annotated[
    dt.date,
    BeforeValidator(_parse_date),
    WithJsonSchema({"type": "string", "format": "date"}),
]
"""A calendar date written YYYY-MM-DD."""

Url = Annotated[str, Field(max_length=2000), AfterValidator(_check_url)]
"""An http or https web address."""

Tier = Literal["county", "district", "unitary", "metropolitan", "london-borough", "other"]
Setting = Literal["urban", "rural", "mixed"]
Model = Literal[
    "shared-service",
    "partnership",
    "merger",
    "group-company",
    "joint-venture",
    "outsourcing",
    "other",
]
Status = Literal["achieved", "projected"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


class Organisation(_Strict):
    """A council or other body taking part."""

    name: Line
    tier: Tier | None = None


class Person(_Strict):
    """Someone who spoke for or led the work."""

    name: Line
    role: Line | None = None


class Source(_Strict):
    """Where a fact comes from. Outcomes, quotes and takeaways cite it by `id`."""

    id: Slug
    title: Line
    publisher: Line | None = None
    author: Line | None = None
    date: Date | None = None
    url: Url | None = None


class Outcome(_Strict):
    """A measured or projected result, always with its source."""

    metric: Line = Field(description="What was measured, such as 'reduction in costs'.")
    value: float
    unit: Line | None = Field(default=None, description="Such as '%' or '£m'.")
    scope: Text | None = Field(default=None, description="Where or to what the figure applies.")
    status: Status
    source: Slug = Field(description="The id of an entry in this file's sources.")


class Takeaway(_Strict):
    """A lesson, tagged with themes; a takeaway that states a figure must cite a source."""

    text: Text
    themes: list[Slug] = Field(default_factory=list, description="Theme ids from a briefing.")
    source: Slug | None = Field(default=None, description="The id of an entry in sources.")
    case_studies: list[Slug] = Field(
        default_factory=list, description="Ids of case studies that bear the takeaway out."
    )


class Quote(_Strict):
    """Words as spoken, with who said them and where they were reported."""

    text: Text
    speaker: Line
    context: Text | None = Field(default=None, description="What the speaker was talking about.")
    source: Slug


class CaseStudy(_Strict):
    """One council's (or partnership's) story, as `case_studies/<id>.yaml`."""

    id: Slug = Field(description="Equal to the file name without '.yaml'.")
    title: Line
    summary: Paragraphs
    organisations: list[Organisation] = Field(min_length=1)
    region: Line | None = None
    setting: Setting | None = None
    models: list[Model] = Field(min_length=1)
    speaker: Person | None = None
    services: list[Line] = Field(default_factory=list)
    outcomes: list[Outcome] = Field(default_factory=list)
    challenges: list[Text] = Field(default_factory=list)
    enablers: list[Text] = Field(default_factory=list)
    takeaways: list[Takeaway] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    sources: list[Source] = Field(min_length=1)
    tags: list[Line] = Field(default_factory=list)
    reviewed: Date = Field(description="When the case study was last checked against its sources.")
    review_due: Date = Field(description="When it should next be checked.")


class Theme(_Strict):
    """A heading under which takeaways are grouped."""

    id: Slug
    title: Line
    description: Text | None = None


class Author(_Strict):
    """Who wrote the briefing."""

    name: Line
    role: Line | None = None
    bio: Paragraphs | None = None


class ChecklistItem(_Strict):
    """One thing to check, why, and what to ask."""

    label: Line
    why_it_matters: Text
    questions: list[Line] = Field(min_length=1)
    case_studies: list[Slug] = Field(
        default_factory=list, description="Ids of case studies that show why this matters."
    )


class Checklist(_Strict):
    """A printable list of checks."""

    id: Slug
    title: Line
    intro: Text | None = None
    items: list[ChecklistItem] = Field(min_length=1)


class Briefing(_Strict):
    """A publication or event that frames case studies, as `briefings/<id>.yaml`."""

    id: Slug = Field(description="Equal to the file name without '.yaml'.")
    title: Line
    programme: Line | None = None
    publisher: Line | None = None
    host: Line | None = None
    event: Text | None = Field(default=None, description="What the event was.")
    date: Date | None = None
    author: Author | None = None
    context: Paragraphs
    themes: list[Theme] = Field(default_factory=list)
    case_studies: list[Slug] = Field(default_factory=list)
    key_takeaways: list[Takeaway] = Field(default_factory=list)
    checklists: list[Checklist] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)
    reviewed: Date | None = Field(
        default=None, description="When the briefing was last checked against its sources."
    )


@dataclass(frozen=True)
class Content:
    """Everything the site is built from, checked and cross-referenced."""

    case_studies: dict[str, CaseStudy]
    """By id, in order of title."""
    briefings: dict[str, Briefing]
    """By id, in order of id."""
    themes: dict[str, Theme]
    """Every theme any briefing declares, by id."""
    files: dict[str, str]
    """The YAML file each case study and briefing came from, by id."""
