"""Read a content file strictly: only a regular file, within a size, in UTF-8, and
its YAML built into plain data (`strict_yaml.py`) that keeps where each value was written.
"""

from __future__ import annotations

import os
import posixpath
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from briefgen.content.problems import FieldPath, Problem, format_field
from briefgen.content.strict_yaml import Unreadable, build

MAX_FILE_BYTES = 1_000_000

# Not following a symlink, and not waiting for a writer if a pipe was swapped in after
# the folder was listed; each flag where the platform has it.
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_BINARY", 0)
)


@dataclass
class Document:
    """The data of one YAML file, and where each value was written."""

    path: str
    """The file's path as shown to people, relative to the project."""
    data: Any
    marks: dict[FieldPath, tuple[int, int]] = field(default_factory=dict)
    reread: Path | None = None
    """Where to read the marks again: set when they were left out to travel light."""

    def locate(self, where: FieldPath) -> tuple[int, int]:
        """Line and column of `where`, or of the nearest enclosing value written."""
        if self.reread is not None:
            again, _ = load_yaml(self.reread, self.path)
            self.marks = again.marks if again is not None else {}
            self.reread = None
        for end in range(len(where), -1, -1):
            mark = self.marks.get(tuple(where[:end]))
            if mark:
                return mark
        return (1, 1)

    def problem(self, where: FieldPath, message: str, **kwargs: Any) -> Problem:
        line, column = self.locate(where)
        return Problem(self.path, line, column, format_field(where), message, **kwargs)


def not_regular(shown_as: str, what: str) -> str:
    """The message for a content file that is not a regular file: `what` it is instead."""
    folder = posixpath.dirname(shown_as) or "."
    return f"{what}: content files must be regular files in {folder}/"


def file_kind(mode: int) -> str | None:
    """What a file of `mode` (from `os.lstat`) is, if it is not a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISLNK(mode):
        return "is a symbolic link"
    if stat.S_ISDIR(mode):
        return "is a folder"
    return "is not a regular file (a pipe, device or socket)"


def load_yaml(path: Path, shown_as: str) -> tuple[Document | None, list[Problem]]:
    """Read one YAML file. Returns the document (None if unreadable) and its problems.

    Only a regular file is read: a symlink is not followed (it could lead out of the
    repository, and its target's values would be quoted in public CI logs), and a pipe
    or device is not read (it could block, or never end). A file over the size limit is
    refused without being read.
    """

    def refuse(message: str) -> tuple[None, list[Problem]]:
        return None, [Problem(shown_as, 1, 1, "", message)]

    try:
        descriptor = os.open(path, _OPEN_FLAGS)
    except OSError as error:
        if path.is_symlink():
            return refuse(not_regular(shown_as, "is a symbolic link"))
        return refuse(f"cannot read the file: {error.strerror}")
    with os.fdopen(descriptor, "rb") as file:
        mode, size = (info := os.fstat(descriptor)).st_mode, info.st_size
        if (kind := file_kind(mode)) is not None:
            return refuse(not_regular(shown_as, kind))
        too_big = f"the limit is {MAX_FILE_BYTES:,}: split it or trim it"
        if size > MAX_FILE_BYTES:
            return refuse(f"the file is {size:,} bytes; {too_big}")
        try:
            raw = file.read(MAX_FILE_BYTES + 1)  # the file may have grown since
        except OSError as error:
            return refuse(f"cannot read the file: {error.strerror}")
        if len(raw) > MAX_FILE_BYTES:
            return refuse(f"the file is over {MAX_FILE_BYTES:,} bytes; {too_big}")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        byte = raw[error.start : error.start + 1].hex()
        return None, [
            Problem(
                shown_as,
                line,
                column,
                "",
                f"the file is not UTF-8 text (byte 0x{byte}): save it with UTF-8 encoding",
            )
        ]
    return parse_yaml(text, shown_as)


def parse_yaml(text: str, shown_as: str) -> tuple[Document | None, list[Problem]]:
    """Parse YAML text; see `load_yaml`."""
    document = Document(shown_as, None, {(): (1, 1)})
    problems: list[Problem] = []
    try:
        document.data = build(text, shown_as, document.marks, problems)
    except Unreadable as stop:
        problems.append(Problem(shown_as, stop.line, stop.column, "", stop.message))
        return None, problems
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        detail = " ".join(part for part in (error.context, error.problem) if part)
        problems.append(Problem(shown_as, line, column, "", f"YAML syntax error: {detail}"))
        return None, problems
    except yaml.YAMLError as error:  # ReaderError: a character YAML does not allow
        position = getattr(error, "position", 0)
        line = text.count("\n", 0, position) + 1
        column = position - (text.rfind("\n", 0, position) + 1) + 1
        reason = getattr(error, "reason", str(error))
        problems.append(Problem(shown_as, line, column, "", f"YAML cannot hold this: {reason}"))
        return None, problems
    return document, problems
