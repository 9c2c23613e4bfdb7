"""The newsroom's look: one record an administrator changes in the admin
(tracker.newsroom reads it for every page)."""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator, URLValidator
from django.db import models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tracker import newsroom

HEX_COLOUR = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", _("Give the colour as # and six hex digits, e.g. #a3122a.")
)


class NewsroomLook(models.Model):
    """There is one: its primary key is always SINGLETON."""

    SINGLETON = 1

    name = models.CharField(
        max_length=120,
        blank=True,
        help_text=_(
            "As readers see it on every page, in the embed, the feeds and link previews, "
            "and on the newsroom's own assessments of figures. Left empty, the name the "
            "site was deployed with (NEWSROOM_NAME)."
        ),
    )
    site_url = models.URLField(
        "address of the newsroom's own site",
        max_length=300,
        blank=True,
        validators=[URLValidator(schemes=["https", "http"])],
        help_text=_(
            "Linked from the foot of every page and from the feeds, e.g. https://news.example.org/."
        ),
    )
    logo = models.FileField(
        upload_to=newsroom.logo_path,
        blank=True,
        max_length=200,
        help_text=_(
            "A PNG, JPEG or WebP image of at most 1 MB (no SVG), shown at the top of every "
            "page and in the embed; stored re-encoded, without its metadata, under a new name."
        ),
    )
    logo_width = models.PositiveIntegerField(default=0, editable=False)
    logo_height = models.PositiveIntegerField(default=0, editable=False)
    accent_colour = models.CharField(
        max_length=7,
        blank=True,
        validators=[HEX_COLOUR],
        help_text=_(
            "The newsroom's own colour, as # and six hex digits: the top of every page, the "
            "site's name, phase headings and the embed's header. Text in it must be "
            "readable on the light background (a contrast of 4.5:1); the dark theme shows "
            "it lightened as far as it needs. Left empty, the site's own ink colour."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("newsroom's look")
        verbose_name_plural = _("newsroom's look")
        constraints = [
            models.CheckConstraint(
                condition=Q(pk=1),
                name="newsroom_look_is_the_only_one",
                violation_error_message=_("The newsroom has one look."),
            ),
        ]

    def __str__(self):
        return str(_("The newsroom's look"))

    def save(self, *args, **kwargs):
        self.pk = self.SINGLETON
        self.accent_colour = self.accent_colour.lower()
        if not self.logo:
            self.logo_width = self.logo_height = 0
        with transaction.atomic():
            super().save(*args, **kwargs)
            newsroom.forget()
            transaction.on_commit(newsroom.refresh)

    def delete(self, *args, **kwargs):
        with transaction.atomic():
            deleted = super().delete(*args, **kwargs)
            newsroom.forget()
            transaction.on_commit(newsroom.refresh)
        return deleted

    @property
    def accent_colour_dark(self):
        return newsroom.dark_variant(self.accent_colour) if self.accent_colour else ""

    def clean(self):
        if not self.accent_colour:
            return
        try:
            HEX_COLOUR(self.accent_colour)
        except ValidationError:
            return  # the field's own check says so
        try:
            newsroom.check_accent(self.accent_colour.lower())
        except ValidationError as error:
            raise ValidationError({"accent_colour": error}) from None

    def as_look(self):
        return newsroom.Look(
            name=self.name,
            site_url=self.site_url,
            logo=self.logo.name if self.logo else "",
            logo_width=self.logo_width,
            logo_height=self.logo_height,
            accent=self.accent_colour,
            accent_dark=self.accent_colour_dark,
        )
