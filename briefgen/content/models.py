"""The content model: what a case study and a briefing may hold.

Every model forbids unknown fields, so a typo is an error rather than a field
that silently vanishes; the values they hold are `values.py`'s types. Checks that span
several objects (does this source id exist? is this id the file name?) live in
`rules.py` and `references.py`, where they can name the file and line of the
offending field.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from pydantic import ConfigDict, Field

from briefgen.content.values import (
    PERCENT_LIMIT,
    PERCENT_UNITS,
    Date,
    Line,
    Model,
    Name,
    Number,
    Paragraphs,
    Setting,
    Slug,
    SourceDate,
    Status,
    Text,
    Tier,
    Url,
    _Strict,
)

if TYPE_CHECKING:  # glossary.py builds on this module's types
    from briefgen.content.glossary import Glossary


class Organisation(_Strict):
    """A council or other body taking part."""

    name: Name
    tier: Tier | None = None


class Person(_Strict):
    """Someone who spoke for or led the work."""

    name: Line
    role: Line | None = None


class Source(_Strict):
    """Where a fact comes from. Outcomes, quotes, figures and takeaways cite it by `id`.

    The author and publisher are the source's, never the briefing's: the briefing's
    own editors are in its `editors`.
    """

    id: Slug
    title: Line | None = Field(
        default=None, description="The source's own title, only if it has one."
    )
    description: Line | None = Field(
        default=None,
        description="What the source is, in plain words, when it has no title of its own.",
    )
    cited_as: Line | None = Field(
        default=None,
        description="A short name for the source where a statement cites it, such as "
        "'Eduserv’s write-up'; by default its title or description.",
    )
    publisher: Line | None = None
    author: Line | None = None
    date: SourceDate = Field(
        description="When it was published (YYYY-MM-DD), or 'undated' if it gives no date."
    )
    period: Line | None = Field(
        default=None, description="The time it describes; needed when it is undated."
    )
    url: Url | None = None
    rights: Line | None = Field(
        default=None,
        description="Who holds the rights and under what licence, as the source states; "
        "'No licence stated' when it states none.",
    )
    author_note: Line | None = Field(
        default=None, description="One line on the author, as the source gives it."
    )
    author_note_url: Url | None = Field(
        default=None, description="Where the author's full biography is published."
    )

    @property
    def name(self) -> str:
        """What the source is called on a page: its title, else its description."""
        return self.title or self.description or self.id

    @property
    def label(self) -> str:
        """What a statement that cites the source calls it."""
        return self.cited_as or self.name


class Outcome(_Strict):
    """A result with a figure, always with its source and who reported it."""

    # A percentage is within ±PERCENT_LIMIT (`rules.py` checks it, where it can point at
    # the value); the published schema says so too.
    model_config = ConfigDict(
        json_schema_extra={
            "if": {"properties": {"unit": {"enum": list(PERCENT_UNITS)}}, "required": ["unit"]},
            "then": {
                "properties": {"value": {"minimum": -PERCENT_LIMIT, "maximum": PERCENT_LIMIT}}
            },
        }
    )

    metric: Line = Field(description="What was measured, such as 'reduction in costs'.")
    value: Number
    unit: Line | None = Field(default=None, description="Such as '%' or '£m'.")
    scope: Text | None = Field(default=None, description="Where or to what the figure applies.")
    status: Status = Field(
        description="reported (someone said so), verified (checked) or planned (not yet done)."
    )
    reported_by: Line | None = Field(
        default=None, description="Whose figure it is, such as the speaker who gave it."
    )
    source: Slug = Field(description="The id of an entry in this file's sources.")


class Takeaway(_Strict):
    """A lesson, tagged with themes; a takeaway that states a figure must cite a source."""

    text: Text
    themes: list[Slug] = Field(
        default_factory=list, max_length=10, description="Theme ids from a briefing."
    )
    source: Slug | None = Field(default=None, description="The id of an entry in sources.")
    case_studies: list[Slug] = Field(
        default_factory=list,
        max_length=50,
        description="Ids of case studies that bear the takeaway out.",
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
    organisations: list[Organisation] = Field(min_length=1, max_length=50)
    region: Name | None = None
    setting: Setting | None = None
    models: list[Model] = Field(min_length=1, max_length=7)
    speaker: Person | None = None
    services: list[Name] = Field(default_factory=list, max_length=50)
    outcomes: list[Outcome] = Field(default_factory=list, max_length=50)
    challenges: list[Text] = Field(default_factory=list, max_length=50)
    enablers: list[Text] = Field(default_factory=list, max_length=50)
    takeaways: list[Takeaway] = Field(default_factory=list, max_length=50)
    quotes: list[Quote] = Field(default_factory=list, max_length=50)
    sources: list[Source] = Field(min_length=1, max_length=100)
    tags: list[Name] = Field(default_factory=list, max_length=30)
    reviewed: Date = Field(description="When the case study was last checked against its sources.")
    review_due: Date = Field(description="When it should next be checked.")


class Theme(_Strict):
    """A heading under which takeaways are grouped."""

    id: Slug
    title: Line
    description: Text | None = None


class Editors(_Strict):
    """Who compiled a briefing, from what, and when: never the sources' authors."""

    name: Line = Field(description="Who compiled the briefing.")
    compiled_from: Text = Field(description="What they compiled it from.")
    compiled: Date = Field(description="When they compiled it.")


