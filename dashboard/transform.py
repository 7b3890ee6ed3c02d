"""Pure pandas logic: metrics, normalisation, classes, groups, overlap, screening.

Every function takes the validated tables and returns new objects; none mutates its
inputs (the app shares one cached `Dataset` across all sessions).
"""

from __future__ import annotations

import datetime as dt
import math
import warnings
from collections.abc import Collection, Iterable
from dataclasses import dataclass, replace

import mapclassify
import numpy as np
import pandas as pd

from dashboard import schema
from dashboard.data import split_tracks
from dashboard.formatting import (
    amount_text,
    format_figure,
    format_number,
    format_value,
    in_sentence,
)
from dashboard.i18n import grade_label, kind_label, t
from dashboard.metric_names import (
    PLAN_DAYS,
    TRACK_COUNT,
    TRACK_PREFIX,
    basis_label,
    metric_label,
)
from dashboard.sourcing import citation_line

PER_MODES: tuple[str, ...] = ("none", "capita", "gdp")
SCHEMES: tuple[str, ...] = ("quantiles", "natural_breaks", "equal_interval")
MAX_CLASSES = 5

# Year windows of a dated figure: the years still ahead (the default), every year, or
# one year (a string such as "2027", offered per metric by `year_options`).
YEAR_WINDOWS: tuple[str, ...] = ("ahead", "all")
MOST_COMMON_YEAR = "most_common"  # build_metric's default window: see default_window
MOST_USED = "most_used"  # build_metric's default basis: the one most provinces use
# Why a province's figure is not on the colour scale (never a class, never ranked).
COMPARABLE = ""
STATES: tuple[str, ...] = (
    "other_basis",
    "other_year",
    "year_passed",
    "no_year",
    "no_gdp",
    "no_figure",
)

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
    """One mappable quantity per province, and which of its figures compare like with like.

    `values` holds only the comparable figures (NaN elsewhere), so every class, rank,
    median and bar built from it compares like with like; `shown` holds every figure
    for hover and panels, and `states` says why a figure is left out.
    """

    id: str
    per: str
    label: str
    unit: str
    binary: bool
    values: pd.Series  # float, indexed by adcode: comparable figures only
    years: pd.Series  # Int64 target year, indexed by adcode (all NA when none)
    source_field: str  # the sources.csv field that cites these values
    shown: pd.Series | None = None  # every figure, normalised like `values`
    bases: pd.Series | None = None  # basis per adcode (None when the metric has none)
    states: pd.Series | None = None  # COMPARABLE or one of STATES, per adcode
    basis: str | None = None  # the basis compared (None: every basis, or none exists)
    window: str = "all"
    national: float | None = None  # the national target, drawn as a reference
    higher_first: bool = True  # rank 1 is the largest (False: the smallest, e.g. days)

    def state_counts(self, within: Collection[int] | None = None) -> dict[str, int]:
        """How many provinces are in each left-out state, in STATES order (non-zero only),
        among `within` when a filter keeps only some: the one count that legend, note,
        bars and exports all show."""
        values = self.values if within is None else self.values[self.values.index.isin(within)]
        if self.states is None:
            missing = int(values.isna().sum())
            return {"no_figure": missing} if missing else {}
        states = self.states if within is None else self.states[self.states.index.isin(within)]
        counts = states.value_counts()
        return {state: int(counts[state]) for state in STATES if counts.get(state, 0)}


def default_metric(regions: pd.DataFrame) -> str:
    """The commitment the most provinces publish: the first view is the fullest one."""
    counts = {column: int(regions[column].notna().sum()) for column in schema.FIGURE_COLUMNS}
    return max(schema.FIGURE_COLUMNS, key=lambda column: counts[column])


def allowed_per(metric_id: str) -> tuple[str, ...]:
    """Normalisations that mean something for a metric ("none" always does)."""
    if metric_id in schema.FIGURE_COLUMNS:
        return ("none", *schema.column_meta(metric_id)["per"])
    return ("none",)


