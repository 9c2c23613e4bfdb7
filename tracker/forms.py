import datetime

from django import forms
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from tracker.models import Event, Source
from tracker.models.records import normalise_url


class DateWithOptionalTimeField(forms.SplitDateTimeField):
    """A date and a time, where a reporter who knows only the day leaves the
    time empty: it then means the start of that day."""

    def __init__(self, **kwargs):
        super().__init__(require_all_fields=False, **kwargs)
        date_field, time_field = self.fields
        date_field.required = True
        time_field.required = False

    def compress(self, data_list):
        date_without_time = (
            data_list
            and data_list[0] not in self.empty_values
            and data_list[1] in self.empty_values
        )
        if date_without_time:
            data_list = [data_list[0], datetime.time(0, 0)]
        return super().compress(data_list)


class RetractionForm(forms.Form):
    reason = forms.CharField(
        label=_("Public retraction note"),
        widget=forms.Textarea(attrs={"rows": 4, "cols": 80}),
        help_text=_("Readers see this on the event's page in place of the event."),
    )


class EventAdminForm(forms.ModelForm):
    """The event form in the admin, which knows who is using it."""

    user = None

    def clean_status(self):
        status = self.cleaned_data["status"]
        if not self.instance.can_move(self.user, status):
            raise forms.ValidationError(
                _("You may not move this event from %(before)s to %(after)s."),
                params={
                    "before": self.instance.get_status_display(),
                    "after": Event.Status(status).label,
                },
            )
        return status


class EventPartForm(forms.ModelForm):
    """The form of something that belongs to an event (a claim, a citation,
    a participant) edited on its own page rather than in the event's form."""

    user = None

    def clean_event(self):
        event = self.cleaned_data["event"]
        if not event.can_be_changed_by(self.user):
            raise forms.ValidationError(
                _("This event is %(status)s; only an editor can change it."),
                params={"status": event.get_status_display()},
            )
        return event


class SourceForm(forms.ModelForm):
    def clean_url(self):
        url = normalise_url(self.cleaned_data["url"])
        existing = Source.objects.filter(url=url).exclude(pk=self.instance.pk).first()
        if url and existing:
            # A link to the existing source, so that it is cited instead.
            raise forms.ValidationError(
                format_html(
                    'This article is already a source: <a href="{}">{}</a>. Cite that one.',
                    reverse("admin:tracker_source_change", args=[existing.pk]),
                    existing,
                ),
                code="duplicate",
            )
        return url
