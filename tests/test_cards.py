"""Cards a reader can scan: the kind as an icon from the site's own sprite
beside its name, who disagree on the disputed badge, the date of the latest
correction."""

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import ActorFactory, ClaimFactory, CorrectionFactory, EventFactory
from tracker.models import Event

pytestmark = pytest.mark.django_db

SPRITE = Path(settings.BASE_DIR) / "static" / "timeline" / "kinds.svg"


def timeline(client, conflict):
    response = client.get(reverse("timeline:conflict", args=[conflict.slug]))
    assert response.status_code == 200
    return response.content.decode()


def test_every_kind_of_event_has_an_icon_in_the_sprite():
    symbols = set(re.findall(r'<symbol id="kind-([a-z_]+)"', SPRITE.read_text()))

    assert symbols == set(Event.Kind.values)


def test_a_card_shows_its_kinds_icon_from_our_own_host_with_the_kind_in_words(client):
    event = EventFactory(kind="strike")

    html = timeline(client, event.conflict)

    icon = re.search(r'<svg class="kind-icon"[^>]*><use href="([^"]+)"></use></svg>', html)
    assert (
        icon and icon[1].startswith("/static/timeline/kinds") and icon[1].endswith("#kind-strike")
    )
    assert 'aria-hidden="true"' in icon[0]
    assert '</svg><span class="kind">strike</span>' in html


def test_the_disputed_badge_names_who_disagree(client):
    event = EventFactory()
    ClaimFactory(event=event, best=32, claimant=ActorFactory(name="The regional authorities"))
    ClaimFactory(event=event, best=100, claimant=ActorFactory(name="Ruben Vardanyan"))

    html = timeline(client, event.conflict)

    assert (
        '<strong class="badge">disputed</strong> <span class="disputed-by">'
        "between Ruben Vardanyan and The regional authorities</span>"
    ) in html


def test_a_corrected_event_is_marked_with_the_date_of_its_latest_correction(client):
    event = EventFactory()
    CorrectionFactory(event=event, published_at=datetime(2023, 9, 21, 10, 0, tzinfo=UTC))
    CorrectionFactory(event=event, published_at=datetime(2023, 9, 22, 10, 0, tzinfo=UTC))

    html = timeline(client, event.conflict)

    mark = re.search(r'<p class="corrected-mark">Corrected <time datetime="([^"]+)">', html)
    assert mark and mark[1].startswith("2023-09-22")


def test_an_uncorrected_event_has_no_mark(client):
    event = EventFactory()

    assert "corrected-mark" not in timeline(client, event.conflict)
