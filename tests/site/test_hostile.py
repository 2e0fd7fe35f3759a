"""Hostile text in every text field: it shows as text on every page, and nothing runs.

Every payload is in one library, built once (`hostile_library` in conftest.py); each
payload's assertions are tests of their own over that one build."""

from __future__ import annotations

import re
from pathlib import Path

import lxml.etree
import lxml.html
import pytest
from bs4 import BeautifulSoup
from conftest import (
    CORPUS,
    HOSTILE,
    MARKDOWN_PAYLOADS,
    PAYLOAD,
    Site,
    article_text,
    hostile_project,
    pdf_text,
    suffix,
)

OUR_SCRIPTS = re.compile(r"^(/|(\.\./)*)assets/(javascripts|briefgen)/[\w./-]+\.js$")
LIVE_WORDS = ("alert", "msgbox", "xss.example")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "srcset", "style"}


# Elements that would load or run something, or change the page, were they to come from text.
LIVE_ELEMENTS = (
    "iframe", "object", "embed", "svg", "math", "video", "audio", "form", "base", "meta",
    "style", "link", "img", "input",
)  # fmt: skip
# The only form controls are our own: checklist ticks and the index's filters.
OUR_CONTROLS = ".//*[@data-bg-filters] | .//*[@data-bg-filters]//* | .//input[@data-item]"
READ_TEXT = "//text()[not(ancestor::script) and not(ancestor::style)]"


def assert_nothing_live(site: Site, pages: list[Path] | None = None) -> None:
    """No script but the theme's own, no handler, no script URL, nothing loaded from elsewhere,
    on every page of the site (or on `pages`). (Read with lxml: BeautifulSoup took a tenth
    of the site tests' time here.)"""
    if pages is None:
        pages = sorted(site.site_dir.rglob("*.html"))
        assert len(pages) >= 8
    for path in pages:
        document = lxml.html.document_fromstring(path.read_text(encoding="utf-8"))
        where = path.relative_to(site.site_dir).as_posix()
        for script in document.iter("script"):
            if script.get("src"):
                assert OUR_SCRIPTS.match(script.get("src")), (where, script.get("src"))
            assert not any(word in (script.text or "") for word in LIVE_WORDS), where
        for tag in document.iter(lxml.etree.Element):
            for name, value in tag.attrib.items():
                assert not name.lower().startswith("on"), (where, lxml.html.tostring(tag)[:200])
                assert not re.match(r"\s*(javascript|vbscript|data):", value, re.I), (where, name)
                if name.lower() in URL_ATTRIBUTES:
                    assert "xss.example" not in value, (where, name)
        article = next(document.iter("article"), None)
        if article is not None:
            ours = set(article.xpath(OUR_CONTROLS))
            live = [tag for tag in article.iter(*LIVE_ELEMENTS) if tag not in ours]
            assert live == [], (where, [lxml.html.tostring(tag)[:80] for tag in live])
        assert not document.xpath("//meta[@http-equiv]"), where
        assert "49" not in "".join(document.xpath(READ_TEXT)), where  # {{ 7*7 }} never evaluated


SAFE_PAGE = (
    '<html><head><script src="../assets/briefgen/briefgen.js"></script></head><body>'
    '<article><p>Text</p><form data-bg-filters><input type="checkbox"></form>{}</article>'
    "</body></html>"
)


@pytest.mark.parametrize(
    "live",
    [
        '<script src="https://xss.example/x.js"></script>',
        "<script>alert(1)</script>",
        '<p onmouseover="x()">p</p>',
        '<a href=" javascript:x()">a</a>',
        '<a href="data:text/html,x">a</a>',
        '<span style="background:url(//xss.example/)">s</span>',
        '<img src="x.png" alt="">',
        "<svg></svg>",
        '<meta http-equiv="refresh" content="0">',
        "<p>7*7 is 49</p>",
    ],
)
def test_the_check_for_live_content_finds_each_kind(tmp_path: Path, live: str) -> None:
    site = Site(tmp_path)
    site.write("site/safe.html", SAFE_PAGE.format(""))
    assert_nothing_live(site, [site.site_dir / "safe.html"])
    site.write("site/live.html", SAFE_PAGE.format(live))
    with pytest.raises(AssertionError):
        assert_nothing_live(site, [site.site_dir / "live.html"])


def test_hostile_text_in_every_field_stays_text_on_its_pages(hostile_library: Site) -> None:
    own = ["index.html", *(f"{page}/index.html" for page in OWN_PAGES)]
    assert_nothing_live(hostile_library, [hostile_library.site_dir / page for page in own])
    # And the words are there, as written, where a reader looks for them.
    html = hostile_library.html("case-studies/example/")
    study = BeautifulSoup(html, "lxml")
    text = " ".join(study.select_one("article").get_text(" ").split())
    for label in (
        "Org",
        "Region",
        "Speaker",
        "Service",
        "Metric",
        "Challenge",
        "Enabler",
        "Takeaway",
        "Quote",
        "Source",
    ):
        assert f"{label} {PAYLOAD}" in text, label
    assert study.title.get_text().startswith(f"Title {PAYLOAD}")
    home = BeautifulSoup(hostile_library.html(""), "lxml")
    assert home.select_one("article h1").get_text().startswith(f"Briefing {PAYLOAD}")


