"""A contributor's journey: scaffold, check, annotations, issue forms, freshness. (Adding a
case study and finding it by search: tests/browser/test_search.py.)"""

from __future__ import annotations

import datetime as dt
import subprocess

import yaml
from bs4 import BeautifulSoup
from conftest import BIN, BUILD_DATE, CASE_STUDIES, CONFIGURED, REPO, Site, fill

from briefgen.issue_form import LABELS


def test_new_scaffolds_a_file_that_passes_check_once_filled(library_project: Site) -> None:
    project = library_project
    result = project.run("briefgen", "new", "example-shire")
    assert result.returncode == 0, result.stderr
    path = project.root / "case_studies" / "example-shire.yaml"
    text = path.read_text()
    assert text.startswith("# yaml-language-server: $schema=../schema/case-study.schema.json\n")
    assert "id: example-shire\n" in text

    unfilled = project.run("briefgen", "check")
    assert unfilled.returncode == 1
    assert "case_studies/example-shire.yaml:" in unfilled.stdout
    assert "title: expected text; got nothing" in unfilled.stdout

    path.write_text(fill(text))
    filled = project.run("briefgen", "check")
    assert filled.returncode == 0, filled.stdout
    assert "example-shire" not in filled.stdout  # not a warning either


def test_new_refuses_an_existing_id_or_one_that_is_not_a_slug(library_project: Site) -> None:
    project = library_project
    folder = project.root / "case_studies"
    before = {path.name: path.read_bytes() for path in folder.iterdir()}
    existing = CASE_STUDIES[0].id
    exists = project.run("briefgen", "new", existing)
    assert exists.returncode == 1
    assert "exists already" in exists.stderr
    for bad in (existing.capitalize(), "../etc", "a_b", "-x"):
        result = project.run("briefgen", "new", bad)
        assert result.returncode == 2, bad
        assert "is not a valid id" in result.stderr or "usage:" in result.stderr
    assert {path.name: path.read_bytes() for path in folder.iterdir()} == before


def test_github_format_annotates_the_line(library_project: Site) -> None:
    project = library_project
    with (project.root / "case_studies" / "northtown.yaml").open("a") as handle:
        handle.write("colour: blue, 100%\n")
    lines = (project.root / "case_studies" / "northtown.yaml").read_text().count("\n")
    expected = (
        f"::error file=case_studies/northtown.yaml,line={lines},col=1,title=colour::"
        "unknown field 'colour'. Fields allowed here:"
    )
    explicit = project.run("briefgen", "check", "--format", "github")
    assert explicit.returncode == 1
    (error,) = [line for line in explicit.stdout.splitlines() if line.startswith("::error ")]
    assert error.startswith(expected)
    # The overdue review is a warning annotation, on its own line.
    overdue = [s for s in CASE_STUDIES if s.review_due < BUILD_DATE]
    warnings = [line for line in explicit.stdout.splitlines() if line.startswith("::warning ")]
    assert [line.split(",")[0] for line in warnings] == [
        f"::warning file=case_studies/{s.id}.yaml" for s in sorted(overdue, key=lambda s: s.id)
    ]
    env_run = subprocess.run(
        [str(BIN / "briefgen"), "check"],
        cwd=project.root,
        capture_output=True,
        text=True,
        env={"GITHUB_ACTIONS": "true", "PATH": "/usr/bin:/bin"},
        check=False,
    )
    assert expected in env_run.stdout


def test_check_and_build_agree_on_the_day_a_review_falls_due(minimal: Site) -> None:
    # Both take "today" from SOURCE_DATE_EPOCH (BUILD_DATE in the suite).
    path = minimal.root / "case_studies" / "example.yaml"
    due = BUILD_DATE.isoformat()
    path.write_text(path.read_text().replace("review_due: 2025-01-01", f"review_due: {due}"))
    check = minimal.run("briefgen", "check")  # due today: not yet overdue
    assert check.returncode == 0
    assert "was due for review" not in check.stdout
    minimal.build()
    assert "bg-overdue" not in minimal.html("case-studies/example/")

    overdue = (BUILD_DATE - dt.timedelta(days=1)).isoformat()
    path.write_text(path.read_text().replace(f"review_due: {due}", f"review_due: {overdue}"))
    check = minimal.run("briefgen", "check")
    assert check.returncode == 0  # a warning is not a failure
    assert (
        f"case_studies/example.yaml:12:1: warning: review_due: case study 'example' was due "
        f"for review on {overdue}" in check.stdout
    )
    minimal.build()
    banner = BeautifulSoup(minimal.html("case-studies/example/"), "lxml").select_one(
        "article .bg-overdue"
    )
    assert banner is not None
    day = BUILD_DATE - dt.timedelta(days=1)
    assert f"due to be checked against its sources by {day.day} {day:%B %Y}" in banner.get_text()


