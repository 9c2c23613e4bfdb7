"""The audit history: who changed what and when, from what to what."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from tests.admin_forms import page_form_data
from tests.factories import CitationFactory, ClaimFactory, EventFactory, SourceFactory
from tracker.models import Event, FigureClaim, Source

pytestmark = pytest.mark.django_db

CHANGELIST_URL = reverse("admin:tracker_event_changelist")


def change_url(event):
    return reverse("admin:tracker_event_change", args=[event.pk])


def history_url(event):
    return reverse("admin:tracker_event_history", args=[event.pk])


def edit_event(client, event, **changes):
    data = page_form_data(client.get(change_url(event))) | changes
    response = client.post(change_url(event), data)
    assert response.status_code == 302, response.context["errors"]
    return response


def test_an_admin_edit_is_recorded_with_its_author(reporter_client, reporter):
    event = EventFactory(status=Event.Status.DRAFT, title="Shelling reported")
    edit_event(reporter_client, event, title="Shelling of Stepanakert reported")
    latest = event.history.latest()
    assert latest.history_user == reporter
    assert latest.title == "Shelling of Stepanakert reported"
    assert latest.prev_record.title == "Shelling reported"


def test_a_figure_changed_in_the_events_form_is_recorded_with_its_author(reporter_client, reporter):
    claim = ClaimFactory(event=EventFactory(status=Event.Status.DRAFT), best=32)
    edit_event(reporter_client, claim.event, **{"claims-0-best": "40"})
    latest = claim.history.latest()
    assert (latest.history_user, latest.best, latest.prev_record.best) == (reporter, 40, 32)


def test_a_bulk_publication_is_recorded_for_each_event_with_the_editor(editor_client, editor):
    events = [CitationFactory(event__status=Event.Status.IN_REVIEW).event for _ in range(2)]
    editor_client.post(
        CHANGELIST_URL, {"action": "publish", ACTION_CHECKBOX_NAME: [e.pk for e in events]}
    )
    for event in events:
        latest = event.history.latest()
        assert (latest.status, latest.history_user) == ("published", editor)


def test_a_retraction_is_recorded_with_the_editor(editor_client, editor):
    event = EventFactory(status=Event.Status.PUBLISHED)
    editor_client.post(
        CHANGELIST_URL,
        {
            "action": "retract",
            "apply": "1",
            "reason": "Old video.",
            ACTION_CHECKBOX_NAME: [event.pk],
        },
    )
    latest = event.history.latest()
    assert (latest.status, latest.history_user) == ("retracted", editor)


def test_the_change_form_says_who_moved_the_event_and_when(reporter_client, editor_client):
    event = CitationFactory(event__status=Event.Status.DRAFT).event
    reporter_client.post(
        CHANGELIST_URL, {"action": "submit_for_review", ACTION_CHECKBOX_NAME: [event.pk]}
    )
    editor_client.post(CHANGELIST_URL, {"action": "publish", ACTION_CHECKBOX_NAME: [event.pk]})
    moves = [str(move) for move in event.status_changes()]
    assert moves == [
        "created as draft by (no user)",
        "draft → in review by reporter",
        "in review → published by editor",
    ]
    html = editor_client.get(change_url(event)).content.decode()
    assert "in review → published by editor" in html


def test_the_history_page_shows_each_change_field_by_field(administrator_client):
    claim = ClaimFactory(event=EventFactory(status=Event.Status.DRAFT, title="Shelling reported"))
    edit_event(
        administrator_client, claim.event, title="Shelling confirmed", **{"claims-0-best": "40"}
    )
    html = administrator_client.get(history_url(claim.event)).content.decode()
    assert "Shelling reported" in html and "Shelling confirmed" in html
    assert "<strong>best:</strong> 32 &rarr; 40" in html
    assert "<strong>version:</strong>" not in html


def test_a_revert_restores_the_old_version_and_is_itself_recorded(
    administrator_client, administrator
):
    event = EventFactory(status=Event.Status.DRAFT, title="Shelling reported")
    original = event.history.latest()
    edit_event(administrator_client, event, title="Shelling confirmed")
    revert_url = reverse("admin:tracker_event_simple_history", args=[event.pk, original.pk])
    data = page_form_data(administrator_client.get(revert_url))
    response = administrator_client.post(revert_url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    event.refresh_from_db()
    assert event.title == "Shelling reported"
    latest = event.history.latest()
    assert latest.history_user == administrator
    assert latest.history_change_reason.startswith("Reverted to the version of ")
    assert event.history.count() == 3


def test_a_reporter_cannot_revert_a_published_event_by_a_forged_post(reporter_client):
    event = EventFactory(status=Event.Status.PUBLISHED, title="Shelling reported")
    original = event.history.latest()
    event.title = "Shelling confirmed"
    event.save()
    revert_url = reverse("admin:tracker_event_simple_history", args=[event.pk, original.pk])
    assert 'value="Revert"' not in reporter_client.get(revert_url).content.decode()
    response = reporter_client.post(revert_url, {"title": "Shelling reported"})
    assert response.status_code == 403
    event.refresh_from_db()
    assert event.title == "Shelling confirmed"


def test_sources_have_a_history_too(administrator_client, administrator):
    source = SourceFactory(title="Report")
    url = reverse("admin:tracker_source_change", args=[source.pk])
    data = page_form_data(administrator_client.get(url)) | {"title": "Ministry report"}
    assert administrator_client.post(url, data).status_code == 302
    latest = Source.objects.get().history.latest()
    assert (latest.history_user, latest.title) == (administrator, "Ministry report")


def test_a_deleted_figure_stays_in_the_history(reporter_client, reporter):
    claim = ClaimFactory(event=EventFactory(status=Event.Status.DRAFT))
    edit_event(reporter_client, claim.event, **{"claims-0-DELETE": "on"})
    assert not FigureClaim.objects.exists()
    deleted = FigureClaim.history.get(history_type="-")
    assert (deleted.id, deleted.history_user) == (claim.pk, reporter)


def test_the_review_queue_lists_what_waits_with_who_submitted_it(reporter_client, editor_client):
    waiting = EventFactory(status=Event.Status.DRAFT, title="Talks in Yevlakh")
    EventFactory(status=Event.Status.DRAFT, title="Unfinished draft")
    reporter_client.post(
        CHANGELIST_URL, {"action": "submit_for_review", ACTION_CHECKBOX_NAME: [waiting.pk]}
    )
    response = editor_client.get(reverse("admin:tracker_eventinreview_changelist"))
    html = response.content.decode()
    assert "Talks in Yevlakh" in html
    assert change_url(waiting) in html
    assert "Unfinished draft" not in html
    [row] = response.context["cl"].result_list
    assert row.submitted_by == "reporter"


def test_the_review_queue_dates_a_resubmission_from_its_return(reporter_client):
    event = EventFactory(status=Event.Status.IN_REVIEW)
    first = event.history.latest().history_date
    event.return_to_draft()
    event.submit_for_review()
    [queued] = Event.objects.waiting_for_review()
    assert queued.submitted_at > first
    assert queued.submitted_at == event.history.latest().history_date


def test_the_public_site_sets_no_cookies_with_the_history_middleware(client):
    event = EventFactory()
    response = client.get(event.get_absolute_url())
    assert response.cookies == {}
