"""The repository's own content: tests that hold for any valid addition, on any day.

A content pull request adds a case study and nothing else. Whatever it adds, these
must pass: `briefgen check` finds no error on the day CI runs (an overdue review is
only a warning), a strict build passes, every seed fact stays on its page, and the
published data matches its schema. Each runs twice: on the content as it is, and with
a case study added as CONTRIBUTING.md says (`briefgen new`, then filled in), which is
why adding a valid case study keeps the suite green. Every other test builds its own
library (tests/fixtures/library).
"""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import REPO, Site, article_text, copy_project, fill, serve
from mkdocs.exceptions import Abort
from playwright.sync_api import Page

from briefgen.build_date import build_date
from briefgen.content.check import YAML_SUFFIXES

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

AS_IS, PLUS_ONE = "as-is", "with-a-new-case-study"


def yaml_files(site: Site, folder: str = "case_studies") -> list[Path]:
    """The files briefgen reads in a folder of the project."""
    paths = (site.root / folder).iterdir()
    return sorted(p for p in paths if p.suffix in YAML_SUFFIXES and p.is_file())


@pytest.fixture(scope="module", params=[AS_IS, PLUS_ONE])
def repository(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Site:
    """A copy of the repository's site: as it is, or with a case study a contributor
    added with `briefgen new` and filled in, reviewed on the real date."""
    site = copy_project(tmp_path_factory.mktemp(request.param) / "project", REPO)
    if request.param == PLUS_ONE:
        taken = {path.stem for path in yaml_files(site)}
        new = next(f"example-shire-{n}" for n in range(1, 100) if f"example-shire-{n}" not in taken)
        made = site.run("briefgen", "new", new)
        assert made.returncode == 0, made.stderr
        path = site.root / "case_studies" / f"{new}.yaml"
        path.write_text(fill(path.read_text(), reviewed=build_date({})))
    return site


@pytest.fixture(scope="module")
def repository_built(repository: Site) -> tuple[Site, str | None]:
    """The copy, built as `mkdocs build --strict` builds it in CI, on the real date: the
    site, and what the build logged if it stopped."""
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("SOURCE_DATE_EPOCH")
        try:
            repository.build()
        except Abort:
            return repository, "\n".join(repository.log)
    return repository, None


@pytest.fixture
def built_site(repository_built: tuple[Site, str | None]) -> Site:
    site, failed = repository_built
    assert failed is None, failed
    return site


def test_check_finds_no_errors_on_the_real_date(
    repository: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    check = repository.run("briefgen", "check")
    assert check.returncode == 0, check.stdout + check.stderr
    # A review falling due is a warning, not a failure: the content stays publishable.
    assert [line for line in check.stdout.splitlines() if ": warning: " not in line] == []
    studies = len(yaml_files(repository))
    briefings = len(yaml_files(repository, "briefings"))
    noun = "case study" if studies == 1 else "case studies"
    assert check.stderr.endswith(
        f"{studies} {noun} and {briefings} briefing{'s' * (briefings != 1)} checked: no problems.\n"
    )


def test_strict_build_passes_with_link_validation(
    repository_built: tuple[Site, str | None],
) -> None:
    # Strict: a single warning (a link or #anchor that leads nowhere) stops the build.
    _, failed = repository_built
    assert failed is None, failed


@pytest.mark.parametrize(("page", "facts"), [("dorset", DORSET_FACTS), ("bristol", BRISTOL_FACTS)])
def test_every_seed_fact_stays_on_its_page(built_site: Site, page: str, facts: list[str]) -> None:
    text = article_text(built_site.html(f"case-studies/{page}/"))
    missing = [fact for fact in facts if fact.casefold() not in text.casefold()]
    assert missing == []


def test_every_case_study_has_its_page_on_the_index(built_site: Site) -> None:
    ids = {path.stem for path in yaml_files(built_site)}
    index = BeautifulSoup(built_site.html("case-studies/"), "lxml")
    assert {a["href"] for a in index.select(".bg-card h2 a[href]:not(.headerlink)")} == {
        f"{i}/" for i in ids
    }
    for case_study in ids:
        assert (built_site.site_dir / "case-studies" / case_study / "index.html").is_file()


def test_published_data_matches_its_schema(built_site: Site) -> None:
    data = json.loads((built_site.site_dir / "data" / "case-studies.json").read_text())
    schema = json.loads((built_site.site_dir / "data" / "schema.json").read_text())
    validator = jsonschema.Draft202012Validator(schema)
    assert sorted(case_study["id"] for case_study in data) == sorted(
        path.stem for path in yaml_files(built_site)
    )
    for case_study in data:
        assert list(validator.iter_errors(case_study)) == [], case_study["id"]


@pytest.mark.parametrize(
    ("kind", "folder"), [("case-study", "case_studies"), ("briefing", "briefings")]
)
def test_editor_schema_accepts_every_file(repository: Site, kind: str, folder: str) -> None:
    printed = repository.run("briefgen", "schema", kind)
    assert printed.returncode == 0
    validator = jsonschema.Draft202012Validator(json.loads(printed.stdout), format_checker=None)
    paths = yaml_files(repository, folder)
    assert paths
    for path in paths:
        # An editor reads YAML as YAML 1.1 would; dates come back as text here.
        data = json.loads(json.dumps(yaml.safe_load(path.read_text()), default=str))
        assert list(validator.iter_errors(data)) == [], path.name


def test_contributing_page_walks_through_a_pull_request(built_site: Site) -> None:
    article = BeautifulSoup(built_site.html("contributing/"), "lxml").select_one("article")
    text = " ".join(article.get_text(" ").split())
    for step in (
        "Fork the repository",
        "briefgen new",
        "briefgen check",
        "Open a pull request",
        "A worked example",
        "Propose a case study",
        "For maintainers",
        ".github/CODEOWNERS",
        "Branch protection",
    ):
        assert step in text
    # Both numbered lists are whole lists (the steps, with their commands, and approving
    # a fork's change): an item's code block must not end the list.
    lists = [ol.find_all("li", recursive=False) for ol in article.find_all("ol")]
    assert [len(items) for items in lists] == [8, 3]
    assert all(pre.find_parent("li") in lists[0] for pre in article.select("pre")[:2])


def test_contributing_page_gives_the_command_that_serves_the_preview(built_site: Site) -> None:
    """One numbered list, commands as code, and the preview's command as the notice gives it."""
    article = BeautifulSoup(built_site.html("contributing/"), "lxml").select_one("article")
    steps = article.select_one("ol").find_all("li", recursive=False)
    assert [step.strong.get_text() for step in steps] == [
        "Fork", "Set up", "Start a file.", "Fill it in", "Check it", "Look at it",
        "Open a pull request", "Look at the preview.",
    ]  # fmt: skip
    assert [code.get_text().strip() for code in steps[2].select("pre > code")] == [
        ".venv/bin/briefgen new north-dorset-revenues"
    ]
    assert [code.get_text().strip() for code in steps[7].select("pre > code")] == [
        "python3 -m http.server --bind 127.0.0.1 --directory site 8001"
    ]
    assert "http://127.0.0.1:8001/" in [link["href"] for link in steps[7].select("a")]


@pytest.mark.parametrize("width", [1280, 390])
def test_contributing_page_shows_each_example_line_whole(
    built_site: Site, page: Page, width: int
) -> None:
    """Every example block (the steps' command and the error `briefgen check` prints, the
    worked example's YAML) is read whole in a browser, at desk and phone widths: not cut
    off at the column's edge."""
    written = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
    error = next(line.strip() for line in written.splitlines() if ": expected a number" in line)
    page.set_viewport_size({"width": width, "height": 900})
    with serve(built_site.site_dir) as url:
        page.goto(f"{url}contributing/")
        blocks = page.locator("article pre > code")
        shown = blocks.evaluate_all(
            "codes => codes.map(c => [c.textContent.trim(), c.scrollWidth <= c.clientWidth])"
        )
    assert error in [text for text, _ in shown]
    assert any(text.startswith("outcomes:") for text, _ in shown)
    assert [text[:60] for text, whole in shown if not whole] == []
