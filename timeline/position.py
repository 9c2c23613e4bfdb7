"""Where an event sits in its conflict, for its own page: its place on the
conflict's overview, the phase it falls in, and its neighbours before and
after on the timeline.

The overview is the timeline's own (timeline.overview): the conflict's
counts by local day, remembered under the conflict's key and shared with its
unfiltered timeline, so an event page adds no aggregate of its own, and the
conflict's phases, remembered beside them. Each neighbour is one query along
the timeline's index (event_timeline_idx) from the event's (starts_at, id),
the timeline's order: the same cost at a hundred events or a million.

An event page is not made afresh whenever another event of its conflict
changes: publishing one event renews its own page, not thousands. A change
renews the pages of the events it neighbours (timeline.invalidation), so the
links before and after are always right; the strip is the conflict as it was
when the page was made, at most the page cache's lifetime ago.
"""

from dataclasses import dataclass

from django.utils import timezone

from tracker.models import Event

from .cache import remembered
from .invalidation import conflict_key
from .overview import Overview, build, day_counts, draw, remembered_totals
from .pagination import Cursor, beyond


@dataclass
class Position:
    overview: Overview | None
    phase: object  # the Phase the event's start falls in, or None
    previous: Event | None
    next: Event | None

    @property
    def period(self):
        """The period of the strip the event starts in."""
        if self.overview is None:
            return None
        return next((period for period in self.overview.periods if period.current), None)


def beside(conflict_id, cursor, *, after):
    """The published events of a conflict on one side of a place in its
    timeline, a cursor (starts_at, id), nearest first: along the timeline's
    index from there."""
    published = Event.objects.published().filter(conflict_id=conflict_id)
    order = ["starts_at", "pk"] if after else ["-starts_at", "-pk"]
    return published.filter(beyond(cursor, ascending=after)).order_by(*order)


def neighbours(event):
    """The published events just before and just after `event` in its
    conflict's timeline; None at either end."""
    found = []
    for after in (False, True):
        neighbour = beside(event.conflict_id, Cursor.of(event), after=after).first()
        if neighbour is not None:
            neighbour.conflict = event.conflict  # the one conflict, not a copy per event
        found.append(neighbour)
    return tuple(found)


def phases_of(conflict):
    """The conflict's phases, remembered until its pages change."""
    return remembered(
        f"phases:{conflict.pk}", [conflict_key(conflict.slug)], lambda: list(conflict.phases.all())
    )


def position_of(event):
    conflict = event.conflict
    tz = conflict.tz
    first_day = timezone.localtime(event.starts_at, tz).date()
    last_day = timezone.localtime(event.ends_at, tz).date() if event.ends_at else first_day
    phases = phases_of(conflict)
    timeline = conflict.get_absolute_url()

    def link(period):
        return f"{timeline}?on={period.starts_on.isoformat()}"

    published = Event.objects.published().in_conflict(conflict)
    page_days = (first_day, last_day)
    if event.status == Event.Status.PUBLISHED:
        totals = remembered_totals(published, conflict)
        overview = draw(totals, phases=phases, page_days=page_days, link=link)
    else:
        # A draft seen in preview (by staff, never kept): where it would
        # sit, though not yet counted.
        counts = day_counts(published, conflict)
        counts.setdefault(first_day, (0, 0, 0))
        overview = build(counts, phases=phases, page_days=page_days, link=link)
    phase = next(
        (
            phase
            for phase in phases
            if phase.starts_on <= first_day
            and (phase.ends_on is None or first_day <= phase.ends_on)
        ),
        None,
    )
    previous, following = neighbours(event)
    return Position(overview, phase, previous, following)
