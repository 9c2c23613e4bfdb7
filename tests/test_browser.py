"""What a person does, clicked through in a real headless Chromium."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from tests.factories import ActorFactory, ConflictFactory, SourceFactory
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
    assert page.get_by_text(
        "32 civilians, according to Nagorno-Karabakh regional authorities; about 100"
    ).is_visible()

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
    choose_autocomplete(page, "id_claims-0-party", "Armenian population of Nagorno-Karabakh")
    page.fill("#id_claims-0-best", "40")
    page.fill("#id_claims-0-as_of_0", "2023-09-20")
    page.fill("#id_claims-0-as_of_1", "19:00")
    page.click("text=Add another Figure claim")
    choose_autocomplete(page, "id_claims-1-claimant", "Ruben Vardanyan")
    choose_autocomplete(page, "id_claims-1-source", "Ministry of Defense of Azerbaijan")
    page.select_option("#id_claims-1-metric", "killed")
    choose_autocomplete(page, "id_claims-1-party", "Armenian population of Nagorno-Karabakh")
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
    assert (
        "Killed (Armenian population of Nagorno-Karabakh): 40, according to Nagorno-Karabakh "
        "regional authorities; about 120, according to Ruben Vardanyan"
    ) in card.inner_text()
    assert card.locator(".badge", has_text="disputed").is_visible()
    page.click("text=Humanitarian pause agreed")
    assert page.locator("h1").inner_text() == "Humanitarian pause agreed"
    assert page.get_by_role("table").first.is_visible()


def sign_in(browser, live_server, username):
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw")
    page.click("input[type=submit]")
    return page


def test_a_reporter_drafts_an_editor_publishes_and_corrects_a_figure_with_a_note(
    browser, page, live_server, django_user_model
):
    call_command("setup_roles", verbosity=0)
    for username, group in [("reporter", "Reporter"), ("desk_editor", "Editor")]:
        user = django_user_model.objects.create_user(username, password="pw", is_staff=True)
        user.groups.add(Group.objects.get(name=group))
    ConflictFactory(name="Nagorno-Karabakh conflict", timezone="Asia/Baku")
    ActorFactory(name="Regional authorities")
    SourceFactory(title="Casualty report", publisher="Newswire")

    # The reporter drafts the event with its figure and submits it for review.
    reporter = sign_in(browser, live_server, "reporter")
    reporter.goto(f"{live_server.url}/admin/tracker/event/add/")
    assert reporter.locator("#id_status option").all_inner_texts() == ["draft", "in review"]
    reporter.select_option("#id_conflict", label="Nagorno-Karabakh conflict")
    reporter.select_option("#id_kind", "strike")
    reporter.fill("#id_title", "Shelling of Stepanakert")
    reporter.fill("#id_starts_at_0", "2023-09-20")
    reporter.select_option("#id_precision", "day")
    choose_autocomplete(reporter, "id_claims-0-claimant", "Regional authorities")
    choose_autocomplete(reporter, "id_claims-0-source", "Casualty report")
    reporter.select_option("#id_claims-0-metric", "killed")
    reporter.fill("#id_claims-0-best", "32")
    reporter.fill("#id_claims-0-as_of_0", "2023-09-20")
    reporter.select_option("#id_status", "in_review")
    reporter.click("input[name=_save]")
    assert "was added successfully" in reporter.locator(".messagelist").inner_text()
    reporter.context.close()

    # The editor finds it in the review queue and publishes it.
    editor = sign_in(browser, live_server, "desk_editor")
    editor.goto(f"{live_server.url}/admin/tracker/eventinreview/")
    assert "reporter" in editor.locator("#result_list").inner_text()
    editor.click("#result_list a:has-text('Shelling of Stepanakert')")
    editor.select_option("#id_status", "published")
    editor.click("input[name=_continue]")
    assert "was changed successfully" in editor.locator(".messagelist").inner_text()

    # Correcting the figure is refused until a public note says why.
    editor.fill("#id_claims-0-best", "40")
    editor.click("input[name=_continue]")
    assert "say publicly what you changed" in editor.locator(".field-correction_note").inner_text()
    assert editor.input_value("#id_claims-0-best") == "40"
    editor.fill("#id_correction_note", "The authorities revised the toll from 32 to 40.")
    editor.click("input[name=_continue]")
    assert "was changed successfully" in editor.locator(".messagelist").inner_text()
    assert (
        "in review → published by desk_editor"
        in editor.locator(".field-status_changes").inner_text()
    )
    editor.context.close()

    # A reader sees the corrected figure and the note.
    event = Event.objects.get(title="Shelling of Stepanakert")
    page.goto(f"{live_server.url}{event.get_absolute_url()}")
    assert "40 killed" in page.locator("main").inner_text()
    assert (
        "The authorities revised the toll from 32 to 40."
        in page.locator(".corrections").inner_text()
    )
