"""Decide which PDFs the site has, and which pages go into each. Pure: data in, a plan out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from briefgen.content.models import Content
from briefgen.site.routes import Routes


@dataclass(frozen=True)
class PlannedDocument:
    """A PDF made from the rendered bodies of some pages."""

    dest: str
    """Path below the site's root, such as `checklists/it-due-diligence.pdf`."""
    template: str
    """The Jinja HTML template that frames the pages."""
    title: str
    parts: tuple[str, ...]
    """The `src_uri` of each page whose body goes in, in order."""
    context: Mapping[str, Any] = field(default_factory=dict)


def plan_documents(content: Content, routes: Routes) -> list[PlannedDocument]:
    """The PDFs: one a checklist, and a briefing pack a briefing."""
    documents: list[PlannedDocument] = []
    for briefing in content.briefings.values():
        checklists = [routes.checklist(c.id) for c in briefing.checklists]
        for checklist, src_uri in zip(briefing.checklists, checklists, strict=True):
            documents.append(
                PlannedDocument(
                    dest=routes.checklist_pdf(checklist.id),
                    template="pdf/checklist.html.j2",
                    title=checklist.title,
                    parts=(src_uri,),
                    context={"briefing": briefing},
                )
            )
        studies = [routes.case_study(i) for i in briefing.case_studies]
        documents.append(
            PlannedDocument(
                dest=routes.briefing_pdf(briefing.id),
                template="pdf/pack.html.j2",
                title=briefing.title,
                parts=(routes.briefing(briefing.id), *studies, *checklists),
                context={"briefing": briefing},
            )
        )
    return documents
