"""What a page says about itself before its body: its <title>, the navigation's labels, and
what a link shared in a message or a post shows (Open Graph and description meta)."""

from __future__ import annotations

import yaml
from bs4 import BeautifulSoup
from conftest import (
    BRIEFING,
    CASE_STUDIES,
    CHECKLIST,
    LIBRARY,
    Site,
)

MKDOCS_YML = yaml.safe_load((LIBRARY / "mkdocs.yml").read_text(encoding="utf-8"))
SITE_NAME = MKDOCS_YML["site_name"]
NORTHTOWN = CASE_STUDIES[0]
HAND_WRITTEN = {path.stem for path in (LIBRARY / "docs").glob("*.md")}


def soup(site: Site, url: str) -> BeautifulSoup:
    return BeautifulSoup(site.html(url), "html.parser")


def head(page: BeautifulSoup, name: str) -> list[str]:
    """The content of each meta tag of this name (or Open Graph property) in the head."""
    found = page.head.find_all("meta", attrs={"name": name}) + page.head.find_all(
        "meta", attrs={"property": name}
    )
    return [meta["content"] for meta in found]


def _labels(items: list[object]) -> dict[str, str]:
    """What mkdocs.yml's `nav:` labels each page, by its path below docs/."""
    labels = {}
    for item in items:
        if isinstance(item, dict):
            for label, value in item.items():
                if isinstance(value, str):
                    labels[value] = label
                else:
                    labels.update(_labels(value))
    return labels


def test_the_navigation_reads_as_mkdocs_yml_labels_it(library: Site) -> None:
    page = soup(library, "")
    links = page.select("nav.md-nav--primary > ul > li > a.md-nav__link")
    links += page.select("nav.md-nav--primary > ul > li > label.md-nav__link")  # the home
    shown = {" ".join(link.get_text(" ").split()) for link in links}
    labels = _labels(MKDOCS_YML["nav"])
    assert set(labels.values()) <= shown, shown
    assert CHECKLIST.title not in shown and BRIEFING.title not in shown
    # The page itself keeps its own title: its heading, its <title>, the header.
    checklist = soup(library, f"checklists/{CHECKLIST.id}/")
    assert checklist.select_one("article h1").get_text().rstrip("¶") == CHECKLIST.title
    assert checklist.title.get_text() == f"{CHECKLIST.title} - {SITE_NAME}"
    topic = checklist.select('[data-md-component="header-topic"]')[0].get_text(strip=True)
    assert topic == CHECKLIST.title
