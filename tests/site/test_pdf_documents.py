"""The briefing pack and the checklist PDF, read as a reader reads them: page by page,
line by line, with a screen reader (the tags), and by following their links.

Every test reads the session's shared builds of the test library (its PDFs are laid out
once a session): `library`, without site_url, and the library published under a path,
which tests/site/test_links.py builds too.
"""

from __future__ import annotations

import itertools
import re
import statistics
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from conftest import (
    BRIEFING,
    BUILD_DATE,
    CASE_STUDIES,
    CHECKLIST,
    HOST,
    LIBRARY,
    MM,
    LibraryVariant,
    PdfWord,
    Published,
    Site,
    broken,
    long_date,
    pdf_page_texts,
    pdf_words,
    study,
)
from pypdf import PdfReader

from briefgen.helpers import pdf

PACK = f"{BRIEFING.id}.pdf"
CHECKLIST_PDF = f"checklists/{CHECKLIST.id}.pdf"
FEATURED = [study(case_study) for case_study in BRIEFING.case_studies]
PARTS = [BRIEFING.title, *(s.title for s in FEATURED), *(c.title for c in BRIEFING.checklists)]
LANGUAGE = yaml.safe_load((LIBRARY / "mkdocs.yml").read_text(encoding="utf-8"))["theme"]["language"]
# What only works on the web: buttons, links to the PDFs themselves, notes for the screen.
WEB_ONLY = (
    "Briefing pack (PDF)", "(how)", "Open the checklist", "Download the PDF",
    "Clear ticks and notes", "Save answers", "Load answers", "Undo", "Keep",
    "kept in this browser", "Permanent link", "¶",
)  # fmt: skip


@pytest.fixture(scope="module")
def published(library_variant: LibraryVariant) -> Published:
    """The library published under a path, with PDFs (tests/site/test_links.py's too)."""
    site = library_variant(site_url=f"{HOST}/repo/")
    return Published(site.site_dir, "/repo/")


def one_line(text: str) -> str:
    return " ".join(text.split())


# A bracketed aside: a glossary term's expansion, which the page adds after the term's
# first use ("LG EBP (Local Government Executive Briefing Programme)"), or the text's own.
_ASIDE = re.compile(r" ?[(\[][^)\]]*[)\]]")


def _without_asides(text: str) -> str:
    return one_line(_ASIDE.sub("", text))


class Reading:
    """A PDF's words as one text, each character traced back to its word."""

    def __init__(self, path: Path) -> None:
        self.words = pdf_words(path)
        text, owner = [], []
        for index, word in enumerate(self.words):
            previous = self.words[index - 1] if index else None
            # A word broken after its hyphen or slash at a line's end is one word again.
            rejoined = previous is not None and previous.line != word.line
            rejoined = rejoined and previous.text.endswith(("-", "/"))
            if previous is not None and not rejoined:
                text.append(" ")
                owner.append(index)
            text.extend(word.text)
            owner.extend([index] * len(word.text))
        joined = "".join(text)
        asides = [m.span() for m in _ASIDE.finditer(joined)]
        kept = [i for i in range(len(joined)) if not any(a <= i < b for a, b in asides)]
        self.text = "".join(joined[i] for i in kept)
        self._owner = [owner[i] for i in kept]

    def spans(self, text: str) -> Iterator[list[PdfWord]]:
        """The words of each place `text` is read whole, in its order and no other's."""
        wanted, start = _without_asides(text), 0
        while (found := self.text.find(wanted, start)) != -1:
            first, last = self._owner[found], self._owner[found + len(wanted) - 1]
            yield self.words[first : last + 1]
            start = found + 1


def early_breaks(span: list[PdfWord]) -> list[str]:
    """Each line break inside `span` that left room for the next word on its line."""
    right = max(word.right for word in span)
    gaps = [b.left - a.right for a, b in itertools.pairwise(span) if a.line == b.line]
    space = statistics.median(gaps) if gaps else 1.0  # millimetres
    ends = {word.line: word.right for word in span}  # each line's last word's right edge
    return [
        f"{a.text} / {b.text}"
        for a, b in itertools.pairwise(span)
        if a.line != b.line
        and a.page == b.page
        and not a.text.endswith(("-", "/"))
        and ends[a.line] + space + (b.right - b.left) < right - 0.35
    ]


