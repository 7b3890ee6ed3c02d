"""View models: everything a view shows, computed by the app's own functions.

A view model is plain data (dataclasses of strings and numbers) built from the dataset and
a view (metric, normalisation, language): title, subtitle, each province's state, class,
value as published, colour and hover, the legend with its counts, the ranked bars, the
"Compared: ..." note, the source line and the data date. It decides nothing itself: the
metric, its comparison sets and states come from `transform.build_metric`, the classes
from `transform.classify`, the texts from `charts` and `transform`, the money circles from
`instruments.place_circles`. The published edition (`dashboard.publish`) renders these to
HTML and SVG; the parity test holds them against the plotly figures the app draws.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import pandas as pd

from dashboard import charts, schema
from dashboard.boundaries import Boundaries
from dashboard.comparison import like_key
from dashboard.data import Dataset, split_tracks
from dashboard.export import csv_bytes, figures_frame
from dashboard.formatting import format_number, format_value
from dashboard.i18n import grade_label, group_label, kind_label, t
from dashboard.instruments import amount_text as instrument_amount
from dashboard.instruments import (
    group_money_table,
    instrument_lines,
    is_kind,
    of_kind,
    place_circles,
    place_text,
)
from dashboard.markup import is_web_url
from dashboard.metric_names import PLAN_DAYS, menu_label, metric_ids, track_label
from dashboard.money_charts import CIRCLE_COLOUR, MAX_DIAMETER, circle_hover
from dashboard.sourcing import citation_line, publisher_name
from dashboard.timeline_chart import KIND_STYLE, TIMELINE_START
from dashboard.transform import (
    COMPARABLE,
    PER_MODES,
    Metric,
    allowed_per,
    basis_options,
    build_metric,
    citations_for,
    classify,
    comparison_text,
    default_metric,
    default_window,
    document_line,
    document_title,
    figure_tag,
    figure_text,
    group_mask,
    issued_dates,
    like_target_lines,
    like_targets,
    plan_citations,
    province_documents,
    province_figures,
    ranked_figures,
    summarise_groups,
    timeline_order,
    track_crowding,
    track_shares,
)

# Every state a province can be in on a map, in the legend's order (as charts.py keys them).
MAP_STATES: tuple[str, ...] = (
    "other_basis", "other_year", "year_passed", "no_year", "no_gdp", "no_figure",
    "plan_draft", "plan_undated", "no_plan",
)  # fmt: skip
NOT_COVERED = "not_covered"
DOTTED = frozenset({"no_figure", "no_plan"})
COMPARE_DEFAULTS = (340000, 320000)  # /compare's first pair (app_pages.compare), Anhui, Jiangsu


@dataclass(frozen=True)
class LegendEntry:
    colour: str
    label: str
    kind: str = "class"  # class, state, dotted, line, circle


@dataclass(frozen=True)
class Cell:
    """One province on a map: why it is coloured as it is, and what its hover says."""

    adcode: int
    name: str
    state: str  # "" (comparable), one of MAP_STATES, or NOT_COVERED
    cls: int  # class index (or 0/1 for a track), -1 when not on the scale
    value: float | None  # the figure as shown (normalised like the view), None if none
    value_text: str
    tag: str  # its year, and its basis when bases differ
    citation: str
    fill: str

    @property
    def hover(self) -> str:
        line = " · ".join(part for part in (self.value_text, self.tag) if part)
        return "\n".join(part for part in (self.name, line, self.citation) if part)


@dataclass(frozen=True)
class Bar:
    adcode: int
    name: str
    value: float
    text: str
    colour: str
    rank: int
    share: float  # the bar's length as a share of the longest


@dataclass(frozen=True)
class MapView:
    metric_id: str
    per: str
    lang: str
    label: str
    title: str
    subtitle: str
    unit: str
    note: str
    source: str
    as_of: str
    alt: str
    binary: bool
    basis: str | None
    window: str
    cells: tuple[Cell, ...]
    legend: tuple[LegendEntry, ...]
    bars: tuple[Bar, ...]
    bars_title: str
    empty_ranking: str
    track_lists: tuple[tuple[str, tuple[tuple[int, str], ...]], ...]
    circles: tuple[dict[str, Any], ...] = ()
    local_lines: tuple[dict[str, str], ...] = ()
    local_title: str = ""
    local_notes: tuple[str, ...] = ()

    def state_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for cell in self.cells:
            if cell.state not in ("", NOT_COVERED):
                counts[cell.state] = counts.get(cell.state, 0) + 1
        return counts


def map_views(data: Dataset) -> list[tuple[str, str]]:
    """(metric, per) of every map view the app offers by default: each metric with its
    default basis and years, absolute, per resident and per GDP where allowed."""
    return [(m, per) for m in metric_ids(data.tracks) for per in allowed_per(m)]


def default_view(data: Dataset) -> tuple[str, str]:
    """The view `/` opens on."""
    return default_metric(data.regions), "none"


def app_metric(data: Dataset, metric_id: str, per: str, lang: str) -> Metric:
    """The metric as the map page builds it with no parameters but `metric` and `per`:
    the most used basis and the one target year most provinces name on it."""
    regions = data.regions
    bases = basis_options(regions, metric_id)
    basis = bases[0] if bases else None
    return build_metric(
        regions,
        data.tracks,
        metric_id,
        per,
        lang,
        basis=basis,
        window=default_window(regions, metric_id, basis),
        documents=data.documents,
    )


def build_map_view(
    data: Dataset,
    boundaries: Boundaries,
    metric_id: str,
    per: str,
    lang: str,
    *,
    places: pd.DataFrame | None = None,
    scheme: str = "quantiles",
) -> MapView:
    """Everything the map page shows for one metric and normalisation, default settings."""
    regions = data.regions
    adcodes = [int(a) for a in regions["adcode"]]
    metric = app_metric(data, metric_id, per, lang)
    classes = classify(metric.values, scheme, published=metric.per == "none")
    names = charts.province_names(regions, boundaries, lang)
    citations = (
        plan_citations(data.documents, lang)
        if metric.id == PLAN_DAYS
        else charts.metric_citations(data.citations, metric.source_field, adcodes, lang)
    )
    colours = (
        [charts.PALETTE[0], charts.PALETTE[4]]
        if metric.binary
        else charts.class_colours(classes.count)
    )
    labels = (
        [t("lacks_track", lang), t("has_track", lang)] if metric.binary else list(classes.labels)
    )
    states = charts.metric_states(metric)
    cells = []
    for adcode in boundaries.adcodes:
        name = names.get(adcode, str(adcode))
        if adcode not in metric.values.index:
            cells.append(Cell(adcode, name, NOT_COVERED, -1, None, t("not_covered", lang), "",
                              "", charts.NOT_COVERED_FILL))  # fmt: skip
            continue
        state, cls, value, text, tag = charts.map_entry(metric, classes, states, adcode, lang)
        fill = charts.STATE_FILLS[state] if state != COMPARABLE else colours[cls]
        cells.append(
            Cell(
                adcode,
                name,
                state,
                cls,
                value,
                text,
                tag,
                citations.get(adcode, "") if value is not None else "",
                fill,
            )
        )
    legend = [LegendEntry(c, label) for c, label in zip(colours, labels, strict=True)]
    if metric.values.dropna().empty:
        legend = []
    if metric.national is not None:
        legend.append(LegendEntry(charts.NATIONAL_LINE, charts.national_text(metric, lang), "line"))
    counts = {s: sum(1 for c in cells if c.state == s) for s in MAP_STATES}
    for state in MAP_STATES:
        if counts[state]:
            legend.append(
                LegendEntry(
                    charts.STATE_FILLS[state],
                    f"{t(f'state_{state}', lang)} ({counts[state]})",
                    "dotted" if state in DOTTED else "state",
                )
            )
    if any(c.state == NOT_COVERED for c in cells):
        legend.append(LegendEntry(charts.NOT_COVERED_FILL, t("not_covered", lang), "state"))

    circles, local_lines, local_notes = _money(data, metric, places, names, lang)
    if circles:
        legend.append(
            LegendEntry(CIRCLE_COLOUR, t("circles_legend", lang, n=len(circles)), "circle")
        )
    known_count = int(metric.values.notna().sum())
    per_text = "" if metric.per == "none" else f" ({t('per_' + metric.per, lang)})"
    track_lists: list[tuple[str, tuple[tuple[int, str], ...]]] = []
    if metric.binary:
        values = metric.values
        for key, members in (
            ("has_track", values[values == 1].index),
            ("lacks_track", values[values == 0].index),
            ("no_track_list", values[values.isna()].index),
        ):
            if len(members):
                listed = sorted((names.get(int(a), str(a)), int(a)) for a in members)
                track_lists.append((t(key, lang), tuple((a, n) for n, a in listed)))
    return MapView(
        metric_id=metric.id,
        per=metric.per,
        lang=lang,
        label=metric.label,
        title=charts.metric_title(metric, lang),
        subtitle=comparison_text(metric, lang),
        unit=metric.unit,
        note=charts.left_out_text(metric, lang) or "",
        source=t("source_line", lang),
        as_of=t("data_as_of", lang, date=data.as_of),
        alt=t("map_alt", lang, metric=metric.label, per=per_text, n=known_count),
        binary=metric.binary,
        basis=metric.basis,
        window=metric.window,
        cells=tuple(cells),
        legend=tuple(legend),
        bars=() if metric.binary else ranked_bars(metric, classes, names, lang),
        bars_title=f"{t('ranked', lang)}: {charts.metric_title(replace(metric, unit=''), lang)}",
        empty_ranking=t("ranking_empty", lang),
        track_lists=tuple(track_lists),
        circles=tuple(circles),
        local_lines=tuple(local_lines),
        local_title=t("local_instruments", lang) if local_lines else "",
        local_notes=tuple(local_notes),
    )


def ranked_bars(metric: Metric, classes: Any, names: dict[int, str], lang: str) -> tuple[Bar, ...]:
    """The ranked bars of the map page: comparable figures only, first-ranked first,
    ranked among their year when the window holds several (`charts.build_ranked_bars`)."""
    items = ranked_figures(metric, lang)
    colours = charts.class_colours(max(classes.count, 1))
    longest = max((abs(item.value) for item in items), default=1.0)
    bars = [
        Bar(
            item.adcode,
            names.get(item.adcode, str(item.adcode)),
            item.value,
            item.text,
            colours[max(int(classes.class_of.get(item.adcode, 0)), 0)],
            item.rank,
            abs(item.value) / longest if longest else 0.0,
        )
        for item in items
    ]
    return tuple(bars)


def _money(
    data: Dataset, metric: Metric, places: pd.DataFrame | None, names: dict[int, str], lang: str
) -> tuple[list[dict[str, Any]], list[dict[str, str]], list[str]]:
    """A money kind's city, district and zone instruments: circles (absolute amounts
    only, as the app draws them) and the list under the ranking."""
    if not is_kind(metric.id):
        return [], [], []
    rows = of_kind(data.instruments, metric.id, "local")
    notes: list[str] = []
    circles: list[dict[str, Any]] = []
    if metric.per != "none":
        notes.append(t("circles_absolute_only", lang))
    elif places is not None and not rows.empty:
        drawn = place_circles(rows, places, MAX_DIAMETER)
        hover = circle_hover(drawn.rows, names, lang)
        for row, (where, kind, terms, cite) in zip(drawn.rows.itertuples(), hover, strict=True):
            circles.append(
                {
                    "lon": float(row.lon),
                    "lat": float(row.lat),
                    "diameter": float(row.diameter),
                    "title": f"{where}\n{kind}: {terms}\n{cite}",
                    "id": str(row.id),
                }
            )
        if not drawn.unplaced.empty:
            column = "place_en" if lang == "en" else "place_zh"
            notes.append(
                t("unplaced", lang, names=t("list_sep", lang).join(drawn.unplaced[column]))
            )
    lines = [
        {
            "where": f"{place_text(row, lang)}, {names.get(int(row.adcode), '')}",
            "amount": instrument_amount(row.kind, row.amount, lang),
            "citation": citation_line(row._asdict(), lang),
            "url": row.url if is_web_url(row.url) else "",
            "adcode": str(int(row.adcode)),
        }
        for row in rows.itertuples()
    ]
    return circles, lines, notes


def metric_menu(data: Dataset, lang: str) -> list[dict[str, Any]]:
    """The map's metric menu: menu name, and the normalisations each offers."""
    items = []
    for metric_id in metric_ids(data.tracks):
        items.append(
            {
                "id": metric_id,
                "label": menu_label(metric_id, data.tracks, lang),
                "pers": [(per, t(f"per_{per}", lang)) for per in allowed_per(metric_id)],
                "track": metric_id.startswith("track:"),
            }
        )
    return items


