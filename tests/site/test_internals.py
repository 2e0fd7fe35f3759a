"""The private MkDocs and Material behaviours briefgen relies on (briefgen/mkdocs/internals.py),
each tested where a reader would see it: when MkDocs or Material changes one, a test here
(or the one its entry in internals.py names) fails by name, not with wrong output."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

import jinja2
import material
import pytest
from bs4 import BeautifulSoup
from conftest import CASE_STUDIES, Site
from jinja2 import DictLoader, Environment
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files

from briefgen.mkdocs import internals

NORTHTOWN = CASE_STUDIES[0]


def test_generated_pages_are_pages_mkdocs_puts_in_the_theme(library: Site) -> None:
    """`Page(None, …)` with its own `read_source` and `render`: the theme prints our body,
    title and table of contents as it would a Markdown page's."""
    soup = BeautifulSoup(library.html(f"case-studies/{NORTHTOWN.id}/"), "lxml")
    assert soup.title is not None and soup.title.text.startswith(NORTHTOWN.title)
    article = soup.select_one("article.md-content__inner")
    assert article is not None and article.h1 is not None
    assert article.h1.get_text().rstrip("¶") == NORTHTOWN.title
    # Material's table of contents lists the body's headings, by their ids.
    toc = [a["href"] for a in soup.select("nav.md-nav--secondary a.md-nav__link")]
    headings = [f"#{h['id']}" for h in article.find_all("h2") if h.get("id")]
    assert headings and toc[: len(headings)] == headings


def test_a_hand_written_link_to_an_anchor_of_a_generated_page_is_checked(
    library: Site, library_project: Site
) -> None:
    """MkDocs checks anchors against the ids a page says it has (`present_anchor_ids`)."""
    soup = BeautifulSoup(library.html(f"case-studies/{NORTHTOWN.id}/"), "lxml")
    real = soup.select_one("article h2[id]")
    assert real is not None
    project = library_project
    project.plugin_options(pdf=False)

    def link_to(anchor: str) -> None:
        target = f"case-studies/{NORTHTOWN.id}.md#{anchor}"
        project.write("docs/about.md", f"# About\n\nSee [the case study]({target}).\n")

    link_to(real["id"])
    project.build()
    assert not [message for message in project.log if "anchor" in message]
    link_to("nowhere")
    assert "does not contain an anchor '#nowhere'" in project.build_fails()


def test_material_indexes_nothing_and_its_search_files_are_not_published(library: Site) -> None:
    """Pagefind answers Material's search box: every page names our worker in its
    configuration, Material's index is empty, and its Lunr files and maps are gone."""
    site = library.site_dir
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert index["docs"] == []
    published = [path.relative_to(site).as_posix() for path in site.rglob("*")]
    assert not [p for p in published if re.match(r"assets/javascripts/(lunr|workers)/", p)]
    assert not [p for p in published if p.endswith(".map")]
    for page in [*site.rglob("*.html")]:
        html = page.read_text(encoding="utf-8")
        config = re.search(r'<script id="__config" type="application/json">(.*?)</script>', html)
        assert config is not None, page
        assert json.loads(config.group(1))["search"].endswith(internals.SEARCH_WORKER), page


def test_a_page_configuration_without_materials_worker_is_a_plain_error() -> None:
    page = '<script id="__config" type="application/json">{"search": "elsewhere.js"}</script>'
    with pytest.raises(PluginError, match="no longer names its search worker"):
        internals.name_our_search_worker(page)


def test_a_navigation_template_jinja_no_longer_compiles_as_expected_is_a_plain_error() -> None:
    env = Environment(loader=DictLoader({"partials/nav.html": "<nav></nav>"}))
    del env.get_template("partials/nav.html").root_render_func
    with pytest.raises(PluginError, match="root_render_func"):
        internals.render_navigation_once(env, None)  # type: ignore[arg-type]


def _without_comments(template: str) -> list[str]:
    template = re.sub(r"\{#.*?#\}", "", template, flags=re.DOTALL)
    return [line.strip() for line in template.splitlines() if line.strip()]


