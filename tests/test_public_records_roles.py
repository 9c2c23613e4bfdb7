"""Who may change the actors, places and sources readers see: reporters add
them and change those only drafts use; what a published event shows is
changed by those who may publish, with a public correction note; and who
"our newsroom" is, is an administrator's setting."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.admin_forms import page_form_data
from tests.factories import (
    ActorFactory,
    CitationFactory,
    ClaimFactory,
    EventFactory,
    ParticipantFactory,
    PlaceFactory,
    SourceFactory,
)
from tracker.models import Actor, Correction, Event, Place, Source

pytestmark = pytest.mark.django_db


def change_url(record):
    return reverse(f"admin:tracker_{record._meta.model_name}_change", args=[record.pk])


def add_url(model):
    return reverse(f"admin:tracker_{model._meta.model_name}_add")


def published_source():
    source = SourceFactory(title="Wire report")
    CitationFactory(event=EventFactory(status=Event.Status.PUBLISHED), source=source)
    return source


def published_actor():
    actor = ActorFactory(name="Ministry of Health")
    ClaimFactory(event=EventFactory(status=Event.Status.PUBLISHED), claimant=actor)
    return actor


def published_place():
    place = PlaceFactory(name="Stepanakert")
    EventFactory(status=Event.Status.PUBLISHED, place=place)
    return place


# A forged POST: the form as an editor sees it, with what readers see changed.
FORGERIES = [
    (published_source, "title", "Forged wire report"),
    (published_actor, "name", "Forged ministry"),
    (published_place, "name", "Forged town"),
]


@pytest.mark.parametrize(("make", "field", "value"), FORGERIES)
def test_a_reporters_forged_edit_of_a_record_a_published_event_shows_is_refused(
    reporter_client, administrator_client, make, field, value
):
    record = make()
    before = getattr(record, field)
    data = page_form_data(administrator_client.get(change_url(record)))
    data |= {field: value, "correction_note": "Forged."}
    assert reporter_client.post(change_url(record), data).status_code == 403
    record.refresh_from_db()
    assert getattr(record, field) == before
    assert not Correction.objects.exists()


@pytest.mark.parametrize("make", [published_source, published_actor, published_place])
def test_a_reporter_sees_a_record_a_published_event_shows_read_only(reporter_client, make):
    response = reporter_client.get(change_url(make()))
    assert response.status_code == 200
    assert 'name="_save"' not in response.content.decode()


@pytest.mark.parametrize(
    ("factory", "field", "value"),
    [
        (SourceFactory, "title", "Better title"),
        (ActorFactory, "name", "Better name"),
        (PlaceFactory, "name", "Better town"),
    ],
)
def test_a_reporter_changes_a_record_only_drafts_use(
    reporter_client, administrator_client, factory, field, value
):
    record = factory()
    ParticipantFactory(event=EventFactory(status=Event.Status.DRAFT))
    data = page_form_data(administrator_client.get(change_url(record))) | {field: value}
    assert reporter_client.post(change_url(record), data).status_code == 302
    record.refresh_from_db()
    assert getattr(record, field) == value


def test_a_reporter_adds_a_source_an_actor_and_a_place(reporter_client):
    reporter_client.post(
        add_url(Source),
        {"title": "New report", "url": "https://news.example.org/new", "kind": "news"},
    )
    reporter_client.post(add_url(Actor), {"name": "New witness", "kind": "person"})
    reporter_client.post(add_url(Place), {"name": "New village", "location_precision": "exact"})
    assert Source.objects.filter(title="New report").exists()
    assert Actor.objects.filter(name="New witness").exists()
    assert Place.objects.filter(name="New village").exists()


def test_an_editor_changing_what_published_events_show_must_write_a_correction(
    editor_client,
):
    source = published_source()
    data = page_form_data(editor_client.get(change_url(source))) | {"title": "Agency report"}
    response = editor_client.post(change_url(source), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["correction_note"]
    source.refresh_from_db()
    assert source.title == "Wire report"


def test_the_correction_note_goes_on_every_published_event_the_record_shows(editor_client):
    source = published_source()
    second = EventFactory(status=Event.Status.PUBLISHED)
    ClaimFactory(event=second, source=source)
    CitationFactory(event=EventFactory(status=Event.Status.DRAFT), source=source)
    data = page_form_data(editor_client.get(change_url(source)))
    data |= {"title": "Agency report", "correction_note": "The report was the agency's."}
    assert editor_client.post(change_url(source), data).status_code == 302
    corrected = Correction.objects.values_list("event__status", "note")
    assert sorted(corrected) == [("published", "The report was the agency's.")] * 2


def test_an_editor_changes_what_readers_do_not_see_without_a_note(editor_client):
    source = published_source()
    data = page_form_data(editor_client.get(change_url(source)))
    data |= {"accessed_at_0": "2023-09-21", "accessed_at_1": "10:00"}
    assert editor_client.post(change_url(source), data).status_code == 302
    assert not Correction.objects.exists()


def test_an_import_refuses_to_change_a_source_a_published_event_shows(reporter_client):
    source = published_source()
    upload = SimpleUploadedFile("sources.csv", f"url,title\n{source.url},Forged title\n".encode())
    response = reporter_client.post(
        reverse("admin:tracker_source_import"),
        {"import_file": upload, "format": "0", "resource": "0"},
    )
    assert "Published events show this source" in response.content.decode()
    source.refresh_from_db()
    assert source.title == "Wire report"


@pytest.mark.parametrize("client_name", ["reporter_client", "editor_client"])
def test_only_an_administrator_says_which_actor_is_our_newsroom(request, client_name):
    client = request.getfixturevalue(client_name)
    actor = ActorFactory(name="Rival outlet")
    data = page_form_data(client.get(change_url(actor))) | {"is_newsroom": "on"}
    client.post(change_url(actor), data)
    client.post(add_url(Actor), {"name": "Forged newsroom", "kind": "media", "is_newsroom": "on"})
    assert not Actor.objects.filter(is_newsroom=True).exists()


def test_an_administrator_marks_our_newsroom(administrator_client):
    actor = ActorFactory(name="The newsroom")
    data = page_form_data(administrator_client.get(change_url(actor))) | {"is_newsroom": "on"}
    assert administrator_client.post(change_url(actor), data).status_code == 302
    actor.refresh_from_db()
    assert actor.is_newsroom
