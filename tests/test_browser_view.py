"""A reader's view of a page survives a visit to another page through the menu."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from test_browser import assert_clean, recorded_page, wait_for_map

pytestmark = pytest.mark.browser


def test_map_view_persists_after_visiting_another_page(browser, app_url) -> None:
    view = "metric=compute_target_eflops&basis=intelligent&years=all&region=western"
    with recorded_page(browser, app_url) as page:
        page.goto(f"{app_url}/?{view}")
        wait_for_map(page)
        page.get_by_role("link", name="Compare provinces").click()
        page.get_by_role("heading", name="Compare provinces").first.wait_for(timeout=60_000)
        page.wait_for_function("document.title.startsWith('Compare provinces')", timeout=30_000)
        assert page.title() == "Compare provinces · China's provincial AI+ commitments"
        page.get_by_role("link", name="Map").click()
        wait_for_map(page)
        page.wait_for_function("location.search.includes('basis=')", timeout=30_000)
        query = parse_qs(urlparse(page.url).query)
        assert "metric" not in query, "the map's default metric (the widest-covered)"
        assert query.get("basis") == ["intelligent"] and query.get("years") == ["all"]
        assert query.get("region") == ["western"]
        assert_clean(page)


# The picker's chosen value sits in an <input>, which cuts text it cannot hold (no wrap,
# no ellipsis), so each name is measured in the input's own font against its content box.
MEASURE_NAMES = """([label, names]) => {
  const box = [...document.querySelectorAll('[data-testid=stSidebar] [data-testid=stSelectbox]')]
    .find(picker => picker.querySelector('label')?.innerText.trim() === label);
  const input = box.querySelector('input');
  const style = getComputedStyle(input);
  const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  const context = document.createElement('canvas').getContext('2d');
  context.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
  return {room, cut: names.filter(name => context.measureText(name).width > room)};
}"""


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(("width", "height"), [(1400, 900), (1280, 720)])
def test_every_metric_name_fits_the_map_picker(
    browser, app_url, dataset, lang, width, height
) -> None:
    from dashboard.i18n import t
    from dashboard.metric_names import menu_label, metric_ids

    names = [menu_label(m, dataset.tracks, lang) for m in metric_ids(dataset.tracks)]
    with recorded_page(browser, app_url, width, height) as page:
        page.goto(f"{app_url}/?lang={lang}&intro=0")
        wait_for_map(page)
        fit = page.evaluate(MEASURE_NAMES, [t("metric", lang), names])
        assert fit["room"] > 150, "the picker was found and has a width"
        assert fit["cut"] == [], f"cut at {fit['room']:.0f} px"
        assert_clean(page)
