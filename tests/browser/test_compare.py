"""Compare reads each case study's description, never its page's markup (issue 14, item 3).

Every case-study page carries what the comparison shows of it, as JSON (written by the
render stage from briefgen/site/pagedata.py, whatever template made the page); the
compare page's own table comes from the same definition. So a site's own
`case_study.html.j2` cannot break the comparison, and the two tables cannot disagree.
"""

from __future__ import annotations

import contextlib
import json
import posixpath
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup, NavigableString, Tag
from conftest import (
    CASE_STUDIES,
    COMPARE_ROWS,
    LIBRARY_CONTENT,
    MINIMAL_MKDOCS,
    REPO,
    Site,
    axe_violations,
    copy_project,
    serve,
    study,
)
from playwright.sync_api import Page, expect

# A site's own case-study template, as bare as one can be: none of our markup.
BARE_TEMPLATE = "<h1 id='title'>{{ study.title }}</h1>\n{{ study.summary | paragraphs }}\n"
# Outcomes with sources, several lines a cell, a speaker and none.
CHOSEN = ["northtown", "moorland", "westvale"]

# The table as a reader's browser has it: column titles and links, row labels, and each
# cell's text and links, by column title. Links are read resolved: Material's instant
# navigation makes the links of a page it loads absolute.
READ_TABLE = """(table) => {
  const [head, ...rows] = [...table.querySelectorAll("tr")];
  const columns = [...head.cells].slice(1).map((th) => {
    const link = th.querySelector("a");
    return [link.textContent, link.href];
  });
  const cells = {};
  columns.forEach(([title], index) => {
    cells[title] = rows.map((tr) => {
      const cell = tr.cells[index + 1];
      const links = [...cell.querySelectorAll("a")];
      return [cell.innerText, links.map((a) => [a.textContent, a.href])];
    });
  });
  return { columns, rows: rows.map((tr) => tr.cells[0].textContent), cells };
}"""


def read_table(page: Page) -> dict:
    return page.locator(".bg-compare table").evaluate(READ_TABLE)


def description(html: str) -> dict | None:
    """The description a page carries for the comparison, as the page's script reads it."""
    holders = BeautifulSoup(html, "lxml").select("[data-bg-case-study]")
    assert len(holders) <= 1
    return json.loads(holders[0]["data-bg-case-study"]) if holders else None


@contextlib.contextmanager
def served_under(site: Site, base: str) -> Iterator[str]:
    """The site served under the path `base` (`/repo/`), as a project's GitHub Pages."""
    host = site.root / "host"
    (host / base.strip("/")).parent.mkdir(parents=True, exist_ok=True)
    (host / base.strip("/")).symlink_to(site.site_dir)
    with serve(host) as url:
        yield url.rstrip("/") + base


@pytest.fixture(scope="module")
def own_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Site, str]]:
    """The test library with its own bare `case_study.html.j2`, and an index template
    from before the filters folded (no toggle), under Material's instant navigation
    (which needs the address it is served at), built and served."""
    site = copy_project(tmp_path_factory.mktemp("own-template") / "project")
    site.plugin_options(templates="overrides", pdf=False)
    site.write("overrides/case_study.html.j2", BARE_TEMPLATE)
    index = (REPO / "briefgen" / "templates" / "case_study_index.html.j2").read_text()
    older = re.sub(
        r"<button [^>]*data-bg-filters-toggle[^>]*>(.*?)<span.*?</span></button>", r"\1", index
    )
    older = older.replace(" data-bg-filters-panel", "")
    assert "data-bg-filters-toggle" not in older and "data-bg-filters-panel" not in older
    site.write("overrides/case_study_index.html.j2", older)
    config = (site.root / "mkdocs.yml").read_text()
    assert "    - navigation.top\n" in config and "site_url:" not in config
    config = config.replace(
        "    - navigation.top\n", "    - navigation.instant\n    - navigation.top\n"
    )
    with serve(site.site_dir) as url:
        site.write("mkdocs.yml", f"site_url: {url}\n{config}")
        site.build(strict=False)  # the bare template drops the sections other pages link to
        yield site, url


