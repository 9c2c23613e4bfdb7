"""One actor, one record: near matches are pointed out when an actor is
added, and actors entered twice are merged without losing a claim."""

import pytest
from django.contrib.admin.models import CHANGE, DELETION, LogEntry
from django.urls import reverse

from tests.factories import (
    ActorFactory,
    ClaimFactory,
    EventFactory,
    ParticipantFactory,
)
from tracker.merging import merge_actors
from tracker.models import Actor, FigureClaim, Participant

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:tracker_actor_add")
CHANGELIST_URL = reverse("admin:tracker_actor_changelist")
DEMO_SPELLING = "Ministry of Defense of Azerbaijan"


def add_actor(client, name, **fields):
    data = {"name": name, "kind": Actor.Kind.GOVERNMENT_BODY, "aliases": "", **fields}
    return client.post(ADD_URL, data)


# Near matches


@pytest.mark.parametrize(
    "name",
    [
        "Ministry of Defence of Azerbaijan",
        "ministry of defense of Azerbaijan",
        "Ministry of Defense of Azerbaijan.",
    ],
)
def test_adding_an_actor_like_an_existing_one_is_warned_and_not_saved(administrator_client, name):
    existing = ActorFactory(name=DEMO_SPELLING)

    response = add_actor(administrator_client, name)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Similar actors already exist:" in html
    assert reverse("admin:tracker_actor_change", args=[existing.pk]) in html
    assert "This is a different actor" in html
    assert list(Actor.objects.values_list("name", flat=True)) == [DEMO_SPELLING]


def test_a_name_like_an_existing_alias_is_warned(administrator_client):
    ActorFactory(name="Armed Forces of Armenia", aliases="Armenian Armed Forces\nHayk army")

    response = add_actor(administrator_client, "Armenian armed forces")

    assert "Similar actors already exist:" in response.content.decode()
    assert Actor.objects.count() == 1


def test_an_alias_like_an_existing_name_is_warned(administrator_client):
    ActorFactory(name="Ruben Vardanyan")

    response = add_actor(
        administrator_client, "R. Vardanian", aliases="Ruben Vardanian", kind="person"
    )

    assert "Similar actors already exist:" in response.content.decode()


def test_a_different_actor_with_a_like_name_is_saved_once_confirmed(administrator_client):
    ActorFactory(name=DEMO_SPELLING)

    response = add_actor(
        administrator_client, "Ministry of Defence of Azerbaijan", not_a_duplicate="on"
    )

    assert response.status_code == 302
    assert Actor.objects.count() == 2


def test_an_unlike_name_is_saved_without_a_word(administrator_client):
    ActorFactory(name=DEMO_SPELLING)

    response = add_actor(administrator_client, "Ministry of Defence of Armenia")

    assert response.status_code == 302
    assert Actor.objects.filter(name="Ministry of Defence of Armenia").exists()


def test_editing_an_actor_without_renaming_it_is_not_warned(administrator_client):
    ActorFactory(name=DEMO_SPELLING)
    twin = ActorFactory(name="Ministry of Defence of Azerbaijan")
    url = reverse("admin:tracker_actor_change", args=[twin.pk])

    response = administrator_client.post(
        url, {"name": twin.name, "kind": twin.kind, "aliases": "", "description": "Baku"}
    )

    assert response.status_code == 302


def test_near_matches_come_most_alike_first_and_leave_out_unlike_names():
    ActorFactory(name="Ministry of Defence of Armenia")
    ActorFactory(name="Ministry of Defense of Azerbaijan")
    ActorFactory(name="United Nations")

    similar = Actor.objects.similar_to("Ministry of Defence of Azerbaijan")

    assert [actor.name for actor in similar][:1] == ["Ministry of Defense of Azerbaijan"]
    assert "United Nations" not in [actor.name for actor in similar]


# Merging


@pytest.fixture
def twins():
    """The demo's ministry and the same ministry entered again, each with a
    claim, a participation and an affiliate."""
    kept = ActorFactory(name=DEMO_SPELLING, aliases="Azerbaijani MoD")
    twin = ActorFactory(name="Ministry of Defence of Azerbaijan", aliases="MoD of Azerbaijan")
    event = EventFactory()
    ClaimFactory(event=event, claimant=kept, best=32)
    ClaimFactory(event=event, claimant=twin, best=40)
    ClaimFactory(claimant=twin, best=7)
    ParticipantFactory(event=event, actor=kept)
    ParticipantFactory(event=event, actor=twin)  # the same part, twice
    ParticipantFactory(actor=twin, role=Participant.Role.INITIATOR)
    ActorFactory(name="Azerbaijani army", affiliation=twin)
    return kept, twin


