"""Pure pandas logic: metrics, normalisation, classes, groups, overlap, screening.

Every function takes the validated tables and returns new objects; none mutates its
inputs (the app shares one cached `Dataset` across all sessions).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable
from dataclasses import dataclass

import mapclassify
import numpy as np
import pandas as pd

from dashboard import schema
from dashboard.data import split_tracks
from dashboard.i18n import t

PER_MODES: tuple[str, ...] = ("none", "capita", "gdp")
SCHEMES: tuple[str, ...] = ("quantiles", "natural_breaks", "equal_interval")
TRACK_PREFIX = "track:"
TRACK_COUNT = "track_count"
MAX_CLASSES = 5

# Money columns' units in yuan; anything else in FIGURE_COLUMNS is a count or EFLOPS.
_YUAN_PER_UNIT: dict[str, float] = {"bn yuan": 1e9, "mn yuan": 1e6, "mn yuan/yr": 1e6}
_PER_UNITS: dict[tuple[str, str], tuple[str, str]] = {
    ("money", "capita"): ("yuan per resident", "元/人"),
    ("money", "gdp"): ("yuan per 10,000 yuan of GDP", "元/万元GDP"),
    ("count", "capita"): ("per million residents", "个/百万人"),
    ("count", "gdp"): ("per trillion yuan of GDP", "个/万亿元GDP"),
}


@dataclass(frozen=True)
class Metric:
    """One mappable quantity: a value per province (NaN = no published figure)."""

    id: str
    per: str
    label: str
    unit: str
    binary: bool
    values: pd.Series  # float, indexed by adcode
    years: pd.Series  # Int64 target year, indexed by adcode (all NA when none)
    source_field: str  # the sources.csv field that cites these values


def metric_ids(tracks: pd.DataFrame) -> list[str]:
    """Every metric the map can show, in menu order."""
    return [
        *schema.FIGURE_COLUMNS,
        TRACK_COUNT,
        *(f"{TRACK_PREFIX}{track}" for track in tracks["track"]),
    ]


def allowed_per(metric_id: str) -> tuple[str, ...]:
    """Normalisations that mean something for a metric ("none" always does)."""
    if metric_id in schema.FIGURE_COLUMNS:
        return ("none", *schema.column_meta(metric_id)["per"])
    return ("none",)


def metric_label(metric_id: str, tracks: pd.DataFrame, lang: str) -> str:
    """What a metric is called in menus and chart titles (without its unit)."""
    if metric_id.startswith(TRACK_PREFIX):
        track = metric_id.removeprefix(TRACK_PREFIX)
        return f"{t('track_prefix', lang)}: {track_label(tracks, track, lang)}"
    if metric_id == TRACK_COUNT:
        return t("track_count", lang)
    return schema.column_label(metric_id, lang)


def build_metric(
    regions: pd.DataFrame, tracks: pd.DataFrame, metric_id: str, per: str, lang: str
) -> Metric:
    """Values, label and unit of `metric_id`, normalised by `per` where that is allowed."""
    by_adcode = regions.set_index("adcode")
    label = metric_label(metric_id, tracks, lang)
    no_years = pd.Series(pd.NA, index=by_adcode.index, dtype="Int64")
    if metric_id.startswith(TRACK_PREFIX) or metric_id == TRACK_COUNT:
        # A province without a track list is unknown, never "names none of them".
        listed = by_adcode["focus_tracks"].notna()
        matrix = track_matrix(regions, tracks)
        if metric_id == TRACK_COUNT:
            values = matrix.sum(axis=1).astype(float).where(listed)
            return Metric(metric_id, "none", label, t("tracks_unit", lang), False, values,
                          no_years, "focus_tracks")  # fmt: skip
        values = matrix[metric_id.removeprefix(TRACK_PREFIX)].astype(float).where(listed)
        return Metric(metric_id, "none", label, "", True, values, no_years, "focus_tracks")
    meta = schema.column_meta(metric_id)
    values = by_adcode[metric_id].astype(float)
    years = by_adcode[meta["year_column"]] if meta["year_column"] else no_years
    unit = schema.column_unit(metric_id, lang)
    if per not in allowed_per(metric_id):
        per = "none"
    if per != "none":
        values, unit = _normalise(values, by_adcode, meta["unit"], per, lang)
    return Metric(metric_id, per, label, unit, False, values, years, metric_id)


def _normalise(
    values: pd.Series, by_adcode: pd.DataFrame, unit: str, per: str, lang: str
) -> tuple[pd.Series, str]:
    kind = "money" if unit in _YUAN_PER_UNIT else "count"
    scale = _YUAN_PER_UNIT.get(unit, 1.0)
    population_mn = by_adcode["population_2024_mn"].astype(float)
    gdp_bn = by_adcode["gdp_2024_cny_bn"].astype(float)
    if kind == "money" and per == "capita":
        result = values * scale / (population_mn * 1e6)
    elif kind == "money":
        result = values * scale / (gdp_bn * 1e9) * 1e4
    elif per == "capita":
        result = values / population_mn
    else:
        result = values / (gdp_bn / 1000)
    english, chinese = _PER_UNITS[(kind, per)]
    return result, chinese if lang == "zh" else english


def track_label(tracks: pd.DataFrame, track: str, lang: str) -> str:
    """A track's label in `lang`, or its id when tracks.csv does not know it."""
    row = tracks.loc[tracks["track"] == track]
    if row.empty:
        return track
    return str(row.iloc[0]["label_zh" if lang == "zh" else "label_en"])


