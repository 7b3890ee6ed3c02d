"""plotly figures. Each `build_*` returns a figure that carries its own title, legend,
unit and source line, so a PNG or SVG exported from the browser stands on its own.

Text from the data reaches plotly only through `_plain`, which escapes the few
HTML-like tags plotly would otherwise render.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard import money_charts
from dashboard.boundaries import INSET_KEY, PROJECTION, Boundaries
from dashboard.formatting import format_number, format_value
from dashboard.i18n import group_label, t
from dashboard.instruments import Circles
from dashboard.transform import (
    COMPARABLE,
    STATES,
    Classes,
    Metric,
    citation_line,
    comparison_text,
    figure_tag,
    ranked_figures,
)

# ColorBrewer YlGnBu: colour-blind safe and monotonic in lightness, so classes stay
# ordered in greyscale. The palest steps are skipped: they belong to "no figure".
PALETTE = ("#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84")
HEAT_SCALE = [[0.0, "#ffffff"], *[[(i + 1) / len(PALETTE), c] for i, c in enumerate(PALETTE)]]
NO_FIGURE_FILL = "#ffffff"  # white with grey dots: clearly "nothing published"
NO_FIGURE_DOTS = "#8c8c8c"
NOT_COVERED_FILL = "#bdbdbd"  # solid mid grey: outside the dataset, not a gap in it
OUTSIDE_FILL = "#f4f4f4"  # provinces a filter left out: flat pale grey, no dots
# A track list that does not name the track: a known "no", neutral (green read as "good").
LACKS_TRACK_FILL = "#d9d9d9"
# A figure that exists but is not comparable: warm tints, outside the blue-green ramp.
STATE_FILLS: dict[str, str] = {
    "other_basis": "#e3d7ee",  # pale purple
    "other_year": "#f6e2bf",  # pale sand
    "year_passed": "#ead9c8",  # pale brown
    "no_year": "#e8e8d0",  # pale olive
    "no_gdp": "#fbd5d0",  # pale red
    "no_plan": NO_FIGURE_FILL,
    "plan_draft": "#f6e2bf",
    "plan_undated": "#e8e8d0",
    "no_figure": NO_FIGURE_FILL,
}
NATIONAL_LINE = "#d95f02"
# ColorBrewer Dark2: one categorical colour per compared province (order-free).
PROVINCE_COLOURS = ("#1b9e77", "#d95f02", "#7570b3", "#e7298a")
EDGE = "#8a8a8a"  # mid grey: visible against pale "no figure" and dark classes alike
BORDER_EDGE = "#d95f02"  # ColorBrewer Dark2 orange: stands apart from the blue-greens
SELECTED_EDGE = "#000000"
OUTLINE = "#333333"


# Albers-style conic with China's customary standard parallels; fixed ranges instead of
# fitbounds, so every map frames the country the same way whatever it highlights.
def china_geo(boundaries: Boundaries, *, mainland: bool = False) -> dict[str, Any]:
    """The geo subplot of every map: no base layers (nothing to fetch), framed tightly on
    what is drawn, the mainland and (unless `mainland`) the South China Sea inset."""
    frame = boundaries.mainland_frame if mainland else boundaries.frame
    return {
        "visible": False,
        "projection": PROJECTION,
        "lonaxis": {"range": list(frame.lonaxis)},
        "lataxis": {"range": list(frame.lataxis)},
        "center": {"lon": frame.center[0], "lat": frame.center[1]},
        "domain": {"x": [0, 1], "y": [0, 1]},
    }


FONT_FAMILY = "Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, Microsoft YaHei, sans-serif"
BASE_FONT = 14
SOURCE_WRAP = 58  # columns of the source note: 29 Chinese characters of 11 px type fit a
# phone's 358 px chart after its left margin (31 ran 17 px off, seen in the browser test)
TITLE_WRAP = 32  # characters per line of a chart title
TITLE_WRAP_PX = 340  # the narrowest figure a TITLE_WRAP line of 20 px type fits
COMPARE_TAG_WRAP = 11  # columns of year and basis under a bar: four bars share a panel
SOURCE_NOTE = "source"  # the name of the annotation that carries note and source lines
PRESENT_SCALE = 1.6
NOTE_PRESENT_SCALE = 1.25
INSET_FRAME = "#8a8a8a"  # the South China Sea inset's box
PHONE_PLOT_PX = 358  # a chart's width on a 390 px phone, the narrowest screen served
# A full-width chart's width on a 1400 px screen beside the 350 px sidebar (measured),
# assumed until the page knows its own.
DESKTOP_FIGURE_PX = 890
# The ranked bars' column beside the map at 1280 px (measured), the narrowest it has on a
# desktop: its title wraps to this until the page knows the column's width.
RANKING_COLUMN_PX = 292
COLOUR_BAR_PX = 70  # a heatmap's colour bar and its tick labels
MIN_TICK_PX = 8  # the smallest type a tick label is set in
GROUP_MAPS_PER_PHONE_ROW = 3
LABEL_COLUMN_PX = 7.5  # one column of a 14 px tick label (a Chinese character is two)
BARS_NOTE_WRAP = 48  # columns of the ranked bars' column, labels included
MARGIN_PX = 10  # left and right margin of every figure (as `_finish` sets)
# Average width of a column of text in ems: Latin runs about 0.5, a Chinese character
# (two columns) exactly 1; the slack keeps a line from reaching the edge.
EM_PER_COLUMN = 0.55
# Width of one text column of the key's 13 px type: a Chinese character (two columns) is
# 13 px and more with its spacing, so 6.3 let "（14）" run off a phone's key.
LEGEND_COLUMN_PX = 6.9


def class_colours(count: int) -> list[str]:
    """`count` colours spread over the palette, light to dark."""
    if count <= 0:
        return []
    if count == 1:
        return [PALETTE[3]]
    step = (len(PALETTE) - 1) / (count - 1)
    return [PALETTE[round(i * step)] for i in range(count)]


def build_choropleth(
    metric: Metric,
    classes: Classes,
    boundaries: Boundaries,
    names: Mapping[int, str],
    citations: Mapping[int, str],
    lang: str,
    *,
    selected: int | None = None,
    outlines: Mapping[str, Any] | None = None,
    border_adcodes: frozenset[int] = frozenset(),
    highlight: frozenset[int] | None = None,
    hatch: pd.DataFrame | None = None,
    present: bool = False,
    title: str | None = None,
    subtitle: str | None = None,
    circles: Circles | None = None,
    outside_label: str | None = None,
    narrow: bool = False,
) -> go.Figure:
    """A China choropleth of `metric`, one trace carrying the geometry once.

    Classes, "no published figure" and "not covered" are codes of one discrete
    colour scale, so the 300 KB of boundaries are sent once, not per class.
    `highlight`, when given, blanks every province outside it (screener matches), and
    `outside_label` says why in the key. `circles` draws a money kind's city, district
    and zone instruments over the provinces, with a size key.
    """
    adcodes = boundaries.adcodes
    colours = [LACKS_TRACK_FILL, PALETTE[4]] if metric.binary else class_colours(classes.count)
    labels = (
        [t("lacks_track", lang), t("has_track", lang)] if metric.binary else list(classes.labels)
    )
    # Every state a province can be in is one code of one discrete colour scale.
    state_list = [*STATES, "plan_draft", "plan_undated", "no_plan"]
    state_code = {state: len(colours) + i for i, state in enumerate(state_list)}
    not_covered_code = len(colours) + len(state_list)
    outside_code = not_covered_code + 1
    fills = [*colours, *(STATE_FILLS[state] for state in state_list), NOT_COVERED_FILL,
             OUTSIDE_FILL]  # fmt: skip
    states = metric_states(metric)
    codes, hover, widths, edges = [], [], [], []
    for adcode in adcodes:
        if adcode not in metric.values.index:
            codes.append(not_covered_code)
            hover.append([_plain(names.get(adcode, "")), t("not_covered", lang), "", ""])
        else:
            state, class_index, value, text, tag = map_entry(metric, classes, states, adcode, lang)
            known = value is not None
            if highlight is not None and adcode not in highlight:
                codes.append(outside_code)
            elif state != COMPARABLE:
                codes.append(state_code[state])
            else:
                codes.append(class_index)
            hover.append(
                [
                    _plain(names.get(adcode, "")),
                    text,
                    f" · {_plain(tag)}" if tag else "",
                    _plain(citations.get(adcode, "")) if known else "",
                ]
            )
        is_selected = adcode == selected
        is_border = adcode in border_adcodes
        widths.append(3.0 if is_selected else 2.2 if is_border else 0.6)
        edges.append(SELECTED_EDGE if is_selected else BORDER_EDGE if is_border else EDGE)

    n_codes = len(fills)
    figure = go.Figure(
        go.Choropleth(
            geojson=boundaries.url or boundaries.geojson,
            locations=adcodes,
            z=codes,
            zmin=-0.5,
            zmax=n_codes - 0.5,
            colorscale=_stepped_scale(fills),
            showscale=False,
            customdata=hover,
            hovertemplate=(
                "<b>%{customdata[0]}</b><br>%{customdata[1]}%{customdata[2]}"
                "<br><i>%{customdata[3]}</i><extra></extra>"
            ),
            marker={"line": {"width": widths, "color": edges}},
            name="",
            showlegend=False,
        )
    )
    if boundaries.inset is not None:
        _add_inset(figure, boundaries, adcodes, codes, n_codes, fills, hover)
    if hatch is not None:
        dotted = {state_code["no_figure"], state_code["no_plan"]}
        missing = [a for a, code in zip(adcodes, codes, strict=True) if code in dotted]
        dots = hatch[hatch["adcode"].isin(missing)]
        figure.add_trace(
            go.Scattergeo(
                lon=dots["lon"],
                lat=dots["lat"],
                mode="markers",
                marker={"size": 2.6 if not present else 3.2, "color": NO_FIGURE_DOTS},
                hoverinfo="skip",
                showlegend=False,
                name="",
            )
        )
    # Classes are keyed only when a coloured province shows them (a cities-only view and
    # an empty screen colour none).
    coloured = metric.values.dropna().index
    if highlight is None or coloured.isin(list(highlight)).any():
        for colour, label in zip(colours, labels, strict=True):
            _legend_swatch(figure, colour, label)
    if metric.national is not None:
        _legend_swatch(figure, NATIONAL_LINE, national_text(metric, lang), line=True)
    for state in state_list:
        count = codes.count(state_code[state])
        if count:
            label = f"{t(f'state_{state}', lang)} ({count})"
            _legend_swatch(
                figure, STATE_FILLS[state], label, dotted=state in ("no_figure", "no_plan")
            )
    if not_covered_code in codes:
        _legend_swatch(figure, NOT_COVERED_FILL, t("not_covered", lang))
    if outside_code in codes:
        _legend_swatch(figure, OUTSIDE_FILL, outside_label or t("outside_selection", lang))
    if circles is not None and not circles.rows.empty:
        money_charts.add_circles(figure, circles, dict(names), lang, present=present)
    for group, (lons, lats) in (outlines or {}).items():
        figure.add_trace(
            go.Scattergeo(
                lon=lons,
                lat=lats,
                mode="lines",
                line={"color": OUTLINE, "width": 1.6},
                hoverinfo="skip",
                name=group_label(group, lang),
                showlegend=False,
            )
        )
    if border_adcodes:
        _legend_swatch(figure, BORDER_EDGE, t("group_border", lang), line=True)

    figure.update_layout(geo={**china_geo(boundaries), "bgcolor": "rgba(0,0,0,0)"})
    heading = title or metric_title(metric, lang)
    # In presentation mode the map must fit a 1280x720 projector under the exit button.
    _finish(
        figure,
        heading,
        lang,
        present,
        height=600 if present else 640,
        subtitle=comparison_text(metric, lang) if subtitle is None else subtitle,
        note=left_out_text(metric, lang, highlight),
    )
    figure.update_layout(
        # On a projector (landscape, full width) the key stands beside the map instead.
        legend=(
            _legend_beside(figure, present, title=metric.unit, narrow=narrow)
            if present
            else _legend_below(figure, present, title=metric.unit)
        ),
        clickmode="event+select",
        dragmode="pan",
    )
    if circles is not None and not circles.rows.empty:
        money_charts.add_size_key(figure, circles, metric.id, lang, present=present)
    return figure


def map_entry(
    metric: Metric, classes: Classes, states: pd.Series, adcode: int, lang: str
) -> tuple[str, int, float | None, str, str]:
    """What a province of the map is: its state, its class (-1 off the scale), its
    figure as shown, the hover's value text and its tag (year, basis). The one rule that
    the app's choropleth and the published edition's SVG both draw."""
    state = str(states.get(adcode, "no_figure"))
    shown = metric.shown if metric.shown is not None else metric.values
    raw = shown.get(adcode)
    value = None if raw is None or math.isnan(raw) else float(raw)
    if state != COMPARABLE:
        class_index = -1
    elif metric.binary:
        class_index = int(value or 0)
    else:
        class_index = int(classes.class_of.get(adcode, 0))
    text = _value_text(metric, value, lang) if value is not None else ""
    tag = figure_tag(metric, adcode, lang) if value is not None else ""
    if state != COMPARABLE:
        text = " — ".join(part for part in (text, t(f"state_{state}", lang)) if part)
    return state, class_index, value, text, tag


def _legend_below(
    figure: go.Figure, present: bool, *, columns: int = 2, axis_px: int = 0, title: str = ""
) -> dict[str, Any]:
    """A key in fixed columns under the plot, which is lifted to make room for it.

    The one legend rule of every figure: outside the data (as Datawrapper and OWID place
    it) it never covers a province or a mark, and fixed columns keep its height known at
    any width, phone included. `axis_px` is the height of tick labels it must clear;
    `title` (the unit of the classes) heads the key, so no export loses the unit.
    """
    scale = PRESENT_SCALE if present else 1.0
    entries = _legend_entries(figure)
    if not present:
        # A phone's plot is 358 px wide: labels wrap to what a column holds there, after
        # the 40 px swatch, so none runs off the figure.
        _wrap_legend(entries, max(8, int((PHONE_PLOT_PX / columns - 40) / LEGEND_COLUMN_PX)))
    lines = [trace.name.count("<br>") + 1 for trace in entries]
    rows = [max(lines[i : i + columns]) for i in range(0, len(lines), columns)]
    margin = figure.layout.margin
    plot_height = figure.layout.height - margin.t - margin.b
    row_px = 13 * scale * 1.55  # one line of the key's type, with its padding
    legend_px = (sum(rows) + (1 if title else 0)) * row_px + 6
    share = min(0.45, (legend_px + axis_px * scale) / plot_height)
    if "geo" in figure.layout.to_plotly_json():
        figure.update_layout(geo={"domain": {"x": [0, 1], "y": [share, 1]}})
    else:
        figure.update_yaxes(domain=[share, 1])
    return {
        **_legend_style(scale, title),
        "orientation": "h",
        "x": 0.0,
        "y": share - axis_px * scale / plot_height,
        "entrywidth": 1 / columns,
        "entrywidthmode": "fraction",
    }


def _legend_style(scale: float, title: str) -> dict[str, Any]:
    """What every key shares wherever it stands: type, no toggling, the unit as title."""
    return {
        "xanchor": "left",
        "yanchor": "top",
        "bgcolor": "rgba(255,255,255,0)",
        "font": {"size": round(13 * scale)},
        "itemclick": False,
        "itemdoubleclick": False,
        "title": (
            {"text": _plain(title), "side": "top", "font": {"size": round(12 * scale)}}
            if title
            else {"text": ""}
        ),
    }


def _legend_entries(figure: go.Figure) -> list[Any]:
    return [trace for trace in figure.data if trace.showlegend is not False and trace.name]


def _wrap_legend(entries: list[Any], width: int) -> None:
    """Each key label wrapped to `width` columns (a Chinese character is two)."""
    for trace in entries:
        plain_lines = wrap_text(html.unescape(trace.name), width)
        trace.name = "<br>".join(_plain(line) for line in plain_lines)


# Columns of the key beside a projected map: the 30% of a 1280 px screen right of the
# map holds 30 columns of the key's enlarged type after its swatch; a longer label would
# push plotly's margin out and shrink the map to a thumbnail.
BESIDE_WRAP = 30
BESIDE_WRAP_NARROW = 22


def _legend_beside(
    figure: go.Figure, present: bool, *, title: str = "", narrow: bool = False
) -> dict[str, Any]:
    """The key in one column right of the map (presentation mode's wide, short screen).

    A map with the screen to itself lets its key hang from the plot's top into the note's
    margin; a `narrow` one (beside a table) keeps it within the plot, in narrower lines.
    The room reads the key at the title's scale where it fits; a long key under a long
    title gets smaller type, down to the note's, rather than a scroll bar.
    """
    scale = PRESENT_SCALE if present else 1.0
    entries = _legend_entries(figure)
    _wrap_legend(entries, BESIDE_WRAP_NARROW if narrow else BESIDE_WRAP)
    margin = figure.layout.margin
    room_px = figure.layout.height - margin.t - (margin.b if narrow else 0)
    lines = sum(trace.name.count("<br>") + 1 for trace in entries) + 1  # + the unit
    if present and lines * 13 * PRESENT_SCALE * 1.55 > room_px:
        scale = max(NOTE_PRESENT_SCALE, room_px / (lines * 13 * 1.55))
    figure.update_layout(geo={"domain": {"x": [0, 0.7], "y": [0, 1]}})
    return {**_legend_style(scale, title), "orientation": "v", "x": 0.72, "y": 1.0}


def metric_states(metric: Metric) -> pd.Series:
    """Each province's state; metrics without comparison sets have only figure or gap."""
    if metric.states is not None:
        return metric.states
    return metric.values.isna().map({True: "no_figure", False: COMPARABLE})


def left_out_text(metric: Metric, lang: str, within: frozenset[int] | None = None) -> str | None:
    """What an export must say under the chart, or None when nothing needs saying.

    Which figures are compared ("Compared: targets for 2027; total computing power.")
    and which are not ("Not on the scale: figure on another basis (3), ..."), counted
    among the provinces a filter keeps (`within`), as the legend counts them.
    """
    parts = []
    compared = comparison_text(metric, lang)
    if compared:
        parts.append(t("compared", lang, what=compared))
    counts = metric.state_counts(within)
    if counts:
        states = t("list_sep", lang).join(
            f"{t(f'state_{state}', lang)} ({count})" for state, count in counts.items()
        )
        parts.append(t("left_out", lang, states=states))
    return " ".join(parts) or None


def national_text(metric: Metric, lang: str) -> str:
    return t("national_target", lang, value=format_number(float(metric.national or 0)))


def build_ranked_bars(
    metric: Metric,
    classes: Classes,
    names: Mapping[int, str],
    lang: str,
    *,
    selected: int | None = None,
    present: bool = False,
    highlight: frozenset[int] | None = None,
    width: int | None = None,
) -> go.Figure:
    """Comparable figures only, first-ranked at the top, coloured like their map class.

    Each bar's label carries the figure's year ("50 · 2030"); figures on another basis
    or for another year are counted in the note, never drawn on the same axis. When a
    window of several years is asked for, bars are grouped by year and ranked within
    their year ("#1 of 3 in 2027"): figures for different years are never one ranking.
    An empty ranking says why instead of drawing an empty axis.
    """
    # Drawn top down: plotly's first category is the bottom one.
    items = ranked_figures(metric, lang, highlight)[::-1]
    colours = [PALETTE[4]] * 2 if metric.binary else class_colours(max(classes.count, 1))
    bar_colours = [
        SELECTED_EDGE
        if item.adcode == selected
        else colours[max(int(classes.class_of.get(item.adcode, 0)), 0)]
        for item in items
    ]
    labels = [_plain(names.get(item.adcode, str(item.adcode))) for item in items]
    texts = [_plain(item.text) for item in items]
    known = pd.Series([item.value for item in items], index=[item.adcode for item in items])
    figure = go.Figure(
        go.Bar(
            x=known.to_numpy(),
            y=labels,
            orientation="h",
            marker={"color": bar_colours},
            text=texts,
            textposition="outside",
            cliponaxis=False,
            customdata=list(known.index),
            hovertemplate="%{y}: %{text} " + _plain(metric.unit) + "<extra></extra>",
        )
    )
    if metric.national is not None:
        figure.add_vline(
            x=float(metric.national),
            line={"color": NATIONAL_LINE, "width": 2, "dash": "dash"},
            annotation={"text": _plain(national_text(metric, lang)), "font": {"size": 11}},
            annotation_position="top",
        )
    _finish(
        figure,
        # The unit stands on the axis, so the title of the narrow column can stay short.
        f"{t('ranked', lang)}: {metric_title(replace(metric, unit=''), lang)}",
        lang,
        present,
        height=100,  # set below, once the title and notes have taken their space
        subtitle=comparison_text(metric, lang),
        note=left_out_text(metric, lang, highlight),
        axis_space=44,  # tick labels and the unit under them
        # The bars sit in a narrow column beside the map, and the note starts after their
        # row labels (at 1280 px a 45-column note ran off the column's right edge).
        wrap=BARS_NOTE_WRAP - (SOURCE_WRAP - _note_wrap(labels)),
        width=width,
    )
    if known.empty:
        figure.add_annotation(
            text="<br>".join(wrap_text(t("ranking_empty", lang), 40)),
            xref="paper",
            yref="paper",
            x=0.5,
            y=0.5,
            showarrow=False,
            font={"size": 13, "color": "#555555"},
        )
        figure.update_xaxes(visible=False)
        figure.update_yaxes(visible=False)
    margin = figure.layout.margin
    bar_space = (24 if not present else 34) * max(len(known), 3)
    figure.update_layout(height=margin.t + margin.b + bar_space, margin={"r": 70})
    if not known.empty:
        figure.update_xaxes(rangemode="tozero", title={"text": _plain(metric.unit), "standoff": 4})
        figure.update_yaxes(automargin=True)
    return figure


def build_group_maps(
    boundaries: Boundaries,
    groups: Mapping[str, frozenset[int]],
    lang: str,
    *,
    phone: bool = False,
) -> go.Figure:
    """Small maps side by side, one per group, its provinces filled and the rest pale.

    One figure with a geo subplot per group: a sixth of the work of separate figures,
    and with served geometry the browser fetches the boundaries once for all of them.
    On a desktop each map stands over its group's column, which names it; on a `phone`
    the columns stack below, so the maps go three to a row, each named under it (five
    in a row were 70 px wide and nameless).
    """
    adcodes = boundaries.adcodes
    names = boundaries.names_zh if lang == "zh" else boundaries.names_en
    hover = [_plain(names.get(a, "")) for a in adcodes]
    figure = go.Figure()
    per_row = GROUP_MAPS_PER_PHONE_ROW if phone else max(len(groups), 1)
    rows = math.ceil(len(groups) / per_row)
    width, height = 1 / per_row, 1 / rows
    name_share = 0.18 if phone else 0.0  # of each map's cell, for its name under it
    for index, (group, members) in enumerate(groups.items()):
        row, column = divmod(index, per_row)
        geo = "geo" if index == 0 else f"geo{index + 1}"
        figure.add_trace(
            go.Choropleth(
                geojson=boundaries.url or boundaries.geojson,
                locations=adcodes,
                z=[1 if a in members else 0 for a in adcodes],
                zmin=0,
                zmax=1,
                colorscale=[[0, "#eeeeee"], [0.5, "#eeeeee"], [0.5, PALETTE[4]], [1, PALETTE[4]]],
                showscale=False,
                marker={"line": {"width": 0.4, "color": EDGE}},
                hovertext=hover,
                hoverinfo="text",
                geo=geo,
                name=group_label(group, lang),
            )
        )
        bottom = 1 - (row + 1) * height
        domain = {
            "x": [column * width + 0.005, (column + 1) * width - 0.005],
            "y": [bottom + name_share * height, bottom + height],
        }
        figure.update_layout({geo: {**china_geo(boundaries, mainland=True), "domain": domain}})
        if phone:
            figure.add_annotation(
                text=_plain(group_label(group, lang)),
                x=(column + 0.5) * width,
                y=bottom,
                xref="paper",
                yref="paper",
                xanchor="center",
                yanchor="bottom",
                showarrow=False,
                font={"size": 13},
            )
    height_px = 130 * rows if phone else 220
    _finish(figure, t("page_regions", lang), lang, False, height=height_px, source=False)
    figure.update_layout(margin={"l": 0, "r": 0, "t": 10, "b": 0}, title=None)
    return figure


def build_track_heatmap(
    shares: pd.DataFrame,
    track_labels: Mapping[str, str],
    lang: str,
    present: bool = False,
    *,
    turned: bool = False,
    width: int | None = None,
) -> go.Figure:
    """Groups (rows) by tracks (columns): share of the group's provinces naming each.

    `turned` lays tracks down the rows and the five groups across, for a phone: 37 track
    columns in 350 px were 9 px each with their labels piled on one another. `width`, the
    figure's px where known, is what title and source line wrap to.
    """
    ordered = shares.loc[:, shares.max().sort_values(ascending=False).index]
    percent = ordered.to_numpy() * 100
    tracks = [_plain(track_labels.get(c, c)) for c in ordered.columns]
    groups = [group_label(g, lang) for g in ordered.index]
    if turned:
        percent = percent.T
        # Down a phone's rows a track label takes up to two lines of 45% of the figure
        # ("Cross-border intelligent logistics" ran 60 px off its left edge).
        wrap = max(12, int(0.45 * (width or PHONE_PLOT_PX) / LABEL_COLUMN_PX))
        tracks = ["<br>".join(wrap_text(track, wrap)) for track in tracks]
    figure = go.Figure(
        go.Heatmap(
            z=percent,
            x=groups if turned else tracks,
            y=tracks if turned else groups,
            colorscale=HEAT_SCALE,
            zmin=0,
            zmax=100,
            xgap=1,
            ygap=1,
            text=[[f"{v:.0f}%" if not math.isnan(v) else "" for v in row] for row in percent],
            texttemplate="%{text}",
            colorbar={"title": {"text": "%"}},
            hovertemplate="%{y} · %{x}: %{z:.0f}%<extra></extra>",
            showscale=not turned,  # on a phone every cell carries its number
        )
    )
    rows = list(figure.data[0].y)
    lines = max((row.count("<br>") + 1 for row in rows), default=1)
    height = 140 + max(24, 18 * lines) * len(rows) if turned else 440
    _finish(
        figure,
        t("track_heatmap", lang),
        lang,
        present,
        height=height,
        wrap=_note_wrap(rows, width, present),
        width=width,
    )
    if turned:
        # Upright, reading up: five group names slanted leaned 90 px out to the right,
        # taking that from a phone's plot.
        _ticks_on_top(figure, groups, -90, present)
    else:
        _column_labels(figure, tracks, _heatmap_plot_px(width, groups, present), present)
    figure.update_yaxes(autorange="reversed")
    return figure


def _label_px(label: str) -> float:
    """A tick label's width in 14 px type: 7.5 px a column (a Chinese character is two),
    its longest line's where it is wrapped."""
    lines = html.unescape(label).split("<br>")
    return LABEL_COLUMN_PX * max(text_columns(line) for line in lines)


def _note_wrap(row_labels: list[str], width: int | None = None, present: bool = False) -> int:
    """Columns of source note beside row labels: the note starts where the plot does,
    after the labels. Unknown width: it must still end inside a phone's chart (5.5 px a
    column); known, it runs to the figure's right margin."""
    label_px = max(map(_label_px, row_labels), default=0)
    phone = SOURCE_WRAP - math.ceil(label_px / 5.5)
    if width is None:
        return phone
    scale = PRESENT_SCALE if present else 1.0
    note_px = 11 * (NOTE_PRESENT_SCALE if present else 1.0)
    return max(phone, columns_fitting(width - 2 * MARGIN_PX - label_px * scale - 6, note_px))


def _heatmap_plot_px(width: int | None, row_labels: list[str], present: bool) -> float:
    """A heatmap's plot width: the figure's less margins, row labels and colour bar."""
    scale = PRESENT_SCALE if present else 1.0
    label_px = max(map(_label_px, row_labels), default=0) * scale
    return (width or DESKTOP_FIGURE_PX) - 2 * MARGIN_PX - label_px - COLOUR_BAR_PX * scale


def _columns_nameable(plot_px: float, count: int) -> bool:
    """Whether `count` columns across `plot_px` each hold a label of the smallest type."""
    return plot_px / max(count, 1) >= 1.2 * MIN_TICK_PX


def _column_labels(figure: go.Figure, labels: list[str], plot_px: float, present: bool) -> None:
    """A heatmap's column labels above its plot, every one shown and none touching the
    next: the least slant from 40 degrees at which neighbours a column apart clear a line
    of type, upright where even that fails, and then type no taller than a column.
    Columns narrower than 8 px type get no labels (`_columns_nameable`: the caller then
    says what they are)."""
    scale = PRESENT_SCALE if present else 1.0
    font_px = round(BASE_FONT * scale)
    pitch = plot_px / max(len(labels), 1)
    line_px = 1.2 * font_px  # a line of type with its leading
    if not _columns_nameable(plot_px, len(labels)):
        figure.update_xaxes(showticklabels=False, side="top")
        return
    if pitch * math.sin(math.radians(40)) >= line_px:
        angle = 40
    elif pitch >= line_px:
        angle = min(90, 5 * math.ceil(math.degrees(math.asin(line_px / pitch)) / 5))
    else:
        angle, font_px = 90, math.floor(pitch / 1.2)
    _ticks_on_top(figure, labels, -angle, present, font_px=font_px)
    # plotly would skip labels it finds crowded; each column is named.
    figure.update_xaxes(dtick=1)


def _ticks_on_top(
    figure: go.Figure,
    labels: list[str],
    angle: int,
    present: bool,
    *,
    font_px: int | None = None,
) -> None:
    """Slanted x labels above the plot, under the title: the bottom stays free for the
    source line. plotly's automargin would fit them in the figure but not clear of the
    title, so the top margin grows by their slanted height. `font_px`: the labels' type
    where it is set smaller than the rest (already scaled for a projector)."""
    scale = PRESENT_SCALE if present else 1.0
    size = font_px / BASE_FONT if font_px else scale
    widths = [_label_px(x) * size for x in labels]
    slant = math.radians(abs(angle))
    rise = max(widths, default=0) * math.sin(slant) + (14 * math.cos(slant) + 8) * size
    # The last label leans out past the plot's right edge by its run, and by the slanted
    # height of its line of type.
    run = (widths[-1] * math.cos(slant) + 14 * size * math.sin(slant)) if widths else 0
    figure.update_layout(
        height=figure.layout.height + round(rise),
        margin={"t": figure.layout.margin.t + round(rise), "r": max(10, round(run))},
    )
    figure.update_xaxes(tickangle=angle, automargin=False, side="top")
    if font_px:
        figure.update_xaxes(tickfont={"size": font_px})


def build_overlap_heatmap(
    overlap: pd.DataFrame,
    names: Mapping[int, str],
    lang: str,
    present: bool = False,
    *,
    width: int | None = None,
) -> go.Figure:
    """Province-by-province Jaccard similarity of focus tracks.

    31 columns leave each label 13 to 20 px, so the labels are the short names (广西,
    not 广西壮族自治区) laid out by `_column_labels`; the hover names both provinces in
    full. `width`, the figure's px where known, sizes the labels and is what title and
    source line wrap to.
    """
    full = [_plain(names.get(a, str(a))) for a in overlap.index]
    labels = [_plain(short_name(names.get(a, str(a)))) for a in overlap.index]
    figure = go.Figure(
        go.Heatmap(
            z=overlap.to_numpy(),
            x=labels,
            y=labels,
            zmin=0,
            zmax=1,
            colorscale=HEAT_SCALE,
            customdata=[[[row, column] for column in full] for row in full],
            hovertemplate="%{customdata[0]} · %{customdata[1]}: %{z:.2f}<extra></extra>",
            colorbar={"title": {"text": "J"}},
        )
    )
    plot_px = _heatmap_plot_px(width, labels, present)
    named = _columns_nameable(plot_px, len(labels))
    _finish(
        figure,
        t("overlap", lang),
        lang,
        present,
        height=max(420, 18 * len(labels) + 160),
        subtitle="" if named else t("overlap_columns", lang),
        wrap=_note_wrap(labels, width, present),
        width=width,
    )
    _column_labels(figure, labels, plot_px, present)
    figure.update_yaxes(autorange="reversed", automargin=True, dtick=1)
    return figure


def short_name(name: str) -> str:
    """A province's name without its rank (北京, 内蒙古, 广西), as Chinese tables and
    chart axes write it; an English name is already short."""
    return _SHORT_NAME.sub("", name) or name


# Longest first: 广西壮族自治区 loses 壮族自治区, not only 自治区.
_SHORT_NAME = re.compile("(壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区|省|市)$")


# --- shared finishing ----------------------------------------------------------------


def _finish(
    figure: go.Figure,
    title: str,
    lang: str,
    present: bool,
    *,
    height: int,
    note: str | None = None,
    subtitle: str = "",
    source: bool = True,
    axis_space: int = 0,
    wrap: int = SOURCE_WRAP,
    width: int | None = None,
) -> None:
    """Title, subtitle, fonts, source line and margins shared by every chart.

    `axis_space` is the height of x tick labels under the plot area, which the
    source line must clear. `subtitle` says what the figures compare (basis, year).
    `width` is the figure's width in px where the page knows it (`ui.main_width`):
    title and subtitle then wrap to it, not to a phone's width.
    """
    scale = PRESENT_SCALE if present else 1.0
    # Wrapped by hand: plotly annotations do not wrap, and a narrow chart would cut
    # the source line off the exported image.
    texts = ([note] if note else []) + ([t("source_line", lang)] if source else [])
    lines = [part for text in texts for part in wrap_text(_plain(text), wrap)]
    # On a projector the note is read by the presenter, not the room: it grows less than
    # the rest and leaves the height to the chart.
    note_scale = NOTE_PRESENT_SCALE if present else 1.0
    line_height = 15 * note_scale
    bottom = round(axis_space * scale + line_height * len(lines) + 12)
    # Unknown width: about 340 px of 20 px type, a title fits a phone's width, and wraps
    # rather than cut; the subtitle's type is about two thirds the title's, so it wraps at
    # half again the width.
    # A known narrower figure (the ranked bars' column at 1280 px) wraps in proportion.
    text_px = (width or 0) - 2 * MARGIN_PX - 8
    title_wrap = max(TITLE_WRAP, columns_fitting(text_px, 20 * scale))
    if width and width < TITLE_WRAP_PX * scale:
        title_wrap = int(TITLE_WRAP * width / (TITLE_WRAP_PX * scale))
    subtitle_wrap = max(round(TITLE_WRAP * 1.5), columns_fitting(text_px, 13 * scale))
    title_text = "<br>".join(wrap_text(_plain(title), title_wrap))
    subtitle_text = "<br>".join(wrap_text(_plain(subtitle), subtitle_wrap))
    title_lines = (
        title_text.count("<br>") + 1 + (subtitle_text.count("<br>") + 1 if subtitle else 0)
    )
    figure.update_layout(
        title={
            "text": title_text,
            "subtitle": {"text": subtitle_text, "font": {"size": round(13 * scale)}},
            "x": 0.01,
            "xanchor": "left",
            "yref": "container",
            "y": 1.0,
            "yanchor": "top",
            # plotly sets the title above its subtitle as if the subtitle had one line,
            # and a wrapped title's first line a third of its type too high: each further
            # line would push the title off the top, so it comes down again.
            "pad": {
                "t": round(
                    (14 + 17 * subtitle_text.count("<br>") + 7 * title_text.count("<br>")) * scale
                )
            },
            "font": {"size": round(20 * scale)},
        },
        font={"family": FONT_FAMILY, "size": round(BASE_FONT * scale), "color": "#222222"},
        height=height,
        margin={
            "l": MARGIN_PX,
            "r": MARGIN_PX,
            "t": round((30 + 26 * title_lines) * scale),
            "b": bottom,
        },
        paper_bgcolor="#ffffff",
        plot_bgcolor="#ffffff",
        uirevision="keep",
        # Dark text on white: a hover label in a pale class colour is unreadable.
        hoverlabel={
            "font": {"size": round(13 * scale), "family": FONT_FAMILY, "color": "#222222"},
            "bgcolor": "#ffffff",
            "bordercolor": "#8a8a8a",
        },
        modebar={"orientation": "v"},  # down the right edge, never over a title
    )
    if lines:
        figure.add_annotation(
            name=SOURCE_NOTE,
            text="<br>".join(lines),
            xref="paper",
            yref="paper",
            x=0,
            y=0,
            yshift=-round(axis_space * scale),
            xanchor="left",
            yanchor="top",
            showarrow=False,
            align="left",
            font={"size": round(11 * note_scale), "color": "#555555"},
        )


def _add_inset(
    figure: go.Figure,
    boundaries: Boundaries,
    adcodes: list[int],
    codes: list[int],
    n_codes: int,
    fills: list[str],
    hover: list[list[str]],
) -> None:
    """The South China Sea inset: nearby provinces in their map colours, the dashes and
    the box, drawn on the main map (its shapes are moved there by `boundaries`)."""
    inset = boundaries.inset
    key = INSET_KEY.removeprefix("properties.")
    shown = {feature["properties"][key] for feature in inset.geojson["features"]}
    keep = [i for i, adcode in enumerate(adcodes) if adcode in shown]
    figure.add_trace(
        go.Choropleth(
            # The served province file holds the inset too: one fetch for the map.
            geojson=boundaries.url or inset.geojson,
            featureidkey=INSET_KEY,
            locations=[adcodes[i] for i in keep],
            z=[codes[i] for i in keep],
            zmin=-0.5,
            zmax=n_codes - 0.5,
            colorscale=_stepped_scale(fills),
            showscale=False,
            customdata=[hover[i] for i in keep],
            hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]}<extra></extra>",
            marker={"line": {"width": 0.4, "color": EDGE}},
            showlegend=False,
            name="",
        )
    )
    for (lons, lats), colour, width in (
        (inset.dashes, "#333333", 1.8),
        (inset.frame, INSET_FRAME, 1.0),
    ):
        figure.add_trace(
            go.Scattergeo(
                lon=lons,
                lat=lats,
                mode="lines",
                line={"color": colour, "width": width},
                hoverinfo="skip",
                showlegend=False,
                name="",
            )
        )


