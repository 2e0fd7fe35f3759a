"""Real `mkdocs build` runs of the test library: what a reader gets in the HTML. (The search
index, read through Chromium, is tested in tests/browser/test_search.py; the repository's
own content in tests/repository/test_content.py.)"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import (
    BRIEFING,
    BUILD_DATE,
    CASE_STUDIES,
    CHECKLIST,
    CHECKLIST_LABELS,
    LIBRARY_CONTENT,
    MINIMAL_CASE_STUDY,
    LibraryVariant,
    Site,
    article_text,
    configure,
    copy_project,
    figure,
    long_date,
    replace_navigation_once,
    study,
)

from briefgen.content.models import CaseStudy
from briefgen.site.takeaways import TAKEAWAYS_PER_THEME


def page_facts(case_study: CaseStudy) -> list[str]:
    """What a reader must find on a case study's page: every field of its YAML."""
    facts = [organisation.name for organisation in case_study.organisations]
    facts += [case_study.region] if case_study.region else []
    if case_study.speaker:
        facts += [case_study.speaker.name, case_study.speaker.role or ""]
    facts += case_study.services
    facts += [figure(outcome) for outcome in case_study.outcomes]
    facts += case_study.challenges + case_study.enablers
    facts += [takeaway.text for takeaway in case_study.takeaways]
    facts += [quote.text for quote in case_study.quotes]
    facts += [source.name for source in case_study.sources]
    facts += [o.reported_by for o in case_study.outcomes if o.reported_by]
    return [" ".join(fact.split()) for fact in facts if fact]


@pytest.mark.parametrize("case_study", CASE_STUDIES, ids=lambda s: s.id)
def test_case_study_page_carries_every_field_of_its_yaml(
    library: Site, case_study: CaseStudy
) -> None:
    html = library.html(f"case-studies/{case_study.id}/")
    title = BeautifulSoup(html, "lxml").select_one("article h1")
    assert title is not None and title.get_text(strip=True).rstrip("¶") == case_study.title
    text = article_text(html)
    missing = [fact for fact in page_facts(case_study) if fact.casefold() not in text.casefold()]
    assert missing == []


def test_every_figure_on_a_case_study_names_its_source(library: Site) -> None:
    figures = [(s, outcome) for s in CASE_STUDIES for outcome in s.outcomes]
    assert len({s.id for s, _ in figures}) > 1  # several case studies, several sources
    for case_study, outcome in figures:
        soup = BeautifulSoup(library.html(f"case-studies/{case_study.id}/"), "lxml")
        (item,) = [li for li in soup.select("article li") if outcome.metric in li.get_text()]
        assert item.find("a", href=f"#source-{outcome.source}") is not None
        source = next(source for source in case_study.sources if source.id == outcome.source)
        cited = soup.find(id=f"source-{outcome.source}")
        assert cited is not None
        assert source.name in " ".join(cited.parent.get_text().split())
        if source.author:
            assert source.author in cited.parent.get_text()


def test_case_study_page_shows_review_date(library: Site) -> None:
    for case_study in CASE_STUDIES:
        text = article_text(library.html(f"case-studies/{case_study.id}/"))
        assert (
            f"Last reviewed on {long_date(case_study.reviewed)}; "
            f"next review due by {long_date(case_study.review_due)}." in text
        )


