"""Decide which pages the site has, and what each one shows. Pure: data in, a plan out.

The plan knows nothing of MkDocs or Jinja; `render.py` turns each planned page
into the HTML of its body, and the MkDocs adapter hands that to the theme.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from briefgen.content.glossary import Glossary
from briefgen.content.models import Briefing, CaseStudy, Checklist, Content, Theme
from briefgen.site.glossary import Terms, glossary_terms
from briefgen.site.pagedata import ROWS, compared
from briefgen.site.relations import (
    Related,
    facet_json,
    facets,
    related_case_studies,
    study_themes,
    takeaways_drawn_from,
)
from briefgen.site.routes import DATA_FILES, FEED_XML, Routes
from briefgen.site.takeaways import TAKEAWAYS_PER_THEME, SourcedTakeaway, group_takeaways
from briefgen.site.text import SHORT_DESCRIPTION_LIMIT, rights_statement, summarise

# Columns of the comparison table. More is no longer side by side, even on a wide screen;
# a larger library is compared by choosing case studies on its index.
COMPARED_AT_MOST = 12


@dataclass(frozen=True)
class PlanOptions:
    """Choices of the site's configuration that change what pages say."""

    today: dt.date
    """The build's date (see `build_date`): case studies past their review date say so."""
    pdf: bool = True
    """Publish checklists and briefing packs as PDF files too."""
    licence: str | None = None
    """The licence the site's owner grants on the content and the open data; with none,
    the site claims none (the rights remain with the sources' owners)."""
    licence_url: str | None = None
    site_name: str = "Briefing"
    accessibility_contact: str | None = None
    """Who readers tell about accessibility problems, for the accessibility statement."""


@dataclass(frozen=True)
class PlannedPage:
    """One page of the site, before it is rendered."""

    src_uri: str
    """Path below the docs folder, such as `case-studies/dorset.md`."""
    template: str
    """The Jinja template that renders the page body."""
    title: str
    description: str
    context: Mapping[str, Any]
    """What the template sees, besides `routes` and `page`."""
    source_file: str | None = None
    """The YAML file the page is made from, for "edit this page"."""
    in_nav: bool = True
    """Listed in the navigation; one page a case study would make navigation cost O(n²)."""
    under: str | None = None
    """A page outside the navigation: the page whose entry it belongs under, which the
    navigation marks as it marks the current page's section."""
    search_boost: float | None = None
    search_exclude: bool = False
    """Leave out of the search index: the page repeats what case-study pages say."""
    tags: tuple[str, ...] = field(default_factory=tuple)
    updated: dt.date | None = None
    """When the content was last checked; the sitemap's lastmod."""
    terms: Terms | None = None
    """The glossary's terms, whose first use on the page says what each stands for."""


class PlanError(ValueError):
    """The content is sound, but the site cannot be planned from it as configured."""


def choose_home(content: Content, wanted: str | None) -> str | None:
    """The briefing that is the home page: the one asked for, or the only one there is."""
    if wanted is not None:
        if wanted not in content.briefings:
            known = ", ".join(content.briefings) or "none"
            raise PlanError(f"home briefing {wanted!r} does not exist (briefings: {known})")
        return wanted
    if len(content.briefings) == 1:
        return next(iter(content.briefings))
    if content.briefings:
        raise PlanError(
            "there are several briefings: name the one for the home page with the "
            f"plugin's 'home' option (one of: {', '.join(content.briefings)})"
        )
    return None


