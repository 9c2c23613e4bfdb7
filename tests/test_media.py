"""Photos and links on events: credited, described, stripped of what could
locate the person who took them, light on a phone, and shown everywhere an
event goes."""

import io
import json
import re
import struct
from datetime import UTC, datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.urls import reverse
from PIL import Image

from tests.admin_forms import event_form, page_form_data
from tests.factories import (
    ConflictFactory,
    EventFactory,
    MediaItemFactory,
    SourceFactory,
    jpeg_bytes,
    jpeg_file,
)
from tracker import images, renditions
from tracker.models import Correction, MediaItem

pytestmark = pytest.mark.django_db

GPS = {1: "N", 2: (39.0, 49.0, 3.0), 3: "E", 4: (46.0, 45.0, 10.0)}
# What a camera's JPEG carries: EXIF with the camera, its serial number,
# the time, a maker note and GPS; XMP; an IPTC block; a comment.
EXIF_SIGNATURE = b"Exif\x00\x00"
XMP_SIGNATURE = b"http://ns.adobe.com/xap/1.0/"
IPTC_SIGNATURE = b"Photoshop 3.0"


def camera_exif(orientation=1):
    exif = Image.Exif()
    exif[0x010F] = "Canon"  # Make
    exif[0x0110] = "Canon EOS R6"  # Model
    exif[0x0112] = orientation
    exif[0x0132] = "2023:09:20 12:41:07"  # DateTime
    exif[0xA431] = "032021001234"  # BodySerialNumber
    exif[0x927C] = b"Canon maker note: lens 24-105, owner A. Petrosyan"  # MakerNote
    exif[0x8825] = GPS
    return exif


def with_iptc(data):
    """The JPEG with an APP13 (Photoshop/IPTC) block naming the photographer."""
    iptc = b"\x1c\x02\x50" + struct.pack(">H", 12) + b"A. Petrosyan"  # 2:80 By-line
    resource = b"8BIM\x04\x04\x00\x00" + struct.pack(">I", len(iptc)) + iptc
    payload = IPTC_SIGNATURE + b"\x00" + resource
    segment = b"\xff\xed" + struct.pack(">H", len(payload) + 2) + payload
    return data[:2] + segment + data[2:]


def camera_jpeg(width=64, height=48, orientation=1):
    xmp = (
        b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf='
        b'"http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
        b'xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmp:CreatorTool="Phone"/>'
        b"</rdf:RDF></x:xmpmeta>"
    )
    data = jpeg_bytes(
        width,
        height,
        exif=camera_exif(orientation).tobytes(),
        xmp=xmp,
        comment=b"Taken at the checkpoint by A. Petrosyan",
    )
    return with_iptc(data)


def read_back(name):
    with default_storage.open(name, "rb") as stored:
        data = stored.read()
    image = Image.open(io.BytesIO(data))
    image.load()
    return data, image


def assert_no_metadata(data, image):
    assert EXIF_SIGNATURE not in data
    assert XMP_SIGNATURE not in data
    assert IPTC_SIGNATURE not in data
    assert b"Petrosyan" not in data
    assert b"Canon" not in data
    assert len(image.getexif()) == 0
    assert image.getexif().get_ifd(0x8825) == {}
    for key in ("exif", "xmp", "XML:com.adobe.xmp", "comment", "icc_profile", "photoshop"):
        assert key not in image.info, key


def stored_files():
    """Every file in the media storage, as names."""
    found = []

    def walk(folder):
        folders, files = default_storage.listdir(folder)
        found.extend(f"{folder}/{name}".lstrip("/") for name in files)
        for name in folders:
            walk(f"{folder}/{name}".lstrip("/"))

    if default_storage.exists(""):
        walk("")
    return found


@pytest.fixture
def empty_media_storage():
    for name in stored_files():
        default_storage.delete(name)


# The record


def test_an_image_needs_its_file_credit_and_alt_text():
    item = MediaItem(event=EventFactory(), kind=MediaItem.Kind.IMAGE)

    with pytest.raises(ValidationError) as refused:
        item.full_clean()

    assert {"image", "credit", "alt_text"} <= set(refused.value.message_dict)


def test_the_database_refuses_an_image_without_alt_text():
    event = EventFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        MediaItem.objects.create(
            event=event, image="media/x.jpg", width=64, height=48, credit="Photo: A", alt_text=""
        )


