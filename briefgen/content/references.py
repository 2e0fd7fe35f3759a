"""What a file refers to exists, and what it claims it cites.

A reference to a case study, a source or a theme names one that exists, and an
unknown one is given a few close matches; a file's sources are each used once, named,
and dated; a takeaway that states a figure cites one of its file's sources.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field

from briefgen.content.dates import outside_window
from briefgen.content.load import Document
from briefgen.content.models import Source, Takeaway
from briefgen.content.problems import FieldPath, Problem
from briefgen.content.values import UNDATED

# A figure a reader might quote: "30%", "50 per cent", "£2m".
_FIGURE = re.compile(r"\d+(?:\.\d+)?\s*(?:%|per\s?cent\b)|£\s*\d", re.IGNORECASE)


@dataclass
class Guesses:
    """How many more unknown ids get close matches, in one check and in one file.

    difflib compares an id with every known one (about 10 ms against 1,000 alike), and
    a terminal shows only the first few problems: a hostile file naming thousands of
    unknown ids, or many such files, must not cost minutes.
    """

    left: int = 20
    a_file: int = 10


@dataclass
class References:
    """Checks that the ids one file refers to exist, adding a located problem when not."""

    doc: Document
    problems: list[Problem]
    sources: set[str]
    case_studies: set[str]
    themes: set[str]
    guesses: Guesses = field(default_factory=Guesses)
    guessed: int = 0

    def source(self, where: FieldPath, value: str) -> None:
        self._check(where, value, self.sources, "source in this file's sources")

    def case_study(self, where: FieldPath, value: str) -> None:
        self._check(where, value, self.case_studies, "case study in case_studies/")

    def theme(self, where: FieldPath, value: str) -> None:
        self._check(where, value, self.themes, "theme declared in a briefing")

    def _check(self, where: FieldPath, value: str, known: set[str], what: str) -> None:
        if value in known:
            return
        # A few close matches, never every known id: a library has thousands, and a
        # hostile file can name an unknown id on every line.
        if not known:
            hint = " (known: none yet)"
        elif self.guesses.left > 0 and self.guessed < self.guesses.a_file:
            self.guesses.left -= 1
            self.guessed += 1
            guesses = [repr(guess) for guess in difflib.get_close_matches(value, known, n=3)]
            hint = f"; did you mean {' or '.join(guesses)}?" if guesses else ""
            if len(guesses) == 3:
                hint = f"; did you mean {guesses[0]}, {guesses[1]} or {guesses[2]}?"
        else:
            hint = ""
        quoted = value if len(value) <= 60 else value[:57] + "..."
        self.problems.append(self.doc.problem(where, f"no {what} has the id {quoted!r}{hint}"))


def check_sources(
    doc: Document, sources: list[Source], today: dt.date, problems: list[Problem]
) -> set[str]:
    """The ids of a file's `sources` (a case study's, a briefing's or the glossary's);
    each is used once, is called something, and says when it is from, a date in the
    window (`today` is the build date)."""
    ids: set[str] = set()
    for index, source in enumerate(sources):
        if source.title is None and source.description is None:
            problems.append(
                doc.problem(
                    ("sources", index),
                    "give the source's own 'title', or, if it has none, a plain "
                    "'description' of what it is",
                )
            )
        if source.date == UNDATED and source.period is None:
            problems.append(
                doc.problem(
                    ("sources", index, "date"),
                    "an undated source says what time it describes: add 'period'",
                )
            )
        elif isinstance(source.date, dt.date) and (outside := outside_window(source.date, today)):
            problems.append(doc.problem(("sources", index, "date"), outside))
        if source.id in ids:
            problems.append(
                doc.problem(
                    ("sources", index, "id"), f"source id {source.id!r} is used twice in this file"
                )
            )
        ids.add(source.id)
    return ids


def check_takeaways(refs: References, name: str, takeaways: list[Takeaway]) -> None:
    """The takeaways in the field `name` refer to what exists, and each that states a
    figure cites a source."""
    for index, takeaway in enumerate(takeaways):
        for s_index, study_id in enumerate(takeaway.case_studies):
            refs.case_study((name, index, "case_studies", s_index), study_id)
        for t_index, theme in enumerate(takeaway.themes):
            refs.theme((name, index, "themes", t_index), theme)
        if takeaway.source is not None:
            refs.source((name, index, "source"), takeaway.source)
        elif figure := _FIGURE.search(takeaway.text):
            refs.problems.append(
                refs.doc.problem(
                    (name, index, "text"),
                    f"states a figure ({figure.group(0)}) but cites no source: "
                    "add 'source:' with the id of one of this file's sources",
                )
            )
