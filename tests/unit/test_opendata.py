"""The open data, without MkDocs: what the JSON, CSV and Atom files hold for given content,
and where their links lead."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import feedparser
import jsonschema
from conftest import BRIEFING, CASE_STUDIES, LIBRARY_CONTENT, make_content, make_study

from briefgen.content.models import CaseStudy
from briefgen.site.opendata import (
    CASE_STUDY_COLUMNS,
    FEED_ENTRIES,
    OUTCOME_COLUMNS,
    Feed,
    atom_feed,
    case_studies_csv,
    case_studies_json,
    exports,
    outcomes_csv,
    schema_json,
)
from briefgen.site.routes import DATA_FILES, Routes

FEED = Feed("Northshire briefings", "Northshire Improvement Partnership")
ROUTES = Routes(BRIEFING.id)
PUBLISHED = Routes(BRIEFING.id, site_url="https://briefing.example/")


def rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"))))


def test_every_open_data_file_is_published_where_the_data_page_says() -> None:
    files = exports(LIBRARY_CONTENT, FEED, Routes(BRIEFING.id, prefix="briefing"))
    assert list(files) == [f"briefing/{name}" for name in DATA_FILES]
    assert all(data.endswith(b"\n") for data in files.values())


def test_the_json_is_the_content_as_checked_and_valid_against_the_schema() -> None:
    data = json.loads(case_studies_json(LIBRARY_CONTENT))
    schema = json.loads(schema_json(CaseStudy))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    validator = jsonschema.Draft202012Validator(schema)
    assert [item["id"] for item in data] == [s.id for s in CASE_STUDIES]
    for item, case_study in zip(data, CASE_STUDIES, strict=True):
        assert list(validator.iter_errors(item)) == []
        assert CaseStudy.model_validate(item) == case_study  # nothing lost or added
        assert None not in item.values()  # a missing field is left out, not null
    assert "region" not in data[[s.id for s in CASE_STUDIES].index("westvale")]
    assert json.loads(case_studies_json(make_content())) == []


def test_the_case_studies_csv_has_a_row_each_with_lists_joined() -> None:
    content = make_content(
        make_study(
            "quoted",
            'A "quoted", title',
            summary="A summary\nwrapped over\nlines.\n\nAnd a second paragraph.",
            organisations=[{"name": "One", "tier": "county"}, {"name": "Two"}],
            models=["merger", "partnership"],
            services=["Payroll", "Legal"],
            speaker={"name": "A Speaker"},
        )
    )
    data = case_studies_csv(content, ROUTES)
    assert data.startswith((",".join(CASE_STUDY_COLUMNS) + "\r\n").encode())
    [row] = rows(data)
    assert row["title"] == 'A "quoted", title'
    assert row["summary"] == "A summary wrapped over lines. And a second paragraph."
    assert (row["organisations"], row["tiers"]) == ("One; Two", "county")
    assert (row["models"], row["services"]) == ("merger; partnership", "Payroll; Legal")
    assert (row["speaker"], row["speaker_role"], row["region"]) == ("A Speaker", "", "")
    assert (row["outcomes"], row["reviewed"], row["review_due"]) == (
        "0",
        "2024-01-01",
        "2025-01-01",
    )


def test_a_case_studys_url_is_relative_to_the_csv_or_absolute_when_the_address_is_known() -> None:
    def urls(routes: Routes) -> list[str]:
        return [row["url"] for row in rows(case_studies_csv(LIBRARY_CONTENT, routes))]

    assert urls(ROUTES) == [f"../case-studies/{s.id}/" for s in CASE_STUDIES]
    assert urls(PUBLISHED) == [
        f"https://briefing.example/case-studies/{s.id}/" for s in CASE_STUDIES
    ]
    flat = Routes(BRIEFING.id, directory_urls=False, prefix="briefing")
    assert urls(flat) == [f"../case-studies/{s.id}.html" for s in CASE_STUDIES]


def test_the_outcomes_csv_has_a_row_for_each_outcome_with_its_source() -> None:
    sources = [
        {
            "id": "minutes",
            "title": "Minutes of the joint committee",
            "date": "undated",
            "period": "2023",
        }
    ]
    outcomes = [
        {"metric": "Saving", "value": 1.2, "unit": "£m", "status": "reported",
         "reported_by": "The treasurer", "source": "minutes",
         "scope": "Revenues and\n  benefits only"},
        {"metric": "Reduction in costs", "value": 30, "unit": "%", "status": "planned",
         "source": "minutes"},
    ]  # fmt: skip
    content = make_content(
        make_study("alpha", "Alpha", sources=sources, outcomes=outcomes),
        make_study("beta", "Beta"),  # no outcomes: no rows
    )
    data = outcomes_csv(content)
    assert data.startswith((",".join(OUTCOME_COLUMNS) + "\r\n").encode())
    source = {"source": "minutes", "source_title": "Minutes of the joint committee"}
    assert rows(data) == [
        {"case_study": "alpha", "metric": "Saving", "value": "1.2", "unit": "£m",
         "scope": "Revenues and benefits only", "status": "reported",
         "reported_by": "The treasurer", **source},
        {"case_study": "alpha", "metric": "Reduction in costs", "value": "30", "unit": "%",
         "scope": "", "status": "planned", "reported_by": "", **source},
    ]  # fmt: skip
    # The library: a row for each of its outcomes, in the order of its case studies.
    library = rows(outcomes_csv(LIBRARY_CONTENT))
    assert [(row["case_study"], row["metric"]) for row in library] == [
        (study.id, outcome.metric) for study in CASE_STUDIES for outcome in study.outcomes
    ]


def test_the_feed_carries_the_newest_case_studies_first() -> None:
    oldest = dt.date(2023, 1, 1)
    studies = [
        # The lower the number, the later the review: not the order of the ids.
        make_study(
            f"study-{n:02}", f"Study {n}", reviewed=(oldest + dt.timedelta(days=56 - n)).isoformat()
        )
        for n in range(1, 56)
    ]
    feed = feedparser.parse(atom_feed(make_content(*studies), FEED, ROUTES))
    assert not feed.bozo
    titles = [entry.title for entry in feed.entries]
    assert len(titles) == FEED_ENTRIES == 50
    assert titles == [f"Study {n}" for n in range(1, 51)]  # the latest review first
    assert feed.feed.updated == f"{(oldest + dt.timedelta(days=55)).isoformat()}T00:00:00Z"
    assert feed.entries[0].updated == feed.feed.updated


def test_the_feed_says_whose_it_is_and_links_where_it_is_read() -> None:
    relative = feedparser.parse(atom_feed(LIBRARY_CONTENT, FEED, ROUTES))
    assert (relative.feed.title, relative.feed.author) == (FEED.title, FEED.author)
    links = {link.rel: link.href for link in relative.feed.links}
    assert links == {"self": "feed.xml", "alternate": "../case-studies/"}
    newest = max(CASE_STUDIES, key=lambda s: (s.reviewed, s.id))
    entry = relative.entries[0]
    assert (entry.title, entry.link) == (newest.title, f"../case-studies/{newest.id}/")
    assert entry.summary == " ".join(newest.summary.split())
    assert [tag.term for tag in entry.tags] == newest.models
    published = feedparser.parse(atom_feed(LIBRARY_CONTENT, FEED, PUBLISHED))
    assert published.entries[0].link == f"https://briefing.example/case-studies/{newest.id}/"
    # Ids are stable from build to build, and differ from site to site.
    again = feedparser.parse(atom_feed(LIBRARY_CONTENT, FEED, ROUTES))
    assert [e.id for e in again.entries] == [e.id for e in relative.entries]
    assert len({e.id for e in relative.entries}) == len(CASE_STUDIES)
    assert {e.id for e in published.entries}.isdisjoint(e.id for e in relative.entries)
    assert all(e.id.startswith("urn:uuid:") for e in relative.entries)


def test_an_empty_library_has_a_valid_empty_feed() -> None:
    feed = feedparser.parse(atom_feed(make_content(), FEED, ROUTES))
    assert not feed.bozo and feed.entries == []
    assert feed.feed.updated == "1970-01-01T00:00:00Z"
