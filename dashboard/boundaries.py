"""Province boundaries for the maps: the committed GeoJSON and what is derived from it.

Geometry never changes while the app runs, so the page layer caches these results
once per process (`st.cache_resource`); they are read-only after construction.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer
from scipy.optimize import brentq
from shapely import affinity
from shapely.geometry import shape

from dashboard.data import REPO_ROOT

DEFAULT_GEO_DIR = REPO_ROOT / "geo"
PROVINCES_FILE = "provinces.geojson"
SOUTH_CHINA_SEA_FILE = "south_china_sea.geojson"
# What the app serves at /app/static/: the province layer with the inset cut from it.
SERVED_DIR = REPO_ROOT / "dashboard" / "static"
# The inset's features carry the adcode here and no `id`, so in the one served file the
# mainland trace (matched by id) and the inset trace (matched by this key) never mix.
INSET_KEY = "properties.inset"
# The main map's frame (min lon, min lat, max lon, max lat); the South China Sea islands
# south of it are drawn in an inset.
MAINLAND_FRAME: tuple[float, float, float, float] = (73.0, 17.5, 135.5, 54.0)
# The map's projection as plotly names it. plotly draws it with d3's spherical formulas;
# pyproj's Albers on a unit sphere is the same map up to scale and shift, so a box laid
# out in `_PLANE` lands exactly where plotly draws it, whatever the figure's size.
PROJECTION: dict[str, Any] = {
    "type": "conic equal area",
    "parallels": [25, 47],
    "rotation": {"lon": 105},
}
_PLANE = Transformer.from_crs(
    "+proj=longlat +R=1 +no_defs",
    "+proj=aea +lat_1=25 +lat_2=47 +lat_0=0 +lon_0=105 +R=1 +no_defs",
    always_xy=True,
)
# What the customary South China Sea inset shows (lon/lat box) and how it sits: its
# height as a share of the mainland's drawn height, and its gap from the nearest coast.
SOUTH_CHINA_SEA_VIEW: tuple[float, float, float, float] = (106.0, 3.0, 123.0, 25.0)
INSET_HEIGHT = 0.3
INSET_GAP = 0.015
# Lines as plotly's lon/lat arrays, parts separated by None.
Lines = tuple[list[float | None], list[float | None]]


@dataclass(frozen=True)
class MapFrame:
    """What plotly's geo subplot needs to frame a box of the plane exactly."""

    lonaxis: tuple[float, float]
    lataxis: tuple[float, float]
    center: tuple[float, float]  # lon, lat of the box's middle


@dataclass(frozen=True)
class Inset:
    """The South China Sea inset, moved into the main map's own coordinates.

    Drawn on the same geo subplot as the mainland (not a second subplot beside it), it
    stays at China's lower right at every width, in every export.
    """

    geojson: dict[str, Any]  # the provinces it shows, cut to the view and moved in
    dashes: Lines
    frame: Lines


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

    @cached_property
    def inset(self) -> Inset | None:
        if self.south_china_sea is None:
            return None
        return south_china_sea_inset(self.mainland_plane, self.shapes, self.south_china_sea)

    @cached_property
    def mainland_frame(self) -> MapFrame:
        """plotly's frame around the mainland alone (thumbnails have no inset)."""
        return fitted_frame(self._mainland_bounds)

    @cached_property
    def frame(self) -> MapFrame:
        """The frame around the mainland and, when there is one, the inset."""
        if self.inset is None:
            return self.mainland_frame
        frame = to_plane(shapely.MultiLineString(line_parts(self.inset.frame)))
        return fitted_frame(
            tuple(shapely.total_bounds([frame, shapely.box(*self._mainland_bounds)]))
        )

    @cached_property
    def mainland_plane(self) -> dict[int, shapely.Geometry]:
        """Each province as the main map draws it (islands south of the frame cut off),
        in the plane: projected once, for the frame, the inset and the brief."""
        return {a: to_plane(mainland_part(g)) for a, g in sorted(self.shapes.items())}

    @cached_property
    def _mainland_bounds(self) -> tuple[float, float, float, float]:
        return tuple(shapely.total_bounds(list(self.mainland_plane.values())))


