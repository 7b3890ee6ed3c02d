"""Replicas behind nginx (`deploy/`): the configuration, its headers and CSP, and failover.

Two app replicas and nginx run on free loopback ports with their pid, log and temp files in
a temporary folder; everything is stopped at the end. Needs Debian's nginx and chromium:
skipped (loudly) without them, failed under CI=true.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import Request, urlopen

import pytest

from bench.common import free_port
from deploy import serve

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

pytestmark = [pytest.mark.browser, pytest.mark.slow]

MAP_PATHS = ".choroplethlayer path"
ERRORS = "[data-testid=stException], [role=dialog]:has-text('Connection error')"

# Ten views, each a link, with what must be on screen when it shows that view.
VIEWS: list[tuple[str, str, str]] = [
    ("/?metric=project_cap&province=440000", "heading", "Guangdong"),
    ("/compare?provinces=340000,320000", "heading", "Jiangsu"),
    ("/screener", "heading", "Investor screener"),
    ("/sources", "heading", "Data and sources"),
    ("/?lang=zh", "heading", "中国各省“人工智能+”政策承诺"),
    ("/regions", "heading", "Regional strategies"),
    ("/?metric=compute_target_eflops", "title", "Computing-power target"),
    ("/compare?provinces=440000,310000", "heading", "Shanghai"),
    ("/?province=510000", "heading", "Sichuan"),
    ("/screener?lang=zh", "heading", "投资筛选"),
]


def marker(page, kind: str, text: str):
    """The element that shows a view is on screen."""
    if kind == "title":
        return page.locator(".gtitle", has_text=text).first
    return page.get_by_role("heading", name=text, exact=True).first


def need_nginx() -> None:
    if not Path(serve.NGINX).exists():
        message = "the deployment tests need Debian's nginx (apt-get install nginx)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def test_rendered_config_is_valid_nginx(tmp_path: Path) -> None:
    need_nginx()
    conf = tmp_path / "nginx.conf"
    conf.write_text(serve.render_config(18080, [18081, 18082], tmp_path), encoding="utf-8")
    (tmp_path / "nginx-tmp").mkdir()
    result = subprocess.run(
        [serve.NGINX, "-t", "-p", str(tmp_path), "-c", str(conf), "-e", str(tmp_path / "e.log")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    text = conf.read_text(encoding="utf-8")
    assert "ip_hash" not in text.replace("Not ip_hash", "")
    assert "hash $affinity consistent" in text
    assert "server 127.0.0.1:18081" in text and "server 127.0.0.1:18082" in text


def test_csp_has_nothing_from_other_hosts() -> None:
    policy = serve.content_security_policy()
    assert "frame-ancestors 'self'" in policy and "object-src 'none'" in policy
    assert "unsafe-eval" not in policy and "http" not in policy and "*" not in policy
    script = next(p for p in policy.split("; ") if p.startswith("script-src"))
    assert "'unsafe-inline'" not in script and "'sha256-" in script


@pytest.fixture(scope="module")
def deployment(tmp_path_factory) -> Iterator[serve.Deployment]:
    need_nginx()
    run_dir = tmp_path_factory.mktemp("run")
    port = free_port()
    replica_ports = [free_port(), free_port()]
    # The published edition nginx serves under /edition/, built here: CI has no site/. In
    # a folder nginx's workers can read (run as root, they drop to an unprivileged user,
    # and pytest's temporary folders are private).
    import shutil
    import tempfile

    from dashboard.publish import publish

    readable = Path(tempfile.mkdtemp(prefix="edition-"))
    readable.chmod(0o755)
    site = readable / "site"
    publish(site)
    try:
        with serve.serve(
            port, 2, run_dir=run_dir, replica_ports=replica_ports, site_dir=site
        ) as running:
            yield running
    finally:
        shutil.rmtree(readable, ignore_errors=True)


def record(context, host: str) -> list[str]:
    """Every request of `context` that leaves `host`."""
    outside: list[str] = []

    def check(request) -> None:
        url = urlparse(request.url)
        if url.scheme in ("http", "https", "ws", "wss") and url.netloc != host:
            outside.append(request.url)

    context.on("request", check)
    return outside


def watch_socket(ws, sockets: list[dict]) -> None:
    entry = {"url": ws.url, "frames": 0}
    sockets.append(entry)

    def count(_frame) -> None:
        entry["frames"] += 1

    ws.on("framereceived", count)


def test_headers_and_affinity_cookie(deployment) -> None:
    with urlopen(deployment.url + "/", timeout=10) as response:
        headers = response.headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "frame-ancestors 'self'" in headers["Content-Security-Policy"]
    cookie = headers["Set-Cookie"]
    assert cookie.startswith("stsrv=") and "HttpOnly" in cookie
    # The same cookie always reaches the same replica; a returning browser gets no new one.
    value = cookie.split(";")[0]
    replicas = set()
    for _ in range(5):
        request = Request(deployment.url + "/_stcore/health", headers={"Cookie": value})
        with urlopen(request, timeout=10) as response:
            replicas.add(response.headers["X-Replica"])
            cookies = response.headers.get_all("Set-Cookie") or []
            assert not any(c.startswith("stsrv=") for c in cookies)
    assert len(replicas) == 1
    # Geometry is compressed on the way.
    request = Request(
        deployment.url + "/app/static/provinces.geojson", headers={"Accept-Encoding": "gzip"}
    )
    with urlopen(request, timeout=10) as response:
        if response.status == 200:
            assert response.headers["Content-Encoding"] == "gzip"


def test_socket_opens_for_a_named_host_behind_nginx(deployment) -> None:
    """A browser on an intranet name and nginx's port: the app's WebSocket must open.

    Streamlit compares the socket's Origin with the Host it receives; nginx passing Host
    without the port made them differ, and Streamlit answered 403 (and looked up the
    machine's external address on the internet for each socket).
    """
    import base64
    import socket

    port = int(urlparse(deployment.url).port)
    name = f"dashboard.intranet:{port}"
    key = base64.b64encode(os.urandom(16)).decode()
    handshake = (
        f"GET /_stcore/stream HTTP/1.1\r\nHost: {name}\r\nUpgrade: websocket\r\n"
        f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
        f"Origin: http://{name}\r\nSec-WebSocket-Protocol: streamlit\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(handshake.encode())
        status = connection.recv(200).split(b"\r\n", 1)[0].decode()
    assert status.startswith("HTTP/1.1 101"), status


def test_pages_draw_under_the_csp(deployment, browser) -> None:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    outside = record(context, urlparse(deployment.url).netloc)
    violations: list[str] = []
    try:
        page = context.new_page()
        page.on(
            "console",
            lambda m: violations.append(m.text) if "Content Security Policy" in m.text else None,
        )
        views = ("/", "/?lang=zh", "/screener", "/regions", "/compare?provinces=340000,320000",
                 "/timeline", "/sources", "/edition/index.html")  # fmt: skip
        for path in views:
            response = page.goto(deployment.url + path)
            assert "frame-ancestors 'self'" in response.headers["content-security-policy"]
            # Locator waits, not wait_for_function: Playwright's string predicates are
            # an eval, which this very policy forbids.
            if path.startswith("/edition/"):
                # The published edition under the same headers: its SVG map, no script inline.
                page.locator("svg path[data-adcode]").nth(30).wait_for(state="attached")
                page.wait_for_timeout(500)
                continue
            if path in ("/", "/?lang=zh", "/screener"):
                page.locator(MAP_PATHS).nth(33).wait_for(state="attached", timeout=60_000)
                drawn = page.locator(MAP_PATHS).evaluate_all(
                    "paths => paths.filter(p => (p.getAttribute('d') || '').length > 20).length"
                )
                assert drawn >= 34, "every province is drawn under the policy"
            else:
                page.locator("h1").first.wait_for(timeout=60_000)
            page.wait_for_timeout(1000)
            assert page.locator(ERRORS).count() == 0, path
        page.screenshot(path=ARTIFACTS / "csp-sources.png")
        assert violations == []
        assert outside == []
    finally:
        context.close()


def test_sessions_on_a_killed_replica_come_back_with_their_view(deployment, browser) -> None:
    host = urlparse(deployment.url).netloc
    sessions: list[dict] = []
    try:
        # Open the ten views together (2 cores: the replicas render them in turn).
        for path, kind, text in VIEWS:
            context = browser.new_context(viewport={"width": 1200, "height": 900})
            outside = record(context, host)
            page = context.new_page()
            sockets: list[dict] = []
            page.on("websocket", lambda ws, sockets=sockets: watch_socket(ws, sockets))
            response = page.goto(deployment.url + path, wait_until="commit")
            sessions.append(
                {"path": path, "view": (kind, text), "context": context, "page": page,
                 "replica": response.headers["x-replica"], "sockets": sockets,
                 "outside": outside}
            )  # fmt: skip
        for session in sessions:
            marker(session["page"], *session["view"]).wait_for(timeout=90_000)
            session["url"] = session["page"].url
        counts = {r: sum(s["replica"] == r for s in sessions) for r in deployment_addrs(sessions)}
        victim = max(counts, key=counts.get)
        moved = [s for s in sessions if s["replica"] == victim]
        for session in moved:
            session["before"] = len(session["sockets"])
        killed_at = time.monotonic()
        deployment.kill_replica(int(victim.rsplit(":", 1)[1]))
        reconnected: list[float] = []
        recovered: list[float] = []
        pending = list(moved)
        while pending and time.monotonic() < killed_at + 60:
            for session in list(pending):
                page, new = session["page"], session["sockets"][session["before"] :]
                rerun = any(ws["frames"] >= 3 for ws in new)
                if new and not rerun and time.monotonic() >= session.get("next_key", 0):
                    # Streamlit's client reconnects by itself (nginx sends the socket to the
                    # live replica) and keeps showing the view, but reruns only on the
                    # viewer's next action: "r" is Streamlit's rerun key (again every 2 s,
                    # in case it came before the client was ready).
                    if "reconnected" not in session:
                        session["reconnected"] = time.monotonic() - killed_at
                        reconnected.append(session["reconnected"])
                    session["next_key"] = time.monotonic() + 2
                    page.mouse.click(600, 30)
                    page.keyboard.press("r")
                if rerun and marker(page, *session["view"]).is_visible():
                    pending.remove(session)
                    recovered.append(time.monotonic() - killed_at)
            # Not time.sleep: the sync API delivers page events only inside its own calls.
            sessions[0]["page"].wait_for_timeout(100)
        for index, session in enumerate(pending):
            session["page"].screenshot(path=ARTIFACTS / f"failover-pending-{index}.png")
        assert not pending, [(s["path"], s["sockets"]) for s in pending]
        # Let the reruns finish, then every session (moved or not) shows its view cleanly.
        sessions[0]["page"].wait_for_timeout(2000)
        for session in sessions:
            page = session["page"]
            assert page.url == session["url"], "the URL still holds the view"
            marker(page, *session["view"]).wait_for(timeout=30_000)
            assert page.locator(ERRORS).count() == 0, session["path"]
            assert session["outside"] == [], "requests left the host"
        print(
            f"\nfailover: replicas {counts}; killed {victim}; {len(moved)} sessions back "
            f"with their view: socket back in max {max(reconnected):.2f} s, view rerun on the "
            f"live replica in max {max(recovered):.2f} s "
            f"(median {sorted(recovered)[len(recovered) // 2]:.2f} s)"
        )
    finally:
        for session in sessions:
            session["context"].close()


def deployment_addrs(sessions: list[dict]) -> list[str]:
    return sorted({s["replica"] for s in sessions})