# --- classes -------------------------------------------------------------------------


@dataclass(frozen=True)
class Classes:
    """Classes of a choropleth: class i holds values up to uppers[i] (and above the last)."""

    uppers: tuple[float, ...]
    labels: tuple[str, ...]
    class_of: pd.Series  # int class per adcode, -1 for no published figure

    @property
    def count(self) -> int:
        return len(self.labels)


def classify(values: pd.Series, scheme: str, unit: str, k: int = MAX_CLASSES) -> Classes:
    """Bin the known values with mapclassify; missing values get class -1.

    Natural breaks uses Fisher-Jenks, which is exact and deterministic (mapclassify's
    NaturalBreaks is k-means with random starts, so a shared link could recolour).
    """
    known = values.dropna().astype(float)
    class_of = pd.Series(-1, index=values.index, dtype=int)
    if known.empty:
        return Classes((), (), class_of)
    k = min(k, known.nunique())
    if k <= 1:
        only = float(known.iloc[0])
        class_of[known.index] = 0
        return Classes((only,), (f"{format_number(only)} {unit}".strip(),), class_of)
    y = known.to_numpy()
    with warnings.catch_warnings():
        # Tied values can make mapclassify lower k itself; empty classes are dropped below.
        warnings.simplefilter("ignore", UserWarning)
        binner = {
            "quantiles": mapclassify.Quantiles,
            "natural_breaks": mapclassify.FisherJenks,
            "equal_interval": mapclassify.EqualInterval,
        }[scheme if scheme in SCHEMES else "quantiles"](y, k=k)
    uppers = [float(b) for b in binner.bins]
    bounds = (float(y.min()), *uppers)
    used = sorted(set(int(c) for c in binner.yb))
    labels = tuple(
        f"{format_number(bounds[i])} – {format_number(bounds[i + 1])} {unit}".strip()
        for i in range(len(uppers))
    )
    # Quantiles on tied data can leave a class empty; keep the legend to used classes.
    remap = {old: new for new, old in enumerate(used)}
    class_of[known.index] = [remap[int(c)] for c in binner.yb]
    return Classes(tuple(uppers[i] for i in used), tuple(labels[i] for i in used), class_of)


