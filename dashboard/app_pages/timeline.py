"""`/timeline`: every province's AI policy documents on one time axis since 2024.

Which provinces answered the State Council's "AI+" opinion, when, and with what.
"""

from __future__ import annotations

from datetime import date

import streamlit as st

from dashboard import charts, schema, ui
from dashboard.i18n import grade_label, kind_label, t
from dashboard.markup import escape_markdown, markdown_link
from dashboard.timeline_chart import TIMELINE_START, build_timeline
from dashboard.transform import (
    document_line,
    filter_documents,
    in_groups,
    issued_dates,
    timeline_order,
)
from dashboard.viewstate import parse_choice, parse_list


def _select_document_from_chart() -> None:
    """Chart click callback: the clicked mark's document opens below the chart."""
    event = st.session_state.get("timeline_chart") or {}
    for point in (event.get("selection") or {}).get("points") or []:
        custom = point.get("customdata")
        if isinstance(custom, list) and len(custom) > 2:
            st.session_state["doc"] = custom[2]
            return


def render() -> None:
    data = ui.dataset()
    lang, present = ui.lang(), ui.present()
    regions, documents = data.regions, data.documents
    ids = list(documents["document"])
    ui.seed("kinds", lambda raw: parse_list(raw, schema.DOCUMENT_KINDS, "kinds"))
    ui.seed("groups", lambda raw: parse_list(raw, schema.GROUPS, "groups"))
    ui.seed("doc", lambda raw: parse_choice(raw, ids, "", "doc"))
    for key in ("kinds", "groups"):
        st.session_state[key] = list(st.session_state[key])
    if st.session_state["doc"] not in ids:
        st.session_state["doc"] = ""

    st.title(t("page_timeline", lang))
    if not present:
        left, right = st.columns(2)
        left.multiselect(
            t("kinds_filter", lang),
            list(schema.DOCUMENT_KINDS),
            key="kinds",
            format_func=lambda kind: kind_label(kind, lang),
            placeholder=t("all_kinds", lang),
        )
        ui.group_picker(right, "groups")
    ui.show_url_notices()

    chosen = filter_documents(
        documents, regions, st.session_state["kinds"], st.session_state["groups"]
    )
    order = ui.derived(data, ("timeline_order",), lambda d: timeline_order(d.regions, d.documents))
    if st.session_state["groups"]:
        members = regions.loc[in_groups(regions, st.session_state["groups"]), "adcode"]
        order = order[order["adcode"].isin(members)]
    names = charts.province_names(regions, ui.boundaries(), lang)
    figure = build_timeline(
        chosen,
        order,
        names,
        lang,
        today=date.today().isoformat(),
        present=present,
        width=ui.main_width(),
    )
    ui.show_chart(
        figure,
        config=ui.plotly_config("policy-timeline"),
        key="timeline_chart",
        on_select=_select_document_from_chart,
        selection_mode="points",
        alt=t("timeline_title", lang),
    )

    dates = issued_dates(chosen["issued"])
    st.caption(
        t(
            "documents_listed",
            lang,
            n=len(chosen),
            undated=int(dates.isna().sum()),
            earlier=int((dates < TIMELINE_START).sum()),
        )
    )
    label = dict(zip(chosen["document"], _document_labels(chosen, names, lang), strict=True))
    # The keyboard-accessible way to every document, also those not on the axis.
    st.selectbox(
        t("document_pick", lang),
        ["", *chosen["document"]],
        key="doc",
        format_func=lambda d: "—" if not d else label.get(d, d),
        placeholder=t("choose", lang),
    )
    if st.session_state["doc"]:
        _render_document(documents, st.session_state["doc"], lang)
    ui.sync_url(
        {
            "kinds": ",".join(st.session_state["kinds"]) or None,
            "groups": ",".join(st.session_state["groups"]) or None,
            "doc": st.session_state["doc"] or None,
        }
    )
    ui.keep_view(("kinds", "groups", "doc"))


def _document_labels(documents, names, lang: str) -> list[str]:
    """ "Jiangsu · 2025-12-29 · 江苏省“人工智能+”行动方案" for the document picker."""
    unknown = t("date_unknown", lang)
    return [
        f"{names.get(int(row.adcode), row.adcode)} · "
        f"{row.issued if isinstance(row.issued, str) else unknown} · {row.title_zh}"
        for row in documents.itertuples()
    ]


def _render_document(documents, document_id: str, lang: str) -> None:
    row = documents.loc[documents["document"] == document_id].iloc[0]
    with st.container(border=True):
        st.subheader(escape_markdown(row["title_zh"]))
        st.markdown(escape_markdown(row["title_en"]))
        st.caption(escape_markdown(document_line(row, lang)))
        st.markdown(
            f"{escape_markdown(row['publisher'])} "
            f"({escape_markdown(grade_label(row['grade'], lang))}) {markdown_link('↗', row['url'])}"
        )
        st.markdown("> " + escape_markdown(row["quote"]))
        if isinstance(row["note"], str):
            st.caption(escape_markdown(row["note"]))


render()