def _legend_swatch(
    figure: go.Figure, colour: str, label: str, *, dotted: bool = False, line: bool = False
) -> None:
    """A legend entry without data: plotly's choropleth has no discrete legend."""
    marker: dict[str, Any] = {
        "size": 14,
        "color": colour,
        "symbol": "square",
        "line": {"width": 1, "color": "#999999"},
    }
    if dotted:
        marker.update({"symbol": "square-dot", "line": {"width": 1, "color": NO_FIGURE_DOTS}})
    if line:
        marker.update({"color": "rgba(0,0,0,0)", "line": {"width": 2.5, "color": colour}})
    figure.add_trace(
        go.Scattergeo(
            lon=[None],
            lat=[None],
            mode="markers",
            marker=marker,
            name=_plain(label),
            showlegend=True,
            hoverinfo="skip",
        )
    )


def _stepped_scale(colours: list[str]) -> list[list[float | str]]:
    """A colour scale that maps integer codes 0..n-1 each to one flat colour."""
    n = len(colours)
    scale: list[list[float | str]] = []
    for i, colour in enumerate(colours):
        scale += [[i / n, colour], [(i + 1) / n, colour]]
    return scale


def metric_title(metric: Metric, lang: str) -> str:
    """The heading a chart of `metric` carries (label, normalisation, unit)."""
    per = ""
    if metric.per != "none":
        per = f" · {t('per_' + metric.per, lang)}"
    heading = f"{metric.label}{per}"
    return t("qualified", lang, text=heading, note=metric.unit) if metric.unit else heading


