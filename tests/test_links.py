"""Every address a reader or a feed reader can follow resolves, wherever the site is
published: at a host's root or under a path, with directory URLs or `.html` files."""

from __future__ import annotations

import csv
import io
import logging
import re
import threading
from dataclasses import dataclass
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import feedparser
import pytest
from bs4 import BeautifulSoup
from conftest import copy_project, study
from playwright.sync_api import Page, expect
from pypdf import PdfReader

HOST = "https://briefing.example"
# Where a static host serves a missing page's 404.html from.
MISSING = "no/such/page/"


@dataclass(frozen=True)
class Published:
    """A built site as a static host serves it at `base` (a path such as `/repo/`)."""

    site: Path
    base: str

    def file(self, url: str) -> Path | None:
        """The file a request for `url` gets, or None when it is this host's or a 404."""
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != HOST or not parts.path.startswith(self.base):
            return None
        path = self.site / parts.path.removeprefix(self.base)
        if parts.path.endswith("/"):
            path = path / "index.html"
        return path if path.is_file() else None

    def served_at(self, path: Path) -> str:
        """The address a file of the site is read at."""
        relative = path.relative_to(self.site).as_posix()
        if relative == "404.html":
            relative = MISSING
        elif relative.endswith("index.html"):
            relative = relative.removesuffix("index.html")
        return f"{HOST}{self.base}{relative}"


