"""Entering the record in the admin: times as they are typed, in the
conflict's local time, and the checks that stop a mistake before readers
see it."""

import json
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from tests.admin_forms import claim_form, event_form, page_form_data
from tests.factories import (
    ActorFactory,
    CitationFactory,
    ClaimFactory,
    ConflictFactory,
    CorrectionFactory,
    EventFactory,
    ParticipantFactory,
    SourceFactory,
)
from tracker.models import Citation, Event, FigureClaim, Source

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:tracker_event_add")
CHANGELIST_URL = reverse("admin:tracker_event_changelist")
SOURCE_ADD_URL = reverse("admin:tracker_source_add")
UNSOURCED = (
    "A published event needs a source: cite one, or give a figure with the source it is from."
)


def change_url(event):
    return reverse("admin:tracker_event_change", args=[event.pk])


def form_errors(response):
    return response.context["adminform"].form.errors


def baku():
    return ConflictFactory(timezone="Asia/Baku")


def cited(**fields):
    """The POST body of an event with a citation, so that it may be published."""
    source = SourceFactory()
    data = event_form(baku(), **fields)
    data |= {
        "citations-TOTAL_FORMS": 1,
        "citations-0-source": source.pk,
        "citations-0-excerpt": "The ceasefire took effect.",
    }
    return data


# A date as it is known: a year, a month, a day, or a day and a time.


def test_a_month_typed_alone_is_kept_to_the_month(administrator_client):
    data = event_form(baku(), starts_at_0="2020-12", starts_at_1="", precision="")
    assert administrator_client.post(ADD_URL, data).status_code == 302
    event = Event.objects.get()
    assert event.precision == "month"
    assert event.starts_at == datetime(2020, 11, 30, 20, 0, tzinfo=UTC)  # 1 December, Baku
    assert event.when == "December 2020"


def test_a_year_typed_alone_is_kept_to_the_year(administrator_client):
    data = event_form(baku(), starts_at_0="2020", starts_at_1="", precision="")
    assert administrator_client.post(ADD_URL, data).status_code == 302
    event = Event.objects.get()
    assert (event.precision, event.when) == ("year", "2020")


def test_a_day_typed_alone_is_kept_to_the_day(administrator_client):
    data = event_form(baku(), starts_at_0="2023-09-20", starts_at_1="", precision="")
    assert administrator_client.post(ADD_URL, data).status_code == 302
    assert Event.objects.get().precision == "day"


def test_a_chosen_precision_that_fits_what_was_typed_is_kept(administrator_client):
    data = event_form(baku(), starts_at_1="13:00", precision="hour")
    assert administrator_client.post(ADD_URL, data).status_code == 302
    event = Event.objects.get()
    assert (event.precision, event.starts_at) == ("hour", datetime(2023, 9, 20, 9, tzinfo=UTC))


def test_a_month_with_day_precision_chosen_is_refused_in_the_editors_own_terms(
    administrator_client,
):
    data = event_form(baku(), starts_at_0="2020-12", starts_at_1="", precision="day")
    response = administrator_client.post(ADD_URL, data)
    assert form_errors(response)["starts_at"] == [
        "2020-12 does not say the day that “to the day” needs: type it, or choose “to the month”."
    ]
    assert not Event.objects.exists()


def test_a_time_with_only_a_month_is_refused(administrator_client):
    data = event_form(baku(), starts_at_0="2020-12", starts_at_1="10:30", precision="")
    response = administrator_client.post(ADD_URL, data)
    assert form_errors(response)["starts_at"] == [
        "A time needs a full date, e.g. 2020-12-01 10:30."
    ]


def test_a_date_that_is_no_date_is_still_refused(administrator_client):
    data = event_form(baku(), starts_at_0="2020-13", starts_at_1="", precision="")
    response = administrator_client.post(ADD_URL, data)
    assert form_errors(response)["starts_at"] == ["Enter a valid date."]


def test_an_end_before_the_start_of_a_day_event_is_worded_in_days(administrator_client):
    data = event_form(
        baku(),
        starts_at_0="2020-11-10",
        starts_at_1="",
        ends_at_0="2020-11-09",
        precision="day",
    )
    response = administrator_client.post(ADD_URL, data)
    assert form_errors(response)["ends_at"] == [
        "The end (2020-11-09) is before the start (2020-11-10)."
    ]