def _value_text(metric: Metric, value: float, lang: str) -> str:
    if metric.binary:
        return t("has_track", lang) if value else t("lacks_track", lang)
    return f"{format_value(value, metric.per == 'none')} {_plain(metric.unit)}".strip()


def with_data_date(figure: go.Figure, as_of: str, lang: str) -> go.Figure:
    """The source line of `figure` plus "Data as of 2026-11-30.", so that an exported
    image says how current it is. Figures without a source line are left as they are,
    and so are figures already dated (a view's figure is shown again from `ui.recent`)."""
    dated = _plain(t("data_as_of", lang, date=as_of))
    for annotation in figure.layout.annotations:
        if annotation.name == SOURCE_NOTE:
            if annotation.text.endswith(dated):
                break
            annotation.text += "<br>" + dated
            margin = figure.layout.margin
            figure.update_layout(margin={"b": margin.b + round(annotation.font.size * 1.4)})
            if figure.layout.height:
                figure.update_layout(
                    height=figure.layout.height + round(annotation.font.size * 1.4)
                )
            break
    return figure


# Chinese words a line must not split ("万/元/年" and "人工智/能" were seen): units and the
# few terms that fill titles. Longest first, so "万元/年" wins over "万元".
_UNBROKEN = ("百万元/年", "万元/年", "亿元/年", "十亿元", "百万元", "万元", "亿元", "人工智能",
             "大模型", "数据集", "智能体", "算力", "集成电路", "芯片", "脑机接口")  # fmt: skip
