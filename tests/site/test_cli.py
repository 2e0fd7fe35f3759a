"""The command line as a contributor meets it, and `mkdocs serve --dirty` as an author uses it
(in this process; the `mkdocs serve` command itself, with a browser watching, is in
tests/browser/test_serve.py)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import jinja2
import jsonschema
import pytest
import yaml
from conftest import BRIEFING, LIBRARY, Site, dirty_serve, replace_navigation_once, run, study


@pytest.mark.parametrize(
    ("kind", "folder"), [("case-study", "case_studies"), ("briefing", "briefings")]
)
def test_schema_accepts_the_librarys_files_and_refuses_unknown_fields(
    tmp_path: Path, kind: str, folder: str
) -> None:
    result = run("briefgen", "schema", kind, cwd=tmp_path)
    assert result.returncode == 0
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema, format_checker=None)
    paths = sorted((LIBRARY / folder).glob("*.yaml"))
    assert paths
    for path in paths:
        # An editor reads YAML as YAML 1.1 would; dates come back as text here.
        data = json.loads(json.dumps(yaml.safe_load(path.read_text()), default=str))
        assert list(validator.iter_errors(data)) == [], path.name
        data["colour"] = "blue"
        assert [e.validator for e in validator.iter_errors(data)] == ["additionalProperties"]
    assert run("briefgen", "schema", cwd=tmp_path).stdout == (
        run("briefgen", "schema", "case-study", cwd=tmp_path).stdout
    )  # the case study's is the default


@pytest.mark.parametrize("args", [["frobnicate"], ["schema", "nonsense"], ["check", "--nope"]])
def test_bad_usage_exits_2_with_a_message(minimal: Site, args: list[str]) -> None:
    result = minimal.run("briefgen", *args)
    assert result.returncode == 2
    assert "usage: briefgen" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_on_a_folder_that_does_not_exist_is_a_usage_error(minimal: Site) -> None:
    result = minimal.run("briefgen", "check", "--root", "no-such-folder")
    assert (result.returncode, result.stderr) == (2, "briefgen: error: no folder no-such-folder\n")


# A case study to edit while serving, and one that lists it as related.
EDITED, RELATED = "northtown", "moorland"


def test_a_build_leaves_no_scratch_folder_behind(library_project: Site, tmp_path: Path) -> None:
    project = library_project
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    built = project.run("mkdocs", "build", env={"TMPDIR": str(scratch)})
    assert built.returncode == 0, built.stderr
    assert (project.site_dir / "pagefind" / "pagefind.js").is_file()
    assert list(scratch.iterdir()) == []


def test_serve_rewrites_only_the_pages_a_change_touches(
    library_project: Site, tmp_path: Path
) -> None:
    """A dirty build leaves untouched pages alone: that is what makes a large library quick."""
    project = library_project
    site = tmp_path / "served"
    with dirty_serve(project, site) as serving:
        serving.rebuild()
        untouched = ("case-studies/" + RELATED, "about")  # the title is unchanged
        pages = {name: site / name / "index.html" for name in untouched}
        before = {name: path.stat().st_mtime_ns for name, path in pages.items()}
        path = project.root / "case_studies" / f"{EDITED}.yaml"
        enabler = study(EDITED).enablers[-1]
        assert path.read_text().count(enabler) == 1
        path.write_text(path.read_text().replace(enabler, f"While serving, {enabler}"))
        serving.rebuild()
        serving.wait()
        edited = (site / f"case-studies/{EDITED}/index.html").read_text()
        assert f"While serving, {enabler}" in edited
        assert {name: path.stat().st_mtime_ns for name, path in pages.items()} == before
        assert (site / "pagefind" / "pagefind.js").is_file()
        assert (site / f"{BRIEFING.id}.pdf").stat().st_size > 0


def test_serve_picks_up_an_edited_theme_template(
    library_project: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Compiled theme templates are kept between rebuilds (and builds: once a process),
    but never an edited one."""
    project = library_project
    site = tmp_path / "served"
    config_file = project.root / "mkdocs.yml"
    text = config_file.read_text().replace(
        "  name: material\n", "  name: material\n  custom_dir: theme\n"
    )
    config_file.write_text(text)
    override = project.write(
        "theme/main.html", '{% extends "base.html" %}{% block announce %}First notice{% endblock %}'
    )
    compiled: list[str | None] = []
    compile_source = jinja2.Environment.compile

    def counting(env: jinja2.Environment, source: str, name: str | None = None, *rest: Any) -> Any:
        compiled.append(name)
        return compile_source(env, source, name, *rest)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    with dirty_serve(project, site) as serving:
        serving.rebuild()
        assert "First notice" in (site / "about" / "index.html").read_text()
        assert "main.html" in compiled  # new to this process (earlier builds compiled Material's)
        compiled.clear()
        override.write_text(override.read_text().replace("First notice", "Second notice"))
        (project.root / "docs" / "about.md").touch()  # the page a writer is looking at
        serving.rebuild()
        serving.wait()
        assert "Second notice" in (site / "about" / "index.html").read_text()
        # The edited template is compiled again; Material's own come from the kept ones.
        assert "main.html" in compiled
        assert not {"base.html", "partials/nav.html", "partials/header.html"} & set(compiled)


def test_a_search_index_that_cannot_be_written_fails_the_build_plainly(
    built_library_project: Site,
) -> None:
    project = built_library_project
    before = project.html(f"case-studies/{EDITED}/")
    failed = project.run("mkdocs", "build", env={"PAGEFIND_BINARY_PATH": "/no/pagefind"})
    assert failed.returncode == 1
    assert "Error writing the search index" in failed.stderr
    assert "could not start Pagefind (/no/pagefind): No such file or directory" in failed.stderr
    assert "Traceback" not in failed.stderr
    assert project.html(f"case-studies/{EDITED}/") == before  # the last site stays


def test_ctrl_c_during_a_rebuild_leaves_no_scratch_folder(
    library_project: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = library_project
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))

    def interrupted(env: object, nav: object) -> None:
        raise KeyboardInterrupt  # Ctrl-C while MkDocs renders the theme

    replace_navigation_once(monkeypatch, interrupted)
    with dirty_serve(project, tmp_path / "served") as serving:
        with pytest.raises(KeyboardInterrupt):
            serving.rebuild()
        # The PDF helper's scratch is in the project's cache, never the system's.
        in_cache = project.root / ".cache" / "briefgen" / "scratch"
        assert [path.name[:4] for path in in_cache.iterdir()] == ["pdf-"]
        serving.plugin.on_shutdown()  # what `mkdocs serve` runs as it ends
        assert list(in_cache.iterdir()) == []
        assert list(scratch.iterdir()) == []
