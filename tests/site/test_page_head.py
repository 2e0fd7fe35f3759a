"""What a page says about itself before its body: its <title>, the navigation's labels, and
what a link shared in a message or a post shows (Open Graph and description meta)."""

from __future__ import annotations

from pathlib import Path

import yaml
from bs4 import BeautifulSoup
from conftest import (
    BRIEFING,
    CASE_STUDIES,
    CHECKLIST,
    CONFIGURED,
    LIBRARY,
    LIBRARY_CONTENT,
    MINIMAL_CASE_STUDY,
    MINIMAL_MKDOCS,
    PAGE_TYPES,
    Site,
)

from briefgen.site.routes import resolve
from briefgen.site.text import summarise

MKDOCS_YML = yaml.safe_load((LIBRARY / "mkdocs.yml").read_text(encoding="utf-8"))
SITE_NAME = MKDOCS_YML["site_name"]
NORTHTOWN = CASE_STUDIES[0]
HAND_WRITTEN = {path.stem for path in (LIBRARY / "docs").glob("*.md")}


def soup(site: Site, url: str) -> BeautifulSoup:
    return BeautifulSoup(site.html(url), "lxml")


def head(page: BeautifulSoup, name: str) -> list[str]:
    """The content of each meta tag of this name (or Open Graph property) in the head."""
    found = page.head.find_all("meta", attrs={"name": name}) + page.head.find_all(
        "meta", attrs={"property": name}
    )
    return [meta["content"] for meta in found]


def test_a_page_keeps_its_title_then_the_sites(library: Site) -> None:
    home, study = soup(library, ""), soup(library, f"case-studies/{NORTHTOWN.id}/")
    assert home.title.get_text() == f"{BRIEFING.title} - {SITE_NAME}"
    assert study.title.get_text() == f"{NORTHTOWN.title} - {SITE_NAME}"


def test_a_page_titled_as_the_site_is_has_that_title_once(tmp_path: Path) -> None:
    # As on the repository's own site: its briefing, the home, is titled as the site is.
    site = Site(tmp_path / "site")
    site.write(
        "mkdocs.yml", MINIMAL_MKDOCS.replace("  - briefgen\n", "  - briefgen:\n      pdf: false\n")
    )
    site.write("docs/.keep", "")
    site.write("case_studies/example.yaml", MINIMAL_CASE_STUDY.format(id="example", title="Ex"))
    site.write(
        "briefings/brief.yaml",
        "id: brief\ntitle: Test briefing\ncontext: Why it matters.\ncase_studies: [example]\n",
    )
    site.build()
    assert soup(site, "").title.get_text() == "Test briefing"
    assert soup(site, "case-studies/example/").title.get_text() == "Ex - Test briefing"


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


def test_a_page_outside_the_navigation_marks_the_entry_it_belongs_under(library: Site) -> None:
    """As Material marks a page's section: a case study marks "Case studies", a theme's page
    and the themes index "Takeaways" (the page they are reached from); a page in the
    navigation marks itself, and no other entry is marked."""
    theme = next(iter(LIBRARY_CONTENT.themes))
    under = {
        f"case-studies/{NORTHTOWN.id}/": "Case studies",
        f"themes/{theme}/": "Takeaways",
        "themes/": "Takeaways",
        "case-studies/": "Case studies",
        "takeaways/": "Takeaways",
    }
    for url, label in under.items():
        page = soup(library, url)
        marked = page.select("nav.md-nav--primary > ul > li.md-nav__item--active")
        texts = [" ".join(li.select_one(".md-nav__link").get_text(" ").split()) for li in marked]
        assert texts == [label], url
        # The entry still leads to its page.
        link = marked[0].select_one("a.md-nav__link[href]")
        assert link is not None, url
        assert resolve(str(link["href"]), url) == {"Case studies": "case-studies/"}.get(
            label, "takeaways/"
        ), url


def test_every_generated_page_describes_itself(library: Site) -> None:
    site_description = " ".join(MKDOCS_YML["site_description"].split())
    for kind, url in PAGE_TYPES.items():
        if url.strip("/") in HAND_WRITTEN:
            continue
        page = soup(library, url)
        described = head(page, "description")
        assert len(described) == 1 and described[0], kind
        assert described[0] != site_description, kind
        assert head(page, "og:description") == described, kind
    study = soup(library, f"case-studies/{NORTHTOWN.id}/")
    assert head(study, "description") == [summarise(NORTHTOWN.summary)]


def test_the_home_page_is_described_by_the_briefings_bottom_line(library: Site) -> None:
    home = soup(library, "")
    assert BRIEFING.bottom_line is not None
    bottom_line = " ".join(BRIEFING.bottom_line.split())
    [described] = head(home, "description")
    assert head(home, "og:description") == [described]
    # Its first words, cut at a word short enough for a search result or a link preview.
    assert len(bottom_line) > 155 and len(described) <= 155
    assert described.endswith("…")
    kept = described.removesuffix("…")
    assert bottom_line.startswith(kept) and bottom_line[len(kept)] == " "
    assert len(kept) > 100  # not cut to nothing


def test_a_shared_link_shows_the_pages_title_and_summary(configured: Site) -> None:
    address = CONFIGURED["site_url"]
    home = soup(configured, "")
    assert head(home, "og:title") == [BRIEFING.title]
    assert head(home, "og:type") == ["website"]
    assert head(home, "og:url") == [address]
    assert head(home, "og:site_name") == [SITE_NAME]
    study = soup(configured, f"case-studies/{NORTHTOWN.id}/")
    assert head(study, "og:title") == [NORTHTOWN.title]
    assert head(study, "og:type") == ["article"]
    assert head(study, "og:url") == [f"{address}case-studies/{NORTHTOWN.id}/"]
    assert head(study, "og:description") == [summarise(NORTHTOWN.summary)]


def test_without_site_url_a_shared_link_has_no_address(library: Site) -> None:
    home = soup(library, "")
    assert head(home, "og:title") == [BRIEFING.title]
    assert head(home, "og:url") == []
