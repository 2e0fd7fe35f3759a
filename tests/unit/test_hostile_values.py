"""Hostile values inside well-formed YAML: characters no page, feed or terminal can hold,
look-alike filter values, Windows device names, dates and numbers out of any sensible
range, and lists long enough to make a build take hours. Each is refused by `check`,
at its place, with the limit it broke; what is accepted publishes valid open data."""

from __future__ import annotations

import datetime as dt
import json
import time
import unicodedata
from pathlib import Path
from xml.etree import ElementTree as ET

import jsonschema
import pytest
import yaml
from conftest import BUILD_DATE, write

from briefgen.content.check import read_content, validate_document
from briefgen.content.load import Document
from briefgen.content.models import Briefing, CaseStudy
from briefgen.content.problems import Problem
from briefgen.site.opendata import Feed, atom_feed, case_studies_json, schema_json
from briefgen.site.routes import Routes

# Each field on its own line, in this order; a test replaces the YAML of a few.
STUDY = {
    "id": "example",
    "title": "Example",
    "summary": "A short summary.",
    "organisations": "\n  - name: Example Council",
    "models": "[shared-service]",
    # The source on two lines, as before it needed a date: the lines of the fields after it stay.
    "sources": "\n  - {id: report, title: A report,\n     date: 2023-12-01}",
    "reviewed": "2024-01-01",
    "review_due": "2025-01-01",
}

BRIEFING = {
    "id": "main",
    "title": "A briefing",
    "context": "Some context.",
}


def _yaml(fields: dict[str, str]) -> str:
    return "".join(f"{name}: {value}\n" for name, value in fields.items())


def errors(
    tmp_path: Path, study: dict[str, str] | None = None, briefing: dict[str, str] | None = None
) -> list[str]:
    """The errors `check` reports for a case study (and a briefing) with these fields."""
    fields = {**STUDY, **(study or {})}
    write(tmp_path, f"case_studies/{fields['id']}.yaml", _yaml(fields))
    if briefing is not None:
        write(tmp_path, "briefings/main.yaml", _yaml({**BRIEFING, **briefing}))
    return [str(p) for p in read_content(tmp_path, today=BUILD_DATE).errors]


# 1. Characters that XML 1.0 and HTML cannot hold, or that drive a terminal ---------------


@pytest.mark.parametrize(
    ("escape", "code"),
    [
        ("\\0", "U+0000"),
        ("\\a", "U+0007"),
        ("\\b", "U+0008"),
        ("\\v", "U+000B"),
        ("\\f", "U+000C"),
        ("\\e[31m", "U+001B"),
        ("\\x7f", "U+007F"),
        ("\\N", "U+0085"),  # YAML's "next line", a C1 control
        ("\\x9b", "U+009B"),  # CSI: an escape sequence in one character
        ("\\ufdd0", "U+FDD0"),
        ("\\ufdef", "U+FDEF"),
        ("\\ufffe", "U+FFFE"),
        ("\\uffff", "U+FFFF"),
        ("\\U0001FFFE", "U+1FFFE"),
        ("\\U0010FFFF", "U+10FFFF"),
    ],
)
def test_a_character_no_page_or_terminal_can_hold_is_refused_and_named(
    tmp_path: Path, escape: str, code: str
) -> None:
    found = errors(tmp_path, {"title": f'"A{escape} b"'})
    assert len(found) == 1
    assert found[0].startswith(f"case_studies/example.yaml:2:1: title: contains {code} ("), found
    assert "at character 2" in found[0] and "delete it" in found[0]


def test_a_lone_surrogate_is_refused_however_it_arrives() -> None:
    # YAML refuses the escape "\ud800" itself; text from elsewhere (an issue form) may not.
    data = {**yaml.safe_load(_yaml(STUDY)), "title": "A\ud800"}
    problems: list[Problem] = []
    validate_document(Document("case_studies/example.yaml", data), CaseStudy, problems)
    assert [str(p) for p in problems] == [
        "case_studies/example.yaml:1:1: title: contains half of a surrogate pair (U+D800 to "
        "U+DFFF), not a character, which pages, feeds and terminals cannot hold: delete it"
    ]


def test_the_attack_title_is_refused_at_its_first_bad_character(tmp_path: Path) -> None:
    assert errors(tmp_path, {"title": '"A\\0 \\e[31m \\v \\uFFFE"'}) == [
        "case_studies/example.yaml:2:1: title: contains U+0000 (a control character) at "
        "character 2, which pages, feeds and terminals cannot hold: delete it"
    ]


