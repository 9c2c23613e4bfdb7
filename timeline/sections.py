"""How a page of events is laid out: under the conflict's phases, by local
day, with the time that passes between days said in words ("3 days later")."""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tracker.dates import Precision

COARSE = {Precision.MONTH, Precision.YEAR}


@dataclass
class Day:
    heading: str
    events: list = field(default_factory=list)
    # The local date the heading stands for, and whether it is a day: an
    # event known only to the month or year sits under the month or year.
    date: object = None
    is_day: bool = True
    gap: str = ""  # the time since the day before it on the page, in words


@dataclass
class Section:
    phase: object  # a Phase, or None for events outside every phase
    days: list = field(default_factory=list)


def sections(events, phases, tz):
    """Group events, already in time order, into consecutive sections by the
    phase their local date falls in, and within each into days. Between two
    days more than one day apart, the later says how long passed."""
    result, previous = [], None
    for event in events:
        local_date = timezone.localtime(event.starts_at, tz).date()
        phase = next((phase for phase in phases if phase.contains(local_date)), None)
        if not result or result[-1].phase != phase:
            result.append(Section(phase))
        days = result[-1].days
        heading = event.local_day  # formatted once: a search's page has fifty days
        if not days or days[-1].heading != heading:
            day = Day(heading, date=local_date, is_day=event.precision not in COARSE)
            if previous is not None and previous.is_day and day.is_day:
                day.gap = gap_between(previous.date, day.date)
            days.append(day)
            previous = day
        days[-1].events.append(event)
    return result


def gap_between(earlier, later):
    """'3 days later' (or 'earlier', newest first) when more than a day lies
    between two local dates, else ''. Long gaps in weeks, months or years,
    rounded down: never more time than passed."""
    days = (later - earlier).days
    if abs(days) <= 1:
        return ""
    span = abs(days)
    if span < 14:
        count, text = span, ngettext("%(count)s day", "%(count)s days", span)
    elif span < 61:
        count = span // 7
        text = ngettext("%(count)s week", "%(count)s weeks", count)
    elif span < 730:
        count = span // 30
        text = ngettext("%(count)s month", "%(count)s months", count)
    else:
        count = span // 365
        text = ngettext("%(count)s year", "%(count)s years", count)
    amount = text % {"count": count}
    if days > 0:
        return _("%(amount)s later") % {"amount": amount}
    return _("%(amount)s earlier") % {"amount": amount}
