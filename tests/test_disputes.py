"""The stored dispute flag (Event.has_disputed_figures) follows every write
that changes what the dispute rule reads."""

from datetime import UTC, date, datetime

import pytest

from tests.factories import (
    ActorFactory,
    ClaimFactory,
    ConflictFactory,
    EventFactory,
    SourceFactory,
)
from tests.test_import import CLAIM_HEADER, confirm, preview
from tracker.merging import merge_actors
from tracker.models import Event, FigureClaim

pytestmark = pytest.mark.django_db


def flagged(event):
    return Event.objects.filter(pk=event.pk, has_disputed_figures=True).exists()


def agrees_with_the_rule(event):
    """The flag says what the rule, in Python, makes of the claims."""
    fresh = Event.objects.with_details().get(pk=event.pk)
    return fresh.has_disputed_figures is fresh.is_disputed


@pytest.fixture
def dispute():
    """An event where 32 killed and 100 killed, by two claimants, contradict."""
    event = EventFactory()
    return ClaimFactory(event=event, best=32), ClaimFactory(event=event, best=100)


def test_a_contradicting_claim_flags_its_event(dispute):
    first, _second = dispute

    assert flagged(first.event)
    assert agrees_with_the_rule(first.event)


def test_figures_near_the_largest_a_claim_holds_are_compared_without_overflow():
    # "about 2,000,000,000" reaches 2,200,000,000 at its upper bound, beyond
    # a 32-bit integer.
    event = EventFactory()
    ClaimFactory(event=event, best=32)
    ClaimFactory(event=event, best=2_000_000_000, qualifier=FigureClaim.Qualifier.ABOUT)

    assert flagged(event)
    assert agrees_with_the_rule(event)


def test_an_event_whose_claims_agree_is_not_flagged():
    event = EventFactory()
    ClaimFactory(event=event, best=32)
    ClaimFactory(event=event, best=32)

    assert not flagged(event)


def test_a_claim_changed_to_agree_clears_the_flag(dispute):
    _first, second = dispute

    second.best = 32
    second.save()

    assert not flagged(second.event)
    assert agrees_with_the_rule(second.event)


def test_deleting_one_side_of_a_dispute_clears_the_flag(dispute):
    first, second = dispute

    second.delete()

    assert not flagged(first.event)


def test_deleting_claims_in_bulk_clears_the_flag(dispute):
    first, second = dispute

    FigureClaim.objects.filter(pk=second.pk).delete()

    assert not flagged(first.event)


def test_a_claim_moved_to_another_event_takes_the_dispute_with_it(dispute):
    first, second = dispute
    other = ClaimFactory(best=500)

    second.event = other.event
    second.save()

    assert not flagged(first.event)
    assert flagged(other.event)
    assert agrees_with_the_rule(other.event)


def test_a_claimant_marked_as_the_newsroom_no_longer_disputes(dispute):
    first, second = dispute

    claimant = type(second.claimant).objects.get(pk=second.claimant_id)
    claimant.is_newsroom = True
    claimant.save()

    assert not flagged(first.event)
    assert agrees_with_the_rule(first.event)

    claimant.is_newsroom = False
    claimant.save()

    assert flagged(first.event)


def test_merging_two_claimants_into_one_ends_their_dispute(dispute):
    first, second = dispute

    merge_actors(keep=first.claimant, merged=[second.claimant])

    assert not flagged(first.event)
    assert agrees_with_the_rule(first.event)


def running_totals_on_two_utc_dates():
    """Running totals at 19:00 and 21:00 UTC on 28 September: one local day in
    London, two in Baku (the 29th starts at 20:00 UTC there)."""
    event = EventFactory(conflict=ConflictFactory(timezone="Europe/London"))
    running = {"scope": FigureClaim.Scope.RUNNING_TOTAL, "period_start": date(2023, 9, 27)}
    for best, hour in ((300, 19), (400, 21)):
        ClaimFactory(
            event=event, best=best, as_of=datetime(2023, 9, 28, hour, tzinfo=UTC), **running
        )
    return event


def test_a_conflicts_new_time_zone_rereads_the_days_of_running_totals():
    event = running_totals_on_two_utc_dates()
    assert flagged(event)

    conflict = type(event.conflict).objects.get(pk=event.conflict_id)
    conflict.timezone = "Asia/Baku"
    conflict.save()

    assert not flagged(event)
    assert agrees_with_the_rule(event)


def test_an_event_moved_to_a_conflict_in_another_zone_is_flagged_by_its_days():
    event = running_totals_on_two_utc_dates()

    event = Event.objects.get(pk=event.pk)
    event.conflict = ConflictFactory(slug="elsewhere", timezone="Asia/Baku")
    event.save()

    assert not flagged(event)


def test_a_retraction_keeps_the_flag_for_when_the_event_is_published_again(dispute, editor):
    first, _second = dispute
    events = Event.objects.filter(pk=first.event_id)

    events.move_to(Event.Status.RETRACTED, by=editor, retraction_note="Not confirmed.")
    events.move_to(Event.Status.PUBLISHED, by=editor)

    assert flagged(first.event)


def test_imported_claims_flag_their_event(reporter_client):
    event = EventFactory(
        conflict=ConflictFactory(slug="nagorno-karabakh", timezone="Asia/Baku"),
        slug="shelling-in-stepanakert",
        status=Event.Status.DRAFT,
    )
    ActorFactory(name="Ruben Vardanyan")
    ActorFactory(name="Nagorno-Karabakh regional authorities")
    SourceFactory(url="https://news.example.org/a")
    rows = [
        f"nagorno-karabakh,shelling-in-stepanakert,{claimant},https://news.example.org/a,"
        f"killed,civilians,exact,,{best},,,2023-09-20 10:00,unverified,\n"
        for claimant, best in (
            ("Ruben Vardanyan", 32),
            ("Nagorno-Karabakh regional authorities", 90),
        )
    ]

    confirm(
        reporter_client,
        "figureclaim",
        preview(reporter_client, "figureclaim", (CLAIM_HEADER + "".join(rows)).encode()),
    )

    assert FigureClaim.objects.filter(event=event).count() == 2
    assert flagged(event)
    assert agrees_with_the_rule(event)
