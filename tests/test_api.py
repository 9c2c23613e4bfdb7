import re
from datetime import UTC, date, datetime, timedelta
from urllib.parse import urlencode

import pytest
from django.urls import reverse

from tests.factories import (
    ActorFactory,
    CitationFactory,
    ClaimFactory,
    ConflictFactory,
    CorrectionFactory,
    EventFactory,
    EventLinkFactory,
    ParticipantFactory,
    PhaseFactory,
    PlaceFactory,
    SourceFactory,
    fully_detailed_event,
)
from tracker.models import Event

pytestmark = pytest.mark.django_db

SEPT_20 = datetime(2023, 9, 20, 9, 0, tzinfo=UTC)


def api(client, name, *args, **params):
    """The JSON of a GET on the named API URL with `params` (lists repeat)."""
    url = reverse(f"api:{name}", args=args)
    response = client.get(url + ("?" + urlencode(params, doseq=True) if params else ""))
    assert response.status_code == 200, response.content
    return response.json()


def slugs(page):
    return [event["slug"] for event in page["results"]]


def walk(client, url):
    """Every row of a paged list, following `next` to the end."""
    rows = []
    while url:
        page = client.get(url).json()
        rows += page["results"]
        url = page["next"]
    return rows


# Shapes


def test_the_conflict_list_gives_each_conflict_with_its_phases(client):
    conflict = ConflictFactory(
        introduction="**Read** this first.", methodology="Claims are <script>x</script>kept."
    )
    PhaseFactory(conflict=conflict, name="Offensive", starts_on=datetime(2023, 9, 19).date())
    [record] = api(client, "conflict-list")["results"]
    assert record["slug"] == "nagorno-karabakh"
    assert record["timezone"] == "Asia/Baku"
    assert record["introduction"] == "**Read** this first."
    assert record["introduction_html"] == "<p><strong>Read</strong> this first.</p>"
    assert "<script>" not in record["methodology_html"]
    assert record["phases"] == [
        {
            "name": "Offensive",
            "starts_on": "2023-09-19",
            "ends_on": None,
            "description": "",
            "description_html": "",
        }
    ]
    assert record["permalink"] == "http://testserver/conflicts/nagorno-karabakh/"
    assert record["url"] == "http://testserver/api/v1/conflicts/nagorno-karabakh/"


def test_a_conflict_is_found_by_its_slug(client):
    ConflictFactory(name="Nagorno-Karabakh conflict")
    assert api(client, "conflict-detail", "nagorno-karabakh")["name"] == "Nagorno-Karabakh conflict"
    assert client.get(reverse("api:conflict-detail", args=["nowhere"])).status_code == 404


