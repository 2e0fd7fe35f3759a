"""Builds that cannot hurt each other or the host: two builds in one project, helpers that
hang, scratch a killed build left, a site folder the swap cannot rename, and a case study
deleted while `serve --dirty` runs."""

from __future__ import annotations

import errno
import gzip
import json
import logging
import multiprocessing
import os
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from conftest import BIN, MINIMAL_CASE_STUDY, Site, dirty_serve
from mkdocs.exceptions import Abort

from briefgen.helpers import pdf, search
from briefgen.mkdocs import lock, staging

CACHE = Path(".cache") / "briefgen"


def _files(folder: Path) -> list[str]:
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*") if path.is_file())


def _unindexed(folder: Path) -> list[str]:
    return [name for name in _files(folder) if not name.startswith("pagefind/")]


def _failed_build(site: Site, caplog: pytest.LogCaptureFixture) -> list[str]:
    """Build, expecting it to fail; what it logged as errors."""
    caplog.clear()
    with caplog.at_level(logging.ERROR, logger="mkdocs"), pytest.raises(Abort):
        site.build()
    return [record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR]


# 1. Two builds at once in one project.


def test_two_builds_at_once_leave_a_whole_site(minimal: Site) -> None:
    expected = _files(minimal.build().site_dir)
    # One build in another process; this one starts while that one is writing its site.
    other = subprocess.Popen(
        [str(BIN / "mkdocs"), "build", "--strict"],
        cwd=minimal.root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 30
    while not (minimal.root / ".site.building").is_dir() and time.monotonic() < deadline:
        if other.poll() is not None:
            break
        time.sleep(0.02)
    minimal.build()
    _, errors = other.communicate(timeout=120)
    assert other.returncode == 0, errors
    assert _files(minimal.site_dir) == expected


def test_a_build_waits_for_another_then_says_why_it_stops(
    minimal: Site, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    held = minimal.root / CACHE / "build.lock"  # as another build of the project holds it
    held.parent.mkdir(parents=True)
    monkeypatch.setattr(lock, "WAIT", 0.5)
    with held.open("w") as other:
        import fcntl

        fcntl.flock(other, fcntl.LOCK_EX)
        with caplog.at_level(logging.INFO, logger="mkdocs"), pytest.raises(Abort):
            minimal.build()
    messages = [record.getMessage() for record in caplog.records]
    assert sum("Waiting for another build of this project" in m for m in messages) == 1
    errors = [m for m in messages if m.startswith("Another build")]
    assert len(errors) == 1 and "\n" not in errors[0], messages
    assert str(held) in errors[0]
    assert not minimal.site_dir.exists()


def test_a_build_while_serve_holds_the_project_says_so_at_once(
    minimal: Site, caplog: pytest.LogCaptureFixture
) -> None:
    """A `serve` holds the lock for its whole session: waiting for it would never end."""
    serving = lock.ProjectLock()
    assert serving.acquire(minimal.root / CACHE, "serve")
    try:
        started = time.monotonic()
        errors = _failed_build(minimal, caplog)
    finally:
        serving.release()
    assert time.monotonic() - started < 5
    assert any(
        f"A 'mkdocs serve' of this project is running (process {os.getpid()})" in e for e in errors
    ), errors


# 2. Helpers that hang, and the scratch a killed build leaves.


def test_a_hung_search_helper_is_stopped_and_the_build_fails_plainly(
    minimal: Site,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    hung = tmp_path / "pagefind"
    hung.write_text("#!/bin/sh\nexec sleep 60\n")  # Pagefind, deadlocked
    hung.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(hung))
    monkeypatch.setattr(search, "WAIT", 1.0)
    started = time.monotonic()
    errors = _failed_build(minimal, caplog)
    assert time.monotonic() - started < 20
    assert any("Pagefind did not finish within" in error for error in errors), errors
    assert subprocess.run(["pgrep", "-f", f"^{hung}"], check=False).returncode == 1
    assert not minimal.site_dir.exists()  # and no half-built site


def test_a_hung_pdf_helper_is_stopped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # WeasyPrint, stuck on a document: reading its image from a pipe nobody writes to.
    stuck = tmp_path / "figure.png"
    os.mkfifo(stuck)
    monkeypatch.setattr(pdf, "WAIT", 1.0)
    pdfs = pdf.BackgroundPdfs(tmp_path / "cache", early=True, scratch=tmp_path / "scratch")
    pdfs.add("pack.pdf", f'<p>A pack</p><img src="{stuck.as_uri()}" alt="">', None)
    pdfs.start()
    [pid] = [p.pid for p in multiprocessing.active_children() if p.name == "briefgen-pdf"]
    started = time.monotonic()
    errors = pdfs.collect(tmp_path / "site")
    assert time.monotonic() - started < 10
    assert "not laid out within 1 seconds" in errors["pack.pdf"]
    assert list((tmp_path / "scratch").iterdir()) == []
    assert not (tmp_path / "cache").exists() or list((tmp_path / "cache").iterdir()) == []
    with pytest.raises(ProcessLookupError):  # stopped, not left waiting
        os.kill(pid, 0)


def test_pdfs_a_newer_save_stopped_halfway_are_neither_cached_nor_published(
    tmp_path: Path,
) -> None:
    # Under `serve`, a newer save closes the last rebuild's PDFs while its thread waits
    # to collect them.
    stuck = tmp_path / "figure.png"
    os.mkfifo(stuck)
    pdfs = pdf.BackgroundPdfs(tmp_path / "cache", early=True, scratch=tmp_path / "scratch")
    pdfs.add("quick.pdf", "<p>Laid out at once</p>", None)
    pdfs.add("pack.pdf", f'<p>A pack</p><img src="{stuck.as_uri()}" alt="">', None)
    pdfs.start()
    deadline = time.monotonic() + 30  # until the quick one is done, the pack halfway
    while not list((tmp_path / "scratch").glob("pdf-*/0.html.pdf")):
        assert time.monotonic() < deadline
        time.sleep(0.05)
    pdfs.close()
    errors = pdfs.collect(tmp_path / "site")
    assert errors == dict.fromkeys(["quick.pdf", "pack.pdf"], "stopped by a newer build")
    assert not (tmp_path / "site").exists()
    assert not (tmp_path / "cache").exists() or list((tmp_path / "cache").iterdir()) == []


# 3. The swap into site/ on awkward hosts.


def test_a_site_folder_that_is_a_symlink_stays_one(minimal: Site, tmp_path: Path) -> None:
    served = tmp_path / "www" / "briefing"  # the folder a web server serves
    served.mkdir(parents=True)
    (served / "stale.html").write_text("from before")
    (served / ".well-known").mkdir()  # the host's own, hidden: kept, as MkDocs keeps it
    minimal.site_dir.symlink_to(served, target_is_directory=True)
    expected = _files(minimal.build().site_dir)
    assert "stale.html" not in expected
    second = MINIMAL_CASE_STUDY.format(id="example", title="Second")
    minimal.write("case_studies/example.yaml", second)
    minimal.build()
    assert minimal.site_dir.is_symlink()
    assert minimal.site_dir.resolve() == served.resolve()
    assert "Second" in (served / "case-studies" / "example" / "index.html").read_text()
    # The same files (but for the search index's, named by what they hold), and no others.
    assert (
        _unindexed(served)
        == _unindexed(minimal.site_dir)
        == [name for name in expected if not name.startswith("pagefind/")]
    )
    assert (served / ".well-known").is_dir()


@pytest.mark.parametrize("code", [errno.EBUSY, errno.EACCES, errno.EXDEV])
def test_a_site_folder_that_cannot_be_renamed_gets_new_contents(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    """A mount point, or a folder in one the build cannot write: the host cannot be
    simulated here (the tests run as root), so renaming the site folder fails as it
    would there."""
    site, built = tmp_path / "site", tmp_path / ".site.building"
    for relative, text in {"index.html": "old", "gone/index.html": "stale", "a.css": "x"}.items():
        (site / relative).parent.mkdir(parents=True, exist_ok=True)
        (site / relative).write_text(text)
    for relative, text in {"index.html": "new", "new/index.html": "added", "a.css": "x"}.items():
        (built / relative).parent.mkdir(parents=True, exist_ok=True)
        (built / relative).write_text(text)

    def refusing(rename):  # type: ignore[no-untyped-def]
        def refused(source, target, *args, **kwargs):  # type: ignore[no-untyped-def]
            if site in (Path(source), Path(target)):
                raise OSError(code, os.strerror(code), str(site))
            return rename(source, target, *args, **kwargs)

        return refused

    monkeypatch.setattr(os, "rename", refusing(os.rename))
    monkeypatch.setattr(os, "replace", refusing(os.replace))
    staging.publish(built, site)
    assert _files(site) == ["a.css", "index.html", "new/index.html"]
    assert (site / "index.html").read_text() == "new"
    assert not (site / "gone").exists()
    assert not built.exists()


def test_no_room_for_the_new_site_leaves_the_last_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site, built = tmp_path / "site", tmp_path / ".site.building"
    (site / "sub").mkdir(parents=True)
    (site / "index.html").write_text("old")
    (site / "sub" / "index.html").write_text("old sub")
    (built / "sub").mkdir(parents=True)
    (built / "index.html").write_text("new")
    (built / "sub" / "index.html").write_text("new sub")
    monkeypatch.setattr(os, "rename", _no_rename(os.rename))
    monkeypatch.setattr(os, "replace", _no_rename(os.replace))

    def full(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(staging.shutil, "copy2", full)
    with pytest.raises(staging.PublishError) as raised:
        staging.publish(built, site)
    assert "\n" not in str(raised.value) and "space" in str(raised.value)
    assert _files(site) == ["index.html", "sub/index.html"]
    assert (site / "index.html").read_text() == "old"


def test_a_disk_without_room_for_two_sites_stops_the_build_before_it_writes(
    minimal: Site, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """MkDocs, out of space halfway through writing, fails with a traceback: a build that
    cannot fit a second site beside the last one stops first, with one line."""
    before = _files(minimal.build().site_dir)
    real = staging.shutil.disk_usage

    def almost_full(path):  # type: ignore[no-untyped-def]
        return real(path)._replace(free=staging.ROOM_MARGIN // 2)

    monkeypatch.setattr(staging.shutil, "disk_usage", almost_full)
    errors = _failed_build(minimal, caplog)
    assert any("Not enough room to build the new site beside the last one" in e for e in errors)
    assert all("\n" not in error for error in errors)
    assert _files(minimal.site_dir) == before
    assert not (minimal.root / ".site.building").exists()


def _no_rename(rename):  # type: ignore[no-untyped-def]
    """Renames across file systems only: the site folder, and the staging into it."""

    def refused(source, target, *args, **kwargs):  # type: ignore[no-untyped-def]
        if Path(source).name.startswith(".site.building") or Path(source).name == "site":
            raise OSError(errno.EXDEV, os.strerror(errno.EXDEV))
        return rename(source, target, *args, **kwargs)

    return refused


def test_what_a_killed_build_leaves_the_next_clears_up(
    minimal: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Killed, a build leaves its helpers' scratch, or (between the swap's two renames)
    no site/: the next build removes the one and puts the last good site back."""
    system_scratch = tmp_path / "tmp"
    system_scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(system_scratch))
    left = minimal.write(f"{CACHE}/scratch/search-killed/page/index.html", "<p>old</p>")
    expected = _files(minimal.build().site_dir)
    assert not left.exists()
    assert "pagefind/pagefind.js" in expected
    assert list(system_scratch.iterdir()) == []  # its helpers' scratch was in the cache
    minimal.site_dir.rename(minimal.root / ".site.previous")  # killed: no site/
    minimal.write("case_studies/example.yaml", "id: [broken")
    _failed_build(minimal, caplog)  # the next build fails, and the last good site is back
    assert _files(minimal.site_dir) == expected


# 4. A case study deleted under `serve --dirty`.


def test_serve_forgets_a_deleted_case_study(minimal: Site, tmp_path: Path) -> None:
    gone = minimal.write(
        "case_studies/gone.yaml", MINIMAL_CASE_STUDY.format(id="gone", title="Soon gone")
    )
    site = tmp_path / "served"
    handed = minimal.root / CACHE / "serve-search"  # the pages Pagefind indexes
    with dirty_serve(minimal, site) as serving:
        serving.rebuild()
        serving.wait()
        assert (handed / "case-studies" / "gone" / "index.html").is_file()
        assert "case-studies/gone/" in _indexed(site)
        gone.unlink()
        serving.rebuild()
        serving.wait()
        assert not (handed / "case-studies" / "gone").exists()
        assert (handed / "case-studies" / "example" / "index.html").is_file()
        indexed = _indexed(site)
        assert "case-studies/gone/" not in indexed
        assert "case-studies/example/" in indexed


def _indexed(site: Path) -> str:
    """Every page's URL in the site's Pagefind index: the fragments its metadata names
    (Pagefind leaves the fragments of an earlier index in the folder)."""
    folder = site / "pagefind"
    entry = json.loads((folder / "pagefind-entry.json").read_text())
    (language,) = entry["languages"].values()
    meta = gzip.decompress((folder / f"pagefind.{language['hash']}.pf_meta").read_bytes())
    return "".join(
        gzip.decompress(path.read_bytes()).decode("utf-8", "replace")
        for path in (folder / "fragment").glob("*.pf_fragment")
        if path.stem.encode() in meta
    )