def test_home_page_is_the_briefing(library: Site) -> None:
    soup = BeautifulSoup(library.html(""), "lxml")
    text = article_text(str(soup))
    assert soup.select_one("article h1").get_text(strip=True).startswith(BRIEFING.title)
    assert BRIEFING.as_at and BRIEFING.bottom_line and BRIEFING.editors and BRIEFING.key_figures
    sourced = [t for t in BRIEFING.key_takeaways if t.source]
    assert sourced  # a key takeaway that states a figure
    noted = [s for s in BRIEFING.sources if s.author_note]
    assert noted
    for expected in (
        f"As at {long_date(BRIEFING.as_at)}",
        f"Compiled by {BRIEFING.editors.name}",
        " ".join(BRIEFING.bottom_line.split()),
        *(" ".join(takeaway.text.split()) for takeaway in BRIEFING.key_takeaways),
        *(f"Reported by {key.reported_by}" for key in BRIEFING.key_figures),
        *(point for point in BRIEFING.what_this_means + BRIEFING.what_to_do_next),
        *(source.author_note for source in noted),
        *CHECKLIST_LABELS,
    ):
        assert " ".join(expected.split()) in text
    # The briefing's own editors, never the sources' authors or publishers, sign it.
    assert "Written by" not in text and "Published by" not in text and "Hosted by" not in text
    headings = [h.get_text(strip=True).rstrip("¶") for h in soup.select("article h2")]
    assert headings[:3] == ["Bottom line", "Key figures", "Key takeaways"]
    ending = ["Context", "About the source’s author", "Sources", "About this briefing"]
    assert headings[-4:] == ending
    # What the editors wrote says so where it is read.
    assert soup.select_one(".bg-bottom-line").get_text().count("the editors’ words") == 1
    for heading in ("what-this-means-for-your-council", "what-to-do-next"):
        assert "editors’" in soup.find(id=heading).find_next("p").get_text()
    # A key figure's caveat is the editors' too, and says so beside it.
    for item, key in zip(soup.select(".bg-figures > li"), BRIEFING.key_figures, strict=True):
        assert key.caveat
        said = " ".join(item.get_text().split())
        assert f"Caveat (the editors’): {key.caveat[0].lower()}{key.caveat[1:]}" in said
    # The note on the briefing names every kind of the editors' words it holds.
    assert any(t.description for t in BRIEFING.themes)
    assert any(c.written_by for c in BRIEFING.checklists)
    about = soup.find(id="about-this-briefing").find_next("p", class_=False).get_text()
    assert (
        "The editors wrote the bottom line, the key figures’ caveats, what this means, "
        "what to do next, the themes’ descriptions and the checklists’ notes and questions. "
        "Everything else says what the sources say"
    ) in " ".join(about.split())
    links = {a["href"] for a in soup.select("article a[href]")}
    assert {f"case-studies/{s}/" for s in BRIEFING.case_studies} <= links
    assert f"checklists/{CHECKLIST.id}/" in links
    # Every key figure, and every figure a takeaway states, cites its source.
    for item, key in zip(soup.select(".bg-figures > li"), BRIEFING.key_figures, strict=True):
        assert item.find("a", href=f"#source-{key.source}") is not None
    for takeaway in sourced:
        start = " ".join(takeaway.text.split())[:40]
        (item,) = [li for li in soup.select("article ol li") if start in li.get_text()]
        assert item.find("a", href=f"#source-{takeaway.source}") is not None


def test_takeaways_are_grouped_by_theme_and_link_to_their_case_study(library: Site) -> None:
    soup = BeautifulSoup(library.html("takeaways/"), "lxml")
    checked = 0
    for case_study in CASE_STUDIES:
        for takeaway in case_study.takeaways:
            for theme_id in takeaway.themes:
                theme = soup.find("h2", id=theme_id)
                assert theme is not None
                title = LIBRARY_CONTENT.themes[theme_id].title
                assert theme.get_text(strip=True).startswith(title)
                entries = theme.find_next("ul").select("li")
                link = f"../case-studies/{case_study.id}/#takeaways"
                if takeaways_on(theme_id) > TAKEAWAYS_PER_THEME:  # the theme's page has it
                    theme_page = BeautifulSoup(library.html(f"themes/{theme_id}/"), "lxml")
                    entries, link = theme_page.select("article li"), f"../{link}"
                start = " ".join(takeaway.text.split())[:40]
                assert any(
                    start in " ".join(li.get_text().split()) and li.find("a", href=link)
                    for li in entries
                ), (theme_id, start)
                checked += 1
    assert checked > 5
    # Takeaways without a theme come last, under their own heading.
    unthemed = [t for s in CASE_STUDIES for t in s.takeaways if not t.themes]
    assert unthemed
    last = soup.select("article h2")[-1]
    assert last.get_text(strip=True).startswith("Other takeaways")
    listed = last.find_next("ul").get_text()
    assert all(" ".join(t.text.split()) in " ".join(listed.split()) for t in unthemed)


