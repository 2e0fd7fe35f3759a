"""briefgen's page script under Material's instant navigation, and the site opened from a file.

With `navigation.instant`, Material swaps each page's content in without loading the
page, or briefgen's script, again. These tests arrive at each page as a reader does, by
clicking a link, and check that Material did swap it in (a mark left on the window
survives) and that the script set the new page up. The site is also opened from disk,
as a contributor opens a pull request's preview.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

import pytest
from conftest import MINIMAL_MKDOCS, Site, serve, type_query
from playwright.sync_api import Locator, Page, expect

pytestmark = pytest.mark.browser

# The build's "today": 2020-03-01. The content's review dates are set around it, so
# nothing here is overdue whatever day the tests run.
BUILT_ON = "1583020800"

CASE_STUDY = """\
id: {id}
title: {title}
summary: {summary}
organisations:
  - name: {council}
region: {region}
models: [{model}]
services: [{service}]
outcomes:
  - metric: Saving a year
    value: {saving}
    unit: £k
    status: reported
    source: minutes
enablers:
  - {enabler}
sources:
  - id: minutes
    title: Minutes of the joint committee
    date: 2019-12-01
reviewed: 2020-01-01
review_due: 2020-06-01
"""

STUDIES = {
    "alpha": {
        "title": "Alderbrook and Fenwick: one revenues team",
        "summary": "Two districts run council tax and benefits from one office.",
        "council": "Alderbrook District Council",
        "region": "Northshire",
        "model": "shared-service",
        "service": "Revenues",
        "saving": 120,
        "enabler": "One case-management system for both councils.",
    },
    "beta": {
        "title": "Corrie Vale: waste collection by a joint venture",
        "summary": "A borough and a firm collect waste through a company they own together.",
        "council": "Corrie Vale Borough Council",
        "region": "Southmoor",
        "model": "joint-venture",
        "service": "Waste collection",
        "saving": 85,
        "enabler": "Service levels agreed before the company was formed.",
    },
    "gamma": {
        "title": "Hollin Cross: legal services shared across the county",
        "summary": "A county's lawyers also advise three district councils.",
        "council": "Hollin Cross County Council",
        "region": "Northshire",
        "model": "shared-service",
        "service": "Legal",
        "saving": 40,
        "enabler": "A single register of instructions.",
    },
}

BRIEFING = """\
id: sharing-forum
title: Lessons from the sharing forum
context: |
  Three councils told the forum how they share services.
case_studies: [alpha, beta, gamma]
checklists:
  - id: readiness
    title: Are we ready to share?
    items:
      - label: Contracts
        why_it_matters: Contracts that end at different times hold a merger back.
        questions: [When does each contract end?]
        case_studies: [beta]
      - label: Systems
        why_it_matters: Two systems doing one job cost twice.
        questions: [Which systems overlap?]
      - label: People
        why_it_matters: Staff carry the change.
        questions: [Who leads it?]
reviewed: 2020-01-01
"""

# A hand-written page with a link to a chosen comparison, as an author might write one.
READING = """\
# Further reading

<p><a href="../compare/?with=alpha,beta">Compare Alderbrook with Corrie Vale</a></p>
"""


NAV = """\
nav:
  - Briefing: index.md
  - Case studies: case-studies/index.md
  - Compare: compare.md
  - Checklist: checklists/readiness.md
  - Further reading: reading.md
