"""New case studies: a commented file to fill in, or one made from a GitHub issue form.

Officers who do not use git fill in the repository's issue form; a maintainer
runs `briefgen from-issue` on the issue's body and gets a case-study file that
`briefgen check` then checks like any other.
"""

from __future__ import annotations

import datetime as dt
import re
from importlib import resources
from typing import Any

import yaml

from briefgen.content.models import SLUG_PATTERN

SCHEMA_COMMENT = "# yaml-language-server: $schema=../schema/case-study.schema.json\n"
NO_RESPONSE = "_No response_"
_HEADING = re.compile(r"^###\s+(.+?)\s*$", re.MULTILINE)
_TICKED = re.compile(r"^\s*-\s*\[[xX]\]\s*(.+?)\s*$", re.MULTILINE)
_SLUG = re.compile(SLUG_PATTERN)

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


def check_new_id(case_study_id: str) -> None:
    """Refuse an id that is not a slug: it becomes a file name and a web address."""
    if not _SLUG.fullmatch(case_study_id):
        raise ScaffoldError(
            f"{case_study_id!r} is not a valid id: use lower-case letters, digits and single "
            "hyphens, such as 'north-dorset-revenues'"
        )


def new_case_study(case_study_id: str) -> str:
    """The text of a new, commented case-study file for `case_study_id`."""
    check_new_id(case_study_id)
    template = resources.files("briefgen").joinpath("templates/new_case_study.yaml")
    return template.read_text("utf-8").replace("{{id}}", case_study_id)


def parse_issue_form(body: str) -> dict[str, str]:
    """The answers of a GitHub issue form's body, by label (empty answers left out)."""
    answers: dict[str, str] = {}
    headings = list(_HEADING.finditer(body))
    for index, heading in enumerate(headings):
        end = headings[index + 1].start() if index + 1 < len(headings) else len(body)
        value = body[heading.end() : end].strip()
        if value and value != NO_RESPONSE:
            answers[heading.group(1)] = value
    return answers


def case_study_from_issue(body: str, today: dt.date) -> tuple[str, str]:
    """The id and the YAML text of a case study made from an issue form's body, reviewed
    `today` (the build date) and due for review a year later."""
    answers = parse_issue_form(body)

    def one(field: str) -> str | None:
        return answers.get(LABELS[field])

    def lines(field: str) -> list[str]:
        text = answers.get(LABELS[field], "")
        return [line.strip().lstrip("-*• ").strip() for line in text.splitlines() if line.strip()]

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
        "models": _TICKED.findall(answers.get(LABELS["models"], "")),
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
