"""The investor screener: provinces by their money instruments, tracks and groups.

A province qualifies when, for every money kind the reader picks, the province itself
or any of its cities, districts or zones has an instrument of that kind within the
kind's range (at the levels the reader allows, from official sources only if asked),
and it meets the other criteria. Money is compared only with money of the same kind:
a range is set per kind, never across kinds, and an unknown amount never passes as 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from dashboard import instruments as money
from dashboard import schema
from dashboard.data import split_tracks, with_money
from dashboard.formatting import format_figure
from dashboard.i18n import grade_label, t
from dashboard.sourcing import publisher_name
from dashboard.transform import in_groups

# The yes/no criteria of a screen, as fields of `Screen`, URL keys and widget keys.
SCREEN_FLAGS = ("hub_only", "border_only", "official_only")
KINDS: tuple[str, ...] = tuple(schema.INSTRUMENT_KINDS)


@dataclass(frozen=True)
class Screen:
    """Screener criteria. `ranges` holds (kind, low, high) in the kind's stored unit for
    each kind picked; a range over the kind's whole span asks "has one at all"."""

    ranges: tuple[tuple[str, float, float], ...] = ()
    level: str = "both"
    tracks: tuple[str, ...] = ()
    tracks_mode: str = "any"
    groups: tuple[str, ...] = ()
    hub_only: bool = False
    border_only: bool = False
    official_only: bool = False

    @property
    def money(self) -> money.MoneyScreen:
        return money.MoneyScreen(self.ranges, self.level, self.official_only)


@dataclass(frozen=True)
class Result:
    """The provinces that qualify and the instruments the result lists."""

    provinces: pd.DataFrame  # rows of the province table, in the order shown
    instruments: pd.DataFrame  # their instruments that meet the money criteria
    counted: pd.DataFrame = field(repr=False)  # every instrument the screen may count


