import csv
import io
import re
import zoneinfo
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import jsonschema
import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    ActorFactory,
    ClaimFactory,
    ConflictFactory,
    CorrectionFactory,
    EventFactory,
    MediaItemFactory,
    ParticipantFactory,
    PhaseFactory,
    PlaceFactory,
    SourceFactory,
)
from tracker.models import Event

BAKU = zoneinfo.ZoneInfo("Asia/Baku")

pytestmark = pytest.mark.django_db

CSV_DOWNLOADS = ["events_csv", "claims_csv"]
DOWNLOADS = [*CSV_DOWNLOADS, "timelinejs"]


def download_url(name, conflict, query=""):
    return reverse(f"timeline:{name}", args=[conflict.slug]) + query


def read_csv(response):
    """The rows of a streamed CSV download, as dicts by column name."""
    assert isinstance(response, StreamingHttpResponse)
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff"), "the byte order mark that tells Excel it is UTF-8"
    return list(csv.DictReader(io.StringIO(text[1:])))


def get_csv(client, name, conflict, query=""):
    response = client.get(download_url(name, conflict, query))
    assert response.status_code == 200
    return read_csv(response)


def timelinejs(client, conflict, query=""):
    response = client.get(download_url("timelinejs", conflict, query))
    assert response.status_code == 200
    return response.json()


# The TimelineJS3 JSON format, https://timeline.knightlab.com/docs/json-format.html
TL_DATE = {
    "type": "object",
    "properties": {
        "year": {"type": "integer"},
        "month": {"type": "integer", "minimum": 1, "maximum": 12},
        "day": {"type": "integer", "minimum": 1, "maximum": 31},
        "hour": {"type": "integer", "minimum": 0, "maximum": 23},
        "minute": {"type": "integer", "minimum": 0, "maximum": 59},
        "second": {"type": "integer"},
        "millisecond": {"type": "integer"},
        "display_date": {"type": "string"},
    },
    "required": ["year"],
    "additionalProperties": False,
    # A part is only given with the coarser parts it belongs to.
    "dependentRequired": {"month": ["year"], "day": ["month"], "hour": ["day"], "minute": ["hour"]},
}
TL_TEXT = {
    "type": "object",
    "properties": {"headline": {"type": "string"}, "text": {"type": "string"}},
    "additionalProperties": False,
}
# TimelineJS's media object, as this site fills it.
TL_MEDIA = {
    "type": "object",
    "properties": {
        "url": {"type": "string", "format": "uri"},
        "thumbnail": {"type": "string", "format": "uri"},
        "caption": {"type": "string"},
        "credit": {"type": "string"},
        "alt": {"type": "string"},
    },
    "required": ["url", "credit", "alt"],
    "additionalProperties": False,
}
TIMELINEJS_SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {
        "title": {
            "type": "object",
            "properties": {"text": TL_TEXT},
            "required": ["text"],
            "additionalProperties": False,
        },
        "events": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "start_date": TL_DATE,
                    "end_date": TL_DATE,
                    "text": TL_TEXT,
                    "group": {"type": "string"},
                    "display_date": {"type": "string"},
                    "unique_id": {"type": "string"},
                    "autolink": {"type": "boolean"},
                    "media": TL_MEDIA,
                },
                "required": ["start_date", "text", "unique_id"],
                "additionalProperties": False,
            },
        },
        "eras": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"start_date": TL_DATE, "end_date": TL_DATE, "text": TL_TEXT},
                "required": ["start_date", "end_date"],
                "additionalProperties": False,
            },
        },
        "scale": {"enum": ["human", "cosmological"]},
    },
    "required": ["events"],
    "additionalProperties": False,
}


# events.csv


def test_events_csv_has_a_header_and_a_row_per_published_event(client):
    conflict = ConflictFactory()
    EventFactory(conflict=conflict, title="First", starts_at=datetime(2023, 9, 19, tzinfo=UTC))
    EventFactory(conflict=conflict, title="Second", starts_at=datetime(2023, 9, 20, tzinfo=UTC))
    response = client.get(download_url("events_csv", conflict))
    rows = read_csv(response)
    assert list(rows[0]) == [
        "id",
        "slug",
        "permalink",
        "kind",
        "title",
        "summary",
        "starts_at",
        "ends_at",
        "precision",
        "local_time",
        "place",
        "latitude",
        "longitude",
        "is_key",
        "disputed",
        "first_published",
        "last_updated",
        "conflict",
        "start_date",
        "end_date",
        "participants",
        "country_code",
        "admin_region",
        "location_precision",
    ]
    assert [row["title"] for row in rows] == ["First", "Second"]


