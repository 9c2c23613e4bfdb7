import html
import re
import xml.etree.ElementTree as ET
from datetime import UTC, datetime, timedelta

import feedparser
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import (
    ActorFactory,
    ClaimFactory,
    ConflictFactory,
    CorrectionFactory,
    EventFactory,
    MediaItemFactory,
    ParticipantFactory,
)
from timeline.feeds import TOMBSTONES_PER_FEED, latest
from tracker.models import Event

pytestmark = pytest.mark.django_db

FORMATS = {"atom": "atom10", "rss": "rss20"}


def conflict_feed_url(conflict, fmt, query=""):
    return reverse(f"timeline:conflict_feed_{fmt}", args=[conflict.slug]) + query


def read_feed(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return feedparser.parse(response.content)


def publish_at(event, moment):
    """Set when the event was first published (saving sets it to now)."""
    Event.objects.filter(pk=event.pk).update(published_at=moment, updated_at=moment)


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_conflicts_feed_is_valid_in_both_formats(client, fmt):
    event = EventFactory(title="Ceasefire set to take effect")
    feed = read_feed(client, conflict_feed_url(event.conflict, fmt))
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == FORMATS[fmt]
    assert feed.feed.title == "Nagorno-Karabakh conflict: latest events"
    assert [entry.title for entry in feed.entries] == ["Ceasefire set to take effect"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_feed_of_all_conflicts_is_valid_and_spans_them(client, fmt):
    EventFactory(title="In Karabakh")
    EventFactory(title="Elsewhere", conflict=ConflictFactory(slug="elsewhere", name="Elsewhere"))
    feed = read_feed(client, reverse(f"timeline:feed_{fmt}"))
    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version == FORMATS[fmt]
    assert {entry.title for entry in feed.entries} == {"In Karabakh", "Elsewhere"}


@pytest.mark.parametrize("fmt", FORMATS)
def test_entry_links_and_ids_are_the_absolute_permalink(client, fmt):
    event = EventFactory(slug="ceasefire-takes-effect")
    (entry,) = read_feed(client, conflict_feed_url(event.conflict, fmt)).entries
    permalink = "http://testserver/conflicts/nagorno-karabakh/events/ceasefire-takes-effect/"
    assert entry.link == permalink
    assert entry.id == permalink


def test_the_entry_id_survives_a_title_edit(client):
    event = EventFactory(title="Ceasefire announced")
    url = conflict_feed_url(event.conflict, "atom")
    before = read_feed(client, url).entries[0].id
    event.title = "Ceasefire takes effect"
    event.save()
    assert read_feed(client, url).entries[0].id == before


@pytest.mark.parametrize("fmt", FORMATS)
def test_feeds_put_the_most_recently_published_event_first(client, fmt):
    conflict = ConflictFactory()
    happened_last = datetime(2023, 9, 21, tzinfo=UTC)
    old_news = EventFactory(
        conflict=conflict, title="Happened last, reported long ago", starts_at=happened_last
    )
    publish_at(old_news, happened_last)
    back_filled = EventFactory(
        conflict=conflict,
        title="Happened first, entered today",
        starts_at=datetime(2023, 9, 1, tzinfo=UTC),
    )
    publish_at(back_filled, datetime(2023, 10, 1, tzinfo=UTC))
    entries = read_feed(client, conflict_feed_url(conflict, fmt)).entries
    assert [entry.title for entry in entries] == [
        "Happened first, entered today",
        "Happened last, reported long ago",
    ]


def test_the_entry_dates_are_when_it_was_published_and_last_updated(client):
    event = EventFactory()
    publish_at(event, datetime(2023, 9, 20, 10, 0, tzinfo=UTC))
    (entry,) = read_feed(client, conflict_feed_url(event.conflict, "atom")).entries
    assert entry.published_parsed[:5] == (2023, 9, 20, 10, 0)
    assert entry.updated_parsed[:5] == (2023, 9, 20, 10, 0)


def test_a_published_correction_moves_the_entrys_updated_time(client):
    event = EventFactory()
    publish_at(event, datetime(2023, 9, 20, 10, 0, tzinfo=UTC))
    url = conflict_feed_url(event.conflict, "atom")
    CorrectionFactory(event=event, published_at=datetime(2023, 9, 22, 8, 30, tzinfo=UTC))
    feed = read_feed(client, url)
    (entry,) = feed.entries
    assert entry.updated_parsed[:5] == (2023, 9, 22, 8, 30)
    assert entry.published_parsed[:5] == (2023, 9, 20, 10, 0)
    assert feed.feed.updated_parsed[:5] == (2023, 9, 22, 8, 30)


def test_an_older_correction_does_not_hide_a_later_edit(client):
    event = EventFactory()
    CorrectionFactory(event=event, published_at=datetime(2023, 9, 22, tzinfo=UTC))
    publish_at(event, datetime(2023, 9, 25, tzinfo=UTC))
    (entry,) = read_feed(client, conflict_feed_url(event.conflict, "atom")).entries
    assert entry.updated_parsed[:3] == (2023, 9, 25)


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_description_carries_summary_figures_and_corrections(client, fmt):
    event = EventFactory(summary="Azerbaijan **said** the operation was over.")
    ClaimFactory(event=event, best=32, population="civilians")
    ClaimFactory(event=event, best=100, qualifier="about")
    CorrectionFactory(event=event, note="The ceasefire time was 13:00, not 11:00.")
    (entry,) = read_feed(client, conflict_feed_url(event.conflict, fmt)).entries
    assert "<strong>said</strong>" in entry.summary
    assert "Killed: 32 civilians, according to " in entry.summary
    assert "(disputed)" in entry.summary
    assert "Correction:" in entry.summary
    assert "The ceasefire time was 13:00, not 11:00." in entry.summary
    assert "20 September 2023" in entry.summary  # when it happened, in Baku time


def test_the_description_is_sanitised(client):
    event = EventFactory(summary="Talks <script>alert(1)</script> [x](javascript:alert(1))")
    response = client.get(conflict_feed_url(event.conflict, "atom"))
    content = response.content.decode()
    assert "&lt;script&gt;" not in content
    assert "javascript:" not in content


@pytest.mark.parametrize("fmt", FORMATS)
def test_titles_read_back_exactly_as_written(client, fmt):
    event = EventFactory(title='Talks in Baku & Yerevan: "<final>" round')
    (entry,) = read_feed(client, conflict_feed_url(event.conflict, fmt)).entries
    # RSS titles are read as HTML (escaped once more), Atom titles as text.
    shown = html.unescape(entry.title) if entry.title_detail.type == "text/html" else entry.title
    assert shown == 'Talks in Baku & Yerevan: "<final>" round'


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_channel_title_and_description_read_back_exactly_as_written(client, fmt):
    conflict = ConflictFactory(
        name='Karabakh <img src=x onerror="alert(1)">', summary="Fighting <b>&</b> talks"
    )
    EventFactory(conflict=conflict)
    feed = read_feed(client, conflict_feed_url(conflict, fmt)).feed

    def shown(detail, text):
        return html.unescape(text) if detail.type == "text/html" else text

    title = shown(feed.title_detail, feed.title)
    assert title == 'Karabakh <img src=x onerror="alert(1)">: latest events'
    assert shown(feed.subtitle_detail, feed.subtitle) == "Fighting <b>&</b> talks"


def test_the_rss_channel_carries_no_markup_of_the_conflicts_own(client):
    conflict = ConflictFactory(name="Karabakh <script>alert(1)</script>", summary="<b>bold</b>")
    EventFactory(conflict=conflict)
    content = client.get(conflict_feed_url(conflict, "rss")).content.decode()
    channel = content.split("<item>")[0]
    assert "&lt;script&gt;" not in channel
    assert "&lt;b&gt;" not in channel
    assert "&amp;lt;script&amp;gt;" in channel


@pytest.mark.parametrize("fmt", FORMATS)
def test_entries_are_categorised_by_kind(client, fmt):
    event = EventFactory(kind=Event.Kind.CASUALTY_REPORT)
    (entry,) = read_feed(client, conflict_feed_url(event.conflict, fmt)).entries
    assert [tag.term for tag in entry.tags] == ["casualty report"]


@pytest.mark.parametrize("scope", ["conflict", "all"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_drafts_events_in_review_and_retracted_events_never_appear(client, fmt, scope):
    conflict = ConflictFactory()
    EventFactory(conflict=conflict, title="Published event")
    EventFactory(conflict=conflict, title="Draft event", status=Event.Status.DRAFT)
    EventFactory(conflict=conflict, title="Reviewed event", status=Event.Status.IN_REVIEW)
    retracted = EventFactory(conflict=conflict, title="Retracted event")
    retracted.retract(reason="It did not happen.")
    url = conflict_feed_url(conflict, fmt) if scope == "conflict" else f"/feed.{fmt}"
    assert [entry.title for entry in read_feed(client, url).entries] == ["Published event"]


def test_a_feed_holds_the_fifty_latest_events(client):
    conflict = ConflictFactory()
    start = datetime(2023, 9, 1, tzinfo=UTC)
    for n in range(52):
        event = EventFactory(conflict=conflict, title=f"Event number {n}")
        publish_at(event, start + timedelta(hours=n))
    entries = read_feed(client, conflict_feed_url(conflict, "rss")).entries
    titles = [entry.title for entry in entries]
    assert len(titles) == 50
    assert titles[0] == "Event number 51"
    assert "Event number 1" not in titles


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_feed_follows_the_timeline_filters(client, fmt):
    conflict = ConflictFactory()
    EventFactory(conflict=conflict, title="A ceasefire", kind=Event.Kind.CEASEFIRE)
    EventFactory(conflict=conflict, title="A strike", kind=Event.Kind.STRIKE)
    feed = read_feed(client, conflict_feed_url(conflict, fmt, "?kind=ceasefire"))
    assert [entry.title for entry in feed.entries] == ["A ceasefire"]
    assert feed.feed.link == "http://testserver/conflicts/nagorno-karabakh/?kind=ceasefire"


def test_the_feed_of_all_conflicts_can_be_narrowed_to_one(client):
    EventFactory(title="In Karabakh")
    EventFactory(title="Elsewhere", conflict=ConflictFactory(slug="elsewhere", name="Elsewhere"))
    feed = read_feed(client, "/feed.atom?conflict=elsewhere")
    assert [entry.title for entry in feed.entries] == ["Elsewhere"]


@pytest.mark.parametrize("query", ["?kind=cesefire", "?disputed=maybe", "?key=yes"])
def test_a_filter_the_feed_cannot_read_is_refused_not_ignored(client, query):
    event = EventFactory()
    response = client.get(conflict_feed_url(event.conflict, "atom", query))
    assert response.status_code == 400


def test_a_feed_of_undisputed_events_leaves_out_the_disputed(client):
    disputed = EventFactory(title="Disputed")
    ClaimFactory(event=disputed, best=32)
    ClaimFactory(event=disputed, best=100)
    EventFactory(title="Agreed")
    feed = read_feed(client, conflict_feed_url(disputed.conflict, "atom", "?disputed=false"))
    assert [entry.title for entry in feed.entries] == ["Agreed"]


def test_an_unknown_conflict_has_no_feed(client):
    assert client.get("/conflicts/nowhere/feed.atom").status_code == 404


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("scope", ["conflict", "all"])
def test_feeds_set_no_cookies(client, fmt, scope):
    event = EventFactory()
    url = conflict_feed_url(event.conflict, fmt) if scope == "conflict" else f"/feed.{fmt}"
    response = client.get(url)
    assert response.cookies == {}
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("event_count", [1, 10, 25])
def test_a_conflict_feeds_query_count_does_not_grow_with_events(
    client, django_assert_num_queries, event_count
):
    conflict = ConflictFactory()
    for _ in range(event_count):
        event = EventFactory(conflict=conflict)
        ClaimFactory(event=event)
        ClaimFactory(event=event, claimant=ActorFactory(), best=100, qualifier="about")
        ParticipantFactory(event=event)
        CorrectionFactory(event=event)
        MediaItemFactory(event=event)
        EventFactory(conflict=conflict).return_to_draft()
    # conflict, events with conflict and place (and their last correction),
    # photos (for the enclosures), claims, corrections; the latest withdrawals
    # with their conflicts (when there are more than a feed shows, first the
    # latest updated, then those updated since the earliest of them was
    # withdrawn); the newsroom's look (its name and logo), until it is in the
    # cache
    with django_assert_num_queries(7 if event_count < TOMBSTONES_PER_FEED else 8):
        response = client.get(conflict_feed_url(conflict, "atom"))
    assert response.status_code == 200
    assert response.content.count(b"<at:deleted-entry") == min(event_count, TOMBSTONES_PER_FEED)


@pytest.mark.parametrize("event_count", [1, 10])
def test_the_all_conflicts_feeds_query_count_does_not_grow_with_events(
    client, django_assert_num_queries, event_count
):
    for n in range(event_count):
        event = EventFactory(conflict=ConflictFactory(slug=f"conflict-{n}", name=f"C {n}"))
        ClaimFactory(event=event)
        CorrectionFactory(event=event)
    # events with conflict and place (and their last correction), photos
    # (for the enclosures), claims, corrections; the newsroom's look, until it
    # is in the cache
    with django_assert_num_queries(5):
        response = client.get("/feed.rss")
    assert response.status_code == 200


def test_the_timeline_page_announces_its_feeds(client):
    conflict = ConflictFactory()
    html = client.get(conflict.get_absolute_url()).content.decode()
    assert (
        '<link rel="alternate" type="application/atom+xml" '
        'title="Nagorno-Karabakh conflict: latest events (Atom)" '
        'href="/conflicts/nagorno-karabakh/feed.atom">'
    ) in html
    assert 'type="application/rss+xml"' in html


def test_the_timeline_links_to_feeds_of_the_filtered_view(client):
    conflict = ConflictFactory()
    html = client.get(conflict.get_absolute_url() + "?kind=ceasefire&order=newest").content.decode()
    assert 'href="/conflicts/nagorno-karabakh/feed.atom?kind=ceasefire"' in html
    assert 'href="/conflicts/nagorno-karabakh/feed.rss?kind=ceasefire"' in html


# Tombstones (RFC 6721)


TOMBSTONES = "{http://purl.org/atompub/tombstones/1.0}"


def tombstones(client, url):
    """The feed's deleted entries as (ref, when, comment), after checking
    that feed readers still read the feed."""
    response = client.get(url)
    assert feedparser.parse(response.content).bozo == 0
    root = ET.fromstring(response.content)
    return [
        (node.get("ref"), node.get("when"), node.findtext(f"{TOMBSTONES}comment"))
        for node in root.findall(f"{TOMBSTONES}deleted-entry")
    ]


def withdraw_at(event, moment):
    """Date the status change that withdrew the event (its latest history
    record), and what came before it a day earlier."""
    *earlier, withdrawal = event.history.order_by("history_date", "history_id")
    records = type(withdrawal).objects
    records.filter(pk__in=[record.pk for record in earlier]).update(
        history_date=moment - timedelta(days=1)
    )
    records.filter(pk=withdrawal.pk).update(history_date=moment)


@pytest.mark.parametrize("scope", ["conflict", "all"])
def test_an_unpublished_event_leaves_a_tombstone_under_its_entrys_id(client, scope):
    event = EventFactory(title="Talks in Yevlakh")
    url = conflict_feed_url(event.conflict, "atom") if scope == "conflict" else "/feed.atom"
    (entry,) = read_feed(client, url).entries
    event.return_to_draft()
    withdraw_at(event, datetime(2024, 2, 1, 9, 30, tzinfo=UTC))
    assert read_feed(client, url).entries == []
    assert tombstones(client, url) == [(entry.id, "2024-02-01T09:30:00+00:00", None)]


def test_a_retractions_tombstone_carries_its_public_note(client):
    event = EventFactory()
    event.retract(reason="The report was based on a fabricated video.")
    [(ref, _when, comment)] = tombstones(client, conflict_feed_url(event.conflict, "atom"))
    assert ref == f"http://testserver{event.get_absolute_url()}"
    assert comment == "The report was based on a fabricated video."


def test_the_tombstones_declare_their_namespace(client):
    EventFactory().return_to_draft()
    content = client.get("/feed.atom").content.decode()
    assert 'xmlns:at="http://purl.org/atompub/tombstones/1.0"' in content


def test_a_feed_has_tombstones_only_for_the_latest_withdrawals(client, monkeypatch):
    from timeline import feeds

    monkeypatch.setattr(feeds, "TOMBSTONES_PER_FEED", 2)
    conflict = ConflictFactory()
    events = [EventFactory(conflict=conflict, slug=f"event-{n}") for n in range(3)]
    for day, event in zip((3, 1, 2), events, strict=True):
        event.return_to_draft()
        withdraw_at(event, datetime(2024, 2, day, tzinfo=UTC))
    refs = [ref for ref, _when, _comment in tombstones(client, conflict_feed_url(conflict, "atom"))]
    assert [ref.rsplit("/", 2)[1] for ref in refs] == ["event-0", "event-2"]


@pytest.mark.parametrize("most", [2, 5])
def test_the_latest_withdrawals_are_the_latest_withdrawn_not_the_latest_edited(
    client, monkeypatch, most
):
    # A draft the newsroom went on editing after it was withdrawn is the
    # latest updated, but not the latest withdrawn; with room for five
    # tombstones, every withdrawal is shown, still by when it was withdrawn.
    from timeline import feeds

    monkeypatch.setattr(feeds, "TOMBSTONES_PER_FEED", most)
    conflict = ConflictFactory()
    edited_since, latest, second, long_ago = (
        EventFactory(conflict=conflict, slug=slug)
        for slug in ("edited-since", "latest", "second", "long-ago")
    )
    for event, day in ((edited_since, 2), (latest, 5), (second, 4), (long_ago, 1)):
        event.return_to_draft()
        withdraw_at(event, datetime(2024, 2, day, tzinfo=UTC))
        Event.objects.filter(pk=event.pk).update(updated_at=datetime(2024, 2, day, 1, tzinfo=UTC))
    Event.objects.filter(pk=edited_since.pk).update(updated_at=datetime(2024, 3, 1, tzinfo=UTC))

    refs = [ref for ref, _when, _comment in tombstones(client, conflict_feed_url(conflict, "atom"))]

    slugs = [ref.rsplit("/", 2)[1] for ref in refs]
    assert slugs == ["latest", "second", "edited-since", "long-ago"][:most]


def test_no_tombstone_for_events_never_published_or_in_another_conflict(client):
    conflict = ConflictFactory()
    EventFactory(conflict=conflict, status=Event.Status.DRAFT)
    EventFactory(conflict=conflict, status=Event.Status.DRAFT).retract(reason="Never ran.")
    EventFactory(conflict=ConflictFactory(slug="elsewhere", name="Elsewhere")).return_to_draft()
    assert tombstones(client, conflict_feed_url(conflict, "atom")) == []


def test_tombstones_ignore_filters_that_would_read_a_draft(client):
    event = EventFactory(title="Talks in Yevlakh")
    event.return_to_draft()
    event.title = "Talks postponed, unconfirmed"
    event.save()
    url = conflict_feed_url(event.conflict, "atom")
    assert tombstones(client, url + "?q=postponed") == tombstones(client, url + "?q=nothing")


def test_a_withdrawal_moves_the_feeds_updated_time(client):
    conflict = ConflictFactory()
    publish_at(EventFactory(conflict=conflict), datetime(2024, 1, 1, tzinfo=UTC))
    withdrawn = EventFactory(conflict=conflict)
    withdrawn.return_to_draft()
    withdraw_at(withdrawn, datetime(2024, 3, 1, tzinfo=UTC))
    feed = read_feed(client, conflict_feed_url(conflict, "atom"))
    assert feed.feed.updated_parsed[:3] == (2024, 3, 1)


def test_the_rss_feed_has_no_tombstones(client, django_assert_num_queries):
    event = EventFactory()
    EventFactory(conflict=event.conflict, title="Still published")
    event.return_to_draft()
    # conflict, events with conflict and place (and their last correction),
    # photos, claims, corrections: nothing about withdrawals; the newsroom's
    # look, until it is in the cache
    with django_assert_num_queries(6):
        feed = read_feed(client, conflict_feed_url(event.conflict, "rss"))
    assert feed.bozo == 0
    assert [entry.title for entry in feed.entries] == ["Still published"]
    assert b"deleted-entry" not in client.get(conflict_feed_url(event.conflict, "rss")).content


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the planner is PostgreSQL's")
@pytest.mark.parametrize("scope", ["conflict", "every conflict"])
def test_a_feed_reads_its_latest_events_down_an_index_not_by_sorting_them_all(scope):
    # In a conflict of 200,000 events, sorting every published one by when
    # it was first published took 0.7 s for each feed made afresh.
    conflict = ConflictFactory()
    EventFactory(conflict=conflict)
    events = Event.objects.published()
    if scope == "conflict":
        events = events.in_conflict(conflict)
    sql, params = latest(events).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE tracker_event")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "Index Scan using event_feed" in plan, plan
    assert "Sort Key: tracker_event.published_at" not in plan, plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the planner is PostgreSQL's")
@pytest.mark.parametrize("scope", ["conflict", "every conflict"])
def test_the_latest_withdrawals_are_read_down_an_index_of_the_withdrawn_events(scope):
    # Sorting every withdrawn event by when its history says it was withdrawn
    # took 390 ms for the site-wide feed over the 29,706 of the bulk data
    # (their rows read through the status index with every draft's); 37 ms
    # for the whole feed through this index.
    conflict = ConflictFactory()
    for n in range(3):
        EventFactory(conflict=conflict, slug=f"withdrawn-{n}").return_to_draft()
    EventFactory(conflict=conflict)
    events = Event.objects.all()
    if scope == "conflict":
        events = events.in_conflict(conflict)
    with CaptureQueriesContext(connection) as queries:
        events.latest_withdrawals(2)
    plans = []
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE tracker_event")
        cursor.execute("SET LOCAL enable_seqscan = off")
        for query in queries:
            cursor.execute("EXPLAIN " + query["sql"])
            plans.append("\n".join(row[0] for row in cursor.fetchall()))

    assert len(plans) == 2  # the latest updated, then those updated since
    for plan in plans:
        # Which of the two at this size is the planner's choice.
        assert re.search(r"Index Scan (using|on) event_withdrawn(_all)?_idx", plan), plan
        assert "tracker_event_status" not in plan, plan
