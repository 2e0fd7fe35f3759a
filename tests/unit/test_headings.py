"""Headings and anchors, in the core: ids come from the templates, never from heading
text, and every link to an anchor is noted for the site engine to check."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import BRIEFING, BUILD_DATE, LIBRARY_CONTENT

from briefgen.site.headings import outline
from briefgen.site.plan import choose_home, plan_pages
from briefgen.site.planned import PlannedPage, PlanOptions
from briefgen.site.render import RenderError, make_environment, render_page, render_pages
from briefgen.site.routes import Routes

TEMPLATES = Path(__file__).resolve().parent.parent / "briefgen" / "templates"


def page(template: str, src_uri: str = "about.md") -> PlannedPage:
    return PlannedPage(src_uri=src_uri, template=template, title="T", description="", context={})


def render(tmp_path: Path, text: str, src_uri: str = "about.md"):
    (tmp_path / "own.html.j2").write_text(text)
    return render_page(make_environment(tmp_path), page("own.html.j2", src_uri), Routes())


def test_a_link_to_an_anchor_is_noted_with_its_target_page(tmp_path: Path) -> None:
    rendered = render(
        tmp_path,
        '<h1 id="about">About</h1>\n'
        '<p>{{ link("case-studies/dorset.md", "Dorset", anchor="sources") }}</p>\n'
        '<p>{{ link("case-studies/dorset.md", "Dorset") }}</p>\n'
        '<h2 id="more">More</h2><p><a href="#about">Top</a></p>\n',
    )
    assert rendered.links_to_anchors == {
        "case-studies/dorset.md": {"sources": "../case-studies/dorset/#sources"},
        "about.md": {"about": "#about"},  # a same-page link targets the page itself
    }
    assert rendered.anchors == {"about", "more"}


def test_links_to_anchors_from_a_macro_are_noted(tmp_path: Path) -> None:
    (tmp_path / "_own_macros.html.j2").write_text(
        '{% macro cite(id) %}{{ link("data.md", "data", "source-" ~ id) }}{% endmacro %}'
    )
    rendered = render(
        tmp_path,
        '{% import "_own_macros.html.j2" as m with context %}\n'
        '<h1 id="t">T</h1><p>{{ m.cite("report") }}</p>\n',
    )
    assert rendered.links_to_anchors == {"data.md": {"source-report": "../data/#source-report"}}


def test_headings_keep_the_ids_templates_give_and_get_permanent_links(tmp_path: Path) -> None:
    rendered = render(
        tmp_path,
        '<h1 id="page-title">Title</h1>\n'
        '<h2 id="theme-{{ "culture" }}">Culture &amp; politics</h2>\n'
        '<h2 class="x" data-bg-no-toc>Filter</h2>\n',
    )
    assert (
        '<h2 id="theme-culture">Culture &amp; politics<a class="headerlink" href="#theme-culture"'
        in (rendered.html)
    )
    assert '<h2 class="x" data-bg-no-toc>Filter</h2>' in rendered.html  # a widget's: left alone
    [title] = rendered.toc
    assert (title.id, title.name, [c.id for c in title.children]) == (
        "page-title",
        "Title",
        ["theme-culture"],
    )
    assert rendered.title == "Title"


def test_a_heading_without_an_id_names_its_template_and_text(tmp_path: Path) -> None:
    (tmp_path / "own.html.j2").write_text('<h1 id="t">T</h1>\n<h2>What &amp; why</h2>\n')
    with pytest.raises(RenderError) as caught:
        render_pages(make_environment(tmp_path), [page("own.html.j2")], Routes())
    message = str(caught.value)
    assert "'own.html.j2'" in message
    assert "the heading 'What & why' (h2) has no id" in message
    assert "add an id attribute" in message


def test_an_id_used_twice_on_a_page_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "own.html.j2").write_text(
        '<h1 id="t">T</h1>\n{% for x in ["a", "a"] %}<h2 id="item-{{ x }}">{{ x }}</h2>{% endfor %}'
    )
    with pytest.raises(RenderError, match="the id 'item-a' is used 2 times on the page"):
        render_pages(make_environment(tmp_path), [page("own.html.j2")], Routes())


def test_every_heading_of_our_templates_has_an_id_of_its_own() -> None:
    for template in TEMPLATES.glob("*.html.j2"):
        for heading in re.findall(r"<h[1-6][ >][^>]*>?", template.read_text()):
            assert ' id="' in heading or "data-bg-no-toc" in heading, (template.name, heading)


@pytest.fixture(scope="module")
def library_pages() -> dict[str, object]:
    routes = Routes(home_briefing=choose_home(LIBRARY_CONTENT, None))
    pages = plan_pages(LIBRARY_CONTENT, routes, PlanOptions(today=BUILD_DATE))
    rendered = render_pages(make_environment(), pages, routes)
    return {planned.src_uri: page for planned, page in zip(pages, rendered, strict=True)}


def test_every_link_to_an_anchor_of_the_library_finds_it(library_pages) -> None:
    noted = 0
    for src_uri, rendered in library_pages.items():
        for target, anchors in rendered.links_to_anchors.items():
            for anchor, href in anchors.items():
                noted += 1
                assert anchor in library_pages[target].anchors, (src_uri, href)
    assert noted > 10


def test_the_library_pages_link_to_the_sections_takeaways_come_from(library_pages) -> None:
    takeaways = library_pages["takeaways.md"].links_to_anchors
    assert takeaways["index.md"]["key-takeaways"] == "../#key-takeaways"
    home = library_pages["index.md"]
    assert f"checklist-{BRIEFING.checklists[0].id}" in home.anchors


def test_an_id_in_single_quotes_or_none_is_an_id(tmp_path: Path) -> None:
    for written in ("id='notes'", "id=notes", 'ID="notes"'):
        read = outline(f"<h2 {written}>Notes</h2>", "¶")
        assert [heading.id for heading in read.toc] == ["notes"], written
        assert 'href="#notes"' in read.html
