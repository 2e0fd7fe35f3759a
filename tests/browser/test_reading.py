"""The built test library in Chromium, driven by Playwright, as a reader meets it: search
box, filters, comparison and print. (The checklist: tests/browser/test_checklist.py.)"""

from __future__ import annotations

import io
import re

import pytest
from conftest import (
    BRIEFING,
    CASE_STUDIES,
    COMPARE_ROWS,
    EXTRA_STUDIES,
    Site,
    article_text,
    figure,
    in_yaml,
    serve,
    study,
    type_query,
)
from playwright.sync_api import Browser, Locator, Page, expect
from pypdf import PdfReader

pytestmark = pytest.mark.browser


def speakers_other_than(case_study_id: str) -> list[str]:
    return [s.speaker.name for s in CASE_STUDIES if s.speaker and s.id != case_study_id]


def test_search_for_a_word_reaches_the_case_study_that_says_it(page: Page, site_url: str) -> None:
    page.goto(site_url)
    expect(page.locator("article h1")).to_contain_text(BRIEFING.title)
    northtown = study("northtown")
    word = in_yaml("northtown", "intranet")
    (enabler,) = [text for text in northtown.enablers if word in text]

    search = page.get_by_role("textbox", name="Search")
    search.click()
    search.press_sequentially(word, delay=50)  # as a reader types
    result = page.locator(".md-search-result__item a").filter(has_text=northtown.title).first
    expect(result).to_be_visible()
    result.click()

    expect(page).to_have_url(re.compile(re.escape(f"{site_url}case-studies/northtown/")))
    expect(page.locator("article h1")).to_contain_text(northtown.title)
    expect(page.locator("article")).to_contain_text(enabler)


def first_search_result(page: Page, site_url: str, query: str) -> str:
    """The title of the first result Material's search shows for `query`."""
    if page.url != site_url:
        page.goto(site_url)
    box = page.get_by_role("textbox", name="Search")
    if box.input_value():  # the last query's: its results go first, so none is read here
        box.fill("")
        box.press("Backspace")  # a key let go: Material searches for nothing, and clears
        expect(page.locator(".md-search-result__item")).to_have_count(0)
    type_query(page, query)
    first = page.locator(".md-search-result__item").first.locator("h1").first
    expect(first).to_be_visible()
    return " ".join(first.inner_text().split())


def ranked(query: str, case_study_id: str) -> object:
    # A case study with no tags was indexed as escaped HTML, with no title: kept as a case.
    return pytest.param(query, case_study_id, id=query)


# A query, and the case study that says it and should come first.
RANKED = [
    ranked("intranet", "northtown"),  # what helped
    ranked("Lindqvist", "northtown"),  # the speaker
    ranked("kerbside", "riverside"),  # a service
    ranked("Riverside Group", "riverside"),  # the title
    ranked("Southtown", "northtown"),  # a council
    ranked(figure(study("northtown").outcomes[0]).split(": ")[1], "northtown"),  # a figure
    ranked("one staff badge", "northtown"),  # a takeaway
    ranked("Tomasz Heller", "riverside"),  # the speaker, in full
    ranked("telecare", "moorland"),  # one of twelve services
    ranked("Coastline", "harbourside"),  # a partner with no tier, of the case study overdue
    ranked("Adeyemi-Hart", "westvale"),  # a speaker whose case study has no region
]


@pytest.mark.parametrize(("query", "expected"), RANKED)
def test_search_puts_the_case_study_about_the_query_first(
    reading_page: Page, site_url: str, library: Site, query: str, expected: str
) -> None:
    assert query.casefold() in article_text(library.html(f"case-studies/{expected}/")).casefold()
    assert first_search_result(reading_page, site_url, query) == study(expected).title


def open_filters(page: Page) -> None:
    """Unfold the filters, if the page folded them."""
    toggle = page.get_by_role("button", name=re.compile("^Filter case studies"))
    if toggle.get_attribute("aria-expanded") == "false":
        toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")


