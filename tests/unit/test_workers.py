"""Work spread over worker processes: the same result as in one process, from a
process running threads too, which is then not forked (Python 3.12+ warns of that,
and the suite's warnings are errors); a process with one thread is forked, the fastest."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import BUILD_DATE, LIBRARY, LIBRARY_CONTENT

from briefgen.content import reading
from briefgen.content.check import read_content
from briefgen.helpers import pdf, workers
from briefgen.site import render
from briefgen.site.plan import choose_home, plan_pages
from briefgen.site.planned import PlannedPage, PlanOptions
from briefgen.site.render import RenderError, make_environment, render_pages
from briefgen.site.routes import Routes


@pytest.fixture(autouse=True)
def small_is_large(monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers for any number of jobs, on any machine: the test library is small."""
    monkeypatch.setattr(render, "PARALLEL_FROM", 2)
    monkeypatch.setattr(render, "CHUNK", 3)
    monkeypatch.setattr(reading, "PARALLEL_FROM", 2)
    monkeypatch.setattr(reading, "CHUNK", 2)
    monkeypatch.setattr(workers, "cores", lambda: 2)


@pytest.fixture
def a_thread_runs() -> Iterator[None]:
    """A thread alive throughout, as under `mkdocs serve`: forking now would warn."""
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait, daemon=True)
    thread.start()
    yield
    stop.set()
    thread.join()


def library_pages() -> tuple[list[PlannedPage], Routes]:
    routes = Routes(home_briefing=choose_home(LIBRARY_CONTENT, None))
    return plan_pages(LIBRARY_CONTENT, routes, PlanOptions(today=BUILD_DATE)), routes


def test_pages_rendered_by_workers_are_those_rendered_here(a_thread_runs: None) -> None:
    pages, routes = library_pages()
    here = render_pages(make_environment(), pages, routes, "#")
    there = render_pages(make_environment(), pages, routes, "#", parallel=True)
    assert there == here
    assert len(there) == len(pages) > 2 * render.CHUNK


def test_workers_use_the_sites_own_templates(tmp_path: Path) -> None:
    (tmp_path / "data.html.j2").write_text('<h1 id="own">The site’s own open data page</h1>\n')
    pages, routes = library_pages()
    rendered = render_pages(make_environment(tmp_path), pages, routes, parallel=True)
    [data] = [r for p, r in zip(pages, rendered, strict=True) if p.template == "data.html.j2"]
    assert data.title == "The site’s own open data page"


def test_a_page_failing_in_a_worker_says_which_page_and_why(tmp_path: Path) -> None:
    (tmp_path / "theme.html.j2").write_text('<h1 id="t">{{ theme.missing }}</h1>\n')
    pages, routes = library_pages()
    with pytest.raises(RenderError) as caught:
        render_pages(make_environment(tmp_path), pages, routes, parallel=True)
    assert "with template 'theme.html.j2'" in str(caught.value)
    assert "has no attribute 'missing'" in str(caught.value)


def test_files_read_by_workers_are_those_read_here(a_thread_runs: None) -> None:
    here = read_content(LIBRARY, today=BUILD_DATE)
    there = read_content(LIBRARY, today=BUILD_DATE, parallel=True)
    assert there.problems == here.problems
    assert there.content == here.content


