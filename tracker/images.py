"""Uploaded images made safe to keep and to publish.

A photo from a war zone can locate the person who took it: its EXIF holds
GPS coordinates, the camera's serial number and the time to the second,
and XMP, IPTC, maker notes, comments and colour profiles may say more.
Every image is therefore decoded by Pillow and written anew from its pixels
alone, after its EXIF orientation is applied (a portrait stays upright once
the tag that says so is gone); nothing of the uploaded file but the picture
is kept. Stored names are random, never the uploader's file name, which may
name a person or a place.

Only JPEG, PNG and WebP are read: SVG (which can carry script), PDF, EPS
(which Pillow would hand to Ghostscript) and every other format are refused,
and so is a file that Pillow cannot read whole (not an image, truncated), a
decompression bomb (a small file of a huge image) and a file over the size
limit, each with an error that says which, before anything is stored.
"""

import hashlib
import io
import ipaddress
import secrets
import socket
import urllib.error
import urllib.request
import warnings
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageCms, ImageFile, ImageOps, UnidentifiedImageError

# Pillow's names of the formats we read, and the extension each is stored with.
EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
# How each is written: a JPEG of a photo at a quality no reader tells from
# the upload; PNG and WebP losslessly as they came.
SAVE_OPTIONS = {
    "JPEG": {"quality": 90, "optimize": True, "progressive": True},
    "PNG": {"optimize": True},
    "WEBP": {"lossless": True},
}
# What a text format declaring itself starts with: SVG, XML, HTML.
ACTIVE_STARTS = (b"<?xml", b"<svg", b"<!doctype", b"<html", b"<!--")

NOT_AN_IMAGE = _("This file is not an image we can read: upload a JPEG, PNG or WebP photo.")
ACTIVE_FORMAT = _(
    "SVG and other formats that can carry code are not accepted: upload a JPEG, PNG or WebP image."
)
DAMAGED = _("This image is damaged or incomplete (truncated): upload the whole file again.")
TOO_BIG = _("This file is %(size)s; the largest accepted is %(limit)s.")
TOO_MANY_PIXELS = _(
    "This image is %(width)s × %(height)s pixels, more than the %(limit)s million accepted "
    "(a file that small with that many pixels may be built to exhaust the server)."
)
ANIMATED = _("Animated images are not accepted: upload a still photo.")

# Never guess at the end of a truncated file: refuse it.
ImageFile.LOAD_TRUNCATED_IMAGES = False


@dataclass
class SafeImage:
    """An image written anew, ready to store: `content` is a ContentFile
    with a random name."""

    content: ContentFile
    width: int
    height: int
    format: str
    sha256: str


def random_name(extension):
    """A stored file's name: 128 random bits, nothing of the upload's."""
    return f"{secrets.token_hex(16)}.{extension}"


def safe_image(upload):
    """The upload (a file object) decoded, checked and written anew without
    any metadata, as a SafeImage; ValidationError says why it is refused.
    Nothing is stored here."""
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
    if size > settings.MEDIA_MAX_UPLOAD_BYTES:
        raise ValidationError(
            TOO_BIG,
            code="too_big",
            params={
                "size": filesizeformat(size),
                "limit": filesizeformat(settings.MEDIA_MAX_UPLOAD_BYTES),
            },
        )
    upload.seek(0)
    head = upload.read(512)
    upload.seek(0)
    name = (getattr(upload, "name", "") or "").lower()
    if name.endswith((".svg", ".svgz")) or head.lstrip().lower().startswith(ACTIVE_STARTS):
        raise ValidationError(ACTIVE_FORMAT, code="active_format")
    with warnings.catch_warnings():
        # Pillow only warns below twice its own limit; ours is lower anyway.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = _decoded(upload)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise ValidationError(
                TOO_MANY_PIXELS,
                code="decompression_bomb",
                params={"width": "?", "height": "?", "limit": _megapixels()},
            ) from None
    return _rewritten(image)


def _megapixels():
    return settings.MEDIA_MAX_PIXELS // 1_000_000


