"""events-ucdp.csv: one row per event in the UCDP GED layout, its deaths by
side derived from the claims by the rule in timeline/ucdp.py."""

import csv
import io
from datetime import UTC, date, datetime, timedelta

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse

from tests.factories import (
    ActorFactory,
    ClaimFactory,
    ConflictFactory,
    EventFactory,
    ParticipantFactory,
    PlaceFactory,
)
from tracker.models import Event

pytestmark = pytest.mark.django_db

UCDP_COLUMNS = [
    "id", "relid", "year", "conflict_name", "side_a", "side_b", "source_article",
    "where_prec", "where_description", "adm_1", "country", "latitude", "longitude",
    "date_prec", "date_start", "date_end", "deaths_a", "deaths_b", "deaths_civilians",
    "deaths_unknown", "best", "high", "low",
]  # fmt: skip
DEATHS = ["deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown", "best", "low", "high"]


def ucdp_url(conflict, query=""):
    return reverse("timeline:events_ucdp_csv", args=[conflict.slug]) + query


def ucdp_rows(client, conflict, query=""):
    response = client.get(ucdp_url(conflict, query))
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def deaths(client, event):
    (row,) = ucdp_rows(client, event.conflict)
    return {column: int(row[column]) for column in DEATHS}


@pytest.fixture
def war():
    """An event between two sides, each with an affiliated force."""
    azerbaijan = ActorFactory(name="Azerbaijan", kind="state")
    karabakh = ActorFactory(name="Nagorno-Karabakh authorities")
    event = EventFactory(slug="offensive")
    ParticipantFactory(event=event, actor=azerbaijan, role="initiator")
    ParticipantFactory(event=event, actor=karabakh, role="target")
    return {
        "event": event,
        "azerbaijan": azerbaijan,
        "karabakh": karabakh,
        "azerbaijani forces": ActorFactory(name="Azerbaijani armed forces", affiliation=azerbaijan),
        "defence army": ActorFactory(name="Defence army", affiliation=karabakh),
        "population": ActorFactory(name="Armenian population of Karabakh", affiliation=karabakh),
    }


# The layout


def test_it_loads_with_pythons_csv_module_with_the_ucdp_ged_columns(client):
    event = EventFactory()
    response = client.get(ucdp_url(event.conflict))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    rows = list(reader)
    assert reader.fieldnames == UCDP_COLUMNS
    assert [row["id"] for row in rows] == [str(event.pk)]
    assert response["Content-Disposition"] == (
        'attachment; filename="nagorno-karabakh-events-ucdp.csv"'
    )


def test_a_row_gives_the_event_where_and_when_in_ucdp_terms(client, war):
    event = war["event"]
    event.place = PlaceFactory(
        name="Stepanakert",
        country_code="AZ",
        admin_region="Karabakh Economic Region",
        latitude="39.81500",
        longitude="46.75200",
        location_precision="near",
    )
    # Local midnight of 19 September in Baku: the 18th in UTC.
    event.starts_at = datetime(2023, 9, 18, 20, 0, tzinfo=UTC)
    event.ends_at = datetime(2023, 9, 19, 20, 0, tzinfo=UTC)
    event.precision = "day"
    event.save()
    (row,) = ucdp_rows(client, event.conflict)
    assert {column: row[column] for column in UCDP_COLUMNS[:16]} == {
        "id": str(event.pk),
        "relid": "offensive",
        "year": "2023",
        "conflict_name": "Nagorno-Karabakh conflict",
        "side_a": "Azerbaijan",
        "side_b": "Nagorno-Karabakh authorities",
        "source_article": "http://testserver/conflicts/nagorno-karabakh/events/offensive/",
        "where_prec": "2",
        "where_description": "Stepanakert",
        "adm_1": "Karabakh Economic Region",
        "country": "Azerbaijan",
        "latitude": "39.81500",
        "longitude": "46.75200",
        "date_prec": "1",
        "date_start": "2023-09-19",
        "date_end": "2023-09-20",
    }


@pytest.mark.parametrize(
    ("precision", "date_prec", "date_start", "date_end"),
    [
        ("minute", "1", "2020-09-27", "2020-09-27"),
        ("hour", "1", "2020-09-27", "2020-09-27"),
        ("day", "1", "2020-09-27", "2020-09-27"),
        ("month", "4", "2020-09-01", "2020-09-30"),
        ("year", "5", "2020-01-01", "2020-12-31"),
    ],
)
def test_dates_and_their_precision_follow_ucdps_codes(
    client, precision, date_prec, date_start, date_end
):
    event = EventFactory(starts_at=datetime(2020, 9, 27, 3, 10, tzinfo=UTC), precision=precision)
    (row,) = ucdp_rows(client, event.conflict)
    assert (row["date_prec"], row["date_start"], row["date_end"]) == (
        date_prec,
        date_start,
        date_end,
    )
    assert row["year"] == "2020"