def option_count(page: Page, facet: str, label: str) -> Locator:
    return page.get_by_role("group", name=facet).get_by_role(
        "checkbox", name=re.compile(rf"^{re.escape(label)} \(\d+\)$")
    )


def test_filtering_by_facets_leaves_the_matching_case_studies(page: Page, site_url: str) -> None:
    page.goto(site_url + "case-studies/")
    open_filters(page)
    total = len(CASE_STUDIES)
    count = page.get_by_role("status").filter(has_text="Showing")

    def shown(expected: set[str]) -> None:
        for case_study in CASE_STUDIES:
            card = page.locator(f".bg-card[data-bg-study='{case_study.id}']")
            if case_study.id in expected:
                expect(card).to_be_visible()
            else:
                expect(card).to_be_hidden()
        expect(count).to_have_text(f"Showing {len(expected)} of {total} case studies")

    def counts(among: set[str]) -> None:
        """Each service's count: the case studies among `among` that have it."""
        for service in {service for s in CASE_STUDIES for service in s.services}:
            having = [
                s for s in CASE_STUDIES if s.id in among and service.casefold()
                in {own.casefold() for own in s.services}
            ]  # fmt: skip
            label = page.get_by_role("group", name="Service area").get_by_role(
                "checkbox", name=re.compile(rf"^{re.escape(service)} \(")
            )
            expect(label).to_have_accessible_name(f"{service} ({len(having)})")

    everything = {s.id for s in CASE_STUDIES}
    shown(everything)
    counts(everything)
    mergers = {s.id for s in CASE_STUDIES if "merger" in s.models}
    ventures = {s.id for s in CASE_STUDIES if "joint-venture" in s.models}
    assert mergers and ventures and mergers | ventures != everything

    page.get_by_role("checkbox", name=re.compile("^Merger")).check()
    shown(mergers)
    # Live counts: each service counts the mergers with it, what ticking it would leave;
    # a model still counts every case study with it, as ticking it would add them.
    counts(mergers)
    expect(option_count(page, "Model", "Joint venture")).to_have_accessible_name(
        f"Joint venture ({len(ventures)})"
    )
    expect(page.get_by_role("button", name="Filter case studies (1 chosen)")).to_be_visible()
    # Within a facet, any value ticked matches.
    page.get_by_role("checkbox", name=re.compile("^Joint venture")).check()
    shown(mergers | ventures)
    counts(mergers | ventures)
    page.get_by_role("checkbox", name=re.compile("^Joint venture")).uncheck()
    shown(mergers)

    # Across facets, every facet must match: a service that no merger has leaves none.
    theirs = {service.casefold() for s in CASE_STUDIES if s.id in mergers for service in s.services}
    service = next(
        service
        for s in CASE_STUDIES
        for service in s.services
        if s.id not in mergers and service.casefold() not in theirs
    )
    page.get_by_role("checkbox", name=re.compile(rf"^{re.escape(service)} \(\d+\)$")).check()
    shown(set())
    expect(page.get_by_text("No case study matches these filters.")).to_be_visible()

    page.get_by_role("button", name="Clear all filters").click()
    shown(everything)
    counts(everything)
    expect(page.get_by_text("No case study matches these filters.")).to_be_hidden()


def test_on_a_phone_the_filters_fold_behind_one_button(page: Page, site_url: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site_url + "case-studies/")
    toggle = page.get_by_role("button", name=re.compile("^Filter case studies"))
    expect(toggle).to_have_attribute("aria-expanded", "false")
    panel = page.locator("#" + str(toggle.get_attribute("aria-controls")))
    expect(panel).to_be_hidden()
    # Folded, the first case study's title is on the first screen, and how many show too.
    first = page.locator(".bg-card h2").first
    assert first.bounding_box()["y"] + first.bounding_box()["height"] <= 844
    expect(page.get_by_role("status").filter(has_text="Showing")).to_be_visible()
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(panel.get_by_role("group", name="Model")).to_be_visible()
    # A facet of one value is not offered (the library's take several of each).
    groups = panel.get_by_role("group")
    for index in range(groups.count()):
        assert groups.nth(index).get_by_role("checkbox").count() > 1


