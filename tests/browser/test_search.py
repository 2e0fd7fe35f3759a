"""Search as a reader meets it: the Pagefind index of a built site, queried in Chromium,
after a build, a newcomer's addition, saves under `mkdocs serve --dirty`, and with
hostile titles. (Material's search box, typed into, is in test_reading.py.)"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import (
    BRIEFING,
    CASE_STUDIES,
    CHECKLIST,
    LIBRARY_CONTENT,
    Site,
    dirty_serve,
    fill,
    in_yaml,
    pagefind_search,
    serve,
    study,
    type_query,
)
from playwright.sync_api import Page, expect

from briefgen.content.models import CaseStudy
from briefgen.helpers import search

# A case study to edit while serving.
EDITED = "northtown"


def test_search_indexes_bodies_takeaways_and_checklist_items(
    reading_page: Page, site_url: str
) -> None:
    def found(query: str) -> set[str]:
        return {result["url"] for result in pagefind_search(reading_page, site_url, query)}

    assert "case-studies/northtown/" in found(in_yaml("northtown", "intranet"))
    assert "case-studies/riverside/" in found(in_yaml("riverside", "kerbside recycling"))
    takeaway = " ".join(study("moorland").takeaways[0].text.split())
    assert "case-studies/moorland/" in found(takeaway)  # a case study's takeaway
    leadership = next(t for t in BRIEFING.key_takeaways if "leadership" in t.themes)
    assert "" in found(" ".join(leadership.text.split()))  # a key takeaway, on home
    question = CHECKLIST.items[1].questions[0]
    assert f"checklists/{CHECKLIST.id}/" in found(question)
    # Pages that only repeat the case studies stay out, so the case study ranks first.
    everywhere = found("shared") | found("council") | found("services")
    assert {f"case-studies/{s.id}/" for s in CASE_STUDIES} <= everywhere
    themes = {f"themes/{theme}/" for theme in LIBRARY_CONTENT.themes}
    assert not everywhere & {"takeaways/", "compare/", "case-studies/", *themes}


def test_search_skips_the_titles_a_case_study_only_links_to(
    reading_page: Page, site_url: str, library: Site
) -> None:
    def found(query: str) -> list[str]:
        return [result["url"] for result in pagefind_search(reading_page, site_url, query)]

    first, second = "northtown", "moorland"
    for one, other in ((first, second), (second, first)):
        # Each lists the other as related; that is not what either page is about.
        soup = BeautifulSoup(library.html(f"case-studies/{one}/"), "lxml")
        related = soup.find("h2", id="related-case-studies").find_next("ul")
        assert related.find("a", href=f"../{other}/") is not None
    northtown = found(in_yaml(first, "Southtown merger"))
    moorland = found(in_yaml(second, "Moorland districts"))
    assert northtown[0] == f"case-studies/{first}/" and f"case-studies/{second}/" not in northtown
    assert moorland[0] == f"case-studies/{second}/" and f"case-studies/{first}/" not in moorland


def test_search_results_link_to_the_sections_they_match(reading_page: Page, site_url: str) -> None:
    word = in_yaml("northtown", "intranet")
    assert word in " ".join(study("northtown").enablers)  # in "What helped"
    (northtown,) = [
        r
        for r in pagefind_search(reading_page, site_url, word)
        if r["url"] == "case-studies/northtown/"
    ]
    assert northtown["title"] == study("northtown").title
    assert f"<mark>{word}" in northtown["excerpt"]
    assert "case-studies/northtown/#what-helped" in northtown["sections"]


# Whatever its tags: a case study with none was indexed as escaped HTML, with no title.
@pytest.mark.parametrize("case_study", CASE_STUDIES, ids=lambda s: s.id)
def test_search_gives_each_case_study_its_title_and_sections(
    reading_page: Page, site_url: str, case_study: CaseStudy
) -> None:
    found = pagefind_search(reading_page, site_url, case_study.title)
    (result,) = [r for r in found if r["url"] == f"case-studies/{case_study.id}/"]
    assert result["title"] == case_study.title
    assert "<" not in result["excerpt"].replace("<mark>", "").replace("</mark>", "")
    # Sections: the headings the words are under, each a link into the page.
    assert any(
        section.startswith(f"case-studies/{case_study.id}/#") for section in result["sections"]
    )


def test_a_newcomer_adds_a_case_study_and_finds_it_everywhere(
    library_project: Site, page: Page
) -> None:
    project = library_project
    assert project.run("briefgen", "new", "example-shire").returncode == 0
    path = project.root / "case_studies" / "example-shire.yaml"
    path.write_text(fill(path.read_text()))
    assert project.run("briefgen", "check").returncode == 0
    project.build()  # as `mkdocs build --strict`

    index = BeautifulSoup(project.html("case-studies/"), "lxml")
    assert index.find("a", href="example-shire/") is not None
    with serve(project.site_dir) as url:
        found = pagefind_search(page, url, "Webchat for residents")
    assert found[0]["url"] == "case-studies/example-shire/"
    data = json.loads((project.site_dir / "data" / "case-studies.json").read_text())
    assert sorted(published["id"] for published in data) == sorted(
        [*(s.id for s in CASE_STUDIES), "example-shire"]
    )
    feed = (project.site_dir / "data" / "feed.xml").read_text()
    assert "Shared revenues and benefits in Example Shire" in feed
    # The case studies that share a service list it as related, and it lists them.
    new = BeautifulSoup(project.html("case-studies/example-shire/"), "lxml")
    related = {a["href"] for a in new.select("#related-case-studies + ul a[href]")}
    sharing = {
        s.id for s in CASE_STUDIES if "revenues and benefits" in map(str.casefold, s.services)
    }
    assert sharing and related == {f"../{case_study}/" for case_study in sharing}
    for case_study in sharing:
        assert 'href="../example-shire/"' in project.html(f"case-studies/{case_study}/")


def test_a_save_during_indexing_stops_it_and_search_follows_the_last_save(
    library_project: Site, tmp_path: Path, caplog: pytest.LogCaptureFixture, page: Page
) -> None:
    project = library_project
    site = tmp_path / "served"
    edited = project.root / "case_studies" / f"{EDITED}.yaml"
    with dirty_serve(project, site) as serving:
        serving.rebuild()
        for title in ("First save", "Second save"):  # the second before the first is indexed
            text = re.sub(r"(?m)^title: .*$", f"title: {title}", edited.read_text(), count=1)
            edited.write_text(text)
            serving.rebuild()
        serving.wait()
        assert "Second save" in (site / f"case-studies/{EDITED}/index.html").read_text()
        assert (site / f"{BRIEFING.id}.pdf").stat().st_size > 0
        assert [r.message for r in caplog.records if r.levelname == "ERROR"] == []
        with serve(site) as url:  # a reader searching finds the page by its newest title
            found = pagefind_search(page, url, "second save")
            assert [(hit["url"], hit["title"]) for hit in found[:1]] == [
                (f"case-studies/{EDITED}/", "Second save")
            ]


def test_serve_search_takes_in_pages_a_stopped_rebuild_had_not_written(
    tmp_path: Path, page: Page
) -> None:
    """A save can stop the last rebuild's indexing before its pages reach the scratch
    folder; the next rebuild's index must still hold them."""
    folder = tmp_path / "serve-search"
    folder.mkdir()
    # What a stopped helper leaves: its batch, unwritten.
    body = "<main data-pagefind-body><h1>Earlier</h1><p>Quietly kept zebra.</p></main>"
    earlier = {"case-studies/earlier/index.html": f'<html lang="en"><body>{body}</body></html>'}
    (folder / ".pages.json").write_text(json.dumps(earlier))
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<!doctype html><title>Home</title>")
    indexer = search.SearchIndexer("en", folder)
    indexer.add("case-studies/later/", "Later", "<p>Freshly saved yak.</p>")
    indexer.start(site / "pagefind")
    indexer.wait()
    with serve(site) as url:
        assert [hit["url"] for hit in pagefind_search(page, url, "zebra")] == [
            "case-studies/earlier/"
        ]
        assert [hit["url"] for hit in pagefind_search(page, url, "yak")] == ["case-studies/later/"]


def test_hostile_titles_stay_text_in_search_results_and_nothing_runs(
    hostile_library: Site, page: Page
) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    with serve(hostile_library.site_dir) as url:
        for path in ("", "case-studies/", "case-studies/example/", "checklists/list/"):
            page.goto(url + path)
        type_query(page, "Title")
        results = page.locator(".md-search-result__item")
        expect(results.filter(has_text="<script>alert(1)</script>").first).to_be_visible()
        live = ".md-search-result script, .md-search-result img, .md-search-result iframe"
        assert page.locator(live).count() == 0
        page.wait_for_timeout(300)
        assert dialogs == []