def test_a_malformed_source_date_epoch_is_a_plain_error(minimal: Site) -> None:
    minimal_env = {"SOURCE_DATE_EPOCH": "last tuesday"}
    check = minimal.run("briefgen", "check", env=minimal_env)
    assert check.returncode == 2
    assert check.stderr == (
        "briefgen: error: SOURCE_DATE_EPOCH must be a whole number of seconds since "
        "1970-01-01 UTC, such as 1700000000; got 'last tuesday'\n"
    )
    build = minimal.run("mkdocs", "build", "--strict", env=minimal_env)
    assert build.returncode == 1
    assert "Error in the build date: SOURCE_DATE_EPOCH must be a whole number" in build.stderr
    assert "Traceback" not in build.stderr


def test_sitemap_lastmod_is_the_review_date(configured: Site) -> None:
    sitemap = (configured.site_dir / "sitemap.xml").read_text()
    for case_study in CASE_STUDIES:
        address = f"{CONFIGURED['site_url']}case-studies/{case_study.id}/"
        entry = sitemap[sitemap.index(address) :]
        lastmod = f"<lastmod>{case_study.reviewed.isoformat()}</lastmod>"
        assert entry[: entry.index("</url>")].count(lastmod) == 1


def test_from_issue_turns_an_issue_form_body_into_a_case_study(library_project: Site) -> None:
    project = library_project
    form = yaml.safe_load((REPO / ".github" / "ISSUE_TEMPLATE" / "case-study.yml").read_text())
    labels = {item["attributes"]["label"] for item in form["body"] if item["type"] != "markdown"}
    assert labels == set(LABELS.values())  # the parser reads what the form asks

    body = "\n\n".join(
        [
            "### Short id\n\nexample-shire",
            "### Title\n\nShared revenues and benefits in Example Shire",
            "### Summary\n\nTwo councils share one team.\n\nIt began this year.",
            "### Councils and bodies\n\nExample Shire Council\nOther District Council",
            "### Region\n\n_No response_",
            "### Setting\n\nrural",
            "### Model\n\n- [X] shared-service\n- [ ] partnership\n- [x] joint-venture",
            "### Speaker\n\n_No response_",
            "### Speaker's role\n\n_No response_",
            "### Services\n\n- Revenues and benefits\n- Webchat",
            "### Challenges\n\n_No response_",
            "### What helped\n\nOne shared system",
            "### Takeaways\n\nStart with the contracts.",
            "### Source title\n\nExample report",
            "### Source publisher\n\nExample Shire Council",
            "### Source author\n\n_No response_",
            f"### Source date\n\n{BUILD_DATE - dt.timedelta(days=60)}",
            "### Source web address\n\nhttps://example.org/report",
        ]
    )
    project.write("issue.md", body)
    result = project.run("briefgen", "from-issue", "issue.md")
    assert result.returncode == 0, result.stdout + result.stderr
    data = yaml.safe_load((project.root / "case_studies" / "example-shire.yaml").read_text())
    assert data["models"] == ["shared-service", "joint-venture"]
    assert data["organisations"] == [
        {"name": "Example Shire Council"},
        {"name": "Other District Council"},
    ]
    assert "region" not in data and "speaker" not in data
    assert data["summary"] == "Two councils share one team.\n\nIt began this year."
    # Reviewed on the build date, due a year later.
    assert (data["reviewed"], data["review_due"]) == (
        BUILD_DATE.isoformat(),
        (BUILD_DATE + dt.timedelta(days=365)).isoformat(),
    )
    assert project.run("briefgen", "check").returncode == 0
