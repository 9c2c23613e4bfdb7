"""The live view and the updates it asks for: what changed since a cursor,
cacheable by everyone, 304 when nothing changed."""

import gzip
import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from tests.factories import (
    ClaimFactory,
    ConflictFactory,
    CorrectionFactory,
    EventFactory,
    ParticipantFactory,
)
from timeline.live import cursor_of
from tracker.models import Event

pytestmark = pytest.mark.django_db

LIVE = "/conflicts/nagorno-karabakh/live/"
UPDATES = "/conflicts/nagorno-karabakh/updates/"


@pytest.fixture
def conflict():
    return ConflictFactory()


def updates(client, cursor, **headers):
    return client.get(UPDATES, {"after": cursor}, headers=headers)


def body_of(response):
    assert response.status_code == 200, response.content
    return json.loads(response.content)


def ids(items):
    return [item["id"] for item in items]


def test_the_live_view_lists_published_events_newest_published_first(client, conflict):
    older = EventFactory(conflict=conflict, title="Shelling reported")
    newer = EventFactory(conflict=conflict, title="Talks resume")
    Event.objects.filter(pk=older.pk).update(published_at=timezone.now() - timedelta(hours=2))
    EventFactory(conflict=conflict, title="Unchecked rumour", status=Event.Status.DRAFT)

    page = client.get(LIVE).content.decode()

    assert page.index("Talks resume") < page.index("Shelling reported")
    assert "Unchecked rumour" not in page
    assert f'data-event="{newer.pk}"' in page
    assert "Check for new events" in page
    assert '<script src="/static/timeline/live.js" defer></script>' in page


def test_key_events_of_the_last_day_are_pinned_above_the_rest(client, conflict):
    EventFactory(conflict=conflict, title="Ceasefire signed", is_key=True)
    old_key = EventFactory(conflict=conflict, title="War declared", is_key=True)
    Event.objects.filter(pk=old_key.pk).update(published_at=timezone.now() - timedelta(days=3))
    EventFactory(conflict=conflict, title="Convoy arrives")

    page = client.get(LIVE).content.decode()
    pinned = page[page.index('id="pinned-heading"') : page.index('id="latest-heading"')]

    assert "Ceasefire signed" in pinned
    assert "War declared" not in pinned
    assert "Convoy arrives" not in pinned


def test_a_corrected_event_says_when_and_why_on_the_live_view(client, conflict):
    event = EventFactory(conflict=conflict)
    CorrectionFactory(event=event, note="The toll was 12, not 21 <b>dead</b>.")

    page = client.get(LIVE).content.decode()

    assert "Corrected at" in page
    assert "The toll was 12, not 21 &lt;b&gt;dead&lt;/b&gt;." in page


def test_the_conflict_page_links_to_its_live_view(client, conflict):
    assert f'href="{LIVE}"' in client.get("/conflicts/nagorno-karabakh/").content.decode()


def test_updates_report_events_published_since_the_cursor(client, conflict):
    EventFactory(conflict=conflict, title="Before")
    earlier = EventFactory(conflict=conflict)
    Event.objects.filter(pk=earlier.pk).update(
        published_at=timezone.now() - timedelta(hours=1),
        updated_at=timezone.now() - timedelta(hours=1),
    )
    cursor = cursor_of(timezone.now() - timedelta(minutes=5))
    new = EventFactory(conflict=conflict, title="Shelling <resumes>")

    body = body_of(updates(client, cursor))

    assert earlier.pk not in ids(body["published"])
    assert new.pk in ids(body["published"])
    html = next(item["html"] for item in body["published"] if item["id"] == new.pk)
    assert "Shelling &lt;resumes&gt;" in html and "Shelling <resumes>" not in html
    assert int(body["cursor"]) > int(cursor)


def test_updates_report_a_correction_of_an_event_published_before_the_cursor(client, conflict):
    event = EventFactory(conflict=conflict)
    Event.objects.filter(pk=event.pk).update(
        published_at=timezone.now() - timedelta(hours=1),
        updated_at=timezone.now() - timedelta(hours=1),
    )
    cursor = cursor_of(timezone.now() - timedelta(minutes=5))
    CorrectionFactory(event=event, note="Wrong village named.")

    body = body_of(updates(client, cursor))

    assert ids(body["corrected"]) == [event.pk]
    assert body["published"] == []
    assert "Wrong village named." in body["corrected"][0]["html"]


def test_updates_report_an_event_withdrawn_since_the_cursor(client, conflict):
    event = EventFactory(conflict=conflict)
    Event.objects.filter(pk=event.pk).update(published_at=timezone.now() - timedelta(hours=1))
    cursor = cursor_of(timezone.now() - timedelta(minutes=5))
    event.refresh_from_db()
    event.retract(reason="The report was fabricated.")

    body = body_of(updates(client, cursor))

    assert ids(body["withdrawn"]) == [event.pk]
    assert "The report was fabricated." in body["withdrawn"][0]["html"]
    assert event.pk not in ids(body["published"] + body["corrected"])


