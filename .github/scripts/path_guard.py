"""Fail a pull request from a fork that changes anything but content.

Reads the changed paths, one a line, on standard input. Case studies and
briefings are content; everything else (mkdocs.yml runs code through hooks,
templates, workflows) is code, and needs a maintainer's label.
"""

import sys

ALLOWED = ("case_studies/", "briefings/")


def main() -> int:
    changed = [line.strip() for line in sys.stdin if line.strip()]
    outside = [path for path in changed if not path.startswith(ALLOWED)]
    for path in outside:
        print(
            f"::error file={path}::Only case_studies/ and briefings/ may change in a pull "
            "request from a fork; a maintainer must add the 'maintainer-approved' label."
        )
    return 1 if outside else 0


if __name__ == "__main__":
    sys.exit(main())
