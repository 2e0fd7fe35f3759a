"""Write PDFs with WeasyPrint from HTML the site has already rendered.

A checklist's PDF and a briefing pack are the pages' own HTML bodies, framed by
an HTML template and laid out by the site's print stylesheet: what a reader
prints from the browser and what they download look alike. WeasyPrint is
imported only when a PDF is written, so a site built with PDFs off does not
need Pango.

A PDF is kept in a cache folder under the hash of everything that decides it
(its HTML, which holds the stylesheet, its base URL, WeasyPrint's options and
version), so a build whose briefing pack has not changed copies it instead of
laying it out again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html as html_text
import json
import os
import re
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import metadata, resources
from multiprocessing.process import BaseProcess
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from jinja2 import Environment
from markupsafe import Markup, escape

from briefgen.helpers import workers
from briefgen.site.documents import PageBody, PlannedDocument
from briefgen.site.routes import Routes, resolve

# A link, with its attributes and its text.
_ANCHOR = re.compile(r"<a\b([^>]*)>(.*?)</a>", re.DOTALL)
_HREF = re.compile(r'\shref="([^"]*)"')
# The attributes that name an element of the page by its id.
_ID_REFERENCE = re.compile(r'(\s(?:id|for|aria-labelledby|aria-describedby)=")([^"]*)(")')
# White space before an element that runs in the text (see `spaces_inside_inline`).
# (Attribute values hold no raw ">": templates escape every value. Not <span>: one that is
# hidden on paper, such as words for screen readers, would take the space with it.)
_SPACE_BEFORE_INLINE = re.compile(
    r"(?<=\S)(\s+)(<(?:a|abbr|b|cite|code|dfn|em|i|kbd|mark|q|s|samp|small|strong|sub|sup"
    r"|time|u|var)\b[^>]*>)"
)

# WeasyPrint's options for every PDF: tagged, so that a screen reader reads headings,
# lists and links in order (66 is the first release whose tags keep links working).
WRITE_OPTIONS = {"pdf_tags": True}

# How long the helper may take, in seconds: WeasyPrint lays out a page in well under a
# second, and a build must not wait forever on one that hangs. A page's HTML is about
# 20,000 characters, the stylesheet included.
WAIT = 120.0
WAIT_PER_CHARACTER = 1 / 20_000


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
    bodies: Mapping[str, PageBody],
    *,
    built: dt.date,
    version: str | None,
    routes: Routes,
    language: str,
) -> str:
    """The HTML of a document: its template around the bodies of its pages.

    `bodies` holds each page by its `src_uri`, as MkDocs rendered it (already escaped:
    templates autoescape every contributed value). `language` is the site's, as its pages
    declare it.
    """
    parts = [
        _part(f"part-{index}", bodies[src], src, routes)
        for index, src in enumerate(document.parts, start=1)
        if src in bodies
    ]
    template = env.get_template(document.template)
    html = template.render(
        document=document,
        parts=parts,
        built=built,
        version=version,
        language=language,
        css=Markup(stylesheet()),
        **document.context,
    )
    return spaces_inside_inline(html)


def spaces_inside_inline(html: str) -> str:
    """`html` with the space before a link, a glossary term's <abbr> or other element of
    the text moved to just inside it: it reads and breaks the same.

    WeasyPrint (70, as this was written) measures a run of text with the space it ends in:
    where the rest of a run that ends in a space before such an element fits a line only
    without that space, it sets the run's next word on a line of its own ("efficiencies /
    through / economies of scale"). Moved, the space no longer ends a run, and lines fill
    as in a browser. On paper these elements have no underline to show the space under.
    """
    return _SPACE_BEFORE_INLINE.sub(r"\2\1", html)  # the white space itself: a <pre> keeps it


def _part(anchor: str, body: PageBody, page: str, routes: Routes) -> Part:
    """A page's body as a part of a document: its links rebased, its ids its own."""
    return Part(anchor, body.title, Markup(own_ids(rebase_links(body.html, page, routes), anchor)))


