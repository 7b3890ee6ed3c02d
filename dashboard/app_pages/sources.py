"""`/sources`: the whole dataset, coverage per column, data dictionary, downloads."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import schema, ui
from dashboard.data import data_dir_from_env
from dashboard.dictionary import dictionary_table
from dashboard.i18n import t
from dashboard.instruments import coverage_table as instrument_coverage
from dashboard.markup import escape_markdown


def render() -> None:
    data = ui.dataset()
    lang = ui.lang()
    regions = data.regions
    st.title(t("page_sources", lang))
    ui.render_data_warning(full=True)

    if data.notices:
        st.info(
            t("normalised_notes", lang)
            + ":\n\n"
            + "\n".join(f"- {escape_markdown(notice)}" for notice in data.notices)
        )
    st.subheader(t("coverage", lang))
    coverage = pd.DataFrame(
        {
            "column": list(schema.regions_schema.columns),
            "label": [schema.column_label(c, lang) for c in schema.regions_schema.columns],
            "provinces": [int(regions[c].notna().sum()) for c in schema.regions_schema.columns],
        }
    )
    st.dataframe(
        coverage,
        hide_index=True,
        width="stretch",
        column_config={
            "column": st.column_config.TextColumn(t("column", lang)),
            "label": st.column_config.TextColumn(t("label", lang)),
            "provinces": st.column_config.ProgressColumn(
                t("coverage", lang), min_value=0, max_value=len(regions), format="%d"
            ),
        },
    )

    st.subheader(t("dataset_table", lang))
    ui.show_table(regions, schema.regions_schema, key="dataset_table")
    st.subheader(t("sources_table", lang))
    ui.show_table(data.sources.drop(columns=["row"]), schema.sources_schema, key="sources_table")
    st.subheader(t("instruments_table", lang))
    st.caption(t("instruments_note", lang))
    st.dataframe(instrument_coverage(data.instruments, lang), hide_index=True, width="stretch")
    ui.show_table(
        data.instruments.drop(columns=["row"]), schema.instruments_schema, key="instruments_table"
    )
    st.subheader(t("documents_table", lang))
    ui.show_table(data.documents, schema.documents_schema, key="documents_table")

    st.subheader(t("dictionary", lang))
    dictionary = dictionary_table(lang)
    st.dataframe(
        dictionary, hide_index=True, width="stretch", column_config=ui.fitted_columns(dictionary)
    )

    st.subheader(t("downloads", lang))
    data_dir = data_dir_from_env()
    for column, name in zip(st.columns(len(schema.SCHEMAS)), schema.SCHEMAS, strict=True):
        path = data_dir / name
        if path.exists():
            column.download_button(
                name,
                path.read_bytes(),
                file_name=name,
                mime="text/csv",
                key=f"download_{name}",
                on_click="ignore",
            )


render()