# --- one province ----------------------------------------------------------------------


@dataclass(frozen=True)
class ProvinceView:
    adcode: int
    name: str
    flags: str
    tracks: tuple[str, ...]
    strategy: str
    figures: tuple[dict[str, Any], ...]
    instruments: tuple[tuple[str, tuple[dict[str, str], ...]], ...]
    documents: tuple[dict[str, str], ...]
    cities: tuple[dict[str, str], ...]
    metrics: tuple[tuple[str, str], ...]  # (metric id, label) where it has a figure


def build_province_view(data: Dataset, adcode: int, lang: str) -> ProvinceView:
    """The brief's content for one province: every figure with basis, year, like-only
    rank, citations and quotes; its money by kind; tracks; documents."""
    row = data.regions.loc[data.regions["adcode"] == adcode].iloc[0]
    name = str(row["name_zh"] if lang == "zh" else row["name_en"])
    flags = " · ".join(
        [
            f"{t('region', lang)}: {group_label(row['region'], lang)}",
            f"{t('border', lang)}: {t('yes' if row['border'] else 'no', lang)}",
            f"{t('compute_hub', lang)}: {t('yes' if row['compute_hub'] else 'no', lang)}",
        ]
    )
    figures = []
    for figure in province_figures(data.regions, data.citations, adcode, lang).itertuples():
        cited = []
        if figure.citation:
            for source in citations_for(data.sources, adcode, figure.column).itertuples():
                cited.append(_source(source, lang))
        figures.append(
            {
                "column": figure.column,
                "figure": figure.figure,
                "text": figure_text(figure, lang),
                "known": bool(figure.citation) or figure.value != t("no_figure", lang),
                "rank": figure.rank,
                "progress": figure.progress,
                "sources": cited,
            }
        )
    lines = instrument_lines(data.instruments, adcode, lang)
    money = []
    for label, group in lines.groupby("kind_label", sort=False):
        money.append(
            (
                str(label),
                tuple(
                    {
                        "kind": line.kind,
                        "place": line.place,
                        "amount": line.amount,
                        "terms": line.terms,
                        "title": line.title,
                        "citation": line.citation,
                        "url": line.url if is_web_url(line.url) else "",
                        "quote": line.quote,
                    }
                    for line in group.itertuples()
                ),
            )
        )
    documents = tuple(
        {
            "title": document_title(document, lang),
            "line": document_line(document, lang),
            "url": document.url if is_web_url(document.url) else "",
            "quote": str(document.quote) if isinstance(document.quote, str) else "",
        }
        for document in province_documents(data.documents, adcode).itertuples()
    )
    cities = data.cities[data.cities["adcode"] == adcode]
    city_rows = tuple(
        {
            "city": str(c["city_zh" if lang == "zh" else "city_en"]),
            "measure": str(c["measure"]),
            "value": str(c["value_as_stated"]),
            "source": f"{publisher_name(c['publisher'])}, {c['published']}",
            "url": c["url"] if is_web_url(c["url"]) else "",
        }
        for _, c in cities.iterrows()
    )
    has = []
    for metric_id in [*schema.FIGURE_COLUMNS, PLAN_DAYS]:
        metric = build_metric(data.regions, data.tracks, metric_id, "none", lang,
                              basis=None, window="all", documents=data.documents)  # fmt: skip
        shown = metric.shown if metric.shown is not None else metric.values
        if pd.notna(shown.get(adcode)):
            has.append((metric_id, metric.label))
    strategy = row["strategy_zh"] if lang == "zh" else row["strategy_en"]
    return ProvinceView(
        adcode=adcode,
        name=name,
        flags=flags,
        tracks=tuple(
            track_label(data.tracks, tr, lang) for tr in split_tracks(row["focus_tracks"])
        ),
        strategy=str(strategy) if pd.notna(strategy) else "",
        figures=tuple(figures),
        instruments=tuple(money),
        documents=documents,
        cities=city_rows,
        metrics=tuple(has),
    )


