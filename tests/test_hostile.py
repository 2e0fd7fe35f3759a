"""Hostile text in every text field: it shows as text on every page, and nothing runs."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import BUILD_DATE, MINIMAL_MKDOCS, Site, serve
from playwright.sync_api import Browser

PAYLOAD = (
    '"><script>alert(1)</script><img src=x onerror=alert(2)> [x](javascript:alert(3)) '
    "{: onclick=alert(4) } <a href='javascript:alert(5)'>y</a> *z* `c` {{ 7*7 }}"
)


CORPUS = [
    line
    for line in (Path(__file__).parent / "corpora" / "xss.txt").read_text().splitlines()
    if line and not line.startswith("# ")
]


def hostile_site(root: Path, text: str = PAYLOAD, pdf: bool = True) -> Site:
    site = Site(root)
    config = MINIMAL_MKDOCS.replace("  - briefgen\n", "  - briefgen:\n      pdf: false\n")
    site.write("mkdocs.yml", MINIMAL_MKDOCS if pdf else config)
    site.write("docs/.keep", "")
    write_hostile_content(site, text)
    return site


def write_hostile_content(site: Site, text: str, suffix: str = "") -> None:
    """A case study and a briefing with `text` in every field; with `suffix` after each id,
    so that several texts can share one site."""
    study = {
        "id": f"example{suffix}",
        "title": f"Title {text}",
        "summary": f"Summary {text}\n\nSecond {text}",
        "organisations": [{"name": f"Org {text}", "tier": "district"}],
        "region": f"Region {text}",
        "setting": "mixed",
        "models": ["merger"],
        "speaker": {"name": f"Speaker {text}", "role": f"Role {text}"},
        "services": [f"Service {text}", "Other service"],
        "outcomes": [
            {
                "metric": f"Metric {text}",
                "value": "30",
                "unit": f"Unit {text}",
                "scope": f"Scope {text}",
                "status": "achieved",
                "source": "report",
            }
        ],
        "challenges": [f"Challenge {text}"],
        "enablers": [f"Enabler {text}"],
        "takeaways": [
            {"text": f"Takeaway {text}", "themes": [f"theme{suffix}"], "source": "report"}
        ],
        "quotes": [
            {
                "text": f"Quote {text}",
                "speaker": f"Q {text}",
                "context": f"C {text}",
                "source": "report",
            }
        ],
        "sources": [
            {
                "id": "report",
                "title": f"Source {text}",
                "publisher": f"Pub {text}",
                "author": f"Author {text}",
                "url": "https://example.org/a?b=1&c=2",
            }
        ],
        "tags": [f"Tag {text}"],
        "reviewed": (BUILD_DATE - dt.timedelta(days=30)).isoformat(),
        "review_due": (BUILD_DATE + dt.timedelta(days=365)).isoformat(),
    }
    briefing = {
        "id": f"brief{suffix}",
        "title": f"Briefing {text}",
        "programme": f"Programme {text}",
        "publisher": f"Publisher {text}",
        "host": f"Host {text}",
        "event": f"Event {text}",
        "author": {"name": f"Name {text}", "role": f"Role {text}", "bio": f"Bio {text}"},
        "context": f"Context {text}",
        "themes": [
            {"id": f"theme{suffix}", "title": f"Theme {text}", "description": f"Desc {text}"}
        ],
        "case_studies": [f"example{suffix}"],
        "key_takeaways": [
            {
                "text": f"Key {text}",
                "themes": [f"theme{suffix}"],
                "case_studies": [f"example{suffix}"],
            }
        ],
        "checklists": [
            {
                "id": f"list{suffix}",
                "title": f"Checklist {text}",
                "intro": f"Intro {text}",
                "items": [
                    {
                        "label": f"Label {text}",
                        "why_it_matters": f"Why {text}",
                        "questions": [f"Question {text}"],
                        "case_studies": [f"example{suffix}"],
                    }
                ],
            }
        ],
        "sources": [],
    }
    site.write(f"case_studies/example{suffix}.yaml", yaml.safe_dump(study, allow_unicode=True))
    site.write(f"briefings/brief{suffix}.yaml", yaml.safe_dump(briefing, allow_unicode=True))


OUR_SCRIPTS = re.compile(r"^(/|(\.\./)*)assets/(javascripts|briefgen)/[\w./-]+\.js$")
LIVE_WORDS = ("alert", "msgbox", "xss.example")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "srcset", "style"}


def assert_nothing_live(site: Site, pages: list[Path] | None = None) -> None:
    """No script but the theme's own, no handler, no script URL, nothing loaded from elsewhere,
    on every page of the site (or on `pages`)."""
    if pages is None:
        pages = sorted(site.site_dir.rglob("*.html"))
        assert len(pages) >= 8
    for path in pages:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        where = path.relative_to(site.site_dir).as_posix()
        for script in soup.find_all("script"):
            if script.get("src"):
                assert OUR_SCRIPTS.match(script["src"]), (where, script["src"])
            assert not any(word in (script.string or "") for word in LIVE_WORDS), where
        for tag in soup.find_all(True):
            for name, value in tag.attrs.items():
                joined = " ".join(value) if isinstance(value, list) else str(value)
                assert not name.lower().startswith("on"), (where, str(tag)[:200])
                assert not re.match(r"\s*(javascript|vbscript|data):", joined, re.I), (where, name)
                if name.lower() in URL_ATTRIBUTES:
                    assert "xss.example" not in joined, (where, name)
        article = soup.select_one("article")
        if article is not None:
            live = article.find_all(
                [
                    "iframe",
                    "object",
                    "embed",
                    "svg",
                    "math",
                    "video",
                    "audio",
                    "form",
                    "base",
                    "meta",
                    "style",
                    "link",
                    "img",
                    "input",
                ]
            )
            # The only form controls are our own: checklist ticks and the index's filters.
            ours = article.select("[data-bg-filters], [data-bg-filters] *, input[data-item]")
            live = [t for t in live if t not in ours]
            assert live == [], (where, [str(t)[:80] for t in live])
        assert not soup.find_all("meta", attrs={"http-equiv": True}), where
        assert "49" not in soup.get_text(), where  # {{ 7*7 }} was never evaluated


def test_hostile_text_in_every_field_stays_text_on_every_page_and_pdf(tmp_path: Path) -> None:
    site = hostile_site(tmp_path / "hostile").build()
    assert_nothing_live(site)
    # And the words are there, as written, where a reader looks for them.
    html = (site.site_dir / "case-studies/example/index.html").read_text()
    study = BeautifulSoup(html, "html.parser")
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
    assert list(site.site_dir.rglob("*.pdf"))


def suffix(index: int) -> str:
    """A payload's suffix for its ids: letters, since a page that printed '49' would be
    the payload {{ 7*7 }} evaluated."""
    letters = ""
    while True:
        index, rest = divmod(index, 26)
        letters = "abcdefghijklmnopqrstuvwxyz"[rest] + letters
        if not index:
            return f"-{letters}"


@pytest.fixture(scope="module")
def corpus_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """One site, built once, holding each payload of the corpus in every field of its own
    case study and briefing (the first briefing is the home page)."""
    site = Site(tmp_path_factory.mktemp("corpus") / "hostile")
    options = f"  - briefgen:\n      pdf: false\n      home: brief{suffix(0)}\n"
    site.write("mkdocs.yml", MINIMAL_MKDOCS.replace("  - briefgen\n", options))
    site.write("docs/.keep", "")
    for index, payload in enumerate(CORPUS):
        write_hostile_content(site, payload, suffix=suffix(index))
    return site.build()


def corpus_pages(site: Site, index: int) -> list[Path]:
    """The pages of one payload's case study and briefing."""
    end = suffix(index)
    briefing = "index.html" if index == 0 else f"briefings/brief{end}/index.html"
    pages = [
        briefing,
        f"case-studies/example{end}/index.html",
        f"checklists/list{end}/index.html",
        f"themes/theme{end}/index.html",
    ]
    return [site.site_dir / page for page in pages]


