"""How case studies relate: facets to filter them by, and which ones share ground.

Pure functions of checked content, used by the page plan.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass

from briefgen.models import CaseStudy, Takeaway
from briefgen.validate import Content

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
    """Every facet with at least one value among the case studies, values by frequency."""
    found: list[Facet] = []
    for name, label in _FACETS:
        counts: Counter[str] = Counter()
        labels: dict[str, str] = {}
        for study in content.case_studies.values():
            for value in facet_values(study)[name]:
                counts[value] += 1
                labels.setdefault(value, _label(name, value, study))
        if counts:
            options = sorted(counts.items(), key=lambda item: (-item[1], labels[item[0]]))
            found.append(
                Facet(name, label, tuple(FacetOption(v, labels[v], n) for v, n in options))
            )
    return found


def _label(name: str, value: str, study: CaseStudy) -> str:
    if name == "service":
        # Show the service as an author wrote it, not folded to lower case.
        return next(s for s in study.services if s.casefold() == value)
    if name == "setting":
        return SETTING_LABELS[value]
    if name == "region":
        return value
    return value.replace("-", " ").capitalize()


def study_themes(study: CaseStudy) -> set[str]:
    return {theme for takeaway in study.takeaways for theme in takeaway.themes}


def related_case_studies(content: Content) -> dict[str, list[Related]]:
    """For each case study, the others sharing themes or services, most in common first.

    Built once for the whole library through an index of who has which theme and
    service, so the cost follows the overlaps rather than every pair of case studies.
    """
    themes = {s.id: study_themes(s) for s in content.case_studies.values()}
    services = {s.id: {v.casefold(): v for v in s.services} for s in content.case_studies.values()}
    having: dict[tuple[str, str], list[str]] = {}
    for study_id in content.case_studies:
        for theme in themes[study_id]:
            having.setdefault(("theme", theme), []).append(study_id)
        for service in services[study_id]:
            having.setdefault(("service", service), []).append(study_id)
    related: dict[str, list[Related]] = {}
    for study_id, study in content.case_studies.items():
        shared: dict[str, list[tuple[str, str]]] = {}
        keys = [("theme", t) for t in themes[study_id]] + [
            ("service", v) for v in services[study_id]
        ]
        for key in keys:
            for other in having[key]:
                if other != study_id:
                    shared.setdefault(other, []).append(key)
        best = sorted(
            shared.items(),
            key=lambda item: (-len(item[1]), content.case_studies[item[0]].title),
        )[:RELATED_LIMIT]
        related[study_id] = [
            Related(
                content.case_studies[other],
                tuple(content.themes[v].title for k, v in sorted(keys_) if k == "theme"),
                tuple(services[study.id][v] for k, v in keys_ if k == "service"),
            )
            for other, keys_ in best
        ]
    return related


def takeaways_drawn_from(study: CaseStudy, content: Content) -> list[DrawnTakeaway]:
    """Key takeaways of briefings that cite the case study as evidence."""
    return [
        DrawnTakeaway(briefing.id, briefing.title, takeaway)
        for briefing in content.briefings.values()
        for takeaway in briefing.key_takeaways
        if study.id in takeaway.case_studies
    ]
