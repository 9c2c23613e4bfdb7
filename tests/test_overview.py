"""The overview strip at the top of a timeline: one aggregate query, periods
chosen by the conflict's span, bars that jump to their date keeping the
filters, and a text alternative."""

import html as html_lib
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.db import connection
from django.http import QueryDict
from django.urls import reverse

from tests.factories import ClaimFactory, ConflictFactory, EventFactory, PhaseFactory
from timeline import overview
from timeline.query import TimelineQuery
from tracker.models import Event

pytestmark = pytest.mark.django_db

START = datetime(2023, 9, 1, 12, 0, tzinfo=UTC)


def bulk_events(conflict, count, *, hours_apart=5):
    Event.objects.bulk_create(
        Event(
            conflict=conflict,
            kind=Event.Kind.STRIKE if n % 2 else Event.Kind.CEASEFIRE,
            title=f"Event {n}",
            slug=f"event-{n}",
            starts_at=START + timedelta(hours=hours_apart * n),
            status=Event.Status.PUBLISHED,
            is_key=n % 50 == 0,
        )
        for n in range(count)
    )


def counts_of(conflict):
    return overview.day_counts(Event.objects.published().in_conflict(conflict), conflict)


def bar_links(html):
    return [
        html_lib.unescape(href)
        for href in re.findall(r'<a class="overview-bar[^"]*" href="([^"]*)"', html)
    ]


def timeline(conflict, query=""):
    return reverse("timeline:conflict", args=[conflict.slug]) + query


