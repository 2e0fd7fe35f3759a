"""What is wrong, and where: a problem names a file, a line, a column and a field.

Contributors choose file names, keys and values, and problems quote them to a terminal
or a CI log: so every part of a problem is made safe to show as the problem is made.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

FieldPath = tuple[str | int, ...]


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


def format_field(where: FieldPath) -> str:
    """`('outcomes', 0, 'value')` -> `outcomes[0].value`."""
    text = ""
    for part in where:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else part)
    return text
