"""Hostile issue bodies and ids: `briefgen from-issue` and `briefgen new` write only what a
maintainer saw, only inside case_studies/, and print nothing raw from the issue."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from conftest import BUILD_DATE

from briefgen import cli
from briefgen.issue_form import case_study_from_issue
from briefgen.scaffold import ScaffoldError, check_new_id, write_new

ANSWERS = {
    "Short id": "example-shire",
    "Title": "Shared revenues in Example Shire",
    "Summary": "Two councils share one team.",
    "Councils and bodies": "Example Shire Council\nOther District Council",
    "Region": "_No response_",
    "Setting": "rural",
    "Model": "- [X] shared-service\n- [ ] partnership",
    "Speaker": "_No response_",
    "Speaker's role": "_No response_",
    "Services": "- Revenues and benefits",
    "Challenges": "_No response_",
    "What helped": "One shared system",
    "Takeaways": "Start with the contracts.",
    "Source title": "Example report",
    "Source publisher": "Example Shire Council",
    "Source author": "_No response_",
    "Source date": "2024-04-01",
    "Source web address": "https://example.org/report",
}


def body(**changed: str) -> str:
    """An issue form's body as GitHub writes it, with some answers (by label) changed."""
    answers = {**ANSWERS, **{label.replace("_", " "): v for label, v in changed.items()}}
    return "\n\n".join(f"### {label}\n\n{value}" for label, value in answers.items())


def last(answer: str) -> str:
    """A body whose last answer (the source's address) ends with `answer`."""
    return body(Source_web_address=ANSWERS["Source web address"] + answer)


def refusal(text: str) -> str:
    with pytest.raises(ScaffoldError) as raised:
        case_study_from_issue(text, BUILD_DATE)
    return str(raised.value)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# 1. Only what GitHub shows is read.


@pytest.mark.parametrize(
    "hidden",
    [
        "\n\n<!--\n### Title\n\nHIDDEN title\n\n### Setting\n\nurban\n-->\n",
        "\n\n<!-- ### Title\n\nHIDDEN title",  # never closed: hidden to the end
        "<!--x-->\n\n### Title<!-- -->\n\n<!--\n-->HIDDEN<!---->",
    ],
)
def test_headings_in_an_html_comment_are_not_read(hidden: str) -> None:
    try:
        _, text = case_study_from_issue(last(hidden), BUILD_DATE)
    except ScaffoldError as error:  # a refusal is as good, if it says why
        assert "Title" in str(error)
        return
    assert "HIDDEN" not in text
    data = yaml.safe_load(text)
    assert data["title"] == ANSWERS["Title"]
    assert data["setting"] == "rural"


@pytest.mark.parametrize(
    "again",
    [
        "### Title",
        "### Title" + " " * 100,  # shown as "Title" however long the line
        "###" + " " * 100 + "Title",
        "## **title** ##",
        "> - ### Title",
        "Title\n=====",
    ],
)
def test_a_heading_given_twice_is_refused(again: str) -> None:
    message = refusal(last(f"\n\n{again}\n\nAnother title"))
    assert "'Title'" in message and "twice" in message


def test_a_heading_hidden_behind_an_empty_one_is_not_read() -> None:
    # "###" alone is an empty heading; "Title" below it is a paragraph, not a heading.
    _, text = case_study_from_issue(last("\n\n###\n\nTitle\n\nHIDDEN"), BUILD_DATE)
    assert yaml.safe_load(text)["title"] == ANSWERS["Title"]


@pytest.mark.parametrize(
    ("markup", "said"),
    [
        ("\n\n<div hidden>\n\n### Region\n\nNowhere\n\n</div>", "HTML"),
        ("\n\n<details>\n\n### Region\n\nNowhere\n\n</details>", "HTML"),
        ("\n\n### Ti\u200btle\n\nNowhere", "U+200B"),
        ("\n\n### Title\u2066\n\nNowhere", "U+2066"),
        ("\u202e", "U+202E"),
        ("\x1b]52;c;ZXZpbA==\x07", "U+001B"),
        ("\n\n[x]: https://example.org/hidden", "link definition"),
        # Bytes hidden after an emoji as variation selectors, and blank braille.
        (" \U0001f600\ufe0f\ufe0f\ufe0f", "U+FE0F"),
        (" \U0001f600\U000e0100\U000e0101", "U+E0100"),
        (" \u2800\u2800", "U+2800"),
    ],
)
def test_markup_that_github_hides_is_refused(markup: str, said: str) -> None:
    message = refusal(last(markup))
    assert said in message
    assert "\x1b" not in message and "\u202e" not in message


def test_one_emoji_presentation_selector_is_an_emoji_not_hidden_text() -> None:
    _, text = case_study_from_issue(last(" \u2764\ufe0f"), BUILD_DATE)
    assert yaml.safe_load(text)["sources"][0]["url"].endswith(" \u2764\ufe0f")


# 2. Ids that are the site's own paths, or that Windows cannot name.


