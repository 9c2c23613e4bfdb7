"""What the feeds, downloads and embed share: the published events a request
asks for, through the timeline's own filters."""

from django.core.exceptions import BadRequest

from tracker.models import Event

from .filters import EventFilter
from .query import TimelineQuery


def filtered_events(request, conflict=None):
    """The published events of `conflict` (of every conflict when None) that
    the query parameters select, as the timeline would filter them.

    The timeline shows a form with its errors; a feed or a download has no
    form, so a filter it cannot read is refused rather than ignored: a
    misspelt kind must not quietly deliver every event."""
    published = Event.objects.published()
    if conflict is not None:
        published = published.in_conflict(conflict)
    filters = EventFilter(TimelineQuery.of(request).params, published, conflict=conflict)
    if not filters.is_valid():
        problems = "; ".join(
            f"{name}: {' '.join(errors)}" for name, errors in filters.errors.items()
        )
        raise BadRequest(problems)
    return filters.qs
