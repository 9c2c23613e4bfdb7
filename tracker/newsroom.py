"""The newsroom that keeps the record, as readers see it: its name, its logo,
its accent colour and the address of its own site (its *look*).

An administrator sets them in the admin, on the one NewsroomLook record;
whatever is left empty falls back to the deployment's settings (the name to
NEWSROOM_NAME) or to the site's own design (no logo, no accent of its own).
This module is where every part of the site asks for them.

The look is read from the cache that every app server shares and only on a
miss from the database, and kept for the rest of the request it was read in:
a page asks for the newsroom's name once per figure of the newsroom's own.
A saved change is written through to the cache once it is committed, so the
next request of any app server reads the new look; the public site renews
its stored pages at the same moment (timeline.invalidation).

The accent colour is used for text and rules on the page's backgrounds, so
it must be readable there: WCAG AA asks 4.5:1 for text. Readers see the
colour as given in the light theme, where a colour that fails is refused
with the nearest darker shade that passes; in the dark theme, where almost
no brand colour that reads on white also reads on near-black, they see it
lightened just enough to pass (dark_variant()).
"""

import hashlib
import io
import threading
import uuid
from dataclasses import asdict, dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.signals import request_finished, request_started
from django.utils.translation import gettext_lazy as _

CACHE_KEY = "newsroom-look:1"

# The backgrounds text in the accent colour sits on: the page and the cards
# and panels on it, light and dark (static/timeline/site.css, dark.css).
LIGHT_BACKGROUNDS = ("#fdfcf9", "#ffffff")
DARK_BACKGROUNDS = ("#15161a", "#1f2126")
TEXT_CONTRAST = 4.5

# What an uploaded logo may be. Raster images only: an SVG is a document
# that can carry script. Stored re-encoded, so that nothing but pixels
# survives (no metadata, nothing appended), at most LOGO_BOX in size.
LOGO_FORMATS = {"PNG": ".png", "JPEG": ".jpg", "WEBP": ".webp"}
LOGO_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".webp": "image/webp"}
LOGO_MAX_BYTES = 1024 * 1024
LOGO_MAX_PIXELS = 4096 * 4096  # before it is decoded: no decompression bomb
LOGO_BOX = (1200, 600)
LOGO_FOLDER = "newsroom"


@dataclass(frozen=True)
class Look:
    """The newsroom's look as stored ("" where the administrator left a
    field empty), with what the pages derive from it."""

    name: str = ""
    site_url: str = ""
    logo: str = ""  # the stored file's name, in the default storage
    logo_width: int = 0
    logo_height: int = 0
    accent: str = ""  # "#rrggbb", readable on the light backgrounds
    accent_dark: str = ""  # the same, made readable on the dark ones

    @property
    def display_name(self):
        return self.name or settings.NEWSROOM_NAME

    @property
    def logo_file(self):
        """The logo's file name within LOGO_FOLDER, as its address names it."""
        return self.logo.rpartition("/")[2]

    @property
    def version(self):
        """A short digest of the colours: the address of the stylesheet that
        carries them changes with them, so it can be kept for ever."""
        return hashlib.blake2b(
            f"{self.accent}|{self.accent_dark}".encode(), digest_size=6
        ).hexdigest()


DEFAULT = Look()

_request = threading.local()


def look():
    """The newsroom's look, as it is now."""
    if getattr(_request, "active", False):
        if getattr(_request, "look", None) is None:
            _request.look = _read()
        return _request.look
    return _read()


def name():
    """The newsroom's name: the one set in the admin, else NEWSROOM_NAME."""
    return look().display_name


def _read():
    stored = cache.get(CACHE_KEY)
    if stored is not None:
        try:
            return Look(**stored)
        except TypeError:  # stored by a release whose look had other fields
            pass
    current = _from_database()
    # add, not set: a request that read the row before a change was
    # committed must not overwrite what the change wrote through.
    cache.add(CACHE_KEY, asdict(current), timeout=None)
    return current


def _from_database():
    from tracker.models import NewsroomLook

    record = NewsroomLook.objects.filter(pk=NewsroomLook.SINGLETON).first()
    return record.as_look() if record is not None else DEFAULT


def refresh():
    """Write the look as committed through to the cache (after a change)."""
    current = _from_database()
    cache.set(CACHE_KEY, asdict(current), timeout=None)
    if getattr(_request, "active", False):
        _request.look = current
    return current


def forget():
    """Drop the cached look: the next reader reads it afresh."""
    cache.delete(CACHE_KEY)
    _request.look = None


def _request_began(**kwargs):
    _request.active, _request.look = True, None