def test_an_event_record_holds_what_its_page_shows(client):
    conflict = ConflictFactory()
    event = EventFactory(
        conflict=conflict,
        kind=Event.Kind.CASUALTY_REPORT,
        title="Conflicting casualty figures",
        summary="**Figures** <script>alert(1)</script>",
        starts_at=SEPT_20,
        precision="minute",
        place=PlaceFactory(name="Stepanakert", latitude="39.81500", longitude="46.75190"),
        is_key=True,
    )
    ParticipantFactory(event=event, actor=ActorFactory(name="UN"), role="mediator")
    cited = CitationFactory(event=event, excerpt="32 civilians were killed").source
    authorities = ActorFactory(name="Regional authorities")
    ClaimFactory(
        event=event,
        claimant=authorities,
        source=cited,
        population="civilians",
        best=32,
        wording="32 civilian fatalities",
    )
    claim_only = SourceFactory(title="Interview")
    ClaimFactory(
        event=event,
        claimant=ActorFactory(name="Ruben Vardanyan"),
        source=claim_only,
        best=100,
        qualifier="about",
    )
    CorrectionFactory(event=event, note="The time was 13:00.")
    later = EventFactory(conflict=conflict, slug="talks", starts_at=SEPT_20 + timedelta(days=1))
    EventLinkFactory(from_event=later, to_event=event, relation="responds_to")

    record = api(client, "event-detail", event.pk)

    assert record["id"] == event.pk
    assert record["conflict"] == "nagorno-karabakh"
    assert record["kind"] == "casualty_report"
    assert record["title"] == "Conflicting casualty figures"
    assert record["permalink"] == f"http://testserver{event.get_absolute_url()}"
    assert record["summary"] == "**Figures** <script>alert(1)</script>"
    assert record["summary_html"].startswith("<p><strong>Figures</strong>")
    assert "<script>" not in record["summary_html"]
    assert record["starts_at"] == "2023-09-20T09:00:00Z"
    assert record["ends_at"] is None
    assert record["precision"] == "minute"
    assert record["when"] == "20 September 2023, 13:00 UTC+4"
    assert record["place"]["name"] == "Stepanakert"
    assert record["place"]["latitude"] == 39.815
    assert record["participants"] == [
        {"actor": {"id": event.participants.get().actor_id, "name": "UN"}, "role": "mediator"}
    ]
    by_wording = {claim["wording"]: claim for claim in record["claims"]}
    civilians = by_wording["32 civilian fatalities"]
    assert civilians["claimant"] == {"id": authorities.pk, "name": "Regional authorities"}
    assert civilians["metric"] == "killed"
    assert civilians["population"] == "civilians"
    assert civilians["qualifier"] == "exact"
    assert (civilians["low"], civilians["best"], civilians["high"]) == (None, 32, None)
    assert civilians["bounds"] == {"lower": 32, "upper": 32}
    assert civilians["description"] == "32 civilians killed"
    assert civilians["as_of"] == "2023-09-19T20:00:00Z"
    assert civilians["grade"] == "unverified"
    assert civilians["source"] == cited.pk
    assert by_wording[""]["bounds"] == {"lower": 90, "upper": 110}
    assert record["figures"] == [
        {
            "metric": "killed",
            "summary": "Killed: 32 civilians, according to Regional authorities; about 100, "
            "according to Ruben Vardanyan",
            "disputed": True,
            "lines": [
                {
                    "text": "Killed: 32 civilians, according to Regional authorities; about "
                    "100, according to Ruben Vardanyan",
                    "disputed": True,
                }
            ],
        }
    ]
    assert record["disputed"] is True
    assert [(source["id"], source["excerpt"]) for source in record["sources"]] == [
        (cited.pk, "32 civilians were killed"),
        (claim_only.pk, ""),
    ]
    assert set(record["sources"][0]) == {
        "id", "title", "publisher", "url", "archive_url", "published_at", "kind", "language",
        "excerpt",
    }  # fmt: skip
    assert [correction["note"] for correction in record["corrections"]] == ["The time was 13:00."]
    assert record["related"] == [
        {
            "relation": "responds_to",
            "direction": "from",
            "label": "is answered by",
            "event": {
                "id": later.pk,
                "conflict": "nagorno-karabakh",
                "slug": "talks",
                "title": later.title,
                "starts_at": "2023-09-20T20:00:00Z",  # local midnight, 21 September
                "permalink": f"http://testserver{later.get_absolute_url()}",
                "url": f"http://testserver/api/v1/events/{later.pk}/",
            },
        }
    ]
    assert record["is_key"] is True
    assert record["published_at"].endswith("Z")
    assert record["updated_at"].endswith("Z")
    assert record["corrected_at"] == record["corrections"][0]["published_at"]


def test_a_claims_record_says_whose_people_it_counts_its_scope_and_ids(client):
    event = EventFactory()
    armed_forces = ActorFactory(name="Armenian armed forces")
    running = ClaimFactory(
        event=event,
        party=armed_forces,
        population="combatants",
        scope="running_total",
        period_start=date(2023, 9, 27),
        best=412,
    )
    toll = ClaimFactory(event=event, best=32)
    claims = {claim["id"]: claim for claim in api(client, "event-detail", event.pk)["claims"]}
    assert claims[running.pk]["party"] == {"id": armed_forces.pk, "name": "Armenian armed forces"}
    assert claims[running.pk]["scope"] == "running_total"
    assert claims[running.pk]["period_start"] == "2023-09-27"
    assert claims[running.pk]["event"] == event.pk
    assert (claims[toll.pk]["party"], claims[toll.pk]["scope"]) == (None, "incident")
    assert claims[toll.pk]["period_start"] is None


def test_a_day_precision_event_is_not_given_a_time_of_day(client):
    event = EventFactory(starts_at=SEPT_20, precision="day")
    record = api(client, "event-detail", event.pk)
    assert record["when"] == "20 September 2023"
    assert record["starts_at"] == "2023-09-19T20:00:00Z"  # local midnight in Baku


def test_the_event_list_gives_the_same_records_as_the_detail(client):
    event = fully_detailed_event(ConflictFactory(), SEPT_20)
    listed = {record["id"]: record for record in api(client, "event-list")["results"]}
    assert listed[event.pk] == api(client, "event-detail", event.pk)


