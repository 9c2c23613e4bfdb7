"""Cards and the filter form kept rendered between pages (timeline.fragments):
a card is rendered again when anything it shows changes, and only then."""

import pytest
from django.test import override_settings
from django.test.signals import template_rendered
from django.utils import translation

from tests.factories import (
    ActorFactory,
    CitationFactory,
    ClaimFactory,
    ConflictFactory,
    CorrectionFactory,
    EventFactory,
    ParticipantFactory,
    PlaceFactory,
)
from timeline import fragments
from tracker.models import Event, FigureClaim, Participant
from tracker.signals import changed_in_bulk

pytestmark = pytest.mark.django_db

CARD = "timeline/_event_card.html"
FORM = "timeline/_filters.html"


class Rendered:
    """The templates rendered while it is open, by name."""

    def __enter__(self):
        self.names = []
        template_rendered.connect(self.heard)
        return self

    def heard(self, sender, template, **kwargs):
        self.names.append(template.name)

    def __exit__(self, *exc):
        template_rendered.disconnect(self.heard)

    def count(self, name):
        return self.names.count(name)


@pytest.fixture
def conflict():
    return ConflictFactory()


@pytest.fixture
def event(conflict):
    event = EventFactory(conflict=conflict, title="Shelling of the market", place=PlaceFactory())
    ParticipantFactory(event=event, actor__name="Border guard")
    ClaimFactory(event=event, best=12, claimant__name="Health ministry")
    return event


@pytest.fixture
def other(conflict):
    other = EventFactory(conflict=conflict, title="Talks in Geneva")
    ParticipantFactory(event=other, actor__name="Mediator")
    ClaimFactory(event=other, best=3)
    return other


