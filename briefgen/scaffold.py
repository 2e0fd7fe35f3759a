"""New case studies: a commented file to fill in, or one made from a GitHub issue form.

Officers who do not use git fill in the repository's issue form; a maintainer
runs `briefgen from-issue` on the issue's body and gets a case-study file that
`briefgen check` then checks like any other.

The issue's author is a stranger, and the maintainer judges the issue by what GitHub
shows: so only what GitHub shows is read (HTML comments are dropped; markup or
characters GitHub hides are refused), and the file is written only inside
case_studies/, never over a file or through a link.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import re
import unicodedata
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from briefgen.content import problems
from briefgen.content.rules import RESERVED_IDS
from briefgen.content.values import SLUG_MAX, SLUG_PATTERN, WINDOWS_DEVICES
from briefgen.site.routes import DATA_FILES, Routes

SCHEMA_COMMENT = "# yaml-language-server: $schema=../schema/case-study.schema.json\n"
NO_RESPONSE = "_No response_"
CASE_STUDIES = "case_studies"
MAX_BODY = 65_536
"""GitHub's limit on an issue's body, in characters: a longer body is not an issue's."""
_TICKED = re.compile(r"^[ \t]*-[ \t]*\[[xX]\][ \t]*(\S.*)$", re.MULTILINE)
_SLUG = re.compile(SLUG_PATTERN)

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


# A heading's marks: ATX (`## Title`, also in a quote or a list item), setext underlines.
_ATX = re.compile(r"[ \t]*(?:(?:>|[-*+]|\d{1,9}[.)])[ \t]*)*#{1,6}(?:[ \t]|$)")
_UNDERLINE = re.compile(r"[ \t]*(?:>[ \t]*)*(?:=+|-+)[ \t]*")

# The issue form's labels (.github/ISSUE_TEMPLATE/case-study.yml), by field.
LABELS = {
    "id": "Short id",
    "title": "Title",
    "summary": "Summary",
    "organisations": "Councils and bodies",
    "region": "Region",
    "setting": "Setting",
    "models": "Model",
    "speaker_name": "Speaker",
    "speaker_role": "Speaker's role",
    "services": "Services",
    "challenges": "Challenges",
    "enablers": "What helped",
    "takeaways": "Takeaways",
    "source_title": "Source title",
    "source_publisher": "Source publisher",
    "source_author": "Source author",
    "source_date": "Source date",
    "source_url": "Source web address",
}


class ScaffoldError(ValueError):
    """A case study cannot be made as asked."""


def _site_names() -> dict[str, str]:
    """Names a case study's id must not take, each with the reason why."""
    routes = Routes()
    own = [
        routes.home,
        routes.case_study_index,
        routes.takeaways,
        routes.compare,
        routes.data,
        routes.accessibility,
        routes.briefing("x"),
        routes.theme("x"),
        routes.checklist("x"),
        *map(routes.data_file, DATA_FILES),
    ]
    # Written beside briefgen's pages by MkDocs, its theme and Pagefind.
    others = ["404.html", "assets/", "search/", "sitemap.xml", "pagefind/"]
    reasons: dict[str, str] = {}
    for route in own + others:
        name = route.split("/")[0].split(".")[0]
        reasons[name] = f"the site has a page or folder called {name}"
    for name in RESERVED_IDS:
        reasons[name] = f"case-studies/{name} is the site's own page"
    for name in WINDOWS_DEVICES:
        reasons[name] = f"Windows cannot open a file called {name}.yaml"
    return reasons


RESERVED = _site_names()
"""Ids that are the site's own paths or that Windows cannot name, with the reason why."""


def check_new_id(case_study_id: str) -> None:
    """Refuse an id that is not a slug (it becomes a file name and a web address), or
    that is reserved."""
    if len(case_study_id) > SLUG_MAX or not _SLUG.fullmatch(case_study_id):
        raise ScaffoldError(
            f"{_quoted(case_study_id)} is not a valid id: use up to {SLUG_MAX} lower-case "
            "letters, digits and single hyphens, such as 'north-dorset-revenues'"
        )
    reason = RESERVED.get(case_study_id.casefold())
    if reason:
        raise ScaffoldError(
            f"{case_study_id!r} is reserved ({reason}): choose another id, such as the "
            "council and the service, 'north-dorset-revenues'"
        )


def new_case_study(case_study_id: str) -> str:
    """The text of a new, commented case-study file for `case_study_id`."""
    check_new_id(case_study_id)
    template = resources.files("briefgen").joinpath("templates/new_case_study.yaml")
    return template.read_text("utf-8").replace("{{id}}", case_study_id)


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
                f"({_quoted(shown)}), which GitHub can hide from view: a case study is plain "
                "text, so ask for it to be removed from the issue, then run from-issue again"
            )
    return text


def parse_issue_form(body: str) -> dict[str, str]:
    """The answers of a GitHub issue form's body, by label (empty answers left out).

    Only the form's own headings (`### Label`) start an answer; any other heading is
    part of the answer it is in. A body that shows a label's heading twice is refused.
    """
    lines = visible_text(body).split("\n")
    _refuse_repeated_headings(lines)
    form_headings = {f"### {label}": label for label in LABELS.values()}
    answers: dict[str, str] = {}
    label, start = None, 0
    for number, line in enumerate([*lines, None]):
        found = form_headings.get(line.rstrip(" \t")) if line is not None else None
        if found is None and line is not None:
            continue
        if label is not None:
            value = "\n".join(lines[start:number]).strip()
            if value and value != NO_RESPONSE:
                answers[label] = value
        label, start = found, number + 1
    return answers


