"""briefgen: executive briefings from YAML case studies, built with MkDocs.

The stages, each its own module: `load` (strict YAML with locations),
`models` (the schema), `validate` (every problem at once), `pages` (what pages
the site has), `render` (Jinja to HTML), `plugin` (MkDocs) and `cli`.
"""

from importlib import import_module
from typing import Any

# Where each name lives. They are imported on first use, so that `briefgen check`
# loads the schema and the reader, not Jinja and the page planner too.
_HOMES = {
    "Problem": "briefgen.load",
    "Briefing": "briefgen.models",
    "CaseStudy": "briefgen.models",
    "PlannedPage": "briefgen.pages",
    "plan_pages": "briefgen.pages",
    "make_environment": "briefgen.render",
    "render_page": "briefgen.render",
    "Content": "briefgen.validate",
    "Report": "briefgen.validate",
    "read_content": "briefgen.validate",
}

__all__ = sorted(_HOMES)


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'briefgen' has no attribute {name!r}")
    return getattr(import_module(_HOMES[name]), name)
