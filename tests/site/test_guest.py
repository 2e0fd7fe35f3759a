"""briefgen as a guest in someone else's Material site: its pages in a folder of their
own, the host's pages left alone, and a plain error for a theme it cannot serve."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import HOST, MINIMAL_CASE_STUDY, Published, Site, broken, html_links, pdf_text

HOST_MKDOCS = """\
site_name: Northshire Council digital
site_url: {host}/
theme:
  name: material
  font: false
  palette:
    primary: deep orange
plugins:
  - search
  - briefgen:
      {options}
nav:
  - Home: index.md
  - Our services: services.md
  - Briefing: briefing/index.md
validation:
  links:
    not_found: warn
    anchors: warn
"""

BRIEFING = """\
id: merging-well
title: Merging well
context: What the host's own briefing is about.
case_studies: [example]
checklists:
  - id: before-merging
    title: Before merging
    items:
      - label: Contracts
        why_it_matters: They can start out very different.
        questions: [Which contracts end when?]
"""


def host_site(root: Path, options: str) -> Site:
    site = Site(root)
    site.write("mkdocs.yml", HOST_MKDOCS.format(host=HOST, options=options))
    site.write("docs/index.md", "# Welcome to Northshire\n\nThe council's own home page.\n")
    site.write("docs/services.md", "# Our services\n\nBins, libraries and roads.\n")
    site.write("case_studies/example.yaml", MINIMAL_CASE_STUDY.format(id="example", title="Ex"))
    site.write("briefings/merging-well.yaml", BRIEFING)
    return site


@pytest.fixture(scope="module")
def guest(tmp_path_factory: pytest.TempPathFactory) -> Site:
    root = tmp_path_factory.mktemp("host") / "site"
    return host_site(root, "prefix: briefing").build()


def test_the_hosts_pages_stay_and_briefgens_go_in_their_folder(guest: Site) -> None:
    home = BeautifulSoup(guest.html(""), "lxml")
    assert "The council's own home page." in home.get_text()
    nav = {
        a.get_text(" ", strip=True): a.get("href")
        for a in home.select(".md-nav--primary a.md-nav__link")
    }
    assert nav["Home"] == "." and nav["Our services"] == "services/"
    assert "briefing/" in nav.values()
    briefing = BeautifulSoup(guest.html("briefing/"), "lxml")
    assert briefing.select_one("article h1").get_text(strip=True) == "Merging well"
    for folder in ("case-studies/example", "checklists/before-merging", "data", "compare"):
        assert (guest.site_dir / "briefing" / folder / "index.html").is_file(), folder
    assert not (guest.site_dir / "case-studies").exists()
    assert (guest.site_dir / "briefing" / "data" / "feed.xml").is_file()


def test_every_link_resolves_in_the_host_site(guest: Site) -> None:
    published = Published(guest.site_dir, "/")
    assert broken(published, html_links(published)) == []


def test_the_accessibility_statement_speaks_only_for_briefgens_pages(guest: Site) -> None:
    statement = BeautifulSoup(guest.html("briefing/accessibility/"), "lxml")
    assert "It does not cover the site’s other pages." in statement.get_text()

    def footer_links(path: str) -> list[str]:
        soup = BeautifulSoup(guest.html(path), "lxml")
        return [a.get_text(strip=True) for a in soup.select(".md-copyright a")]

    assert "Accessibility statement" in footer_links("briefing/case-studies/example/")
    assert "Accessibility statement" not in footer_links("services/")
    assert "Accessibility statement" not in footer_links("")


def test_a_site_page_at_briefgens_home_is_left_alone_and_said(tmp_path: Path) -> None:
    site = host_site(tmp_path / "site", "pdf: true")
    site.write(
        "mkdocs.yml",
        site.root.joinpath("mkdocs.yml")
        .read_text()
        .replace("  - Briefing: briefing/index.md\n", ""),
    )
    site.build()
    assert (
        "docs/index.md is the site's own page: briefgen does not publish its page "
        "'Merging well' there." in "\n".join(site.log)
    )
    assert "The council's own home page." in site.html("")
    # The pack prints briefgen's briefing, never the host's page in its place.
    pack = pdf_text(site.site_dir / "merging-well.pdf")
    assert "What the host's own briefing is about." in pack
    assert "The council's own home page." not in pack


@pytest.mark.parametrize("theme", ["mkdocs", "readthedocs"])
def test_a_theme_other_than_material_gets_one_clear_line(tmp_path: Path, theme: str) -> None:
    site = host_site(tmp_path / "site", "prefix: briefing")
    config = site.root.joinpath("mkdocs.yml").read_text()
    site.write("mkdocs.yml", config.replace("  name: material\n", f"  name: {theme}\n"))
    assert (
        f"briefgen needs the Material for MkDocs theme, and this site's theme is '{theme}': "
        "set 'theme: name: material' in mkdocs.yml."
    ) in site.build_fails().splitlines()
