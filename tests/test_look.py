"""The newsroom's look: its name, logo, accent colour and own site, set by an
administrator in the admin and seen by every reader on their next request,
on every page, in the embed, the feeds and link previews."""

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError
from django.test import Client
from django.urls import reverse
from PIL import Image

from tests.factories import ActorFactory, ClaimFactory, ConflictFactory, EventFactory
from tests.test_purge import cache_host, purged  # noqa: F401 (fixtures)
from timeline import look as public_look
from tracker import newsroom
from tracker.models import NewsroomLook

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:tracker_newsroomlook_add")
CHANGE_URL = reverse("admin:tracker_newsroomlook_change", args=[NewsroomLook.SINGLETON])


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    def run(change, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return change(*args, **kwargs)

    return run


@pytest.fixture
def reader():
    """An anonymous reader, apart from the administrator's signed-in client."""
    return Client()


def image_file(kind="PNG", size=(240, 80), name=None, **save):
    data = io.BytesIO()
    Image.new("RGB", size, (163, 18, 42)).save(data, format=kind, **save)
    extension = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp", "GIF": "gif"}[kind]
    return SimpleUploadedFile(name or f"our logo.{extension}", data.getvalue())


def form(**changes):
    return {"name": "", "site_url": "", "accent_colour": "", **changes}


def save_look(client, **changes):
    """Post the look's admin form as an administrator; the response."""
    url = CHANGE_URL if NewsroomLook.objects.exists() else ADD_URL
    return client.post(url, form(**changes))


def stylesheet_of(html):
    match = re.search(r'<link rel="stylesheet" href="(/look/[^"]+\.css)">', html)
    return match[1] if match else None


# Colours readers can read


def test_contrast_is_measured_as_wcag_measures_it():
    assert newsroom.contrast("#000000", "#ffffff") == pytest.approx(21)
    assert newsroom.contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)
    assert newsroom.contrast("#ffffff", "#ffffff") == 1


def test_an_accent_too_pale_to_read_on_the_light_page_is_refused_with_a_darker_shade_named():
    look = NewsroomLook(accent_colour="#ff9900")

    with pytest.raises(ValidationError) as refused:
        look.full_clean()

    [message] = refused.value.message_dict["accent_colour"]
    assert "contrast of 2.1:1" in message and "4.5:1" in message
    suggestion = re.search(r"such as (#[0-9a-f]{6})", message)[1]
    assert newsroom.readable_on(suggestion, newsroom.LIGHT_BACKGROUNDS)
    NewsroomLook(accent_colour=suggestion).full_clean()


def test_an_accent_that_is_not_a_hex_colour_is_refused():
    with pytest.raises(ValidationError) as refused:
        NewsroomLook(accent_colour="red").full_clean()

    assert "six hex digits" in refused.value.message_dict["accent_colour"][0]


def test_the_dark_theme_shows_the_accent_lightened_until_it_reads():
    look = NewsroomLook(accent_colour="#A3122A")
    look.full_clean()

    dark = look.accent_colour_dark
    assert dark != "#a3122a"
    assert newsroom.readable_on(dark, newsroom.DARK_BACKGROUNDS)
    assert newsroom.luminance(dark) > newsroom.luminance("#a3122a")
    assert newsroom.worst_contrast(dark, newsroom.DARK_BACKGROUNDS) < 5.5  # no paler than needed


def test_the_backgrounds_the_contrast_is_measured_on_are_the_stylesheets():
    from django.conf import settings

    folder = settings.BASE_DIR / "static" / "timeline"
    light, dark = (folder / "site.css").read_text(), (folder / "dark.css").read_text()
    assert "--paper: #fdfcf9" in light and "--surface: #fff;" in light
    assert "--paper: #15161a" in dark and "--surface: #1f2126" in dark
    assert newsroom.LIGHT_BACKGROUNDS == ("#fdfcf9", "#ffffff")
    assert newsroom.DARK_BACKGROUNDS == ("#15161a", "#1f2126")


@pytest.mark.parametrize("name", ["site.css", "dark.css"])
def test_every_block_of_the_stylesheets_is_closed(name):
    # One brace left open puts every later rule inside it (a print-only block).
    from django.conf import settings

    text = (settings.BASE_DIR / "static" / "timeline" / name).read_text()
    depth = 0
    for character in re.sub(r"/\*.*?\*/", "", text, flags=re.S):
        depth += {"{": 1, "}": -1}.get(character, 0)
        assert depth >= 0
    assert depth == 0


# One look, cached, with a history


