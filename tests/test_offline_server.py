"""The server itself makes no outbound request at start (issue 20).

Streamlit, when headless and bound to every interface (as `make run` starts it), asks
checkip.amazonaws.com for the machine's external address to print an "External URL".
`.streamlit/config.toml` sets `browser.serverAddress` so it prints one URL and asks no one.
This test starts the app with every proxy variable pointed at a local socket that records
what connects to it: `requests` and `urllib` honour those variables, so a lookup shows up
there (as `GET http://checkip.amazonaws.com/` or `CONNECT checkip.amazonaws.com:443`).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
import tomllib
import urllib.request

import pytest
from conftest import REPO, free_port

pytestmark = pytest.mark.slow


class ConnectionRecorder:
    """A TCP listener on 127.0.0.1 that records the first bytes of every connection."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.server.settimeout(0.2)
        self.port = self.server.getsockname()[1]
        self.seen: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self.server.accept()
            except TimeoutError:
                continue
            with connection:
                connection.settimeout(1)
                try:
                    first = connection.recv(200)
                except OSError:
                    first = b""
                # Closing without an answer makes the client give up at once.
                self.seen.append(first or b"(connected, sent nothing)")

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.server.close()


def test_server_makes_no_outbound_request_at_start() -> None:
    recorder = ConnectionRecorder()
    proxy = f"http://127.0.0.1:{recorder.port}"
    port = free_port()
    env = {
        **os.environ,
        **{name: proxy for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")},
        **{name.lower(): proxy for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")},
        "NO_PROXY": "127.0.0.1,localhost,::1",
        "no_proxy": "127.0.0.1,localhost,::1",
        "PYTHONUNBUFFERED": "1",
    }
    # `make run`'s command line: no --server.address, so the server binds every interface,
    # which is the case where Streamlit looks up the external address (a specific
    # --server.address, as the other tests and deploy/serve.py pass, skips it anyway).
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "dashboard/app.py", "--server.port", str(port)],
        cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    output: list[str] = []
    reader = threading.Thread(target=lambda: output.extend(process.stdout), daemon=True)
    reader.start()
    # The test's own requests go straight to the app, whatever this process's environment.
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        # The URLs are printed after the lookup returns, so once a URL line is out the
        # lookup, if any, is over.
        deadline = time.monotonic() + 60
        while not any("URL:" in line for line in output):
            assert process.poll() is None, "".join(output)
            assert time.monotonic() < deadline, "no URL printed within 60 s:\n" + "".join(output)
            time.sleep(0.2)
        url = re.search(r"URL: (\S+)", "".join(output)).group(1)
        assert url == f"http://localhost:{port}", "".join(output)
        for path in ("/_stcore/health", "/"):
            with direct.open(url + path, timeout=10) as response:
                assert response.status == 200
        time.sleep(2)  # anything else started in a thread at start
    finally:
        process.terminate()
        process.wait(timeout=20)
        reader.join(timeout=5)
        recorder.close()

    log = "".join(output)
    assert recorder.seen == [], f"outbound connections through the proxy: {recorder.seen}"
    assert "external ip" not in log.lower(), log
    assert "External URL" not in log, log


def test_config_keeps_telemetry_off_and_crash_pages_without_outside_links() -> None:
    from streamlit import config

    options = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    known = config.get_config_options()
    for section, values in options.items():
        for key in values:
            assert f"{section}.{key}" in known, f"{section}.{key}: not a Streamlit option"
    assert options["browser"]["gatherUsageStats"] is False
    assert options["client"]["showErrorLinks"] is False, "Google and ChatGPT are off the host"
    assert options["client"]["showErrorDetails"] == "none", "no traceback for a reader"
