"""Readers on slow connections: public pages can be cached and revalidated."""

from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import ConflictFactory, CorrectionFactory, EventFactory
from tracker.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return EventFactory(conflict=ConflictFactory(), title="Ceasefire")


def public_urls(event):
    return [
        reverse("timeline:home"),
        event.conflict.get_absolute_url(),
        event.get_absolute_url(),
    ]


def test_public_pages_may_be_cached_but_are_revalidated(client, event):
    for url in public_urls(event):
        response = client.get(url)
        assert response["Cache-Control"] == "public, no-cache", url
        assert response.has_header("ETag"), url
        assert "Set-Cookie" not in response.headers, url


def test_a_freshness_lifetime_can_be_configured(client, event, settings):
    settings.PUBLIC_CACHE_SECONDS = 30

    response = client.get(event.conflict.get_absolute_url())

    assert response["Cache-Control"] == "public, max-age=30"


def test_an_unchanged_page_answers_304_to_a_conditional_get(client, event):
    for url in public_urls(event):
        etag = client.get(url)["ETag"]

        response = client.get(url, headers={"If-None-Match": etag})

        assert response.status_code == 304, url
        assert response.content == b""


def test_a_changed_page_answers_200_to_the_old_etag(client, event):
    url = event.conflict.get_absolute_url()
    etag = client.get(url)["ETag"]
    EventFactory(conflict=event.conflict, title="Talks scheduled")

    response = client.get(url, headers={"If-None-Match": etag})

    assert response.status_code == 200
    assert "Talks scheduled" in response.content.decode()


def test_the_event_page_is_last_modified_at_its_latest_correction(client, event):
    corrected_at = timezone.now() + timedelta(hours=1)
    CorrectionFactory(event=event, published_at=corrected_at)

    response = client.get(event.get_absolute_url())

    assert response["Last-Modified"] == corrected_at.strftime("%a, %d %b %Y %H:%M:%S GMT")


def test_the_event_page_answers_304_when_not_modified_since(client, event):
    last_modified = client.get(event.get_absolute_url())["Last-Modified"]

    response = client.get(event.get_absolute_url(), headers={"If-Modified-Since": last_modified})

    assert response.status_code == 304


def test_a_correction_makes_the_event_page_modified_again(client, event):
    first = client.get(event.get_absolute_url())
    CorrectionFactory(event=event, published_at=datetime.now(UTC) + timedelta(minutes=5))

    response = client.get(
        event.get_absolute_url(),
        headers={"If-Modified-Since": first["Last-Modified"], "If-None-Match": first["ETag"]},
    )

    assert response.status_code == 200


def test_a_staff_preview_is_never_stored(administrator_client):
    draft = EventFactory(status=Event.Status.DRAFT)

    response = administrator_client.get(draft.get_absolute_url())

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_the_admin_is_never_publicly_cached(administrator_client):
    response = administrator_client.get(reverse("admin:tracker_event_changelist"))

    assert "public" not in response["Cache-Control"]
    assert "no-cache" in response["Cache-Control"]
