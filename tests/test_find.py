"""Finding and comparing: facets, compare, related, theme pages and the open data."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import feedparser
import jsonschema
from bs4 import BeautifulSoup
from conftest import COMPARE_ROWS, MINIMAL_CASE_STUDY, Site

from briefgen.validate import read_content


def test_case_studies_json_is_valid_against_the_published_schema(built: Site) -> None:
    data = json.loads((built.site_dir / "data" / "case-studies.json").read_text())
    schema = json.loads((built.site_dir / "data" / "schema.json").read_text())
    validator = jsonschema.Draft202012Validator(schema)
    assert [study["id"] for study in data] == ["bristol", "dorset"]
    for study in data:
        assert list(validator.iter_errors(study)) == []
    dorset = data[1]
    assert dorset["outcomes"][0]["value"] == 30
    assert dorset["outcomes"][0]["source"] == "eduserv-bristol-event"


def test_csv_files_read_back_to_the_content(built: Site) -> None:
    content = read_content(built.root).content
    assert content is not None
    rows = list(
        csv.DictReader(io.StringIO((built.site_dir / "data" / "case-studies.csv").read_text()))
    )
    assert [(r["id"], r["title"]) for r in rows] == [
        (s.id, s.title) for s in content.case_studies.values()
    ]
    dorset = next(r for r in rows if r["id"] == "dorset")
    assert dorset["organisations"] == "North Dorset; Weymouth and Portland; West Dorset"
    assert dorset["models"] == "merger; shared-service"
    assert dorset["url"] == "case-studies/dorset/"
    outcomes = list(
        csv.DictReader(io.StringIO((built.site_dir / "data" / "outcomes.csv").read_text()))
    )
    assert outcomes == [
        {
            "case_study": "dorset",
            "metric": "Reduction in costs",
            "value": "30",
            "unit": "%",
            "scope": "Where amalgamations have been completed, in areas such as revenues and "
            "benefits, economic regeneration and customer services",
            "status": "achieved",
            "source": "eduserv-bristol-event",
            "source_title": content.case_studies["dorset"].sources[0].title,
        }
    ]


def test_atom_feed_is_valid_with_one_entry_per_case_study(built: Site) -> None:
    feed = feedparser.parse((built.site_dir / "data" / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert feed.feed.title == "Shared Services – Getting IT Right"
    assert sorted(e.title for e in feed.entries) == [
        "Bristol City Council: public/private partnerships and the ‘Bristol Group’",
        "Stronger Together: the Dorset tri-council merger",
    ]
    for entry in feed.entries:
        assert entry.updated == "2026-11-28T00:00:00Z"
        assert entry.id.startswith("urn:uuid:")
    assert len({e.id for e in feed.entries}) == 2


def test_data_page_links_every_file_and_states_the_licence(built: Site) -> None:
    soup = BeautifulSoup(built.html("data/"), "html.parser")
    hrefs = {a["href"] for a in soup.select("article a[href]")}
    assert {
        "case-studies.json",
        "case-studies.csv",
        "outcomes.csv",
        "schema.json",
        "feed.xml",
    } <= hrefs
    licence = soup.find("a", string="Open Government Licence v3.0")
    assert licence["href"].startswith("https://www.nationalarchives.gov.uk/")


def test_licence_is_configurable(project: Site) -> None:
    project.plugin_options(
        licence="CC BY 4.0", licence_url="https://creativecommons.org/licenses/by/4.0/"
    )
    project.build()
    soup = BeautifulSoup(project.html("data/"), "html.parser")
    assert (
        soup.find("a", string="CC BY 4.0")["href"] == "https://creativecommons.org/licenses/by/4.0/"
    )


def test_compare_page_tables_both_case_studies(built: Site) -> None:
    soup = BeautifulSoup(built.html("compare/"), "html.parser")
    table = soup.select_one("article table")
    columns = [th.get_text(strip=True) for th in table.select("thead th")][1:]
    assert columns == [
        "Bristol City Council: public/private partnerships and the ‘Bristol Group’",
        "Stronger Together: the Dorset tri-council merger",
    ]
    rows = {
        tr.th.get_text(strip=True): [td.get_text(" ", strip=True) for td in tr.find_all("td")]
        for tr in table.select("tbody tr")
    }
    assert list(rows) == COMPARE_ROWS
    assert rows["Model"] == ["partnership, group company", "merger, shared service"]
    assert rows["Outcomes"][1].startswith("Reduction in costs: 30% (achieved; source")
    source = table.find("a", string="source")
    assert source["href"] == "../case-studies/dorset/#source-eduserv-bristol-event"


def test_a_large_library_compares_the_briefings_case_studies_first(project: Site) -> None:
    for n in range(1, 12):
        project.write(
            f"case_studies/extra-{n:02d}.yaml",
            MINIMAL_CASE_STUDY.format(id=f"extra-{n:02d}", title=f"Extra {n}"),
        )
    project.build()
    soup = BeautifulSoup(project.html("compare/"), "html.parser")
    columns = [th.get_text(strip=True) for th in soup.select("article table thead th")][1:]
    # Thirteen do not fit side by side: the two the briefing features do.
    assert columns == [
        "Bristol City Council: public/private partnerships and the ‘Bristol Group’",
        "Stronger Together: the Dorset tri-council merger",
    ]
    intro = soup.select_one("[data-bg-compare-intro]").get_text(" ", strip=True)
    assert intro.startswith("The 2 case studies the briefings feature, of 13, side by side.")
    assert soup.find("a", string="case studies index")["href"] == "../case-studies/"
    # Twelve or fewer are all compared, as on the small site.
    for n in range(2, 12):
        (project.root / "case_studies" / f"extra-{n:02d}.yaml").unlink()
    project.build()
    soup = BeautifulSoup(project.html("compare/"), "html.parser")
    assert len(soup.select("article table thead th")) == 1 + 3


def test_case_study_links_related_case_studies_and_takeaways_drawn_from_it(built: Site) -> None:
    soup = BeautifulSoup(built.html("case-studies/dorset/"), "html.parser")
    related = soup.find("h2", id="related-case-studies").find_next("ul")
    assert related.a["href"] == "../bristol/"
    assert "Getting the IT right" in related.get_text()
    drawn = soup.find("h2", id="key-takeaways-drawn-from-it").find_next("ul")
    assert "Expect political difficulties and cultural barriers to sharing." in drawn.get_text()
    assert drawn.a["href"] == "../../#key-takeaways"


def test_each_theme_has_a_page_with_its_case_studies_and_takeaways(built: Site) -> None:
    soup = BeautifulSoup(built.html("themes/small-changes/"), "html.parser")
    assert soup.select_one("article h1").get_text(strip=True).startswith("Small changes")
    links = {a["href"] for a in soup.select("article a[href]")}
    assert "../../case-studies/dorset/" in links
    assert "single email domain" in soup.select_one("article").get_text()
    dorset = BeautifulSoup(built.html("case-studies/dorset/"), "html.parser")
    assert dorset.find("a", href="../../themes/small-changes/") is not None


def test_index_lists_every_case_study_without_javascript(built: Site) -> None:
    soup = BeautifulSoup(built.html("case-studies/"), "html.parser")
    form = soup.select_one("form[data-bg-filters]")
    assert form.has_attr("hidden")  # shown by the script; without it, nothing to filter with
    cards = soup.select("[data-facets]")
    assert len(cards) == 2
    assert not any(card.has_attr("hidden") for card in cards)
    facets = {json.loads(card["data-facets"])["model"][0] for card in cards}
    assert facets == {"partnership", "merger"}
    legends = [legend.get_text() for legend in form.select("legend")]
    assert legends == ["Model", "Region", "Setting", "Service area", "Outcomes"]


def test_atom_feed_carries_the_fifty_newest_case_studies(minimal: Site) -> None:
    for number in range(1, 56):
        study = MINIMAL_CASE_STUDY.format(id=f"study-{number:02}", title=f"Study {number}")
        reviewed = dt.date(2026, 1, 1) + dt.timedelta(days=number)
        study = study.replace("reviewed: 2026-01-01", f"reviewed: {reviewed.isoformat()}")
        minimal.write(f"case_studies/study-{number:02}.yaml", study)
    minimal.build()
    feed = feedparser.parse((minimal.site_dir / "data" / "feed.xml").read_bytes())
    assert not feed.bozo
    titles = [entry.title for entry in feed.entries]
    assert len(titles) == 50
    assert titles[0] == "Study 55"  # the latest review first
    assert "Study 5" not in titles and "Example" not in titles  # the oldest left to the JSON
    everything = json.loads((minimal.site_dir / "data" / "case-studies.json").read_text())
    assert len(everything) == 56
