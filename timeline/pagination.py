"""Keyset pagination over events in time order.

A page is fetched by where the previous one ended, (starts_at, id), never by
its number: the database walks the timeline index from that point, whatever
the size of the archive, and events published meanwhile do not shift what is
on the next page. A cursor is the event's start in microseconds since the
epoch and its id, e.g. "1695200400000000-42": short and safe in a URL.
"""

import datetime
import re
from dataclasses import dataclass

from django.db.models import Q

CURSOR = re.compile(r"^(-?\d{1,17})-(\d{1,19})$")
EPOCH = datetime.datetime(1970, 1, 1, tzinfo=datetime.UTC)


@dataclass(frozen=True)
class Cursor:
    starts_at: datetime.datetime
    pk: int

    @classmethod
    def parse(cls, text):
        """The cursor in `text`, or None when it is not one."""
        match = CURSOR.match(text or "")
        if not match:
            return None
        try:
            starts_at = EPOCH + datetime.timedelta(microseconds=int(match[1]))
        except OverflowError:
            return None
        return cls(starts_at, int(match[2]))

    @classmethod
    def of(cls, event):
        return cls(event.starts_at, event.pk)

    @classmethod
    def before_all_at(cls, moment):
        """A cursor just before every event at `moment`, in either direction
        of time: ids start at 1."""
        return cls(moment, 0)

    def __str__(self):
        delta = self.starts_at - EPOCH
        return f"{delta // datetime.timedelta(microseconds=1)}-{self.pk}"


@dataclass
class Page:
    events: list
    previous: Cursor | None  # show the page before this one from here
    next: Cursor | None  # show the page after this one from here


def beyond(cursor, *, moment="starts_at", ascending=True):
    """Rows strictly after the cursor in the given direction of time, in
    (`moment`, id) order: the one keyset predicate of the pages and the API.
    The first comparison alone bounds an index range; the second breaks ties
    between rows at the same moment by id."""
    at_or, strictly = ("gte", "gt") if ascending else ("lte", "lt")
    return Q(**{f"{moment}__{at_or}": cursor.starts_at}) & (
        Q(**{f"{moment}__{strictly}": cursor.starts_at}) | Q(**{f"pk__{strictly}": cursor.pk})
    )


def paginate(events, *, size, newest_first=False, after=None, before=None):
    """One page of `events` in time order (oldest first unless
    `newest_first`), starting after the cursor `after`, or ending before the
    cursor `before`. Costs one query, plus one when a cursor is given to learn
    whether anything lies on the other side of it."""
    forward = ["-starts_at", "-pk"] if newest_first else ["starts_at", "pk"]
    backward = ["starts_at", "pk"] if newest_first else ["-starts_at", "-pk"]

    if before is not None:
        rows = list(
            events.filter(beyond(before, ascending=newest_first)).order_by(*backward)[: size + 1]
        )
        more_before = len(rows) > size
        rows = rows[:size][::-1]
        more_after = True
    else:
        if after is not None:
            events_after = events.filter(beyond(after, ascending=not newest_first))
        else:
            events_after = events
        rows = list(events_after.order_by(*forward)[: size + 1])
        more_after = len(rows) > size
        rows = rows[:size]
        more_before = (
            after is not None and events.exclude(beyond(after, ascending=not newest_first)).exists()
        )
    return Page(
        events=rows,
        previous=Cursor.of(rows[0]) if rows and more_before else None,
        next=Cursor.of(rows[-1]) if rows and more_after else None,
    )


@dataclass
class RelevancePage:
    """A page of search results in order of relevance, by number."""

    events: list
    number: int
    has_next: bool
