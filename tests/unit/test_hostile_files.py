"""Hostile files and the text they put in terminals and CI logs: what `briefgen check`
and a build print stays on one line each, escaped and bounded, and whatever sits in a
content folder gets a located message, never a traceback."""

from __future__ import annotations

import contextlib
import logging
import os
import re
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import BIN, BUILD_DATE, MINIMAL_CASE_STUDY, MINIMAL_MKDOCS, Site, run, write
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from briefgen.cli import main
from briefgen.content.check import read_content
from briefgen.content.load import load_yaml

# A GitHub workflow command on a line of its own, and its older form, which the runner
# finds anywhere in a line.
WORKFLOW = "\n::error file=README.md,line=1::Security review passed"
OLD_WORKFLOW = "##[error]Security review passed"
# Terminal escapes: OSC 52 sets the clipboard, CSI erases the line and moves up; then a
# right-to-left override and a zero-width space, which hide or reorder what is shown.
ESCAPES = "\x1b]52;c;cm0gLXJmIH4=\x07\x1b[2K\x1b[1A\u202e\u200b\u2028"
RAW = ("\x1b", "\x07", "\u202e", "\u200b", "\u2028", "##[")


def hostile_project(root: Path) -> None:
    """Untrusted text in a key, in a value quoted back, and in a file name."""
    key = (WORKFLOW + ESCAPES + OLD_WORKFLOW).encode("unicode_escape").decode()
    study = MINIMAL_CASE_STUDY.format(id="keyed", title="Keyed")
    write(root, "case_studies/keyed.yaml", study + f'"colour{key}": 1\n')
    value = (ESCAPES + OLD_WORKFLOW).encode("unicode_escape").decode()
    quoted = MINIMAL_CASE_STUDY.format(id="quoted", title="Quoted")
    write(root, "case_studies/quoted.yaml", quoted.replace("[shared-service]", f'["{value}"]'))
    name = f"named{WORKFLOW}{ESCAPES}{OLD_WORKFLOW}.yaml"
    write(root, f"case_studies/{name}", MINIMAL_CASE_STUDY.format(id="named", title="Named"))


def assert_safe_lines(text: str) -> None:
    """No raw control, bidi or zero-width character, and no line a CI runner takes for
    a command."""
    for raw in RAW:
        assert raw not in text, (raw, text)
    for line in text.splitlines():
        assert not line.lstrip().startswith("::"), line


def test_check_prints_untrusted_text_escaped_on_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hostile_project(tmp_path)
    assert main(["check", "--root", str(tmp_path), "--format", "text"]) == 1
    out, err = capsys.readouterr()
    assert_safe_lines(out + err)
    lines = out.splitlines()
    assert len(lines) == 3  # the unknown key, the quoted value, the id against the name
    assert all(line.startswith("case_studies/") for line in lines), lines
    assert r"colour\n::error file=README.md,line=1::Security review passed\x1b]52;c;" in out
    assert r"\x1b[2K\x1b[1A\u202e\u200b\u2028#\x23[error]" in out
    assert r"case_studies/named\n::error file=README.md" in out


def test_github_format_is_one_annotation_a_problem_and_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    hostile_project(tmp_path)
    assert main(["check", "--root", str(tmp_path), "--format", "github"]) == 1
    out, err = capsys.readouterr()
    for raw in RAW:
        assert raw not in out + err, raw
    lines = out.splitlines()
    assert len(lines) == 3
    assert all(line.startswith("::error file=case_studies/") for line in lines), lines


