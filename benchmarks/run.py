"""Measure briefgen at N = 10, 100 and 1000 case studies, against plain mkdocs-material.

    .venv/bin/python benchmarks/run.py              # all sizes
    .venv/bin/python benchmarks/run.py --sizes 100  # one size

For each N it prints: `briefgen check` time; full `mkdocs build` wall time and
peak memory; site size; search-index size; the time from typing a query to the
first result in Chromium; and the same build figures for plain mkdocs-material
building the same rendered Markdown with a full navigation, with the ratios.
Synthetic content only (benchmarks/generate.py); nothing here is published.
"""

from __future__ import annotations

import argparse
import functools
import gzip
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from generate import write_project
from playwright.sync_api import sync_playwright

from briefgen.build_date import build_date
from briefgen.content.check import read_content
from briefgen.site.plan import choose_home, plan_pages
from briefgen.site.planned import PlanOptions
from briefgen.site.render import make_environment, render_page
from briefgen.site.routes import Routes

BIN = Path(sys.executable).parent
# The full browser a reader runs, for the time to a first search result; else the headless
# shell `make test` installs.
CHROMIUM = os.environ.get("BRIEFGEN_CHROMIUM") or next(
    (
        path
        for path in ("/usr/bin/chromium", "/usr/bin/chromium-headless-shell")
        if Path(path).exists()
    ),
    "/usr/bin/chromium",
)
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}


