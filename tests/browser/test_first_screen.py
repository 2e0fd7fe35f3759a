"""The briefing's first screen: what a chief executive reads before scrolling, on a laptop
and on a phone."""

from __future__ import annotations

import pytest
from conftest import BRIEFING
from playwright.sync_api import Page

pytestmark = pytest.mark.browser

# Each element's box, and whether it ends inside the first viewport.
_SEEN = """(selectors) => selectors.map((selector) => {
  const box = document.querySelector(selector).getBoundingClientRect();
  return {selector, shown: box.height > 0 && box.top >= 0 && box.bottom <= innerHeight};
})"""


@pytest.mark.parametrize("width, height", [(1280, 800), (390, 844)], ids=["laptop", "phone"])
def test_the_bottom_line_and_key_figures_are_on_the_first_screen(
    page: Page, site_url: str, width: int, height: int
) -> None:
    assert BRIEFING.bottom_line and BRIEFING.as_at and len(BRIEFING.key_figures) == 2
    page.set_viewport_size({"width": width, "height": height})
    page.goto(site_url)
    wanted = [
        "article h1",
        ".bg-as-at",
        ".bg-bottom-line",
        *(f".bg-figures > li:nth-child({n}) .bg-evidence" for n in (1, 2)),
    ]
    assert page.evaluate(_SEEN, wanted) == [{"selector": s, "shown": True} for s in wanted]
    # What is seen there is the briefing's, with each figure's attribution.
    figures = page.locator(".bg-figures > li")
    for n, figure in enumerate(BRIEFING.key_figures):
        assert f"Reported by {figure.reported_by}" in figures.nth(n).inner_text()
    # Its headings are the page's headings, the size of every other h2, not small labels.
    sizes = page.eval_on_selector_all(
        "article h2", "hs => hs.map(h => [h.textContent.trim(), getComputedStyle(h).fontSize])"
    )
    assert [text.rstrip("¶") for text, _ in sizes[:3]] == [
        "Bottom line",
        "Key figures",
        "Key takeaways",
    ]
    assert len({size for _, size in sizes}) == 1, sizes
    # Whose words they are is a note in small italics, not a box that looks like a button.
    whose = page.locator(".bg-bottom-line .bg-whose").evaluate(
        "e => { const s = getComputedStyle(e); return [s.fontStyle, s.borderTopStyle]; }"
    )
    assert whose == ["italic", "none"]
