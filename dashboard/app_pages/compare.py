"""`/compare`: two to four provinces side by side, figures, tracks and national rank."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, schema, ui
from dashboard.app_pages.province import render_province_panel
from dashboard.comparison import build_compare_bars
from dashboard.data import split_tracks
from dashboard.i18n import t
from dashboard.markup import escape_markdown
from dashboard.metric_names import track_label
from dashboard.transform import PER_MODES, allowed_per, build_metric, only
from dashboard.viewstate import parse_adcodes, parse_choice

MAX_PROVINCES = 4
DEFAULT_PROVINCES = (340000, 320000)  # Anhui and Jiangsu: the question users ask first


def render() -> None:
    data = ui.dataset()
    lang = ui.lang()
    regions, tracks = data.regions, data.tracks
    adcodes = [int(a) for a in regions["adcode"]]
    defaults = [a for a in DEFAULT_PROVINCES if a in adcodes]
    if len(defaults) < 2:
        defaults = adcodes[:2]
    ui.seed(
        "provinces",
        lambda raw: parse_adcodes(raw, set(adcodes), "provinces", MAX_PROVINCES),
    )
    if not st.session_state["provinces"]:
        st.session_state["provinces"] = defaults
    st.session_state["provinces"] = list(st.session_state["provinces"])
    # Its own widget key (the map's "per" offers other options) read from and written to
    # the same URL parameter, so a shared link reopens the same choice.
    ui.seed("compare_per", lambda raw: parse_choice(raw, PER_MODES, "none", "per"), param="per")

    if not ui.present():  # on a projector the chart's own title leads, once
        st.title(t("page_compare", lang))
    label = ui.province_label(regions)
    if not ui.present():
        left, right = st.columns([3, 2])
        left.multiselect(
            t("compare_pick", lang),
            adcodes,
            key="provinces",
            format_func=label,
            max_selections=MAX_PROVINCES,
            placeholder=t("choose", lang),
        )
        right.radio(
            t("per", lang),
            PER_MODES,
            key="compare_per",
            horizontal=True,
            format_func=lambda per: t(f"per_{per}", lang),
        )
    ui.show_url_notices()
    chosen = [int(a) for a in st.session_state["provinces"]]
    per = st.session_state["compare_per"]
    ui.sync_url(
        {
            "provinces": ",".join(str(a) for a in chosen) or None,
            "per": None if per == "none" else per,
        }
    )
    ui.keep_view(("provinces", "compare_per"))
    if len(chosen) < 2:
        st.info(t("compare_need", lang))
        return

    # Every figure of the chosen provinces, each bar labelled with its year and basis.
    metrics = [
        only(build_metric(regions, tracks, column, per, lang, basis=None, window="all"), chosen)
        for column in schema.FIGURE_COLUMNS
    ]
    inapplicable = [
        schema.column_label(c, lang) for c in schema.FIGURE_COLUMNS if per not in allowed_per(c)
    ]
    if per != "none" and inapplicable:
        st.caption(
            t("per_not_applied", lang, per=t(f"per_{per}", lang), figures=", ".join(inapplicable))
        )
    names = charts.province_names(regions, ui.boundaries(), lang)
    ui.show_chart(
        build_compare_bars(metrics, names, lang, ui.present()),
        config=ui.plotly_config("compare"),
        key="compare_bars",
        alt=t("page_compare", lang),
    )

    track_sets = {
        a: set(split_tracks(regions.set_index("adcode").at[a, "focus_tracks"])) for a in chosen
    }
    shared = set.intersection(*track_sets.values())
    st.markdown(
        f"**{t('shared_tracks', lang)}:** "
        + (
            escape_markdown(" · ".join(track_label(tracks, tr, lang) for tr in sorted(shared)))
            or "—"
        )
    )
    for column, adcode in zip(st.columns(len(chosen)), chosen, strict=True):
        with column, st.container(border=True):
            only_here = track_sets[adcode] - set.union(
                *(track_sets[o] for o in chosen if o != adcode)
            )
            render_province_panel(data, adcode, compact=True)
            st.markdown(
                f"**{t('distinct_tracks', lang)}:** "
                + (
                    escape_markdown(
                        " · ".join(track_label(tracks, tr, lang) for tr in sorted(only_here))
                    )
                    or "—"
                )
            )


render()