def timeline(client, conflict):
    with Rendered() as rendered:
        response = client.get(conflict.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode(), rendered


def cards_rendered(client, conflict):
    return timeline(client, conflict)[1].count(CARD)


def test_a_card_is_rendered_once_then_kept(client, conflict, event, other):
    assert cards_rendered(client, conflict) == 2

    assert cards_rendered(client, conflict) == 0


def test_a_kept_card_is_the_markup_it_was_made_with(client, conflict, event, other):
    made, _ = timeline(client, conflict)

    kept, _ = timeline(client, conflict)

    assert kept == made


def test_a_kept_card_skips_the_queries_for_its_details(
    client, conflict, event, other, django_assert_num_queries
):
    with django_assert_num_queries(9):
        # The conflict, its filter choices, the overview's events by local
        # day, the page of events, the phases, the events' participants,
        # their claims, their photos; the newsroom's look, until it is in the
        # cache.
        client.get(conflict.get_absolute_url())
    with django_assert_num_queries(3):
        # The conflict, the page of events, the phases: the filter choices,
        # the overview and the newsroom's look are remembered, and no card
        # needs its participants, claims or photos.
        client.get(conflict.get_absolute_url())


def _edit_title(event):
    event.title = "Shelling of the central market"
    event.save()
    return "Shelling of the central market"


def _rename_participating_actor(event):
    actor = event.participants.get().actor
    actor.name = "Border guard service"
    actor.save()
    return "Border guard service"


def _rename_place(event):
    place = event.place
    place.name = "Old town"
    place.save()
    return "Old town"


def _add_claim(event):
    ClaimFactory(event=event, best=40, metric=FigureClaim.Metric.INJURED)
    return "40"


def _edit_claim(event):
    claim = event.claims.get()
    claim.best = 17
    claim.save()
    return "17"


def _rename_claimant(event):
    claimant = event.claims.get().claimant
    claimant.name = "Ministry of Health"
    claimant.save()
    return None  # the card shows the figure; the event page names who claims it


def _publish_correction(event):
    CorrectionFactory(event=event, note="The market was hit twice.")
    return None  # not shown on the card today; a "corrected" mark would be


def _change_role(event):
    participant = event.participants.get()
    participant.role = Participant.Role.TARGET
    participant.save()
    return "(target)"


def _remove_participant(event):
    event.participants.get().delete()
    return None


def _cite_a_source(event):
    CitationFactory(event=event)
    return None


def _rename_cited_source(event):
    source = event.claims.get().source
    source.title = "Ministry bulletin, corrected"
    source.save()
    return None


@pytest.mark.parametrize(
    "change",
    [
        _edit_title,
        _rename_participating_actor,
        _rename_place,
        _add_claim,
        _edit_claim,
        _rename_claimant,
        _publish_correction,
        _change_role,
        _remove_participant,
        _cite_a_source,
        _rename_cited_source,
    ],
)
def test_a_card_is_renewed_when_anything_it_shows_changes(client, conflict, event, other, change):
    timeline(client, conflict)

    shown = change(Event.objects.get(pk=event.pk))
    page, rendered = timeline(client, conflict)

    assert rendered.count(CARD) == 1  # this card only, not the other
    if shown:
        assert shown in page


@pytest.mark.parametrize("part", ["claims", "participants"])
def test_a_part_moved_to_another_event_renews_both_cards(client, conflict, event, other, part):
    timeline(client, conflict)

    moved = getattr(Event.objects.get(pk=event.pk), part).get()
    moved.event = other
    moved.save()
    with Rendered() as rendered:
        left = Event.objects.filter(pk=event.pk).select_related("conflict", "place")
        card = fragments.cards(left)

    assert rendered.count(CARD) == 1  # the card it left is made again
    assert ("Border guard" if part == "participants" else "Health ministry") not in card[event.pk]
    assert cards_rendered(client, conflict) == 1  # and the card it joined


def _edit_other_event(other):
    other.title = "Talks in Vienna"
    other.save()


def _add_claim_to_other_event(other):
    ClaimFactory(event=other, best=5)


def _rename_actor_of_other_event(other):
    actor = other.participants.get().actor
    actor.name = "Mediators"
    actor.save()


def _rename_unrelated_place(other):
    place = PlaceFactory(name="Elsewhere")
    place.name = "Somewhere else"
    place.save()


def _add_unrelated_actor(other):
    ActorFactory(name="Nobody here")


@pytest.mark.parametrize(
    "change",
    [
        _edit_other_event,
        _add_claim_to_other_event,
        _rename_actor_of_other_event,
        _rename_unrelated_place,
        _add_unrelated_actor,
    ],
)
def test_a_card_is_kept_through_changes_it_does_not_show(client, conflict, event, other, change):
    timeline(client, conflict)

    change(Event.objects.get(pk=other.pk))
    with Rendered() as rendered:
        fragments.cards(Event.objects.filter(pk=event.pk).select_related("conflict", "place"))

    assert rendered.count(CARD) == 0


def test_a_bulk_write_renews_the_cards_of_the_events_it_names(client, conflict, event, other):
    timeline(client, conflict)

    changed_in_bulk.send(sender=Event, event_ids=[event.pk])

    assert cards_rendered(client, conflict) == 1


def test_a_bulk_write_of_shared_records_renews_every_card(client, conflict, event, other):
    timeline(client, conflict)

    changed_in_bulk.send(sender=Event, event_ids=None)

    assert cards_rendered(client, conflict) == 2


def test_a_card_is_kept_per_language(event):
    events = Event.objects.filter(pk=event.pk).select_related("conflict", "place")
    fragments.cards(events)

    with translation.override("de"), Rendered() as rendered:
        fragments.cards(events)

    assert rendered.count(CARD) == 1


def test_a_new_release_renders_every_card_again(client, conflict, event, other):
    from timeline.cache import renew_everything

    timeline(client, conflict)

    renew_everything()

    assert cards_rendered(client, conflict) == 2


def test_a_kept_card_still_escapes_what_it_shows(client, conflict):
    EventFactory(conflict=conflict, title="<script>alert(1)</script>")
    timeline(client, conflict)

    page, _ = timeline(client, conflict)

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


@override_settings(CARD_CACHE_SECONDS=0)
def test_without_keeping_every_card_is_rendered_each_time_and_reads_the_same(
    client, conflict, event, other
):
    made, _ = timeline(client, conflict)

    again, rendered = timeline(client, conflict)

    assert rendered.count(CARD) == 2
    assert again == made


def test_the_embed_keeps_its_own_cards(client, conflict, event, other):
    with Rendered() as rendered:
        client.get(f"{conflict.get_absolute_url()}embed/")
        client.get(f"{conflict.get_absolute_url()}embed/")

    assert rendered.count("timeline/_embed_card.html") == 2
    assert rendered.count(CARD) == 0


def test_the_filter_form_is_rendered_once_per_query_and_choices(client, conflict, event, other):
    assert timeline(client, conflict)[1].count(FORM) == 1
    assert timeline(client, conflict)[1].count(FORM) == 0

    with Rendered() as rendered:
        client.get(f"{conflict.get_absolute_url()}?kind=strike")
    assert rendered.count(FORM) == 1


def test_the_filter_form_is_rendered_again_when_its_choices_change(
    client, conflict, event, other, django_capture_on_commit_callbacks
):
    timeline(client, conflict)

    with django_capture_on_commit_callbacks(execute=True):  # choices are revised at commit
        ParticipantFactory(event=other, actor__name="Observer mission")
    page, rendered = timeline(client, conflict)

    assert rendered.count(FORM) == 1
    assert "Observer mission" in page


def test_a_form_with_errors_is_never_kept(client, conflict, event):
    for _ in range(2):
        with Rendered() as rendered:
            response = client.get(f"{conflict.get_absolute_url()}?disputed=maybe")
        assert rendered.count(FORM) == 1
    assert "Enter true or false." in response.content.decode()
