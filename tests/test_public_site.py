"""Every kind of public address, on the demo data: it answers, anonymously,
and sets no cookie."""

import io

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

CONFLICT = "/conflicts/nagorno-karabakh"
PUBLIC = [
    "/",
    f"{CONFLICT}/",
    f"{CONFLICT}/?q=ceasefire&kind=ceasefire&disputed=true&order=relevance",
    f"{CONFLICT}/?on=2023-09-20&order=newest",
    f"{CONFLICT}/events/casualty-figures-disputed/",
    f"{CONFLICT}/figures/",
    f"{CONFLICT}/feed.atom",
    f"{CONFLICT}/feed.rss",
    "/feed.atom",
    "/feed.rss",
    f"{CONFLICT}/embed/",
    f"{CONFLICT}/events.csv",
    f"{CONFLICT}/claims.csv",
    f"{CONFLICT}/events-ucdp.csv",
    f"{CONFLICT}/timelinejs.json",
    "/api/v1/",
    "/api/v1/conflicts/",
    "/api/v1/events/?conflict=nagorno-karabakh",
    "/api/v1/events/?updated_since=2023-01-01T00:00:00Z",
    "/api/v1/retracted/",
    "/api/v1/withdrawals/",
    "/api/v1/actors/",
    "/api/v1/places/",
    "/api/v1/sources/",
    "/api/schema/",
    "/api/docs/",
]


# Every public page and file in each other language, under its prefix (the
# API takes ?lang= instead).
IN_OTHER_LANGUAGES = [
    f"/{language}{path}"
    for language in ("ru", "hy", "az", "uk", "ar")
    for path in PUBLIC
    if not path.startswith("/api/")
] + [f"/api/v1/events/?conflict=nagorno-karabakh&lang={language}" for language in ("ru", "ar")]


@pytest.fixture(autouse=True)
def demo():
    call_command("load_demo", stdout=io.StringIO())


@pytest.mark.parametrize("path", PUBLIC + IN_OTHER_LANGUAGES)
def test_every_public_address_answers_and_sets_no_cookie(client, path):
    response = client.get(path, headers={"Accept-Language": "en"})

    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers
    assert not response.cookies
    assert "Cookie" not in response.headers.get("Vary", "")
