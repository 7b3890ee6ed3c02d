"""`/compare`'s figure: small multiples that put only like figures on one axis.

Two provinces' figures share an axis only when they count the same thing (basis) for
the same year: Anhui's 30 EFLOPS of intelligent computing by 2027 is not drawn as a bar
beside Jiangsu's 50 EFLOPS of total computing by 2030. In each panel the largest group
of chosen provinces whose figures share a (basis, year) is drawn as bars; every other
figure stands in its own slot as a labelled value with the reason in words, so the
screen and its PNG export say the same.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.charts import (
    COMPARE_TAG_WRAP,
    PALETTE,
    PRESENT_SCALE,
    PROVINCE_COLOURS,
    SOURCE_WRAP,
    _finish,
    _plain,
    metric_title,
    wrap_text,
)
from dashboard.formatting import format_value
from dashboard.i18n import t
from dashboard.transform import Metric, figure_tag

PANEL_WRAP = 18  # columns of a panel's title and notes: half a phone's width


@dataclass(frozen=True)
class PanelSplit:
    """Which chosen provinces' figures share one axis in a panel, and which do not."""

    on_axis: tuple[int, ...]  # same basis and year: drawn as bars on one scale
    apart: tuple[int, ...]  # a figure on another basis or for another year
    missing: tuple[int, ...]  # no published figure


def like_key(metric: Metric, adcode: int) -> tuple[str, int | None]:
    """What a figure counts and for when: (basis or "", year or None)."""
    basis = ""
    if metric.bases is not None and adcode in metric.bases.index:
        value = metric.bases.get(adcode)
        basis = "" if value is None or pd.isna(value) else str(value)
    year = metric.years.get(adcode) if adcode in metric.years.index else None
    return basis, None if year is None or pd.isna(year) else int(year)


def split_like(metric: Metric) -> PanelSplit:
    """The largest set of chosen provinces whose figures have one (basis, year); on a
    tie the set whose first member comes first in the reader's choice."""
    shown = metric.shown if metric.shown is not None else metric.values
    known = [int(a) for a, v in shown.items() if not pd.isna(v)]
    missing = tuple(int(a) for a, v in shown.items() if pd.isna(v))
    if not known:
        return PanelSplit((), (), missing)
    keys = {a: like_key(metric, a) for a in known}
    sizes = Counter(keys.values())
    # Counter keeps first-seen order, so max() breaks a tie by the reader's order.
    common = max(sizes, key=lambda key: sizes[key])
    on_axis = tuple(a for a in known if keys[a] == common)
    apart = tuple(a for a in known if keys[a] != common)
    return PanelSplit(on_axis, apart, missing)


def axis_ref(axis: str, subplot: int) -> str:
    """The axis of the `subplot`-th panel (1-based, row by row) as plotly names it."""
    return axis if subplot == 1 else f"{axis}{subplot}"


