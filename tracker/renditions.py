"""The sizes an image is shown at, derived from the stored original.

Made with django-imagekit, chosen over sorl-thumbnail and easy-thumbnails
because its sizes are declared once, on the model, as fields
(ImageSpecField): the card, the event page and the API all ask the same
field, the sizes are plain files through Django's storage API (no table of
thumbnails to migrate, archive and keep in step, as easy-thumbnails and
sorl-thumbnail's key-value store need), and its Optimistic strategy makes
every size when the image is saved, so a page only computes addresses and
never asks an object store whether a file exists. It is maintained (6.x,
Django 5.2) and its processors are pilkit's, over the Pillow we verify
uploads with.

Each size is made in WebP, which phones decode at a third of a JPEG's
weight, and in JPEG for the browsers and feed readers that lack it. The
card's thumbnail is cropped to a fixed size, so a card never shifts as it
loads; the event page's widths keep the image's proportions, and their
heights are computed from the original's (`fitted`) for the width and
height attributes of the page.
"""

from pilkit.processors import MakeOpaque, ResizeToFill, ResizeToFit

# The card's thumbnail, in CSS pixels: small beside the card's text.
THUMBNAIL_SIZE = (96, 72)
# Twice that, for screens of two device pixels per CSS pixel (most phones).
THUMBNAIL_2X = (THUMBNAIL_SIZE[0] * 2, THUMBNAIL_SIZE[1] * 2)
# The event page's widths: a phone's column, a tablet's or a laptop's, and
# twice a laptop's column for sharp screens.
WIDTHS = (480, 960, 1440)
# The width OpenGraph and Twitter cards and TimelineJS are given.
SHARE_WIDTH = 960

JPEG_OPTIONS = {"quality": 80, "progressive": True, "optimize": True}
WEBP_OPTIONS = {"quality": 75, "method": 4}


class WithoutMetadata:
    """Drops whatever Pillow carries from one image to the next in `info`
    (a comment, a colour profile), so that no derived size can hold more
    than pixels, whatever its original held."""

    def process(self, image):
        image = image.copy()
        image.info = {}
        return image


def spec_options(image_format):
    return JPEG_OPTIONS if image_format == "JPEG" else WEBP_OPTIONS


def resize_processors(resize, image_format):
    # JPEG has no transparency: a transparent PNG is laid on white.
    opaque = [MakeOpaque()] if image_format == "JPEG" else []
    return [resize, *opaque, WithoutMetadata()]


def thumbnail_processors(size, image_format):
    return resize_processors(ResizeToFill(*size), image_format)


def width_processors(width, image_format):
    return resize_processors(ResizeToFit(width=width, upscale=False), image_format)


def spec_fields():
    """(field name, processors, format, options) of every derived size:
    thumbnail_webp, thumbnail_2x_jpeg, w480_webp, ..."""
    fields = []
    for image_format in ("WEBP", "JPEG"):
        suffix, options = image_format.lower(), spec_options(image_format)
        for name, size in (("thumbnail", THUMBNAIL_SIZE), ("thumbnail_2x", THUMBNAIL_2X)):
            processors = thumbnail_processors(size, image_format)
            fields.append((f"{name}_{suffix}", processors, image_format, options))
        for width in WIDTHS:
            processors = width_processors(width, image_format)
            fields.append((f"w{width}_{suffix}", processors, image_format, options))
    return fields


def fitted(width, height, wanted_width):
    """The size ResizeToFit(width=wanted_width, upscale=False) makes of an
    image of width × height: pilkit's own rounding, so that the width and
    height attributes are the file's."""
    if width <= wanted_width:
        return width, height
    ratio = wanted_width / width
    return int(round(width * ratio)), int(round(height * ratio))
