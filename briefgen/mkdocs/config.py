"""The plugin's options, and what a build reads from its surroundings: the site's MkDocs
configuration, the build date and the git commit."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

from mkdocs.config import base
from mkdocs.config import config_options as c
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger

from briefgen.build_date import BuildDateError, build_date
from briefgen.site.planned import PlanOptions

log = get_plugin_logger(__name__)


class BriefgenConfig(base.Config):
    """Options under `plugins: - briefgen:` in mkdocs.yml."""

    case_studies = c.Type(str, default="case_studies")
    """Folder of case-study YAML files, relative to mkdocs.yml."""
    briefings = c.Type(str, default="briefings")
    """Folder of briefing YAML files, relative to mkdocs.yml."""
    glossary = c.Type(str, default="glossary.yaml")
    """The glossary file, relative to mkdocs.yml; a site without one has no glossary."""
    templates = c.Optional(c.Type(str))
    """Folder of templates that override briefgen's own, relative to mkdocs.yml."""
    home = c.Optional(c.Type(str))
    """Id of the briefing shown as the home page; needed only when there are several."""
    prefix = c.Type(str, default="")
    """The folder of the site that briefgen's pages go in (`briefing`), for a site that has
    pages of its own; by default they are the site."""
    pdf = c.Type(bool, default=True)
    """Publish each checklist and each briefing pack as a PDF too; off for fast local builds."""
    version = c.Optional(c.Type(str))
    """Version printed on the briefing pack; by default the git commit, when there is one."""
    licence = c.Optional(c.Type(str))
    """The licence the site's owner grants on the content and the open data, named on the
    data page and in the feed. None by default: the site then claims none, and says the
    rights remain with the sources' owners."""
    licence_url = c.Optional(c.Type(str))
    """Address of the licence's text."""
    accessibility_contact = c.Optional(c.Type(str))
    """Where readers report accessibility problems (an email address or a web page)."""
    search = c.Type(bool, default=True)
    """Answer Material's search box from a Pagefind index, loaded in parts as a query needs."""
    cache_dir = c.Type(str, default=".cache/briefgen")
    """Kept between builds (not committed): PDFs, by the hash of what decides them;
    `build.lock`, held by the build or `serve` at work on this project; and `scratch/`,
    the helpers' working files, which the next build clears if a killed one left them."""


def project_root(config: MkDocsConfig) -> Path:
    """The folder of mkdocs.yml, which the plugin's folders are relative to."""
    return Path(config.config_file_path or ".").resolve().parent


def check_site(config: MkDocsConfig) -> None:
    """Stop with one plain line on a site briefgen cannot build; note what it lacks."""
    if config.theme.name != "material":
        raise PluginError(
            f"briefgen needs the Material for MkDocs theme, and this site's theme is "
            f"{config.theme.name!r}: set 'theme: name: material' in mkdocs.yml."
        )
    if not config.site_url:
        log.info(
            "site_url is not set: the sitemap is empty, links in the feed and CSV are "
            "relative, the PDFs' links to the site's pages are plain text (a downloaded "
            "PDF gets working links once site_url is set), and the 404 page works only at "
            "the host's root. Set site_url to the address the site is published at."
        )


def today() -> dt.date:
    """The build date (SOURCE_DATE_EPOCH when set), or one plain error line."""
    try:
        return build_date()
    except BuildDateError as error:
        raise PluginError(f"Error in the build date: {error}") from error


def plan_options(options: BriefgenConfig, config: MkDocsConfig, day: dt.date) -> PlanOptions:
    return PlanOptions(
        pdf=options.pdf,
        today=day,
        licence=options.licence,
        licence_url=options.licence_url if options.licence else None,
        site_name=config.site_name,
        accessibility_contact=options.accessibility_contact,
    )


def language(config: MkDocsConfig) -> str:
    """The site's language, as Material declares it on every page (`<html lang>`)."""
    return config.theme.get("language") or "en"


def permalink(config: MkDocsConfig) -> str | None:
    """The symbol Markdown's toc extension puts after each heading, if the site asks for one."""
    option = (config.mdx_configs.get("toc") or {}).get("permalink")
    if option is True:
        return "¶"
    return option or None


def git_commit(root: Path) -> str | None:
    """The short commit of the content, when the site is built from a git checkout."""
    try:
        result = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=root,
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
    except OSError:
        return None
    return result.stdout.strip() or None if result.returncode == 0 else None
