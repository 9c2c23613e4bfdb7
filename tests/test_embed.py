import os
import subprocess
import sys
import threading
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from tests.csp import csp_directives
from tests.factories import ClaimFactory, ConflictFactory, EventFactory, MediaItemFactory
from tracker.models import Event

pytestmark = pytest.mark.django_db


def embed_url(conflict, query=""):
    return reverse("timeline:embed", args=[conflict.slug]) + query


class Elements(HTMLParser):
    """Every start tag of a page with its attributes, and the text of each
    textarea, as a browser would read them."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.tags, self.textareas, self._in_textarea = [], [], False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "textarea":
            self._in_textarea = True
            self.textareas.append("")

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._in_textarea = False

    def handle_data(self, data):
        if self._in_textarea:
            self.textareas[-1] += data

    def all(self, tag):
        return [attrs for name, attrs in self.tags if name == tag]


def test_the_embed_names_the_sites_that_may_frame_it(client, settings):
    settings.EMBED_ALLOWED_PARENTS = ["https://news.example.org", "https://*.example.com"]
    response = client.get(embed_url(ConflictFactory()))
    assert response.status_code == 200
    assert csp_directives(response)["frame-ancestors"] == [
        "https://news.example.org",
        "https://*.example.com",
    ]


def test_by_default_any_https_site_may_frame_the_embed(client):
    assert django_settings.EMBED_ALLOWED_PARENTS == ["https:"]
    response = client.get(embed_url(ConflictFactory()))
    assert csp_directives(response)["frame-ancestors"] == ["https:"]


def test_the_embed_sends_no_x_frame_options(client):
    response = client.get(embed_url(ConflictFactory()))
    assert "X-Frame-Options" not in response.headers


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/conflicts/nagorno-karabakh/",
        "/conflicts/nagorno-karabakh/events/ceasefire/",
        "/conflicts/nagorno-karabakh/feed.atom",
        "/conflicts/nagorno-karabakh/timelinejs.json",
        "/conflicts/nagorno-karabakh/embed/?date_from=never",  # refused: an error page
    ],
)
def test_every_other_page_refuses_to_be_framed(client, path):
    EventFactory(slug="ceasefire")
    response = client.get(path)
    assert response["X-Frame-Options"] == "DENY"
    assert csp_directives(response)["frame-ancestors"] == ["'none'"]


@pytest.mark.parametrize(
    ("value", "parents"),
    [
        ("", ["https:"]),
        (
            "https://news.example.org, https://*.example.com",
            ["https://news.example.org", "https://*.example.com"],
        ),
    ],
)
def test_the_allowed_parents_are_read_from_the_environment(value, parents):
    output = read_setting("EMBED_ALLOWED_PARENTS", DJANGO_EMBED_ALLOWED_PARENTS=value)
    assert output.stdout.strip() == repr(parents)


def test_an_allowed_parent_that_would_break_the_header_stops_the_start():
    output = read_setting(
        "EMBED_ALLOWED_PARENTS", DJANGO_EMBED_ALLOWED_PARENTS="https:; script-src *"
    )
    assert output.returncode != 0
    assert "DJANGO_EMBED_ALLOWED_PARENTS must list CSP sources" in output.stderr


def read_setting(name, **environ):
    """The setting as a fresh process with these environment variables reads it."""
    env = {**os.environ, **environ}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "-c", f"from config import settings; print(repr(settings.{name}))"],
        cwd=django_settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_embed_shows_the_latest_twenty_published_events_newest_first(client):
    conflict = ConflictFactory()
    start = datetime(2023, 9, 1, tzinfo=UTC)
    for n in range(22):
        EventFactory(conflict=conflict, title=f"Event number {n}", starts_at=start + timedelta(n))
    html = client.get(embed_url(conflict)).content.decode()
    assert len(Elements(html).all("li")) == 20
    assert html.index("Event number 21") < html.index("Event number 20")
    assert "Event number 1<" not in html
    assert "Event number 2<" in html


def test_the_embed_hides_drafts_events_in_review_and_retracted_events(client):
    conflict = ConflictFactory()
    EventFactory(conflict=conflict, title="Published event")
    EventFactory(conflict=conflict, title="Draft event", status=Event.Status.DRAFT)
    EventFactory(conflict=conflict, title="Reviewed event", status=Event.Status.IN_REVIEW)
    EventFactory(conflict=conflict, title="Retracted event").retract(reason="Wrong.")
    html = client.get(embed_url(conflict)).content.decode()
    assert "Published event" in html
    assert "Draft event" not in html
    assert "Reviewed event" not in html
    assert "Retracted event" not in html


def test_the_embed_follows_the_timeline_filters(client):
    conflict = ConflictFactory()
    EventFactory(conflict=conflict, title="A turning point", is_key=True)
    EventFactory(conflict=conflict, title="A detail")
    html = client.get(embed_url(conflict, "?key=true")).content.decode()
    assert "A turning point" in html
    assert "A detail" not in html
    assert 'href="http://testserver/conflicts/nagorno-karabakh/?key=true"' in html


def test_the_embed_shows_each_event_compactly_with_disputed_figures_marked(client):
    event = EventFactory(
        title="Conflicting casualty figures",
        kind=Event.Kind.CASUALTY_REPORT,
        starts_at=datetime(2023, 9, 20, 9, 0, tzinfo=UTC),
        precision="minute",
    )
    ClaimFactory(event=event, best=32, population="civilians")
    ClaimFactory(event=event, best=100, qualifier="about")
    html = client.get(embed_url(event.conflict)).content.decode()
    assert "casualty report" in html
    assert "20 September 2023, 13:00 UTC+4" in html
    assert "Killed: 32 civilians, according to " in html
    assert '<strong class="badge">disputed</strong>' in html
    assert "is-disputed" in html


def test_the_embed_has_no_site_chrome_and_no_scripts(client):
    html = client.get(embed_url(EventFactory().conflict)).content.decode()
    assert "site-header" not in html
    assert "site-footer" not in html
    assert "<script" not in html


def test_every_link_in_the_embed_opens_a_new_tab(client):
    event = EventFactory()
    links = Elements(client.get(embed_url(event.conflict)).content.decode()).all("a")
    assert len(links) == 2  # the full timeline and the event
    for link in links:
        assert link["target"] == "_blank"
        assert "noopener" in link["rel"].split()
    assert links[0]["href"] == "http://testserver/conflicts/nagorno-karabakh/"


def test_the_embed_says_where_the_full_timeline_is(client):
    html = client.get(embed_url(ConflictFactory())).content.decode()
    assert "Full timeline at testserver" in html


def test_the_embed_sets_no_cookies(client):
    response = client.get(embed_url(EventFactory().conflict))
    assert response.cookies == {}
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("event_count", [1, 12])
def test_the_embeds_query_count_does_not_grow_with_events(
    client, django_assert_num_queries, event_count
):
    conflict = ConflictFactory()
    for _ in range(event_count):
        event = EventFactory(conflict=conflict)
        ClaimFactory(event=event)
        ClaimFactory(event=event, best=100, qualifier="about")
        MediaItemFactory(event=event)
    # conflict, events with conflict and place, claims, photos; the newsroom's
    # look (its name and logo), until it is in the cache
    with django_assert_num_queries(5):
        response = client.get(embed_url(conflict))
    assert response.status_code == 200


def test_the_embed_of_an_unknown_conflict_answers_404(client):
    assert client.get("/conflicts/nowhere/embed/").status_code == 404


def snippet_iframe(client, url):
    """The iframe a reader copies from the timeline page, as their page reads it."""
    (code,) = Elements(client.get(url).content.decode()).textareas
    (iframe,) = Elements(code).all("iframe")
    return code, iframe


def test_the_timeline_offers_an_iframe_snippet(client):
    conflict = ConflictFactory()
    code, iframe = snippet_iframe(client, conflict.get_absolute_url())
    assert code.startswith("<iframe ") and code.endswith("></iframe>")
    assert iframe == {
        "src": "http://testserver/conflicts/nagorno-karabakh/embed/",
        "title": "Nagorno-Karabakh conflict: latest events",
        "width": "100%",
        "height": "600",
        "loading": "lazy",
        "style": "border:0",
    }


def test_the_iframe_snippet_is_escaped_for_the_page_and_for_the_copy(client):
    conflict = ConflictFactory(name='The "Northern" <front> & beyond')
    html = client.get(conflict.get_absolute_url()).content.decode()
    assert "<iframe" not in html  # shown as text, never a live frame
    _code, iframe = snippet_iframe(client, conflict.get_absolute_url())
    assert iframe["title"] == 'The "Northern" <front> & beyond: latest events'


def test_the_iframe_snippet_keeps_the_filters_of_the_view(client):
    conflict = ConflictFactory()
    url = conflict.get_absolute_url() + "?key=true&kind=ceasefire&order=newest"
    _code, iframe = snippet_iframe(client, url)
    assert (
        iframe["src"]
        == "http://testserver/conflicts/nagorno-karabakh/embed/?key=true&kind=ceasefire"
    )


@pytest.fixture
def other_site():
    """Another site on this machine, at an origin of its own, serving one
    article page; set `other_site.article` to its HTML."""

    class Article(BaseHTTPRequestHandler):
        def do_GET(self):
            body = server.article.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Article)
    server.article = ""
    server.url = f"http://127.0.0.1:{server.server_port}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.mark.browser
@pytest.mark.parametrize("embed_allowed", [True, False])
def test_a_browser_frames_the_embed_only_for_allowed_sites_and_never_the_timeline(
    page,
    live_server,
    other_site,
    settings,
    embed_allowed,
):
    settings.EMBED_ALLOWED_PARENTS = [other_site.url if embed_allowed else "https:"]
    EventFactory(title="Ceasefire set to take effect")
    timeline = f"{live_server.url}/conflicts/nagorno-karabakh/"
    other_site.article = (
        f'<iframe id="embed" src="{timeline}embed/"></iframe><iframe src="{timeline}"></iframe>'
    )
    statuses = {}
    page.on("response", lambda response: statuses.setdefault(response.url, response.status))

    page.goto(other_site.url)

    # Both pages arrived; the browser then showed only what their headers allow.
    assert statuses[f"{timeline}embed/"] == statuses[timeline] == 200
    shown = {frame.url for frame in page.frames}
    assert (f"{timeline}embed/" in shown) is embed_allowed
    assert timeline not in shown
    if embed_allowed:
        title = page.frame_locator("#embed").locator(".event-title")
        assert title.inner_text() == "Ceasefire set to take effect"


@pytest.mark.parametrize("query", ["?disputed=maybe", "?kind=cesefire"])
def test_a_filter_the_embed_cannot_read_is_refused_not_ignored(client, query):
    conflict = ConflictFactory()
    EventFactory(conflict=conflict)
    assert client.get(embed_url(conflict, query)).status_code == 400


def test_an_embed_of_undisputed_events_leaves_out_the_disputed(client):
    conflict = ConflictFactory()
    disputed = EventFactory(conflict=conflict, title="Disputed toll")
    ClaimFactory(event=disputed, best=32)
    ClaimFactory(event=disputed, best=100)
    EventFactory(conflict=conflict, title="Agreed")
    html = client.get(embed_url(conflict, "?disputed=false")).content.decode()
    assert "Agreed" in html and "Disputed toll" not in html
