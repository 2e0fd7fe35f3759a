"""How a name a contributor writes is shown: in sentence case, as GOV.UK writes labels.

Pages show a service so (`briefgen/site/text.py`), and `briefgen check` warns where a
file writes one otherwise, so that one vocabulary reads one way everywhere.
"""

from __future__ import annotations

# Words Title Case leaves in lower case ('Revenues and Benefits').
_MINOR = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "by",
        "for",
        "from",
        "in",
        "into",
        "of",
        "on",
        "or",
        "the",
        "to",
        "with",
    ]
)


def sentence_case(value: str) -> str:
    """A name written in Title Case, in sentence case: 'Democratic Services' ->
    'Democratic services'; 'Shared ICT Services' -> 'Shared ICT services'. A name not in
    Title Case is left as written, its proper nouns with it ('Bristol waste'), only its
    first letter raised ('payroll' -> 'Payroll')."""
    words = value.split(" ")
    if is_title_case(value):
        words = [words[0]] + [_lowered(word) for word in words[1:]]
    if words[0].islower():
        words[0] = words[0][:1].upper() + words[0][1:]
    return " ".join(words)


def is_title_case(value: str) -> bool:
    """Whether a name capitalises every word but the minor ones ('Committee Management'),
    as a title does and a label in sentence case does not. One word is no title."""
    major = [w for w in value.split() if w[:1].isalpha() and w.casefold() not in _MINOR]
    return len(major) > 1 and all(word[:1].isupper() for word in major)


def _lowered(word: str) -> str:
    """A capitalised word in lower case; an acronym ('ICT') or a name with capitals
    inside ('eHealth', 'McCarthy') as it is."""
    return word.lower() if word[:1].isupper() and word[1:].islower() else word
