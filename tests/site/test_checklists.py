"""Checklists on paper and as PDFs: what a board member prints or downloads."""

from __future__ import annotations

import itertools
import re
import shutil
from pathlib import Path

from bs4 import BeautifulSoup
from conftest import (
    BRIEFING,
    CHECKLIST,
    CHECKLIST_LABELS,
    CONFIGURED,
    HOST,
    LibraryVariant,
    Site,
    long_date,
    pdf_pages,
    pdf_rasters,
    pdf_words,
    study,
)
from conftest import pdf_text as read_pdf

LABELS = CHECKLIST_LABELS
PAGE = f"checklists/{CHECKLIST.id}/"
CHECKLIST_PDF = f"checklists/{CHECKLIST.id}.pdf"
PACK = f"{BRIEFING.id}.pdf"
MARGIN = 14
"""The checklist's left and right margins on paper, in millimetres (briefgen.css)."""


def pdf_text(path: Path) -> tuple[int, str]:
    """A PDF's page count, and its words on one line."""
    return pdf_pages(path), read_pdf(path)


def test_each_item_is_a_labelled_checkbox_with_a_note(library: Site) -> None:
    soup = BeautifulSoup(library.html(PAGE), "lxml")
    boxes = soup.select("article input[type=checkbox]")
    assert len(boxes) == len(LABELS)
    for box, label in zip(boxes, LABELS, strict=True):
        text = soup.find("label", attrs={"for": box["id"]}).get_text()
        assert text == f"Done: {label}"
    notes = soup.select("article textarea")
    assert [soup.find("label", attrs={"for": n["id"]}).get_text() for n in notes] == [
        f"Notes on {label}" for label in LABELS
    ]
    # Each note has its printed copy beside it, for paper only: no word of it is read out
    # or searched (the script fills it in).
    for note in notes:
        copy = note.find_next_sibling()
        assert "data-bg-note-copy" in copy.attrs
        assert copy["aria-hidden"] == "true" and "data-pagefind-ignore" in copy.attrs
    cited = [
        [a["href"] for a in item.select("a[href*='case-studies/']")]
        for item in soup.select(".bg-item")
    ]
    # Each item links the case studies it cites (one, several or none), in its order.
    assert cited == [
        [f"../../case-studies/{case_study}/" for case_study in item.case_studies]
        for item in CHECKLIST.items
    ]
    assert {len(links) for links in cited} >= {0, 1, 2}
    checklist = soup.select_one("[data-checklist]")
    assert checklist["data-checklist"] == CHECKLIST.id
    assert len(checklist["data-version"]) == 12


def test_checklist_version_changes_with_its_content(library: Site, library_project: Site) -> None:
    library_project.plugin_options(pdf=False)  # the page's version is the point here
    before = BeautifulSoup(library.html(PAGE), "lxml")
    briefing = library_project.root / "briefings" / f"{BRIEFING.id}.yaml"
    text = briefing.read_text()
    assert text.count(f"- label: {LABELS[2]}\n") == 1
    briefing.write_text(text.replace(f"- label: {LABELS[2]}\n", f"- label: Our {LABELS[2]}\n"))
    library_project.build()
    after = BeautifulSoup(library_project.html(PAGE), "lxml")
    version = "[data-version]"
    assert before.select_one(version)["data-version"] != after.select_one(version)["data-version"]


def test_checklist_pdf_holds_every_item_on_one_page(library: Site) -> None:
    pages, text = pdf_text(library.site_dir / CHECKLIST_PDF)
    assert pages == 1
    for item in CHECKLIST.items:
        assert item.label in text
        for question in item.questions:
            assert question in text
    for field in ("Name", "Role", "Council", "Date"):
        assert field in text
    assert BRIEFING.reviewed is not None
    assert f"Content last reviewed on {long_date(BRIEFING.reviewed)}" in text
    assert "Download the PDF" not in text


