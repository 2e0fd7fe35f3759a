"""Real `mkdocs build` runs: what a reader gets in the HTML and the search index."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import CHECKLIST_LABELS, MINIMAL_CASE_STUDY, Site, copy_project, pagefind_search
from playwright.sync_api import Page

import briefgen.plugin


def article_text(html: str) -> str:
    """The words of the page's main content, as a reader sees them."""
    article = BeautifulSoup(html, "html.parser").select_one("article")
    assert article is not None
    return " ".join(article.get_text(" ").split())


DORSET_FACTS = [
    "Matt Prosser",
    "Stronger Together",
    "North Dorset",
    "Weymouth and Portland",
    "West Dorset",
    "Reduction in costs: 30%",
    "Revenues and benefits",
    "Economic regeneration",
    "Customer services",
    "single email domain",
    "sharing offices",
    "webchat",
    "Harmonising IT policies and practices",
    "Democratic Services",
    "Committee Management",
]

BRISTOL_FACTS = [
    "Max Wide",
    "‘Bristol Group’ of holding companies",
    "waste and energy management",
    "superfast broadband",
    "value from sharing",
    "savings and efficiencies",
    "Organisation Development (OD) and IT specialists",
    "if they did they would change the world",
]


@pytest.mark.parametrize(("page", "facts"), [("dorset", DORSET_FACTS), ("bristol", BRISTOL_FACTS)])
def test_case_study_page_carries_the_seed_facts(built: Site, page: str, facts: list[str]) -> None:
    text = article_text(built.html(f"case-studies/{page}/"))
    missing = [fact for fact in facts if fact.casefold() not in text.casefold()]
    assert missing == []


def test_every_figure_on_a_case_study_names_its_source(built: Site) -> None:
    soup = BeautifulSoup(built.html("case-studies/dorset/"), "html.parser")
    outcome = next(li for li in soup.select("article li") if "30%" in li.get_text())
    link = outcome.find("a", href="#source-eduserv-bristol-event")
    assert link is not None
    assert soup.find(id="source-eduserv-bristol-event") is not None
    assert "Jos Creese" in soup.find(id="source-eduserv-bristol-event").parent.get_text()


def test_case_study_page_shows_review_date(built: Site) -> None:
    text = article_text(built.html("case-studies/dorset/"))
    assert "Last reviewed on 28 November 2026; next review due by 28 November 2027." in text


def test_home_page_is_the_briefing(built: Site) -> None:
    soup = BeautifulSoup(built.html(""), "html.parser")
    text = article_text(str(soup))
    assert (
        soup.select_one("article h1")
        .get_text(strip=True)
        .startswith("Shared Services – Getting IT Right")
    )
    for expected in (
        "Hosted by: Bristol City Council",
        "Jos Creese",
        "president of BCS",
        "typically 50% of a merger and acquisition value",
        "IT assets",
        "Existing contracts",
        "Capacity",
        "Competencies",
        "Differing practices",
    ):
        assert expected in text
    headings = [h.get_text(strip=True).rstrip("¶") for h in soup.select("article h2")]
    assert headings[:3] == ["Context", "Key takeaways", "Case studies"]
    links = {a["href"] for a in soup.select("article a[href]")}
    assert {
        "case-studies/dorset/",
        "case-studies/bristol/",
        "checklists/it-due-diligence/",
    } <= links
    # The 50% figure cites its source.
    fifty = next(li for li in soup.select("article ol li") if "50%" in li.get_text())
    assert fifty.find("a", href="#source-eduserv-bristol-event") is not None


def test_takeaways_are_grouped_by_theme_and_link_to_their_case_study(built: Site) -> None:
    soup = BeautifulSoup(built.html("takeaways/"), "html.parser")
    theme = soup.find("h2", id="small-changes")
    assert theme is not None and theme.get_text(strip=True).startswith("Small changes")
    entries = theme.find_next("ul").select("li")
    assert any(
        "single email domain" in li.get_text()
        and li.find("a", href="../case-studies/dorset/#takeaways")
        for li in entries
    )


def test_a_figure_on_the_takeaways_page_names_its_source(built: Site) -> None:
    soup = BeautifulSoup(built.html("takeaways/"), "html.parser")
    fifty = [li for li in soup.select("article li") if "50%" in li.get_text()]
    assert fifty
    for item in fifty:
        assert item.find("a", href="../#source-eduserv-bristol-event") is not None


