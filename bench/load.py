"""`make load`: 20 browser sessions at once against one server, each changing the metric;
then 40 through nginx in front of two replicas (`deploy/serve.py`).

One headless Chromium, one context, 20 pages started together. Each page loads `/`, waits
for the choropleth (all 34 province paths), opens the "Commitment" selectbox and picks
another option, then waits until the map and the ranked bars both carry the new metric's
title. Every page must finish and none may show `[data-testid=stException]`. The server's
RSS is sampled throughout. Prints p95 times and peak RSS; writes bench/load_results.json.

Through nginx each session has its own browser context (so its own affinity cookie, as
separate viewers would) and records which replica served it; each replica's RSS is sampled.

Bounded: one attempt per page, per-step timeouts, and an overall deadline; the servers are
killed in finally blocks. Loopback only.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import sys
import threading
import time
from pathlib import Path
from typing import Any

import psutil

from bench import common as c

RESULTS = Path(__file__).resolve().parent / "load_results.json"
PAGES = 20
NGINX_PAGES = 40
# 40 contexts (each its own HTTP cache and plotly.js compile) starve a 2-core machine's
# Chromium long before the servers; 8 browsers' worth of cookies still spread the replicas.
NGINX_CONTEXTS = 8
# One 2-core machine runs the browser and both replicas: 40 pages drawing plotly maps at
# once starve Chromium itself (no map within 120 s). So 8 sessions load at a time, and each
# stays connected once done: at the end all 40 are open on the replicas.
NGINX_BUSY = 8
STEP_TIMEOUT_MS = 120_000
OVERALL_TIMEOUT_S = 420.0
MAP_SELECTOR = (".choroplethlayer path", 34)
METRIC_LABEL = "Commitment"

# True once every chart title names `label` and the map is drawn: the rerun finished and
# no stale element from the previous run is left.
TITLES_SHOW = r"""
(label) => {
  // Spaces removed: a wrapped title's lines join without one in textContent.
  const squash = (text) => text.replace(/\s+/g, '');
  const titles = [...document.querySelectorAll('.gtitle')].map(e => squash(e.textContent));
  return titles.length >= 2 && titles.every(t => t.includes(squash(label))) &&
    document.querySelectorAll('.choroplethlayer path').length >= 34;
}
"""


VALUE_CHANGED = """
([label, before]) => {
  const field = document.querySelector(`input[aria-label="${label}"]`);
  return field !== null && field.value !== before;
}
"""


async def one_session(context, url: str, index: int, keep: list | None = None) -> dict[str, Any]:
    """Load the map and change the metric; the page is closed, or left open in `keep`."""
    page = await context.new_page()
    row: dict[str, Any] = {"page": index, "ok": False}
    try:
        await page.add_init_script(c.drawn_script(*MAP_SELECTOR))
        t0 = time.perf_counter()
        response = await page.goto(url, wait_until="commit", timeout=STEP_TIMEOUT_MS)
        if response is not None and "x-replica" in response.headers:
            row["replica"] = response.headers["x-replica"]
        await page.wait_for_function(
            "window.__drawnAt !== undefined", timeout=STEP_TIMEOUT_MS, polling=100
        )
        row["load_ms"] = float(await page.evaluate("window.__drawnAt"))
        row["load_wall_ms"] = (time.perf_counter() - t0) * 1000

        combo = page.get_by_role("combobox", name=METRIC_LABEL)
        current = await combo.input_value()
        t1 = time.perf_counter()
        # The arrow button opens the full list (clicking the text field may filter it).
        await (
            page.get_by_test_id("stSelectbox")
            .filter(has=combo)
            .get_by_role("button", name="Open")
            .click(timeout=STEP_TIMEOUT_MS)
        )
        await page.wait_for_function(
            "document.querySelectorAll('[role=option]').length >= 2",
            timeout=STEP_TIMEOUT_MS,
            polling=100,
        )
        labels = await page.get_by_role("option").all_inner_texts()
        choices = [label for label in labels if label.strip() and label != current]
        # Spread the sessions over the options, so the server builds different maps.
        chosen = choices[index % len(choices)]
        await page.get_by_role("option", name=chosen, exact=True).click(timeout=STEP_TIMEOUT_MS)
        # Whatever the click landed on, the field now shows it; the charts must follow.
        await page.wait_for_function(
            VALUE_CHANGED, arg=[METRIC_LABEL, current], timeout=STEP_TIMEOUT_MS, polling=100
        )
        chosen = await combo.input_value()
        row["metric"] = chosen
        await page.wait_for_function(
            TITLES_SHOW, arg=chosen.split(" (")[0], timeout=STEP_TIMEOUT_MS, polling=100
        )
        row["change_ms"] = (time.perf_counter() - t1) * 1000
        row["exceptions"] = await page.locator("[data-testid=stException]").count()
        row["ok"] = row["exceptions"] == 0
    except Exception as error:  # one failed page is a result, not a crash of the run
        row["error"] = f"{type(error).__name__}: {str(error).splitlines()[0][:200]}"
        with contextlib.suppress(Exception):
            row["titles_at_error"] = await page.evaluate(
                "[...document.querySelectorAll('.gtitle')].map(e => e.textContent)"
            )
    finally:
        if keep is None:
            await page.close()
        else:
            keep.append(page)
    return row


async def run_pages(
    url: str, pages: int, contexts: int = 1, busy: int | None = None
) -> tuple[list[dict[str, Any]], str]:
    """`pages` sessions, spread over `contexts` browser contexts (each its own cookies, so
    through nginx its own replica, like separate viewers' browsers).

    With `busy`, at most that many sessions load and click at a time, and every finished
    session stays open (connected to its server) until all are done.
    """
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=c.CHROMIUM, args=c.CHROMIUM_ARGS)
        try:
            # bypass_csp: the waits below are Playwright string predicates (an eval), which
            # nginx's policy forbids; tests/test_deploy.py checks the pages under it.
            opened = [await browser.new_context(bypass_csp=True) for _ in range(contexts)]
            gate = asyncio.Semaphore(busy or pages)
            kept: list | None = [] if busy else None

            async def session(i: int) -> dict[str, Any]:
                async with gate:
                    return await one_session(opened[i % contexts], url, i, kept)

            tasks = [asyncio.create_task(session(i)) for i in range(pages)]
            done, pending = await asyncio.wait(tasks, timeout=OVERALL_TIMEOUT_S)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
            rows = [
                task.result()
                if task in done
                else {"page": i, "ok": False, "error": f"not done in {OVERALL_TIMEOUT_S:.0f} s"}
                for i, task in enumerate(tasks)
            ]
            if kept:
                print(f"{len(kept)} sessions open at once at the end", flush=True)
            for context in opened:
                await context.close()
            return list(rows), browser.version
        finally:
            await browser.close()


class RssSampler(threading.Thread):
    """Samples the server's RSS every `interval` s until stopped."""

    def __init__(self, server: c.Server | Replica, interval: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.server, self.interval = server, interval
        self.samples: list[tuple[float, float]] = []
        self.halt = threading.Event()

    def run(self) -> None:
        start = time.monotonic()
        while not self.halt.is_set():
            try:
                self.samples.append((time.monotonic() - start, self.server.rss_mb()))
            except Exception:  # server gone: stop sampling
                return
            self.halt.wait(self.interval)


class Replica:
    """One replica process of `deploy.serve`, sampled like `c.Server`."""

    def __init__(self, port: int, process) -> None:
        self.port, self.process = port, process

    def rss_mb(self) -> float:
        return psutil.Process(self.process.pid).memory_info().rss / 2**20

    def cpu_s(self) -> float:
        times = psutil.Process(self.process.pid).cpu_times()
        return times.user + times.system


def run_nginx(pages: int = NGINX_PAGES, replicas: int = 2) -> dict[str, Any]:
    """`pages` sessions through nginx in front of `replicas` app processes."""
    from deploy import serve

    start = time.monotonic()
    run_dir = c.OUT / "run"
    ports = [c.free_port() for _ in range(replicas)]
    with serve.serve(c.free_port(), replicas, run_dir=run_dir, replica_ports=ports) as deployment:
        members = [Replica(port, process) for port, process in deployment.replicas.items()]
        idle = {m.port: m.rss_mb() for m in members}
        cpu_before = {m.port: m.cpu_s() for m in members}
        samplers = [RssSampler(m) for m in members]
        for sampler in samplers:
            sampler.start()
        try:
            rows, chromium = asyncio.run(
                run_pages(deployment.url + "/", pages, NGINX_CONTEXTS, NGINX_BUSY)
            )
        finally:
            for sampler in samplers:
                sampler.halt.set()
                sampler.join(timeout=5)
        per_replica = {}
        for member, sampler in zip(members, samplers, strict=True):
            address = f"127.0.0.1:{member.port}"
            per_replica[address] = {
                "sessions": sum(r.get("replica") == address for r in rows),
                "rss_mb": {
                    "idle": idle[member.port],
                    "peak": max([mb for _, mb in sampler.samples] or [idle[member.port]]),
                    "after": member.rss_mb(),
                },
                "cpu_s": member.cpu_s() - cpu_before[member.port],
            }
    ok = [r for r in rows if r["ok"]]
    loads = [r["load_ms"] for r in ok]
    changes = [r["change_ms"] for r in ok]
    return {
        "pages": pages,
        "replicas": replicas,
        "completed": len(ok),
        "all_ok": len(ok) == pages,
        "load_to_map_ms": {"median": c.median(loads), "p95": c.p95(loads)},
        "change_metric_ms": {"median": c.median(changes), "p95": c.p95(changes)},
        "per_replica": per_replica,
        "chromium": chromium,
        "seconds": round(time.monotonic() - start, 1),
        "sessions": rows,
    }


def _print_times(result: dict[str, Any]) -> None:
    for label, key in (("load to map  ", "load_to_map_ms"), ("change metric", "change_metric_ms")):
        times = result[key]
        print(f"{label} median {times['median']:>8,.0f} ms   p95 {times['p95']:>8,.0f} ms")


def report_nginx(result: dict[str, Any]) -> None:
    pages = result["pages"]
    print(
        f"through nginx, {result['replicas']} replicas: {result['completed']}/{pages} "
        "sessions completed without exception"
    )
    for row in result["sessions"]:
        if not row["ok"]:
            print(f"  page {row['page']}: {row.get('error') or 'exception shown'}")
    _print_times(result)
    for address, replica in result["per_replica"].items():
        rss = replica["rss_mb"]
        print(
            f"replica {address}: {replica['sessions']} sessions, RSS idle {rss['idle']:,.0f} MB"
            f"  peak {rss['peak']:,.0f} MB  after {rss['after']:,.0f} MB,"
            f" CPU {replica['cpu_s']:.1f} s"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--pages", type=int, default=PAGES)
    parser.add_argument("--nginx-pages", type=int, default=NGINX_PAGES)
    parser.add_argument(
        "--only", choices=("single", "nginx"), help="one of the two runs (default: both)"
    )
    args = parser.parse_args(argv)
    pages = max(1, min(args.pages, 50))
    if args.only == "nginx":
        result = {"through_nginx": run_nginx(max(1, min(args.nginx_pages, 50)))}
        report_nginx(result["through_nginx"])
        (c.OUT / "load-nginx.json").write_text(json.dumps(result, indent=1) + "\n", "utf-8")
        return 0 if result["through_nginx"]["all_ok"] else 1

    start = time.monotonic()
    with c.serve(c.APP, "load") as server:
        idle = server.rss_mb()
        cpu_before = server.cpu_s()
        sampler = RssSampler(server)
        sampler.start()
        try:
            rows, chromium = asyncio.run(run_pages(server.url + "/", pages))
        finally:
            sampler.halt.set()
            sampler.join(timeout=5)
        after = server.rss_mb()
        server_cpu = server.cpu_s() - cpu_before

    ok = [r for r in rows if r["ok"]]
    loads = [r["load_ms"] for r in ok]
    changes = [r["change_ms"] for r in ok]
    rss = [mb for _, mb in sampler.samples] or [idle]
    result = {
        "pages": pages,
        "completed": len(ok),
        "all_ok": len(ok) == pages,
        "load_to_map_ms": {"median": c.median(loads), "p95": c.p95(loads)},
        "change_metric_ms": {"median": c.median(changes), "p95": c.p95(changes)},
        "rss_mb": {"idle": idle, "peak": max(rss), "after": after},
        "server_cpu_s": server_cpu,
        "chromium": chromium,
        "seconds": round(time.monotonic() - start, 1),
        "sessions": rows,
    }
    if args.only != "single":
        result["through_nginx"] = run_nginx(max(1, min(args.nginx_pages, 50)))
    RESULTS.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", "utf-8")

    print(f"{len(ok)}/{pages} sessions completed without exception (Chromium {chromium})")
    for row in rows:
        if not row["ok"]:
            print(f"  page {row['page']}: {row.get('error') or 'exception shown'}")
    _print_times(result)
    print(f"server RSS    idle {idle:,.0f} MB   peak {max(rss):,.0f} MB   after {after:,.0f} MB")
    print(f"server CPU    {server_cpu:.1f} s for {pages} sessions (load + one metric change each)")
    nginx = result.get("through_nginx")
    if nginx is not None:
        report_nginx(nginx)
    print(f"wrote {RESULTS.relative_to(c.ROOT)}")
    return 0 if result["all_ok"] and (nginx is None or nginx["all_ok"]) else 1


if __name__ == "__main__":
    sys.exit(main())
