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
        count = len(entries)
        assert f"{count} takeaway{'s' * (count != 1)}" in text
        assert f"{studies} case stud{'ies' if studies != 1 else 'y'}" in text


@pytest.mark.parametrize("theme_id", [theme.id for theme, _ in GROUPS])
def test_every_theme_page_links_up_to_all_themes(library: Site, theme_id: str) -> None:
    up = [a for a in links(article(library, f"themes/{theme_id}/")) if a.get_text() == "All themes"]
    assert [resolve(str(a["href"]), f"themes/{theme_id}/") for a in up] == ["themes/"]


def test_the_takeaways_page_links_to_all_themes(library: Site) -> None:
    hrefs = [str(a["href"]) for a in links(article(library, "takeaways/"))]
    assert "../themes/" in hrefs
