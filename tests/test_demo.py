import io
from datetime import UTC, datetime

import pytest
from django.core.management import call_command

from tracker.models import (
    Actor,
    Citation,
    Conflict,
    Event,
    EventLink,
    FigureClaim,
    Participant,
    Place,
    Source,
)

pytestmark = pytest.mark.django_db

ARTICLE_TITLE = "Ministry of Defense of Azerbaijan confirmed that a ceasefire agreement was reached"
MODELS = [Conflict, Actor, Place, Source, Event, Participant, Citation, EventLink, FigureClaim]


def load_demo():
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def snapshot():
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in MODELS}


def event(slug):
    return Event.objects.select_related("conflict").get(
        conflict__slug="nagorno-karabakh", slug=slug
    )


@pytest.fixture
def demo():
    load_demo()


def test_it_loads_six_published_events():
    load_demo()

    assert Event.objects.count() == 6
    assert Event.objects.published().count() == 6


def test_it_is_idempotent():
    load_demo()
    before = snapshot()

    load_demo()

    after = snapshot()
    assert {name: len(rows) for name, rows in after.items()} == {
        "Conflict": 1,
        "Actor": 9,
        "Place": 2,
        "Source": 1,
        "Event": 6,
        "Participant": 6,
        "Citation": 6,
        "EventLink": 4,
        "FigureClaim": 5,
    }
    assert after == before


def test_it_prints_what_exists():
    output = load_demo()

    assert output.strip() == (
        "Nagorno-Karabakh conflict – events: 6, figure claims: 5, citations: 6, participants: 6, "
        "event links: 4, phases: 2, actors: 9, places: 2, sources: 1, photos: 1"
    )


def test_the_ceasefire_takes_effect_at_13_00_in_baku(demo):
    ceasefire = event("ceasefire-takes-effect")

    assert ceasefire.starts_at == datetime(2023, 9, 20, 9, 0, tzinfo=UTC)
    assert ceasefire.when == "20 September 2023, 13:00 UTC+4"


def test_the_operation_spans_the_day_it_started_and_the_day_of_the_ceasefire(demo):
    assert event("azerbaijan-launches-operation-in-nagorno-karabakh").when == (
        "19 September 2023 – 20 September 2023"
    )


def test_the_casualty_report_is_the_only_disputed_event(demo):
    assert list(Event.objects.disputed()) == [event("casualty-figures-disputed")]


def test_the_killed_figures_are_disputed_between_32_civilians_and_about_100(demo):
    groups = {group.metric: group for group in event("casualty-figures-disputed").figure_groups}

    assert groups["killed"].disputed
    assert groups["killed"].summary == (
        "Killed (Armenian population of Nagorno-Karabakh): 32 civilians, according to "
        "Nagorno-Karabakh regional authorities; about 100, according to Ruben Vardanyan"
    )


def test_every_figure_counts_the_armenian_population_of_karabakh(demo):
    parties = set(FigureClaim.objects.values_list("party__name", "scope"))

    assert parties == {("Armenian population of Nagorno-Karabakh", "incident")}


def test_the_injured_figures_agree(demo):
    groups = {group.metric: group for group in event("casualty-figures-disputed").figure_groups}

    assert not groups["injured"].disputed
    assert groups["injured"].summary == (
        "more than 200 civilians injured (Armenian population of Nagorno-Karabakh)"
    )


def test_every_claim_cites_the_article_in_its_own_words(demo):
    claims = FigureClaim.objects.select_related("source", "claimant")

    assert {claim.source.title for claim in claims} == {ARTICLE_TITLE}
    assert {(claim.claimant.name, claim.wording) for claim in claims} == {
        ("Nagorno-Karabakh regional authorities", "32 civilian fatalities"),
        ("Nagorno-Karabakh regional authorities", "over 200 injuries"),
        ("Nagorno-Karabakh regional authorities", "two children among the casualties"),
        ("Ruben Vardanyan", "around 100 people had been killed"),
        ("Ruben Vardanyan", "hundreds injured"),
    }


def test_every_event_cites_the_article_with_an_excerpt(demo):
    for demo_event in Event.objects.prefetch_related("citations__source"):
        [citation] = demo_event.citations.all()
        assert citation.source.title == ARTICLE_TITLE
        assert citation.excerpt


def test_the_article_has_no_url_and_is_dated_to_the_day(demo):
    article = Source.objects.get()

    assert article.url == ""
    assert article.published_at == datetime(2023, 9, 19, 20, 0, tzinfo=UTC)


def test_the_2023_ceasefire_follows_the_2020_agreement(demo):
    assert EventLink.objects.filter(
        from_event=event("ceasefire-takes-effect"),
        to_event=event("2020-ceasefire-agreement"),
        relation=EventLink.Relation.FOLLOWS,
    ).exists()


def test_the_2020_agreement_is_shown_as_a_year(demo):
    assert event("2020-ceasefire-agreement").when == "2020"
