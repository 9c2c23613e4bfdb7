"""Maps in a real headless Chromium: an editor places an event with the
gazetteer, and readers see it on the conflict map and the event's locator;
the map asks nothing of another host, and passes axe."""

import io

import pytest
from django.core.management import call_command

from tests.factories import CitationFactory, ConflictFactory, EventFactory
from tests.test_browser import choose_autocomplete, sign_in
from tests.test_browser_reading import csp_violations, serious_violations
from tracker.models import Event, Place

pytestmark = pytest.mark.browser

MAP = "/conflicts/nagorno-karabakh/map/"
TALKS = "/conflicts/nagorno-karabakh/events/talks-scheduled-in-yevlakh/"


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", stdout=io.StringIO())


def requests_of(page):
    """Every address the page asks for, as it asks."""
    asked = []
    page.on("request", lambda request: asked.append(request.url))
    return asked


def test_an_editor_picks_yevlakh_from_the_gazetteer_and_readers_see_it_on_the_maps(
    browser, live_server, transactional_db, django_user_model
):
    django_user_model.objects.create_superuser("editor", "editor@example.org", "pw")
    ConflictFactory()
    talks = EventFactory(
        title="Talks scheduled in Yevlakh",
        slug="talks-scheduled-in-yevlakh",
        kind=Event.Kind.NEGOTIATION,
        status=Event.Status.DRAFT,
    )
    CitationFactory(event=talks)
    editor = sign_in(browser, live_server, "editor")
    violations = csp_violations(editor)

    # The editor types the start of the name and picks the gazetteer's match.
    editor.goto(f"{live_server.url}/admin/tracker/place/add/")
    editor.locator("#id_name").press_sequentially("Yevl")
    editor.click(".gazetteer-match:has-text('Yevlakh, Azerbaijan')")
    assert editor.input_value("#id_name") == "Yevlakh"
    assert editor.input_value("#id_country_code") == "AZ"
    assert (editor.input_value("#id_latitude"), editor.input_value("#id_longitude")) == (
        "40.61832",
        "47.15014",
    )
    assert editor.input_value("#id_location_precision") == "exact"
    assert "Filled from the gazetteer" in editor.locator("#gazetteer-status").inner_text()
    editor.click("input[name=_save]")
    assert "was added successfully" in editor.locator(".messagelist").inner_text()
    assert "outside" not in editor.locator(".messagelist").inner_text()
    assert Place.objects.get(name="Yevlakh").location_precision == "exact"

    # The event takes the place, and is published.
    editor.goto(f"{live_server.url}/admin/tracker/event/{talks.pk}/change/")
    choose_autocomplete(editor, "id_place", "Yevlakh")
    editor.select_option("#id_status", "published")
    editor.click("input[name=_save]")
    assert "was changed successfully" in editor.locator(".messagelist").inner_text()
    assert violations == []
    editor.context.close()

    # A reader finds it on the conflict map, and follows it to the timeline.
    reader = browser.new_page()
    reader.goto(f"{live_server.url}/conflicts/nagorno-karabakh/")
    reader.click("text=Map: where it happened")
    marker = reader.locator("svg.map a.map-place")
    assert marker.count() == 1
    assert marker.locator("title").text_content() == (
        "Yevlakh, AZ: 1 event, negotiation (exact place)"
    )
    assert marker.locator(".map-marker").bounding_box()["width"] > 5
    assert reader.locator(".map-places th", has_text="Yevlakh, AZ").is_visible()
    marker.locator(".map-marker").click()
    assert reader.locator(".event-title").all_inner_texts() == ["Talks scheduled in Yevlakh"]

    # The event's page locates it.
    reader.click("text=Talks scheduled in Yevlakh")
    locator = reader.locator("section.locator svg")
    assert locator.get_attribute("aria-labelledby") == "locator-title"
    assert locator.locator("title").text_content() == "Map locating Yevlakh, AZ (exact place)"
    assert locator.is_visible()
    assert locator.bounding_box()["width"] > 100
    reader.close()


def test_the_map_asks_nothing_of_another_host_and_draws_our_basemap(page, live_server, demo):
    asked = requests_of(page)

    page.goto(f"{live_server.url}{MAP}")
    page.wait_for_load_state("networkidle")

    assert asked, "the page was not loaded"
    assert [url for url in asked if not url.startswith(live_server.url)] == []
    assert any("/static/timeline/basemap/15-3.svg" in url for url in asked)
    # Drawn: the outlines of the <use> take up the map.
    land = page.locator("svg.map use.map-land").first.bounding_box()
    assert land["width"] > 300


def test_the_event_page_with_its_locator_asks_nothing_of_another_host(page, live_server, demo):
    asked = requests_of(page)

    page.goto(f"{live_server.url}{TALKS}")
    page.wait_for_load_state("networkidle")

    assert [url for url in asked if not url.startswith(live_server.url)] == []
    assert page.locator("section.locator svg").is_visible()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", [MAP, f"{MAP}?kind=negotiation", f"{TALKS}"])
def test_the_maps_have_no_serious_accessibility_violations(
    browser, live_server, demo, path, scheme
):
    context = browser.new_context(viewport={"width": 1200, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    page.goto(f"{live_server.url}{path}")

    assert serious_violations(page) == []
    context.close()


def test_the_map_breaks_no_rule_of_its_content_security_policy(page, live_server, demo):
    violations = csp_violations(page)

    page.goto(f"{live_server.url}{MAP}")
    page.wait_for_load_state("networkidle")

    assert violations == []


def test_a_keyboard_user_reaches_each_place_on_the_map(page, live_server, demo):
    page.goto(f"{live_server.url}{MAP}")

    labels = []
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('.map-places') !== null"):
            break  # past the map, in the table of places
        focused = page.evaluate(
            "document.activeElement.matches('a.map-place') && "
            "document.activeElement.querySelector('title').textContent"
        )
        if focused:
            labels.append(focused)
    assert labels == [
        "Nagorno-Karabakh, AZ: 3 events, mostly military operation (region)",
        "Yevlakh, AZ: 1 event, negotiation (exact place)",
    ]
