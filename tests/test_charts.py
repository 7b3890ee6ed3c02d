"""Figures built directly (AppTest cannot look inside charts)."""

from __future__ import annotations

import itertools
import json
import math
import re
from dataclasses import replace

import pandas as pd
import plotly.io as pio
import pytest

from dashboard import charts, schema, transform
from dashboard.boundaries import Boundaries, hatch_points
from dashboard.comparison import PanelSplit, build_compare_bars, like_key, split_like
from dashboard.data import Dataset


def map_figure(dataset: Dataset, boundaries: Boundaries, metric_id: str, lang: str = "en", **kw):
    metric = transform.build_metric(dataset.regions, dataset.tracks, metric_id, "none", lang)
    classes = transform.classify(metric.values, "quantiles")
    names = charts.province_names(dataset.regions, boundaries, lang)
    adcodes = [int(a) for a in dataset.regions["adcode"]]
    citations = charts.metric_citations(dataset.citations, metric.source_field, adcodes, lang)
    figure = charts.build_choropleth(metric, classes, boundaries, names, citations, lang, **kw)
    return metric, classes, figure


def fills(figure) -> dict[int, str]:
    """The colour each province is drawn in, read from the trace's codes and scale."""
    main = figure.data[0]
    n = round(main.zmax - main.zmin)
    stops = {round(stop, 6): colour for stop, colour in main.colorscale}
    return {
        int(a): stops[round(int(z) / n, 6)] for a, z in zip(main.locations, main.z, strict=True)
    }


def test_map_has_every_province_with_data_and_not_covered_apart(dataset, boundaries) -> None:
    metric, classes, figure = map_figure(dataset, boundaries, "fund")
    colour = fills(figure)
    assert set(schema.MAINLAND_ADCODES) <= set(colour) and len(colour) == 34
    for adcode in schema.NOT_COVERED_ADCODES:
        assert colour[adcode] == charts.NOT_COVERED_FILL
    missing = metric.values[metric.values.isna()].index
    assert len(missing) > 0, "the real data has provinces without a fund"
    assert all(colour[a] == charts.NO_FIGURE_FILL for a in missing), "a gap is never a class"
    known = metric.values.dropna().index
    assert all(colour[a] in charts.class_colours(classes.count) for a in known)
    assert charts.NO_FIGURE_FILL != charts.NOT_COVERED_FILL


def test_no_figure_is_pale_dotted_and_in_the_legend(dataset, boundaries) -> None:
    _, classes, figure = map_figure(dataset, boundaries, "fund", hatch=hatch_points(boundaries))
    assert charts.NO_FIGURE_FILL not in charts.class_colours(classes.count)
    dots = [
        t
        for t in figure.data
        if t.type == "scattergeo" and t.mode == "markers" and t.lon is not None and len(t.lon) > 1
    ]
    assert dots and dots[0].marker.color == charts.NO_FIGURE_DOTS
    legend = [t.name.replace("<br>", " ") for t in figure.data if t.showlegend]
    assert any(name.startswith("no published figure (") for name in legend), "with its count"
    assert "not in this dataset" in legend
    assert figure.layout.legend.title.text == "bn yuan", "the key's title carries the unit"


def test_hover_names_value_year_and_source(dataset, boundaries) -> None:
    _, _, figure = map_figure(dataset, boundaries, "fund")
    main = figure.data[0]
    hover = dict(zip(main.locations, main.customdata, strict=True))
    anhui = hover[340000]
    assert anhui[0] == "Anhui" and anhui[1] == "20 bn yuan"
    publisher = dataset.citations.loc[(340000, "fund")]
    # The publisher without the "(repost of ...)" note: the grade says it once.
    assert anhui[3] == "ypkjmy.com.shayuweb.com, 2025-08-22 (grade: repost)"
    assert publisher["published"] in anhui[3]
    assert hover[810000][1] == "not in this dataset"
    compute = map_figure(dataset, boundaries, "compute_target_eflops")[2].data[0]
    with_figure = [row for row in compute.customdata if "EFLOPS" in row[1]]
    assert with_figure and all(" · 20" in row[2] for row in with_figure), "years in the hover"


