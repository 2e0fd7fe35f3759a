"""A case study made from the answers to the repository's GitHub issue form.

Officers who do not use git fill in the issue form; a maintainer runs
`briefgen from-issue` on the issue's body and gets a case-study file that
`briefgen check` then checks like any other. Only what GitHub shows of the body is
read (`issue_text.py`), and each answer is only ever one YAML string.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import yaml

from briefgen.issue_text import visible_text
from briefgen.scaffold import ScaffoldError, check_new_id

SCHEMA_COMMENT = "# yaml-language-server: $schema=../schema/case-study.schema.json\n"
NO_RESPONSE = "_No response_"
_TICKED = re.compile(r"^[ \t]*-[ \t]*\[[xX]\][ \t]*(\S.*)$", re.MULTILINE)

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


def _without_empty(value: Any) -> Any:
    """Drop fields left empty, so that the file holds only what the issue said."""
    if isinstance(value, dict):
        cleaned = {k: _without_empty(v) for k, v in value.items()}
        return {k: v for k, v in cleaned.items() if v not in (None, "", [], {})}
    if isinstance(value, list):
        return [_without_empty(v) for v in value]
    return value
