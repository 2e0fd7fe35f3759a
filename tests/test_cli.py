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
from conftest import BIN, REPO, Site, pagefind_search, serve
from mkdocs.commands.build import build
from mkdocs.config import load_config
from playwright.sync_api import Page, expect

import briefgen.plugin
from briefgen import search


def test_schema_accepts_the_seed_case_studies_and_refuses_unknown_fields(project: Site) -> None:
    result = project.run("briefgen", "schema")
    assert result.returncode == 0
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema, format_checker=None)
    for path in sorted((REPO / "case_studies").glob("*.yaml")):
        # An editor reads YAML as YAML 1.1 would; dates come back as text here.
        data = json.loads(json.dumps(yaml.safe_load(path.read_text()), default=str))
        assert list(validator.iter_errors(data)) == [], path.name
        data["colour"] = "blue"
        assert [e.validator for e in validator.iter_errors(data)] == ["additionalProperties"]


def test_briefing_schema_accepts_the_seed_briefing(project: Site) -> None:
    result = project.run("briefgen", "schema", "briefing")
    validator = jsonschema.Draft202012Validator(json.loads(result.stdout))
    for path in sorted((REPO / "briefings").glob("*.yaml")):
        data = json.loads(json.dumps(yaml.safe_load(path.read_text()), default=str))
        assert list(validator.iter_errors(data)) == [], path.name


@pytest.mark.parametrize("args", [["frobnicate"], ["schema", "nonsense"], ["check", "--nope"]])
def test_bad_usage_exits_2_with_a_message(project: Site, args: list[str]) -> None:
    result = project.run("briefgen", *args)
    assert result.returncode == 2
    assert "usage: briefgen" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_on_a_folder_that_does_not_exist_is_a_usage_error(project: Site) -> None:
    result = project.run("briefgen", "check", "--root", "no-such-folder")
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


def test_serve_rebuilds_when_a_case_study_changes(
    project: Site, tmp_path: Path, page: Page
) -> None:
    port = _free_port()
    url = f"http://127.0.0.1:{port}/case-studies/dorset/"
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
        assert _wait_for(lambda: "Stronger Together" in _fetch(url))
        bristol = _fetch(f"http://127.0.0.1:{port}/case-studies/bristol/")
        page.goto(url)  # the page a writer is looking at, in a browser
        title = page.locator("article h1")
        expect(title).to_have_text(
            "Stronger Together: the Dorset tri-council merger", use_inner_text=True
        )
        dorset = project.root / "case_studies" / "dorset.yaml"
        dorset.write_text(
            dorset.read_text().replace(
                'title: "Stronger Together: the Dorset tri-council merger"',
                'title: "Renamed while serving"',
            )
        )
        # The browser reloads by itself (MkDocs' live reload) and shows the new title.
        expect(title).to_have_text("Renamed while serving", use_inner_text=True, timeout=30_000)
        assert _wait_for(lambda: "Renamed while serving" in _fetch(url))
        # Pages that show the title follow it: Bristol lists Dorset as related.
        assert "Renamed while serving" in _fetch(f"http://127.0.0.1:{port}/case-studies/bristol/")
        assert "Renamed while serving" in _fetch(f"http://127.0.0.1:{port}/case-studies/")
        assert bristol != _fetch(f"http://127.0.0.1:{port}/case-studies/bristol/")
    finally:
        server.send_signal(signal.SIGINT)  # Ctrl-C
        server.wait(timeout=30)
    # Stopped, serve leaves no scratch folder in /tmp (its search scratch lives in
    # the project's cache, emptied by the next session).
    assert list(scratch.iterdir()) == []
    assert (project.root / ".cache" / "briefgen" / "serve-search").is_dir()


def test_a_build_leaves_no_scratch_folder_behind(project: Site, tmp_path: Path) -> None:
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