def build_compare_bars(
    metrics: list[Metric], names: Mapping[int, str], lang: str, present: bool = False
) -> go.Figure:
    """Small multiples, two to a row: one panel per metric with a figure for at least
    one chosen province, one slot per province.

    Provinces keep one categorical colour across panels (a ramp would read as order).
    Year and basis stand under each name. A figure on another basis or for another year
    than the panel's bars gets no bar: its slot says its value and why it is apart. A
    province without the figure gets "no published figure" in its slot. Metrics that no
    chosen province publishes are named once in the note instead of empty panels.
    """
    empty = [m for m in metrics if (m.shown if m.shown is not None else m.values).isna().all()]
    drawn = [m for m in metrics if m not in empty]
    columns = 2  # two to a row: a phone still gives each panel 150 px
    rows = max(1, math.ceil(len(drawn) / columns))
    tags = [
        {
            a: figure_tag(m, a, lang) if not math.isnan(v) else ""
            for a, v in (m.shown if m.shown is not None else m.values).items()
        }
        for m in drawn
    ]
    tag_lines = [
        {a: wrap_text(tag, COMPARE_TAG_WRAP) for a, tag in panel.items()} for panel in tags
    ]
    most_lines = max((len(lines) for panel in tag_lines for lines in panel.values()), default=0)
    figure = make_subplots(
        rows=rows,
        cols=columns,
        subplot_titles=[
            "<br>".join(wrap_text(_plain(metric_title(m, lang)), PANEL_WRAP)) for m in drawn
        ],
        # Room for the right panel's axis labels ("10,000") clear of a note in the left
        # panel's last slot.
        horizontal_spacing=0.16,
        vertical_spacing=(0.34 + 0.05 * most_lines) / rows,
    )
    chosen = list(metrics[0].values.index) if metrics else []
    colour_of = {a: PROVINCE_COLOURS[i % len(PROVINCE_COLOURS)] for i, a in enumerate(chosen)}
    apart = False
    slot_notes: list[dict[str, object]] = []
    for index, metric in enumerate(drawn):
        row, col = divmod(index, columns)
        split = split_like(metric)
        shown = metric.shown if metric.shown is not None else metric.values
        names_shown = [_plain(names.get(a, str(a))) for a in shown.index]
        labels = [
            name + "".join(f"<br><span style='font-size:11px;color:#555555'>{_plain(line)}</span>"
                           for line in tag_lines[index][a])
            for a, name in zip(shown.index, names_shown, strict=True)
        ]  # fmt: skip
        published = metric.per == "none"
        texts = [format_value(v, published) if not math.isnan(v) else "" for v in shown]
        on_axis = [a in split.on_axis for a in shown.index]
        figure.add_trace(
            go.Bar(
                x=labels,
                y=[v if keep else None for v, keep in zip(shown, on_axis, strict=True)],
                marker={"color": [colour_of.get(a, PALETTE[3]) for a in shown.index]},
                text=[text if keep else "" for text, keep in zip(texts, on_axis, strict=True)],
                textposition="outside",
                cliponaxis=False,
                showlegend=False,
                customdata=[
                    [name, _plain(" · ".join(p for p in (text, tags[index][a]) if p))]
                    for a, name, text in zip(shown.index, names_shown, texts, strict=True)
                ],
                hovertemplate="%{customdata[0]}: %{customdata[1]}<extra></extra>",
            ),
            row=row + 1,
            col=col + 1,
        )
        for adcode, label, text in zip(shown.index, labels, texts, strict=True):
            if adcode in split.on_axis:
                continue
            if adcode in split.apart:
                apart = True
                words = t("not_on_axis", lang, value=f"{text} {_plain(metric.unit)}".strip())
            else:
                words = t("no_figure", lang)
            # One line turned on its side: it stays inside its bar's slot.
            slot_notes.append(
                {
                    "x": label,
                    "y": 0,
                    "xref": axis_ref("x", index + 1),
                    "yref": axis_ref("y", index + 1),
                    "text": _plain(words),
                    "textangle": -90,
                    "yanchor": "bottom",
                    "showarrow": False,
                    "font": {"size": 11, "color": "#555555"},
                    "name": "slot_note",
                }
            )
    # Subplot titles are the only annotations so far; the slot notes and source come next.
    scale = PRESENT_SCALE if present else 1.0
    figure.update_annotations(font_size=round(13 * scale))
    # Added at once and built unvalidated: add_annotation copies every annotation so far
    # each time and validates each property again (64 ms for 24 notes, 4 ms this way);
    # the notes are of one fixed shape, which tests/test_charts.py reads back.
    figure.layout.annotations = (
        *figure.layout.annotations,
        *(go.layout.Annotation(note, _validate=False) for note in slot_notes),
    )
    notes = []
    if apart:
        notes.append(t("apart_note", lang))
    if empty:
        what = t("list_sep", lang).join(metric_title(m, lang) for m in empty)
        notes.append(t("none_published_for", lang, figures=what))
    note = " ".join(notes) or None
    _finish(
        figure,
        t("page_compare", lang),
        lang,
        present,
        height=round((110 + (310 + 14 * most_lines) * rows) * scale),
        axis_space=26 + 14 * most_lines,
        note=note,
        # The note starts where the first panel does, right of its axis labels.
        wrap=SOURCE_WRAP - 12,
    )
    figure.update_layout(margin={"t": round(110 * scale)})
    # Full numbers on the axis ("10,000"): plotly's "10k" is no Chinese convention.
    figure.update_yaxes(rangemode="tozero", exponentformat="none", separatethousands=True)
    figure.update_xaxes(tickangle=0)  # wrapped labels, never turned on their side
    return figure