def test_the_database_refuses_media_without_a_credit():
    with pytest.raises(IntegrityError), transaction.atomic():
        MediaItem.objects.create(
            event=EventFactory(), kind=MediaItem.Kind.LINK, url="https://video.example.org/1"
        )


def test_a_link_needs_its_url_and_no_file():
    item = MediaItem(event=EventFactory(), kind=MediaItem.Kind.LINK, credit="Video: A")

    with pytest.raises(ValidationError) as refused:
        item.full_clean()
    assert "url" in refused.value.message_dict

    with pytest.raises(IntegrityError), transaction.atomic():
        MediaItem.objects.create(event=EventFactory(), kind=MediaItem.Kind.LINK, credit="A")


def test_media_is_shown_in_its_order():
    event = EventFactory()
    second = MediaItemFactory(event=event, position=2, caption="Second")
    first = MediaItemFactory(event=event, position=1, caption="First")

    assert list(event.media.all()) == [first, second]


def test_when_a_photo_was_taken_is_kept_no_more_exactly_than_known():
    event = EventFactory(conflict=ConflictFactory(timezone="Asia/Baku"))
    item = MediaItemFactory(
        event=event, taken_at=datetime(2023, 9, 20, 15, 30, tzinfo=UTC), taken_at_precision="month"
    )

    item.refresh_from_db()
    assert item.taken_when == "September 2023"
    assert item.machine_taken_at == "2023-09"


# Safe uploads


def test_a_cameras_jpeg_carries_what_can_locate_its_photographer():
    # What the tests below upload: if Pillow stopped writing any of it, they
    # would prove nothing.
    data = camera_jpeg()
    image = Image.open(io.BytesIO(data))

    assert image.getexif().get_ifd(0x8825)[2] == GPS[2]
    assert EXIF_SIGNATURE in data and XMP_SIGNATURE in data and IPTC_SIGNATURE in data
    assert b"Petrosyan" in data and b"Canon" in data


def test_the_stored_original_and_every_derived_size_carry_no_metadata():
    item = MediaItemFactory(image=ContentFile(camera_jpeg(), name="IMG_0042.jpg"))

    data, image = read_back(item.image.name)
    assert_no_metadata(data, image)
    for derived in item.derived_files():
        data, image = read_back(derived.name)
        assert_no_metadata(data, image)


def test_the_orientation_is_applied_before_the_exif_is_dropped():
    # Orientation 6: the camera was held upright; the picture is turned a
    # quarter to be shown as taken.
    item = MediaItemFactory(image=ContentFile(camera_jpeg(60, 40, orientation=6), name="a.jpg"))

    _data, image = read_back(item.image.name)
    assert image.size == (40, 60)
    assert (item.width, item.height) == (40, 60)


def test_a_stored_name_is_random_not_the_uploaders():
    named = "Ani_Petrosyan_Stepanakert_checkpoint.jpg"
    first = MediaItemFactory(image=jpeg_file(name=named))
    second = MediaItemFactory(image=jpeg_file(name=named))

    for item in (first, second):
        assert re.fullmatch(r"media/[0-9a-f]{32}\.jpg", item.image.name), item.image.name
        assert "Petrosyan" not in item.image.name
    assert first.image.name != second.image.name


def test_the_sha256_of_the_stored_original_is_kept():
    import hashlib

    item = MediaItemFactory()

    data, _image = read_back(item.image.name)
    assert item.sha256 == hashlib.sha256(data).hexdigest()


def svg_upload():
    return ContentFile(
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        name="map.svg",
    )


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (svg_upload(), "active_format"),
        # An SVG renamed, an HTML page renamed: refused by what they are.
        (ContentFile(b"<?xml version='1.0'?><svg/>", name="photo.jpg"), "active_format"),
        (ContentFile(b"<!DOCTYPE html><script>1</script>", name="photo.png"), "active_format"),
        (ContentFile(b"Casualty list, do not publish\n" * 20, name="photo.jpg"), "not_an_image"),
        (ContentFile(b"%PDF-1.7\n" + b"0" * 300, name="photo.jpg"), "not_an_image"),
        (ContentFile(jpeg_bytes(200, 150, noisy=True)[:4000], name="cut.jpg"), "damaged"),
    ],
)
def test_what_is_not_a_whole_still_photo_is_refused(upload, code):
    with pytest.raises(ValidationError) as refused:
        images.safe_image(upload)

    assert refused.value.code == code


