"""The server-side page cache: anonymous readers get stored pages, and any
change to what a page shows reaches them on their next request."""

from datetime import date, timedelta

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
from timeline import choices
from timeline.cache import renew_everything
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


def test_a_new_release_counts_the_filter_choices_afresh(conflict, monkeypatch):
    counted = []
    monkeypatch.setattr(
        choices, "count_choices", lambda c: counted.append(1) or {"actor": {}, "place": {}}
    )
    choices.filter_choices(conflict)
    choices.filter_choices(conflict)
    assert counted == [1]

    renew_everything()
    choices.filter_choices(conflict)

    assert counted == [1, 1]


# Publishing re-renders what changed, once.


def test_publishing_an_event_leaves_the_pages_of_the_other_events_stored(
    client, event, commit, django_assert_num_queries
):
    # Other than those of its neighbours on the timeline, which link to it
    # (tests/test_event_position.py): this one is the event before `event`.
    other = EventFactory(
        conflict=event.conflict, title="Talks held", starts_at=event.starts_at - timedelta(days=1)
    )
    client.get(other.get_absolute_url())
    _draft, publish_it = publish(event)

    commit(publish_it)

    with django_assert_num_queries(0):
        assert client.get(other.get_absolute_url()).status_code == 200
    assert "Talks scheduled" in text(client, event.conflict.get_absolute_url())


def test_renaming_an_actor_stales_the_pages_of_the_events_that_show_it_and_no_others(
    client, event, commit, django_assert_num_queries
):
    participant = ParticipantFactory(event=event, actor__name="ICRC")
    unrelated = EventFactory(conflict=event.conflict, title="Talks held")
    for url in (event.get_absolute_url(), unrelated.get_absolute_url()):
        client.get(url)

    def rename():
        participant.actor.name = "Red Cross"
        participant.actor.save()

    commit(rename)

    with django_assert_num_queries(0):
        client.get(unrelated.get_absolute_url())
    assert "Red Cross" in text(client, event.get_absolute_url())


def choice_labels(client, conflict, name):
    html = text(client, conflict.get_absolute_url())
    select = html.split(f'name="{name}"', 1)[1].split("</select>", 1)[0]
    return [option.split(">", 1)[1] for option in select.split("</option>")[1:-1]]


@pytest.fixture
def counted(monkeypatch):
    """How many times the choices of a conflict were counted in full."""
    calls = []
    count = choices.count_choices
    monkeypatch.setattr(choices, "count_choices", lambda c: calls.append(c) or count(c))
    return calls


def test_publishing_an_event_adds_its_actors_to_the_filter_choices_without_counting_them_all(
    client, event, commit, counted
):
    ParticipantFactory(event=event, actor__name="ICRC")
    assert choice_labels(client, event.conflict, "actor") == ["ICRC"]
    draft, publish_it = publish(event)
    ParticipantFactory(event=draft, actor__name="OSCE Minsk Group")

    commit(publish_it)

    assert choice_labels(client, event.conflict, "actor") == ["ICRC", "OSCE Minsk Group"]
    assert len(counted) == 1


def test_retracting_the_only_event_naming_an_actor_takes_it_out_of_the_filter_choices(
    client, event, commit, counted
):
    ParticipantFactory(event=event, actor__name="ICRC")
    other = EventFactory(conflict=event.conflict, title="Talks held")
    ParticipantFactory(event=other, actor__name="OSCE Minsk Group")
    assert choice_labels(client, event.conflict, "actor") == ["ICRC", "OSCE Minsk Group"]

    commit(lambda: other.retract(reason="The report was false."))

    assert choice_labels(client, event.conflict, "actor") == ["ICRC"]
    assert len(counted) == 1


def test_renaming_a_place_relabels_its_filter_choice(client, event, commit, counted):
    event.place = PlaceFactory(name="Stepanakert", country_code="AZ")
    event.save()
    assert choice_labels(client, event.conflict, "place") == ["Stepanakert, AZ"]

    def rename():
        event.place.name = "Khankendi"
        event.place.save()

    commit(rename)

    assert choice_labels(client, event.conflict, "place") == ["Khankendi, AZ"]
    assert len(counted) == 1


def test_a_count_that_began_before_a_change_does_not_undo_it(event, commit):
    ParticipantFactory(event=event, actor__name="ICRC")
    draft, publish_it = publish(event)
    ParticipantFactory(event=draft, actor__name="OSCE Minsk Group")
    before_the_change = choices.count_choices(event.conflict)

    def count_that_overlaps_the_change(conflict):
        commit(publish_it)
        return before_the_change

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(choices, "count_choices", count_that_overlaps_the_change)
        choices.filter_choices(event.conflict)

    actors = [label for _pk, label in choices.filter_choices(event.conflict)[0]]
    assert actors == ["ICRC", "OSCE Minsk Group"]


@pytest.mark.django_db(transaction=True)
def test_concurrent_readers_of_a_stale_page_cost_one_rebuild(live_server, monkeypatch):
    """Eight readers ask for the timeline at once, just after a publish: one
    makes the page again, the seven others get the previous copy meanwhile."""
    import threading
    import urllib.request
    from concurrent.futures import ThreadPoolExecutor

    from timeline.middleware import PageCacheMiddleware

    readers = 8
    conflict = ConflictFactory(name="Nagorno-Karabakh conflict")
    EventFactory(conflict=conflict, title="Ceasefire announced")
    url = live_server.url + conflict.get_absolute_url()

    def read():
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.read().decode()

    assert "Ceasefire announced" in read()  # now stored
    draft = EventFactory(conflict=conflict, title="Talks scheduled", status="draft")
    CitationFactory(event=draft)
    draft.publish()  # committed: the stored timeline is stale

    rebuilds, answered, finish_rebuild = [], [], threading.Event()
    make = PageCacheMiddleware._make

    def slow_make(self, request, prefix, previous=None):
        rebuilds.append(request.path)
        finish_rebuild.wait(timeout=30)  # until every other reader is answered
        return make(self, request, prefix, previous)

    monkeypatch.setattr(PageCacheMiddleware, "_make", slow_make)

    def reader(_n):
        page = read()
        answered.append(page)
        if len(answered) == readers - 1:
            finish_rebuild.set()
        return page

    with ThreadPoolExecutor(readers) as pool:
        pages = list(pool.map(reader, range(readers)))

    assert len(rebuilds) == 1
    assert sum("Talks scheduled" in page for page in pages) == 1
    assert sum("Talks scheduled" not in page for page in pages) == readers - 1