def test_map_is_offline_conic_and_carries_title_and_source(dataset, boundaries) -> None:
    _, _, figure = map_figure(dataset, boundaries, "datasets_target", lang="zh")
    geo = figure.layout.geo
    assert geo.visible is False, "no base layers: nothing to fetch"
    assert geo.projection.type == "conic equal area"
    assert figure.layout.uirevision == "keep", "zoom survives reruns"
    assert "高质量数据集目标" in figure.layout.title.text
    assert any("来源" in a.text for a in figure.layout.annotations)
    assert "geo2" not in figure.layout.to_plotly_json(), "the inset is drawn on the map itself"
    inset_lines = [trace for trace in figure.data if _is_inset_frame(trace)]
    assert len(inset_lines) == 1 and inset_lines[0].geo in (None, "geo"), "on the one map"


def test_chinese_labels_and_escaped_text(dataset, boundaries) -> None:
    _, _, figure = map_figure(dataset, boundaries, "track:low_altitude", lang="zh")
    names = {row[0] for row in figure.data[0].customdata}
    assert "广东省" in names
    assert charts._plain("<b>x</b>") == "&lt;b&gt;x&lt;/b&gt;"


def test_selected_and_border_provinces_are_outlined(dataset, boundaries) -> None:
    borders = frozenset(int(a) for a in dataset.regions.loc[dataset.regions["border"], "adcode"])
    _, _, figure = map_figure(dataset, boundaries, "fund", selected=440000, border_adcodes=borders)
    main = figure.data[0]
    edges = dict(zip(main.locations, main.marker.line.color, strict=True))
    assert edges[440000] == charts.SELECTED_EDGE
    assert all(edges[a] == charts.BORDER_EDGE for a in borders)
    assert len(borders) == 9


def test_map_payload_refers_to_served_geometry(dataset, boundaries) -> None:
    _, _, figure = map_figure(dataset, boundaries, "fund")
    payload = pio.to_json(figure, validate=False)
    assert boundaries.url == "/app/static/provinces.geojson"
    assert figure.data[0].geojson == boundaries.url, "the browser fetches it once and caches it"
    assert '"FeatureCollection"' not in payload and len(payload) < 60_000


def test_map_without_served_geometry_inlines_it_once(dataset, boundaries) -> None:
    inline = replace(boundaries, url=None)
    metric = transform.build_metric(dataset.regions, dataset.tracks, "fund", "none", "en")
    classes = transform.classify(metric.values, "quantiles")
    figure = charts.build_choropleth(metric, classes, inline, {}, {}, "en")
    payload = pio.to_json(figure, validate=False)
    assert len(payload) < 300_000
    assert payload.count('"FeatureCollection"') == 2, "main map plus the small inset subset"


def test_ranked_bars_show_only_known_values_largest_on_top(dataset) -> None:
    metric = transform.build_metric(dataset.regions, dataset.tracks, "fund", "none", "en")
    classes = transform.classify(metric.values, "quantiles")
    names = dict(zip(dataset.regions["adcode"], dataset.regions["name_en"], strict=True))
    figure = charts.build_ranked_bars(metric, classes, names, "en")
    bars = figure.data[0]
    assert len(bars.y) == metric.values.notna().sum()
    assert list(bars.x) == sorted(bars.x), "ascending from the bottom: largest on top"
    missing = int(metric.values.isna().sum())
    assert any(
        f"no published figure ({missing})" in a.text.replace("<br>", " ")
        for a in figure.layout.annotations
    )


def test_every_chart_exports_with_title_and_source(dataset, boundaries) -> None:
    shares = transform.track_shares(dataset.regions, dataset.tracks)
    overlap = transform.track_overlap(dataset.regions, dataset.tracks)
    names = charts.province_names(dataset.regions, boundaries, "en")
    metrics = [
        transform.build_metric(dataset.regions, dataset.tracks, c, "none", "en")
        for c in schema.FIGURE_COLUMNS
    ]
    figures = [
        charts.build_track_heatmap(shares, {}, "en"),
        charts.build_overlap_heatmap(overlap, names, "en"),
        build_compare_bars([m for m in metrics], names, "en"),
    ]
    for figure in figures:
        spec = json.loads(pio.to_json(figure, validate=False))
        assert spec["layout"]["title"]["text"]
        assert any("Source:" in a["text"] for a in spec["layout"]["annotations"])


