"""The public site in Russian, Ukrainian, Armenian, Azerbaijani and Arabic:
the language is in the address and nowhere else, every page links its other
languages, the catalogues are complete for readers and compiled, and the
caches never hand one language's page to another."""

import io
import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

from tests.factories import ConflictFactory, EventFactory
from timeline.invalidation import keys_of_path
from timeline.sections import gap_between
from tracker.models import Event, EventLink, FigureClaim, Participant
from tracker.models.figures import POPULATION_NOUNS

LOCALE = Path(settings.BASE_DIR) / "locale"
OTHER_LANGUAGES = ["ru", "hy", "az", "uk", "ar"]
DEMO = "/conflicts/nagorno-karabakh/"
# Where the strings readers see are written: the public templates and the
# public site's code (the admin's own texts are translated as time allows).
PUBLIC_SOURCES = (
    "templates/timeline/",
    "templates/base.html",
    "templates/_document.html",
    "templates/embed_base.html",
    "templates/404.html",
    "templates/500.html",
    "timeline/",
)
PLURAL_FORMS = {"ru": 3, "uk": 3, "hy": 2, "az": 2, "ar": 6}


def catalogue(language):
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


def reader_vocabulary():
    """The English wording of every choice readers see on a page (an event's
    kind, a participant's role, a figure's metric...), as its msgid."""
    choices = [
        Event.Kind,
        Participant.Role,
        EventLink.Relation,
        FigureClaim.Metric,
        FigureClaim.Population,
        FigureClaim.Qualifier,
        FigureClaim.Grade,
        FigureClaim.Scope,
    ]
    with translation.override("en"):
        words = {str(label) for choice in choices for label in choice.labels}
        words |= {str(inverse) for inverse in EventLink.INVERSE.values()}
    return words


@pytest.fixture
def demo(db):
    call_command("load_demo", stdout=io.StringIO())


# The catalogues


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_every_string_readers_see_is_translated_and_none_is_fuzzy(language):
    po = catalogue(language)
    vocabulary = reader_vocabulary()
    public = [
        entry
        for entry in po
        if any(path.startswith(PUBLIC_SOURCES) for path, _line in entry.occurrences)
        or entry.msgid in vocabulary
    ]

    assert len(public) > 150
    assert [entry.msgid for entry in public if not entry.translated()] == []
    assert [entry.msgid for entry in po if "fuzzy" in entry.flags] == []
    assert vocabulary <= {entry.msgid for entry in po}


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_each_catalogue_has_its_language_s_plural_forms_and_says_who_translated_it(language):
    po = catalogue(language)

    forms = po.metadata["Plural-Forms"]
    assert re.match(rf"nplurals={PLURAL_FORMS[language]}; plural=", forms)
    assert po.metadata["Language"] == language
    assert "to be reviewed by native-speaking editors" in po.header
    for entry in po:
        if entry.msgid_plural and entry.translated():
            assert len(entry.msgstr_plural) == PLURAL_FORMS[language], entry.msgid


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_the_compiled_catalogue_is_the_one_written(language):
    """The .mo files are committed, so that a fresh clone needs no gettext:
    each must hold exactly what its .po says."""
    written = {
        (entry.msgctxt, entry.msgid): entry.msgstr_plural or entry.msgstr
        for entry in catalogue(language).translated_entries()
    }
    mo = polib.mofile(str(LOCALE / language / "LC_MESSAGES" / "django.mo"))
    compiled = {
        (entry.msgctxt, entry.msgid): entry.msgstr_plural or entry.msgstr
        for entry in mo
        if entry.msgid
    }

    assert compiled == written


@pytest.mark.parametrize(
    ("language", "days", "words"),
    [
        ("en", 2, "2 days later"),
        ("ru", 2, "2 дня спустя"),
        ("ru", 5, "5 дней спустя"),
        ("ru", 21, "3 недели спустя"),
        ("uk", 3, "через 3 дні"),
        ("uk", 12, "через 12 днів"),
        ("hy", 3, "3 օր անց"),
        ("az", 3, "3 gün sonra"),
        ("ar", 2, "بعد يومين"),
        ("ar", 3, "بعد 3 أيام"),
        ("ar", 11, "بعد 11 يومًا"),
        ("ar", 800, "بعد سنتين"),
    ],
)
def test_the_time_between_days_takes_each_language_s_plural_forms(language, days, words):
    with translation.override(language):
        assert gap_between(date(2023, 1, 1), date(2023, 1, 1) + timedelta(days=days)) == words