def _decoded(upload):
    try:
        with Image.open(upload, formats=list(EXTENSIONS)) as probe:
            width, height = probe.size
            if width * height > settings.MEDIA_MAX_PIXELS:
                raise ValidationError(
                    TOO_MANY_PIXELS,
                    code="decompression_bomb",
                    params={"width": width, "height": height, "limit": _megapixels()},
                )
            if getattr(probe, "is_animated", False):
                raise ValidationError(ANIMATED, code="animated")
            probe.verify()
        upload.seek(0)
        image = Image.open(upload, formats=list(EXTENSIONS))
        image.load()
    except UnidentifiedImageError:
        raise ValidationError(NOT_AN_IMAGE, code="not_an_image") from None
    except (OSError, SyntaxError, ValueError, EOFError, IndexError) as error:
        # Pillow says "truncated", "broken data stream", a bad CRC, ...
        raise ValidationError(DAMAGED, code="damaged") from error
    return image


def _rewritten(image):
    image_format = image.format
    upright = ImageOps.exif_transpose(image)
    upright = _in_srgb(upright)
    mode = _kept_mode(upright.mode, image_format)
    if upright.mode != mode:
        upright = upright.convert(mode)
    # A new image of the pixels alone: no info, EXIF, XMP, comment or profile
    # can follow it into the file.
    clean = Image.new(mode, upright.size)
    clean.paste(upright)
    out = io.BytesIO()
    clean.save(out, format=image_format, **SAVE_OPTIONS[image_format])
    data = out.getvalue()
    return SafeImage(
        content=ContentFile(data, name=random_name(EXTENSIONS[image_format])),
        width=clean.width,
        height=clean.height,
        format=image_format,
        sha256=hashlib.sha256(data).hexdigest(),
    )


def _in_srgb(image):
    """The colours of an image with an embedded profile, converted to sRGB,
    which browsers assume of an image without one: the profile can name the
    camera, and is not kept."""
    profile = image.info.get("icc_profile")
    if not profile or image.mode not in {"RGB", "RGBA", "CMYK"}:
        return image
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        output_mode = "RGBA" if image.mode == "RGBA" else "RGB"
        return ImageCms.profileToProfile(
            image, source, ImageCms.createProfile("sRGB"), outputMode=output_mode
        )
    except (ImageCms.PyCMSError, OSError, ValueError):
        return image


def _kept_mode(mode, image_format):
    """The pixel mode the image is written in: JPEG has no transparency."""
    if image_format == "JPEG":
        return "L" if mode == "L" else "RGB"
    if mode in {"RGB", "RGBA", "L", "LA"}:
        return mode
    return "RGBA"


# How long an import waits for a photo it fetches.
FETCH_TIMEOUT_SECONDS = 15


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is refused: it could lead to an address the check below
    never saw."""

    def redirect_request(self, *args, **kwargs):
        return None


def fetch_image(url):
    """The photo at `url` (an import names it), fetched and made safe as a
    SafeImage; ValidationError says why not. Only http and https, only
    public addresses (no loopback, private network or cloud metadata
    address, unless settings.MEDIA_IMPORT_FROM_PRIVATE_ADDRESSES), no
    redirects, and no more than the size limit is read."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ValidationError(
            _("%(url)s is not the http or https address of a photo."),
            code="bad_url",
            params={"url": url},
        )
    if not settings.MEDIA_IMPORT_FROM_PRIVATE_ADDRESSES:
        _refuse_private_addresses(parts.hostname, parts.port)
    opener = urllib.request.build_opener(_NoRedirects)
    request = urllib.request.Request(url, headers={"User-Agent": "conflict-tracker import"})
    try:
        with opener.open(request, timeout=FETCH_TIMEOUT_SECONDS) as response:
            data = response.read(settings.MEDIA_MAX_UPLOAD_BYTES + 1)
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise ValidationError(
            _("The photo at %(url)s could not be fetched (%(reason)s)."),
            code="unreachable",
            params={"url": url, "reason": getattr(error, "reason", error)},
        ) from None
    name = parts.path.rsplit("/", 1)[-1] or "photo"
    return safe_image(ContentFile(data, name=name))


def _refuse_private_addresses(host, port):
    try:
        found = socket.getaddrinfo(host, port or 443, type=socket.SOCK_STREAM)
    except OSError:
        raise ValidationError(
            _("The host %(host)s of the photo's address is not known."),
            code="unreachable",
            params={"host": host},
        ) from None
    for *_rest, address in found:
        if not ipaddress.ip_address(address[0]).is_global:
            raise ValidationError(
                _("The photo's address %(host)s is not on the public internet."),
                code="private_address",
                params={"host": host},
            )