def test_there_is_only_one_look():
    NewsroomLook(name="First").save()
    NewsroomLook(name="Second").save()

    assert list(NewsroomLook.objects.values_list("pk", "name")) == [(1, "Second")]
    with pytest.raises(IntegrityError):
        NewsroomLook.objects.bulk_create([NewsroomLook(pk=2, name="Another")])


def test_the_name_is_the_deployments_until_an_administrator_sets_one(settings, commit):
    settings.NEWSROOM_NAME = "The Daily Record"
    assert newsroom.name() == "The Daily Record"

    commit(NewsroomLook(name="The Caucasus Desk").save)

    assert newsroom.name() == "The Caucasus Desk"


def test_the_newsroom_assessment_is_credited_to_the_name_set_in_the_admin(commit):
    commit(NewsroomLook(name="The Caucasus Desk").save)
    claim = ClaimFactory(claimant=ActorFactory(is_newsroom=True))

    assert claim.claimant_display() == "The Caucasus Desk's own assessment"


def test_the_look_is_read_from_the_database_once_then_from_the_cache(
    commit, django_assert_num_queries
):
    commit(NewsroomLook(accent_colour="#a3122a").save)
    newsroom.forget()

    with django_assert_num_queries(1):
        assert newsroom.look().accent == "#a3122a"
    with django_assert_num_queries(0):
        assert newsroom.look().accent == "#a3122a"


def test_a_change_of_the_look_is_recorded_in_its_history(administrator_client, administrator):
    save_look(administrator_client, accent_colour="#a3122a")
    save_look(administrator_client, accent_colour="#0b4f9c", name="The Desk")

    versions = NewsroomLook.history.order_by("history_date")
    assert [version.accent_colour for version in versions] == ["#a3122a", "#0b4f9c"]
    assert {version.history_user for version in versions} == {administrator}
    history = reverse("admin:tracker_newsroomlook_history", args=[NewsroomLook.SINGLETON])
    assert administrator_client.get(history).status_code == 200


# The admin


def test_the_admin_list_of_looks_opens_the_one_look(administrator_client):
    assert administrator_client.get(reverse("admin:tracker_newsroomlook_changelist")).url == ADD_URL
    save_look(administrator_client, name="The Desk")

    response = administrator_client.get(reverse("admin:tracker_newsroomlook_changelist"))

    assert response.url == CHANGE_URL


def test_the_admin_refuses_an_unreadable_accent_with_a_field_error(administrator_client):
    response = save_look(administrator_client, accent_colour="#ffcc00")

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "accent_colour" in errors and "4.5:1" in errors["accent_colour"][0]
    assert not NewsroomLook.objects.exists()


def test_only_an_administrator_changes_the_look(client, django_user_model, roles):
    from django.contrib.auth.models import Group

    from tests.conftest import staff_member

    editor = staff_member(django_user_model, "editor", Group.objects.get(name="Editor"))
    NewsroomLook(name="The Desk").save()
    client.force_login(editor)

    client.post(CHANGE_URL, form(name="Taken over"))

    assert NewsroomLook.objects.get().name == "The Desk"


# Every page, at once


PAGES = [
    "/",
    "/conflicts/nagorno-karabakh/",
    "/conflicts/nagorno-karabakh/events/{event}/",
    "/conflicts/nagorno-karabakh/figures/",
    "/conflicts/nagorno-karabakh/embed/",
]


@pytest.fixture
def pages(settings):
    """The public pages, with the page cache on, each read once so that it is stored."""
    settings.PAGE_CACHE_SECONDS = 60
    event = EventFactory(conflict=ConflictFactory(), slug="ceasefire")
    return [path.format(event=event.slug) for path in PAGES]


def test_changing_the_accent_in_the_admin_changes_every_stored_page_and_the_embed_at_once(
    administrator_client, reader, pages, django_capture_on_commit_callbacks
):
    for path in pages:
        assert stylesheet_of(reader.get(path).content.decode()) is None

    with django_capture_on_commit_callbacks(execute=True):
        assert save_look(administrator_client, accent_colour="#a3122a").status_code == 302

    for path in pages:
        stylesheet = stylesheet_of(reader.get(path).content.decode())
        assert stylesheet is not None, path
        css = reader.get(stylesheet).content.decode()
        assert "--accent-light:#a3122a" in css, path

    with django_capture_on_commit_callbacks(execute=True):
        save_look(administrator_client, accent_colour="#0b4f9c")

    for path in pages:
        css = reader.get(stylesheet_of(reader.get(path).content.decode())).content.decode()
        assert "--accent-light:#0b4f9c" in css, path