def bomb(width, height):
    """A PNG of few bytes and many pixels."""
    out = io.BytesIO()
    Image.new("1", (width, height)).save(out, format="PNG", optimize=True)
    return ContentFile(out.getvalue(), name="bomb.png")


def test_a_decompression_bomb_is_refused_before_it_is_decoded(settings):
    settings.MEDIA_MAX_PIXELS = 4_000_000
    upload = bomb(4000, 4000)
    assert upload.size < 20_000

    with pytest.raises(ValidationError) as refused:
        images.safe_image(upload)

    assert refused.value.code == "decompression_bomb"
    assert "4000 × 4000" in refused.value.messages[0]


def test_a_file_over_the_size_limit_is_refused(settings):
    settings.MEDIA_MAX_UPLOAD_BYTES = 1_000

    with pytest.raises(ValidationError) as refused:
        images.safe_image(jpeg_file(width=400, height=300, noisy=True))

    assert refused.value.code == "too_big"


def test_an_animated_image_is_refused():
    out = io.BytesIO()
    frames = [Image.new("RGB", (20, 20), color) for color in ("red", "blue")]
    frames[0].save(out, format="WEBP", save_all=True, append_images=frames[1:])

    with pytest.raises(ValidationError) as refused:
        images.safe_image(ContentFile(out.getvalue(), name="a.webp"))

    assert refused.value.code == "animated"


def test_a_png_keeps_its_transparency_and_loses_its_text():
    out = io.BytesIO()
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "A. Petrosyan")
    info.add_itxt("XML:com.adobe.xmp", "<x:xmpmeta>GPS 39.8</x:xmpmeta>")
    Image.new("RGBA", (30, 20), (255, 0, 0, 128)).save(out, format="PNG", pnginfo=info)

    made = images.safe_image(ContentFile(out.getvalue(), name="a.png"))

    data = made.content.read()
    assert b"Petrosyan" not in data and b"xmpmeta" not in data
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG" and image.mode == "RGBA"
    assert made.content.name.endswith(".png")


def test_a_script_saving_a_photo_gets_it_made_safe_too():
    # No form: a photo given to the model directly is rewritten on save.
    item = MediaItem(
        event=EventFactory(),
        image=ContentFile(camera_jpeg(), name="from-a-script.jpg"),
        credit="Photo: A",
        alt_text="A road.",
    )
    item.save()

    assert_no_metadata(*read_back(item.image.name))


# Derived sizes


def test_the_thumbnails_are_of_a_fixed_size_in_webp_and_jpeg():
    item = MediaItemFactory(image=jpeg_file(width=640, height=360))

    for name, size, image_format in [
        ("thumbnail_webp", renditions.THUMBNAIL_SIZE, "WEBP"),
        ("thumbnail_jpeg", renditions.THUMBNAIL_SIZE, "JPEG"),
        ("thumbnail_2x_webp", renditions.THUMBNAIL_2X, "WEBP"),
        ("thumbnail_2x_jpeg", renditions.THUMBNAIL_2X, "JPEG"),
    ]:
        _data, image = read_back(getattr(item, name).name)
        assert (image.size, image.format) == (size, image_format), name


def test_the_event_pages_widths_are_as_large_as_the_original_and_no_larger():
    item = MediaItemFactory(image=jpeg_file(width=1200, height=800))

    widths = item.widths

    assert [(width, height) for width, _w, _j, height in widths] == [
        (480, 320),
        (960, 640),
        (1200, 800),
    ]
    for width, webp, jpeg, height in widths:
        assert read_back(webp.name)[1].size == (width, height)
        assert read_back(jpeg.name)[1].format == "JPEG"


# Where events go


def published_with_photo(**photo):
    event = EventFactory(title="Shelling near the hospital")
    item = MediaItemFactory(event=event, **photo)
    return event, item


def test_the_timeline_card_shows_the_first_images_thumbnail(client):
    event, item = published_with_photo()
    MediaItemFactory(event=event, alt_text="The second photo.")

    html = client.get(event.conflict.get_absolute_url()).content.decode()

    card = html.split('class="event-card', 1)[1].split("</article>", 1)[0]
    assert card.count("<picture") == 1
    assert f'src="{item.thumbnail_jpeg.url}"' in card
    assert f"{item.thumbnail_webp.url} 1x" in card
    assert 'width="96" height="72"' in card
    assert f'alt="{item.alt_text}"' in card
    assert 'loading="lazy"' in card


