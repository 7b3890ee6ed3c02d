"""plotly figures. Each `build_*` returns a figure that carries its own title, legend,
unit and source line, so a PNG or SVG exported from the browser stands on its own.

Text from the data reaches plotly only through `_plain`, which escapes the few
HTML-like tags plotly would otherwise render.
"""

from __future__ import annotations

import html
import math
import textwrap
from collections.abc import Mapping
from typing import Any

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.boundaries import MAINLAND_FRAME, Boundaries
from dashboard.i18n import group_label, t
from dashboard.transform import Classes, Metric, citation_line, format_number

# ColorBrewer YlGnBu: colour-blind safe and monotonic in lightness, so classes stay
# ordered in greyscale. The palest steps are skipped: they belong to "no figure".
PALETTE = ("#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84")
HEAT_SCALE = [[0.0, "#ffffff"], *[[(i + 1) / len(PALETTE), c] for i, c in enumerate(PALETTE)]]
NO_FIGURE_FILL = "#eeeeee"
NO_FIGURE_DOTS = "#9a9a9a"
NOT_COVERED_FILL = "#d9d9d9"
OUTSIDE_FILL = "#fbfbfb"  # provinces a filter left out: near-white, no dots
EDGE = "#8a8a8a"  # mid grey: visible against pale "no figure" and dark classes alike
BORDER_EDGE = "#d95f02"  # ColorBrewer Dark2 orange: stands apart from the blue-greens
SELECTED_EDGE = "#000000"
OUTLINE = "#333333"
# Albers-style conic with China's customary standard parallels; fixed ranges instead of
# fitbounds, so every map frames the country the same way whatever it highlights.
CHINA_GEO: dict[str, Any] = {
    "visible": False,
    "projection": {"type": "conic equal area", "parallels": [25, 47], "rotation": {"lon": 105}},
    "lonaxis": {"range": [MAINLAND_FRAME[0], MAINLAND_FRAME[2]]},
    "lataxis": {"range": [MAINLAND_FRAME[1], MAINLAND_FRAME[3]]},
    "domain": {"x": [0, 1], "y": [0, 1]},
}
# The customary South China Sea inset (lower right), drawn from the same data.
SCS_GEO: dict[str, Any] = {
    "visible": False,
    "projection": {"type": "conic equal area", "parallels": [25, 47], "rotation": {"lon": 105}},
    "lonaxis": {"range": [106, 123]},
    "lataxis": {"range": [3, 25]},
    "domain": {"x": [0.84, 1.0], "y": [0.0, 0.30]},
    "showframe": True,
    "framecolor": "#8a8a8a",
    "framewidth": 1,
    "bgcolor": "#ffffff",
}
SCS_ADCODES = (350000, 440000, 450000, 460000, 710000, 810000, 820000)
FONT_FAMILY = "Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, Microsoft YaHei, sans-serif"
BASE_FONT = 14
SOURCE_WRAP = 75  # characters per line of the source note
PRESENT_SCALE = 1.6


