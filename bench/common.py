"""Shared plumbing for `bench.run` and `bench.load`: servers, the browser, statistics.

Every server is started on a free local port, waited for on /_stcore/health and killed in a
finally block; the browser only ever talks to 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import math
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "dashboard" / "app.py"
APPS = Path(__file__).resolve().parent / "apps"
NAIVE = APPS / "naive.py"
FLOOR = APPS / "floor.py"
MAPONLY = APPS / "maponly.py"
OUT = Path(__file__).resolve().parent / "out"  # scratch (gitignored): logs, profiles

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
HOST = "127.0.0.1"
START_TIMEOUT_S = 60.0

# The page records, from an init script, the moment `selector` first matches `count`
# elements: performance.now() is measured from the navigation start of that page.
DRAWN_SCRIPT = """
(() => {
  const [selector, count] = %s;
  const check = () => {
    if (window.__drawnAt === undefined &&
        document.querySelectorAll(selector).length >= count) {
      window.__drawnAt = performance.now();
    }
    return window.__drawnAt !== undefined;
  };
  new MutationObserver((_, observer) => { if (check()) observer.disconnect(); })
    .observe(document, {childList: true, subtree: true});
})();
"""


def free_port() -> int:
    """A port the OS says is free now (bind to 0); tiny race, fine for a benchmark."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    process: subprocess.Popen
    port: int
    script: Path

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def rss_mb(self) -> float:
        """Resident memory of the server process (and any children), MB."""
        proc = psutil.Process(self.process.pid)
        total = proc.memory_info().rss
        for child in proc.children(recursive=True):
            with contextlib.suppress(psutil.Error):
                total += child.memory_info().rss
        return total / 2**20

    def cpu_s(self) -> float:
        """CPU seconds (user + system) the server process has used so far."""
        times = psutil.Process(self.process.pid).cpu_times()
        return times.user + times.system


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@contextlib.contextmanager
def serve(script: Path, log_name: str) -> Iterator[Server]:
    """Run `streamlit run script` from the repo root (so .streamlit/config.toml applies)."""
    OUT.mkdir(parents=True, exist_ok=True)
    port = free_port()
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script),
        "--server.port",
        str(port),
        "--server.address",
        HOST,
        "--server.headless",
        "true",
        "--server.enableStaticServing",
        "true",
        "--browser.gatherUsageStats",
        "false",
    ]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with open(OUT / f"{log_name}.log", "ab") as log:
        process = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=env)
    server = Server(process, port, script)
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while not _healthy(server.url):
            if process.poll() is not None:
                raise RuntimeError(f"{script.name} exited; see {OUT / log_name}.log")
            if time.monotonic() > deadline:
                raise RuntimeError(f"{script.name} not healthy after {START_TIMEOUT_S} s")
            time.sleep(0.1)
        yield server
    finally:
        stop(process)


def stop(process: subprocess.Popen) -> None:
    """Terminate one process we started (by its pid), then kill it if it lingers."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def drawn_script(selector: str, count: int) -> str:
    import json

    return DRAWN_SCRIPT % json.dumps([selector, count])


def median(values: Sequence[float]) -> float:
    return float(statistics.median(values)) if values else math.nan


def p95(values: Sequence[float]) -> float:
    """Nearest-rank 95th percentile (with 20 samples: the 19th smallest)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return float(ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)])


@contextlib.contextmanager
def serve_static(folder: Path, log_name: str) -> Iterator[str]:
    """Serve `folder` (the published edition) with Python's http.server on a free local
    port: any static host would do; this one is in the standard library. Yields the URL."""
    OUT.mkdir(parents=True, exist_ok=True)
    port = free_port()
    cmd = [sys.executable, "-m", "http.server", str(port), "--bind", HOST, "--directory",
           str(folder)]  # fmt: skip
    with open(OUT / f"{log_name}.log", "ab") as log:
        process = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://{HOST}:{port}/"
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            try:
                urllib.request.urlopen(url + "index.html", timeout=2).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"static server for {folder} did not start") from None
                time.sleep(0.1)
        yield url
    finally:
        stop(process)
