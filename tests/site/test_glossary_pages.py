"""The glossary as a reader gets it: a page of terms to link to, and on every other page
the first use of a term followed by what it stands for, once, in the HTML and the PDFs.

Read from the shared test library's site (built once a session): no build of its own.
"""

from __future__ import annotations

from bs4 import BeautifulSoup
from conftest import BRIEFING, LIBRARY_CONTENT, Site, article_text, pdf_text, study

GLOSSARY = LIBRARY_CONTENT.glossary
assert GLOSSARY is not None
ENTRIES = {entry.term: entry for entry in GLOSSARY.terms}
ICT = ENTRIES["ICT"]  # the editors' expansion, which the library's text never gives
NIP = ENTRIES["NIP"]  # the source's, which the briefing writes out where it first uses it


def test_the_glossary_page_lists_every_term_with_an_anchor_and_whose_words_it_has(
    library: Site,
) -> None:
    soup = BeautifulSoup(library.html("glossary/"), "lxml")
    terms = soup.select("article dl dt")
    assert [dt.get_text() for dt in terms] == sorted(ENTRIES, key=str.casefold)
    for dt in terms:
        entry = ENTRIES[dt.get_text()]
        assert dt["id"] == entry.anchor
        said = " ".join(dt.find_next_sibling("dd").get_text(" ").split())
        assert said.startswith(entry.expansion)
        if entry.definition:
            assert " ".join(entry.definition.split()) in said
        if entry.origin == "editors":
            assert "Written by the site’s editors" in said
        else:
            source = next(s for s in GLOSSARY.sources if s.id == entry.source)
            assert "As the source gives it." in said and source.title in said
            assert dt.find_next_sibling("dd").select_one(f"a[href='#source-{source.id}']")
    # Only abbreviations are <abbr>; the page explains its terms without marking them.
    assert sorted(a.get_text() for a in soup.select("article abbr")) == sorted(
        term for term, entry in ENTRIES.items() if entry.abbreviation
    )
    assert "(information and communications technology)" not in article_text(str(soup))
    home = BeautifulSoup(library.html(""), "lxml")
    (item,) = home.select("nav.md-nav--primary a[href='glossary/']")
    assert item.get_text(strip=True) == "Glossary"  # its label in mkdocs.yml's nav


def test_each_page_expands_a_term_where_it_first_uses_it_and_only_there(library: Site) -> None:
    home = BeautifulSoup(library.html(""), "lxml")
    text = article_text(str(home))
    # The editors' expansion, once, after the first use, whose <abbr> carries it too;
    # the source's author note further down uses the term again as written.
    assert text.count(f"ICT ({ICT.expansion})") == 1
    assert text.count(ICT.expansion) == 1 and text.count("ICT") > 1
    assert text.index(f"ICT ({ICT.expansion})") == text.index("ICT")
    (abbr,) = home.select("article abbr[title='information and communications technology']")
    assert abbr.get_text() == "ICT"
    # Where the text writes the term out already, it is not written out twice.
    assert "(NIP)" in (BRIEFING.sources[0].author_note or "")
    assert text.count(NIP.expansion) == text.count("Northshire Improvement Partnership")
    assert f"NIP ({NIP.expansion})" not in text
    assert home.select_one("article abbr[title='Northshire Improvement Partnership']")
    # Headings, their ids and the page's title are left as they were.
    assert not home.select("article h1 abbr, article h2 abbr, title abbr")
    # Each page on its own: the case study's page explains the term again.
    riverside = article_text(library.html("case-studies/riverside/"))
    assert "ICT" in study("riverside").summary
    assert riverside.count(f"ICT ({ICT.expansion})") == 1


def test_the_briefing_pack_reads_each_expansion_once_a_part(library: Site) -> None:
    text = pdf_text(library.site_dir / f"{BRIEFING.id}.pdf")
    # The briefing's part and Riverside's each explain ICT once; nothing is doubled.
    assert text.count(f"ICT ({ICT.expansion})") == 2
    assert f"{ICT.expansion}) ({ICT.expansion}" not in text
