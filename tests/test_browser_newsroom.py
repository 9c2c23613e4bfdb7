"""The newsroom on deadline, clicked through in a real headless Chromium:
quick entry of a breaking event, and admin pages that fit a laptop screen."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from tests.conftest import staff_member
from tracker.models import Event, FigureClaim

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1280, "height": 800}


class Counted:
    """A page whose every click, choice and click into a field is counted;
    typing and the Enter key are not."""

    def __init__(self, page):
        self.page, self.clicks = page, 0

    def click(self, selector):
        self.clicks += 1
        self.page.click(selector)

    def fill(self, selector, text):
        self.clicks += 1
        self.page.fill(selector, text)

    def choose(self, selector, value):
        self.clicks += 1
        self.page.select_option(selector, value)

    def autocomplete(self, field_id, text):
        """Open the search box (a click), type, and take the first match (Enter)."""
        self.click(f"[aria-labelledby='select2-{field_id}-container']")
        # Typed into the opened search box itself, not wherever focus is yet.
        self.page.fill(".select2-container--open .select2-search__field", text)
        self.page.wait_for_selector(f".select2-results__option--highlighted:has-text('{text}')")
        self.page.keyboard.press("Enter")


def signed_in(browser, live_server, username):
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw")
    page.click("input[type=submit]")
    page.wait_for_load_state("load")
    return page


@pytest.fixture
def demo_newsroom(transactional_db, django_user_model):
    call_command("load_demo", stdout=io.StringIO())
    call_command("setup_roles", verbosity=0)
    staff_member(django_user_model, "reporter", Group.objects.get(name="Reporter"))
    django_user_model.objects.create_superuser("editor", "editor@example.org", "pw")


def test_a_reporter_enters_a_breaking_event_with_two_claims_in_under_15_clicks(
    browser, live_server, demo_newsroom
):
    page = signed_in(browser, live_server, "reporter")
    page.click("text=Quick entry: a breaking event")
    page.wait_for_load_state("load")
    entry = Counted(page)

    entry.choose("#id_kind", "casualty_report")
    entry.fill("#id_title", "Shelling reported in Stepanakert")
    entry.fill("#id_starts_at_0", "2023-09-20")
    entry.fill("#id_starts_at_1", "18:30")
    entry.choose("#id_precision", "minute")
    entry.autocomplete("id_source-source", "Ministry of Defense of Azerbaijan confirmed")
    entry.autocomplete("id_claims-0-claimant", "Nagorno-Karabakh regional authorities")
    entry.choose("#id_claims-0-metric", "killed")
    entry.fill("#id_claims-0-best", "40")
    entry.autocomplete("id_claims-1-claimant", "Ruben Vardanyan")
    entry.choose("#id_claims-1-metric", "killed")
    entry.fill("#id_claims-1-best", "120")
    entry.click("input[name=_save]")

    assert "was added with 2 figures" in page.locator(".messagelist").inner_text()
    assert entry.clicks < 15, entry.clicks
    event = Event.objects.get(title="Shelling reported in Stepanakert")
    assert (event.status, event.when) == ("draft", "20 September 2023, 18:30 UTC+4")
    claims = FigureClaim.objects.filter(event=event).select_related("claimant", "source")
    assert sorted((claim.claimant.name, claim.best) for claim in claims) == [
        ("Nagorno-Karabakh regional authorities", 40),
        ("Ruben Vardanyan", 120),
    ]
    assert {claim.source.title for claim in claims} == {
        "Ministry of Defense of Azerbaijan confirmed that a ceasefire agreement was reached"
    }
    assert {claim.as_of for claim in claims} == {event.starts_at}
    assert event.is_disputed
    # The full form opens for the rest of the story.
    assert page.url.endswith(f"/admin/tracker/event/{event.pk}/change/")


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/tracker/event/quick/",
        "/admin/tracker/event/add/",
        "/admin/tracker/event/{event}/change/",
    ],
)
def test_the_newsroom_pages_do_not_scroll_sideways_on_a_laptop(
    browser, live_server, demo_newsroom, path
):
    page = signed_in(browser, live_server, "editor")
    event = Event.objects.get(slug="casualty-figures-disputed")
    page.goto(live_server.url + path.format(event=event.pk))
    page.wait_for_load_state("load")

    width = page.evaluate("document.documentElement.scrollWidth")
    page.context.close()
    assert width <= LAPTOP["width"], f"{path} is {width} px wide"