def plan_pages(content: Content, routes: Routes, options: PlanOptions) -> list[PlannedPage]:
    """Every generated page of the site, given checked content and where pages live."""
    pages: list[PlannedPage] = []
    for briefing in content.briefings.values():
        pages.append(_briefing_page(briefing, content, routes, options))
        pages.extend(_checklist_pages(briefing, content, routes, options))
    studies = list(content.case_studies.values())
    pages.append(
        PlannedPage(
            src_uri=routes.case_study_index,
            template="case_study_index.html.j2",
            title="Case studies",
            search_exclude=True,
            description=f"{len(studies)} case studies of councils sharing "
            "services, partnering and merging.",
            context={
                "case_studies": studies,
                "facets": facets(content),
                "facet_json": {s.id: facet_json(s) for s in studies},
            },
        )
    )
    related = related_case_studies(content)
    for study in studies:
        pages.append(_case_study_page(study, content, routes, options, related[study.id]))
    groups = group_takeaways(content, routes)
    pages.append(
        PlannedPage(
            src_uri=routes.takeaways,
            template="takeaways.html.j2",
            title="Takeaways",
            description="The takeaways from the briefings and case studies, grouped by theme.",
            context={"groups": groups, "per_theme": TAKEAWAYS_PER_THEME},
            search_exclude=True,
        )
    )
    pages.extend(_theme_pages(content, routes, groups))
    if studies:
        chosen, featured = compared_by_default(content)
        pages.append(
            PlannedPage(
                src_uri=routes.compare,
                template="compare.html.j2",
                title="Compare case studies",
                search_exclude=True,
                description="Case studies side by side: councils, model, services, "
                "outcomes with their sources, what helped and the challenges.",
                context={
                    "case_studies": chosen,
                    "columns": [compared(study, routes) for study in chosen],
                    "rows": ROWS,
                    "featured": featured,
                    "total": len(studies),
                    "most": COMPARED_AT_MOST,
                },
            )
        )
    pages.append(
        PlannedPage(
            src_uri=routes.data,
            template="data.html.j2",
            title="Open data",
            description="Every case study as JSON, CSV and an Atom feed, with its JSON Schema.",
            context={
                "case_studies": studies,
                "files": {routes.data_file(name): text for name, text in DATA_FILES.items()},
                "feed": routes.data_file(FEED_XML),
                "options": options,
                "rights": rights_statement(options.licence),
            },
        )
    )
    pages.append(
        PlannedPage(
            src_uri=routes.accessibility,
            template="accessibility.html.j2",
            title="Accessibility statement",
            description=f"How accessible {options.site_name} is, and how to report a problem.",
            context={
                "site_name": options.site_name,
                "contact": options.accessibility_contact,
                "prepared": options.today,
            },
            in_nav=False,  # linked from every page's footer
        )
    )
    if content.glossary is not None:
        pages.append(_glossary_page(content.glossary, routes))
    # Every page but the glossary's own explains the terms it uses.
    terms = glossary_terms(content.glossary)
    if terms is not None:
        pages = [
            page if page.src_uri == routes.glossary else dataclasses.replace(page, terms=terms)
            for page in pages
        ]
    return pages


def _glossary_page(glossary: Glossary, routes: Routes) -> PlannedPage:
    return PlannedPage(
        src_uri=routes.glossary,
        template="glossary.html.j2",
        title="Glossary",
        description="The abbreviations and terms the briefings and case studies use, and "
        "what each stands for.",
        context={
            "entries": sorted(glossary.terms, key=lambda entry: entry.term.casefold()),
            "sources": {source.id: source for source in glossary.sources},
        },
    )


def checklist_version(checklist: Checklist) -> str:
    """A short fingerprint of a checklist's content: ticks saved against it expire with it."""
    return hashlib.sha256(checklist.model_dump_json().encode()).hexdigest()[:12]


def _briefing_page(
    briefing: Briefing, content: Content, routes: Routes, options: PlanOptions
) -> PlannedPage:
    return PlannedPage(
        src_uri=routes.briefing(briefing.id),
        template="briefing.html.j2",
        title=briefing.title,
        # The bottom line is what a shared link should say; the context is only its setting.
        description=summarise(briefing.bottom_line, SHORT_DESCRIPTION_LIMIT)
        if briefing.bottom_line
        else summarise(briefing.context),
        context={
            "briefing": briefing,
            "case_studies": [content.case_studies[i] for i in briefing.case_studies],
            "all_case_studies": content.case_studies,
            "themes": content.themes,
            "sources": {s.id: s for s in briefing.sources},
            "pdf": routes.briefing_pdf(briefing.id) if options.pdf else None,
        },
        source_file=content.files[briefing.id],
    )


def _checklist_pages(
    briefing: Briefing, content: Content, routes: Routes, options: PlanOptions
) -> list[PlannedPage]:
    return [
        PlannedPage(
            src_uri=routes.checklist(checklist.id),
            template="checklist.html.j2",
            title=checklist.title,
            description=summarise(checklist.intro or checklist.title),
            context={
                "checklist": checklist,
                "briefing": briefing,
                "case_studies": content.case_studies,
                "version": checklist_version(checklist),
                "pdf": routes.checklist_pdf(checklist.id) if options.pdf else None,
                "address": routes.address(routes.checklist(checklist.id)),
            },
            source_file=content.files[briefing.id],
        )
        for checklist in briefing.checklists
    ]


