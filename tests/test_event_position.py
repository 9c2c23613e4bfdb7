"""An event's page in the timeline's visual language: where it sits on the
conflict's overview, its neighbours before and after, and its figures in
the claimants' colours of the figures page."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection

from tests.factories import (
    ActorFactory,
    CitationFactory,
    ClaimFactory,
    ConflictFactory,
    EventFactory,
    PhaseFactory,
    fully_detailed_event,
)
from timeline.pagination import Cursor
from timeline.position import beside, neighbours
from tracker.models import Event

pytestmark = pytest.mark.django_db

START = datetime(2023, 9, 1, 9, tzinfo=UTC)


def text(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.fixture
def three():
    conflict = ConflictFactory()
    return [
        EventFactory(conflict=conflict, title=title, starts_at=START + timedelta(days=n))
        for n, title in enumerate(["Offensive begins", "Ceasefire agreed", "Talks held"])
    ]


# Neighbours


def test_an_event_names_the_published_events_just_before_and_after_it(client, three):
    first, middle, last = three

    html = text(client, middle.get_absolute_url())

    assert f'<a rel="prev" href="{first.get_absolute_url()}">Offensive begins</a>' in html
    assert f'<a rel="next" href="{last.get_absolute_url()}">Talks held</a>' in html


def test_the_first_and_the_last_event_have_one_neighbour(client, three):
    first, _middle, last = three

    assert 'rel="prev"' not in text(client, first.get_absolute_url())
    assert 'rel="next"' not in text(client, last.get_absolute_url())


def test_drafts_and_other_conflicts_are_nobodys_neighbours(three):
    first, middle, last = three
    EventFactory(
        conflict=middle.conflict,
        starts_at=middle.starts_at + timedelta(hours=1),
        status=Event.Status.DRAFT,
    )
    EventFactory(
        conflict=ConflictFactory(slug="donbas", name="Donbas"),
        starts_at=middle.starts_at - timedelta(hours=1),
    )

    assert neighbours(middle) == (first, last)


def test_events_at_the_same_moment_are_neighbours_in_the_order_of_their_ids(three):
    first, middle, _last = three
    same_time = EventFactory(conflict=middle.conflict, starts_at=middle.starts_at)

    assert neighbours(middle)[1] == same_time
    assert neighbours(same_time)[0] == middle


def test_a_neighbour_is_found_along_the_timeline_index(three):
    _first, middle, _last = three
    # Other conflicts' events, so that the conflict's own part of the index
    # is the way to its few: as in an archive of many conflicts.
    elsewhere = ConflictFactory(slug="elsewhere")
    Event.objects.bulk_create(
        Event(
            conflict=elsewhere,
            kind=Event.Kind.STRIKE,
            title=f"Elsewhere {n}",
            slug=f"elsewhere-{n}",
            starts_at=START + timedelta(hours=n),
            status=Event.Status.PUBLISHED,
        )
        for n in range(2000)
    )
    nearest = beside(middle.conflict_id, Cursor.of(middle), after=True)[:1]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE tracker_event")
            cursor.execute("SET LOCAL enable_seqscan = off")
    plan = nearest.explain()

    assert "event_timeline_idx" in plan, plan


# Where it sits on the overview


def test_the_event_page_marks_the_events_day_on_the_conflicts_overview(client, three):
    first, middle, _last = three

    html = text(client, middle.get_absolute_url())
    strip = html.split('class="overview overview-of-event"', 1)[1].split("</figure>", 1)[0]

    bars = re.findall(r'<a class="overview-bar( is-current)?[^"]*" href="([^"]+)"', strip)
    assert bars == [
        ("", "/conflicts/nagorno-karabakh/?on=2023-09-01"),
        (" is-current", "/conflicts/nagorno-karabakh/?on=2023-09-02"),
        ("", "/conflicts/nagorno-karabakh/?on=2023-09-03"),
    ]
    assert "This event: 2 September 2023. The conflict’s 3 events, by day" in strip
    assert 'class="overview-current"' in strip


def test_the_event_page_names_the_phase_the_event_falls_in(client, three):
    PhaseFactory(
        conflict=three[0].conflict,
        name="Offensive",
        starts_on=date(2023, 9, 1),
        ends_on=date(2023, 9, 1),
    )
    PhaseFactory(conflict=three[0].conflict, name="Ceasefire", starts_on=date(2023, 9, 2))

    html = text(client, three[1].get_absolute_url())

    assert "In the phase “Ceasefire”." in html
    assert '<text class="band-label" x="4" y="12">Offensive</text>' in html


def test_a_draft_in_preview_shows_where_it_would_sit(administrator_client, three):
    draft = EventFactory(
        conflict=three[0].conflict,
        title="Draft",
        status=Event.Status.DRAFT,
        starts_at=START + timedelta(days=5),
    )

    html = text(administrator_client, draft.get_absolute_url())

    assert 'rel="prev"' in html and 'class="overview-current"' in html


# Figures in the claimants' colours


def series_of(html, claimant):
    """The style the page gives `claimant`: its swatch's series class."""
    swatch = r'<svg class="swatch series-(\d)"[^>]*>(?:<path[^>]*/>)*</svg>\s*'
    pattern = swatch + rf'(?:<span class="claimant">)?{claimant}'
    return re.search(pattern, html, re.S)[1]