def compare_metrics(dataset: Dataset, chosen: list[int]) -> list[transform.Metric]:
    return [
        transform.only(
            transform.build_metric(
                dataset.regions, dataset.tracks, c, "none", "en", basis=None, window="all"
            ),
            chosen,
        )
        for c in schema.FIGURE_COLUMNS
    ]


def test_compare_bars_label_gaps_instead_of_drawing_zero(dataset, boundaries) -> None:
    metrics = compare_metrics(dataset, [340000, 320000])
    figure = build_compare_bars(
        metrics, charts.province_names(dataset.regions, boundaries, "en"), "en"
    )
    shown = [m.shown if m.shown is not None else m.values for m in metrics]
    partly = [v for v in shown if v.isna().any() and v.notna().any()]
    gaps = sum(int(v.isna().sum()) for v in partly)
    labels = [
        a for a in figure.layout.annotations if a.text.replace("<br>", " ") == "no published figure"
    ]
    assert gaps > 0 and len(labels) == gaps
    empty = [m for m, v in zip(metrics, shown, strict=True) if v.isna().all()]
    source = next(a for a in figure.layout.annotations if a.name == charts.SOURCE_NOTE)
    named = source.text.replace("<br>", " ")
    assert empty and "No chosen province publishes" in named, "named, not empty panels"
    assert len(figure.data) == len(metrics) - len(empty)


def test_compare_never_puts_unlike_figures_on_one_axis(dataset, boundaries) -> None:
    """Anhui's intelligent computing for 2027 is no bar beside Jiangsu's total for 2030."""
    names = charts.province_names(dataset.regions, boundaries, "en")
    for chosen in ([340000, 320000], [330000, 320000, 110000, 520000], [410000, 430000]):
        metrics = compare_metrics(dataset, chosen)
        figure = build_compare_bars(metrics, names, "en")
        drawn = [m for m in metrics if (m.shown if m.shown is not None else m.values).notna().any()]
        for metric, bars in zip(drawn, figure.data, strict=True):
            on_axis = [a for a, y in zip(metric.values.index, bars.y, strict=True) if y is not None]
            assert len({like_key(metric, a) for a in on_axis}) <= 1, metric.id
    anhui_jiangsu = compare_metrics(dataset, [340000, 320000])
    compute = next(m for m in anhui_jiangsu if m.id == "compute_target_eflops")
    split = split_like(compute)
    if len(split.apart):
        figure = build_compare_bars([compute], names, "en")
        notes = [a.text for a in figure.layout.annotations if a.name == "slot_note"]
        assert any(n.endswith(": not comparable") for n in notes)
        source = next(a for a in figure.layout.annotations if a.name == charts.SOURCE_NOTE)
        assert "count the same thing for the same year" in source.text.replace("<br>", " ")


def test_split_like_keeps_the_largest_like_set() -> None:
    index = pd.Index([1, 2, 3, 4], name="adcode")
    metric = transform.Metric(
        id="compute_target_eflops", per="none", label="", unit="", binary=False,
        values=pd.Series([30.0, 50.0, 20.0, None], index=index),
        years=pd.Series([2027, 2030, 2027, None], index=index, dtype="Int64"),
        source_field="compute_target_eflops",
        bases=pd.Series(["intelligent", "total", "intelligent", None], index=index),
    )  # fmt: skip
    assert split_like(metric) == PanelSplit(on_axis=(1, 3), apart=(2,), missing=(4,))