@pytest.mark.parametrize(
    ("location_precision", "where_prec"),
    [
        ("exact", "1"),
        ("near", "2"),
        ("district", "3"),
        ("province", "4"),
        ("region", "5"),
        ("country", "6"),
        ("sea", "7"),
    ],
)
def test_location_precision_maps_onto_ucdps_where_prec(client, location_precision, where_prec):
    event = EventFactory(place=PlaceFactory(location_precision=location_precision))
    (row,) = ucdp_rows(client, event.conflict)
    assert row["where_prec"] == where_prec


def test_an_event_without_a_place_leaves_the_location_empty(client):
    event = EventFactory(place=None)
    (row,) = ucdp_rows(client, event.conflict)
    assert [row[column] for column in ("where_prec", "country", "latitude")] == ["", "", ""]


# Sides


def sides(client, event):
    (row,) = ucdp_rows(client, event.conflict)
    return row["side_a"], row["side_b"]


def test_without_initiator_and_target_the_sides_are_the_parties_by_name(client):
    event = EventFactory()
    for name in ("Russia", "Armenia", "Azerbaijan"):
        ParticipantFactory(event=event, actor=ActorFactory(name=name), role="party")
    assert sides(client, event) == ("Armenia", "Azerbaijan")


def test_the_initiator_is_side_a_and_the_next_party_side_b(client):
    event = EventFactory()
    ParticipantFactory(event=event, actor=ActorFactory(name="Azerbaijan"), role="initiator")
    ParticipantFactory(event=event, actor=ActorFactory(name="Armenia"), role="party")
    assert sides(client, event) == ("Azerbaijan", "Armenia")


def test_mediators_and_observers_are_never_sides(client):
    event = EventFactory()
    ParticipantFactory(event=event, actor=ActorFactory(name="Armenia"), role="target")
    ParticipantFactory(event=event, actor=ActorFactory(name="Russia"), role="mediator")
    ParticipantFactory(event=event, actor=ActorFactory(name="OSCE"), role="observer")
    assert sides(client, event) == ("", "Armenia")


# Deaths


def killed(event, best, **fields):
    return ClaimFactory(event=event, metric="killed", best=best, **fields)


def test_an_event_without_claims_of_the_killed_has_no_deaths(client, war):
    ClaimFactory(event=war["event"], metric="injured", best=200)
    assert set(deaths(client, war["event"]).values()) == {0}


def test_claims_on_civilians_are_civilian_deaths(client, war):
    killed(war["event"], 32, population="civilians", party=war["population"])
    assert deaths(client, war["event"]) == {
        "deaths_a": 0, "deaths_b": 0, "deaths_civilians": 32, "deaths_unknown": 0,
        "best": 32, "low": 32, "high": 32,
    }  # fmt: skip


def test_children_count_as_civilians_when_the_event_has_no_claim_on_civilians(client, war):
    killed(war["event"], 5, population="children")
    assert deaths(client, war["event"])["deaths_civilians"] == 5


def test_children_are_among_the_civilians_when_there_is_a_claim_on_civilians(client, war):
    killed(war["event"], 5, population="children")
    killed(war["event"], 32, population="civilians")
    counted = deaths(client, war["event"])
    assert (counted["deaths_civilians"], counted["deaths_unknown"], counted["best"]) == (32, 0, 32)


def test_combatants_of_each_side_or_its_affiliates_are_that_sides_deaths(client, war):
    killed(war["event"], 192, population="combatants", party=war["azerbaijani forces"])
    killed(war["event"], 200, population="combatants", party=war["defence army"])
    killed(war["event"], 3, population="combatants", party=war["karabakh"])
    counted = deaths(client, war["event"])
    assert (counted["deaths_a"], counted["deaths_b"]) == (192, 3)


def test_two_ministries_own_dead_go_to_two_sides_not_one_cell(client, war):
    killed(war["event"], 192, population="combatants", party=war["azerbaijani forces"])
    killed(war["event"], 200, population="combatants", party=war["defence army"])
    counted = deaths(client, war["event"])
    assert (counted["deaths_a"], counted["deaths_b"], counted["best"]) == (192, 200, 392)


def test_combatants_of_no_side_are_unknown_deaths(client, war):
    killed(war["event"], 7, population="combatants")
    killed(war["event"], 4, population="combatants", party=ActorFactory(name="Mercenaries"))
    counted = deaths(client, war["event"])
    assert counted["deaths_unknown"] == 4  # the lowest of two claims on one cell
    assert (counted["low"], counted["high"]) == (4, 7)


def test_a_cell_without_an_assessment_is_its_lowest_figure_and_spans_its_claims(client, war):
    killed(war["event"], 32, population="civilians")
    killed(war["event"], 100, population="civilians", qualifier="about")
    killed(war["event"], 200, population="civilians", qualifier="more_than")
    counted = deaths(client, war["event"])
    # the lowest figure 32, the lowest lower bound 32, and the highest upper
    # bound 201: "more than 200" has none, so counts its lower bound
    assert (counted["deaths_civilians"], counted["low"], counted["high"]) == (32, 32, 201)