def build_metric(
    regions: pd.DataFrame,
    tracks: pd.DataFrame,
    metric_id: str,
    per: str,
    lang: str,
    *,
    basis: str | None = MOST_USED,
    window: str = MOST_COMMON_YEAR,
    current_year: int | None = None,
    documents: pd.DataFrame | None = None,
) -> Metric:
    """Values, label and unit of `metric_id`, normalised by `per` where that is allowed.

    For a dated figure, only figures on `basis` with a year in `window` are comparable;
    the rest keep their value in `shown` and say why in `states`. By default that is the
    basis most provinces use and the years still ahead; `basis=None, window="all"` keeps
    every figure (for views that label each one, such as /compare). The default
    window is one year, the one most provinces target on that basis (`default_window`):
    figures for different years are never ranked on one scale by default.
    """
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
    if metric_id == PLAN_DAYS:
        days, states = plan_response(by_adcode.index, documents)
        return Metric(metric_id, "none", label, t("days_unit", lang), False,
                      days.where(states == COMPARABLE), no_years, "documents", shown=days,
                      states=states, higher_first=False)  # fmt: skip
    meta = schema.column_meta(metric_id)
    raw = by_adcode[metric_id].astype(float)
    years = by_adcode[meta["year_column"]] if meta["year_column"] else no_years
    bases = by_adcode[meta["basis_column"]] if meta.get("basis_column") else None
    unit = schema.column_unit(metric_id, lang)
    if per not in allowed_per(metric_id):
        per = "none"
    shown = raw * schema.column_scale(metric_id, lang)
    if per != "none":
        shown, unit = _normalise(raw, by_adcode, meta["unit"], per, lang)
    if not meta["year_column"]:
        window = "all"
    if bases is None:
        basis = None
    elif basis == MOST_USED:
        options = basis_options(regions, metric_id)
        basis = options[0] if options else None
    if window == MOST_COMMON_YEAR:
        window = default_window(regions, metric_id, basis, current_year)
    states = figure_states(raw, years, bases, basis, window, _year_now(current_year))
    states = states.mask((states == COMPARABLE) & shown.isna(), "no_gdp")
    return Metric(
        metric_id,
        per,
        label,
        unit,
        False,
        shown.where(states == COMPARABLE),
        years,
        metric_id,
        shown=shown,
        bases=bases,
        states=states,
        basis=basis,
        window=window,
        national=meta.get("national"),
    )


def _year_now(current_year: int | None) -> int:
    return current_year if current_year is not None else dt.date.today().year


def figure_states(
    values: pd.Series,
    years: pd.Series,
    bases: pd.Series | None,
    basis: str | None,
    window: str,
    current_year: int,
) -> pd.Series:
    """Per province: COMPARABLE, or why its figure is left off the scale.

    The basis is checked first (a figure on another basis is never comparable, whatever
    its year); a target whose year has passed is "year_passed" unless the window is
    "all"; one outside a one-year window is "other_year"; one whose source states no
    year is "no_year" except when every year is shown.
    """
    # Boolean arrays and one np.select, the first true condition winning: called once per
    # metric and page run (eight times on /compare), where per-mask Series assignment cost
    # a quarter of the page's run.
    count = len(values)
    known_year = years.notna().to_numpy()
    year = years.astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    with np.errstate(invalid="ignore"):
        passed = known_year & (year < current_year)
        if window == "ahead":
            outside = passed
        elif window == "all":
            outside = np.zeros(count, dtype=bool)
        else:
            outside = known_year & (year != int(window))
    no_year = ~known_year if window != "all" else np.zeros(count, dtype=bool)
    other_basis = np.zeros(count, dtype=bool)
    if bases is not None and basis is not None:
        other_basis = (bases.notna() & (bases != basis)).fillna(False).to_numpy(dtype=bool)
    conditions = [values.isna().to_numpy(), other_basis, no_year, outside & passed, outside]
    choices = ["no_figure", "other_basis", "no_year", "year_passed", "other_year"]
    states = np.select(conditions, choices, default=COMPARABLE)
    return pd.Series(states, index=values.index, dtype=object)


def basis_options(regions: pd.DataFrame, metric_id: str) -> list[str]:
    """The bases a metric's figures use, the most used first ([] when it has none)."""
    if metric_id not in schema.regions_schema.columns:
        return []
    column = schema.column_meta(metric_id).get("basis_column")
    if not column:
        return []
    vocabulary = schema.column_meta(column)["vocabulary"]
    counts = regions.loc[regions[metric_id].notna(), column].value_counts()
    return sorted(counts.index, key=lambda b: (-counts[b], vocabulary.index(b)))


