"""The rules content follows beyond each file's fields, checked across the library.

Ids equal file names and are unique; themes are declared once; every reference
(case study, source, theme, checklist) resolves; a takeaway stating a figure
cites a source; a review is due after it happened, and is reported when overdue.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefgen.content.load import Document
from briefgen.content.models import Briefing, CaseStudy, Source, Takeaway, Theme
from briefgen.content.problems import FieldPath, Problem
from briefgen.content.values import PERCENT_LIMIT, PERCENT_UNITS, UNDATED
from briefgen.content.wording import is_title_case, sentence_case

RESERVED_IDS = frozenset({"index"})

# Dates a briefing can mean. Past the window they only do harm: a review due in 2100
# pins a case study to the top of the feed, and a date after 2106 breaks the gzip
# timestamp of the sitemap. The window moves with the build date, never the clock.
EARLIEST_DATE = dt.date(2000, 1, 1)
LATEST_YEARS = 20  # after the build date
REVIEW_YEARS = 5  # from reviewed to review_due, at most  # case-studies/index.md is the index page

# A figure a reader might quote: "30%", "50 per cent", "£2m".
_FIGURE = re.compile(r"\d+(?:\.\d+)?\s*(?:%|per\s?cent\b)|£\s*\d", re.IGNORECASE)


def check_ids(read: list[tuple[Document, Any]], kind: str, problems: list[Problem]) -> None:
    """Each id equals its file's name, is not reserved, and is used by one file only."""
    first_seen: dict[str, Document] = {}
    for doc, model in read:
        stem = Path(doc.path).stem
        if model.id != stem:
            problems.append(
                doc.problem(
                    ("id",),
                    f"id {model.id!r} must equal the file name {stem!r}: "
                    f"rename the file to {model.id}.yaml or change the id",
                )
            )
        if model.id in RESERVED_IDS:
            problems.append(doc.problem(("id",), f"{model.id!r} is reserved: choose another id"))
        if model.id in first_seen:
            other = first_seen[model.id]
            line, column = other.locate(("id",))
            problems.append(
                doc.problem(
                    ("id",),
                    f"{kind} id {model.id!r} is used twice: here and at "
                    f"{other.path}:{line}:{column}",
                )
            )
        else:
            first_seen[model.id] = doc


def collect_themes(
    briefings: list[tuple[Document, Briefing]], problems: list[Problem]
) -> dict[str, Theme]:
    """The themes the briefings declare, by id; a theme declared twice is a problem."""
    themes: dict[str, Theme] = {}
    declared: dict[str, str] = {}
    for doc, briefing in briefings:
        for index, theme in enumerate(briefing.themes):
            where = ("themes", index, "id")
            if theme.id in RESERVED_IDS:  # themes/index.md lists the themes
                problems.append(doc.problem(where, f"{theme.id!r} is reserved: choose another id"))
            if theme.id in declared:
                problems.append(
                    doc.problem(
                        where, f"theme {theme.id!r} is declared twice: also at {declared[theme.id]}"
                    )
                )
                continue
            line, column = doc.locate(where)
            declared[theme.id] = f"{doc.path}:{line}:{column}"
            themes[theme.id] = theme
    return themes


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
class _References:
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


def check_case_study(
    doc: Document,
    study: CaseStudy,
    study_ids: set[str],
    themes: dict[str, Theme],
    today: dt.date,
    problems: list[Problem],
    guesses: Guesses | None = None,
) -> None:
    """A case study's references resolve, its figures cite sources, its review dates hold.
    `guesses` is shared by the files of one check."""
    sources = check_sources(doc, study.sources, today, problems)
    refs = _References(doc, problems, sources, study_ids, set(themes), guesses or Guesses())
    for index, outcome in enumerate(study.outcomes):
        refs.source(("outcomes", index, "source"), outcome.source)
    for index, quote in enumerate(study.quotes):
        refs.source(("quotes", index, "source"), quote.source)
    _check_takeaways(refs, "takeaways", study.takeaways)
    for index, outcome in enumerate(study.outcomes):
        percentage = outcome.unit is not None and outcome.unit.casefold() in PERCENT_UNITS
        if percentage and abs(outcome.value) > PERCENT_LIMIT:
            problems.append(
                doc.problem(
                    ("outcomes", index, "value"),
                    f"a percentage is between {-PERCENT_LIMIT:,} and {PERCENT_LIMIT:,}; "
                    f"got {outcome.value:g}",
                )
            )
    dated = _check_dates(doc, study, today, problems)
    if study.review_due <= study.reviewed:
        problems.append(
            doc.problem(("review_due",), f"must be after reviewed ({study.reviewed.isoformat()})")
        )
    elif dated and study.review_due > (latest := _years_after(study.reviewed, REVIEW_YEARS)):
        problems.append(
            doc.problem(
                ("review_due",),
                f"at most {REVIEW_YEARS} years after reviewed ({study.reviewed.isoformat()}), "
                f"so on or before {latest.isoformat()}; got {study.review_due.isoformat()}",
            )
        )
    _check_review(doc, study, today, problems)


