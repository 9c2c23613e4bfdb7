"""Entering times in the admin, clicked through in a real headless Chromium
whose clock is in neither the server's zone nor the conflict's."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import ConflictFactory
from tracker.models import Event

pytestmark = pytest.mark.browser


@pytest.fixture
def editor_page(browser, live_server, django_user_model):
    django_user_model.objects.create_superuser("editor", "editor@example.org", "pw")
    # The reporter's laptop is set to New York; the server runs in UTC.
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, timezone_id="America/New_York"
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "pw")
    page.click("input[type=submit]")
    yield page
    context.close()


def shortcut(page, field_id, text):
    return page.locator(f"#{field_id} ~ .datetimeshortcuts a", has_text=text)


def test_2020_12_is_accepted_with_month_precision_in_the_browser(editor_page, live_server):
    ConflictFactory(name="Nagorno-Karabakh conflict", timezone="Asia/Baku")
    page = editor_page
    page.goto(f"{live_server.url}/admin/tracker/event/add/")
    page.select_option("#id_kind", "ceasefire")
    page.fill("#id_title", "Ceasefire agreed")
    page.fill("#id_starts_at_0", "2020-12")
    assert page.locator("#id_precision").input_value() == ""  # "as typed"
    page.click("input[name=_save]")
    assert "was added successfully" in page.locator(".messagelist").inner_text()

    event = Event.objects.get()
    assert (event.precision, event.when) == ("month", "December 2020")
    page.click("text=Ceasefire agreed")
    assert page.locator("#id_starts_at_0").input_value() == "2020-12"
    assert page.locator("#id_starts_at_1").input_value() == ""
    assert page.locator("#id_precision").input_value() == "month"


def test_now_on_a_new_event_saves_the_conflicts_local_time(editor_page, live_server, settings):
    ConflictFactory(slug="sudan", name="Sudan conflict", timezone="Africa/Khartoum")
    ConflictFactory(name="Nagorno-Karabakh conflict", timezone="Asia/Baku")
    settings.NEWSROOM_DEFAULT_CONFLICT = "sudan"
    page = editor_page
    page.goto(f"{live_server.url}/admin/tracker/event/add/")
    assert page.locator("#id_conflict option:checked").inner_text() == "Sudan conflict"
    assert "Africa/Khartoum" in page.locator("[data-zone-note]").inner_text()

    # The event is in the other conflict: the form follows the choice.
    page.select_option("#id_conflict", label="Nagorno-Karabakh conflict")
    assert "Times are in Asia/Baku local time" in page.locator("[data-zone-note]").inner_text()
    page.select_option("#id_kind", "statement")
    page.fill("#id_title", "Statement on the ceasefire")
    shortcut(page, "id_starts_at_0", "Today").click()
    shortcut(page, "id_starts_at_1", "Now").click()
    clicked = timezone.now()
    # Django's note comparing the browser's clock with the server's is gone.
    assert page.locator(".timezonewarning").count() == 0
    page.click("input[name=_save]")
    assert "was added successfully" in page.locator(".messagelist").inner_text()

    event = Event.objects.get()
    assert event.precision == "minute"
    assert abs(event.starts_at - clicked) < timedelta(minutes=2)