def test_compare_bars_carry_year_and_basis_and_categorical_colours(dataset, boundaries) -> None:
    metrics = compare_metrics(
        dataset, [330000, 320000]
    )  # Zhejiang's service scale, Jiangsu's total
    figure = build_compare_bars(
        metrics, charts.province_names(dataset.regions, boundaries, "en"), "en"
    )
    drawn = [m.id for m in metrics if (m.shown if m.shown is not None else m.values).notna().any()]
    compute = figure.data[drawn.index("compute_target_eflops")]
    # The number on the bar, year and basis under the name (and in the hover). Jiangsu's
    # total computing for 2030 is not Zhejiang's computing services for 2027: no bar,
    # its value and the reason in its slot.
    assert list(compute.text) == ["60", ""] and compute.y[1] is None
    notes = [
        a.text.replace("<br>", " ") for a in figure.layout.annotations if a.name == "slot_note"
    ]
    assert "50 EFLOPS: not comparable" in notes
    under = [re.sub(r"<[^>]+>", " ", label) for label in compute.x]
    assert "Zhejiang" in under[0] and "2027" in under[0] and "computing" in under[0]
    assert "Jiangsu" in under[1] and "2030" in under[1] and "total" in under[1]
    assert all(
        len(line) <= charts.COMPARE_TAG_WRAP
        for label in compute.x
        for line in re.sub(r"<[^>]+>", "", label.replace("<br>", "\n")).split("\n")[1:]
    )
    assert "computing services" in compute.customdata[0][1] and "2027" in compute.customdata[0][1]
    assert list(compute.marker.color) == list(charts.PROVINCE_COLOURS[:2])


# --- like with like on the map -------------------------------------------------------


def compute_map(dataset: Dataset, boundaries: Boundaries, **choice):
    metric = transform.build_metric(
        dataset.regions, dataset.tracks, "compute_target_eflops", "none", "en",
        current_year=2026, **choice,
    )  # fmt: skip
    classes = transform.classify(metric.values, "quantiles")
    names = charts.province_names(dataset.regions, boundaries, "en")
    figure = charts.build_choropleth(metric, classes, boundaries, names, {}, "en")
    return metric, classes, figure


def test_mixed_bases_colour_only_the_chosen_basis(dataset, boundaries) -> None:
    metric, classes, figure = compute_map(dataset, boundaries, basis="total", window="ahead")
    colour = fills(figure)
    regions = dataset.regions.set_index("adcode")
    service = regions.index[regions["compute_target_basis"] == "service"]
    assert len(service) > 0, "Zhejiang's and Jiangxi's service scales are in the data"
    assert all(colour[a] == charts.STATE_FILLS["other_basis"] for a in service)
    passed = regions.index[
        (regions["compute_target_basis"] == "total") & (regions["compute_target_year"] < 2026)
    ]
    assert all(colour[a] == charts.STATE_FILLS["year_passed"] for a in passed)
    ramp = charts.class_colours(classes.count)
    coloured = [a for a, c in colour.items() if c in ramp]
    assert set(coloured) == set(metric.values.dropna().index)
    assert all(regions.at[a, "compute_target_basis"] == "total" for a in coloured)
    legend = [t.name.replace("<br>", " ") for t in figure.data if t.showlegend]
    assert f"figure on another basis ({int((metric.states == 'other_basis').sum())})" in legend
    hover = dict(zip(figure.data[0].locations, figure.data[0].customdata, strict=True))
    assert "figure on another basis" in hover[330000][1] and "60 EFLOPS" in hover[330000][1]


def test_bar_labels_carry_the_year_and_export_names_basis_and_year(dataset, boundaries) -> None:
    metric, classes, figure = compute_map(dataset, boundaries, basis="total", window="ahead")
    names = charts.province_names(dataset.regions, boundaries, "en")
    bars = charts.build_ranked_bars(metric, classes, names, "en")
    jiangsu = list(bars.data[0].customdata).index(320000)
    # A window of years: ranked within each year, never across years.
    assert bars.data[0].text[jiangsu] == "50 · the only one for 2030"
    beijing = list(bars.data[0].customdata).index(110000)
    assert bars.data[0].text[beijing].startswith("200 · #1 of ")
    assert bars.data[0].text[beijing].endswith(" in 2027")
    assert len(bars.data[0].y) == metric.values.notna().sum(), "only like figures are ranked"
    for chart in (figure, bars):
        spec = json.loads(pio.to_json(chart, validate=False))
        notes = " ".join(a["text"] for a in spec["layout"]["annotations"]).replace("<br>", " ")
        assert "Compared: targets for 2026 or later; total computing power." in notes
        assert "total computing power" in spec["layout"]["title"]["subtitle"]["text"]