def test_an_events_row_says_what_the_timeline_says(client):
    place = PlaceFactory(
        name="Stepanakert",
        latitude="39.81500",
        longitude="46.75200",
        admin_region="Karabakh Economic Region",
        location_precision="near",
    )
    event = EventFactory(
        slug="ceasefire-takes-effect",
        kind=Event.Kind.CEASEFIRE,
        summary="Azerbaijan **said** it would stop.",
        starts_at=datetime(2023, 9, 20, 9, 0, tzinfo=UTC),
        ends_at=datetime(2023, 9, 20, 11, 30, tzinfo=UTC),
        precision="minute",
        place=place,
        is_key=True,
    )
    ClaimFactory(event=event, best=32)
    ClaimFactory(event=event, best=100, qualifier="about")
    ParticipantFactory(event=event, actor=ActorFactory(name="Azerbaijan"), role="initiator")
    ParticipantFactory(event=event, actor=ActorFactory(name="Russia"), role="observer")
    Event.objects.filter(pk=event.pk).update(
        published_at=datetime(2023, 9, 20, 10, 0, tzinfo=UTC),
        updated_at=datetime(2023, 9, 21, 8, 0, tzinfo=UTC),
    )
    (row,) = get_csv(client, "events_csv", event.conflict)
    assert row == {
        "id": str(event.pk),
        "slug": "ceasefire-takes-effect",
        "permalink": "http://testserver/conflicts/nagorno-karabakh/events/ceasefire-takes-effect/",
        "kind": "ceasefire",
        "title": event.title,
        "summary": "Azerbaijan **said** it would stop.",
        "starts_at": "2023-09-20T09:00:00Z",
        "ends_at": "2023-09-20T11:30:00Z",
        "precision": "minute",
        "local_time": "20 September 2023, 13:00–15:30 UTC+4",
        "place": "Stepanakert, AZ",
        "latitude": "39.81500",
        "longitude": "46.75200",
        "is_key": "yes",
        "disputed": "yes",
        "first_published": "2023-09-20T10:00:00Z",
        "last_updated": "2023-09-21T08:00:00Z",
        "conflict": "nagorno-karabakh",
        "start_date": "2023-09-20T13:00:00+04:00",
        "end_date": "2023-09-20T15:30:00+04:00",
        "participants": "Azerbaijan (initiator); Russia (observer)",
        "country_code": "AZ",
        "admin_region": "Karabakh Economic Region",
        "location_precision": "near",
    }


def test_an_undisputed_event_without_place_or_end_leaves_those_cells_empty(client):
    event = EventFactory(precision="day")
    ClaimFactory(event=event, best=32)
    (row,) = get_csv(client, "events_csv", event.conflict)
    assert row["disputed"] == "no"
    assert row["is_key"] == "no"
    assert row["local_time"] == "20 September 2023"
    assert (row["ends_at"], row["place"], row["latitude"], row["longitude"]) == ("", "", "", "")
    assert (row["end_date"], row["participants"]) == ("", "")
    assert (row["country_code"], row["admin_region"], row["location_precision"]) == ("", "", "")


@pytest.mark.parametrize(
    ("precision", "start_date", "end_date"),
    [
        ("year", "2020", "2021"),
        ("month", "2020-09", "2020-10"),
        ("day", "2020-09-27", "2020-10-02"),
        ("hour", "2020-09-27T06:00:00+04:00", "2020-10-02T06:00:00+04:00"),
    ],
)
def test_events_csv_gives_the_local_start_and_end_dates_at_the_events_precision(
    client, precision, start_date, end_date
):
    # 02:00 UTC on 27 September is 06:00 in Baku; the UTC evening of the 1st
    # of October is already the 2nd there.
    event = EventFactory(
        starts_at=datetime(2020, 9, 27, 2, 0, tzinfo=UTC),
        ends_at=datetime(2021, 10, 1, 22, 0, tzinfo=UTC)
        if precision == "year"
        else datetime(2020, 10, 2, 2, 0, tzinfo=UTC),
        precision=precision,
    )
    (row,) = get_csv(client, "events_csv", event.conflict)
    assert (row["start_date"], row["end_date"]) == (start_date, end_date)


