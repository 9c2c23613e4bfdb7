"""The overview strip at the top of a timeline: how many events fell in each
day, week or month of the conflict, its phases, where its key events and its
disputed figures are, and where the page being read sits.

It comes from one aggregate query over the events the filters select, grouped
by local day in the conflict's time zone; the periods are made from the days
in Python, so its cost is one query whatever the number of events. The
counts are remembered (timeline.cache) for each set of filters: turning the
pages of a view asks nothing more of the database.
"""

import datetime
import hashlib
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Count, Q, Value
from django.utils import dateformat, timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from timeline.cache import remembered
from timeline.invalidation import conflict_key
from tracker.models import Event
from tracker.models.figures import LocalDate

# The longest span, in days, drawn day by day, then week by week; longer
# conflicts are drawn by month, and beyond the last by year, so the strip
# holds at most about a hundred and fifty periods.
DAYS_AT_MOST = 92
WEEKS_AT_MOST = 2 * 366
MONTHS_AT_MOST = 12 * 12
BUSIEST_LISTED = 5
BAR_HEIGHT = 56  # px, the busiest period's bar
AXIS_Y = 80  # px from the top of the strip: bars stand on it
BAR_INSET = 0.12  # of a period's width, left blank on each side of its bar
PHASE_LABEL_AT_LEAST = 8  # percent of the strip a phase needs to carry its name,
# clipped to its band


@dataclass
class Period:
    starts_on: datetime.date
    ends_on: datetime.date  # the last day, inclusive
    label: str
    events: int = 0
    key: int = 0
    disputed: int = 0
    current: bool = False
    href: str = ""
    x: float = 0.0  # percent of the strip
    width: float = 0.0
    height: int = 0  # px

    # Geometry for the SVG, as attribute text: percentages keep the strip as
    # wide as the page at any width, and a number formatted for a language
    # ("12,5") would not be one to SVG.
    @property
    def bar_x(self):
        return _percent(self.x + self.width * BAR_INSET)

    @property
    def bar_width(self):
        return _percent(self.width * (1 - 2 * BAR_INSET))

    @property
    def slot_x(self):
        return _percent(self.x)

    @property
    def slot_width(self):
        return _percent(self.width)

    @property
    def top(self):
        return AXIS_Y - self.height

    @property
    def description(self):
        text = ngettext("%(period)s: %(count)s event", "%(period)s: %(count)s events", self.events)
        parts = [text % {"period": self.label, "count": self.events}]
        if self.key:
            parts.append(ngettext("%(count)s key", "%(count)s key", self.key) % {"count": self.key})
        if self.disputed:
            parts.append(
                ngettext("%(count)s disputed", "%(count)s disputed", self.disputed)
                % {"count": self.disputed}
            )
        return ", ".join(parts)


@dataclass
class Band:
    name: str
    x: float
    width: float
    labelled: bool
    odd: bool

    @property
    def band_x(self):
        return _percent(self.x)

    @property
    def band_width(self):
        return _percent(self.width)


def _bar(period):
    # Only the link and its label are text; the rest are numbers made here.
    classes = "overview-bar"
    for flag, name in ((period.current, "is-current"), (period.key, "has-key"),
                       (period.disputed, "has-disputed")):  # fmt: skip
        if flag:
            classes += " " + name
    x, width = period.bar_x, period.bar_width
    marks = ""
    if period.key:
        marks += f'<rect class="key-mark" x="{x}" y="{period.top - 6}" width="{width}" height="4"/>'
    if period.disputed:
        marks += f'<rect class="disputed-mark" x="{x}" y="84" width="{width}" height="8"/>'
    href, label = escape(period.href), escape(period.description)
    return (
        f'<a class="{classes}" href="{href}" aria-label="{label}">'
        f'<rect class="hit" x="{period.slot_x}" y="16" width="{period.slot_width}" height="80"/>'
        f'<rect class="bar" x="{x}" y="{period.top}" width="{width}" height="{period.height}"/>'
        f"{marks}</a>"
    )


def _percent(value):
    return f"{value:.3f}%"


