"""Shared fixtures: the real and the mini data, boundaries, and a live app for browser tests."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.common import CHROMIUM as BENCH_CHROMIUM
from bench.common import CHROMIUM_ARGS
from dashboard.boundaries import Boundaries, load_boundaries
from dashboard.data import Dataset, load_dataset

REPO = Path(__file__).resolve().parent.parent
MINI_DIR = REPO / "tests" / "fixtures" / "mini"
ARTIFACTS = REPO / "tests" / "artifacts"
CHROMIUM = Path(BENCH_CHROMIUM)


@pytest.fixture(scope="session")
def dataset() -> Dataset:
    return load_dataset(REPO / "data")


@pytest.fixture(scope="session")
def mini() -> Dataset:
    return load_dataset(MINI_DIR)


@pytest.fixture(scope="session")
def boundaries() -> Boundaries:
    return load_boundaries()


@pytest.fixture
def mini_copy(tmp_path: Path) -> Path:
    """A writable copy of the mini data folder."""
    target = tmp_path / "data"
    shutil.copytree(MINI_DIR, target)
    return target


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_app(port: int, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    """`streamlit run` the real app from the repo root, as `make run` does."""
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard/app.py",
         "--server.port", str(port), "--server.address", "127.0.0.1"],
        cwd=REPO, env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2):
                return process
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError("the app did not become healthy within 60 s")


@pytest.fixture(scope="session")
def app_url() -> Iterator[str]:
    port = free_port()
    process = start_app(port)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = f"browser tests need Debian's chromium at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()
