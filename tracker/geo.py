"""Countries as the basemap draws them: each one's name, bounding box and
label point, made with the basemap by scripts/basemap.py from Natural
Earth's outlines (tracker/geodata/countries.json), keyed by ISO 3166-1
alpha-2 code; and which tiles the basemap has (basemap.json)."""

import json
from decimal import Decimal
from functools import cache
from pathlib import Path

GEODATA = Path(__file__).resolve().parent / "geodata"
COUNTRIES_FILE = GEODATA / "countries.json"
BASEMAP_FILE = GEODATA / "basemap.json"
# The outlines are simplified to about 3 km and coasts are drawn, not
# territorial waters: a point this close to the box is not warned about.
BOX_MARGIN_DEGREES = Decimal("0.25")


@cache
def countries():
    return json.loads(COUNTRIES_FILE.read_text())


@cache
def basemap():
    """{"units": per degree, "tile_degrees": a tile's side, "tiles": the
    names ("column-row") of the tiles that have land or a coast}."""
    found = json.loads(BASEMAP_FILE.read_text())
    return {**found, "tiles": frozenset(found["tiles"])}


def country_box(code):
    """(west, south, east, north) of the country, or None when the basemap
    does not have it. A country with territory far away (France and its
    overseas departments) has a box around all of it."""
    country = countries().get((code or "").upper())
    return tuple(Decimal(str(edge)) for edge in country["box"]) if country else None


def outside_country(code, latitude, longitude):
    """Whether (latitude, longitude) falls outside the box around country
    `code`; False for a country the basemap does not know."""
    box = country_box(code)
    if box is None:
        return False
    west, south, east, north = box
    margin = BOX_MARGIN_DEGREES
    latitude, longitude = Decimal(str(latitude)), Decimal(str(longitude))
    return not (
        south - margin <= latitude <= north + margin and west - margin <= longitude <= east + margin
    )
