"""The checklist in Chromium, as a reader uses it: ticks and notes kept in this browser,
saved to a file and loaded back (in another browser too), cleared only when the reader
says so and put back with Undo, and printed whole. (The checklist's PDF, built by
WeasyPrint: tests/site/test_checklists.py.)"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import (
    CHECKLIST,
    CHECKLIST_LABELS,
    Site,
    pdf_page_texts,
    pdf_rasters,
    pdf_words,
    serve,
    study,
)
from playwright.sync_api import Browser, Locator, Page, expect

pytestmark = pytest.mark.browser

LABELS = CHECKLIST_LABELS
PAGE = f"checklists/{CHECKLIST.id}/"
FILE = f"{CHECKLIST.id}-answers.json"
# What a reader can press, in the order it comes: Clear last, and set apart.
BUTTONS = ["Print", "Save answers", "Load answers", "Download the PDF", "Clear ticks and notes"]
QUESTION = "Clear all ticks and notes?"
HOSTILE = '<img src=x onerror=alert(1)>"><script>alert(2)</script>'


def tick(page: Page, index: int) -> Locator:
    return page.get_by_label(f"Done: {LABELS[index]}")


def note(page: Page, index: int) -> Locator:
    return page.get_by_label(f"Notes on {LABELS[index]}")


def status(page: Page) -> Locator:
    return page.get_by_role("status")


def done(count: int) -> str:
    return f"{count} of {len(LABELS)} done"


def version(page: Page) -> str:
    return page.locator("[data-checklist]").get_attribute("data-version") or ""


def load(page: Page, name: str, content: str | bytes | dict[str, Any]) -> None:
    """Load a file of answers as a reader does: Load answers, then a file chosen."""
    if isinstance(content, dict):
        content = json.dumps(content)
    if isinstance(content, str):
        content = content.encode()
    with page.expect_file_chooser() as choosing:
        page.get_by_role("button", name="Load answers").click()
    choosing.value.set_files({"name": name, "mimeType": "application/json", "buffer": content})


def printed(page: Page, folder: Path) -> Path:
    """The page as Chromium prints it on A4, as a PDF."""
    path = folder / "printed.pdf"
    path.write_bytes(page.pdf(format="A4", prefer_css_page_size=True))
    return path


def test_ticks_and_notes_survive_a_reload(page: Page, site_url: str) -> None:
    page.goto(site_url + PAGE)
    tick(page, 0).check()
    tick(page, 2).check()
    note(page, 2).fill("Ask the CIO by Friday")
    expect(status(page)).to_have_text(done(2))
    page.reload()
    expect(tick(page, 0)).to_be_checked()
    expect(tick(page, 2)).to_be_checked()
    expect(tick(page, 1)).not_to_be_checked()
    expect(note(page, 2)).to_have_value("Ask the CIO by Friday")
    expect(status(page)).to_have_text(done(2))
    # Where they are kept is said on the page.
    expect(page.locator(".bg-actions")).to_contain_text(
        "Your ticks and notes are kept in this browser only, on this device; nothing is "
        "sent anywhere. Save them to a file to keep them or pass them on."
    )


def test_the_same_checklist_in_another_tab_shows_the_latest_answers(
    page: Page, site_url: str
) -> None:
    """Two tabs of one checklist: a tick in one is in the other, so that neither tab's
    next change writes over the other's."""
    page.goto(site_url + PAGE)
    other = page.context.new_page()
    try:
        other.goto(site_url + PAGE)
        tick(other, 3).check()
        note(other, 3).fill("From the other tab")
        expect(tick(page, 3)).to_be_checked()
        expect(note(page, 3)).to_have_value("From the other tab")
        expect(status(page)).to_have_text(done(1))
        tick(page, 0).check()  # and the first tab's change keeps the other's
        page.reload()
        expect(tick(page, 3)).to_be_checked()
        expect(note(page, 3)).to_have_value("From the other tab")
    finally:
        other.close()


def test_a_browser_that_keeps_nothing_says_so_and_the_checklist_still_works(
    page: Page, site_url: str
) -> None:
    # (Material's own inline scripts throw on such a browser: what it shows is checked.)
    page.add_init_script(
        "Object.defineProperty(window, 'localStorage', "
        "{get() { throw new DOMException('The storage is off.', 'SecurityError'); }});"
    )
    page.goto(site_url + PAGE)
    expect(page.locator(".bg-actions")).to_contain_text(
        "This browser is not keeping your ticks and notes (its storage is off); nothing is "
        "sent anywhere. Save them to a file to keep them."
    )
    tick(page, 1).check()
    expect(status(page)).to_have_text(done(1))


