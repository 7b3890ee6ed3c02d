"""The floor: a Streamlit page with one trivial plotly chart and nothing else.

Time-to-map of the dashboard is compared with the time this page takes to draw its chart:
the Streamlit shell, websocket, first script run and the lazily loaded plotly.js bundle are
paid by both, so the ratio isolates what the map itself costs.

Run from the repo root: `streamlit run bench/apps/floor.py`.
"""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

st.set_page_config(page_title="floor", layout="wide")
st.title("Floor")
figure = go.Figure(go.Bar(x=["a", "b", "c"], y=[1, 3, 2]))
figure.update_layout(height=300, margin={"l": 10, "r": 10, "t": 10, "b": 10})
st.plotly_chart(figure, config={"displaylogo": False}, key="floor_chart")
