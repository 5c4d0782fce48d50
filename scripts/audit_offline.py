"""`make audit-offline ADVISORIES=path`: a lock file against a local copy of the PyPA advisories.

    .venv/bin/python scripts/audit_offline.py requirements.lock --advisories PATH [--ignore-vuln ID]

For a machine where pip-audit can judge nothing (the package index serves no advisories and
api.osv.dev is out of reach). PATH is a copy of https://github.com/pypa/advisory-database (the
OSV data pip-audit's PyPI service is built from): a checkout folder, or a bare git directory read
with `git ls-tree` / `git cat-file` at HEAD. Every `name==version` pin of the lock is looked up
under vulns/<name>/ (names compared PEP 503-normalised) and judged the OSV way with PEP 440
versions: affected when listed in `affected[].versions` or inside an ECOSYSTEM range (from an
`introduced` up to a `fixed`, excluded, or a `last_affected`, included). Withdrawn advisories
are skipped. A copy only knows what was published up to its commit: the summary names the commit
and its date.

Prints one line per affected pin, then the summary; exit 1 when a pin is affected (or an
advisory for a locked package cannot be judged because a version in it is not PEP 440), 2 when
the lock or the database cannot be read. `--ignore-vuln ID` (an advisory id or an alias, as
pip-audit) leaves one out; each such exception is argued in the Makefile's AUDIT_IGNORE.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

# Every scalar stays a string: a version such as 1.10 must not become the float 1.1.
_LOADER = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*==\s*([^\s;\\]+)")


class Unreadable(Exception):
    """The lock or the advisory database cannot be read."""


class Unjudgeable(Exception):
    """An advisory names a version that is not PEP 440, so a pin cannot be placed against it."""


@dataclass(frozen=True)
class Pin:
    name: str  # PEP 503-normalised
    version: str


@dataclass(frozen=True)
class Finding:
    pin: Pin
    advisory: str
    aliases: tuple[str, ...]
    fixed: tuple[str, ...]  # fixed versions above the pin, lowest first
    reason: str = ""  # set when the advisory could not be judged


def read_lock(path: Path) -> list[Pin]:
    """The `name==version` pins of a pip/uv lock (hash and comment lines skipped)."""
    pins = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _PIN.match(line)
        if match:
            pins.append(Pin(str(canonicalize_name(match[1])), match[2]))
    if not pins:
        raise Unreadable(f"{path}: no name==version pins")
    return pins


class Database:
    """The vulns/ tree of an advisory-database copy: the files of each package, by name."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.bare = not (path / "vulns").is_dir()
        git = ["git", f"--git-dir={path}"] if self.bare else ["git", "-C", str(path)]
        self._git = git
        self.files: dict[str, list[str]] = defaultdict(list)  # name → blob ids or file paths
        if self.bare:
            listing = self._run("ls-tree", "-r", "HEAD", "--", "vulns")
            for line in listing.splitlines():
                meta, _, name = line.partition("\t")
                parts = name.split("/")
                if len(parts) == 3 and parts[2].endswith((".yaml", ".yml")):
                    self.files[str(canonicalize_name(parts[1]))].append(meta.split()[2])
        else:
            for found in sorted((path / "vulns").glob("*/*.y*ml")):
                self.files[str(canonicalize_name(found.parent.name))].append(str(found))
        if not self.files:
            raise Unreadable(f"{path}: no advisories under vulns/")
        try:
            self.commit, self.date = self._run("log", "-1", "--format=%H %cs", "HEAD").split()
        except Unreadable:  # a folder that is no git checkout (an exported tree)
            self.commit, self.date = "unknown", "unknown"

    def _run(self, *args: str, stdin: bytes | None = None) -> str:
        try:
            done = subprocess.run(  # noqa: S603 - git on the path the operator gave
                [*self._git, *args], input=stdin, capture_output=True, check=True
            )
        except (OSError, subprocess.CalledProcessError) as error:
            raise Unreadable(f"{self.path}: not an advisory-database copy ({error})") from error
        return done.stdout.decode()

    def advisories(self, names: set[str]) -> dict[str, list[dict[str, Any]]]:
        """The parsed advisories filed under each of the names (those with none are left out)."""
        wanted = {name: self.files[name] for name in names if name in self.files}
        if self.bare:
            blobs = [blob for blob_ids in wanted.values() for blob in blob_ids]
            texts = self._cat(blobs)
        else:
            texts = {f: Path(f).read_text(encoding="utf-8") for fs in wanted.values() for f in fs}
        return {
            name: [yaml.load(texts[key], Loader=_LOADER) for key in keys]  # noqa: S506 - BaseLoader
            for name, keys in wanted.items()
        }

    def _cat(self, blobs: list[str]) -> dict[str, str]:
        """Many blobs through one `git cat-file --batch`."""
        if not blobs:
            return {}
        out = subprocess.run(  # noqa: S603 - git on the path the operator gave
            [*self._git, "cat-file", "--batch"],
            input="".join(f"{blob}\n" for blob in blobs).encode(),
            capture_output=True,
            check=True,
        ).stdout
        texts, at = {}, 0
        for blob in blobs:
            header_end = out.index(b"\n", at)
            size = int(out[at:header_end].split()[2])
            texts[blob] = out[header_end + 1 : header_end + 1 + size].decode()
            at = header_end + 1 + size + 1  # the content, then a newline
        return texts


