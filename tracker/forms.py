import datetime

from django import forms
from django.utils.translation import gettext_lazy as _


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
