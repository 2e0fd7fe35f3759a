"""Finding and comparing: facets, compare, related, theme pages and the open data."""

from __future__ import annotations

import csv
import io
import json
import re
from xml.etree import ElementTree

import feedparser
import jsonschema
import yaml
from bs4 import BeautifulSoup
from conftest import (
    BRIEFING,
    BUILD_DATE,
    CASE_STUDIES,
    COMPARE_ROWS,
    CONFIGURED,
    EXTRA_STUDIES,
    LIBRARY,
    LIBRARY_CONTENT,
    Site,
    figure,
    study,
)

from briefgen.content.check import read_content
from briefgen.content.models import CaseStudy, Outcome
from briefgen.site.opendata import outcomes_csv


def test_case_studies_json_is_valid_against_the_published_schema(library: Site) -> None:
    data = json.loads((library.site_dir / "data" / "case-studies.json").read_text())
    schema = json.loads((library.site_dir / "data" / "schema.json").read_text())
    validator = jsonschema.Draft202012Validator(schema)
    assert [case_study["id"] for case_study in data] == [s.id for s in CASE_STUDIES]
    for case_study in data:
        assert list(validator.iter_errors(case_study)) == []
    for published, case_study in zip(data, CASE_STUDIES, strict=True):
        assert published["outcomes"] == [
            o.model_dump(mode="json", exclude_none=True) for o in case_study.outcomes
        ]
    northtown = next(published for published in data if published["id"] == "northtown")
    outcome = study("northtown").outcomes[0]
    assert northtown["outcomes"][0]["value"] == outcome.value
    assert northtown["outcomes"][0]["source"] == outcome.source


def test_csv_files_read_back_to_the_content(library: Site) -> None:
    content = read_content(library.root, today=BUILD_DATE).content
    assert content is not None
    rows = list(
        csv.DictReader(io.StringIO((library.site_dir / "data" / "case-studies.csv").read_text()))
    )
    assert [(r["id"], r["title"]) for r in rows] == [
        (s.id, s.title) for s in content.case_studies.values()
    ]
    for row, case_study in zip(rows, content.case_studies.values(), strict=True):
        assert row["organisations"] == "; ".join(o.name for o in case_study.organisations)
        assert row["tiers"] == "; ".join(o.tier for o in case_study.organisations if o.tier)
        assert row["models"] == "; ".join(case_study.models)
        assert row["services"] == "; ".join(case_study.services)
        assert row["region"] == (case_study.region or "")
        assert row["outcomes"] == str(len(case_study.outcomes))
        # No site_url: relative to the CSV's own address, data/case-studies.csv.
        assert row["url"] == f"../case-studies/{case_study.id}/"
    # The outcomes file is the one the writer makes (its rows: tests/unit/test_opendata.py).
    published = (library.site_dir / "data" / "outcomes.csv").read_bytes()
    assert published == outcomes_csv(content)
    outcomes = list(csv.DictReader(io.StringIO(published.decode())))
    assert len({row["case_study"] for row in outcomes}) > 1