def _version(text: str) -> Version:
    try:
        return Version(text)
    except InvalidVersion as error:
        raise Unjudgeable(f"version {text!r} is not PEP 440") from error


def _as_list(value: Any) -> list[Any]:
    if isinstance(value, list):
        return value
    return [value] if isinstance(value, dict) else []  # `ranges: events: …` or an empty value


def _in_range(events: list[dict[str, str]], version: Version) -> bool:
    """OSV's walk over one range's events in version order (`introduced: "0"` lowest)."""

    def key(event: dict[str, str]) -> tuple[int, Version]:
        value = next(iter(event.values()))
        return (0, Version("0")) if value == "0" else (1, _version(value))

    steps = {"introduced", "fixed", "last_affected"}  # `limit` only bounds GIT ranges
    ordered = sorted((e for e in events if isinstance(e, dict) and set(e) & steps), key=key)
    affected = False
    for event in ordered:
        kind, value = next(iter(event.items()))
        if kind == "introduced":
            affected = affected or value == "0" or version >= _version(value)
        elif kind == "fixed":
            affected = affected and version < _version(value)
        elif kind == "last_affected":
            affected = affected and version <= _version(value)
    return affected


def judge(pin: Pin, advisory: dict[str, Any]) -> Finding | None:
    """The finding when the advisory (not withdrawn) affects the pinned version, else None."""
    if advisory.get("withdrawn"):
        return None
    ident = str(advisory.get("id", "?"))
    listed_aliases = advisory.get("aliases")
    aliases = (
        tuple(a for a in listed_aliases if isinstance(a, str))
        if isinstance(listed_aliases, list)
        else ()
    )
    try:
        version = _version(pin.version)
    except Unjudgeable as error:
        return Finding(pin, ident, aliases, (), reason=str(error))
    affected, fixed, unjudged = False, set(), ""
    for entry in _as_list(advisory.get("affected")):
        package = entry.get("package") if isinstance(entry, dict) else None
        if not isinstance(package, dict):
            continue
        if canonicalize_name(str(package.get("name", ""))) != pin.name:
            continue
        if package.get("ecosystem", "PyPI") != "PyPI":
            continue
        listed = _strings(entry.get("versions"))
        affected = affected or pin.version in listed or any(_same(v, version) for v in listed)
        for grange in _as_list(entry.get("ranges")):
            if not isinstance(grange, dict) or grange.get("type") != "ECOSYSTEM":
                continue
            events = _as_list(grange.get("events"))
            fixed |= {e["fixed"] for e in events if isinstance(e, dict) and "fixed" in e}
            try:
                affected = affected or _in_range(events, version)
            except Unjudgeable as error:
                unjudged = str(error)
    if not affected:
        return Finding(pin, ident, aliases, (), reason=unjudged) if unjudged else None
    above = sorted(Version(f) for f in fixed if _valid(f) and Version(f) > version)
    return Finding(pin, ident, aliases, tuple(str(v) for v in above))


def _strings(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _same(listed: str, version: Version) -> bool:
    return _valid(listed) and Version(listed) == version


def _valid(text: str) -> bool:
    try:
        Version(text)
    except InvalidVersion:
        return False
    return True


def audit(
    lock: Path, database: Database, ignored: set[str]
) -> tuple[list[Finding], list[Pin], int]:
    """Findings not ignored, the pins checked, the number of findings ignored."""
    pins = read_lock(lock)
    advisories = database.advisories({pin.name for pin in pins})
    findings = [
        finding
        for pin in pins
        for advisory in advisories.get(pin.name, [])
        if (finding := judge(pin, advisory)) is not None
    ]
    kept = [f for f in findings if not ({f.advisory, *f.aliases} & ignored)]
    return kept, pins, len(findings) - len(kept)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lock", type=Path, help="requirements.lock or requirements-dev.lock")
    parser.add_argument(
        "--advisories",
        type=Path,
        required=True,
        help="a copy of pypa/advisory-database: checkout folder or bare git directory",
    )
    parser.add_argument("--ignore-vuln", action="append", default=[], metavar="ID")
    args = parser.parse_args(argv)
    try:
        database = Database(args.advisories)
        findings, pins, ignored = audit(args.lock, database, set(args.ignore_vuln))
    except (Unreadable, OSError) as error:
        print(f"audit-offline: {error}", file=sys.stderr)  # noqa: T201
        return 2
    for finding in findings:
        pin = finding.pin
        aliases = f" ({', '.join(finding.aliases)})" if finding.aliases else ""
        if finding.reason:
            judged = f"not judged, {finding.reason}"
        else:
            judged = f"fixed in {', '.join(finding.fixed)}" if finding.fixed else "no fix known"
        print(f"{pin.name} {pin.version}: {finding.advisory}{aliases}, {judged}")  # noqa: T201
    affected = {f.pin for f in findings if not f.reason}
    unjudged = sum(1 for f in findings if f.reason)
    print(  # noqa: T201
        f"audit-offline: {args.lock}: {len(pins)} pinned versions of "
        f"{len({pin.name for pin in pins})} packages checked against the PyPA "
        f"advisory database at commit {database.commit} ({database.date}): {len(affected)} "
        f"affected ({len(findings) - unjudged} advisories)"
        + (f", {unjudged} advisories not judged" if unjudged else "")
        + (f", {ignored} ignored" if ignored else "")
    )
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
