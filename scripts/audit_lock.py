"""`make audit`: pip-audit on a lock file, read strictly.

pip-audit alone says "No known vulnerabilities found" even when it could audit nothing (every
package skipped). Here: a vulnerability fails, and so does a package left unaudited while
others were audited; when the advisory service answered for no package at all (a machine
whose package index serves no advisories) it says so in one line and passes, since there is
nothing to judge. Exceptions are `--ignore-vuln ID` arguments, each argued in the Makefile.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


def main(lock: str, *ignored: str) -> int:
    audit = subprocess.run(  # noqa: S603 - our own tool on our own lock
        [
            str(Path(sys.executable).with_name("pip-audit")),
            "--progress-spinner",
            "off",
            "--disable-pip",  # the lock pins and hashes everything: nothing to resolve
            "--format",
            "json",
            "--requirement",
            lock,
            *ignored,
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        dependencies = json.loads(audit.stdout)["dependencies"]
    except (json.JSONDecodeError, KeyError):
        print(f"pip-audit failed:\n{audit.stderr}", file=sys.stderr)  # noqa: T201
        return 1
    vulnerable = [d for d in dependencies if d.get("vulns")]
    skipped = [d for d in dependencies if "skip_reason" in d]
    for dependency in vulnerable:
        for vuln in dependency["vulns"]:
            fixed = ", ".join(vuln["fix_versions"]) or "no fix yet"
            print(  # noqa: T201
                f"{dependency['name']} {dependency['version']}: {vuln['id']} (fixed in {fixed})"
            )
    if vulnerable:
        return 1
    if skipped and len(skipped) == len(dependencies):
        print(  # noqa: T201
            f"pip-audit: the package index answered no advisories here; "
            f"none of the {len(dependencies)} locked packages audited"
        )
        return 0
    for dependency in skipped:
        print(f"not audited: {dependency['skip_reason']}")  # noqa: T201
    if skipped:
        return 1
    print(f"pip-audit: no known vulnerabilities in {len(dependencies)} locked packages")  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