@pytest.mark.parametrize(
    ("field", "yaml"),
    [
        ("summary", '"ok \\x07"'),  # multi-line text
        ("organisations[0].name", '\n  - name: "Council\\x1b]52;c;bad\\x07"'),
        ("sources[0].title", '\n  - id: report\n    title: "A\\x00"\n    date: 2023-12-01'),
        ("services[0]", '["IT\\x00"]'),
    ],
)
def test_every_text_field_refuses_control_characters(tmp_path: Path, field: str, yaml: str) -> None:
    name = field.split("[")[0].split(".")[0]
    found = errors(tmp_path, {name: yaml})
    assert len(found) == 1 and f": {field}: contains U+00" in found[0], found


@pytest.mark.parametrize(
    ("escape", "code"), [("\\n", "U+000A"), ("\\t", "U+0009"), ("\\r", "U+000D")]
)
def test_one_line_fields_refuse_line_breaks_and_tabs(
    tmp_path: Path, escape: str, code: str
) -> None:
    found = errors(tmp_path, {"title": f'"Two{escape}lines"'})
    assert len(found) == 1
    assert found[0].startswith("case_studies/example.yaml:2:1: title: must be one line: ")
    assert f"({code})" in found[0]


def test_multi_line_text_keeps_line_breaks_and_tabs_and_ends_lines_with_newline(
    tmp_path: Path,
) -> None:
    write(
        tmp_path,
        "case_studies/example.yaml",
        _yaml({**STUDY, "summary": '"One\\r\\ntwo\\tthree\\rfour"'}),
    )
    report = read_content(tmp_path, today=BUILD_DATE)
    assert report.content is not None, [str(p) for p in report.problems]
    assert report.content.case_studies["example"].summary == "One\ntwo\tthree\nfour"


# 2. Look-alikes: NFC everywhere, no invisible characters in ids and filter values ----------


def test_text_is_normalised_to_nfc(tmp_path: Path) -> None:
    decomposed = "Cafe\u0301 services"
    write(
        tmp_path,
        "case_studies/example.yaml",
        _yaml({**STUDY, "title": json.dumps(decomposed), "services": json.dumps([decomposed])}),
    )
    report = read_content(tmp_path, today=BUILD_DATE)
    assert report.content is not None
    study = report.content.case_studies["example"]
    assert study.title == study.services[0] == unicodedata.normalize("NFC", decomposed)
    assert len(study.title) == len(decomposed) - 1


@pytest.mark.parametrize(
    ("field", "yaml"),
    [
        ("region", '"Dorset\\u200b"'),
        ("organisations[0].name", '\n  - name: "Example\\u200dCouncil"'),
        ("services[0]", '["\\ufeffRevenues"]'),
        ("tags[0]", '["\\u2060shared"]'),
        ("region", '"\\u202eSouth West"'),
        ("region", '"South \\u2066West\\u2069"'),
        ("region", '"West\\u200e"'),
        ("region", '"West\\u061c"'),
        ("region", '"Dor\\u00adset"'),  # a soft hyphen, unseen mid-line
        ("tags[0]", '["shared\\ufe0f\\ufe0f\\ufe0f"]'),  # variation selectors
        ("services[0]", '["Revenues\\U000e0100"]'),
        ("region", '"West\\u2800"'),  # blank braille
    ],
)
def test_facet_values_refuse_invisible_characters(tmp_path: Path, field: str, yaml: str) -> None:
    name = field.split("[")[0].split(".")[0]
    found = errors(tmp_path, {name: yaml})
    assert len(found) == 1, found
    assert f": {field}: contains U+" in found[0] and "invisible" in found[0], found


@pytest.mark.parametrize("separator", ["\\u2028", "\\u2029"])
def test_one_line_fields_refuse_the_line_and_paragraph_separators(
    tmp_path: Path, separator: str
) -> None:
    found = errors(tmp_path, {"title": f'"One{separator}Two"'})
    assert len(found) == 1 and "title: must be one line" in found[0], found


def test_invisible_characters_in_a_title_are_kept(tmp_path: Path) -> None:
    # Zero-width joiners belong in some scripts and emoji; only filter values must match.
    assert errors(tmp_path, {"title": '"Family \\U0001F468\\u200d\\U0001F469"'}) == []


# 3. Ids Windows cannot check out --------------------------------------------------------


@pytest.mark.parametrize("name", ["con", "nul", "aux", "prn", "com1", "com9", "lpt1", "lpt9"])
def test_windows_device_names_are_refused_as_ids(tmp_path: Path, name: str) -> None:
    found = errors(tmp_path, {"id": name})
    assert found == [
        f"case_studies/{name}.yaml:1:1: id: {name!r} is a device name on Windows (as are con, "
        "prn, aux, nul, com0 to com9 and lpt0 to lpt9): a file or folder named so cannot be "
        "checked out there; choose another id"
    ]