_CJK = r"\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
_TOKEN = re.compile(
    "|".join(re.escape(word) for word in _UNBROKEN) + rf"|[{_CJK}]|[^\s{_CJK}]+|\s+"
)


_CLOSING = frozenset("）」』】〕》〉，。、；：！？)]}’”,.;:!?%")
_OPENING = frozenset("（「『【〔《〈([{‘“")


def wrap_text(text: str, width: int) -> list[str]:
    """Lines of at most `width` columns, a CJK character counting two: Chinese wraps
    between any two characters but inside no unit or term of `_UNBROKEN`, Latin words and
    numbers are never split ("Wedoany")."""
    lines: list[str] = []
    line, used = "", 0
    for token in _TOKEN.findall(text):
        if token.isspace():
            if line:
                line, used = line + " ", used + 1
            continue
        size = text_columns(token)
        # A closing mark never starts a line and an opening one never ends it (the
        # Chinese line-breaking rule, and ASCII): the opening mark moves down with its word.
        # (A line that is only an opening mark keeps its word even past the width.)
        lone_opening = len(line) == 1 and line in _OPENING
        if line and used + size > width and token[0] not in _CLOSING and not lone_opening:
            carried = line[-1] if line[-1] in _OPENING and len(line) > 1 else ""
            lines.append(line[: len(line) - len(carried)].rstrip())
            line, used = carried, text_columns(carried)
        line, used = line + token, used + size
    if line.strip():
        lines.append(line.rstrip())
    return lines


