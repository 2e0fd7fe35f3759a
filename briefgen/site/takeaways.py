"""The takeaways of every briefing and case study, grouped by theme, each with its origin.

The takeaways page and each theme's page list them; a takeaway names the page it
comes from, and the anchor of the section there that states it.
"""

from __future__ import annotations

from dataclasses import dataclass

from briefgen.content.models import CaseStudy, Content, Source, Takeaway, Theme
from briefgen.site.routes import Routes

# The takeaways page shows this many of each theme; the theme's own page lists them all.
# A thousand case studies give a theme thousands: one page of all of them would be
# megabytes on a phone, and the same words as the theme pages again.
TAKEAWAYS_PER_THEME = 6


@dataclass(frozen=True)
class SourcedTakeaway:
    """A takeaway together with the page it comes from."""

    takeaway: Takeaway
    origin_title: str
    origin_uri: str
    origin_anchor: str | None
    """The id of the origin's section that lists it (the templates give it that id)."""
    source: Source | None
    """The source the takeaway cites; its citation is on the origin page."""
    origin_study: str | None = None
    """The case study it comes from, if it is a case study's own takeaway."""
    cited: tuple[CaseStudy, ...] = ()
    """The case studies it cites as bearing it out."""


def group_takeaways(
    content: Content, routes: Routes
) -> list[tuple[Theme | None, list[SourcedTakeaway]]]:
    """Every takeaway under each of its themes (themes in declared order), unthemed last."""
    by_theme: dict[str, list[SourcedTakeaway]] = {theme: [] for theme in content.themes}
    unthemed: list[SourcedTakeaway] = []
    origins = [
        (b.key_takeaways, b.sources, b.title, routes.briefing(b.id), "key-takeaways", None)
        for b in content.briefings.values()
    ] + [
        (s.takeaways, s.sources, s.title, routes.case_study(s.id), "takeaways", s.id)
        for s in content.case_studies.values()
    ]
    for takeaways, source_list, title, uri, anchor, study in origins:
        sources = {source.id: source for source in source_list}
        for takeaway in takeaways:
            entry = SourcedTakeaway(
                takeaway,
                title,
                uri,
                anchor,
                sources.get(takeaway.source or ""),
                study,
                tuple(content.case_studies[cited] for cited in takeaway.case_studies),
            )
            for theme in takeaway.themes:
                by_theme[theme].append(entry)
            if not takeaway.themes:
                unthemed.append(entry)
    groups: list[tuple[Theme | None, list[SourcedTakeaway]]] = [
        (content.themes[theme], entries) for theme, entries in by_theme.items() if entries
    ]
    if unthemed:
        groups.append((None, unthemed))
    return groups