# Language in the address


def test_the_russian_timeline_speaks_russian_at_its_prefix(client, demo):
    html = client.get(f"/ru{DEMO}").content.decode()

    assert '<html lang="ru" dir="ltr">' in html
    assert "Фильтры и поиск" in html
    assert "Как мы записываем события и цифры" in html
    # Dates as Russian writes them, and links that stay in Russian.
    assert "20 сентября 2023" in html
    assert 'href="/ru/conflicts/nagorno-karabakh/events/' in html


def test_english_stays_at_today_s_addresses(client, demo):
    response = client.get(DEMO)

    html = response.content.decode()
    assert '<html lang="en" dir="ltr">' in html
    assert "Filter and search" in html
    assert client.get(f"/en{DEMO}").status_code == 404


def test_arabic_pages_read_right_to_left(client, demo):
    html = client.get(f"/ar{DEMO}").content.decode()

    assert '<html lang="ar" dir="rtl">' in html
    assert "التصفية والبحث" in html


@pytest.mark.parametrize("language", ["en", *OTHER_LANGUAGES])
def test_every_page_links_its_other_languages(client, demo, language):
    prefix = "" if language == "en" else f"/{language}"
    html = client.get(f"{prefix}{DEMO}?kind=ceasefire").content.decode()

    for other in ["en", *OTHER_LANGUAGES]:
        other_prefix = "" if other == "en" else f"/{other}"
        absolute = f"http://testserver{other_prefix}{DEMO}"
        assert f'<link rel="alternate" hreflang="{other}" href="{absolute}">' in html
        # The switcher keeps the reader's filters.
        assert f'href="{other_prefix}{DEMO}?kind=ceasefire" lang="{other}"' in html
    assert f'<link rel="alternate" hreflang="x-default" href="http://testserver{DEMO}">' in html
    current = re.search(r'<a [^>]*aria-current="page">([^<]+)</a>', html)
    assert current[1] == dict(settings.LANGUAGES)[language]


def test_neither_a_cookie_nor_accept_language_chooses_the_language(client, demo):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ru"
    response = client.get(DEMO, headers={"Accept-Language": "ru,hy;q=0.8"})

    assert "Filter and search" in response.content.decode()
    assert response["Content-Language"] == "en"
    assert "Accept-Language" not in response.get("Vary", "")


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
@pytest.mark.parametrize(
    "path",
    [
        "/",
        DEMO,
        f"{DEMO}events/casualty-figures-disputed/",
        f"{DEMO}figures/",
        f"{DEMO}embed/",
        f"{DEMO}feed.atom",
        f"{DEMO}events.csv",
        "/conflicts/nowhere/",
    ],
)
def test_no_page_in_any_language_sets_a_cookie(client, demo, language, path):
    response = client.get(f"/{language}{path}")

    assert response.status_code == (404 if "nowhere" in path else 200)
    assert response.cookies == {}
    assert "Set-Cookie" not in response.headers
    assert response["Content-Language"] == language


def test_the_admin_and_the_api_stay_unprefixed(client, demo):
    assert client.get("/ru/admin/").status_code == 404
    assert client.get("/ru/api/v1/").status_code == 404
    assert client.get("/admin/").status_code == 302


def test_an_unknown_page_answers_404_in_its_language(client, demo):
    response = client.get("/hy/conflicts/nowhere/")

    assert response.status_code == 404
    assert "Էջը չի գտնվել" in response.content.decode()


def test_feeds_and_the_embed_follow_the_prefix(client, demo):
    feed = client.get(f"/uk{DEMO}feed.atom").content.decode()
    embed = client.get(f"/az{DEMO}embed/").content.decode()

    assert "останні події" in feed
    assert '<feed xml:lang="uk"' in feed
    assert "/uk/conflicts/nagorno-karabakh/events/" in feed
    assert "son hadisələr" in embed


def test_the_api_and_downloads_take_lang(client, demo):
    events = client.get("/api/v1/events/?conflict=nagorno-karabakh&lang=ru")
    csv = client.get(f"{DEMO}events.csv?lang=ru")
    english = client.get(f"{DEMO}events.csv")

    assert events.status_code == 200
    assert events["Content-Language"] == "ru"
    assert "сентября 2023" in b"".join(csv.streaming_content).decode()
    assert "September 2023" in b"".join(english.streaming_content).decode()


