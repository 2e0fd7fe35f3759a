"""The page plan and the PDF plan, without MkDocs: which pages and PDFs the site has for
given content, and what each page is told."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import (
    BRIEFING,
    BUILD_DATE,
    CASE_STUDIES,
    CHECKLIST,
    LIBRARY_CONTENT,
    make_briefing,
    make_content,
    make_study,
)

from briefgen.site.documents import plan_documents
from briefgen.site.pagedata import COMPARED_AT_MOST, compared_by_default
from briefgen.site.plan import checklist_version, choose_home, plan_pages
from briefgen.site.planned import PlanError, PlanOptions
from briefgen.site.routes import DATA_FILES, Routes
from briefgen.site.takeaways import group_takeaways
from briefgen.site.text import DESCRIPTION_LIMIT, summarise

ROUTES = Routes(BRIEFING.id)
OPTIONS = PlanOptions(today=BUILD_DATE)


def planned(content=LIBRARY_CONTENT, routes=ROUTES, options=OPTIONS):  # type: ignore[no-untyped-def]
    return {page.src_uri: page for page in plan_pages(content, routes, options)}


def used_themes() -> list[str]:
    """The library's themes that some takeaway carries, in declared order."""
    takeaways = [t for s in CASE_STUDIES for t in s.takeaways] + list(BRIEFING.key_takeaways)
    return [theme for theme in LIBRARY_CONTENT.themes if any(theme in t.themes for t in takeaways)]


def test_the_library_plans_one_page_for_each_thing_a_reader_opens() -> None:
    pages = planned()
    assert list(pages) == [
        "index.md",  # the one briefing is the home page
        *(f"checklists/{c.id}.md" for c in BRIEFING.checklists),
        "case-studies/index.md",
        *(f"case-studies/{s.id}.md" for s in CASE_STUDIES),
        "takeaways.md",
        "themes/index.md",  # every theme, with what each gathers
        *(f"themes/{theme}.md" for theme in used_themes()),
        "compare.md",
        "data/index.md",
        "accessibility.md",
        "glossary.md",  # the library has a glossary
    ]
    # Every page explains the glossary's terms, but the glossary's own.
    assert [uri for uri, page in pages.items() if page.terms is None] == ["glossary.md"]
    # A theme no takeaway carries has no page.
    assert set(LIBRARY_CONTENT.themes) - set(used_themes())
    assert pages["index.md"].title == BRIEFING.title
    assert pages[f"checklists/{CHECKLIST.id}.md"].title == CHECKLIST.title


def test_case_study_pages_are_searched_first_and_kept_out_of_the_navigation() -> None:
    pages = planned()
    for case_study in CASE_STUDIES:
        page = pages[f"case-studies/{case_study.id}.md"]
        assert (page.title, page.template) == (case_study.title, "case_study.html.j2")
        assert page.source_file == f"case_studies/{case_study.id}.yaml"  # "edit this page"
        assert not page.in_nav and not page.search_exclude and page.search_boost == 2
        assert page.tags == tuple(case_study.tags)
        assert page.updated == case_study.reviewed  # the sitemap's lastmod
        assert page.context["study"] is case_study
        assert page.context["briefings"] == (
            [BRIEFING] if case_study.id in BRIEFING.case_studies else []
        )
    # Pages that only repeat the case studies stay out of search.
    excluded = {uri for uri, page in pages.items() if page.search_exclude}
    assert excluded == {
        "case-studies/index.md",
        "takeaways.md",
        "compare.md",
        "themes/index.md",
        *(f"themes/{theme}.md" for theme in used_themes()),
    }
    in_nav = {uri for uri, page in pages.items() if page.in_nav}
    assert in_nav == {
        "index.md",
        f"checklists/{CHECKLIST.id}.md",
        "case-studies/index.md",
        "takeaways.md",
        "compare.md",
        "data/index.md",
        "glossary.md",
    }


