"""The header on a phone: the site's name, and the page's title that takes its place as the
reader scrolls, read in full, not cut to "Northshire briefings o…"."""

from __future__ import annotations

import pytest
from conftest import CHECKLIST, LIBRARY
from playwright.sync_api import Page

pytestmark = pytest.mark.browser

SITE_NAME = next(
    line.split(":", 1)[1].strip()
    for line in (LIBRARY / "mkdocs.yml").read_text(encoding="utf-8").splitlines()
    if line.startswith("site_name:")
)

# Each of the header's two titles: its text, and whether any of it is cut or hidden.
_TITLES = """() => [...document.querySelectorAll(".md-header__topic")].map((topic) => {
  const text = topic.querySelector(".md-ellipsis") || topic;
  return {
    text: text.textContent.trim(),
    cut: text.scrollWidth > text.clientWidth || text.scrollHeight > text.clientHeight
      || topic.scrollHeight > topic.clientHeight,
  };
})"""


def test_on_a_phone_the_header_shows_the_whole_title(page: Page, site_url: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site_url + f"checklists/{CHECKLIST.id}/")
    name, title = page.evaluate(_TITLES)
    assert name == {"text": SITE_NAME, "cut": False}
    assert title == {"text": CHECKLIST.title, "cut": False}
    # Both fit within the header bar, which keeps its height.
    bar = page.locator(".md-header").bounding_box()
    shown = page.locator(".md-header__topic .md-ellipsis").first.bounding_box()
    assert bar is not None and shown is not None
    assert bar["y"] <= shown["y"] and shown["y"] + shown["height"] <= bar["y"] + bar["height"]