def test_serve_rewrites_only_the_pages_a_change_touches(project: Site, tmp_path: Path) -> None:
    """A dirty build leaves untouched pages alone: that is what makes a large library quick."""
    site = tmp_path / "served"
    config = load_config(str(project.root / "mkdocs.yml"), site_dir=str(site))
    plugin = config.plugins["briefgen"]  # MkDocs keeps this instance across rebuilds
    plugin.on_startup(command="serve", dirty=True)
    try:
        build(config, dirty=True)
        pages = {name: site / name / "index.html" for name in ("case-studies/bristol", "about")}
        before = {name: path.stat().st_mtime_ns for name, path in pages.items()}
        dorset = project.root / "case_studies" / "dorset.yaml"
        text = dorset.read_text().replace("Matt Prosser led", "Matt Prosser, serving, led")
        dorset.write_text(text)
        build(load_config(str(project.root / "mkdocs.yml"), site_dir=str(site)), dirty=True)
        plugin._wait_for_background()
        assert "Matt Prosser, serving, led" in (site / "case-studies/dorset/index.html").read_text()
        assert {name: path.stat().st_mtime_ns for name, path in pages.items()} == before
        assert (site / "pagefind" / "pagefind.js").is_file()
        assert (site / "shared-services-getting-it-right.pdf").stat().st_size > 0
    finally:
        plugin.__init__()  # back to a fresh instance: other tests build in this process


def test_serve_picks_up_an_edited_theme_template(
    project: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Compiled theme templates are kept between rebuilds, but never an edited one."""
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
        plugin._wait_for_background()
        assert "Second notice" in (site / "about" / "index.html").read_text()
        # The edited template is compiled again; Material's own come from the kept ones.
        assert "main.html" in compiled
        assert not {"base.html", "partials/nav.html", "partials/header.html"} & set(compiled)
    finally:
        plugin.__init__()  # back to a fresh instance: other tests build in this process


def test_a_search_index_that_cannot_be_written_fails_the_build_plainly(project: Site) -> None:
    project.build()
    before = project.html("case-studies/dorset/")
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
    assert project.html("case-studies/dorset/") == before  # the last site stays


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
    project: Site, tmp_path: Path, caplog: pytest.LogCaptureFixture, page: Page
) -> None:
    site = tmp_path / "served"
    config = load_config(str(project.root / "mkdocs.yml"), site_dir=str(site))
    plugin = config.plugins["briefgen"]
    plugin.on_startup(command="serve", dirty=True)
    dorset = project.root / "case_studies" / "dorset.yaml"
    try:
        build(config, dirty=True)
        for title in ("First save", "Second save"):  # the second before the first is indexed
            text = re.sub(r"(?m)^title: .*$", f"title: {title}", dorset.read_text(), count=1)
            dorset.write_text(text)
            build(load_config(str(project.root / "mkdocs.yml"), site_dir=str(site)), dirty=True)
        plugin._wait_for_background()
        assert "Second save" in (site / "case-studies/dorset/index.html").read_text()
        assert (site / "shared-services-getting-it-right.pdf").stat().st_size > 0
        assert [r.message for r in caplog.records if r.levelname == "ERROR"] == []
        with serve(site) as url:  # a reader searching finds the page by its newest title
            found = pagefind_search(page, url, "second save")
            assert [(hit["url"], hit["title"]) for hit in found[:1]] == [
                ("case-studies/dorset/", "Second save")
            ]
    finally:
        plugin.on_shutdown()
        plugin.__init__()  # back to a fresh instance: other tests build in this process


def test_ctrl_c_during_a_rebuild_leaves_no_scratch_folder(
    project: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    config = load_config(str(project.root / "mkdocs.yml"), site_dir=str(tmp_path / "served"))
    plugin = config.plugins["briefgen"]
    plugin.on_startup(command="serve", dirty=True)

    def interrupted(env: object, nav: object) -> None:
        raise KeyboardInterrupt  # Ctrl-C while MkDocs renders the theme

    monkeypatch.setattr(briefgen.plugin, "_render_navigation_once", interrupted)
    try:
        with pytest.raises(KeyboardInterrupt):
            build(config, dirty=True)
        assert [path.name[:13] for path in scratch.iterdir()] == ["briefgen-pdf-"]
        plugin.on_shutdown()  # what `mkdocs serve` runs as it ends
        assert list(scratch.iterdir()) == []
    finally:
        plugin.__init__()  # back to a fresh instance: other tests build in this process
