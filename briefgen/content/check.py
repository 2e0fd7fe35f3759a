"""Turn loaded YAML into checked content, or into every problem at once.

Each file is checked against its model, then the checks that span files run:
ids equal file names and are unique, and every reference (case study, source,
theme, checklist) resolves. Nothing stops at the first problem: an author
fixing a pull request sees the whole list in one go.
"""

from __future__ import annotations

import datetime as dt
import difflib
import multiprocessing
import os
import re
import typing
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from briefgen.content.load import Document, FieldPath, Problem, load_yaml
from briefgen.content.models import Briefing, CaseStudy, Content, Source, Takeaway, Theme

YAML_SUFFIXES = (".yaml", ".yml")
RESERVED_IDS = frozenset({"index"})  # case-studies/index.md is the index page
PARALLEL_FROM = 200  # files; below this, starting processes costs more than it saves

# A figure a reader might quote: "30%", "50 per cent", "£2m".
_FIGURE = re.compile(r"\d+(?:\.\d+)?\s*(?:%|per\s?cent\b)|£\s*\d", re.IGNORECASE)

M = TypeVar("M", bound=BaseModel)


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
    today: dt.date,
    parallel: bool = False,
    cache: dict[Any, Any] | None = None,
) -> Report:
    """Read and check every case study and briefing below `root`.

    Folders are relative to `root`; paths in problems are shown relative to it too.
    `today` (the build date) decides which reviews are overdue. `parallel`
    reads a large library on every core, in forked processes: for a command line,
    not for a process that runs threads (such as `mkdocs serve`).
    """
    problems: list[Problem] = []
    studies, study_files = _read_folder(root, case_studies, CaseStudy, problems, parallel, cache)
    frames, _ = _read_folder(root, briefings, Briefing, problems, parallel, cache)
    _check_ids(studies, "case study", problems)
    _check_ids(frames, "briefing", problems)

    themes = _collect_themes(frames, problems)
    # A file with errors still names a case study: references to it are not errors too.
    study_ids = {model.id for _, model in studies} | {path.stem for path in study_files}
    for doc, study in studies:
        _check_case_study(doc, study, study_ids, themes, problems)
        _check_review(doc, study, today, problems)
    checklist_places: dict[str, tuple[Document, FieldPath]] = {}
    for doc, briefing in frames:
        _check_briefing(doc, briefing, study_ids, themes, checklist_places, problems)

    problems.sort(key=lambda p: (p.path, p.line, p.column))
    if any(p.severity == "error" for p in problems):
        return Report(None, problems)
    content = Content(
        case_studies={m.id: m for _, m in sorted(studies, key=lambda s: s[1].title.casefold())},
        briefings={m.id: m for _, m in sorted(frames, key=lambda s: s[1].id)},
        themes=themes,
        files={m.id: d.path for d, m in (*studies, *frames)},
    )
    return Report(content, problems)


def _read_folder(
    root: Path,
    folder: str,
    model: type[M],
    problems: list[Problem],
    parallel: bool,
    cache: dict[Any, Any] | None = None,
) -> tuple[list[tuple[Document, M]], list[Path]]:
    """The valid models in `folder`, and every YAML file it holds."""
    directory = root / folder
    if not directory.is_dir():
        return [], []
    paths = [p for p in sorted(directory.iterdir()) if p.suffix in YAML_SUFFIXES and p.is_file()]
    jobs = [(path, path.relative_to(root).as_posix(), model) for path in paths]
    if parallel and len(jobs) >= PARALLEL_FROM and (os.cpu_count() or 1) > 1:
        # Reading YAML is pure Python past the C parser: use every core for a large library.
        with ProcessPoolExecutor(mp_context=multiprocessing.get_context("fork")) as pool:
            results = list(pool.map(_read_file_elsewhere, jobs, chunksize=64))
    elif cache is not None:
        # Across rebuilds of `mkdocs serve`: a file unchanged since the last read is not re-read.
        results, seen = [], set()
        for job in jobs:
            stat = job[0].stat()
            key = (job[0], model, stat.st_mtime_ns, stat.st_size)
            if key not in cache:
                cache[key] = _read_file(job)
            results.append(cache[key])
            seen.add(key)
        for stale in [key for key in cache if key[1] is model and key not in seen]:
            del cache[stale]
    else:
        results = [_read_file(job) for job in jobs]
    read: list[tuple[Document, M]] = []
    for doc, parsed, found in results:
        problems.extend(found)
        if doc is not None and parsed is not None:
            read.append((doc, parsed))
    return read, paths


def _read_file(job: tuple[Path, str, type[M]]) -> tuple[Document | None, M | None, list[Problem]]:
    path, shown_as, model = job
    doc, problems = load_yaml(path, shown_as)
    if doc is None or problems:
        return doc, None, problems
    return doc, validate_document(doc, model, problems), problems


def _read_file_elsewhere(
    job: tuple[Path, str, type[M]],
) -> tuple[Document | None, M | None, list[Problem]]:
    """`_read_file` in a worker process. A valid file's document goes back without its
    data (the model holds it) or its marks (read again if a later check needs them):
    they were two thirds of what the parent had to unpickle."""
    doc, model, problems = _read_file(job)
    if doc is not None and model is not None and not problems:
        doc = Document(doc.path, None, reread=job[0])
    return doc, model, problems


