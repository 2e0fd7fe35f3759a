"""Checklists on paper and as PDFs: what a board member prints or downloads."""

from __future__ import annotations

import io
import shutil

from bs4 import BeautifulSoup
from conftest import CHECKLIST_LABELS, Site
from pypdf import PdfReader

LABELS = CHECKLIST_LABELS


def pdf_text(path) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return len(reader.pages), " ".join(text.split())


def test_each_item_is_a_labelled_checkbox_with_a_note(built: Site) -> None:
    soup = BeautifulSoup(built.html("checklists/it-due-diligence/"), "html.parser")
    boxes = soup.select("article input[type=checkbox]")
    assert len(boxes) == 5
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
    assert cited[0] == ["../../case-studies/dorset/"]  # IT assets: webchat in Dorset
    assert cited[3] == ["../../case-studies/bristol/"]  # Competencies: OD and IT in Bristol
    checklist = soup.select_one("[data-checklist]")
    assert checklist["data-checklist"] == "it-due-diligence"
    assert len(checklist["data-version"]) == 12


def test_checklist_version_changes_with_its_content(project: Site) -> None:
    project.build()
    before = BeautifulSoup(project.html("checklists/it-due-diligence/"), "html.parser")
    briefing = project.root / "briefings" / "shared-services-getting-it-right.yaml"
    briefing.write_text(briefing.read_text().replace("- label: Capacity", "- label: IT capacity"))
    project.build()
    after = BeautifulSoup(project.html("checklists/it-due-diligence/"), "html.parser")
    version = "[data-version]"
    assert before.select_one(version)["data-version"] != after.select_one(version)["data-version"]


def test_checklist_pdf_holds_every_item_on_one_page(built: Site) -> None:
    pages, text = pdf_text(built.site_dir / "checklists" / "it-due-diligence.pdf")
    assert pages == 1
    for label in LABELS:
        assert label in text
    assert "Which IT contracts does each partner hold, with whom, and when do they end?" in text
    for field in ("Name", "Role", "Council", "Date"):
        assert field in text
    assert "Content last reviewed on 28 November 2026" in text
    assert "Download the PDF" not in text


def test_checklist_page_and_home_page_link_to_their_pdfs(built: Site) -> None:
    checklist = BeautifulSoup(built.html("checklists/it-due-diligence/"), "html.parser")
    assert checklist.find("a", string="Download the PDF")["href"] == "../it-due-diligence.pdf"
    home = BeautifulSoup(built.html(""), "html.parser")
    pack = home.find("a", string="Download the briefing pack (PDF)")
    assert pack["href"] == "shared-services-getting-it-right.pdf"
    assert (built.site_dir / pack["href"]).stat().st_size > 10_000


def test_briefing_pack_has_cover_contents_case_studies_and_checklist(built: Site) -> None:
    pages, text = pdf_text(built.site_dir / "shared-services-getting-it-right.pdf")
    assert pages >= 5
    assert text.startswith("Shared Services – Getting IT Right")
    assert "Briefing pack built on" in text
    contents = text[text.index("Contents") :]
    for title in (
        "Bristol City Council: public/private partnerships and the ‘Bristol Group’",
        "Stronger Together: the Dorset tri-council merger",
        "Due diligence for a shared services programme: getting the IT right",
    ):
        assert title in contents
    for fact in ("Matt Prosser", "webchat", "Max Wide", "superfast broadband", *LABELS):
        assert fact in text
    reader = PdfReader(
        io.BytesIO((built.site_dir / "shared-services-getting-it-right.pdf").read_bytes())
    )
    assert reader.pages[2].extract_text().strip().endswith("3")  # page numbers


def test_pdfs_can_be_turned_off(project: Site) -> None:
    project.plugin_options(pdf=False)
    project.build()
    assert list(project.site_dir.rglob("*.pdf")) == []
    assert "Download the PDF" not in project.html("checklists/it-due-diligence/")
    assert "briefing pack" not in project.html("")


def test_briefing_pack_shows_titles_as_written_and_version(project: Site) -> None:
    dorset = project.root / "case_studies" / "dorset.yaml"
    dorset.write_text(
        dorset.read_text().replace(
            'title: "Stronger Together: the Dorset tri-council merger"',
            'title: "Stronger Together: Dorset\'s merger & more"',
        )
    )
    project.plugin_options(version="2026.1")
    project.build()
    _, text = pdf_text(project.site_dir / "shared-services-getting-it-right.pdf")
    contents = text[text.index("Contents") :]
    assert "Stronger Together: Dorset's merger & more" in contents
    assert "&amp;" not in text and "&#39;" not in text
    assert "version 2026.1" in text


def test_briefing_pack_takes_in_a_hand_written_home_page(project: Site) -> None:
    project.write("docs/index.md", "# Our own overview\n\nWritten by hand for the board.\n")
    project.build(strict=False)  # the hand-written page drops anchors others link to
    _, text = pdf_text(project.site_dir / "shared-services-getting-it-right.pdf")
    assert "Written by hand for the board." in text


def test_an_unchanged_pdf_comes_from_the_cache_and_a_changed_one_is_laid_out_again(
    project: Site,
) -> None:
    pack = "shared-services-getting-it-right.pdf"
    checklist = "checklists/it-due-diligence.pdf"
    project.build()
    cache = project.root / ".cache" / "briefgen" / "pdf"
    kept = {path.read_bytes(): path for path in cache.glob("*.pdf")}
    assert set(kept) == {
        (project.site_dir / pack).read_bytes(),
        (project.site_dir / checklist).read_bytes(),
    }

    # Unchanged: the site gets the cached bytes, whatever they are; nothing is laid out.
    marked = b"%PDF-1.7 cached\n"
    kept[(project.site_dir / pack).read_bytes()].write_bytes(marked)
    shutil.rmtree(project.site_dir)
    project.build()
    assert (project.site_dir / pack).read_bytes() == marked

    # Changed: a cited case study's new title is in a pack laid out afresh.
    dorset = project.root / "case_studies" / "dorset.yaml"
    dorset.write_text(dorset.read_text().replace("Stronger Together", "Stronger Still", 1))
    project.build()
    _, text = pdf_text(project.site_dir / pack)
    assert "Stronger Still" in text
    # The cache holds this build's PDFs only: the new pack and the unchanged checklist.
    assert sorted(path.read_bytes() for path in cache.glob("*.pdf")) == sorted(
        [(project.site_dir / pack).read_bytes(), (project.site_dir / checklist).read_bytes()]
    )
