"""Build into a staging folder and swap it in only when the whole build succeeded.

MkDocs cleans the site folder early and writes into it page by page, so a build
that fails halfway (a broken link under --strict, a PDF that will not lay out)
would leave half a site. Building beside it and renaming at the end means a
failed build leaves the last good site exactly as it was.

Some hosts will not let the site folder be renamed: it is a symlink to the folder a web
server serves (renaming would replace the link), a mount point (EBUSY), or sits in a
folder the build cannot write. There the folder stays, and its contents are replaced:
the new site is first put whole inside it, so a disk without room for two sites leaves
the last one as it was, and only then are its files moved into place and the stale ones
removed. The rename itself is two steps (the old site aside, the new one in); a build
killed between them leaves the old site aside, and the next build puts it back.
"""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger

from briefgen.mkdocs.internals import StrictWarnings

log = get_plugin_logger(__name__)

# How a rename of the site folder fails where the folder itself must stay.
CANNOT_RENAME = {errno.EXDEV, errno.EBUSY, errno.EACCES, errno.EPERM, errno.EROFS}
# Inside the site folder while its contents are replaced; hidden, as MkDocs' own cleaning
# leaves hidden files alone.
INCOMING = ".briefgen-incoming"


class PublishError(RuntimeError):
    """The new site could not be put in place; the message is one plain line."""


def staging_folder(site_dir: Path, scratch: Path) -> Path:
    """Where a build of `site_dir` is written first: beside it, on the same file system,
    or in the project's scratch folder when the build cannot write beside it."""
    if os.access(site_dir.parent, os.W_OK):
        return site_dir.parent / f".{site_dir.name}.building"
    return scratch / f"{site_dir.name}.building"


def aside_folder(site_dir: Path) -> Path:
    """Where the last site waits while the new one is renamed into its place."""
    return site_dir.parent / f".{site_dir.name}.previous"


def recover(site_dir: Path) -> None:
    """Put back the last site that a build killed halfway through the swap left aside."""
    aside = aside_folder(site_dir)
    if not aside.is_dir():
        return
    if os.path.lexists(site_dir):
        shutil.rmtree(aside, ignore_errors=True)  # the swap was done but for this
        return
    aside.rename(site_dir)
    log.info(f"Put back the last site, which a stopped build had left in {aside}.")


def publish(staging: Path, site_dir: Path) -> None:
    """Replace `site_dir` with the finished build in `staging`."""
    if _in_place(site_dir):
        replace_contents(staging, site_dir.resolve())
        return
    aside = aside_folder(site_dir)
    shutil.rmtree(aside, ignore_errors=True)
    had_site = os.path.lexists(site_dir)
    try:
        if had_site:
            site_dir.rename(aside)
    except OSError as error:
        if error.errno not in CANNOT_RENAME:
            raise PublishError(_could_not(site_dir, error)) from error
        replace_contents(staging, site_dir)
        return
    try:
        staging.rename(site_dir)
    except OSError as error:
        if had_site:
            try:
                aside.rename(site_dir)  # the last good site, back in its place
            except OSError as back:
                raise PublishError(
                    f"Could not put the new site in {site_dir} ({_reason(error)}), nor the "
                    f"last one back ({_reason(back)}): the last site is in {aside}."
                ) from back
        if error.errno not in CANNOT_RENAME:
            raise PublishError(_could_not(site_dir, error)) from error
        replace_contents(staging, site_dir)
        return
    shutil.rmtree(aside, ignore_errors=True)


def _in_place(site_dir: Path) -> bool:
    """Whether the site folder must stay, and only its contents change: a symlink, a
    mount point, a folder the build cannot rename, or one holding the host's own hidden
    files (`.git` of a publishing checkout), which MkDocs' own builds leave alone."""
    if site_dir.is_symlink() or os.path.ismount(site_dir):
        return True
    if not os.access(site_dir.parent, os.W_OK):
        return True
    if not site_dir.is_dir():
        return False
    with os.scandir(site_dir) as entries:
        return any(entry.name.startswith(".") for entry in entries)


