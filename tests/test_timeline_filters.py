"""The timeline's filters and search, through the FilterSet and the page."""

from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.urls import reverse

from tests.factories import (
    ActorFactory,
    CitationFactory,
    ClaimFactory,
    ConflictFactory,
    EventFactory,
    ParticipantFactory,
    PlaceFactory,
    SourceFactory,
)
from timeline.filters import EventFilter
from tracker.models import Event

pytestmark = pytest.mark.django_db
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="ranked full-text search is PostgreSQL's"
)


@pytest.fixture
def conflict():
    return ConflictFactory(timezone="Asia/Baku")


def titles(conflict, **params):
    """Titles of the published events the timeline's filters let through."""
    events = Event.objects.published().in_conflict(conflict)
    filters = EventFilter(params, events, conflict=conflict)
    return sorted(filters.qs.values_list("title", flat=True))


def page(client, conflict, query=""):
    response = client.get(reverse("timeline:conflict", args=[conflict.slug]) + query)
    assert response.status_code == 200
    return response.content.decode()


def test_it_filters_by_one_or_several_kinds(conflict):
    EventFactory(conflict=conflict, title="Truce", kind=Event.Kind.CEASEFIRE)
    EventFactory(conflict=conflict, title="Shelling", kind=Event.Kind.STRIKE)
    EventFactory(conflict=conflict, title="Talks", kind=Event.Kind.NEGOTIATION)

    assert titles(conflict, kind=["strike"]) == ["Shelling"]
    assert titles(conflict, kind=["strike", "negotiation"]) == ["Shelling", "Talks"]


def test_an_actor_matches_in_any_role_or_as_a_claimant(conflict):
    azerbaijan, un = ActorFactory(name="Azerbaijan"), ActorFactory(name="United Nations")
    ParticipantFactory(event=EventFactory(conflict=conflict, title="Operation"), actor=azerbaijan)
    ParticipantFactory(
        event=EventFactory(conflict=conflict, title="Mediation"), actor=azerbaijan, role="target"
    )
    ClaimFactory(event=EventFactory(conflict=conflict, title="Casualties"), claimant=azerbaijan)
    ParticipantFactory(event=EventFactory(conflict=conflict, title="Appeal"), actor=un)

    assert titles(conflict, actor=azerbaijan.pk) == ["Casualties", "Mediation", "Operation"]


def test_it_filters_by_place(conflict):
    yevlakh = PlaceFactory(name="Yevlakh")
    EventFactory(conflict=conflict, title="Talks", place=yevlakh)
    EventFactory(conflict=conflict, title="Elsewhere", place=PlaceFactory())

    assert titles(conflict, place=yevlakh.pk) == ["Talks"]


def test_dates_are_the_conflicts_local_dates(conflict):
    # 21:00 UTC on the 19th is 01:00 on the 20th in Baku (UTC+4).
    EventFactory(conflict=conflict, title="Night", starts_at=datetime(2023, 9, 19, 21, tzinfo=UTC))
    EventFactory(
        conflict=conflict, title="Evening", starts_at=datetime(2023, 9, 19, 19, tzinfo=UTC)
    )

    assert titles(conflict, date_from="2023-09-20") == ["Night"]
    assert titles(conflict, date_to="2023-09-19") == ["Evening"]
    assert titles(conflict, date_from="2023-09-19", date_to="2023-09-20") == ["Evening", "Night"]


def test_disputed_true_keeps_only_disputed_events_and_false_only_the_others(conflict):
    disputed = EventFactory(conflict=conflict, title="Disputed")
    ClaimFactory(event=disputed, best=32)
    ClaimFactory(event=disputed, best=100)
    agreed = EventFactory(conflict=conflict, title="Agreed")
    ClaimFactory(event=agreed, best=32)

    assert titles(conflict, disputed="true") == ["Disputed"]
    assert titles(conflict, disputed="false") == ["Agreed"]


def test_has_figures_true_keeps_events_with_claims_and_false_those_without(conflict):
    ClaimFactory(event=EventFactory(conflict=conflict, title="Counted"), best=3)
    EventFactory(conflict=conflict, title="Uncounted")

    assert titles(conflict, has_figures="true") == ["Counted"]
    assert titles(conflict, has_figures="false") == ["Uncounted"]


def test_key_true_keeps_key_events_and_false_the_others(conflict):
    EventFactory(conflict=conflict, title="Turning point", is_key=True)
    EventFactory(conflict=conflict, title="Detail")

    assert titles(conflict, key="true") == ["Turning point"]
    assert titles(conflict, key="false") == ["Detail"]


def test_filters_never_reveal_unpublished_events(conflict):
    EventFactory(conflict=conflict, title="Draft ceasefire", status=Event.Status.DRAFT)
    EventFactory(conflict=conflict, title="Ceasefire")

    assert titles(conflict, q="ceasefire", kind=["ceasefire"]) == ["Ceasefire"]