def texts_of_the_pack() -> list[str]:
    """What the pack prints of the editors' and the sources' words, each in one piece."""
    briefing = [
        BRIEFING.bottom_line or "",
        *(figure.measures for figure in BRIEFING.key_figures),
        *(takeaway.text for takeaway in BRIEFING.key_takeaways),
        *BRIEFING.what_this_means,
        *BRIEFING.what_to_do_next,
        *BRIEFING.context.split("\n\n"),
    ]
    studies = [
        text
        for case_study in FEATURED
        for text in (
            *case_study.summary.split("\n\n"),
            *case_study.challenges,
            *case_study.enablers,
            *(takeaway.text for takeaway in case_study.takeaways),
        )
    ]
    checklists = [
        text
        for checklist in BRIEFING.checklists
        for item in checklist.items
        for text in (item.why_it_matters, *item.questions)
    ]
    return [one_line(text) for text in (*briefing, *studies, *checklists) if text]


def test_every_sentence_of_the_pack_reads_whole_in_full_lines(library: Site) -> None:
    reading = Reading(library.site_dir / PACK)
    texts = texts_of_the_pack()
    assert len(texts) > 40
    for text in texts:
        spans = list(reading.spans(text))
        # Whole and in order: no word of another column (a key figure's value, a
        # summary list's label) between two of its words.
        assert spans, f"not read whole: {text!r}"
        for span in spans:
            assert early_breaks(span) == [], text


def test_a_line_breaks_where_the_next_word_no_longer_fits(tmp_path: Path) -> None:
    """Issue 17's "efficiencies / through / economies": WeasyPrint set a word alone on a
    line where the rest of the words before a link fitted the line only without the space
    before the link. Laid out at each width around that one, the line breaks before the
    link, never after the first word."""
    style = (
        '<style>@page { size: A4; margin: 10mm } body { font: 10pt/1.4 "Liberation Sans" }</style>'
    )
    run = "Partnerships are about value from sharing, not just savings and efficiencies; see the"
    pdf.write_pdf(
        f'<html lang="en">{style}<p style="white-space: nowrap">{run}</p>', tmp_path / "run.pdf"
    )
    line = pdf_words(tmp_path / "run.pdf")
    width = (line[-1].right - line[0].left) / MM  # the words' width in points, no space after
    paragraphs = "".join(
        f'<p style="width: {width - 2 + step / 4}pt">{run} <a href="https://example.org/">'
        "write-up</a>.</p>"
        for step in range(24)
    )
    document = f'<html lang="en">{style}<body>{paragraphs}</body></html>'
    pdf.write_pdf(pdf.spaces_inside_inline(document), tmp_path / "lines.pdf")
    spans = list(Reading(tmp_path / "lines.pdf").spans(f"{run} write-up."))
    assert len(spans) == 24
    assert [early_breaks(span) for span in spans if early_breaks(span)] == []


@pytest.mark.parametrize(
    ("written", "laid_out"),
    [
        ('see the <a href="x">write-up</a>', 'see the<a href="x"> write-up</a>'),
        ('the <abbr title="Chief">CIO</abbr>', 'the<abbr title="Chief"> CIO</abbr>'),
        ("one <em>two</em> <strong>three</strong>", "one<em> two</em><strong> three</strong>"),
        ("<pre>x\n    <b>y</b></pre>", "<pre>x<b>\n    y</b></pre>"),  # its white space kept
        (
            'Notes<span class="bg-sr-only"> on X</span>',
            'Notes<span class="bg-sr-only"> on X</span>',
        ),
        ("Done <span hidden>x</span>next", "Done <span hidden>x</span>next"),  # a span may hide
        ("<li>\n<a href='x'>first</a>", "<li><a href='x'>\nfirst</a>"),  # set as before
    ],
)
def test_the_space_before_an_element_of_the_text_moves_inside_it(
    written: str, laid_out: str
) -> None:
    assert pdf.spaces_inside_inline(written) == laid_out