def first_case_study_starts_on_screen(page: Page, height: int) -> None:
    """The first case study's title and two lines of its summary are on the first screen."""
    card = page.locator(".bg-card").first
    title, summary = card.locator("h2"), card.locator("p").first
    expect(title).to_be_in_viewport(ratio=1)
    line = summary.evaluate("p => parseFloat(getComputedStyle(p).lineHeight)")
    top = summary.bounding_box()["y"]
    assert top + 2 * line <= height, (top, line)


@pytest.mark.parametrize("width, height", [(1280, 800), (390, 844)])
def test_the_first_case_study_starts_on_the_first_screen_however_many_filters(
    page: Page, large_library: Site, width: int, height: int
) -> None:
    """Open, the filters would push the first case study down: they fold whenever its title
    and the start of its summary would not be on the first screen."""
    page.set_viewport_size({"width": width, "height": height})
    with serve(large_library.site_dir) as url:
        page.goto(url + "case-studies/")
        toggle = page.get_by_role("button", name=re.compile("^Filter case studies"))
        expect(toggle).to_be_visible()
        first_case_study_starts_on_screen(page, height)
        # Unfolded, every facet is there, however far that pushes the case studies down.
        open_filters(page)
        panel = page.locator("#" + str(toggle.get_attribute("aria-controls")))
        expect(panel.get_by_role("group", name="Service area")).to_be_visible()
        # A screen just taller than the open filters, with the first card's top on it but
        # not its title and summary: folded too.
        card_top = page.locator(".bg-card").first.bounding_box()["y"]
        if width > 390:
            tight = int(card_top) + 50
            page.set_viewport_size({"width": width, "height": tight})
            page.reload()
            expect(toggle).to_have_attribute("aria-expanded", "false")
            first_case_study_starts_on_screen(page, tight)


def test_without_javascript_the_index_shows_every_case_study(
    browser: Browser, site_url: str
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "case-studies/")
    expect(page.locator(".bg-card")).to_have_count(len(CASE_STUDIES))
    for card in page.locator(".bg-card").all():
        expect(card).to_be_visible()
    expect(page.locator("form[data-bg-filters]")).to_be_hidden()
    context.close()


def printed_text(page: Page) -> str:
    reader = PdfReader(io.BytesIO(page.pdf(format="A4", prefer_css_page_size=True)))
    return " ".join(" ".join(p.extract_text() for p in reader.pages).split())


def test_compare_page_prints_the_table_without_navigation(page: Page, site_url: str) -> None:
    page.goto(site_url + "compare/")
    page.emulate_media(media="print")
    expect(page.locator(".md-sidebar--primary")).to_be_hidden()
    text = printed_text(page)
    for expected in ("Councils", "What helped", "Challenges"):
        assert expected in text
    for case_study in CASE_STUDIES:  # every column prints
        assert case_study.organisations[0].name in text
    assert "Table of contents" not in text
    # The table of chosen case studies, built by the script, prints the same way.
    northtown = study("northtown")
    page.emulate_media(media="screen")
    page.goto(site_url + "compare/?with=northtown")
    expect(page.locator("[data-bg-compare-status]")).to_have_text(
        "Showing the case study you chose."
    )
    page.emulate_media(media="print")
    text = printed_text(page)
    assert northtown.organisations[1].name in text and northtown.enablers[0] in text
    assert not [name for name in speakers_other_than("northtown") if name in text]
    assert "Table of contents" not in text


