"""generate_bulk: synthetic data at scale that keeps every rule of the record."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count

from tests.factories import ClaimFactory, EventFactory
from tracker import dates
from tracker.bulk.generator import SHOWCASE_SLUG, Sizes
from tracker.models import (
    Citation,
    Conflict,
    Event,
    EventLink,
    FigureClaim,
    Participant,
    Phase,
)

pytestmark = pytest.mark.django_db

SMALL = {"conflicts": 4, "events": 600, "largest": 300, "small": 50, "claims": 1800}


@pytest.fixture
def generated():
    output = StringIO()
    call_command("generate_bulk", stdout=output, **SMALL)
    return output.getvalue()


def test_it_makes_as_many_conflicts_events_and_claims_as_asked(generated):
    assert Conflict.objects.count() == 4
    assert Event.objects.count() == 600
    assert FigureClaim.objects.count() == 1800


def test_the_largest_conflict_comes_first_and_the_small_one_last(generated):
    sizes = dict(
        Conflict.objects.annotate(n=Count("events")).values_list("slug", "n").order_by("slug")
    )
    assert sizes["bulk-000"] == 300
    assert sizes["bulk-003"] == 50
    assert max(sizes.values()) == 300


def test_events_come_with_participants_citations_links_corrections_and_phases(generated):
    assert Participant.objects.count() > 600
    assert Citation.objects.count() > 300
    assert EventLink.objects.exists()
    assert Phase.objects.count() == 4 * 3


def test_start_times_are_cut_to_their_precision_in_the_conflicts_time_zone(generated):
    for event in Event.objects.select_related("conflict"):
        tz = event.conflict.tz
        assert event.starts_at == dates.truncate(event.starts_at, event.precision, tz)
        if event.ends_at:
            assert event.ends_at >= event.starts_at


def test_there_is_a_spread_of_kinds_precisions_and_statuses_mostly_published(generated):
    assert Event.objects.values("kind").distinct().count() >= 8
    assert Event.objects.values("precision").distinct().count() == 5
    published = Event.objects.published().count()
    assert 0.8 * 600 < published < 600
    assert Event.objects.filter(status=Event.Status.RETRACTED).exclude(retraction_note="").exists()
    assert not Event.objects.published().filter(published_at__isnull=True).exists()


def test_generated_rows_pass_the_models_own_validation(generated):
    for event in Event.objects.select_related("conflict")[:100]:
        event.full_clean()
    for claim in FigureClaim.objects.all()[:300]:
        claim.full_clean()


def test_some_events_are_disputed_and_the_python_rule_agrees_with_sql(generated):
    disputed = set(Event.objects.disputed().values_list("pk", flat=True))
    by_python = {event.pk for event in Event.objects.with_details() if event.is_disputed}

    assert disputed == by_python
    assert 0 < len(disputed) < 600


def test_the_largest_conflict_has_an_event_with_50_claims_30_sources_and_20_participants(
    generated,
):
    event = Event.objects.get(conflict__slug="bulk-000", slug=SHOWCASE_SLUG)

    assert event.status == Event.Status.PUBLISHED
    assert event.claims.count() == 50
    assert event.citations.values("source").distinct().count() == 30
    assert event.participants.values("actor").distinct().count() == 20


def test_new_rows_can_be_added_afterwards(generated):
    event = EventFactory(conflict=Conflict.objects.get(slug="bulk-001"), title="Talks resume")
    ClaimFactory(event=event)

    assert Event.objects.count() == 601


def test_it_says_how_far_it_has_got(generated):
    assert "4/4 conflicts, 600/600 events, 1,800 claims" in generated


def test_it_refuses_to_add_the_same_conflicts_twice(generated):
    with pytest.raises(CommandError, match="exist already"):
        call_command("generate_bulk", stdout=StringIO(), **SMALL)


def test_flush_replaces_what_was_there(generated):
    call_command("generate_bulk", "--flush", stdout=StringIO(), **SMALL)

    assert Event.objects.count() == 600


def test_the_default_size_is_a_million_events_in_a_hundred_conflicts():
    counts = Sizes().events_per_conflict()

    assert len(counts) == 100
    assert sum(counts) == 1_000_000
    assert counts[0] == 200_000 == max(counts)
    assert counts[-1] == 1_000
