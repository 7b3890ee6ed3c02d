"""The published edition in headless Chromium: from file:// and over HTTP, hover, click,
phone width, Chinese throughout, /compare's like-only rule, and no request leaving the
machine. Screenshots go to tests/artifacts/ (docs/edition.png with UPDATE_SCREENSHOTS=1).
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

import pytest

from dashboard import publish, schema
from dashboard.comparison import split_like
from dashboard.i18n import TEXT
from dashboard.transform import build_metric, only

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "tests" / "artifacts"
PATHS = "svg.map path[data-adcode]"
ZH_PAGES = ["zh/index.html", "zh/map/fund.html", "zh/province/440000.html", "zh/regions.html",
            "zh/timeline.html", "zh/compare.html", "zh/sources.html"]  # fmt: skip
# Interface words that must not be left in English on a Chinese page.
UI_KEYS = ("page_map", "page_regions", "page_compare", "page_timeline", "page_sources",
           "no_figure", "ranked", "figures", "documents", "focus_tracks", "instruments",
           "strategy", "citations", "coverage", "downloads", "per_none", "per_capita",
           "not_covered", "instruments_note", "compare_pick", "shared_tracks")  # fmt: skip
UI_EXTRA = ("Compared:", "Not on the scale", "Source:", "Data as of", "rank ", "grade:",
            "Hover a province", "Published edition", "Other commitments")  # fmt: skip


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("edition") / "site"
    publish.publish(out)
    return out


@pytest.fixture(scope="module")
def http_url(site) -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "http.server", str(port), "--bind", "127.0.0.1",
         "--directory", str(site)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/index.html", timeout=2).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}/"
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextmanager
def opened(browser, url: str, width: int = 1400, height: int = 900):
    """A page that records every request not to this machine (file: or the test server)."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.outside = []
    page.errors = []
    host = urlparse(url).netloc

    def record(request) -> None:
        target = urlparse(request.url)
        if target.scheme not in ("file", "data", "about") and target.netloc != host:
            page.outside.append(request.url)

    page.on("request", record)
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    try:
        page.goto(url)
        yield page
    finally:
        context.close()


def shoot(page, name: str, *, docs: bool = False) -> None:
    import os
    import shutil

    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / name)
    if docs and os.environ.get("UPDATE_SCREENSHOTS") == "1":
        shutil.copy(ARTIFACTS / name, REPO / "docs" / name)


def drawn(page) -> int:
    page.wait_for_function(f"document.querySelectorAll('{PATHS}').length >= 34")
    return page.evaluate(
        f"[...document.querySelectorAll('{PATHS}')].filter(p => p.getBBox().width > 0).length"
    )


def test_map_draws_from_file(browser, site) -> None:
    with opened(browser, (site / "index.html").as_uri()) as page:
        assert drawn(page) == 34
        page.wait_for_timeout(300)
        assert page.outside == [] and page.errors == []
        shoot(page, "edition.png", docs=True)


def test_map_draws_over_http_and_nothing_leaves(browser, http_url) -> None:
    with opened(browser, http_url + "zh/map/fund.html") as page:
        assert drawn(page) == 34
        assert page.locator("svg.map circle.place").count() > 0  # the cities' money
        page.wait_for_timeout(300)
        assert page.outside == [] and page.errors == []


def test_hover_shows_the_figure_with_its_year(browser, site) -> None:
    with opened(browser, (site / "index.html").as_uri()) as page:
        drawn(page)
        page.wait_for_function("document.querySelector('[data-tip]') !== null")  # script ran
        beijing = page.locator(f"{PATHS}[data-adcode='110000']")
        box = beijing.bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        tip = page.locator("#tip")
        tip.wait_for(state="visible")
        text = tip.inner_text()
        assert "Beijing" in text and "200 EFLOPS" in text and "2027" in text
        assert "grade" in text  # the citation
        shoot(page, "edition-hover.png")


def test_click_opens_the_province_page(browser, site) -> None:
    with opened(browser, (site / "index.html").as_uri()) as page:
        drawn(page)
        page.locator(f"{PATHS}[data-adcode='510000']").click()  # no inset part
        page.wait_for_url(re.compile(r"province/510000\.html$"))
        assert page.locator("h1").inner_text() == "Sichuan"
        assert page.outside == []


@pytest.mark.parametrize(
    "path", ["index.html", "zh/map/fund.html", "zh/province/340000.html", "regions.html",
             "compare.html", "zh/sources.html"]
)  # fmt: skip
def test_phone_width_has_no_sideways_scroll_and_the_legend_covers_nothing(
    browser, site, path
) -> None:
    with opened(browser, (site / path).as_uri(), width=390, height=844) as page:
        page.wait_for_load_state("load")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} scrolls sideways ({width} px)"
        if page.locator("svg.map").count():
            drawn(page)
            svg = page.locator("svg.map").bounding_box()
            legend = page.locator("ul.legend").bounding_box()
            assert legend["y"] >= svg["y"] + svg["height"] - 1, "legend over the map"
        shoot(page, f"edition-phone-{path.replace('/', '-')}.png")


def test_chinese_pages_are_chinese(browser, site) -> None:
    english = [TEXT[key][0] for key in UI_KEYS] + list(UI_EXTRA)
    english += [value[0] for value in publish.TEXT.values() if value[0] != "中文"]
    for path in ZH_PAGES:
        with opened(browser, (site / path).as_uri()) as page:
            page.wait_for_load_state("load")
            assert page.evaluate("document.documentElement.lang") == "zh-CN"
            # The data dictionary's rules stay as the schema states them (as in the app).
            text = page.evaluate(
                """() => { const copy = document.body.cloneNode(true);
                   copy.querySelectorAll('.dictionary, script').forEach(n => n.remove());
                   return copy.textContent; }"""
            )
            left = [word for word in english if re.search(rf"(?<![A-Za-z]){re.escape(word)}", text)]
            assert left == [], f"{path}: English left: {left}"
            if path == "zh/index.html":
                shoot(page, "edition-zh.png")


@pytest.mark.parametrize("chosen", [(340000, 320000), (110000, 310000, 440000, 330000)])
def test_compare_puts_only_like_figures_on_one_axis(browser, site, dataset, chosen) -> None:
    url = (site / "compare.html").as_uri() + "#provinces=" + ",".join(map(str, chosen))
    with opened(browser, url) as page:
        page.locator(".panel").first.wait_for()
        for column in schema.FIGURE_COLUMNS:
            metric = only(
                build_metric(dataset.regions, dataset.tracks, column, "none", "en", basis=None,
                             window="all"),
                list(chosen),
            )  # fmt: skip
            split = split_like(metric)
            panel = page.locator(f".panel[data-metric='{column}']")
            if not split.on_axis and not split.apart:
                assert panel.count() == 0
                continue
            slots = {
                int(a): s
                for a, s in panel.evaluate(
                    "p => [...p.querySelectorAll('li')]"
                    ".map(li => [li.dataset.adcode, li.dataset.slot])"
                )
            }
            assert {a for a, s in slots.items() if s == "axis"} == set(split.on_axis), column
            assert {a for a, s in slots.items() if s == "apart"} == set(split.apart), column
        assert page.outside == [] and page.errors == []
        shoot(page, f"edition-compare-{len(chosen)}.png")