def test_an_end_before_the_start_of_a_month_event_is_worded_in_months(administrator_client):
    data = event_form(baku(), starts_at_0="2020-12", starts_at_1="", ends_at_0="2020-11")
    data["precision"] = ""
    response = administrator_client.post(ADD_URL, data)
    assert form_errors(response)["ends_at"] == ["The end (2020-11) is before the start (2020-12)."]


def test_a_month_event_is_shown_in_its_form_as_it_was_typed(administrator_client):
    event = EventFactory(starts_at=datetime(2020, 11, 30, 20, tzinfo=UTC), precision="month")
    data = page_form_data(administrator_client.get(change_url(event)))
    assert (data["starts_at_0"], data["starts_at_1"]) == ("2020-12", "")
    assert data["precision"] == "month"


def test_a_month_event_saved_again_unchanged_stays_a_month_event(administrator_client):
    event = EventFactory(
        starts_at=datetime(2020, 11, 30, 20, tzinfo=UTC), precision="month", status="draft"
    )
    data = page_form_data(administrator_client.get(change_url(event)))
    assert administrator_client.post(change_url(event), data).status_code == 302
    event.refresh_from_db()
    assert (event.precision, event.when) == ("month", "December 2020")


def test_a_figures_date_needs_at_least_the_day(administrator_client):
    claimant, source = ActorFactory(), SourceFactory()
    claim = claim_form(claimant, source, as_of_0="2020-12", as_of_1="")
    response = administrator_client.post(ADD_URL, event_form(baku(), claims=[claim]))
    errors = response.context["inline_admin_formsets"][2].formset.forms[0].errors
    assert errors["as_of"] == [
        "Give the day as well, e.g. 2020-12-05: this time is kept to the day."
    ]


# A typed time is never dropped.


def test_a_typed_time_makes_a_new_event_minute_precise(administrator_client):
    data = event_form(baku(), starts_at_1="10:30", precision="")
    assert administrator_client.post(ADD_URL, data).status_code == 302
    event = Event.objects.get()
    assert (event.precision, event.starts_at) == (
        "minute",
        datetime(2023, 9, 20, 6, 30, tzinfo=UTC),
    )


def test_a_typed_time_with_day_precision_chosen_is_refused_not_dropped(administrator_client):
    data = event_form(baku(), starts_at_1="10:30", precision="day")
    response = administrator_client.post(ADD_URL, data)
    assert form_errors(response)["starts_at"] == [
        "2023-09-20 10:30 is more exact than “to the day”: its time of day would be lost. "
        "Leave out the time of day, or choose “to the minute”."
    ]
    assert not Event.objects.exists()


def test_a_time_off_the_hour_with_hour_precision_chosen_is_refused(administrator_client):
    data = event_form(baku(), starts_at_1="10:30", precision="hour")
    response = administrator_client.post(ADD_URL, data)
    assert "its minutes would be lost" in form_errors(response)["starts_at"][0]


def test_a_time_added_to_a_day_event_makes_it_minute_precise(administrator_client):
    event = EventFactory(precision="day", status="draft")
    data = page_form_data(administrator_client.get(change_url(event)))
    assert (data["starts_at_1"], data["precision"]) == ("", "day")
    data["starts_at_1"] = "10:30"
    assert administrator_client.post(change_url(event), data).status_code == 302
    event.refresh_from_db()
    assert (event.precision, event.starts_at) == (
        "minute",
        datetime(2023, 9, 20, 6, 30, tzinfo=UTC),
    )


# One zone for every time typed: the conflict's, or the default conflict's.


def test_a_sources_times_are_typed_in_the_default_conflicts_local_time(administrator_client):
    EventFactory(conflict=baku())
    data = {
        "title": "Ceasefire announced",
        "url": "https://news.example.org/ceasefire",
        "kind": "news",
        "published_at_0": "2023-09-20",
        "published_at_1": "12:00",
        "accessed_at_0": "2023-09-20",
        "accessed_at_1": "12:30",
    }
    assert administrator_client.post(SOURCE_ADD_URL, data).status_code == 302
    source = Source.objects.get()
    assert source.published_at == datetime(2023, 9, 20, 8, 0, tzinfo=UTC)
    assert source.accessed_at == datetime(2023, 9, 20, 8, 30, tzinfo=UTC)
    shown = page_form_data(
        administrator_client.get(reverse("admin:tracker_source_change", args=[source.pk]))
    )
    assert shown["published_at_1"] == "12:00:00"


