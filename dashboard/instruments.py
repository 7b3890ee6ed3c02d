"""Money instruments: funds, subsidy caps, awards and vouchers, each of one kind and level.

`instruments.csv` holds one cited row per instrument (`schema.instruments_schema`). Money
is compared only with money of the same kind: a fund's size with funds, a per-project
cap with per-project caps. A city's instrument is never added into its province's: the
province view of a kind (`province_view`) takes provincial-level rows only, and city,
district and zone rows are drawn and listed beside it, at their place.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from dashboard import schema
from dashboard.formatting import amount_text as format_amount
from dashboard.formatting import format_figure
from dashboard.i18n import t
from dashboard.sourcing import citation_line

LEVEL_CHOICES: tuple[str, ...] = ("both", "province", "local")
LOCAL_LEVELS: tuple[str, ...] = tuple(
    level for level, oecd in schema.INSTRUMENT_LEVELS.items() if oecd == "local"
)
_STATUS_ORDER = {"final": 0, "draft": 1}


def is_kind(metric_id: str) -> bool:
    return metric_id in schema.INSTRUMENT_KINDS


def provincial(instruments: pd.DataFrame) -> pd.DataFrame:
    return instruments[instruments["level"] == "province"]


def local(instruments: pd.DataFrame) -> pd.DataFrame:
    return instruments[instruments["level"].isin(LOCAL_LEVELS)]


def chosen_provincial(instruments: pd.DataFrame) -> pd.DataFrame:
    """The provincial instrument that stands for each (province, kind): final before
    draft, then the largest amount, then the most recent source, then the id."""
    rows = provincial(instruments).assign(
        _status=lambda f: f["status"].map(_STATUS_ORDER),
    )
    ranked = rows.sort_values(
        ["adcode", "kind", "_status", "amount", "published", "id"],
        ascending=[True, True, True, False, False, True],
    )
    return ranked.drop_duplicates(["adcode", "kind"]).drop(columns="_status")


def province_view(instruments: pd.DataFrame, adcodes: Iterable[int]) -> pd.DataFrame:
    """One column per kind, one row per province: the amount of its chosen provincial
    instrument, blank where it has none (never 0)."""
    chosen = chosen_provincial(instruments)
    wide = chosen.pivot(index="adcode", columns="kind", values="amount")
    index = pd.Index(list(adcodes), name="adcode")
    return wide.reindex(index=index, columns=list(schema.INSTRUMENT_KINDS)).astype(float)


def citation_rows(instruments: pd.DataFrame) -> pd.DataFrame:
    """The chosen provincial instruments as citations in sources.csv's shape, so that
    panels, exports and the screener cite a money figure like any other figure."""
    chosen = chosen_provincial(instruments)
    return pd.DataFrame(
        {
            "row": chosen["row"],
            "adcode": chosen["adcode"],
            "field": chosen["kind"],
            "value_as_stated": chosen["wording"],
            "source_title": chosen["source_title"],
            "publisher": chosen["publisher"],
            "url": chosen["url"],
            "published": chosen["published"],
            "quote": chosen["quote"],
            "grade": chosen["grade"],
            "note": chosen["note"],
            "document": chosen["document"],
        }
    ).reset_index(drop=True)


def of_kind(instruments: pd.DataFrame, kind: str, level: str = "both") -> pd.DataFrame:
    """The instruments of one kind at the levels a view shows ("both", "province" or
    "local"), largest first."""
    rows = instruments[instruments["kind"] == kind]
    if level == "province":
        rows = provincial(rows)
    elif level == "local":
        rows = local(rows)
    return rows.sort_values(["amount", "id"], ascending=[False, True])


@dataclass(frozen=True)
class Circles:
    """Proportional circles for local instruments: area proportional to amount."""

    rows: pd.DataFrame  # the instruments drawn, with lon, lat and diameter columns
    unplaced: pd.DataFrame  # instruments whose place has no position: listed, not drawn
    reference: tuple[float, ...]  # amounts drawn in the legend's key circles


def circle_diameters(amounts: pd.Series, max_diameter: float, largest: float) -> pd.Series:
    """Diameters whose areas are proportional to the amounts (the largest amount gets
    `max_diameter`); a floor keeps a small amount visible and clickable."""
    if largest <= 0:
        raise ValueError("the largest amount must be positive")
    scaled = amounts.astype(float).map(lambda a: max_diameter * math.sqrt(a / largest))
    return scaled.clip(lower=max(4.0, max_diameter * 0.12))


def place_circles(rows: pd.DataFrame, places: pd.DataFrame, max_diameter: float = 44.0) -> Circles:
    """Position each local instrument at its place (`places` indexed by place adcode with
    lon, lat) and size it; several instruments of one place are drawn largest first."""
    positioned = rows.join(places[["lon", "lat"]], on="place_adcode")
    placed = positioned[positioned["lon"].notna()].sort_values("amount", ascending=False)
    unplaced = positioned[positioned["lon"].isna()].drop(columns=["lon", "lat"])
    if placed.empty:
        return Circles(placed.assign(diameter=pd.Series(dtype=float)), unplaced, ())
    largest = float(placed["amount"].max())
    placed = placed.assign(diameter=circle_diameters(placed["amount"], max_diameter, largest))
    return Circles(placed, unplaced, key_amounts(largest))


def key_amounts(largest: float) -> tuple[float, ...]:
    """Two or three round amounts for the circles' key, the largest not above `largest`."""
    top = 10 ** math.floor(math.log10(largest))
    for step in (5, 2, 1):
        if step * top <= largest:
            top *= step
            break
    candidates = [top, top / 5, top / 25]
    return tuple(value for value in candidates if value > 0)