def test_a_graphic_image_is_never_a_cards_thumbnail(client):
    event, _item = published_with_photo(is_graphic=True)

    html = client.get(event.conflict.get_absolute_url()).content.decode()

    assert "<picture" not in html


def test_adding_a_photo_renews_the_kept_card(client):
    event = EventFactory()
    client.get(event.conflict.get_absolute_url())

    item = MediaItemFactory(event=event)
    html = client.get(event.conflict.get_absolute_url()).content.decode()
    assert item.thumbnail_jpeg.url in html

    item.delete()
    assert "<picture" not in client.get(event.conflict.get_absolute_url()).content.decode()


def test_the_event_page_shows_each_item_with_caption_and_credit(client):
    event, item = published_with_photo(rights="CC BY 4.0", source=SourceFactory(title="Newswire"))
    MediaItemFactory(
        event=event,
        kind=MediaItem.Kind.LINK,
        image="",
        url="https://www.video.example.org/watch?v=1",
        link_title="Footage of the convoy",
        credit="Video: Newswire",
        alt_text="",
    )

    html = client.get(event.get_absolute_url()).content.decode()

    assert item.caption in html and item.credit in html and "CC BY 4.0" in html
    assert f'alt="{item.alt_text}"' in html
    assert 'type="image/webp"' in html
    assert 'width="64" height="48"' in html
    assert 'loading="eager"' in html
    assert "Footage of the convoy" in html and "video.example.org" in html
    assert "<iframe" not in html and "<script" not in html


def test_a_graphic_image_is_hidden_behind_a_warning_the_reader_opens(client):
    event, item = published_with_photo(is_graphic=True)

    html = client.get(event.get_absolute_url()).content.decode()

    details = html.split('<details class="graphic-content">', 1)[1].split("</details>", 1)[0]
    assert "Graphic content" in details
    assert item.w480_jpeg.url in details
    assert " open" not in html.split('<details class="graphic-content"', 1)[1][:5]
    assert 'property="og:image"' not in html


def test_the_event_page_gives_social_cards_its_lead_image(client):
    event, item = published_with_photo()

    html = client.get(event.get_absolute_url()).content.decode()

    assert f'<meta property="og:image" content="http://testserver{item.w960_jpeg.url}">' in html
    assert '<meta property="og:image:width" content="64">' in html
    assert f'<meta property="og:image:alt" content="{item.alt_text}">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html


def test_the_embed_shows_thumbnails(client):
    event, item = published_with_photo()

    html = client.get(reverse("timeline:embed", args=[event.conflict.slug])).content.decode()

    assert item.thumbnail_jpeg.url in html and f'alt="{item.alt_text}"' in html


def test_the_api_carries_media(client):
    event, item = published_with_photo(source=SourceFactory(title="Newswire"))

    record = client.get(f"/api/v1/events/{event.pk}/").json()

    (media,) = record["media"]
    assert media["credit"] == item.credit and media["alt_text"] == item.alt_text
    assert media["url"] == f"http://testserver{item.w960_jpeg.url}"
    assert media["thumbnail"]["width"] == 96
    assert media["sizes"][0]["webp"].endswith(".webp")
    assert media["source"]["title"] == "Newswire"
    assert media["graphic"] is False


def test_timelinejs_json_carries_the_lead_image_as_a_media_object(client):
    event, item = published_with_photo(caption="<b>Residents</b> & others")

    document = client.get(reverse("timeline:timelinejs", args=[event.conflict.slug])).json()

    (slide,) = document["events"]
    assert slide["media"] == {
        "url": f"http://testserver{item.w960_jpeg.url}",
        "thumbnail": f"http://testserver{item.thumbnail_2x_jpeg.url}",
        "caption": "&lt;b&gt;Residents&lt;/b&gt; &amp; others",
        "credit": item.credit,
        "alt": item.alt_text,
    }


def test_a_graphic_image_stays_out_of_timelinejs_and_feeds(client):
    event, _item = published_with_photo(is_graphic=True)
    slug = event.conflict.slug

    document = client.get(reverse("timeline:timelinejs", args=[slug])).json()
    feed = client.get(f"/conflicts/{slug}/feed.rss").content.decode()

    assert "media" not in document["events"][0]
    assert "<enclosure" not in feed


