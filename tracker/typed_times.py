"""Form fields for times as a newsroom types them: in local time (the zone
active for the form, a conflict's), and no more exactly than known."""

import datetime
import json
from typing import NamedTuple

from django import forms
from django.contrib.admin.widgets import AdminSplitDateTime
from django.forms.utils import from_current_timezone
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from tracker import dates
from tracker.dates import Precision


class TypedDate(NamedTuple):
    day: datetime.date
    precision: str


class TypedDateField(forms.DateField):
    """The date part of a moment: a day, or where the record allows it, only
    a year ('2020') or a month ('2020-12'). Its value says which was typed."""

    def __init__(self, *, coarsest=Precision.DAY, **kwargs):
        super().__init__(**kwargs)
        self.coarsest = coarsest

    def to_python(self, value):
        if isinstance(value, TypedDate) or value in self.empty_values:
            return value or None
        if isinstance(value, str) and (year_or_month := dates.parse_year_or_month(value)):
            typed = TypedDate(*year_or_month)
        else:
            typed = TypedDate(super().to_python(value), Precision.DAY)
        if dates.RANK[typed.precision] > dates.RANK[self.coarsest]:
            raise forms.ValidationError(
                _("Give the day as well, e.g. %(example)s: this time is kept to the day."),
                code="needs_day",
                params={"example": typed.day.strftime("%Y-%m-05")},
            )
        return typed


class LocalDateTimeField(forms.MultiValueField):
    """A moment typed in local time (the zone active for the form): a date,
    and a time when it is known. Without a time it means the start of that
    day, month or year. What was typed is kept in `typed_precision`: the
    minute with a time, else the day, month or year of the date."""

    widget = forms.SplitDateTimeWidget
    hidden_widget = forms.SplitHiddenDateTimeWidget
    default_error_messages = {
        "time_needs_day": _("A time needs a full date, e.g. %(example)s."),
    }

    def __init__(self, *, coarsest=Precision.DAY, **kwargs):
        fields = (TypedDateField(coarsest=coarsest), forms.TimeField(required=False))
        super().__init__(fields, require_all_fields=False, **kwargs)
        self.typed_precision = None

    def compress(self, data_list):
        self.typed_precision = None
        if not data_list or data_list[0] is None:
            return None
        typed_date, time = data_list
        if time is None:
            moment, precision = (
                datetime.datetime.combine(typed_date.day, datetime.time()),
                (typed_date.precision),
            )
        elif typed_date.precision != Precision.DAY:
            example = f"{typed_date.day:%Y-%m-%d} {time:%H:%M}"
            raise forms.ValidationError(
                self.error_messages["time_needs_day"],
                code="time_needs_day",
                params={"example": example},
            )
        else:
            moment, precision = datetime.datetime.combine(typed_date.day, time), Precision.MINUTE
        self.typed_precision = precision
        return from_current_timezone(moment)


class LocalSplitDateTime(AdminSplitDateTime):
    """Shows a stored moment as it would be typed: to its event's precision
    when it has one ('2020-12', with no time), otherwise with the time left
    empty at local midnight, which means only the day is known."""

    precision = None

    def decompress(self, value):
        if not value:
            return [None, None]
        local = timezone.localtime(value)
        precision = self.precision
        if precision is None:
            at_midnight = (local.hour, local.minute) == (0, 0)
            precision = Precision.DAY if at_midnight else Precision.MINUTE
        if precision in dates.SHOWS_TIME:
            return [local.date(), local.time().replace(second=0, microsecond=0)]
        return [dates.typed_text(local, precision, local.tzinfo), None]


def time_note(tz):
    """What the time fields of a form say about their zone."""
    if str(tz) == "UTC":
        return _("Times are in UTC until a conflict is chosen.")
    return _(
        "Times are in %(zone)s local time. It is %(offset)s there now; "
        "“Today” and “Now” give the date and time there."
    ) % {"zone": tz, "offset": dates.utc_offset(timezone.now().astimezone(tz))}


def time_help(tz, rule):
    """A time field's help: the zone its times are in (kept up to date by
    local-time.js when the conflict changes), then its rule."""
    return format_html("<span data-zone-note>{}</span> {}", time_note(tz), rule)


class ConflictSelect(forms.Select):
    """The conflicts to choose from, with each one's time zone offset now
    and the note to show for it, by id, in the select's data-time-zones
    (read by static/tracker/admin/local-time.js)."""

    def get_context(self, name, value, attrs):
        self.zones = {}
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"]["data-time-zones"] = json.dumps(self.zones)
        return context

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if conflict := getattr(value, "instance", None):
            offset = timezone.now().astimezone(conflict.tz).utcoffset()
            self.zones[str(conflict.pk)] = {
                "offset": int(offset.total_seconds()),
                "note": str(time_note(conflict.tz)),
            }
        return option
