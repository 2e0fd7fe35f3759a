"""The `briefgen` command: the only module that prints.

briefgen check     check every case study and briefing; exit 0 clean, 1 problems, 2 usage
briefgen schema    print the JSON Schema that editors use to check and complete YAML
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel

from briefgen.export import schema_json
from briefgen.models import Briefing, CaseStudy
from briefgen.validate import read_content

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2

SCHEMAS: dict[str, type[BaseModel]] = {"case-study": CaseStudy, "briefing": Briefing}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)  # exits 2 on bad usage
    if args.command == "check":
        return _check(args)
    if args.command == "schema":
        return _schema(args)
    parser.print_help(sys.stderr)
    return EXIT_USAGE


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="briefgen", description="Executive briefings from YAML case studies."
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = commands.add_parser(
        "check",
        help="check every case study and briefing",
        description="Check every case study and briefing and print every problem as "
        "path:line:column: field: message.",
    )
    check.add_argument("--root", type=Path, default=Path(), help="project folder (default: .)")
    check.add_argument(
        "--case-studies",
        default="case_studies",
        metavar="FOLDER",
        help="case-study folder, relative to the root (default: case_studies)",
    )
    check.add_argument(
        "--briefings",
        default="briefings",
        metavar="FOLDER",
        help="briefing folder, relative to the root (default: briefings)",
    )

    schema = commands.add_parser(
        "schema", help="print the JSON Schema of a case study or a briefing"
    )
    schema.add_argument(
        "kind",
        nargs="?",
        choices=sorted(SCHEMAS),
        default="case-study",
        help="which file the schema describes (default: case-study)",
    )
    return parser


def _check(args: argparse.Namespace) -> int:
    if not args.root.is_dir():
        print(f"briefgen: error: no folder {args.root}", file=sys.stderr)
        return EXIT_USAGE
    report = read_content(args.root, case_studies=args.case_studies, briefings=args.briefings)
    for problem in report.problems:
        print(problem)
    if report.errors:
        count = len(report.errors)
        print(f"{_plural(count, 'problem')} found.", file=sys.stderr)
        return EXIT_PROBLEMS
    content = report.content
    assert content is not None
    studies, briefings = len(content.case_studies), len(content.briefings)
    print(
        f"{_plural(studies, 'case study', 'case studies')} and {_plural(briefings, 'briefing')} "
        "checked: no problems.",
        file=sys.stderr,
    )
    return EXIT_OK


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def _schema(args: argparse.Namespace) -> int:
    print(schema_json(SCHEMAS[args.kind]).decode("utf-8"), end="")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
