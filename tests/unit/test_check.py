"""Models and cross-file checks: every problem located, in words an author can act on."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from conftest import BUILD_DATE, MINIMAL_CASE_STUDY, TESTS, write

from briefgen.content.check import read_content

FIXTURES = TESTS / "fixtures" / "invalid"
EXPECT = re.compile(r"^# expect: (.+)$", re.MULTILINE)

CASE_STUDY = MINIMAL_CASE_STUDY

BRIEFING = """\
id: main
title: A briefing
context: Some context.
themes:
  - id: culture
    title: Culture
case_studies: [{studies}]
"""


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("*.yaml")), ids=lambda p: p.stem)
def test_invalid_fixture_reports_each_expected_problem(tmp_path: Path, fixture: Path) -> None:
    text = fixture.read_text(encoding="utf-8")
    expected = EXPECT.findall(text)
    assert expected, f"{fixture.name} has no '# expect:' line"
    write(tmp_path, f"case_studies/{fixture.name}", text)

    report = read_content(tmp_path, today=BUILD_DATE)

    assert report.content is None
    shown = [str(problem) for problem in report.problems]
    for expectation in expected:
        prefix = f"case_studies/{fixture.name}:{expectation}"
        assert any(line.startswith(prefix) for line in shown), (prefix, shown)
    assert len(report.errors) == len(expected), shown


def test_every_problem_in_every_file_is_reported_at_once(tmp_path: Path) -> None:
    write(tmp_path, "case_studies/a.yaml", CASE_STUDY.format(id="a", title="A") + "colour: x\n")
    write(tmp_path, "case_studies/b.yaml", CASE_STUDY.format(id="b", title="") + "size: 3\n")
    write(tmp_path, "briefings/main.yaml", BRIEFING.format(studies="a, b, c"))
    report = read_content(tmp_path, today=BUILD_DATE)
    assert [f"{p.path}:{p.line}:{p.field}" for p in report.errors] == [
        "briefings/main.yaml:7:case_studies[2]",
        "case_studies/a.yaml:13:colour",
        "case_studies/b.yaml:2:title",
        "case_studies/b.yaml:13:size",
    ]


def test_same_id_twice_names_both_places(tmp_path: Path) -> None:
    write(tmp_path, "case_studies/dorset.yaml", CASE_STUDY.format(id="dorset", title="A"))
    write(tmp_path, "case_studies/dorset.yml", CASE_STUDY.format(id="dorset", title="B"))
    report = read_content(tmp_path, today=BUILD_DATE)
    assert [str(p) for p in report.errors] == [
        "case_studies/dorset.yml:1:1: id: case study id 'dorset' is used twice: "
        "here and at case_studies/dorset.yaml:1:1"
    ]


def test_reference_to_a_broken_case_study_is_not_a_second_error(tmp_path: Path) -> None:
    write(tmp_path, "case_studies/a.yaml", CASE_STUDY.format(id="a", title="A") + "colour: x\n")
    write(tmp_path, "briefings/main.yaml", BRIEFING.format(studies="a"))
    report = read_content(tmp_path, today=BUILD_DATE)
    assert [p.field for p in report.errors] == ["colour"]


def test_overdue_review_is_a_warning_naming_the_case_study(tmp_path: Path) -> None:
    write(tmp_path, "case_studies/a.yaml", CASE_STUDY.format(id="a", title="A"))
    due = dt.date.fromisoformat("2025-01-01")  # MINIMAL_CASE_STUDY's review_due
    assert read_content(tmp_path, today=due).warnings == []
    report = read_content(tmp_path, today=due + dt.timedelta(days=1))
    assert report.content is not None
    assert [str(p) for p in report.warnings] == [
        "case_studies/a.yaml:12:1: warning: review_due: case study 'a' was due for review on "
        "2025-01-01: check it against its sources, then update reviewed and review_due"
    ]


def test_a_service_in_title_case_or_written_two_ways_is_a_warning(tmp_path: Path) -> None:
    for case_study, services in (
        ("a", "[Committee Management, Group company]"),
        ("b", "[group company]"),
    ):
        text = CASE_STUDY.format(id=case_study, title=case_study.upper())
        write(tmp_path, f"case_studies/{case_study}.yaml", text + f"services: {services}\n")
    report = read_content(tmp_path, today=BUILD_DATE)
    assert report.content is not None  # the pages show them one way: still publishable
    line = len(CASE_STUDY.splitlines()) + 1  # the services line, added last
    assert [str(p) for p in report.warnings] == [
        f"case_studies/a.yaml:{line}:12: warning: services[0]: 'Committee Management' is in "
        "Title Case: pages show it in sentence case, as 'Committee management'; write it so",
        f"case_studies/b.yaml:{line}:12: warning: services[0]: 'group company' is written "
        f"'Group company' in case_studies/a.yaml:{line}: pages show both as 'Group company'; "
        "write it one way",
    ]


def test_strings_stay_as_written_in_text_fields(tmp_path: Path) -> None:
    write(
        tmp_path,
        "case_studies/a.yaml",
        CASE_STUDY.format(id="a", title="NO") + "region: 1:30\ntags: [yes, off, 1e3]\n",
    )
    report = read_content(tmp_path, today=BUILD_DATE)
    assert report.content is not None
    study = report.content.case_studies["a"]
    assert (study.title, study.region, study.tags) == ("NO", "1:30", ["yes", "off", "1e3"])


def test_briefing_themes_resolve_and_key_takeaway_figures_need_a_source(tmp_path: Path) -> None:
    write(tmp_path, "case_studies/a.yaml", CASE_STUDY.format(id="a", title="A"))
    write(
        tmp_path,
        "briefings/main.yaml",
        BRIEFING.format(studies="a")
        + """\
