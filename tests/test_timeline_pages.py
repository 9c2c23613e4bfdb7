"""Walking the timeline: keyset pages, jumping to a date, phases and key events."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse

from tests.factories import ConflictFactory, EventFactory, PhaseFactory
from timeline import views
from timeline.pagination import Cursor

pytestmark = pytest.mark.django_db

START = datetime(2023, 9, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def conflict():
    return ConflictFactory(timezone="Asia/Baku")


@pytest.fixture(autouse=True)
def small_pages(monkeypatch):
    monkeypatch.setattr(views, "EVENTS_PER_PAGE", 3)


def add_days(conflict, count, *, first=START):
    return [
        EventFactory(conflict=conflict, title=f"Day {n + 1}", starts_at=first + timedelta(days=n))
        for n in range(count)
    ]


def get(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def shown(html):
    return re.findall(r'class="event-title"><a href="[^"]*">([^<]*)</a>', html)


def link(html, rel):
    match = re.search(rf'<a rel="{rel}" href="([^"]*)"', html)
    return match and match[1].replace("&amp;", "&")


def timeline(conflict, query=""):
    return reverse("timeline:conflict", args=[conflict.slug]) + query


def test_later_links_walk_the_whole_timeline_once(client, conflict):
    add_days(conflict, 7)
    seen, url = [], timeline(conflict)
    while url:
        html = get(client, url if url.startswith("/") else timeline(conflict, url))
        seen += shown(html)
        url = link(html, "next")

    assert seen == [f"Day {n}" for n in range(1, 8)]


def test_earlier_links_walk_back_to_the_first_page(client, conflict):
    add_days(conflict, 7)
    last_page = get(client, timeline(conflict, "?on=2023-09-07"))
    assert shown(last_page) == ["Day 7"]

    middle = get(client, timeline(conflict, link(last_page, "prev")))
    first = get(client, timeline(conflict, link(middle, "prev")))

    assert shown(middle) == ["Day 4", "Day 5", "Day 6"]
    assert shown(first) == ["Day 1", "Day 2", "Day 3"]
    assert link(first, "prev") is None


def test_a_page_stays_the_same_when_events_are_published_before_it(client, conflict):
    add_days(conflict, 6)
    first = get(client, timeline(conflict))
    next_url = timeline(conflict, link(first, "next"))

    # Meanwhile an editor publishes two events at the start of the timeline.
    EventFactory(conflict=conflict, title="Late news", starts_at=START - timedelta(days=2))
    EventFactory(conflict=conflict, title="More late news", starts_at=START - timedelta(days=1))

    assert shown(get(client, next_url)) == ["Day 4", "Day 5", "Day 6"]


def test_events_at_the_same_moment_are_neither_skipped_nor_repeated(client, conflict):
    for n in range(5):
        EventFactory(conflict=conflict, title=f"Same time {n}", starts_at=START)
    first = get(client, timeline(conflict))
    second = get(client, timeline(conflict, link(first, "next")))

    assert sorted(shown(first) + shown(second)) == [f"Same time {n}" for n in range(5)]


def test_newest_first_pages_go_back_in_time(client, conflict):
    add_days(conflict, 5)
    first = get(client, timeline(conflict, "?order=newest"))
    earlier = get(client, timeline(conflict, link(first, "next")))

    assert shown(first) == ["Day 5", "Day 4", "Day 3"]
    assert shown(earlier) == ["Day 2", "Day 1"]
    assert "Earlier events" in first


def test_jump_to_date_starts_at_that_local_day(client, conflict):
    add_days(conflict, 7)  # 12:00 UTC is 16:00 in Baku: the same local date

    html = get(client, timeline(conflict, "?on=2023-09-04"))

    assert shown(html) == ["Day 4", "Day 5", "Day 6"]
    assert link(html, "prev") is not None


def test_jump_to_date_in_newest_first_order_ends_at_that_day(client, conflict):
    add_days(conflict, 7)

    html = get(client, timeline(conflict, "?order=newest&on=2023-09-04"))

    assert shown(html) == ["Day 4", "Day 3", "Day 2"]


def test_the_pages_keep_the_filters(client, conflict):
    add_days(conflict, 5)
    EventFactory(conflict=conflict, title="A strike", kind="strike", starts_at=START)

    html = get(client, timeline(conflict, "?kind=ceasefire"))

    assert "kind=ceasefire" in link(html, "next")
    assert "A strike" not in shown(html)


def test_the_jump_form_keeps_the_filters_but_not_the_position(client, conflict):
    add_days(conflict, 1)

    html = get(client, timeline(conflict, "?kind=strike&after=1-1&order=newest"))

    jump = html[html.index('class="jump"') :]
    assert '<input type="hidden" name="kind" value="strike">' in jump
    assert '<input type="hidden" name="order" value="newest">' in jump
    assert 'name="after"' not in jump


def test_the_timeline_counts_nothing(client, conflict, django_assert_max_num_queries):
    add_days(conflict, 4)
    second_page = timeline(conflict, link(get(client, timeline(conflict)), "next"))

    with django_assert_max_num_queries(8) as captured:
        get(client, second_page)

    assert not any("COUNT(" in query["sql"].upper() for query in captured.captured_queries)


def test_cursors_read_back_what_they_print():
    cursor = Cursor(datetime(2023, 9, 20, 9, 0, 0, 123456, tzinfo=UTC), 42)

    assert str(cursor) == "1695200400123456-42"
    assert Cursor.parse(str(cursor)) == cursor


@pytest.mark.parametrize("text", ["", "abc", "1-", "-1", "1.5-2", "1-2-3", "9" * 18 + "-1"])
def test_anything_else_is_not_a_cursor(text):
    assert Cursor.parse(text) is None


def test_phases_head_the_days_they_cover(client, conflict):
    PhaseFactory(
        conflict=conflict, name="Offensive", starts_on=date(2023, 9, 1), ends_on=date(2023, 9, 2)
    )
    PhaseFactory(conflict=conflict, name="Ceasefire", starts_on=date(2023, 9, 3))
    add_days(conflict, 3)

    html = get(client, timeline(conflict))

    offensive, ceasefire = (
        html.index("</span> Offensive</h2>"),
        html.index("</span> Ceasefire</h2>"),
    )
    assert offensive < html.index(">Day 1<") < html.index(">Day 2<") < ceasefire
    assert ceasefire < html.index(">Day 3<")


def test_key_events_are_marked(client, conflict):
    EventFactory(conflict=conflict, title="Turning point", is_key=True)

    html = get(client, timeline(conflict))

    assert "is-key" in html
    assert "Key event</strong>" in html


def test_the_introduction_and_methodology_are_shown(client, conflict):
    conflict.introduction = "What happened, **in short**."
    conflict.methodology = "We keep every figure as a claim."
    conflict.save()

    html = get(client, timeline(conflict))

    assert "<strong>in short</strong>" in html
    assert "We keep every figure as a claim." in html