def test_a_sources_form_names_the_zone_its_times_are_in(administrator_client):
    EventFactory(conflict=baku())
    html = administrator_client.get(SOURCE_ADD_URL).content.decode()
    assert "Times are in Asia/Baku local time. It is UTC+4 there now" in html


def test_the_default_conflict_is_the_one_the_setting_names(administrator_client, settings):
    ConflictFactory(slug="sudan", name="Sudan conflict", timezone="Africa/Khartoum")
    EventFactory(conflict=baku())
    settings.NEWSROOM_DEFAULT_CONFLICT = "sudan"
    html = administrator_client.get(SOURCE_ADD_URL).content.decode()
    assert "Times are in Africa/Khartoum local time. It is UTC+2 there now" in html


def test_a_new_event_starts_in_the_default_conflict_and_its_local_time(administrator_client):
    conflict = baku()
    response = administrator_client.get(ADD_URL)
    html = response.content.decode()
    assert response.context["adminform"].form["conflict"].value() == conflict.pk
    # Django's "Today" and "Now" read this offset: UTC+4, not the server's UTC.
    assert 'data-admin-utc-offset="14400"' in html
    assert "Times are in Asia/Baku local time." in html


def test_each_conflict_offered_carries_its_offset_for_today_and_now(administrator_client):
    baku()
    sudan = ConflictFactory(slug="sudan", name="Sudan conflict", timezone="Africa/Khartoum")
    response = administrator_client.get(ADD_URL)
    widget = response.context["adminform"].form["conflict"]
    zones = json.loads(
        re.search(r'data-time-zones="([^"]*)"', str(widget))[1].replace("&quot;", '"')
    )
    assert zones[str(sudan.pk)]["offset"] == 7200
    assert zones[str(sudan.pk)]["note"].startswith("Times are in Africa/Khartoum local time.")


def test_a_figure_on_its_own_page_is_typed_in_its_events_local_time(administrator_client):
    event = EventFactory(conflict=baku(), status="draft")
    data = claim_form(ActorFactory(), SourceFactory()) | {"event": event.pk, "seen_version": ""}
    url = reverse("admin:tracker_figureclaim_add")
    assert administrator_client.post(url, data).status_code == 302
    assert FigureClaim.objects.get().as_of == datetime(2023, 9, 20, 14, 0, tzinfo=UTC)


def test_the_review_queue_shows_submission_times_in_local_time_with_the_offset(
    administrator_client,
):
    with timezone.override(UTC):
        event = EventFactory(conflict=baku(), status="draft")
        event.submit_for_review()
    submitted = event.history.latest().history_date.astimezone(event.conflict.tz)
    html = administrator_client.get(
        reverse("admin:tracker_eventinreview_changelist")
    ).content.decode()
    assert f"{submitted:%H:%M} UTC+4" in html


def test_the_figure_list_shows_as_of_in_local_time_with_the_offset(administrator_client):
    ClaimFactory(event=EventFactory(conflict=baku()), as_of=datetime(2023, 9, 20, 14, tzinfo=UTC))
    html = administrator_client.get(
        reverse("admin:tracker_figureclaim_changelist")
    ).content.decode()
    assert "20 September 2023, 18:00 UTC+4" in html


def test_the_source_list_shows_published_times_with_the_offset(administrator_client):
    EventFactory(conflict=baku())
    SourceFactory(published_at=datetime(2023, 9, 20, 8, tzinfo=UTC))
    html = administrator_client.get(reverse("admin:tracker_source_changelist")).content.decode()
    assert "20 September 2023, 12:00 UTC+4" in html


def test_the_correction_list_shows_its_times_in_local_time_with_the_offset(administrator_client):
    event = EventFactory(conflict=baku())
    CorrectionFactory(event=event, published_at=datetime(2023, 9, 21, 6, 15, tzinfo=UTC))
    html = administrator_client.get(reverse("admin:tracker_correction_changelist")).content.decode()
    assert "21 September 2023, 10:15 UTC+4" in html


