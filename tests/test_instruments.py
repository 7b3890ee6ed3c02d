"""Money instruments (`dashboard.instruments`, `dashboard.screening`) on small hand-made
frames with known answers: the province view of a kind, circle sizes, screening
"the province or any of its cities", medians per kind and level."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from dashboard import instruments, schema, screening

BEIJING, JIANGSU, ANHUI, XINJIANG = 110000, 320000, 340000, 650000


def instrument_frame() -> pd.DataFrame:
    rows = [  # id, adcode, level, place, place code, kind, amount, status, grade, published
        ("bj-prov-fund-1", BEIJING, "province", None, None, "fund", 10.0,
         "final", "official", "2025-01"),
        ("bj-prov-fund-2", BEIJING, "province", None, None, "fund", 30.0,
         "draft", "official", "2026-01"),
        ("bj-haidian-voucher-1", BEIJING, "district", "Haidian", 110108, "voucher_budget", 50.0,
         "final", "repost", "2025-02"),
        ("js-suzhou-fund-1", JIANGSU, "city", "Suzhou", 320500, "fund", 50.0,
         "final", "media", "2025-09"),
        ("js-nanjing-voucher-1", JIANGSU, "city", "Nanjing", 320100, "voucher_budget", 200.0,
         "final", "official", "2024-05"),
        ("ah-prov-fund-1", ANHUI, "province", None, None, "fund", 20.0,
         "final", "repost", "2025-08"),
        ("ah-prov-voucher-1", ANHUI, "province", None, None, "voucher_budget", 100.0,
         "final", "official", "2025-08"),
        ("ah-hefei-fund-1", ANHUI, "city", "Hefei", 999999, "fund", 5.0,
         "final", "official", "2025-05"),
    ]  # fmt: skip
    frame = pd.DataFrame(
        rows,
        columns=["id", "adcode", "level", "place_en", "place_adcode", "kind", "amount",
                 "status", "grade", "published"],
    )  # fmt: skip
    return frame.assign(
        place_zh=frame["place_en"],
        place_adcode=frame["place_adcode"].astype("Int64"),
        unit=frame["kind"].map(lambda k: schema.INSTRUMENT_KINDS[k].unit),
        share_pct=math.nan,
        year=2025,
        row=range(2, 2 + len(frame)),
    )


def test_province_view_takes_the_provinces_own_final_instrument_never_a_city() -> None:
    view = instruments.province_view(instrument_frame(), [BEIJING, JIANGSU, ANHUI, XINJIANG])
    # Beijing: the final 10, not the larger draft 30; Jiangsu: Suzhou's 50 is a city's.
    assert view.loc[BEIJING, "fund"] == 10.0
    assert math.isnan(view.loc[JIANGSU, "fund"]), "a city's fund never stands for its province"
    assert view.loc[ANHUI, "fund"] == 20.0 and view.loc[ANHUI, "voucher_budget"] == 100.0
    assert view.loc[XINJIANG].isna().all(), "no instrument: blank, never 0"
    assert list(view.columns) == list(schema.INSTRUMENT_KINDS)


def test_a_draft_stands_only_where_no_final_instrument_exists() -> None:
    frame = instrument_frame()
    drafts_only = frame[frame["id"] != "bj-prov-fund-1"]
    assert instruments.province_view(drafts_only, [BEIJING]).loc[BEIJING, "fund"] == 30.0


def test_circle_areas_are_proportional_to_amounts() -> None:
    diameters = instruments.circle_diameters(pd.Series([400.0, 100.0, 25.0]), 40.0, 400.0)
    assert list(diameters) == [40.0, 20.0, 10.0]
    tiny = instruments.circle_diameters(pd.Series([0.01]), 40.0, 400.0)
    assert tiny.iloc[0] == pytest.approx(40.0 * 0.12), "a floor keeps a small one visible"


def test_place_circles_positions_and_lists_unplaced() -> None:
    places = pd.DataFrame(
        {"lon": [116.3, 118.8, 120.6], "lat": [40.0, 32.0, 31.3]},
        index=pd.Index([110108, 320100, 320500], name="code"),
    )
    local = instruments.of_kind(instrument_frame(), "fund", "local")
    circles = instruments.place_circles(local, places, max_diameter=40.0)
    assert list(circles.rows["id"]) == ["js-suzhou-fund-1"]
    assert list(circles.unplaced["id"]) == ["ah-hefei-fund-1"], "unknown place: listed"
    assert circles.rows["diameter"].iloc[0] == 40.0
    assert circles.reference[0] <= 50.0


@pytest.mark.parametrize(
    ("largest", "key"),
    [(600.0, (500.0, 100.0, 20.0)), (50.0, (50.0, 10.0, 2.0)), (7.0, (5.0, 1.0, 0.2))],
)
def test_key_amounts_are_round_and_not_above_the_largest(largest: float, key: tuple) -> None:
    assert instruments.key_amounts(largest) == pytest.approx(key)


def regions_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "adcode": pd.array([BEIJING, JIANGSU, ANHUI, XINJIANG], dtype="Int64"),
            "name_en": ["Beijing", "Jiangsu", "Anhui", "Xinjiang"],
            "region": ["eastern", "eastern", "central", "western"],
            "border": pd.array([False, False, False, True], dtype="boolean"),
            "compute_hub": pd.array([True, True, True, False], dtype="boolean"),
            "focus_tracks": ["chips", "chips;icv", "models", None],
        }
    )


def matched(criteria: screening.Screen) -> list[int]:
    result = screening.screen(regions_frame(), instrument_frame(), criteria)
    return sorted(int(a) for a in result.provinces["adcode"])


def test_screen_counts_the_province_or_any_of_its_cities() -> None:
    funds = screening.Screen(ranges=(("fund", 15.0, 60.0),))
    # Jiangsu through Suzhou's 50; Anhui through its own 20; Beijing's final 10 and draft
    # 30 both count as instruments, and 30 is in range.
    assert matched(funds) == [BEIJING, JIANGSU, ANHUI]
    provincial = screening.Screen(ranges=(("fund", 15.0, 60.0),), level="province")
    assert matched(provincial) == [BEIJING, ANHUI]
    local = screening.Screen(ranges=(("fund", 15.0, 60.0),), level="local")
    assert matched(local) == [JIANGSU]


def test_every_picked_kind_must_be_met_and_kinds_are_never_mixed() -> None:
    both = screening.Screen(ranges=(("fund", 0.0, 100.0), ("voucher_budget", 150.0, 300.0)))
    assert matched(both) == [JIANGSU], "a fund of 50 never meets a voucher range"
    result = screening.screen(regions_frame(), instrument_frame(), both)
    assert set(result.instruments["id"]) == {"js-suzhou-fund-1", "js-nanjing-voucher-1"}


def test_screen_official_only_and_other_criteria() -> None:
    official = screening.Screen(ranges=(("fund", 0.0, 100.0),), official_only=True)
    assert matched(official) == [BEIJING, ANHUI], "Suzhou's fund is media; Hefei's official"
    assert matched(screening.Screen(tracks=("icv",))) == [JIANGSU]
    assert matched(screening.Screen(groups=("border",))) == [XINJIANG]
    no_money_asked = screening.screen(regions_frame(), instrument_frame(), screening.Screen())
    assert len(no_money_asked.provinces) == 4, "no kind picked: money filters nothing"


def test_medians_are_per_kind_and_level_never_summed() -> None:
    table = instruments.kind_medians(instrument_frame(), [BEIJING, JIANGSU, ANHUI])
    fund = table[table["kind"] == "fund"].set_index("tier")
    assert fund.loc["province", "count"] == 3 and fund.loc["province", "median"] == 20.0
    assert fund.loc["local", "count"] == 2 and fund.loc["local", "median"] == 27.5
    assert set(table["kind"]) == {"fund", "voucher_budget"}
    assert "sum" not in table.columns


def test_describe_screen_states_kind_ranges_and_the_rule() -> None:
    spans = {"fund": (0.0, 50.0), "voucher_budget": (0.0, 200.0)}
    criteria = screening.Screen(
        ranges=(("fund", 10.0, 22.501), ("voucher_budget", 0.0, 200.0)),
        tracks=("icv",),
        official_only=True,
    )
    english = screening.describe_screen(criteria, spans, {"icv": "ICV"}, "en")
    assert english == (
        "AI industry fund, bn yuan: 10 – 22.501; Yearly voucher budget, mn yuan/yr: any "
        "amount; the province or any of its cities; Focus tracks (any of): ICV; Only figures "
        "from official sources"
    )
    chinese = screening.describe_screen(criteria, spans, {}, "zh")
    assert chinese.startswith("人工智能产业基金（亿元）：100 – 225.01；")
    assert screening.describe_screen(screening.Screen(), {}, {}, "en") == (
        "no filters: every province"
    )


def test_group_money_table_keeps_kinds_and_levels_apart() -> None:
    members = {"eastern": frozenset({BEIJING, JIANGSU}), "central": frozenset({ANHUI})}
    table = instruments.group_money_table(instrument_frame(), members, "en")
    assert table.loc["AI industry fund · provincial", "Eastern"] == "20 bn yuan (median of 2)"
    assert table.loc["AI industry fund · cities, districts, zones", "Eastern"] == "50 bn yuan"
    assert table.loc["Yearly voucher budget · provincial", "Eastern"] == "—"
    assert table.loc["Yearly voucher budget · provincial", "Central"] == "100 mn yuan/yr"
    zh = instruments.group_money_table(instrument_frame(), members, "zh")
    assert zh.loc["人工智能产业基金 · 省级", "东部"] == "200 亿元（2项中位数）"


def test_result_table_one_row_per_instrument_grouped_by_province() -> None:
    frame = instrument_frame().assign(
        source_title="T",
        publisher="P (repost)",
        url="https://example.org",
        quote="q",
        id=lambda f: f["id"],
    )
    criteria = screening.Screen(ranges=(("fund", 0.0, 100.0),))
    result = screening.screen(regions_frame(), frame, criteria)
    table = screening.result_table(result, "en")
    assert list(table["Province"]) == ["Anhui", "Anhui", "Beijing", "Beijing", "Jiangsu"]
    assert list(table["Level and place"])[:2] == ["Province", "Hefei (city)"], "own first"
    assert table["source"].iloc[0] == "P", "the publisher without the grade's note"
    nothing = screening.screen(regions_frame(), frame, screening.Screen(groups=("border",)))
    empty = screening.result_table(nothing, "en")
    assert list(empty["Kind"]) == ["No cited money instrument"], "a province without any says so"
