"""The conflict map and the event's locator map: server-drawn SVG on our own
basemap, one marker per place counted in the database, the timeline's
filters applied."""

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.cache import cache

from tests.factories import ClaimFactory, ConflictFactory, EventFactory, PlaceFactory
from timeline import maps
from tracker import newsroom
from tracker.models import Event

pytestmark = pytest.mark.django_db

MAP = "/conflicts/nagorno-karabakh/map/"


@pytest.fixture
def yevlakh():
    return PlaceFactory(name="Yevlakh", latitude="40.61832", longitude="47.15014")


@pytest.fixture
def karabakh():
    return PlaceFactory(
        name="Nagorno-Karabakh",
        latitude="39.81530",
        longitude="46.75190",
        location_precision="region",
    )


def map_svg(response):
    return response.content.decode().split('<svg class="map"', 1)[1].split("</svg>", 1)[0]


def markers(response):
    """(href, title) of each place's marker on the map."""
    svg = map_svg(response)
    return re.findall(r'<a class="map-place[^"]*" href="([^"]+)">\s*<title>([^<]+)</title>', svg)


def test_the_map_has_a_marker_per_place_counting_its_published_events(client, yevlakh, karabakh):
    EventFactory.create_batch(3, place=karabakh, kind=Event.Kind.STRIKE)
    EventFactory(place=karabakh, kind=Event.Kind.CEASEFIRE)
    EventFactory(place=yevlakh, kind=Event.Kind.NEGOTIATION)
    EventFactory(place=yevlakh, status=Event.Status.DRAFT)

    response = client.get(MAP)

    assert response.status_code == 200
    assert [title for _href, title in markers(response)] == [
        "Nagorno-Karabakh, AZ: 4 events, mostly strike (region)",
        "Yevlakh, AZ: 1 event, negotiation (exact place)",
    ]


def test_each_marker_links_to_the_timeline_of_its_place_with_the_maps_filters(
    client, yevlakh, karabakh
):
    EventFactory(place=yevlakh, kind=Event.Kind.NEGOTIATION, title="Talks in Yevlakh")
    EventFactory(place=karabakh, kind=Event.Kind.NEGOTIATION, title="Talks elsewhere")

    response = client.get(f"{MAP}?kind=negotiation&disputed=false")

    href = {title: href for href, title in markers(response)}[
        "Yevlakh, AZ: 1 event, negotiation (exact place)"
    ]
    assert href == (
        f"/conflicts/nagorno-karabakh/?kind=negotiation&amp;disputed=false&amp;place={yevlakh.pk}"
    )
    timeline = client.get(href.replace("&amp;", "&")).content.decode()
    assert "Talks in Yevlakh" in timeline
    assert "Talks elsewhere" not in timeline


def test_the_timelines_filters_narrow_the_map(client, yevlakh, karabakh):
    EventFactory(place=karabakh, kind=Event.Kind.STRIKE)
    talks = EventFactory(place=yevlakh, kind=Event.Kind.NEGOTIATION)
    ClaimFactory(event=talks, best=32)
    ClaimFactory(event=talks, best=100, qualifier="about")
    EventFactory(
        place=karabakh, kind=Event.Kind.STRIKE, starts_at=datetime(2023, 10, 5, tzinfo=UTC)
    )

    by_kind = client.get(f"{MAP}?kind=negotiation")
    disputed = client.get(f"{MAP}?disputed=true")
    by_date = client.get(f"{MAP}?date_from=2023-10-01")

    assert [t for _h, t in markers(by_kind)] == ["Yevlakh, AZ: 1 event, negotiation (exact place)"]
    assert [t for _h, t in markers(disputed)] == ["Yevlakh, AZ: 1 event, negotiation (exact place)"]
    assert [t for _h, t in markers(by_date)] == ["Nagorno-Karabakh, AZ: 1 event, strike (region)"]


def test_approximate_places_are_drawn_with_a_circle_of_their_uncertainty(client, yevlakh, karabakh):
    EventFactory(place=yevlakh)
    EventFactory(place=karabakh)

    svg = map_svg(client.get(MAP))

    # One dashed circle: the region's, 75 km (67 units of 0.01°) from its point.
    (radius,) = re.findall(r'class="map-uncertainty" cx="[^"]+" cy="[^"]+" r="([^"]+)"', svg)
    assert float(radius) == pytest.approx(75 / 111.32 * 100, abs=0.1)