@pytest.mark.parametrize("count", [10, 1000])
def test_the_overview_costs_one_query_at_any_size(django_assert_num_queries, count):
    conflict = ConflictFactory()
    bulk_events(conflict, count)

    with django_assert_num_queries(1):
        counts = counts_of(conflict)

    assert sum(events for events, _key, _disputed in counts.values()) == count


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL plan")
def test_the_overview_counts_from_the_timeline_index_alone():
    # Other conflicts' events, so that the conflict's own part of the index
    # is the way to its events: as in an archive of many conflicts, where
    # reading the table meant reading every conflict's rows.
    conflict, elsewhere = ConflictFactory(), ConflictFactory(slug="elsewhere")
    bulk_events(conflict, 200)
    bulk_events(elsewhere, 2000)
    events = Event.objects.published().in_conflict(conflict)
    with connection.cursor() as cursor:
        # The timeline index the only way to the rows but reading the whole
        # table: PostgreSQL plans an index-only scan of an index wherever
        # the index holds every column the query reads, whatever VACUUM has
        # marked so far. Dropped inside the test's transaction, which rolls
        # back.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no checks pending on the rows
        cursor.execute(
            "SELECT conname FROM pg_constraint WHERE conrelid = 'tracker_event'::regclass "
            "AND contype = 'u'"
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f'ALTER TABLE tracker_event DROP CONSTRAINT "{name}"')
        cursor.execute(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'tracker_event' "
            "AND indexname NOT IN ('event_timeline_idx', 'tracker_event_pkey')"
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute("ANALYZE tracker_event")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")

    plan = overview.counts_query(events, conflict).explain()

    scans = re.findall(r"(\w[\w ]*Scan)(?: using (\w+))? on tracker_event", plan)
    assert scans and set(scans) == {("Index Only Scan", "event_timeline_idx")}, plan


def test_the_overview_counts_by_local_day_in_the_conflicts_time_zone():
    conflict = ConflictFactory(timezone="Asia/Baku")  # UTC+4
    EventFactory(conflict=conflict, starts_at=datetime(2023, 9, 19, 21, 0, tzinfo=UTC))
    EventFactory(conflict=conflict, starts_at=datetime(2023, 9, 19, 19, 0, tzinfo=UTC))

    assert counts_of(conflict) == {date(2023, 9, 19): (1, 0, 0), date(2023, 9, 20): (1, 0, 0)}


def test_the_overview_counts_key_and_disputed_events():
    conflict = ConflictFactory()
    disputed = EventFactory(conflict=conflict, is_key=True, starts_at=START)
    ClaimFactory(event=disputed, best=32)
    ClaimFactory(event=disputed, best=100)
    EventFactory(conflict=conflict, starts_at=START)

    assert counts_of(conflict) == {START.date(): (2, 1, 1)}


def test_the_overview_draws_days_weeks_or_months_by_the_conflicts_span():
    first = date(2023, 1, 2)
    for span, unit, periods in [(30, "day", 30), (200, "week", 29), (1000, "month", 33)]:
        counts = {first: (1, 0, 0), first + timedelta(days=span - 1): (1, 0, 0)}
        drawn = overview.build(counts)
        assert (drawn.unit, len(drawn.periods)) == (unit, periods)
        assert drawn.total == 2


def test_a_period_without_events_has_no_bar_and_time_stays_linear():
    counts = {date(2023, 9, 1): (3, 0, 0), date(2023, 9, 4): (1, 0, 0)}

    drawn = overview.build(counts)

    assert [period.events for period in drawn.periods] == [3, 0, 0, 1]
    assert [period.x for period in drawn.bars] == [0.0, 75.0]
    assert [period.height for period in drawn.bars] == [overview.BAR_HEIGHT, 19]


def test_the_page_being_read_is_highlighted():
    counts = {date(2023, 9, day): (1, 0, 0) for day in range(1, 11)}

    drawn = overview.build(counts, page_days=(date(2023, 9, 3), date(2023, 9, 5)))

    assert [period.starts_on.day for period in drawn.periods if period.current] == [3, 4, 5]
    assert drawn.current == ("20.000%", "30.000%")


def test_phases_are_bands_clipped_to_the_strip():
    conflict = ConflictFactory()
    PhaseFactory(conflict=conflict, name="Before", starts_on=date(2023, 1, 1))
    PhaseFactory(conflict=conflict, name="Offensive", starts_on=date(2023, 9, 6))
    counts = {date(2023, 9, day): (1, 0, 0) for day in range(1, 11)}

    drawn = overview.build(counts, phases=list(conflict.phases.all()))

    assert [(band.name, band.x, band.width) for band in drawn.bands] == [
        ("Before", 0.0, 100.0),
        ("Offensive", 50.0, 50.0),
    ]


def test_each_bar_jumps_to_its_date_keeping_the_filters(client):
    conflict = ConflictFactory()
    for day in (1, 3):
        EventFactory(conflict=conflict, kind="strike", starts_at=START + timedelta(days=day))
    EventFactory(conflict=conflict, kind="ceasefire", starts_at=START + timedelta(days=8))

    html = client.get(timeline(conflict, "?kind=strike&after=1-1")).content.decode()

    # The ceasefire is filtered out: the strip ends at the last strike.
    assert bar_links(html) == ["?kind=strike&on=2023-09-02", "?kind=strike&on=2023-09-04"]


def test_a_bars_link_carries_the_search_escaped(client):
    conflict = ConflictFactory()
    EventFactory(conflict=conflict, title='Shelling "><b>near</b>', starts_at=START)

    html = client.get(timeline(conflict, '?q="><b>near</b>')).content.decode()

    assert bar_links(html) == ["?q=%22%3E%3Cb%3Enear%3C%2Fb%3E&on=2023-09-01"]
    assert 'href="?q=%22%3E%3Cb%3Enear%3C%2Fb%3E&amp;on=2023-09-01"' in html
    assert "<b>near" not in html.split('class="overview-strip"')[1].split("</svg>")[0]


def test_newest_first_a_bar_jumps_to_its_last_day():
    query = TimelineQuery(QueryDict("order=newest"))
    conflict = ConflictFactory()
    bulk_events(conflict, 200, hours_apart=24)

    drawn = overview.overview_of(
        Event.objects.published().in_conflict(conflict),
        conflict,
        phases=[],
        page_events=[],
        query=query,
        newest_first=True,
    )

    assert drawn.unit == "week"
    assert drawn.bars[0].href == "?order=newest&on=2023-09-03"


def test_the_overview_has_a_text_alternative_and_a_table_of_the_busiest_periods(client):
    conflict = ConflictFactory()
    for day, count in [(1, 1), (2, 4), (5, 2)]:
        for _ in range(count):
            EventFactory(conflict=conflict, starts_at=START + timedelta(days=day))

    html = client.get(timeline(conflict)).content.decode()

    assert 'role="group" aria-labelledby="overview-title" aria-describedby="overview-desc"' in html
    assert 'aria-label="3 September 2023: 4 events"' in html
    table = html[html.index("<caption>Busiest periods</caption>") :]
    rows = re.findall(r'<th scope="row"><a href="([^"]*)">([^<]*)</a></th><td>(\d+)</td>', table)
    assert rows[:3] == [
        ("?on=2023-09-03", "3 September 2023", "4"),
        ("?on=2023-09-06", "6 September 2023", "2"),
        ("?on=2023-09-02", "2 September 2023", "1"),
    ]


def test_an_empty_timeline_has_no_overview(client):
    html = client.get(timeline(ConflictFactory())).content.decode()

    assert "overview-strip" not in html


def test_a_strip_drawn_once_is_shown_again_until_what_it_shows_changes():
    from django.utils import translation

    conflict = ConflictFactory()
    bulk_events(conflict, 200, hours_apart=24)
    events = Event.objects.published().in_conflict(conflict)

    def drawn(query="", language="en", phases=()):
        with translation.override(language):
            return overview.overview_of(
                events,
                conflict,
                phases=list(phases),
                page_events=[],
                query=TimelineQuery(QueryDict(query)),
            )

    first = drawn()
    assert drawn() is first
    # Other filters' links, another language's labels, a phase band: redrawn.
    assert drawn("kind=strike").bars[0].href == "?kind=strike&on=2023-08-28"
    assert drawn(language="ru").bars[0].label != first.bars[0].label
    phase = PhaseFactory.build(conflict=conflict, name="Offensive", starts_on=date(2023, 9, 1))
    assert [band.name for band in drawn(phases=[phase]).bands] == ["Offensive"]
    assert drawn().bands == []