def test_map_without_the_inset_still_keys_below_the_geography(dataset, boundaries) -> None:
    bare = replace(boundaries, south_china_sea=None)
    metric = transform.build_metric(dataset.regions, dataset.tracks, "fund", "none", "en")
    classes = transform.classify(metric.values, "quantiles")
    figure = charts.build_choropleth(metric, classes, bare, {}, {}, "en")
    assert not any(_is_inset_frame(trace) for trace in figure.data), "no dashes, no inset"
    assert figure.layout.legend.y <= figure.layout.geo.domain.y[0], "the key under the map"


def _is_inset_frame(trace) -> bool:
    return trace.type == "scattergeo" and trace.line.color == charts.INSET_FRAME


def test_a_closing_mark_never_starts_a_line() -> None:
    assert charts.wrap_text("低空经济（任一）：芯片", 8) == ["低空经济", "（任一）：", "芯片"]
    assert charts.wrap_text("人工智能产业基金（亿元）", 18) == ["人工智能产业基金", "（亿元）"]
    assert charts.wrap_text("cited (data/sources.csv)", 8) == ["cited", "(data/sources.csv)"]
    for width in range(4, 30):
        lines = charts.wrap_text("Focus tracks (any of): chips, models. 人工智能（亿元）。", width)
        assert all(line[0] not in charts._CLOSING for line in lines[1:]), (width, lines)
        assert all(line[-1] not in charts._OPENING for line in lines), (width, lines)


def test_legend_labels_wrap_to_a_phone_column(dataset, boundaries) -> None:
    _, _, figure = map_figure(dataset, boundaries, "compute_target_eflops")
    names = [trace.name for trace in figure.data if trace.showlegend]
    assert "figure on another<br>basis (6)" in names, "wrapped at a word, count kept"
    width = int((charts.PHONE_PLOT_PX / 2 - 40) / charts.LEGEND_COLUMN_PX)
    assert all(len(line) <= width for name in names for line in name.split("<br>"))
    # The map is lifted by the key's wrapped height, not by one line a row.
    margin = figure.layout.margin
    plot_height = figure.layout.height - margin.t - margin.b
    one_line_rows = math.ceil(len(names) / 2) + 1  # and the unit above them
    one_line_share = (one_line_rows * 13 * 1.55 + 6) / plot_height
    assert figure.layout.geo.domain.y[0] > one_line_share + 13 * 1.55 / plot_height
    assert figure.layout.legend.y <= figure.layout.geo.domain.y[0], "the key under the map"


def test_chinese_lines_never_break_inside_a_unit_or_term() -> None:
    for width in range(8, 30):
        for text in ("算力券等年度总额（万元/年）", "人工智能产业规模目标（亿元）"):
            lines = charts.wrap_text(text, width)
            assert "".join(lines) == text
            for word in ("万元/年", "人工智能", "亿元"):
                if word in text:
                    assert any(word in line for line in lines), (width, lines)


def test_short_names_drop_the_rank_only() -> None:
    assert [
        charts.short_name(n)
        for n in ("广西壮族自治区", "内蒙古自治区", "北京市", "黑龙江省", "Inner Mongolia")
    ] == ["广西", "内蒙古", "北京", "黑龙江", "Inner Mongolia"]


def _column_labels_clear(figure, plot_px: float) -> bool:
    """Neighbouring column labels, a column apart, clear a line of their type; or, where
    columns are too narrow for any, none is drawn and the subtitle says what they are."""
    if figure.layout.xaxis.showticklabels is False:
        return plot_px / len(figure.data[0].x) < 1.2 * 8 and bool(figure.layout.title.subtitle.text)
    angle = abs(figure.layout.xaxis.tickangle)
    font = figure.layout.xaxis.tickfont.size
    pitch = plot_px / len(figure.data[0].x)
    return figure.layout.xaxis.dtick == 1 and pitch * math.sin(math.radians(angle)) >= 1.2 * font


