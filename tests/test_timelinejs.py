"""timelinejs.json as its readers use it: loaded by the real TimelineJS in a
real headless Chromium, from a page on another site. A document TimelineJS
refuses shows readers nothing at all, so each shape of the record is shown
to it and the slides are counted.

Nothing leaves the machine: the page on "another site" (the live server's
port on 127.0.0.1, another origin than its localhost, and still the loopback,
which Chromium's private network rules require) and TimelineJS's own files
are answered by the test, the document by the live server, and any other
request is refused and reported."""

import io
import json
import mimetypes
from datetime import UTC, date, datetime
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from tests.factories import (
    ActorFactory,
    ClaimFactory,
    ConflictFactory,
    CorrectionFactory,
    EventFactory,
    MediaItemFactory,
    PhaseFactory,
    PlaceFactory,
    SourceFactory,
    jpeg_file,
)
from tests.timelinejs import installed_dist
from tracker.models import Conflict, Event

pytestmark = pytest.mark.browser

HARNESS = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Timeline</title>
<link rel="stylesheet" href="/timelinejs/css/timeline.css">
<script src="/timelinejs/js/timeline.js"></script>
</head><body>
<div id="timeline" style="width: 1000px; height: 650px"></div>
<script>
  window.timeline = new TL.Timeline("timeline", %(document)s, {
    script_path: "%(site)s/timelinejs/js/",
    // Its default font comes from Google Fonts: here nothing leaves the machine.
    font: null,
  });
  window.timeline.on("ready", () => { window.timelineReady = true; });