def test_actors_places_and_sources_have_their_own_records(client):
    azerbaijan = ActorFactory(name="Azerbaijan", kind="state")
    ministry = ActorFactory(
        name="Ministry", aliases="MoD\n\nDefence ministry", affiliation=azerbaijan
    )
    event = EventFactory(place=PlaceFactory(name="Yevlakh", country_code="az"))
    ParticipantFactory(event=event, actor=ministry)
    ParticipantFactory(event=event, actor=azerbaijan)
    source = CitationFactory(
        event=event, source__url="https://news.example.org/a", source__archive_url=""
    ).source

    actor = api(client, "actor-detail", ministry.pk)
    assert actor["aliases"] == ["MoD", "Defence ministry"]
    assert actor["affiliation"] == {"id": azerbaijan.pk, "name": "Azerbaijan"}
    assert actor["kind"] == "government_body"
    place = api(client, "place-detail", event.place_id)
    assert (place["name"], place["country_code"], place["latitude"]) == ("Yevlakh", "AZ", None)
    record = api(client, "source-detail", source.pk)
    assert (record["url"], record["archive_url"]) == ("https://news.example.org/a", "")
    assert [row["name"] for row in api(client, "actor-list")["results"]] == [
        "Azerbaijan",
        "Ministry",
    ]


# What the public may not see


def test_the_event_list_shows_only_published_events(client):
    conflict = ConflictFactory()
    EventFactory(conflict=conflict, slug="published")
    EventFactory(conflict=conflict, slug="draft", status=Event.Status.DRAFT)
    EventFactory(conflict=conflict, slug="in-review", status=Event.Status.IN_REVIEW)
    EventFactory(
        conflict=conflict, slug="retracted", status=Event.Status.RETRACTED, retraction_note="No."
    )
    assert slugs(api(client, "event-list")) == ["published"]
    assert slugs(api(client, "event-list", updated_since="2000-01-01T00:00:00Z")) == ["published"]


@pytest.mark.parametrize("status", [Event.Status.DRAFT, Event.Status.IN_REVIEW])
def test_unpublished_events_answer_404(client, status):
    event = EventFactory(status=status)
    assert client.get(reverse("api:event-detail", args=[event.pk])).status_code == 404


def test_a_retracted_event_answers_404_and_is_listed_as_retracted(client):
    event = EventFactory(status=Event.Status.RETRACTED, retraction_note="Fabricated video.")
    response = client.get(reverse("api:event-detail", args=[event.pk]))
    assert response.status_code == 404
    assert "Fabricated" not in response.content.decode()


def test_staff_do_not_see_drafts_through_the_api_either(administrator_client):
    event = EventFactory(status=Event.Status.DRAFT)
    assert administrator_client.get(reverse("api:event-detail", args=[event.pk])).status_code == 404


def test_related_events_leave_out_unpublished_ones(client):
    event = EventFactory()
    EventLinkFactory(from_event=event, to_event=EventFactory(slug="public-follow-up"))
    EventLinkFactory(
        from_event=event, to_event=EventFactory(slug="secret", status=Event.Status.DRAFT)
    )
    EventLinkFactory(
        from_event=EventFactory(slug="in-review", status=Event.Status.IN_REVIEW), to_event=event
    )
    record = api(client, "event-detail", event.pk)
    assert [link["event"]["slug"] for link in record["related"]] == ["public-follow-up"]


def test_actors_places_and_sources_only_of_drafts_are_not_listed(client):
    draft = EventFactory(status=Event.Status.DRAFT, place=PlaceFactory(name="Secret place"))
    ParticipantFactory(event=draft, actor__name="Secret actor")
    ClaimFactory(event=draft, claimant__name="Secret claimant", source__title="Secret claim")
    CitationFactory(event=draft, source__title="Secret source")
    public = EventFactory(place=PlaceFactory(name="Public place"))
    ParticipantFactory(event=public, actor__name="Public actor")
    ClaimFactory(event=public, claimant__name="Public claimant", source__title="Public claim")
    CitationFactory(event=public, source__title="Public source")

    assert {row["name"] for row in api(client, "actor-list")["results"]} == {
        "Public actor",
        "Public claimant",
    }
    assert [row["name"] for row in api(client, "place-list")["results"]] == ["Public place"]
    assert {row["title"] for row in api(client, "source-list")["results"]} == {
        "Public claim",
        "Public source",
    }
    secret_place = draft.place_id
    assert client.get(reverse("api:place-detail", args=[secret_place])).status_code == 404


# Filters: the timeline's


