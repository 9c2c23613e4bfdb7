"""What the public record is, checked on every public surface at once: the
pages, feeds, downloads and API show published events and what they name,
and nothing the newsroom keeps to itself."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

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
from tracker import newsroom
from tracker.models import Actor, Event, Place, Source

pytestmark = pytest.mark.django_db

INTERNAL_NOTE = "Internal: this ministry inflated its last three tolls"
METHOD = "Method: hospital lists cross-checked with two morgues"
DRAFT_ONLY_NAMES = [
    "Unpublished Witness",
    "Secret Claimant Office",
    "Unpublished Dossier",
    "Hidden Village",
    "Unnamed Patron",
]
SPIKED = {
    "title": "Spiked story about a convoy",
    "slug": "spiked-story-about-a-convoy",
    "retraction_note": "Spiked: the only witness could not be reached again",
}


@pytest.fixture
def record():
    """A conflict with a published event, and around it what must stay in
    the newsroom: a note on another claimant's figure, drafts and an event
    in review naming people, a place and a source nothing published names,
    and a draft retracted before it was ever published."""
    conflict = ConflictFactory()
    newsroom = ActorFactory(name="The newsroom", is_newsroom=True)
    patron = ActorFactory(name="Unnamed Patron")
    ministry = ActorFactory(name="Ministry of Health", affiliation=patron)
    published = EventFactory(
        conflict=conflict, title="Shelling of the market", place=PlaceFactory()
    )
    ParticipantFactory(event=published, actor=ministry)
    CitationFactory(event=published, source=SourceFactory(title="Wire report"))
    ClaimFactory(event=published, claimant=ministry, best=32, note=INTERNAL_NOTE)
    ClaimFactory(event=published, claimant=newsroom, best=40, note=METHOD)

    draft = EventFactory(
        conflict=conflict,
        status=Event.Status.DRAFT,
        place=PlaceFactory(name="Hidden Village"),
    )
    ParticipantFactory(event=draft, actor=ActorFactory(name="Unpublished Witness"))
    CitationFactory(event=draft, source=SourceFactory(title="Unpublished Dossier"))
    in_review = EventFactory(conflict=conflict, status=Event.Status.IN_REVIEW)
    ClaimFactory(event=in_review, claimant=ActorFactory(name="Secret Claimant Office"))
    EventFactory(conflict=conflict, status=Event.Status.RETRACTED, **SPIKED)
    return published


def url_pattern_names(patterns=None, namespace=""):
    """The names of every URL outside the admin."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace != "admin":
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from url_pattern_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name


def public_urls(client, event):
    """Each public address, by the name of its URL pattern; the records of
    actors, places and sources are those their API lists give."""
    conflict = event.conflict.slug
    in_conflict = {"conflict": conflict}
    urls = {
        "timeline:home": [reverse("timeline:home")],
        "timeline:feed_atom": [reverse("timeline:feed_atom")],
        "timeline:feed_rss": [reverse("timeline:feed_rss")],
        "timeline:event": [reverse("timeline:event", args=[conflict, event.slug])],
        "api:api-root": [reverse("api:api-root")],
        "api:schema": [reverse("api:schema")],
        "api:docs": [reverse("api:docs")],
        "api:conflict-list": [reverse("api:conflict-list")],
        "api:conflict-detail": [reverse("api:conflict-detail", args=[conflict])],
        "api:event-list": [
            reverse("api:event-list"),
            f"{reverse('api:event-list')}?conflict={conflict}",
        ],
        "api:event-detail": [reverse("api:event-detail", args=[event.pk])],
        "api:retracted-list": [reverse("api:retracted-list")],
        "api:withdrawal-list": [
            f"{reverse('api:withdrawal-list')}?updated_since=2000-01-01T00:00Z"
        ],
        "api:actor-list": [reverse("api:actor-list")],
        "api:place-list": [reverse("api:place-list")],
        "api:source-list": [reverse("api:source-list")],
        "timeline:look_css": [reverse("timeline:look_css", args=[newsroom.look().version])],
        # Since the epoch: every change the live view could report.
        "timeline:updates": [f"{reverse('timeline:updates', args=[conflict])}?after=0"],
    }
    for name in [
        "conflict",
        "figures",
        "conflict_feed_atom",
        "conflict_feed_rss",
        "events_csv",
        "claims_csv",
        "events_ucdp_csv",
        "timelinejs",
        "events_geojson",
        "map",
        "embed",
        "live",
    ]:
        urls[f"timeline:{name}"] = [reverse(f"timeline:{name}", kwargs=in_conflict)]
    for kind in ["actor", "place", "source"]:
        listed = client.get(reverse(f"api:{kind}-list")).json()["results"]
        urls[f"api:{kind}-detail"] = [
            reverse(f"api:{kind}-detail", args=[item["id"]]) for item in listed
        ]
    return urls


