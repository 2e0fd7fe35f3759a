"""The PDFs in MkDocs' build: registered with the files (so links to them resolve), then
composed from the rendered pages and handed to the PDF helper."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from jinja2 import Environment, TemplateError
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from briefgen.content.models import Content
from briefgen.helpers import pdf
from briefgen.site.documents import PageBody, PlannedDocument, plan_documents
from briefgen.site.routes import Routes


def register(
    files: Files,
    config: MkDocsConfig,
    content: Content,
    routes: Routes,
    cache: Path,
    scratch: Path | None = None,
) -> tuple[list[PlannedDocument], pdf.BackgroundPdfs | None]:
    """The PDFs, each with an empty file for now, and the helper that will write them.
    With nothing cached, the forkserver starts at once, to import WeasyPrint while the
    pages render."""
    documents = plan_documents(content, routes)
    for document in documents:
        files.append(File.generated(config, document.dest, content=b""))
    if not documents:
        return documents, None
    early = not any(cache.glob("*.pdf"))
    return documents, pdf.BackgroundPdfs(cache, early=early, scratch=scratch)


def compose(
    env: Environment,
    documents: list[PlannedDocument],
    bodies: dict[str, PageBody],
    pdfs: pdf.BackgroundPdfs,
    *,
    today: dt.date,
    version: str | None,
    routes: Routes,
    language: str,
) -> None:
    """Each PDF's HTML, from the pages' rendered bodies, handed to the PDF helper."""
    for document in documents:
        try:
            html = pdf.compose(
                env,
                document,
                bodies,
                built=today,
                version=version,
                routes=routes,
                language=language,
            )
        except TemplateError as error:
            raise PluginError(
                f"Error rendering '{document.dest}' with template '{document.template}':\n{error}"
            ) from error
        # Links resolve against the published address, never this machine's folders.
        pdfs.add(document.dest, html, routes.address(document.dest))
    pdfs.start()