def replace_contents(staging: Path, target: Path) -> None:
    """Make the folder `target` hold the build in `staging`, keeping the folder itself
    (and its top-level hidden files, as MkDocs does)."""
    incoming = target / INCOMING
    try:
        target.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(incoming, ignore_errors=True)
        try:
            staging.rename(incoming)  # on one file system, nothing is copied
        except OSError as error:
            if error.errno not in CANNOT_RENAME:
                raise
            shutil.copytree(staging, incoming, copy_function=shutil.copy2)
    except OSError as error:
        shutil.rmtree(incoming, ignore_errors=True)
        raise PublishError(
            f"Could not write the new site into {target} ({_reason(error)}); "
            "the last site is as it was."
        ) from error
    try:
        built = _move_in(incoming, target)
        _remove_stale(target, built)
    except OSError as error:
        raise PublishError(
            f"Could not finish replacing the site in {target} ({_reason(error)}); "
            "it is part old, part new: build again."
        ) from error
    finally:
        shutil.rmtree(incoming, ignore_errors=True)
        shutil.rmtree(staging, ignore_errors=True)


def _move_in(incoming: Path, target: Path) -> set[Path]:
    """Move each file of `incoming` to its place in `target` (each whole: a reader gets
    the old file or the new); the paths of the new site."""
    built: set[Path] = set()
    for folder, subfolders, names in os.walk(incoming):
        relative = Path(folder).relative_to(incoming)
        for name in subfolders:
            place = target / relative / name
            if place.is_symlink() or (place.exists() and not place.is_dir()):
                place.unlink()
            place.mkdir(exist_ok=True)
            built.add(relative / name)
        for name in names:
            place = target / relative / name
            if place.is_dir() and not place.is_symlink():
                shutil.rmtree(place)
            (Path(folder) / name).replace(place)
            built.add(relative / name)
    return built


def _remove_stale(target: Path, built: set[Path]) -> None:
    """Remove what the new site no longer has, but for top-level hidden files."""
    for folder, subfolders, names in os.walk(target):
        relative = Path(folder).relative_to(target)
        top = relative == Path()
        for name in list(subfolders):
            if relative / name in built or (top and name.startswith(".")):
                continue
            subfolders.remove(name)
            path = target / relative / name
            path.unlink() if path.is_symlink() else shutil.rmtree(path)
        for name in names:
            if relative / name not in built and not (top and name.startswith(".")):
                (target / relative / name).unlink()


def _could_not(site_dir: Path, error: OSError) -> str:
    reason = _reason(error)
    return f"Could not put the new site in {site_dir} ({reason}); the last site is as it was."


def _reason(error: OSError) -> str:
    """What went wrong, in a few words: a copy of a folder gives the first file's reason."""
    if isinstance(error, shutil.Error) and error.args and isinstance(error.args[0], list):
        return str(error.args[0][0][-1]) if error.args[0] else "copy failed"
    return error.strerror or str(error)


ROOM_MARGIN = 10_000_000  # bytes: what a site's size can grow by from one build to the next


def check_room(site_dir: Path, beside: Path) -> None:
    """Stop before writing anything when the disk cannot hold a second copy of the last
    site beside it: MkDocs would fail halfway through writing, with a traceback."""
    if not site_dir.is_dir():
        return
    needed = ROOM_MARGIN + sum(path.lstat().st_size for path in site_dir.rglob("*"))
    free = shutil.disk_usage(beside).free
    if free < needed:
        raise PublishError(
            f"Not enough room to build the new site beside the last one: {free / 1e6:.0f} MB "
            f"free in {beside}, and it needs about {needed / 1e6:.0f} MB; free some space and "
            "build again (the last site is as it was)."
        )


def discard(staging: Path) -> None:
    """Throw away a build that failed."""
    shutil.rmtree(staging, ignore_errors=True)


class StagedBuild:
    """A clean build's staging: MkDocs writes into the staging folder, and the finished
    build is swapped in unless `--strict` is about to fail it. Made while the build holds
    the project's lock, so the staging folder is this build's alone."""

    def __init__(self, config: MkDocsConfig, scratch: Path) -> None:
        self.site_dir = Path(config.site_dir)
        recover(self.site_dir)
        self.staging = staging_folder(self.site_dir, scratch)
        discard(self.staging)  # what a killed build left
        try:
            check_room(self.site_dir, self.staging.parent)
        except PublishError as error:
            raise PluginError(str(error)) from error
        config.site_dir = str(self.staging)
        self.warnings = StrictWarnings()
        self.warnings.start()

    def finish(self, config: MkDocsConfig) -> None:
        built = Path(config.site_dir)
        config.site_dir = str(self.site_dir)  # for gh-deploy and whatever runs after us
        try:
            if config.strict and self.warnings.count:
                discard(built)
            else:
                publish(built, self.site_dir)
        except PublishError as error:
            discard(built)
            raise PluginError(str(error)) from error
        finally:
            self.warnings.stop()

    def abandon(self) -> None:
        discard(self.staging)
        self.warnings.stop()
