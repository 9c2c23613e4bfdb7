"""Per-client limits on search, the API, downloads, the costliest pages and
sign-in attempts."""

import logging

import pytest
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

from config.settings import env_rate
from tests.csp import csp_directives
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

# 20 seconds into a minute-long window.
MOMENT = 60 * 16_667 + 20.0


@pytest.fixture
def limits(settings, monkeypatch):
    settings.RATE_LIMITS = {"search": (3, 60), "api": (3, 60), "downloads": (2, 60)}
    clock = {"now": MOMENT}
    monkeypatch.setattr("timeline.ratelimit.now", lambda: clock["now"])
    cache.clear()
    EventFactory(slug="ceasefire")
    yield clock
    cache.clear()


def statuses(client, path, times, **meta):
    return [client.get(path, **meta).status_code for _ in range(times)]


def test_a_client_searching_too_often_is_told_to_wait_until_the_minute_is_over(client, limits):
    assert statuses(client, "/conflicts/nagorno-karabakh/?q=ceasefire", 3) == [200] * 3
    response = client.get("/conflicts/nagorno-karabakh/?q=talks")
    assert response.status_code == 429
    assert response["Retry-After"] == "40"
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content == b"Too many requests: try again in 40 seconds.\n"


def test_reading_the_timeline_without_searching_does_not_count_as_searching(client, limits):
    assert statuses(client, "/conflicts/nagorno-karabakh/", 6) == [200] * 6
    assert statuses(client, "/conflicts/nagorno-karabakh/?q=", 6) == [200] * 6
    assert client.get("/conflicts/nagorno-karabakh/events/ceasefire/").status_code == 200


def test_the_timeline_and_the_figures_page_share_a_limit(client, limits, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "pages": (2, 60)}
    assert client.get("/conflicts/nagorno-karabakh/").status_code == 200
    assert client.get("/conflicts/nagorno-karabakh/figures/").status_code == 200
    assert client.get("/conflicts/nagorno-karabakh/?after=x").status_code == 429
    assert client.get("/conflicts/nagorno-karabakh/figures/").status_code == 429
    assert client.get("/conflicts/nagorno-karabakh/events/ceasefire/").status_code == 200


def test_the_live_view_and_its_updates_count_against_the_pages_limit(client, limits, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "pages": (2, 60)}
    assert client.get("/conflicts/nagorno-karabakh/live/").status_code == 200
    assert client.get("/conflicts/nagorno-karabakh/updates/?after=1").status_code == 200
    response = client.get("/conflicts/nagorno-karabakh/updates/?after=2")
    assert response.status_code == 429
    assert response["Retry-After"] == "40"
    assert client.get("/conflicts/nagorno-karabakh/live/").status_code == 429


def test_sign_in_attempts_from_one_address_are_limited_whatever_the_username(
    client, limits, settings
):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "signin": (3, 60)}
    for username in ["amira", "omar", "lena"]:
        response = client.post("/admin/login/", {"username": username, "password": "guess"})
        assert response.status_code == 200
    response = client.post("/admin/login/", {"username": "rustam", "password": "guess"})
    assert response.status_code == 429
    assert response["Retry-After"] == "40"
    assert client.get("/admin/login/").status_code == 200


def test_the_api_answers_too_many_requests_in_json(client, limits):
    assert statuses(client, "/api/v1/events/", 2) == [200] * 2
    assert client.get("/api/v1/conflicts/").status_code == 200
    response = client.get("/api/v1/events/?q=ceasefire")
    assert response.status_code == 429
    assert response["Retry-After"] == "40"
    assert response.json() == {"detail": "Too many requests: try again in 40 seconds."}


@pytest.mark.parametrize(
    "path",
    [
        "/conflicts/nagorno-karabakh/events.csv",
        "/conflicts/nagorno-karabakh/claims.csv",
        "/conflicts/nagorno-karabakh/events-ucdp.csv",
        "/conflicts/nagorno-karabakh/timelinejs.json",
        "/conflicts/nagorno-karabakh/feed.atom",
        "/feed.rss",
    ],
)
def test_downloads_and_feeds_share_one_limit(client, limits, path):
    client.get("/conflicts/nagorno-karabakh/events.csv")
    assert statuses(client, path, 2) == [200, 429]


def test_each_client_address_has_its_own_count(client, limits):
    statuses(client, "/api/v1/events/", 4)
    assert client.get("/api/v1/events/", REMOTE_ADDR="198.51.100.4").status_code == 200


