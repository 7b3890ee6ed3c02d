"""`/`: the choropleth of one commitment, a ranked bar chart, and the province panel."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from dashboard import charts, schema, ui
from dashboard.app_pages.province import render_province_panel
from dashboard.data import Dataset
from dashboard.i18n import t
from dashboard.instruments import (
    LEVEL_CHOICES,
    amount_text,
    is_kind,
    of_kind,
    place_circles,
    place_text,
)
from dashboard.markup import escape_markdown, markdown_link
from dashboard.metric_names import PLAN_DAYS, basis_label, menu_label, metric_ids
from dashboard.sourcing import citation_line
from dashboard.transform import (
    PER_MODES,
    SCHEMES,
    Metric,
    allowed_per,
    basis_options,
    build_metric,
    classify,
    default_metric,
    default_window,
    in_groups,
    plan_citations,
    year_options,
)
from dashboard.viewstate import (
    Scene,
    encode_scenes,
    parse_adcode,
    parse_choice,
    parse_flag,
    parse_list,
    parse_scenes,
)

# The map's view, kept for the session when the reader visits another page.
MAP_VIEW_KEYS = ("metric", "per", "basis", "years", "scheme", "outlines", "border", "region",
                 "level", "province")  # fmt: skip


def _select_province_from_map() -> None:
    """Map click callback: the clicked location becomes the selected province."""
    event = st.session_state.get("map_chart") or {}
    points = (event.get("selection") or {}).get("points") or []
    for point in points:
        location = point.get("location")
        if location is not None and int(location) in set(ui.dataset().regions["adcode"]):
            # A second click on the open province closes its panel, as a toggle does.
            same = st.session_state.get("province") == int(location)
            st.session_state["province"] = None if same else int(location)
            return


def render() -> None:
    data = ui.dataset()
    lang, present = ui.lang(), ui.present()
    regions, tracks = data.regions, data.tracks
    adcodes = [int(a) for a in regions["adcode"]]
    metrics = metric_ids(tracks)

    first_metric = default_metric(regions)
    ui.seed("metric", lambda raw: parse_choice(raw, metrics, first_metric, "metric"))
    ui.seed("per", lambda raw: parse_choice(raw, PER_MODES, "none", "per"))
    ui.seed("scheme", lambda raw: parse_choice(raw, SCHEMES, "quantiles", "scheme"))
    ui.seed("outlines", lambda raw: parse_flag(raw, "outlines"))
    ui.seed("border", lambda raw: parse_flag(raw, "border"))
    ui.seed("region", lambda raw: parse_list(raw, schema.GROUPS, "region"))
    ui.seed("province", lambda raw: parse_adcode(raw, set(adcodes), "province"))
    ui.seed("scenes", lambda raw: parse_scenes(raw, metrics, PER_MODES, set(adcodes)))
    ui.seed("scene", lambda raw: parse_choice(raw, [str(i) for i in range(50)], "0", "scene"))
    if st.session_state["scenes"] and "_scene_shown" not in st.session_state:
        _show_scene(int(st.session_state["scene"]) % len(st.session_state["scenes"]))
    # Region filter is stored as a list for the multiselect widget.
    st.session_state["region"] = list(st.session_state["region"])
    if st.session_state["per"] not in allowed_per(st.session_state["metric"]):
        st.session_state["per"] = "none"
    # Basis and year window belong to the metric: seeded from the link, reset to the
    # metric's defaults when the metric changes to one that does not offer them.
    bases = basis_options(regions, st.session_state["metric"])
    windows = year_options(regions, st.session_state["metric"])
    ui.seed("basis", lambda raw: parse_choice(raw, bases, bases[0] if bases else "", "basis"))
    if bases and st.session_state["basis"] not in bases:
        st.session_state["basis"] = bases[0]
    # One target year by default, the one most provinces name on the chosen basis: a
    # window of years is there on request, its figures ranked within their own year.
    first_years = default_window(
        regions, st.session_state["metric"], st.session_state["basis"] or None
    )
    ui.seed("years", lambda raw: parse_choice(raw, windows, first_years, "years"))
    following = st.session_state.get("_years_default") == st.session_state["years"]
    if st.session_state["years"] not in (windows or [first_years]) or following:
        st.session_state["years"] = first_years
    st.session_state["_years_default"] = first_years
    # A money kind is drawn at the levels the reader picks: the province's own instrument
    # as colour, cities', districts' and zones' as circles.
    ui.seed("level", lambda raw: parse_choice(raw, LEVEL_CHOICES, "both", "level"))
    money_kind = is_kind(st.session_state["metric"])

    if not present:  # in presentation mode the map's own title leads
        st.title(t("app_title", lang))
        _render_controls(metrics, tracks, lang, bases, windows, money_kind)
    ui.show_url_notices()
    _render_scene_bar(lang, present)

    state = st.session_state
    view = (
        *(state[key] for key in ("metric", "per", "basis", "years", "scheme", "province")),
        *(state[key] for key in ("outlines", "border", "level")),
        tuple(state["region"]),
    )
    # A view's figures are the same for every reader who opens it (the first visit's
    # default view above all): built once, shared read-only, the recent ones kept.
    drawn = ui.recent(
        data, ("map", view, lang, present), lambda d: _draw_view(d, view, lang, present)
    )
    metric, classes, names, figure = drawn.metric, drawn.classes, drawn.names, drawn.figure
    highlight, level = drawn.highlight, drawn.level
    circles, local_rows = drawn.circles, drawn.local_rows
    known = int(metric.values.notna().sum())
    per_text = "" if metric.per == "none" else f" ({t('per_' + metric.per, lang)})"
    map_alt = t("map_alt", lang, metric=metric.label, per=per_text, n=known)

    def ranking(width: int | None) -> None:
        """Ranked bars; for a has/has-not track, the list of provinces naming it."""
        if metric.binary:
            _render_track_list(metric, names, highlight, lang)
            return

        def build_bars(data: Dataset) -> Any:
            bars = charts.build_ranked_bars(
                metric,
                classes,
                names,
                lang,
                selected=st.session_state["province"],
                present=present,
                highlight=highlight,
                width=width,
            )
            return charts.with_data_date(bars, data.as_of, lang)  # shared: dated once

        bars = ui.recent(data, ("bars", view, lang, present, width), build_bars)
        if level != "local":
            ui.show_chart(
                bars,
                config=ui.plotly_config("ranking"),
                key="bars_chart",
                alt=t("bars_alt", lang, metric=metric.label, per=per_text),
            )
        if local_rows is not None:
            _render_local_instruments(local_rows, circles, metric.per, names, lang)

    if present:
        _map(figure, map_alt)
        ranking(ui.known_main_width())
    else:
        columns = ui.column_widths(ui.known_main_width(), [3, 2], "medium")
        left, right = st.columns([3, 2], gap="medium")
        with left:
            _map(figure, map_alt)
        with right:
            _render_intro(lang)
            if st.session_state["province"] is not None:
                with st.container(border=True):
                    st.button(
                        "✕ " + t("close_panel", lang),
                        key="close_panel",
                        on_click=_close_panel,
                        help=t("close_panel", lang),
                    )
                    render_province_panel(data, st.session_state["province"])
            ranking(columns[1] if columns else charts.RANKING_COLUMN_PX)
    if present and st.session_state["province"] is not None:
        render_province_panel(data, st.session_state["province"], compact=True)

    ui.sync_url(
        {
            "metric": None if metric.id == first_metric else metric.id,
            "per": None if metric.per == "none" else metric.per,
            "basis": None if not bases or metric.basis == bases[0] else metric.basis,
            "years": None if metric.window == first_years or not windows else metric.window,
            "scheme": None
            if st.session_state["scheme"] == "quantiles"
            else st.session_state["scheme"],
            "outlines": "1" if st.session_state["outlines"] else None,
            "border": "1" if st.session_state["border"] else None,
            "region": ",".join(st.session_state["region"]) or None,
            "province": str(st.session_state["province"]) if st.session_state["province"] else None,
            "scenes": encode_scenes(st.session_state["scenes"]) or None,
            "scene": None if st.session_state["scene"] == "0" else st.session_state["scene"],
            # Only a money kind has levels; otherwise ?level= is left as it is, for the
            # screener, which reads the same parameter.
            **({"level": None if level == "both" else level} if money_kind else {}),
        }
    )
    ui.keep_view(MAP_VIEW_KEYS)


def _render_track_list(metric: Any, names: dict[int, str], highlight: Any, lang: str) -> None:
    """Who names the track, who does not, and who lists no tracks: bars of 0 and 1 say less."""
    values = metric.values
    if highlight is not None:
        values = values[values.index.isin(highlight)]
    st.subheader(escape_markdown(metric.label))
    for key, members in (
        ("has_track", values[values == 1].index),
        ("lacks_track", values[values == 0].index),
        ("no_track_list", values[values.isna()].index),
    ):
        if len(members):
            listed = " · ".join(sorted(names.get(int(a), str(a)) for a in members))
            st.markdown(
                f"**{escape_markdown(t(key, lang))} ({len(members)})**: {escape_markdown(listed)}"
            )


def _render_local_instruments(
    rows: Any, circles: Any, per: str, names: dict[int, str], lang: str
) -> None:
    """The circles as a list: place, province, amount and terms, largest first."""
    st.markdown(f"**{escape_markdown(t('local_instruments', lang))} ({len(rows)})**")
    if per != "none":
        st.caption(t("circles_absolute_only", lang))
    if circles is not None and not circles.unplaced.empty:
        unplaced = t("list_sep", lang).join(
            circles.unplaced["place_en" if lang == "en" else "place_zh"]
        )
        st.caption(escape_markdown(t("unplaced", lang, names=unplaced)))
    lines = []
    for row in rows.itertuples():
        where = escape_markdown(f"{place_text(row, lang)}, {names.get(int(row.adcode), '')}")
        amount = escape_markdown(amount_text(row.kind, row.amount, lang))
        cite = escape_markdown(citation_line(row._asdict(), lang))
        lines.append(f"- {where}: **{amount}** · {cite} {markdown_link('↗', row.url)}")
    st.markdown("\n".join(lines) if lines else escape_markdown(t("instruments_none", lang)))


def _render_intro(lang: str) -> None:
    """A first visitor's explainer beside the map; once dismissed, a folded reminder for
    the rest of the session (and in a link: ?intro=0)."""
    if st.session_state.get("intro_dismissed") or st.query_params.get("intro") == "0":
        with st.expander(t("intro_again", lang)):
            st.markdown(t("intro_body", lang))
        return
    with st.container(border=True):
        st.markdown(f"**{t('intro_title', lang)}**")
        st.markdown(t("intro_body", lang))
        st.button(t("intro_dismiss", lang), key="intro_dismiss", on_click=_dismiss_intro)


def _dismiss_intro() -> None:
    st.session_state["intro_dismissed"] = True


def _close_panel() -> None:
    st.session_state["province"] = None


def _show_scene(index: int) -> None:
    """Make scene `index` the current view (a callback, or on a link's first run)."""
    scene: Scene = st.session_state["scenes"][index]
    st.session_state.update(
        scene=str(index),
        metric=scene.metric,
        per=scene.per,
        province=scene.province,
        basis=scene.basis,
        years=scene.years,
        _scene_shown=True,
    )


def _step_scene(step: int) -> None:
    count = len(st.session_state["scenes"])
    _show_scene((int(st.session_state["scene"]) + step) % count)


def _save_scene() -> None:
    years = st.session_state.get("years") or ""
    scene = Scene(
        st.session_state["metric"],
        st.session_state["per"],
        st.session_state["province"],
        st.session_state.get("basis") or "",
        # The default year stays implicit, so the scene follows the data's default.
        "" if years == st.session_state.get("_years_default") else years,
    )
    scenes = [s for s in st.session_state["scenes"] if s != scene]
    st.session_state["scenes"] = (*scenes, scene)
    st.session_state["scene"] = str(len(scenes))
    st.session_state["_scene_shown"] = True


def _clear_scenes() -> None:
    st.session_state.update(scenes=(), scene="0")


def _render_scene_bar(lang: str, present: bool) -> None:
    """Saved views for a talk: previous/next with the arrow keys (saving is in the sidebar)."""
    scenes = st.session_state["scenes"]
    if not scenes:
        return
    columns = st.columns([1, 1, 10], vertical_alignment="center")
    columns[0].button(
        "◀",
        key="scene_prev",
        on_click=_step_scene,
        args=(-1,),
        shortcut="Left",
        help=t("scene_prev", lang),
    )
    columns[1].button(
        "▶",
        key="scene_next",
        on_click=_step_scene,
        args=(1,),
        shortcut="Right",
        help=t("scene_next", lang),
    )
    columns[2].caption(t("scene_of", lang, i=int(st.session_state["scene"]) + 1, n=len(scenes)))


def _render_scene_buttons(lang: str) -> None:
    """Save and clear, in the sidebar so that the map keeps the first screen."""
    bar = st.sidebar
    bar.button(t("scene_save", lang), key="scene_save", on_click=_save_scene)
    if st.session_state["scenes"]:
        bar.button(t("scene_clear", lang), key="scene_clear", on_click=_clear_scenes)


def _map(figure: Any, alt: str) -> None:
    ui.show_chart(
        figure,
        config=ui.plotly_config("china-ai-map"),
        key="map_chart",
        on_select=_select_province_from_map,
        selection_mode="points",
        alt=alt,
    )


def _window_label(window: str, lang: str) -> str:
    if window == "ahead":
        return t("years_ahead", lang, year=date.today().year)
    if window == "all":
        return t("years_all", lang)
    return t("years_one", lang, year=window)


def _render_controls(
    metrics: list[str],
    tracks: Any,
    lang: str,
    bases: list[str],
    windows: list[str],
    money_kind: bool,
) -> None:
    # In the sidebar, so that the map and its key fill the first screen.
    bar = st.sidebar
    bar.subheader(t("map_controls", lang))
    # Every picker names its placeholder: Streamlit's own ("Choose an option") is English.
    choose = t("choose", lang)
    bar.selectbox(
        t("metric", lang),
        metrics,
        key="metric",
        format_func=lambda metric_id: menu_label(metric_id, tracks, lang),
        placeholder=choose,
    )
    metric_id = st.session_state["metric"]
    if bases:
        bar.selectbox(
            t("basis", lang),
            bases,
            key="basis",
            format_func=lambda b: basis_label(metric_id, b, lang),
            placeholder=choose,
        )
    if windows:
        bar.selectbox(
            t("years", lang),
            windows,
            key="years",
            format_func=lambda w: _window_label(w, lang),
            placeholder=choose,
        )
    if money_kind:
        bar.radio(
            t("level_choice", lang),
            LEVEL_CHOICES,
            key="level",
            format_func=lambda level: t(f"level_{level}", lang),
        )
    bar.radio(
        t("per", lang),
        allowed_per(metric_id),
        key="per",
        horizontal=True,
        format_func=lambda per: t(f"per_{per}", lang),
    )
    bar.selectbox(
        t("scheme", lang),
        SCHEMES,
        key="scheme",
        format_func=lambda s: t(f"scheme_{s}", lang),
        placeholder=choose,
    )
    regions = ui.dataset().regions
    label = ui.province_label(regions)
    bar.selectbox(
        t("province_pick", lang),
        [None, *regions["adcode"].astype(int)],
        key="province",
        format_func=lambda a: "—" if a is None else label(a),
        placeholder=t("choose", lang),
    )
    ui.group_picker(bar, "region")
    bar.checkbox(t("outlines", lang), key="outlines")
    bar.checkbox(t("border_highlight", lang), key="border")
    _render_scene_buttons(lang)


@dataclass(frozen=True)
class _DrawnView:
    """What the map page draws for one view: its metric, classes and figure."""

    metric: Metric
    classes: Any
    names: dict[int, str]
    figure: Any
    highlight: frozenset[int] | None
    level: str
    circles: Any
    local_rows: pd.DataFrame | None


def _draw_view(data: Dataset, view: tuple[Any, ...], lang: str, present: bool) -> _DrawnView:
    """The metric, classes and map figure of `view` (as `render` reads it from the state)."""
    metric_id, per, basis, years, scheme, province, outlines, border, level_choice, chosen = view
    regions, tracks = data.regions, data.tracks
    adcodes = [int(a) for a in regions["adcode"]]
    money_kind = is_kind(metric_id)
    metric = build_metric(
        regions,
        tracks,
        metric_id,
        per,
        lang,
        basis=basis or None,
        window=years,
        documents=data.documents,
    )
    classes = classify(metric.values, scheme, published=metric.per == "none")
    names = charts.province_names(regions, ui.boundaries(), lang)
    citations = (
        ui.derived(data, ("plan_citations", lang), lambda d: plan_citations(d.documents, lang))
        if metric.id == PLAN_DAYS
        else charts.metric_citations(data.citations, metric.source_field, adcodes, lang)
    )
    highlight = None
    if chosen:
        highlight = frozenset(int(a) for a in regions.loc[in_groups(regions, chosen), "adcode"])
    level = level_choice if money_kind else "province"
    circles, local_rows = None, None
    if money_kind and level != "province":
        local_rows = of_kind(data.instruments, metric.id, "local")
        if highlight is not None:
            local_rows = local_rows[local_rows["adcode"].isin(highlight)]
        if metric.per == "none":
            circles = place_circles(local_rows, ui.places())
    outside_label = None
    if level == "local":  # cities only: no province is coloured
        highlight, outside_label = frozenset(), t("provinces_hidden", lang)
    figure = charts.build_choropleth(
        metric,
        classes,
        ui.boundaries(),
        names,
        citations,
        lang,
        selected=province,
        outlines=ui.region_outlines(regions) if outlines else None,
        border_adcodes=(
            frozenset(int(a) for a in regions.loc[regions["border"], "adcode"])
            if border
            else frozenset()
        ),
        highlight=highlight,
        hatch=ui.hatch(),
        present=present,
        circles=circles,
        outside_label=outside_label,
    )
    # Dated here, once: the figure is shared, and `ui.show_chart` leaves a dated one as is.
    charts.with_data_date(figure, data.as_of, lang)
    return _DrawnView(metric, classes, names, figure, highlight, level, circles, local_rows)


render()
