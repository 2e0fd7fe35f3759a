"""The repository's own set-up: its editor schemas, workflows, mkdocs.yml and Makefile."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
import yaml
from conftest import BIN, REPO, copy_project, run
from mkdocs.config import load_config


def test_editor_schemas_in_the_repository_are_current() -> None:
    for kind in ("case-study", "briefing", "glossary"):
        printed = run(BIN / "briefgen", "schema", kind).stdout  # the installed command
        committed = (REPO / "schema" / f"{kind}.schema.json").read_text()
        assert json.loads(printed) == json.loads(committed), f"run 'make schema' ({kind})"


def test_workflows_pass_zizmor_and_never_use_pull_request_target() -> None:
    workflows = REPO / ".github" / "workflows"
    result = run("zizmor", "--offline", workflows)
    assert result.returncode == 0, result.stdout + result.stderr
    pull_request = yaml.safe_load((workflows / "pull-request.yml").read_text())
    triggers = pull_request[True]  # YAML 1.1 reads the key 'on' as True
    assert "pull_request" in triggers and "pull_request_target" not in triggers
    assert pull_request["permissions"] == {"contents": "read"}
    steps = " ".join(str(job) for job in pull_request["jobs"].values())
    for command in ("make check", "make build", "make test", "upload-artifact"):
        assert command in steps
    # The fork's code runs only after the guard, and the guard is the base branch's copy.
    jobs = pull_request["jobs"]
    guard = jobs["content-only"]
    assert jobs["check-build-test"]["needs"] == "content-only"
    assert "if" not in jobs["check-build-test"] and "if" not in guard
    [step] = [step for step in guard["steps"] if "path_guard.py" in step.get("run", "")]
    assert step["env"]["BASE"] == "${{ github.event.pull_request.base.sha }}"
    assert 'git show "$BASE:.github/scripts/path_guard.py"' in step["run"]
    assert "python3 .github/scripts/path_guard.py" not in step["run"]
    assert "--no-renames" in step["run"] and "--raw" in step["run"]
    deploy = yaml.safe_load((workflows / "deploy.yml").read_text())
    assert deploy[True] == {"push": {"branches": ["main"]}}
    assert "deploy-pages" in str(deploy["jobs"]["deploy"])
    # The build knows the published address: mkdocs.yml reads SITE_URL.
    steps = deploy["jobs"]["build"]["steps"]
    [pages] = [step for step in steps if "configure-pages" in step.get("uses", "")]
    [build] = [step for step in steps if step.get("run") == "make build"]
    assert build["env"]["SITE_URL"] == f"${{{{ steps.{pages['id']}.outputs.base_url }}}}"
    assert steps.index(pages) < steps.index(build)


def test_make_test_without_a_chromium_says_how_to_get_one(tmp_path: Path) -> None:
    # Not root (as a developer is), so make must not try to install one.
    fake = tmp_path / "bin"
    fake.mkdir()
    (fake / "id").write_text("#!/bin/sh\necho 1000\n")
    (fake / "id").chmod(0o755)
    missing = tmp_path / "no such chromium"
    result = run(
        "make",
        "--silent",
        "chromium",
        f"CHROMIUM={missing}",
        env={"PATH": f"{fake}:{os.environ['PATH']}"},
        timeout=60,
    )
    assert result.returncode != 0
    assert result.stdout == ""  # nothing installed
    assert f"there is none at {missing}." in result.stderr
    # Playwright's own Chromium, by the path it has (or will have) on this machine; asked in
    # another process, since the browser tests may have Playwright running in this one.
    own = run(
        sys.executable,
        "-c",
        "from playwright.sync_api import sync_playwright as p\n"
        "with p() as playwright: print(playwright.chromium.executable_path)",
    ).stdout.strip()
    assert own and f'make test CHROMIUM="{own}"' in result.stderr


def test_site_url_comes_from_the_environment_and_is_optional(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = copy_project(tmp_path / "project", REPO, shared_pdfs=False)
    monkeypatch.delenv("SITE_URL", raising=False)
    assert load_config(str(project.root / "mkdocs.yml")).site_url is None  # make build, serve
    # As the Publish workflow sets it, from the GitHub Pages address of a project site.
    monkeypatch.setenv("SITE_URL", "https://council.github.io/briefing")
    assert load_config(str(project.root / "mkdocs.yml")).site_url == (
        "https://council.github.io/briefing/"
    )
