"""Menu names: each metric named once, distinctly, in both languages."""

from __future__ import annotations

import pytest

from dashboard import metric_names, schema
from dashboard.metric_names import menu_label, metric_ids, metric_label


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_menu_names_are_distinct_and_shorter_titles(dataset, lang) -> None:
    ids = metric_ids(dataset.tracks)
    names = [menu_label(m, dataset.tracks, lang) for m in ids]
    assert len(set(names)) == len(ids), "a reader tells every choice apart"
    for metric_id, name in zip(ids, names, strict=True):
        assert name, metric_id
        title = metric_label(metric_id, dataset.tracks, lang)
        assert len(name) <= len(title), metric_id
        if metric_id in schema.FIGURE_COLUMNS:
            assert name == title, "no unit: the map's title and key carry it"


def test_track_and_plan_days_get_their_short_names(dataset) -> None:
    track = dataset.tracks.iloc[0]
    metric_id = f"{metric_names.TRACK_PREFIX}{track['track']}"
    assert menu_label(metric_id, dataset.tracks, "en") == f"Track: {track['label_en']}"
    assert menu_label(metric_id, dataset.tracks, "zh") == f"赛道：{track['label_zh']}"
    assert menu_label(metric_names.PLAN_DAYS, dataset.tracks, "en") == "Days to the AI+ plan"