def test_a_figure_on_the_takeaways_page_names_its_source(library: Site) -> None:
    soup = BeautifulSoup(library.html("takeaways/"), "lxml")
    origins = [("../", t) for t in BRIEFING.key_takeaways if t.source] + [
        (f"../case-studies/{s.id}/", t) for s in CASE_STUDIES for t in s.takeaways if t.source
    ]
    assert {origin for origin, _ in origins} >= {"../"} and len(origins) > 1
    for origin, takeaway in origins:
        start = " ".join(takeaway.text.split())[:40]
        items = [li for li in soup.select("article li") if start in li.get_text()]
        assert items
        for item in items:
            assert item.find("a", href=f"{origin}#source-{takeaway.source}") is not None


def takeaways_on(theme_id: str) -> int:
    """How many takeaways of the test library, key takeaways too, carry a theme."""
    every = [t for s in CASE_STUDIES for t in s.takeaways] + [
        t for b in LIBRARY_CONTENT.briefings.values() for t in b.key_takeaways
    ]
    return sum(theme_id in takeaway.themes for takeaway in every)


def test_a_theme_with_many_takeaways_shows_six_and_links_to_the_rest(
    library_project: Site,
) -> None:
    theme = LIBRARY_CONTENT.themes["small-changes"]
    before = takeaways_on(theme.id)
    assert 0 < before <= TAKEAWAYS_PER_THEME
    added = 8
    for n in range(1, added + 1):
        library_project.write(
            f"case_studies/extra-{n}.yaml",
            MINIMAL_CASE_STUDY.format(id=f"extra-{n}", title=f"Extra {n}")
            + f"takeaways:\n  - text: Small step number {n}.\n    themes: [{theme.id}]\n",
        )
    library_project.plugin_options(pdf=False)  # not the point here, and they would change
    library_project.build()
    soup = BeautifulSoup(library_project.html("takeaways/"), "lxml")
    heading = soup.find("h2", id=theme.id)
    assert heading is not None
    listed = heading.find_next("ul").select("li")
    assert len(listed) == 6
    # The library's takeaways on the theme and the eight new ones; six are shown here.
    more = heading.find_next("a", string=re.compile("^All "))
    assert more is not None
    assert more.get_text() == f"All {before + added} takeaways on {theme.title}"
    assert more["href"] == f"../themes/{theme.id}/"
    page = article_text(library_project.html(f"themes/{theme.id}/"))
    theirs = [t for s in CASE_STUDIES for t in s.takeaways if theme.id in t.themes]
    assert all(" ".join(t.text.split()) in page for t in theirs)
    assert all(f"Small step number {n}." in page for n in range(1, added + 1))
    # A theme with six or fewer lists them all and adds no such link.
    few = LIBRARY_CONTENT.themes["culture"]
    assert 0 < takeaways_on(few.id) <= 6
    assert soup.find("h2", id=few.id) is not None
    assert soup.find("a", string=re.compile(f"^All .* on {few.title}")) is None


def test_checklist_page_has_every_item_with_why_and_questions(library: Site) -> None:
    text = article_text(library.html(f"checklists/{CHECKLIST.id}/"))
    for item in CHECKLIST.items:
        assert item.label in text
        assert " ".join(item.why_it_matters.split()) in text
        for question in item.questions:
            assert question in text
    assert text.count("Why it matters:") == len(CHECKLIST.items)
    assert text.count("Questions to ask:") == len(CHECKLIST.items)


