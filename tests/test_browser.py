"""The built site in Debian's Chromium, driven by Playwright, as a reader meets it."""

from __future__ import annotations

import io
import re

import pytest
from conftest import CHECKLIST_LABELS, COMPARE_ROWS, MINIMAL_CASE_STUDY, Site, serve
from playwright.sync_api import Browser, Page, expect
from pypdf import PdfReader

pytestmark = pytest.mark.browser


def test_search_for_webchat_reaches_the_dorset_case_study(page: Page, site_url: str) -> None:
    page.goto(site_url)
    expect(page.locator("article h1")).to_contain_text("Shared Services – Getting IT Right")

    search = page.get_by_role("textbox", name="Search")
    search.click()
    search.press_sequentially("webchat", delay=50)  # as a reader types
    result = page.locator(".md-search-result__item a").filter(has_text="Stronger Together").first
    expect(result).to_be_visible()
    result.click()

    expect(page).to_have_url(re.compile(re.escape(f"{site_url}case-studies/dorset/")))
    expect(page.locator("article h1")).to_contain_text("Stronger Together")
    expect(page.locator("article")).to_contain_text("webchat shared across boundaries")


CHECKLIST = "checklists/it-due-diligence/"


def test_ticks_and_notes_survive_a_reload_and_clear_with_one_button(
    page: Page, site_url: str
) -> None:
    page.goto(site_url + CHECKLIST)
    page.get_by_label("Checked: IT assets").check()
    page.get_by_label("Checked: Capacity").check()
    page.get_by_label("Notes on Capacity").fill("Ask the CIO by Friday")
    expect(page.get_by_role("status")).to_have_text("2 of 5 checked")

    page.reload()
    expect(page.get_by_label("Checked: IT assets")).to_be_checked()
    expect(page.get_by_label("Checked: Capacity")).to_be_checked()
    expect(page.get_by_label("Checked: Existing contracts")).not_to_be_checked()
    expect(page.get_by_label("Notes on Capacity")).to_have_value("Ask the CIO by Friday")

    page.get_by_role("button", name="Clear ticks and notes").click()
    expect(page.get_by_label("Checked: IT assets")).not_to_be_checked()
    expect(page.get_by_label("Notes on Capacity")).to_have_value("")
    page.reload()
    expect(page.get_by_label("Checked: Capacity")).not_to_be_checked()
    stored = page.evaluate("Object.keys(window.localStorage)")
    assert [key for key in stored if key.startswith("briefgen:")] == []


def test_checklist_works_with_the_keyboard_alone(page: Page, site_url: str) -> None:
    page.goto(site_url + CHECKLIST)
    first = page.get_by_label("Checked: IT assets")
    first.focus()
    page.keyboard.press("Space")
    expect(first).to_be_checked()
    page.keyboard.press("Tab")  # the case study the item cites, then its note
    expect(page.get_by_role("link", name="Stronger Together").first).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Notes on IT assets")).to_be_focused()
    page.keyboard.type("Asset register is out of date")
    page.reload()
    expect(page.get_by_label("Notes on IT assets")).to_have_value("Asset register is out of date")


def test_printed_checklist_is_one_a4_page_with_every_item_and_no_navigation(
    page: Page, site_url: str
) -> None:
    page.goto(site_url + CHECKLIST)
    page.get_by_label("Checked: Competencies").check()
    page.get_by_label("Notes on Competencies").fill("OD lead named; IT lead to follow")
    page.emulate_media(media="print")
    for chrome in (".md-header", ".md-sidebar--primary", ".md-footer", ".bg-actions"):
        expect(page.locator(chrome).first).to_be_hidden()
    expect(page.locator(".bg-signoff")).to_be_visible()

    pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width) / 72 * 25.4), round(float(box.height) / 72 * 25.4)) == (210, 297)
    text = " ".join(reader.pages[0].extract_text().split())
    for label in CHECKLIST_LABELS:
        assert label in text
    assert "OD lead named; IT lead to follow" in text
    assert "Table of contents" not in text
    assert "Search" not in text


def first_search_result(page: Page, site_url: str, query: str) -> str:
    """The title of the first result Material's search shows for `query`."""
    page.goto(site_url)
    search = page.get_by_role("textbox", name="Search")
    search.click()
    search.press_sequentially(query, delay=30)
    first = page.locator(".md-search-result__item").first.locator("h1").first
    expect(first).to_be_visible()
    return " ".join(first.inner_text().split())


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("webchat", "Stronger Together: the Dorset tri-council merger"),
        ("Prosser", "Stronger Together: the Dorset tri-council merger"),
        ("broadband", "Bristol City Council: public/private partnerships and the ‘Bristol Group’"),
        (
            "Bristol Group",
            "Bristol City Council: public/private partnerships and the ‘Bristol Group’",
        ),
        ("Weymouth", "Stronger Together: the Dorset tri-council merger"),
        ("30%", "Stronger Together: the Dorset tri-council merger"),
        ("single email domain", "Stronger Together: the Dorset tri-council merger"),
        ("Max Wide", "Bristol City Council: public/private partnerships and the ‘Bristol Group’"),
        ("waste", "Bristol City Council: public/private partnerships and the ‘Bristol Group’"),
    ],
)
def test_search_puts_the_case_study_about_the_query_first(
    page: Page, site_url: str, query: str, expected: str
) -> None:
    assert first_search_result(page, site_url, query) == expected