def rebase_links(html: str, page: str, routes: Routes) -> str:
    """A page's body with its links made to work from a PDF, read wherever it was saved.

    A link within the page stays a jump within the document (see `own_ids`). A link to
    another page of the site becomes its absolute address when the site's address is
    known; without it no address works from a downloaded file, so the link becomes its
    text. Other hosts' addresses are left as they are.
    """
    page_url = routes.url(page)

    def rebased(match: re.Match[str]) -> str:
        attributes, text = match[1], match[2]
        href = _HREF.search(attributes)
        target = html_text.unescape(href[1]) if href else ""
        if not target or target.startswith("#") or urlsplit(target).scheme:
            return match[0]  # a jump within the page, or another host's address
        if not routes.site_url:
            return text
        address = escape(urljoin(routes.site_url, resolve(target, page_url)))
        absolute = _HREF.sub(lambda _: f' href="{address}"', attributes, count=1)
        return f"<a{absolute}>{text}</a>"

    return _ANCHOR.sub(rebased, html)


def own_ids(html: str, prefix: str) -> str:
    """`html` with every id, and every reference to one, made `prefix`'s own: a pack's
    parts share ids (each case study has its `#sources`), and a jump must land in its own."""

    def owned(match: re.Match[str]) -> str:
        ids = " ".join(f"{prefix}-{name}" for name in match[2].split())
        return f"{match[1]}{ids}{match[3]}"

    html = _ID_REFERENCE.sub(owned, html)
    return html.replace('href="#', f'href="#{prefix}-')


def write_pdf(html: str, target: Path, *, base_url: str | None = None) -> None:
    """Lay out `html` as an A4 PDF at `target`."""
    from weasyprint import HTML

    target.parent.mkdir(parents=True, exist_ok=True)
    HTML(string=html, base_url=base_url).write_pdf(target, **WRITE_OPTIONS)


def cache_key(html: str, base_url: str | None) -> str:
    """The hash of everything that decides a PDF's bytes."""
    decided_by = json.dumps([html, base_url, WRITE_OPTIONS, metadata.version("weasyprint")])
    return hashlib.sha256(decided_by.encode("utf-8")).hexdigest()