@pytest.fixture
def filterable(db):
    """A conflict whose events differ in every way the filters look at."""
    conflict = ConflictFactory(timezone="Asia/Baku")
    other_conflict = ConflictFactory(slug="elsewhere", name="Elsewhere")
    actor, place = ActorFactory(), PlaceFactory()
    clash = EventFactory(
        conflict=conflict,
        slug="clash",
        kind=Event.Kind.CLASH,
        title="Clash at the bridge",
        starts_at=datetime(2023, 9, 19, 8, tzinfo=UTC),
        precision="minute",
        place=place,
    )
    ParticipantFactory(event=clash, actor=actor)
    # 21:00 UTC on the 19th is already the 20th in Baku.
    strike = EventFactory(
        conflict=conflict,
        slug="strike",
        kind=Event.Kind.STRIKE,
        starts_at=datetime(2023, 9, 19, 21, tzinfo=UTC),
        precision="minute",
        is_key=True,
    )
    ClaimFactory(event=strike, best=32)
    ClaimFactory(event=strike, best=100, claimant=actor)
    figures = EventFactory(
        conflict=conflict, slug="figures", starts_at=datetime(2023, 9, 21, tzinfo=UTC)
    )
    ClaimFactory(event=figures, best=5)
    EventFactory(conflict=conflict, slug="draft", kind=Event.Kind.CLASH, status="draft")
    EventFactory(conflict=other_conflict, slug="elsewhere", kind=Event.Kind.CLASH)
    return {"conflict": conflict, "actor": actor, "place": place}


FILTERS = [
    ({}, ["clash", "strike", "figures"]),
    ({"kind": "clash"}, ["clash"]),
    ({"kind": ["clash", "strike"]}, ["clash", "strike"]),
    ({"actor": "{actor}"}, ["clash", "strike"]),
    ({"place": "{place}"}, ["clash"]),
    ({"date_from": "2023-09-20"}, ["strike", "figures"]),
    ({"date_to": "2023-09-19"}, ["clash"]),
    ({"disputed": "true"}, ["strike"]),
    ({"has_figures": "true"}, ["strike", "figures"]),
    ({"key": "true"}, ["strike"]),
    ({"q": "bridge"}, ["clash"]),
    ({"kind": "clash", "date_to": "2023-09-20", "actor": "{actor}"}, ["clash"]),
]


@pytest.mark.parametrize("params, expected", FILTERS)
def test_filters_give_the_same_events_as_the_timeline(client, filterable, params, expected):
    conflict = filterable["conflict"]
    ids = {"actor": filterable["actor"].pk, "place": filterable["place"].pk}
    params = {
        name: value.format(**ids) if isinstance(value, str) else value
        for name, value in params.items()
    }
    timeline_url = reverse("timeline:conflict", args=[conflict.slug])
    html = client.get(timeline_url + "?" + urlencode(params, doseq=True)).content.decode()
    on_timeline = re.findall(rf'href="/conflicts/{conflict.slug}/events/([-\w]+)/"', html)

    from_api = slugs(api(client, "event-list", conflict=conflict.slug, **params))

    assert from_api == on_timeline == expected


def test_the_conflict_filter_keeps_to_one_conflict(client, filterable):
    assert slugs(api(client, "event-list", conflict="elsewhere")) == ["elsewhere"]
    assert "elsewhere" in slugs(api(client, "event-list"))


@pytest.mark.parametrize(
    "params, field",
    [
        ({"kind": "picnic"}, "kind"),
        ({"actor": "abc"}, "actor"),
        ({"actor": "999999"}, "actor"),
        ({"place": "1.5"}, "place"),
        ({"conflict": "nowhere"}, "conflict"),
        ({"date_from": "2023-02-30"}, "date_from"),
        ({"date_to": "0001-01-01"}, "date_to"),
        ({"q": "x" * 201}, "q"),
        ({"updated_since": "yesterday"}, "updated_since"),
        ({"updated_since": "2023-13-01T00:00:00Z"}, "updated_since"),
        ({"cursor": "x-1"}, "cursor"),
        ({"cursor": "9" * 40}, "cursor"),
        ({"page_size": "0"}, "page_size"),
        ({"page_size": "-5"}, "page_size"),
        ({"page_size": "ten"}, "page_size"),
        ({"disputed": "maybe"}, "disputed"),
        ({"has_figures": "2"}, "has_figures"),
        ({"key": "yes"}, "key"),
    ],
)
def test_bad_parameters_answer_400_with_the_field_errors(client, params, field):
    response = client.get(reverse("api:event-list") + "?" + urlencode(params))
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize(
    "name", ["actor-list", "retracted-list", "withdrawal-list", "conflict-list"]
)
def test_other_lists_refuse_a_bad_cursor_too(client, name):
    response = client.get(reverse(f"api:{name}") + "?cursor=nonsense")
    assert response.status_code == 400
    assert "cursor" in response.json()


