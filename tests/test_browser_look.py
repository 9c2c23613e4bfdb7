"""The newsroom's look in a real headless Chromium: an administrator changes
the accent colour in the admin, and readers see it on their next page, in
the light and the dark theme and in the embed, with no restart; the event
page in the timeline's visual language passes axe in both themes."""

import io

import pytest
from django.core.management import call_command

from tests.test_browser_newsroom import signed_in
from tests.test_browser_reading import serious_violations
from tracker import newsroom
from tracker.models import NewsroomLook

pytestmark = pytest.mark.browser

ACCENT = "#a3122a"
EVENT = "/conflicts/nagorno-karabakh/events/casualty-figures-disputed/"


def rgb(colour):
    red, green, blue = (int(colour[index : index + 2], 16) for index in (1, 3, 5))
    return f"rgb({red}, {green}, {blue})"


@pytest.fixture
def demo(transactional_db, settings, tmp_path, django_user_model):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    # Pages are kept, as in production: the change must reach stored pages.
    settings.PAGE_CACHE_SECONDS = 60
    call_command("load_demo", stdout=io.StringIO())
    django_user_model.objects.create_superuser("administrator", "a@example.org", "pw")


def colour_of(page, selector, prop="color"):
    return page.eval_on_selector(selector, f"element => getComputedStyle(element).{prop}")


def reader_page(browser, scheme="light"):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme=scheme)
    return context, context.new_page()


def test_an_administrators_new_accent_reaches_the_pages_and_the_embed_without_a_restart(
    browser, live_server, demo
):
    timeline = f"{live_server.url}/conflicts/nagorno-karabakh/"
    light, page = reader_page(browser)
    page.goto(timeline)
    assert colour_of(page, ".newsroom-name") != rgb(ACCENT)

    admin = signed_in(browser, live_server, "administrator")
    admin.goto(f"{live_server.url}/admin/tracker/newsroomlook/")
    admin.fill("#id_name", "The Caucasus Desk")
    admin.fill("#id_accent_colour", ACCENT)
    admin.click("input[name=_save]")
    admin.wait_for_selector(".messagelist .success")

    page.goto(timeline)
    assert colour_of(page, ".newsroom-name") == rgb(ACCENT)
    assert colour_of(page, ".phase-heading", "backgroundColor") == rgb(ACCENT)
    assert page.locator(".newsroom-name").inner_text() == "The Caucasus Desk"
    page.goto(f"{timeline}embed/")
    assert colour_of(page, ".embed-title") == rgb(ACCENT)
    page.goto(f"{timeline}embed/?theme=dark")
    assert colour_of(page, ".embed-title") == rgb(newsroom.dark_variant(ACCENT))
    light.close()

    dark, page = reader_page(browser, "dark")
    page.goto(timeline)
    assert colour_of(page, ".newsroom-name") == rgb(newsroom.dark_variant(ACCENT))
    page.goto(f"{timeline}embed/?theme=light")
    assert colour_of(page, ".embed-title") == rgb(ACCENT)
    dark.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", [375, 1280])
def test_the_event_page_in_the_newsrooms_colours_has_no_serious_accessibility_violations(
    browser, live_server, demo, scheme, width
):
    NewsroomLook(accent_colour=ACCENT).save()
    newsroom.refresh()
    context = browser.new_context(
        viewport={"width": width, "height": 900}, color_scheme=scheme, is_mobile=width < 600
    )
    page = context.new_page()
    page.goto(f"{live_server.url}{EVENT}")

    assert page.locator(".overview-of-event .is-current").count() == 1
    assert page.locator(".neighbours a").count() >= 1
    assert page.locator(".figure-group .swatch").count() >= 2
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert serious_violations(page) == []
    context.close()


def test_the_look_admin_page_breaks_no_rule_of_the_content_security_policy(
    browser, live_server, demo
):
    admin = signed_in(browser, live_server, "administrator")
    refused = []
    admin.on(
        "console",
        lambda message: (
            refused.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    admin.goto(f"{live_server.url}/admin/tracker/newsroomlook/")
    admin.wait_for_load_state("networkidle")

    assert admin.locator("#id_accent_colour").count() == 1
    assert refused == []
