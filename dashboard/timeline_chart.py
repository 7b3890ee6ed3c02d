"""The documents timeline: every province's AI policy documents on one time axis.

One row per province, its documents as marks by kind (drafts hollow), the State Council
opinion of 2025-08-21 as a dashed line. The figure is laid out in pixels from what it
holds, top to bottom: title and subtitle wrapped to the figure's width, the date axis,
the rows at a fixed height each, the key, the source line. The height follows the rows,
so no filter squeezes them together, and nothing is placed in a share of a height that
something else also claims.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts import (
    BASE_FONT,
    MARGIN_PX,
    NOTE_PRESENT_SCALE,
    PHONE_PLOT_PX,
    PRESENT_SCALE,
    SOURCE_NOTE,
    _finish,
    _label_px,
    _legend_style,
    _plain,
    columns_fitting,
    wrap_text,
)
from dashboard.i18n import kind_label, t
from dashboard.schema import NATIONAL_OPINION_DATE
from dashboard.transform import COMPARABLE, document_line, document_title, issued_dates

# Kinds of document on the timeline: a colour (ColorBrewer Dark2 + greys) and a shape each,
# so kinds stay apart in greyscale too; drafts are the open version of the same shape.
KIND_STYLE: dict[str, tuple[str, str]] = {
    "ai_plus_plan": ("#d95f02", "star"),
    "fyp15_outline": ("#1b9e77", "diamond"),
    "ai_industry_plan": ("#7570b3", "circle"),
    "compute_plan": ("#e7298a", "triangle-up"),
    "data_plan": ("#66a61e", "triangle-down"),
    "measures": ("#e6ab02", "square"),
    "work_report": ("#a6761d", "cross"),
    "other": ("#666666", "x"),
}
TIMELINE_START = "2024-01-01"

# A row's height: a 14 px label's box is about 22 px tall in the CJK fonts, so labels of
# neighbouring rows never touch; on a projector the 22 px labels get as much again.
ROW_PX = 24
PRESENT_ROW_PX = 40
AXIS_PX = 30  # the date labels above the rows (14 px type and their standoff)
DATE_TICK_PX = 90  # room a date label ("Jan 2025", "2025年1月") takes on the axis, at 14 px
WIDTH_SLACK_PX = 20  # a known width is rounded down by up to this (`ui.main_width`)
# The key: 13 px type, a 40 px swatch before each label, 6.3 px a column of text (a
# Chinese character is two); plotly sets a label's lines 1.3 of the type apart, adds 3 px
# to each entry and 10 px around the whole.
KEY_FONT = 13
KEY_SWATCH_PX = 40
KEY_COLUMN_CHAR_PX = 6.3
KEY_COLUMN_MIN_PX = 230  # narrower columns would break most labels in two
KEY_MAX_COLUMNS = 4
KEY_GAP_PX = 12  # between the key and the source line
KEY_BESIDE_PX = 300  # the key's column right of the rows on a projector, in px


def build_timeline(
    documents: pd.DataFrame,
    order: pd.DataFrame,
    names: Mapping[int, str],
    lang: str,
    *,
    today: str,
    present: bool = False,
    width: int | None = None,
) -> go.Figure:
    """One row per province, its documents as marks on a time axis from 2024 to today.

    Rows follow `order` (first "AI+" plan answering the national opinion first); a
    province with none found says so in its label ("no plan found in sources", never
    "none issued"). Undated documents and those before the axis are not drawn: the
    page lists every document below the chart.

    `width` is the figure's width in px when the page knows it (the width of its
    column, measured in the browser); titles and the key are wrapped to it. Without it
    the figure is laid out for the narrowest screen served, a 390 px phone.
    """
    rows = [int(a) for a in order["adcode"]]
    labels = {}
    for adcode, state in zip(order["adcode"], order["state"], strict=True):
        name = _plain(names.get(int(adcode), str(adcode)))
        # Short states: the row labels share a phone's width with the time axis.
        labels[int(adcode)] = name if state == COMPARABLE else f"{name} · {t(f'row_{state}', lang)}"
    dated = documents.assign(date=issued_dates(documents["issued"]))
    dated = dated[dated["date"].notna() & (dated["date"] >= TIMELINE_START)]
    dated = dated[dated["adcode"].isin(rows)]
    figure = go.Figure()
    for kind, (colour, symbol) in KIND_STYLE.items():
        for status in ("final", "draft"):
            marks = dated[(dated["kind"] == kind) & (dated["status"] == status)]
            if marks.empty:
                continue
            hover = [
                [
                    _plain(document_title(row, lang)),
                    _plain(document_line(row, lang)),
                    row.document,
                ]
                for row in marks.itertuples()
            ]
            name = kind_label(kind, lang)
            if status == "draft":
                name = t("qualified", lang, text=name, note=t("status_draft", lang))
            figure.add_trace(
                go.Scatter(
                    x=marks["date"],
                    y=[labels[int(a)] for a in marks["adcode"]],
                    mode="markers",
                    name=_plain(name),
                    marker={
                        "symbol": symbol if status == "final" else f"{symbol}-open",
                        "color": colour,
                        "size": 13 if kind == "ai_plus_plan" else 10,
                        "line": {"width": 1.5 if status == "draft" else 0.5, "color": colour},
                    },
                    customdata=hover,
                    hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]}<extra></extra>",
                )
            )
    # The line is named in the key, not beside it: a label there runs off a phone's plot.
    national = {"color": "#333333", "width": 1.5, "dash": "dash"}
    figure.add_vline(x=pd.Timestamp(NATIONAL_OPINION_DATE).timestamp() * 1000, line=national)
    figure.add_trace(
        go.Scatter(
            x=[None], y=[None], mode="lines", line=national,
            name=_plain(t("national_opinion", lang)), hoverinfo="skip",
        )
    )  # fmt: skip
    # Every row is drawn, also where no document falls on the axis.
    figure.add_trace(
        go.Scatter(
            x=[today] * len(rows),
            y=[labels[a] for a in rows],
            mode="markers",
            marker={"opacity": 0},
            hoverinfo="skip",
            showlegend=False,
        )
    )

    scale = PRESENT_SCALE if present else 1.0
    figure_px = width or PHONE_PLOT_PX
    # The plot starts after the longest row label, estimated on the wide side. Margins
    # are set, not grown by plotly to fit what they hold: a key placed under the labels
    # would otherwise push the plot aside, and every width below is then known.
    label_px = max((_label_px(label) for label in labels.values()), default=0) * scale
    left = round(MARGIN_PX + label_px + 6 * scale)
    plot_px = max(figure_px - left - MARGIN_PX, 60)  # labels wider than a phone: scroll
    _finish(
        figure,
        t("timeline_title", lang),
        lang,
        present,
        height=100,  # set below, from title, rows, key and source line
        subtitle=t("timeline_subtitle", lang),
        wrap=_source_wrap(figure_px, left, plot_px, present, known=width is not None),
        width=width,
    )
    if width is not None:
        # The note starts at the figure's left edge, under the row labels, and is
        # wrapped to the figure's width. Placed in the plot's units: a plot up to
        # WIDTH_SLACK_PX wider than planned moves it right, never off the figure.
        source = next(a for a in figure.layout.annotations if a.name == SOURCE_NOTE)
        source.x = -(left - MARGIN_PX) / (plot_px + WIDTH_SLACK_PX)
    top = figure.layout.margin.t + round(AXIS_PX * scale)

    rows_px = (PRESENT_ROW_PX if present else ROW_PX) * max(len(rows), 1)
    legend, key_px, beside = _key(figure, figure_px, plot_px, present)
    axis_px = plot_px  # the time axis's length
    if beside:
        # Rows on the left, the key at their top right: both on a projector's first screen.
        axis_px = plot_px - KEY_BESIDE_PX - 20
        figure.update_xaxes(domain=[0, axis_px / plot_px])
        plot_h = max(rows_px, key_px)
        rows_from = 1 - rows_px / plot_h
        legend["y"] = 1.0
    else:
        # The key fills the foot of the plot area under the last row; the source line
        # stands under the plot area, so the two never meet.
        plot_h = rows_px + key_px
        rows_from = key_px / plot_h
        legend["y"] = rows_from
    figure.update_yaxes(domain=[rows_from, 1])
    figure.update_layout(
        height=round(top + plot_h + figure.layout.margin.b),
        margin={"t": top, "l": left, "autoexpand": False},
        legend={**legend, "maxheight": key_px + 10},
        clickmode="event+select",
    )
    # Dates above the rows, under the titles: on the first screen however many rows
    # follow, and the foot stays free for key and source line (as on the heatmaps).
    figure.update_xaxes(
        range=[TIMELINE_START, today],
        type="date",
        side="top",
        automargin=False,
        showgrid=True,
        gridcolor="#eeeeee",
        tickfont={"size": round(BASE_FONT * scale)},
        # Level labels, as many as the axis holds (plotly would slant them instead).
        tickangle=0,
        nticks=max(3, int(axis_px / (DATE_TICK_PX * scale))),
    )
    figure.update_yaxes(
        categoryorder="array",
        categoryarray=[labels[a] for a in reversed(rows)],
        tickmode="array",
        tickvals=[labels[a] for a in rows],
        # Half a row above the first and below the last, whatever the marks' sizes: the
        # rows fill exactly the height planned for them.
        range=[-0.5, max(len(rows), 1) - 0.5],
        autorange=False,
        automargin=False,
        showgrid=True,
        gridcolor="#f3f3f3",
        tickfont={"size": round(BASE_FONT * scale)},
    )
    return figure


def _source_wrap(
    figure_px: float, left: float, plot_px: float, present: bool, *, known: bool
) -> int:
    """Columns of the source line, from where it starts to the figure's right margin.

    With the figure's width known it starts under the row labels, as far left as a
    plot up to WIDTH_SLACK_PX wider than planned would move it; without, where the
    plot does.
    """
    start = left - (left - MARGIN_PX) * plot_px / (plot_px + WIDTH_SLACK_PX) if known else left
    note_px = 11 * (NOTE_PRESENT_SCALE if present else 1.0)
    return max(12, columns_fitting(figure_px - MARGIN_PX - start, note_px))


def _key(
    figure: go.Figure, figure_px: float, plot_px: float, present: bool
) -> tuple[dict[str, Any], float, bool]:
    """The key's layout, its height in px, and whether it stands beside the rows.

    `_legend_below`'s rule, for a plot that does not span its figure: fixed columns,
    each label wrapped to what its column holds, so the key's height is known before the
    browser draws it and the key neither overlaps itself nor runs off at any width. The
    columns divide the plot's width (plotly lays a horizontal key out in that); where
    the plot is too narrow for two (a phone), one column starts at the figure's left
    edge and has the figure's whole width. On a projector wide enough the key stands in
    one column beside the rows instead.
    """
    scale = PRESENT_SCALE if present else 1.0
    font = KEY_FONT * scale
    swatch = KEY_SWATCH_PX * scale
    beside = present and plot_px >= 2 * KEY_BESIDE_PX
    if beside:
        columns, column_px = 1, KEY_BESIDE_PX
    else:
        columns = max(1, min(KEY_MAX_COLUMNS, int(plot_px // (KEY_COLUMN_MIN_PX * scale))))
        column_px = plot_px / columns if columns > 1 else figure_px - 2 * MARGIN_PX
    # Less two columns: a closing mark may overhang a wrapped line ("〔2025〕").
    chars = max(8, int((column_px - swatch) / (KEY_COLUMN_CHAR_PX * scale)) - 2)
    entries = [trace for trace in figure.data if trace.showlegend is not False and trace.name]
    for trace in entries:
        lines = wrap_text(html.unescape(trace.name), chars)
        trace.name = "<br>".join(_plain(line) for line in lines)
    lines = [trace.name.count("<br>") + 1 for trace in entries]
    key_rows = [max(lines[i : i + columns]) for i in range(0, len(lines), columns)]
    key_px = sum(row * 1.3 * font + 3 for row in key_rows) + 10 + KEY_GAP_PX * scale
    legend: dict[str, Any] = {**_legend_style(scale, "")}
    if columns > 1:
        # plotly divides the plot's width (not the figure's) among a horizontal key's
        # entries, so this key starts where the plot does.
        legend.update(orientation="h", x=0, entrywidth=1 / columns, entrywidthmode="fraction")
    elif beside:
        legend.update(orientation="v", x=1.0, xanchor="right")
    else:
        # One entry a line from the figure's left edge, under the row labels: a vertical
        # key, since plotly squeezes a horizontal one placed there into 80 px.
        legend.update(orientation="v", xref="container", x=MARGIN_PX / figure_px)
    return legend, math.ceil(key_px), beside
