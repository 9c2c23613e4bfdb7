"""Photos and links in the event's form: uploads checked as they arrive,
previews, order, and the correction note a published event's media needs."""

from django import forms
from django.contrib import admin
from django.db import models
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from tracker import dates, images
from tracker.models import MediaItem

from .base import DATE_FIRST, EventPartInline, translations_fieldset
from .forms import EventPartForm, SeenPartsFormSet

ACCEPTED_TYPES = "image/jpeg,image/png,image/webp"
# Times typed in local time; a link typed without its scheme is https.
MEDIA_FIELDS = {**DATE_FIRST, models.URLField: {"assume_scheme": "https"}}


class SafeImageField(forms.ImageField):
    """An upload read by tracker.images before anything is stored: refused
    with a field error saying why (not an image, damaged, SVG, too big, a
    decompression bomb), or handed on as a new file of the picture alone,
    under a random name."""

    def to_python(self, data):
        upload = forms.FileField.to_python(self, data)
        if upload is None:
            return None
        made = images.safe_image(upload)
        content = made.content
        content.made_safe, content.sha256 = True, made.sha256
        return content

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput) and "accept" not in widget.attrs:
            attrs["accept"] = ACCEPTED_TYPES
        return attrs


class MediaItemForm(forms.ModelForm):
    """A photo or link in the event's form. When it was taken is typed like
    any time of the event, and kept to the precision typed."""

    class Meta:
        field_classes = {"image": SafeImageField}
        widgets = {"caption": forms.Textarea(attrs={"rows": 2, "cols": 60})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "taken_at" in self.fields:
            self.fields["taken_at"].fields[0].coarsest = dates.Precision.YEAR
            self.fields["taken_at"].widget.precision = self.instance.taken_at_precision or None
        if "alt_text" in self.fields:
            self.fields["alt_text"].widget = forms.Textarea(attrs={"rows": 2, "cols": 60})

    def clean(self):
        cleaned_data = super().clean()
        field = self.fields.get("taken_at")
        if field is not None and cleaned_data.get("taken_at") is not None:
            typed = field.typed_precision
            if typed is not None:
                self.instance.taken_at_precision = typed
        return cleaned_data


class MediaFormSet(SeenPartsFormSet):
    """An event's media in its form. Once readers have seen the event, a new
    photo is an update; changing or removing one they have seen is a
    correction, and needs the public correction note of the event's form."""


class MediaItemInline(EventPartInline, admin.StackedInline):
    model = MediaItem
    form = MediaItemForm
    formset = MediaFormSet
    formfield_overrides = MEDIA_FIELDS
    autocomplete_fields = ["source"]
    extra = 0
    readonly_fields = ["preview"]
    fieldsets = [
        (None, {"fields": [("position", "kind"), ("image", "preview"), ("url", "link_title")]}),
        (None, {"fields": ["alt_text", "caption", ("credit", "rights")]}),
        (None, {"fields": [("source", "taken_at"), "is_graphic"]}),
        translations_fieldset(MediaItem, _("Caption in other languages")),
    ]

    @admin.display(description=_("preview"))
    def preview(self, item):
        if item.pk is None or item.kind != MediaItem.Kind.IMAGE or not item.image:
            return "-"
        thumbnail = item.thumbnail_2x_jpeg
        return format_html(
            '<img class="media-preview" src="{}" width="192" height="144" alt="{}">',
            thumbnail.url,
            item.alt_text,
        )


class MediaItemPageForm(MediaItemForm, EventPartForm):
    """A photo or link on its own page: the event it is moved to is checked."""

    def clean_event(self):
        event = self.cleaned_data["event"]
        if event.figures_are_frozen:
            raise forms.ValidationError(
                _(
                    "This event is %(status)s: change its media in the event's own form, "
                    "with a public correction note."
                )
                % {"status": event.get_status_display()}
            )
        return event