@pytest.mark.parametrize("index", range(len(CORPUS)), ids=range(len(CORPUS)))
def test_corpus_payload_in_every_field_shows_as_text(corpus_site: Site, index: int) -> None:
    payload = CORPUS[index]
    assert_nothing_live(corpus_site, corpus_pages(corpus_site, index))
    soup = BeautifulSoup(
        (corpus_site.site_dir / f"case-studies/example{suffix(index)}/index.html").read_text(),
        "html.parser",
    )
    shown = " ".join(payload.split())
    article = " ".join(soup.select_one("article").get_text(" ").split())
    assert f"Challenge {shown}" in article
    assert " ".join(soup.title.get_text().split()).startswith(f"Title {shown}")
    description = soup.find("meta", attrs={"name": "description"})["content"]
    assert " ".join(description.split()).startswith(f"Summary {shown}"[:150].rsplit(" ", 1)[0])


def test_corpus_payloads_together_stay_text_on_the_pages_they_share(corpus_site: Site) -> None:
    # The index, compare, takeaways, data pages and the rest show every payload at once.
    own = {page for index in range(len(CORPUS)) for page in corpus_pages(corpus_site, index)}
    shared = sorted(set(corpus_site.site_dir.rglob("*.html")) - own)
    assert len(shared) >= 6
    assert_nothing_live(corpus_site, shared)
    # And each shows there as written: on the index, every title is its text.
    index = BeautifulSoup(
        (corpus_site.site_dir / "case-studies/index.html").read_text(), "html.parser"
    )
    titles = [" ".join(h.get_text(" ").split()).rstrip(" ¶") for h in index.select(".bg-card h2")]
    assert sorted(titles) == sorted(f"Title {' '.join(payload.split())}" for payload in CORPUS)


@pytest.mark.browser
def test_hostile_titles_stay_text_in_search_results_and_nothing_runs(
    tmp_path: Path, browser: Browser
) -> None:
    site = hostile_site(tmp_path / "hostile", pdf=False).build()
    with serve(site.site_dir) as url:
        page = browser.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        for path in ("", "case-studies/", "case-studies/example/", "checklists/list/"):
            page.goto(url + path)
        search = page.get_by_role("textbox", name="Search")
        search.click()
        search.press_sequentially("Title", delay=20)
        first = page.locator(".md-search-result__item").first
        first.wait_for()
        assert "<script>alert(1)</script>" in first.inner_text()
        page.wait_for_timeout(300)
        assert dialogs == []
        page.close()
