"""Money instruments in the real app: city and district circles on the map, their hover,
their key, and the level switch, in headless Chromium, with nothing leaving the host."""

from __future__ import annotations

import pytest
from test_browser import (
    apart,
    assert_clean,
    province_boxes,
    recorded_page,
    shoot,
    wait_for_map,
)

pytestmark = pytest.mark.browser

# The circles' trace: the points filled in the circles' purple (the no-figure dots are grey).
CIRCLE_RGB = "117, 112, 179"
CIRCLES = f'.js-plotly-plot .scattergeo .point[style*="{CIRCLE_RGB}"]'
KEY_SHAPES = ".js-plotly-plot .shapelayer path"


@pytest.mark.parametrize("width, height, lang", [(1400, 900, "en"), (390, 844, "zh")])
def test_voucher_map_draws_city_circles_with_a_key_that_covers_nothing(
    browser, app_url, width: int, height: int, lang: str
) -> None:
    with recorded_page(browser, app_url, width, height) as page:
        page.goto(app_url + f"/?metric=voucher_budget&lang={lang}")
        wait_for_map(page)
        page.wait_for_function(f"document.querySelectorAll('{CIRCLES}').length >= 10")
        circles = page.locator(CIRCLES)
        sizes = [circles.nth(i).bounding_box()["width"] for i in range(circles.count())]
        assert max(sizes) > 2 * min(sizes), "circle areas follow the amounts"
        provinces = province_boxes(page)
        legend = page.locator(".js-plotly-plot .legend").first.bounding_box()
        key = [page.locator(KEY_SHAPES).nth(i).bounding_box() for i in range(2)]
        for province in provinces:
            assert apart(province, legend), f"the legend covers {province['adcode']}"
            for shape in key:
                assert apart(province, shape), f"the circles' key covers {province['adcode']}"
        legend_text = " ".join(page.locator(".legendtext").all_text_contents())
        assert ("circle area" in legend_text) if lang == "en" else ("圆面积" in legend_text)
        # The largest circle is Shenzhen's 500 (Shanghai's 600 is provincial, a colour);
        # Shenzhen's smaller vouchers are drawn on top of it, so the hover is one of them.
        biggest = max(range(circles.count()), key=lambda i: sizes[i])
        box = circles.nth(biggest).bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        hover = page.locator(".hoverlayer .hovertext").first
        hover.wait_for(timeout=10_000)
        text = hover.text_content()
        if lang == "en":
            assert "Shenzhen (city)" in text and "Yearly voucher budget" in text, text
            assert "mn yuan/yr" in text and "grade:" in text, "amount, unit and citation"
        else:
            assert "深圳市（市级）" in text and "算力券等年度总额" in text, text
            assert "万元/年" in text and "等级" in text
        assert_clean(page)
        shoot(page, f"money-circles-{width}x{height}-{lang}.png")


def test_level_switch_separates_provinces_and_cities(browser, app_url) -> None:
    with recorded_page(browser, app_url) as page:
        page.goto(app_url + "/?metric=voucher_budget&level=province")
        wait_for_map(page)
        page.wait_for_timeout(1500)
        assert page.locator(CIRCLES).count() == 0, "provincial only: no circles"
        page.goto(app_url + "/?metric=voucher_budget&level=local")
        wait_for_map(page)
        page.wait_for_function(f"document.querySelectorAll('{CIRCLES}').length >= 10")
        legend = "".join(page.locator(".legendtext").all_text_contents()).replace(" ", "")
        assert "provincialfiguresnotshown" in legend, "no province coloured, and the key says so"
        assert "20–30" not in legend, "no class of a colour no province has"
        assert page.get_by_text("City, district and zone instruments of this kind").count() == 1
        assert_clean(page)
        shoot(page, "money-level-local.png")
