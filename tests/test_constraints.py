"""Every named database constraint, held on both paths: `full_clean()` (the
admin, imports) raises ValidationError, and a raw save that skips validation
is stopped by the database with IntegrityError."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError

from tests.factories import (
    ActorFactory,
    CitationFactory,
    ClaimFactory,
    ConflictFactory,
    EventFactory,
    EventLinkFactory,
    ParticipantFactory,
    PhaseFactory,
    PlaceFactory,
    SourceFactory,
)
from tracker.models import (
    Actor,
    Conflict,
    Event,
    FigureClaim,
    Participant,
    Phase,
    Place,
    Source,
)

pytestmark = pytest.mark.django_db

BEFORE_THE_START = datetime(2023, 9, 18, 9, 0, tzinfo=UTC)


def rejected_by_the_database(constraint, *, sqlite_columns=None):
    """Expect the IntegrityError of this constraint. PostgreSQL names the
    constraint; SQLite names check constraints, but for unique ones only the
    columns."""
    pattern = constraint if sqlite_columns is None else f"{constraint}|{sqlite_columns}"
    return pytest.raises(IntegrityError, match=pattern)


def errors_of(instance):
    with pytest.raises(ValidationError) as raised:
        instance.full_clean()
    return raised.value.message_dict


@pytest.fixture
def claim():
    """A valid claim, not yet saved, to break one rule at a time."""
    return ClaimFactory.build(
        event=EventFactory(), claimant=ActorFactory(), source=SourceFactory(), best=32
    )


@pytest.fixture
def conflict():
    return ConflictFactory()


# FigureClaim: claim_has_a_figure


def test_full_clean_asks_for_a_figure_on_the_best_field(claim):
    claim.best = None

    errors = errors_of(claim)

    assert "Give the figure" in errors["best"][0]


def test_the_database_rejects_a_claim_without_a_figure():
    with rejected_by_the_database("claim_has_a_figure"), transaction.atomic():
        ClaimFactory(low=None, best=None, high=None)


# FigureClaim: claim_figures_not_negative


@pytest.mark.parametrize("figure", ["low", "best", "high"])
def test_full_clean_rejects_a_negative_figure_on_its_own_field(claim, figure):
    claim.low = claim.best = claim.high = None
    setattr(claim, figure, -1)

    errors = errors_of(claim)

    assert "greater than or equal to 0" in errors[figure][0]


@pytest.mark.parametrize("figure", ["low", "best", "high"])
def test_the_database_rejects_a_negative_figure(figure):
    figures = {"low": None, "best": None, "high": None, figure: -1}

    with rejected_by_the_database("claim_figures_not_negative"), transaction.atomic():
        ClaimFactory(**figures)


def test_a_claim_of_zero_is_valid(claim):
    claim.best = 0

    claim.full_clean()


# FigureClaim: claim_low_le_best


def test_full_clean_reports_a_low_above_the_best_on_the_low_field(claim):
    claim.low, claim.best = 50, 40

    errors = errors_of(claim)

    assert errors["low"] == ["The low figure (50) is above the best figure (40)."]


def test_the_database_rejects_a_low_above_the_best():
    with rejected_by_the_database("claim_low_le_best"), transaction.atomic():
        ClaimFactory(low=50, best=40, high=60, qualifier="about")


# FigureClaim: claim_best_le_high


def test_full_clean_reports_a_high_below_the_best_on_the_high_field(claim):
    claim.best, claim.high = 40, 30

    errors = errors_of(claim)

    assert errors["high"] == ["The high figure (30) is below the best figure (40)."]


def test_the_database_rejects_a_best_above_the_high():
    with rejected_by_the_database("claim_best_le_high"), transaction.atomic():
        ClaimFactory(low=10, best=40, high=30, qualifier="about")


# FigureClaim: claim_low_le_high


def test_full_clean_reports_a_low_above_the_high_on_the_low_field(claim):
    claim.low, claim.best, claim.high = 50, None, 40

    errors = errors_of(claim)

    assert errors["low"] == ["The low figure (50) is above the high figure (40)."]


def test_the_database_rejects_a_low_above_the_high():
    with rejected_by_the_database("claim_low_le_high"), transaction.atomic():
        ClaimFactory(low=50, best=None, high=40)


def test_a_range_with_low_best_and_high_in_order_is_valid(claim):
    # "About 32", since "exactly 32" with a range contradicts itself.
    claim.qualifier = FigureClaim.Qualifier.ABOUT
    claim.low, claim.best, claim.high = 30, 32, 40

    claim.full_clean()


# FigureClaim: claim_more_than_below_high


@pytest.mark.parametrize(("low", "best", "high"), [(None, None, 5), (None, 5, 5), (5, None, 5)])
def test_full_clean_reports_more_than_with_no_room_below_the_high(claim, low, best, high):
    claim.qualifier = FigureClaim.Qualifier.MORE_THAN
    claim.low, claim.best, claim.high = low, best, high

    errors = errors_of(claim)

    assert errors["high"] == [
        "'More than 5' leaves no room up to the high figure (5): "
        "give a higher high figure, or another qualifier."
    ]


def test_the_database_rejects_more_than_with_no_room_below_the_high():
    with rejected_by_the_database("claim_more_than_below_high"), transaction.atomic():
        ClaimFactory(qualifier=FigureClaim.Qualifier.MORE_THAN, best=None, high=5)


def test_more_than_with_a_higher_high_figure_is_valid(claim):
    claim.qualifier = FigureClaim.Qualifier.MORE_THAN
    claim.low, claim.best, claim.high = None, 200, 300

    claim.full_clean()
    assert claim.bounds == (201, 300)


# FigureClaim: claim_running_total_has_period_start, claim_incident_has_no_period


def test_full_clean_asks_a_running_total_for_the_day_it_counts_from(claim):
    claim.scope, claim.period_start = FigureClaim.Scope.RUNNING_TOTAL, None

    errors = errors_of(claim)

    assert "give the first day it counts" in errors["period_start"][0]


def test_the_database_rejects_a_running_total_without_a_period_start():
    with (
        rejected_by_the_database("claim_running_total_has_period_start"),
        transaction.atomic(),
    ):
        ClaimFactory(scope=FigureClaim.Scope.RUNNING_TOTAL, period_start=None)


def test_full_clean_refuses_a_period_on_an_events_toll(claim):
    claim.scope, claim.period_start = FigureClaim.Scope.INCIDENT, date(2023, 9, 27)

    errors = errors_of(claim)

    assert "counts no period" in errors["period_start"][0]


def test_the_database_rejects_a_period_on_an_events_toll():
    with rejected_by_the_database("claim_incident_has_no_period"), transaction.atomic():
        ClaimFactory(scope=FigureClaim.Scope.INCIDENT, period_start=date(2023, 9, 27))


def test_a_running_total_with_its_period_start_is_valid(claim):
    claim.scope, claim.period_start = FigureClaim.Scope.RUNNING_TOTAL, date(2023, 9, 27)

    claim.full_clean()


# Event: event_end_not_before_start


def test_full_clean_reports_an_end_before_the_start_on_the_end_field(conflict):
    event = EventFactory.build(conflict=conflict, ends_at=BEFORE_THE_START)

    errors = errors_of(event)

    assert "is before the start" in errors["ends_at"][0]


def test_the_database_rejects_an_event_that_ends_before_it_starts():
    with rejected_by_the_database("event_end_not_before_start"), transaction.atomic():
        EventFactory(ends_at=BEFORE_THE_START)


def test_an_event_may_end_when_it_starts(conflict):
    starts_at = datetime(2023, 9, 20, 9, 0, tzinfo=UTC)
    event = EventFactory.build(conflict=conflict, starts_at=starts_at, ends_at=starts_at)

    event.full_clean()


# Event: event_slug_unique_in_conflict


def test_full_clean_rejects_a_slug_taken_in_the_same_conflict(conflict):
    EventFactory(conflict=conflict, title="Ceasefire")
    event = EventFactory.build(conflict=conflict, slug="ceasefire")

    errors = errors_of(event)

    assert errors[NON_FIELD_ERRORS] == ["Another event in this conflict has this slug."]


def test_the_database_rejects_a_slug_taken_in_the_same_conflict(conflict):
    EventFactory(conflict=conflict, title="Ceasefire")

    with (
        rejected_by_the_database(
            "event_slug_unique_in_conflict",
            sqlite_columns="tracker_event.conflict_id, tracker_event.slug",
        ),
        transaction.atomic(),
    ):
        EventFactory(conflict=conflict, slug="ceasefire")


def test_the_same_slug_is_fine_in_another_conflict(conflict):
    EventFactory(conflict=conflict, title="Ceasefire")
    other_conflict = ConflictFactory(name="Other conflict", slug="other")
    event = EventFactory.build(conflict=other_conflict, slug="ceasefire")

    event.full_clean()
    event.save()

    assert Event.objects.filter(slug="ceasefire").count() == 2


# Event: event_retraction_has_note


def test_full_clean_asks_for_a_retraction_note_on_that_field(conflict):
    event = EventFactory.build(conflict=conflict, status=Event.Status.RETRACTED)

    errors = errors_of(event)

    assert errors["retraction_note"] == ["Say publicly why the event is retracted."]


def test_full_clean_does_not_take_blank_space_for_a_retraction_note(conflict):
    event = EventFactory.build(
        conflict=conflict, status=Event.Status.RETRACTED, retraction_note="   "
    )

    errors = errors_of(event)

    assert "retraction_note" in errors


def test_the_database_rejects_a_retraction_without_a_note():
    with rejected_by_the_database("event_retraction_has_note"), transaction.atomic():
        EventFactory(status=Event.Status.RETRACTED, retraction_note="")


def test_a_retraction_with_a_note_is_valid(conflict):
    event = EventFactory.build(
        conflict=conflict,
        status=Event.Status.RETRACTED,
        retraction_note="The strike was reported in error.",
    )

    event.full_clean()


# Source: source_url_unique


def test_full_clean_rejects_a_url_already_used_by_another_source():
    SourceFactory(url="https://news.example.org/ceasefire")
    source = Source(title="Same article", url="https://news.example.org/ceasefire")

    errors = errors_of(source)

    assert errors[NON_FIELD_ERRORS] == ["A source with this URL already exists."]


def test_full_clean_treats_urls_differing_in_scheme_and_host_case_as_the_same():
    SourceFactory(url="https://news.example.org/ceasefire")
    source = Source(title="Same article", url="HTTPS://News.Example.ORG/ceasefire")

    errors = errors_of(source)

    assert errors[NON_FIELD_ERRORS] == ["A source with this URL already exists."]


def test_the_database_rejects_a_url_already_used_by_another_source():
    SourceFactory(url="https://news.example.org/ceasefire")

    with (
        rejected_by_the_database("source_url_unique", sqlite_columns="tracker_source.url"),
        transaction.atomic(),
    ):
        SourceFactory(url="https://news.example.org/ceasefire")


def test_the_database_treats_urls_differing_in_scheme_and_host_case_as_the_same():
    SourceFactory(url="https://news.example.org/ceasefire")

    with (
        rejected_by_the_database("source_url_unique", sqlite_columns="tracker_source.url"),
        transaction.atomic(),
    ):
        SourceFactory(url="HTTPS://NEWS.EXAMPLE.ORG/ceasefire")


def test_saving_a_source_lowercases_only_the_scheme_and_host_of_its_url():
    source = SourceFactory(url="HTTPS://News.Example.ORG/Ceasefire?ID=7")

    assert source.url == "https://news.example.org/Ceasefire?ID=7"


def test_urls_differing_in_path_case_are_different_sources():
    SourceFactory(url="https://news.example.org/ceasefire")

    SourceFactory(url="https://news.example.org/Ceasefire")

    assert Source.objects.count() == 2


def test_sources_without_a_url_can_repeat():
    SourceFactory(url="")
    source = Source(title="Press conference, no recording", url="")

    source.full_clean()
    source.save()

    assert Source.objects.filter(url="").count() == 2


# Actor: actor_single_newsroom


def test_full_clean_rejects_a_second_newsroom():
    ActorFactory(is_newsroom=True)
    actor = ActorFactory.build(is_newsroom=True)

    errors = errors_of(actor)

    assert errors[NON_FIELD_ERRORS] == ["Only one actor can be the newsroom itself."]


def test_the_database_rejects_a_second_newsroom():
    ActorFactory(is_newsroom=True)

    with (
        rejected_by_the_database(
            "actor_single_newsroom", sqlite_columns="tracker_actor.is_newsroom"
        ),
        transaction.atomic(),
    ):
        ActorFactory(is_newsroom=True)


def test_any_number_of_actors_can_be_other_than_the_newsroom():
    ActorFactory(is_newsroom=True)
    ActorFactory()
    actor = ActorFactory.build()

    actor.full_clean()
    actor.save()

    assert Actor.objects.filter(is_newsroom=False).count() == 2


# Conflict: conflict_end_not_before_start


def test_full_clean_rejects_a_conflict_that_ends_before_it_starts():
    conflict = Conflict(
        name="Short war",
        slug="short-war",
        timezone="Asia/Baku",
        start_date=date(2023, 9, 19),
        end_date=date(2023, 9, 18),
    )

    errors = errors_of(conflict)

    assert errors[NON_FIELD_ERRORS] == ["The conflict cannot end before it starts."]


def test_the_database_rejects_a_conflict_that_ends_before_it_starts():
    with rejected_by_the_database("conflict_end_not_before_start"), transaction.atomic():
        Conflict.objects.create(
            name="Short war",
            slug="short-war",
            timezone="Asia/Baku",
            start_date=date(2023, 9, 19),
            end_date=date(2023, 9, 18),
        )


def test_a_conflict_may_end_on_the_day_it_starts():
    conflict = Conflict(
        name="One-day war",
        slug="one-day-war",
        timezone="Asia/Baku",
        start_date=date(2023, 9, 19),
        end_date=date(2023, 9, 19),
    )

    conflict.full_clean()


# Phase: phase_end_not_before_start, phase_start_unique_in_conflict, no overlap


def test_full_clean_rejects_a_phase_that_ends_before_it_starts(conflict):
    phase = Phase(conflict=conflict, name="Talks", starts_on=date(2023, 9, 21))
    phase.ends_on = date(2023, 9, 20)

    assert errors_of(phase)[NON_FIELD_ERRORS] == ["The phase cannot end before it starts."]


def test_the_database_rejects_a_phase_that_ends_before_it_starts(conflict):
    with rejected_by_the_database("phase_end_not_before_start"), transaction.atomic():
        Phase.objects.create(
            conflict=conflict, name="Talks", starts_on=date(2023, 9, 21), ends_on=date(2023, 9, 20)
        )


def test_the_database_rejects_two_phases_starting_on_one_day(conflict):
    PhaseFactory(conflict=conflict, starts_on=date(2023, 9, 19))

    with (
        rejected_by_the_database(
            "phase_start_unique_in_conflict",
            sqlite_columns="tracker_phase.conflict_id, tracker_phase.starts_on",
        ),
        transaction.atomic(),
    ):
        PhaseFactory(conflict=conflict, starts_on=date(2023, 9, 19))


def test_full_clean_rejects_a_phase_overlapping_an_open_ended_one(conflict):
    PhaseFactory(conflict=conflict, name="Ceasefire", starts_on=date(2023, 9, 20))
    talks = PhaseFactory.build(conflict=conflict, name="Talks", starts_on=date(2023, 9, 25))

    assert errors_of(talks)[NON_FIELD_ERRORS] == [
        "This overlaps the phase 'Ceasefire'; a day belongs to one phase at most."
    ]


def test_phases_may_follow_each_other_day_after_day(conflict):
    PhaseFactory(conflict=conflict, starts_on=date(2023, 9, 19), ends_on=date(2023, 9, 19))
    PhaseFactory(conflict=ConflictFactory(slug="other-war"), starts_on=date(2023, 9, 20))
    ceasefire = PhaseFactory.build(conflict=conflict, starts_on=date(2023, 9, 20))

    ceasefire.full_clean()


# Place: place_coordinates_valid

INVALID_COORDINATES = [
    pytest.param(91, 0, id="latitude above 90"),
    pytest.param(-91, 0, id="latitude below -90"),
    pytest.param(0, 181, id="longitude above 180"),
    pytest.param(0, -181, id="longitude below -180"),
    pytest.param(40, None, id="latitude without longitude"),
    pytest.param(None, 47, id="longitude without latitude"),
]
VALID_COORDINATES = [
    pytest.param(Decimal("39.81611"), Decimal("46.75111"), id="Stepanakert"),
    pytest.param(None, None, id="no coordinates"),
    pytest.param(90, 180, id="upper corners"),
    pytest.param(-90, -180, id="lower corners"),
]


# full_clean() names the field at fault, before the constraint would.
FIELD_ERRORS = {
    "latitude above 90": ("latitude", "Ensure this value is less than or equal to 90."),
    "latitude below -90": ("latitude", "Ensure this value is greater than or equal to -90."),
    "longitude above 180": ("longitude", "Ensure this value is less than or equal to 180."),
    "longitude below -180": ("longitude", "Ensure this value is greater than or equal to -180."),
    "latitude without longitude": ("longitude", "Give the longitude with the latitude."),
    "longitude without latitude": ("latitude", "Give the latitude with the longitude."),
}


@pytest.mark.parametrize(("latitude", "longitude"), INVALID_COORDINATES)
def test_full_clean_rejects_invalid_coordinates(request, latitude, longitude):
    place = PlaceFactory.build(latitude=latitude, longitude=longitude)
    field, message = FIELD_ERRORS[request.node.callspec.id]

    errors = errors_of(place)

    assert errors[field] == [message]
    assert NON_FIELD_ERRORS not in errors


@pytest.mark.parametrize(("latitude", "longitude"), INVALID_COORDINATES)
def test_the_database_rejects_invalid_coordinates(latitude, longitude):
    with rejected_by_the_database("place_coordinates_valid"), transaction.atomic():
        PlaceFactory(latitude=latitude, longitude=longitude)


@pytest.mark.parametrize(("latitude", "longitude"), VALID_COORDINATES)
def test_valid_coordinates_pass_both_checks(latitude, longitude):
    place = PlaceFactory.build(latitude=latitude, longitude=longitude)

    place.full_clean()
    place.save()

    assert Place.objects.filter(pk=place.pk).exists()


# EventLink: event_link_not_to_itself


def test_full_clean_rejects_linking_an_event_to_itself():
    event = EventFactory()
    link = EventLinkFactory.build(from_event=event, to_event=event)

    errors = errors_of(link)

    assert errors[NON_FIELD_ERRORS] == ["An event cannot be linked to itself."]


def test_the_database_rejects_linking_an_event_to_itself():
    event = EventFactory()

    with rejected_by_the_database("event_link_not_to_itself"), transaction.atomic():
        EventLinkFactory(from_event=event, to_event=event)


# Participant: participant_unique_role


def test_full_clean_rejects_the_same_actor_twice_in_the_same_role():
    first = ParticipantFactory()
    second = ParticipantFactory.build(event=first.event, actor=first.actor, role=first.role)

    errors = errors_of(second)

    assert errors[NON_FIELD_ERRORS] == [
        "Participant with this Event, Actor and Role already exists."
    ]


def test_the_database_rejects_the_same_actor_twice_in_the_same_role():
    first = ParticipantFactory()

    with (
        rejected_by_the_database(
            "participant_unique_role",
            sqlite_columns="tracker_participant.event_id, tracker_participant.actor_id, "
            "tracker_participant.role",
        ),
        transaction.atomic(),
    ):
        ParticipantFactory(event=first.event, actor=first.actor, role=first.role)


def test_an_actor_can_take_part_in_one_event_in_two_roles():
    first = ParticipantFactory(role=Participant.Role.PARTY)
    second = ParticipantFactory.build(
        event=first.event, actor=first.actor, role=Participant.Role.SIGNATORY
    )

    second.full_clean()
    second.save()

    assert first.event.participants.count() == 2


# Sources that are relied on


def test_a_source_cited_by_a_figure_claim_cannot_be_deleted():
    claim = ClaimFactory()

    with pytest.raises(ProtectedError):
        claim.source.delete()


def test_a_source_cited_by_an_event_cannot_be_deleted():
    citation = CitationFactory()

    with pytest.raises(ProtectedError):
        citation.source.delete()


def test_a_source_nobody_cites_can_be_deleted():
    source = SourceFactory()

    source.delete()

    assert not Source.objects.exists()


# Event slugs


def test_an_event_slug_is_made_from_its_title():
    event = EventFactory(title="Ceasefire takes effect at 13:00")

    assert event.slug == "ceasefire-takes-effect-at-1300"


def test_an_event_slug_does_not_change_when_the_title_is_edited():
    event = EventFactory(title="Ceasefire takes effect")

    event.title = "Ceasefire takes effect at 13:00 local time"
    event.save()
    event.refresh_from_db()

    assert event.slug == "ceasefire-takes-effect"


def test_two_events_with_the_same_title_in_one_conflict_get_distinct_slugs(conflict):
    first = EventFactory(conflict=conflict, title="Shelling reported")
    second = EventFactory(conflict=conflict, title="Shelling reported")
    third = EventFactory(conflict=conflict, title="Shelling reported")

    assert [first.slug, second.slug, third.slug] == [
        "shelling-reported",
        "shelling-reported-2",
        "shelling-reported-3",
    ]