def test_case_studies_are_on_the_index_not_in_the_sidebar(library: Site) -> None:
    index = BeautifulSoup(library.html("case-studies/"), "lxml")
    linked = {a["href"] for a in index.select("article a[href]")}
    assert {f"{s.id}/" for s in CASE_STUDIES} <= linked
    home = BeautifulSoup(library.html(""), "lxml")
    sidebar = home.select_one("nav.md-nav--primary")
    assert sidebar is not None
    hrefs = [a["href"] for a in sidebar.select("a[href]")]
    assert "case-studies/" in hrefs
    assert not [href for href in hrefs if re.search(r"case-studies/[a-z]", href)]


def test_nothing_is_written_into_docs(library_project: Site) -> None:
    project = library_project
    before = sorted(p.relative_to(project.root).as_posix() for p in project.root.rglob("docs/**/*"))
    project.build()
    after = sorted(p.relative_to(project.root).as_posix() for p in project.root.rglob("docs/**/*"))
    assert after == before
    for case_study in CASE_STUDIES:
        assert (project.site_dir / "case-studies" / case_study.id / "index.html").is_file()


def test_a_hand_written_page_at_the_same_path_wins(library_project: Site) -> None:
    library_project.write("docs/takeaways.md", "# Our own takeaways\n\nWritten by hand.\n")
    library_project.build(strict=False)  # the hand-written page drops the theme anchors
    text = article_text(library_project.html("takeaways/"))
    assert "Written by hand." in text
    generated = " ".join(study("northtown").takeaways[0].text.split())
    assert generated not in text


def test_templates_can_be_overridden_from_the_site(library_project: Site) -> None:
    # PDFs are not the point here; every case study in the pack would change.
    library_project.plugin_options(templates="overrides", pdf=False)
    library_project.write(
        "overrides/case_study.html.j2",
        '<h1 id="title">{{ study.title }}</h1>\n<p>Overridden for {{ study.id }}.</p>\n'
        '<h2 id="notes">Notes</h2>\n',
    )
    library_project.build(strict=False)  # the override drops anchors that other pages link to
    for case_study in CASE_STUDIES:
        html = library_project.html(f"case-studies/{case_study.id}/")
        assert f"Overridden for {case_study.id}." in article_text(html)
        # The override's headings keep the ids it gives them and make the table of contents.
        toc = BeautifulSoup(html, "lxml").select_one("nav.md-nav--secondary")
        assert toc is not None and toc.select_one("a[href='#notes']") is not None


def test_edit_link_of_a_case_study_opens_its_yaml_file(configured: Site) -> None:
    for case_study in CASE_STUDIES:
        soup = BeautifulSoup(configured.html(f"case-studies/{case_study.id}/"), "lxml")
        edit = soup.select_one("a.md-content__button[href*='/edit/']")
        assert edit is not None
        assert edit["href"] == (
            f"https://git.example.org/council/briefing/edit/main/case_studies/{case_study.id}.yaml"
        )


def test_unknown_field_fails_check_and_build_and_keeps_the_last_site(
    built_library_project: Site,
) -> None:
    project = built_library_project
    good = {
        path.relative_to(project.site_dir).as_posix(): path.read_bytes()
        for path in project.site_dir.rglob("*")
        if path.is_file()
    }
    yaml_file = project.root / "case_studies" / "northtown.yaml"
    lines = yaml_file.read_text().count("\n")
    with yaml_file.open("a") as handle:
        handle.write("colour: blue\n")
    expected = f"case_studies/northtown.yaml:{lines + 1}:1: colour: unknown field 'colour'"

    check = project.run("briefgen", "check")
    assert check.returncode == 1
    errors = [line for line in check.stdout.splitlines() if ": warning: " not in line]
    assert len(errors) == 1 and errors[0].startswith(expected)
    assert "Traceback" not in check.stdout + check.stderr

    assert expected in project.build_fails()  # Aborted: exits 1, with no traceback
    # The last good site stays, whole, and no half-built one is left beside it.
    assert {
        path.relative_to(project.site_dir).as_posix(): path.read_bytes()
        for path in project.site_dir.rglob("*")
        if path.is_file()
    } == good
    assert not [p.name for p in project.root.iterdir() if p.name.startswith(".site")]