def _tree_memory_mb(pid: int) -> tuple[float, float]:
    """Memory of a process and all its descendants, now (MB): the sum of their proportional
    set sizes (pages forked workers share with their parent count once), and the resident
    size of the largest one (what `/usr/bin/time` reports)."""
    total, largest, pending = 0, 0, [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/smaps_rollup").read_text()
            for task in Path(f"/proc/{current}/task").iterdir():
                pending += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue  # it has just ended
        for line in status.splitlines():
            if line.startswith("Pss:"):
                total += int(line.split()[1])
            elif line.startswith("Rss:"):
                largest = max(largest, int(line.split()[1]))
    return total / 1024, largest / 1024


def timed(command: list[str], cwd: Path, *, memory: bool = False) -> tuple[float, int, int]:
    """Wall seconds and, with `memory`, the peak memory (MB) of the command and the
    processes it starts (the search indexer, the PDF writer, forked workers) added
    together, and the peak of the largest of them alone. Reading every process's memory
    each 50 ms takes CPU from the build, so a timed run does not do it."""
    started = time.perf_counter()
    child = subprocess.Popen(
        command, cwd=cwd, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    peak = largest = 0.0
    while child.poll() is None:
        if memory:
            together, alone = _tree_memory_mb(child.pid)
            peak, largest = max(peak, together), max(largest, alone)
        time.sleep(0.05)
    elapsed = time.perf_counter() - started
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{child.stderr.read().decode()}")
    return elapsed, round(peak), round(largest)


def size_mb(folder: Path) -> float:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) / 1e6


# Files a static host sends compressed; the rest (PDFs, images, Pagefind's chunks) already are.
COMPRESSIBLE = {".html", ".json", ".csv", ".xml", ".js", ".css", ".svg", ".txt"}


def gzip_mb(folder: Path) -> float:
    """The site as a host that compresses text stores or sends it (gzip, level 6)."""
    total = 0
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            total += len(gzip.compress(data, 6)) if path.suffix in COMPRESSIBLE else len(data)
    return total / 1e6


def plain_material_project(project: Path, target: Path) -> Path:
    """The same pages, built by plain mkdocs-material with a full navigation.

    Each page's body is the HTML briefgen renders, as the Markdown file's content
    (Markdown passes block HTML through), with the title in front matter.
    """
    today = build_date()
    report = read_content(project, today=today)
    assert report.content is not None
    home = choose_home(report.content, None)
    env = make_environment()
    docs = target / "docs"
    routes = Routes(home)
    for page in plan_pages(report.content, routes, PlanOptions(today=today)):
        path = docs / page.src_uri
        path.parent.mkdir(parents=True, exist_ok=True)
        body = render_page(env, page, routes, permalink=None).html
        path.write_text(f"---\ntitle: {json.dumps(page.title)}\n---\n\n{body}")
    (target / "mkdocs.yml").write_text(
        "site_name: Plain Material\ntheme:\n  name: material\n  font: false\n"
        "plugins:\n  - search\nmarkdown_extensions:\n  - attr_list\n  - md_in_html\n"
        "  - toc:\n      permalink: true\n"
    )
    return target


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def first_result_seconds(site: Path, query: str) -> float:
    """Seconds from typing the last key of `query` to the first result on screen."""
    handler = functools.partial(_QuietHandler, directory=str(site))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM,
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            page = browser.new_page()
            page.goto(url)
            box = page.get_by_role("textbox", name="Search")
            box.click()
            box.press_sequentially(query[:-1], delay=20)
            started = time.perf_counter()
            box.press(query[-1])
            page.locator(".md-search-result__item").first.wait_for(timeout=60_000)
            elapsed = time.perf_counter() - started
            browser.close()
    finally:
        server.shutdown()
    return elapsed


def _fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def serve_seconds(project: Path) -> float:
    """Under `mkdocs serve --dirty` (what `make serve` runs): from saving a changed case
    study to the changed page being served. The browser's reload adds a few milliseconds."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [str(BIN / "mkdocs"), "serve", "--dirty", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project,
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        # Started from a shell's background job, it would inherit an ignored Ctrl-C.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        study = sorted((project / "case_studies").glob("*.yaml"))[0]
        url = f"http://127.0.0.1:{port}/case-studies/{study.stem}/"
        deadline = time.monotonic() + 600
        while "<title>" not in _fetch(url):
            if time.monotonic() > deadline:
                raise SystemExit("mkdocs serve did not start")
            time.sleep(0.2)
        time.sleep(3)  # let the first build's search index and PDFs land
        text = study.read_text()
        study.write_text(re.sub(r"(?m)^title: .*$", "title: Saved while serving", text, count=1))
        started = time.perf_counter()
        while "Saved while serving" not in _fetch(url):
            if time.perf_counter() - started > 120:
                raise SystemExit("the change never showed")
            time.sleep(0.05)
        elapsed = time.perf_counter() - started
        study.write_text(text)
        return elapsed
    finally:
        server.send_signal(signal.SIGINT)  # Ctrl-C: serve ends as a writer ends it
        server.wait(timeout=30)


RUNS = 3
QUERIES = ["webchat", "broadband", "governance"]


def measure(count: int, work: Path) -> dict[str, float]:
    project = write_project(work / f"briefgen-{count}", count)
    checks = [timed([str(BIN / "briefgen"), "check"], project)[0] for _ in range(3)]
    plain = plain_material_project(project, work / f"plain-{count}")
    build = [str(BIN / "mkdocs"), "build", "--quiet"]
    plain_time = timed(build, plain)[0]
    _, plain_peak, _ = timed(build, plain, memory=True)
    site = project / "site"
    # The first build starts with no PDF cache; the others find the PDFs of the first
    # in it, as a writer's repeated builds do. Each is a full build into an empty site.
    shutil.rmtree(project / ".cache", ignore_errors=True)
    cold = timed(build, project)[0]
    times = []
    for _ in range(RUNS):  # this machine's timings vary by a tenth or more: take the median
        shutil.rmtree(site, ignore_errors=True)
        times.append(timed(build, project)[0])
    shutil.rmtree(site)
    _, build_peak, largest_process = timed(build, project, memory=True)
    return {
        "check_s": statistics.median(checks),
        "build_s": statistics.median(times),
        "cold_build_s": cold,
        "peak_mb": build_peak,
        "largest_mb": largest_process,
        "site_mb": size_mb(site),
        "site_gzip_mb": gzip_mb(site),
        "data_mb": size_mb(site / "data"),
        # Pagefind's chunks, of which a query loads a few, and Material's (now empty) index.
        "index_mb": size_mb(site / "pagefind")
        + (site / "search" / "search_index.json").stat().st_size / 1e6,
        "search_s": statistics.median(first_result_seconds(site, q) for q in QUERIES),
        "serve_s": serve_seconds(project),
        "plain_build_s": plain_time,
        "plain_peak_mb": plain_peak,
        "plain_site_mb": size_mb(plain / "site"),
        "plain_index_mb": (plain / "site" / "search" / "search_index.json").stat().st_size / 1e6,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--keep", action="store_true", help="keep the generated projects")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="briefgen-bench-"))
    results = {}
    try:
        for count in sorted(args.sizes):
            results[count] = measure(count, work)
            r = results[count]
            print(
                f"N={count:>5}  check {r['check_s']:.2f} s | build {r['build_s']:.1f} s "
                f"(no PDF cache {r['cold_build_s']:.1f} s), "
                f"peak {r['peak_mb']:.0f} MB (largest process {r['largest_mb']:.0f} MB), "
                f"site {r['site_mb']:.1f} MB ({r['site_gzip_mb']:.1f} MB gzipped as served; "
                f"open data {r['data_mb']:.1f} MB), "
                f"index {r['index_mb']:.1f} MB, first result {r['search_s']:.2f} s, "
                f"serve {r['serve_s']:.1f} s | "
                f"plain Material: build {r['plain_build_s']:.1f} s, "
                f"peak {r['plain_peak_mb']:.0f} MB, site {r['plain_site_mb']:.1f} MB, "
                f"index {r['plain_index_mb']:.1f} MB | "
                f"speed-up {r['plain_build_s'] / r['build_s']:.1f}x",
                flush=True,
            )
        if 100 in results and 1000 in results:
            ratio = results[1000]["build_s"] / results[100]["build_s"]
            print(f"t1000 / t100 = {ratio:.1f} (linear is 10)")
    finally:
        if args.keep:
            print(f"projects kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
