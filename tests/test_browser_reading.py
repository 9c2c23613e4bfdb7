"""A reader in a real headless Chromium: finding events, following links, and
an automated accessibility audit (axe-core) of every public page."""

import io

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

from tracker.models import Event

pytestmark = pytest.mark.browser

# The standards the pages are held to: WCAG 2.2 levels A and AA.
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PUBLIC_PAGES = [
    "/",
    "/conflicts/nagorno-karabakh/",
    "/conflicts/nagorno-karabakh/?kind=ceasefire&date_from=not-a-date",
    "/conflicts/nagorno-karabakh/events/casualty-figures-disputed/",
    "/conflicts/nagorno-karabakh/events/ceasefire-takes-effect/",
    "/conflicts/nagorno-karabakh/figures/",
    "/conflicts/nagorno-karabakh/embed/",
    "/api/docs/",
]


@pytest.fixture
def demo(transactional_db):
    call_command("load_demo", stdout=io.StringIO())


def serious_violations(page):
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_AA}})
    return [
        f"{violation['id']} ({violation['impact']}): {violation['nodes'][0]['target']}"
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def test_a_reader_filters_the_timeline_and_opens_an_event(page, live_server, demo):
    page.goto(f"{live_server.url}/conflicts/nagorno-karabakh/")
    page.click("text=Filter and search")
    page.check("label:has-text('casualty report') input")
    page.select_option("#id_disputed", label="disputed only")
    page.click("button:has-text('Show events')")

    titles = page.locator(".event-title").all_inner_texts()
    assert titles == ["Conflicting casualty figures reported"]
    assert "kind=casualty_report" in page.url and "disputed=true" in page.url

    page.click("text=Conflicting casualty figures reported")
    assert page.locator("h1").inner_text() == "Conflicting casualty figures reported"
    permalink = page.url

    # The permalink works on its own, as a link shared elsewhere would.
    page.goto("about:blank")
    page.goto(permalink)
    assert page.locator("h1").inner_text() == "Conflicting casualty figures reported"
    assert (
        "32 civilians, according to Nagorno-Karabakh regional authorities; about 100"
        in page.locator("main").inner_text()
    )


def test_a_reader_searches_and_jumps_to_a_date(page, live_server, demo):
    page.goto(f"{live_server.url}/conflicts/nagorno-karabakh/")
    page.fill("#jump-on", "2023-09-21")
    page.click(".jump button")

    assert page.locator(".event-title").all_inner_texts() == ["Talks scheduled in Yevlakh"]
    page.click("a[rel=prev]")
    assert "Ceasefire set to take effect" in page.locator(".event-title").all_inner_texts()


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_have_no_serious_accessibility_violations(page, live_server, demo, path):
    page.goto(f"{live_server.url}{path}")

    assert serious_violations(page) == []


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_have_no_serious_accessibility_violations_in_the_dark_theme(
    browser, live_server, demo, path
):
    context = browser.new_context(viewport={"width": 1200, "height": 900}, color_scheme="dark")
    page = context.new_page()
    page.goto(f"{live_server.url}{path}")

    assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
    assert serious_violations(page) == []
    context.close()


def test_the_overview_and_axis_read_in_light_and_dark_on_a_phone(browser, live_server, demo):
    for scheme in ("light", "dark"):
        context = browser.new_context(
            viewport={"width": 320, "height": 740}, is_mobile=True, color_scheme=scheme
        )
        page = context.new_page()
        page.goto(f"{live_server.url}/conflicts/nagorno-karabakh/")

        assert page.locator(".overview-strip a").count() >= 2
        assert page.locator(".day-heading").first.is_visible()
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0
        assert serious_violations(page) == []
        context.close()


def test_a_reader_jumps_from_an_overview_bar_by_keyboard(page, live_server, demo):
    page.goto(f"{live_server.url}/conflicts/nagorno-karabakh/?kind=ceasefire")
    bar = page.locator(".overview-strip a").last
    bar.focus()
    assert bar.evaluate("element => element === document.activeElement")
    page.keyboard.press("Enter")
    page.wait_for_url("**on=*")

    assert "kind=ceasefire" in page.url
    assert page.locator(".event-title").all_inner_texts() == ["Ceasefire set to take effect"]


def test_the_timeline_is_usable_on_a_phone(browser, live_server, demo):
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/conflicts/nagorno-karabakh/")

    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    assert serious_violations(page) == []
    context.close()


def test_keyboard_users_can_skip_to_the_content(page, live_server, demo):
    page.goto(f"{live_server.url}/conflicts/nagorno-karabakh/")
    page.keyboard.press("Tab")

    skip_link = page.locator(".skip-link")
    assert skip_link.evaluate("element => element === document.activeElement")
    assert skip_link.is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def csp_violations(page):
    """Collects what the browser refuses under the Content-Security-Policy, as
    it reports it on the console and to the page."""
    violations = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return violations


@pytest.mark.parametrize(
    "path",
    [
        *PUBLIC_PAGES,
        "/conflicts/nagorno-karabakh/figures/",
        "/conflicts/nagorno-karabakh/embed/",
        "/api/docs/",
    ],
)
def test_public_pages_break_no_rule_of_their_content_security_policy(page, live_server, demo, path):
    violations = csp_violations(page)
    page.goto(f"{live_server.url}{path}")
    page.wait_for_load_state("networkidle")

    assert violations == []


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/tracker/event/",
        "/admin/tracker/event/add/",
        "/admin/tracker/event/quick/",
        "/admin/tracker/event/{event}/change/",
        "/admin/tracker/event/{event}/history/",
        "/admin/tracker/figureclaim/",
        "/admin/tracker/event/import/",
    ],
)
def test_the_newsroom_breaks_no_rule_of_the_content_security_policy(
    page, live_server, demo, django_user_model, path
):
    django_user_model.objects.create_superuser("editor", "editor@example.org", "pw")
    path = path.format(event=Event.objects.get(slug="ceasefire-takes-effect").pk)
    violations = csp_violations(page)
    page.goto(f"{live_server.url}/admin/login/?next={path}")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "pw")
    page.click("input[type=submit]")
    page.wait_for_load_state("networkidle")

    assert page.url == f"{live_server.url}{path}"
    assert violations == []
