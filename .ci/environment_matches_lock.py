"""Fail unless `pip freeze` of this environment, less the project itself, is exactly the lock's set."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from packaging.markers import Marker
from packaging.utils import canonicalize_name

PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)(?:\s*;\s*([^\\]+?))?\s*\\?$")


def locked(path: Path) -> dict[str, str]:
    """The lock's pins whose environment markers hold here."""
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = PIN.match(line)
        if match and (match[3] is None or Marker(match[3]).evaluate()):
            pins[canonicalize_name(match[1])] = match[2]
    return pins


def installed() -> dict[str, str]:
    """What `pip freeze --all` lists, less pip (the installer) and editable installs (the project)."""
    frozen = subprocess.run(
        [sys.executable, "-m", "pip", "freeze", "--all", "--exclude-editable"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    pins = {}
    for line in frozen.splitlines():
        name, _, version = line.partition("==")
        if version and canonicalize_name(name) != "pip":
            pins[canonicalize_name(name)] = version
    return pins


def main() -> int:
    lock = Path(sys.argv[1])
    want, have = locked(lock), installed()
    problems = [
        f"  {name}: locked {want[name]}, installed {have.get(name, 'nothing')}"
        for name in sorted(want)
        if have.get(name) != want[name]
    ]
    problems += [f"  {name}: installed {have[name]}, not in the lock" for name in sorted(set(have) - set(want))]
    if problems:
        print(f"The environment differs from {lock}: run 'make clean install'.", *problems, sep="\n", file=sys.stderr)
        return 1
    print(f"pip freeze equals {lock}: {len(want)} packages.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
