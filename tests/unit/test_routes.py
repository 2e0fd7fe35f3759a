"""The route table alone, without MkDocs: where each page lives and how it is reached."""

from __future__ import annotations

import pytest

from briefgen.site.routes import FEED_XML, Routes, resolve


@pytest.mark.parametrize(
    ("directory_urls", "expected"),
    [
        (True, ["", "case-studies/", "case-studies/dorset/", "checklists/x.pdf"]),
        (
            False,
            [
                "index.html",
                "case-studies/index.html",
                "case-studies/dorset.html",
                "checklists/x.pdf",
            ],
        ),
    ],
)
def test_urls_follow_use_directory_urls(directory_urls: bool, expected: list[str]) -> None:
    routes = Routes("main", directory_urls=directory_urls)
    targets = [
        routes.home,
        routes.case_study_index,
        routes.case_study("dorset"),
        routes.checklist_pdf("x"),
    ]
    assert [routes.url(target) for target in targets] == expected


def test_the_home_briefing_is_the_root_and_others_sit_in_a_folder() -> None:
    routes = Routes("main")
    assert routes.briefing("main") == "index.md"
    assert routes.briefing("other") == "briefings/other.md"
    assert routes.briefing_pdf("main") == "main.pdf"
    assert routes.briefing_pdf("other") == "briefings/other.pdf"


def test_relative_links_between_pages() -> None:
    routes = Routes("main")
    assert (
        routes.href(routes.theme("culture"), routes.case_study("dorset")) == "../../themes/culture/"
    )
    assert routes.href(routes.home, routes.case_study("dorset")) == "../../"
    assert routes.href(routes.case_study("dorset"), routes.home) == "case-studies/dorset/"
    assert routes.href(routes.home, routes.home) == "./"
    flat = Routes("main", directory_urls=False)
    assert flat.href(flat.theme("culture"), flat.case_study("dorset")) == "../themes/culture.html"


def test_addresses_are_absolute_only_when_the_site_url_is_known() -> None:
    unknown = Routes("main")
    assert unknown.address(unknown.case_study("dorset")) is None
    feed = unknown.data_file(FEED_XML)
    assert unknown.link(unknown.case_study("dorset"), feed) == "../case-studies/dorset/"
    known = Routes("main", site_url="https://org.github.io/repo")  # no trailing slash
    assert known.site_url == "https://org.github.io/repo/"
    assert known.base_path == "/repo/"
    assert known.link(known.case_study("dorset"), feed) == (
        "https://org.github.io/repo/case-studies/dorset/"
    )


def test_a_prefix_puts_every_route_in_its_folder() -> None:
    routes = Routes("main", prefix="/briefing/", site_url="https://council.example/")
    assert routes.prefix == "briefing/"
    every = [
        routes.home, routes.case_study_index, routes.takeaways, routes.compare, routes.data,
        routes.accessibility, routes.case_study("a"), routes.themes, routes.theme("t"),
        routes.checklist("c"), routes.checklist_pdf("c"), routes.briefing_pdf("main"),
        routes.data_file(FEED_XML),
    ]  # fmt: skip
    assert all(route.startswith("briefing/") for route in every), every
    assert routes.address(routes.home) == "https://council.example/briefing/"
    assert routes.href(routes.home, routes.case_study("a")) == "../../"


@pytest.mark.parametrize(
    ("href", "base", "expected"),
    [
        ("../../themes/x/", "case-studies/dorset/", "themes/x/"),
        ("../../", "case-studies/dorset/", ""),
        ("#sources", "case-studies/dorset/", "#sources"),
        ("dorset/#a", "case-studies/", "case-studies/dorset/#a"),
        ("../themes/x.html", "case-studies/dorset.html", "themes/x.html"),
        ("https://example.org/", "case-studies/", "https://example.org/"),
        ("/elsewhere/", "case-studies/", "/elsewhere/"),
    ],
)
def test_resolve_turns_a_relative_link_into_a_path_below_the_root(
    href: str, base: str, expected: str
) -> None:
    assert resolve(href, base) == expected
