from datetime import UTC, datetime

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from tests.admin_forms import claim_form, event_form
from tests.factories import (
    ActorFactory,
    CitationFactory,
    ClaimFactory,
    ConflictFactory,
    EventFactory,
    SourceFactory,
)
from tracker.models import (
    Actor,
    Citation,
    Conflict,
    Correction,
    Event,
    EventLink,
    FigureClaim,
    Participant,
    Place,
    Source,
)

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:tracker_event_add")
CHANGELIST_URL = reverse("admin:tracker_event_changelist")


def test_an_editor_adds_a_ceasefire_with_two_conflicting_figures(administrator_client):
    conflict = ConflictFactory(timezone="Asia/Baku")
    source = SourceFactory()
    authorities, vardanyan = ActorFactory(), ActorFactory()
    data = event_form(
        conflict,
        claims=[
            claim_form(authorities, source, population="civilians", best="32"),
            claim_form(vardanyan, source, qualifier="about", best="100"),
        ],
    )
    response = administrator_client.post(ADD_URL, data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    event = Event.objects.get()
    assert event.slug == "ceasefire-takes-effect"
    assert event.claims.count() == 2
    assert Event.objects.disputed().get() == event


def test_times_are_entered_in_the_conflicts_local_time(administrator_client):
    conflict = ConflictFactory(timezone="Asia/Baku")
    claimant, source = ActorFactory(), SourceFactory()
    administrator_client.post(ADD_URL, event_form(conflict, claims=[claim_form(claimant, source)]))
    event = Event.objects.get()
    assert event.starts_at == datetime(2023, 9, 20, 9, 0, tzinfo=UTC)
    assert event.claims.get().as_of == datetime(2023, 9, 20, 14, 0, tzinfo=UTC)


def test_the_change_form_shows_times_in_the_conflicts_local_time(administrator_client):
    event = EventFactory(starts_at=datetime(2023, 9, 20, 9, 0, tzinfo=UTC), precision="minute")
    response = administrator_client.get(reverse("admin:tracker_event_change", args=[event.pk]))
    html = response.content.decode()
    assert 'value="13:00:00"' in html
    assert "Times are in Asia/Baku local time." in html


def test_an_editor_changes_an_event_and_its_slug_stays(administrator_client):
    event = EventFactory(title="Ceasefire announced", status=Event.Status.DRAFT)
    data = event_form(event.conflict, title="Ceasefire takes effect", seen_version=event.version)
    data.pop("slug")
    response = administrator_client.post(
        reverse("admin:tracker_event_change", args=[event.pk]), data
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title == "Ceasefire takes effect"
    assert event.slug == "ceasefire-announced"


@pytest.mark.parametrize(
    ("figures", "field", "message"),
    [
        (
            {"low": "300", "best": "200"},
            "low",
            "The low figure (300) is above the best figure (200).",
        ),
        (
            {"best": "300", "high": "200"},
            "high",
            "The high figure (200) is below the best figure (300).",
        ),
        (
            {"low": "50", "best": "", "high": "40"},
            "low",
            "The low figure (50) is above the high figure (40).",
        ),
        ({"best": "-5"}, "best", "Ensure this value is greater than or equal to 0."),
        ({"best": ""}, "best", "Give the figure: at least one of low, best or high."),
        (
            {"scope": "running_total", "period_start": ""},
            "period_start",
            "A running total counts from a day: give the first day it counts "
            "('since 27 September'), or make the figure this event's toll.",
        ),
    ],
)
def test_inconsistent_figures_are_refused_with_a_field_error(
    administrator_client, figures, field, message
):
    conflict, claimant, source = ConflictFactory(), ActorFactory(), SourceFactory()
    data = event_form(conflict, claims=[claim_form(claimant, source, **figures)])
    response = administrator_client.post(ADD_URL, data)
    assert response.status_code == 200
    claim_form_errors = response.context["inline_admin_formsets"][2].formset.forms[0].errors
    assert claim_form_errors[field] == [message]
    assert not Event.objects.exists()
    assert not FigureClaim.objects.exists()


def test_an_editor_records_whose_people_a_figure_counts_and_since_when(administrator_client):
    conflict, claimant, source = ConflictFactory(), ActorFactory(), SourceFactory()
    side = ActorFactory(name="Armenian armed forces")
    figures = {"party": side.pk, "scope": "running_total", "period_start": "2023-09-19"}
    data = event_form(conflict, claims=[claim_form(claimant, source, **figures)])

    response = administrator_client.post(ADD_URL, data)

    assert response.status_code == 302
    claim = FigureClaim.objects.get()
    assert (claim.party, claim.scope, str(claim.period_start)) == (
        side,
        "running_total",
        "2023-09-19",
    )


def test_an_end_before_the_start_is_refused(administrator_client):
    data = event_form(ConflictFactory(), ends_at_0="2023-09-19", ends_at_1="10:00")
    response = administrator_client.post(ADD_URL, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["ends_at"] == [
        "The end (2023-09-19 10:00) is before the start (2023-09-20 13:00)."
    ]
    assert not Event.objects.exists()


def test_publish_action_publishes_and_stamps_the_first_publication(administrator_client):
    drafts = [CitationFactory(event__status=Event.Status.DRAFT).event for _ in range(2)]
    administrator_client.post(
        CHANGELIST_URL, {"action": "publish", ACTION_CHECKBOX_NAME: [e.pk for e in drafts]}
    )
    for event in drafts:
        event.refresh_from_db()
        assert event.status == Event.Status.PUBLISHED
        assert event.published_at is not None


def test_return_to_draft_action_unpublishes(administrator_client):
    event = EventFactory(status=Event.Status.PUBLISHED)
    administrator_client.post(
        CHANGELIST_URL, {"action": "return_to_draft", ACTION_CHECKBOX_NAME: [event.pk]}
    )
    event.refresh_from_db()
    assert event.status == Event.Status.DRAFT


def test_retract_action_asks_for_a_public_reason_first(administrator_client):
    event = EventFactory(status=Event.Status.PUBLISHED)
    response = administrator_client.post(
        CHANGELIST_URL, {"action": "retract", ACTION_CHECKBOX_NAME: [event.pk]}
    )
    assert response.status_code == 200
    assert "Public retraction note" in response.content.decode()
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED


def test_retract_action_without_a_reason_changes_nothing(administrator_client):
    event = EventFactory(status=Event.Status.PUBLISHED)
    response = administrator_client.post(
        CHANGELIST_URL,
        {"action": "retract", "apply": "1", "reason": "  ", ACTION_CHECKBOX_NAME: [event.pk]},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == ["This field is required."]
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED


def test_retract_action_with_a_reason_retracts(administrator_client, client):
    event = EventFactory(status=Event.Status.PUBLISHED)
    administrator_client.post(
        CHANGELIST_URL,
        {
            "action": "retract",
            "apply": "1",
            "reason": "The video was from 2020.",
            ACTION_CHECKBOX_NAME: [event.pk],
        },
    )
    event.refresh_from_db()
    assert event.status == Event.Status.RETRACTED
    assert "The video was from 2020." in client.get(event.get_absolute_url()).content.decode()


def test_the_changelist_filters_disputed_events(administrator_client):
    disputed = EventFactory(title="Disputed toll")
    ClaimFactory(event=disputed, best=32)
    ClaimFactory(event=disputed, best=100)
    EventFactory(title="Calm day")
    html = administrator_client.get(CHANGELIST_URL + "?figures=disputed").content.decode()
    assert "Disputed toll" in html
    assert "Calm day" not in html
    html = administrator_client.get(CHANGELIST_URL + "?figures=undisputed").content.decode()
    assert "Disputed toll" not in html
    assert "Calm day" in html


def test_the_changelist_shows_local_times(administrator_client):
    EventFactory(starts_at=datetime(2023, 9, 20, 9, 0, tzinfo=UTC), precision="minute")
    assert (
        "20 September 2023, 13:00 UTC+4"
        in administrator_client.get(CHANGELIST_URL).content.decode()
    )


def test_view_on_site_leads_to_the_draft_preview(administrator_client):
    event = EventFactory(status=Event.Status.DRAFT)
    html = administrator_client.get(
        reverse("admin:tracker_event_change", args=[event.pk])
    ).content.decode()
    assert "View on site" in html
    response = administrator_client.get(event.get_absolute_url())
    assert response.status_code == 200
    assert response.context["preview"] is True


def test_actors_can_be_found_by_autocomplete(administrator_client):
    ActorFactory(name="Ruben Vardanyan")
    response = administrator_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "varda",
            "app_label": "tracker",
            "model_name": "figureclaim",
            "field_name": "claimant",
        },
    )
    assert [r["text"] for r in response.json()["results"]] == ["Ruben Vardanyan"]


@pytest.mark.parametrize(
    "model",
    [
        Actor,
        Citation,
        Conflict,
        Correction,
        Event,
        EventLink,
        FigureClaim,
        Participant,
        Place,
        Source,
    ],
)
def test_every_model_has_working_admin_pages(administrator_client, model):
    ClaimFactory()
    opts = model._meta
    for view in ["changelist", "add"]:
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}")
        assert administrator_client.get(url).status_code == 200, url


def test_a_day_precision_event_can_be_entered_without_a_time(administrator_client):
    conflict = ConflictFactory(timezone="Asia/Baku")
    data = event_form(conflict, starts_at_1="", precision="day")
    response = administrator_client.post(ADD_URL, data)
    assert response.status_code == 302
    assert Event.objects.get().starts_at == datetime(2023, 9, 19, 20, 0, tzinfo=UTC)


def test_a_time_without_a_date_is_refused(administrator_client):
    data = event_form(ConflictFactory(), starts_at_0="")
    response = administrator_client.post(ADD_URL, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["starts_at"] == ["Enter a complete value."]
    assert not Event.objects.exists()
