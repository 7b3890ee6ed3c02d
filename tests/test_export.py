"""The CSV writer: opens in Excel on Chinese Windows, labels not ids, every figure cited."""

from __future__ import annotations

import csv
import io

from dashboard import export, schema
from dashboard.data import Dataset


def test_csv_starts_with_a_bom_and_reads_back(dataset: Dataset) -> None:
    frame = export.figures_frame(dataset.regions, dataset, "zh")
    raw = export.csv_bytes(frame)
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the byte-order mark to read UTF-8"
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 31 and rows[0]["省份"] == "北京市"


def test_every_figure_in_the_csv_has_its_citation_and_quote(dataset: Dataset) -> None:
    frame = export.figures_frame(dataset.regions, dataset, "en")
    for column in schema.FIGURE_COLUMNS:
        label = schema.column_label(column, "en")
        values = frame[f"{label} ({schema.column_unit(column, 'en')})"]
        for part in ("source", "link", "quote"):
            cited = frame[f"{label}: {part}"]
            assert (cited.notna() == values.notna()).all(), f"{column}: every figure, no blank"


def test_labels_not_ids_years_and_bases(dataset: Dataset) -> None:
    frame = export.figures_frame(dataset.regions, dataset, "en").set_index("Province")
    assert set(frame["Land border"]) == {"yes", "no"}
    assert (
        frame.at["Zhejiang", "Computing-power target basis"] == "computing services (cloud) scale"
    )
    assert frame.at["Jiangsu", "Computing-power target year"] == 2030
    anhui = frame.at["Anhui", "Focus tracks"].split("; ")
    assert "Robotics & embodied AI" in anhui and "embodied_ai" not in anhui, "labels, not ids"
    chinese = export.figures_frame(dataset.regions, dataset, "zh")
    assert "陆地边境" in chinese.columns and set(chinese["陆地边境"]) == {"是", "否"}


def test_download_name_says_what_and_when() -> None:
    name = export.download_name(
        "screener", {"fund": "10-30", "tracks": "embodied_ai,chips", "groups": None}, "2026-12-01"
    )
    assert name == "screener-2026-12-01-fund10-30-tracksembodied_ai_chips.csv"


def test_display_frame_is_text_with_dashes_for_blanks(dataset: Dataset) -> None:
    shown = export.for_display(export.figures_frame(dataset.regions, dataset, "en"))
    column = shown["AI industry fund (bn yuan)"]
    # Shanghai's 225.01亿元 fund as published (22.501 bn yuan), not rounded to 22.5.
    assert set(column) >= {"—", "20", "22.501"} and "None" not in set(column)
    assert all(isinstance(v, str) for v in column)


def test_csv_about_line_says_what_the_file_is_and_the_table_still_reads(dataset: Dataset) -> None:
    frame = export.figures_frame(dataset.regions, dataset, "zh")
    raw = export.csv_bytes(frame, about="Data as of 2026-12-04.\nCriteria: fund 10 – 30.")
    text = raw.decode("utf-8-sig")
    first, rest = text.split("\r\n", 1)
    assert first == "# Data as of 2026-12-04. Criteria: fund 10 – 30.", "one line"
    rows = list(csv.DictReader(io.StringIO(rest)))
    assert len(rows) == 31 and rows[0]["省份"] == "北京市"
    assert ",2027.0" not in rest and "225.01000000000002" not in rest, "numbers as published"