def test_the_feeds_carry_the_lead_image_as_an_enclosure(client):
    event, item = published_with_photo()
    slug = event.conflict.slug

    rss = client.get(f"/conflicts/{slug}/feed.rss").content.decode()
    atom = client.get(f"/conflicts/{slug}/feed.atom").content.decode()

    url = f"http://testserver{item.w960_jpeg.url}"
    import feedparser

    for feed in (rss, atom):
        (entry,) = feedparser.parse(feed).entries
        (enclosure,) = entry.enclosures
        assert (enclosure.href, enclosure.type) == (url, "image/jpeg")


def test_images_load_only_from_our_own_host_by_default(client):
    event, _item = published_with_photo()

    policy = client.get(event.get_absolute_url())["Content-Security-Policy"]

    assert "img-src 'self';" in policy + ";"


def test_photos_served_in_development_may_be_shown_by_other_sites(client):
    _event, item = published_with_photo()

    response = client.get(item.thumbnail_jpeg.url)

    assert response.status_code == 200
    assert response["Cross-Origin-Resource-Policy"] == "cross-origin"
    assert not response.cookies


def test_media_is_served_by_django_only_in_development():
    from tests.test_settings import PRODUCTION_ENV, read_settings

    assert read_settings("MEDIA_SERVED_BY_DJANGO", **PRODUCTION_ENV) == [False]
    assert read_settings("MEDIA_SERVED_BY_DJANGO", DJANGO_DEBUG="true") == [True]


