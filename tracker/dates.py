"""Times as a newsroom states them: in the conflict's local time, no more
precise than what is known.

Every moment is stored in UTC. An event known only to the day is stored at
local midnight and must never be shown as "00:00"; one known only to the month
is shown as "September 2023".
"""

import re
from datetime import date, datetime, time, timedelta

from django.db import models
from django.utils import dateformat
from django.utils.translation import gettext_lazy as _


class Precision(models.TextChoices):
    MINUTE = "minute", _("to the minute")
    HOUR = "hour", _("to the hour")
    DAY = "day", _("to the day")
    MONTH = "month", _("to the month")
    YEAR = "year", _("to the year")


# "E" is the month's name as a date says it: the same as "F" in English,
# the genitive in Russian or Ukrainian ("20 сентября 2023", not "20 сентябрь").
DATE_FORMATS = {
    Precision.MINUTE: "j E Y",
    Precision.HOUR: "j E Y",
    Precision.DAY: "j E Y",
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


# From the finest to the coarsest.
RANK = {precision: rank for rank, precision in enumerate(Precision)}
# How a moment is written at each precision, in forms, errors and imports.
TYPED_FORMATS = {
    Precision.MINUTE: "%Y-%m-%d %H:%M",
    Precision.HOUR: "%Y-%m-%d %H:%M",
    Precision.DAY: "%Y-%m-%d",
    Precision.MONTH: "%Y-%m",
    Precision.YEAR: "%Y",
}
_YEAR_OR_MONTH = re.compile(r"(?P<year>\d{4})(?:-(?P<month>\d{1,2}))?")


def parse_year_or_month(text):
    """(first day, precision) for '2020' or '2020-12'; None for anything else."""
    if match := _YEAR_OR_MONTH.fullmatch(text.strip()):
        year, month = int(match["year"]), int(match["month"] or 1)
        try:
            first_day = date(year, month, 1)
        except ValueError:
            return None
        return first_day, Precision.MONTH if match["month"] else Precision.YEAR
    return None


def parse_typed_date(text):
    """A date as a person types it, with what it tells: '2020' (a year),
    '2020-12' (a month) or '2020-12-05' (a day). Returns (date, precision);
    a year or a month is dated to its first day. Raises ValueError."""
    return parse_year_or_month(text) or (date.fromisoformat(text.strip()), Precision.DAY)


def parse_typed(text):
    """A moment as typed in an import: a year, a month, a day, or a day and a
    time ('2023-09-20 13:00'), with an optional UTC offset. Returns
    (datetime, precision): naive unless an offset was given; a time makes
    the precision the minute. Raises ValueError."""
    text = text.strip()
    try:
        day, precision = parse_typed_date(text)
    except ValueError:
        return datetime.fromisoformat(text), Precision.MINUTE
    return datetime.combine(day, time()), precision


def typed_text(moment, precision, tz):
    """A moment written as an editor would type it at its precision:
    '2023-09-20 13:00', '2023-09-20', '2023-09' or '2023'."""
    return moment.astimezone(tz).strftime(TYPED_FORMATS[Precision(precision)])


def precision_conflict(moment, typed, precision, tz):
    """Why `moment`, typed to the `typed` precision, cannot be kept at
    `precision`: 'invents' when that asks for more than was typed (a day
    where only a month was given), 'drops' when keeping it would cut off
    what was typed (10:30 kept to the day). None when it can be kept."""
    if RANK[Precision(precision)] < RANK[Precision(typed)]:
        return "invents"
    # Seconds are below what the record keeps (the admin's "Now" types them).
    if truncate(moment, precision, tz) != truncate(moment, Precision.MINUTE, tz):
        return "drops"
    return None


def precision_error(problem, moment, typed, chosen, tz):
    """Why a time typed to the `typed` precision cannot be kept at `chosen`
    (see precision_conflict), in the editor's own terms."""
    params = {
        "typed": typed_text(moment, typed, tz),
        "chosen": Precision(chosen).label,
        "as_typed": Precision(typed).label,
    }
    if problem == "invents":
        return _(
            "%(typed)s does not say the %(part)s that “%(chosen)s” needs: type it, or choose "
            "“%(as_typed)s”."
        ) % {**params, "part": PARTS_NEEDED[Precision(chosen)]}
    return _(
        "%(typed)s is more exact than “%(chosen)s”: its %(part)s would be lost. Leave out "
        "the %(part)s, or choose “%(as_typed)s”."
    ) % {**params, "part": PARTS_DROPPED[Precision(chosen)]}


# What a time must give to be kept at a precision, and what keeping it at a
# precision cuts off.
PARTS_NEEDED = {
    Precision.MINUTE: _("time"),
    Precision.HOUR: _("time"),
    Precision.DAY: _("day"),
    Precision.MONTH: _("month"),
}
PARTS_DROPPED = {
    Precision.HOUR: _("minutes"),
    Precision.DAY: _("time of day"),
    Precision.MONTH: _("day and time"),
    Precision.YEAR: _("month, day and time"),
}


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
