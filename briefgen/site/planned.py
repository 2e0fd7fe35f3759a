"""The shapes of a plan: the options that change what pages say, and one planned page.

`plan.py` decides the pages; `render.py`, the serve memo and the MkDocs adapter read them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from briefgen.site.glossary import Terms


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
