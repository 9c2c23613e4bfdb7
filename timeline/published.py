"""What the feeds, downloads and embed share: the published events a request
asks for, through the timeline's own filters."""

from django.core.exceptions import BadRequest

from tracker.models import Event

from .filters import EventFilter


def filtered_events(request, conflict=None):
    """The published events of `conflict` (of every conflict when None) that
    the query parameters select, as the timeline would filter them.

    The timeline shows a form with its errors; a feed or a download has no
    form, so a filter it cannot read is refused rather than ignored: a
    misspelt kind must not quietly deliver every event."""
    published = Event.objects.published()
    if conflict is not None:
        published = published.in_conflict(conflict)
    filters = EventFilter(request.GET, published, conflict=conflict)
    if not filters.is_valid():
        problems = "; ".join(
            f"{name}: {' '.join(errors)}" for name, errors in filters.errors.items()
        )
        raise BadRequest(problems)
    return filters.qs


def filter_params(query):
    """The part of a query string (a QueryDict) that the filters read, without
    the timeline's position and order: what a feed or download of the same
    view needs."""
    kept = query.copy()
    for name in query:
        if name not in EventFilter.base_filters:
            del kept[name]
    return kept
