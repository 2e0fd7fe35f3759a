"""The content model: what a case study and a briefing may hold.

Every model forbids unknown fields, so a typo is an error rather than a field
that silently vanishes. Checks that span several objects (does this source id
exist? is this id the file name?) live in `validate.py`, where they can name
the file and line of the offending field.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

if TYPE_CHECKING:  # glossary.py builds on this module's types
    from briefgen.content.glossary import Glossary

SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
_SLUG = re.compile(SLUG_PATTERN)
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# Names Windows keeps for devices: a file called `con.yaml` (or a folder `themes/nul/`)
# cannot be checked out there, whatever its extension. Slugs hold no dots, so the name
# alone is the whole test.
WINDOWS_DEVICES = frozenset(
    {"con", "prn", "aux", "nul", *(f"com{n}" for n in range(10)), *(f"lpt{n}" for n in range(10))}
)

# Characters that XML 1.0 or HTML cannot hold, or that drive a terminal (ESC, CSI):
# C0 controls but tab and newline, DEL, C1 controls and non-characters. (Surrogates never
# get this far: pydantic refuses them as text, and `fields.py` says so.)
_UNHOLDABLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\ufdd0-\ufdef"
    + "".join(f"\\U{plane:04x}fffe\\U{plane:04x}ffff" for plane in range(17))
    + "]"
)
_ONE_LINE = re.compile("[\t\n\u2028\u2029]")  # and the line and paragraph separators
# Invisible characters that make two filter values or ids that read the same differ:
# zero-width spaces and joiners, the word joiner, the byte-order mark, bidi controls.
_INVISIBLE = re.compile(
    "[\u200b-\u200f\u2060-\u2064\ufeff\u202a-\u202e\u2066-\u2069\u061c\u00ad\u180e"
    "\ufe00-\ufe0f\U000e0100-\U000e01ef\u2800]"  # soft hyphen, variation selectors, blank braille
)
_LINE_ENDS = re.compile("\r\n?")


def _code(character: str) -> str:
    return f"U+{ord(character):04X}"


def _nfc(value: object) -> object:
    # Before the length check: NFC can lengthen a few strings, and the limit must hold
    # for what is published.
    if not isinstance(value, str) or value.isascii():  # ASCII is NFC already
        return value
    return unicodedata.normalize("NFC", value)


def _text(*, one_line: bool, visible: bool = False) -> AfterValidator:
    """The characters a piece of text may hold: never one a page, feed or terminal cannot
    hold; on one line, no line break or tab; in a filter value, nothing invisible."""

    def check(value: str) -> str:
        if not one_line and "\r" in value:
            value = _LINE_ENDS.sub("\n", value)  # CR only ever ends a line
        # The common case, checked at C speed: every character printable. Every character
        # refused below (controls, format and unassigned characters) is not printable;
        # line breaks and tabs are not either, so they are set aside where text allows them.
        allowed = value if one_line else value.replace("\n", "").replace("\t", "")
        # (Variation selectors and blank braille are printable: a filter value that is not
        # plain ASCII is searched for them below.)
        if allowed.isprintable() and (not visible or allowed.isascii()):
            return value
        if bad := _UNHOLDABLE.search(value):
            char = bad.group()
            kind = _kind(char)
            if one_line and char == "\r":
                raise _one_line_error(bad)
            raise ValueError(
                f"contains {_code(char)} ({kind}) at character {bad.start() + 1}, "
                "which pages, feeds and terminals cannot hold: delete it"
            )
        if one_line and (bad := _ONE_LINE.search(value)):
            raise _one_line_error(bad)
        if visible and (bad := _INVISIBLE.search(value)):
            char = bad.group()
            raise ValueError(
                f"contains {_code(char)} ({unicodedata.name(char).lower()}, invisible) at "
                f"character {bad.start() + 1}: two values that read the same would differ; "
                "delete it"
            )
        return value

    return AfterValidator(check)


def _one_line_error(bad: re.Match[str]) -> ValueError:
    what = "a tab" if bad.group() == "\t" else "a line break"
    return ValueError(
        f"must be one line: it contains {what} ({_code(bad.group())}) at character "
        f"{bad.start() + 1}; write it on one line"
    )


def _kind(character: str) -> str:
    code = ord(character)
    if code < 0x20 or 0x7F <= code <= 0x9F:
        return "a control character"
    return "a non-character"


SLUG_MAX = 80
"""The longest id: a file name and a part of a web address."""


def _check_slug(value: str) -> str:
    if not _SLUG.fullmatch(value):
        raise ValueError(
            f"{value!r} is not a slug: use lower-case letters, digits and single hyphens, "
            "such as 'north-dorset'"
        )
    if value.lower() in WINDOWS_DEVICES:
        raise ValueError(
            f"{value!r} is a device name on Windows (as are con, prn, aux, nul, com0 to com9 "
            "and lpt0 to lpt9): a file or folder named so cannot be checked out there; "
            "choose another id"
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


_NFC = BeforeValidator(_nfc)

Slug = Annotated[
    str, Field(max_length=SLUG_MAX), _NFC, _text(one_line=True), AfterValidator(_check_slug)
]
"""An identifier: lower-case letters, digits and single hyphens."""

Line = Annotated[str, Field(min_length=1, max_length=300), _NFC, _text(one_line=True)]
"""A short piece of plain text on one line: a name, a title, a label."""

Name = Annotated[str, Field(min_length=1, max_length=300), _NFC, _text(one_line=True, visible=True)]
"""A value readers filter by (a council, a region, a service, a tag): one line, nothing
invisible, so that two values that read the same are the same."""

Text = Annotated[str, Field(min_length=1, max_length=5000), _NFC, _text(one_line=False)]
"""Plain text of a sentence or a paragraph."""

Paragraphs = Annotated[str, Field(min_length=1, max_length=20000), _NFC, _text(one_line=False)]
"""Plain text of one or more paragraphs, separated by blank lines."""

Date = Annotated[
    dt.date,
    BeforeValidator(_parse_date),
    WithJsonSchema({"type": "string", "format": "date"}),
]
"""A calendar date written YYYY-MM-DD. Its window (from 2000 to 20 years after the build
date) depends on the build date, so `rules.py` checks it."""

Url = Annotated[str, Field(max_length=2000), _text(one_line=True), AfterValidator(_check_url)]
"""An http or https web address."""

VALUE_LIMIT = 1e12
"""No figure in a briefing comes near a million million; beyond it is an error."""
PERCENT_LIMIT = 1000
PERCENT_UNITS = ("%", "per cent", "percent")

Number = Annotated[float, Field(allow_inf_nan=False, ge=-VALUE_LIMIT, le=VALUE_LIMIT)]
"""A finite figure within ±VALUE_LIMIT: JSON has no NaN or infinity."""


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
Status = Literal["reported", "verified", "planned"]
"""What is known of a figure: `reported` (someone said so; nobody has checked it),
`verified` (checked against published accounts or audit), `planned` (not yet done)."""

UNDATED = "undated"


def _parse_source_date(value: object) -> object:
    # A source with no date must say so: a missing date is a question left open,
    # "undated" is an answer.
    if value == UNDATED:
        return value
    if value is None:
        raise ValueError(
            "give the date the source was published (YYYY-MM-DD), or 'undated' if it "
            "has none (then say in 'period' what time it describes)"
        )
    return _parse_date(value)


SourceDate = Annotated[
    dt.date | Literal["undated"],
    BeforeValidator(_parse_source_date),
    WithJsonSchema({"anyOf": [{"type": "string", "format": "date"}, {"const": UNDATED}]}),
]
"""A source's date, YYYY-MM-DD, or the word `undated`."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


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