# --- screening ------------------------------------------------------------------------


@dataclass(frozen=True)
class MoneyScreen:
    """Which instruments count: a range per kind (kind, low, high, in stored units), the
    levels, and official sources only. A province qualifies when, for every kind with a
    range, it or any of its cities has an instrument of that kind in the range."""

    ranges: tuple[tuple[str, float, float], ...] = ()
    level: str = "both"
    official_only: bool = False


def matching_instruments(instruments: pd.DataFrame, criteria: MoneyScreen) -> pd.DataFrame:
    """The instruments that meet a criterion of the screen (by kind range, level, grade)."""
    rows = instruments
    if criteria.level == "province":
        rows = provincial(rows)
    elif criteria.level == "local":
        rows = local(rows)
    if criteria.official_only:
        rows = rows[rows["grade"] == "official"]
    if not criteria.ranges:
        return rows
    keep = pd.Series(False, index=rows.index)
    for kind, low, high in criteria.ranges:
        keep |= (rows["kind"] == kind) & rows["amount"].between(low, high)
    return rows[keep]


def qualifying_provinces(instruments: pd.DataFrame, criteria: MoneyScreen) -> set[int] | None:
    """Provinces that meet every kind's range through any of their instruments; None when
    the screen asks nothing about money (every province passes this part)."""
    if not criteria.ranges:
        return None
    matching = matching_instruments(instruments, criteria)
    kinds_met = matching.groupby("adcode")["kind"].unique()
    wanted = {kind for kind, _, _ in criteria.ranges}
    return {int(adcode) for adcode, kinds in kinds_met.items() if wanted <= set(kinds)}


# --- summaries ------------------------------------------------------------------------


def coverage(instruments: pd.DataFrame) -> pd.DataFrame:
    """Instruments and provinces per kind and level (rows: kinds in vocabulary order)."""
    levels = list(schema.INSTRUMENT_LEVELS)
    counts = (
        instruments.groupby(["kind", "level"]).size().unstack(fill_value=0)
        .reindex(index=list(schema.INSTRUMENT_KINDS), columns=levels, fill_value=0)
    )  # fmt: skip
    provinces = instruments.groupby("kind")["adcode"].nunique().reindex(counts.index, fill_value=0)
    return counts.assign(total=counts.sum(axis=1), provinces=provinces)


def kind_medians(instruments: pd.DataFrame, adcodes: Iterable[int]) -> pd.DataFrame:
    """Per kind and level (province, or local), the number of instruments of the given
    provinces and their median amount: money is never summed across kinds or levels."""
    rows = instruments[instruments["adcode"].isin(list(adcodes))].assign(
        tier=lambda f: f["level"].where(f["level"] == "province", "local")
    )
    grouped = rows.groupby(["kind", "tier"])["amount"]
    table = pd.DataFrame({"count": grouped.size(), "median": grouped.median()}).reset_index()
    order = {kind: i for i, kind in enumerate(schema.INSTRUMENT_KINDS)}
    return table.sort_values(
        ["kind", "tier"], key=lambda s: s.map(order) if s.name == "kind" else s
    ).reset_index(drop=True)


def in_reading_order(instruments: pd.DataFrame) -> pd.DataFrame:
    """Instruments grouped by kind (vocabulary order), provincial first, then by place,
    largest first within a place; a stable sort, so a caller may group by province after."""
    order = {kind: i for i, kind in enumerate(schema.INSTRUMENT_KINDS)}
    return (
        instruments.assign(
            _kind=instruments["kind"].map(order),
            _local=(instruments["level"] != "province").astype(int),
            _place=instruments["place_en"].fillna(""),
        )
        .sort_values(["_kind", "_local", "_place", "amount"], ascending=[True, True, True, False])
        .drop(columns=["_kind", "_local", "_place"])
    )