def test_a_day_precision_event_is_on_its_local_day_though_stored_on_the_utc_day_before(client):
    event = EventFactory(starts_at=datetime(2023, 9, 27, 0, 0, tzinfo=BAKU), precision="day")
    (row,) = get_csv(client, "events_csv", event.conflict)
    assert row["starts_at"] == "2023-09-26T20:00:00Z"
    assert row["start_date"] == "2023-09-27"


def test_a_correction_moves_an_events_last_updated_time(client):
    event = EventFactory()
    CorrectionFactory(event=event, published_at=timezone.now() + timedelta(days=1))
    (row,) = get_csv(client, "events_csv", event.conflict)
    assert row["last_updated"] > row["first_published"]
    assert row["last_updated"].startswith(str((timezone.now() + timedelta(days=1)).date()))


# claims.csv


def test_claims_csv_has_a_row_per_claim_of_a_published_event(client):
    event = EventFactory(slug="casualties")
    source = SourceFactory(
        title="Regional authorities' statement",
        publisher="Newswire",
        url="https://news.example.org/statement",
        archive_url="https://archive.example.org/statement",
    )
    claim = ClaimFactory(
        event=event,
        claimant=ActorFactory(name="Regional authorities", kind="government_body"),
        source=source,
        metric="killed",
        population="civilians",
        qualifier="more_than",
        low=30,
        best=32,
        high=40,
        wording="over 32 civilian fatalities",
        as_of=datetime(2023, 9, 19, 20, 0, tzinfo=UTC),
        grade="single_source",
        note="Not for the public.",
    )
    rows = get_csv(client, "claims_csv", event.conflict)
    assert rows == [
        {
            "event_slug": "casualties",
            "event_permalink": "http://testserver/conflicts/nagorno-karabakh/events/casualties/",
            "claimant": "Regional authorities",
            "claimant_kind": "government_body",
            "metric": "killed",
            "population": "civilians",
            "qualifier": "more_than",
            "low": "30",
            "best": "32",
            "high": "40",
            "wording": "over 32 civilian fatalities",
            "as_of": "2023-09-19T20:00:00Z",
            "grade": "single_source",
            "source_title": "Regional authorities' statement",
            "source_publisher": "Newswire",
            "source_url": "https://news.example.org/statement",
            "archive_url": "https://archive.example.org/statement",
            "note": "",
            "claim_id": str(claim.pk),
            "event_id": str(event.pk),
            "party": "",
            "scope": "incident",
            "period_start": "",
        }
    ]


def test_claims_csv_says_whose_people_a_claim_counts_and_since_when(client):
    claim = ClaimFactory(
        party=ActorFactory(name="Armenian armed forces"),
        population="combatants",
        scope="running_total",
        period_start=date(2023, 9, 27),
        best=412,
    )
    (row,) = get_csv(client, "claims_csv", claim.event.conflict)
    assert (row["party"], row["scope"], row["period_start"]) == (
        "Armenian armed forces",
        "running_total",
        "2023-09-27",
    )


def test_claims_csv_gives_the_method_of_the_newsrooms_own_assessment(client):
    claim = ClaimFactory(
        claimant=ActorFactory(is_newsroom=True), note="Counted from hospital lists."
    )
    (row,) = get_csv(client, "claims_csv", claim.event.conflict)
    assert row["note"] == "Counted from hospital lists."


def test_claims_csv_lists_claims_in_the_order_of_their_events(client):
    conflict = ConflictFactory()
    on_19th, on_21st = datetime(2023, 9, 19, tzinfo=UTC), datetime(2023, 9, 21, tzinfo=UTC)
    later = EventFactory(conflict=conflict, slug="later", starts_at=on_21st)
    earlier = EventFactory(conflict=conflict, slug="earlier", starts_at=on_19th)
    ClaimFactory(event=later)
    ClaimFactory(event=earlier)
    ClaimFactory(event=earlier, metric="injured")
    rows = get_csv(client, "claims_csv", conflict)
    assert [row["event_slug"] for row in rows] == ["earlier", "earlier", "later"]


# Both CSV files


@pytest.mark.parametrize("name", CSV_DOWNLOADS)
def test_csv_downloads_are_streamed_attachments_named_after_the_conflict(client, name):
    conflict = ConflictFactory(slug="karabakh-2023")
    ClaimFactory(event=EventFactory(conflict=conflict))
    response = client.get(download_url(name, conflict))
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    filename = {"events_csv": "karabakh-2023-events.csv", "claims_csv": "karabakh-2023-claims.csv"}
    assert response["Content-Disposition"] == f'attachment; filename="{filename[name]}"'


