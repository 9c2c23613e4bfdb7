"""The records in the readers' languages: what each page shows, the original
marked where the newsroom has not translated it, what the admin asks of a
translation, and what it costs."""

import io
from datetime import UTC, datetime, timedelta

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from tests.admin_forms import page_form_data
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
    fully_detailed_event,
)
from tracker import newsroom
from tracker.models import Actor, Conflict, Correction, Event, MediaItem, Phase, Place
from tracker.models.translated import LANGUAGES, column, in_language
from tracker.search import CONFIGS, DOCUMENT_SQL, search_events
from tracker.translation import translation_columns

pytestmark = pytest.mark.django_db

IN_ENGLISH_HY = "(անգլերեն)"
IN_ENGLISH_RU = "(на английском)"


def timeline(conflict, language=""):
    prefix = f"/{language}" if language else ""
    return f"{prefix}/conflicts/{conflict.slug}/"


def event_page(event, language):
    return f"/{language}{event.get_absolute_url()}"


def html(client, path):
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def change_url(event):
    return reverse("admin:tracker_event_change", args=[event.pk])


def every_translation(record, text="перевод"):
    """`record` translated into every language, for costs that must not grow."""
    for name in translation_columns(type(record)):
        setattr(record, name, f"{text} {name}")
    record.save()


def test_a_russian_page_shows_an_events_russian_title(client):
    conflict = ConflictFactory()
    event = EventFactory(
        conflict=conflict, title="Ceasefire set to take effect", title_ru="Прекращение огня"
    )
    assert "Прекращение огня" in html(client, timeline(conflict, "ru"))
    page = html(client, event_page(event, "ru"))
    assert "<h1>Прекращение огня</h1>" in page
    assert "<title>Прекращение огня — " in page


def test_an_untranslated_title_is_shown_in_english_marked_with_its_language(client):
    conflict = ConflictFactory()
    EventFactory(conflict=conflict, title="Talks scheduled in Yevlakh", title_ru="Переговоры")
    page = html(client, timeline(conflict, "hy"))
    assert (
        f'<span lang="en" dir="auto">Talks scheduled in Yevlakh</span> '
        f'<span class="in-original">{IN_ENGLISH_HY}</span>'
    ) in page


def test_the_english_page_shows_the_original_unmarked(client):
    conflict = ConflictFactory()
    EventFactory(conflict=conflict, title="Talks scheduled in Yevlakh", title_ru="Переговоры")
    page = html(client, timeline(conflict))
    assert "Talks scheduled in Yevlakh" in page
    assert "Переговоры" not in page
    assert "in-original" not in page


def test_an_untranslated_summary_is_shown_in_a_block_marked_english(client):
    event = EventFactory(title_ru="Переговоры", summary="Azerbaijan **said** talks would start.")
    page = html(client, event_page(event, "ru"))
    assert (
        '<div lang="en" dir="auto">'
        "<p>Azerbaijan <strong>said</strong> talks would start.</p></div> "
        f'<span class="in-original">{IN_ENGLISH_RU}</span>'
    ) in page


def test_a_translated_summary_is_rendered_as_markdown_unmarked(client):
    event = EventFactory(summary="Talks.", summary_ru="Азербайджан **заявил** о переговорах.")
    page = html(client, event_page(event, "ru"))
    assert "<p>Азербайджан <strong>заявил</strong> о переговорах.</p>" in page
    assert '<div lang="en">' not in page


def test_the_conflict_its_phases_actors_places_notes_and_captions_are_shown_translated(client):
    conflict = ConflictFactory(
        name_ru="Нагорно-карабахский конфликт", introduction="Intro.", introduction_ru="Введение."
    )
    PhaseFactory(conflict=conflict, name="Offensive", name_ru="Наступление", starts_on="2023-09-19")
    place = PlaceFactory(name="Yevlakh", name_ru="Евлах")
    event = EventFactory(conflict=conflict, place=place)
    ParticipantFactory(event=event, actor=ActorFactory(name="Azerbaijan", name_ru="Азербайджан"))
    CorrectionFactory(event=event, note="Wrong time.", note_ru="Неверное время.")
    MediaItemFactory(event=event, caption="Residents.", caption_ru="Жители.")

    page = html(client, timeline(conflict, "ru"))
    assert "<h1>Нагорно-карабахский конфликт</h1>" in page
    assert "<p>Введение.</p>" in page
    assert "Наступление</h2>" in page
    assert "Азербайджан" in page and "Евлах, AZ" in page
    page = html(client, event_page(event, "ru"))
    for text in ["Нагорно-карабахский конфликт", "Азербайджан", "Неверное время.", "Жители."]:
        assert text in page
    for original in ["Azerbaijan", "Wrong time.", "Residents.", "Yevlakh"]:
        assert original not in page


