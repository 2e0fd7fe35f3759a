"""Fail a pull request from a fork that changes anything but content.

Reads, on standard input, what

    git diff --raw -z --no-renames BASE...HEAD

writes: one entry a changed path, with the file's mode before and after. Content
is a plain YAML file directly in case_studies/ or briefings/; adding, changing,
renaming or deleting one is fine. Anything else is code (mkdocs.yml runs code
through hooks, templates, workflows, this script) and needs a maintainer's
review and label: a path outside those folders, whether added, changed or
deleted, and so the old half of a rename into them; a symbolic link or a
submodule anywhere, since the build would follow it out of the folder.

--no-renames matters: without it git reports a rename only by its new path, so
`git mv .github/workflows/deploy.yml case_studies/x.yaml` would look like new
content. With it, the rename is a deletion of the old path and an addition of
the new one, and each is checked. A rename or copy entry in the input means the
diff was taken without --no-renames, and fails.

Prints one GitHub annotation a problem and exits 1; exits 0 when every change
is content.
"""

from __future__ import annotations

import re
import sys

CONTENT = re.compile(r"(case_studies|briefings)/[^/]+\.ya?ml")
FOLDERS = ("case_studies/", "briefings/")
# The modes git records: a plain or executable file, a symbolic link, a submodule, no file.
PLAIN = {"100644", "100755"}
SYMLINK, SUBMODULE, ABSENT = "120000", "160000", "000000"

APPROVAL = (
    "A maintainer must review it and add the 'maintainer-approved' label after the last push."
)


def escape_property(value: str) -> str:
    """A value for `file=` in an annotation: these characters would end or split it."""
    for char, code in (("%", "%25"), ("\r", "%0D"), ("\n", "%0A"), (":", "%3A"), (",", "%2C")):
        value = value.replace(char, code)
    return value


def escape_message(value: str) -> str:
    for char, code in (("%", "%25"), ("\r", "%0D"), ("\n", "%0A")):
        value = value.replace(char, code)
    return value


def problem(path: str, new_mode: str) -> str | None:
    """What is wrong with this change of `path`, or None when it is content.

    Only the new mode matters: deleting or replacing a link in a content folder is fine.
    """
    if new_mode == SYMLINK:
        return (
            "is a symbolic link. Content must be a plain file: a link could point the build "
            f"at any file on the machine. {APPROVAL}"
        )
    if new_mode == SUBMODULE:
        return f"is a submodule. Content must be a plain file in the repository. {APPROVAL}"
    if new_mode not in PLAIN | {ABSENT}:
        return f"is not a plain file (git mode {new_mode}). {APPROVAL}"
    if not path.startswith(FOLDERS):
        deleted = " (this pull request deletes it)" if new_mode == ABSENT else ""
        return (
            f"is code, not content{deleted}: from a fork, only case_studies/ and briefings/ "
            f"may change. {APPROVAL}"
        )
    if not CONTENT.fullmatch(path):
        return (
            "is not a case study or briefing: content is a .yaml (or .yml) file directly "
            f"in case_studies/ or briefings/. {APPROVAL}"
        )
    return None


def parse(raw: bytes) -> list[tuple[str, str, list[str]]]:
    """(status, new mode, paths) for each entry of `git diff --raw -z`."""
    fields = raw.split(b"\0")
    if fields and fields[-1] == b"":
        fields.pop()
    entries = []
    index = 0
    while index < len(fields):
        header = fields[index].decode("ascii", "replace")
        parts = header.split(" ")
        if not header.startswith(":") or len(parts) != 5:
            raise ValueError(header[:80])
        new_mode, status = parts[1], parts[4]
        count = 2 if status[:1] in ("R", "C") else 1
        paths = [f.decode("utf-8", "replace") for f in fields[index + 1 : index + 1 + count]]
        if len(paths) != count:
            raise ValueError(header[:80])
        entries.append((status, new_mode, paths))
        index += 1 + count
    return entries


def main() -> int:
    try:
        entries = parse(sys.stdin.buffer.read())
    except ValueError as error:
        print(
            "::error::The path guard could not read its input: it expects the output of "
            f"'git diff --raw -z --no-renames BASE...HEAD', not {escape_message(str(error))!r}."
        )
        return 1
    failed = False
    for status, new_mode, paths in entries:
        for path in paths:
            if status[:1] in ("R", "C"):
                message = (
                    "is half of a rename or copy: the guard checks each side on its own "
                    "only when the diff is taken with --no-renames. Fix the workflow."
                )
            else:
                message = problem(path, new_mode)
            if message is None:
                continue
            failed = True
            print(f"::error file={escape_property(path)}::{escape_message(f'{path} {message}')}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