DANGEROUS = ['=HYPERLINK("https://evil.example","go")', "-2+3", "@SUM(A1:A2)", "+1", "\tx", "\rx"]
# Spreadsheets skip white space before a formula.
DANGEROUS += [" =1+1", "   @SUM(A1:A2)", "\u00a0-2+3", "\n+1"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_events_csv_neutralises_cells_a_spreadsheet_would_run(client, text):
    event = EventFactory(title=text, summary=text)
    (row,) = get_csv(client, "events_csv", event.conflict)
    assert row["title"] == "'" + text
    assert row["summary"] == "'" + text


@pytest.mark.parametrize("text", DANGEROUS)
def test_claims_csv_neutralises_cells_a_spreadsheet_would_run(client, text):
    claim = ClaimFactory(wording=text, claimant=ActorFactory(name=text), source__title=text)
    (row,) = get_csv(client, "claims_csv", claim.event.conflict)
    assert row["wording"] == "'" + text
    assert row["claimant"] == "'" + text
    assert row["source_title"] == "'" + text


def test_plain_text_and_numbers_are_left_as_they_are(client):
    place = PlaceFactory(name="Off the coast", latitude="-33.50000", longitude="-58.25000")
    event = EventFactory(title="Talks - day two = no deal", place=place)
    (row,) = get_csv(client, "events_csv", event.conflict)
    assert row["title"] == "Talks - day two = no deal"
    # Coordinates go out as numbers: a minus sign there is a number's.
    assert (row["latitude"], row["longitude"]) == ("-33.50000", "-58.25000")


@pytest.mark.parametrize("name", CSV_DOWNLOADS)
def test_non_latin_text_survives_the_round_trip(client, name):
    title = "Ստեփանակերտ · Xankəndi · Степанакерт"
    event = EventFactory(title=title, slug="stepanakert")
    ClaimFactory(event=event, wording=title, claimant=ActorFactory(name="Արցախի իշխանություններ"))
    (row,) = get_csv(client, name, event.conflict)
    if name == "events_csv":
        assert row["title"] == title
    else:
        assert row["wording"] == title
        assert row["claimant"] == "Արցախի իշխանություններ"


# All three downloads


def add_events_of_every_status(conflict):
    for title, status in [
        ("Published event", Event.Status.PUBLISHED),
        ("Draft event", Event.Status.DRAFT),
        ("Reviewed event", Event.Status.IN_REVIEW),
    ]:
        ClaimFactory(event=EventFactory(conflict=conflict, title=title, status=status))
    retracted = EventFactory(conflict=conflict, title="Retracted event")
    ClaimFactory(event=retracted)
    retracted.retract(reason="It did not happen.")


def test_csv_downloads_hold_only_published_events(client):
    conflict = ConflictFactory()
    add_events_of_every_status(conflict)
    published = Event.objects.get(title="Published event")
    events = get_csv(client, "events_csv", conflict)
    claims = get_csv(client, "claims_csv", conflict)
    assert [row["title"] for row in events] == ["Published event"]
    assert [row["event_slug"] for row in claims] == [published.slug]


def test_the_timelinejs_document_holds_only_published_events(client):
    conflict = ConflictFactory()
    add_events_of_every_status(conflict)
    document = timelinejs(client, conflict)
    assert [slide["text"]["headline"] for slide in document["events"]] == ["Published event"]


def test_the_timelinejs_document_is_bounded_and_says_how_to_narrow_it(client, monkeypatch):
    from timeline import downloads

    monkeypatch.setattr(downloads, "TIMELINEJS_MOST_EVENTS", 2)
    conflict = ConflictFactory()
    for day in (19, 20, 21):
        EventFactory(
            conflict=conflict, title=f"Day {day}", starts_at=datetime(2023, 9, day, tzinfo=UTC)
        )

    document = timelinejs(client, conflict)

    assert [slide["text"]["headline"] for slide in document["events"]] == ["Day 19", "Day 20"]
    assert "holds the first 2 events that match" in document["title"]["text"]["text"]


def test_downloads_hold_only_the_conflicts_own_events(client):
    conflict = ConflictFactory()
    EventFactory(conflict=conflict, title="Here")
    ClaimFactory(event__conflict=ConflictFactory(slug="elsewhere"), event__title="Elsewhere")
    assert [row["title"] for row in get_csv(client, "events_csv", conflict)] == ["Here"]
    assert get_csv(client, "claims_csv", conflict) == []


def add_a_ceasefire_and_a_strike(conflict):
    ceasefire = EventFactory(conflict=conflict, slug="ceasefire", title="A ceasefire")
    ClaimFactory(event=ceasefire, metric="injured")
    strike = EventFactory(conflict=conflict, slug="strike", kind=Event.Kind.STRIKE)
    ClaimFactory(event=strike)


def test_downloads_follow_the_timeline_filters(client):
    conflict = ConflictFactory()
    add_a_ceasefire_and_a_strike(conflict)
    query = "?kind=ceasefire"
    events = get_csv(client, "events_csv", conflict, query)
    claims = get_csv(client, "claims_csv", conflict, query)
    slides = timelinejs(client, conflict, query)["events"]
    assert [row["slug"] for row in events] == ["ceasefire"]
    assert [(row["event_slug"], row["metric"]) for row in claims] == [("ceasefire", "injured")]
    assert [slide["unique_id"] for slide in slides] == ["ceasefire"]


def test_downloads_follow_a_search(client):
    conflict = ConflictFactory()
    add_a_ceasefire_and_a_strike(conflict)
    assert [row["slug"] for row in get_csv(client, "events_csv", conflict, "?q=ceasefire")] == [
        "ceasefire"
    ]


@pytest.mark.parametrize("query", ["?date_from=yesterday", "?disputed=maybe", "?has_figures=2"])
@pytest.mark.parametrize("name", DOWNLOADS)
def test_a_filter_a_download_cannot_read_is_refused_not_ignored(client, name, query):
    conflict = ConflictFactory()
    EventFactory(conflict=conflict)
    assert client.get(download_url(name, conflict, query)).status_code == 400


@pytest.mark.parametrize("name", DOWNLOADS)
def test_downloads_of_an_unknown_conflict_answer_404(client, name):
    assert client.get(f"/conflicts/nowhere/{name.replace('_', '.')}").status_code == 404


@pytest.mark.parametrize("name", DOWNLOADS)
def test_downloads_set_no_cookies(client, name):
    event = EventFactory()
    response = client.get(download_url(name, event.conflict))
    if isinstance(response, StreamingHttpResponse):
        b"".join(response.streaming_content)
    assert response.cookies == {}
    assert "Set-Cookie" not in response.headers


def add_detailed_events(conflict, count):
    for n in range(count):
        event = EventFactory(
            conflict=conflict,
            place=PlaceFactory(),
            starts_at=datetime(2023, 9, 1, tzinfo=UTC) + timedelta(days=n),
        )
        ClaimFactory(event=event)
        ClaimFactory(event=event, best=100, qualifier="about")
        ParticipantFactory(event=event)
        CorrectionFactory(event=event)
        MediaItemFactory(event=event)
    PhaseFactory(conflict=conflict)


@pytest.mark.parametrize("event_count", [1, 10])
@pytest.mark.parametrize(
    ("name", "queries"),
    [
        # conflict; events with conflict and place, whether disputed and
        # their last correction; their participants with actors
        ("events_csv", 3),
        # conflict; event ids and slugs; then for each chunk of up to 500
        # events: their claims, the sources and the actors not read yet
        # that these name
        ("claims_csv", 5),
        # conflict; events with conflict and place; claims; corrections;
        # photos; phases
        ("timelinejs", 6),
    ],
)
def test_download_query_counts_do_not_grow_with_events(
    client, django_assert_num_queries, event_count, name, queries
):
    conflict = ConflictFactory()
    add_detailed_events(conflict, event_count)
    with django_assert_num_queries(queries):
        response = client.get(download_url(name, conflict))
        if isinstance(response, StreamingHttpResponse):
            b"".join(response.streaming_content)
    assert response.status_code == 200


def test_claims_csv_goes_a_chunk_of_events_at_a_time_in_timeline_order(
    client, monkeypatch, django_assert_num_queries
):
    from timeline import downloads

    monkeypatch.setattr(downloads, "ROWS_PER_CHUNK", 4)
    conflict = ConflictFactory()
    start = datetime(2023, 9, 1, tzinfo=UTC)
    # Created newest first, so that ids run against the timeline's order.
    for day in reversed(range(10)):
        event = EventFactory(
            conflict=conflict, slug=f"day-{day}", starts_at=start + timedelta(days=day)
        )
        ClaimFactory(event=event, metric="injured", best=day)
        ClaimFactory(event=event, metric="killed", best=day)

    # conflict, events; three chunks of claims, each with their actors and sources
    with django_assert_num_queries(2 + 3 * 3):
        rows = get_csv(client, "claims_csv", conflict)

    assert [(row["event_slug"], row["metric"]) for row in rows] == [
        (f"day-{day}", metric) for day in range(10) for metric in ("injured", "killed")
    ]


def test_claims_csv_reads_each_actor_once_however_many_chunks_name_it(
    client, monkeypatch, django_assert_num_queries
):
    from timeline import downloads

    monkeypatch.setattr(downloads, "ROWS_PER_CHUNK", 4)
    conflict = ConflictFactory()
    ministry, side = ActorFactory(name="Ministry"), ActorFactory(name="Side")
    for day in range(10):
        event = EventFactory(conflict=conflict, starts_at=datetime(2023, 9, 1 + day, tzinfo=UTC))
        ClaimFactory(event=event, claimant=ministry, party=side, best=day)

    # conflict, events; the first chunk's claims, sources and actors; the
    # claims and sources of the two other chunks
    with django_assert_num_queries(2 + 3 + 2 * 2):
        rows = get_csv(client, "claims_csv", conflict)

    assert [(row["claimant"], row["party"], row["best"]) for row in rows] == [
        ("Ministry", "Side", str(day)) for day in range(10)
    ]


def test_events_csv_fetches_participants_once_for_each_chunk_of_events(
    client, monkeypatch, django_assert_num_queries
):
    from timeline import downloads

    monkeypatch.setattr(downloads, "ROWS_PER_CHUNK", 4)
    conflict = ConflictFactory()
    for day in range(10):
        event = EventFactory(conflict=conflict, starts_at=datetime(2023, 9, 1 + day, tzinfo=UTC))
        ParticipantFactory(event=event, actor=ActorFactory(name=f"Side {day}"))
    # conflict, events; the participants of each of three chunks
    with django_assert_num_queries(2 + 3):
        rows = get_csv(client, "events_csv", conflict)
    assert [row["participants"] for row in rows] == [f"Side {day} (party)" for day in range(10)]


# HXL

HXL_HASHTAG = re.compile(r"^#[a-z][a-z0-9_]*(\+[a-z][a-z0-9_]*)*$")


def csv_lines(client, name, conflict, query=""):
    response = client.get(download_url(name, conflict, query))
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize("name", CSV_DOWNLOADS)
def test_hxl_1_puts_a_hashtag_under_every_column_name(client, name):
    claim = ClaimFactory()
    header, hashtags, data = csv_lines(client, name, claim.event.conflict, "?hxl=1")
    assert len(hashtags) == len(header) == len(data)
    assert all(HXL_HASHTAG.match(tag) for tag in hashtags), hashtags


def test_the_hxl_row_uses_the_standard_hashtags(client):
    event = EventFactory()
    header, hashtags, _row = csv_lines(client, "events_csv", event.conflict, "?hxl=1")
    tags = dict(zip(header, hashtags, strict=True))
    assert tags["id"] == "#event+id"
    assert tags["start_date"] == "#date+start"
    assert tags["admin_region"] == "#adm1+name"
    assert tags["latitude"] == "#geo+lat"
    assert tags["conflict"] == "#crisis+code"


@pytest.mark.parametrize("name", CSV_DOWNLOADS)
def test_without_hxl_the_second_row_is_data(client, name):
    claim = ClaimFactory()
    header, data = csv_lines(client, name, claim.event.conflict)
    assert not any(cell.startswith("#") for cell in data)


@pytest.mark.parametrize("name", CSV_DOWNLOADS)
def test_an_hxl_value_that_is_not_1_or_0_is_refused(client, name):
    event = EventFactory()
    assert client.get(download_url(name, event.conflict, "?hxl=yes")).status_code == 400


# timelinejs.json


def test_the_timelinejs_document_has_the_timelinejs3_shape(client):
    conflict = ConflictFactory(introduction="What a reader needs **first**.")
    add_detailed_events(conflict, 3)
    EventFactory(conflict=conflict, precision="year", ends_at=datetime(2024, 6, 1, tzinfo=UTC))
    document = timelinejs(client, conflict)
    jsonschema.validate(document, TIMELINEJS_SCHEMA)
    assert document["title"]["text"] == {
        "headline": "Nagorno-Karabakh conflict",
        "text": "<p>What a reader needs <strong>first</strong>.</p>",
    }
    assert len(document["events"]) == 4
    assert len(document["eras"]) == 1


def test_the_schema_rejects_what_timelinejs_could_not_read():
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"events": [{"start_date": {"month": 9}}]}, TIMELINEJS_SCHEMA)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(
            {"events": [{"start_date": {"year": 2023, "hour": 13}, "text": {}, "unique_id": "x"}]},
            TIMELINEJS_SCHEMA,
        )