def test_a_title_that_fits_the_line_takes_one_line(page: Page, site_url: str) -> None:
    # A title that nearly filled the line once had its hidden "¶" wrap below it.
    page.set_viewport_size({"width": 1280, "height": 800})
    for case_study in CASE_STUDIES:
        page.goto(site_url + f"case-studies/{case_study.id}/")
        title = page.locator("article h1")
        line = title.evaluate("h => parseFloat(getComputedStyle(h).lineHeight)")
        # The width of the title's words on one line (without the permalink, if any).
        width = title.evaluate(
            """h => {
              h.style.whiteSpace = "nowrap";
              const range = document.createRange();
              const words = [...h.childNodes].filter((n) => !n.classList?.contains("headerlink"));
              range.setStartBefore(words[0]);
              range.setEndAfter(words[words.length - 1]);
              const width = range.getBoundingClientRect().width;
              h.style.whiteSpace = "";
              return width;
            }"""
        )
        room = title.evaluate("h => h.clientWidth")
        if width <= room:  # as a reader at 1280 px sees it
            assert title.evaluate("h => h.getBoundingClientRect().height") < 1.5 * line
        # And in a line exactly as wide as the title, whatever the fonts.
        title.evaluate(f"h => {{ h.style.width = '{width + 1}px'; }}")
        assert title.evaluate("h => h.getBoundingClientRect().height") < 1.5 * line, case_study.id
    # Headings below the title keep their permalinks.
    with_outcomes = next(s for s in CASE_STUDIES if s.outcomes)
    page.goto(site_url + f"case-studies/{with_outcomes.id}/")
    expect(page.locator("article h2#outcomes .headerlink")).to_have_attribute("href", "#outcomes")


def test_on_a_phone_the_data_pages_file_names_are_not_broken(page: Page, site_url: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site_url + "data/")
    names = page.eval_on_selector_all(
        "article table tbody tr > td:first-child a",
        "links => links.map(a => [a.textContent, a.getClientRects().length])",
    )
    assert "case-studies.json" in [name for name, _ in names]
    assert [name for name, lines in names if lines != 1] == []  # each on one line


def test_a_reader_chooses_case_studies_to_compare_on_the_index(page: Page, site_url: str) -> None:
    northtown, moorland = study("northtown"), study("moorland")
    outcome = northtown.outcomes[0]
    # An outcome keeps its scope, where the figure applies, in the page's own table...
    assert outcome.scope, "the test needs an outcome with a scope"
    assert outcome.status == "reported" and outcome.reported_by
    said = f"reported by {outcome.reported_by}"
    shown = f"{figure(outcome)}: {outcome.scope[0].lower()}{outcome.scope[1:]} ({said}; source)"
    page.goto(site_url + "compare/")
    static = page.locator(".bg-compare table tbody tr", has=page.locator("th", has_text="Outcomes"))
    expect(static).to_contain_text(shown)
    page.goto(site_url + "case-studies/")
    status = page.locator("[data-bg-pick-count]")
    button = page.get_by_role("link", name="Compare the chosen case studies")
    expect(status).to_have_text("None chosen yet: tick “Compare” on two or more.")
    # Off until two are chosen: said so to a screen reader, and seen to be.
    expect(button).to_be_disabled()
    expect(button).not_to_have_attribute("href", re.compile("."))
    assert button.evaluate("a => getComputedStyle(a).borderStyle") == "dashed"
    page.get_by_label(f"Compare {northtown.title}", exact=True).check()
    expect(status).to_have_text("1 chosen: tick one more to compare.")
    expect(button).to_be_disabled()
    button.click(force=True)  # nothing happens
    expect(page).to_have_url(site_url + "case-studies/")
    page.get_by_label(f"Compare {moorland.title}", exact=True).check()
    expect(status).to_have_text("2 chosen")
    expect(button).to_be_enabled()
    assert button.evaluate("a => getComputedStyle(a).borderStyle") == "solid"
    button.click()
    expect(page).to_have_url(re.compile(r"/compare/\?with=northtown,moorland$"))
    expect(page.locator("[data-bg-compare-status]")).to_have_text(
        "Showing the 2 case studies you chose."
    )
    table = page.locator(".bg-compare table")
    expect(table.locator("caption")).to_have_text("The case studies you chose, compared")
    expect(table.locator("thead th a")).to_have_text([northtown.title, moorland.title])
    for name in speakers_other_than("northtown"):
        if not (moorland.speaker and moorland.speaker.name == name):
            expect(table).not_to_contain_text(name)
    # Lists are lists, a bullet an item, in the table the script builds too.
    services = table.locator("tbody tr", has=page.locator("th", has_text="Services"))
    expect(services.locator("td").first.locator("li")).to_have_text(northtown.services)
    expect(services.locator("td").nth(1).locator("li")).to_have_text(moorland.services)
    # ...and in the table the script builds from the case study's description.
    outcomes = table.locator("tbody tr", has=page.locator("th", has_text="Outcomes"))
    expect(outcomes).to_contain_text(shown)
    # The figure's source leads to it on the case study's page.
    source = outcomes.get_by_role("link").first
    address = f"../case-studies/northtown/#source-{outcome.source}"
    expect(source).to_have_attribute("href", address)
    source.click()
    expect(page).to_have_url(re.compile(f"/case-studies/northtown/#source-{outcome.source}$"))