class KeyFigure(_Strict):
    """A figure an executive should know, with whose it is and how far to trust it."""

    value: Line = Field(description="The figure as a reader quotes it, such as '30%'.")
    measures: Text = Field(description="What it measures, and where it applies.")
    reported_by: Line = Field(description="Whose figure it is: who reported it.")
    source: Slug = Field(description="The id of an entry in the briefing's sources.")
    caveat: Text | None = Field(default=None, description="What a reader should bear in mind.")


class ChecklistItem(_Strict):
    """One thing to check, why, and what to ask."""

    label: Line
    why_it_matters: Text
    questions: list[Line] = Field(min_length=1, max_length=20)
    case_studies: list[Slug] = Field(
        default_factory=list,
        max_length=50,
        description="Ids of case studies that show why this matters.",
    )


class Checklist(_Strict):
    """A printable list of checks."""

    id: Slug
    title: Line
    intro: Text | None = None
    written_by: Line | None = Field(
        default=None,
        description="Who wrote why each item matters and its questions, when the sources "
        "did not, such as 'the editors'.",
    )
    items: list[ChecklistItem] = Field(min_length=1, max_length=40)


class Briefing(_Strict):
    """An executive briefing that frames case studies, as `briefings/<id>.yaml`.

    Its title is the briefing's own; what it was compiled from goes in `sources`,
    with each source's own title, author and publisher. The bottom line, what this
    means and what to do next are the editors' words, and the page says so.
    """

    id: Slug = Field(description="Equal to the file name without '.yaml'.")
    title: Line = Field(description="This briefing's own title, not a source's.")
    as_at: Date | None = Field(default=None, description="The date the briefing is current to.")
    bottom_line: Text | None = Field(
        default=None, description="Two or three sentences, in the editors' words."
    )
    key_figures: list[KeyFigure] = Field(default_factory=list, max_length=6)
    what_this_means: list[Text] = Field(
        default_factory=list,
        max_length=10,
        description="What this means for a council, in the editors' words.",
    )
    what_to_do_next: list[Text] = Field(
        default_factory=list, max_length=10, description="Next steps, in the editors' words."
    )
    editors: Editors | None = None
    event: Text | None = Field(default=None, description="The event the sources describe.")
    context: Paragraphs
    themes: list[Theme] = Field(default_factory=list, max_length=50)
    case_studies: list[Slug] = Field(default_factory=list, max_length=500)
    key_takeaways: list[Takeaway] = Field(default_factory=list, max_length=50)
    checklists: list[Checklist] = Field(default_factory=list, max_length=20)
    sources: list[Source] = Field(default_factory=list, max_length=100)
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
    glossary: Glossary | None = None
    """The site's glossary (`glossary.py`), if it has one."""
