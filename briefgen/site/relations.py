"""How case studies relate: facets to filter them by, and which ones share ground.

Pure functions of checked content, used by the page plan.
"""

from __future__ import annotations

import heapq
import json
from collections import Counter
from dataclasses import dataclass

from briefgen.content.models import CaseStudy, Content, Takeaway
from briefgen.content.wording import sentence_case
from briefgen.site.text import term

RELATED_LIMIT = 5

SETTING_LABELS = {"urban": "Urban", "rural": "Rural", "mixed": "Urban and rural"}


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int


@dataclass(frozen=True)
class Facet:
    """One way to filter the index, such as by model, with the values present."""

    name: str
    label: str
    options: tuple[FacetOption, ...]


@dataclass(frozen=True)
class Related:
    """Another case study, and what it shares with this one."""

    study: CaseStudy
    themes: tuple[str, ...]
    services: tuple[str, ...]


@dataclass(frozen=True)
class DrawnTakeaway:
    """A briefing's key takeaway that cites a case study as evidence."""

    briefing_id: str
    briefing_title: str
    takeaway: Takeaway


# Each facet's name (a key of `facet_values`) and the label readers see.
_FACETS: tuple[tuple[str, str], ...] = (
    ("model", "Model"),
    ("tier", "Council tier"),
    ("region", "Region"),
    ("setting", "Setting"),
    ("service", "Service area"),
    ("status", "Outcomes"),
)


def facet_values(study: CaseStudy) -> dict[str, list[str]]:
    """The values a case study has for each facet (a value is also its filter key)."""
    return {
        "model": list(dict.fromkeys(study.models)),
        "tier": list(dict.fromkeys(o.tier for o in study.organisations if o.tier)),
        "region": [study.region] if study.region else [],
        "setting": [study.setting] if study.setting else [],
        "service": list(dict.fromkeys(s.casefold() for s in study.services)),
        "status": list(dict.fromkeys(o.status for o in study.outcomes)),
    }


def facet_json(study: CaseStudy) -> str:
    """The facet values as JSON, for the index page's filter script."""
    return json.dumps(facet_values(study), ensure_ascii=False, sort_keys=True)


def facets(content: Content) -> list[Facet]:
    """Every facet with two values or more among the case studies, values by frequency
    (a facet of one value filters nothing a reader can choose between).

    One pass over each case study's values and one sort a facet: O(n log n) in the
    number of values, however many one case study has.
    """
    counts: dict[str, Counter[str]] = {name: Counter() for name, _ in _FACETS}
    labels: dict[str, dict[str, str]] = {name: {} for name, _ in _FACETS}
    for study in content.case_studies.values():
        # Each service as first written, by its folded form: looking it up in the list
        # for every value made this quadratic (97,000 services took minutes).
        written: dict[str, str] = {}
        for service in study.services:
            written.setdefault(service.casefold(), service)
        for name, values in facet_values(study).items():
            for value in values:
                counts[name][value] += 1
                if value not in labels[name]:
                    label = (
                        sentence_case(written[value]) if name == "service" else _label(name, value)
                    )
                    labels[name][value] = label
    found: list[Facet] = []
    for name, label in _FACETS:
        named = labels[name]
        options = sorted(counts[name].items(), key=lambda item: (-item[1], named[item[0]]))
        if len(options) > 1:
            found.append(Facet(name, label, tuple(FacetOption(v, named[v], n) for v, n in options)))
    return found


def _label(name: str, value: str) -> str:
    if name == "setting":
        return SETTING_LABELS[value]
    if name == "region":
        return value
    return term(value)


def study_themes(study: CaseStudy) -> set[str]:
    return {theme for takeaway in study.takeaways for theme in takeaway.themes}


def related_case_studies(content: Content) -> dict[str, list[Related]]:
    """For each case study, the others sharing themes or services, most in common first.

    Each theme and service is one bit of an integer per case study, so what two
    case studies share is one AND and a bit count. Candidates come from an index
    of who has which theme or service, so unrelated case studies cost nothing.
    """
    studies = sorted(content.case_studies.values(), key=lambda s: (s.title, s.id))
    bit_of: dict[tuple[str, str], int] = {}
    bits_of: list[list[int]] = []
    masks: list[int] = []
    having: dict[int, list[int]] = {}
    for rank, study in enumerate(studies):
        bits = sorted({bit_of.setdefault(key, len(bit_of)) for key in _shared_keys(study)})
        for bit in bits:
            having.setdefault(bit, []).append(rank)
        bits_of.append(bits)
        masks.append(_mask(bits))
    related: dict[str, list[Related]] = {}
    for rank, study in enumerate(studies):
        mask, bits = masks[rank], bits_of[rank]
        candidates = sorted(set().union(*(having[bit] for bit in bits)) - {rank})
        # Stable: among equals, the earlier title wins.
        best = heapq.nlargest(
            RELATED_LIMIT, candidates, key=lambda other: (masks[other] & mask).bit_count()
        )
        related[study.id] = [_related(study, studies[other], content) for other in best]
    return related


def _mask(bits: list[int]) -> int:
    """The integer with these bits set, made in one pass: setting them one `|=` at a time
    copies the growing integer each time, quadratic in a case study's services."""
    raw = bytearray(bits[-1] // 8 + 1 if bits else 0)
    for bit in bits:
        raw[bit >> 3] |= 1 << (bit & 7)
    return int.from_bytes(raw, "little")


def _shared_keys(study: CaseStudy) -> list[tuple[str, str]]:
    themes = [("theme", theme) for theme in sorted(study_themes(study))]
    return themes + [("service", service.casefold()) for service in study.services]


def _related(study: CaseStudy, other: CaseStudy, content: Content) -> Related:
    """`other`, with the themes and services it shares with `study`, in `study`'s words."""
    theirs = set(_shared_keys(other))
    shared = [key for key in dict.fromkeys(_shared_keys(study)) if key in theirs]
    services = {service.casefold(): service for service in study.services}
    return Related(
        other,
        tuple(content.themes[value].title for kind, value in shared if kind == "theme"),
        tuple(services[value] for kind, value in shared if kind == "service"),
    )


def takeaways_drawn_from(study: CaseStudy, content: Content) -> list[DrawnTakeaway]:
    """Key takeaways of briefings that cite the case study as evidence."""
    return [
        DrawnTakeaway(briefing.id, briefing.title, takeaway)
        for briefing in content.briefings.values()
        for takeaway in briefing.key_takeaways
        if study.id in takeaway.case_studies
    ]
