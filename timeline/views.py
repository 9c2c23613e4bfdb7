import datetime

from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import http_date

from tracker.models import Conflict, Event

from . import fragments, maps
from .charts import (
    FIGURES_SHOWN,
    claimant_styles_of,
    figure_trends,
    shown_claims,
    with_claimant_styles,
)
from .embed import snippet
from .filters import EARLIEST, LATEST, EventFilter
from .invalidation import add_keys, event_key
from .overview import overview_of
from .pagination import Cursor, RelevancePage, paginate
from .position import position_of
from .query import TimelineQuery
from .sections import sections

EVENTS_PER_PAGE = 50


def home(request):
    # One index lookup per conflict (event_activity_idx), not a pass over
    # every event.
    latest = (
        Event.objects.published()
        .filter(conflict=OuterRef("pk"))
        .order_by("-updated_at")
        .values("updated_at")[:1]
    )
    conflicts = Conflict.objects.annotate(last_activity=Subquery(latest)).order_by(
        "-last_activity", "name"
    )
    return render(request, "timeline/home.html", {"conflicts": conflicts})


def conflict_figures(request, conflict):
    conflict = get_object_or_404(Conflict, slug=conflict)
    # The most recent figures only, so the page stays readable on a phone and
    # its cost does not grow with the archive; claims.csv holds every one.
    claims = list(shown_claims(conflict).select_related("event__conflict")[: FIGURES_SHOWN + 1])
    ctx = {
        "conflict": conflict,
        "trends": figure_trends(claims[:FIGURES_SHOWN], conflict.tz),
        "shown": FIGURES_SHOWN if len(claims) > FIGURES_SHOWN else None,
        "shown_since": claims[FIGURES_SHOWN - 1].as_of if len(claims) > FIGURES_SHOWN else None,
    }
    return render(request, "timeline/figures.html", ctx)


def conflict_timeline(request, conflict):
    conflict = get_object_or_404(Conflict, slug=conflict)
    # Each card's details are loaded only if its kept markup is not found.
    published = (
        Event.objects.published()
        .in_conflict(conflict)
        .select_related("place")
        .with_last_correction()
    )
    query = TimelineQuery.of(request)
    filters = EventFilter(query.params, published, conflict=conflict)
    filters.offer_remembered_choices()
    by_relevance = query.asks_relevance and bool(filters.form.data.get("q"))
    if by_relevance:
        page = _by_relevance(filters.qs, query.page_number_text)
    else:
        page = paginate(
            filters.qs,
            size=EVENTS_PER_PAGE,
            newest_first=query.newest_first,
            **_cursors(query, filters),
        )
    for event in page.events:
        # The one conflict of the page, not one copy per event.
        event.conflict = conflict
    phases = list(conflict.phases.all())
    ctx = {
        "conflict": conflict,
        "filters": filters,
        "filtered": any(filters.form.data.get(name) for name in filters.filters),
        "page": page,
        "cards": fragments.cards(page.events),
        "page_links": query.page_links(page),
        "sections": sections(page.events, [] if by_relevance else phases, conflict.tz),
        "overview": overview_of(
            filters.qs,
            conflict,
            phases=phases,
            page_events=[] if by_relevance else page.events,
            query=query,
            newest_first=query.newest_first,
        ),
        "newest_first": query.newest_first,
        "by_relevance": by_relevance,
        "query": query,
        "embed": snippet(query),
    }
    ctx["filter_form"] = fragments.filter_form(ctx)
    return render(request, "timeline/conflict.html", ctx)


def _cursors(query, filters):
    """Where the page starts: after or before a cursor, or at a local date
    ("jump to date"). Anything unreadable means the first page."""
    if before := query.before:
        return {"before": before}
    if after := query.after:
        return {"after": after}
    try:
        day = datetime.date.fromisoformat(query.on)
    except ValueError:
        return {}
    if not EARLIEST <= day <= LATEST:
        return {}
    if query.newest_first:
        day += datetime.timedelta(days=1)
    return {"after": Cursor.before_all_at(filters.local_midnight(day))}


def page_number_of(text):
    """The page a `page` parameter asks for; 1 for anything that is not a
    number in ASCII digits ("²" passes isdigit() and fails int())."""
    if text and len(text) <= 6 and text.isascii() and text.isdigit():
        return int(text)
    return 1


def _by_relevance(events, page_number):
    """Search results, best match first, by page number: a search narrows the
    events enough for an offset to be cheap."""
    number = min(max(page_number_of(page_number), 1), 1000)
    start = (number - 1) * EVENTS_PER_PAGE
    rows = list(events.order_by("-rank", "starts_at", "pk")[start : start + EVENTS_PER_PAGE + 1])
    return RelevancePage(rows[:EVENTS_PER_PAGE], number, has_next=len(rows) > EVENTS_PER_PAGE)


def event_detail(request, conflict, event):
    events = Event.objects.with_record().with_last_updated()
    event = get_object_or_404(events, conflict__slug=conflict, slug=event)
    preview = False
    if event.status == Event.Status.RETRACTED and event.was_ever_published:
        response = render(
            request, "timeline/retracted.html", {"event": event, "conflict": event.conflict}
        )
        return add_keys(response, event_key(event.pk))
    if event.status != Event.Status.PUBLISHED:
        # Staff preview drafts (and spiked stories) through the admin's "view
        # on site"; to anyone else an unpublished event does not exist.
        if not request.user.has_perm("tracker.view_event"):
            raise Http404("No such event")
        preview = True
    with_claimant_styles(event.claims.all(), claimant_styles_of(event.conflict))
    ctx = {
        "event": event,
        "conflict": event.conflict,
        "preview": preview,
        "position": position_of(event),
    }
    response = render(request, "timeline/event.html", ctx)
    if preview:
        patch_cache_control(response, private=True, no_store=True)
    else:
        response["Last-Modified"] = http_date(event.last_updated.timestamp())
    return add_keys(response, event_key(event.pk))


# What the map's form offers; any other filter in its address still applies.
MAP_FILTERS = ("kind", "date_from", "date_to", "disputed")


def conflict_map(request, conflict):
    """Where the published events happened: one marker per place, sized by
    its events, linking to the timeline of that place; the timeline's
    filters apply. Three queries (and the newsroom's look until it is
    cached): the conflict, its events counted by place and kind, and those
    places."""
    conflict = get_object_or_404(Conflict, slug=conflict)
    query = TimelineQuery.of(request)
    published = Event.objects.published().in_conflict(conflict)
    filters = EventFilter(query.params, published, conflict=conflict)
    drawn = maps.conflict_map(filters.qs)
    kept = query.filters.copy()
    kept.pop("place", None)
    timeline_url = reverse("timeline:conflict", args=[conflict.slug])
    prefix = f"{timeline_url}?{kept.urlencode()}&" if kept else f"{timeline_url}?"
    for marker in drawn.tally.markers:
        marker.href = f"{prefix}place={marker.place_id}"
    ctx = {
        "conflict": conflict,
        "map": drawn,
        "filters": filters,
        "form": filters.form,
        "hidden_filters": [
            (name, value)
            for name, values in query.filters.lists()
            if name not in MAP_FILTERS
            for value in values
        ],
        "filtered": any(filters.form.data.get(name) for name in filters.filters),
        "query": query,
    }
    return render(request, "timeline/map.html", ctx)
