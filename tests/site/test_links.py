"""Every address a reader or a feed reader can follow resolves, wherever the site is
published: at a host's root or under a path, with directory URLs or `.html` files."""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import urljoin, urlsplit

import feedparser
import pytest
from bs4 import BeautifulSoup
from conftest import (
    HOST,
    MISSING,
    LibraryVariant,
    Published,
    Site,
    broken,
    html_links,
    pdf_text,
)
from pypdf import PdfReader


def data_links(published: Published) -> list[tuple[str, str]]:
    """(where, link) for each address in the feed, the sitemap, the CSV and the PDFs."""
    found = []
    feed_url = f"{HOST}{published.base}data/feed.xml"
    feed = feedparser.parse((published.site / "data" / "feed.xml").read_bytes())
    links = [link.href for link in feed.feed.links]
    links += [link.href for entry in feed.entries for link in entry.links]
    found += [(feed_url, urljoin(feed_url, link)) for link in links]
    sitemap = (published.site / "sitemap.xml").read_text(encoding="utf-8")
    found += [("sitemap.xml", loc) for loc in re.findall(r"<loc>([^<]*)</loc>", sitemap)]
    csv_url = f"{HOST}{published.base}data/case-studies.csv"
    rows = csv.DictReader(io.StringIO((published.site / "data" / "case-studies.csv").read_text()))
    found += [(csv_url, urljoin(csv_url, row["url"])) for row in rows]
    found += [(here, urljoin(here, uri)) for here, uri in pdf_uris(published)]
    return found


def pdf_uris(published: Published) -> list[tuple[str, str]]:
    """(where, link) for each link of every PDF, as the PDF holds it."""
    found = []
    for pdf in sorted(published.site.rglob("*.pdf")):
        here = published.served_at(pdf)
        for page in PdfReader(pdf).pages:
            for annotation in page.get("/Annots") or []:
                action = annotation.get_object().get("/A")
                if action is not None and "/URI" in action:
                    found.append((here, str(action["/URI"])))
    return found


# PDFs in two of the four: between them, each base and each kind of address (laying PDFs
# out again for each would be most of these builds' time).
@pytest.fixture(
    scope="module",
    params=[
        ("/", True, False),
        ("/repo/", True, True),
        ("/", False, True),
        ("/repo/", False, False),
    ],
    ids=["root", "sub-path", "root-html-files", "sub-path-html-files"],
)
def published(request: pytest.FixtureRequest, library_variant: LibraryVariant) -> Published:
    base, directory_urls, pdfs = request.param
    options = {} if pdfs else {"pdf": False}
    site = library_variant(site_url=f"{HOST}{base}", directory_urls=directory_urls, **options)
    assert any(site.site_dir.rglob("*.pdf")) is pdfs
    return Published(site.site_dir, base, pdfs)


def test_every_link_of_every_page_resolves(published: Published) -> None:
    links = html_links(published)
    assert len(links) > 100
    assert broken(published, links) == []


def test_every_address_in_the_feed_sitemap_csv_and_pdfs_resolves(published: Published) -> None:
    links = data_links(published)
    # A downloaded PDF has no address to resolve a relative link against.
    pdf_links = [link for _, link in pdf_uris(published)]
    assert all(urlsplit(link).scheme for link in pdf_links)
    ours = [link for link in pdf_links if link.startswith(HOST)]
    assert all(link.startswith(f"{HOST}{published.base}") for link in ours)
    assert bool(pdf_links and ours) is published.pdfs
    sitemap = [link for where, link in links if where == "sitemap.xml"]
    assert len(sitemap) == len(list(published.site.rglob("*.html"))) - 1  # all but the 404
    assert broken(published, links) == []


def test_breadcrumbs_lead_home_and_up_to_the_index(published: Published) -> None:
    """Case-study and theme pages say where they are (Home › Case studies, above the page),
    and each step leads there, at the root or under a path, as folders or `.html` files."""
    html = published.site.rglob("*.html")
    pages = sorted(p for p in html if p.parent.name in ("case-studies", "themes") or
                   p.parent.parent.name in ("case-studies", "themes"))  # fmt: skip
    indexes = {"case-studies": "Case studies", "themes": "Themes"}
    seen = set()
    for path in pages:
        here = published.served_at(path)
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
        trail = soup.select_one("article nav[aria-label=Breadcrumb]")
        folder = next(name for name in indexes if f"/{name}/" in here)
        if here.endswith((f"/{folder}/", f"/{folder}/index.html")):
            assert trail is None, here  # an index is itself the step up
            continue
        assert trail is not None, here
        steps = trail.select("li")
        # Up to the page's parent: its own title is the h1 just below.
        assert [step.get_text(strip=True) for step in steps] == ["Home", indexes[folder]]
        assert all(step.a is not None for step in steps)
        home, index = (urljoin(here, a["href"]) for a in trail.select("a"))
        assert published.file(home) == published.site / "index.html"
        assert published.file(index) == published.site / folder / "index.html"
        seen.add(folder)
    assert seen == set(indexes)


def test_the_404_page_loads_its_styles_and_leads_on(published: Published) -> None:
    page = published.site / "404.html"
    here = published.served_at(page)
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
    styles = [urljoin(here, link["href"]) for link in soup.select("link[rel=stylesheet]")]
    assert styles and all(published.file(style) is not None for style in styles)
    config = soup.find("script", id="__config").string
    worker = re.search(r'"search":\s*"([^"]+)"', config)[1]
    assert published.file(urljoin(here, worker)) is not None  # search starts here too
    leads = {a.get_text(): urljoin(here, a["href"]) for a in soup.select("article a")}
    assert published.file(leads["The briefing"]) == published.site / ("index.html")
    assert published.file(leads["All case studies"]) is not None


def test_without_site_url_links_are_relative_and_still_resolve(library: Site) -> None:
    assert any("site_url is not set: the sitemap is empty" in line for line in library.log)
    published = Published(library.site_dir, "/repo/")
    pages = [(where, link) for where, link in html_links(published) if not where.endswith(MISSING)]
    assert broken(published, pages) == []
    links = data_links(published)
    assert [link for where, link in links if where == "sitemap.xml"] == []
    assert broken(published, links) == []
    # Nothing to print as the checklist's address on paper: no line rather than a wrong one.
    pdfs = list(published.site.glob("checklists/*.pdf"))
    assert pdfs
    for pdf in pdfs:
        assert "Printed from" not in pdf_text(pdf)


def test_a_printed_checklist_gives_its_full_address(published: Published) -> None:
    pdfs = list(published.site.glob("checklists/*.pdf"))
    assert bool(pdfs) is published.pdfs
    for pdf in pdfs:
        page = published.served_at(pdf).removesuffix(".pdf")
        page += "/" if (published.site / "checklists" / pdf.stem).is_dir() else ".html"
        assert published.file(page) is not None
        assert f"Printed from {page}." in pdf_text(pdf)
