"""`/regions`: eastern, central, western, northeast and border strategies side by side."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts, schema, ui
from dashboard.data import Dataset
from dashboard.i18n import grade_label, group_label, t
from dashboard.instruments import group_money_table
from dashboard.markup import escape_markdown, markdown_link
from dashboard.transform import (
    LikeTargets,
    format_number,
    group_mask,
    like_target_lines,
    like_targets,
    summarise_groups,
    track_crowding,
    track_overlap,
    track_shares,
)

PHONE_MAX_PX = 600  # a main column narrower than this is laid out for a phone
CROWDED_SHOWN = 10  # the most crowded tracks listed; the rest fold away


def render() -> None:
    data = ui.dataset()
    lang, present = ui.lang(), ui.present()
    regions, tracks = data.regions, data.tracks
    st.title(t("page_regions", lang))
    summary = ui.derived(data, ("groups",), lambda d: summarise_groups(d.regions, d.documents))
    targets = ui.derived(
        data,
        ("like_targets",),
        lambda d: [
            like
            for like in (like_targets(d.regions, column) for column in schema.DATED_COLUMNS)
            if like is not None and like.column in schema.FIGURE_COLUMNS
        ],
    )
    strategies = data.region_strategies.set_index("group")
    # The served geometry: the browser fetches it once for all five thumbnails.
    lite = ui.boundaries()

    members = {
        group: frozenset(int(a) for a in regions.loc[group_mask(regions, group), "adcode"])
        for group in schema.GROUPS
    }
    main_width = ui.main_width()
    phone = (main_width or PHONE_MAX_PX) < PHONE_MAX_PX
    ui.show_chart(
        charts.build_group_maps(lite, members, lang, phone=phone),
        config=ui.plotly_config("region-groups"),
        key="group_maps",
        alt=", ".join(f"{group_label(g, lang)}: {len(m)}" for g, m in members.items()),
    )
    for column, group in zip(st.columns(len(schema.GROUPS)), schema.GROUPS, strict=True):
        stats = summary.loc[group]
        with column:
            st.subheader(group_label(group, lang))
            _render_strategy(strategies, group, lang)
            _render_group_figures(stats, lang)
            _render_like_targets(targets, group, lang)
    _render_group_money(data, members, lang, phone)

    labels = {
        row.track: (row.label_zh if lang == "zh" else row.label_en) for row in tracks.itertuples()
    }
    ui.show_chart(
        charts.build_track_heatmap(
            ui.derived(data, ("track_shares",), lambda d: track_shares(d.regions, d.tracks)),
            labels,
            lang,
            present,
            turned=phone,
            width=main_width,
        ),
        config=ui.plotly_config("tracks-by-group"),
        key="track_heatmap",
        alt=t("track_heatmap", lang),
    )
    names = charts.province_names(regions, ui.boundaries(), lang)
    weights = [5, 2]
    left, right = st.columns(weights)
    with left:
        ui.show_chart(
            charts.build_overlap_heatmap(
                ui.derived(data, ("track_overlap",), lambda d: track_overlap(d.regions, d.tracks)),
                names,
                lang,
                present,
                width=(ui.column_widths(main_width, weights) or [None])[0],
            ),
            config=ui.plotly_config("track-overlap"),
            key="overlap_heatmap",
            alt=t("overlap", lang),
        )
    with right:
        st.subheader(t("crowded", lang))
        crowding = ui.derived(data, ("crowding",), lambda d: track_crowding(d.regions, d.tracks))
        # A numbered list, not a table: a narrow column clipped the table's counts.
        lines = [
            f"{rank}. {escape_markdown(labels.get(track, track))}: "
            f"**{t('crowded_n', lang, n=int(count))}**"
            for rank, (track, count) in enumerate(crowding.items(), start=1)
        ]
        st.markdown("\n".join(lines[:CROWDED_SHOWN]))
        with st.expander(t("crowded_rest", lang, n=len(lines) - CROWDED_SHOWN)):
            st.markdown("\n".join(lines[CROWDED_SHOWN:]))


def _render_strategy(strategies: pd.DataFrame, group: str, lang: str) -> None:
    if group not in strategies.index:
        st.caption(t("no_summary", lang))
        return
    row = strategies.loc[group]
    text = row["summary_zh"] if lang == "zh" else row["summary_en"]
    st.markdown(escape_markdown(text))
    # The source sums up some groups in one sentence: say so rather than imply two.
    shared = [
        other
        for other in strategies.index
        if other != group and strategies.at[other, "summary_en"] == row["summary_en"]
    ]
    if shared:
        others = t("list_sep", lang).join(group_label(g, lang) for g in shared)
        st.caption(t("shared_summary", lang, groups=others))
    cite = escape_markdown(
        f"{row['publisher']}, {row['published']} ({grade_label(row['grade'], lang)})"
    )
    st.caption(f"{cite} {markdown_link('↗', row['url'])}")


def _render_group_figures(stats: pd.Series, lang: str) -> None:
    """The group's figures as a short list; each says how many members publish it."""
    rows = [
        (t("provinces", lang), str(int(stats["provinces"])), None),
        (t("hubs", lang), str(int(stats["hubs"])), None),
        (t("plans_issued", lang), str(int(stats["with_plan"])), None),
        (
            t("plan_days_median", lang),
            "—"
            if pd.isna(stats["plan_days_median"])
            else f"{format_number(stats['plan_days_median'])} {t('days_unit', lang)}",
            None,
        ),
    ]
    lines = []
    for label, value, count in rows:
        line = f"- {escape_markdown(label)}: **{escape_markdown(value)}**"
        if count:
            line += f" :gray[({int(stats[count])} {escape_markdown(t('with_figure', lang))})]"
        lines.append(line)
    st.markdown("\n".join(lines))


def _render_group_money(
    data: Dataset, members: dict[str, frozenset[int]], lang: str, phone: bool
) -> None:
    """Money by kind and level against the groups: medians with their counts. On a phone
    one group at a time (a tab each): six columns in 358 px wrapped every amount over four
    lines and hid the last groups off the right edge."""
    st.subheader(t("instruments", lang))
    st.caption(t("group_money_note", lang))
    key = ("group_money", tuple(sorted((g, tuple(sorted(m))) for g, m in members.items())), lang)
    table = ui.derived(data, key, lambda d: group_money_table(d.instruments, members, lang))
    if not phone:
        # A static table: its cells wrap, so every kind, median and count shows in the column.
        st.table(table)
        return
    for tab, group in zip(st.tabs(list(table.columns)), table.columns, strict=True):
        with tab:
            st.table(table[[group]])


def _render_like_targets(targets: list[LikeTargets], group: str, lang: str) -> None:
    """Each target's group median over like figures only (`like_target_lines`)."""
    lines = [
        f"- {escape_markdown(label)}: **{escape_markdown(value)}**"
        for label, value in like_target_lines(targets, group, lang)
    ]
    if len(lines) < len(targets):
        lines.append(f"- :gray[{escape_markdown(t('like_none', lang))}]")
    st.markdown("\n".join(lines))


render()