def test_a_slide_carries_the_event_as_the_site_shows_it(client):
    event = EventFactory(
        slug="ceasefire-takes-effect",
        kind=Event.Kind.CASUALTY_REPORT,
        title="Casualties <reported> & disputed",
        summary="Authorities **said** 32. <script>alert(1)</script>",
        starts_at=datetime(2023, 9, 20, 9, 0, tzinfo=UTC),
        precision="minute",
    )
    ClaimFactory(event=event, best=32, population="civilians")
    ClaimFactory(event=event, best=100, qualifier="about")
    (slide,) = timelinejs(client, event.conflict)["events"]
    assert slide["unique_id"] == "ceasefire-takes-effect"
    assert slide["group"] == "casualty report"
    assert slide["display_date"] == "20 September 2023, 13:00 UTC+4"
    assert slide["text"]["headline"] == "Casualties &lt;reported&gt; &amp; disputed"
    text = slide["text"]["text"]
    assert "<strong>said</strong>" in text
    assert "<script>" not in text
    assert "Killed: 32 civilians, according to " in text
    assert "; about 100, according to " in text
    assert "<strong>(disputed)</strong>" in text
    assert (
        '<a href="http://testserver/conflicts/nagorno-karabakh/events/ceasefire-takes-effect/">'
        in text
    )
    assert "media" not in slide