def test_the_newsrooms_assessment_is_its_cells_figure(client, war):
    killed(war["event"], 32, population="civilians")
    killed(war["event"], 100, population="civilians", qualifier="about")
    killed(war["event"], 60, population="civilians", claimant=ActorFactory(is_newsroom=True))
    counted = deaths(client, war["event"])
    assert (counted["deaths_civilians"], counted["low"], counted["high"]) == (60, 32, 110)


def test_an_open_ended_figure_is_the_least_it_allows(client, war):
    killed(war["event"], 200, population="civilians", qualifier="more_than")
    counted = deaths(client, war["event"])
    assert (counted["best"], counted["low"], counted["high"]) == (201, 201, 201)


def test_people_not_specified_join_the_cell_whose_claim_counts_the_same(client, war):
    # The demo's dispute: the regional authorities' civilians against
    # "about 100" of the same population.
    killed(war["event"], 32, population="civilians", party=war["population"])
    killed(war["event"], 100, qualifier="about", party=war["population"])
    assert deaths(client, war["event"]) == {
        "deaths_a": 0, "deaths_b": 0, "deaths_civilians": 32, "deaths_unknown": 0,
        "best": 32, "low": 32, "high": 110,
    }  # fmt: skip


def test_people_not_specified_of_another_side_do_not_join(client, war):
    killed(war["event"], 32, population="combatants", party=war["azerbaijani forces"])
    killed(war["event"], 50, party=war["defence army"])
    counted = deaths(client, war["event"])
    assert (counted["deaths_a"], counted["deaths_b"], counted["best"]) == (32, 50, 82)


def test_people_not_specified_with_nothing_to_join_or_side_are_unknown(client, war):
    killed(war["event"], 12)
    assert deaths(client, war["event"])["deaths_unknown"] == 12


def test_a_superseded_figure_counts_no_more(client, war):
    authorities = ActorFactory()
    as_of = datetime(2023, 9, 20, 8, 0, tzinfo=UTC)
    killed(war["event"], 32, population="civilians", claimant=authorities, as_of=as_of)
    killed(
        war["event"],
        40,
        population="civilians",
        claimant=authorities,
        as_of=as_of + timedelta(hours=6),
    )
    counted = deaths(client, war["event"])
    assert (counted["deaths_civilians"], counted["low"], counted["high"]) == (40, 40, 40)


def test_running_totals_are_not_an_events_deaths(client, war):
    killed(
        war["event"],
        412,
        population="combatants",
        party=war["defence army"],
        scope="running_total",
        period_start=date(2023, 9, 19),
    )
    assert deaths(client, war["event"])["best"] == 0


# The download


def test_it_holds_only_published_events_and_follows_the_filters(client):
    conflict = ConflictFactory()
    EventFactory(conflict=conflict, slug="ceasefire")
    EventFactory(conflict=conflict, slug="strike", kind=Event.Kind.STRIKE)
    EventFactory(conflict=conflict, slug="draft", status=Event.Status.DRAFT)
    assert [row["relid"] for row in ucdp_rows(client, conflict)] == ["ceasefire", "strike"]
    assert [row["relid"] for row in ucdp_rows(client, conflict, "?kind=strike")] == ["strike"]


def test_it_refuses_a_filter_it_cannot_read_and_an_unknown_conflict(client):
    conflict = ConflictFactory()
    assert client.get(ucdp_url(conflict, "?date_from=yesterday")).status_code == 400
    assert client.get("/conflicts/nowhere/events-ucdp.csv").status_code == 404


def test_it_offers_an_hxl_row(client):
    event = EventFactory()
    response = client.get(ucdp_url(event.conflict, "?hxl=1"))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    header, hashtags, _row = csv.reader(io.StringIO(text))
    tags = dict(zip(header, hashtags, strict=True))
    assert (tags["best"], tags["side_a"], tags["date_start"]) == (
        "#affected+killed",
        "#group+name+first",
        "#date+start",
    )


def test_the_timeline_links_to_it_with_its_filters(client):
    conflict = ConflictFactory()
    html = client.get(conflict.get_absolute_url() + "?kind=ceasefire").content.decode()
    assert 'href="/conflicts/nagorno-karabakh/events-ucdp.csv?kind=ceasefire"' in html


@pytest.mark.parametrize("event_count", [1, 10])
def test_its_query_count_does_not_grow_with_events(client, django_assert_num_queries, event_count):
    conflict = ConflictFactory()
    for n in range(event_count):
        event = EventFactory(
            conflict=conflict,
            place=PlaceFactory(),
            starts_at=datetime(2023, 9, 1, tzinfo=UTC) + timedelta(days=n),
        )
        side = ActorFactory(affiliation=ActorFactory())
        ParticipantFactory(event=event, actor=side, role="initiator")
        ParticipantFactory(event=event, role="target")
        killed(event, 32, population="civilians")
        killed(event, 100, qualifier="about", claimant=ActorFactory(is_newsroom=n == 0))
        killed(event, 12, population="combatants", party=side)
    # conflict; events with conflict and place; their participants with
    # actors; their claims of the killed with claimants and parties
    with django_assert_num_queries(4):
        rows = ucdp_rows(client, conflict)
    assert len(rows) == event_count
