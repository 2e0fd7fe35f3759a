"""Open data: the case studies as JSON, CSV and an Atom feed, with the JSON Schema.

Pure functions from checked content to bytes; the plugin publishes them under
`data/`. The JSON is the content exactly as validated, so it passes the schema
that `briefgen schema` prints.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from pydantic import BaseModel, TypeAdapter

from briefgen.content.models import CaseStudy, Content
from briefgen.site.routes import (
    CASE_STUDIES_CSV,
    CASE_STUDIES_JSON,
    FEED_XML,
    OUTCOMES_CSV,
    SCHEMA_JSON,
    Routes,
)
from briefgen.site.text import rights_statement

ATOM = "http://www.w3.org/2005/Atom"

FEED_ENTRIES = 50

CASE_STUDY_COLUMNS = [
    "id", "title", "summary", "organisations", "tiers", "region", "setting", "models",
    "speaker", "speaker_role", "services", "outcomes", "reviewed", "review_due", "url",
]  # fmt: skip
OUTCOME_COLUMNS = [
    "case_study", "metric", "value", "unit", "scope", "status", "reported_by", "source",
    "source_title",
]  # fmt: skip

_LIST = "; "  # how a list is joined into one CSV cell

# A spreadsheet runs a cell that starts with one of these as a formula (OWASP, "CSV
# Injection"): such a cell gets a leading apostrophe, so it shows as text. Decided per
# column, not per value: the columns below hold only numbers we formatted ourselves (a
# count; an outcome's value, which the schema makes a number), so "-12.5" there stays
# the number it is, while in any other column "-12.5" is text and gets the apostrophe.
# The JSON keeps every text exactly as written.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMERIC_COLUMNS = frozenset({"outcomes", "value"})


@dataclass(frozen=True)
class Feed:
    """What the Atom feed says about the site."""

    title: str
    author: str
    licence: str | None = None
    """The licence the site's owner grants, if any (see `rights_statement`)."""


def exports(content: Content, feed: Feed, routes: Routes) -> dict[str, bytes]:
    """Every export, by its route (its path below the docs folder).

    Links in them are absolute when the site's address is known, else relative
    to the file that holds them, so that they resolve either way.
    """
    return {
        routes.data_file(CASE_STUDIES_JSON): case_studies_json(content),
        routes.data_file(CASE_STUDIES_CSV): case_studies_csv(content, routes),
        routes.data_file(OUTCOMES_CSV): outcomes_csv(content),
        routes.data_file(SCHEMA_JSON): schema_json(CaseStudy),
        routes.data_file(FEED_XML): atom_feed(content, feed, routes),
    }


def case_studies_json(content: Content) -> bytes:
    """Every case study, as an array of objects each valid against the case-study schema."""
    studies = list(content.case_studies.values())
    # Compact, in one pass in pydantic's Rust core: this file holds every word of the site.
    return TypeAdapter(list[CaseStudy]).dump_json(studies, exclude_none=True) + b"\n"


def schema_json(model: type[BaseModel]) -> bytes:
    """The JSON Schema of one file of `model`, such as a case study."""
    schema = model.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return _json(schema)


def case_studies_csv(content: Content, routes: Routes) -> bytes:
    """One row per case study; lists joined with '; '."""
    here = routes.data_file(CASE_STUDIES_CSV)
    rows = (
        {
            "id": s.id,
            "title": s.title,
            "summary": " ".join(s.summary.split()),
            "organisations": _LIST.join(o.name for o in s.organisations),
            "tiers": _LIST.join(o.tier or "" for o in s.organisations).strip("; "),
            "region": s.region or "",
            "setting": s.setting or "",
            "models": _LIST.join(s.models),
            "speaker": s.speaker.name if s.speaker else "",
            "speaker_role": (s.speaker.role or "") if s.speaker else "",
            "services": _LIST.join(s.services),
            "outcomes": len(s.outcomes),
            "reviewed": s.reviewed.isoformat(),
            "review_due": s.review_due.isoformat(),
            "url": routes.link(routes.case_study(s.id), here),
        }
        for s in content.case_studies.values()
    )
    return _csv(CASE_STUDY_COLUMNS, rows)


def outcomes_csv(content: Content) -> bytes:
    """One row per outcome, with the case study it belongs to and its source."""
    rows = (
        {
            "case_study": s.id,
            "metric": o.metric,
            "value": f"{o.value:g}",
            "unit": o.unit or "",
            "scope": " ".join((o.scope or "").split()),
            "status": o.status,
            "reported_by": o.reported_by or "",
            "source": o.source,
            "source_title": next(src.name for src in s.sources if src.id == o.source),
        }
        for s in content.case_studies.values()
        for o in s.outcomes
    )
    return _csv(OUTCOME_COLUMNS, rows)


def atom_feed(content: Content, feed: Feed, routes: Routes) -> bytes:
    """An Atom feed of the latest case studies, each updated on its review date.

    Like any feed, it carries the newest entries, not the archive: readers poll
    it often, and the JSON and CSV files hold every case study.
    """
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed")
    here = routes.data_file(FEED_XML)
    studies = sorted(content.case_studies.values(), key=lambda s: (s.reviewed, s.id), reverse=True)
    studies = studies[:FEED_ENTRIES]
    updated = max((s.reviewed for s in studies), default=dt.date(1970, 1, 1))
    _text(root, "id", _feed_id(feed, routes))
    _text(root, "title", feed.title)
    _text(root, "updated", _timestamp(updated))
    _text(root, "rights", rights_statement(feed.licence))
    author = ET.SubElement(root, f"{{{ATOM}}}author")
    _text(author, "name", feed.author)
    ET.SubElement(root, f"{{{ATOM}}}link", rel="self", href=routes.link(here, here))
    alternate = routes.link(routes.case_study_index, here)
    ET.SubElement(root, f"{{{ATOM}}}link", rel="alternate", href=alternate)
    for study in studies:
        entry = ET.SubElement(root, f"{{{ATOM}}}entry")
        _text(entry, "id", _entry_id(routes, study.id))
        _text(entry, "title", study.title)
        _text(entry, "updated", _timestamp(study.reviewed))
        link = routes.link(routes.case_study(study.id), here)
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", href=link)
        _text(entry, "summary", " ".join(study.summary.split()))
        for model in study.models:
            ET.SubElement(entry, f"{{{ATOM}}}category", term=model)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _feed_id(feed: Feed, routes: Routes) -> str:
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, (routes.site_url or '') + '#' + feed.title)}"


def _entry_id(routes: Routes, case_study_id: str) -> str:
    # Stable across builds: derived from the site's address and the case study's id.
    name = f"{routes.site_url or ''}{routes.prefix}case-studies/{case_study_id}/"
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, name)}"


def _timestamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _text(parent: ET.Element, tag: str, text: str) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}{tag}").text = text


def _json(data: object) -> bytes:
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _csv(columns: list[str], rows: Iterable[dict[str, object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(
        {name: value if name in _NUMERIC_COLUMNS else _cell(value) for name, value in row.items()}
        for row in rows
    )
    return buffer.getvalue().encode("utf-8")


def _cell(value: object) -> str:
    """A text cell as a spreadsheet will show it: never a formula."""
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text