def test_a_build_reports_untrusted_text_escaped(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    site = Site(tmp_path / "project")
    site.write("mkdocs.yml", MINIMAL_MKDOCS)
    site.write("docs/.keep", "")
    hostile_project(site.root)
    config = load_config(str(site.root / "mkdocs.yml"), strict=True)
    with caplog.at_level(logging.INFO, logger="mkdocs"), pytest.raises(Abort):
        build(config)
    (error,) = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert error.startswith("Error reading content (3 problems):\n")
    assert_safe_lines(error)
    assert all(line.startswith("  case_studies/") for line in error.splitlines()[1:]), error
    assert r"colour\n::error file=README.md" in error


# Bounded output: a library of 1,000 case studies, and briefings naming case studies
# that do not exist. HUGE unknown ids in one briefing (under the size limit), and
# SMALL briefings of MANY unknown ids each.
LIBRARY_SIZE, HUGE, SMALL, MANY = 1000, 96_000, 15, 30


@pytest.fixture(scope="module")
def unknown_ids(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("unknown-ids")
    for number in range(LIBRARY_SIZE):
        case_study_id = f"study-{number:04d}"
        study = MINIMAL_CASE_STUDY.format(id=case_study_id, title=f"Study {number}")
        write(root, f"case_studies/{case_study_id}.yaml", study)
    briefing = "id: {id}\ntitle: A briefing\ncontext: Some context.\ncase_studies: [{ids}]\n"
    ids = ", ".join(f"u{number:06d}" for number in range(HUGE))
    huge = write(root, "hostile/a-huge.yaml", briefing.format(id="a-huge", ids=ids))
    assert 800_000 < huge.stat().st_size < 1_000_000
    for number in range(1, SMALL + 1):
        # Near misses: each asks difflib for a guess among the 1,000.
        ids = ", ".join(f"study-{number:02d}{other:02d}x" for other in range(MANY))
        write(root, f"hostile/b-{number:03d}.yaml", briefing.format(id=f"b-{number:03d}", ids=ids))
    return root


def test_check_output_is_bounded_however_many_ids_are_unknown(
    unknown_ids: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # CPU time, not the clock's: a busy machine must not fail it, a quadratic check must.
    started = sum(os.times()[:4])
    code = main(["check", "--root", str(unknown_ids), "--briefings", "hostile"])
    elapsed = sum(os.times()[:4]) - started
    out, err = capsys.readouterr()
    assert code == 1
    assert len(out) + len(err) < 100_000
    assert elapsed < 8, elapsed
    # A file's problems stop at 20, then say how many more there are.
    b1 = [line for line in out.splitlines() if line.startswith("hostile/b-001.yaml:")]
    assert len(b1) == 21
    assert b1[-1] == f"hostile/b-001.yaml: … and {MANY - 20} more problems in this file"
    # A message names a few close matches, never the library.
    assert "did you mean 'study-0100', " in b1[0]
    assert max(len(line) for line in out.splitlines()) < 300
    # And all files' problems stop at 200, then say how many more, in how many files.
    located = [line for line in out.splitlines() if re.match(r"hostile/[ab]-\S+\.yaml:\d+:", line)]
    assert len(located) == 200
    assert re.search(
        r"^… and [\d,]+ more problems in \d+ more files: fix those shown, then check again$",
        out,
        re.MULTILINE,
    ), out[-500:]


# Odd files in content folders: each gets one located message, and none a traceback.


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Fail, rather than hang, if the block takes longer than `seconds`."""

    def expire(signum: int, frame: object) -> None:
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


SECRET = "SECRET-TOKEN-123"


def odd_project(root: Path, outside: Path) -> dict[str, str]:
    """A content folder of odd files; returns each file's name and a word its message has."""
    secret = MINIMAL_CASE_STUDY.format(id="outside", title="Out").replace("shared-service", SECRET)
    write(outside, "secret.yaml", secret)
    write(root, "notes/inside.yaml", MINIMAL_CASE_STUDY.format(id="inside", title="In"))
    folder = root / "case_studies"
    folder.mkdir(parents=True)
    (folder / "inside.yaml").symlink_to(root / "notes" / "inside.yaml")
    (folder / "outside.yaml").symlink_to(outside / "secret.yaml")
    (folder / "dangling.yaml").symlink_to(root / "nowhere.yaml")
    os.mkfifo(folder / "fifo.yaml")
    (folder / "folder.yaml").mkdir()
    (folder / "latin1.yaml").write_bytes(b"id: latin1\ntitle: Caf\xe9\n")
    (folder / "empty.yaml").write_bytes(b"")
    write(root, "case_studies/shout.YAML", MINIMAL_CASE_STUDY.format(id="shout", title="Shout"))
    write(root, "case_studies/short.yml", MINIMAL_CASE_STUDY.format(id="short", title="Short"))
    write(root, "briefings/real.yaml", "id: real\ntitle: Real\ncontext: Some context.\n")
    (root / "briefings" / "linked.yaml").symlink_to(root / "briefings" / "real.yaml")
    expected = {
        "case_studies/inside.yaml": "is a symbolic link",
        "case_studies/outside.yaml": "is a symbolic link",
        "case_studies/dangling.yaml": "is a symbolic link",
        "case_studies/fifo.yaml": "is not a regular file",
        "case_studies/folder.yaml": "is a folder",
        "case_studies/latin1.yaml": "not UTF-8",
        "case_studies/empty.yaml": "the file is empty",
        "case_studies/shout.YAML": "rename it to shout.yaml",
        "case_studies/short.yml": "rename it to short.yaml",
        "briefings/linked.yaml": "is a symbolic link",
    }
    if Path("/proc/self/pagemap").exists():
        (folder / "pagemap.yaml").symlink_to("/proc/self/pagemap")
        expected["case_studies/pagemap.yaml"] = "is a symbolic link"
    return expected


def test_odd_files_each_get_one_located_message(tmp_path: Path) -> None:
    expected = odd_project(tmp_path / "project", tmp_path / "elsewhere")
    with deadline(10):
        report = read_content(tmp_path / "project", today=BUILD_DATE)
    assert report.content is None
    shown = [str(problem) for problem in report.problems]
    for path, words in expected.items():
        (line,) = [line for line in shown if line.startswith(f"{path}:")]
        assert re.match(rf"{re.escape(path)}:\d+:\d+: ", line), line
        assert words in line, line
    assert not any(SECRET in line for line in shown)
    assert (
        "case_studies/outside.yaml:1:1: is a symbolic link: content files must be regular "
        "files in case_studies/"
    ) in shown
    assert "briefings/linked.yaml:1:1: is a symbolic link: content files must be regular " in (
        "\n".join(shown)
    )


def test_a_content_folder_that_is_a_link_is_not_followed(tmp_path: Path) -> None:
    """A link from case_studies/ to a folder outside: none of what it holds is read."""
    outside = tmp_path / "elsewhere"
    secret = MINIMAL_CASE_STUDY.format(id="outside", title="Out").replace("shared-service", SECRET)
    write(outside, "outside.yaml", secret)
    (tmp_path / "project").mkdir()
    (tmp_path / "project" / "case_studies").symlink_to(outside)
    report = read_content(tmp_path / "project", today=BUILD_DATE)
    shown = [str(problem) for problem in report.problems]
    assert shown == [
        "case_studies:1:1: is a symbolic link: case_studies/ must be a folder of the project"
    ], shown


def test_check_over_odd_files_exits_1_without_a_traceback(tmp_path: Path) -> None:
    project = tmp_path / "project"
    expected = odd_project(project, tmp_path / "elsewhere")
    # The installed command, in a process of its own: a file that blocks would hang a test.
    result = run(BIN / "briefgen", "check", "--format", "text", cwd=project, timeout=30)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert SECRET not in result.stdout
    for path in expected:
        assert len([ln for ln in result.stdout.splitlines() if ln.startswith(f"{path}:")]) == 1


def test_the_loader_opens_no_symlink_and_waits_on_no_fifo(tmp_path: Path) -> None:
    # What the folder listing vets can change before the file is opened: the loader
    # itself refuses what is not a regular file, without following or blocking.
    target = write(tmp_path, "real.yaml", "id: real\n")
    (tmp_path / "link.yaml").symlink_to(target)
    os.mkfifo(tmp_path / "fifo.yaml")
    with deadline(5):
        _, linked = load_yaml(tmp_path / "link.yaml", "case_studies/link.yaml")
        _, fifo = load_yaml(tmp_path / "fifo.yaml", "case_studies/fifo.yaml")
    assert [str(p) for p in linked] == [
        "case_studies/link.yaml:1:1: is a symbolic link: content files must be regular "
        "files in case_studies/"
    ]
    assert [str(p) for p in fifo] == [
        "case_studies/fifo.yaml:1:1: is not a regular file (a pipe, device or socket): "
        "content files must be regular files in case_studies/"
    ]