def html_links(published: Published) -> list[tuple[str, str]]:
    """(where, link) for each link, stylesheet, script and image of every page."""
    found = []
    for path in sorted(published.site.rglob("*.html")):
        here = published.served_at(path)
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for tag, attribute in (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src")):
            for element in soup.find_all(tag):
                value = element.get(attribute)
                if value and not value.startswith(("mailto:", "tel:", "javascript:")):
                    found.append((here, urljoin(here, value)))
    return found


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


def broken(published: Published, links: list[tuple[str, str]]) -> list[str]:
    """Each link that leads nowhere on this host: no file, or no such anchor in it."""
    problems = []
    ids: dict[Path, set[str]] = {}
    for where, link in links:
        if urlsplit(link).netloc != urlsplit(HOST).netloc:
            continue  # another host's page: not ours to check
        address, fragment = urldefrag(link)
        target = published.file(address)
        if target is None:
            problems.append(f"{where} -> {link}: no such file")
        elif fragment and target.suffix == ".html":
            if target not in ids:
                soup = BeautifulSoup(target.read_text(encoding="utf-8"), "html.parser")
                ids[target] = {element["id"] for element in soup.find_all(id=True)}
            if fragment not in ids[target]:
                problems.append(f"{where} -> {link}: no anchor #{fragment}")
    return sorted(set(problems))


def build(tmp: Path, base: str, directory_urls: bool, site_url: bool) -> Published:
    project = copy_project(tmp)
    # The project's own site_url (from the environment, if any) gives way to the test's.
    config = re.sub(r"(?m)^site_url:.*\n", "", (tmp / "mkdocs.yml").read_text())
    settings = f"use_directory_urls: {str(directory_urls).lower()}\n"
    if site_url:
        settings += f"site_url: {HOST}{base}\n"
    project.write("mkdocs.yml", settings + config)
    project.build()
    return Published(project.site_dir, base)


@pytest.fixture(
    scope="module",
    params=[("/", True), ("/repo/", True), ("/", False), ("/repo/", False)],
    ids=["root", "sub-path", "root-html-files", "sub-path-html-files"],
)
def published(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    base, directory_urls = request.param
    return build(
        tmp_path_factory.mktemp("published") / "project", base, directory_urls, site_url=True
    )


def test_every_link_of_every_page_resolves(published: Published) -> None:
    links = html_links(published)
    assert len(links) > 100
    assert broken(published, links) == []


def test_every_address_in_the_feed_sitemap_csv_and_pdfs_resolves(published: Published) -> None:
    links = data_links(published)
    # A downloaded PDF has no address to resolve a relative link against.
    pdf_links = [link for _, link in pdf_uris(published)]
    assert pdf_links and all(urlsplit(link).scheme for link in pdf_links)
    ours = [link for link in pdf_links if link.startswith(HOST)]
    assert ours and all(link.startswith(f"{HOST}{published.base}") for link in ours)
    sitemap = [link for where, link in links if where == "sitemap.xml"]
    assert len(sitemap) == len(list(published.site.rglob("*.html"))) - 1  # all but the 404
    assert broken(published, links) == []


def test_the_404_page_loads_its_styles_and_leads_on(published: Published) -> None:
    page = published.site / "404.html"
    here = published.served_at(page)
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    styles = [urljoin(here, link["href"]) for link in soup.select("link[rel=stylesheet]")]
    assert styles and all(published.file(style) is not None for style in styles)
    config = soup.find("script", id="__config").string
    worker = re.search(r'"search":\s*"([^"]+)"', config)[1]
    assert published.file(urljoin(here, worker)) is not None  # search starts here too
    leads = {a.get_text(): urljoin(here, a["href"]) for a in soup.select("article a")}
    assert published.file(leads["The briefing"]) == published.site / ("index.html")
    assert published.file(leads["All case studies"]) is not None


def test_without_site_url_links_are_relative_and_still_resolve(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="mkdocs"):
        published = build(tmp_path / "project", "/repo/", directory_urls=True, site_url=False)
    assert "site_url is not set: the sitemap is empty" in caplog.text
    pages = [(where, link) for where, link in html_links(published) if not where.endswith(MISSING)]
    assert broken(published, pages) == []
    links = data_links(published)
    assert [link for where, link in links if where == "sitemap.xml"] == []
    assert broken(published, links) == []
    # Nothing to print as the checklist's address on paper: no line rather than a wrong one.
    for pdf in published.site.glob("checklists/*.pdf"):
        assert "Printed from" not in pdf_text(pdf)


def pdf_text(path: Path) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())


def test_a_printed_checklist_gives_its_full_address(published: Published) -> None:
    for pdf in published.site.glob("checklists/*.pdf"):
        page = published.served_at(pdf).removesuffix(".pdf")
        page += "/" if (published.site / "checklists" / pdf.stem).is_dir() else ".html"
        assert published.file(page) is not None
        assert f"Printed from {page}." in pdf_text(pdf)


class _StaticHost(SimpleHTTPRequestHandler):
    """A static host: the site under its path, and its 404.html for anything missing."""

    site: Path

    def log_message(self, format: str, *args: object) -> None:
        pass

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = self.site / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.mark.browser
def test_a_reader_lost_under_a_sub_path_searches_from_the_404_page(
    published: Published, page: Page, tmp_path: Path
) -> None:
    if published.base != "/repo/":
        pytest.skip("the sub-path is the case that broke")
    (tmp_path / "repo").symlink_to(published.site)
    handler = type("Host", (_StaticHost,), {"site": published.site})
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(tmp_path)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        origin = f"http://127.0.0.1:{server.server_address[1]}"
        response = page.goto(f"{origin}/repo/{MISSING}")
        assert response is not None and response.status == 404
        expect(page.locator("article h1")).to_have_text("Page not found")
        # Styled: Material's stylesheet came from under /repo/.
        expect(page.locator("header.md-header")).to_have_css("position", "sticky")
        search = page.get_by_role("textbox", name="Search")
        search.click()
        search.press_sequentially("kerbside", delay=30)
        result = page.locator(".md-search-result__item a").filter(has_text=study("riverside").title)
        expect(result.first).to_be_visible()
        result.first.click()
        expect(page).to_have_url(re.compile(rf"^{re.escape(origin)}/repo/case-studies/riverside"))
    finally:
        server.shutdown()
        server.server_close()
