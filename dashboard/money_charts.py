"""Local money instruments on the map: proportional circles at their city or district.

A city's instrument is never added into its province's colour. It is drawn as a circle
whose area is proportional to its amount, at a point inside its place's boundary
(`geo/places.csv`), with a key of reference circles in the empty south-west corner of
the frame, where no province lies.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard.i18n import t
from dashboard.instruments import Circles, amount_text, kind_name, place_text, terms_of
from dashboard.sourcing import citation_line

CIRCLE_COLOUR = "#7570b3"  # ColorBrewer Dark2 purple: apart from the blue-green classes
CIRCLE_FILL = "rgba(117, 112, 179, 0.55)"  # the same, translucent over the provinces
CIRCLE_EDGE = "#3f3a80"
MAX_DIAMETER = 34.0  # px of the largest circle (x1.6 on a projector): a phone map is 358 px wide
# The key's corner in the geo domain's own fractions: India and Myanmar, outside China.
KEY_X, KEY_Y = 0.02, 0.05


def circle_hover(rows: pd.DataFrame, names: dict[int, str], lang: str) -> list[list[str]]:
    """Place, kind, amount, terms and citation of each circle, as plain text."""
    hover = []
    for row in rows.itertuples():
        terms = [amount_text(row.kind, row.amount, lang), *terms_of(row, lang)]
        hover.append(
            [
                f"{place_text(row, lang)}, {names.get(int(row.adcode), '')}",
                kind_name(row.kind, lang),
                " · ".join(terms),
                citation_line(row._asdict(), lang),
            ]
        )
    return hover


def add_circles(
    figure: go.Figure, circles: Circles, names: dict[int, str], lang: str, *, present: bool
) -> None:
    """The circles as one trace (largest first, so small ones stay on top and clickable)
    and their legend entry, which names what they are and how many are drawn."""
    scale = 1.6 if present else 1.0
    rows = circles.rows
    figure.add_trace(
        go.Scattergeo(
            lon=rows["lon"],
            lat=rows["lat"],
            mode="markers",
            marker={
                "size": (rows["diameter"] * scale).round(1).tolist(),
                "sizemode": "diameter",
                "color": CIRCLE_FILL,
                "line": {"width": 1, "color": CIRCLE_EDGE},
            },
            customdata=circle_hover(rows, names, lang),
            hovertemplate=(
                "<b>%{customdata[0]}</b><br>%{customdata[1]}: %{customdata[2]}"
                "<br><i>%{customdata[3]}</i><extra></extra>"
            ),
            name="",
            showlegend=False,
        )
    )
    figure.add_trace(
        go.Scattergeo(
            lon=[None],
            lat=[None],
            mode="markers",
            marker={"size": 14, "color": CIRCLE_FILL, "line": {"width": 1, "color": CIRCLE_EDGE}},
            name=t("circles_legend", lang, n=len(rows)),
            showlegend=True,
            hoverinfo="skip",
        )
    )


def add_size_key(
    figure: go.Figure, circles: Circles, kind: str, lang: str, *, present: bool
) -> None:
    """Reference circles with their amounts, bottom-aligned, in the frame's south-west
    corner (inside the geo domain, which the legend has already been given)."""
    if not circles.reference:
        return
    scale = 1.6 if present else 1.0
    domain = figure.layout.geo.domain
    x = domain.x[0] + KEY_X * (domain.x[1] - domain.x[0])
    y = domain.y[0] + KEY_Y * (domain.y[1] - domain.y[0])
    largest = float(circles.rows["amount"].max())
    shapes: list[dict[str, Any]] = []
    biggest = MAX_DIAMETER * scale * (circles.reference[0] / largest) ** 0.5
    # Each label sits at its circle's top: a circle whose top is within a line of the
    # previous one's would print its label over it, so it is left out of the key.
    line_px = 14 * scale
    tops: list[float] = []
    for amount in circles.reference:
        diameter = MAX_DIAMETER * scale * (amount / largest) ** 0.5
        if tops and tops[-1] - diameter < line_px:
            continue
        tops.append(diameter)
        radius = diameter / 2
        shapes.append(
            {
                "type": "circle",
                "xref": "paper",
                "yref": "paper",
                "xsizemode": "pixel",
                "ysizemode": "pixel",
                "xanchor": x,
                "yanchor": y,
                "x0": biggest / 2 - radius,
                "x1": biggest / 2 + radius,
                "y0": 0,
                "y1": diameter,
                "line": {"color": CIRCLE_EDGE, "width": 1},
                "fillcolor": "rgba(0,0,0,0)",
            }
        )
        figure.add_annotation(
            x=x,
            y=y,
            xref="paper",
            yref="paper",
            xshift=biggest + 6,
            yshift=diameter - 2,
            xanchor="left",
            yanchor="middle",
            text=amount_text(kind, amount, lang),
            showarrow=False,
            font={"size": round(11 * scale), "color": "#333333"},
            name="circle_key",
        )
    figure.update_layout(shapes=[*figure.layout.shapes, *shapes])