def test_workers_are_forked_only_from_a_process_running_one_thread(a_thread_runs: None) -> None:
    assert workers.start_method() != "fork"
    alone = subprocess.run(
        [
            sys.executable,
            "-c",
            "from briefgen.helpers import workers; print(workers.start_method())",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    forks = "fork" in multiprocessing.get_all_start_methods()
    assert alone.stdout.strip() == ("fork" if forks else workers.start_method())


_PDF_FROM_A_HELPER = """
import sys, tempfile
from pathlib import Path
from briefgen.helpers import pdf, workers
print(workers.helper_context().get_start_method())
pdfs = pdf.BackgroundPdfs(Path(sys.argv[1]) / "cache", early=True)
pdfs.add("pack.pdf", "<h1>A pack</h1>", None)
pdfs.start()
print(pdfs.collect(Path(sys.argv[1]) / "site"))
"""


def pdfs_in_a_new_process(
    folder: Path, env: dict[str, str], script: str = _PDF_FROM_A_HELPER
) -> list[str]:
    """What a new process laying out a PDF into `folder` (with `env` added) printed: how
    helpers start there, and the errors by PDF."""
    done = subprocess.run(
        [sys.executable, "-c", script, str(folder)],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_where_tmpdir_is_too_long_for_the_forkservers_socket_pdfs_come_from_spawn(
    tmp_path: Path,
) -> None:
    # The forkserver's socket is $TMPDIR/pymp-XXXXXXXX/listener-XXXXXXXX: under a $TMPDIR
    # of more than 75 bytes it is longer than a socket's address holds (107), binding
    # fails, and helpers are spawned instead. (Every other PDF of the suite, and the
    # killed build below, come from the forkserver.)
    with tempfile.TemporaryDirectory(prefix="k-") as short:
        scratch = Path(short) / ("t" * 80)
        scratch.mkdir()
        assert pdfs_in_a_new_process(tmp_path, {"TMPDIR": str(scratch)}) == ["spawn", "{}"]
        assert (tmp_path / "site" / "pack.pdf").read_bytes().startswith(b"%PDF-")
        assert list(scratch.iterdir()) == []  # nothing left in $TMPDIR


def test_a_killed_build_leaves_no_forkserver_folder() -> None:
    # A $TMPDIR short enough for the forkserver's socket (tmp_path is not, under xdist).
    with tempfile.TemporaryDirectory(prefix="k-") as short:
        scratch = Path(short)
        build = subprocess.Popen(  # a build that started the forkserver, then was killed
            [
                sys.executable,
                "-c",
                "import time; from briefgen.helpers import workers; "
                "print(workers.helper_context().get_start_method(), flush=True); time.sleep(60)",
            ],
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "TMPDIR": str(scratch)},
        )
        assert build.stdout is not None
        method = build.stdout.readline().strip()
        forkserver = "forkserver" in multiprocessing.get_all_start_methods()
        assert method == ("forkserver" if forkserver else "spawn")
        if forkserver:
            assert [p.name[:5] for p in scratch.iterdir()] == ["pymp-"]
        build.kill()
        build.wait()
        build.stdout.close()
        deadline = time.monotonic() + 20  # the forkserver ends once it sees its parent gone
        while list(scratch.iterdir()) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert list(scratch.iterdir()) == []


@pytest.mark.skipif(
    "forkserver" not in multiprocessing.get_all_start_methods(), reason="no forkserver here"
)
def test_a_forkserver_that_dies_starting_fails_the_pdfs_with_a_reason(tmp_path: Path) -> None:
    (tmp_path / "broken_preload.py").write_text('raise RuntimeError("preload broke")\n')
    script = _PDF_FROM_A_HELPER.replace(
        "from briefgen.helpers import pdf, workers\n",
        "from briefgen.helpers import pdf, workers\n"
        'workers.PRELOAD[:] = ["broken_preload"]  # the forkserver dies importing it\n',
    )
    method, errors = pdfs_in_a_new_process(tmp_path, {"PYTHONPATH": str(tmp_path)}, script)
    assert method == "forkserver"
    assert "'pack.pdf': 'the PDF process did not start (EOFError" in errors
    assert not (tmp_path / "site").exists()


@pytest.mark.skipif(
    "forkserver" not in multiprocessing.get_all_start_methods() or not Path("/proc").is_dir(),
    reason="no forkserver or no /proc here",
)
def test_pdf_processes_of_successive_builds_start_from_one_forkserver_with_weasyprint(
    tmp_path: Path,
) -> None:
    # What makes a save's PDFs start at once under `serve`: each build's PDF process comes
    # from the same forkserver, which has loaded WeasyPrint (and so Pango) already.
    stuck = tmp_path / "figure.png"
    os.mkfifo(stuck)  # keeps each PDF process alive while it is looked at
    parents = []
    for build in ("first", "second"):
        pdfs = pdf.BackgroundPdfs(tmp_path / build / "cache", early=True)
        pdfs.add("pack.pdf", f'<img src="{stuck.as_uri()}" alt="">', None)
        pdfs.start()
        [child] = [p.pid for p in multiprocessing.active_children() if p.name == "briefgen-pdf"]
        parents.append(int(Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()[1]))
        pdfs.close()
    assert parents[0] == parents[1] != os.getpid()
    assert "libpango" in Path(f"/proc/{parents[0]}/maps").read_text()