key_takeaways:
  - text: Half of all value (50%) is in the IT.
    themes: [culture, cultre]
""",
    )
    report = read_content(tmp_path, today=BUILD_DATE)
    assert [str(p) for p in report.errors] == [
        "briefings/main.yaml:9:5: key_takeaways[0].text: states a figure (50%) but cites no "
        "source: add 'source:' with the id of one of this file's sources",
        "briefings/main.yaml:10:23: key_takeaways[0].themes[1]: no theme declared in a briefing "
        "has the id 'cultre'; did you mean 'culture'?",
    ]


def test_reserved_id_is_refused(tmp_path: Path) -> None:
    write(tmp_path, "case_studies/index.yaml", CASE_STUDY.format(id="index", title="A"))
    report = read_content(tmp_path, today=BUILD_DATE)
    assert [str(p) for p in report.errors] == [
        "case_studies/index.yaml:1:1: id: 'index' is reserved: choose another id"
    ]


def test_a_theme_may_not_take_the_themes_index_id(tmp_path: Path) -> None:
    """themes/index.md is the list of every theme: a theme called index would replace it."""
    write(tmp_path, "case_studies/a.yaml", CASE_STUDY.format(id="a", title="A"))
    write(
        tmp_path,
        "briefings/main.yaml",
        BRIEFING.format(studies="a").replace("id: culture", "id: index"),
    )
    report = read_content(tmp_path, today=BUILD_DATE)
    assert [str(p) for p in report.errors] == [
        "briefings/main.yaml:5:5: themes[0].id: 'index' is reserved: choose another id"
    ]


def test_reading_on_every_core_finds_the_same_content_and_problems(tmp_path: Path) -> None:
    for index in range(240):  # past the size at which reading goes parallel
        write(
            tmp_path,
            f"case_studies/c{index:03d}.yaml",
            CASE_STUDY.format(id=f"c{index:03d}", title=f"Case {index:03d}"),
        )
    write(tmp_path, "case_studies/c007.yaml", CASE_STUDY.format(id="c007", title="T") + "x: 1\n")
    # Valid alone, wrong beside the others: found after reading, located all the same.
    takeaway = "takeaways:\n  - text: A lesson.\n    themes: [no-such-theme]\n"
    write(tmp_path, "case_studies/c009.yaml", CASE_STUDY.format(id="c009", title="T") + takeaway)
    one, every = (
        read_content(tmp_path, today=BUILD_DATE),
        read_content(tmp_path, today=BUILD_DATE, parallel=True),
    )
    assert [str(p) for p in every.problems] == [str(p) for p in one.problems]
    shown = [str(p) for p in every.problems]
    assert shown[0] == (
        "case_studies/c007.yaml:13:1: x: unknown field 'x'. Fields allowed here: challenges, "
        "enablers, id, models, organisations, outcomes, quotes, region, review_due, reviewed, "
        "services, setting, sources, speaker, summary, tags, takeaways, title"
    )
    assert shown[1].startswith("case_studies/c009.yaml:15:14: takeaways[0].themes[0]: ")
    assert len(shown) == 2
    for fixed in ("c007", "c009"):
        write(tmp_path, f"case_studies/{fixed}.yaml", CASE_STUDY.format(id=fixed, title=fixed))
    assert (
        read_content(tmp_path, today=BUILD_DATE, parallel=True).content
        == read_content(tmp_path, today=BUILD_DATE).content
    )


def test_a_key_figure_needs_a_source_that_exists(tmp_path: Path) -> None:
    write(tmp_path, "case_studies/a.yaml", CASE_STUDY.format(id="a", title="A"))
    sources = "sources:\n  - {id: report, title: A report, date: undated, period: 2023}\n"
    for figure, expected in [
        (
            "{value: 30%, measures: lower costs, reported_by: a speaker}",
            "required field is missing",
        ),
        (
            "{value: 30%, measures: lower costs, reported_by: the speaker, source: reprot}",
            "no source in this file's sources has the id 'reprot'; did you mean 'report'?",
        ),
    ]:
        figures = f"key_figures:\n  - {figure}\n"
        write(tmp_path, "briefings/main.yaml", BRIEFING.format(studies="a") + sources + figures)
        shown = [str(p) for p in read_content(tmp_path, today=BUILD_DATE).errors]
        assert len(shown) == 1 and shown[0].startswith("briefings/main.yaml:11:"), shown
        assert shown[0].endswith(f": key_figures[0].source: {expected}")
