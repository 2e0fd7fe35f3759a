"""Read a folder of YAML files into documents and models: one by one, from the cache
`mkdocs serve` keeps across rebuilds, or on every core for a large library.

Reading is the slow part of checking (the YAML parser, then pydantic), and each
file's reading is independent of every other's: the one part that runs in parallel.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from briefgen.content.fields import validate_document
from briefgen.content.load import Document, file_kind, load_yaml, not_regular
from briefgen.content.problems import Problem
from briefgen.helpers import workers

YAML_SUFFIXES = (".yaml", ".yml")
SUFFIX = ".yaml"  # the one a content file should have; the others are read, with a warning
PARALLEL_FROM = 200  # files; below this, starting workers costs more than it saves
CHUNK = 64  # files a worker is sent at a time

M = TypeVar("M", bound=BaseModel)


def read_folder(
    root: Path,
    folder: str,
    model: type[M],
    problems: list[Problem],
    parallel: bool,
    cache: dict[Any, Any] | None = None,
) -> tuple[list[tuple[Document, M]], list[Path]]:
    """The valid models in `folder`, and every file it holds named as YAML (their names
    are ids that references may use, even when the file cannot be read)."""
    directory = root / folder
    # A link anywhere between the project and the folder could lead out of the project:
    # what it leads to is never read, so none of its text reaches a public CI log.
    message = f"is a symbolic link: {folder}/ must be a folder of the project"
    if _through_link(root, folder, message, problems, itself=True):
        return [], []
    if not directory.is_dir():
        return [], []
    named, regular = _yaml_files(root, directory, problems)
    jobs = [(path, path.relative_to(root).as_posix(), model) for path in regular]
    if parallel and workers.worth_it(len(jobs), PARALLEL_FROM):
        # Reading YAML is pure Python past the C parser: use every core for a large library.
        with workers.pool() as pool:
            results = list(pool.map(_read_file_elsewhere, jobs, chunksize=CHUNK))
    else:
        results = [_read_cached(job, cache) for job in jobs]
        if cache is not None:  # forget the files gone from the folder since the last read
            listed = set(regular)
            for gone in [key for key in cache if key[1] is model and key[0] not in listed]:
                del cache[gone]
    read: list[tuple[Document, M]] = []
    for doc, parsed, found in results:
        problems.extend(found)
        if doc is not None and parsed is not None:
            read.append((doc, parsed))
    return read, named


def read_file(
    root: Path,
    relative: str,
    model: type[M],
    problems: list[Problem],
    cache: dict[Any, Any] | None = None,
) -> tuple[Document, M] | None:
    """The model in the one file `relative` (the glossary), or None when the file is not
    there (it is optional) or has problems, which are added to `problems`."""
    path = root / relative
    # Not through a link, as for folders (the file itself the loader refuses if a link).
    message = f"is a symbolic link: {relative} must be a file of the project"
    if _through_link(root, relative, message, problems, itself=False):
        return None
    if not path.is_symlink() and not path.exists():
        return None
    doc, parsed, found = _read_cached((path, Path(relative).as_posix(), model), cache)
    problems.extend(found)
    return (doc, parsed) if doc is not None and parsed is not None else None


def _through_link(
    root: Path, relative: str, message: str, problems: list[Problem], *, itself: bool
) -> bool:
    """Whether a folder on the way from `root` to `relative` (or, if `itself`, `relative`
    itself) is a symbolic link, which gets a problem with `message`: what a link leads
    to could be outside the project, and is never read."""
    path = Path(relative)
    parts = [] if path.is_absolute() else [*reversed(path.parents[:-1])]
    for part in [*parts, path] if itself else parts:
        if (root / part).is_symlink():
            problems.append(Problem(part.as_posix(), 1, 1, "", message))
            return True
    return False


def _read_cached(
    job: tuple[Path, str, type[M]], cache: dict[Any, Any] | None
) -> tuple[Document | None, M | None, list[Problem]]:
    """`_read_file`, or under `mkdocs serve` (a `cache` kept across rebuilds) what it
    gave when the file was last read, if the file is unchanged since."""
    path, _, model = job
    if cache is None:
        return _read_file(job)
    try:
        stat = path.lstat()
    except OSError:  # gone since it was listed: the reading says so
        return _read_file(job)
    key = (path, model, stat.st_mtime_ns, stat.st_size)
    if key not in cache:
        for stale in [k for k in cache if k[0] == path and k[1] is model]:
            del cache[stale]
        cache[key] = _read_file(job)
    result: tuple[Document | None, M | None, list[Problem]] = cache[key]
    return result


def _yaml_files(
    root: Path, directory: Path, problems: list[Problem]
) -> tuple[list[Path], list[Path]]:
    """Every file in `directory` named as YAML, and those of them that are regular files.

    Anything else named so (a symlink, a folder, a pipe or device) gets a problem and is
    never opened; a name in another case than `.yaml`, or `.yml`, gets a warning.
    """
    shown_folder = directory.relative_to(root).as_posix()
    try:
        entries = sorted(os.scandir(directory), key=lambda entry: entry.name)
    except OSError as error:
        problems.append(
            Problem(shown_folder, 1, 1, "", f"cannot list the folder: {error.strerror}")
        )
        return [], []
    named, regular = [], []
    for entry in entries:
        path = Path(entry.path)
        stem, suffix = path.stem, path.suffix
        if suffix.lower() not in YAML_SUFFIXES:
            continue
        named.append(path)
        shown_as = f"{shown_folder}/{entry.name}"
        try:
            kind = file_kind(entry.stat(follow_symlinks=False).st_mode)
        except OSError as error:
            problems.append(Problem(shown_as, 1, 1, "", f"cannot read the file: {error.strerror}"))
            continue
        if kind is not None:
            problems.append(Problem(shown_as, 1, 1, "", not_regular(shown_as, kind)))
            continue
        regular.append(path)
        if suffix != SUFFIX:
            problems.append(
                Problem(
                    shown_as,
                    1,
                    1,
                    "",
                    f"content files end in {SUFFIX}: rename it to {stem}{SUFFIX}",
                    severity="warning",
                )
            )
    return named, regular


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
