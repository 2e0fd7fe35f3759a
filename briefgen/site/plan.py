"""Decide which pages the site has, and what each one shows. Pure: data in, a plan out.

The plan knows nothing of MkDocs or Jinja; `render.py` turns each planned page
into the HTML of its body, and the MkDocs adapter hands that to the theme.
"""

from __future__ import annotations

import dataclasses
import hashlib

from briefgen.content.glossary import Glossary
from briefgen.content.models import Briefing, CaseStudy, Checklist, Content, Theme
from briefgen.site.glossary import glossary_terms
from briefgen.site.pagedata import COMPARED_AT_MOST, ROWS, compared, compared_by_default
from briefgen.site.planned import PlanError, PlannedPage, PlanOptions
from briefgen.site.relations import (
    Related,
    facet_json,
    facets,
    related_case_studies,
    takeaways_drawn_from,
)
from briefgen.site.routes import DATA_FILES, FEED_XML, Routes
from briefgen.site.takeaways import TAKEAWAYS_PER_THEME, SourcedTakeaway, group_takeaways
from briefgen.site.text import SHORT_DESCRIPTION_LIMIT, rights_statement, summarise
from briefgen.site.themes import listed_under, theme_summaries


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


def _theme_pages(
    content: Content, routes: Routes, groups: list[tuple[Theme | None, list[SourcedTakeaway]]]
) -> list[PlannedPage]:
    """The themes index, then a page for each theme some takeaway carries."""
    themed = [(theme, entries) for theme, entries in groups if theme is not None]
    if not themed:
        return []
    index = PlannedPage(
        src_uri=routes.themes,
        template="themes.html.j2",
        title="Themes",
        description="The themes the takeaways are grouped under, each with its case "
        "studies and takeaways.",
        context={"themes": theme_summaries(content, themed)},
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
                "case_studies": listed_under(content, entries),
            },
            in_nav=False,
            under=routes.takeaways,
            search_exclude=True,
        )
        for theme, entries in themed
    ]