def test_a_case_study_past_its_review_date_is_flagged_on_the_build_date() -> None:
    def overdue(today: dt.date) -> set[str]:
        pages = planned(options=PlanOptions(today=today))
        return {s.id for s in CASE_STUDIES if pages[f"case-studies/{s.id}.md"].context["overdue"]}

    assert overdue(BUILD_DATE) == {s.id for s in CASE_STUDIES if s.review_due < BUILD_DATE}
    assert overdue(BUILD_DATE) and overdue(BUILD_DATE) != {s.id for s in CASE_STUDIES}
    last = max(s.review_due for s in CASE_STUDIES)
    assert overdue(last) == {s.id for s in CASE_STUDIES if s.review_due != last}
    assert overdue(min(s.review_due for s in CASE_STUDIES)) == set()  # due today is not overdue


def test_pages_link_their_pdfs_only_when_pdfs_are_made() -> None:
    on = planned()
    off = planned(options=PlanOptions(today=BUILD_DATE, pdf=False))
    assert on["index.md"].context["pdf"] == f"{BRIEFING.id}.pdf"
    assert on[f"checklists/{CHECKLIST.id}.md"].context["pdf"] == f"checklists/{CHECKLIST.id}.pdf"
    assert off["index.md"].context["pdf"] is None
    assert off[f"checklists/{CHECKLIST.id}.md"].context["pdf"] is None


def test_the_data_page_lists_every_open_data_file_where_it_is_published() -> None:
    routes = Routes(BRIEFING.id, prefix="briefing")
    data = planned(routes=routes)["briefing/data/index.md"]
    assert data.context["files"] == {f"briefing/{name}": text for name, text in DATA_FILES.items()}
    assert data.context["feed"] == "briefing/data/feed.xml"


def test_with_a_prefix_every_page_is_in_its_folder() -> None:
    pages = planned(routes=Routes(BRIEFING.id, prefix="briefing/"))
    assert len(pages) == len(planned())
    assert all(uri.startswith("briefing/") for uri in pages)
    assert "briefing/index.md" in pages


def test_case_studies_alone_plan_no_briefing_or_checklist() -> None:
    content = make_content(make_study("a", "Alpha"), make_study("b", "Beta"))
    pages = planned(content, Routes(None))
    assert list(pages) == [
        "case-studies/index.md",
        "case-studies/a.md",
        "case-studies/b.md",
        "takeaways.md",
        "compare.md",
        "data/index.md",
        "accessibility.md",
    ]
    assert pages["case-studies/index.md"].description.startswith("2 case studies")


def test_a_briefing_without_case_studies_has_nothing_to_compare() -> None:
    content = make_content(briefings=[make_briefing("only", [])])
    assert "compare.md" not in planned(content, Routes("only"))


def test_the_home_briefing_is_the_one_named_or_the_only_one() -> None:
    assert choose_home(LIBRARY_CONTENT, None) == BRIEFING.id
    assert choose_home(LIBRARY_CONTENT, BRIEFING.id) == BRIEFING.id
    assert choose_home(make_content(make_study("a", "A")), None) is None
    with pytest.raises(PlanError, match=rf"'elsewhere' does not exist \(briefings: {BRIEFING.id}"):
        choose_home(LIBRARY_CONTENT, "elsewhere")
    two = make_content(briefings=[make_briefing("one", []), make_briefing("two", [])])
    with pytest.raises(PlanError, match=r"several briefings: .* \(one of: one, two\)"):
        choose_home(two, None)
    assert choose_home(two, "two") == "two"


def test_the_comparison_shows_all_that_fit_else_those_the_briefings_feature() -> None:
    studies = [make_study(f"s{n:02d}", f"Study {n:02d}") for n in range(COMPARED_AT_MOST + 1)]
    fits = make_content(*studies[:COMPARED_AT_MOST])
    assert compared_by_default(fits) == (list(fits.case_studies.values()), False)
    featured = ["s07", "s03"]
    many = make_content(*studies, briefings=[make_briefing("b", featured)])
    chosen, is_featured = compared_by_default(many)
    assert ([s.id for s in chosen], is_featured) == (featured, True)
    unfeatured = make_content(*studies)
    chosen, is_featured = compared_by_default(unfeatured)
    assert [s.id for s in chosen] == [s.id for s in studies[:COMPARED_AT_MOST]]
    assert not is_featured
    compare = planned(many, Routes("b"))["compare.md"].context
    assert (compare["total"], compare["featured"]) == (COMPARED_AT_MOST + 1, True)


