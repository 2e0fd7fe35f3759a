"""Pages a reader reaches by climbing up: `/themes/` gathers every theme's page.

Read from the shared test library's site (built once a session): no build of their own.
"""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup, Tag
from conftest import LIBRARY_CONTENT, Site

from briefgen.site.relations import study_themes
from briefgen.site.routes import Routes, resolve
from briefgen.site.takeaways import group_takeaways

# The themes with a page of their own (those some takeaway carries), in declared order.
GROUPS = [(t, entries) for t, entries in group_takeaways(LIBRARY_CONTENT, Routes()) if t]


def article(site: Site, url_path: str) -> Tag:
    found = BeautifulSoup(site.html(url_path), "lxml").select_one("article")
    assert found is not None
    return found


def first_shown(page: Tag) -> Tag:
    """What a reader sees first in a page's body (Material's edit button floats aside)."""
    return next(
        child
        for child in page.find_all(recursive=False)
        if not child.has_attr("hidden") and "md-content__button" not in (child.get("class") or [])
    )


def links(tag: Tag) -> list[Tag]:
    return [a for a in tag.select("a[href]") if "headerlink" not in (a.get("class") or [])]


def test_the_themes_index_lists_every_theme_page_with_what_it_gathers(library: Site) -> None:
    assert (library.site_dir / "themes" / "index.html").is_file()
    index = article(library, "themes/")
    assert index.h1 is not None and index.h1.find(string=True, recursive=False) == "Themes"
    items = index.select("li.bg-theme")
    assert [item.a.get_text(strip=True) for item in items if item.a] == [t.title for t, _ in GROUPS]
    for item, (theme, entries) in zip(items, GROUPS, strict=True):
        href = str(item.a["href"]) if item.a else ""
        assert resolve(href, "themes/") == f"themes/{theme.id}/"
        assert (library.site_dir / "themes" / theme.id / "index.html").is_file()
        text = " ".join(item.get_text(" ").split())
        if theme.description:
            assert " ".join(theme.description.split()) in text
        studies = sum(theme.id in study_themes(s) for s in LIBRARY_CONTENT.case_studies.values())
        briefings = sum(
            any(theme.id in t.themes for t in b.key_takeaways)
            for b in LIBRARY_CONTENT.briefings.values()
        )
        count = len(entries)
        assert f"{count} takeaway{'s' * (count != 1)}" in text
        # What it holds, and nothing it does not: no "0 case studies" under a theme only
        # briefings use.
        if studies:
            assert f"{studies} case stud{'ies' if studies != 1 else 'y'}" in text
        else:
            assert "case stud" not in text
        if briefings:
            assert f"{briefings} briefing{'s' * (briefings != 1)}" in text
        else:
            assert "briefing" not in text
    assert any(
        not any(theme.id in study_themes(s) for s in LIBRARY_CONTENT.case_studies.values())
        for theme, _ in GROUPS
    ), "the library has a theme only its briefing uses"


@pytest.mark.parametrize("theme_id", [theme.id for theme, _ in GROUPS])
def test_every_theme_page_links_up_to_all_themes(library: Site, theme_id: str) -> None:
    page = article(library, f"themes/{theme_id}/")
    up = [a for a in links(page) if a.get_text() == "All themes"]
    assert [resolve(str(a["href"]), f"themes/{theme_id}/") for a in up] == ["themes/"]
    # And its breadcrumbs, first on the page: Home › Themes, then the theme's own h1.
    trail = page.select_one("nav[aria-label=Breadcrumb]")
    assert trail is not None and first_shown(page) is trail
    steps = [" ".join(li.get_text().split()) for li in trail.select("li")]
    assert steps == ["Home", "Themes"]
    hrefs = [resolve(str(a["href"]), f"themes/{theme_id}/") for a in trail.select("a")]
    assert hrefs == ["", "themes/"]
    assert trail.find_next("h1").find(string=True) == LIBRARY_CONTENT.themes[theme_id].title


def test_the_takeaways_page_links_to_all_themes(library: Site) -> None:
    hrefs = [str(a["href"]) for a in links(article(library, "takeaways/"))]
    assert "../themes/" in hrefs