</script>
</body></html>"""


@pytest.fixture
def timelinejs_page(browser, live_server):
    """A page on another site that shows a document in TimelineJS, and the
    requests it tried to send elsewhere."""
    dist = installed_dist()
    site = live_server.url.replace("localhost", "127.0.0.1")
    # The page is answered by the test, so Chromium takes it for a public
    # site, which may read from the loopback only with this permission.
    context = browser.new_context(
        viewport={"width": 1100, "height": 800}, permissions=["local-network-access"]
    )
    refused = []

    def answer(route):
        url = route.request.url
        if url.startswith(live_server.url):
            return route.continue_()
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != site:
            refused.append(url)
            return route.abort()
        if parts.path == "/":
            document = json.dumps(route.request.url.split("?document=", 1)[1])
            return route.fulfill(
                content_type="text/html",
                body=HARNESS % {"document": document, "site": site},
            )
        path = (dist / parts.path.removeprefix("/timelinejs/")).resolve()
        if not path.is_relative_to(dist) or not path.is_file():
            return route.fulfill(status=404)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return route.fulfill(body=path.read_bytes(), content_type=content_type)

    context.route("**/*", answer)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.refused = refused
    page.site = site
    yield page
    context.close()


def show_in_timelinejs(page, document_url):
    """Loads the document and waits until TimelineJS has drawn it or says
    why it cannot. Returns (slides, eras, message shown)."""
    page.goto(f"{page.site}/?document={document_url}")
    page.wait_for_function(
        "window.timelineReady || /Error/.test("
        "document.querySelector('.tl-message-content')?.textContent || '')"
    )
    return page.evaluate(
        """() => ({
            slides: document.querySelectorAll('.tl-slide:not(.tl-slide-titleslide)').length,
            markers: document.querySelectorAll('.tl-timemarker').length,
            eras: document.querySelectorAll('.tl-timeera').length,
            title: document.querySelectorAll('.tl-slide-titleslide').length,
            message: window.timelineReady ? ''
                : document.querySelector('.tl-message-content').textContent,
        })"""
    )


def published_count(conflict):
    return Event.objects.published().filter(conflict=conflict).count()


def test_timelinejs_shows_every_published_event_of_the_demo(
    timelinejs_page, live_server, transactional_db
):
    call_command("load_demo", stdout=io.StringIO())
    conflict = Conflict.objects.get(slug="nagorno-karabakh")

    shown = show_in_timelinejs(
        timelinejs_page, f"{live_server.url}/conflicts/{conflict.slug}/timelinejs.json"
    )

    assert shown["message"] == ""
    assert shown["slides"] == shown["markers"] == published_count(conflict)
    assert shown["eras"] == conflict.phases.count() > 0
    assert shown["title"] == 1
    assert timelinejs_page.errors == []
    assert timelinejs_page.refused == [], "TimelineJS asked for something from another host"


def moment(*parts):
    return datetime(*parts, tzinfo=UTC)


HOSTILE = (
    '</div><script>window.hacked = 1</script><img src=x onerror="window.hacked = 2">'
    " \" ' & \u202eRTL\u202c أحداث Լեռնային Ղարաբաղ 🕊️"
)


def add_every_shape(conflict):
    """Published events of every precision, instants and spans, hostile text,
    and phases of one day, several days and still going on (beginning on the
    day of the last event). Returns the number of events TimelineJS must show."""
    PhaseFactory(
        conflict=conflict, name="One day", starts_on=date(2020, 9, 27), ends_on=date(2020, 9, 27)
    )
    PhaseFactory(
        conflict=conflict, name="Weeks", starts_on=date(2020, 9, 28), ends_on=date(2020, 11, 10)
    )
    PhaseFactory(conflict=conflict, name=HOSTILE[:100], starts_on=date(2023, 9, 21))
    place = PlaceFactory(name=HOSTILE)
    shapes = [
        ("year", moment(1994, 1, 1), None),
        ("year", moment(2016, 1, 1), moment(2017, 1, 1)),
        ("month", moment(2020, 7, 1), None),
        ("month", moment(2020, 7, 1), moment(2020, 8, 1)),
        ("day", moment(2020, 9, 27), None),
        # A span within one day: TimelineJS drops the end date it equals.
        ("day", moment(2020, 9, 28), moment(2020, 9, 28, 12)),
        ("day", moment(2020, 9, 28), moment(2020, 11, 10)),
        ("hour", moment(2020, 10, 10, 8), None),
        ("minute", moment(2023, 9, 20, 9, 0), None),
        ("minute", moment(2023, 9, 20, 9, 0), moment(2023, 9, 20, 9, 0)),
        ("minute", moment(2023, 9, 21, 6, 30), moment(2023, 9, 21, 14, 45)),
    ]
    for n, (precision, starts_at, ends_at) in enumerate(shapes):
        EventFactory(
            conflict=conflict,
            title=f"{precision} {n}",
            precision=precision,
            starts_at=starts_at,
            ends_at=ends_at,
        )
    hostile = EventFactory(
        conflict=conflict,
        title=HOSTILE,
        summary=f"{HOSTILE}\n\n[link](javascript:alert(1)) **bold** <iframe src=x></iframe>",
        place=place,
        starts_at=moment(2023, 9, 21, 6, 30),
        precision="minute",
    )
    ClaimFactory(event=hostile, claimant=ActorFactory(name=HOSTILE), wording=HOSTILE,
                 source=SourceFactory(title=HOSTILE), best=32)  # fmt: skip
    ClaimFactory(event=hostile, best=100, qualifier="about")
    CorrectionFactory(event=hostile, note=HOSTILE)
    EventFactory(conflict=conflict, title="A draft", status=Event.Status.DRAFT)
    return len(shapes) + 1


def test_timelinejs_shows_every_shape_of_event_and_phase(
    timelinejs_page, live_server, transactional_db
):
    conflict = ConflictFactory(introduction=HOSTILE)
    expected = add_every_shape(conflict)
    assert published_count(conflict) == expected

    shown = show_in_timelinejs(
        timelinejs_page, f"{live_server.url}/conflicts/{conflict.slug}/timelinejs.json"
    )

    assert shown["message"] == ""
    assert shown["slides"] == shown["markers"] == expected
    assert shown["eras"] == 3
    assert timelinejs_page.errors == []
    assert timelinejs_page.evaluate("window.hacked") is None
    assert timelinejs_page.refused == []


def test_timelinejs_shows_a_filtered_download(timelinejs_page, live_server, transactional_db):
    conflict = ConflictFactory()
    add_every_shape(conflict)

    shown = show_in_timelinejs(
        timelinejs_page,
        f"{live_server.url}/conflicts/{conflict.slug}/timelinejs.json?date_from=2020-09-27",
    )

    assert shown["message"] == ""
    assert shown["slides"] == 8


def test_timelinejs_shows_an_events_photo_with_its_credit_and_alt_text(
    timelinejs_page, live_server, transactional_db
):
    event = EventFactory(title="Ceasefire takes effect", slug="ceasefire-takes-effect")
    item = MediaItemFactory(
        event=event,
        image=jpeg_file(width=800, height=600),
        caption="Residents outside the hospital <script>window.hacked = 3</script>",
        credit="Photo: A. Petrosyan/Newswire",
    )

    shown = show_in_timelinejs(
        timelinejs_page, f"{live_server.url}/conflicts/{event.conflict.slug}/timelinejs.json"
    )
    assert shown["message"] == "" and shown["slides"] == 1
    timelinejs_page.evaluate("window.timeline.goToId('ceasefire-takes-effect')")

    image = timelinejs_page.locator("#ceasefire-takes-effect .tl-media-image")
    image.wait_for()
    timelinejs_page.wait_for_function(
        "document.querySelector('#ceasefire-takes-effect .tl-media-image').naturalWidth > 0"
    )
    assert image.get_attribute("src").endswith(item.w960_jpeg.url)
    assert image.get_attribute("alt") == item.alt_text
    slide = timelinejs_page.locator("#ceasefire-takes-effect")
    assert "Photo: A. Petrosyan/Newswire" in slide.locator(".tl-credit").inner_text()
    assert "Residents outside the hospital" in slide.locator(".tl-caption").inner_text()
    assert timelinejs_page.evaluate("window.hacked") is None
    assert timelinejs_page.errors == []
    assert timelinejs_page.refused == []