class BackgroundPdfs:
    """Lays PDFs out in another process while MkDocs renders the site's pages.

    WeasyPrint takes seconds over a large briefing pack, while the machine's other
    core sits idle. The process starts from Python's forkserver, which has imported
    WeasyPrint once (helpers/workers.py); with `early`, the forkserver starts at once,
    to import it while the pages render. Each PDF goes to a private folder and is
    copied into the site when the build collects it, after MkDocs has written its own
    files.
    """

    def __init__(self, cache: Path, *, early: bool, scratch: Path | None = None) -> None:
        # In the project's scratch folder (`scratch`), which the next build empties if
        # this one is killed: a folder in /tmp would stay.
        if scratch is not None:
            scratch.mkdir(parents=True, exist_ok=True)
        self._folder = Path(tempfile.mkdtemp(prefix="pdf-", dir=scratch)).resolve()
        self._cache = cache.resolve()
        self._size = 0  # the characters of HTML to lay out
        self._jobs: list[dict[str, str | None]] = []
        self._cached: dict[str, Path] = {}  # destination: the cached PDF to copy
        self._process: BaseProcess | None = None
        self._not_started = ""  # why the process could not start, if it could not
        self._closed = False
        if early:
            workers.warm_up()

    def add(self, dest: str, html: str, base_url: str | None) -> None:
        kept = self._cache / f"{cache_key(html, base_url)}.pdf"
        if kept.is_file():
            self._cached[dest] = kept
            return
        source = self._folder / f"{len(self._jobs)}.html"
        source.write_text(html, encoding="utf-8")
        self._size += len(html)
        self._jobs.append(
            {
                "dest": dest,
                "html": str(source),
                "pdf": f"{source}.pdf",
                "base_url": base_url,
                "keep_as": str(kept),
            }
        )

    def start(self) -> None:
        """Hand the PDFs added so far to a process, which lays them out meanwhile."""
        if not self._jobs:  # every one is in the cache
            return
        process = workers.helper_context().Process(
            target=_lay_out, args=(self._jobs, str(self._folder)), name="briefgen-pdf"
        )
        process.daemon = True  # stopped, should the build end without collecting
        try:
            process.start()
        except (OSError, EOFError) as error:  # EOFError: the forkserver died
            self._not_started = f"the PDF process did not start ({type(error).__name__}: {error})"
            return
        self._process = process

    def collect(self, site_dir: Path) -> dict[str, str]:
        """Wait for every PDF and copy it into `site_dir`; returns the errors by destination.

        The cache then holds this build's PDFs and no others."""
        try:
            errors: dict[str, str] = {}
            process = self._process
            if self._closed or self._not_started:  # closed: stopped by a newer save
                why = self._not_started or "stopped by a newer build"
                return {str(job["dest"]): why for job in self._jobs}
            if process is not None:
                timeout = WAIT + WAIT_PER_CHARACTER * self._size
                process.join(timeout)
                if process.exitcode is None:
                    stopped = f"not laid out within {timeout:.0f} seconds, and stopped; build again"
                    return {str(job["dest"]): stopped for job in self._jobs}
                try:
                    errors = json.loads((self._folder / "errors.json").read_text("utf-8"))
                except OSError:  # the process died before it could report
                    detail = _last_words(self._folder) or f"status {process.exitcode}"
                    return {str(job["dest"]): detail for job in self._jobs}
            written = dict(self._cached)
            for job in self._jobs:
                dest = str(job["dest"])
                if dest not in errors:
                    written[dest] = Path(str(job["pdf"]))
                    _copy(written[dest], Path(str(job["keep_as"])))
            for dest, made in written.items():
                _copy(made, site_dir / dest)
            if not errors:
                kept = {str(job["keep_as"]) for job in self._jobs} | {
                    str(path) for path in self._cached.values()
                }
                for old in self._cache.glob("*.pdf"):
                    if str(old) not in kept:
                        old.unlink(missing_ok=True)
            return errors
        finally:
            self.close()

    def close(self) -> None:
        """Stop the process if it still runs, and remove the private folder."""
        # Both the build and, under `serve`, a newer save's rebuild may close it at once.
        self._closed = True
        process, self._process = self._process, None
        if process is not None and process.exitcode is None:
            process.kill()
            process.join()
        shutil.rmtree(self._folder, ignore_errors=True)


def _copy(source: Path, target: Path) -> None:
    """Copy whole or not at all: a build beside this one never reads half a PDF."""
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    shutil.copyfile(source, partial)
    partial.replace(target)


def _last_words(folder: Path) -> str:
    """The last lines the PDF process wrote to its standard error, as one line."""
    try:
        said = (folder / "stderr.txt").read_text("utf-8", "replace")
    except OSError:
        return ""
    return " ".join(said.strip().splitlines()[-3:])


def _lay_out(jobs: list[dict[str, str]], folder: str) -> None:
    """The PDF process: lay out each job; write the errors by destination as JSON. What it
    prints (WeasyPrint's warnings, or why it died) goes to a file in `folder`, as do its
    temporary files, so they go with the folder even when the process is stopped."""
    stderr = os.open(Path(folder) / "stderr.txt", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(stderr, 2)
    os.close(stderr)
    os.environ["TMPDIR"] = tempfile.tempdir = folder
    errors = {}
    for job in jobs:
        html = Path(job["html"]).read_text(encoding="utf-8")
        # Whole or not at all: a process stopped half-way leaves no PDF to be cached.
        partial = Path(f"{job['pdf']}.partial")
        try:
            write_pdf(html, partial, base_url=job["base_url"])
            partial.replace(job["pdf"])
        except Exception as error:  # WeasyPrint raises anything, even AssertionError
            errors[job["dest"]] = f"{type(error).__name__}: {error}"
    Path(folder, "errors.json").write_text(json.dumps(errors), encoding="utf-8")
