"""The real app in headless Chromium: drawing, clicking, links, offline, presentation, export.

Skipped (loudly) when Debian's chromium is missing, except under CI=true where that fails.
Screenshots go to tests/artifacts/; with UPDATE_SCREENSHOTS=1 the README's images in docs/
are refreshed too.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from dashboard import charts, schema

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "tests" / "artifacts"
DOCS = REPO / "docs"
MAP_PATHS = ".choroplethlayer path"
ADCODES = sorted((*schema.MAINLAND_ADCODES, *schema.NOT_COVERED_ADCODES))


@contextmanager
def recorded_page(browser, app_url: str, width: int = 1400, height: int = 1000):
    """A fresh page at a viewport size that records every request leaving the host."""
    context = browser.new_context(
        viewport={"width": width, "height": height}, accept_downloads=True
    )
    page = context.new_page()
    page.outside_requests = []
    host = urlparse(app_url).netloc

    def record(request) -> None:
        url = urlparse(request.url)
        if url.scheme in ("http", "https", "ws", "wss") and url.netloc != host:
            page.outside_requests.append(request.url)

    page.on("request", record)
    try:
        yield page
    finally:
        context.close()


@pytest.fixture
def page(browser, app_url):
    with recorded_page(browser, app_url) as page:
        yield page


def shoot(page, name: str, *, docs: bool = False, full_page: bool = False) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    page.screenshot(path=path, full_page=full_page)
    if docs and os.environ.get("UPDATE_SCREENSHOTS") == "1":
        DOCS.mkdir(exist_ok=True)
        shutil.copy(path, DOCS / name)
    return path


def rgb(colour: str) -> str:
    """'#f4f4f4' as the browser reports an SVG fill: 'rgb(244, 244, 244)'."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgb({red}, {green}, {blue})"


def wait_for_map(page, minimum: int = 34) -> None:
    page.wait_for_function(
        f"document.querySelectorAll('{MAP_PATHS}').length >= {minimum}", timeout=60_000
    )


