"""Glossary terms on a page: the first use of each says what the term stands for.

The first use of a term in a page's text becomes `<abbr title="chief information
officer">CIO</abbr> (chief information officer)`: the expansion is in the text itself,
because a title attribute alone reaches no one on a touch screen or a keyboard, nor a
PDF or a search result. Later uses stay as written. In a quotation the expansion goes
in square brackets, the mark of words added to someone's quoted words. Where the text
already expands the term ("Organisation Development (OD)", "the Programme’s (LG EBP)
publication", or the expansion a few words before the bracket in the same paragraph), only
the `<abbr>` is added.

One step after the template has written a page's body, so every value from YAML is
escaped already, and one pass over it: one regular expression finds every term, and
the tags of the elements that matter are read once each, so the work is linear in the
page's size. Text in headings (their ids, the table of contents and
the page's title stay as they were), links, code, buttons, scripts and existing `<abbr>`
elements is left alone, and so is every tag and attribute.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass

from markupsafe import escape

from briefgen.content.glossary import Glossary

# Elements whose text a term is never marked in.
_LEFT_ALONE = frozenset(
    {"a", "abbr", "button", "code", "kbd", "pre", "samp", "select", "option", "textarea"}
    | {"title", "svg", "math", "template", "h1", "h2", "h3", "h4", "h5", "h6"}
)
# Elements whose content is not HTML: skipped whole, to their end tag.
_RAW = {name: re.compile(f"</{name}", re.IGNORECASE) for name in ("script", "style")}
_QUOTES = frozenset({"blockquote", "q"})
# The start tags and end tags of those elements; every other tag is passed over at C speed.
_WATCHED = re.compile(
    r"<(/?)(" + "|".join(sorted({*_LEFT_ALONE, *_RAW, *_QUOTES})) + r")(?=[\s/>])",
    re.IGNORECASE,
)
# Not inside a word, an entity (`&amp;`), an address (`example.org/CIO`, `a@CIO.org`) or
# a hyphenated word; nor before a possessive, where the expansion would split it.
_BAD_BEFORE = re.compile(r"[\w&#/.@-]")
_BAD_AFTER = re.compile(r"[\w/@'’-]|&#39;|[.:]\w")
_IN_BRACKETS = re.compile(r"\s*[(\[]([^)\]]*)[)\]]")
_CLOSED = re.compile(r"\s*[)\]]")
# How far before a bracketed term its expansion may be and still be "just said": far
# enough for "Programme’s (LG EBP)" or a few words between, not a page ago.
_LOOK_BACK = 200
# A tag that starts or ends a block of text: an expansion on the other side of one is
# another paragraph's, not this sentence's.
_BLOCK_TAG = re.compile(
    r"</?(?:p|li|dd|dt|td|th|div|blockquote|figcaption|h[1-6]|ul|ol|dl|table|tr|br|hr"
    r"|section|article|header|footer|nav|aside|main|details|summary)(?=[\s/>])",
    re.IGNORECASE,
)
_TAG = re.compile(r"<[^>]*>")


@dataclass(frozen=True)
class GlossedTerm:
    """A glossary term as pages mark it: its text and expansion, escaped for HTML."""

    term: str
    expansion: str
    abbreviation: bool


@dataclass(frozen=True)
class Terms:
    """Every term of the glossary, and the one pattern that finds them all."""

    pattern: re.Pattern[str]
    """Any term, wherever it is: whether it is a word of the text is decided after."""
    by_text: dict[str, GlossedTerm]
    """Each term by the text that writes it, escaped: 'CIO', and 'members' and 'Members'."""
    count: int
    """How many terms there are: a page that has explained them all is done."""
    as_json: str
    """Every term as written, its expansion and whether it is an abbreviation, as JSON:
    what the compare page's script explains terms in the table it builds with."""


def glossary_terms(glossary: Glossary | None) -> Terms | None:
    """The glossary's terms, ready to mark pages with; None when there are none."""
    if glossary is None or not glossary.terms:
        return None
    by_text: dict[str, GlossedTerm] = {}
    for entry in glossary.terms:
        glossed = GlossedTerm(
            term=str(escape(entry.term)),
            expansion=str(escape(entry.expansion)),
            abbreviation=entry.abbreviation,
        )
        # An abbreviation is matched as written (OD, never "od"); a word also with its
        # first letter a capital, as at the start of a sentence.
        for written in {entry.term, entry.term[:1].upper() + entry.term[1:]}:
            by_text.setdefault(" ".join(str(escape(written)).split()), glossed)
    # Longest first, so that "LG EBP" wins over an "LG" of its own. Plain alternatives,
    # with no look-behind before them: the engine then skips to a term's first letters.
    texts = sorted(by_text, key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(text).replace(r"\ ", r"\s+") for text in texts))
    described = [
        {"term": e.term, "expansion": e.expansion, "abbreviation": e.abbreviation}
        for e in glossary.terms
    ]
    as_json = json.dumps(described, ensure_ascii=False, separators=(",", ":"))
    return Terms(pattern, by_text, len(glossary.terms), as_json)