def test_check_passes_on_the_library_and_warns_of_the_overdue_review(
    library_project: Site,
) -> None:
    check = library_project.run("briefgen", "check")
    assert check.returncode == 0
    overdue = [s for s in CASE_STUDIES if s.review_due < BUILD_DATE]
    assert overdue  # the library has one, to show it is a warning and not an error
    lines = check.stdout.splitlines()
    assert len(lines) == len(overdue)
    for line, case_study in zip(lines, sorted(overdue, key=lambda s: s.id), strict=True):
        assert line.startswith(f"case_studies/{case_study.id}.yaml:")
        assert f": warning: review_due: case study '{case_study.id}' was due for review" in line
    files = len(list((library_project.root / "case_studies").glob("*.yaml")))
    briefings = len(LIBRARY_CONTENT.briefings)
    assert check.stderr.endswith(
        f"{files} case studies and {briefings} briefing{'s' * (briefings != 1)} checked: "
        "no problems.\n"
    )


def test_a_site_with_only_case_studies_builds(minimal: Site) -> None:
    minimal.build()
    assert "Example" in article_text(minimal.html("case-studies/"))


def test_no_page_loads_anything_from_another_host(library: Site) -> None:
    external = re.compile(r"^(https?:)?//", re.IGNORECASE)
    loaded: list[str] = []
    pages = list(library.site_dir.rglob("*.html"))
    assert len(pages) > len(CASE_STUDIES)
    for path in pages:
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")
        for tag in soup.find_all(["script", "img", "iframe", "source", "audio", "video"]):
            if external.match(tag.get("src", "")):
                loaded.append(f"{path.name}: {tag}")
        for tag in soup.find_all("link"):
            if external.match(tag.get("href", "")) and tag.get("rel") != ["canonical"]:
                loaded.append(f"{path.name}: {tag}")
    for path in library.site_dir.rglob("*.css"):
        loaded += re.findall(r"url\(\s*['\"]?(?:https?:)?//[^)]*\)", path.read_text())
        loaded += re.findall(r"@import\s+['\"]?(?:https?:)?//[^;]*", path.read_text())
    assert loaded == []


def test_with_several_briefings_the_home_one_is_named(library_project: Site) -> None:
    briefings = library_project.root / "briefings"
    second = yaml.safe_load((briefings / f"{BRIEFING.id}.yaml").read_text())
    second["id"], second["title"] = "second-briefing", "A second briefing"
    for checklist in second["checklists"]:
        checklist["id"] += "-2"
    for theme in second["themes"]:  # a theme is declared once, in one briefing
        theme["id"] += "-2"
    (briefings / "second-briefing.yaml").write_text(
        yaml.safe_dump(second, allow_unicode=True, sort_keys=False)
    )

    unnamed = library_project.build_fails()  # Aborted: exits 1, with no traceback
    assert "there are several briefings: name the one for the home page" in unnamed

    # PDFs are not the point here; the two packs would be laid out afresh.
    library_project.plugin_options(home=BRIEFING.id, pdf=False)
    library_project.build(strict=False)  # the nav names the first briefing's checklist only
    assert article_text(library_project.html("")).startswith(BRIEFING.title)
    assert article_text(library_project.html("briefings/second-briefing/")).startswith(
        "A second briefing"
    )


