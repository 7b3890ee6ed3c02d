"""In Chinese, Streamlit's and plotly's own words are Chinese too, wherever a reader meets
them: pickers opened and searched, chart and table toolbars, the table's search and
column menu; and they turn back to English with the language."""

from __future__ import annotations

import re

import pytest
from test_browser import assert_clean, recorded_page, shoot, wait_for_map
from test_interface_strings import interface_words

from dashboard.interface_strings import PLOTLY_DICTIONARY_ZH, STREAMLIT_ZH, interface_table

pytestmark = pytest.mark.browser

# The dictionary's words and every other interface word of Streamlit's bundle, so a word
# the dictionary does not know yet fails here too.
ENGLISH = sorted({*interface_words(), *PLOTLY_DICTIONARY_ZH})
ENGLISH_SHAPES = tuple(source for source, _ in interface_table("zh")["patterns"])
CHINESE_SHAPES = tuple(source for source, _ in interface_table("en")["patterns"])

# Every visible text and every tooltip, placeholder and screen-reader label in the page
# that is one of `words` or has the shape of one of `patterns` (JavaScript regexes).
_FIND_WORDS = """([words, patterns]) => {
  const wanted = new Set(words);
  const shapes = patterns.map((pattern) => new RegExp(pattern));
  const hit = (text) => {
    const key = (text || '').trim();
    return wanted.has(key) || shapes.some((shape) => shape.test(key));
  };
  const found = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    if (hit(node.nodeValue) && node.parentElement.getClientRects().length) {
      found.push(node.nodeValue.trim());
    }
  }
  const names = ['aria-label', 'title', 'data-title', 'placeholder'];
  for (const element of document.querySelectorAll(names.map((name) => `[${name}]`).join())) {
    for (const name of names) {
      if (hit(element.getAttribute(name))) found.push(`${name}=${element.getAttribute(name)}`);
    }
  }
  return found;
}"""


# Any Latin word in the menus, lists and tooltips Streamlit opens over the page (its icons
# are ligatures such as "bar_chart" in an icon font, not words).
_LATIN_IN_POPUPS = """() => {
  const popups = document.querySelectorAll(
    '[data-testid^=stDataFrame][data-testid$=Menu], [data-testid=stDataFrameStatisticsContent],'
    + '[data-testid$=TooltipContent], [role=menu], [role=listbox], [role=tooltip]');
  const found = [];
  for (const popup of popups) {
    const walker = document.createTreeWalker(popup, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode;
      if (node.parentElement.closest('[data-testid=stIconMaterial]')) continue;
      if (/[A-Za-z]{3,}/.test(node.nodeValue)) found.push(`in a popup: ${node.nodeValue.trim()}`);
    }
  }
  return found;
}"""


def latin_in_popups(page) -> list[str]:
    return page.evaluate(_LATIN_IN_POPUPS)


def words_in(page, words: list[str], patterns: tuple[str, ...] = ()) -> list[str]:
    return page.evaluate(_FIND_WORDS, [words, list(patterns)])


def chinese_seen(page) -> set[str]:
    """The translations of the interface words now in the page (as text or attribute)."""
    chinese = sorted({*STREAMLIT_ZH.values(), *PLOTLY_DICTIONARY_ZH.values()})
    found = words_in(page, chinese, CHINESE_SHAPES)
    return {word.split("=", 1)[-1] for word in found}


def open_column_menu(page, table) -> None:
    """Click the first column's menu button: drawn on the table's canvas, at the header's
    right end, where the page knows no position; so along the header until it opens (a
    click elsewhere on the header only sorts)."""
    box = table.bounding_box()
    for dx in range(40, int(box["width"]), 8):
        page.mouse.click(box["x"] + dx, box["y"] + 18)
        if page.locator("[data-testid=stDataFrameColumnMenu]").count():
            return
    shoot(page, "no-column-menu.png")
    raise AssertionError("no column menu along the table's header")


