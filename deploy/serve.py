"""`make serve`: REPLICAS identical Streamlit processes behind one nginx on localhost:PORT.

Replica i listens on 127.0.0.1:PORT+i (i = 1..REPLICAS) and writes .run/replica-i.pid;
nginx renders deploy/nginx.conf into .run/nginx.conf and runs in the foreground as the
current user. Ctrl-C (or SIGTERM) stops nginx and every replica this script started.

    python -m deploy.serve --port 8080 --replicas 2
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import hashlib
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = Path(__file__).resolve().parent / "nginx.conf"
RUN_DIR = ROOT / ".run"
SITE_DIR = ROOT / "site"  # the published edition (`make publish`), served under /edition/
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

# As strict as the app allows, found by trying (tests/test_deploy.py draws the pages under
# it and fails on any violation): everything from this origin only; no inline script but
# Streamlit's one-line `window.prerenderReady` (allowed by its hash, read from the
# installed index.html); inline styles for Streamlit's emotion styles and plotly's style
# attributes; data:/blob: images for plotly and the PNG export. `blob:` scripts: Streamlit
# loads a custom component's module (the main-column width probe, `ui.main_width`; the
# interface language, `ui.set_interface_language`) as a blob URL that its own script
# creates; only a script already allowed here can make one, so nothing from another host
# or inline in data can run.
CSP_DIRECTIVES = {
    "default-src": "'self'",
    "script-src": "'self' blob:",
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data: blob:",
    "font-src": "'self' data:",
    "connect-src": "'self'",
    "worker-src": "'self' blob:",
    "frame-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'self'",
}


def inline_script_hashes() -> list[str]:
    """CSP hashes of the inline scripts in the installed Streamlit's index.html."""
    import streamlit

    index = Path(streamlit.__file__).parent / "static" / "index.html"
    html = index.read_text(encoding="utf-8")
    bodies = re.findall(r"<script>(.*?)</script>", html, re.S)
    return [
        "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'"
        for body in bodies
    ]


def content_security_policy(**overrides: str) -> str:
    directives = {**CSP_DIRECTIVES, **overrides}
    directives["script-src"] = " ".join([directives["script-src"], *inline_script_hashes()])
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def render_config(
    listen: int,
    replica_ports: Sequence[int],
    run_dir: Path,
    csp: str | None = None,
    site_dir: Path = SITE_DIR,
) -> str:
    """deploy/nginx.conf with its @PLACEHOLDERS@ filled in."""
    upstreams = "\n".join(
        f"        server 127.0.0.1:{port} max_fails=1 fail_timeout=10s;" for port in replica_ports
    )
    text = TEMPLATE.read_text(encoding="utf-8")
    for name, value in {
        "@LISTEN@": f"127.0.0.1:{listen}",
        "@UPSTREAMS@": upstreams,
        "@RUN_DIR@": str(run_dir),
        "@CSP@": csp if csp is not None else content_security_policy(),
        "@SITE_DIR@": str(site_dir),
    }.items():
        text = text.replace(name, value)
    missing = re.findall(r"@[A-Z_]+@", text)
    assert not missing, f"placeholders left: {missing}"
    return text


def healthy(url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=timeout) as response:
            return response.status == 200
    except OSError:
        return False


def wait_healthy(url: str, process: subprocess.Popen, seconds: float = 90.0) -> None:
    deadline = time.monotonic() + seconds
    while not healthy(url):
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the process exited ({process.returncode})")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url}: not healthy after {seconds:.0f} s")
        time.sleep(0.2)


def replica_command(port: int) -> list[str]:
    return [
        sys.executable, "-m", "streamlit", "run", "dashboard/app.py",
        "--server.port", str(port), "--server.address", "127.0.0.1",
        "--server.headless", "true", "--browser.gatherUsageStats", "false",
    ]  # fmt: skip


@dataclass
class Deployment:
    """The processes of one `serve()`: replicas by port, and nginx."""

    port: int
    run_dir: Path
    replicas: dict[int, subprocess.Popen] = field(default_factory=dict)
    nginx: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def kill_replica(self, port: int) -> None:
        """Kill one replica outright (SIGKILL), as a crash would."""
        process = self.replicas[port]
        process.kill()
        process.wait(timeout=10)


