"""`make load`: 20 browser sessions at once against one server, each changing the metric.

One headless Chromium, one context, 20 pages started together. Each page loads `/`, waits
for the choropleth (all 34 province paths), opens the "Commitment" selectbox and picks
another option, then waits until the map and the ranked bars both carry the new metric's
title. Every page must finish and none may show `[data-testid=stException]`. The server's
RSS is sampled throughout. Prints p95 times and peak RSS; writes bench/load_results.json.

Bounded: one attempt per page, per-step timeouts, and an overall deadline; the server is
killed in a finally block.
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

from bench import common as c

RESULTS = Path(__file__).resolve().parent / "load_results.json"
PAGES = 20
STEP_TIMEOUT_MS = 120_000
OVERALL_TIMEOUT_S = 420.0
MAP_SELECTOR = (".choroplethlayer path", 34)
METRIC_LABEL = "Commitment"

# True once every chart title names `label` and the map is drawn: the rerun finished and
# no stale element from the previous run is left.
TITLES_SHOW = """
(label) => {
  const titles = [...document.querySelectorAll('.gtitle')].map(e => e.textContent);
  return titles.length >= 2 && titles.every(t => t.includes(label)) &&
    document.querySelectorAll('.choroplethlayer path').length >= 34;
}
"""


VALUE_CHANGED = """
([label, before]) => {
  const field = document.querySelector(`input[aria-label="${label}"]`);
  return field !== null && field.value !== before;
}
"""


async def one_session(context, url: str, index: int) -> dict[str, Any]:
    page = await context.new_page()
    row: dict[str, Any] = {"page": index, "ok": False}
    try:
        await page.add_init_script(c.drawn_script(*MAP_SELECTOR))
        t0 = time.perf_counter()
        await page.goto(url, wait_until="commit", timeout=STEP_TIMEOUT_MS)
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
        await page.close()
    return row


async def run_pages(url: str, pages: int) -> tuple[list[dict[str, Any]], str]:
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=c.CHROMIUM, args=c.CHROMIUM_ARGS)
        try:
            context = await browser.new_context()
            tasks = [asyncio.create_task(one_session(context, url, i)) for i in range(pages)]
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
            await context.close()
            return list(rows), browser.version
        finally:
            await browser.close()


class RssSampler(threading.Thread):
    """Samples the server's RSS every `interval` s until stopped."""

    def __init__(self, server: c.Server, interval: float = 0.2) -> None:
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--pages", type=int, default=PAGES)
    args = parser.parse_args(argv)
    pages = max(1, min(args.pages, 50))

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
    RESULTS.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", "utf-8")

    print(f"{len(ok)}/{pages} sessions completed without exception (Chromium {chromium})")
    for row in rows:
        if not row["ok"]:
            print(f"  page {row['page']}: {row.get('error') or 'exception shown'}")
    print(
        f"load to map   median {result['load_to_map_ms']['median']:>8,.0f} ms"
        f"   p95 {result['load_to_map_ms']['p95']:>8,.0f} ms"
    )
    print(
        f"change metric median {result['change_metric_ms']['median']:>8,.0f} ms"
        f"   p95 {result['change_metric_ms']['p95']:>8,.0f} ms"
    )
    print(f"server RSS    idle {idle:,.0f} MB   peak {max(rss):,.0f} MB   after {after:,.0f} MB")
    print(f"server CPU    {server_cpu:.1f} s for {pages} sessions (load + one metric change each)")
    print(f"wrote {RESULTS.relative_to(c.ROOT)} in {result['seconds']:.0f} s")
    return 0 if result["all_ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