def test_hostile_text_is_text_in_the_pdfs(tmp_path: Path) -> None:
    site = hostile_project(tmp_path / "hostile", pdf=True).build()
    assert_nothing_live(site)
    checklist, pack = site.site_dir / "checklists" / "list.pdf", site.site_dir / "brief.pdf"
    shown = " ".join(PAYLOAD.split())
    assert f"Label {shown}" in pdf_text(checklist)
    assert f"Briefing {shown}" in pdf_text(pack)
    assert f"Challenge {shown}" in pdf_text(pack)


OWN_PAGES = ["case-studies/example", "checklists/list", "themes/theme"]
"""PAYLOAD's pages, besides the home page (its briefing)."""


def corpus_pages(site: Site, index: int) -> list[Path]:
    """The pages of one payload's case study and briefing."""
    end = suffix(index)
    pages = [
        f"briefings/brief{end}/index.html",
        f"case-studies/example{end}/index.html",
        f"checklists/list{end}/index.html",
        f"themes/theme{end}/index.html",
    ]
    return [site.site_dir / page for page in pages]


@pytest.mark.parametrize("index", range(len(CORPUS)), ids=range(len(CORPUS)))
def test_corpus_payload_in_every_field_shows_as_text(hostile_library: Site, index: int) -> None:
    payload = CORPUS[index]
    assert_nothing_live(hostile_library, corpus_pages(hostile_library, index))
    page = hostile_library.html(f"case-studies/example{suffix(index)}/")
    document = lxml.html.document_fromstring(page)
    shown = " ".join(payload.split())
    article = " ".join(" ".join(document.find(".//article").itertext()).split())
    assert f"Challenge {shown}" in article
    assert " ".join(document.findtext(".//title").split()).startswith(f"Title {shown}")
    description = document.find(".//meta[@name='description']").get("content")
    assert " ".join(description.split()).startswith(f"Summary {shown}"[:150].rsplit(" ", 1)[0])


def test_payloads_together_stay_text_on_the_pages_they_share(hostile_library: Site) -> None:
    # The index, compare, takeaways, data pages and the rest show every payload at once;
    # and the pages of the Markdown payloads and of `escaped` are checked here too.
    own = {page for index in range(len(CORPUS)) for page in corpus_pages(hostile_library, index)}
    own |= {hostile_library.site_dir / "index.html"}
    own |= {hostile_library.site_dir / page / "index.html" for page in OWN_PAGES}
    shared = sorted(set(hostile_library.site_dir.rglob("*.html")) - own)
    assert len(shared) >= 6 + len(MARKDOWN_PAYLOADS)
    assert_nothing_live(hostile_library, shared)
    # And each shows there as written: on the index, every title is its text.
    index = BeautifulSoup(hostile_library.html("case-studies/"), "lxml")
    titles = [" ".join(h.get_text(" ").split()).rstrip(" ¶") for h in index.select(".bg-card h2")]
    written = [PAYLOAD, *CORPUS, HOSTILE]
    assert sorted(titles) == sorted(
        [f"Title {' '.join(text.split())}" for text in written]
        + [f"Markdown{suffix(index)}" for index in range(len(MARKDOWN_PAYLOADS))]
    )


def test_text_from_yaml_is_escaped_in_title_description_tags_and_body(
    hostile_library: Site,
) -> None:
    html = hostile_library.html("case-studies/escaped/")
    soup = BeautifulSoup(html, "lxml")

    scripts = [s for s in soup.find_all("script") if "alert" in (s.string or "")]
    assert scripts == []
    assert not soup.find_all(attrs={"onerror": True})
    assert not soup.find_all(attrs={"onclick": True})
    assert "javascript:" not in " ".join(a.get("href", "") for a in soup.find_all("a"))
    assert soup.title.get_text().startswith(f"Title {HOSTILE}")
    description = soup.find("meta", attrs={"name": "description"})["content"]
    assert description.startswith(f"Summary {HOSTILE}")
    assert f"Title {HOSTILE}" in soup.select_one("article h1").get_text()
    assert "[x](javascript:alert(3))" in article_text(html)
    assert HOSTILE in soup.select_one(".md-tags").get_text()
    tags = [row.dd for row in soup.select(".bg-facts__row") if row.dt.get_text() == "Tags"]
    assert HOSTILE in tags[0].get_text()  # where the page shows them
    assert f"- {HOSTILE}" in article_text(html)  # the region, not a list


@pytest.mark.parametrize("index", range(len(MARKDOWN_PAYLOADS)), ids=MARKDOWN_PAYLOADS)
def test_markdown_and_html_in_text_fields_stay_text(hostile_library: Site, index: int) -> None:
    payload = MARKDOWN_PAYLOADS[index]
    soup = BeautifulSoup(hostile_library.html(f"case-studies/markdown{suffix(index)}/"), "lxml")
    article = soup.select_one("article")
    assert article is not None

    paragraphs = [" ".join(p.get_text().split()) for p in article.find_all("p")]
    assert " ".join(payload.split()) in paragraphs
    challenge = article.find("h2", id="challenges").find_next("ul").find("li")
    assert " ".join(challenge.get_text().split()) == " ".join(payload.split())
    assert len(article.find_all("h1")) == 1
    # (The template's own <em> sets off the source title, so emphasis is checked as text.)
    unexpected = ("script", "iframe", "svg", "img", "code", "pre", "table", "input", "hr")
    assert [tag.name for tag in article.find_all(unexpected)] == []
    assert not [a for a in article.find_all("a") if "javascript" in a.get("href", "")]
    assert not article.find_all(attrs={"onclick": True})
