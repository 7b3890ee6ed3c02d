"""Province boundaries for the maps: the committed GeoJSON and what is derived from it.

Geometry never changes while the app runs, so the page layer caches these results
once per process (`st.cache_resource`); they are read-only after construction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import shapely
from shapely.geometry import shape

from dashboard.data import REPO_ROOT

DEFAULT_GEO_DIR = REPO_ROOT / "geo"
PROVINCES_FILE = "provinces.geojson"
SOUTH_CHINA_SEA_FILE = "south_china_sea.geojson"
# The main map's frame (min lon, min lat, max lon, max lat); the South China Sea islands
# south of it are drawn in an inset.
MAINLAND_FRAME: tuple[float, float, float, float] = (73.0, 17.5, 135.5, 54.0)


@dataclass(frozen=True)
class Boundaries:
    """The province FeatureCollection plus shapely geometries keyed by adcode."""

    geojson: dict[str, Any]
    shapes: dict[int, shapely.Geometry]
    names_zh: dict[int, str]
    names_en: dict[int, str]
    # The South China Sea dashes as lon/lat line arrays, when the file is present.
    south_china_sea: tuple[list[float | None], list[float | None]] | None = None
    # Where the browser can fetch `geojson` itself (static serving), when it can: figures
    # then carry this address instead of 160 KB of coordinates on every rerun.
    url: str | None = None

    @property
    def adcodes(self) -> list[int]:
        return sorted(self.shapes)


def load_boundaries(geo_dir: Path | str = DEFAULT_GEO_DIR) -> Boundaries:
    """Read `provinces.geojson`; features carry `adcode`, `name_zh`, `name_en`."""
    path = Path(geo_dir) / PROVINCES_FILE
    collection = json.loads(path.read_text(encoding="utf-8"))
    shapes, names_zh, names_en = {}, {}, {}
    for feature in collection["features"]:
        properties = feature["properties"]
        adcode = int(properties["adcode"])
        shapes[adcode] = shape(feature["geometry"])
        names_zh[adcode] = properties["name_zh"]
        names_en[adcode] = properties["name_en"]
        # plotly matches `locations` to `featureidkey`; an id makes the default key work.
        feature["id"] = adcode
    dashes_path = Path(geo_dir) / SOUTH_CHINA_SEA_FILE
    dashes = None
    if dashes_path.exists():
        lines = json.loads(dashes_path.read_text(encoding="utf-8"))
        dashes = _line_arrays(
            shapely.MultiLineString([shape(f["geometry"]) for f in lines["features"]])
        )
    static = REPO_ROOT / "dashboard" / "static" / PROVINCES_FILE
    url = f"/app/static/{PROVINCES_FILE}" if static.exists() else None
    return Boundaries(collection, shapes, names_zh, names_en, dashes, url)


def outline_lines(boundaries: Boundaries, groups: dict[str, list[int]]) -> dict[str, Any]:
    """The outer edge of each group of provinces as lon/lat arrays for a line trace.

    Separate rings are joined with None, which plotly reads as a break in the line.
    """
    lines: dict[str, Any] = {}
    for group, adcodes in groups.items():
        members = [boundaries.shapes[a] for a in adcodes if a in boundaries.shapes]
        if not members:
            continue
        merged = shapely.union_all(members, grid_size=0.001)
        lines[group] = _line_arrays(merged.boundary)
    return lines


def _line_arrays(edge: shapely.Geometry) -> tuple[list[float | None], list[float | None]]:
    lons: list[float | None] = []
    lats: list[float | None] = []
    parts = getattr(edge, "geoms", [edge])
    for part in parts:
        coords = np.asarray(part.coords)
        lons += [*np.round(coords[:, 0], 3).tolist(), None]
        lats += [*np.round(coords[:, 1], 3).tolist(), None]
    return lons, lats


def hatch_points(boundaries: Boundaries, spacing: float = 1.1) -> pd.DataFrame:
    """A regular grid of points inside each province, for a dotted "no figure" fill.

    plotly's geo choropleth has no pattern fill; dots drawn over a pale fill keep
    "no published figure" distinct from every colour class, in greyscale too.
    Small provinces get at least their representative point.
    """
    rows = []
    for adcode, geometry in boundaries.shapes.items():
        minx, miny, maxx, maxy = geometry.bounds
        xs = np.arange(np.floor(minx / spacing) * spacing, maxx, spacing)
        ys = np.arange(np.floor(miny / spacing) * spacing, maxy, spacing)
        grid_x, grid_y = np.meshgrid(xs, ys)
        # Offset every other row so the dots read as a texture, not a table.
        grid_x = grid_x + (np.arange(len(ys))[:, None] % 2) * spacing / 2
        points = shapely.points(grid_x.ravel(), grid_y.ravel())
        inside = points[shapely.contains(geometry, points)]
        if len(inside) == 0:
            inside = np.array([geometry.representative_point()])
        rows += [(adcode, round(p.x, 3), round(p.y, 3)) for p in inside]
    return pd.DataFrame(rows, columns=["adcode", "lon", "lat"])


def simplified(
    boundaries: Boundaries, tolerance: float, bbox: tuple[float, float, float, float]
) -> Boundaries:
    """A coarser copy for thumbnails: simplified as a coverage so borders stay shared,
    and cut to `bbox` (min lon, min lat, max lon, max lat).

    The small group maps and the brief's inset are a few hundred pixels wide and have no
    South China Sea inset; at that size 0.2 degrees of detail is invisible, and the
    islands outside the frame need not be sent at all.
    """
    adcodes = sorted(boundaries.shapes)
    coarse = shapely.coverage_simplify([boundaries.shapes[a] for a in adcodes], tolerance)
    coarse = shapely.clip_by_rect(coarse, *bbox)
    coarse = shapely.orient_polygons(shapely.set_precision(coarse, 0.001), exterior_cw=True)
    features = [
        {
            "type": "Feature",
            "id": adcode,
            "properties": {
                "adcode": adcode,
                "name_zh": boundaries.names_zh[adcode],
                "name_en": boundaries.names_en[adcode],
            },
            "geometry": shapely.geometry.mapping(geometry),
        }
        for adcode, geometry in zip(adcodes, coarse, strict=True)
    ]
    return Boundaries(
        {"type": "FeatureCollection", "features": features},
        dict(zip(adcodes, coarse, strict=True)),
        boundaries.names_zh,
        boundaries.names_en,
        boundaries.south_china_sea,
    )