def body(response):
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def walk(client, event):
    """Every public answer, by its address; each must be a success."""
    answers = {}
    for urls in public_urls(client, event).values():
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            answers[url] = body(response)
    return answers


# Addresses that show nothing of the record: the newsroom's uploaded logo.
SHOW_NO_RECORD = {"timeline:logo"}


def test_the_walk_visits_every_public_address(client, record):
    urls = public_urls(client, record)
    assert set(urls) | SHOW_NO_RECORD == set(url_pattern_names())
    assert all(urls.values())


def test_no_public_surface_shows_a_note_on_another_claimants_figure(client, record):
    leaks = [url for url, text in walk(client, record).items() if INTERNAL_NOTE in text]
    assert leaks == []


def test_the_newsroom_method_is_public_on_the_page_the_download_and_the_api(client, record):
    answers = walk(client, record)
    conflict = record.conflict.slug
    for url in [
        record.get_absolute_url(),
        reverse("timeline:claims_csv", args=[conflict]),
        reverse("api:event-detail", args=[record.pk]),
    ]:
        assert METHOD in answers[url], url


@pytest.mark.parametrize("name", DRAFT_ONLY_NAMES)
def test_no_public_surface_names_what_only_drafts_name(client, record, name):
    leaks = [url for url, text in walk(client, record).items() if name in text]
    assert leaks == []


def test_no_public_surface_mentions_a_spiked_story(client, record):
    leaks = [
        (url, value)
        for url, text in walk(client, record).items()
        for value in SPIKED.values()
        if value in text
    ]
    assert leaks == []


@pytest.mark.parametrize(
    ("detail", "model", "name"),
    [
        ("api:actor-detail", Actor, "Unpublished Witness"),
        ("api:actor-detail", Actor, "Secret Claimant Office"),
        ("api:place-detail", Place, "Hidden Village"),
    ],
)
def test_records_only_drafts_name_have_no_api_record(client, record, detail, model, name):
    pk = model.objects.get(name=name).pk
    assert client.get(reverse(detail, args=[pk])).status_code == 404


def test_a_source_only_a_draft_cites_has_no_api_record(client, record):
    pk = Source.objects.get(title="Unpublished Dossier").pk
    assert client.get(reverse("api:source-detail", args=[pk])).status_code == 404


def test_the_api_refuses_to_filter_by_an_actor_only_drafts_name(client, record):
    pk = Actor.objects.get(name="Unpublished Witness").pk
    response = client.get(reverse("api:event-list"), {"actor": pk})
    assert response.status_code == 400


def test_a_story_spiked_before_publication_answers_404_at_its_permalink(client, record):
    url = reverse("timeline:event", args=[record.conflict.slug, SPIKED["slug"]])
    assert client.get(url).status_code == 404


def test_a_spiked_story_is_not_in_the_apis_list_of_retractions(client, record):
    listed = client.get(reverse("api:retracted-list")).json()["results"]
    assert SPIKED["slug"] not in [item["slug"] for item in listed]


def test_staff_see_a_spiked_story_as_a_private_preview(administrator_client, record):
    url = reverse("timeline:event", args=[record.conflict.slug, SPIKED["slug"]])
    response = administrator_client.get(url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
