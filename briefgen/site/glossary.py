"""Glossary terms on a page: the first use of each says what the term stands for.

The first use of a term in a page's text becomes `<abbr title="chief information
officer">CIO</abbr> (chief information officer)`: the expansion is in the text itself,
because a title attribute alone reaches no one on a touch screen or a keyboard, nor a
PDF or a search result. Later uses stay as written. In a quotation the expansion goes
in square brackets, the mark of words added to someone's quoted words. Where the text
already expands the term ("Organisation Development (OD)"), only the `<abbr>` is added.

One step after the template has written a page's body, so every value from YAML is
escaped already, and one pass over it with one regular expression for every tag and
term: linear in the page's size. Text in headings (their ids, the table of contents and
the page's title stay as they were), links, code, buttons, scripts and existing `<abbr>`
elements is left alone, and so is every tag and attribute.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from markupsafe import escape

from briefgen.content.glossary import Glossary, is_abbreviation, term_key

# Elements whose text a term is never marked in.
_LEFT_ALONE = frozenset(
    {"a", "abbr", "button", "code", "kbd", "pre", "samp", "select", "option", "textarea"}
    | {"title", "svg", "math", "template", "h1", "h2", "h3", "h4", "h5", "h6"}
)
# Elements whose content is not HTML: skipped whole, to their end tag.
_RAW = {name: re.compile(f"</{name}", re.IGNORECASE) for name in ("script", "style")}
_QUOTES = frozenset({"blockquote", "q"})
_IN_BRACKETS = re.compile(r"\s*[(\[]([^)\]]*)[)\]]")
_CLOSED = re.compile(r"\s*[)\]]")
_TAG_NAME = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)")
# Not inside a word, an entity (`&amp;`), an address (`example.org/CIO`, `a@CIO.org`) or
# a hyphenated word; nor before a possessive, where the expansion would split it.
_BEFORE = r"(?<![\w&#/.@-])"
_AFTER = r"(?![\w/@'’-]|&#39;|[.:]\w)"


@dataclass(frozen=True)
class GlossedTerm:
    """A glossary term as pages mark it: its text, expansion and anchor, escaped for HTML."""

    term: str
    expansion: str
    abbreviation: bool
    anchor: str


@dataclass(frozen=True)
class Terms:
    """Every term of the glossary, and the one pattern that finds them and the tags."""

    pattern: re.Pattern[str]
    """A tag, or a term where one may be marked."""
    anywhere: re.Pattern[str]
    """A term, wherever it is: the pages without one are left as they are, at C's speed."""
    by_text: dict[str, GlossedTerm]
    """Each term by the text that writes it, escaped: 'CIO', and 'members' and 'Members'."""


def glossary_terms(glossary: Glossary | None) -> Terms | None:
    """The glossary's terms, ready to mark pages with; None when there are none."""
    if glossary is None or not glossary.terms:
        return None
    by_text: dict[str, GlossedTerm] = {}
    for entry in glossary.terms:
        glossed = GlossedTerm(
            term=str(escape(entry.term)),
            expansion=str(escape(entry.expansion)),
            abbreviation=is_abbreviation(entry.term),
            anchor=term_key(entry.term),
        )
        # An abbreviation is matched as written (OD, never "od"); a word also with its
        # first letter a capital, as at the start of a sentence.
        for written in {entry.term, entry.term[:1].upper() + entry.term[1:]}:
            by_text.setdefault(" ".join(str(escape(written)).split()), glossed)
    # Longest first, so that "LG EBP" wins over an "LG" of its own.
    texts = sorted(by_text, key=len, reverse=True)
    terms = "|".join(re.escape(text).replace(r"\ ", r"\s+") for text in texts)
    pattern = re.compile(
        rf"(?P<tag><!--.*?-->|<[^>]*>)|{_BEFORE}(?P<term>{terms}){_AFTER}", re.DOTALL
    )
    return Terms(pattern, re.compile(f"{_BEFORE}(?:{terms}){_AFTER}"), by_text)


def mark_terms(body: str, terms: Terms) -> str:
    """`body` (a page's HTML) with the first use of each term expanded (see above)."""
    pattern, by_text = terms.pattern, terms.by_text
    # The terms the page has (some perhaps in attributes or headings): once each is
    # marked, the rest of the page is left as it is.
    wanted = len({by_text[" ".join(term.split())] for term in terms.anywhere.findall(body)})
    if not wanted:
        return body
    out: list[str] = []
    done: set[GlossedTerm] = set()
    left_alone = quoted = 0  # how deep in elements of each kind the text is
    position = 0
    while len(done) < wanted and (found := pattern.search(body, position)):
        start, end = found.span()
        tag = found.group("tag")
        if tag is not None:
            name = _TAG_NAME.match(tag)
            if name is not None:
                closing, element = name.group(1) == "/", name.group(2).lower()
                if element in _RAW and not closing:
                    close = _RAW[element].search(body, end)
                    end = close.start() if close else len(body)
                elif element in _LEFT_ALONE and not tag.endswith("/>"):
                    left_alone = max(0, left_alone + (-1 if closing else 1))
                elif element in _QUOTES:
                    quoted = max(0, quoted + (-1 if closing else 1))
            out.append(body[position:end])
            position = end
            continue
        glossed = by_text[" ".join(found.group("term").split())]
        out.append(body[position:start])
        position = end
        if left_alone or glossed in done:
            out.append(found.group("term"))
            continue
        done.add(glossed)
        out.append(_first_use(found.group("term"), glossed, body, start, end, quoted > 0))
    out.append(body[position:])
    return "".join(out)


def _first_use(
    written: str, glossed: GlossedTerm, body: str, start: int, end: int, quoted: bool
) -> str:
    marked = (
        f'<abbr title="{glossed.expansion}">{written}</abbr>' if glossed.abbreviation else written
    )
    if _expanded_already(glossed, body, start, end):
        return marked
    opening, closing = ("[", "]") if quoted else ("(", ")")
    return f"{marked} {opening}{glossed.expansion}{closing}"


def _expanded_already(glossed: GlossedTerm, body: str, start: int, end: int) -> bool:
    """Whether the text around the term (in its own text node) expands it already:
    "CIO (chief information officer)" or "Organisation Development (OD)"."""
    node_start = body.rfind(">", 0, start) + 1
    node_end = body.find("<", end)
    before, after = body[node_start:start], body[end : node_end if node_end >= 0 else len(body)]
    expansion = _plain(glossed.expansion)
    if inside := _IN_BRACKETS.match(after):  # CIO (chief information officer)
        return _plain(inside.group(1)) == expansion
    opened = before.rstrip()  # Organisation Development (OD)
    return (
        opened.endswith(("(", "["))
        and bool(_CLOSED.match(after))
        and (_plain(opened[:-1]).endswith(expansion))
    )


def _plain(text: str) -> str:
    return " ".join(html.unescape(text).casefold().split())
