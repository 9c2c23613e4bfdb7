"""Who may do what in the newsroom: reporters draft and submit, editors
publish and retract, and a forged request changes nothing."""

import io

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Group
from django.core.management import call_command
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
from tracker.models import Event, EventLink, FigureClaim

pytestmark = pytest.mark.django_db

CHANGELIST_URL = reverse("admin:tracker_event_changelist")


def change_url(event):
    return reverse("admin:tracker_event_change", args=[event.pk])


def offered_actions(client):
    return [
        value
        for value, _label in client.get(CHANGELIST_URL)
        .context["action_form"]
        .fields["action"]
        .choices
    ]


def test_setup_roles_can_run_again_without_changing_anything(roles):
    before = {
        g.name: set(g.permissions.values_list("codename", flat=True)) for g in Group.objects.all()
    }
    call_command("setup_roles", verbosity=0)
    after = {
        g.name: set(g.permissions.values_list("codename", flat=True)) for g in Group.objects.all()
    }
    assert before == after
    assert sorted(after) == ["Editor", "Reporter"]


def test_setup_roles_gives_publishing_to_editors_only(roles):
    reporter = set(
        Group.objects.get(name="Reporter").permissions.values_list("codename", flat=True)
    )
    editor = set(Group.objects.get(name="Editor").permissions.values_list("codename", flat=True))
    assert {"add_event", "change_event", "add_figureclaim", "change_source"} <= reporter
    assert not {"publish_event", "retract_event", "delete_event"} & reporter
    assert {"publish_event", "retract_event", "delete_event", "delete_source"} <= editor


def test_setup_roles_restores_a_permission_taken_away(roles):
    group = Group.objects.get(name="Editor")
    group.permissions.remove(group.permissions.get(codename="publish_event"))
    call_command("setup_roles", verbosity=0)
    assert group.permissions.filter(codename="publish_event").exists()


def test_a_reporter_is_offered_only_submitting_and_returning_to_draft(reporter_client):
    EventFactory(status=Event.Status.DRAFT)
    assert offered_actions(reporter_client)[1:] == ["submit_for_review", "return_to_draft"]


def test_an_editor_is_offered_publishing_and_retracting(editor_client):
    EventFactory(status=Event.Status.DRAFT)
    actions = offered_actions(editor_client)
    assert {"publish", "retract", "submit_for_review", "return_to_draft"} <= set(actions)


def test_a_reporter_submits_a_draft_for_review(reporter_client):
    event = EventFactory(status=Event.Status.DRAFT)
    reporter_client.post(
        CHANGELIST_URL, {"action": "submit_for_review", ACTION_CHECKBOX_NAME: [event.pk]}
    )
    event.refresh_from_db()
    assert event.status == Event.Status.IN_REVIEW


@pytest.mark.parametrize("action", ["publish", "retract", "delete_selected"])
def test_a_forged_forbidden_action_from_a_reporter_is_refused(reporter_client, action):
    event = EventFactory(status=Event.Status.IN_REVIEW)
    response = reporter_client.post(
        CHANGELIST_URL,
        {
            "action": action,
            "apply": "1",
            "post": "yes",
            "reason": "Forged.",
            ACTION_CHECKBOX_NAME: [event.pk],
        },
    )
    assert response.status_code == 403
    event.refresh_from_db()
    assert event.status == Event.Status.IN_REVIEW
    assert event.retraction_note == ""


@pytest.mark.parametrize("action", ["return_to_draft", "submit_for_review"])
def test_a_reporter_cannot_move_a_published_event_with_an_allowed_action(reporter_client, action):
    draft = EventFactory(status=Event.Status.DRAFT)
    published = EventFactory(status=Event.Status.PUBLISHED)
    response = reporter_client.post(
        CHANGELIST_URL, {"action": action, ACTION_CHECKBOX_NAME: [draft.pk, published.pk]}
    )
    assert response.status_code == 403
    draft.refresh_from_db()
    published.refresh_from_db()
    assert draft.status == Event.Status.DRAFT
    assert published.status == Event.Status.PUBLISHED


def test_the_reporters_status_choices_stop_at_review(reporter_client):
    event = EventFactory(status=Event.Status.DRAFT)
    form = reporter_client.get(change_url(event)).context["adminform"].form
    assert [value for value, _ in form.fields["status"].choices] == ["draft", "in_review"]


