"""The one SVG map renderer: the committed province geometry as the app's map draws it.

Same projection as the plotly map (`boundaries.to_plane`, Albers on 25/47 degrees around
105 E), the islands south of the frame cut off and the South China Sea inset at the lower
right (`Boundaries.inset`), laid out in the projected plane and scaled into an SVG box. The
province brief (a locator map) and the published edition (choropleths, group thumbnails)
both draw through `render`, so a province sits in the same place in every drawing.

Each province is one `<path>` (its mainland part and its part in the inset as subpaths of
one `d`), so a hover or click on the inset is a hover or click on the province. Every text
from the data goes through `html.escape`; attributes are the caller's, escaped here too.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import shapely
from shapely.geometry import shape

from dashboard.boundaries import Boundaries, line_parts, to_plane

EDGE = "#8a8a8a"  # the app's province edge (charts.EDGE)
INSET_FRAME = "#8a8a8a"  # the inset's box (charts.INSET_FRAME)
DASHES = "#333333"  # the South China Sea dashes, as on the app's map
NO_FIGURE_DOTS = "#8c8c8c"  # "no published figure": grey dots on white (charts.NO_FIGURE_DOTS)
DOTS = "url(#dots)"  # a fill: the dotted pattern `render` defines when a province uses it
PAD = 4  # units around the drawing, so edge strokes (the inset's box) are not cut


@dataclass(frozen=True)
class Circle:
    """A proportional circle at a place (a city's money instrument): lon/lat, size in px
    of the drawing's own units, a hover text and optional data attributes."""

    lon: float
    lat: float
    diameter: float
    title: str
    attrs: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Projected:
    """The provinces projected once into an SVG box `width` x `height`: a `d` per adcode
    (mainland and inset parts), the inset's dashes and frame, and the plane-to-box scale."""

    width: int
    height: int
    paths: dict[int, str]
    dashes: str
    frame: str
    minx: float
    maxy: float
    scale: float
    decimals: int

    def point(self, lon: float, lat: float) -> tuple[float, float]:
        """Where a lon/lat point lands in the box (for circles at a place)."""
        plane = to_plane(shapely.Point(lon, lat))
        return (plane.x - self.minx) * self.scale, (self.maxy - plane.y) * self.scale


def project(boundaries: Boundaries, width: int = 1000, height: int | None = None,
            decimals: int = 0) -> Projected:  # fmt: skip
    """Fit mainland and inset into `width` (and `height`, when given) keeping the aspect.

    `decimals` is the coordinates' precision in the box's units: 0 (whole units) on a
    1000-unit box is finer than a screen pixel at any width a page gives the map.
    """
    parts: dict[int, list[shapely.Geometry]] = {
        a: [g] for a, g in boundaries.mainland_plane.items() if not g.is_empty
    }
    lines: list[shapely.Geometry] = []
    inset = boundaries.inset
    if inset is not None:
        for feature in inset.geojson["features"]:
            adcode = int(feature["properties"]["inset"])
            parts.setdefault(adcode, []).append(to_plane(shape(feature["geometry"])))
        lines = [
            to_plane(shapely.MultiLineString(line_parts(part)))
            for part in (inset.dashes, inset.frame)
        ]
    everything = [g for geoms in parts.values() for g in geoms] + lines
    minx, miny, maxx, maxy = shapely.total_bounds(everything)
    pad = PAD if decimals == 0 else 0
    scale = (width - 2 * pad) / (maxx - minx)
    if height is not None:
        scale = min(scale, (height - 2 * pad) / (maxy - miny))
    else:
        height = int(np.ceil((maxy - miny) * scale)) + 2 * pad
    # The plane's top-left corner, moved by the padding (in plane units).
    minx, maxy = minx - pad / scale, maxy + pad / scale
    factor = 10**decimals

    def rings(geometry: shapely.Geometry) -> Iterable[np.ndarray]:
        for polygon in getattr(geometry, "geoms", [geometry]):
            if polygon.is_empty:
                continue
            for ring in [polygon.exterior, *polygon.interiors]:
                yield np.asarray(ring.coords)

    def d_of(coords: np.ndarray, closed: bool) -> str:
        # Whole steps of 10^-decimals: rounded absolutely, then written relative ("l"),
        # so no error accumulates along the ring and the digits stay few.
        xy = (
            np.column_stack([(coords[:, 0] - minx) * scale, (maxy - coords[:, 1]) * scale]) * factor
        )
        xy = np.rint(xy).astype(np.int64)
        keep = np.ones(len(xy), dtype=bool)
        keep[1:] = np.any(xy[1:] != xy[:-1], axis=1)
        xy = xy[keep]
        if len(xy) < (3 if closed else 2):
            return ""
        steps = np.diff(xy, axis=0)
        text = f"M{_num(xy[0][0], factor)} {_num(xy[0][1], factor)}l" + " ".join(
            f"{_num(dx, factor)} {_num(dy, factor)}" for dx, dy in steps
        )
        return text + ("z" if closed else "")

    paths = {
        adcode: "".join(d_of(ring, True) for geometry in geoms for ring in rings(geometry))
        for adcode, geoms in sorted(parts.items())
    }
    dashes, frame = "", ""
    if lines:
        dashes, frame = (
            "".join(d_of(np.asarray(part.coords), False) for part in line.geoms) for line in lines
        )
    return Projected(int(width), int(height), paths, dashes, frame, float(minx), float(maxy),
                     float(scale), decimals)  # fmt: skip


def _num(value: int, factor: int) -> str:
    if factor == 1:
        return str(int(value))
    return f"{value / factor:g}"


def _attrs(pairs: Iterable[tuple[str, str]]) -> str:
    return "".join(f' {name}="{html.escape(str(value), quote=True)}"' for name, value in pairs)


def render(
    projected: Projected,
    fills: Mapping[int, str],
    *,
    label: str,
    titles: Mapping[int, str] | None = None,
    links: Mapping[int, str] | None = None,
    attrs: Mapping[int, Mapping[str, str]] | None = None,
    edges: Mapping[int, tuple[str, float]] | None = None,
    circles: Iterable[Circle] = (),
    default_fill: str = "#e4e4e4",
    edge: tuple[str, float] = (EDGE, 0.6),
    size: tuple[int, int] | None = None,
    css_class: str = "",
) -> str:
    """The map as one `<svg>`: each province filled, with its `<title>` (the hover), its
    data attributes and, when `links` has it, wrapped in a link to its page.

    The legend is never drawn here: pages put it outside the geography, as the app does.
    `size` sets width/height attributes (the brief prints at a fixed size); without it
    the SVG scales to its container (CSS), keeping its aspect by its viewBox.
    """
    titles, links, attrs, edges = titles or {}, links or {}, attrs or {}, edges or {}
    out = []
    for adcode, d in projected.paths.items():
        if not d:
            continue
        colour, width = edges.get(adcode, edge)
        body = f"<title>{html.escape(titles[adcode])}</title>" if adcode in titles else ""
        path = (
            f'<path d="{d}"'
            + _attrs(
                [
                    ("data-adcode", str(adcode)),
                    ("fill", fills.get(adcode, default_fill)),
                    ("stroke", colour),
                    ("stroke-width", f"{width:g}"),
                    *attrs.get(adcode, {}).items(),
                ]
            )
            + (f">{body}</path>" if body else "/>")
        )
        if adcode in links:
            path = f"<a{_attrs([('href', links[adcode])])}>{path}</a>"
        out.append(path)
    if projected.dashes:
        out.append(f'<path d="{projected.dashes}" fill="none" stroke="{DASHES}" '
                   'stroke-width="1.2" pointer-events="none"/>')  # fmt: skip
    if projected.frame:
        out.append(f'<path d="{projected.frame}" fill="none" stroke="{INSET_FRAME}" '
                   'stroke-width="1" pointer-events="none"/>')  # fmt: skip
    for circle in circles:
        x, y = projected.point(circle.lon, circle.lat)
        out.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{circle.diameter / 2:.1f}"'
            f' class="place"{_attrs(circle.attrs)}><title>{html.escape(circle.title)}</title>'
            "</circle>"
        )
    if DOTS in fills.values():
        out.insert(
            0,
            '<defs><pattern id="dots" width="6" height="6" patternUnits="userSpaceOnUse">'
            '<rect width="6" height="6" fill="#fff"/>'
            f'<circle cx="3" cy="3" r="1" fill="{NO_FIGURE_DOTS}"/></pattern></defs>',
        )
    sized = f' width="{size[0]}" height="{size[1]}"' if size else ""
    css = f' class="{html.escape(css_class, quote=True)}"' if css_class else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img"{css}'
        f' aria-label="{html.escape(label, quote=True)}"{sized}'
        f' viewBox="0 0 {projected.width} {projected.height}">' + "".join(out) + "</svg>"
    )


def locator_svg(boundaries: Boundaries, adcode: int, name: str, width: int = 360,
                height: int = 270) -> str:  # fmt: skip
    """China pale grey with one province filled: the brief's map (fixed size, prints)."""
    projected = project(boundaries, width, height, decimals=1)
    return render(
        projected,
        {adcode: "#225ea8"},
        label=name,
        edge=("#fff", 0.4),
        size=(width, height),
    )