def test_search_finds_words_in_title_summary_and_cited_source_titles(conflict):
    EventFactory(conflict=conflict, title="Ceasefire takes effect")
    EventFactory(conflict=conflict, title="Talks", summary="Envoys met in Yevlakh.")
    cited = EventFactory(conflict=conflict, title="Casualties")
    CitationFactory(event=cited, source=SourceFactory(title="Shelling of Stepanakert reported"))
    EventFactory(conflict=conflict, title="Unrelated")

    assert titles(conflict, q="ceasefire") == ["Ceasefire takes effect"]
    assert titles(conflict, q="yevlakh") == ["Talks"]
    assert titles(conflict, q="Stepanakert") == ["Casualties"]


def test_search_lists_an_event_once_however_many_sources_match(conflict, client):
    event = EventFactory(conflict=conflict, title="Casualties")
    for n in range(3):
        CitationFactory(event=event, source=SourceFactory(title=f"Shelling report {n}"))

    assert titles(conflict, q="shelling") == ["Casualties"]
    assert page(client, conflict, "?q=shelling").count(">Casualties</a>") == 1


@on_postgresql
def test_on_postgresql_search_is_ranked_and_stems_words(conflict):
    EventFactory(conflict=conflict, title="Talks", summary="The ceasefire holds.")
    EventFactory(conflict=conflict, title="Ceasefire agreed", summary="A ceasefire was agreed.")
    events = Event.objects.published().in_conflict(conflict)

    ranked = EventFilter({"q": "ceasefires"}, events, conflict=conflict).qs.order_by("-rank")

    assert [event.title for event in ranked] == ["Ceasefire agreed", "Talks"]


@on_postgresql
def test_the_best_match_order_puts_title_matches_first(conflict, client):
    EventFactory(
        conflict=conflict,
        title="Talks",
        summary="Ceasefire mentioned.",
        starts_at=datetime(2023, 9, 19, tzinfo=UTC),
    )
    EventFactory(
        conflict=conflict, title="Ceasefire holds", starts_at=datetime(2023, 9, 21, tzinfo=UTC)
    )

    html = page(client, conflict, "?q=ceasefire&order=relevance")

    assert html.index("Ceasefire holds") < html.index(">Talks<")
    assert '<span aria-current="true">Best match first</span>' in html


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the SQLite fallback")
def test_on_sqlite_search_matches_substrings_in_any_case(conflict):
    EventFactory(conflict=conflict, title="Ceasefire takes effect")

    assert titles(conflict, q="CEASEF") == ["Ceasefire takes effect"]


@pytest.mark.parametrize(
    "query",
    [
        "?kind=massacre",
        "?actor=abc",
        "?actor=999999",
        "?place=-1",
        "?date_from=yesterday",
        "?date_to=2023-02-30",
        "?date_from=0001-01-01",
        "?date_to=9999-12-31",
        "?q=" + "x" * 500,
        "?q=%00",
        "?q=%22unterminated&order=relevance&page=99999999999999999999",
        "?disputed=maybe&has_figures=2&key=",
        "?q=!!!%20%26%20|",
    ],
)
def test_bad_parameters_never_cause_an_error(conflict, client, query):
    EventFactory(conflict=conflict, title="Ceasefire")

    html = page(client, conflict, query)  # asserts 200

    assert "<h1>" in html


def test_a_bad_parameter_is_named_in_a_field_error_and_the_rest_still_applies(conflict, client):
    EventFactory(conflict=conflict, title="Truce", kind=Event.Kind.CEASEFIRE)
    EventFactory(conflict=conflict, title="Shelling", kind=Event.Kind.STRIKE)

    html = page(client, conflict, "?kind=strike&date_from=yesterday")

    assert "Enter a valid date." in html
    assert "Shelling" in html
    assert "Truce" not in html


def test_the_filter_state_lives_in_the_url_and_the_form_shows_it(conflict, client):
    azerbaijan = ActorFactory(name="Azerbaijan")
    ParticipantFactory(event=EventFactory(conflict=conflict, title="Operation"), actor=azerbaijan)

    html = page(client, conflict, f"?actor={azerbaijan.pk}&kind=ceasefire&date_from=2023-09-19")

    assert f'<option value="{azerbaijan.pk}" selected>Azerbaijan</option>' in html
    assert 'value="ceasefire"' in html and "checked" in html
    assert 'value="2023-09-19"' in html
    assert '<details class="filters" open>' in html


def test_the_actor_choices_are_those_in_the_conflict(conflict, client):
    ParticipantFactory(event=EventFactory(conflict=conflict), actor=ActorFactory(name="Insider"))
    other_war = ConflictFactory(slug="other-war", name="Other war")
    ParticipantFactory(event=EventFactory(conflict=other_war), actor=ActorFactory(name="Outsider"))

    html = page(client, conflict)

    assert ">Insider</option>" in html
    assert "Outsider" not in html


@pytest.mark.parametrize("status", [Event.Status.DRAFT, Event.Status.IN_REVIEW])
def test_the_choices_leave_out_actors_and_places_only_unpublished_events_name(
    conflict, client, status
):
    unpublished = EventFactory(conflict=conflict, status=status, place=PlaceFactory(name="Hamlet"))
    ParticipantFactory(event=unpublished, actor=ActorFactory(name="Witness"))
    ClaimFactory(event=unpublished, claimant=ActorFactory(name="Claimant"))
    EventFactory(conflict=conflict)

    html = page(client, conflict)

    assert "Witness" not in html
    assert "Claimant" not in html
    assert "Hamlet" not in html