def test_an_object_store_is_configured_by_environment_and_allowed_by_the_csp():
    from tests.test_settings import PRODUCTION_ENV, read_settings

    storages, policy, served = read_settings(
        "STORAGES",
        "CONTENT_SECURITY_POLICY",
        "MEDIA_SERVED_BY_DJANGO",
        **PRODUCTION_ENV,
        DJANGO_MEDIA_S3_BUCKET="newsroom-media",
        DJANGO_MEDIA_S3_CUSTOM_DOMAIN="media.example.org",
        DJANGO_MEDIA_S3_REGION="eu-central-1",
    )

    assert storages["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storages["default"]["OPTIONS"]
    assert options["bucket_name"] == "newsroom-media"
    assert options["custom_domain"] == "media.example.org"
    assert options["querystring_auth"] is False
    assert policy["DIRECTIVES"]["img-src"] == ["'self'", "https://media.example.org"]
    assert served is False


def test_an_s3_compatible_store_is_reached_at_its_endpoint():
    from tests.test_settings import PRODUCTION_ENV, read_settings

    storages, policy = read_settings(
        "STORAGES",
        "CONTENT_SECURITY_POLICY",
        **PRODUCTION_ENV,
        DJANGO_MEDIA_S3_BUCKET="media",
        DJANGO_MEDIA_S3_ENDPOINT_URL="https://objects.example.net",
    )

    assert storages["default"]["OPTIONS"]["endpoint_url"] == "https://objects.example.net"
    assert policy["DIRECTIVES"]["img-src"] == ["'self'", "https://objects.example.net"]


# The newsroom


def change_url(event):
    return reverse("admin:tracker_event_change", args=[event.pk])


def photo_row(upload, **fields):
    return {
        "media-TOTAL_FORMS": 1,
        "media-0-position": "0",
        "media-0-kind": "image",
        "media-0-image": upload,
        "media-0-url": "",
        "media-0-link_title": "",
        "media-0-alt_text": "A burnt-out car on a road.",
        "media-0-caption": "",
        "media-0-credit": "Photo: A. Petrosyan/Newswire",
        "media-0-rights": "",
        "media-0-source": "",
        "media-0-taken_at_0": "",
        "media-0-taken_at_1": "",
    } | fields


def upload(data, name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def test_an_editor_uploads_a_photo_in_the_events_form(administrator_client):
    conflict = ConflictFactory()
    data = event_form(conflict) | photo_row(upload(camera_jpeg(), "IMG_0042.jpg"))
    data |= {"media-0-taken_at_0": "2023-09"}

    response = administrator_client.post(reverse("admin:tracker_event_add"), data)

    assert response.status_code == 302, response.context["inline_admin_formsets"]
    item = MediaItem.objects.get()
    assert item.taken_at_precision == "month"
    assert_no_metadata(*read_back(item.image.name))
    assert item.history.count() == 1


@pytest.mark.parametrize(
    ("data", "name", "words"),
    [
        (b'<svg xmlns="http://www.w3.org/2000/svg"/>', "map.svg", "SVG"),
        (b"Names of the wounded\n" * 30, "photo.jpg", "not an image"),
    ],
)
def test_the_form_refuses_what_is_not_a_photo_with_a_field_error(
    administrator_client, empty_media_storage, data, name, words
):
    post = event_form(ConflictFactory()) | photo_row(upload(data, name))

    response = administrator_client.post(reverse("admin:tracker_event_add"), post)

    assert response.status_code == 200
    (formset,) = [
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == "media"
    ]
    assert words in " ".join(formset.forms[0].errors["image"])
    assert not MediaItem.objects.exists()
    assert stored_files() == []


def test_the_form_refuses_a_decompression_bomb_with_a_field_error(
    administrator_client, settings, empty_media_storage
):
    settings.MEDIA_MAX_PIXELS = 4_000_000
    post = event_form(ConflictFactory()) | photo_row(upload(bomb(4000, 4000).read(), "b.png"))

    response = administrator_client.post(reverse("admin:tracker_event_add"), post)

    assert response.status_code == 200
    assert "4000 × 4000" in response.content.decode()
    assert stored_files() == []


def test_the_events_form_previews_its_photos(administrator_client):
    event, item = published_with_photo()

    html = administrator_client.get(change_url(event)).content.decode()

    assert f'src="{item.thumbnail_2x_jpeg.url}"' in html
    assert 'class="media-preview"' in html


def test_changing_a_photo_readers_have_seen_needs_a_correction_note(administrator_client):
    event, item = published_with_photo()
    data = page_form_data(administrator_client.get(change_url(event)))
    data["media-0-credit"] = "Photo: someone else"

    refused = administrator_client.post(change_url(event), data)

    assert refused.status_code == 200
    assert "correction_note" in refused.context["adminform"].form.errors
    item.refresh_from_db()
    assert item.credit != "Photo: someone else"

    data["correction_note"] = "The photo was credited to the wrong agency."
    assert administrator_client.post(change_url(event), data).status_code == 302
    item.refresh_from_db()
    assert item.credit == "Photo: someone else"
    assert Correction.objects.get(event=event).note.startswith("The photo was credited")


def test_removing_a_photo_readers_have_seen_needs_a_correction_note(administrator_client):
    event, item = published_with_photo()
    data = page_form_data(administrator_client.get(change_url(event)))
    data["media-0-DELETE"] = "on"

    refused = administrator_client.post(change_url(event), data)

    assert refused.status_code == 200
    assert MediaItem.objects.filter(pk=item.pk).exists()

    data["correction_note"] = "The photo showed another town."
    assert administrator_client.post(change_url(event), data).status_code == 302
    assert not MediaItem.objects.filter(pk=item.pk).exists()
    # The history keeps the removal.
    assert MediaItem.history.filter(id=item.pk, history_type="-").exists()


def test_a_new_photo_on_a_published_event_is_an_update_without_a_note(administrator_client):
    event = EventFactory()
    data = page_form_data(administrator_client.get(change_url(event)))
    data |= photo_row(upload(jpeg_bytes(), "new.jpg"))

    assert administrator_client.post(change_url(event), data).status_code == 302
    assert event.media.count() == 1


def test_a_reporter_may_not_change_the_photos_of_a_published_event(reporter_client):
    event, _item = published_with_photo()

    response = reporter_client.get(change_url(event))

    assert 'name="media-0-credit"' not in response.content.decode()


def test_the_events_history_names_changes_to_its_photos(administrator_client):
    event, item = published_with_photo()
    item.credit = "Photo: corrected"
    item.save()

    response = administrator_client.get(reverse("admin:tracker_event_history", args=[event.pk]))

    assert "Photo: corrected" in response.content.decode()


# The archive


@pytest.mark.django_db(transaction=True)
def test_the_archive_carries_each_original_with_its_sha256_and_restores_it(tmp_path):
    from django.core.management import call_command

    item = MediaItemFactory()
    original = read_back(item.image.name)[0]
    path = tmp_path / "archive.json"
    call_command("export_archive", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    archive = json.loads(path.read_text())
    (entry,) = archive["files"]
    assert entry["name"] == item.image.name
    import hashlib

    assert entry["sha256"] == hashlib.sha256(original).hexdigest()

    call_command("flush", interactive=False, verbosity=0)
    for name in stored_files():
        default_storage.delete(name)
    call_command("import_archive", str(path), stdout=io.StringIO())

    restored = MediaItem.objects.get()
    assert read_back(restored.image.name)[0] == original
    assert default_storage.exists(restored.thumbnail_jpeg.name)
    second = tmp_path / "again.json"
    call_command("export_archive", str(second), stdout=io.StringIO(), stderr=io.StringIO())
    again = json.loads(second.read_text())
    del archive["created_at"], again["created_at"]
    assert again == archive


@pytest.mark.django_db(transaction=True)
def test_a_damaged_file_in_the_archive_refuses_the_restore(tmp_path):
    from django.core.management import CommandError, call_command

    MediaItemFactory()
    path = tmp_path / "archive.json"
    call_command("export_archive", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    archive = json.loads(path.read_text())
    archive["files"][0]["content"] = archive["files"][0]["content"][:-8] + "AAAAAAA="
    path.write_text(json.dumps(archive))
    call_command("flush", interactive=False, verbosity=0)

    with pytest.raises(CommandError, match="SHA-256"):
        call_command("import_archive", str(path), stdout=io.StringIO())
    assert not MediaItem.objects.exists()


# The demo


def test_the_demo_event_carries_a_placeholder_photo_with_the_articles_credit():
    from django.core.management import call_command

    call_command("load_demo", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())

    (item,) = MediaItem.objects.all()
    assert item.credit == "Photo: fifg/Shutterstock"
    assert item.event.slug == "ceasefire-takes-effect"
    assert item.alt_text and "placeholder" in item.caption.lower()
    assert (item.width, item.height) == (1200, 800)
    assert_no_metadata(*read_back(item.image.name))


# Imports


def media_rows(*rows):
    import tablib

    headers = ["conflict", "event", "kind", "url", "link_title", "credit", "alt_text", "taken_at"]
    return tablib.Dataset(*rows, headers=headers)


def import_media(dataset, dry_run=False):
    from tracker.admin.imports import MediaItemResource

    return MediaItemResource().import_data(dataset, dry_run=dry_run, use_transactions=True)


def row_errors(result):
    return [str(error) for row in result.invalid_rows for error in row.error_dict.values()]


@pytest.mark.django_db(transaction=True)
def test_an_import_fetches_a_photo_by_its_url_and_strips_it(live_server, settings):
    settings.MEDIA_IMPORT_FROM_PRIVATE_ADDRESSES = True  # the live server is on the loopback
    served = default_storage.save("incoming/camera.jpg", ContentFile(camera_jpeg()))
    event = EventFactory(status="draft")
    url = f"{live_server.url}/media/{served}"
    row = [
        event.conflict.slug,
        event.slug,
        "image",
        url,
        "",
        "Photo: A/Newswire",
        "A road.",
        "2023-09-20",
    ]

    preview = import_media(media_rows(row), dry_run=True)
    assert not preview.has_errors() and not preview.has_validation_errors()
    assert not MediaItem.objects.exists()

    result = import_media(media_rows(row))

    assert not result.has_errors() and not result.has_validation_errors(), row_errors(result)
    item = MediaItem.objects.get()
    assert item.url == url and item.taken_at_precision == "day"
    assert_no_metadata(*read_back(item.image.name))
    assert default_storage.exists(item.thumbnail_jpeg.name)
    # The same file again changes nothing.
    assert import_media(media_rows(row)).totals["skip"] == 1


def test_an_import_never_fetches_from_the_servers_own_networks():
    event = EventFactory(status="draft")
    row = [event.conflict.slug, event.slug, "image", "http://127.0.0.1:9/x.jpg", "", "A", "B", ""]

    result = import_media(media_rows(row))

    assert "not on the public internet" in " ".join(row_errors(result))
    assert not MediaItem.objects.exists()


def test_an_import_adds_a_link_without_fetching_it():
    event = EventFactory(status="draft")
    row = [event.conflict.slug, event.slug, "link", "https://video.example.org/watch?v=1",
           "Footage of the convoy", "Video: Newswire", "", ""]  # fmt: skip

    result = import_media(media_rows(row))

    assert not result.has_validation_errors(), row_errors(result)
    assert MediaItem.objects.get().host == "video.example.org"


def test_an_import_leaves_the_media_of_published_events_alone():
    event = EventFactory()
    row = [event.conflict.slug, event.slug, "link", "https://video.example.org/1", "", "A", "", ""]

    result = import_media(media_rows(row))

    assert "imports do not change its media" in " ".join(row_errors(result))
