"""What a person does, clicked through in a real headless Chromium."""

import io

import pytest
from django.core.management import call_command

from tracker.models import Event

pytestmark = pytest.mark.browser


def choose_autocomplete(page, field_id, text):
    page.click(f"[aria-labelledby='select2-{field_id}-container']")
    page.fill(".select2-container--open .select2-search__field", text)
    page.click(f".select2-results__option:has-text('{text}')")


def test_an_editor_publishes_a_disputed_ceasefire_that_readers_then_see(
    page, live_server, django_user_model
):
    call_command("load_demo", stdout=io.StringIO())
    django_user_model.objects.create_superuser("editor", "editor@example.org", "pw")

    # A reader sees the demo timeline.
    page.goto(f"{live_server.url}/conflicts/nagorno-karabakh/")
    assert page.locator("h1").inner_text() == "Nagorno-Karabakh conflict"
    assert page.get_by_text("32 civilians to about 100 killed").is_visible()

    # The editor signs in and adds a ceasefire with two conflicting figures.
    page.goto(f"{live_server.url}/admin/tracker/event/add/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "pw")
    page.click("input[type=submit]")
    page.select_option("#id_conflict", label="Nagorno-Karabakh conflict")
    page.select_option("#id_kind", "ceasefire")
    page.fill("#id_title", "Humanitarian pause agreed")
    page.fill("#id_starts_at_0", "2023-09-20")
    page.fill("#id_starts_at_1", "18:30")
    page.select_option("#id_precision", "minute")
    choose_autocomplete(page, "id_claims-0-claimant", "Nagorno-Karabakh regional authorities")
    choose_autocomplete(page, "id_claims-0-source", "Ministry of Defense of Azerbaijan")
    page.select_option("#id_claims-0-metric", "killed")
    page.fill("#id_claims-0-best", "40")
    page.fill("#id_claims-0-as_of_0", "2023-09-20")
    page.fill("#id_claims-0-as_of_1", "19:00")
    page.click("text=Add another Figure claim")
    choose_autocomplete(page, "id_claims-1-claimant", "Ruben Vardanyan")
    choose_autocomplete(page, "id_claims-1-source", "Ministry of Defense of Azerbaijan")
    page.select_option("#id_claims-1-metric", "killed")
    page.select_option("#id_claims-1-qualifier", "about")
    page.fill("#id_claims-1-best", "120")
    page.fill("#id_claims-1-as_of_0", "2023-09-20")
    page.fill("#id_claims-1-as_of_1", "19:00")
    page.click("input[name=_save]")
    assert "was added successfully" in page.locator(".messagelist").inner_text()

    # It is a draft: the public cannot see it yet. The editor publishes it.
    page.check("tr:has-text('Humanitarian pause agreed') input.action-select")
    page.select_option("select[name=action]", "publish")
    page.click("button[name=index]")
    assert "Published 1 event." in page.locator(".messagelist").inner_text()
    assert Event.objects.get(title="Humanitarian pause agreed").status == "published"

    # A reader sees it, disputed, after the 13:00 ceasefire and before the talks.
    page.goto(f"{live_server.url}/conflicts/nagorno-karabakh/")
    titles = page.locator(".event-card .event-title").all_inner_texts()
    new = titles.index("Humanitarian pause agreed")
    assert titles[new - 1 : new + 2] == [
        "Ceasefire set to take effect",
        "Humanitarian pause agreed",
        "Talks scheduled in Yevlakh",
    ]
    card = page.locator(".event-card", has_text="Humanitarian pause agreed")
    assert "20 September 2023, 18:30 UTC+4" in card.inner_text()
    assert "40 to about 120 killed" in card.inner_text()
    assert card.locator(".badge", has_text="disputed").is_visible()
    page.click("text=Humanitarian pause agreed")
    assert page.locator("h1").inner_text() == "Humanitarian pause agreed"
    assert page.get_by_role("table").first.is_visible()
