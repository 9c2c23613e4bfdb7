"""A page of the timeline stays light: fifty cards with their figures, the
overview and the axis, HTML and CSS compressed, under 60 KB."""

import gzip
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import (
    ClaimFactory,
    ConflictFactory,
    EventFactory,
    ParticipantFactory,
    PhaseFactory,
)
from timeline import views

pytestmark = pytest.mark.django_db

BUDGET = 60_000
# What every page loads: the stylesheet and the dark theme's values (fetched
# in a light theme too, if later).
STYLESHEETS = [
    Path(settings.BASE_DIR) / "static" / "timeline" / name for name in ("site.css", "dark.css")
]


def test_the_fifty_card_page_weighs_under_sixty_kilobytes_compressed(client):
    conflict = ConflictFactory()
    PhaseFactory(conflict=conflict, name="Offensive", starts_on=datetime(2023, 9, 1).date())
    start = datetime(2023, 9, 1, 6, 0, tzinfo=UTC)
    for n in range(views.EVENTS_PER_PAGE + 10):
        event = EventFactory(
            conflict=conflict,
            title=f"Shelling reported near the river crossing, number {n}",
            summary="A longer summary of what happened. " * 5,
            starts_at=start + timedelta(hours=9 * n),
            ends_at=start + timedelta(hours=9 * n + 30) if n % 7 == 0 else None,
            is_key=n % 5 == 0,
        )
        ParticipantFactory(event=event)
        ParticipantFactory(event=event)
        ClaimFactory(event=event, best=32)
        ClaimFactory(event=event, best=100)

    response = client.get(reverse("timeline:conflict", args=[conflict.slug]))
    html = response.content

    assert html.count(b'class="event-card') == views.EVENTS_PER_PAGE
    weight = len(gzip.compress(html)) + sum(
        len(gzip.compress(stylesheet.read_bytes())) for stylesheet in STYLESHEETS
    )
    assert weight < BUDGET, weight
