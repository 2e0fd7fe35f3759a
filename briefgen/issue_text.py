"""An issue's body as text, and only what GitHub shows of it.

The issue's author is a stranger, and the maintainer judges the issue by what GitHub
shows: so only that is read. HTML comments are dropped; markup, and characters GitHub
shows as nothing, are refused.
"""

from __future__ import annotations

import re
import unicodedata

from briefgen.scaffold import ScaffoldError, quoted

MAX_BODY = 65_536
"""GitHub's limit on an issue's body, in characters: a longer body is not an issue's."""

# What GitHub's rendering hides. A comment runs to `-->`, or to the end when unclosed;
# `<!-->` and `<!--->` are whole (empty) comments in CommonMark.
_COMMENT = re.compile(r"<!--(?:-?>|.*?(?:-->|\Z))", re.DOTALL)
# An HTML tag (which can hide what it holds: `<details>`, `<div hidden>`), a declaration
# or processing instruction; `<https://…>` and `<a@b.org>` are visible links, not tags.
_HTML = re.compile(r"<(?:/?[A-Za-z][A-Za-z0-9-]*(?=[\s/>]|$)|[!?])", re.MULTILINE)
# A link reference definition: a line GitHub uses and does not show.
_LINK_DEFINITION = re.compile(r"^ {0,3}\[(?:[^\]\\\n]|\\.)+\]:", re.MULTILINE)
# Characters shown as nothing: Unicode's format (zero-width, bidi) and control characters,
# line separators, and the Hangul fillers, which are letters drawn blank.
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Zl", "Zp"}
_BLANK_LETTERS = {"\u115f", "\u1160", "\u3164", "\uffa0", "\u2800"}
# Variation selectors: one after an emoji picks how it is drawn (U+FE0F, "❤️"); a run of
# them, or the supplement's, draws nothing and is the known way to hide bytes in text.
_EMOJI_SELECTORS = {"\ufe0e", "\ufe0f"}


def _hides_data(char: str, before: str) -> bool:
    code = ord(char)
    if 0xE0100 <= code <= 0xE01EF or 0xFE00 <= code <= 0xFE0D:
        return True
    return char in _EMOJI_SELECTORS and (before in _EMOJI_SELECTORS or not before)


def issue_body(data: bytes, name: str) -> str:
    """The text of an issue's body, read as bytes from the file called `name`."""
    if len(data) > 4 * MAX_BODY:
        raise ScaffoldError(f"{name} is longer than any GitHub issue: is it the right file?")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ScaffoldError(
            f"{name} is not UTF-8 text (byte {error.start + 1}): copy the issue's body from "
            "GitHub again, or save the file as UTF-8"
        ) from None


def visible_text(body: str) -> str:
    """The body as GitHub shows it: line ends made `\\n`, HTML comments dropped (their
    line ends kept, so that line numbers still hold); markup and characters GitHub
    hides are refused."""
    text = body.replace("\r\n", "\n").replace("\r", "\n")
    if len(text) > MAX_BODY:
        raise ScaffoldError(
            f"the issue's body is {len(text):,} characters, longer than any GitHub issue "
            f"({MAX_BODY:,}): is it the right file?"
        )
    text = _COMMENT.sub(lambda comment: "\n" * comment[0].count("\n") or " ", text)
    for index, char in enumerate(text):
        if char not in "\n\t" and (
            unicodedata.category(char) in _INVISIBLE_CATEGORIES
            or char in _BLANK_LETTERS
            or _hides_data(char, text[index - 1] if index else "")
        ):
            name = unicodedata.name(char, "a control character")
            raise ScaffoldError(
                f"line {_line(text, index)} of the issue's body holds U+{ord(char):04X} "
                f"({name}), which GitHub does not show: ask for it to be removed from the "
                "issue, or remove it from the file, then run from-issue again"
            )
    for pattern, what in ((_HTML, "HTML"), (_LINK_DEFINITION, "a link definition")):
        found = pattern.search(text)
        if found:
            shown = text[found.start() :].split("\n")[0]
            raise ScaffoldError(
                f"line {_line(text, found.start())} of the issue's body holds {what} "
                f"({quoted(shown)}), which GitHub can hide from view: a case study is plain "
                "text, so ask for it to be removed from the issue, then run from-issue again"
            )
    return text


def _line(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1
