"""Write PDFs with WeasyPrint from HTML the site has already rendered.

A checklist's PDF and a briefing pack are the pages' own HTML bodies, framed by
an HTML template and laid out by the site's print stylesheet: what a reader
prints from the browser and what they download look alike. WeasyPrint is
imported only when a PDF is written, so a site built with PDFs off does not
need Pango.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import shutil
import tempfile
from concurrent.futures import Future, ProcessPoolExecutor
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


def _write_reporting_errors(html: str, target: Path, base_url: str | None) -> str | None:
    """`write_pdf` in another process: an error comes back as text, as it may not pickle."""
    try:
        write_pdf(html, target, base_url=base_url)
    except Exception as error:  # WeasyPrint raises anything, even AssertionError
        return f"{type(error).__name__}: {error}"
    return None


class BackgroundPdfs:
    """Lays PDFs out in another process while MkDocs renders the site's pages.

    WeasyPrint takes seconds over a large briefing pack, while the machine's other
    core sits idle. Each PDF goes to a private folder and is copied into the site
    when the build collects it, after MkDocs has written its own files.
    """

    def __init__(self) -> None:
        self._folder = Path(tempfile.mkdtemp(prefix="briefgen-pdf-"))
        # spawn, not fork: `mkdocs serve` runs threads, and forking them is unsafe.
        context = multiprocessing.get_context("spawn")
        self._pool = ProcessPoolExecutor(max_workers=1, mp_context=context)
        self._jobs: dict[str, Future[str | None]] = {}

    def submit(self, dest: str, html: str, base_url: str | None) -> None:
        self._jobs[dest] = self._pool.submit(
            _write_reporting_errors, html, self._folder / dest, base_url
        )

    def collect(self, site_dir: Path) -> dict[str, str]:
        """Wait for every PDF and copy it into `site_dir`; returns the errors by destination."""
        errors: dict[str, str] = {}
        try:
            for dest, job in self._jobs.items():
                try:
                    error = job.result()
                except Exception as crash:  # the process died: out of memory, killed
                    error = f"{type(crash).__name__}: {crash}"
                if error:
                    errors[dest] = error
                    continue
                target = site_dir / dest
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(self._folder / dest, target)
        finally:
            self.close()
        return errors

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(self._folder, ignore_errors=True)