"""


def _mkdocs_yml(site_url: str) -> str:
    config = MINIMAL_MKDOCS
    for old, new in (
        ("  font: false\n", "  font: false\n  features: [navigation.instant]\n"),
        ("  - briefgen\n", "  - briefgen:\n      pdf: false\n"),
    ):
        assert old in config
        config = config.replace(old, new)
    # Material navigates instantly only to the pages its sitemap lists at this address.
    return f"site_url: {site_url}\n" + config + NAV


@pytest.fixture(scope="module")
def instant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Site, str]]:
    """A small site with instant navigation, built for and served at its address."""
    site = Site(tmp_path_factory.mktemp("instant") / "project")
    for study, fields in STUDIES.items():
        quoted = {name: json.dumps(value) for name, value in fields.items()}  # JSON is YAML
        site.write(f"case_studies/{study}.yaml", CASE_STUDY.format(id=study, **quoted))
    site.write("briefings/sharing-forum.yaml", BRIEFING)
    site.write("docs/reading.md", READING)
    with serve(site.site_dir) as url:
        site.write("mkdocs.yml", _mkdocs_yml(url))
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("SOURCE_DATE_EPOCH", BUILT_ON)
            site.build()
        yield site, url


def follow(page: Page, link: Locator, heading: str) -> None:
    """Click `link` and wait for the page titled `heading`; Material must have swapped it
    in, not loaded it, or these tests would prove nothing about instant navigation."""
    page.evaluate("window.bgSamePage = true")
    link.click()
    expect(page.locator(".md-content article h1")).to_have_text(heading)
    assert page.evaluate("window.bgSamePage === true"), "the link loaded a new page"


def nav_link(page: Page, name: str) -> Locator:
    return page.locator(".md-nav--primary").get_by_role("link", name=name, exact=True)


def test_a_checklist_reached_by_a_link_counts_and_keeps_ticks(
    page: Page, instant: tuple[Site, str]
) -> None:
    _, url = instant
    page.goto(url)
    follow(page, nav_link(page, "Checklist"), "Are we ready to share?")
    expect(page).to_have_url(url + "checklists/readiness/")
    status = page.locator("[data-bg-status]")
    expect(status).to_have_text("0 of 3 done")
    for button in ("Print", "Save answers", "Load answers"):
        expect(page.get_by_role("button", name=button)).to_be_visible()

    page.get_by_label("Done: Systems").check()
    page.get_by_label("Notes on Systems").fill("Ask about the payroll system")
    expect(status).to_have_text("1 of 3 done")
    # Clear asks once, and Keep keeps (the page's buttons were set up once).
    page.get_by_role("button", name="Clear ticks and notes").click()
    page.get_by_role("group", name="Clear all ticks and notes?").get_by_role(
        "button", name="Keep"
    ).click()
    expect(page.get_by_role("button", name="Clear ticks and notes")).to_be_focused()
    page.reload()
    expect(page.get_by_label("Done: Systems")).to_be_checked()
    expect(page.get_by_label("Notes on Systems")).to_have_value("Ask about the payroll system")
    expect(status).to_have_text("1 of 3 done")


def test_the_index_reached_by_a_link_filters_and_picks_once(
    page: Page, instant: tuple[Site, str]
) -> None:
    _, url = instant
    page.goto(url)
    follow(page, nav_link(page, "Case studies"), "Case studies")
    filters = page.locator("[data-bg-filters]")
    expect(filters).to_be_visible()
    # Three case studies' filters leave the first on the first screen: shown open.
    toggle = filters.get_by_role("button", name="Filter case studies")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    # Every outcome is achieved: a filter with nothing to choose between is left out.
    expect(filters.get_by_role("group", name="Outcomes")).to_have_count(0)
    filters.get_by_role("group", name="Model").get_by_label("Joint venture").check()
    expect(filters.locator("[data-bg-count]")).to_have_text("Showing 1 of 3 case studies")
    # Each region counts the joint ventures there: what ticking it would leave.
    regions = filters.get_by_role("group", name="Region").get_by_role("checkbox")
    expect(regions).to_have_count(2)
    expect(filters.get_by_role("checkbox", name="Southmoor (1)")).to_be_visible()
    expect(filters.get_by_role("checkbox", name="Northshire (0)")).to_be_visible()
    expect(page.locator(".bg-card:visible h2")).to_have_text([STUDIES["beta"]["title"]])
    filters.get_by_role("button", name="Clear all filters").click()
    expect(page.locator(".bg-card:visible")).to_have_count(3)

    # Away and back again: each case study still has one box to tick, not two.
    follow(page, nav_link(page, "Briefing"), "Lessons from the sharing forum")
    follow(page, nav_link(page, "Case studies"), "Case studies")
    expect(page.locator(".bg-card input[type=checkbox]")).to_have_count(3)
    picked = page.locator("[data-bg-pick-count]")
    expect(picked).to_be_visible()
    button = page.get_by_role("link", name="Compare the chosen case studies")
    page.get_by_label(f"Compare {STUDIES['alpha']['title']}", exact=True).check()
    expect(button).to_be_disabled()
    page.get_by_label(f"Compare {STUDIES['gamma']['title']}", exact=True).check()
    expect(picked).to_have_text("2 chosen")
    expect(button).to_be_enabled()

    follow(
        page,
        page.get_by_role("link", name="Compare the chosen case studies"),
        "Compare case studies",
    )
    expect(page).to_have_url(url + "compare/?with=alpha,gamma")
    expect(page.locator("[data-bg-compare-status]")).to_have_text(
        "Showing the 2 case studies you chose."
    )
    expect(page.locator(".bg-compare thead th a")).to_have_text(
        [STUDIES["alpha"]["title"], STUDIES["gamma"]["title"]]
    )


def test_breadcrumbs_lead_up_and_home_by_instant_navigation(
    page: Page, instant: tuple[Site, str]
) -> None:
    _, url = instant
    page.goto(url + "case-studies/")
    follow(
        page,
        page.locator("article").get_by_role("link", name=STUDIES["beta"]["title"]),
        STUDIES["beta"]["title"],
    )
    trail = page.get_by_role("navigation", name="Breadcrumb")
    expect(trail.get_by_role("listitem")).to_have_text(["Home", "Case studies"])
    # The navigation marks the entry the case study belongs under.
    active = page.locator(".md-nav--primary .md-nav__item--active > .md-nav__link")
    expect(active).to_have_text(["Case studies"])
    follow(page, trail.get_by_role("link", name="Case studies"), "Case studies")
    expect(page).to_have_url(url + "case-studies/")
    # The index swapped in is set up: its filters and boxes to tick work.
    expect(page.locator(".bg-card input[type=checkbox]")).to_have_count(3)
    follow(
        page,
        page.locator("article").get_by_role("link", name=STUDIES["gamma"]["title"]),
        STUDIES["gamma"]["title"],
    )
    trail = page.get_by_role("navigation", name="Breadcrumb")
    follow(page, trail.get_by_role("link", name="Home"), "Lessons from the sharing forum")
    expect(page).to_have_url(url)


def test_a_page_loaded_whole_is_set_up_once(page: Page, instant: tuple[Site, str]) -> None:
    """Material's document$ and the page's own load both start the script: once is enough."""
    _, url = instant
    page.goto(url + "case-studies/")
    expect(page.locator("[data-bg-pick-count]")).to_be_visible()
    expect(page.locator(".bg-card input[type=checkbox]")).to_have_count(3)


def test_a_comparison_reached_by_a_link_fills_its_table(
    page: Page, instant: tuple[Site, str]
) -> None:
    _, url = instant
    page.goto(url + "reading/")
    follow(
        page,
        page.get_by_role("link", name="Compare Alderbrook with Corrie Vale"),
        "Compare case studies",
    )
    expect(page.locator("[data-bg-compare-status]")).to_have_text(
        "Showing the 2 case studies you chose."
    )
    table = page.locator(".bg-compare table")
    expect(table.locator("caption")).to_have_text("The case studies you chose, compared")
    expect(table.locator("thead th a")).to_have_text(
        [STUDIES["alpha"]["title"], STUDIES["beta"]["title"]]
    )
    expect(table).to_contain_text("Saving a year: 120 £k (reported")
    expect(table).not_to_contain_text("Hollin Cross")


def test_search_answers_after_instant_navigation(page: Page, instant: tuple[Site, str]) -> None:
    _, url = instant
    page.goto(url)
    follow(page, nav_link(page, "Case studies"), "Case studies")
    follow(page, nav_link(page, "Checklist"), "Are we ready to share?")
    # Material closes the search 125 ms after each navigation (location$, delay(125)): a
    # search opened sooner, as no reader could, would close under the test's typing.
    page.wait_for_timeout(250)
    type_query(page, "lawyers")
    result = page.locator(".md-search-result__item a").filter(has_text="Hollin Cross").first
    expect(result).to_be_visible()
    follow(page, result, STUDIES["gamma"]["title"])
    expect(page).to_have_url(re.compile(re.escape(url + "case-studies/gamma/")))


def test_without_materials_document_observable_the_script_starts_on_load(
    page: Page, instant: tuple[Site, str]
) -> None:
    """Another theme has no document$: the script starts when the page has loaded."""
    _, url = instant
    page.add_init_script(
        "Object.defineProperty(window, 'document$', {get() {}, set() {}, configurable: false})"
    )
    page.goto(url + "checklists/readiness/")
    assert page.evaluate("window.document$ === undefined")
    expect(page.locator("[data-bg-status]")).to_have_text("0 of 3 done")
    page.get_by_label("Done: People").check()
    expect(page.locator("[data-bg-status]")).to_have_text("1 of 3 done")


@pytest.mark.parametrize(
    ("answer", "said"),
    [
        (
            {"abort": "failed"},
            "Could not fetch the page of: beta (the request was blocked or the connection "
            "failed). Reload the page to try again.",
        ),
        (
            {"status": 503, "body": "Busy"},
            "Could not fetch the page of: beta (the server answered 503). "
            "Reload the page to try again.",
        ),
        ({"status": 404, "body": "Not found"}, "No case study could be found for: beta."),
    ],
    ids=["blocked", "server-error", "not-found"],
)
def test_compare_says_why_a_case_study_did_not_come(
    page: Page, instant: tuple[Site, str], answer: dict[str, object], said: str
) -> None:
    _, url = instant

    def refuse(route: object) -> None:
        if "abort" in answer:
            route.abort(str(answer["abort"]))  # type: ignore[attr-defined]
        else:
            route.fulfill(status=answer["status"], body=answer["body"])  # type: ignore[attr-defined]

    page.route(re.compile(r"/case-studies/beta/$"), refuse)
    page.goto(url + "compare/?with=alpha,beta")
    expect(page.locator("[data-bg-compare-status]")).to_have_text(said)
    expect(page.locator(".bg-compare thead th a")).to_have_text([STUDIES["alpha"]["title"]])


def test_compare_opened_from_a_file_says_the_site_must_be_served(
    page: Page, instant: tuple[Site, str]
) -> None:
    site, _ = instant
    page.goto((site.site_dir / "compare" / "index.html").as_uri() + "?with=alpha,beta")
    status = page.locator("[data-bg-compare-status]")
    expect(status).to_contain_text("needs the site served")
    expect(status).not_to_contain_text("No case study")
    notice = page.locator("[data-bg-file-notice]")
    expect(notice).to_be_visible()
    expect(notice.locator("code")).to_have_text(
        f"python3 -m http.server --bind 127.0.0.1 --directory '{site.site_dir}' 8001"
    )
    expect(notice.get_by_role("link", name="http://127.0.0.1:8001/")).to_be_visible()


def test_served_pages_show_no_file_notice(page: Page, instant: tuple[Site, str]) -> None:
    _, url = instant
    page.goto(url)
    expect(page.locator("article h1")).to_have_text("Lessons from the sharing forum")
    expect(page.locator("[data-bg-file-notice]")).to_have_count(0)