def _source(source: Any, lang: str) -> dict[str, str]:
    return {
        "title": f"{source.source_title} — {publisher_name(source.publisher)}, {source.published}",
        "grade": f"{t('grade', lang)}: {grade_label(source.grade, lang)}",
        "url": source.url if is_web_url(source.url) else "",
        "quote": str(source.quote),
    }


# --- compare ---------------------------------------------------------------------------


def compare_data(data: Dataset, boundaries: Boundaries, lang: str) -> dict[str, Any]:
    """What /compare's script needs for any 2 to 4 provinces: every figure of every
    province per normalisation, as /compare builds it (every basis, every year), each with
    its like key (`comparison.like_key`): two figures share an axis only when their keys
    are equal, and the script keeps the largest such group, as `comparison.split_like`."""
    regions = data.regions
    names = charts.province_names(regions, boundaries, lang)
    adcodes = [int(a) for a in regions["adcode"]]
    panels: dict[str, list[dict[str, Any]]] = {}
    for per in PER_MODES:
        panels[per] = []
        for column in schema.FIGURE_COLUMNS:
            metric = build_metric(regions, data.tracks, column, per, lang, basis=None,
                                  window="all")  # fmt: skip
            shown = metric.shown if metric.shown is not None else metric.values
            figures = {}
            for adcode in adcodes:
                value = shown.get(adcode)
                if value is None or pd.isna(value):
                    continue
                basis, year = like_key(metric, adcode)
                figures[str(adcode)] = {
                    "v": float(value),
                    "text": format_value(float(value), metric.per == "none"),
                    "tag": figure_tag(metric, adcode, lang),
                    "key": f"{basis}|{'' if year is None else year}",
                }
            panels[per].append(
                {"id": column, "title": charts.metric_title(metric, lang), "unit": metric.unit,
                 "figures": figures}
            )  # fmt: skip
    tracks = {
        str(int(r.adcode)): [
            track_label(data.tracks, tr, lang) for tr in split_tracks(r.focus_tracks)
        ]
        for r in regions.itertuples()
    }
    return {
        "names": {str(a): names[a] for a in adcodes},
        "order": [str(a) for a in adcodes],
        "defaults": [str(a) for a in COMPARE_DEFAULTS if a in adcodes],
        "panels": panels,
        "tracks": tracks,
        "text": {
            "not_on_axis": t("not_on_axis", lang, value="{value}"),
            "no_figure": t("no_figure", lang),
            "apart_note": t("apart_note", lang),
            "none_published_for": t("none_published_for", lang, figures="{figures}"),
            "list_sep": t("list_sep", lang),
            "shared_tracks": t("shared_tracks", lang),
            "distinct_tracks": t("distinct_tracks", lang),
            "compare_need": t("compare_need", lang),
        },
    }