def to_plane(geometry: shapely.Geometry) -> shapely.Geometry:
    """`geometry` as the map draws it (x east, y north), for drawings outside plotly too."""
    return shapely.transform(geometry, lambda xy: np.column_stack(_PLANE.transform(*xy.T)))


def to_sphere(geometry: shapely.Geometry) -> shapely.Geometry:
    return shapely.transform(
        geometry, lambda xy: np.column_stack(_PLANE.transform(*xy.T, direction="INVERSE"))
    )


def mainland_part(geometry: shapely.Geometry) -> shapely.Geometry:
    """What of `geometry` the main map shows (islands further south are in the inset)."""
    return shapely.clip_by_rect(geometry, *MAINLAND_FRAME)


def south_china_sea_inset(
    mainland: dict[int, shapely.Geometry], shapes: dict[int, shapely.Geometry], dashes: Lines
) -> Inset:
    """The provinces and dashes of `SOUTH_CHINA_SEA_VIEW`, scaled into a framed box just
    east of the mainland's southern coast, bottom-aligned with Hainan.

    The layout is done in the map's projected plane, so the box is a true rectangle on
    screen and its contents are an exact scaled copy of what the projection would show.
    `mainland` is what the main map draws, in the plane; `shapes` the whole provinces.
    """
    minx, miny, maxx, maxy = shapely.total_bounds(list(mainland.values()))
    view = to_plane(shapely.box(*SOUTH_CHINA_SEA_VIEW).segmentize(0.25))
    vx0, vy0, vx1, vy1 = view.bounds
    height = INSET_HEIGHT * (maxy - miny)
    scale = height / (vy1 - vy0)
    # The box starts a small gap east of the coast it faces (Taiwan, Fujian), never on it.
    band = shapely.box(minx, miny, maxx, miny + height)
    coast = max(shapely.intersection(g, band).bounds[2] for g in mainland.values()
                if shapely.intersects(g, band))  # fmt: skip
    left = coast + INSET_GAP * (maxx - minx)
    move = [scale, 0, 0, scale, left - vx0 * scale, miny - vy0 * scale]

    def placed(geometry: shapely.Geometry) -> shapely.Geometry:
        cut = shapely.clip_by_rect(to_plane(geometry), vx0, vy0, vx1, vy1)
        return affinity.affine_transform(cut, move)

    moved = {a: placed(g) for a, g in sorted(shapes.items())}
    shown = {a: g for a, g in moved.items() if not g.is_empty}
    # The box is a fifth of the map's height: detail finer than a pixel of it is not
    # drawn, so a coverage simplification (shared edges stay shared) cuts the bytes.
    coarse = shapely.coverage_simplify(list(shown.values()), height / 300)
    features = [
        {
            "type": "Feature",
            "properties": {INSET_KEY.removeprefix("properties."): adcode},
            "geometry": shapely.geometry.mapping(
                shapely.orient_polygons(
                    shapely.set_precision(to_sphere(geometry), 0.001), exterior_cw=True
                )
            ),
        }
        for adcode, geometry in zip(shown, coarse, strict=True)
    ]
    frame = shapely.box(vx0, vy0, vx1, vy1).exterior.segmentize((vx1 - vx0) / 40)
    return Inset(
        {"type": "FeatureCollection", "features": features},
        _line_arrays(to_sphere(placed(shapely.MultiLineString(line_parts(dashes))))),
        _line_arrays(to_sphere(affinity.affine_transform(frame, move))),
    )