def test_a_theme_with_many_takeaways_shows_six_and_links_to_the_rest(project: Site) -> None:
    for n in range(1, 9):
        project.write(
            f"case_studies/extra-{n}.yaml",
            MINIMAL_CASE_STUDY.format(id=f"extra-{n}", title=f"Extra {n}")
            + f"takeaways:\n  - text: Small step number {n}.\n    themes: [small-changes]\n",
        )
    project.build()
    soup = BeautifulSoup(project.html("takeaways/"), "html.parser")
    heading = soup.find("h2", id="small-changes")
    assert heading is not None
    listed = heading.find_next("ul").select("li")
    assert len(listed) == 6
    # Dorset's takeaway and the eight new ones: nine, of which six are shown here.
    more = heading.find_next("a", string=re.compile("^All "))
    assert more is not None
    assert more.get_text() == "All 9 takeaways on Small changes, big difference"
    assert more["href"] == "../themes/small-changes/"
    theme = article_text(project.html("themes/small-changes/"))
    assert "single email domain" in theme
    assert all(f"Small step number {n}." in theme for n in range(1, 9))
    # A theme with six or fewer lists them all and adds no such link.
    assert soup.find("h2", id="culture") is not None
    assert soup.find("a", string=re.compile("^All .* on Culture")) is None


def test_checklist_page_has_every_item_with_why_and_questions(built: Site) -> None:
    text = article_text(built.html("checklists/it-due-diligence/"))
    for label in CHECKLIST_LABELS:
        assert label in text
    assert text.count("Why it matters:") == 5
    assert text.count("Questions to ask:") == 5
    assert "Which IT contracts does each partner hold" in text


def test_case_studies_are_on_the_index_not_in_the_sidebar(built: Site) -> None:
    index = BeautifulSoup(built.html("case-studies/"), "html.parser")
    assert {"dorset/", "bristol/"} <= {a["href"] for a in index.select("article a[href]")}
    home = BeautifulSoup(built.html(""), "html.parser")
    sidebar = home.select_one("nav.md-nav--primary")
    assert sidebar is not None
    hrefs = [a["href"] for a in sidebar.select("a[href]")]
    assert "case-studies/" in hrefs
    assert not [href for href in hrefs if re.search(r"case-studies/[a-z]", href)]


def test_search_indexes_bodies_takeaways_and_checklist_items(page: Page, site_url: str) -> None:
    def found(query: str) -> set[str]:
        return {result["url"] for result in pagefind_search(page, site_url, query)}

    assert "case-studies/dorset/" in found("webchat")
    assert "case-studies/bristol/" in found("superfast broadband")
    assert "case-studies/dorset/" in found("Relatively small things can make a big difference")
    assert "" in found("Strong, committed and visible leadership")  # a key takeaway, on home
    assert "checklists/it-due-diligence/" in found("Which IT contracts does each partner hold")
    # Pages that only repeat the case studies stay out, so the case study ranks first.
    everywhere = found("shared") | found("council") | found("IT")
    assert "case-studies/dorset/" in everywhere
    assert not everywhere & {"takeaways/", "compare/", "case-studies/", "themes/culture/"}


def test_search_skips_the_titles_a_case_study_only_links_to(page: Page, site_url: str) -> None:
    # Each case study lists the other as related; that is not what either page is about.
    def found(query: str) -> list[str]:
        return [result["url"] for result in pagefind_search(page, site_url, query)]

    bristol, dorset = found("Bristol Group"), found("Stronger Together")
    assert bristol[0] == "case-studies/bristol/" and "case-studies/dorset/" not in bristol
    assert dorset[0] == "case-studies/dorset/" and "case-studies/bristol/" not in dorset


def test_search_results_link_to_the_sections_they_match(page: Page, site_url: str) -> None:
    (dorset,) = [r for r in pagefind_search(page, site_url, "webchat") if "dorset" in r["url"]]
    assert dorset["title"] == "Stronger Together: the Dorset tri-council merger"
    assert "<mark>webchat" in dorset["excerpt"]
    assert "case-studies/dorset/#what-helped" in dorset["sections"]


def test_nothing_is_written_into_docs(project: Site) -> None:
    before = sorted(p.relative_to(project.root).as_posix() for p in project.root.rglob("docs/**/*"))
    project.build()
    after = sorted(p.relative_to(project.root).as_posix() for p in project.root.rglob("docs/**/*"))
    assert after == before
    assert (project.site_dir / "case-studies" / "dorset" / "index.html").is_file()


