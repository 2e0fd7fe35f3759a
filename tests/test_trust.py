"""What the published site promises: private, reproducible, and never half-built."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest
from conftest import (
    BIN,
    BUILD_DATE,
    CASE_STUDIES,
    CHECKLIST,
    LIBRARY_CONTENT,
    Site,
    copy_project,
    epoch,
    in_yaml,
)
from playwright.sync_api import Browser

PAGE_TYPES = [
    "", "case-studies/", *(f"case-studies/{s.id}/" for s in CASE_STUDIES), "takeaways/",
    "themes/culture/", f"checklists/{CHECKLIST.id}/", "compare/", "data/", "contributing/",
    "accessibility/",
]  # fmt: skip


@pytest.mark.browser
def test_pages_request_nothing_from_other_hosts_and_set_no_cookies(
    browser: Browser, site_url: str
) -> None:
    context = browser.new_context()
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    for path in PAGE_TYPES:
        page.goto(site_url + path)
        page.wait_for_load_state("networkidle")
    search = page.get_by_role("textbox", name="Search")
    search.click()
    search.press_sequentially(in_yaml("northtown", "intranet"), delay=20)
    page.wait_for_load_state("networkidle")

    elsewhere = [url for url in requested if not url.startswith(site_url)]
    assert elsewhere == []
    assert len(requested) > len(PAGE_TYPES)
    assert context.cookies() == []
    assert page.evaluate("document.cookie") == ""
    context.close()


def _build(folder: Path, epoch: str) -> Path:
    site = copy_project(folder)
    env = {**os.environ, "SOURCE_DATE_EPOCH": epoch, "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run(
        [str(BIN / "mkdocs"), "build", "--strict", "--quiet"],
        cwd=site.root,
        env=env,
        check=True,
        capture_output=True,
    )
    return site.site_dir


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_two_builds_of_one_commit_are_the_same_bytes(tmp_path: Path) -> None:
    # Each lays its PDFs out afresh (no cache is shared), and they must match too.
    first = _tree(_build(tmp_path / "one", epoch(BUILD_DATE)))
    time.sleep(1.1)  # a clock that leaked into the output would now differ
    second = _tree(_build(tmp_path / "elsewhere" / "two", epoch(BUILD_DATE)))
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []
    assert any(name.endswith(".pdf") for name in first)


def _snapshot(site: Site) -> dict[str, bytes]:
    return _tree(site.site_dir)


@pytest.mark.parametrize(
    "break_it",
    ["content", "strict-warning", "page-template", "pdf-template"],
)
def test_a_failed_build_leaves_the_last_good_site(library_project: Site, break_it: str) -> None:
    project = library_project
    assert project.run("mkdocs", "build", "--strict").returncode == 0
    good = _snapshot(project)

    if break_it == "content":
        with (project.root / "case_studies" / "northtown.yaml").open("a") as handle:
            handle.write("colour: blue\n")
    elif break_it == "strict-warning":
        project.write("docs/about.md", "# About\n\n[Broken](nowhere.md)\n")
    elif break_it == "page-template":
        project.plugin_options(templates="overrides")
        project.write("overrides/case_study.html.j2", "<h1>{{ study.title }</h1>\n")
    else:
        project.plugin_options(templates="overrides")
        project.write("overrides/pdf/checklist.html.j2", "{{ no_such_thing.attribute }}")

    result = project.run("mkdocs", "build", "--strict")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "Aborted" in result.stdout + result.stderr
    assert _snapshot(project) == good
    assert not [p.name for p in project.root.iterdir() if p.name.startswith(".site")]


def test_template_errors_name_the_template_and_line(library_project: Site) -> None:
    project = library_project
    project.plugin_options(templates="overrides")
    project.write("overrides/case_study.html.j2", "<h1>Title</h1>\n\n{{ study.title }\n")
    result = project.run("mkdocs", "build")
    assert result.returncode == 1
    first = next(iter(LIBRARY_CONTENT.case_studies))  # the first case study page rendered
    assert f"Error rendering 'case-studies/{first}.md' with template 'case_study.html.j2'" in (
        result.stderr
    )
    assert "case_study.html.j2:3" in result.stderr