def test_takeaways_are_grouped_by_theme_in_declared_order_unthemed_last() -> None:
    groups = group_takeaways(LIBRARY_CONTENT, ROUTES)
    assert [theme.id if theme else None for theme, _ in groups] == [*used_themes(), None]
    by_theme = {theme.id if theme else None: entries for theme, entries in groups}
    for case_study in CASE_STUDIES:
        sources = {source.id: source for source in case_study.sources}
        for takeaway in case_study.takeaways:
            for theme in takeaway.themes or [None]:
                (entry,) = [e for e in by_theme[theme] if e.takeaway is takeaway]
                assert entry.origin_uri == f"case-studies/{case_study.id}.md"
                assert (entry.origin_title, entry.origin_anchor) == (case_study.title, "takeaways")
                assert entry.source is (sources[takeaway.source] if takeaway.source else None)
    key = [e for entries in by_theme.values() for e in entries if e.origin_uri == "index.md"]
    assert {id(e.takeaway) for e in key} == {id(t) for t in BRIEFING.key_takeaways}
    assert {e.origin_anchor for e in key} == {"key-takeaways"}


def test_descriptions_are_the_first_paragraph_cut_at_a_word() -> None:
    assert summarise("  One line\nwrapped.\n\nSecond paragraph.") == "One line wrapped."
    long = "word, " * 60
    cut = summarise(long)
    assert len(cut) <= DESCRIPTION_LIMIT and cut.endswith("word…")  # no dangling comma
    assert summarise("a" * 10 + " bcd", limit=12) == "aaaaaaaaaa…"
    assert planned()["case-studies/northtown.md"].description == summarise(
        LIBRARY_CONTENT.case_studies["northtown"].summary
    )


def test_a_checklists_version_follows_its_content() -> None:
    version = checklist_version(CHECKLIST)
    assert len(version) == 12 and int(version, 16) >= 0
    assert checklist_version(CHECKLIST.model_copy(deep=True)) == version
    item = CHECKLIST.items[0].model_copy(update={"label": "Another label"})
    changed = CHECKLIST.model_copy(update={"items": [item, *CHECKLIST.items[1:]]})
    assert checklist_version(changed) != version
    page = planned()[f"checklists/{CHECKLIST.id}.md"]
    assert page.context["version"] == version


def test_pdfs_are_a_checklist_each_and_a_pack_of_the_briefing_its_case_studies_and_checklists() -> (
    None
):
    documents = plan_documents(LIBRARY_CONTENT, ROUTES)
    assert [d.dest for d in documents] == [
        *(f"checklists/{c.id}.pdf" for c in BRIEFING.checklists),
        f"{BRIEFING.id}.pdf",
    ]
    checklist, pack = documents[0], documents[-1]
    assert (checklist.parts, checklist.title) == (
        (f"checklists/{CHECKLIST.id}.md",),
        CHECKLIST.title,
    )
    assert pack.parts == (
        "index.md",
        *(f"case-studies/{s}.md" for s in BRIEFING.case_studies),
        *(f"checklists/{c.id}.md" for c in BRIEFING.checklists),
    )
    # Every part is a planned page.
    assert set(pack.parts) <= set(planned())
    # A briefing that is not the home page keeps its pack beside its page.
    elsewhere = plan_documents(LIBRARY_CONTENT, Routes(None, prefix="briefing"))
    assert elsewhere[-1].dest == f"briefing/briefings/{BRIEFING.id}.pdf"
    assert plan_documents(make_content(make_study("a", "A")), ROUTES) == []