@pytest.mark.parametrize(
    ("precision", "start_date"),
    [
        ("year", {"year": 2023}),
        ("month", {"year": 2023, "month": 9}),
        ("day", {"year": 2023, "month": 9, "day": 20}),
        ("hour", {"year": 2023, "month": 9, "day": 20, "hour": 1}),
        ("minute", {"year": 2023, "month": 9, "day": 20, "hour": 1, "minute": 45}),
    ],
)
def test_a_slides_date_has_the_events_precision_in_local_time(client, precision, start_date):
    # 21:45 UTC on 19 September is 01:45 on the 20th in Baku (UTC+4).
    event = EventFactory(starts_at=datetime(2023, 9, 19, 21, 45, tzinfo=UTC), precision=precision)
    (slide,) = timelinejs(client, event.conflict)["events"]
    assert slide["start_date"] == start_date
    assert "end_date" not in slide


def test_a_lasting_event_ends_at_its_precision(client):
    event = EventFactory(
        starts_at=datetime(2023, 9, 19, 5, 0, tzinfo=UTC),
        ends_at=datetime(2023, 9, 20, 5, 0, tzinfo=UTC),
        precision="hour",
    )
    (slide,) = timelinejs(client, event.conflict)["events"]
    assert slide["start_date"] == {"year": 2023, "month": 9, "day": 19, "hour": 9}
    assert slide["end_date"] == {"year": 2023, "month": 9, "day": 20, "hour": 9}