def test_checklist_works_with_the_keyboard_alone(page: Page, site_url: str) -> None:
    page.goto(site_url + PAGE)
    first = tick(page, 0)
    first.focus()
    page.keyboard.press("Space")
    expect(first).to_be_checked()
    (cited,) = CHECKLIST.items[0].case_studies
    page.keyboard.press("Tab")  # the case study the item cites, then its note
    expect(page.get_by_role("link", name=study(cited).title).first).to_be_focused()
    page.keyboard.press("Tab")
    expect(note(page, 0)).to_be_focused()
    page.keyboard.type("Asset register is out of date")
    page.reload()
    expect(note(page, 0)).to_have_value("Asset register is out of date")


def test_clear_asks_first_keep_keeps_and_undo_puts_everything_back(
    page: Page, site_url: str
) -> None:
    """By keyboard, as a reader without a mouse clears."""
    page.goto(site_url + PAGE)
    tick(page, 0).check()
    note(page, 1).fill("Legal to list every contract")
    clear = page.get_by_role("button", name="Clear ticks and notes")
    question = page.get_by_role("group", name=QUESTION)
    keep = question.get_by_role("button", name="Keep")
    expect(question).to_be_hidden()

    def answers_kept() -> None:
        expect(question).to_be_hidden()
        expect(clear).to_be_focused()
        expect(tick(page, 0)).to_be_checked()
        expect(note(page, 1)).to_have_value("Legal to list every contract")

    # Clear asks; the answer under the reader's finger is the safe one.
    clear.focus()
    page.keyboard.press("Enter")
    expect(question).to_be_visible()
    expect(clear).to_be_hidden()
    expect(keep).to_be_focused()
    page.keyboard.press("Enter")
    answers_kept()
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")  # Escape keeps too
    answers_kept()

    page.keyboard.press("Enter")
    page.keyboard.press("Shift+Tab")
    expect(question.get_by_role("button", name="Clear")).to_be_focused()
    page.keyboard.press("Enter")
    expect(tick(page, 0)).not_to_be_checked()
    expect(note(page, 1)).to_have_value("")
    expect(status(page)).to_have_text(f"Cleared every tick and note. {done(0)}.")
    undo = page.get_by_role("button", name="Undo")
    expect(undo).to_be_focused()
    page.keyboard.press("Enter")
    answers_kept()
    expect(undo).to_be_hidden()
    expect(status(page)).to_have_text(f"Ticks and notes put back as they were. {done(1)}.")
    page.reload()  # and kept so
    expect(tick(page, 0)).to_be_checked()
    expect(note(page, 1)).to_have_value("Legal to list every contract")

    # Undo puts back the reader's own answers, a second Clear in a row too; and it is
    # gone once the reader writes anew.
    for _ in range(2):
        clear.click()
        question.get_by_role("button", name="Clear").click()
    undo.click()
    expect(tick(page, 0)).to_be_checked()
    expect(note(page, 1)).to_have_value("Legal to list every contract")
    clear.click()
    question.get_by_role("button", name="Clear").click()
    expect(undo).to_be_visible()
    tick(page, 2).check()
    expect(undo).to_be_hidden()
    expect(status(page)).to_have_text(done(1))


def test_printed_checklist_is_one_a4_page_with_every_item_its_ticks_and_notes(
    page: Page, site_url: str, tmp_path: Path
) -> None:
    page.goto(site_url + PAGE)
    tick(page, 1).check()
    tick(page, 3).check()
    note(page, 3).fill("OD lead named; IT lead to follow")
    note(page, 3).focus()  # its focus ring is not printed: the box is not
    page.emulate_media(media="print")
    for chrome in (".md-header", ".md-sidebar--primary", ".md-footer", ".bg-actions"):
        expect(page.locator(chrome).first).to_be_hidden()
    expect(note(page, 3)).to_be_hidden()
    expect(page.locator("[data-bg-note-copy]").nth(3)).to_have_text(
        "OD lead named; IT lead to follow"
    )
    expect(page.locator(".bg-signoff")).to_be_visible()

    pdf = printed(page, tmp_path)
    (text,) = pdf_page_texts(pdf)
    (drawn,) = pdf_rasters(pdf)
    assert (round(drawn.width / drawn.dpi * 25.4), round(drawn.height / drawn.dpi * 25.4)) == (
        210,
        297,
    )
    for label in LABELS:
        assert label in text
    assert "OD lead named; IT lead to follow" in text
    assert f"Printed from {site_url}{PAGE}." in text  # the script knows the address
    assert "Table of contents" not in text
    assert "Search" not in text
    # Ticked boxes print ticked: the box left of each "Done" is mostly ink when ticked,
    # an outline when not.
    boxes = [word for word in pdf_words(pdf) if word.text == "Done"]
    inked = [drawn.dark_share(b.left - 6, b.top - 1, b.left - 0.5, b.bottom + 1) for b in boxes]
    assert [share > 0.2 for share in inked] == [i in (1, 3) for i in range(len(LABELS))], inked