def test_a_figures_original_wording_is_marked_with_its_sources_language(client):
    claim = ClaimFactory(wording="over 200 injuries", source=SourceFactory(language="en"))
    ClaimFactory(
        event=claim.event, wording="около 100 погибших", source=SourceFactory(language="ru")
    )
    for language in ["ru", "hy"]:
        page = html(client, event_page(claim.event, language))
        assert '<q class="wording" lang="en" dir="auto">over 200 injuries</q>' in page
        assert '<q class="wording" lang="ru" dir="auto">около 100 погибших</q>' in page


def test_a_wording_whose_source_names_no_language_is_marked_as_of_unknown_language(client):
    claim = ClaimFactory(wording="hundreds injured", source=SourceFactory(language=""))
    page = html(client, event_page(claim.event, "ru"))
    assert '<q class="wording" lang="" dir="auto">hundreds injured</q>' in page


def test_the_figures_page_marks_each_wordings_language(client):
    claim = ClaimFactory(wording="over 200 injuries", source=SourceFactory(language="en"))
    page = html(client, f"/ru/conflicts/{claim.event.conflict.slug}/figures/")
    assert '<q class="wording" lang="en" dir="auto">over 200 injuries</q>' in page


def test_a_claimants_name_is_translated_where_its_figures_are_shown(client):
    claim = ClaimFactory(claimant=ActorFactory(name="Ruben Vardanyan", name_ru="Рубен Варданян"))
    assert "Рубен Варданян" in html(client, event_page(claim.event, "ru"))


def test_an_overview_band_of_an_untranslated_phase_is_marked_english(client):
    conflict = ConflictFactory()
    PhaseFactory(conflict=conflict, name="Offensive", name_ru="Наступление", starts_on="2023-09-19")
    EventFactory(conflict=conflict)
    assert ">Наступление</text>" in html(client, timeline(conflict, "ru"))
    assert 'lang="en">Offensive</text>' in html(client, timeline(conflict, "hy"))


def test_a_russian_feed_titles_its_items_in_russian(client):
    event = EventFactory(title="Ceasefire", title_ru="Прекращение огня")
    feed = html(client, f"/ru/conflicts/{event.conflict.slug}/feed.atom")
    assert "<title>Прекращение огня</title>" in feed
    feed = html(client, f"/conflicts/{event.conflict.slug}/feed.atom")
    assert "<title>Ceasefire</title>" in feed


def test_the_csv_download_keeps_the_original_whatever_language_is_asked(client):
    event = EventFactory(title="Ceasefire", title_ru="Прекращение огня")
    response = client.get(f"/conflicts/{event.conflict.slug}/events.csv?lang=ru")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Ceasefire" in body
    assert "Прекращение огня" not in body


def test_the_timelinejs_document_is_in_the_language_asked_with_the_original_marked(client):
    conflict = ConflictFactory()
    EventFactory(conflict=conflict, title="Ceasefire", title_ru="Прекращение огня")
    EventFactory(conflict=conflict, title="Talks")
    document = client.get(f"/conflicts/{conflict.slug}/timelinejs.json?lang=ru").json()
    headlines = [slide["text"]["headline"] for slide in document["events"]]
    assert "Прекращение огня" in headlines
    talks = (
        f'<span lang="en" dir="auto">Talks</span> <span class="in-original">{IN_ENGLISH_RU}</span>'
    )
    assert talks in headlines


def test_the_api_keeps_the_original_titles(client):
    event = EventFactory(title="Ceasefire", title_ru="Прекращение огня")
    response = client.get(f"/api/v1/events/{event.pk}/?lang=ru")
    assert response.status_code == 200
    assert response.json()["title"] == "Ceasefire"
    assert "Прекращение огня" not in response.content.decode()


@pytest.mark.parametrize("language", ["ru", "hy", "ar"])
def test_no_page_in_another_language_sets_a_cookie(client, language):
    event = EventFactory(title_ru="Прекращение огня")
    for path in [timeline(event.conflict, language), event_page(event, language)]:
        response = client.get(path)
        assert response.status_code == 200
        assert not response.cookies
        assert "Set-Cookie" not in response.headers


def test_a_card_kept_for_one_language_is_never_shown_in_another(client):
    conflict = ConflictFactory()
    EventFactory(conflict=conflict, title="Ceasefire", title_ru="Прекращение огня")
    assert "Прекращение огня" in html(client, timeline(conflict, "ru"))
    page = html(client, timeline(conflict))
    assert "Прекращение огня" not in page and "Ceasefire" in page


