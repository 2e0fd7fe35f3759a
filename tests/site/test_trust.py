"""What the published site promises: reproducible, and never half-built. (Private: see
tests/browser/test_privacy.py.)"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import LIBRARY_CONTENT, Site, copy_project, run


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_two_builds_of_one_commit_are_the_same_bytes(tmp_path: Path, library: Site) -> None:
    # This build lays its PDFs out afresh (no cache shared), and keeps them from the
    # session's store; the library's were laid out by another build, earlier: a clock
    # that leaked into the output would differ, and the PDFs must match too.
    site = copy_project(tmp_path / "elsewhere" / "two", shared_pdfs=False)
    built = run("mkdocs", "build", "--strict", "--quiet", cwd=site.root)
    assert built.returncode == 0, built.stderr
    first, second = _tree(library.site_dir), _tree(site.site_dir)
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []
    assert any(name.endswith(".pdf") for name in first)


def _snapshot(site: Site) -> dict[str, bytes]:
    return _tree(site.site_dir)


# (Content that fails the check: test_unknown_field_fails_check_and_build_and_keeps_the_last_site.)
@pytest.mark.parametrize("break_it", ["strict-warning", "page-template", "pdf-template"])
def test_a_failed_build_leaves_the_last_good_site(
    built_library_project: Site, break_it: str
) -> None:
    project = built_library_project
    good = _snapshot(project)

    if break_it == "strict-warning":
        project.write("docs/about.md", "# About\n\nSee [the missing page](missing.md#nowhere).\n")
    elif break_it == "page-template":
        project.plugin_options(templates="overrides")
        project.write("overrides/case_study.html.j2", "<h1>Title</h1>\n\n{{ study.title }\n")
    else:
        project.plugin_options(templates="overrides")
        project.write("overrides/pdf/checklist.html.j2", "{{ no_such_thing.attribute }}")

    # Aborted (MkDocs's way to stop with its message and no traceback: `mkdocs build`
    # exits 1, as tests/site/test_contribute.py sees from the command itself).
    log = project.build_fails()
    assert _snapshot(project) == good
    assert not [p.name for p in project.root.iterdir() if p.name.startswith(".site")]
    # And the build says why.
    if break_it == "strict-warning":
        assert "missing.md" in log
    elif break_it == "page-template":
        # The error names the template and line, and the first case study page rendered.
        first = next(iter(LIBRARY_CONTENT.case_studies))
        assert (
            f"Error rendering 'case-studies/{first}.md' with template 'case_study.html.j2'" in log
        )
        assert "case_study.html.j2:3" in log
    else:
        checklist = "checklists/partnership-readiness.pdf"
        assert f"Error rendering '{checklist}' with template 'pdf/checklist.html.j2'" in log
