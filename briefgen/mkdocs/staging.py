"""Build into a staging folder and swap it in only when the whole build succeeded.

MkDocs cleans the site folder early and writes into it page by page, so a build
that fails halfway (a broken link under --strict, a PDF that will not lay out)
would leave half a site. Building beside it and renaming at the end means a
failed build leaves the last good site exactly as it was.
"""

from __future__ import annotations

import shutil
from pathlib import Path


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