@dataclass
class Overview:
    unit: str  # "day", "week", "month" or "year"
    periods: list  # every period from the first event's to the last's
    bands: list = field(default_factory=list)
    current: tuple | None = None  # (x, width) of the page's span, as attribute text

    @property
    def bars(self):
        return [period for period in self.periods if period.events]

    @cached_property
    def bars_markup(self):
        """Each bar a link, made here rather than by a template loop: a strip
        of a long conflict has a hundred bars and more, each a dozen template
        nodes, which took most of an uncached timeline page's rendering."""
        return mark_safe("".join(_bar(period) + "\n    " for period in self.bars))

    @cached_property
    def busiest(self):
        return sorted(self.bars, key=lambda period: (-period.events, period.starts_on))[
            :BUSIEST_LISTED
        ]

    @property
    def total(self):
        return sum(period.events for period in self.periods)

    @property
    def first(self):
        return self.periods[0]

    @property
    def last(self):
        return self.periods[-1]

    @property
    def unit_label(self):
        return {"day": _("day"), "week": _("week"), "month": _("month"), "year": _("year")}[
            self.unit
        ]


def day_counts(events, conflict):
    """{local date: (events, key, disputed)} of `events`, the conflict's
    published events under the timeline's filters, in one query."""
    rows = counts_query(events, conflict)
    return {row["day"]: (row["events"], row["key"], row["disputed"]) for row in rows}


def counts_query(events, conflict):
    """The query of day_counts. Through
    the ids, so that whatever the filters joined or annotated (a search's
    rank) cannot change the grouping; the conflict and status named again
    so that the count reads the conflict's part of the timeline index alone
    rather than the whole table. The disputed flag is the stored one that
    the disputed view filters by."""
    return (
        Event.objects.published()
        .in_conflict(conflict)
        .filter(pk__in=events.order_by().values("pk"))
        .order_by()
        .values(day=LocalDate("starts_at", Value(conflict.timezone)))
        .annotate(
            events=Count("pk"),
            key=Count("pk", filter=Q(is_key=True)),
            disputed=Count("pk", filter=Q(has_disputed_figures=True)),
        )
    )


def _unit_for(first, last):
    span = (last - first).days + 1
    if span <= DAYS_AT_MOST:
        return "day"
    if span <= WEEKS_AT_MOST:
        return "week"
    if (last.year - first.year) * 12 + last.month - first.month < MONTHS_AT_MOST:
        return "month"
    return "year"


def _period_start(day, unit):
    if unit == "day":
        return day
    if unit == "week":
        return day - datetime.timedelta(days=day.weekday())
    if unit == "month":
        return day.replace(day=1)
    return day.replace(month=1, day=1)