def mark_terms(body: str, terms: Terms) -> str:
    """`body` (a page's HTML) with the first use of each term expanded (see above).

    The pattern finds each term at C speed; the elements open where one is found are
    known from the start and end tags of the elements that matter on the way, each
    read once, and only as far as a term not yet explained is found.
    """
    out: list[str] = []
    done: set[GlossedTerm] = set()
    copied = 0  # body[:copied] is in `out`
    read = 0  # the elements open at `read` are known
    left_alone = quoted = 0  # how deep the text is in elements of each kind
    for found in terms.pattern.finditer(body):
        start, end = found.span()
        glossed = terms.by_text[" ".join(found.group().split())]
        if glossed in done or not _a_word(body, start, end):
            continue
        while tag := _WATCHED.search(body, read, start):
            read = tag.end()
            closing, element = tag.group(1) == "/", tag.group(2).lower()
            if element in _RAW:
                if not closing:  # its text is not HTML: pass over it whole
                    close = _RAW[element].search(body, read)
                    read = close.start() if close else len(body)
            elif element in _QUOTES:
                quoted = max(0, quoted - 1 if closing else quoted + 1)
            elif closing:
                left_alone = max(0, left_alone - 1)
            elif body[body.find(">", read) - 1] != "/":  # `<svg ... />` holds nothing
                left_alone += 1
        if start < read or left_alone or body.rfind("<", 0, start) > body.rfind(">", 0, start):
            continue  # in a script, in an element left alone, or in a tag itself
        done.add(glossed)
        out += (body[copied:start], _first_use(found.group(), glossed, body, start, end, quoted))
        copied = end
        if len(done) == terms.count:
            break
    if not done:
        return body
    out.append(body[copied:])
    return "".join(out)


def _a_word(body: str, start: int, end: int) -> bool:
    """Whether the text found at body[start:end] stands as a word of its own."""
    before = start > 0 and _BAD_BEFORE.match(body, start - 1)
    return not before and not _BAD_AFTER.match(body, end)


def _first_use(
    written: str, glossed: GlossedTerm, body: str, start: int, end: int, quoted: int
) -> str:
    marked = (
        f'<abbr title="{glossed.expansion}">{written}</abbr>' if glossed.abbreviation else written
    )
    if _expanded_already(glossed, body, start, end):
        return marked
    opening, closing = ("[", "]") if quoted else ("(", ")")
    return f"{marked} {opening}{glossed.expansion}{closing}"


def _expanded_already(glossed: GlossedTerm, body: str, start: int, end: int) -> bool:
    """Whether the text around the term expands it already: "CIO (chief information
    officer)", "Organisation Development (OD)", "the Programme’s (LG EBP)", or the
    expansion a little earlier in the same block of text, the term in brackets."""
    node_start = body.rfind(">", 0, start) + 1
    node_end = body.find("<", end)
    before, after = body[node_start:start], body[end : node_end if node_end >= 0 else len(body)]
    if inside := _IN_BRACKETS.match(after):  # CIO (chief information officer)
        return _plain(inside.group(1)) == _plain(glossed.expansion)
    if not (before.rstrip().endswith(("(", "[")) and _CLOSED.match(after)):
        return False  # a term in running text is explained wherever it is
    return _plain(glossed.expansion) in _plain(_text_just_before(body, start))


def _text_just_before(body: str, start: int) -> str:
    """The text of the same block that ends at body[start], no more than _LOOK_BACK
    characters of HTML back, without its tags."""
    window = body[max(0, start - _LOOK_BACK) : start]
    blocks = list(_BLOCK_TAG.finditer(window))
    if blocks:
        window = window[window.find(">", blocks[-1].end()) + 1 :]
    opened, closed = window.find("<"), window.find(">")
    if closed >= 0 and (opened < 0 or closed < opened):  # the window began inside a tag
        window = window[closed + 1 :]
    return _TAG.sub("", window)


def _plain(text: str) -> str:
    return " ".join(html.unescape(text).casefold().split())