def test_long_notes_print_whole_with_each_item_kept_whole(
    page: Page, site_url: str, tmp_path: Path
) -> None:
    """Ten lines of notes on every item cannot fit one page: each item goes whole onto a
    page, never its heading on one and its notes on the next, and the sign-off goes with
    the last item."""
    page.goto(site_url + PAGE)
    lines = [
        [f"Item {index + 1}, line {n}: who does what by when." for n in range(1, 11)]
        for index in range(len(LABELS))
    ]
    for index, written in enumerate(lines):
        note(page, index).fill("\n".join(written))
    pages = pdf_page_texts(printed(page, tmp_path))
    assert len(pages) > 1
    for index, label in enumerate(LABELS):
        (holding,) = [text for text in pages if f"{index + 1}. {label}" in text]
        for line in lines[index]:
            assert line in holding
    (signed,) = [text for text in pages if "Council" in text and "Printed from" in text]
    assert f"{len(LABELS)}. {LABELS[-1]}" in signed


def test_saved_answers_load_in_another_browser(page: Page, browser: Browser, site_url: str) -> None:
    page.goto(site_url + PAGE)
    tick(page, 1).check()
    note(page, 1).fill("Two contracts end in 2026")
    note(page, 4).fill("Procedures differ:\nrevenues, benefits")
    with page.expect_download() as saving:
        page.get_by_role("button", name="Save answers").click()
    saved = saving.value
    assert saved.suggested_filename == FILE
    text = Path(saved.path()).read_text(encoding="utf-8")
    assert text.startswith('{\n  "checklist"')  # a line a field: readable by a person
    answers = json.loads(text)
    written = {1: "Two contracts end in 2026", 4: "Procedures differ:\nrevenues, benefits"}
    assert answers == {
        "checklist": CHECKLIST.id,
        "version": version(page),
        "title": CHECKLIST.title,
        "saved": answers["saved"],
        "site": site_url + PAGE,
        "items": [
            {"n": i + 1, "label": label, "done": i == 1, "note": written.get(i, "")}
            for i, label in enumerate(LABELS)
        ],
    }
    when = dt.datetime.fromisoformat(answers["saved"])
    assert abs(dt.datetime.now(dt.UTC) - when) < dt.timedelta(minutes=5)
    expect(status(page)).to_have_text(f"Saved your answers as {FILE}. {done(1)}.")

    other = browser.new_context()  # another browser: nothing stored
    try:
        elsewhere = other.new_page()
        elsewhere.goto(site_url + PAGE)
        expect(tick(elsewhere, 1)).not_to_be_checked()
        load(elsewhere, FILE, text)
        expect(status(elsewhere)).to_have_text(f"Loaded the answers from {FILE}. {done(1)}.")
        for index in range(len(LABELS)):
            expect(tick(elsewhere, index)).to_be_checked(checked=index == 1)
            expect(note(elsewhere, index)).to_have_value(written.get(index, ""))
        elsewhere.reload()  # and kept in that browser
        expect(note(elsewhere, 4)).to_have_value(written[4])
    finally:
        other.close()


