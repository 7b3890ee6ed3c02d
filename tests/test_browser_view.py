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