@pytest.mark.parametrize("width", [358, 663, 940, 1500])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_heatmap_column_labels_never_touch_and_are_all_shown(
    dataset, boundaries, width: int, lang: str
) -> None:
    overlap = transform.track_overlap(dataset.regions, dataset.tracks)
    names = charts.province_names(dataset.regions, boundaries, lang)
    figure = charts.build_overlap_heatmap(overlap, names, lang, width=width)
    rows = list(figure.data[0].y)
    assert _column_labels_clear(figure, charts._heatmap_plot_px(width, rows, False))
    if lang == "zh":
        assert "广西" in rows and "广西壮族自治区" not in rows
        assert "广西壮族自治区" in str(figure.data[0].customdata), "the hover names it in full"
    if width < 600:
        return  # the page turns the tracks heatmap on a phone: five columns, level labels
    shares = transform.track_shares(dataset.regions, dataset.tracks)
    labels = {
        r.track: (r.label_zh if lang == "zh" else r.label_en) for r in dataset.tracks.itertuples()
    }
    tracks = charts.build_track_heatmap(shares, labels, lang, width=width)
    groups = list(tracks.data[0].y)
    assert _column_labels_clear(tracks, charts._heatmap_plot_px(width, groups, False))


def test_heatmap_titles_and_source_wrap_to_a_known_width(dataset) -> None:
    shares = transform.track_shares(dataset.regions, dataset.tracks)
    narrow = charts.build_track_heatmap(shares, {}, "zh")
    wide = charts.build_track_heatmap(shares, {}, "zh", width=1100)
    note = next(a.text for a in wide.layout.annotations if a.name == charts.SOURCE_NOTE)
    narrow_note = next(a.text for a in narrow.layout.annotations if a.name == charts.SOURCE_NOTE)
    assert note.count("<br>") < narrow_note.count("<br>"), "fewer lines at 1100 px"
    for line in note.split("<br>"):  # and each still ends inside the figure
        assert 11 * charts.EM_PER_COLUMN * charts.text_columns(line) <= 1100 - 2 * charts.MARGIN_PX
    assert "<br>" not in wide.layout.title.text


def test_group_maps_on_a_phone_go_three_to_a_row_each_named(boundaries) -> None:
    groups = {g: frozenset({110000}) for g in ("eastern", "central", "western", "northeast")}
    desktop = charts.build_group_maps(boundaries, groups, "en")
    phone = charts.build_group_maps(boundaries, groups, "en", phone=True)
    assert not [a for a in desktop.layout.annotations if a.text in ("Eastern", "Western")]
    named = [a.text for a in phone.layout.annotations]
    assert named == ["Eastern", "Central", "Western", "Northeast"]
    domains = [phone.layout[f"geo{i or ''}"].domain for i in (0, 2, 3, 4)]
    xs = sorted({tuple(d.x) for d in domains})
    assert len(xs) == 3, "three to a row"
    assert len({tuple(d.y) for d in domains}) == 2, "two rows"
    for a, b in itertools.combinations(domains, 2):
        apart = a.x[1] <= b.x[0] or b.x[1] <= a.x[0] or a.y[1] <= b.y[0] or b.y[1] <= a.y[0]
        assert apart, "no map over another"
    assert phone.layout.height > desktop.layout.height


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_turned_track_heatmap_labels_keep_to_two_lines_beside_the_plot(dataset, lang) -> None:
    shares = transform.track_shares(dataset.regions, dataset.tracks)
    labels = {
        r.track: (r.label_zh if lang == "zh" else r.label_en) for r in dataset.tracks.itertuples()
    }
    width = charts.PHONE_PLOT_PX
    figure = charts.build_track_heatmap(shares, labels, lang, turned=True, width=width)
    rows = list(figure.data[0].y)
    assert len(rows) == len(dataset.tracks)
    assert max(charts._label_px(row) for row in rows) <= 0.45 * width
    assert max(row.count("<br>") for row in rows) <= 1, "two lines at most"
    orphans = [row for row in rows if any(len(line) == 1 for line in row.split("<br>"))]
    assert not orphans, "no line of one character (人工智能芯片与集成电 / 路)"
    assert figure.layout.xaxis.tickangle == -90, "group names upright: no run past the plot"