def test_a_change_of_the_name_renews_the_stored_cards_and_feeds(
    administrator_client, reader, pages, commit
):
    event = EventFactory(conflict=ConflictFactory(), title="Toll stated")
    ClaimFactory(event=event, claimant=ActorFactory(is_newsroom=True))
    feed = "/conflicts/nagorno-karabakh/feed.atom"
    for path in (*pages, feed):
        reader.get(path)

    commit(save_look, administrator_client, name="The Caucasus Desk")

    assert "The Caucasus Desk&#x27;s own assessment" in reader.get(pages[1]).content.decode()
    assert "<name>The Caucasus Desk</name>" in reader.get(feed).content.decode()


def test_a_change_of_the_look_has_the_shared_caches_drop_every_page(purged):  # noqa: F811
    ConflictFactory(slug="karabakh")
    ConflictFactory(slug="donbas", name="Donbas")

    keys = purged(NewsroomLook(accent_colour="#a3122a").save)

    assert keys == {
        "home",
        "conflict-karabakh",
        "events-of-karabakh",
        "conflict-donbas",
        "events-of-donbas",
    }


def test_the_colours_are_a_stylesheet_kept_for_ever_at_an_address_that_names_them(reader, commit):
    commit(NewsroomLook(accent_colour="#a3122a").save)
    address = public_look.current().stylesheet_url

    response = reader.get(address)

    assert response["Content-Type"] == "text/css; charset=utf-8"
    assert "immutable" in response["Cache-Control"]
    assert response.content.decode() == (
        f":root{{--accent-light:#a3122a;--accent-dark:{newsroom.dark_variant('#a3122a')}}}\n"
    )
    assert reader.get("/look/0123456789ab.css").url == address


def test_without_an_accent_the_pages_link_no_stylesheet_of_colours(reader):
    EventFactory()

    html = reader.get("/conflicts/nagorno-karabakh/").content.decode()

    assert stylesheet_of(html) is None
    assert "/look/" not in html


def test_the_newsroom_and_its_site_are_named_at_the_foot_of_every_page(reader, commit):
    commit(NewsroomLook(name="The Desk", site_url="https://www.desk.example/").save)

    html = reader.get("/").content.decode()

    assert '<span class="newsroom-name">The Desk</span>' in html
    assert 'Kept by The Desk: <a href="https://www.desk.example/">desk.example</a>' in html


# The logo


def test_an_uploaded_logo_is_stored_re_encoded_under_a_random_name_and_served_by_us(
    administrator_client, reader, commit
):
    upload = image_file("JPEG", size=(3000, 1000), exif=b"Exif\x00\x00GPS position")

    response = commit(save_look, administrator_client, name="The Desk", logo=upload)

    assert response.status_code == 302
    stored = NewsroomLook.objects.get()
    assert re.fullmatch(r"newsroom/logo-[0-9a-f]{32}\.jpg", stored.logo.name)
    assert (stored.logo_width, stored.logo_height) == (1200, 400)
    with stored.logo.open("rb") as kept, Image.open(kept) as image:
        assert image.format == "JPEG" and "exif" not in image.info
    served = reader.get(public_look.current().logo_url)
    assert served["Content-Type"] == "image/jpeg"
    assert "immutable" in served["Cache-Control"]
    html = reader.get("/").content.decode()
    assert (
        f'<img class="site-logo" src="/look/logo/{stored.logo.name.split("/")[1]}" '
        'alt="The Desk" width="1200" height="400">'
    ) in html


@pytest.mark.parametrize(
    ("upload", "says"),
    [
        (
            SimpleUploadedFile(
                "logo.svg",
                b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
            ),
            "PNG, JPEG or WebP",
        ),
        (SimpleUploadedFile("logo.png", b"GIF89a not a picture at all"), "PNG, JPEG or WebP"),
        (image_file("GIF"), "PNG, JPEG or WebP"),
        (SimpleUploadedFile("logo.png", b"\x89PNG" + b"0" * (1024 * 1024)), "at most 1024 KB"),
    ],
    ids=["svg", "not-an-image", "gif", "too-large"],
)
def test_a_logo_that_is_not_a_small_raster_image_is_refused_with_a_field_error(
    administrator_client, upload, says
):
    response = save_look(administrator_client, logo=upload)

    assert response.status_code == 200
    assert says in response.context["adminform"].form.errors["logo"][0]
    assert not NewsroomLook.objects.exists()


def test_only_the_current_logo_is_served(reader, administrator_client, commit):
    commit(save_look, administrator_client, logo=image_file())

    assert reader.get("/look/logo/logo-00000000000000000000000000000000.png").status_code == 404
    assert reader.get("/look/logo/..%2F..%2Fsettings.py").status_code == 404