def _case_study_page(
    study: CaseStudy,
    content: Content,
    routes: Routes,
    options: PlanOptions,
    related: list[Related],
) -> PlannedPage:
    briefings = [b for b in content.briefings.values() if study.id in b.case_studies]
    return PlannedPage(
        src_uri=routes.case_study(study.id),
        template="case_study.html.j2",
        title=study.title,
        description=summarise(study.summary),
        context={
            "study": study,
            "themes": content.themes,
            "sources": {s.id: s for s in study.sources},
            "briefings": briefings,
            # Only the case studies its takeaways cite: a page depends on what it shows.
            "all_case_studies": {
                cited: content.case_studies[cited]
                for takeaway in study.takeaways
                for cited in takeaway.case_studies
            },
            "overdue": study.review_due < options.today,
            "related": related,
            "drawn": takeaways_drawn_from(study, content),
        },
        source_file=content.files[study.id],
        in_nav=False,
        under=routes.case_study_index,
        search_boost=2,
        tags=tuple(study.tags),
        updated=study.reviewed,
    )


def compared_by_default(content: Content) -> tuple[list[CaseStudy], bool]:
    """The case studies the comparison page shows before a reader chooses, and whether
    they are the briefings' own: all of them if they fit the table, else those the
    briefings feature (the first ones, if no briefing names any)."""
    studies = list(content.case_studies.values())
    if len(studies) <= COMPARED_AT_MOST:
        return studies, False
    featured = dict.fromkeys(
        study for briefing in content.briefings.values() for study in briefing.case_studies
    )
    chosen = [content.case_studies[study] for study in featured][:COMPARED_AT_MOST]
    return (chosen, True) if chosen else (studies[:COMPARED_AT_MOST], False)


@dataclass(frozen=True)
class ThemeSummary:
    """A theme as the themes index lists it: what its page gathers."""

    theme: Theme
    takeaways: int
    case_studies: int
    briefings: int
    """Briefings with a key takeaway under the theme: some themes only briefings use."""


def _theme_pages(
    content: Content, routes: Routes, groups: list[tuple[Theme | None, list[SourcedTakeaway]]]
) -> list[PlannedPage]:
    """The themes index, then a page for each theme some takeaway carries."""
    studies: dict[str, list[CaseStudy]] = {}
    for study in content.case_studies.values():
        for theme_id in study_themes(study):
            studies.setdefault(theme_id, []).append(study)
    # A theme's page lists the case studies its takeaways come from, and those they cite
    # (a briefing's takeaway on leadership may cite case studies that do not use the theme).
    listed: dict[str, list[CaseStudy]] = {}
    for theme, entries in groups:
        if theme is not None:
            ids = {e.origin_study for e in entries} | {c.id for e in entries for c in e.cited}
            listed[theme.id] = [s for s in content.case_studies.values() if s.id in ids]
    briefings: dict[str, int] = {}
    for briefing in content.briefings.values():
        for theme_id in {theme for item in briefing.key_takeaways for theme in item.themes}:
            briefings[theme_id] = briefings.get(theme_id, 0) + 1
    themed = [(theme, entries) for theme, entries in groups if theme is not None]
    if not themed:
        return []
    index = PlannedPage(
        src_uri=routes.themes,
        template="themes.html.j2",
        title="Themes",
        description="The themes the takeaways are grouped under, each with its case "
        "studies and takeaways.",
        context={
            "themes": [
                ThemeSummary(
                    theme,
                    len(entries),
                    len(studies.get(theme.id, [])),
                    briefings.get(theme.id, 0),
                )
                for theme, entries in themed
            ]
        },
        in_nav=False,  # reached from the takeaways page and every theme's page
        under=routes.takeaways,
        search_exclude=True,
    )
    return [index] + [
        PlannedPage(
            src_uri=routes.theme(theme.id),
            template="theme.html.j2",
            title=theme.title,
            description=summarise(theme.description or theme.title),
            context={
                "theme": theme,
                "entries": entries,
                "case_studies": listed[theme.id],
            },
            in_nav=False,
            under=routes.takeaways,
            search_exclude=True,
        )
        for theme, entries in themed
    ]