def test_a_merge_keeps_every_claim_under_the_kept_actor(twins):
    kept, twin = twins
    claims = set(FigureClaim.objects.values_list("pk", "best"))

    merge_actors(keep=kept, merged=[twin])

    assert set(FigureClaim.objects.values_list("pk", "best")) == claims
    assert set(FigureClaim.objects.values_list("claimant__name", flat=True)) == {DEMO_SPELLING}
    assert not Actor.objects.filter(pk=twin.pk).exists()


def test_a_merge_moves_participations_and_joins_those_that_repeat(twins):
    kept, twin = twins

    merge_actors(keep=kept, merged=[twin])

    assert sorted(Participant.objects.values_list("actor__name", "role")) == [
        (DEMO_SPELLING, "initiator"),
        (DEMO_SPELLING, "party"),
    ]


def test_a_merge_moves_affiliates_and_keeps_the_merged_names_as_aliases(twins):
    kept, twin = twins

    merge_actors(keep=kept, merged=[twin])

    kept.refresh_from_db()
    assert Actor.objects.get(name="Azerbaijani army").affiliation == kept
    assert kept.aliases.splitlines() == [
        "Azerbaijani MoD",
        "Ministry of Defence of Azerbaijan",
        "MoD of Azerbaijan",
    ]


def test_a_merge_records_itself_in_each_moved_record_and_rewrites_their_history(twins):
    kept, twin = twins
    claim = FigureClaim.objects.get(best=40)

    merge_actors(keep=kept, merged=[twin])

    versions = claim.history.order_by("history_id")
    assert [version.claimant_id for version in versions] == [kept.pk, kept.pk]
    assert versions.last().history_change_reason == (
        f"Actor “Ministry of Defence of Azerbaijan” merged into “{DEMO_SPELLING}”"
    )
    assert not FigureClaim.history.filter(claimant_id=twin.pk).exists()
    assert not Participant.history.filter(actor_id=twin.pk).exists()


def test_a_merge_of_an_actor_affiliated_with_the_kept_one_leaves_no_self_affiliation():
    kept = ActorFactory(name="Armed Forces of Armenia")
    twin = ActorFactory(name="Armenian Armed Forces")
    kept.affiliation = twin
    kept.save()

    merge_actors(keep=kept, merged=[twin])

    kept.refresh_from_db()
    assert kept.affiliation is None


# Every foreign key to Actor, and the rows that make one for a merge test:
# a key added to the model must be added here, so the merge is tried on it.
RELATIONS = {
    "claims": lambda actor: ClaimFactory(claimant=actor),
    "counted_in_claims": lambda actor: ClaimFactory(party=actor),
    "participations": lambda actor: ParticipantFactory(actor=actor),
    "affiliates": lambda actor: ActorFactory(affiliation=actor),
}


def test_the_merge_is_tried_on_every_foreign_key_to_actor():
    assert {relation.name for relation in Actor._meta.related_objects} == set(RELATIONS)


def test_a_merge_leaves_nothing_pointing_at_the_merged_actor():
    kept, twin = ActorFactory(), ActorFactory()
    for make in RELATIONS.values():
        make(twin)

    merge_actors(keep=kept, merged=[twin])

    for relation in Actor._meta.related_objects:
        rows = relation.related_model._base_manager.filter(**{relation.field.name: kept})
        assert rows.count() == 1, relation.name


# The admin action


def merge_in_admin(client, actors, keep):
    ids = [actor.pk for actor in actors]
    return client.post(
        CHANGELIST_URL,
        {"action": "merge", "_selected_action": ids, "apply": "1", "keep": keep.pk},
        follow=True,
    )


def test_an_editor_merges_in_the_admin_and_the_kept_actor_lists_the_merge(
    administrator_client, twins
):
    kept, twin = twins

    confirm = administrator_client.post(
        CHANGELIST_URL, {"action": "merge", "_selected_action": [kept.pk, twin.pk]}
    )
    assert "Choose the one to keep" in confirm.content.decode()
    assert Actor.objects.filter(pk=twin.pk).exists()

    response = merge_in_admin(administrator_client, [kept, twin], keep=kept)

    assert "Merged “Ministry of Defence of Azerbaijan” into" in response.content.decode()
    assert "2 figure claims (claimant)" in response.content.decode()
    assert FigureClaim.objects.filter(claimant=kept).count() == 3
    log = LogEntry.objects.get(object_id=str(kept.pk), action_flag=CHANGE)
    assert "Merged “Ministry of Defence of Azerbaijan”" in log.get_change_message()
    assert LogEntry.objects.filter(object_id=str(twin.pk), action_flag=DELETION).exists()


def test_a_reporter_may_not_merge_actors(reporter_client, twins):
    kept, twin = twins

    changelist = reporter_client.get(CHANGELIST_URL).content.decode()
    assert 'value="merge"' not in changelist

    merge_in_admin(reporter_client, [kept, twin], keep=kept)
    assert Actor.objects.filter(pk=twin.pk).exists()
