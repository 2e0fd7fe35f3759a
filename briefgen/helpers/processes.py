"""Pagefind's process, which a build starts beside MkDocs (the PDF process is Python's:
helpers/pdf.py)."""

from __future__ import annotations

import subprocess


def end(process: subprocess.Popen[bytes]) -> None:
    """Stop a helper process if it still runs, and close our ends of its pipes."""
    if process.poll() is None:
        process.kill()
        process.wait()
    for pipe in (process.stdin, process.stdout, process.stderr):
        if pipe is not None:
            pipe.close()
