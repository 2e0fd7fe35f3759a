"""Checklists on paper and as PDFs: what a board member prints or downloads."""

from __future__ import annotations

import shutil
from pathlib import Path

from bs4 import BeautifulSoup
from conftest import (
    BRIEFING,
    CHECKLIST,
    CHECKLIST_LABELS,
    CONFIGURED,
    Site,
    long_date,
    pdf_pages,
    study,
)
from conftest import pdf_text as read_pdf

LABELS = CHECKLIST_LABELS
PAGE = f"checklists/{CHECKLIST.id}/"
CHECKLIST_PDF = f"checklists/{CHECKLIST.id}.pdf"
PACK = f"{BRIEFING.id}.pdf"


def pdf_text(path: Path) -> tuple[int, str]:
    """A PDF's page count, and its words on one line."""
    return pdf_pages(path), read_pdf(path)


def test_each_item_is_a_labelled_checkbox_with_a_note(library: Site) -> None:
    soup = BeautifulSoup(library.html(PAGE), "lxml")
    boxes = soup.select("article input[type=checkbox]")
    assert len(boxes) == len(LABELS)
    for box, label in zip(boxes, LABELS, strict=True):
        text = soup.find("label", attrs={"for": box["id"]}).get_text()
        assert text == f"Checked: {label}"
    notes = soup.select("article textarea")
    assert [soup.find("label", attrs={"for": n["id"]}).get_text() for n in notes] == [
        f"Notes on {label}" for label in LABELS
    ]
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
