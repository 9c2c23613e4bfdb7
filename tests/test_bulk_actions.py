"""Status moves finish or leave nothing: every event moved has its history
record, an interrupted move leaves none moved, and a selection too large
for one request is refused with a message."""

from contextlib import contextmanager
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import CitationFactory, ConflictFactory, EventFactory
from tracker.models import Event

pytestmark = pytest.mark.django_db

CHANGELIST_URL = reverse("admin:tracker_event_changelist")


def drafts(count):
    """Drafts ready to publish: each cites its source."""
    conflict = ConflictFactory()
    start = datetime(2023, 9, 1, tzinfo=UTC)
    events = [
        EventFactory(conflict=conflict, status=Event.Status.DRAFT, starts_at=start + timedelta(n))
        for n in range(count)
    ]
    for event in events:
        CitationFactory(event=event)
    return events


def act(client, action, events, **extra):
    data = {"action": action, ACTION_CHECKBOX_NAME: [event.pk for event in events]}
    return client.post(CHANGELIST_URL, data | extra)


@contextmanager
def dying_at_history_write(number):
    """The worker dies (as at gunicorn's timeout: SystemExit) as the
    database is asked for the `number`th write of event history."""
    writes = {"count": 0}

    def interrupt(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("INSERT") and "tracker_historicalevent" in sql:
            writes["count"] += 1
            if writes["count"] == number:
                raise SystemExit(1)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(interrupt):
        yield


def published_with_history(administrator):
    """Published events, each with whether its history says `editor`
    published it."""
    return {
        event.pk: event.status_changes()[-1].moved_by == administrator
        for event in Event.objects.published()
    }


def test_a_bulk_publish_records_who_published_each_event(editor_client, editor):
    events = drafts(5)
    act(editor_client, "publish", events)
    assert published_with_history(editor) == {event.pk: True for event in events}
    assert all(event.published_at for event in Event.objects.all())


def test_an_interrupted_bulk_publish_publishes_nothing(editor_client, editor, monkeypatch):
    monkeypatch.setattr("tracker.models.events.BULK_BATCH_SIZE", 2, raising=False)
    events = drafts(5)
    with dying_at_history_write(2), pytest.raises(SystemExit):
        act(editor_client, "publish", events)
    assert published_with_history(editor) == {}
    assert set(Event.objects.values_list("status", flat=True)) == {Event.Status.DRAFT}


def test_a_publish_whose_history_cannot_be_written_leaves_the_event_unpublished():
    (event,) = drafts(1)
    with dying_at_history_write(1), pytest.raises(SystemExit):
        event.publish()
    assert Event.objects.get().status == Event.Status.DRAFT


def test_a_bulk_retraction_keeps_the_note_and_who_retracted_each(editor_client, editor):
    events = drafts(3)
    act(editor_client, "publish", events)
    act(editor_client, "retract", events, apply="1", reason="Fabricated footage.")
    for event in Event.objects.all():
        assert (event.status, event.retraction_note) == ("retracted", "Fabricated footage.")
        assert event.status_changes()[-1].moved_by == editor


def test_a_selection_too_large_for_one_request_is_refused_with_a_message(
    editor_client, monkeypatch
):
    monkeypatch.setattr("tracker.admin.events.BULK_MOVE_MOST", 3, raising=False)
    events = drafts(4)
    response = act(editor_client, "publish", events)
    assert not Event.objects.published().exists()
    (message,) = get_messages(response.wsgi_request)
    assert "at most 3 can be moved at once" in str(message)


def queries_to_publish(client, count):
    events = drafts(count)
    with CaptureQueriesContext(connection) as queries:
        act(client, "publish", events)
    assert Event.objects.filter(pk__in=[e.pk for e in events]).published().count() == count
    Event.objects.all().delete()
    return len(queries)


def rows_in_one_history_batch(most):
    """How many history rows, up to `most`, one INSERT takes on this database:
    SQLite takes fewer values per statement than PostgreSQL, and each history
    row carries every column of the event, its translations too."""
    fields = Event.history.model._meta.concrete_fields
    return min(most, connection.ops.bulk_batch_size(fields, [None] * most))


def test_a_bulk_publish_costs_the_same_queries_for_ten_events_as_for_a_full_batch(
    editor_client,
):
    # Within one batch of rows: the number of queries does not follow the
    # events'. On PostgreSQL the batch is forty events.
    full_batch = rows_in_one_history_batch(40)
    assert full_batch > 10
    assert queries_to_publish(editor_client, 10) == queries_to_publish(editor_client, full_batch)
