"""From draft to published, and what it takes to change what readers see."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from tests.admin_forms import claim_form, event_form, page_form_data
from tests.factories import (
    ActorFactory,
    CitationFactory,
    ClaimFactory,
    ConflictFactory,
    EventFactory,
    SourceFactory,
)
from tracker.models import Correction, Event, FigureClaim

pytestmark = pytest.mark.django_db

CHANGELIST_URL = reverse("admin:tracker_event_changelist")
NOTE_REQUIRED = (
    "This event is published: say publicly what you changed and why. "
    "Readers see the note on the event's page."
)


def change_url(event):
    return reverse("admin:tracker_event_change", args=[event.pk])


def post_changes(client, event, **changes):
    data = page_form_data(client.get(change_url(event))) | changes
    return client.post(change_url(event), data)


def figure_errors(response):
    [claims] = [
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == "claims"
    ]
    return claims.non_form_errors()


def test_a_reporters_draft_goes_through_review_to_publication(reporter_client, editor_client):
    data = event_form(ConflictFactory(), claims=[claim_form(ActorFactory(), SourceFactory())])
    reporter_client.post(reverse("admin:tracker_event_add"), data)
    event = Event.objects.get()
    assert event.status == Event.Status.DRAFT
    reporter_client.post(
        CHANGELIST_URL, {"action": "submit_for_review", ACTION_CHECKBOX_NAME: [event.pk]}
    )
    event.refresh_from_db()
    assert event.status == Event.Status.IN_REVIEW
    editor_client.post(CHANGELIST_URL, {"action": "publish", ACTION_CHECKBOX_NAME: [event.pk]})
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED
    assert event.published_at is not None


def test_the_correction_note_is_offered_only_on_published_events(editor_client):
    draft = EventFactory(status=Event.Status.DRAFT)
    published = EventFactory(status=Event.Status.PUBLISHED)
    assert "id_correction_note" not in editor_client.get(change_url(draft)).content.decode()
    assert "id_correction_note" in editor_client.get(change_url(published)).content.decode()


def test_changing_a_published_events_text_without_a_note_is_refused(editor_client):
    event = EventFactory(status=Event.Status.PUBLISHED, title="Ceasefire at 11:00")
    response = post_changes(editor_client, event, title="Ceasefire at 13:00")
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["correction_note"] == [NOTE_REQUIRED]
    event.refresh_from_db()
    assert event.title == "Ceasefire at 11:00"
    assert not Correction.objects.exists()


def test_a_correction_note_publishes_the_change_with_a_public_correction(
    editor_client, editor, client
):
    event = EventFactory(status=Event.Status.PUBLISHED, title="Ceasefire at 11:00")
    response = post_changes(
        editor_client,
        event,
        title="Ceasefire at 13:00",
        correction_note="The ceasefire took effect at 13:00, not 11:00.",
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title == "Ceasefire at 13:00"
    correction = event.corrections.get()
    assert correction.note == "The ceasefire took effect at 13:00, not 11:00."
    assert correction.author == editor
    html = client.get(event.get_absolute_url()).content.decode()
    assert "The ceasefire took effect at 13:00, not 11:00." in html


@pytest.mark.parametrize(
    "change",
    [
        {"claims-0-best": "40"},
        {"claims-0-DELETE": "on"},
    ],
    ids=["changed", "deleted"],
)
def test_a_published_events_figures_cannot_change_without_a_note(editor_client, change):
    claim = ClaimFactory(event=EventFactory(status=Event.Status.PUBLISHED), best=32)
    response = post_changes(editor_client, claim.event, **change)
    assert response.status_code == 200
    assert figure_errors(response) == [NOTE_REQUIRED]
    assert response.context["adminform"].form.errors["correction_note"] == [NOTE_REQUIRED]
    assert list(FigureClaim.objects.values_list("pk", "best")) == [(claim.pk, 32)]
    assert not Correction.objects.exists()


def test_a_figure_corrected_with_a_note_is_saved_and_the_note_published(editor_client, client):
    claim = ClaimFactory(event=EventFactory(status=Event.Status.PUBLISHED), best=32)
    response = post_changes(
        editor_client,
        claim.event,
        correction_note="The authorities revised the toll to 40.",
        **{"claims-0-best": "40"},
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.best == 40
    html = client.get(claim.event.get_absolute_url()).content.decode()
    assert "The authorities revised the toll to 40." in html


def test_a_newer_figure_on_a_published_event_is_an_update_without_a_correction(
    editor_client, client
):
    claim = ClaimFactory(event=EventFactory(status=Event.Status.PUBLISHED), best=32)
    newer = claim_form(claim.claimant, claim.source, best="40", as_of_0="2023-09-21")
    response = post_changes(
        editor_client,
        claim.event,
        **{"claims-TOTAL_FORMS": 2} | {f"claims-1-{name}": value for name, value in newer.items()},
    )
    assert response.status_code == 302
    assert sorted(FigureClaim.objects.values_list("best", flat=True)) == [32, 40]
    assert not Correction.objects.exists()
    [group] = Event.objects.with_details().get(pk=claim.event.pk).figure_groups
    assert [line.text for line in group.lines] == ["40 killed"]
    assert group.superseded == [claim]


def test_curating_a_published_event_needs_no_note(editor_client):
    event = EventFactory(status=Event.Status.PUBLISHED)
    response = post_changes(editor_client, event, is_key="on")
    assert response.status_code == 302
    assert not Correction.objects.exists()


def test_drafts_change_freely(reporter_client):
    claim = ClaimFactory(event=EventFactory(status=Event.Status.DRAFT), best=32)
    response = post_changes(
        reporter_client, claim.event, title="Shelling confirmed", **{"claims-0-best": "40"}
    )
    assert response.status_code == 302
    assert not Correction.objects.exists()


def test_a_published_events_figure_is_read_only_on_its_own_page(editor_client):
    claim = ClaimFactory(event=EventFactory(status=Event.Status.PUBLISHED), best=32)
    url = reverse("admin:tracker_figureclaim_change", args=[claim.pk])
    data = claim_form(claim.claimant, claim.source, event=claim.event.pk, best="40")
    assert editor_client.post(url, data).status_code == 403
    delete_url = reverse("admin:tracker_figureclaim_delete", args=[claim.pk])
    assert editor_client.post(delete_url, {"post": "yes"}).status_code == 403
    claim.refresh_from_db()
    assert claim.best == 32


def retracted_event_with_a_figure():
    event = EventFactory(status=Event.Status.PUBLISHED)
    claim = ClaimFactory(event=event, best=32)
    event.retract(reason="The report was false.")
    return claim


def test_a_retracted_events_figure_is_read_only_on_its_own_page(editor_client):
    claim = retracted_event_with_a_figure()
    url = reverse("admin:tracker_figureclaim_change", args=[claim.pk])
    data = claim_form(claim.claimant, claim.source, event=claim.event.pk, best="40")
    assert editor_client.post(url, data).status_code == 403
    delete_url = reverse("admin:tracker_figureclaim_delete", args=[claim.pk])
    assert editor_client.post(delete_url, {"post": "yes"}).status_code == 403
    claim.refresh_from_db()
    assert claim.best == 32


def test_a_retracted_events_figure_changes_in_its_form_only_with_a_note(editor_client):
    claim = retracted_event_with_a_figure()

    refused = post_changes(editor_client, claim.event, **{"claims-0-best": "40"})
    corrected = post_changes(
        editor_client,
        claim.event,
        correction_note="The toll was 40.",
        **{"claims-0-best": "40"},
    )

    assert figure_errors(refused) == [NOTE_REQUIRED]
    assert corrected.status_code == 302
    claim.refresh_from_db()
    assert claim.best == 40
    assert claim.event.corrections.get().note == "The toll was 40."


def test_a_figure_cannot_be_added_to_a_published_event_on_its_own_page(editor_client):
    event = EventFactory(status=Event.Status.PUBLISHED)
    data = claim_form(ActorFactory(), SourceFactory(), event=event.pk)
    response = editor_client.post(reverse("admin:tracker_figureclaim_add"), data)
    assert response.status_code == 200
    assert "public correction note" in response.context["adminform"].form.errors["event"][0]
    assert not FigureClaim.objects.exists()


def test_retracting_in_the_form_needs_the_public_reason(editor_client):
    event = EventFactory(status=Event.Status.PUBLISHED)
    response = post_changes(editor_client, event, status="retracted")
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["retraction_note"]
    response = post_changes(
        editor_client, event, status="retracted", retraction_note="Filmed in 2020."
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.status == Event.Status.RETRACTED


def test_reverting_a_published_event_to_a_draft_version_needs_a_note(editor_client):
    event = EventFactory(status=Event.Status.DRAFT, title="Ceasefire at 11:00")
    CitationFactory(event=event)
    draft_version = event.history.latest()
    event.title = "Ceasefire at 13:00"
    event.publish()
    revert_url = reverse("admin:tracker_event_simple_history", args=[event.pk, draft_version.pk])
    data = page_form_data(editor_client.get(revert_url)) | {"status": "published"}
    response = editor_client.post(revert_url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["correction_note"] == [NOTE_REQUIRED]
    event.refresh_from_db()
    assert event.title == "Ceasefire at 13:00"
    data["correction_note"] = "We wrongly changed the time; it was 11:00."
    assert editor_client.post(revert_url, data).status_code == 302
    event.refresh_from_db()
    assert event.title == "Ceasefire at 11:00"
    assert event.corrections.get().note == "We wrongly changed the time; it was 11:00."
