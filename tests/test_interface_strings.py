"""The front end's own words in Chinese are the installed front end's words.

A dictionary keyed by strings the installed Streamlit or plotly no longer prints
translates nothing (the plotly table once held "Download plot as a png" while the toolbar
said "Download plot as a PNG"), so every key is looked up in the bundled JavaScript.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import streamlit

from dashboard.interface_strings import (
    PLOTLY_DICTIONARY_ZH,
    STREAMLIT_TEMPLATES_ZH,
    STREAMLIT_ZH,
    interface_table,
)

BUNDLE = Path(streamlit.__file__).parent / "static" / "static" / "js"


# The bundle's chunks for the page chrome and the elements this app's pages use (the
# others hold map libraries' country names, diagram grammars and the like).
INTERFACE_CHUNKS = (
    "index", "utils", "Toolbar", "Tooltip", "withFullScreenWrapper", "DataFrame",
    "number-overlay-editor", "Multiselect", "Selectbox", "Autocomplete", "useFilter",
    "Radio", "Checkbox", "Slider", "Button", "BaseButton", "ButtonGroup", "DownloadButton",
    "MenuButton", "PageLink", "Toast", "Spinner", "ErrorElement", "InputInstructions",
    "WidgetLabel", "WidgetLabelHelpIcon", "LiveAnnouncer", "Input", "TextInput",
)  # fmt: skip


def bundle_text(chunks: tuple[str, ...] | None = None) -> str:
    """Streamlit's bundled JavaScript: the named chunks, or all of it."""
    return "\n".join(
        script.read_text(encoding="utf-8", errors="replace")
        for script in BUNDLE.glob("*.js")
        if chunks is None or script.name.split(".", 1)[0] in chunks
    )


def interface_words() -> set[str]:
    """Every string in Streamlit's bundle shaped like an interface word or phrase ("Sort
    ascending", "Show/hide columns", "Running..."): what a Chinese page must not show,
    whether or not the dictionary knows it yet."""
    shaped = r"[A-Z][a-z]+(?:[ /][A-Za-z][a-z]*){0,4}(?:\.\.\.)?"
    words = re.findall(rf"[`\"]({shaped})[`\"]", bundle_text(INTERFACE_CHUNKS))
    return set(words) | set(STREAMLIT_ZH)


@pytest.fixture(scope="module")
def streamlit_bundle() -> str:
    return bundle_text()


@pytest.fixture(scope="module")
def plotly_strings() -> set[str]:
    """The strings plotly.js passes to its translator `_(gd, "...")` in Streamlit's bundle."""
    (plotly,) = BUNDLE.glob("PlotlyChart.*.js")
    return set(re.findall(r"\b\w\(\w,`([^`]+)`\)", plotly.read_text(encoding="utf-8")))


def test_every_plotly_key_is_a_string_the_installed_plotly_translates(plotly_strings) -> None:
    assert "Download plot as a PNG" in plotly_strings, "the extraction itself works"
    stale = sorted(set(PLOTLY_DICTIONARY_ZH) - plotly_strings)
    assert not stale, f"plotly no longer prints these (reworded?): {stale}"


def test_the_plotly_toolbar_of_every_chart_is_translated(plotly_strings) -> None:
    # The buttons the app's charts show (2-D, geo) and the notices of a download.
    shown = {"Download plot as a PNG", "Download plot", "Reset", "Zoom in", "Zoom out"}
    assert shown <= plotly_strings
    assert shown <= set(PLOTLY_DICTIONARY_ZH)


def test_every_streamlit_key_is_a_string_the_installed_streamlit_prints(streamlit_bundle) -> None:
    stale = sorted(
        english
        for english in STREAMLIT_ZH
        if f"`{english}`" not in streamlit_bundle and f'"{english}"' not in streamlit_bundle
    )
    assert not stale, f"Streamlit no longer prints these (reworded?): {stale}"
    for template in STREAMLIT_TEMPLATES_ZH:
        head, tail = template.split("{n}")
        pattern = "`" + re.escape(head) + r"\$\{[^}`]+\}" + re.escape(tail) + "`"
        assert re.search(pattern, streamlit_bundle), f"Streamlit no longer prints {template!r}"


def test_interface_words_are_found_in_the_bundle() -> None:
    words = interface_words()
    assert {"Sort ascending", "Show/hide columns", "Statistics", "Running..."} <= words
    assert len(words) > 100


def test_the_strings_a_reader_meets_first_are_translated() -> None:
    for english in ("Select all", "No results", "Fullscreen", "Close fullscreen",
                    "Download as CSV", "Search", "Show/hide columns", "Choose an option",
                    "Sort ascending", "Main menu", "Collapse sidebar"):  # fmt: skip
        assert re.search(r"[\u4e00-\u9fff]", STREAMLIT_ZH[english]), english


def test_chinese_table_and_back_again() -> None:
    to_zh, to_en = interface_table("zh"), interface_table("en")
    for english, chinese in STREAMLIT_ZH.items():
        assert to_zh["strings"][english] == chinese
        back = to_en["strings"][chinese]
        assert STREAMLIT_ZH[back] == chinese, "back to an English word with that meaning"
    assert to_en["strings"]["关闭"] == "Close", "shared translations go back to the first"
    assert not set(to_zh["strings"]) & set(to_en["strings"]), "no word swaps back and forth"


@pytest.mark.parametrize(
    ("language", "shown", "expected"),
    [
        ("zh", "Select 12 matches", "选择全部 12 项匹配"),
        ("en", "选择全部 12 项匹配", "Select 12 matches"),
    ],
)
def test_number_patterns_keep_the_number(language: str, shown: str, expected: str) -> None:
    (pattern, target), *_ = interface_table(language)["patterns"]
    # The JavaScript RegExp syntax used is also Python's; "$1" is JavaScript's group.
    assert re.sub(pattern, target.replace("$1", r"\1"), shown) == expected
