"""Places with coordinates: their rules, the admin's gazetteer and its
warning when the coordinates fall outside the place's country."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse

from tests.factories import PlaceFactory
from tracker import gazetteer, geo
from tracker.models import Place

pytestmark = pytest.mark.django_db

GAZETTEER = "/admin/tracker/place/gazetteer/"
ADD = "/admin/tracker/place/add/"


def test_coordinates_need_a_location_precision():
    place = PlaceFactory.build(latitude="40.61832", longitude="47.15014", location_precision="")

    with pytest.raises(ValidationError) as raised:
        place.full_clean()

    assert raised.value.message_dict["location_precision"] == [
        "Say how exactly the coordinates locate the place."
    ]


def test_the_database_refuses_coordinates_without_a_precision():
    with pytest.raises(IntegrityError, match="place_coordinates_have_precision"):
        PlaceFactory(latitude="40.61832", longitude="47.15014", location_precision="")


def test_a_precision_without_coordinates_is_kept():
    place = PlaceFactory(name="Azerbaijan", location_precision="country")

    place.full_clean()

    assert (place.latitude, place.location_precision) == (None, "country")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("latitude", "90.00001", "Ensure this value is less than or equal to 90."),
        ("latitude", "-90.5", "Ensure this value is greater than or equal to -90."),
        ("longitude", "180.5", "Ensure this value is less than or equal to 180."),
        ("longitude", "-181", "Ensure this value is greater than or equal to -180."),
    ],
)
def test_a_coordinate_out_of_range_is_an_error_on_its_field(field, value, message):
    coordinates = {"latitude": "40", "longitude": "47", field: value}
    place = PlaceFactory.build(**coordinates, location_precision="exact")

    with pytest.raises(ValidationError) as raised:
        place.full_clean()

    assert message in raised.value.message_dict[field]


def test_half_a_pair_of_coordinates_is_an_error_on_the_missing_half():
    place = PlaceFactory.build(latitude="40", longitude=None, location_precision="exact")

    with pytest.raises(ValidationError) as raised:
        place.full_clean()

    assert raised.value.message_dict["longitude"] == ["Give the longitude with the latitude."]


@pytest.mark.parametrize(
    ("country", "latitude", "longitude", "outside"),
    [
        ("AZ", "40.61832", "47.15014", False),  # Yevlakh
        ("AZ", "47.15014", "40.61832", True),  # latitude and longitude swapped
        ("AZ", "40.61832", "-47.15014", True),  # west for east
        ("AZ", "38.30000", "48.80000", False),  # just south of the box, within its margin
        ("ZZ", "0", "0", False),  # a code the basemap does not know: no warning
    ],
)
def test_coordinates_are_checked_against_the_box_of_the_country(
    country, latitude, longitude, outside
):
    assert geo.outside_country(country, Decimal(latitude), Decimal(longitude)) is outside


def test_the_country_boxes_come_from_the_basemaps_outlines():
    west, south, east, north = geo.country_box("AZ")

    assert Decimal("44.5") < west < Decimal("45")
    assert Decimal("50") < east < Decimal("50.6")
    assert Decimal("38.3") < south < Decimal("38.5")
    assert Decimal("41.8") < north < Decimal("42")


def test_the_gazetteer_finds_a_city_by_the_start_of_its_name_without_case_or_accents():
    (yevlakh, *_others) = gazetteer.matches("yevl")

    assert yevlakh.as_json() == {
        "name": "Yevlakh",
        "country_code": "AZ",
        "country": "Azerbaijan",
        "latitude": 40.61832,
        "longitude": 47.15014,
        "population": 127400,
    }
    assert gazetteer.matches("Yevlax")[0].name == "Yevlakh"  # another name it is known by
    assert gazetteer.matches("Gyandzha")[0].name == "Ganja"


def test_the_gazetteer_offers_nothing_for_a_single_letter():
    assert gazetteer.matches("Y") == []


def test_staff_who_may_add_places_get_the_gazetteers_matches(reporter_client):
    response = reporter_client.get(GAZETTEER, {"q": "Yevl"})

    assert response.status_code == 200
    assert response.json()["matches"][0]["name"] == "Yevlakh"


def test_the_gazetteer_is_not_for_the_public(client):
    response = client.get(GAZETTEER, {"q": "Yevl"})

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_the_place_form_names_the_gazetteer_and_loads_our_script(editor_client):
    html = editor_client.get(ADD).content.decode()

    assert f'data-gazetteer="{GAZETTEER}"' in html
    assert "/static/tracker/admin/place-gazetteer.js" in html


def place_form(**fields):
    return {
        "name": "Yevlakh",
        "country_code": "AZ",
        "admin_region": "",
        "latitude": "40.61832",
        "longitude": "47.15014",
        "location_precision": "exact",
        **fields,
    }


def test_typed_coordinates_are_saved_without_a_warning(editor_client):
    response = editor_client.post(ADD, place_form(), follow=True)

    place = Place.objects.get(name="Yevlakh")
    assert (place.latitude, place.longitude) == (Decimal("40.61832"), Decimal("47.15014"))
    assert [m.level_tag for m in response.context["messages"]] == ["success"]


def test_coordinates_outside_the_country_are_saved_with_a_warning(editor_client):
    response = editor_client.post(
        ADD, place_form(latitude="47.15014", longitude="40.61832"), follow=True
    )

    assert Place.objects.filter(name="Yevlakh", latitude=Decimal("47.15014")).exists()
    (warning,) = [m for m in response.context["messages"] if m.level_tag == "warning"]
    assert "lie outside AZ" in warning.message


def test_coordinates_without_a_precision_are_refused_with_the_form_kept(editor_client):
    response = editor_client.post(ADD, place_form(location_precision=""))

    assert response.status_code == 200
    assert not Place.objects.exists()
    errors = response.context["adminform"].form.errors
    assert errors["location_precision"] == ["Say how exactly the coordinates locate the place."]
    assert response.context["adminform"].form["latitude"].value() == "40.61832"


def test_an_unreadable_coordinate_is_a_field_error_not_a_server_error(editor_client):
    response = editor_client.post(ADD, place_form(latitude="forty"))

    assert response.status_code == 200
    assert "latitude" in response.context["adminform"].form.errors