def test_a_card_is_made_again_when_only_its_translation_changes(client):
    conflict = ConflictFactory()
    event = EventFactory(conflict=conflict, title="Ceasefire", title_ru="Прекращение огня")
    html(client, timeline(conflict, "ru"))
    event.title_ru = "Перемирие"
    event.save()
    assert "Перемирие" in html(client, timeline(conflict, "ru"))


def test_changing_only_a_translation_of_a_published_event_needs_no_note_and_is_in_its_history(
    editor_client,
):
    event = EventFactory(status=Event.Status.PUBLISHED, title="Ceasefire")
    data = page_form_data(editor_client.get(change_url(event)))
    data |= {"title_ru": "Прекращение огня", "summary_hy": "Հրադադար"}
    response = editor_client.post(change_url(event), data)
    assert response.status_code == 302
    event.refresh_from_db()
    assert (event.title, event.title_ru, event.summary_hy) == (
        "Ceasefire",
        "Прекращение огня",
        "Հրադադար",
    )
    assert not Correction.objects.exists()
    latest, before = event.history.order_by("-history_date", "-history_id")[:2]
    assert (latest.title_ru, before.title_ru) == ("Прекращение огня", None)
    changed = sorted(change.field for change in latest.diff_against(before).changes)
    assert changed == ["summary_hy", "title_ru"]


def test_changing_the_original_with_a_translation_still_needs_a_note(editor_client):
    event = EventFactory(status=Event.Status.PUBLISHED, title="Ceasefire at 11:00")
    data = page_form_data(editor_client.get(change_url(event)))
    data |= {"title": "Ceasefire at 13:00", "title_ru": "Прекращение огня в 13:00"}
    response = editor_client.post(change_url(event), data)
    assert response.status_code == 200
    assert "correction_note" in response.context["adminform"].form.errors
    event.refresh_from_db()
    assert (event.title, event.title_ru) == ("Ceasefire at 11:00", None)


def test_translating_only_the_caption_of_a_published_events_photo_needs_no_note(editor_client):
    item = MediaItemFactory(event=EventFactory(status=Event.Status.PUBLISHED))
    data = page_form_data(editor_client.get(change_url(item.event)))
    data["media-0-caption_ru"] = "Жители у больницы."
    response = editor_client.post(change_url(item.event), data)
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.caption_ru == "Жители у больницы."
    assert not Correction.objects.exists()


def test_translating_only_the_name_of_an_actor_published_events_show_needs_no_note(
    editor_client,
):
    participant = ParticipantFactory(event=EventFactory(status=Event.Status.PUBLISHED))
    actor = participant.actor
    url = reverse("admin:tracker_actor_change", args=[actor.pk])
    data = page_form_data(editor_client.get(url)) | {"name_ru": "Азербайджан"}
    response = editor_client.post(url, data)
    assert response.status_code == 302
    actor.refresh_from_db()
    assert actor.name_ru == "Азербайджан"
    assert not Correction.objects.exists()


def test_an_empty_translation_is_stored_as_not_translated(editor_client):
    actors = [ActorFactory(), ActorFactory()]
    for actor in actors:
        url = reverse("admin:tracker_actor_change", args=[actor.pk])
        data = page_form_data(editor_client.get(url)) | {"description": "Changed."}
        assert editor_client.post(url, data).status_code == 302
    # Two actors without a Russian name do not share one: unique in each
    # language, as the original is.
    assert list(Actor.objects.values_list("name_ru", flat=True)) == [None, None]


def test_the_event_form_offers_every_language_of_title_and_summary(editor_client):
    page = editor_client.get(change_url(EventFactory())).content.decode()
    for language in LANGUAGES:
        assert f'name="title_{language}"' in page
        assert f'name="summary_{language}"' in page


def test_the_missing_translation_filter_lists_the_published_events_readers_see_in_english(
    editor_client,
):
    translated = EventFactory(title="Translated", title_ru="Переведено", summary="")
    whole = EventFactory(title="Whole", title_ru="Целиком", summary="S.", summary_ru="С.")
    untitled = EventFactory(title="No Russian title", title_ru=None)
    blank = EventFactory(title="Blank Russian title", title_ru="")
    summary_only = EventFactory(title="Summary untranslated", title_ru="Заголовок", summary="S.")
    EventFactory(title="A draft", status=Event.Status.DRAFT)
    url = reverse("admin:tracker_event_changelist")
    response = editor_client.get(url, {"untranslated": "ru"})
    assert response.status_code == 200
    listed = set(response.context["cl"].result_list)
    assert listed == {untitled, blank, summary_only}
    assert translated not in listed and whole not in listed
    response = editor_client.get(url, {"untranslated": "hy"})
    assert len(response.context["cl"].result_list) == 5
    assert "published, not into Հայերեն" in response.content.decode()