def format_number(value: float) -> str:
    """Short, exact-enough numbers for legends and tooltips: 20, 0.35, 1,250, 12.5."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    magnitude = abs(value)
    if magnitude >= 100 or float(value).is_integer():
        return f"{value:,.0f}"
    if magnitude >= 1:
        return f"{value:,.1f}".rstrip("0").rstrip(".")
    if magnitude == 0:
        return "0"
    digits = max(2, 2 - math.floor(math.log10(magnitude)))
    return f"{value:.{digits}f}".rstrip("0").rstrip(".")


# --- sources -------------------------------------------------------------------------


def citations_for(sources: pd.DataFrame, adcode: int, field: str) -> pd.DataFrame:
    """Every source row for one figure, best first."""
    rows = sources[(sources["adcode"] == adcode) & (sources["field"] == field)]
    return (
        rows.assign(_grade=rows["grade"].map(schema.GRADE_RANK))
        .sort_values(["_grade", "published"], ascending=[True, False])
        .drop(columns="_grade")
    )


def official_only(regions: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """A copy of `regions` where figures with no official-grade source are blank."""
    official = set(
        zip(
            sources.loc[sources["grade"] == "official", "adcode"],
            sources.loc[sources["grade"] == "official", "field"],
            strict=True,
        )
    )
    result = regions.copy()
    for column in schema.FIGURE_COLUMNS:
        keep = [(adcode, column) in official for adcode in result["adcode"]]
        result[column] = result[column].where(keep)
    return result


# --- groups --------------------------------------------------------------------------


def group_mask(regions: pd.DataFrame, group: str) -> pd.Series:
    """Rows in a group: a region, or "border" (land-border provinces of any region)."""
    if group == "border":
        return regions["border"].astype(bool)
    return regions["region"] == group


def in_groups(regions: pd.DataFrame, groups: Iterable[str]) -> pd.Series:
    """Rows in any of `groups` (the union of their masks)."""
    mask = pd.Series(False, index=regions.index)
    for group in groups:
        mask |= group_mask(regions, group)
    return mask


def summarise_groups(regions: pd.DataFrame) -> pd.DataFrame:
    """Per group: size, how many publish a fund, fund total and median, and more."""
    rows = []
    for group in schema.GROUPS:
        members = regions[group_mask(regions, group)]
        fund = members["ai_fund_cny_bn"].dropna().astype(float)
        subsidy = members["max_subsidy_cny_mn"].dropna().astype(float)
        datasets = members["datasets_target"].dropna().astype(float)
        rows.append(
            {
                "group": group,
                "provinces": len(members),
                "with_fund": len(fund),
                "fund_total": fund.sum() if len(fund) else math.nan,
                "fund_median": fund.median() if len(fund) else math.nan,
                "with_subsidy": len(subsidy),
                "subsidy_median": subsidy.median() if len(subsidy) else math.nan,
                "with_datasets": len(datasets),
                "datasets_total": datasets.sum() if len(datasets) else math.nan,
                "hubs": int(members["compute_hub"].sum()),
            }
        )
    return pd.DataFrame(rows).set_index("group")


def track_matrix(regions: pd.DataFrame, tracks: pd.DataFrame) -> pd.DataFrame:
    """Provinces (rows, by adcode) x tracks (columns): True where a province names it."""
    names = regions.set_index("adcode")["focus_tracks"].map(split_tracks)
    return pd.DataFrame(
        {track: names.map(lambda ids, tr=track: tr in ids) for track in tracks["track"]},
        index=names.index,
    ).astype(bool)


def track_shares(regions: pd.DataFrame, tracks: pd.DataFrame) -> pd.DataFrame:
    """Groups x tracks: share of the group's provinces (with a track list) naming each."""
    has_list = regions["focus_tracks"].notna().to_numpy()
    matrix = track_matrix(regions, tracks)
    shares = {}
    for group in schema.GROUPS:
        members = group_mask(regions, group).to_numpy() & has_list
        subset = matrix[members]
        shares[group] = subset.mean() if len(subset) else pd.Series(math.nan, index=matrix.columns)
    return pd.DataFrame(shares).T


def track_overlap(regions: pd.DataFrame, tracks: pd.DataFrame) -> pd.DataFrame:
    """Jaccard similarity of focus tracks between every pair of provinces with a list."""
    matrix = track_matrix(regions, tracks)
    matrix = matrix[regions.set_index("adcode")["focus_tracks"].notna()]
    values = matrix.to_numpy(dtype=int)
    shared = values @ values.T
    sizes = values.sum(axis=1)
    union = sizes[:, None] + sizes[None, :] - shared
    with np.errstate(invalid="ignore", divide="ignore"):
        jaccard = np.where(union > 0, shared / union, 0.0)
    return pd.DataFrame(jaccard, index=matrix.index, columns=matrix.index)


def track_crowding(regions: pd.DataFrame, tracks: pd.DataFrame) -> pd.Series:
    """How many provinces name each track, most crowded first (ties by track id)."""
    counts = track_matrix(regions, tracks).sum()
    return counts.sort_index().sort_values(ascending=False, kind="stable")


