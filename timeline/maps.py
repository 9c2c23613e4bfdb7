"""Maps drawn on the server as SVG, on a basemap we serve ourselves: no tile
server learns who reads about which place, and no script is needed.

The basemap (static/timeline/basemap/, made by scripts/basemap.py) holds the
countries' land and outlines in an equirectangular projection, BASEMAP_UNITS
units to the degree, in tiles of 15 degrees: a map loads the few tiles it
covers (a few kilobytes each), not the world. A map scales its x axis by the
cosine of the latitude it is centred on, which keeps distances true at that
latitude: for the area of one conflict, a few hundred kilometres across, the
error elsewhere on the map is a few per cent. Markers are drawn in the same
units.

The conflict map counts the published events of each place and kind in one
grouped query (events_by_place), whatever the number of events, and reads
the places it found in one more.
"""

import math
from dataclasses import dataclass, field
from functools import cache

from django.db.models import Count
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tracker.geo import basemap, countries
from tracker.models import Event, Place
from tracker.models.translated import LANGUAGES as TRANSLATED_LANGUAGES
from tracker.models.translated import column

BASEMAP_UNITS = 100  # per degree, as scripts/basemap.py writes it
KM_PER_DEGREE = 111.32  # of latitude

P = Place.LocationPrecision
# How far what happened may be from a place's point, by its precision: the
# radius of the dashed circle drawn around it. UCDP's where_prec 2 is
# "within 25 km"; the others are the typical size of such an area.
UNCERTAINTY_KM = {
    P.EXACT: 0,
    P.NEAR: 25,
    P.DISTRICT: 25,
    P.PROVINCE: 50,
    P.REGION: 75,
    P.COUNTRY: 250,
    P.SEA: 50,
}
# The conflict map: no narrower than this, with a margin around the places.
SMALLEST_SPAN_KM = 80
MARGIN = 0.12
ASPECT = 1.5  # width to height
# The locator map of one event: this far around its place.
LOCATOR_SPAN_KM = 400
LOCATOR_ASPECT = 1.25
# Names written on the map beside the busiest places; the table lists all.
MOST_PLACE_LABELS = 12


def uncertainty_km(precision):
    return UNCERTAINTY_KM.get(precision, 0)


@dataclass(frozen=True)
class Projection:
    parallel: float  # the latitude at which the map is true to scale

    @property
    def x_scale(self):
        return math.cos(math.radians(self.parallel))

    def point(self, longitude, latitude):
        return (
            (float(longitude) + 180) * BASEMAP_UNITS * self.x_scale,
            (90 - float(latitude)) * BASEMAP_UNITS,
        )

    @staticmethod
    def distance(km):
        return km / KM_PER_DEGREE * BASEMAP_UNITS