def test_untranslated_is_the_events_domain_word_for_the_queue():
    EventFactory(title_ru="Перевод")
    missing = EventFactory(title_ru=None)
    assert list(Event.objects.untranslated("ru")) == [missing]


def test_the_text_in_a_language_says_whether_it_is_the_original():
    event = EventFactory.build(title="Ceasefire", title_ru="Прекращение огня")
    assert (
        str(in_language(event, "title", "ru")),
        in_language(event, "title", "ru").in_original,
    ) == (
        "Прекращение огня",
        False,
    )
    shown = in_language(event, "title", "hy")
    assert (str(shown), shown.language, shown.in_original) == ("Ceasefire", "en", True)
    assert not in_language(event, "title", "en").in_original


def test_every_translated_field_has_a_column_in_each_language_and_in_the_history():
    expected = {
        Conflict: ["name", "summary", "introduction", "methodology"],
        Event: ["title", "summary"],
        Event.history.model: ["title", "summary"],
        Actor: ["name"],
        Place: ["name"],
        Phase: ["name"],
        Correction: ["note"],
        MediaItem: ["caption"],
        MediaItem.history.model: ["caption"],
    }
    for model, fields in expected.items():
        columns = {field.column for field in model._meta.concrete_fields}
        for name in fields:
            assert {column(name, language) for language in LANGUAGES} <= columns, model


def test_lookups_on_the_plain_column_read_the_original_on_a_page_in_another_language():
    EventFactory(title="Ceasefire", title_ru="Прекращение огня")
    with translation.override("ru"):
        assert Event.objects.filter(title="Ceasefire").count() == 1
        assert Event(title="Talks").title_ru is None
        assert Event.objects.get().title == "Ceasefire"


def queries(client, path):
    """The queries of `path` from nothing kept, as the pinned counts are made."""
    cache.clear()
    newsroom.forget()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_timeline_costs_the_same_queries_in_every_language_translated_or_not(client):
    plain, translated = ConflictFactory(slug="plain"), ConflictFactory(slug="translated")
    start = datetime(2023, 9, 1, tzinfo=UTC)
    for conflict in (plain, translated):
        for n in range(5):
            fully_detailed_event(conflict, start + timedelta(days=n))
    every_translation(translated)
    for event in Event.objects.filter(conflict=translated):
        every_translation(event)
        for part in [*event.corrections.all(), *event.media.all()]:
            every_translation(part)
        for participant in event.participants.all():
            every_translation(participant.actor, f"имя {participant.pk}")
    counts = {
        (conflict.slug, language): queries(client, timeline(conflict, language))
        for conflict in (plain, translated)
        for language in ["", "ru", "hy"]
    }
    # As pinned in tests/test_public_pages.py: the translations are columns
    # of the rows the page loads anyway.
    assert set(counts.values()) == {9}, counts


def test_the_event_page_costs_the_same_queries_in_every_language_translated_or_not(client):
    plain = fully_detailed_event(ConflictFactory(), datetime(2023, 9, 20, tzinfo=UTC))
    translated = fully_detailed_event(plain.conflict, datetime(2023, 9, 21, tzinfo=UTC))
    every_translation(translated)
    for part in [*translated.corrections.all(), *translated.media.all()]:
        every_translation(part)
    counts = {
        (event.slug, language): queries(client, f"/{language}{event.get_absolute_url()}")
        for event in (plain, translated)
        for language in ["ru", "hy"]
    }
    counts[plain.slug, "en"] = queries(client, plain.get_absolute_url())
    assert set(counts.values()) == {7 + 1 + 1 + 3 + 2}, counts


def test_the_demo_shows_russian_titles_and_armenian_ones_beside_marked_english(client):
    call_command("load_demo", stdout=io.StringIO())
    conflict = Conflict.objects.get(slug="nagorno-karabakh")
    russian = html(client, timeline(conflict, "ru"))
    for title in Event.objects.in_conflict(conflict).values_list("title_ru", flat=True):
        assert title and title in russian
    assert "<h1>Нагорно-карабахский конфликт</h1>" in russian
    armenian = html(client, timeline(conflict, "hy"))
    assert "Հրադադարը պետք է ուժի մեջ մտնի" in armenian
    assert (
        '<span lang="en" dir="auto">Conflicting casualty figures reported</span> '
        f'<span class="in-original">{IN_ENGLISH_HY}</span>'
    ) in armenian
    assert not client.get(timeline(conflict, "hy")).cookies


