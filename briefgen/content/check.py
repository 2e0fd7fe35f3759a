"""Turn loaded YAML into checked content, or into every problem at once.

Each file is read and checked against its model (`reading.py`, `fields.py`), then
the rules that span files run (`rules.py`, `references.py`, `dates.py`). Nothing
stops at the first problem: an author fixing a pull request sees the whole list in
one go.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefgen.content.fields import validate_document
from briefgen.content.glossary import Glossary, check_glossary
from briefgen.content.load import Document
from briefgen.content.models import Briefing, CaseStudy, Content
from briefgen.content.problems import FieldPath, Problem
from briefgen.content.reading import YAML_SUFFIXES, read_file, read_folder
from briefgen.content.references import Guesses
from briefgen.content.rules import (
    check_briefing,
    check_case_study,
    check_ids,
    check_service_wording,
    collect_themes,
)

# Imported from here by the command line and the tests.
__all__ = ["YAML_SUFFIXES", "Report", "bounded", "read_content", "validate_document"]

# What is shown of a report: a hostile file can have a problem on every line, and a
# pull request can add many files; a terminal or a CI log gets the first few.
PER_FILE = 20
IN_ALL = 200


@dataclass(frozen=True)
class Report:
    """The outcome of reading content: the content if it is sound, and every problem."""

    content: Content | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]


def read_content(
    root: Path,
    *,
    case_studies: str = "case_studies",
    briefings: str = "briefings",
    glossary: str | None = "glossary.yaml",
    today: dt.date,
    parallel: bool = False,
    cache: dict[Any, Any] | None = None,
) -> Report:
    """Read and check every case study and briefing below `root`.

    Folders and the glossary file (optional: None, or a file not there, is no
    glossary) are relative to `root`; paths in problems are shown relative to it too.
    `today` (the build date) decides which reviews are overdue. `parallel`
    reads a large library on every core. `cache` (kept by the caller across
    rebuilds) spares re-reading files that have not changed since.
    """
    problems: list[Problem] = []
    studies, study_files = read_folder(root, case_studies, CaseStudy, problems, parallel, cache)
    briefings_read, _ = read_folder(root, briefings, Briefing, problems, parallel, cache)
    check_ids(studies, "case study", problems)
    check_ids(briefings_read, "briefing", problems)

    themes = collect_themes(briefings_read, problems)
    # A file with errors still names a case study: references to it are not errors too.
    study_ids = {model.id for _, model in studies} | {path.stem for path in study_files}
    guesses = Guesses()  # close matches for unknown ids: a few, however many are unknown
    for doc, study in studies:
        check_case_study(doc, study, study_ids, themes, today, problems, guesses)
    check_service_wording(studies, problems)
    checklist_places: dict[str, tuple[Document, FieldPath]] = {}
    for doc, briefing in briefings_read:
        check_briefing(doc, briefing, study_ids, themes, checklist_places, today, problems, guesses)
    glossary_read = read_file(root, glossary, Glossary, problems, cache) if glossary else None
    if glossary_read is not None:
        check_glossary(*glossary_read, today, problems)

    problems.sort(key=lambda p: (p.path, p.line, p.column))
    if any(p.severity == "error" for p in problems):
        return Report(None, problems)
    content = Content(
        case_studies={m.id: m for _, m in sorted(studies, key=lambda s: s[1].title.casefold())},
        briefings={m.id: m for _, m in sorted(briefings_read, key=lambda s: s[1].id)},
        themes=themes,
        files={m.id: d.path for d, m in (*studies, *briefings_read)},
        glossary=glossary_read[1] if glossary_read is not None else None,
    )
    return Report(content, problems)


def bounded(
    problems: Iterable[Problem], per_file: int = PER_FILE, in_all: int = IN_ALL
) -> Iterator[Problem | str]:
    """The problems to show (sorted by file, as a report has them): at most `per_file` of
    one file and `in_all` in all, each cut followed by a line saying how many more."""
    shown = left = files_left = 0
    for path, of_file in itertools.groupby(problems, key=lambda problem: problem.path):
        if shown >= in_all:
            left += sum(1 for _ in of_file)
            files_left += 1
            continue
        room = min(per_file, in_all - shown)
        for problem in itertools.islice(of_file, room):
            shown += 1
            yield problem
        if more := sum(1 for _ in of_file):
            yield f"{path}: … and {_more(more)} in this file"
    if left:
        files = "file" if files_left == 1 else "files"
        yield f"… and {_more(left)} in {files_left} more {files}: fix those shown, then check again"


def _more(count: int) -> str:
    return f"{count:,} more problem{'' if count == 1 else 's'}"
