"""What the published site promises a reader: nothing fetched from another host, no cookies."""

from __future__ import annotations

from conftest import CASE_STUDIES, PAGE_TYPES, in_yaml, type_query
from playwright.sync_api import Browser, expect

# A page of each kind, and every case study.
PAGES = list(
    dict.fromkeys([*PAGE_TYPES.values(), *(f"case-studies/{s.id}/" for s in CASE_STUDIES)])
)


def test_pages_request_nothing_from_other_hosts_and_set_no_cookies(
    browser: Browser, site_url: str
) -> None:
    context = browser.new_context()
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    # Every request a page makes is seen as it starts, so each page need only load (not
    # sit half a second idle): what a page asks for after load, such as its search index,
    # the search below asks for, and the last page is left idle.
    for path in PAGES:
        page.goto(site_url + path)
    page.wait_for_load_state("networkidle")
    # Search's 120 KB load with the first key a reader types, not with each page view.
    assert [url for url in requested if "/pagefind/" in url] == []
    type_query(page, in_yaml("northtown", "intranet"))
    expect(page.locator(".md-search-result__item").first).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert site_url + "pagefind/pagefind.js" in requested

    elsewhere = [url for url in requested if not url.startswith(site_url)]
    assert elsewhere == []
    assert len(requested) > len(PAGES)
    assert context.cookies() == []
    assert page.evaluate("document.cookie") == ""
    context.close()