@pytest.mark.parametrize("path", ["/api/v1/events/?lang=xx", f"{DEMO}claims.csv?lang=../../etc"])
def test_an_unknown_lang_is_refused_with_400(client, demo, path):
    response = client.get(path)

    assert response.status_code == 400
    assert "en, ru, hy, az, uk, ar" in response.content.decode()


# The caches


def test_a_page_s_cache_keys_are_the_same_in_every_language():
    assert keys_of_path("/ru/conflicts/x/") == keys_of_path("/conflicts/x/") == ["conflict-x"]
    assert keys_of_path("/ar/conflicts/x/events/e/") == ["events-of-x"]
    assert keys_of_path("/ru/") == ["home"]


@override_settings(PAGE_CACHE_SECONDS=60, CARD_CACHE_SECONDS=60)
def test_the_page_and_card_caches_keep_each_language_apart(client, demo):
    english = client.get(DEMO).content.decode()
    russian = client.get(f"/ru{DEMO}").content.decode()
    english_again = client.get(DEMO).content.decode()
    russian_again = client.get(f"/ru{DEMO}").content.decode()

    assert "прекращение огня" in russian and "прекращение огня" not in english
    assert english_again == english
    assert russian_again == russian


@pytest.mark.parametrize("language", ["en", "ru"])
def test_the_timeline_and_event_page_query_counts_do_not_grow_with_languages(
    client, db, django_assert_num_queries, language
):
    conflict = ConflictFactory()
    event = EventFactory(conflict=conflict, starts_at=datetime(2023, 9, 20, tzinfo=UTC))
    prefix = "" if language == "en" else f"/{language}"
    # As pinned in English (test_public_pages): the timeline's seven, the
    # newsroom's look and the cards' photos; the event page's seven, its
    # photos, its conflict's phases and claimants' colours and its two
    # neighbours (the look and the overview's totals are kept by now).
    with django_assert_num_queries(9):
        assert client.get(f"{prefix}/conflicts/{conflict.slug}/").status_code == 200
    with django_assert_num_queries(12):
        response = client.get(f"{prefix}/conflicts/{conflict.slug}/events/{event.slug}/")
    assert response.status_code == 200


# Slugs from any script


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Հրադադարն ուժի մեջ է մտել", "hradadarn-uzhi-mej-e-mtel"),
        ("Прекращение огня вступило в силу", "prekrashchenie-ognia-vstupilo-v-silu"),
        ("Припинення вогню", "pripinennia-vogniu"),
        ("Atəşkəs qüvvəyə minib", "ateskes-quvveye-minib"),
        ("وقف إطلاق النار", "wqf-tlq-lnr"),
        ("Ceasefire takes effect at 13:00", "ceasefire-takes-effect-at-1300"),
    ],
)
def test_a_title_in_any_script_gives_a_readable_slug(title, slug, db):
    assert EventFactory(title=title).slug == slug


def test_a_transliterated_slug_does_not_change_with_the_title(db):
    event = EventFactory(title="Հրադադար")

    event.title = "Հրադադարը խախտվել է"
    event.save()
    event.refresh_from_db()

    assert event.slug == "hradadar"


def test_population_nouns_agree_with_the_number_in_russian():
    with translation.override("ru"):
        nouns = [POPULATION_NOUNS[FigureClaim.Population.CIVILIANS](n) for n in (1, 3, 5, 21)]
    assert nouns == ["мирный житель", "мирных жителя", "мирных жителей", "мирный житель"]


def test_the_server_error_page_is_in_the_reader_s_language_without_the_request():
    from django.template.loader import render_to_string

    with translation.override("uk"):
        html = render_to_string("500.html")

    assert '<html lang="uk" dir="ltr">' in html
    assert "Щось пішло не так" in html
    assert 'hreflang="' not in html


def test_the_admin_follows_the_staff_member_s_browser(administrator_client):
    russian = administrator_client.get("/admin/", headers={"Accept-Language": "ru"})
    english = administrator_client.get("/admin/")

    assert "Быстрый ввод: срочное событие" in russian.content.decode()
    assert "Quick entry: a breaking event" in english.content.decode()