def test_a_case_studys_facts_are_a_summary_list_under_its_breadcrumbs(library: Site) -> None:
    northtown = LIBRARY_CONTENT.case_studies["northtown"]
    page = article(library, "case-studies/northtown/")
    trail = page.select_one("nav[aria-label=Breadcrumb]")
    assert trail is not None
    # Up to its parent, and first: Material's tag chips (above the breadcrumbs) are hidden,
    # and the tags are the last row of the facts instead.
    assert [li.get_text(strip=True) for li in trail.select("li")] == ["Home", "Case studies"]
    assert northtown.tags
    assert all(tags.has_attr("hidden") for tags in page.select(".md-tags"))
    assert first_shown(page) is trail
    assert trail.find_next("h1").find(string=True) == northtown.title
    # GOV.UK's summary list: a key and its value a row, not bold labels in a bulleted list.
    facts = page.select_one("dl.bg-facts")
    assert facts is not None
    assert [bold for bold in page.select("li > strong") if bold.find_previous("h2") is None] == []
    rows = {
        row.dt.get_text(): row.dd for row in facts.select("div.bg-facts__row") if row.dt and row.dd
    }
    assert list(rows) == ["Councils", "Region", "Setting", "Model", "Speaker", "Services", "Tags"]
    assert rows["Tags"].get_text() == ", ".join(northtown.tags)
    councils = [li.get_text() for li in rows["Councils"].select("li")]
    assert councils == [f"{org.name} ({org.tier})" for org in northtown.organisations]
    assert [li.get_text() for li in rows["Services"].select("li")] == northtown.services
    assert rows["Region"].get_text() == northtown.region


def _words(tag: Tag) -> str:
    return " ".join(tag.get_text().split())


@pytest.mark.parametrize("url_path", ["takeaways/", *(f"themes/{t.id}/" for t, _ in GROUPS)])
def test_a_takeaway_away_from_its_page_has_its_evidence_small_as_on_the_home_page(
    library: Site, url_path: str
) -> None:
    """Each takeaway reads as the home page's do: its words, then its evidence as quiet
    notes a line each (the `bg-evidence` the home page uses), ending with where it is from."""
    page = article(library, url_path)
    home = article(library, "")
    assert home.select("ol.bg-takeaways > li > span.bg-evidence")
    groups = group_takeaways(LIBRARY_CONTENT, Routes())  # the unthemed ones too
    expected = {" ".join(e.takeaway.text.split()): e for _, entries in groups for e in entries}
    items = page.select("ul.bg-takeaways > li")
    assert items
    for item in items:
        evidence = item.select_one(":scope > span.bg-evidence")
        assert evidence is not None, _words(item)
        notes = [_words(note) for note in evidence.select(":scope > span")]
        evidence.extract()
        entry = expected[_words(item)]  # what is left at body size is the takeaway alone
        assert notes[-1] == f"From {' '.join(entry.origin_title.split())}."
        if entry.source:
            assert f"Source: {entry.source.label}." in notes
        if entry.cited:
            titles = "; ".join(study.title for study in entry.cited)
            assert f"Case stud{'ies' if len(entry.cited) > 1 else 'y'}: {titles}." in notes
    text = _words(page)
    assert "(Source:" not in text and ") From" not in text


def test_a_theme_page_lists_the_case_studies_its_takeaways_come_from_or_cite(
    library: Site,
) -> None:
    studies = LIBRARY_CONTENT.case_studies
    for theme, entries in GROUPS:
        wanted = {e.origin_study for e in entries} | {c.id for e in entries for c in e.cited}
        heading = article(library, f"themes/{theme.id}/").select_one("h2#case-studies")
        listed = heading.find_next("ul").select("li") if heading else []
        titles = [s.title for s in studies.values() if s.id in wanted]
        assert [_words(li) for li in listed] == titles
    # The briefing's leadership takeaway cites a case study whose own takeaways do not
    # carry the theme: the theme's page lists it all the same.
    leadership = dict((t.id, e) for t, e in GROUPS)["leadership"]
    cited = {c.id for e in leadership for c in e.cited}
    assert cited - {s.id for s in studies.values() if "leadership" in study_themes(s)}