def test_atom_feed_is_valid_with_one_entry_per_case_study(library: Site) -> None:
    feed = feedparser.parse((library.site_dir / "data" / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    site_name = yaml.safe_load((LIBRARY / "mkdocs.yml").read_text())["site_name"]
    assert feed.feed.title == site_name
    assert sorted(e.title for e in feed.entries) == sorted(s.title for s in CASE_STUDIES)
    reviewed = {s.title: s.reviewed for s in CASE_STUDIES}
    assert len(set(reviewed.values())) > 1
    for entry in feed.entries:
        assert entry.updated == f"{reviewed[entry.title].isoformat()}T00:00:00Z"
        assert entry.id.startswith("urn:uuid:")
    assert len({e.id for e in feed.entries}) == len(CASE_STUDIES)
    # The latest review first.
    assert [e.title for e in feed.entries] == [
        s.title for s in sorted(CASE_STUDIES, key=lambda s: s.reviewed, reverse=True)
    ]


def test_data_page_links_every_file_and_states_the_licence(library: Site) -> None:
    soup = BeautifulSoup(library.html("data/"), "lxml")
    hrefs = {a["href"] for a in soup.select("article a[href]")}
    assert {
        "case-studies.json",
        "case-studies.csv",
        "outcomes.csv",
        "schema.json",
        "feed.xml",
    } <= hrefs
    # No licence configured: the site claims none, and the feed says the same.
    licence = soup.find(id="licence").find_next("p").get_text()
    assert "claims no licence" in licence and "rights remain with the sources’ owners" in licence
    assert "Licence v3.0" not in soup.get_text()
    # The feed says it in the same words.
    feed = ElementTree.parse(library.site_dir / "data" / "feed.xml").getroot()
    assert feed.findtext("{http://www.w3.org/2005/Atom}rights") == licence


def test_licence_is_configurable(configured: Site) -> None:
    soup = BeautifulSoup(configured.html("data/"), "lxml")
    licence = soup.find("a", string=CONFIGURED["licence"])
    assert licence is not None and licence["href"] == CONFIGURED["licence_url"]
    assert "claims no licence" not in soup.get_text()
    stated = soup.find(id="licence").find_next("p").get_text()
    assert f"published under the {CONFIGURED['licence']}" in stated
    feed = ElementTree.parse(configured.site_dir / "data" / "feed.xml").getroot()
    assert feed.findtext("{http://www.w3.org/2005/Atom}rights") == stated


def said(outcome: Outcome) -> str:
    """What the comparison says is known of a figure, and who reported it: 'reported by X',
    but 'verified; reported by X', since the reporter is not who verified it."""
    if not outcome.reported_by:
        return outcome.status
    joined = " by " if outcome.status == "reported" else "; reported by "
    return f"{outcome.status}{joined}{outcome.reported_by}"


def test_compare_page_tables_every_case_study(library: Site) -> None:
    soup = BeautifulSoup(library.html("compare/"), "lxml")
    table = soup.select_one("article table")
    columns = [th.get_text(strip=True) for th in table.select("thead th")][1:]
    assert columns == [s.title for s in CASE_STUDIES]
    rows = {
        tr.th.get_text(strip=True): [td.get_text(" ", strip=True) for td in tr.find_all("td")]
        for tr in table.select("tbody tr")
    }
    assert list(rows) == COMPARE_ROWS
    # Each item of a line in sentence case, as services are: "Merger, Shared service".
    assert rows["Model"] == [
        ", ".join(m.replace("-", " ").capitalize() for m in s.models) for s in CASE_STUDIES
    ]
    # A dash where the councils' names say the region already, as the cards leave it out.
    assert rows["Region"] == [
        "—" if s.region and s.region in s.organisations[0].name else s.region or "Not stated"
        for s in CASE_STUDIES
    ]
    assert "—" in rows["Region"] and len(set(rows["Region"]) - {"—"}) > 1
    # Lists are lists: a bullet a service, a thing that helped, a challenge.
    for tr in table.select("tbody tr"):
        label = tr.th.get_text(strip=True)
        if label not in ("Services", "What helped", "Challenges"):
            continue
        for td, case_study in zip(tr.find_all("td"), CASE_STUDIES, strict=True):
            items = {"Services": case_study.services, "What helped": case_study.enablers}
            wanted = items.get(label, case_study.challenges)
            listed = [" ".join(li.get_text().split()) for li in td.select("ul > li")]
            for entry in LIBRARY_CONTENT.glossary.terms:  # a first use says what it stands for
                listed = [item.replace(f" ({entry.expansion})", "") for item in listed]
            assert listed == [" ".join(item.split()) for item in wanted], (label, case_study.id)
            assert td.select("br") == []
    for cell, case_study in zip(rows["Outcomes"], CASE_STUDIES, strict=True):
        if not case_study.outcomes:
            assert cell == "None stated"
        for outcome in case_study.outcomes:
            scope = f": {outcome.scope[0].lower()}{outcome.scope[1:]}" if outcome.scope else ""
            assert f"{figure(outcome)}{scope} ({said(outcome)}; source" in " ".join(cell.split())
    # A figure someone verified is not said to be verified by whoever reported it.
    verified = [
        (case_study, outcome)
        for case_study in CASE_STUDIES
        for outcome in case_study.outcomes
        if outcome.status == "verified" and outcome.reported_by
    ]
    assert verified, "the library needs a verified figure with its reporter"
    for case_study, outcome in verified:
        cell = " ".join(rows["Outcomes"][CASE_STUDIES.index(case_study)].split())
        assert f"(verified; reported by {outcome.reported_by}; source" in cell
        assert f"verified by {outcome.reported_by}" not in cell
    northtown = study("northtown")
    outcome = northtown.outcomes[0]
    column = [s.id for s in CASE_STUDIES].index("northtown")
    assert outcome.reported_by  # the comparison says whose figure it is
    assert rows["Outcomes"][column].startswith(f"{figure(outcome)}: ")  # then its scope
    sources = {a["href"] for a in table.find_all("a", string="source")}
    assert f"../case-studies/northtown/#source-{outcome.source}" in sources


def test_a_large_library_compares_the_briefings_case_studies_first(large_library: Site) -> None:
    featured = BRIEFING.case_studies
    assert 1 < len(featured) < len(CASE_STUDIES)  # the briefing features some, not all
    total = len(CASE_STUDIES) + len(EXTRA_STUDIES)
    assert total > 12
    soup = BeautifulSoup(large_library.html("compare/"), "lxml")
    columns = [th.get_text(strip=True) for th in soup.select("article table thead th")][1:]
    # More than twelve do not fit side by side: those the briefing features do.
    assert columns == [study(case_study).title for case_study in featured]
    intro = soup.select_one("[data-bg-compare-intro]").get_text(" ", strip=True)
    assert intro.startswith(
        f"The {len(featured)} case studies the briefings feature, of {total}, side by side."
    )
    assert soup.find("a", string="case studies index")["href"] == "../case-studies/"
    # (Twelve or fewer are all compared: test_compare_page_tables_every_case_study.)


def shared(one: CaseStudy, other: CaseStudy) -> tuple[set[str], set[str]]:
    """The themes and services (folded) two case studies have in common."""

    def themes(case_study: CaseStudy) -> set[str]:
        return {theme for takeaway in case_study.takeaways for theme in takeaway.themes}

    def services(case_study: CaseStudy) -> set[str]:
        return {service.casefold() for service in case_study.services}

    return themes(one) & themes(other), services(one) & services(other)


def test_case_study_links_related_case_studies_and_takeaways_drawn_from_it(
    library: Site,
) -> None:
    northtown = study("northtown")
    soup = BeautifulSoup(library.html("case-studies/northtown/"), "lxml")
    related = soup.find("h2", id="related-case-studies").find_next("ul").select("li")
    # Every case study with something in common, most in common first.
    expected = [
        other
        for other in CASE_STUDIES
        if other.id != northtown.id and any(shared(northtown, other))
    ]
    assert 1 < len(expected) < len(CASE_STUDIES) - 1  # some related, some not
    listed = [li.a["href"] for li in related]
    assert sorted(listed) == sorted(f"../{other.id}/" for other in expected)
    in_common = [sum(map(len, shared(northtown, study(href.split("/")[1])))) for href in listed]
    assert in_common == sorted(in_common, reverse=True)
    # Each says what it shares, in words from the case study's own page.
    for li in related:
        themes, services = shared(northtown, study(li.a["href"].split("/")[1]))
        text = " ".join(li.get_text().split())
        for theme in themes:
            assert LIBRARY_CONTENT.themes[theme].title in text
        for service in northtown.services:
            assert (service in text) == (service.casefold() in services)
    drawn = soup.find("h2", id="key-takeaways-drawn-from-it").find_next("ul")
    citing = [t for t in BRIEFING.key_takeaways if "northtown" in t.case_studies]
    assert citing
    for takeaway in citing:
        assert " ".join(takeaway.text.split()) in " ".join(drawn.get_text().split())
    assert drawn.a["href"] == "../../#key-takeaways"
    # A case study no key takeaway cites has no such list.
    uncited = next(
        s for s in CASE_STUDIES if not any(s.id in t.case_studies for t in BRIEFING.key_takeaways)
    )
    uncited_page = BeautifulSoup(library.html(f"case-studies/{uncited.id}/"), "lxml")
    assert uncited_page.find("h2", id="key-takeaways-drawn-from-it") is None


def test_each_theme_has_a_page_with_its_case_studies_and_takeaways(library: Site) -> None:
    used = {theme for s in CASE_STUDIES for t in s.takeaways for theme in t.themes}
    used |= {theme for t in BRIEFING.key_takeaways for theme in t.themes}
    for theme_id, theme in LIBRARY_CONTENT.themes.items():
        page = library.site_dir / "themes" / theme_id / "index.html"
        if theme_id not in used:  # a theme no takeaway uses has no page
            assert not page.exists()
            continue
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
        assert soup.select_one("article h1").get_text(strip=True).startswith(theme.title)
        links = {a["href"] for a in soup.select("article a[href]")}
        text = " ".join(soup.select_one("article").get_text().split())
        # The case studies it lists: those its takeaways come from, and those they cite.
        themed = [t for s in CASE_STUDIES for t in s.takeaways if theme_id in t.themes]
        themed += [t for t in BRIEFING.key_takeaways if theme_id in t.themes]
        cited = {study for t in themed for study in t.case_studies}
        for case_study in CASE_STUDIES:
            takeaways = [t for t in case_study.takeaways if theme_id in t.themes]
            linked = f"../../case-studies/{case_study.id}/" in links
            assert linked == bool(takeaways or case_study.id in cited)
            for takeaway in takeaways:
                assert " ".join(takeaway.text.split()) in text
                case_study_page = library.html(f"case-studies/{case_study.id}/")
                assert f'href="../../themes/{theme_id}/"' in case_study_page
    assert used != set(LIBRARY_CONTENT.themes)  # the library has a theme with no page


def test_index_lists_every_case_study_without_javascript(library: Site) -> None:
    soup = BeautifulSoup(library.html("case-studies/"), "lxml")
    form = soup.select_one("form[data-bg-filters]")
    assert form.has_attr("hidden")  # shown by the script; without it, nothing to filter with
    cards = soup.select("[data-facets]")
    assert len(cards) == len(CASE_STUDIES)
    assert not any(card.has_attr("hidden") for card in cards)
    facets = {json.loads(card["data-facets"])["model"][0] for card in cards}
    assert facets == {s.models[0] for s in CASE_STUDIES}
    legends = [legend.get_text() for legend in form.select("legend")]
    # The library has every facet: each has its fieldset, in this order.
    assert legends == ["Model", "Council tier", "Region", "Setting", "Service area", "Outcomes"]
    # Each value a case study has, with how many have it, most first.
    counted: dict[str, int] = {}
    for case_study in CASE_STUDIES:
        for service in {service.casefold(): service for service in case_study.services}.values():
            counted[service] = counted.get(service, 0) + 1
    labels = [
        " ".join(label.get_text().split()) for label in form.select("fieldset")[4].select("label")
    ]
    assert sorted(labels) == sorted(f"{service} ({n})" for service, n in counted.items())
    numbers = [int(re.search(r"\((\d+)\)$", label).group(1)) for label in labels]
    assert numbers == sorted(numbers, reverse=True)
    # A card names a region only where its councils' names do not already say it.
    for card, case_study in zip(cards, CASE_STUDIES, strict=True):
        keys = [dt.get_text() for dt in card.select("dl dt")]
        said = case_study.region and all(
            case_study.region in org.name for org in case_study.organisations
        )
        assert ("Region" in keys) == bool(case_study.region and not said), case_study.id
    assert any(s.region and s.region in s.organisations[0].name for s in CASE_STUDIES)


def test_lists_in_a_line_read_one_way_on_cards_facts_and_compare(library: Site) -> None:
    """Every item of a list shown in a line is in sentence case, models as services:
    never "Partnership, group company" beside "Kerbside recycling, Energy management"."""
    riverside = study("riverside")
    assert riverside.models == ["partnership", "group-company"]
    assert riverside.services == ["Kerbside recycling", "Energy management", "Digital connectivity"]
    models, services = "Partnership, Group company", ", ".join(riverside.services)

    def facts(html: str, selector: str) -> dict[str, str]:
        soup = BeautifulSoup(html, "lxml")
        rows = soup.select(f"{selector} .bg-facts__row")
        return {row.dt.get_text(): " ".join(row.dd.get_text(" ").split()) for row in rows}

    index = BeautifulSoup(library.html("case-studies/"), "lxml")
    (card,) = [c for c in index.select("[data-facets]") if riverside.title in c.get_text()]
    on_card = facts(str(card), "")
    assert (on_card["Model"], on_card["Services"]) == (models, services)
    on_page = facts(library.html("case-studies/riverside/"), "article")
    assert on_page["Model"] == models
    compare = BeautifulSoup(library.html("compare/"), "lxml")
    row = next(tr for tr in compare.select("tbody tr") if tr.th.get_text() == "Model")
    column = [s.id for s in CASE_STUDIES].index("riverside")
    assert row.find_all("td")[column].get_text() == models
