"""A reader following a conflict live in a real headless Chromium while the
newsroom publishes and corrects."""

import io
from datetime import timedelta

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.utils import timezone

from tests.factories import CitationFactory, ConflictFactory, CorrectionFactory, EventFactory
from tests.test_browser_reading import WCAG_AA
from tracker.models import Event

pytestmark = pytest.mark.browser

# Each test asks for its database before its page: fixtures are torn down in
# the reverse order, so the page (which goes on polling) is closed before the
# database is emptied, which SQLite refuses while a request reads it.

LIVE = "/conflicts/nagorno-karabakh/live/"


@pytest.fixture
def followed(transactional_db, settings):
    """A conflict with two events published an hour ago; the live view asks
    for updates every second."""
    settings.LIVE_POLL_SECONDS = 1
    conflict = ConflictFactory()
    events = [
        EventFactory(conflict=conflict, title="Shelling of Stepanakert reported"),
        EventFactory(conflict=conflict, title="Convoy reaches the Lachin corridor"),
    ]
    an_hour_ago = timezone.now() - timedelta(hours=1)
    Event.objects.filter(pk__in=[event.pk for event in events]).update(
        published_at=an_hour_ago, updated_at=an_hour_ago
    )
    return events


def problems_of(page):
    """Console errors, uncaught exceptions and Content-Security-Policy
    refusals, as the page reports them; the browser's own request for a
    favicon, which the site does not have, aside."""
    problems = []

    def heard(message):
        if message.type == "error" and not message.location["url"].endswith("/favicon.ico"):
            problems.append(f"{message.text} ({message.location['url']})")

    page.on("console", heard)
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


def test_a_reader_is_offered_a_new_event_and_sees_a_correction_without_a_reload(
    followed, live_server, page
):
    shelling, convoy = followed
    problems = problems_of(page)
    page.goto(f"{live_server.url}{LIVE}")
    page.evaluate("window.loadedOnce = true")
    page.focus(".live-check a")

    # The newsroom publishes one event, corrects another and retracts a
    # third meanwhile.
    EventFactory(conflict=shelling.conflict, title="Ceasefire announced for 18:00")
    CorrectionFactory(event=shelling, note="The shelling hit Askeran, not Stepanakert.")
    convoy.refresh_from_db()
    convoy.retract(reason="The convoy was turned back; our report was wrong.")

    offer = page.locator(".live-new")
    offer.wait_for(state="visible")
    assert offer.inner_text() == "1 new event: show it"
    corrected = page.locator(f"[data-event='{shelling.pk}']")
    assert "is-updated" in corrected.get_attribute("class")
    assert "The shelling hit Askeran, not Stepanakert." in corrected.inner_text()
    assert "Updated since you opened this page" in corrected.text_content()
    retracted = page.locator(f"[data-event='{convoy.pk}']")
    retracted.locator(".live-withdrawn").wait_for()
    assert "The convoy was turned back; our report was wrong." in retracted.inner_text()
    assert "is-updated" in retracted.get_attribute("class")
    # Not pushed into view, and the reader's focus stays where it was.
    assert page.locator(".event-title").all_inner_texts()[0] != "Ceasefire announced for 18:00"
    assert page.evaluate("document.activeElement.closest('.live-check') !== null")
    status = page.locator(".live-status")
    assert status.get_attribute("aria-live") == "polite"
    page.wait_for_function("document.querySelector('.live-status').textContent !== ''")

    offer.click()
    first = page.locator("#live-latest > li").first
    assert "Ceasefire announced for 18:00" in first.inner_text()
    assert page.evaluate("document.activeElement === document.querySelector('#live-latest > li')")
    assert offer.is_hidden()
    assert page.evaluate("window.loadedOnce") is True  # no reload
    assert problems == []


def test_a_reader_follows_an_editor_publishing_and_correcting_in_the_admin(
    followed, django_user_model, live_server, browser, page
):
    shelling, _convoy = followed
    waiting = EventFactory(
        conflict=shelling.conflict, title="Prisoner exchange agreed", status=Event.Status.IN_REVIEW
    )
    CitationFactory(event=waiting)
    django_user_model.objects.create_superuser("editor", "editor@example.org", "pw")
    problems = problems_of(page)
    page.goto(f"{live_server.url}{LIVE}")
    page.evaluate("window.loadedOnce = true")

    # The editor, in a window of their own, publishes one event and
    # corrects another, with a public note.
    editor = browser.new_context().new_page()
    editor.goto(f"{live_server.url}/admin/login/?next=/admin/tracker/event/{waiting.pk}/change/")
    editor.fill("#id_username", "editor")
    editor.fill("#id_password", "pw")
    editor.click("input[type=submit]")
    editor.select_option("#id_status", "published")
    editor.click("input[name=_save]")
    assert "was changed successfully" in editor.locator(".messagelist").inner_text()
    editor.goto(f"{live_server.url}/admin/tracker/event/{shelling.pk}/change/")
    editor.fill("#id_title", "Shelling of Askeran reported")
    editor.fill("#id_correction_note", "The shelling hit Askeran, not Stepanakert.")
    editor.click("input[name=_save]")
    assert "was changed successfully" in editor.locator(".messagelist").inner_text()
    editor.context.close()

    page.locator(".live-new").wait_for(state="visible")
    corrected = page.locator(f"[data-event='{shelling.pk}']")
    corrected.locator(".live-mark").wait_for()
    assert "Shelling of Askeran reported" in corrected.inner_text()
    assert "The shelling hit Askeran, not Stepanakert." in corrected.inner_text()
    page.click(".live-new")
    assert "Prisoner exchange agreed" in page.locator("#live-latest > li").first.inner_text()
    assert page.evaluate("window.loadedOnce") is True
    assert problems == []


def test_a_hidden_tab_does_not_ask_for_updates_until_it_is_seen_again(followed, live_server, page):
    page.add_init_script(
        "Object.defineProperty(document, 'visibilityState', {get: () => window.shown || 'hidden'})"
    )
    asked = []
    page.on("request", lambda request: "/updates/" in request.url and asked.append(request.url))
    page.goto(f"{live_server.url}{LIVE}")

    page.wait_for_timeout(2500)  # two and a half polls of a visible tab
    assert asked == []

    page.evaluate("window.shown = 'visible'; document.dispatchEvent(new Event('visibilitychange'))")
    # Asked again within a second of being seen.
    page.wait_for_timeout(1500)
    assert len(asked) >= 1


def test_without_javascript_the_live_view_is_a_page_that_checks_for_new_events(
    browser, live_server, followed
):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server.url}{LIVE}")
    assert page.locator(".event-title").count() == 2
    EventFactory(conflict=followed[0].conflict, title="Ceasefire announced for 18:00")

    page.click("text=Check for new events")

    assert page.locator(".event-title").first.inner_text() == "Ceasefire announced for 18:00"
    context.close()


def test_the_live_view_has_no_serious_accessibility_violation(transactional_db, live_server, page):
    call_command("load_demo", stdout=io.StringIO())
    Event.objects.filter(slug="ceasefire-takes-effect").update(
        is_key=True, published_at=timezone.now()
    )
    page.goto(f"{live_server.url}{LIVE}")
    assert page.locator(".live-pinned").is_visible()

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA}})
    serious = [
        f"{violation['id']} ({violation['impact']}): {violation['nodes'][0]['target']}"
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
    assert serious == []
