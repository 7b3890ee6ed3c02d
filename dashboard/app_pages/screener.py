"""`/screener`: filter provinces by money, tracks and groups; results as table, map, CSV."""

from __future__ import annotations

import math
from dataclasses import replace
from typing import Any

import streamlit as st

from dashboard import charts, schema, ui
from dashboard.export import csv_bytes, download_name, for_display
from dashboard.i18n import t
from dashboard.instruments import LEVEL_CHOICES, kind_name, of_kind, place_circles
from dashboard.screening import (
    CITATION_KEYS,
    KINDS,
    SCREEN_FLAGS,
    Result,
    Screen,
    describe_screen,
    kind_span,
    map_table,
    present_table,
    range_label,
    result_table,
    screen,
)
from dashboard.transform import build_metric, classify
from dashboard.viewstate import format_range, parse_choice, parse_flag, parse_list, parse_range


def render() -> None:
    data = ui.dataset()
    lang = ui.lang()
    regions, tracks = data.regions, data.tracks
    track_ids = list(tracks["track"])
    spans = ui.derived(
        data, ("kind_spans",), lambda d: {k: kind_span(d.instruments, k) for k in KINDS}
    )
    # A kind's range in the link (?fund=10-23) picks that kind too; ?money= lists the
    # kinds picked over their whole span ("has one at all").
    ranged = [k for k in KINDS if st.query_params.get(k)]
    ui.seed(
        "money_kinds",
        lambda raw: replace(
            listed := parse_list(raw, KINDS, "money"), value=listed.value + tuple(ranged)
        ),
        param="money",
    )
    for kind, span in spans.items():
        ui.seed(kind, lambda raw, k=kind, s=span: parse_range(raw, s, k))
    st.session_state["money_kinds"] = list(dict.fromkeys(st.session_state["money_kinds"]))
    for kind in KINDS:
        if st.session_state[kind] is None:
            st.session_state[kind] = spans[kind]
    ui.seed("screen_level", lambda raw: parse_choice(raw, LEVEL_CHOICES, "both", "level"),
            param="level")  # fmt: skip
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
            top = st.columns([3, 2])
            top[0].multiselect(
                t("money_kinds", lang),
                KINDS,
                key="money_kinds",
                format_func=lambda kind: kind_name(kind, lang),
                placeholder=t("choose", lang),
            )
            top[1].radio(
                t("level_choice", lang),
                LEVEL_CHOICES,
                key="screen_level",
                horizontal=True,
                format_func=lambda level: t(f"level_{level}", lang),
            )
            chosen = list(st.session_state["money_kinds"])
            for column, kind in zip(st.columns(3) * 4, chosen, strict=False):
                _range_slider(column, kind, spans[kind], lang)
            st.caption(t("screen_rule", lang))
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

    chosen = list(st.session_state["money_kinds"])
    criteria = Screen(
        ranges=tuple((k, *map(float, st.session_state[k])) for k in chosen),
        level=st.session_state["screen_level"],
        tracks=tuple(st.session_state["tracks"]),
        tracks_mode=st.session_state["tracks_mode"],
        groups=tuple(st.session_state["groups"]),
        **{flag: bool(st.session_state[flag]) for flag in SCREEN_FLAGS},
    )
    result = screen(regions, data.instruments, criteria)
    url_view = {
        "money": ",".join(k for k in chosen if tuple(st.session_state[k]) == spans[k]) or None,
        **{
            k: format_range(st.session_state[k])
            if k in chosen and tuple(st.session_state[k]) != spans[k]
            else None
            for k in KINDS
        },
        "level": None if criteria.level == "both" else criteria.level,
        "tracks": ",".join(criteria.tracks) or None,
        "tracks_mode": None if criteria.tracks_mode == "any" else criteria.tracks_mode,
        "groups": ",".join(criteria.groups) or None,
        **{flag: "1" if st.session_state[flag] else None for flag in SCREEN_FLAGS},
    }
    ui.sync_url(url_view)
    ui.keep_view(("money_kinds", "screen_level", "tracks", "tracks_mode", "groups", *SCREEN_FLAGS))
    matched = frozenset(int(a) for a in result.provinces["adcode"])
    if not ui.present():
        st.subheader(t("instrument_matches", lang, n=len(matched), k=len(result.instruments)))
    # The map colours the first chosen kind (the fund when none is), counting only what
    # the screen counts, with that kind's local instruments as circles.
    kind = chosen[0] if chosen else "fund"
    shown = map_table(regions, result)
    metric = build_metric(shown, tracks, kind, "none", lang)
    local_rows = of_kind(result.instruments if chosen else result.counted, kind, "local")
    local_rows = local_rows[local_rows["adcode"].isin(matched)]
    figure = charts.build_choropleth(
        metric,
        classify(metric.values, "quantiles", published=True),
        ui.boundaries(),
        charts.province_names(regions, ui.boundaries(), lang),
        charts.metric_citations(data.citations, kind, list(matched), lang),
        lang,
        highlight=matched,
        hatch=ui.hatch(),
        present=ui.present(),
        title=t(
            "screener_map_title", lang, n=len(matched), metric=charts.metric_title(metric, lang)
        ),
        subtitle=describe_screen(criteria, spans, labels, lang),
        circles=place_circles(local_rows, ui.places()) if criteria.level != "province" else None,
        narrow=True,
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
        if result.provinces.empty:
            st.info(t("no_matches", lang))
        else:
            _render_results(
                result,
                data,
                lang,
                {k: v for k, v in url_view.items() if v},
                describe_screen(criteria, spans, labels, lang),
            )


def _render_results(
    result: Result, data: Any, lang: str, view: dict[str, str], criteria_text: str
) -> None:
    """One row per instrument, grouped by province; the CSV adds every citation, and a
    first line with the data date, the criteria and the source."""
    about = " ".join(
        (t("data_as_of", lang, date=data.as_of), f"{t('criteria', lang)}: {criteria_text}.",
         t("source_line", lang))
    )  # fmt: skip
    table = result_table(result, lang)
    shown = table.drop(columns=[t(key, lang) for key in CITATION_KEYS], errors="ignore")
    if ui.present():
        # For the room: large type (a plain table, the grid draws on a canvas CSS cannot
        # enlarge) and only the columns that fit, so nothing hides behind a scroll bar.
        st.table(present_table(result, lang))
        return
    st.dataframe(for_display(shown), hide_index=True, width="stretch", key="results")
    st.caption(t("dash_means", lang))
    st.download_button(
        t("download_results", lang),
        csv_bytes(table, about=about),
        file_name=download_name("screener", view, data.as_of),
        mime="text/csv",
        key="download_results",
        on_click="ignore",
    )


def _range_slider(column: Any, key: str, span: tuple[float, float], lang: str) -> None:
    """A range slider in the unit the language counts in (亿元, 万元 in Chinese) over the
    stored range in `st.session_state[key]`, which the URL and the filter read."""
    scale = schema.column_scale(key, lang)
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