def query(page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def province_boxes(page) -> list[dict[str, float]]:
    """What shows of each province shape: its box cut to the map's frame (islands beyond
    it are clipped, and drawn in the South China Sea inset instead)."""
    frame = page.locator(".js-plotly-plot .geo .bg rect").first.bounding_box()
    boxes = []
    for index in range(len(ADCODES)):
        box = page.locator(MAP_PATHS).nth(index).bounding_box()
        if box is None or box["width"] == 0:
            continue
        top = max(box["y"], frame["y"])
        bottom = min(box["y"] + box["height"], frame["y"] + frame["height"])
        boxes.append({**box, "y": top, "height": max(0.0, bottom - top), "adcode": ADCODES[index]})
    return boxes


def apart(a: dict[str, float], b: dict[str, float]) -> bool:
    """Two screen boxes that do not overlap."""
    return (
        a["y"] >= b["y"] + b["height"]
        or a["y"] + a["height"] <= b["y"]
        or a["x"] >= b["x"] + b["width"]
        or a["x"] + a["width"] <= b["x"]
    )


def assert_clean(page) -> None:
    assert page.locator("[data-testid=stException]").count() == 0
    assert page.outside_requests == [], "requests left the host"


def test_map_draws_every_province_offline(page, app_url) -> None:
    page.goto(app_url + "/")
    wait_for_map(page)
    filled = page.evaluate(
        f"""[...document.querySelectorAll('{MAP_PATHS}')]
            .filter(p => (p.getAttribute('d') || '').length > 20).length"""
    )
    assert filled >= 34, "31 provinces plus Hong Kong, Macao and Taiwan have geometry"
    # Every path stays inside the plot: a wrong ring winding makes one fill the frame.
    frame = page.locator(".js-plotly-plot").first.bounding_box()
    for index in range(34):
        box = page.locator(MAP_PATHS).nth(index).bounding_box()
        assert box is not None and box["width"] < frame["width"] * 0.6, ADCODES[index]
    page.wait_for_timeout(1000)
    assert_clean(page)
    shoot(page, "map.png", docs=True)


def test_every_page_loads_offline_without_errors(page, app_url) -> None:
    for path, marker in [
        ("/regions", "Regional strategies"),
        ("/compare", "Compare provinces"),
        ("/screener", "Investor screener"),
        ("/sources", "Data and sources"),
    ]:
        page.goto(app_url + path)
        page.get_by_role("heading", name=marker).wait_for(timeout=60_000)
        page.wait_for_timeout(1500)
        assert_clean(page)
        shoot(page, f"page-{path.strip('/')}.png", full_page=True)


def test_clicking_a_province_opens_its_panel_and_the_url(page, app_url) -> None:
    page.goto(app_url + "/")
    wait_for_map(page)
    sichuan = page.locator(MAP_PATHS).nth(ADCODES.index(510000)).bounding_box()
    page.mouse.click(sichuan["x"] + sichuan["width"] / 2, sichuan["y"] + sichuan["height"] / 2)
    page.get_by_role("heading", name="Sichuan").wait_for(timeout=30_000)
    page.wait_for_function("location.search.includes('province=510000')", timeout=10_000)
    assert query(page)["province"] == ["510000"]
    assert page.get_by_text("Computing-power target").first.is_visible()
    assert page.get_by_text("National computing hub: yes").first.is_visible()
    assert_clean(page)
    shoot(page, "map-click.png")


def test_a_link_reopens_guangdong_in_chinese(page, app_url) -> None:
    page.goto(app_url + "/?province=440000&lang=zh&metric=project_cap")
    wait_for_map(page)
    page.get_by_role("heading", name="广东省").wait_for(timeout=30_000)
    assert page.get_by_role("heading", name="中国各省“人工智能+”政策承诺").is_visible()
    legend = page.locator(".legendtext").all_text_contents()
    assert any(text.startswith("无公开数据") for text in legend), "the gap state, with its count"
    title = page.locator(".legendtitletext").first.text_content()
    assert title == "万元", "Chinese amounts in 万元, not 百万元"
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    assert page.title() == "中国各省“人工智能+”政策承诺"
    assert page.get_by_text("Choose an option").count() == 0
    assert_clean(page)
    shoot(page, "map-guangdong-zh.png", docs=True)


def test_screener_range_changes_table_and_map(page, app_url) -> None:
    page.goto(app_url + "/screener?money=fund")
    wait_for_map(page)
    heading = page.get_by_role("heading", name=re.compile("provinces match"))
    # Picking the fund asks "has a fund at any level": fewer than 31, more than a few.
    with_fund = int(heading.inner_text().split()[0])
    assert 5 < with_fund < 31
    slider = page.get_by_role("slider").first
    slider.focus()
    for _ in range(30):
        page.keyboard.press("ArrowRight")
    page.wait_for_function("location.search.includes('fund=')", timeout=30_000)
    unchanged = f"{with_fund} of 31"
    page.wait_for_function(
        f"![...document.querySelectorAll('h3')].some(h => h.innerText.startsWith('{unchanged}'))",
        timeout=30_000,
    )
    count = int(heading.inner_text().split()[0])
    assert 0 < count < with_fund
    # Provinces outside the result are blanked on the map (the main map and its inset).
    page.wait_for_function(
        f"""[...document.querySelectorAll('{MAP_PATHS}')]
            .filter(p => p.getAttribute('fill') === '{rgb(charts.OUTSIDE_FILL)}').length
            >= {31 - count}""",
        timeout=30_000,
    )
    legend = [text.replace(" ", "") for text in page.locator(".legendtext").all_text_contents()]
    assert "outsidetheselection" in legend, "wrapped labels read without their spaces"
    assert_clean(page)
    shoot(page, "screener.png", full_page=True)


def test_presentation_mode_fits_a_projector(browser, app_url) -> None:
    with recorded_page(browser, app_url, 1280, 720) as page:
        page.goto(app_url + "/?present=1&metric=compute_target_eflops")
        wait_for_map(page)
        page.wait_for_timeout(1000)
        sidebar = page.locator("[data-testid=stSidebar]")
        assert sidebar.count() == 0 or not sidebar.first.is_visible()
        chart = page.locator(".js-plotly-plot").first.bounding_box()
        assert chart["y"] + chart["height"] <= 720, "the map is visible without scrolling"
        assert chart["width"] >= 1280 * 0.8, "the map fills the width"
        title = page.locator(".gtitle").first
        assert float(title.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 30
        legend = page.locator(".legendtext").first
        assert float(legend.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 21
        shoot(page, "present.png", docs=True)
        page.get_by_role("button", name="Exit presentation mode").click()
        page.wait_for_function("!location.search.includes('present=1')", timeout=30_000)
        assert_clean(page)


def test_screener_result_fills_a_projectors_first_screen(browser, app_url) -> None:
    with recorded_page(browser, app_url, 1280, 720) as page:
        page.goto(app_url + "/screener?present=1&fund=10-23&tracks=low_altitude")
        wait_for_map(page)
        page.wait_for_timeout(1000)
        chart = page.locator(".js-plotly-plot").first.bounding_box()
        legend = page.locator(".js-plotly-plot .legend").first.bounding_box()
        # A plain table in large type on a projector (the data grid's canvas stays small).
        table = page.locator("[data-testid=stTable]").first.bounding_box()
        assert chart["y"] + chart["height"] <= 720, "map, key and note on the first screen"
        assert legend["y"] + legend["height"] <= 720
        assert table["y"] + min(table["height"], 200) <= 720, "the matches beside the map"
        subtitle = page.locator(".gtitle-subtitle").first.text_content()
        assert "AI industry fund, bn yuan: 10" in subtitle, (
            "the screen's criteria stated for the room"
        )
        assert_clean(page)
        shoot(page, "screener-present.png")


def test_phone_width_layout_still_draws(browser, app_url) -> None:
    with recorded_page(browser, app_url, 390, 844) as page:
        page.goto(app_url + "/")
        wait_for_map(page)
        chart = page.locator(".js-plotly-plot").first.bounding_box()
        assert chart["width"] <= 390
        assert_clean(page)
        shoot(page, "phone.png")


def test_exported_svg_carries_title_legend_and_source(page, app_url) -> None:
    page.goto(app_url + "/?lang=zh&metric=fund")
    wait_for_map(page)
    page.get_by_text("SVG", exact=True).click()
    page.wait_for_timeout(1500)
    page.locator(".js-plotly-plot").first.hover()
    titles = page.locator(".js-plotly-plot").first.evaluate(
        "p => Array.from(p.querySelectorAll('.modebar-btn')).map(b => b.dataset.title)"
    )
    assert "下载图表" in titles and "放大" in titles, "plotly's toolbar speaks Chinese"
    assert not any("Download" in title or "Zoom" in title for title in titles), titles
    button = page.locator(".js-plotly-plot").first.locator(".modebar-btn[data-title=下载图表]")
    with page.expect_download(timeout=60_000) as download:
        button.click()
    svg = Path(download.value.path()).read_text(encoding="utf-8")
    assert download.value.suggested_filename.endswith(".svg")
    assert "来源" in svg, "the source line is drawn on the exported image"
    assert "人工智能产业基金" in svg and "无公开数据" in svg, "title and legend in Chinese"


def test_province_brief_is_one_file_that_opens_offline(page, app_url, browser) -> None:
    page.goto(app_url + "/?province=340000")
    wait_for_map(page)
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name="Download a one-page brief (HTML)").click()
    html = Path(download.value.path()).read_text(encoding="utf-8")
    assert "<h1>Anhui</h1>" in html and "<svg" in html
    assert not re.search(r"<(script|link|img|iframe)\b", html), "nothing to fetch"
    offline = browser.new_context(offline=True)
    brief = offline.new_page()
    requests: list[str] = []
    brief.on("request", lambda r: requests.append(r.url))
    try:
        brief.set_content(html)
        assert brief.locator("h1").inner_text() == "Anhui"
        assert [r for r in requests if not r.startswith(("data:", "about:"))] == []
        brief.pdf(path=str(ARTIFACTS / "brief-anhui.pdf"))
        assert (ARTIFACTS / "brief-anhui.pdf").stat().st_size > 5_000
    finally:
        offline.close()


def test_arrow_keys_step_through_scenes(page, app_url) -> None:
    page.goto(app_url + "/?present=1&scenes=fund,compute_target_eflops,datasets_target")
    wait_for_map(page)
    page.locator(".gtitle").first.wait_for()
    assert "AI industry fund" in page.locator(".gtitle").first.text_content()
    page.mouse.click(5, 300)  # focus the page, not a widget
    page.keyboard.press("ArrowRight")
    page.wait_for_function("location.search.includes('scene=1')", timeout=30_000)
    page.wait_for_function(
        "document.querySelector('.gtitle')?.textContent.includes('Computing-power target')",
        timeout=30_000,
    )
    page.keyboard.press("ArrowLeft")
    page.wait_for_function("!location.search.includes('scene=')", timeout=30_000)
    assert_clean(page)


def test_compute_map_hover_says_another_basis_and_bars_rank_like_only(page, app_url) -> None:
    page.goto(app_url + "/?metric=compute_target_eflops")
    wait_for_map(page)
    default = page.locator(".js-plotly-plot").nth(1).locator(".ytick text").all_text_contents()
    assert "Beijing" in default and "Jiangsu" not in default, "one year by default: 2027"
    page.goto(app_url + "/?metric=compute_target_eflops&years=ahead")
    wait_for_map(page)
    zhejiang = page.locator(MAP_PATHS).nth(ADCODES.index(330000)).bounding_box()
    page.mouse.move(zhejiang["x"] + zhejiang["width"] / 2, zhejiang["y"] + zhejiang["height"] / 2)
    hover = page.locator(".hoverlayer .hovertext").first
    hover.wait_for(timeout=10_000)
    text = hover.text_content()
    assert "Zhejiang" in text and "60 EFLOPS" in text and "figure on another basis" in text
    bars = page.locator(".js-plotly-plot").nth(1)
    labels = bars.locator(".ytick text").all_text_contents()
    assert labels and "Zhejiang" not in labels and "Jiangxi" not in labels, "services not ranked"
    assert "Jiangsu" in labels and "Qinghai" not in labels, "a passed year is not ranked"
    values = bars.locator(".bars text, .textpoint text").all_text_contents()
    assert "50 · the only one for 2030" in values, "ranked within its year, and says so"
    assert_clean(page)
    shoot(page, "map-compute-basis.png")


def test_timeline_rows_national_line_and_hover(page, app_url) -> None:
    page.goto(app_url + "/timeline")
    chart = page.locator(".js-plotly-plot").first
    chart.wait_for(timeout=60_000)
    page.wait_for_function("document.querySelectorAll('.scatterlayer .point').length > 50")
    rows = chart.locator(".ytick text").all_text_contents()
    assert len(rows) == 31, "one row per province"
    assert any("no plan found" in row for row in rows)
    assert not any("none issued" in row for row in rows)
    assert any("国发〔2025〕11号" in t for t in chart.locator(".legendtext").all_text_contents()), (
        "the dashed line is named in the key"
    )
    star = chart.locator(".scatterlayer .trace").first.locator(".point").first
    box = star.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    hover = page.locator(".hoverlayer .hovertext").first
    hover.wait_for(timeout=10_000)
    assert "AI+ plan" in hover.text_content()
    assert_clean(page)
    shoot(page, "timeline.png", docs=True, full_page=True)


@pytest.mark.parametrize("width, height", [(1400, 900), (1280, 720), (390, 844)])
def test_map_legend_never_covers_a_province(browser, app_url, width: int, height: int) -> None:
    with recorded_page(browser, app_url, width, height) as page:
        page.goto(app_url + "/?metric=voucher_budget&per=gdp")
        wait_for_map(page)
        page.wait_for_timeout(800)
        legend = page.locator(".js-plotly-plot .legend").first.bounding_box()
        assert legend is not None
        for box in province_boxes(page):
            assert apart(box, legend), f"the legend covers {box['adcode']} at {width}x{height}"
        if width >= 1280:
            assert legend["y"] + legend["height"] <= height, "map and key on the first screen"
        assert_clean(page)
        shoot(page, f"legend-{width}x{height}.png")


@pytest.mark.parametrize(
    "width, height, present", [(1400, 900, ""), (390, 844, ""), (1280, 720, "&present=1")]
)
def test_south_china_sea_inset_sits_whole_at_chinas_lower_right(
    browser, app_url, width: int, height: int, present: str
) -> None:
    with recorded_page(browser, app_url, width, height) as page:
        page.goto(app_url + "/?metric=compute_target_eflops" + present)
        wait_for_map(page)
        page.wait_for_timeout(800)
        frame = page.locator(".js-plotly-plot .geo .bg rect").first.bounding_box()
        boxes = {
            adcode: page.locator(MAP_PATHS).nth(index).bounding_box()
            for index, adcode in enumerate(ADCODES)
        }
        mainland = [boxes[a] for a in schema.MAINLAND_ADCODES]
        inset = page.locator(
            f".js-plotly-plot .scattergeo path.js-line[style*='{rgb(charts.INSET_FRAME)}']"
        ).first.bounding_box()
        assert inset is not None and frame is not None
        right = inset["x"] + inset["width"]
        assert frame["x"] - 1 <= inset["x"] and right <= frame["x"] + frame["width"] + 1
        assert inset["y"] + inset["height"] <= frame["y"] + frame["height"] + 1, "drawn whole"
        land_right = max(b["x"] + b["width"] for b in mainland)
        guangdong = boxes[440000]
        # Aligned with Hainan's south coast (Hainan's islands run on and are clipped).
        assert inset["y"] + inset["height"] >= guangdong["y"] + guangdong["height"], "low"
        taiwan = boxes[710000]
        gap = inset["x"] - (taiwan["x"] + taiwan["width"])
        assert 0 <= gap <= 0.05 * frame["width"], f"{gap:.0f} px from Taiwan: beside it"
        assert inset["x"] < land_right, "in the corner of China's own box, not floating off"
        assert_clean(page)
        shoot(page, f"inset-{width}x{height}.png")


CHART_PAGES = (
    "/",
    "/regions",
    "/compare?provinces=340000,320000,330000,440000",
    "/timeline",
    "/screener?fund=10-23",
)
# Every text of a figure that must stay whole and apart: titles, subtitles, panel titles,
# tick labels (each with the axis it belongs to), notes.
TEXT_BOXES = """plot => {
  const box = e => {
    const r = e.getBoundingClientRect();
    return [r.left, r.top, r.right, r.bottom];
  };
  const texts = sel => Array.from(plot.querySelectorAll(sel)).filter(e => e.textContent.trim())
      .map(e => [e.textContent.trim().slice(0, 40), box(e)]);
  return {
    figure: box(plot.querySelector('.main-svg')),
    titles: texts('.infolayer .gtitle, .infolayer .gtitle-subtitle, .annotation-text'),
    ticks: texts('.xaxislayer-above text, .yaxislayer-above text'),
  };
}"""


@pytest.mark.parametrize(
    "width, height, lang",
    [(1400, 900, "en"), (1280, 720, "en"), (390, 844, "zh"), (390, 844, "en")],
)
def test_no_chart_text_runs_off_its_figure_or_onto_another(
    browser, app_url, width: int, height: int, lang: str
) -> None:
    with recorded_page(browser, app_url, width, height) as page:
        for path in CHART_PAGES:
            joiner = "&" if "?" in path else "?"
            page.goto(f"{app_url}{path}{joiner}lang={lang}")
            page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
            page.wait_for_timeout(1500)
            for plot in page.locator(".js-plotly-plot").all():
                plot.scroll_into_view_if_needed()
                found = plot.evaluate(TEXT_BOXES)
                left, top, right, bottom = found["figure"]
                for text, (x0, y0, x1, y1) in found["titles"] + found["ticks"]:
                    inside = (
                        x0 >= left - 1 and x1 <= right + 1 and y0 >= top - 1 and y1 <= bottom + 1
                    )
                    assert inside, (
                        f"{path} at {width}px: {text!r} at {[x0, y0, x1, y1]} runs off its "
                        f"figure {found['figure']}"
                    )
                for title, (a0, b0, a1, b1) in found["titles"]:
                    for tick, (x0, y0, x1, y1) in found["ticks"]:
                        apart = x0 >= a1 or x1 <= a0 or y0 >= b1 or y1 <= b0
                        assert apart, f"{path} at {width}px: tick {tick!r} on title {title!r}"
            assert_clean(page)
        shoot(page, f"texts-{width}x{height}-{lang}.png")


def test_arrow_keys_keep_stepping_after_saving_views(page, app_url) -> None:
    page.goto(app_url + "/?scenes=project_cap")
    wait_for_map(page)
    caption = page.locator("[data-testid=stCaptionContainer]", has_text="Saved view")
    sichuan = page.locator(MAP_PATHS).nth(ADCODES.index(510000)).bounding_box()
    page.mouse.click(sichuan["x"] + sichuan["width"] / 2, sichuan["y"] + sichuan["height"] / 2)
    page.get_by_role("heading", name="Sichuan").wait_for(timeout=30_000)
    page.get_by_role("button", name="Save view for a talk").click()  # a second view
    caption.filter(has_text="of 2").wait_for(timeout=30_000)
    seen = [caption.first.text_content()]
    for _ in range(3):  # focus stays on the Save button: not a text field
        page.keyboard.press("ArrowRight")
        page.wait_for_function(
            """previous => [...document.querySelectorAll('[data-testid=stCaptionContainer]')]
                .some(c => c.textContent.includes('Saved view') && c.textContent !== previous)""",
            arg=seen[-1],
            timeout=30_000,
        )
        seen.append(caption.first.text_content())
    assert len(seen) == 4 and all(a != b for a, b in itertools.pairwise(seen)), seen
    assert_clean(page)