def test_a_conflicts_form_gives_its_own_date_for_today(administrator_client):
    baku()  # the default conflict
    sudan = ConflictFactory(slug="sudan", name="Sudan conflict", timezone="Africa/Khartoum")
    url = reverse("admin:tracker_conflict_change", args=[sudan.pk])
    assert 'data-admin-utc-offset="7200"' in administrator_client.get(url).content.decode()


def test_the_event_list_shows_the_last_update_in_local_time_with_the_offset(administrator_client):
    event = EventFactory(conflict=baku())
    updated = event.updated_at.astimezone(event.conflict.tz)
    assert f"{updated:%H:%M} UTC+4" in administrator_client.get(CHANGELIST_URL).content.decode()


# Each list: the session and the user; then the review queue: its conflict
# filter, two counts and the rows with their conflicts; the figures: two
# counts, the rows, and two for the date drill-down; the sources: the default
# conflict (by the newest event, then the first), two counts, the rows, two
# for the drill-down and one for the language filter; the events: their
# conflicts filter, a count (PostgreSQL asks pg_class for an estimate first)
# and the rows.
@pytest.mark.parametrize(
    ("url_name", "rows", "expected"),
    [
        ("admin:tracker_eventinreview_changelist", "in_review", 6),
        ("admin:tracker_figureclaim_changelist", "claims", 7),
        ("admin:tracker_source_changelist", "sources", 10),
        ("admin:tracker_event_changelist", "events", {"postgresql": 6}.get(connection.vendor, 5)),
    ],
)
def test_the_lists_with_local_times_make_the_same_queries_for_one_row_as_for_five(
    administrator_client, django_assert_num_queries, url_name, rows, expected
):
    conflict = baku()

    def add_rows(count):
        for _ in range(count):
            if rows == "in_review":
                EventFactory(conflict=conflict, status="draft").submit_for_review()
            elif rows == "claims":
                ClaimFactory(event=EventFactory(conflict=conflict))
            elif rows == "sources":
                SourceFactory(published_at=datetime(2023, 9, 20, 8, tzinfo=UTC))
            else:
                EventFactory(conflict=conflict)

    for count in [1, 4]:
        add_rows(count)
        with django_assert_num_queries(expected):
            assert administrator_client.get(reverse(url_name)).status_code == 200


# Figures: the number pad, and a figure beyond belief confirmed.


def test_figure_inputs_offer_the_number_pad_and_count_no_lower_than_zero(administrator_client):
    for url in [ADD_URL, reverse("admin:tracker_figureclaim_add")]:
        html = administrator_client.get(url).content.decode()
        for name in ["low", "best", "high"]:
            prefix = "claims-0-" if url == ADD_URL else ""
            assert (
                f'<input type="number" name="{prefix}{name}" class="vIntegerField" min="0" '
                f'inputmode="numeric"'
            ) in html, (url, name)


def test_a_figure_beyond_belief_is_refused_until_it_is_confirmed(administrator_client, settings):
    settings.FIGURE_CONFIRMATION_ABOVE = 10_000_000
    claim = claim_form(ActorFactory(), SourceFactory(), best="99999999999999")
    response = administrator_client.post(ADD_URL, event_form(baku(), claims=[claim]))
    form = response.context["inline_admin_formsets"][2].formset.forms[0]
    assert (
        "99,999,999,999,999 is more than 10,000,000, which is rarely right. If it is, tick "
        "“Yes, the figure is right” and save again."
    ) in form.errors["confirm_figure"]
    # The figure itself is kept in the form, and checked as usual (PostgreSQL's
    # integer column holds no more than 2,147,483,647).
    assert "Give the figure: at least one of low, best or high." not in form.errors.get("best", [])
    assert 'type="checkbox" name="claims-0-confirm_figure"' in response.content.decode()
    assert not FigureClaim.objects.exists()


def test_a_confirmed_figure_beyond_the_bound_is_kept(administrator_client, settings):
    settings.FIGURE_CONFIRMATION_ABOVE = 10_000_000
    claim = claim_form(ActorFactory(), SourceFactory(), best="20000000", confirm_figure="on")
    response = administrator_client.post(ADD_URL, event_form(baku(), claims=[claim]))
    assert response.status_code == 302
    assert FigureClaim.objects.get().best == 20_000_000


