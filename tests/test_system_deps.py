"""`deploy.system_deps`: what `make test` does about missing Debian packages, decided
without running apt (root, password-less sudo, neither; packages present or not)."""

from __future__ import annotations

from pathlib import Path

import pytest

from deploy import system_deps
from deploy.system_deps import Package, missing, plan

APT_INSTALL = ["env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "install", "-y", "-qq",
               "--no-install-recommends"]  # fmt: skip


def test_nothing_missing_runs_nothing() -> None:
    for is_root in (True, False):
        assert plan([], is_root=is_root, sudo_works=True) == ([], "")


def test_root_updates_then_installs_only_what_is_missing() -> None:
    commands, message = plan(["chromium", "nginx"], is_root=True, sudo_works=False)
    assert commands == [
        ["env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "update", "-qq"],
        [*APT_INSTALL, "chromium", "nginx"],
    ]
    assert "chromium, nginx" in message


def test_user_with_passwordless_sudo_goes_through_sudo_n() -> None:
    commands, _ = plan(["fonts-noto-cjk"], is_root=False, sudo_works=True)
    assert commands == [
        ["sudo", "-n", "env", "DEBIAN_FRONTEND=noninteractive", "apt-get", "update", "-qq"],
        ["sudo", "-n", *APT_INSTALL, "fonts-noto-cjk"],
    ]


def test_user_without_sudo_gets_the_exact_command_and_nothing_runs() -> None:
    commands, message = plan(["chromium", "nginx"], is_root=False, sudo_works=False)
    assert commands == []
    assert "sudo apt-get install -y --no-install-recommends chromium nginx" in message
    assert "\n" not in message


def test_no_apt_says_so() -> None:
    commands, message = plan(["nginx"], is_root=True, sudo_works=False, has_apt=False)
    assert commands == []
    assert "no apt-get" in message


def test_missing_checks_marker_files(tmp_path: Path) -> None:
    present = tmp_path / "present"
    present.touch()
    packages = (
        Package("here", present, "x"),
        Package("gone", tmp_path / "absent", "y"),
    )
    assert [package.name for package in missing(packages)] == ["gone"]


def test_dry_run_prints_and_runs_nothing(monkeypatch, capsys) -> None:
    monkeypatch.setattr(system_deps, "missing", lambda: [system_deps.PACKAGES[2]])
    monkeypatch.setattr(system_deps.os, "geteuid", lambda: 0)
    monkeypatch.setattr(system_deps.shutil, "which", lambda name: f"/usr/bin/{name}")

    def refuse(*args, **kwargs):
        raise AssertionError(f"ran {args}")

    monkeypatch.setattr(system_deps.subprocess, "run", refuse)
    assert system_deps.main(["--dry-run"]) == 0
    err = capsys.readouterr().err
    assert "apt-get update" in err and "apt-get install" in err and "nginx" in err


@pytest.mark.parametrize("target", ["test", "bench", "load", "serve"])
def test_make_targets_set_up_system_packages(target: str) -> None:
    makefile = (Path(__file__).resolve().parent.parent / "Makefile").read_text()
    line = next(line for line in makefile.splitlines() if line.startswith(f"{target}:"))
    assert "system-deps" in line