def test_the_map_is_fitted_to_the_places_of_the_conflict(client, yevlakh, karabakh):
    EventFactory(place=yevlakh)
    EventFactory(place=karabakh)

    svg = client.get(MAP).content.decode()

    x, y, width, height = map(float, re.search(r'class="map" viewBox="([^"]+)"', svg)[1].split())
    projection = maps.Projection(parallel=(39.8153 + 40.61832) / 2)
    for place in (yevlakh, karabakh):
        px, py = projection.point(place.longitude, place.latitude)
        assert x < px < x + width and y < py < y + height
    assert width == pytest.approx(1.5 * height, rel=1e-3)
    # A few hundred kilometres across (a unit is 0.01° of latitude), not the world.
    assert 200 < width / 100 * 111.32 < 800


def test_the_map_draws_the_basemap_from_our_own_static_files(client, yevlakh, karabakh):
    EventFactory(place=yevlakh)
    EventFactory(place=karabakh)

    html = client.get(MAP).content.decode()

    tiles = re.findall(r'<use class="map-land" href="([^"]+)"', html)
    assert "/static/timeline/basemap/15-3.svg#land" in tiles  # 45°E to 60°E, 45°N to 30°N
    assert all(re.fullmatch(r"/static/timeline/basemap/\d+-\d+\.svg#land", t) for t in tiles)
    assert ">Azerbaijan</text>" in html
    assert "http://" not in html.split("<svg", 1)[1].split("</svg>", 1)[0].replace(
        "http://www.w3.org", ""
    )


def test_the_text_alternative_lists_every_place_with_its_count(client, yevlakh, karabakh):
    EventFactory.create_batch(2, place=karabakh)
    EventFactory(place=yevlakh)
    EventFactory(place=PlaceFactory(name="Somewhere unmapped"))
    EventFactory(place=None)

    html = client.get(MAP).content.decode()

    table = html.split('<table class="map-places">', 1)[1].split("</table>", 1)[0]
    rows = re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a></th>\s*<td>(\d+)</td>', table)
    assert rows == [("Nagorno-Karabakh, AZ", "2"), ("Yevlakh, AZ", "1")]
    assert "Not on the map: 1 event at a place without coordinates; 1 event with no place." in html


def test_a_map_without_coordinates_says_so(client):
    EventFactory(place=PlaceFactory(name="Somewhere unmapped"))

    html = client.get(MAP).content.decode()

    assert '<svg class="map"' not in html
    assert "No published event has a place with coordinates yet." in html


def test_an_unreadable_filter_is_shown_beside_its_field_not_a_server_error(client, yevlakh):
    EventFactory(place=yevlakh)

    response = client.get(f"{MAP}?disputed=maybe&date_from=not-a-date")

    assert response.status_code == 200
    assert response.content.decode().count('class="field-error"') == 2


def test_the_conflict_page_links_to_its_map_with_its_filters(client, yevlakh):
    EventFactory(place=yevlakh)

    html = client.get("/conflicts/nagorno-karabakh/?kind=ceasefire").content.decode()

    assert f'href="{MAP}?kind=ceasefire"' in html


def fill(conflict, count, places):
    start = datetime(2023, 9, 1, tzinfo=UTC)
    for n in range(count):
        EventFactory(
            conflict=conflict,
            starts_at=start + timedelta(hours=n),
            place=places[n % len(places)],
            kind=[Event.Kind.STRIKE, Event.Kind.CLASH, Event.Kind.CEASEFIRE][n % 3],
        )


@pytest.mark.parametrize(
    "view", ["", "?kind=strike&kind=clash", "?disputed=false&date_from=2023-09-01"]
)
def test_the_map_costs_four_queries_at_any_size(client, django_assert_num_queries, view):
    small, large = ConflictFactory(slug="small"), ConflictFactory(slug="large", name="Large")
    places = [
        PlaceFactory(latitude=Decimal("40") + n, longitude=Decimal("47") + n) for n in range(6)
    ]
    fill(small, 2, places[:1])
    fill(large, 90, places)
    for conflict in (small, large):
        newsroom.forget()  # read afresh for each, as the conflict's own counts are
        # The newsroom's look; the conflict; its events counted by place and
        # kind; those places.
        with django_assert_num_queries(4):
            response = client.get(f"/conflicts/{conflict.slug}/map/{view}")
        assert response.status_code == 200


def test_a_map_with_nothing_to_show_does_not_ask_for_places(client, django_assert_num_queries):
    EventFactory(place=PlaceFactory(latitude="40", longitude="47"), kind=Event.Kind.STRIKE)

    # The newsroom's look; the conflict; its events counted by place and kind,
    # of which there are none.
    with django_assert_num_queries(3):
        response = client.get(f"{MAP}?kind=ceasefire")
    assert "No published event matching these filters has a place with coordinates." in (
        response.content.decode()
    )