def test_a_figure_within_the_bound_needs_no_confirmation(administrator_client, settings):
    settings.FIGURE_CONFIRMATION_ABOVE = 10_000_000
    claim = claim_form(ActorFactory(), SourceFactory(), best="10000000")
    assert administrator_client.post(ADD_URL, event_form(baku(), claims=[claim])).status_code == 302


def test_a_figure_beyond_the_bound_on_its_own_page_needs_confirmation(
    administrator_client, settings
):
    settings.FIGURE_CONFIRMATION_ABOVE = 10_000_000
    event = EventFactory(status="draft")
    data = claim_form(ActorFactory(), SourceFactory(), best="20000000")
    data |= {"event": event.pk, "seen_version": ""}
    response = administrator_client.post(reverse("admin:tracker_figureclaim_add"), data)
    assert "is more than 10,000,000" in form_errors(response)["confirm_figure"][0]
    assert not FigureClaim.objects.exists()


# Publishing needs a source.


def test_an_event_without_a_source_is_not_published_from_its_form(administrator_client):
    response = administrator_client.post(ADD_URL, event_form(baku(), status="published"))
    assert response.status_code == 200
    assert form_errors(response)["status"] == [UNSOURCED]
    assert not Event.objects.exists()


def test_an_event_with_a_citation_is_published_from_its_form(administrator_client):
    assert administrator_client.post(ADD_URL, cited(status="published")).status_code == 302
    assert Event.objects.get().status == "published"


def test_an_event_whose_only_source_is_a_figures_is_published(administrator_client):
    claim = claim_form(ActorFactory(), SourceFactory())
    data = event_form(baku(), claims=[claim], status="published")
    assert administrator_client.post(ADD_URL, data).status_code == 302
    assert Event.objects.get().status == "published"


def test_the_last_source_of_a_published_event_cannot_be_taken_away(administrator_client):
    event = CitationFactory(event__status="published").event
    data = page_form_data(administrator_client.get(change_url(event)))
    data |= {"citations-0-DELETE": "on", "correction_note": "Removed the source."}
    response = administrator_client.post(change_url(event), data)
    assert form_errors(response)["status"] == [UNSOURCED]
    assert Citation.objects.filter(event=event).exists()


def test_the_publish_action_publishes_nothing_when_an_event_has_no_source(administrator_client):
    sourced = CitationFactory(event__status="draft").event
    unsourced = EventFactory(status="draft", title="Rumour of a ceasefire")
    response = administrator_client.post(
        CHANGELIST_URL,
        {"action": "publish", ACTION_CHECKBOX_NAME: [sourced.pk, unsourced.pk]},
        follow=True,
    )
    assert "Without one: Rumour of a ceasefire." in response.content.decode()
    assert set(Event.objects.values_list("status", flat=True)) == {"draft"}


def test_an_event_without_a_source_cannot_be_published_by_any_code():
    event = EventFactory(status="draft")
    with pytest.raises(ValidationError, match="needs a source"):
        event.publish()
    event.refresh_from_db()
    assert event.status == "draft"


def test_a_bulk_move_publishes_none_of_a_selection_with_an_unsourced_event(administrator):
    sourced = CitationFactory(event__status="draft").event
    unsourced = EventFactory(status="draft")
    selection = Event.objects.filter(pk__in=[sourced.pk, unsourced.pk])
    with pytest.raises(ValidationError, match="needs a source"):
        selection.move_to(Event.Status.PUBLISHED, by=administrator)
    assert set(Event.objects.values_list("status", flat=True)) == {"draft"}


# What the public will see, said before saving.


def conflicting_claims():
    source = SourceFactory()
    authorities = ActorFactory(name="Regional authorities")
    vardanyan = ActorFactory(name="Ruben Vardanyan")
    return [
        claim_form(authorities, source, population="civilians", best="32"),
        claim_form(vardanyan, source, qualifier="about", best="100"),
    ]


