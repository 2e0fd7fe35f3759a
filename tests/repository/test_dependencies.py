"""The ends of each dependency's range: pinned in constraints/lowest.txt, and both tested in CI."""

from __future__ import annotations

import tomllib

import yaml
from conftest import REPO
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version


def lowest_pins() -> dict[str, Version]:
    pins = {}
    for line in (REPO / "constraints" / "lowest.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, version = line.split("==")
            pins[canonicalize_name(name)] = Version(version)
    return pins


def test_lowest_constraints_pin_each_dependency_at_its_lower_bound() -> None:
    pins = lowest_pins()
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    for requirement in map(Requirement, project["dependencies"]):
        pin = pins.get(canonicalize_name(requirement.name))
        assert pin is not None, f"constraints/lowest.txt does not pin {requirement.name}"
        lower = [Version(s.version) for s in requirement.specifier if s.operator == ">="]
        assert lower == [pin], f"{requirement}: constraints/lowest.txt pins {pin}"
        assert requirement.specifier.contains(pin), requirement


def test_ci_runs_the_suite_at_both_ends_on_each_python_and_under_properdocs() -> None:
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "versions.yml").read_text())
    assert workflow["permissions"] == {"contents": "read"}
    newest = workflow["jobs"]["newest"]
    assert newest["strategy"]["matrix"]["python"] == ["3.11", "3.12", "3.13"]
    assert "make test-newest" in str(newest["steps"])
    assert "make test-lowest" in str(workflow["jobs"]["lowest"]["steps"])
    assert "make test-properdocs" in str(workflow["jobs"]["properdocs"]["steps"])