def test_windows_device_names_are_refused_wherever_an_id_is_declared(tmp_path: Path) -> None:
    aux = "\n  - id: aux\n    title: A report\n    date: 2023-12-01"
    found = errors(tmp_path, {"sources": aux})
    assert any(":8:5: sources[0].id: 'aux' is a device name on Windows" in f for f in found), found


def test_an_id_that_merely_starts_like_a_device_name_is_fine(tmp_path: Path) -> None:
    assert errors(tmp_path, {"id": "con-1"}) == errors(tmp_path, {"id": "console"}) == []


# 4. Dates within a window around the build date (2024-06-03) ----------------------------


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {"reviewed": "1999-12-31"},
            "10:1: reviewed: 1999-12-31 is outside the dates accepted: from 2000-01-01 to "
            "2044-06-03 (20 years after the build date, 2024-06-03)",
        ),
        (
            {"reviewed": "2024-06-04", "review_due": "2025-01-01"},
            "10:1: reviewed: 2024-06-04 is after the build date (2024-06-03): "
            "give the date the review was done",
        ),
        (
            {"review_due": "2029-01-02"},
            "11:1: review_due: at most 5 years after reviewed (2024-01-01), so on or before "
            "2029-01-01; got 2029-01-02",
        ),
        (
            {"review_due": "9999-12-30"},
            "11:1: review_due: 9999-12-30 is outside the dates accepted: from 2000-01-01 to "
            "2044-06-03 (20 years after the build date, 2024-06-03)",
        ),
        (
            {"sources": "\n  - id: report\n    title: A report\n    date: 2106-02-08"},
            "10:5: sources[0].date: 2106-02-08 is outside the dates accepted: from 2000-01-01 "
            "to 2044-06-03 (20 years after the build date, 2024-06-03)",
        ),
    ],
)
def test_dates_out_of_range_are_refused_with_the_window(
    tmp_path: Path, fields: dict[str, str], expected: str
) -> None:
    assert errors(tmp_path, fields) == [f"case_studies/example.yaml:{expected}"]


def test_briefing_dates_are_in_the_window_too(tmp_path: Path) -> None:
    found = errors(tmp_path, briefing={"as_at": "2200-01-01", "reviewed": "2024-07-01"})
    assert found == [
        "briefings/main.yaml:4:1: as_at: 2200-01-01 is outside the dates accepted: from "
        "2000-01-01 to 2044-06-03 (20 years after the build date, 2024-06-03)",
        "briefings/main.yaml:5:1: reviewed: 2024-07-01 is after the build date (2024-06-03): "
        "give the date the review was done",
    ]


def test_the_edges_of_the_date_window_are_accepted(tmp_path: Path) -> None:
    fields = {
        "reviewed": "2024-06-03",
        "review_due": "2029-06-03",
        "sources": "\n  - id: report\n    title: A report\n    date: 2000-01-01",
    }
    assert errors(tmp_path, fields, briefing={"as_at": "2044-06-03"}) == []


# 5. Numbers: finite, bounded, and the bounds published ----------------------------------

OUTCOME = (
    "\n  - metric: Savings\n    value: {value}\n    unit: '{unit}'\n    status: reported"
    "\n    source: report"
)


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e999"])
def test_numbers_that_are_not_finite_are_refused(tmp_path: Path, value: str) -> None:
    found = errors(tmp_path, {"outcomes": OUTCOME.format(value=value, unit="£m")})
    assert found == [
        f"case_studies/example.yaml:14:5: outcomes[0].value: expected an ordinary number, such "
        f"as 30 or 2.5; got {value!r} (not-a-number and infinity are not numbers a reader can use)"
    ]


@pytest.mark.parametrize(
    ("value", "unit", "message"),
    [
        ("1e13", "£", "at most 1,000,000,000,000; got '1e13'"),
        ("-1e13", "£", "at least -1,000,000,000,000; got '-1e13'"),
        ("1001", "%", "a percentage is between -1,000 and 1,000; got 1001"),
        ("-5000", "%", "a percentage is between -1,000 and 1,000; got -5000"),
    ],
)
def test_numbers_out_of_bounds_are_refused(
    tmp_path: Path, value: str, unit: str, message: str
) -> None:
    found = errors(tmp_path, {"outcomes": OUTCOME.format(value=value, unit=unit)})
    assert found == [f"case_studies/example.yaml:14:5: outcomes[0].value: {message}"]