@pytest.mark.browser
def test_a_site_with_its_own_case_study_template_still_compares_chosen_case_studies(
    page: Page, own_template: tuple[Site, str]
) -> None:
    _, url = own_template
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # The site's template made the case study's page: none of ours is on it.
    page.goto(url + "case-studies/northtown/")
    heading = page.get_by_role("heading", level=1, name=study("northtown").title)
    expect(heading).to_be_visible()
    expect(page.locator("article ul, article h2")).to_have_count(0)
    # The compare page's own table, of every case study, is what the chosen ones must show.
    page.goto(url + "compare/")
    every = read_table(page)
    assert every["rows"] == COMPARE_ROWS
    # A reader chooses on the index and follows the link, swapped in by instant navigation.
    page.goto(url + "case-studies/")
    for case_study in CHOSEN:
        page.get_by_label(f"Compare {study(case_study).title}", exact=True).check()
    page.evaluate("window.bgSamePage = true")
    page.get_by_role("link", name="Compare the chosen case studies").click()
    expect(page).to_have_url(url + "compare/?with=" + ",".join(CHOSEN))
    expect(page.locator("[data-bg-compare-status]")).to_have_text(
        f"Showing the {len(CHOSEN)} case studies you chose."
    )
    assert page.evaluate("window.bgSamePage === true"), "the link loaded a new page"
    expect(page.locator(".bg-compare caption")).to_have_text("The case studies you chose, compared")
    chosen = read_table(page)
    titles = [study(case_study).title for case_study in CHOSEN]
    assert chosen["rows"] == COMPARE_ROWS
    assert chosen["columns"] == [column for column in every["columns"] if column[0] in titles]
    assert [column[0] for column in chosen["columns"]] == titles
    for title in titles:
        assert chosen["cells"][title] == every["cells"][title], title
    northtown = chosen["cells"][titles[0]][COMPARE_ROWS.index("Outcomes")]
    outcome = study("northtown").outcomes[0]
    assert ["source", f"{url}case-studies/northtown/#source-{outcome.source}"] in northtown[1]
    # A column's title leads to its case study, swapped in too: its description runs nothing.
    page.get_by_role("link", name=titles[0], exact=True).click()
    expect(page.get_by_role("heading", level=1, name=titles[0])).to_be_visible()
    assert page.evaluate("window.bgSamePage === true"), "the link loaded a new page"
    assert errors == []


@pytest.mark.browser
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_axe_violations_comparing_case_studies_of_a_sites_own_template(
    page: Page, own_template: tuple[Site, str], scheme: str
) -> None:
    _, url = own_template
    page.emulate_media(color_scheme=scheme)
    page.goto(url + "compare/?with=" + ",".join(s.id for s in CASE_STUDIES))
    expect(page.locator("[data-bg-compare-status]")).to_have_text(
        f"Showing the {len(CASE_STUDIES)} case studies you chose."
    )
    assert axe_violations(page) == []


