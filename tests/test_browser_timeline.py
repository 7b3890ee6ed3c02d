"""The documents timeline in headless Chromium: filtered rows apart, key clear of the
source line and inside the figure at desktop and phone width, the date axis on a
projector's first screen. Screenshots of the chart go to tests/artifacts/.
"""

from __future__ import annotations

import itertools

import pytest

from tests.test_browser import ARTIFACTS, assert_clean, recorded_page

pytestmark = pytest.mark.browser

FILTERED = {
    "western": "groups=western",
    "western-ai-plus": "kinds=ai_plus_plan&groups=western",  # the README's link
}
# Boxes of what must stay apart, in page pixels: [left, top, right, bottom].
MEASURE = """plot => {
  const box = e => {
    const r = e.getBoundingClientRect();
    return [r.left, r.top, r.right, r.bottom];
  };
  const all = sel => Array.from(plot.querySelectorAll(sel)).filter(e => e.textContent.trim());
  const source = all('.annotation').filter(
    e => e.textContent.includes('Source') || e.textContent.includes('来源'));
  return {
    figure: box(plot.querySelector('.main-svg')),
    rows: all('.yaxislayer-above .ytick text').map(box),
    dates: all('.xaxislayer-above .xtick text').map(box),
    legend: box(plot.querySelector('.legend')),
    entries: all('.legend .legendtext').map(box),
    source: source.map(box),
    titles: all('.gtitle, .gtitle-subtitle')
      .map(e => [box(e), e.querySelectorAll('tspan.line').length || 1]),
  };
}"""


def apart(a, b, slack: float = 0.5) -> bool:
    return (
        a[2] <= b[0] + slack or b[2] <= a[0] + slack or a[3] <= b[1] + slack or b[3] <= a[1] + slack
    )


def open_timeline(page, url: str) -> dict:
    """Open the page and measure the chart once it is drawn for the browser's width.

    The page reruns once the browser has reported the column's width (`ui.main_width`):
    measure when two readings a second apart agree.
    """
    page.goto(url)
    plot = page.locator(".js-plotly-plot").first
    plot.wait_for(timeout=60_000)
    page.wait_for_selector(".js-plotly-plot .legend", timeout=60_000)
    previous = None
    for _ in range(20):
        page.wait_for_timeout(1000)
        plot.scroll_into_view_if_needed()
        found = plot.evaluate(MEASURE)
        if found == previous:
            return found
        previous = found
    raise AssertionError("the timeline never settled")


@pytest.mark.parametrize("width, height, lang", [(1400, 900, "en"), (390, 844, "zh")])
@pytest.mark.parametrize("view", FILTERED)
def test_filtered_timeline_rows_key_and_source_stay_apart(
    browser, app_url, width: int, height: int, lang: str, view: str
) -> None:
    with recorded_page(browser, app_url, width, height) as page:
        found = open_timeline(page, f"{app_url}/timeline?{FILTERED[view]}&lang={lang}")
        left, _, right, bottom = found["figure"]
        rows = sorted(found["rows"], key=lambda box: box[1])
        assert len(rows) == 12, "the western provinces"
        for upper, lower in itertools.pairwise(rows):
            assert upper[3] <= lower[1], f"row labels overprint: {upper} {lower}"
        legend = found["legend"]
        assert left - 1 <= legend[0] and legend[2] <= right + 1, (legend, found["figure"])
        for index, entry in enumerate(found["entries"]):
            assert left - 1 <= entry[0] and entry[2] <= right + 1, f"key runs off: {entry}"
            for other in found["entries"][index + 1 :]:
                assert apart(entry, other), f"key entries overlap: {entry} {other}"
        (source,) = found["source"]
        assert legend[3] <= source[1], f"the key {legend} runs onto the source line {source}"
        assert left - 1 <= source[0] and source[2] <= right + 1 and source[3] <= bottom + 1
        # Dates under the titles, above the rows.
        title_bottom = max(box[3] for box, _ in found["titles"])
        assert found["dates"] and all(
            title_bottom <= d[1] and d[3] <= rows[0][1] + 2 for d in found["dates"]
        )
        assert_clean(page)
        page.locator(".js-plotly-plot").first.screenshot(
            path=ARTIFACTS / f"timeline-{view}-{width}x{height}-{lang}.png"
        )


def test_presentation_mode_shows_the_date_axis_on_the_first_screen(browser, app_url) -> None:
    with recorded_page(browser, app_url, 1280, 720) as page:
        found = open_timeline(page, f"{app_url}/timeline?present=1")
        page.evaluate("window.scrollTo(0, 0)")
        page.locator("[data-testid=stMain]").evaluate("e => e.scrollTo(0, 0)")
        page.wait_for_timeout(300)
        found = page.locator(".js-plotly-plot").first.evaluate(MEASURE)
        assert found["dates"], "date labels drawn"
        assert max(d[3] for d in found["dates"]) <= 720, found["dates"]
        rows = sorted(found["rows"], key=lambda box: box[1])
        assert rows[0][3] <= 720, "the first rows under the axis on the first screen too"
        for upper, lower in itertools.pairwise(rows):
            assert upper[3] <= lower[1], f"row labels overprint: {upper} {lower}"
        for _, lines in found["titles"]:
            assert lines <= 2, f"a title or subtitle of {lines} lines"
        legend = found["legend"]
        assert legend[1] <= 720 and legend[2] <= found["figure"][2] + 1, "the key beside"
        assert_clean(page)
        page.screenshot(path=ARTIFACTS / "timeline-present-1280x720.png")