def test_filtering_by_model_leaves_the_matching_case_studies(page: Page, site_url: str) -> None:
    page.goto(site_url + "case-studies/")
    dorset = page.locator(".bg-card").filter(has_text="Stronger Together")
    bristol = page.locator(".bg-card").filter(has_text="Bristol Group")
    count = page.get_by_role("status").filter(has_text="Showing")
    expect(count).to_have_text("Showing 2 of 2 case studies")

    page.get_by_role("checkbox", name=re.compile("^Merger")).check()
    expect(dorset).to_be_visible()
    expect(bristol).to_be_hidden()
    expect(count).to_have_text("Showing 1 of 2 case studies")

    page.get_by_role("checkbox", name="Superfast broadband").check()  # and: no match
    expect(dorset).to_be_hidden()
    expect(page.get_by_text("No case study matches these filters.")).to_be_visible()

    page.get_by_role("button", name="Clear all filters").click()
    expect(dorset).to_be_visible()
    expect(bristol).to_be_visible()
    expect(count).to_have_text("Showing 2 of 2 case studies")


def test_without_javascript_the_index_shows_every_case_study(
    browser: Browser, site_url: str
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "case-studies/")
    expect(page.locator(".bg-card")).to_have_count(2)
    for card in page.locator(".bg-card").all():
        expect(card).to_be_visible()
    expect(page.locator("form[data-bg-filters]")).to_be_hidden()
    context.close()


def test_compare_page_prints_the_table_without_navigation(page: Page, site_url: str) -> None:
    page.goto(site_url + "compare/")
    page.emulate_media(media="print")
    expect(page.locator(".md-sidebar--primary")).to_be_hidden()
    reader = PdfReader(io.BytesIO(page.pdf(format="A4", prefer_css_page_size=True)))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    for expected in (
        "Councils",
        "What helped",
        "Challenges",
        "North Dorset",
        "Bristol City Council",
    ):
        assert expected in text
    assert "Table of contents" not in text
    # The table of chosen case studies, built by the script, prints the same way.
    page.emulate_media(media="screen")
    page.goto(site_url + "compare/?with=dorset")
    expect(page.locator("[data-bg-compare-status]")).to_have_text(
        "Showing the case study you chose."
    )
    page.emulate_media(media="print")
    reader = PdfReader(io.BytesIO(page.pdf(format="A4", prefer_css_page_size=True)))
    text = " ".join(" ".join(p.extract_text() for p in reader.pages).split())
    assert "North Dorset" in text and "Harmonising IT policies" in text
    assert "Max Wide" not in text and "Table of contents" not in text


def test_a_title_that_fits_the_line_takes_one_line(page: Page, site_url: str) -> None:
    # At 1280 px Dorset's title nearly fills the line; its hidden "¶" once wrapped below it.
    page.set_viewport_size({"width": 1280, "height": 800})
    page.goto(site_url + "case-studies/dorset/")
    title = page.locator("article h1")
    height = title.evaluate("h => h.getBoundingClientRect().height")
    line = title.evaluate("h => parseFloat(getComputedStyle(h).lineHeight)")
    assert height < 1.5 * line
    # Headings below the title keep their permalinks.
    expect(page.locator("article h2#outcomes .headerlink")).to_have_attribute("href", "#outcomes")


def test_a_reader_chooses_case_studies_to_compare_on_the_index(page: Page, site_url: str) -> None:
    page.goto(site_url + "case-studies/")
    status = page.locator("[data-bg-pick-count]")
    expect(status).to_have_text("None chosen yet: tick “Compare” on two or more.")
    page.get_by_label(
        "Compare Stronger Together: the Dorset tri-council merger", exact=True
    ).check()
    expect(status).to_have_text("1 chosen")
    page.get_by_role("link", name="Compare the chosen case studies").click()
    expect(page).to_have_url(re.compile(r"/compare/\?with=dorset$"))
    expect(page.locator("[data-bg-compare-status]")).to_have_text(
        "Showing the case study you chose."
    )
    table = page.locator(".bg-compare table")
    expect(table.locator("caption")).to_have_text("The case studies you chose, compared")
    expect(table.locator("thead th a")).to_have_text(
        ["Stronger Together: the Dorset tri-council merger"]
    )
    expect(table).not_to_contain_text("Max Wide")  # Bristol's speaker
    outcomes = table.locator("tbody tr", has=page.locator("th", has_text="Outcomes"))
    expect(outcomes).to_contain_text("Reduction in costs: 30% (achieved)")
    # The figure's source, read off Dorset's page, still leads there.
    source = outcomes.get_by_role("link")
    expect(source).to_have_attribute("href", "../case-studies/dorset/#source-eduserv-bristol-event")
    source.click()
    expect(page).to_have_url(re.compile(r"/case-studies/dorset/#source-eduserv-bristol-event$"))


def test_comparing_by_address_names_a_case_study_it_cannot_find(page: Page, site_url: str) -> None:
    page.goto(site_url + "compare/?with=bristol,no-such-study,dorset")
    expect(page.locator("[data-bg-compare-status]")).to_have_text(
        "No case study could be found for: no-such-study."
    )
    expect(page.locator(".bg-compare thead th a")).to_have_count(2)
    rows = page.locator(".bg-compare tbody th")
    expect(rows).to_have_text(COMPARE_ROWS)


def test_comparing_more_than_twelve_shows_the_first_twelve(page: Page, project: Site) -> None:
    extra = [f"extra-{n:02d}" for n in range(1, 12)]
    for study in extra:
        project.write(
            f"case_studies/{study}.yaml", MINIMAL_CASE_STUDY.format(id=study, title=study)
        )
    project.build()
    with serve(project.site_dir) as url:
        page.goto(url + "compare/?with=" + ",".join(["bristol", "dorset", *extra]))
        expect(page.locator("[data-bg-compare-status]")).to_have_text(
            "Showing the first 12 of the 13 case studies you chose."
        )
        expect(page.locator(".bg-compare thead th a")).to_have_count(12)
        expect(page.locator(".bg-compare thead th a").last).to_have_text("extra-10")