def test_a_hand_written_page_at_the_same_path_wins(project: Site) -> None:
    project.write("docs/takeaways.md", "# Our own takeaways\n\nWritten by hand.\n")
    project.build(strict=False)  # the hand-written page drops the theme anchors others link to
    text = article_text(project.html("takeaways/"))
    assert "Written by hand." in text
    assert "single email domain" not in text


def test_templates_can_be_overridden_from_the_site(project: Site) -> None:
    project.plugin_options(templates="overrides")
    project.write(
        "overrides/case_study.html.j2",
        "<h1>{{ study.title }}</h1>\n<p>Overridden for {{ study.id }}.</p>\n<h2>Notes</h2>\n",
    )
    project.build(strict=False)  # the override drops anchors that other pages link to
    html = project.html("case-studies/dorset/")
    assert "Overridden for dorset." in article_text(html)
    # The override's headings get anchors and make the page's table of contents.
    toc = BeautifulSoup(html, "html.parser").select_one("nav.md-nav--secondary")
    assert toc is not None and toc.select_one("a[href='#notes']") is not None


def test_edit_link_of_a_case_study_opens_its_yaml_file(project: Site) -> None:
    config = (project.root / "mkdocs.yml").read_text()
    project.write(
        "mkdocs.yml",
        config + "repo_url: https://git.example.org/council/briefing/\nedit_uri: edit/main/docs/\n",
    )
    project.build()
    soup = BeautifulSoup(project.html("case-studies/dorset/"), "html.parser")
    edit = soup.select_one("a.md-content__button[href*='/edit/']")
    assert edit is not None
    assert (
        edit["href"]
        == "https://git.example.org/council/briefing/edit/main/case_studies/dorset.yaml"
    )


def test_unknown_field_fails_check_and_build_and_keeps_the_last_site(project: Site) -> None:
    project.build()
    good = project.html("case-studies/dorset/")
    yaml_file = project.root / "case_studies" / "dorset.yaml"
    lines = yaml_file.read_text().count("\n")
    with yaml_file.open("a") as handle:
        handle.write("colour: blue\n")
    expected = f"case_studies/dorset.yaml:{lines + 1}:1: colour: unknown field 'colour'"

    check = project.run("briefgen", "check")
    assert check.returncode == 1
    assert check.stdout.startswith(expected)
    assert "Traceback" not in check.stdout + check.stderr

    build = project.run("mkdocs", "build", "--strict")
    assert build.returncode == 1
    assert expected in build.stderr
    assert "Traceback" not in build.stderr
    assert project.html("case-studies/dorset/") == good


def test_check_passes_on_the_seed_content(project: Site) -> None:
    check = project.run("briefgen", "check")
    assert (check.returncode, check.stdout) == (0, "")
    assert "2 case studies and 1 briefing checked: no problems." in check.stderr


def test_repository_site_builds_with_strict_and_link_validation(project: Site) -> None:
    result = project.run("mkdocs", "build", "--strict")
    assert result.returncode == 0, result.stderr
    assert "WARNING" not in result.stderr


def test_a_broken_internal_link_fails_the_strict_build(project: Site) -> None:
    project.write("docs/about.md", "# About\n\nSee [the missing page](missing.md#nowhere).\n")
    result = project.run("mkdocs", "build", "--strict")
    assert result.returncode == 1
    assert "missing.md" in result.stderr


HOSTILE = '"><script>alert(1)</script><img src=x onerror=alert(2)>'


def test_text_from_yaml_is_escaped_in_title_description_tags_and_body(minimal: Site) -> None:
    quoted = HOSTILE.replace("'", "''")  # inside a single-quoted YAML string
    summary = f"'Summary {quoted} [x](javascript:alert(3)) {{: onclick=alert(4) }}'"
    study = MINIMAL_CASE_STUDY.format(id="example", title=f"'Title {quoted}'")
    study = study.replace("summary: A short summary.", f"summary: {summary}")
    study += f"tags: ['{quoted}']\nregion: '- {quoted}'\n"
    minimal.write("case_studies/example.yaml", study)
    minimal.build()
    html = minimal.html("case-studies/example/")
    soup = BeautifulSoup(html, "html.parser")

    scripts = [s for s in soup.find_all("script") if "alert" in (s.string or "")]
    assert scripts == []
    assert not soup.find_all(attrs={"onerror": True})
    assert not soup.find_all(attrs={"onclick": True})
    assert "javascript:" not in " ".join(a.get("href", "") for a in soup.find_all("a"))
    assert soup.title.get_text().startswith(f"Title {HOSTILE}")
    description = soup.find("meta", attrs={"name": "description"})["content"]
    assert description.startswith(f"Summary {HOSTILE}")
    assert f"Title {HOSTILE}" in soup.select_one("article h1").get_text()
    assert "[x](javascript:alert(3))" in article_text(html)
    assert HOSTILE in soup.select_one(".md-tags").get_text()


