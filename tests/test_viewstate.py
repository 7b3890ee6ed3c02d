"""URL parsing: any value gives a usable view, with a notice when something was ignored."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from dashboard import viewstate
from dashboard.markup import escape_markdown, is_web_url, markdown_link

KNOWN = {340000, 440000}


def test_choice_accepts_known_and_ignores_unknown() -> None:
    assert viewstate.parse_choice("capita", ("none", "capita"), "none", "per").value == "capita"
    ignored = viewstate.parse_choice("<script>", ("none", "capita"), "none", "per")
    assert ignored.value == "none" and ignored.notice == "per=<script>"
    assert viewstate.parse_choice(None, ("a",), "a", "k").notice is None


def test_adcode_and_lists() -> None:
    assert viewstate.parse_adcode("440000", KNOWN, "province").value == 440000
    assert viewstate.parse_adcode("810000", KNOWN, "province").value is None
    assert viewstate.parse_adcode("44e4", KNOWN, "province").notice == "province=44e4"
    many = ",".join(["340000"] * 10_000 + ["440000", "1"])
    parsed = viewstate.parse_adcodes(many, KNOWN, "provinces", limit=4)
    assert parsed.value == (340000, 440000) and parsed.notice == "provinces=1"
    groups = viewstate.parse_list("eastern,border,mars", ("eastern", "border"), "region")
    assert groups.value == ("eastern", "border") and groups.notice == "region=mars"


def test_ranges_are_ordered_and_clipped() -> None:
    assert viewstate.parse_range("30-5", (0, 20), "fund").value == (5, 20)
    assert viewstate.parse_range("5..10", (0, 20), "fund").value == (5, 10)
    assert viewstate.parse_range("50-60", (0, 20), "fund").value is None
    assert viewstate.parse_range("abc", (0, 20), "fund").notice == "fund=abc"
    assert viewstate.format_range((5.0, 20.0)) == "5-20"


def test_flags() -> None:
    assert viewstate.parse_flag("1", "present").value is True
    assert viewstate.parse_flag("FALSE", "present").value is False
    assert viewstate.parse_flag("maybe", "present").notice == "present=maybe"


def test_long_values_are_clipped_in_notices() -> None:
    notice = viewstate.parse_choice("x" * 5000, ("a",), "a", "metric").notice
    assert notice is not None and len(notice) < 60


@given(st.text(max_size=300))
def test_every_parser_accepts_any_text(raw: str) -> None:
    options = ("none", "capita", "gdp")
    assert viewstate.parse_choice(raw, options, "none", "per").value in options
    assert viewstate.parse_flag(raw, "present").value in (True, False)
    assert set(viewstate.parse_list(raw, options, "per").value) <= set(options)
    assert viewstate.parse_adcode(raw, KNOWN, "province").value in (None, *KNOWN)
    value = viewstate.parse_range(raw, (0.0, 50.0), "fund").value
    assert value is None or 0.0 <= value[0] <= value[1] <= 50.0


@given(st.text(max_size=200))
def test_escaped_markdown_has_no_live_syntax(text: str) -> None:
    escaped = escape_markdown(text)
    for char in "[]()<>`*_!#":
        assert escaped.count(char) == escaped.count("\\" + char), char


def test_only_web_links_become_links() -> None:
    assert is_web_url("https://www.gov.cn/a(b)")
    for url in ("javascript:alert(1)", "data:text/html,x", "file:///etc/passwd", "http://a b"):
        assert not is_web_url(url)
        assert markdown_link("x", url) == ""
    assert markdown_link("[x]", "https://a.cn/p(1)") == "[\\[x\\]](https://a.cn/p%281%29)"


def test_scenes_round_trip_and_ignore_unknown_items() -> None:
    raw = "fund/capita,project_cap@350000,nonsense,track:low_altitude/gdp"
    parsed = viewstate.parse_scenes(
        raw, {"fund", "project_cap", "track:low_altitude"},
        ("none", "capita", "gdp"), {350000},
    )  # fmt: skip
    assert parsed.value == (
        viewstate.Scene("fund", "capita"),
        viewstate.Scene("project_cap", "none", 350000),
        viewstate.Scene("track:low_altitude", "gdp"),
    )
    assert parsed.notice == "scenes=nonsense"
    assert viewstate.encode_scenes(parsed.value) == raw.replace(",nonsense", "")
