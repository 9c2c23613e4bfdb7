"""The server-side page cache: anonymous readers get stored pages, and any
change to what a page shows reaches them on their next request."""

from datetime import date

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import Client
from django.urls import path, reverse
from django.utils.cache import patch_cache_control

from tests.factories import (
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
)
from timeline.cache import remembered, renew_everything
from tracker.models import Event

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def conflict():
    return ConflictFactory(name="Nagorno-Karabakh conflict")


@pytest.fixture
def event(conflict):
    return EventFactory(conflict=conflict, title="Ceasefire announced")


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run a change as committed: pages are renewed once it is."""

    def run(change, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return change(**kwargs)

    return run


def pages(event):
    return [reverse("timeline:home"), event.conflict.get_absolute_url(), event.get_absolute_url()]


def text(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_an_anonymous_reader_gets_a_stored_page_without_touching_the_database(
    client, event, django_assert_num_queries
):
    for url in pages(event):
        client.get(url)
        with django_assert_num_queries(0):
            response = client.get(url)
        assert response.status_code == 200, url


def test_stored_pages_set_no_cookie_and_stay_revalidated(client, event):
    for url in pages(event):
        client.get(url)
        response = client.get(url)
        assert "Set-Cookie" not in response.headers, url
        assert response["Cache-Control"] == "public, no-cache", url
        assert response.has_header("ETag"), url


def test_a_stored_page_answers_304_to_a_conditional_get(client, event, django_assert_num_queries):
    for url in pages(event):
        etag = client.get(url)["ETag"]
        with django_assert_num_queries(0):
            response = client.get(url, headers={"If-None-Match": etag})
        assert response.status_code == 304, url


def test_a_change_gives_a_new_etag(client, event, commit):
    url = event.get_absolute_url()
    etag = client.get(url)["ETag"]
    commit(CorrectionFactory, event=event)

    response = client.get(url, headers={"If-None-Match": etag})

    assert response.status_code == 200


def test_signed_in_staff_never_get_stored_pages(
    administrator_client, event, django_assert_max_num_queries
):
    url = event.conflict.get_absolute_url()
    Client().get(url)

    with django_assert_max_num_queries(20) as captured:
        response = administrator_client.get(url)

    assert response.status_code == 200
    assert len(captured.captured_queries) > 0


def test_staff_previews_are_never_stored(administrator_client):
    draft = EventFactory(title="Draft of a strike", status=Event.Status.DRAFT)
    assert administrator_client.get(draft.get_absolute_url()).status_code == 200

    assert Client().get(draft.get_absolute_url()).status_code == 404


answers_under_the_admin = []


def answer_as_a_public_page_would(request):
    answers_under_the_admin.append(request.path)
    response = HttpResponse("The newsroom's desk")
    patch_cache_control(response, public=True, max_age=60)
    return response


# The admin's own pages say they are private, and a signed-in person carries
# a session cookie, either of which keeps a page out of the cache: this
# address under /admin/ has neither, so only the admin rule keeps it out.
urlpatterns = [path("admin/desk/", answer_as_a_public_page_would)]


def test_the_admin_is_never_stored_even_when_an_answer_looks_public(settings):
    settings.ROOT_URLCONF = __name__
    answers_under_the_admin.clear()
    reader = Client()

    for _ in range(2):
        response = reader.get("/admin/desk/")
        assert response.status_code == 200
        assert "public" in response["Cache-Control"]

    assert not reader.cookies
    assert answers_under_the_admin == ["/admin/desk/", "/admin/desk/"]


def test_caching_can_be_turned_off(client, event, settings, django_assert_max_num_queries):
    settings.PAGE_CACHE_SECONDS = 0
    url = event.conflict.get_absolute_url()
    client.get(url)

    with django_assert_max_num_queries(20) as captured:
        client.get(url)

    assert len(captured.captured_queries) > 0


def test_pages_of_other_conflicts_stay_stored_when_one_changes(
    client, event, commit, django_assert_num_queries
):
    other = EventFactory(conflict=ConflictFactory(slug="other", name="Other"), title="Other")
    client.get(other.conflict.get_absolute_url())

    commit(EventFactory, conflict=event.conflict, title="Talks scheduled")

    with django_assert_num_queries(0):
        client.get(other.conflict.get_absolute_url())


# Each change: what it does, and the words that must then be on (or gone
# from) the pages of `event` that show them.


def publish(event):
    draft = EventFactory(conflict=event.conflict, title="Talks scheduled", status="draft")
    CitationFactory(event=draft)
    return draft, lambda: draft.publish()


def change_event_title(event):
    def change():
        event.title = "Ceasefire takes effect"
        event.save()

    return None, change


def retract(event):
    return None, lambda: event.retract(reason="The report was false.")


def move_to_other_conflict(event):
    other = ConflictFactory(slug="elsewhere", name="Elsewhere")

    def change():
        event.conflict = other
        event.save()

    return None, change


def add_claim(event):
    return None, lambda: ClaimFactory(event=event, best=4321)


def edit_claim(event):
    claim = ClaimFactory(event=event, best=32)

    def change():
        claim.best = 4321
        claim.save()

    return None, change


def delete_claim(event):
    claim = ClaimFactory(event=event, best=4321)
    return None, claim.delete


def add_citation(event):
    return None, lambda: CitationFactory(event=event, source__title="Eyewitness account")


def edit_source(event):
    citation = CitationFactory(event=event, source__title="First report")

    def change():
        citation.source.title = "Eyewitness account"
        citation.source.save()

    return None, change


def add_participant(event):
    return None, lambda: ParticipantFactory(event=event, actor__name="Red Cross")


def rename_actor(event):
    participant = ParticipantFactory(event=event, actor__name="ICRC")

    def change():
        participant.actor.name = "Red Cross"
        participant.actor.save()

    return None, change


def rename_place(event):
    event.place = PlaceFactory(name="Stepanakert")
    event.save()

    def change():
        event.place.name = "Khankendi"
        event.place.save()

    return None, change


def add_correction(event):
    return None, lambda: CorrectionFactory(event=event, note="The time was wrong.")


def delete_correction(event):
    correction = CorrectionFactory(event=event, note="The time was wrong.")
    return None, correction.delete


def add_phase(event):
    return None, lambda: PhaseFactory(
        conflict=event.conflict, name="Offensive phase", starts_on=date(2023, 9, 1)
    )


def rename_conflict(event):
    def change():
        event.conflict.name = "Karabakh war"
        event.conflict.save()

    return None, change


def link_events(event):
    other = EventFactory(conflict=ConflictFactory(slug="other", name="Other"), title="Talks held")
    return None, lambda: EventLinkFactory(from_event=event, to_event=other)


def retitle_linked_event(event):
    other = EventFactory(conflict=ConflictFactory(slug="other", name="Other"), title="Talks")
    EventLinkFactory(from_event=event, to_event=other)

    def change():
        other.title = "Talks held"
        other.save()

    return None, change


CHANGES = [  # change, page, words shown after it, words gone after it
    (publish, "conflict", "Talks scheduled", None),
    (change_event_title, "conflict", "Ceasefire takes effect", "Ceasefire announced"),
    (change_event_title, "event", "Ceasefire takes effect", None),
    (retract, "conflict", None, "Ceasefire announced"),
    (retract, "event", "The report was false.", None),
    (move_to_other_conflict, "conflict", None, "Ceasefire announced"),
    (add_claim, "conflict", "4,321", None),
    (add_claim, "event", "4,321", None),
    (edit_claim, "event", "4,321", None),
    (delete_claim, "event", None, "4,321"),
    (add_citation, "event", "Eyewitness account", None),
    (edit_source, "event", "Eyewitness account", "First report"),
    (add_participant, "conflict", "Red Cross", None),
    (rename_actor, "event", "Red Cross", "ICRC"),
    (rename_place, "conflict", "Khankendi", "Stepanakert"),
    (add_correction, "event", "The time was wrong.", None),
    (delete_correction, "event", None, "The time was wrong."),
    (add_phase, "conflict", "Offensive phase", None),
    (rename_conflict, "conflict", "Karabakh war", None),
    (rename_conflict, "home", "Karabakh war", None),
    (link_events, "event", "Talks held", None),
    (retitle_linked_event, "event", "Talks held", None),
]


@pytest.mark.parametrize(
    ("prepare", "page", "shown", "gone"),
    CHANGES,
    ids=[f"{change.__name__}-{page}" for change, page, _shown, _gone in CHANGES],
)
def test_readers_see_each_change_on_their_next_request(
    client, event, commit, prepare, page, shown, gone
):
    _extra, change = prepare(event)
    url = {
        "home": reverse("timeline:home"),
        "conflict": event.conflict.get_absolute_url(),
        "event": event.get_absolute_url(),
    }[page]
    before = text(client, url)
    assert text(client, url) == before  # now stored

    commit(change)

    after = client.get(url).content.decode()
    assert after != before
    if shown:
        assert shown in after
    if gone:
        assert gone not in after


def test_pages_are_kept_apart_by_their_query(client, event):
    EventFactory(conflict=event.conflict, title="Strike on a bridge", kind=Event.Kind.STRIKE)
    url = event.conflict.get_absolute_url()

    assert "Strike on a bridge" in text(client, url)
    assert "Strike on a bridge" not in text(client, url + "?kind=ceasefire")


def test_a_source_is_shared_between_conflicts(client, event, commit):
    source = SourceFactory(title="Wire report")
    CitationFactory(event=event, source=source)
    url = event.get_absolute_url()
    text(client, url)

    def rename():
        source.title = "Wire report, updated"
        source.save()

    commit(rename)

    assert "Wire report, updated" in text(client, url)


def test_a_new_release_does_not_serve_what_an_older_one_stored(client, event):
    url = event.conflict.get_absolute_url()
    client.get(url)
    Event.objects.filter(pk=event.pk).update(title="Changed behind the cache")
    assert "Ceasefire announced" in client.get(url).content.decode()

    renew_everything()

    assert "Changed behind the cache" in client.get(url).content.decode()


def test_a_new_release_recomputes_remembered_answers(conflict):
    computed = []
    remembered("answer", conflict, lambda: computed.append(1) or "old shape")
    remembered("answer", conflict, lambda: computed.append(1) or "old shape")
    assert computed == [1]

    renew_everything()

    assert remembered("answer", conflict, lambda: "new shape") == "new shape"