def province_instruments(instruments: pd.DataFrame, adcode: int) -> pd.DataFrame:
    """A province's instruments in reading order (`in_reading_order`)."""
    return in_reading_order(instruments[instruments["adcode"] == adcode])


# --- words ----------------------------------------------------------------------------


def kind_name(kind: str, lang: str) -> str:
    spec = schema.INSTRUMENT_KINDS[kind]
    return spec.label_zh if lang == "zh" else spec.label_en


def amount_text(kind: str, amount: float, lang: str) -> str:
    """ "20 bn yuan", "200 亿元": the amount as published, in the reader's unit."""
    shown = float(amount) * schema.column_scale(kind, lang)
    return format_amount(shown, schema.column_unit(kind, lang), lang)


def place_text(row: pd.Series | object, lang: str) -> str:
    """ "Hefei (city)", "合肥市（市级）"; a provincial row is the province itself."""
    level = row.level
    if level == "province":
        return t("province_itself", lang)
    place = getattr(row, "place_zh" if lang == "zh" else "place_en")
    return t("qualified", lang, text=place, note=t(f"level_{level}", lang))


def terms_of(row: object, lang: str) -> list[str]:
    """What travels with an amount: share of cost, the year in force, draft."""
    terms = []
    if pd.notna(row.share_pct):
        terms.append(t("share_of_cost", lang, share=format_figure(row.share_pct)))
    terms.append(t("from_year", lang, year=int(row.year)))
    if row.status == "draft":
        terms.append(t("status_draft_short", lang))
    return terms


def instrument_lines(instruments: pd.DataFrame, adcode: int, lang: str) -> pd.DataFrame:
    """One line per instrument of a province, grouped by kind, provincial first: what a
    panel, a brief and the comparison list (kind, place, amount, terms, citation)."""
    rows = province_instruments(instruments, adcode)
    records = []
    for row in rows.itertuples():
        records.append(
            {
                "id": row.id,
                "kind": row.kind,
                "kind_label": kind_name(row.kind, lang),
                "level": row.level,
                "place": place_text(row, lang),
                "amount": amount_text(row.kind, row.amount, lang),
                "terms": " · ".join(terms_of(row, lang)),
                "wording": row.wording,
                "citation": citation_line(row._asdict(), lang),
                "title": row.source_title,
                "url": row.url,
                "quote": row.quote,
            }
        )
    columns = ["id", "kind", "kind_label", "level", "place", "amount", "terms", "wording",
               "citation", "title", "url", "quote"]  # fmt: skip
    return pd.DataFrame(records, columns=columns)


def coverage_table(instruments: pd.DataFrame, lang: str) -> pd.DataFrame:
    """`coverage` with the reader's labels: kind, its Oslo type, counts per level."""
    table = coverage(instruments)
    labelled = pd.DataFrame(
        {
            t("kind", lang): [kind_name(kind, lang) for kind in table.index],
            t("oslo_type", lang): [
                schema.OSLO_TYPES[schema.INSTRUMENT_KINDS[kind].oslo][1 if lang == "zh" else 0]
                for kind in table.index
            ],
        }
    )
    for level in schema.INSTRUMENT_LEVELS:
        labelled[t(f"level_{level}", lang)] = table[level].to_numpy()
    labelled[t("total", lang)] = table["total"].to_numpy()
    labelled[t("provinces", lang)] = table["provinces"].to_numpy()
    return labelled


def group_money_table(
    instruments: pd.DataFrame, members: dict[str, frozenset[int]], lang: str
) -> pd.DataFrame:
    """Kinds by level (rows) against groups (columns): the median amount and how many
    instruments it is the median of ("10 bn yuan (median of 3)"), the amount alone when
    there is one, blank when none. Never a sum, never two kinds or levels in one cell."""
    cells: dict[str, dict[tuple[str, str], str]] = {}
    for group, adcodes in members.items():
        table = kind_medians(instruments, adcodes)
        column = {}
        for row in table.itertuples():
            amount = amount_text(row.kind, row.median, lang)
            column[(row.kind, row.tier)] = (
                t("median_of", lang, amount=amount, n=row.count) if row.count >= 2 else amount
            )
        cells[group] = column
    rows = [
        (kind, tier)
        for kind in schema.INSTRUMENT_KINDS
        for tier in ("province", "local")
        if any((kind, tier) in column for column in cells.values())
    ]
    frame = pd.DataFrame(
        {
            t(f"group_{group}", lang): [column.get(row, "—") for row in rows]
            for group, column in cells.items()
        },
        index=pd.Index(
            [f"{kind_name(kind, lang)} · {t(f'tier_{tier}', lang)}" for kind, tier in rows]
        ),
    )
    return frame