@pytest.mark.parametrize(
    "reserved", ["index", "con", "nul", "aux", "prn", "com1", "lpt9", "takeaways", "data"]
)
def test_a_reserved_id_is_refused(reserved: str) -> None:
    with pytest.raises(ScaffoldError, match=r"reserved \(.*\): choose another id"):
        check_new_id(reserved)


def test_new_and_from_issue_refuse_a_reserved_id_before_writing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "new", "index", "--root", str(tmp_path))
    assert code == 2 and "'index' is reserved" in err
    (tmp_path / "issue.md").write_text(body(Short_id="con"))
    code, _, err = run(capsys, "from-issue", str(tmp_path / "issue.md"), "--root", str(tmp_path))
    assert code == 1 and "'con' is reserved" in err
    assert not (tmp_path / "case_studies").exists() or not any(
        (tmp_path / "case_studies").iterdir()
    )


# 3. Never through a symbolic link, never outside case_studies/.


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "project" / "case_studies").mkdir(parents=True)
    (tmp_path / "outside").mkdir()
    return tmp_path / "project"


def test_a_dangling_link_is_not_written_through(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = project.parent / "outside" / "planted.yaml"
    (project / "case_studies" / "example-shire.yaml").symlink_to(outside)
    (project / "issue.md").write_text(body())
    code, _, err = run(capsys, "from-issue", str(project / "issue.md"), "--root", str(project))
    assert code == 1
    assert "case_studies/example-shire.yaml is a symbolic link" in err
    assert not outside.exists()
    code, _, err = run(capsys, "new", "example-shire", "--root", str(project))
    assert code == 1 and "is a symbolic link" in err
    assert not outside.exists()


def test_a_link_to_a_file_is_refused_and_the_file_kept(project: Path) -> None:
    outside = project.parent / "outside" / "kept.yaml"
    outside.write_text("kept")
    (project / "case_studies" / "example-shire.yaml").symlink_to(outside)
    with pytest.raises(ScaffoldError, match="is a symbolic link"):
        write_new(project, "example-shire", "new text")
    assert outside.read_text() == "kept"


def test_an_existing_file_is_kept(project: Path) -> None:
    existing = project / "case_studies" / "example-shire.yaml"
    existing.write_text("kept")
    with pytest.raises(ScaffoldError, match="exists already: choose another id"):
        write_new(project, "example-shire", "new text")
    assert existing.read_text() == "kept"


def test_a_case_study_folder_that_leaves_the_project_is_refused(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "case_studies").rmdir()
    (project / "case_studies").symlink_to(project.parent / "outside")
    code, _, err = run(capsys, "new", "example-shire", "--root", str(project))
    assert code == 1 and "case_studies is a symbolic link" in err
    with pytest.raises(ScaffoldError, match="symbolic link"):
        write_new(project, "example-shire", "text")
    assert list((project.parent / "outside").iterdir()) == []


def test_new_writes_inside_case_studies(project: Path) -> None:
    shown = write_new(project, "example-shire", "text\n")
    assert shown == "case_studies/example-shire.yaml"
    path = project / shown
    assert path.read_text() == "text\n" and not path.is_symlink()
    assert oct(path.stat().st_mode & 0o077) == oct(0o666 & ~_umask() & 0o077)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


# 4. Answers are data: no YAML keys, nothing raw on the terminal.


def test_an_answer_cannot_add_yaml_keys_or_documents() -> None:
    title = "A title\nevil: key\n---\nid: other\n...\n"
    case_study_id, text = case_study_from_issue(
        body(Title=title, Summary="x\n---\nevil: key"), BUILD_DATE
    )
    (data,) = yaml.safe_load_all(text)
    assert case_study_id == data["id"] == "example-shire"
    assert "evil" not in data
    assert data["title"] == title.strip()
    assert data["summary"] == "x\n---\nevil: key"


def test_from_issue_prints_nothing_raw_from_the_issue(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # A title no case study may have: the problem printed quotes it, escaped.
    (project / "issue.md").write_text(body(Source_date="2024-99-01\n::error title=x::y"))
    code, out, err = run(capsys, "from-issue", str(project / "issue.md"), "--root", str(project))
    assert code == 1, err
    assert "\n::error" not in out + err
    assert "Wrote case_studies/example-shire.yaml with 1 problem to fix." in err


def test_an_unreadable_body_is_a_plain_error(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / "latin1.md").write_bytes("### Title\n\ncaf\xe9".encode("latin-1"))
    code, _, err = run(capsys, "from-issue", str(project / "latin1.md"), "--root", str(project))
    assert code == 1 and "is not UTF-8" in err
    code, _, err = run(capsys, "from-issue", str(project / "missing.md"), "--root", str(project))
    assert code == 1 and "cannot read" in err and "missing.md" in err
    (project / "huge.md").write_text(body(Summary="x" * 70_000))
    code, _, err = run(capsys, "from-issue", str(project / "huge.md"), "--root", str(project))
    assert code == 1 and "longer than any GitHub issue" in err