@dataclass
class View:
    """The part of the projected world a map shows."""

    projection: Projection
    x: float
    y: float
    width: float
    height: float
    # Text is this fraction of the map's width: larger on a small map.
    text_share: float = 1 / 48

    @classmethod
    def around(cls, points, *, smallest_km, aspect, margin=MARGIN):
        """The view fitted to `points`, (longitude, latitude, radius in km)
        each: all of them with their circles, a margin, and at least
        `smallest_km` across, in the given aspect."""
        latitudes = [float(latitude) for _lon, latitude, _km in points]
        projection = Projection(parallel=(min(latitudes) + max(latitudes)) / 2)
        left = top = math.inf
        right = bottom = -math.inf
        for longitude, latitude, km in points:
            x, y = projection.point(longitude, latitude)
            reach = projection.distance(km)
            left, right = min(left, x - reach), max(right, x + reach)
            top, bottom = min(top, y - reach), max(bottom, y + reach)
        smallest = projection.distance(smallest_km)
        width = max(right - left, smallest) * (1 + 2 * margin)
        height = max(bottom - top, smallest / aspect) * (1 + 2 * margin)
        width, height = max(width, height * aspect), max(height, width / aspect)
        centre_x, centre_y = (left + right) / 2, (top + bottom) / 2
        return cls(projection, centre_x - width / 2, centre_y - height / 2, width, height)

    @property
    def sea(self):
        """x, y, width and height as the SVG gets them."""
        return {
            "x": f"{self.x:.1f}",
            "y": f"{self.y:.1f}",
            "width": f"{self.width:.1f}",
            "height": f"{self.height:.1f}",
        }

    @property
    def view_box(self):
        return f"{self.x:.1f} {self.y:.1f} {self.width:.1f} {self.height:.1f}"

    @property
    def basemap_transform(self):
        return f"scale({self.projection.x_scale:.5f} 1)"

    @property
    def hairline(self):
        """A line about one pixel wide at the width the page draws the map."""
        return f"{self.width / 700:.3f}"

    @property
    def halo(self):
        """The light outline that keeps a name readable over the lines."""
        return f"{self.width / 250:.3f}"

    @property
    def text_size(self):
        return f"{self.width * self.text_share:.2f}"

    def tiles(self):
        """The static paths of the basemap's tiles this view covers."""
        found = basemap()
        size, units, scale = found["tile_degrees"], BASEMAP_UNITS, self.projection.x_scale
        west = self.x / (units * scale)  # degrees east of 180°W
        east = (self.x + self.width) / (units * scale)
        north, south = self.y / units, (self.y + self.height) / units  # degrees from 90°N
        columns = range(max(0, int(west // size)), min(360 // size - 1, int(east // size)) + 1)
        rows = range(max(0, int(north // size)), min(180 // size - 1, int(south // size)) + 1)
        return [
            f"timeline/basemap/{column}-{row}.svg"
            for row in rows
            for column in columns
            if f"{column}-{row}" in found["tiles"]
        ]

    def contains(self, x, y):
        return self.x <= x <= self.x + self.width and self.y <= y <= self.y + self.height

    def country_labels(self):
        """Names of the countries whose label point is in view and which are
        not specks on it."""
        labels = []
        for country in countries().values():
            x, y = self.projection.point(*country["label"])
            west, _south, east, _north = country["box"]
            wide = (east - west) * BASEMAP_UNITS * self.projection.x_scale
            if self.contains(x, y) and wide >= self.width / 12:
                labels.append({"name": country["name"], "x": f"{x:.1f}", "y": f"{y:.1f}"})
        return labels


@dataclass
class Marker:
    place_id: int
    name: str
    label: str  # with its country code
    latitude: object
    longitude: object
    precision: str
    count: int = 0
    kinds: dict = field(default_factory=dict)  # kind -> events
    x: float = 0.0
    y: float = 0.0
    radius: float = 0.0
    uncertainty: float = 0.0
    named: bool = False  # its name is written on the map
    href: str = ""  # the timeline of its place, set by the view
    kind: str = ""  # of most of its events (the first in Event.Kind's order on a tie)

    def __post_init__(self):
        order = _kind_order()
        if self.kinds:
            self.kind = max(self.kinds, key=lambda k: (self.kinds[k], -order.get(k, len(order))))

    @property
    def kind_label(self):
        return Event.Kind(self.kind).label if self.kind in _kind_order() else self.kind

    @property
    def precision_label(self):
        return P(self.precision).label if self.precision in P.values else _("not stated")

    @property
    def approximate(self):
        return self.uncertainty > 0

    # Positions as the SVG gets them: a tenth of a unit (about 100 m) is
    # finer than a pixel at any size the map is drawn.
    @property
    def cx(self):
        return f"{self.x:.1f}"

    @property
    def cy(self):
        return f"{self.y:.1f}"

    @property
    def r(self):
        return f"{self.radius:.2f}"

    @property
    def uncertainty_r(self):
        return f"{self.uncertainty:.1f}"


@cache
def _kind_order():
    """Each kind's place in Event.Kind: read once, as TextChoices' `values`
    is made afresh on every reading."""
    return {kind: n for n, kind in enumerate(Event.Kind.values)}


@dataclass
class Tally:
    markers: list  # places with coordinates, busiest first
    without_coordinates: int  # events at places that have none
    without_place: int


def events_by_place(events):
    """The events counted by place and kind in one grouped query over the
    events alone, then the places counted, by primary key: the places'
    columns are not carried through the grouping."""
    # COUNT(*), not of a column: event_map_idx then answers it alone.
    counts = events.order_by().values_list("place_id", "kind").annotate(events=Count("*"))
    by_place, without_place = {}, 0
    for place_id, kind, count in counts:
        if place_id is None:
            without_place += count
        else:
            by_place.setdefault(place_id, {})[kind] = count
    # A place's name in the page's language where translated (the original
    # has no column of its own to ask for: the plain one, twice).
    language = get_language()
    translated = column("name", language) if language in TRANSLATED_LANGUAGES else "name"
    places = Place.objects.filter(pk__in=by_place).values_list(
        "pk", "name", translated, "country_code", "latitude", "longitude", "location_precision"
    )
    markers, without_coordinates = [], 0
    for place_id, original, name, country_code, latitude, longitude, precision in places:
        name = name or original
        kinds = by_place[place_id]
        if latitude is None or longitude is None:
            without_coordinates += sum(kinds.values())
            continue
        label = str(Place(name=name, country_code=country_code))
        marker = Marker(place_id, name, label, latitude, longitude, precision, kinds=kinds)
        marker.count = sum(kinds.values())
        markers.append(marker)
    busiest = sorted(markers, key=lambda marker: (-marker.count, marker.label))
    return Tally(busiest, without_coordinates, without_place)


@dataclass
class ConflictMap:
    view: View | None
    tally: Tally

    @property
    def markers_drawn(self):
        """Busiest first, so that smaller markers are drawn over larger."""
        return self.tally.markers

    @property
    def legend_kinds(self):
        shown = {marker.kind for marker in self.tally.markers}
        return [(kind, label) for kind, label in Event.Kind.choices if kind in shown]

    @property
    def has_approximate(self):
        return any(marker.approximate for marker in self.tally.markers)

    @property
    def events_on_map(self):
        return sum(marker.count for marker in self.tally.markers)


def conflict_map(events):
    """The map of these events' places, fitted to them."""
    tally = events_by_place(events)
    if not tally.markers:
        return ConflictMap(None, tally)
    points = [
        (marker.longitude, marker.latitude, uncertainty_km(marker.precision))
        for marker in tally.markers
    ]
    view = View.around(points, smallest_km=SMALLEST_SPAN_KM, aspect=ASPECT)
    most = tally.markers[0].count
    for rank, marker in enumerate(tally.markers):
        marker.x, marker.y = view.projection.point(marker.longitude, marker.latitude)
        # By area: a place with four times the events has twice the radius.
        marker.radius = view.width * (0.008 + 0.03 * math.sqrt(marker.count / most))
        marker.uncertainty = view.projection.distance(uncertainty_km(marker.precision))
        marker.named = rank < MOST_PLACE_LABELS
    return ConflictMap(view, tally)


@dataclass
class Locator:
    """The locator's view, and its marker's centre and radii as the SVG
    gets them (no circle of uncertainty for an exact place)."""

    view: View
    x: str
    y: str
    radius: str
    uncertainty: str
    country_code: str


def locator_of(place):
    """The small map locating one place, or None for a place without
    coordinates."""
    if place is None or place.latitude is None or place.longitude is None:
        return None
    km = uncertainty_km(place.location_precision)
    span = max(LOCATOR_SPAN_KM, 3 * km) / 2
    view = View.around(
        [(place.longitude, place.latitude, span)],
        smallest_km=0,
        aspect=LOCATOR_ASPECT,
        margin=0,
    )
    view.text_share = 1 / 28
    x, y = view.projection.point(place.longitude, place.latitude)
    return Locator(
        view=view,
        x=f"{x:.1f}",
        y=f"{y:.1f}",
        radius=f"{view.width / 45:.2f}",
        uncertainty=f"{view.projection.distance(km):.1f}" if km else "",
        country_code=place.country_code,
    )
