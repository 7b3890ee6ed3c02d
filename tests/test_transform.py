"""Pure logic against small hand-made frames with known answers."""

from __future__ import annotations

import itertools
import math
import re

import pandas as pd
import pytest

from dashboard import metric_names, schema, transform
from dashboard.data import Dataset, best_sources
from dashboard.instruments import instrument_lines

NA = math.nan


def with_every_column(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame plus every other regions.csv column, blank, in its schema dtype."""
    for name, column in schema.regions_schema.columns.items():
        if name not in frame:
            dtype = str(column.dtype)
            frame[name] = pd.array([None] * len(frame), dtype=dtype if dtype != "str" else "string")
    return frame


def regions_frame() -> pd.DataFrame:
    """Four provinces: two eastern (one on the border), one central, one western."""
    return with_every_column(
        pd.DataFrame(
            {
                "adcode": pd.array([110000, 320000, 340000, 650000], dtype="Int64"),
                "name_en": ["Beijing", "Jiangsu", "Anhui", "Xinjiang"],
                "name_zh": ["北京市", "江苏省", "安徽省", "新疆维吾尔自治区"],
                "region": ["eastern", "eastern", "central", "western"],
                "border": pd.array([False, False, False, True], dtype="boolean"),
                "compute_hub": pd.array([True, True, True, False], dtype="boolean"),
                "fund": [10.0, NA, 20.0, 4.0],
                "project_cap": [50.0, 10.0, NA, NA],
                "voucher_budget": [NA, 100.0, NA, NA],
                "datasets_target": pd.array([None, 60, 100, None], dtype="Int64"),
                "compute_target_eflops": [NA, NA, NA, NA],
                "compute_target_year": pd.array([None] * 4, dtype="Int64"),
                "ai_industry_target_cny_bn": [NA, NA, NA, NA],
                "ai_industry_target_year": pd.array([None] * 4, dtype="Int64"),
                "focus_tracks": ["chips;models", "chips;icv", "chips;models;data", None],
                "gdp_2024_cny_bn": [5000.0, 13000.0, 5000.0, 2000.0],
                "population_2024_mn": [20.0, 85.0, 61.0, 26.0],
                "strategy_en": [None] * 4,
                "strategy_zh": [None] * 4,
            }
        )
    )


def tracks_frame() -> pd.DataFrame:
    ids = ["chips", "models", "icv", "data"]
    return pd.DataFrame({"track": ids, "label_en": ids, "label_zh": ids, "description": ids})


def sources_frame() -> pd.DataFrame:
    rows = [
        (110000, "fund", "media", "2026-01"),
        (110000, "fund", "official", "2025-06"),
        (340000, "fund", "repost", "2026-02"),
        (650000, "fund", "official", "2026-03-01"),
    ]
    return pd.DataFrame(
        [
            {"adcode": a, "field": f, "grade": g, "published": p, "publisher": f"P{i}",
             "url": f"https://example.org/{i}", "source_title": "T", "quote": "q",
             "value_as_stated": "v", "note": None}
            for i, (a, f, g, p) in enumerate(rows)
        ]
    )  # fmt: skip


def test_per_capita_money_is_yuan_per_resident() -> None:
    metric = transform.build_metric(regions_frame(), tracks_frame(), "fund", "capita", "en")
    # 20 bn yuan over 61 mn residents = 327.87 yuan each.
    assert metric.values[340000] == pytest.approx(20e9 / 61e6)
    assert metric.unit == "yuan per resident"
    assert math.isnan(metric.values[320000]), "no figure stays missing, never zero"


def test_per_gdp_money_is_yuan_per_10000_yuan() -> None:
    metric = transform.build_metric(regions_frame(), tracks_frame(), "fund", "gdp", "zh")
    assert metric.values[110000] == pytest.approx(10 / 5000 * 1e4)
    assert metric.unit == "元/万元GDP"


def test_counts_per_capita_and_disallowed_normalisation_falls_back() -> None:
    regions = regions_frame()
    datasets = transform.build_metric(
        regions, tracks_frame(), "datasets_target", "capita", "en", window="ahead"
    )
    assert datasets.shown[340000] == pytest.approx(100 / 61)
    assert datasets.states[340000] == "no_year", "no stated year: shown, not compared"
    assert datasets.unit == "per million residents"
    subsidy = transform.build_metric(regions, tracks_frame(), "project_cap", "capita", "en")
    assert subsidy.per == "none" and subsidy.values[110000] == 50.0


def test_track_metrics_keep_unknown_apart_from_absent() -> None:
    regions, tracks = regions_frame(), tracks_frame()
    has_models = transform.build_metric(regions, tracks, "track:models", "none", "en")
    assert has_models.binary
    assert has_models.values.tolist()[:3] == [1.0, 0.0, 1.0]
    assert math.isnan(has_models.values[650000]), "no track list is unknown, not 'does not'"
    count = transform.build_metric(regions, tracks, metric_names.TRACK_COUNT, "none", "en")
    assert count.values.tolist()[:3] == [2.0, 2.0, 3.0]


@pytest.mark.parametrize("scheme", transform.SCHEMES)
def test_classify_puts_every_known_value_in_a_class(scheme: str) -> None:
    values = pd.Series([1.0, 2.0, 3.0, 10.0, 50.0, 100.0, NA], index=range(7))
    classes = transform.classify(values, scheme)
    assert classes.class_of[6] == -1
    assert (classes.class_of[:6] >= 0).all()
    assert classes.class_of[:6].is_monotonic_increasing
    assert classes.count <= transform.MAX_CLASSES
    assert not any("bn yuan" in label for label in classes.labels), "the legend title has it"


@pytest.mark.parametrize("count", range(4, 18))
@pytest.mark.parametrize("scheme", ["quantiles", "natural_breaks"])
def test_class_limits_never_overlap_or_repeat(scheme: str, count: int) -> None:
    # The real shapes: ties, a long tail, values from 0.03 to 200.
    pool = [0.0304, 0.0304, 0.07, 0.1, 3, 5, 5, 10, 10, 10, 14, 20, 22.5, 25, 40, 60, 200]
    values = pd.Series(pool[:count], dtype=float)
    classes = transform.classify(values, scheme)
    assert len(set(classes.labels)) == len(classes.labels), "no label repeats"
    for label in classes.labels:
        parts = label.split(" – ")
        assert len(parts) == 1 or parts[0] != parts[1], f"no '{label}'"
    ranges = []
    for c in range(classes.count):
        members = values[classes.class_of == c]
        assert len(members) > 0, "every class offered has a province in it"
        ranges.append((members.min(), members.max()))
    assert all(hi < lo for (_, hi), (lo, _) in itertools.pairwise(ranges))
    assert classes.labels[0].startswith(transform.format_number(values.min()))


def test_few_values_get_a_class_each() -> None:
    funds = pd.Series([3.0, 10.0, 10.0, 20.0, 22.501, NA])
    classes = transform.classify(funds, "quantiles")
    assert classes.labels == ("3", "10", "20", "22.5")
    assert classes.class_of.tolist() == [0, 1, 1, 2, 3, -1], "Henan's 3 is not lumped with 10"


def test_equal_intervals_keep_and_mark_empty_bins() -> None:
    values = pd.Series([1.0, 2.0, 3.0, 4.0, 5.0, 100.0])
    classes = transform.classify(values, "equal_interval")
    assert classes.count == transform.MAX_CLASSES
    assert sum("(no province)" in label for label in classes.labels) == 3
    assert classes.class_of.tolist() == [0, 0, 0, 0, 0, 4]


def test_classify_handles_ties_single_values_and_nothing() -> None:
    tied = transform.classify(pd.Series([10.0, 10.0, 10.0, 20.0]), "quantiles")
    assert tied.labels == ("10", "20")
    single = transform.classify(pd.Series([5.0, NA]), "quantiles")
    assert single.labels == ("5",) and single.class_of.tolist() == [0, -1]
    empty = transform.classify(pd.Series([NA, NA]), "natural_breaks")
    assert empty.count == 0 and empty.class_of.tolist() == [-1, -1]


def test_natural_breaks_are_deterministic() -> None:
    values = pd.Series([1.0, 2.0, 2.5, 9.0, 10.0, 11.0, 30.0, 31.0])
    first = transform.classify(values, "natural_breaks", k=3)
    again = transform.classify(values, "natural_breaks", k=3)
    assert first.labels == again.labels and first.class_of.equals(again.class_of)
    assert first.class_of.tolist() == [0, 0, 0, 1, 1, 1, 2, 2]
    assert first.labels == ("1 – 2.5", "9 – 11", "30 – 31")


@pytest.mark.parametrize(
    ("value", "text"),
    [(20.0, "20"), (22.5, "22.5"), (1250.0, "1,250"), (0.35, "0.35"), (0.0123, "0.0123"), (NA, "")],
)
def test_format_number(value: float, text: str) -> None:
    assert transform.format_number(value) == text


def test_best_source_prefers_official_then_recent() -> None:
    best = best_sources(sources_frame())
    assert best.loc[(110000, "fund"), "grade"] == "official"
    assert best.loc[(340000, "fund"), "grade"] == "repost"


def test_group_summary_known_answers() -> None:
    summary = transform.summarise_groups(regions_frame())
    eastern = summary.loc["eastern"]
    assert eastern["provinces"] == 2 and eastern["hubs"] == 2
    assert "datasets_total" not in summary.columns, "targets for different years are never summed"
    assert not [c for c in summary.columns if "fund" in c or "total" in c], "money is never summed"
    assert summary.loc["border", "provinces"] == 1


def test_track_shares_count_only_provinces_with_a_list() -> None:
    shares = transform.track_shares(regions_frame(), tracks_frame())
    assert shares.loc["eastern", "chips"] == 1.0
    assert shares.loc["eastern", "models"] == 0.5
    assert shares.loc["central", "data"] == 1.0
    assert shares.loc["western"].isna().all(), "Xinjiang has no list: share unknown, not 0"


def test_jaccard_overlap_and_crowding() -> None:
    overlap = transform.track_overlap(regions_frame(), tracks_frame())
    assert list(overlap.index) == [110000, 320000, 340000]
    assert overlap.loc[110000, 320000] == pytest.approx(1 / 3)  # {chips} / {chips,models,icv}
    assert overlap.loc[110000, 340000] == pytest.approx(2 / 3)
    assert (overlap.to_numpy().diagonal() == 1).all()
    crowding = transform.track_crowding(regions_frame(), tracks_frame())
    assert crowding.to_dict() == {"chips": 3, "models": 2, "data": 1, "icv": 1}


def test_ranking_skips_missing() -> None:
    ranks = transform.ranking(pd.Series([10.0, NA, 20.0, 4.0]))
    assert ranks.tolist()[0] == 2 and pd.isna(ranks[1]) and ranks[2] == 1


def test_province_figures_show_gaps_and_ranks(mini: Dataset) -> None:
    figures = transform.province_figures(mini.regions, mini.citations, 340000, "en").set_index(
        "column"
    )
    assert figures.loc["datasets_target", "value"] == "100"
    assert figures.loc["datasets_target", "citation"].endswith("(grade: media)")
    assert figures.loc["compute_target_eflops", "value"] == "no published figure"
    assert figures.loc["compute_target_eflops", "citation"] == ""
    assert not set(schema.MONEY_COLUMNS) & set(figures.index), "money is listed by instrument"


def test_instrument_lines_group_by_kind_province_first(mini: Dataset) -> None:
    lines = instrument_lines(mini.instruments, 340000, "en")
    assert list(zip(lines["kind"], lines["place"], lines["amount"], strict=True)) == [
        ("fund", "Province", "20 bn yuan"),
        ("fund", "Hefei (city)", "5 bn yuan"),
        ("voucher_budget", "Hefei (city)", "100 mn yuan/yr"),
    ]
    assert lines["terms"].iloc[2] == "30% of cost · from 2025"
    assert lines["citation"].iloc[0] == "Wedoany, 2026-01 (grade: media)"
    zh = instrument_lines(mini.instruments, 340000, "zh")
    assert list(zh["amount"]) == ["200 亿元", "50 亿元", "1 亿元/年"], "1 亿元, not 10,000 万元"
    assert list(zh["place"][1:]) == ["合肥市（市级）", "合肥市（市级）"]


def test_metric_ids_cover_figures_count_and_every_track(dataset: Dataset) -> None:
    ids = metric_names.metric_ids(dataset.tracks)
    assert ids[0] == "fund" and metric_names.TRACK_COUNT in ids
    assert {f"track:{t}" for t in dataset.tracks["track"]} <= set(ids)


# --- like with like ------------------------------------------------------------------


def targets_frame() -> pd.DataFrame:
    """Five compute targets: three total (2027, 2027, 2030), one service, one past year."""
    frame = regions_frame().iloc[:0]
    rows = [
        (110000, 200.0, 2027, "total"),
        (320000, 50.0, 2030, "total"),
        (330000, 60.0, 2027, "service"),
        (340000, 30.0, 2027, "total"),
        (630000, 2.06, 2025, "total"),
        (650000, NA, None, None),
    ]
    frame = pd.DataFrame(
        {
            "adcode": pd.array([r[0] for r in rows], dtype="Int64"),
            "region": ["eastern", "eastern", "eastern", "central", "western", "western"],
            "border": pd.array([False, False, False, False, False, True], dtype="boolean"),
            "focus_tracks": [None] * len(rows),
            "compute_target_eflops": [r[1] for r in rows],
            "compute_target_year": pd.array([r[2] for r in rows], dtype="Int64"),
            "compute_target_basis": pd.array([r[3] for r in rows], dtype="string"),
            "population_2024_mn": [20.0] * len(rows),
            "gdp_2024_cny_bn": [1000.0] * len(rows),
        }
    )
    return with_every_column(frame)


def compute_metric(**choice: object) -> transform.Metric:
    return transform.build_metric(
        targets_frame(), tracks_frame(), "compute_target_eflops", "none", "en",
        current_year=2026, **choice,
    )  # fmt: skip


def test_only_like_figures_are_comparable() -> None:
    metric = compute_metric(basis="total", window="ahead")
    assert metric.values.dropna().to_dict() == {110000: 200.0, 320000: 50.0, 340000: 30.0}
    states = metric.states.to_dict()
    assert states[330000] == "other_basis", "a service scale is never on the total scale"
    assert states[630000] == "year_passed", "2025 has passed in 2026"
    assert states[650000] == "no_figure"
    assert metric.shown[330000] == 60.0, "the left-out figure keeps its value for hover"
    assert metric.state_counts() == {"other_basis": 1, "year_passed": 1, "no_figure": 1}


def test_one_year_window_leaves_other_years_out() -> None:
    metric = compute_metric(basis="total", window="2027")
    assert set(metric.values.dropna().index) == {110000, 340000}
    assert metric.states[320000] == "other_year"
    assert metric.states[630000] == "year_passed"


def test_all_years_window_keeps_passed_targets_but_not_other_bases() -> None:
    metric = compute_metric(basis="total", window="all")
    assert set(metric.values.dropna().index) == {110000, 320000, 340000, 630000}
    assert metric.states[330000] == "other_basis"


def test_ranks_only_within_the_comparable_set() -> None:
    metric = compute_metric(basis="total", window="2027")
    ranks = transform.ranking(metric.values)
    assert ranks[110000] == 1 and ranks[340000] == 2
    assert pd.isna(ranks[320000]) and pd.isna(ranks[330000])


def test_basis_options_most_used_first_and_year_options() -> None:
    frame = targets_frame()
    assert transform.basis_options(frame, "compute_target_eflops") == ["total", "service"]
    assert transform.basis_options(frame, "fund") == []
    assert transform.year_options(frame, "compute_target_eflops") == [
        "ahead", "all", "2025", "2027", "2030",
    ]  # fmt: skip
    assert transform.year_options(frame, "fund") == []


def test_like_rank_names_basis_and_year() -> None:
    by_adcode = targets_frame().set_index("adcode")
    text = transform.like_rank(by_adcode, "compute_target_eflops", 340000, "en")
    assert text == "rank 2 of 2 with a target for 2027 on total computing power"
    service = transform.like_rank(by_adcode, "compute_target_eflops", 330000, "en")
    assert service == (
        "the only target for 2027 on computing services (cloud) scale: nothing to rank it with"
    ), "'rank 1 of 1' is no rank"


def test_comparison_text_and_figure_tags() -> None:
    metric = compute_metric(basis="total", window="2027")
    assert transform.comparison_text(metric, "en") == "targets for 2027; total computing power"
    assert transform.figure_tag(metric, 320000, "en") == "2030"
    every_basis = compute_metric(basis=None, window="all")
    assert (
        transform.figure_tag(every_basis, 330000, "en") == "2027 · computing services (cloud) scale"
    )


def test_per_gdp_without_gdp_is_its_own_state() -> None:
    frame = regions_frame()
    frame.loc[frame["adcode"] == 340000, "gdp_2024_cny_bn"] = NA
    metric = transform.build_metric(frame, tracks_frame(), "fund", "gdp", "en")
    assert metric.states[340000] == "no_gdp", "Anhui has a fund but no GDP to divide by"
    assert metric.states[320000] == "no_figure"


def test_group_medians_only_over_like_targets() -> None:
    like = transform.like_targets(targets_frame(), "compute_target_eflops")
    assert (like.basis, like.year) == ("total", 2027), "the most common basis and year"
    assert like.counts["eastern"] == 1 and like.medians["eastern"] == 200.0
    assert like.counts["central"] == 1 and like.medians["central"] == 30.0
    assert like.counts["western"] == 0 and math.isnan(like.medians["western"])


# --- documents -----------------------------------------------------------------------


def documents_frame() -> pd.DataFrame:
    rows = [
        (
            "bj-ai-plus-2024",
            110000,
            "ai_plus_plan",
            "final",
            "2024-07-26",
            "北京“人工智能+”行动计划",
        ),
        (
            "js-ai-plus-2025",
            320000,
            "ai_plus_plan",
            "final",
            "2025-12-29",
            "江苏“人工智能+”行动方案",
        ),
        ("js-fyp15-2026", 320000, "fyp15_outline", "draft", "2026-01", "江苏十五五规划纲要"),
        ("ah-ai-plus-2025", 340000, "ai_plus_plan", "final", "2025-08-21", "安徽行动方案"),
        ("ah-ai-plus-2026", 340000, "ai_plus_plan", "final", "2026-01-13", "安徽行动方案二"),
        ("xj-ai-plus-2025", 650000, "ai_plus_plan", "draft", "2025-11", "新疆征求意见稿"),
    ]
    return pd.DataFrame(
        [
            {"document": d, "adcode": a, "kind": k, "status": s, "issued": i, "title_zh": ti}
            for d, a, k, s, i, ti in rows
        ]
    ).astype({"issued": "string", "title_zh": "string"})


def test_plan_response_days_and_states() -> None:
    index = pd.Index([110000, 320000, 340000, 650000])
    days, states = transform.plan_response(index, documents_frame())
    assert pd.isna(days[110000]) and states[110000] == "no_plan", "a 2024 plan does not answer"
    assert days[320000] == 130 and states[320000] == ""
    assert days[340000] == 0, "the earliest final plan counts, on the opinion's own day"
    assert states[650000] == "plan_draft"


def test_undated_plan_with_a_later_period_is_found_but_not_placed() -> None:
    documents = pd.concat(
        [
            documents_frame(),
            pd.DataFrame(
                [
                    {
                        "document": "hi-ai-plus-2026",
                        "adcode": 460000,
                        "kind": "ai_plus_plan",
                        "status": "final",
                        "issued": None,
                        "title_zh": "海南省“人工智能+”行动方案(2026—2028年)",
                    }
                ]
            ),
        ]
    ).astype({"issued": "string", "title_zh": "string"})
    days, states = transform.plan_response(pd.Index([460000]), documents)
    assert states[460000] == "plan_undated" and pd.isna(days[460000])


def test_group_plan_counts_and_median_days() -> None:
    summary = transform.summarise_groups(regions_frame(), documents_frame())
    assert summary.loc["eastern", "with_plan"] == 1
    assert summary.loc["eastern", "plan_days_median"] == 130
    assert summary.loc["central", "with_plan"] == 1 and summary.loc["western", "with_plan"] == 0


def test_province_documents_newest_first() -> None:
    jiangsu = transform.province_documents(documents_frame(), 320000)
    assert list(jiangsu["document"]) == ["js-fyp15-2026", "js-ai-plus-2025"]


def test_default_window_is_the_year_most_provinces_target_on_the_basis() -> None:
    frame = targets_frame()
    # Total computing: 2027 twice, 2030 once (and one passed year): 2027.
    assert transform.default_window(frame, "compute_target_eflops", "total", 2026) == "2027"
    metric = transform.build_metric(frame, tracks_frame(), "compute_target_eflops", "none", "en",
                                    current_year=2026)  # fmt: skip
    assert metric.window == "2027"
    compared = metric.years[metric.states == transform.COMPARABLE]
    assert set(compared) == {2027}, "the default view never ranks two years together"
    assert transform.default_window(frame, "gdp_2024_cny_bn", None) == "all", "undated"


def test_ranked_figures_rank_within_each_year_of_a_window() -> None:
    frame = targets_frame()
    metric = transform.build_metric(frame, tracks_frame(), "compute_target_eflops", "none", "en",
                                    basis="total", window="ahead", current_year=2026)  # fmt: skip
    items = transform.ranked_figures(metric, "en")
    assert [(i.adcode, i.rank, i.text) for i in items] == [
        (110000, 1, "200 · #1 of 2 in 2027"),
        (340000, 2, "30 · #2 of 2 in 2027"),
        (320000, 1, "50 · the only one for 2030"),
    ], "grouped by year, ranked within it"
    one_year = transform.build_metric(frame, tracks_frame(), "compute_target_eflops", "none",
                                      "en", basis="total", window="2027")  # fmt: skip
    assert [i.text for i in transform.ranked_figures(one_year, "en", within={340000})] == [
        "30 · 2027"
    ], "one year: the year on the figure, no rank within"


def test_english_document_lines_name_every_issuer_in_english(dataset) -> None:
    cjk = re.compile(r"[\u4e00-\u9fff]")
    for document in dataset.documents.itertuples():
        if not isinstance(document.issuer, str):
            continue
        assert isinstance(document.issuer_en, str) and not cjk.search(document.issuer_en)
        english = transform.document_line(document, "en")
        assert document.issuer_en in english and document.issuer not in english
        assert document.issuer in transform.document_line(document, "zh")
        assert not re.search(r"[A-Za-z]{4,}", document.issuer), "remarks live in the note"
