"""Where each of briefgen's pages and files lives, and every address that reaches it.

One table for every output: pages link with it, PDFs and the printed "Printed from"
line print its absolute addresses, and the feed, CSV and sitemap carry them. It is
made once a build from the site's settings (MkDocs' `site_url` and
`use_directory_urls`, briefgen's `prefix`), so no output can disagree with another.
Pure: it knows nothing of MkDocs.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from urllib.parse import urlsplit

# Open data, by its path below briefgen's folder.
CASE_STUDIES_JSON = "data/case-studies.json"
CASE_STUDIES_CSV = "data/case-studies.csv"
OUTCOMES_CSV = "data/outcomes.csv"
SCHEMA_JSON = "data/schema.json"
FEED_XML = "data/feed.xml"

DATA_FILES = {
    CASE_STUDIES_JSON: "Every case study, as a JSON array; each item is valid against the schema.",
    CASE_STUDIES_CSV: "One row per case study; lists are joined with “; ”.",
    OUTCOMES_CSV: "One row per outcome, with its case study, who reported it and its source.",
    SCHEMA_JSON: "The JSON Schema of a case study.",
    FEED_XML: "An Atom feed of the 50 case studies most recently added or reviewed.",
}
"""Each open-data file, by its path below briefgen's folder, and what it holds."""


@dataclass(frozen=True)
class Routes:
    """The site's routes. A route is a path below the docs folder (`case-studies/x.md`,
    `data/feed.xml`); a URL is where a browser finds it below the site's root."""

    home_briefing: str | None = None
    """The briefing shown at the home route; others live under `briefings/`."""
    directory_urls: bool = True
    """MkDocs' `use_directory_urls`: `case-studies/x/` rather than `case-studies/x.html`."""
    site_url: str | None = None
    """Where the site is published (MkDocs' `site_url`), ending in `/`; None when unknown."""
    prefix: str = ""
    """The folder briefgen's pages live in inside a larger site (`briefing/`), or ``."""
    _urls: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    def __post_init__(self) -> None:
        site_url = self.site_url or None
        if site_url is not None and not site_url.endswith("/"):
            site_url += "/"
        prefix = self.prefix.strip("/")
        object.__setattr__(self, "site_url", site_url)
        object.__setattr__(self, "prefix", f"{prefix}/" if prefix else "")

    # Routes of briefgen's own pages and files.

    @property
    def home(self) -> str:
        return f"{self.prefix}index.md"

    @property
    def case_study_index(self) -> str:
        return f"{self.prefix}case-studies/index.md"

    @property
    def takeaways(self) -> str:
        return f"{self.prefix}takeaways.md"

    @property
    def compare(self) -> str:
        return f"{self.prefix}compare.md"

    @property
    def themes(self) -> str:
        """The index of the theme pages, the folder they live in."""
        return f"{self.prefix}themes/index.md"

    @property
    def data(self) -> str:
        return f"{self.prefix}data/index.md"

    @property
    def accessibility(self) -> str:
        return f"{self.prefix}accessibility.md"

    @property
    def glossary(self) -> str:
        return f"{self.prefix}glossary.md"

    def data_file(self, name: str) -> str:
        """An open-data file, such as `FEED_XML`."""
        return f"{self.prefix}{name}"

    def briefing(self, briefing_id: str) -> str:
        if briefing_id == self.home_briefing:
            return self.home
        return f"{self.prefix}briefings/{briefing_id}.md"

    def case_study(self, case_study_id: str) -> str:
        return f"{self.prefix}case-studies/{case_study_id}.md"

    def theme(self, theme_id: str) -> str:
        return f"{self.prefix}themes/{theme_id}.md"

    def checklist(self, checklist_id: str) -> str:
        return f"{self.prefix}checklists/{checklist_id}.md"

    def checklist_pdf(self, checklist_id: str) -> str:
        return f"{self.prefix}checklists/{checklist_id}.pdf"

    def briefing_pdf(self, briefing_id: str) -> str:
        """The briefing pack, beside the briefing's page."""
        folder = self.briefing(briefing_id).rpartition("/")[0]
        return f"{folder}/{briefing_id}.pdf" if folder else f"{briefing_id}.pdf"

    # Addresses.

    def url(self, route: str) -> str:
        """Where a page (or any file) is found below the site's root, as MkDocs puts it."""
        url = self._urls.get(route)
        if url is None:
            url = self._urls[route] = _url(route, self.directory_urls)
        return url

    def href(self, target: str, here: str) -> str:
        """A relative link from the file at route `here` to the file at route `target`.

        Written out rather than with `posixpath.relpath`, which was a tenth of the
        build at a thousand case studies.
        """
        folders = self.url(here).split("/")[:-1]
        parts = self.url(target).split("/")
        common = 0
        while common < min(len(folders), len(parts) - 1) and folders[common] == parts[common]:
            common += 1
        return "../" * (len(folders) - common) + "/".join(parts[common:]) or "./"

    def address(self, route: str) -> str | None:
        """The absolute address of a route, or None when the site's address is unknown."""
        return f"{self.site_url}{self.url(route)}" if self.site_url else None

    def link(self, target: str, here: str) -> str:
        """A link that works wherever the file at route `here` is read: absolute when the
        site's address is known, else relative to `here` (for the feed and CSV files)."""
        return self.address(target) or self.href(target, here)

    @property
    def base_path(self) -> str | None:
        """The path the site is served under (`/repo/`), when its address is known."""
        return urlsplit(self.site_url).path or "/" if self.site_url else None


def _url(route: str, directory_urls: bool) -> str:
    if not route.endswith(".md"):
        return route
    path = route.removesuffix(".md")
    if not directory_urls:
        return path + ".html"
    if path == "index" or path.endswith("/index"):
        return path.removesuffix("index")
    return path + "/"


def resolve(href: str, base: str) -> str:
    """`href` as seen from the file at URL path `base` (both below the site's root), as
    a path below the root; external and fragment-only links are returned as they are."""
    if not href or href.startswith(("#", "/")) or urlsplit(href).scheme:
        return href
    path, _, fragment = href.partition("#")
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(base), path))
    joined = "" if joined == "." else joined
    if path.endswith("/") and joined:
        joined += "/"
    return joined + (f"#{fragment}" if fragment else "")