def test_loading_refuses_what_is_not_this_checklists_answers_and_runs_nothing(
    page: Page, site_url: str
) -> None:
    happened: list[str] = []
    page.on("dialog", lambda dialog: (happened.append(dialog.message), dialog.dismiss()))
    page.on("pageerror", lambda error: happened.append(str(error)))
    page.on("console", lambda message: message.type == "error" and happened.append(message.text))
    page.goto(site_url + PAGE)
    tick(page, 0).check()
    note(page, 0).fill("Mine")
    good = {"checklist": CHECKLIST.id, "version": version(page), "items": []}
    not_saved = "its items are not as Save answers writes them"
    refused: dict[str, tuple[str | bytes | dict[str, Any], str]] = {
        "other.json": (
            {**good, "checklist": "another-list"},
            "that file holds the answers to another checklist",
        ),
        "older.json": (
            {**good, "version": "0" * 12},
            "this checklist has changed since those answers were saved, so they may not fit "
            "its items",
        ),
        "notes.txt": ("Technology estate: done", "that file is not JSON, as Save answers writes"),
        "list.json": ("[]", "that file is not one Save answers wrote"),
        "no-items.json": ({**good, "items": {"1": True}}, not_saved),
        "unknown-item.json": ({**good, "items": [{"n": 99, "done": True}]}, not_saved),
        "twice.json": ({**good, "items": [{"n": 1}, {"n": 1}]}, not_saved),
        "yes.json": ({**good, "items": [{"n": 1, "done": "yes"}]}, not_saved),
        "long.json": ({**good, "items": [{"n": 1, "note": "x" * 4001}]}, not_saved),
        "huge.json": (b" " * 1_000_001, "that file is larger than a file of answers can be"),
    }
    for name, (content, why) in refused.items():
        load(page, name, content)
        expect(status(page)).to_have_text(f"Not loaded: {why}. Nothing was changed. {done(1)}.")
        expect(tick(page, 0)).to_be_checked()
        expect(note(page, 0)).to_have_value("Mine")

    # Markup in a file is text: shown as written, never run.
    load(page, "hostile.json", {**good, "title": HOSTILE, "items": [{"n": 2, "note": HOSTILE}]})
    expect(note(page, 1)).to_have_value(HOSTILE)
    expect(page.locator("[data-bg-note-copy]").nth(1)).to_have_text(HOSTILE)
    expect(page.locator(".bg-print img, .bg-print script")).to_have_count(0)
    page.emulate_media(media="print")
    expect(page.locator("[data-bg-note-copy]").nth(1)).to_be_visible()
    assert happened == []


def test_each_site_on_a_host_keeps_its_own_ticks(page: Page, library: Site, tmp_path: Path) -> None:
    """Two copies of a site under one host, as two repositories' GitHub Pages are."""
    for folder in ("a", "b"):
        (tmp_path / folder).symlink_to(library.site_dir)
    with serve(tmp_path) as host:
        page.goto(f"{host}a/{PAGE}")
        key = f"checklist:{CHECKLIST.id}:{version(page)}"
        # A tick kept before keys had the site's path moves to the first site that reads it.
        page.evaluate(
            "([key, value]) => localStorage.setItem(key, value)",
            [f"briefgen:{key}", json.dumps({"ticks": {"2": True}, "notes": {}})],
        )
        page.reload()
        expect(tick(page, 1)).to_be_checked()
        tick(page, 0).check()

        page.goto(f"{host}b/{PAGE}")
        expect(status(page)).to_have_text(done(0))
        tick(page, 4).check()

        page.goto(f"{host}a/{PAGE}")
        expect(status(page)).to_have_text(done(2))
        expect(tick(page, 4)).not_to_be_checked()
        stored = page.evaluate("Object.keys(localStorage)")
        ours = sorted(name for name in stored if name.startswith("briefgen:"))
        assert ours == [f"briefgen:/a/:{key}", f"briefgen:/b/:{key}"]


@pytest.mark.parametrize("width", [1280, 390])
def test_the_checklists_buttons_come_in_order_at_one_height(
    page: Page, site_url: str, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(site_url + PAGE)
    shown = page.locator(".bg-actions").locator("button:visible, a:visible")

    def boxes() -> list[dict[str, float]]:
        """Each shown button's box, checked to be of one height and no smaller than the
        24 by 24 pixels WCAG 2.2 asks of a target."""
        found = shown.evaluate_all("all => all.map((b) => b.getBoundingClientRect().toJSON())")
        heights = [box["height"] for box in found]
        assert max(heights) - min(heights) <= 0.5, heights
        assert min(heights) >= 24 and min(box["width"] for box in found) >= 24
        return found

    expect(shown).to_have_text(BUTTONS)
    first = boxes()
    # Clear is set apart: below all the others.
    assert first[-1]["top"] > max(box["bottom"] for box in first[:-1])
    # The question's answers, and Undo, are buttons of the same height.
    page.get_by_role("button", name=BUTTONS[-1]).click()
    expect(shown).to_have_text([*BUTTONS[:-1], "Clear", "Keep"])
    boxes()
    page.get_by_role("group", name=QUESTION).get_by_role("button", name="Clear").click()
    expect(shown).to_have_text([*BUTTONS[:-1], "Undo", BUTTONS[-1]])
    assert boxes()[0]["height"] == first[0]["height"]


def test_without_the_script_only_the_pdf_link_shows(page: Page, site_url: str) -> None:
    """Without the script nothing could work but the link: the rest stays hidden."""
    page.route("**/assets/briefgen/briefgen.js", lambda route: route.abort())
    page.goto(site_url + PAGE)
    actions = page.locator(".bg-actions")
    expect(actions.locator("a:visible, button:visible")).to_have_text(["Download the PDF"])
    expect(actions.get_by_text("kept in this browser")).to_be_hidden()
    expect(tick(page, 0)).to_be_visible()
