"""Rendering planned pages to HTML, without MkDocs: escaping, heading anchors and the table
of contents, template errors that name their page, the memo `serve` keeps, and the
parallel path a large site takes."""

from __future__ import annotations

import dataclasses
import multiprocessing.process
from pathlib import Path
from typing import Any

import pytest
from conftest import BRIEFING, BUILD_DATE, LIBRARY_CONTENT, make_content, make_study, write

from briefgen.helpers import workers
from briefgen.site.headings import outline
from briefgen.site.plan import plan_pages
from briefgen.site.planned import PlannedPage, PlanOptions
from briefgen.site.render import (
    PARALLEL_FROM,
    RenderError,
    RenderMemo,
    make_environment,
    paragraphs,
    render_page,
    render_pages,
)
from briefgen.site.routes import Routes

ROUTES = Routes(BRIEFING.id)
SCRIPT = '<script>alert(1)</script> & "quotes"'


def library_pages(content=LIBRARY_CONTENT) -> list[PlannedPage]:  # type: ignore[no-untyped-def]
    return plan_pages(content, ROUTES, PlanOptions(today=BUILD_DATE))


def page_for(template: str, src_uri: str = "notes.md", **context: Any) -> PlannedPage:
    return PlannedPage(src_uri, template, "Notes", "A page.", context)


def test_contributed_text_is_escaped_on_the_page() -> None:
    content = make_content(
        make_study("x", SCRIPT, summary=f"First {SCRIPT}\n\nSecond", services=[SCRIPT])
    )
    (page,) = [p for p in library_pages(content) if p.src_uri == "case-studies/x.md"]
    rendered = render_page(make_environment(), page, Routes(None))
    assert "<script>" not in rendered.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;quotes&#34;" in rendered.html
    assert "<p>First &lt;script&gt;" in rendered.html and "<p>Second</p>" in rendered.html
    # The title, as the theme prints it (escaped), and not run as markup.
    assert rendered.title == "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#34;quotes&#34;"


def test_paragraphs_are_split_on_blank_lines_and_joined_within() -> None:
    assert paragraphs("One\nline.\n\n  \nTwo <b>.\n") == "<p>One line.</p>\n<p>Two &lt;b&gt;.</p>"
    assert paragraphs("") == ""


def test_headings_make_a_nested_table_of_contents() -> None:
    body = (
        '<h1 id="title">Title &amp; more</h1>\n<h2 id="notes">Notes</h2>\n'
        '<h3 id="detail">Detail</h3>\n<h2 id="more-notes">Notes</h2>\n'
        '<h2 id="kept">Given</h2>\n<h3 data-bg-no-toc>Filters</h3>\n<p id="para">x</p>\n'
    )
    rendered = outline(body, "¶")
    assert rendered.title == "Title &amp; more"
    [title] = rendered.toc
    assert [(h.level, h.id, h.name) for h in title.children] == [
        (2, "notes", "Notes"),
        (2, "more-notes", "Notes"),
        (2, "kept", "Given"),
    ]
    assert [(h.id, h.name) for h in title.children[0].children] == [("detail", "Detail")]
    assert "<h3 data-bg-no-toc>Filters</h3>" in rendered.html  # a widget's heading: left alone
    assert rendered.anchors == {"title", "notes", "more-notes", "detail", "kept", "para"}
    assert "headerlink" not in outline(body, None).html


def test_the_library_pages_have_the_headings_readers_navigate_by() -> None:
    env = make_environment()
    (page,) = [p for p in library_pages() if p.src_uri == "case-studies/northtown.md"]
    rendered = render_page(env, page, ROUTES)
    study = LIBRARY_CONTENT.case_studies["northtown"]
    assert rendered.title == "One council from two: the Northtown and Southtown merger"
    assert rendered.title.replace("&amp;", "&") == study.title
    sections = [heading.id for heading in rendered.toc[0].children]
    assert {"outcomes", "challenges", "what-helped", "takeaways", "sources"} <= set(sections)
    assert "related-case-studies" in sections
    # Links are relative to the page: to a theme, and to the home briefing.
    assert 'href="../../themes/people-first/"' in rendered.html


def test_a_template_error_names_the_page_template_and_line(tmp_path: Path) -> None:
    write(tmp_path, "broken.html.j2", "<h1>{{ page.title }}</h1>\n\n{{ page.title }\n")
    write(tmp_path, "undefined.html.j2", "<h1>{{ page.title }}</h1>\n{{ no_such_value }}\n")
    env = make_environment(tmp_path)
    with pytest.raises(RenderError) as raised:
        render_pages(env, [page_for("broken.html.j2", "case-studies/x.md")], ROUTES)
    said = str(raised.value)
    assert said.startswith("Error rendering 'case-studies/x.md' with template 'broken.html.j2' (")
    assert f"{tmp_path / 'broken.html.j2'}:3):" in said  # the site's own file, and its line
    with pytest.raises(RenderError) as raised:
        render_pages(env, [page_for("undefined.html.j2", "case-studies/y.md")], ROUTES)
    assert str(raised.value) == (
        "Error rendering 'case-studies/y.md' with template 'undefined.html.j2' "
        "(undefined.html.j2):\n'no_such_value' is undefined"
    )