def line_parts(lines: Lines) -> list[list[tuple[float, float]]]:
    """plotly's None-separated lon/lat arrays back into lists of points."""
    parts: list[list[tuple[float, float]]] = [[]]
    for lon, lat in zip(*lines, strict=True):
        if lon is None or lat is None:
            parts.append([])
        else:
            parts[-1].append((lon, lat))
    return [part for part in parts if len(part) > 1]


def fitted_frame(bounds: tuple[float, float, float, float]) -> MapFrame:
    """Lon and lat ranges whose projected box, which plotly fits into the figure, is
    `bounds` (min x, min y, max x, max y in the plane), and the centre plotly must put in
    the box's middle (by default it centres the ranges' middle, which is off-centre on a
    conic map and would push the east out of the box).

    plotly frames a conic map by the bounding box of its lon/lat range; the range's
    corners reach far beyond China, leaving a quarter of the figure empty. Solving for
    the range that yields China's own box gives the map that space back. In the plane a
    parallel is an arc around the cone's apex and a meridian a ray from it, so the box's
    bottom is the lowest parallel on the central meridian, its sides the outer meridians
    on that parallel, and its top the highest parallel at the outer meridians.
    """
    # A margin of 1% keeps edge strokes (Heilongjiang's tip, the inset's box) inside
    # plotly's clip.
    pad = 0.01 * max(bounds[2] - bounds[0], bounds[3] - bounds[1])
    minx, miny, maxx, maxy = bounds[0] - pad, bounds[1] - pad, bounds[2] + pad, bounds[3] + pad

    def x(lon: float, lat: float) -> float:
        return _PLANE.transform(lon, lat)[0]

    def y(lon: float, lat: float) -> float:
        return _PLANE.transform(lon, lat)[1]

    lat0 = brentq(lambda lat: y(105.0, lat) - miny, -30.0, 60.0)
    lon0 = brentq(lambda lon: x(lon, lat0) - minx, 0.0, 105.0)
    lon1 = brentq(lambda lon: x(lon, lat0) - maxx, 105.0, 210.0)
    lat1 = brentq(lambda lat: max(y(lon0, lat), y(lon1, lat)) - maxy, lat0, 89.9)
    middle = _PLANE.transform((minx + maxx) / 2, (miny + maxy) / 2, direction="INVERSE")
    return MapFrame(
        (round(lon0, 3), round(lon1, 3)),
        (round(lat0, 3), round(lat1, 3)),
        (round(middle[0], 3), round(middle[1], 3)),
    )


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
    url = f"/app/static/{PROVINCES_FILE}" if (SERVED_DIR / PROVINCES_FILE).exists() else None
    return Boundaries(collection, shapes, names_zh, names_en, dashes, url)


PLACES_FILE = "places.csv"


def load_places(geo_dir: Path | str = DEFAULT_GEO_DIR) -> pd.DataFrame:
    """Cities and districts with a point inside each (`geo/places.py`), by GB/T 2260 code:
    where a local money instrument's circle is drawn."""
    places = pd.read_csv(Path(geo_dir) / PLACES_FILE, dtype={"code": "int64"})
    return places.set_index("code")


def served_layer(geo_dir: Path | str = DEFAULT_GEO_DIR) -> bytes:
    """What the browser fetches: `geo_dir`'s province features, then the inset's."""
    collection = json.loads((Path(geo_dir) / PROVINCES_FILE).read_text(encoding="utf-8"))
    inset = load_boundaries(geo_dir).inset
    if inset is not None:
        collection["features"] += inset.geojson["features"]
    return json.dumps(collection, ensure_ascii=False, separators=(",", ":")).encode()


def write_served_layer(geo_dir: Path | str = DEFAULT_GEO_DIR) -> Path:
    """Write the served province file (`make geo` does, after building geo/)."""
    path = SERVED_DIR / PROVINCES_FILE
    path.write_bytes(served_layer(geo_dir))
    return path


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


if __name__ == "__main__":
    print(f"wrote {write_served_layer()}")