def test_our_copyright_partial_is_materials_plus_the_statement_link() -> None:
    """A fork of Material's `partials/copyright.html`: when Material changes its own,
    this fails, and the fork must be made again from the new one."""
    theirs = Path(material.__file__).parent / "templates" / "partials" / "copyright.html"
    ours = resources.files("briefgen").joinpath("theme/partials/copyright.html").read_text()
    added = [
        "{% set briefgen = config.extra.briefgen or {} %}",
        "{% if briefgen.accessibility and (not briefgen.scope or (page and page.file and "
        "page.file.src_uri.startswith(briefgen.scope))) %}",
        '<a href="{{ briefgen.accessibility | url }}">Accessibility statement</a>',
        "{% endif %}",
    ]
    lines = _without_comments(ours)
    start = lines.index(added[0])
    assert lines[start : start + len(added)] == added
    del lines[start : start + len(added)]
    lines = [line.replace("· Made with", "Made with") for line in lines]
    assert lines == _without_comments(theirs.read_text())


def test_a_strict_build_with_a_warning_leaves_the_last_site(library_project: Site) -> None:
    """`--strict` fails a build after every plugin's last hook: briefgen counts MkDocs'
    warnings to know not to swap the new build in."""
    project = library_project
    project.plugin_options(pdf=False)
    project.build()
    home = project.html("")
    project.write("docs/about.md", "# About\n\nSee [the missing page](missing.md).\n")
    assert "missing.md" in project.build_fails()
    assert project.html("") == home
    assert sorted(p.name for p in project.root.iterdir() if p.name.startswith(".site")) == []
    # Without --strict, the same warning does not stop the build from being published.
    project.build(strict=False)
    assert "missing.md" in project.html("about/")


def test_a_broken_anchor_in_a_generated_page_fails_a_strict_build(library_project: Site) -> None:
    """Generated pages hand MkDocs their links to anchors (`links_to_anchors`): a site's
    own case-study template without the sections other pages link to fails --strict."""
    project = library_project
    project.plugin_options(templates="overrides", pdf=False)
    project.write("overrides/case_study.html.j2", '<h1 id="title">{{ study.title }}</h1>\n')
    log = project.build_fails()
    assert re.search(
        r"Doc file '[^']+\.md' contains a link '[^']*#[^']+', but the doc "
        r"'case-studies/[a-z-]+\.md' does not contain an anchor '#[^']+'",
        log,
    ), log


def test_a_build_broken_off_by_ctrl_c_leaves_no_warning_counter(
    library_project: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ctrl-C ends a build with no build-error event: the next build stops the broken-off
    one's warning counter, or each would count the next builds' warnings too."""
    import logging

    def interrupted(env: object, nav: object) -> None:
        raise KeyboardInterrupt

    library_project.plugin_options(pdf=False)
    with monkeypatch.context() as patch:
        patch.setattr(internals, "render_navigation_once", interrupted)
        with pytest.raises(KeyboardInterrupt):
            library_project.build()
    library_project.build()
    counters = [
        h for h in logging.getLogger("mkdocs").handlers if isinstance(h, internals.StrictWarnings)
    ]
    assert counters == []


def test_the_theme_files_a_build_adds_are_mkdocs_own(library: Site) -> None:
    """The theme's environment lists its files without walking into hidden folders
    (Material's 14,000 icons): MkDocs adds the same files to a build as it would itself."""
    config = load_config(str(library.root / "mkdocs.yml"))
    internals.add_theme_folder(config)
    internals.list_theme_files_quickly(config)
    quick, plain = Files([]), Files([])
    quick_env, plain_env = config.theme.get_env(), type(config.theme).get_env(config.theme)
    quick.add_files_from_theme(quick_env, config)
    plain.add_files_from_theme(plain_env, config)
    assert len(quick_env.list_templates()) < len(plain_env.list_templates()) / 10
    assert len(quick) > 20
    assert [file.src_uri for file in quick] == [file.src_uri for file in plain]
    assert [file.abs_src_path for file in quick] == [file.abs_src_path for file in plain]
    assert any(file.src_uri.startswith("assets/javascripts/") for file in quick)


def test_a_theme_environment_briefgen_does_not_know_stops_the_build(library: Site) -> None:
    """Should MkDocs' theme environment load templates some other way, the build stops
    and says where to look, rather than list the theme's files wrongly."""
    config = load_config(str(library.root / "mkdocs.yml"))
    with pytest.MonkeyPatch.context() as patch:
        other = jinja2.Environment(loader=jinja2.DictLoader({}))
        patch.setattr(type(config.theme), "get_env", lambda theme: other)
        internals.list_theme_files_quickly(config)
        with pytest.raises(PluginError, match="newer than briefgen knows"):
            config.theme.get_env()