def test_the_schema_publishes_the_bounds() -> None:
    schema = json.loads(schema_json(CaseStudy))
    outcome = schema["$defs"]["Outcome"]
    value = outcome["properties"]["value"]
    assert (value["minimum"], value["maximum"]) == (-1e12, 1e12)
    percentage = outcome["if"]["properties"]["unit"]
    assert "%" in percentage["enum"]
    assert outcome["then"]["properties"]["value"] == {"minimum": -1000, "maximum": 1000}
    assert schema["properties"]["services"]["maxItems"] == 50
    assert schema["properties"]["title"]["maxLength"] == 300
    briefing = Briefing.model_json_schema()
    assert briefing["properties"]["case_studies"]["maxItems"] == 500
    assert briefing["properties"]["checklists"]["maxItems"] == 20
    assert briefing["$defs"]["Checklist"]["properties"]["items"]["maxItems"] == 40


# 6. Bounded lists and strings ------------------------------------------------------------


def test_a_megabyte_of_services_is_refused_quickly_with_the_limit(tmp_path: Path) -> None:
    services = "".join("\n  - IT" for _ in range(97_000))  # about 0.7 MB, made here
    started = time.process_time()
    found = errors(tmp_path, {"services": services})
    assert time.process_time() - started < 5
    assert found == [
        "case_studies/example.yaml:12:1: services: at most 50 items; this list has 97,000"
    ]


def test_briefing_lists_are_bounded(tmp_path: Path) -> None:
    item = "{label: A, why_it_matters: B, questions: [C]}"
    checklists = "".join(f"\n  - {{id: c{n}, title: C, items: [{item}]}}" for n in range(21))
    items = ", ".join([item] * 41)
    found = errors(
        tmp_path,
        briefing={
            "case_studies": json.dumps(["example"] * 501),
            "checklists": checklists + f"\n  - {{id: big, title: C, items: [{items}]}}",
        },
    )
    assert found == [
        "briefings/main.yaml:4:1: case_studies: at most 500 items; this list has 501",
        "briefings/main.yaml:5:1: checklists: at most 20 items; this list has 22",
    ]


def test_strings_are_bounded_with_the_length_found(tmp_path: Path) -> None:
    assert errors(tmp_path, {"title": "x" * 301}) == [
        "case_studies/example.yaml:2:1: title: at most 300 characters; this has 301"
    ]


# 7. What is accepted publishes JSON valid against the published schema -----------------


def test_the_longest_strangest_accepted_content_publishes_valid_json(tmp_path: Path) -> None:
    unicode = "“Quoted” <b>&amp;</b> ' \" \\ £ € 日本 עברית \U0001f600 \u00e9 "
    long_line = (unicode * 20)[:299] + "."  # 300 characters, none of them stripped
    long_text = ("e\u0301 " + (unicode + "\n\t") * 200)[:4999] + "."
    services = json.dumps([f"{long_line[:290]} {n}" for n in range(50)], ensure_ascii=False)
    outcomes = "".join(
        f"\n  - {{metric: M{n}, value: {value}, unit: '{unit}', status: reported, source: s0}}"
        for n, (value, unit) in enumerate(
            [("1e12", "£"), ("-1e12", "£"), ("1000", "%"), ("-1000", "%"), ("0.000001", "x")]
        )
    )
    sources = "".join(
        f"\n  - {{id: s{n}, title: {json.dumps(long_line, ensure_ascii=False)}, "
        f"date: 2000-01-01, url: 'https://example.org/{n}?a=1&b=\"2\"'}}"
        for n in range(100)
    )
    text = json.dumps(long_text, ensure_ascii=False)
    fields = {
        "title": json.dumps(long_line, ensure_ascii=False),
        "summary": json.dumps((long_text * 4)[:20000], ensure_ascii=False),
        "organisations": json.dumps(
            [{"name": long_line, "tier": "other"}] * 50, ensure_ascii=False
        ),
        "region": json.dumps(long_line, ensure_ascii=False),
        "services": services,
        "outcomes": outcomes,
        "challenges": f"[{', '.join([text] * 50)}]",
        "tags": json.dumps([f"tag {n}" for n in range(30)]),
        "sources": sources,
        "reviewed": "2024-06-03",
        "review_due": "2029-06-03",
    }
    write(tmp_path, "case_studies/example.yaml", _yaml({**STUDY, **fields}))
    report = read_content(tmp_path, today=BUILD_DATE)
    assert report.content is not None, [str(p) for p in report.errors][:5]

    validator = jsonschema.Draft202012Validator(json.loads(schema_json(CaseStudy)))
    published = json.loads(case_studies_json(report.content))
    assert [e.message for item in published for e in validator.iter_errors(item)] == []
    study = published[0]
    assert (study["title"], len(study["services"])) == (long_line, 50)
    assert study["challenges"][0].startswith("\u00e9 ")  # normalised to NFC
    feed = atom_feed(report.content, Feed("Feed", "Author"), Routes("main"))
    assert ET.fromstring(feed).tag.endswith("feed")  # well-formed XML
    assert dt.date.fromisoformat(study["review_due"]) == dt.date(2029, 6, 3)
