"""The command line as a contributor meets it, and `mkdocs serve` as an author uses it."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import jinja2
import jsonschema
import pytest
import yaml
from conftest import BIN, BRIEFING, LIBRARY, Site, pagefind_search, serve, study
from mkdocs.commands.build import build
from mkdocs.config import load_config
from playwright.sync_api import Page, expect

import briefgen.mkdocs.internals
from briefgen.helpers import search


def test_schema_accepts_the_librarys_case_studies_and_refuses_unknown_fields(
    library_project: Site,
) -> None:
    result = library_project.run("briefgen", "schema")
    assert result.returncode == 0
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema, format_checker=None)
    paths = sorted((LIBRARY / "case_studies").glob("*.yaml"))
    assert len(paths) > 1
    for path in paths:
        # An editor reads YAML as YAML 1.1 would; dates come back as text here.
        data = json.loads(json.dumps(yaml.safe_load(path.read_text()), default=str))
        assert list(validator.iter_errors(data)) == [], path.name
        data["colour"] = "blue"
        assert [e.validator for e in validator.iter_errors(data)] == ["additionalProperties"]


def test_briefing_schema_accepts_the_librarys_briefing(library_project: Site) -> None:
    result = library_project.run("briefgen", "schema", "briefing")
    validator = jsonschema.Draft202012Validator(json.loads(result.stdout))
    paths = sorted((LIBRARY / "briefings").glob("*.yaml"))
    assert paths
    for path in paths:
        data = json.loads(json.dumps(yaml.safe_load(path.read_text()), default=str))
        assert list(validator.iter_errors(data)) == [], path.name
        data["colour"] = "blue"
        assert [e.validator for e in validator.iter_errors(data)] == ["additionalProperties"]


@pytest.mark.parametrize("args", [["frobnicate"], ["schema", "nonsense"], ["check", "--nope"]])
def test_bad_usage_exits_2_with_a_message(minimal: Site, args: list[str]) -> None:
    result = minimal.run("briefgen", *args)
    assert result.returncode == 2
    assert "usage: briefgen" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_on_a_folder_that_does_not_exist_is_a_usage_error(minimal: Site) -> None:
    result = minimal.run("briefgen", "check", "--root", "no-such-folder")
    assert (result.returncode, result.stderr) == (2, "briefgen: error: no folder no-such-folder\n")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return str(response.read().decode("utf-8"))


def _wait_for(condition, seconds: float = 30) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


# A case study to edit while serving, and one that lists it as related.
EDITED, RELATED = "northtown", "moorland"


def test_serve_rebuilds_when_a_case_study_changes(
    library_project: Site, tmp_path: Path, page: Page
) -> None:
    project = library_project
    port = _free_port()
    url = f"http://127.0.0.1:{port}/case-studies/{EDITED}/"
    edited = study(EDITED)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    server = subprocess.Popen(  # as `make serve` runs it
        [str(BIN / "mkdocs"), "serve", "--dirty", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project.root,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "TMPDIR": str(scratch)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        # Under `make test &` a shell would hand it an ignored Ctrl-C.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        assert _wait_for(lambda: edited.title in _fetch(url))
        related_url = f"http://127.0.0.1:{port}/case-studies/{RELATED}/"
        related = _fetch(related_url)
        assert f'href="../{EDITED}/"' in related  # it lists the edited one as related
        page.goto(url)  # the page a writer is looking at, in a browser
        title = page.locator("article h1")
        expect(title).to_have_text(edited.title, use_inner_text=True)
        path = project.root / "case_studies" / f"{EDITED}.yaml"
        text = path.read_text()
        assert text.count(f'title: "{edited.title}"\n') == 1
        path.write_text(text.replace(f'title: "{edited.title}"', 'title: "Renamed while serving"'))
        # The browser reloads by itself (MkDocs' live reload) and shows the new title.
        expect(title).to_have_text("Renamed while serving", use_inner_text=True, timeout=30_000)
        assert _wait_for(lambda: "Renamed while serving" in _fetch(url))
        # Pages that show the title follow it: a related case study lists it.
        assert "Renamed while serving" in _fetch(related_url)
        assert "Renamed while serving" in _fetch(f"http://127.0.0.1:{port}/case-studies/")
        assert related != _fetch(related_url)
    finally:
        server.send_signal(signal.SIGINT)  # Ctrl-C
        server.wait(timeout=30)
    # Stopped, serve leaves no scratch folder in /tmp (its search scratch lives in
    # the project's cache, emptied by the next session).
    assert list(scratch.iterdir()) == []
    assert (project.root / ".cache" / "briefgen" / "serve-search").is_dir()


def test_a_build_leaves_no_scratch_folder_behind(library_project: Site, tmp_path: Path) -> None:
    project = library_project
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    built = subprocess.run(
        [str(BIN / "mkdocs"), "build"],
        cwd=project.root,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "TMPDIR": str(scratch)},
        capture_output=True,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    assert (project.site_dir / "pagefind" / "pagefind.js").is_file()
    assert list(scratch.iterdir()) == []


def test_serve_rewrites_only_the_pages_a_change_touches(
    library_project: Site, tmp_path: Path
) -> None:
    """A dirty build leaves untouched pages alone: that is what makes a large library quick."""
    project = library_project
    site = tmp_path / "served"
    config = load_config(str(project.root / "mkdocs.yml"), site_dir=str(site))
    plugin = config.plugins["briefgen"]  # MkDocs keeps this instance across rebuilds
    plugin.on_startup(command="serve", dirty=True)
    try:
        build(config, dirty=True)
        untouched = ("case-studies/" + RELATED, "about")  # the title is unchanged
        pages = {name: site / name / "index.html" for name in untouched}
        before = {name: path.stat().st_mtime_ns for name, path in pages.items()}
        path = project.root / "case_studies" / f"{EDITED}.yaml"
        enabler = study(EDITED).enablers[-1]
        assert path.read_text().count(enabler) == 1
        path.write_text(path.read_text().replace(enabler, f"While serving, {enabler}"))
        build(load_config(str(project.root / "mkdocs.yml"), site_dir=str(site)), dirty=True)
        plugin.wait_for_background()
        edited = (site / f"case-studies/{EDITED}/index.html").read_text()
        assert f"While serving, {enabler}" in edited
        assert {name: path.stat().st_mtime_ns for name, path in pages.items()} == before
        assert (site / "pagefind" / "pagefind.js").is_file()
        assert (site / f"{BRIEFING.id}.pdf").stat().st_size > 0
    finally:
        plugin.__init__()  # back to a fresh instance: other tests build in this process


def test_serve_picks_up_an_edited_theme_template(
    library_project: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Compiled theme templates are kept between rebuilds, but never an edited one."""
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
    config = load_config(str(config_file), site_dir=str(site))
    plugin = config.plugins["briefgen"]
    plugin.on_startup(command="serve", dirty=True)
    try:
        build(config, dirty=True)
        assert "First notice" in (site / "about" / "index.html").read_text()
        assert {"main.html", "base.html", "partials/nav.html"} <= set(compiled)
        compiled.clear()
        override.write_text(override.read_text().replace("First notice", "Second notice"))
        (project.root / "docs" / "about.md").touch()  # the page a writer is looking at
        build(load_config(str(config_file), site_dir=str(site)), dirty=True)
        plugin.wait_for_background()
        assert "Second notice" in (site / "about" / "index.html").read_text()
        # The edited template is compiled again; Material's own come from the kept ones.
        assert "main.html" in compiled
        assert not {"base.html", "partials/nav.html", "partials/header.html"} & set(compiled)
    finally:
        plugin.__init__()  # back to a fresh instance: other tests build in this process


