"""Long unbroken words (a URL pasted as a title, a name in a script written
without spaces) wrap on every public page at a phone's narrowest width, so
no page, and no page framing the embed, scrolls sideways."""

from datetime import UTC, date, datetime

import pytest

from tests.factories import (
    ActorFactory,
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
from tracker.models import Actor, Conflict, Event, FigureClaim, Place, Source

pytestmark = pytest.mark.browser

NARROWEST = 320


def long_word(model, field, letter):
    """One word as long as the field takes, up to 300 characters."""
    return letter * min(300, model._meta.get_field(field).max_length)


@pytest.fixture
def long_words(transactional_db):
    conflict = ConflictFactory(
        name=long_word(Conflict, "name", "C"), summary="S" * 300, introduction="I" * 300
    )
    PhaseFactory(conflict=conflict, name="P" * 100, starts_on=date(2023, 9, 1))
    claimant = ActorFactory(name=long_word(Actor, "name", "A"), description="D" * 300)
    source = SourceFactory(
        title=long_word(Source, "title", "T"),
        publisher="B" * 200,
        url="https://news.example.org/" + "u" * 270,
    )
    event = EventFactory(
        conflict=conflict,
        slug="long",
        title=long_word(Event, "title", "E"),
        summary="W" * 300,
        place=PlaceFactory(name=long_word(Place, "name", "L"), admin_region="R" * 200),
        starts_at=datetime(2023, 9, 20, 9, tzinfo=UTC),
        is_key=True,
    )
    ParticipantFactory(event=event, actor=claimant)
    ClaimFactory(
        event=event,
        claimant=claimant,
        source=source,
        wording=long_word(FigureClaim, "wording", "w"),
        best=32,
    )
    ClaimFactory(event=event, source=source, best=2_000_000_000, qualifier="about")
    CorrectionFactory(event=event, note="N" * 300)
    EventLinkFactory(from_event=event, to_event=EventFactory(conflict=conflict, title="X" * 300))
    return conflict


PAGES = [
    "/",
    "/conflicts/{conflict}/",
    "/conflicts/{conflict}/?q=" + "q" * 200,
    "/conflicts/{conflict}/events/long/",
    "/conflicts/{conflict}/figures/",
    "/conflicts/{conflict}/embed/",
    "/api/docs/",
]


@pytest.mark.parametrize("path", PAGES)
def test_no_public_page_is_wider_than_a_narrow_phone(browser, live_server, long_words, path):
    context = browser.new_context(viewport={"width": NARROWEST, "height": 640}, is_mobile=True)
    page = context.new_page()
    page.goto(live_server.url + path.format(conflict=long_words.slug))
    # Open what folds away, so that its content is measured too.
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")

    width = page.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert width <= NARROWEST, f"{path} is {width} px wide"
