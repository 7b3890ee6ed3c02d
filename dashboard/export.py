"""The one CSV writer of every download a user makes from a view.

A download is read by people, mostly in Excel on Chinese Windows: UTF-8 with a byte-order
mark (else Excel guesses GBK and garbles every name), headers and labels in the chosen
language, yes/no instead of true/false, track names instead of ids, and beside every
figure its year, basis and the citation that stands for it, quote included.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from dashboard import schema
from dashboard.data import Dataset, split_tracks
from dashboard.formatting import format_figure
from dashboard.i18n import grade_label, group_label, t
from dashboard.metric_names import basis_label, track_label

_CITATION_PARTS = ("publisher", "published", "grade", "url", "quote")


def figures_frame(
    provinces: pd.DataFrame,
    data: Dataset,
    lang: str,
    figures: Iterable[str] = schema.FIGURE_COLUMNS,
) -> pd.DataFrame:
    """One row per province: labels, every figure with its year and basis, and its source."""
    name = "name_zh" if lang == "zh" else "name_en"
    yes, no = t("yes", lang), t("no", lang)
    columns: dict[str, Any] = {
        t("province", lang): list(provinces[name]),
        t("region", lang): [group_label(r, lang) for r in provinces["region"]],
        t("border", lang): [yes if b else no for b in provinces["border"]],
        t("compute_hub", lang): [yes if h else no for h in provinces["compute_hub"]],
    }
    for column in figures:
        meta = schema.column_meta(column)
        label = schema.column_label(column, lang)
        values = provinces[column]
        scale = schema.column_scale(column, lang)
        # Rounded to 9 places: the figure as published, without the float noise that
        # scaling leaves (22.501 x 10 = 225.01000000000002); years stay whole numbers.
        columns[f"{label} ({schema.column_unit(column, lang)})"] = [
            None if pd.isna(v) else round(float(v) * scale, 9) for v in values
        ]
        if meta.get("year_column"):
            columns[schema.column_label(meta["year_column"], lang)] = pd.array(
                [None if pd.isna(y) else int(y) for y in provinces[meta["year_column"]]],
                dtype="Int64",
            )
        if meta.get("basis_column"):
            columns[schema.column_label(meta["basis_column"], lang)] = [
                None if pd.isna(b) else basis_label(column, b, lang)
                for b in provinces[meta["basis_column"]]
            ]
        # One lookup table per figure: row-by-row MultiIndex lookups cost ~0.2 ms each.
        cited = (
            data.citations.xs(column, level="field")
            if column in data.citations.index.get_level_values("field")
            else data.citations.iloc[:0].droplevel("field")
        )
        for part in _CITATION_PARTS:
            by_adcode = cited[part].to_dict()
            cells = [
                None if pd.isna(value) or adcode not in by_adcode else by_adcode[adcode]
                for adcode, value in zip(provinces["adcode"], values, strict=True)
            ]
            if part == "grade":
                cells = [None if c is None else grade_label(c, lang) for c in cells]
            columns[f"{label}: {t('cite_' + part, lang)}"] = cells
    labels = {track: track_label(data.tracks, track, lang) for track in data.tracks["track"]}
    columns[t("focus_tracks", lang)] = [
        "; ".join(labels.get(track, track) for track in split_tracks(v))
        for v in provinces["focus_tracks"]
    ]
    return pd.DataFrame(columns)


def for_display(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame as text for a table on screen: numbers as the legends write them and a
    blank as "—" (Streamlit would print "None", and a mixed column will not serialise)."""
    shown = {}
    for name, column in frame.items():
        cells = column.tolist()
        if all(v is None or isinstance(v, int | float) for v in cells):
            shown[name] = ["—" if pd.isna(v) else format_figure(float(v)) for v in cells]
        else:
            shown[name] = ["—" if v is None or v is pd.NA or v != v else str(v) for v in cells]
    return pd.DataFrame(shown, index=frame.index)


def csv_bytes(frame: pd.DataFrame, about: str | None = None) -> bytes:
    """CSV as Excel on any locale opens it: UTF-8 with a byte-order mark, blank = blank.

    `about` (the data date, the filters, the source) goes on a first line of its own,
    marked "#", so the file says what it is wherever it travels; the header follows.
    """
    body = frame.to_csv(index=False, lineterminator="\r\n")
    if about:
        body = "# " + " ".join(about.split()) + "\r\n" + body
    return body.encode("utf-8-sig")


def download_name(stem: str, filters: Mapping[str, str | None], today: str) -> str:
    """ "screener-2026-12-01-fund10-30-tracksembodied_ai.csv": what and when, from the view."""
    parts = [stem, today]
    for key, value in filters.items():
        if value:
            parts.append(re.sub(r"[^A-Za-z0-9_.-]+", "_", f"{key}{value}")[:40])
    return "-".join(parts) + ".csv"