def class_colours(count: int) -> list[str]:
    """`count` colours spread over the palette, light to dark."""
    if count <= 1:
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
) -> go.Figure:
    """A China choropleth of `metric`, one trace carrying the geometry once.

    Classes, "no published figure" and "not covered" are codes of one discrete
    colour scale, so the 300 KB of boundaries are sent once, not per class.
    `highlight`, when given, blanks every province outside it (screener matches).
    """
    adcodes = boundaries.adcodes
    colours = [PALETTE[0], PALETTE[4]] if metric.binary else class_colours(classes.count)
    labels = (
        [t("lacks_track", lang), t("has_track", lang)] if metric.binary else list(classes.labels)
    )
    no_figure_code, not_covered_code, outside_code = range(len(colours), len(colours) + 3)
    fills = [*colours, NO_FIGURE_FILL, NOT_COVERED_FILL, OUTSIDE_FILL]
    codes, hover, widths, edges = [], [], [], []
    for adcode in adcodes:
        if adcode not in metric.values.index:
            codes.append(not_covered_code)
            hover.append([_plain(names.get(adcode, "")), t("not_covered", lang), "", ""])
        else:
            value = metric.values.get(adcode)
            known = value is not None and not math.isnan(value)
            if highlight is not None and adcode not in highlight:
                codes.append(outside_code)
            elif not known:
                codes.append(no_figure_code)
            elif metric.binary:
                codes.append(int(value))
            else:
                codes.append(int(classes.class_of.get(adcode, 0)))
            hover.append(
                [
                    _plain(names.get(adcode, "")),
                    _value_text(metric, value, lang) if known else t("no_figure", lang),
                    _year_text(metric, adcode, lang) if known else "",
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
    if boundaries.south_china_sea is not None:
        _add_scs_inset(figure, boundaries, adcodes, codes, n_codes, fills, hover)
    if hatch is not None:
        missing = [a for a, code in zip(adcodes, codes, strict=True) if code == no_figure_code]
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
    for colour, label in zip(colours, labels, strict=True):
        _legend_swatch(figure, colour, label)
    if no_figure_code in codes:
        _legend_swatch(figure, NO_FIGURE_FILL, t("no_figure", lang), dotted=True)
    if not_covered_code in codes:
        _legend_swatch(figure, NOT_COVERED_FILL, t("not_covered", lang))
    if outside_code in codes:
        _legend_swatch(figure, OUTSIDE_FILL, t("outside_selection", lang))
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

    figure.update_layout(geo={**CHINA_GEO, "bgcolor": "rgba(0,0,0,0)"})
    if boundaries.south_china_sea is not None:
        figure.update_layout(geo2=SCS_GEO)
    heading = title or metric_title(metric, lang)
    # In presentation mode the map must fit a 1280x720 projector under the exit button.
    _finish(figure, heading, lang, present, height=600 if present else 580)
    figure.update_layout(
        legend={
            "orientation": "v",
            "x": 0.0,
            "y": 0.02,
            "xanchor": "left",
            "yanchor": "bottom",
            "bgcolor": "rgba(255,255,255,0.85)",
            "font": {"size": round(BASE_FONT * (PRESENT_SCALE if present else 1.0))},
            "itemclick": False,
            "itemdoubleclick": False,
        },
        clickmode="event+select",
        dragmode="pan",
    )
    return figure


def build_ranked_bars(
    metric: Metric,
    classes: Classes,
    names: Mapping[int, str],
    lang: str,
    *,
    selected: int | None = None,
    present: bool = False,
) -> go.Figure:
    """Provinces with a figure, largest at the top, coloured like their map class."""
    known = metric.values.dropna().sort_values()
    colours = [PALETTE[4]] * 2 if metric.binary else class_colours(max(classes.count, 1))
    bar_colours = [
        SELECTED_EDGE
        if adcode == selected
        else colours[max(int(classes.class_of.get(adcode, 0)), 0)]
        for adcode in known.index
    ]
    labels = [_plain(names.get(adcode, str(adcode))) for adcode in known.index]
    figure = go.Figure(
        go.Bar(
            x=known.to_numpy(),
            y=labels,
            orientation="h",
            marker={"color": bar_colours},
            text=[format_number(v) for v in known],
            textposition="outside",
            cliponaxis=False,
            customdata=list(known.index),
            hovertemplate="%{y}: %{text} " + _plain(metric.unit) + "<extra></extra>",
        )
    )
    missing = int(metric.values.isna().sum())
    _finish(
        figure,
        f"{t('ranked', lang)}: {metric_title(metric, lang)}",
        lang,
        present,
        height=max(260, 80 + 22 * len(known)),
        note=t("ranked_missing", lang, n=missing) if missing else None,
        axis_space=26,
        wrap=45,  # the bars sit in a narrow column beside the map
    )
    # The unit is in the title; an axis title here would collide with the source line.
    figure.update_xaxes(rangemode="tozero")
    figure.update_layout(margin={"r": 48})
    figure.update_yaxes(automargin=True)
    return figure


def build_group_maps(
    boundaries: Boundaries, groups: Mapping[str, frozenset[int]], lang: str
) -> go.Figure:
    """Small maps side by side, one per group, its provinces filled and the rest pale.

    One figure with a geo subplot per group: a sixth of the work of separate figures,
    and with served geometry the browser fetches the boundaries once for all of them.
    """
    adcodes = boundaries.adcodes
    names = boundaries.names_zh if lang == "zh" else boundaries.names_en
    hover = [_plain(names.get(a, "")) for a in adcodes]
    figure = go.Figure()
    width = 1 / max(len(groups), 1)
    for index, (group, members) in enumerate(groups.items()):
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
        domain = {"x": [index * width + 0.005, (index + 1) * width - 0.005], "y": [0, 1]}
        figure.update_layout({geo: {**CHINA_GEO, "domain": domain}})
    _finish(figure, t("page_regions", lang), lang, False, height=220, source=False)
    figure.update_layout(margin={"l": 0, "r": 0, "t": 10, "b": 0}, title=None)
    return figure


def build_track_heatmap(
    shares: pd.DataFrame, track_labels: Mapping[str, str], lang: str, present: bool = False
) -> go.Figure:
    """Groups (rows) by tracks (columns): share of the group's provinces naming each."""
    ordered = shares.loc[:, shares.max().sort_values(ascending=False).index]
    percent = ordered.to_numpy() * 100
    figure = go.Figure(
        go.Heatmap(
            z=percent,
            x=[_plain(track_labels.get(c, c)) for c in ordered.columns],
            y=[group_label(g, lang) for g in ordered.index],
            colorscale=HEAT_SCALE,
            zmin=0,
            zmax=100,
            xgap=1,
            ygap=1,
            text=[[f"{v:.0f}%" if not math.isnan(v) else "" for v in row] for row in percent],
            texttemplate="%{text}",
            colorbar={"title": {"text": "%"}},
            hovertemplate="%{y} · %{x}: %{z:.0f}%<extra></extra>",
        )
    )
    _finish(figure, t("track_heatmap", lang), lang, present, height=440)
    # Labels on top keep the bottom free for the source line.
    figure.update_xaxes(tickangle=-40, automargin=True, side="top")
    figure.update_yaxes(autorange="reversed")
    return figure


def build_overlap_heatmap(
    overlap: pd.DataFrame, names: Mapping[int, str], lang: str, present: bool = False
) -> go.Figure:
    """Province-by-province Jaccard similarity of focus tracks."""
    labels = [_plain(names.get(a, str(a))) for a in overlap.index]
    figure = go.Figure(
        go.Heatmap(
            z=overlap.to_numpy(),
            x=labels,
            y=labels,
            zmin=0,
            zmax=1,
            colorscale=HEAT_SCALE,
            hovertemplate="%{y} · %{x}: %{z:.2f}<extra></extra>",
            colorbar={"title": {"text": "J"}},
        )
    )
    _finish(figure, t("overlap", lang), lang, present, height=max(420, 18 * len(labels) + 160))
    figure.update_xaxes(tickangle=-60, automargin=True, side="top")
    figure.update_yaxes(autorange="reversed", automargin=True)
    return figure


def build_compare_bars(metrics: list[Metric], names: Mapping[int, str], lang: str) -> go.Figure:
    """Small multiples, three to a row: one panel per metric, one bar per chosen province.

    A province without the figure gets a grey "no published figure" label where its
    bar would stand, so a gap never reads as a zero-height bar.
    """
    columns = 3
    rows = max(1, math.ceil(len(metrics) / columns))
    figure = make_subplots(
        rows=rows,
        cols=columns,
        subplot_titles=[
            "<br>".join(textwrap.wrap(_plain(metric_title(m, lang)), 34)) for m in metrics
        ],
        horizontal_spacing=0.08,
        vertical_spacing=0.3 / rows,
    )
    count = len(metrics[0].values) if metrics else 2
    colours = class_colours(max(2, count))
    for index, metric in enumerate(metrics):
        row, col = divmod(index, columns)
        labels = [_plain(names.get(a, str(a))) for a in metric.values.index]
        figure.add_trace(
            go.Bar(
                x=labels,
                y=metric.values.to_numpy(),
                marker={"color": colours[:count]},
                text=[format_number(v) for v in metric.values],
                textposition="outside",
                cliponaxis=False,
                showlegend=False,
                hovertemplate="%{x}: %{text}<extra></extra>",
            ),
            row=row + 1,
            col=col + 1,
        )
        for label, value in zip(labels, metric.values, strict=True):
            if math.isnan(value):
                figure.add_annotation(
                    x=label,
                    y=0,
                    text=t("no_figure", lang),
                    textangle=-90,
                    yanchor="bottom",
                    showarrow=False,
                    font={"size": 11, "color": "#777777"},
                    row=row + 1,
                    col=col + 1,
                )
    # Subplot titles are the only paper-anchored annotations so far; the source comes next.
    figure.update_annotations(font_size=13, selector={"yref": "paper"})
    _finish(figure, t("page_compare", lang), lang, False, height=80 + 300 * rows, axis_space=26)
    figure.update_yaxes(rangemode="tozero")
    return figure


# --- shared finishing ----------------------------------------------------------------


def _finish(
    figure: go.Figure,
    title: str,
    lang: str,
    present: bool,
    *,
    height: int,
    note: str | None = None,
    source: bool = True,
    axis_space: int = 0,
    wrap: int = SOURCE_WRAP,
) -> None:
    """Title, fonts, source line and margins shared by every chart.

    `axis_space` is the height of x tick labels under the plot area, which the
    source line must clear.
    """
    scale = PRESENT_SCALE if present else 1.0
    # Wrapped by hand: plotly annotations do not wrap, and a narrow chart would cut
    # the source line off the exported image. CJK characters are twice as wide.
    width = wrap // 2 if lang == "zh" else wrap
    texts = ([note] if note else []) + ([t("source_line", lang)] if source else [])
    lines = [part for text in texts for part in textwrap.wrap(_plain(text), width)]
    line_height = 15 * scale
    bottom = round(axis_space * scale + line_height * len(lines) + 12)
    figure.update_layout(
        title={
            "text": _plain(title),
            "x": 0.01,
            "xanchor": "left",
            "font": {"size": round(20 * scale)},
        },
        font={"family": FONT_FAMILY, "size": round(BASE_FONT * scale), "color": "#222222"},
        height=height,
        margin={"l": 10, "r": 10, "t": round(56 * scale), "b": bottom},
        paper_bgcolor="#ffffff",
        plot_bgcolor="#ffffff",
        uirevision="keep",
        hoverlabel={"font": {"size": round(13 * scale), "family": FONT_FAMILY}},
    )
    if lines:
        figure.add_annotation(
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
            font={"size": round(11 * scale), "color": "#555555"},
        )


def _add_scs_inset(
    figure: go.Figure,
    boundaries: Boundaries,
    adcodes: list[int],
    codes: list[int],
    n_codes: int,
    fills: list[str],
    hover: list[list[str]],
) -> None:
    """The South China Sea inset: nearby provinces in their map colours plus the dashes."""
    # The same file as the main map when it is served (one fetch, cached); else a subset.
    subset = boundaries.url or {
        "type": "FeatureCollection",
        "features": [f for f in boundaries.geojson["features"] if f["id"] in SCS_ADCODES],
    }
    keep = [i for i, adcode in enumerate(adcodes) if adcode in SCS_ADCODES]
    figure.add_trace(
        go.Choropleth(
            geojson=subset,
            locations=[adcodes[i] for i in keep],
            z=[codes[i] for i in keep],
            zmin=-0.5,
            zmax=n_codes - 0.5,
            colorscale=_stepped_scale(fills),
            showscale=False,
            customdata=[hover[i] for i in keep],
            hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]}<extra></extra>",
            marker={"line": {"width": 0.4, "color": EDGE}},
            geo="geo2",
            showlegend=False,
            name="",
        )
    )
    lons, lats = boundaries.south_china_sea
    figure.add_trace(
        go.Scattergeo(
            lon=lons,
            lat=lats,
            mode="lines",
            line={"color": "#333333", "width": 1.8},
            hoverinfo="skip",
            geo="geo2",
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
    unit = f" ({metric.unit})" if metric.unit else ""
    return f"{metric.label}{per}{unit}"


def _value_text(metric: Metric, value: float, lang: str) -> str:
    if metric.binary:
        return t("has_track", lang) if value else t("lacks_track", lang)
    return f"{format_number(value)} {_plain(metric.unit)}".strip()


def _year_text(metric: Metric, adcode: int, lang: str) -> str:
    year = metric.years.get(adcode) if adcode in metric.years.index else None
    if year is None or pd.isna(year):
        return ""
    return f" ({t('target_year', lang, year=int(year))})"


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
