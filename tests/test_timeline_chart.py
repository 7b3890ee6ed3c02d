"""The documents timeline built directly: heights, rows, key and source line in pixels.

Every position is computed from the figure's layout the way plotly places it: the plot
area is the height less the top and bottom margins, paper y runs 0 to 1 over it, the
key's top stands at its `y`, and plotly sets a key's lines 1.3 of the type apart, adds
3 px to each entry and 10 px around the whole.
"""

from __future__ import annotations

import pytest

from dashboard import charts, transform
from dashboard.i18n import t
from dashboard.timeline_chart import (
    KEY_FONT,
    PRESENT_ROW_PX,
    ROW_PX,
    build_timeline,
)

WIDTHS = [None, 340, 358, 940, 1120]


def timeline(dataset, boundaries, *, rows=None, width=None, present=False, lang="en",
             kinds=(), groups=()):  # fmt: skip
    """The figure the page builds for these filters (`rows`: the first n provinces)."""
    regions = dataset.regions
    order = transform.timeline_order(regions, dataset.documents)
    if groups:
        order = order[
            order["adcode"].isin(regions.loc[transform.in_groups(regions, groups), "adcode"])
        ]
    if rows is not None:
        order = order.head(rows)
    documents = transform.filter_documents(dataset.documents, regions, kinds, groups)
    names = charts.province_names(regions, boundaries, lang)
    figure = build_timeline(
        documents, order, names, lang, today="2026-12-04", present=present, width=width
    )
    # As the page shows it: the data's date is a further line of the source note.
    return charts.with_data_date(figure, "2026-11-30", lang), len(order)


def plot_height(figure) -> float:
    margin = figure.layout.margin
    return figure.layout.height - margin.t - margin.b


def row_px(figure, n_rows: int) -> float:
    low, high = figure.layout.yaxis.domain
    return plot_height(figure) * (high - low) / n_rows


def key_height(figure) -> float:
    """The key's height as plotly draws it: entries in rows of `1 / entrywidth`."""
    legend = figure.layout.legend
    scale = legend.font.size / KEY_FONT
    lines = [t.name.count("<br>") + 1 for t in figure.data if t.showlegend is not False and t.name]
    per_row = round(1 / legend.entrywidth) if legend.orientation == "h" else 1
    rows = [max(lines[i : i + per_row]) for i in range(0, len(lines), per_row)]
    return sum(n * 1.3 * KEY_FONT * scale + 3 for n in rows) + 10


def source_note(figure):
    return next(a for a in figure.layout.annotations if a.name == charts.SOURCE_NOTE)


def test_height_follows_the_rows(dataset, boundaries) -> None:
    heights = []
    for n in (1, 5, 31):
        figure, shown = timeline(dataset, boundaries, rows=n, width=940)
        assert shown == n
        assert row_px(figure, n) >= ROW_PX
        heights.append(figure.layout.height)
        # The rows take one row's height each, no more: titles, key and note add theirs.
        assert row_px(figure, n) == pytest.approx(ROW_PX)
    assert heights[0] < heights[1] < heights[2], heights


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("present", [False, True])
@pytest.mark.parametrize(
    "filters",
    [{}, {"groups": ("western",)}, {"kinds": ("ai_plus_plan",), "groups": ("western",)},
     {"rows": 1}],
)  # fmt: skip
def test_rows_never_closer_than_the_minimum(dataset, boundaries, width, present, filters):
    for lang in ("en", "zh"):
        figure, n = timeline(dataset, boundaries, width=width, present=present, lang=lang,
                             **filters)  # fmt: skip
        minimum = PRESENT_ROW_PX if present else ROW_PX
        assert row_px(figure, n) >= minimum - 0.01, (lang, row_px(figure, n))
        ticks = figure.layout.yaxis.tickfont.size
        assert minimum >= 1.5 * ticks, "a label's box (about 1.55 of its type) fits its row"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(
    "filters", [{}, {"groups": ("western",)}, {"kinds": ("ai_plus_plan",), "groups": ("western",)}]
)
def test_source_line_stands_below_the_key(dataset, boundaries, width, filters) -> None:
    for lang in ("en", "zh"):
        figure, _ = timeline(dataset, boundaries, width=width, lang=lang, **filters)
        legend, source = figure.layout.legend, source_note(figure)
        assert (legend.yref or "paper") == "paper" and legend.yanchor == "top"
        # px above the plot area's bottom edge, where the source line's top stands.
        key_bottom = legend.y * plot_height(figure) - key_height(figure)
        assert source.yref == "paper" and source.y == 0 and source.yanchor == "top"
        source_top = (source.yshift or 0) * -1
        assert key_bottom >= source_top + 6, (lang, key_bottom)
        # The rows end where the key begins: no mark is drawn on the key.
        assert figure.layout.yaxis.domain[0] == pytest.approx(legend.y)
        # plotly would scroll a key taller than its `maxheight`, hiding entries.
        assert legend.maxheight >= key_height(figure)
        # The bottom margin holds every line of the note (15 px a line).
        lines = source.text.count("<br>") + 1
        assert figure.layout.margin.b >= 15 * lines


