"""What the search index holds of each page, queried in Chromium as the site's search
box queries it: the page's title and its words as a reader reads them, whatever its
tags; no markup as words, and nothing only a printed copy shows. (One built site, the
test library's, and one page for the module.)"""

from __future__ import annotations

from typing import Any

from conftest import CHECKLIST, LIBRARY_CONTENT, in_yaml, pagefind_search, study
from playwright.sync_api import Page

# Each page's whole indexed text and title, as Pagefind hands them to the search box.
_INDEXED = """async (url) => {
  const pagefind = await import(new URL("pagefind/pagefind.js", document.baseURI).href);
  await pagefind.init();
  const found = await pagefind.search(null, {});
  for (const result of found.results) {
    const page = await result.data();
    if (page.url === url) return {title: page.meta.title, content: page.content};
  }
  return null;
}"""

MARKUP = ("<h1", "<h2", "<li", "<strong", "<p>", "</div>", "<div", "&lt;", "&gt;", "&amp;")


def indexed(page: Page, site_url: str, url: str) -> dict[str, Any]:
    """The title and text the index holds for the page at `url` (below the site root)."""
    pagefind_search(page, site_url, "council")  # loads the site's home and its index once
    found = page.evaluate(_INDEXED, "/" + url)
    assert found is not None, f"{url} is not in the index"
    return found


def assert_read_as_text(found: dict[str, Any], result: dict[str, Any]) -> None:
    shown = result["excerpt"].replace("<mark>", "").replace("</mark>", "")
    for markup in MARKUP:
        assert markup not in found["content"], markup
        assert markup not in shown, markup


def test_a_case_study_without_tags_is_indexed_with_its_title_and_text(
    reading_page: Page, site_url: str
) -> None:
    untagged = study("harbourside")
    assert untagged.tags == []  # as every file `briefgen new` and `from-issue` write
    found = indexed(reading_page, site_url, "case-studies/harbourside/")
    assert found["title"] == untagged.title
    assert " ".join(untagged.summary.split()) in found["content"]
    (result,) = [
        r
        for r in pagefind_search(reading_page, site_url, in_yaml("harbourside", "street lighting"))
        if r["url"] == "case-studies/harbourside/"
    ]
    assert result["title"] == untagged.title
    assert_read_as_text(found, result)


def test_a_case_study_with_tags_is_indexed_with_its_title_text_and_tags(
    reading_page: Page, site_url: str
) -> None:
    tagged = study("northtown")
    assert tagged.tags
    found = indexed(reading_page, site_url, "case-studies/northtown/")
    assert found["title"] == tagged.title
    assert " ".join(tagged.summary.split()) in found["content"]
    assert all(tag in found["content"] for tag in tagged.tags)
    (result, *_) = pagefind_search(reading_page, site_url, tagged.tags[-1])
    assert (result["url"], result["title"]) == ("case-studies/northtown/", tagged.title)
    assert_read_as_text(found, result)


def test_a_checklist_is_indexed_without_what_only_its_printed_copy_shows(
    reading_page: Page, site_url: str
) -> None:
    url = f"checklists/{CHECKLIST.id}/"
    found = indexed(reading_page, site_url, url)
    assert found["title"] == CHECKLIST.title
    assert CHECKLIST.items[-1].questions[-1] in found["content"]  # its last words on screen
    # The sign-off boxes and the "Printed from" line appear on paper only.
    for printed in ("Name. Role. Council. Date.", "Printed from"):
        assert printed not in found["content"]
    # Nor the buttons and what they say, which are things to press, not words of the
    # checklist.
    for control in (
        "Print",
        "Save answers",
        "Load answers",
        "Clear ticks and notes",
        "Clear all ticks and notes?",
        "Download the PDF",
        "kept in this browser",
    ):
        assert control not in found["content"]
    # A glossary term in its intro reads as on the page: what it stands for, once.
    assert LIBRARY_CONTENT.glossary is not None
    (term,) = [t for t in LIBRARY_CONTENT.glossary.terms if t.term in (CHECKLIST.intro or "")]
    assert found["content"].count(f"{term.term} ({term.expansion})") == 1
    assert found["content"].count(term.expansion) == 1
    assert_read_as_text(found, {"excerpt": ""})
