"""The glossary: its file checked like any content, and its terms explained on first use."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import BUILD_DATE, LIBRARY_CONTENT, PAYLOAD, make_content, make_study, write

from briefgen.content.check import read_content
from briefgen.content.glossary import Glossary
from briefgen.site.glossary import Terms, glossary_terms, mark_terms
from briefgen.site.plan import plan_pages
from briefgen.site.planned import PlanOptions
from briefgen.site.render import make_environment, render_page
from briefgen.site.routes import Routes

CIO = '<abbr title="chief information officer">CIO</abbr>'
CIO_FIRST = f"{CIO} (chief information officer)"


def terms(*entries: tuple[str, str]) -> Terms:
    glossary = Glossary.model_validate(
        {
            "terms": [
                {"term": term, "expansion": expansion, "origin": "editors"}
                for term, expansion in entries
            ]
        }
    )
    found = glossary_terms(glossary)
    assert found is not None
    return found


TERMS = terms(
    ("CIO", "chief information officer"),
    ("OD", "Organisation Development"),
    ("LG EBP", "Local Government Executive Briefing Programme"),
    ("LG", "local government"),
    ("members", "councillors"),
    ("R&D", "research & development"),
)


def test_the_first_use_on_a_page_is_expanded_and_later_ones_left_as_written() -> None:
    body = "<p>The CIO met the CIO.</p><ul><li>A CIO</li></ul>"
    assert mark_terms(body, TERMS) == (
        f"<p>The {CIO_FIRST} met the CIO.</p><ul><li>A CIO</li></ul>"
    )


def test_a_term_is_found_only_as_a_whole_word_and_as_written() -> None:
    body = "<p>CIOs, a CIO-led team, the cio, fOD, ODE, GOOD, LGEBP, member, nonmembers.</p>"
    assert mark_terms(body, TERMS) == body


def test_a_word_is_found_with_a_capital_as_at_the_start_of_a_sentence() -> None:
    assert mark_terms("<p>Members met.</p>", TERMS) == "<p>Members (councillors) met.</p>"
    # A word is no abbreviation: no <abbr>, only its expansion.
    assert mark_terms("<p>with members.</p>", TERMS) == "<p>with members (councillors).</p>"


def test_the_longest_term_wins_and_a_term_may_break_across_lines() -> None:
    marked = mark_terms("<p>The LG\nEBP and LG.</p>", TERMS)
    assert marked == (
        '<p>The <abbr title="Local Government Executive Briefing Programme">LG\nEBP</abbr> '
        "(Local Government Executive Briefing Programme) and "
        '<abbr title="local government">LG</abbr> (local government).</p>'
    )


def test_addresses_tags_attributes_links_headings_and_code_are_left_alone() -> None:
    body = (
        '<h2 id="cio">The CIO</h2>'
        '<p title="CIO" data-x="OD">https://example.org/CIO and www.cio.example and a@CIO.org '
        "and example.CIO.org</p>"
        '<p><a href="cio/">the CIO</a> <code>CIO</code> <abbr title="x">CIO</abbr></p>'
        "<script>var CIO = '<p>CIO</p>';</script><!-- CIO -->"
        "<p>At last, the CIO.</p>"
    )
    marked = mark_terms(body, TERMS)
    assert marked == body.replace("the CIO.</p>", f"the {CIO_FIRST}.</p>")


def test_in_a_quotation_the_expansion_is_in_square_brackets() -> None:
    body = "<blockquote><p>“the CIO said so”</p></blockquote><p>members</p>"
    assert mark_terms(body, TERMS) == (
        f"<blockquote><p>“the {CIO} [chief information officer] said so”</p></blockquote>"
        "<p>members (councillors)</p>"
    )


def test_a_term_the_text_expands_already_gets_no_second_expansion() -> None:
    body = "<p>Organisation Development (OD), the CIO (Chief Information Officer); OD again.</p>"
    assert mark_terms(body, TERMS) == (
        '<p>Organisation Development (<abbr title="Organisation Development">OD</abbr>), '
        f"the {CIO} (Chief Information Officer); OD again.</p>"
    )


LG_EBP = '<abbr title="Local Government Executive Briefing Programme">LG EBP</abbr>'


@pytest.mark.parametrize("apostrophe", ["’", "&#39;", "'"])
def test_a_term_in_brackets_after_its_expansions_possessive_is_not_expanded(
    apostrophe: str,
) -> None:
    body = (
        "<p>The Eduserv Local Government Executive Briefing "
        f"Programme{apostrophe}s (LG EBP) publication.</p>"
    )
    assert mark_terms(body, TERMS) == body.replace("(LG EBP)", f"({LG_EBP})")


def test_a_term_in_brackets_a_few_words_after_its_expansion_is_not_expanded() -> None:
    body = (
        "<p>Organisation Development, as Max Wide called it (OD), and "
        '<em>the Local Government</em> Executive Briefing Programme’s <a href="x">new</a> '
        "publication (LG EBP).</p>"
    )
    marked = mark_terms(body, TERMS)
    assert "(OD)" not in marked and "(LG EBP)" not in marked
    assert marked == body.replace(
        "(OD)", '(<abbr title="Organisation Development">OD</abbr>)'
    ).replace("(LG EBP)", f"({LG_EBP})")


def test_an_expansion_in_another_paragraph_or_long_before_does_not_count() -> None:
    expanded = f"({LG_EBP} (Local Government Executive Briefing Programme))"
    # The last paragraph's words are not this one's.
    body = "<p>Local Government Executive Briefing Programme.</p><p>The programme (LG EBP).</p>"
    assert expanded in mark_terms(body, TERMS)
    # Nor are words a page of text ago, in the same paragraph.
    body = f"<p>Local Government Executive Briefing Programme. {'And more. ' * 40}(LG EBP)</p>"
    assert expanded in mark_terms(body, TERMS)
    # Nor does a term in running text after its expansion go unexplained.
    body = "<p>Local Government Executive Briefing Programme, the LG EBP.</p>"
    assert "the " + LG_EBP + " (Local" in mark_terms(body, TERMS)


def test_terms_and_expansions_are_escaped_and_entities_are_not_words() -> None:
    hostile = terms(("XSS", PAYLOAD), ("amp", "ampersand"), ("R&D", "research & development"))
    marked = mark_terms("<p>Tom &amp; Jerry&#39;s XSS and R&amp;D</p>", hostile)
    soup = BeautifulSoup(marked, "lxml")
    assert [tag.name for tag in soup.body.find_all(True)] == ["p", "abbr", "abbr"]
    assert [abbr["title"] for abbr in soup.find_all("abbr")] == [PAYLOAD, "research & development"]
    assert soup.get_text() == (
        f"Tom & Jerry's XSS ({PAYLOAD}) and R&D (research & development)"
    )  # `amp` of `&amp;` is not the word amp


def test_a_page_without_a_term_is_returned_as_it_is() -> None:
    body = "<p>Nothing to explain here.</p>" * 1000
    assert mark_terms(body, TERMS) is body


def test_marking_is_linear_in_the_size_of_the_page() -> None:
    # Many tags and a term that only a heading holds: every tag is looked at.
    item = "<li><strong>Services:</strong> Payroll, CIOs</li>"
    small, large = (f"<h2 id='x'>CIO</h2><ul>{item * count}</ul>" for count in (2000, 20000))

    def timed(body: str) -> float:
        start = time.process_time()
        mark_terms(body, TERMS)
        return time.process_time() - start

    ratio = min(timed(large) for _ in range(3)) / min(timed(small) for _ in range(3))
    assert ratio < 20  # ten times the page: about ten times the time, never a hundred


def test_the_test_librarys_glossary_is_read_with_its_content() -> None:
    glossary = LIBRARY_CONTENT.glossary
    assert glossary is not None
    assert {entry.origin for entry in glossary.terms} == {"source", "editors"}


GLOSSARY = """\
terms:
  - term: CIO
    expansion: chief information officer
    origin: editors
{more}"""


# A second entry (its fields, one a line) and the one problem it must get, where.
BAD_ENTRIES = {
    "not-a-term": (
        ["term: <b>", "expansion: x", "origin: editors"],
        "5:5: terms[1].term: '<b>' cannot be found in running text",
    ),
    "twice": (
        ["term: cio", "expansion: x", "origin: editors"],
        "5:5: terms[1].term: 'cio' is in the glossary already, at glossary.yaml:2:5",
    ),
    "no-source": (
        ["term: OD", "expansion: x", "origin: source"],
        "7:5: terms[1].origin: an expansion from a source names it",
    ),
    "editors-cite": (
        ["term: OD", "expansion: x", "origin: editors", "source: report"],
        "8:5: terms[1].source: the editors' own expansion cites no source",
    ),
    "unknown-source": (
        ["term: OD", "expansion: x", "origin: source", "source: report"],
        "8:5: terms[1].source: no source in this file's sources has the id 'report'",
    ),
    "bad-origin": (
        ["term: OD", "expansion: x", "origin: ours"],
        "7:5: terms[1].origin: expected one of 'source' or 'editors'; got 'ours'",
    ),
    "unknown-field": (
        ["term: OD", "expansion: x", "origin: editors", "meaning: y"],
        "8:5: terms[1].meaning: unknown field 'meaning'",
    ),
}


@pytest.mark.parametrize("bad", BAD_ENTRIES)
def test_a_bad_glossary_is_reported_with_file_line_column_and_field(
    tmp_path: Path, bad: str
) -> None:
    fields, expected = BAD_ENTRIES[bad]
    entry = "  - " + "\n    ".join(fields) + "\n"
    write(tmp_path, "glossary.yaml", GLOSSARY.format(more=entry))
    report = read_content(tmp_path, today=BUILD_DATE)
    assert report.content is None
    shown = [str(problem) for problem in report.errors]
    assert len(shown) == 1 and shown[0].startswith(f"glossary.yaml:{expected}"), shown


# The glossary's one source, and the one problem it must get, where: a source of the
# glossary follows the rules of a case study's.
BAD_SOURCES = {
    "no-title": (
        ["id: report", "publisher: A council", "date: 2023-01-01"],
        "6:5: sources[0]: give the source's own 'title', or, if it has none, a plain 'description'",
    ),
    "undated-without-period": (
        ["id: report", "title: A report", "date: undated"],
        "8:5: sources[0].date: an undated source says what time it describes: add 'period'",
    ),
    "outside-the-window": (
        ["id: report", "title: A report", "date: 1999-12-31"],
        "8:5: sources[0].date: 1999-12-31 is outside the dates accepted",
    ),
}


@pytest.mark.parametrize("bad", BAD_SOURCES)
def test_a_bad_glossary_source_is_reported_with_file_line_column_and_field(
    tmp_path: Path, bad: str
) -> None:
    fields, expected = BAD_SOURCES[bad]
    write(tmp_path, "glossary.yaml", GLOSSARY.format(more="sources:\n  - " + "\n    ".join(fields)))
    report = read_content(tmp_path, today=BUILD_DATE)
    assert report.content is None
    shown = [str(problem) for problem in report.errors]
    assert len(shown) == 1 and shown[0].startswith(f"glossary.yaml:{expected}"), shown


def test_a_glossary_is_optional_and_its_file_can_be_named(tmp_path: Path) -> None:
    assert read_content(tmp_path, today=BUILD_DATE).content.glossary is None  # type: ignore[union-attr]
    write(tmp_path, "words/terms.yaml", GLOSSARY.format(more=""))
    report = read_content(tmp_path, glossary="words/terms.yaml", today=BUILD_DATE)
    assert report.content is not None and report.content.glossary is not None
    assert [entry.anchor for entry in report.content.glossary.terms] == ["cio"]


def test_a_glossary_that_is_a_symbolic_link_is_not_read(tmp_path: Path) -> None:
    secret = write(tmp_path, "secret.yaml", GLOSSARY.format(more=""))
    (tmp_path / "project").mkdir()
    (tmp_path / "project" / "glossary.yaml").symlink_to(secret)
    report = read_content(tmp_path / "project", today=BUILD_DATE)
    assert [str(problem) for problem in report.errors] == [
        "glossary.yaml:1:1: is a symbolic link: content files must be regular files in ./"
    ]


def test_a_glossary_in_a_folder_that_is_a_symbolic_link_is_not_read(tmp_path: Path) -> None:
    write(tmp_path, "elsewhere/terms.yaml", GLOSSARY.format(more="").replace("CIO", "SECRET"))
    (tmp_path / "project").mkdir()
    (tmp_path / "project" / "words").symlink_to(tmp_path / "elsewhere")
    report = read_content(tmp_path / "project", glossary="words/terms.yaml", today=BUILD_DATE)
    assert [str(problem) for problem in report.problems] == [
        "words:1:1: is a symbolic link: words/terms.yaml must be a file of the project"
    ]


def test_the_glossary_page_shows_hostile_entries_as_text_and_explains_no_term() -> None:
    line = " ".join(PAYLOAD.split())
    glossary = Glossary.model_validate(
        {
            "terms": [
                {"term": "XSS", "expansion": line, "definition": PAYLOAD, "origin": "editors"},
                {"term": "OD", "expansion": line, "origin": "source", "source": "report"},
            ],
            "sources": [{"id": "report", "title": line, "author": line, "date": "undated"}],
        }
    )
    content = dataclasses.replace(make_content(make_study("x", "XSS and OD")), glossary=glossary)
    pages = plan_pages(content, Routes(), PlanOptions(today=BUILD_DATE))
    (page,) = [page for page in pages if page.src_uri == "glossary.md"]
    soup = BeautifulSoup(render_page(make_environment(), page, Routes()).html, "lxml")
    assert not soup.select("script, img, [onclick], [onerror], a[href^=javascript]")
    assert [dt["id"] for dt in soup.select("dl dt")] == ["od", "xss"]
    assert [abbr["title"] for abbr in soup.select("dl abbr")] == [line, line]
    assert soup.get_text().count(f"({line})") == 0  # the glossary explains no term twice
    assert PAYLOAD.split()[0] in soup.get_text()