def ranking(values: pd.Series) -> pd.Series:
    """Rank 1 = largest; provinces without a figure get no rank (NA)."""
    return values.rank(ascending=False, method="min").astype("Int64")


# --- screening -----------------------------------------------------------------------

RANGE_FILTERS: dict[str, str] = {
    "fund": "ai_fund_cny_bn",
    "subsidy": "max_subsidy_cny_mn",
    "voucher": "compute_voucher_cny_mn",
}


@dataclass(frozen=True)
class Screen:
    """Screener criteria; a range of None means "no filter on that figure"."""

    ranges: tuple[tuple[str, float, float], ...] = ()  # (column, low, high)
    tracks: tuple[str, ...] = ()
    tracks_mode: str = "any"
    groups: tuple[str, ...] = ()
    hub_only: bool = False
    border_only: bool = False
    official_only: bool = False


def screen(regions: pd.DataFrame, sources: pd.DataFrame, criteria: Screen) -> pd.DataFrame:
    """Provinces meeting every criterion, largest fund first (then by subsidy, name).

    A range filter excludes provinces without that figure: "unknown" never passes
    as zero, nor as a match.
    """
    table = official_only(regions, sources) if criteria.official_only else regions.copy()
    keep = pd.Series(True, index=table.index)
    for column, low, high in criteria.ranges:
        values = table[column].astype(float)
        keep &= values.between(low, high).fillna(False).astype(bool)
    if criteria.tracks:
        names = table["focus_tracks"].map(split_tracks)
        test = all if criteria.tracks_mode == "all" else any
        keep &= names.map(lambda ids: test(track in ids for track in criteria.tracks))
    if criteria.groups:
        keep &= in_groups(table, criteria.groups)
    if criteria.hub_only:
        keep &= table["compute_hub"].astype(bool)
    if criteria.border_only:
        keep &= table["border"].astype(bool)
    return table[keep].sort_values(
        ["ai_fund_cny_bn", "max_subsidy_cny_mn", "name_en"],
        ascending=[False, False, True],
        na_position="last",
    )


def with_citations(
    results: pd.DataFrame, citations: pd.DataFrame, columns: tuple[str, ...]
) -> pd.DataFrame:
    """Results with, per figure column, the best source's publisher, date, grade and URL."""
    table = results.copy()
    for column in columns:
        keys = [(adcode, column) for adcode in table["adcode"]]
        for part in ("publisher", "published", "grade", "url"):
            table[f"{column}_{part}"] = [
                citations.at[key, part] if key in citations.index and pd.notna(value) else None
                for key, value in zip(keys, table[column], strict=True)
            ]
    return table


# --- one province --------------------------------------------------------------------


def citation_line(citation: pd.Series, lang: str) -> str:
    """'Publisher, 2026-01 (grade: official)': how a figure's source is named on screen."""
    grade = f"{t('grade', lang)}: {citation['grade']}"
    return f"{citation['publisher']}, {citation['published']} ({grade})"


def province_figures(
    regions: pd.DataFrame, citations: pd.DataFrame, adcode: int, lang: str
) -> pd.DataFrame:
    """Every commitment of one province with its national rank and best citation.

    Blank figures stay in the table as "no published figure" so readers see the gap.
    """
    by_adcode = regions.set_index("adcode")
    row = by_adcode.loc[adcode]
    records = []
    for column in schema.FIGURE_COLUMNS:
        meta = schema.column_meta(column)
        value = row[column]
        known = pd.notna(value)
        ranks = ranking(by_adcode[column].astype(float))
        year = row[meta["year_column"]] if meta["year_column"] else pd.NA
        citation = citations.loc[(adcode, column)] if (adcode, column) in citations.index else None
        records.append(
            {
                "column": column,
                "figure": schema.column_label(column, lang),
                "value": format_number(float(value)) if known else t("no_figure", lang),
                "unit": schema.column_unit(column, lang) if known else "",
                "year": str(int(year)) if known and pd.notna(year) else "",
                "rank": (
                    t("rank_of", lang, rank=int(ranks[adcode]), n=int(ranks.notna().sum()))
                    if known
                    else ""
                ),
                "citation": "" if citation is None else citation_line(citation, lang),
                "url": "" if citation is None else citation["url"],
            }
        )
    return pd.DataFrame(records)
