"""Quick entry: a breaking event with its source and figures on one short
admin page, made of the event form's own fields and rules."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from tests.factories import ActorFactory, ConflictFactory, EventFactory, SourceFactory
from tracker.models import Citation, Event, FigureClaim, Source

pytestmark = pytest.mark.django_db

URL = reverse("admin:tracker_event_quick_entry")


def quick_entry(conflict, claims=(), **fields):
    """The POST body of the quick-entry page."""
    data = {
        "conflict": conflict.pk,
        "kind": Event.Kind.CASUALTY_REPORT,
        "title": "Shelling of Stepanakert",
        "starts_at_0": "2023-09-20",
        "starts_at_1": "18:30",
        "precision": "minute",
        "status": Event.Status.DRAFT,
        "source-source": "",
        "new_source-url": "",
        "new_source-title": "",
        "new_source-publisher": "",
        "new_source-kind": Source.Kind.NEWS,
        "claims-TOTAL_FORMS": 3,
        "claims-INITIAL_FORMS": 0,
    }
    for n in range(3):
        row = {"claimant": "", "metric": "", "population": "unspecified", "party": ""}
        row |= {"qualifier": "exact"}
        row |= {"low": "", "best": "", "high": "", "wording": "", "id": "", "event": ""}
        row |= claims[n] if n < len(claims) else {}
        data |= {f"claims-{n}-{name}": value for name, value in row.items()}
    return data | fields


@pytest.fixture
def conflict():
    return ConflictFactory(timezone="Asia/Baku")


def test_the_page_offers_the_conflict_chosen_already(reporter_client, conflict):
    html = reporter_client.get(URL).content.decode()
    assert f'<option value="{conflict.pk}" selected>' in html


def test_an_event_with_a_new_source_and_two_figures_is_saved_as_the_full_form_would(
    reporter_client, reporter, conflict
):
    authorities, vardanyan = ActorFactory(name="Authorities"), ActorFactory(name="Vardanyan")
    data = quick_entry(
        conflict,
        claims=[
            {"claimant": authorities.pk, "metric": "killed", "best": 32, "population": "civilians"},
            {"claimant": vardanyan.pk, "metric": "killed", "best": 100, "qualifier": "about"},
        ],
        **{"new_source-url": "https://news.example.org/shelling", "new_source-title": "Shelling"},
    )

    response = reporter_client.post(URL, data)

    event = Event.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:tracker_event_change", args=[event.pk])
    assert (event.status, event.starts_at) == ("draft", datetime(2023, 9, 20, 14, 30, tzinfo=UTC))
    source = Source.objects.get(url="https://news.example.org/shelling")
    assert list(Citation.objects.values_list("event", "source")) == [(event.pk, source.pk)]
    claims = FigureClaim.objects.filter(event=event).order_by("best")
    assert [claim.describe() for claim in claims] == ["32 civilians killed", "about 100 killed"]
    assert {(claim.source_id, claim.as_of) for claim in claims} == {(source.pk, event.starts_at)}
    assert event.is_disputed
    assert event.history.get().history_user == reporter


def test_a_figure_names_whose_people_it_counts(reporter_client, conflict):
    army = ActorFactory(name="Armenian armed forces")
    data = quick_entry(
        conflict,
        claims=[{"claimant": ActorFactory().pk, "metric": "killed", "best": 5, "party": army.pk}],
        **{"source-source": SourceFactory().pk},
    )

    reporter_client.post(URL, data)

    claim = FigureClaim.objects.get()
    assert (claim.party, claim.scope) == (army, FigureClaim.Scope.INCIDENT)


def test_figures_are_held_to_the_same_rules_and_nothing_is_saved(reporter_client, conflict):
    source = SourceFactory()
    data = quick_entry(
        conflict,
        claims=[{"claimant": ActorFactory().pk, "metric": "killed", "low": 40, "best": 32}],
        **{"source-source": source.pk},
    )

    response = reporter_client.post(URL, data)

    assert response.status_code == 200
    assert "The low figure (40) is above the best figure (32)." in response.content.decode()
    assert not Event.objects.exists()
    assert not FigureClaim.objects.exists()


def test_an_existing_source_is_cited_and_no_source_is_added(reporter_client, conflict):
    source = SourceFactory()

    reporter_client.post(URL, quick_entry(conflict, **{"source-source": source.pk}))

    assert Event.objects.get().citations.get().source == source
    assert Source.objects.count() == 1


def test_an_event_needs_its_source(reporter_client, conflict):
    response = reporter_client.post(URL, quick_entry(conflict))

    assert "Give the source: choose one, or enter a new one below." in response.content.decode()
    assert not Event.objects.exists()


def test_a_source_is_chosen_or_entered_not_both(reporter_client, conflict):
    data = quick_entry(
        conflict, **{"source-source": SourceFactory().pk, "new_source-title": "Another story"}
    )

    response = reporter_client.post(URL, data)

    assert "Choose an existing source or enter a new one, not both." in response.content.decode()
    assert not Event.objects.exists()


def test_a_new_source_that_exists_already_is_refused_with_a_link_to_it(reporter_client, conflict):
    existing = SourceFactory(url="https://news.example.org/shelling")
    data = quick_entry(
        conflict,
        **{"new_source-url": "https://NEWS.example.org/shelling?utm_source=x",
           "new_source-title": "Shelling"},
    )  # fmt: skip

    html = reporter_client.post(URL, data).content.decode()

    assert "This article is already a source" in html
    assert reverse("admin:tracker_source_change", args=[existing.pk]) in html
    assert not Event.objects.exists()


def test_a_reporter_cannot_publish_from_quick_entry(reporter_client, conflict):
    data = quick_entry(
        conflict, status=Event.Status.PUBLISHED, **{"source-source": SourceFactory().pk}
    )

    response = reporter_client.post(URL, data)

    assert response.status_code == 200
    assert not Event.objects.exists()


def test_times_are_the_conflicts_local_time_as_in_the_event_form(reporter_client, conflict):
    reporter_client.post(URL, quick_entry(conflict, **{"source-source": SourceFactory().pk}))

    assert Event.objects.get().when == "20 September 2023, 18:30 UTC+4"


def test_save_and_enter_another_comes_back_with_the_same_conflict(reporter_client, conflict):
    data = quick_entry(conflict, _addanother="1", **{"source-source": SourceFactory().pk})

    response = reporter_client.post(URL, data)

    assert response["Location"] == f"{URL}?conflict={conflict.pk}"


def test_the_conflict_offered_is_that_of_the_reporters_last_event(reporter_client, conflict):
    other = ConflictFactory(slug="other-war", name="Other war")
    reporter_client.post(URL, quick_entry(other, **{"source-source": SourceFactory().pk}))
    EventFactory(conflict=conflict)  # someone else's, later

    html = reporter_client.get(URL).content.decode()

    assert f'<option value="{other.pk}" selected>' in html


def test_only_those_who_may_add_events_may_use_it(client, django_user_model, conflict):
    viewer = django_user_model.objects.create_user("viewer", password="pw", is_staff=True)
    client.force_login(viewer)

    assert client.get(URL).status_code == 403


def test_the_page_makes_a_fixed_number_of_queries(
    reporter_client, conflict, django_assert_num_queries
):
    for _n in range(20):
        ActorFactory()
        SourceFactory()
        EventFactory(conflict=conflict)
    # Session, user, the user's and the group's permissions; the reporter's
    # last event's conflict (none) and the latest changed event's; that
    # conflict; the event form's look at the stored event (none, when new);
    # the conflict choices. Actors and sources are chosen by autocomplete.
    with django_assert_num_queries(9):
        assert reporter_client.get(URL).status_code == 200


def test_a_refused_entry_says_so_at_the_top(reporter_client, conflict):
    html = reporter_client.post(URL, quick_entry(conflict)).content.decode()
    assert '<p class="errornote">' in html