def test_filters_do_not_apply_to_an_event_record(client):
    event = EventFactory(kind=Event.Kind.CLASH)
    response = client.get(reverse("api:event-detail", args=[event.pk]) + "?kind=strike")
    assert response.status_code == 200


# Pagination


def test_pages_follow_each_other_in_time_order_without_gaps_or_repeats(client):
    conflict = ConflictFactory()
    # Five events at the same moment, so that only the id tells them apart.
    same_time = [EventFactory(conflict=conflict, starts_at=SEPT_20) for _ in range(5)]
    earlier = EventFactory(conflict=conflict, starts_at=SEPT_20 - timedelta(days=1))
    first = client.get(reverse("api:event-list") + "?page_size=2").json()
    assert len(first["results"]) == 2
    rows = walk(client, reverse("api:event-list") + "?page_size=2")
    assert [row["id"] for row in rows] == [earlier.pk] + [event.pk for event in same_time]


def test_the_last_page_has_no_next_link(client):
    EventFactory()
    assert api(client, "event-list")["next"] is None


def test_an_event_published_between_pages_neither_repeats_nor_shifts_a_page(client):
    conflict = ConflictFactory()
    days = [
        EventFactory(conflict=conflict, starts_at=SEPT_20 + timedelta(days=n)) for n in range(4)
    ]
    first = client.get(reverse("api:event-list") + "?page_size=2").json()

    # Published meanwhile: one before the page already read, one after it.
    EventFactory(conflict=conflict, slug="earlier", starts_at=SEPT_20 - timedelta(days=1))
    EventFactory(conflict=conflict, slug="later", starts_at=SEPT_20 + timedelta(days=9))
    draft = EventFactory(conflict=conflict, status="draft", starts_at=SEPT_20 + timedelta(days=2))
    CitationFactory(event=draft)
    draft.publish()
    rest = walk(client, first["next"])

    seen = [row["slug"] for row in first["results"] + rest]
    assert seen == [
        days[0].slug,
        days[1].slug,
        days[2].slug,
        draft.slug,
        days[3].slug,
        "later",
    ]


def test_page_size_is_50_by_default_and_more_than_200_is_refused(client):
    conflict = ConflictFactory()
    Event.objects.bulk_create(
        Event(
            conflict=conflict,
            kind=Event.Kind.CLASH,
            title=f"Event {n}",
            slug=f"event-{n}",
            starts_at=SEPT_20 + timedelta(minutes=n),
            status=Event.Status.PUBLISHED,
        )
        for n in range(201)
    )
    assert len(api(client, "event-list")["results"]) == 50
    assert len(api(client, "event-list", page_size=7)["results"]) == 7
    assert len(api(client, "event-list", page_size=200)["results"]) == 200
    for too_many in (201, 1000, "9" * 50):
        response = client.get(reverse("api:event-list"), {"page_size": too_many})
        assert response.status_code == 400
        assert response.json() == {"page_size": ["A whole number from 1 to 200."]}


def test_the_api_cursor_is_the_timelines(client):
    conflict = ConflictFactory()
    first, second = (
        EventFactory(conflict=conflict, starts_at=SEPT_20 + timedelta(hours=n)) for n in (0, 1)
    )
    cursor = api(client, "event-list", page_size=1)["next"].split("cursor=")[1].split("&")[0]
    html = client.get(reverse("timeline:conflict", args=[conflict.slug]) + f"?after={cursor}")
    assert second.title in html.content.decode()
    assert first.title not in html.content.decode()


# Changes for mirrors


def set_updated_at(event, moment):
    Event.objects.filter(pk=event.pk).update(updated_at=moment)


def test_updated_since_lists_events_changed_since_then_in_order_of_change(client):
    conflict = ConflictFactory()
    old, recent, newest = (EventFactory(conflict=conflict) for _ in range(3))
    set_updated_at(old, datetime(2024, 1, 1, tzinfo=UTC))
    set_updated_at(newest, datetime(2024, 3, 1, tzinfo=UTC))
    set_updated_at(recent, datetime(2024, 2, 1, tzinfo=UTC))
    page = api(client, "event-list", updated_since="2024-02-01T00:00:00Z")
    assert [row["id"] for row in page["results"]] == [recent.pk, newest.pk]