def test_the_map_names_places_in_the_pages_language(client):
    place = PlaceFactory(name="Yevlakh", name_ru="Евлах", latitude=40.61832, longitude=47.15014)
    event = EventFactory(place=place)
    page = html(client, f"/ru/conflicts/{event.conflict.slug}/map/")
    assert "Евлах" in page and "Yevlakh" not in page
    assert "Yevlakh" in html(client, f"/hy/conflicts/{event.conflict.slug}/map/")


postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the stored document is PostgreSQL's"
)


def found_in(language, terms):
    with translation.override(language):
        events = search_events(Event.objects.all(), terms)
        return sorted(events.values_list("title", flat=True))


@postgresql_only
def test_a_russian_search_finds_a_russian_title_by_another_form_of_its_words():
    EventFactory(title="Talks scheduled in Yevlakh", title_ru="Переговоры назначены в Евлахе")
    EventFactory(title="Ceasefire", title_ru="Прекращение огня")
    # The Russian stemmer reads переговоров and переговоры as one word.
    assert found_in("ru", "переговоров") == ["Talks scheduled in Yevlakh"]


@postgresql_only
def test_a_search_in_another_language_also_reads_the_english_original():
    EventFactory(title="Ceasefire takes effect", title_ru="Прекращение огня")
    assert found_in("ru", "ceasefires") == ["Ceasefire takes effect"]
    assert found_in("hy", "ceasefire") == ["Ceasefire takes effect"]


@postgresql_only
def test_an_english_search_is_not_stemmed_as_russian():
    EventFactory(title="Talks", title_ru="Переговоры назначены")
    assert found_in("en", "переговоров") == []


@postgresql_only
def test_an_arabic_title_is_found_by_the_arabic_stemmer_and_an_armenian_one_as_written():
    EventFactory(title="Truce", title_ar="الهدنة في يفلاخ", title_hy="Հրադադար Եվլախում")
    # The Arabic stemmer drops the article: هدنة finds الهدنة.
    assert found_in("ar", "هدنة") == ["Truce"]
    # `simple` for Armenian: the word as written, in any case.
    assert found_in("hy", "ՀՐԱԴԱԴԱՐ") == ["Truce"]
    assert found_in("hy", "հրադադարի") == []


@postgresql_only
def test_a_translation_changed_alone_makes_the_document_again():
    event = EventFactory(title="Talks", title_ru="Переговоры")
    event.title_ru = "Прекращение огня"
    event.save()
    assert found_in("ru", "прекращение") == ["Talks"]
    assert found_in("ru", "переговоры") == []


@postgresql_only
def test_a_translation_changed_in_bulk_makes_the_document_again():
    EventFactory(title="Talks", title_ru="Переговоры")
    Event.objects.update(title_ru="Перемирие")
    assert found_in("ru", "перемирие") == ["Talks"]


def test_each_languages_configuration_makes_the_document_of_its_title_and_summary():
    function = DOCUMENT_SQL[0]
    for language in LANGUAGES:
        for name in ("title", "summary"):
            made = f"to_tsvector('{CONFIGS[language]}'::regconfig, COALESCE(event.{name}_{language}"
            assert made in function, (language, name)
    assert (CONFIGS["ru"], CONFIGS["ar"], CONFIGS["en"]) == ("russian", "arabic", "english")
    assert {CONFIGS[language] for language in ("hy", "az", "uk")} == {"simple"}


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite's fallback")
def test_sqlite_finds_the_readers_translation_by_substring():
    EventFactory(title="Talks", title_ru="Переговоры в Евлахе")
    assert found_in("ru", "Евлах") == ["Talks"]
    assert found_in("hy", "Евлах") == []


def test_the_timeline_searches_in_the_pages_language(client):
    conflict = ConflictFactory()
    EventFactory(conflict=conflict, title="Talks", title_ru="Переговоры в Евлахе")
    EventFactory(conflict=conflict, title="Ceasefire", title_ru="Прекращение огня")
    page = html(client, timeline(conflict, "ru") + "?q=Евлахе")
    assert "Переговоры в Евлахе" in page and "Прекращение огня" not in page


def test_a_translated_timelinejs_headline_is_escaped_like_the_original(client):
    event = EventFactory(title="Talks", title_ru="Переговоры <отложены> & перенесены")
    document = client.get(f"/conflicts/{event.conflict.slug}/timelinejs.json?lang=ru").json()
    [slide] = document["events"]
    assert slide["text"]["headline"] == "Переговоры &lt;отложены&gt; &amp; перенесены"
