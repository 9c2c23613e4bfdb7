"""The Arabic timeline in a real Chromium: right to left, mirrored by the
stylesheet, with no serious accessibility violation, as a screenshot shows."""

import io
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command

pytestmark = pytest.mark.browser

WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SHOTS = Path("/work/notes/shots-i18n")


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


def screenshot(page, name):
    if SHOTS.parent.exists():
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / name), full_page=False)


@pytest.mark.parametrize(
    "path",
    [
        "/ar/conflicts/nagorno-karabakh/",
        "/ar/conflicts/nagorno-karabakh/events/casualty-figures-disputed/",
        "/ru/conflicts/nagorno-karabakh/",
        "/hy/conflicts/nagorno-karabakh/figures/",
    ],
)
def test_pages_in_other_languages_have_no_serious_accessibility_violation(
    page, live_server, demo, path
):
    page.goto(f"{live_server.url}{path}")

    assert serious_violations(page) == []


def test_the_arabic_timeline_reads_right_to_left(page, live_server, demo):
    page.goto(f"{live_server.url}/ar/conflicts/nagorno-karabakh/")

    assert page.locator("html").get_attribute("dir") == "rtl"
    width = page.evaluate("document.documentElement.clientWidth")
    # The site's name starts at the right, the switcher ends at the left.
    name = page.locator(".site-name").bounding_box()
    switcher = page.locator("nav.languages").bounding_box()
    assert name["x"] + name["width"] > width / 2 > switcher["x"]
    # On the time axis, each time stands to the right of its dot, and the
    # card to the left of both: the axis is mirrored.
    item = page.locator(".axis-item.has-time").first
    time = item.locator(".axis-time").bounding_box()
    card = item.locator(".event-card").bounding_box()
    assert time["x"] > card["x"] + card["width"] - 1
    # A card's coloured rule is on its right, where an Arabic line starts.
    rule = page.locator(".event-card").first.evaluate(
        "card => [getComputedStyle(card).borderRightWidth, getComputedStyle(card).borderLeftWidth]"
    )
    assert rule[0] != "0px" and rule[1] == "0px"
    # The overview keeps time running left to right under its own ends.
    ends = page.locator(".overview-ends span")
    if ends.count() == 2:
        assert ends.nth(0).bounding_box()["x"] < ends.nth(1).bounding_box()["x"]
    page.locator(".timeline-axis").first.scroll_into_view_if_needed()
    screenshot(page, "ar-timeline-axis.png")
    page.evaluate("window.scrollTo(0, 0)")
    screenshot(page, "ar-timeline-top.png")


def test_the_switcher_takes_the_reader_to_the_same_page_in_russian(page, live_server, demo):
    page.goto(f"{live_server.url}/conflicts/nagorno-karabakh/?kind=ceasefire")

    page.click("nav.languages >> text=Русский")

    assert page.url.endswith("/ru/conflicts/nagorno-karabakh/?kind=ceasefire")
    assert page.locator("html").get_attribute("lang") == "ru"
    assert "Фильтры и поиск" in page.content()
    screenshot(page, "ru-timeline-top.png")