def test_feeds_and_link_previews_show_the_logo_and_the_newsroom(
    reader, administrator_client, commit
):
    event = EventFactory()
    commit(
        save_look,
        administrator_client,
        name="The Desk",
        site_url="https://desk.example/",
        logo=image_file(),
    )
    logo = "http://testserver" + public_look.current().logo_url

    atom = reader.get("/conflicts/nagorno-karabakh/feed.atom").content.decode()
    rss = reader.get("/conflicts/nagorno-karabakh/feed.rss").content.decode()
    html = reader.get(event.get_absolute_url()).content.decode()

    assert f"<logo>{logo}</logo>" in atom
    assert "<uri>https://desk.example/</uri>" in atom
    assert f"<image><url>{logo}</url>" in rss
    assert f'<meta property="og:image" content="{logo}">' in html
    assert '<meta property="og:site_name" content="The Desk">' in html
    assert '<meta property="article:publisher" content="https://desk.example/">' in html


# The embed's theme and height


def dark_stylesheet(html):
    match = re.search(r'<link rel="stylesheet" href="[^"]*dark\.css" media="([^"]+)">', html)
    return match[1] if match else None


@pytest.mark.parametrize(
    ("query", "media"),
    [
        ("", "screen and (prefers-color-scheme: dark)"),
        ("?theme=dark", "screen"),
        ("?theme=light", None),
        ("?theme=purple", "screen and (prefers-color-scheme: dark)"),
        ("?theme=", "screen and (prefers-color-scheme: dark)"),
    ],
)
def test_the_embed_takes_a_light_or_dark_theme_and_ignores_any_other(reader, query, media):
    EventFactory()

    response = reader.get(f"/conflicts/nagorno-karabakh/embed/{query}")

    assert response.status_code == 200
    assert dark_stylesheet(response.content.decode()) == media


def test_every_other_page_follows_the_readers_setting_whatever_it_is_asked(reader):
    EventFactory()

    html = reader.get("/conflicts/nagorno-karabakh/?theme=light").content.decode()

    assert dark_stylesheet(html) == "screen and (prefers-color-scheme: dark)"


@pytest.mark.parametrize(
    ("height", "shown"),
    [("", 20), ("400", 4), ("600", 7), ("2000", 20), ("200", 3), ("199", 20), ("abc", 20),
     ("9" * 30, 20), ("-400", 20), ("４００", 20)],
)  # fmt: skip
def test_the_embed_shows_as_many_events_as_its_height_begins_with(reader, height, shown):
    conflict = ConflictFactory()
    for n in range(25):
        EventFactory(conflict=conflict, title=f"Event number {n}")

    response = reader.get(f"/conflicts/nagorno-karabakh/embed/?height={height}")

    assert response.status_code == 200
    assert response.content.decode().count('class="embed-card') == shown


def snippet_code(reader, query=""):
    html = reader.get(f"/conflicts/nagorno-karabakh/{query}").content.decode()
    textarea = html.split('<textarea id="embed-code"', 1)[1].split("</textarea>", 1)[0]
    return html, textarea.split(">", 1)[1]


def test_the_snippet_offers_a_theme_and_a_height_and_writes_them_into_the_code(reader):
    EventFactory()

    html, code = snippet_code(reader, "?kind=ceasefire&embed_theme=dark&embed_height=400")

    assert '<details class="embed-snippet" id="embed" open>' in html
    assert '<option value="dark" selected>' in html
    assert 'value="400"' in html
    assert '<input type="hidden" name="kind" value="ceasefire">' in html
    assert (
        "src=&quot;http://testserver/conflicts/nagorno-karabakh/embed/"
        "?kind=ceasefire&amp;amp;theme=dark&amp;amp;height=400&quot;"
    ) in code
    assert "height=&quot;400&quot;" in code


def test_the_snippet_ignores_a_theme_or_height_it_cannot_read(reader):
    EventFactory()

    html, code = snippet_code(reader, "?embed_theme=neon&embed_height=tall")

    assert "src=&quot;http://testserver/conflicts/nagorno-karabakh/embed/&quot;" in code
    assert "height=&quot;600&quot;" in code
    assert '<details class="embed-snippet" id="embed">' in html


def test_no_public_page_has_inline_style(reader, commit):
    commit(NewsroomLook(accent_colour="#a3122a").save)
    event = EventFactory(slug="ceasefire")

    for path in PAGES:
        html = reader.get(path.format(event=event.slug)).content.decode()
        assert not re.search(r"<style|\sstyle=\"", html), path