def test_a_site_with_only_case_studies_builds(minimal: Site) -> None:
    minimal.build()
    assert "Example" in article_text(minimal.html("case-studies/"))


MARKDOWN_PAYLOADS = [
    "# Not a heading",
    "1. Not a list",
    "- Not a list either",
    "> Not a quote",
    "    not code",
    "`not code`",
    "--8<-- '/etc/passwd'",
    "***",
    "[link](javascript:alert(1))",
    "![img](x onerror=alert(1))",
    "<https://example.org>",
    "{: onclick=alert(1) }",
    "| a | b |",
    "[ ] not a checkbox",
    "*not emphasis*",
    "Text with a & an &amp; and &#60;script&#62;",
    "<iframe src=javascript:alert(1)></iframe>",
    "<svg onload=alert(1)>",
    "{{ config }} {% raw %}",
]


@pytest.mark.parametrize("payload", MARKDOWN_PAYLOADS)
def test_markdown_and_html_in_text_fields_stay_text(minimal: Site, payload: str) -> None:
    quoted = payload.replace("'", "''")
    study = MINIMAL_CASE_STUDY.format(id="example", title="Example")
    study = study.replace("summary: A short summary.", f"summary: '{quoted}'")
    study += f"challenges:\n  - '{quoted}'\n"
    minimal.write("case_studies/example.yaml", study)
    minimal.build()
    soup = BeautifulSoup(minimal.html("case-studies/example/"), "html.parser")
    article = soup.select_one("article")
    assert article is not None

    paragraphs = [" ".join(p.get_text().split()) for p in article.find_all("p")]
    assert " ".join(payload.split()) in paragraphs
    challenge = article.find("h2", id="challenges").find_next("ul").find("li")
    assert " ".join(challenge.get_text().split()) == " ".join(payload.split())
    assert len(article.find_all("h1")) == 1
    # (The template's own <em> sets off the source title, so emphasis is checked as text.)
    unexpected = ("script", "iframe", "svg", "img", "code", "pre", "table", "input", "hr")
    assert [tag.name for tag in article.find_all(unexpected)] == []
    assert not [a for a in article.find_all("a") if "javascript" in a.get("href", "")]
    assert not article.find_all(attrs={"onclick": True})


def test_no_page_loads_anything_from_another_host(built: Site) -> None:
    external = re.compile(r"^(https?:)?//", re.IGNORECASE)
    loaded: list[str] = []
    for path in built.site_dir.rglob("*.html"):
        soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for tag in soup.find_all(["script", "img", "iframe", "source", "audio", "video"]):
            if external.match(tag.get("src", "")):
                loaded.append(f"{path.name}: {tag}")
        for tag in soup.find_all("link"):
            if external.match(tag.get("href", "")) and tag.get("rel") != ["canonical"]:
                loaded.append(f"{path.name}: {tag}")
    for path in built.site_dir.rglob("*.css"):
        loaded += re.findall(r"url\(\s*['\"]?(?:https?:)?//[^)]*\)", path.read_text())
        loaded += re.findall(r"@import\s+['\"]?(?:https?:)?//[^;]*", path.read_text())
    assert loaded == []


