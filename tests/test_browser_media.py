"""A photo from upload to reader, in a real headless Chromium: an editor
uploads a camera's JPEG carrying GPS coordinates through the admin; what is
stored carries none of it; readers see it with its credit and alt text, and
a graphic one only once they open its warning."""

import pytest
from django.core.files.storage import default_storage

from tests.factories import CitationFactory, EventFactory, MediaItemFactory, jpeg_file
from tests.test_media import assert_no_metadata, camera_jpeg, read_back
from tracker.models import MediaItem

pytestmark = pytest.mark.browser


@pytest.fixture
def editor_page(browser, live_server, django_user_model):
    django_user_model.objects.create_superuser("editor", "editor@example.org", "pw")
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", "pw")
    page.click("input[type=submit]")
    yield page
    context.close()


def loaded(image):
    """Whether the browser has the picture: fetched and decoded."""
    return image.evaluate("element => element.complete && element.naturalWidth > 0")


def wait_until_shown(image):
    """Waits for the picture to arrive and be decoded; its width in pixels.
    (The page's script policy forbids the string predicates that
    wait_for_function polls with.)"""
    return image.evaluate("element => element.decode().then(() => element.naturalWidth)")


LAYOUT_SHIFT = """() => new Promise(resolve => {
  let total = 0;
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) total += entry.value;
  }).observe({type: "layout-shift", buffered: true});
  setTimeout(() => resolve(total), 300);
})"""


def test_an_uploaded_gps_photo_reaches_readers_without_its_metadata(
    editor_page, live_server, tmp_path, page
):
    event = EventFactory(title="Shelling near the hospital")
    CitationFactory(event=event)
    photo = tmp_path / "IMG_0042.jpg"
    photo.write_bytes(camera_jpeg(width=800, height=600))

    editor_page.goto(f"{live_server.url}/admin/tracker/event/{event.pk}/change/")
    editor_page.click("#media-group .add-row a")
    editor_page.set_input_files("#id_media-0-image", str(photo))
    editor_page.fill("#id_media-0-alt_text", "Smoke rising over the roofs of a hospital.")
    editor_page.fill("#id_media-0-caption", "The hospital on the morning of 20 September.")
    editor_page.fill("#id_media-0-credit", "Photo: A. Petrosyan/Newswire")
    editor_page.click("input[name=_save]")
    assert "was changed successfully" in editor_page.locator(".messagelist").inner_text()

    item = MediaItem.objects.get()
    assert "IMG_0042" not in item.image.name
    assert_no_metadata(*read_back(item.image.name))
    for derived in item.derived_files():
        assert default_storage.exists(derived.name)
        assert_no_metadata(*read_back(derived.name))

    page.goto(f"{live_server.url}{event.conflict.get_absolute_url()}")
    thumbnail = page.locator(".event-card .card-thumbnail img")
    assert thumbnail.get_attribute("alt") == "Smoke rising over the roofs of a hospital."
    thumbnail.scroll_into_view_if_needed()
    assert wait_until_shown(thumbnail) > 0
    assert thumbnail.bounding_box()["width"] == 96

    page.goto(f"{live_server.url}{event.get_absolute_url()}")
    picture = page.locator(".event-media img")
    assert picture.get_attribute("alt") == "Smoke rising over the roofs of a hospital."
    assert wait_until_shown(picture) > 0
    # The browser chose the WebP.
    assert page.evaluate("document.querySelector('.event-media img').currentSrc").endswith(".webp")
    assert "Photo: A. Petrosyan/Newswire" in page.locator(".event-media figcaption").inner_text()
    # Its width and height were known before it arrived: nothing moved.
    assert page.evaluate(LAYOUT_SHIFT) == 0


def test_a_graphic_photo_is_hidden_until_the_reader_opens_it(live_server, page):
    event = EventFactory(title="Aftermath of the strike")
    CitationFactory(event=event)
    MediaItemFactory(
        event=event,
        image=jpeg_file(width=800, height=600, color=(120, 20, 20)),
        is_graphic=True,
        alt_text="Bodies covered with blankets on a pavement.",
    )

    page.goto(f"{live_server.url}{event.get_absolute_url()}")
    image = page.locator(".graphic-content img")
    assert not image.is_visible()
    assert not loaded(image)

    page.click(".graphic-content summary")

    assert image.is_visible()
    assert wait_until_shown(image) > 0
    assert image.get_attribute("alt") == "Bodies covered with blankets on a pavement."


def test_the_thumbnail_sits_above_the_title_on_a_narrow_phone(live_server, browser):
    event = EventFactory(title="Talks scheduled in Yevlakh")
    MediaItemFactory(event=event, image=jpeg_file(width=400, height=300))
    context = browser.new_context(viewport={"width": 320, "height": 640})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}{event.conflict.get_absolute_url()}")
        thumbnail = page.locator(".card-thumbnail img").bounding_box()
        title = page.locator(".event-card .event-title").bounding_box()
        assert thumbnail["y"] + thumbnail["height"] <= title["y"]
        assert (thumbnail["width"], thumbnail["height"]) == (96, 72)
    finally:
        context.close()
