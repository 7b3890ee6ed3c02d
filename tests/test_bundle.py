"""The offline bundle (`make bundle`): unpack, install with every index disabled, run, draw.

Deselected by default (building the wheelhouse downloads ~200 MB); `.ci/run` runs it once
after `make test` with `make bundle && .venv/bin/python -m pytest -m bundle`.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import time
from pathlib import Path
from urllib.parse import urlparse

import psutil
import pytest

from bench.common import free_port
from deploy.serve import stop, wait_healthy

pytestmark = [pytest.mark.bundle, pytest.mark.browser, pytest.mark.slow]

REPO = Path(__file__).resolve().parent.parent
MAP_PATHS = ".choroplethlayer path"
# Every way pip could reach an index or a local wheel folder of this machine, shut.
NO_INDEX = {
    "PIP_NO_INDEX": "1",
    "PIP_INDEX_URL": "http://127.0.0.1:9/nowhere",
    "PIP_EXTRA_INDEX_URL": "",
    "PIP_FIND_LINKS": "",
    "PIP_CONFIG_FILE": os.devnull,
    "PIP_CONSTRAINT": "",
    "PIP_NO_CACHE_DIR": "1",
}


def the_bundle() -> Path:
    bundles = sorted((REPO / "dist").glob("china-ai-provinces-*.tar.gz"))
    if not bundles:
        pytest.fail("no bundle in dist/: run `make bundle` first")
    return max(bundles, key=lambda p: p.stat().st_mtime)


def test_bundle_installs_offline_and_draws_the_map(tmp_path: Path, browser) -> None:
    bundle = the_bundle()
    with tarfile.open(bundle) as archive:
        names = archive.getnames()
        archive.extractall(tmp_path, filter="data")
    (root,) = {name.split("/")[0] for name in names}
    folder = tmp_path / root
    needed = ["install.sh", "run.sh", "requirements.txt", "LICENSE", "README.md",
              "dashboard/app.py", "dashboard/static/world_110m.json", "data/regions.csv",
              "geo/provinces.geojson", ".streamlit/config.toml"]  # fmt: skip
    for path in needed:
        assert (folder / path).exists(), path
    assert not any("/tests/" in n or "/.venv/" in n or "__pycache__" in n for n in names)
    wheels = list((folder / "wheelhouse").glob("*.whl"))
    pins = [
        line.split("==")[0]
        for line in (folder / "requirements.txt").read_text(encoding="utf-8").splitlines()
        if "==" in line and not line.startswith("#")
    ]
    assert len(wheels) >= len(pins), "a wheel for every pinned requirement"

    env = {**os.environ, **NO_INDEX, "PYTHON": sys._base_executable}
    started = time.monotonic()
    subprocess.run([str(folder / "install.sh")], env=env, check=True, timeout=600)
    install_s = time.monotonic() - started
    python = folder / ".venv" / "bin" / "python"
    assert python.exists()

    port = free_port()
    run_env = {k: v for k, v in env.items() if k not in ("DATA_DIR", "PYTHONPATH")}
    run_env.update({"PORT": str(port), "ADDRESS": "127.0.0.1"})
    log = open(tmp_path / "run.log", "wb")  # noqa: SIM115 (the child writes to it)
    process = subprocess.Popen(
        [str(folder / "run.sh")], env=run_env, stdout=log, stderr=subprocess.STDOUT,
        cwd=tmp_path, start_new_session=True,
    )  # fmt: skip
    try:
        url = f"http://127.0.0.1:{port}"
        wait_healthy(url, process, 90)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        outside: list[str] = []
        context.on(
            "request",
            lambda r: (
                outside.append(r.url)
                if urlparse(r.url).scheme in ("http", "https", "ws", "wss")
                and urlparse(r.url).netloc != f"127.0.0.1:{port}"
                else None
            ),
        )
        try:
            page = context.new_page()
            page.goto(url + "/")
            page.locator(MAP_PATHS).nth(33).wait_for(state="attached", timeout=90_000)
            page.wait_for_timeout(1000)
            assert page.locator("[data-testid=stException]").count() == 0
            assert outside == [], "requests left the host"
        finally:
            context.close()
        # It runs from the unpacked folder's own venv, not this checkout.
        server = psutil.Process(process.pid)
        assert server.cwd() == str(folder) and server.cmdline()[0].endswith(".venv/bin/python")
    finally:
        stop(process)
        log.close()
    size_mb = bundle.stat().st_size / 2**20
    print(f"\nbundle {bundle.name}: {size_mb:.0f} MB, {len(wheels)} wheels; "
          f"offline install {install_s:.0f} s")  # fmt: skip
