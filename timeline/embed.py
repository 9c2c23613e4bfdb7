"""The compact timeline that other sites put in an iframe.

It is the one page that may be framed: it is exempt from X-Frame-Options and
its Content-Security-Policy names the sites allowed to frame it in the
frame-ancestors directive (settings.EMBED_ALLOWED_PARENTS). Every other page
stays DENY and frame-ancestors 'none'.
"""

from csp.constants import NONE
from django.conf import settings
from django.shortcuts import get_object_or_404, render
from django.views.decorators.clickjacking import xframe_options_exempt

from tracker.models import Conflict, Event

from . import fragments
from .published import filtered_events
from .query import TimelineQuery

EVENTS_PER_EMBED = 20


@xframe_options_exempt
def embed(request, conflict):
    conflict = get_object_or_404(Conflict, slug=conflict)
    # The latest developments first, as a live page would show them.
    events = list(
        filtered_events(request, conflict)
        .select_related("conflict", "place")
        .order_by("-starts_at", "-pk")[:EVENTS_PER_EMBED]
    )
    query = TimelineQuery.of(request)
    ctx = {
        "conflict": conflict,
        "events": events,
        "cards": fragments.cards(
            events, "timeline/_embed_card.html", details=Event.details("claims", "media")
        ),
        "timeline_url": request.build_absolute_uri(conflict.get_absolute_url() + query.suffix),
        "site": request.get_host(),
        "filtered": bool(query.filters),
    }
    response = render(request, "timeline/embed.html", ctx)
    # django-csp's per-view override (what its csp_replace decorator sets),
    # with the parents read at request time.
    response._csp_replace = {"frame-ancestors": settings.EMBED_ALLOWED_PARENTS or [NONE]}
    # A site whose pages require CORP of what they embed may still frame it.
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response
