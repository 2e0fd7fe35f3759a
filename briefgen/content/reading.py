"""Read a folder of YAML files into documents and models: one by one, from the cache
`mkdocs serve` keeps across rebuilds, or on every core for a large library.

Reading is the slow part of checking (the YAML parser, then pydantic), and each
file's reading is independent of every other's: the one part that runs in parallel.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from briefgen.content.fields import validate_document
from briefgen.content.load import Document, Problem, load_yaml
from briefgen.helpers import workers

YAML_SUFFIXES = (".yaml", ".yml")
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
    """The valid models in `folder`, and every YAML file it holds."""
    directory = root / folder
    if not directory.is_dir():
        return [], []
    paths = [p for p in sorted(directory.iterdir()) if p.suffix in YAML_SUFFIXES and p.is_file()]
    jobs = [(path, path.relative_to(root).as_posix(), model) for path in paths]
    if parallel and workers.worth_it(len(jobs), PARALLEL_FROM):
        # Reading YAML is pure Python past the C parser: use every core for a large library.
        with workers.pool() as pool:
            results = list(pool.map(_read_file_elsewhere, jobs, chunksize=CHUNK))
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
