"""The fork guard: a pull request from a fork changes content only, until a maintainer approves.

Each attack is made in a real git repository and checked by running the workflow's own
guard step, as GitHub runs it, against the base and head commits.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml
from conftest import REPO, write

WORKFLOW = REPO / ".github" / "workflows" / "pull-request.yml"
GUARD = REPO / ".github" / "scripts" / "path_guard.py"
GUARD_STEP = "Fail on changes outside case_studies/ and briefings/"

# git as on a fresh runner: no user or system configuration (such as diff.renames=copies).
GIT_ENV = {
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_AUTHOR_NAME": "Contributor",
    "GIT_AUTHOR_EMAIL": "contributor@example.org",
    "GIT_COMMITTER_NAME": "Contributor",
    "GIT_COMMITTER_EMAIL": "contributor@example.org",
}


def workflow() -> dict[str, Any]:
    return yaml.safe_load(WORKFLOW.read_text())


def guard_job() -> dict[str, Any]:
    jobs = workflow()["jobs"]
    [job] = [job for job in jobs.values() if any(s.get("name") == GUARD_STEP for s in job["steps"])]
    return job


class Repository:
    """A repository with the project's shape, on a pull request's branch."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir()
        self.git("init", "--quiet", "--initial-branch=main")
        self.write("mkdocs.yml", "site_name: Test\n")
        self.write(".github/workflows/deploy.yml", "name: Publish\n")
        self.write(".github/scripts/path_guard.py", GUARD.read_text())
        self.write("case_studies/dorset.yaml", "id: dorset\n")
        self.write("briefings/main.yaml", "id: main\n")
        self.base = self.commit("The base branch")
        self.git("checkout", "--quiet", "-b", "contribution")

    def git(self, *args: str) -> str:
        result = subprocess.run(
            ["git", *args],
            cwd=self.root,
            capture_output=True,
            text=True,
            env={**os.environ, **GIT_ENV},
            check=True,
        )
        return result.stdout.strip()

    def write(self, relative: str, text: str) -> None:
        write(self.root, relative, text)

    def commit(self, message: str) -> str:
        self.git("add", "--all")
        self.git("commit", "--quiet", "--allow-empty", "-m", message)
        return self.git("rev-parse", "HEAD")

    def guard(self, base: str | None = None) -> subprocess.CompletedProcess[str]:
        """Run the workflow's guard step here as GitHub would, on the head commit."""
        step = next(s for s in guard_job()["steps"] if s.get("name") == GUARD_STEP)
        script = self.root.parent / "step.sh"
        script.write_text(step["run"])
        temp = self.root.parent / "runner-temp"
        temp.mkdir(exist_ok=True)
        # GitHub's commands for a run step: bash -e {0} by default; with shell: bash,
        # bash --noprofile --norc -eo pipefail {0}.
        shell = {None: ["bash", "-e"], "bash": ["bash", "--noprofile", "--norc", "-eo", "pipefail"]}
        env = {
            **os.environ,
            **GIT_ENV,
            "RUNNER_TEMP": str(temp),
            "BASE": base or self.base,
            "PR_HEAD": self.git("rev-parse", "HEAD"),
        }
        return subprocess.run(
            [*shell[step.get("shell")], str(script)],
            cwd=self.root,
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )


@pytest.fixture
def repo(tmp_path: Path) -> Repository:
    return Repository(tmp_path / "repository")


def flagged(result: subprocess.CompletedProcess[str]) -> dict[str, str]:
    """The paths the guard annotated, each with its message."""
    return dict(re.findall(r"^::error file=([^:]+)::(.*)$", result.stdout, flags=re.MULTILINE))


def test_content_passes(repo: Repository) -> None:
    repo.write("case_studies/new-council.yaml", "id: new-council\n")
    repo.write("case_studies/dorset.yaml", "id: dorset\ntitle: Dorset\n")
    repo.write("briefings/main.yaml", "id: main\ntitle: Main\n")
    repo.commit("A new case study, and edits")
    repo.git("mv", "case_studies/new-council.yaml", "case_studies/north-council.yaml")
    repo.git("rm", "--quiet", "briefings/main.yaml")
    repo.commit("A case study renamed, a briefing deleted")
    result = repo.guard()
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""