def check_service_wording(
    studies: list[tuple[Document, CaseStudy]], problems: list[Problem]
) -> None:
    """Warns where a service is written in Title Case, or otherwise than another file
    writes it: pages show every service in sentence case, one way whoever wrote it, so
    the file and the page would differ. A warning: the page is still right."""
    first: dict[str, tuple[str, Document, int]] = {}
    for doc, study in studies:
        for index, service in enumerate(study.services):
            where = ("services", index)
            shown = sentence_case(service)
            if is_title_case(service):
                problems.append(
                    doc.problem(
                        where,
                        f"{service!r} is in Title Case: pages show it in sentence case, as "
                        f"{shown!r}; write it so",
                        severity="warning",
                    )
                )
                continue
            seen = first.setdefault(service.casefold(), (service, doc, index))
            if seen[0] != service:
                line, _ = seen[1].locate(("services", seen[2]))
                problems.append(
                    doc.problem(
                        where,
                        f"{service!r} is written {seen[0]!r} in {seen[1].path}:{line}: pages "
                        f"show both as {sentence_case(seen[0])!r}; write it one way",
                        severity="warning",
                    )
                )


def _years_after(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February, in a year that has none
        return day.replace(year=day.year + years, day=28)


def _check_dates(
    doc: Document, model: CaseStudy | Briefing, today: dt.date, problems: list[Problem]
) -> bool:
    """Every date of a case study or briefing (its sources' apart: `check_sources` checks
    those) is in the window, and no review is dated after the build; False if any is not."""
    editors = getattr(model, "editors", None)
    dates: list[tuple[FieldPath, dt.date | None]] = [
        (("as_at",), getattr(model, "as_at", None)),
        (("editors", "compiled"), editors.compiled if editors else None),
        (("reviewed",), model.reviewed),
        (("review_due",), getattr(model, "review_due", None)),
    ]
    sound = True
    for where, day in dates:
        if day is None:
            continue
        if outside := _outside_window(day, today):
            message = outside
        elif where == ("reviewed",) and day > today:
            message = (
                f"{day.isoformat()} is after the build date ({today.isoformat()}): "
                "give the date the review was done"
            )
        else:
            continue
        problems.append(doc.problem(where, message))
        sound = False
    return sound


def _outside_window(day: dt.date, today: dt.date) -> str | None:
    """What is wrong with `day`, if it is outside the dates accepted; else None."""
    latest = _years_after(today, LATEST_YEARS)
    if EARLIEST_DATE <= day <= latest:
        return None
    return (
        f"{day.isoformat()} is outside the dates accepted: from "
        f"{EARLIEST_DATE.isoformat()} to {latest.isoformat()} ({LATEST_YEARS} years "
        f"after the build date, {today.isoformat()})"
    )


def _check_review(doc: Document, study: CaseStudy, today: dt.date, problems: list[Problem]) -> None:
    if study.review_due < today:
        problems.append(
            doc.problem(
                ("review_due",),
                f"case study {study.id!r} was due for review on {study.review_due.isoformat()}: "
                "check it against its sources, then update reviewed and review_due",
                severity="warning",
            )
        )


def check_briefing(
    doc: Document,
    briefing: Briefing,
    study_ids: set[str],
    themes: dict[str, Theme],
    checklist_places: dict[str, tuple[Document, FieldPath]],
    today: dt.date,
    problems: list[Problem],
    guesses: Guesses | None = None,
) -> None:
    """A briefing's references resolve, its checklists' ids are unique across briefings,
    its dates are in the window. `guesses` is shared by the files of one check."""
    _check_dates(doc, briefing, today, problems)
    sources = check_sources(doc, briefing.sources, today, problems)
    refs = _References(doc, problems, sources, study_ids, set(themes), guesses or Guesses())
    for index, study_id in enumerate(briefing.case_studies):
        refs.case_study(("case_studies", index), study_id)
    _check_takeaways(refs, "key_takeaways", briefing.key_takeaways)
    for index, figure in enumerate(briefing.key_figures):
        refs.source(("key_figures", index, "source"), figure.source)
    for c_index, checklist in enumerate(briefing.checklists):
        where: FieldPath = ("checklists", c_index, "id")
        if checklist.id in checklist_places:
            other, other_where = checklist_places[checklist.id]
            line, column = other.locate(other_where)
            problems.append(
                doc.problem(
                    where,
                    f"checklist id {checklist.id!r} is used twice: "
                    f"here and at {other.path}:{line}:{column}",
                )
            )
        else:
            checklist_places[checklist.id] = (doc, where)
        for i_index, item in enumerate(checklist.items):
            for s_index, study_id in enumerate(item.case_studies):
                where = ("checklists", c_index, "items", i_index, "case_studies", s_index)
                refs.case_study(where, study_id)


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
        elif isinstance(source.date, dt.date) and (outside := _outside_window(source.date, today)):
            problems.append(doc.problem(("sources", index, "date"), outside))
        if source.id in ids:
            problems.append(
                doc.problem(
                    ("sources", index, "id"), f"source id {source.id!r} is used twice in this file"
                )
            )
        ids.add(source.id)
    return ids


def _check_takeaways(refs: _References, name: str, takeaways: list[Takeaway]) -> None:
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
