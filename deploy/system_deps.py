"""Install the Debian packages the tests, benchmark and replicas need, once.

`make test`, `make bench`, `make load` and `make serve` (and so `.ci/run`) call this before
they start: a fresh machine gets Debian's `chromium` (browser tests), `fonts-noto-cjk`
(Chinese in screenshots) and `nginx` (replicas) without a separate set-up step. It uses
only the standard library, so it runs before the project's virtual environment exists.

What it does depends on the machine, decided by `plan()` (tested without running apt):

* everything present: nothing, after a check of a few paths (no `apt-get update`);
* running as root: `apt-get update` then `apt-get install` of what is missing;
* `sudo -n` works (a password-less sudo): the same through `sudo -n`;
* neither: one line naming the exact command to run; the tests that need the packages
  then skip with their own message (or fail under `CI=true`), as before.

Usage: ``python3 -m deploy.system_deps [--dry-run]``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Package:
    """A Debian package and the file whose presence shows it is installed."""

    name: str
    marker: Path
    needed_for: str


PACKAGES: tuple[Package, ...] = (
    Package("chromium", Path("/usr/bin/chromium"), "browser tests and make bench"),
    Package(
        "fonts-noto-cjk",
        Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"),
        "Chinese text in screenshots",
    ),
    Package("nginx", Path("/usr/sbin/nginx"), "replicas behind nginx (make serve, tests)"),
)

_APT_ENV = ("env", "DEBIAN_FRONTEND=noninteractive")


def missing(packages: tuple[Package, ...] = PACKAGES) -> list[Package]:
    """The packages whose marker file is absent: a stat each, no package database."""
    return [package for package in packages if not package.marker.exists()]


def install_command(names: list[str]) -> list[str]:
    return [*_APT_ENV, "apt-get", "install", "-y", "-qq", "--no-install-recommends", *names]


def plan(
    absent: list[str], *, is_root: bool, sudo_works: bool, has_apt: bool = True
) -> tuple[list[list[str]], str]:
    """The commands to run and the line to print, for the packages named in `absent`.

    An empty command list with a message means: tell the user, install nothing.
    """
    if not absent:
        return [], ""
    manual = "sudo apt-get install -y --no-install-recommends " + " ".join(absent)
    if not has_apt:
        return [], (
            f"system packages missing ({', '.join(absent)}) and no apt-get here: install "
            "them with your package manager; the tests that need them will skip."
        )
    if is_root:
        prefix: list[str] = []
    elif sudo_works:
        prefix = ["sudo", "-n"]
    else:
        return [], (
            f"system packages missing ({', '.join(absent)}); run once: {manual} "
            "(the tests that need them skip until then)"
        )
    commands = [
        [*prefix, *_APT_ENV, "apt-get", "update", "-qq"],
        [*prefix, *install_command(absent)],
    ]
    return commands, f"installing Debian packages: {', '.join(absent)}"


def _sudo_works() -> bool:
    if shutil.which("sudo") is None:
        return False
    result = subprocess.run(
        ["sudo", "-n", "true"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
    )
    return result.returncode == 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry-run", action="store_true", help="print the commands only")
    args = parser.parse_args(argv)

    absent = [package.name for package in missing()]
    if not absent:
        return 0
    is_root = os.geteuid() == 0
    commands, message = plan(
        absent,
        is_root=is_root,
        sudo_works=not is_root and _sudo_works(),
        has_apt=shutil.which("apt-get") is not None,
    )
    print(f"system_deps: {message}", file=sys.stderr)
    for command in commands:
        print("  $ " + " ".join(command), file=sys.stderr)
        if args.dry_run:
            continue
        if subprocess.run(command, stdout=subprocess.DEVNULL, check=False).returncode != 0:
            print(f"system_deps: failed: {' '.join(command)}", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