def test_updated_since_without_an_offset_is_utc(client):
    event = EventFactory()
    set_updated_at(event, datetime(2024, 2, 1, 12, tzinfo=UTC))
    assert slugs(api(client, "event-list", updated_since="2024-02-01T12:00:00")) == [event.slug]
    assert slugs(api(client, "event-list", updated_since="2024-02-01T12:00:01")) == []
    assert slugs(api(client, "event-list", updated_since="2024-02-01T15:00:00+03:00")) == [
        event.slug
    ]


def test_a_correction_brings_an_event_back_into_updated_since(client):
    event = EventFactory()
    set_updated_at(event, datetime(2024, 1, 1, tzinfo=UTC))
    since = "2024-06-01T00:00:00Z"
    assert slugs(api(client, "event-list", updated_since=since)) == []

    CorrectionFactory(event=event, published_at=datetime(2024, 7, 1, tzinfo=UTC))

    [record] = api(client, "event-list", updated_since=since)["results"]
    assert record["id"] == event.pk
    assert record["corrected_at"] == "2024-07-01T00:00:00Z"
    assert record["updated_at"] == "2024-01-01T00:00:00Z"


def test_a_mirror_walks_every_change_once_across_pages(client):
    conflict = ConflictFactory()
    events = [EventFactory(conflict=conflict) for _ in range(5)]
    same_moment = datetime(2024, 1, 1, tzinfo=UTC)
    for event in events[:3]:
        set_updated_at(event, same_moment)
    set_updated_at(events[3], datetime(2023, 1, 1, tzinfo=UTC))  # before: not a change
    set_updated_at(events[4], datetime(2024, 1, 2, tzinfo=UTC))
    CorrectionFactory(event=events[3], published_at=datetime(2024, 1, 3, tzinfo=UTC))

    rows = walk(
        client, reverse("api:event-list") + "?updated_since=2024-01-01T00:00:00Z&page_size=2"
    )

    assert [row["id"] for row in rows] == [
        events[0].pk,
        events[1].pk,
        events[2].pk,
        events[4].pk,
        events[3].pk,
    ]


def test_updated_since_combines_with_the_filters(client):
    clash = EventFactory(kind=Event.Kind.CLASH)
    EventFactory(kind=Event.Kind.STRIKE)
    page = api(client, "event-list", updated_since="2000-01-01T00:00:00Z", kind="clash")
    assert slugs(page) == [clash.slug]


def test_the_retracted_list_gives_what_a_mirror_needs_to_delete(client):
    event = EventFactory(slug="strike-on-the-bridge", summary="Details")
    event.retract(reason="The report was based on a fabricated video.")
    set_updated_at(event, datetime(2024, 5, 1, tzinfo=UTC))
    EventFactory(slug="still-published")
    [record] = api(client, "retracted-list")["results"]
    assert record == {
        "id": event.pk,
        "conflict": "nagorno-karabakh",
        "slug": "strike-on-the-bridge",
        "permalink": f"http://testserver{event.get_absolute_url()}",
        "retracted_at": "2024-05-01T00:00:00Z",
        "retraction_note": "The report was based on a fabricated video.",
    }


def test_the_retracted_list_leaves_out_events_never_published(client):
    event = EventFactory(status=Event.Status.DRAFT, slug="draft-that-went-wrong")
    event.retract(reason="Never ran.")
    assert api(client, "retracted-list")["results"] == []


def test_the_retracted_list_takes_updated_since(client):
    events = [EventFactory() for _ in range(3)]
    for n, event in enumerate(events):
        event.retract(reason="Wrong.")
        set_updated_at(event, datetime(2024, 1 + n, 1, tzinfo=UTC))
    page = api(client, "retracted-list", updated_since="2024-02-01T00:00:00Z", page_size=1)
    assert [row["id"] for row in page["results"]] == [events[1].pk]
    assert [row["id"] for row in walk(client, page["next"])] == [events[2].pk]
    bad = client.get(reverse("api:retracted-list") + "?updated_since=soon")
    assert bad.status_code == 400


# HTTP


BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
API_PATHS = [
    "/api/v1/",
    "/api/v1/conflicts/",
    "/api/v1/conflicts/nagorno-karabakh/",
    "/api/v1/events/",
    "/api/v1/events/?updated_since=2000-01-01T00:00:00Z",
    "/api/v1/events/{event}/",
    "/api/v1/retracted/",
    "/api/v1/withdrawals/",
    "/api/v1/actors/",
    "/api/v1/places/",
    "/api/v1/sources/",
    "/api/v1/events/?kind=nonsense",
    "/api/v1/events/0/",
    "/api/schema/",
    "/api/docs/",
]


