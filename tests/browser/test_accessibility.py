"""WCAG 2.2 AA as far as axe-core can tell, and keyboard focus. (The accessibility
statement: tests/site/test_statement.py.)"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from conftest import CASE_STUDIES, PAGE_TYPES, axe_violations, in_yaml, study, type_query
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

# The rules whose answer a colour scheme can change: the dark scheme only changes colours
# (Material's palette), so in it these are run again, not the whole set.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]


def settled(page: Page) -> None:
    """Wait for every transition and animation to end: colours judged halfway through a
    fade (search results fade in) are not the colours a reader reads."""
    page.wait_for_function(
        "document.getAnimations().every((animation) => animation.playState !== 'running')"
    )


def in_both_schemes(
    page: Page,
    context: dict[str, list[list[str]]] | None = None,
    again: Callable[[], None] = lambda: None,
) -> list[str]:
    """What axe finds on the page in the light scheme (every WCAG rule), then in the dark
    one (the colour rules), switched to as a reader does, with the header's toggle; `again`
    brings back what the switch closed (the search). The page is left in the dark scheme,
    which Material keeps for the site's next page."""
    body = page.locator("body")
    expect(body).to_have_attribute("data-md-color-scheme", "default")
    settled(page)
    found = [f"light: {v}" for v in axe_violations(page, context)]
    page.keyboard.press("Escape")  # the search, if open, would hide the toggle
    page.get_by_title("Switch to dark mode").click()
    expect(body).to_have_attribute("data-md-color-scheme", "slate")
    # Material stops colour transitions while it switches: judge colours once it has.
    expect(body).not_to_have_attribute("data-md-color-switching", "")
    again()
    settled(page)
    found += [f"dark: {v}" for v in axe_violations(page, context, rules=COLOUR_RULES)]
    return found


def test_a_reader_whose_system_is_dark_gets_the_dark_scheme(page: Page, site_url: str) -> None:
    """The other tests switch with the header's toggle: the system's setting leads there too."""
    page.emulate_media(color_scheme="dark")
    page.goto(site_url)
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")


@pytest.mark.parametrize("name", list(PAGE_TYPES))
def test_no_axe_violations(page: Page, site_url: str, name: str) -> None:
    page.goto(site_url + PAGE_TYPES[name])
    assert in_both_schemes(page) == []


def test_no_axe_violations_comparing_chosen_case_studies(page: Page, site_url: str) -> None:
    page.goto(site_url + "case-studies/")
    # The filters unfolded and one chosen; one case study ticked, the link still off.
    toggle = page.get_by_role("button", name=re.compile("^Filter case studies"))
    if toggle.get_attribute("aria-expanded") == "false":
        toggle.click()
    page.get_by_role("checkbox", name=re.compile("^Merger")).check()
    pick = page.get_by_label(f"Compare {study('northtown').title}", exact=True)
    pick.check()
    expect(page.get_by_role("link", name="Compare the chosen case studies")).to_be_disabled()
    assert in_both_schemes(page) == []
    page.get_by_title("Switch to light mode").click()  # for the next page, as in_both_schemes
    chosen = [s.id for s in CASE_STUDIES]  # every kind: outcomes or none, speaker or none
    page.goto(site_url + "compare/?with=" + ",".join(chosen))
    status = page.locator("[data-bg-compare-status]")
    shown = f"Showing the {len(chosen)} case studies you chose."
    expect(status).to_have_text(shown)
    assert in_both_schemes(page) == []


def test_no_axe_violations_on_a_checklist_asking_to_clear_and_offering_undo(
    page: Page, site_url: str
) -> None:
    page.goto(site_url + PAGE_TYPES["checklist"])
    page.get_by_role("checkbox").first.check()
    clear = page.get_by_role("button", name="Clear ticks and notes")
    question = page.get_by_role("group", name="Clear all ticks and notes?")
    clear.click()
    question.get_by_role("button", name="Clear").click()
    clear.click()  # asked again, with Undo still offered: every control at once
    expect(question).to_be_visible()
    expect(page.get_by_role("button", name="Undo")).to_be_visible()
    page.evaluate("document.activeElement.blur()")  # Escape, pressed below, would answer Keep
    assert in_both_schemes(page) == []


def test_no_axe_violations_in_search_results(page: Page, site_url: str) -> None:
    page.emulate_media(reduced_motion="no-preference")  # the results fade in: judged after
    page.goto(site_url)

    def search() -> None:
        type_query(page, in_yaml("northtown", "intranet"))
        expect(page.locator(".md-search-result__item").first).to_be_visible()

    search()
    # The page behind the open search lies under its overlay and results, out of reach:
    # a click on any of its links lands on them. (Axe judged table-of-contents links that
    # peek out below the results too small a target: how many, the results' height decides.)
    reachable = page.evaluate(
        """() => {
          const behind = document.querySelector(".md-container");
          return [...behind.querySelectorAll("a[href]")].filter((link) => {
            const box = link.getBoundingClientRect();
            if (box.bottom < 0 || box.top > innerHeight || !box.width) return false;
            const y = Math.min(box.bottom, innerHeight) - 1;
            return behind.contains(document.elementFromPoint(box.left + box.width / 2, y));
          }).map((link) => link.href);
        }"""
    )
    assert reachable == []
    assert in_both_schemes(page, {"exclude": [[".md-container"]]}, again=search) == []


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
