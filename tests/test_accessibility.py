"""WCAG 2.2 AA as far as axe-core can tell, keyboard focus, and the accessibility statement."""

from __future__ import annotations

from urllib.parse import urljoin

import pytest
from axe_playwright_python.sync_playwright import Axe
from bs4 import BeautifulSoup
from conftest import Site
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]

PAGE_TYPES = {
    "home": "",
    "index": "case-studies/",
    "case study": "case-studies/dorset/",
    "takeaways": "takeaways/",
    "theme": "themes/getting-it-right/",
    "checklist": "checklists/it-due-diligence/",
    "compare": "compare/",
    "data": "data/",
    "contributing": "contributing/",
    "accessibility": "accessibility/",
}


def violations(page: Page) -> list[str]:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    return [
        f"{v['id']}: {v['help']} ({', '.join(n['target'][0] for n in v['nodes'][:3])})"
        for v in results.response["violations"]
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_no_axe_violations(page: Page, site_url: str, name: str, scheme: str) -> None:
    page.emulate_media(color_scheme=scheme)
    page.goto(site_url + PAGE_TYPES[name])
    expect(page.locator("body")).to_have_attribute(
        "data-md-color-scheme", "slate" if scheme == "dark" else "default"
    )
    assert violations(page) == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_axe_violations_comparing_chosen_case_studies(
    page: Page, site_url: str, scheme: str
) -> None:
    page.emulate_media(color_scheme=scheme)
    page.goto(site_url + "case-studies/")
    page.get_by_label(
        "Compare Stronger Together: the Dorset tri-council merger", exact=True
    ).check()
    assert violations(page) == []
    page.goto(site_url + "compare/?with=dorset,bristol")
    expect(page.locator("[data-bg-compare-status]")).to_have_text(
        "Showing the 2 case studies you chose."
    )
    assert violations(page) == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_axe_violations_in_search_results(page: Page, site_url: str, scheme: str) -> None:
    page.emulate_media(color_scheme=scheme)
    page.goto(site_url)
    search = page.get_by_role("textbox", name="Search")
    search.click()
    search.press_sequentially("webchat", delay=30)
    expect(page.locator(".md-search-result__item").first).to_be_visible()
    assert violations(page) == []


@pytest.mark.parametrize("name", ["home", "index", "checklist", "case study"])
def test_keyboard_focus_is_always_visible_and_never_under_the_header(
    page: Page, site_url: str, name: str
) -> None:
    page.set_viewport_size({"width": 1280, "height": 700})
    page.goto(site_url + PAGE_TYPES[name])
    seen = 0
    for _ in range(60):
        page.keyboard.press("Tab")
        state = page.evaluate(
            """() => {
              const el = document.activeElement;
              if (!el || el === document.body) return null;
              const header = document.querySelector('.md-header');
              const box = el.getBoundingClientRect();
              const style = getComputedStyle(el);
              return {
                // The skip link shows on top of the header on purpose, when focused.
                inHeader: header.contains(el) || el.classList.contains('md-skip'),
                headerBottom: header.getBoundingClientRect().bottom,
                top: box.top, bottom: box.bottom, height: box.height,
                visible: box.width > 0 && box.height > 0,
                outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0,
                shadow: style.boxShadow !== 'none',
                text: (el.innerText || el.id || el.tagName).slice(0, 40),
              };
            }"""
        )
        if state is None or not state["visible"] or state["inHeader"]:
            continue
        seen += 1
        assert state["top"] >= state["headerBottom"] - 1, state
        assert state["outline"] or state["shadow"], state["text"]
    assert seen > 5


def test_accessibility_statement_has_the_sections_the_regulations_ask_for(built: Site) -> None:
    soup = BeautifulSoup(built.html("accessibility/"), "html.parser")
    headings = [h.get_text(strip=True).rstrip("¶") for h in soup.select("article h2, article h3")]
    for section in (
        "How accessible this website is",
        "Feedback and contact information",
        "Reporting accessibility problems with this website",
        "Enforcement procedure",
        "Technical information about this website’s accessibility",
        "Compliance status",
        "Non-accessible content",
        "What we’re doing to improve accessibility",
        "Preparation of this accessibility statement",
    ):
        assert section in headings


def test_every_page_links_to_the_accessibility_statement_from_its_footer(built: Site) -> None:
    for path in built.site_dir.rglob("*.html"):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        link = soup.select_one("footer .md-copyright a")
        assert link is not None and link.get_text() == "Accessibility statement", path
        here = "https://site.example/" + path.relative_to(built.site_dir).as_posix()
        assert urljoin(here, link["href"]) == "https://site.example/accessibility/", path


def test_accessibility_contact_is_configurable(project: Site) -> None:
    project.plugin_options(accessibility_contact="access@council.example")
    project.build()
    text = BeautifulSoup(project.html("accessibility/"), "html.parser").select_one("article").text
    assert "contact: access@council.example" in " ".join(text.split())
    assert "has not yet given a contact" not in text