def kind_span(instruments: pd.DataFrame, kind: str) -> tuple[float, float]:
    """A slider's span for a kind: 0 to its largest amount at any level, rounded up."""
    amounts = instruments.loc[instruments["kind"] == kind, "amount"]
    top = float(amounts.max()) if len(amounts) else 1.0
    return 0.0, float(-(-top // 1))  # ceil, without importing math for one call


def screen(regions: pd.DataFrame, instruments: pd.DataFrame, criteria: Screen) -> Result:
    """Provinces meeting every criterion with the instruments that made them qualify
    (every counted instrument when no kind is picked), by province name."""
    every_kind = money.MoneyScreen((), criteria.level, criteria.official_only)
    counted = money.matching_instruments(instruments, every_kind)
    keep = pd.Series(True, index=regions.index)
    qualifying = money.qualifying_provinces(instruments, criteria.money)
    if qualifying is not None:
        keep &= regions["adcode"].isin(qualifying)
    if criteria.tracks:
        names = regions["focus_tracks"].map(split_tracks)
        test = all if criteria.tracks_mode == "all" else any
        keep &= names.map(lambda ids: test(track in ids for track in criteria.tracks))
    if criteria.groups:
        keep &= in_groups(regions, criteria.groups)
    if criteria.hub_only:
        keep &= regions["compute_hub"].astype(bool)
    if criteria.border_only:
        keep &= regions["border"].astype(bool)
    provinces = regions[keep].sort_values("name_en")
    listed = money.matching_instruments(instruments, criteria.money) if criteria.ranges else counted
    listed = listed[listed["adcode"].isin(provinces["adcode"])]
    return Result(provinces, listed, counted)


def map_table(regions: pd.DataFrame, result: Result) -> pd.DataFrame:
    """The province table whose money columns count only what the screen counts (its
    levels, official sources only if asked): what the screener's map colours."""
    provincial = money.provincial(result.counted)
    return with_money(regions.drop(columns=list(schema.MONEY_COLUMNS)), provincial)


def range_label(kind: str, lang: str) -> str:
    """A range filter's name with the unit its slider counts in ("AI industry fund,
    bn yuan"; "人工智能产业基金（亿元）")."""
    unit = schema.column_unit(kind, lang)
    return t("range_label", lang, name=money.kind_name(kind, lang), unit=unit)


def describe_screen(
    criteria: Screen, spans: dict[str, tuple[float, float]], track_labels: dict[str, str], lang: str
) -> str:
    """The criteria in words, for the page, the map's subtitle and exports: each kind's
    range ("any amount" over its whole span), the rule that a city's instrument counts
    for its province, the levels, tracks, groups and flags."""
    parts = []
    for kind, low, high in criteria.ranges:
        if (low, high) == spans.get(kind):
            value = t("any_amount", lang)
        else:
            scale = schema.column_scale(kind, lang)
            value = f"{format_figure(low * scale)} – {format_figure(high * scale)}"
        parts.append(t("criterion", lang, name=range_label(kind, lang), value=value))
    if criteria.ranges:
        parts.append(t("screen_rule_short", lang))
    if criteria.level != "both":
        parts.append(t(f"level_{criteria.level}", lang))
    if criteria.tracks:
        names = t("list_sep", lang).join(track_labels.get(k, k) for k in criteria.tracks)
        mode = t(f"tracks_{criteria.tracks_mode}", lang)
        name = t("tracks_filter", lang)
        parts.append(t("tracks_criterion", lang, name=name, mode=mode, value=names))
    if criteria.groups:
        parts.append(t("list_sep", lang).join(t(f"group_{g}", lang) for g in criteria.groups))
    parts += [t(flag, lang) for flag in SCREEN_FLAGS if getattr(criteria, flag)]
    return t("list_sep", lang).join(parts) if parts else t("no_filters", lang)


# The columns of the result's CSV that carry the citation (dropped on screen).
CITATION_KEYS = ("cite_title", "cite_publisher", "cite_published", "cite_url", "cite_quote",
                 "instrument_id")  # fmt: skip


def result_table(result: Result, lang: str, *, citations: bool = True) -> pd.DataFrame:
    """One row per listed instrument, grouped by province in the result's order (a
    province that qualifies with no instrument listed gets one row saying so): province,
    kind, where, amount in the reader's unit, terms and, for the CSV, the citation."""
    name = "name_zh" if lang == "zh" else "name_en"
    position = {int(a): i for i, a in enumerate(result.provinces["adcode"])}
    names = dict(zip(result.provinces["adcode"], result.provinces[name], strict=True))
    items = money.in_reading_order(result.instruments)
    items = items.iloc[items["adcode"].map(position).argsort(kind="stable")]
    rows = []
    for item in items.itertuples():
        scale = schema.column_scale(item.kind, lang)
        row = {
            t("province", lang): names[item.adcode],
            t("kind", lang): money.kind_name(item.kind, lang),
            t("where", lang): money.place_text(item, lang),
            t("amount", lang): round(float(item.amount) * scale, 9),
            t("unit", lang): schema.column_unit(item.kind, lang),
            t("share_col", lang): None if pd.isna(item.share_pct) else float(item.share_pct),
            t("year", lang): int(item.year),
            t("status", lang): t(f"status_{item.status}", lang),
            t("cite_grade", lang): grade_label(item.grade, lang),
        }
        if citations:
            row |= dict(zip(
                (t(key, lang) for key in CITATION_KEYS),
                (item.source_title, publisher_name(item.publisher), item.published, item.url,
                 item.quote, item.id),
                strict=True,
            ))  # fmt: skip
        rows.append((position[int(item.adcode)], row))
    listed = set(items["adcode"].astype(int))
    for adcode, index in position.items():
        if adcode not in listed:
            rows.append((index, {t("province", lang): names[adcode],
                                 t("kind", lang): t("instruments_none", lang)}))  # fmt: skip
    rows.sort(key=lambda pair: pair[0])  # stable: reading order within a province
    return pd.DataFrame([row for _, row in rows])


def present_table(result: Result, lang: str) -> pd.DataFrame:
    """The result for a projector: province, place and amount with its unit in one cell,
    and the kind only when several are screened; three or four columns that fit."""
    kinds = result.instruments["kind"].nunique()
    rows = []
    name = "name_zh" if lang == "zh" else "name_en"
    names = dict(zip(result.provinces["adcode"], result.provinces[name], strict=True))
    for province in result.provinces["adcode"]:
        own = money.province_instruments(result.instruments, province)
        for item in own.itertuples():
            row = {t("province", lang): names[province]}
            if kinds > 1:
                row[t("kind", lang)] = money.kind_name(item.kind, lang)
            row[t("where", lang)] = money.place_text(item, lang)
            row[t("amount", lang)] = money.amount_text(item.kind, item.amount, lang)
            rows.append(row)
    return pd.DataFrame(rows)