def _request_ended(**kwargs):
    _request.active, _request.look = False, None


def connect():
    request_started.connect(_request_began, dispatch_uid="newsroom-look-request")
    request_finished.connect(_request_ended, dispatch_uid="newsroom-look-request")


# Colours


def _channels(colour):
    colour = colour.lstrip("#")
    return tuple(int(colour[index : index + 2], 16) for index in (0, 2, 4))


def _hex(channels):
    return "#" + "".join(f"{round(min(255, max(0, value))):02x}" for value in channels)


def luminance(colour):
    """WCAG 2's relative luminance of "#rrggbb"."""

    def linear(value):
        value /= 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(value) for value in _channels(colour))
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first, second):
    """WCAG 2's contrast ratio of two colours, from 1 to 21."""
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def worst_contrast(colour, backgrounds):
    return min(contrast(colour, background) for background in backgrounds)


def readable_on(colour, backgrounds):
    return worst_contrast(colour, backgrounds) >= TEXT_CONTRAST


def _towards(colour, target, backgrounds):
    """`colour` mixed with `target` (black or white) in the least share, in
    steps of 2%, that makes it readable on `backgrounds`."""
    start, end = _channels(colour), _channels(target)
    for step in range(51):
        share = step / 50
        mixed = _hex(a + (b - a) * share for a, b in zip(start, end, strict=True))
        if readable_on(mixed, backgrounds):
            return mixed
    return target


def darker_readable(colour):
    """The nearest darker shade of `colour` readable on the light backgrounds."""
    return _towards(colour, "#000000", LIGHT_BACKGROUNDS)


def dark_variant(colour):
    """`colour` as the dark theme shows it: itself when it reads on the dark
    backgrounds, otherwise lightened until it does."""
    return _towards(colour, "#ffffff", DARK_BACKGROUNDS)


def check_accent(colour):
    """Refuse an accent colour that text on the light theme's backgrounds
    could not be read in, naming a shade that could."""
    if colour and not readable_on(colour, LIGHT_BACKGROUNDS):
        raise ValidationError(
            _(
                "Text in %(colour)s has a contrast of %(ratio).1f:1 on the page's light "
                "background; readers need at least 4.5:1. A darker shade such as "
                "%(suggestion)s would do."
            ),
            code="contrast",
            params={
                "colour": colour,
                "ratio": worst_contrast(colour, LIGHT_BACKGROUNDS),
                "suggestion": darker_readable(colour),
            },
        )


# The logo


def checked_logo(upload):
    """The uploaded logo, checked and re-encoded, as a file to store under a
    new random name; a ValidationError says what is wrong with it."""
    from PIL import Image, UnidentifiedImageError

    if upload.size > LOGO_MAX_BYTES:
        raise ValidationError(
            _("The logo is %(size)s KB; it may be at most %(most)s KB."),
            code="too_large",
            params={"size": -(-upload.size // 1024), "most": LOGO_MAX_BYTES // 1024},
        )
    refused = ValidationError(
        _("The logo must be a PNG, JPEG or WebP image (not SVG or any other kind of file)."),
        code="not_an_image",
    )
    data = upload.read()
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in LOGO_FORMATS:
                raise refused
            if image.width * image.height > LOGO_MAX_PIXELS:
                raise ValidationError(
                    _("The logo is %(width)s by %(height)s pixels; that is too large."),
                    code="too_many_pixels",
                    params={"width": image.width, "height": image.height},
                )
            image.verify()
        # verify() leaves the image unusable: decode it from the start.
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            kind = image.format
            image = image.convert("RGBA" if image.mode in ("RGBA", "LA", "P") else "RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise refused from None
    image.thumbnail(LOGO_BOX)
    if kind == "JPEG" and image.mode == "RGBA":
        image = image.convert("RGB")
    image.info = {}  # no metadata of the upload's (EXIF, XMP, ICC, text) goes with it
    encoded = io.BytesIO()
    image.save(encoded, format=kind, **({"quality": 90} if kind != "PNG" else {}))
    logo = ContentFile(encoded.getvalue(), name=f"logo{LOGO_FORMATS[kind]}")
    logo.image_width, logo.image_height = image.size
    return logo


def logo_path(instance, filename):
    """Where a logo is stored: a random name, whatever the upload was called,
    with the extension of what it was found to be."""
    extension = "." + filename.rpartition(".")[2].lower()
    if extension not in LOGO_TYPES:
        extension = ".png"
    return f"{LOGO_FOLDER}/logo-{uuid.uuid4().hex}{extension}"
