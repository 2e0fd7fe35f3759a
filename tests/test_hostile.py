"""Hostile text in every text field: it shows as text on every page, and nothing runs."""

from __future__ import annotations

import re

import yaml
from bs4 import BeautifulSoup
from conftest import MINIMAL_MKDOCS, Site

PAYLOAD = (
    '"><script>alert(1)</script><img src=x onerror=alert(2)> [x](javascript:alert(3)) '
    "{: onclick=alert(4) } <a href='javascript:alert(5)'>y</a> *z* `c` {{ 7*7 }}"
)


def hostile_site(root) -> Site:  # type: ignore[no-untyped-def]
    site = Site(root)
    site.write("mkdocs.yml", MINIMAL_MKDOCS)
    site.write("docs/.keep", "")
    text = PAYLOAD
    study = {
        "id": "example",
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
        "takeaways": [{"text": f"Takeaway {text}", "themes": ["theme"], "source": "report"}],
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
        "reviewed": "2026-01-01",
        "review_due": "2030-01-01",
    }
    briefing = {
        "id": "brief",
        "title": f"Briefing {text}",
        "programme": f"Programme {text}",
        "publisher": f"Publisher {text}",
        "host": f"Host {text}",
        "event": f"Event {text}",
        "author": {"name": f"Name {text}", "role": f"Role {text}", "bio": f"Bio {text}"},
        "context": f"Context {text}",
        "themes": [{"id": "theme", "title": f"Theme {text}", "description": f"Desc {text}"}],
        "case_studies": ["example"],
        "key_takeaways": [
            {"text": f"Key {text}", "themes": ["theme"], "case_studies": ["example"]}
        ],
        "checklists": [
            {
                "id": "list",
                "title": f"Checklist {text}",
                "intro": f"Intro {text}",
                "items": [
                    {
                        "label": f"Label {text}",
                        "why_it_matters": f"Why {text}",
                        "questions": [f"Question {text}"],
                        "case_studies": ["example"],
                    }
                ],
            }
        ],
        "sources": [],
    }
    site.write("case_studies/example.yaml", yaml.safe_dump(study, allow_unicode=True))
    site.write("briefings/brief.yaml", yaml.safe_dump(briefing, allow_unicode=True))
    return site


def test_hostile_text_in_every_field_stays_text_on_every_page(tmp_path) -> None:  # type: ignore[no-untyped-def]
    site = hostile_site(tmp_path / "hostile").build()
    pages = sorted(site.site_dir.rglob("*.html"))
    assert len(pages) >= 8
    for path in pages:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        where = path.relative_to(site.site_dir).as_posix()
        assert not [s for s in soup.find_all("script") if "alert" in (s.string or "")], where
        assert not [s for s in soup.find_all("script") if "alert" in s.get("src", "")], where
        for tag in soup.find_all(True):
            for name, value in tag.attrs.items():
                assert not name.lower().startswith("on"), (where, str(tag)[:200])
                joined = " ".join(value) if isinstance(value, list) else str(value)
                assert not re.match(r"\s*(javascript|vbscript|data):", joined, re.I), (where, name)
        assert not soup.find_all("img", src="x"), where
        assert "49" not in soup.get_text(), where  # {{ 7*7 }} was never evaluated
    # And the words are there, as written, where a reader looks for them.
    study = BeautifulSoup(
        (site.site_dir / "case-studies/example/index.html").read_text(), "html.parser"
    )
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