def test_the_site_ships_only_what_its_pages_load(library: Site) -> None:
    site = library.site_dir
    shipped = {path.relative_to(site).as_posix() for path in site.rglob("*") if path.is_file()}
    # Pagefind answers Material's search box: Material's worker and Lunr are not needed.
    assert not [path for path in shipped if path.startswith("assets/javascripts/lunr/")]
    assert not [path for path in shipped if path.startswith("assets/javascripts/workers/")]
    assert not [path for path in shipped if path.endswith(".map")]
    assert not [path for path in shipped if path.startswith("pagefind/pagefind-") and "ui" in path]
    assert "pagefind/pagefind-highlight.js" not in shipped
    assert {"assets/briefgen/search-worker.js", "pagefind/pagefind.js"} <= shipped
    # Every script and stylesheet a page names is there.
    page = site / "case-studies" / "northtown" / "index.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
    named = [tag["src"] for tag in soup.select("script[src]")]
    named += [tag["href"] for tag in soup.select("link[rel=stylesheet]")]
    assert named
    for address in named:
        assert (page.parent / address).resolve().is_file(), address


def test_pages_carry_no_runs_of_blank_lines(library: Site) -> None:
    # A template line that holds only a tag prints nothing (2 KB off every page).
    urls = ["", "case-studies/", "takeaways/", f"checklists/{CHECKLIST.id}/", "compare/"]
    for url in urls + [f"case-studies/{s.id}/" for s in CASE_STUDIES]:
        assert not re.search(r"\n[ \t]*\n[ \t]*\n", library.html(url)), url


def test_theme_templates_lose_their_indentation_and_a_sites_own_keep_it(
    library_project: Site,
) -> None:
    project = library_project
    config = (project.root / "mkdocs.yml").read_text()
    project.write(
        "mkdocs.yml", config.replace("  name: material\n", "  name: material\n  custom_dir: own\n")
    )
    own = '<pre class="own">\n    kept as written\n</pre>'
    project.write(
        "own/main.html",
        '{% extends "base.html" %}\n{% block announce %}\n' + own + "\n{% endblock %}\n",
    )
    project.build()
    html = project.html("case-studies/northtown/")
    assert own in html
    # Everything around the article comes from the theme's templates (1.4 KB of indentation).
    theirs = html[: html.index("<article")].replace(own, "")
    assert "<header" in theirs
    assert not re.search(r"^[ \t]+\S", theirs, re.MULTILINE)


def test_with_search_off_material_answers_its_search_box(minimal: Site) -> None:
    config = (minimal.root / "mkdocs.yml").read_text()
    minimal.write(
        "mkdocs.yml", config.replace("  - briefgen\n", "  - briefgen:\n      search: false\n")
    )
    minimal.build()
    site = minimal.site_dir
    assert not (site / "pagefind").exists()
    assert "assets/javascripts/workers/search." in minimal.html("case-studies/example/")
    assert list((site / "assets" / "javascripts" / "lunr").rglob("*.js"))
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    assert any(doc["location"].startswith("case-studies/") for doc in index["docs"])


@pytest.mark.parametrize("directory_urls", [True, False])
def test_navigation_rendered_once_is_the_navigation_rendered_for_each_page(
    library_variant: LibraryVariant,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    directory_urls: bool,
) -> None:
    # With directory URLs, the library every test reads (its PDFs come from the cache).
    options = {} if directory_urls else {"pdf": False}
    once_site = library_variant(directory_urls=directory_urls, **options)
    replace_navigation_once(monkeypatch, lambda env, nav: None)
    each_site = copy_project(tmp_path / "each")
    configure(each_site, top=f"use_directory_urls: {str(directory_urls).lower()}\n")
    if options:
        each_site.plugin_options(**options)
    each_site.build()

    def pages(site: Site) -> dict[str, bytes]:
        return {
            path.relative_to(site.site_dir).as_posix(): path.read_bytes()
            for path in site.site_dir.rglob("*.html")
        }

    once, each = pages(once_site), pages(each_site)
    assert once.keys() == each.keys()
    assert [path for path in once if once[path] != each[path]] == []
    for case_study in CASE_STUDIES:
        page = f"case-studies/{case_study.id}" + ("/index.html" if directory_urls else ".html")
        assert b'class="md-nav__link"' in once[page]
