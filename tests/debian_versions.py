"""Which Debian packages differ from the versions the tests' expectations were made with.

requirements/debian.txt names each package that changes the output (fonts, pango, poppler,
chromium …) with its version; when a test of the pages fails, conftest adds this report to
the failure, so a moved page is traced to the package that moved it.
"""

from __future__ import annotations

import shutil
import subprocess
from functools import cache
from pathlib import Path

LIST = Path(__file__).resolve().parent.parent / "requirements" / "debian.txt"


def recorded() -> dict[str, str]:
    """package → the version written in requirements/debian.txt."""
    found = {}
    for line in LIST.read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, version, *_why = line.split()
            found[name] = version
    return found


@cache
def installed(names: tuple[str, ...]) -> dict[str, str | None]:
    """package → its installed version (None: not installed, or no dpkg on this machine)."""
    if shutil.which("dpkg-query") is None:
        return dict.fromkeys(names)
    found: dict[str, str | None] = dict.fromkeys(names)
    done = subprocess.run(
        ["dpkg-query", "-W", "-f=${Package} ${Version}\\n", *names],
        capture_output=True,
        text=True,
    )
    for line in done.stdout.splitlines():
        name, _, version = line.partition(" ")
        if name in found and version:
            found[name] = version
    return found


def differences() -> list[str]:
    """One line per package whose installed version is not the recorded one."""
    wanted = recorded()
    have = installed(tuple(wanted))
    return [
        f"{name}: recorded {version}, installed {have[name] or 'none'}"
        for name, version in wanted.items()
        if have[name] != version
    ]