def validate_document(doc: Document, model: type[M], problems: list[Problem]) -> M | None:
    """Check one document against `model`, adding a located problem per error."""
    if doc.data is None:
        problems.append(doc.problem((), "the file is empty: fill in the fields"))
        return None
    if not isinstance(doc.data, dict):
        problems.append(doc.problem((), "expected fields (name: value) at the top level"))
        return None
    try:
        return model.model_validate(doc.data)
    except ValidationError as error:
        for detail in error.errors(include_url=False):
            where = tuple(detail["loc"])
            problems.append(doc.problem(where, _explain(detail, model)))
        return None


def _explain(detail: Any, model: type[BaseModel]) -> str:
    """A pydantic error, in words for the person editing the file."""
    kind, value, ctx = detail["type"], detail.get("input"), detail.get("ctx") or {}
    loc = detail["loc"]
    if kind == "extra_forbidden":
        allowed = sorted(_fields_at(model, loc[:-1]))
        guess = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        hint = f"; did you mean {guess[0]!r}?" if guess else "."
        return f"unknown field {loc[-1]!r}{hint} Fields allowed here: {', '.join(allowed)}"
    if kind == "missing":
        return "required field is missing"
    if kind == "value_error":
        return str(ctx.get("error", detail["msg"]))
    if kind == "string_type":
        return f"expected text; got {_describe(value)}"
    if kind == "list_type":
        return f"expected a list (one '- ' line an item); got {_describe(value)}"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"expected fields (name: value); got {_describe(value)}"
    if kind in ("float_parsing", "float_type", "finite_number"):
        return f"expected a number, such as 30 or 2.5; got {_describe(value)}"
    if kind == "literal_error":
        return f"expected one of {ctx.get('expected')}; got {_describe(value)}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "too_short":
        return f"needs at least {ctx.get('min_length')} item(s)"
    if kind in ("string_too_long", "too_long"):
        return f"too long: at most {ctx.get('max_length')} characters or items"
    return str(detail["msg"])


def _describe(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a set of fields"
    text = str(value)
    return repr(text if len(text) <= 60 else text[:57] + "...")


def _fields_at(model: type[BaseModel], loc: Sequence[Any]) -> Iterable[str]:
    """The field names of the model found at `loc` inside `model`."""
    current: type[BaseModel] | None = model
    for part in loc:
        if current is None:
            return []
        if isinstance(part, int):
            continue
        info = current.model_fields.get(part)
        current = _inner_model(info.annotation) if info else None
    return current.model_fields if current else []


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in typing.get_args(annotation):
        found = _inner_model(argument)
        if found:
            return found
    return None


def _check_ids(read: list[tuple[Document, Any]], kind: str, problems: list[Problem]) -> None:
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


def _collect_themes(
    frames: list[tuple[Document, Briefing]], problems: list[Problem]
) -> dict[str, Theme]:
    themes: dict[str, Theme] = {}
    declared: dict[str, str] = {}
    for doc, briefing in frames:
        for index, theme in enumerate(briefing.themes):
            where = ("themes", index, "id")
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
class _References:
    """Checks that the ids one file refers to exist, adding a located problem when not."""

    doc: Document
    problems: list[Problem]
    sources: set[str]
    case_studies: set[str]
    themes: set[str]

    def source(self, where: FieldPath, value: str) -> None:
        self._check(where, value, self.sources, "source in this file's sources")

    def case_study(self, where: FieldPath, value: str) -> None:
        self._check(where, value, self.case_studies, "case study in case_studies/")

    def theme(self, where: FieldPath, value: str) -> None:
        self._check(where, value, self.themes, "theme declared in a briefing")

    def _check(self, where: FieldPath, value: str, known: set[str], what: str) -> None:
        if value in known:
            return
        guess = difflib.get_close_matches(value, sorted(known), n=1)
        hint = f"; did you mean {guess[0]!r}?" if guess else ""
        listing = ", ".join(sorted(known)) or "none yet"
        self.problems.append(
            self.doc.problem(where, f"no {what} has the id {value!r}{hint} (known: {listing})")
        )


def _check_case_study(
    doc: Document,
    study: CaseStudy,
    study_ids: set[str],
    themes: dict[str, Theme],
    problems: list[Problem],
) -> None:
    sources = _unique_sources(doc, study.sources, problems)
    refs = _References(doc, problems, sources, study_ids, set(themes))
    for index, outcome in enumerate(study.outcomes):
        refs.source(("outcomes", index, "source"), outcome.source)
    for index, quote in enumerate(study.quotes):
        refs.source(("quotes", index, "source"), quote.source)
    _check_takeaways(refs, "takeaways", study.takeaways)
    if study.review_due <= study.reviewed:
        problems.append(
            doc.problem(("review_due",), f"must be after reviewed ({study.reviewed.isoformat()})")
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


def _check_briefing(
    doc: Document,
    briefing: Briefing,
    study_ids: set[str],
    themes: dict[str, Theme],
    checklist_places: dict[str, tuple[Document, FieldPath]],
    problems: list[Problem],
) -> None:
    sources = _unique_sources(doc, briefing.sources, problems)
    refs = _References(doc, problems, sources, study_ids, set(themes))
    for index, study_id in enumerate(briefing.case_studies):
        refs.case_study(("case_studies", index), study_id)
    _check_takeaways(refs, "key_takeaways", briefing.key_takeaways)
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


def _unique_sources(doc: Document, sources: list[Source], problems: list[Problem]) -> set[str]:
    ids: set[str] = set()
    for index, source in enumerate(sources):
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