# --- regions ---------------------------------------------------------------------------


def regions_view(data: Dataset, lang: str) -> dict[str, Any]:
    """/regions: per group its members, strategy summary, figures, money medians and like
    target medians; the track heatmap as shares; the most crowded tracks."""
    regions = data.regions
    summary = summarise_groups(regions, data.documents)
    targets = [
        like
        for like in (like_targets(regions, c) for c in schema.DATED_COLUMNS)
        if like is not None and like.column in schema.FIGURE_COLUMNS
    ]
    strategies = data.region_strategies.set_index("group")
    names = dict(zip(regions["adcode"].astype(int), regions[f"name_{lang}"], strict=True))
    groups = []
    for group in schema.GROUPS:
        members = [int(a) for a in regions.loc[group_mask(regions, group), "adcode"]]
        stats = summary.loc[group]
        strategy = None
        if group in strategies.index:
            row = strategies.loc[group]
            shared = [
                other
                for other in strategies.index
                if other != group and strategies.at[other, "summary_en"] == row["summary_en"]
            ]
            strategy = {
                "text": str(row["summary_zh"] if lang == "zh" else row["summary_en"]),
                "shared": t(
                    "shared_summary",
                    lang,
                    groups=t("list_sep", lang).join(group_label(g, lang) for g in shared),
                )
                if shared
                else "",
                "cite": f"{row['publisher']}, {row['published']} "
                f"({grade_label(row['grade'], lang)})",
                "url": row["url"] if is_web_url(row["url"]) else "",
            }
        days = stats["plan_days_median"]
        figures = [
            (t("provinces", lang), str(int(stats["provinces"]))),
            (t("hubs", lang), str(int(stats["hubs"]))),
            (t("plans_issued", lang), str(int(stats["with_plan"]))),
            (
                t("plan_days_median", lang),
                "—" if pd.isna(days) else f"{format_number(days)} {t('days_unit', lang)}",
            ),
        ]
        likes = like_target_lines(targets, group, lang)
        groups.append(
            {
                "group": group,
                "label": group_label(group, lang),
                "members": [(a, names[a]) for a in sorted(members, key=lambda a: names[a])],
                "strategy": strategy,
                "figures": figures,
                "likes": likes,
                "likes_missing": len(likes) < len(targets),
            }
        )
    shares = track_shares(regions, data.tracks)
    ordered = shares.loc[:, shares.max().sort_values(ascending=False).index]
    heat = {
        "tracks": [track_label(data.tracks, tr, lang) for tr in ordered.columns],
        "rows": [
            (
                group_label(g, lang),
                [None if pd.isna(v) else round(float(v) * 100) for v in ordered.loc[g]],
            )
            for g in ordered.index
        ],
    }
    crowding = track_crowding(regions, data.tracks)
    members = {
        group: frozenset(int(a) for a in regions.loc[group_mask(regions, group), "adcode"])
        for group in schema.GROUPS
    }
    money = group_money_table(data.instruments, members, lang)
    return {
        "money": {
            "note": t("group_money_note", lang),
            "columns": list(money.columns),
            "rows": [
                (str(label), list(row))
                for label, row in zip(money.index, money.values, strict=True)
            ],
        },
        "groups": groups,
        "heat": heat,
        "crowded": [(track_label(data.tracks, tr, lang), int(n)) for tr, n in crowding.items()],
    }


