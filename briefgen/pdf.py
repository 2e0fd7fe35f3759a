"""Write PDFs with WeasyPrint from HTML the site has already rendered.

A checklist's PDF and a briefing pack are the pages' own HTML bodies, framed by
an HTML template and laid out by the site's print stylesheet: what a reader
prints from the browser and what they download look alike. WeasyPrint is
imported only when a PDF is written, so a site built with PDFs off does not
need Pango.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from jinja2 import Environment
from markupsafe import Markup

from briefgen.documents import PlannedDocument


@dataclass(frozen=True)
class Part:
    """One page's rendered body inside a document."""

    anchor: str
    title: str
    html: Markup


def stylesheet() -> str:
    """The site's own stylesheet: its print rules lay out the PDFs too."""
    return resources.files("briefgen").joinpath("assets/briefgen.css").read_text("utf-8")


def compose(
    env: Environment,
    document: PlannedDocument,
    bodies: dict[str, tuple[str, str]],
    *,
    built: dt.date,
    version: str | None,
) -> str:
    """The HTML of a document: its template around the bodies of its pages.

    `bodies` maps a page's `src_uri` to its title and the HTML MkDocs rendered
    for it (already escaped: contributed text went through the Markdown stage).
    """
    parts = [
        Part(f"part-{index}", bodies[src][0], Markup(bodies[src][1]))
        for index, src in enumerate(document.parts, start=1)
        if src in bodies
    ]
    template = env.get_template(document.template)
    return template.render(
        document=document,
        parts=parts,
        built=built,
        version=version,
        css=Markup(stylesheet()),
        **document.context,
    )


def write_pdf(html: str, target: Path, *, base_url: str | None = None) -> None:
    """Lay out `html` as an A4 PDF at `target`."""
    from weasyprint import HTML

    target.parent.mkdir(parents=True, exist_ok=True)
    HTML(string=html, base_url=base_url).write_pdf(target)