def test_a_stored_map_is_served_without_a_query_and_renewed_by_a_change(
    client, settings, django_assert_num_queries, django_capture_on_commit_callbacks, yevlakh
):
    settings.PAGE_CACHE_SECONDS = 60
    cache.clear()
    EventFactory(place=yevlakh)
    client.get(MAP)

    with django_assert_num_queries(0):
        stored = client.get(MAP)
    assert "Yevlakh, AZ: 1 event" in stored.content.decode()
    assert "conflict-nagorno-karabakh" in stored["xkey"].split()

    with django_capture_on_commit_callbacks(execute=True):
        EventFactory(place=yevlakh)
    assert "Yevlakh, AZ: 2 events" in client.get(MAP).content.decode()


def test_moving_a_place_moves_its_marker_on_the_stored_map(
    client, settings, django_capture_on_commit_callbacks, yevlakh
):
    settings.PAGE_CACHE_SECONDS = 60
    cache.clear()
    EventFactory(place=yevlakh)
    before = client.get(MAP).content.decode()

    yevlakh.latitude, yevlakh.longitude = Decimal("40.40000"), Decimal("47.00000")
    with django_capture_on_commit_callbacks(execute=True):
        yevlakh.save()

    assert client.get(MAP).content.decode() != before


def test_the_event_page_shows_a_locator_map_of_its_place(client, yevlakh):
    event = EventFactory(place=yevlakh, slug="talks")

    html = client.get(event.get_absolute_url()).content.decode()

    locator = html.split('<section class="locator"', 1)[1].split("</section>", 1)[0]
    assert "Map locating Yevlakh, AZ (exact place)" in locator
    assert 'href="/static/timeline/basemap/15-3.svg#land"' in locator
    assert locator.count('class="map-marker"') == 1
    assert f'href="{MAP}"' in locator


def test_an_event_without_coordinates_has_no_locator_map(client):
    event = EventFactory(place=PlaceFactory(), slug="talks")

    html = client.get(event.get_absolute_url()).content.decode()

    assert 'class="locator"' not in html


def test_the_locator_centres_on_its_place_true_to_scale_at_its_latitude(yevlakh):
    spot = maps.locator_of(yevlakh)

    view = spot.view
    assert view.x + view.width / 2 == pytest.approx(float(spot.x), abs=0.05)
    assert view.y + view.height / 2 == pytest.approx(float(spot.y), abs=0.05)
    assert view.projection.parallel == pytest.approx(40.61832)
    # 400 km from north to south (a unit is 0.01° of latitude), and as many
    # kilometres per unit from west to east, at that latitude.
    assert view.height / 100 * 111.32 == pytest.approx(400)
    assert view.width == pytest.approx(1.25 * view.height)
    assert view.projection.x_scale == pytest.approx(0.7591, abs=1e-4)


def test_a_place_with_events_of_several_kinds_takes_the_colour_of_the_most(yevlakh):
    EventFactory.create_batch(2, place=yevlakh, kind=Event.Kind.CLASH)
    EventFactory(place=yevlakh, kind=Event.Kind.STRIKE)

    drawn = maps.conflict_map(Event.objects.published())

    (marker,) = drawn.tally.markers
    assert (marker.kind, marker.count, marker.kinds) == ("clash", 3, {"clash": 2, "strike": 1})
    assert drawn.legend_kinds == [("clash", "clash")]


def test_a_busier_place_has_a_larger_marker_by_area(yevlakh, karabakh):
    EventFactory.create_batch(4, place=karabakh)
    EventFactory(place=yevlakh)

    busy, quiet = maps.conflict_map(Event.objects.published()).tally.markers

    assert (busy.count, quiet.count) == (4, 1)
    assert busy.radius / quiet.radius == pytest.approx((0.008 + 0.03) / (0.008 + 0.03 / 2))


def test_every_tile_the_basemap_lists_is_a_small_static_file_of_land():
    from django.contrib.staticfiles import finders

    from tracker.geo import basemap

    tiles = basemap()["tiles"]
    assert len(tiles) > 150
    for tile in tiles:
        svg = Path(finders.find(f"timeline/basemap/{tile}.svg")).read_text()
        assert '<g id="land">' in svg
        assert len(svg) < 20_000, tile


def test_a_view_loads_the_tiles_it_covers_and_no_others():
    across_45_east = maps.View.around(
        [(44.5, 40, 0), (45.5, 40.2, 0)], smallest_km=0, aspect=1.5, margin=0
    )
    within_one = maps.View.around([(47.15, 40.6, 10)], smallest_km=0, aspect=1.5, margin=0)

    assert across_45_east.tiles() == ["timeline/basemap/14-3.svg", "timeline/basemap/15-3.svg"]
    assert within_one.tiles() == ["timeline/basemap/15-3.svg"]