def _rename_a_workflow_into_content(repo: Repository) -> None:
    repo.git("mv", ".github/workflows/deploy.yml", "case_studies/x.yml")


def _copy_a_workflow(repo: Repository) -> None:
    shutil.copy(repo.root / ".github/workflows/deploy.yml", repo.root / ".github/workflows/x.yml")


def _delete_mkdocs_yml(repo: Repository) -> None:
    repo.git("rm", "--quiet", "mkdocs.yml")


def _link_content_to_mkdocs_yml(repo: Repository) -> None:
    (repo.root / "case_studies" / "evil.yaml").symlink_to("../mkdocs.yml")


def _replace_content_with_a_link(repo: Repository) -> None:
    (repo.root / "case_studies" / "dorset.yaml").unlink()
    (repo.root / "case_studies" / "dorset.yaml").symlink_to("/etc/passwd")


def _add_a_submodule_in_content(repo: Repository) -> None:
    repo.git("update-index", "--add", "--cacheinfo", f"160000,{repo.base},case_studies/sub")
    (repo.root / "case_studies" / "sub").mkdir()  # as a clone shows a submodule not yet fetched


def _add_a_file_that_is_not_content(repo: Repository) -> None:
    repo.write("case_studies/notes.md", "Not a case study\n")
    repo.write("briefings/extra/nested.yaml", "id: nested\n")


def _edit_the_guard_to_let_everything_through(repo: Repository) -> None:
    repo.write(".github/scripts/path_guard.py", "import sys\nsys.exit(0)\n")
    repo.write("mkdocs.yml", "site_name: Test\nhooks: [evil.py]\n")


@pytest.mark.parametrize(
    ("attack", "paths", "says"),
    [
        (_rename_a_workflow_into_content, [".github/workflows/deploy.yml"], "is code"),
        (_copy_a_workflow, [".github/workflows/x.yml"], "is code"),
        (_delete_mkdocs_yml, ["mkdocs.yml"], "deletes it"),
        (_link_content_to_mkdocs_yml, ["case_studies/evil.yaml"], "symbolic link"),
        (_replace_content_with_a_link, ["case_studies/dorset.yaml"], "symbolic link"),
        (_add_a_submodule_in_content, ["case_studies/sub"], "submodule"),
        (
            _add_a_file_that_is_not_content,
            ["case_studies/notes.md", "briefings/extra/nested.yaml"],
            "is not a case study or briefing",
        ),
        (
            _edit_the_guard_to_let_everything_through,
            [".github/scripts/path_guard.py", "mkdocs.yml"],
            "is code",
        ),
    ],
    ids=lambda value: value.__name__.strip("_") if callable(value) else None,
)
def test_an_attack_from_a_fork_is_stopped_and_named(
    repo: Repository, attack: Callable[[Repository], None], paths: list[str], says: str
) -> None:
    repo.write("case_studies/cover.yaml", "id: cover\n")  # honest content beside the attack
    attack(repo)
    repo.commit("An attack")
    result = repo.guard()
    assert result.returncode == 1, result.stdout + result.stderr
    annotated = flagged(result)
    assert sorted(annotated) == sorted(paths), result.stdout
    for path in paths:
        assert says in annotated[path]
        assert "'maintainer-approved' label" in annotated[path]


def test_a_diff_that_cannot_be_taken_fails_the_guard(repo: Repository) -> None:
    repo.write("mkdocs.yml", "site_name: Changed\n")
    repo.commit("Code")
    result = repo.guard(base="0" * 40)  # a base the checkout does not have
    assert result.returncode != 0
    assert "::error file=" not in result.stdout


