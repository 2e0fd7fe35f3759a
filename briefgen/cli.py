"""The `briefgen` command: the only module that prints.

briefgen check     check every case study and briefing; exit 0 clean, 1 problems, 2 usage
briefgen schema    print the JSON Schema that editors use to check and complete YAML
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from pydantic import BaseModel

from briefgen.build_date import BuildDateError, build_date
from briefgen.content.check import bounded, read_content, validate_document
from briefgen.content.glossary import Glossary
from briefgen.content.load import parse_yaml
from briefgen.content.models import Briefing, CaseStudy
from briefgen.content.problems import Problem, shown
from briefgen.issue_form import case_study_from_issue
from briefgen.issue_text import MAX_BODY, issue_body
from briefgen.scaffold import ScaffoldError, new_case_study, write_new
from briefgen.site.opendata import schema_json

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2

SCHEMAS: dict[str, type[BaseModel]] = {
    "case-study": CaseStudy,
    "briefing": Briefing,
    "glossary": Glossary,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)  # exits 2 on bad usage
    try:
        args.today = build_date()
    except BuildDateError as error:
        print(f"briefgen: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    if args.command == "check":
        return _check(args)
    if args.command == "schema":
        return _schema(args)
    if args.command == "new":
        return _new(args)
    if args.command == "from-issue":
        return _from_issue(args)
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
    check.add_argument(
        "--glossary",
        default="glossary.yaml",
        metavar="FILE",
        help="glossary file, relative to the root; optional (default: glossary.yaml)",
    )
    check.add_argument(
        "--format",
        choices=("text", "github"),
        default=None,
        help="'github' prints ::error annotations that show on a pull request's lines "
        "(the default when GITHUB_ACTIONS=true)",
    )

    new = commands.add_parser("new", help="write a new case study to fill in")
    new.add_argument("id", help="the case study's id, such as north-dorset-revenues")
    new.add_argument("--root", type=Path, default=Path(), help="project folder (default: .)")

    from_issue = commands.add_parser(
        "from-issue", help="write a case study from the body of a GitHub issue form"
    )
    from_issue.add_argument("file", type=Path, help="the issue's body, as text ('-' for stdin)")
    from_issue.add_argument("--root", type=Path, default=Path(), help="project folder")

    schema = commands.add_parser(
        "schema", help="print the JSON Schema of a case study, a briefing or the glossary"
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
    report = read_content(
        args.root,
        case_studies=args.case_studies,
        briefings=args.briefings,
        glossary=args.glossary,
        today=args.today,
        parallel=True,
    )
    github = args.format or ("github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text")
    # Bounded: a file can hold a problem a line, and a pull request many files.
    for problem in bounded(report.problems):
        if isinstance(problem, str) or github != "github":
            print(problem)
        else:
            print(github_annotation(problem))
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


def github_annotation(problem: Problem) -> str:
    """A workflow command that GitHub shows on the pull request's line."""
    kind = "warning" if problem.severity == "warning" else "error"
    title = problem.field or "briefgen check"
    return (
        f"::{kind} file={_property(problem.path)},line={problem.line},col={problem.column},"
        f"title={_property(title)}::{_data(problem.message)}"
    )


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def _new(args: argparse.Namespace) -> int:
    try:
        text = new_case_study(args.id)
    except ScaffoldError as error:
        print(f"briefgen: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    target = _write_new(args.root, args.id, text)
    if target is None:
        return EXIT_PROBLEMS
    print(
        f"Wrote {target}. Fill it in from your sources, then run: briefgen check", file=sys.stderr
    )
    return EXIT_OK


def _from_issue(args: argparse.Namespace) -> int:
    try:
        body = issue_body(*_read_issue(args.file))
        case_study_id, text = case_study_from_issue(body, args.today)
    except ScaffoldError as error:
        print(f"briefgen: error: {error}", file=sys.stderr)
        return EXIT_PROBLEMS
    target = _write_new(args.root, case_study_id, text)
    if target is None:
        return EXIT_PROBLEMS
    # What the form could not say (themes, a figure's source) shows as problems to fix.
    document, problems = parse_yaml(text, target)
    if document is not None:
        validate_document(document, CaseStudy, problems)
    for problem in problems:
        print(problem)  # a problem shows untrusted text escaped (problems.shown)
    fix = f" with {_plural(len(problems), 'problem')} to fix" if problems else ""
    print(f"Wrote {target}{fix}.", file=sys.stderr)
    return EXIT_PROBLEMS if problems else EXIT_OK


def _read_issue(file: Path) -> tuple[bytes, str]:
    """The bytes of the issue's body (a little more than any issue holds, at most), and
    the name to call its file by."""
    limit = 4 * MAX_BODY + 1
    if str(file) == "-":
        return sys.stdin.buffer.read(limit), "standard input"
    name = shown(str(file), 300)
    try:
        with file.open("rb") as handle:
            return handle.read(limit), name
    except OSError as error:
        raise ScaffoldError(f"cannot read {name}: {error.strerror}") from None


def _write_new(root: Path, case_study_id: str, text: str) -> str | None:
    """Write a new case-study file; None (and a message) if it cannot be written."""
    try:
        return write_new(root, case_study_id, text)
    except ScaffoldError as error:
        print(f"briefgen: error: {error}", file=sys.stderr)
        return None


def _plural(count: int, one: str, many: str | None = None) -> str:
    return f"{count} {one if count == 1 else (many or one + 's')}"


def _schema(args: argparse.Namespace) -> int:
    print(schema_json(SCHEMAS[args.kind]).decode("utf-8"), end="")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
