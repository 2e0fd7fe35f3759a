"""The benchmark's synthetic library: valid, varied, the same every time, and built like
a real one, so `benchmarks/run.py` measures a site that works."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from conftest import REPO, Site, run

_spec = importlib.util.spec_from_file_location("generate", REPO / "benchmarks" / "generate.py")
assert _spec is not None and _spec.loader is not None
generate = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(generate)


# Enough case studies to vary (the generator cycles regions, models and councils).
SIZE = 6


def test_the_synthetic_library_checks_builds_and_varies(tmp_path: Path) -> None:
    project = generate.write_project(tmp_path / "bench", SIZE)
    checked = run("briefgen", "check", cwd=project)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    # PDFs off: the pack holds every case study, and laying it out was most of this
    # test's time; the PDFs have tests of their own.
    built = Site(project)
    built.plugin_options(pdf=False)
    site = built.build().site_dir
    assert len(list((site / "case-studies").glob("case-*/index.html"))) == SIZE
    studies = json.loads((site / "data" / "case-studies.json").read_text())
    assert len(studies) == SIZE
    assert len({study["region"] for study in studies}) > 3
    assert len({tuple(study["models"]) for study in studies}) > 3
    assert len({len(study["organisations"]) for study in studies}) > 1
    # About 1,100 words a case study, as the measurements assume.
    words = len((project / "case_studies" / "case-00001.yaml").read_text().split())
    assert 900 < words < 1400


def test_the_synthetic_library_is_the_same_every_time(tmp_path: Path) -> None:
    first = generate.write_project(tmp_path / "first", 5)
    second = generate.write_project(tmp_path / "second", 5)
    for path in sorted((first / "case_studies").iterdir()):
        assert path.read_bytes() == (second / "case_studies" / path.name).read_bytes()
