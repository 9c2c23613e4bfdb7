"""A conflict's published events as GeoJSON (RFC 7946): one Feature per
event whose place has coordinates, a Point at [longitude, latitude] in
WGS 84, the timeline's filters applied as in every download.

The document is streamed a chunk of events at a time, from a database
iterator over plain values, so memory stays flat at any size. Properties
are fixed English identifiers, as in the CSV files: `kind`, `start_date`
and `end_date` at the event's precision (tracker.dates.machine_date),
`precision`, `place`, `location_precision` (how exactly the point locates
the event; UCDP's where_prec, ACLED's geo_precision), `permalink`.
"""

import json

from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404

from tracker.dates import machine_date
from tracker.models import Conflict

from .downloads import ROWS_PER_CHUNK, in_chunks, iso_utc, permalinks
from .published import filtered_events

OPENING = '{"type":"FeatureCollection","features":['
CLOSING = "]}\n"


def feature(row, *, conflict, permalink):
    (pk, slug, kind, title, starts_at, ends_at, precision, is_key, disputed, place,
     country_code, admin_region, latitude, longitude, location_precision) = row  # fmt: skip
    tz = conflict.tz
    return {
        "type": "Feature",
        "id": pk,
        "geometry": {"type": "Point", "coordinates": [float(longitude), float(latitude)]},
        "properties": {
            "slug": slug,
            "title": title,
            "kind": kind,
            "starts_at": iso_utc(starts_at),
            "ends_at": iso_utc(ends_at) or None,
            "start_date": machine_date(starts_at, precision, tz),
            "end_date": machine_date(ends_at, precision, tz) if ends_at else None,
            "precision": precision,
            "place": place,
            "country_code": country_code,
            "admin_region": admin_region,
            "location_precision": location_precision or None,
            "is_key": is_key,
            "disputed": disputed,
            "conflict": conflict.slug,
            "permalink": permalink(slug),
        },
    }


def events_geojson(request, conflict):
    conflict = get_object_or_404(Conflict, slug=conflict)
    rows = (
        filtered_events(request, conflict)
        .filter(place__latitude__isnull=False, place__longitude__isnull=False)
        .order_by("starts_at", "pk")
        .values_list(
            "pk", "slug", "kind", "title", "starts_at", "ends_at", "precision", "is_key",
            "has_disputed_figures", "place__name", "place__country_code", "place__admin_region",
            "place__latitude", "place__longitude", "place__location_precision",
        )
    )  # fmt: skip
    permalink = permalinks(request, conflict)

    def parts():
        yield OPENING
        separator = ""
        for chunk in in_chunks(rows.iterator(chunk_size=ROWS_PER_CHUNK)):
            features = (
                json.dumps(feature(row, conflict=conflict, permalink=permalink), ensure_ascii=False)
                for row in chunk
            )
            text = ",".join(features)
            yield separator + text
            separator = ","
        yield CLOSING

    return StreamingHttpResponse(
        parts(),
        content_type="application/geo+json; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{conflict.slug}-events.geojson"',
            # Web maps on other sites (uMap, geojson.io) read it as it is:
            # public, and it uses no cookies.
            "Access-Control-Allow-Origin": "*",
            "Cross-Origin-Resource-Policy": "cross-origin",
        },
    )