def test_with_several_briefings_the_home_one_is_named(project: Site) -> None:
    other = project.root / "briefings" / "second-briefing.yaml"
    text = (project.root / "briefings" / "shared-services-getting-it-right.yaml").read_text()
    text = text.replace("id: shared-services-getting-it-right", "id: second-briefing")
    text = text.replace("title: Shared Services – Getting IT Right", "title: A second briefing")
    text = text.replace("- id: it-due-diligence", "- id: second-checklist")
    text = text.replace("  - id: getting-it-right\n", "  - id: getting-it-right-2\n")
    for theme in (
        "due-diligence",
        "culture",
        "leadership",
        "value-from-sharing",
        "finding-the-model",
        "people-and-technology",
        "small-changes",
        "the-future",
    ):
        text = text.replace(f"  - id: {theme}\n", f"  - id: {theme}-2\n")
    other.write_text(text)

    unnamed = project.run("mkdocs", "build")
    assert unnamed.returncode == 1
    assert "there are several briefings: name the one for the home page" in unnamed.stderr
    assert "Traceback" not in unnamed.stderr

    project.plugin_options(home="shared-services-getting-it-right")
    project.build(strict=False)  # the copy's nav still names the seed's checklist only
    assert "Shared Services – Getting IT Right" in article_text(project.html(""))
    assert article_text(project.html("briefings/second-briefing/")).startswith("A second briefing")


@pytest.mark.parametrize("directory_urls", [True, False])
def test_every_link_of_a_generated_page_leads_to_a_file(
    minimal: Site, directory_urls: bool
) -> None:
    minimal.write("case_studies/other.yaml", MINIMAL_CASE_STUDY.format(id="other", title="Other"))
    config = (minimal.root / "mkdocs.yml").read_text()
    minimal.write("mkdocs.yml", config + f"use_directory_urls: {str(directory_urls).lower()}\n")
    minimal.build()
    checked = 0
    for page in minimal.site_dir.rglob("*.html"):
        article = BeautifulSoup(page.read_text(), "html.parser").select_one("article")
        for link in article.select("a[href]") if article else []:
            href = link["href"].split("#")[0]
            if not href or "://" in href or href.startswith("mailto:"):
                continue
            target = (page.parent / href).resolve()
            if target.is_dir():
                target = target / "index.html"
            assert target.is_file(), f"{page.relative_to(minimal.site_dir)} links to {href}"
            checked += 1
    assert checked > 10


def test_the_site_ships_only_what_its_pages_load(built: Site) -> None:
    site = built.site_dir
    shipped = {path.relative_to(site).as_posix() for path in site.rglob("*") if path.is_file()}
    # Pagefind answers Material's search box: Material's worker and Lunr are not needed.
    assert not [path for path in shipped if path.startswith("assets/javascripts/lunr/")]
    assert not [path for path in shipped if path.startswith("assets/javascripts/workers/")]
    assert not [path for path in shipped if path.endswith(".map")]
    assert not [path for path in shipped if path.startswith("pagefind/pagefind-") and "ui" in path]
    assert "pagefind/pagefind-highlight.js" not in shipped
    assert {"assets/briefgen/search-worker.js", "pagefind/pagefind.js"} <= shipped
    # Every script and stylesheet a page names is there.
    page = site / "case-studies" / "dorset" / "index.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    named = [tag["src"] for tag in soup.select("script[src]")]
    named += [tag["href"] for tag in soup.select("link[rel=stylesheet]")]
    assert named
    for address in named:
        assert (page.parent / address).resolve().is_file(), address


def test_pages_carry_no_runs_of_blank_lines(built: Site) -> None:
    # A template line that holds only a tag prints nothing (2 KB off every page).
    for url in ("", "case-studies/dorset/", "takeaways/"):
        assert not re.search(r"\n[ \t]*\n[ \t]*\n", built.html(url)), url


def test_theme_templates_lose_their_indentation_and_a_sites_own_keep_it(project: Site) -> None:
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
    html = project.html("case-studies/dorset/")
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
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, directory_urls: bool
) -> None:
    def build(name: str) -> dict[str, bytes]:
        site = copy_project(tmp_path / name)
        config = (site.root / "mkdocs.yml").read_text()
        site.write("mkdocs.yml", config + f"use_directory_urls: {str(directory_urls).lower()}\n")
        site.plugin_options(pdf=False)
        site.build()
        return {
            path.relative_to(site.site_dir).as_posix(): path.read_bytes()
            for path in site.site_dir.rglob("*.html")
        }

    once = build("once")
    monkeypatch.setattr(briefgen.plugin, "_render_navigation_once", lambda env, nav: None)
    each = build("each")
    assert once.keys() == each.keys()
    assert [path for path in once if once[path] != each[path]] == []
    dorset = "case-studies/dorset/index.html" if directory_urls else "case-studies/dorset.html"
    assert b'class="md-nav__link"' in once[dorset]
