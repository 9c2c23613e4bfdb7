"""The API's OpenAPI schema: that it is complete, and that the API keeps to it
under property-based testing (schemathesis, driving the WSGI app)."""

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
import schemathesis
from django.core.cache import cache
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.factories import (
    CitationFactory,
    ClaimFactory,
    ConflictFactory,
    CorrectionFactory,
    EventFactory,
    EventLinkFactory,
    ParticipantFactory,
    PhaseFactory,
    PlaceFactory,
)
from timeline.api.docs import api_schema
from tracker.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def openapi(client):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_schema_generates_without_warnings_and_validates(tmp_path):
    # --fail-on-warn turns every guess drf-spectacular has to make into an error.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", tmp_path / "schema.yml")
    assert (tmp_path / "schema.yml").read_text().startswith("openapi: 3.0.3")


def test_the_schema_is_served_as_json_and_yaml(client, openapi):
    assert openapi["openapi"].startswith("3.")
    assert openapi["info"]["title"] == "Conflict timeline API"
    assert client.get("/api/schema/").content.startswith(b"openapi: 3.0.3")


def test_the_schema_covers_every_endpoint(openapi):
    assert sorted(openapi["paths"]) == [
        "/api/v1/actors/",
        "/api/v1/actors/{id}/",
        "/api/v1/conflicts/",
        "/api/v1/conflicts/{slug}/",
        "/api/v1/events/",
        "/api/v1/events/{id}/",
        "/api/v1/places/",
        "/api/v1/places/{id}/",
        "/api/v1/retracted/",
        "/api/v1/sources/",
        "/api/v1/sources/{id}/",
        "/api/v1/withdrawals/",
    ]
    assert all(list(methods) == ["get"] for methods in openapi["paths"].values())


def test_every_operation_and_parameter_is_described(openapi):
    for path, methods in openapi["paths"].items():
        for operation in methods.values():
            assert operation["summary"] and operation["description"], path
            for parameter in operation["parameters"]:
                assert parameter.get("description"), (path, parameter["name"])
            for status, response in operation["responses"].items():
                assert response["description"], (path, status)


def test_the_events_list_documents_the_timeline_filters_and_updated_since(openapi):
    parameters = {
        parameter["name"]: parameter
        for parameter in openapi["paths"]["/api/v1/events/"]["get"]["parameters"]
    }
    assert set(parameters) == {
        "q", "conflict", "kind", "actor", "place", "date_from", "date_to", "disputed",
        "has_figures", "key", "updated_since", "cursor", "page_size",
    }  # fmt: skip
    assert parameters["kind"]["schema"]["type"] == "array"
    assert "ceasefire" in parameters["kind"]["schema"]["items"]["enum"]
    assert parameters["actor"]["schema"]["type"] == "integer"
    assert parameters["updated_since"]["schema"]["format"] == "date-time"
    assert "page" not in parameters  # keyset pages only: nothing is counted


def parameters_of(openapi, path):
    return {
        parameter["name"]: parameter["schema"]
        for parameter in openapi["paths"][path]["get"]["parameters"]
    }


@pytest.mark.parametrize(
    ("path", "cursor"),
    [("/api/v1/events/", "1695200400000000-42"), ("/api/v1/actors/", "42")],
)
def test_the_schema_gives_the_form_of_a_cursor_which_excludes_the_empty_one(openapi, path, cursor):
    pattern = parameters_of(openapi, path)["cursor"]["pattern"]
    assert re.search(pattern, cursor)
    assert not re.search(pattern, "")
    assert not re.search(pattern, "x-1")


def test_an_empty_cursor_is_refused_as_the_schema_says(client):
    response = client.get("/api/v1/events/?cursor=")
    assert response.status_code == 400
    assert "cursor" in response.json()


def test_the_schema_gives_the_largest_page(openapi):
    assert parameters_of(openapi, "/api/v1/events/")["page_size"] == {
        "type": "integer",
        "minimum": 1,
        "maximum": 200,
    }


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/api/v1/events/{id}/", "id"),
        ("/api/v1/actors/{id}/", "id"),
        ("/api/v1/events/", "actor"),
        ("/api/v1/events/", "place"),
    ],
)
def test_the_schema_bounds_every_id_as_the_database_does(openapi, path, name):
    schema = parameters_of(openapi, path)[name]
    assert (schema["type"], schema["minimum"], schema["maximum"]) == ("integer", 1, 2**63 - 1)


def test_the_yes_no_filters_say_what_false_means(openapi):
    parameters = parameters_of(openapi, "/api/v1/events/")
    assert parameters["disputed"]["type"] == "boolean"
    descriptions = {
        parameter["name"]: parameter["description"]
        for parameter in openapi["paths"]["/api/v1/events/"]["get"]["parameters"]
    }
    assert "`false`: only the others" in descriptions["disputed"]


def test_the_docs_page_lists_every_endpoint_and_needs_no_script(client, openapi):
    response = client.get("/api/docs/")
    html = response.content.decode()
    assert response.status_code == 200
    for path in openapi["paths"]:
        assert f"GET {path}" in html
    assert "updated_since" in html
    assert 'id="schema-Event"' in html
    assert "<script" not in html
    assert not re.search(r"""(src|href)=["']https?://""", html.split("<main", 1)[1])


# Property-based: generated requests within and outside the schema.


@pytest.fixture
def published_record(db):
    """Something for every endpoint to find."""
    conflict = ConflictFactory()
    PhaseFactory(conflict=conflict)
    start = datetime(2023, 9, 19, 8, tzinfo=UTC)
    for n in range(3):
        event = EventFactory(
            conflict=conflict,
            starts_at=start + timedelta(hours=7 * n),
            precision="minute",
            place=PlaceFactory(latitude="39.8", longitude="46.7"),
            summary="**Talks** in [Yevlakh](https://example.org/)",
        )
        ParticipantFactory(event=event, actor__aliases="MoD\nDefence ministry")
        CitationFactory(event=event)
        ClaimFactory(event=event, best=32, population="civilians")
        ClaimFactory(event=event, best=100, qualifier="about", high=120)
        ClaimFactory(event=event, best=200, qualifier="more_than")
        CorrectionFactory(event=event)
    EventLinkFactory(from_event=event, to_event=Event.objects.first())
    EventFactory(conflict=conflict).retract(reason="Wrong.")
    EventFactory(conflict=conflict).return_to_draft()


@pytest.fixture
def wsgi_app(settings, published_record):
    # schemathesis's WSGI client sends Host: localhost.
    settings.ALLOWED_HOSTS = ["localhost"]
    # As Django's test client does: the end of a request must not close the
    # connection holding the test's transaction.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# The schema as /api/schema/ serves it. Loaded while tests are collected,
# as schemathesis's pytest integration needs it then.
schema = schemathesis.openapi.from_dict(
    json.loads(OpenApiJsonRenderer().render(api_schema(), renderer_context={}))
)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_keeps_to_its_schema(case, wsgi_app):
    """Valid and invalid generated requests: never a 5xx, and every answer is
    one the schema documents, with the documented shape."""
    case.call_and_validate(app=wsgi_app, checks=CHECKS)


@pytest.fixture
def rate_limited_wsgi_app(wsgi_app, settings):
    """The API with a limit the generated requests soon pass."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api": (2, 3600)}
    cache.clear()
    yield wsgi_app
    cache.clear()


@schema.parametrize()
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_api_keeps_to_its_schema_when_a_client_is_over_its_limit(case, rate_limited_wsgi_app):
    """Past the limit every answer is the documented 429."""
    case.call_and_validate(app=rate_limited_wsgi_app, checks=CHECKS)