def test_the_form_says_which_claimants_will_be_shown_as_disputed_before_saving(
    administrator_client,
):
    data = event_form(baku(), claims=conflicting_claims()) | {"_preview": "1"}
    response = administrator_client.post(ADD_URL, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert (
        "<strong>Shown as disputed between Regional authorities and Ruben Vardanyan:</strong> "
        "Killed: 32 civilians, according to Regional authorities; about 100, according to "
        "Ruben Vardanyan"
    ) in html
    assert "Nothing was saved: this shows what readers would see." in html
    assert "Please correct" not in html
    assert not Event.objects.exists()


def test_the_preview_shows_agreeing_figures_as_not_disputed(administrator_client):
    source = SourceFactory()
    claims = [
        claim_form(ActorFactory(), source, best="32"),
        claim_form(ActorFactory(), source, qualifier="about", best="30"),
    ]
    data = event_form(baku(), claims=claims) | {"_preview": "1"}
    html = administrator_client.post(ADD_URL, data).content.decode()
    assert "Figures as readers will see them" in html
    assert "Shown as disputed" not in html


def test_a_refused_save_also_says_what_readers_would_see(administrator_client):
    data = event_form(baku(), claims=conflicting_claims(), title="")
    html = administrator_client.post(ADD_URL, data).content.decode()
    assert "Please correct" in html
    assert "Shown as disputed between" in html


def test_the_change_form_says_what_readers_see_of_the_stored_figures(administrator_client):
    event = EventFactory()
    ClaimFactory(event=event, best=32, claimant__name="Regional authorities")
    ClaimFactory(event=event, best=100, claimant__name="Ruben Vardanyan")
    html = administrator_client.get(change_url(event)).content.decode()
    assert "Shown as disputed between Regional authorities and Ruben Vardanyan:" in html


def test_a_refused_save_for_a_missing_correction_note_shows_the_note_first(administrator_client):
    event = EventFactory(status="published", title="Ceasefire holds")
    data = page_form_data(administrator_client.get(change_url(event))) | {
        "title": "Ceasefire broken"
    }
    response = administrator_client.post(change_url(event), data)
    html = response.content.decode()
    assert "correction_note" in form_errors(response)
    assert html.index('name="correction_note"') < html.index('name="title"')


def test_exactly_ten_with_a_range_of_five_to_fifteen_is_refused_as_a_contradiction(
    administrator_client,
):
    claim = claim_form(ActorFactory(), SourceFactory(), low="5", best="10", high="15")
    response = administrator_client.post(ADD_URL, event_form(baku(), claims=[claim]))
    errors = response.context["inline_admin_formsets"][2].formset.forms[0].errors
    assert errors["qualifier"] == [
        "“Exactly 10” contradicts the range given (low 5, high 15): choose another "
        "qualifier, such as “about”, or leave out the best figure or the range."
    ]
    assert not FigureClaim.objects.exists()


def test_the_database_refuses_an_exact_figure_with_a_range():
    with pytest.raises(IntegrityError), transaction.atomic():
        ClaimFactory(qualifier="exact", low=5, best=10, high=15)


def test_an_exact_range_without_a_best_figure_is_still_a_plain_range():
    claim = ClaimFactory(qualifier="exact", low=30, best=None, high=40)
    claim.full_clean()
    assert claim.describe() == "30 to 40 killed"


def test_a_start_far_in_the_future_asks_for_confirmation(administrator_client):
    data = event_form(baku(), starts_at_0="2099-09-20")
    response = administrator_client.post(ADD_URL, data)
    [error] = form_errors(response)["confirm_far_future"]
    assert error.startswith("This starts on 2099-09-20, more than a year from now.")
    assert 'type="checkbox" name="confirm_far_future"' in response.content.decode()
    assert not Event.objects.exists()


def test_a_confirmed_start_far_in_the_future_is_kept(administrator_client):
    data = event_form(baku(), starts_at_0="2099-09-20", confirm_far_future="on")
    assert administrator_client.post(ADD_URL, data).status_code == 302


def test_talks_scheduled_next_month_need_no_confirmation(administrator_client):
    next_month = (timezone.now() + timedelta(days=30)).strftime("%Y-%m-%d")
    data = event_form(baku(), starts_at_0=next_month)
    assert administrator_client.post(ADD_URL, data).status_code == 302


@pytest.mark.parametrize(
    "again",
    [
        "http://news.example.org/2023/ceasefire",
        "https://www.news.example.org/2023/ceasefire",
        "https://news.example.org/2023/ceasefire/",
        "http://www.news.example.org/2023/ceasefire/",
    ],
)
def test_the_same_article_spelled_otherwise_is_offered_as_a_probable_duplicate(
    administrator_client, again
):
    existing = SourceFactory(title="Ceasefire", url="https://news.example.org/2023/ceasefire")
    data = {"title": "Ceasefire (again)", "url": again, "kind": "news"}
    response = administrator_client.post(SOURCE_ADD_URL, data)
    [error] = form_errors(response)["confirm_different"]
    link = reverse("admin:tracker_source_change", args=[existing.pk])
    assert f'probably the same article as the source <a href="{link}">' in error
    html = response.content.decode()
    assert (
        html.index('name="url"')
        < html.index('name="confirm_different"')
        < html.index('name="kind"')
    )
    assert Source.objects.count() == 1


def test_a_different_article_at_a_similar_address_is_kept_once_confirmed(administrator_client):
    SourceFactory(url="https://news.example.org/2023/ceasefire")
    data = {
        "title": "A different article",
        "url": "http://news.example.org/2023/ceasefire",
        "kind": "news",
        "confirm_different": "on",
    }
    assert administrator_client.post(SOURCE_ADD_URL, data).status_code == 302
    assert Source.objects.count() == 2


def test_another_article_on_the_same_site_is_no_probable_duplicate(administrator_client):
    SourceFactory(url="https://news.example.org/2023/ceasefire")
    data = {"title": "Talks", "url": "https://news.example.org/2023/talks", "kind": "news"}
    assert administrator_client.post(SOURCE_ADD_URL, data).status_code == 302


def test_the_event_form_with_what_readers_will_see_makes_a_fixed_number_of_queries(
    administrator_client, django_assert_num_queries
):
    event = EventFactory()
    ClaimFactory(event=event, best=32)
    ClaimFactory(event=event, best=100)
    CitationFactory(event=event)
    ContentType.objects.clear_cache()
    # The session and the user; the event (the admin's, and with its conflict
    # for the time zone), its status twice and its version, the form's stored
    # copy; one per inline (the photos' too), the figures with their claimants and parties, so
    # that what readers will see costs nothing more (the participants and
    # citations with their actors and sources); the content type, the
    # conflicts offered, the history's status changes; then, for the
    # autocomplete fields, one query each for the citations' sources, the
    # figures' claimants and the figures' sources.
    with django_assert_num_queries(20):
        assert administrator_client.get(change_url(event)).status_code == 200
    # The session, the user; the default conflict for the zone and again for
    # the form's choice; the form's stored copy (none); the conflicts offered.
    with django_assert_num_queries(6):
        assert administrator_client.get(ADD_URL).status_code == 200


def test_the_form_of_an_event_with_fifty_figures_names_their_records_in_a_few_queries(
    administrator_client, django_assert_max_num_queries
):
    event = EventFactory()
    for _ in range(20):
        ParticipantFactory(event=event)
    sources = [CitationFactory(event=event).source for _ in range(30)]
    for n in range(50):
        ClaimFactory(event=event, best=n, source=sources[n % 30], party=ActorFactory())
    ContentType.objects.clear_cache()

    # Each autocomplete box (a figure's claimant, source and side, a
    # participant, a citation) names its choice from one query per box for
    # the whole page, not one per figure.
    with django_assert_max_num_queries(30):
        response = administrator_client.get(change_url(event))

    assert response.status_code == 200
    page = response.content.decode()
    claim = event.claims.order_by("pk").last()
    for record in (claim.claimant, claim.party, claim.source, sources[-1]):
        assert re.search(rf'<option value="{record.pk}" selected>{re.escape(str(record))}<', page)


def test_the_preview_takes_a_new_figure_as_the_claimants_latest(administrator_client):
    event = EventFactory(status="draft")
    stored = ClaimFactory(event=event, best=32, claimant__name="Regional authorities")
    ClaimFactory(event=event, best=35, claimant__name="Ruben Vardanyan")
    data = page_form_data(administrator_client.get(change_url(event)))
    # The same claimant, stated at the same time as the stored figure.
    new = claim_form(stored.claimant, stored.source, best="100", as_of_0="2023-09-20")
    new["as_of_1"] = "00:00"
    data |= {f"claims-2-{name}": value for name, value in new.items()}
    data |= {"claims-TOTAL_FORMS": 3, "_preview": "1"}
    html = administrator_client.post(change_url(event), data).content.decode()
    assert "Shown as disputed between Regional authorities and Ruben Vardanyan:" in html
    assert "100, according to Regional authorities" in html
