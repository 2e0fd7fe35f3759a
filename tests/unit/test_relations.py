"""How case studies relate, without MkDocs: the filters of the index, the related case
studies a page lists, and the key takeaways drawn from a case study."""

from __future__ import annotations

import json

from conftest import CASE_STUDIES, LIBRARY_CONTENT, make_content, make_study, study

from briefgen.content.wording import sentence_case
from briefgen.site.pagedata import region_adds_to_councils
from briefgen.site.relations import (
    RELATED_LIMIT,
    facet_json,
    facet_values,
    facets,
    related_case_studies,
    takeaways_drawn_from,
)


def themed(*themes: str) -> list[dict[str, object]]:
    return [{"text": f"A lesson on {theme}.", "themes": [theme]} for theme in themes]


def test_related_case_studies_come_most_in_common_first_ties_by_title() -> None:
    content = make_content(
        make_study("main", "Main", services=["Payroll", "Legal"], takeaways=themed("a", "b")),
        # Three in common: both themes and, written in other capitals, a service.
        make_study("most", "Zeta", services=["payroll"], takeaways=themed("a", "b")),
        make_study("one-b", "Beta", takeaways=themed("b")),  # one each: by title
        make_study("one-a", "Alpha", services=["Legal"]),
        make_study("none", "Aardvark", services=["Elections"], takeaways=themed("c")),
        themes=["a", "b", "c"],
    )
    related = related_case_studies(content)
    assert [r.study.id for r in related["main"]] == ["most", "one-a", "one-b"]
    most = related["main"][0]
    # What is shared, in the case study's own words: theme titles, its spelling of a service.
    assert most.themes == ("Theme a", "Theme b")
    assert most.services == ("Payroll",)
    assert [r.study.id for r in related["most"]] == ["main", "one-b"]
    assert related["most"][0].services == ("payroll",)
    assert related["none"] == []


def test_no_more_than_the_limit_are_related() -> None:
    others = [
        make_study(f"other-{n}", f"Other {n}", takeaways=themed(*[f"t{i}" for i in range(n)]))
        for n in range(1, RELATED_LIMIT + 3)
    ]
    everything = [f"t{i}" for i in range(RELATED_LIMIT + 3)]
    content = make_content(
        make_study("main", "Main", takeaways=themed(*everything)), *others, themes=everything
    )
    related = [r.study.id for r in related_case_studies(content)["main"]]
    # The ones sharing most, of all that share something.
    assert related == [f"other-{n}" for n in range(RELATED_LIMIT + 2, 2, -1)]


def test_in_the_library_relation_goes_both_ways_and_skips_strangers() -> None:
    related = related_case_studies(LIBRARY_CONTENT)
    assert set(related) == {s.id for s in CASE_STUDIES}
    for one in CASE_STUDIES:
        for entry in related[one.id]:
            assert entry.study.id != one.id
            assert entry.themes or entry.services
            assert one.id in [r.study.id for r in related[entry.study.id]]
    # Northtown and Moorland share three themes and two services: each lists the other first.
    assert related["northtown"][0].study.id == "moorland"
    assert related["moorland"][0].study.id == "northtown"
    assert set(related["moorland"][0].services) == {"Revenues and benefits", "Payroll"}


def test_facets_list_values_present_most_frequent_first() -> None:
    content = make_content(
        make_study("a", "A", models=["merger"], services=["Payroll"], setting="rural"),
        make_study("b", "B", models=["merger", "partnership"], services=["payroll", "Legal"]),
        make_study("c", "C", models=["shared-service"], setting="mixed"),
    )
    found = {facet.name: facet for facet in facets(content)}
    # No case study names a region or a tier, and none has outcomes: no such filters.
    assert list(found) == ["model", "setting", "service"]
    assert [(o.value, o.label, o.count) for o in found["model"].options] == [
        ("merger", "Merger", 2),
        ("partnership", "Partnership", 1),
        ("shared-service", "Shared service", 1),
    ]
    # Services are one filter whatever their capitals, labelled as first written.
    assert [(o.value, o.label, o.count) for o in found["service"].options] == [
        ("payroll", "Payroll", 2),
        ("legal", "Legal", 1),
    ]
    assert [o.label for o in found["setting"].options] == ["Rural", "Urban and rural"]  # ties


def test_a_facet_of_one_value_is_not_offered_and_labels_read_one_way() -> None:
    tiers = [{"name": "A Council", "tier": "london-borough"}]
    content = make_content(
        make_study("a", "A", services=["Committee Management"], organisations=tiers),
        make_study("b", "B", services=["committee management", "Customer services"]),
        make_study("c", "C", models=["group-company"], organisations=tiers),
    )
    found = {facet.name: facet for facet in facets(content)}
    # Every council with a tier is a London borough: nothing to choose between.
    assert list(found) == ["model", "service"]
    assert [o.label for o in found["model"].options] == ["Shared service", "Group company"]
    # Sentence case, however a file capitalised it.
    assert [o.label for o in found["service"].options] == [
        "Committee management",
        "Customer services",
    ]


def test_names_show_in_sentence_case_keeping_acronyms_and_proper_names() -> None:
    assert [
        sentence_case(name)
        for name in (
            "Democratic Services",
            "Revenues and Benefits",
            "Shared ICT Services",
            "payroll",
            "Bristol waste",  # not Title Case: left as written
            "ICT",
        )
    ] == [
        "Democratic services",
        "Revenues and benefits",
        "Shared ICT services",
        "Payroll",
        "Bristol waste",
        "ICT",
    ]


def test_a_region_shows_where_the_councils_names_do_not_say_it() -> None:
    def region(region: str, *councils: str) -> bool:
        organisations = [{"name": name} for name in councils]
        return region_adds_to_councils(
            make_study("a", "A", region=region, organisations=organisations)
        )

    assert not region("Bristol", "Bristol City Council")
    assert region("Dorset", "North Dorset", "Weymouth and Portland", "West Dorset")
    assert region("Northshire", "Northtown Borough Council")
    assert region("Kent", "Kentish Town Council")  # a word, not part of one
    assert not region_adds_to_councils(make_study("a", "A"))  # no region


def test_facet_json_is_what_the_index_script_filters_on() -> None:
    northtown = study("northtown")
    data = json.loads(facet_json(northtown))
    assert data == facet_values(northtown)
    assert list(data) == sorted(data)
    assert data["model"] == northtown.models
    assert data["service"] == [s.casefold() for s in northtown.services]
    assert data["region"] == [northtown.region]
    assert "’" in facet_json(make_study("a", "A", region="King’s Lynn"))  # not \u2019


def test_key_takeaways_drawn_from_a_case_study() -> None:
    briefing = next(iter(LIBRARY_CONTENT.briefings.values()))
    for case_study in CASE_STUDIES:
        drawn = takeaways_drawn_from(case_study, LIBRARY_CONTENT)
        citing = [t for t in briefing.key_takeaways if case_study.id in t.case_studies]
        assert [d.takeaway for d in drawn] == citing
        assert all(
            (d.briefing_id, d.briefing_title) == (briefing.id, briefing.title) for d in drawn
        )
    assert takeaways_drawn_from(study("northtown"), LIBRARY_CONTENT)
    assert not takeaways_drawn_from(study("harbourside"), LIBRARY_CONTENT)