def start_replica(port: int, index: int, run_dir: Path, env: dict[str, str]) -> subprocess.Popen:
    log = open(run_dir / f"replica-{index}.log", "ab")  # noqa: SIM115 (the child keeps it)
    process = subprocess.Popen(
        replica_command(port),
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # Ctrl-C reaches serve.py only, which stops them in turn
    )
    (run_dir / f"replica-{index}.pid").write_text(f"{process.pid}\n", encoding="utf-8")
    return process


@contextlib.contextmanager
def serve(
    port: int = 8080,
    replicas: int = 2,
    *,
    base_port: int | None = None,
    replica_ports: Sequence[int] | None = None,
    run_dir: Path = RUN_DIR,
    env: dict[str, str] | None = None,
    csp: str | None = None,
    site_dir: Path = SITE_DIR,
) -> Iterator[Deployment]:
    """Start the replicas and nginx, wait until both answer, stop all of them on exit."""
    run_dir = Path(run_dir).resolve()
    for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (run_dir / "nginx-tmp" / sub).mkdir(parents=True, exist_ok=True)
    base = port if base_port is None else base_port
    ports = list(replica_ports or [base + i for i in range(1, replicas + 1)])
    # One cookie secret for all replicas, so a signed cookie from one is valid on another.
    child_env = {
        **os.environ,
        "PYTHONUNBUFFERED": "1",
        "STREAMLIT_SERVER_COOKIE_SECRET": os.environ.get(
            "STREAMLIT_SERVER_COOKIE_SECRET", secrets.token_hex(16)
        ),
        **(env or {}),
    }
    deployment = Deployment(port, run_dir)
    try:
        for index, replica_port in enumerate(ports, start=1):
            deployment.replicas[replica_port] = start_replica(
                replica_port, index, run_dir, child_env
            )
        conf = run_dir / "nginx.conf"
        conf.write_text(render_config(port, ports, run_dir, csp, site_dir), encoding="utf-8")
        deployment.nginx = subprocess.Popen(
            [NGINX, "-p", str(run_dir), "-c", str(conf), "-e", str(run_dir / "nginx-error.log")],
            cwd=run_dir,
            start_new_session=True,
        )
        for replica_port, process in deployment.replicas.items():
            wait_healthy(f"http://127.0.0.1:{replica_port}", process)
        wait_healthy(deployment.url, deployment.nginx, 20)
        yield deployment
    finally:
        stop_all(deployment)


def stop(process: subprocess.Popen, seconds: float = 10.0) -> None:
    """Terminate one process this script started (by its handle), kill it if it lingers."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=seconds)


def stop_all(deployment: Deployment) -> None:
    if deployment.nginx is not None:
        stop(deployment.nginx)
    for index, process in enumerate(deployment.replicas.values(), start=1):
        stop(process)
        (deployment.run_dir / f"replica-{index}.pid").unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8080)))
    parser.add_argument("--replicas", type=int, default=int(os.environ.get("REPLICAS", 2)))
    args = parser.parse_args(argv)
    # Ctrl-C (even when started with SIGINT ignored, as `make ... &` does) and SIGTERM
    # raise KeyboardInterrupt: the finally blocks stop every process.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt))
    try:
        with serve(args.port, max(1, args.replicas)) as deployment:
            ports = ", ".join(str(p) for p in deployment.replicas)
            print(f"serving {deployment.url} (replicas on {ports}; Ctrl-C stops all)", flush=True)
            exited: set[int] = set()
            while True:
                for port, process in deployment.replicas.items():
                    if process.poll() is not None and port not in exited:
                        exited.add(port)
                        print(f"replica on {port} exited ({process.returncode})", flush=True)
                if deployment.nginx is not None and deployment.nginx.poll() is not None:
                    print("nginx exited; stopping", flush=True)
                    return 1
                time.sleep(5)
    except KeyboardInterrupt:
        print("stopped", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