def test_eras_are_the_conflicts_phases_each_ending_after_its_last_day(client):
    conflict = ConflictFactory()
    PhaseFactory(
        conflict=conflict,
        name="Offensive & response",
        starts_on=date(2023, 9, 19),
        ends_on=date(2023, 9, 19),
    )
    PhaseFactory(conflict=conflict, name="Ceasefire and talks", starts_on=date(2023, 9, 20))
    EventFactory(conflict=conflict, starts_at=datetime(2023, 9, 19, tzinfo=UTC))
    # The latest event: the 23rd in Baku, and it lasts until the 25th.
    EventFactory(
        conflict=conflict,
        starts_at=datetime(2023, 9, 22, 21, 0, tzinfo=UTC),
        ends_at=datetime(2023, 9, 24, 21, 0, tzinfo=UTC),
    )
    assert timelinejs(client, conflict)["eras"] == [
        {
            "start_date": {"year": 2023, "month": 9, "day": 19},
            "end_date": {"year": 2023, "month": 9, "day": 20},
            "text": {"headline": "Offensive &amp; response"},
        },
        {
            "start_date": {"year": 2023, "month": 9, "day": 20},
            "end_date": {"year": 2023, "month": 9, "day": 26},
            "text": {"headline": "Ceasefire and talks"},
        },
    ]


