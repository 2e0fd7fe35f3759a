"""Read YAML files strictly, keeping the line and column of every value.

PyYAML's `safe_load` keeps the last of two duplicate keys, turns `NO` into
False and `1:30` into 90, and expands alias "bombs". So we read the parser's
event stream ourselves and build plain data from it: every scalar stays the
text the author wrote (the models decide what is a number or a date), and
anchors, aliases, tags, duplicate keys and absurd nesting are problems with a
location. No recursion, so depth cannot blow the stack.
"""

from __future__ import annotations

import os
import posixpath
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml

MAX_FILE_BYTES = 1_000_000
MAX_DEPTH = 50

# The C parser is many times faster; the pure-Python one gives the same events.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

FieldPath = tuple[str | int, ...]

# Not following a symlink, and not waiting for a writer if a pipe was swapped in after
# the folder was listed; each flag where the platform has it.
_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_BINARY", 0)
)


def shown(text: str, limit: int) -> str:
    """`text` safe on one line of a terminal or a CI log, and cut after `limit` characters.

    Contributors choose file names, keys and values: a line break in one would start a
    line of its own (a GitHub workflow command such as `::error ...`), an escape sequence
    would set the clipboard (OSC 52) or erase lines, and bidi or zero-width characters
    would hide or reorder what is read. Each such character (Unicode's "other" and
    "separator" classes but the space: what `str.isprintable` refuses) shows as its
    Python escape, `\\n`, `\\x1b`, `\\u202e`; GitHub's older command prefix `##[`, which
    its runner finds anywhere in a line, shows as `#\\x23[`.
    """
    if len(text) > limit:  # a key or a name can be as long as the file
        text = text[:limit] + "…"
    if not text.isprintable():
        text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
    return text.replace("##[", "#\\x23[")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one place in one file.

    Every part is made safe for a terminal or a CI log as the problem is made (`shown`),
    so no message built from untrusted text can reach one raw.
    """

    path: str
    line: int
    column: int
    field: str
    message: str
    severity: Literal["error", "warning"] = "error"

    def __post_init__(self) -> None:
        path = shown(self.path, 300)
        if path.lstrip(" ").startswith("::"):  # a line of output starts with the path
            path = path.replace(":", "\\x3a", 1)
        object.__setattr__(self, "path", path)
        object.__setattr__(self, "field", shown(self.field, 300))
        object.__setattr__(self, "message", shown(self.message, 1000))

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}:{self.column}"
        prefix = "warning: " if self.severity == "warning" else ""
        if self.field:
            return f"{where}: {prefix}{self.field}: {self.message}"
        return f"{where}: {prefix}{self.message}"


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


def format_field(where: FieldPath) -> str:
    """`('outcomes', 0, 'value')` -> `outcomes[0].value`."""
    text = ""
    for part in where:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text


class _Invalid(Exception):
    """Stops reading a file that cannot be read further."""

    def __init__(self, line: int, column: int, message: str) -> None:
        self.line, self.column, self.message = line, column, message


@dataclass
class _Frame:
    container: dict[str, Any] | list[Any]
    where: FieldPath
    key: str | None = None
    key_pending: bool = True
    start: yaml.Event | None = None
    key_lines: dict[str, int] = field(default_factory=dict)


_NULLS = frozenset({"", "~", "null", "Null", "NULL"})


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
        document.data = _build(text, document, problems)
    except _Invalid as stop:
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


def _events(text: str) -> Iterator[yaml.Event]:
    """The parser's events, without `yaml.parse`'s per-event overhead."""
    parser = _Loader(text)
    try:
        while (event := parser.get_event()) is not None:
            yield event
    finally:
        parser.dispose()


def _build(text: str, document: Document, problems: list[Problem]) -> Any:
    root: Any = None
    stack: list[_Frame] = []
    documents = 0

    def mark_of(event: yaml.Event) -> tuple[int, int]:
        return (event.start_mark.line + 1, event.start_mark.column + 1)

    def refuse(event: yaml.Event, message: str, where: FieldPath) -> None:
        line, column = mark_of(event)
        problems.append(Problem(document.path, line, column, format_field(where), message))

    def place(value: Any, event: yaml.Event) -> None:
        nonlocal root
        if not stack:
            root = value
            return
        top = stack[-1]
        if isinstance(top.container, list):
            where = (*top.where, len(top.container))
            document.marks[where] = mark_of(event)
            top.container.append(value)
        elif top.key_pending:
            line, column = mark_of(event)
            if not isinstance(value, str) or value == "":
                refuse(event, "a key must be plain text", top.where)
                top.key = None
            elif value in top.key_lines:
                refuse(
                    event,
                    f"duplicate key {value!r}: first written on line {top.key_lines[value]}; "
                    "keep one",
                    (*top.where, value),
                )
                top.key = None
            else:
                top.key_lines[value] = line
                document.marks[(*top.where, value)] = (line, column)
                top.key = value
            top.key_pending = False
        else:
            if top.key is not None:
                top.container[top.key] = value  # type: ignore[index]
            top.key_pending = True

    def child_where() -> FieldPath:
        if not stack:
            return ()
        top = stack[-1]
        if isinstance(top.container, list):
            return (*top.where, len(top.container))
        if top.key_pending or top.key is None:
            return (*top.where, "<key>")  # a mapping used as a key; place() refuses it
        return (*top.where, top.key)

    scalar = yaml.ScalarEvent
    for event in _events(text):
        # The common case first, and cheaply: a plain value with no anchor or tag.
        if type(event) is scalar and event.anchor is None and event.tag is None:
            place(None if not event.style and event.value in _NULLS else event.value, event)
            continue
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                line, column = mark_of(event)
                raise _Invalid(line, column, "one YAML document per file: remove the second '---'")
            continue
        if isinstance(event, yaml.StreamStartEvent | yaml.StreamEndEvent | yaml.DocumentEndEvent):
            continue
        if isinstance(event, yaml.AliasEvent):
            refuse(
                event,
                f"aliases (*{event.anchor}) are not allowed: write the value out in full",
                child_where(),
            )
            place(None, event)
            continue
        if getattr(event, "anchor", None):
            refuse(
                event,
                f"anchors (&{event.anchor}) are not allowed: write each value out",
                child_where(),
            )
        if getattr(event, "tag", None) is not None:
            tag = event.tag.replace("tag:yaml.org,2002:", "!!")
            refuse(event, f"YAML tags ({tag}) are not allowed: write plain values", child_where())

        if isinstance(event, yaml.ScalarEvent):
            plain = not event.style  # None from PyYAML, '' from libyaml
            place(None if plain and event.value in _NULLS else event.value, event)
        elif isinstance(event, yaml.MappingStartEvent | yaml.SequenceStartEvent):
            if len(stack) >= MAX_DEPTH:
                line, column = mark_of(event)
                raise _Invalid(line, column, f"nested more than {MAX_DEPTH} levels deep")
            container: dict[str, Any] | list[Any] = (
                {} if isinstance(event, yaml.MappingStartEvent) else []
            )
            stack.append(_Frame(container, child_where(), start=event))
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            frame = stack.pop()
            place(frame.container, frame.start)
    return root