def test_a_new_window_starts_a_new_count(client, limits):
    statuses(client, "/api/v1/events/", 4)
    limits["now"] += 30
    assert client.get("/api/v1/events/")["Retry-After"] == "10"
    limits["now"] += 10
    assert client.get("/api/v1/events/").status_code == 200


def test_the_limits_are_counted_separately(client, limits):
    statuses(client, "/api/v1/events/", 4)
    assert client.get("/conflicts/nagorno-karabakh/?q=ceasefire").status_code == 200
    assert client.get("/conflicts/nagorno-karabakh/events.csv").status_code == 200


def test_a_forwarded_address_is_ignored_unless_a_proxy_header_is_configured(client, limits):
    for n in range(4):
        last = client.get("/api/v1/events/", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    assert last.status_code == 429


def test_behind_a_configured_proxy_each_forwarded_address_has_its_own_count(
    client, limits, settings
):
    settings.CLIENT_IP_HEADER = "X-Forwarded-For"
    statuses(client, "/api/v1/events/", 4, HTTP_X_FORWARDED_FOR="192.0.2.1")
    # What a client writes in front of the proxy's own entry does not count.
    assert (
        client.get("/api/v1/events/", HTTP_X_FORWARDED_FOR="10.9.9.9, 192.0.2.1").status_code == 429
    )
    assert client.get("/api/v1/events/", HTTP_X_FORWARDED_FOR="192.0.2.2").status_code == 200


def test_a_limited_answer_has_the_security_headers_and_no_cookie(client, limits):
    statuses(client, "/api/v1/events/", 3)
    response = client.get("/api/v1/events/")
    assert response.status_code == 429
    assert csp_directives(response)["default-src"] == ["'self'"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert not response.cookies


def test_the_newsroom_is_not_limited(administrator_client, limits):
    assert statuses(administrator_client, "/admin/tracker/event/?q=ceasefire", 5) == [200] * 5


def test_a_failing_cache_lets_requests_through_and_is_logged(client, limits, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise ConnectionError("cache unreachable")

    monkeypatch.setattr("timeline.ratelimit.count_request", broken)
    with caplog.at_level(logging.ERROR, logger="timeline.ratelimit"):
        assert statuses(client, "/api/v1/events/", 5) == [200] * 5
    assert "the cache failed" in caplog.text


def test_a_limit_switched_off_lets_everything_through(client, limits, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "api": None}
    assert statuses(client, "/api/v1/events/", 6) == [200] * 6


@pytest.mark.parametrize(
    ("value", "rate"),
    [("", (30, 60)), ("100/h", (100, 3600)), ("5/s", (5, 1)), ("50/300", (50, 300))],
)
def test_limits_are_read_from_the_environment(monkeypatch, value, rate):
    monkeypatch.setenv("DJANGO_RATE_LIMIT_API", value)
    assert env_rate("DJANGO_RATE_LIMIT_API", "30/m") == rate


def test_a_limit_can_be_switched_off_from_the_environment(monkeypatch):
    monkeypatch.setenv("DJANGO_RATE_LIMIT_API", "off")
    assert env_rate("DJANGO_RATE_LIMIT_API", "30/m") is None


@pytest.mark.parametrize("value", ["lots", "30", "0/m", "30/fortnight", "-1/m"])
def test_a_limit_that_cannot_be_read_stops_the_start(monkeypatch, value):
    monkeypatch.setenv("DJANGO_RATE_LIMIT_API", value)
    with pytest.raises(ImproperlyConfigured, match="DJANGO_RATE_LIMIT_API must be a rate"):
        env_rate("DJANGO_RATE_LIMIT_API", "30/m")


def test_a_page_served_from_the_page_cache_counts_against_the_limit(client, limits, settings):
    settings.PAGE_CACHE_SECONDS = 60
    path = "/conflicts/nagorno-karabakh/?q=ceasefire"

    # The first answer is stored; the next two come from the page cache.
    assert statuses(client, path, 3) == [200] * 3
    assert client.get(path).status_code == 429


def test_another_language_s_prefix_is_limited_as_the_english_page_is(client, limits, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "pages": (2, 60)}
    assert client.get("/conflicts/nagorno-karabakh/").status_code == 200
    assert client.get("/ru/conflicts/nagorno-karabakh/").status_code == 200

    response = client.get("/ar/conflicts/nagorno-karabakh/figures/")

    assert response.status_code == 429
    # Told in the language of the page asked for.
    assert response.content.decode() == "طلبات كثيرة جدًا: حاول مجددًا بعد 40 ثانية.\n"
