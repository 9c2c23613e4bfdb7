"""No lost edits: when two people edit the same event or figure at once,
the second save is refused with what the first one changed."""

import threading
import time

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import connection
from django.db.models.signals import post_save
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
    editor_client, reporter_client
):
    event = EventFactory(status=Event.Status.DRAFT, title="Shelling reported", summary="")
    first = page_form_data(editor_client.get(change_url(event)))
    second = page_form_data(reporter_client.get(change_url(event)))

    assert (
        editor_client.post(change_url(event), first | {"title": "Shelling confirmed"}).status_code
        == 302
    )
    response = reporter_client.post(change_url(event), second | {"summary": "Witnesses said."})

    messages = refusal(response)
    assert messages[0].startswith("Someone else saved this event after you opened it")
    assert "editor, " in messages[1]
    assert "title: Shelling reported → Shelling confirmed" in messages[1]
    event.refresh_from_db()
    assert (event.title, event.summary) == ("Shelling confirmed", "")
    # Their input is still in the form.
    assert "Witnesses said." in response.content.decode()


def test_the_refused_edit_can_be_saved_again_deliberately(editor_client, reporter_client):
    event = EventFactory(status=Event.Status.DRAFT, title="Shelling reported", summary="")
    first = page_form_data(editor_client.get(change_url(event)))
    second = page_form_data(reporter_client.get(change_url(event)))
    editor_client.post(change_url(event), first | {"title": "Shelling confirmed"})
    refused = reporter_client.post(change_url(event), second | {"summary": "Witnesses said."})

    again = page_form_data(refused) | {"title": "Shelling confirmed"}
    assert reporter_client.post(change_url(event), again).status_code == 302
    event.refresh_from_db()
    assert (event.title, event.summary) == ("Shelling confirmed", "Witnesses said.")


def test_a_figure_edited_by_two_people_in_the_events_form_keeps_the_first(
    editor_client, reporter_client
):
    claim = ClaimFactory(event=EventFactory(status=Event.Status.DRAFT), best=32)
    first = page_form_data(editor_client.get(change_url(claim.event)))
    second = page_form_data(reporter_client.get(change_url(claim.event)))

    editor_client.post(change_url(claim.event), first | {"claims-0-best": "40"})
    response = reporter_client.post(change_url(claim.event), second | {"claims-0-best": "50"})

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


def test_a_figure_added_by_someone_else_is_named_in_the_refusal(editor_client, reporter_client):
    event = EventFactory(status=Event.Status.DRAFT)
    first = page_form_data(editor_client.get(change_url(event)))
    second = page_form_data(reporter_client.get(change_url(event)))
    new_claim = claim_form(ActorFactory(name="Regional authorities"), SourceFactory(), best="32")
    editor_client.post(
        change_url(event), first | {f"claims-0-{k}": v for k, v in new_claim.items()}
    )

    messages = refusal(reporter_client.post(change_url(event), second | {"title": "Changed"}))
    assert any("added Regional authorities: 32 killed" in message for message in messages)


def test_a_publication_in_between_is_shown_in_the_refusal(administrator_client, editor_client):
    event = EventFactory(status=Event.Status.IN_REVIEW, title="Shelling reported")
    CitationFactory(event=event)
    stale = page_form_data(editor_client.get(change_url(event)))
    administrator_client.post(
        reverse("admin:tracker_event_changelist"),
        {"action": "publish", ACTION_CHECKBOX_NAME: [event.pk]},
    )
    messages = refusal(editor_client.post(change_url(event), stale | {"title": "Changed"}))
    assert "status: in review → published" in messages[1]
    event.refresh_from_db()
    assert event.title == "Shelling reported"


def test_a_stale_edit_on_the_figures_own_page_is_refused(editor_client, reporter_client):
    claim = ClaimFactory(event=EventFactory(status=Event.Status.DRAFT), best=32)
    url = reverse("admin:tracker_figureclaim_change", args=[claim.pk])
    first = page_form_data(editor_client.get(url))
    second = page_form_data(reporter_client.get(url))
    assert editor_client.post(url, first | {"best": "40"}).status_code == 302
    messages = refusal(reporter_client.post(url, second | {"best": "50"}))
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


def backends_waiting_for_a_lock():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def post_in_a_thread(name, client, url, data, responses):
    """Posts from a thread of its own, so on a connection of its own."""

    def post():
        try:
            responses[name] = client.post(url, data)
        finally:
            connection.close()

    thread = threading.Thread(target=post, name=name)
    thread.start()
    return thread


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="two transactions at once need PostgreSQL: SQLite's test database is "
    "one connection's memory and locks the whole file, not a row",
)
@pytest.mark.django_db(transaction=True)
def test_a_save_made_while_another_is_being_saved_waits_for_it_and_is_refused(
    editor_client, reporter_client
):
    event = EventFactory(status=Event.Status.DRAFT, title="Shelling reported", summary="")
    first = page_form_data(editor_client.get(change_url(event)))
    second = page_form_data(reporter_client.get(change_url(event)))
    first_written, first_may_commit = threading.Event(), threading.Event()

    def hold_the_first_transaction_open(sender, **kwargs):
        if threading.current_thread().name == "first":
            first_written.set()
            first_may_commit.wait(timeout=30)

    post_save.connect(hold_the_first_transaction_open, sender=Event)
    responses = {}
    try:
        first_thread = post_in_a_thread(
            "first", editor_client, change_url(event), first | {"title": "Shelling confirmed"},
            responses,
        )  # fmt: skip
        assert first_written.wait(timeout=30)
        second_thread = post_in_a_thread(
            "second", reporter_client, change_url(event), second | {"summary": "Witnesses said."},
            responses,
        )  # fmt: skip
        # The second save runs while the first one's transaction is open, and
        # must wait on its lock rather than read around it.
        deadline = time.monotonic() + 30
        while not (waited := backends_waiting_for_a_lock()) and time.monotonic() < deadline:
            if not second_thread.is_alive():
                break
            time.sleep(0.05)
    finally:
        first_may_commit.set()
        post_save.disconnect(hold_the_first_transaction_open, sender=Event)
    first_thread.join(timeout=30)
    second_thread.join(timeout=30)

    assert waited
    assert responses["first"].status_code == 302
    messages = refusal(responses["second"])
    assert messages[0].startswith("Someone else saved this event after you opened it")
    assert "title: Shelling reported → Shelling confirmed" in messages[1]
    event.refresh_from_db()
    assert (event.title, event.summary, event.version) == ("Shelling confirmed", "", 2)
