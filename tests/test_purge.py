"""Purging the shared cache in front: each change of the record tells the
configured cache hosts which pages (by cache key) to drop, after the commit,
without ever holding up or failing the editor's save."""

import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.factories import (
    ActorFactory,
    CitationFactory,
    ClaimFactory,
    ConflictFactory,
    CorrectionFactory,
    EventFactory,
    ParticipantFactory,
)
from timeline import invalidation, purge

pytestmark = pytest.mark.django_db


class CacheHost(ThreadingHTTPServer):
    """A shared cache on the loopback that records the purges it gets, and
    can be told to fail the first few."""

    def __init__(self):
        self.purged, self.failures_left = [], 0
        super().__init__(("127.0.0.1", 0), PurgeHandler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_port}/"


class PurgeHandler(BaseHTTPRequestHandler):
    def do_PURGE(self):
        if self.server.failures_left:
            self.server.failures_left -= 1
            self.send_response(503)
        else:
            self.server.purged.append(set(self.headers[purge.HEADER].split()))
            self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def cache_host(settings, monkeypatch):
    host = CacheHost()
    settings.CACHE_PURGE_URLS = [host.url]
    monkeypatch.setattr(purge, "FIRST_PAUSE_SECONDS", 0.01)
    yield host
    host.shutdown()
    host.server_close()


@pytest.fixture
def purged(cache_host, django_capture_on_commit_callbacks):
    """The keys purged by a change, once it is committed."""

    def run(change):
        cache_host.purged.clear()
        with django_capture_on_commit_callbacks(execute=True):
            change()
        purge.wait_until_sent()
        return set().union(*cache_host.purged)

    return run


@pytest.fixture
def event():
    return EventFactory(conflict=ConflictFactory(slug="karabakh"), title="Ceasefire announced")


def test_publishing_purges_the_event_its_neighbours_its_conflict_and_the_home_page(purged, event):
    draft = EventFactory(conflict=event.conflict, title="Talks scheduled", status="draft")
    CitationFactory(event=draft)

    keys = purged(draft.publish)

    # The event just before it on the timeline now links to it.
    assert keys == {f"event-{draft.pk}", f"event-{event.pk}", "conflict-karabakh", "home"}


def test_correcting_purges_the_event_its_conflict_and_the_home_page(purged, event):
    claim = ClaimFactory(event=event, best=32)

    def correct():
        event.title = "Ceasefire takes effect"
        event.save()
        claim.best = 33
        claim.save()
        CorrectionFactory(event=event, note="The figure was one too low.")

    assert purged(correct) == {f"event-{event.pk}", "conflict-karabakh", "home"}


def test_retracting_purges_the_event_its_conflict_and_the_home_page(purged, event):
    keys = purged(lambda: event.retract(reason="The report was false."))

    assert keys == {f"event-{event.pk}", "conflict-karabakh", "home"}


def test_editing_an_actor_purges_the_events_that_show_it_and_no_others(purged, event):
    actor = ActorFactory(name="ICRC")
    ParticipantFactory(event=event, actor=actor)
    claimed = EventFactory(conflict=event.conflict, title="Casualties reported")
    ClaimFactory(event=claimed, claimant=actor)
    unrelated = EventFactory(conflict=event.conflict, title="Talks held")

    def rename():
        actor.name = "Red Cross"
        actor.save()

    keys = purged(rename)

    assert keys == {f"event-{event.pk}", f"event-{claimed.pk}", "conflict-karabakh", "home"}
    assert f"event-{unrelated.pk}" not in keys


def test_an_actor_shown_by_very_many_events_purges_their_conflicts_event_pages(
    purged, event, monkeypatch
):
    monkeypatch.setattr(invalidation, "MOST_EVENTS_NAMED", 2)
    actor = ActorFactory(name="ICRC")
    for title in ("One", "Two", "Three"):
        ParticipantFactory(event=EventFactory(conflict=event.conflict, title=title), actor=actor)

    def rename():
        actor.name = "Red Cross"
        actor.save()

    assert purged(rename) == {"events-of-karabakh", "conflict-karabakh", "home"}


def test_renaming_a_conflict_purges_all_of_its_pages(purged, event):
    def rename():
        event.conflict.name = "Karabakh war"
        event.conflict.save()

    assert purged(rename) == {"events-of-karabakh", "conflict-karabakh", "home"}


def test_nothing_is_purged_before_the_commit(cache_host, event, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        event.retract(reason="The report was false.")
        purge.wait_until_sent()
        assert cache_host.purged == []

    assert callbacks  # run at the commit


def test_a_cache_host_that_fails_at_first_is_tried_again(purged, cache_host, event):
    cache_host.failures_left = 2

    keys = purged(lambda: event.retract(reason="The report was false."))

    assert f"event-{event.pk}" in keys


def test_a_cache_host_that_is_down_never_fails_the_save_and_is_logged(
    settings, event, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    host = CacheHost()
    host.shutdown()
    host.server_close()  # nothing listens there any more
    settings.CACHE_PURGE_URLS = [host.url]
    monkeypatch.setattr(purge, "FIRST_PAUSE_SECONDS", 0.01)

    with caplog.at_level(logging.ERROR, logger="timeline.purge"):
        with django_capture_on_commit_callbacks(execute=True):
            event.retract(reason="The report was false.")
        purge.wait_until_sent()

    event.refresh_from_db()
    assert event.status == "retracted"
    assert f"Could not purge conflict-karabakh event-{event.pk} home" in caplog.text
    assert f"after {purge.ATTEMPTS} attempts" in caplog.text


def test_without_cache_hosts_nothing_is_sent(
    settings, event, monkeypatch, django_capture_on_commit_callbacks
):
    settings.CACHE_PURGE_URLS = []
    sent = []
    monkeypatch.setattr(purge, "send", lambda host, keys: sent.append(keys))
    with django_capture_on_commit_callbacks(execute=True):
        event.retract(reason="The report was false.")
    purge.wait_until_sent()

    assert sent == []
