"""The shared cache in front, for real: deploy/varnish.vcl in Debian's
varnishd, in front of an app server serving the test database."""

import time
from datetime import timedelta

import pytest
from django.core.signals import request_finished, request_started
from pytest_django.live_server_helper import LiveServer

from tests.factories import CitationFactory, ConflictFactory, EventFactory
from tests.varnish import Varnish
from timeline import purge

pytestmark = [pytest.mark.varnish, pytest.mark.django_db(transaction=True)]


class App:
    """An app server of the test's own, which it can stop, counting the
    requests that reach it by path."""

    def __init__(self):
        self.server = LiveServer("127.0.0.1:0")
        self.port = int(self.server.url.rsplit(":", 1)[1])
        self.requests, self.in_flight = [], 0
        request_started.connect(self.started, dispatch_uid="varnish-test-app")
        request_finished.connect(self.finished, dispatch_uid="varnish-test-app")
        self.running = True

    def started(self, sender, environ=None, **kwargs):
        self.in_flight += 1
        if environ is not None:
            self.requests.append(environ["PATH_INFO"])

    def finished(self, sender, **kwargs):
        self.in_flight -= 1

    def stop(self):
        if self.running:
            self.running = False
            # Between two of Varnish's health probes, so that none is cut off.
            until(lambda: self.in_flight == 0, seconds=2)
            self.server.stop()
            request_started.disconnect(dispatch_uid="varnish-test-app")
            request_finished.disconnect(dispatch_uid="varnish-test-app")


@pytest.fixture
def app(settings):
    settings.PAGE_CACHE_SECONDS = 0  # what reaches the app is made afresh
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "127.0.0.1"]
    app = App()
    yield app
    app.stop()


@pytest.fixture
def varnish(app, settings):
    varnish = Varnish(app.port)
    settings.CACHE_PURGE_URLS = [varnish.url + "/"]
    settings.SHARED_CACHE_SECONDS = 3600
    yield varnish
    varnish.stop()


@pytest.fixture
def event():
    conflict = ConflictFactory(name="Nagorno-Karabakh conflict")
    return EventFactory(conflict=conflict, title="Ceasefire announced")


def until(check, seconds):
    """How long it took check() to come true, or None after `seconds`."""
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if check():
            return time.monotonic() - started
        time.sleep(0.02)
    return None


def test_a_cached_page_is_served_without_touching_the_app(app, varnish, event):
    url = event.conflict.get_absolute_url()
    first = varnish.get(url)

    again = [varnish.get(url) for _ in range(5)]

    assert first[:2] == (200, "miss")
    assert all(status == 200 and cache == "hit" for status, cache, _body in again)
    assert app.requests.count(url) == 1


def test_a_publish_reaches_readers_within_a_second_and_only_on_its_pages(app, varnish, event):
    # Not the published event's neighbour on the timeline, whose page links to it.
    other = EventFactory(
        conflict=event.conflict, title="Talks held", starts_at=event.starts_at - timedelta(days=1)
    )
    timeline, other_page = event.conflict.get_absolute_url(), other.get_absolute_url()
    for url in (timeline, other_page):
        varnish.get(url)
    draft = EventFactory(conflict=event.conflict, title="Talks scheduled", status="draft")
    CitationFactory(event=draft)

    draft.publish()  # committed at once, and purged after the commit

    took = until(lambda: "Talks scheduled" in varnish.get(timeline)[2], seconds=1.0)
    assert took is not None, "the timeline still showed the old page a second after the publish"
    purge.wait_until_sent()
    assert varnish.get(other_page)[:2] == (200, "hit")
    assert app.requests.count(other_page) == 1


def test_a_stale_page_is_served_while_the_app_server_is_stopped(app, varnish, event):
    url = event.get_absolute_url()
    assert "Ceasefire announced" in varnish.get(url)[2]
    app.stop()

    event.title = "Ceasefire takes effect"
    event.save()  # purged: the stored copy is now stale
    purge.wait_until_sent()
    status, cache, body = varnish.get(url)

    assert (status, cache) == (200, "stale")
    assert "Ceasefire announced" in body


def test_staff_and_the_admin_are_never_stored(app, varnish, event):
    url = "/admin/login/"
    for _ in range(3):
        varnish.get(url)

    assert app.requests.count(url) == 3