def test_a_search_index_that_cannot_be_written_fails_the_build_plainly(
    library_project: Site,
) -> None:
    project = library_project
    project.build()
    before = project.html(f"case-studies/{EDITED}/")
    failed = subprocess.run(
        [str(BIN / "mkdocs"), "build"],
        cwd=project.root,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "PAGEFIND_BINARY_PATH": "/no/pagefind"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert failed.returncode == 1
    assert "Error writing the search index" in failed.stderr
    assert "could not start Pagefind (/no/pagefind): No such file or directory" in failed.stderr
    assert "Traceback" not in failed.stderr
    assert project.html(f"case-studies/{EDITED}/") == before  # the last site stays


def test_serve_search_takes_in_pages_a_stopped_rebuild_had_not_written(
    tmp_path: Path, page: Page
) -> None:
    """A save can stop the last rebuild's indexing before its pages reach the scratch
    folder; the next rebuild's index must still hold them."""
    folder = tmp_path / "serve-search"
    folder.mkdir()
    # What a stopped helper leaves: its batch, unwritten.
    body = "<main data-pagefind-body><h1>Earlier</h1><p>Quietly kept zebra.</p></main>"
    earlier = {"case-studies/earlier/index.html": f'<html lang="en"><body>{body}</body></html>'}
    (folder / ".pages.json").write_text(json.dumps(earlier))
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<!doctype html><title>Home</title>")
    indexer = search.SearchIndexer("en", folder)
    indexer.add("case-studies/later/", "Later", "<p>Freshly saved yak.</p>")
    indexer.start(site / "pagefind")
    indexer.wait()
    with serve(site) as url:
        assert [hit["url"] for hit in pagefind_search(page, url, "zebra")] == [
            "case-studies/earlier/"
        ]
        assert [hit["url"] for hit in pagefind_search(page, url, "yak")] == ["case-studies/later/"]


def test_a_save_during_indexing_stops_it_and_search_follows_the_last_save(
    library_project: Site, tmp_path: Path, caplog: pytest.LogCaptureFixture, page: Page
) -> None:
    project = library_project
    site = tmp_path / "served"
    config = load_config(str(project.root / "mkdocs.yml"), site_dir=str(site))
    plugin = config.plugins["briefgen"]
    plugin.on_startup(command="serve", dirty=True)
    edited = project.root / "case_studies" / f"{EDITED}.yaml"
    try:
        build(config, dirty=True)
        for title in ("First save", "Second save"):  # the second before the first is indexed
            text = re.sub(r"(?m)^title: .*$", f"title: {title}", edited.read_text(), count=1)
            edited.write_text(text)
            build(load_config(str(project.root / "mkdocs.yml"), site_dir=str(site)), dirty=True)
        plugin.wait_for_background()
        assert "Second save" in (site / f"case-studies/{EDITED}/index.html").read_text()
        assert (site / f"{BRIEFING.id}.pdf").stat().st_size > 0
        assert [r.message for r in caplog.records if r.levelname == "ERROR"] == []
        with serve(site) as url:  # a reader searching finds the page by its newest title
            found = pagefind_search(page, url, "second save")
            assert [(hit["url"], hit["title"]) for hit in found[:1]] == [
                (f"case-studies/{EDITED}/", "Second save")
            ]
    finally:
        plugin.on_shutdown()
        plugin.__init__()  # back to a fresh instance: other tests build in this process


def test_ctrl_c_during_a_rebuild_leaves_no_scratch_folder(
    library_project: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = library_project
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    config = load_config(str(project.root / "mkdocs.yml"), site_dir=str(tmp_path / "served"))
    plugin = config.plugins["briefgen"]
    plugin.on_startup(command="serve", dirty=True)

    def interrupted(env: object, nav: object) -> None:
        raise KeyboardInterrupt  # Ctrl-C while MkDocs renders the theme

    monkeypatch.setattr(briefgen.mkdocs.internals, "render_navigation_once", interrupted)
    try:
        with pytest.raises(KeyboardInterrupt):
            build(config, dirty=True)
        assert [path.name[:13] for path in scratch.iterdir()] == ["briefgen-pdf-"]
        plugin.on_shutdown()  # what `mkdocs serve` runs as it ends
        assert list(scratch.iterdir()) == []
    finally:
        plugin.__init__()  # back to a fresh instance: other tests build in this process
