"""The security headers of every kind of public response, and the admin's
cookies."""

import pytest
from django.test import Client

from tests.csp import csp_directives
from tests.factories import ClaimFactory, EventFactory

pytestmark = pytest.mark.django_db

PUBLIC_URLS = [
    "/",
    "/conflicts/nagorno-karabakh/",
    "/conflicts/nagorno-karabakh/?q=ceasefire&kind=ceasefire",
    "/conflicts/nagorno-karabakh/events/ceasefire/",
    "/conflicts/nagorno-karabakh/figures/",
    "/feed.atom",
    "/conflicts/nagorno-karabakh/feed.rss",
    "/conflicts/nagorno-karabakh/events.csv",
    "/conflicts/nagorno-karabakh/claims.csv",
    "/conflicts/nagorno-karabakh/events-ucdp.csv",
    "/conflicts/nagorno-karabakh/timelinejs.json",
    "/conflicts/nagorno-karabakh/embed/",
    "/api/v1/events/",
    "/api/v1/conflicts/nagorno-karabakh/",
    "/api/schema/",
    "/api/docs/",
    "/conflicts/nowhere/",  # a 404 page
    "/static/timeline/site.css",
]
# Meant to be used by other sites: TimelineJS fetches the document, and
# other sites frame the embed.
CROSS_ORIGIN = {"/conflicts/nagorno-karabakh/timelinejs.json", "/conflicts/nagorno-karabakh/embed/"}


@pytest.fixture
def published(db):
    ClaimFactory(event=EventFactory(slug="ceasefire"))


@pytest.fixture(params=PUBLIC_URLS)
def public_response(request, client, published):
    response = client.get(request.param, secure=True)
    assert response.status_code in (200, 404)
    response.path = request.param
    return response


def test_every_public_response_has_a_strict_content_security_policy(public_response):
    policy = csp_directives(public_response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert "unsafe-inline" not in public_response["Content-Security-Policy"]
    assert "unsafe-eval" not in public_response["Content-Security-Policy"]


def test_every_public_response_asks_for_https_for_a_year(public_response):
    max_age = public_response["Strict-Transport-Security"].split(";")[0]
    assert max_age == "max-age=31536000"


def test_every_public_response_forbids_sniffing_and_keeps_referrers_and_windows_to_itself(
    public_response,
):
    assert public_response["X-Content-Type-Options"] == "nosniff"
    assert public_response["Referrer-Policy"] == "same-origin"
    assert public_response["Cross-Origin-Opener-Policy"] == "same-origin"


def test_only_what_other_sites_are_meant_to_load_is_cross_origin(public_response):
    expected = "cross-origin" if public_response.path in CROSS_ORIGIN else "same-origin"
    assert public_response["Cross-Origin-Resource-Policy"] == expected


def test_no_public_response_may_be_framed_except_the_embed(public_response):
    if public_response.path.endswith("/embed/"):
        assert "X-Frame-Options" not in public_response.headers
        assert csp_directives(public_response)["frame-ancestors"] == ["https:"]
    else:
        assert csp_directives(public_response)["frame-ancestors"] == ["'none'"]
        # Static files are answered before Django's X-Frame-Options
        # middleware; no browser frames a stylesheet.
        if not public_response.path.startswith("/static/"):
            assert public_response["X-Frame-Options"] == "DENY"


def test_no_public_response_sets_a_cookie(public_response):
    assert "Set-Cookie" not in public_response.headers
    assert not public_response.cookies


@pytest.mark.parametrize("token", ["malformed!", "x" * 10, "a" * 64, ""])
@pytest.mark.parametrize("path", ["/conflicts/nagorno-karabakh/", "/api/v1/events/"])
def test_a_stray_csrf_cookie_gets_no_cookie_back_and_the_page_stays_public(
    client, published, token, path
):
    client.cookies["csrftoken"] = token
    response = client.get(path, secure=True)
    assert response.status_code == 200
    assert not response.cookies
    assert "public" in response["Cache-Control"]


def test_the_admins_sign_in_form_still_refuses_a_post_without_its_token(administrator):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/admin/login/", {"username": "administrator", "password": "pw"})
    assert response.status_code == 403


def test_hsts_is_only_sent_over_https(client, published):
    assert "Strict-Transport-Security" not in client.get("/").headers


def test_plain_http_is_redirected_to_https_in_production(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get("/conflicts/nagorno-karabakh/?q=talks")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/conflicts/nagorno-karabakh/?q=talks"


def test_a_tls_terminating_proxy_is_believed_only_when_its_header_is_configured(
    client, settings, published
):
    settings.SECURE_SSL_REDIRECT = True
    forwarded = {"HTTP_X_FORWARDED_PROTO": "https"}
    assert client.get("/", **forwarded).status_code == 301
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert client.get("/", **forwarded).status_code == 200


def test_the_admins_cookies_are_secure_http_only_and_same_site(client, administrator):
    login_page = client.get("/admin/login/", secure=True)
    csrf = login_page.cookies["csrftoken"]
    response = client.post(
        "/admin/login/",
        {"username": "administrator", "password": "pw", "csrfmiddlewaretoken": csrf.value},
        secure=True,
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    for cookie in (csrf, session):
        assert cookie["secure"] is True
        assert cookie["httponly"] is True
        assert cookie["samesite"] == "Lax"
