"""What the feeds, downloads and embed share: the published events a request
asks for, through the timeline's own filters, and when each last changed."""

from django.core.exceptions import BadRequest
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce, Greatest

from tracker.models import Correction, Event

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


def with_last_updated(events):
    """Annotate `last_updated`: the later of the event's last edit and its
    latest correction. A correction is news about the event, so it has to
    move the date that feed readers and data users watch for changes."""
    latest_correction = (
        Correction.objects.filter(event=OuterRef("pk"))
        .order_by("-published_at")
        .values("published_at")[:1]
    )
    return events.annotate(
        last_updated=Greatest("updated_at", Coalesce(Subquery(latest_correction), "updated_at"))
    )
