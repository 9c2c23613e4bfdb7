"""No lost edits: when two people edit the same event or figure at once,
the second save is refused with what the first one changed."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from tests.admin_forms import claim_form, page_form_data
from tests.factories import ActorFactory, CitationFactory, ClaimFactory, EventFactory, SourceFactory
from tracker.models import Event

pytestmark = pytest.mark.django_db


def change_url(event):
    return reverse("admin:tracker_event_change", args=[event.pk])


def refusal(response):
    """The messages above the form, as the person reads them."""
    assert response.status_code == 200
    return [str(error) for error in response.context["adminform"].form.non_field_errors()]


def test_the_second_of_two_simultaneous_edits_is_refused_with_the_first(
    editor_client, desk_editor_client
):
    event = EventFactory(status=Event.Status.DRAFT, title="Shelling reported", summary="")
    first = page_form_data(editor_client.get(change_url(event)))
    second = page_form_data(desk_editor_client.get(change_url(event)))

    assert (
        editor_client.post(change_url(event), first | {"title": "Shelling confirmed"}).status_code
        == 302
    )
    response = desk_editor_client.post(change_url(event), second | {"summary": "Witnesses said."})

    messages = refusal(response)
    assert messages[0].startswith("Someone else saved this event after you opened it")
    assert "editor, " in messages[1]
    assert "title: Shelling reported → Shelling confirmed" in messages[1]
    event.refresh_from_db()
    assert (event.title, event.summary) == ("Shelling confirmed", "")
    # Their input is still in the form.
    assert "Witnesses said." in response.content.decode()


def test_the_refused_edit_can_be_saved_again_deliberately(editor_client, desk_editor_client):
    event = EventFactory(status=Event.Status.DRAFT, title="Shelling reported", summary="")
    first = page_form_data(editor_client.get(change_url(event)))
    second = page_form_data(desk_editor_client.get(change_url(event)))
    editor_client.post(change_url(event), first | {"title": "Shelling confirmed"})
    refused = desk_editor_client.post(change_url(event), second | {"summary": "Witnesses said."})

    again = page_form_data(refused) | {"title": "Shelling confirmed"}
    assert desk_editor_client.post(change_url(event), again).status_code == 302
    event.refresh_from_db()
    assert (event.title, event.summary) == ("Shelling confirmed", "Witnesses said.")


def test_a_figure_edited_by_two_people_in_the_events_form_keeps_the_first(
    editor_client, desk_editor_client
):
    claim = ClaimFactory(event=EventFactory(status=Event.Status.DRAFT), best=32)
    first = page_form_data(editor_client.get(change_url(claim.event)))
    second = page_form_data(desk_editor_client.get(change_url(claim.event)))

    editor_client.post(change_url(claim.event), first | {"claims-0-best": "40"})
    response = desk_editor_client.post(change_url(claim.event), second | {"claims-0-best": "50"})

    assert response.status_code == 200
    [claims] = [
        i.formset for i in response.context["inline_admin_formsets"] if i.formset.prefix == "claims"
    ]
    claim_errors = [str(e) for e in claims.forms[0].non_field_errors()]
    assert claim_errors[0].startswith("Someone else saved this figure claim after you opened it")
    assert "best: 32 → 40" in claim_errors[1]
    claim.refresh_from_db()
    assert claim.best == 40
    assert 'value="50"' in response.content.decode()


def test_a_figure_added_by_someone_else_is_named_in_the_refusal(editor_client, desk_editor_client):
    event = EventFactory(status=Event.Status.DRAFT)
    first = page_form_data(editor_client.get(change_url(event)))
    second = page_form_data(desk_editor_client.get(change_url(event)))
    new_claim = claim_form(ActorFactory(name="Regional authorities"), SourceFactory(), best="32")
    editor_client.post(
        change_url(event), first | {f"claims-0-{k}": v for k, v in new_claim.items()}
    )

    messages = refusal(desk_editor_client.post(change_url(event), second | {"title": "Changed"}))
    assert any("added Regional authorities: 32 killed" in message for message in messages)


def test_a_publication_in_between_is_shown_in_the_refusal(editor_client, desk_editor_client):
    event = EventFactory(status=Event.Status.IN_REVIEW, title="Shelling reported")
    CitationFactory(event=event)
    stale = page_form_data(desk_editor_client.get(change_url(event)))
    editor_client.post(
        reverse("admin:tracker_event_changelist"),
        {"action": "publish", ACTION_CHECKBOX_NAME: [event.pk]},
    )
    messages = refusal(desk_editor_client.post(change_url(event), stale | {"title": "Changed"}))
    assert "status: in review → published" in messages[1]
    event.refresh_from_db()
    assert event.title == "Shelling reported"


def test_a_stale_edit_on_the_figures_own_page_is_refused(editor_client, desk_editor_client):
    claim = ClaimFactory(event=EventFactory(status=Event.Status.DRAFT), best=32)
    url = reverse("admin:tracker_figureclaim_change", args=[claim.pk])
    first = page_form_data(editor_client.get(url))
    second = page_form_data(desk_editor_client.get(url))
    assert editor_client.post(url, first | {"best": "40"}).status_code == 302
    messages = refusal(desk_editor_client.post(url, second | {"best": "50"}))
    assert "best: 32 → 40" in messages[1]
    claim.refresh_from_db()
    assert claim.best == 40


def test_a_form_without_its_version_is_refused(editor_client):
    event = EventFactory(status=Event.Status.DRAFT, title="Shelling reported")
    data = page_form_data(editor_client.get(change_url(event)))
    del data["seen_version"]
    response = editor_client.post(change_url(event), data | {"title": "Changed"})
    assert response.status_code == 200
    event.refresh_from_db()
    assert event.title == "Shelling reported"


def test_every_save_counts_a_new_version():
    event = EventFactory(status=Event.Status.DRAFT)
    assert event.version == 1
    CitationFactory(event=event)
    event.publish()
    event.refresh_from_db()
    assert event.version == 2
    assert event.history.latest().version == 2
