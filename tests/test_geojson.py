"""events.geojson: RFC 7946, one Feature per published event with
coordinates, streamed, with the timeline's filters; read back by a GeoJSON
library."""

import json
from datetime import UTC, datetime

import geojson
import jsonschema
import pytest
from django.http import StreamingHttpResponse

from tests.factories import ClaimFactory, ConflictFactory, EventFactory, PlaceFactory
from tests.rfc7946 import FEATURE_COLLECTION
from tracker.models import Event

pytestmark = pytest.mark.django_db

URL = "/conflicts/nagorno-karabakh/events.geojson"


@pytest.fixture
def yevlakh():
    return PlaceFactory(
        name="Yevlakh", latitude="40.61832", longitude="47.15014", admin_region="Yevlax"
    )


def download(client, query=""):
    response = client.get(f"{URL}{query}")
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content).decode()


def test_the_document_follows_rfc_7946(client, yevlakh):
    EventFactory.create_batch(3, place=yevlakh)
    EventFactory(place=PlaceFactory(name="Off the coast", latitude="-33.5", longitude="-58.25"))

    document = json.loads(download(client))

    jsonschema.validate(document, FEATURE_COLLECTION)
    assert len(document["features"]) == 4


def test_the_schema_refuses_what_rfc_7946_does():
    swapped = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [40.6, 147.1]},
                "properties": {},
            }
        ],
    }
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(swapped, FEATURE_COLLECTION)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(
            {"type": "FeatureCollection", "features": [], "crs": {}}, FEATURE_COLLECTION
        )


def test_a_geojson_reader_opens_it_with_the_points_where_the_places_are(client, yevlakh):
    EventFactory(place=yevlakh, kind=Event.Kind.NEGOTIATION)

    collection = geojson.loads(download(client))

    assert collection.is_valid, collection.errors()
    (feature,) = collection["features"]
    assert isinstance(feature.geometry, geojson.Point)
    assert feature.geometry.coordinates == [47.15014, 40.61832]  # longitude first


def test_a_feature_says_what_the_timeline_says(client, yevlakh):
    event = EventFactory(
        place=yevlakh,
        slug="talks-scheduled-in-yevlakh",
        title="Talks scheduled in Yevlakh",
        kind=Event.Kind.NEGOTIATION,
        starts_at=datetime(2023, 9, 20, 20, 0, tzinfo=UTC),
        precision="day",
    )

    (feature,) = json.loads(download(client))["features"]

    assert feature["id"] == event.pk
    assert feature["properties"] == {
        "slug": "talks-scheduled-in-yevlakh",
        "title": "Talks scheduled in Yevlakh",
        "kind": "negotiation",
        "starts_at": "2023-09-20T20:00:00Z",
        "ends_at": None,
        # Its local day in Baku (UTC+4), at its precision.
        "start_date": "2023-09-21",
        "end_date": None,
        "precision": "day",
        "place": "Yevlakh",
        "country_code": "AZ",
        "admin_region": "Yevlax",
        "location_precision": "exact",
        "is_key": False,
        "disputed": False,
        "conflict": "nagorno-karabakh",
        "permalink": "http://testserver/conflicts/nagorno-karabakh/events/talks-scheduled-in-yevlakh/",
    }


def test_only_published_events_at_places_with_coordinates_are_features(client, yevlakh):
    EventFactory(place=yevlakh, slug="published")
    EventFactory(place=yevlakh, slug="draft", status=Event.Status.DRAFT)
    EventFactory(place=PlaceFactory(), slug="unmapped")
    EventFactory(place=None, slug="nowhere")
    EventFactory(place=yevlakh, slug="elsewhere", conflict=ConflictFactory(slug="other"))

    features = json.loads(download(client))["features"]

    assert [feature["properties"]["slug"] for feature in features] == ["published"]


def test_the_timelines_filters_apply(client, yevlakh):
    EventFactory(place=yevlakh, slug="strike", kind=Event.Kind.STRIKE)
    disputed = EventFactory(place=yevlakh, slug="disputed", kind=Event.Kind.CASUALTY_REPORT)
    ClaimFactory(event=disputed, best=32)
    ClaimFactory(event=disputed, best=100, qualifier="about")

    by_kind = json.loads(download(client, "?kind=strike"))["features"]
    by_dispute = json.loads(download(client, "?disputed=true"))["features"]

    assert [feature["properties"]["slug"] for feature in by_kind] == ["strike"]
    assert [feature["properties"]["slug"] for feature in by_dispute] == ["disputed"]
    assert by_dispute[0]["properties"]["disputed"] is True


def test_an_empty_selection_is_an_empty_collection(client):
    ConflictFactory()

    assert json.loads(download(client)) == {"type": "FeatureCollection", "features": []}


def test_many_events_are_streamed_in_chunks_as_one_document(client, yevlakh, monkeypatch):
    monkeypatch.setattr("timeline.geojson.ROWS_PER_CHUNK", 2)
    monkeypatch.setattr("timeline.downloads.ROWS_PER_CHUNK", 2)
    EventFactory.create_batch(5, place=yevlakh)

    response = client.get(URL)
    parts = list(response.streaming_content)

    assert len(parts) > 3
    assert len(json.loads(b"".join(parts))["features"]) == 5


def test_it_is_an_attachment_readable_from_other_sites(client, yevlakh):
    EventFactory(place=yevlakh)

    response = client.get(URL)

    assert response["Content-Type"] == "application/geo+json; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="nagorno-karabakh-events.geojson"'
    )
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "conflict-nagorno-karabakh" in response["xkey"].split()
    assert not response.cookies


def test_a_filter_it_cannot_read_is_refused(client):
    ConflictFactory()

    assert client.get(f"{URL}?disputed=maybe").status_code == 400
