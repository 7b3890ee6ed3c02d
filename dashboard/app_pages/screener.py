"""`/screener`: filter provinces by money, tracks and groups; results as table, map, CSV."""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import streamlit as st

from dashboard import charts, schema, ui
from dashboard.export import csv_bytes, download_name, figures_frame, for_display
from dashboard.i18n import t
from dashboard.transform import (
    RANGE_FILTERS,
    SCREEN_FLAGS,
    Screen,
    build_metric,
    classify,
    describe_screen,
    official_only,
    range_label,
    screen,
)
from dashboard.viewstate import format_range, parse_choice, parse_flag, parse_list, parse_range


def render() -> None:
    data = ui.dataset()
    lang = ui.lang()
    regions, tracks = data.regions, data.tracks
    track_ids = list(tracks["track"])
    bounds = {
        key: (0.0, float(math.ceil(regions[column].max())))
        for key, column in RANGE_FILTERS.items()
        if regions[column].notna().any()
    }
    for key, span in bounds.items():
        ui.seed(key, lambda raw, k=key, s=span: parse_range(raw, s, k))
        if st.session_state[key] is None:
            st.session_state[key] = span
    ui.seed("tracks", lambda raw: parse_list(raw, track_ids, "tracks"))
    ui.seed("tracks_mode", lambda raw: parse_choice(raw, ("any", "all"), "any", "tracks_mode"))
    ui.seed("groups", lambda raw: parse_list(raw, schema.GROUPS, "groups"))
    for flag in SCREEN_FLAGS:
        ui.seed(flag, lambda raw, f=flag: parse_flag(raw, f))
    for key in ("tracks", "groups"):
        st.session_state[key] = list(st.session_state[key])

    labels = dict(zip(tracks["track"], tracks[f"label_{lang}"], strict=True))
    # On a projector the map's title and subtitle carry the count and the criteria: the
    # result takes the first screen.
    if not ui.present():
        st.title(t("page_screener", lang))
        with st.container(border=True):
            columns = st.columns(3)
            for column, (key, span) in zip(columns, bounds.items(), strict=False):
                _range_slider(column, key, span, lang)
            first, second, third = st.columns([3, 1, 2])
            first.multiselect(
                t("tracks_filter", lang),
                track_ids,
                key="tracks",
                format_func=labels.get,
                placeholder=t("all_tracks", lang),
            )
            second.radio(
                t("tracks_mode", lang),
                ("any", "all"),
                key="tracks_mode",
                format_func=lambda m: t(f"tracks_{m}", lang),
            )
            ui.group_picker(third, "groups")
            for column, flag in zip(st.columns(3), SCREEN_FLAGS, strict=True):
                column.checkbox(t(flag, lang), key=flag)
    ui.show_url_notices()

    active = {
        key: st.session_state[key] for key in bounds if tuple(st.session_state[key]) != bounds[key]
    }
    criteria = Screen(
        ranges=tuple((RANGE_FILTERS[k], float(v[0]), float(v[1])) for k, v in active.items()),
        tracks=tuple(st.session_state["tracks"]),
        tracks_mode=st.session_state["tracks_mode"],
        groups=tuple(st.session_state["groups"]),
        **{flag: bool(st.session_state[flag]) for flag in SCREEN_FLAGS},
    )
    results = screen(regions, data.sources, criteria)
    url_view = {
        **{
            key: format_range(value) if key in active else None
            for key, value in ((k, st.session_state[k]) for k in bounds)
        },
        "tracks": ",".join(criteria.tracks) or None,
        "tracks_mode": None if criteria.tracks_mode == "any" else criteria.tracks_mode,
        "groups": ",".join(criteria.groups) or None,
        **{flag: "1" if st.session_state[flag] else None for flag in SCREEN_FLAGS},
    }
    ui.sync_url(url_view)
    if not ui.present():
        st.subheader(t("matches", lang, n=len(results)))
        st.caption(t("missing_note", lang))
    matched = frozenset(int(a) for a in results["adcode"])
    # The map shows what the table shows: with "official only", unofficial figures are
    # blank here too.
    shown = official_only(regions, data.sources) if criteria.official_only else regions
    metric = build_metric(shown, tracks, "fund", "none", lang)
    figure = charts.build_choropleth(
        metric,
        classify(metric.values, "quantiles", published=metric.per == "none"),
        ui.boundaries(),
        charts.province_names(regions, ui.boundaries(), lang),
        charts.metric_citations(data.citations, "fund", list(matched), lang),
        lang,
        highlight=matched,
        hatch=ui.hatch(),
        present=ui.present(),
        title=t(
            "screener_map_title", lang, n=len(matched), metric=charts.metric_title(metric, lang)
        ),
        subtitle=describe_screen(criteria, labels, lang),
    )
    left, right = st.columns([3, 2] if ui.present() else [1, 1])
    with left:
        ui.show_chart(
            figure,
            config=ui.plotly_config("screener-map"),
            key="screener_map",
            alt=t("matches", lang, n=len(matched)),
        )
    with right:
        if results.empty:
            st.info(t("no_matches", lang))
        else:
            _render_results(results, data, lang, {k: v for k, v in url_view.items() if v})


def _render_results(results, data, lang: str, view: dict[str, str]) -> None:
    """The matches as a table of every figure with year, basis and source, and its CSV."""
    table = figures_frame(results, data, lang)
    # On screen: figures, years and bases; the download adds every figure's citation.
    shown = table[[c for c in table.columns if ": " not in c]]
    st.dataframe(
        for_display(shown),
        hide_index=True,
        width="stretch",
        key="results",
    )
    st.caption(t("dash_means", lang))
    st.download_button(
        t("download_results", lang),
        csv_bytes(table),
        file_name=download_name("screener", view, date.today().isoformat()),
        mime="text/csv",
        key="download_results",
        on_click="ignore",
    )


def _range_slider(column: Any, key: str, span: tuple[float, float], lang: str) -> None:
    """A range slider in the unit the language counts in (亿元, 万元 in Chinese) over the
    stored range in `st.session_state[key]`, which the URL and the filter read."""
    scale = schema.column_scale(RANGE_FILTERS[key], lang)
    shown = f"{key}_in_{lang}"
    low, high = st.session_state[key]
    st.session_state[shown] = (low * scale, high * scale)
    step = _step((span[0] * scale, span[1] * scale))
    column.slider(
        range_label(key, lang),
        span[0] * scale,
        span[1] * scale,
        key=shown,
        step=step,
        format="%.0f" if step >= 1 else "%.1f",
        on_change=_store_range,
        args=(key, shown, scale),
    )


def _store_range(key: str, shown: str, scale: float) -> None:
    low, high = st.session_state[shown]
    st.session_state[key] = (round(low / scale, 6), round(high / scale, 6))


def _step(span: tuple[float, float]) -> float:
    """A slider step that gives about 100 positions, rounded to 1, 2 or 5."""
    raw = (span[1] - span[0]) / 100 or 1.0
    magnitude = 10 ** math.floor(math.log10(raw))
    return float(next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw))


render()