# --- timeline --------------------------------------------------------------------------


def timeline_view(data: Dataset, names: dict[int, str], lang: str, today: str) -> dict[str, Any]:
    """Rows in `timeline_order` with their labels, and each dated document as a mark of
    its kind (drafts hollow), from TIMELINE_START to `today`; every document listed."""
    order = timeline_order(data.regions, data.documents)
    rows = []
    for adcode, state in zip(order["adcode"], order["state"], strict=True):
        name = names.get(int(adcode), str(adcode))
        label = name if state == COMPARABLE else f"{name} · {t(f'row_{state}', lang)}"
        rows.append({"adcode": int(adcode), "label": label, "state": state})
    documents = data.documents.assign(date=issued_dates(data.documents["issued"]))
    marks = []
    for row in documents.itertuples():
        if pd.isna(row.date) or row.date < pd.Timestamp(TIMELINE_START):
            continue
        colour, symbol = KIND_STYLE.get(row.kind, KIND_STYLE["other"])
        marks.append(
            {
                "adcode": int(row.adcode),
                "date": row.date.date().isoformat(),
                "kind": row.kind,
                "draft": row.status == "draft",
                "colour": colour,
                "symbol": symbol,
                "title": f"{document_title(row, lang)}\n{document_line(row, lang)}",
                "id": row.document,
            }
        )
    key = []
    for kind, (colour, symbol) in KIND_STYLE.items():
        for status in ("final", "draft"):
            if any(m["kind"] == kind and m["draft"] == (status == "draft") for m in marks):
                name = kind_label(kind, lang)
                if status == "draft":
                    name = t("qualified", lang, text=name, note=t("status_draft", lang))
                key.append({"label": name, "colour": colour, "symbol": symbol,
                            "draft": status == "draft"})  # fmt: skip
    dates = issued_dates(data.documents["issued"])
    listed = []
    ordered = data.documents.assign(_d=dates).sort_values("_d", ascending=False, na_position="last")
    for row in ordered.itertuples():
        listed.append(
            {
                "id": row.document,
                "province": names.get(int(row.adcode), str(row.adcode)),
                "adcode": int(row.adcode),
                "title": document_title(row, lang),
                "line": document_line(row, lang),
                "url": row.url if is_web_url(row.url) else "",
                "quote": str(row.quote) if isinstance(row.quote, str) else "",
            }
        )
    return {
        "title": t("timeline_title", lang),
        "subtitle": t("timeline_subtitle", lang),
        "rows": rows,
        "marks": marks,
        "key": key,
        "national": t("national_opinion", lang),
        "opinion": schema.NATIONAL_OPINION_DATE,
        "start": TIMELINE_START,
        "today": today,
        "documents": listed,
        "listed_note": t(
            "documents_listed",
            lang,
            n=len(data.documents),
            undated=int(dates.isna().sum()),
            earlier=int((dates < TIMELINE_START).sum()),
        ),
    }


# --- sources ---------------------------------------------------------------------------


def dataset_csv(data: Dataset, lang: str) -> bytes:
    """The whole dataset as the app's download writes it (UTF-8 with BOM, cited)."""
    return csv_bytes(figures_frame(data.regions, data, lang))


def today() -> str:
    return date.today().isoformat()