def default_window(
    regions: pd.DataFrame, metric_id: str, basis: str | None, current_year: int | None = None
) -> str:
    """The target year most provinces name on `basis`, among years not yet passed (the
    earlier on a tie; among all years when every one has passed); "all" for a metric
    without years."""
    meta = schema.column_meta(metric_id) if metric_id in schema.regions_schema.columns else {}
    column = meta.get("year_column")
    if not column:
        return "all"
    given = regions[regions[metric_id].notna() & regions[column].notna()]
    if basis is not None and meta.get("basis_column"):
        given = given[given[meta["basis_column"]] == basis]
    years = given[column].astype(int)
    ahead = years[years >= _year_now(current_year)]
    pool = ahead if len(ahead) else years
    if pool.empty:
        return "all"
    counts = pool.value_counts()
    return str(min(counts.index, key=lambda year: (-counts[year], year)))


def year_options(regions: pd.DataFrame, metric_id: str) -> list[str]:
    """Year windows of a dated metric: ahead, all, then each target year ([] if undated)."""
    if metric_id not in schema.regions_schema.columns:
        return []
    column = schema.column_meta(metric_id).get("year_column")
    if not column:
        return []
    years = sorted({int(y) for y in regions.loc[regions[metric_id].notna(), column].dropna()})
    return [*YEAR_WINDOWS, *(str(y) for y in years)]


def comparison_text(metric: Metric, lang: str, current_year: int | None = None) -> str:
    """What the coloured figures are, e.g. "targets for 2027; total computing power"."""
    if metric.states is None or metric.id == PLAN_DAYS:
        return ""
    parts = []
    if metric.id in schema.DATED_COLUMNS:
        if metric.window == "ahead":
            parts.append(t("window_ahead_text", lang, year=_year_now(current_year)))
        elif metric.window == "all":
            parts.append(t("window_all_text", lang))
        else:
            parts.append(t("window_year_text", lang, year=metric.window))
    if metric.basis is not None:
        parts.append(basis_label(metric.id, metric.basis, lang))
    return t("list_sep", lang).join(parts)


def figure_tag(metric: Metric, adcode: int, lang: str) -> str:
    """What travels with a figure: its year, and its basis when bases differ ("2030")."""
    parts = []
    if metric.years is not None and adcode in metric.years.index:
        year = metric.years.get(adcode)
        if year is not None and not pd.isna(year):
            parts.append(str(int(year)))
    if metric.bases is not None and metric.basis is None and adcode in metric.bases.index:
        value = metric.bases.get(adcode)
        if value is not None and not pd.isna(value):
            parts.append(basis_label(metric.id, str(value), lang))
    return " · ".join(parts)


def only(metric: Metric, adcodes: Iterable[int]) -> Metric:
    """The same metric restricted to some provinces (comparison sets are kept)."""
    keep = list(adcodes)

    def cut(series: pd.Series | None) -> pd.Series | None:
        return None if series is None else series.loc[keep]

    return replace(
        metric,
        values=metric.values.loc[keep],
        years=metric.years.loc[keep],
        shown=cut(metric.shown),
        bases=cut(metric.bases),
        states=cut(metric.states),
    )


def plan_response(adcodes: pd.Index, documents: pd.DataFrame | None) -> tuple[pd.Series, pd.Series]:
    """Days from the national "AI+" opinion to each province's first final "AI+" plan.

    A plan issued before the opinion does not answer it. A province with only a draft
    is "plan_draft", one whose plan has no known date "plan_undated"; one without any is
    "no_plan" (not found, never "none issued").
    """
    days = pd.Series(math.nan, index=adcodes, dtype=float)
    states = pd.Series("no_plan", index=adcodes, dtype=object)
    if documents is None or documents.empty:
        return days, states
    plans = response_plans(documents)
    for adcode, group in plans.groupby("adcode"):
        if adcode not in days.index:
            continue
        final = group[group["status"] == "final"]
        if final.empty:
            states[adcode] = "plan_draft"
            continue
        if final["days"].isna().all():
            states[adcode] = "plan_undated"
            continue
        days[adcode] = float(final["days"].min())
        states[adcode] = COMPARABLE
    return days, states


