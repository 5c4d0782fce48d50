"""The lock files cover pyproject.toml: every dependency pinned within its bounds, with hashes,
and the development lock at the runtime lock's versions (tests run what the image runs)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^\s;]+)(?: ; (.+?))? \\$", re.MULTILINE)


def pins(lock: str) -> dict[str, set[str]]:
    """Name → the versions pinned (two when the lock forks by Python version)."""
    pinned: dict[str, set[str]] = {}
    for name, version, _marker in PIN.findall((ROOT / lock).read_text()):
        pinned.setdefault(canonicalize_name(name), set()).add(version)
    return pinned


def wanted(extra: str | None = None) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    listed = project["optional-dependencies"][extra] if extra else project["dependencies"]
    return [Requirement(text) for text in listed]


@pytest.mark.parametrize(
    ("lock", "requirements"),
    [
        ("requirements.lock", wanted()),
        ("requirements-dev.lock", wanted() + wanted("dev")),
    ],
)
def test_every_dependency_is_pinned_within_its_bounds(lock, requirements):
    pinned = pins(lock)
    for requirement in requirements:
        versions = pinned.get(canonicalize_name(requirement.name))
        assert versions, f"{requirement.name} is not in {lock}: run make lock"
        for version in versions:
            assert requirement.specifier.contains(version, prereleases=True), (
                f"{lock} pins {requirement.name} {version}, outside {requirement.specifier}: "
                "run make lock"
            )


def test_every_pin_has_hashes_and_dev_keeps_the_runtime_versions():
    for lock in ("requirements.lock", "requirements-dev.lock"):
        text = (ROOT / lock).read_text()
        entries = re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[2])
        assert all("--hash=sha256:" in entry for entry in entries if "==" in entry), lock
    runtime, dev = pins("requirements.lock"), pins("requirements-dev.lock")
    assert {name: dev.get(name) for name in runtime} == runtime