def test_the_pack_is_a_cover_the_contents_and_its_parts_in_order(library: Site) -> None:
    pages = pdf_page_texts(library.site_dir / PACK)
    cover, contents = pages[0], pages[1]
    # The cover: the briefing's own title, how current it is, who compiled it from what,
    # and its sources; no page number, and no build's version as a headline.
    assert BRIEFING.as_at is not None and BRIEFING.editors is not None
    assert cover.startswith(f"Briefing pack {BRIEFING.title} As at {long_date(BRIEFING.as_at)}")
    editors = BRIEFING.editors
    for fact in (editors.name, one_line(editors.compiled_from), long_date(editors.compiled)):
        assert fact in cover
    for source in BRIEFING.sources:
        for fact in (source.name, source.publisher, source.author, source.rights):
            assert fact is None or fact in cover, fact
    assert "Page" not in cover and "built on" not in cover
    # Its back: the contents, each part with the page it starts on, in order, then the
    # build's date in small print, then the overview.
    numbers = []
    for title in PARTS:
        entry = re.search(rf"{re.escape(title)} ?\.+ (\d+)", contents)
        assert entry, title
        numbers.append(int(entry[1]))
    assert contents.startswith("Contents")
    assert numbers == sorted(numbers) and numbers[0] == 2
    for title, number in zip(PARTS, numbers, strict=True):
        assert title in pages[number - 1]
    built = f"Briefing pack built on {long_date(BUILD_DATE)}."
    assert [i for i, page in enumerate(pages) if built in page] == [1]
    assert BRIEFING.bottom_line is not None
    assert contents.index(built) < contents.index(one_line(BRIEFING.bottom_line)[:40])
    # The checklist, a form to fill in, is on a page of its own: the last.
    assert numbers[-1] == len(pages)
    assert pages[-1].startswith(CHECKLIST.title)
    # Every page but the cover ends with the briefing's title and "Page x of y".
    for number, page in enumerate(pages[1:], start=2):
        assert page.endswith(f"{BRIEFING.title} Page {number} of {len(pages)}"), number


def test_the_build_date_is_small_print(library: Site) -> None:
    """The build's date (and version, when it has one) is for whoever maintains the pack."""
    reading = Reading(library.site_dir / PACK)
    built = next(reading.spans(f"Briefing pack built on {long_date(BUILD_DATE)}."))
    body = next(reading.spans(one_line(BRIEFING.key_takeaways[0].text)))
    height = lambda word: word.bottom - word.top  # noqa: E731
    assert max(map(height, built)) < 0.8 * min(map(height, body))


def test_the_pack_holds_the_featured_case_studies_and_no_other(library: Site) -> None:
    text = " ".join(pdf_page_texts(library.site_dir / PACK))
    for case_study in FEATURED:
        facts = [case_study.speaker.name] if case_study.speaker else []
        facts += [case_study.organisations[0].name, case_study.services[0]]
        for fact in facts:
            assert fact in text, (case_study.id, fact)
    for other in {s.id for s in CASE_STUDIES} - {s.id for s in FEATURED}:
        assert study(other).title not in text.split(CHECKLIST.title)[0]
        assert one_line(study(other).summary)[:60] not in text


@pytest.mark.parametrize("document", [PACK, CHECKLIST_PDF])
def test_no_text_of_the_web_is_printed(library: Site, document: str) -> None:
    text = " ".join(pdf_page_texts(library.site_dir / document))
    for web_only in WEB_ONLY:  # as words: "Keep" is not "Keeping staff"
        assert not re.search(rf"(?<!\w){re.escape(web_only)}(?!\w)", text), web_only


def pdfinfo(path: Path, *options: str) -> str:
    return subprocess.run(
        ["pdfinfo", *options, str(path)], capture_output=True, text=True, check=True
    ).stdout


def headings(path: Path) -> list[tuple[str, int]]:
    """Each heading of the PDF's structure tree, in the order a screen reader meets them,
    with the page it is on."""
    reader = PdfReader(path)
    pages = {page.indirect_reference.idnum: number for number, page in enumerate(reader.pages, 1)}
    found = []

    def walk(element: Any, page: Any) -> None:
        page = element.get("/Pg", page)
        if re.fullmatch(r"/H\d", str(element.get("/S"))):
            found.append((str(element["/S"])[1:], pages[page.idnum]))
        kids = element.get("/K", [])
        for kid in kids if isinstance(kids, list) else [kids]:
            kid = kid.get_object() if hasattr(kid, "get_object") else kid
            if isinstance(kid, dict) and "/S" in kid:
                walk(kid, page)

    walk(reader.trailer["/Root"]["/StructTreeRoot"].get_object(), None)
    return found


@pytest.mark.parametrize(
    ("document", "title"), [(PACK, BRIEFING.title), (CHECKLIST_PDF, CHECKLIST.title)]
)
def test_each_pdf_is_tagged_with_its_title_and_language(
    library: Site, document: str, title: str
) -> None:
    path = library.site_dir / document
    info = pdfinfo(path)
    assert re.search(r"^Tagged:\s+yes$", info, re.M)
    assert re.search(rf"^Title:\s+{re.escape(title)}$", info, re.M)
    catalog = PdfReader(path).trailer["/Root"]
    assert catalog["/Lang"] == LANGUAGE
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"]  # the title, not the file's name
    # A screen reader meets the headings in the reading order: for the pack, the cover's
    # title, the contents', then each part's title on the page the contents gives.
    found = headings(path)
    top = [page for level, page in found if level == "H1"]
    if document == PACK:
        contents = pdf_page_texts(path)[1]
        starts = [int(re.search(rf"{re.escape(part)} ?\.+ (\d+)", contents)[1]) for part in PARTS]
        assert top == [1, *starts]
        assert found[1] == ("H2", 2)  # "Contents"
    else:
        assert top == [1]


