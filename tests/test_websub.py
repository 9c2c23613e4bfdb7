"""WebSub: the feeds advertise the hub, and publishing or correcting tells
it, after the commit, without the save ever depending on the hub."""

import logging
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from xml.etree import ElementTree

import pytest

from tests.factories import ConflictFactory, CorrectionFactory, EventFactory
from timeline import websub
from tracker.models import Event

pytestmark = pytest.mark.django_db

HUB = "https://hub.example.org/"
ORIGIN = "https://news.example.org"
CONFLICT_FEEDS = {
    f"{ORIGIN}/conflicts/nagorno-karabakh/feed.atom",
    f"{ORIGIN}/conflicts/nagorno-karabakh/feed.rss",
}
ATOM = "{http://www.w3.org/2005/Atom}"
SITE_FEEDS = {f"{ORIGIN}/feed.atom", f"{ORIGIN}/feed.rss"}


class HubStub(BaseHTTPRequestHandler):
    """A hub on the loopback that accepts every publish ping (202) and
    keeps what it was told."""

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        self.server.pings.append(urllib.parse.parse_qs(self.rfile.read(length).decode()))
        self.send_response(self.server.status)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def hub(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), HubStub)
    server.pings, server.status = [], 202
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.WEBSUB_HUB_URL = f"http://127.0.0.1:{server.server_port}/"
    settings.PUBLIC_ORIGIN = ORIGIN
    yield server
    server.shutdown()
    server.server_close()


def pinged(hub):
    websub.wait_until_sent()
    assert all(ping["hub.mode"] == ["publish"] for ping in hub.pings)
    return {url for ping in hub.pings for url in ping["hub.url"]}


@pytest.fixture
def conflict():
    return ConflictFactory()


@pytest.mark.parametrize("path", ["/feed.atom", "/conflicts/nagorno-karabakh/feed.atom"])
def test_atom_feeds_advertise_the_hub(client, settings, conflict, path):
    settings.WEBSUB_HUB_URL = HUB

    feed = ElementTree.fromstring(client.get(path).content)

    assert [link.get("href") for link in feed.findall(f"{ATOM}link[@rel='hub']")] == [HUB]


@pytest.mark.parametrize("path", ["/feed.rss", "/conflicts/nagorno-karabakh/feed.rss"])
def test_rss_feeds_advertise_the_hub_as_an_atom_link(client, settings, conflict, path):
    settings.WEBSUB_HUB_URL = HUB

    channel = ElementTree.fromstring(client.get(path).content).find("channel")

    assert [link.get("href") for link in channel.findall(f"{ATOM}link[@rel='hub']")] == [HUB]


def test_feeds_advertise_no_hub_when_none_is_configured(client, conflict):
    assert 'rel="hub"' not in client.get("/feed.atom").content.decode()
    assert 'rel="hub"' not in client.get("/feed.rss").content.decode()


def test_publishing_pings_the_hub_with_the_conflicts_and_the_site_wide_feeds_after_commit(
    hub, conflict, django_capture_on_commit_callbacks
):
    event = EventFactory(conflict=conflict, status=Event.Status.DRAFT)
    with django_capture_on_commit_callbacks(execute=False) as waiting:
        event.status = Event.Status.PUBLISHED
        event.save()
    assert pinged(hub) == set()  # not before the commit

    for callback in waiting:
        callback()

    assert pinged(hub) == CONFLICT_FEEDS | SITE_FEEDS


def test_a_correction_pings_the_hub(hub, conflict, django_capture_on_commit_callbacks):
    event = EventFactory(conflict=conflict)
    websub.wait_until_sent()
    hub.pings.clear()

    with django_capture_on_commit_callbacks(execute=True):
        CorrectionFactory(event=event)

    assert pinged(hub) == CONFLICT_FEEDS | SITE_FEEDS


def test_saving_a_draft_never_published_pings_no_hub(
    hub, conflict, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        EventFactory(conflict=conflict, status=Event.Status.DRAFT)

    assert pinged(hub) == set()


def test_a_hub_that_fails_is_retried_then_logged_and_the_save_stands(
    hub, conflict, django_capture_on_commit_callbacks, monkeypatch, caplog
):
    hub.status = 503
    monkeypatch.setattr(websub, "FIRST_PAUSE_SECONDS", 0.01)

    with caplog.at_level(logging.ERROR, logger="timeline.websub"):
        with django_capture_on_commit_callbacks(execute=True):
            event = EventFactory(conflict=conflict)
        websub.wait_until_sent()

    assert Event.objects.filter(pk=event.pk, status=Event.Status.PUBLISHED).exists()
    assert len(hub.pings) == websub.ATTEMPTS * len(CONFLICT_FEEDS | SITE_FEEDS)
    assert "Could not tell the hub" in caplog.text


def test_without_a_public_origin_no_ping_is_sent_and_a_warning_says_why(
    hub, settings, conflict, django_capture_on_commit_callbacks, caplog
):
    settings.PUBLIC_ORIGIN = ""

    with (
        caplog.at_level(logging.WARNING, logger="timeline.websub"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        EventFactory(conflict=conflict)

    assert pinged(hub) == set()
    assert "DJANGO_PUBLIC_ORIGIN is not" in caplog.text