@pytest.mark.parametrize("path", API_PATHS)
def test_the_api_sets_no_cookies(client, path):
    event = fully_detailed_event(ConflictFactory(), SEPT_20)
    # As a browser asks: an HTML rendering of the API would issue a CSRF cookie.
    response = client.get(path.format(event=event.pk), HTTP_ACCEPT=BROWSER_ACCEPT)
    assert response.status_code in (200, 400, 404)
    assert response.cookies == {}
    assert "Set-Cookie" not in response.headers


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize(
    "path",
    ["/api/v1/events/", "/api/v1/events/{event}/", "/api/v1/retracted/", "/api/v1/withdrawals/"],
)
def test_writes_answer_405(client, method, path):
    event = EventFactory()
    response = getattr(client, method)(
        path.format(event=event.pk), data="{}", content_type="application/json"
    )
    assert response.status_code == 405
    assert Event.objects.filter(pk=event.pk).exists()


def test_head_and_options_are_answered(client):
    EventFactory()
    assert client.head("/api/v1/events/").status_code == 200
    response = client.options("/api/v1/events/")
    assert response.status_code == 200
    assert set(response.headers["Allow"].replace(" ", "").split(",")) == {"GET", "HEAD", "OPTIONS"}


def test_the_api_answers_json_only(client):
    EventFactory()
    response = client.get("/api/v1/events/", HTTP_ACCEPT=BROWSER_ACCEPT)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


# Query counts


@pytest.mark.parametrize("event_count", [1, 12])
@pytest.mark.parametrize("params", ["", "?updated_since=2000-01-01T00:00:00Z", "?kind=ceasefire"])
def test_the_event_list_query_count_does_not_grow_with_events(
    client, django_assert_num_queries, event_count, params
):
    conflict = ConflictFactory()
    for n in range(event_count):
        fully_detailed_event(conflict, SEPT_20 + timedelta(days=n))
    # the page of events with conflict and place, participants with actors,
    # claims with claimants and sources, citations with sources, corrections,
    # photos with their sources, links out and links in with the linked
    # events and their conflicts
    with django_assert_num_queries(8):
        response = client.get("/api/v1/events/" + params)
    assert len(response.json()["results"]) == event_count * 3


@pytest.mark.parametrize("detail_count", [1, 10])
def test_the_event_record_query_count_does_not_grow_with_details(
    client, django_assert_num_queries, detail_count
):
    event = fully_detailed_event(ConflictFactory(), SEPT_20)
    for _ in range(detail_count):
        ClaimFactory(event=event)
        CitationFactory(event=event)
        ParticipantFactory(event=event)
        CorrectionFactory(event=event)
        EventLinkFactory(from_event=event, to_event=EventFactory(conflict=event.conflict))
    # the same eight as a page of the list, for one event
    with django_assert_num_queries(8):
        response = client.get(f"/api/v1/events/{event.pk}/")
    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 8])
@pytest.mark.parametrize(
    "path, queries",
    [
        # conflicts, their phases
        ("/api/v1/conflicts/", 2),
        # actors with their affiliations
        ("/api/v1/actors/", 1),
        ("/api/v1/places/", 1),
        ("/api/v1/sources/", 1),
        # retracted events with their conflicts
        ("/api/v1/retracted/", 1),
        # withdrawn events with their conflicts (how and when, from the
        # history, are subqueries of the same query)
        ("/api/v1/withdrawals/", 1),
    ],
)
def test_the_other_lists_query_counts_are_constant(
    client, django_assert_num_queries, count, path, queries
):
    for n in range(count):
        conflict = ConflictFactory(slug=f"conflict-{n}", name=f"Conflict {n}")
        PhaseFactory(conflict=conflict)
        fully_detailed_event(conflict, SEPT_20)
        EventFactory(conflict=conflict).retract(reason="Wrong.")
    with django_assert_num_queries(queries):
        response = client.get(path)
    assert response.status_code == 200
    assert response.json()["results"]


# Withdrawals


def date_history(event, *moments):
    """Give the event's history records, oldest first, these times."""
    records = list(event.history.order_by("history_date", "history_id"))
    assert len(records) == len(moments)
    for record, moment in zip(records, moments, strict=True):
        type(record).objects.filter(pk=record.pk).update(history_date=moment)


def withdrawals(client, **params):
    return api(client, "withdrawal-list", **params)["results"]


JAN, FEB, MAR, APR = (datetime(2024, month, 1, tzinfo=UTC) for month in (1, 2, 3, 4))