def _next_start(start, unit):
    if unit == "day":
        return start + datetime.timedelta(days=1)
    if unit == "week":
        return start + datetime.timedelta(days=7)
    if unit == "month":
        return (start.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return start.replace(year=start.year + 1)


def _label(start, unit):
    if unit == "day":
        return dateformat.format(start, "j E Y")
    if unit == "week":
        return _("week of %(day)s") % {"day": dateformat.format(start, "j E Y")}
    if unit == "month":
        return dateformat.format(start, "F Y")
    return str(start.year)


def period_totals(counts):
    """(unit, [(first day, last day, events, key, disputed)]) of `counts`
    (day_counts), every period from the first event's to the last's, or
    None when there is nothing to draw. What a strip draws, kept with the
    counts: a conflict of ten years has thousands of days and about a
    hundred periods, and pages made afresh need only the periods."""
    if not counts:
        return None
    first, last = min(counts), max(counts)
    unit = _unit_for(first, last)
    totals, start = {}, _period_start(first, unit)
    while start <= last:
        following = _next_start(start, unit)
        totals[start] = [start, following - datetime.timedelta(days=1), 0, 0, 0]
        start = following
    for day, (events, key, disputed) in counts.items():
        period = totals[_period_start(day, unit)]
        period[2] += events
        period[3] += key
        period[4] += disputed
    return unit, [tuple(period) for period in totals.values()]


def build(counts, *, phases=(), page_days=None, link=None):
    """The overview of `counts` (day_counts), or None when there is nothing
    to draw. `page_days` is the (first, last) local date of the page being
    read; `link(period)` gives the address of a jump to the period."""
    return draw(period_totals(counts), phases=phases, page_days=page_days, link=link)


def draw(totals, *, phases=(), page_days=None, link=None):
    """The overview of `totals` (period_totals), as build() describes."""
    if totals is None:
        return None
    unit, rows = totals
    periods = [
        Period(first, last, _label(first, unit), events, key, disputed)
        for first, last, events, key, disputed in rows
    ]

    share = 100 / len(periods)
    busiest = max(period.events for period in periods)
    for index, period in enumerate(periods):
        period.x = round(index * share, 3)
        period.width = round(share, 3)
        if period.events:
            period.height = max(2, round(BAR_HEIGHT * period.events / busiest))
            period.href = link(period) if link else ""
    overview = Overview(unit, periods)

    strip_start, strip_end = periods[0].starts_on, periods[-1].ends_on
    for number, phase in enumerate(phases):
        phase_end = phase.ends_on or strip_end
        if phase_end < strip_start or phase.starts_on > strip_end:
            continue
        x = _position(max(phase.starts_on, strip_start), periods, share)
        end = _position(min(phase_end, strip_end), periods, share, end=True)
        width = round(end - x, 3)
        overview.bands.append(
            Band(phase.name, x, width, labelled=width >= PHASE_LABEL_AT_LEAST, odd=number % 2 == 1)
        )

    if page_days:
        page_first, page_last = sorted(page_days)
        current = [
            period
            for period in periods
            if period.starts_on <= page_last and period.ends_on >= page_first
        ]
        for period in current:
            period.current = True
        if current:
            end = current[-1].x + current[-1].width
            overview.current = (_percent(current[0].x), _percent(end - current[0].x))
    return overview


def _position(day, periods, share, *, end=False):
    """Where `day` starts (or ends) on the strip, in percent."""
    for index, period in enumerate(periods):
        if period.starts_on <= day <= period.ends_on:
            days = (period.ends_on - period.starts_on).days + 1
            into = (day - period.starts_on).days + (1 if end else 0)
            return round((index + into / days) * share, 3)
    return 100.0 if end else 0.0


def overview_of(events, conflict, *, phases, page_events, query, newest_first=False):
    """The overview of the filtered `events` of `conflict`, its bars linking
    to "jump to date" with the current filters kept."""
    tz = conflict.tz
    page_days = None
    if page_events:
        page_days = tuple(
            timezone.localtime(event.starts_at, tz).date()
            for event in (page_events[0], page_events[-1])
        )

    def link(period):
        # Newest first, a jump shows the events on and before the date: the
        # period's last day brings the whole period onto the page.
        day = period.ends_on if newest_first else period.starts_on
        return query.with_(on=day.isoformat(), after=None, before=None, page=None)

    totals = remembered_totals(events, conflict, query.filters.urlencode())
    if totals is None:
        return None
    # Everything the drawing shows: the same totals, phases, page span, links
    # and language draw the same strip, which the pages after a publish
    # (the page cache renewed, the totals remembered) then need not redraw.
    unit, rows = totals
    shown = (
        unit,
        tuple(rows),
        tuple((phase.name, phase.starts_on, phase.ends_on) for phase in phases),
        page_days,
        query.with_(on="", after=None, before=None, page=None),
        newest_first,
        get_language(),
    )
    if (overview := _drawn.get(shown)) is None:
        overview = draw(totals, phases=phases, page_days=page_days, link=link)
        if len(_drawn) >= DRAWN_KEPT:
            del _drawn[next(iter(_drawn))]
        _drawn[shown] = overview
    return overview


# Strips drawn lately in this process, by what they show, the oldest first;
# an Overview is not changed once drawn.
_drawn = {}
DRAWN_KEPT = 128


def remembered_totals(events, conflict, filters=""):
    """period_totals of `events`, the conflict's published events under the
    timeline's filters `filters` (as a query string), remembered until the
    conflict's pages change. Without filters, the totals of the whole
    conflict, which its timeline and its event pages share."""
    digest = hashlib.sha256(filters.encode()).hexdigest()[:24]
    return remembered(
        f"overview-periods:{conflict.pk}:{digest}",
        [conflict_key(conflict.slug)],
        lambda: period_totals(day_counts(events, conflict)),
    )