@pytest.mark.parametrize("document", [PACK, CHECKLIST_PDF])
def test_each_pdf_sets_every_word_in_one_embedded_family(library: Site, document: str) -> None:
    listed = subprocess.run(
        ["pdffonts", str(library.site_dir / document)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    assert listed
    fonts = [line.split() for line in listed]
    assert all(font[-5] == "yes" for font in fonts), listed  # the "emb" column
    # "ABCDEF+Liberation-Sans-Bold": a subset of the family Liberation-Sans.
    families = {
        re.sub(r"-(Bold|Italic|Oblique|BoldItalic|BoldOblique)$", "", font[0].split("+")[-1])
        for font in fonts
    }
    assert len(families) == 1, families


def links(path: Path) -> tuple[list[str], list[str]]:
    """A PDF's links: the addresses it opens, and the places within itself it jumps to."""
    reader = PdfReader(path)
    addresses, jumps = [], []
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            action = annotation.get("/A") or {}
            if "/URI" in action:
                addresses.append(str(action["/URI"]))
            else:
                jumps.append(str(action.get("/D", annotation.get("/Dest"))))
    return addresses, jumps


@pytest.mark.parametrize("document", [PACK, CHECKLIST_PDF])
def test_with_site_url_every_link_leads_to_its_page_or_within_the_pdf(
    published: Published, document: str
) -> None:
    path = published.site / document
    addresses, jumps = links(path)
    here = published.served_at(path)
    ours = [address for address in addresses if address.startswith(HOST)]
    assert all(urlsplit(address).scheme == "https" for address in addresses)
    assert ours and all(address.startswith(f"{HOST}/repo/") for address in ours)
    assert broken(published, [(here, address) for address in ours]) == []
    if document == PACK:  # each case study's page, from the overview's list
        for case_study in FEATURED:
            assert f"{HOST}/repo/case-studies/{case_study.id}/" in addresses
    # A jump lands on a place the PDF names: the contents' parts, a takeaway's source.
    names = set(PdfReader(path).named_destinations)
    assert set(jumps) <= names
    assert document != PACK or len(jumps) >= len(PARTS)


def test_without_site_url_the_pdfs_link_only_to_other_hosts(library: Site) -> None:
    """No address of the site works from a downloaded file: its links are plain text,
    and the build says once how to give them an address."""
    for document in (PACK, CHECKLIST_PDF):
        addresses, jumps = links(library.site_dir / document)
        assert all(
            urlsplit(address).netloc not in ("", urlsplit(HOST).netloc) for address in addresses
        )
        assert all(urlsplit(address).scheme for address in addresses)
        assert set(jumps) <= set(PdfReader(library.site_dir / document).named_destinations)
    text = " ".join(pdf_page_texts(library.site_dir / PACK))
    for case_study in FEATURED:  # the overview's list of case studies, as text
        assert case_study.title in text
    told = [line for line in library.log if "PDF gets working links once site_url is set" in line]
    assert len(told) == 1


def test_the_cache_key_holds_the_options_a_pdf_is_written_with(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    key = pdf.cache_key("<p>A pack</p>", None)
    monkeypatch.setattr(pdf, "WRITE_OPTIONS", {**pdf.WRITE_OPTIONS, "pdf_variant": "pdf/ua-1"})
    assert pdf.cache_key("<p>A pack</p>", None) != key


def test_no_heading_is_left_at_the_foot_of_a_page(library: Site) -> None:
    """A heading starts its section on the same page: never the last line of a page's
    text (the footer, the page's last 20 mm, aside)."""
    words = pdf_words(library.site_dir / PACK)
    body = statistics.median(word.bottom - word.top for word in words)
    lines: dict[tuple[int, int], list[PdfWord]] = {}
    for word in words:
        if word.top < 297 - 20:
            lines.setdefault((word.page, word.line), []).append(word)
    last_of_page: dict[int, list[PdfWord]] = {}
    headings = 0
    for (page, _), line in sorted(lines.items()):
        last_of_page[page] = line
        headings += max(word.bottom - word.top for word in line) > 1.2 * body
    assert headings > 10  # the check sees headings where there are some
    stranded = [
        " ".join(word.text for word in line)
        for line in last_of_page.values()
        if max(word.bottom - word.top for word in line) > 1.2 * body
    ]
    assert stranded == []