def test_changes_on_the_base_branch_since_the_fork_are_not_blamed_on_it(
    repo: Repository,
) -> None:
    repo.write("case_studies/new-council.yaml", "id: new-council\n")
    repo.commit("Content")
    repo.git("checkout", "--quiet", "main")
    repo.write("mkdocs.yml", "site_name: Moved on\n")
    moved_on = repo.commit("A maintainer's change")
    repo.git("checkout", "--quiet", "contribution")
    result = repo.guard(base=moved_on)
    assert result.returncode == 0, result.stdout


def _run_guard_script(raw: bytes) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-I", str(GUARD)],
        input=raw.decode(),
        capture_output=True,
        text=True,
        check=False,
    )


def test_guard_script_reads_git_diff_raw_and_refuses_anything_else() -> None:
    content = b":000000 100644 0000000 1234567 A\0case_studies/new.yaml\0"
    code = b":100644 100644 1234567 7654321 M\0mkdocs.yml\0"
    assert _run_guard_script(content).returncode == 0
    stopped = _run_guard_script(content + code)
    assert stopped.returncode == 1
    assert list(flagged(stopped)) == ["mkdocs.yml"]

    # The old interface, one path a line, is not mistaken for a clean diff.
    names = _run_guard_script(b"case_studies/new.yaml\nmkdocs.yml\n")
    assert names.returncode == 1
    assert "git diff --raw -z --no-renames" in names.stdout

    # A rename is never taken on trust: the diff must be taken with --no-renames.
    renamed = (
        b":100644 100644 1234567 1234567 R100\0.github/workflows/deploy.yml\0case_studies/x.yaml\0"
    )
    stopped = _run_guard_script(renamed)
    assert stopped.returncode == 1
    assert sorted(flagged(stopped)) == [".github/workflows/deploy.yml", "case_studies/x.yaml"]
    assert "--no-renames" in stopped.stdout

    # A comma or colon in a path would end the annotation's file property early.
    odd = _run_guard_script(b":000000 100644 0000000 1234567 A\0docs/a,b:c.md\0")
    assert "::error file=docs/a%2Cb%3Ac.md::docs/a,b:c.md is code" in odd.stdout


class _Context(SimpleNamespace):
    """An expression context: a missing property is null, as in GitHub's expressions."""

    def __getattr__(self, name: str) -> None:
        return None


def _context(value: Any) -> Any:
    if isinstance(value, dict):
        return _Context(**{key: _context(item) for key, item in value.items()})
    return value


def _evaluate(expression: str, github: dict[str, Any]) -> bool:
    """A GitHub expression of contexts, ==, &&, || and ! (all this workflow uses)."""
    inner = expression.strip().removeprefix("${{").removesuffix("}}")
    assert set(re.findall(r"[&|!=]+", inner)) <= {"&&", "||", "!", "=="}, inner
    python = inner.replace("&&", " and ").replace("||", " or ").replace("!", " not ")
    return bool(eval(python, {"__builtins__": {}}, {"github": _context(github)}))


@pytest.mark.parametrize(
    ("fork", "action", "label", "guarded"),
    [
        (False, "opened", None, False),  # a branch of this repository runs its tests at once
        (False, "synchronize", None, False),
        (True, "opened", None, True),
        (True, "labeled", "maintainer-approved", False),  # the maintainer's approval, this run
        (True, "synchronize", None, True),  # a push after approval is guarded again
        (True, "reopened", None, True),
        (True, "labeled", "documentation", True),  # another label is no approval
    ],
)
def test_only_the_run_that_adds_the_label_skips_the_guard(
    fork: bool, action: str, label: str | None, guarded: bool
) -> None:
    job = guard_job()
    assert "if" not in job  # never skipped: the tests wait for it
    labels = [{"name": "maintainer-approved"}]  # on the pull request in every case
    event = {
        "action": action,
        "pull_request": {"head": {"repo": {"fork": fork}}, "labels": labels},
    }
    if label:
        event["label"] = {"name": label}
    assert _evaluate(job["env"]["GUARDED"], {"event": event}) is guarded
    guard = next(s for s in job["steps"] if s.get("name") == GUARD_STEP)
    assert guard["if"] == "env.GUARDED == 'true'"
