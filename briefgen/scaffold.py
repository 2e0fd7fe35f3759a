"""New case studies: a commented file to fill in, and writing a new file safely.

An id becomes a file name and a web address, so it is a slug and none of the site's
own names. A new file is written only inside case_studies/, never over a file or
through a link: the id can come from a stranger's issue (`issue_form.py`).
"""

from __future__ import annotations

import errno
import os
import re
from importlib import resources
from pathlib import Path

from briefgen.content import problems
from briefgen.content.rules import RESERVED_IDS
from briefgen.content.values import SLUG_MAX, SLUG_PATTERN, WINDOWS_DEVICES
from briefgen.site.routes import DATA_FILES, Routes

CASE_STUDIES = "case_studies"
_SLUG = re.compile(SLUG_PATTERN)


class ScaffoldError(ValueError):
    """A case study cannot be made as asked."""


def _site_names() -> dict[str, str]:
    """Names a case study's id must not take, each with the reason why."""
    routes = Routes()
    own = [
        routes.home,
        routes.case_study_index,
        routes.takeaways,
        routes.compare,
        routes.data,
        routes.accessibility,
        routes.briefing("x"),
        routes.theme("x"),
        routes.checklist("x"),
        *map(routes.data_file, DATA_FILES),
    ]
    # Written beside briefgen's pages by MkDocs, its theme and Pagefind.
    others = ["404.html", "assets/", "search/", "sitemap.xml", "pagefind/"]
    reasons: dict[str, str] = {}
    for route in own + others:
        name = route.split("/")[0].split(".")[0]
        reasons[name] = f"the site has a page or folder called {name}"
    for name in RESERVED_IDS:
        reasons[name] = f"case-studies/{name} is the site's own page"
    for name in WINDOWS_DEVICES:
        reasons[name] = f"Windows cannot open a file called {name}.yaml"
    return reasons


RESERVED = _site_names()
"""Ids that are the site's own paths or that Windows cannot name, with the reason why."""


def check_new_id(case_study_id: str) -> None:
    """Refuse an id that is not a slug (it becomes a file name and a web address), or
    that is reserved."""
    if len(case_study_id) > SLUG_MAX or not _SLUG.fullmatch(case_study_id):
        raise ScaffoldError(
            f"{quoted(case_study_id)} is not a valid id: use up to {SLUG_MAX} lower-case "
            "letters, digits and single hyphens, such as 'north-dorset-revenues'"
        )
    reason = RESERVED.get(case_study_id.casefold())
    if reason:
        raise ScaffoldError(
            f"{case_study_id!r} is reserved ({reason}): choose another id, such as the "
            "council and the service, 'north-dorset-revenues'"
        )


def new_case_study(case_study_id: str) -> str:
    """The text of a new, commented case-study file for `case_study_id`."""
    check_new_id(case_study_id)
    template = resources.files("briefgen").joinpath("templates/new_case_study.yaml")
    return template.read_text("utf-8").replace("{{id}}", case_study_id)


def quoted(text: str, limit: int = 60) -> str:
    """Text from an issue or a command line, quoted and escaped for a message, and cut
    short."""
    return repr(text[:limit]) + ("…" if len(text) > limit else "")


def write_new(root: Path, case_study_id: str, text: str) -> str:
    """Write a new case study's file below `root`; its path as shown to people.

    Only ever a new file, inside the project's own case_studies folder: never over a
    file, through a symbolic link (dangling or not), or into a folder a link leads to.
    """
    check_new_id(case_study_id)
    name = f"{case_study_id}.yaml"
    shown = f"{CASE_STUDIES}/{name}"
    folder = root / CASE_STUDIES
    if folder.is_symlink():
        raise ScaffoldError(
            f"{CASE_STUDIES} is a symbolic link: briefgen writes only inside the project, "
            f"so make {CASE_STUDIES} a real folder in {problems.shown(str(root), 300)}"
        )
    if folder.exists() and not folder.is_dir():
        raise ScaffoldError(f"{CASE_STUDIES} is a file: case studies go in a folder of that name")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ScaffoldError(f"cannot make the folder {CASE_STUDIES}: {error.strerror}") from None
    if folder.resolve().parent != root.resolve():  # a link made since the test above
        raise ScaffoldError(
            f"{CASE_STUDIES} is not inside {problems.shown(str(root), 300)}: "
            "briefgen writes only there"
        )
    try:
        _create(folder, name, text)
    except FileExistsError:
        if (folder / name).is_symlink():
            raise ScaffoldError(
                f"{shown} is a symbolic link: remove it, or choose another id"
            ) from None
        raise ScaffoldError(f"{shown} exists already: choose another id") from None
    except OSError as error:
        if error.errno == errno.ELOOP:  # O_NOFOLLOW met a link that appeared meanwhile
            raise ScaffoldError(f"{shown} is a symbolic link: choose another id") from None
        raise ScaffoldError(f"cannot write {shown}: {error.strerror}") from None
    return shown


def _create(folder: Path, name: str, text: str) -> None:
    """Create `name` in `folder`: O_EXCL refuses any existing file or link, and the
    folder is opened without following a link, so the file lands in that folder."""
    flags = os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_NOFOLLOW", 0)
    nofollow_folder = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0)
    if os.open not in os.supports_dir_fd:  # Windows: no folder handles
        descriptor = os.open(folder / name, flags, 0o666)
    else:
        folder_descriptor = os.open(folder, nofollow_folder)
        try:
            descriptor = os.open(name, flags, 0o666, dir_fd=folder_descriptor)
        finally:
            os.close(folder_descriptor)
    with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
