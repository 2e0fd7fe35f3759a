"""What the themes' pages gather: for each theme, its takeaways' case studies, and how
many takeaways, case studies and briefings it has. Pure: content in, values out."""

from __future__ import annotations

from dataclasses import dataclass

from briefgen.content.models import CaseStudy, Content, Theme
from briefgen.site.relations import study_themes
from briefgen.site.takeaways import SourcedTakeaway


@dataclass(frozen=True)
class ThemeSummary:
    """A theme as the themes index lists it: what its page gathers."""

    theme: Theme
    takeaways: int
    case_studies: int
    briefings: int
    """Briefings with a key takeaway under the theme: some themes only briefings use."""


def theme_summaries(
    content: Content, themed: list[tuple[Theme, list[SourcedTakeaway]]]
) -> list[ThemeSummary]:
    """Each theme some takeaway carries, as the themes index lists it."""
    studies: dict[str, int] = {}
    for study in content.case_studies.values():
        for theme_id in study_themes(study):
            studies[theme_id] = studies.get(theme_id, 0) + 1
    briefings: dict[str, int] = {}
    for briefing in content.briefings.values():
        for theme_id in {theme for item in briefing.key_takeaways for theme in item.themes}:
            briefings[theme_id] = briefings.get(theme_id, 0) + 1
    return [
        ThemeSummary(theme, len(entries), studies.get(theme.id, 0), briefings.get(theme.id, 0))
        for theme, entries in themed
    ]


def listed_under(content: Content, entries: list[SourcedTakeaway]) -> list[CaseStudy]:
    """The case studies a theme's page lists: those its takeaways come from, and those they
    cite (a briefing's takeaway on leadership may cite case studies without the theme)."""
    ids = {e.origin_study for e in entries} | {c.id for e in entries for c in e.cited}
    return [study for study in content.case_studies.values() if study.id in ids]
