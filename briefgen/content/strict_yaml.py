"""YAML's parser events built into plain data, strictly, with each value's place.

PyYAML's `safe_load` keeps the last of two duplicate keys, turns `NO` into
False and `1:30` into 90, and expands alias "bombs". So we read the parser's
event stream ourselves and build plain data from it: every scalar stays the
text the author wrote (the models decide what is a number or a date), and
anchors, aliases, tags, duplicate keys and absurd nesting are problems with a
location. No recursion, so depth cannot blow the stack.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from briefgen.content.problems import FieldPath, Problem, format_field

MAX_DEPTH = 50

# The C parser is many times faster; the pure-Python one gives the same events.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_NULLS = frozenset({"", "~", "null", "Null", "NULL"})


class Unreadable(Exception):
    """Stops reading a file that cannot be read further."""

    def __init__(self, line: int, column: int, message: str) -> None:
        self.line, self.column, self.message = line, column, message


@dataclass
class _Open:
    """A mapping or sequence begun and not yet ended: where it is, and, in a mapping,
    the key whose value comes next."""

    container: dict[str, Any] | list[Any]
    where: FieldPath
    key: str | None = None
    key_pending: bool = True
    start: yaml.Event | None = None
    key_lines: dict[str, int] = field(default_factory=dict)


def build(
    text: str, path: str, marks: dict[FieldPath, tuple[int, int]], problems: list[Problem]
) -> Any:
    """The plain data of the YAML `text` (of the file shown as `path`), each value's line
    and column added to `marks`. What can be read past is added to `problems`; what
    cannot raises `Unreadable`, or PyYAML's own error."""
    root: Any = None
    stack: list[_Open] = []
    documents = 0

    def mark_of(event: yaml.Event) -> tuple[int, int]:
        return (event.start_mark.line + 1, event.start_mark.column + 1)

    def refuse(event: yaml.Event, message: str, where: FieldPath) -> None:
        line, column = mark_of(event)
        problems.append(Problem(path, line, column, format_field(where), message))

    def place(value: Any, event: yaml.Event) -> None:
        nonlocal root
        if not stack:
            root = value
            return
        top = stack[-1]
        if isinstance(top.container, list):
            where = (*top.where, len(top.container))
            marks[where] = mark_of(event)
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
                marks[(*top.where, value)] = (line, column)
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
                message = "one YAML document per file: remove the second '---'"
                raise Unreadable(line, column, message)
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
                raise Unreadable(line, column, f"nested more than {MAX_DEPTH} levels deep")
            container: dict[str, Any] | list[Any] = (
                {} if isinstance(event, yaml.MappingStartEvent) else []
            )
            stack.append(_Open(container, child_where(), start=event))
        elif isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            ended = stack.pop()
            place(ended.container, ended.start)
    return root


def _events(text: str) -> Iterator[yaml.Event]:
    """The parser's events, without `yaml.parse`'s per-event overhead."""
    parser = _Loader(text)
    try:
        while (event := parser.get_event()) is not None:
            yield event
    finally:
        parser.dispose()