def response_plans(documents: pd.DataFrame) -> pd.DataFrame:
    """The "AI+" plans that answer the national opinion, with days after it.

    Undated plans are kept (days NA) when their title's period starts after the
    opinion's year (e.g. "2026—2028年"); otherwise they cannot be placed.
    """
    opinion = pd.Timestamp(schema.NATIONAL_OPINION_DATE)
    plans = documents[documents["kind"] == "ai_plus_plan"].copy()
    plans["date"] = issued_dates(plans["issued"])
    period = plans["title_zh"].str.extract(r"[（(](\d{4})", expand=False).astype("Float64")
    undated_after = plans["date"].isna() & (period > opinion.year).fillna(False)
    plans = plans[(plans["date"] >= opinion).fillna(False) | undated_after]
    plans["days"] = (plans["date"] - opinion).dt.days
    return plans


def plan_citations(documents: pd.DataFrame, lang: str) -> dict[int, str]:
    """Per province, its first "AI+" plan answering the opinion, as the hover names it."""
    plans = response_plans(documents).sort_values("date", na_position="last")
    first = plans.drop_duplicates("adcode")
    return {
        int(row.adcode): f"{row.title_zh} · {document_line(row, lang)}"
        for row in first.itertuples()
    }


def timeline_order(regions: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """Provinces in timeline order: by the date of their "AI+" plan answering the national
    opinion (earliest first), then those with only an undated plan or a draft, then those
    where none was found; ties by name. Columns: adcode, days, state.
    """
    days, states = plan_response(regions.set_index("adcode").index, documents)
    rank = {COMPARABLE: 0, "plan_undated": 1, "plan_draft": 2, "no_plan": 3}
    table = pd.DataFrame(
        {
            "adcode": days.index,
            "days": days.to_numpy(),
            "state": states.to_numpy(),
            "name": regions.set_index("adcode").loc[days.index, "name_en"].to_numpy(),
        }
    )
    table["_rank"] = table["state"].map(rank)
    ordered = table.sort_values(["_rank", "days", "name"], na_position="last")
    return ordered.drop(columns=["_rank", "name"]).reset_index(drop=True)


def filter_documents(
    documents: pd.DataFrame,
    regions: pd.DataFrame,
    kinds: Iterable[str] = (),
    groups: Iterable[str] = (),
) -> pd.DataFrame:
    """Documents of the chosen kinds (all when none) by provinces in the chosen groups."""
    kinds, groups = tuple(kinds), tuple(groups)
    keep = documents["kind"].isin(kinds) if kinds else pd.Series(True, index=documents.index)
    if groups:
        members = set(regions.loc[in_groups(regions, groups), "adcode"])
        keep &= documents["adcode"].isin(members)
    return documents[keep]


def issued_dates(issued: pd.Series) -> pd.Series:
    """YYYY-MM-DD or YYYY-MM as timestamps (a month alone counts as its first day; NaT
    when blank)."""
    padded = issued.where((issued.str.len() == 10).fillna(True), issued + "-01")
    return pd.to_datetime(padded, format="%Y-%m-%d", errors="coerce")


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


def classify(
    values: pd.Series, scheme: str, k: int = MAX_CLASSES, *, published: bool = False
) -> Classes:
    """Bin the known values with mapclassify; missing values get class -1.

    Few values get one class each (four funds are four classes, not two ranges). Ranges
    are labelled by their members' own lowest and highest value, so limits never
    overlap, never repeat and never start where no value is; a one-value class shows
    that value once. Equal intervals are about the bins themselves: every bin is kept,
    an empty one labelled as such. Natural breaks uses Fisher-Jenks, which is exact and
    deterministic (mapclassify's NaturalBreaks is k-means with random starts).
    Labels carry no unit: the legend's title does. `published` marks values as cited
    (not per resident or per GDP): a label that is a value then shows it as published
    (5.25, not 5.2); only computed bin limits are rounded.
    """
    shown = format_figure if published else format_number
    known = values.dropna().astype(float)
    class_of = pd.Series(-1, index=values.index, dtype=int)
    if known.empty:
        return Classes((), (), class_of)
    distinct = sorted(known.unique())
    if len(distinct) <= k:
        class_of[known.index] = [distinct.index(v) for v in known]
        return Classes(tuple(distinct), tuple(shown(v) for v in distinct), class_of)
    y = known.to_numpy()
    with warnings.catch_warnings():
        # Tied values can make mapclassify lower k itself; empty classes are handled below.
        warnings.simplefilter("ignore", UserWarning)
        binner = {
            "quantiles": mapclassify.Quantiles,
            "natural_breaks": mapclassify.FisherJenks,
            "equal_interval": mapclassify.EqualInterval,
        }[scheme if scheme in SCHEMES else "quantiles"](y, k=k)
    bins = [float(b) for b in binner.bins]
    yb = np.asarray(binner.yb)
    if scheme == "equal_interval":
        lows = [float(y.min()), *bins[:-1]]
        labels = tuple(
            f"{format_number(low)} – {format_number(high)}"
            + ("" if (yb == i).any() else f" ({t('empty_class')})")
            for i, (low, high) in enumerate(zip(lows, bins, strict=True))
        )
        class_of[known.index] = yb
        return Classes(tuple(bins), labels, class_of)
    used = sorted(set(int(c) for c in yb))
    labels = []
    for c in used:
        members = y[yb == c]
        low, high = shown(members.min()), shown(members.max())
        labels.append(low if low == high else f"{low} – {high}")
    remap = {old: new for new, old in enumerate(used)}
    class_of[known.index] = [remap[int(c)] for c in yb]
    return Classes(tuple(float(y[yb == c].max()) for c in used), tuple(labels), class_of)


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


def summarise_groups(regions: pd.DataFrame, documents: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per group: size, funds and subsidies, hubs, and the "AI+" plans issued.

    Only like figures are aggregated: funds and subsidy caps have no year; targets are
    summarised by `like_targets`, never summed across years.
    """
    days, _ = plan_response(regions.set_index("adcode").index, documents)
    rows = []
    for group in schema.GROUPS:
        mask = group_mask(regions, group)
        members = regions[mask]
        plan_days = days.loc[members["adcode"]].dropna()
        # Money is summarised per kind and level from the instruments (`instruments.
        # kind_medians`): never a sum, never one kind beside another.
        rows.append(
            {
                "group": group,
                "provinces": len(members),
                "hubs": int(members["compute_hub"].sum()),
                "with_plan": len(plan_days),
                "plan_days_median": plan_days.median() if len(plan_days) else math.nan,
            }
        )
    return pd.DataFrame(rows).set_index("group")


@dataclass(frozen=True)
class LikeTargets:
    """The targets that compare across groups: one basis and one year for all groups."""

    column: str
    basis: str | None
    year: int
    medians: pd.Series  # per group, NaN when no member has such a target
    counts: pd.Series  # per group


def like_targets(regions: pd.DataFrame, column: str) -> LikeTargets | None:
    """Group medians of a target over its most common (basis, year) pair nationally."""
    meta = schema.column_meta(column)
    given = regions[regions[column].notna() & regions[meta["year_column"]].notna()]
    if given.empty:
        return None
    keys = [meta["year_column"]] + ([meta["basis_column"]] if meta.get("basis_column") else [])
    pairs = given.groupby(keys, dropna=False).size().sort_values(ascending=False, kind="stable")
    top = pairs.index[0] if isinstance(pairs.index[0], tuple) else (pairs.index[0],)
    like = given
    for key, value in zip(keys, top, strict=True):
        like = like[like[key] == value]
    medians, counts = {}, {}
    for group in schema.GROUPS:
        values = like.loc[group_mask(like, group), column].astype(float)
        medians[group] = values.median() if len(values) else math.nan
        counts[group] = len(values)
    return LikeTargets(
        column,
        str(top[1]) if len(top) > 1 else None,
        int(top[0]),
        pd.Series(medians),
        pd.Series(counts),
    )


def statistic_text(value: float, column: str, lang: str) -> str:
    """A group statistic in the unit of `column`, as a reader writes it (1 亿元, not
    10,000 万元); a dash when no member publishes it."""
    if pd.isna(value):
        return "—"
    shown = float(value) * schema.column_scale(column, lang)
    return amount_text(round(shown, 9), schema.column_unit(column, lang), lang)


def like_target_lines(targets: list[LikeTargets], group: str, lang: str) -> list[tuple[str, str]]:
    """(label, value) of each target's median in `group` over like figures only, saying
    which figures; a lone figure is not called a median, and a target no member has on
    the common basis and year is left out (the caller says so once)."""
    lines = []
    for like in targets:
        count = int(like.counts[group])
        if count == 0:
            continue
        what = in_sentence(schema.column_label(like.column, lang), lang)
        basis = (
            f"{t('list_sep', lang)}{basis_label(like.column, like.basis, lang)}"
            if like.basis
            else ""
        )
        key = "like_median" if count >= 2 else "like_single"
        label = t(key, lang, n=count, what=what, year=like.year, basis=basis)
        lines.append((label, statistic_text(like.medians[group], like.column, lang)))
    return lines


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


@dataclass(frozen=True)
class Ranked:
    """One ranked figure as every ranking shows it, first-ranked first."""

    adcode: int
    value: float
    rank: int  # within its year when the ranking spans several years
    text: str  # "200 · 2027", "50 · the only one for 2030", "60 · #1 of 3 in 2027"


def ranked_figures(
    metric: Metric, lang: str, within: Collection[int] | None = None
) -> list[Ranked]:
    """The comparable figures of `metric` (among `within`) in ranking order: the one
    ranking that the app's bars and the published edition both draw. When the figures
    span several target years they are grouped by year and ranked within it, never
    across years."""
    known = metric.values.dropna()
    if within is not None:
        known = known[known.index.isin(list(within))]
    years = metric.years.reindex(known.index)
    by_year = bool(years.notna().any() and years.nunique(dropna=True) > 1)
    order = pd.DataFrame({"value": known, "year": years.astype("Float64")}).sort_values(
        ["year", "value"] if by_year else ["value"],
        ascending=[True, not metric.higher_first] if by_year else [not metric.higher_first],
        na_position="last",
    )
    known = known.loc[order.index]
    signed = known if metric.higher_first else -known
    ranks = ranking(signed)
    items = []
    for adcode, value in known.items():
        tag = figure_tag(metric, adcode, lang)
        rank = int(ranks[adcode])
        if by_year and pd.notna(years.get(adcode)):
            year = int(years[adcode])
            peers = signed[years == year]
            rank = int(ranking(peers)[adcode])
            tag = (
                t("rank_in_year", lang, rank=rank, n=len(peers), year=year)
                if len(peers) > 1
                else t("only_in_year", lang, year=year)
            )
        number = format_value(value, metric.per == "none")
        text = " · ".join(part for part in (number, tag) if part)
        items.append(Ranked(int(adcode), float(value), rank, text))
    return items


def ranking(values: pd.Series) -> pd.Series:
    """Rank 1 = largest; provinces without a figure get no rank (NA)."""
    return values.rank(ascending=False, method="min").astype("Int64")


# --- one province --------------------------------------------------------------------


def figure_text(figure: pd.Series | object, lang: str) -> str:
    """A panel's figure with what travels with it: "50 EFLOPS · total computing power ·
    by 2030 (target year passed)"."""
    parts = [f"{figure.value} {figure.unit}".strip()]
    if figure.basis:
        parts.append(figure.basis)
    if figure.year:
        year = t("target_year", lang, year=figure.year)
        parts.append(f"{year} ({t('target_passed', lang)})" if figure.passed else year)
    return " · ".join(parts)


def province_documents(documents: pd.DataFrame, adcode: int) -> pd.DataFrame:
    """One province's documents, newest first."""
    rows = documents[documents["adcode"] == adcode]
    return (
        rows.assign(_date=issued_dates(rows["issued"]))
        .sort_values("_date", ascending=False)
        .drop(columns="_date")
    )


def document_title(document: pd.Series | object, lang: str) -> str:
    """The title as issued; in English its translation first, the original beside it."""
    if lang == "zh":
        return str(document.title_zh)
    return f"{document.title_en} ({document.title_zh})"


def document_issuer(document: pd.Series | object, lang: str) -> str | None:
    """The issuer in the reader's language: its English name in English where the data
    has one (a reader of English meets no Chinese-only issuer), else as published."""
    english = getattr(document, "issuer_en", None)
    if lang == "en" and isinstance(english, str) and english:
        return english
    issuer = getattr(document, "issuer", None)
    return issuer if isinstance(issuer, str) and issuer else None


def document_line(document: pd.Series | object, lang: str) -> str:
    """ "AI+ plan (draft) · 苏政发〔2025〕108号 · 2025-12-18 · 江苏省人民政府 · grade: official"."""
    kind = kind_label(document.kind, lang)
    if document.status == "draft":
        kind = t("qualified", lang, text=kind, note=t("status_draft", lang))
    if (
        document.kind == "ai_plus_plan"
        and isinstance(document.issued, str)
        and document.issued < schema.NATIONAL_OPINION_DATE
    ):
        kind = t("qualified", lang, text=kind, note=t("before_opinion", lang))
    issued = document.issued if isinstance(document.issued, str) else t("date_unknown", lang)
    parts = [kind, document.doc_number, issued, document_issuer(document, lang)]
    parts.append(f"{t('grade', lang)}: {grade_label(document.grade, lang)}")
    return " · ".join(str(part) for part in parts if isinstance(part, str) and part)


def province_figures(
    regions: pd.DataFrame,
    citations: pd.DataFrame,
    adcode: int,
    lang: str,
    current_year: int | None = None,
) -> pd.DataFrame:
    """Every target of one province with its rank among like figures and best citation.

    A dated figure is ranked only among figures of the same basis and the same year
    ("rank 3 of 9 with a target for 2027 on total computing power"). Blank figures stay
    in the table as "no published figure" so readers see the gap.
    """
    by_adcode = regions.set_index("adcode")
    row = by_adcode.loc[adcode]
    year_now = _year_now(current_year)
    records = []
    # Money is listed by instrument (`instruments.instrument_lines`), kind by kind.
    for column in schema.TARGET_COLUMNS:
        meta = schema.column_meta(column)
        value = row[column]
        known = pd.notna(value)
        year = row[meta["year_column"]] if meta["year_column"] else pd.NA
        basis = row[meta["basis_column"]] if meta.get("basis_column") else pd.NA
        citation = citations.loc[(adcode, column)] if (adcode, column) in citations.index else None
        records.append(
            {
                "column": column,
                "figure": schema.column_label(column, lang),
                "value": (
                    format_figure(float(value) * schema.column_scale(column, lang))
                    if known
                    else t("no_figure", lang)
                ),
                "unit": schema.column_unit(column, lang) if known else "",
                "year": str(int(year)) if known and pd.notna(year) else "",
                "basis": basis_label(column, basis, lang) if known and pd.notna(basis) else "",
                "passed": bool(known and pd.notna(year) and int(year) < year_now),
                "rank": like_rank(by_adcode, column, adcode, lang) if known else "",
                "progress": _progress(row, column, lang) if known else "",
                "citation": "" if citation is None else citation_line(citation, lang),
                "url": "" if citation is None else citation["url"],
            }
        )
    return pd.DataFrame(records)


def like_rank(by_adcode: pd.DataFrame, column: str, adcode: int, lang: str) -> str:
    """A figure's national rank among figures of the same basis and year."""
    meta = schema.column_meta(column)
    if meta.get("year_column") and pd.isna(by_adcode.at[adcode, meta["year_column"]]):
        return t("unranked_no_year", lang)
    peers = by_adcode[column].notna()
    what = []
    for part in ("basis_column", "year_column"):
        if meta.get(part):
            own = by_adcode.at[adcode, meta[part]]
            peers &= (by_adcode[meta[part]] == own).fillna(False).astype(bool)
    ranks = ranking(by_adcode.loc[peers, column].astype(float))
    if not meta.get("year_column"):
        if len(ranks) == 1:  # "rank 1 of 1" is no rank
            return t("only_one", lang)
        return t("rank_of", lang, rank=int(ranks[adcode]), n=len(ranks))
    year = int(by_adcode.at[adcode, meta["year_column"]])
    if meta.get("basis_column"):
        what.append(basis_label(column, by_adcode.at[adcode, meta["basis_column"]], lang))
    basis = t("on_basis", lang, basis=what[0]) if what else ""
    if len(ranks) == 1:
        return t("only_like", lang, year=year, basis=basis)
    return t(
        "rank_like",
        lang,
        rank=int(ranks[adcode]),
        n=len(ranks),
        year=year,
        basis=basis,
    )


def _progress(row: pd.Series, column: str, lang: str) -> str:
    """Computing power in operation beside the target, only when both count the same."""
    if column != "compute_target_eflops" or pd.isna(row["compute_reached_eflops"]):
        return ""
    if row["compute_reached_basis"] != row["compute_target_basis"]:
        return ""
    return t(
        "in_operation",
        lang,
        value=format_figure(float(row["compute_reached_eflops"])),
        year=int(row["compute_reached_year"]),
        share=format_number(100 * row["compute_reached_eflops"] / row["compute_target_eflops"]),
    )
