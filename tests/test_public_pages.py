from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from tests.factories import (
    ActorFactory,
    CitationFactory,
    ClaimFactory,
    ConflictFactory,
    CorrectionFactory,
    EventFactory,
    EventLinkFactory,
    ParticipantFactory,
    fully_detailed_event,
)
from tracker.models import Event

pytestmark = pytest.mark.django_db


def timeline_url(conflict, **params):
    url = reverse("timeline:conflict", args=[conflict.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def test_home_lists_conflicts(client):
    ConflictFactory(name="Nagorno-Karabakh conflict")
    response = client.get("/")
    assert response.status_code == 200
    assert "Nagorno-Karabakh conflict" in response.content.decode()


def test_the_timeline_shows_published_events_oldest_first(client):
    conflict = ConflictFactory()
    EventFactory(conflict=conflict, title="Second", starts_at=datetime(2023, 9, 20, tzinfo=UTC))
    EventFactory(conflict=conflict, title="First", starts_at=datetime(2023, 9, 19, tzinfo=UTC))
    html = client.get(timeline_url(conflict)).content.decode()
    assert html.index("First") < html.index("Second")


def test_the_timeline_can_show_newest_first(client):
    conflict = ConflictFactory()
    EventFactory(conflict=conflict, title="Second", starts_at=datetime(2023, 9, 20, tzinfo=UTC))
    EventFactory(conflict=conflict, title="First", starts_at=datetime(2023, 9, 19, tzinfo=UTC))
    html = client.get(timeline_url(conflict, order="newest")).content.decode()
    assert html.index("Second") < html.index("First")


def test_the_timeline_groups_events_by_local_day(client):
    conflict = ConflictFactory(timezone="Asia/Baku")
    # 21:00 UTC on the 19th is already the 20th in Baku (UTC+4).
    EventFactory(
        conflict=conflict,
        title="Late evening in UTC",
        starts_at=datetime(2023, 9, 19, 21, 0, tzinfo=UTC),
        precision="minute",
    )
    html = client.get(timeline_url(conflict)).content.decode()
    assert '<h3 class="day-heading">20 September 2023</h3>' in html
    assert "20 September 2023, 01:00 UTC+4" in html


def test_it_hides_drafts_and_events_in_review_from_the_timeline(client):
    conflict = ConflictFactory()
    EventFactory(conflict=conflict, title="Draft event", status=Event.Status.DRAFT)
    EventFactory(conflict=conflict, title="Reviewed event", status=Event.Status.IN_REVIEW)
    EventFactory(
        conflict=conflict,
        title="Retracted event",
        status=Event.Status.RETRACTED,
        retraction_note="Wrong.",
    )
    html = client.get(timeline_url(conflict)).content.decode()
    assert "Draft event" not in html
    assert "Reviewed event" not in html
    assert "Retracted event" not in html


@pytest.mark.parametrize("status", [Event.Status.DRAFT, Event.Status.IN_REVIEW])
def test_unpublished_events_answer_404_to_the_public(client, status):
    event = EventFactory(status=status)
    assert client.get(event.get_absolute_url()).status_code == 404


def test_staff_can_preview_a_draft(administrator_client):
    event = EventFactory(status=Event.Status.DRAFT, title="Upcoming talks")
    response = administrator_client.get(event.get_absolute_url())
    assert response.status_code == 200
    assert "Preview: this event is draft" in response.content.decode()


def test_a_retracted_event_shows_only_its_retraction_note(client):
    event = EventFactory(
        title="Strike on the bridge",
        summary="Secret details",
        status=Event.Status.RETRACTED,
        published_at=datetime(2023, 9, 20, 10, 0, tzinfo=UTC),
        retraction_note="The report was based on a fabricated video.",
    )
    ClaimFactory(event=event, wording="a claimed figure")
    response = client.get(event.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "The report was based on a fabricated video." in html
    assert "Strike on the bridge" not in html
    assert "Secret details" not in html
    assert "a claimed figure" not in html


def test_the_permalink_survives_a_title_edit(client):
    event = EventFactory(title="Ceasefire announced")
    url = event.get_absolute_url()
    event.title = "Ceasefire takes effect"
    event.save()
    event.refresh_from_db()
    assert event.get_absolute_url() == url
    assert "Ceasefire takes effect" in client.get(url).content.decode()


def test_the_event_page_shows_figures_by_claimant_with_sources(client):
    event = EventFactory()
    authorities = ActorFactory(name="Regional authorities")
    ClaimFactory(
        event=event,
        claimant=authorities,
        population="civilians",
        best=32,
        wording="32 civilian fatalities",
        source__url="https://news.example.org/ceasefire",
    )
    ClaimFactory(
        event=event, claimant=ActorFactory(name="Ruben Vardanyan"), best=100, qualifier="about"
    )
    html = client.get(event.get_absolute_url()).content.decode()
    assert "Regional authorities" in html
    assert "32 civilians killed" in html
    assert "about 100 killed" in html
    assert "Killed: 32 civilians, according to " in html
    assert "disputed" in html
    assert 'href="https://news.example.org/ceasefire"' in html
    assert "20 September 2023" in html  # as of, in Baku time: 19 Sep 20:00 UTC


def test_the_event_page_says_why_look_alike_figures_are_not_compared(client):
    event = EventFactory()
    armenian, azerbaijani = (
        ActorFactory(name="Armenian forces"),
        ActorFactory(name="Azerbaijani forces"),
    )
    ClaimFactory(event=event, claimant__name="MoD Armenia", party=armenian, best=412)
    ClaimFactory(event=event, claimant__name="MoD Azerbaijan", party=azerbaijani, best=280)

    html = client.get(event.get_absolute_url()).content.decode()

    assert '<strong class="badge">disputed</strong>' not in html
    assert (
        "Not compared, because they count different things (different sides): 412 killed "
        "(Armenian forces), according to MoD Armenia; 280 killed (Azerbaijani forces), "
        "according to MoD Azerbaijan."
    ) in html


def test_the_newsroom_claim_is_shown_as_our_assessment(client, settings):
    settings.NEWSROOM_NAME = "The Daily Record"
    event = EventFactory()
    ClaimFactory(
        event=event, claimant=ActorFactory(is_newsroom=True), note="Counted from hospital lists."
    )
    html = client.get(event.get_absolute_url()).content.decode()
    assert "The Daily Record&#x27;s own assessment" in html
    assert "Counted from hospital lists." in html


def test_the_timeline_marks_disputed_figures_with_their_spread(client):
    event = EventFactory()
    ClaimFactory(event=event, best=32, population="civilians")
    ClaimFactory(event=event, best=100, qualifier="about")
    html = client.get(timeline_url(event.conflict)).content.decode()
    assert "Killed: 32 civilians, according to " in html
    assert "is-disputed" in html


def test_the_summary_markdown_is_sanitised(client):
    event = EventFactory(
        summary="**Talks** <script>alert(1)</script> [link](javascript:alert(1)) "
        "<img src=x onerror=alert(1)>"
    )
    html = client.get(event.get_absolute_url()).content.decode()
    assert "<strong>Talks</strong>" in html
    assert "<script>alert(1)" not in html
    assert "javascript:" not in html
    assert "onerror" not in html


def test_titles_and_wording_are_escaped(client):
    event = EventFactory(title='<b onmouseover="x">Title</b>')
    ClaimFactory(event=event, wording='<script>alert("w")</script>')
    html = client.get(event.get_absolute_url()).content.decode()
    assert '<b onmouseover="x">' not in html
    assert '<script>alert("w")' not in html
    assert "&lt;script&gt;" in html


def test_related_events_show_only_published_ones(client):
    event = EventFactory()
    EventLinkFactory(
        from_event=event, to_event=EventFactory(title="Public follow-up", conflict=event.conflict)
    )
    EventLinkFactory(
        from_event=event,
        to_event=EventFactory(
            title="Secret draft", conflict=event.conflict, status=Event.Status.DRAFT
        ),
    )
    html = client.get(event.get_absolute_url()).content.decode()
    assert "Public follow-up" in html
    assert "Secret draft" not in html


def test_corrections_are_shown_on_the_event_page(client):
    correction = CorrectionFactory(note="The ceasefire time was 13:00, not 11:00.")
    html = client.get(correction.event.get_absolute_url()).content.decode()
    assert "The ceasefire time was 13:00, not 11:00." in html


@pytest.mark.parametrize("path", ["/", "/conflicts/nagorno-karabakh/", "event"])
def test_public_pages_set_no_cookies(client, path):
    event = fully_detailed_event(ConflictFactory(), datetime(2023, 9, 20, tzinfo=UTC))
    response = client.get(event.get_absolute_url() if path == "event" else path)
    assert response.status_code == 200
    assert response.cookies == {}
    assert "Set-Cookie" not in response.headers


def test_unknown_conflicts_and_events_answer_404(client):
    event = EventFactory()
    assert client.get("/conflicts/nowhere/").status_code == 404
    assert client.get(f"/conflicts/{event.conflict.slug}/events/nothing/").status_code == 404


def test_a_bad_page_position_shows_the_first_page_not_an_error(client):
    conflict = ConflictFactory()
    EventFactory(conflict=conflict, title="The only event")
    for position in [{"page": "abc"}, {"after": "x-1"}, {"before": "9" * 40}, {"on": "2023-02-30"}]:
        response = client.get(timeline_url(conflict, **position))
        assert response.status_code == 200
        assert "The only event" in response.content.decode()


@pytest.mark.parametrize("event_count", [1, 12])
def test_the_timeline_query_count_does_not_grow_with_events(
    client, django_assert_num_queries, event_count
):
    conflict = ConflictFactory()
    start = datetime(2023, 9, 1, tzinfo=UTC)
    for n in range(event_count):
        fully_detailed_event(conflict, start + timedelta(days=n))
    # conflict, one page of events with conflict and place, participants with
    # actors, claims with claimants and sources, phases, and the choices of
    # the filter form: actors and places in the conflict, in one query until
    # they are remembered, and the overview's events by local day, likewise;
    # the cards' photos; the newsroom's look (its name, logo and colours),
    # until it is in the cache
    with django_assert_num_queries(9):
        response = client.get(timeline_url(conflict))
    assert response.status_code == 200


@pytest.mark.parametrize("detail_count", [1, 10])
def test_the_event_page_query_count_does_not_grow_with_claims(
    client, django_assert_num_queries, detail_count
):
    event = fully_detailed_event(ConflictFactory(), datetime(2023, 9, 20, tzinfo=UTC))
    for _ in range(detail_count):
        ClaimFactory(event=event)
        CitationFactory(event=event)
        ParticipantFactory(event=event)
        CorrectionFactory(event=event)
    # event with conflict, place and last update, participants with actors,
    # claims with claimants and sources, citations with sources, corrections,
    # photos with their sources, links out, links in; the newsroom's look;
    # the conflict's events by local day for its overview, its phases and its
    # claimants' colours, each remembered once made; the neighbours before
    # and after (tests/test_event_position.py counts them apart)
    with django_assert_num_queries(7 + 1 + 1 + 3 + 2):
        response = client.get(event.get_absolute_url())
    assert response.status_code == 200


def test_the_home_page_query_count_is_constant(client, django_assert_num_queries):
    for n in range(5):
        ConflictFactory(slug=f"conflict-{n}", name=f"Conflict {n}")
    # the conflicts with their latest activity; the newsroom's look, until
    # it is in the cache
    with django_assert_num_queries(2):
        client.get("/")


def test_an_event_page_describes_itself_to_link_previews(client):
    event = EventFactory(title="Ceasefire set", summary="The **ceasefire** took effect at 13:00.")

    html = client.get(event.get_absolute_url()).content.decode()

    assert '<meta property="og:title" content="Ceasefire set">' in html
    assert '<meta property="og:description" content="The ceasefire took effect at 13:00.">' in html
    assert f'<meta property="og:url" content="http://testserver{event.get_absolute_url()}">' in html
    assert '<meta name="twitter:card" content="summary">' in html


def test_a_summary_cannot_break_out_of_the_description_attribute(client):
    event = EventFactory(summary='He said "stop" <script>alert(1)</script> & left')

    html = client.get(event.get_absolute_url()).content.decode()

    assert 'content="He said &quot;stop&quot; &amp; left"' in html
    assert "<script>" not in html


@pytest.mark.parametrize(
    ("precision", "machine"),
    [
        ("year", "2023"),
        ("month", "2023-09"),
        ("day", "2023-09-20"),
        ("minute", "2023-09-20T13:00:00+04:00"),
    ],
)
def test_machine_readable_dates_keep_the_events_precision(client, precision, machine):
    event = EventFactory(starts_at=datetime(2023, 9, 20, 9, 0, tzinfo=UTC), precision=precision)

    timeline = client.get(timeline_url(event.conflict)).content.decode()
    page = client.get(event.get_absolute_url()).content.decode()

    assert f'<time datetime="{machine}">' in timeline
    assert f'<time datetime="{machine}">' in page


def test_a_figure_known_to_the_day_is_dated_to_the_day_for_machines(client):
    claim = ClaimFactory(as_of=datetime(2023, 9, 19, 20, 0, tzinfo=UTC))  # Baku midnight

    html = client.get(claim.event.get_absolute_url()).content.decode()

    assert '<time datetime="2023-09-20">20 September 2023</time>' in html