def test_printing_a_missing_optional_field_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, "optional.html.j2", "<p>{{ study.region }}</p>\n")
    page = page_for("optional.html.j2", study=make_study("x", "X"))  # no region
    with pytest.raises(RenderError, match="a template printed None"):
        render_pages(make_environment(tmp_path), [page], ROUTES)


def test_a_sites_own_template_replaces_ours(tmp_path: Path) -> None:
    write(tmp_path, "theme.html.j2", '<h1 id="title">Our {{ theme.title }}</h1>\n')
    (page,) = [p for p in library_pages() if p.src_uri == "themes/culture.md"]
    ours = render_page(make_environment(tmp_path), page, ROUTES)
    assert ours.html.startswith('<h1 id="title">')
    assert f"Our {LIBRARY_CONTENT.themes['culture'].title}" in ours.title
    assert "Takeaways by theme" not in ours.html
    assert "Takeaways by theme" in render_page(make_environment(), page, ROUTES).html


def test_the_memo_renders_again_only_a_page_whose_inputs_changed() -> None:
    env, memo = make_environment(), RenderMemo()
    pages = library_pages()
    first = render_pages(env, pages, ROUTES, memo=memo)
    again = render_pages(env, pages, ROUTES, memo=memo)
    assert all(a is b for a, b in zip(first, again, strict=True))  # nothing rendered again
    # A new title for one case study: its page and those that show it change, no others.
    study = LIBRARY_CONTENT.case_studies["harbourside"]
    renamed = study.model_copy(update={"title": "Harbourside renamed"})
    content = dataclasses.replace(
        LIBRARY_CONTENT, case_studies={**LIBRARY_CONTENT.case_studies, study.id: renamed}
    )
    changed = render_pages(env, library_pages(content), ROUTES, memo=memo)
    redone = {p.src_uri for p, a, b in zip(pages, first, changed, strict=True) if a is not b}
    assert "case-studies/harbourside.md" in redone
    assert "case-studies/index.md" in redone  # lists every title
    assert "case-studies/westvale.md" not in redone  # shows nothing of Harbourside
    assert (
        "Harbourside renamed"
        in changed[[p.src_uri for p in pages].index("case-studies/harbourside.md")].html
    )
    memo.clear()
    assert render_pages(env, pages, ROUTES, memo=memo)[0] is not first[0]


def many_pages() -> list[PlannedPage]:
    """The library's pages, and copies of its case-study pages at other addresses, until
    there are enough for render_pages to go parallel."""
    pages = library_pages()
    studies = [p for p in pages if p.template == "case_study.html.j2"]
    copies = (PARALLEL_FROM - len(pages)) // len(studies) + 1
    for n in range(copies):
        pages += [
            dataclasses.replace(p, src_uri=p.src_uri.replace(".md", f"-{n}.md")) for p in studies
        ]
    assert len(pages) >= PARALLEL_FROM
    return pages


@pytest.fixture
def started(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many processes this test starts (by any multiprocessing context or pool)."""
    count: list[int] = []
    start = multiprocessing.process.BaseProcess.start

    def counting(self: multiprocessing.process.BaseProcess) -> None:
        count.append(1)
        start(self)

    monkeypatch.setattr(multiprocessing.process.BaseProcess, "start", counting)
    monkeypatch.setattr(workers, "cores", lambda: 2)  # a machine with two cores, at least
    return count


def test_rendering_in_parallel_gives_the_serial_html_in_order(started: list[int]) -> None:
    env, pages = make_environment(), many_pages()
    serial = render_pages(env, pages, ROUTES)
    assert started == []
    parallel = render_pages(env, pages, ROUTES, parallel=True)
    assert started  # the pages were rendered by other processes
    assert [r.html for r in parallel] == [r.html for r in serial]
    assert [(r.title, r.toc, r.anchors) for r in parallel] == [
        (r.title, r.toc, r.anchors) for r in serial
    ]
    # Each copy carries its own address: the order is the pages' order.
    assert [r.html for r in parallel[-3:]] == [r.html for r in serial[-3:]]


def test_a_template_error_in_parallel_names_its_page(tmp_path: Path, started: list[int]) -> None:
    write(tmp_path, "broken.html.j2", "<h1>{{ page.title }}</h1>\n{{ no_such_value }}\n")
    pages = many_pages()
    pages.insert(150, page_for("broken.html.j2", "case-studies/broken.md"))
    with pytest.raises(RenderError) as raised:
        render_pages(make_environment(tmp_path), pages, ROUTES, parallel=True)
    assert started
    assert str(raised.value) == (
        "Error rendering 'case-studies/broken.md' with template 'broken.html.j2' "
        "(broken.html.j2):\n'no_such_value' is undefined"
    )


def test_a_small_site_renders_in_this_process_even_when_asked_to_go_parallel(
    started: list[int],
) -> None:
    pages = library_pages()
    assert len(pages) < PARALLEL_FROM
    rendered = render_pages(make_environment(), pages, ROUTES, parallel=True)
    assert started == [] and len(rendered) == len(pages)