def test_checklist_pdf_has_a_done_box_and_three_ruled_lines_an_item_inside_its_margins(
    library_variant: LibraryVariant,
) -> None:
    site = library_variant(site_url=f"{HOST}/repo/")  # as tests/site/test_links.py's
    pdf = site.site_dir / CHECKLIST_PDF
    (page,) = pdf_rasters(pdf)
    # A box to tick, labelled "Done" (not "Checked", which beside an empty box reads as
    # a status), on each item's line.
    done = [word for word in pdf_words(pdf) if word.text == "Done"]
    assert len(done) == len(LABELS)
    assert f"Printed from {HOST}/repo/{PAGE}." in read_pdf(pdf)
    # Nothing past the page's margins (14 mm a side): no ink at all there, where the box
    # and its label once stuck out.
    width = 210
    for margin in page.rows(0, MARGIN - 0.5), page.rows(width - MARGIN + 0.5):
        assert min(map(min, margin)) > 200
    assert max(word.right for word in done) <= width - MARGIN
    # Three ruled lines to write notes on an item: a rule is a row of ink across most of
    # the page's width (the sign-off's lines are half as long, and text has gaps).
    rule = re.compile(rb"[\x00-\xc7]{%d,}" % page.px((width - 2 * MARGIN) * 0.6))
    inked = [y for y, row in enumerate(page.rows(MARGIN, width - MARGIN)) if rule.search(row)]
    rules = [y for y in inked if y - 1 not in inked]  # a rule a pixel or two thick
    assert len(rules) == 3 * len(LABELS), rules
    # Each item's three lines below its "Done", before the next item's.
    tops = [page.px(word.top) for word in done] + [page.height]
    for top, next_top in itertools.pairwise(tops):
        assert len([y for y in rules if top < y < next_top]) == 3


def test_checklist_page_and_home_page_link_to_their_pdfs(library: Site) -> None:
    checklist = BeautifulSoup(library.html(PAGE), "lxml")
    assert checklist.find("a", string="Download the PDF")["href"] == f"../{CHECKLIST.id}.pdf"
    home = BeautifulSoup(library.html(""), "lxml")
    pack = home.find("a", string="Briefing pack (PDF)")
    assert pack["href"] == PACK
    assert (library.site_dir / pack["href"]).stat().st_size > 10_000


def test_pdfs_can_be_turned_off(configured: Site) -> None:
    assert CONFIGURED["pdf"] is False
    assert list(configured.site_dir.rglob("*.pdf")) == []
    assert "Download the PDF" not in configured.html(PAGE)
    assert "briefing pack" not in configured.html("")


def test_an_unchanged_pdf_comes_from_the_cache_and_a_changed_one_is_laid_out_again(
    library_project: Site,
) -> None:
    project = library_project
    cache = project.root / ".cache" / "briefgen" / "pdf"
    project.build()
    # The cache holds this build's PDFs and no others (it started with the session's).
    kept = {path.read_bytes(): path for path in cache.glob("*.pdf")}
    assert set(kept) == {
        (project.site_dir / PACK).read_bytes(),
        (project.site_dir / CHECKLIST_PDF).read_bytes(),
    }

    # Unchanged: the site gets the cached bytes, whatever they are; nothing is laid out.
    marked = b"%PDF-1.7 cached\n"
    kept[(project.site_dir / PACK).read_bytes()].write_bytes(marked)
    shutil.rmtree(project.site_dir)
    project.build()
    assert (project.site_dir / PACK).read_bytes() == marked

    # Changed: a cited case study's new title, and a version, are in a pack laid out
    # afresh; the title as written, not as HTML.
    featured = study(BRIEFING.case_studies[0])
    path = project.root / "case_studies" / f"{featured.id}.yaml"
    text = path.read_text()
    assert text.count(f'title: "{featured.title}"\n') == 1
    path.write_text(
        text.replace(f'title: "{featured.title}"', 'title: "Stronger Together: a merger & more"')
    )
    project.plugin_options(version="v1.2-test")
    project.build()
    _, text = pdf_text(project.site_dir / PACK)
    contents = text[text.index("Contents") :]
    assert "Stronger Together: a merger & more" in contents
    assert "&amp;" not in text and "&#39;" not in text
    assert "version v1.2-test" in text
    # The cache holds this build's PDFs only: the new pack and the checklist.
    assert sorted(path.read_bytes() for path in cache.glob("*.pdf")) == sorted(
        [(project.site_dir / PACK).read_bytes(), (project.site_dir / CHECKLIST_PDF).read_bytes()]
    )
    assert marked not in {path.read_bytes() for path in cache.glob("*.pdf")}
