"""Photos and links on an event: credited, described, and safe for the
people who took them (tracker.images strips what could locate them)."""

import secrets

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from imagekit.models import ImageSpecField
from simple_history.models import HistoricalRecords

from tracker import dates, images, renditions
from tracker.dates import Precision

from .labels import ChoiceLabels
from .loaded import RemembersLoadedValues

# Uploads and their derived sizes live under this folder of the storage.
UPLOAD_FOLDER = "media"


def stored_name(instance, filename):
    """Where an upload is kept: a random name (tracker.images.random_name
    already gave one; a file that reached here another way gets one too),
    with the extension of the format it was written in."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"{UPLOAD_FOLDER}/{secrets.token_hex(16)}.{extension}"


class MediaItemQuerySet(models.QuerySet):
    def images(self):
        return self.filter(kind=MediaItem.Kind.IMAGE)

    def shareable(self):
        """Images that may stand for their event where the reader cannot be
        warned first: a social card, a feed's enclosure, TimelineJS."""
        return self.images().filter(is_graphic=False)


class MediaItem(ChoiceLabels, RemembersLoadedValues, models.Model):
    remembered_fields = ["event_id"]  # a part moved to another event changes both

    class Kind(models.TextChoices):
        IMAGE = "image", _("image (uploaded)")
        LINK = "link", _("link to a video or post elsewhere")

    event = models.ForeignKey("Event", on_delete=models.CASCADE, related_name="media")
    position = models.PositiveIntegerField(
        default=0, help_text=_("Order on the event's page: the lowest first.")
    )
    kind = models.CharField(max_length=5, choices=Kind.choices, default=Kind.IMAGE)
    image = models.ImageField(
        upload_to=stored_name,
        blank=True,
        width_field="width",
        height_field="height",
        max_length=200,
        help_text=_(
            "JPEG, PNG or WebP. Everything but the picture is removed when it is saved: "
            "GPS position, camera, times and every other metadata."
        ),
    )
    width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    # Of the stored file: the archive carries it, and checks it on restore.
    sha256 = models.CharField(max_length=64, blank=True, editable=False)
    url = models.URLField(
        "URL",
        max_length=1000,
        blank=True,
        help_text=_(
            "For a link: the video or post elsewhere. Readers see a link with its title and "
            "site; nothing of that site loads unless they follow it. For a photo an import "
            "fetched: where it was fetched from."
        ),
    )
    link_title = models.CharField(
        max_length=300, blank=True, help_text=_("For a link: what readers will find there.")
    )
    caption = models.TextField(blank=True, help_text=_("What it shows, where and when."))
    credit = models.CharField(
        max_length=300,
        help_text=_("Who took it and for whom, as it must be printed: “Photo: Name/Agency”."),
    )
    rights = models.CharField(
        _("usage rights or licence"),
        max_length=300,
        blank=True,
        help_text=_("e.g. “licensed from Shutterstock for this coverage”, “CC BY 4.0”."),
    )
    alt_text = models.TextField(
        _("alt text"),
        blank=True,
        help_text=_(
            "Required for an image: what it shows, for readers who cannot see it. "
            "Not the caption again."
        ),
    )
    source = models.ForeignKey(
        "Source",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="media",
        help_text=_("Where it was published first, if it was."),
    )
    taken_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_(
            "When it was taken, in the conflict's local time, as exactly as known: "
            "2023, 2023-09, 2023-09-20, or a date and a time."
        ),
    )
    taken_at_precision = models.CharField(
        max_length=10, choices=Precision.choices, blank=True, editable=False
    )
    is_graphic = models.BooleanField(
        _("graphic content"),
        default=False,
        help_text=_(
            "Hidden behind a warning that readers open themselves, and never used as the "
            "event's picture on social media, in feeds or in TimelineJS."
        ),
    )

    objects = MediaItemQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("media item")
        verbose_name_plural = _("photos and media")
        constraints = [
            models.CheckConstraint(
                condition=~Q(credit=""),
                name="media_has_credit",
                violation_error_message=_("Give the credit: who took it and for whom."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="image") | (~Q(image="") & ~Q(alt_text="")),
                name="media_image_has_file_and_alt_text",
                violation_error_message=_(
                    "An image needs its file and its alt text (what it shows)."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(kind="link") | (~Q(url="") & Q(image="")),
                name="media_link_has_url_and_no_file",
                violation_error_message=_("A link needs its URL, and no uploaded file."),
            ),
            models.CheckConstraint(
                condition=Q(taken_at__isnull=True, taken_at_precision="")
                | Q(taken_at__isnull=False, taken_at_precision__in=list(Precision.values)),
                name="media_taken_at_has_precision",
                violation_error_message=_(
                    "When it was taken is stored with how exactly it is known."
                ),
            ),
        ]

    def __str__(self):
        if self.kind == self.Kind.LINK:
            return self.link_title or self.url
        return self.caption[:80] or self.alt_text[:80] or str(_("image"))

    def save(self, *args, **kwargs):
        if self.image and not self.image._committed:
            self._make_safe()
        if self.taken_at is None:
            self.taken_at_precision = ""
        else:
            self.taken_at_precision = self.taken_at_precision or Precision.DAY
            self.taken_at = dates.truncate(
                self.taken_at, self.taken_at_precision, self.event.conflict.tz
            )
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        if not self.credit.strip():
            errors["credit"] = _("Give the credit: who took it and for whom.")
        if self.kind == self.Kind.IMAGE:
            if not self.image:
                errors["image"] = _("Upload the image.")
            if not self.alt_text.strip():
                errors["alt_text"] = _(
                    "Describe what the image shows, for readers who cannot see it."
                )
        elif self.kind == self.Kind.LINK:
            if not self.url:
                errors["url"] = _("Give the address of the video or post.")
            if self.image:
                errors["image"] = _("A link has no uploaded file: choose “image” to upload one.")
        if errors:
            raise ValidationError(errors)

    def _make_safe(self):
        """A file not stored yet is written anew without its metadata,
        whichever way it came (the admin, an import, a script); the admin's
        upload field has done so already, with field errors."""
        upload = self.image.file
        if not getattr(upload, "made_safe", False):
            made = images.safe_image(upload)
            upload = made.content
            upload.made_safe, upload.sha256 = True, made.sha256
        self.image.save(upload.name, upload, save=False)
        self.sha256 = upload.sha256

    @property
    def host(self):
        """The site a link leads to, as readers see it: 'youtube.com'."""
        host = self.url.split("://", 1)[-1].split("/", 1)[0].split("@")[-1].split(":")[0]
        return host.removeprefix("www.").lower()

    @property
    def taken_when(self):
        if self.taken_at is None:
            return ""
        return dates.format_moment(
            self.taken_at, self.taken_at_precision or Precision.DAY, self.event.conflict.tz
        )

    @property
    def machine_taken_at(self):
        """When it was taken, for a `<time datetime>`: '2023-09' for a month."""
        if self.taken_at is None:
            return ""
        return dates.machine_date(
            self.taken_at, self.taken_at_precision or Precision.DAY, self.event.conflict.tz
        )

    def fitted(self, width):
        """(width, height) of this image at one of renditions.WIDTHS."""
        return renditions.fitted(self.width or width, self.height or width, width)

    @property
    def shared_size(self):
        """(width, JPEG file, height) of the size given to social cards,
        feeds and TimelineJS, which may not read WebP."""
        width, height = self.fitted(renditions.SHARE_WIDTH)
        return width, getattr(self, f"w{renditions.SHARE_WIDTH}_jpeg"), height

    @cached_property
    def widths(self):
        """[(width, WebP, JPEG file, height)] of the event page's sizes
        smaller than the original, and the first one that is not (which is
        the original's size): a srcset lists each once."""
        shown = []
        for width in renditions.WIDTHS:
            fitted_width, fitted_height = self.fitted(width)
            if shown and fitted_width == shown[-1][0]:
                break
            shown.append(
                (
                    fitted_width,
                    getattr(self, f"w{width}_webp"),
                    getattr(self, f"w{width}_jpeg"),
                    fitted_height,
                )
            )
            if fitted_width < width:
                break
        return shown

    def derived_files(self):
        """Every derived size, as imagekit's cache files."""
        return [getattr(self, name) for name, *_ in renditions.spec_fields()]

    def make_derived_files(self):
        """Make the derived sizes missing from the storage (after a restore),
        whatever the cache remembers of files that were once there."""
        for derived in self.derived_files():
            if not derived.storage.exists(derived.name):
                derived.generate(force=True)


# The derived sizes (tracker.renditions), made when the image is saved:
# MediaItem.thumbnail_webp, .w960_jpeg, ...
for _name, _processors, _format, _options in renditions.spec_fields():
    ImageSpecField(
        source="image", processors=_processors, format=_format, options=_options
    ).contribute_to_class(MediaItem, _name)
