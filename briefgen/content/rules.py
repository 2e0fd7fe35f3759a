"""The rules content follows beyond each file's fields, checked across the library.

Ids equal file names and are unique; themes are declared once; a case study's and a
briefing's references resolve and their dates hold (`references.py`, `dates.py`); a
service is written one way in every file.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from briefgen.content.dates import check_dates, check_review_dates
from briefgen.content.load import Document
from briefgen.content.models import Briefing, CaseStudy, Theme
from briefgen.content.problems import FieldPath, Problem
from briefgen.content.references import Guesses, References, check_sources, check_takeaways
from briefgen.content.values import PERCENT_LIMIT, PERCENT_UNITS
from briefgen.content.wording import is_title_case, sentence_case

RESERVED_IDS = frozenset({"index"})  # case-studies/index.md is the index page


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
    refs = References(doc, problems, sources, study_ids, set(themes), guesses or Guesses())
    for index, outcome in enumerate(study.outcomes):
        refs.source(("outcomes", index, "source"), outcome.source)
    for index, quote in enumerate(study.quotes):
        refs.source(("quotes", index, "source"), quote.source)
    check_takeaways(refs, "takeaways", study.takeaways)
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
    check_review_dates(doc, study, today, problems)


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
    check_dates(doc, briefing, today, problems)
    sources = check_sources(doc, briefing.sources, today, problems)
    refs = References(doc, problems, sources, study_ids, set(themes), guesses or Guesses())
    for index, study_id in enumerate(briefing.case_studies):
        refs.case_study(("case_studies", index), study_id)
    check_takeaways(refs, "key_takeaways", briefing.key_takeaways)
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
