"""briefgen: executive briefings from YAML case studies, built with MkDocs.

The stages, each its own module: `load` (strict YAML with locations),
`models` (the schema), `validate` (every problem at once), `pages` (what pages
the site has), `render` (Jinja to HTML), `plugin` (MkDocs) and `cli`.
"""

from briefgen.load import Problem
from briefgen.models import Briefing, CaseStudy
from briefgen.pages import PlannedPage, plan_pages
from briefgen.render import make_environment, render_page
from briefgen.validate import Content, Report, read_content

__all__ = [
    "Briefing",
    "CaseStudy",
    "Content",
    "PlannedPage",
    "Problem",
    "Report",
    "make_environment",
    "plan_pages",
    "read_content",
    "render_page",
]