def test_updates_report_nothing_and_keep_the_cursor_when_nothing_changed(client, conflict):
    event = EventFactory(conflict=conflict)
    Event.objects.filter(pk=event.pk).update(
        published_at=timezone.now() - timedelta(hours=1),
        updated_at=timezone.now() - timedelta(hours=1),
    )
    cursor = cursor_of(timezone.now())

    body = body_of(updates(client, cursor))

    assert (body["published"], body["corrected"], body["withdrawn"]) == ([], [], [])
    assert body["cursor"] == cursor


@pytest.mark.parametrize(
    "cursor", ["", "yesterday", "-5", "1e9", "²", "9" * 40, "99999999999999999", "1.5"]
)
def test_a_cursor_that_names_no_moment_is_refused_with_400(client, conflict, cursor):
    response = updates(client, cursor)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"


def test_an_unchanged_conflict_answers_a_conditional_request_with_304_and_no_query(
    client, conflict, django_assert_num_queries
):
    EventFactory(conflict=conflict)
    cursor = cursor_of(timezone.now())
    etag = updates(client, cursor)["ETag"]

    with django_assert_num_queries(0):
        response = updates(client, cursor, if_none_match=etag)

    assert response.status_code == 304
    assert response["ETag"] == etag


def test_a_change_in_the_conflict_gives_a_new_etag(client, conflict):
    cursor = cursor_of(timezone.now())
    etag = updates(client, cursor)["ETag"]
    EventFactory(conflict=conflict)

    response = updates(client, cursor, if_none_match=etag)

    assert response.status_code == 200
    assert response["ETag"] != etag


def test_updates_are_shared_cacheable_for_a_few_seconds_and_set_no_cookie(client, conflict):
    response = updates(client, cursor_of(timezone.now()))

    assert set(response["Cache-Control"].split(", ")) == {
        "public",
        "max-age=5",
        "s-maxage=5",
    }
    assert response["xkey"] == response["Surrogate-Key"] == "conflict-nagorno-karabakh"
    assert response.cookies == {}
    assert "Set-Cookie" not in response


def test_updates_cost_the_same_few_queries_however_many_events_changed(
    client, conflict, django_assert_num_queries
):
    cursor = cursor_of(timezone.now() - timedelta(minutes=5))
    for n in range(6):
        event = EventFactory(conflict=conflict)
        ParticipantFactory(event=event)
        ClaimFactory(event=event)
        if n % 2:
            CorrectionFactory(event=event)
    # The conflict; the events edited since the cursor; the corrections
    # since it; the changed events; their participants, claims and media
    # (the card's details); the withdrawn events.
    with django_assert_num_queries(8):
        body = body_of(updates(client, cursor))

    assert len(body["published"]) == 6


def test_the_live_view_costs_the_same_few_queries_however_many_events_it_shows(
    client, conflict, django_assert_num_queries
):
    for _n in range(6):
        event = EventFactory(conflict=conflict, is_key=True)
        ParticipantFactory(event=event)
        ClaimFactory(event=event)
    # The conflict; the latest events; the pinned ones; participants,
    # claims and media (the card's details); the newsroom's look (base.html).
    with django_assert_num_queries(7):
        client.get(LIVE)


def test_the_page_of_a_corrected_event_says_first_what_changed_latest_first(client, conflict):
    event = EventFactory(conflict=conflict)
    CorrectionFactory(
        event=event, note="The toll was 12, not 21.", published_at=timezone.now() - timedelta(1)
    )
    CorrectionFactory(event=event, note="The village is Askeran <not Stepanakert>.")

    page = client.get(event.get_absolute_url()).content.decode()
    changes = page[page.index('class="event-changes"') : page.index('class="event-detail')]

    assert "Corrected 2 times since it was first published" in changes
    assert changes.index("Askeran &lt;not Stepanakert&gt;") < changes.index("The toll was 12")


def test_the_page_of_an_event_never_corrected_says_nothing_of_changes(client, conflict):
    event = EventFactory(conflict=conflict)

    assert "event-changes" not in client.get(event.get_absolute_url()).content.decode()


def test_updates_leave_out_what_changed_in_another_conflict(client, conflict):
    cursor = cursor_of(timezone.now() - timedelta(minutes=5))
    elsewhere = EventFactory(conflict=ConflictFactory(slug="sudan", name="Sudan"))
    CorrectionFactory(event=elsewhere)

    body = body_of(updates(client, cursor))

    assert (body["published"], body["corrected"]) == ([], [])


def test_the_live_view_carries_its_conflicts_cache_key_so_that_changes_purge_it(client, conflict):
    response = client.get(LIVE)

    assert "conflict-nagorno-karabakh" in response["xkey"].split()
    assert response.cookies == {}


def test_the_live_views_script_stays_under_5_kb_compressed():
    script = (Path(__file__).resolve().parent.parent / "static/timeline/live.js").read_bytes()

    assert len(gzip.compress(script, 9)) < 5 * 1024


def test_the_page_cache_keeps_an_answer_until_the_conflict_changes(
    client, conflict, settings, django_assert_num_queries
):
    settings.PAGE_CACHE_SECONDS = 600
    cursor = cursor_of(timezone.now())
    assert body_of(updates(client, cursor))["published"] == []
    with django_assert_num_queries(0):
        assert body_of(updates(client, cursor))["published"] == []

    event = EventFactory(conflict=conflict)

    assert ids(body_of(updates(client, cursor))["published"]) == [event.pk]