def _refuse_repeated_headings(lines: list[str]) -> None:
    """Refuse a body in which a reader sees a form's heading twice, whatever its level."""
    labels = {label.casefold(): label for label in LABELS.values()}
    seen: dict[str, int] = {}
    for number, line in enumerate(lines):
        atx = _ATX.match(line)
        if atx:
            text = line[atx.end() :].strip()
            if text.rstrip("#") != text and text.rstrip("#")[-1:] in ("", " ", "\t"):
                text = text.rstrip("#")  # a closing run of #s is not shown
        elif number + 1 < len(lines) and _UNDERLINE.fullmatch(lines[number + 1]):
            text = line.lstrip(" \t>-*+")
        else:
            continue
        label = labels.get(" ".join(text.strip("*_` \t").split()).casefold())
        if label is None:
            continue
        if label in seen:
            raise ScaffoldError(
                f"the issue's body shows the heading {label!r} twice (lines {seen[label] + 1} "
                f"and {number + 1}): a form gives each heading once, so the body was edited; "
                "remove the repeat, keeping the answer the issue shows, then run from-issue "
                "again"
            )
        seen[label] = number


def _line(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def _quoted(text: str, limit: int = 60) -> str:
    """Text from an issue, quoted and escaped for a message, and cut short."""
    return repr(text[:limit]) + ("…" if len(text) > limit else "")


def case_study_from_issue(body: str, today: dt.date) -> tuple[str, str]:
    """The id and the YAML text of a case study made from an issue form's body, reviewed
    `today` (the build date) and due for review a year later."""
    answers = parse_issue_form(body)

    def one(field: str) -> str | None:
        return answers.get(LABELS[field])

    def lines(field: str) -> list[str]:
        text = answers.get(LABELS[field], "")
        return [line.strip().lstrip("-*• ").strip() for line in text.split("\n") if line.strip()]

    case_study_id = (one("id") or "").strip()
    check_new_id(case_study_id)
    reviewed = today
    data: dict[str, Any] = {
        "id": case_study_id,
        "title": one("title"),
        "summary": one("summary"),
        "organisations": [{"name": name} for name in lines("organisations")],
        "region": one("region"),
        "setting": one("setting"),
        "models": [m.strip() for m in _TICKED.findall(answers.get(LABELS["models"], ""))],
        "speaker": {"name": one("speaker_name"), "role": one("speaker_role")},
        "services": lines("services"),
        "challenges": lines("challenges"),
        "enablers": lines("enablers"),
        "takeaways": [{"text": text} for text in lines("takeaways")],
        "sources": [
            {
                "id": "source",
                "title": one("source_title"),
                "publisher": one("source_publisher"),
                "author": one("source_author"),
                "date": one("source_date"),
                "url": one("source_url"),
            }
        ],
        "reviewed": reviewed.isoformat(),
        "review_due": (reviewed + dt.timedelta(days=365)).isoformat(),
    }
    if not data["speaker"]["name"]:
        del data["speaker"]
    data = _without_empty(data)
    # Dumped, never assembled from answers: an answer is one YAML string, whatever it holds.
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=88)
    return case_study_id, SCHEMA_COMMENT + text


def write_new(root: Path, case_study_id: str, text: str) -> str:
    """Write a new case study's file below `root`; its path as shown to people.

    Only ever a new file, inside the project's own case_studies folder: never over a
    file, through a symbolic link (dangling or not), or into a folder a link leads to.
    """
    check_new_id(case_study_id)
    name = f"{case_study_id}.yaml"
    shown = f"{CASE_STUDIES}/{name}"
    folder = root / CASE_STUDIES
    if folder.is_symlink():
        raise ScaffoldError(
            f"{CASE_STUDIES} is a symbolic link: briefgen writes only inside the project, "
            f"so make {CASE_STUDIES} a real folder in {problems.shown(str(root), 300)}"
        )
    if folder.exists() and not folder.is_dir():
        raise ScaffoldError(f"{CASE_STUDIES} is a file: case studies go in a folder of that name")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ScaffoldError(f"cannot make the folder {CASE_STUDIES}: {error.strerror}") from None
    if folder.resolve().parent != root.resolve():  # a link made since the test above
        raise ScaffoldError(
            f"{CASE_STUDIES} is not inside {problems.shown(str(root), 300)}: "
            "briefgen writes only there"
        )
    try:
        _create(folder, name, text)
    except FileExistsError:
        if (folder / name).is_symlink():
            raise ScaffoldError(
                f"{shown} is a symbolic link: remove it, or choose another id"
            ) from None
        raise ScaffoldError(f"{shown} exists already: choose another id") from None
    except OSError as error:
        if error.errno == errno.ELOOP:  # O_NOFOLLOW met a link that appeared meanwhile
            raise ScaffoldError(f"{shown} is a symbolic link: choose another id") from None
        raise ScaffoldError(f"cannot write {shown}: {error.strerror}") from None
    return shown


def _create(folder: Path, name: str, text: str) -> None:
    """Create `name` in `folder`: O_EXCL refuses any existing file or link, and the
    folder is opened without following a link, so the file lands in that folder."""
    flags = os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0)
    nofollow_folder = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0)
    if os.open not in os.supports_dir_fd:  # Windows: no folder handles
        descriptor = os.open(folder / name, flags, 0o666)
    else:
        folder_descriptor = os.open(folder, nofollow_folder)
        try:
            descriptor = os.open(name, flags, 0o666, dir_fd=folder_descriptor)
        finally:
            os.close(folder_descriptor)
    with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


def _without_empty(value: Any) -> Any:
    """Drop fields left empty, so that the file holds only what the issue said."""
    if isinstance(value, dict):
        cleaned = {k: _without_empty(v) for k, v in value.items()}
        return {k: v for k, v in cleaned.items() if v not in (None, "", [], {})}
    if isinstance(value, list):
        return [_without_empty(v) for v in value]
    return value