def test_an_actor_only_unpublished_events_name_is_not_a_valid_filter(conflict):
    witness = ActorFactory(name="Witness")
    ParticipantFactory(event=EventFactory(conflict=conflict, status="draft"), actor=witness)
    filters = EventFilter({"actor": witness.pk}, Event.objects.published(), conflict=conflict)
    assert "actor" in filters.errors


def test_each_conflicts_filters_accept_its_own_actors_though_they_share_one_form_class(conflict):
    insider = ActorFactory(name="Insider")
    ParticipantFactory(event=EventFactory(conflict=conflict), actor=insider)
    other_war = ConflictFactory(slug="other-war")
    outsider = ActorFactory(name="Outsider")
    ParticipantFactory(event=EventFactory(conflict=other_war), actor=outsider)

    def errors(conflict, actor):
        filters = EventFilter({"actor": actor.pk}, Event.objects.published(), conflict=conflict)
        return "actor" in filters.errors

    assert not errors(conflict, insider)
    assert errors(other_war, insider)
    assert not errors(other_war, outsider)
    assert errors(conflict, outsider)
    assert (
        EventFilter({}, conflict=conflict).get_form_class()
        is EventFilter({}, conflict=other_war).get_form_class()
    )


def test_the_timeline_takes_its_own_actor_and_refuses_another_conflicts(conflict, client):
    insider = ActorFactory(name="Insider")
    ParticipantFactory(event=EventFactory(conflict=conflict, title="Talks"), actor=insider)
    EventFactory(conflict=conflict, title="Shelling")
    outsider = ActorFactory(name="Outsider")
    ParticipantFactory(
        event=EventFactory(conflict=ConflictFactory(slug="other-war")), actor=outsider
    )

    chosen = page(client, conflict, f"?actor={insider.pk}")
    refused = page(client, conflict, f"?actor={outsider.pk}")

    assert "Talks" in chosen
    assert "Shelling" not in chosen
    assert "Select a valid choice." in refused
    assert "Shelling" in refused


def test_no_match_says_so_and_offers_the_whole_timeline(conflict, client):
    EventFactory(conflict=conflict, title="Truce")

    html = page(client, conflict, "?q=nothingmatches")

    assert "No published event matches these filters." in html
    assert "Truce" not in html


def test_filters_work_across_conflicts_by_slug_without_a_timeline():
    ours = ConflictFactory()
    EventFactory(conflict=ours, title="Ours")
    EventFactory(conflict=ConflictFactory(slug="other-war", name="Other"), title="Theirs")

    filters = EventFilter({"conflict": "other-war"}, Event.objects.published())

    assert [event.title for event in filters.qs] == ["Theirs"]


def test_without_a_conflict_dates_are_read_in_utc():
    EventFactory(title="Night", starts_at=datetime(2023, 9, 19, 21, tzinfo=UTC))

    filters = EventFilter({"date_from": "2023-09-20"}, Event.objects.published())

    assert list(filters.qs) == []
    assert filters.local_midnight(date(2023, 9, 20)) == datetime(2023, 9, 20, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("true", ["Disputed"]), ("1", ["Disputed"]), ("on", ["Disputed"]), ("TRUE", ["Disputed"])]
    + [("false", ["Agreed"]), ("0", ["Agreed"]), ("False", ["Agreed"])]
    + [("", ["Agreed", "Disputed"])],
)
def test_yes_no_filters_read_true_or_false_and_empty_as_either(conflict, value, expected):
    disputed = EventFactory(conflict=conflict, title="Disputed")
    ClaimFactory(event=disputed, best=32)
    ClaimFactory(event=disputed, best=100)
    EventFactory(conflict=conflict, title="Agreed")

    assert titles(conflict, disputed=value) == expected


@pytest.mark.parametrize("name", ["disputed", "has_figures", "key"])
@pytest.mark.parametrize("value", ["maybe", "yes", "2", "truefalse"])
def test_a_yes_no_filter_refuses_a_value_it_cannot_read(conflict, name, value):
    filters = EventFilter({name: value}, Event.objects.all(), conflict=conflict)

    assert not filters.is_valid()
    assert filters.errors[name] == ["Enter true or false."]


def test_the_timeline_names_an_unreadable_yes_no_value_beside_its_field(conflict, client):
    EventFactory(conflict=conflict, title="Shelling", is_key=True)
    EventFactory(conflict=conflict, title="Detail")

    html = page(client, conflict, "?disputed=maybe&key=true")

    field = html[html.index('class="field field-disputed"') :]
    field = field[: field.index("</p>")]
    assert "Enter true or false." in field
    assert "Shelling" in html and "Detail" not in html


def test_the_form_shows_a_no_chosen_in_the_url(conflict, client):
    html = page(client, conflict, "?disputed=false")

    assert '<option value="false" selected>undisputed only</option>' in html
