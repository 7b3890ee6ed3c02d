"""Every page through Streamlit's AppTest, with valid, invalid and random URL parameters."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from dashboard import ui
from dashboard.data import Dataset

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")
PAGES = {
    "map": None,
    "regions": "app_pages/regions.py",
    "compare": "app_pages/compare.py",
    "timeline": "app_pages/timeline.py",
    "screener": "app_pages/screener.py",
    "sources": "app_pages/sources.py",
}
TITLES = {
    "map": "China's provincial AI+ commitments",
    "regions": "Regional strategies",
    "compare": "Compare provinces",
    "timeline": "Documents timeline",
    "screener": "Investor screener",
    "sources": "Data and sources",
}


def open_page(page: str, **params: str) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=60)
    app.query_params.update(params)
    app.run()
    if PAGES[page]:
        app.switch_page(PAGES[page]).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def param(app: AppTest, key: str) -> str | None:
    """A query parameter as the URL shows it (AppTest keeps str or list)."""
    value = app.query_params.get(key)
    return value[-1] if isinstance(value, list) else value


def texts(app: AppTest) -> str:
    parts = [*app.title, *app.header, *app.subheader, *app.markdown, *app.caption]
    return "\n".join(str(p.value) for p in parts)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders(page: str) -> None:
    app = open_page(page)
    assert app.title[0].value == TITLES[page]
    assert not app.error


@pytest.mark.parametrize("page", PAGES)
def test_every_page_in_chinese(page: str) -> None:
    app = open_page(page, lang="zh")
    assert any("\u4e00" <= ch <= "\u9fff" for ch in app.title[0].value)


def test_map_reads_its_view_from_the_url() -> None:
    app = open_page("map", metric="project_cap", scheme="equal_interval", border="1")
    assert app.selectbox(key="metric").value == "project_cap"
    assert app.selectbox(key="scheme").value == "equal_interval"
    assert app.checkbox(key="border").value is True
    assert param(app, "metric") == "project_cap"


def test_map_writes_changes_back_to_the_url() -> None:
    app = open_page("map")
    app.selectbox(key="metric").set_value("datasets_target").run()
    app.radio(key="per").set_value("capita").run()
    assert param(app, "metric") == "datasets_target"
    assert param(app, "per") == "capita"
    app.selectbox(key="province").set_value(440000).run()
    assert param(app, "province") == "440000"
    assert "Guangdong" in [s.value for s in app.subheader]


def test_province_panel_in_chinese_with_citations() -> None:
    app = open_page("map", province="440000", lang="zh")
    assert "广东省" in [s.value for s in app.subheader]
    body = texts(app)
    assert "人工智能产业基金" in body and "等级" in body


def test_normalisation_not_meaningful_for_a_metric_falls_back() -> None:
    app = open_page("map", metric="project_cap", per="capita")
    assert app.radio(key="per").value == "none"
    assert app.radio(key="per").options == ["Absolute"]


@pytest.mark.parametrize(
    "params",
    [
        {"metric": "<script>alert(1)</script>"},
        {"metric": "track:nonexistent", "per": "everything"},
        {"province": "999999"},
        {"province": ",".join(["440000"] * 10_000)},
        {"region": "mars,eastern", "lang": "fr", "present": "maybe"},
        {"scheme": "x" * 5000},
    ],
    ids=["script", "unknown-track", "unknown-adcode", "10000-provinces", "mixed", "long"],
)
def test_tampered_links_keep_the_map_working(params: dict[str, str]) -> None:
    app = open_page("map", **params)
    assert app.title[0].value == TITLES["map"]
    notices = [c.value for c in app.caption if "not understood" in c.value]
    assert len(notices) == 1, "a quiet notice, not an error"
    assert "<script>" not in notices[0], "echoed values are escaped"


def test_compare_and_screener_read_the_url() -> None:
    compare = open_page("compare", provinces="440000,320000,330000")
    assert compare.multiselect(key="provinces").value == [440000, 320000, 330000]
    assert {"Guangdong", "Jiangsu", "Zhejiang"} <= {s.value for s in compare.subheader}
    screener = open_page("screener", fund="5-20", groups="eastern", tracks="chips")
    assert screener.slider(key="fund_in_en").value == (5.0, 20.0)
    heading = [s.value for s in screener.subheader if "provinces match" in s.value]
    assert heading and int(heading[0].split()[0]) >= 1


def test_screener_picks_kinds_and_ranges_and_binds_them_to_the_url() -> None:
    app = open_page("screener")
    before = next(s.value for s in app.subheader if "match" in s.value)
    assert before.startswith("31 of 31"), "no money kind picked: every province"
    assert not app.slider, "a range slider appears only for a picked kind"
    app.multiselect(key="money_kinds").set_value(["voucher_budget"]).run()
    picked = next(s.value for s in app.subheader if "match" in s.value)
    assert 10 <= int(picked.split()[0]) < 31, "provinces with a voucher budget at any level"
    assert param(app, "money") == "voucher_budget"
    app.slider(key="voucher_budget_in_en").set_value((100.0, 600.0)).run()
    narrowed = next(s.value for s in app.subheader if "match" in s.value)
    assert int(narrowed.split()[0]) < int(picked.split()[0])
    assert param(app, "voucher_budget") == "100-600" and param(app, "money") is None
    assert any("or any of its cities" in c.value for c in app.caption), "the rule in words"


def test_screener_province_or_any_city_and_levels() -> None:
    both = open_page("screener", voucher_budget="200-600")
    provincial = open_page("screener", voucher_budget="200-600", level="province")
    count = {
        name: int(next(s.value for s in app.subheader if "match" in s.value).split()[0])
        for name, app in (("both", both), ("province", provincial))
    }
    # Shanghai's 600 is provincial; Shenzhen's 500 and Hangzhou's 250 are cities'.
    assert count == {"both": 3, "province": 1}


def test_screener_counts_in_chinese_units_and_keeps_the_url_in_stored_ones() -> None:
    app = open_page("screener", lang="zh", fund="10-20", voucher_budget="0-300")
    fund = app.slider(key="fund_in_zh")
    assert fund.label == "人工智能产业基金（亿元）" and fund.value == (100.0, 200.0)
    assert app.slider(key="voucher_budget_in_zh").label == "算力券等年度总额（万元/年）"
    fund.set_value((50.0, 150.0)).run()
    assert param(app, "fund") == "5-15", "links stay in the stored unit (bn yuan)"
    matched = next(s.value for s in app.subheader if "符合" in s.value)
    assert not matched.startswith("31个省份中31")


def test_screener_says_when_a_link_range_was_limited() -> None:
    app = open_page("screener", fund="10-3000")
    shown = [c.value.replace("\\", "") for c in app.caption]  # as rendered
    assert any("fund=10-3000 → 10-100" in c for c in shown), "never silently clamped"


def test_screener_map_says_what_was_screened_and_presents_the_result_alone() -> None:
    app = open_page("screener", fund="10-23", tracks="low_altitude", official_only="1")
    chart = json.loads(app.get("plotly_chart")[0].proto.spec)
    subtitle = chart["layout"]["title"]["subtitle"]["text"].replace("<br>", " ")
    assert "AI industry fund, bn yuan: 10 – 23" in subtitle and "Low-altitude economy" in subtitle
    assert "Only figures from official sources" in subtitle
    assert "the province or any of its cities" in subtitle
    present = open_page("screener", present="1", fund="10-23")
    assert not present.title and not present.subheader, "the map's title carries the count"
    spec = json.loads(present.get("plotly_chart")[0].proto.spec)
    assert re.match(r"\d+ of 31 match", spec["layout"]["title"]["text"])


def test_presentation_mode_hides_controls() -> None:
    app = open_page("map", present="1")
    assert not app.sidebar.radio, "no sidebar settings in presentation mode"
    assert not [s for s in app.selectbox if s.key == "metric"]
    assert [b for b in app.button if b.key == "present_exit"]
    app.button(key="present_exit").click().run()
    assert "present" not in app.query_params
    assert app.selectbox(key="metric").value == "compute_target_eflops", "the widest coverage"


def test_invalid_data_folder_shows_the_problems_not_a_map(mini_copy, monkeypatch) -> None:
    instruments = mini_copy / "instruments.csv"
    text = instruments.read_text(encoding="utf-8")
    instruments.write_text(text.replace("fund,20,cny_bn", "fund,-20,cny_bn"), encoding="utf-8")
    monkeypatch.setenv("DATA_DIR", str(mini_copy))
    app = AppTest.from_file(APP, default_timeout=60).run()
    assert not app.exception
    assert app.title[0].value == "The data folder has problems"
    assert app.error
    problems = app.dataframe[0].value
    assert problems.iloc[0]["File"] == "instruments.csv" and problems.iloc[0]["Row"] == 2
    assert problems.iloc[0]["Column"] == "amount"
    assert problems.iloc[0]["Rule"].startswith("must be greater than 0")
    assert not app.selectbox, "no map controls drawn from invalid data"
    chinese = AppTest.from_file(APP, default_timeout=60)
    chinese.query_params["lang"] = "zh"
    problem = chinese.run().dataframe[0].value.iloc[0]
    assert problem["文件"] == "instruments.csv" and problem["规则"].startswith("须大于 0")


def test_alternative_data_dir_is_used(mini_copy, monkeypatch) -> None:
    monkeypatch.setenv("DATA_DIR", str(mini_copy))
    app = open_page("compare")
    assert {s.value for s in app.subheader} >= {"Anhui", "Fujian"}


def _fingerprint(dataset: Dataset) -> list[int]:
    frames = [dataset.regions, dataset.sources, dataset.tracks, dataset.citations]
    return [int(pd.util.hash_pandas_object(f, index=True).sum()) for f in frames]


def test_pages_never_mutate_the_shared_dataset() -> None:
    open_page("map")
    before = _fingerprint(
        ui._dataset_for.__wrapped__  # type: ignore[attr-defined]
        if False
        else _shared()
    )
    for page in PAGES:
        open_page(page, province="340000", fund="1-20", official_only="1")
    assert _fingerprint(_shared()) == before


def _shared() -> Dataset:
    """The cached instance the app shares between sessions."""
    return ui.dataset()


url_values = st.one_of(
    st.text(max_size=60),
    st.sampled_from(
        [
            "440000",
            "track:chips",
            "capita",
            "1",
            "zh",
            "5-30",
            "eastern,border",
            "voucher_budget",
            "fund,lab_award",
            "local",
            "province",
        ]
    ),
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    page=st.sampled_from(list(PAGES)),
    params=st.dictionaries(
        st.sampled_from(["metric", "per", "province", "provinces", "region", "lang", "present",
                         "scheme", "fund", "tracks", "groups", "hub_only", "basis", "years",
                         "kinds", "doc", "money", "level", "voucher_budget"]),
        url_values, max_size=4,
    ),
)  # fmt: skip
def test_random_url_parameters_never_break_a_page(page: str, params: dict[str, str]) -> None:
    clean = {k: v.replace("\x00", "") for k, v in params.items()}
    app = open_page(page, **clean)
    presenting = any(b.key == "present_exit" for b in app.button)
    assert app.title or presenting, "a heading, or the map's own title in presentation mode"


def test_scenes_step_through_saved_views() -> None:
    app = open_page("map", scenes="fund/capita,project_cap@350000")
    assert app.selectbox(key="metric").value == "fund"
    assert app.radio(key="per").value == "capita"
    assert any("Saved view 1 of 2" in c.value for c in app.caption)
    app.button(key="scene_next").click().run()
    assert app.selectbox(key="metric").value == "project_cap"
    assert app.selectbox(key="province").value == 350000
    assert param(app, "scene") == "1"
    app.button(key="scene_next").click().run()
    assert param(app, "scene") is None, "wraps round to the first view"


def test_saving_a_view_adds_a_scene_to_the_link() -> None:
    app = open_page("map", metric="datasets_target")
    app.button(key="scene_save").click().run()
    assert param(app, "scenes") == "datasets_target"
    app.selectbox(key="metric").set_value("fund").run()
    app.button(key="scene_save").click().run()
    assert param(app, "scenes") == "datasets_target,fund"


def test_share_link_shows_the_current_view() -> None:
    app = open_page("map", metric="datasets_target", province="340000")
    link = app.sidebar.code[0].value
    assert "metric=datasets_target" in link and "province=340000" in link


def test_sources_page_says_what_was_normalised(mini_copy, monkeypatch) -> None:
    regions = mini_copy / "regions.csv"
    regions.write_bytes(b"\xef\xbb\xbf" + regions.read_bytes().replace(b",5011.5,", b",5011.5 ,"))
    monkeypatch.setenv("DATA_DIR", str(mini_copy))
    app = open_page("sources")
    notes = " ".join(i.value for i in app.info).replace("\\", "")  # as rendered
    assert "byte-order mark" in notes and "trimmed surrounding spaces" in notes


# --- like with like, documents -------------------------------------------------------


def test_target_metric_offers_basis_and_years_bound_to_the_url() -> None:
    app = open_page("map", metric="compute_target_eflops")
    assert app.selectbox(key="basis").value == "total", "the basis most provinces use"
    # One year by default: the one most provinces name on that basis.
    assert app.selectbox(key="years").value == "2027"
    assert param(app, "basis") is None and param(app, "years") is None, "defaults stay out"
    app.selectbox(key="basis").set_value("intelligent").run()
    app.selectbox(key="years").set_value("all").run()
    assert param(app, "basis") == "intelligent" and param(app, "years") == "all"
    reopened = open_page("map", metric="compute_target_eflops", basis="intelligent", years="all")
    assert reopened.selectbox(key="basis").value == "intelligent"
    assert reopened.selectbox(key="years").value == "all"


@pytest.mark.parametrize(
    "params",
    [
        {"metric": "compute_target_eflops", "basis": "imaginary"},
        {"metric": "compute_target_eflops", "years": "1999"},
        {"metric": "compute_target_eflops", "basis": "<b>x</b>", "years": "all"},
        {"metric": "fund", "basis": "total"},
        {"metric": "voucher_budget", "level": "<b>cities</b>"},
    ],
    ids=["unknown-basis", "unknown-year", "hostile", "basis-for-a-fund", "hostile-level"],
)
def test_bad_basis_or_years_get_a_quiet_notice(params: dict[str, str]) -> None:
    app = open_page("map", **params)
    notices = [c.value for c in app.caption if "not understood" in c.value]
    assert len(notices) == 1 and "<b>" not in notices[0]
    if params["metric"] == "compute_target_eflops":
        assert app.selectbox(key="basis").value == "total"


def test_panel_ranks_only_like_figures_and_lists_documents() -> None:
    app = open_page("map", province="320000", metric="compute_target_eflops")
    body = texts(app)
    assert "the only target for 2030 on total computing power" in body
    assert "Policy documents" in body and "苏政发〔2025〕108号" in body


def test_compare_share_link_keeps_per_resident() -> None:
    # As a browser opens the link: /compare is the first page this session runs.
    app = AppTest.from_file(APP, default_timeout=60).run()
    app.query_params.clear()
    app.query_params.update({"provinces": "340000,320000", "per": "capita"})
    app.switch_page(PAGES["compare"]).run()
    assert not app.exception
    assert app.radio(key="compare_per").value == "capita"
    assert param(app, "per") == "capita"
    assert any("is not applied to" in c.value for c in app.caption), "says which panels cannot"


def test_timeline_reads_and_writes_its_filters() -> None:
    app = open_page("timeline", kinds="ai_plus_plan", groups="central", doc="hn-ai-plus-2025")
    assert app.multiselect(key="kinds").value == ["ai_plus_plan"]
    assert app.multiselect(key="groups").value == ["central"]
    assert app.selectbox(key="doc").value == "hn-ai-plus-2025"
    assert "湘政发〔2025〕7号" in texts(app), "the detail shows number and quote"
    app.multiselect(key="kinds").set_value(["ai_plus_plan", "fyp15_outline"]).run()
    assert param(app, "kinds") == "ai_plus_plan,fyp15_outline"


@pytest.mark.parametrize(
    "params",
    [{"kinds": "bogus,ai_plus_plan"}, {"doc": "<script>alert(1)</script>"}, {"groups": "x" * 5000}],
    ids=["unknown-kind", "hostile-doc", "long-groups"],
)
def test_timeline_ignores_bad_links_quietly(params: dict[str, str]) -> None:
    app = open_page("timeline", **params)
    assert app.title[0].value == "Documents timeline"
    notices = [c.value for c in app.caption if "not understood" in c.value]
    assert len(notices) == 1 and "<script>" not in notices[0]


def test_sources_page_lists_the_documents() -> None:
    app = open_page("sources")
    tables = [frame.value for frame in app.dataframe]
    documents = next(t for t in tables if "doc_number" in t.columns)
    assert len(documents) >= 100 and documents["adcode"].nunique() >= 29


def test_money_kind_on_the_map_has_a_level_switch_bound_to_the_url() -> None:
    app = open_page("map", metric="voucher_budget")
    assert app.radio(key="level").value == "both" and param(app, "level") is None
    assert any("of this kind (" in m.value for m in app.markdown), "the list of local ones"
    app.radio(key="level").set_value("local").run()
    assert param(app, "level") == "local"
    app.radio(key="level").set_value("province").run()
    assert param(app, "level") == "province"
    assert not any("of this kind (" in m.value for m in app.markdown), "provinces only"
    target = open_page("map", metric="compute_target_eflops")
    assert not [r for r in target.radio if r.key == "level"], "a target has no levels"


@pytest.mark.parametrize(
    "params",
    [{"money": "bogus,fund"}, {"fund": "abc"}, {"voucher_budget": "9-1e9"}, {"level": "x" * 500}],
    ids=["unknown-kind", "bad-range", "huge-range", "long-level"],
)
def test_screener_hostile_links_get_a_notice_not_an_error(params: dict[str, str]) -> None:
    app = open_page("screener", **params)
    notices = [c.value for c in app.caption if "not understood" in c.value]
    assert len(notices) == 1


def test_first_visitor_explainer_is_dismissed_and_stays_folded() -> None:
    for lang, words in (("en", "target year"), ("zh", "目标年份")):
        app = open_page("map", lang=lang)
        assert any(words in m.value for m in app.markdown), "the explainer beside the map"
        assert any("国发〔2025〕11号" in m.value for m in app.markdown)
    app.button(key="intro_dismiss").click().run()
    assert not [b for b in app.button if b.key == "intro_dismiss"]
    assert app.expander, "folded, still there to reopen"
    app.switch_page(PAGES["compare"]).run()
    app.switch_page("app_pages/map_page.py").run()
    assert not [b for b in app.button if b.key == "intro_dismiss"], "remembered"
    present = open_page("map", present="1")
    assert not [b for b in present.button if b.key == "intro_dismiss"], "not on a projector"


def test_regions_on_a_phone_gives_each_group_its_own_money_table() -> None:
    desktop = open_page("regions")
    assert len(desktop.table) == 1 and len(desktop.table[0].value.columns) == 5
    phone = open_page("regions")
    phone.session_state["_main_width"] = 358  # what the width probe reports on a phone
    phone.run()
    assert [tab.label for tab in phone.tabs] == list(desktop.table[0].value.columns)
    assert [list(table.value.columns) for table in phone.table] == [
        [group] for group in desktop.table[0].value.columns
    ]


def test_a_views_figure_is_built_once_and_the_recent_ones_kept(mini) -> None:
    built: list[int] = []

    def compute(key: int):
        return lambda data: built.append(key) or object()

    first = ui.recent(mini, ("test", 0), compute(0))
    assert ui.recent(mini, ("test", 0), compute(0)) is first and built == [0]
    for key in range(1, ui.RECENT_VIEWS_KEPT + 1):
        ui.recent(mini, ("test", key), compute(key))
    assert ui.recent(mini, ("test", 0), compute(0)) is not first, "the oldest was let go"
    assert built.count(0) == 2


def test_a_shared_map_figure_carries_the_data_date_once() -> None:
    for _ in range(3):  # new sessions opening the same default view
        app = open_page("map")
    figure = json.loads(app.get("plotly_chart")[0].proto.spec)
    source = [a["text"] for a in figure["layout"]["annotations"] if a.get("name") == "source"]
    assert len(source) == 1 and source[0].count("Data as of") == 1, source


def test_dictionary_short_columns_are_as_wide_as_their_longest_value() -> None:
    from dashboard.dictionary import dictionary_table

    for lang, unit in (("en", "unit"), ("zh", "单位")):
        table = dictionary_table(lang)
        config = ui.fitted_columns(table)
        assert config[unit]["width"] >= len("EFLOPS") * 7.5 + 20, "was cut to 'EFLOP'"
        assert set(config) <= set(table.columns) and len(config) >= 3
        assert not {"rules", "description", "规则", "说明"} & set(config), "long text sizes itself"
