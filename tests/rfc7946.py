"""The structure RFC 7946 gives a GeoJSON FeatureCollection of Points, as a
JSON Schema (draft 2020-12), for the events.geojson tests. Section numbers
are the RFC's."""

POSITION = {
    # 3.1.1: longitude, latitude (WGS 84, 4), optionally altitude.
    "type": "array",
    "minItems": 2,
    "maxItems": 3,
    "prefixItems": [
        {"type": "number", "minimum": -180, "maximum": 180},
        {"type": "number", "minimum": -90, "maximum": 90},
        {"type": "number"},
    ],
}
POINT = {
    "type": "object",
    "required": ["type", "coordinates"],
    "properties": {"type": {"const": "Point"}, "coordinates": POSITION},
}
FEATURE = {
    # 3.2: a Feature has a geometry (or null) and properties (or null); an
    # id, when given, is a string or a number.
    "type": "object",
    "required": ["type", "geometry", "properties"],
    "properties": {
        "type": {"const": "Feature"},
        "id": {"type": ["string", "number"]},
        "geometry": {"oneOf": [{"type": "null"}, POINT]},
        "properties": {"type": ["object", "null"]},
    },
    # 7.1: members of other GeoJSON types do not belong in a Feature.
    "not": {"anyOf": [{"required": ["coordinates"]}, {"required": ["features"]}]},
}
FEATURE_COLLECTION = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "required": ["type", "features"],
    "properties": {
        "type": {"const": "FeatureCollection"},
        "features": {"type": "array", "items": FEATURE},
    },
    # 4: RFC 7946 removed "crs"; coordinates are always WGS 84.
    "not": {"required": ["crs"]},
}
