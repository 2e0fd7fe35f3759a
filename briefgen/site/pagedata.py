"""What the comparison shows of a case study: one definition for both of its tables.

The compare page's table is rendered from `compared`; so is the description that
the render stage appends to every case-study page (`case_study_data`), which the
page's script reads to build the table of the case studies a reader chose. Both
come from here, so the two tables cannot say different things, and a site that
replaces `case_study.html.j2` with its own template still gets its comparison:
the script reads this description, never the page's markup.

Pure: a case study and the routes in, plain values and text out.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from markupsafe import escape

from briefgen.content.models import CaseStudy, Content
from briefgen.content.wording import sentence_case
from briefgen.site.text import lower_first, number, outcome_status, term_in_text, terms

if TYPE_CHECKING:
    from briefgen.site.planned import PlannedPage
    from briefgen.site.routes import Routes

ROWS = (
    "Councils",
    "Region",
    "Model",
    "Speaker",
    "Services",
    "Outcomes",
    "What helped",
    "Challenges",
)
"""The rows of the comparison, in order."""

# Columns of the comparison table. More is no longer side by side, even on a wide screen;
# a larger library is compared by choosing case studies on its index.
COMPARED_AT_MOST = 12


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


DATA_ATTRIBUTE = "data-bg-case-study"
"""The attribute of the element that carries a case-study page's description."""


@dataclass(frozen=True)
class SourceLink:
    """A link to a place on the case study's own page: a figure's source."""

    text: str
    anchor: str
    """The id it leads to on the case study's page, such as `source-report`."""


Part = str | SourceLink
Line = tuple[Part, ...]
"""Text and links, shown on one line of a cell."""


@dataclass(frozen=True)
class Row:
    label: str
    lines: tuple[Line, ...]
    """The cell's lines, shown one below another."""
    listed: bool = False
    """The lines are items of a list (services, what helped), shown with bullets."""


@dataclass(frozen=True)
class Compared:
    """One case study's column of the comparison."""

    id: str
    title: str
    url: str
    """Its page, below the site's root (`case-studies/x/`, or `x.html` files)."""
    rows: tuple[Row, ...]
    """One for each of ROWS, in order."""

    def as_json(self) -> dict[str, object]:
        """The description a case-study page carries: text as strings, links as objects."""
        return {
            "id": self.id,
            "title": self.title,
            "url": self.url,
            "rows": [
                {
                    "label": row.label,
                    "lines": [[_part_json(part) for part in line] for line in row.lines],
                    "list": row.listed,
                }
                for row in self.rows
            ],
        }


def _part_json(part: Part) -> object:
    if isinstance(part, SourceLink):
        return {"text": part.text, "anchor": part.anchor}
    return part


# A row is one line of text, or a list; a list with nothing in it says so, as text.
Cell = tuple[tuple[Line, ...], bool]


def _text(value: str | None, missing: str = "Not stated") -> Cell:
    return (((value,),) if value else ((missing,),)), False


def _items(lines: list[Line]) -> Cell:
    return (tuple(lines), True) if lines else ((("None stated",),), False)


def _lines(items: list[str]) -> Cell:
    return _items([(item,) for item in items])


def region_adds_to_councils(study: CaseStudy) -> bool:
    """Whether a case study's region tells a reader more than its councils' names do.
    "Region: Bristol" under "Bristol City Council" does not; "Dorset" under "North Dorset,
    Weymouth and Portland" does (not every name says it). The filters keep every region:
    there it gathers case studies, whatever their councils are called."""
    if not study.region:
        return False
    said = re.compile(rf"(?<!\w){re.escape(study.region.casefold())}(?!\w)")
    return not all(said.search(org.name.casefold()) for org in study.organisations)


def _region(study: CaseStudy) -> Cell:
    """A dash where the councils' names say the region already ("Region: Bristol" under
    Bristol City Council), as the cards leave it out. A dash, not "Not stated": the region
    is known; and the row stays, as the other columns have theirs in it."""
    if study.region and not region_adds_to_councils(study):
        return _text("—")
    return _text(study.region)


def _figure(study: CaseStudy) -> Cell:
    lines: list[Line] = []
    for outcome in study.outcomes:
        unit = outcome.unit or ""
        space = " " if unit and unit != "%" else ""
        figure = f"{outcome.metric}: {number(outcome.value)}{space}{unit}"
        if outcome.scope:  # as the case study's page says it: where the figure applies
            figure += f": {lower_first(outcome.scope)}"
        source = SourceLink("source", f"source-{outcome.source}")
        said = lower_first(outcome_status(outcome.status, outcome.reported_by))
        lines.append((f"{figure} ({said}; ", source, ")"))
    return _items(lines)


def compared(study: CaseStudy, routes: Routes) -> Compared:
    """A case study as the comparison shows it."""
    councils = ", ".join(
        f"{org.name} ({term_in_text(org.tier)})" if org.tier else org.name
        for org in study.organisations
    )
    speaker = None
    if study.speaker:
        speaker = study.speaker.name
        if study.speaker.role:
            speaker += f", {study.speaker.role}"
    values = (
        _text(councils),
        _region(study),
        _text(terms(study.models)),
        _text(speaker),
        _lines([sentence_case(service) for service in study.services]),
        _figure(study),
        _lines(study.enablers),
        _lines(study.challenges),
    )
    return Compared(
        id=study.id,
        title=study.title,
        url=routes.url(routes.case_study(study.id)),
        rows=tuple(
            Row(label, lines, listed) for label, (lines, listed) in zip(ROWS, values, strict=True)
        ),
    )


def case_study_data(page: PlannedPage, routes: Routes) -> str:
    """The element a case study's page carries its description in, for the comparison
    (empty for any other page): hidden, with the description as JSON in an attribute.

    An attribute, not a `<script type="application/json">`: Material's instant
    navigation runs every script in the content it swaps in as JavaScript, whatever
    its type. The attribute's value is escaped as any other (`&`, `<`, `>` and quotes
    become references), so no text of a case study can end it or add markup.
    """
    study = page.context.get("study")
    if not isinstance(study, CaseStudy) or page.src_uri != routes.case_study(study.id):
        return ""
    data = json.dumps(compared(study, routes).as_json(), ensure_ascii=False, separators=(",", ":"))
    return f'<div hidden {DATA_ATTRIBUTE}="{escape(data)}"></div>\n'
