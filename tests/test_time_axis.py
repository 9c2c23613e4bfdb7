"""The time axis down the timeline: gaps said in words, each event placed at
the precision it is known to, spans and key events marked."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.urls import reverse

from tests.factories import ConflictFactory, EventFactory
from timeline.sections import gap_between

pytestmark = pytest.mark.django_db

START = datetime(2023, 9, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def conflict():
    return ConflictFactory(timezone="Asia/Baku")


def page(client, conflict, query=""):
    response = client.get(reverse("timeline:conflict", args=[conflict.slug]) + query)
    assert response.status_code == 200
    return response.content.decode()


def axis_item(html, title):
    """The <li> of the event titled `title`, up to its card."""
    end = html.index(f">{title}</a>")
    start = html.rindex('<li class="axis-item', 0, end)
    return html[start:end]


@pytest.mark.parametrize(
    "days, words",
    [
        (0, ""),
        (1, ""),
        (2, "2 days later"),
        (3, "3 days later"),
        (13, "13 days later"),
        (20, "2 weeks later"),
        (100, "3 months later"),
        (800, "2 years later"),
        (-3, "3 days earlier"),
    ],
)
def test_a_gap_says_how_long_passed_never_more(days, words):
    assert gap_between(date(2023, 9, 1), date(2023, 9, 1) + timedelta(days=days)) == words


def test_three_days_between_two_days_are_shown_on_the_timeline(client, conflict):
    EventFactory(conflict=conflict, title="First", starts_at=START, precision="day")
    EventFactory(conflict=conflict, title="Next day", starts_at=START + timedelta(days=1))
    EventFactory(conflict=conflict, title="Later", starts_at=START + timedelta(days=4))

    html = page(client, conflict)

    assert re.findall(r'<p class="axis-gap">([^<]*)</p>', html) == ["3 days later"]
    assert html.index("Next day") < html.index("3 days later") < html.index(">Later<")


def test_newest_first_a_gap_reads_earlier(client, conflict):
    EventFactory(conflict=conflict, title="First", starts_at=START)
    EventFactory(conflict=conflict, title="Later", starts_at=START + timedelta(days=5))

    html = page(client, conflict, "?order=newest")

    assert re.findall(r'<p class="axis-gap">([^<]*)</p>', html) == ["5 days earlier"]


def test_an_event_known_to_the_minute_sits_at_its_local_time_on_the_axis(client, conflict):
    EventFactory(conflict=conflict, title="Timed", starts_at=START, precision="minute")

    item = axis_item(page(client, conflict), "Timed")

    assert "has-time" in item
    assert '<span class="axis-time" aria-hidden="true">12:00</span>' in item


def test_an_event_known_to_the_day_has_no_dot_and_no_time(client, conflict):
    EventFactory(conflict=conflict, title="Dated", starts_at=START, precision="day")

    item = axis_item(page(client, conflict), "Dated")

    assert "precision-day" in item
    assert "has-time" not in item
    assert "axis-time" not in item
    assert "00:00" not in item


def test_an_event_known_to_the_month_sits_under_its_month(client, conflict):
    EventFactory(conflict=conflict, title="Sometime", starts_at=START, precision="month")

    html = page(client, conflict)

    day = html[html.rindex('<section class="day', 0, html.index(">Sometime<")) :]
    assert day.startswith('<section class="day is-coarse" aria-label="September 2023">')
    assert "has-time" not in axis_item(html, "Sometime")


def test_an_event_that_lasts_is_drawn_as_a_span_and_a_key_event_is_marked(client, conflict):
    EventFactory(
        conflict=conflict,
        title="Offensive",
        starts_at=START,
        ends_at=START + timedelta(days=2),
        is_key=True,
    )

    item = axis_item(page(client, conflict), "Offensive")

    assert "is-span" in item
    assert "is-key" in item


def test_the_phase_and_day_headings_stay_on_the_page_markup_the_suite_reads(client, conflict):
    EventFactory(conflict=conflict, title="One", starts_at=START)

    html = page(client, conflict)

    assert '<h3 class="day-heading">1 September 2023</h3>' in html
    assert '<ol class="events">' in html