def test_an_unpublished_event_is_withdrawn_with_only_what_was_public(client):
    event = EventFactory(slug="talks-in-yevlakh", title="Talks in Yevlakh")
    event.return_to_draft()
    event.title = "Draft: talks postponed, sources say"
    event.summary = "Not checked yet."
    event.save()
    date_history(event, JAN, FEB, MAR)
    response = client.get(reverse("api:withdrawal-list"))
    assert response.json()["results"] == [
        {
            "id": event.pk,
            "conflict": "nagorno-karabakh",
            "slug": "talks-in-yevlakh",
            "permalink": f"http://testserver{event.get_absolute_url()}",
            "how": "unpublished",
            "withdrawn_at": "2024-02-01T00:00:00Z",
            "changed_at": "2024-02-01T00:00:00Z",
            "retraction_note": None,
        }
    ]
    assert b"postponed" not in response.content
    assert b"Not checked" not in response.content


def test_an_event_sent_back_to_review_is_withdrawn_too(client):
    event = EventFactory()
    event.submit_for_review()
    assert [row["how"] for row in withdrawals(client)] == ["unpublished"]


def test_a_retracted_event_is_withdrawn_with_its_public_note(client):
    event = EventFactory()
    event.retract(reason="The report was based on a fabricated video.")
    date_history(event, JAN, FEB)
    [row] = withdrawals(client)
    assert (row["how"], row["withdrawn_at"], row["retraction_note"]) == (
        "retracted",
        "2024-02-01T00:00:00Z",
        "The report was based on a fabricated video.",
    )


@pytest.mark.parametrize("status", [Event.Status.DRAFT, Event.Status.IN_REVIEW])
def test_events_never_published_are_not_withdrawals(client, status):
    EventFactory(status=status)
    EventFactory(status=Event.Status.DRAFT).retract(reason="Never ran.")
    assert withdrawals(client) == []


def test_a_published_event_is_not_a_withdrawal_and_republishing_ends_one(client):
    EventFactory()
    event = CitationFactory().event
    event.return_to_draft()
    assert [row["id"] for row in withdrawals(client)] == [event.pk]
    event.publish()
    assert withdrawals(client) == []


def test_editing_an_unpublished_draft_does_not_move_its_withdrawal(client):
    event = EventFactory()
    event.return_to_draft()
    for title in ("Second draft", "Third draft"):
        event.title = title
        event.save()
    date_history(event, JAN, FEB, MAR, APR)
    [row] = withdrawals(client)
    assert row["withdrawn_at"] == row["changed_at"] == "2024-02-01T00:00:00Z"
    assert withdrawals(client, updated_since="2024-03-01T00:00:00Z") == []


def test_retracting_an_unpublished_event_is_a_new_withdrawal(client):
    event = EventFactory()
    event.return_to_draft()
    event.retract(reason="It did not happen.")
    date_history(event, JAN, FEB, MAR)
    [row] = withdrawals(client, updated_since="2024-03-01T00:00:00Z")
    assert (row["how"], row["withdrawn_at"]) == ("retracted", "2024-03-01T00:00:00Z")


def test_rewording_a_retraction_note_changes_the_record_not_the_withdrawal(client):
    event = EventFactory()
    event.retract(reason="Fabricated vidoe.")
    event.title = "A retracted event's title, edited"
    event.save()
    event.retraction_note = "Fabricated video."
    event.save()
    date_history(event, JAN, FEB, MAR, APR)
    [row] = withdrawals(client, updated_since="2024-04-01T00:00:00Z")
    assert (row["withdrawn_at"], row["changed_at"], row["retraction_note"]) == (
        "2024-02-01T00:00:00Z",
        "2024-04-01T00:00:00Z",
        "Fabricated video.",
    )


def test_an_event_older_than_its_history_is_withdrawn_at_its_last_update(client):
    event = EventFactory()
    event.return_to_draft()
    event.history.all().delete()
    set_updated_at(event, datetime(2024, 5, 1, tzinfo=UTC))
    [row] = withdrawals(client)
    assert row["withdrawn_at"] == "2024-05-01T00:00:00Z"


def test_a_mirror_walks_every_withdrawal_once_in_order_of_change(client):
    events = [EventFactory() for _ in range(4)]
    for n, event in enumerate(events):
        if n % 2:
            event.retract(reason="Wrong.")
        else:
            event.return_to_draft()
        date_history(event, JAN, datetime(2024, 2, 4 - n, tzinfo=UTC))
    url = reverse("api:withdrawal-list") + "?updated_since=2024-02-02T00:00:00Z&page_size=2"
    assert [row["id"] for row in walk(client, url)] == [events[2].pk, events[1].pk, events[0].pk]
    bad = client.get(reverse("api:withdrawal-list") + "?updated_since=soon")
    assert bad.status_code == 400
