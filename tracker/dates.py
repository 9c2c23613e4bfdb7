"""Times as a newsroom states them: in the conflict's local time, no more
precise than what is known.

Every moment is stored in UTC. An event known only to the day is stored at
local midnight and must never be shown as "00:00"; one known only to the month
is shown as "September 2023".
"""

from datetime import datetime, timedelta

from django.db import models
from django.utils import dateformat
from django.utils.translation import gettext_lazy as _


class Precision(models.TextChoices):
    MINUTE = "minute", _("to the minute")
    HOUR = "hour", _("to the hour")
    DAY = "day", _("to the day")
    MONTH = "month", _("to the month")
    YEAR = "year", _("to the year")


DATE_FORMATS = {
    Precision.MINUTE: "j F Y",
    Precision.HOUR: "j F Y",
    Precision.DAY: "j F Y",
    Precision.MONTH: "F Y",
    Precision.YEAR: "Y",
}
# Where room is short, as on a chart's axis.
SHORT_DATE_FORMATS = {
    Precision.DAY: "j M Y",
    Precision.MONTH: "M Y",
    Precision.YEAR: "Y",
}
SHOWS_TIME = {Precision.MINUTE, Precision.HOUR}


def truncate(moment, precision, tz):
    """The start of the period `moment` falls in, at `precision`, in `tz`."""
    local = moment.astimezone(tz).replace(second=0, microsecond=0)
    if precision == Precision.HOUR:
        local = local.replace(minute=0)
    elif precision == Precision.DAY:
        local = local.replace(hour=0, minute=0)
    elif precision == Precision.MONTH:
        local = local.replace(day=1, hour=0, minute=0)
    elif precision == Precision.YEAR:
        local = local.replace(month=1, day=1, hour=0, minute=0)
    # Rebuild from the wall time so the UTC offset is the one in force then.
    # Within the hour that repeats when clocks go back, a time kept to the
    # minute or hour stays in the occurrence it was in.
    fold = local.fold if precision in SHOWS_TIME else 0
    return datetime(*local.timetuple()[:6], tzinfo=tz, fold=fold)


def utc_offset(local):
    """'UTC+4', 'UTC+5:30', 'UTC-3', 'UTC' for a timezone-aware datetime."""
    offset = local.utcoffset() or timedelta()
    minutes = int(offset.total_seconds()) // 60
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "-"
    hours, minutes = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{minutes:02d}" if minutes else "")


def zone_label(local):
    """'AZT (UTC+4)' where the zone has a name, otherwise 'UTC+4'."""
    offset = utc_offset(local)
    name = local.tzname() or ""
    if name.isalpha() and name != "UTC":
        return f"{name} ({offset})"
    return offset


def format_moment(moment, precision, tz):
    """A moment as a reader should see it, e.g. '20 September 2023, 13:00 UTC+4'."""
    local = moment.astimezone(tz)
    date = dateformat.format(local, DATE_FORMATS[Precision(precision)])
    if precision not in SHOWS_TIME:
        return date
    return f"{date}, {local:%H:%M} {zone_label(local)}"


def format_span(starts_at, ends_at, precision, tz):
    """A start and an optional end, sharing what they have in common."""
    if ends_at is None:
        return format_moment(starts_at, precision, tz)
    start, end = starts_at.astimezone(tz), ends_at.astimezone(tz)
    if precision in SHOWS_TIME and start.date() == end.date():
        date = dateformat.format(start, DATE_FORMATS[Precision.DAY])
        start_zone, end_zone = zone_label(start), zone_label(end)
        if start_zone != end_zone:  # the clocks changed in between
            return f"{date}, {start:%H:%M} {start_zone} – {end:%H:%M} {end_zone}"
        return f"{date}, {start:%H:%M}–{end:%H:%M} {end_zone}"
    first = format_moment(starts_at, precision, tz)
    last = format_moment(ends_at, precision, tz)
    return first if first == last else f"{first} – {last}"


def format_reported_at(moment, tz):
    """When a figure or a source is dated: a local time of exactly 00:00 means
    only the day is known, so it is shown as a date."""
    local = moment.astimezone(tz)
    if (local.hour, local.minute) == (0, 0):
        return format_moment(moment, Precision.DAY, tz)
    return format_moment(moment, Precision.MINUTE, tz)


def format_short_date(moment, precision, tz):
    """A local date in few characters, e.g. '20 Sep 2023' or 'Sep 2023'."""
    return dateformat.format(moment.astimezone(tz), SHORT_DATE_FORMATS[Precision(precision)])


def machine_date(moment, precision, tz):
    """A moment as ISO 8601 for machines, in local time and no more precise
    than known: '2020' for a year, '2023-09' for a month, '2023-09-20' for a
    day, '2023-09-20T13:00:00+04:00' for an hour or a minute. A day-precision
    event stored at local midnight is on its own local day, never on the UTC
    day before. What `<time datetime>` and the downloads give."""
    local = truncate(moment, precision, tz)
    if precision in SHOWS_TIME:
        return local.isoformat(timespec="seconds")
    parts = {
        Precision.YEAR: f"{local.year:04d}",
        Precision.MONTH: f"{local.year:04d}-{local.month:02d}",
        Precision.DAY: f"{local.year:04d}-{local.month:02d}-{local.day:02d}",
    }
    return parts[Precision(precision)]


def machine_reported_at(moment, tz):
    """machine_date for a dated figure or source: a local time of exactly
    00:00 means only the day is known (see format_reported_at)."""
    local = moment.astimezone(tz)
    precision = Precision.DAY if (local.hour, local.minute) == (0, 0) else Precision.MINUTE
    return machine_date(moment, precision, tz)
