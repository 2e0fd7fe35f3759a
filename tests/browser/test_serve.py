"""`mkdocs serve --dirty` as `make serve` runs it, with a writer's browser watching a page."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

from conftest import BIN, Site, study
from playwright.sync_api import Page, expect

# A case study to edit while serving, and one that lists it as related.
EDITED, RELATED = "northtown", "moorland"


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
    library_project: Site, tmp_path: Path, page: Page
) -> None:
    project = library_project
    port = _free_port()
    url = f"http://127.0.0.1:{port}/case-studies/{EDITED}/"
    edited = study(EDITED)
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    server = subprocess.Popen(  # as `make serve` runs it
        [str(BIN / "mkdocs"), "serve", "--dirty", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project.root,
        env={**os.environ, "TMPDIR": str(scratch)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        # Under `make test &` a shell would hand it an ignored Ctrl-C.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        assert _wait_for(lambda: edited.title in _fetch(url))
        related_url = f"http://127.0.0.1:{port}/case-studies/{RELATED}/"
        related = _fetch(related_url)
        assert f'href="../{EDITED}/"' in related  # it lists the edited one as related
        page.goto(url)  # the page a writer is looking at, in a browser
        title = page.locator("article h1")
        expect(title).to_have_text(edited.title, use_inner_text=True)
        path = project.root / "case_studies" / f"{EDITED}.yaml"
        text = path.read_text()
        assert text.count(f'title: "{edited.title}"\n') == 1
        path.write_text(text.replace(f'title: "{edited.title}"', 'title: "Renamed while serving"'))
        # The browser reloads by itself (MkDocs' live reload) and shows the new title.
        expect(title).to_have_text("Renamed while serving", use_inner_text=True, timeout=30_000)
        assert _wait_for(lambda: "Renamed while serving" in _fetch(url))
        # Pages that show the title follow it: a related case study lists it.
        assert "Renamed while serving" in _fetch(related_url)
        assert "Renamed while serving" in _fetch(f"http://127.0.0.1:{port}/case-studies/")
        assert related != _fetch(related_url)
    finally:
        server.send_signal(signal.SIGINT)  # Ctrl-C
        server.wait(timeout=30)
    # Stopped, serve leaves no scratch folder in /tmp (its search scratch lives in
    # the project's cache, emptied by the next session).
    assert list(scratch.iterdir()) == []
    assert (project.root / ".cache" / "briefgen" / "serve-search").is_dir()