def columns_fitting(width_px: float, font_px: float) -> int:
    """Columns of text of `font_px` type that fit `width_px` (0 for no width)."""
    return max(0, int(width_px / (EM_PER_COLUMN * font_px)))


def text_columns(text: str) -> int:
    """Columns `text` takes: a CJK character two, any other one."""
    return sum(2 if _is_cjk(char) else 1 for char in text)


def _is_cjk(char: str) -> bool:
    return "\u2e80" <= char <= "\u9fff" or "\uf900" <= char <= "\uffef"


def _plain(text: object) -> str:
    """Text for plotly labels: its pseudo-HTML is escaped so data cannot inject tags."""
    return html.escape(str(text), quote=False)


def province_names(regions: pd.DataFrame, boundaries: Boundaries, lang: str) -> dict[int, str]:
    """Display names: the data's for the 31, the boundaries' for HK, Macao, Taiwan."""
    column = "name_zh" if lang == "zh" else "name_en"
    names = dict(boundaries.names_zh if lang == "zh" else boundaries.names_en)
    names.update(zip(regions["adcode"].astype(int), regions[column], strict=True))
    return names


def metric_citations(
    citations: pd.DataFrame, field: str, adcodes: list[int], lang: str
) -> dict[int, str]:
    """For each province, the citation line of the best source of `field`."""
    return {
        adcode: citation_line(citations.loc[(adcode, field)], lang)
        for adcode in adcodes
        if (adcode, field) in citations.index
    }
