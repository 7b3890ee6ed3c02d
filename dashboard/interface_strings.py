"""The front end's own interface text in Chinese: Streamlit's and plotly's built-in strings.

The app's own text is in `i18n.TEXT`. These are the words Streamlit and plotly print
themselves ("Select all", "No results", "Fullscreen", the table toolbar and column menu,
the chart toolbar's tooltips), which neither lets an app translate: plotly takes a
locale dictionary in each chart's config (`PLOTLY_LOCALE_ZH`); Streamlit's words are
swapped in the page by `ui.set_interface_language` (`STREAMLIT_ZH`).

Keys are the exact strings of the installed front end; a test reads them out of
Streamlit's bundled JavaScript, so an upgrade that rewords one fails the suite instead of
quietly bringing the English back.
"""

from __future__ import annotations

import re
from typing import Any

# plotly.js's `_(gd, "...")` strings as the bundle in Streamlit 1.67 spells them (plotly.js
# 3: "Download plot as a PNG", the geo toolbar's "Reset"); only the toolbars and notices
# this app's charts can show.
PLOTLY_DICTIONARY_ZH: dict[str, str] = {
    "Autoscale": "自动缩放",
    "Box Select": "框选",
    "Compare data on hover": "悬停时比较数据",
    "Double-click to zoom back out": "双击恢复原始大小",
    "Download plot": "下载图表",
    "Download plot as a PNG": "下载图表（PNG）",
    "Image download succeeded": "图片已下载",
    "Lasso Select": "套索选择",
    "Pan": "平移",
    "Preparing image - this may take a few seconds": "正在生成图片，请稍候",
    "Reset": "重置",
    "Reset axes": "重置坐标轴",
    "Reset view": "重置视图",
    "Reset views": "重置视图",
    "Show closest data on hover": "悬停时显示最近的数据",
    "Sorry, there was a problem downloading your image!": "抱歉，图片下载失败！",
    "Toggle Spike Lines": "显示或隐藏辅助线",
    "Toggle show closest data on hover": "切换悬停时显示最近的数据",
    "Zoom": "缩放",
    "Zoom in": "放大",
    "Zoom out": "缩小",
}

PLOTLY_LOCALE_ZH: dict[str, Any] = {
    "dictionary": PLOTLY_DICTIONARY_ZH,
    "format": {
        "days": ["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"],
        "shortDays": ["周日", "周一", "周二", "周三", "周四", "周五", "周六"],
        "months": [f"{m}月" for m in range(1, 13)],
        "shortMonths": [f"{m}月" for m in range(1, 13)],
        "date": "%Y-%m-%d",
    },
}

# Streamlit's own words that this app's pages can show, as visible text, tooltip, input
# placeholder or screen-reader label (aria-label): page chrome, element toolbar, pickers,
# the table's toolbar, search, column menu and its statistics and number formats.
STREAMLIT_ZH: dict[str, str] = {
    # page chrome
    "App pages": "应用页面",
    "Collapse sidebar": "收起侧栏",
    "Expand sidebar": "展开侧栏",
    "Sidebar": "侧栏",
    "Main menu": "主菜单",
    "Skip to main content": "跳到正文",
    "Link to heading": "链接到此标题",
    "Running...": "运行中…",
    "Stop": "停止",
    "Stopping...": "正在停止…",
    "Rerun": "重新运行",
    "Loading...": "加载中…",
    "Connecting": "正在连接",
    "Please wait...": "请稍候…",
    "Connection error": "连接错误",
    "Try again": "重试",
    "Page not found": "未找到页面",
    "Copy": "复制",
    "Copied": "已复制",
    "Close": "关闭",
    "Dismiss": "关闭",
    # every element's toolbar (charts, tables)
    "Fullscreen": "全屏",
    "Close fullscreen": "退出全屏",
    # pickers
    "Select all": "全选",
    "Clear all": "全部清除",
    "Clear value": "清除",
    "Selected values": "已选项",
    "Open": "展开选项",
    "No results": "无匹配项",
    "Choose an option": "请选择",
    "Choose options": "请选择",
    "Select...": "请选择…",
    # tables: toolbar, search, column menu, number formats
    "Download as CSV": "下载 CSV",
    "Search": "搜索",
    "Type to search": "输入以搜索",
    "Close Search": "关闭搜索",
    "Next Result": "下一个结果",
    "Previous Result": "上一个结果",
    "Show/hide columns": "显示或隐藏列",
    "Dataframe column menu": "列菜单",
    "Sort ascending": "升序排列",
    "Sort descending": "降序排列",
    "Format": "数字格式",
    "Autosize": "自动列宽",
    "Pin column": "固定此列",
    "Unpin column": "取消固定",
    "Hide column": "隐藏此列",
    "Copy column name": "复制列名",
    "Statistics": "统计",
    "Values": "值的个数",
    "Empty": "空值",
    "Distinct": "不同值",
    "Count": "计数",
    "Minimum": "最小值",
    "Maximum": "最大值",
    "Average": "平均值",
    "Median": "中位数",
    "Sum": "总和",
    "Standard deviation": "标准差",
    "Range": "范围",
    "25th percentile": "第 25 百分位数",
    "75th percentile": "第 75 百分位数",
    "Minimum length": "最短长度",
    "Maximum length": "最长长度",
    "Average length": "平均长度",
    "Top values frequency chart": "最常见值的频数图",
    "Based on sample": "基于抽样",
    "Automatic": "自动",
    "Localized": "本地格式",
    "Plain": "原样",
    "Compact": "简写",
    "Scientific": "科学计数法",
    "Percent": "百分比",
    "Accounting": "会计格式",
    "Dollar": "美元",
    "Euro": "欧元",
    "Yen": "日元",
    "Duration": "时长",
    "No data": "无数据",
}

# Streamlit's words built around a number ("Select 3 matches"): English and Chinese
# with {n} where the number goes.
STREAMLIT_TEMPLATES_ZH: dict[str, str] = {"Select {n} matches": "选择全部 {n} 项匹配"}


def _pattern(template: str) -> tuple[str, str]:
    """A template as a JavaScript regular expression and its `{n}` as the first group."""
    head, tail = (re.escape(part) for part in template.split("{n}"))
    return f"^{head}(\\d+){tail}$", template.replace("{n}", "$1")


def interface_table(language: str) -> dict[str, Any]:
    """What `ui.set_interface_language` swaps in the page for `language`: the exact
    strings and the number patterns, English to Chinese, or back again (the page keeps a
    translated string after the reader switches to English, where Streamlit does not
    redraw it)."""
    if language == "zh":
        pairs, templates = STREAMLIT_ZH.items(), STREAMLIT_TEMPLATES_ZH.items()
    else:
        pairs = ((zh, en) for en, zh in reversed(STREAMLIT_ZH.items()))  # 关闭 back to "Close"
        templates = ((zh, en) for en, zh in STREAMLIT_TEMPLATES_ZH.items())
    return {
        "strings": dict(pairs),
        "patterns": [[_pattern(source)[0], _pattern(target)[1]] for source, target in templates],
    }