@pytest.mark.parametrize("width", [358, 390, 940, 1400])
def test_key_labels_fit_their_columns(dataset, boundaries, width) -> None:
    """No label is wider than its column, so the key never overlaps itself or runs off."""
    for lang in ("en", "zh"):
        figure, _ = timeline(dataset, boundaries, width=width, lang=lang)
        legend, margin = figure.layout.legend, figure.layout.margin
        plot_px = width - margin.l - margin.r
        if legend.orientation == "h":
            assert legend.x == 0 and (legend.xref or "paper") == "paper"
            column_px = plot_px * legend.entrywidth
        else:  # one column from the figure's left edge
            assert legend.xref == "container"
            column_px = width * (1 - legend.x) - margin.r
        for trace in figure.data:
            if trace.showlegend is False or not trace.name:
                continue
            for line in trace.name.split("<br>"):
                text_px = 6.3 * charts.text_columns(line)
                assert 40 + text_px <= column_px, (lang, line, column_px)


def test_phone_keeps_its_wrapping_and_wide_figures_use_their_width(dataset, boundaries):
    for lang in ("en", "zh"):
        phone, _ = timeline(dataset, boundaries, width=None, lang=lang)
        for width in (None, 340, 358):
            figure, _ = timeline(dataset, boundaries, width=width, lang=lang)
            title = charts.wrap_text(t("timeline_title", lang), charts.TITLE_WRAP)
            assert figure.layout.title.text == "<br>".join(title), "as every chart on a phone"
        desktop = charts.DESKTOP_FIGURE_PX
        wide, _ = timeline(dataset, boundaries, width=desktop, lang=lang)
        assert "<br>" not in wide.layout.title.text, "one line on a desktop figure"
        assert wide.layout.title.subtitle.text.count("<br>") <= 1
        assert wide.layout.margin.t < phone.layout.margin.t
        # The source line is wrapped to the figure, not to a phone's plot.
        assert source_note(wide).text.count("<br>") < source_note(phone).text.count("<br>")
        for line in source_note(wide).text.split("<br>"):
            assert 5.5 * charts.text_columns(line) <= desktop - 20


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_presentation_mode_keeps_titles_short_and_the_axis_high(dataset, boundaries, lang):
    # A 1280x720 projector: the figure is 1120 px wide (the page's padding aside).
    figure, n = timeline(dataset, boundaries, width=1120, present=True, lang=lang)
    title = figure.layout.title
    assert title.text.count("<br>") <= 1 and title.subtitle.text.count("<br>") <= 1
    # The date axis stands on the plot's top edge, under the titles; with the page's own
    # heading (about 180 px) it must stay well inside the first 720 px.
    assert figure.layout.xaxis.side == "top"
    assert figure.layout.margin.t <= 260, figure.layout.margin.t
    # The key stands beside the rows, so it is on the first screen too.
    legend = figure.layout.legend
    assert legend.orientation == "v" and legend.y == 1.0
    assert figure.layout.xaxis.domain[1] < legend.x
    assert key_height(figure) <= plot_height(figure)
    assert row_px(figure, n) >= PRESENT_ROW_PX - 0.01
