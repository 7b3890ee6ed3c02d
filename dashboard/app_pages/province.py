"""The province panel: every figure of one province with its citations.

Shared by the map (after a click or a pick) and the comparison cards.
"""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from dashboard import brief, schema, ui
from dashboard.data import Dataset, split_tracks
from dashboard.i18n import grade_label, group_label, t
from dashboard.instruments import instrument_lines
from dashboard.markup import escape_markdown, markdown_link
from dashboard.metric_names import track_label
from dashboard.transform import (
    citations_for,
    document_line,
    document_title,
    figure_text,
    province_documents,
    province_figures,
)


def render_province_panel(data: Dataset, adcode: int, *, compact: bool = False) -> None:
    lang = ui.lang()
    row = data.regions.loc[data.regions["adcode"] == adcode].iloc[0]
    name = row["name_zh"] if lang == "zh" else row["name_en"]
    st.subheader(escape_markdown(name))
    flags = [
        f"{t('region', lang)}: {group_label(row['region'], lang)}",
        f"{t('border', lang)}: {t('yes' if row['border'] else 'no', lang)}",
        f"{t('compute_hub', lang)}: {t('yes' if row['compute_hub'] else 'no', lang)}",
    ]
    st.caption(" · ".join(escape_markdown(flag) for flag in flags))

    figures = ui.derived(
        data,
        ("figures", adcode, lang),
        lambda d: province_figures(d.regions, d.citations, adcode, lang),
    )
    lines = []
    for figure in figures.itertuples():
        line = (
            f"- **{escape_markdown(figure.figure)}**: {escape_markdown(figure_text(figure, lang))}"
        )
        if figure.rank:
            line += f" · {escape_markdown(figure.rank)}"
        if figure.progress:
            line += f"  \n  {escape_markdown(figure.progress)}"
        if figure.citation:
            cite = escape_markdown(figure.citation)
            line += f"  \n  :gray[{cite}] {markdown_link('↗', figure.url)}"
        lines.append(line)
    st.markdown("\n".join(lines))
    _render_instruments(data, adcode, lang)

    tracks = split_tracks(row["focus_tracks"])
    st.markdown(f"**{t('focus_tracks', lang)}**")
    st.markdown(
        " · ".join(escape_markdown(track_label(data.tracks, track, lang)) for track in tracks)
        if tracks
        else escape_markdown(t("no_figure", lang))
    )
    strategy = row["strategy_zh"] if lang == "zh" else row["strategy_en"]
    if pd.notna(strategy):
        st.markdown(f"**{t('strategy', lang)}**")
        st.markdown(escape_markdown(strategy))

    st.markdown(f"**{t('documents', lang)}**")
    documents = ui.derived(
        data, ("documents", adcode), lambda d: province_documents(d.documents, adcode)
    )
    if documents.empty:
        st.caption(t("no_documents", lang))
    for document in documents.itertuples():
        title = document_title(document, lang)
        st.markdown(
            f"- {escape_markdown(title)} {markdown_link('↗', document.url)}  \n"
            f"  :gray[{escape_markdown(document_line(document, lang))}]"
        )

    if not compact:
        with st.expander(t("quote", lang)):
            for field in (*schema.TARGET_COLUMNS, "compute_reached_eflops", "focus_tracks"):
                _render_quotes(data, adcode, field, lang)
            for line in _instrument_lines(data, adcode, lang).itertuples():
                st.markdown(
                    f"**{escape_markdown(line.kind_label)} · {escape_markdown(line.place)}**  \n"
                    f"{escape_markdown(line.title)} {markdown_link('↗', line.url)}"
                )
                st.markdown("> " + escape_markdown(line.quote))
        cities = data.cities[data.cities["adcode"] == adcode]
        if not cities.empty:
            with st.expander(t("city_measures", lang)):
                st.dataframe(
                    cities[
                        [
                            "city_en" if lang == "en" else "city_zh",
                            "measure",
                            "value_as_stated",
                            "publisher",
                            "published",
                            "url",
                        ]
                    ],
                    hide_index=True,
                    width="stretch",
                    column_config={"url": st.column_config.LinkColumn("", display_text="↗")},
                )
        st.download_button(
            t("download_brief", lang),
            # Built only when clicked: the inset SVG is too costly for every rerun.
            data=partial(brief.build_brief, data, ui.thumbnail_boundaries(), adcode, lang),
            file_name=f"brief-{adcode}-{lang}.html",
            mime="text/html",
            key=f"brief_{adcode}",
            on_click="ignore",
        )


def _instrument_lines(data: Dataset, adcode: int, lang: str) -> pd.DataFrame:
    return ui.derived(
        data,
        ("instrument_lines", adcode, lang),
        lambda d: instrument_lines(d.instruments, adcode, lang),
    )


def _render_instruments(data: Dataset, adcode: int, lang: str) -> None:
    """The province's money, kind by kind: its own instruments first, then its cities'."""
    st.markdown(f"**{escape_markdown(t('instruments', lang))}**")
    lines = _instrument_lines(data, adcode, lang)
    if lines.empty:
        st.caption(t("instruments_none", lang))
        return
    text = []
    for kind_label, group in lines.groupby("kind_label", sort=False):
        text.append(f"- **{escape_markdown(kind_label)}**")
        for line in group.itertuples():
            text.append(
                f"  - {escape_markdown(line.place)}: **{escape_markdown(line.amount)}** · "
                f"{escape_markdown(line.terms)}  \n"
                f"    :gray[{escape_markdown(line.citation)}] {markdown_link('↗', line.url)}"
            )
    st.markdown("\n".join(text))
    st.caption(t("instruments_note", lang))


def _render_quotes(data: Dataset, adcode: int, field: str, lang: str) -> None:
    rows = citations_for(data.sources, adcode, field)
    if rows.empty:
        return
    label = t("focus_tracks", lang) if field == "focus_tracks" else schema.column_label(field, lang)
    st.markdown(f"**{escape_markdown(label)}**")
    for source in rows.itertuples():
        title = escape_markdown(f"{source.source_title} — {source.publisher}, {source.published}")
        link = markdown_link("↗", source.url)
        st.markdown(f"{title} ({escape_markdown(grade_label(source.grade, lang))}) {link}")
        st.markdown("> " + escape_markdown(source.quote))