def test_a_reporter_forging_a_publication_in_the_form_gets_an_error(reporter_client):
    event = EventFactory(status=Event.Status.IN_REVIEW, title="Shelling reported")
    data = page_form_data(reporter_client.get(change_url(event)))
    data |= {"status": "published", "title": "Shelling confirmed"}
    response = reporter_client.post(change_url(event), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["status"]
    event.refresh_from_db()
    assert (event.status, event.title) == (Event.Status.IN_REVIEW, "Shelling reported")


def test_a_reporter_cannot_add_an_event_as_published(reporter_client):
    data = event_form(ConflictFactory(), status="published")
    response = reporter_client.post(reverse("admin:tracker_event_add"), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["status"]
    assert not Event.objects.exists()


def test_a_reporter_drafts_an_event_with_figures(reporter_client):
    data = event_form(ConflictFactory(), claims=[claim_form(ActorFactory(), SourceFactory())])
    response = reporter_client.post(reverse("admin:tracker_event_add"), data)
    assert response.status_code == 302
    assert Event.objects.get().claims.count() == 1


def test_a_reporter_sees_a_published_event_read_only(reporter_client):
    event = EventFactory(status=Event.Status.PUBLISHED)
    response = reporter_client.get(change_url(event))
    assert response.status_code == 200
    assert 'name="_save"' not in response.content.decode()


def test_a_reporter_posting_changes_to_a_published_event_gets_403(
    reporter_client, administrator_client
):
    event = EventFactory(status=Event.Status.PUBLISHED, title="Ceasefire holds")
    data = page_form_data(administrator_client.get(change_url(event)))
    data["title"] = "Ceasefire collapses"
    response = reporter_client.post(change_url(event), data)
    assert response.status_code == 403
    event.refresh_from_db()
    assert event.title == "Ceasefire holds"


def test_a_reporter_cannot_change_a_published_events_claim_on_its_own_page(reporter_client):
    claim = ClaimFactory(event=EventFactory(status=Event.Status.PUBLISHED), best=32)
    url = reverse("admin:tracker_figureclaim_change", args=[claim.pk])
    data = claim_form(claim.claimant, claim.source, event=claim.event.pk, best="40")
    assert reporter_client.post(url, data).status_code == 403
    claim.refresh_from_db()
    assert claim.best == 32


def test_a_reporter_cannot_add_a_claim_to_a_published_event(reporter_client):
    event = EventFactory(status=Event.Status.PUBLISHED)
    url = reverse("admin:tracker_figureclaim_add")
    data = claim_form(ActorFactory(), SourceFactory(), event=event.pk)
    response = reporter_client.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["event"]
    assert not FigureClaim.objects.exists()


def test_an_editor_by_role_publishes_and_retracts(editor_client):
    event = CitationFactory(event__status=Event.Status.IN_REVIEW).event
    editor_client.post(CHANGELIST_URL, {"action": "publish", ACTION_CHECKBOX_NAME: [event.pk]})
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED
    editor_client.post(
        CHANGELIST_URL,
        {
            "action": "retract",
            "apply": "1",
            "reason": "Wrong town.",
            ACTION_CHECKBOX_NAME: [event.pk],
        },
    )
    event.refresh_from_db()
    assert event.status == Event.Status.RETRACTED


def test_an_editor_by_role_changes_a_published_event(editor_client):
    event = EventFactory(status=Event.Status.PUBLISHED, title="Ceasefire holds")
    data = page_form_data(editor_client.get(change_url(event)))
    data["is_key"] = "on"
    response = editor_client.post(change_url(event), data)
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.is_key


def test_the_demo_logins_are_an_administrator_and_a_reporter(settings, django_user_model):
    settings.DEBUG = True
    call_command("demo_login", stdout=io.StringIO())
    call_command("demo_login", stdout=io.StringIO())
    administrator = django_user_model.objects.get(username="editor")
    reporter = django_user_model.objects.get(username="reporter")
    assert administrator.is_superuser and administrator.check_password("editor")
    assert not reporter.is_superuser and reporter.check_password("reporter")
    assert reporter.has_perm("tracker.add_event")
    assert not reporter.has_perm("tracker.publish_event")


def test_a_reporter_cannot_link_a_published_event_to_another(reporter_client):
    published, other = EventFactory(status=Event.Status.PUBLISHED), EventFactory()
    data = {"from_event": published.pk, "to_event": other.pk, "relation": "follows"}
    response = reporter_client.post(reverse("admin:tracker_eventlink_add"), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["from_event"]
    assert not EventLink.objects.exists()
