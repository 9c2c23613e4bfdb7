"""One rule for an anonymous public read, which the page cache, the replica
router and the public Cache-Control header all follow: GET or HEAD, outside
the admin (by path_info, whatever the script prefix), no session cookie, no
Authorization header."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connections
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from tests.factories import EventFactory
from timeline.middleware import PublicCachingMiddleware
from timeline.requests import is_anonymous_read

CREDENTIALS = {"HTTP_AUTHORIZATION": "Bearer a-token-of-someone"}


def request(method="get", path="/conflicts/nagorno-karabakh/", **meta):
    return getattr(RequestFactory(), method)(path, **meta)


@pytest.mark.parametrize(
    ("made", "anonymous"),
    [
        (request(), True),
        (request("head"), True),
        (request(SCRIPT_NAME="/newsroom"), True),
        (request("post"), False),
        (request(path="/admin/tracker/event/"), False),
        (request(path="/admin/tracker/event/", SCRIPT_NAME="/newsroom"), False),
        (request(HTTP_COOKIE=f"{settings.SESSION_COOKIE_NAME}=abc"), False),
        (request(**CREDENTIALS), False),
    ],
    ids=[
        "get",
        "head",
        "public page under a script prefix",
        "post",
        "admin",
        "admin under a script prefix",
        "session cookie",
        "authorization header",
    ],
)
def test_an_anonymous_public_read_carries_nothing_personal(made, anonymous):
    assert is_anonymous_read(made) is anonymous


def queries(alias, request):
    with CaptureQueriesContext(connections[alias]) as captured:
        response = request()
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


@pytest.mark.django_db
def test_a_request_with_credentials_is_neither_served_nor_stored_by_the_page_cache(page_cache):
    url = EventFactory().conflict.get_absolute_url()

    assert queries("default", lambda: Client().get(url, **CREDENTIALS)) > 0
    assert queries("default", lambda: Client().get(url)) > 0
    assert queries("default", lambda: Client().get(url, **CREDENTIALS)) > 0


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_a_request_with_credentials_reads_from_the_primary(settings):
    settings.DATABASE_ROUTERS = ["config.routers.ReplicaRouter"]
    settings.PAGE_CACHE_SECONDS = 0
    url = EventFactory().conflict.get_absolute_url()

    assert queries("replica", lambda: Client().get(url, **CREDENTIALS)) == 0


@pytest.mark.django_db
def test_an_answer_to_a_request_with_credentials_is_not_marked_public():
    url = EventFactory().conflict.get_absolute_url()

    response = Client().get(url, **CREDENTIALS)

    assert "public" not in response.get("Cache-Control", "")


@pytest.mark.django_db
def test_a_page_shown_to_signed_in_staff_is_not_marked_public(administrator_client):
    url = EventFactory().conflict.get_absolute_url()

    response = administrator_client.get(url)

    assert response.status_code == 200
    assert "public" not in response.get("Cache-Control", "")


def test_the_admin_under_a_script_prefix_is_not_marked_public():
    middleware = PublicCachingMiddleware(lambda request: HttpResponse("The admin"))

    response = middleware(request(path="/admin/jsi18n/", SCRIPT_NAME="/newsroom"))

    assert "public" not in response.get("Cache-Control", "")