def test_chinese_pages_show_no_english_interface_words(browser, app_url) -> None:
    seen: set[str] = set()
    leftover: list[tuple[str, str]] = []

    def check(step: str) -> None:
        english = words_in(page, ENGLISH, ENGLISH_SHAPES) + latin_in_popups(page)
        leftover.extend((step, word) for word in english)
        seen.update(chinese_seen(page))

    with recorded_page(browser, app_url, 1400, 900) as page:
        # The map: the chart's toolbar and its tooltips; a picker opened, then searched
        # for nothing and for something.
        page.goto(f"{app_url}/?lang=zh&intro=0")
        wait_for_map(page)
        chart = page.locator("[data-testid=stPlotlyChart]").first
        chart.hover()
        page.wait_for_timeout(400)
        check("map toolbar")
        for button in page.locator("[data-testid=stElementToolbar] button").all():
            button.hover()
            page.wait_for_timeout(250)
            check("map toolbar tooltip")

        page.goto(f"{app_url}/screener?lang=zh&intro=0")
        picker = page.locator("[data-testid=stMultiSelect]").first
        picker.wait_for(timeout=60_000)
        picker.click()
        page.wait_for_timeout(500)
        check("multiselect opened")
        page.keyboard.type("zzzz")
        page.wait_for_timeout(500)
        check("multiselect, nothing found")
        page.keyboard.press("Control+A")
        page.keyboard.type("补")  # matches several kinds: "Select 3 matches"
        page.wait_for_timeout(500)
        check("multiselect, some found")
        shoot(page, "zh-multiselect-search.png")
        page.keyboard.press("Escape")

        # A table: its toolbar, its search box and a number column's menu with its
        # statistics and number formats.
        page.goto(f"{app_url}/sources?lang=zh")
        table = page.locator("[data-testid=stDataFrame]").nth(1)
        table.wait_for(timeout=60_000)
        table.scroll_into_view_if_needed()
        table.hover()
        page.wait_for_timeout(400)
        check("table toolbar")
        toolbar = table.locator("xpath=..").locator("[data-testid=stElementToolbar]")
        for button in toolbar.locator("button").all():
            button.hover()
            page.wait_for_timeout(250)
            check("table toolbar tooltip")
        toolbar.get_by_role("button", name="搜索").click()
        page.wait_for_timeout(400)
        check("table search")
        page.keyboard.press("Escape")
        table.scroll_into_view_if_needed()
        open_column_menu(page, table)
        check("table column menu")
        menu = page.locator("[data-testid=stDataFrameColumnMenu]")
        menu.get_by_role("menuitem").filter(has_text="统计").click()
        page.wait_for_timeout(500)
        check("column statistics")
        shoot(page, "zh-table-column-menu.png")
        menu.get_by_role("menuitem").filter(has_text="数字格式").click()
        page.wait_for_timeout(500)
        check("column number formats")
        assert_clean(page)

    assert not leftover, leftover
    # The steps really opened what they meant to: their Chinese words were on the page.
    for chinese in ("全屏", "下载图表（PNG）", "全选", "无匹配项", "下载 CSV", "输入以搜索",
                    "升序排列", "中位数", "科学计数法"):  # fmt: skip
        assert chinese in seen, f"{chinese!r} never shown: a step did not open its element"
    assert any(re.fullmatch(r"选择全部 \d+ 项匹配", word) for word in seen), seen


def test_interface_words_turn_back_to_english_with_the_language(browser, app_url) -> None:
    with recorded_page(browser, app_url, 1400, 900) as page:
        page.goto(f"{app_url}/?lang=zh&intro=0")
        wait_for_map(page)
        page.locator("[data-testid=stPlotlyChart]").first.hover()
        page.wait_for_function("document.documentElement.lang === 'zh-CN'", timeout=30_000)
        assert "aria-label=全屏" in words_in(page, ["全屏"])
        page.locator("[data-testid=stSidebar]").get_by_text("English", exact=True).click()
        page.wait_for_function("document.documentElement.lang === 'en'", timeout=30_000)
        wait_for_map(page)
        page.locator("[data-testid=stPlotlyChart]").first.hover()
        page.wait_for_timeout(400)
        assert "aria-label=Fullscreen" in words_in(page, ["Fullscreen"])
        assert not words_in(page, sorted(STREAMLIT_ZH.values()))


def test_english_first_visit_mounts_no_translator_until_chinese_is_asked(browser, app_url):
    with recorded_page(browser, app_url, 1400, 900) as page:
        page.goto(f"{app_url}/?intro=0")
        wait_for_map(page)
        page.wait_for_timeout(500)
        assert page.evaluate("window.__interfaceLanguage === undefined"), "nothing to swap"
        assert page.evaluate("document.documentElement.lang") == "en"
        page.locator("[data-testid=stSidebar]").get_by_text("中文", exact=True).click()
        page.wait_for_function("document.documentElement.lang === 'zh-CN'", timeout=30_000)
        assert_clean(page)
