"""What the map can show and what each thing is called: metric ids, titles, menu names.

A chart title names a metric in full ("Focus track: Cross-border intelligent logistics");
the map's picker names it in a width a sidebar can hold (`menu_label`), because the
picker's chosen value is an `<input>`, which cuts long text instead of wrapping it.
"""

from __future__ import annotations

import pandas as pd

from dashboard import schema
from dashboard.i18n import t

TRACK_PREFIX = "track:"
TRACK_COUNT = "track_count"
PLAN_DAYS = "ai_plus_plan_days"


def metric_ids(tracks: pd.DataFrame) -> list[str]:
    """Every metric the map can show, in menu order."""
    return [
        *schema.FIGURE_COLUMNS,
        PLAN_DAYS,
        TRACK_COUNT,
        *(f"{TRACK_PREFIX}{track}" for track in tracks["track"]),
    ]


def metric_label(metric_id: str, tracks: pd.DataFrame, lang: str) -> str:
    """What a metric is called in chart titles (without its unit)."""
    if metric_id.startswith(TRACK_PREFIX):
        track = metric_id.removeprefix(TRACK_PREFIX)
        return f"{t('track_prefix', lang)}: {track_label(tracks, track, lang)}"
    if metric_id in (TRACK_COUNT, PLAN_DAYS):
        return t(metric_id, lang)
    return schema.column_label(metric_id, lang)


def menu_label(metric_id: str, tracks: pd.DataFrame, lang: str) -> str:
    """What a metric is called in the map's picker: its title, short enough to be read whole.

    No unit (the map's title and key carry it), "Track:" for "Focus track:", and the one
    long title given its short name. tests/test_browser_view.py measures each in the picker.
    """
    if metric_id.startswith(TRACK_PREFIX):
        track = metric_id.removeprefix(TRACK_PREFIX)
        return f"{t('track_menu_prefix', lang)}{track_label(tracks, track, lang)}"
    if metric_id == PLAN_DAYS:
        return t("ai_plus_plan_days_menu", lang)
    return metric_label(metric_id, tracks, lang)


def basis_label(metric_id: str, basis: str, lang: str) -> str:
    """A basis in words, e.g. "total computing power" or "core AI industry"."""
    family = "compute" if metric_id.startswith("compute") else "industry"
    return t(f"basis_{family}_{basis}", lang)


def track_label(tracks: pd.DataFrame, track: str, lang: str) -> str:
    """A track's label in `lang`, or its id when tracks.csv does not know it."""
    # A dict of 37 pairs, not a boolean row mask: a tenth of the time, and pages name
    # tracks one by one.
    column = "label_zh" if lang == "zh" else "label_en"
    labels = dict(zip(tracks["track"], tracks[column], strict=True))
    return str(labels.get(track, track))
