"""The glossary: the site's jargon, each term with its expansion and whose words those are.

One file for the whole site (`glossary.yaml` beside `case_studies/`), since a term such
as CIO means the same on every page, whichever briefing or case study uses it. Sources
rarely expand their acronyms, so each entry says whether its expansion is the source's
(citing it, from the file's own `sources`) or the editors' own: the site never puts
words in a source's mouth.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import AfterValidator, ConfigDict, Field

from briefgen.content.load import Document
from briefgen.content.models import Source
from briefgen.content.problems import Problem
from briefgen.content.references import check_sources
from briefgen.content.values import Line, Slug, Text, _Strict

TERM_MAX = 60
# Words of letters and digits joined by one space, hyphen, apostrophe, dot or ampersand:
# what can be found in running text at word boundaries ("CIO", "LG EBP", "R&D").
_TERM = re.compile(r"\w+(?:[ &'’.-]\w+)*")


def _check_term(value: str) -> str:
    if not _TERM.fullmatch(value):
        raise ValueError(
            f"{value!r} cannot be found in running text: a term is words of letters and "
            "digits joined by single spaces, hyphens, apostrophes, dots or '&', such as "
            "'CIO' or 'LG EBP'"
        )
    return value


Term = Annotated[Line, Field(max_length=TERM_MAX), AfterValidator(_check_term)]


def term_key(term: str) -> str:
    """What makes two terms the same entry, and the entry's anchor: 'LG EBP' -> 'lg-ebp'."""
    return "-".join(re.findall(r"\w+", term.casefold()))


def is_abbreviation(term: str) -> bool:
    """An abbreviation (CIO, LG EBP) is written without lower-case letters; a term
    written in them ("members") is a word the site explains, not an abbreviation."""
    return not any(character.islower() for character in term)


class GlossaryEntry(_Strict):
    """One term, what it stands for, and whose words that is."""

    # The editors' schema says what `check_glossary` checks: a source named with 'source'.
    model_config = ConfigDict(
        json_schema_extra={
            "if": {"properties": {"origin": {"const": "source"}}, "required": ["origin"]},
            "then": {"required": ["source"]},
            "else": {"not": {"required": ["source"]}},
        }
    )

    term: Term = Field(description="As it is written in the text, such as 'CIO' or 'members'.")
    expansion: Annotated[Line, Field(max_length=200)] = Field(
        description="What it stands for, such as 'chief information officer'."
    )
    definition: Annotated[Text, Field(max_length=1000)] | None = Field(
        default=None, description="A sentence or two more, if a reader needs it."
    )
    origin: Literal["source", "editors"] = Field(
        description="Whose words the expansion and definition are: 'source' when the source "
        "named in `source` gives them, 'editors' when the editors wrote them because the "
        "sources do not."
    )
    source: Slug | None = Field(
        default=None,
        description="With origin 'source': the id of an entry in this file's sources.",
    )

    @property
    def anchor(self) -> str:
        """The id of the term on the glossary page."""
        return term_key(self.term)

    @property
    def abbreviation(self) -> bool:
        return is_abbreviation(self.term)


class Glossary(_Strict):
    """The site's glossary, as `glossary.yaml`."""

    terms: list[GlossaryEntry] = Field(min_length=1, max_length=500)
    sources: list[Source] = Field(default_factory=list, max_length=100)


def check_glossary(
    doc: Document, glossary: Glossary, today: dt.date, problems: list[Problem]
) -> None:
    """Each term is in the glossary once; an expansion from a source cites one of the
    file's sources, and one by the editors cites none. The sources follow the rules of
    a case study's (`today`, the build date, bounds their dates)."""
    sources = check_sources(doc, glossary.sources, today, problems)
    seen: dict[str, int] = {}
    for index, entry in enumerate(glossary.terms):
        key = term_key(entry.term)
        if key in seen:
            line, column = doc.locate(("terms", seen[key], "term"))
            problems.append(
                doc.problem(
                    ("terms", index, "term"),
                    f"{entry.term!r} is in the glossary already, at {doc.path}:{line}:{column}",
                )
            )
        else:
            seen[key] = index
        if entry.origin == "source" and entry.source is None:
            problems.append(
                doc.problem(
                    ("terms", index, "origin"),
                    "an expansion from a source names it: add 'source:' with the id of one "
                    "of this file's sources, or write 'origin: editors' if the editors wrote it",
                )
            )
        elif entry.origin == "editors" and entry.source is not None:
            problems.append(
                doc.problem(
                    ("terms", index, "source"),
                    "the editors' own expansion cites no source: delete 'source:', or write "
                    "'origin: source' if the source gives this expansion",
                )
            )
        elif entry.source is not None and entry.source not in sources:
            known = ", ".join(sorted(sources)[:5]) or "none yet"
            problems.append(
                doc.problem(
                    ("terms", index, "source"),
                    f"no source in this file's sources has the id {entry.source[:60]!r} "
                    f"(known: {known})",
                )
            )
