"""Build into a staging folder and swap it in only when the whole build succeeded.

MkDocs cleans the site folder early and writes into it page by page, so a build
that fails halfway (a broken link under --strict, a PDF that will not lay out)
would leave half a site. Building beside it and renaming at the end means a
failed build leaves the last good site exactly as it was.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig

from briefgen.mkdocs.internals import StrictWarnings


def staging_folder(site_dir: Path) -> Path:
    """Where a build of `site_dir` is written first: beside it, on the same file system."""
    return site_dir.parent / f".{site_dir.name}.building"


def publish(staging: Path, site_dir: Path) -> None:
    """Replace `site_dir` with the finished build in `staging`."""
    retired = site_dir.parent / f".{site_dir.name}.previous"
    shutil.rmtree(retired, ignore_errors=True)
    if site_dir.exists():
        site_dir.rename(retired)
    staging.rename(site_dir)
    shutil.rmtree(retired, ignore_errors=True)


def discard(staging: Path) -> None:
    """Throw away a build that failed."""
    shutil.rmtree(staging, ignore_errors=True)


class StagedBuild:
    """A clean build's staging: MkDocs writes into the staging folder, and the finished
    build is swapped in unless `--strict` is about to fail it."""

    def __init__(self, config: MkDocsConfig) -> None:
        self.site_dir = Path(config.site_dir)
        config.site_dir = str(staging_folder(self.site_dir))
        self.warnings = StrictWarnings()
        self.warnings.start()

    def finish(self, config: MkDocsConfig) -> None:
        built = Path(config.site_dir)
        config.site_dir = str(self.site_dir)  # for gh-deploy and whatever runs after us
        if config.strict and self.warnings.count:
            discard(built)
        else:
            publish(built, self.site_dir)
        self.warnings.stop()

    def abandon(self) -> None:
        discard(staging_folder(self.site_dir))
        self.warnings.stop()