def test_on_a_phone_the_comparison_scrolls_sideways_under_its_row_labels(
    page: Page, site_url: str
) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site_url + "compare/")
    frame = page.get_by_role("region", name="The case studies compared")
    # The page itself does not scroll sideways; the table does, within its frame.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert frame.evaluate("f => f.scrollWidth > f.clientWidth")
    # Columns a reader can read (not 90 px), the first of them whole beside the labels.
    widths = (
        page.locator(".bg-compare tbody tr")
        .first.locator("td")
        .evaluate_all("cells => cells.map((td) => td.getBoundingClientRect().width)")
    )
    assert min(widths) >= 200, widths
    label = page.locator(".bg-compare tbody th").first
    first_cell = page.locator(".bg-compare tbody td").first.bounding_box()
    assert first_cell["x"] + first_cell["width"] <= 390
    before = label.bounding_box()["x"]
    frame.evaluate("f => { f.scrollLeft = 300; }")
    expect(page.locator(".bg-compare tbody td").first).not_to_be_in_viewport(ratio=1)
    assert abs(label.bounding_box()["x"] - before) <= 2  # the row labels stay in view
    # The frame takes the keyboard's focus, so it scrolls with the arrow keys.
    frame.focus()
    expect(frame).to_be_focused()


def test_comparing_by_address_names_a_case_study_it_cannot_find(page: Page, site_url: str) -> None:
    first, second = CASE_STUDIES[0].id, CASE_STUDIES[-1].id
    page.goto(site_url + f"compare/?with={first},no-such-study,{second}")
    expect(page.locator("[data-bg-compare-status]")).to_have_text(
        "No case study could be found for: no-such-study."
    )
    expect(page.locator(".bg-compare thead th a")).to_have_text(
        [study(first).title, study(second).title]
    )
    rows = page.locator(".bg-compare tbody th")
    expect(rows).to_have_text(COMPARE_ROWS)


def test_comparing_more_than_twelve_shows_the_first_twelve(page: Page, large_library: Site) -> None:
    chosen = ([s.id for s in CASE_STUDIES] + EXTRA_STUDIES)[:13]
    with serve(large_library.site_dir) as url:
        page.goto(url + "compare/?with=" + ",".join(chosen))
        expect(page.locator("[data-bg-compare-status]")).to_have_text(
            "Showing the first 12 of the 13 case studies you chose."
        )
        expect(page.locator(".bg-compare thead th a")).to_have_count(12)
        twelfth = chosen[11]
        title = study(twelfth).title if twelfth in {s.id for s in CASE_STUDIES} else twelfth
        expect(page.locator(".bg-compare thead th a").last).to_have_text(title)