@pytest.fixture(scope="module")
def html_files(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The test library with `use_directory_urls: false`: pages are `x.html` files."""
    site = copy_project(tmp_path_factory.mktemp("html-files") / "project")
    site.plugin_options(pdf=False)
    config = (site.root / "mkdocs.yml").read_text()
    site.write("mkdocs.yml", "use_directory_urls: false\n" + config)
    return site.build()


def as_written(line: list) -> list:
    """A line of the table as its case study's YAML writes it: the text of a glossary
    term's <abbr> and the text around it one string, the expansion of its first use out."""
    assert LIBRARY_CONTENT.glossary is not None
    joined: list = []
    for part in line:
        if isinstance(part, str) and joined and isinstance(joined[-1], str):
            joined[-1] += part
        else:
            joined.append(part)
    for entry in LIBRARY_CONTENT.glossary.terms:
        joined = [
            p.replace(f" ({entry.expansion})", "") if isinstance(p, str) else p for p in joined
        ]
    return joined


def server_table(site: Site, compare: str) -> tuple[list[tuple[str, str]], list[str], list]:
    """The compare page's own table: column (title, link), row labels, and each column's
    cells as (lines of text and (link text, link) pairs, whether they are a list)."""
    soup = BeautifulSoup((site.site_dir / compare).read_text(encoding="utf-8"), "lxml")
    table = soup.select_one(".bg-compare table")
    heads = [th.a for th in table.select("thead th")[1:]]
    columns = [(a.get_text(), a["href"]) for a in heads]
    rows = table.select("tbody tr")
    labels = [tr.th.get_text() for tr in rows]
    cells = []
    for index in range(len(columns)):
        column = []
        for tr in rows:
            td = tr.find_all("td")[index]
            listed = td.ul is not None
            # A list's items are its lines; else lines end at each <br>.
            holders = td.ul.find_all("li", recursive=False) if listed else [td]
            lines: list[list] = []
            for holder in holders:
                lines.append([])
                for node in holder.children:
                    if isinstance(node, Tag) and node.name == "br":
                        lines.append([])
                    elif isinstance(node, Tag) and node.name == "abbr":  # a glossary term
                        lines[-1].append(node.get_text())
                    elif isinstance(node, Tag):
                        assert node.name == "a", node
                        lines[-1].append((node.get_text(), node["href"]))
                    else:
                        assert isinstance(node, NavigableString)
                        lines[-1].append(str(node))
            column.append(([as_written(line) for line in lines], listed))
        cells.append(column)
    return columns, labels, cells


@pytest.mark.parametrize("built", ["library", "html_files"])
def test_each_case_studys_description_is_what_the_compare_table_shows(
    built: str, request: pytest.FixtureRequest
) -> None:
    site: Site = request.getfixturevalue(built)
    html = built == "html_files"
    compare = "compare.html" if html else "compare/index.html"
    columns, labels, cells = server_table(site, compare)
    assert labels == COMPARE_ROWS
    assert [title for title, _ in columns] == [s.title for s in CASE_STUDIES]
    for (title, href), column, case_study in zip(columns, cells, CASE_STUDIES, strict=True):
        page = f"case-studies/{case_study.id}" + (".html" if html else "/index.html")
        data = description((site.site_dir / page).read_text(encoding="utf-8"))
        assert data is not None, page
        # The page's address below the site's root, as the compare page links to it.
        url = posixpath.normpath(posixpath.join(posixpath.dirname(compare), href))
        url += "/" if href.endswith("/") else ""
        assert (data["id"], data["title"], data["url"]) == (case_study.id, title, url)
        assert [row["label"] for row in data["rows"]] == labels
        for row, (lines, listed) in zip(data["rows"], column, strict=True):
            # Links lead to a place on the case study's page, as the table's do from its own.
            assert [
                [part if isinstance(part, str) else (part["text"], f"{href}#{part['anchor']}")
                 for part in line]
                for line in row["lines"]
            ] == lines, (case_study.id, row["label"])  # fmt: skip
            assert row["list"] is listed, (case_study.id, row["label"])
    # Only case-study pages carry one.
    for page in ("index.html", compare, "data/index.html"):
        assert description((site.site_dir / page).read_text(encoding="utf-8")) is None, page


@pytest.mark.browser
def test_a_comparison_under_a_sub_path_with_html_files_shows_the_compare_tables_cells(
    page: Page, html_files: Site
) -> None:
    with served_under(html_files, "/repo/") as url:
        page.goto(url + "compare.html")
        every = read_table(page)
        page.goto(url + "compare.html?with=" + ",".join(CHOSEN))
        expect(page.locator("[data-bg-compare-status]")).to_have_text(
            f"Showing the {len(CHOSEN)} case studies you chose."
        )
        chosen = read_table(page)
        titles = [study(case_study).title for case_study in CHOSEN]
        assert [column[0] for column in chosen["columns"]] == titles
        assert chosen["columns"] == [c for c in every["columns"] if c[0] in titles]
        for title in titles:
            assert chosen["cells"][title] == every["cells"][title], title
        source = page.locator(".bg-compare tbody a").first
        source.click()
        expect(page).to_have_url(re.compile(r"/repo/case-studies/northtown\.html#source-"))


# Contributed text is hostile: it must neither end the description nor run.
HOSTILE = (
    "</script><script>alert(1)</script> </div><img src=x onerror=alert(2)> "
    "<!-- &amp; &lt; \"double\" 'single' \u2028\u2029 \\u003c {{ 7*7 }} ]]>"
)
# The line and paragraph separators (which end a JavaScript string in older engines) are
# line breaks, refused in one-line fields: there, the rest of it.
HOSTILE_LINE = HOSTILE.replace("\u2028\u2029", "")

HOSTILE_STUDY = {
    "id": "example",
    "title": f"Title {HOSTILE_LINE}",
    "summary": "A short summary.",
    "organisations": [{"name": f"Org {HOSTILE_LINE}", "tier": "district"}],
    "region": f"Region {HOSTILE_LINE}",
    "models": ["merger"],
    "outcomes": [
        {
            "metric": f"Metric {HOSTILE_LINE}",
            "value": 30,
            "unit": "%",
            "status": "reported",
            "source": "report",
        }
    ],
    "enablers": [f"Enabler {HOSTILE}", "Another"],
    "sources": [{"id": "report", "title": f"Source {HOSTILE_LINE}", "date": "2023-12-01"}],
    "reviewed": "2024-01-01",
    "review_due": "2025-01-01",
}


@pytest.mark.browser
def test_a_hostile_title_stays_inert_and_comes_back_exactly(page: Page, tmp_path: Path) -> None:
    site = Site(tmp_path / "hostile")
    site.write(
        "mkdocs.yml", MINIMAL_MKDOCS.replace("  - briefgen\n", "  - briefgen:\n      pdf: false\n")
    )
    site.write("docs/.keep", "")
    site.write("case_studies/example.yaml", json.dumps(HOSTILE_STUDY))  # JSON is YAML
    site.build()
    html = site.html("case-studies/example")
    # The description is one attribute, whose value holds no tag, quote or raw ampersand...
    holder = re.findall(r"<div hidden data-bg-case-study=\"([^\"]*)\"></div>", html)
    assert len(holder) == 1
    assert not re.search(r"[<>'\"]|&(?!(#\d+|amp|lt|gt|quot);)", holder[0])
    # ...so nothing on the page runs but the theme's scripts and ours.
    soup = BeautifulSoup(html, "lxml")
    assert [s for s in soup.find_all("script") if "alert" in (s.string or "")] == []
    assert soup.find_all("img", src="x") == []
    # And it reads back exactly as written.
    data = description(html)
    assert data is not None and data["title"] == HOSTILE_STUDY["title"]
    assert data["rows"][COMPARE_ROWS.index("What helped")]["lines"] == [
        [HOSTILE_STUDY["enablers"][0]],
        ["Another"],
    ]
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    with serve(site.site_dir) as url:
        page.goto(url + "compare/?with=example")
        expect(page.locator("[data-bg-compare-status]")).to_have_text(
            "Showing the case study you chose."
        )
        table = page.locator(".bg-compare table")
        title = table.locator("thead th a")
        assert title.evaluate("a => a.textContent") == HOSTILE_STUDY["title"]
        assert title.get_attribute("href") == "../case-studies/example/"
        cells = table.locator("tbody td")
        region = cells.nth(COMPARE_ROWS.index("Region"))
        assert region.evaluate("td => td.textContent") == HOSTILE_STUDY["region"]
        helped = cells.nth(COMPARE_ROWS.index("What helped"))
        # A list of text items: the script made each of text, never of markup.
        assert helped.evaluate(
            "td => [...td.childNodes].map((n) => [n.nodeName, [...n.childNodes].map((i) =>"
            " [i.nodeName, [...i.childNodes].map((t) => t.nodeName)])])"
        ) == [["UL", [["LI", ["#text"]], ["LI", ["#text"]]]]]
        item = "td => td.querySelector('li').firstChild.data"
        assert helped.evaluate(item) == HOSTILE_STUDY["enablers"][0]
        outcomes = cells.nth(COMPARE_ROWS.index("Outcomes"))
        assert (
            outcomes.evaluate("td => td.textContent")
            == f"Metric {HOSTILE_LINE}: 30% (reported; source)"
        )
        assert page.locator(".bg-compare img, .bg-compare script").count() == 0
        page.wait_for_timeout(300)
    assert dialogs == []
    assert urlsplit(page.url).query == "with=example"


@pytest.mark.browser
def test_chosen_case_studies_explain_glossary_terms_as_the_compare_page_does(
    page: Page, site_url: str
) -> None:
    assert LIBRARY_CONTENT.glossary is not None
    (ict,) = [entry for entry in LIBRARY_CONTENT.glossary.terms if entry.term == "ICT"]
    riverside = study("riverside")
    # Riverside says ICT in what helped and again in its challenges.
    assert [text for text in riverside.enablers + riverside.challenges if "ICT" in text][1:]
    page.goto(site_url + "compare/")
    every = read_table(page)
    page.goto(site_url + "compare/?with=riverside,northtown")
    expect(page.locator("[data-bg-compare-status]")).to_have_text(
        "Showing the 2 case studies you chose."
    )
    chosen = read_table(page)
    assert chosen["cells"][riverside.title] == every["cells"][riverside.title]
    # The first use says what it stands for, in the text and in an <abbr>; the next does not.
    text = page.locator(".bg-compare tbody").inner_text()
    assert text.count(f"ICT ({ict.expansion})") == 1
    assert text.count("ICT") == 2 and text.count(ict.expansion) == 1
    abbr = page.locator(".bg-compare tbody abbr")
    expect(abbr).to_have_count(1)
    expect(abbr).to_have_text("ICT")
    expect(abbr).to_have_attribute("title", ict.expansion)
    helped = page.locator(".bg-compare tbody tr").nth(COMPARE_ROWS.index("What helped"))
    expect(helped.locator("abbr")).to_have_count(1)
    # Where the councils' names say the region already, a dash, as on the page's own table.
    region = chosen["cells"][riverside.title][COMPARE_ROWS.index("Region")]
    assert region == ["—", []]


@pytest.mark.browser
def test_a_comparison_wider_than_the_screen_says_it_scrolls_sideways(
    page: Page, site_url: str
) -> None:
    hint = page.get_by_text("Scroll sideways to see every case study.")
    frame = page.get_by_role("region", name="The case studies you chose, compared")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(site_url + "compare/?with=riverside,northtown")
    expect(page.locator("[data-bg-compare-status]")).to_have_text(
        "Showing the 2 case studies you chose."
    )
    # The next column is cut at the screen's edge: the page says why, just above it.
    assert frame.evaluate("f => f.scrollWidth > f.clientWidth")
    expect(hint).to_be_visible()
    expect(hint).to_be_in_viewport()
    above, table = hint.bounding_box(), frame.bounding_box()
    assert 0 <= table["y"] - (above["y"] + above["height"]) <= 40
    # Where every column fits, nothing to say.
    page.set_viewport_size({"width": 1280, "height": 900})
    expect(hint).to_be_hidden()
    assert frame.evaluate("f => f.scrollWidth <= f.clientWidth")