def test_the_event_page_shows_each_claimant_in_its_colour_on_the_figures_page(client):
    conflict = ConflictFactory()
    authorities, ombudsman = ActorFactory(name="Authorities"), ActorFactory(name="Ombudsman")
    earlier = EventFactory(conflict=conflict, starts_at=START)
    ClaimFactory(event=earlier, claimant=ombudsman, as_of=START)
    event = EventFactory(conflict=conflict, starts_at=START + timedelta(days=1))
    ClaimFactory(event=event, claimant=authorities, best=32, as_of=START + timedelta(days=1))
    ClaimFactory(
        event=event,
        claimant=ombudsman,
        best=100,
        qualifier="about",
        as_of=START + timedelta(days=1),
    )

    figures = text(client, f"/conflicts/{conflict.slug}/figures/")
    page = text(client, event.get_absolute_url())

    assert series_of(page, "Ombudsman") == series_of(figures, "Ombudsman") == "0"
    assert series_of(page, "Authorities") == series_of(figures, "Authorities") == "1"


# What it costs


@pytest.mark.parametrize("event_count", [2, 60])
def test_the_event_page_makes_the_same_queries_at_any_size_of_the_conflict(
    client, django_assert_num_queries, event_count
):
    conflict = ConflictFactory()
    PhaseFactory(conflict=conflict, starts_on=date(2023, 9, 1))
    events = [
        fully_detailed_event(conflict, START + timedelta(hours=7 * n)) for n in range(event_count)
    ]
    one, other = events[len(events) // 2 - 1], events[len(events) // 2]
    # Before: 7, the event with its conflict, place and last update, its
    # participants, claims, citations, corrections and links out and in;
    # and its photos. Now, on a cold cache: the newsroom's look; the
    # conflict's period totals (shared with its timeline), its phases and its
    # claimants' colours, each once until the conflict changes; the
    # neighbours before and after.
    with django_assert_num_queries(7 + 1 + 1 + 3 + 2):
        assert client.get(one.get_absolute_url()).status_code == 200
    # Another event of the conflict: its own record, photos and neighbours.
    with django_assert_num_queries(7 + 1 + 2):
        assert client.get(other.get_absolute_url()).status_code == 200


# Kept right in the page cache


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 60


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    def run(change):
        with django_capture_on_commit_callbacks(execute=True):
            return change()

    return run


def test_publishing_an_event_renews_the_pages_of_its_neighbours_and_no_others(
    client, page_cache, three, commit, django_assert_num_queries
):
    first, middle, last = three
    later = EventFactory(
        conflict=first.conflict, title="Later still", starts_at=START + timedelta(days=9)
    )
    for event in (*three, later):
        client.get(event.get_absolute_url())
    draft = EventFactory(
        conflict=first.conflict,
        title="Shelling resumes",
        starts_at=START + timedelta(days=1, hours=3),
        status=Event.Status.DRAFT,
    )
    CitationFactory(event=draft)

    commit(draft.publish)

    with django_assert_num_queries(0):
        client.get(first.get_absolute_url())
        client.get(later.get_absolute_url())
    assert 'rel="next" href="/conflicts/nagorno-karabakh/events/shelling-resumes/"' in text(
        client, middle.get_absolute_url()
    )
    assert 'rel="prev" href="/conflicts/nagorno-karabakh/events/shelling-resumes/"' in text(
        client, last.get_absolute_url()
    )


def test_retitling_an_event_renews_its_neighbours_pages(client, page_cache, three, commit):
    first, middle, last = three
    for event in three:
        client.get(event.get_absolute_url())

    def retitle():
        middle.title = "Ceasefire agreed in Yevlakh"
        middle.save()

    commit(retitle)

    assert ">Ceasefire agreed in Yevlakh</a>" in text(client, first.get_absolute_url())
    assert ">Ceasefire agreed in Yevlakh</a>" in text(client, last.get_absolute_url())


def test_moving_an_event_in_time_renews_the_pages_it_left_and_joined(
    client, page_cache, three, commit
):
    first, middle, last = three
    later = EventFactory(
        conflict=first.conflict, title="Later still", starts_at=START + timedelta(days=9)
    )
    for event in (*three, later):
        client.get(event.get_absolute_url())

    def move():
        middle.starts_at = START + timedelta(days=20)
        middle.save()

    commit(move)

    assert f'rel="next" href="{last.get_absolute_url()}"' in text(client, first.get_absolute_url())
    assert f'rel="next" href="{middle.get_absolute_url()}"' in text(
        client, later.get_absolute_url()
    )


def test_withdrawing_an_event_renews_its_neighbours_pages(client, page_cache, three, commit):
    first, middle, last = three
    for event in three:
        client.get(event.get_absolute_url())

    commit(lambda: middle.retract(reason="Wrong."))

    assert f'rel="next" href="{last.get_absolute_url()}"' in text(client, first.get_absolute_url())
    assert f'rel="prev" href="{first.get_absolute_url()}"' in text(client, last.get_absolute_url())
