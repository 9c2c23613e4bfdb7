"""Every public view of a timeline costs the same few queries however many
events it holds: at most 10, one of them the newsroom's look until it is in
the cache, one the cards' photos."""

from datetime import UTC, datetime, timedelta

import pytest

from tests.factories import (
    ClaimFactory,
    ConflictFactory,
    EventFactory,
    ParticipantFactory,
    PlaceFactory,
)
from tracker import newsroom

pytestmark = pytest.mark.django_db

VIEWS = [
    "",
    "?kind=strike&kind=ceasefire",
    "?date_from=2023-09-01",
    "?disputed=true",
    "?has_figures=true",
    "?key=true",
    "?q=ceasefire",
    "?q=ceasefire&order=relevance",
    "?order=newest",
    "?on=2023-09-01",
]


def fill(conflict, count):
    start = datetime(2023, 9, 1, tzinfo=UTC)
    place = PlaceFactory()
    for n in range(count):
        event = EventFactory(
            conflict=conflict,
            title=f"Ceasefire violation {n}",
            starts_at=start + timedelta(hours=7 * n),
            place=place,
            is_key=n % 3 == 0,
        )
        ParticipantFactory(event=event)
        ClaimFactory(event=event, best=10)
        ClaimFactory(event=event, best=100, qualifier="about")


@pytest.mark.parametrize("view", VIEWS)
def test_each_timeline_view_makes_the_same_few_queries_at_any_size(
    client, django_assert_max_num_queries, view
):
    small, large = ConflictFactory(slug="small"), ConflictFactory(slug="large", name="Large")
    fill(small, 2)
    fill(large, 60)
    counts = []
    for conflict in (small, large):
        newsroom.forget()  # read afresh for each, as the conflict's own counts are
        with django_assert_max_num_queries(10) as captured:
            response = client.get(f"/conflicts/{conflict.slug}/{view}")
        assert response.status_code == 200
        counts.append(len(captured.captured_queries))

    assert counts[0] == counts[1], counts
