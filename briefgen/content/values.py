"""The values content is made of: ids, one-line and longer text, dates, web addresses
and figures, each a type that refuses what no page, feed or terminal can hold, with
the reason said in the editor's words. `models.py` builds case studies and briefings
from them.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

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
date) depends on the build date, so `dates.py` checks it."""

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