def test_an_open_phase_without_events_to_show_lasts_through_today(client):
    conflict = ConflictFactory()
    PhaseFactory(conflict=conflict, starts_on=date(2023, 9, 20))
    (era,) = timelinejs(client, conflict)["eras"]
    tomorrow = timezone.localtime(timezone.now(), conflict.tz).date() + timedelta(days=1)
    assert era["end_date"] == {"year": tomorrow.year, "month": tomorrow.month, "day": tomorrow.day}


def test_an_open_phase_after_the_last_event_lasts_its_first_day(client):
    conflict = ConflictFactory()
    EventFactory(conflict=conflict, starts_at=datetime(2023, 9, 1, tzinfo=UTC))
    PhaseFactory(conflict=conflict, starts_on=date(2023, 10, 1))
    (era,) = timelinejs(client, conflict)["eras"]
    assert era["start_date"] == {"year": 2023, "month": 10, "day": 1}
    assert era["end_date"] == {"year": 2023, "month": 10, "day": 2}


def test_timelinejs_can_fetch_the_document_from_another_site(client):
    conflict = ConflictFactory()
    response = client.get(download_url("timelinejs", conflict))
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"


def test_the_timeline_links_to_downloads_of_the_filtered_view(client):
    conflict = ConflictFactory()
    html = client.get(conflict.get_absolute_url() + "?kind=ceasefire&key=true&after=1-1").content
    html = html.decode()
    for name in ["events.csv", "claims.csv", "timelinejs.json"]:
        assert f'href="/conflicts/nagorno-karabakh/{name}?kind=ceasefire&amp;key=true"' in html


def add_claims_of_every_shape(conflict):
    """Claims with every kind of cell claims.csv writes: empty and filled
    figures, sides and periods, times with and without microseconds and
    outside UTC, the newsroom's note and another's, quotes, commas, line
    breaks, non-Latin text and text a spreadsheet would run."""
    start = datetime(2023, 9, 19, tzinfo=UTC)
    newsroom = ActorFactory(name="The newsroom", kind="media", is_newsroom=True)
    authorities = ActorFactory(name='=HYPERLINK("x")', kind="government_body")
    side = ActorFactory(name="Արցախի պաշտպանության բանակ", kind="armed_group")
    later = EventFactory(pk=9102, conflict=conflict, slug="later", starts_at=start + timedelta(1))
    earlier = EventFactory(pk=9101, conflict=conflict, slug="-earlier", starts_at=start)
    source = SourceFactory(
        title='A "quoted", comma title', publisher="", url="https://news.example.org/a"
    )
    odd_source = SourceFactory(
        title=" @odd\nlines", publisher="+Wire", url="https://news.example.org/b",
        archive_url="https://archive.example.org/b",
    )  # fmt: skip
    ClaimFactory(
        pk=9201, event=later, claimant=authorities, source=source, best=7, wording="-7 dead",
        as_of=datetime(2023, 9, 20, 8, 30, 15, 250000, tzinfo=UTC), note="Editors only.",
    )  # fmt: skip
    ClaimFactory(
        pk=9202, event=earlier, claimant=newsroom, source=odd_source, metric="injured",
        population="civilians", qualifier="at_least", low=3, best=None, high=None,
        grade="corroborated", note="\u00a0-counted twice", party=side,
        as_of=datetime(2023, 9, 19, 23, 45, tzinfo=BAKU),
    )  # fmt: skip
    ClaimFactory(
        pk=9203, event=earlier, claimant=side, source=source, scope="running_total",
        period_start=date(2023, 9, 1), low=10, best=12, high=20, qualifier="about",
        wording="Около 12, «по данным»", as_of=datetime(2023, 9, 19, 20, 0, tzinfo=UTC),
    )  # fmt: skip
    ClaimFactory(
        pk=9204, event=earlier, claimant=side, source=source, best=1,
        as_of=datetime(2023, 9, 19, 20, 0, 0, 1, tzinfo=UTC),
    )  # fmt: skip


GOLDEN = Path(__file__).parent / "data" / "claims-golden.csv"


@pytest.mark.parametrize("query", ["", "?hxl=1"])
def test_claims_csv_is_byte_for_byte_the_file_it_has_always_been(client, query):
    conflict = ConflictFactory()
    add_claims_of_every_shape(conflict)
    response = client.get(download_url("claims_csv", conflict, query))
    written = b"".join(response.streaming_content)
    golden = GOLDEN.with_name(GOLDEN.stem + query.replace("?hxl=1", "-hxl") + ".csv")
    assert written == golden.read_bytes()
