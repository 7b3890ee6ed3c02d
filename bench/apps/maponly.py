"""The dashboard's map and nothing else: same figure, same config, same column width.

Sits between the floor (one trivial chart) and the app (the map inside a page of
controls, a ranked bar chart and a sidebar), so time-to-map splits into what the map
itself costs (maponly - floor) and what the page around it costs (app - maponly).

Run from the repo root: `streamlit run bench/apps/maponly.py`.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import streamlit as st

from bench import figures
from dashboard import ui

st.set_page_config(page_title="map only", layout="wide")
figure, _ = figures.map_figure(ui.dataset(), ui.boundaries(), ui.hatch())
left, _right = st.columns([3, 2], gap="medium")
with left:
    st.plotly_chart(
        figure,
        config=ui.plotly_config("china-ai-map"),
        key="map_chart",
        on_select="rerun",
        selection_mode="points",
    )
